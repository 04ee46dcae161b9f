/*
 * The WebAssembly text format (docs/text.md): a lexer, number and string
 * conversions of its tokens, and a module parser that writes the binary
 * format, so the decoder and validator stay the one path for both.
 *
 * The script layer (.wast commands, spec-tests) walks a file with the same
 * lexer and hands each (module ...) form to wtext_parse_module.
 */
#ifndef WARD_TEXT_INTERNAL_H
#define WARD_TEXT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum wtok_kind {
    WTOK_EOF,       /* end of input */
    WTOK_LPAREN,    /* ( */
    WTOK_RPAREN,    /* ) */
    WTOK_KEYWORD,   /* starts with a..z: module, i32.add, offset=4, inf, nan:0x1 */
    WTOK_ID,        /* $name (start includes the '$') */
    WTOK_STRING,    /* "..." (start and len include the quotes) */
    WTOK_NUMBER,    /* starts with a digit, or a sign then a digit/inf/nan */
    WTOK_RESERVED,  /* any other run of identifier characters */
} wtok_kind;

typedef struct wtok {
    wtok_kind kind;
    const char *start;  /* into the lexer's buffer */
    size_t len;
    uint32_t line;      /* 1-based */
    uint32_t column;    /* 1-based, in bytes */
} wtok;

/* A text error: the message names the token; line/column where it starts
 * (0 when unknown).  The message does not repeat the position. */
typedef struct wtext_error {
    char msg[256];
    uint32_t line;
    uint32_t column;
} wtext_error;

typedef struct wlexer {
    const char *text;   /* the whole buffer */
    const char *end;
    const char *pos;    /* next unread byte */
    uint32_t line;
    const char *line_start;
    bool has_peek;
    wtok peeked;
} wlexer;

/* ---- lexer (lex.c) ---- */

void wlex_init(wlexer *lx, const char *text, size_t len);
/* The next token, skipping white space and comments; false with *err set
 * on a lexical error (unclosed string or comment, bad character). */
bool wlex_next(wlexer *lx, wtok *tok, wtext_error *err);
/* The token wlex_next would return, without consuming it. */
bool wlex_peek(wlexer *lx, wtok *tok, wtext_error *err);
/* Skip to just after the ')' closing the '(' already consumed; false on EOF. */
bool wlex_skip_to_close(wlexer *lx, wtext_error *err);
/* Does tok equal the keyword kw? */
bool wtok_is(const wtok *tok, const char *kw);
/* Set *err to "<msg> 'token'" at tok's position (printf-style msg). */
bool wtext_fail(wtext_error *err, const wtok *tok, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* ---- numbers (num.c): each false with *err "malformed ..." / "constant
 * out of range" when the token is no such number ---- */

bool wtext_u32(const wtok *tok, uint32_t *out, wtext_error *err);   /* unsigned, no sign */
bool wtext_u64(const wtok *tok, uint64_t *out, wtext_error *err);   /* unsigned, no sign */
/* iN: unsigned up to 2^N-1 or signed -2^(N-1)..2^(N-1)-1; two's complement bits */
bool wtext_int(const wtok *tok, unsigned bits, uint64_t *out, wtext_error *err);
bool wtext_i32(const wtok *tok, uint32_t *out, wtext_error *err);
bool wtext_i64(const wtok *tok, uint64_t *out, wtext_error *err);
/* floats, exactly rounded to nearest-even; inf, nan, nan:0x payloads */
bool wtext_f32(const wtok *tok, uint32_t *bits, wtext_error *err);
bool wtext_f64(const wtok *tok, uint64_t *bits, wtext_error *err);
/* A number of a value or lane type `bits` wide: an integer's two's
 * complement bits or (is_float) a float's bits. */
bool wtext_number(const wtok *tok, unsigned bits, bool is_float, uint64_t *out, wtext_error *err);

/* A v128 shape (i8x16 ... f64x2): its lanes, their width and kind. */
typedef struct wtext_shape {
    const char *name;
    unsigned lanes, bits;
    bool is_float;
} wtext_shape;

/* The shape a keyword token names; NULL when it names none. */
const wtext_shape *wtext_shape_of(const wtok *tok);

/* ---- strings (lex.c) ---- */

/* Decode a WTOK_STRING's escapes into bytes (malloc'd, *out may be NULL
 * when *len is 0; caller frees). */
bool wtext_string(const wtok *tok, uint8_t **out, size_t *len, wtext_error *err);
/* Same, and the bytes must be valid UTF-8 (names). */
bool wtext_name(const wtok *tok, uint8_t **out, size_t *len, wtext_error *err);

/* ---- modules (module.c) ---- */

typedef enum wtext_module_kind {
    WTEXT_MODULE_TEXT,    /* (module fields...) */
    WTEXT_MODULE_BINARY,  /* (module binary "..."): bytes as written, not checked */
    WTEXT_MODULE_QUOTE,   /* (module quote "..."): the strings parsed as text */
} wtext_module_kind;

/* Where one piece of code came from: the byte offset of its opcode (in the
 * function body while it is parsed, in the module once assembled) and the
 * line and column of its keyword. */
typedef struct wtext_srcpos {
    uint32_t offset, line, column;
} wtext_srcpos;

/* A module's source map (wtext_options.source_map): ward.h's ward_wat_map. */
struct ward_wat_map {
    wtext_srcpos *instrs;       /* ascending offsets; each function's first is its `func` keyword */
    size_t ninstrs;
    wtext_srcpos *funcs;        /* each defined function's `func` keyword, offset its body's start */
    size_t nfuncs;
    uint32_t nimported_funcs;   /* function index = nimported_funcs + position in funcs */
    uint32_t code_start, code_end;  /* the code section's function bodies */
};
typedef struct ward_wat_map wtext_srcmap;

void wtext_srcmap_free(wtext_srcmap *map);
/* The text position of the code at a module byte offset, else of function
 * func_index (WARD_NONE-style UINT32_MAX for either: not known). */
bool wtext_srcmap_find(const wtext_srcmap *map, uint32_t func_index, uint32_t offset, uint32_t *line,
                       uint32_t *column);

typedef struct wtext_module {
    uint8_t *wasm;        /* the binary module (malloc'd; caller frees) */
    size_t wasm_len;
    wtok id;              /* the module's $id, kind WTOK_EOF when none */
    wtext_module_kind kind;
    wtext_srcmap *map;    /* a text module's source map when asked for, else NULL (caller frees) */
} wtext_module;

/* What the text accepts beyond Wasm 2.0's grammar, and what to return. */
typedef struct wtext_options {
    /* the memory64 proposal's text: memory limits and memarg offsets are
     * u64 numbers whatever the memory's index type (the validator then
     * refuses what an i32 memory cannot have); without it they are u32
     * for an i32 memory ("i32 constant out of range"), as core Wasm says */
    bool memory64;
    /* make wtext_module.map: where each instruction of the code came from */
    bool source_map;
} wtext_options;

/*
 * Parse one module form: the lexer stands before its '(' and 'module'
 * (the next two tokens).  On success the lexer stands after the closing
 * ')'.  On failure *out holds nothing to free and *err says why and where
 * (for a quote module: the position inside the quoted text).
 */
bool wtext_parse_module(wlexer *lx, wtext_module *out, wtext_error *err);
/* The same with options (NULL: none, as wtext_parse_module). */
bool wtext_parse_module_with(wlexer *lx, const wtext_options *opt, wtext_module *out, wtext_error *err);

/* Parse a whole text: one (module ...) or bare module fields (the spec's
 * inline module), nothing after it. */
bool wtext_parse_text(const char *text, size_t len, wtext_module *out, wtext_error *err);
bool wtext_parse_text_with(const char *text, size_t len, const wtext_options *opt, wtext_module *out,
                           wtext_error *err);

#endif
