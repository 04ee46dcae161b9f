/*
 * Contract calls (docs/contracts.md): a module compiled once for a
 * deterministic engine, its imports checked against the contract profile,
 * and each call run in a fresh store with fuel = gas, the profile's host
 * modules, a write overlay committed only on success, and a receipt.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "contract_internal.h"
#include "crypto/crypto.h"
#include "ward_crypto.h"
#include "ward_guest_contract.h"

#define WASI_MODULE "wasi_snapshot_preview1"

struct ward_contract {
    ward_engine *engine;
    ward_module *module;        /* NULL when the bytes did not load: error */
    char refusal[400];          /* why calls are refused ("" when they are not) */
    ward_contract_status refused_as;
    uint8_t sha256[32];
    uint8_t no_output_sha256[32]; /* SHA-256 of no bytes: most calls' output_sha256 */
    bool uses_crypto;
    ward_wasi *wasi;            /* granted by the embedder, or NULL */
    wroot_memo roots;           /* the last state root digested */
};

/* Memory a contract may have: enough for large values, small enough
 * that the host can always give it (docs/determinism.md, memory.grow). */
#define CONTRACT_MEMORY_MAX (256ull << 20)
/* Stacks of a call, smaller than the defaults: every call makes a store,
 * and its stacks are allocated (and zeroed) with it.  Deterministic
 * limits: a deeper call traps "call stack exhausted" on every machine. */
#define CONTRACT_STACK_SLOTS (16u << 10)
#define CONTRACT_CALL_DEPTH 1000

static ward_engine *contract_engine(void)
{
    ward_config cfg;
    ward_config_default(&cfg);
    cfg.deterministic = true;
    cfg.threads = false;
    cfg.max_memory_bytes = CONTRACT_MEMORY_MAX;
    cfg.max_stack_slots = CONTRACT_STACK_SLOTS;
    cfg.max_call_depth = CONTRACT_CALL_DEPTH;
    return ward_engine_new(&cfg);
}

/* The contract profile: functions of ward:io, ward:state and ward:crypto,
 * and of WASI when the embedder granted it.  false with the refusal. */
static bool check_profile(ward_contract *c)
{
    for (uint32_t i = 0; i < ward_module_import_count(c->module); i++) {
        ward_import_info info;
        ward_module_import(c->module, i, &info);
        bool io = strcmp(info.module, WARD_IO_MODULE) == 0 || strcmp(info.module, WARD_STATE_MODULE) == 0;
        bool crypto = strcmp(info.module, WARD_CRYPTO_MODULE) == 0;
        bool wasi = c->wasi && strcmp(info.module, WASI_MODULE) == 0;
        c->uses_crypto |= crypto;
        if (info.kind != WARD_EXTERN_FUNC || !(io || crypto || wasi)) {
            snprintf(c->refusal, sizeof c->refusal,
                     "import %s.%s is outside the contract profile (ward:io, ward:state, ward:crypto%s)",
                     info.module, info.name, c->wasi ? ", " WASI_MODULE : "");
            c->refused_as = WARD_CONTRACT_DENIED;
            return false;
        }
    }
    return true;
}

ward_contract *ward_contract_load(const uint8_t *bytes, size_t size, const ward_contract_options *opts,
                                  ward_error *err)
{
    ward_contract *c = calloc(1, sizeof *c);
    if (!c || !(c->engine = contract_engine())) {
        free(c);
        if (err) {
            snprintf(err->message, sizeof err->message, "out of memory");
            err->stage = WARD_STAGE_ARGUMENT;
        }
        return NULL;
    }
    c->wasi = opts ? opts->wasi : NULL;
    wroot_memo_init(&c->roots);
    wcrypto_sha256(c->sha256, bytes, size);
    wcrypto_sha256(c->no_output_sha256, NULL, 0);
    ward_error e = {0};
    c->module = bytes ? ward_module_new(c->engine, bytes, size, &e) : NULL;
    if (!c->module) {
        snprintf(c->refusal, sizeof c->refusal, "the module does not load: %.300s", bytes ? e.message : "no bytes");
        c->refused_as = WARD_CONTRACT_ERROR;
    } else {
        check_profile(c);
    }
    return c;
}

void ward_contract_free(ward_contract *c)
{
    if (!c)
        return;
    ward_module_free(c->module);
    ward_engine_free(c->engine);
    wroot_memo_free(&c->roots);
    free(c);
}

const uint8_t *ward_contract_module_sha256(const ward_contract *c)
{
    return c->sha256;
}

void ward_contract_call_default(ward_contract_call *call)
{
    memset(call, 0, sizeof *call);
    call->gas_limit = 10000000;
}

/* ---- one call ------------------------------------------------------------ */

static void derive_seed(ward_receipt *r)
{
    static const char label[] = "ward contract seed";
    wcrypto_hash h;
    wcrypto_hash_init(&h, WCRYPTO_SHA256, 32, NULL, 0);
    wcrypto_hash_update(&h, (const uint8_t *)label, sizeof label - 1);
    wcrypto_hash_update(&h, r->module_sha256, 32);
    wcrypto_hash_update(&h, r->input_sha256, 32);
    wcrypto_hash_final(&h, r->seed);
}

/* A receipt with the call's identity; NULL when out of memory. */
static ward_receipt *receipt_begin(const ward_contract *c, const ward_contract_call *call)
{
    ward_receipt *r = calloc(1, sizeof *r);
    const char *name = call->export_name ? call->export_name : "";
    if (!r || !(r->export_name = malloc(strlen(name) + 1)) ||
        !(r->input = malloc(call->input_len ? call->input_len : 1))) {
        ward_receipt_free(r);
        return NULL;
    }
    strcpy(r->export_name, name);
    if (call->input_len)
        memcpy(r->input, call->input, call->input_len);
    r->input_len = call->input_len;
    r->gas_limit = call->gas_limit;
    memcpy(r->module_sha256, c->sha256, 32);
    memcpy(r->contract, call->has_contract ? call->contract : c->sha256, 32);
    wcrypto_sha256(r->input_sha256, call->input, call->input_len);
    memcpy(r->output_sha256, c->no_output_sha256, 32);
    if (call->has_seed)
        memcpy(r->seed, call->seed, 32);
    else
        derive_seed(r);
    return r;
}

static void refuse_call(ward_receipt *r, ward_contract_status status, const char *kind, const char *fmt,
                        const char *arg)
{
    r->status = status;
    r->trap_kind = kind;
    snprintf(r->message, sizeof r->message, fmt, arg);
}

/* The export's check: a function taking nothing, returning nothing or an i32. */
static bool check_export(const ward_contract *c, ward_receipt *r, bool *has_result)
{
    for (uint32_t i = 0; i < ward_module_export_count(c->module); i++) {
        ward_export_info info;
        ward_module_export(c->module, i, &info);
        if (info.kind != WARD_EXTERN_FUNC || strcmp(info.name, r->export_name) != 0)
            continue;
        ward_externtype t;
        ward_module_export_type(c->module, i, &t);
        *has_result = t.of.func.nresults == 1;
        if (t.of.func.nparams == 0 && (t.of.func.nresults == 0 ||
                                       (t.of.func.nresults == 1 && t.of.func.results[0] == WARD_I32)))
            return true;
        refuse_call(r, WARD_CONTRACT_ERROR, "export",
                    "export %s has the wrong type: a contract entry takes nothing and returns nothing or an i32",
                    r->export_name);
        return false;
    }
    refuse_call(r, WARD_CONTRACT_ERROR, "export", "the module has no function export named \"%s\"", r->export_name);
    return false;
}

/* The store of one call and what it holds. */
typedef struct call_env {
    ward_store *store;
    ward_linker *linker;
    ward_crypto *crypto;
    wcontract_run run;
} call_env;

static void call_env_free(call_env *e)
{
    ward_store_free(e->store);
    ward_linker_free(e->linker);
    ward_crypto_free(e->crypto);
    wbuf_free(&e->run.output);
    for (size_t i = 0; i < e->run.nlogs; i++)
        free(e->run.logs[i].data);
    free(e->run.logs);
    woverlay_free(&e->run.overlay);
    woverlay_free(&e->run.reads);
}

static bool define_crypto(call_env *e, const ward_receipt *r)
{
    ward_crypto_config cfg;
    ward_crypto_config_default(&cfg);
    cfg.deterministic = true;
    cfg.has_seed = true;
    memcpy(cfg.seed, r->seed, 32);
    ward_error err;
    e->crypto = ward_crypto_new(&cfg, &err);
    wcrypto_wipe(cfg.seed, sizeof cfg.seed);
    return e->crypto && ward_crypto_define(e->crypto, e->linker, e->store) == WARD_OK;
}

static bool call_env_init(call_env *e, const ward_contract *c, ward_db *db, const ward_contract_call *call,
                          const ward_receipt *r)
{
    e->run.db = db;
    e->run.contract = r->contract;
    e->run.input = call->input;
    e->run.input_len = call->input_len;
    if (!(e->store = ward_store_new(c->engine)) || !(e->linker = ward_linker_new()))
        return false;
    if (wguest_io_define(e->linker, e->store, &e->run) != WARD_OK ||
        wguest_state_define(e->linker, e->store, &e->run) != WARD_OK)
        return false;
    if (c->uses_crypto && !define_crypto(e, r))
        return false;
    if (c->wasi && ward_wasi_define(c->wasi, e->linker, e->store) != WARD_OK)
        return false;
    ward_store_set_fuel(e->store, call->gas_limit);
    if (call->timeout_ms)
        ward_store_set_timeout(e->store, call->timeout_ms);
    return true;
}

static void record_trap(ward_receipt *r, const ward_trap *trap)
{
    if (trap->kind == WARD_TRAP_OUT_OF_FUEL) {
        /* the budget is spent: a host call that could not be paid took the rest */
        r->status = WARD_CONTRACT_OUT_OF_GAS;
        r->gas_used = r->gas_limit;
    } else {
        r->status = WARD_CONTRACT_TRAP;
    }
    r->trap_kind = wreceipt_trap_name(trap->kind);
    snprintf(r->message, sizeof r->message, "%s", trap->message);
}

/* Instantiate and call; the outcome goes into r.  false: host failure. */
static bool execute(const ward_contract *c, call_env *e, ward_receipt *r, bool has_result, ward_db_error *err)
{
    ward_instance *inst = NULL;
    ward_error lerr = {0};
    ward_trap trap = {0};
    ward_result rc = ward_instantiate(e->store, c->module, e->linker, &inst, &lerr, &trap);
    ward_val result = {0};
    if (rc == WARD_OK)
        rc = ward_call(e->store, ward_instance_func(inst, r->export_name), NULL, 0, &result, has_result, &trap);
    r->gas_used = ward_store_fuel_consumed(e->store);
    if (e->run.host_failed) {
        *err = e->run.db_err;
        return false;
    }
    if (rc == WARD_ERROR && lerr.stage == WARD_STAGE_LINK)
        refuse_call(r, WARD_CONTRACT_DENIED, "denied", "%s", lerr.message);
    else if (rc == WARD_ERROR)
        refuse_call(r, WARD_CONTRACT_ERROR, "instantiate", "%s", lerr.message[0] ? lerr.message : trap.message);
    else if (rc == WARD_TRAP)
        record_trap(r, &trap);
    else {
        r->status = WARD_CONTRACT_OK;
        r->has_result = has_result;
        r->result = (int32_t)result.of.i32;
    }
    return true;
}

/* The root after an overlay on an empty state (no database). */
static void root_without_db(const woverlay *o, uint8_t root[32])
{
    uint8_t acc[WDB_STATE_ACC_BYTES] = {0};
    for (size_t i = 0; i < o->n; i++)
        if (!o->entries[i].removed)
            wroot_add(acc, o->entries[i].key, o->entries[i].klen, o->entries[i].value, o->entries[i].vlen, false);
    wroot_digest(acc, root);
}

/* A call that commits nothing still read the state: it must have read one
 * snapshot (the commit checks that for the others). */
static bool state_unchanged(ward_db *db, const ward_receipt *r, ward_db_error *err)
{
    uint8_t acc[WDB_STATE_ACC_BYTES];
    if (!db || !wcontract_state_acc(db, r->contract, acc, err))
        return !db;
    if (memcmp(acc, r->acc_before, sizeof acc) == 0)
        return true;
    memset(err, 0, sizeof *err);
    err->kind = WARD_DB_ERR_BUSY;
    err->op = "contract call";
    snprintf(err->message, sizeof err->message,
             "%s: contract call: another writer changed this contract's state during the call; run it again",
             ward_db_path(db));
    return false;
}

/* Keep the call's results in the receipt and, when it succeeded, its writes. */
static bool finish(ward_contract *c, ward_db *db, const ward_contract_call *call, call_env *e, ward_receipt *r,
                   ward_db_error *err)
{
    memcpy(r->root_after, r->root_before, 32);
    bool commits = r->status == WARD_CONTRACT_OK && e->run.overlay.n;
    if (!commits && !state_unchanged(db, r, err))
        return false;
    if (commits) {
        uint8_t acc_after[WDB_STATE_ACC_BYTES];
        if (!db)
            root_without_db(&e->run.overlay, r->root_after);
        else if (!wcontract_state_commit(db, r->contract, &e->run.overlay, &e->run.reads, call->dry_run,
                                         r->acc_before, acc_after, err))
            return false;
        else
            wroot_memo_digest(&c->roots, acc_after, r->root_after);
        r->changes = e->run.overlay;
        memset(&e->run.overlay, 0, sizeof e->run.overlay);
    }
    if (r->status == WARD_CONTRACT_OK) {
        r->output = e->run.output.data;
        r->output_len = e->run.output.len;
        e->run.output.data = NULL;
        if (r->output_len)
            wcrypto_sha256(r->output_sha256, r->output, r->output_len);
    }
    r->logs = e->run.logs;
    r->nlogs = e->run.nlogs;
    e->run.logs = NULL;
    e->run.nlogs = 0;
    return true;
}

static ward_receipt *host_failure(ward_receipt *r, ward_db_error *err, const char *why)
{
    if (why) {
        memset(err, 0, sizeof *err);
        err->kind = WARD_DB_ERR_NOMEM;
        err->op = "contract call";
        snprintf(err->message, sizeof err->message, "contract call: %s", why);
    }
    ward_receipt_free(r);
    return NULL;
}

/* Run the call (r has its identity and root before); false: host failure. */
static bool run_call(ward_contract *c, ward_db *db, const ward_contract_call *call, ward_receipt *r,
                     ward_db_error *err)
{
    bool has_result = false;
    if (call->gas_limit > WARD_CONTRACT_GAS_MAX) {
        char limit[64];
        snprintf(limit, sizeof limit, "%llu", (unsigned long long)call->gas_limit);
        refuse_call(r, WARD_CONTRACT_ERROR, "gas_limit", "gas limit %s is over the maximum of 100000000", limit);
        return true;
    }
    if (call->input_len > WARD_CONTRACT_INPUT_MAX) {
        refuse_call(r, WARD_CONTRACT_ERROR, "input", "%s", "the input is over the maximum of 16 MiB");
        return true;
    }
    if (c->refusal[0]) {
        refuse_call(r, c->refused_as, c->refused_as == WARD_CONTRACT_DENIED ? "denied" : "module", "%s", c->refusal);
        return true;
    }
    if (!check_export(c, r, &has_result))
        return true;
    call_env e = {0};
    bool ok = call_env_init(&e, c, db, call, r);
    if (!ok)
        host_failure(NULL, err, "cannot set up the call's store (out of memory)");
    ok = ok && execute(c, &e, r, has_result, err) && finish(c, db, call, &e, r, err);
    call_env_free(&e);
    return ok;
}

ward_receipt *ward_contract_run(ward_contract *c, ward_db *state, const ward_contract_call *call,
                                ward_db_error *err)
{
    ward_db_error local;
    if (!err)
        err = &local;
    memset(err, 0, sizeof *err);
    if (!c || !call) {
        err->kind = WARD_DB_ERR_ARGUMENT;
        snprintf(err->message, sizeof err->message, "contract call: no contract or no call");
        return NULL;
    }
    /* wasm names are UTF-8, so no such export exists; and a receipt (JSON)
     * could not carry the bytes back for a replay */
    if (call->export_name && !wutf8_valid((const uint8_t *)call->export_name, strlen(call->export_name))) {
        err->kind = WARD_DB_ERR_ARGUMENT;
        snprintf(err->message, sizeof err->message, "contract call: the export name is not valid UTF-8");
        return NULL;
    }
    ward_receipt *r = receipt_begin(c, call);
    if (!r)
        return host_failure(NULL, err, "out of memory");
    if (!wcontract_state_acc(state, r->contract, r->acc_before, err))
        return host_failure(r, err, NULL);
    wroot_memo_digest(&c->roots, r->acc_before, r->root_before);
    if (!run_call(c, state, call, r, err))
        return host_failure(r, err, NULL);
    if (r->status != WARD_CONTRACT_OK)
        memcpy(r->root_after, r->root_before, 32);
    if (!wreceipt_render(r))
        return host_failure(r, err, "out of memory");
    return r;
}
