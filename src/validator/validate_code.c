/*
 * Function bodies: the spec's validation algorithm (appendix "Validation
 * Algorithm").  An operand stack of value types and a control stack of
 * frames, both on the heap and grown with wgrow, so nesting depth costs
 * memory, never C stack.  After `unreachable`, `br`, `br_table` or `return`
 * the frame's stack is polymorphic: popping past its base yields WT_UNKNOWN,
 * which matches any type.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate_internal.h"

/* A one-element type list for every value type: a block of type `t` has
 * results &valtype_list[t], so frames never point into a stack that may move. */
static const uint8_t valtype_list[256] = {
    [WT_I32] = WT_I32,
    [WT_I64] = WT_I64,
    [WT_F32] = WT_F32,
    [WT_F64] = WT_F64,
    [WT_V128] = WT_V128,
    [WT_FUNCREF] = WT_FUNCREF,
    [WT_EXTERNREF] = WT_EXTERNREF,
};

bool wcode_fail(wcode_state *s, const char *fmt, ...)
{
    char msg[WERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    werror *err = s->v->err;
    werror_set(err, "function %u, offset 0x%x: %s", s->func_index, s->offset, msg);
    err->section = WSECTION_ID_CODE;
    err->func = s->func_index;
    err->offset = s->offset;
    return false;
}

static wctrl *top_ctrl(wcode_state *s)
{
    return &s->ctrls[s->nctrls - 1];
}

bool wcode_push_slow(wcode_state *s, uint8_t t)
{
    if (!wgrow((void **)&s->vals, &s->vals_cap, s->nvals + 1, 1))
        return wcode_fail(s, "out of memory");
    s->vals[s->nvals++] = t;
    return true;
}

bool wcode_pop_slow(wcode_state *s, uint8_t expect, uint8_t *actual)
{
    const wctrl *c = top_ctrl(s);
    uint8_t t = WT_UNKNOWN;
    if (s->nvals == c->height) {
        if (!c->unreachable)
            return wcode_fail(s, "type mismatch: expected %s but the stack is empty",
                              expect == WT_UNKNOWN ? "a value" : wval_type_name(expect));
    } else {
        t = s->vals[--s->nvals];
    }
    if (t != expect && t != WT_UNKNOWN && expect != WT_UNKNOWN)
        return wcode_fail(s, "type mismatch: expected %s, got %s", wval_type_name(expect), wval_type_name(t));
    if (actual)
        *actual = t;
    return true;
}

bool wcode_pop_vals(wcode_state *s, const uint8_t *types, uint32_t n)
{
    const wctrl *c = top_ctrl(s);
    size_t avail = s->nvals - c->height;
    /* Pops past a polymorphic frame's base all yield unknown and match
     * anything: skip them, so dead code cannot cost O(params) per call. */
    if (c->unreachable && n > avail) {
        types += n - avail;
        n = (uint32_t)avail;
    }
    for (uint32_t i = n; i > 0; i--)
        if (!wcode_pop(s, types[i - 1], NULL))
            return false;
    return true;
}

bool wcode_push_vals(wcode_state *s, const uint8_t *types, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (!wcode_push(s, types[i]))
            return false;
    return true;
}

void wcode_set_unreachable(wcode_state *s)
{
    wctrl *c = top_ctrl(s);
    s->nvals = c->height;
    c->unreachable = true;
}

static bool push_ctrl(wcode_state *s, uint16_t op, const uint8_t *params, uint32_t nparams,
                      const uint8_t *results, uint32_t nresults)
{
    if (!wgrow((void **)&s->ctrls, &s->ctrls_cap, s->nctrls + 1, sizeof *s->ctrls))
        return wcode_fail(s, "out of memory");
    s->ctrls[s->nctrls++] = (wctrl){params, results, nparams, nresults, (uint32_t)s->nvals, op, false, 0};
    return wcode_push_vals(s, params, nparams);
}

static bool pop_ctrl(wcode_state *s, wctrl *out)
{
    const wctrl *c = top_ctrl(s);
    if (!wcode_pop_vals(s, c->results, c->nresults)) {
        return false;
    }
    if (s->nvals != c->height) {
        wcode_fail(s, "type mismatch: %zu extra value(s) at the end of a block", s->nvals - c->height);
        return false;
    }
    *out = *c;
    s->nctrls--;
    return true;
}

/* The types a branch to `c` carries: a loop's params, else its results. */
static const uint8_t *label_types(const wctrl *c, uint32_t *n)
{
    *n = c->op == WOP_LOOP ? c->nparams : c->nresults;
    return c->op == WOP_LOOP ? c->params : c->results;
}

static bool label_frame(wcode_state *s, uint32_t depth, const wctrl **out)
{
    if (depth >= s->nctrls) {
        wcode_fail(s, "unknown label %u", depth);
        return false;
    }
    *out = &s->ctrls[s->nctrls - 1 - depth];
    return true;
}

static bool block_signature(wcode_state *s, const wblocktype *bt, const uint8_t **params, uint32_t *nparams,
                            const uint8_t **results, uint32_t *nresults);

/* For validate_eh.c: the control-stack operations above. */
bool wcode_push_ctrl(wcode_state *s, uint16_t op, const uint8_t *params, uint32_t nparams, const uint8_t *results,
                     uint32_t nresults)
{
    return push_ctrl(s, op, params, nparams, results, nresults);
}

bool wcode_pop_ctrl(wcode_state *s, wctrl *out)
{
    return pop_ctrl(s, out);
}

bool wcode_label(wcode_state *s, uint32_t depth, const wctrl **out)
{
    return label_frame(s, depth, out);
}

bool wcode_block_signature(wcode_state *s, const wblocktype *bt, const uint8_t **params, uint32_t *nparams,
                           const uint8_t **results, uint32_t *nresults)
{
    return block_signature(s, bt, params, nparams, results, nresults);
}

static bool block_signature(wcode_state *s, const wblocktype *bt, const uint8_t **params, uint32_t *nparams,
                            const uint8_t **results, uint32_t *nresults)
{
    *params = *results = NULL;
    *nparams = *nresults = 0;
    if (bt->kind == WBLOCK_VALTYPE) {
        if (bt->valtype == WT_UNKNOWN || valtype_list[bt->valtype] != bt->valtype)
            return wcode_fail(s, "invalid block type 0x%02x", bt->valtype);
        *results = &valtype_list[bt->valtype];
        *nresults = 1;
    } else if (bt->kind == WBLOCK_TYPEIDX) {
        if (bt->type_index >= s->m->ntypes)
            return wcode_fail(s, "unknown type %u", bt->type_index);
        const wfunctype *ft = &s->m->types[bt->type_index];
        *params = ft->types;
        *nparams = ft->nparams;
        *results = ft->types + ft->nparams;
        *nresults = ft->nresults;
    }
    return true;
}

static bool validate_block(wcode_state *s, const winstr *in)
{
    const uint8_t *params, *results;
    uint32_t nparams, nresults;
    if (!block_signature(s, &in->block, &params, &nparams, &results, &nresults))
        return false;
    if (in->op == WOP_IF && !wcode_pop(s, WT_I32, NULL))
        return false;
    if (!wcode_pop_vals(s, params, nparams))
        return false;
    return push_ctrl(s, (uint16_t)in->op, params, nparams, results, nresults);
}

static bool validate_else(wcode_state *s)
{
    wctrl c;
    if (top_ctrl(s)->op != WOP_IF)
        return wcode_fail(s, "else without matching if");
    if (!pop_ctrl(s, &c))
        return false;
    return push_ctrl(s, WOP_ELSE, c.params, c.nparams, c.results, c.nresults);
}

static bool same_types(const uint8_t *a, uint32_t na, const uint8_t *b, uint32_t nb)
{
    return na == nb && (na == 0 || memcmp(a, b, na) == 0);
}

static bool validate_end(wcode_state *s)
{
    wctrl c;
    if (!pop_ctrl(s, &c))
        return false;
    /* An `if` without `else` behaves as if the else arm passed its params
     * through unchanged. */
    if (c.op == WOP_IF && !same_types(c.params, c.nparams, c.results, c.nresults))
        return wcode_fail(s, "type mismatch: if without else must leave its params unchanged");
    if (s->nctrls == 0)
        return true;
    return wcode_push_vals(s, c.results, c.nresults);
}

static bool validate_br(wcode_state *s, const winstr *in)
{
    const wctrl *c;
    uint32_t n;
    if (!label_frame(s, in->a, &c))
        return false;
    const uint8_t *types = label_types(c, &n);
    if (!wcode_pop_vals(s, types, n))
        return false;
    wcode_set_unreachable(s);
    return true;
}

static bool validate_br_if(wcode_state *s, const winstr *in)
{
    const wctrl *c;
    uint32_t n;
    if (!wcode_pop(s, WT_I32, NULL) || !label_frame(s, in->a, &c))
        return false;
    const uint8_t *types = label_types(c, &n);
    return wcode_pop_vals(s, types, n) && wcode_push_vals(s, types, n);
}

/* Check the top n operands against `types` without popping them; slots
 * below a polymorphic frame's base count as unknown (pop-then-push of the
 * spec's algorithm, without the copying). */
static bool check_top_vals(wcode_state *s, const uint8_t *types, uint32_t n)
{
    const wctrl *c = top_ctrl(s);
    size_t avail = s->nvals - c->height;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t expect = types[n - 1 - i];
        if (i >= avail) {
            if (c->unreachable)
                return true;
            return wcode_fail(s, "type mismatch: expected %s but the stack is empty", wval_type_name(expect));
        }
        uint8_t t = s->vals[s->nvals - 1 - i];
        if (t != expect && t != WT_UNKNOWN)
            return wcode_fail(s, "type mismatch: expected %s, got %s", wval_type_name(expect),
                              wval_type_name(t));
    }
    return true;
}

static bool validate_br_table(wcode_state *s, const winstr *in)
{
    const wctrl *c;
    uint32_t arity, n;
    if (!wcode_pop(s, WT_I32, NULL) || !label_frame(s, in->b, &c))
        return false;
    label_types(c, &arity);
    for (uint32_t i = 0; i < in->a; i++) {
        if (!label_frame(s, in->targets[i], &c))
            return false;
        const uint8_t *types = label_types(c, &n);
        if (n != arity)
            return wcode_fail(s, "type mismatch: br_table targets have different arities");
        /* Each distinct label is checked once, so a long table of repeated
         * targets costs O(targets + labels * arity), not O(targets * arity). */
        wctrl *label = &s->ctrls[s->nctrls - 1 - in->targets[i]];
        if (label->br_table_mark == s->offset + 1)
            continue;
        label->br_table_mark = s->offset + 1;
        if (!check_top_vals(s, types, n))
            return false;
    }
    return validate_br(s, &(winstr){.op = WOP_BR, .a = in->b});
}

static bool validate_return(wcode_state *s)
{
    if (!wcode_pop_vals(s, s->type->types + s->type->nparams, s->type->nresults))
        return false;
    wcode_set_unreachable(s);
    return true;
}

/* Control instructions; *handled is false for every other opcode. */
static bool validate_control(wcode_state *s, const winstr *in, bool *handled)
{
    *handled = true;
    switch (in->op) {
    case WOP_UNREACHABLE:
        wcode_set_unreachable(s);
        return true;
    case WOP_NOP:
        return true;
    case WOP_BLOCK:
    case WOP_LOOP:
    case WOP_IF:
        return validate_block(s, in);
    case WOP_ELSE:
        return validate_else(s);
    case WOP_END:
        return validate_end(s);
    case WOP_BR:
        return validate_br(s, in);
    case WOP_BR_IF:
        return validate_br_if(s, in);
    case WOP_BR_TABLE:
        return validate_br_table(s, in);
    case WOP_RETURN:
        return validate_return(s);
    default:
        return wcode_eh_instr(s, in, handled); /* validate_eh.c; clears *handled for the rest */
    }
}

/* The common case of a signature: its operands on top of the stack with
 * exactly the types it wants, and room for its results.  False (nothing
 * done) otherwise: the full path then checks again and words the error. */
static inline bool apply_signature_fast(wcode_state *s, const wsig *sig)
{
    size_t n = sig->nparams, base = s->nvals - n;
    if (s->nvals < n || base < s->ctrls[s->nctrls - 1].height || base + sig->nresults > s->vals_cap)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s->vals[base + i] != sig->types[i])
            return false;
    for (size_t i = 0; i < sig->nresults; i++)
        s->vals[base + i] = sig->types[n + i];
    s->nvals = base + sig->nresults;
    return true;
}

static bool apply_signature(wcode_state *s, const winstr *in, const wsig *table_sig)
{
    wsig adjusted;
    const wsig *sig = table_sig;
    if (s->m->features.memory64) {
        adjusted = *table_sig;
        wmemory_address_sig(s, in, &adjusted);
        sig = &adjusted;
    }
    if (apply_signature_fast(s, sig))
        return true;
    return wcode_pop_vals(s, sig->types, sig->nparams) &&
           wcode_push_vals(s, sig->types + sig->nparams, sig->nresults);
}

/* An instruction no typing rule took: the decoder already refused the
 * opcodes of proposals that are off, so this is a gap in ward itself. */
static bool unsupported(wcode_state *s, const winstr *in)
{
    return wcode_fail(s, "unsupported instruction %s", wop_info[in->op].name);
}

/* local.get/set/tee of a local that exists, inline (a third of all
 * instructions); false, nothing done, for anything else, which
 * wtype_special then types or words the error for. */
static inline bool local_quick(wcode_state *s, const winstr *in, bool *ok)
{
    if (in->op != WOP_LOCAL_GET && in->op != WOP_LOCAL_SET && in->op != WOP_LOCAL_TEE)
        return false;
    uint32_t nparams = s->type->nparams;
    uint8_t t;
    if (in->a < nparams)
        t = s->type->types[in->a];
    else if (in->a - nparams < s->code->nlocals)
        t = s->code->local_types[in->a - nparams];
    else
        return false;
    if (in->op == WOP_LOCAL_GET)
        *ok = wcode_push(s, t);
    else if (in->op == WOP_LOCAL_SET)
        *ok = wcode_pop(s, t, NULL);
    else
        *ok = wcode_pop(s, t, NULL) && wcode_push(s, t);
    return true;
}

/* Immediate kinds wcheck_immediates has something to check for. */
#define CHECKED_IMMEDIATES                                                                                   \
    ((1u << WIMM_MEMARG) | (1u << WIMM_MEMARG_LANE) | (1u << WIMM_LANE) | (1u << WIMM_SHUFFLE) |             \
     (1u << WIMM_MEMORY) | (1u << WIMM_MEMORY_INIT) | (1u << WIMM_DATA) | (1u << WIMM_MEMORY_COPY) |         \
     (1u << WIMM_TABLE_INIT) | (1u << WIMM_ELEM) | (1u << WIMM_TABLE_COPY) | (1u << WIMM_TABLE))

/* The instructions without a signature are typed by hand: variables,
 * calls, tables and references first (the common ones), then control.
 * The two sets are disjoint, so the order changes no message. */
static bool validate_instr(wcode_state *s, const winstr *in)
{
    bool handled;
    if (((1u << wop_info[in->op].imm) & CHECKED_IMMEDIATES) && !wcheck_immediates(s, in))
        return false;
    if (wsig_table[in->op].valid)
        return apply_signature(s, in, &wsig_table[in->op]);
    bool ok;
    if (local_quick(s, in, &ok))
        return ok;
    if (!wtype_special(s, in, &handled))
        return false;
    if (handled)
        return true;
    if (!validate_control(s, in, &handled))
        return false;
    return handled ? true : unsupported(s, in);
}

static bool local_count_ok(wcode_state *s)
{
    uint64_t total = (uint64_t)s->type->nparams + s->code->nlocals;
    if (total > UINT32_MAX)
        return wcode_fail(s, "too many locals");
    return true;
}

static bool validate_body(wcode_state *s)
{
    const wmodule *m = s->m;
    const wcode *code = s->code;
    if (code->body_offset > m->size || code->body_len > m->size - code->body_offset)
        return wcode_fail(s, "function body out of bounds");
    wreader r = {m->bytes, m->bytes + code->body_offset, m->bytes + code->body_offset + code->body_len};
    winstr in = {0};
    const uint8_t *results = s->type->types + s->type->nparams;
    s->offset = code->body_offset;
    if (!local_count_ok(s) || !push_ctrl(s, WOP_BLOCK, NULL, 0, results, s->type->nresults))
        return false;
    while (s->nctrls > 0) {
        r.p = wvalidate_fast_run(s, r.p, r.end);
        s->offset = wreader_offset(&r);
        if (wreader_left(&r) == 0)
            return wcode_fail(s, "END opcode expected");
        werror local;
        if (!wread_instr_quick(&r, &s->v->scratch, &m->features, &in, &local))
            return wcode_fail(s, "%s", local.msg);
        if (!validate_instr(s, &in))
            return false;
    }
    s->offset = wreader_offset(&r);
    if (wreader_left(&r) != 0)
        return wcode_fail(s, "section size mismatch: bytes after the function's final end");
    return true;
}

bool wvalidate_function(wvalidator *v, uint32_t code_index)
{
    const wmodule *m = v->m;
    uint32_t func_index = m->nimported_funcs + code_index;
    wcode_state s = {
        .v = v,
        .m = m,
        .func_index = func_index,
        .type = wmodule_func_type(m, func_index),
        .code = &m->codes[code_index],
        .vals = v->vals,
        .vals_cap = v->vals_cap,
        .ctrls = v->ctrls,
        .ctrls_cap = v->ctrls_cap,
    };
    bool ok = validate_body(&s);
    /* the stacks (grown or not) serve the next function: the validator
     * frees them once (wvalidate_module) */
    v->vals = s.vals;
    v->vals_cap = s.vals_cap;
    v->ctrls = s.ctrls;
    v->ctrls_cap = s.ctrls_cap;
    return ok;
}
