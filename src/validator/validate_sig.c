/*
 * The signature table: every "params:results" string of opcodes.def parsed
 * once per validation into value-type arrays, plus the facts a memory or
 * lane instruction's name carries (access size, lane count).  Deriving those
 * from the one opcode table keeps the validator free of a second opcode list.
 */
#include <stdlib.h>
#include <string.h>

#include "validate_internal.h"

static uint8_t sig_char_type(char c)
{
    switch (c) {
    case 'i':
        return WT_I32;
    case 'I':
        return WT_I64;
    case 'f':
        return WT_F32;
    case 'F':
        return WT_F64;
    case 'v':
        return WT_V128;
    default:
        return WT_UNKNOWN;
    }
}

uint32_t wvaltype_size(uint8_t t)
{
    switch (t) {
    case WT_I32:
    case WT_F32:
        return 4;
    case WT_I64:
    case WT_F64:
        return 8;
    case WT_V128:
        return 16;
    default:
        return 0;
    }
}

bool wvaltype_is_num(uint8_t t)
{
    return t == WT_I32 || t == WT_I64 || t == WT_F32 || t == WT_F64;
}

bool wvaltype_is_ref(uint8_t t)
{
    return t == WT_FUNCREF || t == WT_EXTERNREF;
}

const char *wval_type_name(uint8_t t)
{
    return t == WT_UNKNOWN ? "unknown" : wvaltype_name(t);
}

static bool parse_sig(const char *s, wsig *out)
{
    bool in_results = false;
    uint8_t n = 0;
    for (; *s; s++) {
        if (*s == ':' && !in_results) {
            in_results = true;
            out->nparams = n;
            continue;
        }
        uint8_t t = sig_char_type(*s);
        if (t == WT_UNKNOWN || n == WSIG_MAX_TYPES)
            return false;
        out->types[n++] = t;
    }
    if (!in_results)
        return false;
    out->nresults = (uint8_t)(n - out->nparams);
    out->valid = true;
    return true;
}

static unsigned parse_digits(const char **s)
{
    unsigned v = 0;
    while (**s >= '0' && **s <= '9' && v < 1000)
        v = v * 10 + (unsigned)(*(*s)++ - '0');
    return v;
}

/* Width in bits of the type named before the first '.', e.g. "i64.load" -> 64
 * and "i16x8.extract_lane_s" -> 128; 0 if it is not a value type. */
static unsigned prefix_bits(const char *name)
{
    static const struct {
        const char *prefix;
        unsigned bits;
    } widths[] = {
        {"i32.", 32}, {"i64.", 64}, {"f32.", 32}, {"f64.", 64}, {"v128.", 128},
    };
    for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++)
        if (strncmp(name, widths[i].prefix, strlen(widths[i].prefix)) == 0)
            return widths[i].bits;
    return 0;
}

/* Access size in bits of a memory instruction from its name: the digits after
 * the memory verb ("i32.load8_s" 8, "v128.load16x4_s" 64, "i64.atomic.rmw32.add_u"
 * 32, "memory.atomic.wait64" 64), else the width of the named type. */
static unsigned access_bits(const char *name)
{
    static const char *const verbs[] = {"load", "store", "rmw", "wait"};
    if (strstr(name, "notify"))
        return 32;
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
        const char *at = strstr(name, verbs[i]);
        if (!at)
            continue;
        const char *s = at + strlen(verbs[i]);
        unsigned bits = parse_digits(&s);
        if (bits && *s == 'x') {
            s++;
            bits *= parse_digits(&s);
        }
        return bits ? bits : prefix_bits(name);
    }
    return prefix_bits(name);
}

static uint8_t log2_bytes(unsigned bits)
{
    uint8_t log2 = 0;
    for (unsigned bytes = bits / 8; bytes > 1; bytes >>= 1)
        log2++;
    return log2;
}

/* Lane count: "i16x8.replace_lane" 8; "v128.load32_lane" 128/32 = 4. */
static uint8_t lane_count(const char *name, unsigned access)
{
    const char *x = strchr(name, 'x');
    const char *dot = strchr(name, '.');
    if (x && dot && x < dot) {
        const char *s = x + 1;
        return (uint8_t)parse_digits(&s);
    }
    return access ? (uint8_t)(128 / access) : 0;
}

static void derive_name_facts(const wopinfo *info, wsig *sig)
{
    bool memory = info->imm == WIMM_MEMARG || info->imm == WIMM_MEMARG_LANE;
    unsigned access = memory ? access_bits(info->name) : 0;
    if (memory)
        sig->access_log2 = log2_bytes(access);
    if (info->imm == WIMM_LANE || info->imm == WIMM_MEMARG_LANE)
        sig->lanes = lane_count(info->name, access);
}

bool wsig_table_build(wsig **out, werror *err)
{
    wsig *sigs = wcalloc(WOP_COUNT, sizeof *sigs);
    if (!sigs)
        return werror_set(err, "out of memory");
    for (size_t op = 0; op < WOP_COUNT; op++) {
        const wopinfo *info = &wop_info[op];
        if (info->sig && !parse_sig(info->sig, &sigs[op])) {
            free(sigs);
            return werror_set(err, "internal error: bad signature \"%s\" for %s", info->sig, info->name);
        }
        derive_name_facts(info, &sigs[op]);
    }
    *out = sigs;
    return true;
}
