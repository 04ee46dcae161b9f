/* A call's state writes, kept sorted by key (contract_internal.h), and the
 * byte buffer the receipts and outputs grow in. */
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "contract_internal.h"

void wbuf_put(wbuf *b, const void *p, size_t n)
{
    if (b->failed || n == 0)
        return;
    size_t need;
    if (!wsize_add(b->len, n, &need) || !wgrow((void **)&b->data, &b->cap, need, 1)) {
        b->failed = true;
        return;
    }
    memcpy(b->data + b->len, p, n);
    b->len = need;
}

void wbuf_str(wbuf *b, const char *s)
{
    wbuf_put(b, s, strlen(s));
}

void wbuf_free(wbuf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

int wkey_compare(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen;
    int c = n ? memcmp(a, b, n) : 0;
    if (c != 0)
        return c;
    return alen < blen ? -1 : alen > blen;
}

typedef struct key_ref {
    const uint8_t *key;
    size_t klen;
} key_ref;

static int entry_vs_key(const void *element, const void *key)
{
    const woverlay_entry *e = element;
    const key_ref *k = key;
    return wkey_compare(e->key, e->klen, k->key, k->klen);
}

/* The position of key, or where it would go (*found false). */
static size_t locate(const woverlay *o, const uint8_t *key, size_t klen, bool *found)
{
    key_ref k = {key, klen};
    return wlower_bound(o->entries, o->n, sizeof *o->entries, &k, entry_vs_key, found);
}

const woverlay_entry *woverlay_find(const woverlay *o, const uint8_t *key, size_t klen)
{
    bool found;
    size_t i = locate(o, key, klen, &found);
    return found ? &o->entries[i] : NULL;
}

static uint8_t *copy_bytes(const uint8_t *p, size_t n)
{
    uint8_t *c = malloc(n ? n : 1);
    if (c && n)
        memcpy(c, p, n);
    return c;
}

bool woverlay_put(woverlay *o, const uint8_t *key, size_t klen, const uint8_t *value, size_t vlen, bool removed)
{
    uint8_t *v = NULL;
    if (!removed && !(v = copy_bytes(value, vlen)))
        return false;
    bool found;
    size_t i = locate(o, key, klen, &found);
    if (found) {
        woverlay_entry *e = &o->entries[i];
        o->bytes -= e->vlen;
        free(e->value);
        e->value = v;
        e->vlen = removed ? 0 : vlen;
        e->removed = removed;
        o->bytes += e->vlen;
        return true;
    }
    uint8_t *k = copy_bytes(key, klen);
    if (!k || !wgrow((void **)&o->entries, &o->cap, o->n + 1, sizeof *o->entries)) {
        free(k);
        free(v);
        return false;
    }
    memmove(&o->entries[i + 1], &o->entries[i], (o->n - i) * sizeof *o->entries);
    o->entries[i] = (woverlay_entry){k, klen, v, removed ? 0 : vlen, removed};
    o->n++;
    o->bytes += klen + (removed ? 0 : vlen);
    return true;
}

void woverlay_free(woverlay *o)
{
    for (size_t i = 0; i < o->n; i++) {
        free(o->entries[i].key);
        free(o->entries[i].value);
    }
    free(o->entries);
    memset(o, 0, sizeof *o);
}
