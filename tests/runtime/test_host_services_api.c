/*
 * The two engine hooks host services stand on (issue 12):
 * ward_caller_consume_fuel, which prices a host call exactly (the call that
 * cannot be paid traps before doing any work), and ward_instance_set_host_data,
 * per-instance state freed with the instance.
 */
#include <stdint.h>
#include <string.h>

#include "../test.h"
#include "ward.h"

/*
 * (module
 *   (import "env" "charge" (func $c (param i32) (result i32)))
 *   (func (export "f") (param i32) (result i32) (call $c (local.get 0))))
 */
static const uint8_t charge_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f,
    0x02, 0x0e, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x06, 0x63, 0x68, 0x61, 0x72, 0x67, 0x65, 0x00, 0x00,
    0x03, 0x02, 0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x01, 0x0a, 0x08, 0x01, 0x06, 0x00,
    0x20, 0x00, 0x10, 0x00, 0x0b,
};

typedef struct host_state host_state;

/* What charge attaches to its calling instance. */
typedef struct attached {
    host_state *owner;
    int id;
} attached;

struct host_state {
    int work_done;     /* host calls that got past their charge */
    int data_freed;    /* free_fn runs, and the id of the last data freed */
    int last_freed;
    int attach;        /* when set, charge attaches slots[attach] to its caller */
    attached slots[4];
};

static void count_free(void *data)
{
    attached *a = data;
    a->owner->data_freed++;
    a->owner->last_freed = a->id;
}

static ward_result charge(void *env, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    host_state *h = env;
    if (!ward_caller_consume_fuel(caller, (uint32_t)args[0].of.i32, trap))
        return WARD_TRAP;
    h->work_done++;
    if (h->attach) {
        ward_instance *inst = ward_caller_instance(caller);
        attached *slot = &h->slots[h->attach];
        slot->owner = h;
        slot->id = h->attach;
        CHECK(ward_instance_set_host_data(inst, h, slot, count_free));
        CHECK(ward_instance_host_data(inst, h) == slot);
    }
    results[0] = ward_val_i32(7);
    return WARD_OK;
}

typedef struct fixture {
    ward_engine *engine;
    ward_module *module;
    ward_store *store;
    ward_linker *linker;
    ward_instance *inst;
    ward_func *f;
} fixture;

static bool open_fixture(fixture *fx, host_state *h, bool interruptible)
{
    static const ward_valkind i32[] = {WARD_I32};
    static const ward_functype type = {1, 1, i32, i32};
    ward_config cfg;
    ward_config_default(&cfg);
    cfg.interruptible = interruptible;
    memset(fx, 0, sizeof *fx);
    fx->engine = ward_engine_new(&cfg);
    ward_error err = {0};
    fx->module = ward_module_new(fx->engine, charge_wasm, sizeof charge_wasm, &err);
    fx->store = ward_store_new(fx->engine);
    fx->linker = ward_linker_new();
    ward_func *host = ward_func_new(fx->store, &type, charge, h);
    ward_trap trap = {0};
    bool ok = fx->module && host && ward_linker_define_func(fx->linker, "env", "charge", host) == WARD_OK &&
              ward_instantiate(fx->store, fx->module, fx->linker, &fx->inst, &err, &trap) == WARD_OK;
    CHECK_MSG(ok, "set-up: %s", err.message);
    fx->f = ok ? ward_instance_func(fx->inst, "f") : NULL;
    return fx->f != NULL;
}

static void close_fixture(fixture *fx)
{
    ward_store_free(fx->store);
    ward_linker_free(fx->linker);
    ward_module_free(fx->module);
    ward_engine_free(fx->engine);
}

static ward_result call_f(fixture *fx, int32_t units, ward_trap *trap)
{
    ward_val arg = ward_val_i32(units), result = {.kind = WARD_I32};
    memset(trap, 0, sizeof *trap);
    return ward_call(fx->store, fx->f, &arg, 1, &result, 1, trap);
}

/* What f costs in wasm instructions alone: f(0) charges nothing more. */
static uint64_t wasm_cost(fixture *fx)
{
    ward_trap trap;
    ward_store_set_fuel(fx->store, 1000);
    CHECK(call_f(fx, 0, &trap) == WARD_OK);
    return ward_store_fuel_consumed(fx->store);
}

static void test_fuel_exact(bool interruptible)
{
    host_state h = {0};
    fixture fx;
    if (!open_fixture(&fx, &h, interruptible))
        return;
    uint64_t base = wasm_cost(&fx);
    CHECK(base == 3);
    ward_trap trap;

    /* exactly enough: the call succeeds and nothing is left */
    ward_store_set_fuel(fx.store, base + 100);
    CHECK(call_f(&fx, 100, &trap) == WARD_OK);
    CHECK(ward_store_fuel_remaining(fx.store) == 0);
    CHECK(h.work_done == 2);

    /* f is local.get, call (charged before the call) and end (after it).
     * One unit short of local.get + call + 100: out of fuel before the
     * host's work, with its charge not taken. */
    ward_store_set_fuel(fx.store, 2 + 99);
    CHECK(call_f(&fx, 100, &trap) == WARD_TRAP);
    CHECK(trap.kind == WARD_TRAP_OUT_OF_FUEL);
    CHECK(h.work_done == 2);
    CHECK(ward_store_fuel_remaining(fx.store) == 99);

    /* enough for the host call but not for the end after it: the work is
     * done and the stop lands on the next instruction */
    ward_store_set_fuel(fx.store, base + 99);
    CHECK(call_f(&fx, 100, &trap) == WARD_TRAP);
    CHECK(trap.kind == WARD_TRAP_OUT_OF_FUEL);
    CHECK(h.work_done == 3);
    CHECK(ward_store_fuel_remaining(fx.store) == 0);

    /* the store stays usable */
    ward_store_set_fuel(fx.store, base + 5);
    CHECK(call_f(&fx, 5, &trap) == WARD_OK);
    CHECK(ward_store_fuel_remaining(fx.store) == 0);

    /* without metering every charge is free */
    ward_store_disable_fuel(fx.store);
    CHECK(call_f(&fx, INT32_MAX, &trap) == WARD_OK);
    CHECK(h.work_done == 5);
    close_fixture(&fx);
}

static void test_host_data(void)
{
    host_state h = {0};
    fixture fx;
    if (!open_fixture(&fx, &h, false))
        return;
    ward_trap trap;
    CHECK(ward_instance_host_data(fx.inst, &h) == NULL);
    h.attach = 1;
    CHECK(call_f(&fx, 0, &trap) == WARD_OK);
    CHECK(ward_instance_host_data(fx.inst, &h) == &h.slots[1]);
    /* replacing frees the old data at once */
    h.attach = 2;
    CHECK(call_f(&fx, 0, &trap) == WARD_OK);
    CHECK(h.data_freed == 1 && h.last_freed == 1);
    /* another key is another entry */
    int other = 0;
    CHECK(ward_instance_set_host_data(fx.inst, &other, &other, NULL));
    CHECK(ward_instance_host_data(fx.inst, &other) == &other);
    CHECK(ward_instance_host_data(fx.inst, &h) == &h.slots[2]);
    /* bad arguments */
    CHECK(!ward_instance_set_host_data(NULL, &h, &other, NULL));
    CHECK(!ward_instance_set_host_data(fx.inst, NULL, &other, NULL));
    CHECK(ward_instance_host_data(NULL, &h) == NULL);
    CHECK(ward_instance_host_data(fx.inst, NULL) == NULL);
    /* freed with the instance, when its store goes */
    close_fixture(&fx);
    CHECK(h.data_freed == 2 && h.last_freed == 2);
}

int main(void)
{
    test_fuel_exact(false);
    test_fuel_exact(true);
    test_host_data();
    return test_summary("host_services_api");
}
