/*
 * ward — an embeddable WebAssembly interpreter.  The one public header.
 *
 * Objects and ownership:
 *   ward_engine    configuration shared by everything made from it.  Owned by
 *                  the caller; free it last.
 *   ward_module    a decoded, validated and translated module.  Immutable;
 *                  may be shared by several stores and threads.  Owned by the
 *                  caller; free it after every instance made from it.
 *   ward_store     owns instances, host objects (functions, memories, tables,
 *                  globals) and the execution state (stacks, fuel, trap).  One
 *                  thread at a time.  Freeing it frees everything it owns.
 *   ward_instance  an instantiated module, owned by its store.
 *   ward_linker    maps (module name, field name) to externs for imports.
 *                  Owned by the caller; it does not own the externs.
 *   ward_func / ward_memory / ward_table / ward_global
 *                  store objects (owned by the store), reached through
 *                  exports or created by the embedder.  A store only ever
 *                  holds its own objects: every call that takes one refuses
 *                  an object of another store with WARD_ERROR (it would
 *                  dangle once that store is freed), except shared memories,
 *                  which belong to their engine.
 *   ward_caller    the calling context a host function receives: on the
 *                  stack of that one call, owned by nobody, never kept.
 *
 * Threads: an engine and a module are read-only once made and may be used
 * from any number of threads at once (every ward_module_* query included);
 * a store and everything it owns is used by one thread at a time
 * (ward_store_interrupt excepted), except a shared memory (threads
 * proposal: ward_memory_new_shared, or a module's `shared` memory), which
 * instances of stores on several threads may import and use at once, each
 * store holding a reference (docs/threads.md); a linker is read by
 * instantiation and written by ward_linker_define_*, so do not define while
 * another thread instantiates from it.  Returned strings and arrays belong to the object
 * they came from and live as long as it does.
 *
 * Every fallible call returns a ward_result; details are in a ward_error
 * (load/link/instantiate) or a ward_trap (execution) the caller passes in.
 * There is no global mutable state: any number of engines and stores may
 * live in one process.
 */
#ifndef WARD_H
#define WARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ward_engine ward_engine;
typedef struct ward_module ward_module;
typedef struct ward_store ward_store;
typedef struct ward_instance ward_instance;
typedef struct ward_linker ward_linker;
typedef struct ward_func ward_func;
typedef struct ward_memory ward_memory;
typedef struct ward_table ward_table;
typedef struct ward_global ward_global;
typedef struct ward_tag ward_tag;

typedef enum ward_result {
    WARD_OK = 0,
    WARD_TRAP = 1,     /* guest execution trapped: see ward_trap */
    WARD_ERROR = 2,    /* invalid input, link or usage error: see ward_error */
} ward_result;

/* ---- values ---------------------------------------------------------- */

typedef enum ward_valkind {
    WARD_I32 = 0x7F,
    WARD_I64 = 0x7E,
    WARD_F32 = 0x7D,
    WARD_F64 = 0x7C,
    WARD_V128 = 0x7B,
    WARD_FUNCREF = 0x70,
    WARD_EXTERNREF = 0x6F,
} ward_valkind;

/* Floats travel as raw bits so NaN payloads survive exactly. */
typedef struct ward_val {
    ward_valkind kind;
    union {
        uint32_t i32;
        uint64_t i64;
        uint32_t f32_bits;
        uint64_t f64_bits;
        uint8_t v128[16];
        ward_func *funcref;     /* NULL is ref.null func */
        void *externref;        /* NULL is ref.null extern */
    } of;
} ward_val;

ward_val ward_val_i32(int32_t v);
ward_val ward_val_i64(int64_t v);
ward_val ward_val_f32(float v);
ward_val ward_val_f64(double v);
float ward_val_as_f32(ward_val v);
double ward_val_as_f64(ward_val v);

/* A function type: parameter and result kinds. */
typedef struct ward_functype {
    uint32_t nparams;
    uint32_t nresults;
    const ward_valkind *params;
    const ward_valkind *results;
} ward_functype;

/* ---- errors and traps ------------------------------------------------ */

/*
 * Where a load, link or instantiation error arose, so an embedder can act
 * on it without reading the message.  DECODE and VALIDATE mean the module
 * itself is wrong (no configuration accepts it); LIMIT means a cap in
 * ward_config refused it (a larger cap may accept it); READ, TRANSLATE
 * (out of host memory while translating) and WASI are the host's side.
 */
typedef enum ward_error_stage {
    WARD_STAGE_NONE = 0,      /* no error */
    WARD_STAGE_ARGUMENT,      /* a NULL or otherwise unusable argument of the call */
    WARD_STAGE_READ,          /* reading the module file (ward_module_from_file) */
    WARD_STAGE_DECODE,        /* malformed binary ("malformed", "unexpected end", ...) */
    WARD_STAGE_VALIDATE,      /* invalid module (type mismatch, unknown index, ...) */
    WARD_STAGE_TRANSLATE,     /* translating validated code to ward's internal form */
    WARD_STAGE_LIMIT,         /* a configured limit (ward_config) was exceeded */
    WARD_STAGE_LINK,          /* resolving imports ("unknown import", "incompatible import type") */
    WARD_STAGE_INSTANTIATE,   /* creating the instance (allocating tables, memories, ...) */
    WARD_STAGE_WASI,          /* setting up WASI (a preopen that cannot be opened, ...) */
    WARD_STAGE_TEXT,          /* malformed WebAssembly text (ward_wat_to_wasm): see line, column */
} ward_error_stage;

/* ward_error's section, func_index, offset, line or column when it does not apply. */
#define WARD_NONE UINT32_MAX

/*
 * A load, link or instantiation error: the message for people, the other
 * fields for programs.  section, func_index and offset are those of the
 * message's "code section, function 12, offset 0x1a3f: " prefix (each
 * WARD_NONE when absent): the binary section id (0 custom ... 12 data
 * count, 13 tag), the function in the module's function index space
 * (imports first) and the absolute byte offset in the module binary.
 */
typedef struct ward_error {
    /* e.g. "code section, function 12, offset 0x1a3f: unexpected end" */
    char message[256];
    ward_error_stage stage;
    uint32_t section;
    uint32_t func_index;
    uint32_t offset;
    /* WARD_STAGE_TEXT: the 1-based line and column (in bytes) of the
     * offending token; WARD_NONE otherwise */
    uint32_t line;
    uint32_t column;
} ward_error;

typedef enum ward_trap_kind {
    WARD_TRAP_NONE = 0,
    WARD_TRAP_UNREACHABLE,             /* "unreachable" */
    WARD_TRAP_DIV_BY_ZERO,             /* "integer divide by zero" */
    WARD_TRAP_INT_OVERFLOW,            /* "integer overflow" */
    WARD_TRAP_INVALID_CONVERSION,      /* "invalid conversion to integer" */
    WARD_TRAP_OOB_MEMORY,              /* "out of bounds memory access" */
    WARD_TRAP_OOB_TABLE,               /* "out of bounds table access" */
    WARD_TRAP_INDIRECT_TYPE_MISMATCH,  /* "indirect call type mismatch" */
    WARD_TRAP_UNINITIALIZED_ELEMENT,   /* "uninitialized element" (null entry) */
    WARD_TRAP_UNDEFINED_ELEMENT,       /* "undefined element" (index past the table) */
    WARD_TRAP_STACK_EXHAUSTED,         /* "call stack exhausted" */
    WARD_TRAP_OUT_OF_FUEL,             /* "out of fuel" */
    WARD_TRAP_HOST,                    /* a host function returned a trap */
    WARD_TRAP_INTERRUPTED,             /* "interrupted" (ward_store_interrupt) */
    WARD_TRAP_TIMEOUT,                 /* "timeout" (ward_store_set_timeout) */
    WARD_TRAP_UNALIGNED_ATOMIC,        /* "unaligned atomic" (threads) */
    WARD_TRAP_EXPECTED_SHARED,         /* "expected shared memory" (wait on an unshared memory) */
    WARD_TRAP_UNCAUGHT_EXCEPTION,      /* "uncaught exception": a wasm exception (exceptions
                                        * proposal) reached the embedder or a host function */
    WARD_TRAP_OUT_OF_MEMORY,           /* "out of host memory": the host could not allocate what
                                        * the call needed (stacks, lazily translated code, ...) */
    WARD_TRAP_EXIT,                    /* "exit": the guest ended the program (WASI proc_exit);
                                        * its status is ward_trap.exit_code */
} ward_trap_kind;

#define WARD_BACKTRACE_MAX 16

typedef struct ward_frame_info {
    uint32_t func_index;      /* in its module's function index space */
    const char *func_name;    /* from the name section, or NULL; valid while the module lives */
    uint32_t offset;          /* byte offset of the instruction in the module binary */
    ward_instance *instance;  /* the instance the function ran in (owned by its store) */
    uint32_t func_offset;     /* offset of the instruction from the start of the function's
                               * body (its local declarations, right after the body size) */
} ward_frame_info;

typedef struct ward_trap {
    ward_trap_kind kind;
    char message[256];        /* the spec's wording, e.g. "integer divide by zero"; NUL-terminated */
    uint32_t func_index;      /* innermost wasm function, as in backtrace[0] */
    const char *func_name;
    uint32_t offset;
    uint32_t nframes;         /* backtrace entries, innermost first (at most WARD_BACKTRACE_MAX) */
    ward_frame_info backtrace[WARD_BACKTRACE_MAX];
    uint32_t nframes_omitted; /* wasm frames beyond the backtrace, left out (0: it is complete) */
    int exit_code;            /* kind WARD_TRAP_EXIT: the guest's exit status; else 0 */
} ward_trap;

/* ---- engine ---------------------------------------------------------- */

/*
 * Resource limits (docs/embedding.md, "Resource limits").  Each one hit is a
 * distinct, clean outcome, never a crash:
 *   max_call_depth, max_stack_slots  a call that would exceed them traps
 *       WARD_TRAP_STACK_EXHAUSTED ("call stack exhausted") before the frame
 *       is written (one frame and its slots are checked together);
 *   max_memory_bytes  per memory: memory.grow past it returns -1; a memory
 *       whose minimum exceeds it cannot be created (ward_instantiate fails
 *       with WARD_ERROR "memory minimum exceeds the configured limit",
 *       ward_memory_new returns NULL).  Rounded down to whole 64 KiB pages;
 *   max_table_elems  per table: table.grow past it returns -1; a table whose
 *       minimum exceeds it cannot be created (WARD_ERROR "table minimum
 *       exceeds the configured limit", ward_table_new returns NULL);
 *   max_threads  wasi-threads (ward_wasi_threads_*): threads spawned by the
 *       guest and alive at once, the main thread not counted; a spawn past
 *       it returns -6 (WASI EAGAIN) to the guest.  UINT32_MAX leaves only
 *       the proposal's tid range (below 2^29) and the host's resources;
 *   max_host_reentry  a call into a store from one of its running host
 *       functions (a host function calling ward_call back into the guest)
 *       nests C stack frames, unlike wasm calls: one nested deeper than this,
 *       or one that would leave the calling thread less C stack than another
 *       level needs (64 KiB; 256 KiB under ASan), traps
 *       WARD_TRAP_STACK_EXHAUSTED; every host function on the way gets the
 *       trap back from its ward_call and should return it;
 *   interruptible  lets ward_store_interrupt and ward_store_set_timeout stop
 *       running code (a timeout set on a store turns it on for that store).
 * Load limits, for untrusted modules, are checked before the memory they
 * bound is allocated; ward_module_new fails with a message naming the field
 * ("module has N functions, over the configured limit of M
 * (ward_config.max_functions)"):
 *   max_module_bytes  the size of the binary;
 *   max_functions     imported plus defined functions;
 *   max_code_bytes    all code translated for the module (each function's
 *       code is translated on its first call: plain, metered or step code,
 *       trap-site tables included); a translation past it makes the call
 *       that needed it trap (ward_module_new never translates).
 * Every numeric limit: 0 = the default; a value above the implementation's
 * maximum is clamped to it, so UINT32_MAX / UINT64_MAX mean "as large as
 * ward allows" (docs/limits.md lists defaults and maxima: call depth
 * 1,000,000 frames, stack 64 Mi slots, memory 4 GiB, table 10,000,000,
 * module 4 GiB - 1).
 * Set the config with ward_config_default first: new fields keep 0 = default.
 */
typedef struct ward_config {
    bool simd;                /* accept and run SIMD128 (default true) */
    bool threads;             /* shared memories and atomics */
    uint32_t max_call_depth;  /* wasm frames per store; 0 = default (10,000), max 1,000,000 */
    uint32_t max_stack_slots; /* value-stack slots per store; 0 = default (1 Mi), max 64 Mi */
    uint64_t max_memory_bytes;/* per linear memory; 0 = default (4 GiB, the wasm32 maximum) */
    uint32_t max_table_elems; /* per table; 0 = default (10,000,000, the implementation's limit) */
    uint32_t max_threads;     /* wasi-threads: spawned threads alive at once; 0 = default (64) */
    bool interruptible;       /* stores run code that polls for interrupts (default false) */
    bool deterministic;       /* canonical NaNs from float ops (docs/determinism.md; default false) */
    bool tail_calls;          /* return_call, return_call_indirect (default true) */
    bool extended_const;      /* i32/i64 add, sub, mul in constant expressions (default false:
                               * Wasm 2.0 refuses them, and its spec tests check that) */
    bool exceptions;          /* the legacy exception-handling proposal: tags, try/catch/
                               * catch_all/delegate/throw/rethrow (docs/exceptions.md;
                               * default false; `ward run` turns it on) */
    uint32_t max_host_reentry;/* calls a store's host functions may nest back into it
                               * (ward_call, ward_instantiate's start function); 0 =
                               * default (100).  Past it, or when the calling thread's
                               * C stack runs low, the call traps "call stack exhausted" */
    uint64_t max_module_bytes;/* binary size; 0 = default (256 MiB), max UINT32_MAX */
    uint32_t max_functions;   /* functions per module; 0 = default (1,000,000) */
    uint64_t max_code_bytes;  /* translated code per module; 0 = default (4 GiB) */
    bool huge_pages;          /* ask the OS for transparent huge pages on linear memories
                               * of 2 MiB and more (default true; docs/runtime.md) */
    bool multi_memory;        /* several memories per module, a memory index on every
                               * memory instruction (default false: Wasm 2.0 refuses a
                               * second memory, and its spec tests check that) */
    bool memory64;            /* memories with i64 addresses (`memory i64`), up to 2^48
                               * pages declared; their size is still capped by
                               * max_memory_bytes (default false, as for multi_memory) */
} ward_config;

/* Fill *cfg with the defaults. */
void ward_config_default(ward_config *cfg);

/* cfg may be NULL for defaults.  Returns NULL only when out of memory. */
ward_engine *ward_engine_new(const ward_config *cfg);
/* The config the engine runs with: cfg as given to ward_engine_new, with
 * each 0 = default field replaced by its default and clamped fields
 * clamped (what host code such as wasi-threads reads its limits from).
 * Does nothing when engine or out is NULL. */
void ward_engine_config(const ward_engine *engine, ward_config *out);
void ward_engine_free(ward_engine *engine);

/* ---- modules --------------------------------------------------------- */

/* Decode and validate (every error is found here); each function's code
 * is translated on its first call.  The bytes are copied.  Returns NULL
 * and fills *err on malformed or invalid input. */
ward_module *ward_module_new(ward_engine *engine, const uint8_t *bytes, size_t size,
                             ward_error *err);
/* ward_module_new without the copy: the module reads `bytes` for as long
 * as it lives (function bodies are translated from them on first call), so
 * the caller keeps them alive and unchanged until ward_module_free.  For a
 * large module this saves its size in memory. */
ward_module *ward_module_new_borrowed(ward_engine *engine, const uint8_t *bytes, size_t size,
                                      ward_error *err);
void ward_module_free(ward_module *module);

/*
 * The WebAssembly text format (docs/text.md).  Converts `len` bytes of text
 * -- one (module ...) form, or module fields alone -- to the binary format,
 * which ward_module_new then decodes and validates like any binary.  The
 * text need not be NUL-terminated.  On success *wasm is a new buffer the
 * caller frees with ward_wasm_free.  On malformed text: WARD_ERROR, *wasm
 * NULL, and err (may be NULL) has stage WARD_STAGE_TEXT, the line and
 * column of the offending token and a message such as "line 12, column 7:
 * unknown operator 'i32.ad'".  Only the syntax is checked here: a type
 * error in well-formed text is found by ward_module_new.
 */
ward_result ward_wat_to_wasm(const char *text, size_t len, uint8_t **wasm, size_t *wasm_len,
                             ward_error *err);
void ward_wasm_free(uint8_t *wasm);

/*
 * Where a text module's code came from.  ward_wat_to_wasm_map is
 * ward_wat_to_wasm that also returns *map (NULL on error; free it with
 * ward_wat_map_free): for every instruction of every function, the byte
 * offset of its opcode in *wasm and the line and column of its keyword in
 * the text ('end', and a folded block's or a function's closing ')', map
 * to where they are written).  A `(module quote ...)` text has no map.
 *
 * ward_wat_map_find names the text position of what ward_module_new's
 * error or a trap reports: the instruction at module byte `offset` (the
 * last one starting at or before it), else function func_index's `func`
 * keyword; either may be WARD_NONE.  False when the map has neither (an
 * error outside the code, or in an imported function).  The map is
 * plain data: any thread may read it.
 */
typedef struct ward_wat_map ward_wat_map;
ward_result ward_wat_to_wasm_map(const char *text, size_t len, uint8_t **wasm, size_t *wasm_len,
                                 ward_wat_map **map, ward_error *err);
bool ward_wat_map_find(const ward_wat_map *map, uint32_t func_index, uint32_t offset, uint32_t *line,
                       uint32_t *column);
void ward_wat_map_free(ward_wat_map *map);

typedef enum ward_extern_kind {
    WARD_EXTERN_FUNC = 0,
    WARD_EXTERN_TABLE = 1,
    WARD_EXTERN_MEMORY = 2,
    WARD_EXTERN_GLOBAL = 3,
    WARD_EXTERN_TAG = 4,      /* exceptions: a tag (its type: of.tag, params only) */
} ward_extern_kind;

/* Imports and exports, by position.  Name strings are NUL-terminated copies
 * owned by the module (a name containing NUL reads as truncated here; len is
 * exact). */
uint32_t ward_module_import_count(const ward_module *module);
uint32_t ward_module_export_count(const ward_module *module);
typedef struct ward_import_info {
    const char *module; size_t module_len;
    const char *name; size_t name_len;
    ward_extern_kind kind;
} ward_import_info;
typedef struct ward_export_info {
    const char *name; size_t name_len;
    ward_extern_kind kind;
} ward_export_info;
void ward_module_import(const ward_module *module, uint32_t i, ward_import_info *out);
void ward_module_export(const ward_module *module, uint32_t i, ward_export_info *out);

/* Extern types, as imports declare them and exports have them. */
typedef struct ward_tabletype {
    ward_valkind elem;        /* WARD_FUNCREF or WARD_EXTERNREF */
    uint64_t min, max;        /* elements; max valid when has_max */
    bool has_max;
} ward_tabletype;
typedef struct ward_memorytype {
    uint64_t min_pages, max_pages;  /* 64 KiB pages; max valid when has_max */
    bool has_max;
    bool shared;              /* threads: a shared memory */
    bool is64;                /* memory64: addressed with i64 (limits up to 2^48 pages) */
} ward_memorytype;
typedef struct ward_globaltype {
    ward_valkind kind;
    bool mutable_;
} ward_globaltype;
typedef struct ward_externtype {
    ward_extern_kind kind;
    union {
        ward_functype func;   /* arrays owned by the module, valid while it lives */
        ward_tabletype table;
        ward_memorytype memory;
        ward_globaltype global;
        ward_functype tag;    /* the payload types as params; no results */
    } of;
} ward_externtype;

/* The type of import / export i (kind and of.*).  False (and *out zeroed)
 * when i is out of range.  Thread-safe like every read of a module. */
bool ward_module_import_type(const ward_module *module, uint32_t i, ward_externtype *out);
bool ward_module_export_type(const ward_module *module, uint32_t i, ward_externtype *out);

/* Custom sections, in module order (the "name" section is one of them).
 * Data pointers point into the module's copy of the bytes: valid while the
 * module lives, never to be freed.  ward_module_custom_section finds the
 * index-th (0-based) section called name and returns false when there are
 * fewer; ward_module_custom_at lists them all (name is not NUL-terminated:
 * use name_len). */
uint32_t ward_module_custom_count(const ward_module *module);
bool ward_module_custom_at(const ward_module *module, uint32_t i, const char **name, size_t *name_len,
                           const uint8_t **data, size_t *len);
bool ward_module_custom_section(const ward_module *module, const char *name, uint32_t index,
                                const uint8_t **data, size_t *len);

/* ward_module_new on the contents of a file.  NULL with *err naming the file
 * ("cannot open app.wasm: No such file or directory", "app.wasm: code
 * section, ...") when it cannot be read, or is malformed or invalid. */
ward_module *ward_module_from_file(ward_engine *engine, const char *path, ward_error *err);

/* ---- stores and execution limits ------------------------------------ */

ward_store *ward_store_new(ward_engine *engine);
void ward_store_free(ward_store *store);

/*
 * Fuel.  Off by default.  ward_store_set_fuel(store, n) turns metering on
 * with n units; every executed wasm instruction costs its weight (1 by
 * default).  When the next instruction cannot be paid for, the call stops
 * with a WARD_TRAP_OUT_OF_FUEL trap at exactly that instruction.  The store
 * stays usable: add fuel and make new calls (the stopped call is not
 * resumed).  ward_store_disable_fuel turns metering off.
 */
void ward_store_set_fuel(ward_store *store, uint64_t fuel);
void ward_store_disable_fuel(ward_store *store);
bool ward_store_fuel_enabled(const ward_store *store);
/* remaining: units left; consumed: units spent since the last set_fuel
 * (given - remaining).  After ward_store_disable_fuel both keep reporting the
 * last metered period; both are 0 if metering was never on. */
uint64_t ward_store_fuel_remaining(const ward_store *store);
uint64_t ward_store_fuel_consumed(const ward_store *store);  /* since the last set_fuel */

/*
 * Interrupts and timeouts (docs/limits.md).  Running code polls for them at
 * fuel-block heads (every loop iteration and function entry is one) once
 * per slice of about 16,000 wasm instructions, so a stop lands within
 * microseconds; the stop is a trap at an instruction boundary, the stopped
 * call is not resumed and the store stays usable.  Polling needs the store
 * to run its metered code: it does when the engine's config.interruptible is
 * set or the store has a timeout (a few percent slower than plain code; with
 * neither, and fuel off, code runs with no checks at all).
 *
 * ward_store_interrupt may be called from any thread (and from a signal
 * handler: it stores to an atomic flag and wakes the store's waits with a
 * futex wake and a write(2), keeping errno).  The running call, or the next
 * call if none runs, stops with WARD_TRAP_INTERRUPTED ("interrupted"); the
 * flag is cleared when that trap is reported.  On a store that does not poll
 * the flag waits until it does, but a wait stops at once on any store:
 * memory.atomic.wait, and host functions waiting in ward_caller_poll (every
 * blocking WASI call).  Calling it while the store is freed is the caller's
 * race to avoid.
 *
 * ward_store_set_timeout(store, ms): from now on each call from the host
 * (ward_call, a start function) that runs longer than ms milliseconds of
 * monotonic time stops with WARD_TRAP_TIMEOUT ("timeout"), waits included
 * (they sleep no later than the deadline).  Calls a host function makes
 * back into the guest share their outer call's deadline.  0 removes the
 * timeout.  Same thread as the store.
 */
void ward_store_interrupt(ward_store *store);
void ward_store_set_timeout(ward_store *store, uint64_t ms);

/* ---- host objects ---------------------------------------------------- */

/*
 * A host function.  args has type->nparams values, results room for
 * type->nresults values (whose kinds are preset).  Return WARD_OK, or
 * WARD_TRAP after filling *trap: kind WARD_TRAP_HOST and a message of your
 * own, or any kind a checked helper below filled in (a WARD_TRAP with kind
 * WARD_TRAP_NONE or a kind ward does not know is reported as
 * WARD_TRAP_HOST; WARD_TRAP_EXIT with exit_code ends the program).  The
 * trap reaches the caller of ward_call with the calling wasm function in
 * its backtrace: ward keeps only kind, message (cut to its last byte when
 * unterminated; the kind's own wording when empty) and exit_code, and
 * fills the location and backtrace itself.
 *
 * caller is the calling context, valid only until the callback returns
 * (never keep it): the store, the calling instance and its memories.  It
 * lives on the calling thread's stack, so host functions shared by several
 * instances (or threads) see each call's own caller.
 */
typedef struct ward_caller ward_caller;
typedef ward_result (*ward_host_fn)(void *env, ward_caller *caller, const ward_val *args,
                                    ward_val *results, ward_trap *trap);

/* The store running the call (for ward_call back into the guest, fuel...). */
ward_store *ward_caller_store(const ward_caller *caller);
/*
 * Charge fuel for a host function's work (docs/fuel.md, "Host calls"):
 * host services price their calls so that one wasm instruction cannot buy
 * unbounded host CPU.  When the store meters fuel and fewer than `units`
 * remain, nothing is charged, *trap is filled with WARD_TRAP_OUT_OF_FUEL
 * ("out of fuel") and false returned: the host function returns WARD_TRAP
 * before doing any of the work.  Without metering it always succeeds.
 */
bool ward_caller_consume_fuel(const ward_caller *caller, uint64_t units, ward_trap *trap);
/* The instance whose code made the call, or NULL when the host called the
 * function itself with ward_call.  Owned by the store. */
ward_instance *ward_caller_instance(const ward_caller *caller);
/* Memory `index` of the calling instance's memory index space (imported
 * memories first), or NULL when it has none there / no instance called. */
ward_memory *ward_caller_memory_at(const ward_caller *caller, uint32_t index);
/* The calling instance's exported memory named `name` (NULL when absent). */
ward_memory *ward_caller_memory_export(const ward_caller *caller, const char *name);
/* The caller's default memory, the one the span helpers below use: its
 * export "memory" (the WASI convention), else its memory 0, else NULL. */
ward_memory *ward_caller_memory(const ward_caller *caller);

/*
 * Checked access to guest memory for host functions.  Each one checks every
 * byte against the memory's current size; on failure it fills *trap with
 * kind WARD_TRAP_OOB_MEMORY and the message "out of bounds memory access"
 * (exactly what a guest load would trap with; a NULL memory has no valid
 * address) and returns NULL/false, so the host function can simply
 * `return WARD_TRAP`.  trap may be NULL to only test.  Values are
 * little-endian, as in linear memory; addresses need no alignment.
 * A span is valid until the guest next runs (see ward_memory_span).
 */
uint8_t *ward_memory_span_checked(ward_memory *m, uint64_t ptr, uint64_t len, ward_trap *trap);
bool ward_memory_read_u32(ward_memory *m, uint64_t ptr, uint32_t *out, ward_trap *trap);
bool ward_memory_read_u64(ward_memory *m, uint64_t ptr, uint64_t *out, ward_trap *trap);
bool ward_memory_write_u32(ward_memory *m, uint64_t ptr, uint32_t v, ward_trap *trap);
bool ward_memory_write_u64(ward_memory *m, uint64_t ptr, uint64_t v, ward_trap *trap);
/* The same on ward_caller_memory(caller). */
uint8_t *ward_caller_span(const ward_caller *caller, uint64_t ptr, uint64_t len, ward_trap *trap);
bool ward_caller_read_u32(const ward_caller *caller, uint64_t ptr, uint32_t *out, ward_trap *trap);
bool ward_caller_read_u64(const ward_caller *caller, uint64_t ptr, uint64_t *out, ward_trap *trap);
bool ward_caller_write_u32(const ward_caller *caller, uint64_t ptr, uint32_t v, ward_trap *trap);
bool ward_caller_write_u64(const ward_caller *caller, uint64_t ptr, uint64_t v, ward_trap *trap);

/*
 * Blocking host functions (docs/limits.md, "Blocking host calls").  A host
 * function that waits (for a descriptor, or a delay) waits through
 * ward_caller_poll so that ward_store_interrupt and the store's timeout
 * end the wait, as they end running wasm code and memory.atomic.wait.
 * The WASI functions do.  Both are for the store's thread (the caller's).
 *
 * ward_caller_poll_stop: why the running call must stop now,
 * WARD_TRAP_INTERRUPTED (ward_store_interrupt) or WARD_TRAP_TIMEOUT (the
 * store's deadline passed), or WARD_TRAP_NONE.  When it is not NONE and
 * trap is not NULL, *trap is filled with that kind and its message and an
 * interrupt counts as reported (the request is cleared, as when running
 * code traps with it): the host function then returns WARD_TRAP.
 *
 * ward_caller_poll: poll(2) on fds[0..nfds) (struct pollfd of <poll.h>)
 * for at most timeout_ns nanoseconds (negative: no limit; 0: only look),
 * and no later than the call must stop.  Returns as poll(2) does: the
 * number of descriptors with revents set, 0 when the time passed, -1 with
 * errno on failure (EINTR is retried).  When the call must stop it returns
 * -1 with errno ECANCELED and *trap filled as by ward_caller_poll_stop:
 * return WARD_TRAP.  Descriptors already ready win over a stop.  With
 * nfds 0 it is an interruptible sleep.  It sleeps in poll(2), with a
 * descriptor of the store's (made on first use: an eventfd on Linux, a
 * pipe elsewhere) that ward_store_interrupt writes to; when none can be
 * made (out of descriptors) it wakes every 10 ms to look for a stop.
 * trap must not be NULL (-1, EINVAL).
 */
struct pollfd;
ward_trap_kind ward_caller_poll_stop(const ward_caller *caller, ward_trap *trap);
int ward_caller_poll(const ward_caller *caller, struct pollfd *fds, size_t nfds, int64_t timeout_ns,
                     ward_trap *trap);

/* Owned by the store.  The function type is copied.  NULL on invalid
 * arguments (unknown value kinds, min > max, memories over 65536 pages,
 * tables over the implementation's 10,000,000 elements) or out of memory. */
ward_func *ward_func_new(ward_store *store, const ward_functype *type, ward_host_fn fn, void *env);
ward_memory *ward_memory_new(ward_store *store, uint32_t min_pages, uint32_t max_pages, bool has_max);
/* A memory of any unshared type (memory64's `is64` included: limits up to
 * 2^48 pages, still capped by config.max_memory_bytes), owned by store.
 * NULL for a shared type (use ward_memory_new_shared), max < min, limits
 * past the type's maximum, a minimum over the cap, or out of memory. */
ward_memory *ward_memory_new_typed(ward_store *store, const ward_memorytype *type);
/* A shared memory (threads proposal, docs/threads.md) of min_pages, growing
 * up to max_pages (a shared memory needs a maximum), owned by no store: the
 * caller holds one reference and drops it with ward_memory_release.  Define
 * it in the linkers of several stores, on as many threads: every store that
 * instantiates a module importing it takes its own reference, so it lives
 * until the caller released it and the last such store is freed.  A
 * shared memory (this one or a module's) belongs to its engine: stores of
 * that engine may import it, stores of another may not.  The
 * engine's config.max_memory_bytes caps it.  NULL when max_pages <
 * min_pages or > 65536, min_pages is over the cap, or out of memory. */
ward_memory *ward_memory_new_shared(ward_engine *engine, uint32_t min_pages, uint32_t max_pages);
void ward_memory_release(ward_memory *m);
ward_table *ward_table_new(ward_store *store, ward_valkind elem, uint32_t min, uint32_t max, bool has_max);
/* NULL also when value is a funcref of another store. */
ward_global *ward_global_new(ward_store *store, ward_val value, bool mutable_);

/* ---- linking and instantiation -------------------------------------- */

ward_linker *ward_linker_new(void);
void ward_linker_free(ward_linker *linker);
/* Define one extern; a later definition of the same names replaces it. */
ward_result ward_linker_define_func(ward_linker *l, const char *module, const char *name, ward_func *f);
ward_result ward_linker_define_memory(ward_linker *l, const char *module, const char *name, ward_memory *m);
ward_result ward_linker_define_table(ward_linker *l, const char *module, const char *name, ward_table *t);
ward_result ward_linker_define_global(ward_linker *l, const char *module, const char *name, ward_global *g);
/* A tag is an identity: an instance importing it throws and catches the
 * same exceptions as the instance that defined it. */
ward_result ward_linker_define_tag(ward_linker *l, const char *module, const char *name, ward_tag *t);
/* Define every export of an instance under module name `module`. */
ward_result ward_linker_define_instance(ward_linker *l, const char *module, ward_instance *inst);

/*
 * Link imports through the linker (may be NULL when there are none), create
 * the instance, initialise segments and run the start function.  Returns
 * WARD_OK; WARD_ERROR with *err for link errors ("unknown import",
 * "incompatible import type", "import env.f: function belongs to another
 * store", "import env.mem: shared memory belongs to another engine") and
 * for a module of another engine ("module belongs to another engine");
 * WARD_TRAP with *trap when a segment is out of
 * bounds or the start function traps (the instance is then not returned,
 * but state it wrote into imported objects stays, as the spec requires).
 */
ward_result ward_instantiate(ward_store *store, const ward_module *module, ward_linker *linker,
                             ward_instance **out, ward_error *err, ward_trap *trap);

/*
 * One extern of any kind, for positional imports and exports (the
 * standard wasm.h and JavaScript APIs bind imports by position, not name).
 */
typedef struct ward_extern {
    ward_extern_kind kind;
    union {
        ward_func *func;
        ward_table *table;
        ward_memory *memory;
        ward_global *global;
        ward_tag *tag;
    } of;
} ward_extern;

/*
 * ward_instantiate with the imports given by position: imports[i] is
 * import i of ward_module_import's order, so two imports of the same names
 * may be bound to different externs.  WARD_ERROR "module has N imports, M
 * given" when nimports differs from the module's count; an entry with a
 * NULL object is an "unknown import"; the others as ward_instantiate.
 */
ward_result ward_instantiate_with(ward_store *store, const ward_module *module, const ward_extern *imports,
                                  size_t nimports, ward_instance **out, ward_error *err, ward_trap *trap);

/*
 * Per-instance state of host modules (handle tables, streams): data kept
 * on the instance under a key the host module owns (the address of its
 * own object, so keys never clash), and freed with the instance, when its
 * store is freed.  free_fn(data) then runs with the data alone: it must
 * not use the host module's object, which may be gone by then.
 * set replaces (and frees) data already under key; false when out of
 * memory or inst/key is NULL (free_fn is then not called).  Same thread as
 * the store.  get returns NULL when nothing is set.
 */
bool ward_instance_set_host_data(ward_instance *inst, const void *key, void *data, void (*free_fn)(void *));
void *ward_instance_host_data(const ward_instance *inst, const void *key);

/* Export i, in ward_module_export's order, of the module inst was made
 * from (ward_instance_module).  False (and *out zeroed) when i is out of
 * range. */
bool ward_instance_export(ward_instance *inst, uint32_t i, ward_extern *out);
/* The module inst was instantiated from. */
const ward_module *ward_instance_module(const ward_instance *inst);

/* Exports by name (NULL when absent or of another kind). */
ward_func *ward_instance_func(ward_instance *inst, const char *name);
ward_memory *ward_instance_memory(ward_instance *inst, const char *name);
ward_table *ward_instance_table(ward_instance *inst, const char *name);
ward_global *ward_instance_global(ward_instance *inst, const char *name);
ward_tag *ward_instance_tag(ward_instance *inst, const char *name);
/* The same with an explicit length, for names that contain NUL bytes
 * (the spec's names.wast has some). */
ward_func *ward_instance_func_n(ward_instance *inst, const char *name, size_t name_len);
ward_memory *ward_instance_memory_n(ward_instance *inst, const char *name, size_t name_len);
ward_table *ward_instance_table_n(ward_instance *inst, const char *name, size_t name_len);
ward_global *ward_instance_global_n(ward_instance *inst, const char *name, size_t name_len);

/* ---- calls ----------------------------------------------------------- */

/* The function's type; the arrays stay valid while the function lives
 * (for a wasm function: while its module lives). */
void ward_func_type(const ward_func *f, ward_functype *out);

/*
 * Call f with nargs arguments (kinds must match its type) and room for
 * nresults results (at least the type's result count).  WARD_TRAP fills
 * *trap (may be NULL); WARD_ERROR, described in trap->message with
 * trap->kind WARD_TRAP_NONE, when nothing ran: no store or function, a
 * function of another store, NULL args with nargs > 0 or NULL results with
 * nresults > 0, a wrong count, an argument of the wrong kind or a funcref
 * argument of another store.  A host function returning a funcref of
 * another store traps WARD_TRAP_HOST ("host function returned a function
 * of another store").
 */
ward_result ward_call(ward_store *store, ward_func *f, const ward_val *args, size_t nargs,
                      ward_val *results, size_t nresults, ward_trap *trap);

/* ---- memories, tables, globals -------------------------------------- */

/* The base never moves (address space for the maximum is reserved up
 * front); the size changes when the guest grows the memory. */
uint8_t *ward_memory_data(ward_memory *m);
uint64_t ward_memory_size(const ward_memory *m);   /* bytes */
ward_val ward_global_get(const ward_global *g);
/* WARD_ERROR for an immutable global, a value of another kind or a funcref
 * of another store than the global's. */
ward_result ward_global_set(ward_global *g, ward_val v);
uint32_t ward_table_size(const ward_table *t);

/*
 * Host access to tables, memories and globals, with the guest's own
 * semantics (table.get/set/grow, memory.grow), for embedders that manage
 * them from outside (the standard wasm.h API is one).  Same thread as the
 * owning store (a shared memory: any thread).
 *
 * ward_table_get: element index into *out (kind: the table's element
 * kind); WARD_ERROR when index >= size.  ward_table_set: WARD_ERROR when
 * index >= size, v is not of the element kind, or is a funcref of another
 * store.  ward_table_grow: append delta elements set to init; the old size,
 * or -1 (nothing changes) past the maximum or the configured limit, for a
 * wrong init, or out of memory.  ward_memory_grow: the old size in pages,
 * or -1 past the maximum or the limit (ward_config.max_memory_bytes), in
 * 64-bit terms for both index types (memory64).  The *_type calls
 * describe the object now: min is its current size, max its declared
 * maximum (and for a memory, shared and is64).
 */
ward_result ward_table_get(const ward_table *t, uint32_t index, ward_val *out);
ward_result ward_table_set(ward_table *t, uint32_t index, ward_val v);
int64_t ward_table_grow(ward_table *t, uint32_t delta, ward_val init);
void ward_table_type(const ward_table *t, ward_tabletype *out);
int64_t ward_memory_grow(ward_memory *m, uint64_t delta_pages);
void ward_memory_type(const ward_memory *m, ward_memorytype *out);
void ward_global_type(const ward_global *g, ward_globaltype *out);

/* The one checked way for host code to reach guest memory: a host pointer
 * to bytes [ptr, ptr + len) of m, or NULL when any of them lies outside the
 * memory's current size (len 0 at ptr == size is in bounds).  Valid until
 * the guest next runs (a memory.grow does not move it, but re-ask after any
 * call into the guest so the size check is current). */
uint8_t *ward_memory_span(ward_memory *m, uint64_t ptr, uint64_t len);

/* ---- WASI preview 1 (docs/wasi.md) -------------------------------- */

typedef struct ward_wasi ward_wasi;

/* A host directory the guest may use: descriptors 3, 4, ... in order, after
 * the sockets. */
typedef struct ward_wasi_preopen {
    const char *host_path;    /* opened at ward_wasi_new */
    const char *guest_path;   /* the name fd_prestat_dir_name reports */
} ward_wasi_preopen;

/* Everything is copied by ward_wasi_new; the arrays may be freed after. */
typedef struct ward_wasi_config {
    int argc;                 /* argv[0] is the program name the guest sees */
    const char *const *argv;
    int envc;                 /* "KEY=VALUE" strings */
    const char *const *env;
    int npreopens;
    const ward_wasi_preopen *preopens;
    int stdin_fd, stdout_fd, stderr_fd;  /* host fds for 0-2 (duplicated); -1 = closed */
    int nsockets;             /* host sockets (listening or connected), duplicated, */
    const int *sockets;       /* as descriptors 3, 4, ... before the preopens */
    bool no_openat2;          /* testing: force the portable path walk */
    /* Deterministic mode (docs/determinism.md): every clock reads one virtual
     * time that starts at clock_start_ns and advances clock_step_ns (0 = 1 ms)
     * per clock_time_get, and by the timeout of a poll_oneoff clock that
     * fires (no real sleeping); clock_res_get reports the step; random_get is
     * a PRNG seeded with random_seed (NOT cryptographic). */
    bool deterministic;
    uint64_t clock_start_ns;
    uint64_t clock_step_ns;
    uint64_t random_seed;
} ward_wasi_config;

/* Fill *cfg: no args, env or preopens; stdio 0, 1, 2. */
void ward_wasi_config_default(ward_wasi_config *cfg);

/* NULL and *err filled when a preopen cannot be opened or out of memory.
 * Owned by the caller; free it after the store that uses it. */
ward_wasi *ward_wasi_new(const ward_wasi_config *cfg, ward_error *err);
void ward_wasi_free(ward_wasi *wasi);

/* Create every wasi_snapshot_preview1 function in store and define it in
 * linker, and each again under wasi_unstable (the older snapshot 0, with
 * its own layouts: docs/wasi.md).  One ward_wasi serves one store (its descriptor table is not
 * locked: one thread at a time). */
ward_result ward_wasi_define(ward_wasi *wasi, ward_linker *linker, ward_store *store);

/* WASI functions called by guest code use the calling instance's exported
 * "memory" (else its memory 0; see ward_caller_memory), so no binding is
 * needed and one ward_wasi may serve several instances.  This binding is
 * only for calls the host makes itself with ward_call (no calling
 * instance): they use inst's exported "memory".  WARD_ERROR when it has
 * none (such calls that need memory then return EFAULT). */
ward_result ward_wasi_bind_instance(ward_wasi *wasi, ward_instance *inst);

/* After a call returned WARD_TRAP: true when the trap was the guest calling
 * proc_exit (kind WARD_TRAP_EXIT), with its code in *code. */
bool ward_wasi_exit_code(const ward_wasi *wasi, const ward_trap *trap, int *code);

/* ---- wasi-threads (docs/threads.md) ------------------------------------ */

/* The `wasi` `thread-spawn` import for a module that imports a shared
 * memory: each spawn instantiates module in a new store (with WASI through
 * wasi, which may be NULL, the shared memory and thread-spawn) and runs its
 * export wasi_thread_start(tid, arg) on a new host thread.  proc_exit or a
 * trap in any thread ends the program: every other store is interrupted
 * (make the engine config.interruptible so running code stops too; waits
 * always stop).  Creates the shared memory from the module's memory import.
 * WASI calls from several threads share one descriptor table; each call
 * holds the ward_wasi's lock (released around blocking system calls).
 * At most the engine's config.max_threads spawned threads are alive at
 * once; a spawn past it, after the program ended, or that fails (no host
 * thread, no memory, a failed instantiation) returns -6 (WASI EAGAIN) to
 * the guest.
 * NULL with *err when the module imports no shared memory or out of memory. */
typedef struct ward_wasi_threads ward_wasi_threads;
ward_wasi_threads *ward_wasi_threads_new(ward_engine *engine, const ward_module *module, ward_wasi *wasi,
                                         ward_error *err);
/* Limits for every thread spawned from now on, each counted on its own:
 * fuel units per thread (0 = metering off) and a timeout per thread in
 * milliseconds from the start of its wasi_thread_start (0 = none).  The
 * main thread's store has its own (ward_store_set_fuel / _set_timeout).
 * A thread that runs out ends the program with its trap, as any trap does. */
void ward_wasi_threads_set_limits(ward_wasi_threads *wt, uint64_t fuel, uint64_t timeout_ms);
/* Define thread-spawn and the shared memory in the main thread's linker;
 * store is the main thread's (a spawned thread's end interrupts it). */
ward_result ward_wasi_threads_define(ward_wasi_threads *wt, ward_linker *linker, ward_store *store);
/* After the main thread's call returned: stop the threads still running
 * and wait for them.  True when a spawned thread ended the program first:
 * *code is its proc_exit code, or 1 with *trap its trap (trap->kind
 * WARD_TRAP_EXIT for a proc_exit). */
bool ward_wasi_threads_finish(ward_wasi_threads *wt, int *code, ward_trap *trap);
/* Finishes first; free it before the main store, the wasi and the module. */
void ward_wasi_threads_free(ward_wasi_threads *wt);

#ifdef __cplusplus
}
#endif
#endif
