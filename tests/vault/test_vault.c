/*
 * The vault's C API (ward_vault.h): keys, versions and tombstones, rules
 * by module hash, signer and level, the audit log, and what an outside
 * hand editing the file with SQLite (as this test does) is caught at:
 * sealed values, rules, audit entries edited, removed, reordered, and a
 * tail rewritten with recomputed ids.  No plaintext or key in the files.
 */
#define _GNU_SOURCE
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../test.h"
#include "ward_vault.h"

static char dir[] = "/tmp/ward-vault-XXXXXX";
static const uint8_t key[32] = {0x42, 0x13, 0x37, 0x99, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                                13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 0xfe};
static const char secret[] = "sk-live-7f3c9a2b1e8d4f60-TOPSECRET";

static void path_of(char out[256], const char *name)
{
    snprintf(out, 256, "%s/%s", dir, name);
}

/* A new database with a key vault in it. */
static ward_db *fresh(const char *name, ward_vault **v)
{
    char path[256], wal[300];
    path_of(path, name);
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(path);
    unlink(wal);
    ward_db_error err;
    ward_db *db = ward_db_open(path, NULL, &err);
    CHECK_MSG(db != NULL, "%s", err.message);
    CHECK_MSG(ward_vault_init_key(db, key, &err), "%s", err.message);
    *v = ward_vault_unlock_key(db, key, &err);
    CHECK_MSG(*v != NULL, "%s", err.message);
    return db;
}

/* Run SQL on the file as an outside hand would. */
static void sql(const ward_db *db, const char *stmt)
{
    sqlite3 *s;
    CHECK(sqlite3_open(ward_db_path(db), &s) == SQLITE_OK);
    char *msg = NULL;
    CHECK_MSG(sqlite3_exec(s, stmt, NULL, NULL, &msg) == SQLITE_OK, "%s: %s", stmt, msg ? msg : "");
    sqlite3_free(msg);
    sqlite3_close(s);
}

static bool file_contains(const char *path, const void *needle, size_t n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc(size > 0 ? (size_t)size : 1);
    bool found = buf && fread(buf, 1, (size_t)size, f) == (size_t)size && memmem(buf, (size_t)size, needle, n);
    free(buf);
    fclose(f);
    return found;
}

static ward_vault_actor module_actor(const char *bytes, ward_trust_level level)
{
    ward_vault_actor a;
    ward_vault_actor_module(&a, (const uint8_t *)bytes, strlen(bytes));
    a.level = level;
    return a;
}

static bool put_text(ward_vault *v, const ward_vault_actor *a, const char *name, const char *value, uint64_t *version,
                     ward_db_error *err)
{
    return ward_vault_put(v, a, name, (const uint8_t *)value, strlen(value), version, err);
}

/* ---- keys ---------------------------------------------------------------- */

static void test_key_parse(void)
{
    uint8_t k[32];
    ward_db_error err;
    char hex[66];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", key[i]);
    CHECK(ward_vault_key_parse(key, 32, k, &err) && memcmp(k, key, 32) == 0);
    CHECK(ward_vault_key_parse((const uint8_t *)hex, 64, k, &err) && memcmp(k, key, 32) == 0);
    hex[64] = '\n';
    CHECK(ward_vault_key_parse((const uint8_t *)hex, 65, k, &err) && memcmp(k, key, 32) == 0);
    CHECK(!ward_vault_key_parse(key, 31, k, &err) && err.kind == WARD_DB_ERR_ARGUMENT);
    CHECK_CONTAINS(err.message, "31 bytes");
    hex[3] = 'z';
    CHECK(!ward_vault_key_parse((const uint8_t *)hex, 64, k, &err));
    CHECK_CONTAINS(err.message, "not all hex digits");
}

static void test_init_unlock(void)
{
    ward_vault *v;
    ward_db_error err;
    ward_db *db = fresh("keys.db", &v);
    uint8_t wrong[32];
    memcpy(wrong, key, 32);
    wrong[0] ^= 1;
    CHECK(!ward_vault_init_key(db, key, &err) && err.kind == WARD_DB_ERR_EXISTS);
    CHECK(ward_vault_unlock_key(db, wrong, &err) == NULL && err.kind == WARD_DB_ERR_KEY);
    CHECK_CONTAINS(err.message, "wrong key");
    CHECK(ward_vault_unlock_passphrase(db, (const uint8_t *)"pw", 2, &err) == NULL && err.kind == WARD_DB_ERR_KEY);
    CHECK_CONTAINS(err.message, "key file");
    bool exists = false;
    CHECK(ward_vault_exists(db, &exists, &err) && exists);
    ward_vault_free(v);
    ward_db_close(db);

    /* a passphrase vault (cheap Argon2id limits, for the test's speed) */
    char path[256];
    path_of(path, "pass.db");
    unlink(path);
    db = ward_db_open(path, NULL, &err);
    CHECK(ward_vault_exists(db, &exists, &err) && !exists);
    CHECK(ward_vault_unlock_key(db, key, &err) == NULL && err.kind == WARD_DB_ERR_KEY);
    CHECK_CONTAINS(err.message, "no vault");
    ward_vault_kdf kdf = {1, 8192};
    const char *pass = "correct horse battery staple";
    CHECK_MSG(ward_vault_init_passphrase(db, (const uint8_t *)pass, strlen(pass), &kdf, &err), "%s", err.message);
    CHECK(ward_vault_unlock_passphrase(db, (const uint8_t *)"correct horse", 13, &err) == NULL &&
          err.kind == WARD_DB_ERR_KEY);
    CHECK_CONTAINS(err.message, "wrong passphrase");
    CHECK(ward_vault_unlock_key(db, key, &err) == NULL && err.kind == WARD_DB_ERR_KEY);
    v = ward_vault_unlock_passphrase(db, (const uint8_t *)pass, strlen(pass), &err);
    CHECK_MSG(v != NULL, "%s", err.message);
    CHECK(v && put_text(v, NULL, "p", secret, NULL, &err));
    ward_vault_free(v);
    ward_db_close(db);
    CHECK(!file_contains(path, pass, strlen(pass)));
}

/* ---- secrets ------------------------------------------------------------- */

static void test_versions(void)
{
    ward_vault *v;
    ward_db_error err;
    ward_db *db = fresh("versions.db", &v);
    uint64_t version = 0;
    ward_vault_secret s;
    CHECK(put_text(v, NULL, "db/password", "one", &version, &err) && version == 1);
    CHECK(put_text(v, NULL, "db/password", "two", &version, &err) && version == 2);
    CHECK(ward_vault_get(v, NULL, "db/password", 0, &s, &err) && s.version == 2 && s.len == 3 &&
          memcmp(s.value, "two", 3) == 0 && s.created > 0);
    ward_vault_secret_free(&s);
    CHECK(s.value == NULL && s.len == 0);
    CHECK(ward_vault_get(v, NULL, "db/password", 1, &s, &err) && s.len == 3 && memcmp(s.value, "one", 3) == 0);
    ward_vault_secret_free(&s);
    CHECK(!ward_vault_get(v, NULL, "db/password", 9, &s, &err) && err.kind == WARD_DB_ERR_NOT_FOUND && !s.deleted);
    CHECK_CONTAINS(err.message, "no version 9");
    CHECK(!ward_vault_get(v, NULL, "nothing", 0, &s, &err) && err.kind == WARD_DB_ERR_NOT_FOUND);

    /* a tombstone, not a hole */
    CHECK(ward_vault_delete(v, NULL, "db/password", &version, &err) && version == 3);
    CHECK(!ward_vault_get(v, NULL, "db/password", 0, &s, &err) && err.kind == WARD_DB_ERR_NOT_FOUND && s.deleted &&
          s.version == 3);
    CHECK_CONTAINS(err.message, "deleted at version 3");
    CHECK(ward_vault_get(v, NULL, "db/password", 2, &s, &err) && memcmp(s.value, "two", 3) == 0);
    ward_vault_secret_free(&s);
    CHECK(!ward_vault_delete(v, NULL, "db/password", &version, &err) && err.kind == WARD_DB_ERR_NOT_FOUND);
    CHECK(!ward_vault_delete(v, NULL, "never", &version, &err) && err.kind == WARD_DB_ERR_NOT_FOUND);
    CHECK(ward_vault_put(v, NULL, "db/password", NULL, 0, &version, &err) && version == 4);
    CHECK(ward_vault_get(v, NULL, "db/password", 0, &s, &err) && s.len == 0 && s.version == 4);
    ward_vault_secret_free(&s);

    ward_vault_versions h;
    CHECK(ward_vault_history(v, "db/password", &h, &err) && h.count == 4);
    CHECK(h.count == 4 && !h.versions[0].deleted && h.versions[2].deleted && !h.versions[3].deleted &&
          h.versions[3].version == 4);
    ward_vault_versions_free(&h);
    CHECK(!ward_vault_history(v, "nothing", &h, &err) && err.kind == WARD_DB_ERR_NOT_FOUND);

    /* list: names in use, by prefix, tombstoned ones left out */
    CHECK(put_text(v, NULL, "db/user", "u", NULL, &err) && put_text(v, NULL, "api/token", "t", NULL, &err) &&
          put_text(v, NULL, "gone", "g", NULL, &err) && ward_vault_delete(v, NULL, "gone", NULL, &err));
    ward_vault_names names;
    CHECK(ward_vault_list(v, NULL, &names, &err) && names.count == 3);
    CHECK(names.count == 3 && strcmp(names.names[0], "api/token") == 0 && strcmp(names.names[2], "db/user") == 0);
    ward_vault_names_free(&names);
    CHECK(ward_vault_list(v, "db/", &names, &err) && names.count == 2);
    ward_vault_names_free(&names);
    CHECK(!ward_vault_list(v, "bad prefix", &names, &err) && err.kind == WARD_DB_ERR_ARGUMENT);

    /* names and sizes */
    char longname[300];
    memset(longname, 'a', 256);
    longname[256] = 0;
    CHECK(!put_text(v, NULL, longname, "x", NULL, &err) && err.kind == WARD_DB_ERR_ARGUMENT);
    longname[255] = 0;
    CHECK(put_text(v, NULL, longname, "x", NULL, &err));
    CHECK(!put_text(v, NULL, "", "x", NULL, &err) && err.kind == WARD_DB_ERR_ARGUMENT);
    CHECK(!put_text(v, NULL, "has space", "x", NULL, &err) && err.kind == WARD_DB_ERR_ARGUMENT);
    CHECK(!put_text(v, NULL, "quote\"", "x", NULL, &err) && err.kind == WARD_DB_ERR_ARGUMENT);
    CHECK(put_text(v, NULL, "A-z_0.9/:@x", "x", NULL, &err));
    uint8_t *big = calloc(1, WARD_VAULT_VALUE_MAX + 1);
    CHECK(!ward_vault_put(v, NULL, "big", big, WARD_VAULT_VALUE_MAX + 1, NULL, &err) &&
          err.kind == WARD_DB_ERR_ARGUMENT);
    CHECK(ward_vault_put(v, NULL, "big", big, WARD_VAULT_VALUE_MAX, NULL, &err));
    free(big);

    /* an operation and its audit entry commit together: rolled back, neither is there */
    ward_vault_audit_stats before, after;
    CHECK(ward_vault_audit_verify(db, v, NULL, NULL, &before, &err) && before.problems == 0);
    CHECK(ward_db_begin(db, &err) && put_text(v, NULL, "rolled", "back", NULL, &err) && ward_db_rollback(db, &err));
    CHECK(!ward_vault_history(v, "rolled", &h, &err));
    CHECK(ward_vault_audit_verify(db, v, NULL, NULL, &after, &err) && after.problems == 0 &&
          after.entries == before.entries + 1 /* the history call */);
    ward_vault_free(v);
    ward_db_close(db);
}

static void test_no_plaintext(void)
{
    ward_vault *v;
    ward_db_error err;
    ward_db *db = fresh("plain.db", &v);
    char path[256], wal[300];
    snprintf(path, sizeof path, "%s", ward_db_path(db));
    snprintf(wal, sizeof wal, "%s-wal", path);
    for (int i = 0; i < 3; i++)
        CHECK(put_text(v, NULL, "api/token", secret, NULL, &err));
    ward_vault_secret s;
    CHECK(ward_vault_get(v, NULL, "api/token", 0, &s, &err) && s.len == strlen(secret));
    ward_vault_secret_free(&s);
    /* while open the writes sit in the WAL; after close in the main file */
    CHECK(access(wal, F_OK) == 0);
    CHECK(!file_contains(path, secret, strlen(secret)) && !file_contains(wal, secret, strlen(secret)));
    CHECK(!file_contains(path, key, sizeof key) && !file_contains(wal, key, sizeof key));
    CHECK(!file_contains(wal, "TOPSECRET", 9));
    ward_vault_free(v);
    ward_db_close(db);
    CHECK(!file_contains(path, secret, strlen(secret)) && !file_contains(path, key, sizeof key));
    CHECK(!file_contains(path, "TOPSECRET", 9) && !file_contains(wal, "TOPSECRET", 9));
    CHECK(file_contains(path, "api/token", 9)); /* names are not secret */
}

/* ---- rules ----------------------------------------------------------------- */

typedef struct records {
    char text[64][512];
    int n;
} records;

static bool collect(void *ctx, const ward_dag_id *id, uint64_t seq, const char *record)
{
    (void)id;
    (void)seq;
    records *r = ctx;
    if (r->n < 64)
        snprintf(r->text[r->n++], sizeof r->text[0], "%s", record);
    return true;
}

static bool logged(ward_db *db, const char *a, const char *b)
{
    static records r;
    ward_db_error err;
    r.n = 0;
    CHECK(ward_vault_audit_show(db, collect, &r, &err));
    for (int i = 0; i < r.n; i++)
        if (strstr(r.text[i], a) && (!b || strstr(r.text[i], b)))
            return true;
    return false;
}

static void test_rules(void)
{
    ward_vault *v;
    ward_db_error err;
    ward_db *db = fresh("rules.db", &v);
    ward_vault_secret s;
    ward_vault_actor a = module_actor("module a", WARD_TRUST_UNTRUSTED);
    ward_vault_actor b = module_actor("module b", WARD_TRUST_PUBLISHER);
    uint8_t signer[32];
    memset(signer, 0x5a, sizeof signer);
    CHECK(ward_vault_actor_add_signer(&b, signer));
    CHECK(put_text(v, NULL, "app/token", secret, NULL, &err) && put_text(v, NULL, "pub/motd", "hi", NULL, &err));

    /* no rule, no access; the refusal is audited with the module's hash */
    CHECK(!ward_vault_get(v, &a, "app/token", 0, &s, &err) && err.kind == WARD_DB_ERR_DENIED && s.value == NULL);
    CHECK(logged(db, "\"op\":\"get\",\"name\":\"app/token\"", "\"result\":\"denied\""));
    char hex[65];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", a.module_sha256[i]);
    CHECK(logged(db, hex, "denied"));

    /* by module hash: read app/ */
    ward_vault_rule r = {0};
    strcpy(r.prefix, "app/");
    r.perms = WARD_VAULT_READ;
    r.subject = WARD_VAULT_BY_MODULE;
    memcpy(r.key, a.module_sha256, 32);
    int64_t read_rule;
    CHECK(ward_vault_rule_add(v, &r, &read_rule, &err));
    CHECK(ward_vault_get(v, &a, "app/token", 0, &s, &err) && s.len == strlen(secret));
    ward_vault_secret_free(&s);
    CHECK(!put_text(v, &a, "app/token", "x", NULL, &err) && err.kind == WARD_DB_ERR_DENIED);
    CHECK(!ward_vault_get(v, &a, "other/x", 0, &s, &err) && err.kind == WARD_DB_ERR_DENIED);
    CHECK(!ward_vault_get(v, &b, "app/token", 0, &s, &err) && err.kind == WARD_DB_ERR_DENIED);

    /* by signer: write app/ */
    memset(&r, 0, sizeof r);
    strcpy(r.prefix, "app/");
    r.perms = WARD_VAULT_WRITE;
    r.subject = WARD_VAULT_BY_SIGNER;
    memcpy(r.key, signer, 32);
    CHECK(ward_vault_rule_add(v, &r, NULL, &err));
    uint64_t version;
    CHECK(put_text(v, &b, "app/new", "n", &version, &err) && version == 1);
    CHECK(ward_vault_delete(v, &b, "app/new", NULL, &err));
    CHECK(!ward_vault_get(v, &b, "app/new", 1, &s, &err) && err.kind == WARD_DB_ERR_DENIED);
    CHECK(!put_text(v, &a, "app/new", "n", NULL, &err) && err.kind == WARD_DB_ERR_DENIED);

    /* by level: publisher and above read pub/ */
    memset(&r, 0, sizeof r);
    strcpy(r.prefix, "pub/");
    r.perms = WARD_VAULT_READ;
    r.subject = WARD_VAULT_BY_LEVEL;
    r.level = WARD_TRUST_PUBLISHER;
    CHECK(ward_vault_rule_add(v, &r, NULL, &err));
    CHECK(ward_vault_get(v, &b, "pub/motd", 0, &s, &err) && s.len == 2);
    ward_vault_secret_free(&s);
    ward_vault_actor c = module_actor("module c", WARD_TRUST_COMMUNITY);
    CHECK(!ward_vault_get(v, &c, "pub/motd", 0, &s, &err) && err.kind == WARD_DB_ERR_DENIED);
    c.level = WARD_TRUST_ENTERPRISE;
    CHECK(ward_vault_get(v, &c, "pub/motd", 0, &s, &err));
    ward_vault_secret_free(&s);

    /* listing, revoking (audited), bad rules */
    ward_vault_rules rules;
    CHECK(ward_vault_rule_list(v, &rules, &err) && rules.count == 3);
    CHECK(rules.count == 3 && rules.rules[0].id == read_rule && rules.rules[2].subject == WARD_VAULT_BY_LEVEL &&
          rules.rules[2].level == WARD_TRUST_PUBLISHER && strcmp(rules.rules[1].prefix, "app/") == 0);
    ward_vault_rules_free(&rules);
    CHECK(ward_vault_rule_remove(v, read_rule, &err));
    CHECK(!ward_vault_rule_remove(v, read_rule, &err) && err.kind == WARD_DB_ERR_NOT_FOUND);
    CHECK(!ward_vault_get(v, &a, "app/token", 0, &s, &err) && err.kind == WARD_DB_ERR_DENIED);
    CHECK(logged(db, "\"op\":\"revoke\"", "\"result\":\"ok\""));
    CHECK(logged(db, "\"op\":\"allow\",\"name\":\"pub/\"", "level:publisher"));
    r.perms = 4;
    CHECK(!ward_vault_rule_add(v, &r, NULL, &err) && err.kind == WARD_DB_ERR_ARGUMENT);
    r.perms = WARD_VAULT_READ;
    strcpy(r.prefix, "bad prefix");
    CHECK(!ward_vault_rule_add(v, &r, NULL, &err) && err.kind == WARD_DB_ERR_ARGUMENT);

    /* a rule granted behind ward's back is not honoured */
    char stmt[300];
    snprintf(stmt, sizeof stmt, "UPDATE vault_rule SET prefix = '' WHERE kind = %d", WARD_VAULT_BY_LEVEL);
    sql(db, stmt);
    CHECK(!ward_vault_get(v, &b, "app/token", 0, &s, &err) && err.kind == WARD_DB_ERR_TAMPERED);
    CHECK(!ward_vault_get(v, &b, "pub/motd", 0, &s, &err) && err.kind == WARD_DB_ERR_TAMPERED);
    CHECK(logged(db, "\"name\":\"pub/motd\"", "\"result\":\"tampered\""));
    CHECK(!ward_vault_rule_list(v, &rules, &err) && err.kind == WARD_DB_ERR_TAMPERED && rules.count == 2);
    ward_vault_rules_free(&rules);
    CHECK(ward_vault_get(v, NULL, "app/token", 0, &s, &err)); /* the operator needs no rule */
    ward_vault_secret_free(&s);
    ward_vault_free(v);
    ward_db_close(db);
}

static void test_sealed_rows(void)
{
    ward_vault *v;
    ward_db_error err;
    ward_db *db = fresh("sealed.db", &v);
    ward_vault_secret s;
    CHECK(put_text(v, NULL, "t", "first", NULL, &err) && put_text(v, NULL, "t", "second", NULL, &err));
    CHECK(put_text(v, NULL, "u", "other", NULL, &err));
    /* a version's sealed value moved to another version or name fails to open */
    sql(db, "UPDATE vault_secret SET sealed = (SELECT sealed FROM vault_secret WHERE name = 't' AND version = 1),"
            " nonce = (SELECT nonce FROM vault_secret WHERE name = 't' AND version = 1)"
            " WHERE name = 't' AND version = 2");
    CHECK(!ward_vault_get(v, NULL, "t", 0, &s, &err) && err.kind == WARD_DB_ERR_TAMPERED && s.value == NULL);
    sql(db, "UPDATE vault_secret SET name = 'u2' WHERE name = 'u'");
    CHECK(!ward_vault_get(v, NULL, "u2", 1, &s, &err) && err.kind == WARD_DB_ERR_TAMPERED);
    /* a forged tombstone too */
    sql(db, "INSERT INTO vault_secret SELECT name, 3, 1, created, nonce, sealed FROM vault_secret"
            " WHERE name = 't' AND version = 1");
    CHECK(!ward_vault_get(v, NULL, "t", 0, &s, &err) && err.kind == WARD_DB_ERR_TAMPERED);
    CHECK(ward_vault_get(v, NULL, "t", 1, &s, &err) && memcmp(s.value, "first", 5) == 0);
    ward_vault_secret_free(&s);
    ward_vault_free(v);
    ward_db_close(db);
}

/* ---- the audit log ------------------------------------------------------- */

/* A vault whose audit log has 8 entries: rows 1..8 of dag_node are seq 1..8. */
static ward_db *logged_vault(const char *name, ward_vault **v)
{
    ward_db_error err;
    ward_db *db = fresh(name, v);
    ward_vault_secret s;
    ward_vault_actor a = module_actor("intruder", WARD_TRUST_UNTRUSTED);
    CHECK(put_text(*v, NULL, "api/token", secret, NULL, &err));                         /* 2 */
    CHECK(ward_vault_get(*v, NULL, "api/token", 0, &s, &err));                          /* 3 */
    ward_vault_secret_free(&s);
    CHECK(!ward_vault_get(*v, &a, "api/token", 0, &s, &err));                           /* 4: denied */
    CHECK(put_text(*v, NULL, "api/token", "rotated", NULL, &err));                      /* 5 */
    CHECK(ward_vault_delete(*v, NULL, "api/token", NULL, &err));                        /* 6 */
    CHECK(put_text(*v, NULL, "db/pw", "pw", NULL, &err));                               /* 7 */
    CHECK(ward_vault_get(*v, NULL, "db/pw", 0, &s, &err));                              /* 8 */
    ward_vault_secret_free(&s);
    ward_vault_audit_stats st;
    CHECK(ward_vault_audit_verify(db, *v, NULL, NULL, &st, &err) && st.entries == 8 && st.problems == 0 &&
          st.mac_checked);
    return db;
}

typedef struct seen {
    unsigned mask;              /* 1 << problem */
    uint64_t first_seq;
} seen;

static void on_problem(void *ctx, uint64_t seq, const ward_dag_id *id, ward_vault_audit_problem p, const char *detail)
{
    (void)id;
    (void)detail;
    seen *s = ctx;
    if (!s->mask)
        s->first_seq = seq;
    s->mask |= 1u << p;
}

static seen verify(ward_db *db, const ward_vault *v)
{
    seen s = {0, 0};
    ward_db_error err;
    ward_vault_audit_stats st;
    CHECK_MSG(ward_vault_audit_verify(db, v, on_problem, &s, &st, &err), "%s", err.message);
    CHECK((st.problems == 0) == (s.mask == 0));
    return s;
}

static void test_audit_tamper(void)
{
    ward_vault *v;
    ward_db *db = logged_vault("edited.db", &v);
    CHECK(!logged(db, secret, NULL) && !logged(db, "rotated", NULL)); /* values never logged */
    CHECK(logged(db, "\"seq\":4", "\"result\":\"denied\""));
    /* edited: the denial rewritten as a success */
    sql(db, "UPDATE dag_node SET payload = CAST(replace(CAST(payload AS TEXT), 'denied', 'ok') AS BLOB) WHERE row = 4");
    seen s = verify(db, NULL);
    CHECK(s.mask & (1u << WARD_VAULT_AUDIT_BAD_ID));
    CHECK(s.first_seq == 4);
    ward_vault_free(v);
    ward_db_close(db);

    /* removed: the entry's rows deleted */
    db = logged_vault("removed.db", &v);
    sql(db, "DELETE FROM dag_edge WHERE child = 4; DELETE FROM dag_node WHERE row = 4");
    s = verify(db, v);
    CHECK(s.mask & (1u << WARD_VAULT_AUDIT_MISSING));
    ward_vault_free(v);
    ward_db_close(db);

    /* removed and the chain relinked around it */
    db = logged_vault("relinked.db", &v);
    sql(db, "UPDATE dag_node SET parents = (SELECT id FROM dag_node WHERE row = 3) WHERE row = 5;"
            " UPDATE dag_edge SET parent = 3 WHERE child = 5; DELETE FROM dag_edge WHERE child = 4;"
            " DELETE FROM dag_node WHERE row = 4");
    s = verify(db, NULL);
    CHECK(s.mask & (1u << WARD_VAULT_AUDIT_BAD_ID));
    CHECK(s.mask & (1u << WARD_VAULT_AUDIT_BAD_SEQ));
    ward_vault_free(v);
    ward_db_close(db);

    /* reordered: two entries' contents swapped */
    db = logged_vault("reordered.db", &v);
    sql(db, "UPDATE dag_node SET payload = CASE row WHEN 5 THEN (SELECT payload FROM dag_node WHERE row = 6)"
            " ELSE (SELECT payload FROM dag_node WHERE row = 5) END WHERE row IN (5, 6)");
    s = verify(db, NULL);
    CHECK(s.mask & (1u << WARD_VAULT_AUDIT_BAD_ID));
    CHECK(s.mask & (1u << WARD_VAULT_AUDIT_BAD_SEQ));
    ward_vault_free(v);
    ward_db_close(db);
}

/* Rewrite the tail from entry 4 without it, with recomputed ids and
 * numbers, and point the head at the new tail: only the key finds it. */
static void test_audit_rewritten_tail(void)
{
    ward_vault *v;
    ward_db_error err;
    ward_db *db = logged_vault("rewritten.db", &v);
    static records r;
    r.n = 0;
    CHECK(ward_vault_audit_show(db, collect, &r, &err) && r.n == 8);
    ward_dag_id parent, id;
    ward_dag_node third;
    /* entry 3's id: walk back from the head */
    sqlite3 *s;
    CHECK(sqlite3_open(ward_db_path(db), &s) == SQLITE_OK);
    sqlite3_stmt *st;
    CHECK(sqlite3_prepare_v2(s, "SELECT id FROM dag_node WHERE row = 3", -1, &st, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(st) == SQLITE_ROW);
    memcpy(parent.bytes, sqlite3_column_blob(st, 0), 32);
    sqlite3_finalize(st);
    CHECK(ward_dag_get(db, &parent, &third, &err));
    ward_dag_node_free(&third);
    uint64_t seq = 3;
    for (int i = 4; i < r.n; i++) { /* records 5..8 become 4..7 */
        char text[512], *at = strstr(r.text[i], "\"seq\":");
        CHECK(at != NULL);
        int tail = (int)(strchr(at, ',') - r.text[i]);
        snprintf(text, sizeof text, "%.*s%llu%s", (int)(at + 6 - r.text[i]), r.text[i],
                 (unsigned long long)++seq, r.text[i] + tail);
        CHECK(ward_dag_put(db, (const uint8_t *)text, strlen(text), &parent, 1, &id, NULL, &err));
        parent = id;
    }
    /* the head: new id and count, the old MAC kept (the key is not at hand) */
    uint8_t head[72];
    CHECK(sqlite3_prepare_v2(s, "SELECT value FROM meta WHERE key = 'vault.audit.head'", -1, &st, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 72);
    memcpy(head, sqlite3_column_blob(st, 0), 72);
    sqlite3_finalize(st);
    memcpy(head, id.bytes, 32);
    memset(head + 32, 0, 8);
    head[32] = (uint8_t)seq;
    CHECK(sqlite3_prepare_v2(s, "UPDATE meta SET value = ?1 WHERE key = 'vault.audit.head'", -1, &st, NULL) ==
          SQLITE_OK);
    sqlite3_bind_blob(st, 1, head, sizeof head, SQLITE_STATIC);
    CHECK(sqlite3_step(st) == SQLITE_DONE);
    sqlite3_finalize(st);
    sqlite3_close(s);
    seen without = verify(db, NULL);
    CHECK(without.mask == 0); /* consistent as far as hashes go */
    seen with = verify(db, v);
    CHECK(with.mask == 1u << WARD_VAULT_AUDIT_BAD_HEAD);
    /* and nothing is appended on top of it */
    CHECK(!put_text(v, NULL, "x", "y", NULL, &err) && err.kind == WARD_DB_ERR_TAMPERED);
    CHECK_CONTAINS(err.message, "audit");
    ward_vault_free(v);
    ward_db_close(db);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_key_parse();
    test_init_unlock();
    test_versions();
    test_no_plaintext();
    test_rules();
    test_sealed_rows();
    test_audit_tamper();
    test_audit_rewritten_tail();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return test_summary("vault");
}
