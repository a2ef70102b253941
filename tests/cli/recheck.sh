#!/usr/bin/env bash
# `pmscope recheck`: findings recorded from a trace are re-checked against a
# loopback HTTP server (and an HTTPS one, self-signed) whose scripts and
# headers changed since the trace.  site/NAME.headers adds response
# headers to site/NAME, site/NAME.status sets its status.
. "$(dirname "$0")/../lib.sh"

mkdir -p site
cat > server.py <<'EOF'
import http.server, os, socket, socketserver, ssl, threading, time

ROOT = os.path.join(os.getcwd(), "site")
LOG = os.path.join(os.getcwd(), "requests.log")

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"   # keep-alive: connections can be reused

    def log_message(self, *args):
        pass

    def do_GET(self):
        with open(LOG, "a") as f:
            f.write("%s %d auth=%s\n" % (self.path, self.client_address[1],
                                          self.headers.get("Authorization")))
        path = os.path.join(ROOT, self.path.lstrip("/").split("?")[0])
        if not os.path.isfile(path):
            body = b"not found"
            self.send_response(404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        with open(path, "rb") as f:
            body = f.read()
        time.sleep(0.05)
        status = 200
        if os.path.isfile(path + ".status"):
            status = int(open(path + ".status").read())
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        if os.path.isfile(path + ".headers"):
            for line in open(path + ".headers"):
                k, v = line.rstrip("\n").split(": ", 1)
                self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass

srv = Server(("127.0.0.1", 0), Handler)
tls = Server(("127.0.0.1", 0), Handler)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain("cert.pem", "key.pem")
tls.socket = ctx.wrap_socket(tls.socket, server_side=True)
threading.Thread(target=tls.serve_forever, daemon=True).start()
s = socket.socket(); s.bind(("127.0.0.1", 0))
closed = s.getsockname()[1]
s.close()
with open("ports", "w") as f:
    f.write("%d %d %d\n" % (srv.server_address[1], closed, tls.server_address[1]))
srv.serve_forever()
EOF
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 \
    -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" >/dev/null 2>&1
python3 server.py 2>server.err &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 50); do [ -s ports ] && break; sleep 0.1; done
read -r PORT CLOSED SPORT < ports
H="http://127.0.0.1:$PORT"
S="https://127.0.0.1:$SPORT"

H1="function(e){ if (e.origin.indexOf('a.example') > -1) el.innerHTML = e.data }"
H2="function(e){ if (!/a.example/.test(e.origin)) return; eval(e.data) }"
H3="function(e){ document.write(e.data) }"
H4="function(e){ location = e.data.url }"
cat > trace.jsonl <<EOF
{"v":1,"type":"meta","tool":"pmscope-capture","tool_version":"0.1","start_url":"$H/app.html","started":"2026-11-25T10:00:00Z"}
{"v":1,"type":"frame","id":"F1","kind":"top","url":"$H/app.html","parent":null,"opener":null,"ts":0.0}
{"v":1,"type":"frame","id":"F2","kind":"iframe","url":"$H/widget.html","parent":"F1","ts":12.5}
{"v":1,"type":"frame","id":"F3","kind":"iframe","url":"http://127.0.0.1:$CLOSED/x.html","parent":"F1","ts":13.5}
{"v":1,"type":"listener","frame":"F2","script_url":"$H/w1.js","line":1,"col":36,"source":"$H1"}
{"v":1,"type":"listener","frame":"F2","script_url":"$H/w2.js","line":1,"col":36,"source":"$H2"}
{"v":1,"type":"listener","frame":"F2","script_url":"$H/w3.js","line":1,"col":36,"source":"$H3"}
{"v":1,"type":"listener","frame":"F2","script_url":"$H/gone.js","line":1,"col":36,"source":"$H4"}
{"v":1,"type":"frame","id":"F4","kind":"iframe","url":"$H/app.html","parent":"F1","ts":14.5}
{"v":1,"type":"listener","frame":"F4","script_url":"$H/gone.js","line":1,"col":36,"source":"$H4","target":"port"}
{"v":1,"type":"listener","frame":"F4","script_url":"$H/w1.js","line":1,"col":36,"source":"$H1"}
{"v":1,"type":"message","id":"M1","ts":20,"sender":"F1","receiver":"F4","target_origin":"*","via":"window","data":{"cmd":"show"}}
EOF
expect_rc "recheck: trace imports" 0 "$PMSCOPE" import -w ws.pmscope trace.jsonl

# Since the trace: w1.js is unchanged (inside a bigger bundle), w2.js's
# handler changed but still checks loosely, w3.js checks strictly now,
# gone.js is gone; widget.html can no longer be framed, app.html still can.
printf 'var a = 1;\nwindow.addEventListener("message", %s);\n' "$H1" > site/w1.js
printf 'window.addEventListener("message", function(e){ if (e.origin.startsWith("https://a.example")) eval(e.data) });\n' > site/w2.js
printf 'window.addEventListener("message", function(e){ if (e.origin !== "https://a.example") return; document.write(e.data) });\n' > site/w3.js
printf '<!doctype html><p>app</p>\n' > site/app.html
printf '<!doctype html><script src="w1.js"></script>\n' > site/widget.html
printf 'X-Frame-Options: DENY\n' > site/widget.html.headers

# F[i]: the finding id `pmscope mark` printed ("finding N added").
F=()
mark() { "$PMSCOPE" mark -w ws.pmscope "$@" | sed -n 's/^finding \([0-9]*\).*/\1/p'; }
for l in 1 2 3 4; do F+=("$(mark listener "$l" --severity high)"); done
F+=("$(mark window 2)" "$(mark window 1 --severity low)" "$(mark window 3 --severity low)")
# The message reached F4's window listener (6, w1.js), not its port
# listener (5, gone.js), the first listener of the window.
F+=("$(mark message 1 --severity medium)")
expect_eq "recheck: eight findings marked" "${#F[@]}/$(printf '%s' "${F[*]}" | tr -cd '0-9 ' | wc -w)" "8/8"

expect_rc "recheck: runs" 0 "$PMSCOPE" recheck -w ws.pmscope --connect-timeout 2 --timeout 5
table=$(printf '%s\n' "$OUT" | sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z/DATE/' | sed "s/$PORT/PORT/g; s/$CLOSED/CLOSED/g" | cut -c1-150)
expect_eq "recheck: one line per finding" "$(printf '%s\n' "$table" | awk '{print $1, $2, $3, $4, $5}')" \
"FINDING SUBJECT RESULT CHECKED DETAIL
${F[0]} listener 1 still-present DATE
${F[1]} listener 2 changed DATE
${F[2]} listener 3 fixed DATE
${F[3]} listener 4 unreachable DATE
${F[4]} window 2 fixed DATE
${F[5]} window 1 still-present DATE
${F[6]} window 3 unreachable DATE
${F[7]} message 1 still-present DATE"
expect_match "recheck: same handler detail" "$table" \
    "^${F[0]} .*http://127.0.0.1:PORT/w1.js: the same handler is still served \(origin check: indexOf\)"
expect_match "recheck: changed handler detail" "$table" \
    "^${F[1]} .*w2.js: handler changed; 1 message listener now \(checks: startsWith\)"
expect_match "recheck: strict check is a fix" "$table" \
    "^${F[2]} .*w3.js: handler changed; all 1 message listener now check the origin strictly"
expect_match "recheck: 404 is unreachable" "$table" "^${F[3]} .*gone.js: HTTP 404"
expect_match "recheck: framing fixed" "$table" \
    "^${F[4]} .*widget.html: X-Frame-Options none -> DENY; frame-ancestors none -> none"
expect_match "recheck: framing unchanged" "$table" \
    "^${F[5]} .*app.html: framing headers unchanged \(X-Frame-Options: none; frame-ancestors: none\)"
expect_match "recheck: refused connection" "$table" "^${F[6]} .*CLOSED/x.html: cannot connect"
expect_match "recheck: a message finding checks the listener it reached" "$table" \
    "^${F[7]} .*PORT/w1.js: the same handler is still served \(origin check: indexOf\); http"

expect_eq "recheck: results kept with the findings" \
    "$(python3 - "${F[@]}" <<'PY'
import sqlite3, sys
db = sqlite3.connect('ws.pmscope')
for fid in sys.argv[1:]:
    r = db.execute("select recheck_status, recheck_at like '____-__-__T__:__:__Z'"
                   " from findings where id = ?", (int(fid),)).fetchone()
    print(*r)
PY
)" \
"still-present 1
changed 1
fixed 1
unreachable 1
fixed 1
still-present 1
unreachable 1
still-present 1"

# The analyst sees the results where findings are listed and reported.
expect_rc "recheck: ls findings" 0 "$PMSCOPE" ls -w ws.pmscope findings
expect_match "recheck: ls findings shows the result" "$OUT" \
    "^${F[2]} .*\\[recheck: fixed [0-9]{4}-[0-9]{2}-[0-9]{2}T"
expect_rc "recheck: export" 0 "$PMSCOPE" export -w ws.pmscope -o report.md
expect_match "recheck: report shows the result" "$(cat report.md)" '^\| Re-checked \| still-present \|'
expect_match "recheck: report shows the message's listener" "$(cat report.md)" \
    "^Listener 6 in $H/w1.js, line 1, column 36"

# Every URL once, over one reused connection to the host.
expect_eq "recheck: each URL fetched once" "$(cut -d' ' -f1 requests.log | sort | uniq -d)" ""
expect_eq "recheck: one connection per host, reused" "$(cut -d' ' -f2 requests.log | sort -u | wc -l)" "1"

# Named findings only; an unknown id is an error naming it.
: > requests.log
expect_rc "recheck: one finding by id" 0 "$PMSCOPE" recheck -w ws.pmscope "${F[2]}"
expect_eq "recheck: only its URLs fetched" "$(cut -d' ' -f1 requests.log | sort | tr '\n' ' ')" "/w3.js /widget.html "
expect_rc "recheck: unknown finding" 1 "$PMSCOPE" recheck -w ws.pmscope 9999
expect_match "recheck: unknown finding named" "$OUT" "no finding 9999"
expect_rc "recheck: --header refused" 2 "$PMSCOPE" recheck -w ws.pmscope --header 'A: b'

# An answer is only evidence about the recorded script when it is that
# script: from the same origin (redirects within it are fine), not empty,
# a script (or the HTML page an inline listener was in).  Otherwise the
# result is "inconclusive", with the reason printed and kept.
cat > trace2.jsonl <<EOF
{"v":1,"type":"meta","tool":"pmscope-capture","tool_version":"0.1","start_url":"$H/app2.html","started":"2026-11-25T10:00:00Z"}
{"v":1,"type":"frame","id":"F1","kind":"top","url":"$H/app2.html","parent":null,"opener":null,"ts":0.0}
{"v":1,"type":"frame","id":"F2","kind":"iframe","url":"$H/frame2.html","parent":"F1","ts":1}
{"v":1,"type":"listener","frame":"F2","script_url":"$H/login-redirect.js","line":1,"col":36,"source":"$H1"}
{"v":1,"type":"listener","frame":"F2","script_url":"$H/empty.js","line":1,"col":36,"source":"$H1"}
{"v":1,"type":"listener","frame":"F2","script_url":"$H/html.js","line":1,"col":36,"source":"$H1"}
{"v":1,"type":"listener","frame":"F2","script_url":"$H/json.js","line":1,"col":36,"source":"$H1"}
{"v":1,"type":"listener","frame":"F2","script_url":"$H/moved.js","line":1,"col":36,"source":"$H1"}
{"v":1,"type":"listener","frame":"F2","script_url":"http://u:pw@127.0.0.1:$PORT/cred.js?token=SECRET7","line":1,"col":36,"source":"$H1"}
{"v":1,"type":"listener","frame":"F2","script_url":"$S/down.js","line":1,"col":36,"source":"$H1"}
{"v":1,"type":"listener","frame":"F2","script_url":"$H/frame2.html","line":1,"col":36,"source":"$H1"}
{"v":1,"type":"frame","id":"F3","kind":"iframe","url":"$H/doc-moved.html","parent":"F1","ts":2}
{"v":1,"type":"frame","id":"F4","kind":"iframe","url":"$H/empty-doc.html","parent":"F1","ts":3}
{"v":1,"type":"listener","frame":"F2","script_url":"$H/gone-elsewhere.js","line":1,"col":36,"source":"$H1"}
EOF
expect_rc "recheck evidence: trace imports" 0 "$PMSCOPE" import -w ws2.pmscope trace2.jsonl
printf '<!doctype html><p>Sign in</p>\n' > site/login.html
printf 'X-Frame-Options: DENY\nContent-Type: text/html\n' > site/login.html.headers
printf '' > site/login-redirect.js
printf '302\n' > site/login-redirect.js.status
printf 'Location: http://localhost:%s/login.html\n' "$PORT" > site/login-redirect.js.headers
printf '' > site/empty.js
printf '<!doctype html><title>Not found</title><p>Not found</p>\n' > site/html.js
printf 'Content-Type: text/html; charset=utf-8\n' > site/html.js.headers
printf '{"error": "gone"}\n' > site/json.js
printf 'Content-Type: application/json\n' > site/json.js.headers
printf '' > site/moved.js
printf '301\n' > site/moved.js.status
printf 'Location: /real.js\n' > site/moved.js.headers
printf 'var x = 1;\n' > site/real.js
printf 'Content-Type: application/javascript\n' > site/real.js.headers
printf 'var y = 2;\n' > site/cred.js
printf '' > site/down.js
printf '302\n' > site/down.js.status
printf 'Location: %s/w1.js\n' "$H" > site/down.js.headers
printf '<!doctype html><script>var z = 3;</script>\n' > site/frame2.html
printf 'Content-Type: text/html\n' > site/frame2.html.headers
printf '<!doctype html><p>app</p>\n' > site/app2.html
printf '' > site/doc-moved.html
printf '302\n' > site/doc-moved.html.status
printf 'Location: http://localhost:%s/login.html\n' "$PORT" > site/doc-moved.html.headers
printf '' > site/empty-doc.html
printf 'X-Frame-Options: DENY\n' > site/empty-doc.html.headers
printf '' > site/gone-elsewhere.js
printf '302\n' > site/gone-elsewhere.js.status
printf 'Location: http://localhost:%s/nothing.js\n' "$PORT" > site/gone-elsewhere.js.headers

G=()
mark2() { "$PMSCOPE" mark -w ws2.pmscope "$@" | sed -n 's/^finding \([0-9]*\).*/\1/p'; }
for l in 1 2 3 4 5 6 7 8 9; do G+=("$(mark2 listener "$l" --severity high)"); done
G+=("$(mark2 window 3 --severity low)" "$(mark2 window 4 --severity low)")
: > requests.log
expect_rc "recheck evidence: runs" 0 "$PMSCOPE" recheck -w ws2.pmscope --cacert cert.pem \
    --connect-timeout 2 --timeout 5
table=$(printf '%s\n' "$OUT" | sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z/DATE/' | sed "s/$SPORT/SPORT/g; s/$PORT/PORT/g")
expect_eq "recheck evidence: results" "$(printf '%s\n' "$table" | awk 'NR > 1 {print $1, $2, $3, $4}')" \
"${G[0]} listener 1 inconclusive
${G[1]} listener 2 inconclusive
${G[2]} listener 3 inconclusive
${G[3]} listener 4 inconclusive
${G[4]} listener 5 fixed
${G[5]} listener 6 fixed
${G[6]} listener 7 unreachable
${G[7]} listener 8 fixed
${G[8]} listener 9 inconclusive
${G[9]} window 3 inconclusive
${G[10]} window 4 inconclusive"
expect_match "recheck evidence: a redirect to another origin's login page is not a fix" "$table" \
    "^${G[0]} .*PORT/login-redirect.js: redirected to another origin \(ended at http://localhost:PORT/login.html, HTTP 200\); cannot tell whether the handler is still there"
expect_match "recheck evidence: an empty answer is not a fix" "$table" \
    "^${G[1]} .*PORT/empty.js: empty answer \(HTTP 200, 0 bytes\)"
expect_match "recheck evidence: an HTML page is not the script" "$table" \
    "^${G[2]} .*PORT/html.js: serves an HTML page, not a script \(Content-Type: text/html\)"
expect_match "recheck evidence: JSON is not the script" "$table" \
    "^${G[3]} .*PORT/json.js: serves application/json, not a script"
expect_match "recheck evidence: a redirect within the origin to a script without the listener is a fix" "$table" \
    "^${G[4]} .*PORT/moved.js: no message listener in the script any more"
expect_match "recheck evidence: https to http redirect refused, both URLs named" "$table" \
    "^${G[6]} .*refused a redirect from https://127.0.0.1:SPORT/down.js to http://127.0.0.1:PORT/w1.js: it would leave https for plain http"
expect_match "recheck evidence: the page an inline listener was in may be HTML" "$table" \
    "^${G[7]} .*PORT/frame2.html: no message listener in the script any more"
expect_match "recheck evidence: a document moved to another origin's page is not a framing fix" "$table" \
    "^${G[9]} .*PORT/doc-moved.html: redirected to another origin \(ended at http://localhost:PORT/login.html, HTTP 200\); cannot tell whether its framing changed"
expect_match "recheck evidence: an empty document is not a framing fix" "$table" \
    "^${G[10]} .*PORT/empty-doc.html: empty answer"
expect_match "recheck evidence: another origin's error is not the script's" "$table" \
    "^${G[8]} .*PORT/gone-elsewhere.js: redirected to another origin \(ended at http://localhost:PORT/nothing.js, HTTP 404\)"
expect_match "recheck evidence: a recorded URL is printed without credentials or query" "$table" \
    "^${G[5]} .* http://127.0.0.1:PORT/cred.js: no message listener"
expect_nomatch "recheck evidence: nothing secret printed" "$table" "u:pw|SECRET7"
expect_eq "recheck evidence: nothing secret stored with the results" \
    "$(python3 -c "import sqlite3; print(sqlite3.connect('ws2.pmscope').execute(\"select count(*) from findings where recheck_detail like '%SECRET7%' or recheck_detail like '%u:pw%'\").fetchone()[0])")" "0"
expect_eq "recheck evidence: no credential from a recorded URL is sent" \
    "$(grep -v -c 'auth=None$' requests.log)" "0"
expect_eq "recheck evidence: the http URL after a refused downgrade is not requested" \
    "$(grep -c '^/w1.js' requests.log)" "0"
expect_eq "recheck evidence: the reason is kept with the finding" \
    "$(python3 - "${G[0]}" "${G[4]}" <<'PY'
import sqlite3, sys
db = sqlite3.connect('ws2.pmscope')
for fid in sys.argv[1:]:
    print(*db.execute("select recheck_status, recheck_detail like '%login%'"
                      " from findings where id = ?", (int(fid),)).fetchone())
PY
)" "inconclusive 1
fixed 0"
expect_rc "recheck evidence: ls findings --json" 0 "$PMSCOPE" ls -w ws2.pmscope findings --json
expect_match "recheck evidence: ls findings shows the reason" "$OUT" '"recheck_detail": *"[^"]*empty answer'
expect_rc "recheck evidence: export" 0 "$PMSCOPE" export -w ws2.pmscope -o report2.md
expect_match "recheck evidence: the report shows the reason" "$(cat report2.md)" \
    '^Re-check: .*login-redirect\.js: redirected to another origin'
