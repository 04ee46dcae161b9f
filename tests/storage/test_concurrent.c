/*
 * Several processes, each with several threads, writing one DAG at once
 * (docs/storage.md, "Concurrency").  Some threads share their process's
 * ward_db, some open their own; some write in batches.  Every put must
 * succeed (a writer that meets the lock waits and retries: BUSY never
 * reaches it while the others are merely writing), no write may be lost,
 * and the tips (kept row by row as nodes arrive) must come out exact.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../test.h"
#include "ward_dag.h"

#define PROCESSES 3
#define THREADS 4
#define NODES 120

static char dir[] = "/tmp/ward-conc-XXXXXX";
static char path[256];
static ward_dag_id root;

typedef struct writer {
    int process, thread;
    ward_db *shared;            /* NULL: the thread opens its own */
    int failures;
    char error[400];
} writer;

static bool put_node(ward_db *db, writer *w, int n, const ward_dag_id *prev, ward_dag_id *id)
{
    char payload[64];
    snprintf(payload, sizeof payload, "process %d thread %d node %d", w->process, w->thread, n);
    ward_dag_id parents[2] = {*prev, root};
    /* every seventh node also hangs off the common root */
    size_t nparents = n % 7 == 6 ? 2 : 1;
    ward_db_error err;
    if (ward_dag_put(db, (const uint8_t *)payload, strlen(payload), parents, nparents, id, NULL, &err))
        return true;
    w->failures++;
    snprintf(w->error, sizeof w->error, "%s", err.message);
    return false;
}

static void *write_chain(void *arg)
{
    writer *w = arg;
    ward_db_error err;
    ward_db *db = w->shared ? w->shared : ward_db_open(path, NULL, &err);
    if (!db) {
        w->failures++;
        snprintf(w->error, sizeof w->error, "%s", err.message);
        return NULL;
    }
    ward_dag_id prev = root, id;
    bool batches = w->thread % 2 == 1;
    for (int n = 0; n < NODES; n++) {
        /* the batching threads commit every 10 nodes */
        if (batches && n % 10 == 0 && !ward_db_begin(db, &err)) {
            w->failures++;
            snprintf(w->error, sizeof w->error, "%s", err.message);
            break;
        }
        if (put_node(db, w, n, &prev, &id))
            prev = id;
        if (batches && n % 10 == 9 && !ward_db_commit(db, &err)) {
            w->failures++;
            snprintf(w->error, sizeof w->error, "%s", err.message);
        }
    }
    if (!w->shared)
        ward_db_close(db);
    return NULL;
}

/* One process: its threads, half on a shared ward_db (the batching ones
 * each open their own: a batch holds its connection's transaction). */
static int run_process(int process)
{
    ward_db_error err;
    ward_db *shared = ward_db_open(path, NULL, &err);
    if (!shared)
        return 3;
    pthread_t threads[THREADS];
    writer w[THREADS];
    for (int t = 0; t < THREADS; t++) {
        w[t] = (writer){process, t, t % 2 == 0 ? shared : NULL, 0, ""};
        pthread_create(&threads[t], NULL, write_chain, &w[t]);
    }
    int failures = 0;
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        if (w[t].failures)
            fprintf(stderr, "process %d thread %d: %d failed puts: %s\n", process, t, w[t].failures, w[t].error);
        failures += w[t].failures;
    }
    ward_db_close(shared);
    return failures ? 1 : 0;
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(path, sizeof path, "%s/shared.db", dir);
    ward_db_error err;
    ward_db *db = ward_db_open(path, NULL, &err);
    CHECK_MSG(db && ward_dag_put(db, (const uint8_t *)"root", 4, NULL, 0, &root, NULL, &err), "%s", err.message);
    ward_db_close(db);

    pid_t pids[PROCESSES];
    for (int p = 0; p < PROCESSES; p++)
        if ((pids[p] = fork()) == 0)
            _exit(run_process(p));
    for (int p = 0; p < PROCESSES; p++) {
        int status;
        waitpid(pids[p], &status, 0);
        CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "process %d: status %d", p, status);
    }

    db = ward_db_open(path, NULL, &err);
    CHECK_MSG(db != NULL, "%s", err.message);
    if (db) {
        uint64_t count = 0;
        CHECK_MSG(ward_dag_count(db, &count, &err) && count == 1 + PROCESSES * THREADS * NODES, "count %llu",
                  (unsigned long long)count);
        ward_dag_ids tips;
        CHECK(ward_dag_tips(db, 0, &tips, &err) && tips.count == PROCESSES * THREADS);
        ward_dag_ids_free(&tips);
        ward_dag_ids children;
        /* each chain's first node and every seventh node hang off the root */
        CHECK(ward_dag_children(db, &root, 0, &children, &err) &&
              children.count == PROCESSES * THREADS * (1 + NODES / 7));
        ward_dag_ids_free(&children);
        ward_dag_verify_stats stats;
        CHECK(ward_dag_verify(db, NULL, NULL, &stats, &err) && stats.problems == 0);
        bool ok = false;
        CHECK(ward_db_integrity_check(db, &ok, &err) && ok);
        ward_db_close(db);
    }
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return test_summary("concurrent");
}
