/*
 * Op profile (meson -Dprofile_ops=true only; docs/interpreter.md,
 * "Measuring op pairs"): how often each IR op ran and which op ran right
 * after which, per store, written when the store is freed to the file named
 * by WARD_PROFILE_OPS (appended).  The counters hang off the store's
 * execution state; a build without the option never allocates them.
 */
#ifndef WARD_PROFILE_H
#define WARD_PROFILE_H

#include <stdint.h>

#include "ir.h"

typedef struct wprof {
    uint64_t ops[WIR_COUNT];
    uint64_t *pairs; /* (WIR_COUNT + 1) rows of WIR_COUNT: row prev, column op */
    uint32_t prev;   /* the op that ran last, WIR_COUNT at the start of a call */
} wprof;

/* The counters of an execution state, allocated on first use; NULL when
 * out of memory (then nothing is counted). */
wprof *wprof_get(wprof **slot);

/* Write p to $WARD_PROFILE_OPS (when set) and free it; p may be NULL. */
void wprof_finish(wprof *p);

static inline void wprof_hit(wprof *p, uint32_t op)
{
    p->ops[op]++;
    p->pairs[(size_t)p->prev * WIR_COUNT + op]++;
    p->prev = op;
}

#endif
