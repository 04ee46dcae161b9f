/*
 * The DAG's operations on the storage backend (docs/dag.md): ids, put,
 * get and the listings.  Walks are in walk.c, verification in verify.c.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "dag/dag_internal.h"

static const char dag_domain[] = "ward-dag-v1"; /* 11 bytes, no NUL */

static void put_le(uint8_t *out, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        out[i] = (uint8_t)(v >> (8 * i));
}

void wdag_hash(const uint8_t *payload, size_t len, const uint8_t (*parents)[32], size_t nparents, uint8_t id[32])
{
    wcrypto_hash h;
    uint8_t len8[8], count4[4];
    put_le(len8, len, 8);
    put_le(count4, nparents, 4);
    wcrypto_hash_init(&h, WCRYPTO_BLAKE2B, WARD_DAG_ID_BYTES, NULL, 0);
    wcrypto_hash_update(&h, (const uint8_t *)dag_domain, sizeof dag_domain - 1);
    wcrypto_hash_update(&h, len8, sizeof len8);
    wcrypto_hash_update(&h, payload, len);
    wcrypto_hash_update(&h, count4, sizeof count4);
    wcrypto_hash_update(&h, (const uint8_t *)parents, 32 * nparents);
    wcrypto_hash_final(&h, id);
}

bool ward_dag_id_of(const uint8_t *payload, size_t len, const ward_dag_id *parents, size_t nparents,
                    ward_dag_id *id)
{
    if (!id || (len && !payload) || (nparents && !parents) || len > WARD_DAG_MAX_PAYLOAD ||
        nparents > WARD_DAG_MAX_PARENTS)
        return false;
    /* ward_dag_id is exactly 32 bytes: an array of them is an array of ids */
    _Static_assert(sizeof(ward_dag_id) == 32, "ward_dag_id is 32 bytes");
    wdag_hash(payload, len, (const uint8_t(*)[32])parents, nparents, id->bytes);
    return true;
}

void ward_dag_id_to_hex(const ward_dag_id *id, char hex[2 * WARD_DAG_ID_BYTES + 1])
{
    wcrypto_to_hex(hex, id->bytes, WARD_DAG_ID_BYTES);
}

bool ward_dag_id_from_hex(const char *hex, ward_dag_id *id)
{
    return hex && id && strlen(hex) == 2 * WARD_DAG_ID_BYTES &&
           wcrypto_from_hex(id->bytes, WARD_DAG_ID_BYTES, hex, 2 * WARD_DAG_ID_BYTES);
}

void wdag_short(const uint8_t id[32], char out[WDAG_SHORT])
{
    wcrypto_to_hex(out, id, (WDAG_SHORT - 1) / 2);
}

bool wdag_not_found(wdb *c, const uint8_t id[32], const char *op, ward_db_error *err)
{
    char hex[2 * WARD_DAG_ID_BYTES + 1];
    wcrypto_to_hex(hex, id, WARD_DAG_ID_BYTES);
    wdb_fail(c, err, WARD_DB_ERR_NOT_FOUND, op, "no node %s", hex);
    return false;
}

bool wdag_require(wdb *c, const uint8_t id[32], wdb_node_ref *ref, const char *op, ward_db_error *err)
{
    bool found;
    if (!wdb_dag_find(c, id, ref, &found, op, err))
        return false;
    return found || wdag_not_found(c, id, op, err);
}

/* ---- put ----------------------------------------------------------------- */

/* Parents found for a put: on the stack for the usual few. */
#define PUT_STACK_PARENTS 16

static bool find_parents(wdb *c, const ward_dag_id *parents, size_t n, wdb_node_ref *refs, uint64_t *height,
                         const char *op, ward_db_error *err)
{
    *height = 0;
    for (size_t i = 0; i < n; i++) {
        bool found;
        if (!wdb_dag_find(c, parents[i].bytes, &refs[i], &found, op, err))
            return false;
        if (!found) {
            char hex[2 * WARD_DAG_ID_BYTES + 1];
            ward_dag_id_to_hex(&parents[i], hex);
            wdb_fail(c, err, WARD_DB_ERR_MISSING_PARENT, op, "parent %zu (%s) is not in the database", i, hex);
            return false;
        }
        if (refs[i].height + 1 > *height)
            *height = refs[i].height + 1;
    }
    return true;
}

bool wdag_put_in(wdb *c, const uint8_t *payload, size_t len, const ward_dag_id *parents, size_t nparents,
                 ward_dag_id *id, bool *created, const char *op, ward_db_error *err)
{
    wdb_node_ref stack[PUT_STACK_PARENTS];
    wdb_node_ref *refs = nparents <= PUT_STACK_PARENTS ? stack : malloc(nparents * sizeof *refs);
    if (!refs) {
        wdb_fail(c, err, WARD_DB_ERR_NOMEM, op, "out of memory");
        return false;
    }
    uint64_t height;
    wdag_hash(payload, len, (const uint8_t(*)[32])parents, nparents, id->bytes);
    bool ok = find_parents(c, parents, nparents, refs, &height, op, err) &&
              wdb_dag_insert(c, id->bytes, height, payload, len, (const uint8_t *)parents, refs, nparents, created,
                             op, err);
    if (refs != stack)
        free(refs);
    return ok;
}

typedef struct put_args {
    const uint8_t *payload;
    size_t len;
    const ward_dag_id *parents;
    size_t nparents;
    ward_dag_id *id;
    bool created;
} put_args;

static bool put_body(wdb *c, void *ctx, ward_db_error *err)
{
    put_args *a = ctx;
    return wdag_put_in(c, a->payload, a->len, a->parents, a->nparents, a->id, &a->created, "dag put", err);
}

static bool has_duplicate(const ward_dag_id *ids, size_t n, size_t *dup)
{
    for (size_t i = 1; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (memcmp(ids[i].bytes, ids[j].bytes, WARD_DAG_ID_BYTES) == 0) {
                *dup = i;
                return true;
            }
    return false;
}

static bool put_args_valid(ward_db *db, const uint8_t *payload, size_t len, const ward_dag_id *parents,
                           size_t nparents, const ward_dag_id *id, ward_db_error *err)
{
    size_t dup;
    if (!id || (len && !payload) || (nparents && !parents))
        ward_db_fail(db, err, WARD_DB_ERR_ARGUMENT, "dag put", "NULL payload, parents or id");
    else if (len > WARD_DAG_MAX_PAYLOAD)
        ward_db_fail(db, err, WARD_DB_ERR_ARGUMENT, "dag put", "payload of %zu bytes (at most %u)", len,
                     WARD_DAG_MAX_PAYLOAD);
    else if (nparents > WARD_DAG_MAX_PARENTS)
        ward_db_fail(db, err, WARD_DB_ERR_ARGUMENT, "dag put", "%zu parents (at most %u)", nparents,
                     WARD_DAG_MAX_PARENTS);
    else if (nparents > 1 && nparents <= 64 && has_duplicate(parents, nparents, &dup))
        ward_db_fail(db, err, WARD_DB_ERR_ARGUMENT, "dag put", "parent %zu is given twice", dup);
    else
        return true;
    return false;
}

/* Parent lists over 64 are checked for duplicates by sorting a copy. */
static int id_cmp(const void *a, const void *b)
{
    return memcmp(a, b, WARD_DAG_ID_BYTES);
}

static bool many_parents_distinct(ward_db *db, const ward_dag_id *parents, size_t n, ward_db_error *err)
{
    if (n <= 64)
        return true;
    ward_dag_id *copy = malloc(n * sizeof *copy);
    if (!copy) {
        ward_db_fail(db, err, WARD_DB_ERR_NOMEM, "dag put", "out of memory");
        return false;
    }
    memcpy(copy, parents, n * sizeof *copy);
    qsort(copy, n, sizeof *copy, id_cmp);
    bool distinct = true;
    for (size_t i = 1; i < n && distinct; i++)
        distinct = id_cmp(&copy[i - 1], &copy[i]) != 0;
    free(copy);
    if (!distinct)
        ward_db_fail(db, err, WARD_DB_ERR_ARGUMENT, "dag put", "a parent is given twice");
    return distinct;
}

bool ward_dag_put(ward_db *db, const uint8_t *payload, size_t len, const ward_dag_id *parents, size_t nparents,
                  ward_dag_id *id, bool *created, ward_db_error *err)
{
    if (!put_args_valid(db, payload, len, parents, nparents, id, err) ||
        !many_parents_distinct(db, parents, nparents, err))
        return false;
    put_args a = {payload, len, parents, nparents, id, false};
    bool ok = wdb_transact(db, "dag put", true, put_body, &a, err);
    if (created)
        *created = ok && a.created;
    return ok;
}

/* ---- get, has ------------------------------------------------------------ */

typedef struct get_args {
    const ward_dag_id *id;
    ward_dag_node *out;
} get_args;

static bool get_body(wdb *c, void *ctx, ward_db_error *err)
{
    get_args *a = ctx;
    wdb_node_ref ref;
    bool found;
    uint8_t(*parents)[32] = NULL;
    if (!wdb_dag_load(c, a->id->bytes, &ref, &found, &a->out->payload, &a->out->len, &parents, &a->out->nparents,
                      "dag get", err))
        return false;
    if (!found)
        return wdag_not_found(c, a->id->bytes, "dag get", err);
    a->out->parents = (ward_dag_id *)parents;
    a->out->height = ref.height;
    a->out->id = *a->id;
    return true;
}

bool ward_dag_get(ward_db *db, const ward_dag_id *id, ward_dag_node *out, ward_db_error *err)
{
    if (!out || !id) {
        ward_db_fail(db, err, WARD_DB_ERR_ARGUMENT, "dag get", "NULL id or node");
        return false;
    }
    memset(out, 0, sizeof *out);
    get_args a = {id, out};
    return wdb_read_one(db, "dag get", get_body, &a, err);
}

void ward_dag_node_free(ward_dag_node *node)
{
    if (!node)
        return;
    free(node->payload);
    free(node->parents);
    memset(node, 0, sizeof *node);
}

typedef struct has_args {
    const ward_dag_id *id;
    bool *has;
} has_args;

static bool has_body(wdb *c, void *ctx, ward_db_error *err)
{
    has_args *a = ctx;
    wdb_node_ref ref;
    return wdb_dag_find(c, a->id->bytes, &ref, a->has, "dag has", err);
}

bool ward_dag_has(ward_db *db, const ward_dag_id *id, bool *has, ward_db_error *err)
{
    if (!id || !has) {
        ward_db_fail(db, err, WARD_DB_ERR_ARGUMENT, "dag has", "NULL id or result");
        return false;
    }
    has_args a = {id, has};
    return wdb_read_one(db, "dag has", has_body, &a, err);
}
