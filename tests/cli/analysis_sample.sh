#!/usr/bin/env bash
# analysis_sample.sh - the analysis against the demo site's ground truth
# (sample-traces/site/GROUND_TRUTH.md): listeners, origin-check classes,
# check expressions, sinks, reply flows and the suggested findings.
#
# Part 1 scans the site's own files: tests/data/site_inputs.py wraps them in
# a HAR (with the framing headers serve.py sends) and a trace of the
# fourteen deliveries, frames and listeners the ground truth lists.
# Part 2 runs the same checks on the recorded sample
# (sample-traces/demo.har + demo.jsonl) when it is in the tree.
. "$(dirname "$0")/../lib.sh"

# check_workspace LABEL WS: compare listeners, flows and findings with the
# ground truth; prints PASS/FAIL lines.
check_workspace() {
    local label=$1 ws=$2
    "$PMSCOPE" ls -w "$ws" listeners --all --json > listeners.json
    "$PMSCOPE" ls -w "$ws" listeners --json > listed.json
    "$PMSCOPE" ls -w "$ws" sends --json > sends.json
    "$PMSCOPE" ls -w "$ws" messages --json > messages.json
    "$PMSCOPE" ls -w "$ws" origins --json > origins.json
    "$PMSCOPE" ls -w "$ws" findings --json > findings.json
    python3 - "$label" <<'PY'
import json, sys
label = sys.argv[1]
L = json.load(open("listeners.json"))
S = json.load(open("sends.json"))
M = json.load(open("messages.json"))
O = {o["id"]: o["origin"] for o in json.load(open("origins.json"))}
F = json.load(open("findings.json"))

def ok(name, cond, detail=""):
    print(("PASS: " if cond else "FAIL: ") + label + ": " + name)
    if not cond and detail:
        print("  " + str(detail)[:2000])

def base(u):
    return (u or "").rsplit("/", 1)[-1] or "index.html"

# L1..L8: script, line, class, target, sinks (data flow), check expression
truth = [
    ("top.js", 14, "strict", "window", [], "event.origin === 'http://localhost:8102'"),
    ("top.js", 27, "regex-unanchored", "window", [], "/localhost:8102/.test(event.origin)"),
    ("top.js", 38, "none", "port", [], None),
    ("widget.js", 9, "indexOf", "window", [], "e.origin.indexOf('http://127.0.0.1') > -1"),
    ("widget.js", 15, "none", "port", ["postMessage"], None),
    ("widget.js", 28, "endsWith", "window", [], "e.origin.endsWith('127.0.0.1:8103')"),
    ("nested.html", 8, "none", "window", ["innerHTML"], None),
    ("popup.html", 8, "startsWith", "window", ["localStorage"], "event.origin.startsWith('http://127.0.0.1')"),
]
scan = sorted((base(l["script_url"]), l["line"], l["check"], l["target"], l["sinks"], l["check_expr"])
              for l in L if l["found_by"] == "scan")
ok("eight listeners found by the scan", len(scan) == 8, scan)
# What the analyst sees: each handler once; a recorded one the scan also
# found is listed as such, its scanned copy points at it.
listed = json.load(open("listed.json"))
ok("each of the eight handlers listed once", len(listed) == 8,
   [(l["id"], l["found_by"], l["same_as"]) for l in listed])
if any(l["found_by"] == "trace" for l in L):
    ok("recorded listeners carry their scanned copy",
       all(l["found_by"] == "trace" and l["scan_copies"] == 1 for l in listed),
       [(l["id"], l["found_by"], l["scan_copies"]) for l in listed])
    ids = {l["id"] for l in listed}
    ok("every scanned copy points at a listed recorded listener",
       all(l["same_as"] in ids for l in L if l["found_by"] == "scan"),
       [(l["id"], l["same_as"]) for l in L if l["found_by"] == "scan"])
    ok("listener findings are on listed listeners",
       all(f["subject_id"] in ids for f in F if f["subject_kind"] == "listener"),
       [(f["id"], f["subject_id"]) for f in F if f["subject_kind"] == "listener"])
ok("scan: scripts, lines, classes, targets, sinks, check expressions",
   scan == sorted(truth), "\n  ".join(map(str, scan)))
rec = sorted((base(l["script_url"]), l["line"], l["check"], l["sinks"], l["check_expr"])
             for l in L if l["found_by"] == "trace")
if rec:
    ok("recorded listeners classified like the scan",
       rec == sorted((t[0], t[1], t[2], t[4], t[5]) for t in truth), "\n  ".join(map(str, rec)))
    pos = {(base(l["script_url"]), l["line"]): l["check_line"] for l in L
           if l["found_by"] == "trace" and l["check"] not in ("none",)}
    ok("recorded listeners: check positions are script lines",
       all(v == k[1] + 1 for k, v in pos.items()), pos)
rep = {(base(l["script_url"]), l["line"]): (l["replies"], l["reply_target"]) for l in L
       if l["found_by"] == "scan"}
ok("replies: L4 and L8 answer event.source with its origin",
   rep[("widget.js", 9)] == (True, "e.origin") and rep[("popup.html", 8)] == (True, "event.origin")
   and not rep[("top.js", 14)][0], rep)

wild = sorted((base(s["script_url"]), s["line"]) for s in S if s["wildcard"])
ok("send sites: only widget.js:19 uses targetOrigin '*'", wild == [("widget.js", 19)], wild)
ok("send sites: 14 postMessage calls", len(S) == 14, len(S))

if M:
    ext = {m["id"]: m["ext_id"] for m in M}
    replies = sorted((m["ext_id"], ext.get(m["reply_to"])) for m in M if m["reply_to"])
    ok("flows: M4 answers M3 (id 7); M7 answers M6 on the port",
       ("M4", "M3") in replies and ("M7", "M6") in replies, replies)
    ok("flows: replies without a correlation field, by the message being handled",
       all(p in replies for p in (("M3", "M2"), ("M5", "M4"), ("M10", "M9"),
                                  ("M13", "M12"), ("M14", "M13"))), replies)
    ok("flows: M2 (sent while handling M1 from another frame) answers nothing",
       not any(r[0] in ("M1", "M2", "M9", "M12") for r in replies), replies)
    flow = {m["ext_id"]: m["flow"] for m in M}
    ok("flows: M2 to M5 are one flow, M12 to M14 another",
       len({flow[x] for x in ("M2", "M3", "M4", "M5")}) == 1
       and len({flow[x] for x in ("M12", "M13", "M14")}) == 1
       and flow["M2"] != flow["M12"], flow)

lid = {l["id"]: (base(l["script_url"]), l["line"]) for l in L}
sid = {s["id"]: (base(s["script_url"]), s["line"]) for s in S}
mid = {m["id"]: m["ext_id"] for m in M}
def subject(f):
    k, i = f["subject_kind"], f["subject_id"]
    if k == "listener":
        return lid.get(i)
    if k == "send_site":
        return sid.get(i)
    if k == "message":
        return mid.get(i)
    if k == "edge":
        a, b = f["subject_key"].split(">")
        return (O.get(int(a)), O.get(int(b)))
    return (k, i)
got = sorted((f["rule"], f["severity"], str(subject(f))) for f in F if f["status"] == "suggested")
want = [
    ("listener-weak-check", "medium", ("top.js", 27)),       # L2 regex-unanchored
    ("listener-weak-check", "medium", ("widget.js", 9)),     # L4 indexOf
    ("listener-weak-check", "medium", ("widget.js", 28)),    # L6 endsWith
    ("listener-weak-check-sink", "critical", ("nested.html", 8)),  # L7, F3 framable
    ("listener-weak-check-sink", "high", ("popup.html", 8)),       # L8 localStorage
    ("send-wildcard-sensitive", "medium", ("widget.js", 19)),      # the M9 call site
]
if M:  # observed messages: M9's token, and cross-site senders (localhost vs 127.0.0.1)
    want += [
        ("wildcard-sensitive", "high", "M9"),
        ("foreign-origin-accepted", "medium", ("http://localhost:8102", "http://127.0.0.1:8101")),
        ("foreign-origin-accepted", "medium", ("http://localhost:8102", "http://127.0.0.1:8103")),
    ]
want = sorted((r, s, str(x)) for r, s, x in want)
ok("suggested findings are exactly the expected ones", got == want,
   "got:\n  " + "\n  ".join(map(str, got)) + "\n want:\n  " + "\n  ".join(map(str, want)))
PY
}

python3 "$PM_ROOT/tests/data/site_inputs.py" "$PM_ROOT/sample-traces/site" . ||
    fail "site inputs" "site_inputs.py failed"
expect_rc "import site HAR and trace" 0 "$PMSCOPE" import -q -w site.pmscope site.har site.jsonl
check_workspace "site files" site.pmscope

# Re-running the analysis changes nothing and never duplicates a finding.
before=$("$PMSCOPE" ls -w site.pmscope findings --json)
expect_rc "analyze re-run" 0 "$PMSCOPE" analyze -w site.pmscope
after=$("$PMSCOPE" ls -w site.pmscope findings --json)
expect_eq "re-run keeps the same findings" "$after" "$before"
check_workspace "site files, re-analysed" site.pmscope

# HAR alone: the static analysis already finds listeners, classes and the
# static findings (no messages, so no message findings).
expect_rc "import site HAR alone" 0 "$PMSCOPE" import -q -w har.pmscope site.har
check_workspace "site HAR alone" har.pmscope

if [ -f "$PM_ROOT/sample-traces/demo.har" ] && [ -f "$PM_ROOT/sample-traces/demo.jsonl" ]; then
    expect_rc "import recorded sample" 0 "$PMSCOPE" import -q -w demo.pmscope \
        "$PM_ROOT/sample-traces/demo.har" "$PM_ROOT/sample-traces/demo.jsonl"
    check_workspace "recorded sample" demo.pmscope
else
    echo "note: sample-traces/demo.har/demo.jsonl not in the tree; checked the site files only"
fi
