#!/usr/bin/env bash
# tests/cli/show_listener.sh - `pmscope show listener ID`: the listener's
# check, sinks and code; minified code re-indented by the same rule as the
# TUI's code pane (--pretty, --raw override it), the lines holding the
# origin check and the sink marked, literals unchanged, hidden characters
# escaped; --json with the code as written and the marks as script
# positions; bad ids and options refused.
. "$(dirname "$0")/../lib.sh"

WS=$T/ws.pmscope
expect_rc "import a trace with a minified listener" 0 \
    "$PMSCOPE" import -w "$WS" "$PM_ROOT/tests/data/tui/minified.jsonl"

expect_rc "show listener 1" 0 "$PMSCOPE" show -w "$WS" listener 1
expect_match "its script and position" "$OUT" '^script +https://widget\.example/static/app\.min\.js:1:48213$'
expect_match "its check with its position" "$OUT" '^check +strict  e\.origin!=="https://shop\.example"  \(1:48307\)$'
expect_match "its sinks" "$OUT" '^sinks +innerHTML$'
expect_match "minified code is pretty-printed by default" "$OUT" '^code +pretty-printed \(--raw: as written\)$'
expect_match "the first line carries its script line" "$OUT" '^ +1  function\(e\) \{$'
expect_match "the check is on its own line, marked" "$OUT" \
    '^ {9}  if \(e\.origin !== "https://shop\.example"\) return;  \[check\]$'
expect_match "the sink is on its own line, marked" "$OUT" \
    '^ {9}      n\.innerHTML = t\.html;  \[innerHTML\]$'
expect_match "the template literal is unchanged" "$OUT" 'console\.log\(`unknown \$\{t\.type\}`\)$'
expect_eq "two lines are marked" "$(printf '%s\n' "$OUT" | grep -c '\]$')" "2"

expect_rc "show listener --raw" 0 "$PMSCOPE" show -w "$WS" --raw listener 1
expect_match "--raw: as written" "$OUT" '^code +as written$'
expect_match "--raw: one line with both marks" "$OUT" \
    '^ +1  function\(e\)\{var t=e\.data,.*\}\}  \[check, innerHTML\]$'

# Readable code stays as written unless --pretty.
WS2=$T/demo.pmscope
expect_rc "import the readable demo" 0 "$PMSCOPE" import -w "$WS2" "$PM_ROOT/tests/data/tui/demo.jsonl"
expect_rc "show a readable listener" 0 "$PMSCOPE" show -w "$WS2" listener 1
expect_match "readable code: as written" "$OUT" '^code +as written$'
expect_match "readable code: its line marked" "$OUT" \
    "^ +3  window\\.addEventListener\\('message', function\\(e\\)\\{ if .*  \\[check, innerHTML\\]$"
expect_rc "show --pretty" 0 "$PMSCOPE" show -w "$WS2" --pretty listener 1
expect_match "--pretty re-indents readable code" "$OUT" \
    "^ {9}  if \\(e\\.origin\\.indexOf\\('shop\\.example'\\) > -1\\) \\{  \\[check\\]$"

# Hidden characters in code are escaped, as everywhere.
cat > esc.jsonl <<'JSONL'
{"v": 1, "type": "meta", "tool": "t", "tool_version": "1", "start_url": "https://a.example/", "started": "2026-11-25T10:00:00Z"}
{"v": 1, "type": "frame", "id": "F1", "kind": "top", "url": "https://a.example/", "parent": null, "opener": null, "ts": 0.0}
{"v": 1, "type": "listener", "frame": "F1", "script_url": "https://a.example/a.js", "line": 1, "col": 1, "source": "e => { document.title = '\u001b]0;pwned\u0007 \u202eevil'; }"}
JSONL
expect_rc "import a listener with escape sequences" 0 "$PMSCOPE" import -w esc.pmscope esc.jsonl
expect_rc "show it" 0 "$PMSCOPE" show -w esc.pmscope listener 1
expect_match "escape sequences in code are shown escaped" "$OUT" "'\\\\x1b\\]0;pwned\\\\x07 \\\\u202eevil'"
expect_nomatch "no raw escape reaches the terminal" "$OUT" $'\e'

expect_rc "a missing listener" 1 "$PMSCOPE" show -w "$WS" listener 9
expect_match "says which" "$OUT" 'no listener 9'
expect_rc "--pretty with --raw is a usage error" 2 "$PMSCOPE" show -w "$WS" --pretty --raw listener 1
expect_rc "an unknown kind names the kinds" 2 "$PMSCOPE" show -w "$WS" frame 1
expect_match "kinds listed" "$OUT" 'kinds: window message listener'

# --json: the listener's fields, its code as written and its marks as
# script positions (the check at 1:48307, the sink where it is written).
json() { printf '%s' "$OUT" | python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"; }
expect_rc "show listener --json" 0 "$PMSCOPE" show -w "$WS" --json listener 1
expect_eq "JSON: id, check, sinks" "$(json 'd["id"], d["check"], d["sinks"]')" \
    "1 strict ['innerHTML']"
expect_eq "JSON: where it is" "$(json 'd["script_url"], d["line"], d["col"]')" \
    "https://widget.example/static/app.min.js 1 48213"
expect_eq "JSON: the code as written, minified" \
    "$(json 'd["code"]["text"].startswith("function(e){var t=e.data,"), d["code"]["minified"]')" "True True"
expect_eq "JSON: the marks at their script positions" \
    "$(json '[(m["what"], m["line"]) for m in d["code"]["marks"]]')" "[('check', 1), ('innerHTML', 1)]"
expect_eq "JSON: the check mark at the check's column" \
    "$(json 'd["code"]["marks"][0]["col"] == d["check_col"]')" "True"
expect_eq "JSON: the sink mark points at innerHTML in the code" \
    "$(json 'd["code"]["text"][d["code"]["marks"][1]["col"] - d["col"]:][:9]')" "innerHTML"
expect_rc "show --json of a listener with escapes" 0 "$PMSCOPE" show -w esc.pmscope --json listener 1
expect_nomatch "JSON: no raw escape reaches the terminal" "$OUT" $'\e'
expect_match "JSON: the escape is a JSON escape" "$OUT" '\\u001b\]0;pwned'
expect_rc "a missing listener with --json" 1 "$PMSCOPE" show -w "$WS" --json listener 9
expect_match "says which" "$OUT" 'no listener 9'
