/* ward:tee from a guest (tee_guest.wat, whose exports call the imports):
 * extends of 8-15 only, reads, quotes the host verifies, seal/unseal,
 * out-of-bounds ranges trapping, fuel charged before the work.
 * argv[1]: the directory holding tee_guest.wasm. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "../test.h"
#include "ward_guest_tee.h"
#include "ward_measure.h"

typedef struct guest {
    ward_engine *engine;
    ward_module *module;
    ward_store *store;
    ward_linker *linker;
    ward_instance *inst;
    ward_measure *m;
    uint8_t *mem;
    uint8_t pk[32];
} guest;

static bool guest_open(guest *g, const char *dir, bool keys)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tee_guest.wasm", dir);
    memset(g, 0, sizeof *g);
    ward_error err = {0};
    ward_trap trap = {0};
    g->engine = ward_engine_new(NULL);
    g->module = ward_module_from_file(g->engine, path, &err);
    if (!g->module) {
        fprintf(stderr, "%s\n", err.message);
        return false;
    }
    g->store = ward_store_new(g->engine);
    g->linker = ward_linker_new();
    g->m = ward_measure_new(0);
    if (keys) {
        uint8_t seed[32], sk[64], secret[32];
        memset(seed, 0x42, sizeof seed);
        memset(secret, 0x24, sizeof secret);
        wcrypto_sign_keypair_from_seed(g->pk, sk, seed);
        ward_measure_set_attestation_key(g->m, sk);
        ward_measure_set_seal_secret(g->m, secret);
    }
    if (ward_tee_define(g->m, g->linker, g->store) != WARD_OK ||
        ward_instantiate(g->store, g->module, g->linker, &g->inst, &err, &trap) != WARD_OK)
        return false;
    g->mem = ward_memory_data(ward_instance_memory(g->inst, "memory"));
    return true;
}

static void guest_close(guest *g)
{
    ward_store_free(g->store);
    ward_linker_free(g->linker);
    ward_module_free(g->module);
    ward_engine_free(g->engine);
    ward_measure_free(g->m);
}

/* Call export name with i32 arguments: its result, or INT32_MIN when it
 * trapped (the trap's kind in *kind). */
static int32_t call(guest *g, const char *name, ward_trap_kind *kind, int n, ...)
{
    ward_val args[5], result = {.kind = WARD_I32};
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        args[i] = ward_val_i32((int32_t)va_arg(ap, uint32_t));
    va_end(ap);
    ward_trap trap = {0};
    ward_result r = ward_call(g->store, ward_instance_func(g->inst, name), args, (size_t)n, &result, 1, &trap);
    if (kind)
        *kind = trap.kind;
    return r == WARD_OK ? (int32_t)result.of.i32 : INT32_MIN;
}

static void test_extend_and_read(guest *g)
{
    memcpy(g->mem, "hello", 5);
    for (uint32_t reg = 8; reg < 16; reg++)
        CHECK(call(g, "extend", NULL, 3, reg, 0u, 5u) == 0);
    for (uint32_t reg = 0; reg < 8; reg++)
        CHECK(call(g, "extend", NULL, 3, reg, 0u, 5u) == WARD_TEE_EPERM);
    CHECK(call(g, "extend", NULL, 3, 16u, 0u, 5u) == WARD_TEE_EINVAL);
    CHECK(call(g, "extend", NULL, 3, 0xFFFFFFFFu, 0u, 5u) == WARD_TEE_EINVAL);
    /* R8 = SHA-256(0^32 || SHA-256("hello")) */
    uint8_t both[64] = {0}, want[32], r[32];
    wcrypto_sha256(both + 32, (const uint8_t *)"hello", 5);
    wcrypto_sha256(want, both, 64);
    CHECK(ward_measure_read(g->m, 8, r) == WARD_MEASURE_OK && memcmp(r, want, 32) == 0);
    CHECK(ward_measure_read(g->m, 0, r) == WARD_MEASURE_OK && r[0] == 0 && r[31] == 0);
    CHECK(call(g, "read", NULL, 2, 8u, 100u) == 0 && memcmp(g->mem + 100, want, 32) == 0);
    CHECK(call(g, "read", NULL, 2, 16u, 100u) == WARD_TEE_EINVAL);
    /* the log holds the guest's events, described as such */
    uint8_t *log;
    size_t len;
    uint8_t regs[16][32];
    CHECK(ward_measure_export_log(g->m, &log, &len) == WARD_MEASURE_OK);
    CHECK(ward_measure_log_replay(log, len, regs, NULL, NULL, NULL) == WARD_MEASURE_OK);
    CHECK(memcmp(regs[8], want, 32) == 0 && len == 12 + 8 * (34 + 5));
    free(log);
}

static void test_quote(guest *g)
{
    memcpy(g->mem + 200, "nonce-01", 8);
    int32_t len = call(g, "quote", NULL, 5, 200u, 8u, 0x101u, 1024u, 1000u);
    CHECK(len == (int32_t)WARD_TEE_QUOTE_SIZE(8u, 2u));
    uint8_t *log;
    size_t loglen;
    CHECK(ward_measure_export_log(g->m, &log, &loglen) == WARD_MEASURE_OK);
    ward_measure_error err = {0};
    CHECK_MSG(ward_quote_verify(g->mem + 1024, (size_t)len, g->pk, (const uint8_t *)"nonce-01", 8, log, loglen, NULL,
                                &err) == WARD_MEASURE_OK,
              "%s", err.message);
    free(log);
    /* too small a buffer: a code and no byte written */
    memset(g->mem + 4096, 0xAA, 1024);
    CHECK(call(g, "quote", NULL, 5, 200u, 8u, 0x101u, 4096u, (uint32_t)len - 1) == WARD_TEE_ESPACE);
    CHECK(g->mem[4096] == 0xAA && g->mem[4096 + len - 2] == 0xAA);
    CHECK(call(g, "quote", NULL, 5, 200u, 8u, 0u, 4096u, 1000u) == WARD_TEE_EINVAL);
    CHECK(call(g, "quote", NULL, 5, 200u, 8u, 0x10000u, 4096u, 1000u) == WARD_TEE_EINVAL);
    CHECK(call(g, "quote", NULL, 5, 200u, 65u, 1u, 4096u, 1000u) == WARD_TEE_EINVAL);
    /* the largest quote fits WARD_TEE_QUOTE_MAX */
    CHECK(call(g, "quote", NULL, 5, 200u, 64u, 0xFFFFu, 4096u, (uint32_t)WARD_TEE_QUOTE_MAX) ==
          (int32_t)WARD_TEE_QUOTE_MAX);
}

static void test_seal(guest *g)
{
    memcpy(g->mem + 300, "secret data", 11);
    int32_t blen = call(g, "seal", NULL, 5, 0x100u, 300u, 11u, 2000u, 100u);
    CHECK(blen == 11 + WARD_TEE_SEAL_OVERHEAD);
    CHECK(call(g, "unseal", NULL, 4, 2000u, (uint32_t)blen, 3000u, 100u) == 11);
    CHECK(memcmp(g->mem + 3000, "secret data", 11) == 0);
    CHECK(call(g, "unseal", NULL, 4, 2000u, (uint32_t)blen, 3000u, 10u) == WARD_TEE_ESPACE);
    CHECK(call(g, "seal", NULL, 5, 0x100u, 300u, 11u, 2000u, 58u) == WARD_TEE_ESPACE);
    CHECK(call(g, "seal", NULL, 5, 0u, 300u, 11u, 2000u, 100u) == WARD_TEE_EINVAL);
    CHECK(call(g, "seal", NULL, 5, 0x100u, 300u, 11u, 305u, 100u) == WARD_TEE_EINVAL); /* overlap */
    CHECK(call(g, "unseal", NULL, 4, 2000u, (uint32_t)blen, 2010u, 100u) == WARD_TEE_EINVAL);
    /* an unselected register moves: it still opens; a selected one: no more */
    CHECK(call(g, "extend", NULL, 3, 9u, 300u, 1u) == 0);
    CHECK(call(g, "unseal", NULL, 4, 2000u, (uint32_t)blen, 3000u, 100u) == 11);
    CHECK(call(g, "extend", NULL, 3, 8u, 300u, 1u) == 0);
    CHECK(call(g, "unseal", NULL, 4, 2000u, (uint32_t)blen, 3000u, 100u) == WARD_TEE_EAUTH);
    g->mem[2000] = 'X';
    CHECK(call(g, "unseal", NULL, 4, 2000u, (uint32_t)blen, 3000u, 100u) == WARD_TEE_EMALFORMED);
    CHECK(call(g, "unseal", NULL, 4, 2000u, 10u, 3000u, 100u) == WARD_TEE_EMALFORMED);
}

/* A range outside memory traps, whichever argument it is. */
static void test_out_of_bounds(guest *g)
{
    ward_trap_kind kind = WARD_TRAP_NONE;
    uint8_t before[32], after[32];
    ward_measure_read(g->m, 8, before);
    CHECK(call(g, "extend", &kind, 3, 8u, 0xFFFFFFF0u, 100u) == INT32_MIN && kind == WARD_TRAP_OOB_MEMORY);
    CHECK(call(g, "extend", &kind, 3, 8u, 65530u, 7u) == INT32_MIN && kind == WARD_TRAP_OOB_MEMORY);
    CHECK(call(g, "extend", NULL, 3, 8u, 65530u, 6u) == 0); /* the last bytes are in bounds */
    CHECK(call(g, "extend", &kind, 3, 0u, 65530u, 7u) == INT32_MIN && kind == WARD_TRAP_OOB_MEMORY);
    ward_measure_read(g->m, 8, after);
    CHECK(memcmp(before, after, 32) != 0); /* only the in-bounds call extended */
    CHECK(call(g, "read", &kind, 2, 8u, 65535u) == INT32_MIN && kind == WARD_TRAP_OOB_MEMORY);
    CHECK(call(g, "quote", &kind, 5, 200u, 8u, 1u, 65000u, 1000u) == INT32_MIN && kind == WARD_TRAP_OOB_MEMORY);
    CHECK(call(g, "quote", &kind, 5, 65535u, 8u, 1u, 0u, 1000u) == INT32_MIN && kind == WARD_TRAP_OOB_MEMORY);
    CHECK(call(g, "seal", &kind, 5, 1u, 0u, 0x80000000u, 0u, 100u) == INT32_MIN && kind == WARD_TRAP_OOB_MEMORY);
    CHECK(call(g, "seal", &kind, 5, 1u, 0u, 10u, 65500u, 100u) == INT32_MIN && kind == WARD_TRAP_OOB_MEMORY);
    CHECK(call(g, "unseal", &kind, 4, 65500u, 100u, 0u, 10u) == INT32_MIN && kind == WARD_TRAP_OOB_MEMORY);
    CHECK(call(g, "unseal", &kind, 4, 0u, 100u, 65500u, 100u) == INT32_MIN && kind == WARD_TRAP_OOB_MEMORY);
}

/* Fuel is charged before the work: an extend that cannot be paid traps and
 * leaves the register; the per-byte part is exact. */
static void test_fuel(guest *g)
{
    uint8_t before[32], after[32];
    ward_trap_kind kind;
    ward_measure_read(g->m, 10, before);
    ward_store_set_fuel(g->store, 500);
    CHECK(call(g, "extend", &kind, 3, 10u, 0u, 5u) == INT32_MIN && kind == WARD_TRAP_OUT_OF_FUEL);
    ward_measure_read(g->m, 10, after);
    CHECK(memcmp(before, after, 32) == 0);
    ward_store_set_fuel(g->store, 1000000);
    CHECK(call(g, "extend", NULL, 3, 10u, 0u, 5u) == 0);
    uint64_t small = ward_store_fuel_consumed(g->store);
    ward_store_set_fuel(g->store, 1000000);
    CHECK(call(g, "extend", NULL, 3, 10u, 0u, 105u) == 0);
    uint64_t large = ward_store_fuel_consumed(g->store);
    CHECK(large - small == 100);
    CHECK(small >= 1005);
    ward_store_set_fuel(g->store, 1000000);
    CHECK(call(g, "read", NULL, 2, 8u, 100u) == 0);
    uint64_t read = ward_store_fuel_consumed(g->store);
    CHECK(read >= 100 && read < 1005);
    ward_store_set_fuel(g->store, 30000);
    CHECK(call(g, "quote", &kind, 5, 200u, 8u, 1u, 4096u, 1000u) == INT32_MIN && kind == WARD_TRAP_OUT_OF_FUEL);
    ward_store_disable_fuel(g->store);
}

/* Without an attestation key or sealing secret: "unavailable". */
static void test_unavailable(const char *dir)
{
    guest g;
    CHECK(guest_open(&g, dir, false));
    CHECK(call(&g, "quote", NULL, 5, 200u, 8u, 1u, 1024u, 1000u) == WARD_TEE_EUNAVAILABLE);
    CHECK(call(&g, "seal", NULL, 5, 1u, 0u, 5u, 1024u, 1000u) == WARD_TEE_EUNAVAILABLE);
    memcpy(g.mem + 2000, "WRDS\x01\x01\x01\x00", 8);
    CHECK(call(&g, "unseal", NULL, 4, 2000u, 60u, 3000u, 100u) == WARD_TEE_EUNAVAILABLE);
    guest_close(&g);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_tee_guest DIR\n");
        return 2;
    }
    guest g;
    CHECK(guest_open(&g, argv[1], true));
    if (g.inst) {
        test_extend_and_read(&g);
        test_quote(&g);
        test_seal(&g);
        test_out_of_bounds(&g);
        test_fuel(&g);
    }
    guest_close(&g);
    test_unavailable(argv[1]);
    return test_summary("tee_guest");
}
