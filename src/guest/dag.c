/*
 * ward:dag: the import table, its prices and ward_dag_define (docs/dag.md,
 * "Guest ABI").  Prices are in fuel units, roughly nanoseconds of host CPU
 * (one interpreted wasm instruction costs about one): a base is about
 * what one transaction of that kind took in bench/storage (a get, a
 * has, a put with its commit's CPU; the sync's wait is not CPU and not
 * charged), rounded up.
 */
#include <string.h>

#include "dag_internal.h"

const wguest_import wdg_imports[WDG_COUNT] = {
    [WDG_PUT] = {"put", "iiiii:i", wdg_put},
    [WDG_GET] = {"get", "iiii:i", wdg_get},
    [WDG_HAS] = {"has", "i:i", wdg_has},
    [WDG_PARENTS] = {"parents", "iiii:i", wdg_parents},
    [WDG_CHILDREN] = {"children", "iiii:i", wdg_children},
    [WDG_TIPS] = {"tips", "iii:i", wdg_tips},
    [WDG_IS_ANCESTOR] = {"is_ancestor", "ii:i", wdg_is_ancestor},
    [WDG_WALK] = {"walk", "iiiiiii:i", wdg_walk},
    [WDG_COUNT_NODES] = {"count", "i:i", wdg_count},
};

/*
 * {base, per byte, per unit}.  Bytes: put the payload and parent ids it
 * reads, get the payload, lists the ids they write.  Units: ids listed
 * (children, tips), nodes a walk may visit (1 + depth x breadth, charged
 * before it starts), nodes is_ancestor expands (each a read like a get,
 * charged one by one as the search goes, so it stops where the fuel does).
 */
const wguest_price wdg_prices[WDG_COUNT] = {
    [WDG_PUT] = {50000, 1, 0},
    [WDG_GET] = {15000, 1, 0},
    [WDG_HAS] = {10000, 0, 0},
    [WDG_PARENTS] = {15000, 1, 0},
    [WDG_CHILDREN] = {15000, 1, 1000},
    [WDG_TIPS] = {15000, 1, 1000},
    [WDG_IS_ANCESTOR] = {15000, 0, 15000},
    [WDG_WALK] = {15000, 0, 5000},
    [WDG_COUNT_NODES] = {10000, 0, 40},
};

int32_t wdg_code(const ward_db_error *err)
{
    static const int32_t codes[] = {
        [WARD_DB_ERR_ARGUMENT] = WARD_DAG_EINVAL,     [WARD_DB_ERR_NOMEM] = WARD_DAG_ENOMEM,
        [WARD_DB_ERR_BUSY] = WARD_DAG_EBUSY,          [WARD_DB_ERR_READONLY] = WARD_DAG_EREADONLY,
        [WARD_DB_ERR_NOT_FOUND] = WARD_DAG_ENOTFOUND, [WARD_DB_ERR_MISSING_PARENT] = WARD_DAG_EMISSING,
        [WARD_DB_ERR_LIMIT] = WARD_DAG_ESPACE,
    };
    size_t k = (size_t)err->kind;
    if (k < sizeof codes / sizeof codes[0] && codes[k] != 0)
        return codes[k];
    return WARD_DAG_EIO; /* full, I/O, corrupt, tampered ...: the database failed */
}

bool wdg_read_id(const ward_caller *caller, uint32_t ptr, ward_dag_id *id, ward_trap *trap)
{
    const uint8_t *p = wguest_span(caller, ptr, WARD_DAG_ID_BYTES, trap);
    if (!p)
        return false;
    memcpy(id->bytes, p, WARD_DAG_ID_BYTES);
    return true;
}

ward_result ward_dag_define(ward_db *db, ward_linker *linker, ward_store *store)
{
    if (!db || !linker || !store)
        return WARD_ERROR;
    return wguest_define(linker, store, WARD_DAG_MODULE, wdg_imports, WDG_COUNT, db);
}
