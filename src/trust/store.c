/*
 * Trust stores (docs/trust.md):
 *   {"version": 1, "keys": [{"name": N, "public_key": HEX, "level": L}, ...]}
 * HEX is the Signatures.md serialization of an Ed25519 public key (0x01 ||
 * 32 bytes) in 66 hex digits; L is community, publisher or enterprise.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/util.h"
#include "../crypto/crypto.h"
#include "trust_internal.h"

typedef struct store_entry {
    ward_sig_public_key pk;
    ward_trust_level level;
    char *name;
} store_entry;

struct ward_trust_store {
    size_t n;
    store_entry *entries;
};

static bool parse_key(const wtj_ctx *c, const wjson *v, const char *path, ward_sig_public_key *pk)
{
    const char *hex;
    uint8_t bytes[WARD_SIG_PUBLIC_KEY_BYTES];
    if (!wtj_string(c, v, path, &hex))
        return false;
    size_t len = strlen(hex);
    if (len != 2 * sizeof bytes)
        return wtj_fail(c, WARD_TRUST_ERR_KEY, path,
                        "%zu hex digits; an Ed25519 public key is 66 (01 then 32 bytes)", len);
    if (!wcrypto_from_hex(bytes, sizeof bytes, hex, len))
        return wtj_fail(c, WARD_TRUST_ERR_KEY, path, "not hexadecimal");
    ward_sig_error se;
    if (!ward_sig_public_key_from_bytes(pk, bytes, sizeof bytes, &se))
        return wtj_fail(c, WARD_TRUST_ERR_KEY, path, "%s", se.message);
    return true;
}

/* Neither the key nor the name of entry i may repeat an earlier one. */
static bool check_unique(const wtj_ctx *c, const ward_trust_store *s, size_t i)
{
    char path[96];
    for (size_t j = 0; j < i; j++) {
        if (memcmp(&s->entries[j].pk, &s->entries[i].pk, sizeof s->entries[i].pk) == 0) {
            snprintf(path, sizeof path, "keys[%zu].public_key", i);
            return wtj_fail(c, WARD_TRUST_ERR_DUPLICATE, path, "the same key as keys[%zu] (\"%s\")", j,
                            s->entries[j].name);
        }
        if (strcmp(s->entries[j].name, s->entries[i].name) == 0) {
            snprintf(path, sizeof path, "keys[%zu].name", i);
            return wtj_fail(c, WARD_TRUST_ERR_DUPLICATE, path, "the same name as keys[%zu]", j);
        }
    }
    return true;
}

static bool parse_entry(const wtj_ctx *c, const wjson *v, size_t i, ward_trust_store *s)
{
    static const char *const names[] = {"name", "public_key", "level"};
    const wjson *f[3];
    char path[64], sub[96];
    const char *name;
    store_entry *e = &s->entries[i];
    snprintf(path, sizeof path, "keys[%zu]", i);
    if (!wtj_fields(c, v, path, names, 3, 0x7, f))
        return false;
    snprintf(sub, sizeof sub, "%s.name", path);
    if (!wtj_string(c, f[0], sub, &name))
        return false;
    snprintf(sub, sizeof sub, "%s.public_key", path);
    if (!parse_key(c, f[1], sub, &e->pk))
        return false;
    snprintf(sub, sizeof sub, "%s.level", path);
    if (!wtj_level(c, f[2], sub, false, &e->level))
        return false;
    if (!(e->name = strdup(name)))
        return wtj_fail(c, WARD_TRUST_ERR_NOMEM, "", "out of memory");
    s->n = i + 1;
    return check_unique(c, s, i);
}

static bool parse_store(const wtj_ctx *c, const wjson *root, ward_trust_store *s)
{
    static const char *const names[] = {"version", "keys"};
    const wjson *f[2];
    if (!wtj_fields(c, root, "", names, 2, 0x3, f) || !wtj_version(c, f[0]) || !wtj_array(c, f[1], "keys"))
        return false;
    size_t n = f[1]->count;
    s->entries = wcalloc(n ? n : 1, sizeof *s->entries);
    if (!s->entries)
        return wtj_fail(c, WARD_TRUST_ERR_NOMEM, "", "out of memory");
    size_t i = 0;
    for (const wjson *e = f[1]->child; e; e = e->next, i++)
        if (!parse_entry(c, e, i, s))
            return false;
    return true;
}

ward_trust_store *ward_trust_store_parse(const char *name, const char *json, size_t len, ward_trust_error *err)
{
    wtj_clear(err);
    wtj_ctx c = {name ? name : "trust store", err};
    if (!json) {
        wtj_fail(&c, WARD_TRUST_ERR_ARGUMENT, "", "no text");
        return NULL;
    }
    wjson *root = wtj_parse(&c, json, len);
    if (!root)
        return NULL;
    ward_trust_store *s = wcalloc(1, sizeof *s);
    bool ok = s ? parse_store(&c, root, s) : wtj_fail(&c, WARD_TRUST_ERR_NOMEM, "", "out of memory");
    wjson_free(root);
    if (!ok) {
        ward_trust_store_free(s);
        return NULL;
    }
    return s;
}

ward_trust_store *ward_trust_store_load(const char *path, ward_trust_error *err)
{
    size_t len;
    char *text = wtj_read_file(path, &len, err);
    if (!text)
        return NULL;
    ward_trust_store *s = ward_trust_store_parse(path, text, len, err);
    free(text);
    return s;
}

void ward_trust_store_free(ward_trust_store *store)
{
    if (!store)
        return;
    for (size_t i = 0; i < store->n; i++)
        free(store->entries[i].name);
    free(store->entries);
    free(store);
}

size_t ward_trust_store_count(const ward_trust_store *store)
{
    return store ? store->n : 0;
}

bool ward_trust_store_entry(const ward_trust_store *store, size_t i, ward_sig_public_key *pk, ward_trust_level *level,
                            const char **name)
{
    if (!store || i >= store->n)
        return false;
    if (pk)
        *pk = store->entries[i].pk;
    if (level)
        *level = store->entries[i].level;
    if (name)
        *name = store->entries[i].name;
    return true;
}

/* The module's level from the signatures the store's keys made. */
static bool decide_from(const ward_trust_store *store, const ward_sig_key_status *st, ward_trust_decision *out)
{
    for (size_t i = 0; i < store->n; i++) {
        if (st[i] != WARD_SIG_KEY_VALID)
            continue;
        if (out->entry == SIZE_MAX || store->entries[i].level > out->level) {
            out->level = store->entries[i].level;
            out->entry = i;
            out->signer = store->entries[i].name;
        }
    }
    return true;
}

bool ward_trust_decide(const ward_trust_store *store, const uint8_t *module, size_t len, const uint8_t *detached,
                       size_t detached_len, ward_trust_decision *out, ward_trust_error *err)
{
    wtj_clear(err);
    wtj_ctx c = {"", err}; /* about the module, not a file */
    if (!store || !module || !out)
        return wtj_fail(&c, WARD_TRUST_ERR_ARGUMENT, "", "invalid argument");
    *out = (ward_trust_decision){WARD_TRUST_UNTRUSTED, false, SIZE_MAX, NULL};
    out->is_signed = detached != NULL || ward_sig_module_is_signed(module, len);
    if (!out->is_signed)
        return true;
    ward_sig_public_key *keys = wcalloc(store->n ? store->n : 1, sizeof *keys);
    ward_sig_key_status *st = wcalloc(store->n ? store->n : 1, sizeof *st);
    ward_sig_error se;
    bool ok = keys && st;
    for (size_t i = 0; ok && i < store->n; i++)
        keys[i] = store->entries[i].pk;
    if (!ok) {
        wtj_fail(&c, WARD_TRUST_ERR_NOMEM, "", "out of memory");
    } else if (ward_sig_verify(module, len, detached, detached_len, keys, store->n, st, NULL, &se) ||
               se.kind == WARD_SIG_ERR_NO_VALID_SIGNATURE) {
        ok = decide_from(store, st, out); /* none valid: an unknown signer, untrusted */
    } else {
        if (err)
            err->sig = se;
        size_t k = 0;
        while (se.kind == WARD_SIG_ERR_HASH_MISMATCH && k < store->n && st[k] != WARD_SIG_KEY_MISMATCH)
            k++;
        if (se.kind == WARD_SIG_ERR_HASH_MISMATCH && k < store->n)
            ok = wtj_fail(&c, WARD_TRUST_ERR_SIGNATURE, "",
                          "module refused: signed by %s (%s) but changed after signing (hash mismatch)",
                          store->entries[k].name, ward_trust_level_name(store->entries[k].level));
        else
            ok = wtj_fail(&c, WARD_TRUST_ERR_SIGNATURE, "", "module refused: %s: %s",
                          ward_sig_error_kind_name(se.kind), se.message);
    }
    free(keys);
    free(st);
    return ok;
}
