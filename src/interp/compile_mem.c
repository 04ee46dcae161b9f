/*
 * Translation of memory accesses (see compile.h for the state): loads and
 * stores with their fused address forms, and arithmetic on a loaded
 * operand.  Every fusion here removes ops that only wrote temporaries
 * dying at the access and that cannot trap, so trap order, trap sites and
 * fuel stay those of the code it replaces (docs/interpreter.md, "Fusions").
 */
#include "compile.h"

/* Offsets past any 32-bit memory always trap; clamping keeps the handlers'
 * 64-bit address sum from wrapping. */
static uint64_t clamp_offset(uint64_t offset)
{
    return offset > (1ull << 40) ? (1ull << 40) : offset;
}

/* The last op (prev: the one before it) is the immediate shift `op`
 * writing temporary `slot`, which dies at the op being emitted. */
bool wtr_fresh_shift(const wtr *t, bool prev, wir op, uint32_t slot)
{
    if (t->oom || slot < t->nlocal_slots)
        return false;
    if (prev)
        return t->prev_valid && t->prev_ir == op && t->prev_has_dst && t->code[t->prev_op + 1].s.a == slot;
    return t->last_end == t->ncells && t->last_ir == op && t->last_has_dst && t->code[t->last_op + 1].s.a == slot;
}

/* Ops with a loaded right operand (IR_LOAD_OP): the load that may fuse. */
typedef struct wlo_map {
    uint16_t m, load;
} wlo_map;

static const wlo_map lo_map[WOP_COUNT] = {
#define IR_LOAD_OP(OP, T, LOAD, ...) [WOP_##OP] = {WIR_##OP##_M, WIR_##LOAD},
#include "ir_ops.def"
};

/* `x op load(addr + offset)` where the plain load was the last op and its
 * result dies here.  The fused op keeps the load's trap site (its wasm
 * offset and, metered, the refund of the block after the load), so a trap
 * reads exactly as the load's would. */
bool wtr_load_operand(wtr *t, wop wop, uint32_t a, uint32_t b, uint32_t dst)
{
    const wlo_map *lo = &lo_map[wop];
    if (!lo->m || t->oom || b < t->nlocal_slots || a == b || t->last_end != t->ncells || !t->last_has_dst ||
        t->last_ir != lo->load || t->code[t->last_op + 1].s.a != b)
        return false;
    uint32_t addr = t->code[t->last_op + 1].s.b;
    uint64_t offset = t->code[t->last_op + 2].u64;
    uint32_t wasm = t->offset;
    uint64_t cost = t->block_cost;
    if (t->nsites && t->sites[t->nsites - 1].ir == t->last_op) {
        t->offset = t->sites[t->nsites - 1].wasm;
        t->block_cost = t->sites[t->nsites - 1].refund; /* the block is still open: not yet a refund */
    }
    wtr_truncate_to_last(t);
    wcell *c = wtr_emit_dst(t, (wir)lo->m, 3, dst);
    t->offset = wasm;
    t->block_cost = cost;
    c[1].s.b = a;
    c[2].u64 = offset;
    c[3].s.a = addr;
    return true;
}

/* The address operand was just computed by `x + imm` or `x + y` (the last
 * op, writing the temporary addr): fuse the add into the load, which wraps
 * the same way (an add cannot trap). */
static bool fusable_add(const wtr *t, uint32_t addr, wir add)
{
    return !t->oom && t->last_end == t->ncells && t->last_has_dst && t->last_ir == add &&
           t->code[t->last_op + 1].s.a == addr && addr >= t->nlocal_slots;
}

/* Forms of a load or store op (see ir_ops.def): the offset from the plain
 * op of each form, per kind of op. */
enum { LOAD_ADD = 1, LOAD_CONST_ADDR = 2, LOAD_ADD_REG = 3, LOAD_INDEX = 4, LOAD_SHIFT_ADD = 5, LOAD_MEMORY_N = 6,
       LOAD_MEMORY_W = 7 };
enum { STORE_IMM = 1, STORE_CONST_ADDR = 2, STORE_ADD_REG = 3, STORE_INDEX = 4, STORE_ADD = 5, STORE_ADD_IMM = 6,
       STORE_SHIFT_ADD = 7, STORE_MEMORY_N = 8, STORE_MEMORY_W = 9 };

/* How the address of a load or store was computed by the ops just before
 * it (when they can be fused): base plus an immediate, plus a register,
 * plus a register shifted left, or base shifted left plus an immediate. */
enum { ADDR_SLOT, ADDR_ADD, ADDR_ADD_REG, ADDR_INDEX, ADDR_SHIFT_ADD };

typedef struct waddr {
    int kind;
    uint32_t base;
    uint32_t x;     /* ADDR_ADD: the immediate; otherwise the second register */
    uint32_t shift; /* ADDR_INDEX */
} waddr;

/*
 * The address came from `base + (i << k)`: an i32.shl with an immediate
 * into a temporary, then the i32.add (the last two ops, both fusable).
 * The removed ops only wrote temporaries that die at the access, and
 * neither can trap.
 */
static bool fuse_index(wtr *t, waddr *a)
{
    if (!t->prev_valid || t->prev_ir != WIR_I32_SHL_RI || !t->prev_has_dst)
        return false;
    uint32_t shifted = t->code[t->prev_op + 1].s.a;
    uint32_t x = t->code[t->last_op + 1].s.b, y = t->code[t->last_op + 2].s.a;
    if (shifted < t->nlocal_slots || x == y || (shifted != x && shifted != y))
        return false;
    *a = (waddr){ADDR_INDEX, shifted == x ? y : x, t->code[t->prev_op + 1].s.b,
                 (uint32_t)t->code[t->prev_op + 2].u64 & 31};
    wtr_truncate_to_prev(t);
    return true;
}

/* The address operand addr, with the add (and shift) that computed it
 * removed when they fuse into the access (ADDR_SHIFT_ADD only when
 * shift_add: stores of an immediate have no such form). */
static waddr fuse_address(wtr *t, uint32_t addr, bool shift_add)
{
    waddr a = {ADDR_SLOT, addr, 0, 0};
    if (fusable_add(t, addr, WIR_I32_ADD_SL)) {
        /* base + (i << k), the shift already fused into the add */
        const wcell *c = &t->code[t->last_op];
        a = (waddr){ADDR_INDEX, c[1].s.b, c[2].s.a, c[2].s.b};
        wtr_truncate_to_last(t);
    } else if (fusable_add(t, addr, WIR_I32_ADD_RR)) {
        if (fuse_index(t, &a))
            return a;
        a = (waddr){ADDR_ADD_REG, t->code[t->last_op + 1].s.b, t->code[t->last_op + 2].s.a, 0};
        wtr_truncate_to_last(t);
    } else if (fusable_add(t, addr, WIR_I32_ADD_RI)) {
        a = (waddr){ADDR_ADD, t->code[t->last_op + 1].s.b, (uint32_t)t->code[t->last_op + 2].u64, 0};
        if (shift_add && wtr_fresh_shift(t, true, WIR_I32_SHL_RI, a.base)) {
            /* (i << k) + imm: indexing an array at a constant address */
            a.kind = ADDR_SHIFT_ADD;
            a.base = t->code[t->prev_op + 1].s.b;
            a.shift = (uint32_t)t->code[t->prev_op + 2].u64 & 31;
            wtr_truncate_to_prev(t);
        } else {
            wtr_truncate_to_last(t);
        }
    }
    return a;
}

/* A fused form's third operand cell: [second register or immediate, shift]. */
static void put_address_cell(wcell *c, const waddr *a)
{
    if (a->kind == ADDR_SLOT)
        return;
    c[3].s.a = a->x;
    c[3].s.b = a->shift;
}

/* Another memory than memory 0 of i32, or i64 addresses: no fusion (the
 * fused address arithmetic is i32), the offset whole (memory64 offsets
 * take 64 bits; the handler saturates the sum).  Memory 0 of i64 takes the
 * _W form, which has no memory cell: the handler uses memory 0's base and
 * size as the fast forms do; any other memory the _N form and its cell. */
static void access_n(wtr *t, wir op, const winstr *in, bool store)
{
    bool wide0 = in->memarg.memory == 0;
    size_t nops = wide0 ? 2 : 3;
    wcell *c;
    if (store) {
        uint32_t val = wtr_pop_slot(t);
        uint32_t addr = wtr_pop_slot(t);
        c = wtr_emit(t, (wir)(op + (wide0 ? STORE_MEMORY_W : STORE_MEMORY_N)), nops);
        c[1].s.a = addr;
        c[1].s.b = val;
    } else {
        uint32_t addr = wtr_pop_slot(t);
        c = wtr_emit_dst(t, (wir)(op + (wide0 ? LOAD_MEMORY_W : LOAD_MEMORY_N)), nops, wtr_tslot(t, t->nvs));
        c[1].s.b = addr;
    }
    c[2].u64 = in->memarg.offset;
    if (!wide0)
        wtr_memory_cell(t, &c[3], in->memarg.memory);
    if (!store)
        wtr_push_temp(t);
}

void wtr_load(wtr *t, wir op, const winstr *in)
{
    if (t->nvs < 1) /* only after an allocation failure */
        return;
    if (!wtr_memory_fast(t, in->memarg.memory)) {
        access_n(t, op, in, false);
        return;
    }
    uint32_t dst = wtr_tslot(t, t->nvs - 1);
    uint64_t offset = clamp_offset(in->memarg.offset);
    if (t->vs[t->nvs - 1].kind == VK_CONST) {
        /* a constant address: the effective address is known (no wrap) */
        uint64_t ea = clamp_offset((uint32_t)wtr_pop(t).imm + offset);
        wcell *c = wtr_emit_dst(t, (wir)(op + LOAD_CONST_ADDR), 2, dst);
        c[2].u64 = ea;
        wtr_push_temp(t);
        return;
    }
    waddr a = fuse_address(t, wtr_pop_slot(t), true);
    static const uint8_t form[] = {[ADDR_SLOT] = 0, [ADDR_ADD] = LOAD_ADD, [ADDR_ADD_REG] = LOAD_ADD_REG,
                                   [ADDR_INDEX] = LOAD_INDEX, [ADDR_SHIFT_ADD] = LOAD_SHIFT_ADD};
    wcell *c = wtr_emit_dst(t, (wir)(op + form[a.kind]), a.kind == ADDR_SLOT ? 2 : 3, dst);
    c[1].s.b = a.base;
    c[2].u64 = offset;
    put_address_cell(c, &a);
    wtr_push_temp(t);
}

/* An i64 constant can be stored from a 32-bit immediate when it is one
 * zero-extended (narrow stores use only the low bits anyway). */
static bool store_imm_fits(wir op, uint64_t imm)
{
    return (op != WIR_I64_STORE && op != WIR_F64_STORE) || imm <= UINT32_MAX;
}

void wtr_store(wtr *t, wir op, const winstr *in)
{
    if (t->nvs < 2) /* only after an allocation failure */
        return;
    if (!wtr_memory_fast(t, in->memarg.memory)) {
        access_n(t, op, in, true);
        return;
    }
    wvs val = wtr_pop(t);
    uint64_t offset = clamp_offset(in->memarg.offset);
    if (t->vs[t->nvs - 1].kind == VK_CONST && val.kind == VK_SLOT) {
        uint64_t ea = clamp_offset((uint32_t)wtr_pop(t).imm + offset);
        wcell *c = wtr_emit(t, (wir)(op + STORE_CONST_ADDR), 2);
        c[1].s.b = val.slot;
        c[2].u64 = ea;
        return;
    }
    uint32_t addr = wtr_pop_slot(t);
    bool imm = val.kind == VK_CONST && store_imm_fits(op, val.imm);
    uint32_t vslot = (uint32_t)val.imm;
    if (!imm) {
        vslot = val.slot;
        if (val.kind == VK_CONST) {
            vslot = wtr_tslot(t, t->nvs + 1);
            wcell *k = wtr_emit_dst(t, WIR_CONST, 2, vslot);
            k[2].u64 = val.imm;
        }
    }
    /* Fusing needs the address ops to be the last ones emitted: a value
     * computed after them (or its CONST) keeps them apart.  An immediate
     * value only fuses with an added immediate (the sieve's `a[i] = 0`). */
    waddr a = {ADDR_SLOT, addr, 0, 0};
    if (!imm || fusable_add(t, addr, WIR_I32_ADD_RI))
        a = fuse_address(t, addr, !imm);
    static const uint8_t form[] = {[ADDR_SLOT] = 0, [ADDR_ADD] = STORE_ADD, [ADDR_ADD_REG] = STORE_ADD_REG,
                                   [ADDR_INDEX] = STORE_INDEX, [ADDR_SHIFT_ADD] = STORE_SHIFT_ADD};
    wir fop = (wir)(op + (imm ? (a.kind == ADDR_ADD ? STORE_ADD_IMM : STORE_IMM) : form[a.kind]));
    wcell *c = wtr_emit(t, fop, a.kind == ADDR_SLOT ? 2 : 3);
    c[1].s.a = a.base;
    c[1].s.b = vslot;
    c[2].u64 = offset;
    put_address_cell(c, &a);
}
