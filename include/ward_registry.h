/*
 * ward module registry (docs/contracts.md, "Module registry"): validated
 * WebAssembly modules kept in a ward_db (the same file as the DAG and the
 * vault) under the SHA-256 of their bytes, with a name, a gas limit and
 * what their signatures said when they were added.
 *
 *     ward_registry_add_options o;
 *     ward_registry_add_options_default(&o);
 *     o.name = "counter";
 *     ward_registry_entry e;
 *     ward_registry_add(db, wasm, wasm_len, &o, &e, &err);   // validated first
 *     uint8_t *bytes; size_t len;
 *     ward_registry_get(db, "counter", &e, &bytes, &len, &err);  // re-hashed
 *     ...                                                    // ward_module_new(engine, bytes, len, ...)
 *     free(bytes);
 *
 * A reference (ref) is "sha256:" and 64 hex digits, or a name.  Names are
 * 1 to WARD_REGISTRY_NAME_MAX bytes of [A-Za-z0-9._@+/-] starting with a
 * letter or digit (so no name looks like an option, a hidden file or a
 * hash reference), unique in a registry.
 *
 * Only the bytes are checked on load: ward_registry_get hashes them again
 * and refuses them (TAMPERED) unless they are the bytes their key names.
 * The metadata (name, gas limit, the trust level decided when the module
 * was added) is a record of the add, not authenticated: whoever may write
 * the file may change it, and a run under a trust policy decides the trust
 * level again from the bytes.  Nothing derived from the bytes (no
 * translated code) is cached.
 *
 * Every failing call fills a ward_db_error (ward_storage.h).  Built with
 * -Dstorage=enabled (WARD_HAVE_STORAGE).
 */
#ifndef WARD_REGISTRY_H
#define WARD_REGISTRY_H

#include "ward_contract.h"
#include "ward_storage.h"
#include "ward_trust.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WARD_REGISTRY_GAS_DEFAULT 10000000u  /* a module's gas limit when none is given */
/* The largest gas limit a module may have: what one contract call may ask for. */
#define WARD_REGISTRY_GAS_MAX WARD_CONTRACT_GAS_MAX
#define WARD_REGISTRY_NAME_MAX 128           /* bytes of a name */
#define WARD_REGISTRY_SIGNER_MAX 255         /* bytes of a signer's name kept (longer ones are cut) */
#define WARD_REGISTRY_HASH_REF_BYTES 72      /* "sha256:" + 64 hex digits + NUL */

/* One module's record. */
typedef struct ward_registry_entry {
    uint8_t sha256[32];         /* of the bytes: the module's key */
    char name[WARD_REGISTRY_NAME_MAX + 1]; /* "" when it has none */
    uint64_t gas_limit;         /* the default fuel of a run (ward run) */
    uint64_t size;              /* bytes */
    int64_t added;              /* Unix time of the first add */
    /* What ward_trust_decide said at the add (ward_trust.h): */
    bool is_signed;             /* it carries signature data (embedded, or given detached) */
    bool trust_checked;         /* a trust store was given: trust_level is its decision */
    ward_trust_level trust_level; /* UNTRUSTED when not checked */
    bool has_signer;            /* a store key signed it and gave the level: */
    ward_sig_public_key signer_key;
    char signer[WARD_REGISTRY_SIGNER_MAX + 1]; /* that key's name in the store */
} ward_registry_entry;

typedef struct ward_registry_add_options {
    const char *name;           /* NULL (or ""): no name */
    uint64_t gas_limit;         /* 0: WARD_REGISTRY_GAS_DEFAULT; over WARD_REGISTRY_GAS_MAX: refused */
    /* A name another module holds moves to this one (that one stays,
     * nameless, under its hash); without it such an add is refused EXISTS. */
    bool replace;
    /* The same bytes are already stored: set the name, gas limit and
     * signature information given here (those not given stay).  Without
     * it, adding stored bytes again with the same (or no) metadata does
     * nothing and succeeds; with other metadata it is refused EXISTS. */
    bool update;
    /* Signature information and trust level from this store (the caller's;
     * NULL: not checked, trust level untrusted).  A module a store key
     * signed that was changed afterwards is refused TAMPERED, malformed
     * signature data ARGUMENT. */
    const ward_trust_store *trust;
    const uint8_t *signature;   /* detached signature data (needs trust), or NULL */
    size_t signature_len;
} ward_registry_add_options;

void ward_registry_add_options_default(ward_registry_add_options *opts);

/*
 * Validate bytes with ward's own decoder and validator (the features
 * `ward run` enables: threads, extended constant expressions, legacy
 * exceptions), then store them under their SHA-256.  An invalid module is
 * refused ARGUMENT with the validator's message ("invalid module: code
 * section, function 0, offset 0x24: type mismatch ...") and nothing is
 * stored.  opts NULL for the defaults.  *out (may be NULL) gets the
 * stored record (for bytes already there: theirs, with its first time).
 */
bool ward_registry_add(ward_db *db, const uint8_t *bytes, size_t len, const ward_registry_add_options *opts,
                       ward_registry_entry *out, ward_db_error *err);

/*
 * The module ref names: its record (entry may be NULL) and its bytes
 * (*bytes malloc'd, free it; bytes NULL to only check them), after hashing
 * them again.  NOT_FOUND when there is no such module, ARGUMENT for a
 * malformed ref, TAMPERED when the stored bytes are not the ones their key
 * names ("counter: stored bytes hash to 1f2e..., not 9a8b...").
 */
bool ward_registry_get(ward_db *db, const char *ref, ward_registry_entry *entry, uint8_t **bytes, size_t *len,
                       ward_db_error *err);

/* Every module's record (bytes not read): named ones by name, then the
 * nameless by hash.  *entries malloc'd (free it), NULL when *count is 0. */
bool ward_registry_list(ward_db *db, ward_registry_entry **entries, size_t *count, ward_db_error *err);

/* Remove the module ref names (removed, may be NULL, gets its record).
 * NOT_FOUND when there is none. */
bool ward_registry_remove(ward_db *db, const char *ref, ward_registry_entry *removed, ward_db_error *err);

/* ---- references ---------------------------------------------------------- */

/* Does ref start with "sha256:" (a hash reference, well formed or not)? */
bool ward_registry_is_hash_ref(const char *ref);
/* Is name a valid module name (the rule above)? */
bool ward_registry_name_valid(const char *name);
/* "sha256:" and the 64 hex digits of sha256. */
void ward_registry_hash_ref(const uint8_t sha256[32], char out[WARD_REGISTRY_HASH_REF_BYTES]);

#ifdef __cplusplus
}
#endif
#endif
