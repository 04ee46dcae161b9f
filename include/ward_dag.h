/*
 * ward DAG (docs/dag.md): content-addressed nodes in a ward_db.
 *
 * A node is payload bytes and an ordered list of parent ids; its id is the
 * BLAKE2b-256 of the canonical encoding
 *
 *     "ward-dag-v1" (11 bytes) || u64le(payload length) || payload
 *         || u32le(parent count) || parent ids (32 bytes each, in order)
 *
 * Parents must be in the database before a child is added, so the graph is
 * acyclic by construction; adding a node that is already there changes
 * nothing.  A node's height is 0 without parents, else one more than its
 * highest parent: an ancestor is always lower than its descendants, which
 * bounds ancestry searches and orders walks topologically.
 */
#ifndef WARD_DAG_H
#define WARD_DAG_H

#include "ward_storage.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WARD_DAG_ID_BYTES 32
#define WARD_DAG_MAX_PAYLOAD (16u * 1024 * 1024) /* bytes per node */
#define WARD_DAG_MAX_PARENTS 1024u               /* parents per node */

typedef struct ward_dag_id {
    uint8_t bytes[WARD_DAG_ID_BYTES];
} ward_dag_id;

/* The id of a node (the encoding above), without storing anything; false
 * when the payload or the parents are over their limits. */
bool ward_dag_id_of(const uint8_t *payload, size_t len, const ward_dag_id *parents, size_t nparents,
                    ward_dag_id *id);
/* 64 lowercase hex digits and a NUL. */
void ward_dag_id_to_hex(const ward_dag_id *id, char hex[2 * WARD_DAG_ID_BYTES + 1]);
/* Exactly 64 hex digits (either case). */
bool ward_dag_id_from_hex(const char *hex, ward_dag_id *id);

/* Store a node; *id gets its id and *created (may be NULL) whether it is
 * new.  MISSING_PARENT names the first parent not in the database;
 * ARGUMENT for a payload or parent count over the limits or a parent given
 * twice. */
bool ward_dag_put(ward_db *db, const uint8_t *payload, size_t len, const ward_dag_id *parents, size_t nparents,
                  ward_dag_id *id, bool *created, ward_db_error *err);

/* A node as stored; free it with ward_dag_node_free. */
typedef struct ward_dag_node {
    ward_dag_id id;
    uint8_t *payload;
    size_t len;
    ward_dag_id *parents;
    size_t nparents;
    uint64_t height;
} ward_dag_node;

/* NOT_FOUND when there is no such node. */
bool ward_dag_get(ward_db *db, const ward_dag_id *id, ward_dag_node *out, ward_db_error *err);
void ward_dag_node_free(ward_dag_node *node);
bool ward_dag_has(ward_db *db, const ward_dag_id *id, bool *has, ward_db_error *err);

/* Lists of ids, ordered by id bytes; free with ward_dag_ids_free.  At most
 * max ids (0 = no limit): LIMIT when there are more. */
typedef struct ward_dag_ids {
    ward_dag_id *ids;
    size_t count;
} ward_dag_ids;
void ward_dag_ids_free(ward_dag_ids *ids);
bool ward_dag_parents(ward_db *db, const ward_dag_id *id, ward_dag_ids *out, ward_db_error *err);
bool ward_dag_children(ward_db *db, const ward_dag_id *id, size_t max, ward_dag_ids *out, ward_db_error *err);
/* Nodes with no children. */
bool ward_dag_tips(ward_db *db, size_t max, ward_dag_ids *out, ward_db_error *err);
bool ward_dag_count(ward_db *db, uint64_t *count, ward_db_error *err);

/* Is a an ancestor of b (reachable from b through parents)?  A node is not
 * its own ancestor.  Searches the database, never loading the graph:
 * only nodes higher than a are visited.  NOT_FOUND when either is absent. */
bool ward_dag_is_ancestor(ward_db *db, const ward_dag_id *a, const ward_dag_id *b, bool *result,
                          ward_db_error *err);

/*
 * A bounded walk from start through parents (toward the roots) or through
 * children (toward the tips): every node at most max_depth steps away,
 * where at most max_breadth nodes are taken at each depth (the first by id
 * when there are more; *truncated says so).  The result lists start and
 * the nodes reached in topological order: for parents descendants before
 * ancestors (height falling), for children the reverse; ties by id.
 */
typedef enum ward_dag_direction {
    WARD_DAG_TO_PARENTS = 0,
    WARD_DAG_TO_CHILDREN = 1,
} ward_dag_direction;

typedef struct ward_dag_walk_limits {
    ward_dag_direction direction;
    uint32_t max_depth;         /* 0 = start alone */
    uint32_t max_breadth;       /* nodes per depth; 0 = default (1024) */
} ward_dag_walk_limits;

typedef struct ward_dag_walk_entry {
    ward_dag_id id;
    uint32_t depth;             /* steps from start on the shortest path */
    uint64_t height;
} ward_dag_walk_entry;

typedef struct ward_dag_walk {
    ward_dag_walk_entry *entries;
    size_t count;
    bool truncated;             /* a depth had more nodes than max_breadth */
} ward_dag_walk;

bool ward_dag_walk_from(ward_db *db, const ward_dag_id *start, const ward_dag_walk_limits *limits,
                        ward_dag_walk *out, ward_db_error *err);
void ward_dag_walk_free(ward_dag_walk *walk);

/*
 * Check every stored node: its id recomputed from its payload and parents,
 * every parent present, its height one more than its highest parent's, the
 * tips as the nodes without children.  Each problem goes to report (may be
 * NULL) with the node's id; false only when the check itself cannot run.
 */
typedef enum ward_dag_problem {
    WARD_DAG_BAD_ID = 1,        /* content does not hash to the id it is stored under */
    WARD_DAG_BAD_PARENT,        /* a parent link to a node that is not there */
    WARD_DAG_BAD_HEIGHT,        /* a height that does not follow from the parents */
    WARD_DAG_BAD_TIP,           /* listed as a tip with children, or not listed without */
} ward_dag_problem;

typedef void (*ward_dag_report_fn)(void *ctx, const ward_dag_id *id, ward_dag_problem problem,
                                   const char *detail);

typedef struct ward_dag_verify_stats {
    uint64_t nodes;             /* nodes checked */
    uint64_t problems;          /* problems reported */
} ward_dag_verify_stats;

bool ward_dag_verify(ward_db *db, ward_dag_report_fn report, void *ctx, ward_dag_verify_stats *stats,
                     ward_db_error *err);

#ifdef __cplusplus
}
#endif
#endif
