#!/usr/bin/env bash
# The minimal runtime (issue 12): every host service, WASI and the spec
# runner off.  Builds it into DIR (default build-minimal), runs the engine
# unit tests it has, checks that libward.so needs nothing but libc and libm,
# and prints the stripped text size of libward.a next to the full build's
# (FULL_DIR, default build) when that exists.  Ends with "N passed, N failed".
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dir=${1:-build-minimal}
full=${2:-build}
passed=0
failed=0
off=(-Dwasi=disabled -Dspec_runner=disabled -Dcrypto=disabled -Dsignatures=disabled -Dmeasurement=disabled -Dstorage=disabled)

finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
}

if [ -f "$dir/build.ninja" ]; then
    meson configure "$dir" "${off[@]}" >/dev/null
else
    meson setup "$dir" --buildtype=release "${off[@]}" >/dev/null
fi || { echo "FAILED: meson setup $dir"; failed=1; finish; }
ninja -C "$dir" >"$dir/ninja-minimal.log" 2>&1 || { tail -n 20 "$dir/ninja-minimal.log"; echo "FAILED: build"; failed=1; finish; }

rm -f "$dir/meson-logs/testlog.txt"
meson test -C "$dir" --print-errorlogs >/dev/null 2>&1
status=$?
read -r p f <<<"$(grep -sE '^[A-Za-z0-9_.-]+: [0-9]+ passed, [0-9]+ failed$' "$dir/meson-logs/testlog.txt" |
    awk '{p += $2; f += $4} END {print p + 0, f + 0}')"
if { [ "$status" -ne 0 ] || [ "$p" -eq 0 ]; } && [ "$f" -eq 0 ]; then f=1; fi
echo "minimal unit tests: $p passed, $f failed"
passed=$((passed + p))
failed=$((failed + f))

# Dynamic dependencies: libc and libm only (the loader itself aside).
needed=$(readelf -d "$dir/libward.so" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | sort | tr '\n' ' ')
extra=$(echo "$needed" | tr ' ' '\n' | grep -vE '^(libc\.so\.[0-9]+|libm\.so\.[0-9]+|ld-linux.*)?$' || true)
if [ -z "$extra" ]; then
    echo "libward.so needs: $needed"
    passed=$((passed + 1))
else
    echo "FAILED: the minimal libward.so needs $extra"
    failed=$((failed + 1))
fi

# Dependencies point down, in the sources and this libward (no cJSON, no
# spectest symbols).
if scripts/check-deps.sh "$dir" >"$dir/check-deps.log" 2>&1; then
    passed=$((passed + 1))
else
    cat "$dir/check-deps.log"
    echo "FAILED: scripts/check-deps.sh $dir"
    failed=$((failed + 1))
fi
tail -n 1 "$dir/check-deps.log"

# Stripped text of the static library (what an embedder links).
text_size() {
    local tmp
    tmp=$(mktemp)
    cp "$1" "$tmp" && strip --strip-unneeded "$tmp" 2>/dev/null
    size -t "$tmp" | awk 'END {print $1}'
    rm -f "$tmp"
}
echo "libward.a stripped text: minimal $(text_size "$dir/libward.a") bytes"
[ -f "$full/libward.a" ] && echo "libward.a stripped text: full ($full) $(text_size "$full/libward.a") bytes"
finish
