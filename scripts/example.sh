#!/usr/bin/env bash
# README command 1: install what the build needs (only if missing), build a
# release ward into build/, and run the bundled example.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/packages.sh

ensure_packages meson ninja-build gcc pkg-config libcjson-dev libsodium-dev libsqlite3-dev wabt
check_meson_version
[ -f build/build.ninja ] || meson setup build --buildtype=release
ninja -C build src/cli/ward

echo
echo "\$ build/src/cli/ward run --invoke fib examples/fib.wasm 30"
time build/src/cli/ward run --invoke fib examples/fib.wasm 30
