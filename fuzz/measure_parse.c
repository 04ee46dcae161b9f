/*
 * libFuzzer target: any bytes → the three parsers of docs/measurement.md
 * (event-log replay, quote parse and verify, unseal), each given the input
 * as is and with its magic and version forced valid so the fuzzer reaches
 * the fields behind them.  Besides "no crash, no leak, no UB", it checks
 * the promises: a refusal fills the error record (a status equal to the
 * one returned, a terminated, non-empty message); an accepted log replays
 * to the same registers twice; a quote parse that succeeds has the size
 * its header announces; a random blob never opens.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ward_measure.h"

static void require(int condition)
{
    if (!condition)
        __builtin_trap();
}

static void check_error(ward_measure_status s, const ward_measure_error *err)
{
    if (s == WARD_MEASURE_OK)
        return;
    require(err->status == s);
    require(memchr(err->message, 0, sizeof err->message) != NULL && err->message[0] != 0);
}

static void count_event(void *ctx, const ward_measure_event *ev)
{
    require(ev->reg < WARD_MEASURE_REGISTERS && ev->desc_len <= WARD_MEASURE_DESC_MAX);
    ++*(uint32_t *)ctx;
}

static void fuzz_log(const uint8_t *data, size_t size)
{
    uint8_t a[16][32], b[16][32];
    ward_measure_error err = {0};
    uint32_t n1 = 0, n2 = 0;
    ward_measure_status s = ward_measure_log_replay(data, size, a, count_event, &n1, &err);
    check_error(s, &err);
    if (s == WARD_MEASURE_OK) {
        require(ward_measure_log_replay(data, size, b, count_event, &n2, NULL) == WARD_MEASURE_OK);
        require(n1 == n2 && memcmp(a, b, sizeof a) == 0);
    }
}

static void fuzz_quote(const uint8_t *data, size_t size)
{
    static const uint8_t pk[32] = {1};
    ward_quote_info info;
    ward_measure_error err = {0};
    ward_measure_status s = ward_quote_parse(data, size, &info, &err);
    check_error(s, &err);
    if (s == WARD_MEASURE_OK)
        require(ward_measure_quote_size(info.nonce_len, info.mask) == size);
    s = ward_quote_verify(data, size, pk, (const uint8_t *)"n", 1, data, size, NULL, &err);
    check_error(s, &err);
    require(s != WARD_MEASURE_OK); /* nobody holds the key of pk {1, 0, ...} */
}

static void fuzz_unseal(ward_measure *m, const uint8_t *data, size_t size)
{
    uint8_t out[256];
    size_t olen = 0;
    ward_measure_error err = {0};
    ward_measure_status s = ward_measure_unseal(m, data, size, out, sizeof out, &olen, &err);
    check_error(s, &err);
    require(s != WARD_MEASURE_OK); /* forging a Poly1305 tag by chance: no */
}

/* The input with its first bytes replaced by a valid magic and version. */
static uint8_t *with_header(const uint8_t *data, size_t size, const char *magic)
{
    uint8_t *copy = malloc(size + 5);
    if (!copy)
        return NULL;
    memcpy(copy, magic, 4);
    copy[4] = 1;
    memcpy(copy + 5, data, size);
    return copy;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ward_measure *m = ward_measure_new(0);
    uint8_t secret[32] = {7};
    require(m && ward_measure_set_seal_secret(m, secret) == WARD_MEASURE_OK);
    fuzz_log(data, size);
    fuzz_quote(data, size);
    fuzz_unseal(m, data, size);
    uint8_t *log = with_header(data, size, "WRDL"), *quote = with_header(data, size, "WRDQ"),
            *blob = with_header(data, size, "WRDS");
    if (log && quote && blob) {
        fuzz_log(log, size + 5);
        fuzz_quote(quote, size + 5);
        fuzz_unseal(m, blob, size + 5);
    }
    free(log);
    free(quote);
    free(blob);
    ward_measure_free(m);
    return 0;
}
