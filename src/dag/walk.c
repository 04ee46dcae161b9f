/*
 * Bounded walks (ward_dag_walk_from): breadth-first by depth, at most
 * max_breadth new nodes per depth (the lowest ids), then sorted by height,
 * which is a topological order.  Memory and work are bounded by the
 * limits, not by the size of the graph: a node's neighbours are streamed
 * in id order and the stream stops once nothing more can be taken.
 */
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "dag/dag_internal.h"

#define WALK_DEFAULT_BREADTH 1024

/* Rows already reached: an open-addressing set (rows are >= 1). */
typedef struct row_set {
    int64_t *slots;
    size_t cap, count;
} row_set;

static size_t row_hash(int64_t row, size_t cap)
{
    return (size_t)((uint64_t)row * 0x9E3779B97F4A7C15u >> 20) & (cap - 1);
}

static bool row_set_has(const row_set *s, int64_t row)
{
    for (size_t i = row_hash(row, s->cap);; i = (i + 1) & (s->cap - 1)) {
        if (s->slots[i] == row)
            return true;
        if (s->slots[i] == 0)
            return false;
    }
}

static bool row_set_add(row_set *s, int64_t row);

static bool row_set_grow(row_set *s)
{
    row_set bigger = {calloc(2 * s->cap, sizeof(int64_t)), 2 * s->cap, 0};
    if (!bigger.slots)
        return false;
    for (size_t i = 0; i < s->cap; i++)
        if (s->slots[i])
            row_set_add(&bigger, s->slots[i]);
    free(s->slots);
    *s = bigger;
    return true;
}

static bool row_set_add(row_set *s, int64_t row)
{
    if (2 * (s->count + 1) > s->cap && !row_set_grow(s))
        return false;
    size_t i = row_hash(row, s->cap);
    while (s->slots[i] && s->slots[i] != row)
        i = (i + 1) & (s->cap - 1);
    if (!s->slots[i]) {
        s->slots[i] = row;
        s->count++;
    }
    return true;
}

/* The next depth's candidates: sorted by id, at most max of them. */
typedef struct walk_level {
    ward_dag_walk_entry *e;
    int64_t *rows;
    size_t count, max;
    const row_set *seen;
    bool by_id;                 /* the stream comes in id order (children), not parents' order */
    bool truncated;
} walk_level;

static int entry_vs_id(const void *element, const void *id)
{
    return memcmp(((const ward_dag_walk_entry *)element)->id.bytes, id, 32);
}

static size_t level_find(const walk_level *l, const uint8_t id[32], bool *present)
{
    return wlower_bound(l->e, l->count, sizeof *l->e, id, entry_vs_id, present);
}

/* A neighbour from the stream.  For a stream in id order, false ends it
 * once the level is full: every later one has a higher id and could only
 * be dropped.  Parents come in their order (at most WARD_DAG_MAX_PARENTS
 * of them), so each is looked at. */
static bool level_offer(void *ctx, const uint8_t id[32], int64_t row, uint64_t height)
{
    walk_level *l = ctx;
    if (row_set_has(l->seen, row))
        return true;
    bool present;
    size_t at = level_find(l, id, &present);
    if (present)
        return true;
    if (at == l->max) {
        l->truncated = true;
        return !l->by_id;
    }
    if (l->count == l->max) {
        l->truncated = true; /* the highest id makes room */
        l->count--;
    }
    memmove(&l->e[at + 1], &l->e[at], (l->count - at) * sizeof *l->e);
    memmove(&l->rows[at + 1], &l->rows[at], (l->count - at) * sizeof *l->rows);
    memcpy(l->e[at].id.bytes, id, 32);
    l->e[at].height = height;
    l->rows[at] = row;
    l->count++;
    return true;
}

typedef struct walk_state {
    const ward_dag_id *start;
    const ward_dag_walk_limits *lim;
    ward_dag_walk *out;
    size_t cap_entries, cap_rows;
    int64_t *rows;              /* rows of out->entries */
    row_set seen;
} walk_state;

static bool walk_append(walk_state *w, const ward_dag_walk_entry *e, int64_t row)
{
    size_t n = w->out->count + 1;
    if (!wgrow((void **)&w->out->entries, &w->cap_entries, n, sizeof *e) ||
        !wgrow((void **)&w->rows, &w->cap_rows, n, sizeof *w->rows))
        return false;
    w->out->entries[w->out->count] = *e;
    w->rows[w->out->count++] = row;
    return row_set_add(&w->seen, row);
}

static bool expand(wdb *c, walk_state *w, size_t from, size_t to, walk_level *next, ward_db_error *err)
{
    for (size_t i = from; i < to; i++) {
        bool ok = w->lim->direction == WARD_DAG_TO_CHILDREN
                      ? wdb_dag_children(c, w->rows[i], level_offer, next, "dag walk", err)
                      : wdb_dag_parent_list(c, w->rows[i], level_offer, next, "dag walk", err);
        if (!ok)
            return false;
    }
    return true;
}

static bool walk_levels(wdb *c, walk_state *w, walk_level *next, ward_db_error *err)
{
    size_t from = 0;
    for (uint32_t depth = 1; depth <= w->lim->max_depth && from < w->out->count; depth++) {
        size_t to = w->out->count;
        next->count = 0;
        if (!expand(c, w, from, to, next, err))
            return false;
        for (size_t i = 0; i < next->count; i++) {
            next->e[i].depth = depth;
            if (!walk_append(w, &next->e[i], next->rows[i])) {
                wdb_fail(c, err, WARD_DB_ERR_NOMEM, "dag walk", "out of memory");
                return false;
            }
        }
        from = to;
    }
    w->out->truncated = next->truncated;
    return true;
}

static bool walk_body(wdb *c, void *ctx, ward_db_error *err)
{
    walk_state *w = ctx;
    size_t breadth = w->lim->max_breadth ? w->lim->max_breadth : WALK_DEFAULT_BREADTH;
    wdb_node_ref ref;
    w->out->count = 0;
    w->seen.count = 0;
    memset(w->seen.slots, 0, w->seen.cap * sizeof *w->seen.slots);
    if (!wdag_require(c, w->start->bytes, &ref, "dag walk", err))
        return false;
    ward_dag_walk_entry first = {*w->start, 0, ref.height};
    walk_level next = {malloc(breadth * sizeof *next.e), malloc(breadth * sizeof *next.rows), 0, breadth,
                       &w->seen, w->lim->direction == WARD_DAG_TO_CHILDREN, false};
    bool ok = next.e && next.rows && walk_append(w, &first, ref.row);
    if (!ok)
        wdb_fail(c, err, WARD_DB_ERR_NOMEM, "dag walk", "out of memory");
    ok = ok && walk_levels(c, w, &next, err);
    free(next.e);
    free(next.rows);
    return ok;
}

static int by_height_down(const void *pa, const void *pb)
{
    const ward_dag_walk_entry *a = pa, *b = pb;
    if (a->height != b->height)
        return a->height > b->height ? -1 : 1;
    return memcmp(a->id.bytes, b->id.bytes, 32);
}

static int by_height_up(const void *pa, const void *pb)
{
    const ward_dag_walk_entry *a = pa, *b = pb;
    if (a->height != b->height)
        return a->height < b->height ? -1 : 1;
    return memcmp(a->id.bytes, b->id.bytes, 32);
}

bool ward_dag_walk_from(ward_db *db, const ward_dag_id *start, const ward_dag_walk_limits *limits,
                        ward_dag_walk *out, ward_db_error *err)
{
    if (!start || !limits || !out ||
        (limits->direction != WARD_DAG_TO_PARENTS && limits->direction != WARD_DAG_TO_CHILDREN)) {
        ward_db_fail(db, err, WARD_DB_ERR_ARGUMENT, "dag walk", "NULL argument or unknown direction");
        return false;
    }
    memset(out, 0, sizeof *out);
    walk_state w = {start, limits, out, 0, 0, NULL, {calloc(64, sizeof(int64_t)), 64, 0}};
    bool ok = w.seen.slots != NULL;
    if (!ok)
        ward_db_fail(db, err, WARD_DB_ERR_NOMEM, "dag walk", "out of memory");
    ok = ok && wdb_transact(db, "dag walk", false, walk_body, &w, err);
    free(w.rows);
    free(w.seen.slots);
    if (!ok) {
        ward_dag_walk_free(out);
        return false;
    }
    qsort(out->entries, out->count, sizeof *out->entries,
          limits->direction == WARD_DAG_TO_PARENTS ? by_height_down : by_height_up);
    return true;
}

void ward_dag_walk_free(ward_dag_walk *walk)
{
    if (!walk)
        return;
    free(walk->entries);
    memset(walk, 0, sizeof *walk);
}
