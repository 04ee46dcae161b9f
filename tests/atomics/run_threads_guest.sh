#!/usr/bin/env bash
# wasi-threads end to end: `ward run` on the C guest of threads_guest.c and
# its two variants.  Usage: run_threads_guest.sh WARD DIR (DIR holds the
# three .wasm files).  Prints "wasi_threads: N passed, N failed".
set -u
ward=$1
dir=$2
pass=0
fail=0

check() { # name, wanted status, wanted output pattern, file
    local out status
    out=$(timeout 60 "$ward" run "$dir/$4" 2>&1)
    status=$?
    if [ "$status" -eq "$2" ] && printf '%s\n' "$out" | grep -q -- "$3"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $1: status $status (want $2), output:" >&2
        printf '%s\n' "$out" >&2
    fi
}

check "6 threads sum" 0 "^total: 1499692498779$" threads_guest.wasm
lines=$(timeout 60 "$ward" run "$dir/threads_guest.wasm" 2>&1 | grep -c "^thread done$")
if [ "$lines" -eq 6 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $lines thread lines, want 6" >&2; fi
check "proc_exit from a thread" 7 "" threads_guest_exit.wasm
check "trap in a thread" 1 "unreachable" threads_guest_trap.wasm
echo "wasi_threads: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
