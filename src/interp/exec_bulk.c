/*
 * Bulk memory and table operations.  Every range is checked with 64-bit
 * arithmetic before anything is written: Wasm 2.0 traps without partial
 * writes.
 */
#include <string.h>

#include "exec.h"

/* [start, start + n) within size, without wrapping (memory64 operands
 * take any 64-bit value). */
static bool range_ok(uint64_t start, uint64_t n, uint64_t size)
{
    return n <= size && start <= size - n;
}

ward_trap_kind wbulk_memory_copy(ward_memory *dst, ward_memory *src, uint64_t d, uint64_t s, uint64_t n)
{
    if (!range_ok(d, n, wmemory_size(dst)) || !range_ok(s, n, wmemory_size(src)))
        return WARD_TRAP_OOB_MEMORY;
    if (n)
        memmove(dst->data + d, src->data + s, (size_t)n);
    return WARD_TRAP_NONE;
}

/*
 * The iterations a byte-compare loop (compile_idiom.c) over l and r with
 * counter n runs without leaving it: both bytes in bounds, equal, and n
 * not reaching 0 (n = 0 at entry counts 2^32 times, as the loop's
 * decrement-then-test does).  The last iteration is never counted, so the
 * loop itself still runs the one that leaves: the mismatch, the end, or
 * the load that traps.  Host little-endian: the first differing byte is
 * the lowest set byte of the XOR.
 */
uint64_t wbulk_equal_prefix(const uint8_t *mem, uint64_t size, uint32_t l, uint32_t r, uint32_t n)
{
    if (l >= size || r >= size)
        return 0;
    uint64_t limit = (n ? n : UINT64_C(1) << 32) - 1;
    uint64_t room = size - (l > r ? l : r);
    if (limit > room)
        limit = room;
    const uint8_t *a = mem + l, *b = mem + r;
    uint64_t i = 0;
    for (; i + 8 <= limit; i += 8) {
        uint64_t x, y;
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        if (x != y)
            return i + (uint64_t)__builtin_ctzll(x ^ y) / 8;
    }
    while (i < limit && a[i] == b[i])
        i++;
    return i;
}

ward_trap_kind wbulk_memory_fill(ward_memory *mem, uint64_t d, uint8_t val, uint64_t n)
{
    if (!range_ok(d, n, wmemory_size(mem)))
        return WARD_TRAP_OOB_MEMORY;
    if (n)
        memset(mem->data + d, val, (size_t)n);
    return WARD_TRAP_NONE;
}

ward_trap_kind wbulk_memory_init(ward_instance *inst, uint32_t memidx, uint32_t data, uint64_t d, uint32_t s,
                                 uint32_t n)
{
    const wdata *seg = &inst->m->datas[data];
    ward_memory *mem = inst->memories[memidx];
    uint64_t len = inst->data_dropped[data] ? 0 : seg->data_len;
    if (!range_ok(s, n, len) || !range_ok(d, n, wmemory_size(mem)))
        return WARD_TRAP_OOB_MEMORY;
    if (n)
        memcpy(mem->data + d, inst->m->bytes + seg->data_offset + s, n);
    return WARD_TRAP_NONE;
}

ward_trap_kind wbulk_table_copy(ward_instance *inst, uint32_t dt, uint32_t st, uint32_t d, uint32_t s,
                                uint32_t n)
{
    ward_table *dst = inst->tables[dt], *src = inst->tables[st];
    if (!range_ok(d, n, dst->size) || !range_ok(s, n, src->size))
        return WARD_TRAP_OOB_TABLE;
    if (n)
        memmove(dst->elems + d, src->elems + s, (size_t)n * sizeof *dst->elems);
    return WARD_TRAP_NONE;
}

ward_trap_kind wbulk_table_init(ward_instance *inst, uint32_t table, uint32_t elem, uint32_t d, uint32_t s,
                                uint32_t n)
{
    ward_table *t = inst->tables[table];
    const welem_inst *seg = &inst->elems[elem];
    if (!range_ok(s, n, seg->count) || !range_ok(d, n, t->size))
        return WARD_TRAP_OOB_TABLE;
    if (n)
        memcpy(t->elems + d, seg->refs + s, (size_t)n * sizeof *t->elems);
    return WARD_TRAP_NONE;
}

ward_trap_kind wbulk_table_fill(ward_table *t, uint32_t i, wref val, uint32_t n)
{
    if (!range_ok(i, n, t->size))
        return WARD_TRAP_OOB_TABLE;
    for (uint32_t k = 0; k < n; k++)
        t->elems[i + k] = val;
    return WARD_TRAP_NONE;
}

void wbulk_elem_drop(ward_instance *inst, uint32_t elem)
{
    welem_inst *seg = &inst->elems[elem];
    seg->count = 0;
}
