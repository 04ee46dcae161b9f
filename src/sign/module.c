/*
 * The module walk of Signatures.md: the sections after the signature
 * section are hashed with one running SHA-256, whose value is taken at
 * each signature_delimiter and at the end (when the module does not end
 * with a delimiter), as the signer computed them.
 *
 * Sections are hashed as the bytes they are in the file (id, size,
 * contents), as the document says: any byte changed after signing, a
 * re-encoded size included, fails verification.  (wasmsign2 hashes its
 * re-encoding of each section, which is the same bytes for every module
 * whose sizes are minimal LEB128, as toolchains write them.)
 */
#include <stdlib.h>
#include <string.h>

#include "../common/util.h"
#include "sig_internal.h"

static const uint8_t wasm_header[8] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
/* Signatures.md covers components too (their preamble; same sections). */
static const uint8_t component_header[8] = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};

/* One section as read from the module. */
typedef struct section {
    uint8_t id;
    size_t start;               /* offset of its id byte */
    const uint8_t *name;        /* custom sections */
    size_t name_len;
    const uint8_t *body;        /* after the name for a custom section */
    size_t body_len;
} section;

static bool is_named(const section *s, const char *name)
{
    return s->id == 0 && s->name_len == strlen(name) && memcmp(s->name, name, s->name_len) == 0;
}

static bool read_section(wsig_reader *r, section *s, ward_sig_error *err)
{
    uint32_t size, name_len;
    s->start = r->pos;
    s->id = r->p[r->pos++];
    if (!wsig_read_u32(r, &size))
        return wsig_fail(err, WARD_SIG_ERR_MODULE, WARD_SIG_IN_MODULE, s->start, "malformed section size");
    if (size > r->end - r->pos)
        return wsig_fail(err, WARD_SIG_ERR_MODULE, WARD_SIG_IN_MODULE, s->start,
                         "section of %u bytes runs past the end of the module", size);
    size_t end = r->pos + size;
    s->name = NULL;
    s->name_len = 0;
    if (s->id == 0) {
        wsig_reader nr = {r->p, r->pos, end, 0};
        if (!wsig_read_u32(&nr, &name_len) || name_len > end - nr.pos)
            return wsig_fail(err, WARD_SIG_ERR_MODULE, WARD_SIG_IN_MODULE, s->start, "malformed custom section name");
        s->name = r->p + nr.pos;
        s->name_len = name_len;
        r->pos = nr.pos + name_len;
    }
    s->body = r->p + r->pos;
    s->body_len = end - r->pos;
    r->pos = end;
    return true;
}

/* s as it stands in the module, into the hash and the output buffer. */
static void emit_section(const uint8_t *module, const section *s, wcrypto_hash *h, wsig_buf *out)
{
    const uint8_t *start = module + s->start;
    size_t len = (size_t)(s->body + s->body_len - start);
    wcrypto_hash_update(h, start, len);
    if (out)
        wsig_buf_put(out, start, len);
}

/* Append the running hash's current value to m->hashes. */
static bool take_hash(wsig_module *m, const wcrypto_hash *h, ward_sig_error *err)
{
    if (m->nhashes >= WARD_SIG_MAX_HASHES)
        return wsig_fail(err, WARD_SIG_ERR_TOO_MANY_PARTS, WARD_SIG_IN_MODULE, UINT64_MAX,
                         "the module has more than %d parts (signature_delimiter sections)", WARD_SIG_MAX_HASHES);
    wcrypto_hash copy = *h; /* plain data: final on a copy keeps the running state */
    wcrypto_hash_final(&copy, m->hashes + m->nhashes * WSIG_HASH_BYTES);
    m->nhashes++;
    return true;
}

static bool check_header(const uint8_t *bytes, size_t len, ward_sig_error *err)
{
    if (len < 8 || (memcmp(bytes, wasm_header, 8) != 0 && memcmp(bytes, component_header, 8) != 0))
        return wsig_fail(err, WARD_SIG_ERR_MODULE, WARD_SIG_IN_MODULE, 0,
                         "not a WebAssembly module (no \\0asm header, version 1)");
    return true;
}

/* The first section, when it is the signature section. */
static bool take_signature_section(wsig_module *m, wsig_reader *r, bool detached, ward_sig_error *err)
{
    if (r->pos >= r->end)
        return true;
    size_t save = r->pos;
    section s = {0};
    if (!read_section(r, &s, err))
        return false;
    if (!is_named(&s, WSIG_SECTION)) {
        r->pos = save;
        return true;
    }
    if (detached)
        return wsig_fail(err, WARD_SIG_ERR_PLACEMENT, WARD_SIG_IN_MODULE, s.start,
                         "the module has an embedded signature section and a detached signature was given");
    m->has_section = true;
    m->payload = s.body;
    m->payload_len = s.body_len;
    m->payload_offset = (uint64_t)(s.body - r->p);
    return true;
}

bool wsig_module_scan(wsig_module *m, const uint8_t *bytes, size_t len, bool detached, wsig_buf *out,
                      ward_sig_error *err)
{
    memset(m, 0, sizeof *m);
    if (!check_header(bytes, len, err))
        return false;
    wsig_reader r = {bytes, 8, len, 0};
    if (!take_signature_section(m, &r, detached, err))
        return false;
    m->body = r.pos;
    m->hashes = malloc((size_t)WARD_SIG_MAX_HASHES * WSIG_HASH_BYTES);
    if (!m->hashes)
        return wsig_fail(err, WARD_SIG_ERR_NOMEM, WARD_SIG_IN_NONE, UINT64_MAX, "out of memory");
    wcrypto_hash h;
    wcrypto_hash_init(&h, WCRYPTO_SHA256, WCRYPTO_SHA256_BYTES, NULL, 0);
    bool last_was_delimiter = false;
    while (r.pos < r.end) {
        section s = {0};
        if (!read_section(&r, &s, err))
            goto fail;
        if (is_named(&s, WSIG_SECTION)) {
            wsig_fail(err, WARD_SIG_ERR_PLACEMENT, WARD_SIG_IN_MODULE, s.start,
                      "a signature section that is not the module's first section");
            goto fail;
        }
        emit_section(bytes, &s, &h, out);
        last_was_delimiter = is_named(&s, WSIG_DELIMITER);
        if (last_was_delimiter && !take_hash(m, &h, err))
            goto fail;
    }
    m->ends_with_delimiter = last_was_delimiter;
    if (!last_was_delimiter && !take_hash(m, &h, err))
        goto fail;
    wcrypto_hash_wipe(&h);
    if (out && out->failed) {
        wsig_module_free(m);
        return wsig_fail(err, WARD_SIG_ERR_NOMEM, WARD_SIG_IN_NONE, UINT64_MAX, "out of memory");
    }
    return true;
fail:
    wcrypto_hash_wipe(&h);
    wsig_module_free(m);
    return false;
}

void wsig_module_free(wsig_module *m)
{
    free(m->hashes);
    m->hashes = NULL;
    m->nhashes = 0;
}
