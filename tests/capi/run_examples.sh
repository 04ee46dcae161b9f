#!/bin/sh
# The wasm-c-api example programs, built against ward's wasm.h and libward,
# each run in a directory holding its module; its output must match
# expected/NAME.out (docs/c-api.md).  The examples are test data read from
# the wasm-c-api directory (never copied into the repository): $WARD_C_API_DIR,
# else ../shared/wasm-c-api next to the repository, else
# /work/shared/wasm-c-api.  When none exists the test FAILS.
#
#   run_examples.sh --cc "CC ARGS" --include DIR --libdir DIR --expected DIR
#                   --module-source wasm|wat [--wat2wasm TOOL] [--cflags "FLAGS"]
#                   [NAMES...]
#
# --module-source: where each example's module comes from: `wasm`, the
# prebuilt NAME.wasm beside the example, or `wat`, NAME.wat assembled by
# ward's own text parser (TOOL IN.wat OUT.wasm: tests/capi/wat2wasm.c).
#
# Outputs are compared after two normalisations: host addresses read ADDR,
# and for `threads`, whose threads print in any order, the lines are sorted.  Prints "capi_examples: N passed, N failed".
set -u
cc="" include="" libdir="" expected="" source="wasm" wat2wasm="" cflags=""
while [ $# -gt 0 ]; do
    case $1 in
    --cc) cc=$2; shift 2 ;;
    --include) include=$2; shift 2 ;;
    --libdir) libdir=$2; shift 2 ;;
    --expected) expected=$2; shift 2 ;;
    --module-source) source=$2; shift 2 ;;
    --wat2wasm) wat2wasm=$2; shift 2 ;;
    --cflags) cflags=$2; shift 2 ;;
    *) break ;;
    esac
done
names=${*:-hello callback global memory table trap start finalize hostref threads serialize}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

dir=""
for candidate in "${WARD_C_API_DIR:-}" "$repo/../shared/wasm-c-api" /work/shared/wasm-c-api; do
    if [ -n "$candidate" ] && [ -f "$candidate/example/hello.c" ]; then
        dir=$candidate
        break
    fi
done
if [ -z "$dir" ]; then
    echo "FAIL: the wasm-c-api examples were not found: set WARD_C_API_DIR to a wasm-c-api" \
        "checkout (with example/*.c), or put one at $repo/../shared/wasm-c-api"
    echo "capi_examples: 0 passed, 1 failed"
    exit 1
fi
if [ "$source" = wat ] && [ ! -x "$wat2wasm" ]; then
    echo "FAIL: --module-source wat needs --wat2wasm (ward's assembler, tests/capi/wat2wasm.c)"
    echo "capi_examples: 0 passed, 1 failed"
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

fail() {
    echo "FAIL $1: $2"
    failed=$((failed + 1))
}

# hostref.wat writes `(ref.null)`, the reference-types draft's syntax, and
# its prebuilt hostref.wasm has the draft's encoding (0xd0 with no heap
# type), which the final spec calls malformed.  ward's text parser reads the
# draft spelling where the type is known (a global's initializer:
# docs/text.md), so in wat mode hostref.wat is assembled as it is; in wasm
# mode it is assembled by wabt's wat2wasm with the final spelling
# `(ref.null extern)`.
draft_example() {
    [ "$source" = wasm ] && [ "$1" = hostref ]
}

assemble() {
    if [ "$source" = wat ]; then
        "$wat2wasm" "$1" "$2"
    elif command -v wat2wasm >/dev/null; then
        wat2wasm "$1" -o "$2"
    else
        echo "wabt's wat2wasm is needed to assemble $1 (the prebuilt module is a draft's)"
        return 1
    fi
}

# The module the example opens (NAME.wasm in its working directory).
make_module() {
    if draft_example "$1"; then
        sed 's/(ref\.null)/(ref.null extern)/g' "$dir/example/$1.wat" >"$work/$1/$1.wat" &&
            assemble "$work/$1/$1.wat" "$work/$1/$1.wasm"
        return
    fi
    case $source in
    wasm) cp "$dir/example/$1.wasm" "$work/$1/$1.wasm" ;;
    wat) assemble "$dir/example/$1.wat" "$work/$1/$1.wasm" ;;
    *) echo "unknown module source $source"; return 1 ;;
    esac
}

# Host addresses (%p of a heap object: 8 or more hex digits) vary from run
# to run; small values such as offsets (0x44) and host infos (0x1, (nil))
# are compared as printed.
# A frame's module offset (trap, start: "> INSTANCE @ MODULE-OFFSET =
# FUNC.FUNC-OFFSET") depends on how the binary was laid out (LEB128
# padding), so it reads OFFSET; the function index and the offset within
# the function are compared (tests/capi/test_capi_traps.c checks module
# offsets against a known binary).
normalise() {
    sed -E -e 's/0x[0-9a-fA-F]{8,}/ADDR/g' -e 's/^> ADDR @ 0x[0-9a-fA-F]+ = /> ADDR @ OFFSET = /' "$1"
}

for name in $names; do
    mkdir -p "$work/$name"
    # the examples are C99-era programs: their own warnings are not ours
    # shellcheck disable=SC2086
    if ! $cc -std=gnu11 -w -g $cflags -I"$include" "$dir/example/$name.c" -o "$work/$name/$name" \
        -L"$libdir" -lward -Wl,-rpath,"$libdir" -lpthread -lm >"$work/$name/build.log" 2>&1; then
        fail "$name" "does not build against ward's wasm.h:"
        head -n 20 "$work/$name/build.log"
        continue
    fi
    if ! make_module "$name" >"$work/$name/module.log" 2>&1; then
        fail "$name" "its module could not be made ($source):"
        head -n 20 "$work/$name/module.log"
        continue
    fi
    (cd "$work/$name" && ./"$name" >out.txt 2>err.txt)
    status=$?
    if [ "$status" -ne 0 ]; then
        fail "$name" "exited with status $status"
        tail -n 20 "$work/$name/out.txt" "$work/$name/err.txt"
        continue
    fi
    normalise "$work/$name/out.txt" >"$work/$name/got.txt"
    normalise "$expected/$name.out" >"$work/$name/want.txt"
    if [ "$name" = threads ]; then
        sort "$work/$name/got.txt" -o "$work/$name/got.txt"
        sort "$work/$name/want.txt" -o "$work/$name/want.txt"
    fi
    if ! diff -u "$work/$name/want.txt" "$work/$name/got.txt" >"$work/$name/diff.txt"; then
        fail "$name" "output differs from expected/$name.out:"
        head -n 40 "$work/$name/diff.txt"
        continue
    fi
    if [ -s "$work/$name/err.txt" ]; then
        fail "$name" "wrote to stderr:"
        head -n 20 "$work/$name/err.txt"
        continue
    fi
    echo "ok $name"
    passed=$((passed + 1))
done
echo "capi_examples: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
