/* tree: pointer chasing.  Builds binary search trees of pseudo-random keys in
 * a bump arena and looks keys up, then walks a linked list threaded through
 * the nodes in shuffled order.  Exercises dependent loads through pointers
 * (cache-unfriendly) and small struct access. */
#include "bench.h"

#ifndef TREE_NODES
#define TREE_NODES 200000
#endif
#ifndef TREE_ROUNDS
#define TREE_ROUNDS 1
#endif
BENCH_PARAM(tree_rounds, TREE_ROUNDS);

typedef struct node {
    struct node *left, *right;
    struct node *next;   /* the shuffled list */
    uint32_t key;
    uint32_t value;
} node;

static node arena[TREE_NODES];
static uint32_t order[TREE_NODES];

static node *insert(node *root, node *fresh)
{
    if (!root)
        return fresh;
    node *cur = root;
    for (;;) {
        node **slot = fresh->key < cur->key ? &cur->left : &cur->right;
        if (!*slot) {
            *slot = fresh;
            return root;
        }
        cur = *slot;
    }
}

static const node *lookup(const node *root, uint32_t key)
{
    while (root && root->key != key)
        root = key < root->key ? root->left : root->right;
    return root;
}

static node *build_tree(uint32_t seed)
{
    node *root = 0;
    for (uint32_t i = 0; i < TREE_NODES; i++) {
        node *n = &arena[i];
        n->left = n->right = n->next = 0;
        n->key = bench_rand(&seed);
        n->value = i;
        root = insert(root, n);
    }
    return root;
}

/* Link the nodes in a random permutation (Fisher-Yates) into one list. */
static node *build_list(uint32_t seed)
{
    for (uint32_t i = 0; i < TREE_NODES; i++)
        order[i] = i;
    for (uint32_t i = TREE_NODES - 1; i > 0; i--) {
        uint32_t j = bench_rand(&seed) % (i + 1);
        uint32_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (uint32_t i = 0; i + 1 < TREE_NODES; i++)
        arena[order[i]].next = &arena[order[i + 1]];
    arena[order[TREE_NODES - 1]].next = 0;
    return &arena[order[0]];
}

static uint32_t tree_depth_sum(const node *n, uint32_t depth)
{
    /* Recursive on purpose: a balanced-ish BST of 200k keys is ~40 deep. */
    if (!n)
        return 0;
    return depth + tree_depth_sum(n->left, depth + 1) + tree_depth_sum(n->right, depth + 1);
}

int run(void)
{
    uint32_t hash = 2166136261u;
    int32_t rounds = tree_rounds;
    for (int32_t r = 0; r < rounds; r++) {
        uint32_t seed = 0x7ee00000u + (uint32_t)r;
        node *root = build_tree(seed);
        /* Replay the key sequence: every lookup must hit its own node. */
        uint32_t found = 0;
        for (int pass = 0; pass < 4; pass++) {
            uint32_t replay = seed;
            for (uint32_t i = 0; i < TREE_NODES; i++) {
                const node *n = lookup(root, bench_rand(&replay));
                found += n ? n->value : 0xffffffffu;
            }
        }
        hash = bench_mix(hash, found);
        hash = bench_mix(hash, tree_depth_sum(root, 0));
        const node *list = build_list(seed ^ 0x55555555u);
        for (int pass = 0; pass < 10; pass++) {
            uint32_t acc = 0;
            for (const node *n = list; n; n = n->next)
                acc = acc * 31u + n->key;
            hash = bench_mix(hash, acc);
        }
    }
    return bench_result(hash);
}
