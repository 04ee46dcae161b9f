/*
 * A wasi-threads guest without libc (the installed wasi-libc has no
 * pthreads and is not built with atomics, so it cannot link into a
 * shared-memory module): its own spawn shim over `wasi` `thread-spawn`,
 * its own stacks, and WASI fd_write / proc_exit imported directly.
 *
 * Build: clang --target=wasm32-wasi -O2 -matomics -mbulk-memory -nostdlib
 *   -Wl,--import-memory,--shared-memory,--max-memory=1048576
 *   -Wl,--export=wasi_thread_start -Wl,--export=_start threads_guest.c
 *
 * NTHREADS threads each print "thread done" and sum a slice of f(i) = i*i mod 1000003 over
 * [0, N); each adds its part with an atomic add and counts itself done
 * with an atomic add + notify; _start waits with memory.atomic.wait32 until
 * all are done, checks the total against a sum computed on one thread and
 * exits 0 (printing it) when equal, 1 when not.
 *
 * Variants (-D): EXIT_FROM_THREAD, the last thread calls proc_exit(7)
 * while _start waits forever (the program must end with 7);
 * TRAP_IN_THREAD, the last thread traps (the program must end with it);
 * SPIN_IN_THREAD, the last thread loops forever (only a per-thread --fuel
 * or --timeout can end the program);
 * FILES_IN_THREADS, every thread first opens, writes and closes a file of
 * its own 200 times in the preopened directory (fd 3), all at once: the
 * descriptor table changes under every thread (exit 3 on a WASI error).
 */
#include <stdint.h>

#define WASI(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(name)))
typedef struct {
    const void *buf;
    uint32_t len;
} ciovec;
WASI("fd_write") int32_t fd_write(int32_t fd, const ciovec *iov, int32_t n, uint32_t *written);
WASI("proc_exit") _Noreturn void proc_exit(int32_t code);
WASI("path_open") int32_t path_open(int32_t dirfd, int32_t dirflags, const char *path, int32_t path_len,
                                    int32_t oflags, int64_t rights, int64_t inheriting, int32_t fdflags,
                                    int32_t *fd);
WASI("fd_close") int32_t fd_close(int32_t fd);
__attribute__((import_module("wasi"), import_name("thread-spawn"))) int32_t thread_spawn(void *arg);

#define NTHREADS 6
#define N 3000000u
#define STACK_SIZE 8192

typedef struct task {
    void *stack_top; /* first field: wasi_thread_start reads it before C runs */
    uint32_t lo, hi;
    int32_t tid;
} task;

static _Alignas(16) uint8_t stacks[NTHREADS][STACK_SIZE];
static task tasks[NTHREADS];
static uint64_t total;  /* atomic adds only */
static int32_t finished; /* atomic adds only; _start waits on it */

static uint64_t f(uint32_t i)
{
    return (uint64_t)i * i % 1000003u;
}

static uint64_t sum_range(uint32_t lo, uint32_t hi)
{
    uint64_t s = 0;
    for (uint32_t i = lo; i < hi; i++)
        s += f(i);
    return s;
}

static void write_str(const char *s, uint32_t len)
{
    ciovec iov = {s, len};
    uint32_t n;
    fd_write(1, &iov, 1, &n);
}

#ifdef FILES_IN_THREADS
/* Open (create, truncate), write one line, close: 200 times. */
static void churn_files(const task *t)
{
    char name[] = "file-?.txt";
    name[5] = (char)('a' + (t - tasks));
    for (int k = 0; k < 200; k++) {
        int32_t fd;
        uint32_t n;
        ciovec iov = {name, sizeof name - 1};
        if (path_open(3, 0, name, sizeof name - 1, 1 | 8, (1 << 6) /* fd_write */, 0, 0, &fd) != 0 ||
            fd_write(fd, &iov, 1, &n) != 0 || n != sizeof name - 1 || fd_close(fd) != 0)
            proc_exit(3);
    }
}
#endif

__attribute__((noinline)) static void thread_body(task *t)
{
#ifdef FILES_IN_THREADS
    churn_files(t);
#endif
#if defined(EXIT_FROM_THREAD) || defined(TRAP_IN_THREAD) || defined(SPIN_IN_THREAD)
    if (t == &tasks[NTHREADS - 1]) {
#if defined(EXIT_FROM_THREAD)
        proc_exit(7);
#elif defined(TRAP_IN_THREAD)
        __builtin_trap();
#else
        for (volatile uint32_t spins = 0;; spins++)
            ;
#endif
    }
#endif
    /* WASI from several threads while _start may still be spawning (and
     * defining WASI in new stores): the race TSan once found */
    write_str("thread done\n", 12);
    __atomic_fetch_add(&total, sum_range(t->lo, t->hi), __ATOMIC_SEQ_CST);
    __atomic_fetch_add(&finished, 1, __ATOMIC_SEQ_CST);
    __builtin_wasm_memory_atomic_notify(&finished, 1);
}

/* Every instance starts with the module's __stack_pointer: move this
 * thread's onto its own stack before any C code uses it. */
__attribute__((export_name("wasi_thread_start"))) void wasi_thread_start(int32_t tid, task *t)
{
    __asm__ volatile("local.get %0\n"
                     "i32.load 0\n"
                     "global.set __stack_pointer"
                     :
                     : "r"(t));
    t->tid = tid;
    thread_body(t);
}

static void write_u64(const char *label, uint32_t label_len, uint64_t v)
{
    char buf[24];
    int i = sizeof buf;
    buf[--i] = '\n';
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    write_str(label, label_len);
    write_str(buf + i, (uint32_t)(sizeof buf - (unsigned)i));
}

__attribute__((export_name("_start"))) void _start(void)
{
    for (int k = 0; k < NTHREADS; k++) {
        tasks[k].stack_top = stacks[k] + STACK_SIZE;
        tasks[k].lo = N / NTHREADS * (uint32_t)k;
        tasks[k].hi = k == NTHREADS - 1 ? N : N / NTHREADS * (uint32_t)(k + 1);
        if (thread_spawn(&tasks[k]) <= 0) {
            write_str("spawn failed\n", 13);
            proc_exit(2);
        }
    }
    int32_t done;
    while ((done = __atomic_load_n(&finished, __ATOMIC_SEQ_CST)) < NTHREADS)
        __builtin_wasm_memory_atomic_wait32(&finished, done, -1);
    uint64_t want = sum_range(0, N);
    uint64_t got = __atomic_load_n(&total, __ATOMIC_SEQ_CST);
    write_u64("threads: ", 9, NTHREADS);
    write_u64("total: ", 7, got);
    proc_exit(got == want ? 0 : 1);
}
