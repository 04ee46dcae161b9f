#!/usr/bin/env python3
"""Regenerate embed_modules.h (the test modules of test_embed_api.c) with wat2wasm."""
import os, subprocess, tempfile, textwrap
mods = {
'caller': '''(module
  (import "env" "sum" (func $sum (param i32 i32) (result i32)))
  (import "env" "poke" (func $poke (param i32 i64)))
  (memory (export "memory") 1)
  (data (i32.const 16) "\\01\\02\\03\\04\\05")
  (func (export "sum") (param i32 i32) (result i32) (call $sum (local.get 0) (local.get 1)))
  (func (export "poke") (param i32 i64) (call $poke (local.get 0) (local.get 1)))
  (func (export "load64") (param i32) (result i64) (i64.load (local.get 0))))''',
'nomem': '''(module
  (import "env" "sum" (func $sum (param i32 i32) (result i32)))
  (func (export "sum") (param i32 i32) (result i32) (call $sum (local.get 0) (local.get 1))))''',
'heap': '''(module
  (import "env" "sum" (func $sum (param i32 i32) (result i32)))
  (memory (export "heap") 1)
  (data (i32.const 0) "\\07\\08")
  (func (export "sum") (param i32 i32) (result i32) (call $sum (local.get 0) (local.get 1))))''',
'wasi_args': '''(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $a (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "go") (result i32) (call $a (i32.const 0) (i32.const 4))))''',
'linkerr': '''(module
  (import "env" "foo" (func))
  (import "env" "bar" (func (param i32) (result i32)))
  (import "env" "mem" (memory 2))
  (import "env" "multi" (func (param i32 f64) (result i32 i64)))
  (import "env" "tab" (table 3 externref))
  (import "env" "glob" (global (mut f32))))''',
'shared': '''(module
  (memory (export "memory") 1 2 shared))''',
'unshared_import': '''(module
  (import "env" "memory" (memory 1 2)))''',
'shared_import': '''(module
  (import "env" "memory" (memory 1 2 shared)))''',
'typed': '''(module
  (import "env" "g" (global i64))
  (func (export "f") (param i32 f64) (result i32 i64) (local.get 0) (i64.const 0))
  (table (export "t") 2 7 funcref)
  (memory (export "m") 1 3)
  (global (export "gm") (mut i32) (i32.const 0))
  (export "g_again" (global 0)))''',
}
def custom(name, data):
    body = bytes([len(name)]) + name.encode() + data
    assert len(body) < 128
    return bytes([0, len(body)]) + body
extra = {'typed': [('producer', b'abc'), ('note', b''), ('producer', b'xyz!')]}
out = ['/* Test modules for test_embed_api.c: text format above each, bytes from\n * wat2wasm (tests/runtime/embed_modules.py regenerates them). */',
       '#ifndef WARD_TEST_EMBED_MODULES_H', '#define WARD_TEST_EMBED_MODULES_H', '', '#include <stdint.h>', '']
tmp = tempfile.mkdtemp()
for name, wat in mods.items():
    src, dst = os.path.join(tmp, name + '.wat'), os.path.join(tmp, name + '.wasm')
    open(src, 'w').write(wat)
    subprocess.check_call(['wat2wasm', '--enable-threads', src, '-o', dst])
    b = open(dst, 'rb').read()
    comment = wat
    for n, d in extra.get(name, []):
        b += custom(n, d)
        comment += '\n + custom section "%s" with %r' % (n, d.decode())
    out.append('/*\n' + '\n'.join(' * ' + l for l in comment.split('\n')) + '\n */')
    out.append('static const uint8_t %s_wasm[] = {' % name)
    hx = ', '.join('0x%02x' % x for x in b)
    out += textwrap.wrap(hx, 100, initial_indent='    ', subsequent_indent='    ')
    out[-1] += ','
    out.append('};\n')
out.append('#endif')
open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'embed_modules.h'), 'w').write('\n'.join(out) + '\n')
