/* Module signatures, internal: the signature data's parsed form, the
 * module walk and the error helpers shared by the files of src/sign. */
#ifndef WARD_SIG_INTERNAL_H
#define WARD_SIG_INTERNAL_H

#include <stdarg.h>

#include "../../include/ward_sign.h"
#include "../crypto/crypto.h"

#define WSIG_VERSION 0x01
#define WSIG_CONTENT_WASM 0x01
#define WSIG_HASH_SHA256 0x01
#define WSIG_ALG_ED25519 0x01
#define WSIG_PK_TYPE 0x01
#define WSIG_SK_TYPE 0x81
#define WSIG_HASH_BYTES 32
#define WSIG_DELIMITER_BYTES 16
#define WSIG_DOMAIN "wasmsig"
#define WSIG_SECTION "signature"
#define WSIG_DELIMITER "signature_delimiter"

/* Fill *err (may be NULL); returns false for `return wsig_fail(...)`. */
bool wsig_fail(ward_sig_error *err, ward_sig_error_kind kind, ward_sig_where where, uint64_t offset,
               const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
void wsig_clear(ward_sig_error *err);
/* "prefix: message" in err->message (cut to fit). */
void wsig_prefix(ward_sig_error *err, const char *prefix);

/* A bounded reader over one input; offsets count from `base` in it. */
typedef struct wsig_reader {
    const uint8_t *p;
    size_t pos, end;
    uint64_t base;
} wsig_reader;

/* varuint32 (at most 5 bytes, no bits past 32): false when truncated or
 * malformed. */
bool wsig_read_u32(wsig_reader *r, uint32_t *out);

/* One signature record; pointers into the buffer it was parsed from. */
typedef struct wsig_signature {
    const uint8_t *key_id;
    size_t key_id_len;
    uint8_t alg;
    const uint8_t *sig;
    size_t sig_len;
    uint64_t offset;
} wsig_signature;

typedef struct wsig_hashset {
    size_t nhashes;
    const uint8_t *hashes;      /* nhashes * 32 bytes */
    size_t nsigs;
    wsig_signature *sigs;
    uint64_t offset;
} wsig_hashset;

typedef struct wsig_data {
    size_t nsets;
    wsig_hashset *sets;
} wsig_data;

/* Parse signature data (a section payload or a detached file) strictly;
 * base is the payload's offset in its input (for error offsets). */
bool wsig_data_parse(wsig_data *d, const uint8_t *p, size_t len, uint64_t base, ward_sig_where where,
                     ward_sig_error *err);
void wsig_data_free(wsig_data *d);
/* Serialize into a new buffer (NULL when out of memory). */
uint8_t *wsig_data_serialize(const wsig_data *d, size_t *len);
/* The message an Ed25519 signature covers: "wasmsig" 01 01 01 hashes.
 * NULL when out of memory. */
uint8_t *wsig_message(const uint8_t *hashes, size_t nhashes, size_t *len);

/* A growable byte buffer. */
typedef struct wsig_buf {
    uint8_t *p;
    size_t len, cap;
    bool failed;
} wsig_buf;

void wsig_buf_put(wsig_buf *b, const void *p, size_t len);
void wsig_buf_u32(wsig_buf *b, uint32_t v); /* minimal LEB128 */

/* The module as Signatures.md sees it: header, the embedded signature
 * section (when first), and every other section re-encoded canonically. */
typedef struct wsig_module {
    bool has_section;           /* a "signature" section came first */
    const uint8_t *payload;     /* its payload */
    size_t payload_len;
    uint64_t payload_offset;
    size_t body;                /* offset of the first section after it */
    bool ends_with_delimiter;
    size_t nhashes;             /* running hashes: at each delimiter, and at the end */
    uint8_t *hashes;            /* when the module does not end with one */
} wsig_module;

/* Walk and hash the module; out (may be NULL) gets the canonical sections
 * after the header and signature section.  A "signature" section anywhere
 * but first is an error; with `detached` even the first is one. */
bool wsig_module_scan(wsig_module *m, const uint8_t *bytes, size_t len, bool detached, wsig_buf *out,
                      ward_sig_error *err);
void wsig_module_free(wsig_module *m);

#endif
