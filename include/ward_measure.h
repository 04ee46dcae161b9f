/*
 * ward measurements, quotes and sealing (docs/measurement.md).
 *
 * A measurement registry holds 16 SHA-256 registers, all zero at first.
 * extend(i, data) sets R[i] = SHA-256(R[i] || SHA-256(data)) and appends
 * the event {i, SHA-256(data), description} to the registry's event log in
 * the same critical section, so the log's order is the order in which the
 * extends took effect and a verifier replaying the log gets the registers.
 * Register convention: 0 the module, 1 the trust policy, 2-7 reserved for
 * the host, 8-15 the guest's (ward:tee).
 *
 * A quote is an Ed25519 signature by the node's attestation key over the
 * domain "ward-quote-v1", a caller nonce and a selection of registers with
 * their values; a sealed blob is data encrypted (XChaCha20-Poly1305) under a
 * key derived from the host's sealing secret and the current values of
 * selected registers: it opens only while they keep those values.
 *
 * The registry is owned by the embedder (one per engine, typically; there
 * is no global state) and is thread-safe: every function may be called from
 * any number of threads at once, except ward_measure_free.  It must outlive
 * every store whose linker got its ward:tee functions (ward_tee_define).
 * Secrets (the attestation key, the sealing secret) are copied in, wiped on
 * free and never put in an error message.
 */
#ifndef WARD_MEASURE_H
#define WARD_MEASURE_H

#include "ward.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WARD_MEASURE_REGISTERS 16
#define WARD_MEASURE_DIGEST_BYTES 32
#define WARD_MEASURE_DESC_MAX 255      /* bytes of an event's description */
#define WARD_MEASURE_NONCE_MAX 64      /* bytes of a quote's nonce */
#define WARD_MEASURE_ALL_REGISTERS 0xFFFFu
#define WARD_MEASURE_GUEST_FIRST 8     /* registers 8..15 are the guest's */
#define WARD_MEASURE_LOG_DEFAULT_MAX ((size_t)64 << 20) /* event-log bytes */
#define WARD_MEASURE_SEAL_MAX ((size_t)1 << 30) /* plaintext bytes of one sealed blob */
#define WARD_MEASURE_SEAL_OVERHEAD 48  /* sealed blob = data + 48 bytes */
#define WARD_MEASURE_SECRET_BYTES 32   /* host sealing secret */
#define WARD_MEASURE_PK_BYTES 32       /* Ed25519 public key */
#define WARD_MEASURE_SK_BYTES 64       /* Ed25519 secret key, libsodium layout: seed || pk */
/* The largest quote: 16 registers and a 64-byte nonce. */
#define WARD_MEASURE_QUOTE_MAX (8 + 1 + WARD_MEASURE_NONCE_MAX + 16 * 32 + 32 + 64)

/* What went wrong; each refusal has its own value. */
typedef enum ward_measure_status {
    WARD_MEASURE_OK = 0,
    WARD_MEASURE_EARG,         /* a NULL pointer, a register index over 15, a mask of 0 or
                                * with bits over 15, a nonce or description too long */
    WARD_MEASURE_ENOMEM,       /* out of host memory */
    WARD_MEASURE_EFULL,        /* the event log reached its size limit: nothing was extended */
    WARD_MEASURE_ESPACE,       /* the output buffer is too small: nothing was written */
    WARD_MEASURE_EUNAVAILABLE, /* no attestation key (quote) or sealing secret (seal/unseal) */
    WARD_MEASURE_ETRUNCATED,   /* a log, quote or blob ends too early */
    WARD_MEASURE_ETRAILING,    /* bytes after the end of a log, quote or blob */
    WARD_MEASURE_EOVERSIZED,   /* longer than any valid log, quote or blob */
    WARD_MEASURE_EMAGIC,       /* not a ward log / quote / sealed blob at all */
    WARD_MEASURE_EVERSION,     /* a format version or algorithm this ward does not know */
    WARD_MEASURE_EMALFORMED,   /* a field out of range (register > 15, reserved bits set, ...) */
    WARD_MEASURE_EKEY,         /* the quote names another signing key than the expected one */
    WARD_MEASURE_ESIGNATURE,   /* the quote's signature does not verify: it was altered */
    WARD_MEASURE_ENONCE,       /* the quote's nonce is not the expected one */
    WARD_MEASURE_ELOG,         /* replaying the expected log gives other register values */
    WARD_MEASURE_EAUTH,        /* the blob does not open: a selected register changed, another
                                * sealing secret, or the blob was altered */
} ward_measure_status;

/* A short English description of s ("quote signature does not verify"). */
const char *ward_measure_status_text(ward_measure_status s);

/* A refused log, quote or blob: what (status), where (offset, the byte of
 * the input at which the problem was seen, or SIZE_MAX when it is not one
 * place) and a one-line message for people. */
typedef struct ward_measure_error {
    ward_measure_status status;
    size_t offset;
    char message[160];
} ward_measure_error;

typedef struct ward_measure ward_measure;

/* A registry with zero registers and an empty log of at most max_log_bytes
 * (0 = WARD_MEASURE_LOG_DEFAULT_MAX).  NULL when out of memory or libsodium
 * cannot start. */
ward_measure *ward_measure_new(size_t max_log_bytes);
/* Wipes the keys.  NULL is ignored. */
void ward_measure_free(ward_measure *m);

/* The node's attestation key for quotes: a libsodium Ed25519 secret key
 * (seed || public key).  EARG when its public half is not the seed's. */
ward_measure_status ward_measure_set_attestation_key(ward_measure *m, const uint8_t sk[WARD_MEASURE_SK_BYTES]);
/* The public key of the attestation key; EUNAVAILABLE when none is set. */
ward_measure_status ward_measure_attestation_public_key(ward_measure *m, uint8_t pk[WARD_MEASURE_PK_BYTES]);
/* The host's 32-byte sealing secret. */
ward_measure_status ward_measure_set_seal_secret(ward_measure *m, const uint8_t secret[WARD_MEASURE_SECRET_BYTES]);

/* R[reg] = SHA-256(R[reg] || SHA-256(data)), and the event logged with
 * desc (desc_len <= WARD_MEASURE_DESC_MAX bytes, may be NULL/0).  EFULL
 * when the log has no room: the register is then unchanged. */
ward_measure_status ward_measure_extend(ward_measure *m, uint32_t reg, const uint8_t *data, size_t len,
                                        const char *desc, size_t desc_len);
/* The current value of one register / of all 16 at one instant. */
ward_measure_status ward_measure_read(ward_measure *m, uint32_t reg, uint8_t out[WARD_MEASURE_DIGEST_BYTES]);
ward_measure_status ward_measure_read_all(ward_measure *m,
                                          uint8_t out[WARD_MEASURE_REGISTERS][WARD_MEASURE_DIGEST_BYTES]);

/* The event log in the format of docs/measurement.md, in a malloc'd buffer
 * the caller frees; it holds every extend so far and replays to the
 * registers' values at one instant. */
ward_measure_status ward_measure_export_log(ward_measure *m, uint8_t **out, size_t *out_len);

/* One event of a log, as ward_measure_log_replay reports it. */
typedef struct ward_measure_event {
    uint32_t index;            /* 0 for the first event */
    uint32_t reg;
    const uint8_t *digest;     /* SHA-256 of the measured data: 32 bytes */
    const char *desc;          /* not NUL-terminated; inside the log */
    size_t desc_len;
} ward_measure_event;

/* Parse an exported log and recompute the registers from zero into regs
 * (may be NULL).  each (may be NULL) sees every event in order.  On a
 * malformed log: its status, with *err (may be NULL) saying what and where;
 * regs then holds nothing useful. */
ward_measure_status ward_measure_log_replay(const uint8_t *log, size_t len,
                                            uint8_t regs[WARD_MEASURE_REGISTERS][WARD_MEASURE_DIGEST_BYTES],
                                            void (*each)(void *ctx, const ward_measure_event *ev), void *ctx,
                                            ward_measure_error *err);

/* ---- quotes ------------------------------------------------------------ */

/* The size of a quote with this nonce length and mask; 0 when invalid. */
size_t ward_measure_quote_size(size_t nonce_len, uint32_t mask);

/* Sign the registers of mask (bit i = register i; 1..0xFFFF) with nonce
 * (0..64 bytes) into out: cap >= ward_measure_quote_size, else ESPACE and
 * nothing written.  EUNAVAILABLE without an attestation key. */
ward_measure_status ward_measure_quote(ward_measure *m, const uint8_t *nonce, size_t nonce_len, uint32_t mask,
                                       uint8_t *out, size_t cap, size_t *out_len);

/* A quote's contents. */
typedef struct ward_quote_info {
    uint32_t mask;
    size_t nonce_len;
    uint8_t nonce[WARD_MEASURE_NONCE_MAX];
    uint8_t values[WARD_MEASURE_REGISTERS][WARD_MEASURE_DIGEST_BYTES]; /* the selected ones; others zero */
    uint8_t public_key[WARD_MEASURE_PK_BYTES];
} ward_quote_info;

/* Parse a quote (no signature check). */
ward_measure_status ward_quote_parse(const uint8_t *quote, size_t len, ward_quote_info *out,
                                     ward_measure_error *err);

/*
 * Verify a quote: well formed (its own status otherwise), signed by
 * public_key (EKEY when it names another key, ESIGNATURE when the
 * signature fails), with nonce when nonce is not NULL (ENONCE; a non-NULL
 * nonce with nonce_len 0 expects an empty one), and, when log is not NULL,
 * with every selected register equal to the log's replay (ELOG; a malformed
 * log gets its own status, with an offset into the log).  out (may be NULL)
 * gets the contents.
 */
ward_measure_status ward_quote_verify(const uint8_t *quote, size_t len, const uint8_t public_key[WARD_MEASURE_PK_BYTES],
                                      const uint8_t *nonce, size_t nonce_len, const uint8_t *log, size_t log_len,
                                      ward_quote_info *out, ward_measure_error *err);

/* ---- sealing ----------------------------------------------------------- */

/* Seal len bytes (<= WARD_MEASURE_SEAL_MAX) to the current values of the
 * registers of mask into out (cap >= len + WARD_MEASURE_SEAL_OVERHEAD, else
 * ESPACE and nothing written).  EUNAVAILABLE without a sealing secret.
 * data and out must not overlap (nor blob and out for unseal). */
ward_measure_status ward_measure_seal(ward_measure *m, uint32_t mask, const uint8_t *data, size_t len, uint8_t *out,
                                      size_t cap, size_t *out_len);
/* Open a blob of ward_measure_seal into out (cap >= len - 48): EAUTH when
 * a selected register has changed since (or the secret or the blob did);
 * a malformed blob gets its own status with *err (may be NULL). */
ward_measure_status ward_measure_unseal(ward_measure *m, const uint8_t *blob, size_t len, uint8_t *out, size_t cap,
                                        size_t *out_len, ward_measure_error *err);

/* ---- the ward:tee guest module ----------------------------------------- */

/* Create the ward:tee functions (include/ward_guest_tee.h) in store with m
 * behind them and define them in linker under module name "ward:tee".
 * m must outlive the store. */
ward_result ward_tee_define(ward_measure *m, ward_linker *linker, ward_store *store);

#ifdef __cplusplus
}
#endif
#endif
