/*
 * Element, data count and data sections.  Segment headers are bit flags:
 * for elements bit 0 = passive or declarative, bit 1 = explicit table index
 * (active) or declarative (otherwise), bit 2 = items are expressions; for
 * data 0 = active memory 0, 1 = passive, 2 = active with a memory index.
 */
#include "decode_internal.h"

enum {
    ELEM_NOT_ACTIVE = 0x01,
    ELEM_TABLE_OR_DECLARATIVE = 0x02,
    ELEM_EXPRS = 0x04,
    ELEM_FLAGS_MAX = 0x07,
};
enum { DATA_ACTIVE = 0, DATA_PASSIVE = 1, DATA_ACTIVE_MEMIDX = 2 };
enum { ELEMKIND_FUNCREF = 0x00 };

static bool decode_elem_mode(wdecoder *d, uint32_t flags, welem *seg)
{
    if (flags & ELEM_NOT_ACTIVE) {
        seg->mode = (flags & ELEM_TABLE_OR_DECLARATIVE) ? WSEG_DECLARATIVE : WSEG_PASSIVE;
        return true;
    }
    seg->mode = WSEG_ACTIVE;
    seg->table_index = 0;
    if ((flags & ELEM_TABLE_OR_DECLARATIVE) && !wdec_u32(d, &seg->table_index))
        return false;
    return wdec_expr(d, &seg->offset);
}

/* The element type: implicit funcref for flags 0 and 4, an elemkind byte
 * (function indices) or a reference type (expressions) otherwise. */
static bool decode_elem_type(wdecoder *d, uint32_t flags, welem *seg)
{
    bool implicit = (flags & (ELEM_NOT_ACTIVE | ELEM_TABLE_OR_DECLARATIVE)) == 0;
    if (implicit) {
        seg->elemtype = WT_FUNCREF;
        return true;
    }
    if (seg->uses_exprs)
        return wdec_reftype(d, &seg->elemtype);
    uint32_t at = wreader_offset(&d->r);
    uint8_t kind;
    if (!wdec_byte(d, &kind))
        return false;
    if (kind != ELEMKIND_FUNCREF)
        return wdec_fail_at(d, at, "malformed element kind 0x%02x", kind);
    seg->elemtype = WT_FUNCREF;
    return true;
}

static bool decode_elem_items(wdecoder *d, welem *seg)
{
    uint32_t count;
    if (!wdec_count(d, &count, 1))
        return false;
    if (seg->uses_exprs) {
        seg->exprs = wdec_alloc(d, count, sizeof *seg->exprs);
        if (!seg->exprs)
            return false;
    } else {
        seg->func_indices = wdec_alloc(d, count, sizeof *seg->func_indices);
        if (!seg->func_indices)
            return false;
    }
    seg->count = count;
    for (uint32_t i = 0; i < count; i++) {
        bool ok = seg->uses_exprs ? wdec_expr(d, &seg->exprs[i]) : wdec_u32(d, &seg->func_indices[i]);
        if (!ok)
            return false;
    }
    return true;
}

static bool decode_elem(wdecoder *d, welem *seg)
{
    seg->byte_offset = wreader_offset(&d->r);
    uint32_t flags;
    if (!wdec_u32(d, &flags))
        return false;
    if (flags > ELEM_FLAGS_MAX)
        return wdec_fail_at(d, seg->byte_offset, "malformed elements segment kind %u", (unsigned)flags);
    seg->uses_exprs = flags & ELEM_EXPRS;
    return decode_elem_mode(d, flags, seg) && decode_elem_type(d, flags, seg) && decode_elem_items(d, seg);
}

bool wdec_element_section(wdecoder *d)
{
    wmodule *m = d->m;
    uint32_t count;
    if (!wdec_count(d, &count, 1))
        return false;
    m->elems = wdec_alloc(d, count, sizeof *m->elems);
    if (!m->elems)
        return false;
    m->nelems = count;
    for (uint32_t i = 0; i < count; i++) {
        d->entry = i;
        if (!decode_elem(d, &m->elems[i]))
            return false;
    }
    d->entry = -1;
    return true;
}

bool wdec_datacount_section(wdecoder *d)
{
    d->m->has_datacount = true;
    return wdec_u32(d, &d->m->datacount);
}

static bool decode_data(wdecoder *d, wdata *seg)
{
    uint32_t at = wreader_offset(&d->r);
    uint32_t flags;
    if (!wdec_u32(d, &flags))
        return false;
    switch (flags) {
    case DATA_ACTIVE:
        seg->mode = WSEG_ACTIVE;
        if (!wdec_expr(d, &seg->offset))
            return false;
        break;
    case DATA_PASSIVE:
        seg->mode = WSEG_PASSIVE;
        break;
    case DATA_ACTIVE_MEMIDX:
        seg->mode = WSEG_ACTIVE;
        if (!wdec_u32(d, &seg->memory_index) || !wdec_expr(d, &seg->offset))
            return false;
        break;
    default:
        return wdec_fail_at(d, at, "malformed data segment kind %u", (unsigned)flags);
    }
    return wdec_byte_vec(d, &seg->data_offset, &seg->data_len);
}

bool wdec_data_section(wdecoder *d)
{
    wmodule *m = d->m;
    uint32_t count;
    if (!wdec_count(d, &count, 1))
        return false;
    if (m->has_datacount && count != m->datacount)
        return wdec_fail(d, "data count and data section have inconsistent lengths (%u declared, %u given)",
                         (unsigned)m->datacount, (unsigned)count);
    m->datas = wdec_alloc(d, count, sizeof *m->datas);
    if (!m->datas)
        return false;
    m->ndatas = count;
    for (uint32_t i = 0; i < count; i++) {
        d->entry = i;
        if (!decode_data(d, &m->datas[i]))
            return false;
    }
    d->entry = -1;
    return true;
}
