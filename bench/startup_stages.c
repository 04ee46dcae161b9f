/* Time the stages of ward's module load separately, in one process:
 * decode, validate and the set-up of the function descriptions (the steps
 * of ward_module_new), then what translating the code on first calls adds.
 *
 *   cc -O2 -Isrc bench/startup_stages.c BUILD/src/libward.a -lm -o X
 *   X FILE.wasm [--fuel]
 *
 * Prints wall seconds and the growth of peak RSS after each stage, then the
 * size of the translated code and site tables of each variant.  Load
 * translates nothing: every function's code is translated on its first
 * call (docs/interpreter.md, "Lazy translation"), so `plain*` forces the
 * plain code of every function, what a fuel-off run touching all the code
 * would add; with --fuel, `metered*` and `step*` force the fuel variants
 * too (a fuel-metered run that touched and stopped everywhere).  Built by
 * bench/startup --stages; links libward's internal headers on purpose. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "decoder/module.h"
#include "interp/ir.h"
#include "runtime/runtime.h"
#include "validator/validate.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double peak_rss_mib(void)
{
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return (double)usage.ru_maxrss / 1024.0;
}

static unsigned char *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *data = NULL;
    long length = -1;
    if (fseek(f, 0, SEEK_END) == 0 && (length = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0)
        data = malloc(length > 0 ? (size_t)length : 1);
    if (data && fread(data, 1, (size_t)length, f) != (size_t)length) {
        free(data);
        data = NULL;
    }
    fclose(f);
    *size = (size_t)length;
    return data;
}

static void report(const char *stage, double start, double *rss_before)
{
    double rss = peak_rss_mib();
    printf("%-10s %8.3f s   peak RSS %7.0f MiB (+%.0f)\n", stage, now() - start, rss, rss - *rss_before);
    *rss_before = rss;
}

/* Bytes of code cells and trap sites the translator kept, per variant. */
static void report_code_size(const struct wcompiled *c, size_t wasm_bytes)
{
    static const char *const names[WVAR_COUNT] = {"plain", "metered", "step"};
    for (int v = 0; v < WVAR_COUNT; v++) {
        size_t cells = 0, sites = 0;
        for (uint32_t i = 0; i < c->nfuncs; i++) {
            const wvariant *var = wcompiled_variant_ready(&c->funcs[i], v);
            cells += var ? var->ncells : 0;
            sites += var ? var->nsites : 0;
        }
        double code_mib = (double)cells * sizeof(wcell) / 1048576.0;
        double site_mib = (double)sites * sizeof(wsite) / 1048576.0;
        printf("%-8s code %7.0f MiB  sites %6.0f MiB  (%.1f bytes per wasm byte)\n", names[v], code_mib,
               site_mib, (code_mib + site_mib) * 1048576.0 / (double)wasm_bytes);
    }
}

/* The lazy translation of one variant, forced for every function. */
static bool translate_all(const struct wcompiled *c, int variant, const char *stage, double *rss)
{
    double start = now();
    for (uint32_t i = 0; i < c->nfuncs; i++)
        if (!wcompiled_variant(&c->funcs[i], variant))
            return false;
    report(stage, start, rss);
    return true;
}

int main(int argc, char **argv)
{
    bool fuel = argc == 3 && strcmp(argv[2], "--fuel") == 0;
    if (argc != 2 && !fuel) {
        fprintf(stderr, "usage: startup_stages FILE.wasm [--fuel]\n");
        return 2;
    }
    size_t size = 0;
    unsigned char *bytes = read_file(argv[1], &size);
    if (!bytes) {
        fprintf(stderr, "startup_stages: cannot read %s\n", argv[1]);
        return 2;
    }
    double rss = peak_rss_mib();
    printf("%s: %.1f MB, peak RSS after reading %.0f MiB\n", argv[1], (double)size / 1e6, rss);
    wfeatures features = {0};
    werror err = {0};
    double start = now();
    /* in place, as the CLI loads (ward_module_new_borrowed) */
    wmodule *m = wdecode_module_borrowed(bytes, size, &features, &err);
    report("decode", start, &rss);
    bool ok = m != NULL;
    if (ok) {
        start = now();
        ok = wvalidate_module(m, &err);
        report("validate", start, &rss);
    }
    struct wcompiled *compiled = NULL;
    if (ok) {
        start = now();
        compiled = wcompile_module(m, &err);
        ok = compiled != NULL;
        report("describe", start, &rss);
    }
    if (ok) {
        ok = translate_all(compiled, WVAR_PLAIN, "plain*", &rss);
        if (ok && fuel)
            ok = translate_all(compiled, WVAR_METERED, "metered*", &rss) &&
                 translate_all(compiled, WVAR_STEP, "step*", &rss);
        if (ok)
            report_code_size(compiled, size);
        else
            snprintf(err.msg, sizeof err.msg, "out of memory in a lazy translation");
    }
    if (!ok)
        fprintf(stderr, "startup_stages: %s\n", err.msg);
    wcompiled_free(compiled);
    wmodule_free(m);
    free(bytes);
    return ok ? 0 : 1;
}
