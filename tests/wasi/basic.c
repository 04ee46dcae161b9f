/* WASI guest: args, environ, clocks, random, sched, proc_raise, stdio,
 * fdstat of stdio, prestat of the preopen, proc_exit through exit(). */
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static void test_args(int argc, char **argv)
{
    __wasi_size_t n = 0, size = 0;
    check("args_sizes_get", __wasi_args_sizes_get(&n, &size) == 0 && n == (__wasi_size_t)argc);
    char *buf = malloc(size);
    char **ptrs = malloc(n * sizeof *ptrs);
    check("args_get", __wasi_args_get((uint8_t **)ptrs, (uint8_t *)buf) == 0);
    check("args count", argc == 4);
    check("argv[1]", argc > 1 && strcmp(argv[1], "one") == 0 && strcmp(ptrs[1], "one") == 0);
    check("argv[2] with space", argc > 2 && strcmp(argv[2], "two words") == 0);
    check("argv[3] empty", argc > 3 && argv[3][0] == 0);
    /* WANT_ARGV0 is set only by the `ward run --argv0` test. */
    const char *want0 = getenv("WANT_ARGV0");
    check("argv[0] as given", !want0 || (argc > 0 && strcmp(argv[0], want0) == 0));
    free(buf);
    free(ptrs);
}

static void test_environ(void)
{
    __wasi_size_t n = 0, size = 0;
    check("environ_sizes_get", __wasi_environ_sizes_get(&n, &size) == 0 && n >= 2);
    char *buf = malloc(size);
    char **ptrs = malloc(n * sizeof *ptrs);
    check("environ_get", __wasi_environ_get((uint8_t **)ptrs, (uint8_t *)buf) == 0);
    const char *v = getenv("GREETING");
    check("getenv GREETING", v && strcmp(v, "hello=world") == 0);
    check("getenv missing", getenv("WARD_NO_SUCH_VARIABLE") == NULL);
    free(buf);
    free(ptrs);
}

static void test_clocks(void)
{
    __wasi_timestamp_t res = 0, t1 = 0, t2 = 0, rt = 0;
    check("clock_res_get monotonic", __wasi_clock_res_get(__WASI_CLOCKID_MONOTONIC, &res) == 0 && res > 0);
    check("clock_time_get monotonic", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t1) == 0);
    check("clock_time_get realtime after 2020",
          __wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &rt) == 0 && rt > 1577836800ull * 1000000000ull);
    check_errno("clock_time_get bad id", __wasi_clock_time_get(99, 1, &t2), __WASI_ERRNO_INVAL);
    /* nanosleep is poll_oneoff with one relative clock subscription. */
    struct timespec ts = {0, 20 * 1000 * 1000};
    check("nanosleep", nanosleep(&ts, NULL) == 0);
    /* node's timers round to milliseconds and may wake a little early. */
    uint64_t slept = strict_mode() ? 20 : 19;
    check("monotonic advanced", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t2) == 0 &&
                                    t2 - t1 >= slept * 1000 * 1000);
    __wasi_timestamp_t cpu = 0;
    check("clock_time_get process cputime",
          __wasi_clock_time_get(__WASI_CLOCKID_PROCESS_CPUTIME_ID, 1, &cpu) == 0);
}

static void test_random(void)
{
    uint8_t a[64] = {0}, b[64] = {0};
    check("random_get", __wasi_random_get(a, sizeof a) == 0 && __wasi_random_get(b, sizeof b) == 0);
    check("random differs", memcmp(a, b, sizeof a) != 0);
    check("random_get empty", __wasi_random_get(a, 0) == 0);
}

static void test_stdio(void)
{
    __wasi_fdstat_t st;
    check("fd_fdstat_get stdout", __wasi_fd_fdstat_get(1, &st) == 0);
    check("stdout may write", (st.fs_rights_base & __WASI_RIGHTS_FD_WRITE) != 0);
    const char msg[] = "line through fd_write\n";
    __wasi_ciovec_t iov[2] = {{(const uint8_t *)msg, 5}, {(const uint8_t *)msg + 5, sizeof msg - 6}};
    __wasi_size_t n = 0;
    fflush(stdout);
    check("fd_write two iovecs", __wasi_fd_write(1, iov, 2, &n) == 0 && n == sizeof msg - 1);
    check_errno("fd_write bad fd", __wasi_fd_write(99, iov, 1, &n), __WASI_ERRNO_BADF);
    check("sched_yield", __wasi_sched_yield() == 0);
}

static void test_prestat(void)
{
    __wasi_prestat_t ps;
    check("fd_prestat_get 3", __wasi_fd_prestat_get(3, &ps) == 0 && ps.tag == __WASI_PREOPENTYPE_DIR &&
                                  ps.u.dir.pr_name_len == 8);
    char name[16] = {0};
    check("fd_prestat_dir_name", __wasi_fd_prestat_dir_name(3, (uint8_t *)name, 8) == 0 &&
                                     strcmp(name, "/sandbox") == 0);
    check_errno2("fd_prestat_get stdout", __wasi_fd_prestat_get(1, &ps), __WASI_ERRNO_BADF, __WASI_ERRNO_INVAL);
    check_errno("fd_prestat_get past the end", __wasi_fd_prestat_get(4, &ps), __WASI_ERRNO_BADF);
}

/* Pointers outside linear memory: EFAULT, never a host crash (ward only:
 * node's answers differ between calls). */
static void test_bad_pointers(void)
{
    if (!strict_mode())
        return;
    uint8_t *far = (uint8_t *)(uintptr_t)0xfffffff0u;
    __wasi_size_t n;
    __wasi_ciovec_t iov = {far, 64};
    check_errno("fd_write iovec array out of bounds", __wasi_fd_write(1, (const __wasi_ciovec_t *)far, 4, &n),
                __WASI_ERRNO_FAULT);
    check_errno("fd_write buffer out of bounds", __wasi_fd_write(1, &iov, 1, &n), __WASI_ERRNO_FAULT);
    check_errno("fd_write result out of bounds", __wasi_fd_write(1, &iov, 0, (__wasi_size_t *)far),
                __WASI_ERRNO_FAULT);
    check_errno("random_get out of bounds", __wasi_random_get(far, 32), __WASI_ERRNO_FAULT);
    check_errno("args_sizes_get out of bounds", __wasi_args_sizes_get((__wasi_size_t *)far, &n), __WASI_ERRNO_FAULT);
    check_errno("clock_time_get out of bounds",
                __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, (__wasi_timestamp_t *)far), __WASI_ERRNO_FAULT);
    check_errno("fd_prestat_dir_name out of bounds", __wasi_fd_prestat_dir_name(3, far, 100), __WASI_ERRNO_FAULT);
}

int main(int argc, char **argv)
{
    test_args(argc, argv);
    test_environ();
    test_clocks();
    test_random();
    test_stdio();
    test_prestat();
    test_bad_pointers();
    /* Signal 0 is "none": nothing to raise either way; ward declines all
     * signals (ENOSYS) so a guest cannot kill its host. */
    int r = raw_proc_raise(0);
    check("proc_raise answers", r == 0 || r == __WASI_ERRNO_NOSYS);
    int failed = check_done("basic");
    /* proc_exit with a code the runner checks: 0 -> 10, failures -> 11. */
    exit(failed ? 11 : 10);
}
