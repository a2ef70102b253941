#!/usr/bin/env bash
# tests/cli/verify.sh - `pmscope verify` with a real Chromium: the demo
# sample's findings replayed from the workspace alone (no server runs)
# and live against the demo site served on loopback give the same
# verdicts: the no-check innerHTML listener, the startsWith storage
# listener, the indexOf reply leak and the unanchored regex are verified,
# the strict check is not.  Failure paths: a finding without a listener,
# no browser, a workspace without the listener's script.  One browser per
# verify run, several findings per run, short timeouts.
. "$(dirname "$0")/../lib.sh"

SERVE=$PM_ROOT/sample-traces/serve.py
mkdir -p "$T/tmp"
export TMPDIR=$T/tmp
chmod 711 "$T"; mkdir -p "$TMPDIR"; chmod 1777 "$TMPDIR"

if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null &&
   ! command -v google-chrome >/dev/null; then
    fail "verify: chromium installed" "verify tests need Chromium (make chromium-dep)"
    exit 0
fi

server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$T"' EXIT

"$PMSCOPE_FAST" import -q -w ws.pmscope "$PM_ROOT/sample-traces/demo.har" > import.out
# the strictly checked listener (top.js:14) gets a finding by hand
"$PMSCOPE_FAST" mark -w ws.pmscope listener 1 -s low --title "strict check" > mark.out
fid() { # fid LISTENER -> the finding on that listener
    ws_query ws.pmscope "select id from findings where subject_kind = 'listener' and subject_id = $1"
}
F_HTML=$(fid 7) F_STORE=$(fid 8) F_REPLY=$(fid 4) F_REGEX=$(fid 2) F_STRICT=$(fid 1)
F_SEND=$(ws_query ws.pmscope "select id from findings where subject_kind = 'send_site'")
cp ws.pmscope live.pmscope

# ---- the PoC pages: payloads built from the handlers ------------------------
"$PMSCOPE_FAST" export -w ws.pmscope --status all --format json -o rep.json 2> export.err
poc() { python3 -c "
import json, sys
r = json.load(open('rep.json'))
f = [f for f in r['findings'] if f['id'] == $1][0]['proof_of_concept']
print(f['$2'])"; }
expect_match "poc: innerHTML payload meets the type guard" "$(poc "$F_HTML" html)" \
    'const data = \{"theme": canary, "type": "config"\};'
expect_match "poc: HTML canary posts back" "$(poc "$F_HTML" html)" \
    "const canary = '<img src=x onerror=\"' \+ canaryCode"
expect_match "poc: storage payload" "$(poc "$F_STORE" html)" 'const data = \{"session": canary, "type": "welcome"\};'
expect_eq "poc: storage from a passing origin" "$(poc "$F_STORE" passing_origin)" "http://127.0.0.1.attacker.example"
expect_match "poc: reply payload" "$(poc "$F_REPLY" html)" 'const data = \{"cmd": "getUser"\};'
expect_eq "poc: reply opened (CSP frame-ancestors)" "$(poc "$F_REPLY" how)" "window.open"
expect_eq "poc: innerHTML framed" "$(poc "$F_HTML" how)" "iframe"
expect_match "poc: a handler without a sink falls back to the recording" "$(poc "$F_REGEX" message)" \
    'the recorded .*: the guards could not be derived \(no sink or reply found in the handler\)'
expect_match "poc: the page says canary fired" "$(poc "$F_HTML" html)" "document.title = 'canary fired'"

# ---- replay: the workspace alone --------------------------------------------
check_verdicts() { # check_verdicts LABEL OUTPUT
    local out=$2
    expect_match "$1: innerHTML verified with its stack" "$out" \
        "(^|$(printf '\n'))$F_HTML +verified +canary fired at innerHTML: .*stack at the sink: .*nested.html:11:"
    expect_match "$1: storage verified" "$out" \
        "$F_STORE +verified +canary fired at localStorage: the receiver stored pmscope-canary-$F_STORE under the key session"
    expect_match "$1: reply leak verified" "$out" \
        "$F_REPLY +verified +canary fired at reply: reply from http://localhost:[0-9]+: \{\"result\":\{\"name\":\"Alice\""
    expect_match "$1: regex check verified" "$out" \
        "$F_REGEX +verified +the origin check let the message from http://attacker-localhost:[0-9]+ through"
    expect_match "$1: strict check not reproduced" "$out" \
        "$F_STRICT +not reproduced +blocked by the check \(event.origin === 'http://localhost:[0-9]+'\)"
}
t0=$(date +%s%N)
expect_rc "verify --replay runs" 0 "$PMSCOPE" verify -w ws.pmscope --replay --timeout 6 \
    "$F_HTML" "$F_STORE" "$F_REPLY" "$F_REGEX" "$F_STRICT"
t1=$(date +%s%N)
echo "# verify --replay of 5 findings took $(( (t1 - t0) / 1000000 )) ms"
check_verdicts "replay" "$OUT"
expect_eq "replay: no profile left behind" "$(ls "$TMPDIR" | wc -l)" 0

# the verdicts are kept: ls findings, its JSON and the report
expect_rc "ls findings" 0 "$PMSCOPE_FAST" ls -w ws.pmscope findings
expect_match "ls findings shows the verdict" "$OUT" "^$F_HTML .*\[verify: verified [0-9T:-]+Z\]"
expect_match "ls findings shows not reproduced" "$OUT" "$F_STRICT .*\[verify: not reproduced "
expect_rc "ls findings --json" 0 "$PMSCOPE_FAST" ls -w ws.pmscope findings --json
expect_match "ls --json has the detail" "$OUT" '"verify_detail":"canary fired at innerHTML'
expect_rc "export md" 0 "$PMSCOPE_FAST" export -w ws.pmscope --status all -o rep.md
expect_match "report: verdict row" "$(cat rep.md)" '\| Verified in Chromium \| verified \|'
expect_match "report: verification line" "$(cat rep.md)" 'Verification: canary fired at innerHTML'
"$PMSCOPE_FAST" export -w ws.pmscope --status all --format json -o rep2.json 2> export.err
expect_eq "report json: verdict" "$(python3 -c "
import json; r = json.load(open('rep2.json'))
print([f['verify_status'] for f in r['findings'] if f['id'] == $F_STRICT][0])")" "not reproduced"

# ---- eval, location and insertAdjacentHTML sinks behind guards --------------
python3 "$PM_ROOT/tests/data/verify/make_sinks_har.py" sinks.har
"$PMSCOPE_FAST" import -q -w sinks.pmscope sinks.har > import.out
sfid() { ws_query sinks.pmscope "select f.id from findings f join listeners l on l.id = f.subject_id
    where f.subject_kind = 'listener' and l.script_url like '%/$1'"; }
S_STRICT_L=$(ws_query sinks.pmscope "select id from listeners where script_url like '%/strict.html'")
"$PMSCOPE_FAST" mark -w sinks.pmscope listener "$S_STRICT_L" -s low > mark.out
S_EVAL=$(sfid eval.html) S_NAV=$(sfid nav.html) S_HTML=$(sfid render.html) S_STRICT=$(sfid strict.html)
expect_rc "verify: sinks behind guards" 0 "$PMSCOPE" verify -w sinks.pmscope --timeout 6 \
    "$S_EVAL" "$S_NAV" "$S_HTML" "$S_STRICT"
expect_match "verify: eval behind JSON.parse and a switch case" "$OUT" \
    "$S_EVAL +verified +canary fired at eval: .*stack at the sink: .*eval.html:9:"
expect_match "verify: location behind an action table, canary URL on the PoC origin" "$OUT" \
    "$S_NAV +verified +canary fired at location: http://pmscope-attacker.test/pmscope-canary\?f=$S_NAV"
expect_match "verify: insertAdjacentHTML behind a version and an op" "$OUT" \
    "$S_HTML +verified +canary fired at insertAdjacentHTML: "
expect_match "verify: eval behind a strict check is not reproduced" "$OUT" \
    "$S_STRICT +not reproduced +blocked by the check \(e.origin !== 'http://app.verify.test'\)"

# ---- failure paths ---------------------------------------------------------
# nothing to run: no browser is needed (none is given)
expect_rc "verify: finding without a listener" 0 "$PMSCOPE" verify -w ws.pmscope \
    --chromium "$T/no-chromium" "$F_SEND"
expect_match "verify: says there is no listener" "$OUT" "$F_SEND +not reproduced +the finding names no listener"
expect_rc "verify: no such finding" 1 "$PMSCOPE" verify -w ws.pmscope 999
expect_match "verify: names the missing finding" "$OUT" "no finding 999"
expect_rc "verify: no ids is a usage error" 2 "$PMSCOPE" verify -w ws.pmscope
before=$(ws_checksum ws.pmscope)
expect_rc "verify: missing browser" 2 "$PMSCOPE" verify -w ws.pmscope --chromium "$T/no-chromium" "$F_HTML"
expect_match "verify: missing browser named" "$OUT" "no-chromium"
expect_eq "verify: missing browser changes nothing" "$(ws_checksum ws.pmscope)" "$before"

cp ws.pmscope noscript.pmscope
python3 - noscript.pmscope <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("delete from requests where url like '%/widget.js'")
db.commit()
PY
expect_rc "verify: script missing runs" 0 "$PMSCOPE" verify -w noscript.pmscope --timeout 3 "$F_REPLY"
expect_match "verify: script missing from the recording" "$OUT" \
    "$F_REPLY +not reproduced +script missing from the recording: http://localhost:8102/widget.js"

# ---- live: the demo site on loopback ---------------------------------------
# nothing serves it yet: the receiver's frame shows an error page
expect_rc "verify --live, site down" 0 "$PMSCOPE" verify -w live.pmscope --live --timeout 3 "$F_HTML"
expect_match "verify --live, site down: frame refused" "$OUT" \
    "$F_HTML +not reproduced +frame refused: the browser showed an error page instead of http://127.0.0.1:8103/nested.html"
python3 "$SERVE" --ports 8101,8102,8103 --port-file ports.txt 2> serve.err &
server=$!
for _ in $(seq 100); do [ -s ports.txt ] && break; sleep 0.05; done
if [ -s ports.txt ]; then
    t0=$(date +%s%N)
    expect_rc "verify --live runs" 0 "$PMSCOPE" verify -w live.pmscope --live --timeout 6 \
        "$F_HTML" "$F_STORE" "$F_REPLY" "$F_REGEX" "$F_STRICT"
    t1=$(date +%s%N)
    echo "# verify --live of 5 findings took $(( (t1 - t0) / 1000000 )) ms"
    check_verdicts "live" "$OUT"
    expect_nomatch "live: nothing answered from the recording" "$OUT" "not in the recording"
else
    fail "live: demo site served on 8101-8103" "$(cat serve.err)"
fi

# ---- v in the TUI's view 5: the same run, the terminal handed to it --------
. "$PM_ROOT/tests/tmux_lib.sh"
trap '"${TM[@]}" kill-server >/dev/null 2>&1; [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$T"' EXIT
tmux_require
"$PMSCOPE_FAST" import -q -w tui.pmscope "$PM_ROOT/sample-traces/demo.har" > /dev/null
F_TUI=$(ws_query tui.pmscope "select id from findings where subject_kind = 'listener' and subject_id = 7")
tmux_start tv "$PMSCOPE tui -w tui.pmscope"
wait_for "tui: opens on the listeners" tv 'listeners'
keys tv 5
wait_for "tui: view 5 offers v" tv 'vVerify'
keys tv /
keys tv -l 'innerHTML'
keys tv Enter
wait_for "tui: the innerHTML finding selected" tv "finding #$F_TUI "
keys tv v
wait_for "tui: v runs pmscope verify on the selected finding" tv "pmscope verify finding $F_TUI "
wait_for "tui: ... which verifies it" tv "^$F_TUI +verified +canary fired at innerHTML" 90
wait_for "tui: ... then waits for Enter" tv 'press Enter to return to pmscope' 30
keys tv Enter
wait_for "tui: back in view 5 with the verdict on the finding" tv 'in Chromium: verified'
expect_eq "tui: the verdict is kept with the finding" \
    "$(ws_query tui.pmscope "select verify_status from findings where id = $F_TUI")" verified
keys tv q
