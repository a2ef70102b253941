#!/usr/bin/env bash
# tests/cli/valgrind.sh - a representative session under valgrind memcheck,
# on the normal (unsanitized) binary: import a HAR, traces and an OpenWPM crawl, list, show
# (a listener's minified code re-indented too),
# filter, flow, analyze, mark, note, export in both formats, and a refused
# import.  Any invalid read or write, use of uninitialized memory or
# definitely lost block fails the step (valgrind exits 99).  The sanitizer
# build covers the same code; this run checks the build users install.
. "$(dirname "$0")/../lib.sh"

if ! command -v valgrind >/dev/null; then
    fail "valgrind installed" "Debian: apt-get install valgrind"
    exit 0
fi
VG=(valgrind -q --error-exitcode=99 --leak-check=full
    --errors-for-leak-kinds=definite --show-leak-kinds=definite
    --track-origins=no)
ws=$T/vg.pmscope

# vg NAME EXPECTED_RC ARGS...: pmscope ARGS under memcheck.
vg() {
    local name=$1 want=$2; shift 2
    OUT=$("${VG[@]}" "$PMSCOPE_FAST" "$@" 2>&1)
    local rc=$?
    if [ "$rc" -eq "$want" ]; then pass "valgrind: $name"
    else fail "valgrind: $name" "expected exit $want, got $rc" \
             "$(printf '%s' "$OUT" | grep -v '^[^=]' | head -30)"; fi
}

vg "import trace" 0 import -w "$ws" "$PM_ROOT/tests/data/filter/messages.jsonl"
vg "import HAR" 0 import -w "$ws" "$PM_ROOT/tests/data/hars/mitmproxy__chrome.har"
vg "import sample trace" 0 import -w "$ws" "$PM_ROOT/sample-traces/demo.jsonl"
python3 "$PM_ROOT/tests/data/openwpm/make_crawl.py" "$T/crawl.sqlite" fixture
vg "import OpenWPM crawl" 0 import -w "$ws" "$T/crawl.sqlite"
vg "import refused (bad trace)" 1 import -w "$ws" "$PM_ROOT/tests/data/traces/bad-truncated.jsonl"
vg "ls sources" 0 ls -w "$ws" sources
vg "ls windows" 0 ls -w "$ws" windows
vg "ls messages" 0 ls -w "$ws" messages
vg "ls listeners --json" 0 ls -w "$ws" --json listeners
vg "ls filter" 0 ls -w "$ws" --filter 'target:* and (data~/tok.n/ or sink:innerHTML) and not origin:null' messages
vg "ls filter syntax error" 2 ls -w "$ws" --filter 'origin:(' messages
vg "show message" 0 show -w "$ws" message 1
vg "show window" 0 show -w "$ws" window 2
vg "import a minified listener" 0 import -w "$ws" "$PM_ROOT/tests/data/tui/minified.jsonl"
lid=$(ws_query "$ws" "select max(id) from listeners")
vg "show listener (re-indented)" 0 show -w "$ws" listener "$lid"
vg "show listener --raw" 0 show -w "$ws" --raw listener "$lid"
vg "flow" 0 flow -w "$ws" 1
vg "analyze" 0 analyze -w "$ws"
vg "mark" 0 mark -w "$ws" message 1 --severity high --note 'it'"'"'s; DROP TABLE messages; --'
vg "ls findings" 0 ls -w "$ws" findings
vg "export md" 0 export -w "$ws" --status all -o "$T/report.md"
vg "export json" 0 export -w "$ws" --status all --format json -o "$T/report.json"
expect_match "report written" "$(head -c 2000 "$T/report.md")" 'postMessage|[Ff]inding'
