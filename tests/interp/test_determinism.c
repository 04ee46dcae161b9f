/*
 * Deterministic mode (docs/determinism.md): every float operation that can
 * make a NaN returns exactly the canonical NaN (0x7fc00000 / 0x7ff8000000000000)
 * while the default mode keeps the hardware's NaN bits; sign-only operations
 * stay bit-exact in both; fuel is the same in both modes; a float-heavy
 * program gives the same answer every time and the one a C model of it
 * predicts; with a deterministic WASI, clocks are virtual (sleeps do not
 * sleep) and random_get is a seeded, reproducible sequence.
 *
 * The module (wat2wasm of this text):
 *   (module
 *     (func (export "f32_add") (param f32 f32) (result f32) (f32.add (local.get 0) (local.get 1)))
 *     (func (export "f32_sub") (param f32 f32) (result f32) (f32.sub (local.get 0) (local.get 1)))
 *     (func (export "f32_div") (param f32 f32) (result f32) (f32.div (local.get 0) (local.get 1)))
 *     (func (export "f32_min") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
 *     (func (export "f32_max") (param f32 f32) (result f32) (f32.max (local.get 0) (local.get 1)))
 *     (func (export "f32_sqrt") (param f32) (result f32) (f32.sqrt (local.get 0)))
 *     (func (export "f32_ceil") (param f32) (result f32) (f32.ceil (local.get 0)))
 *     (func (export "f32_neg") (param f32) (result f32) (f32.neg (local.get 0)))
 *     (func (export "f32_demote") (param f64) (result f32) (f32.demote_f64 (local.get 0)))
 *     (func (export "f64_mul") (param f64 f64) (result f64) (f64.mul (local.get 0) (local.get 1)))
 *     (func (export "f64_sqrt") (param f64) (result f64) (f64.sqrt (local.get 0)))
 *     (func (export "f64_nearest") (param f64) (result f64) (f64.nearest (local.get 0)))
 *     (func (export "f64_abs") (param f64) (result f64) (f64.abs (local.get 0)))
 *     (func (export "f64_promote") (param f32) (result f64) (f64.promote_f32 (local.get 0)))
 *     ;; the result lands straight in a local (local.set / local.tee retarget)
 *     (func (export "f32_add_local") (param f32 f32) (result f32) (local f32)
 *       (local.set 2 (f32.add (local.get 0) (local.get 1)))
 *       (local.get 2))
 *     (func (export "f64_div_tee") (param f64 f64) (result f64) (local f64)
 *       (drop (local.tee 2 (f64.div (local.get 0) (local.get 1))))
 *       (local.get 2))
 *     ;; float-heavy loop: n steps mixing NaN-producing and ordinary values,
 *     ;; folding every result's bits into an i64
 *     (func (export "mix") (param $n i32) (result i64) (local $x f64) (local $y f32) (local $h i64)
 *       (local.set $x (f64.const 0.5))
 *       (block $done
 *         (loop $top
 *           (br_if $done (i32.eqz (local.get $n)))
 *           (local.set $x (f64.add (f64.mul (local.get $x) (f64.const 1.25))
 *                                  (f64.sqrt (f64.convert_i32_s (i32.sub (local.get $n) (i32.const 40))))))
 *           (if (f64.ne (local.get $x) (local.get $x)) (then (local.set $x (f64.const 0.5))))
 *           (local.set $y (f32.div (f32.demote_f64 (local.get $x)) (f32.convert_i32_s (i32.rem_u (local.get $n) (i32.const 3)))))
 *           (local.set $h (i64.xor (i64.rotl (local.get $h) (i64.const 7))
 *                                  (i64.add (i64.reinterpret_f64 (local.get $x))
 *                                           (i64.extend_i32_u (i32.reinterpret_f32 (f32.sub (local.get $y) (local.get $y)))))))
 *           (local.set $n (i32.sub (local.get $n) (i32.const 1)))
 *           (br $top)))
 *       (local.get $h))
 *   )
 */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "../test.h"
#include "ward.h"

static const uint8_t det_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x26, 0x07, 0x60, 0x02, 0x7d, 0x7d, 0x01, 0x7d,
    0x60, 0x01, 0x7d, 0x01, 0x7d, 0x60, 0x01, 0x7c, 0x01, 0x7d, 0x60, 0x02, 0x7c, 0x7c, 0x01, 0x7c, 0x60,
    0x01, 0x7c, 0x01, 0x7c, 0x60, 0x01, 0x7d, 0x01, 0x7c, 0x60, 0x01, 0x7f, 0x01, 0x7e, 0x03, 0x12, 0x11,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x01, 0x02, 0x03, 0x04, 0x04, 0x04, 0x05, 0x00, 0x03, 0x06,
    0x07, 0xbf, 0x01, 0x11, 0x07, 0x66, 0x33, 0x32, 0x5f, 0x61, 0x64, 0x64, 0x00, 0x00, 0x07, 0x66, 0x33,
    0x32, 0x5f, 0x73, 0x75, 0x62, 0x00, 0x01, 0x07, 0x66, 0x33, 0x32, 0x5f, 0x64, 0x69, 0x76, 0x00, 0x02,
    0x07, 0x66, 0x33, 0x32, 0x5f, 0x6d, 0x69, 0x6e, 0x00, 0x03, 0x07, 0x66, 0x33, 0x32, 0x5f, 0x6d, 0x61,
    0x78, 0x00, 0x04, 0x08, 0x66, 0x33, 0x32, 0x5f, 0x73, 0x71, 0x72, 0x74, 0x00, 0x05, 0x08, 0x66, 0x33,
    0x32, 0x5f, 0x63, 0x65, 0x69, 0x6c, 0x00, 0x06, 0x07, 0x66, 0x33, 0x32, 0x5f, 0x6e, 0x65, 0x67, 0x00,
    0x07, 0x0a, 0x66, 0x33, 0x32, 0x5f, 0x64, 0x65, 0x6d, 0x6f, 0x74, 0x65, 0x00, 0x08, 0x07, 0x66, 0x36,
    0x34, 0x5f, 0x6d, 0x75, 0x6c, 0x00, 0x09, 0x08, 0x66, 0x36, 0x34, 0x5f, 0x73, 0x71, 0x72, 0x74, 0x00,
    0x0a, 0x0b, 0x66, 0x36, 0x34, 0x5f, 0x6e, 0x65, 0x61, 0x72, 0x65, 0x73, 0x74, 0x00, 0x0b, 0x07, 0x66,
    0x36, 0x34, 0x5f, 0x61, 0x62, 0x73, 0x00, 0x0c, 0x0b, 0x66, 0x36, 0x34, 0x5f, 0x70, 0x72, 0x6f, 0x6d,
    0x6f, 0x74, 0x65, 0x00, 0x0d, 0x0d, 0x66, 0x33, 0x32, 0x5f, 0x61, 0x64, 0x64, 0x5f, 0x6c, 0x6f, 0x63,
    0x61, 0x6c, 0x00, 0x0e, 0x0b, 0x66, 0x36, 0x34, 0x5f, 0x64, 0x69, 0x76, 0x5f, 0x74, 0x65, 0x65, 0x00,
    0x0f, 0x03, 0x6d, 0x69, 0x78, 0x00, 0x10, 0x0a, 0xf0, 0x01, 0x11, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01,
    0x92, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x93, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x95,
    0x0b, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x96, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x97, 0x0b,
    0x05, 0x00, 0x20, 0x00, 0x91, 0x0b, 0x05, 0x00, 0x20, 0x00, 0x8d, 0x0b, 0x05, 0x00, 0x20, 0x00, 0x8c,
    0x0b, 0x05, 0x00, 0x20, 0x00, 0xb6, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0xa2, 0x0b, 0x05, 0x00,
    0x20, 0x00, 0x9f, 0x0b, 0x05, 0x00, 0x20, 0x00, 0x9e, 0x0b, 0x05, 0x00, 0x20, 0x00, 0x99, 0x0b, 0x05,
    0x00, 0x20, 0x00, 0xbb, 0x0b, 0x0d, 0x01, 0x01, 0x7d, 0x20, 0x00, 0x20, 0x01, 0x92, 0x21, 0x02, 0x20,
    0x02, 0x0b, 0x0e, 0x01, 0x01, 0x7c, 0x20, 0x00, 0x20, 0x01, 0xa3, 0x22, 0x02, 0x1a, 0x20, 0x02, 0x0b,
    0x71, 0x03, 0x01, 0x7c, 0x01, 0x7d, 0x01, 0x7e, 0x44, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xe0, 0x3f,
    0x21, 0x01, 0x02, 0x40, 0x03, 0x40, 0x20, 0x00, 0x45, 0x0d, 0x01, 0x20, 0x01, 0x44, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0xf4, 0x3f, 0xa2, 0x20, 0x00, 0x41, 0x28, 0x6b, 0xb7, 0x9f, 0xa0, 0x21, 0x01, 0x20,
    0x01, 0x20, 0x01, 0x62, 0x04, 0x40, 0x44, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xe0, 0x3f, 0x21, 0x01,
    0x0b, 0x20, 0x01, 0xb6, 0x20, 0x00, 0x41, 0x03, 0x70, 0xb2, 0x95, 0x21, 0x02, 0x20, 0x03, 0x42, 0x07,
    0x89, 0x20, 0x01, 0xbd, 0x20, 0x02, 0x20, 0x02, 0x93, 0xbc, 0xad, 0x7c, 0x85, 0x21, 0x03, 0x20, 0x00,
    0x41, 0x01, 0x6b, 0x21, 0x00, 0x0c, 0x00, 0x0b, 0x0b, 0x20, 0x03, 0x0b,
};

#define CANON32 0x7fc00000u
#define CANON64 0x7ff8000000000000ull
#define PAYLOAD32 0x7fc12345u /* quiet NaN with a payload */
#define NEG_PAYLOAD32 0xffc12345u
#define SNAN32 0x7f812345u /* signalling NaN */
#define PAYLOAD64 0x7ff8000000012345ull
#define NEG_PAYLOAD64 0xfff8000000012345ull
#define ONE32 0x3f800000u
#define NEG_ONE32 0xbf800000u
#define INF32 0x7f800000u
#define ZERO64 0ull
#define NEG_ONE64 0xbff0000000000000ull
#define INF64 0x7ff0000000000000ull

typedef struct env {
    ward_engine *engine;
    ward_module *module;
    ward_store *store;
    ward_instance *inst;
} env;

static bool env_open(env *e, bool deterministic)
{
    ward_config cfg;
    ward_error err;
    ward_trap trap;
    ward_config_default(&cfg);
    cfg.deterministic = deterministic;
    memset(e, 0, sizeof *e);
    e->engine = ward_engine_new(&cfg);
    e->module = ward_module_new(e->engine, det_wasm, sizeof det_wasm, &err);
    CHECK_MSG(e->module != NULL, "%s", err.message);
    e->store = ward_store_new(e->engine);
    if (!e->module || !e->store)
        return false;
    return ward_instantiate(e->store, e->module, NULL, &e->inst, &err, &trap) == WARD_OK;
}

static void env_close(env *e)
{
    ward_store_free(e->store);
    ward_module_free(e->module);
    ward_engine_free(e->engine);
}

static ward_val f32_bits(uint32_t bits)
{
    ward_val v = {.kind = WARD_F32};
    v.of.f32_bits = bits;
    return v;
}

static ward_val f64_bits(uint64_t bits)
{
    ward_val v = {.kind = WARD_F64};
    v.of.f64_bits = bits;
    return v;
}

static ward_val call(env *e, const char *name, const ward_val *args, size_t nargs)
{
    ward_val result = {0};
    ward_trap trap;
    ward_func *f = ward_instance_func(e->inst, name);
    CHECK_MSG(f != NULL, "no export %s", name);
    if (f) {
        ward_result r = ward_call(e->store, f, args, nargs, &result, 1, &trap);
        CHECK_MSG(r == WARD_OK, "%s: result %d (%s)", name, r, trap.message);
    }
    return result;
}

static uint32_t call32(env *e, const char *name, ward_val a, ward_val b, size_t nargs)
{
    ward_val args[2] = {a, b};
    return call(e, name, args, nargs).of.f32_bits;
}

static uint64_t call64(env *e, const char *name, ward_val a, ward_val b, size_t nargs)
{
    ward_val args[2] = {a, b};
    return call(e, name, args, nargs).of.f64_bits;
}

#define EXPECT32(e, name, a, b, nargs, want)                                                                  \
    do {                                                                                                      \
        uint32_t got_ = call32(e, name, a, b, nargs);                                                         \
        CHECK_MSG(got_ == (want), "%s: got 0x%08x, want 0x%08x", name, got_, (uint32_t)(want));               \
    } while (0)
#define EXPECT64(e, name, a, b, nargs, want)                                                                  \
    do {                                                                                                      \
        uint64_t got_ = call64(e, name, a, b, nargs);                                                         \
        CHECK_MSG(got_ == (want), "%s: got 0x%016llx, want 0x%016llx", name, (unsigned long long)got_,        \
                  (unsigned long long)(want));                                                                \
    } while (0)

static bool is_nan32(uint32_t bits)
{
    return (bits & 0x7fffffffu) > INF32;
}

static void test_canonical_nans(env *e)
{
    ward_val none = f32_bits(0);
    EXPECT32(e, "f32_div", f32_bits(0), f32_bits(0), 2, CANON32);               /* 0/0 */
    EXPECT32(e, "f32_sub", f32_bits(INF32), f32_bits(INF32), 2, CANON32);       /* inf-inf */
    EXPECT32(e, "f32_add", f32_bits(NEG_PAYLOAD32), f32_bits(ONE32), 2, CANON32);
    EXPECT32(e, "f32_add", f32_bits(SNAN32), f32_bits(ONE32), 2, CANON32);
    EXPECT32(e, "f32_min", f32_bits(PAYLOAD32), f32_bits(ONE32), 2, CANON32);
    EXPECT32(e, "f32_max", f32_bits(ONE32), f32_bits(NEG_PAYLOAD32), 2, CANON32);
    EXPECT32(e, "f32_sqrt", f32_bits(NEG_ONE32), none, 1, CANON32);            /* sqrt(-1) */
    EXPECT32(e, "f32_ceil", f32_bits(NEG_PAYLOAD32), none, 1, CANON32);
    EXPECT32(e, "f32_demote", f64_bits(NEG_PAYLOAD64), none, 1, CANON32);
    EXPECT64(e, "f64_promote", f32_bits(NEG_PAYLOAD32), none, 1, CANON64);
    EXPECT64(e, "f64_mul", f64_bits(INF64), f64_bits(ZERO64), 2, CANON64);     /* inf*0 */
    EXPECT64(e, "f64_sqrt", f64_bits(NEG_ONE64), none, 1, CANON64);
    EXPECT64(e, "f64_nearest", f64_bits(NEG_PAYLOAD64), none, 1, CANON64);
    EXPECT32(e, "f32_add_local", f32_bits(INF32), f32_bits(INF32 | 0x80000000u), 2, CANON32);
    EXPECT64(e, "f64_div_tee", f64_bits(ZERO64), f64_bits(ZERO64), 2, CANON64);
    /* ordinary results are untouched */
    EXPECT32(e, "f32_add", f32_bits(ONE32), f32_bits(ONE32), 2, 0x40000000u);
    EXPECT32(e, "f32_add_local", f32_bits(ONE32), f32_bits(NEG_ONE32), 2, 0u);
    EXPECT64(e, "f64_sqrt", f64_bits(0x4010000000000000ull), none, 1, 0x4000000000000000ull);
}

/* abs, neg and copysign are bit operations: exact in both modes. */
static void test_sign_ops_exact(env *e)
{
    ward_val none = f32_bits(0);
    EXPECT32(e, "f32_neg", f32_bits(PAYLOAD32), none, 1, NEG_PAYLOAD32);
    EXPECT32(e, "f32_neg", f32_bits(SNAN32), none, 1, SNAN32 | 0x80000000u);
    EXPECT64(e, "f64_abs", f64_bits(NEG_PAYLOAD64), none, 1, PAYLOAD64);
}

/* The default mode keeps what the hardware gives: any arithmetic NaN. */
static void test_default_mode(env *e)
{
    ward_val none = f32_bits(0);
    uint32_t r = call32(e, "f32_add", f32_bits(NEG_PAYLOAD32), f32_bits(ONE32), 2);
    CHECK(is_nan32(r) && (r & 0x00400000u));
#if defined(__x86_64__)
    /* SSE propagates the NaN operand's payload and sign, and makes 0/0 the
     * negative default NaN: neither is canonical. */
    CHECK_MSG(r == NEG_PAYLOAD32, "got 0x%08x", r);
    EXPECT32(e, "f32_div", f32_bits(0), f32_bits(0), 2, 0xffc00000u);
    EXPECT32(e, "f32_add_local", f32_bits(INF32), f32_bits(INF32 | 0x80000000u), 2, 0xffc00000u);
#endif
    r = call32(e, "f32_sqrt", f32_bits(NEG_ONE32), none, 1);
    CHECK(is_nan32(r));
}

/* A C model of the "mix" export under canonical NaNs. */
static uint32_t canon32(float f)
{
    uint32_t bits;
    memcpy(&bits, &f, sizeof bits);
    return is_nan32(bits) ? CANON32 : bits;
}

static uint64_t canon64(double d)
{
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    return (bits & ~(1ull << 63)) > INF64 ? CANON64 : bits;
}

static uint64_t mix_model(uint32_t n)
{
    double x = 0.5;
    uint64_t h = 0;
    for (; n; n--) {
        x = x * 1.25 + sqrt((double)((int32_t)n - 40));
        if (x != x)
            x = 0.5;
        float y = (float)x / (float)(int32_t)(n % 3);
        uint32_t d;
        float yy;
        d = canon32(y);
        memcpy(&yy, &d, sizeof yy);
        uint64_t xb = canon64(x);
        h = ((h << 7) | (h >> 57)) ^ (xb + canon32(yy - yy));
    }
    return h;
}

static uint64_t run_mix(env *e, uint32_t n)
{
    ward_val arg = ward_val_i32((int32_t)n);
    return call(e, "mix", &arg, 1).of.i64;
}

static void test_repeatable(env *e)
{
    uint64_t first = run_mix(e, 200);
    CHECK(run_mix(e, 200) == first);
    CHECK_MSG(first == mix_model(200), "mix: 0x%016llx, model 0x%016llx", (unsigned long long)first,
              (unsigned long long)mix_model(200));
}

/* Fuel counts wasm instructions only: CANON is free, so both modes use the
 * same fuel, and stop at the same instruction when it runs out. */
static void test_same_fuel(env *det, env *dflt)
{
    ward_val arg = ward_val_i32(50);
    ward_val result;
    ward_trap trap;
    ward_func *fd = ward_instance_func(det->inst, "mix"), *fn = ward_instance_func(dflt->inst, "mix");
    CHECK(fd && fn);
    if (!fd || !fn)
        return;
    ward_store_set_fuel(det->store, UINT64_MAX / 2);
    ward_store_set_fuel(dflt->store, UINT64_MAX / 2);
    CHECK(ward_call(det->store, fd, &arg, 1, &result, 1, &trap) == WARD_OK);
    CHECK(ward_call(dflt->store, fn, &arg, 1, &result, 1, &trap) == WARD_OK);
    uint64_t used = ward_store_fuel_consumed(det->store);
    CHECK_MSG(used == ward_store_fuel_consumed(dflt->store), "fuel %llu vs %llu", (unsigned long long)used,
              (unsigned long long)ward_store_fuel_consumed(dflt->store));
    CHECK(used > 50 * 20);
    for (uint64_t fuel = used - 40; fuel < used; fuel += 3) {
        ward_trap td, tn;
        ward_store_set_fuel(det->store, fuel);
        ward_store_set_fuel(dflt->store, fuel);
        CHECK(ward_call(det->store, fd, &arg, 1, &result, 1, &td) == WARD_TRAP);
        CHECK(ward_call(dflt->store, fn, &arg, 1, &result, 1, &tn) == WARD_TRAP);
        CHECK(td.kind == WARD_TRAP_OUT_OF_FUEL && tn.kind == WARD_TRAP_OUT_OF_FUEL);
        CHECK_MSG(td.offset == tn.offset, "fuel %llu: stopped at 0x%x vs 0x%x", (unsigned long long)fuel,
                  td.offset, tn.offset);
        CHECK(ward_store_fuel_consumed(det->store) == fuel && ward_store_fuel_consumed(dflt->store) == fuel);
    }
    ward_store_disable_fuel(det->store);
    ward_store_disable_fuel(dflt->store);
}


/* ---- WASI: virtual clock and seeded random -------------------------------
 * The module (wat2wasm of this text):
 *   (module
 *     (import "wasi_snapshot_preview1" "clock_time_get" (func $time_get (param i32 i64 i32) (result i32)))
 *     (import "wasi_snapshot_preview1" "clock_res_get" (func $res_get (param i32 i32) (result i32)))
 *     (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
 *     (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
 *     (memory (export "memory") 1)
 *     (func (export "time") (param $clock i32) (result i64)
 *       (if (call $time_get (local.get $clock) (i64.const 0) (i32.const 0)) (then (return (i64.const -1))))
 *       (i64.load (i32.const 0)))
 *     (func (export "res") (result i64)
 *       (if (call $res_get (i32.const 0) (i32.const 0)) (then (return (i64.const -1))))
 *       (i64.load (i32.const 0)))
 *     (func (export "rand") (result i64)
 *       (if (call $random_get (i32.const 8) (i32.const 8)) (then (return (i64.const -1))))
 *       (i64.load (i32.const 8)))
 *     ;; one relative monotonic clock subscription; returns the event count
 *     (func (export "sleep") (param $ns i64) (result i32)
 *       (i64.store (i32.const 64) (i64.const 7))
 *       (i32.store8 (i32.const 72) (i32.const 0))
 *       (i32.store (i32.const 80) (i32.const 1))
 *       (i64.store (i32.const 88) (local.get $ns))
 *       (i64.store (i32.const 96) (i64.const 0))
 *       (i32.store16 (i32.const 104) (i32.const 0))
 *       (if (call $poll (i32.const 64) (i32.const 128) (i32.const 1) (i32.const 192)) (then (return (i32.const -1))))
 *       (i32.load (i32.const 192)))
 *   )
 */
static const uint8_t wasi_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x24, 0x06, 0x60, 0x03, 0x7f, 0x7e, 0x7f, 0x01,
    0x7f, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x01,
    0x7f, 0x01, 0x7e, 0x60, 0x00, 0x01, 0x7e, 0x60, 0x01, 0x7e, 0x01, 0x7f, 0x02, 0x99, 0x01, 0x04, 0x16,
    0x77, 0x61, 0x73, 0x69, 0x5f, 0x73, 0x6e, 0x61, 0x70, 0x73, 0x68, 0x6f, 0x74, 0x5f, 0x70, 0x72, 0x65,
    0x76, 0x69, 0x65, 0x77, 0x31, 0x0e, 0x63, 0x6c, 0x6f, 0x63, 0x6b, 0x5f, 0x74, 0x69, 0x6d, 0x65, 0x5f,
    0x67, 0x65, 0x74, 0x00, 0x00, 0x16, 0x77, 0x61, 0x73, 0x69, 0x5f, 0x73, 0x6e, 0x61, 0x70, 0x73, 0x68,
    0x6f, 0x74, 0x5f, 0x70, 0x72, 0x65, 0x76, 0x69, 0x65, 0x77, 0x31, 0x0d, 0x63, 0x6c, 0x6f, 0x63, 0x6b,
    0x5f, 0x72, 0x65, 0x73, 0x5f, 0x67, 0x65, 0x74, 0x00, 0x01, 0x16, 0x77, 0x61, 0x73, 0x69, 0x5f, 0x73,
    0x6e, 0x61, 0x70, 0x73, 0x68, 0x6f, 0x74, 0x5f, 0x70, 0x72, 0x65, 0x76, 0x69, 0x65, 0x77, 0x31, 0x0a,
    0x72, 0x61, 0x6e, 0x64, 0x6f, 0x6d, 0x5f, 0x67, 0x65, 0x74, 0x00, 0x01, 0x16, 0x77, 0x61, 0x73, 0x69,
    0x5f, 0x73, 0x6e, 0x61, 0x70, 0x73, 0x68, 0x6f, 0x74, 0x5f, 0x70, 0x72, 0x65, 0x76, 0x69, 0x65, 0x77,
    0x31, 0x0b, 0x70, 0x6f, 0x6c, 0x6c, 0x5f, 0x6f, 0x6e, 0x65, 0x6f, 0x66, 0x66, 0x00, 0x02, 0x03, 0x05,
    0x04, 0x03, 0x04, 0x04, 0x05, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x26, 0x05, 0x06, 0x6d, 0x65, 0x6d,
    0x6f, 0x72, 0x79, 0x02, 0x00, 0x04, 0x74, 0x69, 0x6d, 0x65, 0x00, 0x04, 0x03, 0x72, 0x65, 0x73, 0x00,
    0x05, 0x04, 0x72, 0x61, 0x6e, 0x64, 0x00, 0x06, 0x05, 0x73, 0x6c, 0x65, 0x65, 0x70, 0x00, 0x07, 0x0a,
    0x8b, 0x01, 0x04, 0x15, 0x00, 0x20, 0x00, 0x42, 0x00, 0x41, 0x00, 0x10, 0x00, 0x04, 0x40, 0x42, 0x7f,
    0x0f, 0x0b, 0x41, 0x00, 0x29, 0x03, 0x00, 0x0b, 0x13, 0x00, 0x41, 0x00, 0x41, 0x00, 0x10, 0x01, 0x04,
    0x40, 0x42, 0x7f, 0x0f, 0x0b, 0x41, 0x00, 0x29, 0x03, 0x00, 0x0b, 0x13, 0x00, 0x41, 0x08, 0x41, 0x08,
    0x10, 0x02, 0x04, 0x40, 0x42, 0x7f, 0x0f, 0x0b, 0x41, 0x08, 0x29, 0x03, 0x00, 0x0b, 0x4b, 0x00, 0x41,
    0xc0, 0x00, 0x42, 0x07, 0x37, 0x03, 0x00, 0x41, 0xc8, 0x00, 0x41, 0x00, 0x3a, 0x00, 0x00, 0x41, 0xd0,
    0x00, 0x41, 0x01, 0x36, 0x02, 0x00, 0x41, 0xd8, 0x00, 0x20, 0x00, 0x37, 0x03, 0x00, 0x41, 0xe0, 0x00,
    0x42, 0x00, 0x37, 0x03, 0x00, 0x41, 0xe8, 0x00, 0x41, 0x00, 0x3b, 0x01, 0x00, 0x41, 0xc0, 0x00, 0x41,
    0x80, 0x01, 0x41, 0x01, 0x41, 0xc0, 0x01, 0x10, 0x03, 0x04, 0x40, 0x41, 0x7f, 0x0f, 0x0b, 0x41, 0xc0,
    0x01, 0x28, 0x02, 0x00, 0x0b,
};

typedef struct wasi_env {
    ward_engine *engine;
    ward_module *module;
    ward_store *store;
    ward_linker *linker;
    ward_wasi *wasi;
    ward_instance *inst;
} wasi_env;

static bool wasi_open(wasi_env *e, uint64_t start, uint64_t step, uint64_t seed)
{
    ward_error err;
    ward_trap trap;
    ward_wasi_config cfg;
    ward_wasi_config_default(&cfg);
    cfg.deterministic = true;
    cfg.clock_start_ns = start;
    cfg.clock_step_ns = step;
    cfg.random_seed = seed;
    memset(e, 0, sizeof *e);
    e->engine = ward_engine_new(NULL);
    e->module = ward_module_new(e->engine, wasi_wasm, sizeof wasi_wasm, &err);
    CHECK_MSG(e->module != NULL, "%s", err.message);
    e->store = ward_store_new(e->engine);
    e->linker = ward_linker_new();
    e->wasi = ward_wasi_new(&cfg, &err);
    if (!e->module || !e->store || !e->linker || !e->wasi)
        return false;
    CHECK(ward_wasi_define(e->wasi, e->linker, e->store) == WARD_OK);
    CHECK(ward_instantiate(e->store, e->module, e->linker, &e->inst, &err, &trap) == WARD_OK);
    return e->inst && ward_wasi_bind_instance(e->wasi, e->inst) == WARD_OK;
}

static void wasi_close(wasi_env *e)
{
    ward_store_free(e->store);
    ward_linker_free(e->linker);
    ward_wasi_free(e->wasi);
    ward_module_free(e->module);
    ward_engine_free(e->engine);
}

static uint64_t wasi_call(wasi_env *e, const char *name, ward_val arg, size_t nargs)
{
    env view = {.inst = e->inst, .store = e->store};
    return call(&view, name, &arg, nargs).of.i64;
}

static void test_virtual_clock(void)
{
    wasi_env e;
    if (!wasi_open(&e, 1000, 10, 0)) {
        CHECK(false);
        wasi_close(&e);
        return;
    }
    ward_val none = ward_val_i32(0);
    CHECK(wasi_call(&e, "time", ward_val_i32(1), 1) == 1000);
    CHECK(wasi_call(&e, "time", ward_val_i32(0), 1) == 1010); /* every clock is the one virtual clock */
    CHECK(wasi_call(&e, "res", none, 0) == 10);
    /* a 5 s sleep fires at once and moves the virtual clock by 5 s */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK((uint32_t)wasi_call(&e, "sleep", ward_val_i64(5000000000ll), 1) == 1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CHECK(t1.tv_sec - t0.tv_sec < 2);
    CHECK(wasi_call(&e, "time", ward_val_i32(1), 1) == 1020 + 5000000000ull);
    CHECK(wasi_call(&e, "time", ward_val_i32(9), 1) == (uint64_t)-1); /* bad clock id: EINVAL */
    wasi_close(&e);
}

static void test_seeded_random(void)
{
    wasi_env a = {0}, b = {0}, c = {0};
    bool ok = wasi_open(&a, 0, 0, 0) && wasi_open(&b, 0, 0, 0) && wasi_open(&c, 0, 0, 1);
    CHECK(ok);
    if (ok) {
        ward_val none = ward_val_i32(0);
        uint64_t first = wasi_call(&a, "rand", none, 0);
        CHECK_MSG(first == 0xe220a8397b1dcdafull, "splitmix64(0) gave 0x%016llx", (unsigned long long)first);
        CHECK(wasi_call(&a, "rand", none, 0) != first);
        CHECK(wasi_call(&b, "rand", none, 0) == first);
        CHECK(wasi_call(&c, "rand", none, 0) != first);
        CHECK(wasi_call(&a, "res", none, 0) == 1000000); /* step 0 = 1 ms */
    }
    wasi_close(&a);
    wasi_close(&b);
    wasi_close(&c);
}

int main(void)
{
    env det, dflt;
    bool ok_det = env_open(&det, true);
    bool ok_dflt = env_open(&dflt, false);
    CHECK(ok_det && ok_dflt);
    if (ok_det && ok_dflt) {
        test_canonical_nans(&det);
        test_sign_ops_exact(&det);
        test_sign_ops_exact(&dflt);
        test_default_mode(&dflt);
        test_repeatable(&det);
        test_same_fuel(&det, &dflt);
        /* the metered code canonicalises too */
        ward_store_set_fuel(det.store, UINT64_MAX / 2);
        test_canonical_nans(&det);
        test_repeatable(&det);
        ward_store_disable_fuel(det.store);
    }
    env_close(&det);
    env_close(&dflt);
    test_virtual_clock();
    test_seeded_random();
    return test_summary("determinism");
}
