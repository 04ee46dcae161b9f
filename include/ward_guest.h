/*
 * ward_guest.h — for C programs compiled to WebAssembly that run in ward
 * and import ward's host modules (clang --target=wasm32-wasi).
 *
 * Each host module has its own delimited section below: the error codes
 * and sizes (plain macros, also read by the host side) and, when compiled
 * for wasm, the import declarations.
 *
 * One ABI for every module (docs/crypto.md, "Guest ABI"): pointers and
 * lengths are i32 offsets into the caller's memory; a range that is not
 * entirely inside it traps ("out of bounds memory access"); a refused
 * argument returns a negative error code, success 0 (or a handle, or a
 * count).  Every call costs fuel (docs/crypto.md, "Fuel"), charged before
 * it does anything: a call that cannot be paid traps "out of fuel".
 */
#ifndef WARD_GUEST_H
#define WARD_GUEST_H

#include <stddef.h>
#include <stdint.h>

/* ======================= ward:crypto ===================================== */

/* Error codes (int32_t results). */
#define WARD_CRYPTO_OK 0
#define WARD_CRYPTO_EINVAL (-1)  /* a length or value out of range: wrong key/output size, unknown
                                  * algorithm, a public key that is not a valid point */
#define WARD_CRYPTO_EAUTH (-2)   /* forged or corrupted: aead_decrypt, box_seal_open, verify */
#define WARD_CRYPTO_EHANDLE (-3) /* not an open hash handle of this instance */
#define WARD_CRYPTO_EFULL (-4)   /* the instance's hash-handle table is full */
#define WARD_CRYPTO_ELIMIT (-5)  /* pwhash ops or memory over the embedder's cap */
#define WARD_CRYPTO_ENOMEM (-6)  /* the host is out of memory */

/* Sizes in bytes. */
#define WARD_CRYPTO_SHA256_BYTES 32
#define WARD_CRYPTO_SHA512_BYTES 64
#define WARD_CRYPTO_BLAKE2B_MIN 16     /* blake2b output 16..64 */
#define WARD_CRYPTO_BLAKE2B_MAX 64
#define WARD_CRYPTO_BLAKE2B_KEY_MAX 64 /* key 0..64 */
#define WARD_CRYPTO_AEAD_KEY_BYTES 32
#define WARD_CRYPTO_AEAD_NONCE_BYTES 24
#define WARD_CRYPTO_AEAD_TAG_BYTES 16
#define WARD_CRYPTO_SIGN_SEED_BYTES 32
#define WARD_CRYPTO_SIGN_PK_BYTES 32
#define WARD_CRYPTO_SIGN_SK_BYTES 64   /* seed || public key */
#define WARD_CRYPTO_SIGN_BYTES 64
#define WARD_CRYPTO_BOX_SEED_BYTES 32
#define WARD_CRYPTO_BOX_PK_BYTES 32
#define WARD_CRYPTO_BOX_SK_BYTES 32
#define WARD_CRYPTO_SEAL_BYTES 48      /* sealed-box overhead */
#define WARD_CRYPTO_KX_SESSION_BYTES 32
#define WARD_CRYPTO_KDF_KEY_BYTES 32
#define WARD_CRYPTO_KDF_CONTEXT_BYTES 8
#define WARD_CRYPTO_KDF_MIN 16         /* kdf output 16..64 */
#define WARD_CRYPTO_KDF_MAX 64
#define WARD_CRYPTO_PWHASH_SALT_BYTES 16
#define WARD_CRYPTO_PWHASH_MIN 16      /* pwhash output >= 16 */

/* hash_init algorithms. */
#define WARD_CRYPTO_HASH_SHA256 1
#define WARD_CRYPTO_HASH_SHA512 2
#define WARD_CRYPTO_HASH_BLAKE2B 3

#if defined(__wasm__)
#define WARD_CRYPTO_IMPORT(name) __attribute__((import_module("ward:crypto"), import_name(name)))

/* out: 32 bytes. */
WARD_CRYPTO_IMPORT("sha256") int32_t ward_crypto_sha256(uint8_t *out, const void *in, size_t inlen);
/* out: 64 bytes. */
WARD_CRYPTO_IMPORT("sha512") int32_t ward_crypto_sha512(uint8_t *out, const void *in, size_t inlen);
/* BLAKE2b, outlen 16..64, key NULL/0 or 1..64 bytes (keyed hash / MAC). */
WARD_CRYPTO_IMPORT("blake2b")
int32_t ward_crypto_blake2b(uint8_t *out, size_t outlen, const void *in, size_t inlen, const uint8_t *key,
                            size_t keylen);

/* Streaming: a handle (>= 1) for alg WARD_CRYPTO_HASH_*, with outlen the
 * digest size (32 / 64 for SHA-256 / SHA-512, 16..64 for BLAKE2b) and a key
 * only for BLAKE2b.  EFULL when the instance holds its maximum of handles.
 * Handles are freed with the instance if never finished. */
WARD_CRYPTO_IMPORT("hash_init")
int32_t ward_crypto_hash_init(int32_t alg, size_t outlen, const uint8_t *key, size_t keylen);
WARD_CRYPTO_IMPORT("hash_update") int32_t ward_crypto_hash_update(int32_t handle, const void *in, size_t inlen);
/* Writes the digest (outlen must be the handle's) and closes the handle. */
WARD_CRYPTO_IMPORT("hash_final") int32_t ward_crypto_hash_final(int32_t handle, uint8_t *out, size_t outlen);
/* Closes a handle without a digest. */
WARD_CRYPTO_IMPORT("hash_free") int32_t ward_crypto_hash_free(int32_t handle);

/* len bytes from the OS source, or in deterministic mode from the
 * embedder-seeded ChaCha20 stream. */
WARD_CRYPTO_IMPORT("random_bytes") int32_t ward_crypto_random_bytes(uint8_t *out, size_t len);

/* XChaCha20-Poly1305-IETF.  encrypt: out has inlen + 16 bytes (ciphertext
 * then tag).  decrypt: in has inlen >= 16 bytes, out inlen - 16; EAUTH when
 * the tag does not verify (out is then zeroed).  nonce 24, key 32 bytes. */
WARD_CRYPTO_IMPORT("aead_encrypt")
int32_t ward_crypto_aead_encrypt(uint8_t *out, const void *in, size_t inlen, const void *ad, size_t adlen,
                                 const uint8_t *nonce, const uint8_t *key);
WARD_CRYPTO_IMPORT("aead_decrypt")
int32_t ward_crypto_aead_decrypt(uint8_t *out, const void *in, size_t inlen, const void *ad, size_t adlen,
                                 const uint8_t *nonce, const uint8_t *key);

/* Ed25519: pk 32, sk 64, seed 32, sig 64 bytes.  verify: 0 valid, EAUTH not. */
WARD_CRYPTO_IMPORT("sign_keypair_from_seed")
int32_t ward_crypto_sign_keypair_from_seed(uint8_t *pk, uint8_t *sk, const uint8_t *seed);
WARD_CRYPTO_IMPORT("sign")
int32_t ward_crypto_sign(uint8_t *sig, const void *msg, size_t msglen, const uint8_t *sk);
WARD_CRYPTO_IMPORT("verify")
int32_t ward_crypto_verify(const uint8_t *sig, const void *msg, size_t msglen, const uint8_t *pk);

/* X25519: pk 32, sk 32, seed 32.  box_seal: out inlen + 48 bytes (in
 * deterministic mode its ephemeral key comes from the random stream).
 * box_seal_open: inlen >= 48, out inlen - 48; EAUTH when forged.
 * kx: session keys rx, tx (32 bytes each) of the client or server side;
 * EINVAL on a peer key that is not a valid point. */
WARD_CRYPTO_IMPORT("box_keypair_from_seed")
int32_t ward_crypto_box_keypair_from_seed(uint8_t *pk, uint8_t *sk, const uint8_t *seed);
WARD_CRYPTO_IMPORT("box_seal")
int32_t ward_crypto_box_seal(uint8_t *out, const void *in, size_t inlen, const uint8_t *pk);
WARD_CRYPTO_IMPORT("box_seal_open")
int32_t ward_crypto_box_seal_open(uint8_t *out, const void *in, size_t inlen, const uint8_t *pk,
                                  const uint8_t *sk);
WARD_CRYPTO_IMPORT("kx_client_session_keys")
int32_t ward_crypto_kx_client_session_keys(uint8_t *rx, uint8_t *tx, const uint8_t *pk, const uint8_t *sk,
                                           const uint8_t *server_pk);
WARD_CRYPTO_IMPORT("kx_server_session_keys")
int32_t ward_crypto_kx_server_session_keys(uint8_t *rx, uint8_t *tx, const uint8_t *pk, const uint8_t *sk,
                                           const uint8_t *client_pk);

/* crypto_kdf: subkey `id` (outlen 16..64) of a 32-byte key under an 8-byte
 * context. */
WARD_CRYPTO_IMPORT("kdf_derive")
int32_t ward_crypto_kdf_derive(uint8_t *out, size_t outlen, uint64_t id, const uint8_t *ctx, const uint8_t *key);

/* Argon2id v1.3: outlen >= 16, salt 16 bytes, ops >= 1 passes over mem
 * bytes (>= 8192).  ELIMIT over the embedder's caps (default 4 passes,
 * 64 MiB); its fuel grows with ops x mem. */
WARD_CRYPTO_IMPORT("pwhash_argon2id")
int32_t ward_crypto_pwhash_argon2id(uint8_t *out, size_t outlen, const void *pw, size_t pwlen,
                                    const uint8_t *salt, uint64_t ops, uint64_t mem);

/* Constant time: 1 when the len bytes at a and b are equal, else 0. */
WARD_CRYPTO_IMPORT("equal") int32_t ward_crypto_equal(const void *a, const void *b, size_t len);

#undef WARD_CRYPTO_IMPORT
#endif /* __wasm__ */

/* ======================= end of ward:crypto ============================== */

/* ---- ward:tee: measurement registers, quotes, sealing (docs/measurement.md) ---- */
#if defined(__has_include)
#if __has_include("ward_guest_tee.h") /* installed by builds with measurement */
#include "ward_guest_tee.h"
#endif
#endif

/* ---- ward:dag: the content-addressed DAG of ward run --dag DB (docs/dag.md) ---- */
#if defined(__has_include)
#if __has_include("ward_guest_dag.h") /* installed by builds with storage */
#include "ward_guest_dag.h"
#endif
#endif

/* ---- ward:vault: named secrets (docs/vault.md) ---- */
#if defined(__has_include)
#if __has_include("ward_guest_vault.h") /* installed by builds with storage */
#include "ward_guest_vault.h"
#endif
#endif

/* ---- ward:io and ward:state: contract calls (docs/contracts.md) ---- */
#if defined(__has_include)
#if __has_include("ward_guest_contract.h") /* installed by builds with storage */
#include "ward_guest_contract.h"
#endif
#endif

#endif
