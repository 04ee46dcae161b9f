/* Shared by the DAG's files (dag.c, lists.c, walk.c, verify.c). */
#ifndef WARD_DAG_INTERNAL_H
#define WARD_DAG_INTERNAL_H

#include "storage/storage.h"
#include "ward_dag.h"

/* The id of a node's content (the encoding in ward_dag.h). */
void wdag_hash(const uint8_t *payload, size_t len, const uint8_t (*parents)[32], size_t nparents, uint8_t id[32]);

/* Store a node from inside a transaction body (ward_dag_put's, the vault's
 * audit log): its id is computed here, its parents must be in the
 * database (MISSING_PARENT), and a node already there is left as it is
 * (*created false).  The payload and parents are within the limits and the
 * parents distinct: the caller checked. */
bool wdag_put_in(wdb *c, const uint8_t *payload, size_t len, const ward_dag_id *parents, size_t nparents,
                 ward_dag_id *id, bool *created, const char *op, ward_db_error *err);

/* NOT_FOUND naming the id; always false. */
bool wdag_not_found(wdb *c, const uint8_t id[32], const char *op, ward_db_error *err);

/* The node's row, or NOT_FOUND naming the id. */
bool wdag_require(wdb *c, const uint8_t id[32], wdb_node_ref *ref, const char *op, ward_db_error *err);

/* The first 8 bytes of an id in hex, for messages. */
#define WDAG_SHORT 17
void wdag_short(const uint8_t id[32], char out[WDAG_SHORT]);

/* A growing list of ids collected from the backend's listings; max 0 =
 * no limit, else LIMIT past max. */
typedef struct wdag_list {
    ward_dag_id *ids;
    size_t count, cap, max;
    bool over, nomem;
} wdag_list;

bool wdag_list_add(void *ctx, const uint8_t id[32], int64_t row, uint64_t height);
void wdag_list_free(wdag_list *l);

#endif
