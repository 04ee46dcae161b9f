#!/usr/bin/env python3
"""An independent Signatures.md checker (tool-conventions), for interop tests.

Written from the tool-conventions document alone, in another language than
ward's, with hashlib and PyNaCl: the signature data's tables as the document
gives them (hash sets and signature records back to back, no byte lengths
around them), sections hashed as the bytes they are in the file.

  wasmsig.py keygen PK SK
  wasmsig.py sign IN OUT SK [--detached SIGFILE]   (adds to a signature already there)
  wasmsig.py verify IN PK... [--detached SIGFILE]  (exit 0 when some key signed the whole module)
"""
import hashlib
import sys

import nacl.exceptions
import nacl.signing

MAGIC = (b"\0asm\x01\0\0\0", b"\0asm\x0d\0\x01\0")
DOMAIN = b"wasmsig"
IDS = b"\x01\x01\x01"  # spec_version, content_type (wasm module), hash_fn (SHA-256)


class Bad(Exception):
    pass


def leb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def read_leb(data, pos):
    value = shift = 0
    for i in range(5):
        if pos >= len(data):
            raise Bad("truncated varuint32")
        b = data[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            if value >= 1 << 32:
                raise Bad("varuint32 too large")
            return value, pos
    raise Bad("varuint32 too long")


def sections(module):
    """(id, name or None, the section's bytes as in the file) for each section after the header."""
    if module[:8] not in MAGIC:
        raise Bad("not a wasm module")
    pos = 8
    while pos < len(module):
        sid = module[pos]
        size, start = read_leb(module, pos + 1)
        end = start + size
        if end > len(module):
            raise Bad("section past the end")
        name = None
        if sid == 0:
            nlen, npos = read_leb(module, start)
            if npos + nlen > end:
                raise Bad("bad custom section name")
            name = module[npos:npos + nlen]
        yield sid, name, module[pos:end]
        pos = end


def split_module(module):
    """The embedded signature payload (or None) and the other sections."""
    secs = list(sections(module))
    payload = None
    if secs and secs[0][1] == b"signature":
        raw = secs[0][2]
        _, p = read_leb(raw, 1)
        nlen, p = read_leb(raw, p)
        payload = raw[p + nlen:]
        secs = secs[1:]
    if any(name == b"signature" for _, name, _ in secs):
        raise Bad("signature section not first")
    return payload, secs


def part_hashes(secs):
    """Running SHA-256 taken after each delimiter, and at the end if the last section is not one."""
    h = hashlib.sha256()
    out = []
    last_delim = False
    for _, name, raw in secs:
        h.update(raw)
        last_delim = name == b"signature_delimiter"
        if last_delim:
            out.append(h.copy().digest())
    if not last_delim:
        out.append(h.copy().digest())
    return out


def parse_sigdata(data):
    if len(data) < 3:
        raise Bad("truncated header")
    if data[:3] != IDS:
        raise Bad("unknown version, content type or hash function")
    count, pos = read_leb(data, 3)
    sets = []
    for _ in range(count):
        n, pos = read_leb(data, pos)
        if pos + 32 * n > len(data):
            raise Bad("truncated hashes")
        hashes = [data[pos + 32 * i:pos + 32 * (i + 1)] for i in range(n)]
        pos += 32 * n
        nsig, pos = read_leb(data, pos)
        sigs = []
        for _ in range(nsig):
            klen, pos = read_leb(data, pos)
            key_id = data[pos:pos + klen]
            pos += klen
            if pos >= len(data) or data[pos] != 1:
                raise Bad("unknown signature algorithm")
            slen, pos = read_leb(data, pos + 1)
            sig = data[pos:pos + slen]
            if slen != 64 or len(sig) != 64:
                raise Bad("bad signature record")
            pos += slen
            sigs.append((key_id, sig))
        sets.append((hashes, sigs))
    if pos != len(data):
        raise Bad("trailing bytes")
    return sets


def serialize_sigdata(sets):
    out = bytearray(IDS) + leb(len(sets))
    for hashes, sigs in sets:
        out += leb(len(hashes)) + b"".join(hashes) + leb(len(sigs))
        for key_id, sig in sigs:
            out += leb(len(key_id)) + key_id + b"\x01" + leb(len(sig)) + sig
    return bytes(out)


def message(hashes):
    return DOMAIN + IDS + b"".join(hashes)


def custom_section(name, payload):
    body = leb(len(name)) + name + payload
    return b"\0" + leb(len(body)) + body


def load_key(path, kind):
    data = open(path, "rb").read()
    if kind == "pk":
        if len(data) != 33 or data[0] != 0x01:
            raise Bad(path + ": not an Ed25519 public key")
        return nacl.signing.VerifyKey(data[1:])
    if len(data) != 65 or data[0] != 0x81:
        raise Bad(path + ": not an Ed25519 key pair")
    sk = nacl.signing.SigningKey(data[1:33])
    if bytes(sk.verify_key) != data[33:]:
        raise Bad(path + ": public half does not match")
    return sk


def keygen(pk_path, sk_path):
    sk = nacl.signing.SigningKey.generate()
    open(sk_path, "wb").write(b"\x81" + bytes(sk) + bytes(sk.verify_key))
    open(pk_path, "wb").write(b"\x01" + bytes(sk.verify_key))


def sign(in_path, out_path, sk_path, detached=None):
    module = open(in_path, "rb").read()
    sk = load_key(sk_path, "sk")
    payload, secs = split_module(module)
    if detached:
        try:
            payload = open(detached, "rb").read()
        except FileNotFoundError:
            payload = None
    sets = parse_sigdata(payload) if payload else []
    hashes = part_hashes(secs)
    sig = sk.sign(message(hashes)).signature
    for h, sigs in sets:
        if h == hashes:
            sigs.append((b"", sig))
            break
    else:
        sets.append((hashes, [(b"", sig)]))
    data = serialize_sigdata(sets)
    body = b"".join(c for _, _, c in secs)
    if detached:
        open(detached, "wb").write(data)
        open(out_path, "wb").write(module[:8] + body)
    else:
        open(out_path, "wb").write(module[:8] + custom_section(b"signature", data) + body)


def verify(in_path, pk_paths, detached=None):
    module = open(in_path, "rb").read()
    keys = [load_key(p, "pk") for p in pk_paths]
    payload, secs = split_module(module)
    if detached:
        if payload is not None:
            raise Bad("embedded and detached signatures")
        payload = open(detached, "rb").read()
    if payload is None:
        raise Bad("not signed")
    mine = part_hashes(secs)
    valid = []
    for hashes, sigs in parse_sigdata(payload):
        msg = message(hashes)
        for i, key in enumerate(keys):
            for _, sig in sigs:
                try:
                    key.verify(msg, sig)
                except nacl.exceptions.BadSignatureError:
                    continue
                if hashes != mine:
                    raise Bad("key %d signed other hashes: module modified" % i)
                valid.append(i)
    if not valid:
        raise Bad("no valid signature")
    return sorted(set(valid))


def main(argv):
    detached = None
    if "--detached" in argv:
        i = argv.index("--detached")
        detached = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    try:
        if argv[1] == "keygen":
            keygen(argv[2], argv[3])
        elif argv[1] == "sign":
            sign(argv[2], argv[3], argv[4], detached)
        elif argv[1] == "verify":
            print("valid: keys", verify(argv[2], argv[3:], detached))
        else:
            raise IndexError
    except Bad as e:
        print("wasmsig.py: " + str(e), file=sys.stderr)
        return 1
    except IndexError:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
