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

#endif
