/* Reading whole files into memory, with the size checked before allocating. */
#define _POSIX_C_SOURCE 200809L /* fileno */
#define _DEFAULT_SOURCE         /* madvise's MADV_HUGEPAGE (Linux) */
#include "file.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* A big file's buffer asks for huge pages where the kernel gives them on
 * request (transparent huge pages in "madvise" mode): filling 48 MB took
 * 12,000 page faults, about 0.1 s of system time on this VM, and takes a
 * few dozen this way.  Only a hint: nothing depends on it. */
static void advise_huge_pages(void *buf, size_t len)
{
#if defined(MADV_HUGEPAGE)
    long page = sysconf(_SC_PAGESIZE);
    if (len < ((size_t)8 << 20) || page <= 0)
        return;
    uintptr_t start = ((uintptr_t)buf + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
    uintptr_t end = ((uintptr_t)buf + len) & ~((uintptr_t)page - 1);
    if (end > start)
        (void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
    (void)buf;
    (void)len;
#endif
}

/* The size of an open file, or -1 when it cannot be told (a pipe, an error). */
static long file_size(FILE *f)
{
    if (fseek(f, 0, SEEK_END) != 0)
        return -1;
    long size = ftell(f);
    if (fseek(f, 0, SEEK_SET) != 0)
        return -1;
    return size;
}

uint8_t *wfile_read(const char *path, size_t *size, werror *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        werror_set(err, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    /* fopen opens a directory happily; say what is wrong instead of a
     * nonsense size or a read error. */
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        werror_set(err, "cannot read %s: %s", path, strerror(EISDIR));
        fclose(f);
        return NULL;
    }
    long len = file_size(f);
    if (len < 0 || (unsigned long)len >= WFILE_MAX_SIZE) {
        werror_set(err, "%s: %s", path, len < 0 ? "cannot tell its size" : "file too large");
        fclose(f);
        return NULL;
    }
    uint8_t *buf = malloc((size_t)len + 1);
    if (!buf) {
        werror_set(err, "%s: out of memory", path);
        fclose(f);
        return NULL;
    }
    advise_huge_pages(buf, (size_t)len);
    errno = 0;
    size_t got = fread(buf, 1, (size_t)len, f);
    int read_errno = errno;
    bool failed = ferror(f) || got != (size_t)len;
    fclose(f);
    if (failed) {
        werror_set(err, "cannot read %s: %s", path,
                   read_errno ? strerror(read_errno) : "the file changed size while being read");
        free(buf);
        return NULL;
    }
    buf[got] = 0;
    *size = got;
    return buf;
}
