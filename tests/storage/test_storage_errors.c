/*
 * A database ward must not or cannot write: a newer schema, another
 * program's SQLite file, a file that is not SQLite, a damaged file, a full
 * disk, a read-only file.  Each is a clear error record, and the data that
 * was there is left as it was.
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../test.h"
#include "ward_dag.h"

static char dir[] = "/tmp/ward-dberr-XXXXXX";

static void path_of(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
}

/* The whole file, to show it was not changed (malloc'd). */
static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc(n > 0 ? (size_t)n : 1);
    *len = buf ? fread(buf, 1, (size_t)n, f) : 0;
    fclose(f);
    return buf;
}

static bool unchanged(const char *path, const unsigned char *before, size_t len)
{
    size_t now_len;
    unsigned char *now = slurp(path, &now_len);
    bool same = now && now_len == len && memcmp(now, before, len) == 0;
    free(now);
    return same;
}

/* A ward database with n chained nodes, closed again. */
static void make_db(const char *path, int n)
{
    ward_db_error err;
    ward_db *db = ward_db_open(path, NULL, &err);
    CHECK_MSG(db != NULL, "%s", err.message);
    if (!db)
        return;
    ward_db_begin(db, &err);
    ward_dag_id prev, id;
    char payload[200];
    for (int i = 0; i < n; i++) {
        memset(payload, 'a' + i % 26, sizeof payload);
        snprintf(payload, 32, "node %d", i);
        CHECK(ward_dag_put(db, (const uint8_t *)payload, sizeof payload, i ? &prev : NULL, i ? 1 : 0, &id, NULL,
                           &err));
        prev = id;
    }
    CHECK(ward_db_commit(db, &err));
    ward_db_close(db);
}

static void sql_on(const char *path, const char *sql)
{
    sqlite3 *s = NULL;
    CHECK(sqlite3_open(path, &s) == SQLITE_OK);
    CHECK_MSG(sqlite3_exec(s, sql, NULL, NULL, NULL) == SQLITE_OK, "%s", sqlite3_errmsg(s));
    sqlite3_close(s);
}

/* Open must fail with kind and a message containing text, touching nothing. */
static void refused_untouched(const char *path, ward_db_error_kind kind, const char *text)
{
    size_t len;
    unsigned char *before = slurp(path, &len);
    ward_db_error err;
    ward_db *db = ward_db_open(path, NULL, &err);
    CHECK_MSG(db == NULL && err.kind == kind, "kind %s: %s", ward_db_error_kind_name(err.kind), err.message);
    CHECK_CONTAINS(err.message, text);
    CHECK_CONTAINS(err.message, path);
    ward_db_close(db);
    CHECK(before && unchanged(path, before, len));
    free(before);
}

static void test_newer_schema(void)
{
    char path[256];
    path_of(path, sizeof path, "newer.db");
    make_db(path, 10);
    sql_on(path, "PRAGMA user_version = 99");
    refused_untouched(path, WARD_DB_ERR_NEWER_SCHEMA, "schema version 99 is newer");
}

static void test_foreign_files(void)
{
    char path[256];
    path_of(path, sizeof path, "other.db");
    sql_on(path, "CREATE TABLE accounts (name TEXT); INSERT INTO accounts VALUES ('x')");
    refused_untouched(path, WARD_DB_ERR_NOT_DATABASE, "another program");

    path_of(path, sizeof path, "text.db");
    FILE *f = fopen(path, "w");
    for (int i = 0; i < 100; i++)
        fputs("this is not a database at all\n", f);
    fclose(f);
    refused_untouched(path, WARD_DB_ERR_NOT_DATABASE, "not a database");

    ward_db_error err;
    path_of(path, sizeof path, "no/such/dir.db");
    CHECK(ward_db_open(path, NULL, &err) == NULL && err.kind == WARD_DB_ERR_CANTOPEN);
    ward_db_options ro;
    ward_db_options_default(&ro);
    ro.read_only = true;
    path_of(path, sizeof path, "absent.db");
    CHECK(ward_db_open(path, &ro, &err) == NULL && err.kind == WARD_DB_ERR_CANTOPEN);
    CHECK(access(path, F_OK) != 0); /* a read-only open creates nothing */
}

/* Garbage over pages in the middle: operations report corruption, no
 * crash, and reading does not write. */
static void test_corrupted(void)
{
    char path[256];
    path_of(path, sizeof path, "corrupt.db");
    make_db(path, 400);
    int fd = open(path, O_WRONLY);
    CHECK(fd >= 0);
    unsigned char junk[4096 * 3];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (unsigned char)(i * 37 + 11);
    CHECK(pwrite(fd, junk, sizeof junk, 4096 * 6) == (ssize_t)sizeof junk);
    close(fd);
    size_t len;
    unsigned char *before = slurp(path, &len);

    ward_db_error err;
    ward_db *db = ward_db_open(path, NULL, &err);
    if (db) { /* the header is intact: the damage shows on reading */
        bool ok = true;
        CHECK(ward_db_integrity_check(db, &ok, &err) && !ok);
        ward_dag_verify_stats stats;
        bool verified = ward_dag_verify(db, NULL, NULL, &stats, &err);
        CHECK_MSG(!verified || stats.problems > 0, "verify passed a damaged file");
        if (!verified) {
            CHECK_MSG(err.kind == WARD_DB_ERR_CORRUPT, "%s", err.message);
            CHECK_CONTAINS(err.message, "dag verify");
        }
        uint64_t count;
        if (!ward_dag_count(db, &count, &err))
            CHECK(err.kind == WARD_DB_ERR_CORRUPT);
        ward_db_close(db);
    } else {
        CHECK_MSG(err.kind == WARD_DB_ERR_CORRUPT || err.kind == WARD_DB_ERR_NOT_DATABASE, "%s", err.message);
    }
    CHECK(unchanged(path, before, len));
    free(before);

    /* a damaged header is refused at open */
    path_of(path, sizeof path, "header.db");
    make_db(path, 5);
    fd = open(path, O_WRONLY);
    CHECK(pwrite(fd, "garbage!garbage!", 16, 0) == 16);
    close(fd);
    refused_untouched(path, WARD_DB_ERR_NOT_DATABASE, "not a database");
}

/* A writer whose file may not grow past a limit (a full disk to SQLite):
 * the put that does not fit fails FULL, the ones before it all stay. */
static void test_full_disk(void)
{
    char path[256];
    path_of(path, sizeof path, "full.db");
    make_db(path, 1);
    int pipefd[2];
    CHECK(pipe(pipefd) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        close(pipefd[0]);
        signal(SIGXFSZ, SIG_IGN); /* a write past the limit fails EFBIG instead */
        struct rlimit lim = {1 << 20, 1 << 20};
        setrlimit(RLIMIT_FSIZE, &lim);
        ward_db_error err;
        ward_db *db = ward_db_open(path, NULL, &err);
        if (!db)
            _exit(3);
        static uint8_t payload[50000];
        int stored = 0;
        for (int i = 0; i < 1000; i++) {
            memcpy(payload, &i, sizeof i);
            ward_dag_id id;
            if (!ward_dag_put(db, payload, sizeof payload, NULL, 0, &id, NULL, &err))
                break;
            stored++;
        }
        if (write(pipefd[1], &stored, sizeof stored) != sizeof stored ||
            write(pipefd[1], &err, sizeof err) != sizeof err)
            _exit(4);
        ward_db_close(db);
        _exit(0);
    }
    close(pipefd[1]);
    int stored = -1;
    ward_db_error child_err;
    memset(&child_err, 0, sizeof child_err);
    CHECK(read(pipefd[0], &stored, sizeof stored) == sizeof stored);
    CHECK(read(pipefd[0], &child_err, sizeof child_err) == sizeof child_err);
    close(pipefd[0]);
    int status;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK_MSG(stored > 0 && stored < 1000 && child_err.kind == WARD_DB_ERR_FULL, "stored %d, %s", stored,
              child_err.message);
    CHECK_CONTAINS(child_err.message, "dag put");

    ward_db_error err;
    ward_db *db = ward_db_open(path, NULL, &err);
    CHECK_MSG(db != NULL, "%s", err.message);
    if (!db)
        return;
    bool ok = false;
    CHECK(ward_db_integrity_check(db, &ok, &err) && ok);
    uint64_t count = 0;
    CHECK(ward_dag_count(db, &count, &err) && count == (uint64_t)stored + 1);
    ward_dag_verify_stats stats;
    CHECK(ward_dag_verify(db, NULL, NULL, &stats, &err) && stats.problems == 0);
    ward_db_close(db);
}

static void check_read_only_db(const char *path, bool opened_read_only)
{
    ward_db_error err;
    ward_db_options o;
    ward_db_options_default(&o);
    o.read_only = opened_read_only;
    ward_db *db = ward_db_open(path, &o, &err);
    CHECK_MSG(db != NULL, "%s", err.message);
    if (!db)
        return;
    uint64_t count = 0;
    CHECK(ward_dag_count(db, &count, &err) && count == 3);
    ward_dag_id id;
    CHECK(!ward_dag_put(db, (const uint8_t *)"new", 3, NULL, 0, &id, NULL, &err));
    CHECK_MSG(err.kind == WARD_DB_ERR_READONLY, "%s", err.message);
    CHECK_CONTAINS(err.message, "dag put");
    ward_db_close(db);
}

static void test_read_only(void)
{
    char path[256];
    path_of(path, sizeof path, "ro.db");
    make_db(path, 3);
    size_t len;
    unsigned char *before = slurp(path, &len);
    check_read_only_db(path, true);
    CHECK(unchanged(path, before, len));

    /* a file the process may not write: root drops to nobody to see it */
    CHECK(chmod(path, 0444) == 0);
    CHECK(chmod(dir, 0777) == 0); /* room for the WAL index */
    pid_t pid = fork();
    if (pid == 0) {
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(5);
        check_read_only_db(path, false);
        _exit(test_counts_.failed ? 1 : 0);
    }
    int status;
    waitpid(pid, &status, 0);
    CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "read-only child: status %d", status);
    CHECK(unchanged(path, before, len));
    free(before);
}

/* A file that is not there, opened without create, or under a path that
 * is not a directory: CANTOPEN saying why (SQLite alone says only "unable
 * to open database file"), and nothing created. */
static void test_missing_file(void)
{
    char path[256];
    path_of(path, sizeof path, "missing.db");
    ward_db_options opts;
    ward_db_options_default(&opts);
    opts.create = false;
    ward_db_error err;
    ward_db *db = ward_db_open(path, &opts, &err);
    CHECK_MSG(db == NULL && err.kind == WARD_DB_ERR_CANTOPEN, "kind %s: %s", ward_db_error_kind_name(err.kind),
              err.message);
    CHECK_CONTAINS(err.message, path);
    CHECK_CONTAINS(err.message, "No such file or directory");
    CHECK_CONTAINS(err.message, "created only by a command that writes");
    CHECK(access(path, F_OK) != 0);
    ward_db_close(db);

    char under[300];
    make_db(path, 1);
    snprintf(under, sizeof under, "%s/inner.db", path);
    db = ward_db_open(under, NULL, &err);
    CHECK_MSG(db == NULL && err.kind == WARD_DB_ERR_CANTOPEN, "kind %s: %s", ward_db_error_kind_name(err.kind),
              err.message);
    CHECK_CONTAINS(err.message, "Not a directory");
    ward_db_close(db);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_newer_schema();
    test_foreign_files();
    test_corrupted();
    test_full_disk();
    test_read_only();
    test_missing_file();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "chmod -R u+w %s; rm -rf %s", dir, dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return test_summary("storage_errors");
}
