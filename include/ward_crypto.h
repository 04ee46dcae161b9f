/*
 * ward:crypto — the guest crypto module (docs/crypto.md).  A host-function
 * table, built on ward.h alone, that gives guests hashing, random bytes,
 * AEAD, Ed25519, X25519 sealed boxes and key exchange, a KDF, Argon2id and
 * a constant-time compare, all from libsodium, each call priced in fuel.
 * C guests declare the imports with include/ward_guest.h.
 *
 *     ward_crypto_config cfg;
 *     ward_crypto_config_default(&cfg);
 *     ward_crypto *c = ward_crypto_new(&cfg, &err);
 *     ward_crypto_define(c, linker, store);   // before ward_instantiate
 *     ...                                     // run the guest
 *     ward_store_free(store);                 // frees per-instance hash handles
 *     ward_crypto_free(c);
 *
 * One ward_crypto serves one store at a time (its deterministic random
 * stream is not locked), like ward_wasi; free it after that store.
 */
#ifndef WARD_CRYPTO_H_PUBLIC
#define WARD_CRYPTO_H_PUBLIC

#include "ward.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The host module name guests import from. */
#define WARD_CRYPTO_MODULE "ward:crypto"

typedef struct ward_crypto ward_crypto;

/*
 * deterministic: random_bytes draws a ChaCha20 stream keyed by seed (the
 *     same bytes on every node given the same seed, however the guest splits
 *     its draws) instead of the OS source; box_seal takes its ephemeral key
 *     from the same stream (32 bytes per seal).  Without has_seed the seed is 32
 *     zero bytes.  The seed is wiped from ward_crypto's copy once the stream
 *     is keyed.
 * max_handles: streaming-hash states each instance may hold at once;
 *     0 = default (64), at most 65536.
 * pwhash_ops_max, pwhash_mem_max: caps on the Argon2id limits a guest may
 *     ask for (passes; memory in bytes); a call over either returns
 *     WARD_CRYPTO_ELIMIT.  0 = default (4 passes, 64 MiB).
 */
typedef struct ward_crypto_config {
    bool deterministic;
    bool has_seed;
    uint8_t seed[32];
    uint32_t max_handles;
    uint64_t pwhash_ops_max;
    uint64_t pwhash_mem_max;
} ward_crypto_config;

void ward_crypto_config_default(ward_crypto_config *cfg);

/* NULL with *err (stage WARD_STAGE_ARGUMENT) when libsodium cannot start
 * or out of memory.  cfg may be NULL for the defaults. */
ward_crypto *ward_crypto_new(const ward_crypto_config *cfg, ward_error *err);

/* Create every ward:crypto function in store and define it in linker
 * under WARD_CRYPTO_MODULE.  WARD_ERROR when an argument is NULL or out of
 * memory. */
ward_result ward_crypto_define(ward_crypto *c, ward_linker *linker, ward_store *store);

/* Wipes the random stream's key.  NULL is fine. */
void ward_crypto_free(ward_crypto *c);

#ifdef __cplusplus
}
#endif
#endif
