#!/usr/bin/env bash
# tests/cli/limits.sh - resource limits: hostile shapes end in bounded time
# and memory with a clear error or the right result.
#   - 100 000-deep JSON in a trace message and in a HAR entry;
#   - a 100 MB string value (one message), then listing it;
#   - 100 000 tiny messages (memory must not grow with the count);
#   - message loops: a window posting to itself and a ping-pong with one
#     correlation id, so every message could be the reply to every other
#     (reply_to/flow correlation must terminate, and flow output is bounded);
#   - one large entry (a 40 MB script in a HAR, a 16 MB listener source in
#     a trace): peak RSS at most 3 times the entry plus 64 MB, read from the
#     kernel's accounting of the child (no GNU time needed).
# Peak memory is read from /usr/bin/time (GNU time) when present.
# LIMITS_MESSAGES=10000000 runs the large-count case at 10 million messages
# (a manual test, numbers in docs/testing.md).
. "$(dirname "$0")/../lib.sh"

BIN=$PMSCOPE_FAST
HEAD='{"v":1,"type":"meta","tool":"limits","tool_version":"1","start_url":"https://a.example/","started":"2026-11-25T10:00:00Z"}
{"v":1,"type":"frame","id":"F1","kind":"top","url":"https://a.example/","parent":null,"opener":null,"ts":0}
{"v":1,"type":"frame","id":"F2","kind":"iframe","url":"https://w.example/","parent":"F1","ts":1}'

# bounded NAME MAX_SECONDS MAX_MB EXPECTED_RC CMD...: run CMD with a time
# limit; check its exit code and, with GNU time, its peak RSS.
bounded() {
    local name=$1 secs=$2 mb=$3 want=$4; shift 4
    local start end rc kb=0
    start=$(date +%s%N)
    if [ -x /usr/bin/time ]; then
        OUT=$(timeout "$secs" /usr/bin/time -f 'MAXRSS %M' "$@" 2>&1); rc=$?
        kb=$(printf '%s\n' "$OUT" | sed -n 's/^MAXRSS //p' | tail -1)
        OUT=$(printf '%s\n' "$OUT" | grep -v -e '^MAXRSS ' -e '^Command exited with')
    else
        OUT=$(timeout "$secs" "$@" 2>&1); rc=$?
    fi
    end=$(date +%s%N)
    local ms=$(( (end - start) / 1000000 ))
    if [ "$rc" -eq 124 ]; then
        fail "$name" "did not finish within ${secs}s"
    elif [ "$rc" -ne "$want" ]; then
        fail "$name" "expected exit $want, got $rc" "$(printf '%s' "$OUT" | head -5 | cut -c1-300)"
    elif [ "${kb:-0}" -gt $((mb * 1024)) ]; then
        fail "$name" "peak memory $((kb / 1024)) MB > $mb MB"
    else
        pass "$name (${ms} ms, $((${kb:-0} / 1024)) MB)"
    fi
}

# ---- 100 000-deep JSON --------------------------------------------------
python3 - "$HEAD" >"$T/deep.jsonl" <<'PY'
import sys
print(sys.argv[1])
d = 100000
print('{"v":1,"type":"message","id":"M1","ts":2,"sender":"F1","receiver":"F2",'
      '"target_origin":"*","data":' + "[" * d + "]" * d + "}")
PY
bounded "100000-deep trace data refused" 20 300 1 "$BIN" import -w "$T/d.pmscope" "$T/deep.jsonl"
expect_match "deep trace: clear error with position" "$OUT" 'deep\.jsonl:4:[0-9]+: .*(nest|deep)'
python3 - >"$T/deep.har" <<'PY'
d = 100000
print('{"log":{"version":"1.2","creator":{"name":"x","version":"1"},"entries":[{"x":'
      + "[" * d + "]" * d + '}]}}')
PY
bounded "100000-deep HAR entry refused" 20 300 1 "$BIN" import -w "$T/d.pmscope" "$T/deep.har"
expect_match "deep HAR: clear error with position" "$OUT" 'deep\.har:1:[0-9]+: .*(nest|deep)'
expect_eq "deep inputs created no workspace (nor -wal, -shm)" \
    "$(ls -a "$T" | grep -c '^d\.pmscope')" 0

# ---- a 100 MB string ----------------------------------------------------
python3 - "$HEAD" >"$T/huge.jsonl" <<'PY'
import sys
print(sys.argv[1])
sys.stdout.write('{"v":1,"type":"message","id":"HUGE","ts":2,"sender":"F1",'
                 '"receiver":"F2","target_origin":"*","data":"')
chunk = "0123456789abcdef" * 65536
for _ in range(100):
    sys.stdout.write(chunk)
sys.stdout.write('"}\n')
PY
bounded "100 MB string imported" 120 1600 0 "$BIN" import -w "$T/h.pmscope" "$T/huge.jsonl"
bounded "ls messages with a 100 MB value" 30 600 0 "$BIN" ls -w "$T/h.pmscope" messages
expect_match "ls shows a bounded preview" "$(printf '%s' "$OUT" | head -c 2000)" '^#1 .*"0123456789abcdef'
expect_eq "ls output stays one short line" "$(printf '%s' "$OUT" | wc -c | awk '{print ($1 < 2000)}')" "1"

# ---- many tiny messages --------------------------------------------------
n=${LIMITS_MESSAGES:-50000}
python3 - "$HEAD" "$n" >"$T/many.jsonl" <<'PY'
import sys
print(sys.argv[1])
w = sys.stdout.write
for i in range(int(sys.argv[2])):
    w('{"v":1,"type":"message","id":"M%d","ts":%d,"sender":"F%d","receiver":"F%d",'
      '"target_origin":"*","data":{"i":%d}}\n' % (i, i + 2, 1 + i % 2, 2 - i % 2, i))
PY
bounded "$n tiny messages imported" $((n / 2000 + 60)) 300 0 "$BIN" import -w "$T/m.pmscope" "$T/many.jsonl"
bounded "count with a filter over $n messages" 60 300 0 "$BIN" ls -w "$T/m.pmscope" --filter 'data:"\"i\":77}"' messages
expect_match "filter finds the one message" "$OUT" '^#78 '

# ---- message loops ------------------------------------------------------
python3 - "$HEAD" >"$T/loop.jsonl" <<'PY'
import sys
print(sys.argv[1])
w = sys.stdout.write
# a window posting to itself, 2000 times, one request id
for i in range(2000):
    w('{"v":1,"type":"message","id":"S%d","ts":%d,"sender":"F1","receiver":"F1",'
      '"target_origin":"*","data":{"id":7,"requestId":7,"cmd":"ping"}}\n' % (i, 10 + i))
# ping-pong, every message with the same id: each one "answers" the last
for i in range(10000):
    a, b = (1, 2) if i % 2 == 0 else (2, 1)
    w('{"v":1,"type":"message","id":"P%d","ts":%d,"sender":"F%d","receiver":"F%d",'
      '"target_origin":"*","via":"window","data":{"id":"same","messageId":"same"}}\n'
      % (i, 3000 + i, a, b))
PY
bounded "self-posting and ping-pong loops import" 120 300 0 "$BIN" import -w "$T/l.pmscope" "$T/loop.jsonl"
python3 - "$T/l.pmscope" >"$T/loopcheck" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
self_reply = db.execute("select count(*) from messages where reply_to = id").fetchone()[0]
# follow reply_to from every message: a cycle would never reach a root
ids = dict(db.execute("select id, reply_to from messages"))
cycles = 0
for start in ids:
    seen, cur = set(), start
    while cur and cur not in seen:
        seen.add(cur)
        cur = ids.get(cur)
    if cur:
        cycles += 1
        break
print(self_reply, cycles)
PY
expect_eq "no message is its own reply and reply_to has no cycle" "$(cat "$T/loopcheck")" "0 0"
bounded "flow of a self-posted message" 30 300 0 "$BIN" flow -w "$T/l.pmscope" 1
bounded "flow in the middle of the ping-pong" 30 300 0 "$BIN" flow -w "$T/l.pmscope" 7000
# The chain is one flow; its diagram has two lines per message (arrow, data).
expect_eq "flow output is linear in the messages" "$(printf '%s\n' "$OUT" | wc -l | awk '{print ($1 <= 2 * 12000 + 20)}')" "1"

# ---- memory bounded by the largest entry ---------------------------------
# peak_rss OUT CMD...: run CMD (output to OUT); prints "RC PEAK_KB".
peak_rss() {
    python3 - "$@" <<'PY'
import os, subprocess, sys
with open(sys.argv[1], "wb") as out:
    p = subprocess.Popen(sys.argv[2:], stdout=out, stderr=subprocess.STDOUT)
    _, status, usage = os.wait4(p.pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
PY
}
# within_entry_bound NAME ENTRY_BYTES CMD...: CMD exits 0 with a peak RSS
# of at most 3 x ENTRY_BYTES + 64 MB.
within_entry_bound() {
    local name=$1 entry=$2; shift 2
    local rc kb limit
    read -r rc kb < <(peak_rss "$T/bound.out" "$@")
    limit=$(( 3 * entry / 1024 + 64 * 1024 ))
    if [ "$rc" -ne 0 ]; then
        fail "$name" "exit $rc" "$(head -c 300 "$T/bound.out")"
    elif [ "$kb" -gt "$limit" ]; then
        fail "$name" "peak RSS $((kb / 1024)) MB > 3 x $((entry >> 20)) MB + 64 MB = $((limit / 1024)) MB"
    else
        pass "$name ($((kb / 1024)) MB <= $((limit / 1024)) MB)"
    fi
}
# Minified-looking code, about 6 bytes a token, after a message listener.
python3 - "$T/big.har" "$T/big.jsonl" <<'PY'
import json, sys
LISTEN = ('window.addEventListener("message",function(e){if(e.origin!=="https://a.example")'
          'return;document.body.innerHTML=e.data});\n')
def code(size):
    parts, n, i = [LISTEN], len(LISTEN), 0
    while n < size:
        s = 'var itemNumber%d=computeValue(alphaValue,"some value");\n' % i
        parts.append(s); n += len(s); i += 1
    return "".join(parts)
def entry(url, dest, mime, text):
    return {"startedDateTime": "2026-01-01T00:00:00.000Z", "time": 1,
            "request": {"method": "GET", "url": url, "headers":
                        [{"name": "Sec-Fetch-Dest", "value": dest}]},
            "response": {"status": 200, "headers": [],
                         "content": {"mimeType": mime, "text": text}}}
with open(sys.argv[1], "w") as f:
    json.dump({"log": {"version": "1.2", "creator": {"name": "limits", "version": "1"},
                       "entries": [entry("https://a.example/", "document", "text/html",
                                         "<html><body>a</body></html>"),
                                   entry("https://a.example/big.js", "script",
                                         "application/javascript", code(40 << 20))]}}, f)
with open(sys.argv[2], "w") as f:
    f.write('{"v":1,"type":"frame","id":"F1","kind":"top","url":"https://a.example/","ts":0}\n')
    src = "function(e){if(e.origin!==\"https://a.example\")return;" + code(16 << 20) + "eval(e.data)}"
    f.write(json.dumps({"v": 1, "type": "listener", "frame": "F1", "ts": 1, "source": src}) + "\n")
PY
within_entry_bound "HAR with a 40 MB script: peak RSS within 3 x entry + 64 MB" \
    $((40 << 20)) "$BIN" import -w "$T/big.pmscope" "$T/big.har"
expect_rc "the 40 MB script was scanned" 0 "$BIN" ls -w "$T/big.pmscope" listeners
expect_match "its listener is found with its check and sink" "$OUT" 'strict +innerHTML .*big\.js'
within_entry_bound "trace with a 16 MB listener source: peak RSS within 3 x entry + 64 MB" \
    $((16 << 20)) "$BIN" import -w "$T/big.pmscope" "$T/big.jsonl"
# A 40 MB message: the flow pass rewrote its row while still reading it
# (three copies at once: 234 MB for a 50 MB message, bound 214).
python3 - "$T/bigmsg.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    f.write('{"v":1,"type":"meta","tool":"t","started":"2026-01-01T00:00:00Z"}\n')
    f.write('{"v":1,"type":"frame","id":"F1","kind":"top","url":"https://a.example/","ts":0}\n')
    f.write(json.dumps({"v": 1, "type": "message", "id": "M1", "sender": "F1",
                        "receiver": "F1", "ts": 1,
                        "data": {"k": "x" * (40 << 20)}}) + "\n")
PY
rm -f "$T/bigmsg.pmscope"
within_entry_bound "trace with a 40 MB message: peak RSS within 3 x entry + 64 MB" \
    $((40 << 20)) "$BIN" import -w "$T/bigmsg.pmscope" "$T/bigmsg.jsonl"
expect_rc "the 40 MB message is listed" 0 "$BIN" ls -w "$T/bigmsg.pmscope" messages
expect_match "with its size" "$OUT" '^#1 '
