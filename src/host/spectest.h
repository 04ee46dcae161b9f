/*
 * The "spectest" host module the official spec tests import: print
 * functions (quiet: they return without output, since test output must
 * stay countable), four immutable globals of value 666 / 666.6, a funcref
 * table of 10..20 elements and a memory of 1..2 pages.
 */
#ifndef WARD_HOST_SPECTEST_H
#define WARD_HOST_SPECTEST_H

#include "../../include/ward.h"

/* Create the spectest objects in `store` and define them in `linker` under
 * module name "spectest".  The objects are owned by the store.  Returns
 * WARD_OK, or WARD_ERROR when out of memory. */
ward_result wspectest_define(ward_store *store, ward_linker *linker);

#endif
