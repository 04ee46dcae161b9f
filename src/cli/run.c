/* `ward run` and `ward validate`: load a module, instantiate it, call into it. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../host/file.h"
#include "cli.h"

typedef struct run_options {
    const char *invoke;     /* export to call, or NULL for _start */
    const char *path;
    bool fuel_set;
    uint64_t fuel;
    bool stats;
    int nargs;              /* arguments after the file */
    char **args;
} run_options;

/* Everything a run creates, freed in reverse order. */
typedef struct run_state {
    ward_engine *engine;
    ward_module *module;
    ward_store *store;
    ward_instance *instance;
} run_state;

static int run_usage(void)
{
    fprintf(stderr, "usage: ward run [--fuel N] [--stats] [--invoke NAME] FILE.wasm [ARGS...]\n");
    return CLI_EXIT_USAGE;
}

static bool parse_fuel(const char *text, uint64_t *out)
{
    if (!text || text[0] < '0' || text[0] > '9')
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

/* Options come before the file; everything after it is an argument (so
 * negative numbers need no escaping). */
static bool parse_run_options(int argc, char **argv, run_options *o)
{
    memset(o, 0, sizeof *o);
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
        if (strcmp(argv[i], "--invoke") == 0 && i + 1 < argc)
            o->invoke = argv[++i];
        else if (strcmp(argv[i], "--fuel") == 0 && i + 1 < argc && parse_fuel(argv[i + 1], &o->fuel)) {
            o->fuel_set = true;
            i++;
        } else if (strcmp(argv[i], "--stats") == 0)
            o->stats = true;
        else
            return false;
    }
    if (i >= argc)
        return false;
    o->path = argv[i];
    o->nargs = argc - i - 1;
    o->args = argv + i + 1;
    return true;
}

/* Read, decode and validate; prints the error itself. */
static ward_module *load_module(ward_engine *engine, const char *path)
{
    werror why;
    size_t size = 0;
    uint8_t *bytes = wfile_read(path, &size, &why);
    if (!bytes) {
        fprintf(stderr, "ward: %s\n", why.msg);
        return NULL;
    }
    ward_error err = {{0}};
    ward_module *m = ward_module_new(engine, bytes, size, &err);
    free(bytes);
    if (!m)
        fprintf(stderr, "ward: %s: %s\n", path, err.message);
    return m;
}

static void print_frame(FILE *out, uint32_t func_index, const char *name, uint32_t offset)
{
    fprintf(out, "function %" PRIu32, func_index);
    if (name)
        fprintf(out, " <%s>", name);
    fprintf(out, " at offset 0x%" PRIx32, offset);
}

/* "trap: MESSAGE in function N <name> at offset 0xX", then the backtrace. */
static void print_trap(const ward_trap *trap)
{
    fprintf(stderr, "trap: %s", trap->message);
    if (trap->nframes > 0) {
        fprintf(stderr, " in ");
        print_frame(stderr, trap->func_index, trap->func_name, trap->offset);
    }
    fputc('\n', stderr);
    uint32_t n = trap->nframes < WARD_BACKTRACE_MAX ? trap->nframes : WARD_BACKTRACE_MAX;
    for (uint32_t i = 0; i < n; i++) {
        fprintf(stderr, "  #%" PRIu32 " ", i);
        print_frame(stderr, trap->backtrace[i].func_index, trap->backtrace[i].func_name,
                    trap->backtrace[i].offset);
        fputc('\n', stderr);
    }
}

static bool parse_args(const run_options *o, const char *name, const ward_functype *type, ward_val *args)
{
    if ((uint32_t)o->nargs != type->nparams) {
        fprintf(stderr, "ward: %s takes %" PRIu32 " argument(s), %d given\n", name, type->nparams,
                o->nargs);
        return false;
    }
    for (uint32_t i = 0; i < type->nparams; i++) {
        if (!cli_parse_value(o->args[i], type->params[i], &args[i])) {
            fprintf(stderr, "ward: argument %" PRIu32 " \"%s\" is not a valid %s\n", i + 1, o->args[i],
                    cli_kind_name(type->params[i]));
            return false;
        }
    }
    return true;
}

static void print_results(const ward_val *results, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        char text[128];
        cli_format_value(&results[i], text, sizeof text);
        printf("%s\n", text);
    }
}

/* Call f with the command-line arguments and print its results. */
static int call_and_print(ward_store *store, ward_func *f, const char *name, const run_options *o)
{
    ward_functype type;
    ward_func_type(f, &type);
    ward_val *args = wcalloc(type.nparams, sizeof *args);
    ward_val *results = wcalloc(type.nresults, sizeof *results);
    int status = CLI_EXIT_USAGE;
    if (!args || !results) {
        fprintf(stderr, "ward: out of memory\n");
    } else if (parse_args(o, name, &type, args)) {
        for (uint32_t i = 0; i < type.nresults; i++)
            results[i].kind = type.results[i];
        ward_trap trap = {0};
        ward_result r = ward_call(store, f, args, type.nparams, results, type.nresults, &trap);
        if (r == WARD_OK)
            print_results(results, type.nresults);
        else if (r == WARD_TRAP)
            print_trap(&trap);
        else
            fprintf(stderr, "ward: the call was refused\n");
        status = r == WARD_OK ? CLI_EXIT_OK : r == WARD_TRAP ? CLI_EXIT_TRAP : CLI_EXIT_USAGE;
    }
    free(args);
    free(results);
    return status;
}

static int instantiate(run_state *st)
{
    ward_error err = {{0}};
    ward_trap trap = {0};
    ward_result r = ward_instantiate(st->store, st->module, NULL, &st->instance, &err, &trap);
    if (r == WARD_TRAP) {
        print_trap(&trap);
        return CLI_EXIT_TRAP;
    }
    if (r != WARD_OK) {
        fprintf(stderr, "ward: instantiation failed: %s\n", err.message);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

/* After instantiation (which ran the start function): the requested export,
 * or _start when there is one. */
static int run_entry(run_state *st, const run_options *o)
{
    if (!o->invoke && o->nargs > 0) {
        fprintf(stderr, "ward: arguments need --invoke NAME\n");
        return CLI_EXIT_USAGE;
    }
    const char *name = o->invoke ? o->invoke : "_start";
    ward_func *f = ward_instance_func(st->instance, name);
    if (f)
        return call_and_print(st->store, f, name, o);
    if (o->invoke) {
        fprintf(stderr, "ward: no exported function \"%s\"\n", o->invoke);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

static int run_module(run_state *st, const run_options *o)
{
    st->engine = ward_engine_new(NULL);
    if (!st->engine)
        return CLI_EXIT_USAGE;
    st->module = load_module(st->engine, o->path);
    if (!st->module)
        return CLI_EXIT_USAGE;
    st->store = ward_store_new(st->engine);
    if (!st->store)
        return CLI_EXIT_USAGE;
    /* --stats alone meters with an unreachable budget, so the count is real. */
    if (o->fuel_set || o->stats)
        ward_store_set_fuel(st->store, o->fuel_set ? o->fuel : UINT64_MAX);
    int status = instantiate(st);
    if (status == CLI_EXIT_OK)
        status = run_entry(st, o);
    if (o->stats)
        fprintf(stderr, "fuel consumed: %" PRIu64 "\n", ward_store_fuel_consumed(st->store));
    return status;
}

int cli_run(int argc, char **argv)
{
    run_options o;
    if (!parse_run_options(argc, argv, &o))
        return run_usage();
    run_state st = {0};
    int status = run_module(&st, &o);
    if (st.store)
        ward_store_free(st.store);
    if (st.module)
        ward_module_free(st.module);
    if (st.engine)
        ward_engine_free(st.engine);
    return status;
}

int cli_validate(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: ward validate FILE.wasm\n");
        return CLI_EXIT_USAGE;
    }
    ward_engine *engine = ward_engine_new(NULL);
    if (!engine)
        return CLI_EXIT_USAGE;
    ward_module *m = load_module(engine, argv[1]);
    bool valid = m != NULL;
    if (valid) {
        printf("OK\n");
        ward_module_free(m);
    }
    ward_engine_free(engine);
    return valid ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}
