/* State of one script run, shared by the runner's files. */
#ifndef WARD_WAST_INTERNAL_H
#define WARD_WAST_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "../include/ward.h"
#include "wast_cmd.h"

typedef struct wast_counts {
    unsigned long passed, failed, skipped;
} wast_counts;

/* A module instance named in the script ("$M"); inst is NULL when the module
 * failed, so later actions on it fail instead of reaching an older one. */
typedef struct wast_named {
    char *name;
    ward_instance *inst;
} wast_named;

typedef struct wast_script {
    const char *path;     /* the script: .json from wast2json, or the .wast */
    const char *source;   /* the .wast (line numbers refer to it) */
    bool verbose;
    bool threads;         /* --threads: the engine enables the threads proposal */
    bool extended_const;  /* --extended-const: constant expressions may add, sub, mul */
    bool multi_memory;    /* --multi-memory: several memories per module */
    bool memory64;        /* --memory64: memories with i64 addresses */
    bool exceptions;      /* --exceptions: legacy exception handling */
    int line;             /* of the command being run */

    ward_engine *engine;
    ward_store *store;
    ward_linker *linker;
    ward_memory *shared_memory; /* --threads: spectest.shared_memory */
    /* Every loaded module stays alive until the store is gone: even a failed
     * instantiation may leave its functions in imported tables. */
    ward_module **modules;
    size_t nmodules, cap_modules;
    wast_named *named;
    size_t nnamed, cap_named;
    ward_instance *current;   /* the last module command's instance */

    wast_counts counts;
} wast_script;

/* Stands for a NUL byte inside parsed JSON strings (see wast_json.c). */
#define WAST_NUL_BYTE 0xFF

void wast_pass(wast_script *s);
void wast_skip(wast_script *s);
/* Count a failure; with -v, print it with the command's line number. */
void wast_fail(wast_script *s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Run one command of the script. */
void wast_run_command(wast_script *s, const wast_cmd *cmd);

#endif
