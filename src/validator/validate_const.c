/*
 * Constant expressions (global initializers, segment offsets, element
 * items).  Wasm 2.0 allows only t.const, ref.null, ref.func and global.get of
 * an imported immutable global; extended_const adds i32/i64 add, sub, mul.
 * Only imported globals are visible because the others are not initialized
 * yet when these expressions run.
 */
#include <stdlib.h>

#include "validate_internal.h"

typedef struct const_stack {
    uint8_t *types;
    size_t len, cap;
} const_stack;

static bool const_push(const_stack *s, uint8_t t, werror *err, const char *what)
{
    if (!wgrow((void **)&s->types, &s->cap, s->len + 1, 1))
        return werror_set(err, "%s: out of memory", what);
    s->types[s->len++] = t;
    return true;
}

/* The XCONST flag of opcodes.def: i32/i64 add, sub and mul. */
static bool is_extended_const_op(wop op)
{
    return (wop_info[op].flags & WOPF_XCONST) != 0;
}

/* A constant instruction with no operands whose result type is in its
 * signature: i32/i64/f32/f64.const and, with simd, v128.const. */
static bool is_plain_const(const wsig *sig, const wopinfo *info)
{
    if (!sig->valid || sig->nparams != 0 || sig->nresults != 1)
        return false;
    switch (info->imm) {
    case WIMM_I32:
    case WIMM_I64:
    case WIMM_F32:
    case WIMM_F64:
    case WIMM_V128:
        return true;
    default:
        return false;
    }
}

static bool const_binary(wvalidator *v, const_stack *s, const wsig *sig, const char *what)
{
    for (int i = sig->nparams - 1; i >= 0; i--) {
        if (s->len == 0 || s->types[s->len - 1] != sig->types[i])
            return werror_set(v->err, "%s: type mismatch", what);
        s->len--;
    }
    return const_push(s, sig->types[sig->nparams], v->err, what);
}

static bool const_global_get(wvalidator *v, const_stack *s, uint32_t index, const char *what)
{
    const wmodule *m = v->m;
    if (index >= m->nimported_globals)
        return werror_set(v->err, "%s: unknown global %u", what, index);
    if (m->globals[index].type.mutable_)
        return werror_set(v->err, "%s: constant expression required", what);
    return const_push(s, m->globals[index].type.valtype, v->err, what);
}

static bool const_ref_func(wvalidator *v, const_stack *s, uint32_t index, const char *what)
{
    if (index >= v->m->nfuncs)
        return werror_set(v->err, "%s: unknown function %u", what, index);
    wvalidator_declare(v, index);
    return const_push(s, WT_FUNCREF, v->err, what);
}

/* Type one instruction of a constant expression. */
static bool const_instr(wvalidator *v, const_stack *s, const winstr *in, const char *what)
{
    const wsig *sig = &wsig_table[in->op];
    if (is_plain_const(sig, &wop_info[in->op]))
        return const_push(s, sig->types[0], v->err, what);
    if (v->m->features.extended_const && is_extended_const_op(in->op))
        return const_binary(v, s, sig, what);
    switch (in->op) {
    case WOP_REF_NULL:
        return const_push(s, in->reftype, v->err, what);
    case WOP_REF_FUNC:
        return const_ref_func(v, s, in->a, what);
    case WOP_GLOBAL_GET:
        return const_global_get(v, s, in->a, what);
    default:
        return werror_set(v->err, "%s: constant expression required", what);
    }
}

static bool const_expr_loop(wvalidator *v, wreader *r, const_stack *s, uint8_t type, const char *what)
{
    winstr in;
    for (;;) {
        if (wreader_left(r) == 0)
            return werror_set(v->err, "%s: END opcode expected", what);
        uint32_t at = wreader_offset(r);
        werror local;
        if (!wread_instr(r, &v->scratch, &v->m->features, &in, &local)) {
            werror_set(v->err, "%s, offset 0x%x: %s", what, at, local.msg);
            v->err->offset = at;
            return false;
        }
        if (in.op == WOP_END)
            break;
        if (!const_instr(v, s, &in, what))
            return false;
    }
    if (wreader_left(r) != 0)
        return werror_set(v->err, "%s: constant expression required", what);
    if (s->len != 1 || s->types[0] != type)
        return werror_set(v->err, "%s: type mismatch: expected %s", what, wval_type_name(type));
    return true;
}

bool wvalidate_const_expr(wvalidator *v, const wexpr *e, uint8_t type, const char *what)
{
    const wmodule *m = v->m;
    if (e->offset > m->size || e->len > m->size - e->offset)
        return werror_set(v->err, "%s: expression out of bounds", what);
    wreader r = {m->bytes, m->bytes + e->offset, m->bytes + e->offset + e->len};
    const_stack s = {NULL, 0, 0};
    bool ok = const_expr_loop(v, &r, &s, type, what);
    free(s.types);
    return ok;
}
