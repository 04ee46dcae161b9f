/*
 * Huge pages for linear memory (src/runtime/memory.c, ward_config.huge_pages):
 * a memory of 2 MiB or more starts on a 2 MiB boundary and carries the
 * MADV_HUGEPAGE advice (the "hg" flag of its mapping in /proc/self/smaps);
 * with the option off it carries no advice.  Either way the memory behaves
 * exactly as before: zeros, accesses up to the last byte, growth, and a
 * trap one byte past the end.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../test.h"
#include "ward.h"

/*
 * (module
 *   (memory (export "memory") 64 512)
 *   (func (export "poke") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
 *   (func (export "peek") (param i32) (result i32) (i32.load (local.get 0)))
 *   (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
 */
static const uint8_t huge_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0b, 0x02, 0x60, 0x02, 0x7f, 0x7f, 0x00, 0x60, 0x01,
    0x7f, 0x01, 0x7f, 0x03, 0x04, 0x03, 0x00, 0x01, 0x01, 0x05, 0x05, 0x01, 0x01, 0x40, 0x80, 0x04, 0x07, 0x1f,
    0x04, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x04, 0x70, 0x6f, 0x6b, 0x65, 0x00, 0x00, 0x04,
    0x70, 0x65, 0x65, 0x6b, 0x00, 0x01, 0x04, 0x67, 0x72, 0x6f, 0x77, 0x00, 0x02, 0x0a, 0x1a, 0x03, 0x09, 0x00,
    0x20, 0x00, 0x20, 0x01, 0x36, 0x02, 0x00, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x28, 0x02, 0x00, 0x0b, 0x06, 0x00,
    0x20, 0x00, 0x40, 0x00, 0x0b,
};

#define MIB (1u << 20)

/* The VmFlags line of the mapping that holds addr: 1 when it has "hg",
 * 0 when not, -1 when /proc/self/smaps cannot tell (not Linux). */
static int advised_huge(const void *addr)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    if (!f)
        return -1;
    char line[512];
    bool inside = false;
    int found = -1;
    while (found < 0 && fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
            inside = (uintptr_t)addr >= lo && (uintptr_t)addr < hi;
        else if (inside && strncmp(line, "VmFlags:", 8) == 0)
            found = strstr(line, " hg") != NULL;
    }
    fclose(f);
    return found;
}

static int32_t call(ward_store *store, ward_instance *inst, const char *name, const ward_val *args,
                    size_t nargs, ward_result *rc)
{
    ward_func *f = ward_instance_func(inst, name);
    ward_functype t;
    ward_func_type(f, &t);
    ward_val out = {0};
    ward_trap trap;
    *rc = ward_call(store, f, args, nargs, &out, t.nresults, &trap);
    if (*rc == WARD_TRAP)
        return trap.kind == WARD_TRAP_OOB_MEMORY ? -2 : -3;
    return t.nresults ? (int32_t)out.of.i32 : 0;
}

static void poke(ward_store *s, ward_instance *inst, uint32_t addr, int32_t value, ward_result want)
{
    ward_val args[2] = {{.kind = WARD_I32, .of.i32 = (int32_t)addr}, {.kind = WARD_I32, .of.i32 = value}};
    ward_result rc;
    call(s, inst, "poke", args, 2, &rc);
    CHECK(rc == want);
}

static int32_t peek(ward_store *s, ward_instance *inst, uint32_t addr)
{
    ward_val arg = {.kind = WARD_I32, .of.i32 = (int32_t)addr};
    ward_result rc;
    return call(s, inst, "peek", &arg, 1, &rc);
}

static void check_memory(bool huge)
{
    ward_config cfg;
    ward_config_default(&cfg);
    CHECK(cfg.huge_pages); /* on by default */
    cfg.huge_pages = huge;
    ward_engine *engine = ward_engine_new(&cfg);
    ward_module *module = ward_module_new(engine, huge_wasm, sizeof huge_wasm, NULL);
    ward_store *store = ward_store_new(engine);
    ward_instance *inst = NULL;
    CHECK(module && ward_instantiate(store, module, NULL, &inst, NULL, NULL) == WARD_OK);
    uint8_t *data = ward_memory_data(ward_instance_memory(inst, "memory"));
    CHECK(data != NULL);
    if (huge)
        CHECK((uintptr_t)data % (2 * MIB) == 0);
    int advice = advised_huge(data);
    if (advice >= 0)
        CHECK(advice == (huge ? 1 : 0));
    else
        printf("memory_huge: /proc/self/smaps unreadable, advice not checked\n");

    CHECK(peek(store, inst, 4 * MIB - 4) == 0);
    poke(store, inst, 0, 7, WARD_OK);
    poke(store, inst, 4 * MIB - 4, 11, WARD_OK);
    CHECK(peek(store, inst, 0) == 7 && peek(store, inst, 4 * MIB - 4) == 11);
    CHECK(peek(store, inst, 4 * MIB - 3) == -2); /* one byte past the end traps */

    ward_val pages = {.kind = WARD_I32, .of.i32 = 100};
    ward_result rc;
    CHECK(call(store, inst, "grow", &pages, 1, &rc) == 64);
    uint32_t end = 164u * 65536;
    CHECK(peek(store, inst, end - 4) == 0);
    poke(store, inst, end - 4, 13, WARD_OK);
    CHECK(peek(store, inst, end - 4) == 13 && peek(store, inst, 4 * MIB - 4) == 11);
    poke(store, inst, end - 2, 1, WARD_TRAP);

    ward_store_free(store);
    ward_module_free(module);
    ward_engine_free(engine);
}

int main(void)
{
    check_memory(true);
    check_memory(false);
    return test_summary("memory_huge");
}
