/* `ward run`: the ward:crypto host module for modules that import it, and
 * --seed HEX for its deterministic random stream (docs/crypto.md). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "crypto/crypto.h"
#include "ward_crypto.h"

bool cli_crypto_seed_valid(const char *hex)
{
    uint8_t seed[WCRYPTO_SEED_BYTES];
    bool ok = wcrypto_from_hex(seed, sizeof seed, hex, strlen(hex));
    wcrypto_wipe(seed, sizeof seed);
    if (!ok)
        fprintf(stderr, "ward run: --seed needs exactly 64 hex digits (32 bytes)\n");
    return ok;
}

static bool module_uses_crypto(const ward_module *m)
{
    for (uint32_t i = 0; i < ward_module_import_count(m); i++) {
        ward_import_info info;
        ward_module_import(m, i, &info);
        if (strcmp(info.module, WARD_CRYPTO_MODULE) == 0)
            return true;
    }
    return false;
}

int cli_crypto_setup(ward_crypto **out, const ward_module *m, ward_linker *linker, ward_store *store,
                     bool deterministic, const char *seed_hex)
{
    *out = NULL;
    if (!module_uses_crypto(m))
        return CLI_EXIT_OK;
    ward_crypto_config cfg;
    ward_crypto_config_default(&cfg);
    /* a seed alone asks for reproducible random bytes too */
    cfg.deterministic = deterministic || seed_hex != NULL;
    cfg.has_seed = seed_hex && wcrypto_from_hex(cfg.seed, sizeof cfg.seed, seed_hex, strlen(seed_hex));
    ward_error err = {0};
    *out = ward_crypto_new(&cfg, &err);
    wcrypto_wipe(cfg.seed, sizeof cfg.seed);
    if (!*out) {
        fprintf(stderr, "ward: %s\n", err.message);
        return CLI_EXIT_USAGE;
    }
    if (ward_crypto_define(*out, linker, store) != WARD_OK) {
        fprintf(stderr, "ward: cannot define the ward:crypto functions\n");
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}
