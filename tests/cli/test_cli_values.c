/* The CLI's argument parsing and result printing (src/cli/values.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/cli/cli.h"
#include "../test.h"

static bool parses_i32(const char *text, uint32_t want)
{
    ward_val v;
    return cli_parse_value(text, WARD_I32, &v) && v.kind == WARD_I32 && v.of.i32 == want;
}

static bool parses_i64(const char *text, uint64_t want)
{
    ward_val v;
    return cli_parse_value(text, WARD_I64, &v) && v.kind == WARD_I64 && v.of.i64 == want;
}

static bool rejects(const char *text, ward_valkind kind)
{
    ward_val v;
    return !cli_parse_value(text, kind, &v);
}

static void test_integers(void)
{
    CHECK(parses_i32("0", 0));
    CHECK(parses_i32("42", 42));
    CHECK(parses_i32("-1", 0xffffffffu));
    CHECK(parses_i32("4294967295", 0xffffffffu));
    CHECK(parses_i32("-2147483648", 0x80000000u));
    CHECK(parses_i32("0x7fffffff", 0x7fffffffu));
    CHECK(parses_i32("0XFF", 255));
    CHECK(parses_i32("-0x1", 0xffffffffu));
    CHECK(parses_i32("010", 10)); /* decimal, not octal */
    CHECK(rejects("4294967296", WARD_I32));
    CHECK(rejects("-2147483649", WARD_I32));
    CHECK(rejects("", WARD_I32));
    CHECK(rejects("-", WARD_I32));
    CHECK(rejects("0x", WARD_I32));
    CHECK(rejects(" 1", WARD_I32));
    CHECK(rejects("--1", WARD_I32));
    CHECK(rejects("1x", WARD_I32));
    CHECK(rejects("0x-1", WARD_I32));
    CHECK(parses_i64("18446744073709551615", UINT64_MAX));
    CHECK(parses_i64("-9223372036854775808", (uint64_t)1 << 63));
    CHECK(parses_i64("0x8000000000000000", (uint64_t)1 << 63));
    CHECK(rejects("18446744073709551616", WARD_I64));
    CHECK(rejects("-9223372036854775809", WARD_I64));
}

static void test_floats(void)
{
    ward_val v;
    CHECK(cli_parse_value("1.5", WARD_F32, &v) && v.kind == WARD_F32 && v.of.f32_bits == 0x3fc00000u);
    CHECK(cli_parse_value("-0", WARD_F64, &v) && v.of.f64_bits == (uint64_t)1 << 63);
    CHECK(cli_parse_value("inf", WARD_F64, &v) && isinf(ward_val_as_f64(v)));
    CHECK(cli_parse_value("nan", WARD_F32, &v) && isnan(ward_val_as_f32(v)));
    CHECK(cli_parse_value("0x1p-149", WARD_F32, &v) && v.of.f32_bits == 1);
    CHECK(rejects("1.5x", WARD_F32));
    CHECK(rejects("", WARD_F64));
    CHECK(rejects("1", WARD_V128));
    CHECK(rejects("1", WARD_FUNCREF));
}

static bool formats(ward_val v, const char *want)
{
    char buf[128];
    cli_format_value(&v, buf, sizeof buf);
    CHECK_MSG(strcmp(buf, want) == 0, "got \"%s\", want \"%s\"", buf, want);
    return strcmp(buf, want) == 0;
}

static ward_val f32_bits(uint32_t bits)
{
    ward_val v = {.kind = WARD_F32};
    v.of.f32_bits = bits;
    return v;
}

static ward_val f64_bits(uint64_t bits)
{
    ward_val v = {.kind = WARD_F64};
    v.of.f64_bits = bits;
    return v;
}

static void test_printing(void)
{
    formats(ward_val_i32(-1), "-1");
    formats(ward_val_i32(INT32_MIN), "-2147483648");
    formats(ward_val_i64(INT64_MIN), "-9223372036854775808");
    formats(ward_val_f32(0.1f), "0.1");
    formats(ward_val_f32(16777216.0f), "16777216");
    formats(ward_val_f64(0.1), "0.1");
    formats(ward_val_f64(1.0 / 3.0), "0.3333333333333333");
    formats(ward_val_f64(-0.0), "-0");
    formats(ward_val_f64(5e-324), "5e-324");
    formats(f32_bits(0x7f800000u), "inf");
    formats(f32_bits(0xff800000u), "-inf");
    formats(f32_bits(0x7fc00000u), "nan");
    formats(f32_bits(0xffc00000u), "-nan");
    formats(f32_bits(0x7f800001u), "nan:0x1");
    formats(f64_bits(0x7ff8000000000000u), "nan");
    formats(f64_bits(0x7ff4000000000000u), "nan:0x4000000000000");
    ward_val v = {.kind = WARD_V128};
    for (int i = 0; i < 16; i++)
        v.of.v128[i] = (uint8_t)i;
    formats(v, "i32x4 0x03020100 0x07060504 0x0b0a0908 0x0f0e0d0c");
    ward_val null_ref = {.kind = WARD_EXTERNREF};
    null_ref.of.externref = NULL;
    formats(null_ref, "externref:null");
}

static bool parses_v128(const char *text, const uint8_t want[16])
{
    ward_val v;
    return cli_parse_value(text, WARD_V128, &v) && v.kind == WARD_V128 && memcmp(v.of.v128, want, 16) == 0;
}

/* v128 arguments: SHAPE:lanes, the printed form, or 32 hex digits. */
static void test_v128(void)
{
    uint8_t seq[16], ones[16];
    for (int i = 0; i < 16; i++) {
        seq[i] = (uint8_t)i;
        ones[i] = 0xff;
    }
    CHECK(parses_v128("i32x4:0x03020100,0x07060504,0x0b0a0908,0x0f0e0d0c", seq));
    CHECK(parses_v128("i32x4 0x03020100 0x07060504 0x0b0a0908 0x0f0e0d0c", seq));
    CHECK(parses_v128("i8x16:0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15", seq));
    CHECK(parses_v128("i16x8:0x0100,0x0302,0x0504,0x0706,0x0908,0x0b0a,0x0d0c,0x0f0e", seq));
    CHECK(parses_v128("i64x2:0x0706050403020100,0x0f0e0d0c0b0a0908", seq));
    CHECK(parses_v128("0x0f0e0d0c0b0a09080706050403020100", seq));
    CHECK(parses_v128("i32x4:-1,-1,-1,-1", ones));
    uint8_t f[16] = {0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0, 0x80};
    CHECK(parses_v128("f32x4:1,-2,0,-0", f));
    uint8_t d[16] = {0, 0, 0, 0, 0, 0, 0xf8, 0x3f, 0, 0, 0, 0, 0, 0, 0xf0, 0x7f};
    CHECK(parses_v128("f64x2:1.5,inf", d));
    CHECK(rejects("i32x4:1,2,3", WARD_V128));
    CHECK(rejects("i32x4:1,2,3,4,5", WARD_V128));
    CHECK(rejects("i32x4:1,,3,4", WARD_V128));
    CHECK(rejects("i8x16:256,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0", WARD_V128));
    CHECK(rejects("i32x8:1,2,3,4", WARD_V128));
    CHECK(rejects("0x00", WARD_V128));
    CHECK(rejects("0x0f0e0d0c0b0a0908070605040302010g", WARD_V128));
}

/* Every printed float must read back to the same bits. */
static void test_round_trip(void)
{
    uint32_t seed = 12345;
    int bad = 0;
    for (int i = 0; i < 20000; i++) {
        seed = seed * 1103515245u + 12345u;
        uint32_t bits = seed ^ (seed << 7);
        ward_val v = f32_bits(bits), back;
        if (isnan(ward_val_as_f32(v)))
            continue;
        char buf[64];
        cli_format_value(&v, buf, sizeof buf);
        if (!cli_parse_value(buf, WARD_F32, &back) || back.of.f32_bits != bits)
            bad++;
    }
    CHECK_MSG(bad == 0, "%d f32 values did not round-trip", bad);
}

int main(void)
{
    test_integers();
    test_floats();
    test_printing();
    test_v128();
    test_round_trip();
    return test_summary("cli_values");
}
