#!/usr/bin/env bash
# findings.sh - the findings workflow from the command line: mark, unmark,
# note, confirm, dismiss and `ls findings`, on a real imported trace; every
# action is written at once (another process sees it), a locked workspace
# fails cleanly, and bad input gives usage or not-found errors.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
D=$PM_ROOT/tests/data/export
W=(-w ws.pmscope)

cp "$D/basic.jsonl" .
expect_rc "import" 0 "$PMSCOPE" import -q "${W[@]}" basic.jsonl
python3 "$D/prepare.py" ws.pmscope basic    # one suggested finding: id 1
count() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' ws.pmscope "$1"; }

expect_rc "mark message" 0 "$PMSCOPE" mark "${W[@]}" message 1 --severity high --note "first note"
expect_eq "mark prints id" "$OUT" "finding 2 added"
expect_eq "written at once" "$(count "select severity||','||status||','||note from findings where id=2")" "high,confirmed,first note"
expect_rc "mark again updates" 0 "$PMSCOPE" mark "${W[@]}" message 1 -s low
expect_eq "update message" "$OUT" "finding 2 updated"
expect_eq "no duplicate" "$(count "select count(*) from findings where subject_kind='message' and subject_id=1")" "1"
expect_eq "update keeps note, changes severity" "$(count "select severity||','||note from findings where id=2")" "low,first note"
expect_rc "default title" 0 "$PMSCOPE" ls "${W[@]}" findings
expect_match "title describes subject" "$OUT" "message 1 https://shop.example -> https://pay.widget.example"

expect_rc "mark listener with prefix severity" 0 "$PMSCOPE" mark "${W[@]}" listener 1 -s crit --title "indexOf check"
expect_rc "mark send-site spelling" 1 "$PMSCOPE" mark "${W[@]}" send-site 1
expect_match "send site not found" "$OUT" "no send_site 1"
expect_rc "mark window" 0 "$PMSCOPE" mark "${W[@]}" window 2
expect_eq "default severity medium" "$(count "select severity from findings where subject_kind='window'")" "medium"
expect_rc "mark edge by origins" 0 "$PMSCOPE" mark "${W[@]}" edge 'https://LOGIN.example/x->https://shop.example' -s info
expect_eq "edge key" "$(count "select subject_id||' '||subject_key from findings where subject_kind='edge'")" "3 3>1"
expect_rc "mark edge by ids updates" 0 "$PMSCOPE" mark "${W[@]}" edge '3>1' -s low
expect_eq "edge by ids is the same finding" "$OUT" "finding 5 updated"

expect_rc "note" 0 "$PMSCOPE" note "${W[@]}" 3 $'line one\nline two'
expect_eq "note stored" "$(count "select note from findings where id=3")" $'line one\nline two'
expect_rc "note clear" 0 "$PMSCOPE" note "${W[@]}" '#3' ""
expect_eq "note cleared" "$(count "select quote(note) from findings where id=3")" "NULL"

expect_rc "confirm suggested" 0 "$PMSCOPE" confirm "${W[@]}" 1
expect_eq "confirm output" "$OUT" "finding 1 confirmed"
expect_rc "dismiss two" 0 "$PMSCOPE" dismiss "${W[@]}" 4 5
expect_eq "dismissed" "$(count "select group_concat(id) from findings where status='dismissed'")" "4,5"
expect_rc "dismiss missing one" 1 "$PMSCOPE" dismiss "${W[@]}" 2 99
expect_match "missing named" "$OUT" "no finding 99"
expect_eq "the other still written" "$(count "select status from findings where id=2")" "dismissed"
expect_rc "confirm back" 0 "$PMSCOPE" confirm "${W[@]}" 2

expect_rc "ls findings" 0 "$PMSCOPE" ls "${W[@]}" findings --status dismissed
expect_eq "ls status filter" "$(printf '%s\n' "$OUT" | awk 'NR>1 {print $1 $3}' | tr '\n' ' ')" "4dismissed 5dismissed "
expect_rc "ls findings json" 0 "$PMSCOPE" ls "${W[@]}" findings --json
expect_eq "json fields" "$(printf '%s' "$OUT" | python3 -c 'import json,sys; a=json.load(sys.stdin); print(len(a), a[0]["rule"], a[1]["rule"], a[4]["subject_key"])')" "5 wildcard-sensitive None 3>1"
expect_rc "ls bad status" 2 "$PMSCOPE" ls "${W[@]}" findings --status open

# unmark: by id any finding; by subject only hand marks.
expect_rc "unmark subject" 0 "$PMSCOPE" unmark "${W[@]}" window 2
expect_eq "unmark subject output" "$OUT" "1 finding removed"
expect_rc "unmark subject with only a suggestion" 1 "$PMSCOPE" unmark "${W[@]}" message 3
expect_match "suggestions are dismissed" "$OUT" "suggested findings are dismissed"
expect_eq "suggestion kept" "$(count "select count(*) from findings where id=1")" "1"
expect_rc "unmark id" 0 "$PMSCOPE" unmark "${W[@]}" 1
expect_rc "unmark id again" 1 "$PMSCOPE" unmark "${W[@]}" 1
expect_eq "remaining" "$(count "select group_concat(id) from findings")" "2,3,5"

# Bad input.
expect_rc "unknown kind" 2 "$PMSCOPE" mark "${W[@]}" gadget 1
expect_rc "bad id" 2 "$PMSCOPE" mark "${W[@]}" message 1x
expect_rc "bad severity" 2 "$PMSCOPE" mark "${W[@]}" message 1 -s urgent
expect_rc "empty severity" 2 "$PMSCOPE" mark "${W[@]}" message 1 -s ""
expect_rc "edge without >" 2 "$PMSCOPE" mark "${W[@]}" edge 3
expect_rc "edge unknown origin" 1 "$PMSCOPE" mark "${W[@]}" edge 'https://nope.example>1'
expect_rc "edge unknown origin id" 1 "$PMSCOPE" mark "${W[@]}" edge '1>99'
expect_match "edge ids named" "$OUT" "no origin 1 or 99"
expect_rc "missing message" 1 "$PMSCOPE" mark "${W[@]}" message 42
expect_rc "note on missing finding" 1 "$PMSCOPE" note "${W[@]}" 42 x
expect_rc "bad finding id" 2 "$PMSCOPE" confirm "${W[@]}" abc
expect_rc "mark usage" 2 "$PMSCOPE" mark "${W[@]}" message
expect_rc "missing workspace" 3 "$PMSCOPE" mark -w nope.pmscope message 1
expect_eq "nothing changed by errors" "$(count "select count(*) from findings")" "3"

# A workspace locked by another writer: a clean error, nothing half-written.
before=$(ws_checksum ws.pmscope)
python3 - ws.pmscope <<'PY' &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
open("locked", "w").close()
time.sleep(4)
db.execute("ROLLBACK")
PY
while [ ! -f locked ]; do sleep 0.1; done
expect_rc "locked workspace" 3 "$PMSCOPE" mark "${W[@]}" message 2 -s high
expect_match "locked message" "$OUT" "locked by another process"
wait
expect_eq "locked: workspace unchanged" "$(ws_checksum ws.pmscope)" "$before"

expect_rc "help mark" 0 "$PMSCOPE" help mark
expect_match "help names kinds" "$OUT" "message, listener, send_site, window or edge"
