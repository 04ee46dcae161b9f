/* The DAG's listings (parents, children, tips), count and ancestry. */
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "dag/dag_internal.h"

bool wdag_list_add(void *ctx, const uint8_t id[32], int64_t row, uint64_t height)
{
    wdag_list *l = ctx;
    (void)row;
    (void)height;
    if (l->max && l->count == l->max) {
        l->over = true;
        return false;
    }
    if (!wgrow((void **)&l->ids, &l->cap, l->count + 1, sizeof *l->ids)) {
        l->nomem = true;
        return false;
    }
    memcpy(l->ids[l->count++].bytes, id, WARD_DAG_ID_BYTES);
    return true;
}

void wdag_list_free(wdag_list *l)
{
    free(l->ids);
    memset(l, 0, sizeof *l);
}

void ward_dag_ids_free(ward_dag_ids *ids)
{
    if (!ids)
        return;
    free(ids->ids);
    ids->ids = NULL;
    ids->count = 0;
}

/* A listing's outcome: the ids handed to the caller, or the error. */
static bool list_finish(wdb *c, wdag_list *l, ward_dag_ids *out, const char *op, ward_db_error *err)
{
    if (l->nomem || l->over) {
        if (l->nomem)
            wdb_fail(c, err, WARD_DB_ERR_NOMEM, op, "out of memory");
        else
            wdb_fail(c, err, WARD_DB_ERR_LIMIT, op, "more than %zu nodes", l->max);
        wdag_list_free(l);
        return false;
    }
    out->ids = l->ids;
    out->count = l->count;
    l->ids = NULL;
    wdag_list_free(l);
    return true;
}

typedef enum list_kind { LIST_PARENTS, LIST_CHILDREN, LIST_TIPS } list_kind;

static const char *const list_ops[] = {"dag parents", "dag children", "dag tips"};

typedef struct list_args {
    list_kind kind;
    const ward_dag_id *id;      /* NULL for tips */
    size_t max;
    ward_dag_ids *out;
} list_args;

/* Parents come with the node (its ordered list), not from a listing. */
static bool parents_of(wdb *c, const ward_dag_id *id, ward_dag_ids *out, ward_db_error *err)
{
    uint8_t *payload = NULL;
    size_t len;
    uint8_t(*parents)[32] = NULL;
    wdb_node_ref ref;
    bool found;
    if (!wdb_dag_load(c, id->bytes, &ref, &found, &payload, &len, &parents, &out->count, "dag parents", err))
        return false;
    free(payload);
    out->ids = (ward_dag_id *)parents;
    return found || wdag_not_found(c, id->bytes, "dag parents", err);
}

static bool list_body(wdb *c, void *ctx, ward_db_error *err)
{
    list_args *a = ctx;
    const char *op = list_ops[a->kind];
    wdb_node_ref ref;
    if (a->kind == LIST_TIPS) {
        wdag_list l = {.max = a->max};
        if (!wdb_dag_tips(c, wdag_list_add, &l, op, err)) {
            wdag_list_free(&l);
            return false;
        }
        return list_finish(c, &l, a->out, op, err);
    }
    if (a->kind == LIST_PARENTS)
        return parents_of(c, a->id, a->out, err);
    if (!wdag_require(c, a->id->bytes, &ref, op, err))
        return false;
    wdag_list l = {.max = a->max};
    if (!wdb_dag_children(c, ref.row, wdag_list_add, &l, op, err)) {
        wdag_list_free(&l);
        return false;
    }
    return list_finish(c, &l, a->out, op, err);
}

static bool list(ward_db *db, list_kind kind, const ward_dag_id *id, size_t max, ward_dag_ids *out,
                 ward_db_error *err)
{
    if (!out || (kind != LIST_TIPS && !id)) {
        ward_db_fail(db, err, WARD_DB_ERR_ARGUMENT, list_ops[kind], "NULL id or result");
        return false;
    }
    memset(out, 0, sizeof *out);
    list_args a = {kind, id, max, out};
    return wdb_transact(db, list_ops[kind], false, list_body, &a, err);
}

bool ward_dag_parents(ward_db *db, const ward_dag_id *id, ward_dag_ids *out, ward_db_error *err)
{
    return list(db, LIST_PARENTS, id, 0, out, err);
}

bool ward_dag_children(ward_db *db, const ward_dag_id *id, size_t max, ward_dag_ids *out, ward_db_error *err)
{
    return list(db, LIST_CHILDREN, id, max, out, err);
}

bool ward_dag_tips(ward_db *db, size_t max, ward_dag_ids *out, ward_db_error *err)
{
    return list(db, LIST_TIPS, NULL, max, out, err);
}

static bool count_body(wdb *c, void *ctx, ward_db_error *err)
{
    return wdb_dag_count(c, ctx, "dag count", err);
}

bool ward_dag_count(ward_db *db, uint64_t *count, ward_db_error *err)
{
    if (!count) {
        ward_db_fail(db, err, WARD_DB_ERR_ARGUMENT, "dag count", "NULL result");
        return false;
    }
    return wdb_transact(db, "dag count", false, count_body, count, err);
}

/* ---- ancestry ------------------------------------------------------------ */

typedef struct ancestor_args {
    const ward_dag_id *a, *b;
    bool *result;
} ancestor_args;

static bool ancestor_body(wdb *c, void *ctx, ward_db_error *err)
{
    ancestor_args *x = ctx;
    wdb_node_ref a, b;
    if (!wdag_require(c, x->a->bytes, &a, "dag is-ancestor", err) ||
        !wdag_require(c, x->b->bytes, &b, "dag is-ancestor", err))
        return false;
    /* heights decide most questions without a search */
    *x->result = false;
    if (a.height >= b.height)
        return true;
    return wdb_dag_reaches(c, &b, &a, x->result, "dag is-ancestor", err);
}

bool ward_dag_is_ancestor(ward_db *db, const ward_dag_id *a, const ward_dag_id *b, bool *result,
                          ward_db_error *err)
{
    if (!a || !b || !result) {
        ward_db_fail(db, err, WARD_DB_ERR_ARGUMENT, "dag is-ancestor", "NULL id or result");
        return false;
    }
    ancestor_args x = {a, b, result};
    return wdb_transact(db, "dag is-ancestor", false, ancestor_body, &x, err);
}
