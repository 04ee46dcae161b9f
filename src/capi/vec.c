/*
 * The vectors of wasm.h (wasm_xxx_vec_t) and value copies.  A vector owns
 * its elements: copy copies each one (a pointer element with wasm_xxx_copy,
 * a value with wasm_val_copy), delete deletes each one.  Allocation
 * failure leaves an empty vector (size 0, data NULL), never a crash.
 */
#include <stdlib.h>
#include <string.h>

#include "capi.h"

/* new_uninitialized: pointer elements start NULL, so deleting a vector the
 * caller did not fill is safe. */
static void *alloc_elems(size_t n, size_t size, size_t *out_n)
{
    void *data = n ? calloc(n, size) : NULL;
    *out_n = data ? n : 0;
    return data;
}

/* The four constructors and the destructor of vector `name` of elements
 * `elem`: copy_elem(dst, src) copies one (false when out of memory),
 * delete_elem(e) releases one. */
#define CAPI_VEC(name, elem, copy_elem, delete_elem)                                          \
    void wasm_##name##_vec_new_empty(wasm_##name##_vec_t *out)                                \
    {                                                                                         \
        out->size = 0;                                                                        \
        out->data = NULL;                                                                     \
    }                                                                                         \
    void wasm_##name##_vec_new_uninitialized(wasm_##name##_vec_t *out, size_t n)              \
    {                                                                                         \
        out->data = alloc_elems(n, sizeof(elem), &out->size);                                 \
    }                                                                                         \
    void wasm_##name##_vec_new(wasm_##name##_vec_t *out, size_t n, elem const src[])          \
    {                                                                                         \
        wasm_##name##_vec_new_uninitialized(out, n);                                          \
        if (out->size)                                                                        \
            memcpy(out->data, src, n * sizeof(elem));                                         \
    }                                                                                         \
    void wasm_##name##_vec_copy(wasm_##name##_vec_t *out, const wasm_##name##_vec_t *src)     \
    {                                                                                         \
        wasm_##name##_vec_new_uninitialized(out, src->size);                                  \
        for (size_t i = 0; i < out->size; i++) {                                              \
            if (!copy_elem(&out->data[i], &src->data[i])) {                                   \
                out->size = i;                                                                \
                wasm_##name##_vec_delete(out);                                                \
                return;                                                                       \
            }                                                                                 \
        }                                                                                     \
    }                                                                                         \
    void wasm_##name##_vec_delete(wasm_##name##_vec_t *v)                                     \
    {                                                                                         \
        if (!v)                                                                               \
            return;                                                                           \
        for (size_t i = 0; i < v->size && v->data; i++)                                       \
            delete_elem(&v->data[i]);                                                         \
        free(v->data);                                                                        \
        v->size = 0;                                                                          \
        v->data = NULL;                                                                       \
    }

static bool copy_byte(wasm_byte_t *dst, const wasm_byte_t *src)
{
    *dst = *src;
    return true;
}

static void delete_byte(wasm_byte_t *b)
{
    (void)b;
}

static bool copy_val(wasm_val_t *dst, const wasm_val_t *src)
{
    wasm_val_copy(dst, src);
    return true;
}

CAPI_VEC(byte, wasm_byte_t, copy_byte, delete_byte)
CAPI_VEC(val, wasm_val_t, copy_val, wasm_val_delete)

/* Vectors of owned pointers: a NULL element copies as NULL. */
#define CAPI_PTR_VEC(name)                                                     \
    static bool copy_##name##_ptr(wasm_##name##_t **dst, wasm_##name##_t *const *src) \
    {                                                                          \
        *dst = *src ? wasm_##name##_copy(*src) : NULL;                         \
        return *dst || !*src;                                                  \
    }                                                                          \
    static void delete_##name##_ptr(wasm_##name##_t **e)                       \
    {                                                                          \
        if (*e)                                                                \
            wasm_##name##_delete(*e);                                          \
    }                                                                          \
    CAPI_VEC(name, wasm_##name##_t *, copy_##name##_ptr, delete_##name##_ptr)

CAPI_PTR_VEC(valtype)
CAPI_PTR_VEC(functype)
CAPI_PTR_VEC(globaltype)
CAPI_PTR_VEC(tabletype)
CAPI_PTR_VEC(memorytype)
CAPI_PTR_VEC(externtype)
CAPI_PTR_VEC(importtype)
CAPI_PTR_VEC(exporttype)
CAPI_PTR_VEC(frame)
CAPI_PTR_VEC(extern)

/* ---- values: a reference value owns its reference --------------------- */

void wasm_val_delete(wasm_val_t *v)
{
    if (v && wasm_valkind_is_ref(v->kind) && v->of.ref) {
        wasm_ref_delete(v->of.ref);
        v->of.ref = NULL;
    }
}

void wasm_val_copy(wasm_val_t *out, const wasm_val_t *v)
{
    *out = *v;
    if (wasm_valkind_is_ref(v->kind) && v->of.ref)
        out->of.ref = wasm_ref_copy(v->of.ref);
}
