/*
 * Translation of the threads proposal's 0xFE instructions: one IR op per
 * wasm instruction (ir_ops_atomic.def), operands in slots, the memarg offset
 * as an immediate.  No fusion: an atomic op's alignment and bounds checks
 * and its memory effect must stay exactly where the wasm code has them.
 */
#include "compile.h"

/* Operand shapes (what the instruction pops and pushes). */
enum { AK_NONE, AK_LOAD, AK_STORE, AK_RMW, AK_RMW3, AK_FENCE };

typedef struct watomic_map {
    uint16_t ir;
    uint8_t kind;
} watomic_map;

static const watomic_map atomic_map[WOP_COUNT] = {
#define IR_ATOMIC_LOAD(OP, C) [WOP_##OP] = {WIR_##OP, AK_LOAD},
#define IR_ATOMIC_STORE(OP, C) [WOP_##OP] = {WIR_##OP, AK_STORE},
#define IR_ATOMIC_RMW(OP, C, FN) [WOP_##OP] = {WIR_##OP, AK_RMW},
#define IR_ATOMIC_CMPXCHG(OP, C) [WOP_##OP] = {WIR_##OP, AK_RMW3},
#define IR_OP(NAME, NOPS)
#include "ir_ops_atomic.def"
#undef IR_OP
    [WOP_MEMORY_ATOMIC_NOTIFY] = {WIR_MEMORY_ATOMIC_NOTIFY, AK_RMW},
    [WOP_MEMORY_ATOMIC_WAIT32] = {WIR_MEMORY_ATOMIC_WAIT32, AK_RMW3},
    [WOP_MEMORY_ATOMIC_WAIT64] = {WIR_MEMORY_ATOMIC_WAIT64, AK_RMW3},
    [WOP_ATOMIC_FENCE] = {WIR_ATOMIC_FENCE, AK_FENCE},
};

/* Memory offsets of a 32-bit memory fit in 32 bits (the decoder reads a
 * u32 for them), so the handlers' 64-bit address sum cannot wrap.  The _N
 * forms (any other memory) take it whole and saturate the sum. */
static uint64_t offset_of(const wtr *t, const winstr *in)
{
    if (!wtr_memory_fast(t, in->memarg.memory))
        return in->memarg.offset;
    return in->memarg.offset > UINT32_MAX ? (uint64_t)UINT32_MAX + 1 : in->memarg.offset;
}

/* OP, or OP_N (the op after it, one more cell) for any other memory than
 * memory 0 of i32; *nops grows by that cell. */
static wir form_of(const wtr *t, const watomic_map *map, const winstr *in, size_t *nops)
{
    bool fast = wtr_memory_fast(t, in->memarg.memory);
    *nops += !fast;
    return (wir)(map->ir + !fast);
}

/* The _N form's memory cell, after the offset cell at c[k]. */
static void put_memory(const wtr *t, wcell *c, size_t k, const winstr *in)
{
    if (!wtr_memory_fast(t, in->memarg.memory))
        wtr_memory_cell(t, &c[k + 1], in->memarg.memory);
}

/* Ops with a result: [dst, addr] then [b, c] when they have more operands;
 * the operands are read by the handler before the result is written, so
 * the result may share a slot with any of them. */
static void translate_with_result(wtr *t, const watomic_map *map, const winstr *in, unsigned nin)
{
    uint32_t c = nin == 3 ? wtr_pop_slot(t) : 0;
    uint32_t b = nin >= 2 ? wtr_pop_slot(t) : 0;
    uint32_t addr = wtr_pop_slot(t);
    size_t k = nin == 1 ? 2 : 3, nops = k; /* the offset's cell */
    wir op = form_of(t, map, in, &nops);
    wcell *cell = wtr_emit_dst(t, op, nops, wtr_tslot(t, t->nvs));
    cell[1].s.b = addr;
    if (nin >= 2) {
        cell[2].s.a = b;
        cell[2].s.b = c;
    }
    cell[k].u64 = offset_of(t, in);
    put_memory(t, cell, k, in);
    wtr_push_temp(t);
}

bool wtr_atomic(wtr *t, const winstr *in)
{
    const watomic_map *map = &atomic_map[in->op];
    switch (map->kind) {
    case AK_LOAD:
        translate_with_result(t, map, in, 1);
        return true;
    case AK_RMW:
        translate_with_result(t, map, in, 2);
        return true;
    case AK_RMW3:
        translate_with_result(t, map, in, 3);
        return true;
    case AK_STORE: {
        uint32_t val = wtr_pop_slot(t);
        uint32_t addr = wtr_pop_slot(t);
        size_t nops = 2;
        wir op = form_of(t, map, in, &nops);
        wcell *c = wtr_emit(t, op, nops);
        c[1].s.a = addr;
        c[1].s.b = val;
        c[2].u64 = offset_of(t, in);
        put_memory(t, c, 2, in);
        return true;
    }
    case AK_FENCE:
        wtr_emit(t, WIR_ATOMIC_FENCE, 0);
        return true;
    default:
        return false;
    }
}
