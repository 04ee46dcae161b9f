/* memops: memcpy/memmove/memset over a few MiB in block sizes from 8 bytes
 * to 64 KiB.  Built with -mbulk-memory, so the wasm uses memory.copy and
 * memory.fill: this measures the bulk-memory instructions and the cost of
 * entering them, not a byte loop. */
#include "bench.h"

#ifndef MEM_ARENA
#define MEM_ARENA (4 << 20)
#endif
#ifndef MEM_ROUNDS
#define MEM_ROUNDS 1000000
#endif
BENCH_PARAM(mem_rounds, MEM_ROUNDS);

static uint8_t arena[MEM_ARENA];

/* Block sizes cycle through small (call overhead) to large (bandwidth). */
static const uint32_t block_sizes[] = {8, 24, 64, 200, 512, 1500, 4096, 16384, 65536};
#define NSIZES (sizeof block_sizes / sizeof block_sizes[0])

static uint32_t sample(const uint8_t *p, uint32_t len)
{
    /* Read a few spread bytes: enough to catch a wrong copy, cheap to do. */
    return (uint32_t)p[0] | (uint32_t)p[len / 2] << 8 | (uint32_t)p[len - 1] << 16;
}

int run(void)
{
    uint32_t seed = 0xabcdef01u;
    for (uint32_t i = 0; i < MEM_ARENA; i += 4) {
        uint32_t r = bench_rand(&seed);
        __builtin_memcpy(&arena[i], &r, 4);
    }
    uint32_t hash = 2166136261u;
    int32_t rounds = mem_rounds;
    for (int32_t r = 0; r < rounds; r++) {
        uint32_t len = block_sizes[(uint32_t)r % NSIZES];
        uint32_t src = bench_rand(&seed) % (MEM_ARENA - len);
        uint32_t dst = bench_rand(&seed) % (MEM_ARENA - len);
        switch (r & 3) {
        case 0:
            /* Possibly overlapping: memmove semantics, as memory.copy has. */
            __builtin_memmove(&arena[dst], &arena[src], len);
            break;
        case 1:
            __builtin_memset(&arena[dst], (int)(r & 0xff), len);
            break;
        default:
            if (dst + len <= src || src + len <= dst)
                __builtin_memcpy(&arena[dst], &arena[src], len);
            else
                __builtin_memmove(&arena[dst], &arena[src], len);
            break;
        }
        hash = bench_mix(hash, sample(&arena[dst], len));
    }
    return bench_result(hash);
}
