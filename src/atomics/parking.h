/*
 * A parking lot: threads blocked in memory.atomic.wait, found again by
 * memory.atomic.notify.  Waiters are hashed by address into striped locks;
 * a waiter compares the memory's value under its stripe's lock, and notify
 * takes the same lock, so a notify that follows a store can never miss a
 * waiter that saw the old value.  Timeouts are absolute CLOCK_MONOTONIC
 * deadlines.  One lot per shared memory (no global state).
 *
 * A parked thread sleeps until something wakes it (futex.h): a notify, a
 * bump of its wake word (an interrupt of its store) or its deadline, so
 * idle waiters cost no CPU.  Without futexes it sleeps on a condition
 * variable and polls every few milliseconds instead.
 */
#ifndef WARD_PARKING_H
#define WARD_PARKING_H

#include <stdatomic.h>
#include <stdint.h>

#include "../../include/ward.h"

typedef struct wparking_lot wparking_lot;

/* NULL when out of memory. */
wparking_lot *wparking_new(void);
/* No thread may be parked any more. */
void wparking_free(wparking_lot *lot);

typedef struct wpark_request {
    const void *addr;     /* host address of the value: 4 or 8 bytes, aligned */
    unsigned size;        /* 4 or 8 */
    uint64_t expected;    /* park only while the value equals this */
    uint64_t deadline_ns; /* CLOCK_MONOTONIC, UINT64_MAX = none */
    /* Asked before sleeping and after every wake: a non-NONE kind stops
     * the wait (an interrupted or timed-out store).  May be NULL. */
    ward_trap_kind (*poll)(void *ctx);
    void *ctx;
    /* The word the waiter sleeps on, which whoever wants it to look at
     * poll again bumps and futex-wakes (wstore_wake); notify does the
     * same.  NULL: a word of the waiter's own (nothing but a notify or
     * the deadline wakes it). */
    atomic_uint *wake_word;
} wpark_request;

/* 0 woken by a notify, 1 the value differed, 2 the deadline passed, or -1
 * with *stop set when poll said to stop. */
int wparking_wait(wparking_lot *lot, const wpark_request *req, ward_trap_kind *stop);

/* Wake up to count waiters parked on addr, oldest first; how many woke. */
uint32_t wparking_notify(wparking_lot *lot, const void *addr, uint32_t count);

#endif
