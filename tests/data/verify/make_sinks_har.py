#!/usr/bin/env python3
"""make_sinks_har.py OUT - a HAR of four pages on http://app.verify.test whose
inline message listeners reach eval (behind a JSON-string protocol and a
switch), location.href (behind an action table), insertAdjacentHTML
(behind a version and an op test) and, behind a strict origin check,
eval again.  tests/cli/verify.sh replays it in Chromium."""
import json, sys
pages = {
 "http://app.verify.test/eval.html": """<!doctype html><title>eval</title>
<script>
window.addEventListener('message', function (e) {
    if (typeof e.data !== 'string') return;
    var msg = JSON.parse(e.data);
    switch (msg.kind) {
    case 'ping': break;
    case 'exec':
        eval(msg.code);
        break;
    }
});
</script>
""",
 "http://app.verify.test/nav.html": """<!doctype html><title>nav</title>
<script>
window.addEventListener('message', function (ev) {
    var routes = { open: 1, close: 2 };
    var d = ev.data;
    if (d && d.action in routes) {
        location.href = d.url;
    }
});
</script>
""",
 "http://app.verify.test/strict.html": """<!doctype html><title>strict</title>
<script>
window.addEventListener('message', function (e) {
    if (e.origin !== 'http://app.verify.test') return;
    eval(e.data.code);
});
</script>
""",
 "http://app.verify.test/render.html": """<!doctype html><title>render</title>
<script>
window.addEventListener('message', function (event) {
    if (event.data.v === 2 && event.data.op === 'render') {
        document.body.insertAdjacentHTML('beforeend', event.data.markup);
    }
});
</script>
""",
}
entries = []
for i, (url, body) in enumerate(pages.items()):
    entries.append({
        "pageref": "page_%d" % i,
        "startedDateTime": "2026-01-01T00:00:0%dZ" % i, "time": 1,
        "request": {"method": "GET", "url": url, "httpVersion": "HTTP/1.1",
                    "headers": [{"name": "Sec-Fetch-Dest", "value": "document"}],
                    "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
        "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1",
                     "headers": [{"name": "Content-Type", "value": "text/html"}],
                     "cookies": [], "content": {"size": len(body), "mimeType": "text/html", "text": body},
                     "redirectURL": "", "headersSize": -1, "bodySize": len(body)},
        "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0},
        "_resourceType": "document"})
har = {"log": {"version": "1.2", "creator": {"name": "test", "version": "1"},
       "pages": [{"id": "page_%d" % i, "startedDateTime": "2026-01-01T00:00:0%dZ" % i, "title": u,
                  "pageTimings": {}} for i, u in enumerate(pages)],
       "entries": entries}}
json.dump(har, open(sys.argv[1], "w"), indent=1)
