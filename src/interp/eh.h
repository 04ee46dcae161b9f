/*
 * Exception handling (legacy proposal; docs/exceptions.md): the handler
 * tables the translator attaches to each translated variant of a function,
 * and the exception stack a store keeps while exceptions are caught.
 *
 * The non-throwing path costs nothing: `try` emits no op, `catch` is a jump
 * over the catch bodies like `else`.  A throw looks the handler up by code
 * position in these tables, frame by frame, on the interpreter's own frame
 * stack (never on the C stack).
 */
#ifndef WARD_EH_H
#define WARD_EH_H

#include <stddef.h>
#include <stdint.h>

#define WEH_NONE UINT32_MAX      /* no parent: the exception leaves the function */
#define WEH_CATCH_ALL UINT32_MAX /* clause tag of catch_all */

enum { WEH_CATCH, WEH_DELEGATE };

/* One `try`, in the order the trys open (an enclosing try comes before the
 * trys nested in it, so the innermost one containing a position is the
 * last one that does).  Positions are code cells of the variant. */
typedef struct weh_entry {
    uint32_t try_start, try_end;     /* the try body */
    uint32_t catch_start, catch_end; /* all catch bodies (nclauses > 0) */
    uint32_t parent;                 /* handler to try next, or WEH_NONE */
    uint32_t exn_slot;               /* catch bodies: the caught exception's index (payload follows it) */
    /* Clauses in order, a list through weh_clause.next: a try nested in a
     * catch body adds its clauses before the outer try's later ones. */
    uint32_t first_clause, last_clause, nclauses;
    uint8_t kind;                    /* WEH_CATCH (clauses, maybe none) or WEH_DELEGATE */
} weh_entry;

typedef struct weh_clause {
    uint32_t tag;    /* module tag index, or WEH_CATCH_ALL */
    uint32_t target; /* code position of the catch body */
    uint32_t next;   /* the entry's next clause, or WEH_NONE */
} weh_clause;

/* A variant's handlers: one block, entries then clauses. */
typedef struct weh_table {
    uint32_t nentries, nclauses;
    weh_entry *entries;
    weh_clause *clauses;
} weh_table;

/* Caught exceptions, a stack per store: a catch body's exn_slot holds its
 * entry's index; payloads live in one slot array. */
typedef struct wexn_entry {
    const struct ward_tag *tag;
    size_t off; /* first payload slot in wexn_stack.payload */
} wexn_entry;

typedef struct wexn_stack {
    wexn_entry *e;
    size_t n, cap;
    uint64_t *payload;
    size_t cap_payload;
} wexn_stack;

/* The exception being thrown: a fresh one (payload in the thrower's slots)
 * or a rethrown one (index into the stack). */
typedef struct wexn_flight {
    const struct ward_tag *tag;
    const uint64_t *payload; /* throw; NULL for rethrow */
    size_t index;            /* rethrow */
} wexn_flight;

#endif
