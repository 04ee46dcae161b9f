/*
 * The batch line parser (src/contract/batch_line.c), shared by `ward call
 * --batch` and the contract_calls fuzz target: a full line decoded, the
 * defaults, and each malformed line refused with its message.
 */
#include <stdio.h>
#include <string.h>

#include "../test.h"
#include "contract/batch_line.h"

/* The message a line is refused with, or NULL when it is a call. */
static const char *refusal(const char *text, char *why, size_t why_size)
{
    wcontract_line line;
    const char *bad = wcontract_line_parse(text, strlen(text), &line, why, why_size);
    static char copy[512];
    if (bad)
        snprintf(copy, sizeof copy, "%s", bad);
    wcontract_line_free(&line);
    return bad ? copy : NULL;
}

static void test_full_line(void)
{
    static const char text[] = "{\"module\":\"token.wasm\",\"export\":\"transfer\",\"input_hex\":\"00ff41\","
                               "\"gas_limit\":5000,\"seed\":\""
                               "0101010101010101010101010101010101010101010101010101010101010101"
                               "\",\"contract\":\""
                               "ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB"
                               "\"}";
    wcontract_line line;
    char why[256];
    CHECK(wcontract_line_parse(text, sizeof text - 1, &line, why, sizeof why) == NULL);
    CHECK(strcmp(line.module, "token.wasm") == 0 && strcmp(line.call.export_name, "transfer") == 0);
    CHECK(line.call.input_len == 3 && memcmp(line.call.input, "\x00\xff\x41", 3) == 0);
    CHECK(line.has_gas_limit && line.call.gas_limit == 5000);
    CHECK(line.call.has_seed && line.call.seed[0] == 1 && line.call.seed[31] == 1);
    CHECK(line.call.has_contract && line.call.contract[0] == 0xab && line.call.contract[31] == 0xab);
    wcontract_line_free(&line);
}

static void test_defaults(void)
{
    static const char text[] = "{\"module\":\"m\",\"export\":\"e\",\"input\":\"abc\"}";
    wcontract_line line;
    char why[256];
    CHECK(wcontract_line_parse(text, sizeof text - 1, &line, why, sizeof why) == NULL);
    CHECK(line.call.input_len == 3 && memcmp(line.call.input, "abc", 3) == 0);
    CHECK(!line.has_gas_limit && line.call.gas_limit == 10000000);
    CHECK(!line.call.has_seed && !line.call.has_contract && !line.call.dry_run);
    wcontract_line_free(&line);
    static const char bare[] = "{\"module\":\"m\",\"export\":\"e\"}";
    CHECK(wcontract_line_parse(bare, sizeof bare - 1, &line, why, sizeof why) == NULL);
    CHECK(line.call.input_len == 0 && line.call.input != NULL);
    wcontract_line_free(&line);
}

#define HEX32 "\"seed\" and \"contract\" must be 64 hex digits"
#define INPUT "give \"input\" (text) or \"input_hex\", as a string"

static void test_refusals(void)
{
    static const struct {
        const char *line, *message;
    } cases[] = {
        {"", "not a JSON object"},
        {"[1,2]", "not a JSON object"},
        {"{\"module\":\"m\",\"export\":\"e\"", "not a JSON object"},
        {"{\"module\":\"m\",\"export\":\"e\",\"colour\":1}", "unknown field \"colour\""},
        {"{\"module\":1,\"export\":\"e\"}", "\"module\" and \"export\" must be strings"},
        {"{\"module\":\"m\"}", "\"module\" and \"export\" must be strings"},
        /* raw bytes that are not UTF-8; a lone surrogate escape (cJSON refuses it) */
        {"{\"module\":\"m\",\"export\":\"e\xff\"}", "\"export\" must be valid UTF-8"},
        {"{\"module\":\"m\",\"export\":\"\\ud800\"}", "not a JSON object"},
        {"{\"module\":\"m\",\"export\":\"e\",\"input\":\"a\",\"input_hex\":\"00\"}", INPUT},
        {"{\"module\":\"m\",\"export\":\"e\",\"input\":5}", INPUT},
        {"{\"module\":\"m\",\"export\":\"e\",\"gas_limit\":1.5}", "\"gas_limit\" must be a whole number"},
        {"{\"module\":\"m\",\"export\":\"e\",\"gas_limit\":-1}", "\"gas_limit\" must be a whole number"},
        {"{\"module\":\"m\",\"export\":\"e\",\"gas_limit\":\"5\"}", "\"gas_limit\" must be a whole number"},
        {"{\"module\":\"m\",\"export\":\"e\",\"seed\":\"00\"}", HEX32},
        {"{\"module\":\"m\",\"export\":\"e\",\"contract\":7}", HEX32},
        {"{\"module\":\"m\",\"export\":\"e\",\"input_hex\":\"0\"}", "\"input_hex\" is not hex"},
        {"{\"module\":\"m\",\"export\":\"e\",\"input_hex\":\"zz\"}", "\"input_hex\" is not hex"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char why[256];
        const char *got = refusal(cases[i].line, why, sizeof why);
        CHECK_MSG(got && strcmp(got, cases[i].message) == 0, "%s: %s", cases[i].line, got ? got : "accepted");
    }
}

int main(void)
{
    test_full_line();
    test_defaults();
    test_refusals();
    return test_summary("contract_batch_line");
}
