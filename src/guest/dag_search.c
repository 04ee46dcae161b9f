/*
 * ward:dag's calls whose work grows with the graph: walk and is_ancestor.
 * Neither may buy an unbounded search for a fixed price:
 *
 *   walk       the guest bounds it (1 + depth x breadth nodes, at most
 *              WARD_DAG_GUEST_WALK_MAX) and pays for that bound before the
 *              walk starts;
 *   is_ancestor has no bound the guest could state (it depends on how wide
 *              the graph is between the two heights), so the search runs
 *              here, one node at a time through the public API, charging
 *              each node before expanding it: it stops where the fuel
 *              does, and at WARD_DAG_GUEST_SEARCH_MAX nodes (ELIMIT), which
 *              also bounds its memory.
 */
#include <stdlib.h>
#include <string.h>

#include "dag_internal.h"

static void put_u64le(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put_u32le(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* ward_dag_guest_entry's layout, written byte by byte (the host's own
 * struct may be padded or big-endian). */
static void write_entry(uint8_t *p, const ward_dag_walk_entry *e)
{
    memcpy(p, e->id.bytes, WARD_DAG_ID_BYTES);
    put_u64le(p + 32, e->height);
    put_u32le(p + 40, e->depth);
    put_u32le(p + 44, 0);
}

/* walk(start, direction, max_depth, max_breadth, out, max, count_out)
 * -> 0 | 1 (truncated) | code */
ward_result wdg_walk(void *env, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    uint32_t direction = wguest_u32(args, 1), depth = wguest_u32(args, 2), breadth = wguest_u32(args, 3);
    uint32_t out_ptr = wguest_u32(args, 4), max = wguest_u32(args, 5), count_ptr = wguest_u32(args, 6);
    if (!wdg_charge(caller, WDG_WALK, 0, 0, trap))
        return WARD_TRAP;
    ward_dag_id start;
    uint64_t out_bytes = (uint64_t)max * WARD_DAG_WALK_ENTRY_BYTES;
    if (!wdg_read_id(caller, wguest_u32(args, 0), &start, trap) || !wguest_span(caller, out_ptr, out_bytes, trap) ||
        !wguest_span(caller, count_ptr, 4, trap))
        return WARD_TRAP;
    uint64_t per_depth = breadth ? breadth : 1024;
    uint64_t bound = 1 + (uint64_t)depth * per_depth;
    if (direction > WARD_DAG_WALK_CHILDREN || bound > WARD_DAG_GUEST_WALK_MAX)
        return wguest_ret(results, WARD_DAG_EINVAL);
    if (!wdg_charge_result(caller, WDG_WALK, 0, bound, trap))
        return WARD_TRAP;
    ward_dag_walk_limits limits = {direction == WARD_DAG_WALK_CHILDREN ? WARD_DAG_TO_CHILDREN : WARD_DAG_TO_PARENTS,
                                   depth, breadth};
    ward_dag_walk walk = {0};
    ward_db_error err;
    if (!ward_dag_walk_from(env, &start, &limits, &walk, &err))
        return wguest_ret(results, wdg_code(&err));
    ward_caller_write_u32(caller, count_ptr, (uint32_t)walk.count, trap);
    int32_t code = walk.count > max ? WARD_DAG_ESPACE : walk.truncated ? 1 : 0;
    if (code >= 0) {
        uint8_t *out = wguest_span(caller, out_ptr, out_bytes, trap);
        for (size_t i = 0; i < walk.count; i++)
            write_entry(out + i * WARD_DAG_WALK_ENTRY_BYTES, &walk.entries[i]);
    }
    ward_dag_walk_free(&walk);
    return wguest_ret(results, code);
}

/* ---- is_ancestor: a search from b toward the roots, highest node first ---- */

typedef struct wdg_node {
    ward_dag_id id;
    uint64_t height;
} wdg_node;

/* The search's state: a max-heap of nodes to expand (by height) and the
 * set of every node ever queued (open addressing on the id's first bytes:
 * ids are hashes). */
typedef struct wdg_search {
    wdg_node *heap;
    size_t nheap, heap_cap;
    ward_dag_id *seen;          /* slots; all-zero bytes = empty */
    size_t nseen, seen_cap;     /* seen_cap a power of two */
    bool zero_seen;             /* the all-zero id, which cannot sit in a slot */
} wdg_search;

static size_t slot_of(const ward_dag_id *id, size_t cap)
{
    uint64_t h;
    memcpy(&h, id->bytes, sizeof h);
    return (size_t)h & (cap - 1);
}

static bool is_zero(const ward_dag_id *id)
{
    static const ward_dag_id zero;
    return memcmp(id, &zero, sizeof zero) == 0;
}

static bool seen_grow(wdg_search *s)
{
    size_t cap = s->seen_cap ? s->seen_cap * 2 : 1024;
    ward_dag_id *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < s->seen_cap; i++) {
        if (is_zero(&s->seen[i]))
            continue;
        size_t j = slot_of(&s->seen[i], cap);
        while (!is_zero(&slots[j]))
            j = (j + 1) & (cap - 1);
        slots[j] = s->seen[i];
    }
    free(s->seen);
    s->seen = slots;
    s->seen_cap = cap;
    return true;
}

/* Add id to the set: false when it was there (or out of memory: *nomem). */
static bool seen_add(wdg_search *s, const ward_dag_id *id, bool *nomem)
{
    if (is_zero(id)) {
        bool added = !s->zero_seen;
        s->zero_seen = true;
        return added;
    }
    if (2 * (s->nseen + 1) > s->seen_cap && !seen_grow(s)) {
        *nomem = true;
        return false;
    }
    size_t j = slot_of(id, s->seen_cap);
    for (; !is_zero(&s->seen[j]); j = (j + 1) & (s->seen_cap - 1))
        if (memcmp(&s->seen[j], id, sizeof *id) == 0)
            return false;
    s->seen[j] = *id;
    s->nseen++;
    return true;
}

static bool heap_push(wdg_search *s, const wdg_node *n)
{
    if (s->nheap == s->heap_cap) {
        size_t cap = s->heap_cap ? s->heap_cap * 2 : 256;
        wdg_node *grown = realloc(s->heap, cap * sizeof *grown);
        if (!grown)
            return false;
        s->heap = grown;
        s->heap_cap = cap;
    }
    size_t i = s->nheap++;
    for (; i > 0 && s->heap[(i - 1) / 2].height < n->height; i = (i - 1) / 2)
        s->heap[i] = s->heap[(i - 1) / 2];
    s->heap[i] = *n;
    return true;
}

static wdg_node heap_pop(wdg_search *s)
{
    wdg_node top = s->heap[0], last = s->heap[--s->nheap];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= s->nheap)
            break;
        if (c + 1 < s->nheap && s->heap[c + 1].height > s->heap[c].height)
            c++;
        if (s->heap[c].height <= last.height)
            break;
        s->heap[i] = s->heap[c];
        i = c;
    }
    if (s->nheap)
        s->heap[i] = last;
    return top;
}

/* A node's height and its parents (with theirs): a walk of depth 1.
 * Parents are at most 1024, the walk's default breadth: none are cut. */
static bool expand(ward_db *db, const ward_dag_id *id, ward_dag_walk *walk, ward_db_error *err)
{
    ward_dag_walk_limits one = {WARD_DAG_TO_PARENTS, 1, WARD_DAG_MAX_PARENTS};
    return ward_dag_walk_from(db, id, &one, walk, err);
}

static bool height_of(ward_db *db, const ward_dag_id *id, uint64_t *height, ward_db_error *err)
{
    ward_dag_walk_limits alone = {WARD_DAG_TO_PARENTS, 0, 1};
    ward_dag_walk w = {0};
    if (!ward_dag_walk_from(db, id, &alone, &w, err))
        return false;
    *height = w.entries[0].height;
    ward_dag_walk_free(&w);
    return true;
}

enum { SEARCH_TRAP = INT32_MIN };

/* Queue the parents of one expanded node that may lead to a: 1 when a is
 * among them, 0 to go on, or a guest code. */
static int32_t queue_parents(wdg_search *s, const ward_dag_walk *w, const wdg_node *a)
{
    for (size_t i = 1; i < w->count; i++) {
        const ward_dag_walk_entry *p = &w->entries[i];
        if (memcmp(&p->id, &a->id, sizeof a->id) == 0)
            return 1;
        bool nomem = false;
        if (p->height <= a->height || !seen_add(s, &p->id, &nomem)) {
            if (nomem)
                return WARD_DAG_ENOMEM;
            continue;
        }
        if (s->nseen > WARD_DAG_GUEST_SEARCH_MAX)
            return WARD_DAG_ELIMIT;
        if (!heap_push(s, &(wdg_node){p->id, p->height}))
            return WARD_DAG_ENOMEM;
    }
    return 0;
}

/* Is a an ancestor of b (heights known, a lower)?  1, 0, a guest code, or
 * SEARCH_TRAP when the fuel ran out (*trap filled). */
static int32_t search(ward_db *db, const ward_caller *caller, wdg_search *s, const wdg_node *a, const wdg_node *b,
                      ward_trap *trap)
{
    bool nomem = false;
    if (!seen_add(s, &b->id, &nomem) || !heap_push(s, b))
        return WARD_DAG_ENOMEM;
    while (s->nheap) {
        wdg_node n = heap_pop(s);
        if (!wdg_charge_result(caller, WDG_IS_ANCESTOR, 0, 1, trap))
            return SEARCH_TRAP;
        ward_dag_walk w = {0};
        ward_db_error err;
        if (!expand(db, &n.id, &w, &err))
            return wdg_code(&err);
        int32_t r = queue_parents(s, &w, a);
        ward_dag_walk_free(&w);
        if (r != 0)
            return r;
    }
    return 0;
}

/* is_ancestor(a, b) -> 1 | 0 | code */
ward_result wdg_is_ancestor(void *env, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    if (!wdg_charge(caller, WDG_IS_ANCESTOR, 0, 0, trap))
        return WARD_TRAP;
    wdg_node a, b;
    if (!wdg_read_id(caller, wguest_u32(args, 0), &a.id, trap) || !wdg_read_id(caller, wguest_u32(args, 1), &b.id, trap))
        return WARD_TRAP;
    ward_db_error err;
    if (!height_of(env, &a.id, &a.height, &err) || !height_of(env, &b.id, &b.height, &err))
        return wguest_ret(results, wdg_code(&err));
    if (b.height <= a.height) /* an ancestor is always lower */
        return wguest_ret(results, 0);
    wdg_search s = {0};
    int32_t r = search(env, caller, &s, &a, &b, trap);
    free(s.heap);
    free(s.seen);
    return r == SEARCH_TRAP ? WARD_TRAP : wguest_ret(results, r);
}
