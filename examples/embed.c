/*
 * A complete embedding of ward: load a module, list its imports with their
 * types, see a link error, give it two host functions (one reads guest
 * memory through the caller's checked span helper), instantiate it, call
 * exports and handle a trap.  Built and run as a unit test
 * (tests/runtime/meson.build) so this example stays true.
 *
 * The module, in the text format (bytes below from wat2wasm):
 *
 *   (module
 *     (import "env" "square" (func $square (param i32) (result i32)))
 *     (import "env" "print" (func $print (param i32 i32)))
 *     (memory (export "memory") 1)
 *     (data (i32.const 16) "hello from the guest")
 *     (func (export "sum_squares") (param i32 i32) (result i32)
 *       (i32.add (call $square (local.get 0)) (call $square (local.get 1))))
 *     (func (export "greet") (call $print (i32.const 16) (i32.const 20)))
 *     (func (export "bad_print") (call $print (i32.const 65530) (i32.const 100))))
 */
#include <stdio.h>
#include <string.h>

#include "ward.h"

static const uint8_t module_bytes[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x14, 0x04, 0x60, 0x01, 0x7f, 0x01, 0x7f,
    0x60, 0x02, 0x7f, 0x7f, 0x00, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x00, 0x02, 0x1a,
    0x02, 0x03, 0x65, 0x6e, 0x76, 0x06, 0x73, 0x71, 0x75, 0x61, 0x72, 0x65, 0x00, 0x00, 0x03, 0x65,
    0x6e, 0x76, 0x05, 0x70, 0x72, 0x69, 0x6e, 0x74, 0x00, 0x01, 0x03, 0x04, 0x03, 0x02, 0x03, 0x03,
    0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x2c, 0x04, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02,
    0x00, 0x0b, 0x73, 0x75, 0x6d, 0x5f, 0x73, 0x71, 0x75, 0x61, 0x72, 0x65, 0x73, 0x00, 0x02, 0x05,
    0x67, 0x72, 0x65, 0x65, 0x74, 0x00, 0x03, 0x09, 0x62, 0x61, 0x64, 0x5f, 0x70, 0x72, 0x69, 0x6e,
    0x74, 0x00, 0x04, 0x0a, 0x22, 0x03, 0x0b, 0x00, 0x20, 0x00, 0x10, 0x00, 0x20, 0x01, 0x10, 0x00,
    0x6a, 0x0b, 0x08, 0x00, 0x41, 0x10, 0x41, 0x14, 0x10, 0x01, 0x0b, 0x0b, 0x00, 0x41, 0xfa, 0xff,
    0x03, 0x41, 0xe4, 0x00, 0x10, 0x01, 0x0b, 0x0b, 0x1a, 0x01, 0x00, 0x41, 0x10, 0x0b, 0x14, 0x68,
    0x65, 0x6c, 0x6c, 0x6f, 0x20, 0x66, 0x72, 0x6f, 0x6d, 0x20, 0x74, 0x68, 0x65, 0x20, 0x67, 0x75,
    0x65, 0x73, 0x74,
};

/* ---- host functions ----------------------------------------------------- */

/* env.square: args and results match the type it was created with; env is
 * the pointer given to ward_func_new (here a call counter). */
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

/* env.print(ptr, len): the guest passes a string by address.  The caller
 * gives the calling instance's memory; ward_caller_span checks every byte
 * and, when the string does not fit, fills *trap ("out of bounds memory
 * access") so the function only has to return WARD_TRAP. */
static ward_result print(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                         ward_trap *trap)
{
    (void)env;
    (void)results;
    uint32_t ptr = args[0].of.i32, len = args[1].of.i32;
    const uint8_t *text = ward_caller_span(caller, ptr, len, trap);
    if (!text)
        return WARD_TRAP;
    printf("guest says: %.*s\n", (int)len, (const char *)text);
    return WARD_OK;
}

/* ---- introspection ------------------------------------------------------ */

static const char *kind_name(ward_valkind k)
{
    switch (k) {
    case WARD_I32: return "i32";
    case WARD_I64: return "i64";
    case WARD_F32: return "f32";
    case WARD_F64: return "f64";
    case WARD_V128: return "v128";
    case WARD_FUNCREF: return "funcref";
    case WARD_EXTERNREF: return "externref";
    }
    return "?";
}

/* Print every import as "env.square: func (i32) -> (i32)". */
static void list_imports(const ward_module *module)
{
    for (uint32_t i = 0; i < ward_module_import_count(module); i++) {
        ward_import_info info;
        ward_externtype type;
        ward_module_import(module, i, &info);
        ward_module_import_type(module, i, &type);
        printf("import %s.%s: ", info.module, info.name);
        if (type.kind == WARD_EXTERN_FUNC) {
            printf("func (");
            for (uint32_t p = 0; p < type.of.func.nparams; p++)
                printf("%s%s", p ? " " : "", kind_name(type.of.func.params[p]));
            printf(") -> (");
            for (uint32_t r = 0; r < type.of.func.nresults; r++)
                printf("%s%s", r ? " " : "", kind_name(type.of.func.results[r]));
            printf(")\n");
        } else if (type.kind == WARD_EXTERN_MEMORY) {
            printf("memory, at least %llu pages\n", (unsigned long long)type.of.memory.min_pages);
        } else {
            printf("%s\n", type.kind == WARD_EXTERN_TABLE ? "table" : "global");
        }
    }
}

/* ---- the run ------------------------------------------------------------- */

static int run(ward_module *module, ward_store *store, ward_linker *linker)
{
    list_imports(module);

    /* Instantiating before defining the imports fails with a link error
     * that names the first missing import. */
    ward_instance *inst;
    ward_error err;
    ward_trap trap;
    if (ward_instantiate(store, module, linker, &inst, &err, &trap) != WARD_ERROR)
        return 1;
    printf("link error: %s\n", err.message); /* unknown import env.square */

    static const ward_valkind i32[] = {WARD_I32}, i32_i32[] = {WARD_I32, WARD_I32};
    const ward_functype square_type = {1, 1, i32, i32}, print_type = {2, 0, i32_i32, NULL};
    int calls = 0;
    ward_func *host_square = ward_func_new(store, &square_type, square, &calls);
    ward_func *host_print = ward_func_new(store, &print_type, print, NULL);
    if (!host_square || !host_print || ward_linker_define_func(linker, "env", "square", host_square) != WARD_OK ||
        ward_linker_define_func(linker, "env", "print", host_print) != WARD_OK)
        return 1;
    if (ward_instantiate(store, module, linker, &inst, &err, &trap) != WARD_OK) {
        fprintf(stderr, "instantiate: %s\n", err.message);
        return 1;
    }

    ward_val args[2] = {ward_val_i32(3), ward_val_i32(4)};
    ward_val result;
    if (ward_call(store, ward_instance_func(inst, "sum_squares"), args, 2, &result, 1, &trap) != WARD_OK) {
        fprintf(stderr, "call: %s\n", trap.message);
        return 1;
    }
    printf("sum_squares(3, 4) = %d (square called %d times)\n", (int)result.of.i32, calls);

    if (ward_call(store, ward_instance_func(inst, "greet"), NULL, 0, NULL, 0, &trap) != WARD_OK)
        return 1;

    /* The guest passes a string that runs past the end of its memory: the
     * host function's checked span turns that into a trap. */
    if (ward_call(store, ward_instance_func(inst, "bad_print"), NULL, 0, NULL, 0, &trap) != WARD_TRAP)
        return 1;
    printf("bad_print trapped: %s (in function %u)\n", trap.message, trap.func_index);

    return result.of.i32 == 25 && calls == 2 && trap.kind == WARD_TRAP_OOB_MEMORY &&
                   strcmp(err.message, "unknown import env.square") == 0
               ? 0
               : 1;
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
     * instance and the host functions, the module outlives its instances. */
    ward_linker_free(linker);
    ward_store_free(store);
    ward_module_free(module);
    ward_engine_free(engine);
    return status;
}
