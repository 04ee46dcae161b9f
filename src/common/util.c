/* Shared helpers: error messages, checked allocation and UTF-8 checks. */
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void werror_clear(werror *err)
{
    err->msg[0] = '\0';
    err->stage = WARD_STAGE_NONE;
    err->section = WARD_NONE;
    err->func = WARD_NONE;
    err->offset = WARD_NONE;
}

static void werror_vset(werror *err, ward_error_stage stage, const char *fmt, va_list ap)
{
    werror_clear(err);
    err->stage = stage;
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
}

bool werror_set(werror *err, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        werror_vset(err, WARD_STAGE_NONE, fmt, ap);
        va_end(ap);
    }
    return false;
}

bool werror_set_stage(werror *err, ward_error_stage stage, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        werror_vset(err, stage, fmt, ap);
        va_end(ap);
    }
    return false;
}

void werror_report(const werror *e, ward_error_stage stage, ward_error *err)
{
    if (!err)
        return;
    snprintf(err->message, sizeof err->message, "%s", e->msg);
    err->stage = e->stage != WARD_STAGE_NONE ? e->stage : stage;
    err->section = e->section;
    err->func_index = e->func;
    err->offset = e->offset;
    err->line = WARD_NONE;
    err->column = WARD_NONE;
}

void *wcalloc(size_t count, size_t size)
{
    if (count == 0 || size == 0)
        return calloc(1, 1);
    return calloc(count, size);
}

void *wmalloc_array(size_t count, size_t size)
{
    size_t total;
    if (!wsize_mul(count, size, &total))
        return NULL;
    return malloc(total ? total : 1);
}

void *wrealloc_array(void *ptr, size_t count, size_t size)
{
    size_t total;
    if (!wsize_mul(count, size, &total))
        return NULL;
    return realloc(ptr, total ? total : 1);
}

bool wgrow_slow(void **ptr, size_t *cap, size_t need, size_t elem_size)
{
    if (need <= *cap)
        return true;
    size_t newcap = *cap ? *cap : 8;
    while (newcap < need) {
        if (newcap > SIZE_MAX / 2)
            return false;
        newcap *= 2;
    }
    void *p = wrealloc_array(*ptr, newcap, elem_size);
    if (!p)
        return false;
    *ptr = p;
    *cap = newcap;
    return true;
}

bool wutf8_valid(const uint8_t *p, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint8_t c = p[i];
        size_t n;
        uint32_t cp, min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            n = 1; cp = c & 0x1F; min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2; cp = c & 0x0F; min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3; cp = c & 0x07; min = 0x10000;
        } else {
            return false;
        }
        if (len - i <= n)
            return false;
        for (size_t k = 1; k <= n; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += n + 1;
    }
    return true;
}

void werror_public_init(ward_error *err, ward_error_stage stage)
{
    memset(err, 0, sizeof *err);
    err->stage = stage;
    err->section = WARD_NONE;
    err->func_index = WARD_NONE;
    err->offset = WARD_NONE;
    err->line = WARD_NONE;
    err->column = WARD_NONE;
}

size_t wlower_bound(const void *base, size_t n, size_t elem_size, const void *key,
                    int (*compare)(const void *element, const void *key), bool *found)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = compare((const char *)base + mid * elem_size, key);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

int whex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

size_t wleb_u64(uint8_t out[10], uint64_t v)
{
    size_t n = 0;
    do {
        uint8_t byte = v & 0x7F;
        v >>= 7;
        out[n++] = byte | (v ? 0x80 : 0);
    } while (v);
    return n;
}
