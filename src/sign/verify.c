/*
 * Verification (Signatures.md, "Signature verification algorithm for an
 * entire module"): a key vouches for a hash set when one of the set's
 * signatures verifies under it; the set must then equal the module's own
 * running hashes, every part in order and no part missing.  A prefix
 * (partial verification) is not enough: Signatures.md says runtimes must
 * ignore partial signatures unless configured otherwise, and ward has no
 * such configuration.
 */
#include <stdlib.h>
#include <string.h>

#include "../common/util.h"
#include "sig_internal.h"

static bool set_signed_by(const wsig_hashset *set, const uint8_t *msg, size_t msg_len, const ward_sig_public_key *pk)
{
    for (size_t i = 0; i < set->nsigs; i++)
        if (set->sigs[i].sig_len == WCRYPTO_SIGN_BYTES && wcrypto_verify(set->sigs[i].sig, msg, msg_len, pk->key) == 0)
            return true;
    return false;
}

static bool set_matches(const wsig_hashset *set, const wsig_module *m)
{
    return set->nhashes == m->nhashes &&
           memcmp(set->hashes, m->hashes, m->nhashes * WSIG_HASH_BYTES) == 0;
}

/* Each key's status over every set; false only when out of memory. */
static bool judge_keys(const wsig_data *d, const wsig_module *m, const ward_sig_public_key *keys, size_t nkeys,
                       ward_sig_key_status *status)
{
    for (size_t k = 0; k < nkeys; k++)
        status[k] = WARD_SIG_KEY_ABSENT;
    for (size_t i = 0; i < d->nsets; i++) {
        size_t msg_len;
        uint8_t *msg = wsig_message(d->sets[i].hashes, d->sets[i].nhashes, &msg_len);
        if (!msg)
            return false;
        bool match = set_matches(&d->sets[i], m);
        for (size_t k = 0; k < nkeys; k++) {
            if (status[k] == WARD_SIG_KEY_MISMATCH || !set_signed_by(&d->sets[i], msg, msg_len, &keys[k]))
                continue;
            status[k] = match ? WARD_SIG_KEY_VALID : WARD_SIG_KEY_MISMATCH;
        }
        free(msg);
    }
    return true;
}

static bool conclude(const ward_sig_key_status *status, size_t nkeys, size_t *first_valid, ward_sig_error *err)
{
    size_t valid = SIZE_MAX;
    for (size_t k = 0; k < nkeys; k++) {
        if (status[k] == WARD_SIG_KEY_MISMATCH)
            return wsig_fail(err, WARD_SIG_ERR_HASH_MISMATCH, WARD_SIG_IN_MODULE, UINT64_MAX,
                             "key %zu signed hashes this module does not have: it was modified after signing "
                             "(or is signed only in part)", k);
        if (status[k] == WARD_SIG_KEY_VALID && valid == SIZE_MAX)
            valid = k;
    }
    if (valid == SIZE_MAX)
        return wsig_fail(err, WARD_SIG_ERR_NO_VALID_SIGNATURE, WARD_SIG_IN_NONE, UINT64_MAX,
                         "no signature verifies under the given public key(s)");
    if (first_valid)
        *first_valid = valid;
    return true;
}

bool ward_sig_verify(const uint8_t *module, size_t len, const uint8_t *detached, size_t detached_len,
                     const ward_sig_public_key *keys, size_t nkeys, ward_sig_key_status *status,
                     size_t *first_valid, ward_sig_error *err)
{
    wsig_clear(err);
    if (!module || (nkeys && !keys))
        return wsig_fail(err, WARD_SIG_ERR_ARGUMENT, WARD_SIG_IN_NONE, UINT64_MAX, "invalid argument");
    if (wcrypto_init() != 0)
        return wsig_fail(err, WARD_SIG_ERR_ARGUMENT, WARD_SIG_IN_NONE, UINT64_MAX, "the crypto library cannot start");
    ward_sig_key_status *st = status ? status : wcalloc(nkeys ? nkeys : 1, sizeof *st);
    if (!st)
        return wsig_fail(err, WARD_SIG_ERR_NOMEM, WARD_SIG_IN_NONE, UINT64_MAX, "out of memory");
    for (size_t k = 0; k < nkeys; k++)
        st[k] = WARD_SIG_KEY_ABSENT;
    wsig_module m;
    wsig_data d = {0};
    bool ok = wsig_module_scan(&m, module, len, detached != NULL, NULL, err);
    if (ok && !detached && !m.has_section)
        ok = wsig_fail(err, WARD_SIG_ERR_NOT_SIGNED, WARD_SIG_IN_MODULE, UINT64_MAX,
                       "the module is not signed (no signature section first)");
    if (ok)
        ok = detached ? wsig_data_parse(&d, detached, detached_len, 0, WARD_SIG_IN_DETACHED, err)
                      : wsig_data_parse(&d, m.payload, m.payload_len, m.payload_offset, WARD_SIG_IN_MODULE, err);
    if (ok && !judge_keys(&d, &m, keys, nkeys, st))
        ok = wsig_fail(err, WARD_SIG_ERR_NOMEM, WARD_SIG_IN_NONE, UINT64_MAX, "out of memory");
    if (ok)
        ok = conclude(st, nkeys, first_valid, err);
    wsig_data_free(&d);
    wsig_module_free(&m);
    if (st != status)
        free(st);
    return ok;
}

bool ward_sig_module_is_signed(const uint8_t *module, size_t len)
{
    wsig_module m;
    ward_sig_error err;
    /* a misplaced signature section is an error of the scan: signed, too */
    if (!wsig_module_scan(&m, module, len, false, NULL, &err))
        return err.kind == WARD_SIG_ERR_PLACEMENT;
    bool has = m.has_section;
    wsig_module_free(&m);
    return has;
}
