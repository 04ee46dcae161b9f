/* WASI preview 1: the descriptor table and the fd_* functions. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "../common/util.h"
#include "wasi.h"

/* More descriptors than a guest may hold (the host's own limit applies too). */
#define WASI_MAX_FDS 65536u

/* ---- the table ------------------------------------------------------------ */

wasi_fd *wasi_fd_get(ward_wasi *w, uint32_t fd, uint64_t need, int *err)
{
    if (fd >= w->nfds || !w->fds[fd].open) {
        *err = WASI_EBADF;
        return NULL;
    }
    if ((w->fds[fd].rights_base & need) != need) {
        *err = WASI_ENOTCAPABLE;
        return NULL;
    }
    return &w->fds[fd];
}

int wasi_fd_alloc(ward_wasi *w, uint32_t *out)
{
    for (uint32_t i = 0; i < w->nfds; i++) {
        if (!w->fds[i].open) {
            memset(&w->fds[i], 0, sizeof w->fds[i]);
            *out = i;
            return WASI_ESUCCESS;
        }
    }
    if (w->nfds >= WASI_MAX_FDS)
        return WASI_EMFILE;
    wasi_fd *grown = realloc(w->fds, ((size_t)w->nfds + 1) * sizeof *grown);
    if (!grown)
        return WASI_ENOMEM;
    w->fds = grown;
    memset(&w->fds[w->nfds], 0, sizeof w->fds[w->nfds]);
    *out = w->nfds++;
    return WASI_ESUCCESS;
}

void wasi_fd_release(wasi_fd *f)
{
    if (!f->open)
        return;
    if (f->dir_stream)
        closedir(f->dir_stream);
    close(f->host);
    free(f->guest_name);
    memset(f, 0, sizeof *f);
}

uint8_t wasi_filetype_of_mode(unsigned mode)
{
    switch (mode & S_IFMT) {
    case S_IFBLK:
        return WASI_FILETYPE_BLOCK_DEVICE;
    case S_IFCHR:
        return WASI_FILETYPE_CHARACTER_DEVICE;
    case S_IFDIR:
        return WASI_FILETYPE_DIRECTORY;
    case S_IFREG:
        return WASI_FILETYPE_REGULAR_FILE;
    case S_IFSOCK:
        return WASI_FILETYPE_SOCKET_STREAM;
    case S_IFLNK:
        return WASI_FILETYPE_SYMBOLIC_LINK;
    default:
        return WASI_FILETYPE_UNKNOWN;
    }
}

static uint64_t stat_ns(struct timespec ts)
{
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint32_t wasi_filestat_size(wasi_abi abi)
{
    return abi == WASI_ABI_UNSTABLE ? 56 : 64;
}

/* filestat: dev, ino, filetype (u8 at 16), nlink, size, atim, mtim, ctim;
 * preview 1's nlink is a u64 at 24, wasi_unstable's a u32 at 20 (so every
 * later field sits 8 bytes earlier). */
void wasi_put_filestat(uint8_t *out, const void *host_stat, wasi_abi abi)
{
    const struct stat *st = host_stat;
    memset(out, 0, wasi_filestat_size(abi));
    wasi_put_u64(out + 0, (uint64_t)st->st_dev);
    wasi_put_u64(out + 8, (uint64_t)st->st_ino);
    out[16] = wasi_filetype_of_mode(st->st_mode);
    uint8_t *rest = out + 24;
    if (abi == WASI_ABI_UNSTABLE) {
        wasi_put_u32(out + 20, st->st_nlink > UINT32_MAX ? UINT32_MAX : (uint32_t)st->st_nlink);
        rest = out + 16;
    } else {
        wasi_put_u64(out + 24, (uint64_t)st->st_nlink);
    }
    wasi_put_u64(rest + 8, (uint64_t)st->st_size);
    wasi_put_u64(rest + 16, stat_ns(st->st_atim));
    wasi_put_u64(rest + 24, stat_ns(st->st_mtim));
    wasi_put_u64(rest + 32, stat_ns(st->st_ctim));
}

/* Guest iovec/ciovec array (8 bytes each: buf, len) -> host iovecs, every
 * buffer checked against the memory. */
int wasi_iovecs(ward_memory *mem, uint32_t iovs, uint32_t iovs_len, void **out)
{
    *out = NULL;
    if (iovs_len > IOV_MAX)
        return WASI_EINVAL;
    const uint8_t *raw = wasi_span(mem, iovs, (uint64_t)iovs_len * 8);
    if (!raw)
        return WASI_EFAULT;
    struct iovec *v = wcalloc(iovs_len ? iovs_len : 1, sizeof *v);
    if (!v)
        return WASI_ENOMEM;
    for (uint32_t i = 0; i < iovs_len; i++) {
        uint32_t len = wasi_get_u32(raw + 8 * i + 4);
        v[i].iov_base = wasi_span(mem, wasi_get_u32(raw + 8 * i), len);
        v[i].iov_len = len;
        if (!v[i].iov_base) {
            free(v);
            return WASI_EFAULT;
        }
    }
    *out = v;
    return WASI_ESUCCESS;
}

/* ---- reading and writing ------------------------------------------------ */

typedef enum io_kind { IO_READ, IO_WRITE, IO_PREAD, IO_PWRITE } io_kind;

static const uint64_t io_rights[] = {
    [IO_READ] = WASI_RIGHT(WASI_R_FD_READ),
    [IO_WRITE] = WASI_RIGHT(WASI_R_FD_WRITE),
    [IO_PREAD] = WASI_RIGHT(WASI_R_FD_READ) | WASI_RIGHT(WASI_R_FD_SEEK),
    [IO_PWRITE] = WASI_RIGHT(WASI_R_FD_WRITE) | WASI_RIGHT(WASI_R_FD_SEEK),
};

/* One read or write of v[0..n) on host descriptor fd: fd_read and
 * fd_write through wasi_io.c (waits that interrupts end, no SIGPIPE);
 * positioned ones never wait (pipes and sockets refuse them: ESPIPE). */
static ssize_t transfer(const wasi_waiter *wt, io_kind kind, int fd, uint8_t filetype, struct iovec *v, uint32_t n,
                        int64_t offset, int *err)
{
    ssize_t done;
    if (kind == IO_READ) {
        struct msghdr msg = {.msg_iov = v, .msg_iovlen = n};
        return wasi_read_stream(wt, fd, filetype, &msg, 0, err);
    }
    if (kind == IO_WRITE)
        return wasi_write_stream(wt, fd, filetype, v, (int)n, err);
    do
        done = kind == IO_PREAD ? preadv(fd, v, (int)n, offset) : pwritev(fd, v, (int)n, offset);
    while (done < 0 && errno == EINTR);
    if (done < 0)
        *err = wasi_errno(errno);
    return done;
}

/* The common body of fd_read/fd_write/fd_pread/fd_pwrite. */
static int do_io(ward_wasi *w, ward_memory *mem, io_kind kind, uint32_t fd, uint32_t iovs, uint32_t n, int64_t offset,
                 uint32_t result_ptr, const wasi_waiter *wt)
{
    int err;
    wasi_fd *f = wasi_fd_get(w, fd, io_rights[kind], &err);
    if (!f)
        return err;
    if (f->filetype == WASI_FILETYPE_DIRECTORY)
        return WASI_EISDIR;
    if ((kind == IO_PREAD || kind == IO_PWRITE) && offset < 0)
        return WASI_EINVAL;
    struct iovec *v;
    if ((err = wasi_iovecs(mem, iovs, n, (void **)&v)) != WASI_ESUCCESS)
        return err;
    int host = f->host;
    uint8_t filetype = f->filetype;
    wasi_blocking_begin(w);
    ssize_t done = transfer(wt, kind, host, filetype, v, n, offset, &err);
    wasi_blocking_end(w);
    free(v);
    if (done < 0)
        return err;
    return wasi_store_u32(mem, result_ptr, (uint32_t)done) ? WASI_ESUCCESS : WASI_EFAULT;
}

int wasi_fd_read(ward_wasi *w, ward_memory *mem, const ward_val *a, const wasi_waiter *wt)
{
    return do_io(w, mem, IO_READ, a[0].of.i32, a[1].of.i32, a[2].of.i32, 0, a[3].of.i32, wt);
}

int wasi_fd_write(ward_wasi *w, ward_memory *mem, const ward_val *a, const wasi_waiter *wt)
{
    return do_io(w, mem, IO_WRITE, a[0].of.i32, a[1].of.i32, a[2].of.i32, 0, a[3].of.i32, wt);
}

int wasi_fd_pread(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    return do_io(w, mem, IO_PREAD, a[0].of.i32, a[1].of.i32, a[2].of.i32, (int64_t)a[3].of.i64, a[4].of.i32, NULL);
}

int wasi_fd_pwrite(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    return do_io(w, mem, IO_PWRITE, a[0].of.i32, a[1].of.i32, a[2].of.i32, (int64_t)a[3].of.i64, a[4].of.i32, NULL);
}

/* ---- positions ------------------------------------------------------------ */

static const int seek_whence[] = {SEEK_SET, SEEK_CUR, SEEK_END};

int wasi_fd_seek(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    int64_t offset = (int64_t)a[1].of.i64;
    uint32_t whence = a[2].of.i32;
    /* A zero move from the current position is only a tell. */
    uint64_t need = offset == 0 && whence == 1 ? WASI_RIGHT(WASI_R_FD_TELL) : WASI_RIGHT(WASI_R_FD_SEEK);
    int err;
    wasi_fd *f = wasi_fd_get(w, a[0].of.i32, need, &err);
    if (!f)
        return err;
    if (whence > 2)
        return WASI_EINVAL;
    if (f->filetype == WASI_FILETYPE_DIRECTORY)
        return WASI_EBADF;
    off_t pos = lseek(f->host, offset, seek_whence[whence]);
    if (pos < 0)
        return wasi_errno(errno);
    return wasi_store_u64(mem, a[3].of.i32, (uint64_t)pos) ? WASI_ESUCCESS : WASI_EFAULT;
}

/* wasi_unstable numbers whence cur, end, set; preview 1 set, cur, end. */
int wasi_fd_seek_unstable(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    static const uint32_t to_preview1[] = {1, 2, 0};
    ward_val args[4] = {a[0], a[1], a[2], a[3]};
    if (a[2].of.i32 < 3)
        args[2].of.i32 = to_preview1[a[2].of.i32];
    return wasi_fd_seek(w, mem, args);
}

int wasi_fd_tell(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    int err;
    wasi_fd *f = wasi_fd_get(w, a[0].of.i32, WASI_RIGHT(WASI_R_FD_TELL), &err);
    if (!f)
        return err;
    /* lseek on a Linux directory answers its readdir position, not a file
     * offset: a directory has none (as fd_seek) */
    if (f->filetype == WASI_FILETYPE_DIRECTORY)
        return WASI_EBADF;
    off_t pos = lseek(f->host, 0, SEEK_CUR);
    if (pos < 0)
        return wasi_errno(errno);
    return wasi_store_u64(mem, a[1].of.i32, (uint64_t)pos) ? WASI_ESUCCESS : WASI_EFAULT;
}

/* ---- descriptor management -------------------------------------------------- */

int wasi_fd_close(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    (void)mem;
    int err;
    wasi_fd *f = wasi_fd_get(w, a[0].of.i32, 0, &err);
    if (!f)
        return err;
    wasi_fd_release(f);
    return WASI_ESUCCESS;
}

/* Both must be open (wasmtime's preview 1 answers EBADF for a closed `to`). */
int wasi_fd_renumber(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    (void)mem;
    int err;
    uint32_t from = a[0].of.i32, to = a[1].of.i32;
    if (!wasi_fd_get(w, from, 0, &err) || !wasi_fd_get(w, to, 0, &err))
        return err;
    if (from == to)
        return WASI_ESUCCESS;
    wasi_fd_release(&w->fds[to]);
    w->fds[to] = w->fds[from];
    memset(&w->fds[from], 0, sizeof w->fds[from]);
    return WASI_ESUCCESS;
}

/* fdflags <-> host open flags. */
typedef struct flag_pair {
    uint16_t wasi;
    int host;
} flag_pair;

static const flag_pair fdflag_table[] = {
    {WASI_FDFLAG_APPEND, O_APPEND}, {WASI_FDFLAG_DSYNC, O_DSYNC}, {WASI_FDFLAG_NONBLOCK, O_NONBLOCK},
    {WASI_FDFLAG_RSYNC, O_RSYNC},   {WASI_FDFLAG_SYNC, O_SYNC},
};

int wasi_fdflags_to_host(uint32_t flags)
{
    int host = 0;
    for (size_t i = 0; i < sizeof fdflag_table / sizeof fdflag_table[0]; i++)
        if (flags & fdflag_table[i].wasi)
            host |= fdflag_table[i].host;
    return host;
}

static uint16_t fdflags_from_host(int host)
{
    uint16_t flags = 0;
    /* O_SYNC includes the O_DSYNC bit on Linux: test each exactly. */
    for (size_t i = 0; i < sizeof fdflag_table / sizeof fdflag_table[0]; i++)
        if ((host & fdflag_table[i].host) == fdflag_table[i].host)
            flags |= fdflag_table[i].wasi;
    return flags;
}

/* fdstat: filetype u8, flags u16 at 2, rights_base at 8, inheriting at 16. */
int wasi_fd_fdstat_get(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    int err;
    wasi_fd *f = wasi_fd_get(w, a[0].of.i32, 0, &err);
    if (!f)
        return err;
    uint8_t *out = wasi_span(mem, a[1].of.i32, 24);
    if (!out)
        return WASI_EFAULT;
    int host_flags = fcntl(f->host, F_GETFL);
    memset(out, 0, 24);
    out[0] = f->filetype;
    wasi_put_u16(out + 2, host_flags < 0 ? 0 : fdflags_from_host(host_flags));
    wasi_put_u64(out + 8, f->rights_base);
    wasi_put_u64(out + 16, f->rights_inheriting);
    return WASI_ESUCCESS;
}

/* Snapshot 0's rights end before sock_accept (bit 29). */
int wasi_fd_fdstat_get_unstable(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    int err = wasi_fd_fdstat_get(w, mem, a);
    uint8_t *out = wasi_span(mem, a[1].of.i32, 24);
    uint64_t known = WASI_RIGHT(WASI_R_SOCK_ACCEPT) - 1;
    if (err == WASI_ESUCCESS && out) {
        wasi_put_u64(out + 8, wasi_get_u64(out + 8) & known);
        wasi_put_u64(out + 16, wasi_get_u64(out + 16) & known);
    }
    return err;
}

/* Only append and nonblock can change on an open Linux descriptor. */
int wasi_fd_fdstat_set_flags(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    (void)mem;
    int err;
    uint32_t flags = a[1].of.i32;
    wasi_fd *f = wasi_fd_get(w, a[0].of.i32, WASI_RIGHT(WASI_R_FD_FDSTAT_SET_FLAGS), &err);
    if (!f)
        return err;
    if (flags & ~(uint32_t)(WASI_FDFLAG_APPEND | WASI_FDFLAG_NONBLOCK))
        return flags > 0x1f ? WASI_EINVAL : WASI_ENOTSUP;
    int host = fcntl(f->host, F_GETFL);
    if (host < 0)
        return wasi_errno(errno);
    host = (host & ~(O_APPEND | O_NONBLOCK)) | wasi_fdflags_to_host(flags);
    return fcntl(f->host, F_SETFL, host) == 0 ? WASI_ESUCCESS : wasi_errno(errno);
}

/* Rights only ever shrink. */
int wasi_fd_fdstat_set_rights(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    (void)mem;
    int err;
    wasi_fd *f = wasi_fd_get(w, a[0].of.i32, 0, &err);
    if (!f)
        return err;
    uint64_t base = a[1].of.i64, inheriting = a[2].of.i64;
    if ((base & ~f->rights_base) || (inheriting & ~f->rights_inheriting))
        return WASI_ENOTCAPABLE;
    f->rights_base = base;
    f->rights_inheriting = inheriting;
    return WASI_ESUCCESS;
}

/* ---- file state ------------------------------------------------------------- */

static int fd_filestat_get(ward_wasi *w, ward_memory *mem, const ward_val *a, wasi_abi abi)
{
    int err;
    wasi_fd *f = wasi_fd_get(w, a[0].of.i32, WASI_RIGHT(WASI_R_FD_FILESTAT_GET), &err);
    if (!f)
        return err;
    uint8_t *out = wasi_span(mem, a[1].of.i32, wasi_filestat_size(abi));
    if (!out)
        return WASI_EFAULT;
    struct stat st;
    if (fstat(f->host, &st) != 0)
        return wasi_errno(errno);
    wasi_put_filestat(out, &st, abi);
    if (f->filetype != WASI_FILETYPE_UNKNOWN)
        out[16] = f->filetype;
    return WASI_ESUCCESS;
}

int wasi_fd_filestat_get(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    return fd_filestat_get(w, mem, a, WASI_ABI_PREVIEW1);
}

int wasi_fd_filestat_get_unstable(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    return fd_filestat_get(w, mem, a, WASI_ABI_UNSTABLE);
}

int wasi_fd_filestat_set_size(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    (void)mem;
    int err;
    wasi_fd *f = wasi_fd_get(w, a[0].of.i32, WASI_RIGHT(WASI_R_FD_FILESTAT_SET_SIZE), &err);
    if (!f)
        return err;
    if (a[1].of.i64 > INT64_MAX)
        return WASI_EINVAL;
    return ftruncate(f->host, (off_t)a[1].of.i64) == 0 ? WASI_ESUCCESS : wasi_errno(errno);
}

/* fstflags: atim 1, atim_now 2, mtim 4, mtim_now 8. */
int wasi_times_from_flags(uint64_t atim, uint64_t mtim, uint32_t fstflags, void *timespec2)
{
    struct timespec *ts = timespec2;
    if ((fstflags & 3) == 3 || (fstflags & 12) == 12 || fstflags > 15)
        return WASI_EINVAL;
    const uint64_t stamps[2] = {atim, mtim};
    for (int i = 0; i < 2; i++) {
        uint32_t set = (fstflags >> (2 * i)) & 1, now = (fstflags >> (2 * i + 1)) & 1;
        ts[i].tv_sec = (time_t)(stamps[i] / 1000000000u);
        ts[i].tv_nsec = set ? (long)(stamps[i] % 1000000000u) : now ? UTIME_NOW : UTIME_OMIT;
    }
    return WASI_ESUCCESS;
}

int wasi_fd_filestat_set_times(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    (void)mem;
    int err;
    wasi_fd *f = wasi_fd_get(w, a[0].of.i32, WASI_RIGHT(WASI_R_FD_FILESTAT_SET_TIMES), &err);
    if (!f)
        return err;
    struct timespec ts[2];
    if ((err = wasi_times_from_flags(a[1].of.i64, a[2].of.i64, a[3].of.i32, ts)) != WASI_ESUCCESS)
        return err;
    return futimens(f->host, ts) == 0 ? WASI_ESUCCESS : wasi_errno(errno);
}

/* ---- hints and syncs -------------------------------------------------------- */

static const int advice_table[] = {POSIX_FADV_NORMAL, POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                                   POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE};

int wasi_fd_advise(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    (void)mem;
    int err;
    wasi_fd *f = wasi_fd_get(w, a[0].of.i32, WASI_RIGHT(WASI_R_FD_ADVISE), &err);
    if (!f)
        return err;
    uint32_t advice = a[3].of.i32;
    if (advice >= sizeof advice_table / sizeof advice_table[0] || a[1].of.i64 > INT64_MAX ||
        a[2].of.i64 > INT64_MAX)
        return WASI_EINVAL;
    int r = posix_fadvise(f->host, (off_t)a[1].of.i64, (off_t)a[2].of.i64, advice_table[advice]);
    /* Advice is only a hint: pipes and ttys take none, which is no error of the guest's. */
    return r == 0 || r == ESPIPE ? WASI_ESUCCESS : wasi_errno(r);
}

int wasi_fd_allocate(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    (void)mem;
    int err;
    wasi_fd *f = wasi_fd_get(w, a[0].of.i32, WASI_RIGHT(WASI_R_FD_ALLOCATE), &err);
    if (!f)
        return err;
    uint64_t offset = a[1].of.i64, len = a[2].of.i64;
    if (offset > INT64_MAX || len > INT64_MAX || offset + len > INT64_MAX)
        return WASI_EINVAL;
    int r = posix_fallocate(f->host, (off_t)offset, (off_t)len);
    return r == 0 ? WASI_ESUCCESS : wasi_errno(r);
}

int wasi_fd_datasync(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    (void)mem;
    int err;
    wasi_fd *f = wasi_fd_get(w, a[0].of.i32, WASI_RIGHT(WASI_R_FD_DATASYNC), &err);
    if (!f)
        return err;
    return fdatasync(f->host) == 0 ? WASI_ESUCCESS : wasi_errno(errno);
}

int wasi_fd_sync(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    (void)mem;
    int err;
    wasi_fd *f = wasi_fd_get(w, a[0].of.i32, WASI_RIGHT(WASI_R_FD_SYNC), &err);
    if (!f)
        return err;
    return fsync(f->host) == 0 ? WASI_ESUCCESS : wasi_errno(errno);
}

/* ---- preopens ----------------------------------------------------------------- */

/* prestat: tag u8 (0 = dir), name length u32 at 4. */
int wasi_fd_prestat_get(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    int err;
    wasi_fd *f = wasi_fd_get(w, a[0].of.i32, 0, &err);
    if (!f)
        return err;
    if (!f->preopen)
        return WASI_EBADF;
    uint8_t *out = wasi_span(mem, a[1].of.i32, 8);
    if (!out)
        return WASI_EFAULT;
    memset(out, 0, 8);
    wasi_put_u32(out + 4, (uint32_t)strlen(f->guest_name));
    return WASI_ESUCCESS;
}

int wasi_fd_prestat_dir_name(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    int err;
    wasi_fd *f = wasi_fd_get(w, a[0].of.i32, 0, &err);
    if (!f)
        return err;
    if (!f->preopen)
        return WASI_EBADF;
    size_t len = strlen(f->guest_name);
    if (a[2].of.i32 < len)
        return WASI_ENAMETOOLONG;
    uint8_t *out = wasi_span(mem, a[1].of.i32, len);
    if (!out)
        return WASI_EFAULT;
    memcpy(out, f->guest_name, len);
    return WASI_ESUCCESS;
}

/* ---- directories ---------------------------------------------------------------- */

static uint8_t filetype_of_dtype(unsigned char t)
{
    switch (t) {
    case DT_BLK:
        return WASI_FILETYPE_BLOCK_DEVICE;
    case DT_CHR:
        return WASI_FILETYPE_CHARACTER_DEVICE;
    case DT_DIR:
        return WASI_FILETYPE_DIRECTORY;
    case DT_REG:
        return WASI_FILETYPE_REGULAR_FILE;
    case DT_SOCK:
        return WASI_FILETYPE_SOCKET_STREAM;
    case DT_LNK:
        return WASI_FILETYPE_SYMBOLIC_LINK;
    default:
        return WASI_FILETYPE_UNKNOWN;
    }
}

/* A DIR stream of its own (own offset) positioned at entry `cookie`. */
static DIR *dir_at_cookie(wasi_fd *f, uint64_t cookie)
{
    if (!f->dir_stream) {
        int fd = openat(f->host, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
            return NULL;
        f->dir_stream = fdopendir(fd);
        if (!f->dir_stream) {
            close(fd);
            return NULL;
        }
        f->dir_cookie = 0;
    }
    DIR *d = f->dir_stream;
    if (cookie < f->dir_cookie) {
        rewinddir(d);
        f->dir_cookie = 0;
    }
    while (f->dir_cookie < cookie && readdir(d))
        f->dir_cookie++;
    return d;
}

/* dirent: d_next u64, d_ino u64, d_namlen u32, d_type u8 at 20; then the name.
 * The last entry is cut at the buffer's end: a full buffer means "more". */
int wasi_fd_readdir(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    int err;
    wasi_fd *f = wasi_fd_get(w, a[0].of.i32, WASI_RIGHT(WASI_R_FD_READDIR), &err);
    if (!f)
        return err;
    if (f->filetype != WASI_FILETYPE_DIRECTORY)
        return WASI_ENOTDIR;
    uint32_t buf_len = a[2].of.i32;
    uint8_t *buf = wasi_span(mem, a[1].of.i32, buf_len);
    if (!buf || !wasi_span(mem, a[4].of.i32, 4))
        return WASI_EFAULT;
    errno = 0;
    DIR *d = dir_at_cookie(f, a[3].of.i64);
    if (!d)
        return wasi_errno(errno ? errno : EIO);
    uint32_t used = 0;
    while (used < buf_len) {
        long pos = telldir(d);
        struct dirent *e = readdir(d);
        if (!e)
            break;
        uint8_t head[24] = {0};
        size_t namelen = strlen(e->d_name);
        wasi_put_u64(head, f->dir_cookie + 1);
        wasi_put_u64(head + 8, (uint64_t)e->d_ino);
        wasi_put_u32(head + 16, (uint32_t)namelen);
        head[20] = filetype_of_dtype(e->d_type);
        uint32_t room = buf_len - used;
        memcpy(buf + used, head, room < 24 ? room : 24);
        if (room > 24)
            memcpy(buf + used + 24, e->d_name, room - 24 < namelen ? room - 24 : namelen);
        if (24 + namelen > room) {
            /* Cut: read this entry again next time. */
            seekdir(d, pos);
            used = buf_len;
            break;
        }
        used += (uint32_t)(24 + namelen);
        f->dir_cookie++;
    }
    wasi_store_u32(mem, a[4].of.i32, used);
    return WASI_ESUCCESS;
}
