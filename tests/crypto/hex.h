/* Hex vectors for the crypto tests. */
#ifndef WARD_TEST_CRYPTO_HEX_H
#define WARD_TEST_CRYPTO_HEX_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Decode a vector into a static-size buffer; returns its length. */
static size_t unhex(uint8_t *out, size_t cap, const char *hex)
{
    size_t n = strlen(hex) / 2;
    if (n > cap)
        abort();
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1)
            abort();
        out[i] = (uint8_t)v;
    }
    return n;
}

/* Do len bytes at p equal the hex vector? */
static int hex_eq(const uint8_t *p, size_t len, const char *hex)
{
    uint8_t want[1024];
    size_t n = unhex(want, sizeof want, hex);
    return n == len && memcmp(p, want, n) == 0;
}

#endif
