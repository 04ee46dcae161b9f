/*
 * `ward run` from the module registry (docs/contracts.md, "Module
 * registry"): `ward run [--registry DB] sha256:HEX|NAME ARGS...`.  The
 * bytes come from ward_registry_get, which hashes them again and refuses
 * them when they are not the ones their key names; the module's gas limit
 * is the run's fuel unless --fuel is smaller.  Everything after this (trust
 * policy, validation, linking) treats them as it treats a file's bytes.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "host/file.h"
#include "ward_registry.h"

const char *cli_registry_default(void)
{
    const char *env = getenv("WARD_REGISTRY");
    return env && env[0] ? env : NULL;
}

static bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* A name is looked up only when no file has it: a file always wins. */
static bool wants_registry(const char *db_path, const char *ref)
{
    if (ward_registry_is_hash_ref(ref))
        return true;
    return db_path && ward_registry_name_valid(ref) && !file_exists(ref);
}

static uint8_t *registry_bytes(const char *db_path, const char *ref, size_t *size, bool *fuel_set, uint64_t *fuel,
                               char *why, size_t why_size)
{
    ward_db_options opts;
    ward_db_options_default(&opts);
    opts.create = false;
    ward_db_error err;
    ward_db *db = ward_db_open(db_path, &opts, &err);
    ward_registry_entry e;
    uint8_t *bytes = NULL;
    if (db && ward_registry_get(db, ref, &e, &bytes, size, &err)) {
        if (!*fuel_set || *fuel > e.gas_limit)
            *fuel = e.gas_limit;
        *fuel_set = true;
    } else if (err.kind == WARD_DB_ERR_NOT_FOUND && !ward_registry_is_hash_ref(ref)) {
        snprintf(why, why_size, "%s: no such file, and no module of that name in the registry %s", ref, db_path);
    } else if (!db && !ward_registry_is_hash_ref(ref)) {
        /* a mistyped file name with WARD_REGISTRY set should not read as a registry problem only */
        snprintf(why, why_size, "%s: no such file, and the registry cannot be opened: %s", ref, err.message);
    } else {
        snprintf(why, why_size, "%s", err.message);
    }
    ward_db_close(db);
    return bytes;
}

uint8_t *cli_module_bytes(const char *registry, const char *path, size_t *size, bool *fuel_set, uint64_t *fuel,
                          char *why, size_t why_size)
{
    const char *db_path = registry ? registry : cli_registry_default();
    if (!wants_registry(db_path, path)) {
        werror err;
        uint8_t *bytes = wfile_read(path, size, &err);
        if (!bytes)
            snprintf(why, why_size, "%s", err.msg);
        return bytes;
    }
    if (!db_path) {
        snprintf(why, why_size, "%s names a registry module: give the registry with --registry DB (or WARD_REGISTRY)",
                 path);
        return NULL;
    }
    return registry_bytes(db_path, path, size, fuel_set, fuel, why, why_size);
}

uint8_t *cli_run_module_bytes(const char *registry, const char *path, size_t *size, bool *fuel_set, uint64_t *fuel)
{
    char why[600];
    uint8_t *bytes = cli_module_bytes(registry, path, size, fuel_set, fuel, why, sizeof why);
    if (!bytes)
        fprintf(stderr, "ward: %s\n", why);
    return bytes;
}
