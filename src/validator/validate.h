/* The validator: the spec's validation algorithm, eagerly, for a whole module. */
#ifndef WARD_VALIDATE_H
#define WARD_VALIDATE_H

#include "../decoder/module.h"

/*
 * Validate a decoded module.  Returns false and writes an error naming what
 * and where, e.g. "function 3, offset 0x2f: type mismatch: expected i32, got
 * f64" or "global 2: constant expression required".  Nothing downstream of
 * a successful call checks validity again.
 */
bool wvalidate_module(const wmodule *m, werror *err);

#endif
