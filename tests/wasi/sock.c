/* WASI guest: sock_* on a socket the host passes in as stdin (fd 0).
 *   sock.wasm pair    fd 0 is one end of a connected pair: echo one message
 *   sock.wasm listen  fd 0 listens: accept one connection and echo on it
 *   sock.wasm tcplisten  the same on fd 3, from ward run --tcplisten
 * The peer (sock_harness.py) sends "ping", expects "echo:ping", then EOF. */
#include <stdint.h>

#include "check.h"

static void echo(__wasi_fd_t fd)
{
    char buf[64] = {0};
    __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf - 1};
    __wasi_size_t n = 0;
    __wasi_roflags_t flags = 1;
    check("sock_recv peek", __wasi_sock_recv(fd, &iov, 1, __WASI_RIFLAGS_RECV_PEEK,
                                             &n, &flags) == 0 && n > 0 && flags == 0);
    check("sock_recv", __wasi_sock_recv(fd, &iov, 1, 0, &n, &flags) == 0 && n == 4 && memcmp(buf, "ping", 4) == 0);
    char reply[16] = "echo:";
    memcpy(reply + 5, buf, 4);
    __wasi_ciovec_t out[2] = {{(const uint8_t *)reply, 5}, {(const uint8_t *)reply + 5, 4}};
    check("sock_send", __wasi_sock_send(fd, out, 2, 0, &n) == 0 && n == 9);
    check_errno("sock_send flags", __wasi_sock_send(fd, out, 2, 1, &n), __WASI_ERRNO_INVAL);
    check("sock_shutdown wr", __wasi_sock_shutdown(fd, __WASI_SDFLAGS_WR) == 0);
    check_errno("sock_shutdown bad how", __wasi_sock_shutdown(fd, 0), __WASI_ERRNO_INVAL);
    check("sock_recv end", __wasi_sock_recv(fd, &iov, 1, 0, &n, &flags) == 0 && n == 0);
    __wasi_fdstat_t st;
    check("fdstat says socket", __wasi_fd_fdstat_get(fd, &st) == 0 && st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM);
}

int main(int argc, char **argv)
{
    /* listen: the socket is stdin; tcplisten: ward's --tcplisten made it fd 3. */
    int listening = argc > 1 && (strcmp(argv[1], "listen") == 0 || strcmp(argv[1], "tcplisten") == 0);
    __wasi_fd_t server = argc > 1 && strcmp(argv[1], "tcplisten") == 0 ? 3 : 0;
    if (listening) {
        __wasi_fd_t conn = 0;
        check("sock_accept", __wasi_sock_accept(server, 0, &conn) == 0 && conn > server);
        echo(conn);
        check_errno("sock_accept on a connection", __wasi_sock_accept(conn, 0, &conn), __WASI_ERRNO_NOTCAPABLE);
        check("fd_close connection", __wasi_fd_close(conn) == 0);
    } else {
        echo(0);
    }
    return check_done("sock");
}
