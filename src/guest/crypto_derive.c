/*
 * ward:crypto derived bytes: random bytes (the OS source, or the
 * embedder-seeded stream in deterministic mode), crypto_kdf subkeys and
 * Argon2id password hashes with limits capped by the embedder.
 */
#include <string.h>

#include "crypto_internal.h"

/* random_bytes(out, len) */
ward_result wcg_random_bytes(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                             ward_trap *trap)
{
    ward_crypto *c = env;
    uint32_t len = wguest_u32(args, 1);
    if (!wcg_charge(caller, WCG_RANDOM_BYTES, len, 0, trap))
        return WARD_TRAP;
    uint8_t *out = wguest_span(caller, wguest_u32(args, 0), len, trap);
    if (!out)
        return WARD_TRAP;
    if (c->deterministic)
        wcrypto_stream_read(&c->stream, out, len);
    else
        wcrypto_random(out, len);
    return wguest_ret(results, WARD_CRYPTO_OK);
}

/* kdf_derive(out, outlen, id, ctx, key) */
ward_result wcg_kdf_derive(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                           ward_trap *trap)
{
    (void)env;
    uint32_t outlen = wguest_u32(args, 1);
    if (!wcg_charge(caller, WCG_KDF_DERIVE, 0, 0, trap))
        return WARD_TRAP;
    if (outlen < WCRYPTO_KDF_MIN_BYTES || outlen > WCRYPTO_KDF_MAX_BYTES)
        return wguest_ret(results, WARD_CRYPTO_EINVAL);
    uint8_t *out = wguest_span(caller, wguest_u32(args, 0), outlen, trap);
    const uint8_t *ctx = out ? wguest_span(caller, wguest_u32(args, 3), WCRYPTO_KDF_CONTEXT_BYTES, trap) : NULL;
    const uint8_t *key = ctx ? wguest_span(caller, wguest_u32(args, 4), WCRYPTO_KDF_KEY_BYTES, trap) : NULL;
    if (!key)
        return WARD_TRAP;
    uint8_t sub[WCRYPTO_KDF_MAX_BYTES];
    int rc = wcrypto_kdf(sub, outlen, wguest_u64(args, 2), ctx, key);
    if (rc == 0)
        memcpy(out, sub, outlen);
    wcrypto_wipe(sub, sizeof sub);
    return wguest_ret(results, rc == 0 ? WARD_CRYPTO_OK : WARD_CRYPTO_EINVAL);
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

/* Argon2 work units: passes x KiB, with both limits clamped to the caps so
 * that a call over them is priced as at most the caps and then refused. */
static uint64_t pwhash_units(const ward_crypto *c, uint64_t ops, uint64_t mem)
{
    uint64_t kib = min_u64(mem, c->pwhash_mem_max) / 1024 + (min_u64(mem, c->pwhash_mem_max) % 1024 != 0);
    return min_u64(ops, c->pwhash_ops_max) * kib;
}

static int32_t pwhash_check(const ward_crypto *c, uint32_t outlen, uint64_t ops, uint64_t mem)
{
    if (ops > c->pwhash_ops_max || mem > c->pwhash_mem_max)
        return WARD_CRYPTO_ELIMIT;
    if (outlen < WCRYPTO_PWHASH_MIN_BYTES || ops < WCRYPTO_PWHASH_OPS_MIN || mem < WCRYPTO_PWHASH_MEM_MIN)
        return WARD_CRYPTO_EINVAL;
    return WARD_CRYPTO_OK;
}

/* pwhash_argon2id(out, outlen, pw, pwlen, salt, ops, mem) */
ward_result wcg_pwhash(void *env, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    const ward_crypto *c = env;
    uint32_t outlen = wguest_u32(args, 1), pwlen = wguest_u32(args, 3);
    uint64_t ops = wguest_u64(args, 5), mem = wguest_u64(args, 6);
    if (!wcg_charge(caller, WCG_PWHASH, (uint64_t)pwlen + outlen, pwhash_units(c, ops, mem), trap))
        return WARD_TRAP;
    int32_t rc = pwhash_check(c, outlen, ops, mem);
    if (rc != WARD_CRYPTO_OK)
        return wguest_ret(results, rc);
    uint8_t *out = wguest_span(caller, wguest_u32(args, 0), outlen, trap);
    const uint8_t *pw_in = out ? wguest_span(caller, wguest_u32(args, 2), pwlen, trap) : NULL;
    const uint8_t *salt_in = pw_in ? wguest_span(caller, wguest_u32(args, 4), WCRYPTO_PWHASH_SALT_BYTES, trap) : NULL;
    if (!salt_in)
        return WARD_TRAP;
    uint8_t salt[WCRYPTO_PWHASH_SALT_BYTES];
    memcpy(salt, salt_in, sizeof salt);
    const uint8_t *pw;
    uint8_t *copy;
    rc = WARD_CRYPTO_ENOMEM;
    /* the limits are in range: a failure is Argon2's memory not to be had */
    if (wguest_input(pw_in, pwlen, out, outlen, &pw, &copy) &&
        wcrypto_pwhash(out, outlen, pw, pwlen, salt, ops, (size_t)mem) == 0)
        rc = WARD_CRYPTO_OK;
    wguest_drop(copy, pwlen);
    return wguest_ret(results, rc);
}
