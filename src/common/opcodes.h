/* Opcode enumeration and per-opcode facts, all expanded from opcodes.def. */
#ifndef WARD_OPCODES_H
#define WARD_OPCODES_H

#include <stdint.h>
#include <stddef.h>

/* How the bytes after an opcode are read (see src/decoder/instr.h). */
typedef enum wimm {
    WIMM_NONE,
    WIMM_BLOCKTYPE,     /* blocktype: 0x40, a value type, or an s33 type index */
    WIMM_LABEL,         /* u32 label depth */
    WIMM_BR_TABLE,      /* vec(u32 label) + default u32 label */
    WIMM_FUNC,          /* u32 function index */
    WIMM_CALL_INDIRECT, /* u32 type index, u32 table index */
    WIMM_SELECT_T,      /* vec(valtype) */
    WIMM_LOCAL,         /* u32 local index */
    WIMM_GLOBAL,        /* u32 global index */
    WIMM_TABLE,         /* u32 table index */
    WIMM_MEMARG,        /* u32 align (bit 6: memory index follows), [u32 memidx], u64 offset */
    WIMM_MEMORY,        /* memory index (a 0x00 byte in Wasm 2.0) */
    WIMM_I32,           /* s32 */
    WIMM_I64,           /* s64 */
    WIMM_F32,           /* 4 raw bytes */
    WIMM_F64,           /* 8 raw bytes */
    WIMM_REFTYPE,       /* one reference type byte */
    WIMM_MEMORY_INIT,   /* u32 data index, memory index */
    WIMM_DATA,          /* u32 data index */
    WIMM_MEMORY_COPY,   /* memory index (dst), memory index (src) */
    WIMM_TABLE_INIT,    /* u32 element index, u32 table index */
    WIMM_ELEM,          /* u32 element index */
    WIMM_TABLE_COPY,    /* u32 table index (dst), u32 table index (src) */
    WIMM_V128,          /* 16 raw bytes */
    WIMM_LANE,          /* one lane index byte */
    WIMM_MEMARG_LANE,   /* memarg, then one lane index byte */
    WIMM_SHUFFLE,       /* 16 lane index bytes */
    WIMM_ATOMIC_FENCE,  /* a 0x00 byte */
    WIMM_TAG,           /* u32 tag index (exception handling) */
} wimm;

/* The proposal an opcode belongs to (the feature column of opcodes.def). */
typedef enum wfeature {
    WFEAT_CORE,       /* Wasm 2.0 without SIMD: always on */
    WFEAT_SIMD,       /* wfeatures.simd */
    WFEAT_THREADS,    /* wfeatures.threads */
    WFEAT_TAIL_CALL,  /* wfeatures.tail_call */
    WFEAT_EXCEPTIONS, /* wfeatures.exceptions (legacy exception handling) */
    WFEAT_COUNT
} wfeature;

/* Per-opcode flags (the flags column of opcodes.def). */
enum {
    WOPF_0 = 0,
    WOPF_XCONST = 1 << 0, /* constant with extended-const (add, sub, mul) */
    WOPF_NAN32 = 1 << 1,  /* computes new f32 lanes: NaN canonicalised in deterministic mode */
    WOPF_NAN64 = 1 << 2,  /* the same for f64 lanes */
};

typedef enum wop {
#define OP(ident, prefix, code, name, imm, sig, fuel, feature, access, lanes, flags) WOP_##ident,
#include "opcodes.def"
#undef OP
    WOP_COUNT
} wop;

typedef struct wopinfo {
    const char *name;      /* text-format name */
    const char *sig;       /* "params:results" or NULL (typed by hand) */
    uint16_t code;         /* code within its prefix */
    uint8_t prefix;        /* 0, 0xFC, 0xFD or 0xFE */
    uint8_t imm;           /* wimm */
    uint8_t fuel;          /* default fuel weight */
    uint8_t feature;       /* wfeature that gates it */
    uint8_t access;        /* bytes a memory access touches, else 0 */
    uint8_t lanes;         /* lane count of a lane index immediate, else 0 */
    uint8_t flags;         /* WOPF_* */
} wopinfo;

extern const wopinfo wop_info[WOP_COUNT];

/* Map (prefix, code) to an opcode; returns WOP_COUNT when no such opcode. */
wop wop_lookup(uint8_t prefix, uint32_t code);

/* Single-byte opcodes: wop + 1 by byte, 0 for none (opcodes.c). */
extern const uint16_t wop_single_byte[];

/* wop_lookup(0, byte), inline: once per instruction in every decoding pass. */
static inline wop wop_lookup_byte(uint8_t byte)
{
    return wop_single_byte[byte] ? (wop)(wop_single_byte[byte] - 1) : WOP_COUNT;
}

#endif
