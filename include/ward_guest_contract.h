/*
 * ward:io and ward:state for contract guests (docs/contracts.md, "Guest
 * ABI").  Build with clang --target=wasm32-wasi; a contract imports
 * nothing else (but ward:crypto), so build it without libc's start files:
 *
 *     clang --target=wasm32-wasi -O2 -nostdlib -fno-builtin -Wl,--no-entry \
 *           -Wl,--export=transfer -o token.wasm token.c
 *
 * and export functions of type () -> () or () -> i32.  Every misuse traps
 * with a message that names the function and the limit ("ward:io
 * input_read: bytes [0, 64) are past the input of 12 bytes"), so the call
 * fails and none of its writes are kept.  Every call costs gas (fuel),
 * charged before it does anything (prices in docs/fuel.md, "Host calls").
 */
#ifndef WARD_GUEST_CONTRACT_H
#define WARD_GUEST_CONTRACT_H

#include <stdint.h>

/* Limits (bytes), also read by the host (src/guest/io.c, state.c). */
#define WARD_IO_OUTPUT_MAX (1u << 20)    /* all output_write of a call together */
#define WARD_IO_LOG_COUNT_MAX 64         /* log lines per call */
#define WARD_IO_LOG_BYTES_MAX (64u << 10)/* all log lines of a call together */
#define WARD_STATE_KEY_MAX 1024          /* a key: 0..1024 bytes */
#define WARD_STATE_VALUE_MAX (1u << 20)  /* a value: 0..1 MiB */
#define WARD_STATE_WRITES_MAX (16u << 20)/* keys and values a call writes, together */
#define WARD_STATE_ABSENT (-1)           /* get: no such key */

#if defined(__wasm__)
#define WARD_IO_IMPORT(name) __attribute__((import_module("ward:io"), import_name(name)))
#define WARD_STATE_IMPORT(name) __attribute__((import_module("ward:state"), import_name(name)))

/* The call's input: its length, and bytes [offset, offset + len) copied to
 * dst (returns len; a range past the input traps). */
WARD_IO_IMPORT("input_len") uint32_t ward_io_input_len(void);
WARD_IO_IMPORT("input_read") uint32_t ward_io_input_read(void *dst, uint32_t offset, uint32_t len);
/* Append to the call's output (returns 0; over WARD_IO_OUTPUT_MAX traps). */
WARD_IO_IMPORT("output_write") uint32_t ward_io_output_write(const void *src, uint32_t len);
/* One log line for the receipt (returns 0; over the limits traps). */
WARD_IO_IMPORT("log") uint32_t ward_io_log(const void *msg, uint32_t len);

/* The value of key: its length (written to out only when it fits in
 * out_cap: ask again with a larger buffer), or WARD_STATE_ABSENT.  The
 * call sees its own writes. */
WARD_STATE_IMPORT("get")
int32_t ward_state_get(const void *key, uint32_t klen, void *out, uint32_t out_cap);
/* Set key to value (returns 0).  Kept only if the call succeeds. */
WARD_STATE_IMPORT("set")
int32_t ward_state_set(const void *key, uint32_t klen, const void *value, uint32_t vlen);
/* Remove key: 1 when it was there, else 0. */
WARD_STATE_IMPORT("remove") int32_t ward_state_remove(const void *key, uint32_t klen);
/* 1 when key has a value, else 0. */
WARD_STATE_IMPORT("has") int32_t ward_state_has(const void *key, uint32_t klen);

#undef WARD_IO_IMPORT
#undef WARD_STATE_IMPORT
#endif /* __wasm__ */

#endif
