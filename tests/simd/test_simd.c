/*
 * The SIMD back end (src/simd) against the portable scalar oracle and the
 * spec testsuite's answers.
 *
 * 1. Every instruction (simd_ops.h) runs on edge-case and random vectors
 *    (fixed seed) through the selected back end (wsimd_*) and the scalar
 *    oracle (wsimd_scalar_*); results must agree bit for bit, except NaN
 *    lanes of float arithmetic, which compare by the spec's rule: where the
 *    oracle gives a NaN the back end must give a NaN too, canonical if every
 *    NaN input of that lane is canonical (or there is none), else any
 *    arithmetic (quiet) NaN.  The oracle must itself give such a NaN
 *    (checked by part 2).
 * 2. Known answers from the spec testsuite (spec_kat.txt, made by
 *    gen_spec_kat.py) checked against both, with the spec's nan:canonical /
 *    nan:arithmetic rules, so the oracle itself is checked.
 * With -Dsimd_backend=scalar part 1 compares the oracle with itself and
 * part 2 carries the test.
 *
 *   test_simd [spec_kat.txt]
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../test.h"
#include "simd_compare.h"

/* ---- inputs ------------------------------------------------------------- */

static uint64_t wt_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static const uint64_t wt_edge_int[] = {
    0, 1, 2, 0x7F, 0x80, 0x81, 0xFF, 0x7FFF, 0x8000, 0x8001, 0xFFFF, 0x7FFFFFFF, 0x80000000u, 0x80000001u,
    0xFFFFFFFFu, 0x7FFFFFFFFFFFFFFFull, 0x8000000000000000ull, 0xFFFFFFFFFFFFFFFFull, 0x5555555555555555ull,
    0xAAAAAAAAAAAAAAAAull, 0xFFFFFFFFFFFFFF80ull, 0xFFFFFFFFFFFF8000ull, 0xFFFFFFFF80000000ull, 15, 16, 17, 31, 32,
    0x4000, 0xC000, 0x0100, 0x00FF00FF,
};
static const uint32_t wt_edge_f32[] = {
    0x00000000, 0x80000000, 0x3F800000, 0xBF800000, 0x3F000000, 0xBF000000, 0x3FC00000, 0x40200000, 0xC0200000,
    0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00000, 0x7FC01234, 0xFFE00001, 0x7F800001, 0x7FA00000, 0xFF800123,
    0x00000001, 0x807FFFFF, 0x00800000, 0x7F7FFFFF, 0xFF7FFFFF, 0x4EFFFFFF, 0x4F000000, 0xCF000000, 0xCF000001,
    0x4F7FFFFF, 0x4F800000, 0x3F7FFFFF, 0xBF7FFFFF, 0x4B000000, 0x4AFFFFFF, 0x4B7FFFFF, 0xCB7FFFFF, 0x3EFFFFFF,
};
static const uint64_t wt_edge_f64[] = {
    0, 0x8000000000000000ull, 0x3FF0000000000000ull, 0xBFF0000000000000ull, 0x3FE0000000000000ull,
    0xBFE0000000000000ull, 0x3FF8000000000000ull, 0x4004000000000000ull, 0xC004000000000000ull,
    0x7FF0000000000000ull, 0xFFF0000000000000ull, 0x7FF8000000000000ull, 0xFFF8000000000000ull,
    0x7FF8000000001234ull, 0x7FF0000000000001ull, 0xFFF4000000000000ull, 0x0000000000000001ull,
    0x800FFFFFFFFFFFFFull, 0x7FEFFFFFFFFFFFFFull, 0x41DFFFFFFFC00000ull, 0x41DFFFFFFFE00000ull,
    0x41E0000000000000ull, 0xC1E0000000000000ull, 0xC1E0000000100000ull, 0xC1E0000000200000ull,
    0x41EFFFFFFFE00000ull, 0x41EFFFFFFFF00000ull, 0x41F0000000000000ull, 0x3FEFFFFFFFFFFFFFull,
    0xBFEFFFFFFFFFFFFFull, 0x4330000000000000ull, 0x432FFFFFFFFFFFFFull, 0x47EFFFFFE0000000ull,
    0x47EFFFFFF0000000ull, 0x36A0000000000000ull, 0x3FDFFFFFFFFFFFFFull,
};
#define WT_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A vector of one random lane shape; lanes edge values or random bits. */
static wv128 wt_vector(uint64_t *s)
{
    wv128 v;
    v.u64[0] = wt_next(s);
    v.u64[1] = wt_next(s);
    unsigned shape = (unsigned)(wt_next(s) % 7);
    for (int i = 0; i < 16; i++) {
        uint64_t pick = wt_next(s);
        if (pick % 3 == 0)
            continue; /* keep random bits in this lane */
        uint64_t e = wt_edge_int[(pick >> 8) % WT_COUNT(wt_edge_int)];
        switch (shape) {
        case 0: v.u8[i] = (uint8_t)e; break;
        case 1: v.u16[i % 8] = (uint16_t)e; break;
        case 2: v.u32[i % 4] = (uint32_t)e; break;
        case 3: v.u64[i % 2] = e; break;
        case 4: v.u32[i % 4] = wt_edge_f32[(pick >> 8) % WT_COUNT(wt_edge_f32)]; break;
        case 5: v.u64[i % 2] = wt_edge_f64[(pick >> 8) % WT_COUNT(wt_edge_f64)]; break;
        default: break; /* all random */
        }
    }
    return v;
}

static wt_args wt_random_args(uint64_t *s, const wt_op *op)
{
    wt_args a;
    for (int k = 0; k < 3; k++)
        a.v[k] = wt_vector(s);
    a.x = wt_vector(s);
    if (op->kind == WT_SHIFT && wt_next(s) % 2) /* counts near the lane widths */
        a.x.u32[0] = (uint32_t)(wt_next(s) % 130);
    a.lane = (unsigned)(wt_next(s) % wt_lanes(op->name));
    for (int i = 0; i < 16; i++)
        a.pattern[i] = (uint8_t)(wt_next(s) % 32);
    return a;
}

/* Runs op on a and reports the first few disagreements. */
static void wt_compare(const wt_op *op, const wt_args *a, int *reported)
{
    wv128 r = wt_call(op, 0, a), o = wt_call(op, 1, a);
    int ok = wt_agree(op, a, &r, &o);
    if (!ok && (*reported)++ < 3) {
        char h[5][33];
        wt_hex(&a->v[0], h[0]);
        wt_hex(&a->v[1], h[1]);
        wt_hex(&a->x, h[2]);
        wt_hex(&r, h[3]);
        wt_hex(&o, h[4]);
        fprintf(stderr, "%s (%s): a=%s b=%s x=%s lane=%u: got %s, oracle %s\n", op->name, WSIMD_BACKEND, h[0], h[1],
                h[2], a->lane, h[3], h[4]);
    }
    CHECK(ok);
}

/* Edge cases that random vectors may miss: every shift count 0..80, every
 * lane index, each edge value splatted into all lanes against each other. */
static void wt_edges(const wt_op *op, int *reported)
{
    uint64_t s = 0x9E3779B97F4A7C15ull;
    wt_args a = wt_random_args(&s, op);
    for (uint32_t c = 0; c < 80 && op->kind == WT_SHIFT; c++) {
        a.x.u32[0] = c;
        wt_compare(op, &a, reported);
    }
    for (unsigned l = 0; l < wt_lanes(op->name); l++) {
        a.lane = l;
        wt_compare(op, &a, reported);
    }
    for (size_t i = 0; i < WT_COUNT(wt_edge_f32); i++) {
        for (size_t j = 0; j < WT_COUNT(wt_edge_f32); j++) {
            for (int k = 0; k < 4; k++) {
                a.v[0].u32[k] = wt_edge_f32[i];
                a.v[1].u32[k] = wt_edge_f32[(j + (size_t)k) % WT_COUNT(wt_edge_f32)];
                a.v[2].u32[k] = wt_edge_f32[(i + j + (size_t)k) % WT_COUNT(wt_edge_f32)];
                a.x.u32[k] = wt_edge_f32[j];
            }
            wt_compare(op, &a, reported);
        }
    }
    for (size_t i = 0; i < WT_COUNT(wt_edge_f64); i++) {
        for (size_t j = 0; j < WT_COUNT(wt_edge_f64); j++) {
            for (int k = 0; k < 2; k++) {
                a.v[0].u64[k] = wt_edge_f64[i];
                a.v[1].u64[k] = wt_edge_f64[(j + (size_t)k) % WT_COUNT(wt_edge_f64)];
                a.x.u64[k] = wt_edge_f64[j];
            }
            wt_compare(op, &a, reported);
        }
    }
    for (size_t i = 0; i < WT_COUNT(wt_edge_int); i++) {
        for (size_t j = 0; j < WT_COUNT(wt_edge_int); j++) {
            a.v[0].u64[0] = a.v[0].u64[1] = wt_edge_int[i];
            a.v[1].u64[0] = a.v[1].u64[1] = wt_edge_int[j];
            a.v[0].u64[1] = ~a.v[0].u64[1];
            a.x.u64[0] = wt_edge_int[j];
            wt_compare(op, &a, reported);
        }
    }
}

#define WT_RANDOM_PER_OP 3000

static void test_against_oracle(void)
{
    uint64_t seed = 0x2545F4914F6CDD1Dull;
    for (int n = 0; n < WT_NOPS; n++) {
        const wt_op *op = &wt_ops[n];
        int reported = 0;
        wt_edges(op, &reported);
        for (int k = 0; k < WT_RANDOM_PER_OP; k++) {
            wt_args a = wt_random_args(&seed, op);
            wt_compare(op, &a, &reported);
        }
    }
}

/* ---- table completeness ------------------------------------------------- */

/* Every instruction of opcodes_simd.def except memory ops and v128.const
 * must be in the table, by name. */
#define WT_IN_TABLE_NONE 1
#define WT_IN_TABLE_LANE 1
#define WT_IN_TABLE_SHUFFLE 1
#define WT_IN_TABLE_MEMARG 0
#define WT_IN_TABLE_MEMARG_LANE 0
#define WT_IN_TABLE_V128 0

static const wt_op *wt_find(const char *name)
{
    for (int n = 0; n < WT_NOPS; n++)
        if (strcmp(wt_ops[n].name, name) == 0)
            return &wt_ops[n];
    return NULL;
}

static void test_table_complete(void)
{
    int expected = 0;
#define OP(e, prefix, code, name, imm, sig, fuel, feature, access, lanes, flags)                                      \
    if (WT_IN_TABLE_##imm) {                                                                                           \
        expected++;                                                                                                    \
        CHECK_MSG(wt_find(name) != NULL, "%s missing from simd_ops.h", name);                                          \
    }
#include "common/opcodes_simd.def"
#undef OP
    CHECK_MSG(expected == WT_NOPS, "%d instructions, %d in the table", expected, WT_NOPS);
}

/* ---- spec known answers --------------------------------------------------- */

static int wt_parse_hex(const char *s, wv128 *v)
{
    if (strlen(s) != 32)
        return 0;
    for (int i = 0; i < 16; i++) {
        unsigned byte;
        if (sscanf(s + 2 * i, "%2x", &byte) != 1)
            return 0;
        v->u8[i] = (uint8_t)byte;
    }
    return 1;
}

/* result matches expected under the lane tags ("-" or "f32:vvca"...). */
static int wt_kat_agree(const wv128 *r, const wv128 *want, const char *tags)
{
    if (strcmp(tags, "-") == 0)
        return memcmp(r, want, 16) == 0;
    int w = tags[1] == '3' ? 32 : 64;
    for (int i = 0; i < 128 / w; i++) {
        uint64_t rl = wt_lane(r, w, i);
        char t = tags[4 + i];
        if ((t == 'v' && rl != wt_lane(want, w, i)) || (t == 'c' && !wt_is_canonical(rl, w)) ||
            (t == 'a' && !wt_is_arithmetic(rl, w)))
            return 0;
    }
    return 1;
}

static void wt_kat_line(char *line, int *cases)
{
    char *tok[8];
    int n = 0;
    for (char *t = strtok(line, " \n"); t && n < 8; t = strtok(NULL, " \n"))
        tok[n++] = t;
    const wt_op *op = n >= 4 ? wt_find(tok[0]) : NULL;
    CHECK_MSG(op != NULL, "bad line or unknown instruction: %s", n ? tok[0] : "");
    if (!op)
        return;
    wt_args a;
    memset(&a, 0, sizeof a);
    int nargs = n - 4;
    wv128 want;
    int ok = strcmp(tok[n - 3], "=") == 0 && wt_parse_hex(tok[n - 2], &want);
    for (int k = 0; k < nargs && k < 3 && ok; k++)
        ok = wt_parse_hex(tok[1 + k], &a.v[k]);
    CHECK_MSG(ok, "malformed line for %s", tok[0]);
    if (!ok)
        return;
    /* A scalar operand is the last argument (shift count) or the only one. */
    if (op->kind == WT_SHIFT)
        a.x = a.v[1];
    else if (op->kind >= WT_SPLAT_I32 && op->kind <= WT_SPLAT_F64)
        a.x = a.v[0];
    for (int ref = 0; ref < 2; ref++) {
        wv128 r = wt_call(op, ref, &a);
        int good = wt_kat_agree(&r, &want, tok[n - 1]);
        if (!good) {
            char h[2][33];
            wt_hex(&r, h[0]);
            wt_hex(&want, h[1]);
            fprintf(stderr, "%s (%s) %s %s: got %s want %s %s\n", op->name, ref ? "oracle" : WSIMD_BACKEND,
                    tok[1], nargs > 1 ? tok[2] : "", h[0], h[1], tok[n - 1]);
        }
        CHECK(good);
    }
    (*cases)++;
}

static void test_spec_answers(const char *path)
{
    FILE *f = fopen(path, "r");
    CHECK_MSG(f != NULL, "cannot open %s", path);
    if (!f)
        return;
    char line[512];
    int cases = 0;
    while (fgets(line, sizeof line, f))
        wt_kat_line(line, &cases);
    fclose(f);
    printf("simd: %d spec known answers from %s\n", cases, path);
    CHECK(cases > 7000);
}

int main(int argc, char **argv)
{
    printf("simd: back end %s, %d instructions\n", WSIMD_BACKEND, WT_NOPS);
    test_table_complete();
    test_against_oracle();
    test_spec_answers(argc > 1 ? argv[1] : "spec_kat.txt");
    return test_summary("simd");
}
