/*
 * A module's translated code: who owns it, how the lazily translated
 * variants are published, and how trap sites are found.
 *
 * Load time translates nothing (docs/interpreter.md, "Lazy translation"):
 * every variant of a function, the plain code included, is translated the
 * first time a call needs it, and the plain code's trap sites the first
 * time it traps.  A module is immutable and shared by stores on any number
 * of threads, so the install is lock-free: translate, then publish with a
 * compare-and-swap on the function's pointer; a thread that loses the race
 * frees its copy and uses the winner's.  Readers load the pointer with
 * acquire, which pairs with the release of the swap, so they see the code
 * (and the frame size stored before it) fully written.
 */
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "../runtime/runtime.h"
#include "ir.h"

/* ---- arena ----------------------------------------------------------------- */

typedef struct wchunk {
    struct wchunk *next;
    size_t used, cap;
    alignas(8) unsigned char data[];
} wchunk;

#define CHUNK_BYTES ((size_t)1 << 20)

void *wcompiled_alloc(struct wcompiled *c, size_t size)
{
    size = (size + 7) & ~(size_t)7;
    if (size == 0)
        size = 8;
    wchunk *k = c->chunks;
    if (k && k->cap - k->used >= size) {
        void *p = k->data + k->used;
        k->used += size;
        return p;
    }
    /* a big request gets a chunk of its own behind the current one, so the
     * current chunk's free tail is not abandoned */
    size_t cap = size > CHUNK_BYTES / 4 ? size : CHUNK_BYTES;
    if (cap > SIZE_MAX - sizeof(wchunk))
        return NULL;
    wchunk *n = malloc(sizeof(wchunk) + cap);
    if (!n)
        return NULL;
    n->used = size;
    n->cap = cap;
    if (k && cap != CHUNK_BYTES) {
        n->next = k->next;
        k->next = n;
    } else {
        n->next = k;
        c->chunks = n;
    }
    return n->data;
}

/* ---- the code limit (ward_config.max_code_bytes) ------------------------- */

bool wcompiled_charge(struct wcompiled *c, size_t bytes)
{
    uint64_t have = atomic_load_explicit(&c->code_bytes, memory_order_relaxed);
    do {
        if (bytes > c->max_code_bytes - have) { /* have never passes the limit */
            atomic_store_explicit(&c->limit_hit, true, memory_order_relaxed);
            return false;
        }
    } while (!atomic_compare_exchange_weak_explicit(&c->code_bytes, &have, have + bytes, memory_order_relaxed,
                                                    memory_order_relaxed));
    return true;
}

void wcompiled_refund(struct wcompiled *c, size_t bytes)
{
    atomic_fetch_sub_explicit(&c->code_bytes, (uint64_t)bytes, memory_order_relaxed);
}

uint64_t wcompiled_code_room(const struct wcompiled *c)
{
    return c->max_code_bytes - atomic_load_explicit(&c->code_bytes, memory_order_relaxed);
}

/* ---- variants ------------------------------------------------------------ */

/* Translate variant v of fn (with trap sites when `sites`) and publish its
 * code in *slot, unless another thread did first.  NULL when out of memory
 * or past the code limit (then the call that needed it traps; a later call
 * may try again). */
static const wvariant *install(_Atomic(wcell *) *slot, wcompiled_func *fn, int v, bool sites)
{
    size_t bytes;
    wvariant *mine = wcompile_variant(fn, v, sites, &bytes);
    if (!mine)
        return NULL;
    struct wcompiled *c = fn->owner;
    if (!wcompiled_charge(c, bytes)) {
        /* past the limit; but a racing thread may have just published the
         * same translation (its charge made ours fail) */
        free(mine);
        return wcompiled_lazy_variant(atomic_load_explicit(slot, memory_order_acquire));
    }
    wcell *expected = NULL;
    const wvariant *won = mine;
    if (!atomic_compare_exchange_strong_explicit(slot, &expected, mine->code, memory_order_acq_rel,
                                                 memory_order_acquire)) {
        wcompiled_refund(c, bytes);
        free(mine); /* another thread published first: use its copy */
        won = wcompiled_lazy_variant(expected);
    }
    /* after the code: the call path reads the size first (every thread
     * that gets here stores the same value) */
    if (slot != &fn->plain_sites)
        atomic_store_explicit(&fn->frame[v], won->frame_slots, memory_order_release);
    return won;
}

const wvariant *wcompiled_variant(const wcompiled_func *fn, int v)
{
    const wvariant *have = wcompiled_variant_ready(fn, v);
    if (have)
        return have;
    /* The code slots are the one mutable part of a translated function
     * (the function objects themselves are heap memory, never const). */
    wcompiled_func *f = (wcompiled_func *)fn;
    return install(&f->code[v], f, v, v != WVAR_PLAIN);
}

const wvariant *wcompiled_plain_sites(const wcompiled_func *fn)
{
    const wcell *have = atomic_load_explicit(&fn->plain_sites, memory_order_acquire);
    wcompiled_func *f = (wcompiled_func *)fn;
    return have ? wcompiled_lazy_variant(have) : install(&f->plain_sites, f, WVAR_PLAIN, true);
}

uint32_t wcompiled_count_translated(const struct wcompiled *c, int v)
{
    uint32_t n = 0;
    for (uint32_t i = 0; c && i < c->nfuncs; i++)
        n += wcompiled_code_ready(&c->funcs[i], v) != NULL;
    return n;
}

/* ---- lifetime and lookup ------------------------------------------------- */

void wcompiled_free(struct wcompiled *c)
{
    if (!c)
        return;
    for (uint32_t i = 0; i < c->nfuncs; i++) {
        wcompiled_func *fn = &c->funcs[i];
        for (int v = 0; v < WVAR_COUNT; v++)
            free((void *)wcompiled_lazy_variant(atomic_load_explicit(&fn->code[v], memory_order_acquire)));
        free((void *)wcompiled_lazy_variant(atomic_load_explicit(&fn->plain_sites, memory_order_acquire)));
    }
    for (wchunk *k = c->chunks, *next; k; k = next) {
        next = k->next;
        free(k);
    }
    free(c->funcs);
    free(c);
}

const struct wcompiled_func *wcompiled_get(const struct wcompiled *c, uint32_t func_index)
{
    if (!c || func_index < c->m->nimported_funcs || func_index - c->m->nimported_funcs >= c->nfuncs)
        return NULL;
    return &c->funcs[func_index - c->m->nimported_funcs];
}

const wsite *wvariant_site(const wvariant *v, size_t pos)
{
    size_t lo = 0, hi = v->nsites;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v->sites[mid].ir <= pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? &v->sites[lo - 1] : NULL;
}
