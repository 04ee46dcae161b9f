/*
 * ward:tee, the guest side of measurements (include/ward_guest_tee.h,
 * docs/measurement.md "Guest ABI").  Built on ward.h and the public
 * ward_measure.h only: each function charges its fuel, checks the guest's
 * ranges (out of bounds traps), then calls the registry and turns its
 * status into the guest header's negative codes.
 */
#include <stdlib.h>
#include <string.h>

#include "guest/guest.h"
#include "ward.h"
#include "ward_guest_tee.h"
#include "ward_measure.h"

/* Fuel: a base per call plus units per byte of guest data (the table of
 * docs/measurement.md). */
static const wguest_price fuel_extend = {1000, 1, 0};
static const wguest_price fuel_read = {100, 0, 0};
static const wguest_price fuel_quote = {40000, 1, 0}; /* an Ed25519 signature */
static const wguest_price fuel_seal = {2000, 1, 0};
static const wguest_price fuel_unseal = {2000, 1, 0};

static const char tee_module[] = "ward:tee";
static const char guest_desc[] = "guest";

static int32_t tee_code(ward_measure_status s)
{
    static const int32_t codes[] = {
        [WARD_MEASURE_OK] = 0,
        [WARD_MEASURE_EARG] = WARD_TEE_EINVAL,
        [WARD_MEASURE_ENOMEM] = WARD_TEE_ENOMEM,
        [WARD_MEASURE_EFULL] = WARD_TEE_EFULL,
        [WARD_MEASURE_ESPACE] = WARD_TEE_ESPACE,
        [WARD_MEASURE_EUNAVAILABLE] = WARD_TEE_EUNAVAILABLE,
        [WARD_MEASURE_ETRUNCATED] = WARD_TEE_EMALFORMED,
        [WARD_MEASURE_ETRAILING] = WARD_TEE_EMALFORMED,
        [WARD_MEASURE_EOVERSIZED] = WARD_TEE_EINVAL,
        [WARD_MEASURE_EMAGIC] = WARD_TEE_EMALFORMED,
        [WARD_MEASURE_EVERSION] = WARD_TEE_EMALFORMED,
        [WARD_MEASURE_EMALFORMED] = WARD_TEE_EMALFORMED,
        [WARD_MEASURE_EAUTH] = WARD_TEE_EAUTH,
    };
    if ((size_t)s < sizeof codes / sizeof codes[0] && (s == WARD_MEASURE_OK || codes[s] != 0))
        return codes[s];
    return WARD_TEE_EINVAL;
}

/* extend(reg, data, len) -> 0 | code */
static ward_result tee_extend(void *env, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    uint32_t reg = args[0].of.i32, ptr = args[1].of.i32, len = args[2].of.i32;
    if (!wguest_charge(caller, &fuel_extend, len, 0, trap))
        return WARD_TRAP;
    const uint8_t *data = ward_caller_span(caller, ptr, len, trap);
    if (!data)
        return WARD_TRAP;
    if (reg >= WARD_MEASURE_REGISTERS)
        return wguest_ret(results, WARD_TEE_EINVAL);
    if (reg < WARD_MEASURE_GUEST_FIRST)
        return wguest_ret(results, WARD_TEE_EPERM);
    ward_measure_status s = ward_measure_extend(env, reg, data, len, guest_desc, sizeof guest_desc - 1);
    return wguest_ret(results, tee_code(s));
}

/* read(reg, out) -> 0 | code */
static ward_result tee_read(void *env, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    uint32_t reg = args[0].of.i32, ptr = args[1].of.i32;
    if (!wguest_charge(caller, &fuel_read, 0, 0, trap))
        return WARD_TRAP;
    uint8_t *out = ward_caller_span(caller, ptr, WARD_MEASURE_DIGEST_BYTES, trap);
    if (!out)
        return WARD_TRAP;
    return wguest_ret(results, tee_code(ward_measure_read(env, reg, out)));
}

/* quote(nonce, nonce_len, mask, out, cap) -> length | code */
static ward_result tee_quote(void *env, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    uint32_t nptr = args[0].of.i32, nlen = args[1].of.i32, mask = args[2].of.i32;
    uint32_t optr = args[3].of.i32, cap = args[4].of.i32;
    if (!wguest_charge(caller, &fuel_quote, nlen, 0, trap))
        return WARD_TRAP;
    const uint8_t *nonce = ward_caller_span(caller, nptr, nlen, trap);
    uint8_t *out = nonce ? ward_caller_span(caller, optr, cap, trap) : NULL;
    if (!out)
        return WARD_TRAP;
    size_t size = ward_measure_quote_size(nlen, mask);
    if (size == 0)
        return wguest_ret(results, WARD_TEE_EINVAL);
    if (cap < size)
        return wguest_ret(results, WARD_TEE_ESPACE);
    /* sign into a host buffer: the nonce may lie inside out */
    uint8_t q[WARD_MEASURE_QUOTE_MAX];
    size_t qlen = 0;
    ward_measure_status s = ward_measure_quote(env, nonce, nlen, mask, q, sizeof q, &qlen);
    if (s != WARD_MEASURE_OK)
        return wguest_ret(results, tee_code(s));
    memcpy(out, q, qlen);
    return wguest_ret(results, (int32_t)qlen);
}

/* seal(mask, data, len, out, cap) -> length | code */
static ward_result tee_seal(void *env, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    uint32_t mask = args[0].of.i32, dptr = args[1].of.i32, len = args[2].of.i32;
    uint32_t optr = args[3].of.i32, cap = args[4].of.i32;
    if (!wguest_charge(caller, &fuel_seal, len, 0, trap))
        return WARD_TRAP;
    const uint8_t *data = ward_caller_span(caller, dptr, len, trap);
    uint8_t *out = data ? ward_caller_span(caller, optr, cap, trap) : NULL;
    if (!out)
        return WARD_TRAP;
    if (mask == 0 || mask > WARD_MEASURE_ALL_REGISTERS || len > WARD_MEASURE_SEAL_MAX || wguest_overlap(data, len, out, cap))
        return wguest_ret(results, WARD_TEE_EINVAL);
    size_t blob_len = 0;
    ward_measure_status s = ward_measure_seal(env, mask, data, len, out, cap, &blob_len);
    return wguest_ret(results, s == WARD_MEASURE_OK ? (int32_t)blob_len : tee_code(s));
}

/* unseal(blob, len, out, cap) -> length | code */
static ward_result tee_unseal(void *env, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    uint32_t bptr = args[0].of.i32, len = args[1].of.i32, optr = args[2].of.i32, cap = args[3].of.i32;
    if (!wguest_charge(caller, &fuel_unseal, len, 0, trap))
        return WARD_TRAP;
    const uint8_t *blob = ward_caller_span(caller, bptr, len, trap);
    uint8_t *out = blob ? ward_caller_span(caller, optr, cap, trap) : NULL;
    if (!out)
        return WARD_TRAP;
    if (wguest_overlap(blob, len, out, cap))
        return wguest_ret(results, WARD_TEE_EINVAL);
    size_t plain = 0;
    ward_measure_status s = ward_measure_unseal(env, blob, len, out, cap, &plain, NULL);
    return wguest_ret(results, s == WARD_MEASURE_OK ? (int32_t)plain : tee_code(s));
}

static const wguest_import tee_imports[] = {
    {"extend", "iii:i", tee_extend}, {"read", "ii:i", tee_read},       {"quote", "iiiii:i", tee_quote},
    {"seal", "iiiii:i", tee_seal},   {"unseal", "iiii:i", tee_unseal},
};

ward_result ward_tee_define(ward_measure *m, ward_linker *linker, ward_store *store)
{
    if (!m || !linker || !store)
        return WARD_ERROR;
    return wguest_define(linker, store, tee_module, tee_imports, sizeof tee_imports / sizeof tee_imports[0], m);
}
