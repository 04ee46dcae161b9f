/* Throwing and catching for the dispatch loop (exec_eh.c, exec_eh.inc). */
#ifndef WARD_EXEC_EH_H
#define WARD_EXEC_EH_H

#include "exec.h"

/* The dispatch loop's state that a catch replaces. */
typedef struct wexn_state {
    wframe *fsp;
    const wcompiled_func *fn;
    const wcell *ip; /* in: the throwing op; out: the catch body */
    uint64_t *fp;
    ward_instance *inst;
} wexn_state;

/* Find the handler of fl in the frames above base_depth and move *state
 * there (payload in its slots, the exception pushed above the caught ones
 * still in use, never below floor): 1.  0 when no frame catches it (state
 * unchanged); -1 when out of memory. */
int wexn_unwind(struct wexec *ex, const wexn_flight *fl, size_t floor, uint32_t base_depth, wexn_state *state);

/* Drop the caught exceptions from index n up (a call from the host ends). */
void wexn_truncate(wexn_stack *st, size_t n);
void wexn_free(wexn_stack *st);

#endif
