/*
 * Per-instruction checks outside the control stack: immediates (indices,
 * alignment, lanes) keyed by immediate kind, and the typing of the
 * non-control instructions opcodes.def leaves without a signature
 * (variables, tables, references, select, calls, memory.size/grow).
 */
#include <string.h>

#include "validate_internal.h"

/* ---- index checks ------------------------------------------------------ */

static bool need_memory(wcode_state *s, uint32_t index)
{
    return index < s->m->nmemories || wcode_fail(s, "unknown memory %u", index);
}

static bool need_table(wcode_state *s, uint32_t index)
{
    return index < s->m->ntables || wcode_fail(s, "unknown table %u", index);
}

static bool need_elem(wcode_state *s, uint32_t index)
{
    return index < s->m->nelems || wcode_fail(s, "unknown elem segment %u", index);
}

/* memory.init and data.drop name data segments before the data section is
 * seen, which is why the binary format requires a data count section. */
static bool need_data(wcode_state *s, uint32_t index)
{
    if (!s->m->has_datacount)
        return index >= s->m->ndatas ? wcode_fail(s, "unknown data segment %u", index)
                                     : wcode_fail(s, "data count section required");
    /* The decoder already requires datacount == ndatas; bound by both so
     * memory safety downstream never rests on that alone. */
    if (index >= s->m->datacount || index >= s->m->ndatas)
        return wcode_fail(s, "unknown data segment %u", index);
    return true;
}

static bool need_function(wcode_state *s, uint32_t index)
{
    return index < s->m->nfuncs || wcode_fail(s, "unknown function %u", index);
}

static bool need_type(wcode_state *s, uint32_t index)
{
    return index < s->m->ntypes || wcode_fail(s, "unknown type %u", index);
}

static bool same_elemtype(wcode_state *s, uint8_t a, uint8_t b)
{
    return a == b || wcode_fail(s, "type mismatch: %s vs %s", wval_type_name(a), wval_type_name(b));
}

/* ---- immediates -------------------------------------------------------- */

static bool check_memarg(wcode_state *s, const winstr *in)
{
    const wsig *sig = &wsig_table[in->op];
    if (!need_memory(s, in->memarg.memory))
        return false;
    /* Atomic accesses must be exactly aligned: misaligned atomics are not
     * implementable on every host. */
    if (wop_info[in->op].prefix == 0xFE && in->memarg.align != sig->access_log2)
        return wcode_fail(s, "atomic alignment must be natural");
    if (in->memarg.align > sig->access_log2)
        return wcode_fail(s, "alignment must not be larger than natural");
    /* memory64 reads every offset as a u64; on an i32 memory it must still
     * be a u32 (the proposal's rule, proposals/memory64/address.wast) */
    if (!s->m->memories[in->memarg.memory].limits.is64 && in->memarg.offset > UINT32_MAX)
        return wcode_fail(s, "offset out of range");
    return true;
}

static bool check_lane(wcode_state *s, const winstr *in)
{
    uint8_t lanes = wsig_table[in->op].lanes;
    return in->lane < lanes || wcode_fail(s, "invalid lane index %u", in->lane);
}

static bool check_shuffle(wcode_state *s, const winstr *in)
{
    for (int i = 0; i < 16; i++)
        if (in->bytes16[i] >= 32)
            return wcode_fail(s, "invalid lane index %u", in->bytes16[i]);
    return true;
}

static bool check_table_init(wcode_state *s, const winstr *in)
{
    if (!need_table(s, in->b) || !need_elem(s, in->a))
        return false;
    return same_elemtype(s, s->m->tables[in->b].elemtype, s->m->elems[in->a].elemtype);
}

static bool check_table_copy(wcode_state *s, const winstr *in)
{
    if (!need_table(s, in->a) || !need_table(s, in->b))
        return false;
    return same_elemtype(s, s->m->tables[in->a].elemtype, s->m->tables[in->b].elemtype);
}

bool wcheck_immediates(wcode_state *s, const winstr *in)
{
    switch ((wimm)wop_info[in->op].imm) {
    case WIMM_MEMARG:
        return check_memarg(s, in);
    case WIMM_MEMARG_LANE:
        return check_memarg(s, in) && check_lane(s, in);
    case WIMM_LANE:
        return check_lane(s, in);
    case WIMM_SHUFFLE:
        return check_shuffle(s, in);
    case WIMM_MEMORY:
        return need_memory(s, in->a);
    case WIMM_MEMORY_INIT:
        return need_memory(s, in->b) && need_data(s, in->a);
    case WIMM_DATA:
        return need_data(s, in->a);
    case WIMM_MEMORY_COPY:
        return need_memory(s, in->a) && need_memory(s, in->b);
    case WIMM_TABLE_INIT:
        return check_table_init(s, in);
    case WIMM_ELEM:
        return need_elem(s, in->a);
    case WIMM_TABLE_COPY:
        return check_table_copy(s, in);
    case WIMM_TABLE:
        return need_table(s, in->a);
    default:
        return true;
    }
}

/* ---- memory64: address operands are i64 for 64-bit memories ----------- */

static uint8_t address_type(const wcode_state *s, uint32_t memory)
{
    return s->m->memories[memory].limits.is64 ? WT_I64 : WT_I32;
}

/* The signatures in opcodes.def are written for i32 addresses; rewrite the
 * address operands for the memories this instruction names. */
void wmemory_address_sig(const wcode_state *s, const winstr *in, wsig *sig)
{
    switch ((wimm)wop_info[in->op].imm) {
    case WIMM_MEMARG:
    case WIMM_MEMARG_LANE:
        sig->types[0] = address_type(s, in->memarg.memory);
        break;
    case WIMM_MEMORY: /* memory.fill: [addr i32 len] */
        if (sig->nparams == 3)
            sig->types[0] = sig->types[2] = address_type(s, in->a);
        break;
    case WIMM_MEMORY_INIT:
        sig->types[0] = address_type(s, in->b);
        break;
    case WIMM_MEMORY_COPY: {
        uint8_t dst = address_type(s, in->a), src = address_type(s, in->b);
        sig->types[0] = dst;
        sig->types[1] = src;
        sig->types[2] = dst == WT_I64 && src == WT_I64 ? WT_I64 : WT_I32;
        break;
    }
    default:
        break;
    }
}

/* ---- hand-typed instructions ------------------------------------------- */

static bool type_call(wcode_state *s, const wfunctype *ft)
{
    return wcode_pop_vals(s, ft->types, ft->nparams) &&
           wcode_push_vals(s, ft->types + ft->nparams, ft->nresults);
}

static bool type_call_indirect(wcode_state *s, const winstr *in)
{
    if (!need_table(s, in->b) || !need_type(s, in->a))
        return false;
    if (s->m->tables[in->b].elemtype != WT_FUNCREF)
        return wcode_fail(s, "type mismatch: call_indirect needs a funcref table");
    return wcode_pop(s, WT_I32, NULL) && type_call(s, &s->m->types[in->a]);
}

/* A tail call reuses the caller's frame, so the callee must return exactly
 * what the caller returns. */
static bool type_tail_call(wcode_state *s, const wfunctype *callee)
{
    const wfunctype *caller = s->type;
    if (callee->nresults != caller->nresults ||
        (callee->nresults &&
         memcmp(callee->types + callee->nparams, caller->types + caller->nparams, callee->nresults)))
        return wcode_fail(s, "type mismatch: tail call results differ from the caller's");
    if (!wcode_pop_vals(s, callee->types, callee->nparams))
        return false;
    wcode_set_unreachable(s);
    return true;
}

static bool type_return_call_indirect(wcode_state *s, const winstr *in)
{
    if (!need_table(s, in->b) || !need_type(s, in->a))
        return false;
    if (s->m->tables[in->b].elemtype != WT_FUNCREF)
        return wcode_fail(s, "type mismatch: return_call_indirect needs a funcref table");
    return wcode_pop(s, WT_I32, NULL) && type_tail_call(s, &s->m->types[in->a]);
}

static bool local_type(wcode_state *s, uint32_t index, uint8_t *out)
{
    uint32_t nparams = s->type->nparams;
    if (index < nparams) {
        *out = s->type->types[index];
        return true;
    }
    if (index - nparams < s->code->nlocals) {
        *out = s->code->local_types[index - nparams];
        return true;
    }
    wcode_fail(s, "unknown local %u", index);
    return false;
}

static bool type_local(wcode_state *s, const winstr *in)
{
    uint8_t t;
    if (!local_type(s, in->a, &t))
        return false;
    switch (in->op) {
    case WOP_LOCAL_GET:
        return wcode_push(s, t);
    case WOP_LOCAL_SET:
        return wcode_pop(s, t, NULL);
    default:
        return wcode_pop(s, t, NULL) && wcode_push(s, t);
    }
}

static bool type_global(wcode_state *s, const winstr *in)
{
    if (in->a >= s->m->nglobals)
        return wcode_fail(s, "unknown global %u", in->a);
    const wglobaltype *g = &s->m->globals[in->a].type;
    if (in->op == WOP_GLOBAL_GET)
        return wcode_push(s, g->valtype);
    if (!g->mutable_)
        return wcode_fail(s, "global is immutable");
    return wcode_pop(s, g->valtype, NULL);
}

/* Untyped select predates reference types: its operands must be numeric
 * (or vectors) so an engine knows their size without a type annotation. */
static bool select_operand_ok(const wcode_state *s, uint8_t t)
{
    return t == WT_UNKNOWN || wvaltype_is_num(t) || (t == WT_V128 && s->m->features.simd);
}

static bool type_select(wcode_state *s)
{
    uint8_t t1, t2;
    if (!wcode_pop(s, WT_I32, NULL) || !wcode_pop(s, WT_UNKNOWN, &t1) || !wcode_pop(s, WT_UNKNOWN, &t2))
        return false;
    if (!select_operand_ok(s, t1) || !select_operand_ok(s, t2))
        return wcode_fail(s, "type mismatch: select needs numeric operands");
    if (t1 != t2 && t1 != WT_UNKNOWN && t2 != WT_UNKNOWN)
        return wcode_fail(s, "type mismatch: select operands %s and %s", wval_type_name(t2),
                          wval_type_name(t1));
    return wcode_push(s, t1 != WT_UNKNOWN ? t1 : t2);
}

static bool type_select_t(wcode_state *s, const winstr *in)
{
    if (in->a != 1)
        return wcode_fail(s, "invalid result arity");
    uint8_t t = in->reftype;
    return wcode_pop(s, WT_I32, NULL) && wcode_pop(s, t, NULL) && wcode_pop(s, t, NULL) && wcode_push(s, t);
}

static bool type_ref_is_null(wcode_state *s)
{
    uint8_t t;
    if (!wcode_pop(s, WT_UNKNOWN, &t))
        return false;
    if (t != WT_UNKNOWN && !wvaltype_is_ref(t))
        return wcode_fail(s, "type mismatch: ref.is_null needs a reference, got %s", wval_type_name(t));
    return wcode_push(s, WT_I32);
}

static bool type_ref_func(wcode_state *s, uint32_t index)
{
    if (!need_function(s, index))
        return false;
    if (!wvalidator_is_declared(s->v, index))
        return wcode_fail(s, "undeclared function reference %u", index);
    return wcode_push(s, WT_FUNCREF);
}

static bool type_table_op(wcode_state *s, const winstr *in)
{
    uint8_t elem = s->m->tables[in->a].elemtype; /* index checked with the immediates */
    switch (in->op) {
    case WOP_TABLE_GET:
        return wcode_pop(s, WT_I32, NULL) && wcode_push(s, elem);
    case WOP_TABLE_SET:
        return wcode_pop(s, elem, NULL) && wcode_pop(s, WT_I32, NULL);
    case WOP_TABLE_SIZE:
        return wcode_push(s, WT_I32);
    case WOP_TABLE_GROW:
        return wcode_pop(s, WT_I32, NULL) && wcode_pop(s, elem, NULL) && wcode_push(s, WT_I32);
    default: /* table.fill */
        return wcode_pop(s, WT_I32, NULL) && wcode_pop(s, elem, NULL) && wcode_pop(s, WT_I32, NULL);
    }
}

static bool type_memory_size_grow(wcode_state *s, const winstr *in)
{
    uint8_t at = address_type(s, in->a);
    if (in->op == WOP_MEMORY_GROW && !wcode_pop(s, at, NULL))
        return false;
    return wcode_push(s, at);
}

bool wtype_special(wcode_state *s, const winstr *in, bool *handled)
{
    *handled = true;
    switch (in->op) {
    case WOP_CALL:
        return need_function(s, in->a) && type_call(s, wmodule_func_type(s->m, in->a));
    case WOP_CALL_INDIRECT:
        return type_call_indirect(s, in);
    case WOP_RETURN_CALL:
        return need_function(s, in->a) && type_tail_call(s, wmodule_func_type(s->m, in->a));
    case WOP_RETURN_CALL_INDIRECT:
        return type_return_call_indirect(s, in);
    case WOP_DROP:
        return wcode_pop(s, WT_UNKNOWN, NULL);
    case WOP_SELECT:
        return type_select(s);
    case WOP_SELECT_T:
        return type_select_t(s, in);
    case WOP_LOCAL_GET:
    case WOP_LOCAL_SET:
    case WOP_LOCAL_TEE:
        return type_local(s, in);
    case WOP_GLOBAL_GET:
    case WOP_GLOBAL_SET:
        return type_global(s, in);
    case WOP_TABLE_GET:
    case WOP_TABLE_SET:
    case WOP_TABLE_SIZE:
    case WOP_TABLE_GROW:
    case WOP_TABLE_FILL:
        return type_table_op(s, in);
    case WOP_MEMORY_SIZE:
    case WOP_MEMORY_GROW:
        return type_memory_size_grow(s, in);
    case WOP_REF_NULL:
        return wcode_push(s, in->reftype);
    case WOP_REF_IS_NULL:
        return type_ref_is_null(s);
    case WOP_REF_FUNC:
        return type_ref_func(s, in->a);
    case WOP_DATA_DROP:
    case WOP_ELEM_DROP:
        return true; /* index checked with the immediates */
    default:
        /* atomic.fence has no operands; anything else is unknown here. */
        *handled = wop_info[in->op].imm == WIMM_ATOMIC_FENCE;
        return true;
    }
}
