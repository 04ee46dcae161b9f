/*
 * The signature table: every "params:results" string of opcodes.def as
 * value-type arrays, with the access size and lane count of its row.
 * meson writes the entries at build time (src/common/opcodes_gen.py), so
 * loading a module parses nothing, and the table is the opcode table's, not
 * a second list.
 */
#include "validate_internal.h"

const wsig wsig_table[WOP_COUNT] = {
#include "validator/wsig_table.inc"
};

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
