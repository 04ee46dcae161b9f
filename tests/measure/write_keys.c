/* Test helper for run_quote_cli.sh: write an attestation key pair in the
 * Signatures.md serialization (DIR/attest.pk = 0x01 || pk, DIR/attest.sk =
 * 0x81 || seed || pk) from the seed byte SEED, and DIR/seal.secret (32
 * bytes).  Stands in for `ward keygen` so the test needs nothing else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"

static int write_file(const char *dir, const char *name, const uint8_t *a, size_t alen, const uint8_t *b,
                      size_t blen)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(a, 1, alen, f) == alen && (blen == 0 || fwrite(b, 1, blen, f) == blen);
    if (f && fclose(f) != 0)
        ok = 0;
    if (!ok)
        fprintf(stderr, "write_keys: cannot write %s\n", path);
    return ok;
}

int main(int argc, char **argv)
{
    if (argc != 3 || wcrypto_init() != 0) {
        fprintf(stderr, "usage: write_keys DIR SEED_BYTE\n");
        return 2;
    }
    uint8_t seed[32], pk[32], sk[64], secret[32];
    memset(seed, atoi(argv[2]), sizeof seed);
    memset(secret, 0x5e, sizeof secret);
    wcrypto_sign_keypair_from_seed(pk, sk, seed);
    const uint8_t pk_type = 0x01, sk_type = 0x81;
    int ok = write_file(argv[1], "attest.pk", &pk_type, 1, pk, sizeof pk) &&
             write_file(argv[1], "attest.sk", &sk_type, 1, sk, sizeof sk) &&
             write_file(argv[1], "seal.secret", secret, sizeof secret, NULL, 0);
    return ok ? 0 : 1;
}
