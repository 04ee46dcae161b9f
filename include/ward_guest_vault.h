/*
 * ward:vault for guests: named secrets from inside a WebAssembly module
 * (docs/vault.md, "Guest ABI").  Build with clang --target=wasm32-wasi; the
 * host links the functions when it runs the module with a vault
 * (`ward run --vault DB --vault-key-file F`, or ward_vault_define).
 *
 * The module acts as itself: its SHA-256, signers and trust level, and may
 * only what the vault's rules grant it; a refused call returns
 * WARD_VAULT_EDENIED and is recorded in the vault's audit log (so is every
 * other call).  Names are 1..255 bytes of A-Z a-z 0-9 . _ / : @ -.
 * Pointers and lengths address this module's memory (its export "memory",
 * else memory 0); a range not wholly inside it traps ("out of bounds
 * memory access") before anything is done.  Every call costs fuel (table
 * in docs/vault.md), charged first.
 */
#ifndef WARD_GUEST_VAULT_H
#define WARD_GUEST_VAULT_H

#include <stdint.h>

#define WARD_VAULT_EINVAL (-1)   /* a name that is empty, too long or has other characters */
#define WARD_VAULT_EDENIED (-2)  /* no rule lets this module do it (the refusal is audited) */
#define WARD_VAULT_ENOTFOUND (-3)/* no such secret or version */
#define WARD_VAULT_EDELETED (-4) /* the secret (or the version asked) is deleted */
#define WARD_VAULT_ETOOBIG (-5)  /* a value over WARD_VAULT_GUEST_VALUE_MAX */
#define WARD_VAULT_ESPACE (-6)   /* get: the value is longer than out_cap (its length is in *len_out) */
#define WARD_VAULT_EBUSY (-7)    /* the database stayed locked by other writers */
#define WARD_VAULT_EIO (-8)      /* the database cannot be read or written */
#define WARD_VAULT_ENOMEM (-9)   /* the host is out of memory */
#define WARD_VAULT_ETAMPERED (-10) /* stored data or rules fail authentication */

#define WARD_VAULT_GUEST_NAME_MAX 255
#define WARD_VAULT_GUEST_VALUE_MAX (1u << 20)

/* The codes and sizes above are for the host too (src/guest/vault.c); the
 * declarations below only for wasm. */
#if defined(__wasm__)
#define WARD_VAULT_IMPORT(name) __attribute__((import_module("ward:vault"), import_name(name)))

/* Store value as the next version of name: the version (>= 1), or EINVAL /
 * ETOOBIG / EDENIED / EBUSY / EIO / ENOMEM / ETAMPERED. */
WARD_VAULT_IMPORT("put")
int32_t ward_vault_put(const char *name, uint32_t name_len, const void *value, uint32_t value_len);

/* The latest version of name into out[0..out_cap): its version (>= 1), with
 * its length in *len_out; ESPACE (nothing written but *len_out) when it is
 * longer than out_cap; ENOTFOUND, EDELETED, EDENIED, ... */
WARD_VAULT_IMPORT("get")
int32_t ward_vault_get(const char *name, uint32_t name_len, void *out, uint32_t out_cap, uint32_t *len_out);

/* The same for version `version` (>= 1). */
WARD_VAULT_IMPORT("get_version")
int32_t ward_vault_get_version(const char *name, uint32_t name_len, uint32_t version, void *out, uint32_t out_cap,
                               uint32_t *len_out);

/* Delete name (a tombstone version): the tombstone's version, or
 * ENOTFOUND (no such name, or deleted already), EDENIED, ... */
WARD_VAULT_IMPORT("delete") int32_t ward_vault_delete(const char *name, uint32_t name_len);

#undef WARD_VAULT_IMPORT
#endif /* __wasm__ */

#endif
