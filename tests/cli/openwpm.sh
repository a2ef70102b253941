#!/usr/bin/env bash
# OpenWPM crawl import: crawls built with OpenWPM's schema and the row shapes
# its instrumentation writes (tests/data/openwpm/make_crawl.py), imported
# through the CLI and checked in the workspace and in what the user sees.
. "$(dirname "$0")/../lib.sh"
export MK="$PM_ROOT/tests/data/openwpm/make_crawl.py"

q() { python3 - "$1" "$2" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for row in db.execute(sys.argv[2]):
    print("|".join("" if v is None else str(v) for v in row))
PY
}

python3 "$MK" crawl.sqlite fixture
expect_rc "openwpm: import exits 0" 0 "$PMSCOPE" import -w ws.pmscope crawl.sqlite
expect_match "openwpm: detected by content" "$OUT" "crawl.sqlite: imported as source 1 \(openwpm"
expect_match "openwpm: 500-call cap reported" "$OUT" \
    "visit 2: window.postMessage from https://cdn.chat.example/c.js reached OpenWPM's 500-call log cap"
expect_eq "openwpm: producer recorded" "$(q ws.pmscope "select tool from sources")" \
    "OpenWPM v0.35.0 (Firefox 152.0)"

expect_eq "openwpm: frames, popups and visits" \
    "$(q ws.pmscope "select w.ext_id, w.kind, w.url, ifnull(p.ext_id, '-'),
                     ifnull(w.parent_how, '-'), ifnull(o.ext_id, '-'), w.visit_id
                     from windows w left join windows p on p.id = w.parent_id
                     left join windows o on o.id = w.opener_id order by w.id")" \
"v1/t1/f0|top|https://a.example/|-|-|-|1
v1/t1/f5|iframe|https://w.example/widget|v1/t1/f0|known|-|1
v1/t1/f7|iframe|https://x.example/inner|v1/t1/f5|known|-|1
v1/t2/f0|popup|https://pop.example/login|-|-|v1/t1/f0|1
v2/t3/f0|top|https://chat.example/|-|-|-|2
v3/t-1/f0|top|https://down.example|-|-|-|3
v4/t4/f0|top|https://b.example/|-|-|-|4
v4/t4/f9|iframe|https://ads.example/f|v4/t4/f0|known|-|4
v4/t4/f13|iframe|https://mid.example/|v4/t4/f0|known|-|4
v4/t4/f14|iframe|https://leaf.example/|v4/t4/f13|known|-|4
v4/t4/f11|iframe|https://deep.example/|v4/t4/f0|inferred|-|4"
expect_eq "openwpm: about:blank then the widget is a navigation" \
    "$(q ws.pmscope "select n.url from documents n join windows w on w.id = n.window_id
                     where w.ext_id = 'v1/t1/f5' and n.seq > 1")" "https://w.example/widget"
expect_eq "openwpm: framing headers of the final documents (not the redirect)" \
    "$(q ws.pmscope "select ext_id, ifnull(xfo, '-'), ifnull(csp, '-') from windows
                     where visit_id = 1 order by id")" \
"v1/t1/f0|-|-
v1/t1/f5|SAMEORIGIN|-
v1/t1/f7|-|default-src 'self'; frame-ancestors https://w.example
v1/t2/f0|-|-"
expect_eq "openwpm: document requests with status and destination" \
    "$(q ws.pmscope "select url, status, dest from requests where window_id in
                     (select id from windows where ext_id = 'v1/t1/f7') order by id")" \
"https://x.example/go|302|iframe
https://x.example/inner|200|iframe"

# Every request of the crawl counts, not only the document loads.
n_crawl=$(q crawl.sqlite "select count(*) from http_requests")
expect_rc "openwpm: ls sources" 0 "$PMSCOPE" ls -w ws.pmscope sources
expect_match "openwpm: the source counts every request of the crawl ($n_crawl)" \
    "$OUT" "  requests $n_crawl  "
expect_eq "openwpm: scripts, images and XHRs are kept in their frame's window" \
    "$(q ws.pmscope "select r.url, r.dest, r.mime, ifnull(w.ext_id, '-') from requests r
                     left join windows w on w.id = r.window_id
                     where r.dest not in ('document', 'iframe') order by r.id")" \
"https://a.example/app.js|script|text/javascript|v1/t1/f0
https://a.example/logo.png|image|image/png|v1/t1/f0
https://w.example/w.js|script|text/javascript|v1/t1/f5
https://api.w.example/me|xmlhttprequest|application/json|v1/t1/f5
https://t.example/pixel.gif|image|image/gif|-"

expect_eq "openwpm: messages of visit 1, both JSON levels decoded" \
    "$(q ws.pmscope "select w.ext_id, so.text, ifnull(ro.text, '-'), ifnull(m.receiver_window_id, 0),
                     m.target_origin, m.via, m.data_json
                     from messages m join windows w on w.id = m.sender_window_id
                     left join origins so on so.id = m.sender_origin_id
                     left join origins ro on ro.id = m.receiver_origin_id
                     where w.visit_id = 1 order by m.id")" \
"v1/t1/f0|https://a.example|-|0|*|window|{\"id\":7,\"cmd\":\"getUser\",\"cb\":\"x\",\"v\":\"null\"}
v1/t1/f0|https://a.example|https://w.example|0|https://W.example:443/path|window|\"hello café\"
v1/t1/f5|https://w.example|https://x.example|0|https://x.example|window|[1,2]
v1/t1/f5|https://w.example|https://w.example|0|/|window|42
v1/t1/f7|https://x.example|-|0|*|window|\"SERIALIZATION ERROR: Error: Permission denied to access property \\\"toJSON\\\"\""
expect_rc "openwpm: show a crawled message" 0 "$PMSCOPE" show -w ws.pmscope message 2
expect_match "openwpm: receiver shown as the targetOrigin, not guessed" "$OUT" \
    "receiver  window with targetOrigin https://W.example:443/path \(which window was not recorded\)"
expect_eq "openwpm: capped script gives exactly 500 messages" \
    "$(q ws.pmscope "select count(*), min(data_json), max(ts) > min(ts) from messages m
                     join windows w on w.id = m.sender_window_id where w.visit_id = 2")" \
    "500|{\"tick\":0}|1"
expect_eq "openwpm: frame known only from a javascript row" \
    "$(q ws.pmscope "select so.text, ro.text, m.data_json from messages m
                     join origins so on so.id = m.sender_origin_id
                     join origins ro on ro.id = m.receiver_origin_id
                     join windows w on w.id = m.sender_window_id where w.visit_id = 4")" \
    "https://deep.example|https://b.example|{\"k\":\"v\"}"

expect_eq "openwpm: listeners (message only, deduplicated, code kept)" \
    "$(q ws.pmscope "select w.ext_id, l.script_url, l.line, l.col, l.found_by, substr(l.code, 1, 40)
                     from listeners l join windows w on w.id = l.window_id order by l.id")" \
"v1/t1/f5|https://w.example/w.js|3|9|openwpm|function(e){ if (e.origin !== 'https://a
v1/t1/f0|https://a.example/app.js|12|9|openwpm|function(e){ handle(e.data) }"

# The shortest settings log functions as "FUNCTION": no code, and the
# MessageEvent.origin reads become the hint that the handler checks something.
python3 "$MK" plain.sqlite fixture-plain
expect_rc "openwpm: plain-settings crawl imports" 0 "$PMSCOPE" import -w plain.pmscope plain.sqlite
expect_eq "openwpm: FUNCTION listeners keep no code; origin reads noted" \
    "$(q plain.pmscope "select w.ext_id, ifnull(l.code, '-'), ifnull(l.check_kind, '-'),
                        ifnull(l.check_expr, '-')
                        from listeners l join windows w on w.id = l.window_id order by l.id")" \
"v1/t1/f5|-|unknown|event.origin read at run time (2 times; code not recorded)
v1/t1/f0|-|-|-"
expect_eq "openwpm: functions inside message data are \"FUNCTION\"" \
    "$(q plain.pmscope "select data_json from messages order by id limit 1")" \
    "{\"id\":7,\"cmd\":\"getUser\",\"cb\":\"FUNCTION\",\"v\":\"null\"}"

# The settings docs/openwpm.md tells users to crawl with are the ones the
# fixture was generated from.
doc_json=$(python3 - "$PM_ROOT/docs/openwpm.md" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
m = re.search(r"js_instrument_settings = (\[.*?\n\])", text, re.S)
print(json.dumps(json.loads(m.group(1)), sort_keys=True) if m else "missing")
PY
)
file_json=$(python3 -c "import json,sys; print(json.dumps(json.load(open(sys.argv[1])), sort_keys=True))" \
    "$PM_ROOT/tests/data/openwpm/js_instrument_settings.json")
expect_eq "openwpm: docs show the settings the tests crawl with" "$doc_json" "$file_json"

# Not an OpenWPM database: the missing table is named; nothing is written.
before=$(ws_checksum ws.pmscope)
python3 "$MK" part.sqlite partial site_visits navigations http_requests http_responses
expect_rc "openwpm: missing javascript table is an input error" 1 \
    "$PMSCOPE" import -w ws.pmscope part.sqlite
expect_match "openwpm: error names the missing table" "$OUT" \
    "part.sqlite: not an OpenWPM crawl database: table 'javascript' is missing"
python3 -c "import sqlite3; db = sqlite3.connect('other.sqlite'); db.execute('create table t(x)'); db.commit()"
expect_rc "openwpm: unrelated SQLite file refused" 1 "$PMSCOPE" import -w ws.pmscope other.sqlite
expect_match "openwpm: first missing table named" "$OUT" "table 'site_visits' is missing"
python3 - <<'PY'
import sqlite3, subprocess, sys, os
subprocess.run([sys.executable, os.environ["MK"], "cols.sqlite", "partial",
                "site_visits", "navigations", "http_requests", "http_responses"], check=True)
db = sqlite3.connect("cols.sqlite")
db.execute("CREATE TABLE javascript(id INTEGER PRIMARY KEY, visit_id INTEGER, symbol TEXT)")
db.commit()
PY
expect_rc "openwpm: table without OpenWPM's columns refused" 1 "$PMSCOPE" import -w ws.pmscope cols.sqlite
expect_match "openwpm: error names table and column" "$OUT" \
    "table javascript does not have OpenWPM's columns: no such column"
# A column missing from http_responses is blamed on that table, not on
# http_requests, which the statement reads it beside.
python3 - <<'PY'
import sqlite3, subprocess, sys, os
subprocess.run([sys.executable, os.environ["MK"], "nostatus.sqlite", "fixture"], check=True)
db = sqlite3.connect("nostatus.sqlite")
db.execute("ALTER TABLE http_responses DROP COLUMN response_status")
db.commit()
PY
expect_rc "openwpm: http_responses without response_status refused" 1 "$PMSCOPE" import -w ws.pmscope nostatus.sqlite
expect_match "openwpm: the error names http_responses" "$OUT" \
    "table http_responses does not have OpenWPM's columns: no such column: r.response_status"
expect_eq "openwpm: failed imports leave the workspace unchanged" "$(ws_checksum ws.pmscope)" "$before"

# The crawl is opened read-only: a read-only copy in a read-only directory
# imports, and the file is byte-for-byte unchanged.
mkdir ro && cp crawl.sqlite ro/ && chmod 0444 ro/crawl.sqlite && chmod 0555 ro
sum_before=$(sha256sum < ro/crawl.sqlite)
expect_rc "openwpm: read-only crawl in a read-only directory imports" 0 \
    "$PMSCOPE" import -w ro.pmscope ro/crawl.sqlite
expect_eq "openwpm: crawl file unchanged" "$(sha256sum < ro/crawl.sqlite)" "$sum_before"
chmod 0755 ro

# Hostile values where OpenWPM writes well-formed ones: wrong types, broken
# and deeply nested JSON, control characters, missing columns' values.
python3 "$MK" hostile.sqlite partial task crawl site_visits http_requests \
    http_responses javascript navigations
python3 - <<'PY'
import sqlite3
db = sqlite3.connect("hostile.sqlite")
db.execute("INSERT INTO site_visits VALUES(-5, 1, 'not a url', NULL)")
db.execute("INSERT INTO site_visits VALUES(9223372036854775807, 1, '', NULL)")
nav = ("INSERT INTO navigations(browser_id, visit_id, tab_id, frame_id,"
       " parent_frame_id, tab_opener_tab_id, url, before_navigate_time_stamp)"
       " VALUES(1,?,?,?,?,?,?,?)")
db.execute(nav, (-5, None, "abc", 2**62, None, "https://e.example/\x1b[31mred", "garbage"))
db.execute(nav, (-5, 1, 3, 3, 7, None, None))
db.execute(nav, (-5, 1, 0, -1, 1, "javascript:alert(1)", "2026-13-45T99:99:99Z"))
req = ("INSERT INTO http_requests(browser_id, visit_id, tab_id, frame_id,"
       " parent_frame_id, url, method, referrer, headers, request_id,"
       " resource_type, time_stamp) VALUES(1,-5,1,?,0,?,'GET','',?,?,?,'x')")
db.execute(req, (4, "https://f.example/", "not json", 1, "sub_frame"))
db.execute(req, (5, "https://g.example/", "[[1,2],[\"a\"]]", 2, "main_frame"))
db.execute("INSERT INTO http_responses(browser_id, visit_id, url, method,"
           " response_status, response_status_text, is_cached, headers,"
           " request_id, location, time_stamp)"
           " VALUES(1,-5,'https://f.example/','GET','x','',0,'{\"a\":1}',1,'','t')")
js = ("INSERT INTO javascript(browser_id, visit_id, tab_id, frame_id,"
      " document_url, symbol, operation, value, arguments, script_line,"
      " time_stamp) VALUES(1,-5,1,?,?,?,?,?,?,?,'t')")
for args in ["[", "{}", "[]", "[" * 5000 + "]" * 5000, '["{\\"a\\":", 7]',
             '[{"x":1}, ["*"]]', '["m", "\u0000*"]']:
    db.execute(js, (0, None, "window.postMessage", "call", "", args, "1e999"))
db.execute(js, (2, "https://h.example/", "EventTarget.addEventListener", "call",
                "", "[1, 2]", "x"))
db.execute(js, (2, "https://h.example/", "window.onmessage", "set", None, None, None))
db.execute(js, (2, "https://h.example/", "MessageEvent.origin", "get", 5, None, None))
db.execute(js, (2, "https://h.example/", None, "call", "", "[]", None))
db.commit()
PY
expect_rc "openwpm: hostile values import without crashing" 0 \
    "$PMSCOPE" import -w hostile.pmscope hostile.sqlite
expect_match "openwpm: broken arguments are counted warnings" "$OUT" \
    "imported as source 1 \(openwpm, [1-9][0-9]* warnings\)"
expect_match "openwpm: a warning names the row" "$OUT" "warning: javascript row [0-9]+: arguments are not a JSON array"

# Invalid UTF-8 where OpenWPM stores text: replaced with U+FFFD at import,
# with a warning naming the row, so every output stays valid UTF-8.
cp crawl.sqlite badutf8.sqlite
row=$(python3 - <<'PY'
import sqlite3
db = sqlite3.connect("badutf8.sqlite")
cur = db.execute(
    "INSERT INTO javascript(browser_id, visit_id, tab_id, frame_id,"
    " script_url, script_line, script_col, document_url, top_level_url,"
    " symbol, operation, value, arguments, time_stamp)"
    " VALUES(1, 1, 1, 0, 'https://a.example/bad.js', '1', '1',"
    " 'https://a.example/', 'https://a.example/', 'window.postMessage',"
    " 'call', '', CAST(? AS TEXT), '2026-06-29T23:33:59.000Z')",
    (b'["BADUTF8 \x9b\xff end", "*"]',))
db.commit()
print(cur.lastrowid)
PY
)
expect_rc "openwpm: invalid UTF-8 in arguments imports" 0 \
    "$PMSCOPE" import -w badutf8.pmscope badutf8.sqlite
expect_match "openwpm: invalid UTF-8 is a warning naming the row" "$OUT" \
    "warning: javascript row $row: arguments: invalid UTF-8 byte 0x9b at offset 10 \(and more\) replaced with U\+FFFD"
expect_eq "openwpm: invalid bytes stored as U+FFFD" \
    "$(q badutf8.pmscope "select data_json from messages where ext_id = 'js:$row'")" \
    "$(printf '"BADUTF8 \357\277\275\357\277\275 end"')"
"$PMSCOPE" ls -w badutf8.pmscope --json messages >badutf8.json 2>&1
if python3 -c 'import json,sys; json.loads(open(sys.argv[1],"rb").read().decode("utf-8"))' badutf8.json
then pass "openwpm: ls --json messages is valid UTF-8 JSON"
else fail "openwpm: ls --json messages is valid UTF-8 JSON"; fi

# Many visits stream: a few hundred visits, each its own top window.
python3 "$MK" bulk.sqlite bulk 300
expect_rc "openwpm: 300-visit crawl imports" 0 "$PMSCOPE_FAST" import -w bulk.pmscope bulk.sqlite
expect_eq "openwpm: one top window per visit, frames under it" \
    "$(q bulk.pmscope "select count(distinct visit_id), sum(kind = 'top'), count(*),
                       (select count(*) from messages), (select count(*) from listeners)
                       from windows")" "300|300|900|900|300"

# ---- a visit's first document, and a crawl without the JS instrument -------
# Firefox commits about:blank in a new tab before the visit's URL: it is the
# first document of the visit's top window, not a top window of its own.
cp crawl.sqlite blank.sqlite
python3 - blank.sqlite <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
cols = [r[1] for r in db.execute("pragma table_info(navigations)")]
for row in db.execute("SELECT * FROM navigations WHERE frame_id = 0"
                      " AND parent_frame_id = -1 AND tab_opener_tab_id IS NULL"
                      " AND url != 'https://pop.example/login'").fetchall():
    r = dict(zip(cols, row))
    r.update(url="about:blank", uuid="blank-%d" % r["visit_id"],
             transition_type="typed", before_navigate_event_ordinal=0,
             committed_event_ordinal=0)
    db.execute("INSERT INTO navigations(%s) VALUES(%s)"
               % (",".join(cols), ",".join("?" * len(cols))),
               [r[c] for c in cols])
db.commit()
PY
expect_rc "openwpm: a crawl whose tabs start at about:blank imports" 0 \
    "$PMSCOPE" import -q -w blank.pmscope blank.sqlite
expect_eq "openwpm: about:blank is no top window of its own" \
    "$(q blank.pmscope "select count(*) from windows where kind = 'top'")" \
    "$(q ws.pmscope "select count(*) from windows where kind = 'top'")"
expect_eq "openwpm: about:blank is the first document of the visit's top" \
    "$(q blank.pmscope "select d.seq || ' ' || d.url from documents d join windows w
                        on w.id = d.window_id where w.ext_id = 'v1/t1/f0' order by d.seq")" \
    "1 about:blank
2 https://a.example/"

cp crawl.sqlite nojs.sqlite
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("delete from javascript"); c.commit()' nojs.sqlite
expect_rc "openwpm: a crawl without the JS instrument imports" 0 \
    "$PMSCOPE" import -w nojs.pmscope nojs.sqlite
expect_match "openwpm: it says the crawl holds no postMessage data and how to get it" "$OUT" \
    'no JavaScript instrumentation rows .*crawl with js_instrument and the settings in docs/openwpm.md'
expect_rc "openwpm: the instrumented fixture does not get that warning" 0 \
    "$PMSCOPE" import -w again.pmscope crawl.sqlite
expect_nomatch "openwpm: no such warning with JS rows" "$OUT" 'no JavaScript instrumentation rows'
