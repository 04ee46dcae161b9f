/*
 * libFuzzer target: every ward:crypto import with arguments from the
 * input, called from a guest (the forwarder module of tests/crypto, which
 * passes its arguments straight to the import).  The only outcomes
 * allowed are a result in the import's range (0, a handle, 0/1 for equal,
 * or one of the negative codes) and the traps "out of bounds memory
 * access" and "out of fuel"; ASan/UBSan and the leak checker see the rest
 * (handles left open are freed with the store).
 *
 * Input: a config byte (fuel on/off, deterministic, handle count), four
 * budget bytes, then calls: an import byte and, per argument, a mode byte
 * (small value / in-bounds offset / raw 32 bits / near the end) and its
 * value bytes.  The guest memory (one page) starts as a copy of the input
 * so keys, signatures and boxes have varied contents.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tests/crypto/forwarder.h"
#include "ward_crypto.h"

typedef struct reader {
    const uint8_t *p;
    size_t n;
} reader;

static uint32_t take(reader *r, int bytes)
{
    uint32_t v = 0;
    for (int i = 0; i < bytes && r->n; i++, r->p++, r->n--)
        v |= (uint32_t)*r->p << (8 * i);
    return v;
}

enum { PAGE = 65536 };

/* One argument: biased towards values the import accepts, so calls get
 * past their checks as well as fail them. */
static uint64_t arg_value(reader *r, ward_valkind kind)
{
    switch (take(r, 1) & 3) {
    case 0: return take(r, 1);                              /* a small length, a count */
    case 1: return take(r, 2) % PAGE;                       /* an offset in the page */
    case 2: return kind == WARD_I64 ? (uint64_t)take(r, 4) << 32 | take(r, 4) : take(r, 4);
    default: return PAGE - (take(r, 1) & 0x7f);             /* near the end */
    }
}

static bool result_ok(wcg_id id, int32_t ret, uint32_t max_handles)
{
    if (ret >= WARD_CRYPTO_ENOMEM && ret <= 0)
        return true;
    if (id == WCG_HASH_INIT)
        return (uint32_t)ret <= max_handles;
    return id == WCG_EQUAL && ret == 1;
}

static void call_one(ward_store *store, ward_instance *inst, reader *r, uint32_t max_handles)
{
    wcg_id id = (wcg_id)(take(r, 1) % WCG_COUNT);
    ward_valkind p[16], res[16];
    uint32_t np, nr;
    fwd_kinds(wcg_imports[id].sig, p, &np, res, &nr);
    ward_val args[16], out[1] = {{.kind = WARD_I32}};
    for (uint32_t i = 0; i < np; i++) {
        uint64_t v = arg_value(r, p[i]);
        args[i] = p[i] == WARD_I32 ? ward_val_i32((int32_t)(uint32_t)v) : ward_val_i64((int64_t)v);
    }
    ward_trap trap = {0};
    ward_result rc = ward_call(store, ward_instance_func(inst, wcg_imports[id].name), args, np, out, 1, &trap);
    if (rc == WARD_OK && result_ok(id, (int32_t)out[0].of.i32, max_handles))
        return;
    if (rc == WARD_TRAP && (trap.kind == WARD_TRAP_OOB_MEMORY || trap.kind == WARD_TRAP_OUT_OF_FUEL))
        return;
    fprintf(stderr, "%s: result %d, trap %d (%s)\n", wcg_imports[id].name, rc == WARD_OK ? (int)out[0].of.i32 : 0,
            (int)trap.kind, trap.message);
    abort();
}

static ward_engine *engine;
static ward_module *module;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!engine) {
        size_t n;
        uint8_t *bytes = fwd_module(1, &n);
        ward_error err;
        engine = ward_engine_new(NULL);
        module = ward_module_new(engine, bytes, n, &err);
        free(bytes);
        if (!module)
            abort();
    }
    reader r = {data, size};
    uint32_t config = take(&r, 1), budget = take(&r, 4);
    ward_crypto_config cfg;
    ward_crypto_config_default(&cfg);
    cfg.deterministic = config & 1;
    cfg.max_handles = 1 + ((config >> 1) & 7);
    /* keep Argon2 to milliseconds: a few passes over at most 64 KiB */
    cfg.pwhash_ops_max = 2;
    cfg.pwhash_mem_max = 64 * 1024;
    ward_error err;
    ward_crypto *crypto = ward_crypto_new(&cfg, &err);
    ward_store *store = ward_store_new(engine);
    ward_linker *linker = ward_linker_new();
    ward_instance *inst = NULL;
    ward_trap trap;
    if (!crypto || !store || !linker || ward_crypto_define(crypto, linker, store) != WARD_OK ||
        ward_instantiate(store, module, linker, &inst, &err, &trap) != WARD_OK)
        abort();
    memcpy(ward_memory_data(ward_instance_memory(inst, "memory")), data, size < PAGE ? size : PAGE);
    if (config & 0x10)
        ward_store_set_fuel(store, budget);
    for (int calls = 0; r.n > 0 && calls < 64; calls++)
        call_one(store, inst, &r, cfg.max_handles);
    ward_store_free(store);
    ward_linker_free(linker);
    ward_crypto_free(crypto);
    return 0;
}
