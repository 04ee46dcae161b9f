/*
 * One line of a contract batch (docs/contracts.md, "Batches") read into a
 * call: the JSON object's fields checked and decoded, nothing run.  Used
 * by `ward call --batch` (src/cli/call_batch.c) and by the contract_calls
 * fuzz target, so both read lines the same way.
 */
#ifndef WARD_CONTRACT_BATCH_LINE_H
#define WARD_CONTRACT_BATCH_LINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ward_contract.h"

typedef struct wcontract_line {
    ward_contract_call call;    /* export_name and input point into this record */
    const char *module;         /* the "module" reference, as written */
    bool has_gas_limit;         /* "gas_limit" was given (a registry cap lowers it, not replaces it) */
    uint8_t *input;             /* the decoded input (owned) */
    void *json;                 /* the parsed line (owned): module and export_name live in it */
} wcontract_line;

/* Read text[0, len) into *line.  NULL when it is a call, else what is
 * wrong, one line of text (why may hold it).  Either way
 * wcontract_line_free(line) releases what it holds. */
const char *wcontract_line_parse(const char *text, size_t len, wcontract_line *line, char *why,
                                 size_t why_size);
void wcontract_line_free(wcontract_line *line);

#endif
