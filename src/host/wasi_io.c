/* WASI preview 1: reading and writing descriptors that may block (pipes,
 * sockets, terminals) so that ward_store_interrupt and the store's timeout
 * end the wait, and so that a closed reader is EPIPE for the guest, never
 * SIGPIPE for the host (docs/wasi.md, "Blocking calls").
 *
 * A call first waits for the descriptor in ward_caller_poll (which wakes
 * on an interrupt and sleeps no later than the deadline), then does the
 * operation, which then finds the descriptor ready.  Sockets say so
 * themselves (MSG_DONTWAIT: a wake that was not for us waits again);
 * pipes are written PIPE_BUF bytes at a time, which a writable pipe always
 * takes without blocking.  A descriptor the guest or the embedder made
 * non-blocking is not waited for: the operation answers EAGAIN. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "wasi.h"

/* Pieces of one PIPE_BUF-sized write; fewer bytes go when more are needed. */
#define WASI_CHUNK_PIECES 16

static bool is_socket(uint8_t filetype)
{
    return filetype == WASI_FILETYPE_SOCKET_STREAM || filetype == WASI_FILETYPE_SOCKET_DGRAM;
}

/* Regular files, directories and block devices answer at once. */
static bool may_block(uint8_t filetype)
{
    return filetype != WASI_FILETYPE_REGULAR_FILE && filetype != WASI_FILETYPE_DIRECTORY &&
           filetype != WASI_FILETYPE_BLOCK_DEVICE;
}

/* Should a call on host descriptor fd wait for it (interruptibly) first? */
static bool waits(const wasi_waiter *wt, int fd, uint8_t filetype)
{
    if (!wt || !may_block(filetype))
        return false;
    int fl = fcntl(fd, F_GETFL);
    return fl >= 0 && !(fl & O_NONBLOCK);
}

int wasi_wait_fd(const wasi_waiter *wt, int fd, short events)
{
    struct pollfd p = {.fd = fd, .events = events, .revents = 0};
    if (ward_caller_poll(wt->caller, &p, 1, -1, wt->trap) >= 0)
        return WASI_ESUCCESS; /* ready, or an error the operation reports */
    return errno == ECANCELED ? WASI_TRAP_STOP : wasi_errno(errno);
}

/* ---- SIGPIPE ---------------------------------------------------------------- */

/* A write to a pipe whose reader is gone raises SIGPIPE, whose default
 * action kills the process.  The embedder's handlers and dispositions stay
 * as they are: SIGPIPE is blocked on this thread around the write, and a
 * SIGPIPE the write raised (it is then pending) is taken back unless one
 * was pending already. */
typedef struct sigpipe_guard {
    sigset_t old_mask;
    bool blocked;
    bool was_pending;
} sigpipe_guard;

static void sigpipe_set(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGPIPE);
}

static void sigpipe_block(sigpipe_guard *g)
{
    sigset_t pipe_only, pending;
    sigpipe_set(&pipe_only);
    g->blocked = pthread_sigmask(SIG_BLOCK, &pipe_only, &g->old_mask) == 0;
    g->was_pending = sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1;
}

static void sigpipe_restore(sigpipe_guard *g, bool raised)
{
    if (!g->blocked)
        return;
    if (raised && !g->was_pending) {
        sigset_t pipe_only;
        sigpipe_set(&pipe_only);
        struct timespec no_wait = {0, 0};
        while (sigtimedwait(&pipe_only, NULL, &no_wait) < 0 && errno == EINTR)
            ;
    }
    pthread_sigmask(SIG_SETMASK, &g->old_mask, NULL);
}

/* ---- reading -------------------------------------------------------------- */

/* Drop the first n bytes of msg's buffers (MSG_WAITALL: read the rest). */
static void iov_advance(struct msghdr *msg, size_t n)
{
    while (msg->msg_iovlen && n >= msg->msg_iov[0].iov_len) {
        n -= msg->msg_iov[0].iov_len;
        msg->msg_iov++;
        msg->msg_iovlen--;
    }
    if (msg->msg_iovlen) {
        msg->msg_iov[0].iov_base = (char *)msg->msg_iov[0].iov_base + n;
        msg->msg_iov[0].iov_len -= n;
    }
}

static size_t iov_total(const struct iovec *v, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += v[i].iov_len;
    return total;
}

/* One read, waiting first when wait: bytes, or -1 with *err. */
static ssize_t read_once(const wasi_waiter *wt, int fd, bool sock, bool wait, struct msghdr *msg, int flags,
                         int *err)
{
    for (;;) {
        if (wait && (*err = wasi_wait_fd(wt, fd, POLLIN)) != WASI_ESUCCESS)
            return -1;
        ssize_t n;
        do
            n = sock ? recvmsg(fd, msg, flags | (wait ? MSG_DONTWAIT : 0))
                     : readv(fd, msg->msg_iov, (int)msg->msg_iovlen);
        while (n < 0 && errno == EINTR);
        if (n >= 0)
            return n;
        if (!wait || (errno != EAGAIN && errno != EWOULDBLOCK)) {
            *err = wasi_errno(errno);
            return -1;
        }
    }
}

ssize_t wasi_read_stream(const wasi_waiter *wt, int fd, uint8_t filetype, struct msghdr *msg, int flags, int *err)
{
    bool sock = is_socket(filetype), wait = waits(wt, fd, filetype);
    /* MSG_WAITALL under MSG_DONTWAIT returns what is there: read on until
     * full or the end, waiting (interruptibly) between the pieces.  Peeked
     * bytes stay queued, so MSG_PEEK gives what is there. */
    if (!sock || !wait || !(flags & MSG_WAITALL) || (flags & MSG_PEEK))
        return read_once(wt, fd, sock, wait, msg, flags, err);
    struct iovec *first = msg->msg_iov;
    size_t first_len = msg->msg_iovlen, want = iov_total(first, first_len), got = 0;
    ssize_t r = 0;
    while (got < want) {
        ssize_t n = read_once(wt, fd, sock, wait, msg, flags & ~MSG_WAITALL, err);
        if (n < 0 && (got == 0 || *err == WASI_TRAP_STOP))
            r = -1;
        if (n <= 0)
            break;
        got += (size_t)n;
        iov_advance(msg, (size_t)n);
    }
    msg->msg_iov = first; /* the caller frees the array */
    msg->msg_iovlen = first_len;
    return r < 0 ? -1 : (ssize_t)got;
}

/* ---- writing -------------------------------------------------------------- */

/* Up to max bytes of v[0..n) from byte skip on, as pieces in out. */
static int iov_window(const struct iovec *v, int n, size_t skip, size_t max, struct iovec *out)
{
    int k = 0;
    for (int i = 0; i < n && max > 0 && k < WASI_CHUNK_PIECES; i++) {
        if (skip >= v[i].iov_len) {
            skip -= v[i].iov_len;
            continue;
        }
        size_t len = v[i].iov_len - skip < max ? v[i].iov_len - skip : max;
        out[k].iov_base = (char *)v[i].iov_base + skip;
        out[k++].iov_len = len;
        max -= len;
        skip = 0;
    }
    return k;
}

/* A socket: MSG_NOSIGNAL, and MSG_DONTWAIT after the wait (a partial
 * send is a normal answer). */
static ssize_t send_stream(const wasi_waiter *wt, int fd, bool wait, struct iovec *v, int n, int *err)
{
    struct msghdr msg = {.msg_iov = v, .msg_iovlen = (size_t)n};
    for (;;) {
        if (wait && (*err = wasi_wait_fd(wt, fd, POLLOUT)) != WASI_ESUCCESS)
            return -1;
        ssize_t done;
        do
            done = sendmsg(fd, &msg, MSG_NOSIGNAL | (wait ? MSG_DONTWAIT : 0));
        while (done < 0 && errno == EINTR);
        if (done >= 0)
            return done;
        if (!wait || (errno != EAGAIN && errno != EWOULDBLOCK)) {
            *err = wasi_errno(errno);
            return -1;
        }
    }
}

/* How much one write to a pipe may carry without blocking: PIPE_BUF,
 * which any writable pipe takes, or its whole capacity when it is empty
 * (Linux: the bulk of a guest's output to a reader that keeps up). */
static size_t pipe_room(int fd)
{
#ifdef F_GETPIPE_SZ
    int unread = 0, capacity = fcntl(fd, F_GETPIPE_SZ);
    if (capacity > PIPE_BUF && ioctl(fd, FIONREAD, &unread) == 0 && unread == 0)
        return (size_t)capacity;
#endif
    return PIPE_BUF;
}

/* A pipe (or another descriptor of unknown type): wait, write what it
 * takes without blocking, again, until all is written.  An error after
 * some bytes reports those (the next write gets the error). */
static ssize_t write_chunks(const wasi_waiter *wt, int fd, struct iovec *v, int n, bool *raised, int *err)
{
    size_t want = iov_total(v, (size_t)n), done = 0;
    while (done < want || want == 0) {
        if ((*err = wasi_wait_fd(wt, fd, POLLOUT)) != WASI_ESUCCESS)
            return done && *err != WASI_TRAP_STOP ? (ssize_t)done : -1;
        struct iovec piece[WASI_CHUNK_PIECES];
        int k = iov_window(v, n, done, pipe_room(fd), piece);
        ssize_t w;
        do
            w = writev(fd, piece, k);
        while (w < 0 && errno == EINTR);
        if (w < 0) {
            *raised = errno == EPIPE;
            *err = wasi_errno(errno);
            return done ? (ssize_t)done : -1;
        }
        done += (size_t)w;
        if (want == 0)
            break;
    }
    return (ssize_t)done;
}

/* Terminals and other character devices: one wait, one write. */
static ssize_t write_once(const wasi_waiter *wt, int fd, bool wait, struct iovec *v, int n, bool *raised, int *err)
{
    if (wait && (*err = wasi_wait_fd(wt, fd, POLLOUT)) != WASI_ESUCCESS)
        return -1;
    ssize_t w;
    do
        w = writev(fd, v, n);
    while (w < 0 && errno == EINTR);
    if (w < 0) {
        *raised = errno == EPIPE;
        *err = wasi_errno(errno);
    }
    return w;
}

ssize_t wasi_write_stream(const wasi_waiter *wt, int fd, uint8_t filetype, struct iovec *v, int n, int *err)
{
    bool wait = waits(wt, fd, filetype);
    if (is_socket(filetype))
        return send_stream(wt, fd, wait, v, n, err);
    if (!may_block(filetype))
        return write_once(wt, fd, false, v, n, &(bool){false}, err); /* files raise no SIGPIPE */
    sigpipe_guard guard;
    bool raised = false;
    sigpipe_block(&guard);
    ssize_t r = wait && filetype == WASI_FILETYPE_UNKNOWN ? write_chunks(wt, fd, v, n, &raised, err)
                                                         : write_once(wt, fd, wait, v, n, &raised, err);
    sigpipe_restore(&guard, raised);
    return r;
}
