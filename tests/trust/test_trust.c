/* Trust stores and policies (include/ward_trust.h): every malformed input
 * gives its error kind and field path; the level decision; the rules. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../include/ward_trust.h"
#include "../test.h"

static const char *const K = "01000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

typedef struct bad_json {
    const char *json;
    ward_trust_error_kind kind;
    const char *path;
    const char *says;
} bad_json;

static char store_text[4096];

/* %1$s in the templates below is a valid public key in hex. */
static const char *with_key(const char *tmpl)
{
    char *out = store_text;
    for (const char *p = tmpl; *p; p++) {
        if (p[0] == '@') {
            strcpy(out, K);
            out += strlen(K);
        } else {
            *out++ = *p;
        }
    }
    *out = 0;
    return store_text;
}

static const bad_json bad_stores[] = {
    {"", WARD_TRUST_ERR_SYNTAX, "", "line 1, column 1"},
    {"{\"version\": 1,\n \"keys\": [}", WARD_TRUST_ERR_SYNTAX, "", "line 2"},
    {"{\"version\": 1, \"keys\": []} x", WARD_TRUST_ERR_SYNTAX, "", "text after"},
    {"[]", WARD_TRUST_ERR_TYPE, "", "must be an object"},
    {"{\"keys\": []}", WARD_TRUST_ERR_MISSING_FIELD, "version", "missing"},
    {"{\"version\": 2, \"keys\": []}", WARD_TRUST_ERR_VALUE, "version", "unknown version 2"},
    {"{\"version\": 1, \"keys\": [], \"key\": 1}", WARD_TRUST_ERR_UNKNOWN_FIELD, "key", "unknown field"},
    {"{\"version\": 1, \"version\": 1, \"keys\": []}", WARD_TRUST_ERR_DUPLICATE, "version", "given twice"},
    {"{\"version\": 1, \"keys\": {}}", WARD_TRUST_ERR_TYPE, "keys", "must be an array"},
    {"{\"version\": 1, \"keys\": [{\"name\": \"a\", \"public_key\": \"@\"}]}", WARD_TRUST_ERR_MISSING_FIELD,
     "keys[0].level", "missing"},
    {"{\"version\": 1, \"keys\": [{\"name\": \"a\", \"public_key\": \"@\", \"level\": \"root\"}]}",
     WARD_TRUST_ERR_LEVEL, "keys[0].level", "unknown level \"root\""},
    {"{\"version\": 1, \"keys\": [{\"name\": \"a\", \"public_key\": \"@\", \"level\": \"untrusted\"}]}",
     WARD_TRUST_ERR_LEVEL, "keys[0].level", "unknown level"},
    {"{\"version\": 1, \"keys\": [{\"name\": \"a\", \"public_key\": \"0102\", \"level\": \"community\"}]}",
     WARD_TRUST_ERR_KEY, "keys[0].public_key", "4 hex digits"},
    {"{\"version\": 1, \"keys\": [{\"name\": \"a\", \"public_key\": "
     "\"81000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\", \"level\": \"community\"}]}",
     WARD_TRUST_ERR_KEY, "keys[0].public_key", "type byte 0x81"},
    {"{\"version\": 1, \"keys\": [{\"name\": \"a\", \"public_key\": "
     "\"01zz0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\", \"level\": \"community\"}]}",
     WARD_TRUST_ERR_KEY, "keys[0].public_key", "not hexadecimal"},
    {"{\"version\": 1, \"keys\": [{\"name\": \"a\", \"public_key\": \"@\", \"level\": \"community\"},"
     "{\"name\": \"b\", \"public_key\": \"@\", \"level\": \"enterprise\"}]}",
     WARD_TRUST_ERR_DUPLICATE, "keys[1].public_key", "same key as keys[0]"},
    {"{\"version\": 1, \"keys\": [{\"name\": \"\", \"public_key\": \"@\", \"level\": \"community\"}]}",
     WARD_TRUST_ERR_VALUE, "keys[0].name", "must not be empty"},
    /* a name that starts with U+0000 is not an empty one (it said "must not be empty") */
    {"{\"version\": 1, \"keys\": [{\"name\": \"\\u0000a\", \"public_key\": \"@\", \"level\": \"community\"}]}",
     WARD_TRUST_ERR_VALUE, "keys[0].name", "must not contain U+0000"},
    {"{\"version\": 1, \"keys\": [{\"name\": \"a\", \"public_kye\": \"@\", \"level\": \"community\"}]}",
     WARD_TRUST_ERR_UNKNOWN_FIELD, "keys[0].public_kye", "unknown field"},
};

static void test_bad_stores(void)
{
    for (size_t i = 0; i < sizeof bad_stores / sizeof bad_stores[0]; i++) {
        const bad_json *b = &bad_stores[i];
        const char *text = with_key(b->json);
        ward_trust_error err;
        ward_trust_store *s = ward_trust_store_parse("store.json", text, strlen(text), &err);
        CHECK_MSG(!s && err.kind == b->kind && strcmp(err.path, b->path) == 0 && strstr(err.message, b->says) &&
                      strncmp(err.message, "store.json: ", 12) == 0 && !strchr(err.message, '\n'),
                  "case %zu: kind %d path \"%s\": %s", i, err.kind, err.path, err.message);
        ward_trust_store_free(s);
    }
}

#define LEVEL(name, extra)                                                                                            \
    "\"" name "\": {\"fuel\": 1000, \"max_memory_bytes\": 65536, \"timeout_ms\": 10, \"max_threads\": 0, "          \
    "\"host_modules\": [\"wasi\"], \"dirs\": [] " extra "}"

static const bad_json bad_policies[] = {
    {"{\"version\": 1}", WARD_TRUST_ERR_MISSING_FIELD, "levels", "missing"},
    {"{\"version\": 1, \"levels\": {\"comunity\": {}}}", WARD_TRUST_ERR_LEVEL, "levels.comunity",
     "unknown level \"comunity\""},
    {"{\"version\": 1, \"levels\": {" LEVEL("untrusted", ", \"fule\": 1") "}}", WARD_TRUST_ERR_UNKNOWN_FIELD,
     "levels.untrusted.fule", "unknown field"},
    {"{\"version\": 1, \"levels\": {" LEVEL("untrusted", ", \"fuel\": 1") "}}", WARD_TRUST_ERR_DUPLICATE,
     "levels.untrusted.fuel", "given twice"},
    {"{\"version\": 1, \"levels\": {" LEVEL("untrusted", "") ", " LEVEL("untrusted", "") "}}",
     WARD_TRUST_ERR_DUPLICATE, "levels.untrusted", "given twice"},
    {"{\"version\": 1, \"levels\": {\"community\": {\"fuel\": 1}}}", WARD_TRUST_ERR_MISSING_FIELD,
     "levels.community.max_memory_bytes", "missing"},
    {"{\"version\": 1, \"levels\": {\"community\": {\"fuel\": -1, \"max_memory_bytes\": 1, \"timeout_ms\": 1, "
     "\"max_threads\": 0, \"host_modules\": [], \"dirs\": []}}}",
     WARD_TRUST_ERR_VALUE, "levels.community.fuel", "whole number"},
    {"{\"version\": 1, \"levels\": {\"community\": {\"fuel\": 1.5, \"max_memory_bytes\": 1, \"timeout_ms\": 1, "
     "\"max_threads\": 0, \"host_modules\": [], \"dirs\": []}}}",
     WARD_TRUST_ERR_VALUE, "levels.community.fuel", "whole number"},
    {"{\"version\": 1, \"levels\": {\"community\": {\"fuel\": \"many\", \"max_memory_bytes\": 1, \"timeout_ms\": 1, "
     "\"max_threads\": 0, \"host_modules\": [], \"dirs\": []}}}",
     WARD_TRUST_ERR_TYPE, "levels.community.fuel", "or \"unlimited\""},
    {"{\"version\": 1, \"levels\": {\"community\": {\"fuel\": 1, \"max_memory_bytes\": 1, \"timeout_ms\": 1, "
     "\"max_threads\": \"unlimited\", \"host_modules\": [], \"dirs\": []}}}",
     WARD_TRUST_ERR_TYPE, "levels.community.max_threads", "whole number"},
    {"{\"version\": 1, \"levels\": {\"community\": {\"fuel\": 1, \"max_memory_bytes\": 1, \"timeout_ms\": 1, "
     "\"max_threads\": 4294967296, \"host_modules\": [], \"dirs\": []}}}",
     WARD_TRUST_ERR_VALUE, "levels.community.max_threads", "0 to 4294967295"},
    {"{\"version\": 1, \"levels\": {\"community\": {\"fuel\": 1, \"max_memory_bytes\": 1, \"timeout_ms\": 1, "
     "\"max_threads\": 0, \"host_modules\": [\"ward:crpto\"], \"dirs\": []}}}",
     WARD_TRUST_ERR_VALUE, "levels.community.host_modules[0]", "unknown host module \"ward:crpto\""},
    {"{\"version\": 1, \"levels\": {\"community\": {\"fuel\": 1, \"max_memory_bytes\": 1, \"timeout_ms\": 1, "
     "\"max_threads\": 0, \"host_modules\": [\"wasi\", \"wasi\"], \"dirs\": []}}}",
     WARD_TRUST_ERR_DUPLICATE, "levels.community.host_modules[1]", "given twice"},
    {"{\"version\": 1, \"levels\": {\"community\": {\"fuel\": 1, \"max_memory_bytes\": 1, \"timeout_ms\": 1, "
     "\"max_threads\": 0, \"host_modules\": \"wasi\", \"dirs\": []}}}",
     WARD_TRUST_ERR_TYPE, "levels.community.host_modules", "must be an array"},
    {"{\"version\": 1, \"levels\": {\"community\": {\"fuel\": 1, \"max_memory_bytes\": 1, \"timeout_ms\": 1, "
     "\"max_threads\": 0, \"host_modules\": [], \"dirs\": [\"data\"]}}}",
     WARD_TRUST_ERR_VALUE, "levels.community.dirs[0]", "not an absolute path"},
    {"{\"version\": 1, \"levels\": {\"community\": {\"fuel\": 1, \"max_memory_bytes\": 1, \"timeout_ms\": 1, "
     "\"max_threads\": 0, \"host_modules\": [], \"dirs\": [\"/a\", \"/a\"]}}}",
     WARD_TRUST_ERR_DUPLICATE, "levels.community.dirs[1]", "given twice"},
    {"{\"version\": 1, \"levels\": {\"community\": {\"fuel\": 1, \"max_memory_bytes\": 1, \"timeout_ms\": 1, "
     "\"max_threads\": 0, \"host_modules\": [], \"dirs\": [7]}}}",
     WARD_TRUST_ERR_TYPE, "levels.community.dirs[0]", "must be a string"},
};

static void test_bad_policies(void)
{
    for (size_t i = 0; i < sizeof bad_policies / sizeof bad_policies[0]; i++) {
        const bad_json *b = &bad_policies[i];
        ward_trust_error err;
        ward_trust_policy *p = ward_trust_policy_parse("policy.json", b->json, strlen(b->json), &err);
        CHECK_MSG(!p && err.kind == b->kind && strcmp(err.path, b->path) == 0 && strstr(err.message, b->says) &&
                      strncmp(err.message, "policy.json: ", 13) == 0,
                  "case %zu: kind %d path \"%s\": %s", i, err.kind, err.path, err.message);
        ward_trust_policy_free(p);
    }
}

static const char good_policy[] =
    "{\"version\": 1, \"levels\": {"
    "\"untrusted\": {\"fuel\": 1000, \"max_memory_bytes\": 131072, \"timeout_ms\": 50, \"max_threads\": 0,"
    "  \"host_modules\": [\"wasi\"], \"dirs\": []},"
    "\"community\": {\"fuel\": 5000, \"max_memory_bytes\": \"unlimited\", \"timeout_ms\": \"unlimited\","
    "  \"max_threads\": 2, \"host_modules\": [\"wasi\", \"ward:crypto\"], \"dirs\": [\"/tmp\"]},"
    "\"enterprise\": {\"fuel\": \"unlimited\", \"max_memory_bytes\": \"unlimited\", \"timeout_ms\": \"unlimited\","
    "  \"max_threads\": 64, \"host_modules\": [\"wasi\", \"ward:crypto\", \"ward:tee\", \"ward:vault\", \"ward:dag\"],"
    "  \"dirs\": [\"/\"]}}}";

/* (import "ward:crypto" "sha256" (func)) (import "wasi" "thread-spawn" (func)) */
static const uint8_t importer[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00,
                                   0x00, 0x02, 0x2a, 0x02, 0x0b, 'w',  'a',  'r',  'd',  ':',  'c',  'r',  'y',
                                   'p',  't',  'o',  0x06, 's',  'h',  'a',  '2',  '5',  '6',  0x00, 0x00, 0x04,
                                   'w',  'a',  's',  'i',  0x0c, 't',  'h',  'r',  'e',  'a',  'd',  '-',  's',
                                   'p',  'a',  'w',  'n',  0x00, 0x00};

static void test_policy_rules(void)
{
    ward_trust_error err;
    ward_trust_policy *p = ward_trust_policy_parse("policy.json", good_policy, strlen(good_policy), &err);
    CHECK_MSG(p != NULL, "%s", err.message);
    if (!p)
        return;
    ward_trust_limits l;
    CHECK(ward_trust_policy_limits(p, WARD_TRUST_UNTRUSTED, &l) && l.fuel == 1000 && l.max_memory_bytes == 131072 &&
          l.timeout_ms == 50 && l.max_threads == 0 && l.host_modules == WARD_TRUST_HOST_WASI);
    CHECK(ward_trust_policy_limits(p, WARD_TRUST_ENTERPRISE, &l) && l.fuel == 0 && l.max_memory_bytes == 0);
    CHECK(!ward_trust_policy_limits(p, WARD_TRUST_PUBLISHER, &l)); /* left out: no rules */
    CHECK(ward_trust_allows_module(p, WARD_TRUST_UNTRUSTED, "wasi_snapshot_preview1"));
    CHECK(ward_trust_allows_module(p, WARD_TRUST_UNTRUSTED, "wasi"));
    CHECK(!ward_trust_allows_module(p, WARD_TRUST_UNTRUSTED, "ward:crypto"));
    CHECK(ward_trust_allows_module(p, WARD_TRUST_COMMUNITY, "ward:crypto"));
    CHECK(!ward_trust_allows_module(p, WARD_TRUST_COMMUNITY, "ward:tee"));
    CHECK(ward_trust_allows_module(p, WARD_TRUST_ENTERPRISE, "ward:dag"));
    CHECK(!ward_trust_allows_module(p, WARD_TRUST_ENTERPRISE, "env"));
    CHECK(!ward_trust_allows_module(p, WARD_TRUST_PUBLISHER, "wasi"));
    CHECK(ward_trust_allows_dir(p, WARD_TRUST_COMMUNITY, "/tmp"));
    CHECK(!ward_trust_allows_dir(p, WARD_TRUST_COMMUNITY, "/usr"));
    CHECK(!ward_trust_allows_dir(p, WARD_TRUST_UNTRUSTED, "/tmp"));
    CHECK(ward_trust_allows_dir(p, WARD_TRUST_ENTERPRISE, "/usr"));
    CHECK(!ward_trust_allows_dir(p, WARD_TRUST_ENTERPRISE, "/nonexistent-dir"));
    size_t len;
    CHECK(ward_trust_policy_bytes(p, &len) && len == strlen(good_policy) &&
          memcmp(ward_trust_policy_bytes(p, NULL), good_policy, len) == 0);
    uint8_t h1[32], h2[32] = {0};
    ward_trust_policy_sha256(p, h1);
    CHECK(memcmp(h1, h2, 32) != 0);
    /* config: memory and threads tightened, a timeout makes it interruptible */
    ward_config cfg;
    ward_config_default(&cfg);
    cfg.max_memory_bytes = 1 << 20;
    ward_trust_policy_limits(p, WARD_TRUST_UNTRUSTED, &l);
    ward_trust_apply_config(&l, &cfg);
    CHECK(cfg.max_memory_bytes == 131072 && cfg.interruptible);
    cfg.max_memory_bytes = 65536;
    ward_trust_apply_config(&l, &cfg);
    CHECK(cfg.max_memory_bytes == 65536); /* already stricter */
    /* imports: a forbidden host module, then threads at a level without them */
    ward_engine *e = ward_engine_new(NULL);
    ward_error werr;
    ward_module *m = ward_module_new(e, importer, sizeof importer, &werr);
    CHECK_MSG(m != NULL, "%s", werr.message);
    CHECK(!ward_trust_check_imports(p, WARD_TRUST_UNTRUSTED, m, &err) && err.kind == WARD_TRUST_ERR_FORBIDDEN);
    CHECK_CONTAINS(err.message, "import ward:crypto.sha256: host module ward:crypto is not allowed at trust level untrusted");
    CHECK(ward_trust_check_imports(p, WARD_TRUST_COMMUNITY, m, &err));
    CHECK(ward_trust_check_imports(p, WARD_TRUST_ENTERPRISE, m, &err));
    CHECK(!ward_trust_check_imports(p, WARD_TRUST_PUBLISHER, m, &err) && err.kind == WARD_TRUST_ERR_NO_RULES);
    ward_trust_policy_free(p);
    /* the same policy with no threads for community */
    char *nothreads = strdup(good_policy);
    memcpy(strstr(nothreads, "\"max_threads\": 2"), "\"max_threads\": 0", 16);
    p = ward_trust_policy_parse("policy.json", nothreads, strlen(nothreads), &err);
    CHECK(p && !ward_trust_check_imports(p, WARD_TRUST_COMMUNITY, m, &err) && err.kind == WARD_TRUST_ERR_FORBIDDEN);
    CHECK_CONTAINS(err.message, "import wasi.thread-spawn: trust level community allows no threads");
    ward_trust_policy_free(p);
    free(nothreads);
    ward_module_free(m);
    ward_engine_free(e);
}

/* (module) */
static const uint8_t empty[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

static uint8_t *sign(const uint8_t *m, size_t len, const ward_sig_secret_key *sk, size_t *out_len)
{
    uint8_t *out = NULL;
    ward_sig_error err;
    CHECK_MSG(ward_sig_sign(m, len, sk, NULL, &out, out_len, NULL, NULL, &err), "%s", err.message);
    return out;
}

static void key_hex(const ward_sig_public_key *pk, char out[67])
{
    uint8_t b[WARD_SIG_PUBLIC_KEY_BYTES];
    ward_sig_public_key_to_bytes(pk, b);
    for (int i = 0; i < 33; i++)
        sprintf(out + 2 * i, "%02x", b[i]);
}

static void test_decide(void)
{
    ward_sig_public_key pk[3];
    ward_sig_secret_key sk[3];
    char hex[3][67], json[512];
    for (int i = 0; i < 3; i++) {
        CHECK(ward_sig_keygen(&pk[i], &sk[i]));
        key_hex(&pk[i], hex[i]);
    }
    snprintf(json, sizeof json,
             "{\"version\": 1, \"keys\": [{\"name\": \"ent\", \"public_key\": \"%s\", \"level\": \"enterprise\"},"
             " {\"name\": \"com\", \"public_key\": \"%s\", \"level\": \"community\"}]}",
             hex[0], hex[1]);
    ward_trust_error err;
    ward_trust_store *s = ward_trust_store_parse("store.json", json, strlen(json), &err);
    CHECK_MSG(s && ward_trust_store_count(s) == 2, "%s", err.message);
    if (!s)
        return;
    ward_trust_decision d;
    CHECK(ward_trust_decide(s, empty, sizeof empty, NULL, 0, &d, &err) && d.level == WARD_TRUST_UNTRUSTED &&
          !d.is_signed && d.signer == NULL);
    size_t l1, l2, l3;
    uint8_t *by_com = sign(empty, sizeof empty, &sk[1], &l1);
    CHECK(ward_trust_decide(s, by_com, l1, NULL, 0, &d, &err) && d.level == WARD_TRUST_COMMUNITY && d.entry == 1 &&
          strcmp(d.signer, "com") == 0);
    uint8_t *by_both = sign(by_com, l1, &sk[0], &l2);
    CHECK(ward_trust_decide(s, by_both, l2, NULL, 0, &d, &err) && d.level == WARD_TRUST_ENTERPRISE &&
          strcmp(d.signer, "ent") == 0); /* the highest level wins */
    uint8_t *by_stranger = sign(empty, sizeof empty, &sk[2], &l3);
    CHECK(ward_trust_decide(s, by_stranger, l3, NULL, 0, &d, &err) && d.level == WARD_TRUST_UNTRUSTED && d.is_signed);
    /* tampered: refused, not untrusted */
    uint8_t *tampered = malloc(l2 + 6);
    memcpy(tampered, by_both, l2);
    memcpy(tampered + l2, "\x00\x04\x03" "abc", 6);
    CHECK(!ward_trust_decide(s, tampered, l2 + 6, NULL, 0, &d, &err) && err.kind == WARD_TRUST_ERR_SIGNATURE &&
          err.sig.kind == WARD_SIG_ERR_HASH_MISMATCH);
    CHECK_CONTAINS(err.message, "signed by ent (enterprise) but changed after signing");
    /* malformed signature data: refused */
    by_com[8 + 1 + 1 + 10] = 0x09;
    CHECK(!ward_trust_decide(s, by_com, l1, NULL, 0, &d, &err) && err.sig.kind == WARD_SIG_ERR_VERSION);
    /* detached */
    ward_sig_sign_options opt;
    ward_sig_sign_options_default(&opt);
    opt.detached = true;
    uint8_t *det = NULL;
    size_t dl;
    ward_sig_error se;
    CHECK(ward_sig_sign(empty, sizeof empty, &sk[0], &opt, &det, &dl, NULL, NULL, &se));
    CHECK(ward_trust_decide(s, empty, sizeof empty, det, dl, &d, &err) && d.level == WARD_TRUST_ENTERPRISE);
    ward_sig_free(det);
    free(tampered);
    ward_sig_free(by_com);
    ward_sig_free(by_both);
    ward_sig_free(by_stranger);
    for (int i = 0; i < 3; i++)
        ward_sig_secret_key_wipe(&sk[i]);
    ward_trust_store_free(s);
}

static void test_files(void)
{
    ward_trust_error err;
    CHECK(!ward_trust_store_load("/nonexistent/store.json", &err) && err.kind == WARD_TRUST_ERR_READ);
    CHECK(!ward_trust_policy_load("/nonexistent/policy.json", &err) && err.kind == WARD_TRUST_ERR_READ);
    CHECK(!ward_trust_policy_parse(NULL, NULL, 0, &err) && err.kind == WARD_TRUST_ERR_ARGUMENT);
    CHECK(strcmp(ward_trust_level_name(WARD_TRUST_PUBLISHER), "publisher") == 0);
}

int main(void)
{
    test_bad_stores();
    test_bad_policies();
    test_policy_rules();
    test_decide();
    test_files();
    return test_summary("trust");
}
