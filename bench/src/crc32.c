/* crc32: table-driven CRC-32 plus a multiply-rotate hash over a buffer.
 * Exercises integer arithmetic, shifts, rotates and table lookups. */
#include "bench.h"

#ifndef CRC_BUFFER
#define CRC_BUFFER (1 << 20)
#endif
#ifndef CRC_ROUNDS
#define CRC_ROUNDS 100
#endif
BENCH_PARAM(crc_rounds, CRC_ROUNDS);

static uint32_t crc_table[256];
static uint8_t buffer[CRC_BUFFER];

static void build_crc_table(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

static uint32_t crc32_update(uint32_t crc, const uint8_t *p, uint32_t len)
{
    crc = ~crc;
    for (uint32_t i = 0; i < len; i++)
        crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

static uint32_t rotl32(uint32_t x, int r)
{
    return (x << r) | (x >> (32 - r));
}

/* A murmur3-like 32-bit hash over little-endian words. */
static uint32_t word_hash(const uint8_t *p, uint32_t len, uint32_t seed)
{
    uint32_t h = seed;
    for (uint32_t i = 0; i + 4 <= len; i += 4) {
        uint32_t k = (uint32_t)p[i] | (uint32_t)p[i + 1] << 8 | (uint32_t)p[i + 2] << 16 |
                     (uint32_t)p[i + 3] << 24;
        k *= 0xcc9e2d51u;
        k = rotl32(k, 15);
        k *= 0x1b873593u;
        h ^= k;
        h = rotl32(h, 13) * 5u + 0xe6546b64u;
    }
    h ^= len;
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    return h;
}

int run(void)
{
    uint32_t seed = 12345u;
    build_crc_table();
    for (uint32_t i = 0; i < CRC_BUFFER; i++)
        buffer[i] = (uint8_t)bench_rand(&seed);
    uint32_t hash = 2166136261u;
    int32_t rounds = crc_rounds;
    for (int32_t r = 0; r < rounds; r++) {
        /* Perturb one byte per round so each round hashes new data. */
        buffer[(uint32_t)r * 7919u % CRC_BUFFER] ^= (uint8_t)(r + 1);
        hash = bench_mix(hash, crc32_update((uint32_t)r, buffer, CRC_BUFFER));
        hash = bench_mix(hash, word_hash(buffer, CRC_BUFFER, (uint32_t)r));
    }
    return bench_result(hash);
}
