/*
 * The decoded module: an immutable description of a binary module, produced
 * by wdecode_module() and checked by wvalidate_module().  Everything points
 * into the module's own copy of the input bytes (`bytes`), so names and code
 * bodies are (offset, length) views and the input buffer is never modified.
 */
#ifndef WARD_MODULE_H
#define WARD_MODULE_H

#include <stdbool.h>
#include <stdint.h>

#include "../common/util.h"

/* Value types, by their binary encoding. */
enum {
    WT_I32 = 0x7F,
    WT_I64 = 0x7E,
    WT_F32 = 0x7D,
    WT_F64 = 0x7C,
    WT_V128 = 0x7B,
    WT_FUNCREF = 0x70,
    WT_EXTERNREF = 0x6F,
};

/* External kinds, by their binary encoding. */
enum { WEXT_FUNC = 0, WEXT_TABLE = 1, WEXT_MEMORY = 2, WEXT_GLOBAL = 3, WEXT_TAG = 4 };
#define WEXT_COUNT 5

/* A name: a view into the module's bytes; may contain NUL, never terminated. */
typedef struct wname {
    const char *ptr;
    uint32_t len;
} wname;

typedef struct wfunctype {
    uint32_t nparams;
    uint32_t nresults;
    uint8_t *types; /* nparams params, then nresults results */
} wfunctype;

#define WFUNCTYPE_PARAM(ft, i) ((ft)->types[(i)])
#define WFUNCTYPE_RESULT(ft, i) ((ft)->types[(ft)->nparams + (i)])

typedef struct wlimits {
    uint64_t min;
    uint64_t max;      /* valid when has_max */
    bool has_max;
    bool shared;       /* memories only (threads) */
    bool is64;         /* memories only (memory64) */
} wlimits;

typedef struct wtabletype {
    uint8_t elemtype;  /* WT_FUNCREF or WT_EXTERNREF */
    wlimits limits;
} wtabletype;

typedef struct wmemtype {
    wlimits limits;    /* in 64 KiB pages */
} wmemtype;

typedef struct wglobaltype {
    uint8_t valtype;
    bool mutable_;
} wglobaltype;

/* A constant expression: the bytes of its instructions including the final
 * `end`, as an offset into the module's bytes. */
typedef struct wexpr {
    uint32_t offset;
    uint32_t len;
} wexpr;

typedef struct wimport {
    wname module;
    wname name;
    uint8_t kind;      /* WEXT_* */
    union {
        uint32_t type_index;  /* WEXT_FUNC, WEXT_TAG (the tag's function type) */
        wtabletype table;
        wmemtype memory;
        wglobaltype global;
    } desc;
} wimport;

typedef struct wexport {
    wname name;
    uint8_t kind;      /* WEXT_* */
    uint32_t index;
} wexport;

typedef struct wglobal {
    wglobaltype type;
    wexpr init;        /* unused for imported globals */
} wglobal;

enum { WSEG_ACTIVE, WSEG_PASSIVE, WSEG_DECLARATIVE };

typedef struct welem {
    uint8_t mode;          /* WSEG_* */
    uint8_t elemtype;      /* WT_FUNCREF or WT_EXTERNREF */
    bool uses_exprs;       /* items are expressions, not function indices */
    uint32_t table_index;  /* active only */
    wexpr offset;          /* active only */
    uint32_t count;
    uint32_t *func_indices;/* count entries, when !uses_exprs */
    wexpr *exprs;          /* count entries, when uses_exprs */
    uint32_t byte_offset;  /* where the segment starts, for messages */
} welem;

typedef struct wdata {
    uint8_t mode;          /* WSEG_ACTIVE or WSEG_PASSIVE */
    uint32_t memory_index; /* active only */
    wexpr offset;          /* active only */
    uint32_t data_offset;  /* the segment's bytes, as an offset into bytes */
    uint32_t data_len;
} wdata;

typedef struct wcode {
    uint32_t nlocals;      /* declared locals, not counting parameters */
    uint8_t *local_types;  /* nlocals entries */
    uint32_t body_offset;  /* first instruction byte, offset into bytes */
    uint32_t body_len;     /* up to and including the final `end` */
    uint32_t entry_offset; /* where the function's code entry starts (size field) */
} wcode;

typedef struct wcustom {
    wname name;
    uint32_t data_offset;
    uint32_t data_len;
} wcustom;

/* Engine features the decoder and validator accept (Wasm 2.0 is the base). */
typedef struct wfeatures {
    bool simd;
    bool threads;
    bool tail_call;
    bool extended_const;
    bool exceptions;    /* legacy exception handling: tags, try/catch/throw (docs/exceptions.md) */
    bool multi_memory;
    bool memory64;
    bool deterministic; /* translate with NaN canonicalisation (docs/determinism.md) */
    /* Load limits (ward_config; docs/limits.md), 0 = none: functions
     * (imported and defined), bytes of translated code. */
    uint32_t max_functions;
    uint64_t max_code_bytes;
} wfeatures;

typedef struct wmodule {
    uint8_t *bytes;            /* owned copy of the binary (borrowed when bytes_borrowed) */
    uint32_t size;
    bool bytes_borrowed;       /* the caller's bytes, never freed here */
    wfeatures features;        /* what the module was decoded with */

    wfunctype *types;
    uint32_t ntypes;

    wimport *imports;
    uint32_t nimports;

    /* Index spaces: imports first, then definitions. */
    uint32_t nfuncs, nimported_funcs;
    uint32_t *func_types;      /* type index of every function */
    uint32_t ntables, nimported_tables;
    wtabletype *tables;
    uint32_t nmemories, nimported_memories;
    wmemtype *memories;
    uint32_t nglobals, nimported_globals;
    wglobal *globals;

    /* Tags (exception handling): the type index of each, imports first. */
    uint32_t ntags, nimported_tags;
    uint32_t *tag_types;

    wexport *exports;
    uint32_t nexports;

    bool has_start;
    uint32_t start;

    welem *elems;
    uint32_t nelems;

    bool has_datacount;
    uint32_t datacount;
    wdata *datas;
    uint32_t ndatas;

    wcode *codes;              /* nfuncs - nimported_funcs entries */
    uint32_t ncodes;

    wname *func_names;         /* nfuncs entries from the `name` section, or NULL */

    wcustom *customs;
    uint32_t ncustoms;
} wmodule;

/* The code section's id, which errors in function bodies report. */
enum { WSECTION_ID_CODE = 10 };

/*
 * Decode `size` bytes into a new module (the bytes are copied).  On failure
 * returns NULL and writes a message such as
 *   "code section, function 12, offset 0x1a3f: unexpected end"
 * into err, with its section id, function index and offset.  Does not
 * validate.
 */
wmodule *wdecode_module(const uint8_t *data, size_t size, const wfeatures *features, werror *err);
/* The same, reading data in place: it must outlive the module, unchanged. */
wmodule *wdecode_module_borrowed(const uint8_t *data, size_t size, const wfeatures *features, werror *err);

/* Frees the module and everything it owns.  NULL is allowed. */
void wmodule_free(wmodule *m);

/* Function type of function `func_index` (imported or defined). */
static inline const wfunctype *wmodule_func_type(const wmodule *m, uint32_t func_index)
{
    return &m->types[m->func_types[func_index]];
}

/* Structural equality of function types (call_indirect, import matching). */
bool wfunctype_equal(const wfunctype *a, const wfunctype *b);

/* Human-readable value type name ("i32", "funcref", ...). */
const char *wvaltype_name(uint8_t t);

#endif
