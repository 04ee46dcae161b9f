/* `ward run --dag DB`: the ward:dag host module on that database for the
 * module (docs/dag.md, "Guest ABI").  The trust policy's host_modules
 * decided before this whether the module may import it. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ward_dag_guest.h"

static bool module_uses_dag(const ward_module *m)
{
    for (uint32_t i = 0; i < ward_module_import_count(m); i++) {
        ward_import_info info;
        ward_module_import(m, i, &info);
        if (strcmp(info.module, WARD_DAG_MODULE) == 0)
            return true;
    }
    return false;
}

int cli_dag_setup(ward_db **out, const char *path, const ward_module *m, ward_linker *linker, ward_store *store)
{
    *out = NULL;
    if (!path) {
        if (!module_uses_dag(m))
            return CLI_EXIT_OK;
        fprintf(stderr, "ward: the module imports %s: give it a database with --dag FILE\n", WARD_DAG_MODULE);
        return CLI_EXIT_USAGE;
    }
    ward_db_error err;
    *out = ward_db_open(path, NULL, &err);
    if (!*out) {
        fprintf(stderr, "ward: %s\n", err.message);
        return CLI_EXIT_USAGE;
    }
    if (ward_dag_define(*out, linker, store) != WARD_OK) {
        fprintf(stderr, "ward: cannot define the %s functions\n", WARD_DAG_MODULE);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}
