/*
 * Sleeping on a 32-bit word until it changes (Linux futexes): what parked
 * threads sleep on, so an idle waiter costs nothing until a notify, an
 * interrupt or its deadline.  The wake is one system call on the word, so
 * it is async-signal-safe (ward_store_interrupt may run in a signal
 * handler).  WARD_HAVE_FUTEX is 0 on other systems: parking.c then sleeps
 * on a condition variable and polls for interrupts (docs/threads.md).
 * -DWARD_NO_FUTEX builds that fallback on Linux too (to test it).
 */
#ifndef WARD_FUTEX_H
#define WARD_FUTEX_H

#include <stdatomic.h>
#include <stdint.h>

#if defined(__linux__) && !defined(WARD_NO_FUTEX)
#define WARD_HAVE_FUTEX 1

/* Sleep while *word == expected, until woken or the absolute
 * CLOCK_MONOTONIC deadline (UINT64_MAX: none).  May return early (a
 * signal, a stale wake): callers recheck their condition. */
void wfutex_wait(atomic_uint *word, unsigned expected, uint64_t deadline_ns);

/* Wake every thread sleeping on word.  Async-signal-safe.  A word no one
 * sleeps on (or whose sleeper is gone) costs one system call and nothing
 * else: private futexes are keyed by address, the kernel reads no memory
 * to wake. */
void wfutex_wake_all(atomic_uint *word);
#else
#define WARD_HAVE_FUTEX 0
#endif

#endif
