/*
 * `ward run --vault DB (--vault-key-file F | --vault-passphrase-fd N)`
 * (docs/vault.md): ward:vault for a module that imports it, acting as the
 * module: its SHA-256 and, under --trust/--policy, its trust level and the
 * signer that gave it (the policy's ward:vault bit was checked with the
 * other imports).  A module that does not import ward:vault never sees
 * the vault, which then is not even unlocked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common/util.h"
#include "ward_vault.h"

struct cli_run_vault {
    ward_db *db;
    ward_vault *vault;
};

static bool module_uses_vault(const ward_module *m)
{
    for (uint32_t i = 0; i < ward_module_import_count(m); i++) {
        ward_import_info info;
        ward_module_import(m, i, &info);
        if (strcmp(info.module, WARD_VAULT_MODULE) == 0)
            return true;
    }
    return false;
}

static void module_actor(ward_vault_actor *actor, const uint8_t *bytes, size_t size, const cli_trust *trust)
{
    ward_vault_actor_module(actor, bytes, size);
    if (!trust)
        return;
    int level;
    uint8_t signer[32];
    bool has_signer;
    cli_trust_identity(trust, &level, signer, &has_signer);
    actor->level = (ward_trust_level)level;
    if (has_signer)
        ward_vault_actor_add_signer(actor, signer);
}

int cli_vault_setup(cli_run_vault **out, const cli_vault_options *o, const ward_module *m, const uint8_t *bytes,
                    size_t size, const cli_trust *trust, ward_linker *linker, ward_store *store)
{
    *out = NULL;
    if ((o->key_file || o->passphrase_fd) && !o->db) {
        fprintf(stderr, "ward: --vault-key-file and --vault-passphrase-fd go with --vault DB\n");
        return CLI_EXIT_USAGE;
    }
    if (!o->db || !module_uses_vault(m))
        return CLI_EXIT_OK;
    if (!o->key_file && !o->passphrase_fd) {
        fprintf(stderr, "ward: --vault needs --vault-key-file F or --vault-passphrase-fd N\n");
        return CLI_EXIT_USAGE;
    }
    cli_run_vault *cv = *out = wcalloc(1, sizeof *cv);
    if (!cv) {
        fprintf(stderr, "ward: out of memory\n");
        return CLI_EXIT_USAGE;
    }
    ward_db_options opts;
    ward_db_options_default(&opts);
    opts.create = false;
    ward_db_error err;
    if (!(cv->db = ward_db_open(o->db, &opts, &err))) {
        fprintf(stderr, "ward: %s\n", err.message);
        return CLI_EXIT_USAGE;
    }
    if (!(cv->vault = cli_vault_unlock("ward", cv->db, o->key_file, o->passphrase_fd)))
        return CLI_EXIT_USAGE;
    ward_vault_actor actor;
    module_actor(&actor, bytes, size, trust);
    if (ward_vault_define(cv->vault, &actor, linker, store) != WARD_OK) {
        fprintf(stderr, "ward: cannot define the ward:vault functions\n");
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

void cli_vault_free(cli_run_vault *cv)
{
    if (!cv)
        return;
    ward_vault_free(cv->vault);
    ward_db_close(cv->db);
    free(cv);
}
