/*
 * ward contracts (docs/contracts.md): deterministic calls with receipts
 * and transactional key/value state.
 *
 *     ward_contract *c = ward_contract_load(bytes, size, NULL, &err);  // compile once
 *     ward_contract_call call;
 *     ward_contract_call_default(&call);
 *     call.export_name = "transfer";
 *     call.input = in; call.input_len = n; call.gas_limit = 1000000;
 *     ward_receipt *r = ward_contract_run(c, db, &call, &dberr);      // a fresh instance per call
 *     fwrite(ward_receipt_json(r, &len), 1, len, stdout);
 *     ward_receipt_free(r);
 *     ward_contract_free(c);
 *
 * A call runs in a fresh store of a deterministic engine, with fuel (gas)
 * = the gas limit and only the contract profile's host modules: ward:io
 * (input, output, logs), ward:state (this contract's key/value state) and
 * ward:crypto (its random stream seeded per call).  A module importing
 * anything else gets a receipt with status "denied" naming the import.
 * The export takes nothing and returns nothing or an i32 (the receipt's
 * "result").  Its state writes go to an overlay that the call itself
 * reads; they reach the database, in one transaction, only when the call
 * ends without a trap; a trap, out of gas or timeout drops them all.
 * A ward_contract holds nothing a call's outcome depends on (only, behind
 * a lock, the last state root it computed, to skip computing it again):
 * several threads may run calls of one contract at once (unless it was
 * given a ward_wasi, which serves one call at a time).  Built with storage (WARD_HAVE_STORAGE).
 */
#ifndef WARD_CONTRACT_H
#define WARD_CONTRACT_H

#include "ward.h"
#include "ward_storage.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The highest gas limit a call may ask for. */
#define WARD_CONTRACT_GAS_MAX 100000000u
/* The largest input a call takes (bytes). */
#define WARD_CONTRACT_INPUT_MAX (16u << 20)
/* The receipt format's version (the receipt's "version"). */
#define WARD_RECEIPT_VERSION 1

typedef struct ward_contract ward_contract;
typedef struct ward_receipt ward_receipt;

typedef enum ward_contract_status {
    WARD_CONTRACT_OK = 0,       /* "ok": ran to the end, writes committed */
    WARD_CONTRACT_TRAP,         /* "trap": the guest trapped (or timed out); nothing written */
    WARD_CONTRACT_OUT_OF_GAS,   /* "out_of_gas": the budget ran out; gas_used = gas_limit; nothing written */
    WARD_CONTRACT_DENIED,       /* "denied": the module imports outside the contract profile */
    WARD_CONTRACT_ERROR,        /* "error": the call could not start (no such export, wrong type,
                                 * gas limit over the maximum, a module that does not load) */
} ward_contract_status;

/* The status's name in receipts ("ok", "trap", ...). */
const char *ward_contract_status_name(ward_contract_status status);

/*
 * Loading a contract.  wasi: grant the module WASI preview 1 through this
 * (the embedder's choice, deterministic or not; NULL: WASI imports are
 * denied).  One ward_wasi serves one call at a time.
 */
typedef struct ward_contract_options {
    ward_wasi *wasi;
} ward_contract_options;

/*
 * Compile a module for calls (kept warm: every call instantiates it
 * anew).  NULL only when out of memory (*err says so).  A module that does
 * not decode or validate, or imports outside the profile, still gives a
 * contract: its calls return "error" / "denied" receipts, so batches keep
 * one receipt per call.  opts may be NULL.
 */
ward_contract *ward_contract_load(const uint8_t *bytes, size_t size, const ward_contract_options *opts,
                                  ward_error *err);
void ward_contract_free(ward_contract *c);
/* SHA-256 of the module's bytes (the default contract id). */
const uint8_t *ward_contract_module_sha256(const ward_contract *c);

typedef struct ward_contract_call {
    const char *export_name;
    const uint8_t *input;
    size_t input_len;           /* at most WARD_CONTRACT_INPUT_MAX, else an "error" receipt */
    uint64_t gas_limit;         /* at most WARD_CONTRACT_GAS_MAX, else an "error" receipt */
    bool has_seed;              /* ward:crypto's seed; default SHA-256("ward contract seed" || */
    uint8_t seed[32];           /*   module sha256 || input sha256) */
    bool has_contract;          /* whose state; default the module's SHA-256 */
    uint8_t contract[32];
    uint64_t timeout_ms;        /* 0 = none; a timeout is not deterministic (a "trap", kind timeout) */
    bool dry_run;               /* compute the receipt, write nothing (replay) */
} ward_contract_call;

void ward_contract_call_default(ward_contract_call *call);

/*
 * Run one call against state (NULL: an empty state, nothing stored) and
 * return its receipt.  NULL only when the host failed (database error, out
 * of memory, another writer changed this contract's state during the
 * call): *err says why, and nothing was written.  Inside a ward_db batch
 * (ward_db_begin) each call is a savepoint and becomes durable with the
 * batch.
 */
ward_receipt *ward_contract_run(ward_contract *c, ward_db *state, const ward_contract_call *call,
                                ward_db_error *err);

/* A receipt for a call that could not be made at all (a malformed batch
 * line): status "error" with message; line > 0 is recorded as "line". */
ward_receipt *ward_receipt_error(const char *message, uint64_t line);

/* The canonical JSON (docs/contracts.md, "Receipts"): no trailing newline. */
const char *ward_receipt_json(const ward_receipt *r, size_t *len);
ward_contract_status ward_receipt_status(const ward_receipt *r);
uint64_t ward_receipt_gas_used(const ward_receipt *r);
const uint8_t *ward_receipt_output(const ward_receipt *r, size_t *len);
/* The trap or error message ("" when ok). */
const char *ward_receipt_message(const ward_receipt *r);
const uint8_t *ward_receipt_state_root_after(const ward_receipt *r);
/* State changes in key order: false past the end.  value NULL: removed. */
size_t ward_receipt_change_count(const ward_receipt *r);
bool ward_receipt_change(const ward_receipt *r, size_t i, const uint8_t **key, size_t *klen, const uint8_t **value,
                         size_t *vlen);
void ward_receipt_free(ward_receipt *r);

/* The state root of a contract now (docs/contracts.md, "State root"). */
bool ward_contract_state_root(ward_db *state, const uint8_t contract[32], uint8_t root[32], ward_db_error *err);
/* Recompute the contract's state hash from all its rows and compare it
 * with the stored one: *ok false when they differ (the file was edited
 * behind ward's back, or damaged).  Reads every row: for checks, not calls. */
bool ward_contract_state_verify(ward_db *state, const uint8_t contract[32], bool *ok, ward_db_error *err);

/*
 * Replay (docs/contracts.md, "Replay"): rerun the call a receipt records
 * against state without writing anything and compare the receipts byte for
 * byte.  WARD_REPLAY_EQUAL, WARD_REPLAY_DIFFERS (why: the first differing
 * field), WARD_REPLAY_ERROR (why: a malformed receipt, a module whose
 * SHA-256 is not the receipt's, "state snapshot differs" when the state
 * root before is not the receipt's, a database error).
 */
typedef enum ward_replay_result {
    WARD_REPLAY_EQUAL = 0,
    WARD_REPLAY_DIFFERS = 1,
    WARD_REPLAY_ERROR = 2,
} ward_replay_result;

ward_replay_result ward_contract_replay(ward_contract *c, ward_db *state, const char *receipt, size_t len,
                                        char *why, size_t why_size);
/* The module SHA-256 a receipt names (to find the module): false when malformed. */
bool ward_receipt_module_sha256(const char *receipt, size_t len, uint8_t out[32]);

#ifdef __cplusplus
}
#endif
#endif
