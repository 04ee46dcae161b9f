/* lz: an LZ77-style compressor (hash-chain match finder) and decompressor
 * over generated text, checked by round trip.  Exercises byte loads and
 * stores, hashing, and data-dependent branches. */
#include "bench.h"

#ifndef LZ_INPUT
#define LZ_INPUT (1 << 19)
#endif
#ifndef LZ_ROUNDS
#define LZ_ROUNDS 14
#endif
BENCH_PARAM(lz_rounds, LZ_ROUNDS);

#define HASH_BITS 14
#define WINDOW 32768u
#define MIN_MATCH 4u
#define MAX_MATCH 130u   /* fits the 7-bit length field with MIN_MATCH bias */
#define MAX_CHAIN 16

static uint8_t input[LZ_INPUT];
static uint8_t compressed[LZ_INPUT + LZ_INPUT / 64 + 16];
static uint8_t output[LZ_INPUT];
static int32_t head[1u << HASH_BITS];
static int32_t prev[LZ_INPUT];

static const char *const words[] = {
    "the ", "quick ", "brown ", "fox ", "jumps ", "over ", "lazy ", "dog ", "wasm ",
    "interpreter ", "stack ", "memory ", "table ", "global ", "function ", "module ",
    "\n", ", ", ". ", "and ", "of ", "a ", "in ", "to ",
};
#define NWORDS (sizeof words / sizeof words[0])

/* Text-like input: random words, so there are many repeats to find. */
static void generate_input(uint32_t seed)
{
    uint32_t pos = 0;
    while (pos < LZ_INPUT) {
        const char *w = words[bench_rand(&seed) % NWORDS];
        for (uint32_t k = 0; w[k] && pos < LZ_INPUT; k++)
            input[pos++] = (uint8_t)w[k];
        /* Sprinkle noise so the data is not a pure dictionary. */
        if ((bench_rand(&seed) & 31u) == 0 && pos < LZ_INPUT)
            input[pos++] = (uint8_t)bench_rand(&seed);
    }
}

static uint32_t hash4(const uint8_t *p)
{
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return (v * 2654435761u) >> (32 - HASH_BITS);
}

static uint32_t match_length(uint32_t a, uint32_t b, uint32_t limit)
{
    uint32_t n = 0;
    while (n < limit && input[a + n] == input[b + n])
        n++;
    return n;
}

/* Format: a control byte; high bit clear = (c + 1) literals follow; high bit
 * set = match of length (c & 0x7f) + MIN_MATCH at a 16-bit distance. */
static void flush_literals(uint32_t start, uint32_t end, uint32_t *out)
{
    while (start < end) {
        uint32_t run = end - start > 128 ? 128 : end - start;
        compressed[(*out)++] = (uint8_t)(run - 1);
        for (uint32_t k = 0; k < run; k++)
            compressed[(*out)++] = input[start + k];
        start += run;
    }
}

static void insert_hash(uint32_t pos)
{
    uint32_t h = hash4(&input[pos]);
    prev[pos] = head[h];
    head[h] = (int32_t)pos;
}

static uint32_t find_match(uint32_t pos, uint32_t *distance)
{
    uint32_t best = 0;
    uint32_t limit = LZ_INPUT - pos > MAX_MATCH ? MAX_MATCH : LZ_INPUT - pos;
    int32_t cand = head[hash4(&input[pos])];
    for (int chain = 0; cand >= 0 && chain < MAX_CHAIN; chain++) {
        if (pos - (uint32_t)cand > WINDOW - 1)
            break;
        uint32_t len = match_length((uint32_t)cand, pos, limit);
        if (len > best) {
            best = len;
            *distance = pos - (uint32_t)cand;
        }
        cand = prev[cand];
    }
    return best;
}

static uint32_t compress(void)
{
    for (uint32_t i = 0; i < (1u << HASH_BITS); i++)
        head[i] = -1;
    uint32_t out = 0, pos = 0, literal_start = 0;
    while (pos + MIN_MATCH <= LZ_INPUT) {
        uint32_t distance = 0;
        uint32_t len = find_match(pos, &distance);
        if (len < MIN_MATCH) {
            insert_hash(pos++);
            continue;
        }
        flush_literals(literal_start, pos, &out);
        compressed[out++] = (uint8_t)(0x80u | (len - MIN_MATCH));
        compressed[out++] = (uint8_t)(distance & 0xff);
        compressed[out++] = (uint8_t)(distance >> 8);
        for (uint32_t k = 0; k < len; k++, pos++)
            if (pos + MIN_MATCH <= LZ_INPUT)
                insert_hash(pos);
        literal_start = pos;
    }
    flush_literals(literal_start, LZ_INPUT, &out);
    return out;
}

static uint32_t decompress(uint32_t size)
{
    uint32_t in = 0, out = 0;
    while (in < size) {
        uint32_t c = compressed[in++];
        if (c & 0x80u) {
            uint32_t len = (c & 0x7fu) + MIN_MATCH;
            uint32_t distance = (uint32_t)compressed[in] | (uint32_t)compressed[in + 1] << 8;
            in += 2;
            if (distance == 0 || distance > out || out + len > LZ_INPUT)
                return 0;
            /* Byte by byte: overlapping matches repeat the pattern. */
            for (uint32_t k = 0; k < len; k++, out++)
                output[out] = output[out - distance];
        } else {
            uint32_t run = c + 1;
            if (out + run > LZ_INPUT || in + run > size)
                return 0;
            for (uint32_t k = 0; k < run; k++)
                output[out++] = compressed[in++];
        }
    }
    return out;
}

int run(void)
{
    uint32_t hash = 2166136261u;
    int32_t rounds = lz_rounds;
    for (int32_t r = 0; r < rounds; r++) {
        generate_input(0x5eed0000u + (uint32_t)r);
        uint32_t size = compress();
        uint32_t restored = decompress(size);
        uint32_t diffs = restored != LZ_INPUT;
        for (uint32_t i = 0; i < LZ_INPUT; i++)
            diffs += output[i] != input[i];
        hash = bench_mix(hash, size);
        hash = bench_mix(hash, diffs);
    }
    return bench_result(hash);
}
