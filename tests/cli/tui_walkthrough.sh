#!/usr/bin/env bash
# tests/cli/tui_walkthrough.sh - the path a first-time analyst takes on the
# bundled sample, using only what the screen and `?` say: open the TUI,
# read the help, find the listener with no origin check that reaches
# innerHTML in view 4, open it (the messages it received), follow the flow
# of that message, mark the listener with a note, see the finding in view 5,
# export the report, quit.  Every step asserts what the screen shows; the
# exported Markdown is checked as a bug-tracker reader would read it.
. "$(dirname "$0")/../lib.sh"
. "$PM_ROOT/tests/tmux_lib.sh"
tmux_require

BIN=${PMSCOPE_FAST:-$PMSCOPE}
WS=$T/sample.pmscope
expect_rc "import the sample (trace + HAR)" 0 \
    "$BIN" import -w "$WS" "$PM_ROOT/sample-traces/demo.jsonl" \
    "$PM_ROOT/sample-traces/demo.har"

S=walk
tmux_start $S "env TERM=xterm-256color LANG=C.UTF-8 '$BIN' tui -w '$WS'; echo \"pmscope exited \$?\"; sleep 600"
wait_for "opens on the message list" $S 'time +from +to +target +via +data'
wait_for "the tabs name the views" $S '1 Messages +2 Graph +3 Frames +4 Listeners +5 Findings'
wait_for "the status bar says where help is" $S '\? help'

# The help says which view lists listeners and what Enter does.
keys $S '?'
wait_for "? says Enter opens a row" $S 'open the selected row'
wait_for "? says what m does" $S 'mark a finding on the selection'
keys $S G
wait_for "? lists view 4" $S 'view 4: listeners and their origin checks'
keys $S q
wait_gone "q closes the help" $S 'view 4: listeners'

# View 4: the listener with no origin check that reaches innerHTML.
keys $S 4
wait_for "view 4 lists listeners with check and sinks" $S 'origin check +sinks +script:line'
wait_for "a flawed check is named" $S 'regex-unanchored|indexOf|endsWith|startsWith'
wait_for "the key bar says Enter opens a row" $S 'EnterOpen +qQuit'
keys $S /
wait_for "/ searches the listeners" $S '^search:'
keys $S -l 'innerHTML'
keys $S Enter
wait_for "the search selects the innerHTML listener and shows its code" $S \
    'listener #[0-9]+ +check: none, any origin passes +sinks: innerHTML'
wait_for "its code writes data to innerHTML" $S "innerHTML = data\.theme"
LID=$(screen $S | sed -n 's/^ *listener #\([0-9]*\) .*/\1/p' | head -1)
wait_for "its row says: no check, innerHTML" $S "^ +$LID +http://127\.0\.0\.1:8103 +none +innerHTML"

# Enter: the messages that reached it, with its check in the detail.
keys $S Enter
wait_for "Enter lists the messages it received" $S \
    "1 of 14 msgs \\| filter: listener:$LID \\| messages listener #$LID received; f: flow"
wait_for "the detail shows the message" $S 'message +#9 M9'
wait_for "the message was sent to any origin" $S 'target +\*'
keys $S Tab
keys $S G
wait_for "the detail names the listener and its check" $S \
    'origin check: none .*sinks: innerHTML'
wait_for "the detail shows the data with the token" $S '"token": "tok_demo'

# f: the flow of that message.
keys $S f
wait_for "f opens the flow" $S 'flow of message #9: [0-9]+ messages?, 2 orig'
wait_for "the flow has a lane per origin" $S 'http://localhost:8102 +http://127\.0\.0\.1:8103'
keys $S Escape
wait_for "Esc returns to the list" $S 'time +from +to'

# m on the listener confirms the finding analysis suggested, with a note.
keys $S 4
wait_for "back in view 4 on the same listener" $S "listener #$LID +check: none, any origin passes"
keys $S m
wait_for "m offers to confirm the suggested finding" $S 'Confirm finding'
wait_for "the form shows the finding's title" $S 'no origin check reaches innerHTML'
wait_for "the form starts at the suggested severity" $S '\[critical\]'
keys $S Tab
keys $S -l 'theme from any frame reaches innerHTML'
keys $S Enter
wait_for "the status bar confirms it" $S 'finding #[0-9]+ confirmed as critical'

# View 5: the finding, confirmed, with the note.
keys $S 5
wait_for "view 5 lists it as confirmed" $S "critical +confirmed +listener $LID +message listener with no origin check"
keys $S /
keys $S -l 'innerHTML'
keys $S Enter
wait_for "the lower pane shows the whole title" $S \
    '^ message listener with no origin check reaches innerHTML; its frame can be embedded by any site'
wait_for "and the note" $S '^ theme from any frame reaches innerHTML'

# e: export.
keys $S e
wait_for "e asks for a file name" $S '^export to: pmscope-report\.md'
keys $S Enter
wait_for "export says what it wrote" $S 'wrote 1 confirmed finding to pmscope-report\.md \(redacted\)'

# The detail names the listeners a message can reach: a port message the
# port's listener, a window message the window's (not the port's).
keys $S 1
keys $S /
keys $S C-u
keys $S -l 'id:6'
keys $S Enter
wait_for "a port message: the detail names the port listener" $S \
    'listener +#[0-9]+ http://localhost:8102/widget\.js:15:'
expect_nomatch "and not the window listeners of its frame" "$(screen $S)" 'widget\.js:(9|28):'
keys $S /
keys $S C-u
keys $S -l 'id:1'
keys $S Enter
wait_for "a window message: the window listeners of its receiver" $S \
    'listener +#[0-9]+ http://localhost:8102/widget\.js:9:'
expect_nomatch "and not the port listener" "$(screen $S)" 'widget\.js:15:'

# q quits.
keys $S q
wait_for "q quits with status 0" $S 'pmscope exited 0'

# The report, as it would be pasted into a bug tracker.
R=$T/pmscope-report.md
if [ -f "$R" ]; then pass "the report was written"; else fail "the report was written" "no $R"; fi
REP=$(cat "$R" 2>/dev/null)
expect_match "report: the finding's title is its heading" "$REP" \
    '### Finding [0-9]+: message listener with no origin check reaches innerHTML; its frame can be embedded by any site'
expect_match "report: severity" "$REP" '\| Severity \| critical \|'
expect_match "report: receiver origin" "$REP" '\| Receiver origin \| http://127\.0\.0\.1:8103 \|'
expect_match "report: the analyst's note" "$REP" '> theme from any frame reaches innerHTML'
expect_match "report: the origin check" "$REP" 'Origin check: \*\*none\*\*'
expect_match "report: the sink" "$REP" 'Sinks: innerHTML'
expect_match "report: the handler's code" "$REP" "innerHTML = data\.theme"
expect_match "report: the evidence message" "$REP" '"theme": "<b>dark</b>"'
expect_match "report: a proof of concept" "$REP" 'Proof of concept'
expect_match "report: the PoC's message is built from the handler" "$REP" \
    'built from the handler: 1 guard on the path to innerHTML met with their constants; the canary is where innerHTML reads'
expect_match "report: the PoC puts the canary where innerHTML reads" "$REP" \
    'const data = \{"theme": canary, "type": "config"\};'
expect_match "report: the token is redacted" "$REP" '"token": "\[redacted\]"'
expect_nomatch "report: the token value is not in it" "$REP" 'tok_demo_5f2a9c'
expect_nomatch "report: no hand-mark duplicate" "$REP" 'Finding [0-9]+: listener http'
if command -v cmark >/dev/null; then
    HTML=$(cmark "$R")
    expect_match "report renders: title heading" "$HTML" '<h1>postMessage findings report</h1>'
    expect_match "report renders: finding heading" "$HTML" '<h3>Finding [0-9]+: message listener with no origin check'
    expect_match "report renders: code blocks" "$HTML" '<code class="language-js">'
fi
expect_eq "the workspace holds the confirmed finding with the note" \
    "$(python3 - "$WS" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print("|".join(str(v) for v in db.execute(
    "select severity, status, note from findings where subject_kind = 'listener' and status = 'confirmed'").fetchone() or ()))
PY
)" "critical|confirmed|theme from any frame reaches innerHTML"
