/* Command-line values: parsing arguments, printing results, reading input files. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../host/file.h"
#include "cli.h"

uint8_t *cli_read_file(const char *cmd, const char *path, size_t *size)
{
    werror why;
    uint8_t *bytes = wfile_read(path, size, &why);
    if (!bytes)
        fprintf(stderr, "%s: %s\n", cmd, why.msg);
    return bytes;
}

const char *cli_kind_name(ward_valkind kind)
{
    switch (kind) {
    case WARD_I32:
        return "i32";
    case WARD_I64:
        return "i64";
    case WARD_F32:
        return "f32";
    case WARD_F64:
        return "f64";
    case WARD_V128:
        return "v128";
    case WARD_FUNCREF:
        return "funcref";
    case WARD_EXTERNREF:
        return "externref";
    }
    return "?";
}

/* An integer `bits` wide, accepted in [-2^(bits-1), 2^bits - 1] so both the
 * signed and the unsigned reading of the bits can be typed. */
static bool parse_int(const char *text, unsigned bits, uint64_t *out)
{
    bool negative = text[0] == '-';
    const char *digits = negative || text[0] == '+' ? text + 1 : text;
    int base = digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X') ? 16 : 10;
    if (base == 16)
        digits += 2;
    /* strtoull would also take spaces and a second sign; allow only digits. */
    unsigned char first = (unsigned char)*digits;
    if (base == 16 ? !isxdigit(first) : !isdigit(first))
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(digits, &end, base);
    if (errno || *end)
        return false;
    uint64_t max = bits == 64 ? UINT64_MAX : (((uint64_t)1 << bits) - 1);
    uint64_t min_magnitude = (uint64_t)1 << (bits - 1);
    if (negative ? v > min_magnitude : v > max)
        return false;
    *out = negative ? (0 - (uint64_t)v) & max : v;
    return true;
}

static bool parse_float(const char *text, bool is_f32, ward_val *out)
{
    if (!*text)
        return false;
    errno = 0;
    char *end;
    if (is_f32) {
        float f = strtof(text, &end);
        *out = ward_val_f32(f);
    } else {
        double d = strtod(text, &end);
        *out = ward_val_f64(d);
    }
    /* ERANGE on underflow still yields the nearest value, which is what we want. */
    return *end == 0;
}

/* One lane of a v128 argument, written into bytes at its little-endian place. */
static bool parse_lane(const char *text, char shape_kind, unsigned bits, uint8_t *lane)
{
    uint64_t v;
    if (shape_kind == 'f') {
        ward_val f;
        if (!parse_float(text, bits == 32, &f))
            return false;
        v = bits == 32 ? f.of.f32_bits : f.of.f64_bits;
    } else if (!parse_int(text, bits, &v)) {
        return false;
    }
    for (unsigned i = 0; i < bits / 8; i++)
        lane[i] = (uint8_t)(v >> (8 * i));
    return true;
}

/*
 * v128: SHAPE:l0,l1,... (or SHAPE l0 l1 ..., the form results print in)
 * with SHAPE one of i8x16 i16x8 i32x4 i64x2 f32x4 f64x2 and one value per
 * lane, lane 0 first; or 0x and 32 hex digits, the 128-bit little-endian
 * number (the last two digits are byte 0).
 */
static bool parse_v128(const char *text, uint8_t bytes[16])
{
    static const struct {
        const char *name;
        char kind;
        unsigned bits;
    } shapes[] = {{"i8x16", 'i', 8},  {"i16x8", 'i', 16}, {"i32x4", 'i', 32},
                  {"i64x2", 'i', 64}, {"f32x4", 'f', 32}, {"f64x2", 'f', 64}};
    if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        if (strlen(text + 2) != 32)
            return false;
        for (int i = 0; i < 16; i++) {
            char pair[3] = {text[2 + 2 * i], text[3 + 2 * i], 0};
            if (!isxdigit((unsigned char)pair[0]) || !isxdigit((unsigned char)pair[1]))
                return false;
            bytes[15 - i] = (uint8_t)strtoul(pair, NULL, 16);
        }
        return true;
    }
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        size_t len = strlen(shapes[k].name);
        if (strncmp(text, shapes[k].name, len) != 0 || (text[len] != ':' && text[len] != ' '))
            continue;
        const char *p = text + len + 1;
        unsigned nlanes = 128 / shapes[k].bits;
        for (unsigned i = 0; i < nlanes; i++) {
            char lane[64];
            size_t n = strcspn(p, ", ");
            if (n == 0 || n >= sizeof lane || (i + 1 < nlanes) != (p[n] != 0))
                return false;
            memcpy(lane, p, n);
            lane[n] = 0;
            if (!parse_lane(lane, shapes[k].kind, shapes[k].bits, bytes + i * (shapes[k].bits / 8)))
                return false;
            p += n + (p[n] != 0);
        }
        return true;
    }
    return false;
}

bool cli_parse_value(const char *text, ward_valkind kind, ward_val *out)
{
    uint64_t bits;
    switch (kind) {
    case WARD_I32:
        if (!parse_int(text, 32, &bits))
            return false;
        *out = ward_val_i32((int32_t)(uint32_t)bits);
        return true;
    case WARD_I64:
        if (!parse_int(text, 64, &bits))
            return false;
        *out = ward_val_i64((int64_t)bits);
        return true;
    case WARD_F32:
        return parse_float(text, true, out);
    case WARD_F64:
        return parse_float(text, false, out);
    case WARD_V128:
        memset(out, 0, sizeof *out);
        out->kind = WARD_V128;
        return parse_v128(text, out->of.v128);
    default:
        return false;
    }
}

/* The fewest %g digits that read back to exactly the same float. */
static void format_f32(float f, char *buf, size_t size)
{
    for (int precision = 1; precision <= 9; precision++) {
        snprintf(buf, size, "%.*g", precision, (double)f);
        float back = strtof(buf, NULL);
        if (memcmp(&back, &f, sizeof f) == 0)
            return;
    }
}

static void format_f64(double d, char *buf, size_t size)
{
    for (int precision = 1; precision <= 17; precision++) {
        snprintf(buf, size, "%.*g", precision, d);
        double back = strtod(buf, NULL);
        if (memcmp(&back, &d, sizeof d) == 0)
            return;
    }
}

/* NaNs print as nan or -nan, with the payload when it is not the canonical one. */
static void format_nan(bool negative, uint64_t payload, uint64_t canonical, char *buf, size_t size)
{
    if (payload == canonical)
        snprintf(buf, size, "%snan", negative ? "-" : "");
    else
        snprintf(buf, size, "%snan:0x%" PRIx64, negative ? "-" : "", payload);
}

static void format_v128(const uint8_t *bytes, char *buf, size_t size)
{
    uint32_t lanes[4];
    for (int i = 0; i < 4; i++)
        lanes[i] = (uint32_t)bytes[4 * i] | (uint32_t)bytes[4 * i + 1] << 8 |
                   (uint32_t)bytes[4 * i + 2] << 16 | (uint32_t)bytes[4 * i + 3] << 24;
    snprintf(buf, size, "i32x4 0x%08" PRIx32 " 0x%08" PRIx32 " 0x%08" PRIx32 " 0x%08" PRIx32, lanes[0],
             lanes[1], lanes[2], lanes[3]);
}

static void format_ref(const void *ref, ward_valkind kind, char *buf, size_t size)
{
    if (ref)
        snprintf(buf, size, "%s:%p", cli_kind_name(kind), ref);
    else
        snprintf(buf, size, "%s:null", cli_kind_name(kind));
}

void cli_format_value(const ward_val *v, char *buf, size_t size)
{
    /* Also tells gcc's -Wformat-truncation (at -O3 with UBSan) that buf is set. */
    if (!buf || size == 0)
        return;
    switch (v->kind) {
    case WARD_I32:
        snprintf(buf, size, "%" PRId32, (int32_t)v->of.i32);
        return;
    case WARD_I64:
        snprintf(buf, size, "%" PRId64, (int64_t)v->of.i64);
        return;
    case WARD_F32:
        if (isnan(ward_val_as_f32(*v)))
            format_nan(v->of.f32_bits >> 31, v->of.f32_bits & 0x7fffff, 0x400000, buf, size);
        else
            format_f32(ward_val_as_f32(*v), buf, size);
        return;
    case WARD_F64:
        if (isnan(ward_val_as_f64(*v)))
            format_nan(v->of.f64_bits >> 63, v->of.f64_bits & 0xfffffffffffffu, 0x8000000000000u, buf,
                       size);
        else
            format_f64(ward_val_as_f64(*v), buf, size);
        return;
    case WARD_V128:
        format_v128(v->of.v128, buf, size);
        return;
    case WARD_FUNCREF:
        format_ref(v->of.funcref, v->kind, buf, size);
        return;
    case WARD_EXTERNREF:
        format_ref(v->of.externref, v->kind, buf, size);
        return;
    }
    snprintf(buf, size, "?");
}
