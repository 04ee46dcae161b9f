/*
 * Op and op-pair counts of the dispatch loop (profile.h), for choosing
 * superinstructions by measurement rather than by guess.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "../common/util.h"
#include "profile.h"

/* Pairs listed in the dump; the full matrix is mostly zeros. */
#define TOP_PAIRS 80

wprof *wprof_get(wprof **slot)
{
    if (*slot)
        return *slot;
    wprof *p = wcalloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->pairs = wcalloc((size_t)(WIR_COUNT + 1) * WIR_COUNT, sizeof *p->pairs);
    if (!p->pairs) {
        free(p);
        return NULL;
    }
    p->prev = WIR_COUNT;
    *slot = p;
    return p;
}

typedef struct prof_row {
    uint64_t n;
    uint32_t a, b;
} prof_row;

static int by_count_desc(const void *x, const void *y)
{
    const prof_row *a = x, *b = y;
    return a->n < b->n ? 1 : a->n > b->n ? -1 : 0;
}

static const char *op_name(uint32_t op)
{
    return op < WIR_COUNT ? wir_names[op] : "(entry)";
}

static void dump_ops(const wprof *p, FILE *out, uint64_t total)
{
    prof_row rows[WIR_COUNT];
    size_t n = 0;
    for (uint32_t i = 0; i < WIR_COUNT; i++)
        if (p->ops[i])
            rows[n++] = (prof_row){p->ops[i], i, 0};
    qsort(rows, n, sizeof *rows, by_count_desc);
    fprintf(out, "ops %" PRIu64 "\n", total);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "op %14" PRIu64 " %6.2f%%  %s\n", rows[i].n, 100.0 * (double)rows[i].n / (double)total,
                op_name(rows[i].a));
}

/* Keep the TOP_PAIRS largest pairs in rows (sorted), scanning the matrix once. */
static void dump_pairs(const wprof *p, FILE *out, uint64_t total)
{
    prof_row top[TOP_PAIRS + 1];
    size_t n = 0;
    for (uint32_t a = 0; a <= WIR_COUNT; a++)
        for (uint32_t b = 0; b < WIR_COUNT; b++) {
            uint64_t c = p->pairs[(size_t)a * WIR_COUNT + b];
            if (!c || (n == TOP_PAIRS && c <= top[n - 1].n))
                continue;
            size_t i = n < TOP_PAIRS ? n++ : n - 1;
            for (; i > 0 && top[i - 1].n < c; i--)
                top[i] = top[i - 1];
            top[i] = (prof_row){c, a, b};
        }
    for (size_t i = 0; i < n; i++)
        fprintf(out, "pair %14" PRIu64 " %6.2f%%  %s -> %s\n", top[i].n,
                100.0 * (double)top[i].n / (double)total, op_name(top[i].a), op_name(top[i].b));
}

void wprof_finish(wprof *p)
{
    if (!p)
        return;
    const char *path = getenv("WARD_PROFILE_OPS");
    FILE *out = path ? fopen(path, "a") : NULL;
    if (out) {
        uint64_t total = 0;
        for (uint32_t i = 0; i < WIR_COUNT; i++)
            total += p->ops[i];
        if (total) {
            dump_ops(p, out, total);
            dump_pairs(p, out, total);
        }
        fclose(out);
    }
    free(p->pairs);
    free(p);
}
