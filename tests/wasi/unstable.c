/* WASI guest: the older snapshot, wasi_unstable, as old toolchains import
 * it.  Its functions are preview 1's but for a few layouts and numbers
 * (phases/old/snapshot_0 of the WASI repository), each checked here:
 * fd_seek's whence is cur 0, end 1, set 2; a filestat is 56 bytes with a
 * 32-bit nlink at 20 (size at 24, times at 32, 40, 48); a clock
 * subscription of poll_oneoff carries an `identifier` u64 before its id
 * (a 56-byte subscription); rights stop before sock_accept. */
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>

#include "check.h"

#define UNSTABLE(name) __attribute__((import_module("wasi_unstable"), import_name(name)))
UNSTABLE("fd_seek") int32_t u_fd_seek(int32_t fd, int64_t offset, int32_t whence, uint64_t *pos);
UNSTABLE("fd_tell") int32_t u_fd_tell(int32_t fd, uint64_t *pos);
UNSTABLE("fd_filestat_get") int32_t u_fd_filestat_get(int32_t fd, uint8_t *out);
UNSTABLE("path_filestat_get")
int32_t u_path_filestat_get(int32_t fd, int32_t flags, const char *path, int32_t len, uint8_t *out);
UNSTABLE("fd_fdstat_get") int32_t u_fd_fdstat_get(int32_t fd, uint8_t *out);
UNSTABLE("poll_oneoff") int32_t u_poll_oneoff(const uint8_t *in, uint8_t *out, int32_t n, int32_t *nevents);
UNSTABLE("fd_write") int32_t u_fd_write(int32_t fd, const uint32_t *iovs, int32_t n, uint32_t *written);
UNSTABLE("args_sizes_get") int32_t u_args_sizes_get(uint32_t *argc, uint32_t *size);

enum { U_WHENCE_CUR = 0, U_WHENCE_END = 1, U_WHENCE_SET = 2 };

static uint64_t get_u64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static uint32_t get_u32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static void test_seek(int fd)
{
    uint64_t pos = 0;
    check("unstable fd_seek set (2)", u_fd_seek(fd, 3, U_WHENCE_SET, &pos) == 0 && pos == 3);
    check("unstable fd_seek cur (0)", u_fd_seek(fd, 2, U_WHENCE_CUR, &pos) == 0 && pos == 5);
    check("unstable fd_seek end (1)", u_fd_seek(fd, -1, U_WHENCE_END, &pos) == 0 && pos == 9);
    check("unstable fd_tell", u_fd_tell(fd, &pos) == 0 && pos == 9);
    check_errno("unstable fd_seek whence 3", u_fd_seek(fd, 0, 3, &pos), __WASI_ERRNO_INVAL);
}

/* The 56-byte filestat, and nothing written past it. */
static void check_filestat(const char *what, const uint8_t *st, uint8_t filetype, uint64_t size, uint32_t nlink)
{
    char name[96];
    snprintf(name, sizeof name, "unstable %s: filetype at 16", what);
    check(name, st[16] == filetype);
    snprintf(name, sizeof name, "unstable %s: 32-bit nlink at 20", what);
    check(name, get_u32(st + 20) == nlink);
    snprintf(name, sizeof name, "unstable %s: size at 24", what);
    check(name, get_u64(st + 24) == size);
    snprintf(name, sizeof name, "unstable %s: times at 32, 40, 48", what);
    check(name, get_u64(st + 32) > 1000000000ull && get_u64(st + 40) > 1000000000ull &&
                    get_u64(st + 48) > 1000000000ull); /* after 1970 + 1 s, in ns */
    snprintf(name, sizeof name, "unstable %s: 56 bytes, no more", what);
    int untouched = 1;
    for (int i = 56; i < 72; i++)
        untouched &= st[i] == 0xAA;
    check(name, untouched);
}

static void test_filestat(int fd)
{
    uint8_t st[72];
    memset(st, 0xAA, sizeof st);
    check("unstable fd_filestat_get", u_fd_filestat_get(fd, st) == 0);
    check_filestat("fd_filestat_get", st, __WASI_FILETYPE_REGULAR_FILE, 10, 1);
    __wasi_filestat_t p1;
    check("preview 1 agrees", __wasi_fd_filestat_get(fd, &p1) == 0 && p1.ino == get_u64(st + 8) &&
                                  p1.dev == get_u64(st) && p1.mtim == get_u64(st + 40));
    memset(st, 0xAA, sizeof st);
    const char *path = "u.txt";
    check("unstable path_filestat_get", u_path_filestat_get(3, 0, path, (int32_t)strlen(path), st) == 0);
    check_filestat("path_filestat_get", st, __WASI_FILETYPE_REGULAR_FILE, 10, 1);
    memset(st, 0xAA, sizeof st);
    check("unstable path_filestat_get dir", u_path_filestat_get(3, 0, ".", 1, st) == 0 &&
                                                st[16] == __WASI_FILETYPE_DIRECTORY && get_u32(st + 20) >= 2);
}

static void test_fdstat(int fd)
{
    uint8_t st[24];
    check("unstable fd_fdstat_get", u_fd_fdstat_get(fd, st) == 0 && st[0] == __WASI_FILETYPE_REGULAR_FILE);
    check("unstable rights stop before sock_accept", (get_u64(st + 8) >> 29) == 0 && (get_u64(st + 16) >> 29) == 0);
}

/* One relative clock of 1 ms: the event carries the subscription's
 * userdata, read from the 56-byte layout (id at 24, timeout at 32). */
static void test_poll(void)
{
    uint8_t sub[2 * 56], ev[2 * 32];
    memset(sub, 0, sizeof sub);
    uint64_t userdata = 0x1122334455667788ull, identifier = 99, timeout = 1000000;
    uint32_t monotonic = 1;
    memcpy(sub, &userdata, 8);
    sub[8] = 0; /* eventtype clock */
    memcpy(sub + 16, &identifier, 8);
    memcpy(sub + 24, &monotonic, 4);
    memcpy(sub + 32, &timeout, 8);
    /* a second subscription right after it, 56 bytes on: fd_write on stdout */
    uint64_t userdata2 = 7;
    memcpy(sub + 56, &userdata2, 8);
    sub[56 + 8] = 2; /* fd_write */
    sub[56 + 16] = 1; /* fd 1 */
    int32_t n = 0;
    check("unstable poll_oneoff", u_poll_oneoff(sub, ev, 2, &n) == 0 && n >= 1);
    int saw_write = 0;
    for (int i = 0; i < n; i++)
        saw_write |= get_u64(ev + 32 * i) == userdata2 && ev[32 * i + 10] == 2;
    check("unstable poll_oneoff: fd_write event from the second 56-byte subscription", saw_write);
    /* the clock alone: it fires after its timeout */
    n = 0;
    check("unstable poll_oneoff clock", u_poll_oneoff(sub, ev, 1, &n) == 0 && n == 1 &&
                                            get_u64(ev) == userdata && ev[10] == 0 && ev[8] == 0 && ev[9] == 0);
}

static void test_write(void)
{
    const char *msg = "hello from wasi_unstable\n";
    uint32_t iov[2] = {(uint32_t)(uintptr_t)msg, (uint32_t)strlen(msg)};
    uint32_t written = 0;
    fflush(stdout);
    check("unstable fd_write", u_fd_write(1, iov, 1, &written) == 0 && written == strlen(msg));
    uint32_t argc = 0, size = 0;
    check("unstable args_sizes_get", u_args_sizes_get(&argc, &size) == 0 && argc == 1);
}

int main(void)
{
    int fd = open("/sandbox/u.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    check("open u.txt", fd >= 0 && write(fd, "0123456789", 10) == 10);
    test_seek(fd);
    test_filestat(fd);
    test_fdstat(fd);
    close(fd);
    unlink("/sandbox/u.txt");
    test_poll();
    test_write();
    return check_done("unstable");
}
