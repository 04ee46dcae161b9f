#!/bin/sh
# Agreement: a few hundred random calls (random inputs, random gas budgets,
# many too small so calls stop part way, contracts that write and then
# trap, malformed lines) run by two separate `ward call --batch` processes,
# at the same time, on two copies of one database.  Both must print the
# same receipts byte for byte and leave the same state roots.  Runs in
# every build configuration (threaded and switch dispatch, ASan ...).
# With WARD_B set, the second process is that command instead: another
# build (scripts/test-all.sh: threaded against switch dispatch) or another
# machine (scripts/test-neon.sh: x86-64 against aarch64 under qemu-user).
# usage: [WARD_B=CMD] agreement.sh WARD BUILD_DIR (with token.wasm, probe.wasm) [CALLS] [SEED]
. "$(dirname "$0")/../cli_test_lib.sh"
CALLS=${3:-400} SEED=${4:-14}
WARD_B=${WARD_B:-$WARD}

# a starting state: ten funded accounts
awk -v tok="$B/token.wasm" 'BEGIN { for (i = 0; i < 10; i++)
    printf "{\"module\":\"%s\",\"export\":\"mint\",\"input\":\"u%d,%d\"}\n", tok, i, 1000 + 37 * i }' > setup.jsonl
"$WARD" call --batch setup.jsonl --state base.db > setup.out || bad "setup batch: $(cat setup.out)"

awk -v tok="$B/token.wasm" -v probe="$B/probe.wasm" -v n="$CALLS" -v seed="$SEED" '
function r(k) { return int(rand() * k) }
function budget() { x = r(4); return x == 0 ? r(3000) : x == 1 ? r(20000) : x == 2 ? 100000 + r(900000) : 10000000 }
function hex(len,   s, i) { s = ""; for (i = 0; i < len; i++) s = s sprintf("%02x", r(256)); return s }
BEGIN {
    srand(seed)
    for (i = 0; i < n; i++) {
        k = r(10)
        if (k < 4)
            printf "{\"module\":\"%s\",\"export\":\"transfer\",\"input\":\"u%d,u%d,%d\",\"gas_limit\":%d}\n",
                tok, r(12), r(12), r(700), budget()
        else if (k == 4)
            printf "{\"module\":\"%s\",\"export\":\"work\",\"input\":\"%d\",\"gas_limit\":%d}\n", probe, r(60), budget()
        else if (k == 5)
            printf "{\"module\":\"%s\",\"export\":\"work_then_trap\",\"input\":\"%d\",\"gas_limit\":%d}\n", probe, r(30), budget()
        else if (k == 6)
            printf "{\"module\":\"%s\",\"export\":\"%s\",\"gas_limit\":%d}\n", probe,
                r(2) ? "order" : "remove_all", budget()
        else if (k == 7)
            printf "{\"module\":\"%s\",\"export\":\"echo\",\"input_hex\":\"%s\",\"gas_limit\":%d}\n", probe, hex(r(40)), budget()
        else if (k == 8)
            printf "{\"module\":\"%s\",\"export\":\"mint\",\"input\":\"u%d,%d\",\"gas_limit\":%d}\n", tok, r(12), r(100), budget()
        else
            printf "{\"module\":\"%s\",\"export\":\"transfer\",\"input\":\"u1,u2\",\"gas_limit\":%d,\"bad\":1}\n", tok, budget()
    }
}' > calls.jsonl

cp base.db a.db
cp base.db b.db
"$WARD" call --batch calls.jsonl --state a.db > a.out 2> a.err &
pa=$!
$WARD_B call --batch calls.jsonl --state b.db > b.out 2> b.err &
pb=$!
wait $pa; sa=$?
wait $pb; sb=$?
[ "$sa" -le 1 ] && [ "$sa" = "$sb" ] && ok || bad "exit statuses $sa and $sb: $(cat a.err b.err)"
[ "$(wc -l < a.out)" = "$CALLS" ] && ok || bad "$(wc -l < a.out) receipts for $CALLS calls"
cmp -s a.out b.out && ok || bad "the two processes' receipts differ: $(cmp a.out b.out)"
# each status and a stop part way are really exercised
for s in '"status":"ok"' '"status":"out_of_gas"' '"status":"trap"' '"status":"error"' '"result":1'; do
    c=$(grep -c "$s" a.out)
    [ "$c" -gt 0 ] && ok || bad "no $s among the receipts"
done
# every receipt is JSON already in the minimal form a JSON library would
# write (no spaces, short escapes): parsed and printed again, unchanged
if command -v python3 > /dev/null; then
    python3 - a.out <<'PY' && ok || bad "a receipt is not canonical JSON"
import json, sys
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    line = line.rstrip("\n")
    again = json.dumps(json.loads(line), separators=(",", ":"), ensure_ascii=False)
    if again != line:
        sys.exit("line %d: %s" % (n, line[:200]))
PY
fi
# final state roots of both contracts, read by a call on each copy
for db in a.db b.db; do
    w=$WARD
    [ $db = b.db ] && w=$WARD_B
    $w call --state $db "$B/token.wasm" balance > $db.token
    $w call --state $db "$B/probe.wasm" echo > $db.probe
done
cmp -s a.db.token b.db.token && cmp -s a.db.probe b.db.probe && ok || bad "final state roots differ"
grep -o '"state_root_before":"[0-9a-f]*"' a.db.token > root.token
grep -q "$(cut -d'"' -f4 root.token)" a.out && ok || bad "the final token root is not one the batch reported"

echo "agreement: $pass passed, $fail failed"
[ "$fail" = 0 ]
