/*
 * Access rules (docs/vault.md, "Access control").  A module may do an
 * operation on a name when a rule's prefix starts the name, its
 * permissions have the operation and its subject is the module: its hash,
 * one of its signers' keys, or a trust level at or below its own.  No
 * rule, no access; the operator (the key's holder) needs none.
 *
 * The rule set is authenticated as a whole: vault.rules.mac is a BLAKE2b
 * MAC, under the master key's subkey WVAULT_KEY_RULES, of every rule in id
 * order, rewritten by each change through ward.  A rule inserted, edited,
 * removed or replayed in the file directly breaks it, and then every
 * module is refused (TAMPERED) until the operator changes the rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "vault_internal.h"

static const char mac_tag[] = "ward-vault-rules/1";

typedef struct rule_scan {
    wcrypto_hash mac;
    uint64_t count;
    /* the decision, when asked */
    const ward_vault_actor *actor;
    const char *name;
    uint32_t perm;
    bool allowed;
    /* the listing, when asked */
    ward_vault_rules *list;
    size_t cap;
    bool nomem;
} rule_scan;

static bool subject_matches(const wdb_vault_rule_row *r, const ward_vault_actor *a)
{
    if (r->kind == WARD_VAULT_BY_LEVEL)
        return (uint32_t)a->level >= r->level;
    if (!r->subject)
        return false;
    if (r->kind == WARD_VAULT_BY_MODULE)
        return memcmp(r->subject, a->module_sha256, 32) == 0;
    for (size_t i = 0; r->kind == WARD_VAULT_BY_SIGNER && i < a->nsigners && i < WARD_VAULT_MAX_SIGNERS; i++)
        if (memcmp(r->subject, a->signers[i], 32) == 0)
            return true;
    return false;
}

static bool rule_matches(const wdb_vault_rule_row *r, const rule_scan *s)
{
    size_t n = strlen(r->prefix);
    return (r->perms & s->perm) && strncmp(s->name, r->prefix, n) == 0 && subject_matches(r, s->actor);
}

static void mac_rule(wcrypto_hash *h, const wdb_vault_rule_row *r)
{
    static const uint8_t zero[32];
    uint8_t head[9], tail[3];
    size_t n = strlen(r->prefix);
    wvault_put_u64(head, (uint64_t)r->id);
    head[8] = (uint8_t)(n > 255 ? 255 : n);
    wcrypto_hash_update(h, head, sizeof head);
    wcrypto_hash_update(h, (const uint8_t *)r->prefix, n);
    tail[0] = (uint8_t)r->perms;
    tail[1] = (uint8_t)r->kind;
    tail[2] = (uint8_t)r->level;
    wcrypto_hash_update(h, tail, sizeof tail);
    wcrypto_hash_update(h, r->subject ? r->subject : zero, 32);
}

static void copy_rule(ward_vault_rule *out, const wdb_vault_rule_row *r)
{
    memset(out, 0, sizeof *out);
    out->id = r->id;
    snprintf(out->prefix, sizeof out->prefix, "%s", r->prefix);
    out->perms = r->perms;
    out->subject = (ward_vault_subject)r->kind;
    if (r->subject)
        memcpy(out->key, r->subject, 32);
    out->level = (ward_trust_level)r->level;
}

static bool scan_rule(void *ctx, const wdb_vault_rule_row *r)
{
    rule_scan *s = ctx;
    mac_rule(&s->mac, r);
    s->count++;
    if (s->actor && rule_matches(r, s))
        s->allowed = true;
    if (s->list) {
        if (!wgrow((void **)&s->list->rules, &s->cap, s->list->count + 1, sizeof *s->list->rules)) {
            s->nomem = true;
            return false;
        }
        copy_rule(&s->list->rules[s->list->count++], r);
    }
    return true;
}

/* Walk every rule into s; mac gets the set's MAC. */
static bool scan_rules(wdb *c, const ward_vault *v, rule_scan *s, uint8_t mac[32], const char *op, ward_db_error *err)
{
    uint8_t n[8];
    wcrypto_hash_init(&s->mac, WCRYPTO_BLAKE2B, 32, v->rules_key, sizeof v->rules_key);
    wcrypto_hash_update(&s->mac, (const uint8_t *)mac_tag, sizeof mac_tag - 1);
    bool ok = wdb_vault_rules(c, scan_rule, s, op, err);
    if (ok && s->nomem) {
        ward_db_fail(v->db, err, WARD_DB_ERR_NOMEM, op, "out of memory");
        ok = false;
    }
    wvault_put_u64(n, s->count);
    wcrypto_hash_update(&s->mac, n, sizeof n);
    wcrypto_hash_final(&s->mac, mac);
    return ok;
}

/* Scan, and compare with the stored MAC: *intact. */
static bool scan_checked(wdb *c, const ward_vault *v, rule_scan *s, bool *intact, const char *op, ward_db_error *err)
{
    uint8_t mac[32], *stored = NULL;
    size_t len = 0;
    bool found = false;
    if (!scan_rules(c, v, s, mac, op, err) || !wdb_meta_get(c, WVAULT_META_RULES, &stored, &len, &found, op, err))
        return false;
    *intact = found && len == sizeof mac && wcrypto_equal(mac, stored, sizeof mac);
    free(stored);
    return true;
}

bool wvault_rules_seal(wdb *c, const ward_vault *v, const char *op, ward_db_error *err)
{
    rule_scan s = {0};
    uint8_t mac[32];
    return scan_rules(c, v, &s, mac, op, err) && wdb_meta_put(c, WVAULT_META_RULES, mac, sizeof mac, op, err);
}

bool wvault_allowed(wdb *c, const ward_vault *v, const ward_vault_actor *actor, const char *name, uint32_t perm,
                    bool *allowed, bool *tampered, const char *op, ward_db_error *err)
{
    *allowed = true;
    *tampered = false;
    if (!actor || actor->kind == WARD_VAULT_ACTOR_OPERATOR)
        return true;
    rule_scan s = {.actor = actor, .name = name, .perm = perm};
    bool intact;
    if (!scan_checked(c, v, &s, &intact, op, err))
        return false;
    *tampered = !intact;
    *allowed = intact && s.allowed;
    return true;
}

/* ---- managing rules -------------------------------------------------------- */

static const char *perms_text(uint32_t perms)
{
    static const char *const text[] = {"none", "read", "write", "read-write"};
    return text[perms & 3];
}

/* "module:HEX", "signer:HEX", "level:NAME". */
static void subject_text(const ward_vault_rule *r, char out[80])
{
    char hex[65];
    wcrypto_to_hex(hex, r->key, 32);
    if (r->subject == WARD_VAULT_BY_LEVEL)
        snprintf(out, 80, "level:%s", ward_trust_level_name(r->level));
    else
        snprintf(out, 80, "%s:%s", r->subject == WARD_VAULT_BY_MODULE ? "module" : "signer", hex);
}

typedef struct rule_job {
    const ward_vault *v;
    ward_vault_rule rule;
    int64_t id;
    wvault_outcome outcome;
    ward_vault_rules *list;
    bool intact;
} rule_job;

static bool add_body(wdb *c, void *ctx, ward_db_error *err)
{
    static const char op[] = "vault rule add";
    rule_job *job = ctx;
    const ward_vault_rule *r = &job->rule;
    wdb_vault_rule_row row = {0, r->prefix, r->perms, (uint32_t)r->subject,
                              r->subject == WARD_VAULT_BY_LEVEL ? NULL : r->key,
                              r->subject == WARD_VAULT_BY_LEVEL ? (uint32_t)r->level : 0};
    if (!wdb_vault_rule_insert(c, &row, &job->id, op, err) || !wvault_rules_seal(c, job->v, op, err))
        return false;
    char subject[80], extra[200];
    subject_text(r, subject);
    snprintf(extra, sizeof extra, "\"rule\":{\"id\":%lld,\"perms\":\"%s\",\"subject\":\"%s\"}", (long long)job->id,
             perms_text(r->perms), subject);
    wvault_event ev = {"allow", r->prefix, 0, NULL, "ok", extra};
    return wvault_audit_append(c, job->v, &ev, op, err);
}

static bool rule_valid(const ward_vault_rule *r)
{
    return wvault_name_valid(r->prefix, true) && r->perms && !(r->perms & ~(WARD_VAULT_READ | WARD_VAULT_WRITE)) &&
           (r->subject == WARD_VAULT_BY_MODULE || r->subject == WARD_VAULT_BY_SIGNER ||
            (r->subject == WARD_VAULT_BY_LEVEL && (unsigned)r->level < WARD_TRUST_LEVELS));
}

bool ward_vault_rule_add(ward_vault *v, const ward_vault_rule *rule, int64_t *id, ward_db_error *err)
{
    static const char op[] = "vault rule add";
    if (!v || !rule)
        return false;
    if (!rule_valid(rule)) {
        ward_db_fail(v->db, err, WARD_DB_ERR_ARGUMENT, op,
                     "a rule needs a prefix of the name alphabet (or none), read and/or write, and a module "
                     "hash, a signer key or a trust level");
        return false;
    }
    rule_job job = {.v = v, .rule = *rule};
    if (rule->subject == WARD_VAULT_BY_LEVEL)
        memset(job.rule.key, 0, sizeof job.rule.key);
    if (!wdb_transact(v->db, op, true, add_body, &job, err))
        return false;
    if (id)
        *id = job.id;
    return true;
}

static bool remove_body(wdb *c, void *ctx, ward_db_error *err)
{
    static const char op[] = "vault rule remove";
    rule_job *job = ctx;
    bool found;
    job->outcome.kind = WARD_DB_OK;
    if (!wdb_vault_rule_delete(c, job->id, &found, op, err) || (found && !wvault_rules_seal(c, job->v, op, err)))
        return false;
    if (!found)
        wvault_outcome_set(&job->outcome, WARD_DB_ERR_NOT_FOUND, "no rule %lld", (long long)job->id);
    char extra[64];
    snprintf(extra, sizeof extra, "\"rule\":{\"id\":%lld}", (long long)job->id);
    wvault_event ev = {"revoke", NULL, 0, NULL, found ? "ok" : "not_found", extra};
    return wvault_audit_append(c, job->v, &ev, op, err);
}

bool ward_vault_rule_remove(ward_vault *v, int64_t id, ward_db_error *err)
{
    static const char op[] = "vault rule remove";
    if (!v)
        return false;
    rule_job job = {.v = v, .id = id};
    return wdb_transact(v->db, op, true, remove_body, &job, err) && wvault_outcome_report(v, &job.outcome, op, err);
}

static bool list_body(wdb *c, void *ctx, ward_db_error *err)
{
    static const char op[] = "vault rule list";
    rule_job *job = ctx;
    ward_vault_rules_free(job->list);
    rule_scan s = {.list = job->list};
    if (!scan_checked(c, job->v, &s, &job->intact, op, err)) {
        ward_vault_rules_free(job->list);
        return false;
    }
    wvault_event ev = {"rules", NULL, 0, NULL, job->intact ? "ok" : "tampered", NULL};
    return wvault_audit_append(c, job->v, &ev, op, err);
}

bool ward_vault_rule_list(ward_vault *v, ward_vault_rules *out, ward_db_error *err)
{
    static const char op[] = "vault rule list";
    if (out)
        memset(out, 0, sizeof *out);
    if (!v || !out)
        return false;
    rule_job job = {.v = v, .list = out};
    if (!wdb_transact(v->db, op, true, list_body, &job, err))
        return false;
    if (!job.intact) {
        /* out keeps the rules as found, for the operator to inspect */
        ward_db_fail(v->db, err, WARD_DB_ERR_TAMPERED, op,
                     "the rules fail their MAC (changed outside ward): modules are refused until a rule is "
                     "added or revoked through ward");
        return false;
    }
    return true;
}

void ward_vault_rules_free(ward_vault_rules *rules)
{
    if (!rules)
        return;
    free(rules->rules);
    rules->rules = NULL;
    rules->count = 0;
}
