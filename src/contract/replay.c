/*
 * Replay (docs/contracts.md, "Replay"): the call a receipt records, rerun
 * against the state without writing anything, and the two receipts
 * compared byte for byte.  The receipt is parsed with cJSON (parsing only:
 * receipts are written by receipt.c).
 */
#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contract_internal.h"
#include "crypto/crypto.h"

static ward_replay_result say(char *why, size_t size, ward_replay_result rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static ward_replay_result say(char *why, size_t size, ward_replay_result rc, const char *fmt, ...)
{
    if (why && size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, size, fmt, ap);
        va_end(ap);
    }
    return rc;
}

/* A field of 32 bytes in hex. */
static bool hash_field(const cJSON *root, const char *name, uint8_t out[32])
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(root, name);
    return cJSON_IsString(f) && wcrypto_from_hex(out, 32, f->valuestring, strlen(f->valuestring));
}

bool ward_receipt_module_sha256(const char *receipt, size_t len, uint8_t out[32])
{
    cJSON *root = cJSON_ParseWithLength(receipt, len);
    bool ok = root && hash_field(root, "module_sha256", out);
    cJSON_Delete(root);
    return ok;
}

/* The call a receipt records; *input malloc'd.  NULL when fine, else what is wrong. */
static const char *read_call(const cJSON *root, ward_contract_call *call, uint8_t **input)
{
    const cJSON *exp = cJSON_GetObjectItemCaseSensitive(root, "export");
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(root, "input");
    const cJSON *gas = cJSON_GetObjectItemCaseSensitive(root, "gas_limit");
    ward_contract_call_default(call);
    if (!cJSON_IsString(exp) || !cJSON_IsString(in) || !cJSON_IsNumber(gas))
        return "it has no export, input or gas_limit (a receipt of a malformed batch line records no call)";
    if (gas->valuedouble < 0 || gas->valuedouble > 1e15 || gas->valuedouble != (double)(uint64_t)gas->valuedouble)
        return "its gas_limit is not a whole number in range";
    size_t hexlen = strlen(in->valuestring);
    *input = malloc(hexlen / 2 + 1);
    if (!*input || hexlen % 2 || !wcrypto_from_hex(*input, hexlen / 2, in->valuestring, hexlen))
        return "its input is not hex";
    call->export_name = exp->valuestring;
    call->input = *input;
    call->input_len = hexlen / 2;
    call->gas_limit = (uint64_t)gas->valuedouble;
    call->has_seed = hash_field(root, "seed", call->seed);
    call->has_contract = hash_field(root, "contract", call->contract);
    if (!call->has_seed || !call->has_contract)
        return "its seed or contract is not 64 hex digits";
    call->dry_run = true;
    return NULL;
}

/* A field name of the given receipt, for why: as a JSON string (at most
 * 100 bytes of it), since it may hold newlines or terminal escapes and
 * why is printed. */
static void quoted_name(const char *name, char *out, size_t size)
{
    wbuf b = {0};
    size_t n = strlen(name);
    wtext_json(&b, (const uint8_t *)name, n < 100 ? n : 100);
    snprintf(out, size, "%.*s", b.failed ? 1 : (int)b.len, b.failed ? "?" : (const char *)b.data);
    wbuf_free(&b);
}

/* Name the first field whose value differs (the bytes already do). */
static ward_replay_result first_difference(const char *given, size_t len, const ward_receipt *r, char *why,
                                           size_t size)
{
    cJSON *a = cJSON_ParseWithLength(given, len), *b = cJSON_ParseWithLength(r->json.data ? (char *)r->json.data : "",
                                                                            r->json.len);
    ward_replay_result rc = say(why, size, WARD_REPLAY_DIFFERS, "the receipt is not in canonical form");
    const cJSON *fa = a ? a->child : NULL, *fb = b ? b->child : NULL;
    for (; fa || fb; fa = fa ? fa->next : NULL, fb = fb ? fb->next : NULL) {
        if (!fa || !fb || strcmp(fa->string, fb->string) != 0) {
            char name[700];
            quoted_name(fa ? fa->string : fb->string, name, sizeof name);
            rc = say(why, size, WARD_REPLAY_DIFFERS, "field %s is not where the replay has it", name);
            break;
        }
        if (!cJSON_Compare(fa, fb, true)) {
            char *mine = cJSON_PrintUnformatted(fb);
            rc = say(why, size, WARD_REPLAY_DIFFERS, "field \"%s\" differs: the replay gives %.200s", fa->string,
                     mine ? mine : "?");
            free(mine);
            break;
        }
    }
    cJSON_Delete(a);
    cJSON_Delete(b);
    return rc;
}

ward_replay_result ward_contract_replay(ward_contract *c, ward_db *state, const char *receipt, size_t len,
                                        char *why, size_t why_size)
{
    cJSON *root = cJSON_ParseWithLength(receipt, len);
    if (!root || !cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return say(why, why_size, WARD_REPLAY_ERROR, "the receipt is not a JSON object");
    }
    ward_contract_call call;
    uint8_t *input = NULL, module[32], before[32], now[32];
    const char *bad = read_call(root, &call, &input);
    ward_replay_result rc = WARD_REPLAY_ERROR;
    ward_db_error err;
    ward_receipt *r = NULL;
    if (bad || !hash_field(root, "module_sha256", module) || !hash_field(root, "state_root_before", before))
        say(why, why_size, rc, "malformed receipt: %s", bad ? bad : "no module_sha256 or state_root_before");
    else if (memcmp(module, ward_contract_module_sha256(c), 32) != 0)
        say(why, why_size, rc, "the module's SHA-256 is not the receipt's module_sha256");
    else if (!ward_contract_state_root(state, call.contract, now, &err))
        say(why, why_size, rc, "%s", err.message);
    else if (memcmp(now, before, 32) != 0)
        say(why, why_size, rc, "state snapshot differs: the contract's state root is not the receipt's "
                               "state_root_before");
    else if (!(r = ward_contract_run(c, state, &call, &err)))
        say(why, why_size, rc, "%s", err.message);
    else if (r->json.len == len && memcmp(r->json.data, receipt, len) == 0)
        rc = say(why, why_size, WARD_REPLAY_EQUAL, "equal");
    else
        rc = first_difference(receipt, len, r, why, why_size);
    ward_receipt_free(r);
    free(input);
    cJSON_Delete(root);
    return rc;
}
