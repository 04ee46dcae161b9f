#!/usr/bin/env bash
# The exception-handling .wast tests: each eh_*.wast here is converted with
# wast2json --enable-exceptions and run by `ward wast --exceptions`; every
# file must pass with no failure.
#   run_eh_wast.sh WARD SOURCE_DIR
set -u
ward=$1
src=$2
command -v wast2json >/dev/null || { echo "wast2json (wabt) is not installed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for wast in "$src"/eh_*.wast; do
    json="$tmp/$(basename "$wast" .wast).json"
    if ! wast2json --enable-exceptions "$wast" -o "$json"; then
        echo "FAIL: wast2json $wast"
        status=1
        continue
    fi
    out=$("$ward" wast -v --exceptions "$json")
    echo "$out"
    echo "$out" | tail -1 | grep -Eq '^[1-9][0-9]* passed, 0 failed' || status=1
done

# `ward run` has exceptions on: a caught throw runs, an uncaught one is a
# trap (exit status 134) that names itself and the throwing function.
cat >"$tmp/run.wat" <<'WAT'
(module
  (tag $e (param i32))
  (func $thrower (param i32) (result i32) (throw $e (local.get 0)))
  (func (export "caught") (param i32) (result i32)
    (try (result i32) (do (call $thrower (local.get 0))) (catch $e (i32.const 1) (i32.add))))
  (func (export "uncaught") (param i32) (result i32) (call $thrower (local.get 0))))
WAT
if wat2wasm --enable-exceptions --debug-names "$tmp/run.wat" -o "$tmp/run.wasm"; then
    out=$("$ward" run --invoke caught "$tmp/run.wasm" 41 2>&1)
    [ "$out" = 42 ] && echo "ok   ward run: caught" || { echo "FAIL: ward run caught: $out"; status=1; }
    out=$("$ward" run --invoke uncaught "$tmp/run.wasm" 1 2>&1)
    rc=$?
    if [ "$rc" -eq 134 ] && echo "$out" | grep -q '^trap: uncaught exception in function 0 <thrower>'; then
        echo "ok   ward run: uncaught exception is a trap"
    else
        echo "FAIL: ward run uncaught: status $rc: $out"
        status=1
    fi
else
    echo "FAIL: wat2wasm --enable-exceptions"
    status=1
fi
exit $status
