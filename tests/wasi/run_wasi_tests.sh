#!/usr/bin/env bash
# Runs the WASI guest programs (built from tests/wasi/*.c) in ward and, when
# node is installed, in node's WASI with the same preopen, comparing stdout
# byte for byte (minus the lines listed in node-differences.txt).
#   run_wasi_tests.sh WARD WASM_DIR SOURCE_DIR
# Prints "wasi: N passed, N failed": every guest check, exit statuses, the
# portable-walk rerun (WARD_WASI_NO_OPENAT2=1) and each node comparison.
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

# A fresh sandbox with escape bait: outside.txt beside it, and symlinks in
# it that point out (made from the host side, so every runtime sees them).
make_sandbox() {
    rm -rf "$tmp/box"
    mkdir -p "$tmp/box/sb/a"
    echo secret >"$tmp/box/outside.txt"
    ln -s ../outside.txt "$tmp/box/sb/out"
    ln -s "$tmp/box/outside.txt" "$tmp/box/sb/abs"
    ln -s .. "$tmp/box/sb/a/up"
    ln -s ../.. "$tmp/box/sb/a/dirup"
}

# The arguments and environment of each program.
program_args() {
    case $1 in
    basic) printf '%s\n' one "two words" "" ;;
    esac
}
program_env() {
    case $1 in
    basic) echo "GREETING=hello=world" ;;
    esac
}
program_status() {
    case $1 in
    basic) echo 10 ;;
    exit) echo 7 ;;
    *) echo 0 ;;
    esac
}

# run_ward NAME OUT [ENV...]: ward with the sandbox, the program's env plus
# ENV; sets $status.
run_ward() {
    local name=$1 out=$2
    shift 2
    local envs=() args=() line
    while IFS= read -r line; do [ -n "$line" ] && envs+=(--env "$line"); done < <(program_env "$name")
    for line in "$@"; do envs+=(--env "$line"); done
    mapfile -t args < <(program_args "$name")
    "$ward" run --dir "$tmp/box/sb::/sandbox" "${envs[@]}" "$wasm/$name.wasm" "${args[@]}" >"$out" 2>"$out.err"
    status=$?
}

run_node() {
    local name=$1 out=$2 args=()
    mapfile -t args < <(program_args "$name")
    WASI_ENV=$(program_env "$name") timeout 60 node --no-warnings "$src/node_wasi.mjs" "$tmp/box/sb" /sandbox \
        "$wasm/$name.wasm" "${args[@]}" >"$out" 2>"$out.err"
    status=$?
}

# Count the guest's own "ok"/"FAIL" lines and check its summary and status.
count_checks() {
    local name=$1 out=$2 label=$3 want_status
    want_status=$(program_status "$name")
    local ok bad
    ok=$(grep -c '^ok ' "$out")
    bad=$(grep -c '^FAIL ' "$out")
    passed=$((passed + ok))
    failed=$((failed + bad))
    grep '^FAIL ' "$out" | sed "s/^/$label: /"
    [ "$status" -eq "$want_status" ] && pass || fail "$label: exit status $status, expected $want_status ($(head -c 300 "$out.err"))"
    if [ "$name" != exit ]; then
        grep -qE "^$name: $ok passed, 0 failed$" "$out" && pass || fail "$label: no clean summary line"
    fi
}

# Drop the known node differences and the summary line (its counts differ
# exactly when a known difference occurs).
comparable() {
    local name=$1 file=$2 pattern
    pattern=$(grep -v '^#' "$src/node-differences.txt" | awk -F'|' -v p="$name" '$1 == p {print $2}' |
        sed 's/[][\.*^$]/\\&/g; s/^/^(ok|FAIL) /; s/$/(:.*)?$/' | paste -sd'|' -)
    grep -vE "^$name: [0-9]+ passed" "$file" | { [ -n "$pattern" ] && grep -vE "$pattern" || cat; }
}

compare_with_node() {
    local name=$1
    make_sandbox
    run_ward "$name" "$tmp/$name.ward"
    make_sandbox
    run_node "$name" "$tmp/$name.node"
    local node_status=$status
    if cmp -s <(comparable "$name" "$tmp/$name.ward") <(comparable "$name" "$tmp/$name.node"); then
        pass
    else
        fail "$name: stdout differs from node's"
        diff <(comparable "$name" "$tmp/$name.ward") <(comparable "$name" "$tmp/$name.node") | head -20
    fi
    [ "$node_status" -eq "$(program_status "$name")" ] || [ "$name" != exit ] ||
        fail "$name: node exit status $node_status"
    # Show which known differences node showed in this run.
    grep -v '^#' "$src/node-differences.txt" | awk -F'|' -v p="$name" '$1 == p' | while IFS='|' read -r _ check why; do
        grep -qF "FAIL $check" "$tmp/$name.node" && echo "  known node difference ($name): $check — $why"
    done
}

programs=(basic files poll exit)
for name in "${programs[@]}"; do
    make_sandbox
    run_ward "$name" "$tmp/$name.out" WARD_STRICT=1
    count_checks "$name" "$tmp/$name.out" "$name"
    # The same sandbox rules through the portable component walk.
    make_sandbox
    WARD_WASI_NO_OPENAT2=1 run_ward "$name" "$tmp/$name.walk" WARD_STRICT=1
    count_checks "$name" "$tmp/$name.walk" "$name (no openat2)"
done

# ward only (node's WASI answers some of these its own way): directory
# descriptors' corners (dirs.c) and the older snapshot wasi_unstable (unstable.c).
for name in dirs unstable; do
    make_sandbox
    run_ward "$name" "$tmp/$name.out"
    count_checks "$name" "$tmp/$name.out" "$name"
    make_sandbox
    WARD_WASI_NO_OPENAT2=1 run_ward "$name" "$tmp/$name.walk"
    count_checks "$name" "$tmp/$name.walk" "$name (no openat2)"
done
grep -q '^hello from wasi_unstable$' "$tmp/unstable.out" && pass || fail "unstable: its fd_write output is missing"

# proc_exit: the code is ward's exit status and nothing after it runs.
[ "$(cat "$tmp/exit.out")" = "before exit" ] && pass || fail "exit: stdout '$(cat "$tmp/exit.out")'"

# --argv0 replaces the guest's argv[0] (multi-call programs pick their tool by it).
"$ward" run --argv0 clang --env WANT_ARGV0=clang --env GREETING=hello=world --dir "$tmp/box/sb::/sandbox" \
    "$wasm/basic.wasm" one "two words" "" >"$tmp/argv0.out" 2>&1
grep -q '^ok argv\[0\] as given$' "$tmp/argv0.out" && pass || fail "--argv0: $(grep '^FAIL' "$tmp/argv0.out" | head -3)"
"$ward" run --env WANT_ARGV0="$wasm/basic.wasm" --env GREETING=hello=world --dir "$tmp/box/sb::/sandbox" \
    "$wasm/basic.wasm" one "two words" "" >"$tmp/argv0.out" 2>&1
grep -q '^ok argv\[0\] as given$' "$tmp/argv0.out" && pass || fail "argv[0] is not the file path by default"

# --env NAME passes the host's value (none when the host has none);
# --inherit-env passes the whole environment, a later --env replacing a variable.
envrun() { # OUT WARD-OPTIONS... (then basic.wasm and its arguments)
    local out=$1
    shift
    "$ward" run "$@" --dir "$tmp/box/sb::/sandbox" "$wasm/basic.wasm" one "two words" "" >"$out" 2>&1
}
GREETING=hello=world envrun "$tmp/env.out" --env GREETING --env X=1
grep -q '^ok getenv GREETING$' "$tmp/env.out" && pass || fail "--env NAME: $(grep '^FAIL' "$tmp/env.out" | head -3)"
env -u GREETING "$ward" run --env GREETING --env X=1 --env Y=2 --dir "$tmp/box/sb::/sandbox" "$wasm/basic.wasm" \
    one "two words" "" >"$tmp/env.out" 2>&1
grep -q '^FAIL getenv GREETING' "$tmp/env.out" && pass || fail "--env NAME unset on the host was passed"
GREETING=hello=world envrun "$tmp/env.out" --inherit-env
grep -q '^ok getenv GREETING$' "$tmp/env.out" && grep -q '^ok getenv missing$' "$tmp/env.out" && pass ||
    fail "--inherit-env: $(grep '^FAIL' "$tmp/env.out" | head -3)"
GREETING=wrong envrun "$tmp/env.out" --inherit-env --env GREETING=hello=world
grep -q '^ok getenv GREETING$' "$tmp/env.out" && pass || fail "--inherit-env with --env replacing a variable"
GREETING=hello=world envrun "$tmp/env.out" --env X=1 --env Y=2
grep -q '^FAIL getenv GREETING' "$tmp/env.out" && pass || fail "without --inherit-env the host environment leaked in"

# CLI errors around WASI.
"$ward" run --dir "$tmp/no-such-dir" "$wasm/exit.wasm" >/dev/null 2>"$tmp/err"
st=$?
[ $st -eq 126 ] && grep -q 'cannot open directory' "$tmp/err" && pass || fail "--dir missing: status $st, $(cat "$tmp/err")"
"$ward" run --env =x "$wasm/exit.wasm" >/dev/null 2>&1
st=$?
[ $st -eq 126 ] && pass || fail "--env without a name: status $st"
"$ward" run --tcplisten 8080 "$wasm/exit.wasm" >/dev/null 2>&1
st=$?
[ $st -eq 126 ] && pass || fail "--tcplisten without an address: status $st"
"$ward" run --tcplisten 256.0.0.1:1 "$wasm/exit.wasm" >/dev/null 2>"$tmp/err"
st=$?
[ $st -eq 126 ] && grep -q 'cannot listen' "$tmp/err" && pass || fail "--tcplisten bad address: status $st"

have_node=false
command -v node >/dev/null && node -e 'require("node:wasi")' 2>/dev/null && have_node=true
if $have_node; then
    for name in "${programs[@]}"; do
        compare_with_node "$name"
    done
else
    echo "node with node:wasi not found: no comparison with node"
fi

# ---- sockets handed in as stdin (node's WASI has no sockets) ---------------
if command -v python3 >/dev/null; then
    for mode in pair listen tcplisten; do
        python3 "$src/sock_harness.py" "$ward" "$wasm/sock.wasm" "$mode" >"$tmp/sock.out" 2>&1
        st=$?
        status=$st
        count_checks sock "$tmp/sock.out" "sock $mode"
        grep -q '^peer: ok$' "$tmp/sock.out" && pass || fail "sock $mode: $(tail -n 3 "$tmp/sock.out")"
    done
else
    echo "python3 not found: the socket tests are skipped"
fi

# ---- blocking calls and closed readers (block.c) ---------------------------
# A 3 s poll_oneoff sleep under --timeout 500 ran the whole 3 s: it stops
# with the timeout trap (the bound is loose: the gap is huge).
start=$(date +%s%N)
"$ward" run --timeout 500 "$wasm/block.wasm" sleep 3000 >"$tmp/block.out" 2>"$tmp/block.err"
st=$?
ms=$((($(date +%s%N) - start) / 1000000))
[ $st -eq 134 ] && grep -q '^trap: timeout' "$tmp/block.err" && [ $ms -lt 2500 ] && pass ||
    fail "poll_oneoff 3 s under --timeout 500: status $st after $ms ms ($(head -c 200 "$tmp/block.err"))"
echo "poll_oneoff 3 s sleep under --timeout 500: stopped after $ms ms"
"$ward" run --timeout 300 "$wasm/block.wasm" sleep 10 >"$tmp/block.out" 2>&1
[ $? -eq 0 ] && [ "$(cat "$tmp/block.out")" = slept ] && pass || fail "a short sleep under --timeout: $(cat "$tmp/block.out")"
# (it blocked for good: timeout(1) makes that a failure, not a hang)
timeout 60 "$ward" run --timeout 300 --tcplisten 127.0.0.1:0 "$wasm/block.wasm" accept >/dev/null 2>"$tmp/block.err"
st=$?
[ $st -eq 134 ] && grep -q '^trap: timeout' "$tmp/block.err" && pass ||
    fail "sock_accept under --timeout 300: status $st ($(head -c 200 "$tmp/block.err"))"
# A guest writing to a pipe whose reader left gets EPIPE: ward is not killed
# by SIGPIPE (status 141 in a shell).
"$ward" run "$wasm/block.wasm" flood 2>"$tmp/block.err" | head -c 10 >/dev/null
st=${PIPESTATUS[0]}
[ "$st" -eq 0 ] && grep -q '^fd_write: errno 64$' "$tmp/block.err" && pass ||
    fail "flood | head -c 10: ward status $st ($(head -c 200 "$tmp/block.err"))"
if command -v python3 >/dev/null; then
    python3 "$src/sock_harness.py" "$ward" "$wasm/block.wasm" peerclosed >"$tmp/sock.out" 2>&1
    st=$?
    [ $st -eq 0 ] && grep -q '^peer: ok$' "$tmp/sock.out" && pass ||
        fail "--tcplisten, peer closed: status $st ($(tail -n 3 "$tmp/sock.out"))"
fi

# ---- real programs: against a reference, and against node ------------------
# same_output LABEL EXPECTED_FILE ARGS...: ward (and node) stdout equals it.
same_output() {
    local label=$1 expected=$2 name=$3
    shift 3
    "$ward" run --dir "$tmp/data::/d" "$wasm/$name.wasm" "$@" <"$tmp/stdin" >"$tmp/real.ward" 2>"$tmp/real.err"
    st=$?
    # EXPECTED "-": no reference of its own, only node's output to agree with.
    [ $st -eq 0 ] && { [ "$expected" = - ] || cmp -s "$tmp/real.ward" "$expected"; } && pass ||
        fail "$label: ward status $st or output differs from the reference ($(head -c 200 "$tmp/real.err"))"
    if $have_node; then
        timeout 120 node --no-warnings "$src/node_wasi.mjs" "$tmp/data" /d "$wasm/$name.wasm" "$@" \
            <"$tmp/stdin" >"$tmp/real.node" 2>/dev/null
        cmp -s "$tmp/real.ward" "$tmp/real.node" && pass || fail "$label: ward and node differ"
    fi
}

mkdir -p "$tmp/data"
head -c 1000000 /dev/urandom >"$tmp/data/random.bin"
cp "$src/sample.json" "$src/check.h" "$tmp/data/"
: >"$tmp/stdin"
if command -v sha256sum >/dev/null; then
    (cd "$tmp/data" && sha256sum random.bin sample.json check.h) | sed 's#  #  /d/#' >"$tmp/sha.expected"
    same_output "sha256sum (files)" "$tmp/sha.expected" prog_sha256sum /d/random.bin /d/sample.json /d/check.h
    cp "$tmp/data/random.bin" "$tmp/stdin"
    (sha256sum <"$tmp/stdin") >"$tmp/sha.stdin.expected"
    same_output "sha256sum (stdin)" "$tmp/sha.stdin.expected" prog_sha256sum
fi
cp "$src/sample.json" "$tmp/stdin"
same_output "jsonpp" "$src/sample.pretty.json" prog_jsonpp
printf '{"a": [1, 2' >"$tmp/stdin"
"$ward" run "$wasm/prog_jsonpp.wasm" <"$tmp/stdin" >/dev/null 2>"$tmp/err"
st=$?
[ $st -eq 1 ] && grep -q "expected" "$tmp/err" && pass || fail "jsonpp on broken input: status $st"
# fmt has no reference of its own: it must agree with node (and count words).
: >"$tmp/stdin"
cp "$src/../../docs/wasi.md" "$tmp/data/text.md"
same_output "fmt" - prog_fmt -w 50 /d/text.md
[ "$(tail -n 1 "$tmp/real.ward")" = "-- $(wc -w <"$tmp/data/text.md" | tr -d ' ') words" ] && pass ||
    fail "fmt word count: $(tail -n 1 "$tmp/real.ward")"
# No output line longer than the width (a single longer word would stand alone).
[ "$(awk 'length > 50 && index($0, " ") > 0' "$tmp/real.ward" | wc -l)" -eq 0 ] && pass ||
    fail "fmt: lines wider than 50"

echo "wasi: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
