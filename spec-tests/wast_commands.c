/*
 * The engine: runs one command record (wast_cmd.h), whichever reader made
 * it: modules, actions and assertions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wast_internal.h"
#include "wast_values.h"

/* Room for a rendered list of values in a failure report. */
#define VALUES_TEXT_MAX 1024

/* ---- modules and names -------------------------------------------------- */

typedef enum load_status {
    LOAD_OK,        /* decoded and validated */
    LOAD_REJECTED,  /* ward refused the module, as text or as binary (why says how) */
    LOAD_NO_FILE,   /* the script is broken: no such file */
} load_status;

static bool keep_module(wast_script *s, ward_module *m)
{
    if (!wgrow((void **)&s->modules, &s->cap_modules, s->nmodules + 1, sizeof *s->modules))
        return false;
    s->modules[s->nmodules++] = m;
    return true;
}

/* Decode and validate the command's module; on LOAD_OK the script owns *out.
 * Callers skip WAST_MODULE_UNREAD modules before. */
static load_status load_module(wast_script *s, const wast_module_src *src, ward_module **out, werror *why)
{
    if (src->form == WAST_MODULE_MALFORMED) {
        *why = src->problem;
        return LOAD_REJECTED;
    }
    if (src->form != WAST_MODULE_BINARY) {
        *why = src->problem;
        if (src->form != WAST_MODULE_MISSING)
            werror_set(why, "command has no module");
        return LOAD_NO_FILE;
    }
    ward_error err = {0};
    ward_module *m = ward_module_new(s->engine, src->bytes, src->size, &err);
    if (!m) {
        if (src->label)
            werror_set(why, "%s: %s", src->label, err.message);
        else
            werror_set(why, "%s", err.message);
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

static ward_val *action_args(const wast_action *a, werror *why)
{
    ward_val *vals = wmalloc_array(a->nargs, sizeof *vals);
    if (!vals) {
        werror_set(why, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < a->nargs; i++)
        vals[i] = a->args[i].val;
    return vals;
}

static void invoke(wast_script *s, ward_instance *inst, const wast_action *a, action_outcome *out)
{
    werror why;
    ward_func *f = ward_instance_func_n(inst, a->field, a->field_len);
    if (!f) {
        werror_set(&why, "no exported function \"%s\"", a->field);
        outcome_error(out, &why);
        return;
    }
    ward_val *args = action_args(a, &why);
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
    out->result = ward_call(s->store, f, args, a->nargs, out->values, out->nvalues, &out->trap);
    if (out->result == WARD_ERROR)
        werror_set(&out->error, "ward_call refused the call (arguments do not match the type?)");
    free(args);
}

static void get_global(ward_instance *inst, const wast_action *a, action_outcome *out)
{
    werror why;
    ward_global *g = ward_instance_global_n(inst, a->field, a->field_len);
    out->values = g ? wcalloc(1, sizeof *out->values) : NULL;
    if (!out->values) {
        werror_set(&why, g ? "out of memory" : "no exported global \"%s\"", a->field);
        outcome_error(out, &why);
        return;
    }
    out->values[0] = ward_global_get(g);
    out->nvalues = 1;
    out->result = WARD_OK;
}

/* Run the command's action; the caller frees out->values. */
static void run_action(wast_script *s, const wast_cmd *cmd, action_outcome *out)
{
    memset(out, 0, sizeof *out);
    werror why;
    const wast_action *a = &cmd->action;
    ward_instance *inst = find_instance(s, a->module, &why);
    if (!inst) {
        outcome_error(out, &why);
    } else if (a->kind == WAST_ACTION_INVOKE) {
        invoke(s, inst, a, out);
    } else if (a->kind == WAST_ACTION_GET) {
        get_global(inst, a, out);
    } else {
        werror_set(&why, "command has no action");
        outcome_error(out, &why);
    }
}

static const char *outcome_text(const action_outcome *out)
{
    if (out->result == WARD_TRAP)
        return out->trap.message;
    return out->result == WARD_ERROR ? out->error.msg : "returned normally";
}

static const char *action_field(const wast_cmd *cmd)
{
    return cmd->action.field ? cmd->action.field : "?";
}

/* The assertion's name in failure reports. */
static const char *kind_name(wast_cmd_kind kind)
{
    static const char *const names[] = {
        [WAST_CMD_MODULE] = "module",
        [WAST_CMD_REGISTER] = "register",
        [WAST_CMD_ACTION] = "action",
        [WAST_CMD_ASSERT_RETURN] = "assert_return",
        [WAST_CMD_ASSERT_TRAP] = "assert_trap",
        [WAST_CMD_ASSERT_EXHAUSTION] = "assert_exhaustion",
        [WAST_CMD_ASSERT_EXCEPTION] = "assert_exception",
        [WAST_CMD_ASSERT_INVALID] = "assert_invalid",
        [WAST_CMD_ASSERT_MALFORMED] = "assert_malformed",
        [WAST_CMD_ASSERT_UNLINKABLE] = "assert_unlinkable",
        [WAST_CMD_ASSERT_UNINSTANTIABLE] = "assert_uninstantiable",
        [WAST_CMD_BROKEN] = "command",
    };
    return names[kind];
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

/* The lane width to show a result in: its expectation's (first alternative). */
static unsigned expected_lane_bits(const wast_result *expected, size_t nexpected, size_t i)
{
    return i < nexpected && expected[i].nalts ? expected[i].alts[0].lane_bits : 0;
}

static void format_results(const action_outcome *out, const wast_result *expected, size_t nexpected,
                           char *buf, size_t size)
{
    buf[0] = 0;
    for (size_t i = 0; i < out->nvalues; i++) {
        char one[256];
        wast_format_val(&out->values[i], expected_lane_bits(expected, nexpected, i), one, sizeof one);
        append_text(buf, size, one);
    }
}

/* An (either a b) result reads "either(a | b)". */
static void format_result(const wast_result *r, char *buf, size_t size)
{
    if (r->nalts == 1) {
        wast_format_expected(&r->alts[0], buf, size);
        return;
    }
    size_t used = (size_t)snprintf(buf, size, "either(");
    for (size_t i = 0; i < r->nalts && used < size; i++) {
        char one[256];
        wast_format_expected(&r->alts[i], one, sizeof one);
        used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? " | " : "", one);
    }
    if (used < size)
        snprintf(buf + used, size - used, ")");
}

static void format_expected(const wast_result *expected, size_t n, char *buf, size_t size)
{
    buf[0] = 0;
    for (size_t i = 0; i < n; i++) {
        char one[512];
        format_result(&expected[i], one, sizeof one);
        append_text(buf, size, one);
    }
}

static bool result_matches(const wast_result *r, const ward_val *got)
{
    for (size_t i = 0; i < r->nalts; i++) {
        if (wast_value_matches(&r->alts[i], got))
            return true;
    }
    return false;
}

static bool results_match(const action_outcome *out, const wast_result *expected, size_t n)
{
    if (out->nvalues != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!result_matches(&expected[i], &out->values[i]))
            return false;
    }
    return true;
}

static void check_results(wast_script *s, const wast_cmd *cmd, const action_outcome *out)
{
    if (results_match(out, cmd->expected, cmd->nexpected)) {
        wast_pass(s);
        return;
    }
    char want[VALUES_TEXT_MAX], got[VALUES_TEXT_MAX];
    format_expected(cmd->expected, cmd->nexpected, want, sizeof want);
    format_results(out, cmd->expected, cmd->nexpected, got, sizeof got);
    wast_fail(s, "assert_return \"%s\": expected (%s), got (%s)", action_field(cmd), want, got);
}

static void cmd_assert_return(wast_script *s, const wast_cmd *cmd)
{
    action_outcome out;
    run_action(s, cmd, &out);
    if (out.result != WARD_OK)
        wast_fail(s, "assert_return \"%s\": %s", action_field(cmd), outcome_text(&out));
    else
        check_results(s, cmd, &out);
    free(out.values);
}

static void cmd_action(wast_script *s, const wast_cmd *cmd)
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
static void expect_action_trap(wast_script *s, const wast_cmd *cmd)
{
    const char *text = cmd->text;
    const char *kind = kind_name(cmd->kind);
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
static void cmd_assert_exception(wast_script *s, const wast_cmd *cmd)
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

/* assert_invalid and assert_malformed: the module must be refused.  An
 * invalid module is well-formed text, so for assert_invalid the refusal must
 * come from the decoder or validator, not from the text parser. */
static void cmd_assert_rejected(wast_script *s, const wast_cmd *cmd)
{
    const char *kind = kind_name(cmd->kind);
    if (cmd->module.form == WAST_MODULE_UNREAD) {
        wast_skip(s);
        return;
    }
    if (cmd->kind == WAST_CMD_ASSERT_INVALID && cmd->module.form == WAST_MODULE_MALFORMED) {
        wast_fail(s, "%s: the text parser refused the module (%s), expected it to parse and fail validation "
                     "with \"%s\"", kind, cmd->module.problem.msg, cmd->text ? cmd->text : "?");
        return;
    }
    ward_module *m = NULL;
    werror why;
    switch (load_module(s, &cmd->module, &m, &why)) {
    case LOAD_REJECTED:
        wast_pass(s);
        break;
    case LOAD_OK:
        wast_fail(s, "%s: module was accepted, expected \"%s\"", kind, cmd->text);
        break;
    case LOAD_NO_FILE:
        wast_fail(s, "%s: %s", kind, why.msg);
        break;
    }
}

/* assert_unlinkable (WARD_ERROR) and assert_uninstantiable / assert_trap on a
 * module (WARD_TRAP with the expected message). */
static void expect_instantiation_failure(wast_script *s, const wast_cmd *cmd, ward_result expected)
{
    const char *kind = kind_name(cmd->kind);
    const char *text = cmd->text;
    if (cmd->module.form == WAST_MODULE_UNREAD) {
        wast_skip(s);
        return;
    }
    ward_module *m = NULL;
    werror why;
    if (load_module(s, &cmd->module, &m, &why) != LOAD_OK) {
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

static void cmd_assert_unlinkable(wast_script *s, const wast_cmd *cmd)
{
    expect_instantiation_failure(s, cmd, WARD_ERROR);
}

static void cmd_assert_uninstantiable(wast_script *s, const wast_cmd *cmd)
{
    expect_instantiation_failure(s, cmd, WARD_TRAP);
}

static void cmd_assert_trap(wast_script *s, const wast_cmd *cmd)
{
    if (cmd->action.kind != WAST_ACTION_NONE)
        expect_action_trap(s, cmd);
    else
        expect_instantiation_failure(s, cmd, WARD_TRAP);
}

/* ---- module and register ------------------------------------------------ */

/* A module command is not a test of its own: it counts only when it fails. */
static void cmd_module(wast_script *s, const wast_cmd *cmd)
{
    ward_instance *inst = NULL;
    ward_module *m = NULL;
    werror why;
    if (cmd->module.form == WAST_MODULE_UNREAD) {
        wast_skip(s);
    } else if (load_module(s, &cmd->module, &m, &why) != LOAD_OK) {
        wast_fail(s, "module: %s", why.msg);
    } else {
        ward_error err = {0};
        ward_trap trap = {0};
        ward_result r = ward_instantiate(s->store, m, s->linker, &inst, &err, &trap);
        if (r != WARD_OK) {
            inst = NULL;
            wast_fail(s, "module %s: instantiation failed: %s", cmd->module.label ? cmd->module.label : "",
                      result_text(r, &err, &trap));
        }
    }
    s->current = inst;
    if (cmd->name && !bind_name(s, cmd->name, inst))
        wast_fail(s, "module %s: out of memory", cmd->name);
}

/* Like a module command, register counts only when it fails. */
static void cmd_register(wast_script *s, const wast_cmd *cmd)
{
    const char *as = cmd->as;
    werror why;
    ward_instance *inst = find_instance(s, cmd->name, &why);
    if (!as)
        wast_fail(s, "register: no \"as\" name");
    else if (!inst)
        wast_fail(s, "register %s: %s", as, why.msg);
    else if (ward_linker_define_instance(s->linker, as, inst) != WARD_OK)
        wast_fail(s, "register %s: the linker refused the instance", as);
}

static void cmd_broken(wast_script *s, const wast_cmd *cmd)
{
    wast_fail(s, "%s", cmd->problem.msg);
}

/* ---- dispatch ----------------------------------------------------------- */

typedef void (*command_fn)(wast_script *s, const wast_cmd *cmd);

static const command_fn command_runners[] = {
    [WAST_CMD_MODULE] = cmd_module,
    [WAST_CMD_REGISTER] = cmd_register,
    [WAST_CMD_ACTION] = cmd_action,
    [WAST_CMD_ASSERT_RETURN] = cmd_assert_return,
    [WAST_CMD_ASSERT_TRAP] = cmd_assert_trap,
    [WAST_CMD_ASSERT_EXHAUSTION] = expect_action_trap,
    [WAST_CMD_ASSERT_EXCEPTION] = cmd_assert_exception,
    [WAST_CMD_ASSERT_INVALID] = cmd_assert_rejected,
    [WAST_CMD_ASSERT_MALFORMED] = cmd_assert_rejected,
    [WAST_CMD_ASSERT_UNLINKABLE] = cmd_assert_unlinkable,
    [WAST_CMD_ASSERT_UNINSTANTIABLE] = cmd_assert_uninstantiable,
    [WAST_CMD_BROKEN] = cmd_broken,
};

void wast_run_command(wast_script *s, const wast_cmd *cmd)
{
    s->line = cmd->line;
    command_runners[cmd->kind](s, cmd);
}
