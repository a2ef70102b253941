#!/usr/bin/env python3
"""Write hostile inputs for tests/cli/hostile.sh into a directory.

    make_hostile.py OUTDIR

OUTDIR/hostile.jsonl  a pmscope trace whose every displayed or exported
                      field (frame ids and URLs, listener script URL and
                      code, message ids, targetOrigin, port, data, meta)
                      holds one of HOSTILE below
OUTDIR/hostile.har    a HAR with the same values in page titles, URLs,
                      headers, the creator and an HTML page with a script
OUTDIR/badutf8.jsonl  a trace with invalid UTF-8 bytes in a string
OUTDIR/big-value.jsonl  one message whose data is a 1 MB single line
OUTDIR/lookalike.jsonl  frames on hosts that look like bank.example: a
                      Cyrillic "a", a zero-width space, a tag character,
                      each sending a message to the real one

Every value carries a marker word (HOSTILEn) so a test can find where it
is shown and check how.
"""
import json
import os
import sys

ESC = "\x1b"
HOSTILE = [
    ESC + "[31mRED" + ESC + "[0m",                       # CSI colour
    ESC + "[6n" + ESC + "[21t",                           # terminal replies
    ESC + "]52;c;cHduZWQ=\x07",                          # OSC 52 clipboard
    ESC + "]8;;https://evil.example/" + ESC + "\\link" + ESC + "]8;;" + ESC + "\\",  # OSC 8
    "\u009b31mC1",                                        # C1 CSI
    "\u202egnp.exe\u202c \u2066iso\u2069 \u200f",         # bidi
    "nul\u0000byte",                                      # NUL
    "</script><img src=x onerror=alert(1)><!--",          # HTML
    "| a | b |\n| --- |\n```\n# head [x](javascript:alert(1))", # Markdown
    "A->>B: x\nend\n%%{init: {'theme':'dark'}}%%\nparticipant Z #59;",  # Mermaid
    "'; DROP TABLE messages; -- 100% a_b \"q\" \\",       # SQL
    "zw\u200bsp zw\u200cnj zw\u200dj tag\U000E0041\U000E0042 del\x7f "
    "shy\u00ad wj\u2060 bom\ufeff",                         # invisible
]


def tag(i, v):
    return "HOSTILE%d %s" % (i, v)


def trace(path):
    lines = [
        {"v": 1, "type": "meta", "tool": tag(0, HOSTILE[0]),
         "tool_version": HOSTILE[2], "start_url": "https://a.example/",
         "started": "2026-11-25T10:00:00Z"},
        {"v": 1, "type": "frame", "id": "F1", "kind": "top",
         "url": "https://a.example/" + HOSTILE[5] + "?q=" + HOSTILE[0],
         "parent": None, "opener": None, "ts": 0},
        {"v": 1, "type": "frame", "id": "F2" + HOSTILE[1], "kind": "iframe",
         "url": "https://w.example/" + HOSTILE[3], "parent": "F1", "ts": 1},
        {"v": 1, "type": "listener", "frame": "F2" + HOSTILE[1],
         "script_url": "https://w.example/" + HOSTILE[4] + ".js", "line": 1,
         "col": 1,
         "source": "function(e){ /* " + HOSTILE[7] + HOSTILE[2] + " */ "
                   "if (e.origin.indexOf('a.example') > -1) "
                   "document.body.innerHTML = e.data.html }"},
    ]
    for i, v in enumerate(HOSTILE):
        lines.append({"v": 1, "type": "message", "id": "M%d %s" % (i, v),
                      "ts": 10 + i, "sender": "F1",
                      "receiver": "F2" + HOSTILE[1], "target_origin": "*",
                      "via": "window",
                      "data": {"html": tag(i, v), "token": "tok-" + str(i),
                               tag(i, v): i}})
    lines.append({"v": 1, "type": "message", "id": "Mport", "ts": 40,
                  "sender": "F2" + HOSTILE[1], "receiver": "F1",
                  "via": "port", "port": HOSTILE[6] + HOSTILE[0],
                  "data": tag(99, "port " + HOSTILE[2])})
    with open(path, "w", encoding="utf-8") as f:
        for rec in lines:
            f.write(json.dumps(rec) + "\n")


def har(path):
    page = ("<html><title>%s</title><script>window.addEventListener("
            "'message', function(e){ document.body.innerHTML = e.data; "
            "/* %s */ })</script></html>" % (tag(7, HOSTILE[7]),
                                               tag(0, HOSTILE[0])))
    entries = [{
        "pageref": "p1", "startedDateTime": "2026-11-25T10:00:00Z", "time": 1,
        "request": {"method": "GET",
                    "url": "https://a.example/" + HOSTILE[5],
                    "httpVersion": "HTTP/1.1", "cookies": [],
                    "headers": [{"name": "X-H", "value": tag(1, HOSTILE[1])}],
                    "queryString": [], "headersSize": -1, "bodySize": 0},
        "response": {"status": 200, "statusText": HOSTILE[0],
                     "httpVersion": "HTTP/1.1", "cookies": [],
                     "headers": [{"name": "Content-Type", "value": "text/html"},
                                 {"name": "X-Frame-Options",
                                  "value": tag(2, HOSTILE[2])},
                                 {"name": "Content-Security-Policy",
                                  "value": "frame-ancestors " + HOSTILE[3]}],
                     "content": {"size": len(page), "mimeType": "text/html",
                                 "text": page},
                     "redirectURL": "", "headersSize": -1,
                     "bodySize": len(page)},
        "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0},
        "_resourceType": "document"}]
    doc = {"log": {"version": "1.2",
                   "creator": {"name": tag(4, HOSTILE[4]), "version": "1"},
                   "pages": [{"id": "p1", "title": tag(5, HOSTILE[5]),
                              "startedDateTime": "2026-11-25T10:00:00Z",
                              "pageTimings": {}}],
                   "entries": entries}}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f)


LOOKALIKE_HOSTS = ["b\u0430nk.example", "bank\u200b.example",
                   "bank\U000E0041.example"]


def lookalike(path):
    lines = [
        {"v": 1, "type": "meta", "tool": "lookalike", "tool_version": "1",
         "start_url": "https://bank.example/",
         "started": "2026-11-25T10:00:00Z"},
        {"v": 1, "type": "frame", "id": "F0", "kind": "top",
         "url": "https://bank.example/", "parent": None, "opener": None,
         "ts": 0},
    ]
    for i, host in enumerate(LOOKALIKE_HOSTS, 1):
        lines.append({"v": 1, "type": "frame", "id": "F%d" % i,
                      "kind": "iframe", "url": "https://%s/w" % host,
                      "parent": "F0", "ts": i})
        lines.append({"v": 1, "type": "message", "id": "L%d" % i,
                      "ts": 10 + i, "sender": "F%d" % i, "receiver": "F0",
                      "target_origin": "https://bank.example",
                      "via": "window", "data": {"n": i}})
    with open(path, "w", encoding="utf-8") as f:
        for rec in lines:
            f.write(json.dumps(rec) + "\n")


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    trace(os.path.join(out, "hostile.jsonl"))
    lookalike(os.path.join(out, "lookalike.jsonl"))
    har(os.path.join(out, "hostile.har"))
    with open(os.path.join(out, "badutf8.jsonl"), "wb") as f:
        f.write(b'{"v":1,"type":"meta","tool":"bad \xff\xfe \xc3 \x1b[31m",'
                b'"tool_version":"1","start_url":"https://a.example/",'
                b'"started":"2026-11-25T10:00:00Z"}\n')
    with open(os.path.join(out, "big-value.jsonl"), "w") as f:
        f.write('{"v":1,"type":"meta","tool":"big","tool_version":"1",'
                '"start_url":"https://a.example/","started":"2026-11-25T10:00:00Z"}\n')
        f.write('{"v":1,"type":"frame","id":"F1","kind":"top",'
                '"url":"https://a.example/","parent":null,"opener":null,"ts":0}\n')
        f.write('{"v":1,"type":"message","id":"BIG","ts":1,"sender":"F1",'
                '"receiver":"F1","target_origin":"*","data":"BIGVALUE%s"}\n'
                % ((HOSTILE[0] + "x" * 90).replace(ESC, "\\u001b") * 10000))


if __name__ == "__main__":
    main()
