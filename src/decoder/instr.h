/*
 * Instruction reader: decodes one instruction (opcode and immediates, as
 * listed in src/common/opcodes.def) from a code body.  Shared by the
 * validator, the translator and the disassembler so immediates are parsed in
 * exactly one place.  It checks the encoding only (malformed input); whether
 * indices and types make sense is the validator's job.
 */
#ifndef WARD_INSTR_H
#define WARD_INSTR_H

#include "../common/opcodes.h"
#include "module.h"
#include "reader.h"

enum { WBLOCK_EMPTY, WBLOCK_VALTYPE, WBLOCK_TYPEIDX };

typedef struct wblocktype {
    uint8_t kind;       /* WBLOCK_* */
    uint8_t valtype;    /* WBLOCK_VALTYPE */
    uint32_t type_index;/* WBLOCK_TYPEIDX */
} wblocktype;

typedef struct winstr {
    wop op;
    uint32_t offset;    /* module byte offset of the instruction's first byte */
    /*
     * Index immediates, by immediate kind:
     *   LABEL a=depth; FUNC a=funcidx; LOCAL/GLOBAL/TABLE a=index;
     *   MEMORY a=memidx; CALL_INDIRECT a=typeidx b=tableidx;
     *   MEMORY_INIT a=dataidx b=memidx; DATA a=dataidx;
     *   MEMORY_COPY a=dst memidx b=src memidx; TABLE_INIT a=elemidx b=tableidx;
     *   ELEM a=elemidx; TABLE_COPY a=dst tableidx b=src tableidx;
     *   BR_TABLE a=number of targets (without default) b=default depth;
     *   SELECT_T a=number of types, reftype=first type.
     */
    uint32_t a, b;
    const uint32_t *targets;  /* BR_TABLE: a entries, valid until the next read */
    wblocktype block;         /* BLOCKTYPE */
    struct {
        uint32_t align;       /* log2 alignment */
        uint32_t memory;      /* memory index (multi-memory), else 0 */
        uint64_t offset;
    } memarg;                 /* MEMARG, MEMARG_LANE */
    uint8_t lane;             /* LANE, MEMARG_LANE */
    uint8_t reftype;          /* REFTYPE, SELECT_T */
    uint64_t imm;             /* I32 (zero-extended u32), I64, F32 bits, F64 bits */
    uint8_t bytes16[16];      /* V128 constant, SHUFFLE lanes */
} winstr;

/* Scratch storage reused across reads (br_table targets). */
typedef struct winstr_scratch {
    uint32_t *targets;
    size_t cap;
} winstr_scratch;

/* Read one instruction at r->p.  Unknown opcodes fail with
 * "illegal opcode 0x.." and bad immediates with the reader's errors; the
 * message does not carry position (callers add section/function/offset). */
bool wread_instr(wreader *r, winstr_scratch *scratch, const wfeatures *features,
                 winstr *out, werror *err);

void winstr_scratch_free(winstr_scratch *s);

/*
 * wread_instr for the validator's loop, inline: the most common
 * instructions (no immediate, or one one-byte index, i32 constant or
 * memarg) are read here and everything else by wread_instr.  Unlike
 * wread_instr it does not clear *out: it sets op, offset and the
 * immediate fields of the instruction's kind only, which are all that a
 * reader of such an instruction looks at.
 */
static inline bool wread_instr_quick(wreader *r, winstr_scratch *scratch, const wfeatures *features, winstr *out,
                                     werror *err)
{
    const uint8_t *p = r->p;
    if (r->end - p < 3 || p[0] >= 0xFC)
        return wread_instr(r, scratch, features, out, err);
    wop op = wop_lookup_byte(p[0]);
    /* a proposal's opcode goes the long way, which checks its feature */
    if (op == WOP_COUNT || wop_info[op].feature != WFEAT_CORE)
        return wread_instr(r, scratch, features, out, err);
    switch ((wimm)wop_info[op].imm) {
    case WIMM_NONE:
        r->p = p + 1;
        break;
    case WIMM_LABEL:
    case WIMM_FUNC:
    case WIMM_LOCAL:
    case WIMM_GLOBAL:
        if (p[1] >= 0x80)
            return wread_instr(r, scratch, features, out, err);
        out->a = p[1];
        r->p = p + 2;
        break;
    case WIMM_I32:
        if (p[1] >= 0x80)
            return wread_instr(r, scratch, features, out, err);
        out->imm = (uint32_t)((p[1] & 0x40) ? (int32_t)p[1] - 128 : (int32_t)p[1]);
        r->p = p + 2;
        break;
    case WIMM_MEMARG:
        /* align below 0x40 names memory 0 (multi-memory sets bit 6 for an
         * index), and a one-byte offset reads the same as a u32 or a u64
         * (memory64), so the features need no test here */
        if (p[1] >= 0x40 || p[2] >= 0x80 || !features)
            return wread_instr(r, scratch, features, out, err);
        out->memarg.align = p[1];
        out->memarg.memory = 0;
        out->memarg.offset = p[2];
        r->p = p + 3;
        break;
    default:
        return wread_instr(r, scratch, features, out, err);
    }
    out->op = op;
    out->offset = (uint32_t)(p - r->base);
    return true;
}

#endif
