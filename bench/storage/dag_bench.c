/*
 * The DAG's speed on the SQLite backend (bench/README.md, "bench/storage"):
 *
 *   insert-get  nodes put in batches (ward_db_begin/commit) into a fresh
 *               database: nodes/s; then random gets: gets/s.
 *   ancestry    is_ancestor on a DAG of a million nodes, built once into a
 *               file and kept (a child process builds it, so this one's
 *               peak RSS is the queries' alone): the time of each query,
 *               near and far, and the peak RSS to show the graph is not
 *               loaded into memory.
 *
 *   dag_bench insert-get DIR [NODES] [BATCH] [GETS]
 *   dag_bench ancestry FILE [NODES]
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ward_dag.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double peak_rss_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0; /* Linux: KiB */
}

static void die(const char *what, const ward_db_error *err)
{
    fprintf(stderr, "dag_bench: %s: %s\n", what, err ? err->message : "failed");
    exit(1);
}

/* A small splitmix64 stream for reproducible shapes and samples. */
static uint64_t next_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* ---- insert and get ------------------------------------------------------ */

/* Node i: a 64-byte payload; parents the node before it and, one time in
 * four, another of the last 64 (a chain with merges, as a history is). */
static void put_node(ward_db *db, ward_dag_id *ids, size_t i, uint64_t *rng)
{
    uint8_t payload[64];
    memset(payload, 0, sizeof payload);
    snprintf((char *)payload, sizeof payload, "bench node %zu", i);
    ward_dag_id parents[2];
    size_t np = 0;
    if (i > 0)
        parents[np++] = ids[i - 1];
    uint64_t r = next_rand(rng);
    if (i > 2 && r % 4 == 0) {
        size_t back = 2 + (size_t)(r >> 8) % (i < 64 ? i - 1 : 63);
        if (back <= i)
            parents[np++] = ids[i - back];
    }
    ward_db_error err;
    if (!ward_dag_put(db, payload, sizeof payload, parents, np, &ids[i], NULL, &err))
        die("put", &err);
}

static int insert_get(const char *dir, size_t nodes, size_t batch, size_t gets)
{
    char path[512];
    snprintf(path, sizeof path, "%s/insert.db", dir);
    unlink(path);
    ward_db_error err;
    ward_db *db = ward_db_open(path, NULL, &err);
    if (!db)
        die("open", &err);
    ward_dag_id *ids = malloc(nodes * sizeof *ids);
    uint64_t rng = 1;
    double t0 = now_s();
    for (size_t i = 0; i < nodes; i += batch) {
        if (!ward_db_begin(db, &err))
            die("begin", &err);
        for (size_t k = i; k < i + batch && k < nodes; k++)
            put_node(db, ids, k, &rng);
        if (!ward_db_commit(db, &err))
            die("commit", &err);
    }
    double t_insert = now_s() - t0;
    /* single puts, each its own durable transaction (as a guest's are) */
    enum { SINGLE = 500 };
    ward_dag_id *more = malloc((nodes + SINGLE) * sizeof *more);
    memcpy(more, ids, nodes * sizeof *ids);
    t0 = now_s();
    for (size_t k = nodes; k < nodes + SINGLE; k++)
        put_node(db, more, k, &rng);
    double t_single = now_s() - t0;
    free(more);
    t0 = now_s();
    for (size_t i = 0; i < gets; i++) {
        ward_dag_node node;
        if (!ward_dag_get(db, &ids[next_rand(&rng) % nodes], &node, &err))
            die("get", &err);
        ward_dag_node_free(&node);
    }
    double t_get = now_s() - t0;
    /* the same in read batches of 1000 (one snapshot each, no transaction
     * per get) */
    t0 = now_s();
    for (size_t i = 0; i < gets; i++) {
        ward_dag_node node;
        if (i % 1000 == 0 && !ward_db_begin_read(db, &err))
            die("begin read", &err);
        if (!ward_dag_get(db, &ids[next_rand(&rng) % nodes], &node, &err))
            die("get", &err);
        ward_dag_node_free(&node);
        if ((i + 1) % 1000 == 0 || i + 1 == gets) {
            if (!ward_db_commit(db, &err))
                die("commit", &err);
        }
    }
    double t_get_batched = now_s() - t0;
    t0 = now_s();
    for (size_t i = 0; i < gets; i++) {
        bool has;
        if (!ward_dag_has(db, &ids[next_rand(&rng) % nodes], &has, &err) || !has)
            die("has", &err);
    }
    double t_has = now_s() - t0;
    char label[64];
    snprintf(label, sizeof label, "put, %zu per batch", batch);
    printf("%-34s %12s %12s\n", "operation", "count", "per second");
    printf("%-34s %12zu %12.0f\n", label, nodes, (double)nodes / t_insert);
    printf("%-34s %12d %12.0f\n", "put, one per transaction", SINGLE, SINGLE / t_single);
    printf("%-34s %12zu %12.0f\n", "get (random ids)", gets, (double)gets / t_get);
    printf("%-34s %12zu %12.0f\n", "get, 1000 per read batch", gets, (double)gets / t_get_batched);
    printf("%-34s %12zu %12.0f\n", "has (random ids)", gets, (double)gets / t_has);
    free(ids);
    ward_db_close(db);
    return 0;
}

/* ---- is_ancestor on a million nodes -------------------------------------- */

/* The million: a chain (node i's parent is i - 1) with a merge link back
 * up to 64 nodes every tenth node, and every 1000th node a side leaf
 * (payload "side"), which is an ancestor of nothing.  Kept: the ids of
 * the chain at every 1000th node and of the leaves, in FILE.ids. */
enum { SAMPLE = 1000, RING = 64 };

static void build(const char *path, size_t nodes)
{
    ward_db_error err;
    ward_db *db = ward_db_open(path, NULL, &err);
    if (!db)
        die("open", &err);
    size_t nsample = nodes / SAMPLE + 1;
    ward_dag_id ring[RING], *chain = calloc(nsample, sizeof *chain), *side = calloc(nsample, sizeof *side);
    uint64_t rng = 7;
    double t0 = now_s();
    for (size_t i = 0; i < nodes; i++) {
        if (i % 10000 == 0 && !ward_db_begin(db, &err))
            die("begin", &err);
        uint8_t payload[32] = {0};
        snprintf((char *)payload, sizeof payload, "chain %zu", i);
        ward_dag_id parents[2];
        size_t np = 0;
        if (i > 0)
            parents[np++] = ring[(i - 1) % RING];
        if (i >= RING && i % 10 == 0)
            parents[np++] = ring[(i - 2 - next_rand(&rng) % (RING - 2)) % RING];
        if (!ward_dag_put(db, payload, sizeof payload, parents, np, &ring[i % RING], NULL, &err))
            die("put", &err);
        if (i % SAMPLE == 0) {
            chain[i / SAMPLE] = ring[i % RING];
            if (!ward_dag_put(db, (const uint8_t *)"side", 4, &ring[i % RING], 1, &side[i / SAMPLE], NULL, &err))
                die("put side", &err);
        }
        if ((i + 1) % 10000 == 0 || i + 1 == nodes) {
            if (!ward_db_commit(db, &err))
                die("commit", &err);
        }
    }
    fprintf(stderr, "dag_bench: built %zu nodes (+ %zu leaves) in %.1f s\n", nodes, nsample, now_s() - t0);
    ward_db_close(db);
    char ids_path[512];
    snprintf(ids_path, sizeof ids_path, "%s.ids", path);
    FILE *f = fopen(ids_path, "wb");
    if (!f || fwrite(chain, sizeof *chain, nsample, f) != nsample || fwrite(side, sizeof *side, nsample, f) != nsample ||
        fclose(f) != 0)
        die("write the ids file", NULL);
    free(chain);
    free(side);
}

/* Build FILE in a child (its memory is not ours) unless it is there. */
static void ensure_built(const char *path, size_t nodes)
{
    char ids_path[512];
    snprintf(ids_path, sizeof ids_path, "%s.ids", path);
    if (access(ids_path, R_OK) == 0)
        return;
    unlink(path);
    pid_t pid = fork();
    if (pid == 0) {
        build(path, nodes);
        _exit(0);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        die("build the DAG", NULL);
}

static void query(ward_db *db, const char *what, const ward_dag_id *a, const ward_dag_id *b, bool want)
{
    ward_db_error err;
    bool yes = false;
    double t0 = now_s();
    if (!ward_dag_is_ancestor(db, a, b, &yes, &err))
        die("is_ancestor", &err);
    double ms = (now_s() - t0) * 1e3;
    printf("%-44s %-4s %10.3f\n", what, yes ? "yes" : "no", ms);
    if (yes != want) {
        fprintf(stderr, "dag_bench: %s: wrong answer\n", what);
        exit(1);
    }
}

static int ancestry(const char *path, size_t nodes)
{
    ensure_built(path, nodes);
    char ids_path[512];
    snprintf(ids_path, sizeof ids_path, "%s.ids", path);
    size_t nsample = nodes / SAMPLE + 1;
    ward_dag_id *chain = calloc(nsample, sizeof *chain), *side = calloc(nsample, sizeof *side);
    FILE *f = fopen(ids_path, "rb");
    if (!f || fread(chain, sizeof *chain, nsample, f) != nsample || fread(side, sizeof *side, nsample, f) != nsample)
        die("read the ids file (delete it to rebuild)", NULL);
    fclose(f);
    double rss_before = peak_rss_mib();
    ward_db_error err;
    ward_db *db = ward_db_open(path, NULL, &err);
    if (!db)
        die("open", &err);
    uint64_t count = 0;
    if (!ward_dag_count(db, &count, &err))
        die("count", &err);
    size_t last = nsample - 1;
    if ((size_t)(last * SAMPLE) >= nodes)
        last--;
    printf("is_ancestor on %" PRIu64 " nodes (%s)\n", count, path);
    printf("%-44s %-4s %10s\n", "query", "", "ms");
    struct {
        size_t a, b;
        bool side, want;
    } q[] = {
        {last - 1, last, false, true}, {last * 9 / 10, last, false, true}, {0, last, false, true},
        {last, 0, false, false},       {last - 1, last, true, false},      {last / 2, last, true, false},
        {1, last, true, false},
    };
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        char what[96];
        snprintf(what, sizeof what, "%s %zu of chain %zu", q[i].side ? "leaf at" : "chain", q[i].a * SAMPLE,
                 q[i].b * SAMPLE);
        query(db, what, q[i].side ? &side[q[i].a] : &chain[q[i].a], &chain[q[i].b], q[i].want);
    }
    double t0 = now_s();
    for (size_t i = 0; i < 1000; i++) {
        bool yes;
        size_t k = 1 + i % (last - 1);
        if (!ward_dag_is_ancestor(db, &chain[k - 1], &chain[k], &yes, &err) || !yes)
            die("is_ancestor", &err);
    }
    printf("%-44s %-4s %10.3f\n", "chain k-1000 of chain k, mean of 1000", "yes", (now_s() - t0) * 1e3 / 1000);
    printf("peak RSS: %.1f MiB (%.1f MiB before opening the database)\n", peak_rss_mib(), rss_before);
    ward_db_close(db);
    free(chain);
    free(side);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "insert-get") == 0)
        return insert_get(argv[2], argc > 3 ? strtoul(argv[3], NULL, 10) : 200000,
                          argc > 4 ? strtoul(argv[4], NULL, 10) : 1000, argc > 5 ? strtoul(argv[5], NULL, 10) : 200000);
    if (argc >= 3 && strcmp(argv[1], "ancestry") == 0)
        return ancestry(argv[2], argc > 3 ? strtoul(argv[3], NULL, 10) : 1000000);
    fprintf(stderr, "usage: dag_bench insert-get DIR [NODES] [BATCH] [GETS]\n"
                    "       dag_bench ancestry FILE [NODES]\n");
    return 2;
}
