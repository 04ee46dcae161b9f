/*
 * Throwing and catching (docs/exceptions.md).  The dispatch loop calls
 * wexn_unwind for THROW and RETHROW (exec_eh.inc): it walks the
 * interpreter's frame stack of the running call from the throwing frame
 * outward, and in each frame the handler table of the code variant the
 * frame runs, from the innermost try whose body holds the frame's position
 * along the parents (delegate skips to its target's).  Nothing is changed
 * until a handler is found, so an uncaught exception traps at the throw with
 * the full backtrace.
 *
 * Caught exceptions live on a stack in the store's execution state: a
 * catch body's hidden slot holds its entry's index (rethrow reads it).  The
 * catch bodies active at any moment are nested, and each pushed its entry
 * when it was entered, so their indices grow inward: a new catch keeps
 * everything up to the innermost catch body still active (in the catching
 * frame around the try, or in the frames below) and drops the rest.  Entries
 * of outer calls (a host function calling back in) sit below the call's
 * floor and are never touched.
 */
#include <stdlib.h>
#include <string.h>

#include "eh.h"
#include "exec_eh.h"

/* The variant of fn whose code holds cell `at`, or NULL. */
static const wvariant *variant_at(const wcompiled_func *fn, const wcell *at)
{
    for (int v = WVAR_PLAIN; v < WVAR_COUNT; v++) {
        const wvariant *var = wcompiled_variant_ready(fn, v);
        if (var && at >= var->code && at < var->code + var->ncells)
            return var;
    }
    return NULL;
}

/* The innermost entry whose try body holds pos (entries are in opening
 * order: the last one that holds it). */
static uint32_t innermost_try(const weh_table *eh, uint32_t pos)
{
    for (uint32_t i = eh->nentries; i-- > 0;)
        if (eh->entries[i].try_start <= pos && pos < eh->entries[i].try_end)
            return i;
    return WEH_NONE;
}

/* The innermost catch body holding pos, or WEH_NONE. */
static uint32_t innermost_catch(const weh_table *eh, uint32_t pos)
{
    for (uint32_t i = eh->nentries; i-- > 0;) {
        const weh_entry *e = &eh->entries[i];
        if (e->nclauses && e->catch_start <= pos && pos < e->catch_end)
            return i;
    }
    return WEH_NONE;
}

/* A handler for the exception at pos of one frame: the clause, or NULL. */
static const weh_clause *find_clause(const weh_table *eh, const ward_instance *inst, const ward_tag *tag,
                                     uint32_t pos, const weh_entry **entry)
{
    for (uint32_t i = innermost_try(eh, pos); i != WEH_NONE; i = eh->entries[i].parent) {
        const weh_entry *e = &eh->entries[i];
        if (e->kind == WEH_DELEGATE)
            continue;
        for (uint32_t c = e->nclauses ? e->first_clause : WEH_NONE; c != WEH_NONE; c = eh->clauses[c].next) {
            const weh_clause *cl = &eh->clauses[c];
            if (cl->tag == WEH_CATCH_ALL || inst->tags[cl->tag] == tag) {
                *entry = e;
                return cl;
            }
        }
    }
    return NULL;
}

/* One wasm frame of the walk. */
typedef struct wexn_frame {
    const wcompiled_func *fn;
    const wcell *at; /* a cell of the instruction that threw or called */
    uint64_t *fp;
    ward_instance *inst;
} wexn_frame;

/* The exception-stack index held by the innermost active catch body of
 * frame f around position pos (WEH_NONE: f's own position), plus one; 0
 * when there is none. */
static size_t active_height(const wexn_frame *f, uint32_t pos)
{
    const wvariant *v = variant_at(f->fn, f->at);
    if (!v || !v->eh)
        return 0;
    uint32_t i = innermost_catch(v->eh, pos == WEH_NONE ? (uint32_t)(f->at - v->code) : pos);
    return i == WEH_NONE ? 0 : (size_t)f->fp[v->eh->entries[i].exn_slot] + 1;
}

/* Push the caught exception as entry h (dropping the ones above), copying
 * its payload; false when out of memory. */
static bool push_caught(wexn_stack *st, const wexn_flight *fl, size_t h)
{
    uint32_t n = fl->tag->nslots;
    size_t off = h ? st->e[h - 1].off + st->e[h - 1].tag->nslots : 0;
    if (!wgrow((void **)&st->e, &st->cap, h + 1, sizeof *st->e) ||
        !wgrow((void **)&st->payload, &st->cap_payload, off + n + 1, sizeof *st->payload))
        return false;
    if (fl->payload)
        memcpy(st->payload + off, fl->payload, n * sizeof *st->payload);
    else if (st->e[fl->index].off != off) /* a rethrown entry at or above h */
        memmove(st->payload + off, st->payload + st->e[fl->index].off, n * sizeof *st->payload);
    st->e[h] = (wexn_entry){fl->tag, off};
    st->n = h + 1;
    return true;
}

int wexn_unwind(struct wexec *ex, const wexn_flight *fl, size_t floor, uint32_t base_depth, wexn_state *state)
{
    wframe *frames = ex->frames;
    uint32_t top = (uint32_t)(state->fsp - frames); /* frames[top] would be the next pushed */
    wexn_frame f = {state->fn, state->ip, state->fp, state->inst};
    for (uint32_t k = top;; k--) {
        /* frame k: the current one when k == top, else frames[k] suspended at its call */
        if (k < top)
            f = (wexn_frame){frames[k].fn, frames[k].ret_ip - 1, frames[k].fp, frames[k].inst};
        if (k <= base_depth)
            return 0;
        const wvariant *v = variant_at(f.fn, f.at);
        if (!v || !v->eh)
            continue;
        const weh_entry *e;
        const weh_clause *cl = find_clause(v->eh, f.inst, fl->tag, (uint32_t)(f.at - v->code), &e);
        if (!cl)
            continue;
        /* the entries still held: the innermost active catch around the try
         * in this frame, else in the frames below, else the call's floor */
        size_t h = active_height(&f, e->try_start);
        for (uint32_t j = k; h == 0 && j-- > base_depth + 1;)
            h = active_height(&(wexn_frame){frames[j].fn, frames[j].ret_ip - 1, frames[j].fp, frames[j].inst},
                              WEH_NONE);
        if (h < floor)
            h = floor;
        if (!push_caught(&ex->exn, fl, h))
            return -1;
        f.fp[e->exn_slot] = h;
        if (cl->tag != WEH_CATCH_ALL && fl->tag->nslots)
            memcpy(f.fp + e->exn_slot + 1, ex->exn.payload + ex->exn.e[h].off, fl->tag->nslots * sizeof *f.fp);
        state->fsp = frames + k;
        state->fn = f.fn;
        state->fp = f.fp;
        state->inst = f.inst;
        state->ip = v->code + cl->target;
        return 1;
    }
}

void wexn_truncate(wexn_stack *st, size_t n)
{
    if (st->n > n)
        st->n = n;
}

void wexn_free(wexn_stack *st)
{
    free(st->e);
    free(st->payload);
    memset(st, 0, sizeof *st);
}
