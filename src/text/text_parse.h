/*
 * The module parser's own state, shared by its files: the byte buffers the
 * sections are written into, the index spaces and their $ids, the type
 * list that type uses search and extend, and the per-function locals and
 * labels.  Only src/text includes this.
 */
#ifndef WARD_TEXT_PARSE_H
#define WARD_TEXT_PARSE_H

#include "../common/opcodes.h"
#include "text_internal.h"

/* A growable byte buffer; a failed allocation sets oom and later writes
 * are dropped, so callers check once at the end. */
typedef struct wtbuf {
    uint8_t *data;
    size_t len, cap;
    bool oom;
} wtbuf;

void wtbuf_free(wtbuf *b);
void wtbuf_byte(wtbuf *b, uint8_t v);
void wtbuf_bytes(wtbuf *b, const void *p, size_t n);
void wtbuf_u32(wtbuf *b, uint32_t v);
void wtbuf_u64(wtbuf *b, uint64_t v);
void wtbuf_s64(wtbuf *b, int64_t v);
void wtbuf_name(wtbuf *b, const uint8_t *p, size_t n);   /* u32 length, bytes */
void wtbuf_append(wtbuf *b, const wtbuf *src);

/* The index spaces that $ids name, module-wide. */
enum {
    SP_TYPE, SP_FUNC, SP_TABLE, SP_MEMORY, SP_GLOBAL, SP_ELEM, SP_DATA, SP_TAG, SP_COUNT
};
/* wp_index's space for the current function's locals */
#define SP_LOCAL SP_COUNT

typedef struct wtextid {
    wtok tok;          /* the $id as written */
    uint32_t index;
} wtextid;

typedef struct wspace {
    wtextid *names;      /* sorted by id once the scan is done */
    size_t n, cap;
    uint32_t count;    /* items defined so far (with or without an id) */
} wspace;

/* A function type as value-type bytes: params then results. */
typedef struct wftype {
    uint32_t nparams, nresults;
    uint8_t *vals;
} wftype;

/* An enclosing block's label: its $id (len 0 when none). */
typedef struct wlabel {
    const char *id;
    size_t len;
} wlabel;

/* Binary section ids, in the order the sections are written. */
enum {
    SEC_TYPE = 1, SEC_IMPORT, SEC_FUNC, SEC_TABLE, SEC_MEMORY, SEC_GLOBAL, SEC_EXPORT,
    SEC_START, SEC_ELEM, SEC_CODE, SEC_DATA, SEC_DATACOUNT, SEC_TAG, SEC_COUNT
};

typedef struct wopname {
    const char *name;
    wop op;
} wopname;

typedef struct wparser {
    wlexer lx;
    wtext_error *err;
    wtext_options opt;
    wspace space[SP_COUNT];
    wftype *types;
    size_t ntypes, types_cap;
    wtbuf sec[SEC_COUNT];
    uint32_t count[SEC_COUNT];
    bool has_start;
    bool uses_data_index;      /* memory.init or data.drop: write the data count */
    uint8_t *mem_is64;         /* by memory index: declared with i64 */
    size_t nmemories, mem_is64_cap;
    /* the function being parsed */
    wspace locals;
    wlabel *labels;
    size_t nlabels, labels_cap;
    unsigned depth;            /* nesting of folded and structured instructions */
    uint8_t global_ref;        /* a global initializer's type, for a bare ref.null */
    /* the source map (opt.source_map): the function body being written
     * (NULL outside one, and always without a map) and what was recorded */
    wtbuf *code;
    wtext_srcpos *instrs, *funcs;
    size_t ninstrs, instrs_cap, nfuncs, funcs_cap;
    size_t func_first;         /* the current function's first entry in instrs */
} wparser;

/* ---- tokens (module.c) ---- */
bool wp_next(wparser *p, wtok *t);
bool wp_peek(wparser *p, wtok *t);
/* Is the next token '(' followed by keyword kw?  (Consumes nothing.) */
bool wp_peek_field(wparser *p, const char *kw);
bool wp_expect(wparser *p, wtok_kind kind, const char *what);
bool wp_expect_kw(wparser *p, const char *kw);
bool wp_close(wparser *p);                      /* expect ')' */
bool wp_unexpected(wparser *p, const wtok *t, const char *expected);
bool wp_oom(wparser *p);
/* Was memory `index` declared with index type i64?  (false when unknown) */
bool wp_memory_is64(const wparser *p, uint32_t index);

/* ---- names and types (names.c) ---- */
bool wspace_add(wparser *p, wspace *s, const wtok *id);   /* id may be NULL */
bool wspace_sort(wparser *p, wspace *s, const char *what);
bool wspace_find(const wspace *s, const wtok *id, uint32_t *index);
/* An index: a u32 or a $id of space sp. */
bool wp_index(wparser *p, int sp, uint32_t *out);
/* Is the next token an index (a number or an $id)? */
bool wp_peek_index(wparser *p);
bool wp_valtype(wparser *p, uint8_t *out);
bool wp_reftype_kw(const wtok *t, uint8_t *out);
/* Add a function type, or find an identical one; *index its index. */
bool wtypes_add(wparser *p, const wftype *ft, uint32_t *index);
bool wtypes_find_or_add(wparser *p, const wftype *ft, uint32_t *index);
/* (param ...)* (result ...)*: into ft (malloc'd vals).  ids are bound as
 * locals when bind is true, refused when allow_ids is false. */
bool wp_params_results(wparser *p, wftype *ft, bool bind, bool allow_ids);
/* A type use: (type x)? (param ...)* (result ...)*; *index the type. */
bool wp_typeuse(wparser *p, uint32_t *index, bool bind, bool allow_ids);
void wftype_free(wftype *ft);

/* ---- instructions (instr.c) ---- */
/* Instructions up to ')', 'end', 'else', 'catch', 'catch_all', 'delegate'. */
bool wp_instrs(wparser *p, wtbuf *out);
/* An expression: instructions then the end opcode. */
bool wp_expr(wparser *p, wtbuf *out);
/* One folded instruction: '(' op ... ')'. */
bool wp_folded(wparser *p, wtbuf *out);
void wp_labels_reset(wparser *p);

/* ---- source map (srcmap.c) ---- */
/* A defined function's body starts: instructions written to body are
 * recorded from now on (when a map is made).  at: its `func` keyword. */
void wsrc_func_begin(wparser *p, wtbuf *body, const wtok *at);
/* The instruction about to be written to out comes from token at (recorded
 * only when out is the current function's body). */
void wsrc_mark(wparser *p, wtbuf *out, const wtok *at);
/* The same for the next token, not consumed (an 'end' or a closing ')'). */
void wsrc_mark_next(wparser *p, wtbuf *out);
/* The body was appended to the code section, starting at byte body_at of
 * its contents: its entries' offsets move there. */
void wsrc_func_end(wparser *p, size_t body_at);
/* The assembled module's code section contents lie in [start, end): the
 * map with absolute offsets, or NULL with none asked for (false: out of memory). */
bool wsrc_finish(wparser *p, uint32_t code_start, uint32_t code_end, wtext_srcmap **out);
void wsrc_free(wparser *p);

/* ---- module fields (fields.c) ---- */
bool wp_field(wparser *p, const wtok *kw);
bool wp_limits(wparser *p, wtbuf *out, bool memory);

#endif
