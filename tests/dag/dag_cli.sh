#!/usr/bin/env bash
# `ward dag` end to end (docs/dag.md, "Command line"): put from stdin and
# from a file, get, has, parents, children, tips, count, is-ancestor, walk
# both ways, verify on a clean database; ids checked against dag_id.py's
# own computation; a put repeated changes nothing; a missing parent, a bad
# id, a missing database and bad usage exit 2 with a message.
#   dag_cli.sh WARD
set -u
ward=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/state.db

check() { # check DESCRIPTION CONDITION...
    local what=$1
    shift
    if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $what"; fi
}

# dag ARGS... (stdin passed on): sets $status, $out and $err.
dag() {
    "$ward" dag --db "$db" "$@" >"$tmp/out" 2>"$tmp/err"
    status=$?
    out=$(cat "$tmp/out")
    err=$(cat "$tmp/err")
}
id_of() { python3 "$here/dag_id.py" "$@"; }

root_id=$(id_of root)
dag put </dev/null
check "put without --db's file creates it: 0 ($status: $err)" test "$status" = 0
empty_id=$(id_of "")
check "empty payload: its id" test "$out" = "$empty_id"
dag put < <(printf root)
check "put from stdin: 0 ($status: $err)" test "$status" = 0
check "put prints the id" test "$out" = "$root_id"
printf left >"$tmp/left"
dag put --parent "$root_id" --file "$tmp/left"
left_id=$(id_of left "$root_id")
check "put --file --parent: the id ($out)" test "$out" = "$left_id"
dag put --parent "$root_id" < <(printf right)
right_id=$(id_of right "$root_id")
check "right: the id" test "$out" = "$right_id"
dag put --parent "$left_id" --parent "$right_id" < <(printf merge)
merge_id=$(id_of merge "$left_id" "$right_id")
check "merge: the id, parents in order" test "$out" = "$merge_id"
dag put --parent "$right_id" --parent "$left_id" < <(printf merge)
check "parents in the other order: another node" test "$out" = "$(id_of merge "$right_id" "$left_id")"
swapped_id=$out

dag count
check "count: 6 ($out)" test "$out" = 6
dag put < <(printf root)
check "put again: same id" test "$out" = "$root_id"
dag count
check "put again: count unchanged ($out)" test "$out" = 6

dag get "$merge_id"
check "get: the payload" test "$out" = merge
dag get --parents "$merge_id"
check "get --parents: in order" test "$out" = "$(printf '%s\n%s' "$left_id" "$right_id")"
dag parents "$merge_id"
check "parents" test "$out" = "$(printf '%s\n%s' "$left_id" "$right_id")"
dag children "$root_id"
check "children: sorted by id" test "$out" = "$(printf '%s\n%s\n' "$left_id" "$right_id" | sort)"
dag tips
check "tips: merge, swapped and the empty node" test "$out" = "$(printf '%s\n%s\n%s\n' "$merge_id" "$swapped_id" "$empty_id" | sort)"
dag has "$merge_id"
check "has: yes, 0" test "$status:$out" = "0:yes"
dag has "$(id_of stranger)"
check "has a stranger: no, 1" test "$status:$out" = "1:no"

dag is-ancestor "$root_id" "$merge_id"
check "root is an ancestor of merge: 0" test "$status:$out" = "0:yes"
dag is-ancestor "$left_id" "$right_id"
check "left is not right's: 1" test "$status:$out" = "1:no"
dag is-ancestor "$merge_id" "$root_id"
check "merge is not root's: 1" test "$status" = 1
dag is-ancestor "$root_id" "$root_id"
check "a node is not its own ancestor" test "$status" = 1

dag walk "$merge_id"
first_two=$(printf '%s\n%s\n' "$left_id" "$right_id" | sort)
want=$(printf '%s 0 2\n%s 1 1\n%s 1 1\n%s 2 0' "$merge_id" $first_two "$root_id")
check "walk toward the roots: id depth height, topological" test "$out" = "$want"
dag walk "$merge_id" --depth 1
check "walk --depth 1: 3 nodes" test "$(echo "$out" | wc -l)" = 3
dag walk "$merge_id" --breadth 1
check "walk --breadth 1: 3 nodes ($out)" test "$(echo "$out" | wc -l)" = 3
check "walk --breadth 1: says it cut ($err)" grep -q 'more than 1 nodes' "$tmp/err"
dag walk "$root_id" --children --depth 1
check "walk --children: root then its children" test "$(echo "$out" | head -1)" = "$root_id 0 0"
check "walk --children: 3 nodes" test "$(echo "$out" | wc -l)" = 3

dag verify
check "verify a clean database: 0 ($status: $out $err)" test "$status" = 0
check "verify: counts the nodes ($err)" grep -q '6 nodes, 0 problems' "$tmp/err"

# errors: exit 2 with a message that says what
missing=$(id_of nowhere)
dag put --parent "$missing" < <(printf orphan)
check "missing parent: 2 ($status)" test "$status" = 2
check "missing parent: names the database ($err)" grep -q "$db" "$tmp/err"
check "missing parent: says parent ($err)" grep -qi 'parent' "$tmp/err"
dag count
check "missing parent: nothing stored" test "$out" = 6
dag get "$missing"
check "get a stranger: 2 ($status: $err)" test "$status" = 2
dag get xyz
check "bad id: 2" test "$status" = 2
check "bad id: says so ($err)" grep -q 'not a node id' "$tmp/err"
dag frobnicate
check "unknown command: 2" test "$status" = 2
dag walk "$root_id" --depth x
check "bad depth: 2" test "$status" = 2
"$ward" dag tips >/dev/null 2>"$tmp/err"
check "no --db: 2" test $? = 2
"$ward" dag --db "$tmp/none.db" tips >/dev/null 2>"$tmp/err"
check "a database that is not there: 2" test $? = 2
check "a database that is not there: not created" test ! -e "$tmp/none.db"
"$ward" dag --db "$tmp/left" count >/dev/null 2>"$tmp/err"
status=$?
check "not a database: 2 ($(cat "$tmp/err"))" test "$status" = 2
"$ward" dag --help >"$tmp/out"
check "--help lists the commands" grep -q 'is-ancestor' "$tmp/out"

echo "dag_cli: $passed passed, $failed failed"
[ "$failed" = 0 ]
