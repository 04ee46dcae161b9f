/*
 * `ward registry [--db FILE] COMMAND ...`: the module registry of a
 * database (docs/contracts.md, "Module registry").  The database is --db
 * FILE, else $WARD_REGISTRY.  Exit status: 0 done, 2 bad usage, an
 * unreadable, invalid or refused module, a database error (its message
 * names the file and the operation) or stored bytes that fail their hash.
 */
#define _POSIX_C_SOURCE 200809L /* gmtime_r */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "ward_registry.h"

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "ward registry: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    return CLI_EXIT_USAGE;
}

static int db_failed(const ward_db_error *err)
{
    fprintf(stderr, "ward registry: %s\n", err->message);
    return CLI_EXIT_USAGE;
}

/* ---- printing records ---------------------------------------------------- */

static void print_time(int64_t t)
{
    time_t when = (time_t)t;
    struct tm tm;
    char text[32];
    if (gmtime_r(&when, &tm) && strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm))
        printf("%s", text);
    else
        printf("%" PRId64, t);
}

static void print_trust(const ward_registry_entry *e)
{
    if (!e->trust_checked) {
        printf("trust level: untrusted (no trust store checked it when it was added)\n");
        return;
    }
    printf("trust level: %s\n", ward_trust_level_name(e->trust_level));
    if (e->has_signer) {
        uint8_t raw[WARD_SIG_PUBLIC_KEY_BYTES];
        ward_sig_public_key_to_bytes(&e->signer_key, raw);
        printf("signer: %s ", e->signer);
        for (size_t i = 0; i < sizeof raw; i++)
            printf("%02x", raw[i]);
        putchar('\n');
    }
}

/* One "field: value" per line (show, add, remove). */
static void print_entry(const ward_registry_entry *e)
{
    char ref[WARD_REGISTRY_HASH_REF_BYTES];
    ward_registry_hash_ref(e->sha256, ref);
    printf("%s\n", ref);
    printf("name: %s\n", e->name[0] ? e->name : "-");
    printf("size: %" PRIu64 " bytes\n", e->size);
    printf("gas limit: %" PRIu64 "\n", e->gas_limit);
    printf("added: ");
    print_time(e->added);
    printf("\nsigned: %s\n", e->is_signed ? "yes" : "no");
    print_trust(e);
}

/* ---- add ----------------------------------------------------------------- */

typedef struct add_args {
    const char *file, *name, *gas, *trust, *signature;
    bool replace, update;
} add_args;

/* --opt VALUE: the value's slot in a, or NULL when opt takes none. */
static const char **value_slot(add_args *a, const char *opt)
{
    static const struct {
        const char *name;
        size_t offset;
    } opts[] = {
        {"--name", offsetof(add_args, name)},         {"--gas-limit", offsetof(add_args, gas)},
        {"--trust", offsetof(add_args, trust)},       {"--signature-file", offsetof(add_args, signature)},
    };
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
        if (strcmp(opt, opts[i].name) == 0)
            return (const char **)((char *)a + opts[i].offset);
    return NULL;
}

static bool parse_add(int argc, char **argv, add_args *a)
{
    for (int i = 1; i < argc; i++) {
        const char **slot = value_slot(a, argv[i]);
        if (slot && i + 1 < argc && !*slot) {
            *slot = argv[++i];
        } else if (slot) {
            usage_error(*slot ? "add: %s given twice" : "add: %s needs a value", argv[i]);
            return false;
        } else if (strcmp(argv[i], "--replace") == 0) {
            a->replace = true;
        } else if (strcmp(argv[i], "--update") == 0) {
            a->update = true;
        } else if (argv[i][0] != '-' && !a->file) {
            a->file = argv[i];
        } else {
            usage_error("add: unexpected argument \"%s\"", argv[i]);
            return false;
        }
    }
    if (!a->file)
        usage_error("add: which module? (add FILE.wasm)%s", "");
    return a->file != NULL;
}

/* --gas-limit: a decimal count from 1 (the maximum is the registry's to say). */
static bool parse_gas(const char *text, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    bool digits = text[0] >= '0' && text[0] <= '9';
    unsigned long long v = digits ? strtoull(text, &end, 10) : 0;
    if (!digits || *end || v == 0) {
        usage_error("add: --gas-limit needs a count from 1 to 100000000, not \"%s\"", text);
        return false;
    }
    *out = errno == ERANGE ? UINT64_MAX : v; /* refused by the registry, with the maximum */
    return true;
}

/* The options of an add (trust store and signature loaded); false after
 * saying why. */
static bool add_options(const add_args *a, ward_registry_add_options *o, ward_trust_store **store, uint8_t **sig)
{
    ward_registry_add_options_default(o);
    o->name = a->name;
    o->replace = a->replace;
    o->update = a->update;
    if (a->gas && !parse_gas(a->gas, &o->gas_limit))
        return false;
    if (a->signature && !a->trust) {
        usage_error("add: --signature-file needs --trust STORE to check it%s", "");
        return false;
    }
    if (a->trust) {
        ward_trust_error terr;
        if (!(*store = ward_trust_store_load(a->trust, &terr))) {
            fprintf(stderr, "ward registry: %s\n", terr.message);
            return false;
        }
        o->trust = *store;
    }
    if (a->signature && !(*sig = cli_read_file("ward registry: add", a->signature, &o->signature_len)))
        return false;
    o->signature = *sig;
    return true;
}

static int registry_add(ward_db *db, int argc, char **argv)
{
    add_args a = {0};
    ward_registry_add_options o;
    ward_trust_store *store = NULL;
    uint8_t *sig = NULL, *bytes = NULL;
    size_t len = 0;
    int status = CLI_EXIT_USAGE;
    if (parse_add(argc, argv, &a) && add_options(&a, &o, &store, &sig) &&
        (bytes = cli_read_file("ward registry: add", a.file, &len))) {
        ward_registry_entry e;
        ward_db_error err;
        if (ward_registry_add(db, bytes, len, &o, &e, &err)) {
            print_entry(&e);
            status = CLI_EXIT_OK;
        } else {
            status = db_failed(&err);
        }
    }
    free(bytes);
    free(sig);
    ward_trust_store_free(store);
    return status;
}

/* ---- list, show, remove -------------------------------------------------- */

/* One line per module: sha256:HEX NAME GAS SIZE LEVEL, tab-separated
 * ("-" for no name). */
static int registry_list(ward_db *db, int argc, char **argv)
{
    (void)argv;
    if (argc != 1)
        return usage_error("list takes no arguments%s", "");
    ward_registry_entry *all;
    size_t n;
    ward_db_error err;
    if (!ward_registry_list(db, &all, &n, &err))
        return db_failed(&err);
    for (size_t i = 0; i < n; i++) {
        char ref[WARD_REGISTRY_HASH_REF_BYTES];
        ward_registry_hash_ref(all[i].sha256, ref);
        printf("%s\t%s\t%" PRIu64 "\t%" PRIu64 "\t%s\n", ref, all[i].name[0] ? all[i].name : "-", all[i].gas_limit,
               all[i].size, all[i].trust_checked ? ward_trust_level_name(all[i].trust_level) : "unchecked");
    }
    free(all);
    return CLI_EXIT_OK;
}

/* show checks the bytes too: a tampered module is refused here as on a run. */
static int registry_show(ward_db *db, int argc, char **argv)
{
    if (argc != 2)
        return usage_error("show takes one module (sha256:HEX or NAME)%s", "");
    ward_registry_entry e;
    ward_db_error err;
    if (!ward_registry_get(db, argv[1], &e, NULL, NULL, &err))
        return db_failed(&err);
    print_entry(&e);
    return CLI_EXIT_OK;
}

static int registry_remove(ward_db *db, int argc, char **argv)
{
    if (argc != 2)
        return usage_error("remove takes one module (sha256:HEX or NAME)%s", "");
    ward_registry_entry e;
    ward_db_error err;
    if (!ward_registry_remove(db, argv[1], &e, &err))
        return db_failed(&err);
    char ref[WARD_REGISTRY_HASH_REF_BYTES];
    ward_registry_hash_ref(e.sha256, ref);
    printf("removed %s%s%s\n", ref, e.name[0] ? " " : "", e.name);
    return CLI_EXIT_OK;
}

static const cli_db_command registry_commands[] = {
    {"add", true, registry_add,
     "add FILE.wasm [--name NAME] [--gas-limit N] [--trust STORE [--signature-file F]]\n"
     "      [--replace] [--update]\n"
     "                        validate and store (gas limit default 10000000, at most\n"
     "                        100000000); --replace takes the name from another module,\n"
     "                        --update changes the metadata of bytes already stored"},
    {"list", false, registry_list, "list                  sha256:HEX, name, gas limit, size, trust level per line"},
    {"show", false, registry_show, "show sha256:HEX|NAME  the record (after checking the bytes against their hash)"},
    {"remove", false, registry_remove, "remove sha256:HEX|NAME"},
};

static const cli_db_tool registry_tool = {
    .name = "registry",
    .synopsis = "usage: ward registry [--db FILE] COMMAND ...   (FILE default: $WARD_REGISTRY)",
    .footer = "run one with: ward run [--registry FILE] sha256:HEX|NAME [ARGS...]",
    .default_db = cli_registry_default,
    .db_hint = "--db FILE, or set WARD_REGISTRY",
    .commands = registry_commands,
    .ncommands = sizeof registry_commands / sizeof registry_commands[0],
};

int cli_registry(int argc, char **argv)
{
    return cli_db_tool_main(&registry_tool, argc, argv);
}
