/* The measurement registry through its C API (docs/measurement.md):
 * extend known answers, log export and replay, quotes, sealing, and
 * malformed logs, quotes and blobs refused with their own status. */
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "../test.h"
#include "ward_measure.h"

static void hex32(uint8_t out[32], const char *hex)
{
    CHECK(wcrypto_from_hex(out, 32, hex, 64));
}

/* R = SHA-256(R || SHA-256(data)), checked against values computed with
 * Python's hashlib. */
static void test_extend_known_answer(void)
{
    ward_measure *m = ward_measure_new(0);
    uint8_t r[32], want[32];
    CHECK(ward_measure_read(m, 3, r) == WARD_MEASURE_OK);
    memset(want, 0, 32);
    CHECK(memcmp(r, want, 32) == 0);
    CHECK(ward_measure_extend(m, 3, (const uint8_t *)"abc", 3, "first", 5) == WARD_MEASURE_OK);
    hex32(want, "589f9ffed4c477966bfb8d41f37895b08c69047df8f911d6f3b57fbe08faee8d");
    CHECK(ward_measure_read(m, 3, r) == WARD_MEASURE_OK && memcmp(r, want, 32) == 0);
    CHECK(ward_measure_extend(m, 3, NULL, 0, NULL, 0) == WARD_MEASURE_OK);
    hex32(want, "ef6a5fdbba9e14e07fa74d23b7ae639d146ce41635cf3fe44315988c4cbd0caf");
    CHECK(ward_measure_read(m, 3, r) == WARD_MEASURE_OK && memcmp(r, want, 32) == 0);
    /* bad arguments */
    CHECK(ward_measure_extend(m, 16, (const uint8_t *)"x", 1, NULL, 0) == WARD_MEASURE_EARG);
    CHECK(ward_measure_extend(m, 0, NULL, 1, NULL, 0) == WARD_MEASURE_EARG);
    char longdesc[WARD_MEASURE_DESC_MAX + 1];
    memset(longdesc, 'd', sizeof longdesc);
    CHECK(ward_measure_extend(m, 0, NULL, 0, longdesc, sizeof longdesc) == WARD_MEASURE_EARG);
    CHECK(ward_measure_extend(m, 0, NULL, 0, longdesc, WARD_MEASURE_DESC_MAX) == WARD_MEASURE_OK);
    CHECK(ward_measure_read(m, 16, r) == WARD_MEASURE_EARG);
    ward_measure_free(m);
}

typedef struct seen {
    int n;
    uint32_t regs[8];
    char descs[8][16];
} seen;

static void record(void *ctx, const ward_measure_event *ev)
{
    seen *s = ctx;
    if (s->n < 8) {
        s->regs[s->n] = ev->reg;
        snprintf(s->descs[s->n], sizeof s->descs[0], "%.*s", (int)ev->desc_len, ev->desc);
    }
    s->n++;
}

static void test_log_replay(void)
{
    ward_measure *m = ward_measure_new(0);
    uint8_t *log;
    size_t len;
    CHECK(ward_measure_export_log(m, &log, &len) == WARD_MEASURE_OK && len == 12);
    uint8_t regs[16][32], now[16][32];
    CHECK(ward_measure_log_replay(log, len, regs, NULL, NULL, NULL) == WARD_MEASURE_OK);
    free(log);
    ward_measure_extend(m, 0, (const uint8_t *)"module", 6, "module", 6);
    ward_measure_extend(m, 1, NULL, 0, "no policy", 9);
    ward_measure_extend(m, 9, (const uint8_t *)"g", 1, "guest", 5);
    CHECK(ward_measure_export_log(m, &log, &len) == WARD_MEASURE_OK);
    CHECK(len == 12 + 3 * 34 + 6 + 9 + 5);
    seen s = {0};
    CHECK(ward_measure_log_replay(log, len, regs, record, &s, NULL) == WARD_MEASURE_OK);
    CHECK(ward_measure_read_all(m, now) == WARD_MEASURE_OK);
    CHECK(memcmp(regs, now, sizeof regs) == 0);
    CHECK(s.n == 3 && s.regs[0] == 0 && s.regs[1] == 1 && s.regs[2] == 9);
    CHECK(strcmp(s.descs[1], "no policy") == 0);
    free(log);
    ward_measure_free(m);
}

/* A log of limited size refuses the extend that does not fit and leaves
 * the register alone. */
static void test_log_full(void)
{
    ward_measure *m = ward_measure_new(34 * 2);
    uint8_t before[32], after[32];
    CHECK(ward_measure_extend(m, 2, NULL, 0, NULL, 0) == WARD_MEASURE_OK);
    CHECK(ward_measure_extend(m, 2, NULL, 0, NULL, 0) == WARD_MEASURE_OK);
    ward_measure_read(m, 2, before);
    CHECK(ward_measure_extend(m, 2, NULL, 0, NULL, 0) == WARD_MEASURE_EFULL);
    ward_measure_read(m, 2, after);
    CHECK(memcmp(before, after, 32) == 0);
    ward_measure_free(m);
}

static uint8_t *log_of(ward_measure *m, size_t *len)
{
    uint8_t *log = NULL;
    CHECK(ward_measure_export_log(m, &log, len) == WARD_MEASURE_OK);
    return log;
}

static ward_measure_status replay_status(const uint8_t *log, size_t len, size_t *offset)
{
    ward_measure_error err = {0};
    uint8_t regs[16][32];
    ward_measure_status s = ward_measure_log_replay(log, len, regs, NULL, NULL, &err);
    if (s != WARD_MEASURE_OK) {
        CHECK(err.status == s && err.message[0] != 0);
        if (offset)
            *offset = err.offset;
    }
    return s;
}

static void test_malformed_logs(void)
{
    ward_measure *m = ward_measure_new(0);
    ward_measure_extend(m, 4, (const uint8_t *)"x", 1, "abc", 3);
    ward_measure_extend(m, 5, (const uint8_t *)"y", 1, NULL, 0);
    size_t len, off = 0;
    uint8_t *log = log_of(m, &len);
    uint8_t *copy = malloc(len + 1);
    /* every truncation is refused (none reads past the end: ASan) */
    for (size_t cut = 0; cut < len; cut++) {
        memcpy(copy, log, cut);
        ward_measure_status s = replay_status(copy, cut, NULL);
        CHECK_MSG(s == WARD_MEASURE_ETRUNCATED || (cut == 0 && s == WARD_MEASURE_ETRUNCATED), "cut %zu: %d", cut,
                  s);
    }
    memcpy(copy, log, len);
    copy[len] = 0;
    CHECK(replay_status(copy, len + 1, &off) == WARD_MEASURE_ETRAILING && off == len);
    copy[0] = 'X';
    CHECK(replay_status(copy, len, &off) == WARD_MEASURE_EMAGIC && off == 0);
    memcpy(copy, log, len);
    copy[4] = 2;
    CHECK(replay_status(copy, len, &off) == WARD_MEASURE_EVERSION && off == 4);
    memcpy(copy, log, len);
    copy[6] = 1;
    CHECK(replay_status(copy, len, &off) == WARD_MEASURE_EMALFORMED && off == 5);
    memcpy(copy, log, len);
    copy[12] = 16; /* first event's register */
    CHECK(replay_status(copy, len, &off) == WARD_MEASURE_EMALFORMED && off == 12);
    memcpy(copy, log, len);
    copy[8] = 0xff; /* an event count no input of this size can hold */
    CHECK(replay_status(copy, len, &off) == WARD_MEASURE_ETRUNCATED && off == 8);
    memcpy(copy, log, len);
    copy[13] = 200; /* description longer than what is left */
    CHECK(replay_status(copy, len, &off) == WARD_MEASURE_ETRUNCATED && off == 12);
    CHECK(ward_measure_log_replay(NULL, 5, NULL, NULL, NULL, NULL) == WARD_MEASURE_EARG);
    free(copy);
    free(log);
    ward_measure_free(m);
}

static ward_measure *with_key(uint8_t pk[32], uint8_t seed_byte)
{
    ward_measure *m = ward_measure_new(0);
    uint8_t seed[32], sk[64];
    memset(seed, seed_byte, sizeof seed);
    wcrypto_sign_keypair_from_seed(pk, sk, seed);
    CHECK(ward_measure_set_attestation_key(m, sk) == WARD_MEASURE_OK);
    wcrypto_wipe(sk, sizeof sk);
    return m;
}

static void test_quote_round_trip(void)
{
    uint8_t pk[32], other_pk[32], q[WARD_MEASURE_QUOTE_MAX];
    ward_measure *m = with_key(pk, 7);
    ward_measure *other = with_key(other_pk, 8);
    ward_measure_extend(m, 0, (const uint8_t *)"mod", 3, "module", 6);
    ward_measure_extend(m, 9, (const uint8_t *)"g", 1, "guest", 5);
    const uint8_t nonce[] = "fresh nonce";
    uint32_t mask = 1u << 0 | 1u << 9;
    size_t qlen = 0, len;
    CHECK(ward_measure_quote(m, nonce, sizeof nonce, mask, q, sizeof q, &qlen) == WARD_MEASURE_OK);
    CHECK(qlen == ward_measure_quote_size(sizeof nonce, mask) && qlen == 9 + sizeof nonce + 64 + 96);
    uint8_t *log = log_of(m, &len);
    ward_quote_info info;
    ward_measure_error err;
    CHECK(ward_quote_verify(q, qlen, pk, nonce, sizeof nonce, log, len, &info, &err) == WARD_MEASURE_OK);
    uint8_t r9[32];
    ward_measure_read(m, 9, r9);
    CHECK(info.mask == mask && memcmp(info.values[9], r9, 32) == 0 && memcmp(info.public_key, pk, 32) == 0);
    CHECK(ward_quote_verify(q, qlen, pk, NULL, 0, NULL, 0, NULL, NULL) == WARD_MEASURE_OK);
    /* refusals, each with its own status */
    CHECK(ward_quote_verify(q, qlen, other_pk, nonce, sizeof nonce, NULL, 0, NULL, &err) == WARD_MEASURE_EKEY);
    CHECK(ward_quote_verify(q, qlen, pk, (const uint8_t *)"other", 5, NULL, 0, NULL, &err) == WARD_MEASURE_ENONCE);
    CHECK(ward_quote_verify(q, qlen, pk, nonce, 0, NULL, 0, NULL, &err) == WARD_MEASURE_ENONCE);
    for (size_t i = 9; i < qlen; i++) { /* any altered byte past the header */
        q[i] ^= 0x20;
        ward_measure_status s = ward_quote_verify(q, qlen, pk, NULL, 0, NULL, 0, NULL, &err);
        CHECK_MSG(s == WARD_MEASURE_ESIGNATURE || (s == WARD_MEASURE_EKEY && i >= qlen - 96 && i < qlen - 64),
                  "byte %zu: %d", i, s);
        q[i] ^= 0x20;
    }
    q[6] ^= 0x02; /* another register selected: the size no longer matches */
    CHECK(ward_quote_verify(q, qlen, pk, NULL, 0, NULL, 0, NULL, &err) == WARD_MEASURE_ETRUNCATED);
    q[6] ^= 0x02;
    /* the log no longer matches once a quoted register moves on */
    ward_measure_extend(m, 9, (const uint8_t *)"more", 4, "guest", 5);
    free(log);
    log = log_of(m, &len);
    CHECK(ward_quote_verify(q, qlen, pk, nonce, sizeof nonce, log, len, NULL, &err) == WARD_MEASURE_ELOG);
    CHECK_CONTAINS(err.message, "register 9");
    /* a malformed log is the log's error, not a mismatch */
    CHECK(ward_quote_verify(q, qlen, pk, nonce, sizeof nonce, log, 5, NULL, &err) == WARD_MEASURE_ETRUNCATED);
    /* an unselected register may move freely */
    ward_measure_extend(m, 10, (const uint8_t *)"x", 1, NULL, 0);
    CHECK(ward_measure_quote(m, nonce, 0, 1u << 0, q, sizeof q, &qlen) == WARD_MEASURE_OK);
    free(log);
    log = log_of(m, &len);
    CHECK(ward_quote_verify(q, qlen, pk, nonce, 0, log, len, NULL, &err) == WARD_MEASURE_OK);
    free(log);
    ward_measure_free(m);
    ward_measure_free(other);
}

static void test_quote_arguments(void)
{
    uint8_t pk[32], q[WARD_MEASURE_QUOTE_MAX], nonce[65] = {0};
    size_t qlen = 0;
    ward_measure *m = ward_measure_new(0);
    CHECK(ward_measure_quote(m, nonce, 8, 1, q, sizeof q, &qlen) == WARD_MEASURE_EUNAVAILABLE);
    CHECK(ward_measure_attestation_public_key(m, pk) == WARD_MEASURE_EUNAVAILABLE);
    ward_measure_free(m);
    m = with_key(pk, 1);
    CHECK(ward_measure_quote(m, nonce, 65, 1, q, sizeof q, &qlen) == WARD_MEASURE_EARG);
    CHECK(ward_measure_quote(m, nonce, 8, 0, q, sizeof q, &qlen) == WARD_MEASURE_EARG);
    CHECK(ward_measure_quote(m, nonce, 8, 0x10000, q, sizeof q, &qlen) == WARD_MEASURE_EARG);
    size_t need = ward_measure_quote_size(64, 0xFFFF);
    CHECK(need == WARD_MEASURE_QUOTE_MAX);
    memset(q, 0xAA, sizeof q);
    CHECK(ward_measure_quote(m, nonce, 64, 0xFFFF, q, need - 1, &qlen) == WARD_MEASURE_ESPACE);
    CHECK(q[0] == 0xAA && q[need - 2] == 0xAA); /* nothing written */
    CHECK(ward_measure_quote(m, nonce, 64, 0xFFFF, q, need, &qlen) == WARD_MEASURE_OK && qlen == need);
    CHECK(ward_quote_verify(q, qlen, pk, nonce, 64, NULL, 0, NULL, NULL) == WARD_MEASURE_OK);
    /* a key whose public half is not its seed's is refused */
    uint8_t sk[64];
    memset(sk, 3, sizeof sk);
    CHECK(ward_measure_set_attestation_key(m, sk) == WARD_MEASURE_EARG);
    ward_measure_free(m);
}

static void test_malformed_quotes(void)
{
    uint8_t pk[32], q[WARD_MEASURE_QUOTE_MAX + 1];
    size_t qlen = 0, off;
    ward_measure *m = with_key(pk, 2);
    CHECK(ward_measure_quote(m, (const uint8_t *)"n", 1, 0x0101, q, sizeof q, &qlen) == WARD_MEASURE_OK);
    ward_measure_error err;
    ward_quote_info info;
    for (size_t cut = 0; cut < qlen; cut++)
        CHECK(ward_quote_parse(q, cut, &info, &err) == WARD_MEASURE_ETRUNCATED);
    CHECK(ward_quote_parse(q, qlen + 1, &info, &err) == WARD_MEASURE_ETRAILING && err.offset == qlen);
    struct {
        size_t at;
        uint8_t value;
        ward_measure_status want;
    } cases[] = {
        {0, 'X', WARD_MEASURE_EMAGIC},     {4, 2, WARD_MEASURE_EVERSION},   {5, 9, WARD_MEASURE_EVERSION},
        {8, 65, WARD_MEASURE_EMALFORMED},  {8, 0, WARD_MEASURE_ETRAILING},  {8, 2, WARD_MEASURE_ETRUNCATED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t saved = q[cases[i].at];
        q[cases[i].at] = cases[i].value;
        off = SIZE_MAX;
        ward_measure_status s = ward_quote_parse(q, qlen, &info, &err);
        off = err.offset;
        CHECK_MSG(s == cases[i].want, "case %zu: %d (%s at %zu)", i, s, err.message, off);
        q[cases[i].at] = saved;
    }
    q[6] = q[7] = 0;
    CHECK(ward_quote_parse(q, qlen, &info, &err) == WARD_MEASURE_EMALFORMED && err.offset == 6);
    ward_measure_free(m);
}

static ward_measure *with_secret(uint8_t byte)
{
    ward_measure *m = ward_measure_new(0);
    uint8_t secret[32];
    memset(secret, byte, sizeof secret);
    CHECK(ward_measure_set_seal_secret(m, secret) == WARD_MEASURE_OK);
    return m;
}

static void test_seal_round_trip(void)
{
    ward_measure *m = with_secret(5);
    const uint8_t msg[] = "the vault's key";
    uint8_t blob[sizeof msg + 48], out[sizeof msg];
    size_t blen = 0, olen = 0;
    uint32_t mask = 1u << 0 | 1u << 8;
    CHECK(ward_measure_seal(m, mask, msg, sizeof msg, blob, sizeof blob, &blen) == WARD_MEASURE_OK);
    CHECK(blen == sizeof msg + 48);
    CHECK(ward_measure_unseal(m, blob, blen, out, sizeof out, &olen, NULL) == WARD_MEASURE_OK);
    CHECK(olen == sizeof msg && memcmp(out, msg, olen) == 0);
    /* an unselected register moves: still opens */
    ward_measure_extend(m, 9, (const uint8_t *)"x", 1, NULL, 0);
    CHECK(ward_measure_unseal(m, blob, blen, out, sizeof out, &olen, NULL) == WARD_MEASURE_OK);
    /* too little room: refused before anything */
    ward_measure_error err;
    CHECK(ward_measure_unseal(m, blob, blen, out, sizeof out - 1, &olen, &err) == WARD_MEASURE_ESPACE);
    CHECK(ward_measure_seal(m, mask, msg, sizeof msg, blob, sizeof blob - 1, &blen) == WARD_MEASURE_ESPACE);
    /* the mask is bound: changing it breaks the blob */
    blob[6] ^= 0x04;
    CHECK(ward_measure_unseal(m, blob, blen, out, sizeof out, &olen, &err) == WARD_MEASURE_EAUTH);
    blob[6] ^= 0x04;
    /* another host's secret does not open it */
    ward_measure *other = with_secret(6);
    CHECK(ward_measure_unseal(other, blob, blen, out, sizeof out, &olen, &err) == WARD_MEASURE_EAUTH);
    ward_measure_free(other);
    /* a selected register moves: it no longer opens */
    ward_measure_extend(m, 8, (const uint8_t *)"x", 1, NULL, 0);
    CHECK(ward_measure_unseal(m, blob, blen, out, sizeof out, &olen, &err) == WARD_MEASURE_EAUTH);
    CHECK_CONTAINS(err.message, "does not open");
    /* empty data seals too */
    CHECK(ward_measure_seal(m, 1, NULL, 0, blob, 48, &blen) == WARD_MEASURE_OK && blen == 48);
    CHECK(ward_measure_unseal(m, blob, blen, NULL, 0, &olen, NULL) == WARD_MEASURE_OK && olen == 0);
    /* no secret, bad mask */
    ward_measure *none = ward_measure_new(0);
    CHECK(ward_measure_seal(none, 1, msg, 1, blob, sizeof blob, &blen) == WARD_MEASURE_EUNAVAILABLE);
    CHECK(ward_measure_seal(m, 0, msg, 1, blob, sizeof blob, &blen) == WARD_MEASURE_EARG);
    ward_measure_free(none);
    ward_measure_free(m);
}

static void test_malformed_blobs(void)
{
    ward_measure *m = with_secret(1);
    uint8_t blob[64 + 48], out[64];
    size_t blen = 0, olen;
    CHECK(ward_measure_seal(m, 3, (const uint8_t *)"0123456789", 10, blob, sizeof blob, &blen) == WARD_MEASURE_OK);
    ward_measure_error err;
    for (size_t cut = 0; cut < 48; cut++)
        CHECK(ward_measure_unseal(m, blob, cut, out, sizeof out, &olen, &err) == WARD_MEASURE_ETRUNCATED);
    for (size_t cut = 48; cut < blen; cut++) /* cut into the ciphertext: the tag fails */
        CHECK(ward_measure_unseal(m, blob, cut, out, sizeof out, &olen, &err) == WARD_MEASURE_EAUTH);
    struct {
        size_t at;
        uint8_t value;
        ward_measure_status want;
    } cases[] = {
        {1, 'x', WARD_MEASURE_EMAGIC}, {4, 0, WARD_MEASURE_EVERSION}, {5, 2, WARD_MEASURE_EVERSION},
        {20, 0, WARD_MEASURE_EAUTH},   {40, 0, WARD_MEASURE_EAUTH},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t saved = blob[cases[i].at];
        blob[cases[i].at] = saved == cases[i].value ? (uint8_t)(saved + 1) : cases[i].value;
        ward_measure_status s = ward_measure_unseal(m, blob, blen, out, sizeof out, &olen, &err);
        CHECK_MSG(s == cases[i].want, "case %zu: %d (%s)", i, s, err.message);
        blob[cases[i].at] = saved;
    }
    blob[6] = blob[7] = 0;
    CHECK(ward_measure_unseal(m, blob, blen, out, sizeof out, &olen, &err) == WARD_MEASURE_EMALFORMED);
    CHECK(ward_measure_seal(m, 3, out, WARD_MEASURE_SEAL_MAX + 1, blob, SIZE_MAX, &blen) == WARD_MEASURE_EARG);
    ward_measure_free(m);
}

static void test_status_texts(void)
{
    for (int s = WARD_MEASURE_OK; s <= WARD_MEASURE_EAUTH; s++)
        CHECK(strcmp(ward_measure_status_text((ward_measure_status)s), "unknown status") != 0);
    CHECK(strcmp(ward_measure_status_text((ward_measure_status)999), "unknown status") == 0);
}

int main(void)
{
    test_extend_known_answer();
    test_log_replay();
    test_log_full();
    test_malformed_logs();
    test_quote_round_trip();
    test_quote_arguments();
    test_malformed_quotes();
    test_seal_round_trip();
    test_malformed_blobs();
    test_status_texts();
    return test_summary("measure");
}
