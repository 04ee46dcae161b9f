/*
 * ward:dag from a guest (docs/dag.md, "Guest ABI"): every import called
 * through the forwarder module dag_forward.wat on a fresh database, its
 * results checked against the C API; the error codes, out-of-bounds traps,
 * exact fuel for each price of the table in docs/dag.md, and is_ancestor's
 * node-by-node search against ward_dag_is_ancestor on a random DAG.
 *   test_guest_dag DIR     (DIR holds dag_forward.wasm)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../test.h"
#include "ward_dag.h"
#include "ward_dag_guest.h"
#include "ward_guest_dag.h"

typedef struct guest {
    ward_engine *engine;
    ward_module *module;
    ward_store *store;
    ward_linker *linker;
    ward_instance *inst;
    ward_db *db;
    uint8_t *mem;
    char dir[64];
} guest;

/* Guest addresses. */
enum { ID_A = 0x100, ID_B = 0x140, ID_OUT = 0x180, LEN = 0x1c0, COUNT = 0x1c8, PAYLOAD = 0x200, OUT = 0x1000,
       LIST = 0x8000, MEM_END = 40 * 65536 };

static uint8_t *read_all(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = f ? malloc(1 << 16) : NULL;
    *size = buf ? fread(buf, 1, 1 << 16, f) : 0;
    if (f)
        fclose(f);
    return buf;
}

static bool guest_open(guest *g, const char *wasm_dir)
{
    memset(g, 0, sizeof *g);
    snprintf(g->dir, sizeof g->dir, "/tmp/ward-dag-XXXXXX");
    if (!mkdtemp(g->dir))
        return false;
    char path[128];
    snprintf(path, sizeof path, "%s/test.db", g->dir);
    ward_db_error dberr;
    g->db = ward_db_open(path, NULL, &dberr);
    if (!g->db) {
        fprintf(stderr, "%s\n", dberr.message);
        return false;
    }
    snprintf(path, sizeof path, "%s/dag_forward.wasm", wasm_dir);
    size_t size;
    uint8_t *bytes = read_all(path, &size);
    ward_error err = {0};
    ward_trap trap = {0};
    g->engine = ward_engine_new(NULL);
    g->module = bytes ? ward_module_new(g->engine, bytes, size, &err) : NULL;
    free(bytes);
    if (!g->module) {
        fprintf(stderr, "%s: %s\n", path, bytes ? err.message : "cannot read");
        return false;
    }
    g->store = ward_store_new(g->engine);
    g->linker = ward_linker_new();
    if (ward_dag_define(g->db, g->linker, g->store) != WARD_OK ||
        ward_instantiate(g->store, g->module, g->linker, &g->inst, &err, &trap) != WARD_OK)
        return false;
    g->mem = ward_memory_data(ward_instance_memory(g->inst, "memory"));
    return true;
}

static void guest_close(guest *g)
{
    ward_store_free(g->store);
    ward_linker_free(g->linker);
    ward_module_free(g->module);
    ward_engine_free(g->engine);
    ward_db_close(g->db);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g->dir);
    CHECK(system(cmd) == 0);
}

/* Call export name with n i32 arguments: the result, or *trapped. */
static int32_t call_n(guest *g, const char *name, const uint32_t *a, uint32_t n, ward_trap *trap, bool *trapped)
{
    ward_val args[8], res[1] = {{.kind = WARD_I32}};
    for (uint32_t i = 0; i < n; i++)
        args[i] = ward_val_i32((int32_t)a[i]);
    memset(trap, 0, sizeof *trap);
    *trapped = ward_call(g->store, ward_instance_func(g->inst, name), args, n, res, 1, trap) != WARD_OK;
    return res[0].of.i32;
}

/* The result; INT32_MIN when it trapped. */
static int32_t call(guest *g, const char *name, const uint32_t *a, uint32_t n)
{
    ward_trap trap;
    bool trapped;
    int32_t r = call_n(g, name, a, n, &trap, &trapped);
    if (trapped)
        fprintf(stderr, "%s trapped: %s\n", name, trap.message);
    return trapped ? INT32_MIN : r;
}

#define CALL(g, name, ...) \
    call(g, name, (const uint32_t[]){__VA_ARGS__}, sizeof((const uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t))

static uint32_t rd32(const guest *g, uint32_t at)
{
    uint32_t v;
    memcpy(&v, g->mem + at, 4);
    return v;
}

/* Put a node from the guest: payload text, parents already at LIST. */
static int32_t gput(guest *g, const char *text, uint32_t nparents)
{
    memcpy(g->mem + PAYLOAD, text, strlen(text));
    return CALL(g, "put", PAYLOAD, (uint32_t)strlen(text), LIST, nparents, ID_OUT);
}

static void test_nodes(guest *g)
{
    ward_dag_id root, child, want;
    CHECK(gput(g, "root", 0) == 0);
    memcpy(root.bytes, g->mem + ID_OUT, 32);
    CHECK(ward_dag_id_of((const uint8_t *)"root", 4, NULL, 0, &want) && memcmp(&want, &root, 32) == 0);
    memcpy(g->mem + LIST, root.bytes, 32);
    CHECK(gput(g, "child", 1) == 0);
    memcpy(child.bytes, g->mem + ID_OUT, 32);
    CHECK(ward_dag_id_of((const uint8_t *)"child", 5, &root, 1, &want) && memcmp(&want, &child, 32) == 0);
    CHECK(gput(g, "child", 1) == 0 && memcmp(g->mem + ID_OUT, child.bytes, 32) == 0); /* idempotent */

    memcpy(g->mem + ID_A, child.bytes, 32);
    CHECK(CALL(g, "has", ID_A) == 1);
    CHECK(CALL(g, "get", ID_A, OUT, 64, LEN) == 0 && rd32(g, LEN) == 5 && memcmp(g->mem + OUT, "child", 5) == 0);
    memset(g->mem + OUT, 0xa5, 8);
    CHECK(CALL(g, "get", ID_A, OUT, 4, LEN) == WARD_DAG_ESPACE && rd32(g, LEN) == 5 && g->mem[OUT] == 0xa5);
    CHECK(CALL(g, "parents", ID_A, OUT, 4, COUNT) == 0 && rd32(g, COUNT) == 1 &&
          memcmp(g->mem + OUT, root.bytes, 32) == 0);
    CHECK(CALL(g, "parents", ID_A, OUT, 0, COUNT) == WARD_DAG_ESPACE && rd32(g, COUNT) == 1);
    CHECK(CALL(g, "tips", OUT, 4, COUNT) == 0 && rd32(g, COUNT) == 1 && memcmp(g->mem + OUT, child.bytes, 32) == 0);
    CHECK(CALL(g, "tips", OUT, 0, COUNT) == WARD_DAG_ESPACE);
    memcpy(g->mem + ID_B, root.bytes, 32);
    CHECK(CALL(g, "children", ID_B, OUT, 4, COUNT) == 0 && rd32(g, COUNT) == 1);
    CHECK(CALL(g, "children", ID_A, OUT, 0, COUNT) == 0 && rd32(g, COUNT) == 0);
    CHECK(CALL(g, "count", COUNT) == 0 && rd32(g, COUNT) == 2 && rd32(g, COUNT + 4) == 0);
    CHECK(CALL(g, "is_ancestor", ID_B, ID_A) == 1);
    CHECK(CALL(g, "is_ancestor", ID_A, ID_B) == 0);
    CHECK(CALL(g, "is_ancestor", ID_A, ID_A) == 0);
}

static void test_errors(guest *g)
{
    memset(g->mem + ID_A, 0x77, 32); /* no such node */
    CHECK(CALL(g, "has", ID_A) == 0);
    CHECK(CALL(g, "get", ID_A, OUT, 64, LEN) == WARD_DAG_ENOTFOUND);
    CHECK(CALL(g, "parents", ID_A, OUT, 4, COUNT) == WARD_DAG_ENOTFOUND);
    CHECK(CALL(g, "is_ancestor", ID_A, ID_A) == WARD_DAG_ENOTFOUND);
    CHECK(CALL(g, "walk", ID_A, 0, 1, 1, OUT, 4, COUNT) == WARD_DAG_ENOTFOUND);
    memcpy(g->mem + LIST, g->mem + ID_A, 32);
    CHECK(gput(g, "orphan", 1) == WARD_DAG_EMISSING);
    CHECK(gput(g, "many", WARD_DAG_GUEST_MAX_PARENTS + 1) == WARD_DAG_EINVAL);
    CHECK(gput(g, "root", 0) == 0);
    memcpy(g->mem + LIST, g->mem + ID_OUT, 32);
    memcpy(g->mem + LIST + 32, g->mem + ID_OUT, 32);
    CHECK(gput(g, "twice", 2) == WARD_DAG_EINVAL);
    memcpy(g->mem + ID_A, g->mem + ID_OUT, 32);
    CHECK(CALL(g, "walk", ID_A, 2, 1, 1, OUT, 4, COUNT) == WARD_DAG_EINVAL);       /* direction */
    CHECK(CALL(g, "walk", ID_A, 0, 64, 0, OUT, 4, COUNT) == WARD_DAG_EINVAL);      /* 1 + 64 x 1024 */
    CHECK(CALL(g, "walk", ID_A, 0, 65535, 1, OUT, 4, COUNT) == 0);                 /* 65536: allowed */
    CHECK(CALL(g, "tips", OUT, WARD_DAG_GUEST_LIST_MAX + 1, COUNT) == WARD_DAG_EINVAL);

    /* ranges outside memory trap, before any work */
    ward_trap trap;
    bool trapped;
    call_n(g, "has", (const uint32_t[]){MEM_END - 16}, 1, &trap, &trapped);
    CHECK(trapped && trap.kind == WARD_TRAP_OOB_MEMORY);
    call_n(g, "get", (const uint32_t[]){ID_A, MEM_END - 2, 4, LEN}, 4, &trap, &trapped);
    CHECK(trapped && trap.kind == WARD_TRAP_OOB_MEMORY);
    call_n(g, "count", (const uint32_t[]){MEM_END - 4}, 1, &trap, &trapped);
    CHECK(trapped && trap.kind == WARD_TRAP_OOB_MEMORY);
    call_n(g, "put", (const uint32_t[]){PAYLOAD, MEM_END, LIST, 0, ID_OUT}, 5, &trap, &trapped);
    CHECK(trapped && trap.kind == WARD_TRAP_OOB_MEMORY);
    uint64_t before = 0;
    ward_db_error err;
    CHECK(ward_dag_count(g->db, &before, &err));
    call_n(g, "put", (const uint32_t[]){PAYLOAD, 3, LIST, 0, MEM_END - 8}, 5, &trap, &trapped);
    uint64_t after = 0;
    CHECK(trapped && ward_dag_count(g->db, &after, &err) && after == before); /* nothing stored */
}

/* A walk's entries as ward_dag_guest_entry, against the C API's. */
static void test_walk(guest *g)
{
    ward_dag_id a, b, c;
    ward_db_error err;
    CHECK(ward_dag_put(g->db, (const uint8_t *)"w0", 2, NULL, 0, &a, NULL, &err));
    CHECK(ward_dag_put(g->db, (const uint8_t *)"w1", 2, &a, 1, &b, NULL, &err));
    CHECK(ward_dag_put(g->db, (const uint8_t *)"w2", 2, &b, 1, &c, NULL, &err));
    memcpy(g->mem + ID_A, c.bytes, 32);
    CHECK(CALL(g, "walk", ID_A, WARD_DAG_WALK_PARENTS, 5, 2, OUT, 8, COUNT) == 0 && rd32(g, COUNT) == 3);
    const ward_dag_id *order[] = {&c, &b, &a};
    for (uint32_t i = 0; i < 3; i++) {
        const uint8_t *e = g->mem + OUT + i * WARD_DAG_WALK_ENTRY_BYTES;
        uint64_t height;
        memcpy(&height, e + 32, 8);
        CHECK(memcmp(e, order[i]->bytes, 32) == 0 && height == 2 - i && rd32(g, OUT + i * 48 + 40) == i &&
              rd32(g, OUT + i * 48 + 44) == 0);
    }
    CHECK(CALL(g, "walk", ID_A, WARD_DAG_WALK_PARENTS, 1, 2, OUT, 8, COUNT) == 0 && rd32(g, COUNT) == 2);
    CHECK(CALL(g, "walk", ID_A, WARD_DAG_WALK_PARENTS, 5, 2, OUT, 2, COUNT) == WARD_DAG_ESPACE && rd32(g, COUNT) == 3);
    memcpy(g->mem + ID_A, a.bytes, 32);
    CHECK(CALL(g, "walk", ID_A, WARD_DAG_WALK_CHILDREN, 5, 2, OUT, 8, COUNT) == 0 && rd32(g, COUNT) == 3 &&
          memcmp(g->mem + OUT + 2 * 48, c.bytes, 32) == 0);
}

/* The guest's search agrees with ward_dag_is_ancestor on a random DAG. */
static void test_ancestry(guest *g)
{
    enum { N = 300, PAIRS = 600 };
    ward_dag_id *ids = malloc(N * sizeof *ids);
    ward_db_error err;
    uint32_t seed = 12345;
    CHECK(ward_db_begin(g->db, &err));
    for (int i = 0; i < N; i++) {
        ward_dag_id parents[3];
        size_t np = 0;
        for (int k = 0; i > 0 && k < 3; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t p = (seed >> 8) % (size_t)i;
            bool dup = false;
            for (size_t j = 0; j < np; j++)
                dup |= memcmp(&parents[j], &ids[p], 32) == 0;
            if (!dup && (k == 0 || (seed >> 20) % 3 == 0))
                parents[np++] = ids[p];
        }
        char text[16];
        int len = snprintf(text, sizeof text, "r%d", i);
        CHECK(ward_dag_put(g->db, (const uint8_t *)text, (size_t)len, parents, np, &ids[i], NULL, &err));
    }
    CHECK(ward_db_commit(g->db, &err));
    int agree = 0, yes = 0;
    for (int k = 0; k < PAIRS; k++) {
        seed = seed * 1103515245u + 12345u;
        int x = (int)((seed >> 4) % N), y = (int)((seed >> 16) % N);
        bool want = false;
        CHECK(ward_dag_is_ancestor(g->db, &ids[x], &ids[y], &want, &err));
        memcpy(g->mem + ID_A, ids[x].bytes, 32);
        memcpy(g->mem + ID_B, ids[y].bytes, 32);
        int32_t got = CALL(g, "is_ancestor", ID_A, ID_B);
        agree += got == (want ? 1 : 0);
        yes += want;
    }
    CHECK_MSG(agree == PAIRS, "%d of %d agree", agree, PAIRS);
    CHECK_MSG(yes > 20 && yes < PAIRS - 20, "%d yes of %d: the sample needs both answers", yes, PAIRS);
    free(ids);
}

/* Exact fuel: n + 2 for the forwarder plus the call's price (docs/dag.md). */
static void fuel_case(guest *g, const char *name, const uint32_t *a, uint32_t n, uint64_t price)
{
    ward_trap trap;
    bool trapped;
    ward_store_set_fuel(g->store, UINT64_C(1) << 40);
    call_n(g, name, a, n, &trap, &trapped);
    CHECK_MSG(!trapped && ward_store_fuel_consumed(g->store) == n + 2 + price, "%s: %llu consumed, %llu expected",
              name, (unsigned long long)ward_store_fuel_consumed(g->store), (unsigned long long)(n + 2 + price));
    /* one unit short of the base: traps in the host before any work */
    ward_store_set_fuel(g->store, n + 1);
    call_n(g, name, a, n, &trap, &trapped);
    CHECK(trapped && trap.kind == WARD_TRAP_OUT_OF_FUEL);
    ward_store_disable_fuel(g->store);
}

static void test_fuel(guest *g)
{
    ward_dag_id a, b, c;
    ward_db_error err;
    CHECK(ward_dag_put(g->db, (const uint8_t *)"f0", 2, NULL, 0, &a, NULL, &err));
    CHECK(ward_dag_put(g->db, (const uint8_t *)"f1", 2, &a, 1, &b, NULL, &err));
    CHECK(ward_dag_put(g->db, (const uint8_t *)"f2", 2, &b, 1, &c, NULL, &err));
    memcpy(g->mem + ID_A, a.bytes, 32);
    memcpy(g->mem + ID_B, c.bytes, 32);
    memcpy(g->mem + LIST, b.bytes, 32);
    memcpy(g->mem + PAYLOAD, "fuel test payload", 17);
    /* the table of docs/dag.md: {base, per byte, per unit} */
    fuel_case(g, "put", (const uint32_t[]){PAYLOAD, 17, LIST, 1, ID_OUT}, 5, 50000 + 17 + 32);
    fuel_case(g, "get", (const uint32_t[]){ID_B, OUT, 64, LEN}, 4, 15000 + 2);
    fuel_case(g, "get", (const uint32_t[]){ID_B, OUT, 0, LEN}, 4, 15000 + 2); /* ESPACE: the load is paid */
    fuel_case(g, "has", (const uint32_t[]){ID_A}, 1, 10000);
    uint64_t nodes = 0;
    CHECK(ward_dag_count(g->db, &nodes, &err));
    fuel_case(g, "count", (const uint32_t[]){COUNT}, 1, 10000 + 40 * nodes);
    fuel_case(g, "parents", (const uint32_t[]){ID_B, OUT, 4, COUNT}, 4, 15000 + 32);
    fuel_case(g, "children", (const uint32_t[]){ID_A, OUT, 4, COUNT}, 4, 15000 + 32 + 1000);
    uint32_t tips = 0;
    ward_dag_ids t = {0};
    CHECK(ward_dag_tips(g->db, 0, &t, &err));
    tips = (uint32_t)t.count;
    ward_dag_ids_free(&t);
    fuel_case(g, "tips", (const uint32_t[]){LIST, 64, COUNT}, 3, 15000 + tips * (32 + 1000));
    fuel_case(g, "walk", (const uint32_t[]){ID_B, 0, 3, 2, OUT, 8, COUNT}, 7, 15000 + 5000 * (1 + 3 * 2));
    /* is_ancestor(f0, f2) expands f2, then f1 (whose parent is f0): 2 nodes */
    fuel_case(g, "is_ancestor", (const uint32_t[]){ID_A, ID_B}, 2, 15000 + 2 * 15000);
    fuel_case(g, "is_ancestor", (const uint32_t[]){ID_B, ID_A}, 2, 15000); /* lower: no search */
    /* fuel for one node: the search stops at the second */
    ward_trap trap;
    bool trapped;
    ward_store_set_fuel(g->store, 2 + 2 + 15000 + 15000);
    call_n(g, "is_ancestor", (const uint32_t[]){ID_A, ID_B}, 2, &trap, &trapped);
    CHECK(trapped && trap.kind == WARD_TRAP_OUT_OF_FUEL);
    ward_store_disable_fuel(g->store);
}

/* A search past WARD_DAG_GUEST_SEARCH_MAX nodes stops with ELIMIT (a
 * chain just longer than the cap, its root asked from its tip). */
static void test_search_cap(guest *g)
{
    enum { N = WARD_DAG_GUEST_SEARCH_MAX + 10 };
    ward_dag_id root, prev, id;
    ward_db_error err;
    CHECK(ward_db_begin(g->db, &err));
    CHECK(ward_dag_put(g->db, (const uint8_t *)"deep", 4, NULL, 0, &root, NULL, &err));
    prev = root;
    for (uint32_t i = 1; i < N; i++) {
        uint8_t payload[4] = {(uint8_t)i, (uint8_t)(i >> 8), (uint8_t)(i >> 16), 'd'};
        if (!ward_dag_put(g->db, payload, sizeof payload, &prev, 1, &id, NULL, &err))
            break;
        prev = id;
    }
    CHECK(ward_db_commit(g->db, &err));
    memcpy(g->mem + ID_A, root.bytes, 32);
    memcpy(g->mem + ID_B, prev.bytes, 32);
    CHECK(CALL(g, "is_ancestor", ID_A, ID_B) == WARD_DAG_ELIMIT);
    bool yes = false;
    CHECK(ward_dag_is_ancestor(g->db, &root, &prev, &yes, &err) && yes); /* the C API has no cap */
}

int main(int argc, char **argv)
{
    guest g;
    if (argc != 2 || !guest_open(&g, argv[1])) {
        fprintf(stderr, "usage: test_guest_dag DIR (with dag_forward.wasm); setup failed\n");
        return 1;
    }
    test_nodes(&g);
    test_errors(&g);
    test_walk(&g);
    test_fuel(&g);
    test_ancestry(&g);
    test_search_cap(&g);
    guest_close(&g);
    return test_summary("guest_dag");
}
