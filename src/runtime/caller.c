/*
 * The calling context of host functions (ward_caller) and the checked
 * helpers host code uses to reach guest memory: every access is bounds
 * checked against the memory's current size and a failure is the same
 * "out of bounds memory access" trap a guest load would raise.
 */
#include <string.h>

#include "internal.h"

ward_store *ward_caller_store(const ward_caller *caller)
{
    return caller ? caller->store : NULL;
}

ward_instance *ward_caller_instance(const ward_caller *caller)
{
    return caller ? caller->instance : NULL;
}

ward_memory *ward_caller_memory_at(const ward_caller *caller, uint32_t index)
{
    if (!caller || !caller->instance || index >= caller->instance->m->nmemories)
        return NULL;
    return caller->instance->memories[index];
}

ward_memory *ward_caller_memory_export(const ward_caller *caller, const char *name)
{
    if (!caller || !caller->instance || !name)
        return NULL;
    return ward_instance_memory(caller->instance, name);
}

ward_memory *ward_caller_memory(const ward_caller *caller)
{
    if (!caller || !caller->instance)
        return NULL;
    ward_instance *inst = caller->instance;
    if (!inst->default_memory_known) {
        ward_memory *m = ward_instance_memory(inst, "memory");
        inst->default_memory = m ? m : ward_caller_memory_at(caller, 0);
        inst->default_memory_known = true;
    }
    return inst->default_memory;
}

/* ---- checked access ------------------------------------------------------ */

/* Little-endian whatever the host's byte order (linear memory is LE). */
static uint64_t load_le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = n; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

static void store_le(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++, v >>= 8)
        p[i] = (uint8_t)v;
}

static void *out_of_bounds(ward_trap *trap)
{
    if (trap)
        wtrap_set(trap, WARD_TRAP_OOB_MEMORY);
    return NULL;
}

uint8_t *ward_memory_span_checked(ward_memory *m, uint64_t ptr, uint64_t len, ward_trap *trap)
{
    uint8_t *p = ward_memory_span(m, ptr, len);
    if (!p)
        return out_of_bounds(trap);
    return p;
}

bool ward_memory_read_u32(ward_memory *m, uint64_t ptr, uint32_t *out, ward_trap *trap)
{
    const uint8_t *p = ward_memory_span_checked(m, ptr, 4, trap);
    if (p)
        *out = (uint32_t)load_le(p, 4);
    return p != NULL;
}

bool ward_memory_read_u64(ward_memory *m, uint64_t ptr, uint64_t *out, ward_trap *trap)
{
    const uint8_t *p = ward_memory_span_checked(m, ptr, 8, trap);
    if (p)
        *out = load_le(p, 8);
    return p != NULL;
}

bool ward_memory_write_u32(ward_memory *m, uint64_t ptr, uint32_t v, ward_trap *trap)
{
    uint8_t *p = ward_memory_span_checked(m, ptr, 4, trap);
    if (p)
        store_le(p, v, 4);
    return p != NULL;
}

bool ward_memory_write_u64(ward_memory *m, uint64_t ptr, uint64_t v, ward_trap *trap)
{
    uint8_t *p = ward_memory_span_checked(m, ptr, 8, trap);
    if (p)
        store_le(p, v, 8);
    return p != NULL;
}

uint8_t *ward_caller_span(const ward_caller *caller, uint64_t ptr, uint64_t len, ward_trap *trap)
{
    return ward_memory_span_checked(ward_caller_memory(caller), ptr, len, trap);
}

bool ward_caller_read_u32(const ward_caller *caller, uint64_t ptr, uint32_t *out, ward_trap *trap)
{
    return ward_memory_read_u32(ward_caller_memory(caller), ptr, out, trap);
}

bool ward_caller_read_u64(const ward_caller *caller, uint64_t ptr, uint64_t *out, ward_trap *trap)
{
    return ward_memory_read_u64(ward_caller_memory(caller), ptr, out, trap);
}

bool ward_caller_write_u32(const ward_caller *caller, uint64_t ptr, uint32_t v, ward_trap *trap)
{
    return ward_memory_write_u32(ward_caller_memory(caller), ptr, v, trap);
}

bool ward_caller_write_u64(const ward_caller *caller, uint64_t ptr, uint64_t v, ward_trap *trap)
{
    return ward_memory_write_u64(ward_caller_memory(caller), ptr, v, trap);
}
