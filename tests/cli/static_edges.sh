#!/usr/bin/env bash
# static_edges.sh - the origin graph from code, as a user meets it: the demo
# sample's HAR alone (no postMessage events) gives static edges for its
# send sites (widget.js `parent.postMessage(..., 'http://127.0.0.1:8101')`,
# the popup's opener send, top.js's widgetWindow() and popup sends, the
# e.source replies) with each receiving listener's verdict on the sender
# origin; the trace plus the HAR, in either order, give one row per origin
# pair marked message+static; `show edge` lists the send sites and
# verdicts; analysing again changes nothing; the findings of weak checks
# name the site's own senders that pass and a foreign origin that passes.
. "$(dirname "$0")/../lib.sh"

HAR=$PM_ROOT/sample-traces/demo.har
TR=$PM_ROOT/sample-traces/demo.jsonl
A=http://127.0.0.1:8101
W=http://localhost:8102
N=http://127.0.0.1:8103

expect_rc "import the demo HAR alone" 0 "$PMSCOPE" import -q -w h.pmscope "$HAR"
expect_rc "ls edges" 0 "$PMSCOPE" ls -w h.pmscope edges
E=$OUT
expect_match "widget -> top: static, widget.js parent and the replies" "$E" \
    "^static +$W +-> $A +0; 4 send sites; listeners: 2 accept, 0 reject, 0 unknown"
expect_match "top -> widget: static (widgetWindow() twice, popup)" "$E" \
    "^static +$A +-> $W +0; 3 send sites; listeners: 2 accept, 1 reject, 0 unknown"
expect_match "nested -> widget: static" "$E" \
    "^static +$N +-> $W +0; 2 send sites; listeners: 3 accept, 0 reject, 0 unknown"
expect_match "widget -> nested: the '*' send counted" "$E" \
    "^static +$W +-> $N +0; 2 send sites \(1 with targetOrigin \*\)"
expect_match "frame edges unchanged" "$E" "^frame +$A +embeds $W +2"

edges_json() {
    "$PMSCOPE" ls -w "$1" edges --json | python3 -c '
import json, sys
for e in json.load(sys.stdin):
    print(e["kind"], "+".join(e["marks"]), e["from"], e["to"], e["count"],
          e["sends"], e["sends_wildcard"], e["accepted"], e["rejected"], e["unknown"])'
}
J=$(edges_json h.pmscope)
expect_eq "--json carries marks, sends and verdicts" "$(printf '%s\n' "$J" | sed -n 1,2p)" \
"message static $W $A 0 4 0 2 0 0
message static $A $W 0 3 0 2 1 0"

# each send site: how its receiver resolved, targetOrigin, delivered
sends() {
    "$PMSCOPE" show -w "$1" edge "$2" "$3" --json | python3 -c '
import json, sys
e = json.load(sys.stdin)
for s in e["sends"]:
    print(s["how"], s["receiver_expr"], s["target_origin"], s["target_origin_resolved"], s["delivered"])
for l in e["listeners"]:
    print(l["listener"], l["verdict"], l["check_kind"], l["why"])'
}
expect_eq "show edge top -> widget: iframe by id, popup; verdicts with why" \
    "$(sends h.pmscope $A $W)" \
"iframe-id widgetWindow() http://localhost:8102 http://localhost:8102 True
popup popup http://localhost:8102 http://localhost:8102 True
iframe-id widgetWindow() http://localhost:8102 http://localhost:8102 True
4 accepted indexOf contains 'http://127.0.0.1'
6 rejected endsWith does not end with '127.0.0.1:8103'
8 accepted startsWith starts with 'http://127.0.0.1'"
expect_eq "show edge widget -> top: parent, opener and e.origin replies" \
    "$(sends h.pmscope $W $A)" \
"reply e.source e.origin http://127.0.0.1:8101 True
parent parent http://127.0.0.1:8101 http://127.0.0.1:8101 True
reply event.source event.origin http://127.0.0.1:8101 True
opener opener http://127.0.0.1:8101 http://127.0.0.1:8101 True
1 accepted strict equals 'http://localhost:8102'
2 accepted regex-unanchored matches /localhost:8102/"
expect_rc "show edge in text names the targetOrigin and delivery" 0 \
    "$PMSCOPE" show -w h.pmscope edge "$W/widget.html" 1
expect_match "show edge text" "$OUT" "popup\.html:16:[0-9]+ +opener\.postMessage"
expect_match "show edge text: delivered" "$OUT" "targetOrigin http://127.0.0.1:8101 -> http://127.0.0.1:8101  delivered"
expect_rc "show edge of origins without an edge" 1 "$PMSCOPE" show -w h.pmscope edge $A $N
expect_match "says there is no such edge" "$OUT" "no message edge from $A to $N"
expect_rc "show edge of an unknown origin" 1 "$PMSCOPE" show -w h.pmscope edge https://x.example $A
expect_match "names it" "$OUT" "no origin https://x.example"
expect_rc "show edge needs two origins" 2 "$PMSCOPE" show -w h.pmscope edge $A

# weak checks: the site's own senders pass, and so would a foreign origin
F=$("$PMSCOPE" ls -w h.pmscope findings --json | python3 -c '
import json, sys
for f in json.load(sys.stdin):
    print(f.get("note") or "")')
expect_match "indexOf finding: own senders and a foreign origin pass" "$F" \
    "indexOf\('http://127\.0\.0\.1'\) > -1; the site's own senders pass \(http://127\.0\.0\.1:8101, http://127\.0\.0\.1:8103\), and so does a foreign origin such as http://127\.0\.0\.1\.evil\.example"
expect_nomatch "no foreign origin claimed for /localhost:8102/ (no registrable host)" "$F" \
    "localhost:8102/\.test\(event\.origin\);"

# analysing again gives the same rows
Q1="select count(*), group_concat(how || receiver_window_id || coalesce(delivered, 'n')) from static_sends"
Q2="select count(*), group_concat(verdict) from edge_verdicts"
before="$(ws_query h.pmscope "$Q1") $(ws_query h.pmscope "$Q2")"
expect_rc "analyze again" 0 "$PMSCOPE" analyze -w h.pmscope
expect_eq "static edges are rebuilt the same" \
    "$(ws_query h.pmscope "$Q1") $(ws_query h.pmscope "$Q2")" "$before"

# the trace and the HAR: one row per pair with both marks, either order
for order in "$TR $HAR" "$HAR $TR"; do
    rm -f b.pmscope
    for f in $order; do "$PMSCOPE" import -q -w b.pmscope "$f" >/dev/null 2>&1; done
    name=$(basename "${order%% *}")
    got=$(edges_json b.pmscope)
    expect_eq "$name first: observed and static of a pair are one row" "$got" \
"message message+static $W $A 6 4 0 2 0 0
message message+static $A $W 5 3 0 2 1 0
message message+static $N $W 2 2 0 3 0 0
message message+static $W $N 1 2 1 1 0 0
frame frame $A $W 2 0 0 0 0 0
frame frame $W $N 1 0 0 0 0 0"
done
expect_match "recorded replies keep the targetOrigin the code wrote" \
    "$(sends b.pmscope $W $A)" "reply e.source e.origin http://127.0.0.1:8101 True"
expect_rc "ls edges text on both" 0 "$PMSCOPE" ls -w b.pmscope edges
expect_match "message+static mark in text" "$OUT" \
    "^message\+static +$W +-> $A +6; 4 send sites"

"$PMSCOPE" import -q -w t.pmscope "$TR" >/dev/null 2>&1
J=$(edges_json t.pmscope)
expect_eq "the trace alone: its send records give static edges too" \
    "$(printf '%s\n' "$J" | sed -n 1p)" "message message+static $W $A 6 4 0 2 0 0"

# a v6 workspace (before static edges): opening upgrades it, analyze fills them
cp h.pmscope v6.pmscope
python3 - v6.pmscope <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("drop table static_sends; drop table edge_verdicts;"
                 " alter table send_sites drop column receiver;"
                 " drop index messages_via; drop index messages_size;"
                 " drop index messages_send_site;"
                 " alter table findings drop column verify_status;"
                 " alter table findings drop column verify_at;"
                 " alter table findings drop column verify_detail;"
                 " pragma user_version=6;")
db.commit()
PY
expect_rc "a v6 workspace opens" 0 "$PMSCOPE" ls -w v6.pmscope edges
SCHEMA_NOW=$(sed -n 's/^#define PM_SCHEMA_VERSION \([0-9]*\)$/\1/p' "$PM_ROOT/src/store.h")
expect_eq "it is upgraded to schema $SCHEMA_NOW" "$(ws_query v6.pmscope 'pragma user_version')" "$SCHEMA_NOW"
expect_nomatch "no static edges before its analysis" "$OUT" "^static"
expect_rc "analyze the upgraded workspace" 0 "$PMSCOPE" analyze -w v6.pmscope
expect_eq "analyze fills the static edges, as an import does" \
    "$(edges_json v6.pmscope)" "$(edges_json h.pmscope)"
