# CLI basics: help, version, usage errors, workspace rule, ls/show output,
# duplicate detection, and a failed import leaving the workspace unchanged.
source "$PM_ROOT/tests/lib.sh"
TR="$PM_ROOT/tests/data/traces/basic.jsonl"

expect_rc "help exits 0" 0 "$PMSCOPE" --help
expect_match "help lists import" "$OUT" "import +import HAR"
expect_match "help states the workspace rule" "$OUT" 'PMSCOPE_WORKSPACE, else ./workspace.pmscope'
expect_rc "version" 0 "$PMSCOPE" --version
expect_match "version text" "$OUT" '^pmscope [0-9]+\.[0-9]+\.[0-9]+$'
expect_rc "help for a command" 0 "$PMSCOPE" help ls
expect_match "help ls shows usage" "$OUT" '^usage: pmscope ls '
expect_rc "unknown command is a usage error" 2 "$PMSCOPE" frobnicate
expect_rc "ls without kind is a usage error" 2 "$PMSCOPE" ls
expect_rc "ls unknown kind" 2 "$PMSCOPE" ls -w x.pmscope gadgets
expect_rc "missing workspace is an I/O error" 3 "$PMSCOPE" ls -w nope.pmscope windows
expect_match "missing workspace message" "$OUT" 'nope.pmscope: cannot open workspace'

expect_rc "import trace" 0 "$PMSCOPE" import -w ws.pmscope "$TR"
expect_match "import reports source" "$OUT" 'imported as source 1 \(trace'
perm=$(stat -c %a ws.pmscope)
expect_eq "workspace is private (0600)" "$perm" "600"

expect_rc "import same content again" 0 "$PMSCOPE" import -w ws.pmscope "$TR"
expect_match "repeat is reported and skipped" "$OUT" 'already imported as source 1'
expect_rc "import --force" 0 "$PMSCOPE" import -w ws.pmscope --force "$TR"
expect_match "forced import is a new source" "$OUT" 'imported as source 2'

# PMSCOPE_WORKSPACE and the default ./workspace.pmscope
PMSCOPE_WORKSPACE=env.pmscope "$PMSCOPE" import -q "$TR" >/dev/null 2>&1
expect_eq "PMSCOPE_WORKSPACE is used" "$(test -f env.pmscope && echo yes)" "yes"
"$PMSCOPE" import -q "$TR" >/dev/null 2>&1
expect_eq "default workspace in the current directory" "$(test -f workspace.pmscope && echo yes)" "yes"

expect_rc "ls windows" 0 "$PMSCOPE" ls -w env.pmscope windows
expect_golden "ls-windows-basic.txt" "$OUT"
expect_rc "ls edges" 0 "$PMSCOPE" ls -w env.pmscope edges
expect_golden "ls-edges-basic.txt" "$OUT"
expect_rc "ls messages" 0 "$PMSCOPE" ls -w env.pmscope messages
expect_golden "ls-messages-basic.txt" "$OUT"
expect_rc "ls origins" 0 "$PMSCOPE" ls -w env.pmscope origins
expect_match "origins counts" "$OUT" 'https://a.example +windows 1 +sent 1 +received 2'
expect_rc "ls messages --json" 0 "$PMSCOPE" ls -w env.pmscope messages --json
n=$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d), d[0]["target_origin"], d[1]["from"])')
expect_eq "json messages parse" "$n" "3 * https://w.example"
expect_rc "ls messages --limit 1 --after 1" 0 "$PMSCOPE" ls -w env.pmscope messages --json --limit 1 --after 1
n=$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d), d[0]["id"])')
expect_eq "keyset paging" "$n" "1 2"
expect_rc "ls windows --json" 0 "$PMSCOPE" ls -w env.pmscope windows --json
n=$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print([(w["depth"], w["kind"], w["origin"]) for w in d])')
expect_eq "json window tree" "$n" "[(0, 'top', 'https://a.example'), (1, 'iframe', 'https://evil.example')]"
expect_rc "ls listeners --json" 0 "$PMSCOPE" ls -w env.pmscope listeners --json
n=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print([(l["origin"], l["check"]) for l in json.load(sys.stdin)])')
expect_eq "a listener keeps the origin of its frame when it was added" "$n" "[('https://w.example', 'indexOf')]"
printf '%s\n' '{"v":1,"type":"frame","id":"F1","kind":"top","url":"https://a.example/","ts":0}' \
    '{"v":1,"type":"listener","frame":"F1","target":"port","source":"function(e){}"}' \
    '{"v":1,"type":"listener","frame":"F1","target":"bogus","source":"function(e){ }"}' > target.jsonl
"$PMSCOPE" import -q -w target.pmscope target.jsonl >/dev/null 2>&1
n=$("$PMSCOPE" ls -w target.pmscope listeners --json | python3 -c 'import json,sys; print([l["target"] for l in json.load(sys.stdin)])')
expect_eq "a trace listener's target is kept; an unknown one dropped" "$n" "['port', None]"
expect_rc "show message" 0 "$PMSCOPE" show -w env.pmscope message 1
expect_golden "show-message-1.txt" "$OUT"
expect_rc "show window" 0 "$PMSCOPE" show -w env.pmscope window 2
expect_match "show window parent" "$OUT" 'parent +#1 top https://a.example'
expect_rc "show missing message" 1 "$PMSCOPE" show -w env.pmscope message 99
expect_match "not found message" "$OUT" 'no message 99'
expect_rc "show bad id" 2 "$PMSCOPE" show -w env.pmscope message abc

# A failed import leaves every table exactly as it was.
before=$(ws_checksum env.pmscope)
{ head -4 "$TR"; echo '{"v":1,"type":"message","id":"X","ts":1,"sender":"F1","receiver":"F9","data":1}'; } > bad.jsonl
expect_rc "import with unknown frame fails" 1 "$PMSCOPE" import -w env.pmscope bad.jsonl
expect_match "error names file and line" "$OUT" '^pmscope: bad.jsonl:5:[0-9]+: '
expect_eq "workspace unchanged after failed import" "$(ws_checksum env.pmscope)" "$before"
printf '<html><body>502 Bad Gateway</body></html>' > page.har
expect_rc "an HTML page saved as .har" 1 "$PMSCOPE" import -w env.pmscope page.har
expect_match "unknown format names the formats" "$OUT" 'not a format pmscope reads; it reads .*trace.*har'
: > empty.jsonl
expect_rc "empty file" 1 "$PMSCOPE" import -w env.pmscope empty.jsonl
expect_match "empty file message" "$OUT" 'empty.jsonl: file is empty'
expect_eq "workspace unchanged after bad inputs" "$(ws_checksum env.pmscope)" "$before"
# The analysis runs in the import's transaction: when it fails (here a
# trigger refuses its update of the listeners), the import is rolled back
# with it.
cp env.pmscope refuse.pmscope
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("create trigger refuse before update on listeners begin select raise(abort, '"'"'refused'"'"'); end"); c.commit()' refuse.pmscope
before=$(ws_checksum refuse.pmscope)
# (recorded a year later, so its windows are not merged into the first
# import's: the merge would meet the trigger first)
sed 's/"started":"20/"started":"21/' "$TR" > later.jsonl
expect_rc "a failed analysis fails the import" 3 "$PMSCOPE" import -w refuse.pmscope later.jsonl
expect_match "the error is the analysis'" "$OUT" 'listener analysis: refused'
expect_eq "a failed analysis rolls the import back" "$(ws_checksum refuse.pmscope)" "$before"

# A workspace from a newer pmscope is refused, never downgraded.
cp env.pmscope newer.pmscope
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("pragma user_version=99"); c.commit()' newer.pmscope
expect_rc "newer schema refused" 3 "$PMSCOPE" ls -w newer.pmscope windows
expect_match "newer schema message" "$OUT" 'schema version 99'
v=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("pragma user_version").fetchone()[0])' newer.pmscope)
expect_eq "newer schema kept" "$v" "99"
# An older workspace (schema 1, the demo's HAR imported before its trace,
# so every listener stood twice) is upgraded by the first command that
# opens it, even a reading one, and keeps its data.
gzip -dc "$PM_ROOT/tests/data/workspaces/schema-v1-demo.pmscope.gz" > v1.pmscope
uv() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$@"; }
expect_eq "the fixture is a schema 1 workspace" "$(uv v1.pmscope 'pragma user_version')" 1
before=$(uv v1.pmscope 'select count(*) || "/" || (select count(*) from messages) || "/" || (select count(*) from findings) from listeners')
expect_rc "ls on a schema 1 workspace" 0 "$PMSCOPE" ls -w v1.pmscope listeners
SCHEMA_NOW=$(sed -n 's/^#define PM_SCHEMA_VERSION \([0-9]*\)$/\1/p' "$PM_ROOT/src/store.h")
expect_eq "it is upgraded to schema $SCHEMA_NOW" "$(uv v1.pmscope 'pragma user_version')" "$SCHEMA_NOW"
expect_eq "the upgrade indexes the messages of send sites" \
    "$(uv v1.pmscope "select count(*) from sqlite_master where name = 'messages_send_site'")" 1
expect_eq "the upgrade gives every window its documents and sources" \
    "$(uv v1.pmscope 'select count(*) || "/" || (select count(*) from window_sources) from windows w where exists (select 1 from documents d where d.window_id = w.id and d.seq = 1)')" \
    "$(uv v1.pmscope 'select count(*) || "/" || count(*) from windows')"
expect_eq "a window's framing headers are its last document's" \
    "$(uv v1.pmscope 'select count(*) from windows w join documents d on d.window_id = w.id and d.seq = (select max(seq) from documents where window_id = w.id) where w.xfo is not d.xfo or w.csp is not d.csp')" 0
expect_eq "rows kept by the upgrade" \
    "$(uv v1.pmscope 'select count(*) || "/" || (select count(*) from messages) || "/" || (select count(*) from findings) from listeners')" \
    "$before"
expect_eq "the upgrade links the eight scanned copies" \
    "$(uv v1.pmscope 'select count(*) from listeners where same_as is not null')" 8
expect_eq "each handler is listed once after the upgrade" \
    "$(printf '%s\n' "$OUT" | grep -c '^#.*trace+scan')" 8
expect_eq "no finding stays on a copy" \
    "$(uv v1.pmscope "select count(*) from findings f join listeners l on f.subject_kind = 'listener' and l.id = f.subject_id where l.same_as is not null")" 0
expect_eq "older rows have no known document (0: every document)" \
    "$(uv v1.pmscope 'select max(doc) || "/" || (select max(receiver_doc) from messages) from listeners')" "0/0"
expect_rc "filter by listener on the upgraded workspace" 0 \
    "$PMSCOPE" ls messages -w v1.pmscope --filter 'sink:innerHTML'
expect_eq "the listener reaching innerHTML received message 9" \
    "$(printf '%s\n' "$OUT" | sed -n 's/^#\([0-9]*\) .*/\1/p' | paste -sd, -)" 9
expect_eq "integrity after the upgrade" "$(uv v1.pmscope 'pragma integrity_check')" ok

echo "not a database at all" > junk.pmscope
expect_rc "not a workspace" 3 "$PMSCOPE" ls -w junk.pmscope windows
expect_match "not a workspace message" "$OUT" 'not a pmscope workspace'

# A message whose targetOrigin was not recorded (seen at its receiver only)
# and one that has none (a port message) show it the same way everywhere on
# the command line: '?'.
cat > notarget.jsonl <<'JSONL'
{"v":1,"type":"meta","tool":"pmscope-capture","tool_version":"0.1","start_url":"https://a.example/","started":"2026-11-25T10:00:00Z"}
{"v":1,"type":"frame","id":"F1","kind":"top","url":"https://a.example/","parent":null,"opener":null,"ts":0.0}
{"v":1,"type":"frame","id":"F2","kind":"iframe","url":"https://w.example/widget","parent":"F1","ts":12.5}
{"v":1,"type":"message","id":"M1","ts":40.2,"sender":"F1","receiver":"F2","via":"window","data":{"q":1}}
{"v":1,"type":"message","id":"M2","ts":41.0,"sender":"F2","receiver":"F1","target_origin":null,"via":"port","port":"p1","data":{"r":1}}
JSONL
expect_rc "import messages without targetOrigin" 0 "$PMSCOPE" import -q -w nt.pmscope notarget.jsonl
expect_rc "show a message without targetOrigin" 0 "$PMSCOPE" show -w nt.pmscope message 1
expect_match "show: unknown targetOrigin is '?'" "$OUT" '^target +\?$'
expect_rc "show a port message" 0 "$PMSCOPE" show -w nt.pmscope message 2
expect_match "show: a port message's targetOrigin is '?'" "$OUT" '^target +\?$'
expect_rc "ls messages without targetOrigin" 0 "$PMSCOPE" ls -w nt.pmscope messages
expect_eq "ls: unknown targetOrigin is '?'" \
    "$(printf '%s\n' "$OUT" | grep -c ' target ? ')" 2
expect_rc "flow of a message without targetOrigin" 0 "$PMSCOPE" flow -w nt.pmscope 1
expect_match "flow: unknown targetOrigin is '?'" "$OUT" ' to \?( |$)'
