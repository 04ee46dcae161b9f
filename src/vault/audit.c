/*
 * The audit log (docs/vault.md, "Audit"): one DAG node per operation,
 * whose only parent is the entry before it, so each entry's id commits to
 * the whole history behind it.  Records are one line of fixed-order JSON,
 * never holding a value:
 *
 *   {"audit":"ward-vault/1","seq":7,"time":1796610000,"op":"get",
 *    "name":"api/token","version":2,"actor":"operator","result":"ok"}
 *
 * The head (last id and count) is kept in vault.audit.head with a MAC
 * under the master key's subkey WVAULT_KEY_AUDIT: without the key a whole
 * tail can be rewritten with recomputed ids, with it that is caught.  An
 * entry is appended inside the body of its operation (the node is written
 * with the backend's DAG calls there, as ward_dag_put would, since
 * ward_dag_put runs its own transaction), so the two commit together.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/util.h"
#include "dag/dag_internal.h"
#include "vault_internal.h"

#define RECORD_PREFIX "{\"audit\":\"ward-vault/1\",\"seq\":"
#define RECORD_MAX 2048

static const char head_tag[] = "ward-vault-head/1";

static void head_mac(const uint8_t key[32], const uint8_t id[32], uint64_t seq, uint8_t mac[32])
{
    uint8_t n[8];
    wcrypto_hash h;
    wvault_put_u64(n, seq);
    wcrypto_hash_init(&h, WCRYPTO_BLAKE2B, 32, key, 32);
    wcrypto_hash_update(&h, (const uint8_t *)head_tag, sizeof head_tag - 1);
    wcrypto_hash_update(&h, id, 32);
    wcrypto_hash_update(&h, n, sizeof n);
    wcrypto_hash_final(&h, mac);
}

/* ---- records --------------------------------------------------------------- */

typedef struct record {
    char text[RECORD_MAX];
    size_t len;
} record;

static void put_text(record *r, const char *fmt, const char *a, const char *b)
{
    if (r->len < sizeof r->text)
        r->len += (size_t)snprintf(r->text + r->len, sizeof r->text - r->len, fmt, a, b);
    if (r->len >= sizeof r->text)
        r->len = sizeof r->text - 1;
}

static void put_actor(record *r, const ward_vault_actor *a)
{
    char hex[65];
    if (!a || a->kind == WARD_VAULT_ACTOR_OPERATOR) {
        put_text(r, "%s%s", "\"actor\":\"operator\"", "");
        return;
    }
    wcrypto_to_hex(hex, a->module_sha256, 32);
    put_text(r, "\"actor\":{\"module\":\"%s\",\"level\":\"%s\",\"signers\":[", hex, ward_trust_level_name(a->level));
    for (size_t i = 0; i < a->nsigners && i < WARD_VAULT_MAX_SIGNERS; i++) {
        wcrypto_to_hex(hex, a->signers[i], 32);
        put_text(r, "%s\"%s\"", i ? "," : "", hex);
    }
    put_text(r, "%s%s", "]}", "");
}

static void make_record(record *r, const wvault_event *ev, uint64_t seq)
{
    char num[48];
    r->len = 0;
    snprintf(num, sizeof num, "%llu,\"time\":%lld", (unsigned long long)seq, (long long)time(NULL));
    put_text(r, "%s%s", RECORD_PREFIX, num);
    put_text(r, ",\"op\":\"%s\"%s", ev->op, "");
    if (ev->name)
        put_text(r, ",\"name\":\"%s\"%s", ev->name, "");
    if (ev->version) {
        snprintf(num, sizeof num, "%llu", (unsigned long long)ev->version);
        put_text(r, ",\"version\":%s%s", num, "");
    }
    if (ev->extra)
        put_text(r, ",%s%s", ev->extra, "");
    put_text(r, "%s%s", ",", "");
    put_actor(r, ev->actor);
    put_text(r, ",\"result\":\"%s\"}%s", ev->result, "");
}

/* The seq of a record; false when it is not one. */
static bool record_seq(const uint8_t *p, size_t len, uint64_t *seq)
{
    size_t n = sizeof RECORD_PREFIX - 1, at = n;
    if (len < n || memcmp(p, RECORD_PREFIX, n) != 0)
        return false;
    *seq = 0;
    for (; at < len && p[at] >= '0' && p[at] <= '9' && at - n < 20; at++)
        *seq = *seq * 10 + (uint64_t)(p[at] - '0');
    return at > n && at < len && p[at] == ',';
}

/* ---- appending --------------------------------------------------------------- */

static bool tampered(const ward_vault *v, ward_db_error *err, const char *op, const char *why)
{
    ward_db_fail(v->db, err, WARD_DB_ERR_TAMPERED, op,
                 "the audit log's head %s (changed outside ward): nothing more is written; see ward vault audit "
                 "verify",
                 why);
    return false;
}

/* The current head: *seq 0 when there is none. */
static bool load_head(wdb *c, const ward_vault *v, uint8_t id[32], uint64_t *seq, const char *op, ward_db_error *err)
{
    uint8_t *head = NULL, mac[32];
    size_t len = 0;
    bool found = false;
    *seq = 0;
    if (!wdb_meta_get(c, WVAULT_META_HEAD, &head, &len, &found, op, err))
        return false;
    bool ok = !found || len == WVAULT_HEAD_BYTES;
    if (found && ok) {
        memcpy(id, head, 32);
        *seq = wvault_get_u64(head + 32);
        head_mac(v->audit_key, id, *seq, mac);
        ok = wcrypto_equal(mac, head + 40, sizeof mac);
    }
    free(head);
    return ok ? true : tampered(v, err, op, "fails its MAC");
}

bool wvault_audit_append(wdb *c, const ward_vault *v, const wvault_event *ev, const char *op, ward_db_error *err)
{
    uint8_t head[WVAULT_HEAD_BYTES];
    uint64_t seq;
    if (!load_head(c, v, head, &seq, op, err))
        return false;
    /* only init starts a chain: a head gone missing must not start another */
    if (seq == 0 && strcmp(ev->op, "init") != 0)
        return tampered(v, err, op, "is missing");
    record r;
    make_record(&r, ev, seq + 1);
    ward_dag_id parent, id;
    memcpy(parent.bytes, head, 32);
    bool created;
    if (!wdag_put_in(c, (const uint8_t *)r.text, r.len, &parent, seq ? 1 : 0, &id, &created, op, err)) {
        if (err->kind == WARD_DB_ERR_MISSING_PARENT)
            return tampered(v, err, op, "names an entry that is not there");
        return false;
    }
    memcpy(head, id.bytes, 32);
    wvault_put_u64(head + 32, seq + 1);
    head_mac(v->audit_key, head, seq + 1, head + 40);
    return wdb_meta_put(c, WVAULT_META_HEAD, head, sizeof head, op, err);
}

/* ---- reading the head without the key -------------------------------------- */

typedef struct head_job {
    uint8_t *head;
    size_t len;
    bool found, vault;
} head_job;

static bool head_body(wdb *c, void *ctx, ward_db_error *err)
{
    static const char op[] = "vault audit";
    head_job *job = ctx;
    uint8_t *params = NULL;
    size_t plen;
    free(job->head);
    job->head = NULL;
    bool ok = wdb_meta_get(c, WVAULT_META_PARAMS, &params, &plen, &job->vault, op, err) &&
              wdb_meta_get(c, WVAULT_META_HEAD, &job->head, &job->len, &job->found, op, err);
    free(params);
    return ok;
}

/* The head record in job (free job->head after a success; after a
 * failure there is nothing to free). */
static bool read_head(ward_db *db, head_job *job, ward_db_error *err)
{
    bool ok = wdb_transact(db, "vault audit", false, head_body, job, err);
    if (ok && !job->vault) {
        ward_db_fail(db, err, WARD_DB_ERR_KEY, "vault audit", "the database holds no vault");
        ok = false;
    }
    if (!ok) {
        free(job->head);
        job->head = NULL;
    }
    return ok;
}

/* ---- verify ------------------------------------------------------------------ */

typedef struct verifier {
    ward_vault_audit_report_fn report;
    void *ctx;
    ward_vault_audit_stats *stats;
    const ward_dag_id *since;   /* an entry the chain must pass through, or NULL */
    bool since_seen;
} verifier;

static void problem(verifier *w, uint64_t seq, const ward_dag_id *id, ward_vault_audit_problem p, const char *detail)
{
    w->stats->problems++;
    if (w->report)
        w->report(w->ctx, seq, id, p, detail);
}

/* One entry: its id, number and links.  *next false at the first entry. */
static void check_entry(verifier *w, const ward_dag_node *node, const ward_dag_id *id, uint64_t *expect, bool *next)
{
    ward_dag_id real;
    uint64_t seq;
    char detail[160];
    if (!ward_dag_id_of(node->payload, node->len, node->parents, node->nparents, &real) ||
        memcmp(real.bytes, id->bytes, sizeof real.bytes) != 0)
        problem(w, *expect, id, WARD_VAULT_AUDIT_BAD_ID, "its content does not hash to its id: edited");
    if (!record_seq(node->payload, node->len, &seq)) {
        problem(w, *expect, id, WARD_VAULT_AUDIT_MALFORMED, "not an audit record");
    } else if (seq != *expect) {
        snprintf(detail, sizeof detail, "numbered %llu where %llu belongs: entries removed or reordered",
                 (unsigned long long)seq, (unsigned long long)*expect);
        problem(w, *expect, id, WARD_VAULT_AUDIT_BAD_SEQ, detail);
        *expect = seq;
    }
    size_t want = *expect <= 1 ? 0 : 1;
    if (node->nparents != want) {
        snprintf(detail, sizeof detail, "%zu parents where the chain needs %zu%s", node->nparents, want,
                 node->nparents == 0 ? ": the entries before it are gone" : "");
        problem(w, *expect, id, WARD_VAULT_AUDIT_BAD_LINK, detail);
    }
    *next = node->nparents > 0 && *expect > 1;
}

static bool walk_chain(ward_db *db, verifier *w, ward_dag_id id, uint64_t count, ward_db_error *err)
{
    uint64_t expect = count;
    for (uint64_t steps = 0;; steps++) {
        ward_dag_node node;
        if (steps > count) {
            problem(w, expect, &id, WARD_VAULT_AUDIT_BAD_SEQ, "the chain is longer than its count: it loops");
            return true;
        }
        if (!ward_dag_get(db, &id, &node, err)) {
            if (err->kind != WARD_DB_ERR_NOT_FOUND && err->kind != WARD_DB_ERR_TAMPERED)
                return false;
            problem(w, expect, &id, WARD_VAULT_AUDIT_MISSING,
                    err->kind == WARD_DB_ERR_NOT_FOUND ? "the entry is not in the database: removed"
                                                       : "its parent link leads to no entry: removed");
            return true;
        }
        w->stats->entries++;
        if (w->since && memcmp(id.bytes, w->since->bytes, sizeof id.bytes) == 0)
            w->since_seen = true;
        bool next;
        check_entry(w, &node, &id, &expect, &next);
        if (next)
            id = node.parents[0];
        ward_dag_node_free(&node);
        if (!next)
            return true;
        expect--;
    }
}

const char *ward_vault_audit_problem_name(ward_vault_audit_problem problem)
{
    static const char *const names[] = {"?",         "edited",   "missing",    "misnumbered",
                                        "bad link",  "malformed", "bad head", "rolled back"};
    return (unsigned)problem < sizeof names / sizeof names[0] ? names[problem] : "?";
}

bool ward_vault_audit_verify(ward_db *db, const ward_vault *v, ward_vault_audit_report_fn report, void *ctx,
                             ward_vault_audit_stats *stats, ward_db_error *err)
{
    return ward_vault_audit_verify_since(db, v, NULL, report, ctx, stats, err);
}

bool ward_vault_audit_verify_since(ward_db *db, const ward_vault *v, const ward_dag_id *since,
                                   ward_vault_audit_report_fn report, void *ctx, ward_vault_audit_stats *stats,
                                   ward_db_error *err)
{
    ward_vault_audit_stats local;
    ward_db_error local_err;
    if (!stats)
        stats = &local;
    if (!err)
        err = &local_err; /* the walk reads the kind of a failed get */
    memset(stats, 0, sizeof *stats);
    if (!db)
        return false;
    verifier w = {report, ctx, stats, since, false};
    head_job job = {0};
    if (!read_head(db, &job, err))
        return false;
    ward_dag_id id = {{0}};
    bool ok = true;
    if (!job.found || job.len != WVAULT_HEAD_BYTES) {
        problem(&w, 0, &id, WARD_VAULT_AUDIT_BAD_HEAD, "the head record is missing or damaged");
    } else {
        memcpy(id.bytes, job.head, 32);
        uint64_t count = wvault_get_u64(job.head + 32);
        stats->head = id;
        stats->count = count;
        if (v) {
            uint8_t mac[32];
            head_mac(v->audit_key, id.bytes, count, mac);
            stats->mac_checked = true;
            if (!wcrypto_equal(mac, job.head + 40, sizeof mac))
                problem(&w, count, &id, WARD_VAULT_AUDIT_BAD_HEAD,
                        "the head fails its MAC: the log was rewritten or cut off after its last entry");
        }
        ok = walk_chain(db, &w, id, count, err);
    }
    if (ok && since && !w.since_seen)
        problem(&w, 0, since, WARD_VAULT_AUDIT_ROLLED_BACK,
                "the log does not pass through this entry, recorded earlier: the file was rolled back to an "
                "older copy, or replaced");
    free(job.head);
    return ok;
}

/* ---- show -------------------------------------------------------------------- */

bool ward_vault_audit_show(ward_db *db, ward_vault_audit_fn fn, void *ctx, ward_db_error *err)
{
    head_job job = {0};
    if (!db || !fn || !read_head(db, &job, err))
        return false;
    ward_dag_node *nodes = NULL;
    size_t n = 0, cap = 0;
    bool ok = true;
    ward_dag_id id;
    bool more = job.found && job.len == WVAULT_HEAD_BYTES;
    if (more)
        memcpy(id.bytes, job.head, 32);
    uint64_t count = more ? wvault_get_u64(job.head + 32) : 0;
    /* newest to oldest by the parent links (no further than the count:
     * a tampered file may loop), then shown oldest first */
    while (more) {
        if (!wgrow((void **)&nodes, &cap, n + 1, sizeof *nodes)) {
            ward_db_fail(db, err, WARD_DB_ERR_NOMEM, "vault audit", "out of memory");
            ok = false;
            break;
        }
        if (!(ok = ward_dag_get(db, &id, &nodes[n], err)))
            break;
        more = nodes[n].nparents == 1 && n < count;
        if (more)
            id = nodes[n].parents[0];
        n++;
    }
    for (size_t i = n; ok && i-- > 0;) {
        uint64_t seq = 0;
        char *text = malloc(nodes[i].len + 1);
        if (!text) {
            ward_db_fail(db, err, WARD_DB_ERR_NOMEM, "vault audit", "out of memory");
            ok = false;
            break;
        }
        if (nodes[i].len) /* a damaged entry may be empty: no payload at all */
            memcpy(text, nodes[i].payload, nodes[i].len);
        text[nodes[i].len] = 0;
        record_seq(nodes[i].payload, nodes[i].len, &seq);
        bool go = fn(ctx, &nodes[i].id, seq, text);
        free(text);
        if (!go)
            break;
    }
    for (size_t i = 0; i < n; i++)
        ward_dag_node_free(&nodes[i]);
    free(nodes);
    free(job.head);
    return ok;
}
