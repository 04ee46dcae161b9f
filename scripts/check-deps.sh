#!/usr/bin/env bash
# Dependencies point down (docs/embedding.md, "What libward contains"): checks the sources
# and a built libward against the rules below.  Usage: check-deps.sh [BUILD]
# (default build; the library checks are skipped when BUILD has no
# libward).  Ends with "deps: N passed, N failed", as the unit tests do.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=${1:-build}
passed=0
failed=0

check() { # check DESCRIPTION OFFENDERS
    if [ -z "$2" ]; then
        passed=$((passed + 1))
    else
        echo "FAILED: $1:"
        echo "$2" | sed 's/^/  /'
        failed=$((failed + 1))
    fi
}

# Includes that climb to a layer above: "FOLDER:LAYER..." (a source in
# src/FOLDER may not include src/LAYER).
rules=(
    "common:decoder validator interp runtime host simd"
    "simd:interp runtime decoder validator host"
    "decoder:validator interp runtime host"
    "validator:interp runtime host"
    "capi:common decoder validator interp runtime host simd"
)
for rule in "${rules[@]}"; do
    folder=${rule%%:*}
    for layer in ${rule#*:}; do
        hits=$(grep -nE "#include \"(\.\./)*($layer)/" "src/$folder"/*.[ch] 2>/dev/null || true)
        check "src/$folder includes src/$layer" "$hits"
    done
done

# The spectest module is the spec runner's, not the library's.
hits=$(grep -n "spectest" src/meson.build src/*/meson.build | grep -v "^src/host/meson.build:.*#" || true)
check "spectest.c among libward's sources" "$(echo "$hits" | grep "ward_sources" || true)"

so="$build/libward.so"
a="$build/libward.a"
if [ -f "$so" ] && [ -f "$a" ]; then
    check "libward.so links cJSON" "$(readelf -d "$so" | grep -i "cjson" || true)"
    check "libward.so exports spectest symbols" "$(nm -D --defined-only "$so" | grep -i "spectest" || true)"
    check "libward.a defines spectest symbols" "$(nm --defined-only "$a" 2>/dev/null | grep -i "spectest" || true)"
    check "libward.a uses cJSON" "$(nm --undefined-only "$a" 2>/dev/null | grep "cJSON" || true)"
else
    echo "no $so and $a: library checks skipped"
fi

echo "deps: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
