/*
 * Functions: host functions made with wasm_func_new[_with_env] run
 * through one ward host function (trampoline) that converts values both
 * ways; wasm_func_call converts, calls ward_call and turns a trap (or a
 * call ward refused) into a wasm_trap_t.
 */
#include <stdlib.h>
#include <string.h>

#include "capi.h"

/* Values on the C stack for calls of up to this many, else on the heap. */
#define INLINE_VALS 16

static ward_func *ward_func_of(const wasm_func_t *f)
{
    return ((const capi_object *)f)->ward;
}

static wasm_store_t *store_of(const void *handle)
{
    return ((const capi_object *)handle)->store;
}

/* A trap for a call that could not run, with `why` as its message. */
static wasm_trap_t *refuse(wasm_store_t *s, const char *why)
{
    return capi_trap_new(s, why, strlen(why));
}

/* The trap the host's callback returned, into ward's record; the object
 * itself waits in the store for the call that reports it (capi.h). */
static ward_result host_trapped(wasm_store_t *s, wasm_trap_t *t, ward_trap *trap)
{
    trap->kind = WARD_TRAP_HOST;
    size_t n = t->message.size ? t->message.size - 1 : 0;
    if (n >= sizeof trap->message)
        n = sizeof trap->message - 1;
    memcpy(trap->message, t->message.data, n);
    trap->message[n] = '\0';
    if (s->pending_trap)
        wasm_trap_delete(s->pending_trap);
    s->pending_trap = t;
    return WARD_TRAP;
}

static ward_result trampoline(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                              ward_trap *trap)
{
    (void)caller;
    capi_host_func *hf = env;
    wasm_store_t *s = hf->base.store;
    ward_functype ft;
    ward_func_type(hf->base.ward, &ft);
    wasm_val_t inline_vals[INLINE_VALS];
    size_t n = (size_t)ft.nparams + ft.nresults;
    wasm_val_t *vals = n <= INLINE_VALS ? inline_vals : calloc(n, sizeof *vals);
    if (!vals)
        return host_trapped(s, refuse(s, "out of host memory"), trap);
    bool ok = true;
    for (uint32_t i = 0; i < ft.nparams; i++)
        ok = capi_val_from_ward(s, args[i], &vals[i]) && ok;
    for (uint32_t i = 0; i < ft.nresults; i++)
        ok = capi_val_from_ward(s, results[i], &vals[ft.nparams + i]) && ok;
    wasm_val_vec_t argv = {ft.nparams, vals}, resv = {ft.nresults, vals + ft.nparams};
    wasm_trap_t *t = !ok ? refuse(s, "out of host memory")
                   : hf->callback ? hf->callback(&argv, &resv)
                                  : hf->callback_env(hf->env, &argv, &resv);
    for (uint32_t i = 0; !t && i < ft.nresults; i++)
        if (!capi_val_to_ward(s, &resv.data[i], &results[i]) || results[i].kind != ft.results[i])
            t = refuse(s, "host function returned a value of the wrong type");
    for (size_t i = 0; i < n; i++)
        wasm_val_delete(&vals[i]);
    if (vals != inline_vals)
        free(vals);
    return t ? host_trapped(s, t, trap) : WARD_OK;
}

static bool functype_to_ward(const wasm_functype_t *type, ward_valkind *kinds, ward_functype *out)
{
    const wasm_valtype_vec_t *p = wasm_functype_params(type), *r = wasm_functype_results(type);
    for (size_t i = 0; i < p->size; i++)
        if (!capi_kind_to_ward(wasm_valtype_kind(p->data[i]), &kinds[i]))
            return false;
    for (size_t i = 0; i < r->size; i++)
        if (!capi_kind_to_ward(wasm_valtype_kind(r->data[i]), &kinds[p->size + i]))
            return false;
    *out = (ward_functype){(uint32_t)p->size, (uint32_t)r->size, kinds, kinds + p->size};
    return true;
}

static wasm_func_t *host_func_new(wasm_store_t *s, const wasm_functype_t *type, capi_host_func *proto)
{
    if (!s || !type)
        return NULL;
    size_t n = wasm_functype_params(type)->size + wasm_functype_results(type)->size;
    ward_valkind *kinds = malloc((n ? n : 1) * sizeof *kinds);
    capi_host_func *hf = malloc(sizeof *hf);
    ward_functype ft;
    if (!kinds || !hf || !functype_to_ward(type, kinds, &ft)) {
        free(kinds);
        free(hf);
        return NULL;
    }
    *hf = *proto;
    hf->base = (capi_object){CAPI_FUNC, s, NULL, NULL, NULL};
    hf->base.ward = ward_func_new(s->ward, &ft, trampoline, hf); /* copies the type */
    free(kinds);
    if (!hf->base.ward || !capi_adopt(s, &hf->base)) {
        free(hf);
        return NULL;
    }
    return (wasm_func_t *)hf;
}

wasm_func_t *wasm_func_new(wasm_store_t *s, const wasm_functype_t *type, wasm_func_callback_t callback)
{
    capi_host_func proto = {.callback = callback};
    return callback ? host_func_new(s, type, &proto) : NULL;
}

/* The env finalizer runs when the store is deleted (as host info's do). */
wasm_func_t *wasm_func_new_with_env(wasm_store_t *s, const wasm_functype_t *type,
                                    wasm_func_callback_with_env_t callback, void *env, void (*finalizer)(void *))
{
    capi_host_func proto = {.callback_env = callback, .env = env, .env_finalizer = finalizer};
    return callback ? host_func_new(s, type, &proto) : NULL;
}

wasm_functype_t *wasm_func_type(const wasm_func_t *f)
{
    ward_functype ft;
    ward_func_type(ward_func_of(f), &ft);
    return capi_functype_from_ward(&ft);
}

size_t wasm_func_param_arity(const wasm_func_t *f)
{
    ward_functype ft;
    ward_func_type(ward_func_of(f), &ft);
    return ft.nparams;
}

size_t wasm_func_result_arity(const wasm_func_t *f)
{
    ward_functype ft;
    ward_func_type(ward_func_of(f), &ft);
    return ft.nresults;
}

/* Convert the arguments, call, convert the results: NULL or a trap. */
static wasm_trap_t *call(wasm_store_t *s, ward_func *wf, const wasm_val_vec_t *args, wasm_val_vec_t *results,
                         ward_val *vals, size_t nresults)
{
    ward_val *wresults = vals + args->size;
    for (size_t i = 0; i < args->size; i++)
        if (!capi_val_to_ward(s, &args->data[i], &vals[i]))
            return refuse(s, "argument of an unknown kind or of another store");
    ward_trap trap;
    ward_result r = ward_call(s->ward, wf, vals, args->size, wresults, nresults, &trap);
    if (r == WARD_ERROR)
        return refuse(s, trap.message);
    if (r == WARD_TRAP)
        return capi_trap_from_ward(s, &trap);
    for (size_t i = 0; i < nresults && i < results->size; i++)
        if (!capi_val_from_ward(s, wresults[i], &results->data[i]))
            return refuse(s, "out of host memory");
    return NULL;
}

static bool has_v128(const ward_valkind *kinds, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (kinds[i] == WARD_V128)
            return true;
    return false;
}

wasm_trap_t *wasm_func_call(const wasm_func_t *f, const wasm_val_vec_t *args, wasm_val_vec_t *results)
{
    static const wasm_val_vec_t empty = WASM_EMPTY_VEC;
    wasm_store_t *s = store_of(f);
    ward_functype ft;
    ward_func_type(ward_func_of(f), &ft);
    if (!args)
        args = &empty;
    if (args->size != ft.nparams || (args->size && !args->data))
        return refuse(s, "wrong number of arguments");
    if (has_v128(ft.params, ft.nparams) || has_v128(ft.results, ft.nresults))
        return refuse(s, "v128 values have no wasm.h kind");
    /* Fewer result slots than results is allowed: the others are dropped
     * (the API's own trap example calls so, expecting the call's trap). */
    if (!results)
        results = (wasm_val_vec_t *)&empty;
    if (results->size && !results->data)
        return refuse(s, "no room for the results");
    ward_val inline_vals[INLINE_VALS];
    size_t n = args->size + ft.nresults;
    ward_val *vals = n <= INLINE_VALS ? inline_vals : calloc(n, sizeof *vals);
    if (!vals)
        return refuse(s, "out of host memory");
    wasm_trap_t *t = call(s, ward_func_of(f), args, results, vals, ft.nresults);
    if (vals != inline_vals)
        free(vals);
    return t;
}
