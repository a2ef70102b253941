#!/usr/bin/env bash
# tests/cli/import_scale.sh - import time grows linearly with the listeners
# of one script and of one window.  Each shape is imported at 2 500 and at
# 10 000 listeners; four times the input must take well under sixteen
# times as long (what a lookup that reads every earlier listener costs).
# The bound (8x) leaves room for a busy 2-core machine; each size is run
# twice and the faster run counts.
#   - HAR: one script whose body adds N message handlers (the scan);
#   - trace: N recorded listeners of one script in one frame;
#   - OpenWPM: N addEventListener rows of one script in one frame;
#   - HAR + trace of the same page: N scanned handlers on one line and the
#     N recorded listeners (without code) they are, linked as copies.
. "$(dirname "$0")/../lib.sh"

BIN=$PMSCOPE_FAST
MK="$PM_ROOT/tests/data/openwpm/make_crawl.py"

# gen SHAPE N: write the input(s) of SHAPE with N listeners into $T.
gen() {
    python3 - "$1" "$2" <<'PY'
import json, sys
shape, n = sys.argv[1], int(sys.argv[2])

def entry(url, mime, text):
    return {"pageref": "p1", "startedDateTime": "2026-01-01T00:00:00Z",
            "time": 1,
            "request": {"method": "GET", "url": url, "httpVersion": "HTTP/1.1",
                        "headers": [], "queryString": [], "cookies": [],
                        "headersSize": -1, "bodySize": 0},
            "response": {"status": 200, "statusText": "OK",
                         "httpVersion": "HTTP/1.1",
                         "headers": [{"name": "Content-Type", "value": mime}],
                         "cookies": [],
                         "content": {"size": len(text), "mimeType": mime,
                                     "text": text},
                         "redirectURL": "", "headersSize": -1, "bodySize": -1},
            "cache": {}, "timings": {"send": 0, "wait": 0, "receive": 0}}

def har(path, js):
    doc = {"log": {"version": "1.2", "creator": {"name": "gen", "version": "1"},
           "pages": [{"id": "p1", "startedDateTime": "2026-01-01T00:00:00Z",
                      "title": "t", "pageTimings": {}}],
           "entries": [entry("https://a.example/", "text/html",
                             "<script src=app.js></script>"),
                       entry("https://a.example/app.js",
                             "application/javascript", js)]}}
    open(path, "w").write(json.dumps(doc))

FRAME = '{"v":1,"type":"frame","id":"F1","kind":"top","url":"https://a.example/","ts":0}\n'
HANDLER = ("window.addEventListener('message', function(e){ if (e.origin !== "
           "'https://a.example') return; el%d.innerHTML = e.data });")
if shape == "har":
    har("har-%d.har" % n, "\n".join(HANDLER % i for i in range(n)))
elif shape == "trace":
    with open("trace-%d.jsonl" % n, "w") as f:
        f.write(FRAME)
        for i in range(n):
            f.write(json.dumps({"v": 1, "type": "listener", "frame": "F1",
                                "script_url": "https://a.example/app.js",
                                "line": i + 1, "col": 1,
                                "source": "function(e){ el%d.innerHTML = e.data }" % i}) + "\n")
elif shape == "mixed":
    handlers = [HANDLER % i for i in range(n)]
    har("mixed-%d.har" % n, "".join(handlers))
    with open("mixed-%d.jsonl" % n, "w") as f:
        f.write(FRAME)
        col = 1
        for h in handlers:
            f.write(json.dumps({"v": 1, "type": "listener", "frame": "F1",
                                "script_url": "https://a.example/app.js",
                                "line": 1, "col": col}) + "\n")
            col += len(h)
PY
}

# timed_import SHAPE N: import SHAPE's input(s) of size N into a fresh
# workspace twice; $MS is the faster run in milliseconds.
timed_import() {
    local shape=$1 n=$2 files run start end ms
    case $shape in
    har) files="har-$n.har" ;;
    trace) files="trace-$n.jsonl" ;;
    openwpm) files="crawl-$n.sqlite" ;;
    mixed) files="mixed-$n.har mixed-$n.jsonl" ;;
    esac
    MS=
    for run in 1 2; do
        rm -f "ws-$shape-$n.pmscope" "ws-$shape-$n.pmscope-wal" "ws-$shape-$n.pmscope-shm"
        start=$(date +%s%N)
        # shellcheck disable=SC2086 # two file names for "mixed"
        OUT=$(timeout 300 "$BIN" import -q -w "ws-$shape-$n.pmscope" $files 2>&1) ||
            { fail "$shape $n: import" "$(printf '%s' "$OUT" | head -5)"; MS=; return; }
        end=$(date +%s%N)
        ms=$(( (end - start) / 1000000 ))
        if [ -z "$MS" ] || [ "$ms" -lt "$MS" ]; then MS=$ms; fi
    done
}

q() { python3 -c 'import sqlite3,sys
for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print("|".join(map(str, r)))' "$1" "$2"; }

for shape in har trace openwpm mixed; do
    for n in 2500 10000; do
        if [ "$shape" = openwpm ]; then
            python3 "$MK" "crawl-$n.sqlite" listeners "$n"
        else
            gen "$shape" "$n"
        fi
    done
    timed_import "$shape" 2500; small=$MS
    timed_import "$shape" 10000; large=$MS
    [ -n "$small" ] && [ -n "$large" ] || continue
    [ "$small" -gt 0 ] || small=1
    ratio=$(( large * 10 / small ))
    if [ "$ratio" -lt 80 ]; then
        pass "$shape: 4x the listeners took $((ratio / 10)).$((ratio % 10))x the time (${small} ms, ${large} ms)"
    else
        fail "$shape: 4x the listeners took $((ratio / 10)).$((ratio % 10))x the time (${small} ms, ${large} ms); expected < 8x"
    fi
done

# The large imports are also right: every listener is there once, and the
# scanned handlers are linked to the recorded ones they are.
expect_eq "har: 10000 scanned listeners" \
    "$(q ws-har-10000.pmscope "select count(*) from listeners where found_by = 'scan'")" 10000
expect_eq "trace: 10000 recorded listeners" \
    "$(q ws-trace-10000.pmscope "select count(*) from listeners where found_by = 'trace'")" 10000
expect_eq "openwpm: 10000 recorded listeners" \
    "$(q ws-openwpm-10000.pmscope "select count(*) from listeners where found_by <> 'scan'")" 10000
expect_eq "mixed: every scanned handler linked to a recorded listener" \
    "$(q ws-mixed-10000.pmscope "select count(*) from listeners s join listeners r on r.id = s.same_as
                                 where s.found_by = 'scan' and r.found_by = 'trace'")" 10000
expect_eq "mixed: recorded listeners took the scan's origin-check class" \
    "$(q ws-mixed-10000.pmscope "select count(*) from listeners where found_by = 'trace' and check_kind = 'strict'")" 10000
