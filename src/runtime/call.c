/* ward_call: check the arguments against the function's type, then run it. */
#include <stdarg.h>
#include <stdio.h>

#include "runtime.h"

/* A usage error is reported in the trap record with kind NONE, since
 * ward_call has no ward_error parameter. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static ward_result
usage_error(ward_trap *trap, const char *fmt, ...)
{
    va_list ap;
    wtrap_set(trap, WARD_TRAP_NONE);
    va_start(ap, fmt);
    vsnprintf(trap->message, sizeof trap->message, fmt, ap);
    va_end(ap);
    return WARD_ERROR;
}

static ward_result check_args(const ward_store *s, const ward_func *f, const ward_val *args, size_t nargs,
                              const ward_val *results, size_t nresults, ward_trap *trap)
{
    const wfunctype *ft = f->type;
    if (nargs != ft->nparams)
        return usage_error(trap, "wrong number of arguments: %u given, %u expected", (unsigned)nargs,
                           (unsigned)ft->nparams);
    if (nresults < ft->nresults)
        return usage_error(trap, "room for %u results, %u needed", (unsigned)nresults,
                           (unsigned)ft->nresults);
    if (nargs && !args)
        return usage_error(trap, "no argument array for %u arguments", (unsigned)nargs);
    if (nresults && !results)
        return usage_error(trap, "no result array for %u results", (unsigned)nresults);
    for (uint32_t i = 0; i < ft->nparams; i++) {
        if ((uint8_t)args[i].kind != WFUNCTYPE_PARAM(ft, i) || args[i].kind > 0xFF)
            return usage_error(trap, "argument %u has the wrong type (expected type 0x%02x)", (unsigned)i,
                               (unsigned)WFUNCTYPE_PARAM(ft, i));
        /* it would dangle once its store is freed */
        if (!wval_of_store(s, args[i]))
            return usage_error(trap, "argument %u is a function of another store", (unsigned)i);
    }
    return WARD_OK;
}

ward_result ward_call(ward_store *store, ward_func *f, const ward_val *args, size_t nargs, ward_val *results,
                      size_t nresults, ward_trap *trap)
{
    ward_trap local;
    if (!trap)
        trap = &local;
    if (!store)
        return usage_error(trap, "no store");
    if (!f)
        return usage_error(trap, "no function");
    if (f->store != store)
        return usage_error(trap, "the function belongs to another store");
    ward_result r = check_args(store, f, args, nargs, results, nresults, trap);
    if (r != WARD_OK)
        return r;
    /* Preset the result kinds, as host functions are promised. */
    for (uint32_t i = 0; i < f->type->nresults; i++)
        results[i].kind = (ward_valkind)WFUNCTYPE_RESULT(f->type, i);
    wtrap_set(trap, WARD_TRAP_NONE);
    return winterp_call(store, f, args, results, trap);
}
