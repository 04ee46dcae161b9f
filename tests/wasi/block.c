/* WASI guest that blocks in one host call, for the interrupt/timeout and
 * SIGPIPE tests (run_wasi_tests.sh, test_wasi_api.c):
 *   block.wasm sleep MS      poll_oneoff on a relative monotonic clock
 *   block.wasm pollread      poll_oneoff on fd_read of stdin, no clock
 *   block.wasm read          fd_read of stdin
 *   block.wasm accept        sock_accept on fd 3 (ward run --tcplisten)
 *   block.wasm recv          accept on fd 3, then sock_recv on the connection
 *   block.wasm flood         fd_write to stdout until it fails: prints the
 *                            errno to stderr, exits 0 when it was EPIPE
 *   block.wasm sendflood     accept on fd 3, then fd_write to the connection
 *                            until it fails, as flood (ECONNRESET is fine too:
 *                            the peer's reset may come first)
 * Every blocking mode prints "returned" and exits 3 if the call comes back
 * (the tests expect the runtime to stop it first). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

static void returned(const char *what, int err)
{
    fprintf(stderr, "returned from %s: errno %d\n", what, err);
    exit(3);
}

static __wasi_fd_t accept_one(void)
{
    __wasi_fd_t conn = 0;
    int err = __wasi_sock_accept(3, 0, &conn);
    if (err)
        returned("sock_accept", err);
    return conn;
}

/* Write until an error; exit 0 when it was EPIPE (or ECONNRESET when
 * allowed). */
static int flood(__wasi_fd_t fd, int reset_ok)
{
    static uint8_t buf[65536];
    memset(buf, 'x', sizeof buf);
    __wasi_ciovec_t iov = {buf, sizeof buf};
    for (;;) {
        __wasi_size_t n = 0;
        int err = __wasi_fd_write(fd, &iov, 1, &n);
        if (err) {
            fprintf(stderr, "fd_write: errno %d\n", err);
            return err == __WASI_ERRNO_PIPE || (reset_ok && err == __WASI_ERRNO_CONNRESET) ? 0 : 1;
        }
    }
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    char buf[64];
    __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
    __wasi_size_t n = 0;
    if (strcmp(mode, "sleep") == 0 || strcmp(mode, "pollread") == 0) {
        __wasi_subscription_t sub;
        __wasi_event_t ev;
        memset(&sub, 0, sizeof sub);
        if (mode[0] == 's') {
            sub.u.tag = __WASI_EVENTTYPE_CLOCK;
            sub.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
            sub.u.u.clock.timeout = (uint64_t)atoi(argc > 2 ? argv[2] : "0") * 1000000u;
        } else {
            sub.u.tag = __WASI_EVENTTYPE_FD_READ;
            sub.u.u.fd_read.file_descriptor = 0;
        }
        int err = __wasi_poll_oneoff(&sub, &ev, 1, &n);
        if (mode[0] == 's' && err == 0) {
            printf("slept\n");
            return 0;
        }
        returned("poll_oneoff", err);
    }
    if (strcmp(mode, "read") == 0)
        returned("fd_read", __wasi_fd_read(0, &iov, 1, &n));
    if (strcmp(mode, "accept") == 0) {
        accept_one();
        returned("sock_accept", 0);
    }
    if (strcmp(mode, "recv") == 0) {
        __wasi_roflags_t flags;
        returned("sock_recv", __wasi_sock_recv(accept_one(), &iov, 1, 0, &n, &flags));
    }
    if (strcmp(mode, "flood") == 0)
        return flood(1, 0);
    if (strcmp(mode, "sendflood") == 0)
        return flood(accept_one(), 1);
    fprintf(stderr, "block.wasm: unknown mode '%s'\n", mode);
    return 2;
}
