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
exit $status
