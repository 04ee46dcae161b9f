/*
 * The database schema, as migrations: wdb_migrations[v] takes a file at
 * PRAGMA user_version v to v + 1 and runs in the same transaction that
 * sets the new version, so a crash leaves the old schema or the new one.
 * Never edit a released migration: append one.
 */
#include "storage/sqlite_internal.h"

const char *const wdb_migrations[WDB_SCHEMA_VERSION] = {
    /* 0 -> 1 */
    /* small named values: vault parameters, audit chain head */
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;"
    /* DAG nodes; row is the handle edges use (8 bytes, not a 32-byte id);
     * parents is the ordered parent ids back to back, so a get is one row */
    "CREATE TABLE dag_node (row INTEGER PRIMARY KEY, id BLOB NOT NULL UNIQUE, height INTEGER NOT NULL,"
    " payload BLOB NOT NULL, parents BLOB NOT NULL);"
    /* the same parent links by row, for children and ancestry searches */
    "CREATE TABLE dag_edge (child INTEGER NOT NULL, pos INTEGER NOT NULL, parent INTEGER NOT NULL,"
    " PRIMARY KEY (child, pos)) WITHOUT ROWID;"
    "CREATE INDEX dag_edge_by_parent ON dag_edge (parent, child);"
    /* nodes without children, kept by triggers as nodes and links arrive
     * (no scan for tips, and no extra statements per put) */
    "CREATE TABLE dag_tip (row INTEGER PRIMARY KEY);"
    "CREATE TRIGGER dag_node_is_tip AFTER INSERT ON dag_node BEGIN"
    " INSERT OR IGNORE INTO dag_tip (row) VALUES (new.row); END;"
    "CREATE TRIGGER dag_parent_not_tip AFTER INSERT ON dag_edge BEGIN"
    " DELETE FROM dag_tip WHERE row = new.parent; END;"
    /* ---- vault (src/storage/sqlite_vault.c) ---- */
    /* one row per version of a secret, sealed; a tombstone seals nothing */
    "CREATE TABLE vault_secret (name TEXT NOT NULL, version INTEGER NOT NULL, deleted INTEGER NOT NULL,"
    " created INTEGER NOT NULL, nonce BLOB NOT NULL, sealed BLOB NOT NULL, PRIMARY KEY (name, version));"
    /* access rules; AUTOINCREMENT: a revoked rule's number is never given again */
    "CREATE TABLE vault_rule (id INTEGER PRIMARY KEY AUTOINCREMENT, prefix TEXT NOT NULL, perms INTEGER NOT NULL,"
    " kind INTEGER NOT NULL, subject BLOB, level INTEGER NOT NULL);"
    ,
    /* 1 -> 2 */
    /* ---- contract state (src/storage/sqlite_state.c, docs/contracts.md) ---- */
    /* each contract's key/value pairs, keyed (contract, key) so a contract's
     * rows are one range in key order */
    "CREATE TABLE contract_state (contract BLOB NOT NULL, key BLOB NOT NULL, value BLOB NOT NULL,"
    " PRIMARY KEY (contract, key)) WITHOUT ROWID;"
    /* each contract's running state hash (2048-byte lattice accumulator);
     * a rowid table, whose leaves hold a 2 KiB row whole: WITHOUT ROWID
     * keeps at most ~1 KiB in the leaf, so every call's update freed and
     * took an overflow page (and secure_delete zeroed it) */
    "CREATE TABLE contract_root (contract BLOB PRIMARY KEY, acc BLOB NOT NULL);"
    /* ---- registry (src/storage/sqlite_registry.c) ---- */
    /* one row per module, keyed by the SHA-256 of its bytes; names are
     * unique (NULL for none); no size column (length(bytes) is the size,
     * so it cannot disagree with them); the bytes come last so listings
     * never read their overflow pages */
    "CREATE TABLE registry_module (sha256 BLOB NOT NULL PRIMARY KEY, name TEXT UNIQUE,"
    " gas_limit INTEGER NOT NULL, added INTEGER NOT NULL, signed INTEGER NOT NULL,"
    " trust_checked INTEGER NOT NULL, trust_level INTEGER NOT NULL, signer_name TEXT, signer_key BLOB,"
    " bytes BLOB NOT NULL);"
    ,
};
