/*
 * The operator's views of the vault: the names in use (list) and every
 * version of one name (history).  Both are audited like any access.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "vault_internal.h"

typedef struct list_job {
    const ward_vault *v;
    const char *prefix;
    ward_vault_names names;
    size_t cap;
    bool nomem;
} list_job;

static bool list_add(void *ctx, const char *name)
{
    list_job *job = ctx;
    char *copy = strdup(name);
    if (!copy || !wgrow((void **)&job->names.names, &job->cap, job->names.count + 1, sizeof *job->names.names)) {
        free(copy);
        job->nomem = true;
        return false;
    }
    job->names.names[job->names.count++] = copy;
    return true;
}

static bool list_body(wdb *c, void *ctx, ward_db_error *err)
{
    static const char op[] = "vault list";
    list_job *job = ctx;
    ward_vault_names_free(&job->names);
    job->cap = 0;
    job->nomem = false;
    if (!wdb_vault_names(c, job->prefix, list_add, job, op, err))
        return false;
    if (job->nomem) {
        ward_db_fail(job->v->db, err, WARD_DB_ERR_NOMEM, op, "out of memory");
        return false;
    }
    wvault_event ev = {"list", job->prefix, 0, NULL, "ok", NULL};
    return wvault_audit_append(c, job->v, &ev, op, err);
}

bool ward_vault_list(ward_vault *v, const char *prefix, ward_vault_names *out, ward_db_error *err)
{
    static const char op[] = "vault list";
    if (out)
        memset(out, 0, sizeof *out);
    if (!v || !out)
        return false;
    if (!prefix)
        prefix = "";
    if (!wvault_name_valid(prefix, true)) {
        ward_db_fail(v->db, err, WARD_DB_ERR_ARGUMENT, op,
                     "a prefix is at most 255 of the characters A-Z a-z 0-9 . _ / : @ -");
        return false;
    }
    list_job job = {.v = v, .prefix = prefix};
    if (!wdb_transact(v->db, op, true, list_body, &job, err)) {
        ward_vault_names_free(&job.names);
        return false;
    }
    *out = job.names;
    return true;
}

void ward_vault_names_free(ward_vault_names *names)
{
    if (!names)
        return;
    for (size_t i = 0; i < names->count; i++)
        free(names->names[i]);
    free(names->names);
    names->names = NULL;
    names->count = 0;
}

typedef struct history_job {
    const ward_vault *v;
    const char *name;
    ward_vault_versions history;
    size_t cap;
    bool nomem;
    wvault_outcome outcome;
} history_job;

static bool history_add(void *ctx, const wdb_vault_row *row)
{
    history_job *job = ctx;
    ward_vault_versions *h = &job->history;
    if (!wgrow((void **)&h->versions, &job->cap, h->count + 1, sizeof *h->versions)) {
        job->nomem = true;
        return false;
    }
    h->versions[h->count++] = (ward_vault_version_info){row->version, row->deleted, row->created};
    return true;
}

static bool history_body(wdb *c, void *ctx, ward_db_error *err)
{
    static const char op[] = "vault history";
    history_job *job = ctx;
    ward_vault_versions_free(&job->history);
    job->cap = 0;
    job->nomem = false;
    job->outcome.kind = WARD_DB_OK;
    if (!wdb_vault_versions(c, job->name, history_add, job, op, err))
        return false;
    if (job->nomem) {
        ward_db_fail(job->v->db, err, WARD_DB_ERR_NOMEM, op, "out of memory");
        return false;
    }
    if (job->history.count == 0)
        wvault_outcome_set(&job->outcome, WARD_DB_ERR_NOT_FOUND, "no secret %s", job->name);
    wvault_event ev = {"history", job->name, 0, NULL, job->history.count ? "ok" : "not_found", NULL};
    return wvault_audit_append(c, job->v, &ev, op, err);
}

bool ward_vault_history(ward_vault *v, const char *name, ward_vault_versions *out, ward_db_error *err)
{
    static const char op[] = "vault history";
    if (out)
        memset(out, 0, sizeof *out);
    if (!v || !out)
        return false;
    if (!wvault_name_valid(name, false)) {
        ward_db_fail(v->db, err, WARD_DB_ERR_ARGUMENT, op,
                     "a secret's name is 1 to 255 of the characters A-Z a-z 0-9 . _ / : @ -");
        return false;
    }
    history_job job = {.v = v, .name = name};
    if (!wdb_transact(v->db, op, true, history_body, &job, err) ||
        !wvault_outcome_report(v, &job.outcome, op, err)) {
        ward_vault_versions_free(&job.history);
        return false;
    }
    *out = job.history;
    return true;
}

void ward_vault_versions_free(ward_vault_versions *history)
{
    if (!history)
        return;
    free(history->versions);
    history->versions = NULL;
    history->count = 0;
}
