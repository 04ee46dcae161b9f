/*
 * One command of a spec-test script as a plain record.  Both readers make
 * these (wast_json.c from wast2json's output, wast_text.c from the .wast
 * itself) and one engine (wast_commands.c) runs them, so the two paths
 * differ only in how they read.
 */
#ifndef WARD_WAST_CMD_H
#define WARD_WAST_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../src/common/util.h"
#include "wast_values.h"

typedef enum wast_cmd_kind {
    WAST_CMD_MODULE,
    WAST_CMD_REGISTER,
    WAST_CMD_ACTION,               /* a bare invoke or get */
    WAST_CMD_ASSERT_RETURN,
    WAST_CMD_ASSERT_TRAP,          /* on an action, or on a module (action.kind NONE) */
    WAST_CMD_ASSERT_EXHAUSTION,
    WAST_CMD_ASSERT_EXCEPTION,
    WAST_CMD_ASSERT_INVALID,
    WAST_CMD_ASSERT_MALFORMED,
    WAST_CMD_ASSERT_UNLINKABLE,
    WAST_CMD_ASSERT_UNINSTANTIABLE,
    WAST_CMD_BROKEN,               /* the reader could not make sense of it: problem says why */
} wast_cmd_kind;

/* What a reader made of a command's module. */
typedef enum wast_module_form {
    WAST_MODULE_NONE = 0,    /* the command has no module */
    WAST_MODULE_BINARY,      /* bytes and size hold it */
    WAST_MODULE_UNREAD,      /* text the reader leaves alone (wast2json's .wat files): skipped */
    WAST_MODULE_MALFORMED,   /* ward's text parser refused it: problem says why */
    WAST_MODULE_MISSING,     /* the script is broken (no such file): problem says why */
} wast_module_form;

typedef struct wast_module_src {
    wast_module_form form;
    uint8_t *bytes;          /* owned */
    size_t size;
    char *label;             /* for messages: the file name, or where the text module starts */
    werror problem;
} wast_module_src;

typedef enum wast_action_kind {
    WAST_ACTION_NONE = 0,
    WAST_ACTION_INVOKE,
    WAST_ACTION_GET,
} wast_action_kind;

typedef struct wast_action {
    wast_action_kind kind;
    char *module;            /* the instance's $name; NULL: the current one */
    char *field;             /* the export name; may hold NUL bytes, so field_len is exact */
    size_t field_len;
    wast_value *args;        /* concrete values only */
    size_t nargs;
} wast_action;

/* One expected result: any of its alternatives matches ((either ...) has
 * several, every other pattern one). */
typedef struct wast_result {
    wast_value *alts;
    size_t nalts;
} wast_result;

typedef struct wast_cmd {
    wast_cmd_kind kind;
    int line;                /* of the command in the .wast */
    char *name;              /* module: the $name it binds; register: the instance ($name, NULL: current) */
    char *as;                /* register: the name imports use */
    wast_module_src module;
    wast_action action;
    wast_result *expected;   /* assert_return */
    size_t nexpected;
    char *text;              /* the expected message of an assertion; NULL when absent */
    werror problem;          /* WAST_CMD_BROKEN */
} wast_cmd;

/* Free what the command owns and zero it. */
void wast_cmd_free(wast_cmd *c);

/* A newly allocated copy of len bytes with a NUL after them, or NULL. */
char *wast_strndup(const char *s, size_t len);

/*
 * A source of commands.  next fills *cmd (zeroed first) and returns true,
 * or returns false at the end of the script; close frees the reader.
 * source is the .wast the line numbers refer to.
 */
typedef struct wast_reader wast_reader;
struct wast_reader {
    bool (*next)(wast_reader *r, wast_cmd *cmd);
    void (*close)(wast_reader *r);
    const char *source;
};

/* wast2json output: path is the .json; its modules are read from beside it. */
wast_reader *wast_json_open(const char *path, werror *why);

/* A .wast script read by ward's own text parser; memory64: the memory64
 * proposal's text (u64 memory limits and offsets, left to the validator). */
wast_reader *wast_text_open(const char *path, bool memory64, werror *why);
/* The same over size bytes of text in memory (copied); source names it in
 * messages and must outlive the reader. */
wast_reader *wast_text_open_buffer(const char *source, const void *text, size_t size, bool memory64, werror *why);

#endif
