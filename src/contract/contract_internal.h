/*
 * Contract calls (docs/contracts.md), shared by src/contract and the guest
 * modules ward:io (src/guest/io.c) and ward:state (src/guest/state.c): the
 * state of one running call, the write overlay, the state hash and the
 * receipt writer.
 */
#ifndef WARD_CONTRACT_INTERNAL_H
#define WARD_CONTRACT_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storage/backend.h"
#include "ward.h"
#include "ward_contract.h"

/* ---- a growable byte buffer ---------------------------------------------- */

typedef struct wbuf {
    uint8_t *data;
    size_t len, cap;
    bool failed;                /* an append ran out of memory */
} wbuf;

void wbuf_put(wbuf *b, const void *p, size_t n);
void wbuf_str(wbuf *b, const char *s);
void wbuf_free(wbuf *b);

/* ---- the write overlay: a call's writes, sorted by key (overlay.c) -------- */

typedef struct woverlay_entry {
    uint8_t *key;
    size_t klen;
    uint8_t *value;             /* NULL when removed */
    size_t vlen;
    bool removed;
} woverlay_entry;

typedef struct woverlay {
    woverlay_entry *entries;    /* bytewise key order */
    size_t n, cap;
    size_t bytes;               /* keys and values held, for WARD_STATE_WRITES_MAX */
} woverlay;

/* The entry for key, or NULL. */
const woverlay_entry *woverlay_find(const woverlay *o, const uint8_t *key, size_t klen);
/* Record a set (value) or a removal (value NULL); false when out of memory. */
bool woverlay_put(woverlay *o, const uint8_t *key, size_t klen, const uint8_t *value, size_t vlen, bool removed);
void woverlay_free(woverlay *o);
/* Bytewise order, shorter first on a common prefix (SQLite's blob order). */
int wkey_compare(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen);

/* ---- one running call: the guest modules' environment --------------------- */

typedef struct wcontract_log {
    uint8_t *data;
    size_t len;
} wcontract_log;

typedef struct wcontract_run {
    ward_db *db;                /* NULL: an empty state */
    const uint8_t *contract;    /* 32 bytes */
    const uint8_t *input;
    size_t input_len;
    wbuf output;
    wcontract_log *logs;
    size_t nlogs;
    size_t log_bytes;
    woverlay overlay;
    woverlay reads;             /* small values read from the database (removed: absent), so
                                 * a second get and the commit need not read them again */
    bool host_failed;           /* a database read failed: db_err says why (not the guest's fault) */
    ward_db_error db_err;
} wcontract_run;

/* Values up to this size are kept in wcontract_run.reads, up to WCONTRACT_READ_CACHE_MAX
 * bytes in all (the commit reads the others again). */
#define WCONTRACT_READ_CACHE_VALUE 1024
#define WCONTRACT_READ_CACHE_MAX (1u << 20)

/* Read key from the database (state_db.c); false sets host_failed. */
bool wcontract_state_read(wcontract_run *run, const uint8_t *key, size_t klen, uint8_t **value, size_t *vlen,
                          bool *found);

/* Define ward:io / ward:state for one call's store (src/guest/io.c, state.c). */
ward_result wguest_io_define(ward_linker *linker, ward_store *store, wcontract_run *run);
ward_result wguest_state_define(ward_linker *linker, ward_store *store, wcontract_run *run);

/* Fill *trap (kind host) with the message; returns WARD_TRAP (io.c). */
ward_result wcontract_refuse(ward_trap *trap, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define WARD_IO_MODULE "ward:io"
#define WARD_STATE_MODULE "ward:state"

/* ---- the state root (root.c) ----------------------------------------------- */

/* The lattice accumulator of docs/contracts.md, "State root": add or
 * remove one row's hash. */
void wroot_add(uint8_t acc[WDB_STATE_ACC_BYTES], const uint8_t *key, size_t klen, const uint8_t *value, size_t vlen,
               bool subtract);
void wroot_digest(const uint8_t acc[WDB_STATE_ACC_BYTES], uint8_t root[32]);

/* The last accumulator digested and its root, kept by a contract: a call's
 * root before is most often the root after of the call before it, and a
 * digest of the 2 KiB accumulator costs a few microseconds.  Keyed by the
 * whole accumulator, so a hit is exact.  Behind a lock: calls of one
 * contract may run on several threads (ward_contract.h). */
typedef struct wroot_memo {
    pthread_mutex_t lock;
    bool valid;
    uint8_t acc[WDB_STATE_ACC_BYTES];
    uint8_t root[32];
} wroot_memo;

void wroot_memo_init(wroot_memo *m);
void wroot_memo_free(wroot_memo *m);
/* wroot_digest, through the memo. */
void wroot_memo_digest(wroot_memo *m, const uint8_t acc[WDB_STATE_ACC_BYTES], uint8_t root[32]);

/* The contract's accumulator now (zeros without a database). */
bool wcontract_state_acc(ward_db *state, const uint8_t contract[32], uint8_t acc[WDB_STATE_ACC_BYTES],
                         ward_db_error *err);
/* Apply (or, dry, only compute) a call's overlay: acc_before, read when
 * the call began, is checked against the stored one (a different one means
 * another writer came in between: BUSY); acc_after is the state's
 * accumulator with the overlay applied.  One transaction. */
bool wcontract_state_commit(ward_db *db, const uint8_t contract[32], const woverlay *o, const woverlay *reads,
                            bool dry, const uint8_t acc_before[WDB_STATE_ACC_BYTES],
                            uint8_t acc_after[WDB_STATE_ACC_BYTES], ward_db_error *err);

/* ---- receipts (receipt.c) -------------------------------------------------- */

struct ward_receipt {
    ward_contract_status status;
    const char *trap_kind;      /* static name, NULL when ok */
    char message[512];
    char *export_name;
    bool has_result;
    int32_t result;
    uint64_t gas_limit, gas_used;
    uint8_t *output;
    size_t output_len;
    wcontract_log *logs;
    size_t nlogs;
    woverlay changes;
    uint8_t contract[32], module_sha256[32], input_sha256[32], output_sha256[32], seed[32];
    uint8_t root_before[32], root_after[32];
    uint8_t acc_before[WDB_STATE_ACC_BYTES]; /* the state hash's accumulator when the call began */
    uint8_t *input;
    size_t input_len;
    uint64_t line;              /* batch error receipts: the line number, else 0 */
    bool bare;                  /* an error receipt with no call behind it */
    wbuf json;                  /* the canonical form, made once */
};

/* Render r->json; false when out of memory. */
bool wreceipt_render(ward_receipt *r);
/* The trap kind's name in receipts ("unreachable", "out_of_fuel", ...). */
const char *wreceipt_trap_name(ward_trap_kind kind);

/* hex and base64 text */
void wtext_hex(wbuf *b, const uint8_t *p, size_t n);
void wtext_base64(wbuf *b, const uint8_t *p, size_t n);
/* A JSON string, quotes included: control characters escaped, and bytes
 * from 0x80 too unless the text is valid UTF-8. */
void wtext_json(wbuf *b, const uint8_t *p, size_t n);

#endif
