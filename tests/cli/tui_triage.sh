#!/usr/bin/env bash
# tests/cli/tui_triage.sh - what a user triaging a workspace in the TUI
# relies on, driven in tmux: the selected row stays the same object across
# resize, filter changes and refreshes (so m marks what was selected);
# unmarking can be undone; export says which findings it left out; the
# frame panes show each window's document path; the detail pane shows a
# message's data before its listeners; the message list shares its width
# by need; the code pane scrolls both ways; a mouse click selects a row.
. "$(dirname "$0")/../lib.sh"
. "$PM_ROOT/tests/tmux_lib.sh"
tmux_require

BIN=${PMSCOPE_FAST:-$PMSCOPE}
WS=$T/ws.pmscope
expect_rc "import the TUI trace" 0 "$BIN" import -w "$WS" "$PM_ROOT/tests/data/tui/demo.jsonl"

start() { # start SESSION [ARGS...]: the TUI on $WS in a 120x40 session
    local s=$1; shift
    tmux_start "$s" "env TERM=xterm-256color LANG=C.UTF-8 '$BIN' tui -w '$WS' $*; echo \"pmscope exited \$?\"; sleep 600"
}
resize() { "${TM[@]}" resize-window -t "$1" -x "$2" -y "$3"; }

# 1. The selection is an object, not a screen row.
S=sel
start $S
wait_for "sel: opens on message #1" $S 'message +#1 M1'
keys $S G
wait_for "sel: G selects the last message" $S 'message +#80 M80'
resize $S 80 24
wait_for "sel: redrawn at 80x24" $S '^.{20}(x|│) +0\.'
wait_for "sel: the last message is still selected after the resize" $S 'message +#80 M80'
keys $S m
wait_for "sel: m opens the form" $S 'Mark finding'
keys $S Enter
wait_for "sel: m marked the selected message" $S 'marked message #80 as'
expect_eq "sel: the workspace has the mark on message 80" \
    "$(sql "select m.ext_id from findings f join messages m on m.id = f.subject_id where f.subject_kind = 'message'")" "M80"
wait_for "sel: still selected after the refresh" $S 'message +#80 M80'
resize $S 120 40
wait_for "sel: redrawn at 120x40" $S '^.{30}(x|│) +[ 0-9]+\.'
wait_for "sel: still the last message at 120x40" $S 'message +#80 M80'
keys $S g
keys $S j j j j
wait_for "sel: message #5 selected" $S 'message +#5 M5'
keys $S /
keys $S -l 'from:"https://shop.example"'
keys $S Enter
wait_for "sel: the filter is applied" $S '[0-9]+ of 80 msgs'
wait_for "sel: the message matching the filter stays selected" $S 'message +#5 M5'
keys $S c
wait_for "sel: filter cleared" $S '80 msgs \|'
wait_for "sel: it stays selected when the filter is cleared" $S 'message +#5 M5'
keys $S /
keys $S -l 'id:1'
keys $S Enter
wait_for "sel: a filter that leaves it out starts at its first match" $S 'message +#1 M1'
keys $S q

# 2. u asks before deleting a hand mark; export says what it left out.
S=del
start $S
wait_for "del: opens" $S 'message +#1 M1'
keys $S j j
wait_for "del: message #3 selected" $S 'message +#3 M3'
keys $S m
wait_for "del: the mark form" $S 'Mark finding'
keys $S Left
keys $S Tab
keys $S -l 'reflected into innerHTML'
keys $S Enter
wait_for "del: marked" $S 'marked message #3 as high'
keys $S u
wait_for "del: u asks before deleting the finding and its note" $S \
    'Delete the mark on message #3 \(high, note: reflected into innerHTML\)\? \(y/n\)'
keys $S n
wait_for "del: n keeps it" $S 'kept; nothing deleted'
expect_eq "del: the finding and its note are still in the workspace" \
    "$(sql "select severity, note from findings f join messages m on m.id = f.subject_id where f.subject_kind = 'message' and m.ext_id = 'M3'")" \
    "high|reflected into innerHTML"
keys $S u
wait_for "del: asked again" $S 'Delete the mark on message #3 .*\(y/n\)'
keys $S y
wait_for "del: y deletes it" $S 'unmarked message #3 \(1 finding removed\)'
expect_eq "del: gone from the workspace" \
    "$(sql "select count(*) from findings f join messages m on m.id = f.subject_id where f.subject_kind = 'message' and m.ext_id = 'M3'")" "0"
keys $S e
wait_for "del: e asks where to export" $S '^export to: '
keys $S -l 'empty.md'
keys $S Enter
nsug=$(sql "select count(*) from findings where status = 'suggested'")
ncon=$(sql "select count(*) from findings where status = 'confirmed'")
wait_for "del: export says which findings it left out" $S \
    "wrote $ncon confirmed findings? to empty\\.md \\(redacted\\); $nsug suggested finding"
resize $S 200 40
wait_for "del: the whole sentence" $S \
    "$nsug suggested findings? not reviewed w[a-z]+ left out \\(confirm them with m\\)"
resize $S 120 40
keys $S q

# 3. The frame panes show each window's document, not only its origin.
SWS=$T/sample.pmscope
expect_rc "import the sample" 0 "$BIN" import -w "$SWS" \
    "$PM_ROOT/sample-traces/demo.jsonl" "$PM_ROOT/sample-traces/demo.har"
S=frames
tmux_start $S "env TERM=xterm-256color LANG=C.UTF-8 '$BIN' tui -w '$SWS'; echo \"pmscope exited \$?\"; sleep 600"
wait_for "frames: opens" $S 'time +from +to'
wait_for "frames: the pane shows the iframe's document path" $S '^ +(└|m)F …local[a-z]*…:8102/widget\.html'
wait_for "frames: and the popup's, told apart from the iframe" $S '^ +(\^|└|m)P …local[a-z]*…:8102/popup\.html'
resize $S 80 24
wait_for "frames: at 80 columns the middle goes, the page's name stays" $S '^ +(└|m)F …l[a-z]*…[0-9:]*/?[a-z]*dget\.html(x|│)'
resize $S 120 40
keys $S 3
wait_for "frames: view 3's tree shows the document path too" $S '(└|m)F http://localhost:8102/widget\.html +http://localhost:8102/widget\.html'
keys $S q

# 4. The detail pane shows a message's data before its listeners.
S=data
start $S
wait_for "data: opens" $S 'message +#1 M1'
resize $S 80 24
wait_for "data: redrawn at 80x24" $S '^.{20}(x|│) +0\.'
wait_for "data: the data shows in a short detail pane" $S '^ +"id": 7,'
expect_nomatch "data: the listener list comes after it" "$(screen $S)" 'listener +#1 '
keys $S Tab
wait_for "data: the detail pane has the focus" $S '^ detail'
keys $S G
wait_for "data: scrolled, the listener and its check follow" $S 'origin check: indexOf'
resize $S 120 40
keys $S q

# 5. The message list shares its width by need; listener scripts keep
# their file name and line.
S=cols
tmux_start $S "env TERM=xterm-256color LANG=C.UTF-8 '$BIN' tui -w '$SWS'; echo \"pmscope exited \$?\"; sleep 600"
wait_for "cols: opens" $S 'time +from +to'
wait_for "cols: origins keep scheme, host start and port; target too" $S \
    '0\.450 http://12(…|~):8103 > http://lo(…|~):8102 http://loc?(…|~):8102 +window '
wait_for "cols: data gets the rest of the 120 columns" $S \
    'window \{"type":"nested-rea'
resize $S 80 24
keys $S 4
wait_for "cols: view 4 at 80 columns" $S 'script:line'
wait_for "cols: the script column keeps the file name and line" $S '(…|~)/widget\.js:9 +trace'
wait_for "cols: and the page's" $S '(…|~)/nested\.html:8 +trace'
keys $S q

# 6. The code pane scrolls both ways; the help lists its keys.
S=code
tmux_start $S "env TERM=xterm-256color LANG=C.UTF-8 '$BIN' tui -w '$SWS'; echo \"pmscope exited \$?\"; sleep 600"
wait_for "code: opens" $S 'time +from +to'
resize $S 80 24
keys $S 4
wait_for "code: the handler from its first line" $S '^ +14 function onWidgetMessage'
keys $S J J
wait_for "code: J scrolls the code down" $S '^ +16 +var msg = event\.data;'
expect_nomatch "code: its first lines scrolled away" "$(screen $S)" '^ +14 function'
keys $S K
wait_for "code: K scrolls it up" $S '^ +15 +if \(event\.origin'
keys $S '?'
keys $S G
wait_for "code: the help lists the scroll keys" $S 'J +scroll the code down'
wait_for "code: and the pan keys" $S 'Right +scroll the code right'
keys $S q
keys $S q
S=pan
start $S
wait_for "pan: opens" $S 'time +from +to'
keys $S 4
wait_for "pan: a one-line handler, cut at the screen width" $S '^ +3 window\.addEventListener'
expect_nomatch "pan: its end is past the edge" "$(screen $S)" 'innerHTML = e\.data\.html'
keys $S Right Right Right Right
wait_for "pan: Right scrolls it left into view" $S 'innerHTML = e\.data\.html; \} \}\)'
wait_for "pan: a mark says the line goes on to the left" $S '^ +3<'
keys $S Left Left Left
wait_for "pan: Left scrolls back" $S '^ +3 window\.addEventListener'
keys $S q

# 7. Mouse (SGR reports as xterm sends them, 1-based x;y): a click selects
# the row under it in every list, also after a resize.
click() { # click SESSION X Y
    keys "$1" -l $'\e[<0;'"$2;$3M"
    keys "$1" -l $'\e[<0;'"$2;$3m"
}
S=mouse
tmux_start $S "env TERM=xterm-256color LANG=C.UTF-8 '$BIN' tui -w '$SWS'; echo \"pmscope exited \$?\"; sleep 600"
wait_for "mouse: opens" $S 'time +from +to'
wait_for "mouse: message #1 selected" $S 'message +#1 M1'
click $S 60 7
wait_for "mouse: a click on the list's fifth row selects message #5" $S 'message +#5 M5'
click $S 5 5
keys $S Enter
wait_for "mouse: a click in the frame pane selects that window (Enter filters to it)" $S 'filter: window:3'
keys $S c
TAB4=$(screen $S | head -1 | grep -bo '4 Listeners' | head -1 | cut -d: -f1)
click $S $((TAB4 + 2)) 1
wait_for "mouse: a click on a tab switches the view" $S 'script:line'
click $S 30 5
wait_for "mouse: a click selects listener #3 (its code shows)" $S '^ listener #3 '
resize $S 80 24
wait_for "mouse: redrawn at 80x24" $S 'script:line'
click $S 30 7
wait_for "mouse: after a resize a click selects the row under it" $S '^ listener #5 '
keys $S g
wait_for "mouse: listener #1's code" $S '^ +14 function onWidgetMessage'
keys $S -l $'\e[<65;30;20M'
wait_for "mouse: the wheel over the code pane scrolls the code" $S '^ +17 +if \(msg\.type'
wait_for "mouse: and leaves the selected listener alone" $S '^ listener #1 '
keys $S 1
wait_for "mouse: back to view 1" $S 'time +from +to'
click $S 50 4
wait_for "mouse: at 80x24 a click on the second row selects message #2" $S 'message +#2 M2'
keys $S q
wait_for "mouse: quits" $S 'pmscope exited 0'
# Inside tmux or screen TERM names a terminal whose mouse reports are the
# older X10 form (ESC [ M and three bytes: button, x, y, each plus 32).
S=mousex10
tmux_start $S "env TERM=tmux-256color LANG=C.UTF-8 '$BIN' tui -w '$SWS'; echo \"pmscope exited \$?\"; sleep 600"
wait_for "mouse x10: opens" $S 'time +from +to'
keys $S -l $'\e[M \\\''
keys $S -l $'\e[M#\\\''
wait_for "mouse x10: a click on the list's fifth row selects message #5" $S 'message +#5 M5'
keys $S q
wait_for "mouse x10: quits" $S 'pmscope exited 0'
