/*
 * The .wast reader's shared parts: token helpers over ward's text lexer
 * (src/text/) and the value forms of a script (arguments and result
 * patterns, wast_text_values.c).
 */
#ifndef WARD_WAST_TEXT_H
#define WARD_WAST_TEXT_H

#include <stdbool.h>

#include "../src/text/text_internal.h"
#include "wast_cmd.h"

/* The next token, which must be of `kind` (`what` names it in the error). */
bool wast_text_expect(wlexer *lx, wtok_kind kind, const char *what, wtok *tok, wtext_error *err);

/* After '(' : the keyword that names the form. */
bool wast_text_head(wlexer *lx, wtok *head, wtext_error *err);

/* The two tokens after the lexer's position, without consuming them: is it
 * '(' then a keyword?  *head is that keyword when it is. */
bool wast_text_peek_form(const wlexer *lx, wtok *head);

/* A constant argument: (i32.const 1), (v128.const i8x16 ...), (ref.null func),
 * (ref.extern 3); the lexer stands before its '('. */
bool wast_text_const(wlexer *lx, wast_value *out, wtext_error *err);

/* An expected result: a constant or a pattern (nan:canonical,
 * nan:arithmetic, per lane too; (ref.func), (ref.extern) for any non-null
 * reference), or (either r...) with its alternatives.  The caller frees
 * out->alts, after a failure too. */
bool wast_text_result(wlexer *lx, wast_result *out, wtext_error *err);

#endif
