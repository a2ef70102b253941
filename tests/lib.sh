# tests/lib.sh - helpers for CLI test scripts (sourced).
#
# Each check prints "PASS: name" or "FAIL: name" plus details; tests/run.sh
# counts them.  Scripts run in a fresh temporary directory ($T) that is
# removed on exit.  $PMSCOPE is the binary under test, $PM_ROOT the repo.
set -u
: "${PM_ROOT:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${PMSCOPE:=$PM_ROOT/pmscope}"
: "${PMSCOPE_FAST:=$PMSCOPE}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
unset PMSCOPE_WORKSPACE

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1"; shift; [ $# -gt 0 ] && printf '  %s\n' "$@"; }

# expect_eq NAME ACTUAL EXPECTED
expect_eq() {
    if [ "$2" == "$3" ]; then pass "$1"
    else fail "$1" "expected: $3" "actual:   $2"; fi
}

# expect_rc NAME EXPECTED_RC CMD... (stdout+stderr kept in $OUT)
expect_rc() {
    local name=$1 want=$2; shift 2
    OUT=$("$@" 2>&1); local rc=$?
    if [ "$rc" -eq "$want" ]; then pass "$name"
    else fail "$name" "expected exit $want, got $rc" "$(printf '%s' "$OUT" | head -20)"; fi
}

# expect_match NAME TEXT EXTENDED_REGEX
expect_match() {
    if printf '%s' "$2" | grep -Eq -- "$3"; then pass "$1"
    else fail "$1" "no match for /$3/ in:" "$(printf '%s' "$2" | head -30)"; fi
}

expect_nomatch() {
    if printf '%s' "$2" | grep -Eq -- "$3"; then
        fail "$1" "unexpected match for /$3/ in:" "$(printf '%s' "$2" | head -30)"
    else pass "$1"; fi
}

# expect_golden NAME ACTUAL_TEXT - compares with tests/golden/NAME;
# UPDATE_GOLDEN=1 rewrites the file instead.
expect_golden() {
    local g="$PM_ROOT/tests/golden/$1"
    if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
        printf '%s\n' "$2" > "$g"; pass "$1 (golden rewritten)"; return
    fi
    if [ ! -f "$g" ]; then fail "$1" "missing golden file $g"; return; fi
    local d
    d=$(diff -u "$g" <(printf '%s\n' "$2"))
    if [ -z "$d" ]; then pass "$1"; else fail "$1" "$(printf '%s' "$d" | head -40)"; fi
}

# Checksum of every table's content in a workspace (for rollback tests).
ws_checksum() {
    python3 - "$1" <<'PY'
import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
h = hashlib.sha256()
for (name,) in db.execute("select name from sqlite_master where type='table' order by name"):
    h.update(name.encode())
    rows = db.execute('select * from "%s"' % name.replace('"', '""')).fetchall()
    for row in sorted(rows, key=repr):
        h.update(repr(row).encode())
print(h.hexdigest())
PY
}

# ws_query WS QUERY - the rows of QUERY on the workspace WS, as "a|b|c" lines
ws_query() {
    python3 - "$1" "$2" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for row in db.execute(sys.argv[2]):
    print("|".join("" if v is None else str(v) for v in row))
PY
}
