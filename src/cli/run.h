/* `ward run`: its options (run_options.c) and what run.c makes of them. */
#ifndef WARD_CLI_RUN_H
#define WARD_CLI_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "ward_features.h"
#if WARD_HAVE_MEASUREMENT
#include "run_measure.h"
#endif

/* A --dir HOST[::GUEST] or --env K=V list, in command-line order. */
typedef struct run_list {
    int n;
    const char **items;
} run_list;

/* What to give an import no host module provides (wasmtime's
 * --trap-unknown-imports and --default-values-unknown-imports). */
typedef enum run_unknown_imports {
    RUN_UNKNOWN_IMPORTS_REFUSE = 0, /* a link error, as the spec says */
    RUN_UNKNOWN_IMPORTS_TRAP,       /* functions that trap when called */
    RUN_UNKNOWN_IMPORTS_DEFAULT,    /* zero/null results, and globals, memories, tables of their type */
} run_unknown_imports;

typedef struct run_options {
    const char *invoke;     /* export to call, or NULL for _start */
    const char *path;
    const char *argv0;      /* the guest's argv[0]; NULL = the file path */
    bool fuel_set;
    uint64_t fuel;
    bool stats;
    uint64_t timeout_ms;    /* 0 = none */
    ward_config config;     /* limits from --max-memory / --max-stack / --max-threads */
    run_list dirs;
    run_list envs;          /* --env K=V, and --env NAME as NAME=its host value (owned_envs) */
    run_list owned_envs;    /* the strings made for --env NAME: freed with the options */
    bool inherit_env;       /* --inherit-env: the host's whole environment first */
    run_unknown_imports unknown_imports;
    run_list listens;       /* --tcplisten ADDR:PORT */
    const char *trust_path, *policy_path; /* --trust STORE --policy POLICY (run_trust.c) */
    const char *signature_path;           /* --signature-file F: a detached signature for --trust */
    int nargs;              /* arguments after the file */
    char **args;
    const char *seed;       /* --seed HEX: ward:crypto's deterministic random */
    const char *dag_path;   /* --dag FILE: ward:dag's database (run_dag.c) */
    const char *registry;   /* --registry DB: modules by sha256:HEX or NAME (run_registry.c) */
#if WARD_HAVE_MEASUREMENT
    run_measure_options measure; /* --attest-key, --seal-secret, --measure-log */
#endif
    cli_vault_options vault;  /* --vault DB --vault-key-file F | --vault-passphrase-fd N (run_vault.c) */
} run_options;

/* Options come before the file ("--" may end them, as in wasmtime);
 * everything after the file is an argument.  False after saying what is
 * wrong on stderr (nothing said: the file is missing). */
bool run_parse_options(int argc, char **argv, run_options *o);
void run_options_free(run_options *o);
/* The synopsis, and every option with what it does (ward run --help). */
void run_print_synopsis(FILE *out);
void run_print_options(FILE *out);

/* The WASI environment: the host's (with --inherit-env), then each --env,
 * a later one replacing an earlier of the same name.  NULL when out of
 * memory; free the array (not its strings) after ward_wasi_new. */
const char **run_environment(const run_options *o, int *count);

/* --trap-unknown-imports / --default-values-unknown-imports (run_imports.c):
 * define a stand-in in linker for every import of m before the host
 * modules define theirs (a later definition replaces it, so only the
 * imports nobody provides keep the stand-in).  *state is freed with
 * run_imports_free after the store. */
typedef struct run_imports run_imports;
int run_imports_define(run_imports **state, run_unknown_imports mode, const ward_module *m, ward_engine *engine,
                       ward_store *store, ward_linker *linker);
void run_imports_free(run_imports *state);

#endif
