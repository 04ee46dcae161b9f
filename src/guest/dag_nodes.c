/*
 * ward:dag's calls on single nodes and id lists: put, get, has, count,
 * parents, children, tips.  The base price is paid before anything; the
 * part that grows with the result (payload bytes, ids) once the result is
 * known and before it is written, so a call that then runs out of fuel
 * has made the host do at most one node's load or one bounded list.
 */
#include <stdlib.h>
#include <string.h>

#include "dag_internal.h"

/* Check that [ptr, ptr + 4) (or + 8) is inside guest memory now, so the
 * result can be written after the work without a late trap. */
static bool out_room(const ward_caller *caller, uint32_t ptr, uint64_t len, ward_trap *trap)
{
    return wguest_span(caller, ptr, len, trap) != NULL;
}

/* put(payload, len, parents, nparents, id_out) */
ward_result wdg_put(void *env, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    uint32_t len = wguest_u32(args, 1), nparents = wguest_u32(args, 3);
    uint64_t parent_bytes = (uint64_t)nparents * WARD_DAG_ID_BYTES;
    if (!wdg_charge(caller, WDG_PUT, len + parent_bytes, 0, trap))
        return WARD_TRAP;
    const uint8_t *payload = wguest_span(caller, wguest_u32(args, 0), len, trap);
    const uint8_t *plist = payload ? wguest_span(caller, wguest_u32(args, 2), parent_bytes, trap) : NULL;
    uint8_t *id_out = plist ? wguest_span(caller, wguest_u32(args, 4), WARD_DAG_ID_BYTES, trap) : NULL;
    if (!id_out)
        return WARD_TRAP;
    if (len > WARD_DAG_MAX_PAYLOAD || nparents > WARD_DAG_MAX_PARENTS)
        return wguest_ret(results, WARD_DAG_EINVAL);
    /* a host copy: guest ids need not be aligned, and id_out may overlap */
    ward_dag_id *parents = nparents ? malloc(parent_bytes) : NULL;
    if (nparents && !parents)
        return wguest_ret(results, WARD_DAG_ENOMEM);
    if (nparents)
        memcpy(parents, plist, parent_bytes);
    ward_dag_id id;
    ward_db_error err;
    bool ok = ward_dag_put(env, payload, len, parents, nparents, &id, NULL, &err);
    free(parents);
    if (!ok)
        return wguest_ret(results, wdg_code(&err));
    memcpy(id_out, id.bytes, sizeof id.bytes);
    return wguest_ret(results, 0);
}

/* get(id, out, cap, len_out) */
ward_result wdg_get(void *env, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    uint32_t cap = wguest_u32(args, 2), len_ptr = wguest_u32(args, 3);
    if (!wdg_charge(caller, WDG_GET, 0, 0, trap))
        return WARD_TRAP;
    ward_dag_id id;
    if (!wdg_read_id(caller, wguest_u32(args, 0), &id, trap) || !wguest_span(caller, wguest_u32(args, 1), cap, trap) ||
        !out_room(caller, len_ptr, 4, trap))
        return WARD_TRAP;
    ward_dag_node node;
    ward_db_error err;
    if (!ward_dag_get(env, &id, &node, &err))
        return wguest_ret(results, wdg_code(&err));
    int32_t code = 0;
    if (!wdg_charge_result(caller, WDG_GET, node.len, 0, trap))
        code = INT32_MIN;
    else if (node.len > cap)
        code = WARD_DAG_ESPACE;
    if (code != INT32_MIN) {
        ward_caller_write_u32(caller, len_ptr, (uint32_t)node.len, trap);
        if (code == 0 && node.len)
            memcpy(wguest_span(caller, wguest_u32(args, 1), cap, trap), node.payload, node.len);
    }
    ward_dag_node_free(&node);
    return code == INT32_MIN ? WARD_TRAP : wguest_ret(results, code);
}

/* has(id) -> 1 | 0 */
ward_result wdg_has(void *env, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    if (!wdg_charge(caller, WDG_HAS, 0, 0, trap))
        return WARD_TRAP;
    ward_dag_id id;
    if (!wdg_read_id(caller, wguest_u32(args, 0), &id, trap))
        return WARD_TRAP;
    bool has = false;
    ward_db_error err;
    if (!ward_dag_has(env, &id, &has, &err))
        return wguest_ret(results, wdg_code(&err));
    return wguest_ret(results, has ? 1 : 0);
}

/* count(count_out u64): charged per node counted, after the count */
ward_result wdg_count(void *env, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    if (!wdg_charge(caller, WDG_COUNT_NODES, 0, 0, trap))
        return WARD_TRAP;
    uint32_t ptr = wguest_u32(args, 0);
    if (!out_room(caller, ptr, 8, trap))
        return WARD_TRAP;
    uint64_t n = 0;
    ward_db_error err;
    if (!ward_dag_count(env, &n, &err))
        return wguest_ret(results, wdg_code(&err));
    /* the backend counts row by row: the work grows with the database */
    if (!wdg_charge_result(caller, WDG_COUNT_NODES, 0, n, trap))
        return WARD_TRAP;
    ward_caller_write_u64(caller, ptr, n, trap);
    return wguest_ret(results, 0);
}

/* ---- id lists ------------------------------------------------------------ */

/* Where a list goes in guest memory: out (room for max ids), count_out. */
typedef struct wdg_list_out {
    uint32_t out, max, count_ptr;
} wdg_list_out;

static bool list_room(const ward_caller *caller, const wdg_list_out *o, ward_trap *trap)
{
    return wguest_span(caller, o->out, (uint64_t)o->max * WARD_DAG_ID_BYTES, trap) &&
           out_room(caller, o->count_ptr, 4, trap);
}

/* Charge for the ids listed, then write them (or ESPACE when they do not
 * fit: *count_out says how many there are). */
static ward_result list_finish(const ward_caller *caller, wdg_id fn, const ward_dag_ids *ids, const wdg_list_out *o,
                               ward_val *results, ward_trap *trap)
{
    if (!wdg_charge_result(caller, fn, (uint64_t)ids->count * WARD_DAG_ID_BYTES, ids->count, trap) ||
        !ward_caller_write_u32(caller, o->count_ptr, (uint32_t)ids->count, trap))
        return WARD_TRAP;
    if (ids->count > o->max)
        return wguest_ret(results, WARD_DAG_ESPACE);
    if (ids->count)
        memcpy(wguest_span(caller, o->out, (uint64_t)o->max * WARD_DAG_ID_BYTES, trap), ids->ids,
               ids->count * WARD_DAG_ID_BYTES);
    return wguest_ret(results, 0);
}

/* A children or tips listing that found more than max: charged for the
 * max + 1 rows the host read, ESPACE with *count_out 0. */
static ward_result list_over(const ward_caller *caller, wdg_id fn, const wdg_list_out *o, ward_val *results,
                             ward_trap *trap)
{
    uint64_t read = (uint64_t)o->max + 1;
    if (!wdg_charge_result(caller, fn, 0, read, trap) || !ward_caller_write_u32(caller, o->count_ptr, 0, trap))
        return WARD_TRAP;
    return wguest_ret(results, WARD_DAG_ESPACE);
}

/* The listing's outcome, when it returned (ok) or failed with err. */
static ward_result list_done(const ward_caller *caller, wdg_id fn, bool ok, ward_dag_ids *ids,
                             const ward_db_error *err, const wdg_list_out *o, ward_val *results, ward_trap *trap)
{
    ward_result r;
    if (ok && ids->count > o->max && fn != WDG_PARENTS)
        r = list_over(caller, fn, o, results, trap);  /* max 0 asked the host for 1 */
    else if (ok)
        r = list_finish(caller, fn, ids, o, results, trap);
    else if (err->kind == WARD_DB_ERR_LIMIT)
        r = list_over(caller, fn, o, results, trap);
    else
        r = wguest_ret(results, wdg_code(err));
    ward_dag_ids_free(ids);
    return r;
}

/* parents(id, out, max, count_out) */
ward_result wdg_parents(void *env, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    wdg_list_out o = {wguest_u32(args, 1), wguest_u32(args, 2), wguest_u32(args, 3)};
    if (!wdg_charge(caller, WDG_PARENTS, 0, 0, trap))
        return WARD_TRAP;
    ward_dag_id id;
    if (!wdg_read_id(caller, wguest_u32(args, 0), &id, trap) || !list_room(caller, &o, trap))
        return WARD_TRAP;
    ward_dag_ids ids = {0};
    ward_db_error err;
    bool ok = ward_dag_parents(env, &id, &ids, &err);
    return list_done(caller, WDG_PARENTS, ok, &ids, &err, &o, results, trap);
}

/* The host's max for a guest's: 0 (no room) still asks for one id, to
 * tell an empty list from one that does not fit. */
static size_t host_max(uint32_t max)
{
    return max ? max : 1;
}

/* children(id, out, max, count_out) */
ward_result wdg_children(void *env, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    wdg_list_out o = {wguest_u32(args, 1), wguest_u32(args, 2), wguest_u32(args, 3)};
    if (!wdg_charge(caller, WDG_CHILDREN, 0, 0, trap))
        return WARD_TRAP;
    ward_dag_id id;
    if (!wdg_read_id(caller, wguest_u32(args, 0), &id, trap) || !list_room(caller, &o, trap))
        return WARD_TRAP;
    if (o.max > WARD_DAG_GUEST_LIST_MAX)
        return wguest_ret(results, WARD_DAG_EINVAL);
    ward_dag_ids ids = {0};
    ward_db_error err;
    bool ok = ward_dag_children(env, &id, host_max(o.max), &ids, &err);
    return list_done(caller, WDG_CHILDREN, ok, &ids, &err, &o, results, trap);
}

/* tips(out, max, count_out) */
ward_result wdg_tips(void *env, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    wdg_list_out o = {wguest_u32(args, 0), wguest_u32(args, 1), wguest_u32(args, 2)};
    if (!wdg_charge(caller, WDG_TIPS, 0, 0, trap))
        return WARD_TRAP;
    if (!list_room(caller, &o, trap))
        return WARD_TRAP;
    if (o.max > WARD_DAG_GUEST_LIST_MAX)
        return wguest_ret(results, WARD_DAG_EINVAL);
    ward_dag_ids ids = {0};
    ward_db_error err;
    bool ok = ward_dag_tips(env, host_max(o.max), &ids, &err);
    return list_done(caller, WDG_TIPS, ok, &ids, &err, &o, results, trap);
}
