/* Value-type facts shared by the module decoder and the instruction reader. */
#include "types.h"

#include <string.h>

bool wvaltype_known(uint8_t t, const wfeatures *features)
{
    switch (t) {
    case WT_I32:
    case WT_I64:
    case WT_F32:
    case WT_F64:
    case WT_FUNCREF:
    case WT_EXTERNREF:
        return true;
    case WT_V128:
        return features && features->simd;
    default:
        return false;
    }
}

bool wreftype_known(uint8_t t)
{
    return t == WT_FUNCREF || t == WT_EXTERNREF;
}

const char *wvaltype_name(uint8_t t)
{
    switch (t) {
    case WT_I32:
        return "i32";
    case WT_I64:
        return "i64";
    case WT_F32:
        return "f32";
    case WT_F64:
        return "f64";
    case WT_V128:
        return "v128";
    case WT_FUNCREF:
        return "funcref";
    case WT_EXTERNREF:
        return "externref";
    default:
        return "<unknown type>";
    }
}

bool wfunctype_equal(const wfunctype *a, const wfunctype *b)
{
    if (a == b)
        return true;
    if (a->nparams != b->nparams || a->nresults != b->nresults)
        return false;
    size_t n = (size_t)a->nparams + a->nresults;
    return n == 0 || memcmp(a->types, b->types, n) == 0;
}
