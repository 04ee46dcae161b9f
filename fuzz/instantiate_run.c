/*
 * libFuzzer target: the bytes as a module → instantiate (with the spectest
 * host module available for imports, as the spec-suite seeds expect, and
 * the log functions binaryen's -ttf seeds import) → call
 * every exported function with zero-valued arguments, each under a fuel
 * limit of 100,000 and a 25 ms timeout, so even infinite loops and waits on
 * a shared memory end with a clean trap.
 *
 * Every feature ward runs is on (SIMD, threads, tail calls, extended
 * constants, legacy exceptions), so their execution is fuzzed too.
 *
 * Checks beyond the sanitizers: calls with well-typed arguments never
 * return WARD_ERROR; a trap has a kind and a message; fuel consumption
 * never exceeds what was given.
 *
 * Resource guard: a module may legally ask for 4 GiB and touch it with a few
 * memory.fill instructions, so the engine's limits cap each memory at
 * 64 MiB and each table at 1 Mi elements (a larger minimum fails
 * instantiation cleanly; growing past them returns -1, as the spec allows).
 */
#include <stdlib.h>
#include <string.h>

#include "ward.h"
#include "fuzzing_support.h"
#include "host/spectest.h"

#define FUEL_PER_CALL 100000u
#define TIMEOUT_MS 25u               /* per call: 200 calls stay under fuzz/run's -timeout=10 */
#define MAX_MEMORY_BYTES (64u << 20) /* per linear memory */
#define MAX_TABLE_ELEMS (1u << 20)
#define MAX_CALLS 200u               /* bounds the time one input can take */

static void require(int condition)
{
    if (!condition)
        __builtin_trap();
}

static void check_trap(const ward_trap *trap)
{
    require(trap->kind != WARD_TRAP_NONE);
    require(memchr(trap->message, '\0', sizeof trap->message) != NULL);
    require(trap->message[0] != '\0');
    require(trap->nframes <= WARD_BACKTRACE_MAX);
}

static ward_val zero_of_kind(ward_valkind kind)
{
    ward_val v;
    memset(&v, 0, sizeof v);
    v.kind = kind;
    return v;
}

static void call_with_zeros(ward_store *store, ward_func *func)
{
    ward_functype type;
    ward_func_type(func, &type);
    ward_val *args = calloc(type.nparams ? type.nparams : 1, sizeof *args);
    ward_val *results = calloc(type.nresults ? type.nresults : 1, sizeof *results);
    if (args && results) {
        for (uint32_t i = 0; i < type.nparams; i++)
            args[i] = zero_of_kind(type.params[i]);
        ward_trap trap;
        ward_store_set_fuel(store, FUEL_PER_CALL);
        ward_result r = ward_call(store, func, args, type.nparams, results, type.nresults, &trap);
        require(r != WARD_ERROR);
        if (r == WARD_TRAP)
            check_trap(&trap);
        require(ward_store_fuel_consumed(store) <= FUEL_PER_CALL);
    }
    free(args);
    free(results);
}

static void call_exports(ward_store *store, const ward_module *module, ward_instance *inst)
{
    uint32_t nexports = ward_module_export_count(module);
    uint32_t calls = 0;
    for (uint32_t i = 0; i < nexports && calls < MAX_CALLS; i++) {
        ward_export_info info;
        ward_module_export(module, i, &info);
        if (info.kind == WARD_EXTERN_MEMORY) {
            ward_memory *mem = ward_instance_memory(inst, info.name);
            if (mem)
                require(ward_memory_size(mem) % 65536 == 0); /* whole wasm pages */
        }
        if (info.kind != WARD_EXTERN_FUNC)
            continue;
        /* A name with an embedded NUL may find nothing, or another export. */
        ward_func *func = ward_instance_func(inst, info.name);
        if (func) {
            call_with_zeros(store, func);
            calls++;
        }
    }
}

static void instantiate_and_run(ward_engine *engine, const ward_module *module)
{
    ward_store *store = ward_store_new(engine);
    ward_linker *linker = ward_linker_new();
    uint64_t log = 0;
    if (store && linker && wspectest_define(store, linker) == WARD_OK &&
        fuzzing_support_define(store, linker, &log) == WARD_OK) {
        ward_instance *inst = NULL;
        ward_error err;
        ward_trap trap;
        /* The start function runs inside ward_instantiate: meter it too. */
        ward_store_set_fuel(store, FUEL_PER_CALL);
        ward_store_set_timeout(store, TIMEOUT_MS);
        ward_result r = ward_instantiate(store, module, linker, &inst, &err, &trap);
        if (r == WARD_OK) {
            require(inst != NULL);
            call_exports(store, module, inst);
        } else if (r == WARD_TRAP) {
            check_trap(&trap);
        } else {
            require(err.message[0] != '\0');
        }
    }
    ward_linker_free(linker);
    ward_store_free(store);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ward_config config;
    fuzz_config_all_features(&config);
    config.max_memory_bytes = MAX_MEMORY_BYTES;
    config.max_table_elems = MAX_TABLE_ELEMS;
    ward_engine *engine = ward_engine_new(&config);
    if (!engine)
        return 0;
    ward_error err;
    ward_module *module = ward_module_new(engine, data, size, &err);
    if (module) {
        instantiate_and_run(engine, module);
        ward_module_free(module);
    }
    ward_engine_free(engine);
    return 0;
}
