/* ward: the command-line front end.  Dispatches to one subcommand. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ward_features.h"
#if WARD_HAVE_SPEC_RUNNER
#include "../../spec-tests/wast.h"
#endif
#include "cli.h"

#ifndef WARD_VERSION
#define WARD_VERSION "unknown"
#endif

typedef struct cli_command {
    const char *name;
    int (*main)(int argc, char **argv);
    const char *summary;
} cli_command;

static const cli_command cli_commands[] = {
    {"run", cli_run,
     "run [--dir HOST[::GUEST]]... [--env K=V]... [--tcplisten ADDR:PORT]... [--fuel N]\n"
     "      [--timeout MS] [--max-memory BYTES] [--max-stack FRAMES] [--deterministic]\n"
     "      [--max-module-bytes BYTES] [--max-functions N] [--max-code-bytes BYTES]\n"
     "      [--seed HEX] [--stats] [--argv0 NAME] [--invoke NAME] [--trust STORE --policy POLICY]\n"
     "      FILE.wasm [ARGS...]\n"
     "      instantiate (WASI preview 1 when the module imports it), run the start\n"
     "      function, then NAME or _start; with --invoke, ARGS are parsed by NAME's\n"
     "      parameter types and results printed one per line, else they are the\n"
     "      WASI program's arguments (argv[0] is FILE.wasm, or --argv0 NAME)"},
    {"validate", cli_validate, "validate FILE.wasm\n      decode and validate (with the features run enables); print OK or the error"},
#if WARD_HAVE_SIGNATURES
    {"keygen", cli_keygen, "keygen --public-key PK --secret-key SK\n      make an Ed25519 key pair (Signatures.md serialization; SK mode 0600)"},
    {"sign", cli_sign,
     "sign -i IN.wasm -o OUT.wasm -k SK [--signature-file DETACHED]\n      sign a module (a signature already there gets this one added); with\n      --signature-file the signature goes to DETACHED (added to it if it exists)"},
    {"verify", cli_verify,
     "verify -i IN.wasm -K PK [-K PK]... [--signature-file DETACHED]\n      exit 0 when a key signed the whole module; else 1 and the reason"},
#endif
#if WARD_HAVE_SPEC_RUNNER
    {"wast", ward_wast_main,
     "wast [-v] [--threads] [--extended-const] [--exceptions] [--multi-memory] [--memory64] FILE.json...\n      run spec-test scripts converted by wast2json (-v: print each failure; --threads: threads\n      proposal; --extended-const: extended constant expressions; --exceptions: legacy\n      exception handling; --multi-memory, --memory64: those proposals; tail calls are always on)"},
#endif
#if WARD_HAVE_STORAGE
    {"dag", cli_dag,
     "dag --db FILE put|get|has|parents|children|tips|count|is-ancestor|walk|verify ...\n"
     "      the content-addressed DAG of a database (ward dag --help; docs/dag.md)"},
    {"vault", cli_vault,
     "vault --db FILE [--key-file F | --passphrase-fd N] COMMAND\n"
     "      secrets sealed in FILE (init, put, get, delete, list, history, allow, rules,\n"
     "      revoke, audit show, audit verify: ward vault --help; docs/vault.md); run\n"
     "      gives a module ward:vault with --vault DB --vault-key-file F"},
    {"call", cli_call,
     "call [--state DB] [--gas-limit N] [--input FILE|-] MODULE EXPORT\n"
     "      one deterministic contract call; prints its JSON receipt. --replay RECEIPT\n"
     "      [--module FILE] checks a receipt; --batch FILE.jsonl runs many (docs/contracts.md)"},
    {"registry", cli_registry,
     "registry [--db FILE] add|list|show|remove ...\n"
     "      validated modules by SHA-256 and name, with gas limits and trust levels (ward\n"
     "      registry --help; docs/contracts.md); ward run [--registry FILE] sha256:HEX|NAME\n"
     "      runs one (FILE default: $WARD_REGISTRY)"},
#endif
#if WARD_HAVE_MEASUREMENT
    {"quote", cli_quote,
     "quote verify --quote QUOTE --public-key PK [--log LOG] [--nonce HEX]\n"
     "      check a ward:tee quote: signed by PK, with that nonce, registers matching the\n"
     "      replay of LOG (exit 0 valid, 1 refused with the reason); run measures the module\n"
     "      into register 0 and takes --attest-key SK, --seal-secret FILE and --measure-log\n"
     "      FILE (docs/measurement.md)"},
#endif
};

#define NCOMMANDS (sizeof cli_commands / sizeof cli_commands[0])

static int print_help(FILE *out, int status)
{
    fprintf(out, "ward %s: a WebAssembly 2.0 interpreter\n\nusage:\n", WARD_VERSION);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  ward %s\n", cli_commands[i].summary);
    fprintf(out, "  ward [RUN OPTIONS] FILE.wasm [ARGS...]\n      the same as ward run (the default command, as in wasmtime)\n  ward --help | --version\n\n"
                 "options of run:\n"
                 "  --fuel N     stop with an \"out of fuel\" trap after N instructions\n"
                 "  --stats      print the fuel consumed to stderr at exit\n"
                 "  --dir H[::G] give a WASI program host directory H, named G (default H)\n"
                 "  --env K=V    set an environment variable for a WASI program\n"
                 "  --tcplisten ADDR:PORT\n"
                 "               give a WASI program a TCP socket listening there\n"
                 "               (descriptors 3, 4, ... before the --dir ones)\n"
#if WARD_HAVE_SIGNATURES
                 "  --trust STORE --policy POLICY\n"
                 "               verify the module's signatures against STORE and run it\n"
                 "               under POLICY's rules for its trust level (docs/trust.md)\n"
#endif
#if WARD_HAVE_STORAGE
                 "  --dag FILE   give the module ward:dag on the database FILE (docs/dag.md)\n"
                 "  --registry FILE\n"
                 "               run sha256:HEX or NAME from FILE's module registry, its gas\n"
                 "               limit as the fuel (docs/contracts.md)\n"
#endif
#if WARD_HAVE_CRYPTO
                 "  --seed HEX   64 hex digits: ward:crypto's random_bytes draws a ChaCha20\n"
                 "               stream from this seed (with --deterministic alone: zero seed)\n"
#endif
                 "\n"
                 "exit status: 0 ok, 1 trap, 2 invalid input or usage;\n"
                 "a WASI program's own exit code when it calls proc_exit\n");
    return status;
}

static bool implies_run(const char *arg)
{
    size_t len = strlen(arg);
    return strncmp(arg, "--", 2) == 0 || (len > 5 && strcmp(arg + len - 5, ".wasm") == 0) ||
           strncmp(arg, "sha256:", 7) == 0; /* a registry module */
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return print_help(stderr, CLI_EXIT_USAGE);
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0)
        return print_help(stdout, CLI_EXIT_OK);
    if (strcmp(argv[1], "--version") == 0) {
        printf("ward %s\n", WARD_VERSION);
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; i < NCOMMANDS; i++) {
        if (strcmp(argv[1], cli_commands[i].name) == 0)
            return cli_commands[i].main(argc - 1, argv + 1);
    }
    /* As with wasmtime, run is the default: "ward app.wasm ARGS", "ward --dir . app.wasm". */
    if (implies_run(argv[1]))
        return cli_run(argc, argv);
    fprintf(stderr, "ward: unknown command \"%s\" (try ward --help)\n", argv[1]);
    return CLI_EXIT_USAGE;
}
