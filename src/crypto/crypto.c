/* libsodium behind ward's own names and sizes (crypto.h). */
#include "crypto.h"

#include <string.h>

#include <sodium.h>

_Static_assert(sizeof(crypto_hash_sha256_state) <= sizeof(((wcrypto_hash *)0)->state), "sha256 state");
_Static_assert(sizeof(crypto_hash_sha512_state) <= sizeof(((wcrypto_hash *)0)->state), "sha512 state");
_Static_assert(sizeof(crypto_generichash_blake2b_state) <= sizeof(((wcrypto_hash *)0)->state), "blake2b state");
_Static_assert(WCRYPTO_SIGN_SK_BYTES == crypto_sign_ed25519_SECRETKEYBYTES, "ed25519 sk");
_Static_assert(WCRYPTO_SIGN_PK_BYTES == crypto_sign_ed25519_PUBLICKEYBYTES, "ed25519 pk");
_Static_assert(WCRYPTO_SIGN_SEED_BYTES == crypto_sign_ed25519_SEEDBYTES, "ed25519 seed");
_Static_assert(WCRYPTO_AEAD_NONCE_BYTES == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, "aead nonce");
_Static_assert(WCRYPTO_AEAD_TAG_BYTES == crypto_aead_xchacha20poly1305_ietf_ABYTES, "aead tag");
_Static_assert(WCRYPTO_SEAL_BYTES == crypto_box_SEALBYTES, "seal overhead");
_Static_assert(WCRYPTO_KDF_CONTEXT_BYTES == crypto_kdf_CONTEXTBYTES, "kdf context");
_Static_assert(WCRYPTO_PWHASH_SALT_BYTES == crypto_pwhash_argon2id_SALTBYTES, "pwhash salt");

int wcrypto_init(void)
{
    return sodium_init() < 0 ? -1 : 0;
}

/* ---- hashing ------------------------------------------------------------ */

void wcrypto_sha256(uint8_t out[WCRYPTO_SHA256_BYTES], const uint8_t *in, size_t len)
{
    crypto_hash_sha256(out, in, len);
}

void wcrypto_sha512(uint8_t out[WCRYPTO_SHA512_BYTES], const uint8_t *in, size_t len)
{
    crypto_hash_sha512(out, in, len);
}

static bool blake2b_sizes_ok(size_t outlen, const uint8_t *key, size_t keylen)
{
    return outlen >= WCRYPTO_BLAKE2B_MIN_BYTES && outlen <= WCRYPTO_BLAKE2B_MAX_BYTES &&
           keylen <= WCRYPTO_BLAKE2B_KEY_MAX && (key != NULL || keylen == 0);
}

int wcrypto_blake2b(uint8_t *out, size_t outlen, const uint8_t *in, size_t len, const uint8_t *key,
                    size_t keylen)
{
    if (!blake2b_sizes_ok(outlen, key, keylen))
        return -1;
    return crypto_generichash_blake2b(out, outlen, in, len, keylen ? key : NULL, keylen) == 0 ? 0 : -1;
}

size_t wcrypto_hash_fixed_size(wcrypto_hash_alg alg)
{
    switch (alg) {
    case WCRYPTO_SHA256: return WCRYPTO_SHA256_BYTES;
    case WCRYPTO_SHA512: return WCRYPTO_SHA512_BYTES;
    default: return 0;
    }
}

int wcrypto_hash_init(wcrypto_hash *h, wcrypto_hash_alg alg, size_t outlen, const uint8_t *key, size_t keylen)
{
    memset(h, 0, sizeof *h);
    h->alg = alg;
    h->outlen = outlen;
    switch (alg) {
    case WCRYPTO_SHA256:
        if (outlen != WCRYPTO_SHA256_BYTES || keylen)
            return -1;
        return crypto_hash_sha256_init((crypto_hash_sha256_state *)h->state) == 0 ? 0 : -1;
    case WCRYPTO_SHA512:
        if (outlen != WCRYPTO_SHA512_BYTES || keylen)
            return -1;
        return crypto_hash_sha512_init((crypto_hash_sha512_state *)h->state) == 0 ? 0 : -1;
    case WCRYPTO_BLAKE2B:
        if (!blake2b_sizes_ok(outlen, key, keylen))
            return -1;
        return crypto_generichash_blake2b_init((crypto_generichash_blake2b_state *)h->state,
                                               keylen ? key : NULL, keylen, outlen) == 0 ? 0 : -1;
    }
    return -1;
}

void wcrypto_hash_update(wcrypto_hash *h, const uint8_t *in, size_t len)
{
    switch (h->alg) {
    case WCRYPTO_SHA256:
        crypto_hash_sha256_update((crypto_hash_sha256_state *)h->state, in, len);
        break;
    case WCRYPTO_SHA512:
        crypto_hash_sha512_update((crypto_hash_sha512_state *)h->state, in, len);
        break;
    case WCRYPTO_BLAKE2B:
        crypto_generichash_blake2b_update((crypto_generichash_blake2b_state *)h->state, in, len);
        break;
    }
}

void wcrypto_hash_final(wcrypto_hash *h, uint8_t *out)
{
    switch (h->alg) {
    case WCRYPTO_SHA256:
        crypto_hash_sha256_final((crypto_hash_sha256_state *)h->state, out);
        break;
    case WCRYPTO_SHA512:
        crypto_hash_sha512_final((crypto_hash_sha512_state *)h->state, out);
        break;
    case WCRYPTO_BLAKE2B:
        crypto_generichash_blake2b_final((crypto_generichash_blake2b_state *)h->state, out, h->outlen);
        break;
    }
    wcrypto_hash_wipe(h);
}

void wcrypto_hash_wipe(wcrypto_hash *h)
{
    sodium_memzero(h, sizeof *h);
}

/* ---- Ed25519 ------------------------------------------------------------- */

void wcrypto_sign_keypair_from_seed(uint8_t pk[WCRYPTO_SIGN_PK_BYTES], uint8_t sk[WCRYPTO_SIGN_SK_BYTES],
                                    const uint8_t seed[WCRYPTO_SIGN_SEED_BYTES])
{
    crypto_sign_ed25519_seed_keypair(pk, sk, seed);
}

void wcrypto_sign_keypair(uint8_t pk[WCRYPTO_SIGN_PK_BYTES], uint8_t sk[WCRYPTO_SIGN_SK_BYTES])
{
    crypto_sign_ed25519_keypair(pk, sk);
}

void wcrypto_sign(uint8_t sig[WCRYPTO_SIGN_BYTES], const uint8_t *msg, size_t len,
                  const uint8_t sk[WCRYPTO_SIGN_SK_BYTES])
{
    crypto_sign_ed25519_detached(sig, NULL, msg, len, sk);
}

int wcrypto_verify(const uint8_t sig[WCRYPTO_SIGN_BYTES], const uint8_t *msg, size_t len,
                   const uint8_t pk[WCRYPTO_SIGN_PK_BYTES])
{
    return crypto_sign_ed25519_verify_detached(sig, msg, len, pk) == 0 ? 0 : -1;
}

void wcrypto_sign_sk_to_pk(uint8_t pk[WCRYPTO_SIGN_PK_BYTES], const uint8_t sk[WCRYPTO_SIGN_SK_BYTES])
{
    crypto_sign_ed25519_sk_to_pk(pk, sk);
}

/* ---- XChaCha20-Poly1305-IETF --------------------------------------------- */

void wcrypto_aead_encrypt(uint8_t *out, const uint8_t *in, size_t len, const uint8_t *ad, size_t adlen,
                          const uint8_t nonce[WCRYPTO_AEAD_NONCE_BYTES],
                          const uint8_t key[WCRYPTO_AEAD_KEY_BYTES])
{
    crypto_aead_xchacha20poly1305_ietf_encrypt(out, NULL, in, len, ad, adlen, NULL, nonce, key);
}

int wcrypto_aead_decrypt(uint8_t *out, const uint8_t *in, size_t len, const uint8_t *ad, size_t adlen,
                         const uint8_t nonce[WCRYPTO_AEAD_NONCE_BYTES], const uint8_t key[WCRYPTO_AEAD_KEY_BYTES])
{
    if (len < WCRYPTO_AEAD_TAG_BYTES)
        return -1;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(out, NULL, NULL, in, len, ad, adlen, nonce, key) == 0)
        return 0;
    sodium_memzero(out, len - WCRYPTO_AEAD_TAG_BYTES);
    return -1;
}

/* ---- X25519 ---------------------------------------------------------------- */

void wcrypto_box_keypair_from_seed(uint8_t pk[WCRYPTO_BOX_PK_BYTES], uint8_t sk[WCRYPTO_BOX_SK_BYTES],
                                   const uint8_t seed[WCRYPTO_BOX_SEED_BYTES])
{
    crypto_box_seed_keypair(pk, sk, seed);
}

int wcrypto_box_seal(uint8_t *out, const uint8_t *in, size_t len, const uint8_t pk[WCRYPTO_BOX_PK_BYTES])
{
    return crypto_box_seal(out, in, len, pk) == 0 ? 0 : -1;
}

int wcrypto_box_seal_open(uint8_t *out, const uint8_t *in, size_t len, const uint8_t pk[WCRYPTO_BOX_PK_BYTES],
                          const uint8_t sk[WCRYPTO_BOX_SK_BYTES])
{
    if (len < WCRYPTO_SEAL_BYTES)
        return -1;
    if (crypto_box_seal_open(out, in, len, pk, sk) == 0)
        return 0;
    sodium_memzero(out, len - WCRYPTO_SEAL_BYTES);
    return -1;
}

int wcrypto_kx_client(uint8_t rx[WCRYPTO_KX_SESSION_BYTES], uint8_t tx[WCRYPTO_KX_SESSION_BYTES],
                      const uint8_t pk[WCRYPTO_BOX_PK_BYTES], const uint8_t sk[WCRYPTO_BOX_SK_BYTES],
                      const uint8_t server_pk[WCRYPTO_BOX_PK_BYTES])
{
    return crypto_kx_client_session_keys(rx, tx, pk, sk, server_pk) == 0 ? 0 : -1;
}

int wcrypto_kx_server(uint8_t rx[WCRYPTO_KX_SESSION_BYTES], uint8_t tx[WCRYPTO_KX_SESSION_BYTES],
                      const uint8_t pk[WCRYPTO_BOX_PK_BYTES], const uint8_t sk[WCRYPTO_BOX_SK_BYTES],
                      const uint8_t client_pk[WCRYPTO_BOX_PK_BYTES])
{
    return crypto_kx_server_session_keys(rx, tx, pk, sk, client_pk) == 0 ? 0 : -1;
}

int wcrypto_box_seal_from_seed(uint8_t *out, const uint8_t *in, size_t len, const uint8_t pk[WCRYPTO_BOX_PK_BYTES],
                               const uint8_t eseed[WCRYPTO_BOX_SEED_BYTES])
{
    uint8_t epk[crypto_box_PUBLICKEYBYTES], esk[crypto_box_SECRETKEYBYTES], nonce[crypto_box_NONCEBYTES];
    crypto_generichash_state st;
    crypto_box_seed_keypair(epk, esk, eseed);
    /* libsodium's sealed-box nonce, so crypto_box_seal_open opens it */
    crypto_generichash_init(&st, NULL, 0, sizeof nonce);
    crypto_generichash_update(&st, epk, sizeof epk);
    crypto_generichash_update(&st, pk, crypto_box_PUBLICKEYBYTES);
    crypto_generichash_final(&st, nonce, sizeof nonce);
    int rc = crypto_box_easy(out + sizeof epk, in, len, nonce, pk, esk);
    memcpy(out, epk, sizeof epk);
    sodium_memzero(esk, sizeof esk);
    return rc == 0 ? 0 : -1;
}

/* ---- KDF and password hashing -------------------------------------------- */

int wcrypto_kdf(uint8_t *out, size_t len, uint64_t id, const uint8_t ctx[WCRYPTO_KDF_CONTEXT_BYTES],
                const uint8_t key[WCRYPTO_KDF_KEY_BYTES])
{
    if (len < WCRYPTO_KDF_MIN_BYTES || len > WCRYPTO_KDF_MAX_BYTES)
        return -1;
    char context[crypto_kdf_CONTEXTBYTES];
    memcpy(context, ctx, sizeof context);
    return crypto_kdf_derive_from_key(out, len, id, context, key) == 0 ? 0 : -1;
}

int wcrypto_pwhash(uint8_t *out, size_t len, const uint8_t *pw, size_t pwlen,
                   const uint8_t salt[WCRYPTO_PWHASH_SALT_BYTES], uint64_t ops, size_t mem)
{
    if (len < crypto_pwhash_argon2id_BYTES_MIN || len > crypto_pwhash_argon2id_BYTES_MAX ||
        pwlen > crypto_pwhash_argon2id_PASSWD_MAX || ops < crypto_pwhash_argon2id_OPSLIMIT_MIN ||
        ops > crypto_pwhash_argon2id_OPSLIMIT_MAX || mem < crypto_pwhash_argon2id_MEMLIMIT_MIN ||
        mem > crypto_pwhash_argon2id_MEMLIMIT_MAX)
        return -1;
    return crypto_pwhash_argon2id(out, len, (const char *)pw, pwlen, salt, ops, mem,
                                  crypto_pwhash_argon2id_ALG_ARGON2ID13) == 0 ? 0 : -1;
}

/* ---- random, secrets ----------------------------------------------------- */

void wcrypto_random(uint8_t *out, size_t len)
{
    randombytes_buf(out, len);
}

#define STREAM_BLOCK 64u
#define STREAM_KEY_BYTES_MAX ((uint64_t)1 << 38) /* 2^32 blocks of 64 bytes */

void wcrypto_stream_init(wcrypto_stream *s, const uint8_t seed[WCRYPTO_SEED_BYTES])
{
    memcpy(s->key, seed, sizeof s->key);
    s->position = 0;
}

/* The next key: block 0 of the stream under nonce 1, which the zero-nonce
 * stream never produces. */
static void stream_rekey(wcrypto_stream *s)
{
    uint8_t nonce[crypto_stream_chacha20_ietf_NONCEBYTES] = {1};
    uint8_t next[WCRYPTO_SEED_BYTES] = {0};
    crypto_stream_chacha20_ietf_xor_ic(next, next, sizeof next, nonce, 0, s->key);
    memcpy(s->key, next, sizeof next);
    sodium_memzero(next, sizeof next);
    s->position = 0;
}

/* Up to the end of the current key's stream: len bytes at s->position. */
static size_t stream_chunk(wcrypto_stream *s, uint8_t *out, size_t len)
{
    static const uint8_t zero_nonce[crypto_stream_chacha20_ietf_NONCEBYTES];
    uint64_t left = STREAM_KEY_BYTES_MAX - s->position;
    if (len > left)
        len = (size_t)left;
    uint32_t block = (uint32_t)(s->position / STREAM_BLOCK);
    size_t skip = (size_t)(s->position % STREAM_BLOCK);
    size_t done = 0;
    if (skip) {
        uint8_t tmp[STREAM_BLOCK] = {0};
        crypto_stream_chacha20_ietf_xor_ic(tmp, tmp, sizeof tmp, zero_nonce, block, s->key);
        done = STREAM_BLOCK - skip < len ? STREAM_BLOCK - skip : len;
        memcpy(out, tmp + skip, done);
        sodium_memzero(tmp, sizeof tmp);
        block++;
    }
    if (done < len) {
        memset(out + done, 0, len - done);
        crypto_stream_chacha20_ietf_xor_ic(out + done, out + done, len - done, zero_nonce, block, s->key);
    }
    s->position += len;
    return len;
}

void wcrypto_stream_read(wcrypto_stream *s, uint8_t *out, size_t len)
{
    while (len > 0) {
        if (s->position == STREAM_KEY_BYTES_MAX)
            stream_rekey(s);
        size_t n = stream_chunk(s, out, len);
        out += n;
        len -= n;
    }
}

void wcrypto_stream_wipe(wcrypto_stream *s)
{
    sodium_memzero(s, sizeof *s);
}

void wcrypto_wipe(void *p, size_t len)
{
    sodium_memzero(p, len);
}

bool wcrypto_equal(const void *a, const void *b, size_t len)
{
    return sodium_memcmp(a, b, len) == 0;
}

/* ---- hex -------------------------------------------------------------------- */

bool wcrypto_from_hex(uint8_t *out, size_t len, const char *hex, size_t hexlen)
{
    size_t got = 0;
    const char *end = NULL;
    if (hexlen != 2 * len || sodium_hex2bin(out, len, hex, hexlen, NULL, &got, &end) != 0 || got != len ||
        end != hex + hexlen) {
        sodium_memzero(out, len);
        return false;
    }
    return true;
}

void wcrypto_to_hex(char *out, const uint8_t *in, size_t len)
{
    sodium_bin2hex(out, 2 * len + 1, in, len);
}
