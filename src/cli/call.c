/*
 * `ward call` (docs/contracts.md): one contract call with a JSON receipt,
 * --replay RECEIPT to check one, --batch FILE.jsonl to run many
 * (call_batch.c).  The contract logic is src/contract's (ward_contract.h).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"
#include "crypto/crypto.h"

static int call_usage(void)
{
    fprintf(stderr, "usage: ward call [--state DB] [--gas-limit N] [--input FILE|-] [--seed HEX] [--contract HEX]\n"
                    "                 [--registry DB] MODULE EXPORT\n"
                    "       ward call --replay RECEIPT.json [--state DB] [--module FILE] [--registry DB]\n"
                    "       ward call --batch FILE.jsonl|- [--state DB]\n"
                    "MODULE is a .wasm file, sha256:HEX or a NAME of the registry (--registry DB, else\n"
                    "$WARD_REGISTRY, else the --state DB); the receipt goes to stdout (docs/contracts.md).\n"
                    "exit status: 0 ok (replay: equal), 1 the call failed (replay: differs), 2 bad input\n");
    return CLI_EXIT_USAGE;
}

/* ---- shared with call_batch.c ----------------------------------------------- */

uint8_t *cli_call_read_stream(FILE *f, const char *what, size_t limit, size_t *size)
{
    size_t cap = 1 << 12, len = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        if (len == cap) {
            /* room for one byte past the limit tells a file at the limit from a longer one */
            uint8_t *grown = cap > limit ? NULL : realloc(buf, cap * 2 > limit + 1 ? limit + 1 : cap * 2);
            if (!grown) {
                fprintf(stderr, "ward call: %s: %s\n", what, cap > limit ? "over the size limit" : "out of memory");
                break;
            }
            buf = grown;
            cap = cap * 2 > limit + 1 ? limit + 1 : cap * 2;
        }
        len += fread(buf + len, 1, cap - len, f);
        if (ferror(f)) {
            fprintf(stderr, "ward call: cannot read %s: %s\n", what, strerror(errno));
            break;
        }
        if (feof(f)) {
            *size = len;
            return buf;
        }
    }
    free(buf);
    return NULL;
}

/* The registry `ward call` looks modules up in: --registry DB, else
 * WARD_REGISTRY, else the state database (one file can hold both). */
const char *cli_call_registry(const char *registry, const char *state)
{
    return registry ? registry : cli_registry_default() ? cli_registry_default() : state;
}

/* The module a reference names: a .wasm path, or a registry module
 * (sha256:HEX, or a NAME no file has), re-hashed on load by the registry;
 * *gas_cap gets the registry's gas limit for it (0 for a file). */
uint8_t *cli_call_module(const char *ref, const char *registry, uint64_t *gas_cap, size_t *size, char *why,
                         size_t why_size)
{
    bool capped = false;
    uint64_t cap = 0;
    uint8_t *bytes = cli_module_bytes(registry, ref, size, &capped, &cap, why, why_size);
    *gas_cap = capped ? cap : 0;
    if (bytes && *size > ((size_t)256 << 20)) {
        snprintf(why, why_size, "module %s is over 256 MiB", ref);
        free(bytes);
        bytes = NULL;
    }
    return bytes;
}

/* A call's gas: the registry's limit for the module caps it (as it caps
 * `ward run`'s fuel); without --gas-limit the cap is the budget. */
void cli_call_apply_cap(uint64_t cap, bool asked, uint64_t *gas_limit)
{
    if (cap && (!asked || *gas_limit > cap))
        *gas_limit = cap;
}

ward_db *cli_call_open_state(const char *path)
{
    ward_db_error err;
    ward_db *db = ward_db_open(path, NULL, &err);
    if (!db)
        fprintf(stderr, "ward call: %s\n", err.message);
    return db;
}

bool cli_call_hex32(const char *hex, uint8_t out[32])
{
    return hex && wcrypto_from_hex(out, 32, hex, strlen(hex));
}

void cli_call_print(const ward_receipt *r)
{
    size_t len;
    const char *text = ward_receipt_json(r, &len);
    fwrite(text, 1, len, stdout);
    fputc('\n', stdout);
}

/* ---- options ------------------------------------------------------------------ */

typedef struct call_options {
    const char *state, *gas, *input, *seed, *contract, *replay, *module, *batch, *registry;
    const char *positional[2];
    int npositional;
} call_options;

static const struct {
    const char *name;
    size_t offset;
} call_flags[] = {
    {"--state", offsetof(call_options, state)},       {"--gas-limit", offsetof(call_options, gas)},
    {"--input", offsetof(call_options, input)},       {"--seed", offsetof(call_options, seed)},
    {"--contract", offsetof(call_options, contract)}, {"--replay", offsetof(call_options, replay)},
    {"--module", offsetof(call_options, module)},     {"--batch", offsetof(call_options, batch)},
    {"--registry", offsetof(call_options, registry)},
};

static bool parse_options(int argc, char **argv, call_options *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        size_t f = 0, nflags = sizeof call_flags / sizeof call_flags[0];
        while (f < nflags && strcmp(argv[i], call_flags[f].name) != 0)
            f++;
        if (f < nflags && i + 1 < argc) {
            *(const char **)((char *)o + call_flags[f].offset) = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1] == '-') {
            fprintf(stderr, "ward call: unknown option or missing value: %s\n", argv[i]);
            return false;
        } else if (o->npositional < 2) {
            o->positional[o->npositional++] = argv[i];
        } else {
            fprintf(stderr, "ward call: unexpected argument %s\n", argv[i]);
            return false;
        }
    }
    return true;
}

bool cli_call_gas(const char *text, uint64_t *out)
{
    char *end;
    if (!text || text[0] < '0' || text[0] > '9')
        return false;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

/* ---- one call ------------------------------------------------------------------ */

static uint8_t *read_input(const char *path, size_t *len)
{
    if (!path) {
        *len = 0;
        return malloc(1);
    }
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "ward call: cannot open input %s: %s\n", path, strerror(errno));
        return NULL;
    }
    uint8_t *bytes = cli_call_read_stream(f, path, WARD_CONTRACT_INPUT_MAX, len);
    if (f != stdin)
        fclose(f);
    return bytes;
}

static bool prepare_call(const call_options *o, ward_contract_call *k)
{
    ward_contract_call_default(k);
    k->export_name = o->positional[1];
    if (o->gas && !cli_call_gas(o->gas, &k->gas_limit)) {
        fprintf(stderr, "ward call: --gas-limit needs a whole number (at most %u)\n", WARD_CONTRACT_GAS_MAX);
        return false;
    }
    if (k->gas_limit > WARD_CONTRACT_GAS_MAX) {
        fprintf(stderr, "ward call: --gas-limit %" PRIu64 " is over the maximum of %u\n", k->gas_limit,
                WARD_CONTRACT_GAS_MAX);
        return false;
    }
    if ((o->seed && !(k->has_seed = cli_call_hex32(o->seed, k->seed))) ||
        (o->contract && !(k->has_contract = cli_call_hex32(o->contract, k->contract)))) {
        fprintf(stderr, "ward call: --seed and --contract need 64 hex digits\n");
        return false;
    }
    return true;
}

static int exit_of(const ward_receipt *r)
{
    return ward_receipt_status(r) == WARD_CONTRACT_OK ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

static int call_one(const call_options *o)
{
    ward_contract_call k;
    if (o->npositional != 2 || !prepare_call(o, &k))
        return o->npositional != 2 ? call_usage() : CLI_EXIT_USAGE;
    size_t size, input_len;
    char why[512];
    uint64_t cap;
    uint8_t *bytes = cli_call_module(o->positional[0], cli_call_registry(o->registry, o->state), &cap, &size, why,
                                     sizeof why);
    cli_call_apply_cap(cap, o->gas != NULL, &k.gas_limit);
    uint8_t *input = bytes ? read_input(o->input, &input_len) : NULL;
    ward_db *db = input && o->state ? cli_call_open_state(o->state) : NULL;
    int status = CLI_EXIT_USAGE;
    if (!bytes)
        fprintf(stderr, "ward call: %s\n", why);
    if (input && (db || !o->state)) {
        k.input = input;
        k.input_len = input_len;
        ward_error err = {0};
        ward_contract *c = ward_contract_load(bytes, size, NULL, &err);
        ward_db_error dberr;
        ward_receipt *r = c ? ward_contract_run(c, db, &k, &dberr) : NULL;
        if (r) {
            cli_call_print(r);
            status = exit_of(r);
        } else {
            fprintf(stderr, "ward call: %s\n", c ? dberr.message : err.message);
        }
        ward_receipt_free(r);
        ward_contract_free(c);
    }
    ward_db_close(db);
    free(input);
    free(bytes);
    return status;
}

/* ---- replay ---------------------------------------------------------------------- */

static int call_replay(const call_options *o)
{
    size_t len, size = 0;
    FILE *f = fopen(o->replay, "rb");
    uint8_t *receipt = f ? cli_call_read_stream(f, o->replay, (size_t)256 << 20, &len) : NULL;
    if (f)
        fclose(f);
    else
        fprintf(stderr, "ward call: cannot open %s: %s\n", o->replay, strerror(errno));
    while (receipt && len && (receipt[len - 1] == '\n' || receipt[len - 1] == '\r'))
        len--; /* the newline ward call prints after the receipt */
    uint8_t module_sha[32];
    char why[768] = "";
    uint8_t *bytes = NULL;
    if (receipt && !ward_receipt_module_sha256((const char *)receipt, len, module_sha))
        snprintf(why, sizeof why, "%s is not a receipt (no module_sha256)", o->replay);
    else if (receipt) {
        /* without --module, the registry module the receipt names */
        char ref[7 + 64 + 1] = "sha256:";
        wcrypto_to_hex(ref + 7, module_sha, sizeof module_sha);
        uint64_t cap;
        bytes = cli_call_module(o->module ? o->module : ref, cli_call_registry(o->registry, o->state), &cap, &size,
                                why, sizeof why);
    }
    ward_db *db = bytes && o->state ? cli_call_open_state(o->state) : NULL;
    int status = CLI_EXIT_USAGE;
    if (why[0])
        fprintf(stderr, "ward call: %s\n", why);
    if (bytes && (db || !o->state)) {
        ward_contract *c = ward_contract_load(bytes, size, NULL, NULL);
        ward_replay_result rc = c ? ward_contract_replay(c, db, (const char *)receipt, len, why, sizeof why)
                                  : WARD_REPLAY_ERROR;
        if (rc == WARD_REPLAY_EQUAL)
            printf("replay: equal\n");
        else
            fprintf(rc == WARD_REPLAY_DIFFERS ? stdout : stderr, "%s: %s\n",
                    rc == WARD_REPLAY_DIFFERS ? "replay: differs" : "ward call: replay", c ? why : "out of memory");
        status = rc == WARD_REPLAY_EQUAL ? CLI_EXIT_OK : rc == WARD_REPLAY_DIFFERS ? CLI_EXIT_FAIL : CLI_EXIT_USAGE;
        ward_contract_free(c);
    }
    ward_db_close(db);
    free(bytes);
    free(receipt);
    return status;
}

int cli_call(int argc, char **argv)
{
    call_options o;
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || !parse_options(argc, argv, &o))
        return call_usage();
    if ((o.replay != NULL) + (o.batch != NULL) > 1) {
        fprintf(stderr, "ward call: --replay and --batch do not go together\n");
        return CLI_EXIT_USAGE;
    }
    if ((o.replay || o.batch) && (o.npositional || o.gas || o.input || o.seed || o.contract)) {
        fprintf(stderr, "ward call: --replay and --batch take their calls from the file, not the command line\n");
        return CLI_EXIT_USAGE;
    }
    if (o.replay)
        return call_replay(&o);
    if (o.batch)
        return cli_call_batch(o.batch, o.state, cli_call_registry(o.registry, o.state));
    return call_one(&o);
}
