/* ward: the command-line front end.  Dispatches to one subcommand. */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ward_features.h"
#if WARD_HAVE_SPEC_RUNNER
#include "../../spec-tests/wast.h"
#endif
#include "cli.h"
#include "run.h"

#ifndef WARD_VERSION
#define WARD_VERSION "unknown"
#endif

typedef struct cli_command {
    const char *name;
    int (*main)(int argc, char **argv);
    const char *summary;    /* NULL: run's, printed from its option table */
    bool own_help;          /* answers --help itself (with more than the summary) */
} cli_command;

static const cli_command cli_commands[] = {
    {"run", cli_run, NULL, false},
    {"validate", cli_validate, "validate FILE.wasm\n      decode and validate (with the features run enables); print OK or the error", false},
    {"wat2wasm", cli_wat2wasm, "wat2wasm IN.wat [-o OUT.wasm|-]\n      convert WebAssembly text to a binary module (default OUT: IN with .wasm)", false},
#if WARD_HAVE_SIGNATURES
    {"keygen", cli_keygen, "keygen --public-key PK --secret-key SK\n      make an Ed25519 key pair (Signatures.md serialization; SK mode 0600)", false},
    {"sign", cli_sign,
     "sign -i IN.wasm -o OUT.wasm -k SK [--signature-file DETACHED]\n      sign a module (a signature already there gets this one added); with\n      --signature-file the signature goes to DETACHED (added to it if it exists)", false},
    {"verify", cli_verify,
     "verify -i IN.wasm -K PK [-K PK]... [--signature-file DETACHED]\n      exit 0 when a key signed the whole module; else 1 and the reason", false},
#endif
#if WARD_HAVE_SPEC_RUNNER
    {"wast", ward_wast_main,
     "wast [-v] [--threads] [--extended-const] [--exceptions] [--multi-memory] [--memory64] FILE.wast|FILE.json...\n      run spec-test scripts: .wast read by ward's text parser, else wast2json's JSON\n      (-v: print each failure; --threads: threads proposal; --extended-const: extended\n      constant expressions; --exceptions: legacy exception handling; --multi-memory,\n      --memory64: those proposals; tail calls are always on)", true},
#endif
#if WARD_HAVE_STORAGE
    {"dag", cli_dag,
     "dag --db FILE put|get|has|parents|children|tips|count|is-ancestor|walk|verify ...\n"
     "      the content-addressed DAG of a database (ward dag --help; docs/dag.md)", true},
    {"vault", cli_vault,
     "vault --db FILE [--key-file F | --passphrase-fd N] COMMAND\n"
     "      secrets sealed in FILE (init, put, get, delete, list, history, allow, rules,\n"
     "      revoke, audit show, audit verify: ward vault --help; docs/vault.md); run\n"
     "      gives a module ward:vault with --vault DB --vault-key-file F", true},
    {"call", cli_call,
     "call [--state DB] [--gas-limit N] [--input FILE|-] MODULE EXPORT\n"
     "      one deterministic contract call; prints its JSON receipt. --replay RECEIPT\n"
     "      [--module FILE] checks a receipt; --batch FILE.jsonl runs many (docs/contracts.md)", false},
    {"registry", cli_registry,
     "registry [--db FILE] add|list|show|remove ...\n"
     "      validated modules by SHA-256 and name, with gas limits and trust levels (ward\n"
     "      registry --help; docs/contracts.md); ward run [--registry FILE] sha256:HEX|NAME\n"
     "      runs one (FILE default: $WARD_REGISTRY)", true},
#endif
#if WARD_HAVE_MEASUREMENT
    {"quote", cli_quote,
     "quote verify --quote QUOTE --public-key PK [--log LOG] [--nonce HEX]\n"
     "      check a ward:tee quote: signed by PK, with that nonce, registers matching the\n"
     "      replay of LOG (exit 0 valid, 1 refused with the reason); run measures the module\n"
     "      into register 0 and takes --attest-key SK, --seal-secret FILE and --measure-log\n"
     "      FILE (docs/measurement.md)", false},
#endif
};

#define NCOMMANDS (sizeof cli_commands / sizeof cli_commands[0])

static void print_summary(FILE *out, const cli_command *c)
{
    fprintf(out, "  ");
    if (c->summary)
        fprintf(out, "ward %s\n", c->summary);
    else
        run_print_synopsis(out);
}

static void print_exit_statuses(FILE *out)
{
    fprintf(out, "exit status (docs/cli.md): 0 success; ward run: the program's own exit status\n"
                 "(0-125), 126 the module could not be run (command line, file, invalid module,\n"
                 "link error), 134 a trap; other commands: 1 a refusal or failed check, 2 a\n"
                 "usage error or unreadable or invalid input\n");
}

static int print_help(FILE *out, int status)
{
    fprintf(out, "ward %s: a WebAssembly 2.0 interpreter\n\nusage:\n", WARD_VERSION);
    for (size_t i = 0; i < NCOMMANDS; i++)
        print_summary(out, &cli_commands[i]);
    fprintf(out, "  ward [RUN OPTIONS] FILE [ARGS...]\n      the same as ward run (the default command, as in wasmtime)\n"
                 "  ward COMMAND --help | ward --help | ward --version\n\n"
                 "options of run:\n");
    run_print_options(out);
    fprintf(out, "\nFILE may be binary or text: a file that starts with \"\\0asm\" is a binary module,\n"
                 "anything else is read as the WebAssembly text format (.wat, docs/text.md)\n\n");
    print_exit_statuses(out);
    return status;
}

/* ward COMMAND --help / -h: the command's own help, or its summary (run:
 * with every option). */
static int command_help(const cli_command *c)
{
    printf("usage:\n");
    print_summary(stdout, c);
    if (!c->summary) {
        printf("\noptions:\n");
        run_print_options(stdout);
    }
    putchar('\n');
    print_exit_statuses(stdout);
    return CLI_EXIT_OK;
}

static bool is_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

static const cli_command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(name, cli_commands[i].name) == 0)
            return &cli_commands[i];
    return NULL;
}

/* A file, or a module of the registry (sha256:HEX, or a NAME when
 * $WARD_REGISTRY names one): what run may be given. */
static bool could_be_module(const char *arg)
{
    if (access(arg, F_OK) == 0 || strncmp(arg, "sha256:", 7) == 0)
        return true;
#if WARD_HAVE_STORAGE
    return cli_registry_default() != NULL;
#else
    return false;
#endif
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return print_help(stderr, CLI_EXIT_USAGE);
    if (is_help(argv[1]) || strcmp(argv[1], "help") == 0)
        return argc > 2 && find_command(argv[2]) ? command_help(find_command(argv[2])) : print_help(stdout, CLI_EXIT_OK);
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("ward %s\n", WARD_VERSION);
        return CLI_EXIT_OK;
    }
    const cli_command *c = find_command(argv[1]);
    if (c && argc == 3 && is_help(argv[2]) && !c->own_help)
        return command_help(c);
    if (c)
        return c->main(argc - 1, argv + 1);
    /* As with wasmtime, run is the default: "ward app.wasm ARGS", "ward
     * --dir . app.wasm", any file name (a name that is not a file gets run's
     * "cannot open" and a hint that it is no command either). */
    if (argv[1][0] == '-' && argv[1][1] != '-') {
        fprintf(stderr, "ward: unknown option %s (try ward --help)\n", argv[1]);
        return CLI_EXIT_USAGE;
    }
    if (argv[1][0] != '-' && !could_be_module(argv[1])) {
        fprintf(stderr, "ward: no command or file named \"%s\" (try ward --help)\n", argv[1]);
        return CLI_EXIT_RUN_ERROR;
    }
    return cli_run(argc, argv);
}
