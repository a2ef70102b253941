#!/usr/bin/env bash
# tests/cli/show_send.sh - `pmscope show send ID` and `show finding ID`,
# as text and --json: on the demo's trace and HAR together a recorded call
# shows its window, document, receiver, '*' targetOrigin, the message it
# sent, its finding, the script around the call with the call's line
# marked, and its stack; on the HAR alone the scanned call says no message
# was recorded; on the trace alone there is no script to show.  A
# finding shows its subject (and how to show that), the evidence message
# and why, its note and re-check state.  The filter send:N keeps the
# messages a call sent.  Missing ids, bad ids and unknown
# kinds are refused as for the other kinds.
. "$(dirname "$0")/../lib.sh"

json() { # json EXPR: evaluate EXPR on the JSON document in $OUT as d
    printf '%s' "$OUT" | python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"
}

WS=$T/both.pmscope
expect_rc "import the demo's trace and HAR" 0 "$PMSCOPE" import -w "$WS" \
    "$PM_ROOT/sample-traces/demo.jsonl" "$PM_ROOT/sample-traces/demo.har"
ID=$(ws_query "$WS" "select id from send_sites where target_origin = '*' and stack is not null")
expect_match "the demo's '*' call is one recorded send site" "$ID" '^[0-9]+$'
MSG=$(ws_query "$WS" "select id from messages where send_site_id = $ID")

expect_rc "show send" 0 "$PMSCOPE" show -w "$WS" send "$ID"
expect_match "its id" "$OUT" "^send site #$ID$"
expect_match "its window and origin" "$OUT" '^window +#[0-9]+ iframe http://localhost:8102$'
expect_match "its document" "$OUT" '^document +1\. http://localhost:8102/widget\.html$'
expect_match "where the call is" "$OUT" '^script +http://localhost:8102/widget\.js:19:36$'
expect_match "seen by the trace and the scan" "$OUT" '^found by +trace\+scan$'
expect_match "its receiver" "$OUT" '^receiver +nestedWindow\(\)$'
expect_match "its '*' targetOrigin, flagged" "$OUT" '^target +\*  \[wildcard'
expect_match "the message it sent" "$OUT" "^messages +1 sent: #$MSG$"
expect_match "its finding" "$OUT" "^findings +#[0-9]+ medium suggested  postMessage with targetOrigin '\\*' sends token data$"
expect_match "the code around the call, as written" "$OUT" '^code +around the call, as written$'
expect_match "the call's line is marked" "$OUT" \
    "^ +19  +nestedWindow\\(\\)\\.postMessage\\(\\{type: 'config'.*'\\*'\\);  \\[call\\]$"
expect_eq "only that line is marked" "$(printf '%s\n' "$OUT" | grep -c '\[call\]$')" "1"
expect_match "lines before the call" "$OUT" "^ +9  window\\.addEventListener\\('message', function onHostMessage"
expect_match "the stack recorded at the sender" "$OUT" \
    '^stack +recorded at the sender'$'\n'' +at MessagePort\.onPortMessage \(http://localhost:8102/widget\.js:19:36\)$'
expect_rc "ls messages --filter send:N" 0 "$PMSCOPE" ls -w "$WS" --json messages --filter "send:$ID"
expect_eq "the filter send:N keeps the messages the call sent" "$(json '[m["id"] for m in d]')" "[$MSG]"
expect_rc "send: takes an id" 2 "$PMSCOPE" ls -w "$WS" messages --filter "send:x"
expect_rc "show send with #" 0 "$PMSCOPE" show -w "$WS" send "#$ID"

expect_rc "show send --json" 0 "$PMSCOPE" show -w "$WS" --json send "$ID"
expect_eq "JSON: id, receiver, targetOrigin, wildcard" \
    "$(json 'd["id"], d["target_expr"], d["target_origin"], d["wildcard"]')" \
    "$ID nestedWindow() * True"
expect_eq "JSON: window, document, found by" \
    "$(json 'd["window_kind"], d["document"], d["document_url"], d["found_by"]')" \
    "iframe 1 http://localhost:8102/widget.html trace+scan"
expect_eq "JSON: messages sent" "$(json 'd["messages"], d["message_ids"]')" "1 [$MSG]"
expect_eq "JSON: its finding" "$(json '[f["rule"] for f in d["findings"]]')" \
    "['send-wildcard-sensitive']"
expect_eq "JSON: the call marked at its script position" \
    "$(json '[(m["what"], m["line"], m["col"]) for m in d["code"]["marks"]]')" \
    "[('call', 19, 36)]"
expect_eq "JSON: the code starts where it says" \
    "$(json 'd["code"]["line"], d["code"]["text"].split(chr(10))[19 - d["code"]["line"]].strip()[:26]')" \
    "7 nestedWindow().postMessage"
expect_match "JSON: the stack" "$(json 'd["stack"]')" 'onPortMessage'

# The HAR alone: the scan found the call; nothing it sent was recorded.
WSH=$T/har.pmscope
expect_rc "import the demo's HAR alone" 0 "$PMSCOPE" import -w "$WSH" "$PM_ROOT/sample-traces/demo.har"
HID=$(ws_query "$WSH" "select id from send_sites where target_origin = '*'")
expect_rc "show a scanned send" 0 "$PMSCOPE" show -w "$WSH" send "$HID"
expect_match "found by the scan" "$OUT" '^found by +scan$'
expect_match "no message recorded, and why" "$OUT" '^messages +none recorded \(a scan finds calls; a trace records messages\)$'
expect_match "its code still marked" "$OUT" '^ +19  .*\[call\]$'
expect_nomatch "no stack" "$OUT" '^stack'
expect_rc "show --json a scanned send" 0 "$PMSCOPE" show -w "$WSH" --json send "$HID"
expect_eq "JSON: no messages, no stack" "$(json 'd["messages"], d["message_ids"], d["stack"]')" "0 [] None"

# The trace alone: the call and its stack, no script.
WST=$T/trace.pmscope
expect_rc "import the demo's trace alone" 0 "$PMSCOPE" import -w "$WST" "$PM_ROOT/sample-traces/demo.jsonl"
expect_rc "show a recorded send without its script" 0 "$PMSCOPE" show -w "$WST" send 1
expect_match "says the code was not recorded" "$OUT" '^code +not recorded \(import the HAR of the same visit for the script\)$'
expect_match "shows the stack" "$OUT" '^ +at http://127\.0\.0\.1:8103/nested\.html:16:12$'
expect_rc "show --json a send without its script" 0 "$PMSCOPE" show -w "$WST" --json send 1
expect_eq "JSON: code is null" "$(json 'd["code"]')" "None"

# Findings.
FID=$(ws_query "$WSH" "select id from findings where subject_kind = 'send_site'")
expect_rc "show finding" 0 "$PMSCOPE" show -w "$WSH" finding "$FID"
expect_match "its id" "$OUT" "^finding +#$FID$"
expect_match "severity and status" "$OUT" '^severity +medium'$'\n''status +suggested$'
expect_match "its title" "$OUT" "^title +postMessage with targetOrigin '\\*' sends token data$"
expect_match "who found it" "$OUT" '^found by +analysis, rule send-wildcard-sensitive$'
expect_match "its subject, described" "$OUT" "^subject +send_site $HID in http://localhost:8102/widget\\.js:19 targetOrigin \\*$"
expect_match "how to show the subject" "$OUT" "^ +\\(pmscope show send $HID\\)$"
expect_match "no evidence message in a HAR" "$OUT" '^evidence +no recorded message shows it$'
expect_match "its note" "$OUT" '^note +http://localhost:8102/widget\.js:19:21$'
expect_match "not re-checked" "$OUT" '^recheck +not run'
expect_rc "add a second note line" 0 "$PMSCOPE" note -w "$WSH" "$FID" $'seen in prod\nticket filed'
expect_rc "show finding after a note" 0 "$PMSCOPE" show -w "$WSH" finding "$FID"
expect_match "a note of two lines is indented" "$OUT" '^note +seen in prod'$'\n'' {10}ticket filed$'

LID=$(ws_query "$WS" "select id from findings where rule = 'listener-weak-check' order by id limit 1")
expect_rc "show a listener finding" 0 "$PMSCOPE" show -w "$WS" finding "$LID"
expect_match "the evidence message and why it was chosen" "$OUT" '^evidence +message #[0-9]+ \(chosen because'
expect_match "its origins" "$OUT" '^origins +http://[^ ]+ -> http://'
expect_rc "show finding --json" 0 "$PMSCOPE" show -w "$WS" --json finding "$LID"
expect_eq "JSON: kind, rule, status" "$(json 'd["subject_kind"], d["rule"], d["status"]')" \
    "listener listener-weak-check suggested"
expect_match "JSON: evidence and why" "$(json 'd["evidence_message"] > 0, d["evidence_why"]')" '^True chosen because'
expect_eq "JSON: the listener is the subject" "$(json 'd["listener"] == d["subject_id"]')" "True"

# Refused: a missing id (exit 1, said as for the other kinds), bad ids and
# kinds (exit 2).
expect_rc "a missing send site" 1 "$PMSCOPE" show -w "$WS" send 999
expect_match "names it" "$OUT" 'no send site 999'
expect_rc "a missing finding" 1 "$PMSCOPE" show -w "$WS" finding 999
expect_match "names it" "$OUT" 'no finding 999'
expect_rc "a missing finding with --json" 1 "$PMSCOPE" show -w "$WS" --json finding 999
expect_nomatch "prints no JSON" "$OUT" '^\{'
expect_rc "a missing message, as before" 1 "$PMSCOPE" show -w "$WS" message 999
expect_rc "id text is refused" 2 "$PMSCOPE" show -w "$WS" send x1
expect_match "says what an id is" "$OUT" "bad id 'x1': expected a positive whole number"
expect_rc "id 0 is refused" 2 "$PMSCOPE" show -w "$WS" finding 0
expect_rc "a negative id is refused" 2 "$PMSCOPE" show -w "$WS" send -- -3
expect_rc "an unknown kind names every kind" 2 "$PMSCOPE" show -w "$WS" sends 1
expect_match "the kinds" "$OUT" 'kinds: window message listener send finding'
expect_rc "no id is a usage error" 2 "$PMSCOPE" show -w "$WS" send

# Window and message have --json too.
expect_rc "show window --json" 0 "$PMSCOPE" show -w "$WS" --json window 2
expect_eq "JSON window: kind, documents, sources" \
    "$(json 'd["kind"], len(d["documents"]), d["sources"]')" "iframe 1 [1, 2]"
expect_rc "show message --json" 0 "$PMSCOPE" show -w "$WS" --json message "$MSG"
expect_eq "JSON message: its data as stored, its target" \
    "$(json 'json.loads(d["data_json"])["token"], d["target_origin"]')" "tok_demo_5f2a9c *"
