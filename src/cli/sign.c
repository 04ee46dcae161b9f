/* `ward keygen`, `ward sign`, `ward verify`: module signatures with
 * wasmsign2's flag names (docs/signatures.md). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../include/ward_sign.h"
#include "cli.h"

#define SIGN_MAX_KEYS 64

/* The flags of the three commands; each takes a value. */
typedef struct sign_args {
    const char *in, *out, *public_key, *secret_key, *signature_file;
    const char *keys[SIGN_MAX_KEYS]; /* verify: -K may repeat */
    int nkeys;
} sign_args;

typedef struct sign_flag {
    const char *short_name, *long_name;
    size_t field; /* offsetof in sign_args; SIZE_MAX: the -K list */
} sign_flag;

static const sign_flag sign_flags[] = {
    {"-i", "--input", offsetof(sign_args, in)},
    {"-o", "--output", offsetof(sign_args, out)},
    {"-k", "--secret-key", offsetof(sign_args, secret_key)},
    {"-K", "--public-key", SIZE_MAX},
    {"-S", "--signature-file", offsetof(sign_args, signature_file)},
};

static bool parse_flags(const char *cmd, int argc, char **argv, sign_args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        const sign_flag *f = NULL;
        for (size_t j = 0; j < sizeof sign_flags / sizeof sign_flags[0] && !f; j++)
            if (strcmp(argv[i], sign_flags[j].short_name) == 0 || strcmp(argv[i], sign_flags[j].long_name) == 0)
                f = &sign_flags[j];
        if (!f) {
            fprintf(stderr, "ward %s: unknown option %s\n", cmd, argv[i]);
            return false;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "ward %s: %s needs a value\n", cmd, argv[i]);
            return false;
        }
        const char *v = argv[++i];
        if (f->field != SIZE_MAX) {
            *(const char **)((char *)a + f->field) = v;
        } else if (a->nkeys < SIGN_MAX_KEYS) {
            a->keys[a->nkeys++] = v;
            a->public_key = a->keys[0];
        } else {
            fprintf(stderr, "ward %s: at most %d public keys\n", cmd, SIGN_MAX_KEYS);
            return false;
        }
    }
    return true;
}

static int sig_failed(const char *cmd, const ward_sig_error *err)
{
    fprintf(stderr, "ward %s: %s\n", cmd, err->message);
    return CLI_EXIT_FAIL;
}

int cli_keygen(int argc, char **argv)
{
    sign_args a;
    if (!parse_flags("keygen", argc, argv, &a) || !a.public_key || !a.secret_key || a.nkeys != 1 || a.in || a.out ||
        a.signature_file) {
        fprintf(stderr, "usage: ward keygen --public-key PK --secret-key SK\n");
        return CLI_EXIT_USAGE;
    }
    ward_sig_public_key pk;
    ward_sig_secret_key sk;
    ward_sig_error err;
    if (!ward_sig_keygen(&pk, &sk)) {
        fprintf(stderr, "ward keygen: the crypto library cannot start\n");
        return CLI_EXIT_USAGE;
    }
    bool ok = ward_sig_keys_save(&pk, a.public_key, &sk, a.secret_key, &err);
    ward_sig_secret_key_wipe(&sk);
    return ok ? CLI_EXIT_OK : sig_failed("keygen", &err);
}

/* Detached mode: the signature data to add to, when the file exists. */
static uint8_t *previous_detached(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fclose(f);
    return cli_read_file("ward sign", path, len);
}

static int write_outputs(const sign_args *a, const uint8_t *out, size_t out_len, const uint8_t *module,
                         size_t module_len)
{
    ward_sig_error err;
    if (a->signature_file) {
        if (!ward_sig_write_file(a->signature_file, out, out_len, &err) ||
            (a->out && !ward_sig_write_file(a->out, module, module_len, &err)))
            return sig_failed("sign", &err);
        return CLI_EXIT_OK;
    }
    return ward_sig_write_file(a->out, out, out_len, &err) ? CLI_EXIT_OK : sig_failed("sign", &err);
}

int cli_sign(int argc, char **argv)
{
    sign_args a;
    if (!parse_flags("sign", argc, argv, &a) || !a.in || !a.secret_key || a.nkeys ||
        (!a.out && !a.signature_file)) {
        fprintf(stderr, "usage: ward sign -i IN.wasm -o OUT.wasm -k SK [--signature-file DETACHED]\n");
        return CLI_EXIT_USAGE;
    }
    ward_sig_secret_key sk;
    ward_sig_error err;
    if (!ward_sig_secret_key_load(&sk, a.secret_key, &err))
        return sig_failed("sign", &err);
    size_t len, prev_len = 0, out_len = 0, mod_len = 0;
    uint8_t *module = cli_read_file("ward sign", a.in, &len), *out = NULL, *mod = NULL, *prev = NULL;
    int status = CLI_EXIT_USAGE;
    if (module) {
        ward_sig_sign_options opt;
        ward_sig_sign_options_default(&opt);
        opt.detached = a.signature_file != NULL;
        if (opt.detached && (prev = previous_detached(a.signature_file, &prev_len))) {
            opt.previous = prev;
            opt.previous_len = prev_len;
        }
        if (ward_sig_sign(module, len, &sk, &opt, &out, &out_len, &mod, &mod_len, &err)) {
            status = write_outputs(&a, out, out_len, mod, mod_len);
        } else {
            fprintf(stderr, "ward sign: %s: %s\n", a.in, err.message); /* the input is what is wrong */
            status = CLI_EXIT_FAIL;
        }
    }
    ward_sig_secret_key_wipe(&sk);
    free(module);
    free(prev);
    ward_sig_free(out);
    ward_sig_free(mod);
    return status;
}

static int verify_loaded(const sign_args *a, const ward_sig_public_key *keys, const uint8_t *module, size_t len,
                         const uint8_t *detached, size_t detached_len)
{
    ward_sig_error err;
    size_t first;
    if (!ward_sig_verify(module, len, detached, detached_len, keys, (size_t)a->nkeys, NULL, &first, &err)) {
        fprintf(stderr, "ward verify: %s: %s: %s\n", a->in, ward_sig_error_kind_name(err.kind), err.message);
        return CLI_EXIT_FAIL;
    }
    printf("valid signature by %s\n", a->keys[first]);
    return CLI_EXIT_OK;
}

int cli_verify(int argc, char **argv)
{
    sign_args a;
    if (!parse_flags("verify", argc, argv, &a) || !a.in || !a.nkeys || a.out || a.secret_key) {
        fprintf(stderr, "usage: ward verify -i IN.wasm -K PK [-K PK]... [--signature-file DETACHED]\n");
        return CLI_EXIT_USAGE;
    }
    ward_sig_public_key keys[SIGN_MAX_KEYS];
    ward_sig_error err;
    for (int i = 0; i < a.nkeys; i++)
        if (!ward_sig_public_key_load(&keys[i], a.keys[i], &err)) {
            fprintf(stderr, "ward verify: %s\n", err.message);
            return CLI_EXIT_USAGE;
        }
    size_t len, dlen = 0;
    uint8_t *module = cli_read_file("ward verify", a.in, &len), *detached = NULL;
    int status = CLI_EXIT_USAGE;
    if (module && (!a.signature_file || (detached = cli_read_file("ward verify", a.signature_file, &dlen))))
        status = verify_loaded(&a, keys, module, len, detached, dlen);
    free(module);
    free(detached);
    return status;
}
