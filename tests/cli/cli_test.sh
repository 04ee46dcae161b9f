#!/usr/bin/env bash
# End-to-end tests of the ward binary: run/--invoke/validate/wast, exit
# codes, argument parsing, result printing, traps, fuel.
#   cli_test.sh WARD WASM_DIR SOURCE_DIR
# WASM_DIR holds the .wasm files meson built from SOURCE_DIR's .wat files.
set -u
ward=$1
wasm=$2
src=$3
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass() { passed=$((passed + 1)); }
fail() {
    failed=$((failed + 1))
    echo "FAIL: $*"
}

# Run ward with the given arguments; sets $out, $err and $status.
run_ward() {
    out=$("$ward" "$@" 2>"$tmp/stderr")
    status=$?
    err=$(cat "$tmp/stderr")
}

# expect_out STATUS STDOUT ARGS...: exit status and exact stdout.
expect_out() {
    local want_status=$1 want_out=$2
    shift 2
    run_ward "$@"
    [ "$status" -eq "$want_status" ] && pass || fail "ward $*: status $status, expected $want_status (stderr: $err)"
    [ "$out" = "$want_out" ] && pass || fail "ward $*: stdout '$out', expected '$want_out'"
}

# expect_err STATUS REGEX ARGS...: exit status, and stderr matches REGEX.
expect_err() {
    local want_status=$1 regex=$2
    shift 2
    run_ward "$@"
    [ "$status" -eq "$want_status" ] && pass || fail "ward $*: status $status, expected $want_status"
    printf '%s\n' "$err" | grep -Eq -- "$regex" && pass || fail "ward $*: stderr '$err' lacks /$regex/"
}

calc="$wasm/calc.wasm"

# ---- general ---------------------------------------------------------------
run_ward --version
[ "$status" -eq 0 ] && printf '%s\n' "$out" | grep -Eq '^ward [0-9]+\.[0-9]+\.[0-9]+$' && pass ||
    fail "--version: status $status, prints '$out'"
run_ward --help
[ "$status" -eq 0 ] && printf '%s\n' "$out" | grep -q 'ward run' && pass || fail "--help: status $status"
expect_err 2 'usage'
expect_err 126 '^ward: no command or file named "frobnicate" \(try ward --help\)$' frobnicate
expect_err 126 'usage' run
expect_err 126 'cannot open' run "$tmp/missing.wasm"

# Options: "--opt=V" as well as "--opt V", "--" ends them (as in wasmtime), and
# a wrong one is named.
expect_out 0 5 run --invoke=add "$calc" 2 3
expect_out 0 5 run --invoke add -- "$calc" 2 3
expect_err 126 '^ward run: unknown option --bogus \(try ward run --help\)$' run --bogus "$calc"
expect_err 126 '^ward run: unknown option --fuels \(try ward run --help\)$' run --fuels=5 "$calc"
expect_err 126 '^ward run: --fuel needs a value$' run --fuel
expect_err 126 "^ward run: invalid value for --fuel: 'x'\$" run --fuel x "$calc"
expect_err 126 '^ward run: --stats takes no value$' run --stats=1 "$calc"
# run is the default command: a .wasm file or a run option first.
expect_out 0 5 --invoke add "$calc" 2 3
expect_out 0 1 --invoke=started "$wasm/start.wasm"
expect_err 134 '^trap: unreachable' "$wasm/trap_start.wasm"

# ---- integers --------------------------------------------------------------
expect_out 0 5 run --invoke add "$calc" 2 3
expect_out 0 -2147483648 run --invoke add "$calc" 0x7fffffff 1
expect_out 0 -1 run --invoke add "$calc" 4294967295 0
expect_out 0 -2147483648 run --invoke add "$calc" -2147483648 0
expect_out 0 -9223372036854775808 run --invoke add64 "$calc" 9223372036854775807 1
expect_out 0 1 run --invoke add64 "$calc" 0xffffffffffffffff 2
expect_err 126 'not a valid i32' run --invoke add "$calc" 4294967296 0
expect_err 126 'not a valid i32' run --invoke add "$calc" -2147483649 0
expect_err 126 'not a valid i32' run --invoke add "$calc" abc 1
expect_err 126 'not a valid i32' run --invoke add "$calc" 1.5 1
expect_err 126 'takes 2 argument' run --invoke add "$calc" 1

# ---- floats: shortest round-trip form --------------------------------------
expect_out 0 0.3 run --invoke fadd32 "$calc" 0.1 0.2
expect_out 0 0.3333333333333333 run --invoke fdiv64 "$calc" 1 3
expect_out 0 inf run --invoke fdiv64 "$calc" 1 0
expect_out 0 -inf run --invoke fdiv64 "$calc" -1 0
expect_out 0 -0 run --invoke fdiv64 "$calc" -0 1
expect_out 0 1e+300 run --invoke fdiv64 "$calc" 1e300 1
expect_out 0 16777216 run --invoke fadd32 "$calc" 16777216 1
expect_out 0 inf run --invoke fadd32 "$calc" inf 1
expect_out 0 2.5 run --invoke fadd32 "$calc" 0x1p1 0.5
run_ward run --invoke fdiv64 "$calc" 0 0
[ "$status" -eq 0 ] && printf '%s\n' "$out" | grep -Eq '^-?nan$' && pass || fail "0/0 printed '$out'"
run_ward run --invoke fadd32 "$calc" nan 1
[ "$status" -eq 0 ] && printf '%s\n' "$out" | grep -Eq '^-?nan$' && pass || fail "nan+1 printed '$out'"
# --deterministic: NaN results are the canonical (positive) NaN
expect_out 0 nan run --deterministic --invoke fdiv64 "$calc" 0 0
expect_out 0 nan run --deterministic --invoke fadd32 "$calc" -nan 1

# ---- results ---------------------------------------------------------------
expect_out 0 "$(printf -- '-8\n7')" run --invoke swap "$calc" 7 -8
expect_out 0 "" run --invoke nothing "$calc"
expect_err 126 'no exported function "nope"' run --invoke nope "$calc"

# ---- traps: message, function, offset, backtrace ----------------------------
expect_err 134 '^trap: integer divide by zero in function 2 <div> at offset 0x[0-9a-f]+$' \
    run --invoke div "$calc" 1 0
expect_err 134 '^trap: integer divide by zero in function 10 <inner> at offset 0x[0-9a-f]+$' \
    run --invoke outer "$calc" 0
printf '%s\n' "$err" | grep -Eq '^  #1 function 11 <outer> at offset 0x[0-9a-f]+$' && pass ||
    fail "backtrace lacks the caller: '$err'"
printf '%s\n' "$err" | grep -q 'more frames' && fail "a whole backtrace says frames were left out: '$err'" || pass
expect_err 134 '^trap: call stack exhausted' run --invoke recurse "$calc" 0
# A backtrace cut at 16 frames says how many it left out: 100 frames deep.
expect_err 134 '^  \.\.\. 84 more frames$' run --max-stack 100 --invoke recurse "$calc" 0
printf '%s\n' "$err" | grep -Eq '^  #15 function 9 <recurse>' && pass || fail "backtrace lacks frame 15: '$err'"
expect_out 0 2147483647 run --invoke div "$calc" 2147483647 1

# ---- fuel ------------------------------------------------------------------
expect_err 134 '^trap: out of fuel' run --fuel 1000 --invoke forever "$calc"
expect_err 126 'usage' run --fuel lots --invoke forever "$calc"
run_ward run --stats --invoke spin "$calc" 100
used100=$(printf '%s\n' "$err" | sed -n 's/^fuel consumed: \([0-9]*\)$/\1/p')
run_ward run --stats --invoke spin "$calc" 200
used200=$(printf '%s\n' "$err" | sed -n 's/^fuel consumed: \([0-9]*\)$/\1/p')
if [ -n "$used100" ] && [ -n "$used200" ]; then
    pass
    # One loop iteration is 8 instructions (9 if `loop` itself is charged).
    per_iteration=$(((used200 - used100) / 100))
    [ $((used200 - used100)) -eq $((per_iteration * 100)) ] && [ "$per_iteration" -ge 8 ] &&
        [ "$per_iteration" -le 9 ] && pass || fail "fuel for 100 iterations: $((used200 - used100))"
    # Exactly the fuel the call needs is enough; one less is not.
    expect_out 0 0 run --fuel "$used100" --invoke spin "$calc" 100
    expect_err 134 '^trap: out of fuel' run --fuel $((used100 - 1)) --invoke spin "$calc" 100
else
    fail "--stats printed no fuel count: '$err'"
fi

# ---- --tcplisten ADDR:PORT ---------------------------------------------------
# The port is decimal digits, 0..65535 (99999 listened on a random port), and
# a failure to listen gives the real reason (it printed "Success").
for port in 99999 65536 -1 +80 0x50 http "" " 80" 1e3; do
    expect_err 126 "^ward run: invalid value for --tcplisten: '127\.0\.0\.1:$(printf '%s' "$port" | sed 's/[+.]/\\&/g')'\$" \
        run --tcplisten "127.0.0.1:$port" --invoke add "$calc" 1 2
done
if command -v wat2wasm >/dev/null; then
    cat >"$tmp/wasi_exit.wat" <<'WAT'
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start") (call $exit (i32.const 0))))
WAT
    if wat2wasm "$tmp/wasi_exit.wat" -o "$tmp/wasi_exit.wasm"; then
        expect_out 0 "" run --tcplisten 127.0.0.1:0 "$tmp/wasi_exit.wasm"
        expect_err 126 '^ward: cannot listen on 999\.1\.1\.1:80: .' run --tcplisten 999.1.1.1:80 "$tmp/wasi_exit.wasm"
        printf '%s\n' "$err" | grep -q 'Success' && fail "--tcplisten 999.1.1.1:80: '$err'" || pass
    else
        fail "wat2wasm could not assemble wasi_exit.wat"
    fi
fi

# ---- start function and _start ----------------------------------------------
expect_out 0 "" run "$wasm/start.wasm"
expect_out 0 1 run --invoke started "$wasm/start.wasm"
expect_err 134 '^trap: unreachable in function 0 <boom> at offset 0x[0-9a-f]+$' run "$wasm/trap_start.wasm"
expect_err 134 '^trap: unreachable' run "$wasm/trap_in_start.wasm"
expect_err 126 'instantiation failed' run "$wasm/imports.wasm"
expect_err 126 'need --invoke' run "$wasm/start.wasm" 1 2

# ---- validate ----------------------------------------------------------------
expect_out 0 OK validate "$calc"
expect_err 2 "invalid.wasm: ." validate "$wasm/invalid.wasm"
printf '\0asm\1\0\0\0\1' >"$tmp/truncated.wasm"
expect_err 2 "truncated.wasm: ." validate "$tmp/truncated.wasm"
printf 'not wasm' >"$tmp/junk.wasm"
expect_err 126 "junk.wasm: ." run "$tmp/junk.wasm"
# validate accepts what run runs: shared memory + atomics, legacy exceptions and
# extended constant expressions (it rejected them before: regression).
if command -v wat2wasm >/dev/null; then
    cat >"$tmp/features.wat" <<'WAT'
(module
  (memory 1 1 shared)
  (global $end i32 (i32.add (i32.const 8) (i32.const 4)))
  (tag $oops (param i32))
  (func (export "f") (result i32)
    (try (result i32)
      (do (throw $oops (i32.atomic.rmw.add (i32.const 0) (i32.const 1))))
      (catch $oops))))
WAT
    if wat2wasm --enable-threads --enable-exceptions --enable-extended-const \
        "$tmp/features.wat" -o "$tmp/features.wasm"; then
        expect_out 0 OK validate "$tmp/features.wasm"
        expect_out 0 0 run --invoke f "$tmp/features.wasm"
    else
        fail "wat2wasm could not assemble features.wat"
    fi
fi

# ---- wast: the spec-test runner ------------------------------------------------
# The summary line of a `ward wast` run: "N passed, N failed, N skipped".
total_line() { printf '%s\n' "$out" | tail -n 1; }

# The same scripts read as .wast by ward's own text parser (no wast2json):
# the quoted assert_malformed module the JSON run skips is tested too.
run_ward wast "$src/runner_pass.wast"
[ "$status" -eq 0 ] && pass || fail "wast runner_pass.wast: status $status"
[ "$(total_line)" = "19 passed, 0 failed, 0 skipped" ] && pass || fail "wast runner_pass.wast: $out"
run_ward wast -v "$src/runner_fail.wast"
[ "$status" -eq 1 ] && pass || fail "wast runner_fail.wast: status $status"
[ "$(total_line)" = "0 passed, 11 failed, 0 skipped" ] && pass || fail "wast runner_fail.wast: $out"
printf '%s\n' "$out" | grep -q 'runner_fail.wast:6: assert_return "one": expected (i32 2' && pass ||
    fail "wast -v runner_fail.wast lacks the line-6 failure: $out"

if command -v wast2json >/dev/null; then
    (cd "$tmp" && wast2json "$src/runner_pass.wast" -o pass.json && wast2json "$src/runner_fail.wast" -o fail.json)
    run_ward wast "$tmp/pass.json"
    [ "$status" -eq 0 ] && pass || fail "wast pass.json: status $status"
    [ "$(total_line)" = "18 passed, 0 failed, 1 skipped" ] && pass || fail "wast pass.json: $out"
    run_ward wast -v "$tmp/fail.json"
    [ "$status" -eq 1 ] && pass || fail "wast fail.json: status $status"
    [ "$(total_line)" = "0 passed, 11 failed, 0 skipped" ] && pass || fail "wast fail.json: $out"
    # -v names each failure with its .wast line; line 6 is the wrong assert_return.
    printf '%s\n' "$out" | grep -q 'runner_fail.wast:6: assert_return "one": expected (i32 2' && pass ||
        fail "wast -v lacks the line-6 failure: $out"
    [ "$(printf '%s\n' "$out" | grep -c 'runner_fail.wast:[0-9]*: ')" -eq 11 ] && pass || fail "wast -v lines: $out"

    # A hand-written script with broken references: every one is a counted
    # failure, and the runner keeps going (the last assertion passes).
    cat >"$tmp/edge.json" <<'EOF'
{"commands": [
  {"type": "module", "line": 1, "filename": "no-such-file.wasm"},
  {"type": "assert_return", "line": 2, "action": {"type": "invoke", "field": "one", "args": []}, "expected": []},
  {"type": "module", "line": 3, "filename": "fail.0.wasm"},
  {"type": "assert_return", "line": 4, "action": {"type": "invoke", "field": "missing", "args": []}, "expected": []},
  {"type": "assert_return", "line": 5, "action": {"type": "invoke", "field": "one", "args": []}, "expected": [{"type": "f32", "value": "1065353216"}]},
  {"type": "assert_return", "line": 6, "action": {"type": "invoke", "field": "one", "args": []}, "expected": [{"type": "i32", "value": "one"}]},
  {"type": "assert_return", "line": 7, "action": {"type": "invoke", "field": "one", "args": [{"type": "i32", "value": "1"}]}, "expected": [{"type": "i32", "value": "1"}]},
  {"type": "assert_return", "line": 8, "action": {"type": "invoke", "field": "one", "args": []}, "expected": [{"type": "i32", "value": "1"}, {"type": "i32", "value": "1"}]},
  {"type": "assert_return", "line": 9, "action": {"type": "invoke", "module": "$Nope", "field": "one", "args": []}, "expected": []},
  {"type": "frobnicate", "line": 10},
  {"type": "register", "line": 11},
  {"type": "assert_return", "line": 12, "action": {"type": "invoke", "field": "one", "args": []}, "expected": [{"type": "i32", "value": "1"}]}
]}
EOF
    run_ward wast "$tmp/edge.json"
    [ "$status" -eq 1 ] && pass || fail "wast edge.json: status $status"
    [ "$(total_line)" = "1 passed, 10 failed, 0 skipped" ] && pass || fail "wast edge.json: $out"
    printf '{"commands": [' >"$tmp/broken.json"
    run_ward wast "$tmp/missing.json" "$tmp/broken.json" "$tmp/pass.json"
    [ "$status" -eq 1 ] && pass || fail "wast missing+broken: status $status"
    [ "$(total_line)" = "18 passed, 2 failed, 1 skipped" ] && pass || fail "wast missing+broken: $out"
    expect_err 2 'usage' wast
else
    fail "wast2json is not installed: the wast runner tests cannot run"
fi

# ---- limits ------------------------------------------------------------------
limits="$wasm/limits.wasm"
expect_err 134 '^trap: timeout' run --timeout 100 --invoke spin "$limits"
expect_err 134 '^trap: call stack exhausted' run --max-stack 100 --invoke recurse "$limits"
expect_err 134 '^trap: call stack exhausted' run --invoke recurse "$limits"
expect_out 0 16 run --max-memory 1048576 --invoke bomb "$limits"
expect_err 134 '^trap: out of fuel' run --fuel 100000 --invoke spin "$limits"
expect_err 126 'usage' run --timeout 0 --invoke spin "$limits"
expect_err 126 'usage' run --max-memory abc --invoke bomb "$limits"

# ---- numeric options at their edges (issue 11) --------------------------------
# Each one at 0, 1, its maximum and one past it: it works as documented
# (docs/limits.md: values above ward's own maxima are clamped) or is refused
# naming the option; nothing wraps.
deep="$wasm/deep.wasm"
u32max=4294967295
u64max=18446744073709551615
u64over=18446744073709551616
refused() { expect_err 126 "^ward run: invalid value for $1: '$2'\$" run "$1" "$2" --invoke r "$deep" 1; }

# Defect 1: the frame count max_depth + entry frames wrapped in 32 bits, and
# the guest wrote past the frames array (corrupted heap at depth 70,
# SIGSEGV at 100000).  UINT32_MAX now means "as deep as ward allows".
expect_out 0 70 run --max-stack 4294967295 --invoke r "$deep" 70
expect_out 0 100000 run --max-stack 4294967295 --invoke r "$deep" 100000
expect_err 134 '^trap: call stack exhausted' run --max-stack $u32max --invoke recurse "$limits"
refused --max-stack 0
expect_out 0 0 run --max-stack 1 --invoke r "$deep" 0
expect_err 134 '^trap: call stack exhausted' run --max-stack 1 --invoke r "$deep" 1
expect_out 0 1000 run --max-stack 1001 --invoke r "$deep" 1000
expect_err 134 '^trap: call stack exhausted' run --max-stack 1000 --invoke r "$deep" 1000
# the implementation maximum (1,000,000 frames) and one past it (clamped)
expect_out 0 200000 run --max-stack 1000000 --invoke r "$deep" 200000
expect_out 0 200000 run --max-stack 1000001 --invoke r "$deep" 200000
refused --max-stack 4294967296
refused --max-stack $u64over

# Defect 6: a timeout near UINT64_MAX ms overflowed the deadline and
# trapped at once; it saturates now.
expect_out 0 70 run --timeout 18446744073709 --invoke r "$deep" 70
expect_out 0 70 run --timeout $u64max --invoke r "$deep" 70
expect_err 134 '^trap: timeout' run --timeout 1 --invoke spin "$limits"
refused --timeout 0
refused --timeout $u64over

expect_err 134 '^trap: out of fuel' run --fuel 0 --invoke r "$deep" 0
expect_err 134 '^trap: out of fuel' run --fuel 1 --invoke r "$deep" 0
expect_out 0 70 run --fuel $u64max --invoke r "$deep" 70
refused --fuel $u64over
refused --fuel -1

# --max-memory rounds down to pages and clamps at 4 GiB (65536 pages).
refused --max-memory 0
expect_err 126 'memory minimum exceeds the configured limit' run --max-memory 1 --invoke bomb "$limits"
expect_out 0 1 run --max-memory 65536 --invoke bomb "$limits"
expect_out 0 65536 run --max-memory 4294967296 --invoke bomb "$limits"
expect_out 0 65536 run --max-memory 4294967297 --invoke bomb "$limits"
expect_out 0 65536 run --max-memory $u64max --invoke bomb "$limits"
refused --max-memory $u64over

# Load limits: the size of the binary, its functions, its translated code.
deep_size=$(wc -c <"$deep")
refused --max-module-bytes 0
expect_err 126 "module is $deep_size bytes, over the configured limit of 1 \(ward_config.max_module_bytes\)" \
    run --max-module-bytes 1 --invoke r "$deep" 1
expect_err 126 "over the configured limit of $((deep_size - 1))" run --max-module-bytes $((deep_size - 1)) --invoke r "$deep" 1
expect_out 0 1 run --max-module-bytes "$deep_size" --invoke r "$deep" 1
expect_out 0 1 run --max-module-bytes $u32max --invoke r "$deep" 1
expect_out 0 1 run --max-module-bytes 4294967296 --invoke r "$deep" 1
expect_out 0 1 run --max-module-bytes $u64max --invoke r "$deep" 1
refused --max-module-bytes $u64over

refused --max-functions 0
expect_out 0 1 run --max-functions 1 --invoke r "$deep" 1
expect_err 126 'module has [0-9]+ functions, over the configured limit of 1 \(ward_config.max_functions\)' \
    run --max-functions 1 --invoke add "$calc" 1 2
expect_out 0 3 run --max-functions $u32max --invoke add "$calc" 1 2
refused --max-functions 4294967296
refused --max-functions $u64over

refused --max-code-bytes 0
# code is translated on a function's first call: past the limit that call traps
expect_err 134 'translated code passes the configured limit \(ward_config.max_code_bytes\)' \
    run --max-code-bytes 1 --invoke r "$deep" 1
expect_out 0 1 run --max-code-bytes 100000 --invoke r "$deep" 1
expect_out 0 1 run --max-code-bytes $u64max --invoke r "$deep" 1
refused --max-code-bytes $u64over

# ---- issue 16: the CLI as wasmtime's users expect ----------------------------
# Help: every option of run is documented, in ward --help and ward run --help;
# every command answers --help and -h on stdout with status 0.
run_ward --help
for opt in --timeout --max-memory --max-stack --deterministic --argv0 --invoke --env --inherit-env \
    --trap-unknown-imports --default-values-unknown-imports --fuel --dir; do
    printf '%s\n' "$out" | grep -q -- "^  $opt\b" && pass || fail "ward --help does not document $opt"
done
printf '%s\n' "$out" | grep -q '134 a trap' && pass || fail "ward --help lacks the exit statuses"
# (every command this build has: the ones ward --help lists)
commands=$(printf '%s\n' "$out" | sed -n 's/^  ward \([a-z][a-z]*\) .*/\1/p' | sort -u)
[ "$(printf '%s\n' "$commands" | wc -l)" -ge 3 ] && pass || fail "ward --help lists commands: '$commands'"
for cmd in $commands; do
    for h in --help -h; do
        run_ward "$cmd" "$h"
        [ "$status" -eq 0 ] && printf '%s\n' "$out" | grep -q "ward $cmd" && pass ||
            fail "ward $cmd $h: status $status, stdout '$out'"
    done
done
run_ward run --help
printf '%s\n' "$out" | grep -q -- '^  --max-stack FRAMES$' && pass || fail "ward run --help lacks --max-stack"
run_ward -h
[ "$status" -eq 0 ] && printf '%s\n' "$out" | grep -q 'ward run' && pass || fail "-h: status $status"
run_ward -V
[ "$status" -eq 0 ] && printf '%s\n' "$out" | grep -Eq '^ward [0-9]+\.[0-9]+\.[0-9]+$' && pass || fail "-V: '$out'"
expect_err 2 '^ward: unknown option -x \(try ward --help\)$' -x

# run may be left out for any file, whatever its name.
cp "$calc" "$tmp/calcmod"
expect_out 0 5 --invoke add "$tmp/calcmod" 2 3
cp "$calc" "$tmp/run"
expect_out 0 7 run --invoke add "$tmp/run" 3 4

# Exit statuses: a trap is 134 (wasmtime's 128 + SIGABRT), a module that
# cannot be run 126, a guest's exit(N) is N (0..125), so each is told apart.
if command -v wat2wasm >/dev/null; then
    cat >"$tmp/exit_n.wat" <<'WAT'
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; exit with the argument count minus one: ward run exit_n.wasm a b -> exit(2)
  (func (export "_start")
    (drop (call $sizes (i32.const 0) (i32.const 4)))
    (call $exit (i32.sub (i32.load (i32.const 0)) (i32.const 1))))
  (func (export "exit_with") (param i32) (call $exit (local.get 0))))
WAT
    cat >"$tmp/reactor.wat" <<'WAT'
(module
  (global $ready (mut i32) (i32.const 0))
  (func (export "_initialize") (global.set $ready (i32.const 41)))
  (func (export "answer") (result i32) (i32.add (global.get $ready) (i32.const 1))))
WAT
    cat >"$tmp/library.wat" <<'WAT'
(module
  (func (export "fib") (param i32) (result i32) (local.get 0))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
WAT
    cat >"$tmp/reactor_trap.wat" <<'WAT'
(module
  (func (export "_initialize") unreachable)
  (func (export "f") (result i32) (i32.const 1)))
WAT
    cat >"$tmp/start_only.wat" <<'WAT'
(module
  (func $s)
  (start $s))
WAT
    cat >"$tmp/unknown.wat" <<'WAT'
(module
  (import "env" "f" (func $f (param i32) (result i32)))
  (import "env" "g" (func $g (result i64 f32)))
  (import "env" "counter" (global $c (mut i32)))
  (import "env" "mem" (memory 1 2))
  (import "env" "tab" (table 3 funcref))
  (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
  (func (export "call_f") (result i32) (call $f (i32.const 7)))
  (func (export "call_g") (result f32) (local f32) (call $g) (local.set 0) (drop) (local.get 0))
  (func (export "state") (result i32)
    (i32.add (i32.add (global.get $c) (memory.size)) (i32.add (table.size 0) (call $yield))))
  (func (export "ok") (result i32) (i32.const 5)))
WAT
    cat >"$tmp/unknown_func.wat" <<'WAT'
(module
  (import "env" "f" (func $f (param i32) (result i32)))
  (func (export "call_f") (result i32) (call $f (i32.const 7)))
  (func (export "ok") (result i32) (i32.const 5)))
WAT
    cat >"$tmp/unstable_exit.wat" <<'WAT'
(module
  (import "wasi_unstable" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start") (call $exit (i32.const 9))))
WAT
    cat >"$tmp/unstable_accept.wat" <<'WAT'
(module
  (import "wasi_unstable" "sock_accept" (func (param i32 i32 i32) (result i32)))
  (func (export "_start")))
WAT
    ok_wat=true
    for m in exit_n reactor library reactor_trap start_only unknown unknown_func unstable_exit unstable_accept; do
        wat2wasm "$tmp/$m.wat" -o "$tmp/$m.wasm" || ok_wat=false
    done
    if $ok_wat; then
        expect_out 0 "" run "$tmp/exit_n.wasm"
        expect_out 1 "" run "$tmp/exit_n.wasm" a
        expect_out 2 "" run "$tmp/exit_n.wasm" a b
        expect_out 125 "" run --invoke exit_with "$tmp/exit_n.wasm" 125
        # statuses from 126 up are ward's: a guest cannot pass for a trap
        expect_err 134 "^ward: the program exited with status 134, outside WASI's 0\.\.125$" \
            run --invoke exit_with "$tmp/exit_n.wasm" 134
        expect_err 134 "status 4294967295, outside" run --invoke exit_with "$tmp/exit_n.wasm" -1
        expect_err 134 '^trap: unreachable' "$wasm/trap_start.wasm"
        expect_err 126 'cannot open' run "$tmp/missing.wasm"
        expect_err 126 'instantiation failed' run "$wasm/imports.wasm"

        # wasi_unstable (the older snapshot) is WASI too, without sock_accept.
        expect_out 9 "" run "$tmp/unstable_exit.wasm"
        expect_err 126 'unknown import wasi_unstable\.sock_accept' run "$tmp/unstable_accept.wasm"

        # Reactors: _initialize runs before --invoke; alone when there is no _start.
        expect_out 0 42 run --invoke answer "$tmp/reactor.wasm"
        expect_err 0 '^ward: .*reactor\.wasm exports no _start function \(its _initialize ran\); call an export with --invoke NAME: answer$' \
            run "$tmp/reactor.wasm"
        expect_err 134 '^trap: unreachable' run --invoke f "$tmp/reactor_trap.wasm"
        # Neither _start nor --invoke: said, with what there is to call.
        expect_err 126 '^ward: .*library\.wasm exports no _start function and has nothing else to run; call an export with --invoke NAME: fib, add$' \
            run "$tmp/library.wasm"
        expect_err 0 'exports no _start function \(its start function ran\)' run "$tmp/start_only.wasm"
        expect_err 126 '^ward: no exported function "nope": fib, add$' run --invoke nope "$tmp/library.wasm"

        # Unknown imports: a link error by default; traps (functions only) or
        # default values (every kind) on request.
        expect_err 126 'unknown import' run --invoke ok "$tmp/unknown_func.wasm"
        expect_out 0 5 run --trap-unknown-imports --invoke ok "$tmp/unknown_func.wasm"
        expect_err 134 '^trap: unknown import: `env::f` has not been defined' \
            run --trap-unknown-imports --invoke call_f "$tmp/unknown_func.wasm"
        expect_err 126 'unknown import' run --trap-unknown-imports --invoke ok "$tmp/unknown.wasm"
        expect_out 0 0 run --default-values-unknown-imports --invoke call_f "$tmp/unknown.wasm"
        expect_out 0 0 run --default-values-unknown-imports --invoke call_g "$tmp/unknown.wasm"
        # global 0 + 1 page + 3 elements + sched_yield's 0: the WASI import is the real one
        expect_out 0 4 run --default-values-unknown-imports --invoke state "$tmp/unknown.wasm"
        # a memory64 import gets an i64 memory of its minimum (ward reads the .wat itself)
        printf '(module (import "env" "m" (memory i64 2)) (func (export "size") (result i64) (memory.size)))' \
            >"$tmp/unknown_mem64.wat"
        expect_out 0 2 run --default-values-unknown-imports --invoke size "$tmp/unknown_mem64.wat"
        expect_err 126 '^ward run: --trap-unknown-imports given twice$' \
            run --trap-unknown-imports --trap-unknown-imports --invoke ok "$tmp/unknown_func.wasm"
    else
        fail "wat2wasm could not assemble the issue-16 modules"
    fi
fi

# --invoke or another single option twice is an error, not the last one silently.
expect_err 126 '^ward run: --invoke given twice$' run --invoke add --invoke sub "$calc" 1 2
expect_err 126 '^ward run: --fuel given twice$' run --fuel 10 --fuel=20 --invoke add "$calc" 1 2
# --dir: "host:guest" gets a hint about "::"; the same guest directory twice is refused.
mkdir -p "$tmp/d1" "$tmp/d2" "$tmp/with:colon"
expect_err 126 "^ward run: --dir $tmp/d1:/sandbox: no such directory \(to give it another name in the guest, write HOST::GUEST with two colons\)$" \
    run --dir "$tmp/d1:/sandbox" --invoke add "$calc" 1 2
expect_err 126 '^ward run: --dir .*: given twice' run --dir "$tmp/d1" --dir "$tmp/d1" --invoke add "$calc" 1 2
expect_err 126 '^ward run: --dir .*: given twice' run --dir "$tmp/d1::/x" --dir "$tmp/d2::/x" --invoke add "$calc" 1 2
expect_out 0 3 run --dir "$tmp/d1::/x" --dir "$tmp/d2::/y" --invoke add "$calc" 1 2
expect_out 0 3 run --dir "$tmp/with:colon" --invoke add "$calc" 1 2

# --timeout takes a unit.
expect_err 134 '^trap: timeout' run --timeout 100ms --invoke spin "$wasm/limits.wasm"
expect_err 134 '^trap: timeout' run --timeout=1s --invoke spin "$wasm/limits.wasm"
expect_out 0 3 run --timeout 1m --invoke add "$calc" 1 2
for bad in 5h 1.5s s ms -1s 0s 0ms 307445734561825861m; do
    expect_err 126 "^ward run: (invalid value for --timeout: '$bad'|--timeout $bad: a time is)" run --timeout "$bad" --invoke add "$calc" 1 2
done

# ward wast says why a script cannot run, without -v.
run_ward wast "$tmp/nonexist.json"
[ "$status" -eq 1 ] && printf '%s\n' "$err" | grep -q "^ward wast: cannot open $tmp/nonexist.json: No such file" && pass ||
    fail "wast nonexist.json: status $status, stderr '$err'"
printf 'not json' >"$tmp/notjson.json"
run_ward wast "$tmp/notjson.json"
printf '%s\n' "$err" | grep -q "^ward wast: $tmp/notjson.json: not valid JSON$" && pass || fail "wast notjson: '$err'"

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
