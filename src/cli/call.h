/* `ward call` (call.c) and its batch mode (call_batch.c): shared helpers. */
#ifndef WARD_CLI_CALL_H
#define WARD_CLI_CALL_H

#include <stdio.h>

#include "cli.h"
#include "ward_contract.h"

/* All of f, at most limit bytes; NULL after the reason on stderr. */
uint8_t *cli_call_read_stream(FILE *f, const char *what, size_t limit, size_t *size);
/* The registry `ward call` reads: --registry DB, else WARD_REGISTRY, else
 * the state database. */
const char *cli_call_registry(const char *registry, const char *state);
/* The bytes of the module ref names (a .wasm path, or sha256:HEX or a NAME
 * of the registry, re-hashed on load); *gas_cap the registry's gas limit
 * for it, 0 for a file.  NULL with why filled. */
uint8_t *cli_call_module(const char *ref, const char *registry, uint64_t *gas_cap, size_t *size, char *why,
                         size_t why_size);
/* The registry's cap on a call's gas (asked: --gas-limit was given). */
void cli_call_apply_cap(uint64_t cap, bool asked, uint64_t *gas_limit);
ward_db *cli_call_open_state(const char *path);
bool cli_call_hex32(const char *hex, uint8_t out[32]);
bool cli_call_gas(const char *text, uint64_t *out);
/* The receipt and a newline on stdout. */
void cli_call_print(const ward_receipt *r);
/* --batch FILE.jsonl (or - for stdin) against state (may be NULL), with
 * modules by reference from registry (may be NULL). */
int cli_call_batch(const char *path, const char *state, const char *registry);

#endif
