#!/usr/bin/env bash
# tests/cli/filter.sh - `pmscope ls messages --filter EXPR` on an imported
# trace: which message ids each filter selects (every key, negation with
# unknown fields, full-text search, regex, SQL/LIKE metacharacters matched
# literally), `marked` following mark/dismiss, and how a bad expression is
# reported (expression, caret, message, exit 2, control characters escaped).
. "$(dirname "$0")/../lib.sh"

DATA="$PM_ROOT/tests/data/filter"
WS="$T/ws.pmscope"

expect_rc "import trace" 0 "$PMSCOPE" import -w "$WS" "$DATA/messages.jsonl"

# ids EXPR -> "1,2,3": the ids `ls messages` prints, in order; a failing
# command yields "exit N: ..." so that it never passes for "no match".
ids() {
    local out rc
    out=$("$PMSCOPE" ls messages -w "$WS" --filter "$1" 2>&1)
    rc=$?
    if [ "$rc" -ne 0 ]; then
        printf 'exit %d: %s' "$rc" "$(printf '%s' "$out" | head -3)"
        return
    fi
    printf '%s\n' "$out" | sed -n 's/^#\([0-9][0-9]*\) .*/\1/p' | paste -sd, -
}

# check EXPR IDS
check() {
    expect_eq "filter [$1]" "$(ids "$1")" "$2"
}

check ''                                  1,2,3,4,5,6,7
check 'from:https://a.example'            1,3
check 'from:https://A.EXAMPLE:443/x'      1,3
check 'from:a.example'                    1,3
check 'from:null'                         5
check 'to:evil.example:8443'              3
check 'to:https://evil.example'           ''
check 'origin:w.example'                  1,2,5,6
check 'target:*'                          1,4,5
check 'not target:*'                      2,3,6,7
check 'target:https://a.example'          2,6
check 'target:a.example'                   2,6
check 'target:nosuch'                     ''
check 'target:https://nosuch.example'     ''
check 'not target:nosuch'                 1,2,3,4,5,6,7
check 'via:worker'                        ''
check 'not via:window'                    3
check 'via:port'                          3
check 'port:ch-1'                         3
check '-via:window'                       3
check 'check:indexOf'                     1,5
check 'check:strict'                      2,4,6,7
check 'check:none'                        3
check 'sink:innerHTML'                    1,5
check 'sink:location'                     3
# F1's port listener (no check, eval) is not reached by the window messages
# to F1, and F3's window listener (strict, document.write) not by the port
# message M3; F3's listener of unknown target is reached by it.
check 'sink:eval'                         ''
check 'sink:document.write'               ''
check 'check:none via:window'             ''
check 'check:strict via:port'             ''
check 'not sink:*'                        2,4,6,7
check 'listener:2'                        2,4,6,7
check 'listener:3'                        3
check 'listener:4'                        ''
check 'listener:5'                        ''
check 'listener:99'                       ''
check 'window:3'                          3,4
check 'window:2 -to:a.example'            1,5
expect_rc "filter window:x is refused" 2 "$PMSCOPE" ls messages -w "$WS" --filter 'window:x'
expect_match "window:x: where and what was expected" "$OUT" \
    "bad filter at column 8: bad number after 'window:'; expected a non-negative integer"

# A popup that navigates keeps its window: the listener of its first
# document (idp.example: no check, innerHTML) does not receive the message
# delivered to the second (app.example/callback: strict, localStorage).
WS_MAIN=$WS
WS="$T/nav.pmscope"
expect_rc "import the navigating popup" 0 "$PMSCOPE" import -w "$WS" "$DATA/navigation.jsonl"
check 'sink:innerHTML'                    1
check 'check:strict'                      2
check 'sink:localStorage'                 2
check 'check:none'                        1,3
check 'listener:1'                        1
check 'listener:2'                        2
expect_eq "ls listeners --json: each listener's document and its URL" \
    "$("$PMSCOPE" ls -w "$WS" listeners --json | python3 -c '
import json, sys
for l in json.load(sys.stdin):
    print(l["id"], l["document"], l["document_url"])')" \
    "1 1 https://idp.example/login
2 2 https://app.example/callback
3 1 https://app.example/"
expect_rc "show the message to the callback page" 0 "$PMSCOPE" show -w "$WS" message 2
expect_match "show: it reached the callback page's listener" "$OUT" \
    '^listener  #2 https://app\.example/cb\.js:1:1  check strict, sinks localStorage$'
expect_nomatch "show: not the login page's" "$OUT" 'login\.js'
expect_rc "show the message to the login page" 0 "$PMSCOPE" show -w "$WS" message 1
expect_match "show: it reached the login page's listener" "$OUT" \
    '^listener  #1 https://idp\.example/login\.js:1:1  check none, sinks innerHTML$'
WS=$WS_MAIN
expect_rc "show a window message" 0 "$PMSCOPE" show -w "$WS" message 2
expect_match "show: the window's listener" "$OUT" '^listener  #2 https://a\.example/app\.js:9:5  check strict$'
expect_nomatch "show: not its port listener" "$OUT" 'port\.js'
expect_rc "show a port message" 0 "$PMSCOPE" show -w "$WS" message 3
expect_match "show: the listener of unknown target" "$OUT" '^listener  #3 https://evil\.example:8443/e\.js:1:1  check none, sinks location$'
expect_nomatch "show: not the window listener" "$OUT" 'w\.js'
check 'size>1000'                         6
check 'size<=20'                          5,7
# at and past the largest and smallest sizes (the min/max bound of the scan)
check 'size>=1511'                        6
check 'size>1511'                         ''
check 'size<=10'                          7
check 'size<10'                           ''
check 'not size>1511'                     1,2,3,4,5,6,7
check 'size=37'                           3
check 'id:4'                              4
check 'hello'                             5
check '"hello world"'                     5
check '"world hello"'                     ''
check 'getus*'                            1
check 'data~/"id":7[,}]/'                 1,2
check 'data~/^"HELLO/'                    5
check 'target:* and not from:a.example'   4,5
check '(via:port or size>1000) to:evil.example' 3
check 'not (from:a.example or from:w.example)'  4,5,7

# SQL and LIKE metacharacters are values, never syntax.
check "data:\"it's\""                     3
check "data:';'"                          3
check "data:'--'"                         3
check "'; --'"                            3
check 'data:%'                            4
check 'data:_'                            4
check "data:'a_b'"                        4
check "data:'\\\"hi\\\\\"'"               4
check "data:\"x' OR '1'='1\""             ''
check "data:\"'); DROP TABLE messages; --\"" ''
check "target:\"*' OR 1=1 --\""           ''
check 'from:_.example'                    ''
check 'origin:%'                          ''
check ''                                  1,2,3,4,5,6,7

# Flows as the analysis links them: M2 answers M1 (same "id").
flow=$("$PMSCOPE" ls messages -w "$WS" --json --filter id:1 |
    python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["flow"])')
check "flow:$flow"                        1,2

# marked follows the findings: the analysis suggests one for M1 (a token
# sent to '*'); mark M4 by hand, then dismiss that finding.
check 'marked'                            1
check 'marked and id:4'                   ''
OUT=$("$PMSCOPE" mark -w "$WS" message 4 2>&1)
fid=$(printf '%s' "$OUT" | sed -n 's/^finding \([0-9]*\) .*/\1/p')
expect_match "mark message 4" "$OUT" '^finding [0-9]+ added'
check 'marked and id:4'                   4
check 'marked'                            1,4
check 'marked and not id:4 and id:3'      ''
expect_rc "dismiss finding" 0 "$PMSCOPE" dismiss -w "$WS" "$fid"
check 'marked and id:4'                   ''

# A bad filter: message with the column, the expression, a caret; exit 2.
expect_rc "unbalanced paren exits 2" 2 \
    "$PMSCOPE" ls messages -w "$WS" --filter 'from:a.example and (via:port'
expect_eq "unbalanced paren report" "$OUT" \
"pmscope: bad filter at column 20: unbalanced '('; expected ')' to close it
  from:a.example and (via:port
                     ^"

expect_rc "bad regex exits 2" 2 \
    "$PMSCOPE" ls messages -w "$WS" --filter 'hello data~/a(b/'
expect_match "bad regex message" "$OUT" 'column 13: bad regex'
expect_match "bad regex caret" "$OUT" '^ {14}\^$'

expect_rc "unknown key exits 2" 2 \
    "$PMSCOPE" ls messages -w "$WS" --filter 'orign:a.example'
expect_match "unknown key names the keys" "$OUT" \
    "column 1: unknown key 'orign:'; expected one of origin, from"

# A key with a fixed set of values refuses any other value, at its column,
# instead of selecting nothing without a word.
expect_rc "unknown check exits 2" 2 \
    "$PMSCOPE" ls messages -w "$WS" --filter 'check:bogus'
expect_eq "unknown check report" "$(printf '%s' "$OUT" | sed -n 2,3p)" \
"  check:bogus
        ^"
expect_match "unknown check names the classes" "$OUT" \
    "column 7: unknown check 'bogus'; expected none, strict, indexOf, .*, or weak"
expect_rc "unknown sink exits 2" 2 \
    "$PMSCOPE" ls messages -w "$WS" --filter 'to:w.example and sink:foo'
expect_match "unknown sink names the sinks" "$OUT" \
    "column 23: unknown sink 'foo'; expected innerHTML, .*, postMessage, or \\*"
expect_match "unknown sink caret" "$OUT" '^ {24}\^$'
expect_rc "unknown via exits 2" 2 \
    "$PMSCOPE" ls messages -w "$WS" --filter 'via:carrier'
expect_match "unknown via names the channels" "$OUT" "column 5: unknown via 'carrier'"
check 'check:INDEXOF'                     1,5
check 'sink:INNERHTML'                    1,5

# Control characters in the expression never reach the terminal raw.
expect_rc "escape in bad filter exits 2" 2 \
    "$PMSCOPE" ls messages -w "$WS" --filter $'data:x\e]0;pwned\a ('
if printf '%s' "$OUT" | grep -q $'\e'; then
    fail "bad filter escapes control characters" "$OUT"
else
    pass "bad filter escapes control characters"
fi
expect_match "escaped expression shown" "$OUT" '^  data:x\\x1b\]0;pwned\\x07 \($'

# The workspace is untouched by all of the above.
expect_eq "messages still there" "$(ids '')" 1,2,3,4,5,6,7

# Regexes under a UTF-8 locale: an ASCII message is matched by the pattern
# compiled in the C locale (fast), any other by the user's locale, so '.'
# and [^x] still take a whole non-ASCII character and case still folds.
WS_U="$T/utf8.pmscope"
cat >"$T/utf8.jsonl" <<'JSONL'
{"v":1,"type":"meta","tool":"filter-test","tool_version":"1","start_url":"https://a.example/","started":"2026-11-25T10:00:00Z"}
{"v":1,"type":"frame","id":"F1","kind":"top","url":"https://a.example/","parent":null,"opener":null,"ts":0}
{"v":1,"type":"message","id":"U1","ts":1,"sender":"F1","receiver":"F1","target_origin":"*","via":"window","data":"caf\u00e9 a\u00e9b"}
{"v":1,"type":"message","id":"U2","ts":2,"sender":"F1","receiver":"F1","target_origin":"*","via":"window","data":"AXB Tok_1"}
{"v":1,"type":"message","id":"U3","ts":3,"sender":"F1","receiver":"F1","target_origin":"*","via":"window","data":"\u00c9T\u00c9 tok_2"}
JSONL
expect_rc "import utf-8 trace" 0 "$PMSCOPE" import -w "$WS_U" "$T/utf8.jsonl"
uids() {
    LC_ALL=C.UTF-8 "$PMSCOPE" ls messages -w "$WS_U" --filter "$1" 2>&1 |
        sed -n 's/^#\([0-9][0-9]*\) .*/\1/p' | paste -sd, -
}
expect_eq "utf-8 regex: . takes a whole character" "$(uids 'data~/a.b/')" 1,2
expect_eq "utf-8 regex: [^x] takes a whole character, x folds to X" "$(uids 'data~/a[^x]b/')" 1
expect_eq "utf-8 regex: ASCII case folds on both paths" "$(uids 'data~/TOK_[0-9]/')" 2,3
expect_eq "utf-8 regex: non-ASCII pattern folds case" "$(uids 'data~/été/')" 3
expect_eq "utf-8 regex: no match" "$(uids 'data~/zzz_no_[0-9]+/')" ''
