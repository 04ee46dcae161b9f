/*
 * `ward call --batch FILE.jsonl` (docs/contracts.md, "Batches"): one call
 * per line, in order, against one state, one receipt per line on stdout.
 * Each module is compiled once and kept warm.  A malformed line gets an
 * error receipt naming its number and the batch goes on; blank lines are
 * skipped (a line is read into a call by src/contract/batch_line.c).
 * Each call is a savepoint of a database batch committed every
 * BATCH_COMMIT_EVERY calls and at the end (one disk sync per group).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"
#include "contract/batch_line.h"

#define BATCH_COMMIT_EVERY 1000
#define BATCH_LINE_MAX ((size_t)64 << 20)

/* Modules by reference, compiled once. */
typedef struct warm_module {
    char *ref;
    ward_contract *contract;
    uint64_t gas_cap;           /* the registry's gas limit for it, 0 for a file */
} warm_module;

typedef struct batch {
    warm_module *modules;
    size_t nmodules;
    const char *registry;       /* where references by hash or name are looked up */
    ward_db *db;
    size_t pending;             /* calls since the last commit */
    uint64_t failed;            /* calls whose status is not ok */
} batch;

static ward_contract *warm(batch *b, const char *ref, uint64_t *gas_cap, char *why, size_t why_size)
{
    for (size_t i = 0; i < b->nmodules; i++)
        if (strcmp(b->modules[i].ref, ref) == 0) {
            *gas_cap = b->modules[i].gas_cap;
            return b->modules[i].contract;
        }
    size_t size;
    uint8_t *bytes = cli_call_module(ref, b->registry, gas_cap, &size, why, why_size);
    if (!bytes)
        return NULL;
    ward_contract *c = ward_contract_load(bytes, size, NULL, NULL);
    free(bytes);
    warm_module *grown = realloc(b->modules, (b->nmodules + 1) * sizeof *grown);
    char *copy = strdup(ref);
    if (grown)
        b->modules = grown;
    if (!c || !grown || !copy) {
        ward_contract_free(c);
        free(copy);
        snprintf(why, why_size, "out of memory");
        return NULL;
    }
    b->modules[b->nmodules++] = (warm_module){copy, c, *gas_cap};
    return c;
}

static bool emit(batch *b, ward_receipt *r)
{
    if (!r) {
        fprintf(stderr, "ward call: out of memory\n");
        return false;
    }
    cli_call_print(r);
    b->failed += ward_receipt_status(r) != WARD_CONTRACT_OK;
    ward_receipt_free(r);
    return true;
}

static bool error_line(batch *b, uint64_t number, const char *what)
{
    char message[512];
    snprintf(message, sizeof message, "line %llu: %.400s", (unsigned long long)number, what);
    return emit(b, ward_receipt_error(message, number));
}

/* Keep the calls so far durable; open the next group. */
static bool commit_group(batch *b, bool reopen)
{
    ward_db_error err;
    if (!b->db)
        return true;
    if (!ward_db_commit(b->db, &err) || (reopen && !ward_db_begin(b->db, &err))) {
        fprintf(stderr, "ward call: %s\n", err.message);
        return false;
    }
    b->pending = 0;
    return true;
}

/* One line: false only when the batch must stop (a host failure). */
static bool run_line(batch *b, const char *text, size_t len, uint64_t number)
{
    wcontract_line line;
    char why[512];
    const char *bad = wcontract_line_parse(text, len, &line, why, sizeof why);
    uint64_t cap = 0;
    ward_contract *c = bad ? NULL : warm(b, line.module, &cap, why, sizeof why);
    cli_call_apply_cap(cap, line.has_gas_limit, &line.call.gas_limit);
    bool ok = false;
    ward_db_error err;
    ward_receipt *r = NULL;
    if (!c)
        ok = error_line(b, number, bad ? bad : why);
    else if ((r = ward_contract_run(c, b->db, &line.call, &err)) != NULL)
        ok = emit(b, r);
    else
        fprintf(stderr, "ward call: line %llu: %s\n", (unsigned long long)number, err.message);
    wcontract_line_free(&line);
    return ok && (++b->pending < BATCH_COMMIT_EVERY || commit_group(b, true));
}

static bool blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return false;
    return true;
}

static int run_lines(batch *b, FILE *f)
{
    char *text = NULL;
    size_t cap = 0;
    ssize_t len;
    uint64_t number = 0;
    bool ok = true;
    while (ok && (len = getline(&text, &cap, f)) >= 0) {
        number++;
        if ((size_t)len > BATCH_LINE_MAX)
            ok = error_line(b, number, "line over 64 MiB");
        else if (!blank(text, (size_t)len))
            ok = run_line(b, text, (size_t)len, number);
    }
    if (ok && ferror(f)) {
        fprintf(stderr, "ward call: cannot read the batch: %s\n", strerror(errno));
        ok = false;
    }
    free(text);
    ok = commit_group(b, false) && ok;
    fflush(stdout);
    return !ok ? CLI_EXIT_USAGE : b->failed ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}

int cli_call_batch(const char *path, const char *state, const char *registry)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "ward call: cannot open %s: %s\n", path, strerror(errno));
        return CLI_EXIT_USAGE;
    }
    batch b = {0};
    b.registry = registry;
    ward_db_error err;
    int status = CLI_EXIT_USAGE;
    if (state && !(b.db = cli_call_open_state(state)))
        goto done;
    if (b.db && !ward_db_begin(b.db, &err)) {
        fprintf(stderr, "ward call: %s\n", err.message);
        goto done;
    }
    static char out[1 << 16];
    setvbuf(stdout, out, _IOFBF, sizeof out);
    status = run_lines(&b, f);
done:
    for (size_t i = 0; i < b.nmodules; i++) {
        free(b.modules[i].ref);
        ward_contract_free(b.modules[i].contract);
    }
    free(b.modules);
    ward_db_close(b.db);
    if (f != stdin)
        fclose(f);
    return status;
}
