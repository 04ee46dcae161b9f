#!/usr/bin/env bash
# The C guest dag_guest.c under `ward run --dag DB` (docs/dag.md): its
# whole output against the expected text, with every id computed by
# dag_id.py; then `ward dag` reads what the guest wrote; a module that
# imports ward:dag without --dag is refused; --stats shows the calls cost
# fuel.
#   dag_guest.sh WARD DAG_GUEST.wasm
set -u
ward=$1
wasm=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() { # check DESCRIPTION CONDITION...
    local what=$1
    shift
    if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $what"; fi
}
id_of() { python3 "$here/dag_id.py" "$@"; }

root=$(id_of root)
left=$(id_of left "$root")
right=$(id_of right "$root")
merge=$(id_of merge "$left" "$right")
lone=$(id_of merge)
# left and right have one height: walks list them by id
if [[ "$left" < "$right" ]]; then first=left; second=right; else first=right; second=left; fi
cat >"$tmp/want" <<END
root $root
left $left
right $right
merge $merge
count: 0 4
tips: 0 1 merge
parents of merge: 0 left right
children of root in room for 1: -4
children of root: 0 2
is_ancestor root merge: 1
is_ancestor left merge: 1
is_ancestor left right: 0
is_ancestor merge root: 0
is_ancestor root root: 0
walk merge parents: 0, 4 nodes
  merge depth 0 height 2
  $first depth 1 height 1
  $second depth 1 height 1
  root depth 2 height 0
walk root children: 0, 4 nodes
  root depth 0 height 0
  $first depth 1 height 1
  $second depth 1 height 1
  merge depth 2 height 2
get merge into 2 bytes: -4, length 5
get merge: 0 "merge"
has merge: 1
has stranger: 0
get stranger: -2
put on stranger: -3
put "merge" without parents: 0
lone $lone
put with a parent twice: -1
put root again: 0 same id
count: 0 5
END

"$ward" run --stats --dag "$tmp/g.db" "$wasm" >"$tmp/out" 2>"$tmp/err"
status=$?
check "run --dag: 0 ($status: $(cat "$tmp/err"))" test "$status" = 0
if ! diff "$tmp/want" "$tmp/out" >"$tmp/diff"; then cat "$tmp/diff"; fi
check "the guest's output is the expected one" cmp -s "$tmp/want" "$tmp/out"
fuel=$(sed -n 's/^fuel consumed: //p' "$tmp/err")
# 26 calls at >= 3000 each (docs/dag.md), besides the guest's own code
check "the calls cost fuel ($fuel)" test "${fuel:-0}" -gt 100000

"$ward" dag --db "$tmp/g.db" tips >"$tmp/out"
check "ward dag reads the guest's nodes" test "$(cat "$tmp/out")" = "$(printf '%s\n%s\n' "$merge" "$lone" | sort)"
"$ward" dag --db "$tmp/g.db" verify 2>/dev/null
check "what the guest wrote verifies" test $? = 0

"$ward" run "$wasm" >/dev/null 2>"$tmp/err"
status=$?
check "without --dag: 126 ($status)" test "$status" = 126
check "without --dag: says why ($(cat "$tmp/err"))" grep -q -- '--dag' "$tmp/err"
"$ward" run --fuel 50000 --dag "$tmp/g2.db" "$wasm" >/dev/null 2>"$tmp/err"
status=$?
check "too little fuel: a trap, 134 ($status)" test "$status" = 134
check "too little fuel: out of fuel" grep -q 'out of fuel' "$tmp/err"

echo "dag_guest: $passed passed, $failed failed"
[ "$failed" = 0 ]
