/*
 * The spec-test runner's driver: one fresh engine, store and linker (with
 * the spectest module) per script, a reader for its commands (.wast text,
 * or wast2json's JSON), the counts, and the report.
 */
#include "wast.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/host/spectest.h"
#include "wast_internal.h"

/* ---- counting ----------------------------------------------------------- */

void wast_pass(wast_script *s)
{
    s->counts.passed++;
}

void wast_skip(wast_script *s)
{
    s->counts.skipped++;
}

void wast_fail(wast_script *s, const char *fmt, ...)
{
    s->counts.failed++;
    if (!s->verbose)
        return;
    va_list ap;
    va_start(ap, fmt);
    printf("%s:%d: ", s->source, s->line);
    vprintf(fmt, ap);
    putchar('\n');
    va_end(ap);
}

/* ---- one script --------------------------------------------------------- */

static bool script_open(wast_script *s, werror *why)
{
    ward_config config;
    ward_config_default(&config);
    config.simd = true; /* part of Wasm 2.0; the suite's simd_* files need it */
    config.threads = s->threads; /* the proposals/threads files */
    config.extended_const = s->extended_const; /* proposals/extended-const (core files refuse it) */
    config.exceptions = s->exceptions; /* legacy exception handling (tests/eh) */
    config.multi_memory = s->multi_memory; /* proposals/multi-memory */
    config.memory64 = s->memory64; /* proposals/memory64 */
    s->engine = ward_engine_new(&config);
    s->store = s->engine ? ward_store_new(s->engine) : NULL;
    s->linker = ward_linker_new();
    if (!s->store || !s->linker)
        return werror_set(why, "out of memory");
    if (wspectest_define(s->store, s->linker) != WARD_OK)
        return werror_set(why, "cannot define the spectest module");
    /* the threads proposal's spectest also has (memory 1 2 shared) */
    if (s->threads && (!(s->shared_memory = ward_memory_new_shared(s->engine, 1, 2)) ||
                       ward_linker_define_memory(s->linker, "spectest", "shared_memory", s->shared_memory) !=
                           WARD_OK))
        return werror_set(why, "cannot define spectest.shared_memory");
    return true;
}

/* The store goes before the modules its instances were made from. */
static void script_close(wast_script *s)
{
    if (s->store)
        ward_store_free(s->store);
    if (s->linker)
        ward_linker_free(s->linker);
    ward_memory_release(s->shared_memory);
    for (size_t i = 0; i < s->nmodules; i++)
        ward_module_free(s->modules[i]);
    free(s->modules);
    for (size_t i = 0; i < s->nnamed; i++)
        free(s->named[i].name);
    free(s->named);
    if (s->engine)
        ward_engine_free(s->engine);
}

/* Does path name a .wast script (read as text) rather than wast2json's JSON? */
static bool is_text_script(const char *path)
{
    size_t len = strlen(path);
    return (len >= 5 && strcmp(path + len - 5, ".wast") == 0) || (len >= 4 && strcmp(path + len - 4, ".wat") == 0);
}

static void run_commands(wast_script *s, wast_reader *r)
{
    wast_cmd cmd;
    while (r->next(r, &cmd)) {
        wast_run_command(s, &cmd);
        wast_cmd_free(&cmd);
    }
}

/* What the command line asks of every script. */
typedef struct wast_options {
    bool verbose, threads, extended_const, exceptions, multi_memory, memory64;
} wast_options;

static wast_counts run_script(const char *path, const wast_options *o)
{
    wast_script s;
    memset(&s, 0, sizeof s);
    s.path = path;
    s.source = path;
    s.verbose = o->verbose;
    s.threads = o->threads;
    s.extended_const = o->extended_const;
    s.exceptions = o->exceptions;
    s.multi_memory = o->multi_memory;
    s.memory64 = o->memory64;
    werror why;
    /* memory64 text (u64 limits and offsets) goes with the engine's switch */
    wast_reader *r = is_text_script(path) ? wast_text_open(path, o->memory64, &why) : wast_json_open(path, &why);
    if (r)
        s.source = r->source;
    if (r && script_open(&s, &why)) {
        run_commands(&s, r);
    } else {
        /* a script that cannot run at all is said without -v: the counts
         * alone ("0 passed, 1 failed") would not say why */
        fprintf(stderr, "ward wast: %s\n", why.msg);
        wast_fail(&s, "%s", why.msg);
    }
    script_close(&s);
    if (r)
        r->close(r);
    return s.counts;
}

/* ---- command line ------------------------------------------------------- */

static void print_counts(const char *label, const wast_counts *c)
{
    printf("%s%s%lu passed, %lu failed, %lu skipped\n", label ? label : "", label ? ": " : "", c->passed,
           c->failed, c->skipped);
    fflush(stdout);
}

static int usage(FILE *out, int status)
{
    fprintf(out, "usage: ward wast [-v] [--threads] [--extended-const] [--exceptions] [--multi-memory]\n"
                 "                 [--memory64] FILE.wast|FILE.json...\n"
                 "  Run spec-test scripts: .wast (and .wat) files are read by ward's own text\n"
                 "  parser, anything else as wast2json's JSON; -v prints every failure;\n"
                 "  --threads enables the threads proposal (shared memories, atomics);\n"
                 "  --extended-const lets constant expressions add, subtract and multiply;\n"
                 "  --exceptions enables legacy exception handling (tags, try, throw);\n"
                 "  --multi-memory allows several memories per module;\n"
                 "  --memory64 allows memories with i64 addresses.\n"
                 "  Tail calls are always on.\n");
    return status;
}

int ward_wast_main(int argc, char **argv)
{
    wast_options o = {0};
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "--verbose") == 0)
            o.verbose = true;
        else if (strcmp(argv[i], "--threads") == 0)
            o.threads = true;
        else if (strcmp(argv[i], "--extended-const") == 0)
            o.extended_const = true;
        else if (strcmp(argv[i], "--exceptions") == 0)
            o.exceptions = true;
        else if (strcmp(argv[i], "--multi-memory") == 0)
            o.multi_memory = true;
        else if (strcmp(argv[i], "--memory64") == 0)
            o.memory64 = true;
        else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return usage(stdout, 0);
        else
            return usage(stderr, 2);
    }
    if (i >= argc)
        return usage(stderr, 2);
    wast_counts total = {0, 0, 0};
    for (; i < argc; i++) {
        wast_counts c = run_script(argv[i], &o);
        print_counts(argv[i], &c);
        total.passed += c.passed;
        total.failed += c.failed;
        total.skipped += c.skipped;
    }
    print_counts(NULL, &total);
    return total.failed ? 1 : 0;
}
