/*
 * A C guest using ward:crypto (include/ward_guest.h): hashes, signs and
 * verifies, and draws random bytes.  Build and run:
 *
 *   clang --target=wasm32-wasi -O2 -Iinclude examples/crypto_guest.c -o crypto_guest.wasm
 *   ward run crypto_guest.wasm                 # random bytes from the OS
 *   ward run --seed 00..(64 hex digits) crypto_guest.wasm   # reproducible
 */
#include <stdio.h>
#include <string.h>

#include "ward_guest.h"

static void print_hex(const char *label, const uint8_t *p, size_t n)
{
    printf("%s ", label);
    for (size_t i = 0; i < n; i++)
        printf("%02x", p[i]);
    printf("\n");
}

int main(void)
{
    uint8_t digest[64];
    if (ward_crypto_sha256(digest, "abc", 3) != WARD_CRYPTO_OK)
        return 1;
    print_hex("sha256(abc)", digest, WARD_CRYPTO_SHA256_BYTES);
    if (ward_crypto_blake2b(digest, 32, "abc", 3, NULL, 0) != WARD_CRYPTO_OK)
        return 1;
    print_hex("blake2b-256(abc)", digest, 32);

    /* RFC 8032 test 1's key, signing a message of our own */
    static const uint8_t seed[32] = {0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84, 0x4a,
                                     0xf4, 0x92, 0xec, 0x2c, 0xc4, 0x44, 0x49, 0xc5, 0x69, 0x7b, 0x32,
                                     0x69, 0x19, 0x70, 0x3b, 0xac, 0x03, 0x1c, 0xae, 0x7f, 0x60};
    uint8_t pk[WARD_CRYPTO_SIGN_PK_BYTES], sk[WARD_CRYPTO_SIGN_SK_BYTES], sig[WARD_CRYPTO_SIGN_BYTES];
    const char *msg = "hello from a ward guest";
    ward_crypto_sign_keypair_from_seed(pk, sk, seed);
    print_hex("ed25519 pk", pk, sizeof pk);
    ward_crypto_sign(sig, msg, strlen(msg), sk);
    print_hex("signature", sig, sizeof sig);
    printf("verify: %s\n", ward_crypto_verify(sig, msg, strlen(msg), pk) == WARD_CRYPTO_OK ? "valid" : "INVALID");
    sig[0] ^= 1;
    printf("verify tampered: %s\n",
           ward_crypto_verify(sig, msg, strlen(msg), pk) == WARD_CRYPTO_EAUTH ? "refused" : "ACCEPTED");

    uint8_t r[16];
    ward_crypto_random_bytes(r, sizeof r);
    print_hex("random", r, sizeof r);
    return 0;
}
