/* Values in spec-test scripts: parsing wast2json's, matching and printing. */
#include "wast_values.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- parsing ------------------------------------------------------------ */

typedef struct kind_name {
    const char *name;
    ward_valkind kind;
} kind_name;

static const kind_name kind_names[] = {
    {"i32", WARD_I32},         {"i64", WARD_I64},         {"f32", WARD_F32},   {"f64", WARD_F64},
    {"v128", WARD_V128},       {"funcref", WARD_FUNCREF}, {"externref", WARD_EXTERNREF},
};

static bool kind_from_name(const char *name, ward_valkind *out)
{
    for (size_t i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++) {
        if (strcmp(kind_names[i].name, name) == 0) {
            *out = kind_names[i].kind;
            return true;
        }
    }
    return false;
}

static const char *kind_to_name(ward_valkind kind)
{
    for (size_t i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++) {
        if (kind_names[i].kind == kind)
            return kind_names[i].name;
    }
    return "?";
}

/* A lane or scalar width and whether it holds floats, by lane-type name. */
typedef struct lane_type {
    const char *name;
    unsigned bits;
    bool is_float;
} lane_type;

static const lane_type lane_types[] = {
    {"i8", 8, false}, {"i16", 16, false}, {"i32", 32, false},
    {"i64", 64, false}, {"f32", 32, true}, {"f64", 64, true},
};

static const lane_type *lane_type_from_name(const char *name)
{
    for (size_t i = 0; i < sizeof lane_types / sizeof lane_types[0]; i++) {
        if (strcmp(lane_types[i].name, name) == 0)
            return &lane_types[i];
    }
    return NULL;
}

static uint64_t width_mask(unsigned bits)
{
    return bits >= 64 ? UINT64_MAX : (((uint64_t)1 << bits) - 1);
}

/* Decimal bits of a value `bits` wide; wast2json writes them unsigned, but a
 * leading minus (two's complement) is accepted too. */
static bool parse_bits(const char *s, unsigned bits, uint64_t *out)
{
    if (!s || !*s)
        return false;
    bool negative = s[0] == '-';
    const char *digits = negative ? s + 1 : s;
    if (*digits < '0' || *digits > '9')
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(digits, &end, 10);
    if (errno || *end)
        return false;
    uint64_t mask = width_mask(bits);
    if (negative) {
        if (v > mask / 2 + 1)
            return false;
        v = (0 - (uint64_t)v) & mask;
    } else if (v > mask) {
        return false;
    }
    *out = v;
    return true;
}

static bool parse_nan_pattern(const char *s, wast_nan *out)
{
    if (strcmp(s, "nan:canonical") == 0)
        *out = WAST_NAN_CANONICAL;
    else if (strcmp(s, "nan:arithmetic") == 0)
        *out = WAST_NAN_ARITHMETIC;
    else
        return false;
    return true;
}

/* One number (scalar or lane): the bits, or for floats a NaN pattern. */
static bool parse_number(const char *s, unsigned bits, bool is_float, uint64_t *out, wast_nan *nan)
{
    *nan = WAST_NAN_NONE;
    *out = 0;
    if (is_float && s && parse_nan_pattern(s, nan))
        return true;
    return parse_bits(s, bits, out);
}

static void store_lane(uint8_t *bytes, unsigned lane, unsigned bits, uint64_t v)
{
    unsigned size = bits / 8;
    for (unsigned i = 0; i < size; i++)
        bytes[lane * size + i] = (uint8_t)(v >> (8 * i));
}

static uint64_t load_lane(const uint8_t *bytes, unsigned lane, unsigned bits)
{
    unsigned size = bits / 8;
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)bytes[lane * size + i] << (8 * i);
    return v;
}

static bool parse_v128(const cJSON *json, wast_value *out, werror *err)
{
    const cJSON *lane_json = cJSON_GetObjectItemCaseSensitive(json, "lane_type");
    const cJSON *lanes = cJSON_GetObjectItemCaseSensitive(json, "value");
    const lane_type *lt = cJSON_IsString(lane_json) ? lane_type_from_name(lane_json->valuestring) : NULL;
    if (!lt)
        return werror_set(err, "v128 without a known lane_type");
    unsigned count = 128 / lt->bits;
    if (!cJSON_IsArray(lanes) || cJSON_GetArraySize(lanes) != (int)count)
        return werror_set(err, "v128 %s needs %u lanes", lt->name, count);
    out->lane_bits = lt->bits;
    out->lane_float = lt->is_float;
    unsigned lane = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, lanes)
    {
        uint64_t bits;
        const char *s = cJSON_GetStringValue(item);
        if (!parse_number(s, lt->bits, lt->is_float, &bits, &out->nan[lane]))
            return werror_set(err, "bad %s lane \"%s\"", lt->name, s ? s : "?");
        store_lane(out->val.of.v128, lane++, lt->bits, bits);
    }
    return true;
}

/* Reference values: "null", or (externref only) a number N the runner maps
 * to the non-NULL host pointer N + 1. */
static bool parse_ref(const char *s, ward_valkind kind, wast_value *out, werror *err)
{
    void *ref = NULL;
    if (strcmp(s, "null") != 0) {
        uint64_t n;
        if (kind != WARD_EXTERNREF || !parse_bits(s, 64, &n) || n >= UINTPTR_MAX)
            return werror_set(err, "bad %s \"%s\"", kind_to_name(kind), s);
        ref = (void *)(uintptr_t)(n + 1);
    }
    if (kind == WARD_FUNCREF)
        out->val.of.funcref = ref;
    else
        out->val.of.externref = ref;
    return true;
}

static bool parse_scalar(const char *s, wast_value *out, werror *err)
{
    ward_valkind kind = out->val.kind;
    if (kind == WARD_FUNCREF || kind == WARD_EXTERNREF)
        return parse_ref(s, kind, out, err);
    unsigned bits = kind == WARD_I32 || kind == WARD_F32 ? 32 : 64;
    bool is_float = kind == WARD_F32 || kind == WARD_F64;
    uint64_t v;
    if (!parse_number(s, bits, is_float, &v, &out->nan[0]))
        return werror_set(err, "bad %s \"%s\"", kind_to_name(kind), s);
    if (bits == 32)
        out->val.of.i32 = (uint32_t)v;
    else
        out->val.of.i64 = v;
    return true;
}

bool wast_parse_value(const cJSON *json, wast_value *out, werror *err)
{
    memset(out, 0, sizeof *out);
    const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(json, "type"));
    if (!type || !kind_from_name(type, &out->val.kind))
        return werror_set(err, "unknown value type \"%s\"", type ? type : "?");
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(json, "value");
    if (!value) {
        out->any = true;
        return true;
    }
    if (out->val.kind == WARD_V128)
        return parse_v128(json, out, err);
    if (!cJSON_IsString(value))
        return werror_set(err, "%s value is not a string", type);
    return parse_scalar(value->valuestring, out, err);
}

/* ---- matching ----------------------------------------------------------- */

static bool float_matches(uint64_t got, unsigned bits, wast_nan nan, uint64_t expected)
{
    uint64_t sign = (uint64_t)1 << (bits - 1);
    uint64_t quiet = bits == 32 ? 0x7fc00000u : 0x7ff8000000000000u;
    switch (nan) {
    case WAST_NAN_CANONICAL:
        return (got & ~sign) == quiet;
    case WAST_NAN_ARITHMETIC:
        return (got & quiet) == quiet;
    case WAST_NAN_NONE:
        break;
    }
    return got == expected;
}

static bool v128_matches(const wast_value *e, const ward_val *got)
{
    unsigned count = 128 / e->lane_bits;
    for (unsigned lane = 0; lane < count; lane++) {
        uint64_t want = load_lane(e->val.of.v128, lane, e->lane_bits);
        uint64_t have = load_lane(got->of.v128, lane, e->lane_bits);
        if (e->lane_float ? !float_matches(have, e->lane_bits, e->nan[lane], want) : have != want)
            return false;
    }
    return true;
}

bool wast_value_matches(const wast_value *e, const ward_val *got)
{
    if (got->kind != e->val.kind)
        return false;
    if (e->any)
        return true;
    if (e->nonnull)
        return e->val.kind == WARD_FUNCREF ? got->of.funcref != NULL : got->of.externref != NULL;
    switch (e->val.kind) {
    case WARD_I32:
        return got->of.i32 == e->val.of.i32;
    case WARD_I64:
        return got->of.i64 == e->val.of.i64;
    case WARD_F32:
        return float_matches(got->of.f32_bits, 32, e->nan[0], e->val.of.f32_bits);
    case WARD_F64:
        return float_matches(got->of.f64_bits, 64, e->nan[0], e->val.of.f64_bits);
    case WARD_V128:
        return v128_matches(e, got);
    case WARD_FUNCREF:
        return got->of.funcref == e->val.of.funcref;
    case WARD_EXTERNREF:
        return got->of.externref == e->val.of.externref;
    }
    return false;
}

/* ---- printing ----------------------------------------------------------- */

static const char *nan_name(wast_nan nan)
{
    return nan == WAST_NAN_CANONICAL ? "nan:canonical" : "nan:arithmetic";
}

static void format_ref(const void *ref, ward_valkind kind, char *buf, size_t size)
{
    if (!ref)
        snprintf(buf, size, "%s null", kind_to_name(kind));
    else if (kind == WARD_EXTERNREF)
        snprintf(buf, size, "externref %" PRIuPTR, (uintptr_t)ref - 1);
    else
        snprintf(buf, size, "funcref %p", ref);
}

/* v128 lanes as hex, with NaN patterns from `e` when given. */
static void format_v128(const uint8_t *bytes, unsigned lane_bits, const wast_value *e, char *buf,
                        size_t size)
{
    size_t used = (size_t)snprintf(buf, size, "v128 %s%ux%u", e && e->lane_float ? "f" : "i", lane_bits,
                                   128 / lane_bits);
    for (unsigned lane = 0; lane < 128 / lane_bits && used < size; lane++) {
        if (e && e->nan[lane] != WAST_NAN_NONE)
            used += (size_t)snprintf(buf + used, size - used, " %s", nan_name(e->nan[lane]));
        else
            used += (size_t)snprintf(buf + used, size - used, " 0x%0*" PRIx64, (int)(lane_bits / 4),
                                     load_lane(bytes, lane, lane_bits));
    }
}

void wast_format_val(const ward_val *v, unsigned lane_bits, char *buf, size_t size)
{
    switch (v->kind) {
    case WARD_I32:
        snprintf(buf, size, "i32 %" PRIu32 " (0x%08" PRIx32 ")", v->of.i32, v->of.i32);
        return;
    case WARD_I64:
        snprintf(buf, size, "i64 %" PRIu64 " (0x%016" PRIx64 ")", v->of.i64, v->of.i64);
        return;
    case WARD_F32:
        snprintf(buf, size, "f32 0x%08" PRIx32 " (%.9g)", v->of.f32_bits, (double)ward_val_as_f32(*v));
        return;
    case WARD_F64:
        snprintf(buf, size, "f64 0x%016" PRIx64 " (%.17g)", v->of.f64_bits, ward_val_as_f64(*v));
        return;
    case WARD_V128:
        format_v128(v->of.v128, lane_bits ? lane_bits : 32, NULL, buf, size);
        return;
    case WARD_FUNCREF:
        format_ref(v->of.funcref, v->kind, buf, size);
        return;
    case WARD_EXTERNREF:
        format_ref(v->of.externref, v->kind, buf, size);
        return;
    }
    snprintf(buf, size, "<value of kind 0x%x>", (unsigned)v->kind);
}

void wast_format_expected(const wast_value *e, char *buf, size_t size)
{
    ward_valkind kind = e->val.kind;
    if (e->any)
        snprintf(buf, size, "any %s", kind_to_name(kind));
    else if (e->nonnull)
        snprintf(buf, size, "any non-null %s", kind_to_name(kind));
    else if (kind == WARD_V128)
        format_v128(e->val.of.v128, e->lane_bits, e, buf, size);
    else if ((kind == WARD_F32 || kind == WARD_F64) && e->nan[0] != WAST_NAN_NONE)
        snprintf(buf, size, "%s %s", kind_to_name(kind), nan_name(e->nan[0]));
    else
        wast_format_val(&e->val, 0, buf, size);
}
