/*
 * ward_call's usage errors (issue 11, defect 6): ward_call(s, f, NULL, 1,
 * ...) dereferenced NULL.  Every malformed call is refused with WARD_ERROR
 * and a message in the trap record (kind WARD_TRAP_NONE), before anything
 * runs.
 */
#include <stdint.h>
#include <string.h>

#include "../test.h"
#include "ward.h"

#define CHECK_STR(got, want) CHECK_MSG(strcmp((got), (want)) == 0, "got \"%s\", want \"%s\"", (got), (want))

/* (module (func (export "id") (param i32) (result i32) (local.get 0))) */
static const uint8_t id_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f,
    0x03, 0x02, 0x01, 0x00, 0x07, 0x06, 0x01, 0x02, 0x69, 0x64, 0x00, 0x00, 0x0a, 0x06, 0x01, 0x04,
    0x00, 0x20, 0x00, 0x0b,
};

/* ward_call(s, f, args, nargs, results, nresults) must be refused with `want`. */
static void refused(ward_store *s, ward_func *f, const ward_val *args, size_t nargs, ward_val *results,
                    size_t nresults, const char *want)
{
    ward_trap trap;
    memset(&trap, 0x55, sizeof trap);
    CHECK(ward_call(s, f, args, nargs, results, nresults, &trap) == WARD_ERROR);
    CHECK(trap.kind == WARD_TRAP_NONE);
    CHECK_STR(trap.message, want);
    /* with no trap record: the same answer, nothing written */
    CHECK(ward_call(s, f, args, nargs, results, nresults, NULL) == WARD_ERROR);
}

int main(void)
{
    ward_engine *e = ward_engine_new(NULL);
    ward_store *s = ward_store_new(e);
    ward_error err = {0};
    ward_module *m = ward_module_new(e, id_wasm, sizeof id_wasm, &err);
    ward_instance *inst = NULL;
    CHECK_MSG(m && ward_instantiate(s, m, NULL, &inst, &err, NULL) == WARD_OK, "%s", err.message);
    ward_func *id = inst ? ward_instance_func(inst, "id") : NULL;
    if (id) {
        ward_val arg = ward_val_i32(5), res[2];
        refused(NULL, id, &arg, 1, res, 1, "no store");
        refused(s, NULL, &arg, 1, res, 1, "no function");
        refused(s, id, NULL, 1, res, 1, "no argument array for 1 arguments");
        refused(s, id, &arg, 1, NULL, 1, "no result array for 1 results");
        refused(s, id, &arg, 1, NULL, 2, "no result array for 2 results");
        refused(s, id, &arg, 1, res, 0, "room for 0 results, 1 needed");
        refused(s, id, &arg, 1, NULL, 0, "room for 0 results, 1 needed");
        refused(s, id, &arg, 0, res, 1, "wrong number of arguments: 0 given, 1 expected");
        refused(s, id, NULL, 0, res, 1, "wrong number of arguments: 0 given, 1 expected");
        ward_val wrong = ward_val_i64(5);
        refused(s, id, &wrong, 1, res, 1, "argument 0 has the wrong type (expected type 0x7f)");
        /* and a good call still works, with room to spare */
        ward_trap trap;
        CHECK(ward_call(s, id, &arg, 1, res, 2, &trap) == WARD_OK && res[0].of.i32 == 5);
    }
    ward_store_free(s);
    ward_module_free(m);
    ward_engine_free(e);
    return test_summary("call_usage");
}
