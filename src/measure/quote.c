/* Quotes: the attestation key's Ed25519 signature over the domain
 * "ward-quote-v1", a nonce and selected registers (docs/measurement.md).
 *
 *   0  4   "WRDQ"
 *   4  1   version 1
 *   5  1   algorithm 1 (Ed25519, SHA-256 registers)
 *   6  2   mask, u16 LE, bit i = register i, not 0
 *   8  1   nonce length n, 0..64
 *   9  n   nonce
 *   .  32k the k selected registers' values, ascending register order
 *   .  32  the signer's Ed25519 public key
 *   .  64  signature of "ward-quote-v1" || every byte above
 */
#include "measure.h"

#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"

#define QUOTE_HEADER 9
#define QUOTE_VERSION 1
#define QUOTE_ALG_ED25519 1
static const uint8_t quote_magic[4] = {'W', 'R', 'D', 'Q'};
static const char quote_domain[] = "ward-quote-v1";

size_t ward_measure_quote_size(size_t nonce_len, uint32_t mask)
{
    if (nonce_len > WARD_MEASURE_NONCE_MAX || !wmeas_mask_ok(mask))
        return 0;
    return QUOTE_HEADER + nonce_len + WARD_MEASURE_DIGEST_BYTES * wmeas_count(mask) + WARD_MEASURE_PK_BYTES + 64;
}

/* The signed message: the domain string, then the quote without its
 * signature. */
static void signed_message(uint8_t *msg, const uint8_t *quote, size_t body_len)
{
    memcpy(msg, quote_domain, sizeof quote_domain - 1);
    memcpy(msg + sizeof quote_domain - 1, quote, body_len);
}

ward_measure_status ward_measure_quote(ward_measure *m, const uint8_t *nonce, size_t nonce_len, uint32_t mask,
                                       uint8_t *out, size_t cap, size_t *out_len)
{
    size_t size = ward_measure_quote_size(nonce_len, mask);
    if (!m || size == 0 || (!nonce && nonce_len) || !out_len)
        return WARD_MEASURE_EARG;
    if (!out || cap < size)
        return WARD_MEASURE_ESPACE;
    uint8_t q[WARD_MEASURE_QUOTE_MAX];
    memcpy(q, quote_magic, sizeof quote_magic);
    q[4] = QUOTE_VERSION;
    q[5] = QUOTE_ALG_ED25519;
    wmeas_put16(q + 6, mask);
    q[8] = (uint8_t)nonce_len;
    if (nonce_len)
        memcpy(q + QUOTE_HEADER, nonce, nonce_len);
    size_t pos = QUOTE_HEADER + nonce_len;
    wmeas_snapshot(m, mask, q + pos);
    pos += WARD_MEASURE_DIGEST_BYTES * wmeas_count(mask);
    uint8_t msg[sizeof quote_domain - 1 + WARD_MEASURE_QUOTE_MAX];
    memcpy(msg, quote_domain, sizeof quote_domain - 1);
    if (!wmeas_sign(m, q, pos, msg, sizeof quote_domain - 1))
        return WARD_MEASURE_EUNAVAILABLE;
    memcpy(out, q, size);
    *out_len = size;
    return WARD_MEASURE_OK;
}

ward_measure_status ward_quote_parse(const uint8_t *quote, size_t len, ward_quote_info *out, ward_measure_error *err)
{
    if (!quote || !out)
        return wmeas_fail(err, WARD_MEASURE_EARG, SIZE_MAX, "quote: NULL");
    memset(out, 0, sizeof *out);
    if (len < sizeof quote_magic)
        return wmeas_fail(err, WARD_MEASURE_ETRUNCATED, len, "quote: %zu bytes, shorter than its header", len);
    if (memcmp(quote, quote_magic, sizeof quote_magic) != 0)
        return wmeas_fail(err, WARD_MEASURE_EMAGIC, 0, "quote: does not start with \"WRDQ\"");
    if (len < QUOTE_HEADER)
        return wmeas_fail(err, WARD_MEASURE_ETRUNCATED, len, "quote: %zu bytes, shorter than its header", len);
    if (quote[4] != QUOTE_VERSION)
        return wmeas_fail(err, WARD_MEASURE_EVERSION, 4, "quote: version %u, expected %u", quote[4], QUOTE_VERSION);
    if (quote[5] != QUOTE_ALG_ED25519)
        return wmeas_fail(err, WARD_MEASURE_EVERSION, 5, "quote: unknown algorithm %u", quote[5]);
    out->mask = wmeas_get16(quote + 6);
    if (out->mask == 0)
        return wmeas_fail(err, WARD_MEASURE_EMALFORMED, 6, "quote: selects no register");
    out->nonce_len = quote[8];
    if (out->nonce_len > WARD_MEASURE_NONCE_MAX)
        return wmeas_fail(err, WARD_MEASURE_EMALFORMED, 8, "quote: nonce of %zu bytes (at most %d)", out->nonce_len,
                          WARD_MEASURE_NONCE_MAX);
    size_t size = ward_measure_quote_size(out->nonce_len, out->mask);
    if (len < size)
        return wmeas_fail(err, WARD_MEASURE_ETRUNCATED, len, "quote: %zu bytes, its header announces %zu", len, size);
    if (len > size)
        return wmeas_fail(err, WARD_MEASURE_ETRAILING, size, "quote: %zu bytes after its signature", len - size);
    memcpy(out->nonce, quote + QUOTE_HEADER, out->nonce_len);
    const uint8_t *v = quote + QUOTE_HEADER + out->nonce_len;
    for (uint32_t i = 0; i < WARD_MEASURE_REGISTERS; i++)
        if (out->mask & (1u << i)) {
            memcpy(out->values[i], v, WARD_MEASURE_DIGEST_BYTES);
            v += WARD_MEASURE_DIGEST_BYTES;
        }
    memcpy(out->public_key, v, WARD_MEASURE_PK_BYTES);
    return WARD_MEASURE_OK;
}

static ward_measure_status check_signature(const uint8_t *quote, size_t len, const ward_quote_info *info,
                                           const uint8_t pk[WARD_MEASURE_PK_BYTES], ward_measure_error *err)
{
    size_t body = len - 64;
    if (memcmp(info->public_key, pk, WARD_MEASURE_PK_BYTES) != 0)
        return wmeas_fail(err, WARD_MEASURE_EKEY, body - WARD_MEASURE_PK_BYTES,
                          "quote: signed by another key than the expected one");
    uint8_t msg[sizeof quote_domain - 1 + WARD_MEASURE_QUOTE_MAX];
    signed_message(msg, quote, body);
    if (wcrypto_verify(quote + body, msg, sizeof quote_domain - 1 + body, pk) != 0)
        return wmeas_fail(err, WARD_MEASURE_ESIGNATURE, body, "quote: the signature does not verify (altered quote)");
    return WARD_MEASURE_OK;
}

/* Every selected register equals the log's replay. */
static ward_measure_status check_log(const ward_quote_info *info, const uint8_t *log, size_t log_len,
                                     ward_measure_error *err)
{
    uint8_t regs[WARD_MEASURE_REGISTERS][WARD_MEASURE_DIGEST_BYTES];
    ward_measure_status s = ward_measure_log_replay(log, log_len, regs, NULL, NULL, err);
    if (s != WARD_MEASURE_OK)
        return s;
    for (uint32_t i = 0; i < WARD_MEASURE_REGISTERS; i++)
        if ((info->mask & (1u << i)) && memcmp(regs[i], info->values[i], WARD_MEASURE_DIGEST_BYTES) != 0)
            return wmeas_fail(err, WARD_MEASURE_ELOG, SIZE_MAX,
                              "quote: register %u differs from the event log's replay", i);
    return WARD_MEASURE_OK;
}

ward_measure_status ward_quote_verify(const uint8_t *quote, size_t len, const uint8_t public_key[WARD_MEASURE_PK_BYTES],
                                      const uint8_t *nonce, size_t nonce_len, const uint8_t *log, size_t log_len,
                                      ward_quote_info *out, ward_measure_error *err)
{
    if (!public_key)
        return wmeas_fail(err, WARD_MEASURE_EARG, SIZE_MAX, "quote: no public key to verify with");
    ward_quote_info local;
    ward_quote_info *info = out ? out : &local;
    ward_measure_status s = ward_quote_parse(quote, len, info, err);
    if (s == WARD_MEASURE_OK)
        s = check_signature(quote, len, info, public_key, err);
    if (s == WARD_MEASURE_OK && nonce &&
        (nonce_len != info->nonce_len || (nonce_len && memcmp(nonce, info->nonce, nonce_len) != 0)))
        s = wmeas_fail(err, WARD_MEASURE_ENONCE, QUOTE_HEADER, "quote: the nonce is not the expected one");
    if (s == WARD_MEASURE_OK && log)
        s = check_log(info, log, log_len, err);
    return s;
}
