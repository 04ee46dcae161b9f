/* The spec runner's value handling (spec-tests/wast_values.c): parsing
 * wast2json values, NaN patterns, v128 lanes, references. */
#include <stdlib.h>

#include "../../spec-tests/wast_values.h"
#include "../test.h"

/* Parse one JSON value object; false when the runner rejects it. */
static bool parse(const char *json, wast_value *out)
{
    cJSON *j = cJSON_Parse(json);
    werror err;
    bool ok = j && wast_parse_value(j, out, &err);
    cJSON_Delete(j);
    return ok;
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

static bool matches(const char *json, ward_val got)
{
    wast_value e;
    return parse(json, &e) && wast_value_matches(&e, &got);
}

static void test_integers(void)
{
    CHECK(matches("{\"type\":\"i32\",\"value\":\"4294967295\"}", ward_val_i32(-1)));
    CHECK(!matches("{\"type\":\"i32\",\"value\":\"4294967295\"}", ward_val_i32(1)));
    CHECK(!matches("{\"type\":\"i32\",\"value\":\"1\"}", ward_val_i64(1)));
    CHECK(matches("{\"type\":\"i64\",\"value\":\"18446744073709551615\"}", ward_val_i64(-1)));
    CHECK(matches("{\"type\":\"i32\"}", ward_val_i32(77))); /* no value: any i32 */
    wast_value e;
    CHECK(!parse("{\"type\":\"i32\",\"value\":\"4294967296\"}", &e));
    CHECK(!parse("{\"type\":\"i32\",\"value\":\"12a\"}", &e));
    CHECK(!parse("{\"type\":\"i32\",\"value\":\"\"}", &e));
    CHECK(!parse("{\"type\":\"i32\",\"value\":7}", &e));
    CHECK(!parse("{\"type\":\"i128\",\"value\":\"7\"}", &e));
    CHECK(!parse("{\"value\":\"7\"}", &e));
}

static void test_floats(void)
{
    const char *canonical32 = "{\"type\":\"f32\",\"value\":\"nan:canonical\"}";
    const char *arithmetic32 = "{\"type\":\"f32\",\"value\":\"nan:arithmetic\"}";
    CHECK(matches(canonical32, f32_bits(0x7fc00000u)));
    CHECK(matches(canonical32, f32_bits(0xffc00000u)));
    CHECK(!matches(canonical32, f32_bits(0x7fc00001u)));
    CHECK(!matches(canonical32, f32_bits(0x7fa00000u)));
    CHECK(!matches(canonical32, f32_bits(0x7f800000u)));
    CHECK(matches(arithmetic32, f32_bits(0x7fc00001u)));
    CHECK(matches(arithmetic32, f32_bits(0xffffffffu)));
    CHECK(!matches(arithmetic32, f32_bits(0x7f800001u)));
    CHECK(matches("{\"type\":\"f64\",\"value\":\"nan:canonical\"}", f64_bits(0xfff8000000000000u)));
    CHECK(!matches("{\"type\":\"f64\",\"value\":\"nan:canonical\"}", f64_bits(0x7ff8000000000001u)));
    CHECK(matches("{\"type\":\"f64\",\"value\":\"nan:arithmetic\"}", f64_bits(0x7ffc000000000000u)));
    CHECK(!matches("{\"type\":\"f64\",\"value\":\"nan:arithmetic\"}", f64_bits(0x7ff4000000000000u)));
    /* Exact bits: -0 is not +0, and a NaN payload must match exactly. */
    CHECK(matches("{\"type\":\"f32\",\"value\":\"2147483648\"}", f32_bits(0x80000000u)));
    CHECK(!matches("{\"type\":\"f32\",\"value\":\"2147483648\"}", f32_bits(0)));
    CHECK(matches("{\"type\":\"f32\",\"value\":\"2143289345\"}", f32_bits(0x7fc00001u)));
    CHECK(!matches("{\"type\":\"f32\",\"value\":\"2143289345\"}", f32_bits(0x7fc00000u)));
}

static ward_val v128_of_u32(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    ward_val v = {.kind = WARD_V128};
    uint32_t lanes[4] = {a, b, c, d};
    for (int i = 0; i < 16; i++)
        v.of.v128[i] = (uint8_t)(lanes[i / 4] >> (8 * (i % 4)));
    return v;
}

static void test_v128(void)
{
    CHECK(matches("{\"type\":\"v128\",\"lane_type\":\"i32\",\"value\":[\"1\",\"2\",\"3\",\"4294967295\"]}",
                  v128_of_u32(1, 2, 3, 0xffffffffu)));
    CHECK(!matches("{\"type\":\"v128\",\"lane_type\":\"i32\",\"value\":[\"1\",\"2\",\"3\",\"4\"]}",
                   v128_of_u32(1, 2, 3, 5)));
    CHECK(matches("{\"type\":\"v128\",\"lane_type\":\"i8\",\"value\":"
                  "[\"1\",\"0\",\"0\",\"0\",\"2\",\"0\",\"0\",\"0\",\"3\",\"0\",\"0\",\"0\",\"255\",\"0\",\"0\",\"0\"]}",
                  v128_of_u32(1, 2, 3, 255)));
    CHECK(matches("{\"type\":\"v128\",\"lane_type\":\"i16\",\"value\":[\"1\",\"0\",\"2\",\"0\",\"3\",\"0\",\"65535\",\"0\"]}",
                  v128_of_u32(1, 2, 3, 0xffff)));
    CHECK(matches("{\"type\":\"v128\",\"lane_type\":\"i64\",\"value\":[\"8589934593\",\"4294967299\"]}",
                  v128_of_u32(1, 2, 3, 1)));
    /* Per-lane NaN patterns. */
    const char *nans = "{\"type\":\"v128\",\"lane_type\":\"f32\",\"value\":"
                       "[\"nan:canonical\",\"nan:arithmetic\",\"0\",\"1065353216\"]}";
    CHECK(matches(nans, v128_of_u32(0xffc00000u, 0x7fc00123u, 0, 0x3f800000u)));
    CHECK(!matches(nans, v128_of_u32(0x7fc00001u, 0x7fc00123u, 0, 0x3f800000u)));
    CHECK(!matches(nans, v128_of_u32(0x7fc00000u, 0x7f800123u, 0, 0x3f800000u)));
    CHECK(!matches(nans, v128_of_u32(0x7fc00000u, 0x7fc00000u, 0x80000000u, 0x3f800000u)));
    CHECK(matches("{\"type\":\"v128\",\"lane_type\":\"f64\",\"value\":[\"nan:canonical\",\"0\"]}",
                  v128_of_u32(0, 0x7ff80000u, 0, 0)));
    wast_value e;
    CHECK(!parse("{\"type\":\"v128\",\"lane_type\":\"i32\",\"value\":[\"1\",\"2\",\"3\"]}", &e));
    CHECK(!parse("{\"type\":\"v128\",\"lane_type\":\"i8\",\"value\":[\"256\",\"0\",\"0\",\"0\",\"0\",\"0\","
                 "\"0\",\"0\",\"0\",\"0\",\"0\",\"0\",\"0\",\"0\",\"0\",\"0\"]}",
                 &e));
    CHECK(!parse("{\"type\":\"v128\",\"lane_type\":\"i32\",\"value\":[\"nan:canonical\",\"0\",\"0\",\"0\"]}", &e));
    CHECK(!parse("{\"type\":\"v128\",\"lane_type\":\"f16\",\"value\":[]}", &e));
    CHECK(matches("{\"type\":\"v128\"}", v128_of_u32(9, 9, 9, 9)));
}

static void test_refs(void)
{
    ward_val ext = {.kind = WARD_EXTERNREF};
    ext.of.externref = NULL;
    CHECK(matches("{\"type\":\"externref\",\"value\":\"null\"}", ext));
    CHECK(!matches("{\"type\":\"externref\",\"value\":\"0\"}", ext));
    wast_value e;
    CHECK(parse("{\"type\":\"externref\",\"value\":\"0\"}", &e) && e.val.of.externref != NULL);
    ext.of.externref = e.val.of.externref;
    CHECK(matches("{\"type\":\"externref\",\"value\":\"0\"}", ext));
    CHECK(!matches("{\"type\":\"externref\",\"value\":\"1\"}", ext));
    ward_val fn = {.kind = WARD_FUNCREF};
    fn.of.funcref = NULL;
    CHECK(matches("{\"type\":\"funcref\",\"value\":\"null\"}", fn));
    CHECK(!matches("{\"type\":\"externref\",\"value\":\"null\"}", fn));
    CHECK(!parse("{\"type\":\"funcref\",\"value\":\"3\"}", &e));
}

static void test_formatting(void)
{
    wast_value e;
    char buf[256];
    CHECK(parse("{\"type\":\"f32\",\"value\":\"nan:canonical\"}", &e));
    wast_format_expected(&e, buf, sizeof buf);
    CHECK_CONTAINS(buf, "nan:canonical");
    CHECK(parse("{\"type\":\"v128\",\"lane_type\":\"i16\",\"value\":[\"1\",\"0\",\"2\",\"0\",\"3\",\"0\",\"65535\",\"0\"]}",
                &e));
    wast_format_expected(&e, buf, sizeof buf);
    CHECK_CONTAINS(buf, "i16x8 0x0001 0x0000 0x0002");
    ward_val got = ward_val_i32(-1);
    wast_format_val(&got, 0, buf, sizeof buf);
    CHECK_CONTAINS(buf, "i32 4294967295");
    /* A tiny buffer truncates instead of overflowing. */
    char tiny[8];
    wast_format_expected(&e, tiny, sizeof tiny);
    CHECK(strlen(tiny) == sizeof tiny - 1);
}

int main(void)
{
    test_integers();
    test_floats();
    test_v128();
    test_refs();
    test_formatting();
    return test_summary("wast_values");
}
