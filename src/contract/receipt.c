/*
 * Receipts (docs/contracts.md, "Receipts"): the record of one call and its
 * canonical JSON, written here byte by byte (never by a JSON library) so
 * the same call always gives the same bytes: fixed key order, no spaces,
 * integers in decimal, hashes, keys and values in lowercase hex, output
 * and logs as UTF-8 text when they are valid UTF-8 and base64 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "contract_internal.h"

/* A receipt's buffer starts this large: a small call's receipt (about
 * 900 bytes) then needs no reallocation. */
#define RECEIPT_BYTES_FIRST 1024

static const char *const status_names[] = {
    [WARD_CONTRACT_OK] = "ok",
    [WARD_CONTRACT_TRAP] = "trap",
    [WARD_CONTRACT_OUT_OF_GAS] = "out_of_gas",
    [WARD_CONTRACT_DENIED] = "denied",
    [WARD_CONTRACT_ERROR] = "error",
};

const char *ward_contract_status_name(ward_contract_status status)
{
    return (size_t)status < sizeof status_names / sizeof status_names[0] ? status_names[status] : "unknown";
}

static const char *const trap_names[] = {
    [WARD_TRAP_NONE] = "none",
    [WARD_TRAP_UNREACHABLE] = "unreachable",
    [WARD_TRAP_DIV_BY_ZERO] = "integer_divide_by_zero",
    [WARD_TRAP_INT_OVERFLOW] = "integer_overflow",
    [WARD_TRAP_INVALID_CONVERSION] = "invalid_conversion",
    [WARD_TRAP_OOB_MEMORY] = "out_of_bounds_memory",
    [WARD_TRAP_OOB_TABLE] = "out_of_bounds_table",
    [WARD_TRAP_INDIRECT_TYPE_MISMATCH] = "indirect_call_type_mismatch",
    [WARD_TRAP_UNINITIALIZED_ELEMENT] = "uninitialized_element",
    [WARD_TRAP_UNDEFINED_ELEMENT] = "undefined_element",
    [WARD_TRAP_STACK_EXHAUSTED] = "call_stack_exhausted",
    [WARD_TRAP_OUT_OF_FUEL] = "out_of_gas",
    [WARD_TRAP_HOST] = "host",
    [WARD_TRAP_INTERRUPTED] = "interrupted",
    [WARD_TRAP_TIMEOUT] = "timeout",
    [WARD_TRAP_UNALIGNED_ATOMIC] = "unaligned_atomic",
    [WARD_TRAP_EXPECTED_SHARED] = "expected_shared_memory",
    [WARD_TRAP_UNCAUGHT_EXCEPTION] = "uncaught_exception",
    [WARD_TRAP_OUT_OF_MEMORY] = "out_of_host_memory",
    [WARD_TRAP_EXIT] = "exit",
};

const char *wreceipt_trap_name(ward_trap_kind kind)
{
    if ((size_t)kind < sizeof trap_names / sizeof trap_names[0] && trap_names[kind])
        return trap_names[kind];
    return "host";
}

/* ---- text ------------------------------------------------------------------ */

void wtext_hex(wbuf *b, const uint8_t *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char chunk[128];
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        chunk[used++] = digits[p[i] >> 4];
        chunk[used++] = digits[p[i] & 15];
        if (used == sizeof chunk) {
            wbuf_put(b, chunk, used);
            used = 0;
        }
    }
    wbuf_put(b, chunk, used);
}

void wtext_base64(wbuf *b, const uint8_t *p, size_t n)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
        char q[4] = {alphabet[v >> 18], alphabet[(v >> 12) & 63], i + 1 < n ? alphabet[(v >> 6) & 63] : '=',
                     i + 2 < n ? alphabet[v & 63] : '='};
        wbuf_put(b, q, 4);
    }
}

/* A JSON string: quote, backslash and control characters escaped (the
 * short forms \n \r \t \b \f, else \u00XX), the rest as is when the
 * text is valid UTF-8; when it is not (a message cut at its size inside a
 * character), bytes from 0x80 are escaped as \u00XX too, so a receipt is
 * always valid JSON.  Export names are UTF-8: calls with others are refused. */
void wtext_json(wbuf *b, const uint8_t *p, size_t n)
{
    if (n == 0) { /* p may be NULL: no pointer arithmetic on it */
        wbuf_put(b, "\"\"", 2);
        return;
    }
    bool utf8 = wutf8_valid(p, n);
    wbuf_put(b, "\"", 1);
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = p[i];
        if (c >= 0x20 && c != '"' && c != '\\' && (utf8 || c < 0x80))
            continue;
        wbuf_put(b, p + start, i - start);
        start = i + 1;
        char esc[8];
        const char *shortform = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n" : c == '\r' ? "\\r"
                              : c == '\t' ? "\\t" : c == '\b' ? "\\b" : c == '\f' ? "\\f" : NULL;
        if (!shortform) {
            snprintf(esc, sizeof esc, "\\u%04x", c);
            shortform = esc;
        }
        wbuf_str(b, shortform);
    }
    wbuf_put(b, p + start, n - start);
    wbuf_put(b, "\"", 1);
}

static void json_cstr(wbuf *b, const char *s)
{
    wtext_json(b, (const uint8_t *)s, strlen(s));
}

static void json_hex(wbuf *b, const uint8_t *p, size_t n)
{
    wbuf_put(b, "\"", 1);
    wtext_hex(b, p, n);
    wbuf_put(b, "\"", 1);
}

static void json_u64(wbuf *b, uint64_t v)
{
    char num[24];
    snprintf(num, sizeof num, "%llu", (unsigned long long)v);
    wbuf_str(b, num);
}

static void field(wbuf *b, const char *name)
{
    wbuf_put(b, ",\"", 2);
    wbuf_str(b, name);
    wbuf_put(b, "\":", 2);
}

/* Bytes as {"encoding":"utf8","data":"text"} or {"encoding":"base64",...}. */
static void json_blob(wbuf *b, const uint8_t *p, size_t n)
{
    bool text = wutf8_valid(p, n);
    wbuf_str(b, text ? "{\"encoding\":\"utf8\",\"data\":" : "{\"encoding\":\"base64\",\"data\":\"");
    if (text) {
        wtext_json(b, p, n);
    } else {
        wtext_base64(b, p, n);
        wbuf_put(b, "\"", 1);
    }
    wbuf_put(b, "}", 1);
}

static void render_trap(wbuf *b, const ward_receipt *r)
{
    field(b, "trap");
    if (r->status == WARD_CONTRACT_OK) {
        wbuf_str(b, "null");
        return;
    }
    wbuf_str(b, "{\"kind\":");
    json_cstr(b, r->trap_kind ? r->trap_kind : "error");
    wbuf_str(b, ",\"message\":");
    json_cstr(b, r->message);
    wbuf_put(b, "}", 1);
}

static void render_changes(wbuf *b, const ward_receipt *r)
{
    field(b, "state_changes");
    wbuf_put(b, "[", 1);
    for (size_t i = 0; i < r->changes.n; i++) {
        const woverlay_entry *e = &r->changes.entries[i];
        wbuf_str(b, i ? ",{\"key\":" : "{\"key\":");
        json_hex(b, e->key, e->klen);
        if (e->removed) {
            wbuf_str(b, ",\"removed\":true}");
        } else {
            wbuf_str(b, ",\"value\":");
            json_hex(b, e->value, e->vlen);
            wbuf_put(b, "}", 1);
        }
    }
    wbuf_put(b, "]", 1);
}

static void render_call(wbuf *b, const ward_receipt *r)
{
    field(b, "export");
    json_cstr(b, r->export_name ? r->export_name : "");
    field(b, "result");
    if (r->has_result) {
        char num[16];
        snprintf(num, sizeof num, "%d", (int)r->result);
        wbuf_str(b, num);
    } else {
        wbuf_str(b, "null");
    }
    render_trap(b, r);
    field(b, "gas_limit");
    json_u64(b, r->gas_limit);
    field(b, "gas_used");
    json_u64(b, r->gas_used);
    static const struct {
        const char *name;
        size_t offset;
    } hashes[] = {
        {"contract", offsetof(ward_receipt, contract)},
        {"module_sha256", offsetof(ward_receipt, module_sha256)},
        {"input_sha256", offsetof(ward_receipt, input_sha256)},
        {"output_sha256", offsetof(ward_receipt, output_sha256)},
        {"seed", offsetof(ward_receipt, seed)},
        {"state_root_before", offsetof(ward_receipt, root_before)},
        {"state_root_after", offsetof(ward_receipt, root_after)},
    };
    for (size_t i = 0; i < sizeof hashes / sizeof hashes[0]; i++) {
        field(b, hashes[i].name);
        json_hex(b, (const uint8_t *)r + hashes[i].offset, 32);
    }
    field(b, "input");
    json_hex(b, r->input, r->input_len);
    field(b, "output");
    json_blob(b, r->output, r->output_len);
    field(b, "logs");
    wbuf_put(b, "[", 1);
    for (size_t i = 0; i < r->nlogs; i++) {
        if (i)
            wbuf_put(b, ",", 1);
        json_blob(b, r->logs[i].data, r->logs[i].len);
    }
    wbuf_put(b, "]", 1);
    render_changes(b, r);
}

bool wreceipt_render(ward_receipt *r)
{
    wbuf *b = &r->json;
    b->len = 0;
    /* room for a small call's receipt at once, not by doubling from 8 */
    if (!wgrow((void **)&b->data, &b->cap, RECEIPT_BYTES_FIRST, 1))
        return false;
    wbuf_str(b, "{\"version\":");
    json_u64(b, WARD_RECEIPT_VERSION);
    field(b, "status");
    json_cstr(b, ward_contract_status_name(r->status));
    if (r->bare) {
        field(b, "line");
        json_u64(b, r->line);
        render_trap(b, r);
    } else {
        render_call(b, r);
    }
    wbuf_put(b, "}", 1);
    wbuf_put(b, "", 1); /* a NUL after the text, not counted */
    if (!b->failed)
        b->len--;
    return !b->failed;
}

/* ---- the receipt object ------------------------------------------------------ */

ward_receipt *ward_receipt_error(const char *message, uint64_t line)
{
    ward_receipt *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->status = WARD_CONTRACT_ERROR;
    r->trap_kind = "malformed";
    r->bare = true;
    r->line = line;
    snprintf(r->message, sizeof r->message, "%s", message ? message : "");
    if (!wreceipt_render(r)) {
        ward_receipt_free(r);
        return NULL;
    }
    return r;
}

const char *ward_receipt_json(const ward_receipt *r, size_t *len)
{
    if (len)
        *len = r ? r->json.len : 0;
    return r ? (const char *)r->json.data : NULL;
}

ward_contract_status ward_receipt_status(const ward_receipt *r)
{
    return r ? r->status : WARD_CONTRACT_ERROR;
}

uint64_t ward_receipt_gas_used(const ward_receipt *r)
{
    return r ? r->gas_used : 0;
}

const uint8_t *ward_receipt_output(const ward_receipt *r, size_t *len)
{
    *len = r ? r->output_len : 0;
    return r ? r->output : NULL;
}

const char *ward_receipt_message(const ward_receipt *r)
{
    return r ? r->message : "";
}

const uint8_t *ward_receipt_state_root_after(const ward_receipt *r)
{
    return r ? r->root_after : NULL;
}

size_t ward_receipt_change_count(const ward_receipt *r)
{
    return r ? r->changes.n : 0;
}

bool ward_receipt_change(const ward_receipt *r, size_t i, const uint8_t **key, size_t *klen, const uint8_t **value,
                         size_t *vlen)
{
    if (!r || i >= r->changes.n)
        return false;
    const woverlay_entry *e = &r->changes.entries[i];
    *key = e->key;
    *klen = e->klen;
    *value = e->removed ? NULL : e->value;
    *vlen = e->vlen;
    return true;
}

void ward_receipt_free(ward_receipt *r)
{
    if (!r)
        return;
    free(r->export_name);
    free(r->output);
    for (size_t i = 0; i < r->nlogs; i++)
        free(r->logs[i].data);
    free(r->logs);
    woverlay_free(&r->changes);
    free(r->input);
    wbuf_free(&r->json);
    free(r);
}
