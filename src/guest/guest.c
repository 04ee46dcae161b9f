/* Marshaling shared by ward's guest modules (guest.h). */
#include "guest.h"

#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"

static uint64_t sat_mul(uint64_t a, uint64_t b)
{
    return b != 0 && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

uint64_t wguest_cost(const wguest_price *p, uint64_t bytes, uint64_t units)
{
    return sat_add(sat_add(p->base, sat_mul(p->per_byte, bytes)), sat_mul(p->per_unit, units));
}

bool wguest_charge(const ward_caller *caller, const wguest_price *p, uint64_t bytes, uint64_t units,
                   ward_trap *trap)
{
    return ward_caller_consume_fuel(caller, wguest_cost(p, bytes, units), trap);
}

bool wguest_overlap(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    if (alen == 0 || blen == 0)
        return false;
    uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;
    return x < y + blen && y < x + alen;
}

bool wguest_input(const uint8_t *in, size_t len, const uint8_t *out, size_t outlen, const uint8_t **use,
                  uint8_t **copy)
{
    *copy = NULL;
    *use = in;
    if (!wguest_overlap(in, len, out, outlen))
        return true;
    *copy = malloc(len);
    if (!*copy)
        return false;
    memcpy(*copy, in, len);
    *use = *copy;
    return true;
}

void wguest_drop(uint8_t *copy, size_t len)
{
    if (!copy)
        return;
    wcrypto_wipe(copy, len);
    free(copy);
}

static bool parse_kinds(const char **s, char end, ward_valkind *kinds, uint32_t *n, uint32_t max)
{
    *n = 0;
    for (; **s && **s != end; (*s)++) {
        if (*n >= max || (**s != 'i' && **s != 'I'))
            return false;
        kinds[(*n)++] = **s == 'i' ? WARD_I32 : WARD_I64;
    }
    return **s == end;
}

bool wguest_parse_sig(const char *sig, ward_valkind *params, uint32_t *nparams, ward_valkind *results,
                      uint32_t *nresults, uint32_t max)
{
    const char *s = sig;
    if (!parse_kinds(&s, ':', params, nparams, max))
        return false;
    s++;
    return parse_kinds(&s, '\0', results, nresults, max);
}

ward_result wguest_define(ward_linker *linker, ward_store *store, const char *module,
                          const wguest_import *imports, size_t n, void *env)
{
    enum { MAX_KINDS = 16 };
    for (size_t i = 0; i < n; i++) {
        ward_valkind params[MAX_KINDS], results[MAX_KINDS];
        ward_functype type;
        if (!wguest_parse_sig(imports[i].sig, params, &type.nparams, results, &type.nresults, MAX_KINDS))
            return WARD_ERROR;
        type.params = params;
        type.results = results;
        ward_func *f = ward_func_new(store, &type, imports[i].fn, env);
        if (!f || ward_linker_define_func(linker, module, imports[i].name, f) != WARD_OK)
            return WARD_ERROR;
    }
    return WARD_OK;
}
