#!/bin/sh
# Signatures.md interop: ward and an independent Python checker
# (wasmsig.py, hashlib + PyNaCl) sign and verify each other's modules,
# embedded and detached, with several signatures; every tampering is
# refused by both.
# usage: interop_test.sh WARD PYTHON WASMSIG_PY SAMPLE.wasm
set -u
WARD=$(realpath "$1") PY=$2 CHECKER=$(realpath "$3") SAMPLE=$(realpath "$4")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
expect_ok() { if "$@" >"$T/out" 2>&1; then ok; else bad "$* :: $(cat "$T/out")"; fi; }
expect_fail() { if "$@" >"$T/out" 2>&1; then bad "accepted: $*"; else ok; fi; }
PYC="$PY $CHECKER"
cd "$T" || exit 1
cp "$SAMPLE" m.wasm

expect_ok "$WARD" keygen --public-key w.pk --secret-key w.sk
expect_ok $PYC keygen p.pk p.sk
[ "$(stat -c %a w.sk)" = 600 ] && ok || bad "secret key mode $(stat -c %a w.sk)"
[ "$(wc -c < w.pk)" -eq 33 ] && [ "$(wc -c < w.sk)" -eq 65 ] && ok || bad "key sizes"

# ward signs, Python verifies; Python adds a signature, ward verifies both
expect_ok "$WARD" sign -i m.wasm -o w.wasm -k w.sk
expect_ok $PYC verify w.wasm w.pk
expect_fail $PYC verify w.wasm p.pk
expect_ok $PYC sign w.wasm wp.wasm p.sk
expect_ok "$WARD" verify -i wp.wasm -K p.pk
expect_ok "$WARD" verify -i wp.wasm -K w.pk
expect_ok "$WARD" verify -i wp.wasm -K w.pk -K p.pk
expect_ok "$WARD" run --invoke double wp.wasm 21
# Python signs first, ward adds
expect_ok $PYC sign m.wasm p.wasm p.sk
expect_ok "$WARD" verify -i p.wasm -K p.pk
expect_ok "$WARD" sign -i p.wasm -o pw.wasm -k w.sk
expect_ok $PYC verify pw.wasm p.pk w.pk
expect_fail "$WARD" sign -i pw.wasm -o again.wasm -k w.sk   # the same key twice
# both orders give the same module and signature set
cmp -s wp.wasm pw.wasm && bad "orders give identical bytes (signature order should differ)" || ok
# detached, both ways, several signatures in one file
expect_ok "$WARD" sign -i m.wasm -o d.wasm -k w.sk --signature-file d.sig
expect_ok $PYC verify d.wasm w.pk --detached d.sig
expect_ok $PYC sign d.wasm d2.wasm p.sk --detached d.sig
expect_ok "$WARD" verify -i d.wasm -K p.pk --signature-file d.sig
expect_ok "$WARD" verify -i d.wasm -K w.pk --signature-file d.sig
expect_fail "$WARD" verify -i d.wasm -K w.pk                   # not embedded
expect_fail "$WARD" verify -i w.wasm -K w.pk --signature-file d.sig  # embedded and detached
# the embedded section's payload is the detached data
expect_ok $PYC sign m.wasm pd.wasm p.sk --detached pd.sig
expect_ok "$WARD" verify -i m.wasm -K p.pk --signature-file pd.sig

# Tampering: a byte in each section, a section moved, a signature byte,
# truncation, a section added.  Every variant is refused by ward (and by
# the checker, so the variants are real tamperings).
$PY - wp.wasm <<'PYEOF' || bad "making the tampered variants"
import sys
data = bytearray(open(sys.argv[1], "rb").read())
def leb(d, p):
    v = s = 0
    while True:
        b = d[p]; p += 1; v |= (b & 0x7f) << s; s += 7
        if not b & 0x80: return v, p
secs = []
p = 8
while p < len(data):
    size, start = leb(data, p + 1)
    secs.append((p, start, start + size))
    p = start + size
n = 0
def out(tag, d):
    global n
    open("t%02d_%s.wasm" % (n, tag), "wb").write(d); n += 1
for i, (s, b, e) in enumerate(secs[1:], 1):
    d = bytearray(data); d[(b + e) // 2] ^= 0x01; out("section%d" % i, d)
    d = bytearray(data); d[e - 1] ^= 0x80; out("section%d_last" % i, d)
s1, s2 = secs[1], secs[2]
out("moved", data[:s1[0]] + data[s2[0]:s2[2]] + data[s1[0]:s1[2]] + data[s2[2]:])
sig_start, sig_end = secs[0][1], secs[0][2]
d = bytearray(data); d[sig_end - 10] ^= 0x01; out("sigbyte", d)
d = bytearray(data); d[sig_end - 70] ^= 0x01; out("sigbyte2", d)
d = bytearray(data); d[sig_start + 40] ^= 0x01; out("hashbyte", d)
out("truncated_end", data[:-1])
out("truncated_sig", data[:sig_start + 20])
out("truncated_half", data[:len(data) // 2])
out("added", data + b"\x00\x05\x04evil")
out("removed_last", data[:secs[-1][0]])
PYEOF
count=0
for f in t*_*.wasm; do
    count=$((count + 1))
    # a damaged signature leaves the other one valid: check its key alone
    # (python signed last: the section's last bytes are its signature)
    case $f in
    *_sigbyte.wasm) keys=p.pk ;;
    *_sigbyte2.wasm) keys=w.pk ;;
    *) keys="w.pk p.pk" ;;
    esac
    set -- ; for k in $keys; do set -- "$@" -K "$k"; done
    expect_fail "$WARD" verify -i "$f" "$@"
    expect_fail $PYC verify "$f" $keys
done
# ... and the intact one still verifies
expect_ok "$WARD" verify -i t*_sigbyte.wasm -K w.pk
[ "$count" -ge 20 ] && ok || bad "only $count tampered variants"
# a tampered module names the reason
"$WARD" verify -i t00_section1.wasm -K w.pk >/dev/null 2>"$T/why"
grep -q "hash mismatch" "$T/why" && ok || bad "tampering reason: $(cat "$T/why")"
# detached data tampered
cp d.sig d_bad.sig
printf '\377' | dd of=d_bad.sig bs=1 seek=$(($(wc -c < d.sig) - 5)) conv=notrunc 2>/dev/null
expect_fail "$WARD" verify -i d.wasm -K p.pk --signature-file d_bad.sig   # python's, last
# bad keys: wrong length, wrong type byte, a secret key given as public
head -c 32 w.pk > short.pk
expect_fail "$WARD" verify -i w.wasm -K short.pk
"$WARD" verify -i w.wasm -K short.pk 2>"$T/why"
grep -q "short.pk: .*33" "$T/why" && ok || bad "short key message: $(cat "$T/why")"
expect_fail "$WARD" verify -i w.wasm -K w.sk
expect_fail "$WARD" sign -i m.wasm -o x.wasm -k w.pk

echo "sign_interop: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
