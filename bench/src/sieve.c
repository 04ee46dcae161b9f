/* sieve: sieve of Eratosthenes over a byte array, repeated.  Exercises tight
 * loops with byte loads and stores. */
#include "bench.h"

#ifndef SIEVE_LIMIT
#define SIEVE_LIMIT (1 << 21)
#endif
#ifndef SIEVE_ROUNDS
#define SIEVE_ROUNDS 30
#endif
BENCH_PARAM(sieve_rounds, SIEVE_ROUNDS);

static uint8_t composite[SIEVE_LIMIT];

static void clear_flags(void)
{
    for (uint32_t i = 0; i < SIEVE_LIMIT; i++)
        composite[i] = 0;
}

static uint32_t sieve_once(uint32_t limit, uint32_t *sum)
{
    uint32_t count = 0;
    clear_flags();
    for (uint32_t i = 2; i < limit; i++) {
        if (composite[i])
            continue;
        count++;
        *sum += i;
        for (uint32_t j = i + i; j < limit; j += i)
            composite[j] = 1;
    }
    return count;
}

int run(void)
{
    uint32_t hash = 2166136261u;
    int32_t rounds = sieve_rounds;
    for (int32_t r = 0; r < rounds; r++) {
        uint32_t sum = 0;
        /* Vary the limit a little so no round can reuse the previous one. */
        uint32_t count = sieve_once(SIEVE_LIMIT - (uint32_t)r * 1000u, &sum);
        hash = bench_mix(hash, count);
        hash = bench_mix(hash, sum);
    }
    return bench_result(hash);
}
