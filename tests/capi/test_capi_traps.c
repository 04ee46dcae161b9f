/*
 * wasm.h traps: messages, origin and trace (frames with their instance,
 * function index, module and function offsets), a host callback's trap
 * returned as the same object, start-function traps, traps outliving their
 * store (docs/c-api.md).
 */
#include <stdlib.h>

#include "capi_test.h"
#include "modules.h"

/* The byte offset of i32.div_s in traps_wasm's $inner (1 / 0). */
static size_t div_offset(void)
{
    static const unsigned char div[] = {0x41, 0x01, 0x41, 0x00, 0x6d};
    for (size_t i = 0; i + sizeof div <= sizeof traps_wasm; i++)
        if (memcmp(traps_wasm + i, div, sizeof div) == 0)
            return i + 4;
    return 0;
}

static void finalize_trap(void *info)
{
    (*(int *)info)++;
}

/* host.fail: a trap with a long message and host info of its own. */
static wasm_trap_t *fail(void *env, const wasm_val_vec_t *args, wasm_val_vec_t *results)
{
    (void)args;
    (void)results;
    void **state = env;
    char text[301];
    memset(text, 'x', 300);
    memcpy(text, "host says no", 12);
    text[300] = '\0';
    wasm_message_t m;
    wasm_name_new_from_string_nt(&m, text);
    wasm_trap_t *t = wasm_trap_new(state[0], &m);
    wasm_name_delete(&m);
    wasm_trap_set_host_info_with_finalizer(t, state[1], finalize_trap);
    state[2] = t;
    return t;
}

static void check_frame(const wasm_frame_t *f, const wasm_instance_t *inst, uint32_t func)
{
    CHECK(wasm_frame_instance(f) == inst);
    CHECK_MSG(wasm_frame_func_index(f) == func, "frame of function %u, expected %u", wasm_frame_func_index(f),
              func);
}

static wasm_trap_t *call(const wasm_extern_vec_t *exports, size_t i)
{
    wasm_val_vec_t none = WASM_EMPTY_VEC;
    return wasm_func_call(wasm_extern_as_func(exports->data[i]), &none, &none);
}

static void test_wasm_trap(const wasm_extern_vec_t *exports, const wasm_instance_t *inst)
{
    wasm_trap_t *trap = call(exports, 2); /* outer -> middle -> inner: 1 / 0 */
    CHECK(trap && trap_says(trap, "integer divide by zero"));
    if (!trap)
        return;
    wasm_frame_vec_t trace;
    wasm_trap_trace(trap, &trace);
    CHECK(trace.size == 3);
    if (trace.size == 3) {
        check_frame(trace.data[0], inst, 1);
        check_frame(trace.data[1], inst, 2);
        check_frame(trace.data[2], inst, 3);
        CHECK(wasm_frame_module_offset(trace.data[0]) == div_offset());
        /* $inner's body: 0x00 (no locals), i32.const 1, i32.const 0, i32.div_s */
        CHECK(wasm_frame_func_offset(trace.data[0]) == 5);
        /* the callers stand at their calls: `call` is their first instruction */
        CHECK(wasm_frame_func_offset(trace.data[1]) == 1 && wasm_frame_func_offset(trace.data[2]) == 1);
        wasm_frame_t *origin = wasm_trap_origin(trap);
        CHECK(origin && wasm_frame_module_offset(origin) == wasm_frame_module_offset(trace.data[0]));
        wasm_frame_t *copy = wasm_frame_copy(origin);
        CHECK(copy && copy != origin && wasm_frame_func_index(copy) == 1);
        wasm_frame_delete(copy);
        wasm_frame_delete(origin);
    }
    wasm_frame_vec_delete(&trace);
    wasm_trap_t *copy = wasm_trap_copy(trap);
    CHECK(wasm_trap_same(copy, trap));
    wasm_trap_delete(copy);
    wasm_trap_delete(trap);
}

/* The trap a callback returns comes back whole: same object, full message. */
static void test_host_trap(const wasm_extern_vec_t *exports, const wasm_instance_t *inst, void **state,
                           int *finalized)
{
    wasm_trap_t *trap = call(exports, 3); /* via_host */
    CHECK(trap && trap == state[2]);
    CHECK(trap && wasm_trap_get_host_info(trap) == finalized);
    wasm_message_t m;
    wasm_trap_message(trap, &m);
    CHECK(m.size == 301 && m.data[300] == '\0' && memcmp(m.data, "host says no", 12) == 0);
    wasm_byte_vec_delete(&m);
    wasm_frame_t *origin = wasm_trap_origin(trap);
    CHECK(origin != NULL);
    if (origin)
        check_frame(origin, inst, 4);
    wasm_frame_delete(origin);
    CHECK(*finalized == 0);
    wasm_trap_delete(trap);
    CHECK(*finalized == 1);                   /* its last reference is gone */
}

static void test_new_trap(wasm_store_t *store)
{
    wasm_message_t m = {3, "abc"};             /* no NUL: one is added */
    wasm_trap_t *t = wasm_trap_new(store, &m);
    CHECK(trap_says(t, "abc"));
    CHECK(wasm_trap_origin(t) == NULL);
    wasm_frame_vec_t trace;
    wasm_trap_trace(t, &trace);
    CHECK(trace.size == 0);
    wasm_frame_vec_delete(&trace);
    CHECK(wasm_ref_as_trap(wasm_trap_as_ref(t)) == t && wasm_ref_as_func(wasm_trap_as_ref(t)) == NULL);
    wasm_trap_delete(t);
}

/* A trapping start function: no instance, the trap, and what the start
 * function wrote before it trapped is not visible (no instance to read). */
static void test_start_trap(wasm_store_t *store)
{
    wasm_module_t *module = wasm_module_new(store, &BYTES_OF(start_trap_wasm));
    wasm_extern_vec_t none = WASM_EMPTY_VEC;
    wasm_trap_t *trap = NULL;
    CHECK(wasm_instance_new(store, module, &none, &trap) == NULL);
    CHECK(trap && trap_says(trap, "unreachable"));
    wasm_frame_t *origin = trap ? wasm_trap_origin(trap) : NULL;
    CHECK(origin && wasm_frame_func_index(origin) == 0 && wasm_frame_instance(origin) != NULL);
    wasm_frame_delete(origin);
    wasm_trap_delete(trap);
    /* NULL for the trap out-parameter is allowed */
    CHECK(wasm_instance_new(store, module, &none, NULL) == NULL);
    wasm_module_delete(module);
}

int main(void)
{
    wasm_engine_t *engine = wasm_engine_new();
    wasm_store_t *store = wasm_store_new(engine);
    wasm_module_t *module = wasm_module_new(store, &BYTES_OF(traps_wasm));
    int finalized = 0;
    void *state[3] = {store, &finalized, NULL};
    wasm_functype_t *type = wasm_functype_new_0_0();
    wasm_func_t *host = wasm_func_new_with_env(store, type, fail, state, NULL);
    wasm_functype_delete(type);
    wasm_extern_t *externs[] = {wasm_func_as_extern(host)};
    wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
    wasm_trap_t *trap = NULL;
    wasm_instance_t *inst = wasm_instance_new(store, module, &imports, &trap);
    CHECK(inst && !trap);
    wasm_module_delete(module);
    if (!inst)
        return test_summary("capi_traps");
    wasm_extern_vec_t exports;
    wasm_instance_exports(inst, &exports);
    CHECK(exports.size == 4);
    if (exports.size == 4) {
        test_wasm_trap(&exports, inst);
        test_host_trap(&exports, inst, state, &finalized);
        /* a trap may outlive its store */
        trap = call(&exports, 0);
    }
    wasm_extern_vec_delete(&exports);
    test_new_trap(store);
    test_start_trap(store);
    wasm_store_delete(store);
    CHECK(trap && trap_says(trap, "integer divide by zero"));
    wasm_trap_delete(trap);
    wasm_engine_delete(engine);
    return test_summary("capi_traps");
}
