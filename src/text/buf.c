/* The module parser's byte buffer and its LEB128 writers. */
#include <stdlib.h>
#include <string.h>

#include "text_parse.h"
#include "../common/util.h"

void wtbuf_free(wtbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

static bool reserve(wtbuf *b, size_t n)
{
    size_t need;
    if (b->oom || !wsize_add(b->len, n, &need)) {
        b->oom = true;
        return false;
    }
    if (!wgrow((void **)&b->data, &b->cap, need, 1)) {
        b->oom = true;
        return false;
    }
    return true;
}

void wtbuf_bytes(wtbuf *b, const void *p, size_t n)
{
    if (n == 0 || !reserve(b, n))
        return;
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void wtbuf_byte(wtbuf *b, uint8_t v)
{
    wtbuf_bytes(b, &v, 1);
}

void wtbuf_u64(wtbuf *b, uint64_t v)
{
    uint8_t out[10];
    wtbuf_bytes(b, out, wleb_u64(out, v));
}

void wtbuf_u32(wtbuf *b, uint32_t v)
{
    wtbuf_u64(b, v);
}

void wtbuf_s64(wtbuf *b, int64_t v)
{
    uint8_t out[10];
    size_t n = 0;
    for (;;) {
        uint8_t byte = v & 0x7F;
        v >>= 7;   /* arithmetic shift: implementation-defined, two's complement everywhere ward runs */
        bool done = (v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40));
        out[n++] = byte | (done ? 0 : 0x80);
        if (done)
            break;
    }
    wtbuf_bytes(b, out, n);
}

void wtbuf_name(wtbuf *b, const uint8_t *p, size_t n)
{
    if (n > UINT32_MAX) {
        b->oom = true;
        return;
    }
    wtbuf_u32(b, (uint32_t)n);
    wtbuf_bytes(b, p, n);
}

void wtbuf_append(wtbuf *b, const wtbuf *src)
{
    if (src->oom)
        b->oom = true;
    wtbuf_bytes(b, src->data, src->len);
}
