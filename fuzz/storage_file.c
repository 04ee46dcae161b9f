/*
 * libFuzzer target: a damaged database file (docs/storage.md).  A small
 * valid ward database is made once; each input is a list of patches
 * (offset, bytes) applied to a copy of it, so the fuzzer reaches the
 * pages behind SQLite's header instead of stopping at "not a database".
 * Then every DAG operation runs on it (open, integrity check, count,
 * tips, get, parents, children, walk, ancestry, verify and a put) and the
 * vault's (unlock, get, list, history, put, audit verify and show) and
 * the module registry's (list, get by name and hash, add, remove).  Each
 * must either work or fail with a filled error record; none may crash,
 * leak or loop; a registry module loaded is the bytes its hash names.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/crypto.h"
#include "ward_dag.h"
#include "ward_registry.h"
#include "ward_vault.h"

static char template_path[64], case_path[64];
static const uint8_t vault_key[WARD_VAULT_KEY_BYTES] = {1, 2, 3, 4};
static const char *const secret_names[] = {"app/token", "app/key", "db/password"};
static uint8_t *template_bytes;
/* (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.OP), OP at [39] */
static uint8_t registry_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f,
    0x03, 0x02, 0x01, 0x00, 0x07, 0x07, 0x01, 0x03, 'a',  'd',  'd',  0x00, 0x00, 0x0a, 0x09, 0x01, 0x07,
    0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b};
static const char *const module_names[] = {"calc", "sub", "absent"};
static size_t template_len;

static void require(int condition)
{
    if (!condition)
        __builtin_trap();
}

static void check_error(bool ok, const ward_db_error *err)
{
    if (ok)
        return;
    require(err->kind != WARD_DB_OK);
    require(memchr(err->message, 0, sizeof err->message) != NULL && err->message[0] != 0);
}

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    require(f != NULL);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(*len);
    require(buf && fread(buf, 1, *len, f) == *len);
    fclose(f);
    return buf;
}

/* A diamond, a chain and a merge: every table holds rows to damage. */
static void make_template(void)
{
    ward_db_error err;
    ward_db *db = ward_db_open(template_path, NULL, &err);
    require(db != NULL);
    ward_dag_id ids[40];
    char text[32];
    for (int i = 0; i < 40; i++) {
        snprintf(text, sizeof text, "node %d", i);
        ward_dag_id parents[2] = {ids[i > 0 ? i - 1 : 0], ids[i / 2]};
        size_t n = i == 0 ? 0 : (i % 5 == 0 && i / 2 != i - 1) ? 2 : 1;
        require(ward_dag_put(db, (const uint8_t *)text, strlen(text), parents, n, &ids[i], NULL, &err));
    }
    /* a vault with versions, a tombstone and a rule: sealed rows, rule MAC,
     * audit entries */
    require(ward_vault_init_key(db, vault_key, &err));
    ward_vault *v = ward_vault_unlock_key(db, vault_key, &err);
    require(v != NULL);
    for (int i = 0; i < 6; i++) {
        snprintf(text, sizeof text, "secret value %d", i);
        require(ward_vault_put(v, NULL, secret_names[i % 3], (const uint8_t *)text, strlen(text), NULL, &err));
    }
    require(ward_vault_delete(v, NULL, secret_names[1], NULL, &err));
    ward_vault_rule rule;
    memset(&rule, 0, sizeof rule);
    snprintf(rule.prefix, sizeof rule.prefix, "app/");
    rule.perms = WARD_VAULT_READ;
    rule.subject = WARD_VAULT_BY_LEVEL;
    rule.level = WARD_TRUST_PUBLISHER;
    require(ward_vault_rule_add(v, &rule, NULL, &err));
    ward_vault_free(v);
    /* registry modules: two named, one not */
    for (int i = 0; i < 3; i++) {
        ward_registry_add_options o;
        ward_registry_add_options_default(&o);
        o.name = i < 2 ? module_names[i] : NULL;
        registry_wasm[39] = (uint8_t)(0x6a + i); /* add, sub, mul */
        require(ward_registry_add(db, registry_wasm, sizeof registry_wasm, &o, NULL, &err));
    }
    ward_db_close(db);
    template_bytes = read_all(template_path, &template_len);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(template_path, sizeof template_path, "/tmp/ward-fuzz-tmpl-%d.db", (int)getpid());
    snprintf(case_path, sizeof case_path, "/tmp/ward-fuzz-case-%d.db", (int)getpid());
    unlink(template_path);
    make_template();
    unlink(template_path);
    return 0;
}

/* Input: records of u16 offset (in 16-byte units), u8 length, bytes. */
static void write_case(const uint8_t *data, size_t size)
{
    uint8_t *bytes = malloc(template_len);
    require(bytes != NULL);
    memcpy(bytes, template_bytes, template_len);
    for (size_t i = 0; i + 3 <= size;) {
        size_t at = ((size_t)data[i] | (size_t)data[i + 1] << 8) * 16 % template_len;
        size_t n = data[i + 2];
        i += 3;
        for (size_t k = 0; k < n && i < size && at + k < template_len; k++, i++)
            bytes[at + k] = data[i];
    }
    unlink(case_path);
    char wal[80], shm[80];
    snprintf(wal, sizeof wal, "%s-wal", case_path);
    snprintf(shm, sizeof shm, "%s-shm", case_path);
    unlink(wal);
    unlink(shm);
    FILE *f = fopen(case_path, "wb");
    require(f && fwrite(bytes, 1, template_len, f) == template_len);
    fclose(f);
    free(bytes);
}

static void exercise_node(ward_db *db, const ward_dag_id *id, const ward_dag_id *other)
{
    ward_db_error err;
    ward_dag_node node;
    bool ok = ward_dag_get(db, id, &node, &err);
    check_error(ok, &err);
    if (ok)
        ward_dag_node_free(&node);
    ward_dag_ids ids;
    ok = ward_dag_parents(db, id, &ids, &err);
    check_error(ok, &err);
    if (ok)
        ward_dag_ids_free(&ids);
    ok = ward_dag_children(db, id, 64, &ids, &err);
    check_error(ok, &err);
    if (ok)
        ward_dag_ids_free(&ids);
    ward_dag_walk walk;
    ward_dag_walk_limits lim = {WARD_DAG_TO_PARENTS, 50, 8};
    ok = ward_dag_walk_from(db, id, &lim, &walk, &err);
    check_error(ok, &err);
    if (ok) {
        require(walk.count >= 1 && walk.count <= 1 + 50 * 8);
        ward_dag_walk_free(&walk);
    }
    bool r;
    check_error(ward_dag_is_ancestor(db, other, id, &r, &err), &err);
    ward_dag_id child;
    check_error(ward_dag_put(db, (const uint8_t *)"fuzz", 4, id, 1, &child, NULL, &err), &err);
}

static bool count_entry(void *ctx, const ward_dag_id *id, uint64_t seq, const char *record)
{
    (void)id;
    (void)seq;
    require(record != NULL);
    ++*(int *)ctx;
    return true;
}

static void exercise_vault(ward_db *db)
{
    ward_db_error err;
    ward_vault_audit_stats stats;
    check_error(ward_vault_audit_verify(db, NULL, NULL, NULL, &stats, &err), &err);
    int entries = 0;
    check_error(ward_vault_audit_show(db, count_entry, &entries, &err), &err);
    ward_vault *v = ward_vault_unlock_key(db, vault_key, &err);
    check_error(v != NULL, &err);
    if (!v)
        return;
    ward_vault_actor module;
    ward_vault_actor_module(&module, (const uint8_t *)"module", 6);
    module.level = WARD_TRUST_ENTERPRISE;
    for (size_t i = 0; i < sizeof secret_names / sizeof secret_names[0]; i++) {
        ward_vault_secret secret;
        bool ok = ward_vault_get(v, i % 2 ? &module : NULL, secret_names[i], 0, &secret, &err);
        check_error(ok, &err);
        if (ok)
            ward_vault_secret_free(&secret);
        ward_vault_versions versions;
        ok = ward_vault_history(v, secret_names[i], &versions, &err);
        check_error(ok, &err);
        if (ok)
            ward_vault_versions_free(&versions);
    }
    ward_vault_names names;
    bool ok = ward_vault_list(v, "", &names, &err);
    check_error(ok, &err);
    if (ok)
        ward_vault_names_free(&names);
    check_error(ward_vault_put(v, NULL, "app/new", (const uint8_t *)"x", 1, NULL, &err), &err);
    check_error(ward_vault_audit_verify(db, v, NULL, NULL, &stats, &err), &err);
    ward_vault_free(v);
}

/* A module loaded from the registry must be the bytes its hash names. */
static void exercise_module(ward_db *db, const char *ref)
{
    ward_db_error err;
    ward_registry_entry e;
    uint8_t *bytes, sha[32];
    size_t len;
    bool ok = ward_registry_get(db, ref, &e, &bytes, &len, &err);
    check_error(ok, &err);
    if (!ok)
        return;
    wcrypto_sha256(sha, bytes, len);
    require(memcmp(sha, e.sha256, 32) == 0 && e.size == len);
    free(bytes);
}

static void exercise_registry(ward_db *db)
{
    ward_db_error err;
    ward_registry_entry *all;
    size_t n;
    bool ok = ward_registry_list(db, &all, &n, &err);
    check_error(ok, &err);
    for (size_t i = 0; ok && i < n && i < 4; i++) {
        char ref[WARD_REGISTRY_HASH_REF_BYTES];
        ward_registry_hash_ref(all[i].sha256, ref);
        exercise_module(db, ref);
    }
    if (ok)
        free(all);
    for (size_t i = 0; i < sizeof module_names / sizeof module_names[0]; i++)
        exercise_module(db, module_names[i]);
    ward_registry_add_options o;
    ward_registry_add_options_default(&o);
    o.name = "fuzz";
    o.replace = true;
    registry_wasm[39] = 0x6d; /* i32.div_s: a module the template does not hold */
    check_error(ward_registry_add(db, registry_wasm, sizeof registry_wasm, &o, NULL, &err), &err);
    check_error(ward_registry_remove(db, "calc", NULL, &err), &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    write_case(data, size);
    ward_db_error err;
    ward_db *db = ward_db_open(case_path, NULL, &err);
    check_error(db != NULL, &err);
    if (!db)
        return 0;
    bool intact;
    check_error(ward_db_integrity_check(db, &intact, &err), &err);
    uint64_t count;
    check_error(ward_dag_count(db, &count, &err), &err);
    ward_dag_ids tips;
    bool ok = ward_dag_tips(db, 64, &tips, &err);
    check_error(ok, &err);
    if (ok) {
        for (size_t i = 0; i < tips.count && i < 4; i++)
            exercise_node(db, &tips.ids[i], &tips.ids[0]);
        ward_dag_ids_free(&tips);
    }
    ward_dag_verify_stats stats;
    check_error(ward_dag_verify(db, NULL, NULL, &stats, &err), &err);
    exercise_vault(db);
    exercise_registry(db);
    ward_db_close(db);
    return 0;
}
