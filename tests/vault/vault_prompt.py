#!/usr/bin/env python3
"""`ward vault` asking the passphrase at a terminal (a pseudo-terminal
here): echo off, asked twice at init and refused when the two differ, a
wrong one refused at unlock.  usage: vault_prompt.py WARD"""
import os
import pty
import sys
import tempfile
import time

WARD = os.path.realpath(sys.argv[1])
passed = failed = 0


def run(args, lines):
    """Run ward on a pty, typing lines; (exit status, everything shown)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(WARD, [WARD] + args)
    out = b''
    for line in lines:
        time.sleep(0.3)  # after the prompt has switched echo off
        os.write(fd, line)
    while True:
        try:
            data = os.read(fd, 1024)
        except OSError:
            break
        if not data:
            break
        out += data
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), out.decode(errors='replace')


def check(what, cond, detail):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f'FAIL: {what}: {detail}', file=sys.stderr)


with tempfile.TemporaryDirectory() as d:
    db = os.path.join(d, 't.db')
    fast = ['--kdf-ops', '1', '--kdf-mem', '65536']
    rc, out = run(['vault', '--db', db] + fast + ['init'], [b'typed secret\n', b'typed secret\n'])
    check('init', rc == 0 and 'again:' in out and 'vault initialised' in out, out)
    check('no echo', 'typed secret' not in out, out)
    rc, out = run(['vault', '--db', db, 'list'], [b'typed secret\n'])
    check('unlock', rc == 0 and 'typed secret' not in out, out)
    rc, out = run(['vault', '--db', db, 'list'], [b'typed secreT\n'])
    check('wrong passphrase', rc == 1 and 'wrong passphrase' in out, out)
    rc, out = run(['vault', '--db', os.path.join(d, 'u.db'), 'init'], [b'one\n', b'two\n'])
    check('differ', rc == 1 and 'passphrases differ' in out, out)

print(f'vault_prompt: {passed} passed, {failed} failed')
sys.exit(1 if failed else 0)
