/* Reading whole files for the command-line tool and the spec-test runner. */
#ifndef WARD_HOST_FILE_H
#define WARD_HOST_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "../common/util.h"

/* Files larger than this are refused rather than read (no unbounded allocation). */
#define WFILE_MAX_SIZE ((size_t)1 << 30)

/*
 * Read all of `path` into a new buffer the caller frees, with a NUL byte
 * after the last one (so text files can be parsed as strings).  Returns
 * NULL and fills *err when the file is missing, unreadable or too large.
 */
uint8_t *wfile_read(const char *path, size_t *size, werror *err);

#endif
