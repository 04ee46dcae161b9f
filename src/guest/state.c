/*
 * ward:state, a contract's key/value state (docs/contracts.md, "Guest
 * ABI"; include/ward_guest_contract.h).  Writes go to the call's overlay
 * (wcontract_run.overlay), which reads see first: the call sees its own
 * writes, and the database sees them only when the call succeeds.  Every
 * call is priced per byte and charged before any work; limits are checked
 * before the charge (a length is not work), so a 100 MB value traps with
 * the limit in its message whatever the gas left.
 */
#include <stdlib.h>
#include <string.h>

#include "contract/contract_internal.h"
#include "guest.h"
#include "ward_guest_contract.h"

typedef enum wst_id { WST_GET, WST_SET, WST_REMOVE, WST_HAS, WST_COUNT } wst_id;

/* {base, per byte, per unit}: a lookup in the overlay then the database
 * (a B-tree search), per byte of key and of value copied; a write also
 * costs the row hash updates of the state root at commit, and per byte
 * the storage it takes. */
static const wguest_price wst_prices[WST_COUNT] = {
    [WST_GET] = {500, 1, 0},
    [WST_SET] = {1000, 5, 0},
    [WST_REMOVE] = {1000, 1, 0},
    [WST_HAS] = {500, 1, 0},
};

/* The key's length against the limit, checked before the charge. */
static bool key_fits(const ward_val *args, const char *fn, ward_trap *trap)
{
    uint32_t klen = wguest_u32(args, 1);
    if (klen <= WARD_STATE_KEY_MAX)
        return true;
    wcontract_refuse(trap, "ward:state %s: a key of %u bytes is over the limit of %d", fn, klen, WARD_STATE_KEY_MAX);
    return false;
}

/* The key's bytes, or NULL with *trap (out of bounds). */
static const uint8_t *take_key(ward_caller *caller, const ward_val *args, ward_trap *trap)
{
    return wguest_span(caller, wguest_u32(args, 0), wguest_u32(args, 1), trap);
}

/* The current value of key: the overlay's, else the database's as read
 * before (run->reads), else read now (*value malloc'd then, else pointing
 * into the overlay or the reads: *owned says which). */
static bool lookup(wcontract_run *run, const uint8_t *key, size_t klen, const uint8_t **value, size_t *vlen,
                   bool *found, uint8_t **owned, ward_trap *trap)
{
    *owned = NULL;
    const woverlay_entry *e = woverlay_find(&run->overlay, key, klen);
    if (!e)
        e = woverlay_find(&run->reads, key, klen);
    if (e) {
        *found = !e->removed;
        *value = e->value;
        *vlen = e->vlen;
        return true;
    }
    if (!wcontract_state_read(run, key, klen, owned, vlen, found)) {
        wcontract_refuse(trap, "ward:state: the database failed: %s", run->db_err.message);
        return false;
    }
    *value = *owned;
    /* remembered when small (a failure to remember only costs a read later) */
    if (*vlen <= WCONTRACT_READ_CACHE_VALUE && run->reads.bytes + klen + *vlen <= WCONTRACT_READ_CACHE_MAX)
        woverlay_put(&run->reads, key, klen, *owned, *vlen, !*found);
    return true;
}

static ward_result wst_get(void *env, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    wcontract_run *run = env;
    uint32_t klen = wguest_u32(args, 1), cap = wguest_u32(args, 3);
    if (!key_fits(args, "get", trap) || !wguest_charge(caller, &wst_prices[WST_GET], klen, 0, trap))
        return WARD_TRAP;
    const uint8_t *key = take_key(caller, args, trap);
    uint8_t *out = key ? wguest_span(caller, wguest_u32(args, 2), cap, trap) : NULL;
    if (!out)
        return WARD_TRAP;
    const uint8_t *value;
    size_t vlen;
    bool found;
    uint8_t *owned;
    if (!lookup(run, key, klen, &value, &vlen, &found, &owned, trap))
        return WARD_TRAP;
    ward_result rc = WARD_OK;
    if (found && vlen <= cap && !ward_caller_consume_fuel(caller, vlen * wst_prices[WST_GET].per_byte, trap))
        rc = WARD_TRAP; /* the copy is paid for too */
    else if (found && vlen <= cap && vlen)
        memcpy(out, value, vlen);
    free(owned);
    if (rc != WARD_OK)
        return rc;
    return wguest_ret(results, found ? (int32_t)vlen : WARD_STATE_ABSENT);
}

static ward_result wst_set(void *env, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    wcontract_run *run = env;
    uint32_t klen = wguest_u32(args, 1), vlen = wguest_u32(args, 3);
    if (!key_fits(args, "set", trap))
        return WARD_TRAP;
    if (vlen > WARD_STATE_VALUE_MAX)
        return wcontract_refuse(trap, "ward:state set: a value of %u bytes is over the limit of %u", vlen,
                                WARD_STATE_VALUE_MAX);
    if (run->overlay.bytes + (uint64_t)klen + vlen > WARD_STATE_WRITES_MAX)
        return wcontract_refuse(trap, "ward:state set: the call's writes would pass the limit of %u bytes",
                                WARD_STATE_WRITES_MAX);
    if (!wguest_charge(caller, &wst_prices[WST_SET], (uint64_t)klen + vlen, 0, trap))
        return WARD_TRAP;
    const uint8_t *key = take_key(caller, args, trap);
    const uint8_t *value = key ? wguest_span(caller, wguest_u32(args, 2), vlen, trap) : NULL;
    if (!value)
        return WARD_TRAP;
    if (!woverlay_put(&run->overlay, key, klen, value, vlen, false))
        return wcontract_refuse(trap, "ward:state set: out of host memory");
    return wguest_ret(results, 0);
}

/* remove and has: whether key has a value now (overlay first). */
static ward_result presence(wcontract_run *run, ward_caller *caller, const ward_val *args, wst_id id,
                            const char *fn, const uint8_t **key, bool *found, ward_trap *trap)
{
    uint32_t klen = wguest_u32(args, 1);
    if (!key_fits(args, fn, trap) || !wguest_charge(caller, &wst_prices[id], klen, 0, trap))
        return WARD_TRAP;
    if (!(*key = take_key(caller, args, trap)))
        return WARD_TRAP;
    const uint8_t *value;
    size_t vlen;
    uint8_t *owned;
    if (!lookup(run, *key, klen, &value, &vlen, found, &owned, trap))
        return WARD_TRAP;
    free(owned);
    return WARD_OK;
}

static ward_result wst_remove(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                              ward_trap *trap)
{
    wcontract_run *run = env;
    const uint8_t *key;
    bool found;
    if (presence(run, caller, args, WST_REMOVE, "remove", &key, &found, trap) != WARD_OK)
        return WARD_TRAP;
    if (run->overlay.bytes + (uint64_t)wguest_u32(args, 1) > WARD_STATE_WRITES_MAX)
        return wcontract_refuse(trap, "ward:state remove: the call's writes would pass the limit of %u bytes",
                                WARD_STATE_WRITES_MAX);
    if (!woverlay_put(&run->overlay, key, wguest_u32(args, 1), NULL, 0, true))
        return wcontract_refuse(trap, "ward:state remove: out of host memory");
    return wguest_ret(results, found ? 1 : 0);
}

static ward_result wst_has(void *env, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    const uint8_t *key;
    bool found;
    if (presence(env, caller, args, WST_HAS, "has", &key, &found, trap) != WARD_OK)
        return WARD_TRAP;
    return wguest_ret(results, found ? 1 : 0);
}

static const wguest_import wst_imports[WST_COUNT] = {
    [WST_GET] = {"get", "iiii:i", wst_get},
    [WST_SET] = {"set", "iiii:i", wst_set},
    [WST_REMOVE] = {"remove", "ii:i", wst_remove},
    [WST_HAS] = {"has", "ii:i", wst_has},
};

ward_result wguest_state_define(ward_linker *linker, ward_store *store, wcontract_run *run)
{
    return wguest_define(linker, store, WARD_STATE_MODULE, wst_imports, WST_COUNT, run);
}
