#!/usr/bin/env bash
# `pmscope import URL`: against HTTP and HTTPS servers this script starts on
# loopback (python3 http.server; a self-signed certificate made with
# openssl), on ports the kernel picks.
. "$(dirname "$0")/../lib.sh"

mkdir -p tmp
export TMPDIR=$T/tmp

cat > trace.jsonl <<'EOF'
{"v":1,"type":"meta","tool":"pmscope-capture","tool_version":"0.1","start_url":"https://a.example/","started":"2026-11-25T10:00:00Z"}
{"v":1,"type":"frame","id":"F1","kind":"top","url":"https://a.example/","parent":null,"opener":null,"ts":0.0}
{"v":1,"type":"frame","id":"F2","kind":"iframe","url":"https://w.example/widget","parent":"F1","ts":12.5}
{"v":1,"type":"message","id":"M1","ts":40.2,"sender":"F1","receiver":"F2","target_origin":"*","via":"window","data":{"id":7,"cmd":"getUser"}}
EOF

cat > server.py <<'EOF'
import http.server, os, socketserver, ssl, sys, threading, time

ROOT = os.getcwd()
LOG = os.path.join(ROOT, "requests.log")

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body=b"", ctype="application/octet-stream", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        with open(LOG, "a") as f:
            f.write("%s %s auth=%s\n" % (self.headers.get("Host"), self.path,
                                         self.headers.get("Authorization")))
        path = self.path.split("?")[0]
        port = self.server.server_address[1]
        if path == "/trace.jsonl":
            with open(os.path.join(ROOT, "trace.jsonl"), "rb") as f:
                self.send(200, f.read(), "application/x-ndjson")
        elif path == "/private.jsonl":
            if self.headers.get("Authorization") != "Bearer s3cret":
                self.send(401, b"no", "text/plain")
            else:
                with open(os.path.join(ROOT, "trace.jsonl"), "rb") as f:
                    self.send(200, f.read(), "application/x-ndjson")
        elif path == "/to-file":
            self.send(302, extra=[("Location", "file:///etc/passwd")])
        elif path == "/loop":
            self.send(302, extra=[("Location", "/loop")])
        elif path.startswith("/hops/"):
            n = int(path.split("/")[2])
            loc = "/trace.jsonl" if n == 0 else "/hops/%d" % (n - 1)
            self.send(301, extra=[("Location", loc)])
        elif path == "/elsewhere":
            # Another origin (host name differs): headers must not follow.
            self.send(302, extra=[("Location",
                                   "http://localhost:%d/trace.jsonl" % port)])
        elif path == "/bounce":
            # To another origin, which sends the client back here.
            self.send(302, extra=[("Location",
                                   "http://localhost:%d/bounce-back" % port)])
        elif path == "/bounce-back":
            self.send(302, extra=[("Location",
                                   "http://127.0.0.1:%d/trace.jsonl" % port)])
        elif path == "/downgrade":
            # From the https server to the plain http one.
            with open(os.path.join(ROOT, "http.port")) as f:
                self.send(302, extra=[("Location", "http://127.0.0.1:%s/"
                                       "trace.jsonl" % f.read().strip())])
        elif path == "/slow":
            self.send_response(200)
            self.send_header("Content-Type", "application/x-ndjson")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"{" * 1000)
            self.wfile.flush()
            time.sleep(4)
        elif path == "/big":
            self.send(200, b"x" * (3 << 20), "text/plain")
        elif path == "/big-chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"y" * 65536
            try:
                for _ in range(48):
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/crawl.sqlite":
            with open(os.path.join(ROOT, "crawl.sqlite"), "rb") as f:
                self.send(200, f.read(), "application/vnd.sqlite3")
        elif path == "/page.html":
            self.send(200, b"<!doctype html><title>x</title>", "text/html; charset=utf-8")
        else:
            self.send(404, b"not here", "text/plain")

class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # clients that hang up on purpose (size cap, timeout)

def serve(name, cert=None):
    srv = Server(("127.0.0.1", 0), Handler)
    if cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, os.path.join(ROOT, "key.pem"))
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    with open(os.path.join(ROOT, name + ".port"), "w") as f:
        f.write(str(srv.server_address[1]))
    srv.serve_forever()

threading.Thread(target=serve, args=("http",), daemon=True).start()
threading.Thread(target=serve, args=("https", os.path.join(ROOT, "cert.pem")),
                 daemon=True).start()
# A port nobody listens on, for "connection refused".
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0))
with open(os.path.join(ROOT, "closed.port"), "w") as f:
    f.write(str(s.getsockname()[1]))
s.close()
while True:
    time.sleep(3600)
EOF

openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 \
    -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" >/dev/null 2>&1
python3 server.py 2>server.err &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 50); do
    [ -s http.port ] && [ -s https.port ] && [ -s closed.port ] && break
    sleep 0.1
done
H="http://127.0.0.1:$(cat http.port)"
S="https://127.0.0.1:$(cat https.port)"
CLOSED="http://127.0.0.1:$(cat closed.port)"

expect_rc "fetch: http URL imports" 0 "$PMSCOPE" import -w ws.pmscope "$H/trace.jsonl"
expect_match "fetch: reported as a trace" "$OUT" "imported as source 1 \(trace"
expect_eq "fetch: messages imported" \
    "$(python3 -c "import sqlite3; print(sqlite3.connect('ws.pmscope').execute('select count(*) from messages').fetchone()[0])")" "1"
expect_eq "fetch: temporary file removed" "$(ls -A tmp)" ""

# Credentials: userinfo and query stay out of the workspace; --header is
# sent to the URL's own origin only.
expect_rc "fetch: --header authenticates" 0 "$PMSCOPE" import -w auth.pmscope \
    --header 'Authorization: Bearer s3cret' "http://ann:pw@127.0.0.1:$(cat http.port)/private.jsonl?sig=XYZ#frag"
expect_eq "fetch: source recorded without userinfo, query, fragment" \
    "$(python3 -c "import sqlite3; print(sqlite3.connect('auth.pmscope').execute('select path from sources').fetchone()[0])")" \
    "$H/private.jsonl"
expect_eq "fetch: no secret in the workspace" \
    "$(cat auth.pmscope* | grep -a -c -e s3cret -e XYZ -e 'ann:pw')" "0"
expect_rc "fetch: without the header the server says 401" 1 "$PMSCOPE" import -w auth.pmscope "$H/private.jsonl"
expect_match "fetch: HTTP error status named" "$OUT" "$H/private.jsonl: server answered HTTP 401"
: > requests.log
expect_rc "fetch: redirect to another origin still imports" 0 "$PMSCOPE" import -w other.pmscope \
    --header 'Authorization: Bearer s3cret' "$H/elsewhere"
expect_match "fetch: header sent to the first origin" "$(cat requests.log)" \
    "^127.0.0.1:[0-9]+ /elsewhere auth=Bearer s3cret"
expect_match "fetch: header not sent across the redirect" "$(cat requests.log)" \
    "^localhost:[0-9]+ /trace.jsonl auth=None"

# A header given for the URL's origin stops once the chain has left it,
# even when another host sends the client back; so does the user name and
# password written in the URL.
: > requests.log
expect_rc "fetch: redirect away and back imports" 0 "$PMSCOPE" import -w bounce.pmscope \
    --header 'Authorization: Bearer s3cret' "$H/bounce"
expect_eq "fetch: header not sent after the chain left the origin" \
    "$(sed -E 's/:[0-9]+ / /' requests.log)" \
"127.0.0.1 /bounce auth=Bearer s3cret
localhost /bounce-back auth=None
127.0.0.1 /trace.jsonl auth=None"
: > requests.log
expect_rc "fetch: URL credentials, away and back" 0 "$PMSCOPE" import -w bounce2.pmscope \
    "http://ann:pw@127.0.0.1:$(cat http.port)/bounce"
expect_eq "fetch: URL credentials go to the URL's origin until the chain leaves it" \
    "$(sed -E 's/:[0-9]+ / /' requests.log)" \
"127.0.0.1 /bounce auth=Basic YW5uOnB3
localhost /bounce-back auth=None
127.0.0.1 /trace.jsonl auth=None"

# What is printed about a URL is what is recorded: no user name,
# password, query or fragment.
expect_rc "fetch: URL with credentials and a token imports" 0 "$PMSCOPE" import -w cred.pmscope \
    "http://ann:pw@127.0.0.1:$(cat http.port)/trace.jsonl?token=XYZ#frag"
expect_match "fetch: success line names the URL as recorded" "$OUT" \
    "^$H/trace.jsonl: imported as source 1 \(trace"
expect_nomatch "fetch: no credential or token printed" "$OUT" "ann|pw@|XYZ|token|frag"
expect_rc "fetch: credentials and token, imported again" 0 "$PMSCOPE" import -w cred.pmscope \
    "http://ann:pw@127.0.0.1:$(cat http.port)/trace.jsonl?token=XYZ#frag"
expect_match "fetch: skipped line names the URL as recorded" "$OUT" "^$H/trace.jsonl: already imported"
expect_nomatch "fetch: nothing secret on the skipped line" "$OUT" "ann|pw@|XYZ|token|frag"

expect_rc "fetch: redirect to file:// refused" 1 "$PMSCOPE" import -w ws.pmscope "$H/to-file"
expect_match "fetch: file redirect message" "$OUT" \
    "refused a redirect to a file: URL: only http and https are followed"
expect_rc "fetch: redirect loop stops" 1 "$PMSCOPE" import -w ws.pmscope "$H/loop"
expect_match "fetch: redirect loop message" "$OUT" "$H/loop: more than 5 redirects"
expect_rc "fetch: five redirects are followed" 0 "$PMSCOPE" import -w hops.pmscope "$H/hops/4"
expect_rc "fetch: six are not" 1 "$PMSCOPE" import -w hops.pmscope --force "$H/hops/5"

start=$(date +%s.%N)
"$PMSCOPE" import -w ws.pmscope --timeout 1.5 "$H/slow" > slow.out 2>&1 &
IMP=$!
sleep 0.8
expect_eq "fetch: temporary file is private while downloading" \
    "$(stat -c %a tmp/pmscope-fetch-* 2>/dev/null)" "600"
wait $IMP
rc=$?
took=$(python3 -c "import time,sys; print(int(time.time() - float(sys.argv[1]) < 3.5))" "$start")
expect_eq "fetch: slow server hits --timeout (exit 1, in time)" "$rc/$took" "1/1"
expect_match "fetch: timeout message" "$(cat slow.out)" "timed out \(connect timeout 10.0 s, total timeout 1.5 s\)"
expect_eq "fetch: temporary file removed after a failure" "$(ls -A tmp)" ""

"$PMSCOPE" import -w ws.pmscope "$H/slow" > int.out 2>&1 &
IMP=$!
sleep 0.8
kill -TERM $IMP
wait $IMP
rc=$?
expect_eq "fetch: a signal ends the download and removes the temporary file" \
    "$rc/$(ls -A tmp)" "143/"

expect_rc "fetch: body over --max-size (Content-Length)" 1 "$PMSCOPE" import -w ws.pmscope --max-size 1M "$H/big"
expect_match "fetch: size cap message" "$OUT" "response is larger than --max-size \(1048576 bytes\)"
expect_rc "fetch: body over --max-size (chunked)" 1 "$PMSCOPE" import -w ws.pmscope --max-size 1M "$H/big-chunked"
expect_match "fetch: size cap message (chunked)" "$OUT" "larger than --max-size"
expect_rc "fetch: bad --max-size is a usage error" 2 "$PMSCOPE" import -w ws.pmscope --max-size lots "$H/big"

expect_rc "fetch: 404" 1 "$PMSCOPE" import -w ws.pmscope "$H/nothing.har"
expect_match "fetch: 404 message" "$OUT" "pmscope: $H/nothing.har: server answered HTTP 404"
expect_rc "fetch: HTML page is not an input format" 1 "$PMSCOPE" import -w ws.pmscope "$H/page.html"
expect_match "fetch: format error names the URL and Content-Type" "$OUT" \
    "$H/page.html: not a format pmscope reads.*\(the server sent Content-Type: text/html; charset=utf-8\)"
expect_rc "fetch: refused connection" 1 "$PMSCOPE" import -w ws.pmscope "$CLOSED/x.har"
expect_match "fetch: refused message" "$OUT" "cannot connect \(connection refused or host unreachable\)"
expect_rc "fetch: DNS failure" 1 "$PMSCOPE" import -w ws.pmscope --connect-timeout 3 "http://no-such-host.invalid/x.har"
expect_match "fetch: DNS message" "$OUT" "http://no-such-host.invalid/x.har: cannot resolve the host name"

python3 "$PM_ROOT/tests/data/openwpm/make_crawl.py" crawl.sqlite fixture
expect_rc "fetch: an OpenWPM crawl database over http" 0 "$PMSCOPE" import -w crawl.pmscope "$H/crawl.sqlite"
expect_match "fetch: crawl imported from its temporary copy" "$OUT" "imported as source 1 \(openwpm"

expect_rc "fetch: self-signed https refused" 1 "$PMSCOPE" import -w tls.pmscope "$S/trace.jsonl"
expect_match "fetch: TLS message" "$OUT" "TLS failure: .*pass --cacert FILE"
expect_rc "fetch: https with --cacert" 0 "$PMSCOPE" import -w tls.pmscope --cacert cert.pem "$S/trace.jsonl"
expect_match "fetch: https import reported" "$OUT" "imported as source 1 \(trace"

# https -> http would carry the rest of the chain in clear: refused.
: > requests.log
expect_rc "fetch: redirect from https to http refused" 1 "$PMSCOPE" import -w down.pmscope \
    --cacert cert.pem "$S/downgrade?sig=XYZ"
expect_match "fetch: downgrade error names both URLs" "$OUT" \
    "^pmscope: $S/downgrade: refused a redirect from $S/downgrade to $H/trace.jsonl: it would leave https for plain http"
expect_eq "fetch: the http URL is not requested" "$(grep -c 'trace.jsonl' requests.log)" "0"
expect_eq "fetch: no temporary files left" "$(ls -A tmp)" ""
