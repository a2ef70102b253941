#!/usr/bin/env bash
# tests/cli/tui_sends.sh - view 7, the send sites, driven in tmux, and the
# first screen of a workspace without messages.  On the demo's trace and
# HAR: the list (sender origin, receiver, targetOrigin with '!' for '*',
# script:line:col), the detail of the selected call (window and document,
# the message it sent, its finding, the script around the call with the
# call's line marked, the recorded stack below it, J/K and p), m confirms
# its suggested finding, view 5's Enter comes back to it; on the trace
# alone Enter filters view 1 to the site's messages (send:N); at 80x24
# the tabs and the detail still fit.  A HAR alone opens on the listeners
# with a status line saying there are no messages; a workspace with
# neither messages nor listeners opens on the graph; the help lists 7.
. "$(dirname "$0")/../lib.sh"
. "$PM_ROOT/tests/tmux_lib.sh"
tmux_require

BIN=${PMSCOPE_FAST:-$PMSCOPE}
start() { # start SESSION WORKSPACE [COLS ROWS]
    "${TM[@]}" new-session -d -s "$1" -x "${3:-120}" -y "${4:-40}" -c "$T" \
        "env TERM=xterm-256color LANG=C.UTF-8 '$BIN' tui -w '$2'; echo \"pmscope exited \$?\"; sleep 600"
}

WS=$T/both.pmscope
expect_rc "import the demo's trace and HAR" 0 "$BIN" import -w "$WS" \
    "$PM_ROOT/sample-traces/demo.jsonl" "$PM_ROOT/sample-traces/demo.har"
STAR=$(sql "select id from send_sites where target_origin = '*' and stack is not null")
NSITES=$(sql "select count(*) from send_sites where same_as is null")

S=list
start $S "$WS"
wait_for "opens on the messages" $S 'time +from +to'
wait_for "the title has a tab for view 7" $S '6 Sources +7 Sends'
keys $S 7
wait_for "7 lists the send sites under their headings" $S \
    '# +sender origin +receiver +targetOrigin +script:line:col +found'
OUT=$(screen $S)
expect_eq "one row per send site (scanned copies of recorded calls left out)" \
    "$(printf '%s\n' "$OUT" | grep -Ec '^ +[0-9]+ [ !] http')" "$NSITES"
expect_match "the '*' call is flagged with '!'" "$OUT" \
    "^ +$STAR ! http://localhost:8102 +nestedWindow\\(\\) +\\* +http://localhost:8102/widget\\.js:19:36 +trace\\+scan"
expect_match "a literal targetOrigin is shown" "$OUT" \
    '^ +[0-9]+   http://127\.0\.0\.1:8103 +parent +http://localhost:8102 +http://127\.0\.0\.1:8103/nested\.html:16:12'
expect_match "a computed one says so" "$OUT" 'channel\.port1 +\(not a literal\)'
keys $S /
keys $S -l 'nestedWindow'
keys $S Enter
wait_for "/ finds the call by its receiver" $S "send site #$STAR +to nestedWindow\\(\\) +targetOrigin \\*"
wait_for "the detail: its window and document" $S \
    '^ from +window #[0-9]+ iframe, document 1 http://localhost:8102/widget\.html +found by trace\+scan'
MSG=$(sql "select id from messages where send_site_id = $STAR")
wait_for "the detail: the message it sent" $S "^ sent +1 message: #$MSG +\\(Enter: in view 1\\)"
wait_for "the detail: its finding" $S "^ findings #[0-9]+ medium suggested: postMessage with targetOrigin '\\*' sends token data"
wait_for "the code around the call, its line marked" $S \
    "^ +19 +nestedWindow\\(\\)\\.postMessage\\(\\{type: 'config'.*\\[call\\]$"
wait_for "the layout is said in the title" $S '\[as written\]$'
OUT=$(screen $S)
expect_eq "only the call's line is marked" "$(printf '%s\n' "$OUT" | grep -c '\[call\]$')" "1"
keys $S p
wait_for "p re-indents the script" $S '\[pretty-printed\]$'
wait_for "the call's line is still marked" $S 'nestedWindow\(\)\.postMessage\(.*\[call\]$'
keys $S p
wait_for "p again: as written" $S '\[as written\]$'
keys $S J J J J J J J J J J J J J J J J J J J J J J J J J J
wait_for "J scrolls down to the stack recorded at the sender" $S \
    '^ stack recorded at the sender'
wait_for "the stack frame below it" $S '^ +at MessagePort\.onPortMessage \(http://localhost:8102/widget\.js:19:36\)'

# m confirms the suggested finding; view 5 leads back to the call.
keys $S m
wait_for "m opens the form on the suggested finding" $S 'Confirm finding'
keys $S Enter
wait_for "m confirmed the suggested finding" $S 'finding #[0-9]+ confirmed as medium'
wait_for "the detail shows it confirmed" $S "^ findings #[0-9]+ medium confirmed: postMessage with targetOrigin"
expect_eq "the workspace has it confirmed" \
    "$(sql "select status from findings where subject_kind = 'send_site' and subject_id = $STAR")" "confirmed"
keys $S 5
wait_for "view 5 lists it" $S 'confirmed +send_site [0-9]+'
keys $S /
keys $S -l 'postMessage with targetOrigin'
keys $S Enter
keys $S Enter
wait_for "Enter on the finding opens view 7 on its send site" $S "send site #$STAR +to nestedWindow"
keys $S '?'
keys $S G
wait_for "the help lists view 7" $S '7 +view 7: send sites'
keys $S g
wait_for "and c there" $S 'c +list every send site again'
keys $S q
resize() { "${TM[@]}" resize-window -t "$1" -x "$2" -y "$3"; }
resize $S 80 24
wait_for "at 80x24 every tab still fits" $S '^ 1 Messages +2 Graph +3 Frames +4 Listeners +5 Findings +6 Sources +7 Sends$'
wait_for "at 80x24 the detail keeps the call" $S "send site #$STAR +to nestedWindow"
wait_for "at 80x24 the script column keeps the file and position" $S '…/widget\.js:19:36'
keys $S q
wait_for "quits cleanly" $S 'pmscope exited 0'

# The trace alone: Enter filters view 1 to what the call sent.
WST=$T/trace.pmscope
WS=$WST
expect_rc "import the demo's trace alone" 0 "$BIN" import -w "$WST" "$PM_ROOT/sample-traces/demo.jsonl"
TSTAR=$(sql "select id from send_sites where target_origin = '*'")
TMSG=$(sql "select id from messages where send_site_id = $TSTAR")
S=enter
start $S "$WST"
wait_for "the trace opens on the messages" $S 'time +from +to'
keys $S 7
wait_for "view 7" $S 'sender origin +receiver'
keys $S /
keys $S -l '*'
keys $S Enter
wait_for "the '*' call selected" $S "send site #$TSTAR +to iframe"
wait_for "no script in a trace, and where to get it" $S 'no script recorded: import the HAR of the same visit'
wait_for "its stack is shown" $S '^ +at MessagePort\.onPortMessage'
keys $S Enter
wait_for "Enter: view 1 filtered to the call's messages" $S "1 of [0-9]+ msgs.*filter: send:$TSTAR"
wait_for "the status says whose messages" $S "messages send site #$TSTAR sent"
wait_for "the message it sent is listed" $S '^.{30}x\* +0\.490 http://lo.*:8102 > http://12.*:8103 \*'
keys $S q
wait_for "quits" $S 'pmscope exited 0'

# A HAR alone: no messages, so the TUI opens on the listeners and says so.
WSH=$T/har.pmscope
expect_rc "import the demo's HAR alone" 0 "$BIN" import -w "$WSH" "$PM_ROOT/sample-traces/demo.har"
S=har
start $S "$WSH"
wait_for "a HAR opens on the listeners" $S '# +window origin +origin check +sinks'
wait_for "the status line says there are no messages" $S \
    '0 msgs \| [0-9]+ listeners \| [0-9]+ findings \| no messages recorded: listeners analysis found; 5: findings'
OUT=$(screen $S)
expect_nomatch "not an empty message list" "$OUT" 'time +from +to'
keys $S 7
wait_for "its send sites were found by the scan" $S 'found by scan'
wait_for "a scanned call sent nothing recorded" $S '^ sent +none recorded \(a scan finds calls; a trace records messages\)'
keys $S Enter
wait_for "Enter on a call without messages says so and stays" $S \
    'send site #[0-9]+: no message it sent was recorded'
keys $S q
"${TM[@]}" kill-session -t $S
S=har80
start $S "$WSH" 80 24
wait_for "at 80x24 the status line gives the message the room" $S \
    '^ 0 msgs \| no messages recorded: listeners analysis found; 5: findings'
keys $S q

# Neither messages nor listeners: the graph.
cat > frames.jsonl <<'JSONL'
{"v": 1, "type": "meta", "tool": "t", "tool_version": "1", "start_url": "https://a.example/", "started": "2026-11-25T10:00:00Z"}
{"v": 1, "type": "frame", "id": "F1", "kind": "top", "url": "https://a.example/", "parent": null, "opener": null, "ts": 0.0}
{"v": 1, "type": "frame", "id": "F2", "kind": "iframe", "url": "https://w.example/", "parent": "F1", "opener": null, "ts": 1.0}
JSONL
expect_rc "import frames without messages or listeners" 0 "$BIN" import -w "$T/frames.pmscope" frames.jsonl
S=empty
start $S "$T/frames.pmscope"
wait_for "no listeners either: it opens on the graph and says so" $S \
    'no messages or listeners recorded: the origin graph; 7: send sites'
keys $S 1
wait_for "1 still shows the (empty) message list" $S 'time +from +to'
keys $S q
wait_for "quits" $S 'pmscope exited 0'
