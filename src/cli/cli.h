/* The ward command-line tool: subcommands and their shared helpers. */
#ifndef WARD_CLI_H
#define WARD_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../include/ward.h"

/* Exit statuses (docs/cli.md has the table).  `ward run` passes the
 * guest's own status through (0..125, WASI's range as wasmtime has it), so
 * its own failures use statuses no guest can give. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FAIL = 1,        /* the answer is no: a signature refused, a wast failure, a failed contract call */
    CLI_EXIT_USAGE = 2,       /* bad command line, unreadable, malformed or invalid input (not run) */
    CLI_EXIT_RUN_ERROR = 126, /* run: the module could not be run (command line, file, invalid, link) */
    CLI_EXIT_TRAP = 134,      /* run: the guest trapped; 128 + SIGABRT, as wasmtime on Unix */
};
/* The largest status a guest's proc_exit may give (wasmtime's bound). */
#define CLI_EXIT_GUEST_MAX 125

/* Subcommands: argv[0] is the subcommand's name. */
int cli_run(int argc, char **argv);
int cli_validate(int argc, char **argv);
/* wat.c: text modules (docs/text.md) */
int cli_wat2wasm(int argc, char **argv);
/* Text (anything not starting "\0asm") replaced by its binary in *bytes
 * (freed and reallocated) and *map set to its source map (left NULL for a
 * binary; the caller frees it); false after printing "CMD: PATH: why". */
bool cli_wat_convert(const char *cmd, const char *path, uint8_t **bytes, size_t *size, ward_wat_map **map);
int cli_quote(int argc, char **argv); /* with measurement (quote.c) */
/* Module signatures (sign.c; built WARD_HAVE_SIGNATURES). */
int cli_keygen(int argc, char **argv);
int cli_sign(int argc, char **argv);
int cli_verify(int argc, char **argv);

/* ward run --trust STORE --policy POLICY (run_trust.c; WARD_HAVE_SIGNATURES). */
typedef struct cli_trust cli_trust;
/* What the trust decision tightens in run's options. */
typedef struct cli_trust_run {
    ward_config *config;
    bool *fuel_set;
    uint64_t *fuel;
    uint64_t *timeout_ms;
    int ndirs;
    const char *const *dirs; /* --dir HOST[::GUEST] */
    const char *signature_path; /* --signature-file: detached signature data, or NULL */
} cli_trust_run;
/* Verify, pick the level, apply its limits to *run (before the engine is
 * made); prints why and returns CLI_EXIT_USAGE when the module is refused. */
int cli_trust_begin(cli_trust **out, const char *store_path, const char *policy_path, const uint8_t *bytes,
                    size_t size, const cli_trust_run *run);
/* Imports from host modules the level forbids: refused before linking. */
int cli_trust_check_module(const cli_trust *t, const ward_module *module);
/* The policy file's bytes (for the measurement of register 1). */
const uint8_t *cli_trust_policy_bytes(const cli_trust *t, size_t *len);
void cli_trust_free(cli_trust *t);

/* Parse a command-line argument as a value of `kind`: i32/i64 in decimal
 * (signed or unsigned) or 0x hex, f32/f64 as C floats (nan, inf, hex).
 * False for other kinds or malformed text. */
/* All of path (wfile_read), or NULL after "CMD: why" on stderr. */
uint8_t *cli_read_file(const char *cmd, const char *path, size_t *size);

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

/* `ward TOOL [--db FILE] COMMAND ...` over one ward database (db_tool.c;
 * ward dag, ward registry): a table of commands, each run on the open
 * database with argv[0] its name.  Commands that write may create the
 * file; the others need it to exist. */
struct ward_db;
typedef struct cli_db_command {
    const char *name;
    bool writes;
    int (*run)(struct ward_db *db, int argc, char **argv);
    const char *usage;          /* one help line (or a few) */
} cli_db_command;

typedef struct cli_db_tool {
    const char *name;           /* "dag": messages begin "ward dag: " */
    const char *synopsis;       /* the help's first line */
    const char *footer;         /* its last line, or NULL */
    const char *(*default_db)(void); /* the file without --db, or NULL: --db is required */
    const char *db_hint;        /* how to name the database, for "which database?" */
    const cli_db_command *commands;
    size_t ncommands;
} cli_db_tool;

int cli_db_tool_main(const cli_db_tool *tool, int argc, char **argv);

/* The DAG of a database (dag.c, run_dag.c; built WARD_HAVE_STORAGE):
 * `ward dag --db FILE COMMAND`, and ward:dag for `ward run --dag FILE`
 * (*out the open database, NULL without --dag; close it with
 * ward_db_close after the store).  A module that imports ward:dag without
 * --dag is refused with a message. */
int cli_dag(int argc, char **argv);
struct ward_db;
int cli_dag_setup(struct ward_db **out, const char *path, const ward_module *m, ward_linker *linker,
                  ward_store *store);
/* ward vault (vault.c, vault_key.c) and ward run --vault (run_vault.c);
 * built WARD_HAVE_STORAGE. */
struct ward_db;
struct ward_vault;
struct ward_vault_kdf;
int cli_vault(int argc, char **argv);
/* ward call: contract calls with receipts (call.c, call_batch.c; docs/contracts.md). */
int cli_call(int argc, char **argv);
/* A key file's 32 bytes (raw or 64 hex digits); says why not on stderr. */
bool cli_vault_key_file(const char *cmd, const char *path, uint8_t key[32]);
/* Unlock with the key file, else a passphrase from descriptor pass_fd
 * (decimal text), else one typed at the terminal; NULL after the reason on
 * stderr.  init: the same, the passphrase typed twice. */
struct ward_vault *cli_vault_unlock(const char *cmd, struct ward_db *db, const char *key_file, const char *pass_fd);
bool cli_vault_init(const char *cmd, struct ward_db *db, const char *key_file, const char *pass_fd,
                    const struct ward_vault_kdf *kdf);
/* --vault DB --vault-key-file F | --vault-passphrase-fd N */
typedef struct cli_vault_options {
    const char *db, *key_file, *passphrase_fd;
} cli_vault_options;
typedef struct cli_run_vault cli_run_vault;
/* ward:vault for a module that imports it, acting as the module (its
 * SHA-256, and with --trust its level and signer). */
int cli_vault_setup(cli_run_vault **out, const cli_vault_options *o, const ward_module *m, const uint8_t *bytes,
                    size_t size, const cli_trust *trust, ward_linker *linker, ward_store *store);
/* After the store. */
void cli_vault_free(cli_run_vault *v);
/* The module registry (registry.c, run_registry.c; built WARD_HAVE_STORAGE):
 * `ward registry`, and the module bytes of `ward run`: FILE's, or the
 * registry module path names (sha256:HEX, or a NAME no file has when a
 * registry is given), re-hashed on load, whose gas limit becomes the fuel
 * unless *fuel is smaller.  NULL after the reason on stderr. */
int cli_registry(int argc, char **argv);
uint8_t *cli_run_module_bytes(const char *registry, const char *path, size_t *size, bool *fuel_set, uint64_t *fuel);
/* The same without printing: NULL with why filled (for ward call). */
uint8_t *cli_module_bytes(const char *registry, const char *path, size_t *size, bool *fuel_set, uint64_t *fuel,
                          char *why, size_t why_size);
/* $WARD_REGISTRY when set and not empty, else NULL. */
const char *cli_registry_default(void);
/* The trust decision's level and the key of the signer that gave it
 * (*has_signer false for an unsigned or unknown-signer module). */
void cli_trust_identity(const cli_trust *t, int *level, uint8_t signer[32], bool *has_signer);

#endif
