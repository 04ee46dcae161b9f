/*
 * What the services above the backend (src/dag, src/vault, ...) use of a
 * ward_db: running their work as one transaction.  They reach the database
 * only through the backend functions of backend.h, inside wdb_transact.
 */
#ifndef WARD_STORAGE_INTERNAL_H
#define WARD_STORAGE_INTERNAL_H

#include "storage/backend.h"
#include "ward_storage.h"

/* The work of one operation.  It may run more than once (after a busy
 * retry), so it must not keep state outside the database between tries
 * except what it rebuilds on each (free what a failed try allocated). */
typedef bool (*wdb_body_fn)(wdb *c, void *ctx, ward_db_error *err);

/*
 * Run body under db's mutex as one transaction (IMMEDIATE when write), or
 * inside a batch as a savepoint, so a failing body undoes only its own
 * work.  Outside a batch, a body or commit that fails BUSY is rolled back
 * and retried with a growing pause until the busy timeout has passed: a
 * writer never sees BUSY while others merely hold the lock for a while.
 */
bool wdb_transact(ward_db *db, const char *op, bool write, wdb_body_fn body, void *ctx, ward_db_error *err);

/* A read whose body runs a single statement: that statement is its own
 * snapshot, so outside a batch no BEGIN and COMMIT are needed around it
 * (the cost of a get is then one statement).  Same locking and retries. */
bool wdb_read_one(ward_db *db, const char *op, wdb_body_fn body, void *ctx, ward_db_error *err);

/* Fill err for a failure that is not the backend's (argument, not found,
 * ...), naming db's file. */
void ward_db_fail(const ward_db *db, ward_db_error *err, ward_db_error_kind kind, const char *op,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
