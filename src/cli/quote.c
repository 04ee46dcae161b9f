/* `ward quote verify --quote Q --public-key PK [--log LOG] [--nonce HEX]`:
 * exit 0 when the quote is valid, 1 with a one-line reason when it is
 * refused, 2 on a bad command line or an unreadable file
 * (docs/measurement.md). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../crypto/crypto.h"
#include "cli.h"
#include "run_measure.h"
#include "ward_sign.h"

typedef struct quote_options {
    const char *quote, *public_key, *log, *nonce_hex;
} quote_options;

static int quote_usage(void)
{
    fprintf(stderr, "usage: ward quote verify --quote QUOTE --public-key PK [--log LOG] [--nonce HEX]\n");
    return CLI_EXIT_USAGE;
}

/* "--name VALUE" pairs into o; false on anything else. */
static bool parse_quote_options(int argc, char **argv, quote_options *o)
{
    static const struct {
        const char *name;
        size_t field;
    } rows[] = {
        {"--quote", offsetof(quote_options, quote)},
        {"--public-key", offsetof(quote_options, public_key)},
        {"--log", offsetof(quote_options, log)},
        {"--nonce", offsetof(quote_options, nonce_hex)},
    };
    for (int i = 0; i < argc; i += 2) {
        size_t r = 0;
        while (r < sizeof rows / sizeof rows[0] && strcmp(argv[i], rows[r].name) != 0)
            r++;
        if (r == sizeof rows / sizeof rows[0] || i + 1 >= argc) {
            fprintf(stderr, "ward quote verify: %s %s\n", argv[i],
                    r == sizeof rows / sizeof rows[0] ? "is not an option" : "needs a value");
            return false;
        }
        *(const char **)((char *)o + rows[r].field) = argv[i + 1];
    }
    if (!o->quote || !o->public_key) {
        fprintf(stderr, "ward quote verify: --quote and --public-key are required\n");
        return false;
    }
    return true;
}


static void print_registers(const ward_quote_info *info)
{
    printf("quote OK\n");
    for (uint32_t i = 0; i < WARD_MEASURE_REGISTERS; i++)
        if (info->mask & (1u << i)) {
            char hex[2 * WARD_MEASURE_DIGEST_BYTES + 1];
            wcrypto_to_hex(hex, info->values[i], WARD_MEASURE_DIGEST_BYTES);
            printf("register %u: %s\n", i, hex);
        }
}

/* Where the error is: the log's file for the log's own errors. */
static void print_refusal(const quote_options *o, ward_measure_status s, const ward_measure_error *err)
{
    bool in_log = strncmp(err->message, "event log", 9) == 0;
    fprintf(stderr, "ward quote verify: %s: %s", in_log ? o->log : o->quote, err->message);
    if (err->offset != SIZE_MAX && s != WARD_MEASURE_ELOG)
        fprintf(stderr, " (at byte %zu)", err->offset);
    fputc('\n', stderr);
}

static int verify(const quote_options *o)
{
    ward_sig_public_key pk;
    ward_sig_error kerr;
    uint8_t nonce[WARD_MEASURE_NONCE_MAX];
    size_t nonce_len = 0, qlen = 0, loglen = 0;
    if (o->nonce_hex) {
        size_t hexlen = strlen(o->nonce_hex);
        nonce_len = hexlen / 2;
        if (hexlen % 2 || nonce_len > WARD_MEASURE_NONCE_MAX ||
            !wcrypto_from_hex(nonce, nonce_len, o->nonce_hex, hexlen)) {
            fprintf(stderr, "ward quote verify: --nonce needs an even number of hex digits, at most 128\n");
            return CLI_EXIT_USAGE;
        }
    }
    if (!ward_sig_public_key_load(&pk, o->public_key, &kerr)) {
        fprintf(stderr, "ward quote verify: %s\n", kerr.message);
        return CLI_EXIT_USAGE;
    }
    uint8_t *quote = cli_read_file("ward quote verify", o->quote, &qlen);
    uint8_t *log = quote && o->log ? cli_read_file("ward quote verify", o->log, &loglen) : NULL;
    int status = CLI_EXIT_USAGE;
    if (quote && (log || !o->log)) {
        ward_quote_info info;
        ward_measure_error err = {0};
        ward_measure_status s = ward_quote_verify(quote, qlen, pk.key, o->nonce_hex ? nonce : NULL, nonce_len, log,
                                                  loglen, &info, &err);
        if (s == WARD_MEASURE_OK) {
            print_registers(&info);
            status = CLI_EXIT_OK;
        } else {
            print_refusal(o, s, &err);
            status = CLI_EXIT_FAIL; /* 1: the quote was refused */
        }
    }
    free(quote);
    free(log);
    return status;
}

int cli_quote(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "verify") != 0)
        return quote_usage();
    quote_options o = {0};
    if (!parse_quote_options(argc - 2, argv + 2, &o))
        return quote_usage();
    return verify(&o);
}
