/*
 * Loop idioms (src/interp/compile_idiom.c): the memcmp byte-compare loop
 * gets a MEMCMP_SKIP op in its plain code, and the function then returns
 * exactly what the loop itself computes, with the same trap and offset.
 * Three answers are compared for every case: the plain code (fuel off,
 * with the fast path), the metered code (fuel on, without it) and a C
 * model of the loop.  Cases: mismatches at every position around the
 * 8-byte steps, equal runs that end by the count, a count of 0 at entry
 * (2^32 iterations: the loop runs until a mismatch or the end of memory),
 * and both pointers running off the end of memory.
 *
 * The module (wat2wasm of this text):
 *   (module
 *     (memory (export "memory") 1)
 *     (func (export "cmp") (param i32 i32 i32) (result i32 i32 i32 i32 i32)
 *       (local i32 i32)
 *       block
 *         loop
 *           local.get 0 i32.load8_u local.tee 3
 *           local.get 1 i32.load8_u local.tee 4
 *           i32.ne br_if 1
 *           local.get 1 i32.const 1 i32.add local.set 1
 *           local.get 0 i32.const 1 i32.add local.set 0
 *           local.get 2 i32.const -1 i32.add local.tee 2 br_if 0
 *         end
 *       end
 *       local.get 0 local.get 1 local.get 2 local.get 3 local.get 4)
 *     (func (export "same_tee") ...the same loop with both tees to local 3,
 *       not the idiom's shape... (result i32) local.get 2))
 */
#define _GNU_SOURCE /* open_memstream */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../test.h"
#include "interp/exec.h"
#include "ward.h"

static const uint8_t idiom_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x13, 0x02, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x05,
    0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x01, 0x7f, 0x03, 0x03, 0x02, 0x00, 0x01,
    0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x1b, 0x03, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00,
    0x03, 0x63, 0x6d, 0x70, 0x00, 0x00, 0x08, 0x73, 0x61, 0x6d, 0x65, 0x5f, 0x74, 0x65, 0x65, 0x00, 0x01,
    0x0a, 0x73, 0x02, 0x3c, 0x01, 0x02, 0x7f, 0x02, 0x40, 0x03, 0x40, 0x20, 0x00, 0x2d, 0x00, 0x00, 0x22,
    0x03, 0x20, 0x01, 0x2d, 0x00, 0x00, 0x22, 0x04, 0x47, 0x0d, 0x01, 0x20, 0x01, 0x41, 0x01, 0x6a, 0x21,
    0x01, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x21, 0x00, 0x20, 0x02, 0x41, 0x7f, 0x6a, 0x22, 0x02, 0x0d, 0x00,
    0x0b, 0x0b, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0x20, 0x03, 0x20, 0x04, 0x0b, 0x34, 0x01, 0x01, 0x7f,
    0x02, 0x40, 0x03, 0x40, 0x20, 0x00, 0x2d, 0x00, 0x00, 0x22, 0x03, 0x20, 0x01, 0x2d, 0x00, 0x00, 0x22,
    0x03, 0x47, 0x0d, 0x01, 0x20, 0x01, 0x41, 0x01, 0x6a, 0x21, 0x01, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x21,
    0x00, 0x20, 0x02, 0x41, 0x7f, 0x6a, 0x22, 0x02, 0x0d, 0x00, 0x0b, 0x0b, 0x20, 0x02, 0x0b,
};

#define MEM_SIZE 65536u
#define OFFSET_LOAD_L 0x51u /* the two loads of "cmp" (wasm-objdump) */
#define OFFSET_LOAD_R 0x58u

/* What a call gave: the five locals, or a trap and its offset. */
typedef struct outcome {
    bool trapped;
    uint32_t offset;
    uint32_t v[5];
} outcome;

/* The loop, step by step, as the wasm code runs it. */
static outcome model(const uint8_t *mem, uint32_t l, uint32_t r, uint32_t n)
{
    outcome o = {0};
    uint32_t x = 0, y = 0;
    for (;;) {
        if (l >= MEM_SIZE)
            return (outcome){.trapped = true, .offset = OFFSET_LOAD_L};
        x = mem[l];
        if (r >= MEM_SIZE)
            return (outcome){.trapped = true, .offset = OFFSET_LOAD_R};
        y = mem[r];
        if (x != y)
            break;
        r++, l++, n--;
        if (!n)
            break;
    }
    o.v[0] = l, o.v[1] = r, o.v[2] = n, o.v[3] = x, o.v[4] = y;
    return o;
}

static outcome call_cmp(ward_store *store, ward_func *cmp, uint32_t l, uint32_t r, uint32_t n)
{
    ward_val args[3] = {{.kind = WARD_I32, .of.i32 = (int32_t)l}, {.kind = WARD_I32, .of.i32 = (int32_t)r},
                        {.kind = WARD_I32, .of.i32 = (int32_t)n}};
    ward_val res[5];
    ward_trap trap;
    outcome o = {0};
    if (ward_call(store, cmp, args, 3, res, 5, &trap) != WARD_OK) {
        o.trapped = true;
        o.offset = trap.kind == WARD_TRAP_OOB_MEMORY ? trap.offset : UINT32_MAX;
        return o;
    }
    for (int i = 0; i < 5; i++)
        o.v[i] = (uint32_t)res[i].of.i32;
    return o;
}

static bool same(outcome a, outcome b)
{
    return a.trapped == b.trapped && a.offset == b.offset && memcmp(a.v, b.v, sizeof a.v) == 0;
}

/* Does the plain code of f hold the fast path? */
static bool has_skip(ward_func *f)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    wir_dump(f->code, WVAR_PLAIN, out);
    fclose(out);
    bool found = text && strstr(text, "MEMCMP_SKIP") != NULL;
    free(text);
    return found;
}

static int cases, checked;

/* Run one case three ways. */
static void check_case(ward_store *store, ward_func *cmp, const uint8_t *mem, uint32_t l, uint32_t r, uint32_t n)
{
    outcome want = model(mem, l, r, n);
    ward_store_disable_fuel(store);
    outcome plain = call_cmp(store, cmp, l, r, n);
    ward_store_set_fuel(store, UINT64_C(1) << 40);
    outcome metered = call_cmp(store, cmp, l, r, n);
    ward_store_disable_fuel(store);
    cases++;
    if (same(plain, want) && same(metered, want)) {
        checked++;
        return;
    }
    CHECK(same(plain, want));
    CHECK(same(metered, want));
    fprintf(stderr, "  case l=%u r=%u n=%u: model %s %u,%u,%u; plain %s %u,%u,%u\n", l, r, n,
            want.trapped ? "trap" : "ok", want.v[0], want.v[1], want.v[2], plain.trapped ? "trap" : "ok",
            plain.v[0], plain.v[1], plain.v[2]);
}

int main(void)
{
    ward_engine *engine = ward_engine_new(NULL);
    ward_module *module = ward_module_new(engine, idiom_wasm, sizeof idiom_wasm, NULL);
    ward_store *store = ward_store_new(engine);
    ward_instance *inst = NULL;
    CHECK(module && ward_instantiate(store, module, NULL, &inst, NULL, NULL) == WARD_OK);
    ward_func *cmp = ward_instance_func(inst, "cmp");
    uint8_t *mem = ward_memory_data(ward_instance_memory(inst, "memory"));

    /* equal runs with one mismatch at k, k around the 8-byte steps */
    for (uint32_t i = 0; i < MEM_SIZE; i++)
        mem[i] = (uint8_t)(i * 7 % 251);
    memcpy(mem + 30000, mem + 1000, 5000);
    for (uint32_t k = 0; k < 40; k++) {
        mem[30000 + k] ^= 0x5a;
        for (uint32_t n = 1; n < 48; n += (n < 20 ? 1 : 7))
            check_case(store, cmp, mem, 1000, 30000, n);
        mem[30000 + k] ^= 0x5a;
    }
    /* no mismatch: the count ends it, long and short */
    uint32_t counts[] = {1, 2, 7, 8, 9, 16, 17, 4999, 5000};
    for (size_t i = 0; i < sizeof counts / sizeof *counts; i++)
        check_case(store, cmp, mem, 1000, 30000, counts[i]);
    /* a count of 0 is 2^32 iterations: ends at the mismatch after the copy */
    check_case(store, cmp, mem, 1000, 30000, 0);
    /* off the end of memory: l first, r first, both at once, a mismatch just before */
    memcpy(mem + MEM_SIZE - 300, mem + MEM_SIZE - 600, 300);
    check_case(store, cmp, mem, MEM_SIZE - 600, MEM_SIZE - 300, 0);
    check_case(store, cmp, mem, MEM_SIZE - 300, MEM_SIZE - 600, 0);
    check_case(store, cmp, mem, MEM_SIZE - 600, MEM_SIZE - 300, 1000);
    check_case(store, cmp, mem, MEM_SIZE - 600, MEM_SIZE - 300, 300);
    check_case(store, cmp, mem, MEM_SIZE, 5, 3);
    check_case(store, cmp, mem, 5, MEM_SIZE + 7u, 3);
    check_case(store, cmp, mem, 5, 5, 0); /* the same bytes: runs to the end */
    mem[MEM_SIZE - 1] ^= 1;
    check_case(store, cmp, mem, MEM_SIZE - 600, MEM_SIZE - 300, 0);
    CHECK(checked == cases);
    printf("memcmp loop: %d cases, plain = metered = model in %d\n", cases, checked);

    /* the fast path is really there, and only for the idiom's shape */
    CHECK(has_skip(cmp));
    CHECK(!has_skip(ward_instance_func(inst, "same_tee")));

    ward_store_free(store);
    ward_module_free(module);
    ward_engine_free(engine);
    return test_summary("idiom");
}
