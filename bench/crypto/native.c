/*
 * ward:crypto bench, the native side: the same 64 MiB hashed by native C
 * calling libsodium (through src/crypto, as the host module does).
 *   native sha256|blake2b
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/crypto.h"

enum { SIZE = 64 << 20 };

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    if (argc != 2 || wcrypto_init() != 0)
        return 2;
    int is_sha = strcmp(argv[1], "sha256") == 0;
    uint8_t *buf = malloc(SIZE), d[64];
    if (!buf)
        return 1;
    for (size_t i = 0; i < SIZE; i++)
        buf[i] = (uint8_t)(i * 131 + (i >> 12));
    double t0 = now_ms();
    if (is_sha)
        wcrypto_sha256(d, buf, SIZE);
    else
        wcrypto_blake2b(d, 64, buf, SIZE, NULL, 0);
    double ms = now_ms() - t0;
    printf("%s native %02x%02x%02x%02x%02x%02x%02x%02x %.2f\n", argv[1], d[0], d[1], d[2], d[3], d[4], d[5], d[6],
           d[7], ms);
    free(buf);
    return 0;
}
