#!/usr/bin/env python3
"""Differential test of exception handling against node (not a meson test:
it needs node and takes minutes).  Generates random modules full of nested
try/catch/catch_all/delegate/throw/rethrow, calls through call and
call_indirect, and a global that logs every catch; each module's export
`run` is called with 0..7 in ward and in node, and the results (or
"uncaught exception") must agree.

    tests/eh/diff_node.py WARD [FIRST_SEED LAST_SEED] [-- WARD_RUN_FLAGS...]

e.g. `tests/eh/diff_node.py build/src/cli/ward 1 300 -- --fuel 100000000`
runs the metered code.  Needs wat2wasm (wabt) and node >= 18.  A differing
module is kept as diff_<seed>.wat in the current directory."""
import os, random, subprocess, sys, tempfile

NF, NT = 4, 3  # functions, tags

NODE_RUNNER = r"""
const fs = require('node:fs');
const i = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(process.argv[1])), {});
for (const a of process.argv.slice(2)) {
  try { console.log(i.exports.run(Number(a))); }
  catch (e) { console.log(e instanceof WebAssembly.Exception ? 'EXC' : 'TRAP'); }
}
"""


def generate(seed):
    rnd = random.Random(seed)
    count = [0]

    def log_catch():
        count[0] += 1
        return f"(global.set $acc (i32.add (i32.mul (global.get $acc) (i32.const 31)) (i32.const {count[0]})))"

    def leaf():
        return rnd.choice([f"(i32.const {rnd.randint(-5, 50)})", "(local.get 0)", "(global.get $acc)"])

    def expr(fi, labels, depth):
        if depth > 4 or rnd.random() < 0.2:
            return leaf()
        sub = lambda extra=(): expr(fi, labels + list(extra), depth + 1)
        r = rnd.random()
        if r < 0.15 and fi < NF - 1:
            return f"(call $f{rnd.randint(fi + 1, NF - 1)} {sub()})"
        if r < 0.25 and fi < NF - 1:  # index NF is a null entry: a trap
            return f"(call_indirect (type $t) {sub()} (i32.const {rnd.randint(fi + 1, NF)}))"
        if r < 0.40:
            cond = f"(i32.and (i32.add (local.get 0) (global.get $acc)) (i32.const {rnd.choice([1, 2, 3, 4])}))"
            return (f"(if (result i32) {cond} (then (throw $e{rnd.randrange(NT)} {sub(['if'])})) "
                    f"(else {sub(['if'])}))")
        if r < 0.50:
            catches = [d for d, kind in enumerate(reversed(labels)) if kind == 'catch']
            if catches:  # rethrow from inside an if: one more label
                return (f"(if (result i32) (i32.and (local.get 0) (i32.const {rnd.choice([1, 2, 4, 8])})) "
                        f"(then (rethrow {rnd.choice(catches) + 1})) (else {sub(['if'])}))")
            return f"(i32.add {sub()} {sub()})"
        if r < 0.60:
            return f"(i32.add {sub()} {sub()})"
        if r < 0.68:
            return f"(block (result i32) {sub(['block'])})"
        body = sub(['try'])
        if rnd.random() < 0.25:
            return f"(try (result i32) (do {body}) (delegate {rnd.randrange(len(labels))}))"
        clauses = [f"(catch $e{tag} {log_catch()} (i32.add {sub(['catch'])}))"
                   for tag in rnd.sample(range(NT), rnd.randint(0, NT))]
        if rnd.random() < 0.5 or not clauses:
            clauses.append(f"(catch_all {log_catch()} {sub(['catch'])})")
        return f"(try (result i32) (do {body}) {' '.join(clauses)})"

    lines = ["(module", "(type $t (func (param i32) (result i32)))", "(global $acc (mut i32) (i32.const 0))"]
    lines += [f"(tag $e{t} (param i32))" for t in range(NT)]
    lines += [f"(table {NF + 1} funcref)", "(elem (i32.const 0) " + " ".join(f"$f{i}" for i in range(NF)) + ")"]
    lines += [f"(func $f{i} (param i32) (result i32) {expr(i, ['func'], 0)})" for i in range(NF)]
    lines.append('(func (export "run") (param i32) (result i32) (global.set $acc (i32.const 0)) '
                 '(i32.xor (i32.mul (call $f0 (local.get 0)) (i32.const -1640531535)) (global.get $acc))))')
    return "\n".join(lines)


def main():
    args = sys.argv[1:]
    flags = args[args.index('--') + 1:] if '--' in args else []
    args = args[:args.index('--')] if '--' in args else args
    ward = os.path.abspath(args[0])
    first, last = (int(args[1]), int(args[2])) if len(args) >= 3 else (1, 100)
    inputs = [str(a) for a in range(8)]
    differing = 0
    with tempfile.TemporaryDirectory() as tmp:
        wat, wasm = os.path.join(tmp, "t.wat"), os.path.join(tmp, "t.wasm")
        for seed in range(first, last + 1):
            text = generate(seed)
            open(wat, "w").write(text)
            subprocess.run(["wat2wasm", "--enable-exceptions", wat, "-o", wasm], check=True)
            node = subprocess.run(["node", "-e", NODE_RUNNER, wasm] + inputs, capture_output=True,
                                  text=True).stdout.split()
            mine = []
            for a in inputs:
                r = subprocess.run([ward, "run"] + flags + ["--invoke", "run", wasm, a], capture_output=True,
                                   text=True)
                out = (r.stdout or r.stderr).strip().split("\n")[0]
                mine.append("EXC" if out.startswith("trap: uncaught exception") else
                            "TRAP" if out.startswith("trap:") else out)
            if mine != node:
                differing += 1
                open(f"diff_{seed}.wat", "w").write(text)
                print(f"seed {seed}: ward {mine}, node {node}")
    print(f"eh diff: {last - first + 1} modules, {differing} differing")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
