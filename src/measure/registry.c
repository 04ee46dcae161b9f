/* The measurement registry: 16 SHA-256 registers, the event log and the
 * host's keys, behind one mutex so that extends from many threads are
 * linearizable and the log lists them in the order they took effect. */
#include "measure.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "crypto/crypto.h"

/* Event log: header "WRDL", version, 3 zero bytes, u32 event count; then
 * each event: register u8, description length u8, SHA-256 of the data,
 * the description (docs/measurement.md). */
#define LOG_HEADER 12
#define LOG_EVENT_FIXED 34
static const uint8_t log_magic[4] = {'W', 'R', 'D', 'L'};
#define LOG_VERSION 1

struct ward_measure {
    pthread_mutex_t lock;
    uint8_t regs[WARD_MEASURE_REGISTERS][WARD_MEASURE_DIGEST_BYTES];
    uint8_t *events;           /* the log's events, already in export form */
    size_t events_len, events_cap, events_max;
    uint32_t nevents;
    bool has_key, has_secret;
    uint8_t sk[WARD_MEASURE_SK_BYTES];
    uint8_t pk[WARD_MEASURE_PK_BYTES];
    uint8_t secret[WARD_MEASURE_SECRET_BYTES];
};

static const char *const status_texts[] = {
    [WARD_MEASURE_OK] = "ok",
    [WARD_MEASURE_EARG] = "invalid argument",
    [WARD_MEASURE_ENOMEM] = "out of memory",
    [WARD_MEASURE_EFULL] = "the event log is full",
    [WARD_MEASURE_ESPACE] = "the output buffer is too small",
    [WARD_MEASURE_EUNAVAILABLE] = "no attestation key or sealing secret",
    [WARD_MEASURE_ETRUNCATED] = "truncated",
    [WARD_MEASURE_ETRAILING] = "trailing bytes after the end",
    [WARD_MEASURE_EOVERSIZED] = "oversized",
    [WARD_MEASURE_EMAGIC] = "not a ward measurement format",
    [WARD_MEASURE_EVERSION] = "unknown version or algorithm",
    [WARD_MEASURE_EMALFORMED] = "malformed field",
    [WARD_MEASURE_EKEY] = "quote signed by another key",
    [WARD_MEASURE_ESIGNATURE] = "quote signature does not verify",
    [WARD_MEASURE_ENONCE] = "quote nonce differs",
    [WARD_MEASURE_ELOG] = "quoted registers differ from the log's replay",
    [WARD_MEASURE_EAUTH] = "sealed blob does not open",
};

const char *ward_measure_status_text(ward_measure_status s)
{
    if ((size_t)s >= sizeof status_texts / sizeof status_texts[0] || !status_texts[s])
        return "unknown status";
    return status_texts[s];
}

ward_measure_status wmeas_fail(ward_measure_error *err, ward_measure_status status, size_t offset, const char *fmt,
                               ...)
{
    if (err) {
        err->status = status;
        err->offset = offset;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return status;
}

ward_measure *ward_measure_new(size_t max_log_bytes)
{
    if (wcrypto_init() != 0)
        return NULL;
    ward_measure *m = wcalloc(1, sizeof *m);
    if (!m)
        return NULL;
    if (pthread_mutex_init(&m->lock, NULL) != 0) {
        free(m);
        return NULL;
    }
    m->events_max = max_log_bytes ? max_log_bytes : WARD_MEASURE_LOG_DEFAULT_MAX;
    return m;
}

void ward_measure_free(ward_measure *m)
{
    if (!m)
        return;
    pthread_mutex_destroy(&m->lock);
    free(m->events);
    wcrypto_wipe(m, sizeof *m);
    free(m);
}

ward_measure_status ward_measure_set_attestation_key(ward_measure *m, const uint8_t sk[WARD_MEASURE_SK_BYTES])
{
    if (!m || !sk)
        return WARD_MEASURE_EARG;
    uint8_t pk[WCRYPTO_SIGN_PK_BYTES], check[WCRYPTO_SIGN_SK_BYTES];
    wcrypto_sign_keypair_from_seed(pk, check, sk);
    bool consistent = wcrypto_equal(check, sk, sizeof check);
    wcrypto_wipe(check, sizeof check);
    if (!consistent)
        return WARD_MEASURE_EARG;
    pthread_mutex_lock(&m->lock);
    memcpy(m->sk, sk, sizeof m->sk);
    memcpy(m->pk, pk, sizeof m->pk);
    m->has_key = true;
    pthread_mutex_unlock(&m->lock);
    return WARD_MEASURE_OK;
}

ward_measure_status ward_measure_attestation_public_key(ward_measure *m, uint8_t pk[WARD_MEASURE_PK_BYTES])
{
    if (!m || !pk)
        return WARD_MEASURE_EARG;
    pthread_mutex_lock(&m->lock);
    bool has = m->has_key;
    if (has)
        memcpy(pk, m->pk, WARD_MEASURE_PK_BYTES);
    pthread_mutex_unlock(&m->lock);
    return has ? WARD_MEASURE_OK : WARD_MEASURE_EUNAVAILABLE;
}

ward_measure_status ward_measure_set_seal_secret(ward_measure *m, const uint8_t secret[WARD_MEASURE_SECRET_BYTES])
{
    if (!m || !secret)
        return WARD_MEASURE_EARG;
    pthread_mutex_lock(&m->lock);
    memcpy(m->secret, secret, sizeof m->secret);
    m->has_secret = true;
    pthread_mutex_unlock(&m->lock);
    return WARD_MEASURE_OK;
}

/* R = SHA-256(R || digest). */
static void extend_register(uint8_t reg[WARD_MEASURE_DIGEST_BYTES], const uint8_t digest[WARD_MEASURE_DIGEST_BYTES])
{
    uint8_t both[2 * WARD_MEASURE_DIGEST_BYTES];
    memcpy(both, reg, WARD_MEASURE_DIGEST_BYTES);
    memcpy(both + WARD_MEASURE_DIGEST_BYTES, digest, WARD_MEASURE_DIGEST_BYTES);
    wcrypto_sha256(reg, both, sizeof both);
}

/* Room for one more event of `need` bytes, within the log's limit. */
static ward_measure_status reserve_event(ward_measure *m, size_t need)
{
    size_t total;
    if (!wsize_add(m->events_len, need, &total) || total > m->events_max || m->nevents == UINT32_MAX)
        return WARD_MEASURE_EFULL;
    if (!wgrow((void **)&m->events, &m->events_cap, total, 1))
        return WARD_MEASURE_ENOMEM;
    return WARD_MEASURE_OK;
}

ward_measure_status ward_measure_extend(ward_measure *m, uint32_t reg, const uint8_t *data, size_t len,
                                        const char *desc, size_t desc_len)
{
    if (!m || reg >= WARD_MEASURE_REGISTERS || (!data && len) || (!desc && desc_len) ||
        desc_len > WARD_MEASURE_DESC_MAX)
        return WARD_MEASURE_EARG;
    /* hash the data outside the lock: only the short chaining step is serial */
    uint8_t digest[WARD_MEASURE_DIGEST_BYTES];
    wcrypto_sha256(digest, data, len);
    pthread_mutex_lock(&m->lock);
    ward_measure_status s = reserve_event(m, LOG_EVENT_FIXED + desc_len);
    if (s == WARD_MEASURE_OK) {
        uint8_t *ev = m->events + m->events_len;
        ev[0] = (uint8_t)reg;
        ev[1] = (uint8_t)desc_len;
        memcpy(ev + 2, digest, sizeof digest);
        if (desc_len)
            memcpy(ev + LOG_EVENT_FIXED, desc, desc_len);
        m->events_len += LOG_EVENT_FIXED + desc_len;
        m->nevents++;
        extend_register(m->regs[reg], digest);
    }
    pthread_mutex_unlock(&m->lock);
    return s;
}

ward_measure_status ward_measure_read(ward_measure *m, uint32_t reg, uint8_t out[WARD_MEASURE_DIGEST_BYTES])
{
    if (!m || !out || reg >= WARD_MEASURE_REGISTERS)
        return WARD_MEASURE_EARG;
    pthread_mutex_lock(&m->lock);
    memcpy(out, m->regs[reg], WARD_MEASURE_DIGEST_BYTES);
    pthread_mutex_unlock(&m->lock);
    return WARD_MEASURE_OK;
}

ward_measure_status ward_measure_read_all(ward_measure *m,
                                          uint8_t out[WARD_MEASURE_REGISTERS][WARD_MEASURE_DIGEST_BYTES])
{
    if (!m || !out)
        return WARD_MEASURE_EARG;
    pthread_mutex_lock(&m->lock);
    memcpy(out, m->regs, sizeof m->regs);
    pthread_mutex_unlock(&m->lock);
    return WARD_MEASURE_OK;
}

void wmeas_snapshot(ward_measure *m, uint32_t mask, uint8_t *values)
{
    pthread_mutex_lock(&m->lock);
    for (uint32_t i = 0; i < WARD_MEASURE_REGISTERS; i++)
        if (mask & (1u << i)) {
            memcpy(values, m->regs[i], WARD_MEASURE_DIGEST_BYTES);
            values += WARD_MEASURE_DIGEST_BYTES;
        }
    pthread_mutex_unlock(&m->lock);
}

bool wmeas_sign(ward_measure *m, uint8_t *body, size_t body_len, uint8_t *msg, size_t domain_len)
{
    pthread_mutex_lock(&m->lock);
    bool has = m->has_key;
    if (has) {
        memcpy(body + body_len, m->pk, WARD_MEASURE_PK_BYTES);
        body_len += WARD_MEASURE_PK_BYTES;
        memcpy(msg + domain_len, body, body_len);
        wcrypto_sign(body + body_len, msg, domain_len + body_len, m->sk);
    }
    pthread_mutex_unlock(&m->lock);
    return has;
}

/* The sealing key: BLAKE2b-256 keyed with the secret over
 * "ward-seal-v1" || mask (u16 LE) || the selected registers, ascending. */
bool wmeas_seal_key(ward_measure *m, uint32_t mask, uint8_t key[32])
{
    static const char domain[] = "ward-seal-v1";
    uint8_t msg[sizeof domain - 1 + 2 + WARD_MEASURE_REGISTERS * WARD_MEASURE_DIGEST_BYTES];
    size_t len = sizeof domain - 1;
    memcpy(msg, domain, len);
    wmeas_put16(msg + len, mask);
    len += 2;
    pthread_mutex_lock(&m->lock);
    bool has = m->has_secret;
    for (uint32_t i = 0; has && i < WARD_MEASURE_REGISTERS; i++)
        if (mask & (1u << i)) {
            memcpy(msg + len, m->regs[i], WARD_MEASURE_DIGEST_BYTES);
            len += WARD_MEASURE_DIGEST_BYTES;
        }
    if (has)
        wcrypto_blake2b(key, 32, msg, len, m->secret, sizeof m->secret);
    pthread_mutex_unlock(&m->lock);
    wcrypto_wipe(msg, sizeof msg);
    return has;
}

ward_measure_status ward_measure_export_log(ward_measure *m, uint8_t **out, size_t *out_len)
{
    if (!m || !out || !out_len)
        return WARD_MEASURE_EARG;
    pthread_mutex_lock(&m->lock);
    size_t len = LOG_HEADER + m->events_len;
    uint8_t *buf = malloc(len);
    if (buf) {
        memcpy(buf, log_magic, sizeof log_magic);
        buf[4] = LOG_VERSION;
        buf[5] = buf[6] = buf[7] = 0;
        wmeas_put32(buf + 8, m->nevents);
        if (m->events_len)
            memcpy(buf + LOG_HEADER, m->events, m->events_len);
    }
    pthread_mutex_unlock(&m->lock);
    if (!buf)
        return WARD_MEASURE_ENOMEM;
    *out = buf;
    *out_len = len;
    return WARD_MEASURE_OK;
}

static ward_measure_status check_log_header(const uint8_t *log, size_t len, uint32_t *count, ward_measure_error *err)
{
    if (len < 4)
        return wmeas_fail(err, WARD_MEASURE_ETRUNCATED, len, "event log: %zu bytes, shorter than its header", len);
    if (memcmp(log, log_magic, sizeof log_magic) != 0)
        return wmeas_fail(err, WARD_MEASURE_EMAGIC, 0, "event log: does not start with \"WRDL\"");
    if (len < LOG_HEADER)
        return wmeas_fail(err, WARD_MEASURE_ETRUNCATED, len, "event log: %zu bytes, shorter than its header", len);
    if (log[4] != LOG_VERSION)
        return wmeas_fail(err, WARD_MEASURE_EVERSION, 4, "event log: version %u, expected %u", log[4], LOG_VERSION);
    if (log[5] | log[6] | log[7])
        return wmeas_fail(err, WARD_MEASURE_EMALFORMED, 5, "event log: reserved bytes are not zero");
    *count = wmeas_get32(log + 8);
    /* every event has at least 34 bytes: refuse a count the input cannot hold before looping */
    if (*count > (len - LOG_HEADER) / LOG_EVENT_FIXED)
        return wmeas_fail(err, WARD_MEASURE_ETRUNCATED, 8, "event log: %u events announced, only room for %zu",
                          *count, (len - LOG_HEADER) / LOG_EVENT_FIXED);
    return WARD_MEASURE_OK;
}

ward_measure_status ward_measure_log_replay(const uint8_t *log, size_t len,
                                            uint8_t regs[WARD_MEASURE_REGISTERS][WARD_MEASURE_DIGEST_BYTES],
                                            void (*each)(void *ctx, const ward_measure_event *ev), void *ctx,
                                            ward_measure_error *err)
{
    if (!log && len)
        return wmeas_fail(err, WARD_MEASURE_EARG, SIZE_MAX, "event log: NULL");
    uint32_t count = 0;
    ward_measure_status s = check_log_header(log, len, &count, err);
    if (s != WARD_MEASURE_OK)
        return s;
    uint8_t r[WARD_MEASURE_REGISTERS][WARD_MEASURE_DIGEST_BYTES] = {{0}};
    size_t pos = LOG_HEADER;
    for (uint32_t i = 0; i < count; i++) {
        if (len - pos < LOG_EVENT_FIXED || len - pos - LOG_EVENT_FIXED < log[pos + 1])
            return wmeas_fail(err, WARD_MEASURE_ETRUNCATED, pos, "event log: event %u is cut short", i);
        if (log[pos] >= WARD_MEASURE_REGISTERS)
            return wmeas_fail(err, WARD_MEASURE_EMALFORMED, pos, "event log: event %u names register %u (0-15)", i,
                              log[pos]);
        ward_measure_event ev = {i, log[pos], log + pos + 2, (const char *)log + pos + LOG_EVENT_FIXED, log[pos + 1]};
        extend_register(r[ev.reg], ev.digest);
        if (each)
            each(ctx, &ev);
        pos += LOG_EVENT_FIXED + ev.desc_len;
    }
    if (pos != len)
        return wmeas_fail(err, WARD_MEASURE_ETRAILING, pos, "event log: %zu bytes after the last of its %u events",
                          len - pos, count);
    if (regs)
        memcpy(regs, r, sizeof r);
    return WARD_MEASURE_OK;
}
