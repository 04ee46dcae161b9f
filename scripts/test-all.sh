#!/usr/bin/env bash
# README command 2 (and CI): install everything (only what is missing),
# build three configurations, and run on each the unit tests (meson test)
# and the spec testsuite (spec-tests/run); then a 60-second fuzz run.
#
#   build/        release, threaded dispatch
#   build-switch/ release, -Ddispatch=switch
#   build-asan/   ASan+UBSan (clang if present, else gcc), threaded dispatch
#
# Ends with the SIMD informational lines and ONE line "N passed, N failed":
# unit-test assertions plus gating (non-SIMD) spec tests over the three
# builds, plus the fuzz run as one test.  Exits non-zero on any failure.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$(pwd)
. scripts/packages.sh

fuzz_seconds=${WARD_FUZZ_SECONDS:-60}
passed=0
failed=0
simd_lines=()
logs="$repo/build-logs"
mkdir -p "$logs"

step() { printf '\n==== %s\n' "$*"; }

# Count a whole step that could not produce its own numbers as one failure.
step_failed() {
    echo "FAILED: $*"
    failed=$((failed + 1))
}

if ! ensure_packages meson ninja-build gcc clang lld pkg-config libcjson-dev wabt binaryen python3 \
    wasi-libc libclang-rt-14-dev-wasm32 ||
    ! check_meson_version; then
    echo "0 passed, 1 failed"
    exit 1
fi

# configure DIR [CC] -- MESON_OPTIONS...: set up once, reconfigure after.
configure() {
    local dir=$1 cc=$2
    shift 2
    if [ -f "$dir/build.ninja" ]; then
        meson configure "$dir" "$@" >/dev/null
    else
        CC=$cc meson setup "$dir" "$@" >/dev/null
    fi
}

# Sum the "NAME: N passed, N failed" lines the unit tests print.
count_unit_tests() {
    local dir=$1 status=$2 log="$1/meson-logs/testlog.txt" p=0 f=0
    if [ -f "$log" ]; then
        read -r p f <<<"$(grep -E '^[A-Za-z0-9_.-]+: [0-9]+ passed, [0-9]+ failed$' "$log" |
            awk '{p += $2; f += $4} END {print p + 0, f + 0}')"
    fi
    # A test that crashed before printing its summary still fails the run.
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
    fi
    echo "unit tests ($dir): $p passed, $f failed"
    passed=$((passed + p))
    failed=$((failed + f))
}

# Run spec-tests/run for one build and add its gating total.
count_spec_tests() {
    local dir=$1 label=$2 log="$logs/spec-$2.log" total
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
        UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1} \
        spec-tests/run --ward "$dir/src/cli/ward" --dispatch-label "$label" >"$log" 2>&1
    # Files with failures, and the total (SIMD files gate like the rest).
    grep -vE '^[^ ]+\.wast: [0-9]+ passed, 0 failed.*$' "$log" | tail -n 40
    total=$(grep -E "^\[$label\] [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$" "$log" | tail -n 1)
    if [ -z "$total" ]; then
        step_failed "spec tests ($label) printed no total (see $log)"
        return
    fi
    local p f
    read -r p f <<<"$(echo "$total" | sed -E 's/^\[[^]]*\] ([0-9]+) passed, ([0-9]+) failed.*/\1 \2/')"
    passed=$((passed + p))
    failed=$((failed + f))
}

# build_and_test DIR LABEL CC MESON_OPTIONS...
build_and_test() {
    local dir=$1 label=$2 cc=$3 status
    shift 3
    step "$label: build ($dir)"
    if ! { configure "$dir" "$cc" "$@" && ninja -C "$dir"; } >"$logs/build-$label.log" 2>&1; then
        tail -n 30 "$logs/build-$label.log"
        step_failed "build of $label (see $logs/build-$label.log)"
        return
    fi
    step "$label: unit tests"
    meson test -C "$dir" --print-errorlogs >"$logs/unit-$label.log" 2>&1
    status=$?
    grep -E '^ *[0-9]+/[0-9]+ .* (FAIL|TIMEOUT) ' "$logs/unit-$label.log"
    # The WASI guest tests (tests/wasi) are one of the meson tests: their
    # "wasi: N passed, N failed" line is part of the unit-test sum.
    grep -E '^wasi: [0-9]+ passed, [0-9]+ failed$' "$dir/meson-logs/testlog.txt" 2>/dev/null | sed 's/^/  /'
    count_unit_tests "$dir" "$status"
    step "$label: spec tests"
    count_spec_tests "$dir" "$label"
}

asan_cc=gcc
command -v clang >/dev/null && asan_cc=clang

build_and_test build release-threaded gcc --buildtype=release -Ddispatch=threaded
build_and_test build-switch release-switch gcc --buildtype=release -Ddispatch=switch
build_and_test build-asan asan-threaded "$asan_cc" --buildtype=debugoptimized -Ddispatch=threaded \
    -Db_sanitize=address,undefined -Db_lundef=false

if [ -x fuzz/run ]; then
    step "fuzz: ${fuzz_seconds}s"
    if fuzz/run "$fuzz_seconds" >"$logs/fuzz.log" 2>&1; then
        echo "fuzz run passed"
        passed=$((passed + 1))
    else
        tail -n 20 "$logs/fuzz.log"
        step_failed "fuzz run (see $logs/fuzz.log)"
    fi
else
    step "fuzz: fuzz/run not present, skipped"
fi

echo
for line in "${simd_lines[@]}"; do
    echo "$line"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
