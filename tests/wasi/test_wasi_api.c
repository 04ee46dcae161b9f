/* The WASI embedding API (ward_wasi_*) and ward_memory_span, without clang's
 * wasm target: a module assembled from this WAT (bytes below, made with
 * wat2wasm):
 *
 *   imports fd_write, proc_exit, args_sizes_get; (memory (export "memory") 1);
 *   data "hi\n" at 16; hello: fd_write(1, iovec{16, 3} at 0, 1, 8);
 *   written: i32.load 8; argc: args_sizes_get(32, 36), i32.load 32;
 *   bad: fd_write(1, 65532, 1, 8); bad_result: fd_write(1, 0, 1, 65533);
 *   quit: proc_exit(42) then unreachable.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../include/ward.h"
#include "../test.h"

static const unsigned char api_wasm[] = {
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x1a, 0x05, 0x60,
      0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x00, 0x60,
      0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x01, 0x7f, 0x60, 0x00, 0x00,
      0x02, 0x6e, 0x03, 0x16, 0x77, 0x61, 0x73, 0x69, 0x5f, 0x73, 0x6e, 0x61,
      0x70, 0x73, 0x68, 0x6f, 0x74, 0x5f, 0x70, 0x72, 0x65, 0x76, 0x69, 0x65,
      0x77, 0x31, 0x08, 0x66, 0x64, 0x5f, 0x77, 0x72, 0x69, 0x74, 0x65, 0x00,
      0x00, 0x16, 0x77, 0x61, 0x73, 0x69, 0x5f, 0x73, 0x6e, 0x61, 0x70, 0x73,
      0x68, 0x6f, 0x74, 0x5f, 0x70, 0x72, 0x65, 0x76, 0x69, 0x65, 0x77, 0x31,
      0x09, 0x70, 0x72, 0x6f, 0x63, 0x5f, 0x65, 0x78, 0x69, 0x74, 0x00, 0x01,
      0x16, 0x77, 0x61, 0x73, 0x69, 0x5f, 0x73, 0x6e, 0x61, 0x70, 0x73, 0x68,
      0x6f, 0x74, 0x5f, 0x70, 0x72, 0x65, 0x76, 0x69, 0x65, 0x77, 0x31, 0x0e,
      0x61, 0x72, 0x67, 0x73, 0x5f, 0x73, 0x69, 0x7a, 0x65, 0x73, 0x5f, 0x67,
      0x65, 0x74, 0x00, 0x02, 0x03, 0x07, 0x06, 0x03, 0x03, 0x03, 0x03, 0x03,
      0x04, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x3d, 0x07, 0x06, 0x6d, 0x65,
      0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f,
      0x00, 0x03, 0x07, 0x77, 0x72, 0x69, 0x74, 0x74, 0x65, 0x6e, 0x00, 0x04,
      0x04, 0x61, 0x72, 0x67, 0x63, 0x00, 0x05, 0x03, 0x62, 0x61, 0x64, 0x00,
      0x06, 0x0a, 0x62, 0x61, 0x64, 0x5f, 0x72, 0x65, 0x73, 0x75, 0x6c, 0x74,
      0x00, 0x07, 0x04, 0x71, 0x75, 0x69, 0x74, 0x00, 0x08, 0x0a, 0x59, 0x06,
      0x1a, 0x00, 0x41, 0x00, 0x41, 0x10, 0x36, 0x02, 0x00, 0x41, 0x04, 0x41,
      0x03, 0x36, 0x02, 0x00, 0x41, 0x01, 0x41, 0x00, 0x41, 0x01, 0x41, 0x08,
      0x10, 0x00, 0x0b, 0x07, 0x00, 0x41, 0x08, 0x28, 0x02, 0x00, 0x0b, 0x0e,
      0x00, 0x41, 0x20, 0x41, 0x24, 0x10, 0x02, 0x1a, 0x41, 0x20, 0x28, 0x02,
      0x00, 0x0b, 0x0e, 0x00, 0x41, 0x01, 0x41, 0xfc, 0xff, 0x03, 0x41, 0x01,
      0x41, 0x08, 0x10, 0x00, 0x0b, 0x0e, 0x00, 0x41, 0x01, 0x41, 0x00, 0x41,
      0x01, 0x41, 0xfd, 0xff, 0x03, 0x10, 0x00, 0x0b, 0x07, 0x00, 0x41, 0x2a,
      0x10, 0x01, 0x00, 0x0b, 0x0b, 0x09, 0x01, 0x00, 0x41, 0x10, 0x0b, 0x03,
      0x68, 0x69, 0x0a
};
static const unsigned int api_wasm_len = 327;

typedef struct fixture {
    ward_engine *engine;
    ward_module *module;
    ward_store *store;
    ward_linker *linker;
    ward_wasi *wasi;
    ward_instance *inst;
    int pipe[2];
} fixture;

static bool setup(fixture *f)
{
    memset(f, 0, sizeof *f);
    if (pipe(f->pipe) != 0)
        return false;
    const char *argv[] = {"api.wasm", "x", "y"};
    ward_wasi_config cfg;
    ward_wasi_config_default(&cfg);
    cfg.argc = 3;
    cfg.argv = argv;
    cfg.stdout_fd = f->pipe[1];
    ward_error err = {0};
    f->engine = ward_engine_new(NULL);
    f->module = ward_module_new(f->engine, api_wasm, api_wasm_len, &err);
    f->store = ward_store_new(f->engine);
    f->linker = ward_linker_new();
    f->wasi = ward_wasi_new(&cfg, &err);
    if (!f->module || !f->wasi)
        return false;
    CHECK(ward_wasi_define(f->wasi, f->linker, f->store) == WARD_OK);
    ward_trap trap;
    CHECK(ward_instantiate(f->store, f->module, f->linker, &f->inst, &err, &trap) == WARD_OK);
    return f->inst && ward_wasi_bind_instance(f->wasi, f->inst) == WARD_OK;
}

static void teardown(fixture *f)
{
    ward_store_free(f->store);
    ward_wasi_free(f->wasi);
    ward_linker_free(f->linker);
    ward_module_free(f->module);
    ward_engine_free(f->engine);
    close(f->pipe[0]);
    close(f->pipe[1]);
}

static int32_t call_i32(fixture *f, const char *name, ward_result *r, ward_trap *trap)
{
    ward_val result = {.kind = WARD_I32};
    *r = ward_call(f->store, ward_instance_func(f->inst, name), NULL, 0, &result, 1, trap);
    return (int32_t)result.of.i32;
}

static void test_calls(void)
{
    fixture f;
    CHECK(setup(&f));
    if (!f.inst) {
        teardown(&f);
        return;
    }
    ward_trap trap;
    ward_result r;
    CHECK(call_i32(&f, "hello", &r, &trap) == 0 && r == WARD_OK);
    CHECK(call_i32(&f, "written", &r, &trap) == 3);
    char buf[8] = {0};
    CHECK(read(f.pipe[0], buf, sizeof buf) == 3 && memcmp(buf, "hi\n", 3) == 0);
    CHECK(call_i32(&f, "argc", &r, &trap) == 3);
    CHECK(call_i32(&f, "bad", &r, &trap) == 21 && r == WARD_OK);          /* EFAULT, no trap */
    CHECK(call_i32(&f, "bad_result", &r, &trap) == 21 && r == WARD_OK);
    int code = -1;
    CHECK(!ward_wasi_exit_code(f.wasi, &trap, &code));
    r = ward_call(f.store, ward_instance_func(f.inst, "quit"), NULL, 0, NULL, 0, &trap);
    CHECK(r == WARD_TRAP && trap.kind == WARD_TRAP_EXIT && trap.exit_code == 42);
    CHECK(strcmp(trap.message, "exit") == 0);
    CHECK(ward_wasi_exit_code(f.wasi, &trap, &code) && code == 42);
    /* An ordinary trap is not an exit, nor is a host trap that says "exit":
     * the kind decides, not the message. */
    ward_trap other = {.kind = WARD_TRAP_UNREACHABLE};
    CHECK(!ward_wasi_exit_code(f.wasi, &other, &code));
    ward_trap says_exit = {.kind = WARD_TRAP_HOST, .message = "exit"};
    CHECK(!ward_wasi_exit_code(f.wasi, &says_exit, &code));
    teardown(&f);
}

static void test_memory_span(void)
{
    ward_engine *engine = ward_engine_new(NULL);
    ward_store *store = ward_store_new(engine);
    ward_memory *m = ward_memory_new(store, 1, 2, true);
    uint8_t *base = ward_memory_data(m);
    CHECK(ward_memory_span(m, 0, 65536) == base);
    CHECK(ward_memory_span(m, 65535, 1) == base + 65535);
    CHECK(ward_memory_span(m, 65536, 0) == base + 65536);
    CHECK(ward_memory_span(m, 65536, 1) == NULL);
    CHECK(ward_memory_span(m, 65537, 0) == NULL);
    CHECK(ward_memory_span(m, 1, 65536) == NULL);
    CHECK(ward_memory_span(m, UINT64_MAX, 2) == NULL);
    CHECK(ward_memory_span(m, 2, UINT64_MAX) == NULL);
    CHECK(ward_memory_span(NULL, 0, 0) == NULL);
    ward_store_free(store);
    ward_engine_free(engine);
}

static void test_config_errors(void)
{
    ward_wasi_preopen dirs[] = {{"/nonexistent/ward-wasi-test", "/x"}};
    ward_wasi_config cfg;
    ward_wasi_config_default(&cfg);
    cfg.npreopens = 1;
    cfg.preopens = dirs;
    ward_error err = {0};
    CHECK(ward_wasi_new(&cfg, &err) == NULL);
    CHECK_CONTAINS(err.message, "cannot open directory /nonexistent/ward-wasi-test");
    cfg.npreopens = 0;
    int not_a_socket[] = {1};
    cfg.nsockets = 1;
    cfg.sockets = not_a_socket;
    CHECK(ward_wasi_new(&cfg, &err) == NULL);
    CHECK_CONTAINS(err.message, "not a socket");
    cfg.nsockets = 0;
    cfg.argc = -1;
    CHECK(ward_wasi_new(&cfg, &err) == NULL);
    /* NULL config: defaults, and stdio closed by request. */
    ward_wasi *w = ward_wasi_new(NULL, NULL);
    CHECK(w != NULL);
    ward_wasi_free(w);
    cfg.argc = 0;
    cfg.stdin_fd = cfg.stdout_fd = cfg.stderr_fd = -1;
    w = ward_wasi_new(&cfg, &err);
    CHECK(w != NULL);
    ward_wasi_free(w);
    CHECK(ward_wasi_define(NULL, NULL, NULL) == WARD_ERROR);
    CHECK(!ward_wasi_exit_code(NULL, NULL, NULL));
}

int main(void)
{
    test_calls();
    test_memory_span();
    test_config_errors();
    return test_summary("wasi_api");
}
