/*
 * ward:dag inside: the import table (names, types, prices) and the host
 * functions, split by concern:
 *   dag.c           the table, ward_dag_define, error codes
 *   dag_nodes.c     put, get, has, count and the id lists (parents,
 *                   children, tips)
 *   dag_search.c    walk and is_ancestor, the calls whose work grows with
 *                   the graph
 * Each function: charge the base price, take the guest spans (out of
 * bounds traps), check the arguments, work through ward_dag.h, charge
 * what the result moved, then write it.
 */
#ifndef WARD_GUEST_DAG_INTERNAL_H
#define WARD_GUEST_DAG_INTERNAL_H

#include "guest.h"
#include "ward_dag.h"
#include "ward_dag_guest.h"
#include "ward_guest_dag.h"

/* The imports, in this order: wdg_imports[id] and wdg_prices[id]. */
typedef enum wdg_id {
    WDG_PUT,
    WDG_GET,
    WDG_HAS,
    WDG_PARENTS,
    WDG_CHILDREN,
    WDG_TIPS,
    WDG_IS_ANCESTOR,
    WDG_WALK,
    WDG_COUNT_NODES,
    WDG_COUNT
} wdg_id;

extern const wguest_import wdg_imports[WDG_COUNT];
extern const wguest_price wdg_prices[WDG_COUNT];

/* Charge import id's price for bytes and units (ids, nodes). */
static inline bool wdg_charge(const ward_caller *caller, wdg_id id, uint64_t bytes, uint64_t units,
                              ward_trap *trap)
{
    return wguest_charge(caller, &wdg_prices[id], bytes, units, trap);
}

/* Charge the part of id's price that grows with the result (its base was
 * paid on entry). */
static inline bool wdg_charge_result(const ward_caller *caller, wdg_id id, uint64_t bytes, uint64_t units,
                                     ward_trap *trap)
{
    wguest_price rest = {0, wdg_prices[id].per_byte, wdg_prices[id].per_unit};
    return wguest_charge(caller, &rest, bytes, units, trap);
}

/* The guest code for a failed ward_dag_* call. */
int32_t wdg_code(const ward_db_error *err);

/* The 32-byte id at guest ptr, copied (false with *trap when out of bounds). */
bool wdg_read_id(const ward_caller *caller, uint32_t ptr, ward_dag_id *id, ward_trap *trap);

#define WDG_FN(name) ward_result name(void *env, ward_caller *caller, const ward_val *args, ward_val *results, \
                                      ward_trap *trap)
WDG_FN(wdg_put);
WDG_FN(wdg_get);
WDG_FN(wdg_has);
WDG_FN(wdg_parents);
WDG_FN(wdg_children);
WDG_FN(wdg_tips);
WDG_FN(wdg_is_ancestor);
WDG_FN(wdg_walk);
WDG_FN(wdg_count);

#endif
