/*
 * ward trust stores and policies (docs/trust.md): who signed a module
 * decides what it may do.
 *
 * A trust store (JSON) maps Ed25519 public keys to the levels community,
 * publisher and enterprise; a module signed (Signatures.md, ward_sign.h)
 * by none of them, or not signed, is untrusted.  A policy (JSON) gives per
 * level the fuel, memory, timeout and thread limits and the host modules
 * (WASI and its directories, ward:crypto, ward:tee, ward:vault, ward:dag)
 * a module may link.  Both files are parsed strictly: an unknown field, a
 * typo, a wrong type, an unknown level, a malformed key or a duplicate is
 * an error naming the file, the field path and what is wrong; nothing is
 * ever downgraded silently.
 *
 * The decision (ward_trust_decide):
 *   - no signature data                       -> untrusted
 *   - signatures, none by a key of the store  -> untrusted (an unknown
 *     signer, or a damaged signature: stripping it would give the same)
 *   - valid signatures by store keys          -> the highest of their levels
 *   - a store key signed hashes the module does not match (the module was
 *     changed after signing), or malformed signature data -> REFUSED:
 *     such a module never runs, not even as untrusted.
 * Built with -Dsignatures=enabled (WARD_HAVE_SIGNATURES).
 */
#ifndef WARD_TRUST_H
#define WARD_TRUST_H

#include "ward.h"
#include "ward_sign.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ward_trust_level {
    WARD_TRUST_UNTRUSTED = 0,
    WARD_TRUST_COMMUNITY = 1,
    WARD_TRUST_PUBLISHER = 2,
    WARD_TRUST_ENTERPRISE = 3,
} ward_trust_level;

#define WARD_TRUST_LEVELS 4

/* "untrusted", "community", "publisher", "enterprise". */
const char *ward_trust_level_name(ward_trust_level level);

typedef enum ward_trust_error_kind {
    WARD_TRUST_OK = 0,
    WARD_TRUST_ERR_ARGUMENT,      /* NULL or unusable argument */
    WARD_TRUST_ERR_NOMEM,
    WARD_TRUST_ERR_READ,          /* the file cannot be read */
    WARD_TRUST_ERR_SYNTAX,        /* not JSON (offset: where the parser stopped) */
    WARD_TRUST_ERR_UNKNOWN_FIELD, /* a field the format does not have (a typo) */
    WARD_TRUST_ERR_MISSING_FIELD, /* a required field is absent */
    WARD_TRUST_ERR_TYPE,          /* a field of the wrong JSON type */
    WARD_TRUST_ERR_VALUE,         /* a value out of range or not allowed */
    WARD_TRUST_ERR_LEVEL,         /* an unknown level name */
    WARD_TRUST_ERR_KEY,           /* a malformed public key */
    WARD_TRUST_ERR_DUPLICATE,     /* a field, key, name, module or directory given twice */
    WARD_TRUST_ERR_SIGNATURE,     /* the module's signatures refuse it (sig has the record) */
    WARD_TRUST_ERR_NO_RULES,      /* the policy gives no rules for the module's level */
    WARD_TRUST_ERR_FORBIDDEN,     /* an import or directory the level does not allow */
} ward_trust_error_kind;

typedef struct ward_trust_error {
    ward_trust_error_kind kind;
    char path[96];                /* the field path, e.g. "levels.community.fuel", or "" */
    uint64_t offset;              /* SYNTAX: byte offset in the file; else UINT64_MAX */
    ward_sig_error sig;           /* SIGNATURE: the signature error record */
    /* one line: "policy.json: levels.comunity: unknown level \"comunity\" (...)" */
    char message[360];
} ward_trust_error;

/* ---- trust stores -------------------------------------------------------- */

typedef struct ward_trust_store ward_trust_store;

/* name is used in error messages (e.g. the file name). */
ward_trust_store *ward_trust_store_parse(const char *name, const char *json, size_t len, ward_trust_error *err);
ward_trust_store *ward_trust_store_load(const char *path, ward_trust_error *err);
void ward_trust_store_free(ward_trust_store *store);
size_t ward_trust_store_count(const ward_trust_store *store);
/* Entry i: its key, level and name (valid while the store lives). */
bool ward_trust_store_entry(const ward_trust_store *store, size_t i, ward_sig_public_key *pk, ward_trust_level *level,
                            const char **name);

/* ---- the decision -------------------------------------------------------- */

typedef struct ward_trust_decision {
    ward_trust_level level;
    bool is_signed;               /* the module carries signature data */
    size_t entry;                 /* the store entry that gave the level, or SIZE_MAX */
    const char *signer;           /* its name (valid while the store lives), or NULL */
} ward_trust_decision;

/* False (kind SIGNATURE, err->sig filled) when the module is refused. */
bool ward_trust_decide(const ward_trust_store *store, const uint8_t *module, size_t len, const uint8_t *detached,
                       size_t detached_len, ward_trust_decision *out, ward_trust_error *err);

/* ---- policies ------------------------------------------------------------ */

typedef struct ward_trust_policy ward_trust_policy;

/* Host modules a level may link (ward_trust_limits.host_modules). */
#define WARD_TRUST_HOST_WASI 0x01u   /* "wasi_snapshot_preview1" and wasi-threads' "wasi" */
#define WARD_TRUST_HOST_CRYPTO 0x02u /* "ward:crypto" */
#define WARD_TRUST_HOST_TEE 0x04u    /* "ward:tee" */
#define WARD_TRUST_HOST_VAULT 0x08u  /* "ward:vault" */
#define WARD_TRUST_HOST_DAG 0x10u    /* "ward:dag" */

typedef struct ward_trust_limits {
    uint64_t fuel;                /* per run (per thread); 0 = unlimited */
    uint64_t max_memory_bytes;    /* per linear memory; 0 = unlimited (ward's own maximum) */
    uint64_t timeout_ms;          /* 0 = none */
    uint32_t max_threads;         /* wasi-threads threads alive at once; 0 = no threads */
    uint32_t host_modules;        /* WARD_TRUST_HOST_* bits */
    size_t ndirs;                 /* host directories a WASI preopen may be (or be under) */
    const char *const *dirs;      /* valid while the policy lives */
} ward_trust_limits;

ward_trust_policy *ward_trust_policy_parse(const char *name, const char *json, size_t len, ward_trust_error *err);
ward_trust_policy *ward_trust_policy_load(const char *path, ward_trust_error *err);
void ward_trust_policy_free(ward_trust_policy *policy);
/* The policy file's bytes as read, and their SHA-256 (what a measurement
 * register records). */
const uint8_t *ward_trust_policy_bytes(const ward_trust_policy *policy, size_t *len);
void ward_trust_policy_sha256(const ward_trust_policy *policy, uint8_t out[32]);
/* The limits of a level; false when the policy has no rules for it (such
 * modules must not run: the policy did not say what they may do). */
bool ward_trust_policy_limits(const ward_trust_policy *policy, ward_trust_level level, ward_trust_limits *out);

/* May a module of this level link host_module (an import's module name)?
 * False for a name that is not one of the host modules above, and for a
 * level without rules. */
bool ward_trust_allows_module(const ward_trust_policy *policy, ward_trust_level level, const char *host_module);
/* May this level get host_dir as a WASI preopen?  True when its real path
 * is one of the level's dirs or below one (both resolved with realpath). */
bool ward_trust_allows_dir(const ward_trust_policy *policy, ward_trust_level level, const char *host_dir);

/* Every import of module from a host module the level forbids, or from
 * wasi thread-spawn when the level allows no threads, is refused: false
 * with kind FORBIDDEN and a message naming the import (module.name) and
 * the level.  Imports from other module names are the linker's business. */
bool ward_trust_check_imports(const ward_trust_policy *policy, ward_trust_level level, const ward_module *module,
                              ward_trust_error *err);

/* Tighten an engine config to the limits (memory, threads; a timeout
 * makes it interruptible): call before ward_engine_new.  Fields already
 * stricter stay. */
void ward_trust_apply_config(const ward_trust_limits *limits, ward_config *cfg);
/* Fuel and timeout on a store. */
void ward_trust_apply_store(const ward_trust_limits *limits, ward_store *store);

#ifdef __cplusplus
}
#endif
#endif
