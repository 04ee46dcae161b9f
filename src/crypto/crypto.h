/*
 * libsodium, wrapped once (docs/crypto.md).  Every host service (the
 * ward:crypto guest module, module signatures, measurements, later the
 * vault) reaches crypto through these functions and nothing else: one
 * place fixes the algorithms, the sizes and the secret hygiene.
 *
 * Conventions: sizes are the WCRYPTO_* constants below; functions that
 * can fail return 0 on success and -1 on failure (wrong size, forged
 * input) and never say why in a way that could leak a secret.  Buffers
 * holding secrets are wiped with wcrypto_wipe by whoever owns them.
 */
#ifndef WARD_CRYPTO_H
#define WARD_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WCRYPTO_SHA256_BYTES 32
#define WCRYPTO_SHA512_BYTES 64
#define WCRYPTO_BLAKE2B_MIN_BYTES 16
#define WCRYPTO_BLAKE2B_MAX_BYTES 64
#define WCRYPTO_BLAKE2B_KEY_MAX 64

#define WCRYPTO_SIGN_SEED_BYTES 32
#define WCRYPTO_SIGN_PK_BYTES 32
#define WCRYPTO_SIGN_SK_BYTES 64 /* libsodium's seed || public key */
#define WCRYPTO_SIGN_BYTES 64

#define WCRYPTO_AEAD_KEY_BYTES 32
#define WCRYPTO_AEAD_NONCE_BYTES 24
#define WCRYPTO_AEAD_TAG_BYTES 16

#define WCRYPTO_BOX_PK_BYTES 32
#define WCRYPTO_BOX_SK_BYTES 32
#define WCRYPTO_BOX_SEED_BYTES 32
#define WCRYPTO_SEAL_BYTES 48 /* sealed-box overhead: ephemeral pk + tag */
#define WCRYPTO_KX_SESSION_BYTES 32

#define WCRYPTO_KDF_KEY_BYTES 32
#define WCRYPTO_KDF_CONTEXT_BYTES 8
#define WCRYPTO_KDF_MIN_BYTES 16
#define WCRYPTO_KDF_MAX_BYTES 64

#define WCRYPTO_PWHASH_SALT_BYTES 16
#define WCRYPTO_PWHASH_MIN_BYTES 16
#define WCRYPTO_PWHASH_OPS_MIN 1u
#define WCRYPTO_PWHASH_MEM_MIN 8192u /* bytes */

#define WCRYPTO_SEED_BYTES 32 /* deterministic random stream */

/* sodium_init: idempotent and thread-safe (libsodium serializes it).
 * 0 when the library is ready, -1 when it cannot be (no entropy source). */
int wcrypto_init(void);

/* ---- hashing ------------------------------------------------------------ */

typedef enum wcrypto_hash_alg {
    WCRYPTO_SHA256 = 1,
    WCRYPTO_SHA512 = 2,
    WCRYPTO_BLAKE2B = 3,
} wcrypto_hash_alg;

void wcrypto_sha256(uint8_t out[WCRYPTO_SHA256_BYTES], const uint8_t *in, size_t len);
void wcrypto_sha512(uint8_t out[WCRYPTO_SHA512_BYTES], const uint8_t *in, size_t len);
/* outlen 16..64; key NULL/0 or 1..64 bytes. */
int wcrypto_blake2b(uint8_t *out, size_t outlen, const uint8_t *in, size_t len, const uint8_t *key,
                    size_t keylen);

/* Streaming form of the three.  The state is plain data (no pointers):
 * copy it to fork a hash; wipe it (wcrypto_hash_wipe) when done if it was
 * keyed.  outlen is the digest size: 32 for SHA-256, 64 for SHA-512,
 * 16..64 for BLAKE2b; a key only for BLAKE2b. */
typedef struct wcrypto_hash {
    wcrypto_hash_alg alg;
    size_t outlen;
    /* room for libsodium's largest state (BLAKE2b's, 64-byte aligned);
     * crypto.c checks the sizes at compile time */
    _Alignas(64) unsigned char state[512];
} wcrypto_hash;

int wcrypto_hash_init(wcrypto_hash *h, wcrypto_hash_alg alg, size_t outlen, const uint8_t *key, size_t keylen);
void wcrypto_hash_update(wcrypto_hash *h, const uint8_t *in, size_t len);
/* Writes h->outlen bytes and wipes the state. */
void wcrypto_hash_final(wcrypto_hash *h, uint8_t *out);
void wcrypto_hash_wipe(wcrypto_hash *h);
/* The digest size of alg for a fixed-size hash (0 for BLAKE2b). */
size_t wcrypto_hash_fixed_size(wcrypto_hash_alg alg);

/* ---- Ed25519 ------------------------------------------------------------- */

void wcrypto_sign_keypair_from_seed(uint8_t pk[WCRYPTO_SIGN_PK_BYTES], uint8_t sk[WCRYPTO_SIGN_SK_BYTES],
                                    const uint8_t seed[WCRYPTO_SIGN_SEED_BYTES]);
/* A fresh key pair from the OS random source. */
void wcrypto_sign_keypair(uint8_t pk[WCRYPTO_SIGN_PK_BYTES], uint8_t sk[WCRYPTO_SIGN_SK_BYTES]);
void wcrypto_sign(uint8_t sig[WCRYPTO_SIGN_BYTES], const uint8_t *msg, size_t len,
                  const uint8_t sk[WCRYPTO_SIGN_SK_BYTES]);
/* 0 when sig is pk's signature of msg. */
int wcrypto_verify(const uint8_t sig[WCRYPTO_SIGN_BYTES], const uint8_t *msg, size_t len,
                   const uint8_t pk[WCRYPTO_SIGN_PK_BYTES]);
/* The public key a secret key holds (its last 32 bytes, as libsodium lays it out). */
void wcrypto_sign_sk_to_pk(uint8_t pk[WCRYPTO_SIGN_PK_BYTES], const uint8_t sk[WCRYPTO_SIGN_SK_BYTES]);

/* ---- XChaCha20-Poly1305-IETF --------------------------------------------- */

/* out has len + WCRYPTO_AEAD_TAG_BYTES bytes; out may equal in. */
void wcrypto_aead_encrypt(uint8_t *out, const uint8_t *in, size_t len, const uint8_t *ad, size_t adlen,
                          const uint8_t nonce[WCRYPTO_AEAD_NONCE_BYTES],
                          const uint8_t key[WCRYPTO_AEAD_KEY_BYTES]);
/* in has len bytes (ciphertext and tag, len >= TAG); out len - TAG bytes.
 * -1 when the tag does not verify (out is then zeroed). */
int wcrypto_aead_decrypt(uint8_t *out, const uint8_t *in, size_t len, const uint8_t *ad, size_t adlen,
                         const uint8_t nonce[WCRYPTO_AEAD_NONCE_BYTES], const uint8_t key[WCRYPTO_AEAD_KEY_BYTES]);

/* ---- X25519: key pairs, sealed boxes, key exchange ----------------------- */

void wcrypto_box_keypair_from_seed(uint8_t pk[WCRYPTO_BOX_PK_BYTES], uint8_t sk[WCRYPTO_BOX_SK_BYTES],
                                   const uint8_t seed[WCRYPTO_BOX_SEED_BYTES]);
/* out has len + WCRYPTO_SEAL_BYTES bytes.  -1 on a bad public key. */
int wcrypto_box_seal(uint8_t *out, const uint8_t *in, size_t len, const uint8_t pk[WCRYPTO_BOX_PK_BYTES]);
/* in has len >= WCRYPTO_SEAL_BYTES bytes, out len - WCRYPTO_SEAL_BYTES.  -1 when forged. */
int wcrypto_box_seal_open(uint8_t *out, const uint8_t *in, size_t len, const uint8_t pk[WCRYPTO_BOX_PK_BYTES],
                          const uint8_t sk[WCRYPTO_BOX_SK_BYTES]);
/* crypto_kx: session keys (rx, tx) for the client or the server side.
 * -1 on a bad peer key. */
int wcrypto_kx_client(uint8_t rx[WCRYPTO_KX_SESSION_BYTES], uint8_t tx[WCRYPTO_KX_SESSION_BYTES],
                      const uint8_t pk[WCRYPTO_BOX_PK_BYTES], const uint8_t sk[WCRYPTO_BOX_SK_BYTES],
                      const uint8_t server_pk[WCRYPTO_BOX_PK_BYTES]);
int wcrypto_kx_server(uint8_t rx[WCRYPTO_KX_SESSION_BYTES], uint8_t tx[WCRYPTO_KX_SESSION_BYTES],
                      const uint8_t pk[WCRYPTO_BOX_PK_BYTES], const uint8_t sk[WCRYPTO_BOX_SK_BYTES],
                      const uint8_t client_pk[WCRYPTO_BOX_PK_BYTES]);

/* A sealed box whose ephemeral key pair comes from eseed (32 bytes)
 * instead of the OS source: the same box as wcrypto_box_seal (epk, then
 * crypto_box_easy under the nonce BLAKE2b-192(epk || pk)), opened by
 * wcrypto_box_seal_open, but reproducible, for deterministic runs.  eseed
 * must be secret and never reused.  out has len + WCRYPTO_SEAL_BYTES bytes
 * and must not overlap in.  -1 on a bad public key. */
int wcrypto_box_seal_from_seed(uint8_t *out, const uint8_t *in, size_t len, const uint8_t pk[WCRYPTO_BOX_PK_BYTES],
                               const uint8_t eseed[WCRYPTO_BOX_SEED_BYTES]);

/* ---- KDF and password hashing -------------------------------------------- */

/* crypto_kdf (BLAKE2b): subkey `id` of key under an 8-byte context;
 * len 16..64. */
int wcrypto_kdf(uint8_t *out, size_t len, uint64_t id, const uint8_t ctx[WCRYPTO_KDF_CONTEXT_BYTES],
                const uint8_t key[WCRYPTO_KDF_KEY_BYTES]);
/* Argon2id v1.3: ops >= 1 passes over mem bytes (>= 8 KiB); len >= 16.
 * -1 on out-of-range limits or when the memory cannot be had. */
int wcrypto_pwhash(uint8_t *out, size_t len, const uint8_t *pw, size_t pwlen,
                   const uint8_t salt[WCRYPTO_PWHASH_SALT_BYTES], uint64_t ops, size_t mem);

/* ---- random, secrets ----------------------------------------------------- */

/* Bytes from the OS source (randombytes_buf). */
void wcrypto_random(uint8_t *out, size_t len);

/*
 * A deterministic random stream: ChaCha20 (IETF, zero nonce) keyed by a
 * 32-byte seed, read as one stream however it is split into draws, so
 * every node with the same seed draws the same bytes.  After 2^38 bytes
 * (the 32-bit block counter's end) it rekeys from its own next block.
 */
typedef struct wcrypto_stream {
    uint8_t key[WCRYPTO_SEED_BYTES];
    uint64_t position; /* bytes drawn under the current key */
} wcrypto_stream;

void wcrypto_stream_init(wcrypto_stream *s, const uint8_t seed[WCRYPTO_SEED_BYTES]);
void wcrypto_stream_read(wcrypto_stream *s, uint8_t *out, size_t len);
void wcrypto_stream_wipe(wcrypto_stream *s);

/* Zero len bytes in a way the compiler keeps. */
void wcrypto_wipe(void *p, size_t len);
/* Constant-time comparison of two len-byte buffers: true when equal. */
bool wcrypto_equal(const void *a, const void *b, size_t len);

/* ---- hex, for key files and the CLI -------------------------------------- */

/* Parse exactly 2*len hex digits into out; false otherwise (out wiped). */
bool wcrypto_from_hex(uint8_t *out, size_t len, const char *hex, size_t hexlen);
/* out has 2*len+1 bytes. */
void wcrypto_to_hex(char *out, const uint8_t *in, size_t len);

#endif
