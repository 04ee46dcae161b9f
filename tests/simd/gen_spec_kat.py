#!/usr/bin/env python3
"""Extract known-answer vectors for tests/simd from the spec testsuite.

    tests/simd/gen_spec_kat.py SUITE_DIR > tests/simd/spec_kat.txt

Takes every assert_return of the simd_*.wast files whose export is a
function that applies one SIMD instruction of simd_ops.h directly to its
parameters (`(func (export "lt_s") (param $x v128) (param $y v128)
(result v128) (i8x16.lt_s (local.get $x) (local.get $y)))`), so the
expected value is that instruction's answer.  At most CAP cases per instruction.  Needs wast2json (wabt).  One line per case:

    NAME ARG1 [ARG2 [ARG3]] = RESULT LANES

each value 32 hex digits (16 bytes, lane 0 first as in memory; a scalar
argument or result sits in the low bytes).  LANES is '-' (compare bits) or
f32:/f64: followed by one letter per lane: v (bits), c (a canonical NaN
is required), a (an arithmetic NaN is required).
"""
import json, os, re, subprocess, sys, tempfile

FUNC = re.compile(r'\(func \(export "([^"]+)"\)\s*((?:\(param[^)]*\)\s*)*)\(result \w+\)\s*'
                  r'\(([a-z0-9_]+\.[a-z0-9_]+)((?:\s*\(local\.get [$\w]+\))+)\)\)')
PARAM = re.compile(r'\(param((?:\s+[$\w]+)+)\)')

def direct_exports(text, known):
    """Export name -> instruction, for functions whose body is one known
    instruction applied to all their parameters in order; a name bound to
    different instructions in different modules of the file is dropped."""
    found = {}
    for m in FUNC.finditer(text):
        params = []
        for p in PARAM.finditer(m.group(2)):
            words = p.group(1).split()
            if words[0].startswith('$'):
                params.append(words[0])
            else:
                params.extend([str(len(params) + k) for k in range(len(words))])
        gets = re.findall(r'\(local\.get ([$\w]+)\)', m.group(4))
        if m.group(3) in known and gets == params and len(params) == len(set(params)):
            found.setdefault(m.group(1), set()).add(m.group(3))
    return {name: ops.pop() for name, ops in found.items() if len(ops) == 1}

def lanes_to_bytes(v):
    t = v['type']
    if t != 'v128':
        width = {'i32': 4, 'f32': 4, 'i64': 8, 'f64': 8}[t]
        return int(v['value']).to_bytes(width, 'little') + bytes(16 - width), '-', None
    lt = v['lane_type']
    width = {'i8': 1, 'i16': 2, 'i32': 4, 'i64': 8, 'f32': 4, 'f64': 8}[lt]
    out, tags = b'', ''
    for lane in v['value']:
        if lane.startswith('nan:'):
            tags += 'c' if lane == 'nan:canonical' else 'a'
            out += bytes(width)
        else:
            tags += 'v'
            out += (int(lane) % (1 << (8 * width))).to_bytes(width, 'little')
    shape = lt + ':' + tags if 'c' in tags or 'a' in tags else '-'
    return out, shape, lt

# Cases kept per instruction (evenly spread over the file's order, after
# removing duplicates): pmin/pmax alone have ~2,000 each, which would make
# the data file several times larger for little extra coverage.
CAP = 150

def main():
    suite = sys.argv[1]
    ops_h = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'simd_ops.h')
    known = set(re.findall(r'"([a-z0-9_]+\.[a-z0-9_]+)"\)', open(ops_h).read()))
    cases = {}
    tmp = tempfile.mkdtemp(prefix='simd-kat-')
    for wast in sorted(f for f in os.listdir(suite) if f.startswith('simd_') and f.endswith('.wast')):
        text = open(os.path.join(suite, wast)).read()
        direct = direct_exports(text, known)
        if not direct:
            continue
        js = os.path.join(tmp, wast[:-5] + '.json')
        subprocess.run(['wast2json', '--enable-all', os.path.join(suite, wast), '-o', js], check=True)
        for c in json.load(open(js))['commands']:
            if c['type'] != 'assert_return' or c['action']['type'] != 'invoke':
                continue
            name = c['action']['field']
            if name not in direct or len(c['expected']) != 1:
                continue
            args = [lanes_to_bytes(a)[0].hex() for a in c['action']['args']]
            res, shape, _ = lanes_to_bytes(c['expected'][0])
            op = direct[name]
            line = ' '.join([op, *args, '=', res.hex(), shape])
            cases.setdefault(op, {})[line] = True
    for name in sorted(cases):
        lines = list(cases[name])
        step = max(1, -(-len(lines) // CAP))
        for line in lines[::step]:
            print(line)

main()
