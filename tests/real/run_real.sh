#!/usr/bin/env bash
# Large real programs compiled to WASI by others, fetched from the npm
# registry at pinned versions, run by ward and by node's WASI; outputs must be
# identical.  Not a meson test (it downloads ~140 MB once into the cache).
#
#   tests/real/run_real.sh WARD [CACHE_DIR]
#
# Programs: yosys (Verilog synthesis), nextpnr-ice40 and icepack (FPGA place
# and route, bitstream), clang and wasm-ld (LLVM 22, one multi-call module of
# 75 MB), esbuild (a Go program), SQLite (compiled here from the amalgamation
# npm's better-sqlite3 ships) and pandoc (58 MB, Haskell; SIMD128 and exception
# handling).
# Prints one line per check, the ward/node times, and "real: N passed, N failed".
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ward=$(realpath "${1:?usage: run_real.sh WARD [CACHE_DIR]}")
cache=$(mkdir -p "${2:-$here/../../build-real-cache}" && cd "${2:-$here/../../build-real-cache}" && pwd)
node_wasi="$here/../wasi/node_wasi.mjs"
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }

have_node=false
command -v node >/dev/null && node -e 'require("node:wasi")' 2>/dev/null && have_node=true

# fetch PACKAGE VERSION: unpack it once into $cache/<name>-<version>; prints the dir.
fetch() {
    local dir="$cache/$(echo "$1" | tr -d '@' | tr '/' '-')-$2"
    if [ ! -d "$dir/package" ]; then
        rm -rf "$dir" && mkdir -p "$dir"
        (cd "$dir" && npm pack --silent "$1@$2" >/dev/null 2>&1 && tar xzf ./*.tgz && rm -f ./*.tgz) || {
            rm -rf "$dir"
            return 1
        }
    fi
    echo "$dir/package"
}

# run_both LABEL ROOT ARGV0 WASM ARGS...: ward then node, each on its own
# copy of ROOT (ROOT.ward, ROOT.node) preopened as /; stdout to ROOT.<who>.out.
run_both() {
    local label=$1 root=$2 argv0=$3 wasm=$4 t0 t1 t2
    shift 4
    rm -rf "$root.ward" "$root.node"
    cp -r "$root" "$root.ward"
    cp -r "$root" "$root.node"
    t0=$(date +%s.%N)
    "$ward" run --argv0 "$argv0" --dir "$root.ward::/" "$wasm" "$@" >"$root.ward.out" 2>"$root.ward.err"
    ward_status=$?
    t1=$(date +%s.%N)
    node_status=0
    if $have_node; then
        WASI_ARGV0=$argv0 node --no-warnings "$node_wasi" "$root.node" / "$wasm" "$@" \
            >"$root.node.out" 2>"$root.node.err"
        node_status=$?
    fi
    t2=$(date +%s.%N)
    printf '     %s: ward %.2f s, node %.2f s\n' "$label" "$(awk "BEGIN { print $t1 - $t0 }")" "$(awk "BEGIN { print $t2 - $t1 }")"
    [ "$ward_status" -eq 0 ] && pass "$label: ward exit status 0" ||
        fail "$label: ward exit status $ward_status: $(tail -c 300 "$root.ward.err")"
}

# same_file LABEL ROOT PATH [FILTER]: the file (or stdout: PATH "-") ward made equals node's.
same_file() {
    local label=$1 root=$2 path=$3 filter=${4:-cat} a b
    $have_node || return 0
    if [ "$path" = - ]; then a="$root.ward.out" b="$root.node.out"; else a="$root.ward/$path" b="$root.node/$path"; fi
    if [ -f "$a" ] && cmp -s <($filter <"$a") <($filter <"$b"); then
        pass "$label: identical to node's"
    else
        fail "$label: differs from node's ($a vs $b)"
        diff <($filter <"$a" 2>/dev/null) <($filter <"$b") | head -10
    fi
}

# yosys and nextpnr print timings; the rest of their output must match.
no_times() { grep -vE '(CPU: user|[0-9]+\.[0-9]+s|[0-9]+ ms|time|Time)'; }

work="$cache/work"
mkdir -p "$work"

# ---- yosys: synthesis for an iCE40 -----------------------------------------
if yosys=$(fetch @yowasp/yosys 0.55.944); then
    root="$work/yosys"
    rm -rf "$root" && mkdir -p "$root/tmp"
    cp -r "$yosys/gen/share" "$root/share"
    # Most of yosys's share/ files live inside its JS bundle.
    node -e "
      import('$yosys/gen/resources-yosys.js').then(({ filesystem }) => {
        const fs = require('node:fs');
        const dump = (dir, tree) => { fs.mkdirSync(dir, { recursive: true });
          for (const [k, v] of Object.entries(tree)) {
            if (typeof v === 'string' || v instanceof Uint8Array) fs.writeFileSync(dir + '/' + k, v);
            else if (!(v instanceof URL)) dump(dir + '/' + k, v); } };
        dump('$root', filesystem); });" || fail "yosys: cannot unpack share/"
    cp "$here/counter.v" "$root/"
    run_both yosys "$root" yosys "$yosys/gen/yosys.core.wasm" \
        -p "read_verilog /counter.v; synth_ice40 -noabc9 -noabc -json /counter.json; stat"
    grep -q 'Number of cells' "$root.ward.out" && pass "yosys: printed statistics" || fail "yosys: no statistics"
    same_file "yosys stdout" "$root" - no_times
    same_file "yosys netlist" "$root" counter.json
    netlist="$root.ward/counter.json"
else
    fail "yosys: cannot fetch @yowasp/yosys from the npm registry"
    netlist=""
fi

# ---- nextpnr-ice40 + icepack: place, route, bitstream -----------------------
if [ -n "$netlist" ] && nextpnr=$(fetch @yowasp/nextpnr-ice40 0.8.621); then
    root="$work/pnr"
    rm -rf "$root" && mkdir -p "$root/share/ice40"
    cp "$nextpnr/gen/share/ice40/chipdb-1k.bin" "$root/share/ice40/"
    cp "$netlist" "$root/counter.json"
    run_both nextpnr-ice40 "$root" nextpnr-ice40 "$nextpnr/gen/nextpnr-ice40.core.wasm" \
        --hx1k --package tq144 --seed 1 --json /counter.json --asc /counter.asc
    same_file "nextpnr placement" "$root" counter.asc
    cp "$root.ward/counter.asc" "$root/counter.asc" 2>/dev/null
    run_both icepack "$root" icepack "$nextpnr/gen/icepack.core.wasm" /counter.asc /counter.bin
    [ "$(stat -c %s "$root.ward/counter.bin" 2>/dev/null || echo 0)" -eq 32220 ] && pass "icepack: hx1k bitstream size" ||
        fail "icepack: bitstream size"
    same_file "icepack bitstream" "$root" counter.bin
elif [ -n "$netlist" ]; then
    fail "nextpnr: cannot fetch @yowasp/nextpnr-ice40"
fi

# ---- clang + wasm-ld: compile and link a C program, then run it -------------
if llvm=$(fetch @yowasp/clang 22.0.0-git20542-10); then
    root="$work/clang"
    rm -rf "$root" && mkdir -p "$root/tmp"
    tar xf "$llvm/gen/llvm-resources.tar" -C "$root"
    cp "$here/hello.c" "$root/"
    run_both "clang -O2 -c" "$root" clang "$llvm/gen/llvm.core.wasm" \
        -O2 --sysroot=/ -resource-dir=/ -c /hello.c -o /hello.o
    same_file "clang object" "$root" hello.o
    cp "$root.ward/hello.o" "$root/hello.o" 2>/dev/null
    run_both wasm-ld "$root" wasm-ld "$llvm/gen/llvm.core.wasm" -m wasm32 -L/lib/wasm32-wasip1 \
        /lib/wasm32-wasip1/crt1-command.o /hello.o -lc /lib/wasm32-unknown-wasip1/libclang_rt.builtins.a -o /hello.wasm
    same_file "wasm-ld output" "$root" hello.wasm
    out=$("$ward" run "$root.ward/hello.wasm" pear apple fig 2>&1)
    [ "$out" = "$(printf 'apple fig pear\nsum=332833500')" ] && pass "the compiled program runs in ward" ||
        fail "the compiled program printed: $out"
else
    fail "clang: cannot fetch @yowasp/clang"
fi

# ---- esbuild: bundle and minify TypeScript (a Go program, GOOS=wasip1) -----
if esbuild=$(fetch @esbuild/wasi-preview1 0.27.2); then
    root="$work/esbuild"
    rm -rf "$root" && mkdir -p "$root"
    cp "$here"/esbuild/*.ts "$root/"
    run_both esbuild "$root" esbuild "$esbuild/esbuild.wasm" /app.ts --bundle --minify --format=esm \
        --sourcemap --outfile=/out.js
    # node 20 sometimes segfaults after this Go program exits; only its files are compared.
    out=$(node --input-type=module -e "$(cat "$root.ward/out.js" 2>/dev/null)" 2>&1)
    ! $have_node || [ "$out" = "[circle=12.57 | rect=12.00 | circle=0.79] mean area 8.451" ] &&
        ! grep -q 'tree-shaken' "$root.ward/out.js" && pass "esbuild: the bundle runs and was tree-shaken" ||
        fail "esbuild: the bundle printed: $out"
    same_file "esbuild bundle" "$root" out.js
    same_file "esbuild source map" "$root" out.js.map
else
    fail "esbuild: cannot fetch @esbuild/wasi-preview1"
fi

# ---- SQLite: file I/O through WASI (compiled here from the npm amalgamation) --
if sqlite=$(fetch better-sqlite3 12.11.1); then
    root="$work/sqlite"
    rm -rf "$root" && mkdir -p "$root"
    wasm="$cache/sqlite-12.11.1.wasm"
    [ -f "$wasm" ] || clang --target=wasm32-wasi -O2 -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION \
        -D_WASI_EMULATED_GETPID -lwasi-emulated-getpid -I "$sqlite/deps/sqlite3" "$here/sqlite_driver.c" \
        "$sqlite/deps/sqlite3/sqlite3.c" -o "$wasm" || fail "sqlite: cannot build the driver"
    run_both sqlite "$root" sqlite "$wasm" /test.db
    grep -q '^count(\*)=200000 sum(v)=10000050000.0' "$root.ward.out" && pass "sqlite: the aggregates" ||
        fail "sqlite: aggregates wrong"
    same_file "sqlite output" "$root" -
    same_file "sqlite database file" "$root" test.db
else
    fail "sqlite: cannot fetch better-sqlite3"
fi

# ---- pandoc: a Haskell program, with exceptions --------------------------------
# pandoc-wasm (58 MB, GHC's wasm backend + wasm-opt) uses SIMD128 and the legacy
# exception-handling proposal (a tag section, one try/catch, one throw): its Lua
# raises errors with C longjmp, which wasi-libc builds on wasm exceptions.  The
# document to HTML; to LaTeX through a Lua filter whose ~5,000 errors pcall
# catches (each a throw and a catch); and a filter whose error nothing catches
# (pandoc's message and exit status 83), all against node.
if pandoc=$(fetch pandoc-wasm 1.1.0); then
    root="$work/pandoc"
    rm -rf "$root" && mkdir -p "$root"
    cp "$here/doc.md" "$here/pcall.lua" "$here/fail.lua" "$root/"
    run_both "pandoc html" "$root" pandoc "$pandoc/src/pandoc.wasm" -f markdown -t html -s \
        --metadata title=doc /doc.md -o /doc.html
    same_file "pandoc html" "$root" doc.html
    run_both "pandoc latex, Lua filter (pcall)" "$root" pandoc "$pandoc/src/pandoc.wasm" -f markdown -t latex \
        -s --lua-filter /pcall.lua /doc.md -o /doc.tex
    grep -q '200,false' "$root.ward/doc.tex" && pass "pandoc: the filter caught its errors" ||
        fail "pandoc: the filter's pcalls did not run"
    same_file "pandoc latex" "$root" doc.tex
    "$ward" run --argv0 pandoc --dir "$root::/" "$pandoc/src/pandoc.wasm" --lua-filter /fail.lua /doc.md \
        >"$root.fail.out" 2>"$root.fail.err"
    status=$?
    [ "$status" -eq 83 ] && grep -q 'this filter fails on purpose' "$root.fail.err" &&
        pass "pandoc: a failing filter is reported (exit status 83)" ||
        fail "pandoc: failing filter: status $status: $(tail -c 300 "$root.fail.err")"
    if $have_node; then
        WASI_ARGV0=pandoc node --no-warnings "$node_wasi" "$root" / "$pandoc/src/pandoc.wasm" --lua-filter /fail.lua \
            /doc.md >/dev/null 2>"$root.fail.node.err"
        cmp -s "$root.fail.err" "$root.fail.node.err" && pass "pandoc failing filter: same message as node's" ||
            fail "pandoc failing filter: message differs from node's"
    fi
else
    fail "pandoc: cannot fetch pandoc-wasm"
fi

$have_node || echo "node with node:wasi not found: outputs were not compared with node's"
echo "real: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
