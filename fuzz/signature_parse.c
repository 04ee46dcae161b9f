/*
 * libFuzzer target: random bytes into the Signatures.md parser and
 * verifier (include/ward_sign.h) and the trust store / policy parsers
 * (include/ward_trust.h).  The first byte picks how the rest is used:
 *   0  detached signature data for a fixed module
 *   1  the payload of an embedded "signature" section of that module
 *   2  a whole module (any bytes) to verify, sign, then verify again
 *   3  a trust store (JSON)
 *   4  a policy (JSON)
 * Besides ASan/UBSan/LeakSanitizer, it checks the API's promises: a
 * failure leaves a kind and a terminated one-line message; random data
 * never verifies under a key that did not sign it; what ward signs, it
 * verifies (a broken promise calls __builtin_trap()).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ward_sign.h"
#include "ward_trust.h"

static void require(int condition)
{
    if (!condition)
        __builtin_trap();
}

static void check_sig_error(const ward_sig_error *err)
{
    require(err->kind != WARD_SIG_OK);
    require(memchr(err->message, 0, sizeof err->message) != NULL);
    require(err->message[0] != 0 && strchr(err->message, '\n') == NULL);
}

static void check_trust_error(const ward_trust_error *err)
{
    require(err->kind != WARD_TRUST_OK);
    require(memchr(err->message, 0, sizeof err->message) != NULL);
    require(err->message[0] != 0 && strchr(err->message, '\n') == NULL);
}

/* (module (func (export "f") (result i32) i32.const 42)) */
static const uint8_t body[] = {0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x00, 0x07, 0x05,
                               0x01, 0x01, 0x66, 0x00, 0x00, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b};
static const uint8_t header[8] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

static ward_sig_public_key pk;
static ward_sig_secret_key sk;

static void verify_detached(const uint8_t *data, size_t len)
{
    uint8_t module[sizeof header + sizeof body];
    memcpy(module, header, sizeof header);
    memcpy(module + sizeof header, body, sizeof body);
    ward_sig_error err;
    bool ok = ward_sig_verify(module, sizeof module, data, len, &pk, 1, NULL, NULL, &err);
    require(!ok);
    check_sig_error(&err);
}

static void verify_embedded(const uint8_t *data, size_t len)
{
    if (len > 1 << 20)
        return;
    size_t n = sizeof header + 1 + 5 + 1 + 9 + len + sizeof body;
    uint8_t *m = malloc(n), *p = m;
    require(m != NULL);
    memcpy(p, header, 8);
    p += 8;
    *p++ = 0;
    uint32_t size = (uint32_t)(1 + 9 + len);
    for (int i = 0; i < 5; i++, size >>= 7) /* padded LEB128: 5 bytes */
        *p++ = (uint8_t)((size & 0x7f) | (i < 4 ? 0x80 : 0));
    *p++ = 9;
    memcpy(p, "signature", 9);
    p += 9;
    memcpy(p, data, len);
    p += len;
    memcpy(p, body, sizeof body);
    ward_sig_error err;
    require(ward_sig_module_is_signed(m, n));
    bool ok = ward_sig_verify(m, n, NULL, 0, &pk, 1, NULL, NULL, &err);
    require(!ok);
    check_sig_error(&err);
    free(m);
}

static void sign_and_verify(const uint8_t *data, size_t len)
{
    ward_sig_error err;
    ward_sig_key_status st;
    if (!ward_sig_verify(data, len, NULL, 0, &pk, 1, &st, NULL, &err))
        check_sig_error(&err);
    uint8_t *out = NULL;
    size_t out_len;
    ward_sig_sign_options opt;
    ward_sig_sign_options_default(&opt);
    opt.append_delimiter = len & 1;
    if (!ward_sig_sign(data, len, &sk, &opt, &out, &out_len, NULL, NULL, &err)) {
        check_sig_error(&err);
        return;
    }
    require(ward_sig_verify(out, out_len, NULL, 0, &pk, 1, NULL, NULL, &err));
    ward_sig_free(out);
}

static void parse_trust(const uint8_t *data, size_t len, bool policy)
{
    ward_trust_error err;
    if (policy) {
        ward_trust_policy *p = ward_trust_policy_parse("fuzz", (const char *)data, len, &err);
        if (!p)
            check_trust_error(&err);
        for (int l = 0; p && l < WARD_TRUST_LEVELS; l++)
            (void)ward_trust_allows_module(p, (ward_trust_level)l, "ward:crypto");
        ward_trust_policy_free(p);
    } else {
        ward_trust_store *s = ward_trust_store_parse("fuzz", (const char *)data, len, &err);
        if (!s)
            check_trust_error(&err);
        ward_trust_store_free(s);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool ready;
    if (!ready) {
        require(ward_sig_keygen(&pk, &sk));
        ready = true;
    }
    if (size == 0)
        return 0;
    switch (data[0] % 5) {
    case 0: verify_detached(data + 1, size - 1); break;
    case 1: verify_embedded(data + 1, size - 1); break;
    case 2: sign_and_verify(data + 1, size - 1); break;
    case 3: parse_trust(data + 1, size - 1, false); break;
    default: parse_trust(data + 1, size - 1, true); break;
    }
    return 0;
}
