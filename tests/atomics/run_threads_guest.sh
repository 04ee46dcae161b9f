#!/usr/bin/env bash
# wasi-threads end to end: `ward run` on the C guest of threads_guest.c and
# its two variants.  Usage: run_threads_guest.sh WARD DIR (DIR holds the
# .wasm files).  Prints "wasi_threads: N passed, N failed".
set -u
ward=$1
dir=$2
pass=0
fail=0

check() { # name, wanted status, wanted output pattern, file, ward run options...
    local out status
    out=$(timeout 60 "$ward" run "${@:5}" "$dir/$4" 2>&1)
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
check "trap in a thread" 134 "unreachable" threads_guest_trap.wasm
# A spawned thread spinning forever while _start waits forever: fuel and
# timeout are per thread, so the spinning thread's own limit ends the program.
check "--fuel stops a spinning thread" 134 "out of fuel" threads_guest_spin.wasm --fuel 20000000
start=$(date +%s%N)
check "--timeout stops a spinning thread" 134 "timeout" threads_guest_spin.wasm --timeout 300
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
if [ "$elapsed_ms" -lt 10000 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: --timeout 300 took $elapsed_ms ms" >&2; fi
# Six threads opening and closing descriptors at once in one WASI context.
files=$(mktemp -d)
check "threads open, write and close files at once" 0 "^total: 1499692498779$" threads_guest_files.wasm --dir "$files::/"
[ "$(cat "$files"/file-*.txt 2>/dev/null | tr -d '\n')" = "file-a.txtfile-b.txtfile-c.txtfile-d.txtfile-e.txtfile-f.txt" ] &&
    pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: the threads' files hold: $(cat "$files"/* 2>&1)" >&2; }
rm -rf "$files"
echo "wasi_threads: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
