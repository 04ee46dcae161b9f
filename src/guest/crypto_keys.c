/*
 * ward:crypto keys: Ed25519 key pairs, detached signatures and
 * verification; X25519 key pairs and crypto_kx session keys.  Inputs are
 * copied to the host stack and results computed there before they are
 * written out, so any overlap of guest ranges is harmless (the last write
 * wins); secret copies are wiped.
 */
#include <string.h>

#include "crypto_internal.h"

/* Spans of n ranges (pointer argument index and length), in order; false
 * with *trap at the first out of bounds. */
static bool spans(ward_caller *caller, const ward_val *args, const int *argi, const uint64_t *lens, int n,
                  uint8_t **out, ward_trap *trap)
{
    for (int i = 0; i < n; i++) {
        out[i] = wguest_span(caller, wguest_u32(args, argi[i]), lens[i], trap);
        if (!out[i])
            return false;
    }
    return true;
}

/* sign_keypair_from_seed(pk, sk, seed) */
ward_result wcg_sign_keypair(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                             ward_trap *trap)
{
    (void)env;
    if (!wcg_charge(caller, WCG_SIGN_KEYPAIR, 0, 0, trap))
        return WARD_TRAP;
    uint8_t *g[3];
    if (!spans(caller, args, (const int[]){0, 1, 2},
               (const uint64_t[]){WCRYPTO_SIGN_PK_BYTES, WCRYPTO_SIGN_SK_BYTES, WCRYPTO_SIGN_SEED_BYTES}, 3, g,
               trap))
        return WARD_TRAP;
    uint8_t seed[WCRYPTO_SIGN_SEED_BYTES], pk[WCRYPTO_SIGN_PK_BYTES], sk[WCRYPTO_SIGN_SK_BYTES];
    memcpy(seed, g[2], sizeof seed);
    wcrypto_sign_keypair_from_seed(pk, sk, seed);
    memcpy(g[0], pk, sizeof pk);
    memcpy(g[1], sk, sizeof sk);
    wcrypto_wipe(seed, sizeof seed);
    wcrypto_wipe(sk, sizeof sk);
    return wguest_ret(results, WARD_CRYPTO_OK);
}

/* sign(sig, msg, msglen, sk) */
ward_result wcg_sign(void *env, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    (void)env;
    uint32_t len = wguest_u32(args, 2);
    if (!wcg_charge(caller, WCG_SIGN, len, 0, trap))
        return WARD_TRAP;
    uint8_t *g[3];
    if (!spans(caller, args, (const int[]){0, 1, 3},
               (const uint64_t[]){WCRYPTO_SIGN_BYTES, len, WCRYPTO_SIGN_SK_BYTES}, 3, g, trap))
        return WARD_TRAP;
    uint8_t sk[WCRYPTO_SIGN_SK_BYTES], sig[WCRYPTO_SIGN_BYTES];
    memcpy(sk, g[2], sizeof sk);
    wcrypto_sign(sig, g[1], len, sk);
    memcpy(g[0], sig, sizeof sig);
    wcrypto_wipe(sk, sizeof sk);
    return wguest_ret(results, WARD_CRYPTO_OK);
}

/* verify(sig, msg, msglen, pk): 0 valid, EAUTH not */
ward_result wcg_verify(void *env, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    (void)env;
    uint32_t len = wguest_u32(args, 2);
    if (!wcg_charge(caller, WCG_VERIFY, len, 0, trap))
        return WARD_TRAP;
    uint8_t *g[3];
    if (!spans(caller, args, (const int[]){0, 1, 3},
               (const uint64_t[]){WCRYPTO_SIGN_BYTES, len, WCRYPTO_SIGN_PK_BYTES}, 3, g, trap))
        return WARD_TRAP;
    int rc = wcrypto_verify(g[0], g[1], len, g[2]);
    return wguest_ret(results, rc == 0 ? WARD_CRYPTO_OK : WARD_CRYPTO_EAUTH);
}

/* box_keypair_from_seed(pk, sk, seed) */
ward_result wcg_box_keypair(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                            ward_trap *trap)
{
    (void)env;
    if (!wcg_charge(caller, WCG_BOX_KEYPAIR, 0, 0, trap))
        return WARD_TRAP;
    uint8_t *g[3];
    if (!spans(caller, args, (const int[]){0, 1, 2},
               (const uint64_t[]){WCRYPTO_BOX_PK_BYTES, WCRYPTO_BOX_SK_BYTES, WCRYPTO_BOX_SEED_BYTES}, 3, g,
               trap))
        return WARD_TRAP;
    uint8_t seed[WCRYPTO_BOX_SEED_BYTES], pk[WCRYPTO_BOX_PK_BYTES], sk[WCRYPTO_BOX_SK_BYTES];
    memcpy(seed, g[2], sizeof seed);
    wcrypto_box_keypair_from_seed(pk, sk, seed);
    memcpy(g[0], pk, sizeof pk);
    memcpy(g[1], sk, sizeof sk);
    wcrypto_wipe(seed, sizeof seed);
    wcrypto_wipe(sk, sizeof sk);
    return wguest_ret(results, WARD_CRYPTO_OK);
}

/* kx_{client,server}_session_keys(rx, tx, pk, sk, peer_pk) */
static ward_result kx(bool client, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    if (!wcg_charge(caller, client ? WCG_KX_CLIENT : WCG_KX_SERVER, 0, 0, trap))
        return WARD_TRAP;
    uint8_t *g[5];
    if (!spans(caller, args, (const int[]){0, 1, 2, 3, 4},
               (const uint64_t[]){WCRYPTO_KX_SESSION_BYTES, WCRYPTO_KX_SESSION_BYTES, WCRYPTO_BOX_PK_BYTES,
                                  WCRYPTO_BOX_SK_BYTES, WCRYPTO_BOX_PK_BYTES},
               5, g, trap))
        return WARD_TRAP;
    uint8_t pk[WCRYPTO_BOX_PK_BYTES], sk[WCRYPTO_BOX_SK_BYTES], peer[WCRYPTO_BOX_PK_BYTES];
    uint8_t rx[WCRYPTO_KX_SESSION_BYTES], tx[WCRYPTO_KX_SESSION_BYTES];
    memcpy(pk, g[2], sizeof pk);
    memcpy(sk, g[3], sizeof sk);
    memcpy(peer, g[4], sizeof peer);
    int rc = client ? wcrypto_kx_client(rx, tx, pk, sk, peer) : wcrypto_kx_server(rx, tx, pk, sk, peer);
    if (rc == 0) {
        memcpy(g[0], rx, sizeof rx);
        memcpy(g[1], tx, sizeof tx);
    }
    wcrypto_wipe(sk, sizeof sk);
    wcrypto_wipe(rx, sizeof rx);
    wcrypto_wipe(tx, sizeof tx);
    return wguest_ret(results, rc == 0 ? WARD_CRYPTO_OK : WARD_CRYPTO_EINVAL);
}

ward_result wcg_kx_client(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                          ward_trap *trap)
{
    (void)env;
    return kx(true, caller, args, results, trap);
}

ward_result wcg_kx_server(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                          ward_trap *trap)
{
    (void)env;
    return kx(false, caller, args, results, trap);
}
