/*
 * ward storage (docs/storage.md): one database file holds a DAG of
 * content-addressed nodes (ward_dag.h), a vault of encrypted secrets
 * (ward_vault.h) and a registry of modules (ward_registry.h), durable on
 * SQLite in WAL mode.
 *
 *     ward_db_error err;
 *     ward_db *db = ward_db_open("state.db", NULL, &err);   // creates it
 *     ...                                                   // ward_dag_*, ward_vault_*
 *     ward_db_close(db);
 *
 * Every operation is one transaction of its own, unless the caller groups
 * several with ward_db_begin / ward_db_commit (a batch: one disk sync for
 * all of them).  A ward_db may be shared by threads (it holds a mutex), and
 * any number of processes may open the same file: a writer that finds the
 * file locked waits and retries up to the busy timeout before it gives up
 * with WARD_DB_ERR_BUSY.
 *
 * Every failing call fills a ward_db_error record: what went wrong (kind),
 * in which operation, the backend's own code, and a one-line message that
 * names the file.  Secrets never appear in messages.
 * Built with -Dstorage=enabled (WARD_HAVE_STORAGE in ward_features.h).
 */
#ifndef WARD_STORAGE_H
#define WARD_STORAGE_H

#include "ward.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ward_db ward_db;

typedef enum ward_db_error_kind {
    WARD_DB_OK = 0,
    WARD_DB_ERR_ARGUMENT,       /* NULL or unusable argument (a name, a size over its limit) */
    WARD_DB_ERR_NOMEM,          /* out of memory */
    WARD_DB_ERR_CANTOPEN,       /* the file cannot be opened or created */
    WARD_DB_ERR_NOT_DATABASE,   /* the file is not a ward database (or not SQLite at all) */
    WARD_DB_ERR_CORRUPT,        /* the database file is damaged */
    WARD_DB_ERR_NEWER_SCHEMA,   /* written by a newer ward: this one will not touch it */
    WARD_DB_ERR_READONLY,       /* a write to a database opened or mounted read-only */
    WARD_DB_ERR_FULL,           /* the disk (or the file size limit) is full */
    WARD_DB_ERR_BUSY,           /* other writers held the file past the busy timeout */
    WARD_DB_ERR_IO,             /* any other I/O error */
    WARD_DB_ERR_NOT_FOUND,      /* no such node, secret or version */
    WARD_DB_ERR_MISSING_PARENT, /* a DAG parent that is not in the database */
    WARD_DB_ERR_LIMIT,          /* a walk or a list over the caller's limit */
    WARD_DB_ERR_DENIED,         /* the vault's rules refuse the access (it is audited) */
    WARD_DB_ERR_KEY,            /* wrong passphrase or key, or a vault not initialised */
    WARD_DB_ERR_EXISTS,         /* a vault already initialised */
    WARD_DB_ERR_TAMPERED,       /* stored data that fails its hash or authentication */
    WARD_DB_ERR_TRANSACTION,    /* begin inside a batch, commit or rollback outside one */
} ward_db_error_kind;

typedef struct ward_db_error {
    ward_db_error_kind kind;
    const char *op;             /* the operation, e.g. "dag put" (static text) */
    int backend_code;           /* SQLite's extended result code, or 0 */
    /* one line: "state.db: dag put: parent 3f1a… is not in the database" */
    char message[400];
} ward_db_error;

/* The kind's short name ("busy", "missing parent", ...). */
const char *ward_db_error_kind_name(ward_db_error_kind kind);

typedef struct ward_db_options {
    bool read_only;             /* open for reading only; writes fail READONLY */
    bool create;                /* create the file when missing (default true) */
    uint32_t busy_timeout_ms;   /* how long a writer waits for the lock; 0 = default (5000) */
} ward_db_options;

void ward_db_options_default(ward_db_options *opts);

/* Open (or create) the database at path; opts NULL for the defaults.  A
 * file from a newer ward, a damaged file or a file that is not a ward
 * database is refused as it is: nothing is written to it. */
ward_db *ward_db_open(const char *path, const ward_db_options *opts, ward_db_error *err);
/* Rolls back a batch left open.  NULL is fine. */
void ward_db_close(ward_db *db);
const char *ward_db_path(const ward_db *db);

/* Group the following operations into one transaction (a batch): they
 * become durable together at ward_db_commit, or not at all.  A failing
 * operation inside a batch undoes only itself.  Batches do not nest. */
bool ward_db_begin(ward_db *db, ward_db_error *err);
bool ward_db_commit(ward_db *db, ward_db_error *err);
bool ward_db_rollback(ward_db *db, ward_db_error *err);

/* A read batch: the following reads see one snapshot of the file (writers
 * elsewhere go on; what they commit shows after the batch ends) and skip
 * the per-operation transaction, which makes many small reads several
 * times faster.  A write inside it fails TRANSACTION.  End it with
 * ward_db_commit or ward_db_rollback (the same for a read batch). */
bool ward_db_begin_read(ward_db *db, ward_db_error *err);

/* The backend's own consistency check (SQLite's PRAGMA integrity_check):
 * true with *ok set; *ok false when the file is damaged. */
bool ward_db_integrity_check(ward_db *db, bool *ok, ward_db_error *err);

#ifdef __cplusplus
}
#endif
#endif
