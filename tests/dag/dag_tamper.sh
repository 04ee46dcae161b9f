#!/usr/bin/env bash
# `ward dag verify` against a database file edited behind ward's back with
# the sqlite3 tool (docs/dag.md, "Verify"; the tables are those of
# src/storage/sqlite_schema.c).  The history, all tips but root's line:
#
#     root - a - b - c          root - d
#                  \ e
#
# Each case edits a fresh copy and checks that verify exits 1 naming
# exactly the affected nodes: an edited payload (that node), a parent link
# re-pointed (the child whose parents changed), a deleted node (its
# children, whose parent links now lead nowhere), an edited id (that node
# and its children, whose parent ids are now other ones).
#   dag_tamper.sh WARD SQLITE3
set -u
ward=$1
sqlite3=$2
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
base=$tmp/base.db

check() { # check DESCRIPTION CONDITION...
    local what=$1
    shift
    if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $what"; fi
}
put() { # put PAYLOAD [PARENT...] -> id
    local payload=$1 args=()
    shift
    for p in "$@"; do args+=(--parent "$p"); done
    printf '%s' "$payload" | "$ward" dag --db "$base" put "${args[@]}"
}

root=$(put root)
a=$(put a "$root")
b=$(put b "$a")
c=$(put c "$b")
e=$(put e "$b")
d=$(put d "$root")
"$ward" dag --db "$base" verify 2>/dev/null
check "the untouched database verifies" test $? = 0

# tamper NAME SQL...: a copy of base edited by the SQL; sets $status and
# $named (the sorted, distinct ids verify reported).
tamper() {
    local name=$1
    shift
    cp "$base" "$tmp/$name.db"
    "$sqlite3" "$tmp/$name.db" "$@" || echo "sqlite3 failed on $name"
    "$ward" dag --db "$tmp/$name.db" verify >"$tmp/$name.out" 2>"$tmp/$name.err"
    status=$?
    named=$(cut -d: -f1 "$tmp/$name.out" | sort -u)
}
ids() { printf '%s\n' "$@" | sort -u; }
row() { echo "(SELECT row FROM dag_node WHERE id = X'$1')"; }

tamper payload "UPDATE dag_node SET payload = X'64646464' WHERE id = X'$d'"
check "edited payload: exit 1 ($status)" test "$status" = 1
check "edited payload: names d alone ($named)" test "$named" = "$d"
check "edited payload: says the content does not match" grep -q 'content does not match' "$tmp/payload.out"

# c's parent b becomes a in the links searches use: b keeps its child e,
# so only c is affected, its links no longer saying what its list says
tamper link "UPDATE dag_edge SET parent = $(row "$a") WHERE child = $(row "$c") AND pos = 0"
check "re-pointed link: exit 1 ($status)" test "$status" = 1
check "re-pointed link: names c alone ($named)" test "$named" = "$c"
check "re-pointed link: one problem, the links" test "$(wc -l <"$tmp/link.out")" = 1
check "re-pointed link: says the links differ" grep -q 'parent links differ' "$tmp/link.out"

# c re-pointed in both its parent list and its link: its id no longer covers it
tamper relist "UPDATE dag_node SET parents = X'$a' WHERE id = X'$c';
    UPDATE dag_edge SET parent = $(row "$a") WHERE child = $(row "$c") AND pos = 0"
check "re-pointed list: exit 1 ($status)" test "$status" = 1
check "re-pointed list: names c alone ($named)" test "$named" = "$c"
check "re-pointed list: content and height" test "$(wc -l <"$tmp/relist.out")" = 2

tamper delete "DELETE FROM dag_node WHERE id = X'$b'"
check "deleted node: exit 1 ($status)" test "$status" = 1
check "deleted node: names its children c and e ($named)" test "$named" = "$(ids "$c" "$e")"
check "deleted node: parent missing" grep -q "^$c: parent missing" "$tmp/delete.out"

tamper id "UPDATE dag_node SET id = X'$(printf '%064d' 0)' WHERE id = X'$b'"
check "edited id: exit 1 ($status)" test "$status" = 1
check "edited id: names it and its children ($named)" test "$named" = "$(ids "$(printf '%064d' 0)" "$c" "$e")"

tamper height "UPDATE dag_node SET height = 7 WHERE id = X'$d'"
check "edited height: exit 1 ($status)" test "$status" = 1
check "edited height: names d ($named)" test "$named" = "$d"
check "edited height: says so" grep -q "^$d: wrong height" "$tmp/height.out"

tamper tip "DELETE FROM dag_tip WHERE row = $(row "$e")"
check "tip mark removed: exit 1 ($status)" test "$status" = 1
check "tip mark removed: names e ($named)" test "$named" = "$e"

# the summary on stderr counts them
check "the summary counts the problems" grep -q '6 nodes, 2 problems' "$tmp/relist.err"

echo "dag_tamper: $passed passed, $failed failed"
[ "$failed" = 0 ]
