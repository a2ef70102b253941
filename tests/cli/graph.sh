#!/usr/bin/env bash
# graph.sh - `pmscope graph`: the origin graph of the sample (trace, HAR)
# rendered by Graphviz (`dot -Tsvg`, the SVG read back: one node per
# origin named after it, one edge per `ls edges` row, frame edges dashed,
# the top-level origin first), parsed by Mermaid's own parser (the pinned
# checker of `make mermaid-check`, tests/mermaid/check.mjs), and as JSON;
# -o through export's output rules; an empty workspace; origins holding
# quotes, backslashes, ], -->, newlines, <script>, backticks, %% and
# entity codes stay one labelled node each; the Markdown report embeds
# the graph around its findings' origins.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
S=$PM_ROOT/sample-traces
MC=${PM_MERMAID_CHECK:-$(dirname "$PMSCOPE_FAST")/vendor/mermaid-check}

# canon_ls WS: "KIND FROM -> TO" of every `ls --json edges` row, origins as
# the graph shows them (hidden characters as visible escapes), sorted.
canon_ls() {
    "$PMSCOPE" ls -w "$1" --json edges | python3 -c '
import json, sys
def vis(s):
    if s is None:
        return "(unknown origin)"
    out = ""
    for c in s:
        o = ord(c)
        if o < 0x20 or o == 0x7f or 0x80 <= o <= 0x9f:
            out += "\\x%02x" % o
        elif 0x200b <= o <= 0x200f or 0x202a <= o <= 0x202e or 0x2060 <= o <= 0x2069:
            out += "\\u%04x" % o
        else:
            out += c
    return out
rows = ["%s %s -> %s" % (e["kind"], vis(e["from"]), vis(e["to"]))
        for e in json.load(sys.stdin)]
print("\n".join(sorted(rows)))'
}

# canon_svg FILE: the same lines read from the SVG dot drew (an edge is a
# frame when dashed and labelled "embeds"), then "first: LABEL" for the
# node drawn furthest left.
canon_svg() {
    python3 - "$1" <<'PY'
import sys
import xml.etree.ElementTree as ET
NS = "{http://www.w3.org/2000/svg}"
root = ET.parse(sys.argv[1]).getroot()
label, left, rows = {}, {}, []
for g in root.iter(NS + "g"):
    cls = g.get("class")
    title = g.find(NS + "title").text if g.find(NS + "title") is not None else ""
    texts = [t.text or "" for t in g.iter(NS + "text")]
    if cls == "node":
        label[title] = "".join(texts)
        left[title] = min(float(t.get("x")) for t in g.iter(NS + "text"))
for g in root.iter(NS + "g"):
    if g.get("class") != "edge":
        continue
    a, b = g.find(NS + "title").text.split("->")
    dashed = any(p.get("stroke-dasharray") for p in g.iter(NS + "path"))
    texts = [t.text or "" for t in g.iter(NS + "text")]
    kind = "frame" if dashed and texts == ["embeds"] else "message"
    if kind == "message" and (dashed or not texts):
        kind = "bad"
    rows.append("%s %s -> %s" % (kind, label[a], label[b]))
print("\n".join(sorted(rows)))
print("first: " + label[min(left, key=left.get)] if left else "first: none")
PY
}

# canon_mermaid FILE: the same lines from check.mjs' parse of FILE (a
# frame is a dotted edge labelled "embeds"), then "nodes: N".
canon_mermaid() {
    (cd "$T" && node mc.mjs "$1") | python3 -c '
import json, sys
d = json.loads(sys.stdin.readline())
if not d["ok"]:
    print("parse error: " + d["error"]); sys.exit()
label = dict(d["nodes"])
rows = []
for a, b, text, stroke in d["edges"]:
    kind = "frame" if stroke == "dotted" and text == "embeds" else \
           "message" if stroke == "normal" and text != "embeds" else "bad"
    rows.append("%s %s -> %s" % (kind, label[a], label[b]))
print("\n".join(sorted(rows)))
print("nodes: %d" % len(d["nodes"]))'
}

# Mermaid's parser runs from $T, which links the fetched packages.
if [ -f "$MC/.ok" ]; then
    ln -s "$MC/node_modules" "$T/node_modules"
    cp "$PM_ROOT/tests/mermaid/check.mjs" "$T/mc.mjs"
    have_mermaid=1
else
    fail "the Mermaid checker is fetched" \
         "missing $MC: run make BUILD=$(basename "$(dirname "$PMSCOPE_FAST")") mermaid-check"
    have_mermaid=0
fi

# graph_checks NAME WS: dot renders it and shows every edge of `ls edges`;
# Mermaid parses it to the same edges, one node per origin; the JSON
# holds every field of those edges.
graph_checks() {
    local name=$1 ws=$2 want n
    want=$(canon_ls "$ws")
    n=$(printf '%s\n' "$want" | grep -c .)
    expect_rc "$name: graph (dot)" 0 "$PMSCOPE" graph -w "$ws"
    printf '%s\n' "$OUT" > "$name.dot"
    if dot -Tsvg "$name.dot" > "$name.svg" 2> "$name.dot.err"; then
        pass "$name: dot -Tsvg renders it"
    else fail "$name: dot -Tsvg renders it" "$(head -5 "$name.dot.err")"; fi
    expect_eq "$name: dot warns of nothing" "$(cat "$name.dot.err")" ""
    expect_eq "$name: the SVG has every edge of ls edges, between nodes named after the origins" \
        "$(canon_svg "$name.svg" | grep -v '^first: ')" "$want"
    expect_rc "$name: graph --mermaid" 0 "$PMSCOPE" graph -w "$ws" --mermaid
    printf '%s\n' "$OUT" > "$name.mmd"
    if [ "$have_mermaid" = 1 ]; then
        local m
        m=$(canon_mermaid "$T/$name.mmd")
        expect_eq "$name: Mermaid parses it to the same edges" \
            "$(printf '%s\n' "$m" | grep -v '^nodes: ')" "$want"
        expect_eq "$name: one Mermaid node per origin" \
            "$(printf '%s\n' "$m" | sed -n 's/^nodes: //p')" \
            "$(printf '%s\n' "$want" | sed 's/^[a-z]* //; s/ -> /\n/' | sort -u | grep -c .)"
    fi
    expect_rc "$name: graph --json" 0 "$PMSCOPE" graph -w "$ws" --json
    expect_eq "$name: JSON edges are ls edges, each with every field" \
        "$(printf '%s' "$OUT" | python3 -c '
import json, sys
g = json.load(sys.stdin)
origin = {n["id"]: n["origin"] for n in g["nodes"]}
keys = {"kind", "from", "to", "from_origin", "to_origin", "marks", "count",
        "wildcard_target", "sends", "sends_wildcard_target", "accepted",
        "rejected", "unknown"}
for e in g["edges"]:
    assert set(e) == keys, set(e) ^ keys
    assert origin[e["from"]] == e["from_origin"] and origin[e["to"]] == e["to_origin"]
print(len(g["edges"]), len(g["nodes"]) == len(set(origin.values())))')" "$n True"
}

# ---- the sample: trace, then HAR alone --------------------------------------
expect_rc "import the sample trace" 0 "$PMSCOPE" import -q -w demo.pmscope "$S/demo.jsonl"
graph_checks demo demo.pmscope
expect_match "demo: messages and frames are drawn" "$(canon_svg demo.svg)" \
    '^frame http://127.0.0.1:8101 -> http://localhost:8102$'
expect_match "demo: a message edge" "$(cat demo.dot)" \
    'n1 -> n[0-9]+ \[label="[0-9]+ observed'
expect_match "demo: the top-level origin is drawn first (leftmost)" \
    "$(canon_svg demo.svg)" '^first: http://127\.0\.0\.1:8101$'
expect_match "demo: top-level origins share the first rank" "$(cat demo.dot)" \
    '^  \{ rank=min; n1; \}$'
expect_match "demo: targetOrigin '*' is marked" "$(cat demo.dot)" 'label="1 observed \(1 \*\)(\\n|")'
expect_match "demo: frame edges are dashed and say embeds" "$(cat demo.dot)" \
    '-> n[0-9]+ \[style=dashed, label="embeds"\];'
expect_eq "default is dot" "$("$PMSCOPE" graph -w demo.pmscope --dot)" "$(cat demo.dot)"
expect_match "demo: the JSON says which origin is top-level" \
    "$("$PMSCOPE" graph -w demo.pmscope --json)" \
    '\{"id":"n1","origin":"http://127.0.0.1:8101","origin_id":[0-9]+,"top_level":true\}'

expect_rc "import the sample HAR alone" 0 "$PMSCOPE" import -q -w har.pmscope "$S/demo.har"
graph_checks har har.pmscope
expect_match "har: the frame tree is drawn" "$(canon_svg har.svg)" \
    '^frame http://127.0.0.1:8101 -> http://localhost:8102$'

# ---- an empty workspace -------------------------------------------------------
head -1 "$S/demo.jsonl" > meta.jsonl
expect_rc "import a trace without windows" 0 "$PMSCOPE" import -q -w empty.pmscope meta.jsonl
graph_checks empty empty.pmscope
expect_eq "empty: JSON" "$("$PMSCOPE" graph -w empty.pmscope --json)" '{"nodes":[],"edges":[]}'
expect_rc "no workspace: exit 3" 3 "$PMSCOPE" graph -w nope.pmscope
expect_eq "no workspace is created" "$(ls nope* 2>/dev/null)" ""

# ---- Mermaid's limits: 500 edges and 50000 characters by default ------------
# wide N: a trace whose top page embeds N frames of N origins (N edges).
wide() {
    python3 - "$1" <<'PY'
import json, sys
n = int(sys.argv[1])
print(json.dumps({"v": 1, "type": "meta", "tool": "t", "start_url": "https://top.example/"}))
print(json.dumps({"v": 1, "type": "frame", "id": "F0", "kind": "top",
                  "url": "https://top.example/", "parent": None, "opener": None, "ts": 0}))
for i in range(1, n + 1):
    print(json.dumps({"v": 1, "type": "frame", "id": "F%d" % i, "kind": "iframe",
                      "url": "https://w%d.example/" % i, "parent": "F0", "ts": i}))
PY
}
wide 501 > wide.jsonl
expect_rc "import 501 frames of 501 origins" 0 "$PMSCOPE_FAST" import -q -w wide.pmscope wide.jsonl
"$PMSCOPE" graph -w wide.pmscope --mermaid > wide.mmd 2> wide.err
expect_eq "501 edges: --mermaid writes the graph" "$?:$(grep -c -- '-.->' wide.mmd)" "0:501"
expect_match "501 edges: --mermaid warns of Mermaid's edge limit" "$(cat wide.err)" \
    '^pmscope: warning: 501 edges, [0-9]+ characters: Mermaid draws at most 500 edges'
if [ "$have_mermaid" = 1 ]; then
    expect_match "501 edges: Mermaid indeed refuses it" "$(cd "$T" && node mc.mjs "$T/wide.mmd")" \
        '"ok":false,"error":"Edge limit exceeded'
fi
"$PMSCOPE" graph -w demo.pmscope --mermaid > small.mmd 2> small.err
expect_eq "a small graph: no warning" "$(cat small.err)" ""

# ---- options and -o ---------------------------------------------------------
expect_rc "two formats: usage" 2 "$PMSCOPE" graph -w demo.pmscope --dot --json
expect_match "two formats: says so" "$OUT" "choose one of --dot, --mermaid and --json"
expect_rc "an argument: usage" 2 "$PMSCOPE" graph -w demo.pmscope extra
expect_rc "-o FILE" 0 "$PMSCOPE" graph -w demo.pmscope --mermaid -o g.mmd
expect_eq "-o writes what stdout shows" "$(cat g.mmd)" "$(cat demo.mmd)"
expect_eq "-o: mode 0644" "$(stat -c %a g.mmd)" "644"
echo old > g.dot
expect_rc "-o replaces a regular file, as export does" 0 "$PMSCOPE" graph -w demo.pmscope -o g.dot
expect_eq "-o: replaced" "$(cat g.dot)" "$(cat demo.dot)"
expect_eq "-o -: standard output" "$("$PMSCOPE" graph -w demo.pmscope -o -)" "$(cat demo.dot)"
expect_rc "-o the workspace" 2 "$PMSCOPE" graph -w demo.pmscope -o demo.pmscope
expect_match "-o the workspace: says so" "$OUT" "refusing to write over the workspace"
expect_match "-o the workspace: kept" "$(head -c 15 demo.pmscope)" "SQLite"
expect_rc "-o the workspace's WAL" 2 "$PMSCOPE" graph -w demo.pmscope -o demo.pmscope-wal
ln demo.pmscope ws-hardlink
expect_rc "-o a hard link to the workspace" 2 "$PMSCOPE" graph -w demo.pmscope -o ws-hardlink
rm -f ws-hardlink
echo victim > victim.txt
ln -s victim.txt linked.dot
expect_rc "-o a symlink" 2 "$PMSCOPE" graph -w demo.pmscope -o linked.dot
expect_eq "-o a symlink: its target is untouched" "$(cat victim.txt)" "victim"
mkfifo g.fifo   # a FIFO, never a real device
expect_rc "-o a FIFO" 2 "$PMSCOPE" graph -w demo.pmscope -o g.fifo
expect_eq "-o a FIFO: kept" "$(stat -c %F g.fifo)" "fifo"
expect_rc "-o a directory" 2 "$PMSCOPE" graph -w demo.pmscope -o .
expect_rc "-o in a missing directory" 3 "$PMSCOPE" graph -w demo.pmscope -o missing/g.dot
expect_eq "no temporary file is left" "$(ls -a | grep -c '^\.pmscope-out')" "0"

# ---- hostile origins ---------------------------------------------------------
# Origins as stored can hold what a URL parser lets through and more: set
# the sample's three to text that breaks a naive dot or Mermaid writer.
cp demo.pmscope hostile.pmscope
python3 - hostile.pmscope <<'PY'
import sqlite3, sys
d = sqlite3.connect(sys.argv[1])
texts = {
    1: 'https://a"b\\c]d-->e\\" ] --> n9["x"] `code` %% comment',
    2: 'x\ny<script>alert(1)</script>\u202e<img src=x onerror=alert(2)>',
    3: '%%{init: {"theme":"dark"}}%% #quot; &amp; &lt; #35; $$x$$ [x] | ; \\n\\N\\G',
}
for i, t in texts.items():
    d.execute("UPDATE origins SET text=? WHERE id=?", (t, i))
d.commit()
PY
graph_checks hostile hostile.pmscope
expect_match "hostile: the newline is shown as \\x0a" "$(canon_svg hostile.svg)" 'x\\x0ay<script>'
expect_match "hostile: U+202E is shown as \\u202e" "$(canon_svg hostile.svg)" '</script>\\u202e<img'
expect_eq "hostile: every Mermaid line is a statement, none holds U+202E" \
    "$(python3 -c '
import sys
lines = open(sys.argv[1], encoding="utf-8").read().rstrip("\n").split("\n")
print(lines[0] == "flowchart LR" and all(l.startswith("    n") or l.startswith("    class")
      for l in lines[1:]) and not any("\u202e" in l for l in lines))' hostile.mmd)" "True"
expect_eq "hostile: JSON keeps the origins as stored" \
    "$("$PMSCOPE" graph -w hostile.pmscope --json | python3 -c '
import json, sqlite3, sys
g = json.load(sys.stdin)
stored = {t for (t,) in sqlite3.connect(sys.argv[1]).execute("SELECT text FROM origins")}
print({n["origin"] for n in g["nodes"]} == stored)' hostile.pmscope)" "True"

# ---- the report embeds the graph around its findings' origins ---------------
for ws in demo hostile; do
    expect_rc "$ws: mark message 1" 0 "$PMSCOPE" mark -w $ws.pmscope message 1 --severity high
    expect_rc "$ws: export" 0 "$PMSCOPE" export -w $ws.pmscope -o $ws.md
    expect_match "$ws: the report has an origin graph" "$(cat $ws.md)" \
        '^## Origin graph$'
    python3 "$PM_ROOT/tests/data/export/check_report.py" $ws.md --name "$ws report" --findings 1
    if [ "$have_mermaid" = 1 ]; then
        (cd "$T" && node mc.mjs --md "$T/$ws.md") > $ws.md.parsed
        expect_eq "$ws: Mermaid parses every diagram of the report" "$?" "0"
        expect_eq "$ws: the flowchart's nodes are the finding's origins and their neighbours" \
            "$(python3 - $ws.md.parsed $ws.pmscope <<'PY'
import json, sqlite3, sys
flows = [d for d in map(json.loads, open(sys.argv[1])) if d["type"].startswith("flowchart")]
db = sqlite3.connect(sys.argv[2])
so, ro = db.execute("SELECT s.text, r.text FROM messages m JOIN origins s ON s.id=m.sender_origin_id"
                    " JOIN origins r ON r.id=m.receiver_origin_id WHERE m.id=1").fetchone()
vis = lambda t: t.replace("\n", "\\x0a").replace("\u202e", "\\u202e")
labels = {l for _, l in flows[0]["nodes"]} if len(flows) == 1 else set()
print(len(flows), vis(so) in labels, vis(ro) in labels)
PY
)" "1 True True"
    fi
done
expect_rc "no findings: export" 0 "$PMSCOPE" export -w demo.pmscope --status dismissed -o none.md
expect_nomatch "no findings: no graph section" "$(cat none.md)" 'Origin graph|flowchart'
expect_match "JSON report: origin_graph" "$("$PMSCOPE" export -w demo.pmscope --format json)" \
    '"origin_graph": \{"nodes":\[\{"id":"n1"'
