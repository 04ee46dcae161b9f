# Sourced by the shell tests of the command line (usage: TEST.sh WARD
# BUILD_DIR ...): WARD and B (the build's test directory) as absolute
# paths, a scratch directory T made current (kept when KEEP names one),
# and the counters.  The test prints "NAME: $pass passed, $fail failed".
set -u
WARD=$(realpath "$1") B=$(realpath "$2")
T=${KEEP:-$(mktemp -d)}
[ -n "${KEEP:-}" ] || trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
# expect STATUS PATTERN CMD...: the exit status, and a line of stdout+stderr
# (left in ./out) matching PATTERN; stdin is /dev/null
expect() {
    want=$1 pat=$2
    shift 2
    "$@" >out 2>&1 </dev/null
    got=$?
    if [ "$got" != "$want" ]; then bad "exit $got (not $want): $* :: $(cat out)"; return; fi
    if [ -n "$pat" ] && ! grep -q -- "$pat" out; then bad "no \"$pat\" in: $* :: $(cat out)"; return; fi
    ok
}
hex() { od -An -v -tx1 "$1" | tr -d ' \n'; }
