/* `ward call` (call.c) and its batch mode (call_batch.c): shared helpers. */
#ifndef WARD_CLI_CALL_H
#define WARD_CLI_CALL_H

#include <stdio.h>

#include "cli.h"
#include "ward_contract.h"

/* All of f, at most limit bytes; NULL after the reason on stderr. */
uint8_t *cli_call_read_stream(FILE *f, const char *what, size_t limit, size_t *size);
/* The bytes of the module ref names (a .wasm path; the registry hook for
 * "sha256:HEX"); NULL with why. */
uint8_t *cli_call_module(const char *ref, size_t *size, char *why, size_t why_size);
ward_db *cli_call_open_state(const char *path);
bool cli_call_hex32(const char *hex, uint8_t out[32]);
bool cli_call_gas(const char *text, uint64_t *out);
/* The receipt and a newline on stdout. */
void cli_call_print(const ward_receipt *r);
/* --batch FILE.jsonl (or - for stdin) against state (may be NULL). */
int cli_call_batch(const char *path, const char *state);

#endif
