#!/usr/bin/env python3
"""Write one C file of varied, realistic functions for the start-up benchmark.

    bench/startup_gen.py PART FUNCS OUT.c

Part PART defines functions p<PART>_f0 .. p<PART>_f<FUNCS-1>.  Each is
drawn (deterministically, seeded by PART) from a few shapes compilers see
in real programs: counted loops over arrays, switch-heavy state machines
(br_table), float arithmetic, byte parsing, struct field updates and
calls to earlier functions of the same part.  Nothing is ever run; the
code only has to be valid and look like compiler output.
Python 3 standard library only.
"""

import random
import sys

PRELUDE = """\
typedef unsigned int u32;
typedef unsigned long long u64;
struct rec { int a; short b; unsigned char c; double d; u64 e; float f[4]; };
static struct rec recs_%(p)d[64];
static u32 words_%(p)d[1024];
static unsigned char bytes_%(p)d[4096];
static double reals_%(p)d[256];
#define NOINLINE __attribute__((noinline))
"""

INT_OPS = ['+', '-', '*', '^', '|', '&']


def expr(rng, names, depth=0):
    """A random side-effect-free int expression over names."""
    if depth > 2 or rng.random() < 0.3:
        if rng.random() < 0.3:
            return str(rng.randint(1, 1000))
        return rng.choice(names)
    a, b = expr(rng, names, depth + 1), expr(rng, names, depth + 1)
    kind = rng.random()
    if kind < 0.6:
        return f'({a} {rng.choice(INT_OPS)} {b})'
    if kind < 0.75:
        return f'((u32){a} >> {rng.randint(1, 31)})'
    if kind < 0.9:
        return f'({a} < {b} ? {a} : {b})'
    return f'((u32){a} / ((u32){b} | 1u))'


def loop_fn(rng, p, name, callees):
    body = [f'NOINLINE int {name}(int n, int x) {{', '  int acc = x, t = 0;',
            '  for (int i = 0; i < n; i++) {']
    for _ in range(rng.randint(3, 8)):
        target = rng.choice(['acc', 't'])
        body.append(f'    {target} += {expr(rng, ["i", "acc", "t", "x"])};')
        if rng.random() < 0.5:
            body.append(f'    words_{p}[(i + {rng.randint(0, 99)}) & 1023] ^= (u32)acc;')
        if rng.random() < 0.3:
            body.append(f'    if (t > {rng.randint(100, 10000)}) t = bytes_{p}[i & 4095];')
    body.append('  }')
    if callees:
        body.append(f'  acc += {rng.choice(callees)}(n - 1, t);')
    body += ['  return acc ^ t;', '}']
    return body


def switch_fn(rng, p, name, callees):
    cases = rng.randint(6, 24)
    body = [f'NOINLINE int {name}(int n, int x) {{', '  int state = x & 31, out = 0;',
            '  for (int k = 0; k < n; k++) {', '    switch (state) {']
    for c in range(cases):
        stmt = f'out += {expr(rng, ["k", "out", "n"])}; state = {rng.randint(0, cases)};'
        if callees and rng.random() < 0.2:
            stmt = f'out ^= {rng.choice(callees)}(k & 7, out); state = {rng.randint(0, cases)};'
        body.append(f'    case {c}: {stmt} break;')
    body += ['    default: state = (state * 7 + out) & 31; out--; break;', '    }', '  }',
             '  return out;', '}']
    return body


def float_fn(rng, p, name, callees):
    body = [f'NOINLINE double {name}(double a, int n) {{', '  double s = a, v = 1.0;',
            '  for (int i = 0; i < n; i++) {']
    for _ in range(rng.randint(3, 7)):
        op = rng.choice(['+', '-', '*'])
        body.append(f'    s = s {op} reals_{p}[(i * {rng.randint(1, 17)}) & 255] * {rng.uniform(0.1, 3.0):.6f};')
        if rng.random() < 0.4:
            body.append(f'    v = s > v ? s / (v + {rng.uniform(1, 9):.3f}) : v + s;')
        if rng.random() < 0.3:
            body.append(f'    reals_{p}[i & 255] = (float)v;')
    body += ['  }', '  return s + v;', '}']
    return body


def parse_fn(rng, p, name, callees):
    delim = rng.randint(32, 126)
    body = [f'NOINLINE u32 {name}(u32 off, u32 len) {{', '  u32 h = 2166136261u, num = 0;',
            '  for (u32 i = 0; i < len; i++) {',
            f'    unsigned char ch = bytes_{p}[(off + i) & 4095];',
            f"    if (ch == {delim}) {{ words_{p}[num & 1023] = h; num++; continue; }}",
            "    if (ch >= '0' && ch <= '9') h = h * 10 + (ch - '0');",
            f'    else h = (h ^ ch) * {rng.choice([16777619, 2654435761, 40503])}u;']
    if rng.random() < 0.5:
        body.append(f'    bytes_{p}[(off + i) & 4095] = (unsigned char)(h >> {rng.randint(1, 24)});')
    body += ['  }', '  return h + num;', '}']
    return body


def struct_fn(rng, p, name, callees):
    body = [f'NOINLINE u64 {name}(int idx, int v) {{', f'  struct rec *r = &recs_{p}[idx & 63];',
            '  u64 sum = 0;']
    for _ in range(rng.randint(3, 9)):
        field = rng.choice(['a', 'b', 'c', 'd', 'e', 'f[0]', 'f[3]'])
        body.append(f'  r->{field} += v * {rng.randint(2, 99)};')
        body.append(f'  sum += (u64)r->{field};')
    if callees:
        body.append(f'  sum ^= (u64){rng.choice(callees)}(v, idx);')
    body += ['  return sum;', '}']
    return body


SHAPES = [loop_fn, switch_fn, float_fn, parse_fn, struct_fn]


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.split('\n\n')[1])
    part, count, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    rng = random.Random(part)
    lines = [PRELUDE % {'p': part}]
    int_callees = []   # (int, int) -> int functions defined so far
    for i in range(count):
        name = f'p{part}_f{i}'
        shape = rng.choice(SHAPES)
        recent = int_callees[-40:]
        lines += shape(rng, part, name, recent)
        if shape in (loop_fn, switch_fn):
            int_callees.append(name)
    with open(out, 'w') as f:
        f.write('\n'.join(lines) + '\n')


if __name__ == '__main__':
    main()
