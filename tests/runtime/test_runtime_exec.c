/*
 * Runtime tests that execute wasm code through the real interpreter: the
 * start function, host functions called from wasm with arguments and
 * results, traps from wasm and from hosts through ward_call, fuel and
 * call-depth limits as seen through the public API.
 */
#include <string.h>

#include "../test.h"
#include "modules.h"
#include "runtime/runtime.h"

typedef struct log_env {
    int calls;
    uint32_t last_i32;
    uint64_t last_i64;
} log_env;

static ward_result host_log(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                            ward_trap *trap)
{
    (void)caller;
    (void)trap;
    log_env *log = env;
    log->calls++;
    log->last_i32 = args[0].of.i32;
    log->last_i64 = args[1].of.i64;
    CHECK(args[0].kind == WARD_I32 && args[1].kind == WARD_I64 && results[0].kind == WARD_I32);
    results[0] = ward_val_i32((int32_t)(args[0].of.i32 + (uint32_t)args[1].of.i64));
    return WARD_OK;
}

static ward_result host_fail(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                             ward_trap *trap)
{
    (void)env;
    (void)caller;
    (void)args;
    (void)results;
    wtrap_set(trap, WARD_TRAP_HOST);
    strcpy(trap->message, "host says no");
    return WARD_TRAP;
}

static const ward_valkind k_i32_i64[] = {WARD_I32, WARD_I64};
static const ward_valkind k_i32[] = {WARD_I32};
static const ward_functype type_log = {2, 1, k_i32_i64, k_i32};
static const ward_functype type_void = {0, 0, NULL, NULL};

static ward_module *load(ward_engine *e, const uint8_t *bytes, size_t size)
{
    ward_error err = {0};
    ward_module *m = ward_module_new(e, bytes, size, &err);
    CHECK_MSG(m != NULL, "%s", err.message);
    return m;
}

/* start.wasm: the start function calls the host log(40, 2) and stores the
 * result in global g; then exports are callable. */
static void test_start_and_host_calls(ward_engine *e)
{
    ward_module *m = load(e, start_wasm, sizeof start_wasm);
    if (!m)
        return;
    ward_store *s = ward_store_new(e);
    ward_linker *l = ward_linker_new();
    log_env log = {0, 0, 0};
    ward_linker_define_func(l, "env", "log", ward_func_new(s, &type_log, host_log, &log));
    ward_instance *inst = NULL;
    ward_error err = {0};
    ward_trap trap;
    CHECK_MSG(ward_instantiate(s, m, l, &inst, &err, &trap) == WARD_OK, "%s / %s", err.message, trap.message);
    CHECK(log.calls == 1 && log.last_i32 == 40 && log.last_i64 == 2);
    if (inst) {
        ward_val g = ward_global_get(ward_instance_global(inst, "g"));
        CHECK(g.kind == WARD_I32 && g.of.i32 == 42);

        ward_val args[2] = {ward_val_i32(-7), ward_val_i32(10)};
        ward_val res[1];
        CHECK(ward_call(s, ward_instance_func(inst, "add"), args, 2, res, 1, &trap) == WARD_OK);
        CHECK(res[0].kind == WARD_I32 && res[0].of.i32 == 3);

        CHECK(ward_call(s, ward_instance_func(inst, "boom"), NULL, 0, NULL, 0, &trap) == WARD_TRAP);
        CHECK(trap.kind == WARD_TRAP_UNREACHABLE && strcmp(trap.message, "unreachable") == 0);

        /* Fuel stops an endless loop; the store stays usable afterwards. */
        ward_store_set_fuel(s, 1000);
        CHECK(ward_call(s, ward_instance_func(inst, "loop"), NULL, 0, NULL, 0, &trap) == WARD_TRAP);
        CHECK(trap.kind == WARD_TRAP_OUT_OF_FUEL && strcmp(trap.message, "out of fuel") == 0);
        CHECK(ward_store_fuel_consumed(s) == 1000 - ward_store_fuel_remaining(s));
        CHECK(ward_store_fuel_remaining(s) == 0);
        ward_store_set_fuel(s, 100);
        CHECK(ward_call(s, ward_instance_func(inst, "add"), args, 2, res, 1, &trap) == WARD_OK);
        CHECK(res[0].of.i32 == 3);
        CHECK(ward_store_fuel_consumed(s) > 0 && ward_store_fuel_consumed(s) < 10);
        ward_store_disable_fuel(s);
    }
    ward_linker_free(l);
    ward_store_free(s);
    ward_module_free(m);
}

/* starttrap.wasm: the data segment is written, then the start function's
 * host call traps: no instance, but the imported memory keeps the write. */
static void test_start_trap(ward_engine *e)
{
    ward_module *m = load(e, starttrap_wasm, sizeof starttrap_wasm);
    if (!m)
        return;
    ward_store *s = ward_store_new(e);
    ward_linker *l = ward_linker_new();
    ward_memory *mem = ward_memory_new(s, 1, 0, false);
    ward_linker_define_memory(l, "env", "m", mem);
    ward_linker_define_func(l, "env", "fail", ward_func_new(s, &type_void, host_fail, NULL));
    ward_instance *inst = NULL;
    ward_error err;
    ward_trap trap;
    CHECK(ward_instantiate(s, m, l, &inst, &err, &trap) == WARD_TRAP);
    CHECK(inst == NULL);
    CHECK(trap.kind == WARD_TRAP_HOST && strcmp(trap.message, "host says no") == 0);
    CHECK(memcmp(ward_memory_data(mem), "ok", 2) == 0);
    ward_linker_free(l);
    ward_store_free(s);
    ward_module_free(m);
}

static void test_limits(ward_engine *e)
{
    ward_module *m = load(e, recurse_wasm, sizeof recurse_wasm);
    if (!m)
        return;
    ward_store *s = ward_store_new(e);
    ward_instance *inst = NULL;
    ward_error err;
    ward_trap trap;
    CHECK(ward_instantiate(s, m, NULL, &inst, &err, &trap) == WARD_OK);
    if (inst) {
        ward_val arg = ward_val_i32(1), res;
        CHECK(ward_call(s, ward_instance_func(inst, "recurse"), &arg, 1, &res, 1, &trap) == WARD_TRAP);
        CHECK(trap.kind == WARD_TRAP_STACK_EXHAUSTED && strcmp(trap.message, "call stack exhausted") == 0);
        ward_val div_args[2] = {ward_val_i32(INT32_MIN), ward_val_i32(-1)};
        CHECK(ward_call(s, ward_instance_func(inst, "div"), div_args, 2, &res, 1, &trap) == WARD_TRAP);
        CHECK(trap.kind == WARD_TRAP_INT_OVERFLOW && strcmp(trap.message, "integer overflow") == 0);
        div_args[1] = ward_val_i32(0);
        CHECK(ward_call(s, ward_instance_func(inst, "div"), div_args, 2, &res, 1, &trap) == WARD_TRAP);
        CHECK(strcmp(trap.message, "integer divide by zero") == 0);
        div_args[0] = ward_val_i32(-9);
        div_args[1] = ward_val_i32(2);
        CHECK(ward_call(s, ward_instance_func(inst, "div"), div_args, 2, &res, 1, &trap) == WARD_OK);
        CHECK((int32_t)res.of.i32 == -4);
    }
    ward_store_free(s);
    ward_module_free(m);
}

int main(void)
{
    ward_engine *e = ward_engine_new(NULL);
    test_start_and_host_calls(e);
    test_start_trap(e);
    test_limits(e);
    ward_engine_free(e);
    return test_summary("runtime_exec");
}
