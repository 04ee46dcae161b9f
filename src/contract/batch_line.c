/*
 * A batch line (docs/contracts.md, "Batches") into a call: a JSON object
 * with "module" and "export" (strings), "input" (text) or "input_hex",
 * "gas_limit" (a whole number), "seed" and "contract" (64 hex digits), and
 * nothing else.  Parsing only: the caller finds the module and runs it.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch_line.h"
#include "common/util.h"
#include "crypto/crypto.h"

/* The fields a line may have. */
static const char *const line_fields[] = {"module",    "export", "input",   "input_hex",
                                          "gas_limit", "seed",   "contract"};

static const char *unknown_field(const cJSON *line)
{
    for (const cJSON *f = line->child; f; f = f->next) {
        size_t i = 0, n = sizeof line_fields / sizeof line_fields[0];
        while (i < n && strcmp(f->string, line_fields[i]) != 0)
            i++;
        if (i == n)
            return f->string;
    }
    return NULL;
}

/* A 32-byte field in hex into out: false when absent or not 64 hex digits. */
static bool hex32(const cJSON *field, uint8_t out[32])
{
    return cJSON_IsString(field) && wcrypto_from_hex(out, 32, field->valuestring, strlen(field->valuestring));
}

/* The input, from "input" (text) or "input_hex"; NULL when fine. */
static const char *read_input(const cJSON *text, const cJSON *hex, wcontract_line *line)
{
    const char *in = hex ? hex->valuestring : text ? text->valuestring : "";
    size_t inlen = strlen(in), bytes = hex ? inlen / 2 : inlen;
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
static const char *read_fields(const cJSON *obj, wcontract_line *line, char *why, size_t why_size)
{
    const cJSON *mod = cJSON_GetObjectItemCaseSensitive(obj, "module");
    const cJSON *exp = cJSON_GetObjectItemCaseSensitive(obj, "export");
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(obj, "input");
    const cJSON *hex = cJSON_GetObjectItemCaseSensitive(obj, "input_hex");
    const cJSON *gas = cJSON_GetObjectItemCaseSensitive(obj, "gas_limit");
    const cJSON *seed = cJSON_GetObjectItemCaseSensitive(obj, "seed");
    const cJSON *contract = cJSON_GetObjectItemCaseSensitive(obj, "contract");
    ward_contract_call *k = &line->call;
    const char *extra = unknown_field(obj);
    if (extra) {
        snprintf(why, why_size, "unknown field \"%.100s\"", extra);
        return why;
    }
    if (!cJSON_IsString(mod) || !cJSON_IsString(exp))
        return "\"module\" and \"export\" must be strings";
    if (!wutf8_valid((const uint8_t *)exp->valuestring, strlen(exp->valuestring)))
        return "\"export\" must be valid UTF-8";
    if ((text && hex) || (text && !cJSON_IsString(text)) || (hex && !cJSON_IsString(hex)))
        return "give \"input\" (text) or \"input_hex\", as a string";
    if (gas && (!cJSON_IsNumber(gas) || gas->valuedouble < 0 || gas->valuedouble > 1e18 ||
                gas->valuedouble != (double)(uint64_t)gas->valuedouble))
        return "\"gas_limit\" must be a whole number";
    if ((seed && !(k->has_seed = hex32(seed, k->seed))) ||
        (contract && !(k->has_contract = hex32(contract, k->contract))))
        return "\"seed\" and \"contract\" must be 64 hex digits";
    const char *bad = read_input(text, hex, line);
    if (bad)
        return bad;
    line->module = mod->valuestring;
    k->export_name = exp->valuestring;
    line->has_gas_limit = gas != NULL;
    if (gas)
        k->gas_limit = (uint64_t)gas->valuedouble;
    return NULL;
}

const char *wcontract_line_parse(const char *text, size_t len, wcontract_line *line, char *why,
                                 size_t why_size)
{
    memset(line, 0, sizeof *line);
    ward_contract_call_default(&line->call);
    cJSON *obj = cJSON_ParseWithLength(text, len);
    line->json = obj;
    if (!cJSON_IsObject(obj))
        return "not a JSON object";
    return read_fields(obj, line, why, why_size);
}

void wcontract_line_free(wcontract_line *line)
{
    free(line->input);
    cJSON_Delete(line->json);
    memset(line, 0, sizeof *line);
}
