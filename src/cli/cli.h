/* The ward command-line tool: subcommands and their shared helpers. */
#ifndef WARD_CLI_H
#define WARD_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "../../include/ward.h"

/* Exit statuses of every subcommand. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_TRAP = 1,   /* the guest trapped (or ran out of fuel) */
    CLI_EXIT_USAGE = 2,  /* bad command line, unreadable, malformed or invalid module */
};

/* Subcommands: argv[0] is the subcommand's name. */
int cli_run(int argc, char **argv);
int cli_validate(int argc, char **argv);

/* Parse a command-line argument as a value of `kind`: i32/i64 in decimal
 * (signed or unsigned) or 0x hex, f32/f64 as C floats (nan, inf, hex).
 * False for other kinds or malformed text. */
bool cli_parse_value(const char *text, ward_valkind kind, ward_val *out);

/* Render a result: integers as signed decimal, floats in the shortest
 * form that reads back to the same bits. */
void cli_format_value(const ward_val *v, char *buf, size_t size);

const char *cli_kind_name(ward_valkind kind);

/* ward:crypto for `ward run` (run_crypto.c, built with crypto): --seed's
 * check (64 hex digits; says what is wrong on stderr), and the module for
 * a module that imports it (*out NULL when it does not; free it with
 * ward_crypto_free after the store).  Deterministic random when
 * deterministic or a seed is given (all-zero seed without one). */
struct ward_crypto;
bool cli_crypto_seed_valid(const char *hex);
int cli_crypto_setup(struct ward_crypto **out, const ward_module *m, ward_linker *linker, ward_store *store,
                     bool deterministic, const char *seed_hex);

#endif
