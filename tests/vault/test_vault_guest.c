/*
 * ward:vault from guests through the C API (ward_vault_define):
 * vault_fuel.wasm calls the imports directly (versions, ESPACE, EDELETED,
 * EINVAL, bounds traps, fuel per call and per byte, charged before any
 * work); vault_guest.wasm, the C guest, stores and fetches a token once a
 * rule lets it, and is denied (and audited) before.
 * argv[1]: the directory holding both .wasm files.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../test.h"
#include "ward_guest_vault.h"
#include "ward_vault.h"

static char dir[] = "/tmp/ward-vguest-XXXXXX";
static const uint8_t key[32] = {7, 7, 7, 7, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                                13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28};

typedef struct guest {
    ward_engine *engine;
    ward_module *module;
    ward_store *store;
    ward_linker *linker;
    ward_instance *inst;
    ward_wasi *wasi;
    uint8_t *bytes;
    size_t size;
    ward_vault_actor actor;
} guest;

static uint8_t *read_all(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc((size_t)n);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *size = (size_t)n;
    return buf;
}

/* Load file, define ward:vault (acting as the module) and, when argv is
 * given, WASI; instantiate. */
static bool guest_open(guest *g, const char *wasm_dir, const char *file, ward_vault *v, const char *const *argv,
                       int argc)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", wasm_dir, file);
    memset(g, 0, sizeof *g);
    ward_error err = {0};
    ward_trap trap = {0};
    if (!(g->bytes = read_all(path, &g->size))) {
        fprintf(stderr, "cannot read %s\n", path);
        return false;
    }
    ward_vault_actor_module(&g->actor, g->bytes, g->size);
    g->engine = ward_engine_new(NULL);
    g->module = ward_module_new(g->engine, g->bytes, g->size, &err);
    if (!g->module) {
        fprintf(stderr, "%s: %s\n", path, err.message);
        return false;
    }
    g->store = ward_store_new(g->engine);
    g->linker = ward_linker_new();
    if (argv) {
        ward_wasi_config cfg;
        ward_wasi_config_default(&cfg);
        cfg.argc = argc;
        cfg.argv = argv;
        if (!(g->wasi = ward_wasi_new(&cfg, &err)) || ward_wasi_define(g->wasi, g->linker, g->store) != WARD_OK)
            return false;
    }
    if (ward_vault_define(v, &g->actor, g->linker, g->store) != WARD_OK ||
        ward_instantiate(g->store, g->module, g->linker, &g->inst, &err, &trap) != WARD_OK) {
        fprintf(stderr, "%s: %s\n", path, err.message);
        return false;
    }
    return true;
}

static void guest_close(guest *g)
{
    ward_store_free(g->store);
    ward_wasi_free(g->wasi);
    ward_linker_free(g->linker);
    ward_module_free(g->module);
    ward_engine_free(g->engine);
    free(g->bytes);
}

/* Call export name with i32 arguments: its result, or INT32_MIN when it
 * trapped (the trap's kind in *kind). */
static int32_t call(guest *g, const char *name, ward_trap_kind *kind, int n, ...)
{
    ward_val args[4], result = {.kind = WARD_I32};
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        args[i] = ward_val_i32(va_arg(ap, int32_t));
    va_end(ap);
    ward_trap trap = {0};
    ward_result r = ward_call(g->store, ward_instance_func(g->inst, name), args, (size_t)n, &result, 1, &trap);
    if (kind)
        *kind = trap.kind;
    return r == WARD_OK ? result.of.i32 : INT32_MIN;
}

/* Fuel one call of name costs. */
static uint64_t cost(guest *g, const char *name, int n, int32_t a, int32_t b)
{
    ward_store_set_fuel(g->store, UINT64_MAX / 2);
    call(g, name, NULL, n, a, b);
    return ward_store_fuel_consumed(g->store);
}

static bool logged(ward_db *db, const char *a, const char *b);

static void allow_module(ward_vault *v, const ward_vault_actor *a, const char *prefix, uint32_t perms)
{
    ward_vault_rule r = {0};
    ward_db_error err;
    strcpy(r.prefix, prefix);
    r.perms = perms;
    r.subject = WARD_VAULT_BY_MODULE;
    memcpy(r.key, a->module_sha256, 32);
    CHECK_MSG(ward_vault_rule_add(v, &r, NULL, &err), "%s", err.message);
}

static void test_imports(const char *wasm_dir, ward_db *db, ward_vault *v)
{
    guest g;
    ward_trap_kind kind;
    if (!guest_open(&g, wasm_dir, "vault_fuel.wasm", v, NULL, 0)) {
        CHECK(false);
        return;
    }
    uint8_t *mem = ward_memory_data(ward_instance_memory(g.inst, "memory"));
    CHECK(call(&g, "put", NULL, 1, 10) == WARD_VAULT_EDENIED);
    CHECK(logged(db, "\"op\":\"put\",\"name\":\"api/k\"", "denied"));
    allow_module(v, &g.actor, "api/", WARD_VAULT_READ | WARD_VAULT_WRITE);
    CHECK(call(&g, "put", NULL, 1, 10) == 1);
    CHECK(call(&g, "put", NULL, 1, 64) == 2);
    /* too small: ESPACE, the length told, nothing written */
    memset(mem + 1024, 0xee, 64);
    CHECK(call(&g, "get", NULL, 1, 63) == WARD_VAULT_ESPACE);
    CHECK(call(&g, "len", NULL, 0) == 64 && mem[1024] == 0xee);
    CHECK(call(&g, "get", NULL, 1, 64) == 2);
    CHECK(memcmp(mem + 1024, mem + 64, 64) == 0);
    CHECK(call(&g, "get_version", NULL, 2, 1, 64) == 1 && call(&g, "len", NULL, 0) == 10);
    CHECK(call(&g, "get_version", NULL, 2, 9, 64) == WARD_VAULT_ENOTFOUND);
    CHECK(call(&g, "get_version", NULL, 2, 0, 64) == WARD_VAULT_EINVAL);
    CHECK(call(&g, "put_bad_name", NULL, 0) == WARD_VAULT_EINVAL);
    CHECK(call(&g, "get_oob", &kind, 0) == INT32_MIN && kind == WARD_TRAP_OOB_MEMORY);
    CHECK(call(&g, "delete", NULL, 0) == 3);
    CHECK(call(&g, "get", NULL, 1, 64) == WARD_VAULT_EDELETED);
    CHECK(call(&g, "delete", NULL, 0) == WARD_VAULT_ENOTFOUND);

    /* fuel: a base per call and a price per byte (docs/vault.md) */
    uint64_t put0 = cost(&g, "put", 1, 0, 0), put100 = cost(&g, "put", 1, 50, 0);
    CHECK_MSG(put100 - put0 == 2 * 50, "put: %llu vs %llu", (unsigned long long)put0, (unsigned long long)put100);
    CHECK(put0 >= 50000 + 2 * 5);
    uint64_t get0 = cost(&g, "get", 1, 0, 0), get64 = cost(&g, "get", 1, 64, 0);
    CHECK_MSG(get64 - get0 == 64, "get: %llu vs %llu", (unsigned long long)get0, (unsigned long long)get64);
    CHECK(get0 >= 50000 + 5);
    /* charged before any work: short of the price, no version is written */
    ward_vault_versions h;
    ward_db_error err;
    CHECK(ward_vault_history(v, "api/k", &h, &err));
    size_t versions = h.count;
    ward_vault_versions_free(&h);
    ward_store_set_fuel(g.store, 50000);
    CHECK(call(&g, "put", &kind, 1, 10) == INT32_MIN && kind == WARD_TRAP_OUT_OF_FUEL);
    CHECK(ward_vault_history(v, "api/k", &h, &err) && h.count == versions);
    ward_vault_versions_free(&h);
    guest_close(&g);
}

static int run_c_guest(const char *wasm_dir, ward_vault *v, const char *mode, ward_vault_actor *actor)
{
    const char *argv[] = {"vault_guest", mode};
    guest g;
    if (!guest_open(&g, wasm_dir, "vault_guest.wasm", v, argv, 2)) {
        CHECK(false);
        return -1;
    }
    *actor = g.actor;
    ward_trap trap = {0};
    int code = 0;
    ward_result r = ward_call(g.store, ward_instance_func(g.inst, "_start"), NULL, 0, NULL, 0, &trap);
    if (r == WARD_TRAP && !ward_wasi_exit_code(g.wasi, &trap, &code))
        code = -1;
    fflush(stdout);
    guest_close(&g);
    return code;
}

static void test_c_guest(const char *wasm_dir, ward_db *db, ward_vault *v)
{
    ward_vault_actor a;
    CHECK(run_c_guest(wasm_dir, v, "store", &a) == 3); /* denied */
    CHECK(logged(db, "\"op\":\"put\",\"name\":\"api/token\"", "\"result\":\"denied\""));
    allow_module(v, &a, "api/token", WARD_VAULT_READ | WARD_VAULT_WRITE);
    CHECK(run_c_guest(wasm_dir, v, "roundtrip", &a) == 0);
    ward_vault_secret s;
    ward_db_error err;
    CHECK(ward_vault_get(v, NULL, "api/token", 0, &s, &err) && s.len == 25 &&
          memcmp(s.value, "tok_live_9f8e7d6c5b4a3210", 25) == 0);
    ward_vault_secret_free(&s);
    CHECK(run_c_guest(wasm_dir, v, "delete", &a) == 0);
    CHECK(run_c_guest(wasm_dir, v, "fetch", &a) == 1); /* deleted now */
    ward_vault_audit_stats st;
    CHECK(ward_vault_audit_verify(db, v, NULL, NULL, &st, &err) && st.problems == 0);
}

typedef struct found {
    const char *a, *b;
    bool hit;
} found;

static bool find_record(void *ctx, const ward_dag_id *id, uint64_t seq, const char *record)
{
    (void)id;
    (void)seq;
    found *f = ctx;
    f->hit = f->hit || (strstr(record, f->a) && strstr(record, f->b));
    return true;
}

static bool logged(ward_db *db, const char *a, const char *b)
{
    found f = {a, b, false};
    ward_db_error err;
    CHECK(ward_vault_audit_show(db, find_record, &f, &err));
    return f.hit;
}

int main(int argc, char **argv)
{
    if (argc < 2 || !mkdtemp(dir)) {
        fprintf(stderr, "usage: test_vault_guest WASM_DIR\n");
        return 1;
    }
    char path[256];
    snprintf(path, sizeof path, "%s/guest.db", dir);
    ward_db_error err;
    ward_db *db = ward_db_open(path, NULL, &err);
    CHECK(db && ward_vault_init_key(db, key, &err));
    ward_vault *v = ward_vault_unlock_key(db, key, &err);
    CHECK(v != NULL);
    if (v) {
        test_imports(argv[1], db, v);
        test_c_guest(argv[1], db, v);
    }
    ward_vault_free(v);
    ward_db_close(db);
    unlink(path);
    char wal[300];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
    rmdir(dir);
    return test_summary("vault_guest");
}
