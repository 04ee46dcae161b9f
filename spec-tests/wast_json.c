/*
 * The JSON reader: turns the "commands" array wast2json writes into
 * wast_cmd records, reading each command's .wasm from beside the JSON.
 * Modules wast2json could only write as .wat are WAST_MODULE_UNREAD.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "../src/host/file.h"
#include "wast_cmd.h"
#include "wast_internal.h"

typedef struct json_reader {
    wast_reader base;
    cJSON *json;
    const cJSON *next;       /* the next command object, NULL at the end */
    char *dir;               /* where the .wasm files are */
} json_reader;

/* ---- reading the file --------------------------------------------------- */

/* The directory part of path ("." when there is none), newly allocated. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t len = slash ? (size_t)(slash - path) : 1;
    if (slash && len == 0)
        len = 1; /* "/x.json" lives in "/" */
    return wast_strndup(slash ? path : ".", len);
}

/*
 * cJSON ends strings at their first NUL, but export names may contain NUL
 * (names.wast).  Before parsing, turn each \u0000 escape into the raw byte
 * WAST_NUL_BYTE, which never occurs in valid UTF-8 and so in no wasm name;
 * decode_name turns it back.  Returns the new length.
 */
static size_t protect_nul_escapes(uint8_t *text, size_t size)
{
    size_t out = 0;
    for (size_t in = 0; in < size;) {
        if (text[in] != '\\' || in + 1 >= size) {
            text[out++] = text[in++];
        } else if (size - in >= 6 && memcmp(text + in, "\\u0000", 6) == 0) {
            text[out++] = WAST_NUL_BYTE;
            in += 6;
        } else { /* any other escape, \\ included, is copied whole */
            text[out++] = text[in++];
            text[out++] = text[in++];
        }
    }
    return out;
}

static cJSON *read_json(const char *path, werror *why)
{
    size_t size = 0;
    uint8_t *text = wfile_read(path, &size, why);
    if (!text)
        return NULL;
    size = protect_nul_escapes(text, size);
    cJSON *json = cJSON_ParseWithLength((const char *)text, size);
    free(text);
    if (!json)
        werror_set(why, "%s: not valid JSON", path);
    return json;
}

/* ---- fields ------------------------------------------------------------- */

static const char *string_field(const cJSON *obj, const char *name)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, name));
}

static char *copy_field(const cJSON *obj, const char *name)
{
    const char *s = string_field(obj, name);
    return s ? wast_strndup(s, strlen(s)) : NULL;
}

/* An export name with its NUL bytes restored; *len is exact. */
static char *decode_name(const char *field, size_t *len)
{
    size_t n = strlen(field);
    char *name = malloc(n + 1);
    if (!name)
        return NULL;
    for (size_t i = 0; i <= n; i++)
        name[i] = (unsigned char)field[i] == WAST_NUL_BYTE ? 0 : field[i];
    *len = n;
    return name;
}

static bool broken(wast_cmd *c, const char *what)
{
    c->kind = WAST_CMD_BROKEN;
    werror_set(&c->problem, "%s", what);
    return false;
}

/* ---- modules ------------------------------------------------------------ */

static char *join_path(const char *dir, const char *name)
{
    size_t len;
    if (!wsize_add(strlen(dir), strlen(name), &len) || !wsize_add(len, 2, &len))
        return NULL;
    char *path = malloc(len);
    if (path)
        snprintf(path, len, "%s/%s", dir, name);
    return path;
}

/* The command's "filename": skipped when it is text, else its bytes. */
static void read_module(json_reader *r, const cJSON *obj, wast_module_src *m)
{
    const char *filename = string_field(obj, "filename");
    const char *type = string_field(obj, "module_type");
    if (type && strcmp(type, "text") == 0) {
        m->form = WAST_MODULE_UNREAD;
        return;
    }
    m->form = WAST_MODULE_MISSING;
    if (!filename) {
        werror_set(&m->problem, "command has no filename");
        return;
    }
    m->label = wast_strndup(filename, strlen(filename));
    char *path = join_path(r->dir, filename);
    m->bytes = path ? wfile_read(path, &m->size, &m->problem) : NULL;
    free(path);
    if (m->bytes)
        m->form = WAST_MODULE_BINARY;
    else if (!path)
        werror_set(&m->problem, "out of memory");
}

/* ---- actions and values ------------------------------------------------- */

/* Parse a JSON array of values into *out; false with *why when malformed. */
static bool read_values(const cJSON *list, wast_value **out, size_t *count, werror *why)
{
    int n = cJSON_IsArray(list) ? cJSON_GetArraySize(list) : 0;
    wast_value *values = wmalloc_array((size_t)n, sizeof *values);
    if (!values)
        return werror_set(why, "out of memory");
    size_t i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, list)
    {
        if (!wast_parse_value(item, &values[i], why)) {
            free(values);
            return false;
        }
        i++;
    }
    *out = values;
    *count = i;
    return true;
}

static bool read_args(const cJSON *action, wast_action *a, werror *why)
{
    if (!read_values(cJSON_GetObjectItemCaseSensitive(action, "args"), &a->args, &a->nargs, why))
        return false;
    for (size_t i = 0; i < a->nargs; i++) {
        if (a->args[i].any || a->args[i].nan[0] != WAST_NAN_NONE)
            return werror_set(why, "argument %zu is not a concrete value", i);
    }
    return true;
}

/* The command's "action"; false (a broken command) when it is malformed. */
static bool read_action(const cJSON *obj, wast_cmd *c)
{
    const cJSON *action = cJSON_GetObjectItemCaseSensitive(obj, "action");
    const char *type = string_field(action, "type");
    wast_action *a = &c->action;
    if (type && strcmp(type, "invoke") == 0)
        a->kind = WAST_ACTION_INVOKE;
    else if (type && strcmp(type, "get") == 0)
        a->kind = WAST_ACTION_GET;
    else {
        char what[WERROR_MAX];
        snprintf(what, sizeof what, "unknown action type \"%s\"", type ? type : "?");
        return broken(c, what);
    }
    a->module = copy_field(action, "module");
    const char *field = string_field(action, "field");
    a->field = field ? decode_name(field, &a->field_len) : NULL;
    if (!a->field)
        return broken(c, "action has no field");
    werror why;
    if (a->kind == WAST_ACTION_INVOKE && !read_args(action, a, &why))
        return broken(c, why.msg);
    return true;
}

static bool read_expected(const cJSON *obj, wast_cmd *c)
{
    werror why;
    wast_value *values = NULL;
    size_t n = 0;
    if (!read_values(cJSON_GetObjectItemCaseSensitive(obj, "expected"), &values, &n, &why)) {
        char what[WERROR_MAX + 32];
        snprintf(what, sizeof what, "bad expected value: %s", why.msg);
        return broken(c, what);
    }
    c->expected = wcalloc(n, sizeof *c->expected);
    if (!c->expected) {
        free(values);
        return broken(c, "out of memory");
    }
    /* each result gets its own one-element list, so freeing is uniform */
    for (size_t i = 0; i < n; i++) {
        c->expected[i].alts = malloc(sizeof *c->expected[i].alts);
        if (!c->expected[i].alts) {
            c->nexpected = i;
            free(values);
            return broken(c, "out of memory");
        }
        c->expected[i].alts[0] = values[i];
        c->expected[i].nalts = 1;
    }
    c->nexpected = n;
    free(values);
    return true;
}

/* ---- commands ----------------------------------------------------------- */

typedef struct json_kind {
    const char *type;
    wast_cmd_kind kind;
} json_kind;

static const json_kind json_kinds[] = {
    {"module", WAST_CMD_MODULE},
    {"register", WAST_CMD_REGISTER},
    {"action", WAST_CMD_ACTION},
    {"assert_return", WAST_CMD_ASSERT_RETURN},
    {"assert_trap", WAST_CMD_ASSERT_TRAP},
    {"assert_exhaustion", WAST_CMD_ASSERT_EXHAUSTION},
    {"assert_exception", WAST_CMD_ASSERT_EXCEPTION},
    {"assert_invalid", WAST_CMD_ASSERT_INVALID},
    {"assert_malformed", WAST_CMD_ASSERT_MALFORMED},
    {"assert_unlinkable", WAST_CMD_ASSERT_UNLINKABLE},
    {"assert_uninstantiable", WAST_CMD_ASSERT_UNINSTANTIABLE},
};

static bool kind_of(const char *type, wast_cmd_kind *out)
{
    for (size_t i = 0; type && i < sizeof json_kinds / sizeof json_kinds[0]; i++) {
        if (strcmp(json_kinds[i].type, type) == 0) {
            *out = json_kinds[i].kind;
            return true;
        }
    }
    return false;
}

static void read_command(json_reader *r, const cJSON *obj, wast_cmd *c)
{
    const cJSON *line = cJSON_GetObjectItemCaseSensitive(obj, "line");
    c->line = cJSON_IsNumber(line) ? line->valueint : 0;
    const char *type = string_field(obj, "type");
    if (!kind_of(type, &c->kind)) {
        werror_set(&c->problem, "unknown command type \"%s\"", type ? type : "?");
        c->kind = WAST_CMD_BROKEN;
        return;
    }
    c->text = copy_field(obj, "text");
    switch (c->kind) {
    case WAST_CMD_MODULE:
        c->name = copy_field(obj, "name");
        read_module(r, obj, &c->module);
        break;
    case WAST_CMD_REGISTER:
        c->name = copy_field(obj, "name");
        c->as = copy_field(obj, "as");
        break;
    case WAST_CMD_ASSERT_RETURN:
        if (read_action(obj, c))
            read_expected(obj, c);
        break;
    case WAST_CMD_ASSERT_TRAP:
        if (cJSON_GetObjectItemCaseSensitive(obj, "action"))
            read_action(obj, c);
        else
            read_module(r, obj, &c->module);
        break;
    case WAST_CMD_ACTION:
    case WAST_CMD_ASSERT_EXHAUSTION:
    case WAST_CMD_ASSERT_EXCEPTION:
        read_action(obj, c);
        break;
    case WAST_CMD_ASSERT_INVALID:
    case WAST_CMD_ASSERT_MALFORMED:
    case WAST_CMD_ASSERT_UNLINKABLE:
    case WAST_CMD_ASSERT_UNINSTANTIABLE:
        read_module(r, obj, &c->module);
        break;
    case WAST_CMD_BROKEN:
        break;
    }
}

static bool json_next(wast_reader *base, wast_cmd *c)
{
    json_reader *r = (json_reader *)base;
    memset(c, 0, sizeof *c);
    if (!r->next)
        return false;
    read_command(r, r->next, c);
    r->next = r->next->next;
    return true;
}

static void json_close(wast_reader *base)
{
    json_reader *r = (json_reader *)base;
    cJSON_Delete(r->json);
    free(r->dir);
    free(r);
}

wast_reader *wast_json_open(const char *path, werror *why)
{
    json_reader *r = calloc(1, sizeof *r);
    if (!r) {
        werror_set(why, "out of memory");
        return NULL;
    }
    r->base.next = json_next;
    r->base.close = json_close;
    r->base.source = path;
    r->dir = dir_of(path);
    r->json = r->dir ? read_json(path, why) : NULL;
    if (!r->dir)
        werror_set(why, "out of memory");
    const cJSON *commands = cJSON_GetObjectItemCaseSensitive(r->json, "commands");
    if (r->json && !cJSON_IsArray(commands))
        werror_set(why, "no \"commands\" array");
    if (!r->json || !cJSON_IsArray(commands)) {
        json_close(&r->base);
        return NULL;
    }
    const char *source = string_field(r->json, "source_filename");
    if (source)
        r->base.source = source;
    r->next = commands->child;
    return &r->base;
}
