/* tests/real/run_real.sh: SQLite (the amalgamation shipped in npm's
 * better-sqlite3) on a database file in a preopened directory: a 200,000-row
 * insert in one transaction, an index, aggregates and range queries. */
#include <stdio.h>
#include <stdlib.h>
#include "sqlite3.h"
static int print_row(void *u, int n, char **v, char **c) { (void)u; for (int i = 0; i < n; i++) printf("%s=%s%s", c[i], v[i] ? v[i] : "NULL", i + 1 < n ? " " : "\n"); return 0; }
static void run(sqlite3 *db, const char *sql) { char *err = NULL; if (sqlite3_exec(db, sql, print_row, NULL, &err) != SQLITE_OK) { printf("error: %s\n", err); sqlite3_free(err); exit(1); } }
int main(int argc, char **argv) {
    sqlite3 *db;
    if (sqlite3_open(argc > 1 ? argv[1] : "test.db", &db) != SQLITE_OK) { printf("open failed: %s\n", sqlite3_errmsg(db)); return 1; }
    run(db, "PRAGMA journal_mode=DELETE; DROP TABLE IF EXISTS t; CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, v REAL);");
    run(db, "BEGIN; WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<200000) INSERT INTO t(name, v) SELECT printf('n%06d', x), x * 0.5 FROM c; COMMIT;");
    run(db, "CREATE INDEX tv ON t(v);");
    run(db, "SELECT count(*), sum(v), min(name), max(name), avg(length(name)) FROM t;");
    run(db, "SELECT name, v FROM t WHERE v BETWEEN 1000 AND 1001.5 ORDER BY v DESC;");
    run(db, "SELECT substr(name,1,3) AS p, count(*) AS c FROM t GROUP BY p ORDER BY c DESC LIMIT 3;");
    sqlite3_close(db);
    return 0;
}
