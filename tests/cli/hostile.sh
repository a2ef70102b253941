#!/usr/bin/env bash
# tests/cli/hostile.sh - hostile values in every displayed or exported
# field (tests/data/hostile/make_hostile.py: CSI, OSC 52, OSC 8, device
# queries, C1, bidi overrides, zero-width/tag/DEL characters, NUL, invalid
# UTF-8, a 1 MB one-line value, HTML/Markdown/Mermaid breakers, SQL
# metacharacters, look-alike hosts) never reach the terminal or the report
# raw:
#   - import accepts them (invalid UTF-8 is refused with a clean error);
#   - every `ls` kind and `show` prints them escaped, and so does `graph`
#     in each format (dot renders it);
#   - the TUI, run under script(1) in tmux, writes only curses' own escape
#     sequences, shows the values as visible escapes, and sets no clipboard;
#   - the Markdown report passes cmark with raw HTML allowed and still has
#     no HTML from the data, tables keep their columns, Mermaid labels stay
#     labels; the JSON report parses;
#   - filters and notes with SQL metacharacters do what they say;
#   - every JSON output is valid UTF-8 with invisible characters \u-escaped;
#   - look-alike hosts print distinguishably (xn--, visible escapes);
#   - error messages quoting a file name, a filter or an argument escape it.
. "$(dirname "$0")/../lib.sh"
. "$PM_ROOT/tests/tmux_lib.sh"

CHECK=$PM_ROOT/tests/data/hostile/check_output.py
python3 "$PM_ROOT/tests/data/hostile/make_hostile.py" "$T/in"
WS=$T/h.pmscope

# check_clean NAME MODE FILE: check_output.py's verdict as a test.
check_clean() {
    local out
    if out=$(python3 "$CHECK" "$2" "$3"); then pass "$1"; else fail "$1" "$out"; fi
}

expect_rc "import hostile trace" 0 "$PMSCOPE" import -w "$WS" "$T/in/hostile.jsonl"
expect_rc "import hostile HAR" 0 "$PMSCOPE" import -w "$WS" "$T/in/hostile.har"
expect_rc "import 1 MB one-line value" 0 "$PMSCOPE" import -w "$WS" "$T/in/big-value.jsonl"
expect_rc "invalid UTF-8 refused" 1 "$PMSCOPE" import -w "$WS" "$T/in/badutf8.jsonl"
printf '%s' "$OUT" >"$T/err.txt"
check_clean "invalid UTF-8 error is printable" text "$T/err.txt"
expect_match "invalid UTF-8 error names the byte" "$OUT" 'badutf8\.jsonl:1:[0-9]+: invalid UTF-8 byte 0xff'

# A file name is input too (a downloaded HAR keeps the name it was given).
evil_name=$T/in/$(printf 'evil\033]0;TITLE\007\033[31m.jsonl')
sed 's/"start_url":"https:\/\/a.example\/"/"start_url":"https:\/\/b.example\/"/' \
    "$T/in/hostile.jsonl" >"$evil_name"
"$PMSCOPE" import -w "$T/name.pmscope" "$evil_name" >"$T/name.out" 2>&1
check_clean "import output escapes a hostile file name" text "$T/name.out"
expect_match "import names the file with visible escapes" "$(cat "$T/name.out")" 'evil\\x1b\]0;TITLE\\x07'

# ---- CLI listings -------------------------------------------------------
for kind in sources windows origins messages edges listeners sends findings; do
    "$PMSCOPE" ls -w "$WS" "$kind" >"$T/ls.$kind" 2>&1
    check_clean "ls $kind escapes hostile values" text "$T/ls.$kind"
    "$PMSCOPE" ls -w "$WS" --json "$kind" >"$T/lsj.$kind" 2>&1
    if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/lsj.$kind" 2>/dev/null; then
        pass "ls --json $kind is valid JSON"
    else fail "ls --json $kind is valid JSON" "$(head -c 300 "$T/lsj.$kind")"; fi
    check_clean "ls --json $kind has no raw control bytes" text "$T/lsj.$kind"
done
for fmt in dot mermaid json; do
    "$PMSCOPE" graph -w "$WS" --$fmt >"$T/graph.$fmt" 2>&1
    check_clean "graph --$fmt escapes hostile values" text "$T/graph.$fmt"
done
dot -Tsvg "$T/graph.dot" >"$T/graph.svg" 2>"$T/graph.err"
expect_eq "dot renders the hostile graph without a warning" "$?:$(cat "$T/graph.err")" "0:"
if python3 -c 'import json,sys; json.loads(open(sys.argv[1],"rb").read().decode("utf-8"))' "$T/graph.json" 2>/dev/null
then pass "graph --json is valid UTF-8 JSON"; else fail "graph --json is valid UTF-8 JSON" "$(head -c 300 "$T/graph.json")"; fi
expect_match "ls sources shows CSI as visible text" "$(cat "$T/ls.sources")" 'tool HOSTILE0 \\x1b\[31mRED'
expect_match "ls windows shows bidi override as \\u202e" "$(cat "$T/ls.windows")" '\\u202egnp\.exe'
expect_match "ls windows shows OSC 8 as text" "$(cat "$T/ls.windows")" '\\x1b\]8;;https://evil\.example/'
n_msgs=$(grep -c '^#' "$T/ls.messages")
for id in $(seq 1 "$n_msgs"); do
    "$PMSCOPE" show -w "$WS" message "$id" >"$T/show.m$id" 2>&1
    check_clean "show message $id escapes hostile values" text "$T/show.m$id"
done
expect_match "show message: NUL shown as an escape" "$(cat "$T"/show.m*)" 'nul(\\u0000|\\x00)byte'
expect_match "show message: 1 MB value shown" "$(cat "$T"/show.m*)" 'BIGVALUE'
expect_match "show message: ZWJ, tag characters and DEL shown as escapes" \
    "$(cat "$T"/show.m*)" 'zw\\u200dj tag\\U000e0041\\U000e0042 del\\x7f shy\\u00ad wj\\u2060 bom\\ufeff'
expect_match "ls --json messages: invisible characters \\u-escaped" \
    "$(cat "$T/lsj.messages")" 'zw\\u200bsp zw\\u200cnj zw\\u200dj tag\\udb40\\udc41\\udb40\\udc42 del\\u007f'
for id in $(sed -n 's/^ *#\([0-9]*\) .*/\1/p' "$T/ls.windows"); do
    "$PMSCOPE" show -w "$WS" window "$id" >"$T/show.w$id" 2>&1
    check_clean "show window $id escapes hostile values" text "$T/show.w$id"
done

# ---- SQL metacharacters in filters and notes ----------------------------
count() { "$PMSCOPE" ls -w "$WS" --filter "$1" messages | grep -c '^#'; }
expect_eq "filter data with a quote and DROP TABLE matches one message" \
    "$(count "data:\"'; DROP TABLE messages; --\"")" "1"
expect_eq "filter data:% is a literal percent sign" "$(count 'data:"100% a_b"')" "1"
expect_eq "filter data:_ is no LIKE wildcard" "$(count 'data:"100_"')" "0"
expect_eq "filter data:% is no LIKE wildcard" "$(count 'data:"HOSTILE%DROP"')" "0"
expect_eq "messages table intact" "$(count '')" "$n_msgs"
note="it's; DROP TABLE findings; -- $(printf '\033[31m') 100% \`x\` <b>|</b>"
expect_rc "mark with a hostile note" 0 "$PMSCOPE" mark -w "$WS" message 9 --note "$note" --title "$(printf 'T \033]52;c;eA==\a \u202e|x|')"
expect_rc "mark a second message" 0 "$PMSCOPE" mark -w "$WS" message 3 --note "$(printf 'osc \033]8;;x\033\\')"
expect_rc "mark the invisible-characters message" 0 "$PMSCOPE" mark -w "$WS" message 12
"$PMSCOPE" ls -w "$WS" findings >"$T/ls.f2" 2>&1
check_clean "ls findings escapes the note and title" text "$T/ls.f2"
expect_match "the note is stored as typed" "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select note from findings where note like ?", ("%DROP TABLE findings%",)).fetchone()[0])' "$WS" | cat -v)" "it's; DROP TABLE findings; -- \^\[\[31m 100%"

# ---- invalid UTF-8, look-alike hosts, hostile arguments in errors --------
# strict_json NAME FILE: FILE is valid UTF-8 and parses as JSON.
strict_json() {
    local out
    if out=$(python3 -c 'import json,sys; json.loads(open(sys.argv[1],"rb").read().decode("utf-8"))' "$2" 2>&1)
    then pass "$1"; else fail "$1" "$(printf '%s' "$out" | tail -1)"; fi
}
U=$T/u.pmscope
bad_name=$T/in/$(printf 'name\233\342\200\256x.jsonl')
cp "$T/in/lookalike.jsonl" "$bad_name"
expect_rc "import a trace whose file name holds 0x9b and U+202E" 0 "$PMSCOPE" import -w "$U" "$bad_name"
"$PMSCOPE" ls -w "$U" --json sources >"$T/u.sources" 2>&1
strict_json "ls --json sources is valid UTF-8 with a 0x9b file name" "$T/u.sources"
check_clean "ls --json sources has no raw 0x9b or U+202E" text "$T/u.sources"
expect_match "ls --json sources: 0x9b as U+FFFD, U+202E escaped" "$(cat "$T/u.sources")" 'name\\ufffd\\u202ex\.jsonl'
expect_rc "mark a look-alike message" 0 "$PMSCOPE" mark -w "$U" message 2
expect_rc "export JSON with a 0x9b file name" 0 "$PMSCOPE" export -w "$U" --status all --format json -o "$T/u.json"
strict_json "JSON report is valid UTF-8 with a 0x9b file name" "$T/u.json"
check_clean "JSON report has no raw 0x9b" text "$T/u.json"

# Three hosts that look like bank.example send to it: each edge is its own
# line and none of them prints as bank.example.
"$PMSCOPE" ls -w "$U" edges >"$T/u.edges" 2>&1
check_clean "ls edges escapes look-alike hosts" text "$T/u.edges"
expect_eq "ls edges: three distinct look-alike edges" \
    "$(grep -c -- '-> https://bank.example' "$T/u.edges") $(grep -c -- '^ *https://bank.example ->' "$T/u.edges")" "3 0"
expect_match "ls edges: Cyrillic a in punycode" "$(cat "$T/u.edges")" 'https://xn--bnk-[a-z0-9]+\.example +-> https://bank\.example'
expect_match "ls edges: zero-width space visible" "$(cat "$T/u.edges")" 'https://bank\\u200b\.example +->'
expect_match "ls edges: tag character visible" "$(cat "$T/u.edges")" 'https://bank\\U000e0041\.example +->'
"$PMSCOPE" ls -w "$U" --json origins >"$T/u.origins" 2>&1
expect_match "ls --json origins: punycode host" "$(cat "$T/u.origins")" '"https://xn--bnk-[a-z0-9]+\.example"'
expect_match "ls --json origins: invalid host escaped, never bare" "$(cat "$T/u.origins")" '"https://bank\\\\u200b\.example"'
expect_rc "export Markdown of a look-alike message" 0 "$PMSCOPE" export -w "$U" --status all -o "$T/u.md"
expect_match "report names the punycode origin" "$(cat "$T/u.md")" 'xn--bnk-[a-z0-9]+\.example'

# Errors quote what the user typed: escaped, on stderr only.
"$PMSCOPE" import -w "$U" "$T/in/$(printf 'missing\233\342\200\256.har')" >"$T/e.import" 2>&1
check_clean "error naming a 0x9b/U+202E file name is printable" text "$T/e.import"
expect_match "error shows 0x9b and U+202E as escapes" "$(cat "$T/e.import")" 'missing\\x9b\\u202e\.har'
"$PMSCOPE" ls -w "$U" messages --filter "$(printf 'data:x \342\200\256\233 (')" >"$T/e.filter" 2>&1
check_clean "filter error escapes U+202E and 0x9b" text "$T/e.filter"
expect_match "filter error shows the expression escaped" "$(cat "$T/e.filter")" 'data:x \\u202e\\x9b \('
"$PMSCOPE" show -w "$U" message "$(printf '1\342\200\256')" >"$T/e.show" 2>&1
check_clean "show: bad id error escapes U+202E" text "$T/e.show"
for arg in 0 abc; do
    "$PMSCOPE" flow -w "$U" "$arg" >"$T/flow.out" 2>"$T/flow.err"
    expect_eq "flow $arg: exit 2" "$?" "2"
    expect_eq "flow $arg: nothing on stdout" "$(cat "$T/flow.out")" ""
    expect_eq "flow $arg: one usage error on stderr" "$(cat "$T/flow.err")" \
        "pmscope: flow: expected a message id, got '$arg'"
done
"$PMSCOPE" flow -w "$U" "$(printf 'x\233\342\200\215')" >"$T/flow.out" 2>"$T/flow.err"
check_clean "flow: hostile id escaped" text "$T/flow.err"
expect_match "flow: hostile id shown with escapes" "$(cat "$T/flow.err")" "got 'x\\\\x9b\\\\u200d'"

# ---- report -------------------------------------------------------------
expect_rc "export Markdown" 0 "$PMSCOPE" export -w "$WS" --status all -o "$T/r.md"
check_clean "report: no raw controls, tables keep their columns, Mermaid labels inert" markdown "$T/r.md"
cmark --unsafe "$T/r.md" >"$T/r.html" 2>/dev/null || cmark "$T/r.md" >"$T/r.html"
expect_nomatch "report HTML has no element from the data" "$(cat "$T/r.html")" '<(script|img|iframe|b)[ >/]|href="javascript:'
expect_match "report shows the HTML breaker as text" "$(cat "$T/r.html")" '&lt;/script&gt;|&lt;img'
expect_match "report shows the note" "$(cat "$T/r.html")" 'DROP TABLE findings'
expect_rc "export JSON" 0 "$PMSCOPE" export -w "$WS" --status all --format json -o "$T/r.json"
if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/r.json"; then
    pass "JSON report parses"; else fail "JSON report parses"; fi
check_clean "JSON report has no raw control bytes" text "$T/r.json"
expect_match "report shows ZWJ and tag characters as escapes" "$(cat "$T/r.md")" 'zw\\\\?u200dj tag\\\\?U000e0041'

# ---- TUI ----------------------------------------------------------------
BIN=${PMSCOPE_FAST:-$PMSCOPE}
if ! command -v tmux >/dev/null || ! command -v script >/dev/null; then
    fail "tmux and script installed" "apt-get install tmux bsdutils"
    exit 0
fi
"${TM[@]}" start-server \; set -g set-clipboard on >/dev/null 2>&1
tmux_start tui "script -q -f -e -c \"env TERM=xterm-256color LANG=C.UTF-8 '$BIN' tui -w '$WS'\" '$T/tty.log'; echo \"pmscope exited \$?\"; sleep 600"
"${TM[@]}" set -g set-clipboard on >/dev/null 2>&1
wait_for "TUI opens on the hostile workspace" tui 'time +from +to'
wait_for "TUI shows CSI from the data as text" tui '\\x1b\[31mRED|\\u001b\[31mRED'
for _ in 1 2 3 4 5 6 7 8 9 10 11 12; do keys tui j; sleep 0.1; done
wait_for "TUI detail shows a later hostile message" tui 'HOSTILE'
keys tui 3
wait_for "TUI frame tree shows the bidi URL escaped" tui '\\u202egnp\.exe'
keys tui 6
wait_for "TUI sources view shows the tool escaped" tui 'HOSTILE0 \\x1b'
keys tui 5
wait_for "TUI findings view" tui 'suggested|confirmed'
keys tui 2
wait_for "TUI origin graph drawn" tui 'Enter: its windows'
keys tui Enter
wait_for "TUI lists a box's windows" tui 'windows of'
keys tui Escape
keys tui z
wait_for "TUI origin graph fitted" tui 'fitted to the window'
for _ in 1 2 3 4 5 6; do keys tui Tab; sleep 0.05; done
keys tui t
wait_for "TUI origin graph as a table" tui 'sender origin'
keys tui t
keys tui 1
keys tui q
wait_for "TUI quits" tui 'pmscope exited 0'
check_clean "TUI wrote only curses' own escape sequences" tty "$T/tty.log"
expect_eq "no clipboard set through OSC 52" "$("${TM[@]}" list-buffers 2>/dev/null | wc -l)" "0"
expect_nomatch "terminal title not set by the data" "$("${TM[@]}" display -p -t tui '#{pane_title}')" 'HOSTILE|evil'
