/*
 * The vault inside (docs/vault.md), split by concern:
 *   vault.c    keys: init, unlock, key check, key files, actors
 *   secrets.c  put, get, delete, list, history; sealing
 *   rules.c    access rules and the decision; the rule set's MAC
 *   audit.c    audit records, appending to the chain, verify, show
 * Every operation is one wdb_transact body that does its work and appends
 * its audit entry, so both are committed together or not at all.
 */
#ifndef WARD_VAULT_INTERNAL_H
#define WARD_VAULT_INTERNAL_H

#include <pthread.h>

#include "crypto/crypto.h"
#include "storage/backend.h"
#include "storage/storage.h"
#include "ward_vault.h"

/* Metadata keys (wdb_meta_*). */
#define WVAULT_META_PARAMS "vault.params"  /* how the master key is had (below) */
#define WVAULT_META_CHECK "vault.check"    /* the key-check value */
#define WVAULT_META_HEAD "vault.audit.head"/* head id, count, MAC */
#define WVAULT_META_RULES "vault.rules.mac"/* MAC of the rule set */

/* vault.params: u8 format (1), u8 mode, salt (16), u64le ops, u64le mem. */
#define WVAULT_PARAMS_FORMAT 1
#define WVAULT_PARAMS_BYTES (2 + WCRYPTO_PWHASH_SALT_BYTES + 16)
enum { WVAULT_MODE_PASSPHRASE = 1, WVAULT_MODE_KEY = 2 };

/* Subkeys of the master key: crypto_kdf under these 8-byte contexts. */
#define WVAULT_CTX_KEYS "wardvkey" /* ids below */
#define WVAULT_CTX_SECRET "wardvlt1" /* id from (name, version): secrets.c */
enum { WVAULT_KEY_CHECK = 1, WVAULT_KEY_AUDIT = 2, WVAULT_KEY_RULES = 3 };

/* vault.audit.head: id (32), u64le count, BLAKE2b-256 MAC (32). */
#define WVAULT_HEAD_BYTES (32 + 8 + 32)

typedef struct wvault_binding wvault_binding;

struct ward_vault {
    ward_db *db;
    uint8_t master[WARD_VAULT_KEY_BYTES];
    uint8_t audit_key[32];      /* MACs the audit head */
    uint8_t rules_key[32];      /* MACs the rule set */
    pthread_mutex_t lock;       /* guards bindings */
    wvault_binding *bindings;   /* ward_vault_define's, freed with the vault */
};

/* ---- vault.c -------------------------------------------------------------- */

/* Subkey id of the master key (WVAULT_KEY_*) into out (32 bytes). */
void wvault_subkey(const uint8_t master[32], uint64_t id, uint8_t out[32]);
/* Is name 1..255 bytes of the name alphabet (a prefix may be empty)? */
bool wvault_name_valid(const char *name, bool prefix);
void wvault_put_u64(uint8_t *p, uint64_t v);
uint64_t wvault_get_u64(const uint8_t *p);

/* ---- src/guest/vault.c: ward_vault_define's bindings, freed with the vault */
void wvault_bindings_free(wvault_binding *b);

/* ---- audit.c -------------------------------------------------------------- */

/* What an audit entry says (never a value). */
typedef struct wvault_event {
    const char *op;             /* "put", "get", ... */
    const char *name;           /* the secret's name or a rule's prefix, or NULL */
    uint64_t version;           /* 0: none */
    const ward_vault_actor *actor; /* NULL: operator */
    const char *result;         /* "ok", "denied", "not_found", "deleted", "tampered" */
    const char *extra;          /* more fields (a rule), already in record syntax, or NULL */
} wvault_event;

/* Append ev as the next entry of the chain, inside the caller's body: the
 * DAG node, then the head and its MAC. */
bool wvault_audit_append(wdb *c, const ward_vault *v, const wvault_event *ev, const char *op, ward_db_error *err);

/* ---- rules.c -------------------------------------------------------------- */

/* May actor do perm on name?  Inside a body.  Operators always may; a
 * module's rules are loaded and their MAC checked: *tampered when it fails
 * (and *allowed false). */
bool wvault_allowed(wdb *c, const ward_vault *v, const ward_vault_actor *actor, const char *name, uint32_t perm,
                    bool *allowed, bool *tampered, const char *op, ward_db_error *err);
/* Store the MAC of the rule set as it is now (after a change, at init). */
bool wvault_rules_seal(wdb *c, const ward_vault *v, const char *op, ward_db_error *err);

/* The outcome of an operation that ran (and was audited) but refuses:
 * kind OK, or DENIED / NOT_FOUND / TAMPERED with the message's detail. */
typedef struct wvault_outcome {
    ward_db_error_kind kind;
    char detail[200];
} wvault_outcome;

void wvault_outcome_set(wvault_outcome *o, ward_db_error_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* After wdb_transact: false with err filled when the outcome refuses. */
bool wvault_outcome_report(const ward_vault *v, const wvault_outcome *o, const char *op, ward_db_error *err);

#endif
