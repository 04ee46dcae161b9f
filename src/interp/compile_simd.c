/*
 * Translation of the SIMD128 instructions (prefix 0xFD): each becomes the
 * one IR op of the same name from ir_ops_simd.def, with operand cells laid
 * out by its shape.  v128 values take two slots (compile.c keeps the
 * layout); v128.const is an immediate of the op that writes it.
 */
#include <string.h>

#include "compile.h"

enum {
    S_NONE,
    S_UN,
    S_BIN,
    S_TERN,
    S_SHIFT,
    S_SPLAT,
    S_EXTRACT,
    S_REPLACE,
    S_TEST,
    S_SHUFFLE,
    S_LOAD,
    S_LOAD_LANE,
    S_STORE,
    S_STORE_LANE
};

typedef struct wsimd_map {
    uint16_t ir;
    uint8_t shape;
} wsimd_map;

static const wsimd_map simd_map[WOP_COUNT] = {
#define SIMD_UN(OP, FN) [WOP_##OP] = {WIR_##OP, S_UN},
#define SIMD_BIN(OP, FN) [WOP_##OP] = {WIR_##OP, S_BIN},
#define SIMD_TERN(OP, FN) [WOP_##OP] = {WIR_##OP, S_TERN},
#define SIMD_SHIFT(OP, FN) [WOP_##OP] = {WIR_##OP, S_SHIFT},
#define SIMD_SPLAT(OP, FN, T) [WOP_##OP] = {WIR_##OP, S_SPLAT},
#define SIMD_EXTRACT(OP, FN, T) [WOP_##OP] = {WIR_##OP, S_EXTRACT},
#define SIMD_REPLACE(OP, FN, T) [WOP_##OP] = {WIR_##OP, S_REPLACE},
#define SIMD_TEST(OP, FN) [WOP_##OP] = {WIR_##OP, S_TEST},
#define SIMD_SHUFFLE(OP, FN) [WOP_##OP] = {WIR_##OP, S_SHUFFLE},
#define SIMD_LOAD(OP, N, EXPR) [WOP_##OP] = {WIR_##OP, S_LOAD},
#define SIMD_LOAD_LANE(OP, N) [WOP_##OP] = {WIR_##OP, S_LOAD_LANE},
#define SIMD_STORE(OP, N) [WOP_##OP] = {WIR_##OP, S_STORE},
#define SIMD_STORE_LANE(OP, N) [WOP_##OP] = {WIR_##OP, S_STORE_LANE},
#define IR_OP(NAME, NOPS) /* hand-written */
#include "ir_ops_simd.def"
#undef IR_OP
};

/* As for scalar memory ops: offsets past any 32-bit memory always trap;
 * clamping keeps the handlers' 64-bit address sum from wrapping. */
static uint64_t clamp_offset(uint64_t offset)
{
    return offset > (1ull << 40) ? (1ull << 40) : offset;
}

static void push_v128(wtr *t)
{
    wtr_push_temp_type(t, WT_V128);
}

/* Ops of the form [dst, a] [b, c]: pop n operands (the last is a), write
 * the result to the temporary of a's position. */
static wcell *emit_popping(wtr *t, wir op, size_t nops, unsigned npop)
{
    uint32_t s[3] = {0, 0, 0};
    for (unsigned i = npop; i-- > 0;)
        s[i] = wtr_pop_slot(t);
    wcell *c = wtr_emit_dst(t, op, nops, wtr_tslot(t, t->nvs));
    c[1].s.b = s[0];
    if (nops >= 2) {
        c[2].s.a = s[1];
        c[2].s.b = s[2];
    }
    return c;
}

/* Memory 0 of i32 addresses takes OP; any other memory OP_N (the next
 * op: ir_ops_simd.def), the whole offset and a memory cell after the
 * op's own cells. */
static void translate_memory(wtr *t, const wsimd_map *map, const winstr *in)
{
    bool fast = wtr_memory_fast(t, in->memarg.memory);
    wir op = (wir)(map->ir + !fast);
    uint64_t offset = fast ? clamp_offset(in->memarg.offset) : in->memarg.offset;
    size_t nops = map->shape == S_LOAD || map->shape == S_STORE ? 2 : 3;
    wcell *c;
    switch (map->shape) {
    case S_LOAD:
        c = emit_popping(t, op, nops + !fast, 1);
        push_v128(t);
        break;
    case S_LOAD_LANE: {
        uint32_t v = wtr_pop_slot(t);
        c = emit_popping(t, op, nops + !fast, 1);
        c[3].s.a = v;
        c[3].s.b = in->lane;
        push_v128(t);
        break;
    }
    default: { /* stores: [addr, v] offset [lane] */
        uint32_t v = wtr_pop_slot(t);
        uint32_t addr = wtr_pop_slot(t);
        c = wtr_emit(t, op, nops + !fast);
        c[1].s.a = addr;
        c[1].s.b = v;
        if (map->shape == S_STORE_LANE)
            c[3].s.a = in->lane;
        break;
    }
    }
    c[2].u64 = offset;
    if (!fast)
        wtr_memory_cell(t, &c[nops + 1], in->memarg.memory);
}

/*
 * Deterministic mode (docs/determinism.md): a float lane operation may
 * return a NaN whose sign and payload the hardware (or back end) chooses,
 * so its result goes through CANON_V32/V64.  Only the ops that compute
 * new float values: abs, neg, pmin/pmax, splats, lane moves and
 * comparisons return input bits or masks, conversions from integers cannot
 * make a NaN.
 */
static wir canon_op(wop op)
{
    uint8_t flags = wop_info[op].flags; /* the NAN32/NAN64 flags of opcodes_simd.def */
    if (flags & WOPF_NAN32)
        return WIR_CANON_V32;
    return flags & WOPF_NAN64 ? WIR_CANON_V64 : WIR_COUNT;
}

/* The result is a temporary, so a following local.set retargets CANON's
 * destination and the canonical value is what lands in the local. */
static void canonicalize_result(wtr *t, wop op)
{
    wir canon;
    if (!t->m->features.deterministic || (canon = canon_op(op)) == WIR_COUNT || t->nvs == 0)
        return;
    uint32_t slot = t->vs[t->nvs - 1].tslot;
    wcell *c = wtr_emit_dst(t, canon, 1, slot);
    c[1].s.b = slot;
}

void wtr_simd(wtr *t, const winstr *in)
{
    if (in->op == WOP_V128_CONST) {
        wcell *c = wtr_emit_dst(t, WIR_V128_CONST, 3, wtr_tslot(t, t->nvs));
        memcpy(&c[2], in->bytes16, 16);
        push_v128(t);
        return;
    }
    const wsimd_map *map = &simd_map[in->op];
    wir op = (wir)map->ir;
    wcell *c;
    switch (map->shape) {
    case S_UN:
    case S_SPLAT:
        emit_popping(t, op, 1, 1);
        push_v128(t);
        canonicalize_result(t, in->op);
        break;
    case S_BIN:
    case S_SHIFT:
        emit_popping(t, op, 2, 2);
        push_v128(t);
        canonicalize_result(t, in->op);
        break;
    case S_TERN:
        emit_popping(t, op, 2, 3);
        push_v128(t);
        break;
    case S_TEST:
        emit_popping(t, op, 1, 1);
        wtr_push_temp(t);
        break;
    case S_EXTRACT:
        c = emit_popping(t, op, 2, 1);
        c[2].s.a = in->lane;
        wtr_push_temp(t);
        break;
    case S_REPLACE:
        c = emit_popping(t, op, 2, 2);
        c[2].s.b = in->lane;
        push_v128(t);
        break;
    case S_SHUFFLE:
        c = emit_popping(t, op, 4, 2);
        memcpy(&c[3], in->bytes16, 16);
        push_v128(t);
        break;
    case S_LOAD:
    case S_LOAD_LANE:
    case S_STORE:
    case S_STORE_LANE:
        translate_memory(t, map, in);
        break;
    default:
        /* not an instruction of this table (cannot happen on valid code) */
        wtr_emit(t, WIR_UNREACHABLE, 0);
        break;
    }
}
