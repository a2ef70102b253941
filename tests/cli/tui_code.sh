#!/usr/bin/env bash
# tests/cli/tui_code.sh - view 4's code pane, driven in tmux: a minified
# handler (one 300-byte line, as a bundle ships it) is shown re-indented,
# one statement a line, with the line of its origin check and the line of
# its sink marked; p switches to the code as written (one line carrying
# both marks) and back, also across a refresh; J scrolls the re-indented lines; the title keeps
# the layout at 80 columns; readable code stays as written; the help
# lists p.
. "$(dirname "$0")/../lib.sh"
. "$PM_ROOT/tests/tmux_lib.sh"
tmux_require

BIN=${PMSCOPE_FAST:-$PMSCOPE}
WS=$T/min.pmscope
expect_rc "import a trace with a minified listener" 0 \
    "$BIN" import -w "$WS" "$PM_ROOT/tests/data/tui/minified.jsonl"
expect_eq "the listener's code is one line in the workspace" \
    "$(sql "select length(code) > 200, instr(code, char(10)) from listeners")" "1|0"

start() { # start SESSION WORKSPACE: the TUI in a 120x40 session
    tmux_start "$1" "env TERM=xterm-256color LANG=C.UTF-8 '$BIN' tui -w '$2'; echo \"pmscope exited \$?\"; sleep 600"
}

S=pretty
start $S "$WS"
wait_for "opens" $S 'time +from +to'
keys $S 4
wait_for "minified code starts pretty-printed (said in the title)" $S \
    'listener #1 +check: e\.origin!=="https://shop\.example" +sinks: innerHTML +\[pretty-printed\]'
wait_for "the first line carries the script line" $S '^ +1 function\(e\) \{$'
wait_for "the check is on its own line, marked" $S \
    '^ {6} +if \(e\.origin !== "https://shop\.example"\) return; +\[check\]$'
wait_for "the sink is on its own line, marked" $S \
    '^ {6} +n\.innerHTML = t\.html; +\[innerHTML\]$'
OUT=$(screen $S)
expect_match "a switch's cases are indented under it" "$OUT" \
    '^ {6}  switch \(t\.type\) \{'$'\n'' {6}    case "render":$'
expect_match "the template literal is kept as written" "$OUT" 'console\.log\(`unknown \$\{t\.type\}`\)'
expect_eq "only those two lines are marked" \
    "$(printf '%s\n' "$OUT" | grep -Ec '\[(check|innerHTML)\]$')" "2"
keys $S J
wait_for "J scrolls the re-indented lines (the top row keeps its script line)" $S \
    '^ +1 +var t = e\.data,$'
keys $S p
wait_for "p shows the code as written" $S '\[as written\]'
wait_for "as written: one line with both marks" $S \
    '^ +1 function\(e\)\{var t=e\.data,.*\[check, innerHTML\]$'
wait_for "the status bar says so" $S 'code as written \(p: pretty-printed\)'
keys $S m
wait_for "m opens the mark form" $S 'Mark finding'
keys $S Enter
wait_for "the listener is marked" $S 'listener #1 as'
wait_for "the refresh after the mark keeps the layout chosen with p" $S \
    'innerHTML +\[as written\]$'
keys $S p
wait_for "p again: pretty-printed" $S '\[pretty-printed\]'
wait_for "the check line is marked again" $S 'return; +\[check\]$'
"${TM[@]}" resize-window -t $S -x 80 -y 24
wait_for "at 80 columns the title still says the layout, at its end" $S \
    '^ listener #1 +check: .* +sinks: innerHTML +\[pretty-printed\]$'
wait_for "and the check line is still marked" $S 'return; +\[check\]$'
keys $S '?'
keys $S G
wait_for "the help lists p" $S 'p +code pretty-printed or as written'
keys $S q
keys $S q
wait_for "quits cleanly" $S 'pmscope exited 0'

# Readable code stays as written; its one line holds both marks.
WS2=$T/demo.pmscope
expect_rc "import the readable demo" 0 "$BIN" import -w "$WS2" "$PM_ROOT/tests/data/tui/demo.jsonl"
S=readable
start $S "$WS2"
wait_for "demo opens" $S 'time +from +to'
keys $S 4
wait_for "readable code stays as written" $S 'sinks: innerHTML +\[as written\]'
wait_for "its line is marked with the check and the sink" $S \
    '^ +3 window\.addEventListener.*\[check, innerHTML\]$'
