/*
 * The fast path of the body checker: a loop that reads the most common
 * instructions straight from the bytes (local.get/set/tee, i32.const,
 * global.get/set, drop, constants, single-byte numeric ops, loads and
 * stores with a one-byte memarg, block/loop/if of empty type, end, br,
 * br_if, call) and types them on the operand and control stacks inline.
 *
 * It only ever takes an instruction the general path would accept with
 * the same effect: operands of exactly the wanted types above the top
 * frame's base, an index in range, room on the stack.  Anything else (an
 * error, a polymorphic pop, a long immediate, a control instruction)
 * stops the run at that instruction, untouched, and the general path reads
 * it again and words any error.  So no message and no offset can change.
 */
#include "validate_internal.h"

/* What the fast loop does with an instruction's first byte. */
enum {
    FAST_NO = 0,   /* general path */
    FAST_LOCAL_GET,
    FAST_LOCAL_SET,
    FAST_LOCAL_TEE,
    FAST_GLOBAL_GET,
    FAST_GLOBAL_SET,
    FAST_DROP,
    FAST_INT_CONST, /* i32/i64.const: a LEB128 */
    FAST_F32_CONST, /* 4 raw bytes */
    FAST_F64_CONST, /* 8 raw bytes */
    FAST_SIG,      /* no immediate, typed by its opcodes.def signature */
    FAST_MEMARG,   /* load or store: memarg, then its signature */
    FAST_BLOCK, /* block, loop, if */
    FAST_END,
    FAST_BR,
    FAST_BR_IF,
    FAST_CALL,
};

/* The fast class of single-byte opcode `byte` for this module.  Below
 * 0x20 the reader checks features, so only Wasm 1.0's block, loop, if, end,
 * br, br_if, call and drop are taken there;
 * memargs only on memory 0 of i32 addresses. */
static uint8_t fast_class(const wvalidator *v, uint8_t byte)
{
    wop op = wop_lookup_byte(byte);
    if (op == WOP_COUNT)
        return FAST_NO;
    switch (op) {
    case WOP_BLOCK:
    case WOP_LOOP:
    case WOP_IF:
        return FAST_BLOCK;
    case WOP_END:
        return FAST_END;
    case WOP_BR:
        return FAST_BR;
    case WOP_BR_IF:
        return FAST_BR_IF;
    case WOP_CALL:
        return FAST_CALL;
    case WOP_LOCAL_GET:
        return FAST_LOCAL_GET;
    case WOP_LOCAL_SET:
        return FAST_LOCAL_SET;
    case WOP_LOCAL_TEE:
        return FAST_LOCAL_TEE;
    case WOP_GLOBAL_GET:
        return FAST_GLOBAL_GET;
    case WOP_GLOBAL_SET:
        return FAST_GLOBAL_SET;
    case WOP_DROP:
        return FAST_DROP;
    case WOP_I32_CONST:
    case WOP_I64_CONST:
        return FAST_INT_CONST;
    case WOP_F32_CONST:
        return FAST_F32_CONST;
    case WOP_F64_CONST:
        return FAST_F64_CONST;
    default:
        break;
    }
    if (byte < 0x20 || wop_info[op].prefix != 0 || wop_info[op].feature != WFEAT_CORE || !wsig_table[op].valid)
        return FAST_NO;
    if (wop_info[op].imm == WIMM_NONE)
        return FAST_SIG;
    /* the fast run takes only align bytes below 0x40, i.e. memory 0 even
     * with multi-memory; its signature has i32 addresses unless memory 0
     * is an i64 one (memory64) */
    if (wop_info[op].imm == WIMM_MEMARG && v->m->nmemories > 0 && !v->m->memories[0].limits.is64)
        return FAST_MEMARG;
    return FAST_NO;
}

void wfast_classes_build(wvalidator *v)
{
    for (unsigned b = 0; b < 256; b++) {
        wop op = wop_lookup_byte((uint8_t)b);
        v->fast_class[b] = fast_class(v, (uint8_t)b);
        v->fast_sig[b] = op == WOP_COUNT ? NULL : &wsig_table[op];
    }
}

/* The length of a LEB128 of at most four bytes at p, its unsigned value
 * in *out; 0 (not taken) for longer ones.  Four bytes (28 bits) never
 * overflow a u32, s32 or s64, so every such encoding is well-formed. */
static inline unsigned leb_short(const uint8_t *p, uint32_t *out)
{
    uint32_t x = 0;
    for (unsigned i = 0; i < 4; i++) {
        x |= (uint32_t)(p[i] & 0x7F) << (7 * i);
        if (p[i] < 0x80) {
            *out = x;
            return i + 1;
        }
    }
    return 0;
}

/* The function's locals, copied out of the state: stores to the operand
 * stack (bytes) could alias any field, so the loop keeps what it reads in
 * locals of its own. */
typedef struct fast_locals {
    const uint8_t *params, *locals;
    uint32_t nparams, nlocals;
} fast_locals;

/* The local's type, or WT_UNKNOWN (never a local's type) past the end. */
static inline uint8_t fast_local_type(const fast_locals *l, uint32_t index)
{
    if (index < l->nparams)
        return l->params[index];
    if (index - l->nparams < l->nlocals)
        return l->locals[index - l->nparams];
    return WT_UNKNOWN;
}

/* The types a branch to `c` carries: a loop's params, else its results. */
static inline const uint8_t *fast_label_types(const wctrl *c, size_t *k)
{
    *k = c->op == WOP_LOOP ? c->nparams : c->nresults;
    return c->op == WOP_LOOP ? c->params : c->results;
}

/* vals[base..base+n) are exactly types[0..n). */
static inline bool fast_match(const uint8_t *vals, size_t base, const uint8_t *types, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (vals[base + i] != types[i])
            return false;
    return true;
}

const uint8_t *wvalidate_fast_run(wcode_state *s, const uint8_t *p, const uint8_t *end)
{
    const uint8_t *cls = s->v->fast_class;
    const wsig *const *sigs = s->v->fast_sig;
    const wmodule *m = s->m;
    const fast_locals l = {s->type->types, s->code->local_types, s->type->nparams, s->code->nlocals};
    const uint32_t nglobals = m->nglobals, nfuncs = m->nfuncs;
    uint8_t *vals = s->vals;
    wctrl *ctrls = s->ctrls;
    size_t n = s->nvals, cap = s->vals_cap, nctrls = s->nctrls, ctrls_cap = s->ctrls_cap;
    size_t height = ctrls[nctrls - 1].height;
    /* Five bytes left is the most any taken instruction reads but
     * f64.const, which checks for its nine. */
    while (end - p >= 5) {
        uint32_t x;
        unsigned len;
        uint8_t t;
        switch (cls[p[0]]) {
        case FAST_LOCAL_GET:
            if (!(len = leb_short(p + 1, &x)) || (t = fast_local_type(&l, x)) == WT_UNKNOWN || n >= cap)
                goto done;
            vals[n++] = t;
            p += 1 + len;
            break;
        case FAST_LOCAL_SET:
        case FAST_LOCAL_TEE:
            if (!(len = leb_short(p + 1, &x)) || n <= height || vals[n - 1] != fast_local_type(&l, x) ||
                vals[n - 1] == WT_UNKNOWN)
                goto done;
            n -= cls[p[0]] == FAST_LOCAL_SET;
            p += 1 + len;
            break;
        case FAST_GLOBAL_GET:
            if (!(len = leb_short(p + 1, &x)) || x >= nglobals || n >= cap)
                goto done;
            vals[n++] = m->globals[x].type.valtype;
            p += 1 + len;
            break;
        case FAST_GLOBAL_SET:
            if (!(len = leb_short(p + 1, &x)) || x >= nglobals || !m->globals[x].type.mutable_ ||
                n <= height || vals[n - 1] != m->globals[x].type.valtype)
                goto done;
            n--;
            p += 1 + len;
            break;
        case FAST_DROP:
            if (n <= height)
                goto done;
            n--;
            p += 1;
            break;
        case FAST_INT_CONST:
            if (!(len = leb_short(p + 1, &x)) || n >= cap)
                goto done;
            vals[n++] = sigs[p[0]]->types[0];
            p += 1 + len;
            break;
        case FAST_F32_CONST:
            if (n >= cap)
                goto done;
            vals[n++] = WT_F32;
            p += 5;
            break;
        case FAST_F64_CONST:
            if (end - p < 9 || n >= cap)
                goto done;
            vals[n++] = WT_F64;
            p += 9;
            break;
        case FAST_SIG: {
            const wsig *sig = sigs[p[0]];
            size_t np = sig->nparams;
            if (n < height + np || n - np + sig->nresults > cap || !fast_match(vals, n - np, sig->types, np))
                goto done;
            n -= np;
            for (size_t i = 0; i < sig->nresults; i++)
                vals[n++] = sig->types[np + i];
            p += 1;
            break;
        }
        case FAST_MEMARG: {
            const wsig *sig = sigs[p[0]];
            size_t np = sig->nparams;
            if (p[1] > sig->access_log2 || p[2] >= 0x80 || n < height + np ||
                n - np + sig->nresults > cap || !fast_match(vals, n - np, sig->types, np))
                goto done;
            n -= np;
            for (size_t i = 0; i < sig->nresults; i++)
                vals[n++] = sig->types[np + i];
            p += 3;
            break;
        }
        case FAST_BLOCK:
            /* an empty block type only; `if` pops its condition first */
            if (p[1] != 0x40 || nctrls >= ctrls_cap)
                goto done;
            if (wop_lookup_byte(p[0]) == WOP_IF) {
                if (n <= height || vals[n - 1] != WT_I32)
                    goto done;
                n--;
            }
            ctrls[nctrls++] = (wctrl){NULL, NULL, 0, 0, (uint32_t)n, (uint16_t)wop_lookup_byte(p[0]), false, 0};
            height = n;
            p += 2;
            break;
        case FAST_END: {
            /* not the function's own end (the general path finishes the
             * body); the frame's results exactly, nothing more, and an `if`
             * without else only when it has neither params nor results.
             * The results stay where they are. */
            const wctrl *c = &ctrls[nctrls - 1];
            if (nctrls < 2 || n != height + c->nresults || !fast_match(vals, height, c->results, c->nresults) ||
                (c->op == WOP_IF && (c->nparams | c->nresults) != 0))
                goto done;
            nctrls--;
            height = ctrls[nctrls - 1].height;
            p += 1;
            break;
        }
        case FAST_BR: {
            if (p[1] >= 0x80 || p[1] >= nctrls)
                goto done;
            size_t k;
            const uint8_t *types = fast_label_types(&ctrls[nctrls - 1 - p[1]], &k);
            if (n < height + k || !fast_match(vals, n - k, types, k))
                goto done;
            n = height;
            ctrls[nctrls - 1].unreachable = true;
            p += 2;
            break;
        }
        case FAST_BR_IF: {
            if (p[1] >= 0x80 || p[1] >= nctrls || n <= height || vals[n - 1] != WT_I32)
                goto done;
            size_t k;
            const uint8_t *types = fast_label_types(&ctrls[nctrls - 1 - p[1]], &k);
            /* the label's values stay: they must be exactly its types */
            if (n - 1 < height + k || !fast_match(vals, n - 1 - k, types, k))
                goto done;
            n--;
            p += 2;
            break;
        }
        case FAST_CALL: {
            if (!(len = leb_short(p + 1, &x)) || x >= nfuncs)
                goto done;
            const wfunctype *ft = wmodule_func_type(m, x);
            size_t np = ft->nparams;
            if (n < height + np || n - np + ft->nresults > cap || !fast_match(vals, n - np, ft->types, np))
                goto done;
            n -= np;
            for (size_t i = 0; i < ft->nresults; i++)
                vals[n++] = ft->types[np + i];
            p += 1 + len;
            break;
        }
        default:
            goto done;
        }
    }
done:
    s->nvals = n;
    s->nctrls = nctrls;
    return p;
}
