/* The opcode facts table and the byte-to-opcode lookup, expanded from opcodes.def. */
#include "opcodes.h"

const wopinfo wop_info[WOP_COUNT] = {
#define OP(ident, prefix, code, name, imm, sig, fuel) \
    [WOP_##ident] = { name, sig, code, prefix, WIMM_##imm, fuel },
#include "opcodes.def"
#undef OP
};

wop wop_lookup(uint8_t prefix, uint32_t code)
{
    if (code > 0xFFFF)
        return WOP_COUNT;
    /* A switch generated from the table: the compiler turns it into jump
     * tables, and there is no lookup table to build at run time. */
    switch (((uint32_t)prefix << 16) | code) {
#define OP(ident, prefix, code, name, imm, sig, fuel) \
    case ((uint32_t)(prefix) << 16) | (code): return WOP_##ident;
#include "opcodes.def"
#undef OP
    default:
        return WOP_COUNT;
    }
}
