/*
 * The translator core: code emission, the virtual operand stack, the control
 * stack and fuel blocks, and the module-level entry points.  Per-instruction
 * translation lives in compile_ops.c.  Input code is always valid (the
 * validator ran first), so nothing here re-checks types or indices.
 */
#include <stdlib.h>
#include <string.h>

#include "../runtime/runtime.h"
#include "compile.h"

/* ---- emission ------------------------------------------------------------ */

/* The code is written in place into the block that will hold the finished
 * translation: a wvariant header, then the cells (pack_variant only trims
 * the block and appends the small tables, never copies the code). */
#define CODE_HEADER sizeof(wvariant)

static bool grow_code(wtr *t, size_t need)
{
    size_t cap = t->cap_cells ? t->cap_cells : 16, bytes;
    while (cap < need) {
        if (cap > SIZE_MAX / 2)
            return false;
        cap *= 2;
    }
    if (!wsize_mul(cap, sizeof *t->code, &bytes) || !wsize_add(bytes, CODE_HEADER, &bytes))
        return false;
    unsigned char *block = realloc(t->block, bytes);
    if (!block)
        return false;
    t->block = block;
    t->code = (wcell *)(void *)(block + CODE_HEADER);
    t->cap_cells = cap;
    return true;
}

static bool reserve_cells(wtr *t, size_t n)
{
    size_t need;
    if (t->oom || !wsize_add(t->ncells, n, &need)) {
        t->oom = true;
        return false;
    }
    if (need > t->max_cells)
        t->over_limit = true; /* stop before the buffer grows past the code limit */
    if (t->over_limit || (need > t->cap_cells && !grow_code(t, need))) {
        t->oom = true;
        return false;
    }
    return true;
}

static void add_site(wtr *t, size_t pos)
{
    if (t->no_sites)
        return;
    uint32_t refund = t->variant == WVAR_METERED ? (uint32_t)t->block_cost : 0;
    if (t->nsites) {
        const wsite *last = &t->sites[t->nsites - 1];
        if (last->wasm == t->offset && last->refund == refund)
            return;
    }
    if (!wgrow((void **)&t->sites, &t->cap_sites, t->nsites + 1, sizeof *t->sites)) {
        t->oom = true;
        return;
    }
    t->sites[t->nsites++] = (wsite){(uint32_t)pos, t->offset, refund};
}

static uintptr_t handler_cell(const wtr *t, wir op)
{
    return t->handlers ? (uintptr_t)t->handlers[op] : (uintptr_t)op;
}

/* The metered form of a branch op, which also charges the fuel block it
 * enters, or WIR_COUNT.  Every op that can branch must have one: merging
 * (merge_successor) relies on note_branch seeing every way out of a block
 * before the branch it merges. */
static wir fuel_form(wir op)
{
    switch (op) {
    case WIR_BR:
        return WIR_BR_F;
    case WIR_BR_IF:
        return WIR_BR_IF_F;
    case WIR_BR_IFNOT:
        return WIR_BR_IFNOT_F;
    case WIR_BR_TABLE:
        return WIR_BR_TABLE_F;
    case WIR_BR_INC_NZ:
        return WIR_BRF_INC_NZ;
    case WIR_BRN_INC_NZ:
        return WIR_BRNF_INC_NZ;
#define IR_CMP_I32(OP, ...) IR_BR_I32(OP, 0)
#define IR_BR_I32(OP, ...)                                                                                   \
    case WIR_BR_##OP##_RR:                                                                                   \
        return WIR_BRF_##OP##_RR;                                                                            \
    case WIR_BR_##OP##_RI:                                                                                   \
        return WIR_BRF_##OP##_RI;                                                                            \
    case WIR_BRN_##OP##_RR:                                                                                  \
        return WIR_BRNF_##OP##_RR;                                                                           \
    case WIR_BRN_##OP##_RI:                                                                                  \
        return WIR_BRNF_##OP##_RI;
#include "ir_ops.def"
    default:
        return WIR_COUNT;
    }
}

static void note_branch(wtr *t, size_t pos, wir op)
{
    if (t->variant != WVAR_METERED || fuel_form(op) == WIR_COUNT)
        return;
    if (!wgrow((void **)&t->branches, &t->cap_branches, t->nbranches + 1, sizeof *t->branches)) {
        t->oom = true;
        return;
    }
    wbranch *b = &t->branches[t->nbranches++];
    *b = (wbranch){.pos = pos, .op = op, .head = SIZE_MAX};
    if (!t->block_open)
        return;
    b->head = t->block_op;
    /* empty blocks before it chain into it when it is cut (close_chain) */
    b->chain = t->npend && t->pend_end == t->block_op ? t->pend[0].op : t->block_op;
    b->site0 = t->block_first_site;
    b->site1 = t->nsites;
    b->alone = t->block_branches++ == 0;
}

static bool is_fuel_head(const wtr *t, size_t pos)
{
    return pos < t->ncells && t->code[pos].u64 == (uint64_t)handler_cell(t, WIR_FUEL);
}

static void set_handler(wtr *t, size_t pos, wir op)
{
    if (t->handlers)
        t->code[pos].handler = t->handlers[op];
    else
        t->code[pos].op = op;
}

/* The fuel form's cell for a branch at pos to pos + rel: the offset of the
 * code after the target's heads and the cost they charge, or false when the
 * target is not a fuel block head or either does not fit in 32 bits. */
static bool fuel_target(const wtr *t, size_t pos, int64_t rel, wcell *out)
{
    size_t head = (size_t)((int64_t)pos + rel);
    if (!is_fuel_head(t, head))
        return false;
    int64_t to_body = rel + (int64_t)t->code[head + 3].u64;
    uint64_t cost = t->code[head + 1].u64;
    if (to_body < INT32_MIN || to_body > INT32_MAX || cost > UINT32_MAX)
        return false;
    out->s.a = (uint32_t)(int32_t)to_body;
    out->s.b = (uint32_t)cost;
    return true;
}

/* A br_table whose every entry is a block head: entries become fuel form
 * cells and the op charges the block it enters. */
static void use_fuel_table(wtr *t, size_t pos)
{
    uint32_t n = t->code[pos + 1].s.b;
    wcell c;
    for (uint32_t i = 0; i <= n; i++)
        if (!fuel_target(t, pos, t->code[pos + 2 + i].rel, &c))
            return;
    for (uint32_t i = 0; i <= n; i++)
        fuel_target(t, pos, t->code[pos + 2 + i].rel, &t->code[pos + 2 + i]);
    set_handler(t, pos, WIR_BR_TABLE_F);
}

/*
 * Merging (docs/fuel.md): a block that always continues into a block head
 * after it pays for that block too, so the path through them is charged
 * once.  That is a block ending in a conditional branch (it pays for its
 * fall-through successor; taking the branch charges or refunds the
 * difference to the target) or in a forward unconditional branch.  Merged
 * costs stay small, so a short budget still diverts close to the stop.
 */
#define WMAX_MERGED_COST 4096

/* The head that b's block always continues into, or SIZE_MAX. */
static size_t merge_successor(const wtr *t, const wbranch *b)
{
    if (!b->alone || b->head == SIZE_MAX)
        return SIZE_MAX;
    if (b->op == WIR_BR) {
        size_t to = (size_t)((int64_t)b->pos + t->code[b->pos + 1].rel);
        return to > b->pos && is_fuel_head(t, to) ? to : SIZE_MAX;
    }
    if (b->op == WIR_BR_TABLE || !is_fuel_head(t, b->pos + 3))
        return SIZE_MAX;
    wcell c; /* the taken side must take the fuel form: its target a head */
    if (!fuel_target(t, b->pos, t->code[b->pos + 2].rel, &c) || c.s.b > INT32_MAX / 2)
        return SIZE_MAX;
    return b->pos + 3;
}

/* Successors come after their blocks, so going backwards every merged
 * successor's cost is final when it is added. */
static void merge_blocks(wtr *t)
{
    for (size_t i = t->nbranches; i-- > 0 && !t->oom;) {
        wbranch *b = &t->branches[i];
        size_t succ = merge_successor(t, b);
        if (succ == SIZE_MAX)
            continue;
        uint64_t cost = t->code[succ + 1].u64;
        if (t->code[b->chain + 1].u64 + cost > WMAX_MERGED_COST)
            continue;
        for (size_t h = b->chain; h <= b->head; h += FUEL_CELLS)
            t->code[h + 1].u64 += cost;
        for (size_t s = b->site0; s < b->site1; s++)
            t->sites[s].refund += (uint32_t)cost;
        b->merged = true;
    }
}

/* A merged branch: a forward br goes to the code after its target's heads
 * (already paid); a conditional one skips the fall-through heads (paid)
 * and, taken, charges the target's cost minus the fall-through's. */
static void use_merged_form(wtr *t, const wbranch *b)
{
    if (b->op == WIR_BR) {
        size_t to = (size_t)((int64_t)b->pos + t->code[b->pos + 1].rel);
        t->code[b->pos + 1].rel += (int64_t)t->code[to + 3].u64;
        return;
    }
    wcell *rel_cell = &t->code[b->pos + 2];
    wcell c;
    fuel_target(t, b->pos, rel_cell->rel, &c);
    int64_t delta = (int64_t)c.s.b - (int64_t)t->code[b->pos + 3 + 1].u64;
    c.s.b = (uint32_t)(int32_t)delta;
    *rel_cell = c;
    set_handler(t, b->pos, fuel_form(b->op));
}

/* After translating: merge blocks, then switch branches to their fuel
 * forms.  An unmerged branch whose every successor is a fuel block head
 * (only br and br_table remain) charges the block it enters and skips its
 * FUEL dispatch. */
static void use_fuel_forms(wtr *t)
{
    merge_blocks(t);
    for (size_t i = 0; i < t->nbranches && !t->oom; i++) {
        const wbranch *b = &t->branches[i];
        wcell c;
        if (b->merged)
            use_merged_form(t, b);
        else if (b->op == WIR_BR_TABLE)
            use_fuel_table(t, b->pos);
        else if (b->op == WIR_BR && fuel_target(t, b->pos, t->code[b->pos + 1].rel, &c)) {
            t->code[b->pos + 1] = c;
            set_handler(t, b->pos, WIR_BR_F);
        }
    }
    t->nbranches = 0;
}

/* Append op with nops zeroed operand cells; returns its first cell (valid
 * until the next emission). */
wcell *wtr_emit(wtr *t, wir op, size_t nops)
{
    if (op == WIR_CALL && t->variant == WVAR_METERED)
        op = WIR_CALL_M; /* metered code only runs with fuel metered */
    if (nops + 1 > sizeof t->junk / sizeof t->junk[0] || !reserve_cells(t, nops + 1)) {
        t->oom = true;
        memset(t->junk, 0, sizeof t->junk);
        return t->junk;
    }
    size_t pos = t->ncells;
    wcell *c = &t->code[pos];
    memset(c, 0, (nops + 1) * sizeof *c);
    if (t->handlers)
        c->handler = t->handlers[op];
    else
        c->op = (uint64_t)handler_cell(t, op);
    if (op != WIR_MOV && op != WIR_CONST && op != WIR_MOV128 && op != WIR_V128_CONST)
        add_site(t, pos);
    t->ncells += nops + 1;
    /* the op before, when nothing came between (for three-op fusions) */
    t->prev_valid = t->last_end == pos;
    t->prev_op = t->last_op;
    t->prev_ir = t->last_ir;
    t->prev_has_dst = t->last_has_dst;
    t->last_op = pos;
    t->last_end = t->ncells;
    t->last_ir = op;
    t->last_has_dst = false;
    note_branch(t, pos, op);
    return &t->code[pos];
}

/* Append n zeroed operand cells to the op just emitted (br_table's list);
 * false after an allocation failure. */
bool wtr_emit_cells(wtr *t, size_t n)
{
    if (!reserve_cells(t, n))
        return false;
    memset(&t->code[t->ncells], 0, n * sizeof *t->code);
    t->ncells += n;
    t->last_end = SIZE_MAX;
    return true;
}

/* An op whose result slot is its first operand (so local.set may retarget it). */
wcell *wtr_emit_dst(wtr *t, wir op, size_t nops, uint32_t dst)
{
    wcell *c = wtr_emit(t, op, nops);
    c[1].s.a = dst;
    t->last_has_dst = true;
    return c;
}

/* Drop the last emitted op (it is being fused into the next one). */
void wtr_truncate_to_last(wtr *t)
{
    t->ncells = t->last_op;
    while (t->nsites && t->sites[t->nsites - 1].ir >= t->last_op)
        t->nsites--;
    t->last_end = SIZE_MAX;
}

/* Drop the last two emitted ops (fused into the next one). */
void wtr_truncate_to_prev(wtr *t)
{
    t->ncells = t->prev_op;
    while (t->nsites && t->sites[t->nsites - 1].ir >= t->prev_op)
        t->nsites--;
    t->last_end = SIZE_MAX;
    t->prev_valid = false;
}

/* ---- virtual operand stack ----------------------------------------------- */

/*
 * The canonical temporary of stack position pos: temporaries follow the
 * locals, each value taking its width (a v128 two slots), so the slot of a
 * position is the slot of the one below plus that one's width.  Positions up
 * to nvs+2 are asked for right after pops; the popped entries below them are
 * still in the array with the same stack under them.
 */
uint32_t wtr_tslot(const wtr *t, size_t pos)
{
    if (pos == 0 || pos > t->cap_vs)
        return t->nlocal_slots + (uint32_t)pos;
    const wvs *below = &t->vs[pos - 1];
    return below->tslot + 1 + below->wide;
}

void wtr_push(wtr *t, wvs v)
{
    if (!wgrow((void **)&t->vs, &t->cap_vs, t->nvs + 1, sizeof *t->vs)) {
        t->oom = true;
        return;
    }
    v.tslot = wtr_tslot(t, t->nvs);
    t->vs[t->nvs++] = v;
    uint32_t top = v.tslot + 1 + v.wide - t->nlocal_slots;
    if (top > t->max_height)
        t->max_height = top;
}

void wtr_push_temp(wtr *t)
{
    wtr_push_temp_type(t, WT_I32);
}

/* Push the temporary of a value of this type (v128 values are wide). */
void wtr_push_temp_type(wtr *t, uint8_t valtype)
{
    wvs v = {VK_SLOT, 0, 0, wtr_width(valtype) == 2, 0};
    v.slot = wtr_tslot(t, t->nvs);
    wtr_push(t, v);
}

uint32_t wtr_local_slot(const wtr *t, uint32_t index)
{
    return t->local_off ? t->local_off[index] : index;
}

bool wtr_local_wide(const wtr *t, uint32_t index)
{
    return t->local_off && t->local_off[index + 1] - t->local_off[index] == 2;
}

/* Copy a value between slots (a v128 moves both of its slots). */
void wtr_emit_mov(wtr *t, uint32_t dst, uint32_t src, bool wide)
{
    wcell *c = wtr_emit(t, wide ? WIR_MOV128 : WIR_MOV, 1);
    c[1].s.a = dst;
    c[1].s.b = src;
}

wvs wtr_pop(wtr *t)
{
    if (t->nvs == 0) /* only after an allocation failure */
        return (wvs){.kind = VK_CONST};
    return t->vs[--t->nvs];
}

/* Pop an operand that must live in a slot: a local is read in place, a
 * constant is written to its temporary first. */
uint32_t wtr_pop_slot(wtr *t)
{
    if (t->nvs == 0)
        return 0;
    if (t->vs[t->nvs - 1].kind == VK_CONST)
        wtr_materialize(t, t->nvs - 1);
    return t->vs[--t->nvs].slot;
}

/* Put the entry at pos into its canonical temporary slot. */
void wtr_materialize(wtr *t, size_t pos)
{
    wvs *v = &t->vs[pos];
    uint32_t slot = wtr_tslot(t, pos);
    if (v->kind == VK_CONST) {
        wcell *c = wtr_emit_dst(t, WIR_CONST, 2, slot);
        c[2].u64 = v->imm;
    } else if (v->slot != slot) {
        wcell *c = wtr_emit_dst(t, v->wide ? WIR_MOV128 : WIR_MOV, 1, slot);
        c[1].s.b = v->slot;
    } else {
        return;
    }
    v = &t->vs[pos];
    v->kind = VK_SLOT;
    v->slot = slot;
}

/* Before local `slot` is written, copy out every pending read of it. */
void wtr_materialize_local(wtr *t, uint32_t slot)
{
    for (size_t i = 0; i < t->nvs; i++)
        if (t->vs[i].kind == VK_SLOT && t->vs[i].slot == slot && slot < t->nlocal_slots)
            wtr_materialize(t, i);
}

/* At block entries: no pending local reads may cross a label, because the
 * copies a later local.set would emit run only on one path. */
void wtr_materialize_all_locals(wtr *t)
{
    for (size_t i = 0; i < t->nvs; i++)
        if (t->vs[i].kind == VK_SLOT && t->vs[i].slot < t->nlocal_slots)
            wtr_materialize(t, i);
}

/* ---- fuel blocks (docs/fuel.md) ------------------------------------------ */

/* Account for one executed wasm instruction. */
void wtr_charge(wtr *t, wop op)
{
    uint32_t cost = wop_info[op].fuel;
    if (t->variant == WVAR_STEP) {
        if (t->ncells > UINT32_MAX)
            t->oom = true; /* step_pos holds 32-bit positions */
        if (t->ordinal < t->nordinals)
            t->step_pos[t->ordinal] = (uint32_t)t->ncells;
        wcell *c = wtr_emit(t, WIR_FUEL_STEP, 1);
        c[1].u64 = cost;
        return;
    }
    if (t->variant != WVAR_METERED)
        return;
    if (!t->block_open) {
        if (t->npend && t->pend_end != t->ncells)
            wtr_flush_pending(t);
        t->block_open = true;
        t->block_cost = 0;
        t->block_op = t->ncells;
        wcell *c = wtr_emit(t, WIR_FUEL, 3);
        c[2].u64 = t->ordinal; /* where the step code takes over */
        c[3].u64 = FUEL_CELLS;
        t->block_first_site = t->nsites;
        t->block_branches = 0;
    }
    t->block_cost += cost;
}

/*
 * A block with no code of its own (say the `loop` instruction before a loop
 * label) is chained to the block right after it: its FUEL op pays for both
 * and skips the next head, so the fall-through path dispatches one FUEL op.
 */
static void close_chain(wtr *t, size_t last_op, uint64_t cost)
{
    for (size_t i = t->npend; i-- > 0;) {
        cost += t->pend[i].cost;
        t->code[t->pend[i].op + 1].u64 = cost;
        t->code[t->pend[i].op + 3].u64 = last_op + FUEL_CELLS - t->pend[i].op;
    }
    t->npend = 0;
}

/* Pending empty blocks not followed by a block head pay for themselves. */
void wtr_flush_pending(wtr *t)
{
    if (!t->oom)
        for (size_t i = 0; i < t->npend; i++)
            t->code[t->pend[i].op + 1].u64 = t->pend[i].cost;
    t->npend = 0;
}

/* End the open fuel block: fix its cost and its sites' refunds. */
void wtr_cut(wtr *t)
{
    t->last_end = SIZE_MAX; /* nothing fuses across a block boundary */
    if (t->variant != WVAR_METERED || !t->block_open)
        return;
    t->block_open = false;
    if (t->oom)
        return;
    bool empty = t->ncells == t->block_op + FUEL_CELLS;
    if (t->npend && t->pend_end != t->block_op)
        wtr_flush_pending(t);
    if (empty && t->npend < WMAX_PENDING) {
        t->pend[t->npend++] = (wpending){t->block_op, t->block_cost};
        t->pend_end = t->ncells;
        return;
    }
    t->code[t->block_op + 1].u64 = t->block_cost;
    if (t->npend)
        close_chain(t, t->block_op, t->block_cost);
    for (size_t i = t->block_first_site; i < t->nsites; i++)
        t->sites[i].refund = (uint32_t)(t->block_cost - t->sites[i].refund);
}

/* ---- control stack ------------------------------------------------------- */

wctl *wtr_push_ctl(wtr *t, uint8_t kind, uint32_t nparams, uint32_t nresults)
{
    if (!wgrow((void **)&t->cs, &t->cap_cs, t->ncs + 1, sizeof *t->cs)) {
        t->oom = true;
        return NULL;
    }
    wctl *c = &t->cs[t->ncs++];
    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->nparams = nparams;
    c->nresults = nresults;
    c->height = (uint32_t)(t->nvs >= nparams ? t->nvs - nparams : 0);
    c->else_op = SIZE_MAX;
    c->fixups = WNO_FIXUP;
    return c;
}

void wtr_add_fixup(wtr *t, wctl *c, size_t op, size_t cell)
{
    if (!wgrow((void **)&t->fx, &t->cap_fx, t->nfx + 1, sizeof *t->fx)) {
        t->oom = true;
        return;
    }
    t->fx[t->nfx] = (wfixup){op, cell, c->fixups};
    c->fixups = (uint32_t)t->nfx++;
    c->label_used = true;
}

/* Point every branch of a fixup list at the current position. */
void wtr_bind(wtr *t, uint32_t *fixups)
{
    for (uint32_t i = *fixups; i != WNO_FIXUP; i = t->fx[i].next)
        if (!t->oom)
            t->code[t->fx[i].cell].rel = (int64_t)t->ncells - (int64_t)t->fx[i].op;
    *fixups = WNO_FIXUP;
}

/* After br, return or unreachable: the rest of the block is dead. */
void wtr_set_unreachable(wtr *t)
{
    wctl *c = &t->cs[t->ncs - 1];
    c->unreachable = true;
    t->nvs = c->height;
    wtr_cut(t);
}

/* The type of a block's i-th param or result. */
uint8_t wtr_ctl_type(const wtr *t, const wctl *c, bool results, uint32_t i)
{
    const wfunctype *ft = c->kind == CK_FUNC ? t->type
                          : c->bt.kind == WBLOCK_TYPEIDX ? &t->m->types[c->bt.type_index]
                                                         : NULL;
    if (!ft)
        return c->bt.valtype; /* WBLOCK_VALTYPE: its one result */
    return results ? WFUNCTYPE_RESULT(ft, i) : WFUNCTYPE_PARAM(ft, i);
}

/* The slot of the i-th value a branch to c carries: the function's results
 * from slot 0, a block's values from the temporary of its base height, each
 * after the widths of the ones before it. */
uint32_t wtr_label_slot(const wtr *t, const wctl *c, uint32_t i)
{
    uint32_t slot = c->kind == CK_FUNC ? 0 : wtr_tslot(t, c->height);
    bool results = c->kind != CK_LOOP;
    for (uint32_t j = 0; j < i; j++)
        slot += wtr_width(wtr_ctl_type(t, c, results, j));
    return slot;
}

void wtr_block_arity(const wtr *t, const wblocktype *bt, uint32_t *np, uint32_t *nr)
{
    *np = 0;
    *nr = 0;
    if (bt->kind == WBLOCK_VALTYPE) {
        *nr = 1;
    } else if (bt->kind == WBLOCK_TYPEIDX) {
        *np = t->m->types[bt->type_index].nparams;
        *nr = t->m->types[bt->type_index].nresults;
    }
}

/* ---- one function, one variant ------------------------------------------- */

static bool dead_instr(wtr *t, const winstr *in)
{
    if (!t->cs[t->ncs - 1].unreachable)
        return false;
    switch (in->op) {
    case WOP_BLOCK:
    case WOP_LOOP:
    case WOP_IF:
    case WOP_TRY:
        t->dead_depth++;
        return true;
    case WOP_ELSE:
    case WOP_CATCH:
    case WOP_CATCH_ALL:
        return t->dead_depth > 0;
    case WOP_END:
    case WOP_DELEGATE:
        if (t->dead_depth == 0)
            return false;
        t->dead_depth--;
        return true;
    default:
        return true;
    }
}

static void translate_body(wtr *t, uint32_t def_index, winstr_scratch *scratch)
{
    const wcode *code = &t->m->codes[def_index];
    wreader r = {t->m->bytes, t->m->bytes + code->body_offset,
                 t->m->bytes + code->body_offset + code->body_len};
    werror err;
    winstr in;
    wtr_push_ctl(t, CK_FUNC, 0, t->type->nresults);
    t->ordinal = 0;
    while (t->ncs > 0 && !t->oom && wreader_left(&r) > 0) {
        if (!wread_instr(&r, scratch, &t->m->features, &in, &err)) {
            t->oom = true; /* cannot happen on validated code */
            break;
        }
        t->offset = in.offset;
        if (!dead_instr(t, &in))
            wtr_instr(t, &in);
        t->ordinal++;
    }
}

static void reset_translator(wtr *t, int variant)
{
    t->variant = variant;
    t->ncells = t->nsites = t->nvs = t->ncs = t->nfx = t->nbranches = 0;
    t->neh_entries = t->neh_clauses = 0;
    t->max_height = 0;
    t->block_open = false;
    t->npend = 0;
    t->last_end = SIZE_MAX;
    t->dead_depth = 0;
}

static uint32_t count_ordinals(const wmodule *m, uint32_t def_index)
{
    /* Every instruction takes at least one byte. */
    return m->codes[def_index].body_len;
}

/* Translate one variant of t->fn into t->code and t->sites; *frame gets
 * the frame size it needs. */
static bool translate_variant(wtr *t, uint32_t def_index, int variant, winstr_scratch *scratch, uint32_t *frame)
{
    reset_translator(t, variant);
    translate_body(t, def_index, scratch);
    wtr_flush_pending(t);
    use_fuel_forms(t);
    uint64_t slots = (uint64_t)t->nlocal_slots + t->max_height;
    uint32_t result_slots = wtr_label_slot(t, &(wctl){.kind = CK_FUNC}, t->type->nresults);
    if (slots < result_slots)
        slots = result_slots;
    if (slots > UINT32_MAX)
        t->oom = true;
    *frame = (uint32_t)slots;
    return !t->oom;
}

/* The frame layout of locals: with v128 params or locals, t->local_off gets
 * each local's slot (a v128 takes two); else it stays NULL and local i is
 * slot i.  Returns the slot counts of the params and of all locals. */
static bool layout_locals(wtr *t, uint32_t def_index, const wfunctype *ft, uint32_t *param_slots,
                          uint32_t *local_slots)
{
    const wcode *code = &t->m->codes[def_index];
    uint32_t n = ft->nparams + code->nlocals; /* bounded by count_slots at load */
    free(t->local_off);
    t->local_off = NULL;
    *param_slots = ft->nparams;
    *local_slots = n;
    bool wide = false;
    for (uint32_t i = 0; i < ft->nparams; i++)
        wide |= WFUNCTYPE_PARAM(ft, i) == WT_V128;
    for (uint32_t i = 0; i < code->nlocals; i++)
        wide |= code->local_types[i] == WT_V128;
    if (!wide)
        return true;
    t->local_off = wmalloc_array((size_t)n + 1, sizeof *t->local_off);
    if (!t->local_off)
        return false;
    uint32_t slot = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (i == ft->nparams)
            *param_slots = slot;
        t->local_off[i] = slot;
        slot += wtr_width(i < ft->nparams ? WFUNCTYPE_PARAM(ft, i) : code->local_types[i - ft->nparams]);
    }
    if (n == ft->nparams)
        *param_slots = slot;
    t->local_off[n] = slot;
    *local_slots = slot;
    return true;
}

/* Trap records hand out C strings; module names are (ptr, len) views. */
static bool copy_name(struct wcompiled *c, const wmodule *m, wcompiled_func *fn)
{
    if (!m->func_names || !m->func_names[fn->func_index].ptr)
        return true;
    wname n = m->func_names[fn->func_index];
    fn->name = wcompiled_alloc(c, (size_t)n.len + 1);
    if (!fn->name)
        return false;
    memcpy(fn->name, n.ptr, n.len);
    fn->name[n.len] = '\0';
    return true;
}

static void begin_function(wtr *t, const wcompiled_func *fn)
{
    uint64_t room = wcompiled_code_room(t->compiled) / sizeof *t->code;
    t->max_cells = room < SIZE_MAX ? (size_t)room : SIZE_MAX;
    t->fn = fn;
    t->type = fn->type;
    t->nlocal_slots = fn->nlocal_slots;
    t->nordinals = count_ordinals(t->m, fn->func_index - t->m->nimported_funcs);
    uint32_t np, nl; /* fn has them already: only t->local_off is wanted */
    if (!layout_locals(t, fn->func_index - t->m->nimported_funcs, fn->type, &np, &nl))
        t->oom = true;
    /* The plain code takes about 5 bytes per wasm byte: start there, so
     * most functions never grow their block. */
    size_t guess = t->nordinals / 2 + 8;
    if (guess < t->max_cells && !grow_code(t, guess))
        t->oom = true;
}

/* The slot counts of a function's params and locals, without the local
 * table (a v128 takes two slots). */
static bool count_slots(const wmodule *m, uint32_t def_index, const wfunctype *ft, uint32_t *params,
                        uint32_t *locals)
{
    const wcode *code = &m->codes[def_index];
    uint64_t np = 0, nl = 0;
    for (uint32_t i = 0; i < ft->nparams; i++)
        np += wtr_width(WFUNCTYPE_PARAM(ft, i));
    nl = np;
    for (uint32_t i = 0; i < code->nlocals; i++)
        nl += wtr_width(code->local_types[i]);
    if ((uint64_t)ft->nparams + code->nlocals > UINT32_MAX / 4)
        return false;
    *params = (uint32_t)np;
    *locals = (uint32_t)nl;
    return true;
}

/* Load time: what a call needs to know of the function; its code is
 * translated on its first call. */
static bool describe_function(struct wcompiled *c, const wmodule *m, wcompiled_func *fn, uint32_t def_index)
{
    fn->m = m;
    fn->owner = c;
    fn->func_index = m->nimported_funcs + def_index;
    fn->type = wmodule_func_type(m, fn->func_index);
    for (int v = 0; v < WVAR_COUNT; v++)
        atomic_init(&fn->code[v], NULL);
    atomic_init(&fn->plain_sites, NULL);
    for (int v = 0; v < WVAR_COUNT; v++)
        atomic_init(&fn->frame[v], SIZE_MAX);
    return count_slots(m, def_index, fn->type, &fn->nparams, &fn->nlocal_slots) && copy_name(c, m, fn);
}

static void free_translator(wtr *t)
{
    free(t->local_off);
    free(t->block);
    free(t->sites);
    free(t->step_pos);
    free(t->vs);
    free(t->cs);
    free(t->fx);
    free(t->branches);
    free(t->eh_entries);
    free(t->eh_clauses);
}

/* The translation in t as one block, made from the code's own block (no
 * copy of the code): the wvariant, then its code (right after it:
 * wcompiled_lazy_variant finds the header from the code), sites, step
 * positions and handler table (freed with one free). */
static wvariant *pack_variant(wtr *t, uint32_t frame, size_t *bytes)
{
    size_t nstep = t->variant == WVAR_STEP ? (t->ordinal < t->nordinals ? t->ordinal : t->nordinals) : 0;
    size_t code_bytes = t->ncells * sizeof *t->code;
    size_t site_bytes = (t->nsites * sizeof *t->sites + 7) & ~(size_t)7;
    size_t step_bytes = (nstep * sizeof *t->step_pos + 7) & ~(size_t)7;
    size_t size = CODE_HEADER + code_bytes + site_bytes + step_bytes + wtr_eh_size(t);
    *bytes = size;
    /* shrinking keeps the block where it is; a few tables may move it */
    unsigned char *block = realloc(t->block, size);
    if (!block)
        return NULL;
    t->block = NULL; /* it is the translation's now */
    t->code = NULL;
    t->cap_cells = 0;
    wvariant *v = (wvariant *)(void *)block;
    unsigned char *p = block + CODE_HEADER;
    *v = (wvariant){(wcell *)(void *)p, t->ncells, (wsite *)(void *)(p + code_bytes), t->nsites,
                    (uint32_t *)(void *)(p + code_bytes + site_bytes), nstep, NULL, frame};
    if (t->nsites)
        memcpy(v->sites, t->sites, t->nsites * sizeof *t->sites);
    if (nstep)
        memcpy(v->step_pos, t->step_pos, nstep * sizeof *t->step_pos);
    if (wtr_eh_size(t))
        v->eh = wtr_eh_write(t, p + code_bytes + site_bytes + step_bytes);
    return v;
}

/* A function's first call (docs/interpreter.md, "Lazy translation"):
 * translate its plain code (without trap sites), or its metered or step
 * code (docs/fuel.md); or, on the first trap in its plain code, the plain
 * code again with its trap sites (translation is deterministic: the same
 * code, cell for cell).  Reads only the immutable module, so any thread may
 * run it; every variant makes the same slot assignment, so the frame size
 * is the same (checked against one already published). */
wvariant *wcompile_variant(const wcompiled_func *fn, int variant, bool sites, size_t *bytes)
{
    wtr *t = wcalloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->m = fn->m;
    t->compiled = fn->owner;
    t->handlers = wexec_handlers();
    t->no_sites = !sites;
    begin_function(t, fn);
    uint32_t def_index = fn->func_index - fn->m->nimported_funcs;
    winstr_scratch scratch = {0};
    wvariant *v = NULL;
    uint32_t frame = 0;
    size_t known = wcompiled_frame(fn, WVAR_PLAIN);
    if (variant == WVAR_STEP)
        t->step_pos = wcalloc(t->nordinals ? t->nordinals : 1, sizeof *t->step_pos);
    if (!t->oom && (variant != WVAR_STEP || t->step_pos) &&
        translate_variant(t, def_index, variant, &scratch, &frame) && (known == SIZE_MAX || frame <= known))
        v = pack_variant(t, frame, bytes);
    if (t->over_limit) /* so the trap names the limit, not host memory */
        atomic_store_explicit(&fn->owner->limit_hit, true, memory_order_relaxed);
    winstr_scratch_free(&scratch);
    free_translator(t);
    free(t);
    return v;
}

/* Load time: the function descriptions only (calls point at them); no code
 * is translated until a function is first called. */
struct wcompiled *wcompile_module(const wmodule *m, werror *err)
{
    struct wcompiled *c = wcalloc(1, sizeof *c);
    if (!c) {
        werror_set(err, "out of memory");
        return NULL;
    }
    c->m = m;
    c->nfuncs = m->ncodes;
    c->max_code_bytes = m->features.max_code_bytes ? m->features.max_code_bytes : UINT64_MAX;
    atomic_init(&c->code_bytes, 0);
    atomic_init(&c->limit_hit, false);
    c->funcs = wmalloc_array(m->ncodes ? m->ncodes : 1, sizeof *c->funcs);
    if (!c->funcs) {
        free(c);
        werror_set(err, "out of memory");
        return NULL;
    }
    for (uint32_t i = 0; i < m->ncodes; i++) {
        c->funcs[i].name = NULL;
        if (!describe_function(c, m, &c->funcs[i], i)) {
            c->nfuncs = i + 1;
            wcompiled_free(c);
            werror_set(err, "out of memory while preparing code");
            return NULL;
        }
    }
    return c;
}
