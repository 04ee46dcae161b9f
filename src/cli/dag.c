/*
 * `ward dag --db FILE COMMAND ...`: the DAG of a database from the command
 * line (docs/dag.md, "Command line").  One table row per command; each
 * parses its own arguments and prints ids as 64 hex digits.  Exit status:
 * 0 done (or yes), 1 no (has, is-ancestor) or problems found (verify),
 * 2 bad usage, unreadable input or a database error (its message names the
 * file and the operation).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ward_dag.h"

enum { DAG_NO = 1 };
#define DAG_DEFAULT_DEPTH 100u

static int dag_usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "ward dag: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    return CLI_EXIT_USAGE;
}

static int db_failed(const ward_db_error *err)
{
    fprintf(stderr, "ward dag: %s\n", err->message);
    return CLI_EXIT_USAGE;
}

static bool parse_id(const char *text, ward_dag_id *id)
{
    if (ward_dag_id_from_hex(text, id))
        return true;
    dag_usage_error("\"%s\" is not a node id (64 hex digits)", text);
    return false;
}

static void print_id(const ward_dag_id *id)
{
    char hex[2 * WARD_DAG_ID_BYTES + 1];
    ward_dag_id_to_hex(id, hex);
    printf("%s\n", hex);
}

static int print_ids(const ward_dag_ids *ids)
{
    for (size_t i = 0; i < ids->count; i++)
        print_id(&ids->ids[i]);
    return CLI_EXIT_OK;
}

/* A count for --depth / --breadth: decimal, up to UINT32_MAX. */
static bool parse_u32(const char *opt, const char *text, uint32_t *out)
{
    char *end = NULL;
    errno = 0;
    bool digits = text[0] >= '0' && text[0] <= '9';
    unsigned long long v = digits ? strtoull(text, &end, 10) : 0;
    if (!digits || errno || *end || v > UINT32_MAX) {
        fprintf(stderr, "ward dag: %s needs a count, not \"%s\"\n", opt, text);
        return false;
    }
    *out = (uint32_t)v;
    return true;
}

/* ---- put ----------------------------------------------------------------- */

/* All of stdin, at most one byte over the payload limit (so an oversized
 * input is refused by the limit, not read to its end). */
static uint8_t *read_stdin(size_t *size)
{
    size_t cap = 1 << 16, len = 0, limit = (size_t)WARD_DAG_MAX_PAYLOAD + 1;
    uint8_t *buf = malloc(cap);
    while (buf && len < limit) {
        if (len == cap) {
            uint8_t *grown = realloc(buf, cap * 2);
            if (!grown)
                break;
            buf = grown;
            cap *= 2;
        }
        size_t want = cap - len < limit - len ? cap - len : limit - len;
        size_t got = fread(buf + len, 1, want, stdin);
        len += got;
        if (got < want) {
            if (ferror(stdin)) {
                fprintf(stderr, "ward dag: put: cannot read stdin: %s\n", strerror(errno));
                free(buf);
                return NULL;
            }
            *size = len;
            return buf;
        }
    }
    if (buf && len >= limit) {
        *size = len;
        return buf;
    }
    free(buf);
    fprintf(stderr, "ward dag: put: out of memory reading stdin\n");
    return NULL;
}

typedef struct put_args {
    ward_dag_id *parents;
    size_t nparents;
    const char *file;           /* NULL: stdin */
} put_args;

static bool parse_put(int argc, char **argv, put_args *a)
{
    for (int i = 1; i < argc; i++) {
        bool has_value = i + 1 < argc;
        if (strcmp(argv[i], "--parent") == 0 && has_value) {
            ward_dag_id *grown = realloc(a->parents, (a->nparents + 1) * sizeof *grown);
            if (!grown)
                return false;
            a->parents = grown;
            if (!parse_id(argv[++i], &a->parents[a->nparents++]))
                return false;
        } else if (strcmp(argv[i], "--file") == 0 && has_value && !a->file) {
            a->file = argv[++i];
        } else {
            bool needs = strcmp(argv[i], "--parent") == 0 || strcmp(argv[i], "--file") == 0;
            dag_usage_error(needs && !has_value ? "put: %s needs a value" : "put: unexpected argument \"%s\"",
                            argv[i]);
            return false;
        }
    }
    return true;
}

static int dag_put(ward_db *db, int argc, char **argv)
{
    put_args a = {0};
    int status = CLI_EXIT_USAGE;
    size_t len = 0;
    uint8_t *payload = NULL;
    if (parse_put(argc, argv, &a))
        payload = a.file ? cli_read_file("ward dag: put", a.file, &len) : read_stdin(&len);
    if (payload) {
        ward_dag_id id;
        ward_db_error err;
        if (ward_dag_put(db, payload, len, a.parents, a.nparents, &id, NULL, &err)) {
            print_id(&id);
            status = CLI_EXIT_OK;
        } else {
            status = db_failed(&err);
        }
    }
    free(payload);
    free(a.parents);
    return status;
}

/* ---- reading single nodes ------------------------------------------------ */

static int dag_get(ward_db *db, int argc, char **argv)
{
    bool parents = argc == 3 && strcmp(argv[1], "--parents") == 0;
    if (argc != 2 && !parents)
        return dag_usage_error("get: usage: get [--parents] ID%s", "");
    ward_dag_id id;
    if (!parse_id(argv[argc - 1], &id))
        return CLI_EXIT_USAGE;
    ward_dag_node node;
    ward_db_error err;
    if (!ward_dag_get(db, &id, &node, &err))
        return db_failed(&err);
    int status = CLI_EXIT_OK;
    if (parents) {
        for (size_t i = 0; i < node.nparents; i++)
            print_id(&node.parents[i]);
    } else if (node.len && fwrite(node.payload, 1, node.len, stdout) != node.len) {
        fprintf(stderr, "ward dag: get: cannot write the payload: %s\n", strerror(errno));
        status = CLI_EXIT_USAGE;
    }
    ward_dag_node_free(&node);
    return status;
}

/* COMMAND ID: the one argument as an id. */
static bool one_id(int argc, char **argv, ward_dag_id *id)
{
    if (argc != 2) {
        dag_usage_error("%s takes one node id", argv[0]);
        return false;
    }
    return parse_id(argv[1], id);
}

static int dag_has(ward_db *db, int argc, char **argv)
{
    ward_dag_id id;
    bool has = false;
    ward_db_error err;
    if (!one_id(argc, argv, &id))
        return CLI_EXIT_USAGE;
    if (!ward_dag_has(db, &id, &has, &err))
        return db_failed(&err);
    printf("%s\n", has ? "yes" : "no");
    return has ? CLI_EXIT_OK : DAG_NO;
}

static int dag_parents(ward_db *db, int argc, char **argv)
{
    ward_dag_id id;
    ward_dag_ids ids = {0};
    ward_db_error err;
    if (!one_id(argc, argv, &id))
        return CLI_EXIT_USAGE;
    if (!ward_dag_parents(db, &id, &ids, &err))
        return db_failed(&err);
    int status = print_ids(&ids);
    ward_dag_ids_free(&ids);
    return status;
}

static int dag_children(ward_db *db, int argc, char **argv)
{
    ward_dag_id id;
    ward_dag_ids ids = {0};
    ward_db_error err;
    if (!one_id(argc, argv, &id))
        return CLI_EXIT_USAGE;
    if (!ward_dag_children(db, &id, 0, &ids, &err))
        return db_failed(&err);
    int status = print_ids(&ids);
    ward_dag_ids_free(&ids);
    return status;
}

static int dag_tips(ward_db *db, int argc, char **argv)
{
    ward_dag_ids ids = {0};
    ward_db_error err;
    (void)argv;
    if (argc != 1)
        return dag_usage_error("tips takes no arguments%s", "");
    if (!ward_dag_tips(db, 0, &ids, &err))
        return db_failed(&err);
    int status = print_ids(&ids);
    ward_dag_ids_free(&ids);
    return status;
}

static int dag_count(ward_db *db, int argc, char **argv)
{
    uint64_t n = 0;
    ward_db_error err;
    if (argc != 1)
        return dag_usage_error("count takes no arguments%s", "");
    (void)argv;
    if (!ward_dag_count(db, &n, &err))
        return db_failed(&err);
    printf("%" PRIu64 "\n", n);
    return CLI_EXIT_OK;
}

static int dag_is_ancestor(ward_db *db, int argc, char **argv)
{
    ward_dag_id a, b;
    bool yes = false;
    ward_db_error err;
    if (argc != 3)
        return dag_usage_error("is-ancestor takes two node ids: A B%s", "");
    if (!parse_id(argv[1], &a) || !parse_id(argv[2], &b))
        return CLI_EXIT_USAGE;
    if (!ward_dag_is_ancestor(db, &a, &b, &yes, &err))
        return db_failed(&err);
    printf("%s\n", yes ? "yes" : "no");
    return yes ? CLI_EXIT_OK : DAG_NO;
}

/* ---- walk ---------------------------------------------------------------- */

static bool parse_walk(int argc, char **argv, ward_dag_id *start, ward_dag_walk_limits *limits)
{
    const char *id = NULL;
    *limits = (ward_dag_walk_limits){WARD_DAG_TO_PARENTS, DAG_DEFAULT_DEPTH, 0};
    for (int i = 1; i < argc; i++) {
        bool has_value = i + 1 < argc;
        if (strcmp(argv[i], "--children") == 0)
            limits->direction = WARD_DAG_TO_CHILDREN;
        else if (strcmp(argv[i], "--depth") == 0 && has_value) {
            if (!parse_u32("--depth", argv[++i], &limits->max_depth))
                return false;
        } else if (strcmp(argv[i], "--breadth") == 0 && has_value) {
            if (!parse_u32("--breadth", argv[++i], &limits->max_breadth))
                return false;
        } else if (argv[i][0] != '-' && !id) {
            id = argv[i];
        } else {
            dag_usage_error("walk: unexpected argument \"%s\"", argv[i]);
            return false;
        }
    }
    if (!id)
        dag_usage_error("walk needs a node id%s", "");
    return id && parse_id(id, start);
}

/* One line per node: id, depth, height. */
static int dag_walk(ward_db *db, int argc, char **argv)
{
    ward_dag_id start;
    ward_dag_walk_limits limits;
    if (!parse_walk(argc, argv, &start, &limits))
        return CLI_EXIT_USAGE;
    ward_dag_walk walk = {0};
    ward_db_error err;
    if (!ward_dag_walk_from(db, &start, &limits, &walk, &err))
        return db_failed(&err);
    for (size_t i = 0; i < walk.count; i++) {
        char hex[2 * WARD_DAG_ID_BYTES + 1];
        ward_dag_id_to_hex(&walk.entries[i].id, hex);
        printf("%s %" PRIu32 " %" PRIu64 "\n", hex, walk.entries[i].depth, walk.entries[i].height);
    }
    if (walk.truncated)
        fprintf(stderr, "ward dag: walk: a depth had more than %" PRIu32 " nodes: the first by id are listed\n",
                limits.max_breadth ? limits.max_breadth : 1024);
    ward_dag_walk_free(&walk);
    return CLI_EXIT_OK;
}

/* ---- verify -------------------------------------------------------------- */

static const char *problem_name(ward_dag_problem p)
{
    static const char *const names[] = {
        [WARD_DAG_BAD_ID] = "content does not match its id",
        [WARD_DAG_BAD_PARENT] = "parent missing",
        [WARD_DAG_BAD_HEIGHT] = "wrong height",
        [WARD_DAG_BAD_TIP] = "wrong tip mark",
    };
    size_t k = (size_t)p;
    return k < sizeof names / sizeof names[0] && names[k] ? names[k] : "problem";
}

static void report_problem(void *ctx, const ward_dag_id *id, ward_dag_problem problem, const char *detail)
{
    (void)ctx;
    char hex[2 * WARD_DAG_ID_BYTES + 1];
    ward_dag_id_to_hex(id, hex);
    printf("%s: %s%s%s\n", hex, problem_name(problem), detail && *detail ? ": " : "", detail ? detail : "");
}

static int dag_verify(ward_db *db, int argc, char **argv)
{
    (void)argv;
    if (argc != 1)
        return dag_usage_error("verify takes no arguments%s", "");
    ward_dag_verify_stats stats = {0};
    ward_db_error err;
    if (!ward_dag_verify(db, report_problem, NULL, &stats, &err))
        return db_failed(&err);
    fprintf(stderr, "ward dag: verify: %" PRIu64 " nodes, %" PRIu64 " problems\n", stats.nodes, stats.problems);
    return stats.problems ? DAG_NO : CLI_EXIT_OK;
}

/* ---- dispatch ------------------------------------------------------------ */

static const cli_db_command dag_commands[] = {
    {"put", true, dag_put, "put [--parent ID]... [--file F]   store F (or stdin); print its id"},
    {"get", false, dag_get, "get [--parents] ID                the payload (or the parent ids)"},
    {"has", false, dag_has, "has ID                            yes (exit 0) or no (exit 1)"},
    {"parents", false, dag_parents, "parents ID                        parent ids, in the node's order"},
    {"children", false, dag_children, "children ID                       child ids"},
    {"tips", false, dag_tips, "tips                              the nodes without children"},
    {"count", false, dag_count, "count                             the number of nodes"},
    {"is-ancestor", false, dag_is_ancestor, "is-ancestor A B                   yes (exit 0) or no (exit 1)"},
    {"walk", false, dag_walk,
     "walk ID [--children] [--depth N] [--breadth N]\n"
     "                                    id, depth, height per node (depth default 100)"},
    {"verify", false, dag_verify, "verify                            recheck every node (exit 1 on problems)"},
};

static const cli_db_tool dag_tool = {
    .name = "dag",
    .synopsis = "usage: ward dag --db FILE COMMAND ...",
    .db_hint = "--db FILE",
    .commands = dag_commands,
    .ncommands = sizeof dag_commands / sizeof dag_commands[0],
};

int cli_dag(int argc, char **argv)
{
    return cli_db_tool_main(&dag_tool, argc, argv);
}
