/*
 * Internals shared by the validator's translation units: the per-opcode
 * signature table, the declared-function set and the function-body checker.
 * Nothing here is visible outside src/validator.
 */
#ifndef WARD_VALIDATE_INTERNAL_H
#define WARD_VALIDATE_INTERNAL_H

#include "../decoder/instr.h"
#include "validate.h"

/* The type of a stack slot that the polymorphic stack after `unreachable`
 * can produce: it matches every value type. */
#define WT_UNKNOWN 0

/* The most params + results any signature string in opcodes.def has. */
#define WSIG_MAX_TYPES 8

/* One opcode's signature string parsed into value types, plus its access
 * size and lane count: the validator's view of an opcodes.def row. */
typedef struct wsig {
    uint8_t nparams;
    uint8_t nresults;
    uint8_t types[WSIG_MAX_TYPES]; /* params, then results */
    uint8_t access_log2;           /* memory ops: log2 of the natural alignment */
    uint8_t lanes;                 /* lane ops: number of lanes (0 if none) */
    bool valid;                    /* sig was non-NULL and parsed */
} wsig;

/* Everything the module-level checks build and the code checker reads. */
typedef struct wvalidator {
    const wmodule *m;
    werror *err;
    uint8_t *declared; /* bitmap over functions: referenced outside code */
    winstr_scratch scratch;
    /* The stacks of the function bodies, reused from one to the next. */
    uint8_t *vals;
    size_t vals_cap;
    struct wctrl *ctrls;
    size_t ctrls_cap;
    /* validate_fast.c: what its loop does with each first byte, and the
     * byte's signature (NULL: no single-byte opcode) */
    uint8_t fast_class[256];
    const wsig *fast_sig[256];
} wvalidator;

/* validate_sig.c: every opcode's wsig, made at build time from the opcode
 * table by src/common/opcodes_gen.py (invalid for a NULL signature). */
extern const wsig wsig_table[WOP_COUNT];

/* Byte size of a value type in a v128 lane sense (i32 -> 4 ...); 0 for refs. */
uint32_t wvaltype_size(uint8_t t);

bool wvaltype_is_num(uint8_t t);
bool wvaltype_is_ref(uint8_t t);

/* Name of a value type for messages; "unknown" for WT_UNKNOWN. */
const char *wval_type_name(uint8_t t);

/* Mark function `index` as declared (C.refs of the spec). */
static inline void wvalidator_declare(wvalidator *v, uint32_t index)
{
    if (index < v->m->nfuncs)
        v->declared[index / 8] |= (uint8_t)(1u << (index % 8));
}

static inline bool wvalidator_is_declared(const wvalidator *v, uint32_t index)
{
    return index < v->m->nfuncs && (v->declared[index / 8] >> (index % 8)) & 1u;
}

/* validate_const.c: check that `e` is a constant expression of type
 * `type`; `what` prefixes errors ("global 2").  Records every ref.func in
 * the declared set. */
bool wvalidate_const_expr(wvalidator *v, const wexpr *e, uint8_t type, const char *what);

/* validate_code.c: check the body of defined function `code_index`. */
bool wvalidate_function(wvalidator *v, uint32_t code_index);

/* A control frame of the spec's algorithm.  `params`/`results` point into the
 * module's type section or a const table, never into the stacks, so they stay
 * valid while the stacks grow. */
typedef struct wctrl {
    const uint8_t *params;
    const uint8_t *results;
    uint32_t nparams, nresults;
    uint32_t height;        /* operand stack height at entry */
    uint16_t op;            /* WOP_BLOCK (also the function frame), LOOP, IF, ELSE */
    bool unreachable;       /* the rest of the frame is dead: the stack is polymorphic */
    uint32_t br_table_mark; /* offset + 1 of the last br_table that checked this label */
} wctrl;

/* The state of checking one function body. */
typedef struct wcode_state {
    wvalidator *v;
    const wmodule *m;
    uint32_t func_index; /* in the function index space, for messages */
    uint32_t offset;     /* module offset of the current instruction */
    const wfunctype *type;
    const wcode *code;
    uint8_t *vals; /* operand stack */
    size_t nvals, vals_cap;
    wctrl *ctrls; /* control stack */
    size_t nctrls, ctrls_cap;
} wcode_state;

/* validate_code.c: the operand/control stack machine.  Every failing call
 * has written "function N, offset 0xX: ..." into v->err. */
bool wcode_fail(wcode_state *s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* The full push and pop (growing the stack; popping past a frame's base,
 * mismatches and their messages); the inline ones below take the common
 * case and leave everything else to them. */
bool wcode_push_slow(wcode_state *s, uint8_t t);
bool wcode_pop_slow(wcode_state *s, uint8_t expect, uint8_t *actual);

static inline bool wcode_push(wcode_state *s, uint8_t t)
{
    if (s->nvals >= s->vals_cap)
        return wcode_push_slow(s, t);
    s->vals[s->nvals++] = t;
    return true;
}

/* Pop a value of type expect (WT_UNKNOWN: any); *actual, when asked, gets
 * its type. */
static inline bool wcode_pop(wcode_state *s, uint8_t expect, uint8_t *actual)
{
    if (s->nvals > s->ctrls[s->nctrls - 1].height) {
        uint8_t t = s->vals[s->nvals - 1];
        if (t == expect || t == WT_UNKNOWN || expect == WT_UNKNOWN) {
            s->nvals--;
            if (actual)
                *actual = t;
            return true;
        }
    }
    return wcode_pop_slow(s, expect, actual);
}

bool wcode_pop_vals(wcode_state *s, const uint8_t *types, uint32_t n);
bool wcode_push_vals(wcode_state *s, const uint8_t *types, uint32_t n);
void wcode_set_unreachable(wcode_state *s);

/* Control-stack operations of validate_code.c, for validate_eh.c. */
bool wcode_push_ctrl(wcode_state *s, uint16_t op, const uint8_t *params, uint32_t nparams, const uint8_t *results,
                     uint32_t nresults);
bool wcode_pop_ctrl(wcode_state *s, wctrl *out);
bool wcode_label(wcode_state *s, uint32_t depth, const wctrl **out);
bool wcode_block_signature(wcode_state *s, const wblocktype *bt, const uint8_t **params, uint32_t *nparams,
                           const uint8_t **results, uint32_t *nresults);

/* validate_eh.c: the legacy exception-handling instructions (try, catch,
 * catch_all, delegate, throw, rethrow); *handled is false for any other. */
bool wcode_eh_instr(wcode_state *s, const winstr *in, bool *handled);
/* validate_eh.c: every tag's type exists and has no results. */
bool wvalidate_tags(wvalidator *v);

/* validate_fast.c: fill v->fast_class and v->fast_sig for v->m. */
void wfast_classes_build(wvalidator *v);
/* validate_fast.c: check the common instructions from p on inline, up to
 * the first one it does not take (or end); returns where it stopped.  It
 * never fails: whatever it does not take is left for the general path. */
const uint8_t *wvalidate_fast_run(wcode_state *s, const uint8_t *p, const uint8_t *end);

/* validate_instr.c: immediates (indices, alignment, lanes) of any
 * instruction, and the typing of the non-control instructions whose
 * signature is NULL in opcodes.def. */
bool wcheck_immediates(wcode_state *s, const winstr *in);
bool wtype_special(wcode_state *s, const winstr *in, bool *handled);

/* memory64: rewrite the i32 address operands of `sig` (a copy) for the
 * 64-bit memories `in` names. */
void wmemory_address_sig(const wcode_state *s, const winstr *in, wsig *sig);

#endif
