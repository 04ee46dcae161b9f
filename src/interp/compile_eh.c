/*
 * Translation of the legacy exception-handling instructions
 * (docs/exceptions.md).  Nothing is emitted for `try`; each try gets an
 * entry in the variant's handler table (eh.h) when it opens, so an
 * enclosing try's entry comes before the ones nested in it:
 *
 *   try        the body's code range starts; the entry's parent is the
 *              innermost enclosing try still in its body
 *   catch x    the body (or the previous catch body) falls through with a
 *              jump to the end, like `else`; the catch body starts a fresh
 *              fuel block at a recorded target, with a hidden i32 (the
 *              caught exception's index, for rethrow) at the try's base
 *              height and the payload above it
 *   catch_all  the same without payload
 *   delegate l ends the body like `end`; the entry's parent is the
 *              innermost try still in its body at or outside label l
 *   throw x    payload to consecutive temporaries, THROW [base, x]
 *   rethrow l  RETHROW [hidden slot of the catch at label l]
 *
 * Fuel: try, throw, rethrow and delegate cost their weight where they
 * execute; a catch reached by falling out of the body before it costs its
 * weight as `else` does; entering a catch body by a throw costs nothing more
 * (the throw paid for the transfer).  Throws and calls end their fuel block,
 * so unwinding never needs a refund.
 */
#include <string.h>

#include "compile.h"
#include "eh.h"

static wctl *top_ctl(wtr *t)
{
    return &t->cs[t->ncs - 1];
}

/* The innermost try still in its body among control frames 0..from. */
static uint32_t enclosing_handler(const wtr *t, size_t from_plus_one)
{
    for (size_t i = from_plus_one; i-- > 0;)
        if (t->cs[i].kind == CK_TRY && !t->cs[i].in_catch)
            return t->cs[i].eh;
    return WEH_NONE;
}

static weh_entry *entry(wtr *t, uint32_t i)
{
    return &t->eh_entries[i];
}

static void translate_try(wtr *t, const winstr *in)
{
    uint32_t np, nr;
    wtr_charge(t, in->op);
    wtr_block_arity(t, &in->block, &np, &nr);
    wtr_enter_block(t, np);
    if (!wgrow((void **)&t->eh_entries, &t->cap_eh_entries, t->neh_entries + 1, sizeof *t->eh_entries)) {
        t->oom = true;
        return;
    }
    uint32_t index = (uint32_t)t->neh_entries++;
    weh_entry *e = entry(t, index);
    memset(e, 0, sizeof *e);
    e->kind = WEH_CATCH;
    e->parent = enclosing_handler(t, t->ncs);
    e->try_start = e->try_end = (uint32_t)t->ncells;
    wctl *c = wtr_push_ctl(t, CK_TRY, np, nr);
    if (!c)
        return;
    c->bt = in->block;
    c->eh = index;
    t->last_end = SIZE_MAX; /* no fusion reaches into the body */
}

/* Leave the try body or a catch body: a jump over the rest to the end. */
static void close_part(wtr *t, wctl *c, const winstr *in)
{
    if (!c->unreachable) {
        wtr_charge(t, in->op);
        wtr_jump(t, c);
    }
    wtr_cut(t);
}

static void translate_catch(wtr *t, const winstr *in)
{
    wctl *c = top_ctl(t);
    weh_entry *e = entry(t, c->eh);
    if (!c->in_catch)
        e->try_end = (uint32_t)t->ncells;
    close_part(t, c, in);
    if (t->oom)
        return;
    e = entry(t, c->eh);
    if (!wgrow((void **)&t->eh_clauses, &t->cap_eh_clauses, t->neh_clauses + 1, sizeof *t->eh_clauses)) {
        t->oom = true;
        return;
    }
    uint32_t clause = (uint32_t)t->neh_clauses++;
    t->eh_clauses[clause] = (weh_clause){in->op == WOP_CATCH ? in->a : WEH_CATCH_ALL, (uint32_t)t->ncells, WEH_NONE};
    if (!c->in_catch) {
        c->in_catch = true;
        e->catch_start = (uint32_t)t->ncells;
        e->first_clause = clause;
    } else {
        t->eh_clauses[e->last_clause].next = clause;
    }
    e->last_clause = clause;
    e->nclauses++;
    /* the catch body's stack: the hidden exception index, then the payload */
    c->unreachable = false;
    t->nvs = c->height;
    wtr_push_temp_type(t, WT_I32);
    e->exn_slot = wtr_tslot(t, c->height);
    if (in->op == WOP_CATCH) {
        const wfunctype *ft = &t->m->types[t->m->tag_types[in->a]];
        for (uint32_t i = 0; i < ft->nparams; i++)
            wtr_push_temp_type(t, WFUNCTYPE_PARAM(ft, i));
    }
    t->last_end = SIZE_MAX;
}

/* `end` of a try: a try without catches ends like a block; after catches
 * the body's results go from the top of the stack (above the hidden
 * index) to the label's slots first. */
static void translate_try_end(wtr *t, const winstr *in)
{
    wctl *c = top_ctl(t);
    weh_entry *e = entry(t, c->eh);
    if (!c->in_catch) {
        e->try_end = (uint32_t)t->ncells;
    } else {
        e->catch_end = (uint32_t)t->ncells;
        if (!c->unreachable) {
            wtr_branch_copies(t, c);
            t->nvs = c->height;
            for (uint32_t i = 0; i < c->nresults; i++)
                wtr_push_temp_type(t, wtr_ctl_type(t, c, true, i));
        }
    }
    c->kind = CK_BLOCK;
    wtr_end(t, in);
}

static void translate_delegate(wtr *t, const winstr *in)
{
    wctl *c = top_ctl(t);
    weh_entry *e = entry(t, c->eh);
    e->try_end = (uint32_t)t->ncells;
    e->kind = WEH_DELEGATE;
    /* label l counts the frames outside the try: frame ncs-2-l */
    size_t target = t->ncs - 2 - in->a;
    e->parent = enclosing_handler(t, target + 1);
    c->kind = CK_BLOCK;
    wtr_end(t, in);
}

static void translate_throw(wtr *t, const winstr *in)
{
    wtr_charge(t, in->op);
    const wfunctype *ft = &t->m->types[t->m->tag_types[in->a]];
    uint32_t base = wtr_prepare_args(t, ft);
    wcell *c = wtr_emit(t, WIR_THROW, 1);
    c[1].s.a = base;
    c[1].s.b = in->a;
    wtr_set_unreachable(t);
}

static void translate_rethrow(wtr *t, const winstr *in)
{
    wtr_charge(t, in->op);
    const wctl *target = &t->cs[t->ncs - 1 - in->a];
    wcell *c = wtr_emit(t, WIR_RETHROW, 1);
    c[1].s.a = wtr_tslot(t, target->height);
    wtr_set_unreachable(t);
}

bool wtr_eh_instr(wtr *t, const winstr *in)
{
    switch (in->op) {
    case WOP_TRY:
        translate_try(t, in);
        return true;
    case WOP_CATCH:
    case WOP_CATCH_ALL:
        translate_catch(t, in);
        return true;
    case WOP_DELEGATE:
        translate_delegate(t, in);
        return true;
    case WOP_THROW:
        translate_throw(t, in);
        return true;
    case WOP_RETHROW:
        translate_rethrow(t, in);
        return true;
    case WOP_END:
        if (t->ncs == 0 || top_ctl(t)->kind != CK_TRY)
            return false;
        translate_try_end(t, in);
        return true;
    default:
        return false;
    }
}

size_t wtr_eh_size(const wtr *t)
{
    if (!t->neh_entries)
        return 0;
    size_t bytes = sizeof(weh_table) + t->neh_entries * sizeof(weh_entry) + t->neh_clauses * sizeof(weh_clause);
    return (bytes + 7) & ~(size_t)7;
}

const struct weh_table *wtr_eh_write(const wtr *t, void *dst)
{
    weh_table *table = dst;
    table->nentries = (uint32_t)t->neh_entries;
    table->nclauses = (uint32_t)t->neh_clauses;
    table->entries = (weh_entry *)(void *)(table + 1);
    table->clauses = (weh_clause *)(void *)(table->entries + t->neh_entries);
    memcpy(table->entries, t->eh_entries, t->neh_entries * sizeof(weh_entry));
    if (t->neh_clauses)
        memcpy(table->clauses, t->eh_clauses, t->neh_clauses * sizeof(weh_clause));
    return table;
}
