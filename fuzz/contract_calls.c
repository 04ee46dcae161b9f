/*
 * libFuzzer target: contract calls (docs/contracts.md) with hostile
 * inputs, gas budgets, batch lines and receipts.  Each input runs against
 * a fresh state database in /dev/shm or /tmp (removed after it) and the guest of
 * fuzz/contract_guest.h, whose input is a little program of state writes
 * (small, large, over the limits), reads, output, logs, reads past the
 * input, memory growth, gas burning and traps.
 *
 * Input: a flags byte (bit 0: the receipt part patches the last receipt
 * made instead of being a receipt itself; bit 1: calls run without a
 * database; bit 2: inside one database batch), the lengths (u16 LE each) of the batch-line part and the
 * receipt part, those parts, then up to 8 call records:
 *     what (u8)      bits 0-2 the export (run x4, quiet, takes, nope, ""),
 *                    bit 3 dry run, bit 4 another contract id (bit 5: which),
 *                    bit 6 a given seed
 *     gas (u8, u24)  how the gas limit is made from the u24 (up to 16 Mi,
 *                    small, the maximum or one over it, far over it)
 *     input (u16 length, 0xffff: one byte over the 16 MiB maximum; bytes)
 * The batch-line part is split into lines, each read by the batch line
 * parser (src/contract/batch_line.c) and, when it names "guest" or
 * "denied", called; the receipt part goes to ward_receipt_module_sha256
 * and ward_contract_replay.
 *
 * Besides ASan/UBSan/LeakSanitizer, after every call it checks (else
 * __builtin_trap()): a receipt is one line of valid UTF-8 JSON; a call
 * that is not ok leaves the state root, its receipt's root after, the
 * changes and the output empty of effect; an ok call's root is the
 * receipt's root after, and the stored state hash matches one recomputed
 * from all rows; another contract's state never changes; the gas used
 * stays within the limit (out of gas: equal to it); calls that cannot
 * start are errors; and replaying a receipt on the state it started from
 * gives "equal".
 */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/util.h"
#include "contract/batch_line.h"
#include "contract_guest.h"
#include "ward_contract.h"

/* Receipts longer than this (an input over the maximum, megabytes of
 * writes: their hex) are not replayed or kept: that would take seconds. */
enum { MAX_CALLS = 8, MAX_LINES = 8, REPLAY_MAX = 4 << 20 };
/* The largest gas limit a replay reads from a receipt (src/contract/replay.c). */
#define REPLAY_GAS_MAX 1000000000000000ull

typedef struct reader {
    const uint8_t *p;
    size_t n;
} reader;

/* One input's world: the database, the contracts, the last receipt. */
typedef struct world {
    ward_db *db;                /* NULL: calls on an empty state */
    ward_contract *guest, *denied;
    char *last;                 /* the last receipt's JSON (malloc'd) */
    size_t last_len;
    bool made_big;              /* one call with an input over the maximum per input (slow) */
    bool in_batch;              /* the calls run inside a ward_db batch */
} world;

static char db_path[64];
static const uint8_t other_ids[2][32] = {{0x11, 0x11}, {0x22, 0x22}};
static const uint8_t given_seed[32] = {0x5e, 0xed};
static const char *const exports[8] = {"run", "run", "run", "run", "quiet", "takes", "nope", ""};

static void require(int condition)
{
    if (!condition)
        __builtin_trap();
}

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "contract_calls: %s: %s\n", what, detail ? detail : "");
    __builtin_trap();
}

static uint32_t take(reader *r, int bytes)
{
    uint32_t v = 0;
    for (int i = 0; i < bytes && r->n; i++, r->p++, r->n--)
        v |= (uint32_t)*r->p << (8 * i);
    return v;
}

static const uint8_t *take_bytes(reader *r, size_t want, size_t *got)
{
    const uint8_t *p = r->p;
    *got = want < r->n ? want : r->n;
    r->p += *got;
    r->n -= *got;
    return p;
}

/* ---- the state ------------------------------------------------------------ */

static void remove_db_files(void)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    char path[80];
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        snprintf(path, sizeof path, "%s%s", db_path, suffixes[i]);
        unlink(path);
    }
}

static void root_of(const world *w, const uint8_t contract[32], uint8_t root[32])
{
    ward_db_error err;
    if (!ward_contract_state_root(w->db, contract, root, &err))
        fail("state root", err.message);
}

/* The stored state hash against one recomputed from all the rows. */
static void verify_state(const world *w, const uint8_t contract[32])
{
    ward_db_error err;
    bool ok = false;
    if (!w->db)
        return;
    if (!ward_contract_state_verify(w->db, contract, &ok, &err))
        fail("state verify", err.message);
    if (!ok)
        fail("state verify", "the stored state hash is not the rows'");
}

/* ---- receipts ----------------------------------------------------------- */

/* One line of valid UTF-8 that cJSON reads as an object (the UTF-8 check
 * is slow under the sanitizers: not for the megabytes of hex of a long one). */
static void check_json(const char *text, size_t len)
{
    require(text != NULL && len > 0);
    require(memchr(text, '\n', len) == NULL && memchr(text, 0, len) == NULL);
    require(len > REPLAY_MAX || wutf8_valid((const uint8_t *)text, len));
    cJSON *root = cJSON_ParseWithLength(text, len);
    require(cJSON_IsObject(root));
    cJSON_Delete(root);
}

static void keep_last(world *w, const ward_receipt *r)
{
    size_t len;
    const char *json = ward_receipt_json(r, &len);
    char *copy = malloc(len + 1);
    require(copy != NULL);
    memcpy(copy, json, len);
    copy[len] = 0;
    free(w->last);
    w->last = copy;
    w->last_len = len;
}

/* The three states calls use: the guest's own and two others. */
static const uint8_t *state_id(const world *w, int i)
{
    return i == 0 ? ward_contract_module_sha256(w->guest) : other_ids[i - 1];
}

static void roots_of(const world *w, uint8_t roots[3][32])
{
    for (int i = 0; i < 3; i++)
        root_of(w, state_id(w, i), roots[i]);
}

/* A replay's promises: a result and a reason in why, never a write. */
static ward_replay_result replay(const world *w, const char *text, size_t len, char why[256])
{
    uint8_t before[3][32], after[3][32];
    memset(why, 'x', 256);
    roots_of(w, before);
    ward_replay_result rc = ward_contract_replay(w->guest, w->db, text, len, why, 256);
    require(rc == WARD_REPLAY_EQUAL || rc == WARD_REPLAY_DIFFERS || rc == WARD_REPLAY_ERROR);
    require(memchr(why, 0, 256) != NULL && why[0] != 0);
    for (const char *c = why; *c; c++) /* one line, no control characters: it is printed */
        require((unsigned char)*c >= 0x20);
    roots_of(w, after);
    require(memcmp(before, after, sizeof before) == 0);
    uint8_t sha[32];
    if (!ward_receipt_module_sha256(text, len, sha))
        require(rc == WARD_REPLAY_ERROR);
    else if (memcmp(sha, ward_contract_module_sha256(w->guest), 32) != 0)
        require(rc == WARD_REPLAY_ERROR);
    return rc;
}

/* ---- calls ----------------------------------------------------------------- */

/* A call's effects on its state: none unless it is ok and not a dry run. */
static void check_effects(const world *w, const ward_contract_call *call, const ward_receipt *r,
                          const uint8_t *contract, const uint8_t before[32], const uint8_t now[32])
{
    size_t out_len;
    ward_receipt_output(r, &out_len);
    if (ward_receipt_status(r) != WARD_CONTRACT_OK) {
        require(memcmp(now, before, 32) == 0);
        require(memcmp(ward_receipt_state_root_after(r), before, 32) == 0);
        require(ward_receipt_change_count(r) == 0 && out_len == 0);
        require(ward_receipt_message(r)[0] != 0);
    } else if (call->dry_run || !w->db) {
        require(memcmp(now, before, 32) == 0);
    } else {
        require(memcmp(now, ward_receipt_state_root_after(r), 32) == 0);
        verify_state(w, contract);
    }
}

/* The status's promises: gas within the limit, refusals before running. */
static void check_status(const world *w, const ward_contract *c, const ward_contract_call *call,
                         const ward_receipt *r)
{
    ward_contract_status status = ward_receipt_status(r);
    if (status == WARD_CONTRACT_OUT_OF_GAS)
        require(ward_receipt_gas_used(r) == call->gas_limit);
    require(ward_receipt_gas_used(r) <= call->gas_limit || status == WARD_CONTRACT_ERROR);
    if (call->gas_limit > WARD_CONTRACT_GAS_MAX || call->input_len > WARD_CONTRACT_INPUT_MAX)
        require(status == WARD_CONTRACT_ERROR);
    if (c == w->denied)
        require(status == WARD_CONTRACT_DENIED || status == WARD_CONTRACT_ERROR);
    else
        require(status != WARD_CONTRACT_DENIED);
}

/* Run a call and check it; replayable: a receipt a replay reads back as
 * the same call (an export name that is valid UTF-8). */
static void checked_call(world *w, ward_contract *c, const ward_contract_call *call, bool replayable)
{
    const uint8_t *contract = call->has_contract ? call->contract : ward_contract_module_sha256(c);
    uint8_t before[32], now[32], roots_before[3][32], roots_now[3][32];
    root_of(w, contract, before);
    roots_of(w, roots_before);
    ward_db_error err;
    ward_receipt *r = ward_contract_run(c, w->db, call, &err);
    if (!r)
        fail("contract call failed on the host side", err.message);
    size_t len;
    const char *json = ward_receipt_json(r, &len);
    check_json(json, len);
    root_of(w, contract, now);
    check_effects(w, call, r, contract, before, now);
    check_status(w, c, call, r);
    /* the other states did not change */
    roots_of(w, roots_now);
    for (int i = 0; i < 3; i++)
        require(memcmp(roots_now[i], roots_before[i], 32) == 0 || memcmp(state_id(w, i), contract, 32) == 0);
    if (len > REPLAY_MAX) {
        ward_receipt_free(r);
        return;
    }
    keep_last(w, r);
    ward_receipt_free(r);
    /* on the state it started from, a replay gives the same receipt */
    char why[256];
    if (replayable && c == w->guest && call->gas_limit <= REPLAY_GAS_MAX && memcmp(now, before, 32) == 0 &&
        replay(w, w->last, w->last_len, why) != WARD_REPLAY_EQUAL)
        fail(why, w->last);
}

static uint64_t gas_limit(uint8_t mode, uint32_t v)
{
    switch (mode & 7) {
    case 0: return v;                                  /* up to 16 Mi */
    case 1: return v & 0xffff;                         /* small: often out of gas */
    case 2: return v >> 12;                            /* tiny */
    case 3: return WARD_CONTRACT_GAS_MAX + (v & 1);    /* the maximum or one over */
    case 4: return UINT64_MAX - v;                     /* far over */
    default: return 10000000;                          /* the default */
    }
}

static void record_call(world *w, reader *r, uint8_t *big)
{
    uint8_t what = (uint8_t)take(r, 1);
    uint8_t mode = (uint8_t)take(r, 1);
    uint32_t gas = take(r, 3);
    uint32_t want = take(r, 2);
    size_t got;
    bool over = want == 0xffff && !w->made_big;
    const uint8_t *bytes = take_bytes(r, over ? 0 : want, &got);
    w->made_big |= over;
    ward_contract_call call;
    ward_contract_call_default(&call);
    call.export_name = exports[what & 7];
    call.dry_run = (what & 8) != 0;
    if ((call.has_contract = (what & 16) != 0))
        memcpy(call.contract, other_ids[(what >> 5) & 1], 32);
    if ((call.has_seed = (what & 64) != 0))
        memcpy(call.seed, given_seed, 32);
    call.gas_limit = gas_limit(mode, gas);
    call.input = over ? big : bytes;
    call.input_len = over ? WARD_CONTRACT_INPUT_MAX + 1 : got;
    checked_call(w, w->guest, &call, true);
}

/* ---- batch lines ----------------------------------------------------------- */

static void batch_line(world *w, const char *text, size_t len, uint64_t number)
{
    wcontract_line line;
    char why[512];
    const char *bad = wcontract_line_parse(text, len, &line, why, sizeof why);
    ward_contract *c = NULL;
    if (!bad && strcmp(line.module, "guest") == 0)
        c = w->guest;
    else if (!bad && strcmp(line.module, "denied") == 0)
        c = w->denied;
    else if (!bad)
        bad = "no such module";
    if (c) {
        const char *name = line.call.export_name;
        checked_call(w, c, &line.call, wutf8_valid((const uint8_t *)name, strlen(name)));
    } else {
        require(bad[0] != 0 && strlen(bad) < sizeof why);
        char message[512];
        snprintf(message, sizeof message, "line %llu: %.400s", (unsigned long long)number, bad);
        ward_receipt *r = ward_receipt_error(message, number);
        require(r != NULL && ward_receipt_status(r) == WARD_CONTRACT_ERROR);
        size_t n;
        const char *json = ward_receipt_json(r, &n);
        check_json(json, n);
        keep_last(w, r);
        ward_receipt_free(r);
    }
    wcontract_line_free(&line);
}

static void batch_lines(world *w, const char *text, size_t len)
{
    uint64_t number = 0;
    for (size_t at = 0; at < len && number < MAX_LINES;) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - text) : len;
        batch_line(w, text + at, end - at, ++number);
        at = end + 1;
    }
}

/* ---- replay of given receipts --------------------------------------------- */

/* The receipt part: itself, or patches (u16 offset, u8 length, bytes) to
 * the last receipt made, so replays get past the parser into the checks. */
static void given_receipt(world *w, const uint8_t *data, size_t size, bool patch)
{
    char *text;
    size_t len;
    if (patch && w->last) {
        len = w->last_len;
        require((text = malloc(len + 1)) != NULL);
        memcpy(text, w->last, len);
        for (size_t i = 0; i + 3 <= size;) {
            size_t at = ((size_t)data[i] | (size_t)data[i + 1] << 8) % len, n = data[i + 2];
            for (i += 3; n && i < size && at < len; n--, i++, at++)
                text[at] = (char)data[i];
        }
    } else {
        len = size;
        require((text = malloc(len + 1)) != NULL);
        memcpy(text, data, len);
    }
    text[len] = 0;
    char why[256];
    replay(w, text, len, why);
    free(text);
}

/* ---- the input ---------------------------------------------------------------- */

/* Set once: an input over the maximum (zeros), and a new state database's
 * bytes, copied for each input (cheaper than creating the schema each
 * time; on /dev/shm when there is one, where syncs cost nothing). */
static uint8_t *big_input, *template_db;
static size_t template_len;

static void make_template(void)
{
    ward_db_error err;
    remove_db_files();
    ward_db *db = ward_db_open(db_path, NULL, &err);
    if (!db)
        fail("cannot create a state database", err.message);
    ward_db_close(db);
    FILE *f = fopen(db_path, "rb");
    require(f != NULL && fseek(f, 0, SEEK_END) == 0);
    long n = ftell(f);
    require(n > 0 && fseek(f, 0, SEEK_SET) == 0);
    template_len = (size_t)n;
    require((template_db = malloc(template_len)) != NULL);
    require(fread(template_db, 1, template_len, f) == template_len);
    fclose(f);
    remove_db_files();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(db_path, sizeof db_path, "%s/ward-fuzz-contract-%d.db", dir, (int)getpid());
    big_input = calloc(1, WARD_CONTRACT_INPUT_MAX + 1);
    require(big_input != NULL);
    make_template();
    return 0;
}

/* The contracts, and a state database unless there is none (with_db
 * false); in_batch: every call inside one ward_db batch, as `ward call
 * --batch` runs them (each a savepoint). */
static void world_open(world *w, bool with_db, bool in_batch)
{
    memset(w, 0, sizeof *w);
    ward_error err;
    require((w->guest = ward_contract_load(contract_guest, sizeof contract_guest, NULL, &err)) != NULL);
    require((w->denied = ward_contract_load(contract_denied, sizeof contract_denied, NULL, &err)) != NULL);
    if (!with_db)
        return;
    remove_db_files();
    FILE *f = fopen(db_path, "wb");
    require(f != NULL && fwrite(template_db, 1, template_len, f) == template_len);
    fclose(f);
    ward_db_error dberr;
    if (!(w->db = ward_db_open(db_path, NULL, &dberr)) || (in_batch && !ward_db_begin(w->db, &dberr)))
        fail("cannot open the state database", dberr.message);
    w->in_batch = in_batch;
}

static void world_close(world *w)
{
    ward_db_error err;
    if (w->in_batch && !ward_db_commit(w->db, &err))
        fail("cannot commit the batch", err.message);
    for (int i = 0; i < 3; i++)
        verify_state(w, state_id(w, i));
    ward_db_close(w->db);
    if (w->db)
        remove_db_files();
    ward_contract_free(w->guest);
    ward_contract_free(w->denied);
    free(w->last);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reader r = {data, size};
    uint8_t flags = (uint8_t)take(&r, 1);
    size_t lines_len, receipt_len;
    uint32_t want_lines = take(&r, 2), want_receipt = take(&r, 2);
    const uint8_t *lines = take_bytes(&r, want_lines, &lines_len);
    const uint8_t *receipt = take_bytes(&r, want_receipt, &receipt_len);
    world w;
    world_open(&w, (flags & 2) == 0, (flags & 4) != 0);
    for (int i = 0; i < MAX_CALLS && r.n; i++)
        record_call(&w, &r, big_input);
    batch_lines(&w, (const char *)lines, lines_len);
    given_receipt(&w, receipt, receipt_len, (flags & 1) != 0);
    world_close(&w);
    return 0;
}
