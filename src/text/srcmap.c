/*
 * The source map of a text module: for each instruction of the code, the
 * byte offset its opcode gets in the binary and the line and column of
 * its keyword, so a validation error or a trap reported at a module
 * offset can name the place in the .wat (ward_wat_to_wasm_map).
 *
 * While a function is parsed its instructions go into a body buffer of
 * their own, so offsets are recorded relative to that body, moved to the
 * code section when the body is appended, and made absolute once the
 * module is laid out.  Only function bodies are mapped: constant
 * expressions are a few instructions in fields that the error already names.
 */
#include <stdlib.h>

#include "text_parse.h"
#include "../common/util.h"

static void record(wtbuf *out, wtext_srcpos **list, size_t *n, size_t *cap, size_t offset,
                   const wtok *at)
{
    if (offset > UINT32_MAX || !wgrow((void **)list, cap, *n + 1, sizeof **list)) {
        out->oom = true;   /* reported as out of memory once the body is done */
        return;
    }
    (*list)[(*n)++] = (wtext_srcpos){(uint32_t)offset, at->line, at->column};
}

void wsrc_func_begin(wparser *p, wtbuf *body, const wtok *at)
{
    if (!p->opt.source_map)
        return;
    p->code = body;
    p->func_first = p->ninstrs;
    record(body, &p->funcs, &p->nfuncs, &p->funcs_cap, 0, at);
    record(body, &p->instrs, &p->ninstrs, &p->instrs_cap, 0, at);
}

void wsrc_mark(wparser *p, wtbuf *out, const wtok *at)
{
    if (out && out == p->code)
        record(out, &p->instrs, &p->ninstrs, &p->instrs_cap, out->len, at);
}

void wsrc_mark_next(wparser *p, wtbuf *out)
{
    wtok t;
    if (out && out == p->code && wp_peek(p, &t))
        wsrc_mark(p, out, &t);
}

void wsrc_func_end(wparser *p, size_t body_at)
{
    if (!p->code)
        return;
    p->code = NULL;
    if (body_at > UINT32_MAX) {
        p->ninstrs = p->func_first;   /* the module is too large anyway: assembling fails */
        return;
    }
    for (size_t i = p->func_first; i < p->ninstrs; i++)
        p->instrs[i].offset += (uint32_t)body_at;
    p->funcs[p->nfuncs - 1].offset = (uint32_t)body_at;
}

bool wsrc_finish(wparser *p, uint32_t code_start, uint32_t code_end, wtext_srcmap **out)
{
    *out = NULL;
    if (!p->opt.source_map)
        return true;
    wtext_srcmap *map = calloc(1, sizeof *map);
    if (!map)
        return false;
    for (size_t i = 0; i < p->ninstrs; i++)
        p->instrs[i].offset += code_start;
    for (size_t i = 0; i < p->nfuncs; i++)
        p->funcs[i].offset += code_start;
    map->instrs = p->instrs;
    map->ninstrs = p->ninstrs;
    map->funcs = p->funcs;
    map->nfuncs = p->nfuncs;
    map->nimported_funcs = p->space[SP_FUNC].count - (uint32_t)p->nfuncs;
    map->code_start = code_start;
    map->code_end = code_end;
    p->instrs = p->funcs = NULL;
    p->ninstrs = p->nfuncs = 0;
    *out = map;
    return true;
}

void wsrc_free(wparser *p)
{
    free(p->instrs);
    free(p->funcs);
}

void wtext_srcmap_free(wtext_srcmap *map)
{
    if (!map)
        return;
    free(map->instrs);
    free(map->funcs);
    free(map);
}

static int compare_offset(const void *element, const void *key)
{
    uint32_t a = ((const wtext_srcpos *)element)->offset, b = *(const uint32_t *)key;
    return (a > b) - (a < b);
}

/* The last entry at or before offset (entries ascend; the first is at code_start). */
static const wtext_srcpos *instr_at(const wtext_srcmap *map, uint32_t offset)
{
    bool found;
    size_t i = wlower_bound(map->instrs, map->ninstrs, sizeof *map->instrs, &offset, compare_offset, &found);
    if (found)
        return &map->instrs[i];
    return i > 0 ? &map->instrs[i - 1] : NULL;
}

bool wtext_srcmap_find(const wtext_srcmap *map, uint32_t func_index, uint32_t offset, uint32_t *line,
                       uint32_t *column)
{
    const wtext_srcpos *at = NULL;
    if (!map)
        return false;
    if (offset != UINT32_MAX && offset >= map->code_start && offset < map->code_end)
        at = instr_at(map, offset);
    if (!at && func_index != UINT32_MAX && func_index >= map->nimported_funcs &&
        func_index - map->nimported_funcs < map->nfuncs)
        at = &map->funcs[func_index - map->nimported_funcs];
    if (!at)
        return false;
    *line = at->line;
    *column = at->column;
    return true;
}
