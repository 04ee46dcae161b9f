/*
 * v128 values through every path of the interpreter's frame layout (a v128
 * takes two slots): calls from the host with v128 params and results, a
 * host function taking and returning v128 between scalars, call_indirect,
 * a mutable v128 global, loop params, br_if carrying (v128, i32), typed and
 * untyped select, v128.load bounds with its trap offset, and all of it under
 * fuel (metered code) too; deterministic mode's canonical NaNs.  The SIMD instructions themselves are checked by
 * the spec suite (simd_*.wast).
 *
 * The module (wat2wasm of this text):
 * (module
 *   (type $vv_v (func (param v128 v128) (result v128)))
 *   (import "host" "mix" (func $mix (param i32 v128 i64 v128) (result v128 i32)))
 *   (global $g (mut v128) (v128.const i32x4 1 2 3 4))
 *   (table 2 funcref)
 *   (elem (i32.const 0) $sub $add)
 *   (func $add (type $vv_v) (i32x4.add (local.get 0) (local.get 1)))
 *   (func $sub (type $vv_v) (i32x4.sub (local.get 0) (local.get 1)))
 *   ;; host call with v128 params and results between scalars
 *   (func (export "via_host") (param v128 v128) (result i32 v128)
 *     (local $r v128) (local $n i32)
 *     (call $mix (i32.const 5) (local.get 0) (i64.const 7) (local.get 1))
 *     (local.set $n)
 *     (local.set $r)
 *     (local.get $n)
 *     (local.get $r))
 *   ;; call_indirect, global, block/loop params, br_if carrying a v128, select
 *   (func (export "loop") (param $v v128) (param $n i32) (result v128 i32)
 *     (local $acc v128)
 *     (local.set $acc (global.get $g))
 *     (local.get $acc)
 *     (loop $l (param v128) (result v128)
 *       (call_indirect (type $vv_v) (local.get $v) (i32.const 1))
 *       (local.set $n (i32.sub (local.get $n) (i32.const 1)))
 *       (br_if $l (local.get $n)))
 *     (global.set $g (local.tee $acc))
 *     (block $b (result v128 i32)
 *       (local.get $acc) (i32.const 9)
 *       (br_if $b (i32.const 1))
 *       (drop) (drop) (v128.const i64x2 0 0) (i32.const 0))
 *   )
 *   (func (export "sel") (param v128 v128 i32) (result v128)
 *     (select (local.get 0) (local.get 1) (local.get 2)))
 *   (func (export "global") (result v128) (global.get $g))
 *   (func (export "oob") (param i32) (result v128) (v128.load offset=8 (local.get 0)))
 *   (func (export "fadd") (type $vv_v) (local v128)
 *     (local.set 2 (f32x4.add (local.get 0) (local.get 1)))
 *     (local.get 2))
 *   (memory 1)
 * )
 */
#include <string.h>

#include "ward.h"
#include "../test.h"

static const uint8_t simd_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x38, 0x09, 0x60, 0x02, 0x7b, 0x7b, 0x01,
    0x7b, 0x60, 0x04, 0x7f, 0x7b, 0x7e, 0x7b, 0x02, 0x7b, 0x7f, 0x60, 0x02, 0x7b, 0x7b, 0x02, 0x7f,
    0x7b, 0x60, 0x02, 0x7b, 0x7f, 0x02, 0x7b, 0x7f, 0x60, 0x01, 0x7b, 0x01, 0x7b, 0x60, 0x00, 0x02,
    0x7b, 0x7f, 0x60, 0x03, 0x7b, 0x7b, 0x7f, 0x01, 0x7b, 0x60, 0x00, 0x01, 0x7b, 0x60, 0x01, 0x7f,
    0x01, 0x7b, 0x02, 0x0c, 0x01, 0x04, 0x68, 0x6f, 0x73, 0x74, 0x03, 0x6d, 0x69, 0x78, 0x00, 0x01,
    0x03, 0x09, 0x08, 0x00, 0x00, 0x02, 0x03, 0x06, 0x07, 0x08, 0x00, 0x04, 0x04, 0x01, 0x70, 0x00,
    0x02, 0x05, 0x03, 0x01, 0x00, 0x01, 0x06, 0x16, 0x01, 0x7b, 0x01, 0xfd, 0x0c, 0x01, 0x00, 0x00,
    0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x0b, 0x07, 0x2f,
    0x06, 0x08, 0x76, 0x69, 0x61, 0x5f, 0x68, 0x6f, 0x73, 0x74, 0x00, 0x03, 0x04, 0x6c, 0x6f, 0x6f,
    0x70, 0x00, 0x04, 0x03, 0x73, 0x65, 0x6c, 0x00, 0x05, 0x06, 0x67, 0x6c, 0x6f, 0x62, 0x61, 0x6c,
    0x00, 0x06, 0x03, 0x6f, 0x6f, 0x62, 0x00, 0x07, 0x04, 0x66, 0x61, 0x64, 0x64, 0x00, 0x08, 0x09,
    0x08, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x02, 0x02, 0x01, 0x0a, 0x9b, 0x01, 0x08, 0x09, 0x00, 0x20,
    0x00, 0x20, 0x01, 0xfd, 0xae, 0x01, 0x0b, 0x09, 0x00, 0x20, 0x00, 0x20, 0x01, 0xfd, 0xb1, 0x01,
    0x0b, 0x18, 0x02, 0x01, 0x7b, 0x01, 0x7f, 0x41, 0x05, 0x20, 0x00, 0x42, 0x07, 0x20, 0x01, 0x10,
    0x00, 0x21, 0x03, 0x21, 0x02, 0x20, 0x03, 0x20, 0x02, 0x0b, 0x44, 0x01, 0x01, 0x7b, 0x23, 0x00,
    0x21, 0x02, 0x20, 0x02, 0x03, 0x04, 0x20, 0x00, 0x41, 0x01, 0x11, 0x00, 0x00, 0x20, 0x01, 0x41,
    0x01, 0x6b, 0x21, 0x01, 0x20, 0x01, 0x0d, 0x00, 0x0b, 0x22, 0x02, 0x24, 0x00, 0x02, 0x05, 0x20,
    0x02, 0x41, 0x09, 0x41, 0x01, 0x0d, 0x00, 0x1a, 0x1a, 0xfd, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x41, 0x00, 0x0b, 0x0b, 0x09,
    0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0x1b, 0x0b, 0x04, 0x00, 0x23, 0x00, 0x0b, 0x08, 0x00,
    0x20, 0x00, 0xfd, 0x00, 0x04, 0x08, 0x0b, 0x0f, 0x01, 0x01, 0x7b, 0x20, 0x00, 0x20, 0x01, 0xfd,
    0xe4, 0x01, 0x21, 0x02, 0x20, 0x02, 0x0b,
};

static ward_val v128_i32x4(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    ward_val v;
    memset(&v, 0, sizeof v);
    v.kind = WARD_V128;
    const uint32_t lanes[4] = {a, b, c, d};
    memcpy(v.of.v128, lanes, 16);
    return v;
}

static bool is_i32x4(ward_val v, uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    ward_val want = v128_i32x4(a, b, c, d);
    return v.kind == WARD_V128 && memcmp(v.of.v128, want.of.v128, 16) == 0;
}

/* host.mix(a, x, b, y) = (x * a + y + b lane-wise, a + b) */
static ward_result host_mix(void *data, ward_caller *caller, const ward_val *args, ward_val *results,
                            ward_trap *trap)
{
    (void)data;
    (void)caller;
    (void)trap;
    uint32_t x[4], y[4], r[4];
    if (args[1].kind != WARD_V128 || args[3].kind != WARD_V128 || results[0].kind != WARD_V128)
        return WARD_TRAP;
    memcpy(x, args[1].of.v128, 16);
    memcpy(y, args[3].of.v128, 16);
    for (int i = 0; i < 4; i++)
        r[i] = x[i] * args[0].of.i32 + y[i] + (uint32_t)args[2].of.i64;
    memcpy(results[0].of.v128, r, 16);
    results[1] = ward_val_i32((int32_t)(args[0].of.i32 + (uint32_t)args[2].of.i64));
    return WARD_OK;
}

typedef struct env {
    ward_engine *engine;
    ward_module *module;
    ward_store *store;
    ward_instance *inst;
} env;

static bool env_open(env *e, bool deterministic)
{
    static const ward_valkind params[] = {WARD_I32, WARD_V128, WARD_I64, WARD_V128};
    static const ward_valkind results[] = {WARD_V128, WARD_I32};
    const ward_functype mix_type = {4, 2, params, results};
    ward_error err;
    ward_trap trap;
    memset(e, 0, sizeof *e);
    ward_config cfg;
    ward_config_default(&cfg); /* SIMD is on by default */
    cfg.deterministic = deterministic;
    e->engine = ward_engine_new(&cfg);
    e->module = ward_module_new(e->engine, simd_wasm, sizeof simd_wasm, &err);
    CHECK_MSG(e->module != NULL, "%s", err.message);
    if (!e->module)
        return false;
    e->store = ward_store_new(e->engine);
    ward_linker *l = ward_linker_new();
    ward_linker_define_func(l, "host", "mix", ward_func_new(e->store, &mix_type, host_mix, NULL));
    ward_result r = ward_instantiate(e->store, e->module, l, &e->inst, &err, &trap);
    CHECK_MSG(r == WARD_OK, "%s", err.message);
    ward_linker_free(l);
    return r == WARD_OK;
}

static void env_close(env *e)
{
    ward_store_free(e->store);
    ward_module_free(e->module);
    ward_engine_free(e->engine);
}

static ward_result call(env *e, const char *name, const ward_val *args, size_t nargs, ward_val *results,
                        size_t nresults, ward_trap *trap)
{
    ward_func *f = ward_instance_func(e->inst, name);
    CHECK_MSG(f != NULL, "no export %s", name);
    return f ? ward_call(e->store, f, args, nargs, results, nresults, trap) : WARD_ERROR;
}

static void run_all(env *e)
{
    ward_val args[3], res[2];
    ward_trap trap;
    args[0] = v128_i32x4(1, 2, 3, 4);
    args[1] = v128_i32x4(100, 200, 300, 400);
    CHECK(call(e, "via_host", args, 2, res, 2, &trap) == WARD_OK);
    CHECK(res[0].kind == WARD_I32 && res[0].of.i32 == 12);
    CHECK(is_i32x4(res[1], 112, 217, 322, 427));

    /* loop adds 3 * v to the global and returns it */
    uint32_t g[4];
    CHECK(call(e, "global", NULL, 0, res, 1, &trap) == WARD_OK && res[0].kind == WARD_V128);
    memcpy(g, res[0].of.v128, 16);
    args[0] = v128_i32x4(10, 20, 30, 40);
    args[1] = ward_val_i32(3);
    CHECK(call(e, "loop", args, 2, res, 2, &trap) == WARD_OK);
    CHECK(is_i32x4(res[0], g[0] + 30, g[1] + 60, g[2] + 90, g[3] + 120) && res[1].of.i32 == 9);
    CHECK(call(e, "loop", args, 2, res, 2, &trap) == WARD_OK);
    CHECK(is_i32x4(res[0], g[0] + 60, g[1] + 120, g[2] + 180, g[3] + 240) && res[1].of.i32 == 9);
    CHECK(call(e, "global", NULL, 0, res, 1, &trap) == WARD_OK &&
          is_i32x4(res[0], g[0] + 60, g[1] + 120, g[2] + 180, g[3] + 240));

    args[0] = v128_i32x4(1, 2, 3, 4);
    args[1] = v128_i32x4(5, 6, 7, 8);
    args[2] = ward_val_i32(1);
    CHECK(call(e, "sel", args, 3, res, 1, &trap) == WARD_OK && is_i32x4(res[0], 1, 2, 3, 4));
    args[2] = ward_val_i32(0);
    CHECK(call(e, "sel", args, 3, res, 1, &trap) == WARD_OK && is_i32x4(res[0], 5, 6, 7, 8));

    args[0] = ward_val_i32(65512);
    CHECK(call(e, "oob", args, 1, res, 1, &trap) == WARD_OK && is_i32x4(res[0], 0, 0, 0, 0));
    args[0] = ward_val_i32(65513);
    CHECK(call(e, "oob", args, 1, res, 1, &trap) == WARD_TRAP);
    CHECK(trap.kind == WARD_TRAP_OOB_MEMORY && trap.offset == 0x142);
}

/* f32x4.add of a NaN with a payload: the hardware's NaN, or the canonical
 * one in deterministic mode (also when local.set retargets the op). */
static void test_nan(bool deterministic)
{
    env e;
    if (env_open(&e, deterministic)) {
        ward_val args[2] = {v128_i32x4(0x7fa00001u, 0x3f800000u, 0xffc00005u, 0), v128_i32x4(0, 0, 0, 0)}, r;
        ward_trap trap;
        CHECK(call(&e, "fadd", args, 2, &r, 1, &trap) == WARD_OK && r.kind == WARD_V128);
        uint32_t lanes[4];
        memcpy(lanes, r.of.v128, 16);
        CHECK(lanes[1] == 0x3f800000u && lanes[3] == 0);
        if (deterministic)
            CHECK_MSG(lanes[0] == 0x7fc00000u && lanes[2] == 0x7fc00000u, "lanes %08x %08x", lanes[0], lanes[2]);
        else /* arithmetic NaNs (quiet bit set), payload as the hardware likes */
            CHECK((lanes[0] & 0x7fc00000u) == 0x7fc00000u && (lanes[2] & 0x7fc00000u) == 0x7fc00000u);
    }
    env_close(&e);
}

int main(void)
{
    test_nan(false);
    test_nan(true);
    env e;
    if (env_open(&e, false)) {
        /* the global starts at i32x4 1 2 3 4 */
        ward_val g;
        ward_trap trap0;
        CHECK(call(&e, "global", NULL, 0, &g, 1, &trap0) == WARD_OK && is_i32x4(g, 1, 2, 3, 4));
        run_all(&e);
        /* the same through the metered code, then running out inside the loop */
        ward_store_set_fuel(e.store, 1000000);
        run_all(&e);
        ward_val args[2] = {v128_i32x4(1, 1, 1, 1), ward_val_i32(1000)}, res[2];
        ward_trap trap;
        ward_store_set_fuel(e.store, 50);
        CHECK(call(&e, "loop", args, 2, res, 2, &trap) == WARD_TRAP && trap.kind == WARD_TRAP_OUT_OF_FUEL);
    }
    env_close(&e);
    return test_summary("simd_exec");
}
