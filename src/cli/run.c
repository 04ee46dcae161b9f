/* `ward run` and `ward validate`: load a module, instantiate it, call into it. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/util.h"
#include "cli.h"
#include "ward_features.h"
#if WARD_HAVE_MEASUREMENT
#include "run_measure.h"
#endif
#if WARD_HAVE_CRYPTO
#include "ward_crypto.h"
#endif
#if WARD_HAVE_STORAGE
#include "ward_storage.h"
#endif

/* A --dir HOST[::GUEST] or --env K=V list, in command-line order. */
typedef struct run_list {
    int n;
    const char **items;
} run_list;

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
    run_list envs;
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

/* Everything a run creates, freed in reverse order. */
typedef struct run_state {
    ward_engine *engine;
    ward_module *module;
    ward_store *store;
    ward_linker *linker;
    ward_wasi *wasi;        /* when the module imports wasi_snapshot_preview1 */
    ward_wasi_threads *threads; /* when it imports wasi thread-spawn */
    ward_wasi_preopen *preopens;
    int *sockets;           /* listening sockets, closed at the end */
    int nsockets;
    ward_instance *instance;
    uint8_t *bytes;         /* the module file, kept for verification and measurement */
    size_t size;
    cli_trust *trust;       /* with --trust/--policy: the level and its rules */
#if WARD_HAVE_MEASUREMENT
    ward_measure *measure;  /* docs/measurement.md */
#endif
    struct ward_crypto *crypto; /* when the module imports ward:crypto */
    struct ward_db *dag;    /* with --dag FILE */
    cli_run_vault *vault;     /* when the module imports ward:vault */
} run_state;

static int run_usage(void)
{
    fprintf(stderr, "usage: ward run [--dir HOST[::GUEST]]... [--env KEY=VALUE]... [--tcplisten ADDR:PORT]...\n"
                    "                [--fuel N] [--timeout MS] [--max-memory BYTES] [--max-stack FRAMES]\n"
                    "                [--max-threads N] [--max-module-bytes BYTES] [--max-functions N]\n"
                    "                [--max-code-bytes BYTES] [--deterministic] [--seed HEX] [--stats]\n"
                    "                [--argv0 NAME] [--invoke NAME]\n"
#if WARD_HAVE_SIGNATURES
                    "                [--trust STORE --policy POLICY [--signature-file F]]\n"
#endif
#if WARD_HAVE_MEASUREMENT
                    "                [--attest-key SK] [--seal-secret FILE] [--measure-log FILE]\n"
#endif
#if WARD_HAVE_STORAGE
                    "                [--dag FILE] [--registry DB]\n"
                    "                [--vault DB (--vault-key-file F | --vault-passphrase-fd N)]\n"
#endif
                    "                FILE.wasm|sha256:HEX|NAME [ARGS...]\n");
    return CLI_EXIT_USAGE;
}

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

static bool list_add(run_list *l, const char *item)
{
    const char **grown = realloc(l->items, ((size_t)l->n + 1) * sizeof *grown);
    if (!grown)
        return false;
    grown[l->n++] = item;
    l->items = grown;
    return true;
}

/* One option and its value (NULL when it takes none); false if invalid. */
typedef bool (*option_fn)(run_options *o, const char *value);

static bool opt_invoke(run_options *o, const char *v)
{
    o->invoke = v;
    return true;
}

static bool opt_fuel(run_options *o, const char *v)
{
    o->fuel_set = true;
    return parse_count(v, &o->fuel);
}

static bool opt_timeout(run_options *o, const char *v)
{
    return parse_count(v, &o->timeout_ms) && o->timeout_ms > 0;
}

static bool opt_max_memory(run_options *o, const char *v)
{
    return parse_count(v, &o->config.max_memory_bytes) && o->config.max_memory_bytes > 0;
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

static bool opt_max_stack(run_options *o, const char *v)
{
    return parse_positive_u32(v, &o->config.max_call_depth);
}

/* wasi-threads: spawned threads alive at once (ward_config.max_threads). */
static bool opt_max_threads(run_options *o, const char *v)
{
    return parse_positive_u32(v, &o->config.max_threads);
}

/* Load limits (docs/limits.md): a positive count up to the type's maximum
 * (ward clamps it to its own). */
static bool opt_max_module_bytes(run_options *o, const char *v)
{
    return parse_count(v, &o->config.max_module_bytes) && o->config.max_module_bytes > 0;
}

static bool opt_max_functions(run_options *o, const char *v)
{
    return parse_positive_u32(v, &o->config.max_functions);
}

static bool opt_max_code_bytes(run_options *o, const char *v)
{
    return parse_count(v, &o->config.max_code_bytes) && o->config.max_code_bytes > 0;
}

static bool opt_deterministic(run_options *o, const char *v)
{
    (void)v;
    o->config.deterministic = true;
    return true;
}

static bool opt_stats(run_options *o, const char *v)
{
    (void)v;
    o->stats = true;
    return true;
}

/* Multi-call binaries (LLVM, busybox) pick the tool from argv[0]. */
static bool opt_argv0(run_options *o, const char *v)
{
    o->argv0 = v;
    return true;
}

static bool opt_dir(run_options *o, const char *v)
{
    return v[0] && strncmp(v, "::", 2) != 0 && list_add(&o->dirs, v);
}

static bool opt_env(run_options *o, const char *v)
{
    const char *eq = strchr(v, '=');
    return eq && eq != v && list_add(&o->envs, v);
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

static bool opt_tcplisten(run_options *o, const char *v)
{
    const char *colon = strrchr(v, ':');
    return colon && colon != v && valid_port(colon + 1) && list_add(&o->listens, v);
}

#if WARD_HAVE_MEASUREMENT
static bool opt_attest_key(run_options *o, const char *v) { return (o->measure.attest_key = v) != NULL; }
static bool opt_seal_secret(run_options *o, const char *v) { return (o->measure.seal_secret = v) != NULL; }
static bool opt_measure_log(run_options *o, const char *v) { return (o->measure.log_path = v) != NULL; }
#endif
#if WARD_HAVE_SIGNATURES
static bool opt_trust(run_options *o, const char *v)
{
    return (o->trust_path = v)[0] != 0;
}

static bool opt_policy(run_options *o, const char *v)
{
    return (o->policy_path = v)[0] != 0;
}

static bool opt_signature_file(run_options *o, const char *v)
{
    return (o->signature_path = v)[0] != 0;
}
#endif
#if WARD_HAVE_STORAGE
static bool opt_vault(run_options *o, const char *v) { return (o->vault.db = v)[0] != 0; }
static bool opt_vault_key_file(run_options *o, const char *v) { return (o->vault.key_file = v)[0] != 0; }
static bool opt_vault_pass_fd(run_options *o, const char *v) { return (o->vault.passphrase_fd = v)[0] != 0; }
#endif
#if WARD_HAVE_CRYPTO
/* 64 hex digits: the seed of ward:crypto's random_bytes (docs/crypto.md). */
static bool opt_seed(run_options *o, const char *v)
{
    o->seed = v;
    return cli_crypto_seed_valid(v);
}
#endif
#if WARD_HAVE_STORAGE
static bool opt_dag(run_options *o, const char *v) { return (o->dag_path = v)[0] != 0; }
static bool opt_registry(run_options *o, const char *v) { return (o->registry = v)[0] != 0; }
#endif

typedef struct run_option {
    const char *name;
    bool takes_value;
    option_fn apply;
} run_option;

/* New options (limits, timeouts) are one line here. */
static const run_option run_option_table[] = {
    {"--invoke", true, opt_invoke}, {"--fuel", true, opt_fuel}, {"--stats", false, opt_stats},
    {"--dir", true, opt_dir},       {"--env", true, opt_env},  {"--tcplisten", true, opt_tcplisten},
    {"--timeout", true, opt_timeout}, {"--max-memory", true, opt_max_memory}, {"--max-stack", true, opt_max_stack},
    {"--deterministic", false, opt_deterministic}, {"--argv0", true, opt_argv0},
    {"--max-threads", true, opt_max_threads},
    {"--max-module-bytes", true, opt_max_module_bytes}, {"--max-functions", true, opt_max_functions},
    {"--max-code-bytes", true, opt_max_code_bytes},
#if WARD_HAVE_MEASUREMENT
    {"--attest-key", true, opt_attest_key}, {"--seal-secret", true, opt_seal_secret},
    {"--measure-log", true, opt_measure_log},
#endif
#if WARD_HAVE_SIGNATURES
    {"--trust", true, opt_trust}, {"--policy", true, opt_policy}, {"--signature-file", true, opt_signature_file},
#endif
#if WARD_HAVE_CRYPTO
    {"--seed", true, opt_seed},
#endif
#if WARD_HAVE_STORAGE
    {"--dag", true, opt_dag}, {"--registry", true, opt_registry},
    {"--vault", true, opt_vault}, {"--vault-key-file", true, opt_vault_key_file},
    {"--vault-passphrase-fd", true, opt_vault_pass_fd},
#endif
};

/* The option named by `arg` ("--fuel", or "--fuel=N" when `len` stops at the
 * '='). */
static const run_option *find_option(const char *arg, size_t len)
{
    for (size_t i = 0; i < sizeof run_option_table / sizeof run_option_table[0]; i++)
        if (strlen(run_option_table[i].name) == len && strncmp(run_option_table[i].name, arg, len) == 0)
            return &run_option_table[i];
    return NULL;
}

/* Applies argv[*i] (and its value, "--opt V" or "--opt=V"); says what is
 * wrong on stderr when it cannot. */
static bool apply_option(int argc, char **argv, int *i, run_options *o)
{
    const char *arg = argv[*i];
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    const run_option *opt = find_option(arg, len);
    if (!opt) {
        fprintf(stderr, "ward run: unknown option %.*s\n", (int)len, arg);
        return false;
    }
    const char *value = NULL;
    if (opt->takes_value) {
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
    if (!opt->apply(o, value)) {
        fprintf(stderr, "ward run: invalid value for %s: '%s'\n", opt->name, value ? value : "");
        return false;
    }
    return true;
}

/* Options come before the file ("--" may end them, as in wasmtime); everything
 * after the file is an argument (so negative numbers and the guest's own
 * options need no escaping). */
static bool parse_run_options(int argc, char **argv, run_options *o)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
        if (argv[i][2] == '\0') {
            i++;
            break;
        }
        if (!apply_option(argc, argv, &i, o))
            return false;
    }
    if (i >= argc)
        return false;
    o->path = argv[i];
    o->nargs = argc - i - 1;
    o->args = argv + i + 1;
    return true;
}

/* Decode and validate; prints the error itself.  The module reads the
 * caller's bytes in place (no second copy of a large module), so they
 * must outlive it. */
static ward_module *decode_module(ward_engine *engine, const char *path, const uint8_t *bytes, size_t size)
{
    ward_error err = {0};
    ward_module *m = ward_module_new_borrowed(engine, bytes, size, &err);
    if (!m)
        fprintf(stderr, "ward: %s: %s\n", path, err.message);
    return m;
}

static void print_frame(FILE *out, uint32_t func_index, const char *name, uint32_t offset)
{
    fprintf(out, "function %" PRIu32, func_index);
    if (name)
        fprintf(out, " <%s>", name);
    fprintf(out, " at offset 0x%" PRIx32, offset);
}

/* "trap: MESSAGE in function N <name> at offset 0xX", then the backtrace
 * and, when it was cut, "  ... N more frames". */
static void print_trap(const ward_trap *trap)
{
    fprintf(stderr, "trap: %s", trap->message);
    if (trap->nframes > 0) {
        fprintf(stderr, " in ");
        print_frame(stderr, trap->func_index, trap->func_name, trap->offset);
    }
    fputc('\n', stderr);
    uint32_t n = trap->nframes < WARD_BACKTRACE_MAX ? trap->nframes : WARD_BACKTRACE_MAX;
    for (uint32_t i = 0; i < n; i++) {
        fprintf(stderr, "  #%" PRIu32 " ", i);
        print_frame(stderr, trap->backtrace[i].func_index, trap->backtrace[i].func_name,
                    trap->backtrace[i].offset);
        fputc('\n', stderr);
    }
    if (trap->nframes_omitted > 0)
        fprintf(stderr, "  ... %" PRIu32 " more frames\n", trap->nframes_omitted);
}

/* Without --invoke the arguments were the guest's argv, not _start's. */
static bool parse_args(const run_options *o, const char *name, const ward_functype *type, ward_val *args)
{
    int given = o->invoke ? o->nargs : 0;
    if ((uint32_t)given != type->nparams) {
        fprintf(stderr, "ward: %s takes %" PRIu32 " argument(s), %d given\n", name, type->nparams,
                given);
        return false;
    }
    for (uint32_t i = 0; i < type->nparams; i++) {
        if (!cli_parse_value(o->args[i], type->params[i], &args[i])) {
            fprintf(stderr, "ward: argument %" PRIu32 " \"%s\" is not a valid %s\n", i + 1, o->args[i],
                    cli_kind_name(type->params[i]));
            return false;
        }
    }
    return true;
}

static void print_results(const ward_val *results, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        char text[128];
        cli_format_value(&results[i], text, sizeof text);
        printf("%s\n", text);
    }
}

static bool module_uses_wasi(const ward_module *m)
{
    for (uint32_t i = 0; i < ward_module_import_count(m); i++) {
        ward_import_info info;
        ward_module_import(m, i, &info);
        if (strcmp(info.module, "wasi_snapshot_preview1") == 0)
            return true;
    }
    return false;
}

static bool module_uses_threads(const ward_module *m)
{
    for (uint32_t i = 0; i < ward_module_import_count(m); i++) {
        ward_import_info info;
        ward_module_import(m, i, &info);
        if (strcmp(info.module, "wasi") == 0 && strcmp(info.name, "thread-spawn") == 0)
            return true;
    }
    return false;
}

/* Split each --dir HOST[::GUEST] in place into the preopen array. */
static bool make_preopens(run_state *st, const run_options *o)
{
    st->preopens = wcalloc((size_t)o->dirs.n, sizeof *st->preopens);
    if (o->dirs.n && !st->preopens)
        return false;
    for (int i = 0; i < o->dirs.n; i++) {
        const char *spec = o->dirs.items[i];
        const char *sep = strstr(spec, "::");
        char *host = sep ? strndup(spec, (size_t)(sep - spec)) : strdup(spec);
        if (!host)
            return false;
        st->preopens[i].host_path = host;
        st->preopens[i].guest_path = sep ? sep + 2 : spec;
    }
    return true;
}

static void free_preopens(run_state *st, int n)
{
    for (int i = 0; st->preopens && i < n; i++)
        free((char *)st->preopens[i].host_path);
    free(st->preopens);
}

/* A TCP socket listening on ADDR:PORT ("[v6]:port" too; the port was
 * checked by opt_tcplisten), or -1 with *why saying what failed. */
static int listen_on(const char *spec, const char **why)
{
    const char *colon = strrchr(spec, ':');
    char host[256];
    size_t len = (size_t)(colon - spec);
    *why = "address too long";
    if (len >= sizeof host)
        return -1;
    memcpy(host, spec, len);
    host[len] = 0;
    char *h = host;
    if (h[0] == '[' && len > 1 && h[len - 1] == ']') {
        h[len - 1] = 0;
        h++;
    }
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    int gai = getaddrinfo(h, colon + 1, &hints, &res);
    if (gai != 0) {
        /* getaddrinfo reports through its own codes, not errno */
        *why = gai == EAI_SYSTEM ? strerror(errno) : gai_strerror(gai);
        return -1;
    }
    int fd = socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC, res->ai_protocol);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, 128) != 0) {
        *why = strerror(errno);
        if (fd >= 0)
            close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

static bool open_listeners(run_state *st, const run_options *o)
{
    st->sockets = wcalloc((size_t)o->listens.n + 1, sizeof *st->sockets);
    if (!st->sockets)
        return false;
    for (int i = 0; i < o->listens.n; i++) {
        const char *why;
        int fd = listen_on(o->listens.items[i], &why);
        if (fd < 0) {
            fprintf(stderr, "ward: cannot listen on %s: %s\n", o->listens.items[i], why);
            return false;
        }
        st->sockets[st->nsockets++] = fd;
    }
    return true;
}

/* WASI for a module that imports it: argv is FILE ARGS... unless --invoke
 * takes the arguments. */
static int setup_wasi(run_state *st, const run_options *o)
{
    if (!module_uses_wasi(st->module))
        return CLI_EXIT_OK;
    if (!make_preopens(st, o)) {
        fprintf(stderr, "ward: out of memory\n");
        return CLI_EXIT_USAGE;
    }
    if (!open_listeners(st, o))
        return CLI_EXIT_USAGE;
    const char **argv = wcalloc((size_t)o->nargs + 1, sizeof *argv);
    if (!argv) {
        fprintf(stderr, "ward: out of memory\n");
        return CLI_EXIT_USAGE;
    }
    argv[0] = o->argv0 ? o->argv0 : o->path;
    int argc = 1;
    for (int i = 0; !o->invoke && i < o->nargs; i++)
        argv[argc++] = o->args[i];
    ward_wasi_config cfg;
    ward_wasi_config_default(&cfg);
    cfg.argc = argc;
    cfg.argv = argv;
    cfg.envc = o->envs.n;
    cfg.env = o->envs.items;
    cfg.npreopens = o->dirs.n;
    cfg.preopens = st->preopens;
    cfg.nsockets = st->nsockets;
    cfg.sockets = st->sockets;
    cfg.deterministic = o->config.deterministic; /* virtual clock from 0, random seed 0 */
    /* Test knob: force the portable path walk instead of openat2(2). */
    const char *walk = getenv("WARD_WASI_NO_OPENAT2");
    cfg.no_openat2 = walk && strcmp(walk, "1") == 0;
    ward_error err = {0};
    st->wasi = ward_wasi_new(&cfg, &err);
    free(argv);
    if (!st->wasi) {
        fprintf(stderr, "ward: %s\n", err.message);
        return CLI_EXIT_USAGE;
    }
    if (ward_wasi_define(st->wasi, st->linker, st->store) != WARD_OK) {
        fprintf(stderr, "ward: cannot define the WASI functions\n");
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

/* wasi-threads (docs/threads.md): the spawn import and the shared memory. */
static int setup_threads(run_state *st, const run_options *o)
{
    if (!module_uses_threads(st->module))
        return CLI_EXIT_OK;
    ward_error err = {0};
    st->threads = ward_wasi_threads_new(st->engine, st->module, st->wasi, &err);
    if (!st->threads || ward_wasi_threads_define(st->threads, st->linker, st->store) != WARD_OK) {
        fprintf(stderr, "ward: %s\n", st->threads ? "cannot define wasi thread-spawn" : err.message);
        return CLI_EXIT_USAGE;
    }
    /* --fuel and --timeout hold for each thread on its own (docs/threads.md) */
    ward_wasi_threads_set_limits(st->threads, o->fuel_set ? o->fuel : 0, o->timeout_ms);
    return CLI_EXIT_OK;
}

/* After the main thread's call: wait for the other threads; one of them
 * may have ended the program first (proc_exit or a trap). */
static int threads_outcome(run_state *st, int status)
{
    int code = 0;
    ward_trap trap;
    if (!st->threads || !ward_wasi_threads_finish(st->threads, &code, &trap))
        return status;
    if (trap.kind == WARD_TRAP_EXIT)
        return code & 0xff;
    print_trap(&trap);
    return CLI_EXIT_TRAP;
}

/* A trap, or the guest's proc_exit: the exit status either way. */
static int trap_status(const run_state *st, const ward_trap *trap)
{
    int code;
    /* another thread ended the program: threads_outcome reports it (and
     * reads its exit code once that thread is joined) */
    if (st->threads && trap->kind == WARD_TRAP_INTERRUPTED)
        return CLI_EXIT_TRAP;
    if (ward_wasi_exit_code(st->wasi, trap, &code))
        return code & 0xff;
    print_trap(trap);
    return CLI_EXIT_TRAP;
}

/* Call f with the command-line arguments and print its results. */
static int call_and_print(const run_state *st, ward_func *f, const char *name, const run_options *o)
{
    ward_functype type;
    ward_func_type(f, &type);
    ward_val *args = wcalloc(type.nparams, sizeof *args);
    ward_val *results = wcalloc(type.nresults, sizeof *results);
    int status = CLI_EXIT_USAGE;
    if (!args || !results) {
        fprintf(stderr, "ward: out of memory\n");
    } else if (parse_args(o, name, &type, args)) {
        for (uint32_t i = 0; i < type.nresults; i++)
            results[i].kind = type.results[i];
        ward_trap trap = {0};
        ward_result r = ward_call(st->store, f, args, type.nparams, results, type.nresults, &trap);
        if (r == WARD_OK) {
            print_results(results, type.nresults);
            status = CLI_EXIT_OK;
        } else if (r == WARD_TRAP) {
            status = trap_status(st, &trap);
        } else {
            fprintf(stderr, "ward: the call was refused\n");
        }
    }
    free(args);
    free(results);
    return status;
}

static int instantiate(run_state *st)
{
    ward_error err = {0};
    ward_trap trap = {0};
    ward_result r = ward_instantiate(st->store, st->module, st->linker, &st->instance, &err, &trap);
    if (r == WARD_TRAP)
        return trap_status(st, &trap);
    if (r != WARD_OK) {
        fprintf(stderr, "ward: instantiation failed: %s\n", err.message);
        return CLI_EXIT_USAGE;
    }
    /* WASI calls use the calling instance's memory (no binding needed); a
     * module without one can still run, its calls that need memory answer
     * EFAULT. */
    return CLI_EXIT_OK;
}

/* After instantiation (which ran the start function): the requested export,
 * or _start when there is one. */
static int run_entry(run_state *st, const run_options *o)
{
    if (!o->invoke && o->nargs > 0 && !st->wasi) {
        fprintf(stderr, "ward: arguments need --invoke NAME (or a module that imports WASI)\n");
        return CLI_EXIT_USAGE;
    }
    const char *name = o->invoke ? o->invoke : "_start";
    ward_func *f = ward_instance_func(st->instance, name);
    if (f)
        return call_and_print(st, f, name, o);
    if (o->invoke) {
        fprintf(stderr, "ward: no exported function \"%s\"\n", o->invoke);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

static int run_module(run_state *st, run_options *o)
{
#if WARD_HAVE_STORAGE
    /* FILE, or a registry module: its gas limit is the fuel (run_registry.c) */
    st->bytes = cli_run_module_bytes(o->registry, o->path, &st->size, &o->fuel_set, &o->fuel);
#else
    st->bytes = cli_read_file("ward", o->path, &st->size);
#endif
    if (!st->bytes)
        return CLI_EXIT_USAGE;
#if WARD_HAVE_SIGNATURES
    cli_trust_run limits = {&o->config, &o->fuel_set, &o->fuel, &o->timeout_ms, o->dirs.n, o->dirs.items,
                            o->signature_path};
    if (o->signature_path && !o->trust_path) {
        fprintf(stderr, "ward: --signature-file needs --trust STORE --policy POLICY to check it\n");
        return CLI_EXIT_USAGE;
    }
    if ((o->trust_path || o->policy_path) &&
        cli_trust_begin(&st->trust, o->trust_path, o->policy_path, st->bytes, st->size, &limits) != CLI_EXIT_OK)
        return CLI_EXIT_USAGE;
#endif
    st->engine = ward_engine_new(&o->config);
    if (!st->engine)
        return CLI_EXIT_USAGE;
    st->module = decode_module(st->engine, o->path, st->bytes, st->size);
    if (!st->module)
        return CLI_EXIT_USAGE;
    if (module_uses_threads(st->module) && !o->config.interruptible) {
        /* a thread's proc_exit must be able to stop the others' code */
        ward_config cfg = o->config;
        cfg.interruptible = true;
        ward_module_free(st->module);
        ward_engine_free(st->engine);
        st->module = NULL;
        if (!(st->engine = ward_engine_new(&cfg)) ||
            !(st->module = decode_module(st->engine, o->path, st->bytes, st->size)))
            return CLI_EXIT_USAGE;
    }
#if WARD_HAVE_SIGNATURES
    if (st->trust && cli_trust_check_module(st->trust, st->module) != CLI_EXIT_OK)
        return CLI_EXIT_USAGE;
#endif
    st->store = ward_store_new(st->engine);
    st->linker = ward_linker_new();
    if (!st->store || !st->linker)
        return CLI_EXIT_USAGE;
    int status = setup_wasi(st, o);
    if (status == CLI_EXIT_OK)
        status = setup_threads(st, o);
#if WARD_HAVE_CRYPTO
    if (status == CLI_EXIT_OK)
        status = cli_crypto_setup(&st->crypto, st->module, st->linker, st->store, o->config.deterministic, o->seed);
#endif
#if WARD_HAVE_STORAGE
    if (status == CLI_EXIT_OK)
        status = cli_dag_setup(&st->dag, o->dag_path, st->module, st->linker, st->store);
    if (status == CLI_EXIT_OK)
        status = cli_vault_setup(&st->vault, &o->vault, st->module, st->bytes, st->size, st->trust, st->linker,
                                 st->store);
#endif
#if WARD_HAVE_MEASUREMENT
    /* registers 0 (the module) and 1 (the policy, or "no policy") */
    const uint8_t *policy = NULL;
    size_t policy_len = 0;
#if WARD_HAVE_SIGNATURES
    if (st->trust)
        policy = cli_trust_policy_bytes(st->trust, &policy_len);
#endif
    if (status == CLI_EXIT_OK)
        status = run_measure_setup(&st->measure, &o->measure, st->module, st->bytes, st->size, policy, policy_len,
                                   st->linker, st->store);
#endif
    if (status != CLI_EXIT_OK)
        return status;
    /* --stats alone meters with an unreachable budget, so the count is real. */
    if (o->fuel_set || o->stats)
        ward_store_set_fuel(st->store, o->fuel_set ? o->fuel : UINT64_MAX);
    if (o->timeout_ms)
        ward_store_set_timeout(st->store, o->timeout_ms);
    status = instantiate(st);
    if (status == CLI_EXIT_OK && st->instance)
        status = run_entry(st, o);
    status = threads_outcome(st, status);
    if (o->stats)
        fprintf(stderr, "fuel consumed: %" PRIu64 "\n", ward_store_fuel_consumed(st->store));
    return status;
}

/* The features real programs need beyond Wasm 2.0; run and validate accept the
   same modules. */
static void cli_config_default(ward_config *config)
{
    ward_config_default(config);
    config->threads = true; /* shared memories and atomics (wasi-threads programs) */
    config->extended_const = true; /* toolchains emit it (e.g. GHC's, via wasm-opt) */
    config->exceptions = true; /* legacy exception handling (GHC's wasm backend, C++ -fwasm-exceptions) */
    config->multi_memory = true; /* several memories (docs/interpreter.md, "Memories") */
    config->memory64 = true; /* i64-addressed memories (wasm64 toolchains) */
}

int cli_run(int argc, char **argv)
{
    run_options o;
    memset(&o, 0, sizeof o);
    cli_config_default(&o.config);
    int status;
    if (!parse_run_options(argc, argv, &o)) {
        status = run_usage();
    } else {
        run_state st = {0};
        status = run_module(&st, &o);
        /* Guest output went straight to fd 1; ours is buffered: keep order. */
        fflush(stdout);
        ward_wasi_threads_free(st.threads); /* joins its threads first */
        if (st.store)
            ward_store_free(st.store);
#if WARD_HAVE_MEASUREMENT
        status = run_measure_finish(st.measure, &o.measure, status); /* after the store: ward:tee uses it */
#endif
        ward_wasi_free(st.wasi);
#if WARD_HAVE_CRYPTO
        ward_crypto_free(st.crypto);
#endif
#if WARD_HAVE_STORAGE
        ward_db_close(st.dag); /* after the store: ward:dag uses it */
        cli_vault_free(st.vault); /* after the store: ward:vault uses it */
#endif
        free_preopens(&st, o.dirs.n);
        for (int i = 0; i < st.nsockets; i++)
            close(st.sockets[i]);
        free(st.sockets);
        if (st.linker)
            ward_linker_free(st.linker);
        if (st.module)
            ward_module_free(st.module);
        if (st.engine)
            ward_engine_free(st.engine);
        free(st.bytes);
#if WARD_HAVE_SIGNATURES
        cli_trust_free(st.trust);
#endif
    }
    free(o.dirs.items);
    free(o.envs.items);
    free(o.listens.items);
    return status;
}

int cli_validate(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: ward validate FILE.wasm\n");
        return CLI_EXIT_USAGE;
    }
    ward_config config;
    cli_config_default(&config);
    ward_engine *engine = ward_engine_new(&config);
    if (!engine)
        return CLI_EXIT_USAGE;
    size_t size = 0;
    uint8_t *bytes = cli_read_file("ward", argv[1], &size);
    ward_module *m = bytes ? decode_module(engine, argv[1], bytes, size) : NULL;
    bool valid = m != NULL;
    if (valid) {
        printf("OK\n");
        ward_module_free(m);
    }
    free(bytes); /* after the module, which read them in place */
    ward_engine_free(engine);
    return valid ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}
