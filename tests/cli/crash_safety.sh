#!/usr/bin/env bash
# tests/cli/crash_safety.sh - the workspace survives what can happen to an
# import: SIGKILL in the middle, a full disk (file size limit), a read-only
# workspace file, and another process holding the workspace locked.  In
# every case what was imported before stays byte-for-byte the same
# (ws_checksum), SQLite's integrity check passes, errors are clear and exit
# 3, and the import works once the obstacle is gone.  (A workspace of a
# newer schema is refused in tests/cli/cli_basics.sh.)
. "$(dirname "$0")/../lib.sh"

integrity() {
    python3 -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])' "$1"
}
message_count() {
    python3 -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("select count(*) from messages").fetchone()[0])' "$1"
}

# A trace of N messages between two frames (about 140 bytes a line).
gen_trace() {
    python3 - "$1" "$2" <<'PY'
import sys
n, out = int(sys.argv[1]), open(sys.argv[2], "w")
out.write('{"v":1,"type":"meta","tool":"gen","tool_version":"1",'
          '"start_url":"https://a.example/","started":"2026-11-25T10:00:00Z"}\n'
          '{"v":1,"type":"frame","id":"F1","kind":"top","url":"https://a.example/",'
          '"parent":null,"opener":null,"ts":0}\n'
          '{"v":1,"type":"frame","id":"F2","kind":"iframe","url":"https://w.example/",'
          '"parent":"F1","ts":1}\n')
for i in range(n):
    out.write('{"v":1,"type":"message","id":"M%d","ts":%d,"sender":"F%d",'
              '"receiver":"F%d","target_origin":"*","via":"window",'
              '"data":{"i":%d}}\n' % (i, i + 2, 1 + i % 2, 2 - i % 2, i))
PY
}

ws=$T/ws.pmscope
expect_rc "import the prior state" 0 "$PMSCOPE" import -w "$ws" "$PM_ROOT/tests/data/traces/basic.jsonl"
before=$(ws_checksum "$ws")

# ---- SIGKILL in the middle of a large import ---------------------------
n=${CRASH_MESSAGES:-200000}
gen_trace "$n" "$T/big.jsonl"
"$PMSCOPE_FAST" import -w "$ws" "$T/big.jsonl" >"$T/kill.out" 2>&1 &
pid=$!
# Kill once the import has written to the WAL (its transaction is open).
for _ in $(seq 1 200); do
    [ -s "$ws-wal" ] && [ "$(stat -c %s "$ws-wal")" -gt 1000000 ] && break
    sleep 0.05
done
if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid"
    wait "$pid" 2>/dev/null
    pass "import killed in the middle"
else
    fail "import killed in the middle" "the import finished before the kill: raise CRASH_MESSAGES"
fi
expect_eq "integrity after SIGKILL" "$(integrity "$ws")" "ok"
expect_eq "prior state intact after SIGKILL" "$(ws_checksum "$ws")" "$before"
expect_rc "import again after SIGKILL" 0 "$PMSCOPE_FAST" import -w "$ws" "$T/big.jsonl"
expect_eq "re-run imported every message" "$(message_count "$ws")" "$((n + 3))"
expect_eq "integrity after the re-run" "$(integrity "$ws")" "ok"

# The other cases start from a small workspace (its WAL is gone once
# pmscope has closed it, so the next import's writes start a new WAL).
ws=$T/small.pmscope
small=$PM_ROOT/tests/data/filter/messages.jsonl
expect_rc "import a small prior state" 0 "$PMSCOPE" import -w "$ws" "$PM_ROOT/tests/data/traces/basic.jsonl"
before=$(ws_checksum "$ws")

# ---- disk full: a file size limit (EFBIG; SIGXFSZ must not kill) --------
gen_trace 20000 "$T/mid.jsonl"
OUT=$( (ulimit -f 512; "$PMSCOPE" import -w "$ws" "$T/mid.jsonl") 2>&1)
rc=$?
expect_eq "file size limit: exit 3 (not killed by SIGXFSZ)" "$rc" "3"
expect_match "file size limit: clear error" "$OUT" 'small\.pmscope: .*(File too large|disk is full|No space left|disk I/O error)'
expect_eq "file size limit: integrity" "$(integrity "$ws")" "ok"
expect_eq "file size limit: nothing lost" "$(ws_checksum "$ws")" "$before"

# ---- read-only workspace ----------------------------------------------
# Root ignores file modes, so the file is made immutable (chattr +i); where
# the file system has no such attribute, an unprivileged user meets a
# directory it may not write to.
ro_run() { "$PMSCOPE" import -w "$ws" "$small"; }
if chattr +i "$ws" 2>/dev/null; then
    OUT=$(ro_run 2>&1); rc=$?
    chattr -i "$ws"
    how="immutable file"
elif [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    chmod 0755 "$T"; chmod 0444 "$ws" "$ws"-* 2>/dev/null
    OUT=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$PMSCOPE" \
          import -w "$ws" "$small" 2>&1); rc=$?
    chmod 0600 "$ws"
    how="read-only file, other user"
else
    chmod 0444 "$ws"; OUT=$(ro_run 2>&1); rc=$?; chmod 0600 "$ws"
    how="read-only file"
fi
expect_eq "read-only workspace ($how): exit 3" "$rc" "3"
expect_match "read-only workspace: clear error" "$OUT" 'small\.pmscope: .*(read-?only|Permission denied|not permitted)'
expect_eq "read-only workspace: nothing lost" "$(ws_checksum "$ws")" "$before"

# ---- workspace locked by another process -------------------------------
python3 - "$ws" "$T/locked" <<'PY' &
import os, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
open(sys.argv[2], "w").close()
time.sleep(8)
db.execute("ROLLBACK")
PY
locker=$!
for _ in $(seq 1 100); do [ -f "$T/locked" ] && break; sleep 0.05; done
OUT=$("$PMSCOPE" import -w "$ws" "$small" 2>&1); rc=$?
expect_eq "locked workspace: exit 3" "$rc" "3"
expect_match "locked workspace: clear error" "$OUT" 'locked by another process'
kill "$locker" 2>/dev/null; wait "$locker" 2>/dev/null
expect_eq "locked workspace: nothing lost" "$(ws_checksum "$ws")" "$before"
expect_rc "import once the lock is gone" 0 "$PMSCOPE" import -w "$ws" "$small"
expect_eq "integrity at the end" "$(integrity "$ws")" "ok"
