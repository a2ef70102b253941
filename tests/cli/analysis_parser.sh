#!/usr/bin/env bash
# analysis_parser.sh - listeners the parsed model finds as a user importing a
# HAR meets them: one registered through a wrapper function in a bundle's
# module map (found, classified, a finding suggested), a handleEvent object,
# and a handler that never reads its event (listed, no finding); two
# handlers on one minified line get a finding each; a send site's
# targetOrigin held in a constant is known, one assigned twice is not.
. "$(dirname "$0")/../lib.sh"

python3 - <<'PY'
import json
bundle = r"""
(function (mods) { return mods; })({
  7: function (m, x, r) {
    r.d(x, { on: function () { return on; } });
    function on(el, type, fn) { el.addEventListener(type, fn, false); }
  },
  9: function (m, x, r) {
    var ev = r(7);
    (0, ev.on)(window, 'message', function (e) {
      document.getElementById('box').innerHTML = e.data.html;
    });
    var relay = { handleEvent: function (e) {
      if (e.origin !== 'https://shop.example') return;
      document.title = e.data.title;
    } };
    window.addEventListener('message', relay);
    var hits = 0;
    window.addEventListener('message', function () { hits++; });
  }
});
"""
def entry(url, mime, dest, text):
    return {"startedDateTime": "2026-11-25T10:00:00.000Z", "time": 1,
            "request": {"method": "GET", "url": url, "httpVersion": "HTTP/1.1",
                        "headers": [{"name": "Sec-Fetch-Dest", "value": dest}],
                        "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
            "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1",
                         "headers": [{"name": "Content-Type", "value": mime}], "cookies": [],
                         "content": {"size": len(text), "mimeType": mime, "text": text},
                         "redirectURL": "", "headersSize": -1, "bodySize": len(text)},
            "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}}
page = "<!doctype html><script src=\"/app.js\"></script>\n"
har = {"log": {"version": "1.2", "creator": {"name": "test", "version": "1"},
               "entries": [entry("https://shop.example/", "text/html", "document", page),
                           entry("https://shop.example/app.js", "application/javascript",
                                 "script", bundle)]}}
json.dump(har, open("parsed.har", "w"))
mini = ('window.addEventListener("message",function(e){document.body.innerHTML=e.data});'
        'window.addEventListener("message",function(t){eval(t.data)});')
har["log"]["entries"][1] = entry("https://shop.example/app.js", "application/javascript", "script", mini)
json.dump(har, open("oneline.har", "w"))
sends = ("var PARENT_ORIGIN = 'https://shop.example';\n"
         "parent.postMessage({ready: true}, PARENT_ORIGIN);\n"
         "var lastTarget = 'https://a.example';\nlastTarget = '*';\n"
         "parent.postMessage({x: 1}, lastTarget);\n")
har["log"]["entries"][1] = entry("https://shop.example/app.js", "application/javascript", "script", sends)
json.dump(har, open("sends.har", "w"))
PY
expect_rc "import a HAR whose bundle registers through a wrapper" 0 "$PMSCOPE" import -q -w p.pmscope parsed.har
OUT=$("$PMSCOPE" ls -w p.pmscope listeners)
expect_match "wrapper registration: the handler is found and reaches innerHTML" "$OUT" \
    'https://shop.example +none +innerHTML +scan +https://shop.example/app.js:9:35'
expect_match "handleEvent object: its method is the handler, strict" "$OUT" \
    'https://shop.example +strict +- +scan +https://shop.example/app.js:12:32'
expect_match "a handler that never reads its event is listed" "$OUT" \
    'https://shop.example +none +- +scan +https://shop.example/app.js:18:40'
expect_match "... with why it gets no finding" "$OUT" 'the handler never reads the event'
OUT=$("$PMSCOPE" ls -w p.pmscope findings)
expect_match "the wrapper-registered handler gets its finding" "$OUT" \
    'listener-weak-che.* no origin check reaches innerHTML'
n=$(printf '%s\n' "$OUT" | grep -c 'listener-weak-che')
expect_eq "no finding for the handler that never reads its event" "$n" "1"

expect_rc "import a HAR with two handlers on one line" 0 "$PMSCOPE" import -q -w o.pmscope oneline.har
OUT=$("$PMSCOPE" ls -w o.pmscope findings)
n=$(printf '%s\n' "$OUT" | grep -c 'listener-weak-che')
expect_eq "two handlers on one minified line: a finding each" "$n" "2"

expect_rc "import a HAR whose sends name their targetOrigin by constant" 0 "$PMSCOPE" import -q -w s.pmscope sends.har
OUT=$("$PMSCOPE" ls -w s.pmscope sends --json)
expect_match "a constant targetOrigin is resolved" "$OUT" \
    '"target_origin":"https://shop.example"'
expect_nomatch "a name assigned twice is not taken for a constant" "$OUT" \
    '"target_origin":"(https://a.example|\*)"'
