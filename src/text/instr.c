/*
 * Instructions, flat and folded.  An instruction's name is looked up in a
 * sorted table of the opcode table's names (made at build time), and its immediates
 * are read by one parser per immediate kind (WIMM_*), so no instruction
 * is named here except the structured ones (block, loop, if, try), whose
 * shape is grammar rather than immediates.
 */
#include <stdlib.h>
#include <string.h>

#include "text_parse.h"
#include "../common/util.h"

/* ---- names ---- */

/* Every instruction name with its opcode, in strcmp order (generated from
 * the opcode table at build time: src/common/opcodes_gen.py). */
static const wopname opnames[] = {
#include "wop_names.inc"
};

static int compare_opname_key(const void *element, const void *key)
{
    const wopname *e = element;
    const wtok *t = key;
    int c = strncmp(e->name, t->start, t->len);
    return c ? c : (e->name[t->len] != 0);
}

/* The first opcode of that name; *alternative the next one sharing it
 * (select's typed form), else WOP_COUNT. */
static bool find_op(const wtok *t, wop *op, wop *alternative)
{
    bool found;
    if (t->kind != WTOK_KEYWORD)
        return false;
    const size_t n = sizeof opnames / sizeof opnames[0];
    size_t at = wlower_bound(opnames, n, sizeof *opnames, t, compare_opname_key, &found);
    if (!found)
        return false;
    *op = opnames[at].op;
    *alternative = at + 1 < n && strcmp(opnames[at + 1].name, opnames[at].name) == 0 ? opnames[at + 1].op : WOP_COUNT;
    return true;
}

static void emit_op(wtbuf *out, wop op)
{
    const wopinfo *info = &wop_info[op];
    if (info->prefix == 0) {
        wtbuf_byte(out, (uint8_t)info->code);
    } else {
        wtbuf_byte(out, info->prefix);
        wtbuf_u32(out, info->code);
    }
}

/* ---- labels ---- */

static bool push_label(wparser *p, const wtok *id)
{
    if (!wgrow((void **)&p->labels, &p->labels_cap, p->nlabels + 1, sizeof *p->labels))
        return wp_oom(p);
    p->labels[p->nlabels].id = id ? id->start : NULL;
    p->labels[p->nlabels].len = id ? id->len : 0;
    p->nlabels++;
    return true;
}

void wp_labels_reset(wparser *p)
{
    p->nlabels = 0;
    push_label(p, NULL);   /* the function body: depth counts it, no name reaches it */
}

static bool label_index(wparser *p, uint32_t *depth)
{
    wtok t;
    if (!wp_next(p, &t))
        return false;
    if (t.kind == WTOK_NUMBER)
        return wtext_u32(&t, depth, p->err);
    if (t.kind != WTOK_ID)
        return wp_unexpected(p, &t, "a label");
    for (size_t i = p->nlabels; i-- > 0;) {
        const wlabel *l = &p->labels[i];
        if (l->len == t.len && memcmp(l->id, t.start, t.len) == 0) {
            *depth = (uint32_t)(p->nlabels - 1 - i);
            return true;
        }
    }
    return wtext_fail(p->err, &t, "unknown label %.*s", (int)t.len, t.start);
}

/* `end $l` / `else $l`: the id must repeat the block's label */
static bool closing_id(wparser *p, const wlabel *l)
{
    wtok t;
    if (!wp_peek(p, &t) || t.kind != WTOK_ID)
        return true;
    wp_next(p, &t);
    if (l->len == t.len && memcmp(l->id, t.start, t.len) == 0)
        return true;
    return wtext_fail(p->err, &t, "mismatching label %.*s", (int)t.len, t.start);
}

/* ---- immediates, one parser per kind ---- */

typedef bool (*imm_parser)(wparser *p, wop op, wtbuf *out);

static bool imm_none(wparser *p, wop op, wtbuf *out)
{
    (void)p, (void)op, (void)out;
    return true;
}

static bool imm_label(wparser *p, wop op, wtbuf *out)
{
    uint32_t d;
    (void)op;
    if (!label_index(p, &d))
        return false;
    wtbuf_u32(out, d);
    return true;
}

static bool imm_br_table(wparser *p, wop op, wtbuf *out)
{
    uint32_t *depths = NULL, d;
    size_t n = 0, cap = 0;
    bool ok = true;
    (void)op;
    do {
        ok = label_index(p, &d) && wgrow((void **)&depths, &cap, n + 1, sizeof *depths);
        if (ok)
            depths[n++] = d;
    } while (ok && wp_peek_index(p));
    if (ok) {
        wtbuf_u32(out, (uint32_t)(n - 1));
        for (size_t i = 0; i < n; i++)
            wtbuf_u32(out, depths[i]);
    }
    free(depths);
    return ok;
}

static bool index_of(wparser *p, int sp, wtbuf *out)
{
    uint32_t i;
    if (!wp_index(p, sp, &i))
        return false;
    wtbuf_u32(out, i);
    return true;
}

/* An optional index (table.get, memory.size, ...): 0 when absent. */
static bool optional_index(wparser *p, int sp, uint32_t *out)
{
    *out = 0;
    return !wp_peek_index(p) || wp_index(p, sp, out);
}

static bool imm_func(wparser *p, wop op, wtbuf *out)
{
    (void)op;
    return index_of(p, SP_FUNC, out);
}

static bool imm_local(wparser *p, wop op, wtbuf *out)
{
    (void)op;
    return index_of(p, SP_LOCAL, out);
}

static bool imm_global(wparser *p, wop op, wtbuf *out)
{
    (void)op;
    return index_of(p, SP_GLOBAL, out);
}

static bool imm_tag(wparser *p, wop op, wtbuf *out)
{
    (void)op;
    return index_of(p, SP_TAG, out);
}

static bool imm_elem(wparser *p, wop op, wtbuf *out)
{
    (void)op;
    return index_of(p, SP_ELEM, out);
}

static bool imm_data(wparser *p, wop op, wtbuf *out)
{
    (void)op;
    p->uses_data_index = true;
    return index_of(p, SP_DATA, out);
}

static bool imm_table(wparser *p, wop op, wtbuf *out)
{
    uint32_t t;
    (void)op;
    if (!optional_index(p, SP_TABLE, &t))
        return false;
    wtbuf_u32(out, t);
    return true;
}

static bool imm_memory(wparser *p, wop op, wtbuf *out)
{
    uint32_t m;
    (void)op;
    if (!optional_index(p, SP_MEMORY, &m))
        return false;
    wtbuf_u32(out, m);
    return true;
}

static bool imm_call_indirect(wparser *p, wop op, wtbuf *out)
{
    uint32_t table, type;
    (void)op;
    if (!optional_index(p, SP_TABLE, &table) || !wp_typeuse(p, &type, false, false))
        return false;
    wtbuf_u32(out, type);
    wtbuf_u32(out, table);
    return true;
}

static bool imm_select_t(wparser *p, wop op, wtbuf *out)
{
    wftype ft;
    (void)op;
    if (!wp_params_results(p, &ft, false, false))
        return false;
    wtbuf_u32(out, ft.nresults);
    wtbuf_bytes(out, ft.vals, ft.nresults);
    wftype_free(&ft);
    return true;
}

static bool imm_i32(wparser *p, wop op, wtbuf *out)
{
    wtok t;
    uint32_t v;
    (void)op;
    if (!wp_next(p, &t) || !wtext_i32(&t, &v, p->err))
        return false;
    wtbuf_s64(out, (int32_t)v);
    return true;
}

static bool imm_i64(wparser *p, wop op, wtbuf *out)
{
    wtok t;
    uint64_t v;
    (void)op;
    if (!wp_next(p, &t) || !wtext_i64(&t, &v, p->err))
        return false;
    wtbuf_s64(out, (int64_t)v);
    return true;
}

static void put_le(wtbuf *out, uint64_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++)
        wtbuf_byte(out, (uint8_t)(v >> (8 * i)));
}

static bool imm_f32(wparser *p, wop op, wtbuf *out)
{
    wtok t;
    uint32_t v;
    (void)op;
    if (!wp_next(p, &t) || !wtext_f32(&t, &v, p->err))
        return false;
    put_le(out, v, 4);
    return true;
}

static bool imm_f64(wparser *p, wop op, wtbuf *out)
{
    wtok t;
    uint64_t v;
    (void)op;
    if (!wp_next(p, &t) || !wtext_f64(&t, &v, p->err))
        return false;
    put_le(out, v, 8);
    return true;
}

static bool imm_reftype(wparser *p, wop op, wtbuf *out)
{
    wtok t;
    (void)op;
    /* (ref.null) without a heap type: the reference-types proposal's early
     * text (wasm-c-api's hostref.wat), accepted in a global's initializer
     * of reference type, whose type it then has */
    if (wp_peek(p, &t) && t.kind == WTOK_RPAREN && (p->global_ref == 0x70 || p->global_ref == 0x6F)) {
        wtbuf_byte(out, p->global_ref);
        return true;
    }
    if (!wp_next(p, &t))
        return false;
    if (wtok_is(&t, "func"))
        wtbuf_byte(out, 0x70);
    else if (wtok_is(&t, "extern"))
        wtbuf_byte(out, 0x6F);
    else
        return wp_unexpected(p, &t, "'func' or 'extern'");
    return true;
}

/* x? y: two indices of which the first may be left out (memory.init,
 * table.init); written y then x as the binary has them */
static bool imm_ext_init(wparser *p, int first_sp, int second_sp, wtbuf *out)
{
    uint32_t first = 0, second;
    wlexer ahead = p->lx;
    wtext_error ignored;
    wtok t;
    bool both = wp_peek_index(p) && wlex_next(&ahead, &t, &ignored) && wlex_next(&ahead, &t, &ignored) &&
                (t.kind == WTOK_NUMBER || t.kind == WTOK_ID);
    if (both && !wp_index(p, first_sp, &first))
        return false;
    if (!wp_index(p, second_sp, &second))
        return false;
    wtbuf_u32(out, second);
    wtbuf_u32(out, first);
    return true;
}

static bool imm_memory_copy(wparser *p, wop op, wtbuf *out)
{
    uint32_t dst = 0, src = 0;
    (void)op;
    if (wp_peek_index(p) && (!wp_index(p, SP_MEMORY, &dst) || !wp_index(p, SP_MEMORY, &src)))
        return false;
    wtbuf_u32(out, dst);
    wtbuf_u32(out, src);
    return true;
}

static bool imm_table_copy(wparser *p, wop op, wtbuf *out)
{
    uint32_t dst = 0, src = 0;
    (void)op;
    if (wp_peek_index(p) && (!wp_index(p, SP_TABLE, &dst) || !wp_index(p, SP_TABLE, &src)))
        return false;
    wtbuf_u32(out, dst);
    wtbuf_u32(out, src);
    return true;
}

static bool imm_memory_init(wparser *p, wop op, wtbuf *out)
{
    (void)op;
    p->uses_data_index = true;
    return imm_ext_init(p, SP_MEMORY, SP_DATA, out);
}

static bool imm_table_init(wparser *p, wop op, wtbuf *out)
{
    (void)op;
    return imm_ext_init(p, SP_TABLE, SP_ELEM, out);
}

/* A lane index: a u8 (the validator checks it against the shape). */
static bool lane_index(wparser *p, uint8_t *out)
{
    wtok t;
    uint32_t v;
    if (!wp_next(p, &t))
        return false;
    if (t.kind != WTOK_NUMBER)
        return wp_unexpected(p, &t, "a lane index");
    if (!wtext_u32(&t, &v, p->err))
        return false;
    if (v > 255)
        return wtext_fail(p->err, &t, "malformed lane index '%.*s'", (int)t.len, t.start);
    *out = (uint8_t)v;
    return true;
}

static bool imm_lane(wparser *p, wop op, wtbuf *out)
{
    uint8_t lane = 0;
    (void)op;
    if (!lane_index(p, &lane))
        return false;
    wtbuf_byte(out, lane);
    return true;
}

static bool imm_shuffle(wparser *p, wop op, wtbuf *out)
{
    (void)op;
    for (int i = 0; i < 16; i++)
        if (!imm_lane(p, op, out))
            return false;
    return true;
}

static bool imm_atomic_fence(wparser *p, wop op, wtbuf *out)
{
    (void)p, (void)op;
    wtbuf_byte(out, 0);
    return true;
}

/* v128.const shape lanes: each lane is an integer or float of the shape */
static bool imm_v128(wparser *p, wop op, wtbuf *out)
{
    wtok t;
    (void)op;
    if (!wp_next(p, &t))
        return false;
    const wtext_shape *shape = wtext_shape_of(&t);
    if (!shape)
        return wp_unexpected(p, &t, "a vector shape (i8x16, i16x8, i32x4, i64x2, f32x4, f64x2)");
    for (unsigned i = 0; i < shape->lanes; i++) {
        uint64_t v = 0;
        wtok lane;
        if (!wp_next(p, &lane) || !wtext_number(&lane, shape->bits, shape->is_float, &v, p->err))
            return false;
        put_le(out, v, shape->bits / 8);
    }
    return true;
}

/* natural alignment: log2 of the access size the opcode table gives */
static uint8_t natural_align(wop op)
{
    uint8_t log2 = 0;
    while ((1u << log2) < wop_info[op].access)
        log2++;
    return log2;
}

/* "offset=N" / "align=N": the number after the '=' as a token of its own */
static bool keyword_value(wparser *p, const wtok *t, size_t prefix, uint64_t *v)
{
    wtok num = *t;
    num.start += prefix;
    num.len -= prefix;
    num.column += (uint32_t)prefix;
    num.kind = num.len && num.start[0] >= '0' && num.start[0] <= '9' ? WTOK_NUMBER : WTOK_RESERVED;
    if (num.kind != WTOK_NUMBER)
        return wtext_fail(p->err, t, "malformed memory argument '%.*s'", (int)t->len, t->start);
    return wtext_u64(&num, v, p->err);
}

static bool keyword_prefix(const wtok *t, const char *prefix)
{
    size_t n = strlen(prefix);
    return t->kind == WTOK_KEYWORD && t->len >= n && memcmp(t->start, prefix, n) == 0;
}

static bool memarg_after_index(wparser *p, wop op, uint32_t memory, wtbuf *out)
{
    wtok t;
    uint64_t offset = 0, align;
    uint8_t log2 = natural_align(op);
    if (wp_peek(p, &t) && keyword_prefix(&t, "offset=")) {
        wp_next(p, &t);
        if (!keyword_value(p, &t, 7, &offset))
            return false;
        bool is64 = wp_memory_is64(p, memory);
        if (!is64 && !p->opt.memory64 && offset > UINT32_MAX)
            return wtext_fail(p->err, &t, "i32 constant out of range '%.*s'", (int)t.len, t.start);
    }
    if (wp_peek(p, &t) && keyword_prefix(&t, "align=")) {
        wp_next(p, &t);
        if (!keyword_value(p, &t, 6, &align))
            return false;
        if (align == 0 || (align & (align - 1)) != 0)
            return wtext_fail(p->err, &t, "alignment must be a power of two '%.*s'", (int)t.len, t.start);
        for (log2 = 0; ((uint64_t)1 << log2) < align; log2++)
            ;
    }
    wtbuf_u32(out, log2 | (memory ? 0x40u : 0));
    if (memory)
        wtbuf_u32(out, memory);
    wtbuf_u64(out, offset);
    return true;
}

static bool imm_memarg(wparser *p, wop op, wtbuf *out)
{
    uint32_t memory;
    return optional_index(p, SP_MEMORY, &memory) && memarg_after_index(p, op, memory, out);
}

/* memidx? memarg lane: a lone number is the lane */
static bool imm_memarg_lane(wparser *p, wop op, wtbuf *out)
{
    uint32_t memory = 0;
    uint8_t lane = 0;
    wlexer ahead = p->lx;
    wtext_error ignored;
    wtok a, b;
    bool has_memory = wlex_next(&ahead, &a, &ignored) &&
                      (a.kind == WTOK_ID || (a.kind == WTOK_NUMBER && wlex_next(&ahead, &b, &ignored) &&
                                             (b.kind == WTOK_NUMBER || keyword_prefix(&b, "offset=") ||
                                              keyword_prefix(&b, "align="))));
    if (has_memory && !wp_index(p, SP_MEMORY, &memory))
        return false;
    if (!memarg_after_index(p, op, memory, out) || !lane_index(p, &lane))
        return false;
    wtbuf_byte(out, lane);
    return true;
}

static bool imm_blocktype_misplaced(wparser *p, wop op, wtbuf *out)
{
    (void)out;
    return wtext_fail(p->err, NULL, "internal error: %s parsed as a plain instruction", wop_info[op].name);
}

static const imm_parser imm_parsers[] = {
    [WIMM_NONE] = imm_none,
    [WIMM_BLOCKTYPE] = imm_blocktype_misplaced,
    [WIMM_LABEL] = imm_label,
    [WIMM_BR_TABLE] = imm_br_table,
    [WIMM_FUNC] = imm_func,
    [WIMM_CALL_INDIRECT] = imm_call_indirect,
    [WIMM_SELECT_T] = imm_select_t,
    [WIMM_LOCAL] = imm_local,
    [WIMM_GLOBAL] = imm_global,
    [WIMM_TABLE] = imm_table,
    [WIMM_MEMARG] = imm_memarg,
    [WIMM_MEMORY] = imm_memory,
    [WIMM_I32] = imm_i32,
    [WIMM_I64] = imm_i64,
    [WIMM_F32] = imm_f32,
    [WIMM_F64] = imm_f64,
    [WIMM_REFTYPE] = imm_reftype,
    [WIMM_MEMORY_INIT] = imm_memory_init,
    [WIMM_DATA] = imm_data,
    [WIMM_MEMORY_COPY] = imm_memory_copy,
    [WIMM_TABLE_INIT] = imm_table_init,
    [WIMM_ELEM] = imm_elem,
    [WIMM_TABLE_COPY] = imm_table_copy,
    [WIMM_V128] = imm_v128,
    [WIMM_LANE] = imm_lane,
    [WIMM_MEMARG_LANE] = imm_memarg_lane,
    [WIMM_SHUFFLE] = imm_shuffle,
    [WIMM_ATOMIC_FENCE] = imm_atomic_fence,
    [WIMM_TAG] = imm_tag,
};

/* ---- block types and structured instructions ---- */

/* (type x)? (param t*)* (result t*)*: 0x40, one value type or a type index */
static bool blocktype(wparser *p, wtbuf *out)
{
    uint32_t index;
    if (wp_peek_field(p, "type")) {
        if (!wp_typeuse(p, &index, false, false))
            return false;
        /* a type with no params and at most one result is written in the
         * short form, as wabt does (same meaning, comparable bytes) */
        const wftype *t = index < p->ntypes ? &p->types[index] : NULL;
        if (t && t->nparams == 0 && t->nresults <= 1)
            wtbuf_byte(out, t->nresults ? t->vals[0] : 0x40);
        else
            wtbuf_s64(out, index);
        return true;
    }
    wftype ft;
    if (!wp_params_results(p, &ft, false, false))
        return false;
    bool ok = true;
    if (ft.nparams == 0 && ft.nresults == 0) {
        wtbuf_byte(out, 0x40);
    } else if (ft.nparams == 0 && ft.nresults == 1) {
        wtbuf_byte(out, ft.vals[0]);
    } else {
        ok = wtypes_find_or_add(p, &ft, &index);
        wtbuf_s64(out, index);
    }
    wftype_free(&ft);
    return ok;
}

/* label? blocktype: the opcode and block type written to out, *id the label */
static bool block_head(wparser *p, wop op, wtbuf *out, wtok *id, bool *has_id)
{
    *has_id = wp_peek(p, id) && id->kind == WTOK_ID;
    if (*has_id)
        wp_next(p, id);
    emit_op(out, op);
    return blocktype(p, out);
}

static bool open_block(wparser *p, wop op, wtbuf *out)
{
    wtok id;
    bool has_id;
    return block_head(p, op, out, &id, &has_id) && push_label(p, has_id ? &id : NULL);
}

static bool next_kw(wparser *p, const char *kw)
{
    wtok t;
    if (!wp_peek(p, &t) || !wtok_is(&t, kw))
        return false;
    wp_next(p, &t);
    return true;
}

static bool expect_end(wparser *p, wtbuf *out)
{
    wsrc_mark_next(p, out);
    if (!wp_expect_kw(p, "end"))
        return false;
    emit_op(out, WOP_END);
    return closing_id(p, &p->labels[p->nlabels - 1]);
}

/* else instr*: an empty else is left out, as the binary format's own
 * abbreviation has it (and wabt writes it) */
static bool else_arm(wparser *p, wtbuf *out)
{
    emit_op(out, WOP_ELSE);
    size_t after_else = out->len;
    if (!wp_instrs(p, out))
        return false;
    if (out->len == after_else && !out->oom)
        out->len--;
    return true;
}

/* try's handlers, flat: (catch x instr*)* (catch_all instr*)? then end,
 * or delegate l */
static bool flat_try_rest(wparser *p, wtbuf *out, bool *delegated)
{
    *delegated = false;
    while (next_kw(p, "catch")) {
        emit_op(out, WOP_CATCH);
        if (!index_of(p, SP_TAG, out) || !wp_instrs(p, out))
            return false;
    }
    if (next_kw(p, "catch_all")) {
        emit_op(out, WOP_CATCH_ALL);
        if (!wp_instrs(p, out))
            return false;
    }
    if (next_kw(p, "delegate")) {
        /* the label is counted from outside the try */
        *delegated = true;
        p->nlabels--;
        emit_op(out, WOP_DELEGATE);
        return imm_label(p, WOP_DELEGATE, out);
    }
    return true;
}

static bool flat_block(wparser *p, wop op, wtbuf *out)
{
    if (!open_block(p, op, out) || !wp_instrs(p, out))
        return false;
    if (op == WOP_IF && next_kw(p, "else")) {
        if (!closing_id(p, &p->labels[p->nlabels - 1]) || !else_arm(p, out))
            return false;
    }
    if (op == WOP_TRY) {
        bool delegated;
        if (!flat_try_rest(p, out, &delegated))
            return false;
        if (delegated)
            return true;
    }
    if (!expect_end(p, out))
        return false;
    p->nlabels--;
    return true;
}

/* (then instr*) (else instr*)?  after the condition and the if's head */
static bool folded_if_arms(wparser *p, wtbuf *out)
{
    wtok t;
    if (!wp_expect(p, WTOK_LPAREN, "'(then'") || !wp_expect_kw(p, "then") || !wp_instrs(p, out) ||
        !wp_close(p))
        return false;
    if (wp_peek_field(p, "else")) {
        wp_next(p, &t);
        wp_next(p, &t);
        if (!else_arm(p, out) || !wp_close(p))
            return false;
    }
    return true;
}

/* (do instr*) (catch x instr*)* (catch_all instr*)? | (do ...) (delegate l) */
static bool folded_try_arms(wparser *p, wtbuf *out, bool *delegated)
{
    wtok t;
    *delegated = false;
    if (!wp_expect(p, WTOK_LPAREN, "'(do'") || !wp_expect_kw(p, "do") || !wp_instrs(p, out) || !wp_close(p))
        return false;
    while (wp_peek_field(p, "catch")) {
        wp_next(p, &t);
        wp_next(p, &t);
        emit_op(out, WOP_CATCH);
        if (!index_of(p, SP_TAG, out) || !wp_instrs(p, out) || !wp_close(p))
            return false;
    }
    if (wp_peek_field(p, "catch_all")) {
        wp_next(p, &t);
        wp_next(p, &t);
        emit_op(out, WOP_CATCH_ALL);
        if (!wp_instrs(p, out) || !wp_close(p))
            return false;
    }
    if (wp_peek_field(p, "delegate")) {
        wp_next(p, &t);
        wp_next(p, &t);
        *delegated = true;
        p->nlabels--;
        emit_op(out, WOP_DELEGATE);
        return imm_label(p, WOP_DELEGATE, out) && wp_close(p);
    }
    return true;
}

/* at: the block's keyword */
static bool folded_block(wparser *p, wop op, const wtok *at, wtbuf *out)
{
    wtbuf head = {0};
    wtok id, t;
    bool has_id, delegated = false;
    bool ok = block_head(p, op, &head, &id, &has_id);
    /* an if's condition comes first and lies outside its label */
    while (ok && op == WOP_IF && !wp_peek_field(p, "then") && wp_peek(p, &t) && t.kind == WTOK_LPAREN)
        ok = wp_folded(p, out);
    wsrc_mark(p, out, at);
    wtbuf_append(out, &head);
    wtbuf_free(&head);
    ok = ok && push_label(p, has_id ? &id : NULL);
    if (ok)
        ok = op == WOP_IF ? folded_if_arms(p, out)
           : op == WOP_TRY ? folded_try_arms(p, out, &delegated) : wp_instrs(p, out);
    if (!ok)
        return false;
    if (!delegated) {
        wsrc_mark_next(p, out);   /* the ')' that ends it */
        emit_op(out, WOP_END);
        p->nlabels--;
    }
    return wp_close(p);
}

/* ---- instruction sequences ---- */

/* The opcode a name stands for, or an error naming it. */
static bool instr_op(wparser *p, const wtok *t, wop *op)
{
    wop alt;
    if (!find_op(t, op, &alt)) {
        if (t->kind == WTOK_KEYWORD)
            return wtext_fail(p->err, t, "unknown operator '%.*s'", (int)(t->len > 40 ? 40 : t->len), t->start);
        return wp_unexpected(p, t, "an instruction");
    }
    /* select (result t)*: the typed form shares its name */
    if (alt != WOP_COUNT && wop_info[alt].imm == WIMM_SELECT_T && wp_peek_field(p, "result"))
        *op = alt;
    return true;
}

static bool plain_immediates(wparser *p, wop op, wtbuf *out)
{
    emit_op(out, op);
    return imm_parsers[wop_info[op].imm](p, op, out);
}

static bool is_terminator(const wtok *t)
{
    static const char *const words[] = {"end", "else", "catch", "catch_all", "delegate"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (wtok_is(t, words[i]))
            return true;
    return false;
}

/* Nesting is parsed by recursion: bounded so that hostile text cannot
 * exhaust the C stack (about 1 KiB of stack per level). */
#define MAX_NESTING 1000

static bool enter(wparser *p, const wtok *t)
{
    if (++p->depth > MAX_NESTING)
        return wtext_fail(p->err, t, "instructions nested more than %d deep", MAX_NESTING);
    return true;
}

static bool folded_instr(wparser *p, wtbuf *out);

bool wp_folded(wparser *p, wtbuf *out)
{
    wtok t;
    bool ok = wp_peek(p, &t) && enter(p, &t) && folded_instr(p, out);
    p->depth--;
    return ok;
}

static bool folded_instr(wparser *p, wtbuf *out)
{
    wtok t;
    wop op;
    if (!wp_expect(p, WTOK_LPAREN, "'('") || !wp_next(p, &t) || !instr_op(p, &t, &op))
        return false;
    if (wop_info[op].imm == WIMM_BLOCKTYPE)
        return folded_block(p, op, &t, out);
    const wtok at = t;
    /* immediates come before the operands in text, after them in binary */
    wtbuf instr = {0};
    bool ok = plain_immediates(p, op, &instr);
    while (ok && wp_peek(p, &t) && t.kind == WTOK_LPAREN)
        ok = wp_folded(p, out);
    ok = ok && wp_close(p);
    wsrc_mark(p, out, &at);
    wtbuf_append(out, &instr);
    wtbuf_free(&instr);
    return ok;
}

/* Is the next '(' the start of a folded instruction (not (then, (else, ...)? */
static bool folded_ahead(wparser *p)
{
    wlexer ahead = p->lx;
    wtext_error ignored;
    wtok a, b;
    if (!wlex_next(&ahead, &a, &ignored) || a.kind != WTOK_LPAREN || !wlex_next(&ahead, &b, &ignored))
        return false;
    static const char *const arms[] = {"then", "else", "do", "catch", "catch_all", "delegate", "item"};
    for (size_t i = 0; i < sizeof arms / sizeof arms[0]; i++)
        if (wtok_is(&b, arms[i]))
            return false;
    return true;
}

bool wp_instrs(wparser *p, wtbuf *out)
{
    wtok t;
    wop op;
    for (;;) {
        if (!wp_peek(p, &t))
            return false;
        if (t.kind == WTOK_LPAREN) {
            if (!folded_ahead(p))
                return true;
            if (!wp_folded(p, out))
                return false;
            continue;
        }
        if (t.kind == WTOK_RPAREN || t.kind == WTOK_EOF || is_terminator(&t))
            return true;
        wp_next(p, &t);
        if (!instr_op(p, &t, &op))
            return false;
        wsrc_mark(p, out, &t);
        bool ok;
        if (wop_info[op].imm == WIMM_BLOCKTYPE) {
            ok = enter(p, &t) && flat_block(p, op, out);
            p->depth--;
        } else {
            ok = plain_immediates(p, op, out);
        }
        if (!ok)
            return false;
    }
}

bool wp_expr(wparser *p, wtbuf *out)
{
    if (!wp_instrs(p, out))
        return false;
    emit_op(out, WOP_END);
    return true;
}
