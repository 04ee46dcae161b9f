/* Signing and verifying modules (Signatures.md; docs/signatures.md). */
#include <stdlib.h>
#include <string.h>

#include "../common/util.h"
#include "sig_internal.h"

void ward_sig_sign_options_default(ward_sig_sign_options *opt)
{
    memset(opt, 0, sizeof *opt);
}

void ward_sig_free(void *p)
{
    free(p);
}

static bool nomem(ward_sig_error *err)
{
    return wsig_fail(err, WARD_SIG_ERR_NOMEM, WARD_SIG_IN_NONE, UINT64_MAX, "out of memory");
}

/* The existing signature data a new signature is added to: the embedded
 * section, the previous detached data, or none (an empty set list). */
static bool previous_data(wsig_data *d, const wsig_module *m, const ward_sig_sign_options *opt, ward_sig_error *err)
{
    memset(d, 0, sizeof *d);
    if (m->has_section)
        return wsig_data_parse(d, m->payload, m->payload_len, m->payload_offset, WARD_SIG_IN_MODULE, err);
    if (opt->detached && opt->previous)
        return wsig_data_parse(d, opt->previous, opt->previous_len, 0, WARD_SIG_IN_DETACHED, err);
    return true;
}

/* Add sig to the set holding exactly these hashes, or to a new set. */
static bool add_signature(wsig_data *d, const wsig_module *m, const wsig_signature *sig, ward_sig_error *err)
{
    size_t hlen = m->nhashes * WSIG_HASH_BYTES;
    wsig_hashset *set = NULL;
    for (size_t i = 0; i < d->nsets && !set; i++)
        if (d->sets[i].nhashes == m->nhashes && memcmp(d->sets[i].hashes, m->hashes, hlen) == 0)
            set = &d->sets[i];
    if (!set) {
        if (d->nsets >= WARD_SIG_MAX_HASH_SETS)
            return wsig_fail(err, WARD_SIG_ERR_OVERSIZED, WARD_SIG_IN_NONE, UINT64_MAX,
                             "the signature data already holds %d hash sets", WARD_SIG_MAX_HASH_SETS);
        wsig_hashset *grown = wrealloc_array(d->sets, d->nsets + 1, sizeof *grown);
        if (!grown)
            return nomem(err);
        d->sets = grown;
        set = &d->sets[d->nsets++];
        *set = (wsig_hashset){m->nhashes, m->hashes, 0, NULL, 0};
    }
    for (size_t i = 0; i < set->nsigs; i++)
        if (set->sigs[i].sig_len == sig->sig_len && memcmp(set->sigs[i].sig, sig->sig, sig->sig_len) == 0)
            return wsig_fail(err, WARD_SIG_ERR_DUPLICATE, WARD_SIG_IN_NONE, UINT64_MAX,
                             "the module is already signed with this key");
    if (set->nsigs >= WARD_SIG_MAX_SIGNATURES)
        return wsig_fail(err, WARD_SIG_ERR_OVERSIZED, WARD_SIG_IN_NONE, UINT64_MAX,
                         "the hash set already holds %d signatures", WARD_SIG_MAX_SIGNATURES);
    wsig_signature *grown = wrealloc_array(set->sigs, set->nsigs + 1, sizeof *grown);
    if (!grown)
        return nomem(err);
    set->sigs = grown;
    set->sigs[set->nsigs++] = *sig;
    return true;
}

/* The module with a fresh trailing delimiter, when asked for and needed. */
static uint8_t *with_delimiter(const uint8_t *module, size_t len, size_t *out_len, ward_sig_error *err)
{
    wsig_buf b = {0};
    uint8_t random[WSIG_DELIMITER_BYTES];
    size_t name_len = strlen(WSIG_DELIMITER);
    wcrypto_random(random, sizeof random);
    wsig_buf_put(&b, module, len);
    wsig_buf_put(&b, "\0", 1);
    wsig_buf_u32(&b, (uint32_t)(1 + name_len + sizeof random));
    wsig_buf_u32(&b, (uint32_t)name_len);
    wsig_buf_put(&b, WSIG_DELIMITER, name_len);
    wsig_buf_put(&b, random, sizeof random);
    if (b.failed) {
        free(b.p);
        nomem(err);
        return NULL;
    }
    *out_len = b.len;
    return b.p;
}

/* header || signature section (when payload is not NULL) || canonical sections */
static uint8_t *assemble(const uint8_t *header, const uint8_t *payload, size_t plen, const wsig_buf *body,
                         size_t *out_len)
{
    size_t name_len = strlen(WSIG_SECTION);
    wsig_buf b = {0};
    wsig_buf_put(&b, header, 8);
    if (payload) {
        if (plen > UINT32_MAX - 16)
            b.failed = true;
        wsig_buf_put(&b, "\0", 1);
        wsig_buf_u32(&b, (uint32_t)(1 + name_len + plen));
        wsig_buf_u32(&b, (uint32_t)name_len);
        wsig_buf_put(&b, WSIG_SECTION, name_len);
        wsig_buf_put(&b, payload, plen);
    }
    wsig_buf_put(&b, body->p, body->len);
    if (b.failed) {
        free(b.p);
        return NULL;
    }
    *out_len = b.len;
    return b.p;
}

static bool finish(const uint8_t *module, const uint8_t *payload, size_t plen, wsig_buf *body,
                   const ward_sig_sign_options *opt, uint8_t **out, size_t *out_len, uint8_t **module_out,
                   size_t *module_out_len, ward_sig_error *err)
{
    if (!opt->detached) {
        *out = assemble(module, payload, plen, body, out_len);
        return *out ? true : nomem(err);
    }
    *out = malloc(plen ? plen : 1);
    if (!*out)
        return nomem(err);
    memcpy(*out, payload, plen);
    *out_len = plen;
    if (module_out && !(*module_out = assemble(module, NULL, 0, body, module_out_len))) {
        free(*out);
        *out = NULL;
        return nomem(err);
    }
    return true;
}

static bool sign_scanned(const uint8_t *module, const wsig_module *m, const ward_sig_secret_key *sk,
                         const ward_sig_sign_options *opt, wsig_buf *body, uint8_t **out, size_t *out_len,
                         uint8_t **module_out, size_t *module_out_len, ward_sig_error *err)
{
    size_t msg_len, plen = 0;
    uint8_t *msg = wsig_message(m->hashes, m->nhashes, &msg_len);
    if (!msg)
        return nomem(err);
    uint8_t sig_bytes[WCRYPTO_SIGN_BYTES];
    wcrypto_sign(sig_bytes, msg, msg_len, sk->key);
    free(msg);
    wsig_signature sig = {opt->key_id, opt->key_id_len, WSIG_ALG_ED25519, sig_bytes, sizeof sig_bytes, 0};
    wsig_data d;
    uint8_t *payload = NULL;
    bool ok = previous_data(&d, m, opt, err) && add_signature(&d, m, &sig, err);
    if (ok && !(payload = wsig_data_serialize(&d, &plen)))
        ok = nomem(err);
    if (ok)
        ok = finish(module, payload, plen, body, opt, out, out_len, module_out, module_out_len, err);
    free(payload);
    wsig_data_free(&d);
    return ok;
}

bool ward_sig_sign(const uint8_t *module, size_t len, const ward_sig_secret_key *sk, const ward_sig_sign_options *opt,
                   uint8_t **out, size_t *out_len, uint8_t **module_out, size_t *module_out_len, ward_sig_error *err)
{
    wsig_clear(err);
    ward_sig_sign_options defaults;
    if (!opt) {
        ward_sig_sign_options_default(&defaults);
        opt = &defaults;
    }
    if (!module || !sk || !out || !out_len || opt->key_id_len > WARD_SIG_MAX_KEY_ID ||
        (opt->key_id_len && !opt->key_id))
        return wsig_fail(err, WARD_SIG_ERR_ARGUMENT, WARD_SIG_IN_NONE, UINT64_MAX, "invalid argument");
    if (wcrypto_init() != 0)
        return wsig_fail(err, WARD_SIG_ERR_ARGUMENT, WARD_SIG_IN_NONE, UINT64_MAX, "the crypto library cannot start");
    *out = NULL;
    if (module_out)
        *module_out = NULL;
    uint8_t *extended = NULL;
    wsig_module m;
    wsig_buf body = {0};
    bool ok = wsig_module_scan(&m, module, len, opt->detached, &body, err);
    if (ok && opt->append_delimiter && !m.ends_with_delimiter) {
        size_t ext_len;
        wsig_module_free(&m);
        free(body.p);
        body = (wsig_buf){0};
        extended = with_delimiter(module, len, &ext_len, err);
        ok = extended && wsig_module_scan(&m, extended, ext_len, opt->detached, &body, err);
        module = extended;
    }
    if (ok)
        ok = sign_scanned(module, &m, sk, opt, &body, out, out_len, module_out, module_out_len, err);
    if (m.hashes)
        wsig_module_free(&m);
    free(body.p);
    free(extended);
    return ok;
}
