/* The futex calls of futex.h (Linux only; syscall() needs _GNU_SOURCE). */
#define _GNU_SOURCE

#include "futex.h"

#if WARD_HAVE_FUTEX
#include <limits.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#if !defined(SYS_futex) && defined(SYS_futex_time64)
#define SYS_futex SYS_futex_time64 /* 32-bit systems with a 64-bit time_t only */
#endif

_Static_assert(sizeof(atomic_uint) == 4, "a futex word is 32 bits");

void wfutex_wait(atomic_uint *word, unsigned expected, uint64_t deadline_ns)
{
    struct timespec ts = {(time_t)(deadline_ns / 1000000000u), (long)(deadline_ns % 1000000000u)};
    /* past any real deadline: no timeout at all (and no time_t overflow) */
    const struct timespec *until = deadline_ns > (uint64_t)INT32_MAX * 1000000000u ? NULL : &ts;
    /* BITSET: the timeout is absolute, on CLOCK_MONOTONIC */
    syscall(SYS_futex, (void *)word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, expected, until, NULL,
            FUTEX_BITSET_MATCH_ANY);
}

void wfutex_wake_all(atomic_uint *word)
{
    syscall(SYS_futex, (void *)word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT_MAX, NULL, NULL, 0);
}
#endif
