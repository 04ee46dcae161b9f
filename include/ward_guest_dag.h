/*
 * ward:dag for guests: the content-addressed DAG of the database `ward run
 * --dag DB` opened, from inside a WebAssembly module (docs/dag.md, "Guest
 * ABI").  Build with clang --target=wasm32-wasi.
 *
 * Conventions: pointers and lengths address this module's memory (its
 * export "memory", else memory 0).  A range that is not wholly inside it
 * traps ("out of bounds memory access"); a node id is 32 bytes there.  A
 * call returns 0 (is_ancestor: 1 or 0) or one of the negative codes below.
 * Every call costs fuel (table in docs/dag.md): a base price before any
 * work, then a price per byte and per id or node the call moves or visits.
 * A guest that cannot pay traps "out of fuel".
 */
#ifndef WARD_GUEST_DAG_H
#define WARD_GUEST_DAG_H

#include <stdint.h>

#define WARD_DAG_EINVAL (-1)     /* payload or parents over the limits, a parent given twice, an
                                  * unknown direction, a list or walk over the guest limits */
#define WARD_DAG_ENOTFOUND (-2)  /* no such node */
#define WARD_DAG_EMISSING (-3)   /* put: a parent that is not in the database */
#define WARD_DAG_ESPACE (-4)     /* the output buffer is too small: nothing written but the
                                  * length or count the call needs */
#define WARD_DAG_ELIMIT (-5)     /* is_ancestor: the search passed the host's node cap */
#define WARD_DAG_EBUSY (-6)      /* other writers held the database past the busy timeout */
#define WARD_DAG_EREADONLY (-7)  /* put on a database opened read-only */
#define WARD_DAG_EIO (-8)        /* the database failed: disk full, I/O error, damaged or tampered */
#define WARD_DAG_ENOMEM (-9)     /* the host is out of memory */

/* The same values as ward_dag.h's, for guests that cannot include it. */
#ifndef WARD_DAG_ID_BYTES
#define WARD_DAG_ID_BYTES 32
#endif
#define WARD_DAG_GUEST_MAX_PAYLOAD (16u * 1024 * 1024) /* bytes per node */
#define WARD_DAG_GUEST_MAX_PARENTS 1024u               /* parents per node */
#define WARD_DAG_GUEST_LIST_MAX 65536u     /* ids per children / tips call */
#define WARD_DAG_GUEST_WALK_MAX 65536u     /* 1 + depth x breadth of one walk */
#define WARD_DAG_GUEST_SEARCH_MAX 100000u  /* nodes one is_ancestor may visit */

/* walk directions */
#define WARD_DAG_WALK_PARENTS 0u  /* toward the roots */
#define WARD_DAG_WALK_CHILDREN 1u /* toward the tips */

/* One walk result in guest memory: 48 bytes, little-endian. */
#define WARD_DAG_WALK_ENTRY_BYTES 48
typedef struct ward_dag_guest_entry {
    uint8_t id[WARD_DAG_ID_BYTES];
    uint64_t height;             /* 0 for a root, else 1 + the highest parent's */
    uint32_t depth;              /* steps from the start */
    uint32_t reserved;           /* 0 */
} ward_dag_guest_entry;

#if defined(__wasm__)
#define WARD_DAG_IMPORT(name) __attribute__((import_module("ward:dag"), import_name(name)))

/* Store a node: payload[0..len) and nparents ids (32 bytes each, in order)
 * at parents; its id to id_out.  Storing a node that exists changes
 * nothing.  0, or EINVAL / EMISSING / EBUSY / EREADONLY / EIO. */
WARD_DAG_IMPORT("put")
int32_t ward_dag_put(const void *payload, uint32_t len, const uint8_t *parents, uint32_t nparents, uint8_t *id_out);

/* The payload of node id into out[0..cap); *len_out gets its length in
 * any case, so a guest with too small a buffer (ESPACE) can retry.
 * 0, or ENOTFOUND / ESPACE. */
WARD_DAG_IMPORT("get")
int32_t ward_dag_get(const uint8_t *id, void *out, uint32_t cap, uint32_t *len_out);

/* 1 when the node is in the database, 0 when not. */
WARD_DAG_IMPORT("has") int32_t ward_dag_has(const uint8_t *id);

/* Ids into out (room for max ids of 32 bytes), *count_out how many.
 * parents: in the node's order, ESPACE with *count_out the full count when
 * more than max.  children and tips (nodes without children): ordered by
 * id, at most WARD_DAG_GUEST_LIST_MAX; ESPACE (with *count_out 0) when
 * there are more than max. */
WARD_DAG_IMPORT("parents")
int32_t ward_dag_parents(const uint8_t *id, uint8_t *out, uint32_t max, uint32_t *count_out);
WARD_DAG_IMPORT("children")
int32_t ward_dag_children(const uint8_t *id, uint8_t *out, uint32_t max, uint32_t *count_out);
WARD_DAG_IMPORT("tips") int32_t ward_dag_tips(uint8_t *out, uint32_t max, uint32_t *count_out);

/* 1 when a is an ancestor of b (reachable from b through parents; a node
 * is not its own), 0 when not; ENOTFOUND, or ELIMIT past
 * WARD_DAG_GUEST_SEARCH_MAX nodes.  Fuel is charged per node visited. */
WARD_DAG_IMPORT("is_ancestor") int32_t ward_dag_is_ancestor(const uint8_t *a, const uint8_t *b);

/* A bounded walk from start (direction WARD_DAG_WALK_*): every node at
 * most max_depth steps away, at most max_breadth per depth (0 = 1024; the
 * first by id), in topological order, start first.  Entries
 * (ward_dag_guest_entry) into out (room for max), *count_out how many.
 * 1 + max_depth x max_breadth must not pass WARD_DAG_GUEST_WALK_MAX
 * (EINVAL): the call is charged for that many nodes.  ESPACE (with
 * *count_out the count needed) when they do not fit; 1 instead of 0 when a
 * depth had more nodes than max_breadth. */
WARD_DAG_IMPORT("walk")
int32_t ward_dag_walk(const uint8_t *start, uint32_t direction, uint32_t max_depth, uint32_t max_breadth,
                      ward_dag_guest_entry *out, uint32_t max, uint32_t *count_out);

/* The number of nodes, to *count_out. */
WARD_DAG_IMPORT("count") int32_t ward_dag_count(uint64_t *count_out);

#undef WARD_DAG_IMPORT
#endif /* __wasm__ */

#endif
