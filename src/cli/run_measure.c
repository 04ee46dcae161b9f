/* `ward run`'s measurements: the registry, registers 0 (module) and 1
 * (policy), ward:tee, the event log at exit; key files (docs/measurement.md). */
#include "run_measure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../crypto/crypto.h"
#include "../host/file.h"
#include "ward_sign.h"
#include "cli.h"

/* A sealing secret file: exactly 32 bytes, NULL after a one-line error.
 * The caller wipes and frees the buffer. */
static uint8_t *read_seal_secret(const char *path, size_t *got)
{
    werror why;
    uint8_t *bytes = wfile_read(path, got, &why);
    if (!bytes) {
        fprintf(stderr, "ward: %s\n", why.msg);
        return NULL;
    }
    if (*got == WARD_MEASURE_SECRET_BYTES)
        return bytes;
    fprintf(stderr, "ward: %s: not a sealing secret: %zu bytes, expected %d\n", path, *got,
            WARD_MEASURE_SECRET_BYTES);
    wcrypto_wipe(bytes, *got);
    free(bytes);
    return NULL;
}

static bool load_attestation_key(ward_measure *m, const char *path)
{
    /* the key files of ward keygen (docs/signatures.md) */
    ward_sig_secret_key sk;
    ward_sig_error err;
    if (!ward_sig_secret_key_load(&sk, path, &err)) {
        fprintf(stderr, "ward: %s\n", err.message);
        return false;
    }
    ward_measure_status s = ward_measure_set_attestation_key(m, sk.key);
    ward_sig_secret_key_wipe(&sk);
    if (s != WARD_MEASURE_OK)
        fprintf(stderr, "ward: %s: the secret key's public half does not match its seed\n", path);
    return s == WARD_MEASURE_OK;
}

static bool load_seal_secret(ward_measure *m, const char *path)
{
    size_t got;
    uint8_t *bytes = read_seal_secret(path, &got);
    if (!bytes)
        return false;
    ward_measure_set_seal_secret(m, bytes);
    wcrypto_wipe(bytes, got);
    free(bytes);
    return true;
}

bool run_measure_policy(ward_measure *m, const uint8_t *policy, size_t len)
{
    static const char with[] = "policy", without[] = "no policy";
    const char *desc = policy ? with : without;
    return ward_measure_extend(m, 1, policy, policy ? len : 0, desc, strlen(desc)) == WARD_MEASURE_OK;
}

static bool module_imports_tee(const ward_module *module)
{
    for (uint32_t i = 0; i < ward_module_import_count(module); i++) {
        ward_import_info info;
        ward_module_import(module, i, &info);
        if (strcmp(info.module, "ward:tee") == 0)
            return true;
    }
    return false;
}

int run_measure_setup(ward_measure **out, const run_measure_options *o, const ward_module *module,
                      const uint8_t *bytes, size_t size, const uint8_t *policy, size_t policy_len,
                      ward_linker *linker, ward_store *store)
{
    static const char module_desc[] = "module";
    ward_measure *m = *out = ward_measure_new(0);
    if (!m) {
        fprintf(stderr, "ward: cannot create the measurement registry\n");
        return CLI_EXIT_USAGE;
    }
    if ((o->attest_key && !load_attestation_key(m, o->attest_key)) ||
        (o->seal_secret && !load_seal_secret(m, o->seal_secret)))
        return CLI_EXIT_USAGE;
    /* Only the guest (through ward:tee) and the event log read the
     * registers: with neither, the module's SHA-256 (a third of the
     * start-up of a 48 MB module) would be computed for nobody. */
    bool tee = module_imports_tee(module);
    if (!tee && !o->log_path)
        return CLI_EXIT_OK;
    if (ward_measure_extend(m, 0, bytes, size, module_desc, sizeof module_desc - 1) != WARD_MEASURE_OK ||
        !run_measure_policy(m, policy, policy_len)) {
        fprintf(stderr, "ward: cannot extend the measurement registers\n");
        return CLI_EXIT_USAGE;
    }
    if (tee && ward_tee_define(m, linker, store) != WARD_OK) {
        fprintf(stderr, "ward: cannot define the ward:tee functions\n");
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

static bool write_log(ward_measure *m, const char *path)
{
    uint8_t *log;
    size_t len;
    if (ward_measure_export_log(m, &log, &len) != WARD_MEASURE_OK) {
        fprintf(stderr, "ward: out of memory for the event log\n");
        return false;
    }
    FILE *f = fopen(path, "wb");
    bool ok = f && fwrite(log, 1, len, f) == len;
    if (f && fclose(f) != 0)
        ok = false;
    if (!ok)
        fprintf(stderr, "ward: cannot write the event log to %s\n", path);
    free(log);
    return ok;
}

int run_measure_finish(ward_measure *m, const run_measure_options *o, int status)
{
    if (m && o->log_path && !write_log(m, o->log_path) && status == CLI_EXIT_OK)
        status = CLI_EXIT_RUN_ERROR;
    ward_measure_free(m);
    return status;
}
