/*
 * `ward vault --db FILE [KEY] COMMAND ...` (docs/vault.md, "CLI"): the
 * operator's side of the vault.  KEY is --key-file F or --passphrase-fd N;
 * without either the passphrase is asked at the terminal.  Every command
 * but `audit show` and `audit verify` needs it.  Values come from files or
 * stdin and go to stdout as they are, never through argv.
 *
 * Exit status: 0 done, 1 refused (wrong key, not found, a damaged audit
 * log), 2 usage or unreadable input.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "common/util.h"
#include "crypto/crypto.h"
#include "ward_sign.h"
#include "ward_vault.h"

enum { VAULT_REFUSED = 1 };

typedef struct vault_args {
    const char *db, *key_file, *pass_fd;
    const char *value_file, *module, *signer, *level;
    const char *since;          /* audit verify --since ID */
    uint64_t version, kdf_ops, kdf_mem;
    uint32_t perms;
    int npos;
    char *pos[4];               /* the command and its operands */
} vault_args;

typedef struct vault_cmd vault_cmd;
typedef int (*vault_fn)(const vault_cmd *cmd, ward_db *db, const vault_args *a);

/* A command: its words, how many operands, what it does. */
struct vault_cmd {
    const char *name;
    const char *sub;            /* second word ("audit show"), or NULL */
    int min_ops, max_ops;
    vault_fn run;
    const char *usage;
};

static int usage_error(const char *why)
{
    fprintf(stderr, "ward vault: %s (try ward vault --help)\n", why);
    return CLI_EXIT_USAGE;
}

/* ---- options ---------------------------------------------------------------- */

static bool parse_u64(const char *text, uint64_t *out)
{
    char *end;
    if (!text || text[0] < '0' || text[0] > '9')
        return false;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    *out = v;
    return !errno && !*end;
}

typedef struct vault_option {
    const char *name;
    bool takes_value;
    size_t field;               /* offsetof the const char * field, or of perms for the flags */
    uint32_t perms;             /* --read / --write / --read-write */
} vault_option;

#define STR_FIELD(f) offsetof(vault_args, f)
static const vault_option vault_options[] = {
    {"--db", true, STR_FIELD(db), 0},
    {"--key-file", true, STR_FIELD(key_file), 0},
    {"--passphrase-fd", true, STR_FIELD(pass_fd), 0},
    {"--value-file", true, STR_FIELD(value_file), 0},
    {"--module", true, STR_FIELD(module), 0},
    {"--signer", true, STR_FIELD(signer), 0},
    {"--level", true, STR_FIELD(level), 0},
    {"--since", true, STR_FIELD(since), 0},
    {"--read", false, 0, WARD_VAULT_READ},
    {"--write", false, 0, WARD_VAULT_WRITE},
    {"--read-write", false, 0, WARD_VAULT_READ | WARD_VAULT_WRITE},
};

/* The field of a numeric option, or NULL. */
static uint64_t *number_field(vault_args *a, const char *name)
{
    if (strcmp(name, "--version") == 0)
        return &a->version;
    if (strcmp(name, "--kdf-ops") == 0)
        return &a->kdf_ops;
    if (strcmp(name, "--kdf-mem") == 0)
        return &a->kdf_mem;
    return NULL;
}

static bool apply_option(vault_args *a, int argc, char **argv, int *i)
{
    const char *arg = argv[*i], *value = *i + 1 < argc ? argv[*i + 1] : NULL;
    uint64_t *number = number_field(a, arg);
    if (number) {
        if (!value || !parse_u64(value, number) || *number == 0) {
            fprintf(stderr, "ward vault: %s needs a positive number\n", arg);
            return false;
        }
        ++*i;
        return true;
    }
    for (size_t k = 0; k < sizeof vault_options / sizeof vault_options[0]; k++) {
        const vault_option *o = &vault_options[k];
        if (strcmp(arg, o->name) != 0)
            continue;
        if (!o->takes_value) {
            a->perms = o->perms;
            return true;
        }
        if (!value) {
            fprintf(stderr, "ward vault: %s needs a value\n", arg);
            return false;
        }
        *(const char **)((char *)a + o->field) = value;
        ++*i;
        return true;
    }
    fprintf(stderr, "ward vault: unknown option %s\n", arg);
    return false;
}

/* Options anywhere; "--" ends them (for names that start with "--"). */
static bool parse_args(int argc, char **argv, vault_args *a)
{
    bool options = true;
    for (int i = 1; i < argc; i++) {
        if (options && strcmp(argv[i], "--") == 0) {
            options = false;
        } else if (options && strncmp(argv[i], "--", 2) == 0) {
            if (!apply_option(a, argc, argv, &i))
                return false;
        } else if (a->npos < 4) {
            a->pos[a->npos++] = argv[i];
        } else {
            fprintf(stderr, "ward vault: too many arguments\n");
            return false;
        }
    }
    return true;
}

/* ---- output helpers --------------------------------------------------------- */

static int db_error(const ward_db_error *err)
{
    fprintf(stderr, "ward vault: %s\n", err->message);
    return err->kind == WARD_DB_ERR_ARGUMENT ? CLI_EXIT_USAGE : VAULT_REFUSED;
}

static void format_time(int64_t t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (gmtime_r(&tt, &tm))
        strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
    else
        snprintf(out, 32, "%" PRId64, t);
}

/* The value to put: --value-file, else all of stdin (read into one
 * buffer of the largest size plus one, so nothing is left in copies). */
static uint8_t *read_value(const vault_args *a, size_t *len)
{
    if (a->value_file)
        return cli_read_file("ward vault", a->value_file, len);
    size_t cap = (size_t)WARD_VAULT_VALUE_MAX + 1;
    uint8_t *buf = malloc(cap);
    *len = 0;
    if (!buf) {
        fprintf(stderr, "ward vault: out of memory\n");
        return NULL;
    }
    for (;;) {
        ssize_t n = read(STDIN_FILENO, buf + *len, cap - *len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0)
            return buf; /* over the limit (cap bytes) is refused by ward_vault_put */
        if (n < 0) {
            fprintf(stderr, "ward vault: cannot read the value from stdin: %s\n", strerror(errno));
            break;
        }
        *len += (size_t)n;
        if (*len == cap) {
            fprintf(stderr, "ward vault: the value on stdin is over %u bytes\n", WARD_VAULT_VALUE_MAX);
            break;
        }
    }
    wcrypto_wipe(buf, cap);
    free(buf);
    return NULL;
}

/* All of buf to stdout, unbuffered: no copy of a value stays in stdio. */
static bool write_out(const uint8_t *buf, size_t len)
{
    fflush(stdout);
    while (len > 0) {
        ssize_t n = write(STDOUT_FILENO, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        buf += n;
        len -= (size_t)n;
    }
    return true;
}

/* ---- the commands ----------------------------------------------------------- */

static int with_vault(const vault_cmd *cmd, ward_db *db, const vault_args *a,
                      int (*fn)(ward_vault *v, const vault_args *a))
{
    (void)cmd;
    ward_vault *v = cli_vault_unlock("ward vault", db, a->key_file, a->pass_fd);
    if (!v)
        return VAULT_REFUSED;
    int status = fn(v, a);
    ward_vault_free(v);
    return status;
}

static int do_init(const vault_cmd *cmd, ward_db *db, const vault_args *a)
{
    (void)cmd;
    ward_vault_kdf kdf;
    ward_vault_kdf_default(&kdf);
    if (a->kdf_ops)
        kdf.ops = a->kdf_ops;
    if (a->kdf_mem)
        kdf.mem_bytes = a->kdf_mem;
    if (!cli_vault_init("ward vault", db, a->key_file, a->pass_fd, &kdf))
        return VAULT_REFUSED;
    printf("vault initialised in %s\n", ward_db_path(db));
    return CLI_EXIT_OK;
}

static int put_in(ward_vault *v, const vault_args *a)
{
    size_t len;
    uint8_t *value = read_value(a, &len);
    if (!value)
        return CLI_EXIT_USAGE;
    ward_db_error err;
    uint64_t version;
    bool ok = ward_vault_put(v, NULL, a->pos[1], value, len, &version, &err);
    wcrypto_wipe(value, len);
    free(value);
    if (!ok)
        return db_error(&err);
    printf("%s version %" PRIu64 "\n", a->pos[1], version);
    return CLI_EXIT_OK;
}

static int get_in(ward_vault *v, const vault_args *a)
{
    ward_db_error err;
    ward_vault_secret s;
    if (!ward_vault_get(v, NULL, a->pos[1], a->version, &s, &err))
        return db_error(&err);
    bool ok = write_out(s.value, s.len);
    ward_vault_secret_free(&s);
    if (!ok)
        fprintf(stderr, "ward vault: cannot write the value to stdout\n");
    return ok ? CLI_EXIT_OK : VAULT_REFUSED;
}

static int delete_in(ward_vault *v, const vault_args *a)
{
    ward_db_error err;
    uint64_t version;
    if (!ward_vault_delete(v, NULL, a->pos[1], &version, &err))
        return db_error(&err);
    printf("%s deleted at version %" PRIu64 "\n", a->pos[1], version);
    return CLI_EXIT_OK;
}

static int list_in(ward_vault *v, const vault_args *a)
{
    ward_db_error err;
    ward_vault_names names;
    if (!ward_vault_list(v, a->npos > 1 ? a->pos[1] : "", &names, &err))
        return db_error(&err);
    for (size_t i = 0; i < names.count; i++)
        printf("%s\n", names.names[i]);
    ward_vault_names_free(&names);
    return CLI_EXIT_OK;
}

static int history_in(ward_vault *v, const vault_args *a)
{
    ward_db_error err;
    ward_vault_versions h;
    if (!ward_vault_history(v, a->pos[1], &h, &err))
        return db_error(&err);
    for (size_t i = 0; i < h.count; i++) {
        char when[32];
        format_time(h.versions[i].created, when);
        printf("%" PRIu64 "\t%s\t%s\n", h.versions[i].version, when, h.versions[i].deleted ? "deleted" : "put");
    }
    ward_vault_versions_free(&h);
    return CLI_EXIT_OK;
}

/* --module sha256:HEX or a module file; --signer PUBKEYFILE; --level NAME. */
static bool rule_subject(const vault_args *a, ward_vault_rule *r)
{
    int given = (a->module != NULL) + (a->signer != NULL) + (a->level != NULL);
    if (given != 1) {
        fprintf(stderr, "ward vault: allow needs one of --module sha256:HEX|FILE, --signer PUBKEYFILE, --level LEVEL\n");
        return false;
    }
    if (a->level) {
        r->subject = WARD_VAULT_BY_LEVEL;
        for (int l = 0; l < WARD_TRUST_LEVELS; l++)
            if (strcmp(a->level, ward_trust_level_name((ward_trust_level)l)) == 0) {
                r->level = (ward_trust_level)l;
                return true;
            }
        fprintf(stderr, "ward vault: unknown level '%s' (untrusted, community, publisher, enterprise)\n", a->level);
        return false;
    }
    if (a->signer) {
        ward_sig_public_key pk;
        ward_sig_error err;
        r->subject = WARD_VAULT_BY_SIGNER;
        if (!ward_sig_public_key_load(&pk, a->signer, &err)) {
            fprintf(stderr, "ward vault: %s\n", err.message);
            return false;
        }
        memcpy(r->key, pk.key, 32);
        return true;
    }
    r->subject = WARD_VAULT_BY_MODULE;
    if (strncmp(a->module, "sha256:", 7) == 0) {
        if (wcrypto_from_hex(r->key, 32, a->module + 7, strlen(a->module + 7)))
            return true;
        fprintf(stderr, "ward vault: --module sha256: needs 64 hex digits\n");
        return false;
    }
    size_t size;
    uint8_t *bytes = cli_read_file("ward vault", a->module, &size);
    if (!bytes)
        return false;
    wcrypto_sha256(r->key, bytes, size);
    free(bytes);
    return true;
}

static int allow_in(ward_vault *v, const vault_args *a)
{
    ward_vault_rule r;
    memset(&r, 0, sizeof r);
    if (strlen(a->pos[1]) >= sizeof r.prefix)
        return usage_error("the prefix is over 255 bytes");
    strcpy(r.prefix, a->pos[1]);
    r.perms = a->perms;
    if (!r.perms)
        return usage_error("allow needs --read, --write or --read-write");
    if (!rule_subject(a, &r))
        return CLI_EXIT_USAGE;
    ward_db_error err;
    int64_t id;
    if (!ward_vault_rule_add(v, &r, &id, &err))
        return db_error(&err);
    printf("rule %" PRId64 "\n", id);
    return CLI_EXIT_OK;
}

static void print_rule(const ward_vault_rule *r)
{
    static const char *const perms[] = {"none", "read", "write", "read-write"};
    char hex[65];
    wcrypto_to_hex(hex, r->key, 32);
    printf("%" PRId64 "\t\"%s\"\t%s\t", r->id, r->prefix, perms[r->perms & 3]);
    if (r->subject == WARD_VAULT_BY_LEVEL)
        printf("level:%s\n", ward_trust_level_name(r->level));
    else
        printf("%s:%s\n", r->subject == WARD_VAULT_BY_MODULE ? "module:sha256" : "signer", hex);
}

static int rules_in(ward_vault *v, const vault_args *a)
{
    (void)a;
    ward_db_error err;
    ward_vault_rules rules;
    bool ok = ward_vault_rule_list(v, &rules, &err);
    for (size_t i = 0; i < rules.count; i++)
        print_rule(&rules.rules[i]);
    ward_vault_rules_free(&rules);
    return ok ? CLI_EXIT_OK : db_error(&err);
}

static int revoke_in(ward_vault *v, const vault_args *a)
{
    uint64_t id;
    if (!parse_u64(a->pos[1], &id) || id > INT64_MAX)
        return usage_error("revoke needs a rule number (ward vault rules lists them)");
    ward_db_error err;
    if (!ward_vault_rule_remove(v, (int64_t)id, &err))
        return db_error(&err);
    printf("rule %" PRIu64 " revoked\n", id);
    return CLI_EXIT_OK;
}

#define KEYED(fn)                                                                                                 \
    static int do_##fn(const vault_cmd *cmd, ward_db *db, const vault_args *a)                                   \
    {                                                                                                             \
        return with_vault(cmd, db, a, fn##_in);                                                                   \
    }
KEYED(put)
KEYED(get)
KEYED(delete)
KEYED(list)
KEYED(history)
KEYED(allow)
KEYED(rules)
KEYED(revoke)

static bool show_entry(void *ctx, const ward_dag_id *id, uint64_t seq, const char *record)
{
    (void)ctx;
    char hex[65];
    ward_dag_id_to_hex(id, hex);
    printf("%" PRIu64 "\t%s\t%s\n", seq, hex, record);
    return true;
}

static int do_audit_show(const vault_cmd *cmd, ward_db *db, const vault_args *a)
{
    (void)cmd;
    (void)a;
    ward_db_error err;
    return ward_vault_audit_show(db, show_entry, NULL, &err) ? CLI_EXIT_OK : db_error(&err);
}

static void report_problem(void *ctx, uint64_t seq, const ward_dag_id *id, ward_vault_audit_problem p,
                           const char *detail)
{
    (void)ctx;
    char hex[65];
    ward_dag_id_to_hex(id, hex);
    printf("entry %" PRIu64 " (%s): %s: %s\n", seq, hex, ward_vault_audit_problem_name(p), detail);
}

/* With a key given, the head's MAC is checked too. */
static int do_audit_verify(const vault_cmd *cmd, ward_db *db, const vault_args *a)
{
    (void)cmd;
    ward_vault *v = NULL;
    if ((a->key_file || a->pass_fd) && !(v = cli_vault_unlock("ward vault", db, a->key_file, a->pass_fd)))
        return VAULT_REFUSED;
    ward_dag_id since;
    if (a->since && !ward_dag_id_from_hex(a->since, &since)) {
        ward_vault_free(v);
        return usage_error("--since needs an entry id (64 hex digits, as verify prints after \"head\")");
    }
    ward_db_error err;
    ward_vault_audit_stats stats;
    bool ran = ward_vault_audit_verify_since(db, v, a->since ? &since : NULL, report_problem, NULL, &stats, &err);
    ward_vault_free(v);
    if (!ran)
        return db_error(&err);
    char head[2 * WARD_DAG_ID_BYTES + 1];
    ward_dag_id_to_hex(&stats.head, head);
    printf("audit log: %" PRIu64 " entries, %s%s\n", stats.entries,
           stats.problems ? "DAMAGED" : "intact", stats.mac_checked ? " (head MAC checked)" : " (no key: head MAC not checked)");
    printf("head: %s (entry %" PRIu64 "; keep it elsewhere and pass it to --since to detect a rollback)\n", head,
           stats.count);
    return stats.problems ? VAULT_REFUSED : CLI_EXIT_OK;
}

static const vault_cmd vault_cmds[] = {
    {"init", NULL, 0, 0, do_init, "init [--kdf-ops N] [--kdf-mem BYTES]   make the vault (key file or passphrase)"},
    {"put", NULL, 1, 1, do_put, "put NAME [--value-file F]              store a new version (value from F or stdin)"},
    {"get", NULL, 1, 1, do_get, "get NAME [--version N]                 the value (latest or version N) to stdout"},
    {"delete", NULL, 1, 1, do_delete, "delete NAME                            a tombstone version"},
    {"list", NULL, 0, 1, do_list, "list [PREFIX]                          names in use"},
    {"history", NULL, 1, 1, do_history, "history NAME                           every version: number, time, put/deleted"},
    {"allow", NULL, 1, 1, do_allow,
     "allow PREFIX --read|--write|--read-write (--module sha256:HEX|FILE.wasm | --signer PUBKEYFILE | --level LEVEL)"},
    {"rules", NULL, 0, 0, do_rules, "rules                                  the access rules"},
    {"revoke", NULL, 1, 1, do_revoke, "revoke RULE_ID                         remove a rule"},
    {"audit", "show", 0, 0, do_audit_show, "audit show                             the audit log, oldest first"},
    {"audit", "verify", 0, 0, do_audit_verify,
     "audit verify [--since ID]              check the chain (and, with the key, its head's MAC; with\n"
     "                                         --since, that it still holds that earlier head: no rollback)"},
};
#define NCMDS (sizeof vault_cmds / sizeof vault_cmds[0])

static int vault_help(FILE *out, int status)
{
    fprintf(out, "usage: ward vault --db FILE [--key-file F | --passphrase-fd N] COMMAND\n"
                 "  without --key-file or --passphrase-fd the passphrase is asked at the terminal\n");
    for (size_t i = 0; i < NCMDS; i++)
        fprintf(out, "  %s\n", vault_cmds[i].usage);
    return status;
}

static void remove_database(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char name[4096];
        if ((size_t)snprintf(name, sizeof name, "%s%s", path, suffixes[i]) < sizeof name)
            unlink(name);
    }
}

static const vault_cmd *find_cmd(const vault_args *a)
{
    for (size_t i = 0; i < NCMDS; i++) {
        const vault_cmd *c = &vault_cmds[i];
        if (strcmp(a->pos[0], c->name) != 0 || (c->sub && (a->npos < 2 || strcmp(a->pos[1], c->sub) != 0)))
            continue;
        int ops = a->npos - 1 - (c->sub != NULL);
        return ops >= c->min_ops && ops <= c->max_ops ? c : NULL;
    }
    return NULL;
}

int cli_vault(int argc, char **argv)
{
    vault_args a;
    memset(&a, 0, sizeof a);
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
        return vault_help(stdout, CLI_EXIT_OK);
    if (!parse_args(argc, argv, &a))
        return CLI_EXIT_USAGE;
    if (a.npos == 0)
        return vault_help(stderr, CLI_EXIT_USAGE);
    const vault_cmd *cmd = find_cmd(&a);
    if (!cmd)
        return usage_error("unknown command or wrong number of arguments");
    if (!a.db)
        return usage_error("--db FILE is needed");
    if (a.key_file && a.pass_fd)
        return usage_error("--key-file and --passphrase-fd exclude each other");
    ward_db_options opts;
    ward_db_options_default(&opts);
    opts.create = cmd->run == do_init; /* only init makes a file */
    bool existed = access(a.db, F_OK) == 0;
    ward_db_error err;
    ward_db *db = ward_db_open(a.db, &opts, &err);
    if (!db)
        return db_error(&err);
    int status = cmd->run(cmd, db, &a);
    ward_db_close(db);
    /* an init that failed (passphrases that differ, a bad key file) leaves
     * no empty database behind where there was none */
    if (status != CLI_EXIT_OK && opts.create && !existed)
        remove_database(a.db);
    return status;
}
