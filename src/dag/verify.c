/*
 * ward_dag_verify: every stored node against its content.  The id is
 * recomputed from the payload and the parent ids as stored, so an edited
 * payload, an edited or re-pointed parent link, or an edited id shows up
 * as a node whose content no longer hashes to its id.
 */
#include <stdio.h>
#include <string.h>

#include "dag/dag_internal.h"

typedef struct verify_state {
    ward_dag_report_fn report;
    void *ctx;
    ward_dag_verify_stats stats;
} verify_state;

static void problem(verify_state *v, const uint8_t id[32], ward_dag_problem what, const char *detail)
{
    v->stats.problems++;
    if (v->report) {
        ward_dag_id copy;
        memcpy(copy.bytes, id, 32);
        v->report(v->ctx, &copy, what, detail);
    }
}

static uint64_t expected_height(const wdb_node_scan *n)
{
    uint64_t h = 0;
    for (size_t i = 0; i < n->nlinks; i++)
        if (n->link_heights[i] + 1 > h)
            h = n->link_heights[i] + 1;
    return h;
}

/* The parent links (by row, for searches) must say what the node's own
 * parent list (what its id covers) says. */
static bool links_match(const wdb_node_scan *n)
{
    return n->missing_links == 0 && n->parent_ids_len == 32 * n->nlinks &&
           (n->nlinks == 0 || memcmp(n->parent_ids, n->links, 32 * n->nlinks) == 0);
}

static bool check_node(void *ctx, const wdb_node_scan *n)
{
    verify_state *v = ctx;
    char detail[160];
    v->stats.nodes++;
    if (n->missing_links) {
        snprintf(detail, sizeof detail, "%zu parent link(s) to nodes that are not in the database",
                 n->missing_links);
        problem(v, n->id, WARD_DAG_BAD_PARENT, detail);
    } else if (!links_match(n)) {
        problem(v, n->id, WARD_DAG_BAD_PARENT, "its parent links differ from its parent list (a link edited)");
    }
    uint8_t id[32];
    wdag_hash(n->payload, n->len, (const uint8_t(*)[32])n->parent_ids, n->parent_ids_len / 32, id);
    if (n->parent_ids_len % 32 != 0 || memcmp(id, n->id, 32) != 0) {
        char actual[WDAG_SHORT];
        wdag_short(id, actual);
        snprintf(detail, sizeof detail, "content hashes to %s..., not to its id (payload, parents or id edited)",
                 actual);
        problem(v, n->id, WARD_DAG_BAD_ID, detail);
    }
    if (links_match(n) && n->height != expected_height(n)) {
        snprintf(detail, sizeof detail, "height %llu, but its parents make it %llu", (unsigned long long)n->height,
                 (unsigned long long)expected_height(n));
        problem(v, n->id, WARD_DAG_BAD_HEIGHT, detail);
    }
    if (n->is_tip == n->has_children)
        problem(v, n->id, WARD_DAG_BAD_TIP,
                n->is_tip ? "listed as a tip but has children" : "has no children but is not listed as a tip");
    return true;
}

static bool verify_body(wdb *c, void *ctx, ward_db_error *err)
{
    verify_state *v = ctx;
    v->stats = (ward_dag_verify_stats){0};
    return wdb_dag_scan(c, check_node, v, "dag verify", err);
}

bool ward_dag_verify(ward_db *db, ward_dag_report_fn report, void *ctx, ward_dag_verify_stats *stats,
                     ward_db_error *err)
{
    verify_state v = {report, ctx, {0}};
    bool ok = wdb_transact(db, "dag verify", false, verify_body, &v, err);
    if (stats)
        *stats = v.stats;
    return ok;
}
