/*
 * The tables derived from opcodes.def at build time agree with its rows:
 * wsig_table (src/common/opcodes_gen.py) holds each signature string parsed,
 * and the feature, access and lane columns say what the instruction's
 * encoding and name say, for every row.
 */
#include <string.h>

#include "test.h"
#include "validator/validate_internal.h"

static uint8_t sig_type(char c)
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

/* wsig_table[op] is exactly wop_info[op].sig, type by type. */
static void test_signatures_parsed(void)
{
    for (int op = 0; op < WOP_COUNT; op++) {
        const char *s = wop_info[op].sig;
        const wsig *sig = &wsig_table[op];
        CHECK_MSG(sig->valid == (s != NULL), "%s: valid", wop_info[op].name);
        if (!s)
            continue;
        const char *colon = strchr(s, ':');
        size_t np = (size_t)(colon - s), nr = strlen(colon + 1);
        CHECK_MSG(sig->nparams == np && sig->nresults == nr, "%s: %u:%u", wop_info[op].name, sig->nparams,
                  sig->nresults);
        for (size_t i = 0; i < np + nr && i < WSIG_MAX_TYPES; i++)
            CHECK_MSG(sig->types[i] == sig_type(i < np ? s[i] : colon[1 + i - np]), "%s: type %zu",
                      wop_info[op].name, i);
    }
}

/* Memory instructions, and only they, have an access size: a power of two
 * whose log2 the validator compares alignments with; lane immediates, and
 * only they, have a lane count, which with a memory lane covers 16 bytes. */
static void test_access_and_lanes(void)
{
    for (int op = 0; op < WOP_COUNT; op++) {
        const wopinfo *info = &wop_info[op];
        bool memory = info->imm == WIMM_MEMARG || info->imm == WIMM_MEMARG_LANE;
        bool lane = info->imm == WIMM_LANE || info->imm == WIMM_MEMARG_LANE;
        CHECK_MSG(memory == (info->access != 0), "%s: access %u", info->name, info->access);
        CHECK_MSG(lane == (info->lanes != 0), "%s: lanes %u", info->name, info->lanes);
        if (memory)
            CHECK_MSG(info->access == 1u << wsig_table[op].access_log2, "%s: log2", info->name);
        if (lane)
            CHECK_MSG(wsig_table[op].lanes == info->lanes, "%s: wsig lanes", info->name);
        if (info->imm == WIMM_MEMARG_LANE)
            CHECK_MSG(info->access * info->lanes == 16, "%s: %u x %u", info->name, info->access, info->lanes);
    }
    /* the cases a name alone makes easy to get wrong */
    CHECK(wop_info[WOP_I64_LOAD32_U].access == 4);
    CHECK(wop_info[WOP_V128_LOAD16X4_S].access == 8);
    CHECK(wop_info[WOP_V128_LOAD].access == 16);
    CHECK(wop_info[WOP_MEMORY_ATOMIC_NOTIFY].access == 4);
    CHECK(wop_info[WOP_MEMORY_ATOMIC_WAIT64].access == 8);
    CHECK(wop_info[WOP_I64_ATOMIC_RMW32_CMPXCHG_U].access == 4);
    CHECK(wop_info[WOP_I16X8_EXTRACT_LANE_S].lanes == 8);
    CHECK(wop_info[WOP_V128_LOAD32_LANE].lanes == 4);
}

/* Every opcode of a prefix that belongs to one proposal says so, and the
 * single-byte opcodes of proposals are the tail calls and exceptions. */
static void test_features(void)
{
    for (int op = 0; op < WOP_COUNT; op++) {
        const wopinfo *info = &wop_info[op];
        if (info->prefix == 0xFD)
            CHECK_MSG(info->feature == WFEAT_SIMD, "%s", info->name);
        else if (info->prefix == 0xFE)
            CHECK_MSG(info->feature == WFEAT_THREADS, "%s", info->name);
        else if (info->prefix == 0xFC)
            CHECK_MSG(info->feature == WFEAT_CORE, "%s", info->name);
    }
    CHECK(wop_info[WOP_RETURN_CALL].feature == WFEAT_TAIL_CALL);
    CHECK(wop_info[WOP_RETURN_CALL_INDIRECT].feature == WFEAT_TAIL_CALL);
    CHECK(wop_info[WOP_TRY].feature == WFEAT_EXCEPTIONS);
    CHECK(wop_info[WOP_DELEGATE].feature == WFEAT_EXCEPTIONS);
    CHECK(wop_info[WOP_CATCH_ALL].feature == WFEAT_EXCEPTIONS);
    CHECK(wop_info[WOP_BLOCK].feature == WFEAT_CORE);
    CHECK(wop_info[WOP_I32_ADD].flags & WOPF_XCONST);
    CHECK(!(wop_info[WOP_I32_DIV_S].flags & WOPF_XCONST));
    CHECK(wop_info[WOP_F32X4_DEMOTE_F64X2_ZERO].flags & WOPF_NAN32);
    CHECK(wop_info[WOP_F64X2_PROMOTE_LOW_F32X4].flags & WOPF_NAN64);
    CHECK(!(wop_info[WOP_F32X4_ABS].flags & (WOPF_NAN32 | WOPF_NAN64)));
}

int main(void)
{
    test_signatures_parsed();
    test_access_and_lanes();
    test_features();
    return test_summary("opcode_table");
}
