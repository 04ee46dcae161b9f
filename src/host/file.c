/* Reading whole files into memory, with the size checked before allocating. */
#include "file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    size_t got = fread(buf, 1, (size_t)len, f);
    bool failed = ferror(f) || got != (size_t)len;
    fclose(f);
    if (failed) {
        werror_set(err, "cannot read %s", path);
        free(buf);
        return NULL;
    }
    buf[got] = 0;
    *size = got;
    return buf;
}
