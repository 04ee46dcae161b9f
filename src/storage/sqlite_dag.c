/* The SQLite backend's DAG statements (schema: sqlite_schema.c). */
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "storage/sqlite_internal.h"

static const char SQL_FIND[] = "SELECT row, height FROM dag_node WHERE id = ?1";
static const char SQL_INSERT_NODE[] = "INSERT OR IGNORE INTO dag_node (id, height, payload, parents)"
                                      " VALUES (?1, ?2, ?3, ?4)";
static const char SQL_INSERT_EDGE[] = "INSERT INTO dag_edge (child, pos, parent) VALUES (?1, ?2, ?3)";
static const char SQL_LOAD[] = "SELECT row, height, payload, parents FROM dag_node WHERE id = ?1";
/* a LEFT JOIN: a link to a row that is gone shows as a NULL id */
static const char SQL_PARENTS[] = "SELECT n.id, n.height FROM dag_edge e LEFT JOIN dag_node n ON n.row = e.parent"
                                  " WHERE e.child = ?1 ORDER BY e.pos";
static const char SQL_PARENT_LIST[] = "SELECT n.id, n.row, n.height FROM dag_edge e JOIN dag_node n"
                                      " ON n.row = e.parent WHERE e.child = ?1 ORDER BY e.pos";
static const char SQL_CHILDREN[] = "SELECT n.id, n.row, n.height FROM dag_edge e JOIN dag_node n ON n.row = e.child"
                                   " WHERE e.parent = ?1 GROUP BY n.row ORDER BY n.id";
/* CROSS JOIN makes SQLite loop over the tips and sort them, instead of
 * walking the id index of every node to meet the ORDER BY. */
static const char SQL_TIPS[] = "SELECT n.id, n.row, n.height FROM dag_tip t CROSS JOIN dag_node n ON n.row = t.row"
                               " ORDER BY n.id";
static const char SQL_COUNT[] = "SELECT count(*) FROM dag_node";
/* Ancestors of ?1 no lower than ?3 (the height of ?2): a's ancestors are
 * all lower than a, so the search never descends below it.  UNION keeps
 * the visited set in SQLite's temporary storage, not in our memory. */
static const char SQL_REACHES[] =
    "WITH RECURSIVE up(row) AS (SELECT ?1"
    " UNION SELECT e.parent FROM up JOIN dag_edge e ON e.child = up.row"
    " JOIN dag_node n ON n.row = e.parent WHERE n.height >= ?3)"
    " SELECT 1 FROM up WHERE row = ?2 LIMIT 1";
static const char SQL_SCAN[] = "SELECT row, id, height, payload, parents,"
                               " EXISTS (SELECT 1 FROM dag_tip t WHERE t.row = dag_node.row),"
                               " EXISTS (SELECT 1 FROM dag_edge e WHERE e.parent = dag_node.row)"
                               " FROM dag_node ORDER BY row";

static bool step_fail(wdb *c, sqlite3_stmt *st, int rc, const char *op, ward_db_error *err)
{
    sqlite3_reset(st);
    return wdb_sql_fail(c, err, op, rc);
}

static bool nomem(wdb *c, sqlite3_stmt *st, const char *op, ward_db_error *err)
{
    sqlite3_reset(st);
    wdb_fail(c, err, WARD_DB_ERR_NOMEM, op, "out of memory");
    return false;
}

bool wdb_dag_find(wdb *c, const uint8_t id[32], wdb_node_ref *ref, bool *found, const char *op,
                  ward_db_error *err)
{
    sqlite3_stmt *st = wdb_stmt(c, SQL_FIND, op, err);
    if (!st)
        return false;
    sqlite3_bind_blob(st, 1, id, 32, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW) {
        ref->row = sqlite3_column_int64(st, 0);
        ref->height = (uint64_t)sqlite3_column_int64(st, 1);
    } else if (rc != SQLITE_DONE) {
        return step_fail(c, st, rc, op, err);
    }
    sqlite3_reset(st);
    return true;
}

static bool insert_edge(wdb *c, int64_t child, size_t pos, int64_t parent, const char *op, ward_db_error *err)
{
    sqlite3_stmt *st = wdb_stmt(c, SQL_INSERT_EDGE, op, err);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, child);
    sqlite3_bind_int64(st, 2, (int64_t)pos);
    sqlite3_bind_int64(st, 3, parent);
    return wdb_exec_stmt(c, st, op, err);
}

bool wdb_dag_insert(wdb *c, const uint8_t id[32], uint64_t height, const uint8_t *payload, size_t len,
                    const uint8_t *parent_ids, const wdb_node_ref *parents, size_t nparents, bool *created,
                    const char *op, ward_db_error *err)
{
    sqlite3_stmt *st = wdb_stmt(c, SQL_INSERT_NODE, op, err);
    if (!st)
        return false;
    sqlite3_bind_blob(st, 1, id, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (int64_t)height);
    sqlite3_bind_blob64(st, 3, len ? (const void *)payload : "", len, SQLITE_STATIC);
    sqlite3_bind_blob64(st, 4, nparents ? (const void *)parent_ids : "", 32 * (sqlite3_uint64)nparents,
                        SQLITE_STATIC);
    if (!wdb_exec_stmt(c, st, op, err))
        return false;
    *created = sqlite3_changes(wdb_handle(c)) == 1;
    if (!*created)
        return true;
    /* the tip table follows by triggers (sqlite_schema.c) */
    int64_t row = sqlite3_last_insert_rowid(wdb_handle(c));
    for (size_t i = 0; i < nparents; i++)
        if (!insert_edge(c, row, i, parents[i].row, op, err))
            return false;
    return true;
}

/* The ids of row's parents in order; a dangling link is counted in
 * *missing and left out. */
static bool load_parents(wdb *c, int64_t row, uint8_t (**ids)[32], uint64_t **heights, size_t *n, size_t *missing,
                         const char *op, ward_db_error *err)
{
    sqlite3_stmt *st = wdb_stmt(c, SQL_PARENTS, op, err);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, row);
    size_t cap_ids = 0, cap_heights = 0;
    *ids = NULL;
    *heights = NULL;
    *n = *missing = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_type(st, 0) == SQLITE_NULL || sqlite3_column_bytes(st, 0) != 32) {
            (*missing)++;
            continue;
        }
        if (!wgrow((void **)ids, &cap_ids, *n + 1, sizeof **ids) ||
            !wgrow((void **)heights, &cap_heights, *n + 1, sizeof **heights))
            return nomem(c, st, op, err);
        memcpy((*ids)[*n], sqlite3_column_blob(st, 0), 32);
        (*heights)[*n] = (uint64_t)sqlite3_column_int64(st, 1);
        (*n)++;
    }
    if (rc != SQLITE_DONE)
        return step_fail(c, st, rc, op, err);
    sqlite3_reset(st);
    return true;
}

/* A stored parent list: a whole number of 32-byte ids, copied out. */
static bool copy_parent_ids(wdb *c, sqlite3_stmt *st, int col, uint8_t (**parents)[32], size_t *n, const char *op,
                            ward_db_error *err)
{
    size_t bytes = (size_t)sqlite3_column_bytes(st, col);
    if (bytes % 32 != 0) {
        wdb_fail(c, err, WARD_DB_ERR_TAMPERED, op, "a stored parent list of %zu bytes (run dag verify)", bytes);
        return false;
    }
    size_t len;
    if (!wdb_column_copy(st, col, (uint8_t **)parents, &len)) {
        wdb_fail(c, err, WARD_DB_ERR_NOMEM, op, "out of memory");
        return false;
    }
    *n = bytes / 32;
    return true;
}

bool wdb_dag_load(wdb *c, const uint8_t id[32], wdb_node_ref *ref, bool *found, uint8_t **payload, size_t *len,
                  uint8_t (**parents)[32], size_t *nparents, const char *op, ward_db_error *err)
{
    *payload = NULL;
    *parents = NULL;
    *nparents = 0;
    sqlite3_stmt *st = wdb_stmt(c, SQL_LOAD, op, err);
    if (!st)
        return false;
    sqlite3_bind_blob(st, 1, id, 32, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (rc == SQLITE_DONE) {
        sqlite3_reset(st);
        return true;
    }
    if (rc != SQLITE_ROW)
        return step_fail(c, st, rc, op, err);
    ref->row = sqlite3_column_int64(st, 0);
    ref->height = (uint64_t)sqlite3_column_int64(st, 1);
    bool ok = copy_parent_ids(c, st, 3, parents, nparents, op, err);
    if (ok && !wdb_column_copy(st, 2, payload, len)) {
        wdb_fail(c, err, WARD_DB_ERR_NOMEM, op, "out of memory");
        ok = false;
    }
    sqlite3_reset(st);
    if (!ok) {
        free(*parents);
        *parents = NULL;
    }
    return ok;
}

static bool list_ids(wdb *c, sqlite3_stmt *st, wdb_id_fn fn, void *ctx, const char *op, ward_db_error *err)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) != 32) {
            sqlite3_reset(st);
            wdb_fail(c, err, WARD_DB_ERR_TAMPERED, op, "a stored node id is not 32 bytes (run dag verify)");
            return false;
        }
        if (!fn(ctx, sqlite3_column_blob(st, 0), sqlite3_column_int64(st, 1), (uint64_t)sqlite3_column_int64(st, 2)))
            break;
    }
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return step_fail(c, st, rc, op, err);
    sqlite3_reset(st);
    return true;
}

bool wdb_dag_parent_list(wdb *c, int64_t row, wdb_id_fn fn, void *ctx, const char *op, ward_db_error *err)
{
    sqlite3_stmt *st = wdb_stmt(c, SQL_PARENT_LIST, op, err);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, row);
    return list_ids(c, st, fn, ctx, op, err);
}

bool wdb_dag_children(wdb *c, int64_t row, wdb_id_fn fn, void *ctx, const char *op, ward_db_error *err)
{
    sqlite3_stmt *st = wdb_stmt(c, SQL_CHILDREN, op, err);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, row);
    return list_ids(c, st, fn, ctx, op, err);
}

bool wdb_dag_tips(wdb *c, wdb_id_fn fn, void *ctx, const char *op, ward_db_error *err)
{
    sqlite3_stmt *st = wdb_stmt(c, SQL_TIPS, op, err);
    return st && list_ids(c, st, fn, ctx, op, err);
}

bool wdb_dag_count(wdb *c, uint64_t *count, const char *op, ward_db_error *err)
{
    sqlite3_stmt *st = wdb_stmt(c, SQL_COUNT, op, err);
    if (!st)
        return false;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        return step_fail(c, st, rc, op, err);
    *count = (uint64_t)sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return true;
}

bool wdb_dag_reaches(wdb *c, const wdb_node_ref *b, const wdb_node_ref *a, bool *result, const char *op,
                     ward_db_error *err)
{
    sqlite3_stmt *st = wdb_stmt(c, SQL_REACHES, op, err);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, b->row);
    sqlite3_bind_int64(st, 2, a->row);
    sqlite3_bind_int64(st, 3, (int64_t)a->height);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return step_fail(c, st, rc, op, err);
    *result = rc == SQLITE_ROW;
    sqlite3_reset(st);
    return true;
}

bool wdb_dag_scan(wdb *c, wdb_scan_fn fn, void *ctx, const char *op, ward_db_error *err)
{
    /* not cached: the per-node parent query runs on the cache meanwhile */
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(wdb_handle(c), SQL_SCAN, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return wdb_sql_fail(c, err, op, rc);
    bool ok = true;
    while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        wdb_node_scan n = {
            .row = sqlite3_column_int64(st, 0),
            .id = sqlite3_column_blob(st, 1),
            .height = (uint64_t)sqlite3_column_int64(st, 2),
            .payload = sqlite3_column_blob(st, 3),
            .len = (size_t)sqlite3_column_bytes(st, 3),
            .parent_ids = sqlite3_column_blob(st, 4),
            .parent_ids_len = (size_t)sqlite3_column_bytes(st, 4),
            .is_tip = sqlite3_column_int(st, 5) != 0,
            .has_children = sqlite3_column_int(st, 6) != 0,
        };
        static const uint8_t no_id[32];
        if (sqlite3_column_bytes(st, 1) != 32)
            n.id = no_id; /* reported as a bad id: nothing hashes to it */
        uint8_t(*links)[32] = NULL;
        uint64_t *heights = NULL;
        ok = load_parents(c, n.row, &links, &heights, &n.nlinks, &n.missing_links, op, err);
        if (ok) {
            n.links = (const uint8_t(*)[32])links;
            n.link_heights = heights;
            if (!fn(ctx, &n))
                rc = SQLITE_DONE;
        }
        free(links);
        free(heights);
        if (rc == SQLITE_DONE)
            break;
    }
    if (ok && rc != SQLITE_DONE && rc != SQLITE_ROW)
        ok = wdb_sql_fail(c, err, op, rc);
    sqlite3_finalize(st);
    return ok;
}
