/*
 * ward:crypto inside: the module object, the import table (names, types,
 * prices) and the host functions, split by concern:
 *   crypto.c          the table, ward_crypto_new/define/free
 *   crypto_hash.c     SHA-256/512, BLAKE2b, streaming handles, equal
 *   crypto_encrypt.c  XChaCha20-Poly1305, sealed boxes
 *   crypto_keys.c     Ed25519, X25519 key pairs, key exchange
 *   crypto_derive.c   random bytes, KDF, Argon2id
 */
#ifndef WARD_GUEST_CRYPTO_INTERNAL_H
#define WARD_GUEST_CRYPTO_INTERNAL_H

#include "crypto/crypto.h"
#include "guest.h"
#include "ward_crypto.h"
#include "ward_guest.h"

#define WCG_DEFAULT_HANDLES 64u
#define WCG_MAX_HANDLES 65536u
#define WCG_DEFAULT_OPS_MAX 4u
#define WCG_DEFAULT_MEM_MAX (64u << 20)

struct ward_crypto {
    bool deterministic;
    uint32_t max_handles;
    uint64_t pwhash_ops_max;
    uint64_t pwhash_mem_max;
    wcrypto_stream stream; /* deterministic mode's random source */
};

/* The imports, in this order: wcg_imports[id] and wcg_prices[id]. */
typedef enum wcg_id {
    WCG_SHA256,
    WCG_SHA512,
    WCG_BLAKE2B,
    WCG_HASH_INIT,
    WCG_HASH_UPDATE,
    WCG_HASH_FINAL,
    WCG_HASH_FREE,
    WCG_RANDOM_BYTES,
    WCG_AEAD_ENCRYPT,
    WCG_AEAD_DECRYPT,
    WCG_SIGN_KEYPAIR,
    WCG_SIGN,
    WCG_VERIFY,
    WCG_BOX_KEYPAIR,
    WCG_BOX_SEAL,
    WCG_BOX_SEAL_OPEN,
    WCG_KX_CLIENT,
    WCG_KX_SERVER,
    WCG_KDF_DERIVE,
    WCG_PWHASH,
    WCG_EQUAL,
    WCG_COUNT
} wcg_id;

extern const wguest_import wcg_imports[WCG_COUNT];
extern const wguest_price wcg_prices[WCG_COUNT];

/* Charge import id's price for bytes and work units. */
static inline bool wcg_charge(const ward_caller *caller, wcg_id id, uint64_t bytes, uint64_t units,
                              ward_trap *trap)
{
    return wguest_charge(caller, &wcg_prices[id], bytes, units, trap);
}

/* Host functions (ward_host_fn), one per import. */
#define WCG_FN(name) ward_result name(void *env, ward_caller *caller, const ward_val *args, ward_val *results, \
                                      ward_trap *trap)
WCG_FN(wcg_sha256);
WCG_FN(wcg_sha512);
WCG_FN(wcg_blake2b);
WCG_FN(wcg_hash_init);
WCG_FN(wcg_hash_update);
WCG_FN(wcg_hash_final);
WCG_FN(wcg_hash_free);
WCG_FN(wcg_random_bytes);
WCG_FN(wcg_aead_encrypt);
WCG_FN(wcg_aead_decrypt);
WCG_FN(wcg_sign_keypair);
WCG_FN(wcg_sign);
WCG_FN(wcg_verify);
WCG_FN(wcg_box_keypair);
WCG_FN(wcg_box_seal);
WCG_FN(wcg_box_seal_open);
WCG_FN(wcg_kx_client);
WCG_FN(wcg_kx_server);
WCG_FN(wcg_kdf_derive);
WCG_FN(wcg_pwhash);
WCG_FN(wcg_equal);

#endif
