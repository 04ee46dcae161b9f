/* WASI guest: directory descriptors, the corners an external preview-1
 * test suite caught (issue 16).  A directory has no file offset: fd_seek
 * and fd_tell on one fail and fd_fdstat_get claims neither right; and
 * path_open(preopen, ".") succeeds with the preopen's own rights (write
 * rights among them), with none, and with OFLAGS_DIRECTORY.  Run by ward
 * only (node's WASI answers some of these differently). */
#include <stdint.h>

#include "check.h"

#define DIRFD 3

/* fd_seek / fd_tell on directory fd fail with one of the errnos the suite
 * accepts. */
static int refused(__wasi_errno_t e)
{
    return e == __WASI_ERRNO_ISDIR || e == __WASI_ERRNO_BADF || e == __WASI_ERRNO_NOTCAPABLE;
}

static void check_no_offset(const char *what, __wasi_fd_t fd)
{
    char name[96];
    __wasi_filesize_t pos = 12345;
    __wasi_fdstat_t st;
    snprintf(name, sizeof name, "%s: fd_tell fails", what);
    check(name, refused(__wasi_fd_tell(fd, &pos)) && pos == 12345);
    snprintf(name, sizeof name, "%s: fd_seek cur 0 fails", what);
    check(name, refused(__wasi_fd_seek(fd, 0, __WASI_WHENCE_CUR, &pos)));
    snprintf(name, sizeof name, "%s: fd_seek set fails", what);
    check(name, refused(__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos)));
    snprintf(name, sizeof name, "%s: no fd_seek or fd_tell right", what);
    check(name, __wasi_fd_fdstat_get(fd, &st) == 0 && st.fs_filetype == __WASI_FILETYPE_DIRECTORY &&
                    !(st.fs_rights_base & (__WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL)));
}

static void test_reopen_preopen(void)
{
    __wasi_fdstat_t pre;
    check("fd_fdstat_get preopen", __wasi_fd_fdstat_get(DIRFD, &pre) == 0);
    __wasi_fd_t fd = 0;
    /* the preopen's own rights, and every right there is */
    check("path_open . with the preopen's rights",
          __wasi_path_open(DIRFD, 0, ".", 0, pre.fs_rights_base, pre.fs_rights_inheriting, 0, &fd) == 0);
    check_no_offset("reopened .", fd);
    check("fd_close", __wasi_fd_close(fd) == 0);
    check("path_open . with all rights",
          __wasi_path_open(DIRFD, 0, ".", 0, (__wasi_rights_t)0x1fffffff, (__wasi_rights_t)0x1fffffff, 0, &fd) == 0);
    __wasi_fdstat_t st;
    check("all rights: a directory",
          __wasi_fd_fdstat_get(fd, &st) == 0 && st.fs_filetype == __WASI_FILETYPE_DIRECTORY);
    check("fd_close", __wasi_fd_close(fd) == 0);
    check("path_open . with no rights", __wasi_path_open(DIRFD, 0, ".", 0, 0, 0, 0, &fd) == 0);
    check("fd_close", __wasi_fd_close(fd) == 0);
    check("path_open . OFLAGS_DIRECTORY",
          __wasi_path_open(DIRFD, 0, ".", __WASI_OFLAGS_DIRECTORY, pre.fs_rights_base, pre.fs_rights_inheriting, 0,
                           &fd) == 0);
    check("reopened . is a directory", __wasi_fd_fdstat_get(fd, &st) == 0 &&
                                           st.fs_filetype == __WASI_FILETYPE_DIRECTORY);
    check("fd_close", __wasi_fd_close(fd) == 0);
    /* truncating or creating a directory still fails as it should */
    check_errno("path_open . TRUNC", __wasi_path_open(DIRFD, 0, ".", __WASI_OFLAGS_TRUNC, pre.fs_rights_base, 0, 0, &fd),
                __WASI_ERRNO_ISDIR);
}

static void test_seek_right(void)
{
    __wasi_fd_t fd = 0;
    check("path_create_directory seekdir", __wasi_path_create_directory(DIRFD, "seekdir") == 0);
    check("path_open a directory asking for fd_seek",
          __wasi_path_open(DIRFD, 0, "seekdir", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL,
                           0, 0, &fd) == 0);
    check_no_offset("seekdir", fd);
    check("fd_close", __wasi_fd_close(fd) == 0);
    check("path_remove_directory seekdir", __wasi_path_remove_directory(DIRFD, "seekdir") == 0);
}

int main(void)
{
    check_no_offset("preopen", DIRFD);
    test_reopen_preopen();
    test_seek_right();
    return check_done("dirs");
}
