/*
 * Translator internals shared by compile.c (state, emission, virtual stack,
 * control stack, fuel blocks) and compile_ops.c (one wasm instruction at a
 * time).
 */
#ifndef WARD_COMPILE_H
#define WARD_COMPILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../decoder/instr.h"
#include "ir.h"

/* An operand-stack entry: where the value lives right now.  A slot entry
 * is either a temporary in its canonical slot or a local not yet copied. */
enum { VK_SLOT, VK_CONST };

typedef struct wvs {
    uint8_t kind;
    uint32_t slot; /* VK_SLOT */
    uint64_t imm;  /* VK_CONST: raw bits (never a v128: v128.const is emitted) */
    uint8_t wide;  /* a v128: two consecutive slots */
    uint32_t tslot; /* the canonical temporary of its position (set by wtr_push) */
} wvs;

enum { CK_BLOCK, CK_LOOP, CK_IF, CK_FUNC, CK_TRY };

#define WNO_FIXUP UINT32_MAX

typedef struct wctl {
    uint8_t kind;
    bool unreachable;
    bool has_else;
    bool label_used;
    uint32_t height; /* stack height below the block's params */
    uint32_t nparams, nresults;
    size_t loop_pos;           /* CK_LOOP: branch target */
    size_t else_op, else_cell; /* CK_IF: the false branch to patch, or SIZE_MAX */
    uint32_t fixups;           /* head of this label's forward-branch list */
    wblocktype bt;             /* types of params and results (CK_FUNC: the function's) */
    bool in_catch;             /* CK_TRY: past the first catch (compile_eh.c) */
    uint32_t eh;               /* CK_TRY: its handler entry */
} wctl;

/* A forward branch to patch when its label is bound. */
typedef struct wfixup {
    size_t op;   /* first cell of the branching op */
    size_t cell; /* the cell holding the relative offset */
    uint32_t next;
} wfixup;

#define WMAX_PENDING 8

/* A fuel block with no code, waiting to be chained to the next block head. */
typedef struct wpending {
    size_t op;
    uint64_t cost;
} wpending;

/* A branch of the metered code, to upgrade to its fuel form when done.
 * head..chain: the FUEL ops that pay for the block it ends (head, and the
 * empty blocks' heads chained into it, from chain); its sites are
 * [site0, site1); alone: no other branch leaves that block before it. */
typedef struct wbranch {
    size_t pos;
    wir op;
    size_t head, chain;
    size_t site0, site1;
    bool alone, merged;
} wbranch;

typedef struct wtr {
    const wmodule *m;
    const struct wcompiled *compiled;
    const wcompiled_func *fn;
    int variant; /* WVAR_* */
    const void *const *handlers;

    unsigned char *block; /* the translation's block: a wvariant header, then the code */
    wcell *code;          /* in block */
    size_t ncells, cap_cells;
    wsite *sites;
    size_t nsites, cap_sites;

    wvs *vs;
    size_t nvs, cap_vs;
    wctl *cs;
    size_t ncs, cap_cs;
    wfixup *fx;
    size_t nfx, cap_fx;
    wbranch *branches;
    size_t nbranches, cap_branches;

    uint32_t nlocal_slots;
    uint32_t *local_off; /* slot of each local (nlocals+1 entries), NULL when all are one slot */
    uint32_t max_height; /* temporaries' slots */
    const wfunctype *type;

    uint32_t offset;  /* wasm offset of the instruction being translated */
    uint32_t ordinal; /* its index in the body */

    /* Metered variant: the open fuel block. */
    bool block_open;
    size_t block_op; /* its FUEL op */
    size_t block_first_site;
    uint64_t block_cost;
    uint32_t block_branches; /* branches noted in it so far */
    wpending pend[WMAX_PENDING];
    size_t npend;
    size_t pend_end; /* code position right after the last pending head */
    /* Step variant: code position of each instruction's FUEL_STEP, by
     * ordinal (the metered FUEL op records the ordinal and looks it up
     * here when it diverts, so the two need not be translated together). */
    uint32_t *step_pos;
    size_t nordinals;

    /* The last emitted op, for peephole fusion. */
    size_t last_op, last_end;
    wir last_ir;
    bool last_has_dst;
    size_t prev_op; /* the op before the last one, if prev_valid */
    wir prev_ir;
    bool prev_has_dst, prev_valid;

    /* Exception handlers of the variant being translated (compile_eh.c). */
    struct weh_entry *eh_entries;
    size_t neh_entries, cap_eh_entries;
    struct weh_clause *eh_clauses;
    size_t neh_clauses, cap_eh_clauses;

    uint32_t dead_depth; /* nesting inside unreachable code */
    bool oom;
    /* The module's code limit: cells the code may grow to, and whether it
     * was that (not memory) that stopped the translation. */
    size_t max_cells;
    bool over_limit;
    bool no_sites; /* plain code: its sites are made on its first trap (compiled.c) */
    wcell junk[8]; /* written instead of code after an allocation failure */
} wtr;

/* ---- compile.c -------------------------------------------------------- */
wcell *wtr_emit(wtr *t, wir op, size_t nops);
wcell *wtr_emit_dst(wtr *t, wir op, size_t nops, uint32_t dst);
bool wtr_emit_cells(wtr *t, size_t n);
void wtr_truncate_to_last(wtr *t);
void wtr_truncate_to_prev(wtr *t);
uint32_t wtr_tslot(const wtr *t, size_t pos);
void wtr_push_temp(wtr *t);
void wtr_push_temp_type(wtr *t, uint8_t valtype);
uint32_t wtr_local_slot(const wtr *t, uint32_t index);
/* compile_idiom.c: a native fast path before a loop of a known shape. */
void wtr_loop_idiom(wtr *t, const winstr *loop);
bool wtr_local_wide(const wtr *t, uint32_t index);
uint8_t wtr_ctl_type(const wtr *t, const wctl *c, bool results, uint32_t i);
uint32_t wtr_label_slot(const wtr *t, const wctl *c, uint32_t i);
void wtr_emit_mov(wtr *t, uint32_t dst, uint32_t src, bool wide);
void wtr_push(wtr *t, wvs v);
wvs wtr_pop(wtr *t);
uint32_t wtr_pop_slot(wtr *t);
void wtr_materialize(wtr *t, size_t pos);
void wtr_materialize_local(wtr *t, uint32_t slot);
void wtr_materialize_all_locals(wtr *t);
void wtr_charge(wtr *t, wop op);
void wtr_cut(wtr *t);
void wtr_flush_pending(wtr *t);
wctl *wtr_push_ctl(wtr *t, uint8_t kind, uint32_t nparams, uint32_t nresults);
void wtr_add_fixup(wtr *t, wctl *c, size_t op, size_t cell);
void wtr_bind(wtr *t, uint32_t *fixups);
void wtr_set_unreachable(wtr *t);
void wtr_block_arity(const wtr *t, const wblocktype *bt, uint32_t *np, uint32_t *nr);

/* ---- compile_ops.c ------------------------------------------------------ */
void wtr_instr(wtr *t, const winstr *in);
/* For compile_eh.c: block entry, a jump to a label (with its copies), the
 * copies alone, the `end` of a block, and call-style operands. */
void wtr_enter_block(wtr *t, uint32_t nparams);
void wtr_jump(wtr *t, wctl *c);
void wtr_branch_copies(wtr *t, const wctl *c);
void wtr_end(wtr *t, const winstr *in);
uint32_t wtr_prepare_args(wtr *t, const wfunctype *ft);

/* ---- compile_mem.c ------------------------------------------------------ */
/* A load or store (op: its plain IR op), fusing the address arithmetic
 * emitted just before it when that is possible. */
void wtr_load(wtr *t, wir op, const winstr *in);
void wtr_store(wtr *t, wir op, const winstr *in);
/* `a op b` where b was just loaded by a plain load: emit the _M form into
 * dst instead (false, nothing emitted, when it does not apply). */
bool wtr_load_operand(wtr *t, wop op, uint32_t a, uint32_t b, uint32_t dst);
/* The last op (prev: the one before it) is the immediate shift op writing
 * temporary slot, which dies at the op being emitted. */
bool wtr_fresh_shift(const wtr *t, bool prev, wir op, uint32_t slot);

/* Multi-memory and memory64: an access to memory 0 of i32 addresses takes
 * the fast forms, which have no memory operand; any other takes the _N
 * form (one cell more: the memory cell, [memidx, is64]), except a plain
 * load or store on memory 0 of i64 addresses: its _W form uses memory 0
 * as the fast forms do (compile_mem.c). */
static inline bool wtr_memory_fast(const wtr *t, uint32_t memidx)
{
    return memidx == 0 && !t->m->memories[0].limits.is64;
}
static inline void wtr_memory_cell(const wtr *t, wcell *c, uint32_t memidx)
{
    c->s.a = memidx;
    c->s.b = t->m->memories[memidx].limits.is64;
}

/* ---- compile_eh.c ------------------------------------------------------- */
/* Translate an exception-handling instruction, or the `end` of a try;
 * false (nothing done) for anything else. */
bool wtr_eh_instr(wtr *t, const winstr *in);
/* The handler table of the translation, packed: its size in bytes (0 when
 * there are no trys), and writing it at dst (8-aligned). */
size_t wtr_eh_size(const wtr *t);
const struct weh_table *wtr_eh_write(const wtr *t, void *dst);

/* ---- compile_atomic.c --------------------------------------------------- */
/* Translate a 0xFE (threads proposal) instruction; false for any other. */
bool wtr_atomic(wtr *t, const winstr *in);

/* ---- compile_simd.c ----------------------------------------------------- */
/* Translate a 0xFD-prefixed instruction. */
void wtr_simd(wtr *t, const winstr *in);
/* Slot layout: a v128 takes two slots, everything else one. */
static inline uint32_t wtr_width(uint8_t valtype)
{
    return valtype == WT_V128 ? 2u : 1u;
}

#endif
