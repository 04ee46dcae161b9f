/*
 * ward:crypto from a guest: every import called through the forwarder
 * module (forwarder.h) with the known-answer vectors, then bad arguments,
 * out-of-bounds ranges, overlapping ranges, handles, deterministic random
 * and exact fuel.
 */
#include <stdio.h>

#include "../test.h"
#include "forwarder.h"
#include "hex.h"
#include "vectors.h"
#include "ward_crypto.h"

enum { PAGES = 32 }; /* 2 MiB: room for the million 'a' */

typedef struct guest {
    ward_engine *engine;
    ward_module *module;
    ward_store *store;
    ward_linker *linker;
    ward_crypto *crypto;
    ward_instance *inst;
    uint8_t *mem;
} guest;

static bool guest_open_pages(guest *g, const ward_crypto_config *cfg, uint32_t pages)
{
    memset(g, 0, sizeof *g);
    size_t size;
    uint8_t *bytes = fwd_module(pages, &size);
    ward_error err = {0};
    ward_trap trap = {0};
    g->engine = ward_engine_new(NULL);
    g->module = ward_module_new(g->engine, bytes, size, &err);
    free(bytes);
    if (!g->module) {
        fprintf(stderr, "forwarder: %s\n", err.message);
        return false;
    }
    g->store = ward_store_new(g->engine);
    g->linker = ward_linker_new();
    g->crypto = ward_crypto_new(cfg, &err);
    if (!g->crypto || ward_crypto_define(g->crypto, g->linker, g->store) != WARD_OK)
        return false;
    if (ward_instantiate(g->store, g->module, g->linker, &g->inst, &err, &trap) != WARD_OK)
        return false;
    g->mem = ward_memory_data(ward_instance_memory(g->inst, "memory"));
    return true;
}

static bool guest_open(guest *g, const ward_crypto_config *cfg)
{
    return guest_open_pages(g, cfg, PAGES);
}

static void guest_close(guest *g)
{
    ward_store_free(g->store); /* frees the instance's open hash handles */
    ward_crypto_free(g->crypto);
    ward_linker_free(g->linker);
    ward_module_free(g->module);
    ward_engine_free(g->engine);
}

/* Call import id with the arguments (i32 or i64 by its type). */
static ward_result gcall_trap(guest *g, wcg_id id, const uint64_t *a, int32_t *ret, ward_trap *trap)
{
    ward_valkind p[16], r[16];
    uint32_t np, nr;
    fwd_kinds(wcg_imports[id].sig, p, &np, r, &nr);
    ward_val args[16], res[1] = {{.kind = WARD_I32}};
    for (uint32_t i = 0; i < np; i++)
        args[i] = p[i] == WARD_I32 ? ward_val_i32((int32_t)(uint32_t)a[i]) : ward_val_i64((int64_t)a[i]);
    memset(trap, 0, sizeof *trap);
    ward_result rc = ward_call(g->store, ward_instance_func(g->inst, wcg_imports[id].name), args, np, res, 1, trap);
    *ret = (int32_t)res[0].of.i32;
    return rc;
}

/* The call's result; INT32_MIN when it trapped. */
static int32_t gcall(guest *g, wcg_id id, const uint64_t *a)
{
    ward_trap trap;
    int32_t ret;
    if (gcall_trap(g, id, a, &ret, &trap) != WARD_OK) {
        fprintf(stderr, "%s trapped: %s\n", wcg_imports[id].name, trap.message);
        return INT32_MIN;
    }
    return ret;
}

#define CALL(g, id, ...) gcall(g, id, (const uint64_t[]){__VA_ARGS__})

/* Guest addresses used by the tests. */
enum { IN = 0x1000, KEY = 0x400, OUT = 0x800, OUT2 = 0xc00, NONCE = 0x380, AD = 0x3c0, BIG = 0x10000 };

static uint32_t put(guest *g, uint32_t at, const char *hex)
{
    return (uint32_t)unhex(g->mem + at, 4096, hex);
}

static void put_str(guest *g, uint32_t at, const char *s)
{
    memcpy(g->mem + at, s, strlen(s));
}

static void test_hash_kat(guest *g)
{
    static const struct {
        const char *msg, *h256, *h512;
    } v[] = {{"abc", KAT_SHA256_ABC, KAT_SHA512_ABC},
             {MSG_448, KAT_SHA256_448, KAT_SHA512_448},
             {MSG_896, KAT_SHA256_896, KAT_SHA512_896}};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        uint32_t n = (uint32_t)strlen(v[i].msg);
        put_str(g, IN, v[i].msg);
        CHECK(CALL(g, WCG_SHA256, OUT, IN, n) == 0 && hex_eq(g->mem + OUT, 32, v[i].h256));
        CHECK(CALL(g, WCG_SHA512, OUT, IN, n) == 0 && hex_eq(g->mem + OUT, 64, v[i].h512));
    }
    memset(g->mem + BIG, 'a', 1000000);
    CHECK(CALL(g, WCG_SHA256, OUT, BIG, 1000000) == 0 && hex_eq(g->mem + OUT, 32, KAT_SHA256_MILLION));
    CHECK(CALL(g, WCG_SHA512, OUT, BIG, 1000000) == 0 && hex_eq(g->mem + OUT, 64, KAT_SHA512_MILLION));
    put_str(g, IN, "abc");
    CHECK(CALL(g, WCG_BLAKE2B, OUT, 64, IN, 3, 0, 0) == 0 && hex_eq(g->mem + OUT, 64, KAT_BLAKE2B_ABC));
    for (int i = 0; i < 255; i++)
        g->mem[IN + i] = (uint8_t)i;
    memcpy(g->mem + KEY, g->mem + IN, 64);
    CHECK(CALL(g, WCG_BLAKE2B, OUT, 64, IN, 0, KEY, 64) == 0 && hex_eq(g->mem + OUT, 64, KAT_BLAKE2B_KEYED_0));
    CHECK(CALL(g, WCG_BLAKE2B, OUT, 64, IN, 3, KEY, 64) == 0 && hex_eq(g->mem + OUT, 64, KAT_BLAKE2B_KEYED_3));
    CHECK(CALL(g, WCG_BLAKE2B, OUT, 64, IN, 255, KEY, 64) == 0 &&
          hex_eq(g->mem + OUT, 64, KAT_BLAKE2B_KEYED_255));
    CHECK(CALL(g, WCG_BLAKE2B, OUT, 32, IN, 3, KEY, 32) == 0 && hex_eq(g->mem + OUT, 32, KAT_BLAKE2B256_KEY32_3));
}

static void test_streaming(guest *g)
{
    for (int i = 0; i < 255; i++)
        g->mem[IN + i] = (uint8_t)i;
    memcpy(g->mem + KEY, g->mem + IN, 64);
    int32_t h = CALL(g, WCG_HASH_INIT, WCRYPTO_BLAKE2B, 64, KEY, 64);
    CHECK(h >= 1);
    CHECK(CALL(g, WCG_HASH_UPDATE, h, IN, 1) == 0);
    CHECK(CALL(g, WCG_HASH_UPDATE, h, IN + 1, 200) == 0);
    CHECK(CALL(g, WCG_HASH_UPDATE, h, IN + 201, 54) == 0);
    CHECK(CALL(g, WCG_HASH_FINAL, h, OUT, 32) == WARD_CRYPTO_EINVAL); /* not its size: still open */
    CHECK(CALL(g, WCG_HASH_FINAL, h, OUT, 64) == 0 && hex_eq(g->mem + OUT, 64, KAT_BLAKE2B_KEYED_255));
    CHECK(CALL(g, WCG_HASH_UPDATE, h, IN, 1) == WARD_CRYPTO_EHANDLE); /* closed by final */
    put_str(g, IN, MSG_896);
    int32_t h256 = CALL(g, WCG_HASH_INIT, WCRYPTO_SHA256, 32, 0, 0);
    int32_t h512 = CALL(g, WCG_HASH_INIT, WCRYPTO_SHA512, 64, 0, 0);
    CHECK(h256 >= 1 && h512 >= 1 && h256 != h512);
    for (uint32_t off = 0; off < 112; off += 16) {
        CHECK(CALL(g, WCG_HASH_UPDATE, h256, IN + off, 16) == 0);
        CHECK(CALL(g, WCG_HASH_UPDATE, h512, IN + off, 16) == 0);
    }
    CHECK(CALL(g, WCG_HASH_FINAL, h256, OUT, 32) == 0 && hex_eq(g->mem + OUT, 32, KAT_SHA256_896));
    CHECK(CALL(g, WCG_HASH_FINAL, h512, OUT, 64) == 0 && hex_eq(g->mem + OUT, 64, KAT_SHA512_896));
    /* bad handles and arguments */
    CHECK(CALL(g, WCG_HASH_UPDATE, 0, IN, 1) == WARD_CRYPTO_EHANDLE);
    CHECK(CALL(g, WCG_HASH_UPDATE, 0xffffffff, IN, 1) == WARD_CRYPTO_EHANDLE);
    CHECK(CALL(g, WCG_HASH_FINAL, 12345, OUT, 32) == WARD_CRYPTO_EHANDLE);
    CHECK(CALL(g, WCG_HASH_FREE, 7) == WARD_CRYPTO_EHANDLE);
    CHECK(CALL(g, WCG_HASH_INIT, 9, 32, 0, 0) == WARD_CRYPTO_EINVAL);
    CHECK(CALL(g, WCG_HASH_INIT, WCRYPTO_SHA256, 64, 0, 0) == WARD_CRYPTO_EINVAL);
    CHECK(CALL(g, WCG_HASH_INIT, WCRYPTO_SHA256, 32, KEY, 16) == WARD_CRYPTO_EINVAL);
    CHECK(CALL(g, WCG_HASH_INIT, WCRYPTO_BLAKE2B, 15, 0, 0) == WARD_CRYPTO_EINVAL);
    CHECK(CALL(g, WCG_HASH_INIT, WCRYPTO_BLAKE2B, 65, 0, 0) == WARD_CRYPTO_EINVAL);
    CHECK(CALL(g, WCG_HASH_INIT, WCRYPTO_BLAKE2B, 32, KEY, 65) == WARD_CRYPTO_EINVAL);
}

/* A table of 3: full, freed, reused; handles left open are freed with
 * the store (ASan: no leak). */
static void test_handle_table(void)
{
    ward_crypto_config cfg;
    ward_crypto_config_default(&cfg);
    cfg.max_handles = 3;
    guest g;
    CHECK(guest_open(&g, &cfg));
    int32_t h[3];
    for (int i = 0; i < 3; i++)
        CHECK((h[i] = CALL(&g, WCG_HASH_INIT, WCRYPTO_BLAKE2B, 32, KEY, 32)) >= 1);
    CHECK(CALL(&g, WCG_HASH_INIT, WCRYPTO_SHA256, 32, 0, 0) == WARD_CRYPTO_EFULL);
    CHECK(CALL(&g, WCG_HASH_FREE, h[1]) == 0);
    CHECK(CALL(&g, WCG_HASH_FREE, h[1]) == WARD_CRYPTO_EHANDLE);
    CHECK(CALL(&g, WCG_HASH_INIT, WCRYPTO_SHA256, 32, 0, 0) == h[1]);
    CHECK(CALL(&g, WCG_HASH_UPDATE, 4, IN, 1) == WARD_CRYPTO_EHANDLE);
    guest_close(&g); /* three states still open */
}

static void test_aead(guest *g)
{
    uint32_t n = put(g, IN, KAT_AEAD_PT), adlen = put(g, AD, KAT_AEAD_AD);
    put(g, KEY, KAT_AEAD_KEY);
    put(g, NONCE, KAT_AEAD_NONCE);
    CHECK(CALL(g, WCG_AEAD_ENCRYPT, OUT, IN, n, AD, adlen, NONCE, KEY) == 0);
    CHECK(hex_eq(g->mem + OUT, n, KAT_AEAD_CT) && hex_eq(g->mem + OUT + n, 16, KAT_AEAD_TAG));
    CHECK(CALL(g, WCG_AEAD_DECRYPT, OUT2, OUT, n + 16, AD, adlen, NONCE, KEY) == 0);
    CHECK(hex_eq(g->mem + OUT2, n, KAT_AEAD_PT));
    g->mem[OUT + 3] ^= 1;
    CHECK(CALL(g, WCG_AEAD_DECRYPT, OUT2, OUT, n + 16, AD, adlen, NONCE, KEY) == WARD_CRYPTO_EAUTH);
    g->mem[OUT + 3] ^= 1;
    CHECK(CALL(g, WCG_AEAD_DECRYPT, OUT2, OUT, n + 16, AD, adlen - 1, NONCE, KEY) == WARD_CRYPTO_EAUTH);
    CHECK(CALL(g, WCG_AEAD_DECRYPT, OUT2, OUT, 15, AD, adlen, NONCE, KEY) == WARD_CRYPTO_EINVAL);
    /* in place, and shifted by one byte either way */
    put(g, OUT, KAT_AEAD_PT);
    CHECK(CALL(g, WCG_AEAD_ENCRYPT, OUT, OUT, n, AD, adlen, NONCE, KEY) == 0);
    CHECK(hex_eq(g->mem + OUT, n, KAT_AEAD_CT) && hex_eq(g->mem + OUT + n, 16, KAT_AEAD_TAG));
    CHECK(CALL(g, WCG_AEAD_DECRYPT, OUT + 1, OUT, n + 16, AD, adlen, NONCE, KEY) == 0);
    CHECK(hex_eq(g->mem + OUT + 1, n, KAT_AEAD_PT));
    put(g, OUT + 1, KAT_AEAD_PT);
    CHECK(CALL(g, WCG_AEAD_ENCRYPT, OUT, OUT + 1, n, AD, adlen, NONCE, KEY) == 0);
    CHECK(hex_eq(g->mem + OUT, n, KAT_AEAD_CT) && hex_eq(g->mem + OUT + n, 16, KAT_AEAD_TAG));
    /* the key inside the output range: read before it is overwritten */
    put(g, OUT + 8, KAT_AEAD_KEY);
    CHECK(CALL(g, WCG_AEAD_ENCRYPT, OUT, IN, n, AD, adlen, NONCE, OUT + 8) == 0);
    CHECK(hex_eq(g->mem + OUT, n, KAT_AEAD_CT));
}

static void test_ed25519(guest *g)
{
    static const char *const v[][4] = {{KAT_ED_SEED1, KAT_ED_PK1, KAT_ED_MSG1, KAT_ED_SIG1},
                                       {KAT_ED_SEED2, KAT_ED_PK2, KAT_ED_MSG2, KAT_ED_SIG2},
                                       {KAT_ED_SEED3, KAT_ED_PK3, KAT_ED_MSG3, KAT_ED_SIG3}};
    enum { SEED = 0x100, PK = 0x140, SK = 0x180, SIG = 0x200, MSG = 0x280 };
    for (int i = 0; i < 3; i++) {
        put(g, SEED, v[i][0]);
        uint32_t len = put(g, MSG, v[i][2]);
        CHECK(CALL(g, WCG_SIGN_KEYPAIR, PK, SK, SEED) == 0 && hex_eq(g->mem + PK, 32, v[i][1]));
        CHECK(hex_eq(g->mem + SK + 32, 32, v[i][1]));
        CHECK(CALL(g, WCG_SIGN, SIG, MSG, len, SK) == 0 && hex_eq(g->mem + SIG, 64, v[i][3]));
        CHECK(CALL(g, WCG_VERIFY, SIG, MSG, len, PK) == 0);
        g->mem[SIG + 40] ^= 0x10;
        CHECK(CALL(g, WCG_VERIFY, SIG, MSG, len, PK) == WARD_CRYPTO_EAUTH);
    }
    /* the seed and the key pair in one range */
    put(g, SEED, KAT_ED_SEED1);
    CHECK(CALL(g, WCG_SIGN_KEYPAIR, SEED, SEED + 32, SEED) == 0 && hex_eq(g->mem + SEED, 32, KAT_ED_PK1));
}

static void test_box_kx(guest *g)
{
    enum { SEED = 0x100, PK = 0x140, SK = 0x160, PK2 = 0x180, SK2 = 0x1a0, RX = 0x1c0, TX = 0x1e0 };
    put(g, SEED, KAT_BOX_SEED);
    CHECK(CALL(g, WCG_BOX_KEYPAIR, PK, SK, SEED) == 0);
    CHECK(hex_eq(g->mem + PK, 32, KAT_BOX_PK) && hex_eq(g->mem + SK, 32, KAT_BOX_SK));
    put(g, SEED, KAT_BOX_SEED2);
    CHECK(CALL(g, WCG_BOX_KEYPAIR, PK2, SK2, SEED) == 0 && hex_eq(g->mem + PK2, 32, KAT_BOX_PK2));
    CHECK(CALL(g, WCG_KX_CLIENT, RX, TX, PK, SK, PK2) == 0);
    CHECK(hex_eq(g->mem + RX, 32, KAT_KX_CLIENT_RX) && hex_eq(g->mem + TX, 32, KAT_KX_CLIENT_TX));
    CHECK(CALL(g, WCG_KX_SERVER, RX, TX, PK2, SK2, PK) == 0);
    CHECK(hex_eq(g->mem + TX, 32, KAT_KX_CLIENT_RX) && hex_eq(g->mem + RX, 32, KAT_KX_CLIENT_TX));
    memset(g->mem + SEED, 0, 32); /* the all-zero point: a low-order key */
    CHECK(CALL(g, WCG_KX_CLIENT, RX, TX, PK, SK, SEED) == WARD_CRYPTO_EINVAL);
    CHECK(CALL(g, WCG_KX_SERVER, RX, TX, PK2, SK2, SEED) == WARD_CRYPTO_EINVAL);
    /* a box PyNaCl sealed; one we seal; forged ones */
    uint32_t n = put(g, IN, KAT_SEALED);
    CHECK(CALL(g, WCG_BOX_SEAL_OPEN, OUT, IN, n, PK, SK) == 0 && memcmp(g->mem + OUT, "sealed for ward", 15) == 0);
    g->mem[IN + 60] ^= 1;
    CHECK(CALL(g, WCG_BOX_SEAL_OPEN, OUT, IN, n, PK, SK) == WARD_CRYPTO_EAUTH);
    CHECK(CALL(g, WCG_BOX_SEAL_OPEN, OUT, IN, 47, PK, SK) == WARD_CRYPTO_EINVAL);
    CHECK(CALL(g, WCG_BOX_SEAL_OPEN, OUT, IN, n, PK2, SK2) == WARD_CRYPTO_EAUTH);
    put_str(g, OUT + 10, "in place, overlapping");
    CHECK(CALL(g, WCG_BOX_SEAL, OUT, OUT + 10, 21, PK2) == 0);
    CHECK(CALL(g, WCG_BOX_SEAL_OPEN, OUT + 5, OUT, 21 + 48, PK2, SK2) == 0);
    CHECK(memcmp(g->mem + OUT + 5, "in place, overlapping", 21) == 0);
    CHECK(CALL(g, WCG_BOX_SEAL, OUT, IN, 10, SEED) == WARD_CRYPTO_EINVAL);
}

static void test_kdf_pwhash_equal(guest *g)
{
    for (int i = 0; i < 32; i++)
        g->mem[KEY + i] = (uint8_t)i;
    put_str(g, NONCE, "KDF test");
    CHECK(CALL(g, WCG_KDF_DERIVE, OUT, 32, 0, NONCE, KEY) == 0 && hex_eq(g->mem + OUT, 32, KAT_KDF_0));
    CHECK(CALL(g, WCG_KDF_DERIVE, OUT, 64, 1, NONCE, KEY) == 0 && hex_eq(g->mem + OUT, 64, KAT_KDF_1_64));
    CHECK(CALL(g, WCG_KDF_DERIVE, OUT, 16, UINT64_C(1) << 63, NONCE, KEY) == 0 &&
          hex_eq(g->mem + OUT, 16, KAT_KDF_BIG_16));
    CHECK(CALL(g, WCG_KDF_DERIVE, OUT, 15, 0, NONCE, KEY) == WARD_CRYPTO_EINVAL);
    CHECK(CALL(g, WCG_KDF_DERIVE, OUT, 65, 0, NONCE, KEY) == WARD_CRYPTO_EINVAL);
    put_str(g, IN, "password");
    put_str(g, AD, "somesaltsomesalt");
    CHECK(CALL(g, WCG_PWHASH, OUT, 32, IN, 8, AD, 2, 65536) == 0 && hex_eq(g->mem + OUT, 32, KAT_ARGON2ID));
    /* the password inside the output range */
    put_str(g, OUT, "password");
    CHECK(CALL(g, WCG_PWHASH, OUT, 32, OUT, 8, AD, 2, 65536) == 0 && hex_eq(g->mem + OUT, 32, KAT_ARGON2ID));
    CHECK(CALL(g, WCG_PWHASH, OUT, 32, IN, 8, AD, 5, 65536) == WARD_CRYPTO_ELIMIT);        /* ops cap 4 */
    CHECK(CALL(g, WCG_PWHASH, OUT, 32, IN, 8, AD, 1, (64u << 20) + 1) == WARD_CRYPTO_ELIMIT); /* 64 MiB */
    CHECK(CALL(g, WCG_PWHASH, OUT, 32, IN, 8, AD, UINT64_MAX, UINT64_MAX) == WARD_CRYPTO_ELIMIT);
    CHECK(CALL(g, WCG_PWHASH, OUT, 32, IN, 8, AD, 0, 65536) == WARD_CRYPTO_EINVAL);
    CHECK(CALL(g, WCG_PWHASH, OUT, 32, IN, 8, AD, 1, 4096) == WARD_CRYPTO_EINVAL);
    CHECK(CALL(g, WCG_PWHASH, OUT, 15, IN, 8, AD, 1, 65536) == WARD_CRYPTO_EINVAL);
    put_str(g, OUT, "same bytes");
    put_str(g, OUT2, "same bytes");
    CHECK(CALL(g, WCG_EQUAL, OUT, OUT2, 10) == 1);
    g->mem[OUT2 + 9] ^= 1;
    CHECK(CALL(g, WCG_EQUAL, OUT, OUT2, 10) == 0);
    CHECK(CALL(g, WCG_EQUAL, OUT, OUT2, 0) == 1);
    CHECK(CALL(g, WCG_BLAKE2B, OUT, 15, IN, 3, 0, 0) == WARD_CRYPTO_EINVAL);
    CHECK(CALL(g, WCG_BLAKE2B, OUT, 65, IN, 3, 0, 0) == WARD_CRYPTO_EINVAL);
    CHECK(CALL(g, WCG_BLAKE2B, OUT, 32, IN, 3, KEY, 65) == WARD_CRYPTO_EINVAL);
}

/* Every import with one range past the end traps; the store stays usable. */
static void test_out_of_bounds(guest *g)
{
    uint64_t end = (uint64_t)PAGES * 65536;
    ward_trap trap;
    int32_t ret;
    struct {
        wcg_id id;
        uint64_t a[8];
    } calls[] = {
        {WCG_SHA256, {end - 31, IN, 3}},
        {WCG_SHA256, {OUT, end - 2, 3}},
        {WCG_SHA512, {OUT, 0xffffffff, 2}},
        {WCG_BLAKE2B, {OUT, 32, IN, 3, end, 1}},
        {WCG_HASH_INIT, {WCRYPTO_BLAKE2B, 32, end - 10, 16}},
        {WCG_RANDOM_BYTES, {end - 4, 5}},
        {WCG_AEAD_ENCRYPT, {end - 16, IN, 1, AD, 0, NONCE, KEY}},
        {WCG_AEAD_DECRYPT, {OUT, IN, 32, AD, 0, NONCE, end - 31}},
        {WCG_SIGN_KEYPAIR, {OUT, end - 63, KEY}},
        {WCG_SIGN, {OUT, 0x7fffffff, 0x7fffffff, KEY}},
        {WCG_VERIFY, {end - 63, IN, 0, KEY}},
        {WCG_BOX_KEYPAIR, {OUT, OUT2, end - 1}},
        {WCG_BOX_SEAL, {OUT, IN, 0xffffffff, KEY}},
        {WCG_BOX_SEAL_OPEN, {OUT, end - 48, 49, KEY, KEY}},
        {WCG_KX_CLIENT, {OUT, OUT2, KEY, KEY, end}},
        {WCG_KX_SERVER, {end - 31, OUT2, KEY, KEY, KEY}},
        {WCG_KDF_DERIVE, {OUT, 32, 0, end - 7, KEY}},
        {WCG_PWHASH, {OUT, 32, IN, 8, end - 15, 1, 8192}},
        {WCG_EQUAL, {OUT, end - 9, 10}},
    };
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        ward_result rc = gcall_trap(g, calls[i].id, calls[i].a, &ret, &trap);
        CHECK_MSG(rc == WARD_TRAP && trap.kind == WARD_TRAP_OOB_MEMORY, "%s", wcg_imports[calls[i].id].name);
    }
    put_str(g, IN, "abc");
    CHECK(CALL(g, WCG_SHA256, OUT, IN, 3) == 0 && hex_eq(g->mem + OUT, 32, KAT_SHA256_ABC));
    int32_t h = CALL(g, WCG_HASH_INIT, WCRYPTO_SHA256, 32, 0, 0);
    CHECK(gcall_trap(g, WCG_HASH_FINAL, (const uint64_t[]){(uint64_t)h, end - 1, 32}, &ret, &trap) == WARD_TRAP);
    CHECK(CALL(g, WCG_HASH_FINAL, h, OUT, 32) == 0); /* the trap left it open */
}

/* 100 bytes from a fresh ward:crypto, drawn as the given pieces. */
static void draw(const ward_crypto_config *cfg, const uint32_t *pieces, int n, uint8_t out[100])
{
    guest g;
    CHECK(guest_open(&g, cfg));
    uint32_t at = 0;
    for (int i = 0; i < n; i++) {
        CHECK(CALL(&g, WCG_RANDOM_BYTES, OUT + at, pieces[i]) == 0);
        at += pieces[i];
    }
    memcpy(out, g.mem + OUT, 100);
    guest_close(&g);
}

/* "sealed for ward" sealed to KAT_BOX_PK by a fresh ward:crypto, which
 * opens it again. */
static void seal_one(const ward_crypto_config *cfg, uint8_t out[100])
{
    guest g;
    CHECK(guest_open(&g, cfg));
    enum { PK = 0x100, SK = 0x120 };
    put(&g, PK, KAT_BOX_PK);
    put(&g, SK, KAT_BOX_SK);
    put_str(&g, IN, "sealed for ward");
    CHECK(CALL(&g, WCG_BOX_SEAL, OUT, IN, 15, PK) == 0);
    CHECK(CALL(&g, WCG_BOX_SEAL_OPEN, OUT2, OUT, 15 + 48, PK, SK) == 0);
    CHECK(memcmp(g.mem + OUT2, "sealed for ward", 15) == 0);
    memcpy(out, g.mem + OUT, 100);
    guest_close(&g);
}

static void test_random(void)
{
    ward_crypto_config cfg;
    ward_crypto_config_default(&cfg);
    uint8_t a[100], b[100], c[100], d[100];
    cfg.deterministic = true; /* no seed: 32 zero bytes */
    draw(&cfg, (const uint32_t[]){64, 36}, 2, a);
    CHECK(hex_eq(a, 64, KAT_STREAM_ZERO));
    cfg.has_seed = true;
    for (int i = 0; i < 32; i++)
        cfg.seed[i] = (uint8_t)i;
    draw(&cfg, (const uint32_t[]){100}, 1, a);
    draw(&cfg, (const uint32_t[]){100}, 1, b);
    draw(&cfg, (const uint32_t[]){1, 63, 0, 17, 19}, 5, c);
    CHECK(memcmp(a, b, 100) == 0);
    CHECK(memcmp(a, c, 100) == 0);
    uint8_t seq[192];
    unhex(seq, sizeof seq, KAT_STREAM_SEQ);
    CHECK(memcmp(a, seq, 100) == 0);
    cfg.seed[31] ^= 1;
    draw(&cfg, (const uint32_t[]){100}, 1, d);
    CHECK(memcmp(a, d, 100) != 0);
    /* box_seal draws its ephemeral key from the stream: the same box twice */
    uint8_t box1[100], box2[100];
    seal_one(&cfg, box1);
    seal_one(&cfg, box2);
    CHECK(memcmp(box1, box2, 15 + 48) == 0);
    cfg.deterministic = false; /* the OS source */
    seal_one(&cfg, box1);
    seal_one(&cfg, box2);
    CHECK(memcmp(box1, box2, 15 + 48) != 0);
    draw(&cfg, (const uint32_t[]){100}, 1, a);
    draw(&cfg, (const uint32_t[]){100}, 1, b);
    CHECK(memcmp(a, b, 100) != 0);
}

/* Exact fuel: the forwarder's instructions plus the call's price pay for
 * it to the unit; a budget one unit short of the call's price traps in
 * the host call, charging nothing for it, with the output untouched. */
static void fuel_case(guest *g, wcg_id id, const uint64_t *a, uint64_t bytes, uint64_t units, uint32_t out,
                      uint32_t outlen)
{
    uint64_t need = fwd_instructions(id) + wguest_cost(&wcg_prices[id], bytes, units);
    ward_trap trap;
    int32_t ret;
    ward_store_set_fuel(g->store, need);
    CHECK_MSG(gcall_trap(g, id, a, &ret, &trap) == WARD_OK && ret == 0, "%s with exact fuel", wcg_imports[id].name);
    CHECK(ward_store_fuel_remaining(g->store) == 0);
    CHECK(ward_store_fuel_consumed(g->store) == need);
    /* one unit less: the call is paid, the forwarder's final `end` is not */
    ward_store_set_fuel(g->store, need - 1);
    CHECK(gcall_trap(g, id, a, &ret, &trap) == WARD_TRAP && trap.kind == WARD_TRAP_OUT_OF_FUEL);
    CHECK(ward_store_fuel_consumed(g->store) == need - 1);
    /* one unit short of the call's price: it traps before any work */
    memset(g->mem + out, 0xa5, outlen);
    ward_store_set_fuel(g->store, need - 2);
    CHECK(gcall_trap(g, id, a, &ret, &trap) == WARD_TRAP && trap.kind == WARD_TRAP_OUT_OF_FUEL);
    CHECK(ward_store_fuel_consumed(g->store) == fwd_instructions(id) - 1);
    bool untouched = true;
    for (uint32_t i = 0; i < outlen; i++)
        untouched &= g->mem[out + i] == 0xa5;
    CHECK_MSG(untouched, "%s wrote with too little fuel", wcg_imports[id].name);
    ward_store_disable_fuel(g->store);
}

static void test_fuel(guest *g)
{
    put_str(g, IN, MSG_896);
    fuel_case(g, WCG_SHA256, (const uint64_t[]){OUT, IN, 112}, 112, 0, OUT, 32);
    fuel_case(g, WCG_BLAKE2B, (const uint64_t[]){OUT, 40, IN, 112, KEY, 20}, 132, 0, OUT, 40);
    put(g, KEY, KAT_AEAD_KEY);
    fuel_case(g, WCG_AEAD_ENCRYPT, (const uint64_t[]){OUT, IN, 100, AD, 12, NONCE, KEY}, 112, 0, OUT, 116);
    fuel_case(g, WCG_SIGN, (const uint64_t[]){OUT, IN, 112, KEY}, 112, 0, OUT, 64);
    put_str(g, AD, "somesaltsomesalt");
    fuel_case(g, WCG_PWHASH, (const uint64_t[]){OUT, 16, IN, 8, AD, 1, 8192}, 24, 8, OUT, 16);
    fuel_case(g, WCG_RANDOM_BYTES, (const uint64_t[]){OUT, 77}, 77, 0, OUT, 77);
    /* a price that saturates cannot be paid by any budget */
    wguest_price huge = {1, UINT64_MAX, 0};
    CHECK(wguest_cost(&huge, 2, 0) == UINT64_MAX);
    CHECK(wguest_cost(&wcg_prices[WCG_PWHASH], 0, UINT64_MAX) == UINT64_MAX);
    /* over the cap, the price is that of the cap: no out of fuel instead of ELIMIT */
    ward_store_set_fuel(g->store, UINT64_C(1) << 40);
    CHECK(CALL(g, WCG_PWHASH, OUT, 32, IN, 8, AD, UINT64_MAX, UINT64_MAX) == WARD_CRYPTO_ELIMIT);
    ward_store_disable_fuel(g->store);
}

/* Regression: an output size computed from a guest length (inlen + 16,
 * inlen + 48) passes 2^32 in a 4 GiB memory; it was narrowed to 32 bits
 * when the span was taken, so the range check passed on a few bytes and
 * the primitive wrote 4 GiB past them.  The memory is reserved, not
 * touched: nothing runs but the checks. */
static void test_4gib_sizes(void)
{
    guest g;
    if (!guest_open_pages(&g, NULL, 65536)) {
        CHECK_MSG(0, "cannot instantiate a 4 GiB memory");
        guest_close(&g);
        return;
    }
    ward_trap trap;
    int32_t ret;
    uint64_t in_len = (UINT64_C(1) << 32) - 16;
    CHECK(gcall_trap(&g, WCG_AEAD_ENCRYPT, (const uint64_t[]){1, 16, in_len, 0, 0, 0, 0}, &ret, &trap) == WARD_TRAP &&
          trap.kind == WARD_TRAP_OOB_MEMORY);
    in_len = (UINT64_C(1) << 32) - 48;
    CHECK(gcall_trap(&g, WCG_BOX_SEAL, (const uint64_t[]){1, 48, in_len, 0}, &ret, &trap) == WARD_TRAP &&
          trap.kind == WARD_TRAP_OOB_MEMORY);
    guest_close(&g);
}

int main(void)
{
    guest g;
    CHECK(guest_open(&g, NULL));
    test_hash_kat(&g);
    test_streaming(&g);
    test_aead(&g);
    test_ed25519(&g);
    test_box_kx(&g);
    test_kdf_pwhash_equal(&g);
    test_out_of_bounds(&g);
    test_fuel(&g);
    guest_close(&g);
    test_handle_table();
    test_random();
    test_4gib_sizes();
    return test_summary("guest_crypto");
}
