#!/usr/bin/env bash
# evidence.sh - a finding shows the message that proves it, and an attack
# request and its reply are one flow.
#
# attack.jsonl: a widget's listener (no origin check, innerHTML) gets the
# site's own banner first, then two messages from an ad frame of another
# site, the second with markup.  rpc.jsonl: an RPC frame answers the
# site's request (id 7) and an attacker's (ids 99 and 100); the request
# with id 99 was seen at the receiver only (no sending window).
. "$(dirname "$0")/../lib.sh"

D=$PM_ROOT/tests/data/evidence
# first_finding WS WHAT: the id of WS's first finding on a listener
# (WHAT = listener) or of rule WHAT.
first_finding() {
    "$PMSCOPE" ls findings -w "$1" --json | python3 -c 'import json,sys
w = sys.argv[1]
print(next(f["id"] for f in json.load(sys.stdin)
           if (f["subject_kind"] if w == "listener" else f["rule"]) == w))' "$2"
}
expect_rc "import the attack recording" 0 "$PMSCOPE" import -q -w a.pmscope "$D/attack.jsonl"
f=$(first_finding a.pmscope listener)
"$PMSCOPE" confirm "$f" -w a.pmscope > /dev/null
expect_rc "export the listener finding" 0 "$PMSCOPE" export -w a.pmscope -o a.md
expect_match "the evidence is the attack message, not the site's banner" "$(cat a.md)" \
    '^Message 3 at 30\.0 ms \(M3 in the trace\), from https://evil\.example to https://widget\.example'
expect_match "the report says why that message" "$(cat a.md)" \
    '^This message was chosen because it came from https://evil\.example, a site other than the receiver.s and its page.s \(https://site\.example\), and carries markup for the listener.s HTML sink\.$'
expect_match "the sender origin is the attacker's" "$(cat a.md)" '^\| Sender origin \| https://evil\.example \|$'
expect_nomatch "the banner is not the evidence" "$(sed -n '/^#### Evidence/,/^#### /p' a.md)" 'Welcome back'
expect_rc "export as JSON" 0 "$PMSCOPE" export -w a.pmscope --format json -o a.json
expect_eq "JSON names the evidence and why" \
    "$(python3 -c 'import json,sys; f=json.load(open("a.json"))["findings"][0]; print(f["evidence"]["id"], f["evidence_why"][:40])')" \
    "3 chosen because it came from https://evil"

# Only legitimate traffic: the first message, and the report says so.
head -6 "$D/attack.jsonl" > legit.jsonl
expect_rc "import a recording without the attack" 0 "$PMSCOPE" import -q -w l.pmscope legit.jsonl
f=$(first_finding l.pmscope listener)
"$PMSCOPE" confirm "$f" -w l.pmscope > /dev/null
expect_rc "export it" 0 "$PMSCOPE" export -w l.pmscope -o l.md
expect_match "without an attack the evidence is the legitimate shape, said so" "$(cat l.md)" \
    'chosen because no message from another site reached this listener: it is the first one it received, from https://site\.example, and shows the shape of a legitimate message'

# ---- flows ------------------------------------------------------------------
expect_rc "import the RPC recording" 0 "$PMSCOPE" import -q -w r.pmscope "$D/rpc.jsonl"
expect_rc "flow of the site's request" 0 "$PMSCOPE" flow -w r.pmscope 1
expect_match "the site's request and reply are one flow" "$OUT" '^flow 1: 2 messages'
expect_rc "flow of the attacker's request seen at the receiver only" 0 "$PMSCOPE" flow -w r.pmscope 3
expect_match "the attack request and its reply are one flow" "$OUT" '^flow 3: 2 messages'
expect_match "the reply is message 4" "$OUT" '#4 '
expect_rc "flow of the attacker's second request" 0 "$PMSCOPE" flow -w r.pmscope 5
expect_match "a request from a known frame and its reply are one flow" "$OUT" '^flow 5: 2 messages'
expect_eq "no reply is linked to another pair's request" \
    "$("$PMSCOPE" ls messages -w r.pmscope --json | python3 -c 'import json,sys; print(",".join("%d>%s" % (m["id"], m.get("reply_to")) for m in json.load(sys.stdin)))')" \
    "1>None,2>1,3>None,4>3,5>None,6>5"

# ---- the sending call -------------------------------------------------------
# The sample's trace records each send at the sender (script, line, column,
# stack); the HAR's scan finds the same calls: one send site per call.
S=$PM_ROOT/sample-traces
expect_rc "import the sample" 0 "$PMSCOPE" import -q -w s.pmscope "$S/demo.jsonl" "$S/demo.har"
expect_rc "list send sites" 0 "$PMSCOPE" ls sends -w s.pmscope
expect_eq "each call is one send site" "$(printf '%s\n' "$OUT" | grep -c '^#')" 14
f=$(first_finding s.pmscope wildcard-sensitive)
"$PMSCOPE" confirm "$f" -w s.pmscope > /dev/null
expect_rc "export the token-to-* message finding" 0 "$PMSCOPE" export -w s.pmscope -o s.md
expect_match "it names the sending call" "$(cat s.md)" \
    '^Send site [0-9]+ in http://localhost:8102/widget\.js, line 19, column 36: posts to nestedWindow\(\) with targetOrigin \\\*\.$'
expect_match "with the stack recorded at the sender" "$(cat s.md)" \
    'at MessagePort\.onPortMessage \(http://localhost:8102/widget\.js:19:36\)'
expect_eq "every message names the call that sent it" \
    "$(python3 -c 'import sqlite3; print(sqlite3.connect("s.pmscope").execute("select count(*) from messages where send_site_id is null").fetchone()[0])')" 0
