#!/usr/bin/env bash
# windows_model.sh - windows are browsing contexts with their documents as
# history, and two recordings of one visit are one model.
#
# 1. The bundled sample's trace and HAR (one capture) give the same four
#    windows in either import order, with the demo server's framing
#    headers on them, and the same findings.
# 2. Recordings whose clocks are far apart stay apart.
# 3. A frame navigated from a.example to b.example keeps both documents:
#    the first document's listener keeps its origin, and the report's
#    frame path and PoC name the document that received, not b.html.
. "$(dirname "$0")/../lib.sh"

S=$PM_ROOT/sample-traces
q() { python3 -c 'import sqlite3,sys
for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print("|".join("" if v is None else str(v) for v in r))' "$@"; }

# ---- 1. one visit, one model ----------------------------------------------
expect_rc "import the sample trace then its HAR" 0 \
    "$PMSCOPE" import -q -w th.pmscope "$S/demo.jsonl" "$S/demo.har"
expect_rc "import the sample HAR then its trace" 0 \
    "$PMSCOPE" import -q -w ht.pmscope "$S/demo.har" "$S/demo.jsonl"
"$PMSCOPE" ls windows -w th.pmscope > th.windows
"$PMSCOPE" ls windows -w ht.pmscope > ht.windows
expect_eq "one window per real window" "$(grep -c '^ *#' th.windows)" 4
expect_eq "either order gives the same windows" "$(cat ht.windows)" "$(cat th.windows)"
model() {
    q "$1" "select w.kind, d.seq, d.url, ifnull(d.status, '-'), ifnull(d.xfo, '-'),
                   ifnull(d.csp, '-')
            from windows w join documents d on d.window_id = w.id
            order by w.id, d.seq"
}
expect_eq "either order gives the same documents and headers" "$(model ht.pmscope)" "$(model th.pmscope)"
expect_eq "the demo server's framing headers land on the trace's windows" \
    "$(q th.pmscope "select ifnull(xfo, '-') || ' ' || ifnull(csp, '-') from windows order by id")" \
    "DENY -
- frame-ancestors http://127.0.0.1:8101
- -
SAMEORIGIN -"
expect_rc "show the top window" 0 "$PMSCOPE" show window 1 -w th.pmscope
expect_match "its framing is the recorded response's" "$OUT" 'X-Frame-Options: DENY'
expect_match "it names both sources" "$OUT" '^source +#1 \(trace\), #2 \(har\)$'
expect_match "its document has its HTTP status" "$OUT" \
    '^documents 1\. http://127\.0\.0\.1:8101/ +\(http://127\.0\.0\.1:8101, at [0-9]+ ms, HTTP 200, 3 listeners\) current$'
expect_eq "each source still counts its windows" \
    "$(q th.pmscope "select n_windows from sources order by id" | paste -sd, -)" "4,4"
titles() { "$PMSCOPE" ls findings -w "$1" --json |
    python3 -c 'import json,sys; print("\n".join(sorted(f["title"] for f in json.load(sys.stdin))))'; }
expect_eq "either order gives the same findings" "$(titles ht.pmscope)" "$(titles th.pmscope)"
expect_match "the nested frame's finding knows it can be framed" "$(titles th.pmscope)" \
    'no origin check reaches innerHTML; its frame can be embedded by any site'
# The PoC for the top window's listener opens it: the page sends DENY.
top_finding=$(q th.pmscope "select f.id from findings f join listeners l
    on f.subject_kind = 'listener' and l.id = f.subject_id where l.window_id = 1
    and f.rule like 'listener-weak%' order by f.id limit 1")
"$PMSCOPE" confirm "$top_finding" -w th.pmscope > /dev/null
expect_rc "export the top window's finding" 0 "$PMSCOPE" export -w th.pmscope -o top.md
expect_match "the PoC opens a receiver that refuses framing" "$(cat top.md)" \
    "win = window\.open\(target, 'pmscope_poc'\)"
expect_match "the frame path gives the receiver's recorded headers" "$(cat top.md)" \
    'top: http://127\.0\.0\.1:8101/ \(origin http://127\.0\.0\.1:8101\); X-Frame-Options DENY, CSP none \*\*receiver\*\*'

# ---- 2. two visits stay two -----------------------------------------------
# The same trace, but recorded a day later: no window merges.
python3 - "$S/demo.jsonl" later.jsonl <<'PY'
import datetime, json, sys
with open(sys.argv[1]) as f, open(sys.argv[2], "w") as out:
    for line in f:
        r = json.loads(line)
        if r.get("type") == "meta":
            t = datetime.datetime.fromisoformat(r["started"].replace("Z", "+00:00"))
            r["started"] = (t + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        out.write(json.dumps(r) + "\n")
PY
expect_rc "import a HAR and a trace of another day" 0 \
    "$PMSCOPE" import -q -w two.pmscope "$S/demo.har" later.jsonl
expect_eq "another visit keeps its own windows" "$(q two.pmscope "select count(*) from windows")" 8
expect_rc "show a window of the trace alone" 0 "$PMSCOPE" show window 5 -w two.pmscope
expect_match "headers no response recorded are not called absent" "$OUT" \
    '^framing   not recorded'

# ---- 3. a navigated frame keeps its documents -------------------------------
cat > nav.jsonl <<'EOF'
{"v":1,"type":"meta","tool":"t","start_url":"https://site.example/","started":"2026-01-01T00:00:00Z"}
{"v":1,"type":"frame","id":"F1","kind":"top","url":"https://site.example/","parent":null,"ts":0}
{"v":1,"type":"frame","id":"F2","kind":"iframe","url":"https://a.example/a.html","parent":"F1","ts":5}
{"v":1,"type":"listener","frame":"F2","script_url":"https://a.example/a.js","line":1,"col":1,"source":"function h(e){document.body.innerHTML=e.data.html}","ts":6,"target":"window"}
{"v":1,"type":"navigation","frame":"F2","url":"https://b.example/b.html","ts":20}
{"v":1,"type":"listener","frame":"F2","script_url":"https://b.example/b.js","line":1,"col":1,"source":"function g(e){if(e.origin!=='https://site.example')return;console.log(e.data)}","ts":21,"target":"window"}
{"v":1,"type":"message","id":"M1","sender":"F1","receiver":"F2","sender_origin":"https://site.example","target_origin":"*","data":{"html":"x"},"ts":30}
EOF
expect_rc "import a frame that navigates across origins" 0 "$PMSCOPE" import -q -w nav.pmscope nav.jsonl
expect_rc "show the navigated frame" 0 "$PMSCOPE" show window 2 -w nav.pmscope
expect_match "its first document is kept" "$OUT" \
    '^documents 1\. https://a\.example/a\.html +\(https://a\.example, at 5 ms, 1 listener\)$'
expect_match "its second document is current" "$OUT" \
    '^ +2\. https://b\.example/b\.html +\(https://b\.example, at 20 ms, 1 listener\) current$'
"$PMSCOPE" ls listeners -w nav.pmscope > nav.listeners
expect_match "the first document's listener keeps its origin" "$(cat nav.listeners)" \
    '^#1 +https://a\.example +none +innerHTML'
f=$(q nav.pmscope "select id from findings where subject_kind = 'listener' and subject_id = 1")
"$PMSCOPE" confirm "$f" -w nav.pmscope > /dev/null
expect_rc "export the first document's finding" 0 "$PMSCOPE" export -w nav.pmscope -o nav.md
expect_match "the report's receiver origin is the first document's" "$(cat nav.md)" \
    '^\| Receiver origin \| https://a\.example \|$'
expect_match "the frame path names the receiving document" "$(cat nav.md)" \
    '^1\. window 2, iframe: https://a\.example/a\.html \(origin https://a\.example\) \*\*receiver\*\*$'
expect_match "the PoC targets the receiving document" "$(cat nav.md)" \
    '^const target = "https://a\.example/a\.html";$'
expect_nomatch "the PoC does not target the later document" "$(cat nav.md)" 'b\.example/b\.html'
