#!/usr/bin/python3
"""Cross-check the known-answer vectors of vectors.h with independent code:
hashlib (SHA-2, BLAKE2b) and PyNaCl (Debian python3-nacl; Ed25519, AEAD,
X25519, kx, Argon2id).  Prints each check; exits 1 on any mismatch.
Run: /usr/bin/python3 tests/crypto/cross_check.py tests/crypto/vectors.h"""
import hashlib, re, sys
import nacl.bindings as nb

src = open(sys.argv[1]).read()
def v(name):
    m = re.search(r'#define %s[\s\\]+((?:"[0-9a-f]*"[\s\\]*)+)' % name, src)
    return bytes.fromhex(''.join(re.findall(r'"([0-9a-f]*)"', m.group(1))))

bad = 0
def check(name, got, want):
    global bad
    ok = got == want
    bad += not ok
    print(("ok   " if ok else "FAIL ") + name)

M448 = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
M896 = (b"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
        b"ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu")
check("sha256 abc", hashlib.sha256(b"abc").digest(), v("KAT_SHA256_ABC"))
check("sha256 448", hashlib.sha256(M448).digest(), v("KAT_SHA256_448"))
check("sha256 896", hashlib.sha256(M896).digest(), v("KAT_SHA256_896"))
check("sha256 million", hashlib.sha256(b"a" * 1000000).digest(), v("KAT_SHA256_MILLION"))
check("sha512 abc", hashlib.sha512(b"abc").digest(), v("KAT_SHA512_ABC"))
check("sha512 448", hashlib.sha512(M448).digest(), v("KAT_SHA512_448"))
check("sha512 896", hashlib.sha512(M896).digest(), v("KAT_SHA512_896"))
check("sha512 million", hashlib.sha512(b"a" * 1000000).digest(), v("KAT_SHA512_MILLION"))
check("blake2b-512 abc", hashlib.blake2b(b"abc").digest(), v("KAT_BLAKE2B_ABC"))
k = bytes(range(64))
check("blake2b keyed 0", hashlib.blake2b(b"", key=k).digest(), v("KAT_BLAKE2B_KEYED_0"))
check("blake2b keyed 3", hashlib.blake2b(bytes(range(3)), key=k).digest(), v("KAT_BLAKE2B_KEYED_3"))
check("blake2b keyed 255", hashlib.blake2b(bytes(range(255)), key=k).digest(), v("KAT_BLAKE2B_KEYED_255"))
check("blake2b-256 keyed 3", hashlib.blake2b(bytes(range(3)), key=k[:32], digest_size=32).digest(),
      v("KAT_BLAKE2B256_KEY32_3"))
for i in (1, 2, 3):
    pk, sk = nb.crypto_sign_seed_keypair(v("KAT_ED_SEED%d" % i))
    check("ed25519 pk %d" % i, pk, v("KAT_ED_PK%d" % i))
    sm = nb.crypto_sign(v("KAT_ED_MSG%d" % i), sk)
    check("ed25519 sig %d" % i, sm[:64], v("KAT_ED_SIG%d" % i))
ct = nb.crypto_aead_xchacha20poly1305_ietf_encrypt(v("KAT_AEAD_PT"), v("KAT_AEAD_AD"), v("KAT_AEAD_NONCE"),
                                                    v("KAT_AEAD_KEY"))
check("xchacha20poly1305 A.3.1", ct, v("KAT_AEAD_CT") + v("KAT_AEAD_TAG"))
check("aead pt is the draft's text", v("KAT_AEAD_PT"),
      b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, "
      b"sunscreen would be it.")
# crypto_kdf (libsodium 1.0.18): BLAKE2b keyed by the master key, salt = id (LE64) || 0^8, person = ctx || 0^8
def kdf(n, sid, ctx, key):
    return hashlib.blake2b(b"", digest_size=n, key=key, salt=sid.to_bytes(8, "little") + bytes(8),
                           person=ctx + bytes(8)).digest()
check("kdf id 0", kdf(32, 0, b"KDF test", bytes(range(32))), v("KAT_KDF_0"))
check("kdf id 1 64", kdf(64, 1, b"KDF test", bytes(range(32))), v("KAT_KDF_1_64"))
check("kdf id 2^63", kdf(16, 1 << 63, b"KDF test", bytes(range(32))), v("KAT_KDF_BIG_16"))
check("argon2id", nb.crypto_pwhash_alg(32, b"password", b"somesaltsomesalt", 2, 65536,
                                       nb.crypto_pwhash_ALG_ARGON2ID13), v("KAT_ARGON2ID"))
pk, sk = nb.crypto_box_seed_keypair(v("KAT_BOX_SEED"))
check("box pk", pk, v("KAT_BOX_PK"))
check("box sk", sk, v("KAT_BOX_SK"))
spk, ssk = nb.crypto_box_seed_keypair(v("KAT_BOX_SEED2"))
check("box pk 2", spk, v("KAT_BOX_PK2"))
rx, tx = nb.crypto_kx_client_session_keys(pk, sk, spk)
check("kx client rx", rx, v("KAT_KX_CLIENT_RX"))
check("kx client tx", tx, v("KAT_KX_CLIENT_TX"))
check("sealed box opens", nb.crypto_box_seal_open(v("KAT_SEALED"), pk, sk), b"sealed for ward")
epk, esk = nb.crypto_box_seed_keypair(v("KAT_SEAL_ESEED"))
nonce = hashlib.blake2b(epk + pk, digest_size=24).digest()
check("seeded sealed box", epk + nb.crypto_box(b"sealed for ward", nonce, pk, esk), v("KAT_SEALED_SEEDED"))
check("seeded sealed box opens", nb.crypto_box_seal_open(v("KAT_SEALED_SEEDED"), pk, sk), b"sealed for ward")
# ChaCha20 IETF, zero key and nonce, counter 0 (RFC 8439 A.1 #1): the zero-seed stream
def chacha20_block(key, counter, nonce):
    def rotl(x, n): return ((x << n) | (x >> (32 - n))) & 0xffffffff
    def qr(s, a, b, c, d):
        s[a] = (s[a] + s[b]) & 0xffffffff; s[d] = rotl(s[d] ^ s[a], 16)
        s[c] = (s[c] + s[d]) & 0xffffffff; s[b] = rotl(s[b] ^ s[c], 12)
        s[a] = (s[a] + s[b]) & 0xffffffff; s[d] = rotl(s[d] ^ s[a], 8)
        s[c] = (s[c] + s[d]) & 0xffffffff; s[b] = rotl(s[b] ^ s[c], 7)
    w = lambda b: [int.from_bytes(b[i:i + 4], "little") for i in range(0, len(b), 4)]
    init = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574] + w(key) + [counter] + w(nonce)
    s = list(init)
    for _ in range(10):
        qr(s, 0, 4, 8, 12); qr(s, 1, 5, 9, 13); qr(s, 2, 6, 10, 14); qr(s, 3, 7, 11, 15)
        qr(s, 0, 5, 10, 15); qr(s, 1, 6, 11, 12); qr(s, 2, 7, 8, 13); qr(s, 3, 4, 9, 14)
    return b"".join(((x + y) & 0xffffffff).to_bytes(4, "little") for x, y in zip(s, init))
check("stream zero seed", chacha20_block(bytes(32), 0, bytes(12)), v("KAT_STREAM_ZERO"))
seed = bytes(range(32))
check("stream seed 00..1f, 3 blocks", b"".join(chacha20_block(seed, i, bytes(12)) for i in range(3)),
      v("KAT_STREAM_SEQ"))
sys.exit(1 if bad else 0)
