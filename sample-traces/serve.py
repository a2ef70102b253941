#!/usr/bin/env python3
"""serve.py - static server for the pmscope demo site on three loopback ports.

The demo site (sample-traces/site/) is one directory served on three
origins: http://127.0.0.1:8101 (top page), http://localhost:8102 (widget and
popup, a different site, so Chromium puts it in its own process) and
http://127.0.0.1:8103 (nested frame).  python3 -m http.server cannot set
response headers, which the demo needs (X-Frame-Options, CSP
frame-ancestors), so this server adds them from HEADERS below.

    serve.py [--root DIR] [--ports A,B,C] [--port-file FILE]

--ports 0,0,0 picks free ports; the chosen ports are written to
--port-file as "A B C" once all three listen.  When the ports differ from
the defaults, the origins written in .html/.js files are rewritten to the
real ports so the site behaves the same (tests run on free ports).
Stops on SIGTERM/SIGINT.
"""
import argparse
import http.server
import os
import signal
import sys
import threading

DEFAULT_PORTS = (8101, 8102, 8103)
HOSTS = ("127.0.0.1", "localhost", "127.0.0.1")

# Extra response headers per path (the same on every port).
HEADERS = {
    "/index.html": {"X-Frame-Options": "DENY"},
    "/widget.html": {"Content-Security-Policy":
                     "frame-ancestors http://127.0.0.1:8101"},
    "/popup.html": {"X-Frame-Options": "SAMEORIGIN"},
}


def make_handler(root, rewrite):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **kw):
            super().__init__(*a, directory=root, **kw)

        def log_message(self, fmt, *args):
            pass

        def send_head(self):
            path = self.path.split("?", 1)[0]
            if path == "/":
                path = "/index.html"
            full = os.path.join(root, path.lstrip("/"))
            if (rewrite and os.path.isfile(full)
                    and full.endswith((".html", ".js"))):
                with open(full, "rb") as f:
                    body = rewrite(f.read())
                self.send_response(200)
                ctype = ("text/html; charset=utf-8" if full.endswith(".html")
                         else "text/javascript; charset=utf-8")
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                import io
                return io.BytesIO(body)
            return super().send_head()

        def end_headers(self):
            path = self.path.split("?", 1)[0]
            if path == "/":
                path = "/index.html"
            for k, v in HEADERS.get(path, {}).items():
                if rewrite:
                    v = rewrite(v.encode()).decode()
                self.send_header(k, v)
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

    return Handler


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "site"))
    ap.add_argument("--ports", default="8101,8102,8103")
    ap.add_argument("--port-file")
    args = ap.parse_args()
    want = [int(p) for p in args.ports.split(",")]
    if len(want) != 3:
        sys.exit("serve.py: --ports needs three ports")
    servers = []
    for host, port in zip(HOSTS, want):
        bind = "127.0.0.1"
        srv = http.server.ThreadingHTTPServer((bind, port), None)
        servers.append(srv)
    ports = [s.server_address[1] for s in servers]
    rewrite = None
    if tuple(ports) != DEFAULT_PORTS:
        pairs = [(("%s:%d" % (h, d)).encode(), ("%s:%d" % (h, p)).encode())
                 for h, d, p in zip(HOSTS, DEFAULT_PORTS, ports)]

        def rewrite(b):
            for old, new in pairs:
                b = b.replace(old, new)
            return b
    handler = make_handler(os.path.abspath(args.root), rewrite)
    for s in servers:
        s.RequestHandlerClass = handler
        threading.Thread(target=s.serve_forever, daemon=True).start()
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d %d %d\n" % tuple(ports))
        os.rename(tmp, args.port_file)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: stop.set())
    signal.signal(signal.SIGINT, lambda *a: stop.set())
    stop.wait()
    for s in servers:
        s.shutdown()


if __name__ == "__main__":
    main()
