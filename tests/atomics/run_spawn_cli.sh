#!/usr/bin/env bash
# `ward run` on wasi-threads modules: --max-threads (the cap, its edges and
# its refusals) and the end-of-program race through the CLI.  Usage:
# run_spawn_cli.sh WARD DIR (DIR holds spawn_cap.wasm and spawn_race.wasm).
# Prints "wasi_threads_cli: N passed, N failed".
set -u
ward=$1
dir=$2
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*" >&2; }

# name, wanted status, wanted stdout (exact), ward run arguments...
check() {
    local out status
    out=$(timeout 120 "$ward" run "${@:4}" 2>/tmp/spawn_cli_err.$$)
    status=$?
    if [ "$status" -eq "$2" ] && [ "$out" = "$3" ]; then
        ok
    else
        bad "$1: status $status (want $2), stdout: $(printf '%s' "$out" | tr '\n' ' ')(want $(printf '%s' "$3" | tr '\n' ' ')) stderr: $(cat /tmp/spawn_cli_err.$$)"
    fi
}

# An invalid value is named on stderr with exit status 126 (could not run).
refused() { # value
    local err
    err=$(timeout 60 "$ward" run --max-threads "$1" --invoke spawn_n "$dir/spawn_cap.wasm" 1 2>&1 >/dev/null)
    if [ $? -eq 126 ] && printf '%s\n' "$err" | grep -q -- "--max-threads"; then ok; else bad "--max-threads '$1' accepted: $err"; fi
}

cap=$dir/spawn_cap.wasm
# spawn_n prints the spawns accepted and the first refusal (-6, WASI EAGAIN)
check "cap 3" 0 $'3\n-6' --max-threads 3 --invoke spawn_n "$cap" 10
check "cap 1 (--opt=VALUE)" 0 $'1\n-6' --max-threads=1 --invoke spawn_n "$cap" 10
check "under the cap" 0 $'5\n0' --max-threads 5 --invoke spawn_n "$cap" 5
check "cap 4294967295" 0 $'50\n0' --max-threads 4294967295 --invoke spawn_n "$cap" 50
check "cap 1, one thread after another" 0 "20" --max-threads 1 --invoke one_after_another "$cap" 20
refused 0
refused 4294967296
refused -1
refused 12abc
refused ""
# 1000 spawns under the default cap (64): refused past it, and the run ends
start=$(date +%s%N)
check "default cap, 1000 spawns" 0 $'64\n-6' --invoke spawn_n "$cap" 1000
echo "1000 spawns under the default cap: $((($(date +%s%N) - start) / 1000000)) ms"

# Host threads running out (pthread_create fails: 1 GiB stacks under a
# 4 GiB address-space limit) is a refusal too, not a crash.  Sanitizer
# runtimes cannot start under such a limit: then this check cannot run.
if (ulimit -s 1048576 && ulimit -v 4194304 && "$ward" validate "$cap") >/dev/null 2>&1; then
    out=$( (ulimit -s 1048576 && ulimit -v 4194304 &&
        timeout 120 "$ward" run --max-threads 1000 --invoke spawn_n "$cap" 1000) 2>&1)
    status=$?
    accepted=$(printf '%s\n' "$out" | sed -n 1p)
    refusal=$(printf '%s\n' "$out" | sed -n 2p)
    if [ "$status" -eq 0 ] && [ "$accepted" -lt 1000 ] 2>/dev/null && [ "$refusal" = "-6" ]; then
        ok
        echo "no host threads left: $accepted spawns accepted, then $refusal"
    else
        bad "no host threads left: status $status, output: $out"
    fi
else
    echo "note: this build cannot start under ulimit -v; the pthread_create failure check did not run"
fi

# The end-of-program race (issue 11, defect 4) through the CLI: each run
# must end, with no thread claiming the end.
for i in 1 2 3; do
    check "race run $i" 0 "" "$dir/spawn_race.wasm"
done

rm -f /tmp/spawn_cli_err.$$
echo "wasi_threads_cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
