/* Shared by the registry's files (registry.c: the stored records; admit.c:
 * what an add checks before anything is stored). */
#ifndef WARD_REGISTRY_INTERNAL_H
#define WARD_REGISTRY_INTERNAL_H

#include "storage/storage.h"
#include "ward_registry.h"

#define WREG_OP_ADD "registry add"

/*
 * A module that passed every check of an add, as it would be stored:
 * proto has its hash, size, and the name, gas limit and signature
 * information the options gave; the flags say which of those were given
 * (a re-add of stored bytes changes only those).
 */
typedef struct wreg_admission {
    ward_registry_entry proto;
    bool name_given;
    bool gas_given;
    bool trust_given;           /* a trust store decided the signature fields */
    bool replace, update;
} wreg_admission;

/* Check the options, validate the module with ward's own validator, decide
 * its signatures, hash it.  False with err (op "registry add") when any
 * check refuses it; nothing has been written then. */
bool wreg_admit(ward_db *db, const uint8_t *bytes, size_t len, const ward_registry_add_options *opts,
                wreg_admission *a, ward_db_error *err);

/* Copy s into a buffer of size bytes, cut to fit (never mid-way through a
 * UTF-8 sequence); "" for NULL. */
void wreg_copy_text(char *out, size_t size, const char *s);

#endif
