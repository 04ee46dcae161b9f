/*
 * Float chains (IR_FCHAIN in src/interp/ir_ops.def): `(x F y) S z` and
 * `z S (x F y)` for F, S in add, sub, mul, f32 and f64, are one op when the
 * intermediate dies in the second.  Each of the 36 shapes is a function
 * built here; the test checks that its plain code holds the fused op and
 * that its results equal C's with the intermediate rounded to the type
 * (a fused multiply-add would differ on the first values below), fuel off
 * and on, including infinities, signed zeros and NaNs (compared as NaN).
 */
#define _GNU_SOURCE /* open_memstream */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../test.h"
#include "common/util.h"
#include "interp/exec.h"
#include "ward.h"

enum { NOPS = 3, NSHAPES = 2 * NOPS * NOPS * 2 };
static const uint8_t op_f32[NOPS] = {0x92, 0x93, 0x94}; /* f32.add, sub, mul */
static const uint8_t op_f64[NOPS] = {0xa0, 0xa1, 0xa2};
static const char *const op_name[NOPS] = {"ADD", "SUB", "MUL"};

/* Shape i: type (0 f32, 1 f64), first op, second op, right (z S (x F y)). */
static void shape(int i, int *type, int *f, int *s, int *right)
{
    *right = i & 1;
    *s = (i >> 1) % NOPS;
    *f = (i >> 1) / NOPS % NOPS;
    *type = (i >> 1) / (NOPS * NOPS);
}

/* A section: id, size, body. */
static size_t put_section(uint8_t *p, uint8_t id, const uint8_t *body, size_t len)
{
    size_t n = 0;
    p[n++] = id;
    n += wleb_u64(p + n, (uint32_t)len);
    memcpy(p + n, body, len);
    return n + len;
}

static size_t build_module(uint8_t *out)
{
    static uint8_t body[8192];
    size_t n = 0, b;
    memcpy(out, "\0asm\1\0\0\0", 8);
    n = 8;
    /* types: (f32 f32 f32) -> f32, (f64 f64 f64) -> f64 */
    const uint8_t types[] = {2, 0x60, 3, 0x7d, 0x7d, 0x7d, 1, 0x7d, 0x60, 3, 0x7c, 0x7c, 0x7c, 1, 0x7c};
    n += put_section(out + n, 1, types, sizeof types);
    b = wleb_u64(body, NSHAPES);
    for (int i = 0; i < NSHAPES; i++) {
        int type, f, s, right;
        shape(i, &type, &f, &s, &right);
        body[b++] = (uint8_t)type;
    }
    n += put_section(out + n, 3, body, b);
    b = wleb_u64(body, NSHAPES);
    for (int i = 0; i < NSHAPES; i++) {
        char name[8];
        int len = snprintf(name, sizeof name, "f%d", i);
        body[b++] = (uint8_t)len;
        memcpy(body + b, name, (size_t)len);
        b += (size_t)len;
        body[b++] = 0;
        b += wleb_u64(body + b, (uint32_t)i);
    }
    n += put_section(out + n, 7, body, b);
    b = wleb_u64(body, NSHAPES);
    for (int i = 0; i < NSHAPES; i++) {
        int type, f, s, right;
        shape(i, &type, &f, &s, &right);
        const uint8_t *ops = type ? op_f64 : op_f32;
        uint8_t code[16];
        size_t c = 0;
        code[c++] = 0; /* no locals */
        if (right) {
            code[c++] = 0x20, code[c++] = 2;
        }
        code[c++] = 0x20, code[c++] = 0, code[c++] = 0x20, code[c++] = 1, code[c++] = ops[f];
        if (!right) {
            code[c++] = 0x20, code[c++] = 2;
        }
        code[c++] = ops[s];
        code[c++] = 0x0b;
        body[b++] = (uint8_t)c;
        memcpy(body + b, code, c);
        b += c;
    }
    return n + put_section(out + n, 10, body, b);
}

static double apply(int type, int op, double a, double b)
{
    if (type == 0) {
        volatile float r = op == 0 ? (float)a + (float)b : op == 1 ? (float)a - (float)b : (float)a * (float)b;
        return r;
    }
    volatile double r = op == 0 ? a + b : op == 1 ? a - b : a * b;
    return r;
}

static double reference(int i, double x, double y, double z)
{
    int type, f, s, right;
    shape(i, &type, &f, &s, &right);
    double v = apply(type, f, x, y); /* rounded to the type: volatile */
    return right ? apply(type, s, z, v) : apply(type, s, v, z);
}

static ward_val float_val(int type, double v)
{
    ward_val out = {.kind = type ? WARD_F64 : WARD_F32};
    float f = (float)v;
    if (type)
        memcpy(&out.of.f64_bits, &v, sizeof v);
    else
        memcpy(&out.of.f32_bits, &f, sizeof f);
    return out;
}

static double val_float(int type, const ward_val *v)
{
    double d;
    float f;
    if (type) {
        memcpy(&d, &v->of.f64_bits, sizeof d);
        return d;
    }
    memcpy(&f, &v->of.f32_bits, sizeof f);
    return f;
}

static bool same_value(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    return a == b && signbit(a) == signbit(b);
}

static bool fused(ward_func *f, int i)
{
    int type, fi, s, right;
    shape(i, &type, &fi, &s, &right);
    char want[32];
    snprintf(want, sizeof want, "%s_%s_%s_%s", type ? "F64" : "F32", op_name[fi], op_name[s], right ? "R" : "L");
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    wir_dump(f->code, WVAR_PLAIN, out);
    fclose(out);
    bool found = text && strstr(text, want) != NULL;
    free(text);
    return found;
}

int main(void)
{
    static uint8_t wasm[16384];
    size_t size = build_module(wasm);
    ward_engine *engine = ward_engine_new(NULL);
    ward_error err;
    ward_module *module = ward_module_new(engine, wasm, size, &err);
    CHECK_MSG(module != NULL, "%s", err.message);
    ward_store *store = ward_store_new(engine);
    ward_instance *inst = NULL;
    CHECK(ward_instantiate(store, module, NULL, &inst, NULL, NULL) == WARD_OK);
    /* The first triple tells a rounded intermediate from a fused
     * multiply-add: (1 + 2^-30)^2 - (1 + 2^-29) is 0 rounded, 2^-60 fused. */
    const double d = ldexp(1, -30), e = ldexp(1, -12);
    const double values[][3] = {
        {1 + d, 1 + d, -(1 + 2 * d)}, {1 + e, 1 + e, -(1 + 2 * e)}, {1.5, -2.25, 0.1},
        {3e38, 10, -1e300},           {-0.0, 0.0, -0.0},           {INFINITY, 0, 1},
        {NAN, 1, 2},                  {1, 2, NAN},                 {INFINITY, -INFINITY, 5},
        {1e-45, 0.5, 1e-300},
    };
    int wrong = 0, runs = 0;
    for (int fuel = 0; fuel < 2; fuel++) {
        if (fuel)
            ward_store_set_fuel(store, 1000000);
        for (int i = 0; i < NSHAPES; i++) {
            char name[8];
            snprintf(name, sizeof name, "f%d", i);
            ward_func *f = ward_instance_func(inst, name);
            int type = i / (2 * NOPS * NOPS);
            for (size_t v = 0; v < sizeof values / sizeof *values; v++) {
                ward_val args[3], res;
                for (int k = 0; k < 3; k++)
                    args[k] = float_val(type, values[v][k]);
                double x = type ? values[v][0] : (float)values[v][0];
                double y = type ? values[v][1] : (float)values[v][1];
                double z = type ? values[v][2] : (float)values[v][2];
                ward_trap trap;
                CHECK(ward_call(store, f, args, 3, &res, 1, &trap) == WARD_OK);
                double got = val_float(type, &res);
                runs++;
                if (!same_value(got, reference(i, x, y, z))) {
                    wrong++;
                    fprintf(stderr, "  f%d fuel=%d values %zu: got %a want %a\n", i, fuel, v, got,
                            reference(i, x, y, z));
                }
            }
            if (!fuel)
                CHECK_MSG(fused(f, i), "f%d: no fused op in the plain code", i);
        }
    }
    CHECK(wrong == 0);
    printf("float chains: %d shapes, %d calls, %d wrong\n", NSHAPES, runs, wrong);
    ward_store_free(store);
    ward_module_free(module);
    ward_engine_free(engine);
    return test_summary("fchain");
}
