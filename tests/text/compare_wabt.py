#!/usr/bin/env python3
"""compare_wabt.py WARD_BUILD [WAST...]: every module form of the spec
testsuite through ward's text parser (tests/text/wast_modules) and through
wabt's wast2json; prints the forms whose bytes differ and the text
assert_malformed modules ward accepts.  Default WASTs: the whole suite.
Exits 1 on a difference not in KNOWN (docs/text.md says why each is
there), a module ward refuses or a malformed one it accepts; 77 (skipped)
without wast2json or the suite."""
import glob, json, os, shutil, subprocess, sys, tempfile

# deliberate differences: ward follows the text where wabt rewrites it
KNOWN = {
    'select.wast:324': 'select (result) with no types: the typed select, as written',
    'memory_init.wast:190': 'data.drop without data segments: a data count section of 0',
    'memory_init.wast:227': 'memory.init without data segments: a data count section of 0',
}

build = sys.argv[1]
suite = os.environ.get('WARD_SPEC_SUITE', '/work/shared/spec-testsuite')
if not shutil.which('wast2json') or not os.path.isdir(suite):
    print('compare_wabt: no wast2json or no spec testsuite; skipped')
    sys.exit(77)
unexpected = 0
files = sys.argv[2:] or sorted(glob.glob(suite + '/*.wast') + glob.glob(suite + '/proposals/*/*.wast'))
tool = os.path.join(build, 'tests/text/wast_modules')
totals = dict(same=0, differ=0, ward_error=0, malformed_rejected=0, malformed_accepted=0, skipped=0)
features = ['--enable-all']
for wast in files:
    with tempfile.TemporaryDirectory() as tmp:
        jdir, wdir = os.path.join(tmp, 'j'), os.path.join(tmp, 'w')
        os.mkdir(jdir); os.mkdir(wdir)
        r = subprocess.run(['wast2json', *features, wast, '-o', os.path.join(jdir, 'x.json')],
                           capture_output=True, text=True)
        if r.returncode != 0:
            print(f'{wast}: wast2json failed: {r.stderr.strip()[:200]}')
            continue
        cmds = json.load(open(os.path.join(jdir, 'x.json')))['commands']
        out = subprocess.run([tool, wast, wdir], capture_output=True, text=True).stdout
        ward = {}
        for line in out.splitlines():
            idx, status, rest = (line.split(' ', 2) + [''])[:3]
            ward[int(idx)] = (status, rest)
        for i, c in enumerate(cmds):
            fn = c.get('filename')
            if not fn:
                continue
            st = ward.get(i)
            where = f"{os.path.relpath(wast, suite)}:{c['line']}"
            if c['type'] == 'assert_malformed' and c.get('module_type') == 'text':
                if st and st[0] == 'error':
                    totals['malformed_rejected'] += 1
                else:
                    totals['malformed_accepted'] += 1
                    unexpected += 1
                    print(f'{where}: malformed accepted ({c["text"]})')
                continue
            if not fn.endswith('.wasm'):
                totals['skipped'] += 1
                continue
            if st is None:
                totals['skipped'] += 1
                print(f'{where}: no module from ward (command {c["type"]})')
                continue
            if st[0] == 'error':
                totals['ward_error'] += 1
                unexpected += 1
                print(f'{where}: ward error {st[1]}')
                continue
            a = open(os.path.join(jdir, fn), 'rb').read()
            b = open(os.path.join(wdir, f'{i}.wasm'), 'rb').read()
            if a == b:
                totals['same'] += 1
            else:
                totals['differ'] += 1
                known = KNOWN.get(os.path.relpath(wast, suite) + ':' + str(c['line']))
                if not known:
                    unexpected += 1
                print(f'{where}: differs from wabt ({c["type"]}) {len(a)} vs {len(b)} bytes'
                      + (f' (known: {known})' if known else ''))
print(totals)
print(f'compare_wabt: {totals["same"]} passed, {unexpected} failed')
sys.exit(1 if unexpected else 0)
