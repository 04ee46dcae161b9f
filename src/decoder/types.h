/* Value-type facts shared by the module decoder and the instruction reader. */
#ifndef WARD_DECODER_TYPES_H
#define WARD_DECODER_TYPES_H

#include "module.h"

/* Is t a value type of the enabled feature set (v128 needs simd)? */
bool wvaltype_known(uint8_t t, const wfeatures *features);

/* Is t a reference type (funcref or externref)? */
bool wreftype_known(uint8_t t);

#endif
