/*
 * The dispatch loop.  One C function runs every wasm frame of a call: calls
 * push a wframe and continue here, so the C stack stays flat whatever the
 * guest does.  Handlers come from ir_ops.def (generated) plus the
 * hand-written ones below; the same bodies serve both back ends:
 *   threaded  each op's first cell holds its handler's address and every
 *             handler ends in `goto *ip->handler` (labels as values);
 *   switch    (-Ddispatch=switch) the cell holds the IR opcode and a switch
 *             dispatches.
 * Hot state lives in locals: ip, fp, memory base and size, fuel.
 */
#include <math.h>
#include <string.h>

#include "exec.h"
#include "exec_eh.h"
#include "../common/numeric.h"
#include "exec_simd.h"
#include "../atomics/atomic_ops.h"
#include "../atomics/atomics.h"

#define T_i32 uint32_t
#define T_i64 uint64_t
#define T_f32 float
#define T_f64 double
#define GET_i32(s) ((uint32_t)fp[s])
#define GET_i64(s) (fp[s])
#define GET_f32(s) wf32_from((uint32_t)fp[s])
#define GET_f64(s) wf64_from(fp[s])
#define PUT_i32(s, v) (fp[s] = (uint64_t)(uint32_t)(v))
#define PUT_i64(s, v) (fp[s] = (uint64_t)(v))
#define PUT_f32(s, v) (fp[s] = (uint64_t)wf32_bits(v))
#define PUT_f64(s, v) (fp[s] = wf64_bits(v))
#define IMM_i32(c) ((uint32_t)(c).u64)
#define IMM_i64(c) ((c).u64)
#define BITS_i32 uint32_t
#define BITS_f32 uint32_t
#define BITS_f64 uint64_t
#define FROM_i32(b) (b)
#define FROM_f32(b) wf32_from(b)
#define FROM_f64(b) wf64_from(b)
#define IMM_f32(c) wf32_from((uint32_t)(c).u64)
#define IMM_f64(c) wf64_from((c).u64)

/* A -Dprofile_ops build counts every op a handler runs (profile.h). */
#ifdef WARD_PROFILE_OPS
#include "profile.h"
#define PROFILE_OP(op) (prof ? wprof_hit(prof, op) : (void)0)
#else
#define PROFILE_OP(op) ((void)0)
#endif
#ifdef WARD_DISPATCH_SWITCH
#define IS_FUEL_HEAD(p) ((p)->op == WIR_FUEL)
#define HANDLER(name) case WIR_##name: PROFILE_OP(WIR_##name);
#define DISPATCH() goto dispatch
#else
#define IS_FUEL_HEAD(p) ((p)->handler == &&L_FUEL)
#define HANDLER(name) L_##name: PROFILE_OP(WIR_##name);
#define DISPATCH() goto *ip->handler
#endif
#define NEXT(n)        \
    do {               \
        ip += (n);     \
        DISPATCH();    \
    } while (0)
#define JUMP(rel)      \
    do {               \
        ip += (rel);   \
        DISPATCH();    \
    } while (0)
/*
 * Fuel charges (docs/fuel.md).  Each subtracts first and tests the borrow,
 * so a paid block costs a load, a subtract and a predicted branch; when
 * the fuel is short it is restored and control goes to the block's head
 * (a FUEL op), whose cold path diverts to the step code.
 */
#define PAY(cost) __builtin_expect(!__builtin_sub_overflow(fuel, (cost), &fuel), 1)
/* Go to head, a FUEL op, charging it on the way (it skips the heads of
 * the blocks it pays for too). */
#define ENTER_BLOCK(head)                        \
    do {                                         \
        const wcell *head_ = (head);             \
        uint64_t cost_ = head_[1].u64;           \
        ip = head_;                              \
        if (PAY(cost_))                          \
            ip = head_ + head_[3].u64;           \
        else                                     \
            fuel += cost_;                       \
        DISPATCH();                              \
    } while (0)
/* The fuel forms of branches: the cell holds the offset of the code after
 * the target's heads and their cost; the cold path finds the head. */
#define ENTER_TAKEN(cell)                                  \
    do {                                                   \
        const wcell *body_ = ip + (int32_t)(cell).s.a;     \
        uint32_t cost_ = (cell).s.b;                       \
        ip = body_;                                        \
        if (!PAY(cost_)) {                                 \
            fuel += cost_;                                 \
            ip = fuel_head(body_, cost_);                  \
        }                                                  \
        DISPATCH();                                        \
    } while (0)
/* Merged conditional branches (docs/fuel.md): the block paid for its
 * fall-through successor, whose heads are next (len cells on) and are
 * skipped; taken, the cell holds the offset of the target's code and the
 * target's cost minus the fall-through's (a refund when negative).  When
 * the fuel is short the fall-through's cost is refunded too and the
 * target's head runs. */
#define TAKE_MERGED(cell, len)                                          \
    do {                                                                \
        const wcell *body_ = ip + (int32_t)(cell).s.a;                  \
        int64_t delta_ = (int32_t)(cell).s.b;                           \
        fuel -= (uint64_t)delta_;                                       \
        if (__builtin_expect((int64_t)fuel < 0, 0)) {                   \
            uint64_t next_cost_ = ip[(len) + 1].u64;                    \
            fuel += (uint64_t)delta_ + next_cost_;                      \
            ip = fuel_head(body_, (uint64_t)delta_ + next_cost_);       \
            DISPATCH();                                                 \
        }                                                               \
        ip = body_;                                                     \
        DISPATCH();                                                     \
    } while (0)
#define SKIP_MERGED(len)                \
    do {                                \
        ip += (len);                    \
        ip += ip[3].u64;                \
        DISPATCH();                     \
    } while (0)
/* Enter callee's frame at args (room was checked). */
#define PUSH_FRAME()                                            \
    do {                                                        \
        *fsp++ = (wframe){ret_ip, fp, fn, inst};                \
        fp = args;                                              \
        for (uint32_t i = callee->nparams; i < callee->nlocal_slots; i++) \
            fp[i] = 0;                                          \
        fn = callee;                                            \
        if (callee_inst != inst) {                              \
            inst = callee_inst;                                 \
            RELOAD_MEMORY();                                    \
        }                                                       \
    } while (0)
/* Push the callee's frame and run it from `entry`.  Metered code starts with
 * its entry block's FUEL op, charged here to save its dispatch (when fuel is
 * short the FUEL op itself runs and diverts). */
#define ENTER_FRAME_AT(entry)                                   \
    do {                                                        \
        PUSH_FRAME();                                           \
        ip = (entry);                                           \
        if (variant == WVAR_METERED)                            \
            ENTER_BLOCK(ip);                                    \
        DISPATCH();                                             \
    } while (0)
#define TRAP(kind)                       \
    do {                                 \
        trap_kind = WARD_TRAP_##kind;    \
        goto trap;                       \
    } while (0)

/* The function call_indirect and return_call_indirect ([argbase, elemslot]
 * [typeidx, tableidx]) reach, into target, or the trap of the first check
 * that fails.  A macro so the call_indirect handler keeps its code. */
#define INDIRECT_TARGET()                                                    \
    do {                                                                     \
        const ward_table *table_ = inst->tables[ip[2].s.b];                  \
        uint32_t i_ = GET_i32(ip[1].s.b);                                    \
        if (i_ >= table_->size)                                              \
            TRAP(UNDEFINED_ELEMENT);                                         \
        target = table_->elems[i_];                                          \
        if (!target)                                                         \
            TRAP(UNINITIALIZED_ELEMENT);                                     \
        const wfunctype *want_ = &inst->m->types[ip[2].s.a];                 \
        if (target->type != want_ && !wfunctype_equal(target->type, want_)) \
            TRAP(INDIRECT_TYPE_MISMATCH);                                    \
    } while (0)

/* Call target, a host function, with its arguments at args; its results
 * come back there.  Used by calls and tail calls alike. */
#define CALL_HOST()                                                                                \
    do {                                                                                           \
        ex->depth = (uint32_t)(fsp - frames);                                                      \
        ex->sp = (size_t)(args - ex->stack) +                                                      \
                 wexec_slots(target->type->types, target->type->nparams + target->type->nresults); \
        wexec_budget_save(s, fuel, WARD_TRAP_NONE);                                                \
        ward_result r_ = wexec_call_host(s, inst, target, args, trap);                             \
        fuel = wexec_budget_load(s);                                                               \
        RELOAD_MEMORY();                                                                           \
        if (r_ != WARD_OK) {                                                                       \
            trap_kind = WARD_TRAP_HOST;                                                            \
            goto trap;                                                                             \
        }                                                                                          \
    } while (0)

/* The head a fuel form's branch entered, given the code after the heads
 * and their cost (cold: the fuel was short).  The heads a block pays for
 * are adjacent FUEL ops, each paying for itself and the ones after it, so
 * the entered one is the nearest before body whose cost is the one
 * charged (docs/fuel.md). */
static const wcell *fuel_head(const wcell *body, uint64_t cost)
{
    const wcell *head = body - FUEL_CELLS;
    while (head[1].u64 != cost)
        head -= FUEL_CELLS;
    return head;
}

/* Memory 0 of an instance, or NULL. */
static ward_memory *memory0(const ward_instance *inst)
{
    return inst->m->nmemories ? inst->memories[0] : NULL;
}

/* memsize may be stale when another thread grew a shared memory: re-read
 * it before reporting an out-of-bounds access (sizes only grow). */
#define OOB_TRAP(end)                                    \
    do {                                                 \
        memsize = mem0 ? wmemory_size(mem0) : 0;         \
        if ((end) > memsize)                             \
            TRAP(OOB_MEMORY);                            \
    } while (0)

/*
 * The _N forms (multi-memory, memory64): memory ip[k].s.a of the instance,
 * read fresh at every access (its base never moves; its size may have
 * grown), and the effective address of an i64 (ip[k].s.b) or i32 address
 * plus the full offset.  A sum past 2^64 saturates instead of wrapping, to
 * a value above any memory size that an access size cannot wrap either.
 */
#define WEA_MAX (UINT64_C(1) << 63)
static inline uint64_t effective_address(uint64_t addr, uint64_t offset)
{
    uint64_t ea;
    if (__builtin_add_overflow(addr, offset, &ea) || ea > WEA_MAX)
        return WEA_MAX;
    return ea;
}
#define MEMORY_N(cell)                                    \
    ward_memory *nm_ = inst->memories[(cell).s.a];        \
    uint8_t *nbase_ = nm_->data;                          \
    uint64_t nsize_ = wmemory_size(nm_)
#define ADDR_N(slot, cell) ((cell).s.b ? fp[slot] : (uint64_t)GET_i32(slot))
#define EA_N(slot, off_cell, cell) effective_address(ADDR_N(slot, cell), (off_cell).u64)
/* nsize_ was read just now: nothing to re-read before trapping */
#define OOB_N(end) TRAP(OOB_MEMORY)

#define RELOAD_MEMORY()                \
    do {                               \
        mem0 = memory0(inst);          \
        mem = mem0 ? mem0->data : NULL;\
        memsize = mem0 ? wmemory_size(mem0) : 0; \
    } while (0)

static ward_result interpret(ward_store *s, const wcompiled_func *fn, ward_instance *inst,
                             uint64_t *fp, ward_trap *trap, const void *const **handlers_out)
{
#ifndef WARD_DISPATCH_SWITCH
    static const void *const handlers[WIR_COUNT] = {
#define IR_BINOP_RI(OP, T, R, ...) &&L_##OP##_RR, &&L_##OP##_RI,
#define IR_BR_I32(OP, ...) &&L_BR_##OP##_RR, &&L_BR_##OP##_RI, &&L_BRN_##OP##_RR, &&L_BRN_##OP##_RI, \
        &&L_BRF_##OP##_RR, &&L_BRF_##OP##_RI, &&L_BRNF_##OP##_RR, &&L_BRNF_##OP##_RI,
#define IR_CMP_I32(OP, ...) &&L_##OP##_RR, &&L_##OP##_RI, IR_BR_I32(OP, 0)
#define IR_BINOP_SH(OP, COMM, ...) &&L_##OP##_SL, &&L_##OP##_SR, &&L_##OP##_SRI,
#define IR_LOAD_OP(OP, T, LOAD, ...) &&L_##OP##_M,
#define IR_FCHAIN(T, TY, F, FOP, S, SOP) &&L_##T##_##F##_##S##_L, &&L_##T##_##F##_##S##_R,
#define IR_BINOP(OP, T, R, ...) &&L_##OP##_RR,
#define IR_UNOP(OP, T, R, ...) &&L_##OP,
#define IR_LOAD(OP, C, R) &&L_##OP, &&L_##OP##_A, &&L_##OP##_K, &&L_##OP##_R, &&L_##OP##_X, &&L_##OP##_S, &&L_##OP##_N, &&L_##OP##_W,
#define IR_STORE(OP, T, C) &&L_##OP, &&L_##OP##_I, &&L_##OP##_K, &&L_##OP##_R, &&L_##OP##_X, &&L_##OP##_A, &&L_##OP##_AI, &&L_##OP##_S, &&L_##OP##_N, &&L_##OP##_W,
#define IR_OP(NAME, NOPS) &&L_##NAME,
#include "ir_ops.def"
    };
    if (handlers_out) {
        *handlers_out = handlers;
        return WARD_OK;
    }
#else
    if (handlers_out) {
        *handlers_out = NULL;
        return WARD_OK;
    }
#endif
    struct wexec *ex = s->exec;
    wframe *frames = ex->frames;
    /* frame stack as pointers: the next free frame and the guest's limit */
    wframe *fsp = frames + ex->depth;
    wframe *const flimit = frames + ex->max_depth;
    const uint32_t base_depth = ex->depth - 1; /* the host's entry frame */
    uint64_t *const stack_end = ex->stack + ex->stack_slots;
    /* exceptions caught in this call sit above the ones of outer calls */
    const size_t exn_floor = ex->exn.n;
    wexn_flight flight; /* the exception being thrown (exec_eh.inc) */
    const int variant = wexec_variant(s, ex);
    uint64_t fuel = wexec_budget_load(s);
#ifdef WARD_PROFILE_OPS
    wprof *prof = wprof_get(&ex->prof);
    if (prof)
        prof->prev = WIR_COUNT;
#endif
    ward_trap_kind trap_kind = WARD_TRAP_NONE;
    bool no_code = false; /* a lazy translation ran out of memory */
    ward_memory *mem0;
    uint8_t *mem;
    uint64_t memsize;
    const wcell *ip = NULL;
    const wvariant *code;
    /* call set-up state, shared by the call handlers */
    const wcompiled_func *callee;
    ward_instance *callee_inst;
    ward_func *target;
    const wcell *ret_ip;
    uint64_t *args;
    RELOAD_MEMORY();
    /* code is translated on first use (docs/interpreter.md) */
    code = wcompiled_variant(fn, variant);
    if (!code)
        goto out_of_code;
    ip = code->code;

#ifdef WARD_DISPATCH_SWITCH
dispatch:
    switch ((wir)ip->op) {
#else
    DISPATCH();
#endif

    /* ---- generated handlers -------------------------------------------- */
#define IR_BINOP_RI(OP, T, R, ...)                                        \
    HANDLER(OP##_RR)                                                      \
    {                                                                     \
        T_##T x = GET_##T(ip[1].s.b), y = GET_##T(ip[2].s.a);             \
        T_##R r;                                                          \
        __VA_ARGS__;                                                      \
        PUT_##R(ip[1].s.a, r);                                            \
        NEXT(3);                                                          \
    }                                                                     \
    HANDLER(OP##_RI)                                                      \
    {                                                                     \
        T_##T x = GET_##T(ip[1].s.b), y = IMM_##T(ip[2]);                 \
        T_##R r;                                                          \
        __VA_ARGS__;                                                      \
        PUT_##R(ip[1].s.a, r);                                            \
        NEXT(3);                                                          \
    }
#define IR_BR_I32(OP, ...)                                                \
    HANDLER(BR_##OP##_RR)                                                 \
    {                                                                     \
        uint32_t x = GET_i32(ip[1].s.a), y = GET_i32(ip[1].s.b);          \
        if (__VA_ARGS__)                                                  \
            JUMP(ip[2].rel);                                              \
        NEXT(3);                                                          \
    }                                                                     \
    HANDLER(BR_##OP##_RI)                                                 \
    {                                                                     \
        uint32_t x = GET_i32(ip[1].s.a), y = ip[1].s.b;                   \
        if (__VA_ARGS__)                                                  \
            JUMP(ip[2].rel);                                              \
        NEXT(3);                                                          \
    }                                                                     \
    HANDLER(BRN_##OP##_RR)                                                \
    {                                                                     \
        uint32_t x = GET_i32(ip[1].s.a), y = GET_i32(ip[1].s.b);          \
        if (!(__VA_ARGS__))                                               \
            JUMP(ip[2].rel);                                              \
        NEXT(3);                                                          \
    }                                                                     \
    HANDLER(BRN_##OP##_RI)                                                \
    {                                                                     \
        uint32_t x = GET_i32(ip[1].s.a), y = ip[1].s.b;                   \
        if (!(__VA_ARGS__))                                               \
            JUMP(ip[2].rel);                                              \
        NEXT(3);                                                          \
    }                                                                     \
    HANDLER(BRF_##OP##_RR)                                                \
    {                                                                     \
        uint32_t x = GET_i32(ip[1].s.a), y = GET_i32(ip[1].s.b);          \
        if (__VA_ARGS__)                                                  \
            TAKE_MERGED(ip[2], 3);                                        \
        SKIP_MERGED(3);                                                   \
    }                                                                     \
    HANDLER(BRF_##OP##_RI)                                                \
    {                                                                     \
        uint32_t x = GET_i32(ip[1].s.a), y = ip[1].s.b;                   \
        if (__VA_ARGS__)                                                  \
            TAKE_MERGED(ip[2], 3);                                        \
        SKIP_MERGED(3);                                                   \
    }                                                                     \
    HANDLER(BRNF_##OP##_RR)                                               \
    {                                                                     \
        uint32_t x = GET_i32(ip[1].s.a), y = GET_i32(ip[1].s.b);          \
        if (!(__VA_ARGS__))                                               \
            TAKE_MERGED(ip[2], 3);                                        \
        SKIP_MERGED(3);                                                   \
    }                                                                     \
    HANDLER(BRNF_##OP##_RI)                                               \
    {                                                                     \
        uint32_t x = GET_i32(ip[1].s.a), y = ip[1].s.b;                   \
        if (!(__VA_ARGS__))                                               \
            TAKE_MERGED(ip[2], 3);                                        \
        SKIP_MERGED(3);                                                   \
    }
#define IR_CMP_I32(OP, ...)                                               \
    IR_BINOP_RI(OP, i32, i32, r = (__VA_ARGS__))                          \
    IR_BR_I32(OP, __VA_ARGS__)
/* One shifted-operand form: x and y as given, then the op's body. */
#define SHIFTED_FORM(NAME, X, Y, ...)                                     \
    HANDLER(NAME)                                                         \
    {                                                                     \
        uint32_t x = (X), y = (Y);                                        \
        uint32_t r;                                                       \
        __VA_ARGS__;                                                      \
        PUT_i32(ip[1].s.a, r);                                            \
        NEXT(3);                                                          \
    }
#define IR_BINOP_SH(OP, COMM, ...)                                                            \
    SHIFTED_FORM(OP##_SL, GET_i32(ip[1].s.b), GET_i32(ip[2].s.a) << ip[2].s.b, __VA_ARGS__)   \
    SHIFTED_FORM(OP##_SR, GET_i32(ip[1].s.b), GET_i32(ip[2].s.a) >> ip[2].s.b, __VA_ARGS__)   \
    SHIFTED_FORM(OP##_SRI, GET_i32(ip[1].s.b) >> ip[2].s.b, ip[2].s.a, __VA_ARGS__)
#define IR_FCHAIN(T, TY, F, FOP, S, SOP)                                  \
    HANDLER(T##_##F##_##S##_L)                                            \
    {                                                                     \
        T_##TY v = GET_##TY(ip[1].s.b) FOP GET_##TY(ip[2].s.a);           \
        PUT_##TY(ip[1].s.a, v SOP GET_##TY(ip[2].s.b));                   \
        NEXT(3);                                                          \
    }                                                                     \
    HANDLER(T##_##F##_##S##_R)                                            \
    {                                                                     \
        T_##TY v = GET_##TY(ip[1].s.b) FOP GET_##TY(ip[2].s.a);           \
        PUT_##TY(ip[1].s.a, GET_##TY(ip[2].s.b) SOP v);                   \
        NEXT(3);                                                          \
    }
#define IR_LOAD_OP(OP, T, LOAD, ...)                                      \
    HANDLER(OP##_M)                                                       \
    {                                                                     \
        uint64_t ea = (uint64_t)GET_i32(ip[3].s.a) + ip[2].u64;           \
        BITS_##T bits;                                                    \
        if (ea + sizeof bits > memsize)                                   \
            OOB_TRAP(ea + sizeof bits);                                   \
        memcpy(&bits, mem + ea, sizeof bits);                             \
        T_##T x = GET_##T(ip[1].s.b), y = FROM_##T(bits);                 \
        T_##T r;                                                          \
        __VA_ARGS__;                                                      \
        PUT_##T(ip[1].s.a, r);                                            \
        NEXT(4);                                                          \
    }
#define IR_BINOP(OP, T, R, ...)                                           \
    HANDLER(OP##_RR)                                                      \
    {                                                                     \
        T_##T x = GET_##T(ip[1].s.b), y = GET_##T(ip[2].s.a);             \
        T_##R r;                                                          \
        __VA_ARGS__;                                                      \
        PUT_##R(ip[1].s.a, r);                                            \
        NEXT(3);                                                          \
    }
#define IR_UNOP(OP, T, R, ...)                                            \
    HANDLER(OP)                                                           \
    {                                                                     \
        T_##T x = GET_##T(ip[1].s.b);                                     \
        T_##R r;                                                          \
        __VA_ARGS__;                                                      \
        PUT_##R(ip[1].s.a, r);                                            \
        NEXT(2);                                                          \
    }
/* Load a C at effective address ea_ of memory base (size bytes; oob
 * traps) into R slot ip[1].s.a, then go n cells on. */
#define LOAD_IN(C, R, base, size, oob, ea_, n)                            \
    do {                                                                  \
        uint64_t ea = (ea_);                                              \
        C v;                                                              \
        if (ea + sizeof v > (size))                                       \
            oob(ea + sizeof v);                                           \
        memcpy(&v, (base) + ea, sizeof v);                                \
        PUT_##R(ip[1].s.a, (T_##R)(int64_t)v);                            \
        NEXT(n);                                                          \
    } while (0)
#define LOAD_AT(C, R, ea_, n) LOAD_IN(C, R, mem, memsize, OOB_TRAP, ea_, n)
/* The address forms wrap at 32 bits as the fused i32 arithmetic would. */
#define IR_LOAD(OP, C, R)                                                 \
    HANDLER(OP)                                                           \
    LOAD_AT(C, R, (uint64_t)GET_i32(ip[1].s.b) + ip[2].u64, 3);           \
    HANDLER(OP##_A)                                                       \
    LOAD_AT(C, R, (uint64_t)(uint32_t)(GET_i32(ip[1].s.b) + ip[3].s.a) + ip[2].u64, 4); \
    HANDLER(OP##_R)                                                       \
    LOAD_AT(C, R, (uint64_t)(uint32_t)(GET_i32(ip[1].s.b) + GET_i32(ip[3].s.a)) + ip[2].u64, 4); \
    HANDLER(OP##_X)                                                       \
    LOAD_AT(C, R, (uint64_t)(uint32_t)(GET_i32(ip[1].s.b) + (GET_i32(ip[3].s.a) << ip[3].s.b)) + ip[2].u64, 4); \
    HANDLER(OP##_S)                                                       \
    LOAD_AT(C, R, (uint64_t)(uint32_t)((GET_i32(ip[1].s.b) << ip[3].s.b) + ip[3].s.a) + ip[2].u64, 4); \
    HANDLER(OP##_K)                                                       \
    LOAD_AT(C, R, ip[2].u64, 3);                                          \
    HANDLER(OP##_N)                                                       \
    {                                                                     \
        MEMORY_N(ip[3]);                                                  \
        LOAD_IN(C, R, nbase_, nsize_, OOB_N, EA_N(ip[1].s.b, ip[2], ip[3]), 4); \
    }                                                                     \
    HANDLER(OP##_W)                                                       \
    LOAD_AT(C, R, effective_address(fp[ip[1].s.b], ip[2].u64), 3);
/* Store v_ as a C at effective address ea_ of memory base (size bytes;
 * oob traps), then go n cells on. */
#define STORE_IN(C, base, size, oob, ea_, v_, n)                          \
    do {                                                                  \
        uint64_t ea = (ea_);                                              \
        C v = (C)(v_);                                                    \
        if (ea + sizeof v > (size))                                       \
            oob(ea + sizeof v);                                           \
        memcpy((base) + ea, &v, sizeof v);                                \
        NEXT(n);                                                          \
    } while (0)
#define STORE_AT(C, ea_, v_, n) STORE_IN(C, mem, memsize, OOB_TRAP, ea_, v_, n)
#define IR_STORE(OP, T, C)                                                \
    HANDLER(OP)                                                           \
    STORE_AT(C, (uint64_t)GET_i32(ip[1].s.a) + ip[2].u64, (C)GET_##T(ip[1].s.b), 3); \
    HANDLER(OP##_I)                                                       \
    STORE_AT(C, (uint64_t)GET_i32(ip[1].s.a) + ip[2].u64, (C)ip[1].s.b, 3);  \
    HANDLER(OP##_K)                                                       \
    STORE_AT(C, ip[2].u64, (C)GET_##T(ip[1].s.b), 3);                        \
    HANDLER(OP##_R)                                                       \
    STORE_AT(C, (uint64_t)(uint32_t)(GET_i32(ip[1].s.a) + GET_i32(ip[3].s.a)) + ip[2].u64, \
             (C)GET_##T(ip[1].s.b), 4);                                   \
    HANDLER(OP##_X)                                                       \
    STORE_AT(C, (uint64_t)(uint32_t)(GET_i32(ip[1].s.a) + (GET_i32(ip[3].s.a) << ip[3].s.b)) + ip[2].u64, \
             (C)GET_##T(ip[1].s.b), 4);                                   \
    HANDLER(OP##_A)                                                       \
    STORE_AT(C, (uint64_t)(uint32_t)(GET_i32(ip[1].s.a) + ip[3].s.a) + ip[2].u64, \
             (C)GET_##T(ip[1].s.b), 4);                                   \
    HANDLER(OP##_AI)                                                      \
    STORE_AT(C, (uint64_t)(uint32_t)(GET_i32(ip[1].s.a) + ip[3].s.a) + ip[2].u64, (C)ip[1].s.b, 4); \
    HANDLER(OP##_S)                                                       \
    STORE_AT(C, (uint64_t)(uint32_t)((GET_i32(ip[1].s.a) << ip[3].s.b) + ip[3].s.a) + ip[2].u64, \
             (C)GET_##T(ip[1].s.b), 4);                                   \
    HANDLER(OP##_N)                                                       \
    {                                                                     \
        MEMORY_N(ip[3]);                                                  \
        STORE_IN(C, nbase_, nsize_, OOB_N, EA_N(ip[1].s.a, ip[2], ip[3]), (C)GET_##T(ip[1].s.b), 4); \
    }                                                                     \
    HANDLER(OP##_W)                                                       \
    STORE_AT(C, effective_address(fp[ip[1].s.a], ip[2].u64), (C)GET_##T(ip[1].s.b), 3);
#include "ir_ops.def"

    /* ---- hand-written handlers ----------------------------------------- */
    HANDLER(EXIT)
    {
        goto done;
    }
    HANDLER(CONST)
    {
        fp[ip[1].s.a] = ip[2].u64;
        NEXT(3);
    }
    HANDLER(MOV)
    {
        fp[ip[1].s.a] = fp[ip[1].s.b];
        NEXT(2);
    }
    HANDLER(CANON_F32)
    {
        uint32_t bits = (uint32_t)fp[ip[1].s.b];
        fp[ip[1].s.a] = (bits & 0x7fffffffu) > 0x7f800000u ? 0x7fc00000u : bits;
        NEXT(2);
    }
    HANDLER(CANON_F64)
    {
        uint64_t bits = fp[ip[1].s.b];
        fp[ip[1].s.a] = (bits & 0x7fffffffffffffffull) > 0x7ff0000000000000ull ? 0x7ff8000000000000ull : bits;
        NEXT(2);
    }
    HANDLER(SELECT)
    {
        fp[ip[1].s.a] = GET_i32(ip[2].s.b) ? fp[ip[1].s.b] : fp[ip[2].s.a];
        NEXT(3);
    }
    HANDLER(BR)
    {
        JUMP(ip[1].rel);
    }
    HANDLER(BR_IF)
    {
        if (GET_i32(ip[1].s.a))
            JUMP(ip[2].rel);
        NEXT(3);
    }
    HANDLER(BR_IFNOT)
    {
        if (!GET_i32(ip[1].s.a))
            JUMP(ip[2].rel);
        NEXT(3);
    }
    HANDLER(BR_F)
    {
        ENTER_TAKEN(ip[1]);
    }
    HANDLER(BR_IF_F)
    {
        if (GET_i32(ip[1].s.a))
            TAKE_MERGED(ip[2], 3);
        SKIP_MERGED(3);
    }
    HANDLER(BR_IFNOT_F)
    {
        if (!GET_i32(ip[1].s.a))
            TAKE_MERGED(ip[2], 3);
        SKIP_MERGED(3);
    }
    /* A counted loop's `L += imm; br_if L` (docs/interpreter.md, "Fusions"). */
    HANDLER(BR_INC_NZ)
    {
        uint32_t v = GET_i32(ip[1].s.a) + ip[1].s.b;
        PUT_i32(ip[1].s.a, v);
        if (v)
            JUMP(ip[2].rel);
        NEXT(3);
    }
    HANDLER(BRN_INC_NZ)
    {
        uint32_t v = GET_i32(ip[1].s.a) + ip[1].s.b;
        PUT_i32(ip[1].s.a, v);
        if (!v)
            JUMP(ip[2].rel);
        NEXT(3);
    }
    HANDLER(BRF_INC_NZ)
    {
        uint32_t v = GET_i32(ip[1].s.a) + ip[1].s.b;
        PUT_i32(ip[1].s.a, v);
        if (v)
            TAKE_MERGED(ip[2], 3);
        SKIP_MERGED(3);
    }
    HANDLER(BRNF_INC_NZ)
    {
        uint32_t v = GET_i32(ip[1].s.a) + ip[1].s.b;
        PUT_i32(ip[1].s.a, v);
        if (!v)
            TAKE_MERGED(ip[2], 3);
        SKIP_MERGED(3);
    }
    HANDLER(BR_TABLE_F)
    {
        uint32_t i = GET_i32(ip[1].s.a), n = ip[1].s.b;
        ENTER_TAKEN(ip[2 + (i < n ? i : n)]);
    }
    /* A recognized byte-compare loop (compile_idiom.c), before its label:
     * skips the iterations that compare equal bytes and stay in the loop,
     * leaving the locals as they would be, then the loop runs the rest. */
    HANDLER(MEMCMP_SKIP)
    {
        uint32_t l = GET_i32(ip[1].s.a), r = GET_i32(ip[1].s.b), n = GET_i32(ip[2].s.a);
        uint64_t skip = wbulk_equal_prefix(mem, memsize, l, r, n);
        if (skip) {
            uint32_t last = mem[l + skip - 1];
            PUT_i32(ip[1].s.a, l + (uint32_t)skip);
            PUT_i32(ip[1].s.b, r + (uint32_t)skip);
            PUT_i32(ip[2].s.a, n - (uint32_t)skip);
            PUT_i32(ip[2].s.b, last);
            PUT_i32(ip[3].s.a, last);
        }
        NEXT(4);
    }
    HANDLER(BR_TABLE)
    {
        uint32_t i = GET_i32(ip[1].s.a), n = ip[1].s.b;
        JUMP(ip[2 + (i < n ? i : n)].rel);
    }
    HANDLER(CALL)
    {
        callee = ip[2].callee;
        callee_inst = inst;
        args = fp + ip[1].s.a;
        ret_ip = ip + 3;
        goto enter_wasm;
    }
    HANDLER(CALL_M)
    {
        /* enter_wasm's metered path without its tests of the variant */
        callee = ip[2].callee;
        callee_inst = inst;
        args = fp + ip[1].s.a;
        ret_ip = ip + 3;
        /* the frame size reads SIZE_MAX until the metered code exists */
        if (fsp >= flimit || (size_t)(stack_end - args) < wcompiled_frame(callee, WVAR_METERED))
            goto enter_wasm; /* translates it, or traps */
        PUSH_FRAME();
        ENTER_BLOCK(wcompiled_code_known(callee, WVAR_METERED));
    }
    HANDLER(CALL_FUNC)
    {
        target = inst->funcs[ip[1].s.b];
        args = fp + ip[1].s.a;
        ret_ip = ip + 2;
        goto call_target;
    }
    HANDLER(CALL_INDIRECT)
    {
        INDIRECT_TARGET();
        args = fp + ip[1].s.a;
        ret_ip = ip + 3;
        goto call_target;
    }
    /* Tail calls (docs/interpreter.md): the callee takes this frame's
     * place, so a chain of them runs in constant frame and slot space. */
    HANDLER(RETURN_CALL)
    {
        callee = ip[2].callee;
        callee_inst = inst;
        args = fp + ip[1].s.a;
        goto tail_wasm;
    }
    HANDLER(RETURN_CALL_FUNC)
    {
        target = inst->funcs[ip[1].s.b];
        args = fp + ip[1].s.a;
        goto tail_target;
    }
    HANDLER(RETURN_CALL_INDIRECT)
    {
        INDIRECT_TARGET();
        args = fp + ip[1].s.a;
        goto tail_target;
    }
    HANDLER(RETURN_1)
    {
        fp[0] = fp[ip[1].s.a];
        goto return_to_caller;
    }
    HANDLER(RETURN)
    return_to_caller:
    {
        const wframe *f = --fsp;
        ip = f->ret_ip;
        fp = f->fp;
        fn = f->fn;
        if (f->inst != inst) {
            inst = f->inst;
            mem0 = memory0(inst);
        }
        /* the callee may have grown the memory */
        if (mem0) {
            mem = mem0->data;
            memsize = wmemory_size(mem0);
        }
        /* metered code continues with a fuel block after every call */
        if (IS_FUEL_HEAD(ip))
            ENTER_BLOCK(ip);
        DISPATCH();
    }
    HANDLER(UNREACHABLE)
    {
        TRAP(UNREACHABLE);
    }
    HANDLER(GLOBAL_GET)
    {
        fp[ip[1].s.a] = inst->globals[ip[1].s.b]->val[0];
        NEXT(2);
    }
    HANDLER(GLOBAL_SET)
    {
        inst->globals[ip[1].s.a]->val[0] = fp[ip[1].s.b];
        NEXT(2);
    }
    HANDLER(MEMORY_SIZE)
    {
        memsize = wmemory_size(mem0); /* other threads may have grown it */
        fp[ip[1].s.a] = memsize / WPAGE_SIZE;
        NEXT(2);
    }
    HANDLER(MEMORY_GROW)
    {
        int64_t old = wmemory_grow(mem0, GET_i32(ip[1].s.b));
        RELOAD_MEMORY();
        PUT_i32(ip[1].s.a, (uint32_t)old);
        NEXT(2);
    }
    HANDLER(MEMORY_COPY)
    {
        trap_kind = wbulk_memory_copy(mem0, mem0, GET_i32(ip[1].s.a), GET_i32(ip[1].s.b),
                                      GET_i32(ip[2].s.a));
        if (trap_kind)
            goto trap;
        NEXT(4);
    }
    HANDLER(MEMORY_FILL)
    {
        trap_kind = wbulk_memory_fill(mem0, GET_i32(ip[1].s.a), (uint8_t)GET_i32(ip[1].s.b),
                                      GET_i32(ip[2].s.a));
        if (trap_kind)
            goto trap;
        NEXT(4);
    }
    HANDLER(MEMORY_INIT)
    {
        trap_kind = wbulk_memory_init(inst, 0, ip[2].s.b, GET_i32(ip[1].s.a), GET_i32(ip[1].s.b),
                                      GET_i32(ip[2].s.a));
        if (trap_kind)
            goto trap;
        NEXT(4);
    }
    /* Any memory (multi-memory, memory64): operands by the memory's type. */
    HANDLER(MEMORY_SIZE_N)
    {
        fp[ip[1].s.a] = wmemory_size(inst->memories[ip[1].s.b]) / WPAGE_SIZE;
        NEXT(2);
    }
    HANDLER(MEMORY_GROW_N)
    {
        ward_memory *m = inst->memories[ip[2].s.a];
        int64_t old = wmemory_grow(m, wmem_operand(m, fp[ip[1].s.b]));
        RELOAD_MEMORY(); /* m may be memory 0 too (imported twice) */
        fp[ip[1].s.a] = wmem_operand(m, (uint64_t)old); /* -1 of the index type */
        NEXT(3);
    }
    HANDLER(MEMORY_COPY_N)
    {
        ward_memory *d = inst->memories[ip[2].s.b], *src = inst->memories[ip[3].s.a];
        uint64_t n = d->is64 && src->is64 ? fp[ip[2].s.a] : GET_i32(ip[2].s.a);
        trap_kind = wbulk_memory_copy(d, src, wmem_operand(d, fp[ip[1].s.a]), wmem_operand(src, fp[ip[1].s.b]), n);
        if (trap_kind)
            goto trap;
        NEXT(4);
    }
    HANDLER(MEMORY_FILL_N)
    {
        ward_memory *m = inst->memories[ip[2].s.b];
        trap_kind = wbulk_memory_fill(m, wmem_operand(m, fp[ip[1].s.a]), (uint8_t)GET_i32(ip[1].s.b),
                                      wmem_operand(m, fp[ip[2].s.a]));
        if (trap_kind)
            goto trap;
        NEXT(4);
    }
    HANDLER(MEMORY_INIT_N)
    {
        const ward_memory *m = inst->memories[ip[3].s.a];
        trap_kind = wbulk_memory_init(inst, ip[3].s.a, ip[2].s.b, wmem_operand(m, fp[ip[1].s.a]),
                                      GET_i32(ip[1].s.b), GET_i32(ip[2].s.a));
        if (trap_kind)
            goto trap;
        NEXT(4);
    }
    HANDLER(DATA_DROP)
    {
        inst->data_dropped[ip[1].s.a] = true;
        NEXT(2);
    }
    HANDLER(TABLE_GET)
    {
        const ward_table *table = inst->tables[ip[2].s.a];
        uint32_t i = GET_i32(ip[1].s.b);
        if (i >= table->size)
            TRAP(OOB_TABLE);
        fp[ip[1].s.a] = (uint64_t)(uintptr_t)table->elems[i];
        NEXT(3);
    }
    HANDLER(TABLE_SET)
    {
        ward_table *table = inst->tables[ip[2].s.a];
        uint32_t i = GET_i32(ip[1].s.a);
        if (i >= table->size)
            TRAP(OOB_TABLE);
        table->elems[i] = (wref)(uintptr_t)fp[ip[1].s.b];
        NEXT(3);
    }
    HANDLER(TABLE_SIZE)
    {
        PUT_i32(ip[1].s.a, inst->tables[ip[1].s.b]->size);
        NEXT(2);
    }
    HANDLER(TABLE_GROW)
    {
        int64_t old = wtable_grow(inst->tables[ip[2].s.b], GET_i32(ip[2].s.a),
                                  (wref)(uintptr_t)fp[ip[1].s.b]);
        PUT_i32(ip[1].s.a, (uint32_t)old);
        NEXT(3);
    }
    HANDLER(TABLE_FILL)
    {
        trap_kind = wbulk_table_fill(inst->tables[ip[2].s.b], GET_i32(ip[1].s.a),
                                     (wref)(uintptr_t)fp[ip[1].s.b], GET_i32(ip[2].s.a));
        if (trap_kind)
            goto trap;
        NEXT(4);
    }
    HANDLER(TABLE_COPY)
    {
        trap_kind = wbulk_table_copy(inst, ip[2].s.b, ip[3].s.a, GET_i32(ip[1].s.a),
                                     GET_i32(ip[1].s.b), GET_i32(ip[2].s.a));
        if (trap_kind)
            goto trap;
        NEXT(4);
    }
    HANDLER(TABLE_INIT)
    {
        trap_kind = wbulk_table_init(inst, ip[3].s.a, ip[2].s.b, GET_i32(ip[1].s.a),
                                     GET_i32(ip[1].s.b), GET_i32(ip[2].s.a));
        if (trap_kind)
            goto trap;
        NEXT(4);
    }
    HANDLER(ELEM_DROP)
    {
        wbulk_elem_drop(inst, ip[1].s.a);
        NEXT(2);
    }
    HANDLER(REF_FUNC)
    {
        fp[ip[1].s.a] = (uint64_t)(uintptr_t)inst->funcs[ip[1].s.b];
        NEXT(2);
    }
    HANDLER(REF_IS_NULL)
    {
        fp[ip[1].s.a] = fp[ip[1].s.b] == 0;
        NEXT(2);
    }
    HANDLER(FUEL)
    {
        /* A block that cannot be paid for in full runs on the step code,
         * which stops at exactly the instruction that runs out.  skip jumps
         * over the heads of blocks this one pays for too (docs/fuel.md). */
        if (PAY(ip[1].u64))
            NEXT(ip[3].u64);
        fuel += ip[1].u64;
        /* a new slice (interruptible stores), then pay for the block again */
        fuel = wexec_refill(s, fuel);
        if (fuel >= ip[1].u64)
            DISPATCH();
        /* the step code, translated the first time a block cannot pay */
        code = wcompiled_variant(fn, WVAR_STEP);
        if (!code)
            goto out_of_code;
        ip = code->code + code->step_pos[ip[2].u64];
        DISPATCH();
    }
    HANDLER(FUEL_STEP)
    {
        if (fuel >= ip[1].u64) {
            fuel -= ip[1].u64;
            NEXT(2);
        }
        fuel = wexec_refill(s, fuel);
        if (fuel >= ip[1].u64)
            DISPATCH();
        trap_kind = ex->stop != WARD_TRAP_NONE ? ex->stop : WARD_TRAP_OUT_OF_FUEL;
        goto trap;
    }
    /* ---- threads proposal: atomics ----------------------------------- */
#include "exec_atomic.inc"
    /* ---- SIMD128 ------------------------------------------------------ */
#include "exec_simd.inc"
    /* ---- exception handling ------------------------------------------ */
#include "exec_eh.inc"
#ifdef WARD_DISPATCH_SWITCH
    default:
        TRAP(UNREACHABLE);
    }
#endif

call_target:
    if (target->host_fn) {
        CALL_HOST();
        ip = ret_ip;
        DISPATCH();
    }
    callee = target->code;
    callee_inst = target->inst;
enter_wasm:
    /* The same path as before lazy translation.  A callee without code
     * of this variant yet reads as a frame of SIZE_MAX slots, so the room
     * check sends its first call to enter_slow. */
    if (variant == WVAR_PLAIN) {
        if (fsp >= flimit || (size_t)(stack_end - args) < wcompiled_frame(callee, WVAR_PLAIN))
            goto enter_slow;
        PUSH_FRAME();
        ip = wcompiled_code_known(fn, WVAR_PLAIN);
        DISPATCH();
    }
    if (fsp < flimit && (size_t)(stack_end - args) >= wcompiled_frame(callee, variant))
        ENTER_FRAME_AT(wcompiled_code_known(callee, variant));
enter_slow:
    {
        /* Metered or step code, or a first call: translated now (failing
         * that, the trap is at the call, with nothing of the callee run).
         * Room is checked before the frame exists, so exhaustion is a
         * clean trap. */
        const wcell *entry = wcompiled_code_ready(callee, variant);
        if (!entry) {
            if (!(code = wcompiled_variant(callee, variant)))
                goto out_of_code;
            entry = code->code;
        }
        if (fsp >= flimit || (size_t)(stack_end - args) < wcompiled_code_frame(entry))
            TRAP(STACK_EXHAUSTED);
        if (variant == WVAR_PLAIN) {
            PUSH_FRAME();
            ip = entry;
            DISPATCH();
        }
        ENTER_FRAME_AT(entry);
    }

tail_target:
    if (target->host_fn) {
        /* a host function cannot take over a wasm frame: call it, then
         * return its results as this function's */
        CALL_HOST();
        memmove(fp, args, wexec_slots(target->type->types + target->type->nparams, target->type->nresults) *
                              sizeof *fp);
        goto return_to_caller;
    }
    callee = target->code;
    callee_inst = target->inst;
tail_wasm:
    {
        /* Everything that can fail is checked while this frame is still
         * the current one, so a trap names the tail call as its site. */
        const wcell *entry = wcompiled_code_ready(callee, variant);
        if (!entry) {
            if (!(code = wcompiled_variant(callee, variant)))
                goto out_of_code;
            entry = code->code;
        }
        if ((size_t)(stack_end - fp) < wcompiled_code_frame(entry))
            TRAP(STACK_EXHAUSTED);
        /* The arguments move down to the frame's base (they may overlap
         * it), then the frame is left as a return would, and the callee is
         * entered as if the caller of this function had called it (its own
         * entry, not enter_wasm's: the call path keeps its code). */
        memmove(fp, args, callee->nparams * sizeof *fp); /* nparams counts slots */
        args = fp;
        const wframe *f = --fsp;
        ret_ip = f->ret_ip;
        fp = f->fp;
        fn = f->fn;
        if (f->inst != inst) {
            inst = f->inst;
            RELOAD_MEMORY();
        }
        ENTER_FRAME_AT(entry);
    }

out_of_code:
    /* Out of memory (or past the code limit) translating a function on its
     * first call, or its step code: nothing of the instruction at ip ran (a
     * call, or a FUEL op that did not charge). */
    no_code = true;
    trap_kind = WARD_TRAP_OUT_OF_MEMORY;
trap:
    {
        int in_variant = WVAR_PLAIN;
        const wsite *site = wexec_site(fn, ip, &in_variant);
        if (site && in_variant == WVAR_METERED && !no_code)
            fuel += site->refund;
        wexec_fill_trap(trap, trap_kind, fn, ip, inst, frames, (uint32_t)(fsp - frames), base_depth);
        if (no_code)
            snprintf(trap->message, sizeof trap->message, "%s",
                     atomic_load_explicit(&fn->owner->limit_hit, memory_order_relaxed)
                         ? "translated code passes the configured limit (ward_config.max_code_bytes)"
                         : "out of host memory translating code");
        wexec_budget_save(s, fuel, trap_kind);
        ex->depth = base_depth;
        wexn_truncate(&ex->exn, exn_floor);
        return WARD_TRAP;
    }
done:
    wexec_budget_save(s, fuel, WARD_TRAP_NONE);
    ex->depth = (uint32_t)(fsp - frames);
    wexn_truncate(&ex->exn, exn_floor);
    return WARD_OK;
}

const void *const *wexec_handlers(void)
{
    const void *const *handlers = NULL;
    interpret(NULL, NULL, NULL, NULL, NULL, &handlers);
    return handlers;
}

ward_result wexec_run(ward_store *s, const wcompiled_func *fn, ward_instance *inst, uint64_t *fp,
                      ward_trap *trap)
{
    return interpret(s, fn, inst, fp, trap, NULL);
}
