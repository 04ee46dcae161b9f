/* The DAG's C API (ward_dag.h) on a fresh database per test. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../test.h"
#include "ward_dag.h"

static char dir[] = "/tmp/ward-dag-XXXXXX";

static ward_db *fresh_db(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s.db", dir, name);
    ward_db_error err;
    ward_db *db = ward_db_open(path, NULL, &err);
    CHECK_MSG(db != NULL, "%s", err.message);
    return db;
}

static ward_dag_id put(ward_db *db, const char *text, const ward_dag_id *parents, size_t n)
{
    ward_dag_id id;
    ward_db_error err;
    memset(&id, 0, sizeof id);
    CHECK_MSG(ward_dag_put(db, (const uint8_t *)text, strlen(text), parents, n, &id, NULL, &err), "%s",
              err.message);
    return id;
}

static bool same(const ward_dag_id *a, const ward_dag_id *b)
{
    return memcmp(a->bytes, b->bytes, 32) == 0;
}

/* The id is the documented encoding's BLAKE2b-256: a known answer. */
static void test_id_encoding(void)
{
    ward_dag_id id;
    char hex[65];
    CHECK(ward_dag_id_of((const uint8_t *)"", 0, NULL, 0, &id));
    ward_dag_id_to_hex(&id, hex);
    /* Python hashlib.blake2b(digest_size=32) of "ward-dag-v1" || 8 zero bytes || 4 zero bytes */
    CHECK_MSG(strcmp(hex, "04113f636d6febeed4fc4b525c044068ed32eab161ace2e698bd54911f7d7d77") == 0, "empty node id %s",
              hex);
    ward_dag_id back;
    CHECK(ward_dag_id_from_hex(hex, &back) && same(&back, &id));
    CHECK(!ward_dag_id_from_hex("abc", &back));
    CHECK(!ward_dag_id_from_hex("zz4a4c1f5e8e0d8a8c4d0f5f3c0f1c2a3b4c5d6e7f8091a2b3c4d5e6f708192a", &back));
}

static void test_put_get(void)
{
    ward_db *db = fresh_db("putget");
    ward_db_error err;
    ward_dag_id root = put(db, "root", NULL, 0);
    ward_dag_id left = put(db, "left", &root, 1);
    ward_dag_id right = put(db, "right", &root, 1);
    ward_dag_id both[2] = {left, right};
    ward_dag_id merge = put(db, "merge", both, 2);

    /* idempotent: the same content is the same node, not a second one */
    bool created = true;
    ward_dag_id again;
    CHECK(ward_dag_put(db, (const uint8_t *)"left", 4, &root, 1, &again, &created, &err));
    CHECK(!created && same(&again, &left));
    uint64_t count = 0;
    CHECK(ward_dag_count(db, &count, &err) && count == 4);

    ward_dag_node node;
    CHECK(ward_dag_get(db, &merge, &node, &err));
    CHECK(node.len == 5 && memcmp(node.payload, "merge", 5) == 0);
    CHECK(node.nparents == 2 && same(&node.parents[0], &left) && same(&node.parents[1], &right));
    CHECK(node.height == 2);
    ward_dag_id check;
    CHECK(ward_dag_id_of(node.payload, node.len, node.parents, node.nparents, &check) && same(&check, &merge));
    ward_dag_node_free(&node);

    /* parent order is part of the id */
    ward_dag_id swapped[2] = {right, left};
    ward_dag_id other = put(db, "merge", swapped, 2);
    CHECK(!same(&other, &merge));

    bool has = false;
    CHECK(ward_dag_has(db, &root, &has, &err) && has);
    ward_dag_id absent;
    ward_dag_id_of((const uint8_t *)"nowhere", 7, NULL, 0, &absent);
    CHECK(ward_dag_has(db, &absent, &has, &err) && !has);
    CHECK(!ward_dag_get(db, &absent, &node, &err) && err.kind == WARD_DB_ERR_NOT_FOUND);
    CHECK_CONTAINS(err.message, "dag get: no node");

    /* an empty payload is a node like any other */
    ward_dag_id empty;
    CHECK(ward_dag_put(db, NULL, 0, NULL, 0, &empty, NULL, &err));
    CHECK(ward_dag_get(db, &empty, &node, &err) && node.len == 0 && node.nparents == 0);
    ward_dag_node_free(&node);
    ward_db_close(db);
}

static void test_refusals(void)
{
    ward_db *db = fresh_db("refuse");
    ward_db_error err;
    ward_dag_id root = put(db, "root", NULL, 0);
    ward_dag_id ghost, id;
    ward_dag_id_of((const uint8_t *)"ghost", 5, NULL, 0, &ghost);
    ward_dag_id parents[2] = {root, ghost};
    CHECK(!ward_dag_put(db, (const uint8_t *)"x", 1, parents, 2, &id, NULL, &err));
    CHECK(err.kind == WARD_DB_ERR_MISSING_PARENT);
    CHECK_CONTAINS(err.message, "parent 1");
    CHECK_CONTAINS(err.message, "is not in the database");
    ward_dag_id twice[2] = {root, root};
    CHECK(!ward_dag_put(db, (const uint8_t *)"x", 1, twice, 2, &id, NULL, &err) && err.kind == WARD_DB_ERR_ARGUMENT);
    CHECK_CONTAINS(err.message, "given twice");
    CHECK(!ward_dag_put(db, NULL, 1, NULL, 0, &id, NULL, &err) && err.kind == WARD_DB_ERR_ARGUMENT);
    CHECK(!ward_dag_put(db, (const uint8_t *)"x", WARD_DAG_MAX_PAYLOAD + 1, NULL, 0, &id, NULL, &err));
    CHECK(err.kind == WARD_DB_ERR_ARGUMENT);
    /* nothing of the refused puts was stored */
    uint64_t count = 0;
    CHECK(ward_dag_count(db, &count, &err) && count == 1);
    /* over 64 parents, duplicates are found by sorting */
    ward_dag_id many[70];
    for (int i = 0; i < 70; i++) {
        char text[16];
        snprintf(text, sizeof text, "p%d", i);
        many[i] = put(db, text, NULL, 0);
    }
    many[69] = many[3];
    CHECK(!ward_dag_put(db, (const uint8_t *)"x", 1, many, 70, &id, NULL, &err) && err.kind == WARD_DB_ERR_ARGUMENT);
    ward_dag_id_of((const uint8_t *)"p69", 3, NULL, 0, &many[69]);
    CHECK_MSG(ward_dag_put(db, (const uint8_t *)"x", 1, many, 70, &id, NULL, &err), "%s", err.message);
    ward_dag_ids tips;
    CHECK(ward_dag_tips(db, 0, &tips, &err) && tips.count == 2); /* root and x */
    ward_dag_ids_free(&tips);
    CHECK(!ward_dag_tips(db, 1, &tips, &err) && err.kind == WARD_DB_ERR_LIMIT);
    ward_db_close(db);
}

static bool in_ids(const ward_dag_ids *ids, const ward_dag_id *id)
{
    for (size_t i = 0; i < ids->count; i++)
        if (same(&ids->ids[i], id))
            return true;
    return false;
}

static void test_lists_and_ancestry(void)
{
    ward_db *db = fresh_db("lists");
    ward_db_error err;
    ward_dag_id root = put(db, "root", NULL, 0);
    ward_dag_id a = put(db, "a", &root, 1);
    ward_dag_id b = put(db, "b", &root, 1);
    ward_dag_id ab[2] = {a, b};
    ward_dag_id m = put(db, "m", ab, 2);
    ward_dag_id c = put(db, "c", &b, 1);
    ward_dag_id lone = put(db, "lone", NULL, 0);

    ward_dag_ids ids;
    CHECK(ward_dag_children(db, &root, 0, &ids, &err) && ids.count == 2 && in_ids(&ids, &a) && in_ids(&ids, &b));
    CHECK(ids.count == 2 && memcmp(ids.ids[0].bytes, ids.ids[1].bytes, 32) < 0); /* by id */
    ward_dag_ids_free(&ids);
    CHECK(ward_dag_parents(db, &m, &ids, &err) && ids.count == 2 && same(&ids.ids[0], &a) && same(&ids.ids[1], &b));
    ward_dag_ids_free(&ids);
    CHECK(ward_dag_tips(db, 0, &ids, &err) && ids.count == 3 && in_ids(&ids, &m) && in_ids(&ids, &c) &&
          in_ids(&ids, &lone));
    ward_dag_ids_free(&ids);
    CHECK(!ward_dag_children(db, &root, 1, &ids, &err) && err.kind == WARD_DB_ERR_LIMIT);

    bool r = true;
    CHECK(ward_dag_is_ancestor(db, &root, &m, &r, &err) && r);
    CHECK(ward_dag_is_ancestor(db, &b, &m, &r, &err) && r);
    CHECK(ward_dag_is_ancestor(db, &a, &c, &r, &err) && !r); /* siblings' lines */
    CHECK(ward_dag_is_ancestor(db, &m, &root, &r, &err) && !r);
    CHECK(ward_dag_is_ancestor(db, &m, &m, &r, &err) && !r); /* not its own */
    CHECK(ward_dag_is_ancestor(db, &lone, &m, &r, &err) && !r);
    ward_dag_id ghost;
    ward_dag_id_of((const uint8_t *)"ghost", 5, NULL, 0, &ghost);
    CHECK(!ward_dag_is_ancestor(db, &ghost, &m, &r, &err) && err.kind == WARD_DB_ERR_NOT_FOUND);
    ward_db_close(db);
}

static void test_walk(void)
{
    ward_db *db = fresh_db("walk");
    ward_db_error err;
    /* a chain of 10 with a side branch from node 2 joining at node 6 */
    ward_dag_id chain[10], side;
    chain[0] = put(db, "n0", NULL, 0);
    for (int i = 1; i < 10; i++) {
        char text[8];
        snprintf(text, sizeof text, "n%d", i);
        if (i == 6) {
            ward_dag_id two[2] = {chain[5], side};
            chain[i] = put(db, text, two, 2);
        } else {
            chain[i] = put(db, text, &chain[i - 1], 1);
        }
        if (i == 2)
            side = put(db, "side", &chain[2], 1);
    }
    ward_dag_walk w;
    ward_dag_walk_limits lim = {WARD_DAG_TO_PARENTS, 3, 0};
    CHECK(ward_dag_walk_from(db, &chain[9], &lim, &w, &err));
    CHECK(w.count == 4 && !w.truncated);
    if (w.count == 4) {
        CHECK(same(&w.entries[0].id, &chain[9]) && w.entries[0].depth == 0);
        CHECK(same(&w.entries[3].id, &chain[6]) && w.entries[3].depth == 3);
    }
    ward_dag_walk_free(&w);
    /* deep enough for everything: topological (each before its parents) */
    lim.max_depth = 100;
    CHECK(ward_dag_walk_from(db, &chain[9], &lim, &w, &err) && w.count == 11);
    for (size_t i = 1; i < w.count; i++)
        CHECK(w.entries[i - 1].height >= w.entries[i].height);
    bool side_seen = false;
    for (size_t i = 0; i < w.count; i++)
        if (same(&w.entries[i].id, &side))
            side_seen = w.entries[i].depth == 4; /* 9 -> 8 -> 7 -> 6 -> side */
    CHECK(side_seen);
    ward_dag_walk_free(&w);
    /* breadth 1: one node per depth, and it says it left some out */
    lim.max_breadth = 1;
    CHECK(ward_dag_walk_from(db, &chain[9], &lim, &w, &err) && w.truncated);
    ward_dag_walk_free(&w);
    /* toward the children */
    ward_dag_walk_limits down = {WARD_DAG_TO_CHILDREN, 2, 0};
    CHECK(ward_dag_walk_from(db, &chain[1], &down, &w, &err) && w.count == 4); /* 1, 2, 3, side */
    for (size_t i = 1; i < w.count; i++)
        CHECK(w.entries[i - 1].height <= w.entries[i].height);
    ward_dag_walk_free(&w);
    /* parents come in their own order, not by id: a cut level still keeps
     * the lowest ids (regression: the stream was cut as if sorted) */
    ward_dag_id p3[3];
    for (int i = 0; i < 3; i++) {
        char text[16];
        snprintf(text, sizeof text, "parent %d", i);
        p3[i] = put(db, text, NULL, 0);
    }
    for (int i = 0; i < 3; i++) /* sort: p3[0] lowest id */
        for (int j = i + 1; j < 3; j++)
            if (memcmp(p3[j].bytes, p3[i].bytes, 32) < 0) {
                ward_dag_id t = p3[i];
                p3[i] = p3[j];
                p3[j] = t;
            }
    ward_dag_id order[3] = {p3[1], p3[2], p3[0]};
    ward_dag_id child = put(db, "three parents", order, 3);
    ward_dag_walk_limits one = {WARD_DAG_TO_PARENTS, 1, 1};
    CHECK(ward_dag_walk_from(db, &child, &one, &w, &err) && w.count == 2 && w.truncated);
    CHECK(w.count == 2 && same(&w.entries[1].id, &p3[0]));
    ward_dag_walk_free(&w);
    ward_dag_walk_limits bad = {(ward_dag_direction)7, 1, 1};
    CHECK(!ward_dag_walk_from(db, &chain[1], &bad, &w, &err) && err.kind == WARD_DB_ERR_ARGUMENT);
    ward_db_close(db);
}

static void count_problem(void *ctx, const ward_dag_id *id, ward_dag_problem problem, const char *detail)
{
    (void)id;
    (void)problem;
    (void)detail;
    (*(int *)ctx)++;
}

static void test_batch_and_verify(void)
{
    ward_db *db = fresh_db("batch");
    ward_db_error err;
    CHECK(ward_db_begin(db, &err));
    CHECK(!ward_db_begin(db, &err) && err.kind == WARD_DB_ERR_TRANSACTION);
    ward_dag_id prev = put(db, "b0", NULL, 0);
    for (int i = 1; i < 500; i++) {
        char text[16];
        snprintf(text, sizeof text, "b%d", i);
        prev = put(db, text, &prev, 1);
    }
    /* a failing put inside the batch undoes only itself */
    ward_dag_id ghost, id;
    ward_dag_id_of((const uint8_t *)"ghost", 5, NULL, 0, &ghost);
    CHECK(!ward_dag_put(db, (const uint8_t *)"x", 1, &ghost, 1, &id, NULL, &err));
    CHECK(ward_db_commit(db, &err));
    CHECK(!ward_db_commit(db, &err) && err.kind == WARD_DB_ERR_TRANSACTION);
    uint64_t count = 0;
    CHECK(ward_dag_count(db, &count, &err) && count == 500);
    /* a rolled-back batch leaves nothing */
    CHECK(ward_db_begin(db, &err));
    put(db, "gone", &prev, 1);
    CHECK(ward_db_rollback(db, &err));
    CHECK(ward_dag_count(db, &count, &err) && count == 500);
    /* a read batch: one snapshot, no writes */
    CHECK(ward_db_begin_read(db, &err));
    ward_dag_node node;
    CHECK(ward_dag_get(db, &prev, &node, &err) && node.nparents == 1);
    ward_dag_node_free(&node);
    CHECK(!ward_dag_put(db, (const uint8_t *)"y", 1, &prev, 1, &id, NULL, &err) && err.kind == WARD_DB_ERR_TRANSACTION);
    CHECK_CONTAINS(err.message, "a read batch cannot write");
    CHECK(!ward_db_begin(db, &err) && err.kind == WARD_DB_ERR_TRANSACTION);
    CHECK(ward_db_commit(db, &err));
    CHECK(ward_dag_count(db, &count, &err) && count == 500);
    int problems = 0;
    ward_dag_verify_stats stats;
    CHECK(ward_dag_verify(db, count_problem, &problems, &stats, &err));
    CHECK(problems == 0 && stats.nodes == 500 && stats.problems == 0);
    bool ok = false;
    CHECK_MSG(ward_db_integrity_check(db, &ok, &err) && ok, "%s", err.message);
    ward_db_close(db);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_id_encoding();
    test_put_get();
    test_refusals();
    test_lists_and_ancestry();
    test_walk();
    test_batch_and_verify();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return test_summary("dag_api");
}
