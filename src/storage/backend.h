/*
 * The storage backend: every operation ward's services (DAG, vault, and
 * the contract state to come) do on a database, and nothing else.  This is
 * the only interface to SQL: the services above it never see a statement,
 * so a server-grade backend (PostgreSQL, docs/storage.md) implements these
 * functions and nothing above changes.  The SQLite backend is sqlite*.c.
 *
 * A wdb is one connection.  It is not locked: ward_db (db.c) serializes
 * callers and runs each operation in wdb_transact, which is where
 * transactions, savepoints and the busy-retry policy live.  Every function
 * taking a ward_db_error fills it on failure (op is the caller's).
 */
#ifndef WARD_STORAGE_BACKEND_H
#define WARD_STORAGE_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ward_storage.h"

typedef struct wdb wdb;

/* ---- connection ---------------------------------------------------------- */

/* Open, check the schema version (refusing a newer or foreign file before
 * writing anything), switch to WAL and migrate to the current schema. */
wdb *wdb_open(const char *path, const ward_db_options *opts, ward_db_error *err);
void wdb_close(wdb *c);
const char *wdb_path(const wdb *c);

/* The error record for a failure of kind in op: "PATH: OP: message". */
void wdb_fail(const wdb *c, ward_db_error *err, ward_db_error_kind kind, const char *op, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* ---- transactions -------------------------------------------------------- */

/* BEGIN (IMMEDIATE when write: the write lock is taken up front, so a
 * transaction never fails half way for want of it).  BUSY when the lock
 * stays held past the busy timeout. */
bool wdb_begin(wdb *c, bool write, const char *op, ward_db_error *err);
bool wdb_commit(wdb *c, const char *op, ward_db_error *err);
void wdb_rollback(wdb *c);
/* A savepoint inside a transaction: release keeps its work, undo drops it. */
bool wdb_savepoint(wdb *c, const char *op, ward_db_error *err);
bool wdb_release(wdb *c, const char *op, ward_db_error *err);
void wdb_undo(wdb *c);
bool wdb_integrity_check(wdb *c, bool *ok, ward_db_error *err);

/* ---- metadata: small named values (vault parameters, chain heads) -------- */

/* *found false when the key is absent; *value is malloc'd (free it). */
bool wdb_meta_get(wdb *c, const char *key, uint8_t **value, size_t *len, bool *found, const char *op,
                  ward_db_error *err);
bool wdb_meta_put(wdb *c, const char *key, const uint8_t *value, size_t len, const char *op, ward_db_error *err);

/* ---- DAG nodes ----------------------------------------------------------- */

/* A node's row: its handle in this database and its height. */
typedef struct wdb_node_ref {
    int64_t row;
    uint64_t height;
} wdb_node_ref;

bool wdb_dag_find(wdb *c, const uint8_t id[32], wdb_node_ref *ref, bool *found, const char *op,
                  ward_db_error *err);
/* Insert a node whose parents (ids back to back in parent_ids, rows in
 * parents, in order) exist, unless a node with this id is there already
 * (*created false: the same content, nothing to do).  A new node becomes
 * a tip and its parents stop being tips. */
bool wdb_dag_insert(wdb *c, const uint8_t id[32], uint64_t height, const uint8_t *payload, size_t len,
                    const uint8_t *parent_ids, const wdb_node_ref *parents, size_t nparents, bool *created,
                    const char *op, ward_db_error *err);
/* The stored payload (malloc'd, *payload may be NULL when len is 0) and
 * parent ids (malloc'd 32-byte ids, in order) of a node, found by id in
 * one statement (*found false when absent).  A parent list that is not a
 * whole number of ids is TAMPERED. */
bool wdb_dag_load(wdb *c, const uint8_t id[32], wdb_node_ref *ref, bool *found, uint8_t **payload, size_t *len,
                  uint8_t (**parents)[32], size_t *nparents, const char *op, ward_db_error *err);

/* Called with each id of a list; false stops the listing. */
typedef bool (*wdb_id_fn)(void *ctx, const uint8_t id[32], int64_t row, uint64_t height);
/* Parents of row in their order; children of row and tips by id. */
bool wdb_dag_parent_list(wdb *c, int64_t row, wdb_id_fn fn, void *ctx, const char *op, ward_db_error *err);
bool wdb_dag_children(wdb *c, int64_t row, wdb_id_fn fn, void *ctx, const char *op, ward_db_error *err);
bool wdb_dag_tips(wdb *c, wdb_id_fn fn, void *ctx, const char *op, ward_db_error *err);
bool wdb_dag_count(wdb *c, uint64_t *count, const char *op, ward_db_error *err);
/* Is a reachable from b through parent links?  Visits only nodes higher
 * than a (in the database, not in memory). */
bool wdb_dag_reaches(wdb *c, const wdb_node_ref *b, const wdb_node_ref *a, bool *result, const char *op,
                     ward_db_error *err);

/* Every node as stored, for verification, in row order. */
typedef struct wdb_node_scan {
    int64_t row;
    const uint8_t *id;          /* 32 bytes as stored */
    uint64_t height;
    const uint8_t *payload;
    size_t len;
    const uint8_t *parent_ids;  /* the node's parent list as stored */
    size_t parent_ids_len;      /* bytes (a whole number of ids unless damaged) */
    size_t nlinks;
    const uint8_t (*links)[32]; /* ids at the ends of its parent links, in order */
    const uint64_t *link_heights;
    size_t missing_links;       /* links to rows that are not there */
    bool is_tip;                /* listed as a tip */
    bool has_children;
} wdb_node_scan;

typedef bool (*wdb_scan_fn)(void *ctx, const wdb_node_scan *node);
bool wdb_dag_scan(wdb *c, wdb_scan_fn fn, void *ctx, const char *op, ward_db_error *err);

/* ---- vault ---- (src/vault, sqlite_vault.c) ------------------------------ */

/* One version of a secret as stored: a sealed value, or a tombstone
 * (deleted, sealing an empty value).  sealed is ciphertext || tag. */
typedef struct wdb_vault_row {
    uint64_t version;
    bool deleted;
    int64_t created;            /* Unix time */
    uint8_t nonce[24];
    uint8_t *sealed;            /* malloc'd when loaded */
    size_t sealed_len;
} wdb_vault_row;

/* The highest version of name: *found false when it has none. */
bool wdb_vault_latest(wdb *c, const char *name, uint64_t *version, bool *deleted, bool *found, const char *op,
                      ward_db_error *err);
bool wdb_vault_insert(wdb *c, const char *name, const wdb_vault_row *row, const char *op, ward_db_error *err);
/* Version `version` of name (row->sealed malloc'd: free it). */
bool wdb_vault_load(wdb *c, const char *name, uint64_t version, wdb_vault_row *row, bool *found, const char *op,
                    ward_db_error *err);
/* Names starting with prefix whose latest version is not a tombstone,
 * sorted; every version of one name, oldest first (sealed not loaded). */
typedef bool (*wdb_name_fn)(void *ctx, const char *name);
typedef bool (*wdb_version_fn)(void *ctx, const wdb_vault_row *row);
bool wdb_vault_names(wdb *c, const char *prefix, wdb_name_fn fn, void *ctx, const char *op, ward_db_error *err);
bool wdb_vault_versions(wdb *c, const char *name, wdb_version_fn fn, void *ctx, const char *op,
                        ward_db_error *err);

/* Access rules.  subject is 32 bytes (NULL for a level rule). */
typedef struct wdb_vault_rule_row {
    int64_t id;
    const char *prefix;
    uint32_t perms;
    uint32_t kind;
    const uint8_t *subject;
    uint32_t level;
} wdb_vault_rule_row;
typedef bool (*wdb_rule_fn)(void *ctx, const wdb_vault_rule_row *rule);
/* Inserts with id one above the highest ever used; *id gets it. */
bool wdb_vault_rule_insert(wdb *c, const wdb_vault_rule_row *rule, int64_t *id, const char *op, ward_db_error *err);
bool wdb_vault_rule_delete(wdb *c, int64_t id, bool *found, const char *op, ward_db_error *err);
/* Every rule by id. */
bool wdb_vault_rules(wdb *c, wdb_rule_fn fn, void *ctx, const char *op, ward_db_error *err);

/* ---- contract state ---- (src/contract, sqlite_state.c) ------------------ */

/* contract is a 32-byte id.  get: *value malloc'd (NULL when empty or
 * absent), *found false when absent. */
bool wdb_state_get(wdb *c, const uint8_t contract[32], const uint8_t *key, size_t klen, uint8_t **value,
                   size_t *vlen, bool *found, const char *op, ward_db_error *err);
bool wdb_state_put(wdb *c, const uint8_t contract[32], const uint8_t *key, size_t klen, const uint8_t *value,
                   size_t vlen, const char *op, ward_db_error *err);
bool wdb_state_delete(wdb *c, const uint8_t contract[32], const uint8_t *key, size_t klen, const char *op,
                      ward_db_error *err);
/* The contract's state accumulator (WDB_STATE_ACC_BYTES; all zero when
 * the contract has no row yet) and its replacement. */
#define WDB_STATE_ACC_BYTES 2048
bool wdb_state_acc_get(wdb *c, const uint8_t contract[32], uint8_t acc[WDB_STATE_ACC_BYTES], const char *op,
                       ward_db_error *err);
bool wdb_state_acc_put(wdb *c, const uint8_t contract[32], const uint8_t acc[WDB_STATE_ACC_BYTES], const char *op,
                       ward_db_error *err);
/* Every (key, value) of a contract in key order (bytewise); false from fn stops. */
typedef bool (*wdb_state_fn)(void *ctx, const uint8_t *key, size_t klen, const uint8_t *value, size_t vlen);
bool wdb_state_scan(wdb *c, const uint8_t contract[32], wdb_state_fn fn, void *ctx, const char *op,
                    ward_db_error *err);

/* ---- registry ---- (src/registry, sqlite_registry.c) --------------------- */

/* One module of the registry as stored.  Strings and blobs handed to a
 * wdb_registry_fn are valid during the call only. */
typedef struct wdb_registry_row {
    uint8_t sha256[32];
    const char *name;           /* NULL: no name */
    uint64_t gas_limit;
    uint64_t size;              /* length of the stored bytes (not a column: read, never written) */
    int64_t added;              /* Unix time */
    bool is_signed;
    bool trust_checked;         /* a trust store decided trust_level */
    uint32_t trust_level;
    const char *signer_name;    /* NULL: no signer */
    const uint8_t *signer_key;  /* 32 bytes, or NULL */
    const uint8_t *bytes;       /* the module; NULL when not asked for */
    size_t len;
} wdb_registry_row;

typedef bool (*wdb_registry_fn)(void *ctx, const wdb_registry_row *row);

/* The module whose hash is sha256 (when not NULL) or else whose name is
 * name, passed to fn, with its bytes when with_bytes; *found false when
 * there is none (fn not called).  fn returns false when out of memory. */
bool wdb_registry_lookup(wdb *c, const uint8_t *sha256, const char *name, bool with_bytes, wdb_registry_fn fn,
                         void *ctx, bool *found, const char *op, ward_db_error *err);
/* A new module (every field, bytes included). */
bool wdb_registry_insert(wdb *c, const wdb_registry_row *row, const char *op, ward_db_error *err);
/* Name, gas limit and signature fields of the module row->sha256. */
bool wdb_registry_update(wdb *c, const wdb_registry_row *row, const char *op, ward_db_error *err);
/* The module named name loses its name (it stays under its hash). */
bool wdb_registry_unname(wdb *c, const char *name, const char *op, ward_db_error *err);
bool wdb_registry_delete(wdb *c, const uint8_t sha256[32], bool *found, const char *op, ward_db_error *err);
/* Every module without its bytes: named ones by name, then the rest by hash. */
bool wdb_registry_list(wdb *c, wdb_registry_fn fn, void *ctx, const char *op, ward_db_error *err);

#endif
