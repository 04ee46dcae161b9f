/*
 * `ward run --trust STORE --policy POLICY` (docs/trust.md): verify the
 * module's signatures against the store, pick its level, and hold the run
 * to the policy's rules for that level (fuel, memory, timeout, threads,
 * directories, linkable host modules).  Everything is decided from the
 * module bytes before the engine exists, so the limits go into its config.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../include/ward_trust.h"
#include "../common/util.h"
#include "cli.h"

struct cli_trust {
    ward_trust_store *store;
    ward_trust_policy *policy;
    ward_trust_decision decision;
    ward_trust_limits limits;
};

static int refuse(const char *what)
{
    fprintf(stderr, "ward: %s\n", what);
    return CLI_EXIT_USAGE;
}

static uint64_t stricter(bool set, uint64_t current, uint64_t limit)
{
    if (limit == 0)
        return current;
    return set && current < limit ? current : limit;
}

/* --dir HOST[::GUEST]: HOST must be a directory the level may have. */
static int check_dirs(const cli_trust *t, int ndirs, const char *const *dirs)
{
    for (int i = 0; i < ndirs; i++) {
        const char *sep = strstr(dirs[i], "::");
        size_t len = sep ? (size_t)(sep - dirs[i]) : strlen(dirs[i]);
        char *host = wcalloc(len + 1, 1);
        if (!host)
            return refuse("out of memory");
        memcpy(host, dirs[i], len);
        bool ok = ward_trust_allows_dir(t->policy, t->decision.level, host);
        if (!ok)
            fprintf(stderr, "ward: --dir %s is not allowed at trust level %s\n", host,
                    ward_trust_level_name(t->decision.level));
        free(host);
        if (!ok)
            return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

static int decide(cli_trust *t, const uint8_t *bytes, size_t size, const char *policy_path, const char *signature_path)
{
    size_t detached_len = 0;
    uint8_t *detached = NULL;
    if (signature_path && !(detached = cli_read_file("ward", signature_path, &detached_len)))
        return CLI_EXIT_USAGE;
    ward_trust_error err;
    bool decided = ward_trust_decide(t->store, bytes, size, detached, detached_len, &t->decision, &err);
    free(detached);
    if (!decided)
        return refuse(err.message);
    if (!ward_trust_policy_limits(t->policy, t->decision.level, &t->limits)) {
        fprintf(stderr, "ward: %s gives no rules for trust level %s: the module does not run\n", policy_path,
                ward_trust_level_name(t->decision.level));
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

int cli_trust_begin(cli_trust **out, const char *store_path, const char *policy_path, const uint8_t *bytes,
                    size_t size, const cli_trust_run *run)
{
    if (!store_path || !policy_path)
        return refuse("--trust STORE and --policy POLICY go together");
    cli_trust *t = *out = wcalloc(1, sizeof *t);
    if (!t)
        return refuse("out of memory");
    ward_trust_error err;
    if (!(t->store = ward_trust_store_load(store_path, &err)) || !(t->policy = ward_trust_policy_load(policy_path, &err)))
        return refuse(err.message);
    int status = decide(t, bytes, size, policy_path, run->signature_path);
    if (status != CLI_EXIT_OK || (status = check_dirs(t, run->ndirs, run->dirs)) != CLI_EXIT_OK)
        return status;
    ward_trust_apply_config(&t->limits, run->config);
    *run->fuel = stricter(*run->fuel_set, *run->fuel, t->limits.fuel);
    *run->fuel_set = *run->fuel_set || t->limits.fuel != 0;
    *run->timeout_ms = stricter(*run->timeout_ms != 0, *run->timeout_ms, t->limits.timeout_ms);
    return CLI_EXIT_OK;
}

int cli_trust_check_module(const cli_trust *t, const ward_module *module)
{
    ward_trust_error err;
    if (!ward_trust_check_imports(t->policy, t->decision.level, module, &err)) {
        /* the message names the import and the level */
        fprintf(stderr, "ward: %s\n", err.message);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

const uint8_t *cli_trust_policy_bytes(const cli_trust *t, size_t *len)
{
    return t ? ward_trust_policy_bytes(t->policy, len) : NULL;
}

void cli_trust_identity(const cli_trust *t, int *level, uint8_t signer[32], bool *has_signer)
{
    ward_sig_public_key pk;
    *level = (int)t->decision.level;
    *has_signer = t->decision.entry != SIZE_MAX &&
                  ward_trust_store_entry(t->store, t->decision.entry, &pk, NULL, NULL);
    if (*has_signer)
        memcpy(signer, pk.key, sizeof pk.key);
}

void cli_trust_free(cli_trust *t)
{
    if (!t)
        return;
    ward_trust_store_free(t->store);
    ward_trust_policy_free(t->policy);
    free(t);
}
