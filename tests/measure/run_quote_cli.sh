#!/usr/bin/env bash
# End to end (docs/measurement.md): `ward run --attest-key SK --measure-log
# LOG` a guest that extends register 8 and prints a quote of registers 0, 1
# and 8, then `ward quote verify` it with the log; each refusal (another
# key, nonce, altered quote, another log, bad files) exits non-zero with a
# one-line reason.
#   run_quote_cli.sh WARD WRITE_KEYS WASM_DIR
set -u
ward=$1
write_keys=$2
wasm=$3
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() { # check DESCRIPTION CONDITION...
    local what=$1
    shift
    if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $what"; fi
}

# run_ward ARGS...: sets $status and $err (stdout goes to $tmp/out).
run_ward() {
    "$ward" "$@" >"$tmp/out" 2>"$tmp/err"
    status=$?
    err=$(cat "$tmp/err")
}

mkdir -p "$tmp/other"
"$write_keys" "$tmp" 7 && "$write_keys" "$tmp/other" 9 || { echo "write_keys failed"; exit 1; }
nonce=6e6f6e63652d31323334 # "nonce-1234", the guest's

run_ward run --attest-key "$tmp/attest.sk" --seal-secret "$tmp/seal.secret" --measure-log "$tmp/log" \
    "$wasm/quote_guest.wasm"
check "run with a key: status 0 ($status: $err)" test "$status" = 0
cp "$tmp/out" "$tmp/quote"
check "the quote has 9 + 10 + 3 * 32 + 96 bytes" test "$(wc -c <"$tmp/quote")" -eq 211

run_ward quote verify --quote "$tmp/quote" --public-key "$tmp/attest.pk" --log "$tmp/log" --nonce "$nonce"
check "verify: status 0 ($status: $err)" test "$status" = 0
check "verify prints OK" grep -q '^quote OK$' "$tmp/out"
# register 0 is SHA-256(0^32 || SHA-256(module)); register 1 SHA-256(0^32 || SHA-256(""))
want0=$(python3 -c 'import hashlib,sys; d=hashlib.sha256(open(sys.argv[1],"rb").read()).digest(); print(hashlib.sha256(bytes(32)+d).hexdigest())' "$wasm/quote_guest.wasm")
want1=$(python3 -c 'import hashlib; print(hashlib.sha256(bytes(32)+hashlib.sha256(b"").digest()).hexdigest())')
check "register 0 measures the module" grep -q "^register 0: $want0\$" "$tmp/out"
check "register 1 measures no policy" grep -q "^register 1: $want1\$" "$tmp/out"
check "register 8 is quoted" grep -q '^register 8: ' "$tmp/out"
run_ward quote verify --quote "$tmp/quote" --public-key "$tmp/attest.pk"
check "verify without log or nonce: 0" test "$status" = 0

run_ward quote verify --quote "$tmp/quote" --public-key "$tmp/other/attest.pk" --log "$tmp/log"
check "another key: 1 ($status)" test "$status" = 1
check "another key: reason ($err)" grep -q 'another key' "$tmp/err"
run_ward quote verify --quote "$tmp/quote" --public-key "$tmp/attest.pk" --nonce 00112233
check "another nonce: 1 ($status)" test "$status" = 1
check "another nonce: reason ($err)" grep -q 'nonce' "$tmp/err"
python3 -c 'import sys; b=bytearray(open(sys.argv[1],"rb").read()); b[40]^=1; open(sys.argv[2],"wb").write(b)' \
    "$tmp/quote" "$tmp/altered"
run_ward quote verify --quote "$tmp/altered" --public-key "$tmp/attest.pk"
check "altered quote: 1 ($status)" test "$status" = 1
check "altered quote: reason ($err)" grep -q 'signature does not verify' "$tmp/err"
check "one line" test "$(wc -l <"$tmp/err")" -eq 1

# another run's log (another module in register 0) does not match
# (tee_guest has no _start: nothing runs, which ward says with status 126,
# and the log of the measured module is written all the same)
run_ward run --measure-log "$tmp/log2" "$wasm/tee_guest.wasm"
check "run without a key: 126, nothing to run ($status: $err)" test "$status" = 126
run_ward quote verify --quote "$tmp/quote" --public-key "$tmp/attest.pk" --log "$tmp/log2"
check "another log: 1 ($status)" test "$status" = 1
check "another log: reason ($err)" grep -q 'register 0 differs' "$tmp/err"
head -c 30 "$tmp/log" >"$tmp/cut"
run_ward quote verify --quote "$tmp/quote" --public-key "$tmp/attest.pk" --log "$tmp/cut"
check "truncated log: 1 ($status)" test "$status" = 1
check "truncated log: reason names the log ($err)" grep -q "$tmp/cut: event log" "$tmp/err"
printf 'garbage' >"$tmp/garbage"
run_ward quote verify --quote "$tmp/garbage" --public-key "$tmp/attest.pk"
check "garbage quote: 1 ($status)" test "$status" = 1
check "garbage quote: reason ($err)" grep -q 'does not start with "WRDQ"' "$tmp/err"

# no attestation key: the guest's quote is refused (it exits 3)
run_ward run "$wasm/quote_guest.wasm"
check "no key: the guest sees unavailable ($status)" test "$status" = 3

# bad key files and options: status 126 (could not run) with a reason, never the key
head -c 64 "$tmp/attest.sk" >"$tmp/short.sk"
run_ward run --attest-key "$tmp/short.sk" "$wasm/quote_guest.wasm"
check "short key: 126 ($status)" test "$status" = 126
check "short key: reason ($err)" grep -q 'short.sk: Ed25519 key pair of 64 bytes (must be 65)' "$tmp/err"
{ printf '\001'; tail -c 64 "$tmp/attest.sk"; } >"$tmp/type.sk"
run_ward run --attest-key "$tmp/type.sk" "$wasm/quote_guest.wasm"
check "wrong type byte: 126 ($status)" test "$status" = 126
check "wrong type byte: reason ($err)" grep -q 'type.sk: offset 0x0: Ed25519 key pair type byte 0x01 (must be 0x81)' "$tmp/err"
run_ward quote verify --quote "$tmp/quote" --public-key "$tmp/attest.sk"
check "secret key as public key: 2 ($status)" test "$status" = 2
run_ward run --seal-secret "$tmp/attest.pk" "$wasm/quote_guest.wasm"
check "short sealing secret: 126 ($status)" test "$status" = 126
check "short sealing secret: reason ($err)" grep -q 'not a sealing secret' "$tmp/err"
run_ward run --attest-key "$tmp/attest.sk" --measure-log "$tmp/no/such/dir/log" "$wasm/quote_guest.wasm"
check "unwritable log: 126 ($status)" test "$status" = 126
check "unwritable log: reason ($err)" grep -q 'cannot write the event log' "$tmp/err"
run_ward quote verify --quote "$tmp/quote"
check "missing --public-key: 2 ($status)" test "$status" = 2
run_ward quote verify --quote "$tmp/quote" --public-key "$tmp/attest.pk" --nonce abc
check "odd nonce: 2 ($status)" test "$status" = 2
run_ward quote sign
check "unknown quote subcommand: 2 ($status)" test "$status" = 2

# the C guest (include/ward_guest_tee.h), when it was built
if [ -f "$wasm/tee_c_guest.wasm" ]; then
    run_ward run --attest-key "$tmp/attest.sk" --seal-secret "$tmp/seal.secret" --measure-log "$tmp/clog" \
        "$wasm/tee_c_guest.wasm"
    check "C guest: status 0 ($status: $err)" test "$status" = 0
    cp "$tmp/out" "$tmp/cquote"
    run_ward quote verify --quote "$tmp/cquote" --public-key "$tmp/attest.pk" --log "$tmp/clog" \
        --nonce 632d6775657374 # "c-guest"
    check "C guest's quote verifies ($status: $err)" test "$status" = 0
    run_ward run --attest-key "$tmp/attest.sk" "$wasm/tee_c_guest.wasm"
    check "C guest without a sealing secret: seal refused, status 12 ($status)" test "$status" = 12
else
    echo "note: tee_c_guest.wasm not built (no wasm32-wasi clang): C guest not tested"
fi

echo "quote_cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
