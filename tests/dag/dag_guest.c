/*
 * A C guest of ward:dag (docs/dag.md): build a small history — a root, two
 * branches on it, a merge of both — then read it back: count, tips,
 * parents, ancestry, a walk toward the roots and one toward the tips, and
 * the errors a guest can meet.  Run by `ward run --dag DB`; dag_guest.sh
 * checks every line against ids it computes itself.
 *   clang --target=wasm32-wasi -I include dag_guest.c -o dag_guest.wasm
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ward_guest.h"

typedef struct node {
    const char *name;
    uint8_t id[WARD_DAG_ID_BYTES];
} node;

static void print_id(const char *label, const uint8_t *id)
{
    printf("%s ", label);
    for (int i = 0; i < WARD_DAG_ID_BYTES; i++)
        printf("%02x", id[i]);
    printf("\n");
}

static const char *name_of(const node *nodes, int n, const uint8_t *id)
{
    for (int i = 0; i < n; i++)
        if (memcmp(nodes[i].id, id, WARD_DAG_ID_BYTES) == 0)
            return nodes[i].name;
    return "?";
}

/* Store node n with its payload (its name) and parents; exit on failure. */
static int put(node *n, const node *const *parents, uint32_t nparents)
{
    uint8_t ids[4 * WARD_DAG_ID_BYTES];
    for (uint32_t i = 0; i < nparents; i++)
        memcpy(ids + i * WARD_DAG_ID_BYTES, parents[i]->id, WARD_DAG_ID_BYTES);
    int32_t rc = ward_dag_put(n->name, (uint32_t)strlen(n->name), ids, nparents, n->id);
    if (rc != 0) {
        printf("put %s failed: %d\n", n->name, (int)rc);
        return 1;
    }
    print_id(n->name, n->id);
    return 0;
}

static void walk(const node *nodes, int n, const node *from, uint32_t direction)
{
    ward_dag_guest_entry entries[8];
    uint32_t count = 0;
    int32_t rc = ward_dag_walk(from->id, direction, 10, 4, entries, 8, &count);
    printf("walk %s %s: %d, %u nodes\n", from->name, direction ? "children" : "parents", (int)rc, (unsigned)count);
    for (uint32_t i = 0; i < count && rc >= 0; i++)
        printf("  %s depth %u height %" PRIu64 "\n", name_of(nodes, n, entries[i].id), (unsigned)entries[i].depth,
               entries[i].height);
}

static void ancestry(const node *a, const node *b)
{
    printf("is_ancestor %s %s: %d\n", a->name, b->name, (int)ward_dag_is_ancestor(a->id, b->id));
}

int main(void)
{
    node nodes[4] = {{"root", {0}}, {"left", {0}}, {"right", {0}}, {"merge", {0}}};
    node *root = &nodes[0], *left = &nodes[1], *right = &nodes[2], *merge = &nodes[3];
    if (put(root, NULL, 0) || put(left, (const node *[]){root}, 1) || put(right, (const node *[]){root}, 1) ||
        put(merge, (const node *[]){left, right}, 2))
        return 1;

    uint64_t count = 0;
    printf("count: %d %" PRIu64 "\n", (int)ward_dag_count(&count), count);
    uint8_t ids[4 * WARD_DAG_ID_BYTES];
    uint32_t n = 0;
    int32_t rc = ward_dag_tips(ids, 4, &n);
    printf("tips: %d %u %s\n", (int)rc, (unsigned)n, n == 1 ? name_of(nodes, 4, ids) : "?");
    rc = ward_dag_parents(merge->id, ids, 4, &n);
    printf("parents of merge: %d %s %s\n", (int)rc, name_of(nodes, 4, ids), name_of(nodes, 4, ids + 32));
    rc = ward_dag_children(root->id, ids, 1, &n);
    printf("children of root in room for 1: %d\n", (int)rc);
    rc = ward_dag_children(root->id, ids, 4, &n);
    printf("children of root: %d %u\n", (int)rc, (unsigned)n);

    ancestry(root, merge);
    ancestry(left, merge);
    ancestry(left, right);
    ancestry(merge, root);
    ancestry(root, root);
    walk(nodes, 4, merge, WARD_DAG_WALK_PARENTS);
    walk(nodes, 4, root, WARD_DAG_WALK_CHILDREN);

    char buf[16];
    uint32_t len = 0;
    rc = ward_dag_get(merge->id, buf, 2, &len);
    printf("get merge into 2 bytes: %d, length %u\n", (int)rc, (unsigned)len);
    rc = ward_dag_get(merge->id, buf, sizeof buf, &len);
    printf("get merge: %d \"%.*s\"\n", (int)rc, (int)len, buf);
    printf("has merge: %d\n", (int)ward_dag_has(merge->id));

    /* the errors: a node not there, a parent not there, a node stored twice */
    uint8_t stranger[WARD_DAG_ID_BYTES], again[WARD_DAG_ID_BYTES];
    memset(stranger, 0x5a, sizeof stranger);
    printf("has stranger: %d\n", (int)ward_dag_has(stranger));
    printf("get stranger: %d\n", (int)ward_dag_get(stranger, buf, sizeof buf, &len));
    printf("put on stranger: %d\n", (int)ward_dag_put("x", 1, stranger, 1, again));
    rc = ward_dag_put("merge", 5, ids, 0, again); /* merge's payload, no parents: another node */
    printf("put \"merge\" without parents: %d\n", (int)rc);
    print_id("lone", again);
    uint8_t twice[2 * WARD_DAG_ID_BYTES];
    memcpy(twice, root->id, 32);
    memcpy(twice + 32, root->id, 32);
    printf("put with a parent twice: %d\n", (int)ward_dag_put("y", 1, twice, 2, again));
    rc = ward_dag_put("root", 4, NULL, 0, again);
    printf("put root again: %d %s\n", (int)rc, memcmp(again, root->id, 32) == 0 ? "same id" : "new id");
    printf("count: %d %" PRIu64 "\n", (int)ward_dag_count(&count), count);
    return 0;
}
