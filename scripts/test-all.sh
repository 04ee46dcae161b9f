#!/usr/bin/env bash
# README command 2 (and CI): install everything (only what is missing),
# build the configurations below and run their tests, then a 45-second fuzz
# run of each target (fuzz/run 45 all: the targets share the cores) and the
# large real programs.
#
#   build/        release, threaded dispatch: unit tests + whole spec suite,
#                 converted by wast2json and again read as .wast text (--text)
#   build-switch/ release, -Ddispatch=switch: unit tests + whole spec suite,
#                 and the contract agreement test against build/'s ward
#   build-asan/   ASan+UBSan (clang if present, else gcc): the same
#   build-scalar/ release, -Dsimd_backend=scalar (the portable C SIMD back
#                 end): SIMD unit tests + the simd_*.wast spec files
#   build-tsan/   ThreadSanitizer (clang): the atomics/wasi-threads tests,
#                 the threaded tests of limits, re-entry and blocking WASI, and
#                 the lazy-translation race test, the measurement
#                 registry's stress test, the wasm.h threads example; any
#                 report fails
#   build-minimal/ release without WASI, spec runner or host services: the
#                 engine's unit tests; libward.so needs only libc and libm
#   build-arm/    aarch64 cross build (NEON back end) under qemu-user:
#                 scripts/test-neon.sh (unit tests + whole spec suite)
#   tests/real    yosys, nextpnr, clang, wasm-ld, esbuild, SQLite, pandoc:
#                 outputs identical to node's WASI (fetched from npm, cached)
#
# Ends with ONE line "N passed, N failed": unit-test assertions and spec
# tests over all builds, the NEON run's and the real programs' checks, plus
# the fuzz run as one test.  Exits non-zero on any failure.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$(pwd)
. scripts/packages.sh

fuzz_seconds=${WARD_FUZZ_SECONDS:-45}
passed=0
failed=0
logs="$repo/build-logs"
mkdir -p "$logs"

# Each step heading carries the seconds since the start, so a CI log shows
# where the run's time goes (the whole run must stay well under 90 minutes).
step() { printf '\n==== [%ds] %s\n' "$SECONDS" "$*"; }

# Count a whole step that could not produce its own numbers as one failure.
step_failed() {
    echo "FAILED: $*"
    failed=$((failed + 1))
}

if ! ensure_packages meson ninja-build gcc clang lld pkg-config libcjson-dev libsodium-dev libsqlite3-dev sqlite3 python3-nacl \
    wabt binaryen python3 wasi-libc libclang-rt-14-dev-wasm32 ||
    ! check_meson_version; then
    echo "0 passed, 1 failed"
    exit 1
fi

# The fuzz build (libward with ASan, UBSan and coverage) runs in the
# background from the start so it overlaps the other steps instead of
# running alone at the end.  Its status is not counted here: the fuzz step
# below builds (a no-op then), replays again, and reports.
fuzz_prebuild=""
if [ -x fuzz/run ]; then
    fuzz/run 0 replay >"$logs/fuzz-prebuild.log" 2>&1 &
    fuzz_prebuild=$!
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
    # A test that crashed before printing its summary still fails the run,
    # and so does a run that tested nothing (a wrong test name or suite).
    if { [ "$status" -ne 0 ] || [ "$p" -eq 0 ]; } && [ "$f" -eq 0 ]; then
        f=1
    fi
    echo "unit tests ($dir): $p passed, $f failed"
    passed=$((passed + p))
    failed=$((failed + f))
}

# count_spec_tests DIR LABEL [spec-tests/run OPTIONS...]: run the spec
# suite (or the part the options select) on one build; add its total.
count_spec_tests() {
    local dir=$1 label=$2 log="$logs/spec-$2.log" total
    shift 2
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
        UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1} \
        spec-tests/run --ward "$dir/src/cli/ward" --dispatch-label "$label" "$@" >"$log" 2>&1
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

# build DIR LABEL CC MESON_OPTIONS...: configure and compile; false on failure.
build() {
    local dir=$1 label=$2 cc=$3
    shift 3
    step "$label: build ($dir)"
    if ! { configure "$dir" "$cc" "$@" && ninja -C "$dir"; } >"$logs/build-$label.log" 2>&1; then
        tail -n 30 "$logs/build-$label.log"
        step_failed "build of $label (see $logs/build-$label.log)"
        return 1
    fi
}

# unit_tests DIR LABEL [meson test ARGS...]: run them and add their counts.
unit_tests() {
    local dir=$1 label=$2 status
    shift 2
    step "$label: unit tests"
    rm -f "$dir/meson-logs/testlog.txt" # counts come from this run only
    meson test -C "$dir" --print-errorlogs "$@" >"$logs/unit-$label.log" 2>&1
    status=$?
    grep -E '^ *[0-9]+/[0-9]+ .* (FAIL|TIMEOUT) ' "$logs/unit-$label.log"
    count_unit_tests "$dir" "$status"
}

# build_and_test DIR LABEL CC MESON_OPTIONS...: everything on one build.
build_and_test() {
    local dir=$1 label=$2
    build "$@" || return
    unit_tests "$dir" "$label"
    # The WASI guest tests (tests/wasi) are one of the meson tests: their
    # "wasi: N passed, N failed" line is part of the unit-test sum.
    grep -E '^wasi: [0-9]+ passed, [0-9]+ failed$' "$dir/meson-logs/testlog.txt" 2>/dev/null | sed 's/^/  /'
    step "$label: spec tests"
    count_spec_tests "$dir" "$label"
}

asan_cc=gcc
command -v clang >/dev/null && asan_cc=clang

build_and_test build release-threaded gcc --buildtype=release -Ddispatch=threaded
# The same suite read by ward's own text parser (no wast2json): the text
# assert_malformed/assert_invalid modules the JSON run skips are tested too.
if [ -x build/src/cli/ward ]; then
    step "release-threaded: spec tests from .wast text (spec-tests/run --text)"
    count_spec_tests build release-threaded-text --text
fi
build_and_test build-switch release-switch gcc --buildtype=release -Ddispatch=switch
build_and_test build-asan asan-threaded "$asan_cc" --buildtype=debugoptimized -Ddispatch=threaded \
    -Db_sanitize=address,undefined -Db_lundef=false

# The portable C SIMD back end must pass what the SSE one does (issue 4).
if build build-scalar release-scalar gcc --buildtype=release -Dsimd_backend=scalar; then
    unit_tests build-scalar release-scalar simd simd_exec
    step "release-scalar: SIMD spec tests"
    count_spec_tests build-scalar release-scalar --match 'simd_*'
fi

# Real concurrency under ThreadSanitizer: a data race is a failure (halt
# on the first report, with a distinct exit status).
if command -v clang >/dev/null &&
    build build-tsan tsan clang --buildtype=debugoptimized -Db_sanitize=thread -Db_lundef=false; then
    # two runs: meson test intersects a suite with test names
    TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:exitcode=66} unit_tests build-tsan tsan-atomics --suite atomics
    TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:exitcode=66} unit_tests build-tsan tsan-lazy lazy
    # issue 11's tests that use threads: the code-limit race, re-entry on
    # small-stack threads, blocking WASI calls interrupted from a watchdog
    TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:exitcode=66} unit_tests build-tsan tsan-issue11 \
        config_edges reentry wasi_block
    # issue 12: concurrent extends of one measurement registry, quotes and
    # sealing (docs/measurement.md)
    TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:exitcode=66} unit_tests build-tsan tsan-measure \
        measure_stress measure tee_guest
    # issue 13: processes and threads writing one database, kill -9 rounds
    # (docs/storage.md)
    TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:exitcode=66} unit_tests build-tsan tsan-storage \
        concurrent crash
    # issue 16: the standard wasm.h API's threads example: one module shared
    # by ten threads, each with its own store (docs/c-api.md)
    TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:exitcode=66} unit_tests build-tsan tsan-capi capi_threads
elif ! command -v clang >/dev/null; then
    step_failed "ThreadSanitizer build needs clang"
fi

# add_counts LABEL LOG: add the last "N passed, N failed" line of LOG.
add_counts() {
    local line p f
    line=$(grep -E '^(real: )?[0-9]+ passed, [0-9]+ failed$' "$2" | tail -n 1)
    if [ -z "$line" ]; then
        step_failed "$1 printed no total (see $2)"
        return
    fi
    read -r p f <<<"$(echo "$line" | sed -E 's/^(real: )?([0-9]+) passed, ([0-9]+) failed$/\2 \3/')"
    echo "$1: $p passed, $f failed"
    passed=$((passed + p))
    failed=$((failed + f))
}

# Contract calls must agree across dispatch modes: the agreement test's
# random calls run by the threaded ward and by the switch one give
# byte-identical receipts and state roots (issue 14; tests/contract/agreement.sh).
step "contract agreement: threaded and switch dispatch"
if [ -x build/src/cli/ward ] && [ -x build-switch/src/cli/ward ] && [ -f build/tests/contract/token.wasm ]; then
    WARD_B="$repo/build-switch/src/cli/ward" sh tests/contract/agreement.sh build/src/cli/ward build/tests/contract \
        >"$logs/agreement-dispatch.log" 2>&1
    grep -E '^FAIL' "$logs/agreement-dispatch.log" | head -n 20
    add_counts agreement-dispatch <(sed 's/^agreement: //' "$logs/agreement-dispatch.log")
else
    step_failed "contract agreement across dispatch modes: the release or switch build or its guests are missing"
fi

# The minimal runtime: services, WASI and the spec runner off; libward.so
# must need only libc and libm (scripts/test-minimal.sh).
step "minimal: build without services, WASI or spec runner (scripts/test-minimal.sh)"
bash scripts/test-minimal.sh build-minimal build >"$logs/minimal.log" 2>&1
grep -E '^(FAILED|libward)' "$logs/minimal.log"
add_counts minimal "$logs/minimal.log"

# The NEON back end, cross-built for aarch64 and run under qemu-user.
step "neon: aarch64 cross build under qemu (scripts/test-neon.sh)"
bash scripts/test-neon.sh build-arm >"$logs/neon.log" 2>&1
grep -E '^(FAILED|FAIL)' "$logs/neon.log" | head -n 20
add_counts neon "$logs/neon.log"

if [ -n "$fuzz_prebuild" ]; then
    step "fuzz: waiting for the fuzz build started at the beginning"
    wait "$fuzz_prebuild"
fi
if [ -x fuzz/run ]; then
    step "fuzz: ${fuzz_seconds}s per target"
    if fuzz/run "$fuzz_seconds" all >"$logs/fuzz.log" 2>&1; then
        echo "fuzz run passed"
        passed=$((passed + 1))
    else
        tail -n 20 "$logs/fuzz.log"
        step_failed "fuzz run (see $logs/fuzz.log)"
    fi
else
    step "fuzz: fuzz/run not present, skipped"
fi

# Large programs compiled to WASI by others, against node's WASI.
step "real programs (tests/real/run_real.sh)"
bash tests/real/run_real.sh build/src/cli/ward >"$logs/real.log" 2>&1
grep -E '^(FAIL| +[^ ]+.*: ward [0-9.]+ s)' "$logs/real.log"
add_counts "real programs" "$logs/real.log"

step "done"
echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
