/* WASI preview 1: the context, registration, guest-memory helpers, errno
 * mapping, args/environ, clocks, random, proc and sched. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../common/util.h"
#include "wasi.h"

/* ---- guest memory ------------------------------------------------------ */

uint8_t *wasi_span(ward_memory *mem, uint32_t ptr, uint64_t len)
{
    return ward_memory_span(mem, ptr, len);
}

void wasi_put_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

void wasi_put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

void wasi_put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

uint32_t wasi_get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t wasi_get_u64(const uint8_t *p)
{
    return (uint64_t)wasi_get_u32(p) | (uint64_t)wasi_get_u32(p + 4) << 32;
}

bool wasi_store_u32(ward_memory *mem, uint32_t ptr, uint32_t v)
{
    uint8_t *p = wasi_span(mem, ptr, 4);
    if (p)
        wasi_put_u32(p, v);
    return p != NULL;
}

bool wasi_store_u64(ward_memory *mem, uint32_t ptr, uint64_t v)
{
    uint8_t *p = wasi_span(mem, ptr, 8);
    if (p)
        wasi_put_u64(p, v);
    return p != NULL;
}

/* ---- errno ------------------------------------------------------------- */

typedef struct errno_pair {
    int host;
    int wasi;
} errno_pair;

static const errno_pair errno_table[] = {
    {E2BIG, WASI_E2BIG}, {EACCES, WASI_EACCES}, {EAGAIN, WASI_EAGAIN}, {EBADF, WASI_EBADF},
    {EBUSY, WASI_EBUSY}, {ECONNRESET, WASI_ECONNRESET}, {EEXIST, WASI_EEXIST},
    {EFAULT, WASI_EFAULT}, {EFBIG, WASI_EFBIG}, {EILSEQ, WASI_EILSEQ}, {EINTR, WASI_EINTR},
    {EINVAL, WASI_EINVAL}, {EIO, WASI_EIO}, {EISDIR, WASI_EISDIR}, {ELOOP, WASI_ELOOP},
    {EMFILE, WASI_EMFILE}, {EMLINK, WASI_EMLINK}, {ENAMETOOLONG, WASI_ENAMETOOLONG},
    {ENFILE, WASI_ENFILE}, {ENOBUFS, WASI_ENOBUFS}, {ENODEV, WASI_ENODEV}, {ENOENT, WASI_ENOENT},
    {ENOMEM, WASI_ENOMEM}, {ENOSPC, WASI_ENOSPC}, {ENOSYS, WASI_ENOSYS}, {ENOTCONN, WASI_ENOTCONN},
    {ENOTDIR, WASI_ENOTDIR}, {ENOTEMPTY, WASI_ENOTEMPTY}, {ENOTSOCK, WASI_ENOTSOCK},
    {ENOTSUP, WASI_ENOTSUP}, {ENOTTY, WASI_ENOTTY}, {ENXIO, WASI_ENXIO},
    {EOVERFLOW, WASI_EOVERFLOW}, {EPERM, WASI_EPERM}, {EPIPE, WASI_EPIPE}, {ERANGE, WASI_ERANGE},
    {EROFS, WASI_EROFS}, {ESPIPE, WASI_ESPIPE}, {ETIMEDOUT, WASI_ETIMEDOUT},
    {ETXTBSY, WASI_ETXTBSY}, {EXDEV, WASI_EXDEV},
};

int wasi_errno(int host_errno)
{
    for (size_t i = 0; i < sizeof errno_table / sizeof errno_table[0]; i++)
        if (errno_table[i].host == host_errno)
            return errno_table[i].wasi;
    return WASI_EIO;
}

/* ---- args and environ ---------------------------------------------------- */

/* argv/environ layout: count and total bytes (NUL included). */
static int strings_sizes(ward_memory *mem, char **list, int n, uint32_t count_ptr, uint32_t size_ptr)
{
    uint64_t bytes = 0;
    for (int i = 0; i < n; i++)
        bytes += strlen(list[i]) + 1;
    if (bytes > UINT32_MAX)
        return WASI_E2BIG;
    if (!wasi_store_u32(mem, count_ptr, (uint32_t)n) || !wasi_store_u32(mem, size_ptr, (uint32_t)bytes))
        return WASI_EFAULT;
    return WASI_ESUCCESS;
}

/* Pointers into ptrs[], the strings themselves packed at buf. */
static int strings_get(ward_memory *mem, char **list, int n, uint32_t ptrs, uint32_t buf)
{
    uint64_t at = buf;
    for (int i = 0; i < n; i++) {
        size_t len = strlen(list[i]) + 1;
        uint64_t slot = (uint64_t)ptrs + 4u * (uint64_t)i;
        if (at > UINT32_MAX || slot > UINT32_MAX)
            return WASI_EFAULT;
        uint8_t *dst = wasi_span(mem, (uint32_t)at, len);
        if (!dst || !wasi_store_u32(mem, (uint32_t)slot, (uint32_t)at))
            return WASI_EFAULT;
        memcpy(dst, list[i], len);
        at += len;
    }
    return WASI_ESUCCESS;
}

static int wasi_args_sizes_get(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    return strings_sizes(mem, w->argv, w->argc, a[0].of.i32, a[1].of.i32);
}

static int wasi_args_get(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    return strings_get(mem, w->argv, w->argc, a[0].of.i32, a[1].of.i32);
}

static int wasi_environ_sizes_get(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    return strings_sizes(mem, w->env, w->envc, a[0].of.i32, a[1].of.i32);
}

static int wasi_environ_get(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    return strings_get(mem, w->env, w->envc, a[0].of.i32, a[1].of.i32);
}

/* ---- clocks, random, proc, sched ---------------------------------------- */

/* clockid: realtime, monotonic, process_cputime_id, thread_cputime_id. */
static const clockid_t clock_ids[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID,
                                      CLOCK_THREAD_CPUTIME_ID};

static bool host_clock(uint32_t id, clockid_t *out)
{
    if (id >= sizeof clock_ids / sizeof clock_ids[0])
        return false;
    *out = clock_ids[id];
    return true;
}

static uint64_t timespec_ns(const struct timespec *ts)
{
    return (uint64_t)ts->tv_sec * 1000000000u + (uint64_t)ts->tv_nsec;
}

static int wasi_clock_res_get(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    clockid_t id;
    struct timespec ts;
    if (!host_clock(a[0].of.i32, &id))
        return WASI_EINVAL;
    if (w->deterministic)
        return wasi_store_u64(mem, a[1].of.i32, w->clock_step_ns) ? WASI_ESUCCESS : WASI_EFAULT;
    if (clock_getres(id, &ts) != 0)
        return wasi_errno(errno);
    return wasi_store_u64(mem, a[1].of.i32, timespec_ns(&ts)) ? WASI_ESUCCESS : WASI_EFAULT;
}

static int wasi_clock_time_get(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    clockid_t id;
    struct timespec ts;
    if (!host_clock(a[0].of.i32, &id))
        return WASI_EINVAL;
    if (w->deterministic) {
        if (!wasi_store_u64(mem, a[2].of.i32, w->virtual_ns))
            return WASI_EFAULT;
        w->virtual_ns += w->clock_step_ns;
        return WASI_ESUCCESS;
    }
    if (clock_gettime(id, &ts) != 0)
        return wasi_errno(errno);
    return wasi_store_u64(mem, a[2].of.i32, timespec_ns(&ts)) ? WASI_ESUCCESS : WASI_EFAULT;
}

/* splitmix64: a fast, well-mixed sequence from a seed.  Reproducible by
 * design, so NOT cryptographic. */
static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void seeded_random(ward_wasi *w, uint8_t *buf, uint32_t len)
{
    for (uint32_t i = 0; i < len; i += 8) {
        uint8_t bytes[8];
        wasi_put_u64(bytes, splitmix64(&w->rng_state));
        memcpy(buf + i, bytes, len - i < 8 ? len - i : 8);
    }
}

static int wasi_random_get(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    uint32_t len = a[1].of.i32;
    uint8_t *buf = wasi_span(mem, a[0].of.i32, len);
    if (!buf)
        return WASI_EFAULT;
    if (w->deterministic) {
        seeded_random(w, buf, len);
        return WASI_ESUCCESS;
    }
    for (uint32_t done = 0; done < len;) {
        ssize_t n = getrandom(buf + done, len - done, 0);
        if (n < 0 && errno != EINTR)
            return wasi_errno(errno);
        if (n > 0)
            done += (uint32_t)n;
    }
    return WASI_ESUCCESS;
}

/* The first exit decides the code, when several threads exit at once. */
static int wasi_proc_exit(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    (void)mem;
    if (!w->exited) {
        w->exited = true;
        w->exit_code = (int)a[0].of.i32;
    }
    return WASI_TRAP_EXIT;
}

/* Raising a real signal in the host would let the guest kill its embedder;
 * wasmtime also refuses. */
static int wasi_proc_raise(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    (void)mem;
    (void)w;
    (void)a;
    return WASI_ENOSYS;
}

static int wasi_sched_yield(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    (void)mem;
    (void)a;
    wasi_blocking_begin(w); /* let other threads' WASI calls in meanwhile */
    sched_yield();
    wasi_blocking_end(w);
    return WASI_ESUCCESS;
}

/* ---- the function table ------------------------------------------------- */

typedef struct wasi_func_info {
    const char *name;
    const char *params;       /* 'i' i32, 'I' i64 */
    bool returns_errno;       /* all but proc_exit */
    wasi_impl impl;           /* NULL: one of wasi_blocking_funcs */
} wasi_func_info;

static const wasi_func_info wasi_funcs[WASI_NFUNCS] = {
    {"args_get", "ii", true, wasi_args_get},
    {"args_sizes_get", "ii", true, wasi_args_sizes_get},
    {"environ_get", "ii", true, wasi_environ_get},
    {"environ_sizes_get", "ii", true, wasi_environ_sizes_get},
    {"clock_res_get", "ii", true, wasi_clock_res_get},
    {"clock_time_get", "iIi", true, wasi_clock_time_get},
    {"fd_advise", "iIIi", true, wasi_fd_advise},
    {"fd_allocate", "iII", true, wasi_fd_allocate},
    {"fd_close", "i", true, wasi_fd_close},
    {"fd_datasync", "i", true, wasi_fd_datasync},
    {"fd_fdstat_get", "ii", true, wasi_fd_fdstat_get},
    {"fd_fdstat_set_flags", "ii", true, wasi_fd_fdstat_set_flags},
    {"fd_fdstat_set_rights", "iII", true, wasi_fd_fdstat_set_rights},
    {"fd_filestat_get", "ii", true, wasi_fd_filestat_get},
    {"fd_filestat_set_size", "iI", true, wasi_fd_filestat_set_size},
    {"fd_filestat_set_times", "iIIi", true, wasi_fd_filestat_set_times},
    {"fd_pread", "iiiIi", true, wasi_fd_pread},
    {"fd_prestat_get", "ii", true, wasi_fd_prestat_get},
    {"fd_prestat_dir_name", "iii", true, wasi_fd_prestat_dir_name},
    {"fd_pwrite", "iiiIi", true, wasi_fd_pwrite},
    {"fd_read", "iiii", true, NULL},
    {"fd_readdir", "iiiIi", true, wasi_fd_readdir},
    {"fd_renumber", "ii", true, wasi_fd_renumber},
    {"fd_seek", "iIii", true, wasi_fd_seek},
    {"fd_sync", "i", true, wasi_fd_sync},
    {"fd_tell", "ii", true, wasi_fd_tell},
    {"fd_write", "iiii", true, NULL},
    {"path_create_directory", "iii", true, wasi_path_create_directory},
    {"path_filestat_get", "iiiii", true, wasi_path_filestat_get},
    {"path_filestat_set_times", "iiiiIIi", true, wasi_path_filestat_set_times},
    {"path_link", "iiiiiii", true, wasi_path_link},
    {"path_open", "iiiiiIIii", true, wasi_path_open},
    {"path_readlink", "iiiiii", true, wasi_path_readlink},
    {"path_remove_directory", "iii", true, wasi_path_remove_directory},
    {"path_rename", "iiiiii", true, wasi_path_rename},
    {"path_symlink", "iiiii", true, wasi_path_symlink},
    {"path_unlink_file", "iii", true, wasi_path_unlink_file},
    {"poll_oneoff", "iiii", true, NULL},
    {"proc_exit", "i", false, wasi_proc_exit},
    {"proc_raise", "i", true, wasi_proc_raise},
    {"sched_yield", "", true, wasi_sched_yield},
    {"random_get", "ii", true, wasi_random_get},
    {"sock_accept", "iii", true, NULL},
    {"sock_recv", "iiiiii", true, NULL},
    {"sock_send", "iiiii", true, NULL},
    {"sock_shutdown", "ii", true, wasi_sock_shutdown},
};

/* wasi_unstable (snapshot 0): the same functions but these, whose layouts
 * or numbering differ (phases/old/snapshot_0 in the WASI repository; the
 * blocking poll_oneoff is in the table below).  A NULL implementation
 * marks a function snapshot 0 does not have. */
static const struct {
    const char *name;
    wasi_impl impl;
} wasi_unstable_funcs[] = {
    {"fd_fdstat_get", wasi_fd_fdstat_get_unstable},   /* no sock_accept right */
    {"fd_filestat_get", wasi_fd_filestat_get_unstable}, {"path_filestat_get", wasi_path_filestat_get_unstable},
    {"fd_seek", wasi_fd_seek_unstable},               /* whence cur, end, set */
    {"sock_accept", NULL},
};

/* Row i of the function table in abi: its implementation (NULL for a
 * blocking one, which the binding holds); false when abi lacks it. */
static bool impl_for(wasi_abi abi, unsigned i, wasi_impl *out)
{
    *out = wasi_funcs[i].impl;
    for (size_t k = 0; abi == WASI_ABI_UNSTABLE && k < sizeof wasi_unstable_funcs / sizeof wasi_unstable_funcs[0]; k++)
        if (strcmp(wasi_unstable_funcs[k].name, wasi_funcs[i].name) == 0)
            return (*out = wasi_unstable_funcs[k].impl) != NULL;
    return true;
}

/* The calls that may block, which wait with the caller's context. */
static const struct {
    const char *name;
    wasi_blocking_impl impl[WASI_NABIS]; /* preview 1's, wasi_unstable's */
} wasi_blocking_funcs[] = {
    {"fd_read", {wasi_fd_read, wasi_fd_read}},
    {"fd_write", {wasi_fd_write, wasi_fd_write}},
    {"poll_oneoff", {wasi_poll_oneoff, wasi_poll_oneoff_unstable}},
    {"sock_accept", {wasi_sock_accept, NULL}},
    {"sock_recv", {wasi_sock_recv, wasi_sock_recv}},
    {"sock_send", {wasi_sock_send, wasi_sock_send}},
};

static wasi_blocking_impl blocking_impl_of(const char *name, wasi_abi abi)
{
    for (size_t i = 0; i < sizeof wasi_blocking_funcs / sizeof wasi_blocking_funcs[0]; i++)
        if (strcmp(wasi_blocking_funcs[i].name, name) == 0)
            return wasi_blocking_funcs[i].impl[abi];
    return NULL;
}

/* The memory a WASI call reads and writes: the calling instance's export
 * "memory" (else its memory 0), so instances sharing one ward_wasi (threads
 * sharing a memory, or several modules) each use their own.  When the host
 * itself calls the function (ward_call, no calling instance), the memory of
 * the instance given to ward_wasi_bind_instance. */
static ward_memory *call_memory(const ward_wasi *w, const ward_caller *caller)
{
    if (ward_caller_instance(caller))
        return ward_caller_memory(caller);
    return w->memory;
}

void wasi_blocking_begin(ward_wasi *w)
{
    pthread_mutex_unlock(&w->lock);
}

void wasi_blocking_end(ward_wasi *w)
{
    pthread_mutex_lock(&w->lock);
}

/* Every WASI import lands here; env says which one. */
static ward_result wasi_trampoline(void *env, ward_caller *caller, const ward_val *args,
                                   ward_val *results, ward_trap *trap)
{
    wasi_binding *b = env;
    const wasi_func_info *info = &wasi_funcs[b->index];
    wasi_impl impl = b->impl;
    wasi_waiter wt = {caller, trap};
    pthread_mutex_lock(&b->wasi->lock);
    ward_memory *mem = call_memory(b->wasi, caller);
    int r = impl ? impl(b->wasi, mem, args) : b->blocking(b->wasi, mem, args, &wt);
    int exit_code = b->wasi->exit_code; /* the first exit's, when threads race */
    pthread_mutex_unlock(&b->wasi->lock);
    if (r == WASI_TRAP_STOP)
        return WARD_TRAP; /* interrupted or timed out while blocked: *trap says which */
    if (r == WASI_TRAP_EXIT) {
        trap->kind = WARD_TRAP_EXIT;
        trap->exit_code = exit_code;
        snprintf(trap->message, sizeof trap->message, "exit");
        return WARD_TRAP;
    }
    if (info->returns_errno)
        results[0] = ward_val_i32(r);
    return WARD_OK;
}

static ward_func *make_func(ward_wasi *w, ward_store *store, wasi_abi abi, unsigned i)
{
    const wasi_func_info *info = &wasi_funcs[i];
    ward_valkind params[16];
    size_t n = strlen(info->params);
    for (size_t k = 0; k < n; k++)
        params[k] = info->params[k] == 'I' ? WARD_I64 : WARD_I32;
    static const ward_valkind errno_result[1] = {WARD_I32};
    ward_functype type = {(uint32_t)n, info->returns_errno ? 1u : 0u, params, errno_result};
    return ward_func_new(store, &type, wasi_trampoline, &w->bindings[abi][i]);
}

ward_result ward_wasi_define(ward_wasi *w, ward_linker *linker, ward_store *store)
{
    if (!w || !linker || !store)
        return WARD_ERROR;
    static const char *const module_names[WASI_NABIS] = {"wasi_snapshot_preview1", "wasi_unstable"};
    for (unsigned abi = 0; abi < WASI_NABIS; abi++) {
        for (unsigned i = 0; i < WASI_NFUNCS; i++) {
            if (!w->bindings[abi][i].impl && !w->bindings[abi][i].blocking)
                continue; /* not in this snapshot */
            ward_func *f = make_func(w, store, abi, i);
            if (!f || ward_linker_define_func(linker, module_names[abi], wasi_funcs[i].name, f) != WARD_OK)
                return WARD_ERROR;
        }
    }
    return WARD_OK;
}

ward_result ward_wasi_bind_instance(ward_wasi *w, ward_instance *inst)
{
    if (!w || !inst)
        return WARD_ERROR;
    w->memory = ward_instance_memory(inst, "memory");
    return w->memory ? WARD_OK : WARD_ERROR;
}

bool ward_wasi_exit_code(const ward_wasi *w, const ward_trap *trap, int *code)
{
    if (!w || !trap || trap->kind != WARD_TRAP_EXIT)
        return false;
    /* the record is written under the lock by whichever thread exits */
    ward_wasi *locked = (ward_wasi *)w;
    pthread_mutex_lock(&locked->lock);
    bool exited = w->exited;
    if (exited && code)
        *code = w->exit_code;
    pthread_mutex_unlock(&locked->lock);
    return exited;
}

/* ---- lifetime ------------------------------------------------------------ */

void ward_wasi_config_default(ward_wasi_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->stdin_fd = 0;
    cfg->stdout_fd = 1;
    cfg->stderr_fd = 2;
}

static char **copy_strings(const char *const *src, int n)
{
    char **dst = wcalloc((size_t)n + 1, sizeof *dst);
    for (int i = 0; dst && i < n; i++) {
        dst[i] = strdup(src[i] ? src[i] : "");
        if (!dst[i]) {
            for (int k = 0; k < i; k++)
                free(dst[k]);
            free(dst);
            return NULL;
        }
    }
    return dst;
}

static void free_strings(char **list, int n)
{
    for (int i = 0; list && i < n; i++)
        free(list[i]);
    free(list);
}

/* Duplicate host fd `host` into guest slot `slot`; -1 leaves it closed. */
static bool add_stdio(ward_wasi *w, uint32_t slot, int host)
{
    if (host < 0)
        return true;
    int fd = fcntl(host, F_DUPFD_CLOEXEC, 3);
    if (fd < 0)
        return false;
    struct stat st;
    wasi_fd *f = &w->fds[slot];
    f->open = true;
    f->host = fd;
    f->filetype = fstat(fd, &st) == 0 ? wasi_filetype_of_mode(st.st_mode) : WASI_FILETYPE_UNKNOWN;
    f->rights_base = WASI_RIGHTS_ALL;
    f->rights_inheriting = WASI_RIGHTS_ALL;
    return true;
}

static bool add_preopen(ward_wasi *w, const ward_wasi_preopen *p, ward_error *err)
{
    uint32_t slot;
    int fd = open(p->host_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err->message, sizeof err->message, "cannot open directory %s: %s", p->host_path,
                 strerror(errno));
        return false;
    }
    char *name = strdup(p->guest_path ? p->guest_path : p->host_path);
    if (!name || wasi_fd_alloc(w, &slot) != WASI_ESUCCESS) {
        free(name);
        close(fd);
        snprintf(err->message, sizeof err->message, "out of memory");
        return false;
    }
    wasi_fd *f = &w->fds[slot];
    f->open = true;
    f->host = fd;
    f->filetype = WASI_FILETYPE_DIRECTORY;
    f->preopen = true;
    f->guest_name = name;
    f->rights_base = WASI_RIGHTS_ALL & ~WASI_OFFSET_RIGHTS;
    f->rights_inheriting = WASI_RIGHTS_ALL;
    return true;
}

/* What a socket handed in may do (wasmtime's --tcplisten gives the same). */
#define WASI_SOCKET_RIGHTS                                                                              \
    (WASI_RIGHT(WASI_R_FD_READ) | WASI_RIGHT(WASI_R_FD_WRITE) | WASI_RIGHT(WASI_R_FD_FDSTAT_SET_FLAGS) | \
     WASI_RIGHT(WASI_R_FD_FILESTAT_GET) | WASI_RIGHT(WASI_R_POLL_FD_READWRITE) |                        \
     WASI_RIGHT(WASI_R_SOCK_SHUTDOWN) | WASI_RIGHT(WASI_R_SOCK_ACCEPT))

static bool add_socket(ward_wasi *w, int host, ward_error *err)
{
    uint32_t slot;
    struct stat st;
    if (fstat(host, &st) != 0 || !S_ISSOCK(st.st_mode)) {
        snprintf(err->message, sizeof err->message, "descriptor %d is not a socket", host);
        return false;
    }
    int fd = fcntl(host, F_DUPFD_CLOEXEC, 3);
    if (fd < 0 || wasi_fd_alloc(w, &slot) != WASI_ESUCCESS) {
        if (fd >= 0)
            close(fd);
        snprintf(err->message, sizeof err->message, "cannot add socket %d", host);
        return false;
    }
    wasi_fd *f = &w->fds[slot];
    f->open = true;
    f->host = fd;
    f->filetype = WASI_FILETYPE_SOCKET_STREAM;
    f->rights_base = WASI_SOCKET_RIGHTS;
    return true;
}

static bool setup_fds(ward_wasi *w, const ward_wasi_config *cfg, ward_error *err)
{
    w->fds = wcalloc(3, sizeof *w->fds);
    if (!w->fds)
        return false;
    w->nfds = 3;
    if (!add_stdio(w, 0, cfg->stdin_fd) || !add_stdio(w, 1, cfg->stdout_fd) ||
        !add_stdio(w, 2, cfg->stderr_fd)) {
        snprintf(err->message, sizeof err->message, "cannot duplicate stdio: %s", strerror(errno));
        return false;
    }
    for (int i = 0; i < cfg->nsockets; i++)
        if (!add_socket(w, cfg->sockets[i], err))
            return false;
    for (int i = 0; i < cfg->npreopens; i++)
        if (!add_preopen(w, &cfg->preopens[i], err))
            return false;
    return true;
}

ward_wasi *ward_wasi_new(const ward_wasi_config *cfg, ward_error *err)
{
    ward_error scratch;
    if (!err)
        err = &scratch;
    werror_public_init(err, WARD_STAGE_WASI);
    snprintf(err->message, sizeof err->message, "out of memory");
    ward_wasi_config defaults;
    if (!cfg) {
        ward_wasi_config_default(&defaults);
        cfg = &defaults;
    }
    if (cfg->argc < 0 || cfg->envc < 0 || cfg->npreopens < 0 || cfg->nsockets < 0) {
        snprintf(err->message, sizeof err->message, "negative count in ward_wasi_config");
        err->stage = WARD_STAGE_ARGUMENT;
        return NULL;
    }
    ward_wasi *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    if (pthread_mutex_init(&w->lock, NULL) != 0) {
        free(w);
        return NULL;
    }
    w->argc = cfg->argc;
    w->envc = cfg->envc;
    w->no_openat2 = cfg->no_openat2;
    w->deterministic = cfg->deterministic;
    w->virtual_ns = cfg->clock_start_ns;
    w->clock_step_ns = cfg->clock_step_ns ? cfg->clock_step_ns : 1000000u;
    w->rng_state = cfg->random_seed;
    /* set once here, never by ward_wasi_define: wasi-threads defines the
     * functions in a new store while other threads' calls read these */
    for (unsigned abi = 0; abi < WASI_NABIS; abi++) {
        for (unsigned i = 0; i < WASI_NFUNCS; i++) {
            wasi_binding *b = &w->bindings[abi][i];
            *b = (wasi_binding){w, i, abi, NULL, blocking_impl_of(wasi_funcs[i].name, abi)};
            impl_for(abi, i, &b->impl);
        }
    }
    w->argv = copy_strings(cfg->argv, cfg->argc);
    w->env = copy_strings(cfg->env, cfg->envc);
    if (!w->argv || !w->env || !setup_fds(w, cfg, err)) {
        ward_wasi_free(w);
        return NULL;
    }
    return w;
}

void ward_wasi_free(ward_wasi *w)
{
    if (!w)
        return;
    for (uint32_t i = 0; i < w->nfds; i++)
        wasi_fd_release(&w->fds[i]);
    free(w->fds);
    free_strings(w->argv, w->argc);
    free_strings(w->env, w->envc);
    pthread_mutex_destroy(&w->lock);
    free(w);
}
