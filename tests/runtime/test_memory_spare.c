/*
 * The engine's spare memory (src/runtime/memory.c): a freed small memory's
 * mapping is kept, zeroed, for the next memory of the same shape.  A new
 * instance must see exactly what a fresh mapping gives: zeros, its minimum
 * size, out-of-bounds traps past it; a grown memory is not handed to a
 * smaller one; many stores in a row, and an engine freed with a spare held.
 */
#include <stdio.h>
#include <string.h>

#include "../test.h"
#include "ward.h"

/*
 * (module
 *   (memory (export "memory") 1 4)
 *   (func (export "poke") (i32.store (i32.const 100) (i32.const 42)))
 *   (func (export "peek") (result i32) (i32.load (i32.const 100)))
 *   (func (export "grow") (result i32) (memory.grow (i32.const 1)))
 *   (func (export "size") (result i32) (memory.size))
 *   (func (export "past") (result i32) (i32.load (i32.const 65536))))
 */
static const uint8_t spare_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x60, 0x00, 0x00, 0x60, 0x00, 0x01, 0x7f,
    0x03, 0x06, 0x05, 0x00, 0x01, 0x01, 0x01, 0x01, 0x05, 0x04, 0x01, 0x01, 0x01, 0x04, 0x07, 0x2d, 0x06, 0x06,
    0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x04, 0x70, 0x6f, 0x6b, 0x65, 0x00, 0x00, 0x04, 0x70, 0x65,
    0x65, 0x6b, 0x00, 0x01, 0x04, 0x67, 0x72, 0x6f, 0x77, 0x00, 0x02, 0x04, 0x73, 0x69, 0x7a, 0x65, 0x00, 0x03,
    0x04, 0x70, 0x61, 0x73, 0x74, 0x00, 0x04, 0x0a, 0x2b, 0x05, 0x0a, 0x00, 0x41, 0xe4, 0x00, 0x41, 0x2a, 0x36,
    0x02, 0x00, 0x0b, 0x08, 0x00, 0x41, 0xe4, 0x00, 0x28, 0x02, 0x00, 0x0b, 0x06, 0x00, 0x41, 0x01, 0x40, 0x00,
    0x0b, 0x04, 0x00, 0x3f, 0x00, 0x0b, 0x09, 0x00, 0x41, 0x80, 0x80, 0x04, 0x28, 0x02, 0x00, 0x0b,
};

/* Call export name of inst: its i32 (or 0), and the result kind in *rc. */
static int32_t call(ward_store *store, ward_instance *inst, const char *name, ward_result *rc, ward_trap *trap)
{
    ward_func *f = ward_instance_func(inst, name);
    ward_functype t;
    ward_func_type(f, &t);
    ward_val out = {0};
    *rc = ward_call(store, f, NULL, 0, &out, t.nresults, trap);
    return t.nresults ? (int32_t)out.of.i32 : 0;
}

int main(void)
{
    ward_engine *engine = ward_engine_new(NULL);
    ward_module *module = ward_module_new(engine, spare_wasm, sizeof spare_wasm, NULL);
    CHECK(module != NULL);
    for (int round = 0; round < 50; round++) {
        ward_store *store = ward_store_new(engine);
        ward_instance *inst = NULL;
        ward_trap trap;
        ward_result rc;
        CHECK(ward_instantiate(store, module, NULL, &inst, NULL, &trap) == WARD_OK);
        /* every round starts from zeros and one page, whatever the last did */
        CHECK(call(store, inst, "peek", &rc, &trap) == 0 && rc == WARD_OK);
        CHECK(call(store, inst, "size", &rc, &trap) == 1);
        call(store, inst, "past", &rc, &trap);
        CHECK(rc == WARD_TRAP && trap.kind == WARD_TRAP_OOB_MEMORY);
        call(store, inst, "poke", &rc, &trap);
        CHECK(call(store, inst, "peek", &rc, &trap) == 42);
        if (round % 3 == 1) { /* a grown memory: freed, not given to a one-page one */
            CHECK(call(store, inst, "grow", &rc, &trap) == 1);
            CHECK(call(store, inst, "past", &rc, &trap) == 0 && rc == WARD_OK);
        }
        ward_store_free(store);
    }
    /* an engine freed while it holds a spare (checked by ASan's leak check) */
    ward_module_free(module);
    ward_engine_free(engine);
    return test_summary("memory_spare");
}
