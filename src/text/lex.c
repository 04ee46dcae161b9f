/*
 * The text format's lexer: parentheses, keywords, $ids, strings and the
 * runs of identifier characters that numbers and reserved words are
 * made of; white space and both comment forms are skipped.  A token is a
 * span of the caller's buffer, so nothing is copied.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text_internal.h"
#include "../common/util.h"

/* The spec's idchar: what keywords, ids, numbers and reserved words are made of. */
static bool is_idchar(unsigned char c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    return c != 0 && strchr("!#$%&'*+-./:<=>?@\\^_`|~", c) != NULL;
}

void wlex_init(wlexer *lx, const char *text, size_t len)
{
    lx->text = text;
    lx->end = text + len;
    lx->pos = text;
    lx->line = 1;
    lx->line_start = text;
    lx->has_peek = false;
}

static uint32_t column_of(const wlexer *lx, const char *p)
{
    return (uint32_t)(p - lx->line_start) + 1;
}

static void newline(wlexer *lx, const char *after)
{
    lx->line++;
    lx->line_start = after;
}

/* An error at p: a lexical error has no token to name beyond the text there. */
static bool lex_fail(wlexer *lx, const char *p, wtext_error *err, const char *what)
{
    err->line = lx->line;
    err->column = column_of(lx, p);
    snprintf(err->msg, sizeof err->msg, "%s", what);
    return false;
}

/* (; ... ;) nests; lx->pos stands after the opening "(;". */
static bool skip_block_comment(wlexer *lx, wtext_error *err)
{
    const char *open = lx->pos - 2;
    uint32_t open_line = lx->line, open_col = column_of(lx, open);
    unsigned depth = 1;
    while (lx->pos < lx->end) {
        char c = *lx->pos++;
        if (c == '\n') {
            newline(lx, lx->pos);
        } else if (c == '(' && lx->pos < lx->end && *lx->pos == ';') {
            lx->pos++;
            depth++;
        } else if (c == ';' && lx->pos < lx->end && *lx->pos == ')') {
            lx->pos++;
            if (--depth == 0)
                return true;
        }
    }
    err->line = open_line;
    err->column = open_col;
    snprintf(err->msg, sizeof err->msg, "unclosed block comment '(;'");
    return false;
}

static bool skip_space(wlexer *lx, wtext_error *err)
{
    while (lx->pos < lx->end) {
        char c = *lx->pos;
        if (c == ' ' || c == '\t' || c == '\r') {
            lx->pos++;
        } else if (c == '\n') {
            lx->pos++;
            newline(lx, lx->pos);
        } else if (c == ';' && lx->pos + 1 < lx->end && lx->pos[1] == ';') {
            while (lx->pos < lx->end && *lx->pos != '\n')
                lx->pos++;
        } else if (c == '(' && lx->pos + 1 < lx->end && lx->pos[1] == ';') {
            lx->pos += 2;
            if (!skip_block_comment(lx, err))
                return false;
        } else {
            return true;
        }
    }
    return true;
}

/* lx->pos stands after the opening quote; checks only the string's extent
 * and its characters (escapes are decoded by wtext_string). */
static bool scan_string(wlexer *lx, wtext_error *err)
{
    while (lx->pos < lx->end) {
        unsigned char c = (unsigned char)*lx->pos;
        if (c == '"') {
            lx->pos++;
            return true;
        }
        if (c == '\n' || c < 0x20 || c == 0x7F)
            return lex_fail(lx, lx->pos, err, "illegal character in string");
        lx->pos += (c == '\\' && lx->pos + 1 < lx->end) ? 2 : 1;
    }
    return lex_fail(lx, lx->pos, err, "unclosed string");
}

static wtok_kind classify(const char *s, size_t len)
{
    unsigned char c = (unsigned char)s[0];
    if (c == '$')
        return len > 1 ? WTOK_ID : WTOK_RESERVED;
    if (c >= 'a' && c <= 'z')
        return WTOK_KEYWORD;
    if (c >= '0' && c <= '9')
        return WTOK_NUMBER;
    if ((c == '+' || c == '-') && len > 1) {
        unsigned char d = (unsigned char)s[1];
        if ((d >= '0' && d <= '9') || d == 'i' || d == 'n')
            return WTOK_NUMBER;
    }
    return WTOK_RESERVED;
}

static bool lex_token(wlexer *lx, wtok *tok, wtext_error *err)
{
    if (!skip_space(lx, err))
        return false;
    const char *p = lx->pos;
    tok->start = p;
    tok->line = lx->line;
    tok->column = column_of(lx, p);
    if (p == lx->end) {
        tok->kind = WTOK_EOF;
        tok->len = 0;
        return true;
    }
    unsigned char c = (unsigned char)*p;
    if (c == '(' || c == ')') {
        lx->pos++;
        tok->kind = c == '(' ? WTOK_LPAREN : WTOK_RPAREN;
        tok->len = 1;
        return true;
    }
    if (c == '"') {
        lx->pos++;
        if (!scan_string(lx, err))
            return false;
        tok->kind = WTOK_STRING;
    } else if (is_idchar(c)) {
        while (lx->pos < lx->end && is_idchar((unsigned char)*lx->pos))
            lx->pos++;
        tok->kind = classify(p, (size_t)(lx->pos - p));
    } else {
        return lex_fail(lx, p, err, c >= 0x80 ? "malformed UTF-8 encoding or illegal character"
                                              : "illegal character");
    }
    tok->len = (size_t)(lx->pos - p);
    /* a string glued to a word (or two strings) is one reserved token, as
     * in the spec's grammar: "a"b and x"y" are malformed */
    if (lx->pos < lx->end && (*lx->pos == '"' || (tok->kind == WTOK_STRING &&
                                                   is_idchar((unsigned char)*lx->pos)))) {
        while (lx->pos < lx->end && (*lx->pos == '"' || is_idchar((unsigned char)*lx->pos))) {
            if (*lx->pos++ == '"' && !scan_string(lx, err))
                return false;
        }
        tok->kind = WTOK_RESERVED;
        tok->len = (size_t)(lx->pos - p);
    }
    return true;
}

bool wlex_next(wlexer *lx, wtok *tok, wtext_error *err)
{
    if (lx->has_peek) {
        *tok = lx->peeked;
        lx->has_peek = false;
        return true;
    }
    return lex_token(lx, tok, err);
}

bool wlex_peek(wlexer *lx, wtok *tok, wtext_error *err)
{
    if (!lx->has_peek) {
        if (!lex_token(lx, &lx->peeked, err))
            return false;
        lx->has_peek = true;
    }
    *tok = lx->peeked;
    return true;
}

bool wlex_skip_to_close(wlexer *lx, wtext_error *err)
{
    unsigned depth = 1;
    wtok t;
    while (depth > 0) {
        if (!wlex_next(lx, &t, err))
            return false;
        if (t.kind == WTOK_EOF)
            return wtext_fail(err, &t, "unexpected end of input, expected ')'");
        if (t.kind == WTOK_LPAREN)
            depth++;
        else if (t.kind == WTOK_RPAREN)
            depth--;
    }
    return true;
}

bool wtok_is(const wtok *tok, const char *kw)
{
    size_t n = strlen(kw);
    return tok->kind == WTOK_KEYWORD && tok->len == n && memcmp(tok->start, kw, n) == 0;
}

bool wtext_fail(wtext_error *err, const wtok *tok, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    err->line = tok ? tok->line : 0;
    err->column = tok ? tok->column : 0;
    return false;
}

/* ---- strings ---- */

static size_t put_utf8(uint8_t *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (uint8_t)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (uint8_t)(0xC0 | (cp >> 6));
        o[1] = (uint8_t)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (uint8_t)(0xE0 | (cp >> 12));
        o[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (uint8_t)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (uint8_t)(0xF0 | (cp >> 18));
    o[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (uint8_t)(0x80 | (cp & 0x3F));
    return 4;
}

/* \u{hex}: *p stands after the 'u'; a code point, not a surrogate. */
static bool unicode_escape(const char **p, const char *end, uint32_t *cp)
{
    const char *s = *p;
    if (s >= end || *s != '{')
        return false;
    s++;
    uint32_t v = 0;
    bool any = false, sep_ok = false;
    for (; s < end && *s != '}'; s++) {
        if (*s == '_' && sep_ok) {
            sep_ok = false;
            continue;
        }
        int h = whex_digit(*s);
        if (h < 0 || v > 0x10FFFF)
            return false;
        v = v * 16 + (uint32_t)h;
        any = sep_ok = true;
    }
    if (s >= end || !any || !sep_ok || v > 0x10FFFF || (v >= 0xD800 && v < 0xE000))
        return false;
    *p = s + 1;
    *cp = v;
    return true;
}

bool wtext_string(const wtok *tok, uint8_t **out, size_t *len, wtext_error *err)
{
    *out = NULL;
    *len = 0;
    if (tok->kind != WTOK_STRING)
        return wtext_fail(err, tok, "unexpected token '%.*s', expected a string",
                          (int)(tok->len > 40 ? 40 : tok->len), tok->start);
    /* the decoded string is never longer than its text */
    uint8_t *o = malloc(tok->len ? tok->len : 1);
    if (!o)
        return wtext_fail(err, tok, "out of memory");
    size_t n = 0;
    const char *p = tok->start + 1, *end = tok->start + tok->len - 1;
    while (p < end) {
        if (*p != '\\') {
            o[n++] = (uint8_t)*p++;
            continue;
        }
        const char *esc = p++;
        char c = *p++;
        uint32_t cp;
        switch (c) {
        case 't': o[n++] = '\t'; break;
        case 'n': o[n++] = '\n'; break;
        case 'r': o[n++] = '\r'; break;
        case '"': o[n++] = '"'; break;
        case '\'': o[n++] = '\''; break;
        case '\\': o[n++] = '\\'; break;
        case 'u':
            if (!unicode_escape(&p, end, &cp))
                goto bad_escape;
            n += put_utf8(o + n, cp);
            break;
        default:
            if (p < end && whex_digit(c) >= 0 && whex_digit(*p) >= 0) {
                o[n++] = (uint8_t)(whex_digit(c) * 16 + whex_digit(*p));
                p++;
                break;
            }
        bad_escape: {
            wtok at = *tok;
            at.column += (uint32_t)(esc - tok->start);
            free(o);
            return wtext_fail(err, &at, "malformed string escape '%.*s'",
                              (int)(end - esc > 8 ? 8 : end - esc), esc);
        }
        }
    }
    *out = o;
    *len = n;
    return true;
}

bool wtext_name(const wtok *tok, uint8_t **out, size_t *len, wtext_error *err)
{
    if (!wtext_string(tok, out, len, err))
        return false;
    if (!wutf8_valid(*out, *len)) {
        free(*out);
        *out = NULL;
        return wtext_fail(err, tok, "malformed UTF-8 encoding in name %.*s",
                          (int)(tok->len > 40 ? 40 : tok->len), tok->start);
    }
    return true;
}
