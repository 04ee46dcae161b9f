/* src/crypto's known answers through the C API (vectors.h): the same
 * vectors test_guest_crypto checks from a guest. */
#include <stdio.h>

#include "../test.h"
#include "crypto/crypto.h"
#include "hex.h"
#include "vectors.h"

static void test_sha2(void)
{
    uint8_t d[64];
    static const struct {
        const char *msg, *h256, *h512;
    } v[] = {{"abc", KAT_SHA256_ABC, KAT_SHA512_ABC},
             {MSG_448, KAT_SHA256_448, KAT_SHA512_448},
             {MSG_896, KAT_SHA256_896, KAT_SHA512_896}};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        wcrypto_sha256(d, (const uint8_t *)v[i].msg, strlen(v[i].msg));
        CHECK(hex_eq(d, 32, v[i].h256));
        wcrypto_sha512(d, (const uint8_t *)v[i].msg, strlen(v[i].msg));
        CHECK(hex_eq(d, 64, v[i].h512));
    }
    uint8_t *a = malloc(1000000);
    memset(a, 'a', 1000000);
    wcrypto_sha256(d, a, 1000000);
    CHECK(hex_eq(d, 32, KAT_SHA256_MILLION));
    wcrypto_sha512(d, a, 1000000);
    CHECK(hex_eq(d, 64, KAT_SHA512_MILLION));
    free(a);
}

static void test_blake2b(void)
{
    uint8_t key[64], in[255], d[64];
    for (int i = 0; i < 255; i++)
        in[i] = (uint8_t)i;
    memcpy(key, in, 64);
    CHECK(wcrypto_blake2b(d, 64, (const uint8_t *)"abc", 3, NULL, 0) == 0 && hex_eq(d, 64, KAT_BLAKE2B_ABC));
    CHECK(wcrypto_blake2b(d, 64, in, 0, key, 64) == 0 && hex_eq(d, 64, KAT_BLAKE2B_KEYED_0));
    CHECK(wcrypto_blake2b(d, 64, in, 3, key, 64) == 0 && hex_eq(d, 64, KAT_BLAKE2B_KEYED_3));
    CHECK(wcrypto_blake2b(d, 64, in, 255, key, 64) == 0 && hex_eq(d, 64, KAT_BLAKE2B_KEYED_255));
    CHECK(wcrypto_blake2b(d, 32, in, 3, key, 32) == 0 && hex_eq(d, 32, KAT_BLAKE2B256_KEY32_3));
    CHECK(wcrypto_blake2b(d, 15, in, 3, NULL, 0) == -1);
    CHECK(wcrypto_blake2b(d, 64, in, 3, key, 65) == -1);
    /* streaming, split at odd places, equals one-shot */
    wcrypto_hash h;
    CHECK(wcrypto_hash_init(&h, WCRYPTO_BLAKE2B, 64, key, 64) == 0);
    wcrypto_hash_update(&h, in, 100);
    wcrypto_hash_update(&h, in + 100, 155);
    wcrypto_hash_final(&h, d);
    CHECK(hex_eq(d, 64, KAT_BLAKE2B_KEYED_255));
}

static void test_ed25519(void)
{
    static const char *const v[][4] = {{KAT_ED_SEED1, KAT_ED_PK1, KAT_ED_MSG1, KAT_ED_SIG1},
                                       {KAT_ED_SEED2, KAT_ED_PK2, KAT_ED_MSG2, KAT_ED_SIG2},
                                       {KAT_ED_SEED3, KAT_ED_PK3, KAT_ED_MSG3, KAT_ED_SIG3}};
    for (int i = 0; i < 3; i++) {
        uint8_t seed[32], pk[32], sk[64], msg[8], sig[64];
        unhex(seed, 32, v[i][0]);
        size_t len = unhex(msg, sizeof msg, v[i][2]);
        wcrypto_sign_keypair_from_seed(pk, sk, seed);
        CHECK(hex_eq(pk, 32, v[i][1]));
        wcrypto_sign(sig, msg, len, sk);
        CHECK(hex_eq(sig, 64, v[i][3]));
        CHECK(wcrypto_verify(sig, msg, len, pk) == 0);
        sig[5] ^= 1;
        CHECK(wcrypto_verify(sig, msg, len, pk) == -1);
    }
}

static void test_aead(void)
{
    uint8_t pt[128], ad[16], key[32], nonce[24], ct[160], back[128];
    size_t n = unhex(pt, sizeof pt, KAT_AEAD_PT), adlen = unhex(ad, sizeof ad, KAT_AEAD_AD);
    unhex(key, 32, KAT_AEAD_KEY);
    unhex(nonce, 24, KAT_AEAD_NONCE);
    wcrypto_aead_encrypt(ct, pt, n, ad, adlen, nonce, key);
    CHECK(hex_eq(ct, n, KAT_AEAD_CT));
    CHECK(hex_eq(ct + n, 16, KAT_AEAD_TAG));
    CHECK(wcrypto_aead_decrypt(back, ct, n + 16, ad, adlen, nonce, key) == 0 && memcmp(back, pt, n) == 0);
    ad[0] ^= 1;
    CHECK(wcrypto_aead_decrypt(back, ct, n + 16, ad, adlen, nonce, key) == -1);
}

static void test_box_kx(void)
{
    uint8_t seed[32], pk[32], sk[32], pk2[32], sk2[32], rx[32], tx[32], sealed[64], out[64];
    unhex(seed, 32, KAT_BOX_SEED);
    wcrypto_box_keypair_from_seed(pk, sk, seed);
    CHECK(hex_eq(pk, 32, KAT_BOX_PK) && hex_eq(sk, 32, KAT_BOX_SK));
    unhex(seed, 32, KAT_BOX_SEED2);
    wcrypto_box_keypair_from_seed(pk2, sk2, seed);
    CHECK(hex_eq(pk2, 32, KAT_BOX_PK2) && hex_eq(sk2, 32, KAT_BOX_SK2));
    CHECK(wcrypto_kx_client(rx, tx, pk, sk, pk2) == 0);
    CHECK(hex_eq(rx, 32, KAT_KX_CLIENT_RX) && hex_eq(tx, 32, KAT_KX_CLIENT_TX));
    CHECK(wcrypto_kx_server(rx, tx, pk2, sk2, pk) == 0);
    CHECK(hex_eq(tx, 32, KAT_KX_CLIENT_RX) && hex_eq(rx, 32, KAT_KX_CLIENT_TX));
    size_t n = unhex(sealed, sizeof sealed, KAT_SEALED);
    CHECK(wcrypto_box_seal_open(out, sealed, n, pk, sk) == 0 && memcmp(out, "sealed for ward", 15) == 0);
    sealed[50] ^= 1;
    CHECK(wcrypto_box_seal_open(out, sealed, n, pk, sk) == -1);
    uint8_t eseed[32];
    unhex(eseed, 32, KAT_SEAL_ESEED);
    CHECK(wcrypto_box_seal_from_seed(sealed, (const uint8_t *)"sealed for ward", 15, pk, eseed) == 0);
    CHECK(hex_eq(sealed, 15 + 48, KAT_SEALED_SEEDED));
    CHECK(wcrypto_box_seal_open(out, sealed, 15 + 48, pk, sk) == 0 && memcmp(out, "sealed for ward", 15) == 0);
    memset(pk2, 0, 32); /* a low-order point */
    CHECK(wcrypto_box_seal_from_seed(sealed, (const uint8_t *)"x", 1, pk2, eseed) == -1);
}

static void test_kdf_pwhash(void)
{
    uint8_t key[32], out[64];
    for (int i = 0; i < 32; i++)
        key[i] = (uint8_t)i;
    const uint8_t *ctx = (const uint8_t *)"KDF test";
    CHECK(wcrypto_kdf(out, 32, 0, ctx, key) == 0 && hex_eq(out, 32, KAT_KDF_0));
    CHECK(wcrypto_kdf(out, 64, 1, ctx, key) == 0 && hex_eq(out, 64, KAT_KDF_1_64));
    CHECK(wcrypto_kdf(out, 16, UINT64_C(1) << 63, ctx, key) == 0 && hex_eq(out, 16, KAT_KDF_BIG_16));
    CHECK(wcrypto_pwhash(out, 32, (const uint8_t *)"password", 8, (const uint8_t *)"somesaltsomesalt", 2,
                         65536) == 0);
    CHECK(hex_eq(out, 32, KAT_ARGON2ID));
}

static void test_stream(void)
{
    uint8_t seed[32] = {0}, out[192], split[192];
    wcrypto_stream s;
    wcrypto_stream_init(&s, seed);
    wcrypto_stream_read(&s, out, 64);
    CHECK(hex_eq(out, 64, KAT_STREAM_ZERO));
    for (int i = 0; i < 32; i++)
        seed[i] = (uint8_t)i;
    wcrypto_stream_init(&s, seed);
    wcrypto_stream_read(&s, out, 192);
    CHECK(hex_eq(out, 192, KAT_STREAM_SEQ));
    wcrypto_stream_init(&s, seed);
    wcrypto_stream_read(&s, split, 7);
    wcrypto_stream_read(&s, split + 7, 100);
    wcrypto_stream_read(&s, split + 107, 85);
    CHECK(memcmp(out, split, 192) == 0);
    wcrypto_stream_wipe(&s);
}

int main(void)
{
    CHECK(wcrypto_init() == 0);
    test_sha2();
    test_blake2b();
    test_ed25519();
    test_aead();
    test_box_kx();
    test_kdf_pwhash();
    test_stream();
    return test_summary("crypto_api");
}
