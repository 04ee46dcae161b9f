/*
 * ward:dag, the DAG of a ward_db for WebAssembly guests (docs/dag.md,
 * "Guest ABI"; the guest's side is ward_guest_dag.h).
 *
 *     ward_db *db = ward_db_open("state.db", NULL, &err);
 *     ward_dag_define(db, linker, store);   // before ward_instantiate
 *     ...                                   // run the guest
 *     ward_store_free(store);
 *     ward_db_close(db);                    // after the store
 *
 * The functions keep no state of their own: every guest call is one
 * operation (one transaction) on db, priced in fuel.  db must outlive the
 * store.  Built with -Dstorage=enabled (WARD_HAVE_STORAGE).
 */
#ifndef WARD_DAG_GUEST_H
#define WARD_DAG_GUEST_H

#include "ward.h"
#include "ward_storage.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WARD_DAG_MODULE "ward:dag"

/* Define every ward:dag import in linker (functions created in store).
 * WARD_ERROR when an argument is NULL or out of memory. */
ward_result ward_dag_define(ward_db *db, ward_linker *linker, ward_store *store);

#ifdef __cplusplus
}
#endif
#endif
