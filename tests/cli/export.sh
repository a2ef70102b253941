#!/usr/bin/env bash
# export.sh - `pmscope export`: golden reports (Markdown and JSON) of a
# small shop/widget/login trace, CommonMark structure checks with cmark,
# redaction on and off, status selection, hostile data that tries to break
# the document, and errors.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
D=$PM_ROOT/tests/data/export
export SOURCE_DATE_EPOCH=1795600000   # fixed "generated" stamp

# Timestamps the workspace records (created, updated, imported) vary.
normalize() { sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/TIMESTAMP/g'; }

# ---- basic workspace ----------------------------------------------------
cp "$D/basic.jsonl" .
expect_rc "import basic" 0 "$PMSCOPE" import -q -w ws.pmscope basic.jsonl
python3 "$D/prepare.py" ws.pmscope basic
expect_rc "mark message" 0 "$PMSCOPE" mark -w ws.pmscope message 1 -s high \
    --note $'The widget trusts any origin containing shop.example.\nSee <script>alert(1)</script> | and `code`.'
expect_rc "mark listener" 0 "$PMSCOPE" mark -w ws.pmscope listener 1 \
    -s critical --title "indexOf origin check feeds innerHTML"
expect_rc "mark edge" 0 "$PMSCOPE" mark -w ws.pmscope edge \
    'https://login.example>https://shop.example' -s low
expect_rc "mark window" 0 "$PMSCOPE" mark -w ws.pmscope window 3 -s info
expect_rc "dismiss window finding" 0 "$PMSCOPE" dismiss -w ws.pmscope 5

expect_rc "export md to stdout" 0 "$PMSCOPE" export -w ws.pmscope
expect_golden export-basic.md "$(printf '%s\n' "$OUT" | normalize)"
expect_rc "export json" 0 "$PMSCOPE" export -w ws.pmscope --format json
expect_golden export-basic.json "$(printf '%s\n' "$OUT" | normalize)"
expect_eq "json parses" "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["findings"]), d["redacted"])')" "3 True"

"$PMSCOPE" export -w ws.pmscope -o report.md 2>err.txt
expect_eq "export -o exit" "$?" "0"
expect_eq "export -o says what it wrote" "$(cat err.txt)" "report.md: 3 findings"
expect_eq "no temp file left" "$(ls report.md* | tr '\n' ' ')" "report.md "
python3 "$D/check_report.py" report.md --name basic --findings 3 \
    --heading "Finding 3: indexOf origin check feeds innerHTML" \
    --text "See <script>alert(1)</script> | and \`code\`." \
    --code "https://shop.example.attacker.example" \
    --code "f.contentWindow.postMessage(data, '*')" \
    --absent "s3cr3t-value" \
    --absent "eyJhbGciOiJIUzI1NiJ9" --absent "abc.def.ghi" \
    --absent "session=abc123" --present "session=[redacted]"

# Default is confirmed (incl. hand marks): no suggested, no dismissed.
md=$(cat report.md)
expect_nomatch "default leaves out suggested" "$md" "targetOrigin \\\\\* with a token"
expect_nomatch "default leaves out dismissed" "$md" "Finding 5"
expect_rc "status all" 0 "$PMSCOPE" export -w ws.pmscope --status all
printf '%s\n' "$OUT" > all.md
python3 "$D/check_report.py" all.md --name all --findings 5
expect_rc "status suggested,dismissed" 0 "$PMSCOPE" export -w ws.pmscope \
    --status suggested,dismissed
expect_eq "suggested,dismissed headings" \
    "$(printf '%s\n' "$OUT" | grep '^### ' | cut -c1-15 | tr '\n' ' ')" \
    "### Finding 1:  ### Finding 5:  "
expect_rc "confirm suggested" 0 "$PMSCOPE" confirm -w ws.pmscope 1
expect_rc "export after confirm" 0 "$PMSCOPE" export -w ws.pmscope
expect_match "confirmed suggestion is reported" "$OUT" "Finding 1: targetOrigin"
expect_match "rule named" "$OUT" "\\| Found by \\| wildcard-sensitive \\|"

# --no-redact keeps secrets and writes the file private.
"$PMSCOPE" export -w ws.pmscope --no-redact -o clear.md 2>/dev/null
expect_eq "no-redact exit" "$?" "0"
expect_match "no-redact keeps token" "$(cat clear.md)" "s3cr3t-value"
expect_match "no-redact keeps jwt" "$(cat clear.md)" "eyJhbGciOiJIUzI1NiJ9"
expect_match "no-redact says so" "$(cat clear.md)" "Not redacted"
expect_eq "no-redact file mode" "$(stat -c %a clear.md)" "600"

# ---- secrets and personal data: values go, code and URLs stay usable ----
cp "$D/leaks.jsonl" .
expect_rc "import leaks" 0 "$PMSCOPE" import -q -w leaks.pmscope leaks.jsonl
python3 "$D/prepare.py" leaks.pmscope leaks
expect_rc "mark leaking message" 0 "$PMSCOPE" mark -w leaks.pmscope message 1 -s high
expect_rc "export leaks" 0 "$PMSCOPE" export -w leaks.pmscope -o leaks.md
leaks="hunter2pw 9A8B7C6D oauthc0de st4te letmein42 open-sesame phpsess-1 jsess-2
       acc-3 pass-4 code-5 saml-6 ST-7 verif-8 078-05-1120
       4111111111111111 Ada Lovelace ada@example.com 7946 James 1815-12-10
       ada.l@example.org authc0de xyzstate"
for v in $leaks; do
    expect_nomatch "redacted: $v" "$(cat leaks.md)" "$v"
done
python3 "$D/check_report.py" leaks.md --name leaks --findings 1 \
    --code 'window.demoState.authToken = data.token;' \
    --code 'var pw = "[redacted]";' \
    --code "if (e.data.pass === '[redacted]') unlock();" \
    --code '"form": "code=[redacted]&state=[redacted]&lang=en"' \
    --code '"note": "reach me at [redacted]"' \
    --code '"firstName": "[redacted]"' --code '"type": "profile"' \
    --code '"pin": "[redacted]"' --code '"cvv": "[redacted]"' \
    --present 'rs=AA2YrTtyZ8Bp0Qx1Lm3NcVb7Hd9Kq2Wf4Jg, line 1' \
    --present 'https://ada:\[redacted\]@portal.example/app;jsessionid=\[redacted\]?view=1' \
    --present 'embed?code=\[redacted\]\&state=\[redacted\]\&theme=dark'
"$PMSCOPE" export -w leaks.pmscope --no-redact -o leaks-clear.md 2>/dev/null
for v in $leaks; do
    expect_match "--no-redact keeps: $v" "$(cat leaks-clear.md)" "$v"
done

# A long title is shortened at a word boundary in the summary table and
# given in full in the finding's heading.
long_title="Listener accepts messages from any origin and writes them to innerHTML; its frame can be embedded by any site"
expect_rc "mark with a long title" 0 "$PMSCOPE" mark -w leaks.pmscope listener 1 -s critical --title "$long_title"
expect_rc "export long title" 0 "$PMSCOPE" export -w leaks.pmscope -o long.md
row=$(grep '^| 2 |' long.md)
expect_match "summary title shortened at a word boundary" "$row" \
    '^\| 2 \| critical \| Listener accepts messages from any origin and writes them to innerHTML; its…'
cell=$(printf '%s' "$row" | awk -F' [|] ' '{print $3}')
prefix=${cell%…}
expect_eq "the cut falls before a space of the title" \
    "${long_title:0:$((${#prefix} + 1))}" "$prefix "
python3 "$D/check_report.py" long.md --name long --findings 2 --heading "Finding 2: $long_title"
# Diagram labels read as they are: JSON keeps its quotes and braces.
expect_match "mermaid label is readable" "$(cat long.md)" \
    'P1->>P2: message 1, targetOrigin \*: \{"type":"profile","PHPSESSID":"\[redacted\]",'

# The redaction rules in docs/findings-and-report.md are the table's.
rules=$(grep -oE '^    \{"[a-z0-9-]+",' "$PM_ROOT/src/redact.c" | tr -d '{", ')
docs=$(sed -n '/^### Redaction/,/^### /p' "$PM_ROOT/docs/findings-and-report.md" |
       sed -nE 's/^- `([a-z0-9-]+)`:.*/\1/p')
expect_eq "docs list the redaction rules of redact_rules[]" "$(echo $docs)" "$(echo $rules)"
expect_match "the table has rules" "$rules" "secret-name"

# ---- hostile data ---------------------------------------------------------
cp "$D/hostile.jsonl" .
expect_rc "import hostile" 0 "$PMSCOPE" import -q -w h.pmscope hostile.jsonl
python3 "$D/prepare.py" h.pmscope hostile
title=$'# Title | with `code` <img src=x onerror=alert(1)>\n===\n- x'
expect_rc "mark hostile title" 0 "$PMSCOPE" mark -w h.pmscope listener 1 -s high \
    --title "$title" \
    --note $'</details> ``` <!-- x --> [l](javascript:alert(1)) ![i](http://x)\n# not a heading\n\n- not a list\n    not code\n\u202eevil'
expect_rc "mark hostile message" 0 "$PMSCOPE" mark -w h.pmscope message 1 -s medium
expect_rc "export hostile" 0 "$PMSCOPE" export -w h.pmscope -o hostile.md
python3 "$D/check_report.py" hostile.md --name hostile --findings 3 \
    --heading 'Finding 2: # Title | with `code` <img src=x onerror=alert(1)> === - x' \
    --text '</details> ``` <!-- x --> [l](javascript:alert(1)) ![i](http://x)' \
    --text '# not a heading' --text '- not a list' \
    --code '"html": "<script>alert(1)</script>"' \
    --code '"`": "```` inside ``` fence"' \
    --code '"ctl": "\u001b[31mred\u0007"' --code '\u202egnp.exe' \
    --code "window.open(target, 'pmscope_poc')" \
    --code 'https://trusted.example.attacker.example' \
    --code 'eval(e.data.code); // -->\x1b[31m\u202e' \
    --absent 'hunter2' --absent 'Bearer abcdef' \
    --absent $'\x1b' --absent $'\u202e'
expect_eq "long value cut in evidence" \
    "$(grep -c 'Data cut at 16384 bytes' hostile.md)" "2"
expect_nomatch "no 3000-char line in a table" "$(grep '^|' hostile.md | awk 'length > 1200')" "."

# A frame cycle (parent links that loop) ends the path instead of hanging.
python3 -c 'import sqlite3,sys; d=sqlite3.connect(sys.argv[1]); d.execute("UPDATE windows SET parent_id=2 WHERE id=1"); d.commit()' h.pmscope
expect_rc "export with a frame cycle" 0 timeout 20 "$PMSCOPE" export -w h.pmscope -o cycle.md
expect_match "cycle marked as cut" "$(cat cycle.md)" "further windows above are left out"
python3 "$D/check_report.py" cycle.md --name cycle --findings 3

# ---- the bundled sample, analysed by pmscope itself --------------------------
if [ -f "$PM_ROOT/sample-traces/demo.jsonl" ]; then
    expect_rc "import sample" 0 "$PMSCOPE" import -q -w demo.pmscope "$PM_ROOT/sample-traces/demo.jsonl"
    expect_rc "export sample, every status" 0 "$PMSCOPE" export -w demo.pmscope --status all -o demo.md
    n=$("$PMSCOPE" ls -w demo.pmscope findings --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
    python3 "$D/check_report.py" demo.md --name demo --findings "$n"
fi

# ---- errors -------------------------------------------------------------------
expect_rc "bad status" 2 "$PMSCOPE" export -w ws.pmscope --status maybe
expect_match "bad status message" "$OUT" "unknown status 'maybe'"
expect_rc "bad format" 2 "$PMSCOPE" export -w ws.pmscope --format pdf
expect_rc "extra argument" 2 "$PMSCOPE" export -w ws.pmscope extra
expect_rc "missing workspace" 3 "$PMSCOPE" export -w nope.pmscope
expect_rc "unwritable output" 3 "$PMSCOPE" export -w ws.pmscope -o /nonexistent/dir/r.md
expect_rc "report over the workspace" 2 "$PMSCOPE" export -w ws.pmscope -o ./ws.pmscope
expect_match "workspace kept" "$(file ws.pmscope 2>/dev/null || head -c 15 ws.pmscope)" "SQLite"
expect_rc "report over the workspace's WAL" 2 "$PMSCOPE" export -w ws.pmscope -o ws.pmscope-wal
expect_match "it names the workspace" "$OUT" "refusing to write over the workspace"
ln ws.pmscope ws-hardlink
expect_rc "report over a hard link to the workspace" 2 "$PMSCOPE" export -w ws.pmscope -o ws-hardlink
rm -f ws-hardlink
expect_match "workspace still kept" "$(head -c 15 ws.pmscope)" "SQLite"

# A planted FILE.tmp is neither followed nor reused; -o refuses symlinks
# and devices; an unredacted report is 0600 whatever was there before.
echo victim > victim.txt
ln -s victim.txt planted.md.tmp
expect_rc "export beside a planted .tmp symlink" 0 "$PMSCOPE" export -w ws.pmscope -o planted.md
expect_eq "the symlink's target is untouched" "$(cat victim.txt)" "victim"
expect_eq "the report is a regular file" "$(stat -c %F planted.md)" "regular file"
ln -s victim.txt linked.md
expect_rc "-o naming a symlink" 2 "$PMSCOPE" export -w ws.pmscope -o linked.md
expect_match "says it is a symlink" "$OUT" "linked.md: is a symbolic link"
expect_eq "the link is kept" "$(readlink linked.md)" "victim.txt"
mkfifo report.fifo   # a FIFO, not a real device: a failing run must not replace /dev/*
expect_rc "-o naming a FIFO" 2 "$PMSCOPE" export -w ws.pmscope -o report.fifo
expect_eq "the FIFO is kept" "$(stat -c %F report.fifo)" "fifo"
expect_rc "-o naming a directory" 2 "$PMSCOPE" export -w ws.pmscope -o .
touch -m clear2.md; chmod 644 clear2.md
expect_rc "unredacted over a 0644 file" 0 "$PMSCOPE" export -w ws.pmscope --no-redact -o clear2.md
expect_eq "the unredacted report is 0600" "$(stat -c %a clear2.md)" "600"
expect_eq "no temporary file is left" "$(ls -a | grep -c '^\.pmscope-out')" "0"
expect_rc "full disk" 3 sh -c '"$0" export -w ws.pmscope > /dev/full' "$PMSCOPE"
expect_rc "no findings, json" 0 "$PMSCOPE" export -w h.pmscope --status dismissed --format json
expect_eq "empty json report parses" "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["findings"], len(d["sources"]))')" "[] 1"
