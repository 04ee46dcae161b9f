/*
 * ward:vault, the guest module (docs/vault.md, "Guest ABI";
 * include/ward_guest_vault.h): put, get, get_version and delete of named
 * secrets, each acting as the module the host defined it for (its
 * binding's actor), priced in fuel and charged before any work.  A value
 * read crosses host memory only on its way into the guest's buffer and is
 * wiped there; a value too long for the buffer is not written at all.
 */
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "guest.h"
#include "vault/vault_internal.h"
#include "ward_guest_vault.h"

struct wvault_binding {
    wvault_binding *next;
    ward_vault *vault;
    ward_vault_actor actor;
};

typedef enum wvg_id { WVG_PUT, WVG_GET, WVG_GET_VERSION, WVG_DELETE, WVG_COUNT } wvg_id;

/* {base, per byte, per unit}: a call is a database transaction with its
 * audit entry (tens of microseconds, more with a disk sync); the bytes are
 * the name and the value (put), the name and out_cap (get). */
static const wguest_price wvg_prices[WVG_COUNT] = {
    [WVG_PUT] = {50000, 2, 0},
    [WVG_GET] = {50000, 1, 0},
    [WVG_GET_VERSION] = {50000, 1, 0},
    [WVG_DELETE] = {50000, 1, 0},
};

/* The error code for a failed vault call. */
static int32_t code_of(const ward_db_error *err, bool deleted)
{
    switch (err->kind) {
    case WARD_DB_ERR_ARGUMENT: return WARD_VAULT_EINVAL;
    case WARD_DB_ERR_DENIED: return WARD_VAULT_EDENIED;
    case WARD_DB_ERR_NOT_FOUND: return deleted ? WARD_VAULT_EDELETED : WARD_VAULT_ENOTFOUND;
    case WARD_DB_ERR_BUSY: return WARD_VAULT_EBUSY;
    case WARD_DB_ERR_NOMEM: return WARD_VAULT_ENOMEM;
    case WARD_DB_ERR_TAMPERED: return WARD_VAULT_ETAMPERED;
    default: return WARD_VAULT_EIO;
    }
}

/* A version as the i32 result (versions past 2^31 - 1 cannot be told). */
static int32_t version_result(uint64_t version)
{
    return version <= INT32_MAX ? (int32_t)version : WARD_VAULT_EIO;
}

/* The guest's name bytes as a C string in name[256]; false when they
 * cannot be one (empty, too long, a NUL inside). */
static bool take_name(const uint8_t *bytes, uint32_t len, char name[WARD_VAULT_NAME_MAX + 1])
{
    if (len == 0 || len > WARD_VAULT_NAME_MAX || memchr(bytes, 0, len))
        return false;
    memcpy(name, bytes, len);
    name[len] = 0;
    return true;
}

static ward_result wvg_put(void *env, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    wvault_binding *b = env;
    uint32_t name_len = wguest_u32(args, 1), value_len = wguest_u32(args, 3);
    if (!wguest_charge(caller, &wvg_prices[WVG_PUT], (uint64_t)name_len + value_len, 0, trap))
        return WARD_TRAP;
    const uint8_t *name_bytes = wguest_span(caller, wguest_u32(args, 0), name_len, trap);
    const uint8_t *value = name_bytes ? wguest_span(caller, wguest_u32(args, 2), value_len, trap) : NULL;
    if (!value)
        return WARD_TRAP;
    char name[WARD_VAULT_NAME_MAX + 1];
    if (!take_name(name_bytes, name_len, name))
        return wguest_ret(results, WARD_VAULT_EINVAL);
    if (value_len > WARD_VAULT_GUEST_VALUE_MAX)
        return wguest_ret(results, WARD_VAULT_ETOOBIG);
    ward_db_error err;
    uint64_t version;
    if (!ward_vault_put(b->vault, &b->actor, name, value, value_len, &version, &err))
        return wguest_ret(results, code_of(&err, false));
    return wguest_ret(results, version_result(version));
}

/* get and get_version: name, version (0 = latest), out, cap, len_out. */
static ward_result get_common(wvault_binding *b, ward_caller *caller, const ward_val *args, int at, uint32_t version,
                              ward_val *results, ward_trap *trap, wvg_id id)
{
    uint32_t name_len = wguest_u32(args, 1), cap = wguest_u32(args, at + 1), len_ptr = wguest_u32(args, at + 2);
    if (!wguest_charge(caller, &wvg_prices[id], (uint64_t)name_len + cap, 0, trap))
        return WARD_TRAP;
    const uint8_t *name_bytes = wguest_span(caller, wguest_u32(args, 0), name_len, trap);
    uint8_t *out = name_bytes ? wguest_span(caller, wguest_u32(args, at), cap, trap) : NULL;
    if (!out || !wguest_span(caller, len_ptr, 4, trap))
        return WARD_TRAP;
    char name[WARD_VAULT_NAME_MAX + 1];
    if (!take_name(name_bytes, name_len, name) || (id == WVG_GET_VERSION && version == 0))
        return wguest_ret(results, WARD_VAULT_EINVAL);
    ward_db_error err;
    ward_vault_secret s;
    if (!ward_vault_get(b->vault, &b->actor, name, version, &s, &err))
        return wguest_ret(results, code_of(&err, s.deleted));
    int32_t rc = version_result(s.version);
    uint32_t len = (uint32_t)s.len; /* at most WARD_VAULT_VALUE_MAX */
    bool fits = s.len <= cap;
    if (fits && s.len)
        memcpy(out, s.value, s.len);
    ward_vault_secret_free(&s); /* wipes the host's copy */
    if (!ward_caller_write_u32(caller, len_ptr, len, trap))
        return WARD_TRAP;
    return wguest_ret(results, fits ? rc : WARD_VAULT_ESPACE);
}

static ward_result wvg_get(void *env, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    return get_common(env, caller, args, 2, 0, results, trap, WVG_GET);
}

static ward_result wvg_get_version(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                                   ward_trap *trap)
{
    return get_common(env, caller, args, 3, wguest_u32(args, 2), results, trap, WVG_GET_VERSION);
}

static ward_result wvg_delete(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                              ward_trap *trap)
{
    wvault_binding *b = env;
    uint32_t name_len = wguest_u32(args, 1);
    if (!wguest_charge(caller, &wvg_prices[WVG_DELETE], name_len, 0, trap))
        return WARD_TRAP;
    const uint8_t *name_bytes = wguest_span(caller, wguest_u32(args, 0), name_len, trap);
    if (!name_bytes)
        return WARD_TRAP;
    char name[WARD_VAULT_NAME_MAX + 1];
    if (!take_name(name_bytes, name_len, name))
        return wguest_ret(results, WARD_VAULT_EINVAL);
    ward_db_error err;
    uint64_t version;
    if (!ward_vault_delete(b->vault, &b->actor, name, &version, &err))
        return wguest_ret(results, code_of(&err, false));
    return wguest_ret(results, version_result(version));
}

static const wguest_import wvg_imports[WVG_COUNT] = {
    [WVG_PUT] = {"put", "iiii:i", wvg_put},
    [WVG_GET] = {"get", "iiiii:i", wvg_get},
    [WVG_GET_VERSION] = {"get_version", "iiiiii:i", wvg_get_version},
    [WVG_DELETE] = {"delete", "ii:i", wvg_delete},
};

static bool actor_equal(const ward_vault_actor *a, const ward_vault_actor *b)
{
    if (a->kind != b->kind || a->level != b->level || a->nsigners != b->nsigners ||
        memcmp(a->module_sha256, b->module_sha256, sizeof a->module_sha256) != 0)
        return false;
    for (size_t i = 0; i < a->nsigners && i < WARD_VAULT_MAX_SIGNERS; i++)
        if (memcmp(a->signers[i], b->signers[i], sizeof a->signers[i]) != 0)
            return false;
    return true;
}

/* The vault's binding for actor, made on first use: an embedder defining
 * ward:vault for store after store of the same module keeps one. */
static wvault_binding *binding_for(ward_vault *v, const ward_vault_actor *actor)
{
    pthread_mutex_lock(&v->lock);
    wvault_binding *b = v->bindings;
    while (b && !actor_equal(&b->actor, actor))
        b = b->next;
    if (!b && (b = wcalloc(1, sizeof *b))) {
        b->vault = v;
        b->actor = *actor;
        b->next = v->bindings;
        v->bindings = b;
    }
    pthread_mutex_unlock(&v->lock);
    return b;
}

ward_result ward_vault_define(ward_vault *v, const ward_vault_actor *actor, ward_linker *linker, ward_store *store)
{
    ward_vault_actor operator;
    if (!v || !linker || !store)
        return WARD_ERROR;
    if (!actor) {
        ward_vault_actor_operator(&operator);
        actor = &operator;
    }
    wvault_binding *b = binding_for(v, actor);
    if (!b)
        return WARD_ERROR;
    return wguest_define(linker, store, WARD_VAULT_MODULE, wvg_imports, WVG_COUNT, b);
}

void wvault_bindings_free(wvault_binding *b)
{
    while (b) {
        wvault_binding *next = b->next;
        free(b);
        b = next;
    }
}
