/*
 * ward vault (docs/vault.md): named secrets, encrypted at rest, in a
 * ward_db (the same file as the DAG), with access rules for modules and a
 * hash-chained audit log of every operation.
 *
 *     ward_vault_init_passphrase(db, pass, len, NULL, &err);  // once
 *     ward_vault *v = ward_vault_unlock_passphrase(db, pass, len, &err);
 *     uint64_t version;
 *     ward_vault_put(v, NULL, "api/token", value, n, &version, &err);
 *     ward_vault_secret s;
 *     ward_vault_get(v, NULL, "api/token", 0, &s, &err);     // latest
 *     ...                                                    // use s.value
 *     ward_vault_secret_free(&s);                            // wipes it
 *     ward_vault_free(v);                                    // wipes the key
 *
 * The master key comes from a passphrase (Argon2id, salt and limits kept
 * in the database) or is given as 32 bytes (a key file).  Each version of
 * a secret is sealed with XChaCha20-Poly1305 under its own subkey of the
 * master key, bound to its name and version; neither the key nor a
 * plaintext is ever written.  The database keeps only a key-check value.
 *
 * Actors: NULL (or WARD_VAULT_ACTOR_OPERATOR) is the holder of the master key,
 * who may do everything; a module (its SHA-256, signers, trust level) may
 * only what a rule grants it: no rule, no access.  Every call appends an
 * audit entry (a DAG node whose parent is the previous entry) in the same
 * transaction as its effect; a denied call still commits its entry.  So
 * every call, a read too, writes: a vault needs a writable database.
 *
 * A ward_vault may be used by several threads (ward_db serializes them).
 * Built with -Dstorage=enabled (WARD_HAVE_STORAGE).
 */
#ifndef WARD_VAULT_H
#define WARD_VAULT_H

#include "ward_dag.h"
#include "ward_storage.h"
#include "ward_trust.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The host module name guests import from (include/ward_guest_vault.h). */
#define WARD_VAULT_MODULE "ward:vault"

#define WARD_VAULT_KEY_BYTES 32
#define WARD_VAULT_NAME_MAX 255              /* bytes of [A-Za-z0-9._/:@-] */
#define WARD_VAULT_VALUE_MAX (1u << 20)      /* bytes per secret value */
#define WARD_VAULT_MAX_SIGNERS 8

typedef struct ward_vault ward_vault;

/* ---- initialising and unlocking ------------------------------------------ */

/* Argon2id limits for a passphrase: passes and memory in bytes. */
typedef struct ward_vault_kdf {
    uint64_t ops;               /* >= 1 */
    uint64_t mem_bytes;         /* >= 8192 */
} ward_vault_kdf;

/* 3 passes over 64 MiB. */
void ward_vault_kdf_default(ward_vault_kdf *kdf);

/* Make db hold a vault: EXISTS when it already does.  kdf NULL for the
 * defaults.  The first audit entry ("init") is written with it. */
bool ward_vault_init_passphrase(ward_db *db, const uint8_t *pass, size_t len, const ward_vault_kdf *kdf,
                                ward_db_error *err);
bool ward_vault_init_key(ward_db *db, const uint8_t key[WARD_VAULT_KEY_BYTES], ward_db_error *err);

/* KEY on a wrong passphrase or key, on the wrong kind of secret (a key for
 * a passphrase vault and the reverse), and when db holds no vault. */
ward_vault *ward_vault_unlock_passphrase(ward_db *db, const uint8_t *pass, size_t len, ward_db_error *err);
ward_vault *ward_vault_unlock_key(ward_db *db, const uint8_t key[WARD_VAULT_KEY_BYTES], ward_db_error *err);
/* Wipes the keys.  Free it after every store it was defined in.  NULL is fine. */
void ward_vault_free(ward_vault *v);
ward_db *ward_vault_db(const ward_vault *v);

/* Is db initialised as a vault? */
bool ward_vault_exists(ward_db *db, bool *exists, ward_db_error *err);

/* A key file's content: exactly 32 raw bytes, or 64 hex digits with an
 * optional trailing newline.  ARGUMENT (saying which size it has) else. */
bool ward_vault_key_parse(const uint8_t *bytes, size_t len, uint8_t key[WARD_VAULT_KEY_BYTES],
                          ward_db_error *err);

/* ---- actors ---------------------------------------------------------------- */

typedef enum ward_vault_actor_kind {
    WARD_VAULT_ACTOR_OPERATOR = 0,    /* the master key's holder: every access */
    WARD_VAULT_ACTOR_MODULE = 1,      /* a module: what the rules grant */
} ward_vault_actor_kind;

typedef struct ward_vault_actor {
    ward_vault_actor_kind kind;
    uint8_t module_sha256[32];  /* SHA-256 of the module's bytes */
    ward_trust_level level;     /* its trust level (docs/trust.md); untrusted when unknown */
    size_t nsigners;            /* Ed25519 public keys that signed it (verified) */
    uint8_t signers[WARD_VAULT_MAX_SIGNERS][32];
} ward_vault_actor;

void ward_vault_actor_operator(ward_vault_actor *actor);
/* A module by its bytes: their SHA-256, untrusted, no signers. */
void ward_vault_actor_module(ward_vault_actor *actor, const uint8_t *module, size_t len);
/* False when WARD_VAULT_MAX_SIGNERS are there already. */
bool ward_vault_actor_add_signer(ward_vault_actor *actor, const uint8_t key[32]);

/* ---- secrets --------------------------------------------------------------- */

/* Names: 1..255 bytes of A-Z a-z 0-9 . _ / : @ -.  actor NULL = operator. */

/* Store value as the next version of name (1 for a new name, also after a
 * delete); *version (may be NULL) gets it.  ARGUMENT for a bad name or a
 * value over WARD_VAULT_VALUE_MAX; DENIED when no rule lets actor write. */
bool ward_vault_put(ward_vault *v, const ward_vault_actor *actor, const char *name, const uint8_t *value,
                    size_t len, uint64_t *version, ward_db_error *err);

/* A secret as read; free it with ward_vault_secret_free (wipes the value). */
typedef struct ward_vault_secret {
    uint8_t *value;             /* len bytes (NULL when len is 0) */
    size_t len;
    uint64_t version;
    int64_t created;            /* Unix time of the put */
    bool deleted;               /* set on NOT_FOUND: the version asked for is a tombstone */
} ward_vault_secret;

/* version 0 = the latest.  NOT_FOUND for no such name or version, and for
 * a tombstone: then out->deleted is true and out->version the tombstone's
 * version (the message says "deleted at version N").  Older versions of a
 * deleted secret stay readable by number.  TAMPERED when the stored
 * ciphertext does not authenticate. */
bool ward_vault_get(ward_vault *v, const ward_vault_actor *actor, const char *name, uint64_t version,
                    ward_vault_secret *out, ward_db_error *err);
void ward_vault_secret_free(ward_vault_secret *s);

/* Write a tombstone as the next version; *version (may be NULL) gets it.
 * NOT_FOUND when name has no versions or is deleted already. */
bool ward_vault_delete(ward_vault *v, const ward_vault_actor *actor, const char *name, uint64_t *version,
                       ward_db_error *err);

/* Operator calls.  list: names starting with prefix ("" or NULL: all)
 * whose latest version is not a tombstone, sorted. */
typedef struct ward_vault_names {
    char **names;
    size_t count;
} ward_vault_names;
bool ward_vault_list(ward_vault *v, const char *prefix, ward_vault_names *out, ward_db_error *err);
void ward_vault_names_free(ward_vault_names *names);

typedef struct ward_vault_version_info {
    uint64_t version;
    bool deleted;               /* a tombstone */
    int64_t created;            /* Unix time */
} ward_vault_version_info;
typedef struct ward_vault_versions {
    ward_vault_version_info *versions; /* oldest first */
    size_t count;
} ward_vault_versions;
/* NOT_FOUND when name has no versions. */
bool ward_vault_history(ward_vault *v, const char *name, ward_vault_versions *out, ward_db_error *err);
void ward_vault_versions_free(ward_vault_versions *history);

/* ---- access rules (operator calls) -------------------------------------- */

#define WARD_VAULT_READ 1u
#define WARD_VAULT_WRITE 2u      /* put and delete */

typedef enum ward_vault_subject {
    WARD_VAULT_BY_MODULE = 1,   /* key: the module's SHA-256 */
    WARD_VAULT_BY_SIGNER = 2,   /* key: an Ed25519 public key that signed the module */
    WARD_VAULT_BY_LEVEL = 3,    /* level: the module's trust level is at least this */
} ward_vault_subject;

/* A module may do op on name when some rule's prefix starts name, its
 * perms have op and its subject matches the module.  The rule set is
 * authenticated with the master key: a rule added or changed in the file
 * by other means makes every module access fail TAMPERED. */
typedef struct ward_vault_rule {
    int64_t id;                 /* given by ward_vault_rule_add */
    char prefix[WARD_VAULT_NAME_MAX + 1]; /* "" matches every name */
    uint32_t perms;             /* WARD_VAULT_READ | WARD_VAULT_WRITE */
    ward_vault_subject subject;
    uint8_t key[32];
    ward_trust_level level;
} ward_vault_rule;

bool ward_vault_rule_add(ward_vault *v, const ward_vault_rule *rule, int64_t *id, ward_db_error *err);
/* NOT_FOUND when there is no rule id. */
bool ward_vault_rule_remove(ward_vault *v, int64_t id, ward_db_error *err);
typedef struct ward_vault_rules {
    ward_vault_rule *rules;     /* by id */
    size_t count;
} ward_vault_rules;
bool ward_vault_rule_list(ward_vault *v, ward_vault_rules *out, ward_db_error *err);
void ward_vault_rules_free(ward_vault_rules *rules);

/* ---- the audit log --------------------------------------------------------- */

/* Each entry in order, oldest first: its id, sequence number and record
 * (the text of docs/vault.md, "Audit records").  false stops.  Reading
 * needs no key (records hold no secrets). */
typedef bool (*ward_vault_audit_fn)(void *ctx, const ward_dag_id *id, uint64_t seq, const char *record);
bool ward_vault_audit_show(ward_db *db, ward_vault_audit_fn fn, void *ctx, ward_db_error *err);

typedef enum ward_vault_audit_problem {
    WARD_VAULT_AUDIT_BAD_ID = 1,    /* the entry's content does not hash to its id: edited */
    WARD_VAULT_AUDIT_MISSING,       /* an entry the chain links to is not there: removed */
    WARD_VAULT_AUDIT_BAD_SEQ,       /* not numbered one below the entry after it */
    WARD_VAULT_AUDIT_BAD_LINK,      /* not exactly one parent (none for the first) */
    WARD_VAULT_AUDIT_MALFORMED,     /* not an audit record */
    WARD_VAULT_AUDIT_BAD_HEAD,      /* the head (id, count) fails its MAC: rewritten or cut */
    WARD_VAULT_AUDIT_ROLLED_BACK,   /* the chain does not pass through an entry recorded earlier */
} ward_vault_audit_problem;

typedef void (*ward_vault_audit_report_fn)(void *ctx, uint64_t seq, const ward_dag_id *id,
                                           ward_vault_audit_problem problem, const char *detail);

typedef struct ward_vault_audit_stats {
    uint64_t entries;           /* entries walked */
    uint64_t problems;          /* problems reported */
    bool mac_checked;           /* the head's MAC was checked (a vault was given) */
    ward_dag_id head;           /* the newest entry, as the head record names it (zero when missing) */
    uint64_t count;             /* the head record's count of entries */
} ward_vault_audit_stats;

/*
 * Walk the chain from its head to the first entry: recompute every id,
 * check numbering and links and, when v is given (unlocked: it holds the
 * key), the MAC over the head id and count, which catches a tail rewritten
 * with recomputed hashes or cut off.  Each problem goes to report (may be
 * NULL); true when the walk could run (stats->problems says whether the
 * log is intact).  KEY when db holds no vault.
 */
bool ward_vault_audit_verify(ward_db *db, const ward_vault *v, ward_vault_audit_report_fn report, void *ctx,
                             ward_vault_audit_stats *stats, ward_db_error *err);

/*
 * The same, and the chain must pass through the entry `since` (may be NULL):
 * a head id recorded earlier and kept outside the file (a previous verify's
 * stats->head, in a signed quote, on another node).  A genuine older copy of
 * the whole file passes every other check, its MAC included; it cannot hold
 * an entry written after it was copied, so it gives one ROLLED_BACK problem.
 */
bool ward_vault_audit_verify_since(ward_db *db, const ward_vault *v, const ward_dag_id *since,
                                   ward_vault_audit_report_fn report, void *ctx, ward_vault_audit_stats *stats,
                                   ward_db_error *err);

/* "edited", "missing", ... */
const char *ward_vault_audit_problem_name(ward_vault_audit_problem problem);

/* ---- the guest module ------------------------------------------------------ */

/*
 * Define ward:vault (include/ward_guest_vault.h) in linker for store: the
 * module's calls act as actor (copied; NULL = operator).  v must outlive
 * store; it keeps one small binding per distinct actor until it is freed.
 * WARD_ERROR on a NULL argument or out of memory.
 */
ward_result ward_vault_define(ward_vault *v, const ward_vault_actor *actor, ward_linker *linker,
                              ward_store *store);

#ifdef __cplusplus
}
#endif
#endif
