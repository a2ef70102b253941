#!/usr/bin/env bash
# tests/cli/tui.sh - drive the real TUI in tmux and check what the screen
# shows: navigation, views, filters (good and bad), flows, marking and
# unmarking (seen on screen and in the workspace), export, escaped control
# characters, resize to 80x24 and back, help, NO_COLOR, and a clean quit
# that restores the terminal.  Each check polls capture-pane until the
# expected text appears (bounded), never sleeps a fixed time.
. "$(dirname "$0")/../lib.sh"

BIN=${PMSCOPE_FAST:-$PMSCOPE}
DATA=$PM_ROOT/tests/data/tui/demo.jsonl
. "$PM_ROOT/tests/tmux_lib.sh"
tmux_require

WS=$T/ws.pmscope
expect_rc "import the TUI trace" 0 "$BIN" import -w "$WS" "$DATA"
# a verdict as `pmscope verify` keeps it (tests/cli/verify.sh runs Chromium)
python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("update findings set verify_status = ?, verify_at = ?", ("verified", "2026-01-01T00:00:00Z")); c.commit()' "$WS"

start() { # start SESSION ENV...: run the TUI in a detached 120x40 session
    local s=$1; shift
    "${TM[@]}" new-session -d -s "$s" -x 120 -y 40 -c "$T" \
        "env TERM=xterm-256color LANG=C.UTF-8 $* '$BIN' tui -w '$WS'; echo \"pmscope exited \$?\"; sleep 600"
}

S=main
start $S
wait_for "opens on the message list" $S 'time +from +to +target +via +data'
wait_for "frame tree pane lists the top window" $S 'T shop\.example'
wait_for "status bar counts messages, listeners, findings" $S '80 msgs \| 1 listeners \| 2 findings'
wait_for "key bar generated from the key table" $S 'F1Help +/Filter +fFlow +mMark'
wait_for "detail shows the first message" $S 'message +#1 M1'
wait_for "detail shows the receiving listener and its check" $S 'origin check: indexOf .*sinks: innerHTML'
# The data comes first in the detail pane; the windows follow below it.
keys $S Tab
keys $S G
# A trace records no HTTP responses: the framing is unknown, not absent.
wait_for "detail says the receiver's framing was not recorded" $S 'framing: not recorded'
claimed=$(screen $S | grep -c "any site can frame it")
expect_eq "detail does not claim any site can frame it" "$claimed" 0
keys $S BTab

# Navigation: j, G, g, PgDn.
keys $S j
wait_for "j selects the next message" $S 'message +#2 M2'
keys $S G
wait_for "G jumps to the last message" $S 'message +#80 M80'
keys $S g
wait_for "g returns to the first message" $S 'message +#1 M1'
keys $S NPage
wait_for "PgDn moves a page" $S 'message +#2[0-9] M2[0-9]'
keys $S Home
wait_for "Home returns to the first message" $S 'message +#1 M1'

# Mouse (SGR reports, as xterm sends them): click selects, wheel scrolls.
keys $S -l $'\e[<0;50;6M'
keys $S -l $'\e[<0;50;6m'
wait_for "a click selects the row under it" $S 'message +#4 M4'
keys $S -l $'\e[<65;50;6M'
wait_for "the wheel scrolls the list" $S 'message +#7 M7'
keys $S Home
wait_for "back to the first message" $S 'message +#1 M1'

# Untrusted data: escape sequences and bidi overrides show escaped.
keys $S j j
wait_for "escape sequences in data are shown escaped" $S '"html": "\\x1b\[31mRED\\x1b\[0m \\x1b\]0;pwned\\x07 \\u202eevil"'
wait_for "bidi override in the list preview is escaped" $S '\\u202eevil'
OUT=$(screen $S)
expect_nomatch "the terminal title was not set by the data" "$("${TM[@]}" display -p -t $S '#{pane_title}')" 'pwned'

# Views 2..6 and back.
keys $S 2
wait_for "view 2 opens on the drawing" $S 'shop\.example.*Enter: its windows'
keys $S t
wait_for "view 2: origin graph with counts" $S 'message shop\.example +-> widget\.example +40 +1'
keys $S 3
wait_for "view 3: frame tree with URLs" $S 'F widget\.example/w +https://widget\.example/w'
wait_for "view 3 names each window's source" $S 'https://widget\.example/w[^ ]* +#1 +known'
keys $S 4
wait_for "view 4: listeners with check, sinks, script and line" $S 'indexOf +innerHTML +https://widget\.example/w\.js:3'
keys $S 5
wait_for "view 5: findings suggested by analysis" $S 'high +suggested +listener 1'
wait_for "view 5: the selected finding's verify verdict" $S 'in Chromium: verified'
keys $S 6
wait_for "view 6: sources" $S 'demo\.jsonl +trace'
keys $S 1
wait_for "view 1 again" $S 'time +from +to'

# Graph edge filters the message list.
keys $S 2
wait_for "graph view before Enter (t kept the table)" $S 'sender origin'
keys $S Enter
wait_for "Enter on an edge filters messages to it" $S '40 of 80 msgs.*filter: from:"https://shop.example" and to:"https://widget.example"'
keys $S c
wait_for "c clears the filter" $S '80 msgs \| 1 listeners'
keys $S 2
keys $S t
wait_for "t goes back to the drawing" $S 'Enter: its windows'
keys $S 1

# A good filter.
keys $S /
wait_for "/ opens the filter prompt" $S '^filter:'
keys $S -l 'target:*'
keys $S Enter
wait_for "a good filter is applied and counted" $S '1 of 80 msgs.*filter: target:\*'
wait_for "the list shows only the match" $S 'message +#1 M1'

# A bad filter: caret under the error, the previous filter stays.
keys $S /
keys $S C-u
keys $S -l 'from:a and (to:b'
keys $S Enter
wait_for "a bad filter shows a caret under its column" $S '^ {19}\^ unbalanced'
keys $S Escape
wait_for "the previous filter stays active" $S '1 of 80 msgs.*filter: target:\*'
keys $S c

# Follow the flow of a message; Esc goes back.
keys $S g
keys $S f
wait_for "f opens the flow view" $S 'flow of message #1'
wait_for "the flow shows both origins as lanes" $S 'shop\.example.*widget\.example'
keys $S Escape
wait_for "Esc returns from the flow" $S 'time +from +to'

# Mark a finding: severity and note in the form.
keys $S m
wait_for "m opens the mark form" $S 'Mark finding'
keys $S Left
keys $S Tab
keys $S -l 'wildcard target leaks the user id'
keys $S Enter
wait_for "the mark is confirmed" $S 'marked message #1 as high'
wait_for "the status bar counts the finding" $S '3 findings'
wait_for "the list flags the marked message" $S '^.{30}.\* +0\.040'
expect_eq "the finding is in the workspace" \
    "$(sql "select subject_id, severity, status, note from findings where subject_kind = 'message'")" \
    "1|high|confirmed|wildcard target leaks the user id"
keys $S 5
keys $S G
wait_for "the finding shows in the findings view" $S 'high +confirmed +message 1'
wait_for "its note shows below" $S 'wildcard target leaks the user id'

# Confirm a suggested finding from the findings view.
keys $S g
keys $S m
wait_for "m on a suggested finding opens the confirm form" $S 'Confirm finding'
keys $S Enter
wait_for "the suggested finding is confirmed" $S 'finding #1 confirmed as high'
expect_eq "its new status is in the workspace" \
    "$(sql "select status from findings where id = 1")" "confirmed"

# Export the report.
keys $S e
wait_for "e asks where to export" $S '^export to: pmscope-report\.md'
keys $S Enter
wait_for "export reports what it wrote" $S 'wrote 2 confirmed findings to pmscope-report\.md'
if grep -q 'wildcard target leaks the user id' "$T/pmscope-report.md" 2>/dev/null; then
    pass "the report holds the note"
else
    fail "the report holds the note" "$(head -c 600 "$T/pmscope-report.md" 2>&1)"
fi

# Export never replaces the workspace, a symlink, or a file unasked.
keys $S e
keys $S ws.pmscope
keys $S Enter
wait_for "export to the workspace is refused" $S 'refusing to write over the workspace'
keys $S Escape
expect_eq "the workspace is still a workspace" \
    "$(sql "select status from findings where id = 1")" "confirmed"
keys $S e
keys $S ws.pmscope-wal
keys $S Enter
wait_for "export to the workspace's WAL is refused" $S 'refusing to write over the workspace'
keys $S Escape
echo victim > "$T/victim.txt"
ln -s victim.txt "$T/linked.md"
keys $S e
keys $S linked.md
keys $S Enter
wait_for "export through a symlink is refused" $S 'linked\.md: is a symbolic link'
keys $S Escape
expect_eq "the symlink's target is untouched" "$(cat "$T/victim.txt")" "victim"
echo old > "$T/old.md"
keys $S e
keys $S old.md
keys $S Enter
wait_for "an existing file is not replaced unasked" $S 'old\.md exists\. Replace it\? \(y/n\)'
keys $S n
wait_for "n goes back to the name" $S '^export to: old\.md'
expect_eq "the existing file is kept on n" "$(cat "$T/old.md")" "old"
keys $S Enter
wait_for "asked again" $S 'old\.md exists\. Replace it\? \(y/n\)'
keys $S y
wait_for "y replaces it" $S 'wrote 2 confirmed findings to old\.md'
if grep -q 'wildcard target leaks the user id' "$T/old.md" 2>/dev/null; then
    pass "the replaced file holds the report"
else
    fail "the replaced file holds the report" "$(head -c 300 "$T/old.md" 2>&1)"
fi

# Unmark: a hand mark is removed, a suggested finding is dismissed.
keys $S G
keys $S u
wait_for "u on a hand-made finding asks first" $S 'Delete finding #[0-9]+ \(high, note: wildcard target leaks the user id\)\? \(y/n\)'
keys $S y
wait_for "y removes the hand-made finding" $S 'finding #[0-9]+ removed'
expect_eq "the message finding is gone from the workspace" \
    "$(sql "select count(*) from findings where subject_kind = 'message'")" "0"
keys $S g
keys $S u
wait_for "u dismisses a suggested finding" $S 'finding #1 dismissed'
expect_eq "the dismissal is in the workspace" \
    "$(sql "select status from findings where id = 1")" "dismissed"

# A window is marked from view 3, and unmarked again.
keys $S 3
keys $S g
keys $S j
wait_for "view 3 selects the widget frame" $S 'F widget\.example/w +https://widget\.example/w'
keys $S m
wait_for "m on a window opens the mark form" $S 'Mark finding'
keys $S -l 'framable by anyone'
keys $S Enter
wait_for "the window mark is confirmed" $S 'marked window #[0-9]+ as [a-z]+'
expect_eq "the window finding is in the workspace" \
    "$(sql "select w.url, f.status, f.note from findings f join windows w on w.id = f.subject_id where f.subject_kind = 'window'")" \
    "https://widget.example/w|confirmed|framable by anyone"
keys $S u
wait_for "u on the window asks first" $S 'Delete the mark on window #[0-9]+ .*\(y/n\)'
keys $S y
wait_for "u on the window removes its mark" $S 'finding #[0-9]+ removed|unmarked window #[0-9]+ \(1 finding removed\)'
expect_eq "the window finding is gone" \
    "$(sql "select count(*) from findings where subject_kind = 'window'")" "0"
# Enter on the window: the messages it sent or received (not its origin's).
wid=$(sql "select id from windows where url = 'https://widget.example/w'")
nw=$(sql "select count(*) from messages where sender_window_id = $wid or receiver_window_id = $wid")
keys $S Enter
wait_for "Enter on a window lists its messages" $S \
    "$nw of 80 msgs \\| filter: window:$wid \\| messages window #$wid sent or received"
keys $S c
wait_for "c clears the window filter" $S '80 msgs \| 1 listeners'
keys $S 1

# Resize down to 80x24 and back.
keys $S 1
"${TM[@]}" resize-window -t $S -x 80 -y 24
wait_for "redraws at 80x24 (frame pane 20 columns)" $S '^.{20}(x|│) +0\.0'
OUT=$(screen $S)
expect_eq "the screen is 24 rows" "$(printf '%s\n' "$OUT" | wc -l)" "24"
expect_match "title and tabs fit at 80 columns" "$OUT" '1 Messages +2 Graph'
expect_match "messages still listed at 80x24" "$OUT" 'shop\.example'
"${TM[@]}" resize-window -t $S -x 120 -y 40
wait_for "redraws at 120x40 again (frame pane 30 columns)" $S '^.{30}(x|│) +0\.0'
wait_for "status bar at 120x40" $S '80 msgs \| 1 listeners \| 1 findings'
expect_eq "the screen is 40 rows again" "$(screen $S | wc -l)" "40"

# Help is generated from the key table.
keys $S '?'
wait_for "? opens the help" $S 'follow the flow of the selected message'
wait_for "help lists keys grouped" $S 'j Down +move down'
keys $S q
wait_for "q closes the help" $S 'time +from +to'

# Quit: the terminal is restored (alternate screen off).
keys $S q
wait_for "q quits with status 0" $S 'pmscope exited 0'
expect_eq "alternate screen is off after quit" \
    "$("${TM[@]}" display -p -t $S '#{alternate_on}')" "0"
wait_gone "no TUI left on the screen" $S 'F1Help'

# The bundled sample (trace + HAR), opened with `pmscope open`.
SWS=$T/sample.pmscope
printf '{"v":1,"type":"frame"\n' > "$T/broken.jsonl"
expect_rc "open with nothing importable does not start" 1 \
    "$BIN" open -w "$T/open-fail.pmscope" "$T/broken.jsonl"
"${TM[@]}" new-session -d -s sample -x 120 -y 40 -c "$T" \
    "env TERM=xterm-256color LANG=C.UTF-8 '$BIN' open -w '$SWS' '$PM_ROOT/sample-traces/demo.jsonl' '$PM_ROOT/sample-traces/demo.har' '$T/broken.jsonl'; echo \"pmscope exited \$?\"; sleep 600"
wait_for "open imports the sample and shows it" sample '[1-9][0-9]* msgs \| [1-9][0-9]* listeners \| [1-9][0-9]* findings'
wait_for "open names the file it could not import" sample '1 file not imported: .*broken\.jsonl'
wait_for "sample: frames from the trace and the HAR" sample 'T http://127\.0\.0\.1:8101'
keys sample 2
keys sample t
wait_for "sample: origin graph edges with counts" sample 'message .*127\.0\.0\.1:8101 +-> .*localhost:8102 +[0-9]+'
keys sample t
keys sample 4
wait_for "sample: listeners with their checks" sample 'indexOf|endsWith|startsWith|regex'
keys sample 1
keys sample /
keys sample -l 'target:*'
keys sample Enter
wait_for "sample: filter to wildcard targets" sample '[1-9][0-9]* of [0-9]+ msgs.*filter: target:\*'
keys sample f
wait_for "sample: follow a flow" sample 'flow of message #[0-9]+: [0-9]+ messages?'
keys sample Escape
keys sample q
wait_for "sample: quits cleanly" sample 'pmscope exited 0'
expect_eq "sample: the workspace kept both sources" \
    "$(WS=$SWS sql "select format from sources order by id" | tr '\n' ' ')" "trace har "

# A popup that navigated: the detail of a message lists the listeners of
# the document it was delivered to, not those of the popup's first page.
NWS=$T/nav.pmscope
expect_rc "import the navigating popup" 0 "$BIN" import -w "$NWS" "$PM_ROOT/tests/data/filter/navigation.jsonl"
"${TM[@]}" new-session -d -s nav -x 120 -y 40 -c "$T" \
    "env TERM=xterm-256color LANG=C.UTF-8 '$BIN' tui -w '$NWS' -f 'id:2'; echo \"pmscope exited \$?\"; sleep 600"
wait_for "nav: the message to the callback page" nav 'message +#2 M2'
wait_for "nav: its listener is the callback page's" nav 'listener +#2 https://app\.example/cb\.js:1:1'
expect_nomatch "nav: not the login page's" "$(screen nav)" 'login\.js'
keys nav /
keys nav C-u
keys nav -l 'id:1'
keys nav Enter
wait_for "nav: the message to the login page" nav 'message +#1 M1'
wait_for "nav: its listener is the login page's" nav 'listener +#1 https://idp\.example/login\.js:1:1'
expect_nomatch "nav: not the callback page's" "$(screen nav)" 'cb\.js'
keys nav q
wait_for "nav: quits cleanly" nav 'pmscope exited 0'

# NO_COLOR: attributes only, no colour escapes.
start nc NO_COLOR=1
wait_for "opens with NO_COLOR" nc 'time +from +to'
expect_nomatch "NO_COLOR leaves out colours" "$("${TM[@]}" capture-pane -e -p -t nc)" $'\e\\[(3[0-7]|4[0-7]|38;5)'
start col
wait_for "opens with colours" col 'time +from +to'
expect_match "colours are used otherwise" "$("${TM[@]}" capture-pane -e -p -t col)" $'\e\\[[0-9;]*3[0-7]m'

# Without a terminal the TUI refuses with a usage error.
expect_rc "tui needs a terminal" 2 "$BIN" tui -w "$WS"
expect_rc "tui on a missing workspace" 3 "$BIN" tui -w "$T/none.pmscope"
