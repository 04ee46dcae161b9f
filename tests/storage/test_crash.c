/*
 * kill -9 at random moments (docs/storage.md, "Crash safety").  A child
 * process writes to the database as fast as it can: single DAG puts,
 * batches of them and vault puts, and it tells the parent through a pipe
 * what it is about to commit (intent) and what returned success (ack).
 * The parent kills it with SIGKILL after a random number of acknowledged
 * writes and a random pause, then opens the file and checks: SQLite's
 * integrity check passes, every acknowledged write is there (a vault
 * version with its value), no batch is half there, every node still
 * hashes to its id, every stored secret version decrypts and the vault's
 * audit chain verifies.
 *
 * Rounds: WARD_CRASH_ROUNDS (default 60); seed: WARD_CRASH_SEED.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../test.h"
#include "ward_dag.h"
#include "ward_vault.h"

#define BATCH 16

/* What the child reports; records are far below PIPE_BUF, so each write
 * arrives whole or (cut by the kill) not at all. */
typedef struct report {
    char kind;                  /* 'i' intent, 'a' ack, 'v' vault put acked */
    uint32_t count;             /* ids in this record */
    uint64_t batch;             /* for 'v': the version */
    ward_dag_id ids[BATCH];
    char name[16], value[48];   /* for 'v' */
} report;

static const uint8_t vault_key[WARD_VAULT_KEY_BYTES] = {7, 7, 7};
#define SECRET_NAMES 5

static char dir[] = "/tmp/ward-crash-XXXXXX";
static char path[256];

static void send_report(int fd, char kind, uint64_t batch, const ward_dag_id *ids, uint32_t count)
{
    report r;
    memset(&r, 0, sizeof r);
    r.kind = kind;
    r.batch = batch;
    r.count = count;
    memcpy(r.ids, ids, count * sizeof *ids);
    if (write(fd, &r, sizeof r) != (ssize_t)sizeof r)
        _exit(9);
}

static void vault_put(int fd, ward_vault *v, unsigned round, uint64_t n)
{
    report r;
    memset(&r, 0, sizeof r);
    r.kind = 'v';
    snprintf(r.name, sizeof r.name, "secret/%u", (unsigned)(n % SECRET_NAMES));
    snprintf(r.value, sizeof r.value, "round %u write %llu", round, (unsigned long long)n);
    ward_db_error err;
    if (!ward_vault_put(v, NULL, r.name, (const uint8_t *)r.value, strlen(r.value), &r.batch, &err))
        _exit(7);
    if (write(fd, &r, sizeof r) != (ssize_t)sizeof r)
        _exit(9);
}

/* The newest tip of the node chain (not the audit log's). */
static bool chain_tip(ward_db *db, ward_dag_id *tip)
{
    ward_dag_ids tips;
    ward_db_error err;
    bool found = false;
    if (!ward_dag_tips(db, 0, &tips, &err))
        return false;
    for (size_t i = 0; i < tips.count && !found; i++) {
        ward_dag_node node;
        if (ward_dag_get(db, &tips.ids[i], &node, &err)) {
            found = node.len > 6 && memcmp(node.payload, "round ", 6) == 0;
            if (found)
                *tip = tips.ids[i];
            ward_dag_node_free(&node);
        }
    }
    ward_dag_ids_free(&tips);
    return found;
}

/* The child: writes until killed.  Payloads carry the round and a counter,
 * so every node is new; every fourth write is a vault put. */
static void writer(int fd, unsigned round)
{
    ward_db_error err;
    ward_db *db = ward_db_open(path, NULL, &err);
    if (!db)
        _exit(3);
    ward_vault *v = ward_vault_unlock_key(db, vault_key, &err);
    if (!v)
        _exit(8);
    ward_dag_id prev;
    bool has_prev = chain_tip(db, &prev);
    for (uint64_t n = 0;; n++) {
        if (n % 4 == 3) {
            vault_put(fd, v, round, n);
            continue;
        }
        ward_dag_id ids[BATCH];
        uint32_t count = n % 3 == 2 ? BATCH : 1;
        char payload[64];
        /* the ids are known before the write: say what is coming */
        for (uint32_t i = 0; i < count; i++) {
            snprintf(payload, sizeof payload, "round %u write %llu item %u", round, (unsigned long long)n, i);
            const ward_dag_id *parent = i ? &ids[i - 1] : has_prev ? &prev : NULL;
            ward_dag_id_of((const uint8_t *)payload, strlen(payload), parent, parent ? 1 : 0, &ids[i]);
        }
        send_report(fd, 'i', n, ids, count);
        if (count > 1 && !ward_db_begin(db, &err))
            _exit(4);
        for (uint32_t i = 0; i < count; i++) {
            snprintf(payload, sizeof payload, "round %u write %llu item %u", round, (unsigned long long)n, i);
            const ward_dag_id *parent = i ? &ids[i - 1] : has_prev ? &prev : NULL;
            ward_dag_id id;
            if (!ward_dag_put(db, (const uint8_t *)payload, strlen(payload), parent, parent ? 1 : 0, &id, NULL, &err))
                _exit(5);
        }
        if (count > 1 && !ward_db_commit(db, &err))
            _exit(6);
        send_report(fd, 'a', n, ids, count);
        prev = ids[count - 1];
        has_prev = true;
    }
}

typedef struct round_log {
    report *intents;
    size_t nintents;
    report *acks;
    size_t nacks;
    report *secrets;
    size_t nsecrets;
} round_log;

static void add_report(round_log *log, const report *r)
{
    report **list = r->kind == 'i' ? &log->intents : r->kind == 'a' ? &log->acks : &log->secrets;
    size_t *n = r->kind == 'i' ? &log->nintents : r->kind == 'a' ? &log->nacks : &log->nsecrets;
    report *more = realloc(*list, (*n + 1) * sizeof *r);
    if (!more)
        abort();
    *list = more;
    (*list)[(*n)++] = *r;
}

/* Reports until `acks` writes were acknowledged (or the pipe ends: every
 * writer end closed); SIZE_MAX reads to the end. */
static void read_reports(int fd, round_log *log, size_t acks)
{
    report r;
    while (log->nacks + log->nsecrets < acks && read(fd, &r, sizeof r) == (ssize_t)sizeof r)
        add_report(log, &r);
}

static size_t present_count(ward_db *db, const report *r)
{
    size_t present = 0;
    for (uint32_t i = 0; i < r->count; i++) {
        bool has = false;
        ward_db_error err;
        CHECK_MSG(ward_dag_has(db, &r->ids[i], &has, &err), "%s", err.message);
        present += has;
    }
    return present;
}

/* Every acknowledged secret version holds its value, every version of
 * every name decrypts (nothing half-written), the audit chain holds. */
static void check_vault(ward_db *db, const round_log *log, unsigned round)
{
    ward_db_error err;
    ward_vault *v = ward_vault_unlock_key(db, vault_key, &err);
    CHECK_MSG(v != NULL, "round %u: %s", round, err.message);
    if (!v)
        return;
    /* every read is audited (a write): one batch, one sync */
    CHECK(ward_db_begin(db, &err));
    for (size_t i = 0; i < log->nsecrets; i++) {
        const report *r = &log->secrets[i];
        ward_vault_secret secret;
        bool got = ward_vault_get(v, NULL, r->name, r->batch, &secret, &err);
        CHECK_MSG(got && secret.len == strlen(r->value) && memcmp(secret.value, r->value, secret.len) == 0,
                  "round %u: %s version %llu lost: %s", round, r->name, (unsigned long long)r->batch,
                  got ? "wrong value" : err.message);
        if (got)
            ward_vault_secret_free(&secret);
    }
    for (unsigned k = 0; k < SECRET_NAMES; k++) {
        char name[16];
        snprintf(name, sizeof name, "secret/%u", k);
        ward_vault_versions versions;
        if (!ward_vault_history(v, name, &versions, &err))
            continue; /* not written yet */
        for (size_t i = 0; i < versions.count; i++) {
            ward_vault_secret secret;
            bool got = ward_vault_get(v, NULL, name, versions.versions[i].version, &secret, &err);
            CHECK_MSG(got, "round %u: %s: %s", round, name, err.message);
            if (got)
                ward_vault_secret_free(&secret);
        }
        ward_vault_versions_free(&versions);
    }
    CHECK_MSG(ward_db_commit(db, &err), "%s", err.message);
    ward_vault_audit_stats stats;
    CHECK_MSG(ward_vault_audit_verify(db, v, NULL, NULL, &stats, &err) && stats.problems == 0,
              "round %u: audit chain: %s", round, err.message);
    ward_vault_free(v);
}

static void check_after_kill(const round_log *log, unsigned round)
{
    ward_db_error err;
    ward_db *db = ward_db_open(path, NULL, &err);
    CHECK_MSG(db != NULL, "round %u: %s", round, err.message);
    if (!db)
        return;
    bool ok = false;
    CHECK_MSG(ward_db_integrity_check(db, &ok, &err) && ok, "round %u: integrity check", round);
    for (size_t i = 0; i < log->nacks; i++)
        CHECK_MSG(present_count(db, &log->acks[i]) == log->acks[i].count, "round %u: acknowledged write lost",
                  round);
    /* a write in flight at the kill is all there or not at all */
    for (size_t i = 0; i < log->nintents; i++) {
        size_t present = present_count(db, &log->intents[i]);
        CHECK_MSG(present == 0 || present == log->intents[i].count, "round %u: batch %llu half there (%zu of %u)",
                  round, (unsigned long long)log->intents[i].batch, present, log->intents[i].count);
    }
    ward_dag_verify_stats stats;
    CHECK_MSG(ward_dag_verify(db, NULL, NULL, &stats, &err) && stats.problems == 0, "round %u: verify", round);
    check_vault(db, log, round);
    ward_db_close(db);
}

static void crash_round(unsigned round, unsigned *seed, uint64_t *acked)
{
    int fds[2];
    if (pipe(fds) != 0) {
        perror("pipe");
        exit(1);
    }
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        writer(fds[1], round);
    }
    close(fds[1]);
    /* the kill comes after 0 to 60 acknowledged writes (so the rounds
     * make thousands of puts however slow the machine), then 0 to 2 ms
     * more, which lands it anywhere in the write under way */
    round_log log = {0};
    read_reports(fds[0], &log, (size_t)(rand_r(seed) % 61));
    struct timespec pause = {0, (long)(rand_r(seed) % 2000) * 1000L};
    nanosleep(&pause, NULL);
    kill(pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
    CHECK_MSG(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "round %u: writer ended by itself (status %d)",
              round, status);
    read_reports(fds[0], &log, SIZE_MAX);
    close(fds[0]);
    check_after_kill(&log, round);
    *acked += log.nacks + log.nsecrets;
    free(log.intents);
    free(log.acks);
    free(log.secrets);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(path, sizeof path, "%s/crash.db", dir);
    unsigned rounds = getenv("WARD_CRASH_ROUNDS") ? (unsigned)atoi(getenv("WARD_CRASH_ROUNDS")) : 60;
    unsigned seed = getenv("WARD_CRASH_SEED") ? (unsigned)atoi(getenv("WARD_CRASH_SEED")) : (unsigned)time(NULL);
    printf("crash: %u rounds, seed %u\n", rounds, seed);
    ward_db_error err;
    ward_db *db = ward_db_open(path, NULL, &err);
    CHECK_MSG(db && ward_vault_init_key(db, vault_key, &err), "%s", err.message);
    ward_db_close(db);
    uint64_t acked = 0;
    for (unsigned r = 0; r < rounds; r++)
        crash_round(r, &seed, &acked);
    db = ward_db_open(path, NULL, &err);
    uint64_t count = 0;
    CHECK(db && ward_dag_count(db, &count, &err) && count >= acked);
    printf("crash: %llu acknowledged writes, %llu nodes after %u kills\n", (unsigned long long)acked,
           (unsigned long long)count, rounds);
    ward_db_close(db);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return test_summary("crash");
}
