/* WASI preview 1: the context shared by wasi*.c.  Public API in ward.h. */
#ifndef WARD_HOST_WASI_H
#define WARD_HOST_WASI_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../../include/ward.h"

struct iovec;
struct msghdr;

/* errno values of preview 1 (witx order). */
enum {
    WASI_ESUCCESS = 0, WASI_E2BIG = 1, WASI_EACCES = 2, WASI_EAGAIN = 6, WASI_EBADF = 8,
    WASI_EBUSY = 10, WASI_ECONNRESET = 15, WASI_EEXIST = 20, WASI_EFAULT = 21, WASI_EFBIG = 22,
    WASI_EILSEQ = 25, WASI_EINTR = 27, WASI_EINVAL = 28, WASI_EIO = 29, WASI_EISDIR = 31,
    WASI_ELOOP = 32, WASI_EMFILE = 33, WASI_EMLINK = 34, WASI_ENAMETOOLONG = 37, WASI_ENFILE = 41,
    WASI_ENOBUFS = 42, WASI_ENODEV = 43, WASI_ENOENT = 44, WASI_ENOMEM = 48, WASI_ENOSPC = 51,
    WASI_ENOSYS = 52, WASI_ENOTCONN = 53, WASI_ENOTDIR = 54, WASI_ENOTEMPTY = 55,
    WASI_ENOTSOCK = 57, WASI_ENOTSUP = 58, WASI_ENOTTY = 59, WASI_ENXIO = 60, WASI_EOVERFLOW = 61,
    WASI_EPERM = 63, WASI_EPIPE = 64, WASI_ERANGE = 68, WASI_EROFS = 69, WASI_ESPIPE = 70,
    WASI_ETIMEDOUT = 73, WASI_ETXTBSY = 74, WASI_EXDEV = 75, WASI_ENOTCAPABLE = 76,
};

/* filetype */
enum {
    WASI_FILETYPE_UNKNOWN = 0, WASI_FILETYPE_BLOCK_DEVICE = 1, WASI_FILETYPE_CHARACTER_DEVICE = 2,
    WASI_FILETYPE_DIRECTORY = 3, WASI_FILETYPE_REGULAR_FILE = 4, WASI_FILETYPE_SOCKET_DGRAM = 5,
    WASI_FILETYPE_SOCKET_STREAM = 6, WASI_FILETYPE_SYMBOLIC_LINK = 7,
};

/* rights bits */
#define WASI_RIGHT(n) ((uint64_t)1 << (n))
enum {
    WASI_R_FD_DATASYNC = 0, WASI_R_FD_READ, WASI_R_FD_SEEK, WASI_R_FD_FDSTAT_SET_FLAGS,
    WASI_R_FD_SYNC, WASI_R_FD_TELL, WASI_R_FD_WRITE, WASI_R_FD_ADVISE, WASI_R_FD_ALLOCATE,
    WASI_R_PATH_CREATE_DIRECTORY, WASI_R_PATH_CREATE_FILE, WASI_R_PATH_LINK_SOURCE,
    WASI_R_PATH_LINK_TARGET, WASI_R_PATH_OPEN, WASI_R_FD_READDIR, WASI_R_PATH_READLINK,
    WASI_R_PATH_RENAME_SOURCE, WASI_R_PATH_RENAME_TARGET, WASI_R_PATH_FILESTAT_GET,
    WASI_R_PATH_FILESTAT_SET_SIZE, WASI_R_PATH_FILESTAT_SET_TIMES, WASI_R_FD_FILESTAT_GET,
    WASI_R_FD_FILESTAT_SET_SIZE, WASI_R_FD_FILESTAT_SET_TIMES, WASI_R_PATH_SYMLINK,
    WASI_R_PATH_REMOVE_DIRECTORY, WASI_R_PATH_UNLINK_FILE, WASI_R_POLL_FD_READWRITE,
    WASI_R_SOCK_SHUTDOWN, WASI_R_SOCK_ACCEPT,
};
#define WASI_RIGHTS_ALL (WASI_RIGHT(WASI_R_SOCK_ACCEPT + 1) - 1)
/* Rights a directory never holds: it has no file offset (fd_seek and fd_tell
 * on one fail, and fd_fdstat_get must not claim them). */
#define WASI_OFFSET_RIGHTS (WASI_RIGHT(WASI_R_FD_SEEK) | WASI_RIGHT(WASI_R_FD_TELL))

/* fdflags */
enum { WASI_FDFLAG_APPEND = 1, WASI_FDFLAG_DSYNC = 2, WASI_FDFLAG_NONBLOCK = 4,
       WASI_FDFLAG_RSYNC = 8, WASI_FDFLAG_SYNC = 16 };

/* One guest descriptor. */
typedef struct wasi_fd {
    bool open;
    int host;                 /* host file descriptor */
    uint8_t filetype;
    bool preopen;             /* a --dir directory: has a guest name */
    char *guest_name;         /* preopens only */
    uint64_t rights_base;
    uint64_t rights_inheriting;
    void *dir_stream;         /* fd_readdir: a host DIR* on a dup, or NULL */
    uint64_t dir_cookie;      /* the cookie dir_stream stands at */
} wasi_fd;

typedef struct wasi_waiter wasi_waiter;
typedef int (*wasi_impl)(ward_wasi *w, ward_memory *mem, const ward_val *args);
typedef int (*wasi_blocking_impl)(ward_wasi *w, ward_memory *mem, const ward_val *args, const wasi_waiter *wt);

/* The two import modules ward serves: preview 1, and the older snapshot
 * wasi_unstable ("snapshot 0"), whose ABI differs in a few layouts (fd_seek's
 * whence numbering, filestat with a 32-bit nlink, the clock subscription of
 * poll_oneoff) and which has no sock_accept. */
typedef enum wasi_abi { WASI_ABI_PREVIEW1 = 0, WASI_ABI_UNSTABLE = 1, WASI_NABIS } wasi_abi;

/* The env of each host function: which one, and its context. */
typedef struct wasi_binding {
    ward_wasi *wasi;
    unsigned index;           /* into the function table of wasi.c */
    wasi_abi abi;
    wasi_impl impl;           /* its implementation in this ABI, or */
    wasi_blocking_impl blocking; /* for a call that may block, this one */
} wasi_binding;

#define WASI_NFUNCS 46

/*
 * One ward_wasi may serve several threads (wasi-threads): `lock` is held
 * for the whole of every WASI call, so the descriptor table, the exit
 * record and the virtual clock change under it.  A call that may block
 * (reads, writes, poll, accept, recv, send) releases it around the
 * blocking system call only (wasi_blocking_begin/_end), after copying
 * what it needs from the table: other threads' calls go on meanwhile.
 */
struct ward_wasi {
    pthread_mutex_t lock;
    char **argv;
    int argc;
    char **env;
    int envc;
    wasi_fd *fds;
    uint32_t nfds;
    ward_memory *memory;     /* ward_wasi_bind_instance: only for calls the host makes
                              * itself; guest calls use their caller's memory */
    bool no_openat2;
    bool deterministic;  /* virtual clock and seeded random (docs/determinism.md) */
    uint64_t virtual_ns;
    uint64_t clock_step_ns;
    uint64_t rng_state;
    bool exited;
    int exit_code;
    wasi_binding bindings[WASI_NABIS][WASI_NFUNCS];
};

/* An implementation: arguments in, errno out.  mem is the calling
 * instance's memory (NULL when it has none: guest pointers then give
 * EFAULT).  WASI_TRAP_EXIT asks the trampoline to end the run (proc_exit). */
#define WASI_TRAP_EXIT (-1)

/* A call that may block waits with the caller's context (ward_caller_poll),
 * so an interrupt or the store's deadline ends it: the implementation then
 * returns WASI_TRAP_STOP with *trap filled, and the trampoline traps. */
#define WASI_TRAP_STOP (-2)
struct wasi_waiter {
    const ward_caller *caller;
    ward_trap *trap;
};

/* ---- helpers (wasi.c) ---- */
/* Around a system call that may block: no table entry may be used between
 * the two (copy the host descriptor first: the table may change). */
void wasi_blocking_begin(ward_wasi *w);
void wasi_blocking_end(ward_wasi *w);

/* ---- blocking I/O (wasi_io.c), between wasi_blocking_begin and _end ---- */
/* Wait until host descriptor fd is ready for events (POLLIN, POLLOUT) or
 * in error: WASI_ESUCCESS, WASI_TRAP_STOP (the call must stop), or an errno. */
int wasi_wait_fd(const wasi_waiter *wt, int fd, short events);
/* recvmsg(flags) on a socket, readv of msg's buffers on anything else, and
 * writev / sendmsg of v[0..n): waiting first (interruptibly) where the
 * descriptor may block and is not non-blocking (wt NULL: never), sockets
 * with MSG_NOSIGNAL and pipes under a SIGPIPE guard.  Bytes done, or -1
 * with *err a WASI errno or WASI_TRAP_STOP. */
ssize_t wasi_read_stream(const wasi_waiter *wt, int fd, uint8_t filetype, struct msghdr *msg, int flags, int *err);
ssize_t wasi_write_stream(const wasi_waiter *wt, int fd, uint8_t filetype, struct iovec *v, int n, int *err);
/* The guest bytes [ptr, ptr+len), or NULL (the caller returns EFAULT). */
uint8_t *wasi_span(ward_memory *mem, uint32_t ptr, uint64_t len);
/* Store little-endian values at a guest address; false when out of bounds. */
bool wasi_store_u32(ward_memory *mem, uint32_t ptr, uint32_t v);
bool wasi_store_u64(ward_memory *mem, uint32_t ptr, uint64_t v);
void wasi_put_u16(uint8_t *p, uint16_t v);
void wasi_put_u32(uint8_t *p, uint32_t v);
void wasi_put_u64(uint8_t *p, uint64_t v);
uint32_t wasi_get_u32(const uint8_t *p);
uint64_t wasi_get_u64(const uint8_t *p);
/* Host errno -> WASI errno (table). */
int wasi_errno(int host_errno);
/* The descriptor fd when open and holding every right in `need`, else NULL
 * with *err = EBADF or ENOTCAPABLE. */
wasi_fd *wasi_fd_get(ward_wasi *w, uint32_t fd, uint64_t need, int *err);
/* A free slot (growing the table); NULL when out of memory or too many. */
int wasi_fd_alloc(ward_wasi *w, uint32_t *out);
void wasi_fd_release(wasi_fd *f);
uint8_t wasi_filetype_of_mode(unsigned mode);
/* fdflags -> host O_* flags. */
int wasi_fdflags_to_host(uint32_t flags);
/* The size of a filestat (64 bytes; 56 in wasi_unstable, whose nlink is
 * 32 bits), and one written for a host stat. */
uint32_t wasi_filestat_size(wasi_abi abi);
void wasi_put_filestat(uint8_t *out, const void *host_stat, wasi_abi abi);

/* ---- implementations ---- */
int wasi_fd_advise(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_fd_allocate(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_fd_close(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_fd_datasync(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_fd_fdstat_get(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_fd_fdstat_set_flags(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_fd_fdstat_set_rights(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_fd_filestat_get(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_fd_filestat_set_size(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_fd_filestat_set_times(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_fd_pread(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_fd_prestat_get(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_fd_prestat_dir_name(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_fd_pwrite(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_fd_read(ward_wasi *w, ward_memory *mem, const ward_val *a, const wasi_waiter *wt);
int wasi_fd_readdir(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_fd_renumber(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_fd_seek(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_fd_sync(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_fd_tell(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_fd_write(ward_wasi *w, ward_memory *mem, const ward_val *a, const wasi_waiter *wt);
int wasi_path_create_directory(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_path_filestat_get(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_path_filestat_set_times(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_path_link(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_path_open(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_path_readlink(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_path_remove_directory(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_path_rename(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_path_symlink(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_path_unlink_file(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_poll_oneoff(ward_wasi *w, ward_memory *mem, const ward_val *a, const wasi_waiter *wt);
int wasi_sock_accept(ward_wasi *w, ward_memory *mem, const ward_val *a, const wasi_waiter *wt);
int wasi_sock_recv(ward_wasi *w, ward_memory *mem, const ward_val *a, const wasi_waiter *wt);
int wasi_sock_send(ward_wasi *w, ward_memory *mem, const ward_val *a, const wasi_waiter *wt);
int wasi_sock_shutdown(ward_wasi *w, ward_memory *mem, const ward_val *a);
/* wasi_unstable's own versions where its ABI differs from preview 1's. */
int wasi_fd_fdstat_get_unstable(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_fd_filestat_get_unstable(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_fd_seek_unstable(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_path_filestat_get_unstable(ward_wasi *w, ward_memory *mem, const ward_val *a);
int wasi_poll_oneoff_unstable(ward_wasi *w, ward_memory *mem, const ward_val *a, const wasi_waiter *wt);

/* Timestamps for fd/path_filestat_set_times: fstflags -> two timespecs. */
int wasi_times_from_flags(uint64_t atim, uint64_t mtim, uint32_t fstflags, void *timespec2);

/* Gather/scatter helpers for fd_read/fd_write/sock_*: build host iovecs from
 * a guest iovec array; NULL-free on failure.  *n is the count. */
int wasi_iovecs(ward_memory *mem, uint32_t iovs, uint32_t iovs_len, void **out);

#endif
