#!/usr/bin/env bash
# analysis.sh - the analysis pass as a user meets it: listeners found in a
# multi-megabyte one-line bundle and in inline HTML scripts of a HAR,
# `ls listeners|sends`, suggested findings that survive re-analysis without
# duplicates and leave the analyst's verdicts alone, `pmscope flow`, and
# escaping of hostile text.
. "$(dirname "$0")/../lib.sh"

# A HAR: a page with an inline listener and a ~3 MB minified bundle whose
# listener sits at the very end of its single line.
python3 - <<'PY'
import json
filler = ('var a%d=function(b,c){return b/2/c+"}\\"/*"+`t${b+`${c}`}`.length+/[/"]x\\//g.test(b)},'
          'r%d=a%d(4,2)/1;')
parts = []
i = total = 0
while total < 3_000_000:
    parts.append(filler % (i, i, i))
    total += len(parts[-1])
    i += 1
bundle = "".join(parts) + ('window.addEventListener("message",function(t){if(-1!==t.origin.indexOf("partner.example"))'
                           '{var n=JSON.parse(t.data);document.getElementById("x").innerHTML=n.html}},!1);'
                           'parent.postMessage({authToken:r1},"*");')
page = ("<!doctype html><html><head><script src=\"/app.min.js\"></script>\n"
        "<script>\n"
        "  window.addEventListener('message', (e) => {\n"
        "    if (e.origin !== location.origin) return;\n"
        "    document.title = e.data.title;\n"
        "  });\n"
        "</script></head><body></body></html>\n")
def entry(url, mime, dest, text):
    return {"startedDateTime": "2026-11-25T10:00:00.000Z", "time": 1,
            "request": {"method": "GET", "url": url, "httpVersion": "HTTP/1.1",
                        "headers": [{"name": "Sec-Fetch-Dest", "value": dest}],
                        "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
            "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1",
                         "headers": [{"name": "Content-Type", "value": mime}], "cookies": [],
                         "content": {"size": len(text), "mimeType": mime, "text": text},
                         "redirectURL": "", "headersSize": -1, "bodySize": len(text)},
            "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}}
har = {"log": {"version": "1.2", "creator": {"name": "test", "version": "1"},
               "entries": [entry("https://shop.example/", "text/html", "document", page),
                           entry("https://shop.example/app.min.js", "application/javascript",
                                 "script", bundle)]}}
json.dump(har, open("bundle.har", "w"))
PY
expect_rc "import a HAR with a 3 MB one-line bundle" 0 "$PMSCOPE_FAST" import -q -w b.pmscope bundle.har
OUT=$("$PMSCOPE_FAST" ls -w b.pmscope listeners)
expect_match "bundle listener: indexOf check reaching innerHTML" "$OUT" \
    'https://shop.example +indexOf +innerHTML +scan +https://shop.example/app.min.js:1:[0-9]{7}'
expect_match "bundle listener: the check expression" "$OUT" \
    "check -1!==t.origin.indexOf\\(\"partner.example\"\\)  \\(1:[0-9]+\\)"
expect_match "inline listener: strict (location.origin), position in the HTML file" "$OUT" \
    'https://shop.example +strict +- +scan +https://shop.example/:3:38'
OUT=$("$PMSCOPE_FAST" ls -w b.pmscope sends --json)
expect_match "bundle send site: '*' flagged" "$OUT" '"target_expr":"parent","target_origin":"\*","wildcard":true'
OUT=$("$PMSCOPE_FAST" ls -w b.pmscope findings)
expect_match "bundle: flawed check reaching innerHTML in a framable page is critical" "$OUT" \
    'critical +suggested listener [0-9]+ +listener-weak-che.* indexOf origin check reaches innerHTML; its frame can be embedded by any site'
expect_match "bundle: the wildcard send of a token" "$OUT" 'send-wildcard-sen.*token'

# A recorded listener without its code (only where it was registered) takes
# the analysis of the script when a HAR holding that script comes later.
cat > nocode.jsonl <<'EOF'
{"v":1,"type":"meta","tool":"test","start_url":"https://shop.example/"}
{"v":1,"type":"frame","id":"F1","kind":"top","url":"https://shop.example/","parent":null,"ts":0}
{"v":1,"type":"listener","frame":"F1","script_url":"https://shop.example/app.min.js","line":1,"col":9}
EOF
expect_rc "import a trace listener without code" 0 "$PMSCOPE_FAST" import -q -w late.pmscope nocode.jsonl
OUT=$("$PMSCOPE_FAST" ls -w late.pmscope listeners)
expect_match "without its script the listener is not classified" "$OUT" '#1 +https://shop.example +- +- +trace'
expect_rc "import the HAR with the script later" 0 "$PMSCOPE_FAST" import -q -w late.pmscope bundle.har
OUT=$("$PMSCOPE_FAST" ls -w late.pmscope listeners)
expect_match "the recorded listener takes the scanned script's analysis" "$OUT" \
    '#1 +https://shop.example +indexOf +innerHTML +trace\+scan +https://shop.example/app.min.js:1:9'
expect_eq "the bundle's listener is listed once, as the recorded listener" \
    "$(printf '%s\n' "$OUT" | grep -c '^#.*app\.min\.js')" 1
OUT=$("$PMSCOPE_FAST" ls -w late.pmscope listeners --all --json)
expect_match "--all also lists the scanned copy, pointing at it" "$OUT" \
    '"found_by":"scan","same_as":1,'

# A trace: request/reply by id, a port conversation, hostile text.
cat > t.jsonl <<'EOF'
{"v":1,"type":"meta","tool":"test","start_url":"https://a.example/"}
{"v":1,"type":"frame","id":"F1","kind":"top","url":"https://a.example/","parent":null,"ts":0}
{"v":1,"type":"frame","id":"F2","kind":"iframe","url":"https://w.example/widget","parent":"F1","ts":1}
{"v":1,"type":"listener","frame":"F2","script_url":"https://w.example/\u001b[31mw.js","line":3,"col":5,"source":"function(e){ if (e.origin.indexOf('a.example')>-1) el.innerHTML=e.data /* \u001b]0;owned\u0007 */ }"}
{"v":1,"type":"listener","frame":"F1","script_url":"https://a.example/a.js","line":1,"col":1,"source":"e => { if (e.origin !== 'https://w.example') return; show(e.data) }"}
{"v":1,"type":"message","id":"M1","ts":40.2,"sender":"F1","receiver":"F2","target_origin":"*","via":"window","data":{"requestId":"r1","cmd":"getUser","session":"s-1"}}
{"v":1,"type":"message","id":"M2","ts":41.0,"sender":"F2","receiver":"F1","target_origin":"https://a.example","via":"window","data":{"requestId":"r1","result":"\u001b[2J\u202eevil"}}
{"v":1,"type":"message","id":"M3","ts":50,"sender":"F1","receiver":"F2","via":"port","port":"C1","data":{"type":"ping"}}
{"v":1,"type":"message","id":"M4","ts":51,"sender":"F2","receiver":"F1","via":"port","port":"C1","data":{"type":"pong"}}
EOF
expect_rc "import trace" 0 "$PMSCOPE" import -q -w t.pmscope t.jsonl
OUT=$("$PMSCOPE" ls -w t.pmscope listeners)
expect_match "trace listener classified" "$OUT" 'https://w.example +indexOf +innerHTML +trace'
expect_match "trace listener check at its script position" "$OUT" "check e.origin.indexOf\\('a.example'\\)>-1  \\(3:22\\)"
expect_match "control characters in a script URL are shown escaped" "$OUT" 'https://w.example/\\x1b\[31mw.js'
if printf '%s' "$OUT" | LC_ALL=C grep -q $'\x1b'; then
    fail "ls listeners writes no raw escape byte"
else
    pass "ls listeners writes no raw escape byte"
fi

OUT=$("$PMSCOPE" flow -w t.pmscope 2)
expect_match "flow: header names both origins" "$OUT" 'https://a.example +https://w.example'
expect_match "flow: request arrow left to right" "$OUT" '40\.2 ms #1 +\|-+>\| +to \*'
expect_match "flow: reply arrow right to left, linked" "$OUT" '> +41\.0 ms #2 +\|<-+\| +to https://a.example reply to #1'
expect_match "flow: data preview" "$OUT" '\{"requestId":"r1","cmd":"getUser","session":"s-1"\}'
if printf '%s' "$OUT" | LC_ALL=C grep -q $'\x1b'; then
    fail "flow writes no raw escape byte"
else
    pass "flow writes no raw escape byte"
fi
OUT=$("$PMSCOPE" flow -w t.pmscope 4)
expect_match "flow: port conversation" "$OUT" '#4 +\|<-+\| +\[port\] reply to #3'
expect_rc "flow: unknown message" 1 "$PMSCOPE" flow -w t.pmscope 99
expect_match "flow: unknown message says so" "$OUT" 'no message 99'
expect_rc "flow: not an id" 2 "$PMSCOPE" flow -w t.pmscope $'x\x1b[31m'
expect_nomatch "flow: bad id echoed escaped" "$OUT" $'\x1b'
expect_rc "flow: no id" 2 "$PMSCOPE" flow -w t.pmscope

# Findings: re-analysis neither duplicates nor overrides the analyst.
OUT=$("$PMSCOPE" ls -w t.pmscope findings --json)
n_before=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
expect_match "wildcard message with a session value" "$OUT" '"rule":"wildcard-sensitive"'
lf=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print([f["id"] for f in json.load(sys.stdin) if f["rule"]=="listener-weak-check-sink"][0])')
wf=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print([f["id"] for f in json.load(sys.stdin) if f["rule"]=="wildcard-sensitive"][0])')
expect_rc "confirm the listener finding" 0 "$PMSCOPE" confirm -w t.pmscope "$lf"
expect_rc "dismiss the wildcard finding" 0 "$PMSCOPE" dismiss -w t.pmscope "$wf"
expect_rc "analyze" 0 "$PMSCOPE" analyze -w t.pmscope
expect_match "analyze reports what it did" "$OUT" 'scanned 0 scripts; 2 listeners classified, 0 send sites, 2 replies linked, 0 new suggested findings'
OUT=$("$PMSCOPE" ls -w t.pmscope findings --json)
n_after=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
expect_eq "no duplicate findings after re-analysis" "$n_after" "$n_before"
st=$(printf '%s' "$OUT" | python3 -c "import json,sys; d={f['id']:f['status'] for f in json.load(sys.stdin)}; print(d[$lf], d[$wf])")
expect_eq "confirmed and dismissed findings untouched" "$st" "confirmed dismissed"
expect_rc "import the same trace again with --force" 0 "$PMSCOPE" import -q --force -w t.pmscope t.jsonl
OUT=$("$PMSCOPE" ls -w t.pmscope findings --json)
n_forced=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
# the copy's listener is the same handler (one finding) and its edge the same
# origins; only its wildcard message (another sender window) is new
expect_eq "a forced re-import adds only the new message's finding" "$n_forced" "$((n_before + 1))"

# A frame that navigated: the weak listener of its first page does not make
# the edge to its second page (whose listener is strict) a weak one.
cat > nav.jsonl <<'EOF'
{"v":1,"type":"frame","id":"F1","kind":"top","url":"https://app.example/","ts":0}
{"v":1,"type":"frame","id":"F2","kind":"iframe","url":"https://widget.example/v1","parent":"F1","ts":1}
{"v":1,"type":"frame","id":"F3","kind":"iframe","url":"https://evil.example/","parent":"F1","ts":2}
{"v":1,"type":"frame","id":"F4","kind":"iframe","url":"https://other.example/","parent":"F1","ts":3}
{"v":1,"type":"listener","frame":"F2","target":"window","script_url":"https://widget.example/v1.js","line":1,"col":1,"ts":4,"source":"function(e){ if (e.origin.indexOf('app.example') > -1) go(e.data) }"}
{"v":1,"type":"message","id":"M1","ts":10,"sender":"F3","receiver":"F2","target_origin":"*","data":"one"}
{"v":1,"type":"navigation","frame":"F2","url":"https://widget.example/v2","ts":20}
{"v":1,"type":"listener","frame":"F2","target":"window","script_url":"https://widget.example/v2.js","line":1,"col":1,"ts":21,"source":"function(e){ if (e.origin !== 'https://app.example') return; go(e.data) }"}
{"v":1,"type":"message","id":"M2","ts":30,"sender":"F4","receiver":"F2","target_origin":"*","data":"two"}
EOF
expect_rc "import a trace whose iframe navigates" 0 "$PMSCOPE" import -q -w nav.pmscope nav.jsonl
edges=$("$PMSCOPE" ls -w nav.pmscope findings --json | python3 -c '
import json, sys
for f in json.load(sys.stdin):
    if f["rule"] == "foreign-origin-accepted":
        print(f["severity"], "weak" if "weak" in f["title"] else "-",
              f["title"].split(" accepted messages from ")[1].split(",")[0])')
expect_eq "an edge into the first page (weak listener) is medium, into the second (strict) info" \
    "$edges" "medium weak https://evil.example
info - https://other.example"

OUT=$("$PMSCOPE" analyze --rules)
for r in listener-weak-check-sink listener-weak-check wildcard-sensitive send-wildcard-sensitive \
         foreign-origin-accepted framable-receiver; do
    expect_match "rule table lists $r" "$OUT" "^$r +"
done
printf 'window.addEventListener("message",function(e){eval(e.data)});' > small.js
expect_rc "bench-scan runs on a small file" 0 "$PMSCOPE_FAST" analyze --bench-scan small.js --size 1
expect_match "bench-scan reports throughput" "$OUT" 'full scan +[0-9.]+ MB/s .*: [0-9]+ listeners'
expect_rc "analyze: bad option" 2 "$PMSCOPE" analyze --size 0 --bench-scan small.js
expect_rc "analyze: missing workspace" 3 "$PMSCOPE" analyze -w nope.pmscope
