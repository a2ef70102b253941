#!/usr/bin/env bash
# tests/cli/tui_graph.sh - view 2 draws the origin graph: the recorded demo
# (trace and HAR) at 80x24 and at 200x50, what a user sees: boxes with the
# origins, top-level origin first, lines with arrowheads, labels with counts
# and marks, Tab selecting boxes and edges (named above the picture), t to
# the table and back, Enter on an edge filtering view 1, Enter on a box
# listing its windows, pan, and z fitting a graph wider than the window.
. "$(dirname "$0")/../lib.sh"

BIN=${PMSCOPE_FAST:-$PMSCOPE}
. "$PM_ROOT/tests/tmux_lib.sh"
tmux_require

WS=$T/sample.pmscope
expect_rc "import the demo trace and HAR" 0 "$BIN" import -w "$WS" \
    "$PM_ROOT/sample-traces/demo.jsonl" "$PM_ROOT/sample-traces/demo.har"

start() { # start SESSION COLS ROWS WORKSPACE
    "${TM[@]}" new-session -d -s "$1" -x "$2" -y "$3" -c "$T" \
        "env TERM=xterm-256color LANG=C.UTF-8 '$BIN' tui -w '$4'; echo \"pmscope exited \$?\"; sleep 600"
}

# Line number (0 = title line) of the first screen line matching a regex.
line_of() { screen "$1" | grep -nE -- "$2" | head -1 | cut -d: -f1; }

for size in 80x24 200x50; do
    S=g$size
    start $S "${size%x*}" "${size#*x}" "$WS"
    wait_for "$size: opens" $S '[0-9]+ msgs \| [0-9]+ listeners'
    keys $S 2
    wait_for "$size: view 2 draws boxes" $S '│ http://127\.0\.0\.1:8101 │'
    wait_for "$size: a box for the widget origin" $S '│ http://localhost:8102 │'
    wait_for "$size: a box for the nested frame's origin" $S '│ http://127\.0\.0\.1:8103 │'
    OUT=$(screen $S)
    expect_match "$size: box borders" "$OUT" '┌─+┐'
    expect_match "$size: arrowheads down" "$OUT" '▼'
    expect_match "$size: arrowheads up" "$OUT" '▲'
    expect_match "$size: the top page's messages, its send sites and frames to the widget" "$OUT" '5 o/s/f'
    expect_match "$size: the widget's answers" "$OUT" '6 o'
    expect_match "$size: targetOrigin '*' marked on its edge" "$OUT" '1\* o/s/f'
    top=$(line_of $S '│ http://127\.0\.0\.1:8101 │')
    mid=$(line_of $S '│ http://localhost:8102 │')
    low=$(line_of $S '│ http://127\.0\.0\.1:8103 │')
    if [ -n "$top" ] && [ -n "$mid" ] && [ -n "$low" ] &&
       [ "$top" -lt "$mid" ] && [ "$mid" -lt "$low" ]; then
        pass "$size: the top page above the widget above the nested frame"
    else
        fail "$size: layers" "lines $top $mid $low" "$OUT"
    fi
    expect_eq "$size: the screen keeps its rows" "$(screen $S | wc -l)" "${size#*x}"
    wait_for "$size: the first box is selected and named" $S '^ http://127\.0\.0\.1:8101 +Enter: its windows'
    wait_for "$size: the key bar has t and z" $S 'tTable +zFit'

    # A click selects the box under it (SGR mouse report, 1-based).
    row=$(screen $S | grep -n '│ http://localhost:8102 │' | head -1)
    y=${row%%:*}
    line=${row#*:}
    prefix=${line%%http://localhost:8102*}
    x=$(( $(printf '%s' "$prefix" | LC_ALL=C.UTF-8 wc -m) + 3 ))
    keys $S -l $'\e[<0;'"$x;$y"'M'
    keys $S -l $'\e[<0;'"$x;$y"'m'
    wait_for "$size: a click selects the box under it" $S '^ http://localhost:8102 +Enter: its windows'
    keys $S -l $'\e[<0;3;'"$top"'M'
    keys $S -l $'\e[<0;3;'"$top"'m'
    wait_for "$size: a click on the first box selects it again" $S '^ http://127\.0\.0\.1:8101 +Enter: its windows'

    # Tab walks the boxes, then the edges; the caption names each.
    keys $S Tab Tab Tab
    wait_for "$size: Tab reaches the first edge" $S '^ http://127\.0\.0\.1:8101 -> http://localhost:8102 5 msgs 3 send sites embeds 2'
    expect_match "$size: the selected edge's label is highlighted" \
        "$("${TM[@]}" capture-pane -e -p -t $S)" $'\e\\[1;7m5 o/s/f'
    keys $S BTab
    wait_for "$size: S-Tab goes back to a box" $S '^ http://127\.0\.0\.1:8103 +Enter: its windows'
    keys $S Tab

    # m on the selected edge marks it (the form opens; Esc leaves it).
    keys $S m
    wait_for "$size: m on an edge of the drawing opens the mark form" $S '(Mark|Confirm) finding'
    keys $S Escape
    wait_gone "$size: Esc closes the form" $S '(Mark|Confirm) finding'

    # t: the table, exactly as before; t again: the drawing, same selection.
    keys $S t
    wait_for "$size: t shows the table" $S 'edge +sender origin +receiver origin +msgs'
    wait_for "$size: the table lists the frame edges" $S 'frame +http://127\.0\.0\.1:8101 +=> http://localhost:8102'
    keys $S j
    keys $S t
    wait_for "$size: t draws the graph again" $S '^ http://127\.0\.0\.1:8101 -> http://localhost:8102 5 msgs'

    # Enter on the edge: view 1 filtered to its messages.
    keys $S Enter
    wait_for "$size: Enter on an edge filters view 1" $S '5 of 14 msgs.*filter: from:"http://127\.0\.0\.1:8101'
    wait_for "$size: to the messages of that edge" $S 'origins +http://127\.0\.0\.1:8101 -> http://localhost:8102'
    keys $S c
    keys $S 2

    # Enter on a box: the windows of its origin; Enter on one: its messages.
    keys $S /
    keys $S -l 'localhost'
    keys $S Enter
    wait_for "$size: / selects a box by its origin" $S '^ http://localhost:8102 +Enter: its windows'
    keys $S Enter
    wait_for "$size: Enter on a box lists its windows" $S 'windows of http://localhost:8102'
    wait_for "$size: the widget frame is one" $S '#2 iframe +http://localhost:8102/widget\.html'
    wait_for "$size: the popup is another" $S '#4 popup +http://localhost:8102/popup\.html'
    keys $S j
    keys $S Enter
    wait_for "$size: Enter on a window filters view 1 to it" $S 'filter: window:4'
    keys $S c
    keys $S 2
    keys $S Enter
    wait_for "$size: the list again" $S 'windows of http://localhost:8102'
    keys $S Escape
    wait_gone "$size: Esc closes the list" $S 'windows of'
    keys $S q
    wait_for "$size: quits cleanly" $S 'pmscope exited 0'
done

# The HAR alone: the frames it recorded and the sends its scripts make.
HWS=$T/har.pmscope
expect_rc "import the demo HAR alone" 0 "$BIN" import -w "$HWS" "$PM_ROOT/sample-traces/demo.har"
start har 80 24 "$HWS"
wait_for "har: opens" har 'msgs \|'
keys har 2
wait_for "har: the top page's box" har '│ http://127\.0\.0\.1:8101 │'
wait_for "har: send sites and frames to the widget, marked s/f" har '3 s/f'
wait_for "har: the widget's sends to the top page, marked s" har '4 s( |$)'
keys har Tab Tab Tab
wait_for "har: Tab reaches an edge analysis found" har '^ http://127\.0\.0\.1:8101 -> http://localhost:8102 +3 send sites embeds 2'
keys har Enter
wait_for "har: Enter on it opens view 7 on its send sites" har 'send sites of http://127\.0\.0\.1:8101 -> http://localhost'
OUT=$(screen har)
expect_match "har: ... the call through widgetWindow()" "$OUT" 'top\.js:18:13'
expect_match "har: ... the call to the popup" "$OUT" 'top\.js:30:9'
expect_nomatch "har: ... not the widget's own calls" "$OUT" 'widget\.js'
keys har q

# Frames with no message and no script: an embedding edge alone, dashed.
FWS=$T/frames.pmscope
printf '%s\n' \
    '{"v":1,"type":"frame","id":"F1","kind":"top","url":"https://portal.example/","ts":0}' \
    '{"v":1,"type":"frame","id":"F2","kind":"iframe","url":"https://ads.example/slot","parent":"F1","ts":1}' \
    > "$T/frames.jsonl"
expect_rc "import frames alone" 0 "$BIN" import -w "$FWS" "$T/frames.jsonl"
start fr 80 24 "$FWS"
keys fr 2
wait_for "frames: an embedding edge, marked f" fr '1 f'
wait_for "frames: embedding edges are dashed" fr '╎'
keys fr Tab Tab
wait_for "frames: Enter on a frame edge" fr '^ (https://)?portal\.example -> (https://)?ads\.example +embeds'
keys fr Enter
wait_for "frames: says what a frame edge is" fr 'a frame edge: the sender embeds or opens'
keys fr q

# A graph wider than 80 columns: pan with h and l, z fits it.
WIDE=$T/wide.jsonl
{
    echo '{"v":1,"type":"meta","tool":"test","start_url":"https://portal.example/","started":"2026-11-25T10:00:00Z"}'
    echo '{"v":1,"type":"frame","id":"F0","kind":"top","url":"https://portal.example/","parent":null,"opener":null,"ts":0}'
    for i in 1 2 3 4 5 6; do
        echo "{\"v\":1,\"type\":\"frame\",\"id\":\"F$i\",\"kind\":\"iframe\",\"url\":\"https://widget-$i.partner-analytics.example/w\",\"parent\":\"F0\",\"ts\":$i}"
        echo "{\"v\":1,\"type\":\"message\",\"id\":\"M$i\",\"ts\":1$i,\"sender\":\"F0\",\"receiver\":\"F$i\",\"target_origin\":\"*\",\"data\":\"hi\"}"
        echo "{\"v\":1,\"type\":\"message\",\"id\":\"R$i\",\"ts\":2$i,\"sender\":\"F$i\",\"receiver\":\"F0\",\"target_origin\":\"https://portal.example\",\"data\":\"ok\"}"
    done
} > "$WIDE"
WWS=$T/wide.pmscope
expect_rc "import a page with six partner frames" 0 "$BIN" import -w "$WWS" "$WIDE"
start wide 80 24 "$WWS"
wait_for "wide: opens" wide '12 msgs'
keys wide 2
wait_for "wide: the portal's box" wide '│ portal\.example +│'
wait_for "wide: says more is off screen" wide 'more: h j k l pan; z: fit'
before=$(screen wide | grep -c 'widget-')
keys wide l l l l l l l l l l l l
wait_gone "wide: l pans right (the portal moves off)" wide '│ portal\.example +│'
keys wide h h h h h h h h h h h h
wait_for "wide: h pans back" wide '│ portal\.example +│'
keys wide z
wait_for "wide: z fits the graph" wide 'fitted to the window'
wait_gone "wide: nothing left off screen" wide 'more: h j k l pan'
OUT=$(screen wide)
boxes=$(printf '%s\n' "$OUT" | grep -o '│ [^│]* │' | wc -l)
if [ "$boxes" -ge 7 ]; then
    pass "wide: all seven boxes show after z ($boxes box labels; $before before)"
else
    fail "wide: all seven boxes show after z" "$boxes" "$OUT"
fi
expect_match "wide: the wildcard edges keep their '*'" "$OUT" '1\* o/f'
keys wide Tab
wait_for "wide: the caption names the whole origin of a shortened box" wide '^ (portal\.example|widget-1\.partner-analytics\.example) '
keys wide z
wait_for "wide: z again: whole origins" wide 'whole origins; z: fit'
keys wide q
wait_for "wide: quits cleanly" wide 'pmscope exited 0'
