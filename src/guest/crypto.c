/*
 * ward:crypto: the import table and the module object (docs/crypto.md).
 * One row per import: name, wasm type, host function; the prices are the
 * table of docs/crypto.md, "Fuel" (units are roughly nanoseconds of host
 * CPU, about what one interpreted wasm instruction costs).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "crypto_internal.h"

const wguest_import wcg_imports[WCG_COUNT] = {
    [WCG_SHA256] = {"sha256", "iii:i", wcg_sha256},
    [WCG_SHA512] = {"sha512", "iii:i", wcg_sha512},
    [WCG_BLAKE2B] = {"blake2b", "iiiiii:i", wcg_blake2b},
    [WCG_HASH_INIT] = {"hash_init", "iiii:i", wcg_hash_init},
    [WCG_HASH_UPDATE] = {"hash_update", "iii:i", wcg_hash_update},
    [WCG_HASH_FINAL] = {"hash_final", "iii:i", wcg_hash_final},
    [WCG_HASH_FREE] = {"hash_free", "i:i", wcg_hash_free},
    [WCG_RANDOM_BYTES] = {"random_bytes", "ii:i", wcg_random_bytes},
    [WCG_AEAD_ENCRYPT] = {"aead_encrypt", "iiiiiii:i", wcg_aead_encrypt},
    [WCG_AEAD_DECRYPT] = {"aead_decrypt", "iiiiiii:i", wcg_aead_decrypt},
    [WCG_SIGN_KEYPAIR] = {"sign_keypair_from_seed", "iii:i", wcg_sign_keypair},
    [WCG_SIGN] = {"sign", "iiii:i", wcg_sign},
    [WCG_VERIFY] = {"verify", "iiii:i", wcg_verify},
    [WCG_BOX_KEYPAIR] = {"box_keypair_from_seed", "iii:i", wcg_box_keypair},
    [WCG_BOX_SEAL] = {"box_seal", "iiii:i", wcg_box_seal},
    [WCG_BOX_SEAL_OPEN] = {"box_seal_open", "iiiii:i", wcg_box_seal_open},
    [WCG_KX_CLIENT] = {"kx_client_session_keys", "iiiii:i", wcg_kx_client},
    [WCG_KX_SERVER] = {"kx_server_session_keys", "iiiii:i", wcg_kx_server},
    [WCG_KDF_DERIVE] = {"kdf_derive", "iiIii:i", wcg_kdf_derive},
    [WCG_PWHASH] = {"pwhash_argon2id", "iiiiiII:i", wcg_pwhash},
    [WCG_EQUAL] = {"equal", "iii:i", wcg_equal},
};

/* {base, per byte, per work unit}; which bytes count is in docs/crypto.md. */
const wguest_price wcg_prices[WCG_COUNT] = {
    [WCG_SHA256] = {200, 1, 0},
    [WCG_SHA512] = {200, 1, 0},
    [WCG_BLAKE2B] = {200, 1, 0},
    [WCG_HASH_INIT] = {200, 1, 0},
    [WCG_HASH_UPDATE] = {50, 1, 0},
    [WCG_HASH_FINAL] = {200, 0, 0},
    [WCG_HASH_FREE] = {50, 0, 0},
    [WCG_RANDOM_BYTES] = {100, 1, 0},
    [WCG_AEAD_ENCRYPT] = {500, 1, 0},
    [WCG_AEAD_DECRYPT] = {500, 1, 0},
    [WCG_SIGN_KEYPAIR] = {30000, 0, 0},
    [WCG_SIGN] = {30000, 2, 0},
    [WCG_VERIFY] = {60000, 1, 0},
    [WCG_BOX_KEYPAIR] = {30000, 0, 0},
    [WCG_BOX_SEAL] = {100000, 1, 0},
    [WCG_BOX_SEAL_OPEN] = {60000, 1, 0},
    [WCG_KX_CLIENT] = {60000, 0, 0},
    [WCG_KX_SERVER] = {60000, 0, 0},
    [WCG_KDF_DERIVE] = {500, 0, 0},
    [WCG_PWHASH] = {10000, 1, 1000},
    [WCG_EQUAL] = {50, 1, 0},
};

void ward_crypto_config_default(ward_crypto_config *cfg)
{
    if (!cfg)
        return;
    memset(cfg, 0, sizeof *cfg);
    cfg->max_handles = WCG_DEFAULT_HANDLES;
    cfg->pwhash_ops_max = WCG_DEFAULT_OPS_MAX;
    cfg->pwhash_mem_max = WCG_DEFAULT_MEM_MAX;
}

static void crypto_error(ward_error *err, const char *msg)
{
    if (!err)
        return;
    memset(err, 0, sizeof *err);
    snprintf(err->message, sizeof err->message, "ward:crypto: %s", msg);
    err->stage = WARD_STAGE_ARGUMENT;
    err->section = err->func_index = err->offset = err->line = err->column = WARD_NONE;
}

/* 0 = default; the handle count clamped to its maximum. */
static void apply_limits(ward_crypto *c, const ward_crypto_config *cfg)
{
    c->max_handles = cfg->max_handles ? cfg->max_handles : WCG_DEFAULT_HANDLES;
    if (c->max_handles > WCG_MAX_HANDLES)
        c->max_handles = WCG_MAX_HANDLES;
    c->pwhash_ops_max = cfg->pwhash_ops_max ? cfg->pwhash_ops_max : WCG_DEFAULT_OPS_MAX;
    c->pwhash_mem_max = cfg->pwhash_mem_max ? cfg->pwhash_mem_max : WCG_DEFAULT_MEM_MAX;
}

ward_crypto *ward_crypto_new(const ward_crypto_config *cfg, ward_error *err)
{
    ward_crypto_config defaults;
    ward_crypto_config_default(&defaults);
    if (!cfg)
        cfg = &defaults;
    if (wcrypto_init() != 0) {
        crypto_error(err, "libsodium cannot start (no entropy source)");
        return NULL;
    }
    ward_crypto *c = wcalloc(1, sizeof *c);
    if (!c) {
        crypto_error(err, "out of memory");
        return NULL;
    }
    apply_limits(c, cfg);
    c->deterministic = cfg->deterministic;
    if (c->deterministic) {
        /* no seed given: 32 zero bytes, documented, so runs still agree */
        uint8_t seed[WCRYPTO_SEED_BYTES] = {0};
        if (cfg->has_seed)
            memcpy(seed, cfg->seed, sizeof seed);
        wcrypto_stream_init(&c->stream, seed);
        wcrypto_wipe(seed, sizeof seed);
    }
    return c;
}

ward_result ward_crypto_define(ward_crypto *c, ward_linker *linker, ward_store *store)
{
    if (!c || !linker || !store)
        return WARD_ERROR;
    return wguest_define(linker, store, WARD_CRYPTO_MODULE, wcg_imports, WCG_COUNT, c);
}

void ward_crypto_free(ward_crypto *c)
{
    if (!c)
        return;
    wcrypto_stream_wipe(&c->stream);
    free(c);
}
