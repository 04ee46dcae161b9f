/*
 * ward:crypto hashing: one-shot SHA-256, SHA-512 and BLAKE2b, streaming
 * states on a bounded per-instance handle table, and the constant-time
 * compare.  Every function: charge, check scalar arguments, take the
 * guest spans (out of bounds traps), then work; digests go through a
 * local buffer so an output range may overlap the input.
 */
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "crypto_internal.h"

ward_result wcg_sha256(void *env, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    (void)env;
    uint32_t inlen = wguest_u32(args, 2);
    if (!wcg_charge(caller, WCG_SHA256, inlen, 0, trap))
        return WARD_TRAP;
    uint8_t *out = wguest_span(caller, wguest_u32(args, 0), WCRYPTO_SHA256_BYTES, trap);
    const uint8_t *in = out ? wguest_span(caller, wguest_u32(args, 1), inlen, trap) : NULL;
    if (!in)
        return WARD_TRAP;
    uint8_t digest[WCRYPTO_SHA256_BYTES];
    wcrypto_sha256(digest, in, inlen);
    memcpy(out, digest, sizeof digest);
    return wguest_ret(results, WARD_CRYPTO_OK);
}

ward_result wcg_sha512(void *env, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    (void)env;
    uint32_t inlen = wguest_u32(args, 2);
    if (!wcg_charge(caller, WCG_SHA512, inlen, 0, trap))
        return WARD_TRAP;
    uint8_t *out = wguest_span(caller, wguest_u32(args, 0), WCRYPTO_SHA512_BYTES, trap);
    const uint8_t *in = out ? wguest_span(caller, wguest_u32(args, 1), inlen, trap) : NULL;
    if (!in)
        return WARD_TRAP;
    uint8_t digest[WCRYPTO_SHA512_BYTES];
    wcrypto_sha512(digest, in, inlen);
    memcpy(out, digest, sizeof digest);
    return wguest_ret(results, WARD_CRYPTO_OK);
}

/* blake2b(out, outlen, in, inlen, key, keylen) */
ward_result wcg_blake2b(void *env, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    (void)env;
    uint32_t outlen = wguest_u32(args, 1), inlen = wguest_u32(args, 3), keylen = wguest_u32(args, 5);
    if (!wcg_charge(caller, WCG_BLAKE2B, (uint64_t)inlen + keylen, 0, trap))
        return WARD_TRAP;
    if (outlen < WCRYPTO_BLAKE2B_MIN_BYTES || outlen > WCRYPTO_BLAKE2B_MAX_BYTES ||
        keylen > WCRYPTO_BLAKE2B_KEY_MAX)
        return wguest_ret(results, WARD_CRYPTO_EINVAL);
    uint8_t *out = wguest_span(caller, wguest_u32(args, 0), outlen, trap);
    const uint8_t *in = out ? wguest_span(caller, wguest_u32(args, 2), inlen, trap) : NULL;
    const uint8_t *key = in ? wguest_span(caller, wguest_u32(args, 4), keylen, trap) : NULL;
    if (!key)
        return WARD_TRAP;
    uint8_t digest[WCRYPTO_BLAKE2B_MAX_BYTES];
    int rc = wcrypto_blake2b(digest, outlen, in, inlen, key, keylen);
    if (rc == 0)
        memcpy(out, digest, outlen);
    wcrypto_wipe(digest, sizeof digest); /* a keyed digest is a MAC */
    return wguest_ret(results, rc == 0 ? WARD_CRYPTO_OK : WARD_CRYPTO_EINVAL);
}

/* ---- streaming handles ---------------------------------------------------- */

/* An instance's open states; handle h is slot[h - 1]. */
typedef struct wcg_handles {
    uint32_t max;
    wcrypto_hash *slot[];
} wcg_handles;

/* Runs with the instance (ward_instance_set_host_data): states may hold
 * a BLAKE2b key, so each is wiped. */
static void handles_free(void *data)
{
    wcg_handles *t = data;
    for (uint32_t i = 0; i < t->max; i++) {
        if (t->slot[i]) {
            wcrypto_hash_wipe(t->slot[i]);
            free(t->slot[i]);
        }
    }
    free(t);
}

/* The calling instance's table, made on first use when create; NULL when
 * no instance called or out of memory. */
static wcg_handles *handles_of(const ward_crypto *c, const ward_caller *caller, bool create)
{
    ward_instance *inst = ward_caller_instance(caller);
    if (!inst)
        return NULL;
    wcg_handles *t = ward_instance_host_data(inst, c);
    if (t || !create)
        return t;
    size_t size;
    if (!wsize_mul(c->max_handles, sizeof t->slot[0], &size) || !wsize_add(size, sizeof *t, &size))
        return NULL;
    t = calloc(1, size);
    if (!t)
        return NULL;
    t->max = c->max_handles;
    if (!ward_instance_set_host_data(inst, c, t, handles_free)) {
        free(t);
        return NULL;
    }
    return t;
}

/* The open state of handle h, or NULL. */
static wcrypto_hash *handle_state(wcg_handles *t, uint32_t h)
{
    return t && h >= 1 && h <= t->max ? t->slot[h - 1] : NULL;
}

static void handle_close(wcg_handles *t, uint32_t h)
{
    wcrypto_hash_wipe(t->slot[h - 1]);
    free(t->slot[h - 1]);
    t->slot[h - 1] = NULL;
}

static int32_t handle_open(wcg_handles *t, wcrypto_hash_alg alg, size_t outlen, const uint8_t *key,
                           size_t keylen)
{
    uint32_t i = 0;
    while (i < t->max && t->slot[i])
        i++;
    if (i == t->max)
        return WARD_CRYPTO_EFULL;
    /* libsodium's BLAKE2b state wants 64-byte alignment; the size is a
     * multiple of it (wcrypto_hash is _Alignas(64)) as aligned_alloc needs */
    wcrypto_hash *h = aligned_alloc(_Alignof(wcrypto_hash), sizeof *h);
    if (!h)
        return WARD_CRYPTO_ENOMEM;
    if (wcrypto_hash_init(h, alg, outlen, key, keylen) != 0) {
        wcrypto_hash_wipe(h);
        free(h);
        return WARD_CRYPTO_EINVAL;
    }
    t->slot[i] = h;
    return (int32_t)i + 1;
}

/* hash_init(alg, outlen, key, keylen) -> handle */
ward_result wcg_hash_init(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                          ward_trap *trap)
{
    uint32_t alg = wguest_u32(args, 0), outlen = wguest_u32(args, 1), keylen = wguest_u32(args, 3);
    if (!wcg_charge(caller, WCG_HASH_INIT, keylen, 0, trap))
        return WARD_TRAP;
    bool fixed = alg == WCRYPTO_SHA256 || alg == WCRYPTO_SHA512;
    bool ok = fixed ? outlen == wcrypto_hash_fixed_size(alg) && keylen == 0
                    : alg == WCRYPTO_BLAKE2B && outlen >= WCRYPTO_BLAKE2B_MIN_BYTES &&
                          outlen <= WCRYPTO_BLAKE2B_MAX_BYTES && keylen <= WCRYPTO_BLAKE2B_KEY_MAX;
    if (!ok)
        return wguest_ret(results, WARD_CRYPTO_EINVAL);
    const uint8_t *key = wguest_span(caller, wguest_u32(args, 2), keylen, trap);
    if (!key)
        return WARD_TRAP;
    wcg_handles *t = handles_of(env, caller, true);
    if (!t)
        return wguest_ret(results, ward_caller_instance(caller) ? WARD_CRYPTO_ENOMEM : WARD_CRYPTO_EINVAL);
    return wguest_ret(results, handle_open(t, (wcrypto_hash_alg)alg, outlen, key, keylen));
}

/* hash_update(handle, in, inlen) */
ward_result wcg_hash_update(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                            ward_trap *trap)
{
    uint32_t inlen = wguest_u32(args, 2);
    if (!wcg_charge(caller, WCG_HASH_UPDATE, inlen, 0, trap))
        return WARD_TRAP;
    const uint8_t *in = wguest_span(caller, wguest_u32(args, 1), inlen, trap);
    if (!in)
        return WARD_TRAP;
    wcrypto_hash *h = handle_state(handles_of(env, caller, false), wguest_u32(args, 0));
    if (!h)
        return wguest_ret(results, WARD_CRYPTO_EHANDLE);
    wcrypto_hash_update(h, in, inlen);
    return wguest_ret(results, WARD_CRYPTO_OK);
}

/* hash_final(handle, out, outlen): the digest, and the handle is closed. */
ward_result wcg_hash_final(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                           ward_trap *trap)
{
    uint32_t handle = wguest_u32(args, 0), outlen = wguest_u32(args, 2);
    if (!wcg_charge(caller, WCG_HASH_FINAL, 0, 0, trap))
        return WARD_TRAP;
    wcg_handles *t = handles_of(env, caller, false);
    wcrypto_hash *h = handle_state(t, handle);
    if (!h)
        return wguest_ret(results, WARD_CRYPTO_EHANDLE);
    if (outlen != h->outlen)
        return wguest_ret(results, WARD_CRYPTO_EINVAL);
    uint8_t *out = wguest_span(caller, wguest_u32(args, 1), outlen, trap);
    if (!out)
        return WARD_TRAP;
    uint8_t digest[WCRYPTO_BLAKE2B_MAX_BYTES];
    wcrypto_hash_final(h, digest);
    memcpy(out, digest, outlen);
    wcrypto_wipe(digest, sizeof digest);
    handle_close(t, handle);
    return wguest_ret(results, WARD_CRYPTO_OK);
}

/* hash_free(handle) */
ward_result wcg_hash_free(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                          ward_trap *trap)
{
    uint32_t handle = wguest_u32(args, 0);
    if (!wcg_charge(caller, WCG_HASH_FREE, 0, 0, trap))
        return WARD_TRAP;
    wcg_handles *t = handles_of(env, caller, false);
    if (!handle_state(t, handle))
        return wguest_ret(results, WARD_CRYPTO_EHANDLE);
    handle_close(t, handle);
    return wguest_ret(results, WARD_CRYPTO_OK);
}

/* equal(a, b, len) -> 1 equal, 0 not, in time that depends on len alone */
ward_result wcg_equal(void *env, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    (void)env;
    uint32_t len = wguest_u32(args, 2);
    if (!wcg_charge(caller, WCG_EQUAL, len, 0, trap))
        return WARD_TRAP;
    const uint8_t *a = wguest_span(caller, wguest_u32(args, 0), len, trap);
    const uint8_t *b = a ? wguest_span(caller, wguest_u32(args, 1), len, trap) : NULL;
    if (!b)
        return WARD_TRAP;
    return wguest_ret(results, wcrypto_equal(a, b, len) ? 1 : 0);
}
