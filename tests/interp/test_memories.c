/*
 * Multi-memory and memory64 (docs/interpreter.md, "Memories"): accesses to
 * memory 0 of i32 addresses keep their fast forms, every other memory
 * takes the _N forms (scalar, SIMD, atomics) and memory.size/grow/copy/
 * fill/init work on any memory, with operands of each memory's index
 * type.  Checked with fuel off and on (metered code: the same fuel as the
 * same code on memory 0, traps included).
 *
 * mems_wasm is wat2wasm --enable-multi-memory --enable-memory64
 * --enable-threads of:
 *   (module
 *     (memory 1)
 *     (memory i64 1 3)
 *     (memory 2 4)
 *     (data (memory 1) (i64.const 16) "hello")
 *     (data "PASSIVE")
 *     (func (export "load0") (param i32) (result i32) (i32.load 0 (local.get 0)))
 *     (func (export "store0") (param i32 i32) (i32.store 0 (local.get 0) (local.get 1)))
 *     (func (export "load1") (param i64) (result i32) (i32.load 1 (local.get 0)))
 *     (func (export "load1_off") (param i64) (result i32) (i32.load 1 offset=16 (local.get 0)))
 *     (func (export "load1_u8") (param i64) (result i64) (i64.load8_u 1 (local.get 0)))
 *     (func (export "store1") (param i64 i32) (i32.store 1 (local.get 0) (local.get 1)))
 *     (func (export "store1_off") (param i64 i64) (i64.store 1 offset=16 (local.get 0) (local.get 1)))
 *     (func (export "store1_const") (param i64) (i32.store8 1 (local.get 0) (i32.const 0x41)))
 *     (func (export "load1_huge") (param i64) (result i32) (i32.load 1 offset=0xffffffff (local.get 0)))
 *     (func (export "load2") (param i32) (result i64) (i64.load 2 offset=8 (local.get 0)))
 *     (func (export "store2") (param i32 i64) (i64.store 2 offset=8 (local.get 0) (local.get 1)))
 *     (func (export "size1") (result i64) (memory.size 1))
 *     (func (export "size2") (result i32) (memory.size 2))
 *     (func (export "grow1") (param i64) (result i64) (memory.grow 1 (local.get 0)))
 *     (func (export "grow2") (param i32) (result i32) (memory.grow 2 (local.get 0)))
 *     (func (export "copy_0_to_1") (param i64 i32 i32) (memory.copy 1 0 (local.get 0) (local.get 1) (local.get 2)))
 *     (func (export "copy_1_to_0") (param i32 i64 i32) (memory.copy 0 1 (local.get 0) (local.get 1) (local.get 2)))
 *     (func (export "copy_1_to_1") (param i64 i64 i64) (memory.copy 1 1 (local.get 0) (local.get 1) (local.get 2)))
 *     (func (export "copy_2_to_0") (param i32 i32 i32) (memory.copy 0 2 (local.get 0) (local.get 1) (local.get 2)))
 *     (func (export "fill1") (param i64 i32 i64) (memory.fill 1 (local.get 0) (local.get 1) (local.get 2)))
 *     (func (export "fill2") (param i32 i32 i32) (memory.fill 2 (local.get 0) (local.get 1) (local.get 2)))
 *     (func (export "init1") (param i64 i32 i32) (memory.init 1 1 (local.get 0) (local.get 1) (local.get 2)))
 *     (func (export "init2") (param i32 i32 i32) (memory.init 2 1 (local.get 0) (local.get 1) (local.get 2)))
 *     (func (export "v128_1") (param i64) (result i32)
 *       (i32x4.extract_lane 1 (v128.load 1 (local.get 0))))
 *     (func (export "v128_copy") (param i64 i32)
 *       (v128.store 2 (local.get 1) (v128.load 1 (local.get 0))))
 *     (func (export "lane_1") (param i64) (result i64)
 *       (i64x2.extract_lane 1 (v128.load64_lane 1 1 (local.get 0) (v128.const i64x2 0 0))))
 *     (func (export "atomic_add1") (param i64 i32) (result i32)
 *       (i32.atomic.rmw.add 1 (local.get 0) (local.get 1)))
 *     (func (export "atomic_load2") (param i32) (result i64) (i64.atomic.load 2 (local.get 0)))
 *   )
 * imp_wasm is wat2wasm --enable-memory64 of:
 *   (module
 *     (import "env" "m" (memory i64 1))
 *     (func (export "size") (result i64) (memory.size))
 *     (func (export "load") (param i64) (result i32) (i32.load8_u (local.get 0))))
 */
#define _GNU_SOURCE /* open_memstream */
#include <stdint.h>
#include <stdlib.h>

#include "../test.h"
#include "../test_wat.h"
#include "interp/exec.h"
#include "ward.h"

static const uint8_t mems_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x59, 0x11, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60,
    0x02, 0x7f, 0x7f, 0x00, 0x60, 0x01, 0x7e, 0x01, 0x7f, 0x60, 0x01, 0x7e, 0x01, 0x7e, 0x60, 0x02, 0x7e,
    0x7f, 0x00, 0x60, 0x02, 0x7e, 0x7e, 0x00, 0x60, 0x01, 0x7e, 0x00, 0x60, 0x01, 0x7f, 0x01, 0x7e, 0x60,
    0x02, 0x7f, 0x7e, 0x00, 0x60, 0x00, 0x01, 0x7e, 0x60, 0x00, 0x01, 0x7f, 0x60, 0x03, 0x7e, 0x7f, 0x7f,
    0x00, 0x60, 0x03, 0x7f, 0x7e, 0x7f, 0x00, 0x60, 0x03, 0x7e, 0x7e, 0x7e, 0x00, 0x60, 0x03, 0x7f, 0x7f,
    0x7f, 0x00, 0x60, 0x03, 0x7e, 0x7f, 0x7e, 0x00, 0x60, 0x02, 0x7e, 0x7f, 0x01, 0x7f, 0x03, 0x1d, 0x1c,
    0x00, 0x01, 0x02, 0x02, 0x03, 0x04, 0x05, 0x06, 0x02, 0x07, 0x08, 0x09, 0x0a, 0x03, 0x00, 0x0b, 0x0c,
    0x0d, 0x0e, 0x0f, 0x0e, 0x0b, 0x0e, 0x02, 0x04, 0x03, 0x10, 0x07, 0x05, 0x09, 0x03, 0x00, 0x01, 0x05,
    0x01, 0x03, 0x01, 0x02, 0x04, 0x07, 0xa7, 0x02, 0x1c, 0x05, 0x6c, 0x6f, 0x61, 0x64, 0x30, 0x00, 0x00,
    0x06, 0x73, 0x74, 0x6f, 0x72, 0x65, 0x30, 0x00, 0x01, 0x05, 0x6c, 0x6f, 0x61, 0x64, 0x31, 0x00, 0x02,
    0x09, 0x6c, 0x6f, 0x61, 0x64, 0x31, 0x5f, 0x6f, 0x66, 0x66, 0x00, 0x03, 0x08, 0x6c, 0x6f, 0x61, 0x64,
    0x31, 0x5f, 0x75, 0x38, 0x00, 0x04, 0x06, 0x73, 0x74, 0x6f, 0x72, 0x65, 0x31, 0x00, 0x05, 0x0a, 0x73,
    0x74, 0x6f, 0x72, 0x65, 0x31, 0x5f, 0x6f, 0x66, 0x66, 0x00, 0x06, 0x0c, 0x73, 0x74, 0x6f, 0x72, 0x65,
    0x31, 0x5f, 0x63, 0x6f, 0x6e, 0x73, 0x74, 0x00, 0x07, 0x0a, 0x6c, 0x6f, 0x61, 0x64, 0x31, 0x5f, 0x68,
    0x75, 0x67, 0x65, 0x00, 0x08, 0x05, 0x6c, 0x6f, 0x61, 0x64, 0x32, 0x00, 0x09, 0x06, 0x73, 0x74, 0x6f,
    0x72, 0x65, 0x32, 0x00, 0x0a, 0x05, 0x73, 0x69, 0x7a, 0x65, 0x31, 0x00, 0x0b, 0x05, 0x73, 0x69, 0x7a,
    0x65, 0x32, 0x00, 0x0c, 0x05, 0x67, 0x72, 0x6f, 0x77, 0x31, 0x00, 0x0d, 0x05, 0x67, 0x72, 0x6f, 0x77,
    0x32, 0x00, 0x0e, 0x0b, 0x63, 0x6f, 0x70, 0x79, 0x5f, 0x30, 0x5f, 0x74, 0x6f, 0x5f, 0x31, 0x00, 0x0f,
    0x0b, 0x63, 0x6f, 0x70, 0x79, 0x5f, 0x31, 0x5f, 0x74, 0x6f, 0x5f, 0x30, 0x00, 0x10, 0x0b, 0x63, 0x6f,
    0x70, 0x79, 0x5f, 0x31, 0x5f, 0x74, 0x6f, 0x5f, 0x31, 0x00, 0x11, 0x0b, 0x63, 0x6f, 0x70, 0x79, 0x5f,
    0x32, 0x5f, 0x74, 0x6f, 0x5f, 0x30, 0x00, 0x12, 0x05, 0x66, 0x69, 0x6c, 0x6c, 0x31, 0x00, 0x13, 0x05,
    0x66, 0x69, 0x6c, 0x6c, 0x32, 0x00, 0x14, 0x05, 0x69, 0x6e, 0x69, 0x74, 0x31, 0x00, 0x15, 0x05, 0x69,
    0x6e, 0x69, 0x74, 0x32, 0x00, 0x16, 0x06, 0x76, 0x31, 0x32, 0x38, 0x5f, 0x31, 0x00, 0x17, 0x09, 0x76,
    0x31, 0x32, 0x38, 0x5f, 0x63, 0x6f, 0x70, 0x79, 0x00, 0x18, 0x06, 0x6c, 0x61, 0x6e, 0x65, 0x5f, 0x31,
    0x00, 0x19, 0x0b, 0x61, 0x74, 0x6f, 0x6d, 0x69, 0x63, 0x5f, 0x61, 0x64, 0x64, 0x31, 0x00, 0x1a, 0x0c,
    0x61, 0x74, 0x6f, 0x6d, 0x69, 0x63, 0x5f, 0x6c, 0x6f, 0x61, 0x64, 0x32, 0x00, 0x1b, 0x0c, 0x01, 0x02,
    0x0a, 0xc3, 0x02, 0x1c, 0x07, 0x00, 0x20, 0x00, 0x28, 0x02, 0x00, 0x0b, 0x09, 0x00, 0x20, 0x00, 0x20,
    0x01, 0x36, 0x02, 0x00, 0x0b, 0x08, 0x00, 0x20, 0x00, 0x28, 0x42, 0x01, 0x00, 0x0b, 0x08, 0x00, 0x20,
    0x00, 0x28, 0x42, 0x01, 0x10, 0x0b, 0x08, 0x00, 0x20, 0x00, 0x31, 0x40, 0x01, 0x00, 0x0b, 0x0a, 0x00,
    0x20, 0x00, 0x20, 0x01, 0x36, 0x42, 0x01, 0x00, 0x0b, 0x0a, 0x00, 0x20, 0x00, 0x20, 0x01, 0x37, 0x43,
    0x01, 0x10, 0x0b, 0x0b, 0x00, 0x20, 0x00, 0x41, 0xc1, 0x00, 0x3a, 0x40, 0x01, 0x00, 0x0b, 0x0c, 0x00,
    0x20, 0x00, 0x28, 0x42, 0x01, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x0b, 0x08, 0x00, 0x20, 0x00, 0x29, 0x43,
    0x02, 0x08, 0x0b, 0x0a, 0x00, 0x20, 0x00, 0x20, 0x01, 0x37, 0x43, 0x02, 0x08, 0x0b, 0x04, 0x00, 0x3f,
    0x01, 0x0b, 0x04, 0x00, 0x3f, 0x02, 0x0b, 0x06, 0x00, 0x20, 0x00, 0x40, 0x01, 0x0b, 0x06, 0x00, 0x20,
    0x00, 0x40, 0x02, 0x0b, 0x0c, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfc, 0x0a, 0x01, 0x00, 0x0b,
    0x0c, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfc, 0x0a, 0x00, 0x01, 0x0b, 0x0c, 0x00, 0x20, 0x00,
    0x20, 0x01, 0x20, 0x02, 0xfc, 0x0a, 0x01, 0x01, 0x0b, 0x0c, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02,
    0xfc, 0x0a, 0x00, 0x02, 0x0b, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfc, 0x0b, 0x01, 0x0b,
    0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfc, 0x0b, 0x02, 0x0b, 0x0c, 0x00, 0x20, 0x00, 0x20,
    0x01, 0x20, 0x02, 0xfc, 0x08, 0x01, 0x01, 0x0b, 0x0c, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfc,
    0x08, 0x01, 0x02, 0x0b, 0x0c, 0x00, 0x20, 0x00, 0xfd, 0x00, 0x44, 0x01, 0x00, 0xfd, 0x1b, 0x01, 0x0b,
    0x10, 0x00, 0x20, 0x01, 0x20, 0x00, 0xfd, 0x00, 0x44, 0x01, 0x00, 0xfd, 0x0b, 0x44, 0x02, 0x00, 0x0b,
    0x1f, 0x00, 0x20, 0x00, 0xfd, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0xfd, 0x57, 0x43, 0x01, 0x00, 0x01, 0xfd, 0x1d, 0x01, 0x0b, 0x0b, 0x00,
    0x20, 0x00, 0x20, 0x01, 0xfe, 0x1e, 0x42, 0x01, 0x00, 0x0b, 0x09, 0x00, 0x20, 0x00, 0xfe, 0x11, 0x43,
    0x02, 0x00, 0x0b, 0x0b, 0x15, 0x02, 0x02, 0x01, 0x42, 0x10, 0x0b, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f,
    0x01, 0x07, 0x50, 0x41, 0x53, 0x53, 0x49, 0x56, 0x45,
};

static const uint8_t imp_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0a, 0x02, 0x60, 0x00, 0x01, 0x7e, 0x60, 0x01,
    0x7e, 0x01, 0x7f, 0x02, 0x0a, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x6d, 0x02, 0x04, 0x01, 0x03, 0x03,
    0x02, 0x00, 0x01, 0x07, 0x0f, 0x02, 0x04, 0x73, 0x69, 0x7a, 0x65, 0x00, 0x00, 0x04, 0x6c, 0x6f, 0x61,
    0x64, 0x00, 0x01, 0x0a, 0x0e, 0x02, 0x04, 0x00, 0x3f, 0x00, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x2d, 0x00,
    0x00, 0x0b,
};

#define PAGE 65536ull
#define HELL 0x6c6c6568u /* "hell", little-endian */

typedef struct fixture {
    ward_engine *engine;
    ward_store *store;
    ward_module *module;
    ward_instance *inst;
} fixture;

static bool setup(fixture *fx)
{
    memset(fx, 0, sizeof *fx);
    ward_config cfg;
    ward_config_default(&cfg);
    cfg.multi_memory = true;
    cfg.memory64 = true;
    cfg.threads = true;
    ward_error err = {0};
    ward_trap trap;
    fx->engine = ward_engine_new(&cfg);
    fx->store = ward_store_new(fx->engine);
    fx->module = ward_module_new(fx->engine, mems_wasm, sizeof mems_wasm, &err);
    CHECK_MSG(fx->module != NULL, "%s", err.message);
    bool ok = fx->module && ward_instantiate(fx->store, fx->module, NULL, &fx->inst, &err, &trap) == WARD_OK;
    CHECK_MSG(ok, "instantiation: %s", err.message);
    return ok;
}

static void teardown(fixture *fx)
{
    ward_store_free(fx->store);
    ward_module_free(fx->module);
    ward_engine_free(fx->engine);
}

/* Call name with up to three arguments; *out gets the result (0 if none). */
static ward_result call(fixture *fx, const char *name, const ward_val *args, size_t nargs, uint64_t *out,
                        ward_trap *trap)
{
    ward_func *f = ward_instance_func(fx->inst, name);
    ward_functype type;
    ward_func_type(f, &type);
    ward_val result = {0};
    memset(trap, 0, sizeof *trap);
    ward_result r = ward_call(fx->store, f, args, nargs, &result, type.nresults, trap);
    *out = result.kind == WARD_I32 ? result.of.i32 : result.of.i64;
    return r;
}

#define I32(v) ward_val_i32((int32_t)(v))
#define I64(v) ward_val_i64((int64_t)(v))

/* The call returns want. */
#define EXPECT(fx, name, want, ...)                                                                        \
    do {                                                                                                   \
        ward_val args_[] = {__VA_ARGS__};                                                                  \
        uint64_t got_ = 0;                                                                                 \
        ward_trap trap_;                                                                                   \
        ward_result r_ = call((fx), (name), args_, sizeof args_ / sizeof *args_, &got_, &trap_);           \
        CHECK_MSG(r_ == WARD_OK && got_ == (uint64_t)(want), "%s: result %d %s, got 0x%llx, want 0x%llx", \
                  (name), r_, trap_.message, (unsigned long long)got_, (unsigned long long)(want));        \
    } while (0)
/* The call traps with kind. */
#define EXPECT_TRAP(fx, name, want_kind, ...)                                                          \
    do {                                                                                          \
        ward_val args_[] = {__VA_ARGS__};                                                         \
        uint64_t got_ = 0;                                                                        \
        ward_trap trap_;                                                                          \
        ward_result r_ = call((fx), (name), args_, sizeof args_ / sizeof *args_, &got_, &trap_);  \
        CHECK_MSG(r_ == WARD_TRAP && trap_.kind == (want_kind), "%s: result %d, trap %d (%s)", (name), \
                  r_, trap_.kind, trap_.message);                                                 \
    } while (0)
#define NOARG I32(0)

/* Accesses to three memories are independent; data segments land in
 * memory 1 (i64), offsets apply. */
static void test_separate_memories(fixture *fx)
{
    EXPECT(fx, "store0", 0, I32(0), I32(7));
    EXPECT(fx, "store1", 0, I64(0), I32(9));
    EXPECT(fx, "store2", 0, I32(0), I64(0x1122334455667788ll));
    EXPECT(fx, "load0", 7, I32(0));
    EXPECT(fx, "load1", 9, I64(0));
    EXPECT(fx, "load2", 0x1122334455667788ll, I32(0));
    EXPECT(fx, "load1", HELL, I64(16));
    EXPECT(fx, "load1_off", HELL, I64(0));
    EXPECT(fx, "load1_u8", 'e', I64(17));
    EXPECT(fx, "store1_const", 0, I64(100));
    EXPECT(fx, "load1_u8", 0x41, I64(100));
    EXPECT(fx, "load0", 0, I32(100));
    EXPECT(fx, "store1_off", 0, I64(0x20), I64(-1));
    EXPECT(fx, "load1_u8", 0xff, I64(0x37));
}

/* i64 addresses: the last in-bounds word, one byte past it, 2^32 (which
 * a truncation to 32 bits would read as 0), addresses whose sum with the
 * offset passes 2^64 (which a wrapping sum would read as 0). */
static void test_i64_bounds(fixture *fx)
{
    EXPECT(fx, "store1", 0, I64(PAGE - 4), I32(0x5a5a5a5a));
    EXPECT(fx, "load1", 0x5a5a5a5a, I64(PAGE - 4));
    EXPECT_TRAP(fx, "load1", WARD_TRAP_OOB_MEMORY, I64(PAGE - 3));
    EXPECT_TRAP(fx, "load1", WARD_TRAP_OOB_MEMORY, I64(1ull << 32));
    EXPECT_TRAP(fx, "store1", WARD_TRAP_OOB_MEMORY, I64(1ull << 32), I32(1));
    EXPECT_TRAP(fx, "load1_u8", WARD_TRAP_OOB_MEMORY, I64(UINT64_MAX));
    EXPECT_TRAP(fx, "load1_off", WARD_TRAP_OOB_MEMORY, I64(UINT64_MAX - 15)); /* + 16 = 2^64 */
    EXPECT_TRAP(fx, "load1_off", WARD_TRAP_OOB_MEMORY, I64(UINT64_MAX - 19));
    EXPECT_TRAP(fx, "store1_off", WARD_TRAP_OOB_MEMORY, I64(UINT64_MAX - 15), I64(1));
    EXPECT_TRAP(fx, "load1_huge", WARD_TRAP_OOB_MEMORY, I64(0));
    EXPECT(fx, "load1_off", 0x5a5a5a5a, I64(PAGE - 20));
    EXPECT_TRAP(fx, "load1_off", WARD_TRAP_OOB_MEMORY, I64(PAGE - 19));
    EXPECT(fx, "load1", 9, I64(0)); /* nothing was written at the wrapped addresses */
    /* memory 2 is i32 but not memory 0: the _N form with u32 addresses */
    EXPECT(fx, "load2", 0, I32(2 * PAGE - 16));
    EXPECT_TRAP(fx, "load2", WARD_TRAP_OOB_MEMORY, I32(2 * PAGE - 15));
    EXPECT_TRAP(fx, "load2", WARD_TRAP_OOB_MEMORY, I32(UINT32_MAX));
}

/* memory.size and memory.grow in each memory's index type: an i64 -1 and
 * an i32 -1 on failure, the maximum respected, a delta that no 32-bit
 * truncation may shrink. */
static void test_grow(fixture *fx)
{
    EXPECT(fx, "size1", 1);
    EXPECT(fx, "size2", 2);
    EXPECT(fx, "grow1", 1, I64(1));
    EXPECT(fx, "size1", 2);
    EXPECT(fx, "grow1", UINT64_MAX, I64(2)); /* max 3 */
    EXPECT(fx, "grow1", UINT64_MAX, I64((1ull << 32) + 1)); /* +1 after a truncation */
    EXPECT(fx, "grow1", UINT64_MAX, I64(UINT64_MAX));
    EXPECT(fx, "grow1", 2, I64(1));
    EXPECT(fx, "size1", 3);
    EXPECT(fx, "load1", 0, I64(3 * PAGE - 4));
    EXPECT_TRAP(fx, "load1", WARD_TRAP_OOB_MEMORY, I64(3 * PAGE - 3));
    EXPECT(fx, "grow2", UINT32_MAX, I32(3)); /* max 4: an i32 -1 */
    EXPECT(fx, "grow2", 2, I32(2));
    EXPECT(fx, "size2", 4);
    EXPECT(fx, "grow2", 4, I32(0));
    EXPECT(fx, "size1", 3); /* the other memories did not move */
    EXPECT(fx, "load1", HELL, I64(16));
}

/* memory.copy across memories of both index types (n is i32 unless both
 * are i64), memory.fill with an i64 length, memory.init into memories 1
 * and 2; every range checked whole before anything is written. */
static void test_bulk(fixture *fx)
{
    EXPECT(fx, "store0", 0, I32(0), I32(0x04030201));
    EXPECT(fx, "copy_0_to_1", 0, I64(0x100), I32(0), I32(4));
    EXPECT(fx, "load1", 0x04030201, I64(0x100));
    EXPECT(fx, "copy_1_to_0", 0, I32(0x200), I64(16), I32(5));
    EXPECT(fx, "load0", HELL, I32(0x200));
    EXPECT_TRAP(fx, "copy_1_to_0", WARD_TRAP_OOB_MEMORY, I32(0x300), I64((1ull << 32) + 16), I32(4));
    EXPECT_TRAP(fx, "copy_0_to_1", WARD_TRAP_OOB_MEMORY, I64(UINT64_MAX - 1), I32(0), I32(4));
    EXPECT_TRAP(fx, "copy_1_to_0", WARD_TRAP_OOB_MEMORY, I32(PAGE - 2), I64(16), I32(4));
    EXPECT(fx, "load0", 0, I32(PAGE - 4)); /* no partial write */
    EXPECT(fx, "copy_1_to_1", 0, I64(17), I64(16), I64(5)); /* overlapping: memmove */
    EXPECT(fx, "load1", 0x6c656868u, I64(16)); /* "hhel" */
    EXPECT_TRAP(fx, "copy_1_to_1", WARD_TRAP_OOB_MEMORY, I64(0), I64(0), I64(1ull << 63));
    EXPECT(fx, "copy_1_to_1", 0, I64(3 * PAGE), I64(0), I64(0)); /* empty at the end */
    EXPECT_TRAP(fx, "copy_1_to_1", WARD_TRAP_OOB_MEMORY, I64(3 * PAGE + 1), I64(0), I64(0));
    EXPECT(fx, "store2", 0, I32(0), I64(0x0807060504030201ll));
    EXPECT(fx, "copy_2_to_0", 0, I32(0x400), I32(8), I32(8));
    EXPECT(fx, "load0", 0x04030201, I32(0x400));

    EXPECT(fx, "fill1", 0, I64(0x30), I32(0xab), I64(4));
    EXPECT(fx, "load1", 0xabababab, I64(0x30));
    EXPECT_TRAP(fx, "fill1", WARD_TRAP_OOB_MEMORY, I64(0), I32(0), I64(UINT64_MAX));
    EXPECT_TRAP(fx, "fill1", WARD_TRAP_OOB_MEMORY, I64(1ull << 40), I32(0), I64(0));
    EXPECT(fx, "fill1", 0, I64(3 * PAGE), I32(0), I64(0));
    EXPECT(fx, "fill2", 0, I32(8), I32(0xcd), I32(2));
    EXPECT(fx, "load2", 0x080706050403cdcdull, I32(0));

    EXPECT(fx, "init1", 0, I64(0x500), I32(0), I32(7));
    EXPECT(fx, "load1", 0x53534150u, I64(0x500)); /* "PASS" */
    EXPECT_TRAP(fx, "init1", WARD_TRAP_OOB_MEMORY, I64(1ull << 32), I32(0), I32(1));
    EXPECT_TRAP(fx, "init1", WARD_TRAP_OOB_MEMORY, I64(0), I32(4), I32(4));
    EXPECT(fx, "init2", 0, I32(8), I32(3), I32(4));
    EXPECT(fx, "load2", 0x0807060545564953ull, I32(0)); /* "SIVE" over the stored bytes */
}

/* SIMD loads, stores and lane loads on an i64 memory and an i32 memory
 * other than memory 0. */
static void test_simd(fixture *fx)
{
    EXPECT(fx, "fill1", 0, I64(0x40), I32(0), I64(32));
    EXPECT(fx, "init1", 0, I64(0x44), I32(0), I32(7)); /* bytes 0x44..0x4a */
    EXPECT(fx, "v128_1", 0x53534150u, I64(0x40));
    EXPECT(fx, "v128_1", 0x53534150u, I64(0x40));
    EXPECT(fx, "v128_1", 0, I64(3 * PAGE - 16)); /* grown to 3 pages */
    EXPECT_TRAP(fx, "v128_1", WARD_TRAP_OOB_MEMORY, I64(3 * PAGE - 15));
    EXPECT_TRAP(fx, "v128_1", WARD_TRAP_OOB_MEMORY, I64(1ull << 32));
    EXPECT(fx, "v128_copy", 0, I64(0x40), I32(0));
    EXPECT(fx, "load2", 0x455649, I32(0)); /* bytes 8..15 of the copy: "IVE" */
    EXPECT_TRAP(fx, "v128_copy", WARD_TRAP_OOB_MEMORY, I64(0x44), I32(4 * PAGE - 15));
    EXPECT(fx, "lane_1", 0x0045564953534150ll, I64(0x44));
    EXPECT_TRAP(fx, "lane_1", WARD_TRAP_OOB_MEMORY, I64(UINT64_MAX - 3));
}

/* Atomics: alignment first, then bounds, on memory 1 (i64) and 2. */
static void test_atomics(fixture *fx)
{
    EXPECT(fx, "atomic_add1", 0, I64(0x80), I32(5));
    EXPECT(fx, "atomic_add1", 5, I64(0x80), I32(1));
    EXPECT(fx, "load1", 6, I64(0x80));
    EXPECT_TRAP(fx, "atomic_add1", WARD_TRAP_UNALIGNED_ATOMIC, I64(0x81), I32(1));
    EXPECT_TRAP(fx, "atomic_add1", WARD_TRAP_OOB_MEMORY, I64(1ull << 32), I32(1));
    EXPECT_TRAP(fx, "atomic_add1", WARD_TRAP_OOB_MEMORY, I64(UINT64_MAX - 3), I32(1));
    EXPECT(fx, "store2", 0, I32(8), I64(42));
    EXPECT(fx, "atomic_load2", 42, I32(16));
    EXPECT_TRAP(fx, "atomic_load2", WARD_TRAP_UNALIGNED_ATOMIC, I32(4));
    EXPECT_TRAP(fx, "atomic_load2", WARD_TRAP_OOB_MEMORY, I32(4 * PAGE)); /* grown to 4 */
}

/* The translator's choice: memory 0 of i32 keeps the fast forms, the
 * others take _N. */
static void test_forms(fixture *fx)
{
    static const struct {
        const char *func, *op;
    } cases[] = {{"load0", "I32_LOAD "}, {"load1", "I32_LOAD_N"}, {"load2", "I64_LOAD_N"},
                 {"store1_const", "I32_STORE8_N"}, {"grow1", "MEMORY_GROW_N"}, {"copy_2_to_0", "MEMORY_COPY_N"},
                 {"v128_copy", "V128_STORE_N"}, {"atomic_add1", "I32_ATOMIC_RMW_ADD_N"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *text = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&text, &len);
        wir_dump(ward_instance_func(fx->inst, cases[i].func)->code, WVAR_PLAIN, out);
        fclose(out);
        CHECK_MSG(text && strstr(text, cases[i].op), "%s lacks %s:\n%s", cases[i].func, cases[i].op, text);
        free(text);
    }
}

/* Fuel of the _N forms is that of the same code on memory 0: a call
 * that completes and one that traps at the access cost the same. */
static void test_fuel(fixture *fx)
{
    uint64_t used[4];
    const char *names[4] = {"load0", "load1", "load0", "load1"};
    ward_val args[4] = {I32(4), I64(4), I32(PAGE), I64(3 * PAGE)}; /* memory 1 grew to 3 pages */
    for (int i = 0; i < 4; i++) {
        ward_store_set_fuel(fx->store, 1000);
        uint64_t got;
        ward_trap trap;
        ward_result r = call(fx, names[i], &args[i], 1, &got, &trap);
        CHECK(r == (i < 2 ? WARD_OK : WARD_TRAP));
        used[i] = ward_store_fuel_consumed(fx->store);
    }
    CHECK_MSG(used[0] == used[1] && used[2] == used[3] && used[0] > 0, "fuel %llu %llu %llu %llu",
              (unsigned long long)used[0], (unsigned long long)used[1], (unsigned long long)used[2],
              (unsigned long long)used[3]);
    /* one unit short of the completed call: out of fuel, not a result */
    ward_store_set_fuel(fx->store, used[1] - 1);
    EXPECT_TRAP(fx, "load1", WARD_TRAP_OUT_OF_FUEL, I64(4));
    ward_store_disable_fuel(fx->store);
}

/* Instantiate imp_wasm with memory m as env.m; the result. */
static ward_result instantiate_importing(ward_store *store, const ward_module *module, ward_memory *m,
                                         ward_instance **inst, ward_error *err)
{
    ward_linker *linker = ward_linker_new();
    ward_trap trap;
    ward_result r = linker ? ward_linker_define_memory(linker, "env", "m", m) : WARD_ERROR;
    if (r == WARD_OK)
        r = ward_instantiate(store, module, linker, inst, err, &trap);
    ward_linker_free(linker);
    return r;
}

/* The embedding API of memory64: a host-made i64 memory, its type and
 * growth in 64-bit terms, import types that say is64, and import matching
 * on the index type. */
static void test_api(void)
{
    ward_config cfg;
    ward_config_default(&cfg);
    cfg.memory64 = true;
    ward_engine *engine = ward_engine_new(&cfg);
    ward_store *store = ward_store_new(engine);
    ward_error err = {0};
    ward_module *module = ward_module_new(engine, imp_wasm, sizeof imp_wasm, &err);
    CHECK_MSG(module != NULL, "%s", err.message);
    ward_externtype it;
    CHECK(module && ward_module_import_type(module, 0, &it) && it.kind == WARD_EXTERN_MEMORY && it.of.memory.is64 &&
          it.of.memory.min_pages == 1 && !it.of.memory.has_max);

    ward_memorytype type = {.min_pages = 1, .max_pages = 3, .has_max = true, .is64 = true};
    ward_memory *m64 = ward_memory_new_typed(store, &type);
    CHECK(m64 != NULL);
    ward_memorytype got;
    ward_memory_type(m64, &got);
    CHECK(got.is64 && got.min_pages == 1 && got.has_max && got.max_pages == 3 && !got.shared);
    CHECK(ward_memory_grow(m64, 1) == 1);
    CHECK(ward_memory_grow(m64, 2) == -1); /* past the maximum */
    CHECK(ward_memory_grow(m64, UINT64_MAX) == -1);
    CHECK(ward_memory_size(m64) == 2 * PAGE);
    ward_memory_type(m64, &got);
    CHECK(got.min_pages == 2);
    ward_memory_data(m64)[2 * PAGE - 1] = 0x77;

    ward_instance *inst = NULL;
    CHECK(ward_instantiate(store, module, NULL, &inst, &err, &(ward_trap){0}) == WARD_ERROR);
    CHECK(instantiate_importing(store, module, m64, &inst, &err) == WARD_OK);
    if (inst) {
        ward_val arg = ward_val_i64((int64_t)(2 * PAGE - 1)), res;
        ward_trap trap;
        CHECK(ward_call(store, ward_instance_func(inst, "size"), NULL, 0, &res, 1, &trap) == WARD_OK &&
              res.kind == WARD_I64 && res.of.i64 == 2);
        CHECK(ward_call(store, ward_instance_func(inst, "load"), &arg, 1, &res, 1, &trap) == WARD_OK &&
              res.of.i32 == 0x77);
    }

    /* an i32 memory does not match an i64 import */
    ward_memory *m32 = ward_memory_new(store, 1, 3, true);
    ward_memory_type(m32, &got);
    CHECK(m32 && !got.is64);
    ward_instance *other = NULL;
    memset(&err, 0, sizeof err);
    CHECK(instantiate_importing(store, module, m32, &other, &err) == WARD_ERROR);
    CHECK_CONTAINS(err.message, "expected i64 memory, got i32 memory");
    /* limits past the type's maximum, and shared types, are refused */
    type = (ward_memorytype){.min_pages = 1, .max_pages = (1ull << 48) + 1, .has_max = true, .is64 = true};
    CHECK(ward_memory_new_typed(store, &type) == NULL);
    type = (ward_memorytype){.min_pages = 1, .max_pages = 65537, .has_max = true};
    CHECK(ward_memory_new_typed(store, &type) == NULL);
    type = (ward_memorytype){.min_pages = 1, .max_pages = 2, .has_max = true, .shared = true};
    CHECK(ward_memory_new_typed(store, &type) == NULL);
    type = (ward_memorytype){.min_pages = 0, .max_pages = 1ull << 48, .has_max = true, .is64 = true};
    CHECK(ward_memory_new_typed(store, &type) != NULL); /* declared 2^48, capped by the config */

    ward_store_free(store);
    ward_module_free(module);
    ward_engine_free(engine);
}

static void run_all(bool fuel)
{
    fixture fx;
    if (!setup(&fx)) {
        teardown(&fx);
        return;
    }
    if (fuel)
        ward_store_set_fuel(fx.store, UINT64_MAX / 2);
    test_separate_memories(&fx);
    test_i64_bounds(&fx);
    test_grow(&fx);
    test_bulk(&fx);
    test_simd(&fx);
    test_atomics(&fx);
    if (!fuel) {
        test_forms(&fx);
        test_fuel(&fx);
    }
    teardown(&fx);
}

/* memory64 reads a memarg offset as a u64, but an i32 memory's offset must
 * still be a u32: 2^32 is "offset out of range" (regression: the validator
 * took it; proposals/memory64/address.wast:214 through the text runner). */
static bool load_with_offset(bool is64, const uint8_t offset[5], ward_error *err)
{
    uint8_t wasm[] = {
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
        0x01, 0x04, 0x01, 0x60, 0x00, 0x00,               /* type () -> () */
        0x03, 0x02, 0x01, 0x00,                           /* func 0: type 0 */
        0x05, 0x03, 0x01, is64 ? 0x04 : 0x00, 0x01,       /* memory, 1 page */
        0x0a, 0x0e, 0x01, 0x0c, 0x00,                     /* code: no locals */
        is64 ? 0x42 : 0x41, 0x00,                         /* address 0 */
        0x28, 0x02, offset[0], offset[1], offset[2], offset[3], offset[4], /* i32.load */
        0x1a, 0x0b,                                       /* drop, end */
    };
    ward_config cfg;
    ward_config_default(&cfg);
    cfg.memory64 = true;
    ward_engine *engine = ward_engine_new(&cfg);
    ward_module *module = ward_module_new(engine, wasm, sizeof wasm, err);
    bool ok = module != NULL;
    ward_module_free(module);
    ward_engine_free(engine);
    return ok;
}

static void test_offset_range(void)
{
    static const uint8_t two_32[5] = {0x80, 0x80, 0x80, 0x80, 0x10};
    static const uint8_t u32_max[5] = {0xff, 0xff, 0xff, 0xff, 0x0f};
    ward_error err;
    CHECK(!load_with_offset(false, two_32, &err));
    CHECK_MSG(strstr(err.message, "offset out of range") != NULL, "%s", err.message);
    CHECK(err.stage == WARD_STAGE_VALIDATE);
    CHECK_MSG(load_with_offset(false, u32_max, &err), "%s", err.message);
    CHECK_MSG(load_with_offset(true, two_32, &err), "%s", err.message);
}

/* Memory 0 with i64 addresses (the _W forms: memory 0's base and size as
 * the i32 fast forms keep them, the address a full u64): an address of
 * 2^32 must trap, not wrap to 0; offset + address saturates; an access
 * past the old size right after memory.grow in the same call succeeds. */
static void test_memory0_i64(void)
{
    static const char wat[] =
        "(module (memory i64 1 4)\n"
        "  (func (export \"store\") (param i64 i64) (i64.store offset=8 (local.get 0) (local.get 1)))\n"
        "  (func (export \"load\") (param i64) (result i64) (i64.load offset=8 (local.get 0)))\n"
        "  (func (export \"load8\") (param i64) (result i32) (i32.load8_u (local.get 0)))\n"
        "  (func (export \"store8\") (param i64 i32) (i32.store8 (local.get 0) (local.get 1)))\n"
        "  (func (export \"load_far\") (param i64) (result i32)\n"
        "    (i32.load offset=0xfffffffffffffff0 (local.get 0)))\n"
        "  (func (export \"grow_load\") (param i64) (result i32)\n"
        "    (drop (memory.grow (i64.const 1))) (i32.load8_u (local.get 0))))";
    ward_config cfg;
    ward_config_default(&cfg);
    cfg.memory64 = true;
    fixture fx = {0};
    ward_error err = {0};
    ward_trap trap;
    fx.engine = ward_engine_new(&cfg);
    fx.store = ward_store_new(fx.engine);
    fx.module = test_wat_module(fx.engine, wat, &err);
    CHECK_MSG(fx.module != NULL, "%s", err.message);
    if (fx.module && ward_instantiate(fx.store, fx.module, NULL, &fx.inst, &err, &trap) == WARD_OK) {
        uint64_t got;
        ward_val args[2] = {I64(PAGE - 16), I64(0x0123456789abcdefull)};
        CHECK(call(&fx, "store", args, 2, &got, &trap) == WARD_OK);
        EXPECT(&fx, "load", 0x0123456789abcdefull, I64(PAGE - 16));
        EXPECT(&fx, "load8", 0xef, I64(PAGE - 8));
        EXPECT_TRAP(&fx, "load", WARD_TRAP_OOB_MEMORY, I64(PAGE - 15));
        EXPECT_TRAP(&fx, "load8", WARD_TRAP_OOB_MEMORY, I64(1ull << 32));          /* not address 0 */
        EXPECT_TRAP(&fx, "load8", WARD_TRAP_OOB_MEMORY, I64((1ull << 32) + PAGE - 8));
        EXPECT_TRAP(&fx, "store8", WARD_TRAP_OOB_MEMORY, I64(UINT64_MAX), I32(1));
        EXPECT_TRAP(&fx, "load_far", WARD_TRAP_OOB_MEMORY, I64(0x20));            /* sum past 2^64 */
        EXPECT_TRAP(&fx, "load_far", WARD_TRAP_OOB_MEMORY, I64(0));
        EXPECT(&fx, "grow_load", 0, I64(PAGE + 5));                               /* the new page */
        EXPECT(&fx, "load8", 0, I64(2 * PAGE - 1));
        EXPECT_TRAP(&fx, "load8", WARD_TRAP_OOB_MEMORY, I64(3 * PAGE));
    } else {
        CHECK_MSG(false, "instantiation: %s", err.message);
    }
    teardown(&fx);
}

int main(void)
{
    run_all(false);
    run_all(true);
    test_api();
    test_offset_range();
    test_memory0_i64();
    return test_summary("memories");
}
