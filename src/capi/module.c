/*
 * Modules: compiled (decoded and validated) once per engine, shared by
 * stores and threads.  A module is a counted object (capi.h) whose ward
 * module reads the module's own copy of the binary, which is also what
 * wasm_module_serialize writes, behind a version header (docs/c-api.md):
 *
 *   bytes 0-7   "wardmod\0"
 *   bytes 8-11  format version, little-endian (1)
 *   bytes 12-19 length of the binary that follows, little-endian
 *   bytes 20-   the module's WebAssembly binary
 *
 * ward keeps no compiled code worth saving (functions are translated on
 * first call, fast), so deserializing validates the binary again: a
 * damaged or hostile serialization is refused, never trusted.
 */
#include <stdlib.h>
#include <string.h>

#include "capi.h"

static const char serial_magic[8] = "wardmod";
#define SERIAL_VERSION 1u
#define SERIAL_HEADER 20u

static wasm_module_t *module_new(wasm_engine_t *engine, const uint8_t *bytes, size_t size)
{
    wasm_module_t *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->bytes = malloc(size ? size : 1);
    if (!m->bytes) {
        free(m);
        return NULL;
    }
    memcpy(m->bytes, bytes, size);
    m->size = size;
    ward_error err;
    m->ward = ward_module_new_borrowed(engine->ward, m->bytes, size, &err);
    if (!m->ward) {
        free(m->bytes);
        free(m);
        return NULL;
    }
    m->counted.base = (capi_object){CAPI_MODULE, NULL, NULL, NULL, NULL};
    atomic_init(&m->counted.refs, 1);
    m->engine = engine;
    return m;
}

void capi_module_free(wasm_module_t *m)
{
    ward_module_free(m->ward);
    free(m->bytes);
    free(m);
}

wasm_module_t *wasm_module_new(wasm_store_t *s, const wasm_byte_vec_t *binary)
{
    if (!s || !binary || (!binary->data && binary->size))
        return NULL;
    return module_new(s->engine, (const uint8_t *)binary->data, binary->size);
}

bool wasm_module_validate(wasm_store_t *s, const wasm_byte_vec_t *binary)
{
    if (!s || !binary || (!binary->data && binary->size))
        return false;
    ward_error err;
    ward_module *m = ward_module_new(s->engine->ward, (const uint8_t *)binary->data, binary->size, &err);
    ward_module_free(m);
    return m != NULL;
}

static void name_from(wasm_name_t *out, const char *s, size_t len)
{
    wasm_name_new(out, len, s);
}

/* Tags (exceptions) have no wasm.h type and are left out of both lists;
 * an engine of wasm_engine_new never accepts them. */
void wasm_module_imports(const wasm_module_t *m, wasm_importtype_vec_t *out)
{
    uint32_t n = ward_module_import_count(m->ward), kept = 0;
    wasm_importtype_vec_new_uninitialized(out, n);
    for (uint32_t i = 0; i < out->size; i++) {
        ward_import_info info;
        ward_externtype xt;
        ward_module_import(m->ward, i, &info);
        ward_module_import_type(m->ward, i, &xt);
        wasm_externtype_t *type = capi_externtype_from_ward(&xt);
        if (!type)
            continue;
        wasm_name_t module, name;
        name_from(&module, info.module, info.module_len);
        name_from(&name, info.name, info.name_len);
        out->data[kept++] = wasm_importtype_new(&module, &name, type);
    }
    out->size = kept;
}

void wasm_module_exports(const wasm_module_t *m, wasm_exporttype_vec_t *out)
{
    uint32_t n = ward_module_export_count(m->ward), kept = 0;
    wasm_exporttype_vec_new_uninitialized(out, n);
    for (uint32_t i = 0; i < out->size; i++) {
        ward_export_info info;
        ward_externtype xt;
        ward_module_export(m->ward, i, &info);
        ward_module_export_type(m->ward, i, &xt);
        wasm_externtype_t *type = capi_externtype_from_ward(&xt);
        if (!type)
            continue;
        wasm_name_t name;
        name_from(&name, info.name, info.name_len);
        out->data[kept++] = wasm_exporttype_new(&name, type);
    }
    out->size = kept;
}

static void put_le(uint8_t *p, uint64_t v, int nbytes)
{
    for (int i = 0; i < nbytes; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, int nbytes)
{
    uint64_t v = 0;
    for (int i = nbytes; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

void wasm_module_serialize(const wasm_module_t *m, wasm_byte_vec_t *out)
{
    wasm_byte_vec_new_uninitialized(out, SERIAL_HEADER + m->size);
    if (!out->size)
        return;
    uint8_t *p = (uint8_t *)out->data;
    memcpy(p, serial_magic, sizeof serial_magic);
    put_le(p + 8, SERIAL_VERSION, 4);
    put_le(p + 12, m->size, 8);
    memcpy(p + SERIAL_HEADER, m->bytes, m->size);
}

wasm_module_t *wasm_module_deserialize(wasm_store_t *s, const wasm_byte_vec_t *data)
{
    if (!s || !data || !data->data || data->size < SERIAL_HEADER)
        return NULL;
    const uint8_t *p = (const uint8_t *)data->data;
    if (memcmp(p, serial_magic, sizeof serial_magic) != 0 || get_le(p + 8, 4) != SERIAL_VERSION ||
        get_le(p + 12, 8) != data->size - SERIAL_HEADER)
        return NULL;
    return module_new(s->engine, p + SERIAL_HEADER, data->size - SERIAL_HEADER);
}

/* ---- sharing between threads ------------------------------------------- */

/* A shared module is another reference to the same module. */
wasm_shared_module_t *wasm_module_share(const wasm_module_t *m)
{
    if (!m)
        return NULL;
    capi_retain((capi_object *)m);
    return (wasm_shared_module_t *)m;
}

void wasm_shared_module_delete(wasm_shared_module_t *shared)
{
    if (shared)
        capi_release((capi_object *)shared);
}

/* NULL for a store of another engine (ward translated it for its own). */
wasm_module_t *wasm_module_obtain(wasm_store_t *s, const wasm_shared_module_t *shared)
{
    wasm_module_t *m = (wasm_module_t *)shared;
    if (!s || !m || m->engine != s->engine)
        return NULL;
    capi_retain((capi_object *)m);
    return m;
}
