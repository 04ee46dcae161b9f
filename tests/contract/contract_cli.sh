#!/bin/sh
# `ward call` end to end: receipts for ok, trap, out_of_gas and denied
# calls with their exit statuses, input from a file and from stdin, the
# gas maximum, replay (equal on the state snapshot, an edited receipt, a
# changed state, no module), batches with malformed lines that get error
# receipts while the batch goes on, and a module reference by hash.
# usage: contract_cli.sh WARD BUILD_DIR (with token.wasm, probe.wasm, denied.wasm)
. "$(dirname "$0")/../cli_test_lib.sh"
TOKEN=$B/token.wasm PROBE=$B/probe.wasm
C="$WARD call --state s.db"

# ---- single calls --------------------------------------------------------------
printf 'alice,100' > mint.in
expect 0 '"status":"ok","export":"mint","result":0' $C --input mint.in "$TOKEN" mint
printf 'alice,bob,30' | $C --input - "$TOKEN" transfer > r.json 2>&1 && ok || bad "transfer from stdin: $(cat r.json)"
grep -q '"state_changes":\[{"key":"62616c3a616c696365","value":"4600000000000000"},{"key":"62616c3a626f62"' r.json \
    && ok || bad "transfer's changes: $(cat r.json)"
printf 'alice' > alice.in
expect 0 '"output":{"encoding":"utf8","data":"70"}' $C --input alice.in "$TOKEN" balance
expect 1 '"status":"trap".*"kind":"unreachable"' $C "$PROBE" write_then_trap
expect 1 '"status":"out_of_gas".*"gas_limit":1000,"gas_used":1000' $C --gas-limit 1000 --input mint.in "$TOKEN" mint
expect 1 'bytes \[0, 4) are past the input of 3 bytes' sh -c "printf abc | $C --input - $PROBE past_input"
expect 1 '"status":"denied".*import wasi_snapshot_preview1.fd_write is outside the contract profile' \
    $C "$B/denied.wasm" run
expect 2 'over the maximum of 100000000' $C --gas-limit 100000001 "$TOKEN" mint
expect 2 'whole number' $C --gas-limit -5 "$TOKEN" mint
head -c 16777217 /dev/zero > big.in # one byte over the 16 MiB input limit
expect 2 'over the size limit' $C --input big.in "$PROBE" echo
rm -f big.in
expect 2 'nope.wasm: no such file' $C nope.wasm run
expect 2 'registry' $C sha256:00 run
expect 2 'no module of that name in the registry' $C token run
expect 2 'usage' "$WARD" call "$TOKEN"
# an export name that is not UTF-8 names no export and could not be replayed from a receipt
expect 2 'the export name is not valid UTF-8' $C "$TOKEN" "$(printf 'a\377b')"
expect 0 '"status":"ok"' "$WARD" call --input mint.in "$TOKEN" mint # no --state: an empty state

# ---- replay ---------------------------------------------------------------------
cp s.db snap.db
printf 'bob,carol,5' > t.in
$C --input t.in "$TOKEN" transfer > t.json
expect 0 'replay: equal' "$WARD" call --replay t.json --state snap.db --module "$TOKEN"
expect 0 'replay: equal' "$WARD" call --replay t.json --state snap.db --module "$TOKEN" # nothing was written
sed 's/"gas_used":[0-9]*/"gas_used":7/' t.json > edited.json
expect 1 'field "gas_used" differs' "$WARD" call --replay edited.json --state snap.db --module "$TOKEN"
sed 's/"value":"1900000000000000"/"value":"1a00000000000000"/' t.json > edited2.json
expect 1 'field "state_changes" differs' "$WARD" call --replay edited2.json --state snap.db --module "$TOKEN"
expect 2 'state snapshot differs' "$WARD" call --replay t.json --state s.db --module "$TOKEN"
expect 2 'not in the registry\|no module sha256:' "$WARD" call --replay t.json --state snap.db
expect 2 "module's SHA-256 is not the receipt's" "$WARD" call --replay t.json --state snap.db --module "$PROBE"
echo '{"version":1' > broken.json
expect 2 'not a receipt' "$WARD" call --replay broken.json --state snap.db --module "$TOKEN"

# ---- batches ----------------------------------------------------------------------
cat > b.jsonl <<JSONL
{"module":"$TOKEN","export":"mint","input":"dave,50"}
not json at all
{"module":"$TOKEN","export":"mint","input":"dave,1","colour":"red"}

{"module":"$TOKEN","input":"dave,1"}
{"module":"$TOKEN","export":"mint","input_hex":"zz"}
{"module":"$TOKEN","export":"mint","input":"dave,1","gas_limit":100000001}
{"module":"$TOKEN","export":"mint","input":"dave,1","gas_limit":-1}
{"module":"missing.wasm","export":"mint","input":"dave,1"}
{"module":"$PROBE","export":"work_then_trap","input":"5"}
{"module":"$TOKEN","export":"transfer","input_hex":"646176652c616c6963652c3130","gas_limit":100000}
{"module":"$TOKEN","export":"balance","input":"dave"}
JSONL
expect 1 '' "$WARD" call --batch b.jsonl --state s.db
cp out batch.out
[ "$(wc -l < batch.out)" = 11 ] && ok || bad "11 receipts for 11 non-blank lines: $(cat batch.out)"
line() { sed -n "$1p" batch.out; }
case $(line 2) in *'"status":"error","line":2,"trap":{"kind":"malformed","message":"line 2: not a JSON object"}'*) ok ;; *) bad "line 2: $(line 2)" ;; esac
case $(line 3) in *'line 3: unknown field \"colour\"'*) ok ;; *) bad "line 3: $(line 3)" ;; esac
case $(line 4) in *'"line":5'*'must be strings'*) ok ;; *) bad "line 5: $(line 4)" ;; esac
case $(line 5) in *'not hex'*) ok ;; *) bad "line 6: $(line 5)" ;; esac
case $(line 6) in *'over the maximum of 100000000'*) ok ;; *) bad "line 7: $(line 6)" ;; esac
case $(line 7) in *'whole number'*) ok ;; *) bad "line 8: $(line 7)" ;; esac
case $(line 8) in *'line 9: missing.wasm: no such file'*) ok ;; *) bad "line 9: $(line 8)" ;; esac
case $(line 9) in *'"status":"trap"'*'"state_changes":[]'*) ok ;; *) bad "line 10: $(line 9)" ;; esac
case $(line 11) in *'"data":"40"'*) ok ;; *) bad "dave has 40 after the batch: $(line 11)" ;; esac
expect 2 'cannot open' "$WARD" call --batch nope.jsonl --state s.db
expect 2 'take their calls from the file' "$WARD" call --batch b.jsonl --gas-limit 5
# the batch's writes are in the database
printf 'dave' > dave.in
expect 0 '"data":"40"' $C --input dave.in "$TOKEN" balance

# ---- modules from the registry (the state file holds it too) --------------------
"$WARD" registry --db reg.db add "$TOKEN" --name token --gas-limit 5000 >/dev/null || bad "registry add"
sha=$(sha256sum "$TOKEN" | cut -d' ' -f1)
expect 0 '"gas_limit":5000,' "$WARD" call --registry reg.db --input dave.in "sha256:$sha" balance
expect 0 '"gas_limit":5000,' "$WARD" call --registry reg.db --gas-limit 9000000 --input dave.in token balance
expect 0 '"gas_limit":4000,' "$WARD" call --registry reg.db --gas-limit 4000 --input dave.in token balance
WARD_REGISTRY=reg.db expect 0 '"module_sha256":"'"$sha" "$WARD" call --input dave.in token balance
"$WARD" call --registry reg.db --input dave.in token balance > byname.json
expect 0 'replay: equal' "$WARD" call --replay byname.json --registry reg.db
expect 2 'no module of that name' "$WARD" call --registry reg.db --input dave.in tokn balance

echo "contract_cli: $pass passed, $fail failed"
[ "$fail" = 0 ]
