/* The commands of a wast2json script: modules, actions and assertions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/host/file.h"
#include "wast_internal.h"
#include "wast_values.h"

/* Room for a rendered list of values in a failure report. */
#define VALUES_TEXT_MAX 1024

static const char *string_field(const cJSON *obj, const char *name)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, name));
}

/* An export name from the script, with its NUL bytes restored; *len is
 * exact.  The caller frees it. */
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

/* ---- modules and names -------------------------------------------------- */

typedef enum load_status {
    LOAD_OK,        /* decoded and validated */
    LOAD_REJECTED,  /* ward refused the bytes (why says how) */
    LOAD_NO_FILE,   /* the script is broken: no such file */
} load_status;

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

static bool keep_module(wast_script *s, ward_module *m)
{
    if (!wgrow((void **)&s->modules, &s->cap_modules, s->nmodules + 1, sizeof *s->modules))
        return false;
    s->modules[s->nmodules++] = m;
    return true;
}

/* Load the command's "filename"; on LOAD_OK the script owns *out. */
static load_status load_module(wast_script *s, const cJSON *cmd, ward_module **out, werror *why)
{
    const char *filename = string_field(cmd, "filename");
    if (!filename) {
        werror_set(why, "command has no filename");
        return LOAD_NO_FILE;
    }
    char *path = join_path(s->dir, filename);
    size_t size = 0;
    uint8_t *bytes = path ? wfile_read(path, &size, why) : NULL;
    free(path);
    if (!bytes)
        return LOAD_NO_FILE;
    ward_error err = {0};
    ward_module *m = ward_module_new(s->engine, bytes, size, &err);
    free(bytes);
    if (!m) {
        werror_set(why, "%s: %s", filename, err.message);
        return LOAD_REJECTED;
    }
    if (!keep_module(s, m)) {
        ward_module_free(m);
        werror_set(why, "out of memory");
        return LOAD_NO_FILE;
    }
    *out = m;
    return LOAD_OK;
}

/* Name `name` now stands for inst (which may be NULL after a failure). */
static bool bind_name(wast_script *s, const char *name, ward_instance *inst)
{
    for (size_t i = 0; i < s->nnamed; i++) {
        if (strcmp(s->named[i].name, name) == 0) {
            s->named[i].inst = inst;
            return true;
        }
    }
    if (!wgrow((void **)&s->named, &s->cap_named, s->nnamed + 1, sizeof *s->named))
        return false;
    char *copy = malloc(strlen(name) + 1);
    if (!copy)
        return false;
    strcpy(copy, name);
    s->named[s->nnamed++] = (wast_named){copy, inst};
    return true;
}

/* The instance a command addresses: its "module" name, else the current one. */
static ward_instance *find_instance(wast_script *s, const char *name, werror *why)
{
    if (!name) {
        if (!s->current)
            werror_set(why, "no current module (the last module command failed)");
        return s->current;
    }
    for (size_t i = 0; i < s->nnamed; i++) {
        if (strcmp(s->named[i].name, name) == 0) {
            if (!s->named[i].inst)
                werror_set(why, "module %s failed earlier", name);
            return s->named[i].inst;
        }
    }
    werror_set(why, "no module named %s", name);
    return NULL;
}

static const char *result_text(ward_result r, const ward_error *err, const ward_trap *trap)
{
    if (r == WARD_TRAP)
        return trap->message;
    return r == WARD_ERROR ? err->message : "no error";
}

/* ---- actions ------------------------------------------------------------ */

typedef struct action_outcome {
    ward_result result;
    ward_trap trap;
    werror error;       /* when result is WARD_ERROR */
    ward_val *values;   /* results, owned */
    size_t nvalues;
} action_outcome;

static void outcome_error(action_outcome *out, werror *why)
{
    out->result = WARD_ERROR;
    out->error = *why;
}

static ward_val *parse_args(const cJSON *args, size_t *nargs, werror *why)
{
    int count = cJSON_IsArray(args) ? cJSON_GetArraySize(args) : 0;
    ward_val *vals = wmalloc_array((size_t)count, sizeof *vals);
    if (!vals) {
        werror_set(why, "out of memory");
        return NULL;
    }
    size_t i = 0;
    const cJSON *arg;
    cJSON_ArrayForEach(arg, args)
    {
        wast_value v;
        bool ok = wast_parse_value(arg, &v, why);
        if (ok && (v.any || v.nan[0] != WAST_NAN_NONE))
            ok = werror_set(why, "argument %zu is not a concrete value", i);
        if (!ok) {
            free(vals);
            return NULL;
        }
        vals[i++] = v.val;
    }
    *nargs = i;
    return vals;
}

static void invoke(wast_script *s, ward_instance *inst, const cJSON *action, action_outcome *out)
{
    werror why;
    const char *field = string_field(action, "field");
    size_t len = 0;
    char *name = field ? decode_name(field, &len) : NULL;
    ward_func *f = name ? ward_instance_func_n(inst, name, len) : NULL;
    free(name);
    if (!f) {
        werror_set(&why, "no exported function \"%s\"", field ? field : "?");
        outcome_error(out, &why);
        return;
    }
    size_t nargs = 0;
    ward_val *args = parse_args(cJSON_GetObjectItemCaseSensitive(action, "args"), &nargs, &why);
    if (!args) {
        outcome_error(out, &why);
        return;
    }
    ward_functype type;
    ward_func_type(f, &type);
    out->values = wcalloc(type.nresults, sizeof *out->values);
    if (!out->values) {
        free(args);
        werror_set(&why, "out of memory");
        outcome_error(out, &why);
        return;
    }
    out->nvalues = type.nresults;
    for (uint32_t i = 0; i < type.nresults; i++)
        out->values[i].kind = type.results[i];
    out->result = ward_call(s->store, f, args, nargs, out->values, out->nvalues, &out->trap);
    if (out->result == WARD_ERROR)
        werror_set(&out->error, "ward_call refused the call (arguments do not match the type?)");
    free(args);
}

static void get_global(ward_instance *inst, const cJSON *action, action_outcome *out)
{
    werror why;
    const char *field = string_field(action, "field");
    size_t len = 0;
    char *name = field ? decode_name(field, &len) : NULL;
    ward_global *g = name ? ward_instance_global_n(inst, name, len) : NULL;
    free(name);
    out->values = g ? wcalloc(1, sizeof *out->values) : NULL;
    if (!out->values) {
        werror_set(&why, g ? "out of memory" : "no exported global \"%s\"", field ? field : "?");
        outcome_error(out, &why);
        return;
    }
    out->values[0] = ward_global_get(g);
    out->nvalues = 1;
    out->result = WARD_OK;
}

/* Run the command's "action"; the caller frees out->values. */
static void run_action(wast_script *s, const cJSON *cmd, action_outcome *out)
{
    memset(out, 0, sizeof *out);
    werror why;
    const cJSON *action = cJSON_GetObjectItemCaseSensitive(cmd, "action");
    const char *type = string_field(action, "type");
    ward_instance *inst = find_instance(s, string_field(action, "module"), &why);
    if (!inst) {
        outcome_error(out, &why);
    } else if (type && strcmp(type, "invoke") == 0) {
        invoke(s, inst, action, out);
    } else if (type && strcmp(type, "get") == 0) {
        get_global(inst, action, out);
    } else {
        werror_set(&why, "unknown action type \"%s\"", type ? type : "?");
        outcome_error(out, &why);
    }
}

static const char *outcome_text(const action_outcome *out)
{
    if (out->result == WARD_TRAP)
        return out->trap.message;
    return out->result == WARD_ERROR ? out->error.msg : "returned normally";
}

static const char *action_field(const cJSON *cmd)
{
    const char *field = string_field(cJSON_GetObjectItemCaseSensitive(cmd, "action"), "field");
    return field ? field : "?";
}

/* ---- assertions on results ---------------------------------------------- */

/* wast2json's expected text and ward's message agree when one is a prefix of
 * the other ("uninitialized element 2" vs "uninitialized element"). */
static bool message_matches(const char *expected, const char *got)
{
    size_t le = strlen(expected), lg = strlen(got);
    if (lg == 0)
        return false;
    return strncmp(expected, got, le < lg ? le : lg) == 0;
}

static void append_text(char *buf, size_t size, const char *text)
{
    size_t used = strlen(buf);
    if (used < size)
        snprintf(buf + used, size - used, "%s%s", used ? ", " : "", text);
}

static void format_results(const action_outcome *out, const wast_value *expected, size_t nexpected,
                           char *buf, size_t size)
{
    buf[0] = 0;
    for (size_t i = 0; i < out->nvalues; i++) {
        char one[256];
        unsigned lane_bits = i < nexpected ? expected[i].lane_bits : 0;
        wast_format_val(&out->values[i], lane_bits, one, sizeof one);
        append_text(buf, size, one);
    }
}

static void format_expected(const wast_value *expected, size_t n, char *buf, size_t size)
{
    buf[0] = 0;
    for (size_t i = 0; i < n; i++) {
        char one[256];
        wast_format_expected(&expected[i], one, sizeof one);
        append_text(buf, size, one);
    }
}

/* Parse the "expected" array; NULL with *why when malformed. */
static wast_value *parse_expected(const cJSON *cmd, size_t *count, werror *why)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(cmd, "expected");
    int n = cJSON_IsArray(list) ? cJSON_GetArraySize(list) : 0;
    wast_value *values = wmalloc_array((size_t)n, sizeof *values);
    if (!values) {
        werror_set(why, "out of memory");
        return NULL;
    }
    size_t i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, list)
    {
        if (!wast_parse_value(item, &values[i++], why)) {
            free(values);
            return NULL;
        }
    }
    *count = i;
    return values;
}

static bool results_match(const action_outcome *out, const wast_value *expected, size_t n)
{
    if (out->nvalues != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!wast_value_matches(&expected[i], &out->values[i]))
            return false;
    }
    return true;
}

static void check_results(wast_script *s, const cJSON *cmd, const action_outcome *out)
{
    werror why;
    size_t n = 0;
    wast_value *expected = parse_expected(cmd, &n, &why);
    if (!expected) {
        wast_fail(s, "assert_return \"%s\": bad expected value: %s", action_field(cmd), why.msg);
        return;
    }
    if (results_match(out, expected, n)) {
        wast_pass(s);
    } else {
        char want[VALUES_TEXT_MAX], got[VALUES_TEXT_MAX];
        format_expected(expected, n, want, sizeof want);
        format_results(out, expected, n, got, sizeof got);
        wast_fail(s, "assert_return \"%s\": expected (%s), got (%s)", action_field(cmd), want, got);
    }
    free(expected);
}

static void cmd_assert_return(wast_script *s, const cJSON *cmd)
{
    action_outcome out;
    run_action(s, cmd, &out);
    if (out.result != WARD_OK)
        wast_fail(s, "assert_return \"%s\": %s", action_field(cmd), outcome_text(&out));
    else
        check_results(s, cmd, &out);
    free(out.values);
}

static void cmd_action(wast_script *s, const cJSON *cmd)
{
    action_outcome out;
    run_action(s, cmd, &out);
    if (out.result == WARD_OK)
        wast_pass(s);
    else
        wast_fail(s, "action \"%s\": %s", action_field(cmd), outcome_text(&out));
    free(out.values);
}

/* assert_trap and assert_exhaustion on an action. */
static void expect_action_trap(wast_script *s, const cJSON *cmd)
{
    const char *text = string_field(cmd, "text");
    const char *kind = string_field(cmd, "type");
    action_outcome out;
    run_action(s, cmd, &out);
    if (!text)
        wast_fail(s, "%s \"%s\": command has no text", kind, action_field(cmd));
    else if (out.result == WARD_TRAP && message_matches(text, out.trap.message))
        wast_pass(s);
    else
        wast_fail(s, "%s \"%s\": expected trap \"%s\", got %s%s", kind, action_field(cmd), text,
                  out.result == WARD_TRAP ? "trap " : "", outcome_text(&out));
    free(out.values);
}

/* assert_exception (exceptions proposal): the action ends in an exception
 * no wasm code caught, which ward reports as an "uncaught exception" trap. */
static void cmd_assert_exception(wast_script *s, const cJSON *cmd)
{
    action_outcome out;
    run_action(s, cmd, &out);
    if (out.result == WARD_TRAP && out.trap.kind == WARD_TRAP_UNCAUGHT_EXCEPTION)
        wast_pass(s);
    else
        wast_fail(s, "assert_exception \"%s\": expected an uncaught exception, got %s%s", action_field(cmd),
                  out.result == WARD_TRAP ? "trap " : "", outcome_text(&out));
    free(out.values);
}

/* ---- assertions on modules ---------------------------------------------- */

static bool is_text_module(const cJSON *cmd)
{
    const char *type = string_field(cmd, "module_type");
    return type && strcmp(type, "text") == 0;
}

/* assert_invalid and assert_malformed: the binary must be refused. */
static void cmd_assert_rejected(wast_script *s, const cJSON *cmd)
{
    const char *kind = string_field(cmd, "type");
    if (is_text_module(cmd)) {
        wast_skip(s);
        return;
    }
    ward_module *m = NULL;
    werror why;
    switch (load_module(s, cmd, &m, &why)) {
    case LOAD_REJECTED:
        wast_pass(s);
        break;
    case LOAD_OK:
        wast_fail(s, "%s: module was accepted, expected \"%s\"", kind, string_field(cmd, "text"));
        break;
    case LOAD_NO_FILE:
        wast_fail(s, "%s: %s", kind, why.msg);
        break;
    }
}

/* assert_unlinkable (WARD_ERROR) and assert_uninstantiable / assert_trap on a
 * module (WARD_TRAP with the expected message). */
static void expect_instantiation_failure(wast_script *s, const cJSON *cmd, ward_result expected)
{
    const char *kind = string_field(cmd, "type");
    const char *text = string_field(cmd, "text");
    if (is_text_module(cmd)) {
        wast_skip(s);
        return;
    }
    ward_module *m = NULL;
    werror why;
    if (load_module(s, cmd, &m, &why) != LOAD_OK) {
        wast_fail(s, "%s: %s", kind, why.msg);
        return;
    }
    ward_instance *inst = NULL;
    ward_error err = {0};
    ward_trap trap = {0};
    ward_result r = ward_instantiate(s->store, m, s->linker, &inst, &err, &trap);
    bool text_ok = expected != WARD_TRAP || (text && message_matches(text, trap.message));
    if (r == expected && text_ok)
        wast_pass(s);
    else
        wast_fail(s, "%s: expected %s \"%s\", got %s: %s", kind, expected == WARD_TRAP ? "trap" : "error",
                  text ? text : "?", r == WARD_OK ? "success" : r == WARD_TRAP ? "trap" : "error",
                  result_text(r, &err, &trap));
}

static void cmd_assert_unlinkable(wast_script *s, const cJSON *cmd)
{
    expect_instantiation_failure(s, cmd, WARD_ERROR);
}

static void cmd_assert_uninstantiable(wast_script *s, const cJSON *cmd)
{
    expect_instantiation_failure(s, cmd, WARD_TRAP);
}

static void cmd_assert_trap(wast_script *s, const cJSON *cmd)
{
    if (cJSON_GetObjectItemCaseSensitive(cmd, "action"))
        expect_action_trap(s, cmd);
    else
        expect_instantiation_failure(s, cmd, WARD_TRAP);
}

/* ---- module and register ------------------------------------------------ */

/* A module command is not a test of its own: it counts only when it fails. */
static void cmd_module(wast_script *s, const cJSON *cmd)
{
    const char *name = string_field(cmd, "name");
    ward_instance *inst = NULL;
    ward_module *m = NULL;
    werror why;
    if (is_text_module(cmd)) {
        wast_skip(s);
    } else if (load_module(s, cmd, &m, &why) != LOAD_OK) {
        wast_fail(s, "module: %s", why.msg);
    } else {
        ward_error err = {0};
        ward_trap trap = {0};
        ward_result r = ward_instantiate(s->store, m, s->linker, &inst, &err, &trap);
        if (r != WARD_OK) {
            inst = NULL;
            wast_fail(s, "module %s: instantiation failed: %s", string_field(cmd, "filename"),
                      result_text(r, &err, &trap));
        }
    }
    s->current = inst;
    if (name && !bind_name(s, name, inst))
        wast_fail(s, "module %s: out of memory", name);
}

/* Like a module command, register counts only when it fails. */
static void cmd_register(wast_script *s, const cJSON *cmd)
{
    const char *as = string_field(cmd, "as");
    werror why;
    ward_instance *inst = find_instance(s, string_field(cmd, "name"), &why);
    if (!as)
        wast_fail(s, "register: no \"as\" name");
    else if (!inst)
        wast_fail(s, "register %s: %s", as, why.msg);
    else if (ward_linker_define_instance(s->linker, as, inst) != WARD_OK)
        wast_fail(s, "register %s: the linker refused the instance", as);
}

/* ---- dispatch ----------------------------------------------------------- */

typedef void (*command_fn)(wast_script *s, const cJSON *cmd);

typedef struct command_kind {
    const char *type;
    command_fn run;
} command_kind;

static const command_kind command_kinds[] = {
    {"module", cmd_module},
    {"register", cmd_register},
    {"action", cmd_action},
    {"assert_return", cmd_assert_return},
    {"assert_trap", cmd_assert_trap},
    {"assert_exhaustion", expect_action_trap},
    {"assert_exception", cmd_assert_exception},
    {"assert_invalid", cmd_assert_rejected},
    {"assert_malformed", cmd_assert_rejected},
    {"assert_unlinkable", cmd_assert_unlinkable},
    {"assert_uninstantiable", cmd_assert_uninstantiable},
};

void wast_run_command(wast_script *s, const cJSON *cmd)
{
    const cJSON *line = cJSON_GetObjectItemCaseSensitive(cmd, "line");
    s->line = cJSON_IsNumber(line) ? line->valueint : 0;
    const char *type = string_field(cmd, "type");
    for (size_t i = 0; type && i < sizeof command_kinds / sizeof command_kinds[0]; i++) {
        if (strcmp(command_kinds[i].type, type) == 0) {
            command_kinds[i].run(s, cmd);
            return;
        }
    }
    wast_fail(s, "unknown command type \"%s\"", type ? type : "?");
}
