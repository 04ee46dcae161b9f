/*
 * ward:tee for guests: measurement registers, quotes and sealing from
 * inside a WebAssembly module (docs/measurement.md, "Guest ABI").
 * Build with clang --target=wasm32-wasi; the host links the functions when
 * it runs the module with a measurement registry (`ward run` does).
 *
 * Conventions: pointers and lengths address this module's memory (its
 * export "memory", else memory 0).  A range that is not wholly inside it
 * traps ("out of bounds memory access"), and is checked before anything
 * else; a refused call returns one of the negative codes below and writes
 * nothing.  Every call costs fuel (table in docs/measurement.md), charged
 * before any work.  Registers 0-7 belong to the host (0 the module's hash,
 * 1 the trust policy): a guest may read and quote them, extend only 8-15.
 */
#ifndef WARD_GUEST_TEE_H
#define WARD_GUEST_TEE_H

#include <stdint.h>

#define WARD_TEE_EINVAL (-1)      /* register over 15, mask 0 or over 0xFFFF, nonce over 64 bytes,
                                   * overlapping buffers, data over 1 GiB */
#define WARD_TEE_EPERM (-2)       /* extend of a host register (0-7) */
#define WARD_TEE_ESPACE (-3)      /* the output buffer is too small: nothing written */
#define WARD_TEE_EUNAVAILABLE (-4)/* the host has no attestation key (quote) or sealing secret */
#define WARD_TEE_EAUTH (-5)       /* unseal: a selected register changed since sealing, or the
                                   * blob was altered or sealed by another host */
#define WARD_TEE_EMALFORMED (-6)  /* unseal: not a sealed blob (bad magic, version, truncated) */
#define WARD_TEE_EFULL (-7)       /* the host's event log is full: nothing extended */
#define WARD_TEE_ENOMEM (-8)      /* the host is out of memory */

#define WARD_TEE_DIGEST_BYTES 32
#define WARD_TEE_NONCE_MAX 64
#define WARD_TEE_SEAL_OVERHEAD 48
/* A quote's size: 9 + nonce_len + 32 * (registers selected) + 96; at most 681. */
#define WARD_TEE_QUOTE_SIZE(nonce_len, nregs) (9u + (nonce_len) + 32u * (nregs) + 96u)
#define WARD_TEE_QUOTE_MAX WARD_TEE_QUOTE_SIZE(64u, 16u)

/* The codes and sizes above are also for the host (src/measure/tee_guest.c);
 * the declarations below only for wasm. */
#if defined(__wasm__)
#define WARD_TEE_IMPORT(name) __attribute__((import_module("ward:tee"), import_name(name)))

/* R[reg] = SHA-256(R[reg] || SHA-256(data)) for reg 8..15, logged in the
 * host's event log (description "guest").  0, or EINVAL / EPERM / EFULL. */
WARD_TEE_IMPORT("extend") int32_t ward_tee_extend(uint32_t reg, const void *data, uint32_t len);

/* Write register reg's 32 bytes to out.  0, or EINVAL. */
WARD_TEE_IMPORT("read") int32_t ward_tee_read(uint32_t reg, void *out);

/* A quote (format in docs/measurement.md) of the registers of mask (bit i =
 * register i) with the caller's nonce, signed by the node's attestation key,
 * into out[0..cap).  Its length, or EINVAL / ESPACE / EUNAVAILABLE. */
WARD_TEE_IMPORT("quote") int32_t ward_tee_quote(const void *nonce, uint32_t nonce_len, uint32_t mask, void *out,
                                                uint32_t cap);

/* Seal data to the current values of the registers of mask into out
 * (cap >= len + 48).  The blob's length, or EINVAL / ESPACE / EUNAVAILABLE. */
WARD_TEE_IMPORT("seal") int32_t ward_tee_seal(uint32_t mask, const void *data, uint32_t len, void *out,
                                              uint32_t cap);

/* Open a sealed blob into out (cap >= len - 48).  The data's length, or
 * EMALFORMED / EAUTH / ESPACE / EUNAVAILABLE / EINVAL. */
WARD_TEE_IMPORT("unseal") int32_t ward_tee_unseal(const void *blob, uint32_t len, void *out, uint32_t cap);

#undef WARD_TEE_IMPORT
#endif /* __wasm__ */

#endif
