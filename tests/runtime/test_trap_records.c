/*
 * Traps are records, not strings (issue 11): running out of host memory is
 * its own kind, proc_exit-style ends are WARD_TRAP_EXIT with the code in
 * exit_code, a backtrace says how many frames it left out, and whatever a
 * host function writes into its trap is checked before it reaches the
 * embedder (defect 6: kind 999, nframes 1000, an unterminated message).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../test.h"
#include "error_modules.h"
#include "ward.h"

#define CHECK_U32(got, want) CHECK_MSG((got) == (want), "got %u, want %u", (unsigned)(got), (unsigned)(want))

/* The out-of-memory test makes an allocation fail on purpose: sanitizer
 * allocators must then return NULL as malloc does, not abort. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}
const char *__tsan_default_options(void);
const char *__tsan_default_options(void)
{
    return "allocator_may_return_null=1";
}

typedef struct fixture {
    ward_engine *engine;
    ward_store *store;
    ward_module *module;
    ward_linker *linker;
    ward_instance *inst;
} fixture;

static bool setup(fixture *f, const ward_config *cfg, const uint8_t *bytes, size_t size)
{
    ward_error err = {0};
    memset(f, 0, sizeof *f);
    f->engine = ward_engine_new(cfg);
    f->store = ward_store_new(f->engine);
    f->module = ward_module_new(f->engine, bytes, size, &err);
    f->linker = ward_linker_new();
    CHECK_MSG(f->module != NULL, "%s", err.message);
    return f->module != NULL;
}

static bool instantiate(fixture *f)
{
    ward_error err = {0};
    ward_result r = ward_instantiate(f->store, f->module, f->linker, &f->inst, &err, NULL);
    CHECK_MSG(r == WARD_OK, "%s", err.message);
    return r == WARD_OK;
}

static void teardown(fixture *f)
{
    ward_linker_free(f->linker);
    ward_store_free(f->store);
    ward_module_free(f->module);
    ward_engine_free(f->engine);
}

/* ---- backtraces say what they left out --------------------------------------- */

/* r(n) recurses n times, then traps: n + 1 wasm frames. */
static ward_trap deep_trap(fixture *f, int32_t n)
{
    ward_trap trap;
    ward_val arg = ward_val_i32(n);
    ward_result r = ward_call(f->store, ward_instance_func(f->inst, "r"), &arg, 1, NULL, 0, &trap);
    CHECK(r == WARD_TRAP && trap.kind == WARD_TRAP_UNREACHABLE);
    return trap;
}

static void test_backtrace_omitted(void)
{
    fixture f;
    if (!setup(&f, NULL, deep_wasm, sizeof deep_wasm) || !instantiate(&f)) {
        teardown(&f);
        return;
    }
    ward_trap t = deep_trap(&f, 3);
    CHECK_U32(t.nframes, 4);
    CHECK_U32(t.nframes_omitted, 0);
    t = deep_trap(&f, WARD_BACKTRACE_MAX - 1);
    CHECK_U32(t.nframes, WARD_BACKTRACE_MAX);
    CHECK_U32(t.nframes_omitted, 0);
    t = deep_trap(&f, WARD_BACKTRACE_MAX);
    CHECK_U32(t.nframes, WARD_BACKTRACE_MAX);
    CHECK_U32(t.nframes_omitted, 1);
    t = deep_trap(&f, 999);
    CHECK_U32(t.nframes, WARD_BACKTRACE_MAX);
    CHECK_U32(t.nframes + t.nframes_omitted, 1000);
    teardown(&f);
}

/* ---- running out of host memory --------------------------------------------- */

/* Address space now in use, from /proc/self/statm (pages). */
static bool address_space_bytes(rlim_t *out)
{
    FILE *fp = fopen("/proc/self/statm", "r");
    unsigned long pages = 0;
    bool ok = fp && fscanf(fp, "%lu", &pages) == 1;
    if (fp)
        fclose(fp);
    *out = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE);
    return ok;
}

/* In a child: a value stack of 2^32 - 1 slots (32 GiB) cannot be had under
 * an address-space limit just above what the process uses.  Exit status:
 * 0 when the call trapped with the out-of-memory kind and message. */
static int oom_child(void)
{
    ward_config cfg;
    ward_config_default(&cfg);
    cfg.max_stack_slots = UINT32_MAX;
    fixture f;
    if (!setup(&f, &cfg, deep_wasm, sizeof deep_wasm) || !instantiate(&f))
        return 10;
    rlim_t used;
    if (!address_space_bytes(&used))
        return 11;
    struct rlimit lim = {used + ((rlim_t)32 << 20), used + ((rlim_t)32 << 20)};
    if (setrlimit(RLIMIT_AS, &lim) != 0)
        return 12;
    ward_trap trap;
    ward_val arg = ward_val_i32(1);
    ward_result r = ward_call(f.store, ward_instance_func(f.inst, "r"), &arg, 1, NULL, 0, &trap);
    int status = 0;
    if (r != WARD_TRAP)
        status |= 1;
    if (trap.kind != WARD_TRAP_OUT_OF_MEMORY)
        status |= 2;
    if (strcmp(trap.message, "out of host memory") != 0)
        status |= 4;
    teardown(&f);
    return status;
}

static void test_out_of_host_memory(void)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0)
        _exit(oom_child());
    int status = -1;
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
    CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "child status 0x%x (exit 1: no trap, 2: wrong kind, 4: wrong message, 10+: set-up)", status);
}

/* ---- what a host function may put in its trap -------------------------------- */

typedef struct host_reply {
    ward_trap_kind kind;
    int exit_code;
    bool garbage;   /* fill every other field with nonsense, message unterminated */
} host_reply;

static ward_result reply(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                         ward_trap *trap)
{
    (void)caller, (void)args, (void)results;
    const host_reply *h = env;
    if (h->garbage) {
        memset(trap, 0x41, sizeof *trap);
        trap->nframes = 1000;
        trap->nframes_omitted = 77;
        trap->func_name = (const char *)(uintptr_t)1;
        for (int i = 0; i < WARD_BACKTRACE_MAX; i++)
            trap->backtrace[i].func_name = (const char *)(uintptr_t)1;
    }
    trap->kind = h->kind;
    trap->exit_code = h->exit_code;
    return WARD_TRAP;
}

/* What a careless embedder does with a trap: print it all. */
static void print_like_an_embedder(const ward_trap *t, char *out, size_t size)
{
    int n = snprintf(out, size, "%s", t->message);
    for (uint32_t i = 0; i < t->nframes && n >= 0 && (size_t)n < size; i++)
        n += snprintf(out + n, size - (size_t)n, " #%u %u %s", (unsigned)i, (unsigned)t->backtrace[i].func_index,
                      t->backtrace[i].func_name ? t->backtrace[i].func_name : "?");
}

/* Call the host function both ways: directly (ward_call on it) and from
 * wasm (function 1 calls import 0). */
static void call_both(const host_reply *h, ward_trap *direct, ward_trap *from_wasm)
{
    fixture f;
    if (!setup(&f, NULL, hostcall_wasm, sizeof hostcall_wasm)) {
        teardown(&f);
        return;
    }
    const ward_functype none = {0, 0, NULL, NULL};
    ward_func *cb = ward_func_new(f.store, &none, reply, (void *)h);
    CHECK(ward_linker_define_func(f.linker, "env", "cb", cb) == WARD_OK);
    if (instantiate(&f)) {
        CHECK(ward_call(f.store, cb, NULL, 0, NULL, 0, direct) == WARD_TRAP);
        CHECK(ward_call(f.store, ward_instance_func(f.inst, "via_wasm"), NULL, 0, NULL, 0, from_wasm) ==
              WARD_TRAP);
    }
    teardown(&f);
}

static void check_clean(const ward_trap *t, uint32_t nframes)
{
    char printed[4096];
    CHECK(memchr(t->message, '\0', sizeof t->message) != NULL);
    CHECK_U32(t->nframes, nframes);
    CHECK_U32(t->nframes_omitted, 0);
    if (t->nframes <= WARD_BACKTRACE_MAX)
        print_like_an_embedder(t, printed, sizeof printed);
    if (nframes == 0) {
        CHECK(t->func_name == NULL);
    } else {
        CHECK_U32(t->func_index, 1);
        CHECK_U32(t->backtrace[0].func_index, 1);
        CHECK(t->backtrace[0].func_name == NULL || t->backtrace[0].func_name != (const char *)(uintptr_t)1);
    }
}

/* The review's reproducer: kind 999, nframes 1000, no NUL in the message. */
static void test_host_trap_garbage(void)
{
    const host_reply h = {(ward_trap_kind)999, 5, true};
    ward_trap direct, from_wasm;
    call_both(&h, &direct, &from_wasm);
    CHECK_U32(direct.kind, WARD_TRAP_HOST);
    CHECK_U32(from_wasm.kind, WARD_TRAP_HOST);
    check_clean(&direct, 0);
    check_clean(&from_wasm, 1);
    /* the host's words are kept, cut to the buffer */
    CHECK_U32(strlen(direct.message), sizeof direct.message - 1);
    CHECK(direct.message[0] == 'A');
    CHECK_U32(direct.exit_code, 0);
    CHECK_U32(from_wasm.exit_code, 0);
}

static void test_host_trap_kinds(void)
{
    ward_trap direct, from_wasm;
    /* no kind: a host trap, with the generic message */
    const host_reply none = {WARD_TRAP_NONE, 0, false};
    call_both(&none, &direct, &from_wasm);
    CHECK(direct.kind == WARD_TRAP_HOST && strcmp(direct.message, "host trap") == 0);
    CHECK(from_wasm.kind == WARD_TRAP_HOST && strcmp(from_wasm.message, "host trap") == 0);
    check_clean(&from_wasm, 1);
    /* a kind below every known one */
    const host_reply negative = {(ward_trap_kind)-3, 0, false};
    call_both(&negative, &direct, &from_wasm);
    CHECK_U32(direct.kind, WARD_TRAP_HOST);
    CHECK_U32(from_wasm.kind, WARD_TRAP_HOST);
    /* a known kind is kept, with its own words when the host gave none; an
     * exit code is only for WARD_TRAP_EXIT */
    const host_reply oob = {WARD_TRAP_OOB_MEMORY, 9, false};
    call_both(&oob, &direct, &from_wasm);
    CHECK_U32(from_wasm.kind, WARD_TRAP_OOB_MEMORY);
    CHECK(strcmp(from_wasm.message, "out of bounds memory access") == 0);
    CHECK_U32(from_wasm.exit_code, 0);
    check_clean(&from_wasm, 1);
    /* a host ending the program, as WASI's proc_exit does */
    const host_reply bye = {WARD_TRAP_EXIT, 7, true};
    call_both(&bye, &direct, &from_wasm);
    CHECK_U32(direct.kind, WARD_TRAP_EXIT);
    CHECK_U32(direct.exit_code, 7);
    CHECK_U32(from_wasm.kind, WARD_TRAP_EXIT);
    CHECK_U32(from_wasm.exit_code, 7);
    check_clean(&direct, 0);
    check_clean(&from_wasm, 1);
}

/* A host function that noticed the store's interrupt and reports it (as
 * WASI's blocking calls do) consumes the request, as the interpreter's own
 * report does: the store's next call runs instead of stopping at once. */
static ward_result stop_once(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                             ward_trap *trap)
{
    (void)caller, (void)args, (void)results;
    int *calls = env;
    if ((*calls)++ > 0)
        return WARD_OK;
    trap->kind = WARD_TRAP_INTERRUPTED;
    return WARD_TRAP;
}

static void test_host_interrupt_consumed(void)
{
    ward_config cfg;
    ward_config_default(&cfg);
    cfg.interruptible = true;
    fixture f;
    if (!setup(&f, &cfg, hostcall_wasm, sizeof hostcall_wasm)) {
        teardown(&f);
        return;
    }
    int calls = 0;
    const ward_functype none = {0, 0, NULL, NULL};
    ward_func *cb = ward_func_new(f.store, &none, stop_once, &calls);
    CHECK(ward_linker_define_func(f.linker, "env", "cb", cb) == WARD_OK);
    if (instantiate(&f)) {
        ward_trap trap;
        ward_store_interrupt(f.store);
        CHECK(ward_call(f.store, cb, NULL, 0, NULL, 0, &trap) == WARD_TRAP);
        CHECK_U32(trap.kind, WARD_TRAP_INTERRUPTED);
        CHECK(ward_call(f.store, ward_instance_func(f.inst, "via_wasm"), NULL, 0, NULL, 0, &trap) == WARD_OK);
        CHECK_U32(calls, 2);
    }
    teardown(&f);
}

int main(void)
{
    test_backtrace_omitted();
    test_out_of_host_memory();
    test_host_trap_garbage();
    test_host_trap_kinds();
    test_host_interrupt_consumed();
    return test_summary("trap_records");
}
