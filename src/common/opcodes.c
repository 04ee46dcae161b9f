/* The opcode facts table and the byte-to-opcode lookup, expanded from opcodes.def. */
#include "opcodes.h"

const wopinfo wop_info[WOP_COUNT] = {
#define OP(ident, prefix, code, name, imm, sig, fuel, feature, access, lanes, flags) \
    [WOP_##ident] = { name, sig, code, prefix, WIMM_##imm, fuel, WFEAT_##feature, access, lanes, WOPF_##flags },
#include "opcodes.def"
#undef OP
};

/* Single-byte opcodes: wop + 1 by byte, 0 for none.  Prefixed opcodes
 * park at 256 + their wop so every designated index is distinct. */
const uint16_t wop_single_byte[256 + WOP_COUNT] = {
#define OP(ident, prefix, code, name, imm, sig, fuel, feature, access, lanes, flags) \
    [(prefix) == 0 ? (code) : 256 + WOP_##ident] = WOP_##ident + 1,
#include "opcodes.def"
#undef OP
};

wop wop_lookup(uint8_t prefix, uint32_t code)
{
    /* the common case, once per instruction in every decoding pass: a
     * table load is cheaper than the switch's indirect jump */
    if (prefix == 0)
        return code <= 0xFF ? wop_lookup_byte((uint8_t)code) : WOP_COUNT;
    if (code > 0xFFFF)
        return WOP_COUNT;
    /* A switch generated from the table: the compiler turns it into jump
     * tables, and there is no lookup table to build at run time. */
    switch (((uint32_t)prefix << 16) | code) {
#define OP(ident, prefix, code, name, imm, sig, fuel, feature, access, lanes, flags) \
    case ((uint32_t)(prefix) << 16) | (code): return WOP_##ident;
#include "opcodes.def"
#undef OP
    default:
        return WOP_COUNT;
    }
}
