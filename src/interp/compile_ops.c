/*
 * Translation of one wasm instruction into IR (see compile.h for the state).
 * Numeric instructions come from the table generated from ir_ops.def;
 * control, variables, calls and the rest are translated by hand here.
 */
#include <string.h>

#include "compile.h"

enum { K_NONE, K_BIN_RI, K_CMP, K_BIN, K_UN, K_LOAD, K_STORE };

typedef struct wir_map {
    uint16_t ir;
    uint8_t kind;
} wir_map;

static const wir_map ir_map[WOP_COUNT] = {
#define IR_BINOP_RI(OP, T, R, ...) [WOP_##OP] = {WIR_##OP##_RR, K_BIN_RI},
#define IR_CMP_I32(OP, ...) [WOP_##OP] = {WIR_##OP##_RR, K_CMP},
#define IR_BINOP(OP, T, R, ...) [WOP_##OP] = {WIR_##OP##_RR, K_BIN},
#define IR_UNOP(OP, T, R, ...) [WOP_##OP] = {WIR_##OP, K_UN},
#define IR_LOAD(OP, C, R) [WOP_##OP] = {WIR_##OP, K_LOAD},
#define IR_STORE(OP, T, C) [WOP_##OP] = {WIR_##OP, K_STORE},
#include "ir_ops.def"
};

/* Deterministic mode (docs/determinism.md): a float operation on float
 * operands may return a NaN whose sign and payload the hardware chooses, so
 * its result goes through CANON.  Conversions from integers cannot make a
 * NaN; abs, neg and copysign only touch the sign bit and are exact already. */
#define FLOAT_i32 0
#define FLOAT_i64 0
#define FLOAT_f32 1
#define FLOAT_f64 1
#define CANON_i32 0
#define CANON_i64 0
#define CANON_f32 WIR_CANON_F32
#define CANON_f64 WIR_CANON_F64
#define CANON_OF(T, R) (FLOAT_##T && FLOAT_##R ? CANON_##R : 0)
static const uint16_t canon_map[WOP_COUNT] = {
#define IR_BINOP_RI(OP, T, R, ...) [WOP_##OP] = CANON_OF(T, R),
#define IR_BINOP(OP, T, R, ...) [WOP_##OP] = CANON_OF(T, R),
#define IR_UNOP(OP, T, R, ...) [WOP_##OP] = CANON_OF(T, R),
#include "ir_ops.def"
};

static bool sign_only(wop op)
{
    switch (op) {
    case WOP_F32_ABS:
    case WOP_F32_NEG:
    case WOP_F32_COPYSIGN:
    case WOP_F64_ABS:
    case WOP_F64_NEG:
    case WOP_F64_COPYSIGN:
        return true;
    default:
        return false;
    }
}

/* ---- numeric ------------------------------------------------------------ */

/* i32 ops with a shifted-register form (IR_BINOP_SH): _SL, and _SR after it. */
typedef struct wsh_map {
    uint16_t sl;
    bool comm;
} wsh_map;

static const wsh_map sh_map[WOP_COUNT] = {
#define IR_BINOP_SH(OP, COMM, ...) [WOP_##OP] = {WIR_##OP##_SL, COMM},
#include "ir_ops.def"
};

/* `x op (y << k)` or `x op (y >> k)` where the shift was the last op and
 * wrote a temporary that dies here: one op instead of two. */
static bool try_shifted_operand(wtr *t, wop wop, uint32_t a, uint32_t b, uint32_t dst)
{
    const wsh_map *sh = &sh_map[wop];
    if (!sh->sl || a == b)
        return false;
    for (int form = 0; form < 2; form++) {
        wir shift = form ? WIR_I32_SHR_U_RI : WIR_I32_SHL_RI;
        uint32_t other;
        if (wtr_fresh_shift(t, false, shift, b))
            other = a;
        else if (sh->comm && wtr_fresh_shift(t, false, shift, a))
            other = b;
        else
            continue;
        uint32_t src = t->code[t->last_op + 1].s.b;
        uint32_t k = (uint32_t)t->code[t->last_op + 2].u64 & 31;
        wtr_truncate_to_last(t);
        wcell *c = wtr_emit_dst(t, (wir)(sh->sl + form), 2, dst);
        c[1].s.b = other;
        c[2].s.a = src;
        c[2].s.b = k;
        return true;
    }
    return false;
}

/* Float chains (IR_FCHAIN): a float op whose operand is the result of the
 * float op just before it, a temporary that dies here (the intermediate
 * stays in a register instead of a slot store and reload). */
typedef struct wfchain {
    uint16_t first; /* the _RR op just emitted */
    uint16_t fused; /* its _L form; _R follows */
    uint16_t second; /* the wasm op being translated */
} wfchain;

static const wfchain fchains[] = {
#define IR_FCHAIN(T, TY, F, FOP, S, SOP) {WIR_##T##_##F##_RR, WIR_##T##_##F##_##S##_L, WOP_##T##_##S},
#include "ir_ops.def"
};

static bool try_float_chain(wtr *t, wop wop, uint32_t a, uint32_t b, uint32_t dst)
{
    if (t->oom || a == b || t->last_end != t->ncells || !t->last_has_dst)
        return false;
    uint32_t fresh = t->code[t->last_op + 1].s.a;
    bool right = fresh == b;
    if (fresh < t->nlocal_slots || (fresh != a && !right))
        return false;
    for (size_t i = 0; i < sizeof fchains / sizeof *fchains; i++) {
        if (fchains[i].second != wop || fchains[i].first != t->last_ir)
            continue;
        uint32_t x = t->code[t->last_op + 1].s.b, y = t->code[t->last_op + 2].s.a;
        wtr_truncate_to_last(t);
        wcell *c = wtr_emit_dst(t, (wir)(fchains[i].fused + right), 2, dst);
        c[1].s.b = x;
        c[2].s.a = y;
        c[2].s.b = right ? a : b;
        return true;
    }
    return false;
}

static void translate_binop(wtr *t, const wir_map *map, wop wop)
{
    wvs b = wtr_pop(t);
    uint32_t a = wtr_pop_slot(t);
    uint32_t dst = wtr_tslot(t, t->nvs);
    bool has_ri = map->kind == K_BIN_RI || map->kind == K_CMP;
    if (b.kind == VK_SLOT && wtr_load_operand(t, wop, a, b.slot, dst)) {
        /* fused */
    } else if (b.kind == VK_SLOT && try_shifted_operand(t, wop, a, b.slot, dst)) {
        /* fused */
    } else if (b.kind == VK_SLOT && try_float_chain(t, wop, a, b.slot, dst)) {
        /* fused */
    } else if (b.kind == VK_CONST && sh_map[wop].sl && wtr_fresh_shift(t, false, WIR_I32_SHR_U_RI, a)) {
        /* (x >> k) op imm: a bit field */
        uint32_t src = t->code[t->last_op + 1].s.b;
        uint32_t k = (uint32_t)t->code[t->last_op + 2].u64 & 31;
        wtr_truncate_to_last(t);
        wcell *c = wtr_emit_dst(t, (wir)(sh_map[wop].sl + 2), 2, dst);
        c[1].s.b = src;
        c[2].s.a = (uint32_t)b.imm;
        c[2].s.b = k;
    } else if (b.kind == VK_CONST && has_ri) {
        wcell *c = wtr_emit_dst(t, (wir)(map->ir + 1), 2, dst);
        c[1].s.b = a;
        c[2].u64 = b.imm;
    } else {
        uint32_t bslot = b.slot;
        if (b.kind == VK_CONST) {
            /* b sat just above a: write it to its own temporary */
            bslot = wtr_tslot(t, t->nvs + 1);
            wcell *k = wtr_emit_dst(t, WIR_CONST, 2, bslot);
            k[2].u64 = b.imm;
        }
        wcell *c = wtr_emit_dst(t, (wir)map->ir, 2, dst);
        c[1].s.b = a;
        c[2].s.a = bslot;
    }
    wtr_push_temp(t);
}

static void translate_unop(wtr *t, wir op)
{
    uint32_t a = wtr_pop_slot(t);
    wcell *c = wtr_emit_dst(t, op, 1, wtr_tslot(t, t->nvs));
    c[1].s.b = a;
    wtr_push_temp(t);
}

/* The result is a temporary, so a following local.set retargets CANON's
 * destination and the canonical value is what lands in the local. */
static void canonicalize_result(wtr *t, wop op)
{
    if (!t->m->features.deterministic || !canon_map[op] || sign_only(op))
        return;
    uint32_t slot = wtr_tslot(t, t->nvs - 1);
    wcell *c = wtr_emit_dst(t, (wir)canon_map[op], 1, slot);
    c[1].s.b = slot;
}

static bool translate_numeric(wtr *t, const winstr *in)
{
    const wir_map *map = &ir_map[in->op];
    switch (map->kind) {
    case K_BIN_RI:
    case K_CMP:
    case K_BIN:
        translate_binop(t, map, in->op);
        canonicalize_result(t, in->op);
        return true;
    case K_UN:
        translate_unop(t, (wir)map->ir);
        canonicalize_result(t, in->op);
        return true;
    case K_LOAD:
        wtr_load(t, (wir)map->ir, in);
        return true;
    case K_STORE:
        wtr_store(t, (wir)map->ir, in);
        return true;
    default:
        return false;
    }
}

/* ---- branches ------------------------------------------------------------ */

/* Values a branch to c carries, and the slot the i-th of them goes to. */
static uint32_t label_arity(const wctl *c)
{
    return c->kind == CK_LOOP ? c->nparams : c->nresults;
}

static uint32_t label_slot(const wtr *t, const wctl *c, uint32_t i)
{
    return wtr_label_slot(t, c, i);
}

static bool branch_needs_copies(const wtr *t, const wctl *c)
{
    if (c->kind == CK_FUNC)
        return true;
    uint32_t n = label_arity(c);
    for (uint32_t i = 0; i < n; i++) {
        const wvs *v = &t->vs[t->nvs - n + i];
        if (v->kind == VK_CONST || v->slot != label_slot(t, c, i))
            return true;
    }
    return false;
}

/* Copy the top values into the label's slots.  Ascending order is safe:
 * every source temporary sits at or above its destination, and local
 * sources that a return could overwrite are first moved to temporaries. */
static void emit_branch_copies(wtr *t, const wctl *c)
{
    uint32_t n = label_arity(c);
    if (c->kind == CK_FUNC) {
        uint32_t result_slots = label_slot(t, c, n);
        for (uint32_t i = 0; i < n; i++) {
            wvs *v = &t->vs[t->nvs - n + i];
            if (v->kind == VK_SLOT && v->slot < result_slots && v->slot != label_slot(t, c, i))
                wtr_materialize(t, t->nvs - n + i);
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        const wvs *v = &t->vs[t->nvs - n + i];
        uint32_t dst = label_slot(t, c, i);
        if (v->kind == VK_CONST) {
            wcell *cc = wtr_emit(t, WIR_CONST, 2);
            cc[1].s.a = dst;
            cc[2].u64 = v->imm;
        } else if (v->slot != dst) {
            wtr_emit_mov(t, dst, v->slot, v->wide);
        }
    }
}

/* An unconditional jump to label c from the current stack. */
static void emit_jump(wtr *t, wctl *c)
{
    if (c->kind == CK_FUNC && c->nresults == 1 && t->vs[t->nvs - 1].kind == VK_SLOT && !t->vs[t->nvs - 1].wide) {
        wcell *cc = wtr_emit(t, WIR_RETURN_1, 1);
        cc[1].s.a = t->vs[t->nvs - 1].slot;
        return;
    }
    emit_branch_copies(t, c);
    if (c->kind == CK_FUNC) {
        wtr_emit(t, WIR_RETURN, 0);
        return;
    }
    size_t op = t->ncells;
    wcell *cc = wtr_emit(t, WIR_BR, 1);
    if (c->kind == CK_LOOP)
        cc[1].rel = (int64_t)c->loop_pos - (int64_t)op;
    else
        wtr_add_fixup(t, c, op, op + 1);
}

/* A conditional branch op whose target is c; the rel cell is at op+cell. */
static void target_label(wtr *t, wctl *c, size_t op, size_t cell)
{
    if (t->oom)
        return;
    if (c->kind == CK_LOOP)
        t->code[op + cell].rel = (int64_t)c->loop_pos - (int64_t)op;
    else
        wtr_add_fixup(t, c, op, op + cell);
}

/*
 * Emit "if <cond> goto" (or "if not", when negate) for the condition that
 * was just popped from slot cond.  When the condition was computed by the
 * op just emitted (an i32 comparison, eqz or and), fuse the two.  Returns the
 * op's position; its relative offset is in cell 2.
 */
static size_t emit_cond_branch(wtr *t, uint32_t cond, bool negate)
{
    /* `local.tee L (i32.add (local.get L) imm)` then br_if L: a counted
     * loop's step and test in one op that still writes L (yosys, CoreMark) */
    if (!t->oom && t->last_end == t->ncells && !t->last_has_dst && t->last_ir == WIR_I32_ADD_RI &&
        t->code[t->last_op + 1].s.a == cond && t->code[t->last_op + 1].s.b == cond) {
        uint32_t imm = (uint32_t)t->code[t->last_op + 2].u64;
        wtr_truncate_to_last(t);
        size_t op = t->ncells;
        wcell *c = wtr_emit(t, negate ? WIR_BRN_INC_NZ : WIR_BR_INC_NZ, 2);
        c[1].s.a = cond;
        c[1].s.b = imm;
        return op;
    }
    bool fresh = !t->oom && t->last_end == t->ncells && t->last_has_dst && t->ncells > 0 &&
                 t->code[t->last_op + 1].s.a == cond && cond >= t->nlocal_slots;
    wir last = t->last_ir;
    if (fresh && last == WIR_I32_EQZ) {
        uint32_t src = t->code[t->last_op + 1].s.b;
        wtr_truncate_to_last(t);
        size_t op = t->ncells;
        wcell *c = wtr_emit(t, negate ? WIR_BR_IF : WIR_BR_IFNOT, 2);
        c[1].s.a = src;
        return op;
    }
#define IR_CMP_I32(OP, ...) IR_BR_I32(OP, 0)
#define IR_BR_I32(OP, ...)                                                                                   \
    if (fresh && (last == WIR_##OP##_RR || last == WIR_##OP##_RI)) {                                         \
        wcell saved[3];                                                                                      \
        memcpy(saved, &t->code[t->last_op], sizeof saved);                                                   \
        wtr_truncate_to_last(t);                                                                             \
        bool ri = last == WIR_##OP##_RI;                                                                     \
        wir fused = negate ? (ri ? WIR_BRN_##OP##_RI : WIR_BRN_##OP##_RR)                                    \
                           : (ri ? WIR_BR_##OP##_RI : WIR_BR_##OP##_RR);                                     \
        size_t op = t->ncells;                                                                               \
        wcell *c = wtr_emit(t, fused, 2);                                                                    \
        c[1].s.a = saved[1].s.b;                                                                             \
        c[1].s.b = ri ? (uint32_t)saved[2].u64 : saved[2].s.a;                                               \
        return op;                                                                                           \
    }
#include "ir_ops.def"
    size_t op = t->ncells;
    wcell *c = wtr_emit(t, negate ? WIR_BR_IFNOT : WIR_BR_IF, 2);
    c[1].s.a = cond;
    return op;
}

static wctl *label_at(wtr *t, uint32_t depth)
{
    return &t->cs[t->ncs - 1 - depth];
}

static void translate_br_if(wtr *t, uint32_t depth)
{
    uint32_t cond = wtr_pop_slot(t);
    wctl *c = label_at(t, depth);
    if (!branch_needs_copies(t, c)) {
        size_t op = emit_cond_branch(t, cond, false);
        target_label(t, c, op, 2);
    } else {
        /* skip over the copies when the branch is not taken */
        size_t op = emit_cond_branch(t, cond, true);
        wctl skip = {.fixups = WNO_FIXUP};
        wtr_add_fixup(t, &skip, op, op + 2);
        emit_jump(t, c);
        wtr_bind(t, &skip.fixups);
    }
    wtr_cut(t);
}

static void translate_br_table(wtr *t, const winstr *in)
{
    if (t->oom)
        return;
    uint32_t index = wtr_pop_slot(t);
    uint32_t n = in->a;
    size_t op = t->ncells;
    /* The op is followed by n+1 relative offsets. */
    wcell *c = wtr_emit(t, WIR_BR_TABLE, 1);
    c[1].s.a = index;
    c[1].s.b = n;
    size_t table = t->ncells;
    if (!wtr_emit_cells(t, (size_t)n + 1))
        return;
    for (uint32_t i = 0; i <= n && !t->oom; i++) {
        uint32_t depth = i < n ? in->targets[i] : in->b;
        wctl *target = label_at(t, depth);
        size_t cell = table + i;
        if (!branch_needs_copies(t, target)) {
            target_label(t, target, op, cell - op);
        } else {
            t->code[cell].rel = (int64_t)t->ncells - (int64_t)op;
            emit_jump(t, target);
        }
    }
    wtr_set_unreachable(t);
}

/* ---- control ------------------------------------------------------------- */

/* Block params go to their canonical slots so every path agrees on them. */
static void enter_block(wtr *t, uint32_t nparams)
{
    wtr_materialize_all_locals(t);
    for (uint32_t i = 0; i < nparams; i++)
        wtr_materialize(t, t->nvs - nparams + i);
}

static void translate_block(wtr *t, const winstr *in, uint8_t kind)
{
    uint32_t np, nr;
    wtr_block_arity(t, &in->block, &np, &nr);
    if (kind == CK_IF) {
        /* Materializing writes only temporaries below cond; when it emits
         * nothing, the condition op may still fuse with the branch. */
        uint32_t cond = wtr_pop_slot(t);
        enter_block(t, np);
        size_t op = emit_cond_branch(t, cond, true);
        wctl *c = wtr_push_ctl(t, kind, np, nr);
        if (c) {
            c->bt = in->block;
            c->else_op = op;
            c->else_cell = op + 2;
        }
        wtr_cut(t);
        return;
    }
    enter_block(t, np);
    wctl *c = wtr_push_ctl(t, kind, np, nr);
    if (c)
        c->bt = in->block;
    if (kind == CK_LOOP) {
        wtr_cut(t);
        wtr_loop_idiom(t, in);
        if (c)
            c->loop_pos = t->ncells;
    }
}

/* Reset the operand stack to the block's base plus the temporaries of its
 * params or results. */
static void reset_stack(wtr *t, const wctl *c, bool results)
{
    t->nvs = c->height;
    uint32_t n = results ? c->nresults : c->nparams;
    for (uint32_t i = 0; i < n; i++)
        wtr_push_temp_type(t, wtr_ctl_type(t, c, results, i));
}

static void bind_else_branch(wtr *t, wctl *c)
{
    if (c->else_op == SIZE_MAX)
        return;
    wtr_cut(t);
    if (!t->oom)
        t->code[c->else_cell].rel = (int64_t)t->ncells - (int64_t)c->else_op;
    c->else_op = SIZE_MAX;
}

static void translate_else(wtr *t, const winstr *in)
{
    wctl *c = &t->cs[t->ncs - 1];
    if (!c->unreachable) {
        wtr_charge(t, in->op);
        emit_jump(t, c);
    }
    wtr_cut(t);
    bind_else_branch(t, c);
    c->has_else = true;
    c->unreachable = false;
    reset_stack(t, c, false);
}

/* The fall-through values of a block go to the label's slots. */
static void fall_into_label(wtr *t, const wctl *c)
{
    for (uint32_t i = 0; i < c->nresults; i++)
        wtr_materialize(t, c->height + i);
}

static void translate_end(wtr *t, const winstr *in)
{
    wctl *c = &t->cs[t->ncs - 1];
    bool reachable = !c->unreachable;
    if (c->kind == CK_FUNC) {
        if (reachable) {
            wtr_charge(t, in->op);
            emit_jump(t, c);
        }
        wtr_cut(t);
        t->ncs--;
        return;
    }
    if (reachable)
        fall_into_label(t, c);
    if (c->kind == CK_IF && !c->has_else) {
        /* The false branch of an if without else executes this end. */
        bind_else_branch(t, c);
        reachable = true;
    }
    if (reachable)
        wtr_charge(t, in->op);
    bool label_reached = reachable || c->label_used;
    if (c->kind != CK_LOOP) {
        if (c->label_used)
            wtr_cut(t);
        wtr_bind(t, &c->fixups);
    }
    wctl done = *c;
    t->ncs--;
    reset_stack(t, &done, true);
    if (!label_reached)
        wtr_set_unreachable(t);
}

void wtr_enter_block(wtr *t, uint32_t nparams)
{
    enter_block(t, nparams);
}

void wtr_jump(wtr *t, wctl *c)
{
    emit_jump(t, c);
}

void wtr_branch_copies(wtr *t, const wctl *c)
{
    emit_branch_copies(t, c);
}

void wtr_end(wtr *t, const winstr *in)
{
    translate_end(t, in);
}

/* ---- calls --------------------------------------------------------------- */

/* Arguments go to consecutive temporaries that become the callee's params. */
static uint32_t prepare_args(wtr *t, const wfunctype *ft)
{
    for (uint32_t i = 0; i < ft->nparams; i++)
        wtr_materialize(t, t->nvs - ft->nparams + i);
    t->nvs -= ft->nparams;
    return wtr_tslot(t, t->nvs);
}

uint32_t wtr_prepare_args(wtr *t, const wfunctype *ft)
{
    return prepare_args(t, ft);
}

static void push_results(wtr *t, const wfunctype *ft)
{
    for (uint32_t i = 0; i < ft->nresults; i++)
        wtr_push_temp_type(t, WFUNCTYPE_RESULT(ft, i));
}

/* After a call the results are on the stack and a new fuel block starts
 * (the return lands there); after a tail call nothing of this function
 * runs again. */
static void finish_call(wtr *t, const wfunctype *ft, bool tail)
{
    if (tail) {
        wtr_set_unreachable(t);
        return;
    }
    push_results(t, ft);
    wtr_cut(t);
}

static void translate_call(wtr *t, uint32_t func_index, bool tail)
{
    const wfunctype *ft = wmodule_func_type(t->m, func_index);
    uint32_t base = prepare_args(t, ft);
    if (func_index >= t->m->nimported_funcs) {
        wcell *c = wtr_emit(t, tail ? WIR_RETURN_CALL : WIR_CALL, 2);
        c[1].s.a = base;
        c[2].callee = &t->compiled->funcs[func_index - t->m->nimported_funcs];
    } else {
        wcell *c = wtr_emit(t, tail ? WIR_RETURN_CALL_FUNC : WIR_CALL_FUNC, 1);
        c[1].s.a = base;
        c[1].s.b = func_index;
    }
    finish_call(t, ft, tail);
}

static void translate_call_indirect(wtr *t, const winstr *in, bool tail)
{
    const wfunctype *ft = &t->m->types[in->a];
    uint32_t elem = wtr_pop_slot(t);
    uint32_t base = prepare_args(t, ft);
    wcell *c = wtr_emit(t, tail ? WIR_RETURN_CALL_INDIRECT : WIR_CALL_INDIRECT, 2);
    c[1].s.a = base;
    c[1].s.b = elem;
    c[2].s.a = in->a;
    c[2].s.b = in->b;
    finish_call(t, ft, tail);
}

/* ---- variables ----------------------------------------------------------- */

/* Write the popped value v into local slot dst, retargeting the op that
 * produced it when that op was the last one emitted. */
static bool store_local(wtr *t, wvs v, uint32_t dst)
{
    if (v.kind == VK_CONST) {
        wcell *c = wtr_emit(t, WIR_CONST, 2);
        c[1].s.a = dst;
        c[2].u64 = v.imm;
        return false;
    }
    if (v.slot == dst)
        return false;
    if (!t->oom && v.slot >= t->nlocal_slots && t->last_end == t->ncells && t->last_has_dst &&
        t->code[t->last_op + 1].s.a == v.slot) {
        t->code[t->last_op + 1].s.a = dst;
        /* the op now writes a local: no second retarget and no fusion that
         * drops its result (they all need last_has_dst), but a br_if on the
         * local may still fuse (emit_cond_branch) */
        t->last_has_dst = false;
        return true;
    }
    wtr_emit_mov(t, dst, v.slot, v.wide);
    return false;
}

static void translate_local_set(wtr *t, uint32_t index, bool tee)
{
    uint32_t slot = wtr_local_slot(t, index);
    wvs v = wtr_pop(t);
    wtr_materialize_local(t, slot);
    bool retargeted = store_local(t, v, slot);
    if (tee)
        wtr_push(t, retargeted ? (wvs){VK_SLOT, slot, 0, v.wide, 0} : v);
}

static void translate_select(wtr *t)
{
    uint32_t cond = wtr_pop_slot(t);
    bool wide = t->nvs > 0 && t->vs[t->nvs - 1].wide;
    uint32_t b = wtr_pop_slot(t);
    uint32_t a = wtr_pop_slot(t);
    wcell *c = wtr_emit_dst(t, wide ? WIR_SELECT128 : WIR_SELECT, 2, wtr_tslot(t, t->nvs));
    c[1].s.b = a;
    c[2].s.a = b;
    c[2].s.b = cond;
    wtr_push_temp_type(t, wide ? WT_V128 : WT_I32);
}

/* Ops of the form [dst, x]: pop nothing or one operand, push the result. */
static void translate_producer(wtr *t, wir op, bool pops, uint32_t x)
{
    uint32_t src = pops ? wtr_pop_slot(t) : x;
    wcell *c = wtr_emit_dst(t, op, 1, wtr_tslot(t, t->nvs));
    c[1].s.b = src;
    wtr_push_temp(t);
}

/* Ops with three operands from the stack and up to three immediates. */
static void translate_three(wtr *t, wir op, uint32_t imm1, uint32_t imm2)
{
    uint32_t n = wtr_pop_slot(t);
    uint32_t s = wtr_pop_slot(t);
    uint32_t d = wtr_pop_slot(t);
    wcell *c = wtr_emit(t, op, 3);
    c[1].s.a = d;
    c[1].s.b = s;
    c[2].s.a = n;
    c[2].s.b = imm1;
    c[3].s.a = imm2;
}

/* memory.grow of any memory (multi-memory, memory64): [dst, delta] [memidx]. */
static void translate_memory_grow_n(wtr *t, uint32_t memidx)
{
    uint32_t delta = wtr_pop_slot(t);
    wcell *c = wtr_emit_dst(t, WIR_MEMORY_GROW_N, 2, wtr_tslot(t, t->nvs));
    c[1].s.b = delta;
    c[2].s.a = memidx;
    wtr_push_temp(t);
}

static void translate_table_grow(wtr *t, uint32_t table)
{
    uint32_t delta = wtr_pop_slot(t);
    uint32_t init = wtr_pop_slot(t);
    wcell *c = wtr_emit_dst(t, WIR_TABLE_GROW, 2, wtr_tslot(t, t->nvs));
    c[1].s.b = init;
    c[2].s.a = delta;
    c[2].s.b = table;
    wtr_push_temp(t);
}

static void translate_two_pop(wtr *t, wir op, uint32_t imm)
{
    uint32_t b = wtr_pop_slot(t);
    uint32_t a = wtr_pop_slot(t);
    wcell *c = wtr_emit(t, op, 2);
    c[1].s.a = a;
    c[1].s.b = b;
    c[2].s.a = imm;
}

static void push_const(wtr *t, uint64_t bits)
{
    wtr_push(t, (wvs){.kind = VK_CONST, .imm = bits});
}

/* ---- dispatch over wasm opcodes ----------------------------------------- */

static void translate_control(wtr *t, const winstr *in)
{
    switch (in->op) {
    case WOP_UNREACHABLE:
        wtr_emit(t, WIR_UNREACHABLE, 0);
        wtr_set_unreachable(t);
        break;
    case WOP_BLOCK:
        translate_block(t, in, CK_BLOCK);
        break;
    case WOP_LOOP:
        translate_block(t, in, CK_LOOP);
        break;
    case WOP_IF:
        translate_block(t, in, CK_IF);
        break;
    case WOP_BR:
        emit_jump(t, label_at(t, in->a));
        wtr_set_unreachable(t);
        break;
    case WOP_BR_IF:
        translate_br_if(t, in->a);
        break;
    case WOP_BR_TABLE:
        translate_br_table(t, in);
        break;
    case WOP_RETURN:
        emit_jump(t, &t->cs[0]);
        wtr_set_unreachable(t);
        break;
    case WOP_CALL:
    case WOP_RETURN_CALL:
        translate_call(t, in->a, in->op == WOP_RETURN_CALL);
        break;
    case WOP_CALL_INDIRECT:
    case WOP_RETURN_CALL_INDIRECT:
        translate_call_indirect(t, in, in->op == WOP_RETURN_CALL_INDIRECT);
        break;
    default:
        break;
    }
}

static void translate_other(wtr *t, const winstr *in)
{
    switch (in->op) {
    case WOP_DROP:
        wtr_pop(t);
        break;
    case WOP_SELECT:
    case WOP_SELECT_T:
        translate_select(t);
        break;
    case WOP_LOCAL_GET:
        wtr_push(t, (wvs){VK_SLOT, wtr_local_slot(t, in->a), 0, wtr_local_wide(t, in->a), 0});
        break;
    case WOP_LOCAL_SET:
        translate_local_set(t, in->a, false);
        break;
    case WOP_LOCAL_TEE:
        translate_local_set(t, in->a, true);
        break;
    case WOP_GLOBAL_GET:
        if (t->m->globals[in->a].type.valtype == WT_V128) {
            wcell *c = wtr_emit_dst(t, WIR_GLOBAL_GET128, 1, wtr_tslot(t, t->nvs));
            c[1].s.b = in->a;
            wtr_push_temp_type(t, WT_V128);
        } else {
            translate_producer(t, WIR_GLOBAL_GET, false, in->a);
        }
        break;
    case WOP_GLOBAL_SET: {
        uint32_t src = wtr_pop_slot(t);
        bool wide = t->m->globals[in->a].type.valtype == WT_V128;
        wcell *c = wtr_emit(t, wide ? WIR_GLOBAL_SET128 : WIR_GLOBAL_SET, 1);
        c[1].s.a = in->a;
        c[1].s.b = src;
        break;
    }
    case WOP_TABLE_GET: {
        uint32_t index = wtr_pop_slot(t);
        wcell *c = wtr_emit_dst(t, WIR_TABLE_GET, 2, wtr_tslot(t, t->nvs));
        c[1].s.b = index;
        c[2].s.a = in->a;
        wtr_push_temp(t);
        break;
    }
    case WOP_TABLE_SET:
        translate_two_pop(t, WIR_TABLE_SET, in->a);
        break;
    case WOP_MEMORY_SIZE:
        if (wtr_memory_fast(t, in->a))
            translate_producer(t, WIR_MEMORY_SIZE, false, 0);
        else
            translate_producer(t, WIR_MEMORY_SIZE_N, false, in->a);
        break;
    case WOP_MEMORY_GROW:
        if (wtr_memory_fast(t, in->a))
            translate_producer(t, WIR_MEMORY_GROW, true, 0);
        else
            translate_memory_grow_n(t, in->a);
        break;
    case WOP_I32_CONST:
        push_const(t, (uint32_t)in->imm);
        break;
    case WOP_I64_CONST:
    case WOP_F32_CONST:
    case WOP_F64_CONST:
        push_const(t, in->imm);
        break;
    case WOP_I32_REINTERPRET_F32:
    case WOP_I64_REINTERPRET_F64:
    case WOP_F32_REINTERPRET_I32:
    case WOP_F64_REINTERPRET_I64:
        break; /* slots hold raw bits */
    case WOP_REF_NULL:
        push_const(t, 0);
        break;
    case WOP_REF_IS_NULL:
        translate_producer(t, WIR_REF_IS_NULL, true, 0);
        break;
    case WOP_REF_FUNC:
        translate_producer(t, WIR_REF_FUNC, false, in->a);
        break;
    case WOP_MEMORY_INIT:
        if (wtr_memory_fast(t, in->b))
            translate_three(t, WIR_MEMORY_INIT, in->a, 0);
        else
            translate_three(t, WIR_MEMORY_INIT_N, in->a, in->b);
        break;
    case WOP_DATA_DROP: {
        wcell *c = wtr_emit(t, WIR_DATA_DROP, 1);
        c[1].s.a = in->a;
        break;
    }
    case WOP_MEMORY_COPY:
        if (wtr_memory_fast(t, in->a) && wtr_memory_fast(t, in->b))
            translate_three(t, WIR_MEMORY_COPY, 0, 0);
        else
            translate_three(t, WIR_MEMORY_COPY_N, in->a, in->b);
        break;
    case WOP_MEMORY_FILL:
        if (wtr_memory_fast(t, in->a))
            translate_three(t, WIR_MEMORY_FILL, 0, 0);
        else
            translate_three(t, WIR_MEMORY_FILL_N, in->a, 0);
        break;
    case WOP_TABLE_INIT:
        translate_three(t, WIR_TABLE_INIT, in->a, in->b);
        break;
    case WOP_ELEM_DROP: {
        wcell *c = wtr_emit(t, WIR_ELEM_DROP, 1);
        c[1].s.a = in->a;
        break;
    }
    case WOP_TABLE_COPY:
        translate_three(t, WIR_TABLE_COPY, in->a, in->b);
        break;
    case WOP_TABLE_GROW:
        translate_table_grow(t, in->a);
        break;
    case WOP_TABLE_SIZE:
        translate_producer(t, WIR_TABLE_SIZE, false, in->a);
        break;
    case WOP_TABLE_FILL:
        translate_three(t, WIR_TABLE_FILL, in->a, 0);
        break;
    default:
        if (wop_info[in->op].prefix == 0xFE) { /* threads proposal: compile_atomic.c */
            wtr_atomic(t, in);
            break;
        }
        /* Every validated instruction is translated above; an opcode
         * missing there would trap here rather than run wrong. */
        wtr_emit(t, WIR_UNREACHABLE, 0);
        break;
    }
}

void wtr_instr(wtr *t, const winstr *in)
{
    if (wtr_eh_instr(t, in))
        return;
    switch (in->op) {
    case WOP_ELSE:
        translate_else(t, in);
        return;
    case WOP_END:
        translate_end(t, in);
        return;
    default:
        break;
    }
    wtr_charge(t, in->op);
    if (in->op == WOP_NOP)
        return;
    if (wop_info[in->op].prefix == 0xFD) {
        wtr_simd(t, in);
        return;
    }
    if (translate_numeric(t, in))
        return;
    if (in->op <= WOP_RETURN_CALL_INDIRECT) {
        translate_control(t, in);
        return;
    }
    translate_other(t, in);
}
