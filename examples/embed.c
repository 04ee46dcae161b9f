/*
 * A complete embedding of ward: load a module, give it one host function,
 * instantiate it and call an export.  Built and run as a unit test
 * (tests/runtime/meson.build) so this example stays true.
 *
 * The module, in the text format (bytes below from wat2wasm):
 *
 *   (module
 *     (import "env" "square" (func $square (param i32) (result i32)))
 *     (func (export "sum_squares") (param i32 i32) (result i32)
 *       (i32.add (call $square (local.get 0)) (call $square (local.get 1)))))
 */
#include <stdio.h>

#include "ward.h"

static const uint8_t module_bytes[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0c, 0x02, 0x60, 0x01, 0x7f, 0x01,
    0x7f, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x02, 0x0e, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x06,
    0x73, 0x71, 0x75, 0x61, 0x72, 0x65, 0x00, 0x00, 0x03, 0x02, 0x01, 0x01, 0x07, 0x0f, 0x01,
    0x0b, 0x73, 0x75, 0x6d, 0x5f, 0x73, 0x71, 0x75, 0x61, 0x72, 0x65, 0x73, 0x00, 0x01, 0x0a,
    0x0d, 0x01, 0x0b, 0x00, 0x20, 0x00, 0x10, 0x00, 0x20, 0x01, 0x10, 0x00, 0x6a, 0x0b,
};

/* The host function: args and results match the type it was created with.
 * env is the pointer given to ward_func_new (here a call counter). */
static ward_result square(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                          ward_trap *trap)
{
    (void)caller;
    (void)trap;
    int *calls = env;
    (*calls)++;
    int32_t x = (int32_t)args[0].of.i32;
    results[0] = ward_val_i32(x * x);
    return WARD_OK;
}

static int run(ward_module *module, ward_store *store, ward_linker *linker)
{
    static const ward_valkind i32[] = {WARD_I32};
    const ward_functype square_type = {1, 1, i32, i32};
    int calls = 0;
    ward_func *host = ward_func_new(store, &square_type, square, &calls);
    if (!host || ward_linker_define_func(linker, "env", "square", host) != WARD_OK)
        return 1;

    ward_instance *inst;
    ward_error err;
    ward_trap trap;
    if (ward_instantiate(store, module, linker, &inst, &err, &trap) != WARD_OK) {
        fprintf(stderr, "instantiate: %s\n", err.message);
        return 1;
    }
    ward_func *sum_squares = ward_instance_func(inst, "sum_squares");
    if (!sum_squares)
        return 1;

    ward_val args[2] = {ward_val_i32(3), ward_val_i32(4)};
    ward_val result;
    ward_result r = ward_call(store, sum_squares, args, 2, &result, 1, &trap);
    if (r != WARD_OK) {
        fprintf(stderr, "call: %s\n", trap.message);
        return 1;
    }
    printf("sum_squares(3, 4) = %d (square called %d times)\n", (int)result.of.i32, calls);
    return result.of.i32 == 25 && calls == 2 ? 0 : 1;
}

int main(void)
{
    ward_engine *engine = ward_engine_new(NULL); /* default configuration */
    ward_error err;
    ward_module *module = ward_module_new(engine, module_bytes, sizeof module_bytes, &err);
    if (!module) {
        fprintf(stderr, "load: %s\n", err.message);
        ward_engine_free(engine);
        return 1;
    }
    ward_store *store = ward_store_new(engine);
    ward_linker *linker = ward_linker_new();

    int status = run(module, store, linker);

    /* Free in reverse: the linker does not own anything, the store owns the
     * instance and the host function, the module outlives its instances. */
    ward_linker_free(linker);
    ward_store_free(store);
    ward_module_free(module);
    ward_engine_free(engine);
    return status;
}
