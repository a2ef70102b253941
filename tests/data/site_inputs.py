#!/usr/bin/env python3
"""site_inputs.py SITE_DIR OUT_DIR - build a HAR and a trace of the demo site.

The HAR holds the site's documents and scripts as a browser would record
them (Sec-Fetch-Dest, Referer, the framing headers serve.py sends), so the
analysis scans the real files.  The trace holds the frames, the listeners
(handler source cut from the files, as a capture records them) and the
fourteen deliveries listed in GROUND_TRUTH.md.
"""
import json
import os
import sys

site, out = sys.argv[1], sys.argv[2]
A, B, C = "http://127.0.0.1:8101", "http://localhost:8102", "http://127.0.0.1:8103"
HEADERS = {
    "index.html": [("X-Frame-Options", "DENY")],
    "widget.html": [("Content-Security-Policy", "frame-ancestors " + A)],
    "popup.html": [("X-Frame-Options", "SAMEORIGIN")],
}


def read(name):
    with open(os.path.join(site, name), encoding="utf-8") as f:
        return f.read()


def entry(url, name, mime, dest, referer, t):
    req = [{"name": "Sec-Fetch-Dest", "value": dest}]
    if referer:
        req.append({"name": "Referer", "value": referer})
    resp = [{"name": "Content-Type", "value": mime}] + [
        {"name": k, "value": v} for k, v in HEADERS.get(name, [])]
    text = read(name)
    return {
        "pageref": "page_1",
        "startedDateTime": "2026-11-25T10:00:%02d.000Z" % t,
        "time": 1,
        "request": {"method": "GET", "url": url, "httpVersion": "HTTP/1.1",
                    "headers": req, "queryString": [], "cookies": [],
                    "headersSize": -1, "bodySize": 0},
        "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1",
                     "headers": resp, "cookies": [],
                     "content": {"size": len(text), "mimeType": mime, "text": text},
                     "redirectURL": "", "headersSize": -1, "bodySize": len(text)},
        "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0},
        "_resourceType": "document" if dest in ("document", "iframe") else "script",
    }


entries = [
    entry(A + "/", "index.html", "text/html", "document", None, 0),
    entry(A + "/top.js", "top.js", "application/javascript", "script", A + "/", 1),
    entry(B + "/widget.html", "widget.html", "text/html", "iframe", A + "/", 2),
    entry(B + "/widget.js", "widget.js", "application/javascript", "script", B + "/widget.html", 3),
    entry(C + "/nested.html", "nested.html", "text/html", "iframe", B + "/", 4),
    entry(B + "/popup.html", "popup.html", "text/html", "document", A + "/", 5),
]
har = {"log": {"version": "1.2", "creator": {"name": "site_inputs.py", "version": "1"},
               "pages": [{"id": "page_1", "title": A + "/",
                          "startedDateTime": "2026-11-25T10:00:00.000Z",
                          "pageTimings": {}}],
               "entries": entries}}
with open(os.path.join(out, "site.har"), "w", encoding="utf-8") as f:
    json.dump(har, f, indent=1)


def handler(name, line):
    """The handler source starting on `line` of a file: from `function` to its brace."""
    lines = read(name).split("\n")
    text = "\n".join(lines[line - 1:])
    i = text.index("function")
    depth, j = 0, text.index("{", i)
    while True:
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return text[i:j + 1]
        j += 1


recs = [
    {"v": 1, "type": "meta", "tool": "site_inputs.py", "start_url": A + "/"},
    {"v": 1, "type": "frame", "id": "F1", "kind": "top", "url": A + "/", "parent": None, "ts": 0},
    {"v": 1, "type": "frame", "id": "F2", "kind": "iframe", "url": B + "/widget.html", "parent": "F1", "ts": 1},
    {"v": 1, "type": "frame", "id": "F3", "kind": "iframe", "url": C + "/nested.html", "parent": "F2", "ts": 2},
]
listeners = [
    ("F1", A + "/top.js", "top.js", 14, "window"), ("F1", A + "/top.js", "top.js", 27, "window"),
    ("F1", A + "/top.js", "top.js", 38, "port"), ("F2", B + "/widget.js", "widget.js", 9, "window"),
    ("F2", B + "/widget.js", "widget.js", 15, "port"), ("F2", B + "/widget.js", "widget.js", 28, "window"),
    ("F3", C + "/nested.html", "nested.html", 8, "window"), ("F4", B + "/popup.html", "popup.html", 8, "window"),
]
msgs = [
    ("M1", "F3", "F2", B, "window", None, {"type": "nested-ready"}),
    ("M2", "F2", "F1", A, "window", None, {"type": "hello", "from": "widget"}),
    ("M3", "F1", "F2", B, "window", None, {"id": 7, "cmd": "getUser"}),
    ("M4", "F2", "F1", A, "window", None, {"id": 7, "result": {"name": "Alice", "email": "alice@example.test"}}),
    ("M5", "F1", "F2", B, "window", None, {"type": "port"}),
    ("M6", "F1", "F2", None, "port", "C1", {"type": "ping", "n": 1}),
    ("M7", "F2", "F1", None, "port", "C1", {"type": "pong", "n": 1}),
    ("M8", "F1", "F2", None, "port", "C1", {"type": "configure-nested"}),
    ("M9", "F2", "F3", "*", "window", None, {"type": "config", "token": "tok_demo_5f2a9c", "theme": "<b>dark</b>"}),
    ("M10", "F3", "F2", B, "window", None, {"type": "config-ack"}),
    ("M11", "F2", "F1", None, "port", "C1", {"type": "done"}),
    ("M12", "F4", "F1", A, "window", None, {"type": "popup-ready"}),
    ("M13", "F1", "F4", B, "window", None, {"type": "welcome", "session": "s-0001"}),
    ("M14", "F4", "F1", A, "window", None, {"type": "welcome-ack"}),
]
# The window message each was sent while handling (GROUND_TRUTH.md, Flows).
causes = {"M2": "M1", "M3": "M2", "M4": "M3", "M5": "M4", "M10": "M9",
          "M13": "M12", "M14": "M13"}
for frame, url, name, line, target in listeners:
    if frame == "F4" and not any(r.get("id") == "F4" for r in recs):
        pass
    if frame != "F4":
        recs.append({"v": 1, "type": "listener", "frame": frame, "script_url": url, "line": line,
                     "col": 1, "source": handler(name, line), "target": target})
for i, (mid, snd, rcv, to, via, port, data) in enumerate(msgs):
    if mid == "M12":
        recs.append({"v": 1, "type": "frame", "id": "F4", "kind": "popup", "url": B + "/popup.html",
                     "parent": None, "opener": "F1", "ts": 100})
        recs.append({"v": 1, "type": "listener", "frame": "F4", "script_url": B + "/popup.html",
                     "line": 8, "col": 1, "source": handler("popup.html", 8), "target": "window"})
    m = {"v": 1, "type": "message", "id": mid, "ts": 10.0 * (i + 1), "sender": snd,
         "receiver": rcv, "target_origin": to, "via": via, "data": data}
    if port:
        m["port"] = port
    if mid in causes:
        m["cause"] = causes[mid]
    recs.append(m)
with open(os.path.join(out, "site.jsonl"), "w", encoding="utf-8") as f:
    for r in recs:
        f.write(json.dumps(r) + "\n")
