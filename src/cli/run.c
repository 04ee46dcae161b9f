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
#include "run.h"
#if WARD_HAVE_CRYPTO
#include "ward_crypto.h"
#endif
#if WARD_HAVE_STORAGE
#include "ward_storage.h"
#endif

/* Everything a run creates, freed in reverse order. */
typedef struct run_state {
    const char *path;       /* FILE as typed, for messages */
    ward_engine *engine;
    ward_module *module;
    ward_store *store;
    ward_linker *linker;
    ward_wasi *wasi;        /* when the module imports wasi_snapshot_preview1 or wasi_unstable */
    run_imports *imports;   /* --trap-unknown-imports / --default-values-unknown-imports */
    ward_wasi_threads *threads; /* when it imports wasi thread-spawn */
    ward_wasi_preopen *preopens;
    int *sockets;           /* listening sockets, closed at the end */
    int nsockets;
    ward_instance *instance;
    uint8_t *bytes;         /* the module file, kept for verification and measurement */
    size_t size;
    ward_wat_map *map;      /* a .wat file's source map: errors and traps name its lines */
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
    fprintf(stderr, "usage: ");
    run_print_synopsis(stderr);
    fprintf(stderr, "(ward run --help lists the options)\n");
    return CLI_EXIT_RUN_ERROR;
}

/* Decode and validate; prints the error itself.  The module reads the
 * caller's bytes in place (no second copy of a large module), so they
 * must outlive it. */
/* "ward: FILE: MESSAGE", or for a .wat file "ward: FILE: line L, column C:
 * MESSAGE" when its source map knows where the error is. */
static ward_module *decode_module(ward_engine *engine, const char *path, const uint8_t *bytes, size_t size,
                                  const ward_wat_map *map)
{
    ward_error err = {0};
    uint32_t line, column;
    ward_module *m = ward_module_new_borrowed(engine, bytes, size, &err);
    if (m)
        return m;
    if (ward_wat_map_find(map, err.func_index, err.offset, &line, &column))
        fprintf(stderr, "ward: %s: line %" PRIu32 ", column %" PRIu32 ": %s\n", path, line, column, err.message);
    else
        fprintf(stderr, "ward: %s: %s\n", path, err.message);
    return NULL;
}

static void print_frame(FILE *out, uint32_t func_index, const char *name, uint32_t offset, const ward_wat_map *map)
{
    uint32_t line, column;
    fprintf(out, "function %" PRIu32, func_index);
    if (name)
        fprintf(out, " <%s>", name);
    fprintf(out, " at offset 0x%" PRIx32, offset);
    if (ward_wat_map_find(map, func_index, offset, &line, &column))
        fprintf(out, " (line %" PRIu32 ", column %" PRIu32 ")", line, column);
}

/* "trap: MESSAGE in function N <name> at offset 0xX", then the backtrace
 * and, when it was cut, "  ... N more frames".  map: a .wat file's, else NULL. */
static void print_trap(const ward_trap *trap, const ward_wat_map *map)
{
    fprintf(stderr, "trap: %s", trap->message);
    if (trap->nframes > 0) {
        fprintf(stderr, " in ");
        print_frame(stderr, trap->func_index, trap->func_name, trap->offset, map);
    }
    fputc('\n', stderr);
    uint32_t n = trap->nframes < WARD_BACKTRACE_MAX ? trap->nframes : WARD_BACKTRACE_MAX;
    for (uint32_t i = 0; i < n; i++) {
        fprintf(stderr, "  #%" PRIu32 " ", i);
        print_frame(stderr, trap->backtrace[i].func_index, trap->backtrace[i].func_name,
                    trap->backtrace[i].offset, map);
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
        if (strcmp(info.module, "wasi_snapshot_preview1") == 0 || strcmp(info.module, "wasi_unstable") == 0)
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
        return CLI_EXIT_RUN_ERROR;
    }
    if (!open_listeners(st, o))
        return CLI_EXIT_RUN_ERROR;
    const char **argv = wcalloc((size_t)o->nargs + 1, sizeof *argv);
    if (!argv) {
        fprintf(stderr, "ward: out of memory\n");
        return CLI_EXIT_RUN_ERROR;
    }
    argv[0] = o->argv0 ? o->argv0 : o->path;
    int argc = 1;
    for (int i = 0; !o->invoke && i < o->nargs; i++)
        argv[argc++] = o->args[i];
    ward_wasi_config cfg;
    ward_wasi_config_default(&cfg);
    cfg.argc = argc;
    cfg.argv = argv;
    const char **env = run_environment(o, &cfg.envc);
    if (!env) {
        free(argv);
        fprintf(stderr, "ward: out of memory\n");
        return CLI_EXIT_RUN_ERROR;
    }
    cfg.env = env;
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
    free(env);
    if (!st->wasi) {
        fprintf(stderr, "ward: %s\n", err.message);
        return CLI_EXIT_RUN_ERROR;
    }
    if (ward_wasi_define(st->wasi, st->linker, st->store) != WARD_OK) {
        fprintf(stderr, "ward: cannot define the WASI functions\n");
        return CLI_EXIT_RUN_ERROR;
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
        return CLI_EXIT_RUN_ERROR;
    }
    /* --fuel and --timeout hold for each thread on its own (docs/threads.md) */
    ward_wasi_threads_set_limits(st->threads, o->fuel_set ? o->fuel : 0, o->timeout_ms);
    return CLI_EXIT_OK;
}

/* The status of a guest's proc_exit(code): code itself in WASI's 0..125
 * (wasmtime's range); the statuses above are ward's own (126: could not
 * run, 134: trap), so a guest cannot pass for them. */
static int guest_exit_status(int code)
{
    if (code >= 0 && code <= CLI_EXIT_GUEST_MAX)
        return code;
    fprintf(stderr, "ward: the program exited with status %u, outside WASI's 0..%d\n", (unsigned)code,
            CLI_EXIT_GUEST_MAX);
    return CLI_EXIT_TRAP;
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
        return guest_exit_status(code);
    print_trap(&trap, st->map);
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
        return guest_exit_status(code);
    print_trap(trap, st->map);
    return CLI_EXIT_TRAP;
}

/* Call f with the command-line arguments and print its results. */
static int call_and_print(const run_state *st, ward_func *f, const char *name, const run_options *o)
{
    ward_functype type;
    ward_func_type(f, &type);
    ward_val *args = wcalloc(type.nparams, sizeof *args);
    ward_val *results = wcalloc(type.nresults, sizeof *results);
    int status = CLI_EXIT_RUN_ERROR;
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
        return CLI_EXIT_RUN_ERROR;
    }
    /* WASI calls use the calling instance's memory (no binding needed); a
     * module without one can still run, its calls that need memory answer
     * EFAULT. */
    return CLI_EXIT_OK;
}

/* An unsigned LEB128 of at most 5 bytes at bytes[*at], or false. */
static bool read_u32_leb(const uint8_t *bytes, size_t size, size_t *at, uint32_t *out)
{
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 35 && *at < size; shift += 7) {
        uint8_t b = bytes[(*at)++];
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *out = (uint32_t)v;
            return v <= UINT32_MAX;
        }
    }
    return false;
}

/* Whether the (valid) binary has a start section: its start function ran
 * at instantiation, so the module did something even without _start. */
static bool has_start_section(const uint8_t *bytes, size_t size)
{
    enum { START_SECTION = 8 };
    size_t at = 8; /* magic and version */
    while (at < size) {
        uint8_t id = bytes[at++];
        uint32_t len;
        if (!read_u32_leb(bytes, size, &at, &len) || len > size - at)
            return false;
        if (id == START_SECTION)
            return true;
        at += len;
    }
    return false;
}

/* A reactor's _initialize, which must run before any other export is
 * called (wasmtime calls it when exported, before --invoke or _start). */
static int run_initialize(run_state *st, ward_func *init)
{
    ward_functype type;
    ward_func_type(init, &type);
    if (type.nparams != 0 || type.nresults != 0) {
        fprintf(stderr, "ward: %s: _initialize must take and return nothing\n", st->path);
        return CLI_EXIT_RUN_ERROR;
    }
    ward_trap trap = {0};
    ward_result r = ward_call(st->store, init, NULL, 0, NULL, 0, &trap);
    if (r == WARD_TRAP)
        return trap_status(st, &trap);
    if (r != WARD_OK) {
        fprintf(stderr, "ward: the call of _initialize was refused\n");
        return CLI_EXIT_RUN_ERROR;
    }
    return CLI_EXIT_OK;
}

/* The exported functions, for a message that says what could be invoked. */
static void print_function_exports(const ward_module *m)
{
    uint32_t shown = 0, n = ward_module_export_count(m);
    for (uint32_t i = 0; i < n; i++) {
        ward_export_info info;
        ward_module_export(m, i, &info);
        if (info.kind != WARD_EXTERN_FUNC || strcmp(info.name, "_initialize") == 0)
            continue;
        if (shown++ == 8) {
            fprintf(stderr, ", ...");
            break;
        }
        fprintf(stderr, "%s%s", shown > 1 ? ", " : ": ", info.name);
    }
    fprintf(stderr, shown ? "\n" : " (it exports no function)\n");
}

/* No _start and no --invoke: wasmtime exits 0 saying nothing, which left
 * users wondering what ran.  Say so; when nothing ran at all (no start
 * function, no _initialize) the run failed. */
static int nothing_to_run(const run_state *st, bool initialized)
{
    bool ran = initialized || has_start_section(st->bytes, st->size);
    fprintf(stderr, "ward: %s exports no _start function%s; call an export with --invoke NAME", st->path,
            !ran ? " and has nothing else to run" : initialized ? " (its _initialize ran)" : " (its start function ran)");
    print_function_exports(st->module);
    return ran ? CLI_EXIT_OK : CLI_EXIT_RUN_ERROR;
}

/* After instantiation (which ran the start function): _initialize when
 * exported, then the requested export or _start. */
static int run_entry(run_state *st, const run_options *o)
{
    if (!o->invoke && o->nargs > 0 && !st->wasi) {
        fprintf(stderr, "ward: arguments need --invoke NAME (or a module that imports WASI)\n");
        return CLI_EXIT_RUN_ERROR;
    }
    const char *name = o->invoke ? o->invoke : "_start";
    ward_func *f = ward_instance_func(st->instance, name);
    if (!f && o->invoke) {
        fprintf(stderr, "ward: no exported function \"%s\"", o->invoke);
        print_function_exports(st->module);
        return CLI_EXIT_RUN_ERROR;
    }
    /* (--invoke _initialize calls it once, as the export asked for) */
    ward_func *init = f == NULL || strcmp(name, "_initialize") != 0 ? ward_instance_func(st->instance, "_initialize")
                                                                     : NULL;
    int status = init ? run_initialize(st, init) : CLI_EXIT_OK;
    if (status != CLI_EXIT_OK)
        return status;
    return f ? call_and_print(st, f, name, o) : nothing_to_run(st, init != NULL);
}

/* Every host module the module may import, in the linker. */
static int setup_hosts(run_state *st, const run_options *o)
{
    /* the stand-ins first: each host module's definitions replace them */
    int status = run_imports_define(&st->imports, o->unknown_imports, st->module, st->engine, st->store, st->linker);
    if (status == CLI_EXIT_OK)
        status = setup_wasi(st, o);
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
    /* (the helpers' failures are usage-style statuses: nothing has run yet) */
    return status == CLI_EXIT_OK ? CLI_EXIT_OK : CLI_EXIT_RUN_ERROR;
}

static int run_module(run_state *st, run_options *o)
{
    st->path = o->path;
#if WARD_HAVE_STORAGE
    /* FILE, or a registry module: its gas limit is the fuel (run_registry.c) */
    st->bytes = cli_run_module_bytes(o->registry, o->path, &st->size, &o->fuel_set, &o->fuel);
#else
    st->bytes = cli_read_file("ward", o->path, &st->size);
#endif
    if (!st->bytes || !cli_wat_convert("ward", o->path, &st->bytes, &st->size, &st->map))
        return CLI_EXIT_RUN_ERROR;
#if WARD_HAVE_SIGNATURES
    cli_trust_run limits = {&o->config, &o->fuel_set, &o->fuel, &o->timeout_ms, o->dirs.n, o->dirs.items,
                            o->signature_path};
    if (o->signature_path && !o->trust_path) {
        fprintf(stderr, "ward: --signature-file needs --trust STORE --policy POLICY to check it\n");
        return CLI_EXIT_RUN_ERROR;
    }
    if ((o->trust_path || o->policy_path) &&
        cli_trust_begin(&st->trust, o->trust_path, o->policy_path, st->bytes, st->size, &limits) != CLI_EXIT_OK)
        return CLI_EXIT_RUN_ERROR;
#endif
    st->engine = ward_engine_new(&o->config);
    if (!st->engine)
        return CLI_EXIT_RUN_ERROR;
    st->module = decode_module(st->engine, o->path, st->bytes, st->size, st->map);
    if (!st->module)
        return CLI_EXIT_RUN_ERROR;
    if (module_uses_threads(st->module) && !o->config.interruptible) {
        /* a thread's proc_exit must be able to stop the others' code */
        ward_config cfg = o->config;
        cfg.interruptible = true;
        ward_module_free(st->module);
        ward_engine_free(st->engine);
        st->module = NULL;
        if (!(st->engine = ward_engine_new(&cfg)) ||
            !(st->module = decode_module(st->engine, o->path, st->bytes, st->size, st->map)))
            return CLI_EXIT_RUN_ERROR;
    }
#if WARD_HAVE_SIGNATURES
    if (st->trust && cli_trust_check_module(st->trust, st->module) != CLI_EXIT_OK)
        return CLI_EXIT_RUN_ERROR;
#endif
    st->store = ward_store_new(st->engine);
    st->linker = ward_linker_new();
    if (!st->store || !st->linker)
        return CLI_EXIT_RUN_ERROR;
    int status = setup_hosts(st, o);
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
    if (!run_parse_options(argc, argv, &o)) {
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
        run_imports_free(st.imports); /* after the store: its shared memories */
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
        ward_wat_map_free(st.map);
#if WARD_HAVE_SIGNATURES
        cli_trust_free(st.trust);
#endif
    }
    run_options_free(&o);
    return status;
}

int cli_validate(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: ward validate FILE.wasm|FILE.wat\n");
        return CLI_EXIT_USAGE;
    }
    ward_config config;
    cli_config_default(&config);
    ward_engine *engine = ward_engine_new(&config);
    if (!engine)
        return CLI_EXIT_USAGE;
    size_t size = 0;
    uint8_t *bytes = cli_read_file("ward", argv[1], &size);
    ward_wat_map *map = NULL;
    if (bytes && !cli_wat_convert("ward", argv[1], &bytes, &size, &map)) {
        free(bytes);
        bytes = NULL;
    }
    ward_module *m = bytes ? decode_module(engine, argv[1], bytes, size, map) : NULL;
    bool valid = m != NULL;
    if (valid) {
        printf("OK\n");
        ward_module_free(m);
    }
    free(bytes); /* after the module, which read them in place */
    ward_wat_map_free(map);
    ward_engine_free(engine);
    return valid ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}
