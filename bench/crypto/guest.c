/*
 * ward:crypto bench, the guest side (wasm32-wasi): SHA-256 and BLAKE2b-512
 * of 64 MiB, through the host module ("host") or computed by the plain C
 * below, compiled to wasm ("guest").  Prints the digest's first bytes and
 * the milliseconds the hash took (WASI monotonic clock).
 *   ward run guest.wasm sha256|blake2b host|guest
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ward_guest.h"

enum { SIZE = 64 << 20 };

/* ---- SHA-256 (FIPS 180-4), straightforward ---------------------------- */

static const uint32_t sha_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static uint32_t ror32(uint32_t x, int n)
{
    return (x >> n) | (x << (32 - n));
}

static void sha256_block(uint32_t h[8], const uint8_t *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = k + (ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25)) + ((e & f) ^ (~e & g)) + sha_k[i] + w[i];
        uint32_t t2 = (ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        k = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += k;
}

static void sha256(uint8_t out[32], const uint8_t *in, size_t len)
{
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    size_t full = len / 64 * 64;
    for (size_t i = 0; i < full; i += 64)
        sha256_block(h, in + i);
    uint8_t tail[128] = {0};
    size_t rest = len - full, n = rest < 56 ? 64 : 128;
    memcpy(tail, in + full, rest);
    tail[rest] = 0x80;
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++)
        tail[n - 1 - i] = (uint8_t)(bits >> (8 * i));
    for (size_t i = 0; i < n; i += 64)
        sha256_block(h, tail + i);
    for (int i = 0; i < 32; i++)
        out[i] = (uint8_t)(h[i / 4] >> (24 - 8 * (i % 4)));
}

/* ---- BLAKE2b-512 (RFC 7693), unkeyed, straightforward ----------------- */

static const uint64_t b2_iv[8] = {0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL,
                                  0xa54ff53a5f1d36f1ULL, 0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL,
                                  0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL};
static const uint8_t b2_sigma[12][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4}, {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13}, {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11}, {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5}, {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3}};

static uint64_t ror64(uint64_t x, int n)
{
    return (x >> n) | (x << (64 - n));
}

static void b2_g(uint64_t *v, int a, int b, int c, int d, uint64_t x, uint64_t y)
{
    v[a] += v[b] + x, v[d] = ror64(v[d] ^ v[a], 32);
    v[c] += v[d], v[b] = ror64(v[b] ^ v[c], 24);
    v[a] += v[b] + y, v[d] = ror64(v[d] ^ v[a], 16);
    v[c] += v[d], v[b] = ror64(v[b] ^ v[c], 63);
}

static void b2_compress(uint64_t h[8], const uint8_t *p, uint64_t t, int last)
{
    uint64_t m[16], v[16];
    for (int i = 0; i < 16; i++) {
        m[i] = 0;
        for (int j = 7; j >= 0; j--)
            m[i] = m[i] << 8 | p[8 * i + j];
    }
    for (int i = 0; i < 8; i++)
        v[i] = h[i], v[i + 8] = b2_iv[i];
    v[12] ^= t; /* the high word of the counter stays 0 below 2^64 bytes */
    if (last)
        v[14] = ~v[14];
    for (int r = 0; r < 12; r++) {
        const uint8_t *s = b2_sigma[r];
        b2_g(v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
        b2_g(v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
        b2_g(v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
        b2_g(v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
        b2_g(v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
        b2_g(v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
        b2_g(v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
        b2_g(v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
    }
    for (int i = 0; i < 8; i++)
        h[i] ^= v[i] ^ v[i + 8];
}

static void blake2b(uint8_t out[64], const uint8_t *in, size_t len)
{
    uint64_t h[8];
    memcpy(h, b2_iv, sizeof h);
    h[0] ^= 0x01010000 ^ 64; /* no key, 64-byte digest */
    size_t off = 0;
    while (len - off > 128) {
        b2_compress(h, in + off, off + 128, 0);
        off += 128;
    }
    uint8_t last[128] = {0};
    memcpy(last, in + off, len - off);
    b2_compress(h, last, len, 1);
    for (int i = 0; i < 64; i++)
        out[i] = (uint8_t)(h[i / 8] >> (8 * (i % 8)));
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    int is_sha = strcmp(argv[1], "sha256") == 0, in_host = strcmp(argv[2], "host") == 0;
    uint8_t *buf = malloc(SIZE), d[64];
    if (!buf)
        return 1;
    for (size_t i = 0; i < SIZE; i++)
        buf[i] = (uint8_t)(i * 131 + (i >> 12));
    double t0 = now_ms();
    if (is_sha && in_host)
        ward_crypto_sha256(d, buf, SIZE);
    else if (is_sha)
        sha256(d, buf, SIZE);
    else if (in_host)
        ward_crypto_blake2b(d, 64, buf, SIZE, NULL, 0);
    else
        blake2b(d, buf, SIZE);
    double ms = now_ms() - t0;
    printf("%s %s %02x%02x%02x%02x%02x%02x%02x%02x %.2f\n", argv[1], argv[2], d[0], d[1], d[2], d[3], d[4], d[5],
           d[6], d[7], ms);
    return 0;
}
