/*
 * A batch line (docs/contracts.md, "Batches") into a call: a JSON object
 * with "module" and "export" (strings), "input" (text) or "input_hex",
 * "gas_limit" (a whole number), "seed" and "contract" (64 hex digits), and
 * nothing else.  Parsing only: the caller finds the module and runs it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch_line.h"
#include "common/json.h"
#include "common/util.h"
#include "crypto/crypto.h"

/* The fields a line may have. */
static const char *const line_fields[] = {"module",    "export", "input",   "input_hex",
                                          "gas_limit", "seed",   "contract"};

static const char *unknown_field(const wjson *line)
{
    for (const wjson *f = line->child; f; f = f->next) {
        size_t i = 0, n = sizeof line_fields / sizeof line_fields[0];
        while (i < n && strcmp(f->key, line_fields[i]) != 0)
            i++;
        if (i == n)
            return f->key;
    }
    return NULL;
}

/* A 32-byte field in hex into out: false when absent or not 64 hex digits. */
static bool hex32(const wjson *field, uint8_t out[32])
{
    return wjson_is_text(field) && wcrypto_from_hex(out, 32, field->string, field->string_len);
}

/* The input, from "input" (text) or "input_hex"; NULL when fine. */
static const char *read_input(const wjson *text, const wjson *hex, wcontract_line *line)
{
    /* text input is bytes: a \u0000 in it is a NUL byte of the input */
    const char *in = hex ? hex->string : text ? text->string : "";
    size_t inlen = hex ? hex->string_len : text ? text->string_len : 0, bytes = hex ? inlen / 2 : inlen;
    if (!(line->input = malloc(bytes + 1)))
        return "out of memory";
    if (hex && (inlen % 2 != 0 || !wcrypto_from_hex(line->input, bytes, in, inlen)))
        return "\"input_hex\" is not hex";
    if (!hex)
        memcpy(line->input, in, inlen);
    line->call.input = line->input;
    line->call.input_len = bytes;
    return NULL;
}

/* The fields of an object line; NULL when fine. */
static const char *read_fields(const wjson *obj, wcontract_line *line, char *why, size_t why_size)
{
    const wjson *mod = wjson_member(obj, "module");
    const wjson *exp = wjson_member(obj, "export");
    const wjson *text = wjson_member(obj, "input");
    const wjson *hex = wjson_member(obj, "input_hex");
    const wjson *gas = wjson_member(obj, "gas_limit");
    const wjson *seed = wjson_member(obj, "seed");
    const wjson *contract = wjson_member(obj, "contract");
    ward_contract_call *k = &line->call;
    const char *extra = unknown_field(obj);
    if (extra) {
        snprintf(why, why_size, "unknown field \"%.100s\"", extra);
        return why;
    }
    if (!wjson_is_text(mod) || !wjson_is_text(exp))
        return "\"module\" and \"export\" must be strings";
    if (!wutf8_valid((const uint8_t *)exp->string, strlen(exp->string)))
        return "\"export\" must be valid UTF-8";
    if ((text && hex) || (text && !wjson_is(text, WJSON_STRING)) || (hex && !wjson_is_text(hex)))
        return "give \"input\" (text) or \"input_hex\", as a string";
    if (gas && (!wjson_is(gas, WJSON_NUMBER) || gas->number < 0 || gas->number > 1e18 ||
                gas->number != (double)(uint64_t)gas->number))
        return "\"gas_limit\" must be a whole number";
    if ((seed && !(k->has_seed = hex32(seed, k->seed))) ||
        (contract && !(k->has_contract = hex32(contract, k->contract))))
        return "\"seed\" and \"contract\" must be 64 hex digits";
    const char *bad = read_input(text, hex, line);
    if (bad)
        return bad;
    line->module = mod->string;
    k->export_name = exp->string;
    line->has_gas_limit = gas != NULL;
    if (gas)
        k->gas_limit = (uint64_t)gas->number;
    return NULL;
}

const char *wcontract_line_parse(const char *text, size_t len, wcontract_line *line, char *why,
                                 size_t why_size)
{
    memset(line, 0, sizeof *line);
    ward_contract_call_default(&line->call);
    wjson *obj = wjson_parse(text, len, NULL);
    line->json = obj;
    if (!wjson_is(obj, WJSON_OBJECT))
        return "not a JSON object";
    return read_fields(obj, line, why, why_size);
}

void wcontract_line_free(wcontract_line *line)
{
    free(line->input);
    wjson_free(line->json);
    memset(line, 0, sizeof *line);
}
