/* Trap records with the spec's exact wording. */
#include <stdio.h>
#include <string.h>

#include "runtime.h"

/* Indexed by ward_trap_kind; the spec testsuite compares these strings. */
static const char *const trap_messages[] = {
    [WARD_TRAP_NONE] = "",
    [WARD_TRAP_UNREACHABLE] = "unreachable",
    [WARD_TRAP_DIV_BY_ZERO] = "integer divide by zero",
    [WARD_TRAP_INT_OVERFLOW] = "integer overflow",
    [WARD_TRAP_INVALID_CONVERSION] = "invalid conversion to integer",
    [WARD_TRAP_OOB_MEMORY] = "out of bounds memory access",
    [WARD_TRAP_OOB_TABLE] = "out of bounds table access",
    [WARD_TRAP_INDIRECT_TYPE_MISMATCH] = "indirect call type mismatch",
    [WARD_TRAP_UNINITIALIZED_ELEMENT] = "uninitialized element",
    [WARD_TRAP_UNDEFINED_ELEMENT] = "undefined element",
    [WARD_TRAP_STACK_EXHAUSTED] = "call stack exhausted",
    [WARD_TRAP_OUT_OF_FUEL] = "out of fuel",
    [WARD_TRAP_HOST] = "host trap",
    [WARD_TRAP_INTERRUPTED] = "interrupted",
    [WARD_TRAP_TIMEOUT] = "timeout",
    [WARD_TRAP_UNALIGNED_ATOMIC] = "unaligned atomic",
    [WARD_TRAP_EXPECTED_SHARED] = "expected shared memory",
    [WARD_TRAP_UNCAUGHT_EXCEPTION] = "uncaught exception",
    [WARD_TRAP_OUT_OF_MEMORY] = "out of host memory",
    [WARD_TRAP_EXIT] = "exit",
};

_Static_assert(sizeof trap_messages / sizeof trap_messages[0] == WTRAP_KIND_LAST + 1,
               "every trap kind has its message");

const char *wtrap_message(ward_trap_kind kind)
{
    size_t n = sizeof trap_messages / sizeof trap_messages[0];
    if ((size_t)kind >= n || !trap_messages[kind])
        return "unknown trap";
    return trap_messages[kind];
}

void wtrap_set(ward_trap *trap, ward_trap_kind kind)
{
    if (!trap)
        return;
    memset(trap, 0, sizeof *trap);
    trap->kind = kind;
    snprintf(trap->message, sizeof trap->message, "%s", wtrap_message(kind));
}
