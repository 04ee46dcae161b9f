/* `ward run`'s options: one table row per option (its value, what it does,
 * how it is applied), which both the parser and the help read. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../common/util.h"
#include "run.h"

extern char **environ;

/* Applies one option's value (NULL when it takes none); false when the
 * value is invalid, with *why saying how when the generic "invalid value"
 * would not. */
typedef bool (*option_fn)(run_options *o, const char *value, const char **why);

static bool parse_count(const char *text, uint64_t *out)
{
    if (!text || text[0] < '0' || text[0] > '9')
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

/* A count from 1 to UINT32_MAX, for the uint32_t limits. */
static bool parse_positive_u32(const char *text, uint32_t *out)
{
    uint64_t n;
    if (!parse_count(text, &n) || n == 0 || n > UINT32_MAX)
        return false;
    *out = (uint32_t)n;
    return true;
}

static bool list_add(run_list *l, const char *item)
{
    const char **grown = realloc(l->items, ((size_t)l->n + 1) * sizeof *grown);
    if (!grown)
        return false;
    grown[l->n++] = item;
    l->items = grown;
    return true;
}

static bool opt_invoke(run_options *o, const char *v, const char **why)
{
    (void)why;
    o->invoke = v; /* "" too: a module may export a function named "" */
    return true;
}

static bool opt_fuel(run_options *o, const char *v, const char **why)
{
    (void)why;
    o->fuel_set = true;
    return parse_count(v, &o->fuel);
}

/* Milliseconds, bare or with a unit: 500ms, 2s, 1m. */
static bool opt_timeout(run_options *o, const char *v, const char **why)
{
    static const struct {
        const char *unit;
        uint64_t ms;
    } units[] = {{"", 1}, {"ms", 1}, {"s", 1000}, {"m", 60000}};
    size_t digits = strspn(v, "0123456789");
    char number[32];
    *why = "a time is a whole number of milliseconds, or one with a unit: 500ms, 2s, 1m";
    if (digits == 0 || digits >= sizeof number)
        return false;
    memcpy(number, v, digits);
    number[digits] = 0;
    uint64_t n;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(v + digits, units[i].unit) != 0)
            continue;
        *why = NULL;
        if (!parse_count(number, &n) || n == 0 || n > UINT64_MAX / units[i].ms)
            return false;
        o->timeout_ms = n * units[i].ms;
        return true;
    }
    return false;
}

static bool opt_max_memory(run_options *o, const char *v, const char **why)
{
    (void)why;
    return parse_count(v, &o->config.max_memory_bytes) && o->config.max_memory_bytes > 0;
}

static bool opt_max_stack(run_options *o, const char *v, const char **why)
{
    (void)why;
    return parse_positive_u32(v, &o->config.max_call_depth);
}

/* wasi-threads: spawned threads alive at once (ward_config.max_threads). */
static bool opt_max_threads(run_options *o, const char *v, const char **why)
{
    (void)why;
    return parse_positive_u32(v, &o->config.max_threads);
}

/* Load limits (docs/limits.md): a positive count up to the type's maximum
 * (ward clamps it to its own). */
static bool opt_max_module_bytes(run_options *o, const char *v, const char **why)
{
    (void)why;
    return parse_count(v, &o->config.max_module_bytes) && o->config.max_module_bytes > 0;
}

static bool opt_max_functions(run_options *o, const char *v, const char **why)
{
    (void)why;
    return parse_positive_u32(v, &o->config.max_functions);
}

static bool opt_max_code_bytes(run_options *o, const char *v, const char **why)
{
    (void)why;
    return parse_count(v, &o->config.max_code_bytes) && o->config.max_code_bytes > 0;
}

static bool opt_deterministic(run_options *o, const char *v, const char **why)
{
    (void)v, (void)why;
    o->config.deterministic = true;
    return true;
}

static bool opt_stats(run_options *o, const char *v, const char **why)
{
    (void)v, (void)why;
    o->stats = true;
    return true;
}

/* Multi-call binaries (LLVM, busybox) pick the tool from argv[0]. */
static bool opt_argv0(run_options *o, const char *v, const char **why)
{
    (void)why;
    o->argv0 = v;
    return true;
}

/* The guest name of a --dir HOST[::GUEST] (HOST without one). */
static const char *dir_guest_name(const char *spec)
{
    const char *sep = strstr(spec, "::");
    return sep ? sep + 2 : spec;
}

static bool opt_dir(run_options *o, const char *v, const char **why)
{
    struct stat st;
    if (!v[0] || strncmp(v, "::", 2) == 0)
        return false;
    /* "host:guest" is a common slip for "host::guest"; a real directory
     * with a colon in its name is still taken as it is */
    if (strchr(v, ':') && !strstr(v, "::") && stat(v, &st) != 0) {
        *why = "no such directory (to give it another name in the guest, write HOST::GUEST with two colons)";
        return false;
    }
    for (int i = 0; i < o->dirs.n; i++) {
        if (strcmp(dir_guest_name(o->dirs.items[i]), dir_guest_name(v)) == 0) {
            *why = "given twice (each guest directory name once)";
            return false;
        }
    }
    return list_add(&o->dirs, v);
}

/* NAME=VALUE, or NAME alone: the host's value (left out when the host has
 * none, as in wasmtime). */
static bool opt_env(run_options *o, const char *v, const char **why)
{
    (void)why;
    const char *eq = strchr(v, '=');
    if (eq)
        return eq != v && list_add(&o->envs, v);
    if (!v[0])
        return false;
    const char *value = getenv(v);
    if (!value)
        return true;
    char *pair = malloc(strlen(v) + strlen(value) + 2);
    if (!pair || !list_add(&o->owned_envs, pair)) {
        free(pair);
        return false;
    }
    sprintf(pair, "%s=%s", v, value);
    return list_add(&o->envs, pair);
}

static bool opt_inherit_env(run_options *o, const char *v, const char **why)
{
    (void)v, (void)why;
    o->inherit_env = true;
    return true;
}

static bool opt_trap_unknown(run_options *o, const char *v, const char **why)
{
    (void)v, (void)why;
    o->unknown_imports = RUN_UNKNOWN_IMPORTS_TRAP;
    return true;
}

static bool opt_default_unknown(run_options *o, const char *v, const char **why)
{
    (void)v, (void)why;
    o->unknown_imports = RUN_UNKNOWN_IMPORTS_DEFAULT;
    return true;
}

/* A TCP port: decimal digits only, 0..65535 (strtoul would take a sign,
 * spaces and hex, and getaddrinfo a service name or a wrapped number). */
static bool valid_port(const char *p)
{
    unsigned long port = 0;
    size_t n = strspn(p, "0123456789");
    if (n == 0 || p[n] != 0 || n > 5)
        return false;
    for (size_t i = 0; i < n; i++)
        port = port * 10 + (unsigned long)(p[i] - '0');
    return port <= 65535;
}

static bool opt_tcplisten(run_options *o, const char *v, const char **why)
{
    (void)why;
    const char *colon = strrchr(v, ':');
    return colon && colon != v && valid_port(colon + 1) && list_add(&o->listens, v);
}

/* Options that only name a file or key. */
#define NAME_OPTION(fn, field)                                        \
    static bool fn(run_options *o, const char *v, const char **why)   \
    {                                                                 \
        (void)why;                                                    \
        return (o->field = v)[0] != 0;                                \
    }
#if WARD_HAVE_MEASUREMENT
NAME_OPTION(opt_attest_key, measure.attest_key)
NAME_OPTION(opt_seal_secret, measure.seal_secret)
NAME_OPTION(opt_measure_log, measure.log_path)
#endif
#if WARD_HAVE_SIGNATURES
NAME_OPTION(opt_trust, trust_path)
NAME_OPTION(opt_policy, policy_path)
NAME_OPTION(opt_signature_file, signature_path)
#endif
#if WARD_HAVE_STORAGE
NAME_OPTION(opt_vault, vault.db)
NAME_OPTION(opt_vault_key_file, vault.key_file)
NAME_OPTION(opt_vault_pass_fd, vault.passphrase_fd)
NAME_OPTION(opt_dag, dag_path)
NAME_OPTION(opt_registry, registry)
#endif
#if WARD_HAVE_CRYPTO
/* 64 hex digits: the seed of ward:crypto's random_bytes (docs/crypto.md). */
static bool opt_seed(run_options *o, const char *v, const char **why)
{
    (void)why;
    o->seed = v;
    return cli_crypto_seed_valid(v);
}
#endif

typedef struct run_option {
    const char *name;
    const char *value;      /* its value's name in the help; NULL: takes none */
    bool repeatable;        /* may be given more than once (lists) */
    option_fn apply;
    const char *help;       /* lines after the first are indented by the printer */
} run_option;

/* A new option is one row here: the parser and the help both read it. */
static const run_option run_option_table[] = {
    {"--invoke", "NAME", false, opt_invoke,
     "call export NAME instead of _start (after _initialize, when the module\n"
     "exports one); ARGS are its arguments, parsed by its parameter types,\n"
     "and its results are printed one per line"},
    {"--argv0", "NAME", false, opt_argv0, "the guest's argv[0] (default: FILE as typed)"},
    {"--dir", "HOST[::GUEST]", true, opt_dir,
     "give a WASI program host directory HOST, named GUEST (default HOST)"},
    {"--env", "NAME[=VALUE]", true, opt_env,
     "set an environment variable for a WASI program; NAME alone passes\n"
     "the host's value of NAME (none when the host has none)"},
    {"--inherit-env", NULL, false, opt_inherit_env,
     "pass the host's whole environment (--env adds to it or replaces)"},
    {"--tcplisten", "ADDR:PORT", true, opt_tcplisten,
     "give a WASI program a TCP socket listening there (descriptors 3, 4, ...\n"
     "before the --dir ones)"},
    {"--fuel", "N", false, opt_fuel, "stop with an \"out of fuel\" trap after N instructions"},
    {"--stats", NULL, false, opt_stats, "print the fuel consumed to stderr at exit"},
    {"--timeout", "TIME", false, opt_timeout,
     "stop a call running longer than TIME with a \"timeout\" trap: milliseconds,\n"
     "or a number with a unit: 500ms, 2s, 1m"},
    {"--max-memory", "BYTES", false, opt_max_memory, "cap each linear memory (memory.grow past it returns -1)"},
    {"--max-stack", "FRAMES", false, opt_max_stack,
     "cap the wasm call depth (\"call stack exhausted\"; at most 1,000,000)"},
    {"--max-threads", "N", false, opt_max_threads, "threads a wasi-threads program keeps alive at once (64)"},
    {"--max-module-bytes", "BYTES", false, opt_max_module_bytes, "refuse a larger module (256 MiB)"},
    {"--max-functions", "N", false, opt_max_functions, "refuse a module with more functions (1,000,000)"},
    {"--max-code-bytes", "BYTES", false, opt_max_code_bytes,
     "trap the call whose code translation would pass BYTES (4 GiB)"},
    {"--deterministic", NULL, false, opt_deterministic,
     "canonical NaNs, a virtual clock and seeded random for WASI\n(docs/determinism.md)"},
    {"--trap-unknown-imports", NULL, false, opt_trap_unknown,
     "link a function import nothing provides to one that traps when called\n"
     "(other kinds still fail to link)"},
    {"--default-values-unknown-imports", NULL, false, opt_default_unknown,
     "link any import nothing provides to a default: functions returning\n"
     "zeros and nulls, zero globals, memories and tables of the minimum size"},
#if WARD_HAVE_CRYPTO
    {"--seed", "HEX", false, opt_seed,
     "64 hex digits: ward:crypto's random_bytes draws a ChaCha20 stream from\n"
     "this seed (with --deterministic alone: zero seed)"},
#endif
#if WARD_HAVE_SIGNATURES
    {"--trust", "STORE", false, opt_trust,
     "with --policy: verify the module's signatures against STORE and run it\n"
     "under POLICY's rules for its trust level (docs/trust.md)"},
    {"--policy", "POLICY", false, opt_policy, "the trust policy for --trust"},
    {"--signature-file", "F", false, opt_signature_file, "a detached signature for --trust to check"},
#endif
#if WARD_HAVE_MEASUREMENT
    {"--attest-key", "SK", false, opt_attest_key, "ward:tee signs its quotes with SK (docs/measurement.md)"},
    {"--seal-secret", "FILE", false, opt_seal_secret, "ward:tee's sealing secret"},
    {"--measure-log", "FILE", false, opt_measure_log, "write the measurement log to FILE at exit"},
#endif
#if WARD_HAVE_STORAGE
    {"--dag", "FILE", false, opt_dag, "give the module ward:dag on the database FILE (docs/dag.md)"},
    {"--registry", "FILE", false, opt_registry,
     "run sha256:HEX or NAME from FILE's module registry, its gas limit as\n"
     "the fuel (default: $WARD_REGISTRY; docs/contracts.md)"},
    {"--vault", "DB", false, opt_vault, "give the module ward:vault on DB (docs/vault.md)"},
    {"--vault-key-file", "F", false, opt_vault_key_file, "the vault's key file"},
    {"--vault-passphrase-fd", "N", false, opt_vault_pass_fd, "read the vault's passphrase from descriptor N"},
#endif
};

#define NOPTIONS (sizeof run_option_table / sizeof run_option_table[0])

void run_print_synopsis(FILE *out)
{
    fprintf(out, "ward run [OPTIONS] FILE [ARGS...]\n"
                 "      instantiate FILE (WASI preview 1 when the module imports it), run its\n"
                 "      start function, _initialize when exported, then --invoke NAME or _start;\n"
                 "      ARGS are the WASI program's arguments (argv[0] is FILE, or --argv0 NAME),\n"
                 "      or with --invoke NAME's arguments\n");
}

/* "  --fuel N", then its help indented below it. */
void run_print_options(FILE *out)
{
    for (size_t i = 0; i < NOPTIONS; i++) {
        const run_option *opt = &run_option_table[i];
        fprintf(out, "  %s%s%s\n", opt->name, opt->value ? " " : "", opt->value ? opt->value : "");
        for (const char *line = opt->help; line;) {
            const char *end = strchr(line, '\n');
            fprintf(out, "      %.*s\n", end ? (int)(end - line) : (int)strlen(line), line);
            line = end ? end + 1 : NULL;
        }
    }
}

/* The option named by `arg` ("--fuel", or "--fuel=N" when `len` stops at the
 * '='). */
static const run_option *find_option(const char *arg, size_t len)
{
    for (size_t i = 0; i < NOPTIONS; i++)
        if (strlen(run_option_table[i].name) == len && strncmp(run_option_table[i].name, arg, len) == 0)
            return &run_option_table[i];
    return NULL;
}

/* Applies argv[*i] (and its value, "--opt V" or "--opt=V"); says what is
 * wrong on stderr when it cannot.  seen[k]: option k was given before. */
static bool apply_option(int argc, char **argv, int *i, run_options *o, bool *seen)
{
    const char *arg = argv[*i];
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    const run_option *opt = find_option(arg, len);
    if (!opt) {
        fprintf(stderr, "ward run: unknown option %.*s (try ward run --help)\n", (int)len, arg);
        return false;
    }
    if (seen[opt - run_option_table] && !opt->repeatable) {
        fprintf(stderr, "ward run: %s given twice\n", opt->name);
        return false;
    }
    seen[opt - run_option_table] = true;
    const char *value = NULL;
    if (opt->value) {
        if (eq)
            value = eq + 1;
        else if (*i + 1 < argc)
            value = argv[++*i];
        if (!value) {
            fprintf(stderr, "ward run: %s needs a value\n", opt->name);
            return false;
        }
    } else if (eq) {
        fprintf(stderr, "ward run: %s takes no value\n", opt->name);
        return false;
    }
    const char *why = NULL;
    if (!opt->apply(o, value, &why)) {
        if (why)
            fprintf(stderr, "ward run: %s %s: %s\n", opt->name, value ? value : "", why);
        else
            fprintf(stderr, "ward run: invalid value for %s: '%s'\n", opt->name, value ? value : "");
        return false;
    }
    return true;
}

bool run_parse_options(int argc, char **argv, run_options *o)
{
    bool seen[NOPTIONS] = {false};
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
        if (argv[i][2] == '\0') {
            i++;
            break;
        }
        if (!apply_option(argc, argv, &i, o, seen))
            return false;
    }
    if (i >= argc)
        return false;
    o->path = argv[i];
    o->nargs = argc - i - 1;
    o->args = argv + i + 1;
    return true;
}

void run_options_free(run_options *o)
{
    for (int i = 0; i < o->owned_envs.n; i++)
        free((char *)o->owned_envs.items[i]);
    free(o->owned_envs.items);
    free(o->dirs.items);
    free(o->envs.items);
    free(o->listens.items);
}

/* The length of the name of "NAME=VALUE" (all of it without '='). */
static size_t env_name_length(const char *pair)
{
    const char *eq = strchr(pair, '=');
    return eq ? (size_t)(eq - pair) : strlen(pair);
}

static void env_put(const char **env, int *n, const char *pair)
{
    size_t len = env_name_length(pair);
    for (int i = 0; i < *n; i++) {
        if (env_name_length(env[i]) == len && strncmp(env[i], pair, len) == 0) {
            env[i] = pair;
            return;
        }
    }
    env[(*n)++] = pair;
}

const char **run_environment(const run_options *o, int *count)
{
    size_t host = 0;
    while (o->inherit_env && environ && environ[host])
        host++;
    const char **env = wcalloc(host + (size_t)o->envs.n + 1, sizeof *env);
    if (!env)
        return NULL;
    int n = 0;
    for (size_t i = 0; i < host; i++)
        env_put(env, &n, environ[i]);
    for (int i = 0; i < o->envs.n; i++)
        env_put(env, &n, o->envs.items[i]);
    *count = n;
    return env;
}
