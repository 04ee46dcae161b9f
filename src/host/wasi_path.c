/* WASI preview 1: sandboxed path resolution and the path_* functions.
 *
 * A guest path names something beneath a directory descriptor and never
 * anything outside it: absolute paths, `..` above the directory and symlinks
 * whose target is absolute or climbs out all fail with EPERM (wasmtime's
 * answer).  Every path is split into a parent directory, opened without ever
 * leaving the descriptor's directory, and a final name the operation uses
 * through the *at() call with "no follow", so a symlink swapped in by a
 * racing process is never followed.  The parent is opened by openat2(2) with
 * RESOLVE_BENEATH (the kernel checks every step atomically), or, where
 * openat2 is missing, by a walk one component at a time with O_NOFOLLOW that
 * expands symlinks itself under the same rules. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../common/util.h"
#include "wasi.h"

#if defined(__linux__) && defined(SYS_openat2)
#include <linux/openat2.h>
#define WASI_HAVE_OPENAT2 1
#endif

#define WASI_MAX_SYMLINKS 40     /* as Linux's own limit */
#define WASI_ESCAPE WASI_EPERM   /* what wasmtime answers to an escape */

/* A resolved path: an open parent directory and the final name in it. */
typedef struct wasi_target {
    int parent;
    char *name;
    char *buf;                   /* owns name */
} wasi_target;

static void target_free(wasi_target *t)
{
    if (t->parent >= 0)
        close(t->parent);
    free(t->buf);
    t->parent = -1;
    t->buf = t->name = NULL;
}

/* The guest string as a NUL-terminated copy (NUL inside: EILSEQ). */
static int guest_path(ward_memory *mem, uint32_t ptr, uint32_t len, char **out)
{
    const uint8_t *src = wasi_span(mem, ptr, len);
    if (!src)
        return WASI_EFAULT;
    if (len >= PATH_MAX)
        return WASI_ENAMETOOLONG;
    if (memchr(src, 0, len))
        return WASI_EILSEQ;
    char *s = malloc((size_t)len + 1);
    if (!s)
        return WASI_ENOMEM;
    memcpy(s, src, len);
    s[len] = 0;
    *out = s;
    return WASI_ESUCCESS;
}

/* ---- the portable walk ------------------------------------------------------ */

typedef struct walk_state {
    int *fds;                    /* fds[0] is a dup of the root; the top is current */
    size_t n, cap;
    char *rest;                  /* the components still to walk */
    int links;
} walk_state;

static void walk_free(walk_state *s)
{
    for (size_t i = 0; i < s->n; i++)
        close(s->fds[i]);
    free(s->fds);
    free(s->rest);
}

/* Replace s->rest by "target/remaining" (the symlink's expansion). */
static int walk_splice(walk_state *s, const char *target, const char *remaining)
{
    if (target[0] == '/')
        return WASI_ESCAPE;
    if (++s->links > WASI_MAX_SYMLINKS)
        return WASI_ELOOP;
    size_t tl = strlen(target), rl = strlen(remaining);
    char *joined = malloc(tl + rl + 2);
    if (!joined)
        return WASI_ENOMEM;
    memcpy(joined, target, tl);
    joined[tl] = '/';
    memcpy(joined + tl + 1, remaining, rl + 1);
    free(s->rest);
    s->rest = joined;
    return WASI_ESUCCESS;
}

/* One component (not "." or ".."): descend, or expand a symlink in front of
 * s->rest. */
static int walk_step(walk_state *s, const char *comp)
{
    int top = s->fds[s->n - 1];
    int fd = openat(top, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        if (!wgrow((void **)&s->fds, &s->cap, s->n + 1, sizeof *s->fds)) {
            close(fd);
            return WASI_ENOMEM;
        }
        s->fds[s->n++] = fd;
        return WASI_ESUCCESS;
    }
    int saved = errno;
    if (saved != ENOTDIR && saved != ELOOP)
        return wasi_errno(saved);
    char target[PATH_MAX];
    ssize_t tl = readlinkat(top, comp, target, sizeof target - 1);
    if (tl < 0)
        return wasi_errno(saved);   /* not a symlink: a real ENOTDIR */
    target[tl] = 0;
    return walk_splice(s, target, s->rest);
}

static int walk_components(walk_state *s)
{
    while (s->rest[0]) {
        const char *p = s->rest + strspn(s->rest, "/");
        size_t len = strcspn(p, "/");
        char comp[NAME_MAX + 1];
        if (len > NAME_MAX)
            return WASI_ENAMETOOLONG;
        memcpy(comp, p, len);
        comp[len] = 0;
        char *remaining = strdup(p + len);
        if (!remaining)
            return WASI_ENOMEM;
        free(s->rest);
        s->rest = remaining;
        int err = WASI_ESUCCESS;
        if (len == 0 || strcmp(comp, ".") == 0)
            continue;
        if (strcmp(comp, "..") == 0) {
            if (s->n == 1)
                return WASI_ESCAPE;
            close(s->fds[--s->n]);
            continue;
        }
        if ((err = walk_step(s, comp)) != WASI_ESUCCESS)
            return err;
    }
    return WASI_ESUCCESS;
}

/* Open directory `dir` beneath root without leaving it (portable form). */
static int open_beneath_walk(int root, const char *dir, int *out)
{
    walk_state s = {0};
    int err = WASI_ENOMEM;
    int first = fcntl(root, F_DUPFD_CLOEXEC, 0);
    if (first < 0)
        return wasi_errno(errno);
    s.rest = strdup(dir);
    if (!s.rest || !wgrow((void **)&s.fds, &s.cap, 1, sizeof *s.fds)) {
        close(first);
        walk_free(&s);
        return WASI_ENOMEM;
    }
    s.fds[s.n++] = first;
    err = walk_components(&s);
    if (err == WASI_ESUCCESS) {
        *out = s.fds[--s.n];
    }
    walk_free(&s);
    return err;
}

/* ---- openat2 ------------------------------------------------------------------- */

static int open_beneath(ward_wasi *w, int root, const char *dir, int *out)
{
#ifdef WASI_HAVE_OPENAT2
    if (!w->no_openat2) {
        struct open_how how = {0};
        how.flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
        how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
        long fd;
        do
            fd = syscall(SYS_openat2, root, dir, &how, sizeof how);
        while (fd < 0 && (errno == EINTR || errno == EAGAIN));
        if (fd >= 0) {
            *out = (int)fd;
            return WASI_ESUCCESS;
        }
        if (errno == EXDEV)
            return WASI_ESCAPE;
        if (errno != ENOSYS && errno != EPERM)
            return wasi_errno(errno);
        /* ENOSYS (old kernel) or EPERM (a seccomp filter): walk by hand from now on. */
        w->no_openat2 = true;
    }
#endif
    return open_beneath_walk(root, dir, out);
}

/* ---- resolution ------------------------------------------------------------------ */

/* "dir/target" (+ "/" when the path had a trailing slash), for a symlink
 * met as the final component. */
static char *join_link(const char *dir, const char *target, bool slash)
{
    size_t dl = strlen(dir), tl = strlen(target);
    char *s = malloc(dl + tl + 3);
    if (s)
        snprintf(s, dl + tl + 3, "%s/%s%s", dir, target, slash ? "/" : "");
    return s;
}

/* Strip trailing slashes; split into the directory part and the final
 * name ("." when the path ends in "." or "..", which are then walked too). */
static void split_path(char *path, bool *slash, const char **dir, const char **last)
{
    size_t n = strlen(path);
    *slash = false;
    while (n > 1 && path[n - 1] == '/') {
        path[--n] = 0;
        *slash = true;
    }
    char *cut = strrchr(path, '/');
    *last = cut ? cut + 1 : path;
    if (strcmp(*last, ".") == 0 || strcmp(*last, "..") == 0) {
        *dir = path;
        *last = ".";
        return;
    }
    if (cut) {
        *cut = 0;
        *dir = path;
    } else {
        *dir = ".";
    }
}

/* Resolve `path` (owned, freed here) beneath host directory root.  With
 * `follow` (or a trailing slash) a symlink as the final component is
 * expanded under the same rules, so t->name is never a link to follow. */
static int resolve_string(ward_wasi *w, int root, char *path, bool follow, wasi_target *t)
{
    for (int links = 0;; links++) {
        if (path[0] == 0 || path[0] == '/') {
            int err = path[0] == 0 ? WASI_ENOENT : WASI_ESCAPE;
            free(path);
            return err;
        }
        bool slash;
        const char *dir, *last;
        split_path(path, &slash, &dir, &last);
        int parent = -1, err = open_beneath(w, root, dir, &parent);
        if (err != WASI_ESUCCESS) {
            free(path);
            return err;
        }
        char target[PATH_MAX];
        ssize_t tl = -1;
        if ((follow || slash) && strcmp(last, ".") != 0)
            tl = readlinkat(parent, last, target, sizeof target - 1);
        if (tl >= 0) {
            target[tl] = 0;
            close(parent);
            char *next = target[0] == '/' || links >= WASI_MAX_SYMLINKS ? NULL : join_link(dir, target, slash);
            free(path);
            if (!next)
                return target[0] == '/' ? WASI_ESCAPE : links >= WASI_MAX_SYMLINKS ? WASI_ELOOP : WASI_ENOMEM;
            path = next;
            continue;
        }
        t->parent = parent;
        t->buf = malloc(strlen(last) + 2);
        if (!t->buf) {
            free(path);
            return WASI_ENOMEM;
        }
        snprintf(t->buf, strlen(last) + 2, "%s%s", last, slash ? "/" : "");
        t->name = t->buf;
        free(path);
        return WASI_ESUCCESS;
    }
}

/* Resolve the guest path (ptr, len) beneath directory descriptor fd, which
 * must hold the rights `need`. */
static int resolve(ward_wasi *w, ward_memory *mem, uint32_t fd, uint64_t need, uint32_t ptr, uint32_t len, bool follow,
                   wasi_target *t)
{
    t->parent = -1;
    t->buf = t->name = NULL;
    int err;
    wasi_fd *dir = wasi_fd_get(w, fd, need, &err);
    if (!dir)
        return err;
    if (dir->filetype != WASI_FILETYPE_DIRECTORY)
        return WASI_ENOTDIR;
    char *path;
    if ((err = guest_path(mem, ptr, len, &path)) != WASI_ESUCCESS)
        return err;
    err = resolve_string(w, dir->host, path, follow, t);
    if (err != WASI_ESUCCESS)
        target_free(t);
    return err;
}

static int host_result(int r)
{
    return r == 0 ? WASI_ESUCCESS : wasi_errno(errno);
}

/* ---- the functions ----------------------------------------------------------------- */

enum { WASI_LOOKUP_SYMLINK_FOLLOW = 1 };
enum { WASI_O_CREAT = 1, WASI_O_DIRECTORY = 2, WASI_O_EXCL = 4, WASI_O_TRUNC = 8 };

int wasi_path_create_directory(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    wasi_target t;
    int err = resolve(w, mem, a[0].of.i32, WASI_RIGHT(WASI_R_PATH_CREATE_DIRECTORY), a[1].of.i32, a[2].of.i32,
                      false, &t);
    if (err == WASI_ESUCCESS)
        err = host_result(mkdirat(t.parent, t.name, 0777));
    target_free(&t);
    return err;
}

int wasi_path_remove_directory(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    wasi_target t;
    int err = resolve(w, mem, a[0].of.i32, WASI_RIGHT(WASI_R_PATH_REMOVE_DIRECTORY), a[1].of.i32, a[2].of.i32,
                      false, &t);
    if (err == WASI_ESUCCESS)
        err = host_result(unlinkat(t.parent, t.name, AT_REMOVEDIR));
    target_free(&t);
    return err;
}

int wasi_path_unlink_file(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    wasi_target t;
    int err = resolve(w, mem, a[0].of.i32, WASI_RIGHT(WASI_R_PATH_UNLINK_FILE), a[1].of.i32, a[2].of.i32,
                      false, &t);
    if (err == WASI_ESUCCESS)
        err = host_result(unlinkat(t.parent, t.name, 0));
    target_free(&t);
    return err;
}

static int path_filestat_get(ward_wasi *w, ward_memory *mem, const ward_val *a, wasi_abi abi)
{
    uint8_t *out = wasi_span(mem, a[4].of.i32, wasi_filestat_size(abi));
    if (!out)
        return WASI_EFAULT;
    wasi_target t;
    bool follow = a[1].of.i32 & WASI_LOOKUP_SYMLINK_FOLLOW;
    int err = resolve(w, mem, a[0].of.i32, WASI_RIGHT(WASI_R_PATH_FILESTAT_GET), a[2].of.i32, a[3].of.i32,
                      follow, &t);
    struct stat st;
    if (err == WASI_ESUCCESS)
        err = host_result(fstatat(t.parent, t.name, &st, AT_SYMLINK_NOFOLLOW));
    if (err == WASI_ESUCCESS)
        wasi_put_filestat(out, &st, abi);
    target_free(&t);
    return err;
}

int wasi_path_filestat_get(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    return path_filestat_get(w, mem, a, WASI_ABI_PREVIEW1);
}

int wasi_path_filestat_get_unstable(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    return path_filestat_get(w, mem, a, WASI_ABI_UNSTABLE);
}

int wasi_path_filestat_set_times(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    struct timespec ts[2];
    int err = wasi_times_from_flags(a[4].of.i64, a[5].of.i64, a[6].of.i32, ts);
    if (err != WASI_ESUCCESS)
        return err;
    wasi_target t;
    bool follow = a[1].of.i32 & WASI_LOOKUP_SYMLINK_FOLLOW;
    err = resolve(w, mem, a[0].of.i32, WASI_RIGHT(WASI_R_PATH_FILESTAT_SET_TIMES), a[2].of.i32, a[3].of.i32,
                  follow, &t);
    if (err == WASI_ESUCCESS)
        err = host_result(utimensat(t.parent, t.name, ts, AT_SYMLINK_NOFOLLOW));
    target_free(&t);
    return err;
}

int wasi_path_readlink(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    uint32_t buf_len = a[4].of.i32;
    uint8_t *buf = wasi_span(mem, a[3].of.i32, buf_len);
    if (!buf || !wasi_span(mem, a[5].of.i32, 4))
        return WASI_EFAULT;
    wasi_target t;
    int err = resolve(w, mem, a[0].of.i32, WASI_RIGHT(WASI_R_PATH_READLINK), a[1].of.i32, a[2].of.i32, false, &t);
    char target[PATH_MAX];
    ssize_t n = -1;
    if (err == WASI_ESUCCESS) {
        n = readlinkat(t.parent, t.name, target, sizeof target);
        if (n < 0)
            err = wasi_errno(errno);
    }
    target_free(&t);
    if (err != WASI_ESUCCESS)
        return err;
    /* Truncated to the buffer, as readlink(2) does. */
    uint32_t used = (uint64_t)n < buf_len ? (uint32_t)n : buf_len;
    memcpy(buf, target, used);
    wasi_store_u32(mem, a[5].of.i32, used);
    return WASI_ESUCCESS;
}

/* The link's text is stored as given; an absolute one could only ever
 * point outside, so it is refused like wasmtime does.  A relative one that
 * climbs out is created but stays unusable: resolution confines it. */
int wasi_path_symlink(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    char *target;
    int err = guest_path(mem, a[0].of.i32, a[1].of.i32, &target);
    if (err != WASI_ESUCCESS)
        return err;
    wasi_target t = {.parent = -1};
    if (target[0] == '/')
        err = WASI_ESCAPE;
    else if (target[0] == 0)
        err = WASI_ENOENT;
    else
        err = resolve(w, mem, a[2].of.i32, WASI_RIGHT(WASI_R_PATH_SYMLINK), a[3].of.i32, a[4].of.i32, false, &t);
    if (err == WASI_ESUCCESS)
        err = host_result(symlinkat(target, t.parent, t.name));
    free(target);
    target_free(&t);
    return err;
}

int wasi_path_link(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    wasi_target from, to = {.parent = -1};
    bool follow = a[1].of.i32 & WASI_LOOKUP_SYMLINK_FOLLOW;
    int err = resolve(w, mem, a[0].of.i32, WASI_RIGHT(WASI_R_PATH_LINK_SOURCE), a[2].of.i32, a[3].of.i32,
                      follow, &from);
    if (err == WASI_ESUCCESS)
        err = resolve(w, mem, a[4].of.i32, WASI_RIGHT(WASI_R_PATH_LINK_TARGET), a[5].of.i32, a[6].of.i32,
                      false, &to);
    if (err == WASI_ESUCCESS)
        err = host_result(linkat(from.parent, from.name, to.parent, to.name, 0));
    target_free(&from);
    target_free(&to);
    return err;
}

int wasi_path_rename(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    wasi_target from, to = {.parent = -1};
    int err = resolve(w, mem, a[0].of.i32, WASI_RIGHT(WASI_R_PATH_RENAME_SOURCE), a[1].of.i32, a[2].of.i32,
                      false, &from);
    if (err == WASI_ESUCCESS)
        err = resolve(w, mem, a[3].of.i32, WASI_RIGHT(WASI_R_PATH_RENAME_TARGET), a[4].of.i32, a[5].of.i32,
                      false, &to);
    if (err == WASI_ESUCCESS)
        err = host_result(renameat(from.parent, from.name, to.parent, to.name));
    target_free(&from);
    target_free(&to);
    return err;
}

/* Rights that mean something only on a directory. */
#define WASI_DIRECTORY_ONLY_RIGHTS                                                                       \
    (WASI_RIGHT(WASI_R_PATH_CREATE_DIRECTORY) | WASI_RIGHT(WASI_R_PATH_CREATE_FILE) |                     \
     WASI_RIGHT(WASI_R_PATH_LINK_SOURCE) | WASI_RIGHT(WASI_R_PATH_LINK_TARGET) |                          \
     WASI_RIGHT(WASI_R_PATH_OPEN) | WASI_RIGHT(WASI_R_FD_READDIR) | WASI_RIGHT(WASI_R_PATH_READLINK) |   \
     WASI_RIGHT(WASI_R_PATH_RENAME_SOURCE) | WASI_RIGHT(WASI_R_PATH_RENAME_TARGET) |                      \
     WASI_RIGHT(WASI_R_PATH_FILESTAT_GET) | WASI_RIGHT(WASI_R_PATH_FILESTAT_SET_SIZE) |                   \
     WASI_RIGHT(WASI_R_PATH_FILESTAT_SET_TIMES) | WASI_RIGHT(WASI_R_PATH_SYMLINK) |                       \
     WASI_RIGHT(WASI_R_PATH_REMOVE_DIRECTORY) | WASI_RIGHT(WASI_R_PATH_UNLINK_FILE))

/* Host open(2) flags for path_open's oflags, requested rights and fdflags. */
static int open_flags(uint32_t oflags, uint64_t rights, uint32_t fdflags)
{
    bool read = rights & (WASI_RIGHT(WASI_R_FD_READ) | WASI_RIGHT(WASI_R_FD_READDIR));
    bool write = rights & WASI_RIGHT(WASI_R_FD_WRITE);
    /* A directory is never opened for writing, whatever rights are asked. */
    if (oflags & WASI_O_DIRECTORY)
        write = false;
    int flags = write ? (read ? O_RDWR : O_WRONLY) : O_RDONLY;
    flags |= O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | wasi_fdflags_to_host(fdflags);
    if (oflags & WASI_O_CREAT)
        flags |= O_CREAT;
    if (oflags & WASI_O_DIRECTORY)
        flags |= O_DIRECTORY;
    if (oflags & WASI_O_EXCL)
        flags |= O_EXCL;
    if (oflags & WASI_O_TRUNC)
        flags |= O_TRUNC;
    return flags;
}

static int open_retrying(int dir, const char *name, int flags)
{
    int fd;
    do
        fd = openat(dir, name, flags, 0666);
    while (fd < 0 && errno == EINTR);
    return fd;
}

/* Put host fd into a new guest slot with the given rights. */
static int install_fd(ward_wasi *w, ward_memory *mem, int host, uint64_t base, uint64_t inheriting, uint32_t out_ptr)
{
    struct stat st;
    uint32_t slot;
    if (fstat(host, &st) != 0) {
        int e = wasi_errno(errno);
        close(host);
        return e;
    }
    int err = wasi_fd_alloc(w, &slot);
    if (err != WASI_ESUCCESS) {
        close(host);
        return err;
    }
    wasi_fd *f = &w->fds[slot];
    f->open = true;
    f->host = host;
    f->filetype = wasi_filetype_of_mode(st.st_mode);
    f->rights_base = base & ~(f->filetype == WASI_FILETYPE_DIRECTORY ? WASI_OFFSET_RIGHTS : WASI_DIRECTORY_ONLY_RIGHTS);
    f->rights_inheriting = f->filetype == WASI_FILETYPE_DIRECTORY ? inheriting : 0;
    wasi_store_u32(mem, out_ptr, slot);
    return WASI_ESUCCESS;
}

int wasi_path_open(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    uint32_t fd = a[0].of.i32, oflags = a[4].of.i32, fdflags = a[7].of.i32;
    uint64_t base = a[5].of.i64, inheriting = a[6].of.i64;
    if (oflags > 15 || fdflags > 31)
        return WASI_EINVAL;
    if (!wasi_span(mem, a[8].of.i32, 4))
        return WASI_EFAULT;
    uint64_t need = WASI_RIGHT(WASI_R_PATH_OPEN);
    if (oflags & WASI_O_CREAT)
        need |= WASI_RIGHT(WASI_R_PATH_CREATE_FILE);
    if (oflags & WASI_O_TRUNC)
        need |= WASI_RIGHT(WASI_R_PATH_FILESTAT_SET_SIZE);
    wasi_target t;
    bool follow = a[1].of.i32 & WASI_LOOKUP_SYMLINK_FOLLOW;
    int err = resolve(w, mem, fd, need, a[2].of.i32, a[3].of.i32, follow, &t);
    if (err != WASI_ESUCCESS)
        return err;
    /* A child never gets more than its directory passes on. */
    uint64_t allowed = w->fds[fd].rights_inheriting;
    int host = open_retrying(t.parent, t.name, open_flags(oflags, base & allowed, fdflags));
    /* Rights to write a file, asked for a directory (a guest reopening "."
     * with its preopen's own rights): they do not apply to it, and the spec
     * lets path_open give fewer rights than asked when they do not apply to
     * the file's type, so it opens as the directory it is. */
    if (host < 0 && errno == EISDIR && !(oflags & (WASI_O_CREAT | WASI_O_TRUNC)))
        host = open_retrying(t.parent, t.name, open_flags(oflags | WASI_O_DIRECTORY, base & allowed, fdflags));
    err = host < 0 ? wasi_errno(errno) : WASI_ESUCCESS;
    target_free(&t);
    if (err != WASI_ESUCCESS)
        return err;
    return install_fd(w, mem, host, base & allowed, inheriting & allowed, a[8].of.i32);
}
