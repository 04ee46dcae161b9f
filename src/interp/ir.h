/*
 * ward's internal code ("IR"): a register/slot three-address form executed
 * by direct threading (see docs/interpreter.md).
 *
 * A function's frame is an array of 64-bit slots: parameters, declared
 * locals, then operand-stack temporaries (the wasm stack height is static at
 * every instruction, so each operand is a fixed slot).  Code is an array of
 * 8-byte cells: the first cell of an op holds its handler address (threaded
 * dispatch) or its IR opcode (switch dispatch); the operand cells that follow
 * hold slot indices (two per cell), immediates or relative branch offsets.
 */
#ifndef WARD_IR_H
#define WARD_IR_H

#include <stddef.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdint.h>

#include "../decoder/module.h"

typedef enum wir {
#define IR_BINOP_RI(OP, T, R, ...) WIR_##OP##_RR, WIR_##OP##_RI,
#define IR_BR_I32(OP, ...)                                                                                   \
    WIR_BR_##OP##_RR, WIR_BR_##OP##_RI, WIR_BRN_##OP##_RR, WIR_BRN_##OP##_RI, WIR_BRF_##OP##_RR,             \
        WIR_BRF_##OP##_RI, WIR_BRNF_##OP##_RR, WIR_BRNF_##OP##_RI,
#define IR_CMP_I32(OP, ...) WIR_##OP##_RR, WIR_##OP##_RI, IR_BR_I32(OP, 0)
#define IR_BINOP_SH(OP, COMM, ...) WIR_##OP##_SL, WIR_##OP##_SR, WIR_##OP##_SRI,
#define IR_LOAD_OP(OP, T, LOAD, ...) WIR_##OP##_M,
#define IR_FCHAIN(T, TY, F, FOP, S, SOP) WIR_##T##_##F##_##S##_L, WIR_##T##_##F##_##S##_R,
#define IR_BINOP(OP, T, R, ...) WIR_##OP##_RR,
#define IR_UNOP(OP, T, R, ...) WIR_##OP,
#define IR_LOAD(OP, C, R) WIR_##OP, WIR_##OP##_A, WIR_##OP##_K, WIR_##OP##_R, WIR_##OP##_X, WIR_##OP##_S, WIR_##OP##_N, WIR_##OP##_W,
#define IR_STORE(OP, T, C) WIR_##OP, WIR_##OP##_I, WIR_##OP##_K, WIR_##OP##_R, WIR_##OP##_X, WIR_##OP##_A, WIR_##OP##_AI, WIR_##OP##_S, WIR_##OP##_N, WIR_##OP##_W,
#define IR_OP(NAME, NOPS) WIR_##NAME,
#include "ir_ops.def"
    WIR_COUNT
} wir;

/* The FUEL op: handler, cost, instruction ordinal (where the step code
 * takes over: wvariant.step_pos), skip (cells to the op after the heads it
 * pays for). */
#define FUEL_CELLS 4

typedef union wcell {
    const void *handler; /* threaded dispatch */
    uint64_t op;         /* switch dispatch: a wir */
    uint64_t u64;
    int64_t rel; /* branch offset in cells, from the op's first cell */
    struct {
        uint32_t a, b;
    } s; /* two slot indices or small immediates */
    const struct wcompiled_func *callee;
} wcell;

/* The three translations of a function (docs/fuel.md): plain code for fuel
 * off; metered code that charges a fuel block at its head; step code that
 * charges every wasm instruction, entered from a block head that cannot pay
 * for the whole block.  None is made at load: each is translated the first
 * time a call needs it (docs/interpreter.md, "Lazy translation"). */
enum { WVAR_PLAIN, WVAR_METERED, WVAR_STEP, WVAR_COUNT };

/* Maps an IR position to the wasm instruction it came from; searched only
 * when trapping.  refund: fuel of the rest of the block after it (metered). */
typedef struct wsite {
    uint32_t ir;
    uint32_t wasm;
    uint32_t refund;
} wsite;

typedef struct wvariant {
    wcell *code;
    size_t ncells;
    wsite *sites;
    size_t nsites;
    /* Step code: code position of each instruction's FUEL_STEP, by its index
     * in the body (a metered FUEL op that cannot pay diverts there). */
    uint32_t *step_pos;
    size_t nstep_pos;
    /* Exception handlers (eh.h), or NULL when the function has no try. */
    const struct weh_table *eh;
    uint32_t frame_slots; /* the frame this code needs */
} wvariant;

typedef struct wcompiled_func {
    const wmodule *m;
    struct wcompiled *owner; /* the module's translated code this belongs to */
    uint32_t func_index;
    const wfunctype *type;
    uint32_t nparams;
    uint32_t nlocal_slots; /* params + declared locals */
    /* The frame each variant's code needs (locals + max temporaries, >=
     * nresults; the same in every variant, also kept in its wvariant):
     * SIZE_MAX until that variant is published, so the call path's room
     * check fails for code not yet translated and its slow path translates
     * (no extra test on the hot path).  Stored with release after the
     * code's pointer: a reader that loads it with acquire (a plain load on
     * x86-64) and finds a real size finds the code too. */
    _Atomic size_t frame[WVAR_COUNT];
    char *name; /* NUL-terminated copy from the name section, or NULL */
    /* The code of each variant: NULL until its first call needs it, then
     * published once with a compare-and-swap (wcompiled_variant).  The
     * pointer is the code itself, so a call loads it in one step; its
     * wvariant sits right before it (wcompiled_lazy_variant). */
    _Atomic(wcell *) code[WVAR_COUNT];
    /* The plain code keeps no trap sites (they were a third of its size):
     * the first trap in it translates it again with sites, kept here. */
    _Atomic(wcell *) plain_sites;
} wcompiled_func;

/* A module's translated code: owned by its ward_module (src/runtime), which
 * frees it before the decoder's module it reads. */
struct wcompiled {
    const wmodule *m;      /* the module translated */
    wcompiled_func *funcs; /* one per defined function */
    uint32_t nfuncs;
    struct wchunk *chunks; /* arena of the function names */
    /* The max_code_bytes load limit (UINT64_MAX = none) and the bytes of
     * code translated so far, lazily translated variants included (any
     * thread may add to it: wcompiled_charge). */
    uint64_t max_code_bytes;
    _Atomic uint64_t code_bytes;
    /* A translation was refused by the limit (sticky): a call that finds no
     * code then says so rather than blaming host memory. */
    atomic_bool limit_hit;
};

/* Count bytes more of translated code against c's limit: false, and
 * nothing counted, when they would pass it.  Thread-safe. */
bool wcompiled_charge(struct wcompiled *c, size_t bytes);
/* Give back bytes counted for a translation that was dropped. */
void wcompiled_refund(struct wcompiled *c, size_t bytes);
/* Bytes a translation may still take before c reaches its limit. */
uint64_t wcompiled_code_room(const struct wcompiled *c);

/* size bytes (8-aligned) that live as long as c; NULL when out of memory. */
void *wcompiled_alloc(struct wcompiled *c, size_t size);

/* Translate variant v of fn into one malloc'd block (compile.c) of *bytes
 * bytes, with trap sites when `sites`; NULL when out of memory or when the
 * code alone would not fit in the module's code limit. */
wvariant *wcompile_variant(const wcompiled_func *fn, int v, bool sites, size_t *bytes);

/* The handler address table of the threaded dispatch loop (NULL for the
 * switch back end), so the translator can write handlers into the code. */
const void *const *wexec_handlers(void);

/* Generated from ir_ops.def: op names and operand cell counts (BR_TABLE
 * is followed by n+1 more cells). */
extern const char *const wir_names[WIR_COUNT];
extern const uint8_t wir_nops[WIR_COUNT];

/* List a function's IR, one op per line (debugging). */
void wir_dump(const wcompiled_func *fn, int variant, FILE *out);

/* Variant v of fn, translated on first use and shared by every thread
 * (safe to call concurrently: the first translation published wins).  NULL
 * only when that translation runs out of memory or passes the code limit. */
const wvariant *wcompiled_variant(const wcompiled_func *fn, int v);

/* The wvariant of lazily translated code (one block: header, then code). */
static inline const wvariant *wcompiled_lazy_variant(const wcell *code)
{
    return code ? (const wvariant *)(const void *)code - 1 : NULL;
}

/* The code of variant v of fn if it exists already, else NULL (never
 * translates).  Inline: every call asks. */
static inline const wcell *wcompiled_code_ready(const wcompiled_func *fn, int v)
{
    return atomic_load_explicit(&fn->code[v], memory_order_acquire);
}

/* Variant v of fn if it exists already, else NULL (never translates). */
static inline const wvariant *wcompiled_variant_ready(const wcompiled_func *fn, int v)
{
    return wcompiled_lazy_variant(wcompiled_code_ready(fn, v));
}

/* The frame variant v of fn needs, or SIZE_MAX while that code is not
 * published (see wcompiled_func.frame). */
static inline size_t wcompiled_frame(const wcompiled_func *fn, int v)
{
    return atomic_load_explicit(&fn->frame[v], memory_order_acquire);
}

/* The code of variant v of fn, once wcompiled_frame said it exists (a
 * relaxed load: that acquire ordered it). */
static inline const wcell *wcompiled_code_known(const wcompiled_func *fn, int v)
{
    return atomic_load_explicit(&fn->code[v], memory_order_relaxed);
}

/* The frame size code needs (code from wcompiled_code_ready or a
 * wvariant). */
static inline uint32_t wcompiled_code_frame(const wcell *code)
{
    return wcompiled_lazy_variant(code)->frame_slots;
}

/* How many functions of c have variant v translated (tests, benches). */
uint32_t wcompiled_count_translated(const struct wcompiled *c, int v);

/* The plain code of fn with its trap sites, translated on first use like
 * the fuel variants; NULL when out of memory.  Only for traps. */
const wvariant *wcompiled_plain_sites(const wcompiled_func *fn);

/* The site covering code position pos of a variant (the last site at or
 * before it), or NULL. */
const wsite *wvariant_site(const wvariant *v, size_t pos);

#endif
