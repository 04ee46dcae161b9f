/*
 * The module registry's C API (ward_registry.h): validation before
 * anything is stored, gas limits, unique names, idempotent re-adds,
 * signatures and trust levels, bytes edited in the file by an outside hand
 * (SQLite, as this test does) refused on load, list/get/remove, and a
 * database of schema version 1 migrated on open.
 */
#define _GNU_SOURCE
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../test.h"
#include "crypto/crypto.h"
#include "storage/sqlite_internal.h" /* wdb_migrations[0]: the released v1 schema */
#include "ward_dag.h"
#include "ward_registry.h"

static char dir[] = "/tmp/ward-registry-XXXXXX";

/* (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add) */
static const uint8_t add_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f,
    0x03, 0x02, 0x01, 0x00, 0x07, 0x07, 0x01, 0x03, 'a',  'd',  'd',  0x00, 0x00, 0x0a, 0x09, 0x01, 0x07,
    0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b};
/* the same with i32.sub: another module */
static const uint8_t sub_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f,
    0x03, 0x02, 0x01, 0x00, 0x07, 0x07, 0x01, 0x03, 's',  'u',  'b',  0x00, 0x00, 0x0a, 0x09, 0x01, 0x07,
    0x00, 0x20, 0x00, 0x20, 0x01, 0x6b, 0x0b};
/* a function declared to return i32 whose body leaves nothing: invalid */
static const uint8_t invalid_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f,
    0x03, 0x02, 0x01, 0x00, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b};
/* not even a module header */
static const uint8_t malformed_wasm[] = {0x00, 0x61, 0x73, 0x6d, 0x02, 0x00};

static ward_db *fresh(const char *name)
{
    char path[256], wal[300];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(path);
    unlink(wal);
    ward_db_error err;
    ward_db *db = ward_db_open(path, NULL, &err);
    CHECK_MSG(db != NULL, "%s", err.message);
    return db;
}

/* Run SQL on the file as an outside hand would. */
static void sql(const char *path, const char *stmt)
{
    sqlite3 *s;
    CHECK(sqlite3_open(path, &s) == SQLITE_OK);
    char *msg = NULL;
    CHECK_MSG(sqlite3_exec(s, stmt, NULL, NULL, &msg) == SQLITE_OK, "%s: %s", stmt, msg ? msg : "");
    sqlite3_free(msg);
    sqlite3_close(s);
}

static size_t count_modules(ward_db *db)
{
    ward_registry_entry *all = NULL;
    size_t n = 0;
    ward_db_error err;
    CHECK_MSG(ward_registry_list(db, &all, &n, &err), "%s", err.message);
    free(all);
    return n;
}

static ward_registry_add_options named(const char *name)
{
    ward_registry_add_options o;
    ward_registry_add_options_default(&o);
    o.name = name;
    return o;
}

static void test_add_and_get(void)
{
    ward_db *db = fresh("add.db");
    ward_registry_entry e;
    ward_db_error err;
    CHECK_MSG(ward_registry_add(db, add_wasm, sizeof add_wasm, NULL, &e, &err), "%s", err.message);
    uint8_t sha[32];
    wcrypto_sha256(sha, add_wasm, sizeof add_wasm);
    CHECK(memcmp(e.sha256, sha, 32) == 0);
    CHECK(e.name[0] == 0 && e.gas_limit == WARD_REGISTRY_GAS_DEFAULT && e.size == sizeof add_wasm);
    CHECK(e.added > 1700000000 && !e.is_signed && !e.trust_checked && e.trust_level == WARD_TRUST_UNTRUSTED);
    CHECK(!e.has_signer && e.signer[0] == 0);

    char ref[WARD_REGISTRY_HASH_REF_BYTES];
    ward_registry_hash_ref(sha, ref);
    CHECK(strlen(ref) == 71 && strncmp(ref, "sha256:", 7) == 0);
    uint8_t *bytes = NULL;
    size_t len = 0;
    ward_registry_entry got;
    CHECK_MSG(ward_registry_get(db, ref, &got, &bytes, &len, &err), "%s", err.message);
    CHECK(len == sizeof add_wasm && bytes && memcmp(bytes, add_wasm, len) == 0);
    CHECK(memcmp(&got, &e, sizeof e) == 0);
    free(bytes);
    /* upper-case hex is the same reference; bytes NULL only checks them */
    for (char *p = ref + 7; *p; p++)
        if (*p >= 'a' && *p <= 'f')
            *p = (char)(*p - 'a' + 'A');
    CHECK_MSG(ward_registry_get(db, ref, NULL, NULL, NULL, &err), "%s", err.message);

    /* the module loads from the bytes get returns, in an engine of its own */
    ward_engine *engine = ward_engine_new(NULL);
    CHECK_MSG(ward_registry_get(db, ref, NULL, &bytes, &len, &err), "%s", err.message);
    ward_error werr;
    ward_module *m = ward_module_new(engine, bytes, len, &werr);
    CHECK(m != NULL);
    ward_module_free(m);
    ward_engine_free(engine);
    free(bytes);
    ward_db_close(db);
}

/* The message ward's own validator gives for bytes. */
static void validator_message(const uint8_t *bytes, size_t len, char out[256])
{
    ward_config cfg;
    ward_config_default(&cfg);
    cfg.threads = cfg.extended_const = cfg.exceptions = true;
    ward_engine *engine = ward_engine_new(&cfg);
    ward_error werr;
    ward_module *m = ward_module_new(engine, bytes, len, &werr);
    CHECK(m == NULL);
    snprintf(out, 256, "%s", werr.message);
    ward_engine_free(engine);
}

static void test_invalid_refused(void)
{
    ward_db *db = fresh("invalid.db");
    const struct {
        const uint8_t *bytes;
        size_t len;
    } bad[] = {{invalid_wasm, sizeof invalid_wasm}, {malformed_wasm, sizeof malformed_wasm}, {add_wasm, 0}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char want[256];
        validator_message(bad[i].bytes, bad[i].len, want);
        ward_registry_add_options o = named("broken");
        ward_db_error err;
        CHECK(!ward_registry_add(db, bad[i].bytes, bad[i].len, &o, NULL, &err));
        CHECK(err.kind == WARD_DB_ERR_ARGUMENT);
        CHECK_CONTAINS(err.message, "invalid module: ");
        CHECK_CONTAINS(err.message, want);
        CHECK_CONTAINS(err.message, "registry add");
    }
    char want[256];
    validator_message(invalid_wasm, sizeof invalid_wasm, want);
    CHECK_CONTAINS(want, "type mismatch");
    CHECK(count_modules(db) == 0);
    ward_db_error err;
    CHECK(!ward_registry_get(db, "broken", NULL, NULL, NULL, &err) && err.kind == WARD_DB_ERR_NOT_FOUND);
    CHECK(!ward_registry_add(db, NULL, 0, NULL, NULL, &err) && err.kind == WARD_DB_ERR_ARGUMENT);
    ward_db_close(db);
}

static void test_gas_limits(void)
{
    ward_db *db = fresh("gas.db");
    ward_registry_add_options o = named("max");
    ward_registry_entry e;
    ward_db_error err;
    o.gas_limit = WARD_REGISTRY_GAS_MAX + 1;
    CHECK(!ward_registry_add(db, add_wasm, sizeof add_wasm, &o, &e, &err) && err.kind == WARD_DB_ERR_ARGUMENT);
    CHECK_CONTAINS(err.message, "gas limit 100000001 is over the maximum of 100000000");
    o.gas_limit = UINT64_MAX;
    CHECK(!ward_registry_add(db, add_wasm, sizeof add_wasm, &o, &e, &err) && err.kind == WARD_DB_ERR_ARGUMENT);
    CHECK(count_modules(db) == 0);
    o.gas_limit = WARD_REGISTRY_GAS_MAX;
    CHECK_MSG(ward_registry_add(db, add_wasm, sizeof add_wasm, &o, &e, &err), "%s", err.message);
    CHECK(e.gas_limit == WARD_REGISTRY_GAS_MAX);
    o = named("small");
    o.gas_limit = 1;
    CHECK_MSG(ward_registry_add(db, sub_wasm, sizeof sub_wasm, &o, &e, &err), "%s", err.message);
    CHECK(e.gas_limit == 1);
    CHECK(ward_registry_get(db, "max", &e, NULL, NULL, &err) && e.gas_limit == WARD_REGISTRY_GAS_MAX);
    ward_db_close(db);
}

static void test_names(void)
{
    ward_db *db = fresh("names.db");
    ward_registry_add_options o = named("calc");
    ward_registry_entry a, b;
    ward_db_error err;
    CHECK_MSG(ward_registry_add(db, add_wasm, sizeof add_wasm, &o, &a, &err), "%s", err.message);
    CHECK(strcmp(a.name, "calc") == 0);
    /* another module under a taken name: refused, naming the holder */
    CHECK(!ward_registry_add(db, sub_wasm, sizeof sub_wasm, &o, &b, &err) && err.kind == WARD_DB_ERR_EXISTS);
    CHECK_CONTAINS(err.message, "the name \"calc\" is taken by sha256:");
    CHECK(count_modules(db) == 1);
    /* replace moves the name; the old module stays under its hash */
    o.replace = true;
    CHECK_MSG(ward_registry_add(db, sub_wasm, sizeof sub_wasm, &o, &b, &err), "%s", err.message);
    ward_registry_entry got;
    CHECK(ward_registry_get(db, "calc", &got, NULL, NULL, &err) && memcmp(got.sha256, b.sha256, 32) == 0);
    char ref[WARD_REGISTRY_HASH_REF_BYTES];
    ward_registry_hash_ref(a.sha256, ref);
    CHECK(ward_registry_get(db, ref, &got, NULL, NULL, &err) && got.name[0] == 0);
    CHECK(count_modules(db) == 2);

    static const char *const bad_names[] = {"-calc", ".calc", "/calc", "a:b", "a b", "sha256", "caf\xc3\xa9", ""};
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        bool valid = ward_registry_name_valid(bad_names[i]);
        CHECK_MSG(valid == (strcmp(bad_names[i], "sha256") == 0), "name \"%s\"", bad_names[i]);
    }
    char long_name[WARD_REGISTRY_NAME_MAX + 2];
    memset(long_name, 'n', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = 0;
    CHECK(!ward_registry_name_valid(long_name));
    long_name[WARD_REGISTRY_NAME_MAX] = 0;
    CHECK(ward_registry_name_valid(long_name));
    CHECK(ward_registry_name_valid("acme/counter@1.2.0+build_7-x"));
    o = named("a b");
    CHECK(!ward_registry_add(db, add_wasm, sizeof add_wasm, &o, NULL, &err) && err.kind == WARD_DB_ERR_ARGUMENT);
    CHECK_CONTAINS(err.message, "\"a b\" is not a module name");
    /* malformed references */
    CHECK(!ward_registry_get(db, "sha256:12ab", NULL, NULL, NULL, &err) && err.kind == WARD_DB_ERR_ARGUMENT);
    CHECK_CONTAINS(err.message, "64 hex digits");
    CHECK(!ward_registry_get(db, "no such/..name?", NULL, NULL, NULL, &err) && err.kind == WARD_DB_ERR_ARGUMENT);
    CHECK(!ward_registry_get(db, "absent", NULL, NULL, NULL, &err) && err.kind == WARD_DB_ERR_NOT_FOUND);
    CHECK_CONTAINS(err.message, "no module absent in the registry");
    ward_db_close(db);
}

static void test_readd(void)
{
    ward_db *db = fresh("readd.db");
    ward_registry_add_options o = named("calc");
    o.gas_limit = 500;
    ward_registry_entry first, again;
    ward_db_error err;
    CHECK_MSG(ward_registry_add(db, add_wasm, sizeof add_wasm, &o, &first, &err), "%s", err.message);
    /* the same again, or with nothing given: nothing changes */
    CHECK_MSG(ward_registry_add(db, add_wasm, sizeof add_wasm, &o, &again, &err), "%s", err.message);
    CHECK(memcmp(&first, &again, sizeof first) == 0);
    CHECK_MSG(ward_registry_add(db, add_wasm, sizeof add_wasm, NULL, &again, &err), "%s", err.message);
    CHECK(memcmp(&first, &again, sizeof first) == 0);
    CHECK(count_modules(db) == 1);
    /* other metadata: refused unless update */
    o.gas_limit = 600;
    CHECK(!ward_registry_add(db, add_wasm, sizeof add_wasm, &o, &again, &err) && err.kind == WARD_DB_ERR_EXISTS);
    CHECK_CONTAINS(err.message, "already in the registry (as \"calc\", gas limit 500)");
    o = named("other");
    CHECK(!ward_registry_add(db, add_wasm, sizeof add_wasm, &o, &again, &err) && err.kind == WARD_DB_ERR_EXISTS);
    o.update = true;
    o.gas_limit = 600;
    CHECK_MSG(ward_registry_add(db, add_wasm, sizeof add_wasm, &o, &again, &err), "%s", err.message);
    CHECK(strcmp(again.name, "other") == 0 && again.gas_limit == 600 && again.added == first.added);
    CHECK(!ward_registry_get(db, "calc", NULL, NULL, NULL, &err) && err.kind == WARD_DB_ERR_NOT_FOUND);
    /* update with only a gas limit keeps the name */
    o = named(NULL);
    o.update = true;
    o.gas_limit = 700;
    CHECK_MSG(ward_registry_add(db, add_wasm, sizeof add_wasm, &o, &again, &err), "%s", err.message);
    CHECK(strcmp(again.name, "other") == 0 && again.gas_limit == 700);
    /* update to a name another module holds needs replace too */
    o = named("subber");
    CHECK(ward_registry_add(db, sub_wasm, sizeof sub_wasm, &o, NULL, &err));
    o.update = true;
    CHECK(!ward_registry_add(db, add_wasm, sizeof add_wasm, &o, &again, &err) && err.kind == WARD_DB_ERR_EXISTS);
    CHECK(ward_registry_get(db, "other", &again, NULL, NULL, &err) && again.gas_limit == 700);
    ward_db_close(db);
}

/* ---- signatures ---------------------------------------------------------- */

typedef struct signer {
    ward_sig_public_key pk;
    ward_sig_secret_key sk;
} signer;

static ward_trust_store *store_for(const signer *s, const char *level)
{
    uint8_t raw[WARD_SIG_PUBLIC_KEY_BYTES];
    char hex[2 * WARD_SIG_PUBLIC_KEY_BYTES + 1], json[512];
    ward_sig_public_key_to_bytes(&s->pk, raw);
    wcrypto_to_hex(hex, raw, sizeof raw);
    snprintf(json, sizeof json,
             "{\"version\": 1, \"keys\": [{\"name\": \"acme-release\", \"public_key\": \"%s\", \"level\": \"%s\"}]}",
             hex, level);
    ward_trust_error terr;
    ward_trust_store *store = ward_trust_store_parse("store.json", json, strlen(json), &terr);
    CHECK_MSG(store != NULL, "%s", terr.message);
    return store;
}

static uint8_t *sign(const signer *s, bool detached, size_t *len)
{
    ward_sig_sign_options so;
    ward_sig_sign_options_default(&so);
    so.detached = detached;
    uint8_t *out = NULL;
    ward_sig_error serr;
    CHECK_MSG(ward_sig_sign(add_wasm, sizeof add_wasm, &s->sk, &so, &out, len, NULL, NULL, &serr), "%s",
              serr.message);
    return out;
}

static void test_signed(void)
{
    ward_db *db = fresh("signed.db");
    signer s, stranger;
    CHECK(ward_sig_keygen(&s.pk, &s.sk) && ward_sig_keygen(&stranger.pk, &stranger.sk));
    ward_trust_store *store = store_for(&s, "publisher");
    size_t len;
    uint8_t *signed_wasm = sign(&s, false, &len);

    ward_registry_add_options o = named("signed");
    o.trust = store;
    ward_registry_entry e;
    ward_db_error err;
    CHECK_MSG(ward_registry_add(db, signed_wasm, len, &o, &e, &err), "%s", err.message);
    CHECK(e.is_signed && e.trust_checked && e.trust_level == WARD_TRUST_PUBLISHER && e.has_signer);
    CHECK(memcmp(e.signer_key.key, s.pk.key, 32) == 0 && strcmp(e.signer, "acme-release") == 0);
    ward_registry_entry got;
    CHECK(ward_registry_get(db, "signed", &got, NULL, NULL, &err) && memcmp(&got, &e, sizeof e) == 0);
    /* added again without a store: the recorded signature information stays */
    o = named(NULL);
    o.update = true;
    CHECK(ward_registry_add(db, signed_wasm, len, &o, &got, &err) && got.trust_level == WARD_TRUST_PUBLISHER);

    /* a byte changed after signing (the export's name): refused, nothing stored */
    size_t before = count_modules(db);
    uint8_t *changed = malloc(len);
    memcpy(changed, signed_wasm, len);
    uint8_t *at = memmem(changed, len, "add", 3);
    CHECK(at != NULL);
    at[0] = 'e';
    o = named("changed");
    o.trust = store;
    CHECK(!ward_registry_add(db, changed, len, &o, NULL, &err) && err.kind == WARD_DB_ERR_TAMPERED);
    CHECK_CONTAINS(err.message, "signed by acme-release (publisher) but changed after signing");
    CHECK(count_modules(db) == before);
    /* without a store the change is not seen: it is an unchecked signed module */
    o.trust = NULL;
    CHECK_MSG(ward_registry_add(db, changed, len, &o, &got, &err), "%s", err.message);
    CHECK(got.is_signed && !got.trust_checked && got.trust_level == WARD_TRUST_UNTRUSTED);

    /* detached: the signature comes with the add; it needs a store */
    size_t sig_len;
    uint8_t *sig = sign(&s, true, &sig_len);
    o = named("plain");
    o.signature = sig;
    o.signature_len = sig_len;
    CHECK(!ward_registry_add(db, add_wasm, sizeof add_wasm, &o, &got, &err) && err.kind == WARD_DB_ERR_ARGUMENT);
    CHECK_CONTAINS(err.message, "needs a trust store");
    o.trust = store;
    CHECK_MSG(ward_registry_add(db, add_wasm, sizeof add_wasm, &o, &got, &err), "%s", err.message);
    CHECK(got.is_signed && got.trust_level == WARD_TRUST_PUBLISHER && got.has_signer);
    /* a store that knows another key: the same bytes get other signature information (update needed) */
    ward_trust_store *other = store_for(&stranger, "enterprise");
    o.trust = other;
    CHECK(!ward_registry_add(db, add_wasm, sizeof add_wasm, &o, &got, &err) && err.kind == WARD_DB_ERR_EXISTS);
    o.update = true;
    CHECK_MSG(ward_registry_add(db, add_wasm, sizeof add_wasm, &o, &got, &err), "%s", err.message);
    CHECK(got.is_signed && got.trust_checked && got.trust_level == WARD_TRUST_UNTRUSTED && !got.has_signer);
    /* malformed signature data (its content type byte) is refused */
    sig[1] ^= 0xff;
    o.trust = store;
    CHECK(!ward_registry_add(db, add_wasm, sizeof add_wasm, &o, &got, &err));
    CHECK(err.kind == WARD_DB_ERR_ARGUMENT);

    ward_sig_free(sig);
    free(changed);
    ward_sig_free(signed_wasm);
    ward_trust_store_free(store);
    ward_trust_store_free(other);
    ward_sig_secret_key_wipe(&s.sk);
    ward_sig_secret_key_wipe(&stranger.sk);
    ward_db_close(db);
}

/* ---- tampering, listing, removing ---------------------------------------- */

static void test_tampered(void)
{
    ward_db *db = fresh("tampered.db");
    ward_registry_add_options o = named("calc");
    ward_registry_entry e;
    ward_db_error err;
    CHECK(ward_registry_add(db, add_wasm, sizeof add_wasm, &o, &e, &err));
    o = named("other");
    CHECK(ward_registry_add(db, sub_wasm, sizeof sub_wasm, &o, NULL, &err));
    char ref[WARD_REGISTRY_HASH_REF_BYTES], want[65];
    ward_registry_hash_ref(e.sha256, ref);
    wcrypto_to_hex(want, e.sha256, 32);
    /* one byte of the function body changed in the file: still a valid module, another one */
    sql(ward_db_path(db), "UPDATE registry_module SET bytes = substr(bytes, 1, length(bytes) - 2) || x'6c0b'"
                          " WHERE name = 'calc'");
    uint8_t *bytes = (uint8_t *)"untouched";
    size_t len = 7;
    CHECK(!ward_registry_get(db, "calc", &e, &bytes, &len, &err) && err.kind == WARD_DB_ERR_TAMPERED);
    CHECK(bytes == NULL && len == 0);
    CHECK_CONTAINS(err.message, "calc: stored bytes hash to ");
    CHECK_CONTAINS(err.message, want);
    CHECK(!ward_registry_get(db, ref, NULL, NULL, NULL, &err) && err.kind == WARD_DB_ERR_TAMPERED);
    CHECK_CONTAINS(err.message, ref);
    /* the other module is untouched */
    CHECK_MSG(ward_registry_get(db, "other", NULL, NULL, NULL, &err), "%s", err.message);
    /* bytes cut short, and a key that is not a hash */
    sql(ward_db_path(db), "UPDATE registry_module SET bytes = x'' WHERE name = 'calc'");
    CHECK(!ward_registry_get(db, "calc", NULL, NULL, NULL, &err) && err.kind == WARD_DB_ERR_TAMPERED);
    sql(ward_db_path(db), "UPDATE registry_module SET sha256 = x'00' WHERE name = 'other'");
    CHECK(!ward_registry_get(db, "other", NULL, NULL, NULL, &err) && err.kind == WARD_DB_ERR_TAMPERED);
    /* the size is what is stored, not a record that could disagree */
    ward_registry_entry *all;
    size_t n;
    CHECK(ward_registry_list(db, &all, &n, &err) && n == 2 && all[0].size == 0);
    free(all);
    ward_db_close(db);
}

static void test_list_remove(void)
{
    ward_db *db = fresh("list.db");
    ward_registry_entry *all = NULL;
    size_t n = 1;
    ward_db_error err;
    CHECK(ward_registry_list(db, &all, &n, &err) && n == 0 && all == NULL);
    ward_registry_add_options o = named("zeta");
    ward_registry_entry zeta, alpha, nameless;
    CHECK(ward_registry_add(db, add_wasm, sizeof add_wasm, &o, &zeta, &err));
    o = named("alpha");
    CHECK(ward_registry_add(db, sub_wasm, sizeof sub_wasm, &o, &alpha, &err));
    signer s;
    CHECK(ward_sig_keygen(&s.pk, &s.sk));
    size_t len;
    uint8_t *signed_wasm = sign(&s, false, &len);
    CHECK(ward_registry_add(db, signed_wasm, len, NULL, &nameless, &err));
    CHECK(ward_registry_list(db, &all, &n, &err) && n == 3);
    if (n == 3) {
        CHECK(strcmp(all[0].name, "alpha") == 0 && strcmp(all[1].name, "zeta") == 0 && all[2].name[0] == 0);
        CHECK(memcmp(&all[0], &alpha, sizeof alpha) == 0 && memcmp(&all[2], &nameless, sizeof nameless) == 0);
    }
    free(all);

    ward_registry_entry removed;
    CHECK_MSG(ward_registry_remove(db, "zeta", &removed, &err), "%s", err.message);
    CHECK(memcmp(&removed, &zeta, sizeof zeta) == 0);
    CHECK(!ward_registry_remove(db, "zeta", NULL, &err) && err.kind == WARD_DB_ERR_NOT_FOUND);
    CHECK_CONTAINS(err.message, "no module zeta in the registry");
    char ref[WARD_REGISTRY_HASH_REF_BYTES];
    ward_registry_hash_ref(nameless.sha256, ref);
    CHECK_MSG(ward_registry_remove(db, ref, NULL, &err), "%s", err.message);
    CHECK(!ward_registry_get(db, ref, NULL, NULL, NULL, &err) && err.kind == WARD_DB_ERR_NOT_FOUND);
    CHECK(!ward_registry_remove(db, "sha256:xyz", NULL, &err) && err.kind == WARD_DB_ERR_ARGUMENT);
    CHECK(count_modules(db) == 1);
    /* a removed module may come back */
    o = named("zeta");
    CHECK(ward_registry_add(db, add_wasm, sizeof add_wasm, &o, NULL, &err));
    CHECK(count_modules(db) == 2);
    ward_sig_free(signed_wasm);
    ward_sig_secret_key_wipe(&s.sk);
    ward_db_close(db);
}

/* ---- a version 1 file ------------------------------------------------------ */

static long long pragma(const char *path, const char *stmt)
{
    sqlite3 *s;
    sqlite3_stmt *st;
    long long v = -1;
    CHECK(sqlite3_open(path, &s) == SQLITE_OK);
    CHECK(sqlite3_prepare_v2(s, stmt, -1, &st, NULL) == SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(s);
    return v;
}

static void test_v1_migrated(void)
{
    char path[256], stmt[8192];
    snprintf(path, sizeof path, "%s/v1.db", dir);
    unlink(path);
    /* the file a ward of schema version 1 makes, with a value in it */
    snprintf(stmt, sizeof stmt,
             "BEGIN; %s PRAGMA user_version = 1; PRAGMA application_id = %d;"
             " INSERT INTO meta (key, value) VALUES ('kept', x'2a'); COMMIT",
             wdb_migrations[0], WDB_APPLICATION_ID);
    sql(path, stmt);
    CHECK(pragma(path, "PRAGMA user_version") == 1);
    CHECK(pragma(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'registry_module'") == 0);

    ward_db_error err;
    ward_db *db = ward_db_open(path, NULL, &err);
    CHECK_MSG(db != NULL, "%s", err.message);
    ward_registry_add_options o = named("calc");
    CHECK_MSG(ward_registry_add(db, add_wasm, sizeof add_wasm, &o, NULL, &err), "%s", err.message);
    CHECK_MSG(ward_registry_get(db, "calc", NULL, NULL, NULL, &err), "%s", err.message);
    ward_dag_id id;
    CHECK_MSG(ward_dag_put(db, (const uint8_t *)"x", 1, NULL, 0, &id, NULL, &err), "%s", err.message);
    ward_db_close(db);
    CHECK(pragma(path, "PRAGMA user_version") == WDB_SCHEMA_VERSION);
    CHECK(pragma(path, "SELECT value = x'2a' FROM meta WHERE key = 'kept'") == 1);
    CHECK(pragma(path, "SELECT count(*) FROM registry_module") == 1);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_add_and_get();
    test_invalid_refused();
    test_gas_limits();
    test_names();
    test_readd();
    test_signed();
    test_tampered();
    test_list_remove();
    test_v1_migrated();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return test_summary("registry");
}
