/*
 * Constant expressions (global initialisers, segment offsets and element
 * items).  The validator has already checked them, so this is a plain stack
 * machine over the few instructions allowed: constants, ref.null, ref.func,
 * global.get and the extended-const integer add/sub/mul.
 */
#include <stdlib.h>
#include <string.h>

#include "../decoder/instr.h"
#include "internal.h"

typedef struct wconst_stack {
    uint64_t (*slots)[2];
    size_t depth;
} wconst_stack;

static void push(wconst_stack *s, uint64_t lo, uint64_t hi)
{
    s->slots[s->depth][0] = lo;
    s->slots[s->depth][1] = hi;
    s->depth++;
}

/* Binary integer ops: pop b, then apply to a in place.  Unsigned wrap-around
 * is exactly wasm's modular arithmetic; i32 results are re-truncated. */
static void binary(wconst_stack *s, wop op)
{
    if (s->depth < 2)
        return;
    uint64_t b = s->slots[--s->depth][0];
    uint64_t *a = &s->slots[s->depth - 1][0];
    switch (op) {
    case WOP_I32_ADD:
        *a = (uint32_t)(*a + b);
        break;
    case WOP_I32_SUB:
        *a = (uint32_t)(*a - b);
        break;
    case WOP_I32_MUL:
        *a = (uint32_t)((uint32_t)*a * (uint32_t)b);
        break;
    case WOP_I64_ADD:
        *a = *a + b;
        break;
    case WOP_I64_SUB:
        *a = *a - b;
        break;
    case WOP_I64_MUL:
        *a = *a * b;
        break;
    default:
        break;
    }
}

static void step(const ward_instance *inst, const winstr *in, wconst_stack *s)
{
    uint64_t v128[2];
    switch (in->op) {
    case WOP_I32_CONST:
        push(s, (uint32_t)in->imm, 0);
        return;
    case WOP_I64_CONST:
    case WOP_F32_CONST:
    case WOP_F64_CONST:
        push(s, in->imm, 0);
        return;
    case WOP_REF_NULL:
        push(s, 0, 0);
        return;
    case WOP_REF_FUNC:
        push(s, (uint64_t)(uintptr_t)inst->funcs[in->a], 0);
        return;
    case WOP_GLOBAL_GET:
        push(s, inst->globals[in->a]->val[0], inst->globals[in->a]->val[1]);
        return;
    case WOP_I32_ADD:
    case WOP_I32_SUB:
    case WOP_I32_MUL:
    case WOP_I64_ADD:
    case WOP_I64_SUB:
    case WOP_I64_MUL:
        binary(s, in->op);
        return;
    default:
        break;
    }
    /* v128.const, found through the opcode table rather than by name. */
    if (wop_info[in->op].imm == WIMM_V128) {
        memcpy(v128, in->bytes16, 16);
        push(s, v128[0], v128[1]);
    }
}

bool weval_const_checked(const ward_instance *inst, wexpr expr, uint64_t out[2], werror *err)
{
    /* Every value-producing instruction takes at least two bytes, which
     * bounds the stack depth by the expression's length. */
    uint64_t local[16][2];
    size_t cap = (size_t)expr.len / 2 + 1;
    wconst_stack s = {local, 0};
    if (cap > 16 && !(s.slots = wmalloc_array(cap, sizeof *s.slots)))
        return werror_set(err, "out of memory");
    wreader r = {inst->m->bytes, inst->m->bytes + expr.offset, inst->m->bytes + expr.offset + expr.len};
    winstr_scratch scratch = {NULL, 0};
    winstr in;
    bool ok = true;
    out[0] = out[1] = 0;
    while (wreader_left(&r) > 0) {
        if (!wread_instr(&r, &scratch, &inst->m->features, &in, err)) {
            ok = false;
            break;
        }
        if (in.op == WOP_END)
            break;
        if (s.depth < cap)
            step(inst, &in, &s);
    }
    if (ok && s.depth > 0) {
        out[0] = s.slots[s.depth - 1][0];
        out[1] = s.slots[s.depth - 1][1];
    }
    winstr_scratch_free(&scratch);
    if (s.slots != local)
        free(s.slots);
    return ok;
}

void weval_const(const ward_instance *inst, wexpr expr, uint64_t out[2])
{
    werror ignored;
    if (!weval_const_checked(inst, expr, out, &ignored))
        out[0] = out[1] = 0;
}
