/* Module signatures through the public API (include/ward_sign.h): keys,
 * sign/verify round trips, several keys, partial signatures refused, and
 * every malformed signature-data case giving its error kind and offset. */
#include <stdlib.h>
#include <string.h>

#include "../../include/ward_sign.h"
#include "../test.h"
#include "crypto/crypto.h"

/* (module (func (export "f") (result i32) i32.const 42)) */
static const uint8_t plain[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00,
                                0x01, 0x7f, 0x03, 0x02, 0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00,
                                0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b};

static ward_sig_public_key pk1, pk2, pk3;
static ward_sig_secret_key sk1, sk2;

static void test_keys(void)
{
    uint8_t pb[WARD_SIG_PUBLIC_KEY_BYTES], sb[WARD_SIG_SECRET_KEY_BYTES];
    ward_sig_public_key pk;
    ward_sig_secret_key sk;
    ward_sig_error err;
    ward_sig_public_key_to_bytes(&pk1, pb);
    ward_sig_secret_key_to_bytes(&sk1, sb);
    CHECK(pb[0] == 0x01 && sb[0] == 0x81 && memcmp(sb + 33, pb + 1, 32) == 0);
    CHECK(ward_sig_public_key_from_bytes(&pk, pb, sizeof pb, &err) && memcmp(&pk, &pk1, sizeof pk) == 0);
    CHECK(ward_sig_secret_key_from_bytes(&sk, sb, sizeof sb, &err) && memcmp(&sk, &sk1, sizeof sk) == 0);
    CHECK(!ward_sig_public_key_from_bytes(&pk, pb, 32, &err) && err.kind == WARD_SIG_ERR_KEY);
    CHECK_CONTAINS(err.message, "32 bytes (must be 33)");
    pb[0] = 0x02;
    CHECK(!ward_sig_public_key_from_bytes(&pk, pb, sizeof pb, &err) && err.kind == WARD_SIG_ERR_KEY);
    CHECK_CONTAINS(err.message, "type byte 0x02");
    CHECK(!ward_sig_public_key_from_bytes(&pk, sb, sizeof sb, &err) && err.kind == WARD_SIG_ERR_KEY);
    sb[40] ^= 1; /* public half no longer the secret's */
    CHECK(!ward_sig_secret_key_from_bytes(&sk, sb, sizeof sb, &err) && err.kind == WARD_SIG_ERR_KEY);
    CHECK_CONTAINS(err.message, "does not match");
    sb[0] = 0x01;
    CHECK(!ward_sig_secret_key_from_bytes(&sk, sb, sizeof sb, &err) && err.kind == WARD_SIG_ERR_KEY);
    CHECK(!ward_sig_public_key_load(&pk, "/nonexistent/key.pk", &err) && err.kind == WARD_SIG_ERR_IO);
    ward_sig_public_key derived;
    ward_sig_secret_key_public(&sk1, &derived);
    CHECK(memcmp(&derived, &pk1, sizeof derived) == 0);
    ward_sig_secret_key_wipe(&sk);
}

static uint8_t *sign(const uint8_t *m, size_t len, const ward_sig_secret_key *sk, bool detached, size_t *out_len)
{
    ward_sig_sign_options opt;
    ward_sig_sign_options_default(&opt);
    opt.detached = detached;
    uint8_t *out = NULL;
    ward_sig_error err;
    CHECK_MSG(ward_sig_sign(m, len, sk, &opt, &out, out_len, NULL, NULL, &err), "%s", err.message);
    return out;
}

static void test_round_trip(void)
{
    size_t len, len2;
    ward_sig_error err;
    ward_sig_public_key keys[3] = {pk3, pk2, pk1};
    ward_sig_key_status st[3];
    size_t first = 99;
    uint8_t *s1 = sign(plain, sizeof plain, &sk1, false, &len);
    CHECK(ward_sig_module_is_signed(s1, len) && !ward_sig_module_is_signed(plain, sizeof plain));
    CHECK(ward_sig_verify(s1, len, NULL, 0, keys, 3, st, &first, &err) && first == 2);
    CHECK(st[0] == WARD_SIG_KEY_ABSENT && st[1] == WARD_SIG_KEY_ABSENT && st[2] == WARD_SIG_KEY_VALID);
    CHECK(!ward_sig_verify(s1, len, NULL, 0, keys, 2, NULL, NULL, &err) && err.kind == WARD_SIG_ERR_NO_VALID_SIGNATURE);
    /* a second key adds to the same hash set */
    uint8_t *s2 = sign(s1, len, &sk2, false, &len2);
    /* one record (key id length, algorithm, length, 64 bytes: no length
     * before it in the document's layout) and one more byte in the
     * section's size (past 127) */
    CHECK(len2 == len + 67 + 1);
    CHECK(ward_sig_verify(s2, len2, NULL, 0, keys, 3, st, &first, &err) && first == 1);
    CHECK(st[1] == WARD_SIG_KEY_VALID && st[2] == WARD_SIG_KEY_VALID);
    /* signing again with the same key is refused */
    ward_sig_sign_options opt;
    ward_sig_sign_options_default(&opt);
    uint8_t *out = NULL;
    size_t out_len;
    CHECK(!ward_sig_sign(s2, len2, &sk1, &opt, &out, &out_len, NULL, NULL, &err) && err.kind == WARD_SIG_ERR_DUPLICATE);
    /* a code byte changed: the key's hashes no longer match */
    s2[len2 - 2] ^= 1;
    CHECK(!ward_sig_verify(s2, len2, NULL, 0, keys, 3, st, NULL, &err) && err.kind == WARD_SIG_ERR_HASH_MISMATCH);
    CHECK(st[2] == WARD_SIG_KEY_MISMATCH);
    /* unsigned */
    CHECK(!ward_sig_verify(plain, sizeof plain, NULL, 0, keys, 3, NULL, NULL, &err) && err.kind == WARD_SIG_ERR_NOT_SIGNED);
    /* detached: the data is the embedded section's payload */
    uint8_t *d = sign(plain, sizeof plain, &sk1, true, &len2);
    CHECK(ward_sig_verify(plain, sizeof plain, d, len2, &pk1, 1, NULL, NULL, &err));
    CHECK(!ward_sig_verify(s1, len, d, len2, &pk1, 1, NULL, NULL, &err) && err.kind == WARD_SIG_ERR_PLACEMENT);
    /* adding to previous detached data */
    ward_sig_sign_options_default(&opt);
    opt.detached = true;
    opt.previous = d;
    opt.previous_len = len2;
    CHECK(ward_sig_sign(plain, sizeof plain, &sk2, &opt, &out, &out_len, NULL, NULL, &err));
    CHECK(ward_sig_verify(plain, sizeof plain, out, out_len, &pk2, 1, NULL, NULL, &err));
    CHECK(ward_sig_verify(plain, sizeof plain, out, out_len, &pk1, 1, NULL, NULL, &err));
    ward_sig_free(out);
    ward_sig_free(d);
    ward_sig_free(s1);
    ward_sig_free(s2);
}

/* Sections appended after a delimiter: the whole module no longer
 * matches, and the prefix alone (partial verification) is refused. */
static void test_partial_refused(void)
{
    ward_sig_sign_options opt;
    ward_sig_sign_options_default(&opt);
    opt.append_delimiter = true;
    uint8_t *out = NULL;
    size_t len;
    ward_sig_error err;
    CHECK(ward_sig_sign(plain, sizeof plain, &sk1, &opt, &out, &len, NULL, NULL, &err));
    CHECK(ward_sig_verify(out, len, NULL, 0, &pk1, 1, NULL, NULL, &err));
    static const uint8_t extra[] = {0x00, 0x04, 0x03, 'e', 'x', 't'};
    uint8_t *ext = malloc(len + sizeof extra);
    memcpy(ext, out, len);
    memcpy(ext + len, extra, sizeof extra);
    CHECK(!ward_sig_verify(ext, len + sizeof extra, NULL, 0, &pk1, 1, NULL, NULL, &err) &&
          err.kind == WARD_SIG_ERR_HASH_MISMATCH);
    /* a second signer of the extended module makes a second hash set */
    uint8_t *both = NULL;
    size_t both_len;
    ward_sig_sign_options_default(&opt);
    CHECK(ward_sig_sign(ext, len + sizeof extra, &sk2, &opt, &both, &both_len, NULL, NULL, &err));
    CHECK(ward_sig_verify(both, both_len, NULL, 0, &pk2, 1, NULL, NULL, &err));
    CHECK(!ward_sig_verify(both, both_len, NULL, 0, &pk1, 1, NULL, NULL, &err) && err.kind == WARD_SIG_ERR_HASH_MISMATCH);
    free(ext);
    ward_sig_free(both);
    ward_sig_free(out);
}

typedef struct bad_case {
    const char *what;
    uint8_t data[96];
    size_t len;
    ward_sig_error_kind kind;
    uint64_t offset;
} bad_case;

#define H32 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32

static const bad_case bad_cases[] = {
    {"empty", {0}, 0, WARD_SIG_ERR_TRUNCATED, 0},
    {"version 2", {0x02, 0x01, 0x01, 0x00}, 4, WARD_SIG_ERR_VERSION, 0},
    {"content type 2", {0x01, 0x02, 0x01, 0x00}, 4, WARD_SIG_ERR_CONTENT_TYPE, 1},
    {"hash function 2", {0x01, 0x01, 0x02, 0x00}, 4, WARD_SIG_ERR_HASH_FUNCTION, 2},
    {"no set count", {0x01, 0x01, 0x01}, 3, WARD_SIG_ERR_TRUNCATED, 3},
    {"overlong count", {0x01, 0x01, 0x01, 0xff, 0xff, 0xff, 0xff, 0x7f}, 8, WARD_SIG_ERR_MALFORMED, 3},
    {"65 sets", {0x01, 0x01, 0x01, 0x41}, 4, WARD_SIG_ERR_OVERSIZED, 3},
    /* the document's layout: sets and records back to back */
    {"hashes past the end", {0x01, 0x01, 0x01, 0x01, 0x05}, 5, WARD_SIG_ERR_TRUNCATED, 5},
    {"65 hashes", {0x01, 0x01, 0x01, 0x01, 0x41}, 5, WARD_SIG_ERR_OVERSIZED, 4},
    {"short hash", {0x01, 0x01, 0x01, 0x01, 0x01, 0xaa, 0xbb}, 7, WARD_SIG_ERR_TRUNCATED, 5},
    {"257 signatures", {0x01, 0x01, 0x01, 0x01, 0x01, H32, 0x81, 0x02}, 39, WARD_SIG_ERR_OVERSIZED, 37},
    {"record past the end", {0x01, 0x01, 0x01, 0x01, 0x01, H32, 0x01}, 38, WARD_SIG_ERR_TRUNCATED, 38},
    {"unknown algorithm", {0x01, 0x01, 0x01, 0x01, 0x01, H32, 0x01, 0x00, 0x02, 0x00}, 41, WARD_SIG_ERR_ALGORITHM,
     39},
    {"63-byte signature", {0x01, 0x01, 0x01, 0x01, 0x01, H32, 0x01, 0x00, 0x01, 0x3f}, 41,
     WARD_SIG_ERR_SIGNATURE_LENGTH, 40},
    {"signature past the end", {0x01, 0x01, 0x01, 0x01, 0x01, H32, 0x01, 0x00, 0x01, 0x40}, 41,
     WARD_SIG_ERR_TRUNCATED, 41},
    {"key id past the end", {0x01, 0x01, 0x01, 0x01, 0x01, H32, 0x01, 0x05, 0x00}, 40, WARD_SIG_ERR_TRUNCATED, 39},
    {"byte after the last record", {0x01, 0x01, 0x01, 0x01, 0x01, H32, 0x00, 0x00}, 39, WARD_SIG_ERR_OVERSIZED, 38},
    {"byte after the last set", {0x01, 0x01, 0x01, 0x00, 0x00}, 5, WARD_SIG_ERR_OVERSIZED, 4},
};

/* Signatures.md, "Signature data" and Appendix A, byte for byte: one
 * signature over a module without delimiters is 01 01 01, 1 set, 1 hash
 * (SHA-256 of the sections as they are in the file), 1 signature with no
 * key id, algorithm 01, length 64, Ed25519 over "wasmsig" 01 01 01 hash. */
static void test_document_layout(void)
{
    size_t len;
    uint8_t *data = sign(plain, sizeof plain, &sk1, true, &len);
    uint8_t h[32];
    wcrypto_sha256(h, plain + 8, sizeof plain - 8);
    static const uint8_t head[] = {0x01, 0x01, 0x01, 0x01, 0x01};
    static const uint8_t rec[] = {0x01, 0x00, 0x01, 0x40};
    CHECK(data && len == sizeof head + 32 + sizeof rec + 64);
    if (!data || len != sizeof head + 32 + sizeof rec + 64)
        return;
    CHECK(memcmp(data, head, sizeof head) == 0 && memcmp(data + 5, h, 32) == 0 &&
          memcmp(data + 37, rec, sizeof rec) == 0);
    uint8_t msg[7 + 3 + 32];
    memcpy(msg, "wasmsig\x01\x01\x01", 10);
    memcpy(msg + 10, h, 32);
    CHECK(wcrypto_verify(data + 41, msg, sizeof msg, pk1.key) == 0);

    /* wasmsign2 writes a byte length before each hash set and each
     * signature record: the same signature in that layout verifies too */
    uint8_t framed[4 + 1 + 1 + 32 + 1 + 1 + 67];
    size_t n = 0;
    memcpy(framed, head, 4), n = 4;
    framed[n++] = 1 + 32 + 1 + 1 + 67; /* the set's length */
    framed[n++] = 0x01;
    memcpy(framed + n, h, 32), n += 32;
    framed[n++] = 0x01;
    framed[n++] = 67; /* the record's length */
    memcpy(framed + n, data + 38, 67), n += 67;
    ward_sig_error err;
    CHECK_MSG(n == sizeof framed && ward_sig_verify(plain, sizeof plain, framed, n, &pk1, 1, NULL, NULL, &err), "%s",
              err.message);
    framed[4]++; /* a length that does not fit is refused */
    CHECK(!ward_sig_verify(plain, sizeof plain, framed, n, &pk1, 1, NULL, NULL, &err));
    ward_sig_free(data);
}

/* A size re-encoded with a padding byte is the same section to a decoder,
 * but different bytes: refused (ward once hashed a canonical re-encoding,
 * which let this change through). */
static void test_padded_size_refused(void)
{
    size_t len;
    uint8_t *data = sign(plain, sizeof plain, &sk1, true, &len);
    uint8_t padded[sizeof plain + 1];
    /* the type section's size 0x05 becomes 0x85 0x00 */
    memcpy(padded, plain, 9);
    padded[9] = 0x85;
    padded[10] = 0x00;
    memcpy(padded + 11, plain + 10, sizeof plain - 10);
    ward_sig_error err;
    CHECK(ward_sig_verify(plain, sizeof plain, data, len, &pk1, 1, NULL, NULL, &err));
    CHECK(!ward_sig_verify(padded, sizeof padded, data, len, &pk1, 1, NULL, NULL, &err) &&
          err.kind == WARD_SIG_ERR_HASH_MISMATCH);
    ward_sig_free(data);
}

static void test_bad_data(void)
{
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *c = &bad_cases[i];
        ward_sig_error err;
        bool ok = ward_sig_verify(plain, sizeof plain, c->data, c->len, &pk1, 1, NULL, NULL, &err);
        CHECK_MSG(!ok && err.kind == c->kind && err.offset == c->offset && err.where == WARD_SIG_IN_DETACHED,
                  "%s: kind %s offset %llu: %s", c->what, ward_sig_error_kind_name(err.kind),
                  (unsigned long long)err.offset, err.message);
    }
    /* an empty but well-formed set list: nothing verifies */
    static const uint8_t none[] = {0x01, 0x01, 0x01, 0x00};
    ward_sig_error err;
    CHECK(!ward_sig_verify(plain, sizeof plain, none, sizeof none, &pk1, 1, NULL, NULL, &err) &&
          err.kind == WARD_SIG_ERR_NO_VALID_SIGNATURE);
}

/* The embedded section: offsets count in the module file. */
static void test_bad_embedded(void)
{
    size_t len;
    uint8_t *s = sign(plain, sizeof plain, &sk1, false, &len);
    ward_sig_error err;
    /* payload starts after header (8), id, size (1 byte), name (10) */
    size_t payload = 8 + 1 + 1 + 10;
    s[payload] = 0x07;
    CHECK(!ward_sig_verify(s, len, NULL, 0, &pk1, 1, NULL, NULL, &err) && err.kind == WARD_SIG_ERR_VERSION &&
          err.offset == payload && err.where == WARD_SIG_IN_MODULE);
    CHECK_CONTAINS(err.message, "offset 0x14: unknown spec_version 0x07");
    s[payload] = 0x01;
    /* truncated module: the last section runs past the end */
    CHECK(!ward_sig_verify(s, len - 1, NULL, 0, &pk1, 1, NULL, NULL, &err) && err.kind == WARD_SIG_ERR_MODULE);
    /* a signature section that is not first */
    uint8_t *two = malloc(len + len - 8);
    memcpy(two, s, len);
    memcpy(two + len, s + 8, len - 8);
    CHECK(!ward_sig_verify(two, len + len - 8, NULL, 0, &pk1, 1, NULL, NULL, &err) &&
          err.kind == WARD_SIG_ERR_PLACEMENT && err.offset == len);
    /* not wasm at all */
    CHECK(!ward_sig_verify((const uint8_t *)"hello", 5, NULL, 0, &pk1, 1, NULL, NULL, &err) &&
          err.kind == WARD_SIG_ERR_MODULE);
    free(two);
    ward_sig_free(s);
}

int main(void)
{
    CHECK(ward_sig_keygen(&pk1, &sk1) && ward_sig_keygen(&pk2, &sk2) && ward_sig_keygen(&pk3, &(ward_sig_secret_key){0}));
    test_keys();
    test_round_trip();
    test_partial_refused();
    test_document_layout();
    test_padded_size_refused();
    test_bad_data();
    test_bad_embedded();
    ward_sig_secret_key_wipe(&sk1);
    ward_sig_secret_key_wipe(&sk2);
    return test_summary("sign");
}
