/* `ward run`'s measurements (docs/measurement.md) and the key-file loader
 * shared with `ward quote verify`.  Built with -Dmeasurement=enabled. */
#ifndef WARD_CLI_RUN_MEASURE_H
#define WARD_CLI_RUN_MEASURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ward_measure.h"

/* --attest-key SK, --seal-secret FILE, --measure-log FILE (each NULL when
 * absent). */
typedef struct run_measure_options {
    const char *attest_key;
    const char *seal_secret;
    const char *log_path;
} run_measure_options;

/*
 * Before instantiation (so before the start function): a registry with the
 * options' key and secret, register 0 extended with the module's bytes
 * (the event's digest is the module's SHA-256), register 1 with the policy
 * (run_measure_policy), and ward:tee linked when the module imports it.
 * The registers are extended only when something can read them: the
 * module imports ward:tee or the options ask for the log.
 * *out gets the registry (free it with run_measure_finish after the
 * store).  Returns a CLI exit status.
 */
int run_measure_setup(ward_measure **out, const run_measure_options *o, const ward_module *module,
                      const uint8_t *bytes, size_t size, const uint8_t *policy, size_t policy_len,
                      ward_linker *linker, ward_store *store);

/* Register 1: the policy file's bytes, or, with no policy (NULL), the
 * empty string, described "no policy", so that a verifier always finds
 * exactly one policy event. */
bool run_measure_policy(ward_measure *m, const uint8_t *policy, size_t len);

/* At exit: write the event log to --measure-log (an error there makes a
 * successful run fail with status 2) and free the registry.  Returns the
 * run's status. */
int run_measure_finish(ward_measure *m, const run_measure_options *o, int status);

#endif
