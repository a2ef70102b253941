#!/usr/bin/env python3
"""serve.py - the small site that tests/data/record-hars.sh records HAR files
of.  It listens on loopback only, on two ports, so that http://127.0.0.1:A,
http://localhost:B and http://127.0.0.1:B are three origins:

  /start        307 -> /moved -> 302 -> /index.html (the top document)
  /index.html   frames: localhost:B/frame-b.html (which embeds
                127.0.0.1:B/frame-c.html), localhost:B/hidden-frame.html
                (left out of the HAR: known only through the Referer of
                its subresources), a frame to a closed port; app.js adds
                127.0.0.1:B/scripted.html and fetches HTML by fetch() and
                XMLHttpRequest; an <img> answered with HTML; a 404 favicon
                (asked for by an <img>: headless Chromium fetches no icons)
  /old.html     location.replace('/new.html'); new.html meta-refreshes to
                /final.html: one window, three documents

usage: serve.py PORT_A PORT_B CLOSED_PORT [HOST_A HOST_B HOST_C]

The hosts default to 127.0.0.1, localhost and 127.0.0.1.  Other names
(a.test...) are for a browser that maps them to 127.0.0.1: such origins
are not potentially trustworthy, so Chromium sends them no Sec-Fetch-*.
"""
import http.server
import sys
import threading

PORT_A, PORT_B, CLOSED = (int(p) for p in sys.argv[1:4])
HOST_A, HOST_B, HOST_C = (sys.argv[4:7] if len(sys.argv) > 6
                          else ("127.0.0.1", "localhost", "127.0.0.1"))
A = "http://%s:%d" % (HOST_A, PORT_A)
B = "http://%s:%d" % (HOST_B, PORT_B)
C = "http://%s:%d" % (HOST_C, PORT_B)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000005000157c0b2f5"
    "0000000049454e44ae426082")

HTML = "text/html; charset=utf-8"
JS = "text/javascript"
PAGES = {
    "/start": (307, None, None, {"Location": "/moved"}),
    "/moved": (302, None, None, {"Location": "/index.html"}),
    "/index.html": (200, HTML, f"""<!doctype html><html><head>
<link rel="icon" href="/favicon.ico"><title>top</title></head><body>
<img src="/logo.png">
<iframe src="{B}/frame-b.html"></iframe>
<iframe src="{B}/hidden-frame.html"></iframe>
<iframe src="http://{HOST_C}:{CLOSED}/dead.html"></iframe>
<img src="/not-an-image"><img src="/favicon.ico">
<script src="/app.js"></script>
</body></html>""", {"X-Frame-Options": "SAMEORIGIN"}),
    "/app.js": (200, JS, f"""fetch('/fragment.html').then(r => r.text());
var x = new XMLHttpRequest();
x.open('GET', '/partial.html');
x.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
x.send();
var f = document.createElement('iframe');
f.src = '{C}/scripted.html';
document.body.appendChild(f);
""", {}),
    "/frame-b.html": (200, HTML, f"""<!doctype html><body>
<img src="/b.png"><iframe src="{C}/frame-c.html"></iframe></body>""",
                      {"Content-Security-Policy": f"frame-ancestors {A}"}),
    "/frame-c.html": (200, HTML, """<!doctype html><body>
<img src="/c.png"><script src="/c.js"></script></body>""", {}),
    "/c.js": (200, JS, "parent.postMessage('c ready', '*');\n", {}),
    "/hidden-frame.html": (200, HTML, """<!doctype html><body>
<img src="/hidden.png"><script src="/hidden.js"></script></body>""", {}),
    "/hidden.js": (200, JS, "fetch('/hidden-data.json');\n", {}),
    "/hidden-data.json": (200, "application/json", '{"ok": true}', {}),
    "/scripted.html": (200, HTML, """<!doctype html><body>
<img src="/s.png"></body>""", {}),
    "/fragment.html": (200, HTML, "<p>fragment</p>", {}),
    "/partial.html": (200, HTML, "<p>partial</p>", {}),
    "/not-an-image": (200, HTML, "<p>not an image</p>", {}),
    "/favicon.ico": (404, HTML, "<p>no favicon</p>", {}),
    "/old.html": (200, HTML, """<!doctype html><body>
<script>location.replace('/new.html')</script></body>""", {}),
    "/new.html": (200, HTML, """<!doctype html><head>
<meta http-equiv="refresh" content="0; url=/final.html"></head><body>new</body>""",
                  {}),
    "/final.html": (200, HTML, """<!doctype html><body>
<img src="/logo.png">final</body>""", {}),
}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        path = self.path.split("?")[0]
        if path.endswith(".png"):
            status, mime, body, headers = 200, "image/png", PNG, {}
        else:
            status, mime, body, headers = PAGES.get(
                path, (404, HTML, "<p>not found</p>", {}))
        data = body.encode() if isinstance(body, str) else (body or b"")
        self.send_response(status)
        if mime:
            self.send_header("Content-Type", mime)
        self.send_header("Cache-Control", "no-store")
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


servers = [http.server.ThreadingHTTPServer((host, port), Handler)
           for host, port in (("127.0.0.1", PORT_A), ("127.0.0.1", PORT_B))]
for s in servers:
    threading.Thread(target=s.serve_forever, daemon=True).start()
print("ready", flush=True)
threading.Event().wait()
