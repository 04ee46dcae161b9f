/*
 * TEMPORARY stand-in for src/interp, linked only into test_runtime until the
 * interpreter lands: no translation, host functions called directly, wasm
 * functions report "unreachable".  Never part of the library.
 */
#include "runtime/runtime.h"

bool wcompile_module(wmodule *m, werror *err)
{
    (void)err;
    m->compiled = NULL;
    return true;
}

void wcompiled_free(struct wcompiled *c)
{
    (void)c;
}

const struct wcompiled_func *wcompiled_get(const wmodule *m, uint32_t func_index)
{
    (void)m;
    (void)func_index;
    return NULL;
}

ward_result winterp_call(ward_store *s, ward_func *f, const ward_val *args, ward_val *results, ward_trap *trap)
{
    if (f->host_fn)
        return f->host_fn(f->host_env, s, args, results, trap);
    wtrap_set(trap, WARD_TRAP_UNREACHABLE);
    return WARD_TRAP;
}

void wexec_free(struct wexec *exec)
{
    (void)exec;
}
