/*
 * What ward_registry_add checks before it stores anything (docs/contracts.md,
 * "Module registry"): the gas limit and the name, the module itself (ward's
 * own decoder and validator, as `ward run` would load it), and its
 * signatures against the caller's trust store.  Done outside any
 * transaction: validation is the slow part and needs no lock.
 */
#include <string.h>

#include "crypto/crypto.h"
#include "registry_internal.h"

static bool refuse(ward_db *db, ward_db_error *err, ward_db_error_kind kind, const char *fmt, const char *what)
{
    ward_db_fail(db, err, kind, WREG_OP_ADD, fmt, what);
    return false;
}

/* [A-Za-z0-9._@+/-], the first a letter or digit: never an option, a
 * hidden file or a hash reference (no ':'). */
static bool name_char(char ch, bool first)
{
    bool alnum = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
    return alnum || (!first && ch && strchr("._@+/-", ch));
}

bool ward_registry_name_valid(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > WARD_REGISTRY_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!name_char(name[i], i == 0))
            return false;
    return true;
}

void wreg_copy_text(char *out, size_t size, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--; /* s[n] continues a sequence: cut before the sequence's first byte */
    }
    if (n)
        memcpy(out, s, n);
    out[n] = 0;
}

static bool check_options(ward_db *db, const ward_registry_add_options *o, wreg_admission *a, ward_db_error *err)
{
    if (o->gas_limit > WARD_REGISTRY_GAS_MAX) {
        ward_db_fail(db, err, WARD_DB_ERR_ARGUMENT, WREG_OP_ADD,
                     "gas limit %llu is over the maximum of %u", (unsigned long long)o->gas_limit,
                     WARD_REGISTRY_GAS_MAX);
        return false;
    }
    a->gas_given = o->gas_limit != 0;
    a->proto.gas_limit = a->gas_given ? o->gas_limit : WARD_REGISTRY_GAS_DEFAULT;
    a->name_given = o->name && o->name[0];
    if (a->name_given && !ward_registry_name_valid(o->name))
        return refuse(db, err, WARD_DB_ERR_ARGUMENT,
                      "\"%.140s\" is not a module name (1 to 128 of A-Z a-z 0-9 . _ @ + / -, first a letter or digit)",
                      o->name);
    if (a->name_given)
        memcpy(a->proto.name, o->name, strlen(o->name) + 1);
    if (o->signature && !o->trust)
        return refuse(db, err, WARD_DB_ERR_ARGUMENT, "%s", "a detached signature needs a trust store to check it");
    a->replace = o->replace;
    a->update = o->update;
    return true;
}

/* The features `ward run` enables (src/cli/run.c, cli_config_default): a
 * module the registry takes is one ward run loads. */
static void run_config(ward_config *cfg)
{
    ward_config_default(cfg);
    cfg->threads = true;
    cfg->extended_const = true;
    cfg->exceptions = true;
}

static const char *refusal_of(ward_error_stage stage)
{
    switch (stage) {
    case WARD_STAGE_DECODE:
    case WARD_STAGE_VALIDATE:
        return "invalid module";
    case WARD_STAGE_LIMIT:
        return "module over a load limit";
    default:
        return "module not loadable";
    }
}

static bool validate(ward_db *db, const uint8_t *bytes, size_t len, ward_db_error *err)
{
    ward_config cfg;
    run_config(&cfg);
    ward_engine *engine = ward_engine_new(&cfg);
    if (!engine)
        return refuse(db, err, WARD_DB_ERR_NOMEM, "%s", "out of memory");
    ward_error werr;
    memset(&werr, 0, sizeof werr);
    ward_module *m = ward_module_new(engine, bytes, len, &werr);
    ward_module_free(m);
    ward_engine_free(engine);
    if (m)
        return true;
    /* the validator's own words, after what kind of refusal it is */
    ward_db_fail(db, err, werr.stage == WARD_STAGE_TRANSLATE ? WARD_DB_ERR_NOMEM : WARD_DB_ERR_ARGUMENT,
                 WREG_OP_ADD, "%s: %s", refusal_of(werr.stage), werr.message);
    return false;
}

/* A refusal of ward_trust_decide: a module changed after a store key
 * signed it is TAMPERED, malformed signature data a bad argument. */
static bool refuse_signatures(ward_db *db, const ward_trust_error *te, ward_db_error *err)
{
    ward_db_error_kind kind = WARD_DB_ERR_ARGUMENT;
    if (te->kind == WARD_TRUST_ERR_NOMEM)
        kind = WARD_DB_ERR_NOMEM;
    else if (te->kind == WARD_TRUST_ERR_SIGNATURE && te->sig.kind == WARD_SIG_ERR_HASH_MISMATCH)
        kind = WARD_DB_ERR_TAMPERED;
    return refuse(db, err, kind, "%s", te->message);
}

static bool decide_signatures(ward_db *db, const uint8_t *bytes, size_t len, const ward_registry_add_options *o,
                              wreg_admission *a, ward_db_error *err)
{
    ward_registry_entry *e = &a->proto;
    a->trust_given = o->trust != NULL;
    if (!o->trust) {
        e->is_signed = ward_sig_module_is_signed(bytes, len);
        return true;
    }
    ward_trust_decision d;
    ward_trust_error te;
    if (!ward_trust_decide(o->trust, bytes, len, o->signature, o->signature_len, &d, &te))
        return refuse_signatures(db, &te, err);
    e->is_signed = d.is_signed;
    e->trust_checked = true;
    e->trust_level = d.level;
    e->has_signer = d.entry != SIZE_MAX && ward_trust_store_entry(o->trust, d.entry, &e->signer_key, NULL, NULL);
    if (e->has_signer)
        wreg_copy_text(e->signer, sizeof e->signer, d.signer);
    return true;
}

bool wreg_admit(ward_db *db, const uint8_t *bytes, size_t len, const ward_registry_add_options *opts,
                wreg_admission *a, ward_db_error *err)
{
    ward_registry_add_options defaults;
    ward_registry_add_options_default(&defaults);
    const ward_registry_add_options *o = opts ? opts : &defaults;
    memset(a, 0, sizeof *a);
    if (!bytes)
        return refuse(db, err, WARD_DB_ERR_ARGUMENT, "%s", "no module bytes");
    if (!check_options(db, o, a, err) || !validate(db, bytes, len, err) ||
        !decide_signatures(db, bytes, len, o, a, err))
        return false;
    wcrypto_sha256(a->proto.sha256, bytes, len);
    a->proto.size = len;
    return true;
}
