/*
 * The instruction reader: one opcode and its immediates, driven by the
 * immediate kind recorded in opcodes.def (never by a list of opcodes).
 */
#include "instr.h"

#include <stdlib.h>
#include <string.h>

#include "types.h"

static const wfeatures no_features;

enum { PREFIX_MISC = 0xFC, PREFIX_SIMD = 0xFD, PREFIX_ATOMIC = 0xFE };

static bool is_prefix(uint8_t byte)
{
    return byte == PREFIX_MISC || byte == PREFIX_SIMD || byte == PREFIX_ATOMIC;
}

/* The ward_config switch an opcode's proposal is named by in errors. */
static const char *const feature_names[WFEAT_COUNT] = {
    [WFEAT_CORE] = "core",
    [WFEAT_SIMD] = "simd",
    [WFEAT_THREADS] = "threads",
    [WFEAT_TAIL_CALL] = "tail_calls",
    [WFEAT_EXCEPTIONS] = "exceptions",
};

/* Whether the proposal `feature` (the opcode table's column) is on. */
static bool feature_on(wfeature feature, const wfeatures *f)
{
    switch (feature) {
    case WFEAT_SIMD:
        return f->simd;
    case WFEAT_THREADS:
        return f->threads;
    case WFEAT_TAIL_CALL:
        return f->tail_call;
    case WFEAT_EXCEPTIONS:
        return f->exceptions;
    default:
        return true;
    }
}

/* "illegal opcode" (the spec's wording), naming the off `feature` if any. */
static bool illegal_opcode(uint8_t first, bool prefixed, uint32_t code, const char *feature, werror *err)
{
    const char *why = feature ? " (" : "", *name = feature ? feature : "", *off = feature ? " is off)" : "";
    if (prefixed)
        return werror_set(err, "illegal opcode 0x%02x 0x%x%s%s%s", first, code, why, name, off);
    return werror_set(err, "illegal opcode 0x%02x%s%s%s", first, why, name, off);
}

/* One opcode, prefixed or not.  An unknown one is an "illegal opcode" (the
   spec's wording); a known one of a disabled proposal also names the
   ward_config switch an embedder may simply have left off. */
static bool read_opcode(wreader *r, const wfeatures *f, wop *out, werror *err)
{
    uint8_t first;
    uint32_t code = 0;
    if (!wread_byte(r, &first, err))
        return false;
    bool prefixed = is_prefix(first);
    if (prefixed && !wread_u32(r, &code, err))
        return false;
    *out = prefixed ? wop_lookup(first, code) : wop_lookup_byte(first);
    if (*out == WOP_COUNT)
        return illegal_opcode(first, prefixed, code, NULL, err);
    wfeature needs = (wfeature)wop_info[*out].feature;
    if (needs == WFEAT_CORE || feature_on(needs, f))
        return true;
    return illegal_opcode(first, prefixed, code, feature_names[needs], err);
}

/* blocktype: 0x40 (empty), one value type byte, or a non-negative s33 type index. */
static bool read_blocktype(wreader *r, const wfeatures *f, wblocktype *bt, werror *err)
{
    if (r->p >= r->end)
        return werror_set(err, "unexpected end");
    uint8_t first = *r->p;
    if (first == 0x40) {
        r->p++;
        bt->kind = WBLOCK_EMPTY;
        return true;
    }
    if (wvaltype_known(first, f)) {
        r->p++;
        bt->kind = WBLOCK_VALTYPE;
        bt->valtype = first;
        return true;
    }
    int64_t index;
    if (!wread_s33(r, &index, err))
        return false;
    if (index < 0)
        return werror_set(err, "malformed block type");
    bt->kind = WBLOCK_TYPEIDX;
    bt->type_index = (uint32_t)index;
    return true;
}

static bool read_br_table(wreader *r, winstr_scratch *s, winstr *in, werror *err)
{
    uint32_t count;
    if (!wread_u32(r, &count, err))
        return false;
    /* Each target takes at least one byte: a count beyond the bytes left
     * cannot be honest, so refuse it before allocating. */
    if (count > wreader_left(r))
        return werror_set(err, "unexpected end");
    if (!wgrow((void **)&s->targets, &s->cap, count ? count : 1, sizeof *s->targets))
        return werror_set(err, "out of memory");
    for (uint32_t i = 0; i < count; i++)
        if (!wread_u32(r, &s->targets[i], err))
            return false;
    in->a = count;
    in->targets = s->targets;
    return wread_u32(r, &in->b, err);
}

static bool read_select_types(wreader *r, const wfeatures *f, winstr *in, werror *err)
{
    uint32_t count;
    if (!wread_u32(r, &count, err))
        return false;
    if (count > wreader_left(r))
        return werror_set(err, "unexpected end");
    for (uint32_t i = 0; i < count; i++) {
        uint8_t t;
        if (!wread_byte(r, &t, err))
            return false;
        if (!wvaltype_known(t, f))
            return werror_set(err, "malformed value type");
        if (i == 0)
            in->reftype = t;
    }
    in->a = count;
    return true;
}

/* A memory index: one zero byte in Wasm 2.0, a u32 with multi-memory. */
static bool read_memory_index(wreader *r, const wfeatures *f, uint32_t *out, werror *err)
{
    if (f->multi_memory)
        return wread_u32(r, out, err);
    uint8_t byte;
    if (!wread_byte(r, &byte, err))
        return false;
    if (byte != 0)
        return werror_set(err, "zero byte expected");
    *out = 0;
    return true;
}

static bool read_memarg(wreader *r, const wfeatures *f, winstr *in, werror *err)
{
    uint32_t align;
    if (!wread_u32(r, &align, err))
        return false;
    /* Multi-memory marks an explicit memory index with bit 6 of align. */
    if (f->multi_memory && (align & 0x40)) {
        align &= ~(uint32_t)0x40;
        if (!wread_u32(r, &in->memarg.memory, err))
            return false;
    }
    in->memarg.align = align;
    if (f->memory64)
        return wread_u64(r, &in->memarg.offset, err);
    uint32_t offset;
    if (!wread_u32(r, &offset, err))
        return false;
    in->memarg.offset = offset;
    return true;
}

static bool read_reftype(wreader *r, winstr *in, werror *err)
{
    if (!wread_byte(r, &in->reftype, err))
        return false;
    if (!wreftype_known(in->reftype))
        return werror_set(err, "malformed reference type");
    return true;
}

static bool read_raw16(wreader *r, uint8_t out[16], werror *err)
{
    const uint8_t *p;
    if (!wread_bytes(r, 16, &p, err))
        return false;
    memcpy(out, p, 16);
    return true;
}

static bool read_number(wreader *r, wimm kind, winstr *in, werror *err)
{
    switch (kind) {
    case WIMM_I32: {
        int32_t v;
        if (!wread_s32(r, &v, err))
            return false;
        in->imm = (uint32_t)v;
        return true;
    }
    case WIMM_I64: {
        int64_t v;
        if (!wread_s64(r, &v, err))
            return false;
        in->imm = (uint64_t)v;
        return true;
    }
    case WIMM_F32: {
        uint32_t bits;
        if (!wread_f32(r, &bits, err))
            return false;
        in->imm = bits;
        return true;
    }
    default:
        return wread_f64(r, &in->imm, err);
    }
}

static bool read_two_indices(wreader *r, winstr *in, werror *err)
{
    return wread_u32(r, &in->a, err) && wread_u32(r, &in->b, err);
}

static bool read_immediates(wreader *r, winstr_scratch *s, const wfeatures *f, winstr *in, werror *err)
{
    wimm kind = (wimm)wop_info[in->op].imm;
    switch (kind) {
    case WIMM_NONE:
        return true;
    case WIMM_BLOCKTYPE:
        return read_blocktype(r, f, &in->block, err);
    case WIMM_LABEL:
    case WIMM_FUNC:
    case WIMM_LOCAL:
    case WIMM_GLOBAL:
    case WIMM_TABLE:
    case WIMM_DATA:
    case WIMM_ELEM:
    case WIMM_TAG:
        return wread_u32(r, &in->a, err);
    case WIMM_BR_TABLE:
        return read_br_table(r, s, in, err);
    case WIMM_CALL_INDIRECT:
    case WIMM_TABLE_INIT:
    case WIMM_TABLE_COPY:
        return read_two_indices(r, in, err);
    case WIMM_SELECT_T:
        return read_select_types(r, f, in, err);
    case WIMM_MEMARG:
        return read_memarg(r, f, in, err);
    case WIMM_MEMORY:
        return read_memory_index(r, f, &in->a, err);
    case WIMM_I32:
    case WIMM_I64:
    case WIMM_F32:
    case WIMM_F64:
        return read_number(r, kind, in, err);
    case WIMM_REFTYPE:
        return read_reftype(r, in, err);
    case WIMM_MEMORY_INIT:
        return wread_u32(r, &in->a, err) && read_memory_index(r, f, &in->b, err);
    case WIMM_MEMORY_COPY:
        return read_memory_index(r, f, &in->a, err) && read_memory_index(r, f, &in->b, err);
    case WIMM_V128:
    case WIMM_SHUFFLE:
        return read_raw16(r, in->bytes16, err);
    case WIMM_LANE:
        return wread_byte(r, &in->lane, err);
    case WIMM_MEMARG_LANE:
        return read_memarg(r, f, in, err) && wread_byte(r, &in->lane, err);
    case WIMM_ATOMIC_FENCE: {
        uint8_t byte;
        if (!wread_byte(r, &byte, err))
            return false;
        return byte == 0 ? true : werror_set(err, "zero byte expected");
    }
    }
    return werror_set(err, "internal error: unknown immediate kind %d", (int)kind);
}

bool wread_instr(wreader *r, winstr_scratch *scratch, const wfeatures *features, winstr *out, werror *err)
{
    const wfeatures *f = features ? features : &no_features;
    memset(out, 0, sizeof *out);
    out->offset = wreader_offset(r);
    if (!read_opcode(r, f, &out->op, err))
        return false;
    return read_immediates(r, scratch, f, out, err);
}

void winstr_scratch_free(winstr_scratch *s)
{
    free(s->targets);
    s->targets = NULL;
    s->cap = 0;
}
