/* WASI guest: poll_oneoff (clock, fd_read, fd_write subscriptions) and the
 * sock_* functions on descriptors that are not sockets. */
#include <stdint.h>

#include "check.h"

#define DIRFD 3

static __wasi_subscription_t clock_sub(uint64_t userdata, __wasi_clockid_t id, uint64_t ns)
{
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = userdata;
    s.u.tag = __WASI_EVENTTYPE_CLOCK;
    s.u.u.clock.id = id;
    s.u.u.clock.timeout = ns;
    return s;
}

static __wasi_subscription_t fd_sub(uint64_t userdata, uint8_t type, __wasi_fd_t fd)
{
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = userdata;
    s.u.tag = type;
    s.u.u.fd_read.file_descriptor = fd;
    return s;
}

static void test_layout(void)
{
    check("subscription is 48 bytes", sizeof(__wasi_subscription_t) == 48);
    check("event is 32 bytes", sizeof(__wasi_event_t) == 32);
}

static void test_clock(void)
{
    /* Relative, on the realtime clock as nanosleep does (node's WASI never
     * wakes from a relative monotonic one). */
    __wasi_subscription_t in[1] = {clock_sub(42, __WASI_CLOCKID_REALTIME, 10 * 1000 * 1000)};
    __wasi_event_t out[1];
    __wasi_size_t n = 0;
    __wasi_timestamp_t t0, t1;
    check("clock before", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t0) == 0);
    check("poll_oneoff clock", __wasi_poll_oneoff(in, out, 1, &n) == 0 && n == 1);
    check("clock after", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t1) == 0);
    /* node's timers round to milliseconds and may wake a little early. */
    check("slept 10 ms", t1 - t0 >= (strict_mode() ? 10 : 9) * 1000 * 1000);
    check("clock event", out[0].userdata == 42 && out[0].type == __WASI_EVENTTYPE_CLOCK && out[0].error == 0);

    /* An absolute deadline already past fires at once.  Checked in ward's
     * strict run only: node's WASI never wakes from an absolute one. */
    if (strict_mode()) {
        in[0] = clock_sub(7, __WASI_CLOCKID_MONOTONIC, t1 - 1);
        in[0].u.u.clock.flags = __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME;
        check("poll_oneoff abstime past", __wasi_poll_oneoff(in, out, 1, &n) == 0 && n == 1 && out[0].userdata == 7);
    }
    check_errno("poll_oneoff no subscriptions", __wasi_poll_oneoff(in, out, 0, &n), __WASI_ERRNO_INVAL);
}

static void test_fds(void)
{
    __wasi_fd_t fd;
    check("create poll.txt", __wasi_path_open(DIRFD, 0, "poll.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC,
                                              __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE |
                                                  __WASI_RIGHTS_POLL_FD_READWRITE | __WASI_RIGHTS_FD_SEEK,
                                              0, 0, &fd) == 0);
    __wasi_ciovec_t iov = {(const uint8_t *)"0123456789", 10};
    __wasi_size_t n;
    __wasi_filesize_t pos;
    check("write 10 bytes", __wasi_fd_write(fd, &iov, 1, &n) == 0 && n == 10);
    check("rewind", __wasi_fd_seek(fd, 4, __WASI_WHENCE_SET, &pos) == 0);
    /* A file is always ready; the long clock must not fire. */
    __wasi_subscription_t in[3] = {clock_sub(1, __WASI_CLOCKID_REALTIME, 5ull * 1000 * 1000 * 1000),
                                   fd_sub(2, __WASI_EVENTTYPE_FD_READ, fd),
                                   fd_sub(3, __WASI_EVENTTYPE_FD_WRITE, fd)};
    __wasi_event_t out[3];
    memset(out, 0, sizeof out);
    check("poll_oneoff fds", __wasi_poll_oneoff(in, out, 3, &n) == 0 && n == 2);
    int seen_read = 0, seen_write = 0;
    for (__wasi_size_t i = 0; i < n && i < 3; i++) {
        if (out[i].userdata == 2 && out[i].type == __WASI_EVENTTYPE_FD_READ && out[i].error == 0)
            seen_read = 1;
        if (out[i].userdata == 3 && out[i].type == __WASI_EVENTTYPE_FD_WRITE && out[i].error == 0)
            seen_write = 1;
    }
    check("fd_read event", seen_read);
    check("fd_write event", seen_write);
    check("close poll.txt", __wasi_fd_close(fd) == 0);

    /* A closed descriptor is an event with EBADF, not a failed call. */
    __wasi_subscription_t bad[1] = {fd_sub(9, __WASI_EVENTTYPE_FD_READ, 77)};
    check("poll_oneoff bad fd", __wasi_poll_oneoff(bad, out, 1, &n) == 0 && n == 1 && out[0].userdata == 9 &&
                                    out[0].error == __WASI_ERRNO_BADF);
    check("stdout writable", (in[0] = fd_sub(5, __WASI_EVENTTYPE_FD_WRITE, 1),
                              __wasi_poll_oneoff(in, out, 1, &n) == 0 && n == 1 && out[0].userdata == 5));
    (void)__wasi_path_unlink_file(DIRFD, "poll.txt");
}

/* Preview 1 only uses sockets the host passes in: none here. */
static void test_sockets(void)
{
    uint8_t buf[8];
    __wasi_iovec_t iov = {buf, sizeof buf};
    __wasi_ciovec_t ciov = {buf, sizeof buf};
    __wasi_size_t n;
    __wasi_roflags_t flags;
    __wasi_fd_t fd;
    const int nosup = __WASI_ERRNO_NOTCAPABLE;   /* node checks rights first */
    check_errno2("sock_recv on a file", __wasi_sock_recv(1, &iov, 1, 0, &n, &flags), __WASI_ERRNO_NOTSOCK, nosup);
    check_errno2("sock_send on a file", __wasi_sock_send(1, &ciov, 1, 0, &n), __WASI_ERRNO_NOTSOCK, nosup);
    check_errno2("sock_shutdown on a file", __wasi_sock_shutdown(1, __WASI_SDFLAGS_WR), __WASI_ERRNO_NOTSOCK, nosup);
    check_errno2("sock_accept on a directory", __wasi_sock_accept(DIRFD, 0, &fd), __WASI_ERRNO_NOTSOCK, nosup);
    check_errno2("sock_recv bad fd", __wasi_sock_recv(99, &iov, 1, 0, &n, &flags), __WASI_ERRNO_BADF, nosup);
    check_errno2("sock_accept bad fd", __wasi_sock_accept(99, 0, &fd), __WASI_ERRNO_BADF, nosup);
}

int main(void)
{
    test_layout();
    test_clock();
    test_fds();
    test_sockets();
    return check_done("poll");
}
