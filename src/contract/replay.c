/*
 * Replay (docs/contracts.md, "Replay"): the call a receipt records, rerun
 * against the state without writing anything, and the two receipts
 * compared byte for byte.  The receipt is parsed with src/common/json.h (parsing only:
 * receipts are written by receipt.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
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
static bool hash_field(const wjson *root, const char *name, uint8_t out[32])
{
    const wjson *f = wjson_member(root, name);
    return wjson_is_text(f) && wcrypto_from_hex(out, 32, f->string, f->string_len);
}

bool ward_receipt_module_sha256(const char *receipt, size_t len, uint8_t out[32])
{
    wjson *root = wjson_parse(receipt, len, NULL);
    bool ok = root && hash_field(root, "module_sha256", out);
    wjson_free(root);
    return ok;
}

/* The call a receipt records; *input malloc'd.  NULL when fine, else what is wrong. */
static const char *read_call(const wjson *root, ward_contract_call *call, uint8_t **input)
{
    const wjson *exp = wjson_member(root, "export");
    const wjson *in = wjson_member(root, "input");
    const wjson *gas = wjson_member(root, "gas_limit");
    ward_contract_call_default(call);
    if (!wjson_is_text(exp) || !wjson_is_text(in) || !wjson_is(gas, WJSON_NUMBER))
        return "it has no export, input or gas_limit (a receipt of a malformed batch line records no call)";
    if (gas->number < 0 || gas->number > 1e15 || gas->number != (double)(uint64_t)gas->number)
        return "its gas_limit is not a whole number in range";
    size_t hexlen = in->string_len;
    *input = malloc(hexlen / 2 + 1);
    if (!*input || hexlen % 2 || !wcrypto_from_hex(*input, hexlen / 2, in->string, hexlen))
        return "its input is not hex";
    call->export_name = exp->string;
    call->input = *input;
    call->input_len = hexlen / 2;
    call->gas_limit = (uint64_t)gas->number;
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
    const char *mine = r->json.data ? (const char *)r->json.data : "";
    wjson *a = wjson_parse(given, len, NULL), *b = wjson_parse(mine, r->json.len, NULL);
    ward_replay_result rc = say(why, size, WARD_REPLAY_DIFFERS, "the receipt is not in canonical form");
    const wjson *fa = a ? a->child : NULL, *fb = b ? b->child : NULL;
    for (; fa || fb; fa = fa ? fa->next : NULL, fb = fb ? fb->next : NULL) {
        if (!fa || !fb || strcmp(fa->key, fb->key) != 0) {
            char name[700];
            quoted_name(fa ? fa->key : fb->key, name, sizeof name);
            rc = say(why, size, WARD_REPLAY_DIFFERS, "field %s is not where the replay has it", name);
            break;
        }
        if (!wjson_equal(fa, fb)) {
            /* the replay's receipt is canonical JSON: its own bytes are the value */
            int shown = fb->len < 200 ? (int)fb->len : 200;
            rc = say(why, size, WARD_REPLAY_DIFFERS, "field \"%s\" differs: the replay gives %.*s", fa->key, shown,
                     mine + fb->at);
            break;
        }
    }
    wjson_free(a);
    wjson_free(b);
    return rc;
}

ward_replay_result ward_contract_replay(ward_contract *c, ward_db *state, const char *receipt, size_t len,
                                        char *why, size_t why_size)
{
    wjson *root = wjson_parse(receipt, len, NULL);
    if (!wjson_is(root, WJSON_OBJECT)) {
        wjson_free(root);
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
    wjson_free(root);
    return rc;
}
