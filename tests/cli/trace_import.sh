#!/usr/bin/env bash
# tests/cli/trace_import.sh - `pmscope import` of pmscope trace JSONL
# (docs/trace-format.md): a good trace lands as the right rows; every
# malformed input gives the exact FILE:LINE:COL message, exit 1, and leaves
# the workspace byte-for-byte as it was; unknown members and record types
# only warn; pathological inputs (100 000-deep nesting, a 50 MB string,
# empty and blank files, NUL bytes) end cleanly.
. "$(dirname "$0")/../lib.sh"

cp "$PM_ROOT"/tests/data/traces/*.jsonl .

# q SQL - rows of a query on ws.pmscope, columns joined by '|'
q() {
    python3 - "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect("ws.pmscope")
for row in db.execute(sys.argv[1]):
    print("|".join("" if v is None else str(v) for v in row))
PY
}

expect_rc "good trace imports" 0 "$PMSCOPE" import -w ws.pmscope basic.jsonl
expect_eq "good trace summary" "$OUT" \
    "basic.jsonl: imported as source 1 (trace, 0 warnings)"
expect_eq "source row" "$(q "select format, tool, n_windows, n_messages, n_listeners from sources")" \
    "trace|pmscope-capture 0.1|2|3|1"
expect_eq "frames with parents and current origins" \
    "$(q "select w.ext_id, w.kind, w.url, o.text, p.ext_id from windows w
          left join origins o on o.id=w.origin_id
          left join windows p on p.id=w.parent_id order by w.id")" \
    "F1|top|https://a.example/|https://a.example|
F2|iframe|https://evil.example/|https://evil.example|F1"
expect_eq "messages: origins as of their line, compact data" \
    "$(q "select m.ext_id, so.text, ro.text, m.target_origin, m.via, m.data_json
          from messages m join origins so on so.id=m.sender_origin_id
          join origins ro on ro.id=m.receiver_origin_id order by m.id")" \
    'M1|https://a.example|https://w.example|*|window|{"id":7,"cmd":"getUser"}
M2|https://w.example|https://a.example|https://a.example|window|{"id":7,"result":"..."}
M3|https://evil.example|https://a.example|*|window|"hi"'
expect_eq "navigation row" "$(q "select url, ts from documents where seq > 1")" \
    "https://evil.example/|90.1"
expect_eq "listener from the trace" \
    "$(q "select script_url, line, col, found_by from listeners")" \
    "https://w.example/w.js|3|1|trace"

# What an analyst sees of it.
expect_rc "ls windows" 0 "$PMSCOPE" ls -w ws.pmscope windows
expect_match "ls windows: top frame" "$OUT" '^#1 top https://a\.example '
expect_match "ls windows: iframe nested under it, at its current origin" \
    "$OUT" '^  #2 iframe https://evil\.example '
expect_rc "ls messages" 0 "$PMSCOPE" ls -w ws.pmscope messages
expect_match "ls messages: origins, targetOrigin and data" "$OUT" \
    'https://a\.example +-> https://w\.example +target \* +window \{"id":7,"cmd":"getUser"\}'

sum=$(ws_checksum ws.pmscope)

# bad NAME FILE MESSAGE - exit 1, exact message, workspace unchanged
bad() {
    expect_rc "$1: exit 1" 1 "$PMSCOPE" import -q -w ws.pmscope "$2"
    expect_eq "$1: message" "$OUT" "pmscope: $2:$3"
    expect_eq "$1: workspace unchanged" "$(ws_checksum ws.pmscope)" "$sum"
}

bad "unknown frame" bad-unknown-frame.jsonl \
    '4:51: unknown frame "F7" in "sender" (frames must be declared on an earlier line)'
bad "truncated file" bad-truncated.jsonl \
    '3:92: unexpected end of line inside a string (truncated file?)'
bad "invalid UTF-8" bad-utf8.jsonl '2:73: invalid UTF-8 byte 0xe9'
bad "newer version" bad-version.jsonl \
    '1:6: expected "v":1, got version 2 (this pmscope reads trace format 1)'
bad "single quotes" bad-not-json.jsonl \
    '2:2: expected a string key in double quotes'
bad "missing member" bad-missing-member.jsonl \
    '2:1: expected member "url" in navigation record'
bad "wrong type" bad-wrong-type.jsonl \
    '2:30: expected "ts" to be a number of milliseconds >= 0'

F1='{"v":1,"type":"frame","id":"F1","kind":"top","url":"https://a.example/","ts":0}'

python3 - <<'PY'
open("deep.jsonl", "w").write('{"v":1,"type":"meta","x":' + "[" * 100000 + "\n")
PY
start=$(date +%s)
bad "100 000-deep nesting" deep.jsonl '1:1025: JSON nested deeper than 1000 levels'
expect_eq "deep nesting refused within 5 s" "$(( $(date +%s) - start < 5 ))" 1

printf '%s\n{"v":1,"type":"meta","tool":"a\000b"}\n' "$F1" > nul.jsonl
bad "NUL byte" nul.jsonl '2:31: control character U+0000 in a string must be escaped'

: > empty.jsonl
expect_rc "empty file: exit 1" 1 "$PMSCOPE" import -q -w ws.pmscope empty.jsonl
expect_match "empty file: message" "$OUT" '^pmscope: empty\.jsonl: file is empty'
printf '\n  \r\n\t\n' > blank.jsonl
expect_rc "blank lines only, forced: exit 1" 1 \
    "$PMSCOPE" import -q -w ws.pmscope --format trace blank.jsonl
expect_eq "blank lines only: message" "$OUT" \
    "pmscope: blank.jsonl: no trace records (the file holds only blank lines); expected one JSON object per line"
expect_eq "pathological inputs left the workspace unchanged" \
    "$(ws_checksum ws.pmscope)" "$sum"

# Unknown members and record types are not fatal; CRLF and blank lines are fine.
expect_rc "CRLF trace with unknown members and types imports" 0 \
    "$PMSCOPE" import -w ws.pmscope good-crlf-unknown.jsonl
expect_match "unknown type is a counted warning" "$OUT" \
    'good-crlf-unknown\.jsonl: warning: line 6: skipped record of unknown type "dom_snapshot"'
expect_match "summary counts one warning (send is known)" "$OUT" \
    'imported as source 2 \(trace, 1 warnings\)'
expect_eq "message of the CRLF trace" \
    "$(q "select data_json, target_origin from messages where source_id=2")" \
    '{"z":1,"a":[true,null]}|*'

# A 50 MB string value imports (normal build: this is about memory, not ASan).
python3 - <<'PY'
with open("big.jsonl", "w") as f:
    f.write('{"v":1,"type":"frame","id":"F1","kind":"top","url":"https://a.example/","ts":0}\n')
    f.write('{"v":1,"type":"message","ts":1,"sender":"F1","receiver":"F1","data":"' + "x" * 50000000 + '"}\n')
PY
expect_rc "50 MB string value imports" 0 "$PMSCOPE_FAST" import -q -w big.pmscope big.jsonl
expect_eq "50 MB string value stored whole" \
    "$(python3 -c 'import sqlite3; print(sqlite3.connect("big.pmscope").execute("select size from messages").fetchone()[0])')" \
    50000002
rm -f big.jsonl big.pmscope*

# List previews: made when listed for small data, stored for large data
# (over 1 KiB); the user sees the same one-line, 160-byte form either way.
python3 - <<'PY'
import json
with open("preview.jsonl", "w") as f:
    f.write('{"v":1,"type":"frame","id":"F1","kind":"top","url":"https://a.example/","ts":0}\n')
    for i, text in enumerate(["small  \u00e9t\u00e9  " + "s" * 40, "big a" + "\u00e9" * 100 + "b" * 2000]):
        f.write(json.dumps({"v": 1, "type": "message", "ts": i + 1, "sender": "F1",
                            "receiver": "F1", "data": {"k": text}}) + "\n")
PY
expect_rc "preview trace imports" 0 "$PMSCOPE" import -q -w preview.pmscope preview.jsonl
previews=$("$PMSCOPE" ls messages --json -w preview.pmscope | python3 -c '
import json, sys
for m in json.load(sys.stdin):
    print(len(m["preview"].encode()), m["preview"][:24])')
expect_eq "previews of small and large data" "$previews" \
"$(printf '%s\n%s' '60 {"k":"small été ssssssss' '159 {"k":"big aééééééééééééé')"
expect_eq "only the large message keeps a stored preview" \
    "$(python3 -c 'import sqlite3; print(sqlite3.connect("preview.pmscope").execute("select count(data_preview) from messages").fetchone()[0])')" 1

# One send site per call site (frame, script, line, column): two scripts'
# calls at the same line and column in one frame are two sites.
cat > sends.jsonl <<'JSONL'
{"v":1,"type":"frame","id":"F1","kind":"top","url":"https://a.example/","ts":0}
{"v":1,"type":"send","frame":"F1","ts":1,"target_origin":"*","script_url":"https://a.example/one.js","line":3,"col":5,"stack":"at one (https://a.example/one.js:3:5)"}
{"v":1,"type":"send","frame":"F1","ts":2,"target_origin":"*","script_url":"https://a.example/two.js","line":3,"col":5,"stack":"at two (https://a.example/two.js:3:5)"}
{"v":1,"type":"send","frame":"F1","ts":3,"target_origin":"*","script_url":"https://a.example/one.js","line":3,"col":5,"stack":"at one (https://a.example/one.js:3:5)"}
JSONL
expect_rc "sends trace imports" 0 "$PMSCOPE" import -q -w sends.pmscope sends.jsonl
expect_eq "two scripts' calls at one line and column are two send sites" \
    "$("$PMSCOPE" ls sends --json -w sends.pmscope | python3 -c '
import json, sys
print(" ".join(sorted(s["script_url"].rsplit("/", 1)[1] for s in json.load(sys.stdin))))')" \
    "one.js two.js"
