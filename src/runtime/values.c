/* ward_val constructors and the raw-bits form used by globals. */
#include <string.h>

#include "runtime.h"

ward_val ward_val_i32(int32_t v)
{
    ward_val r = {.kind = WARD_I32};
    r.of.i32 = (uint32_t)v;
    return r;
}

ward_val ward_val_i64(int64_t v)
{
    ward_val r = {.kind = WARD_I64};
    r.of.i64 = (uint64_t)v;
    return r;
}

ward_val ward_val_f32(float v)
{
    ward_val r = {.kind = WARD_F32};
    memcpy(&r.of.f32_bits, &v, sizeof v);
    return r;
}

ward_val ward_val_f64(double v)
{
    ward_val r = {.kind = WARD_F64};
    memcpy(&r.of.f64_bits, &v, sizeof v);
    return r;
}

float ward_val_as_f32(ward_val v)
{
    float f;
    memcpy(&f, &v.of.f32_bits, sizeof f);
    return f;
}

double ward_val_as_f64(ward_val v)
{
    double d;
    memcpy(&d, &v.of.f64_bits, sizeof d);
    return d;
}

void wval_to_bits(ward_val v, uint64_t bits[2])
{
    bits[0] = bits[1] = 0;
    switch (v.kind) {
    case WARD_I32:
    case WARD_F32:
        bits[0] = v.of.i32;
        break;
    case WARD_I64:
    case WARD_F64:
        bits[0] = v.of.i64;
        break;
    case WARD_V128:
        memcpy(bits, v.of.v128, 16);
        break;
    case WARD_FUNCREF:
        bits[0] = (uint64_t)(uintptr_t)v.of.funcref;
        break;
    case WARD_EXTERNREF:
        bits[0] = (uint64_t)(uintptr_t)v.of.externref;
        break;
    }
}

ward_val wval_from_bits(uint8_t type, const uint64_t bits[2])
{
    ward_val v;
    memset(&v, 0, sizeof v);
    v.kind = (ward_valkind)type;
    switch (type) {
    case WT_I32:
    case WT_F32:
        v.of.i32 = (uint32_t)bits[0];
        break;
    case WT_I64:
    case WT_F64:
        v.of.i64 = bits[0];
        break;
    case WT_V128:
        memcpy(v.of.v128, bits, 16);
        break;
    case WT_FUNCREF:
        v.of.funcref = (ward_func *)(uintptr_t)bits[0];
        break;
    case WT_EXTERNREF:
        v.of.externref = (void *)(uintptr_t)bits[0];
        break;
    }
    return v;
}

bool wval_kind_known(ward_valkind kind)
{
    switch (kind) {
    case WARD_I32:
    case WARD_I64:
    case WARD_F32:
    case WARD_F64:
    case WARD_V128:
    case WARD_FUNCREF:
    case WARD_EXTERNREF:
        return true;
    }
    return false;
}
