#define _POSIX_C_SOURCE 200809L /* clock_gettime, nanosleep */
/*
 * ward_db: a backend connection behind a mutex, batches, and the one place
 * operations become transactions (wdb_transact) with the busy-retry policy.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "storage/storage.h"

typedef enum batch_kind { NO_BATCH, WRITE_BATCH, READ_BATCH } batch_kind;

struct ward_db {
    pthread_mutex_t lock;
    wdb *conn;
    batch_kind batch;
    uint32_t busy_timeout_ms;
};

static const char *const kind_names[] = {
    [WARD_DB_OK] = "ok",
    [WARD_DB_ERR_ARGUMENT] = "bad argument",
    [WARD_DB_ERR_NOMEM] = "out of memory",
    [WARD_DB_ERR_CANTOPEN] = "cannot open",
    [WARD_DB_ERR_NOT_DATABASE] = "not a ward database",
    [WARD_DB_ERR_CORRUPT] = "corrupt",
    [WARD_DB_ERR_NEWER_SCHEMA] = "newer schema",
    [WARD_DB_ERR_READONLY] = "read-only",
    [WARD_DB_ERR_FULL] = "disk full",
    [WARD_DB_ERR_BUSY] = "busy",
    [WARD_DB_ERR_IO] = "I/O error",
    [WARD_DB_ERR_NOT_FOUND] = "not found",
    [WARD_DB_ERR_MISSING_PARENT] = "missing parent",
    [WARD_DB_ERR_LIMIT] = "over the limit",
    [WARD_DB_ERR_DENIED] = "denied",
    [WARD_DB_ERR_KEY] = "wrong key",
    [WARD_DB_ERR_EXISTS] = "exists",
    [WARD_DB_ERR_TAMPERED] = "tampered",
    [WARD_DB_ERR_TRANSACTION] = "transaction misuse",
};

const char *ward_db_error_kind_name(ward_db_error_kind kind)
{
    if ((size_t)kind < sizeof kind_names / sizeof kind_names[0] && kind_names[kind])
        return kind_names[kind];
    return "unknown";
}

void ward_db_options_default(ward_db_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->create = true;
    opts->busy_timeout_ms = 5000;
}

void ward_db_fail(const ward_db *db, ward_db_error *err, ward_db_error_kind kind, const char *op,
                  const char *fmt, ...)
{
    if (!err)
        return;
    char what[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    wdb_fail(db ? db->conn : NULL, err, kind, op, "%s", what);
}

ward_db *ward_db_open(const char *path, const ward_db_options *opts, ward_db_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
    if (!path) {
        wdb_fail(NULL, err, WARD_DB_ERR_ARGUMENT, "open", "no path");
        return NULL;
    }
    ward_db *db = calloc(1, sizeof *db);
    if (!db) {
        wdb_fail(NULL, err, WARD_DB_ERR_NOMEM, "open", "out of memory");
        return NULL;
    }
    db->conn = wdb_open(path, opts, err);
    if (!db->conn) {
        free(db);
        return NULL;
    }
    db->busy_timeout_ms = opts && opts->busy_timeout_ms ? opts->busy_timeout_ms : 5000;
    pthread_mutex_init(&db->lock, NULL);
    return db;
}

void ward_db_close(ward_db *db)
{
    if (!db)
        return;
    wdb_close(db->conn);
    pthread_mutex_destroy(&db->lock);
    free(db);
}

const char *ward_db_path(const ward_db *db)
{
    return db ? wdb_path(db->conn) : NULL;
}

/* ---- batches ------------------------------------------------------------- */

static bool batch_misuse(ward_db *db, ward_db_error *err, const char *op, const char *why)
{
    ward_db_fail(db, err, WARD_DB_ERR_TRANSACTION, op, "%s", why);
    return false;
}

static bool begin_batch(ward_db *db, batch_kind kind, const char *op, ward_db_error *err)
{
    if (!db)
        return batch_misuse(NULL, err, op, "no database");
    pthread_mutex_lock(&db->lock);
    bool ok = db->batch == NO_BATCH ? wdb_begin(db->conn, kind == WRITE_BATCH, op, err)
                                    : batch_misuse(db, err, op, "a batch is already open (batches do not nest)");
    if (ok)
        db->batch = kind;
    pthread_mutex_unlock(&db->lock);
    return ok;
}

bool ward_db_begin(ward_db *db, ward_db_error *err)
{
    return begin_batch(db, WRITE_BATCH, "begin", err);
}

bool ward_db_begin_read(ward_db *db, ward_db_error *err)
{
    return begin_batch(db, READ_BATCH, "begin read", err);
}

/* Commit or roll back the open batch; the batch is over either way (a
 * failed commit is rolled back, so nothing half-done stays open). */
static bool end_batch(ward_db *db, bool commit, const char *op, ward_db_error *err)
{
    if (!db)
        return batch_misuse(NULL, err, op, "no database");
    pthread_mutex_lock(&db->lock);
    bool ok;
    if (db->batch == NO_BATCH) {
        ok = batch_misuse(db, err, op, "no batch is open");
    } else {
        ok = commit ? wdb_commit(db->conn, op, err) : true;
        if (!ok || !commit)
            wdb_rollback(db->conn);
        db->batch = NO_BATCH;
    }
    pthread_mutex_unlock(&db->lock);
    return ok;
}

bool ward_db_commit(ward_db *db, ward_db_error *err)
{
    return end_batch(db, true, "commit", err);
}

bool ward_db_rollback(ward_db *db, ward_db_error *err)
{
    return end_batch(db, false, "rollback", err);
}

bool ward_db_integrity_check(ward_db *db, bool *ok, ward_db_error *err)
{
    if (!db || !ok)
        return batch_misuse(db, err, "integrity check", "no database");
    pthread_mutex_lock(&db->lock);
    bool done = wdb_integrity_check(db->conn, ok, err);
    pthread_mutex_unlock(&db->lock);
    return done;
}

/* ---- operations as transactions ------------------------------------------ */

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void pause_ms(uint32_t ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* A write in a batch is a savepoint, so a failing one undoes only itself;
 * a read has nothing to undo. */
static bool inside_batch(ward_db *db, const char *op, bool write, wdb_body_fn body, void *ctx, ward_db_error *err)
{
    if (write && db->batch == READ_BATCH)
        return batch_misuse(db, err, op, "a read batch cannot write");
    if (!write)
        return body(db->conn, ctx, err);
    if (!wdb_savepoint(db->conn, op, err))
        return false;
    if (body(db->conn, ctx, err))
        return wdb_release(db->conn, op, err);
    wdb_undo(db->conn);
    return false;
}

/* How an operation runs outside a batch. */
typedef enum run_mode { RUN_READ, RUN_WRITE, RUN_SINGLE_READ } run_mode;

static bool one_try(ward_db *db, const char *op, run_mode mode, wdb_body_fn body, void *ctx, ward_db_error *err)
{
    if (mode == RUN_SINGLE_READ)
        return body(db->conn, ctx, err);
    if (!wdb_begin(db->conn, mode == RUN_WRITE, op, err))
        return false;
    if (body(db->conn, ctx, err) && wdb_commit(db->conn, op, err))
        return true;
    wdb_rollback(db->conn);
    return false;
}

static bool run(ward_db *db, const char *op, run_mode mode, wdb_body_fn body, void *ctx, ward_db_error *err)
{
    ward_db_error local;
    if (!err)
        err = &local;
    memset(err, 0, sizeof *err);
    if (!db) {
        wdb_fail(NULL, err, WARD_DB_ERR_ARGUMENT, op, "no database");
        return false;
    }
    pthread_mutex_lock(&db->lock);
    bool ok;
    if (db->batch != NO_BATCH) {
        ok = inside_batch(db, op, mode == RUN_WRITE, body, ctx, err);
    } else {
        /* SQLite's own busy handler already waited on the lock; a BUSY
         * that still gets out (a read snapshot gone stale, a WAL being
         * recovered) is retried until the timeout, pausing 1, 2, 4 ... 64 ms. */
        uint64_t deadline = now_ms() + db->busy_timeout_ms;
        uint32_t pause = 1;
        while (!(ok = one_try(db, op, mode, body, ctx, err)) && err->kind == WARD_DB_ERR_BUSY &&
               now_ms() < deadline) {
            pause_ms(pause);
            pause = pause < 64 ? 2 * pause : pause;
            memset(err, 0, sizeof *err);
        }
    }
    pthread_mutex_unlock(&db->lock);
    return ok;
}

bool wdb_transact(ward_db *db, const char *op, bool write, wdb_body_fn body, void *ctx, ward_db_error *err)
{
    return run(db, op, write ? RUN_WRITE : RUN_READ, body, ctx, err);
}

bool wdb_read_one(ward_db *db, const char *op, wdb_body_fn body, void *ctx, ward_db_error *err)
{
    return run(db, op, RUN_SINGLE_READ, body, ctx, err);
}
