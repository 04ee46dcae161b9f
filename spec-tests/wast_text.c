/*
 * The .wast reader: walks a script with ward's own lexer (src/text/) and
 * turns each command into a wast_cmd record, its modules into binaries
 * with wtext_parse_module.  A module the parser refuses becomes
 * WAST_MODULE_MALFORMED (what assert_malformed wants); a command this
 * reader cannot make sense of becomes WAST_CMD_BROKEN, and reading goes on
 * after its closing ')'.
 */
#include <stdlib.h>
#include <string.h>

#include "../src/host/file.h"
#include "wast_text.h"

typedef struct text_reader {
    wast_reader base;
    uint8_t *text;
    size_t size;
    wlexer lx;
    wtext_options options;   /* what the module parser accepts beyond Wasm 2.0 */
    bool started;    /* a command was read: a bare module field is no inline module any more */
    bool done;
} text_reader;

/* A parse error as the command's problem: "line:column: message". */
static void format_problem(werror *out, const wtext_error *err)
{
    if (err->line)
        werror_set(out, "%u:%u: %s", err->line, err->column, err->msg);
    else
        werror_set(out, "%s", err->msg);
}

static char *token_text(const wtok *tok)
{
    return wast_strndup(tok->start, tok->len);
}

/* A string token's bytes, NUL-terminated after *len of them. */
static char *read_string(wlexer *lx, size_t *len, wtext_error *err)
{
    wtok tok;
    uint8_t *bytes = NULL;
    size_t n = 0;
    if (!wast_text_expect(lx, WTOK_STRING, "a string", &tok, err) || !wtext_string(&tok, &bytes, &n, err))
        return NULL;
    char *s = wast_strndup(bytes ? (const char *)bytes : "", n);
    free(bytes);
    if (!s)
        wtext_fail(err, &tok, "out of memory");
    else if (len)
        *len = n;
    return s;
}

static bool expect_close(wlexer *lx, wtext_error *err)
{
    wtok tok;
    return wast_text_expect(lx, WTOK_RPAREN, "')'", &tok, err);
}

static bool peek_kind(wlexer *lx, wtok_kind kind, wtext_error *err, bool *is)
{
    wtok tok;
    if (!wlex_peek(lx, &tok, err))
        return false;
    *is = tok.kind == kind;
    return true;
}

/* ---- modules ------------------------------------------------------------ */

/* After a module the parser refused: the $name it would bind, and the
 * lexer past its ')'.  False when even that fails (the script is broken). */
static bool skip_module(wlexer *lx, char **name, wtext_error *err)
{
    wtok open, head, id;
    if (!wlex_next(lx, &open, err) || !wlex_next(lx, &head, err) || !wlex_peek(lx, &id, err))
        return false;
    if (name && id.kind == WTOK_ID)
        *name = token_text(&id);
    return wlex_skip_to_close(lx, err);
}

/* The module form at the lexer ('(' 'module' ...): its binary, or why the
 * text parser refused it.  *name (when asked for) gets its $name. */
static bool read_module(wlexer *lx, const wtext_options *opt, wast_module_src *m, char **name,
                        wtext_error *err)
{
    wtok head;
    if (!wast_text_peek_form(lx, &head) || !wtok_is(&head, "module")) {
        wlex_peek(lx, &head, err);
        return wtext_fail(err, &head, "expected (module ...)");
    }
    wlexer start = *lx;
    wtext_module tm;
    wtext_error why;
    if (wtext_parse_module_with(lx, opt, &tm, &why)) {
        m->form = WAST_MODULE_BINARY;
        m->bytes = tm.wasm;
        m->size = tm.wasm_len;
        if (name && tm.id.kind == WTOK_ID)
            *name = token_text(&tm.id);
        return true;
    }
    m->form = WAST_MODULE_MALFORMED;
    format_problem(&m->problem, &why);
    *lx = start;
    return skip_module(lx, name, err);
}

/* ---- actions ------------------------------------------------------------ */

static bool add_arg(wlexer *lx, wast_action *a, wtext_error *err)
{
    wtok tok;
    wast_value *args = wrealloc_array(a->args, a->nargs + 1, sizeof *args);
    if (!args) {
        wlex_peek(lx, &tok, err);
        return wtext_fail(err, &tok, "out of memory");
    }
    a->args = args;
    return wast_text_const(lx, &a->args[a->nargs++], err);
}

/* (invoke $M? "name" const*) or (get $M? "name"), the lexer before '('. */
static bool read_action(wlexer *lx, wast_action *a, wtext_error *err)
{
    wtok open, head, tok;
    if (!wast_text_expect(lx, WTOK_LPAREN, "'(' of an action", &open, err) || !wast_text_head(lx, &head, err))
        return false;
    if (wtok_is(&head, "invoke"))
        a->kind = WAST_ACTION_INVOKE;
    else if (wtok_is(&head, "get"))
        a->kind = WAST_ACTION_GET;
    else
        return wtext_fail(err, &head, "expected an action (invoke or get)");
    if (!wlex_peek(lx, &tok, err))
        return false;
    if (tok.kind == WTOK_ID) {
        wlex_next(lx, &tok, err);
        a->module = token_text(&tok);
    }
    a->field = read_string(lx, &a->field_len, err);
    if (!a->field)
        return false;
    bool more = a->kind == WAST_ACTION_INVOKE;
    while (more) {
        if (!peek_kind(lx, WTOK_LPAREN, err, &more) || (more && !add_arg(lx, a, err)))
            return false;
    }
    return expect_close(lx, err);
}

/* ---- command bodies: the lexer stands after the command's keyword ------- */

typedef bool (*body_reader)(wlexer *lx, const wtext_options *opt, wast_cmd *c, wtext_error *err);

/* An assertion's expected message. */
static bool read_text(wlexer *lx, wast_cmd *c, wtext_error *err)
{
    c->text = read_string(lx, NULL, err);
    return c->text != NULL;
}

static bool body_register(wlexer *lx, const wtext_options *opt, wast_cmd *c, wtext_error *err)
{
    (void)opt;
    wtok tok;
    c->as = read_string(lx, NULL, err);
    if (!c->as || !wlex_peek(lx, &tok, err))
        return false;
    if (tok.kind == WTOK_ID) {
        wlex_next(lx, &tok, err);
        c->name = token_text(&tok);
    }
    return true;
}

static bool add_result(wlexer *lx, wast_cmd *c, wtext_error *err)
{
    wtok tok;
    wast_result *list = wrealloc_array(c->expected, c->nexpected + 1, sizeof *list);
    if (!list) {
        wlex_peek(lx, &tok, err);
        return wtext_fail(err, &tok, "out of memory");
    }
    c->expected = list;
    return wast_text_result(lx, &c->expected[c->nexpected++], err);
}

static bool body_assert_return(wlexer *lx, const wtext_options *opt, wast_cmd *c, wtext_error *err)
{
    (void)opt;
    if (!read_action(lx, &c->action, err))
        return false;
    for (;;) {
        bool more;
        if (!peek_kind(lx, WTOK_LPAREN, err, &more))
            return false;
        if (!more)
            return true;
        if (!add_result(lx, c, err))
            return false;
    }
}

/* assert_trap takes an action or a module. */
static bool body_assert_trap(wlexer *lx, const wtext_options *opt, wast_cmd *c, wtext_error *err)
{
    wtok head;
    bool module = wast_text_peek_form(lx, &head) && wtok_is(&head, "module");
    bool ok = module ? read_module(lx, opt, &c->module, NULL, err) : read_action(lx, &c->action, err);
    return ok && read_text(lx, c, err);
}

static bool body_action_text(wlexer *lx, const wtext_options *opt, wast_cmd *c, wtext_error *err)
{
    (void)opt;
    return read_action(lx, &c->action, err) && read_text(lx, c, err);
}

static bool body_action(wlexer *lx, const wtext_options *opt, wast_cmd *c, wtext_error *err)
{
    (void)opt;
    return read_action(lx, &c->action, err);
}

static bool body_module_text(wlexer *lx, const wtext_options *opt, wast_cmd *c, wtext_error *err)
{
    return read_module(lx, opt, &c->module, NULL, err) && read_text(lx, c, err);
}

/* ---- commands ----------------------------------------------------------- */

typedef struct text_command {
    const char *head;
    wast_cmd_kind kind;
    body_reader body;    /* NULL: the form itself is the module or action */
} text_command;

static const text_command text_commands[] = {
    {"module", WAST_CMD_MODULE, NULL},
    {"invoke", WAST_CMD_ACTION, NULL},
    {"get", WAST_CMD_ACTION, NULL},
    {"register", WAST_CMD_REGISTER, body_register},
    {"assert_return", WAST_CMD_ASSERT_RETURN, body_assert_return},
    {"assert_trap", WAST_CMD_ASSERT_TRAP, body_assert_trap},
    {"assert_exhaustion", WAST_CMD_ASSERT_EXHAUSTION, body_action_text},
    {"assert_exception", WAST_CMD_ASSERT_EXCEPTION, body_action},
    {"assert_invalid", WAST_CMD_ASSERT_INVALID, body_module_text},
    {"assert_malformed", WAST_CMD_ASSERT_MALFORMED, body_module_text},
    {"assert_unlinkable", WAST_CMD_ASSERT_UNLINKABLE, body_module_text},
    {"assert_uninstantiable", WAST_CMD_ASSERT_UNINSTANTIABLE, body_module_text},
};

static const text_command *command_named(const wtok *head)
{
    for (size_t i = 0; i < sizeof text_commands / sizeof text_commands[0]; i++) {
        if (wtok_is(head, text_commands[i].head))
            return &text_commands[i];
    }
    return NULL;
}

/* One command whose '(' and keyword the lexer stands before. */
static bool read_command(wlexer *lx, const wtext_options *opt, const text_command *tc, wast_cmd *c,
                         wtext_error *err)
{
    c->kind = tc->kind;
    if (tc->kind == WAST_CMD_MODULE)
        return read_module(lx, opt, &c->module, &c->name, err);
    if (tc->kind == WAST_CMD_ACTION)
        return read_action(lx, &c->action, err);
    wtok open, head, first;
    if (!wlex_next(lx, &open, err) || !wlex_next(lx, &head, err) || !wlex_peek(lx, &first, err))
        return false;
    /* an assertion's line is its action's or module's, as wast2json counts
     * (the expected-failure lists name commands by line) */
    if (first.kind == WTOK_LPAREN)
        c->line = (int)first.line;
    return tc->body(lx, opt, c, err) && expect_close(lx, err);
}

/* A script made of bare module fields ("(func) (memory 0)") is one module. */
static void read_inline_module(text_reader *r, wast_cmd *c)
{
    wtext_module tm;
    wtext_error why;
    c->kind = WAST_CMD_MODULE;
    if (wtext_parse_text_with((const char *)r->text, r->size, &r->options, &tm, &why)) {
        c->module.form = WAST_MODULE_BINARY;
        c->module.bytes = tm.wasm;
        c->module.size = tm.wasm_len;
    } else {
        c->module.form = WAST_MODULE_MALFORMED;
        format_problem(&c->module.problem, &why);
    }
    r->done = true;
}

/* After a broken command: on past its ')', or stop when that fails. */
static void recover(text_reader *r, const wlexer *start)
{
    wtext_error ignored;
    wtok open;
    r->lx = *start;
    if (!wlex_next(&r->lx, &open, &ignored) || open.kind != WTOK_LPAREN || !wlex_skip_to_close(&r->lx, &ignored))
        r->done = true;
}

/* The command becomes a broken one (what it had read so far is freed). */
static void fail_command(wast_cmd *c, const wtext_error *err)
{
    int line = c->line;
    wast_cmd_free(c);
    c->line = line;
    c->kind = WAST_CMD_BROKEN;
    format_problem(&c->problem, err);
}

static bool text_next(wast_reader *base, wast_cmd *c)
{
    text_reader *r = (text_reader *)base;
    memset(c, 0, sizeof *c);
    wtok tok, head;
    wtext_error err;
    if (r->done)
        return false;
    if (!wlex_peek(&r->lx, &tok, &err)) {
        r->done = true;
        fail_command(c, &err);
        return true;
    }
    if (tok.kind == WTOK_EOF)
        return false;
    c->line = (int)tok.line;
    bool form = wast_text_peek_form(&r->lx, &head);
    const text_command *tc = form ? command_named(&head) : NULL;
    if (!tc && form && !r->started) {
        read_inline_module(r, c);
        return true;
    }
    r->started = true;
    wlexer start = r->lx;
    if (!tc) {
        wtext_fail(&err, form ? &head : &tok, "expected a command");
        fail_command(c, &err);
        recover(r, &start);
    } else if (!read_command(&r->lx, &r->options, tc, c, &err)) {
        fail_command(c, &err);
        recover(r, &start);
    }
    return true;
}

static void text_close(wast_reader *base)
{
    text_reader *r = (text_reader *)base;
    free(r->text);
    free(r);
}

/* A reader over text (owned from here on; freed on failure too). */
static wast_reader *reader_over(const char *source, uint8_t *text, size_t size, bool memory64, werror *why)
{
    text_reader *r = calloc(1, sizeof *r);
    if (!r) {
        free(text);
        werror_set(why, "out of memory");
        return NULL;
    }
    r->text = text;
    r->size = size;
    r->base.next = text_next;
    r->base.close = text_close;
    r->base.source = source;
    r->options.memory64 = memory64;
    wlex_init(&r->lx, (const char *)r->text, r->size);
    return &r->base;
}

wast_reader *wast_text_open(const char *path, bool memory64, werror *why)
{
    size_t size = 0;
    uint8_t *text = wfile_read(path, &size, why);
    return text ? reader_over(path, text, size, memory64, why) : NULL;
}

wast_reader *wast_text_open_buffer(const char *source, const void *text, size_t size, bool memory64, werror *why)
{
    size_t alloc;
    uint8_t *copy = wsize_add(size, 1, &alloc) ? malloc(alloc) : NULL;
    if (!copy) {
        werror_set(why, "out of memory");
        return NULL;
    }
    if (size)
        memcpy(copy, text, size);
    copy[size] = 0; /* as wfile_read leaves it */
    return reader_over(source, copy, size, memory64, why);
}
