/*
 * Monotonic time and sleeping for tests that wait on threads or timeouts.
 * Include after defining _POSIX_C_SOURCE (clock_gettime, nanosleep).
 */
#ifndef WARD_TEST_TIME_H
#define WARD_TEST_TIME_H

#include <stdint.h>
#include <time.h>

static inline uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline void sleep_ms(unsigned ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

#endif
