/*
 * Loop idioms: loops whose whole body is a known shape, recognized from the
 * wasm bytes and given a native fast path in the plain code.
 *
 * One so far, the byte-compare loop clang -O2 makes of wasi-libc's memcmp,
 * `for (; n && *l == *r; n--, l++, r++);`:
 *
 *     loop
 *       local.get L  i32.load8_u  local.tee X
 *       local.get R  i32.load8_u  local.tee Y
 *       i32.ne  br_if D                       (D > 0: out of the loop)
 *       local.get R  i32.const 1  i32.add  local.set R      (R and L in
 *       local.get L  i32.const 1  i32.add  local.set L       either order)
 *       local.get N  i32.const -1  i32.add  local.tee N  br_if 0
 *
 * yosys spends most of its instructions in it (docs/interpreter.md).  A
 * MEMCMP_SKIP op before the loop's label runs the iterations that compare
 * equal in-bounds bytes and stay in the loop with a native compare, then
 * the loop runs as translated, so the iteration that leaves (mismatch, end
 * of the count, or the load that traps) is the loop's own and exits, traps
 * and offsets are exactly the wasm ones.  Only the plain code has it: the
 * metered and step codes charge every iteration, so fuel is untouched.
 */
#include "compile.h"

enum {
    ANY_L = 256, /* a one-byte LEB128 index, captured; the same capture must repeat */
    ANY_R, ANY_N, ANY_X, ANY_Y, ANY_DEPTH, ANY_INC1, ANY_INC2,
};
#define CAPTURES (ANY_INC2 - ANY_L + 1)

static const uint16_t memcmp_loop[] = {
    0x03, 0x40,                                                 /* loop (empty type) */
    0x20, ANY_L, 0x2d, 0x00, 0x00, 0x22, ANY_X,                 /* X = load8_u L */
    0x20, ANY_R, 0x2d, 0x00, 0x00, 0x22, ANY_Y,                 /* Y = load8_u R */
    0x47, 0x0d, ANY_DEPTH,                                      /* br_if D (X != Y) */
    0x20, ANY_INC1, 0x41, 0x01, 0x6a, 0x21, ANY_INC1,           /* one pointer += 1 */
    0x20, ANY_INC2, 0x41, 0x01, 0x6a, 0x21, ANY_INC2,           /* the other += 1 */
    0x20, ANY_N, 0x41, 0x7f, 0x6a, 0x22, ANY_N, 0x0d, 0x00,     /* br_if 0 (--N) */
};

/* Match a byte pattern at p (before end); cap gets the captured bytes. */
static bool match(const uint16_t *pat, size_t len, const uint8_t *p, const uint8_t *end, int cap[CAPTURES])
{
    if ((size_t)(end - p) < len)
        return false;
    for (int i = 0; i < CAPTURES; i++)
        cap[i] = -1;
    for (size_t i = 0; i < len; i++) {
        if (pat[i] < ANY_L) {
            if (p[i] != pat[i])
                return false;
            continue;
        }
        int *c = &cap[pat[i] - ANY_L];
        if (p[i] >= 0x80 || (*c >= 0 && *c != p[i]))
            return false;
        *c = p[i];
    }
    return true;
}

/* The five locals are distinct, the increments are L and R, and the
 * mismatch leaves the loop. */
static bool memcmp_shape(const int cap[CAPTURES])
{
    int l = cap[ANY_L - ANY_L], r = cap[ANY_R - ANY_L];
    int inc1 = cap[ANY_INC1 - ANY_L], inc2 = cap[ANY_INC2 - ANY_L];
    if (cap[ANY_DEPTH - ANY_L] == 0 || !((inc1 == l && inc2 == r) || (inc1 == r && inc2 == l)))
        return false;
    int locals[5] = {l, r, cap[ANY_N - ANY_L], cap[ANY_X - ANY_L], cap[ANY_Y - ANY_L]};
    for (int i = 0; i < 5; i++)
        for (int j = i + 1; j < 5; j++)
            if (locals[i] == locals[j])
                return false;
    return true;
}

void wtr_loop_idiom(wtr *t, const winstr *loop)
{
    if (t->variant != WVAR_PLAIN || t->m->nmemories == 0)
        return;
    const uint8_t *p = t->m->bytes + loop->offset, *end = t->m->bytes + t->m->size;
    int cap[CAPTURES];
    if (!match(memcmp_loop, sizeof memcmp_loop / sizeof *memcmp_loop, p, end, cap) || !memcmp_shape(cap))
        return;
    wcell *c = wtr_emit(t, WIR_MEMCMP_SKIP, 3);
    c[1].s.a = wtr_local_slot(t, (uint32_t)cap[ANY_L - ANY_L]);
    c[1].s.b = wtr_local_slot(t, (uint32_t)cap[ANY_R - ANY_L]);
    c[2].s.a = wtr_local_slot(t, (uint32_t)cap[ANY_N - ANY_L]);
    c[2].s.b = wtr_local_slot(t, (uint32_t)cap[ANY_X - ANY_L]);
    c[3].s.a = wtr_local_slot(t, (uint32_t)cap[ANY_Y - ANY_L]);
    t->last_end = SIZE_MAX; /* the loop's label follows: nothing fuses with it */
}
