/* WASI preview 1: sock_* on sockets the embedder handed in (preview 1 has no
 * way to create one).  Any other descriptor answers ENOTSOCK. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wasi.h"

/* The socket behind fd, with the rights `need`. */
static wasi_fd *socket_fd(ward_wasi *w, uint32_t fd, uint64_t need, int *err)
{
    wasi_fd *f = wasi_fd_get(w, fd, need, err);
    if (f && f->filetype != WASI_FILETYPE_SOCKET_STREAM && f->filetype != WASI_FILETYPE_SOCKET_DGRAM) {
        *err = WASI_ENOTSOCK;
        return NULL;
    }
    return f;
}

/* What an accepted connection may do. */
#define WASI_CONNECTION_RIGHTS                                                                          \
    (WASI_RIGHT(WASI_R_FD_READ) | WASI_RIGHT(WASI_R_FD_WRITE) | WASI_RIGHT(WASI_R_FD_FDSTAT_SET_FLAGS) | \
     WASI_RIGHT(WASI_R_FD_FILESTAT_GET) | WASI_RIGHT(WASI_R_POLL_FD_READWRITE) |                        \
     WASI_RIGHT(WASI_R_SOCK_SHUTDOWN))

/* accept4, waiting first (interruptibly) unless the listener is
 * non-blocking: -1 with *err a WASI errno or WASI_TRAP_STOP. */
static int accept_connection(const wasi_waiter *wt, int listener, int flags, int *err)
{
    int fl = fcntl(listener, F_GETFL);
    if (fl >= 0 && !(fl & O_NONBLOCK) && (*err = wasi_wait_fd(wt, listener, POLLIN)) != WASI_ESUCCESS)
        return -1;
    int host;
    do
        host = accept4(listener, NULL, NULL, flags);
    while (host < 0 && errno == EINTR);
    if (host < 0)
        *err = wasi_errno(errno);
    return host;
}

int wasi_sock_accept(ward_wasi *w, ward_memory *mem, const ward_val *a, const wasi_waiter *wt)
{
    int err;
    uint32_t flags = a[1].of.i32;
    wasi_fd *f = socket_fd(w, a[0].of.i32, WASI_RIGHT(WASI_R_SOCK_ACCEPT), &err);
    if (!f)
        return err;
    if (flags & ~(uint32_t)WASI_FDFLAG_NONBLOCK)
        return WASI_EINVAL;
    if (!wasi_span(mem, a[2].of.i32, 4))
        return WASI_EFAULT;
    int listener = f->host;
    wasi_blocking_begin(w);
    int host = accept_connection(wt, listener, SOCK_CLOEXEC | (flags ? SOCK_NONBLOCK : 0), &err);
    wasi_blocking_end(w);
    if (host < 0)
        return err;
    uint32_t slot;
    if ((err = wasi_fd_alloc(w, &slot)) != WASI_ESUCCESS) {
        close(host);
        return err;
    }
    wasi_fd *c = &w->fds[slot];
    c->open = true;
    c->host = host;
    c->filetype = WASI_FILETYPE_SOCKET_STREAM;
    c->rights_base = WASI_CONNECTION_RIGHTS;
    wasi_store_u32(mem, a[2].of.i32, slot);
    return WASI_ESUCCESS;
}

/* riflags: peek 1, waitall 2.  roflags: data truncated 1. */
int wasi_sock_recv(ward_wasi *w, ward_memory *mem, const ward_val *a, const wasi_waiter *wt)
{
    int err;
    uint32_t riflags = a[3].of.i32;
    wasi_fd *f = socket_fd(w, a[0].of.i32, WASI_RIGHT(WASI_R_FD_READ), &err);
    if (!f)
        return err;
    if (riflags & ~3u)
        return WASI_EINVAL;
    if (!wasi_span(mem, a[4].of.i32, 4) || !wasi_span(mem, a[5].of.i32, 2))
        return WASI_EFAULT;
    struct msghdr msg = {0};
    void *iov;
    if ((err = wasi_iovecs(mem, a[1].of.i32, a[2].of.i32, &iov)) != WASI_ESUCCESS)
        return err;
    msg.msg_iov = iov;
    msg.msg_iovlen = a[2].of.i32;
    int flags = (riflags & 1 ? MSG_PEEK : 0) | (riflags & 2 ? MSG_WAITALL : 0);
    int host = f->host;
    uint8_t filetype = f->filetype;
    wasi_blocking_begin(w);
    ssize_t n = wasi_read_stream(wt, host, filetype, &msg, flags, &err);
    wasi_blocking_end(w);
    free(iov);
    if (n < 0)
        return err;
    wasi_store_u32(mem, a[4].of.i32, (uint32_t)n);
    uint8_t *ro = wasi_span(mem, a[5].of.i32, 2);
    wasi_put_u16(ro, msg.msg_flags & MSG_TRUNC ? 1 : 0);
    return WASI_ESUCCESS;
}

int wasi_sock_send(ward_wasi *w, ward_memory *mem, const ward_val *a, const wasi_waiter *wt)
{
    int err;
    wasi_fd *f = socket_fd(w, a[0].of.i32, WASI_RIGHT(WASI_R_FD_WRITE), &err);
    if (!f)
        return err;
    if (a[3].of.i32 != 0)
        return WASI_EINVAL;   /* preview 1 defines no send flags */
    if (!wasi_span(mem, a[4].of.i32, 4))
        return WASI_EFAULT;
    void *iov;
    if ((err = wasi_iovecs(mem, a[1].of.i32, a[2].of.i32, &iov)) != WASI_ESUCCESS)
        return err;
    /* with MSG_NOSIGNAL: a closed peer is EPIPE for the guest, not SIGPIPE for the host */
    int host = f->host;
    uint8_t filetype = f->filetype;
    wasi_blocking_begin(w);
    ssize_t n = wasi_write_stream(wt, host, filetype, iov, (int)a[2].of.i32, &err);
    wasi_blocking_end(w);
    free(iov);
    if (n < 0)
        return err;
    wasi_store_u32(mem, a[4].of.i32, (uint32_t)n);
    return WASI_ESUCCESS;
}

/* sdflags: rd 1, wr 2. */
int wasi_sock_shutdown(ward_wasi *w, ward_memory *mem, const ward_val *a)
{
    (void)mem;
    static const int how_table[4] = {-1, SHUT_RD, SHUT_WR, SHUT_RDWR};
    int err;
    uint32_t how = a[1].of.i32;
    wasi_fd *f = socket_fd(w, a[0].of.i32, WASI_RIGHT(WASI_R_SOCK_SHUTDOWN), &err);
    if (!f)
        return err;
    if (how == 0 || how > 3)
        return WASI_EINVAL;
    return shutdown(f->host, how_table[how]) == 0 ? WASI_ESUCCESS : wasi_errno(errno);
}
