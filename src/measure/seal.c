/* Sealing: XChaCha20-Poly1305 under a key derived from the host's sealing
 * secret and the current values of selected registers
 * (docs/measurement.md).
 *
 *   0  4   "WRDS"
 *   4  1   version 1
 *   5  1   algorithm 1 (BLAKE2b-256 key derivation, XChaCha20-Poly1305-IETF)
 *   6  2   mask, u16 LE, not 0
 *   8  24  random nonce
 *   32 n   ciphertext
 *   .  16  tag; associated data: bytes 0..8 (the header with the mask)
 */
#include "measure.h"

#include <string.h>

#include "crypto/crypto.h"

#define SEAL_HEADER 8
#define SEAL_PREFIX (SEAL_HEADER + WCRYPTO_AEAD_NONCE_BYTES)
#define SEAL_VERSION 1
#define SEAL_ALG 1
static const uint8_t seal_magic[4] = {'W', 'R', 'D', 'S'};

_Static_assert(SEAL_PREFIX + WCRYPTO_AEAD_TAG_BYTES == WARD_MEASURE_SEAL_OVERHEAD, "seal overhead");

ward_measure_status ward_measure_seal(ward_measure *m, uint32_t mask, const uint8_t *data, size_t len, uint8_t *out,
                                      size_t cap, size_t *out_len)
{
    if (!m || !wmeas_mask_ok(mask) || (!data && len) || !out_len || len > WARD_MEASURE_SEAL_MAX)
        return WARD_MEASURE_EARG;
    if (!out || cap < len + WARD_MEASURE_SEAL_OVERHEAD)
        return WARD_MEASURE_ESPACE;
    uint8_t key[WCRYPTO_AEAD_KEY_BYTES];
    if (!wmeas_seal_key(m, mask, key))
        return WARD_MEASURE_EUNAVAILABLE;
    memcpy(out, seal_magic, sizeof seal_magic);
    out[4] = SEAL_VERSION;
    out[5] = SEAL_ALG;
    wmeas_put16(out + 6, mask);
    wcrypto_random(out + SEAL_HEADER, WCRYPTO_AEAD_NONCE_BYTES);
    wcrypto_aead_encrypt(out + SEAL_PREFIX, data, len, out, SEAL_HEADER, out + SEAL_HEADER, key);
    wcrypto_wipe(key, sizeof key);
    *out_len = len + WARD_MEASURE_SEAL_OVERHEAD;
    return WARD_MEASURE_OK;
}

/* Magic, version, algorithm, mask and size of a blob. */
static ward_measure_status check_blob(const uint8_t *blob, size_t len, ward_measure_error *err)
{
    if (len < sizeof seal_magic)
        return wmeas_fail(err, WARD_MEASURE_ETRUNCATED, len, "sealed blob: %zu bytes, shorter than its header", len);
    if (memcmp(blob, seal_magic, sizeof seal_magic) != 0)
        return wmeas_fail(err, WARD_MEASURE_EMAGIC, 0, "sealed blob: does not start with \"WRDS\"");
    if (len < WARD_MEASURE_SEAL_OVERHEAD)
        return wmeas_fail(err, WARD_MEASURE_ETRUNCATED, len, "sealed blob: %zu bytes, at least %d needed", len,
                          WARD_MEASURE_SEAL_OVERHEAD);
    if (len - WARD_MEASURE_SEAL_OVERHEAD > WARD_MEASURE_SEAL_MAX)
        return wmeas_fail(err, WARD_MEASURE_EOVERSIZED, SIZE_MAX, "sealed blob: %zu bytes, over the limit", len);
    if (blob[4] != SEAL_VERSION)
        return wmeas_fail(err, WARD_MEASURE_EVERSION, 4, "sealed blob: version %u, expected %u", blob[4],
                          SEAL_VERSION);
    if (blob[5] != SEAL_ALG)
        return wmeas_fail(err, WARD_MEASURE_EVERSION, 5, "sealed blob: unknown algorithm %u", blob[5]);
    if (wmeas_get16(blob + 6) == 0)
        return wmeas_fail(err, WARD_MEASURE_EMALFORMED, 6, "sealed blob: selects no register");
    return WARD_MEASURE_OK;
}

ward_measure_status ward_measure_unseal(ward_measure *m, const uint8_t *blob, size_t len, uint8_t *out, size_t cap,
                                        size_t *out_len, ward_measure_error *err)
{
    if (!m || !blob || !out_len)
        return wmeas_fail(err, WARD_MEASURE_EARG, SIZE_MAX, "unseal: NULL argument");
    ward_measure_status s = check_blob(blob, len, err);
    if (s != WARD_MEASURE_OK)
        return s;
    size_t plain = len - WARD_MEASURE_SEAL_OVERHEAD;
    if ((!out && plain) || cap < plain)
        return wmeas_fail(err, WARD_MEASURE_ESPACE, SIZE_MAX, "unseal: %zu bytes of room for %zu", cap, plain);
    uint8_t key[WCRYPTO_AEAD_KEY_BYTES];
    if (!wmeas_seal_key(m, wmeas_get16(blob + 6), key))
        return wmeas_fail(err, WARD_MEASURE_EUNAVAILABLE, SIZE_MAX, "unseal: no sealing secret");
    uint8_t empty[1];
    int r = wcrypto_aead_decrypt(plain ? out : empty, blob + SEAL_PREFIX, len - SEAL_PREFIX, blob, SEAL_HEADER,
                                 blob + SEAL_HEADER, key);
    wcrypto_wipe(key, sizeof key);
    if (r != 0)
        return wmeas_fail(err, WARD_MEASURE_EAUTH, SIZE_MAX,
                          "sealed blob does not open: a selected register changed, or another secret, or altered");
    *out_len = plain;
    return WARD_MEASURE_OK;
}
