/*
 * Internal interface of the module decoder, shared by the decode*.c files.
 * Every reading helper fails with a message that says where: the section,
 * the function or entry being decoded, and the absolute byte offset.
 */
#ifndef WARD_DECODE_INTERNAL_H
#define WARD_DECODE_INTERNAL_H

#include "instr.h"
#include "module.h"
#include "reader.h"

/* Implementation limit: declared locals per function (the spec allows any
 * number the implementation accepts; real compilers stay far below this). */
#define WDEC_MAX_LOCALS 50000u

typedef struct wdecoder {
    wreader r;                 /* inside a section, r.end is the section's end */
    const uint8_t *module_end; /* one past the module's last byte */
    wmodule *m;
    const wfeatures *features;
    werror *err;
    winstr_scratch scratch;    /* for reading constant expressions */
    const char *section;       /* section being decoded, for messages; NULL in the header */
    uint32_t section_id;       /* its id, or WARD_NONE */
    int64_t func;              /* function index being decoded, or -1 */
    int64_t entry;             /* vector entry being decoded, or -1 */
    size_t customs_cap;        /* allocated entries of m->customs */
} wdecoder;

/* Fail with a message located at `offset` (or at the current position). */
bool wdec_fail_at(wdecoder *d, uint32_t offset, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
bool wdec_fail(wdecoder *d, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Primitive reads: false (with a located error) on failure. */
bool wdec_byte(wdecoder *d, uint8_t *out);
bool wdec_u32(wdecoder *d, uint32_t *out);
bool wdec_u64(wdecoder *d, uint64_t *out);
/* A vector length whose items take at least min_item_size bytes each: a
 * length the remaining bytes cannot hold fails before anything is allocated. */
bool wdec_count(wdecoder *d, uint32_t *out, size_t min_item_size);
/* A byte-vector length followed by that many bytes (a view into m->bytes). */
bool wdec_byte_vec(wdecoder *d, uint32_t *offset, uint32_t *len);
bool wdec_name(wdecoder *d, wname *out);
bool wdec_valtype(wdecoder *d, uint8_t *out);
bool wdec_reftype(wdecoder *d, uint8_t *out);
/* A constant expression: instructions up to and including the first `end`. */
bool wdec_expr(wdecoder *d, wexpr *out);

/* Zeroed array allocation; fails with "out of memory". */
void *wdec_alloc(wdecoder *d, size_t count, size_t size);
/* Grow *ptr from old_count to new_count elements, zeroing the new ones. */
bool wdec_extend(wdecoder *d, void **ptr, size_t old_count, size_t new_count, size_t size);

/* Section bodies; each reads exactly its section's bytes. */
bool wdec_type_section(wdecoder *d);
bool wdec_import_section(wdecoder *d);
bool wdec_function_section(wdecoder *d);
bool wdec_table_section(wdecoder *d);
bool wdec_memory_section(wdecoder *d);
bool wdec_global_section(wdecoder *d);
bool wdec_export_section(wdecoder *d);
bool wdec_start_section(wdecoder *d);
bool wdec_element_section(wdecoder *d);
bool wdec_datacount_section(wdecoder *d);
bool wdec_code_section(wdecoder *d);
bool wdec_data_section(wdecoder *d);
bool wdec_custom_section(wdecoder *d);
bool wdec_tag_section(wdecoder *d);   /* decode_tags.c */
/* A tag type (attribute 0, type index) of an import or a definition. */
bool wdec_tagtype(wdecoder *d, uint32_t *type_index);

/* Types shared by imports and definitions. */
bool wdec_tabletype(wdecoder *d, wtabletype *out);
bool wdec_memtype(wdecoder *d, wmemtype *out);
bool wdec_globaltype(wdecoder *d, wglobaltype *out);

/* After all sections: read function names from the `name` custom section,
 * if any.  Never fails: a broken name section is ignored. */
void wdec_names(wdecoder *d);

#endif
