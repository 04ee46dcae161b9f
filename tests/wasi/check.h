/* Checks for the WASI guest programs: each prints "ok NAME" or "FAIL NAME:
 * ...", and check_done() the final "NAME: N passed, N failed" line.
 *
 * The same program also runs under node's WASI to compare output byte for
 * byte.  Where preview 1 leaves the errno to the runtime (node answers
 * ENOTCAPABLE to an escape where ward, like wasmtime, answers EPERM),
 * check_errno2 accepts node's answer too, unless WARD_STRICT=1 is in the
 * environment (the runner sets it for ward only): the printed line is the
 * same either way. */
#ifndef WARD_WASI_CHECK_H
#define WARD_WASI_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

static int checks_passed, checks_failed;

/* Preview-1 functions this wasi-libc has no wrapper for: the raw import. */
#define WASI_IMPORT(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(name)))
WASI_IMPORT("proc_raise") int32_t raw_proc_raise(int32_t sig);

/* Each line flushed at once: a hang or crash shows where it happened. */
static void check(const char *name, int ok)
{
    if (ok) {
        checks_passed++;
        printf("ok %s\n", name);
    } else {
        checks_failed++;
        printf("FAIL %s\n", name);
    }
    fflush(stdout);
}

static void check_errno(const char *name, int got, int want)
{
    if (got == want) {
        checks_passed++;
        printf("ok %s\n", name);
    } else {
        checks_failed++;
        printf("FAIL %s: errno %d, expected %d\n", name, got, want);
    }
    fflush(stdout);
}

static int strict_mode(void)
{
    const char *s = getenv("WARD_STRICT");
    return s && strcmp(s, "1") == 0;
}

/* want is ward's (and wasmtime's) answer; other is another runtime's. */
__attribute__((unused)) static void check_errno2(const char *name, int got, int want, int other)
{
    check_errno(name, got == other && !strict_mode() ? want : got, want);
}

static int check_done(const char *program)
{
    printf("%s: %d passed, %d failed\n", program, checks_passed, checks_failed);
    fflush(stdout);
    return checks_failed ? 1 : 0;
}

#endif
