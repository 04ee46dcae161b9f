/*
 * ward module signatures: the WebAssembly tool-conventions Signatures.md
 * format (the one wasmsign2 implements), byte for byte (docs/signatures.md).
 *
 * A signed module carries a custom section named "signature" as its first
 * section (or the same bytes in a separate "detached" file); it holds sets
 * of SHA-256 hashes over the module's parts (split by "signature_delimiter"
 * custom sections) and Ed25519 signatures of "wasmsig" || 01 || 01 || 01 ||
 * hashes.  Keys are serialized as 0x01 || pk (33 bytes, public) and
 * 0x81 || sk || pk (65 bytes, secret).
 *
 * Every failing call fills a ward_sig_error record: what went wrong (kind),
 * in which input (where) and at which byte offset of that input, plus a
 * one-line message for people.  Secrets never appear in messages.
 * Built with -Dsignatures=enabled (WARD_HAVE_SIGNATURES in ward_features.h).
 */
#ifndef WARD_SIGN_H
#define WARD_SIGN_H

#include "ward.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WARD_SIG_PUBLIC_KEY_BYTES 33 /* 0x01 || Ed25519 public key */
#define WARD_SIG_SECRET_KEY_BYTES 65 /* 0x81 || secret key (32) || public key (32) */
#define WARD_SIG_MAX_HASH_SETS 64    /* signed hash sets per signature data */
#define WARD_SIG_MAX_HASHES 64       /* hashes (module parts) per set */
#define WARD_SIG_MAX_SIGNATURES 256  /* signatures per set */
#define WARD_SIG_MAX_KEY_ID 1024     /* bytes of a signature's key identifier */

typedef enum ward_sig_error_kind {
    WARD_SIG_OK = 0,
    WARD_SIG_ERR_ARGUMENT,      /* NULL or unusable argument */
    WARD_SIG_ERR_NOMEM,         /* out of memory */
    WARD_SIG_ERR_IO,            /* a file could not be read or written */
    WARD_SIG_ERR_MODULE,        /* not a wasm module, or its section framing is malformed */
    WARD_SIG_ERR_TRUNCATED,     /* signature data ends inside a field */
    WARD_SIG_ERR_MALFORMED,     /* a varuint32 longer than 5 bytes or over 32 bits */
    WARD_SIG_ERR_OVERSIZED,     /* a count over its limit, or bytes after the last field */
    WARD_SIG_ERR_VERSION,       /* spec_version is not 0x01 */
    WARD_SIG_ERR_CONTENT_TYPE,  /* content_type is not 0x01 (WebAssembly module) */
    WARD_SIG_ERR_HASH_FUNCTION, /* hash_fn is not 0x01 (SHA-256) */
    WARD_SIG_ERR_ALGORITHM,     /* a signature's algorithm is not 0x01 (Ed25519) */
    WARD_SIG_ERR_SIGNATURE_LENGTH, /* an Ed25519 signature that is not 64 bytes */
    WARD_SIG_ERR_PLACEMENT,     /* "signature" section not first, or embedded and detached at once */
    WARD_SIG_ERR_TOO_MANY_PARTS,/* the module has more parts than a hash set can hold */
    WARD_SIG_ERR_KEY,           /* a key of the wrong length, type byte or content */
    WARD_SIG_ERR_DUPLICATE,     /* the module is already signed by this key */
    WARD_SIG_ERR_NOT_SIGNED,    /* no signature data (no section, no detached file) */
    WARD_SIG_ERR_NO_VALID_SIGNATURE, /* no signature verifies under any of the keys */
    WARD_SIG_ERR_HASH_MISMATCH, /* a key signed hashes the module does not have: tampered
                                 * (or partially signed: partial verification is refused) */
} ward_sig_error_kind;

/* Which input an error's offset counts in. */
typedef enum ward_sig_where {
    WARD_SIG_IN_NONE = 0,
    WARD_SIG_IN_MODULE,         /* the module bytes (an embedded signature section included) */
    WARD_SIG_IN_DETACHED,       /* the detached signature data */
    WARD_SIG_IN_KEY,            /* the key bytes */
} ward_sig_where;

typedef struct ward_sig_error {
    ward_sig_error_kind kind;
    ward_sig_where where;
    uint64_t offset;            /* byte offset in that input, or UINT64_MAX when none applies */
    char message[200];          /* e.g. "offset 0x1c: signature data truncated in a hash set" */
} ward_sig_error;

/* The kind's short name ("truncated", "hash mismatch", ...). */
const char *ward_sig_error_kind_name(ward_sig_error_kind kind);

/* ---- keys -------------------------------------------------------------- */

typedef struct ward_sig_public_key {
    uint8_t key[32];
} ward_sig_public_key;

/* Ed25519 secret key as 32 secret bytes then the 32-byte public key.
 * Wipe it (ward_sig_secret_key_wipe) when done. */
typedef struct ward_sig_secret_key {
    uint8_t key[64];
} ward_sig_secret_key;

/* A fresh key pair from the OS random source.  False only when the crypto
 * library cannot start. */
bool ward_sig_keygen(ward_sig_public_key *pk, ward_sig_secret_key *sk);
void ward_sig_secret_key_wipe(ward_sig_secret_key *sk);
/* The public half of a secret key. */
void ward_sig_secret_key_public(const ward_sig_secret_key *sk, ward_sig_public_key *pk);

void ward_sig_public_key_to_bytes(const ward_sig_public_key *pk, uint8_t out[WARD_SIG_PUBLIC_KEY_BYTES]);
void ward_sig_secret_key_to_bytes(const ward_sig_secret_key *sk, uint8_t out[WARD_SIG_SECRET_KEY_BYTES]);
/* Parse a serialized key: exactly 33 bytes starting 0x01 / 65 bytes starting
 * 0x81 whose public half matches its secret half.  False with *err
 * (WARD_SIG_ERR_KEY) otherwise. */
bool ward_sig_public_key_from_bytes(ward_sig_public_key *pk, const uint8_t *bytes, size_t len, ward_sig_error *err);
bool ward_sig_secret_key_from_bytes(ward_sig_secret_key *sk, const uint8_t *bytes, size_t len, ward_sig_error *err);

/* Key files hold the serialized bytes, nothing else (as wasmsign2's).
 * Errors name the file.  The secret key file is created with mode 0600. */
bool ward_sig_public_key_load(ward_sig_public_key *pk, const char *path, ward_sig_error *err);
bool ward_sig_secret_key_load(ward_sig_secret_key *sk, const char *path, ward_sig_error *err);
/* Write bytes to a file (replacing it), mode 0644: signed modules and
 * detached signatures. */
bool ward_sig_write_file(const char *path, const uint8_t *bytes, size_t len, ward_sig_error *err);
bool ward_sig_keys_save(const ward_sig_public_key *pk, const char *pk_path, const ward_sig_secret_key *sk,
                        const char *sk_path, ward_sig_error *err);

/* ---- signing ----------------------------------------------------------- */

typedef struct ward_sig_sign_options {
    /* Produce detached signature data instead of an embedded section. */
    bool detached;
    /* Detached mode: signature data to add this signature to (signing
     * again adds a signature, as for an embedded section); NULL for none. */
    const uint8_t *previous;
    size_t previous_len;
    /* Stored with the signature (Signatures.md's key_id); may be NULL/0. */
    const uint8_t *key_id;
    size_t key_id_len;
    /* Append a signature_delimiter (16 random bytes) after the last
     * section when the module does not end with one, so sections added
     * later leave this signature verifiable for the original part. */
    bool append_delimiter;
} ward_sig_sign_options;

void ward_sig_sign_options_default(ward_sig_sign_options *opt);

/*
 * Sign a module.  Embedded: *out is the module with its "signature"
 * section first (a signature already there gets this one added).
 * Detached: *out is the signature data, *module_out (may be NULL) the
 * module as hashed (its sections re-encoded canonically, see
 * docs/signatures.md; identical to the input for canonical modules).
 * Buffers are the caller's, freed with ward_sig_free.
 */
bool ward_sig_sign(const uint8_t *module, size_t len, const ward_sig_secret_key *sk, const ward_sig_sign_options *opt,
                   uint8_t **out, size_t *out_len, uint8_t **module_out, size_t *module_out_len, ward_sig_error *err);
void ward_sig_free(void *p);

/* ---- verification ------------------------------------------------------ */

/* What verification found for one public key. */
typedef enum ward_sig_key_status {
    WARD_SIG_KEY_ABSENT = 0,    /* no signature by this key */
    WARD_SIG_KEY_VALID,         /* signed hashes that match the whole module */
    WARD_SIG_KEY_MISMATCH,      /* signed hashes the module does not match (tampered) */
} ward_sig_key_status;

/*
 * Verify module against keys[0..nkeys) (detached data when detached is
 * not NULL, else the embedded section).  status (may be NULL) gets one
 * entry per key.  True when some key is VALID and none is MISMATCH;
 * *first_valid (may be NULL) is then the lowest such index.  False with
 * *err otherwise: a malformed section or module, NOT_SIGNED,
 * HASH_MISMATCH (a key signed other hashes: the module was changed) or
 * NO_VALID_SIGNATURE.  The whole module must match a hash set (every
 * part, in order, no part left out): partial verification is refused.
 */
bool ward_sig_verify(const uint8_t *module, size_t len, const uint8_t *detached, size_t detached_len,
                     const ward_sig_public_key *keys, size_t nkeys, ward_sig_key_status *status,
                     size_t *first_valid, ward_sig_error *err);

/* True when the module carries a "signature" section (first or not). */
bool ward_sig_module_is_signed(const uint8_t *module, size_t len);

#ifdef __cplusplus
}
#endif
#endif
