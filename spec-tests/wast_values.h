/*
 * Values in spec-test scripts: arguments and expected results (parsed
 * here from wast2json's JSON, in wast_text_values.c from .wast text), their
 * comparison with what ward returns (NaN patterns, v128 lanes) and their
 * printing in failure reports.
 */
#ifndef WARD_WAST_VALUES_H
#define WARD_WAST_VALUES_H

#include <stdbool.h>
#include <stddef.h>

#include <cJSON.h>

#include "../include/ward.h"
#include "../src/common/util.h"

/* What a float (or a float lane) must be: these exact bits, or a NaN class. */
typedef enum wast_nan {
    WAST_NAN_NONE = 0,    /* compare the bits exactly */
    WAST_NAN_CANONICAL,   /* exponent all ones, only the top mantissa bit set, either sign */
    WAST_NAN_ARITHMETIC,  /* exponent all ones and the top mantissa bit set */
} wast_nan;

#define WAST_MAX_LANES 16

/* One value of a script: an argument, or an expected result. */
typedef struct wast_value {
    ward_val val;
    bool any;                      /* no value given: any value of this kind matches */
    bool nonnull;                  /* (ref.func), (ref.extern): any non-null reference */
    unsigned lane_bits;            /* v128: lane width in bits (8..64); scalars: 0 */
    bool lane_float;               /* v128: the lanes are f32 or f64 */
    wast_nan nan[WAST_MAX_LANES];  /* scalars use nan[0] */
} wast_value;

/* Parse {"type": ..., "value": ...}.  False with *err on anything malformed. */
bool wast_parse_value(const cJSON *json, wast_value *out, werror *err);

/* Does ward's result `got` satisfy `expected`? */
bool wast_value_matches(const wast_value *expected, const ward_val *got);

/* Render a result for a failure report, showing v128 in `lane_bits` lanes
 * (0 for the default of 32). */
void wast_format_val(const ward_val *v, unsigned lane_bits, char *buf, size_t size);

/* Render an expected value, NaN patterns included. */
void wast_format_expected(const wast_value *e, char *buf, size_t size);

#endif
