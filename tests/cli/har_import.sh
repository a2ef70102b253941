#!/usr/bin/env bash
# HAR import through the CLI: real HAR files from browsers and proxies
# (tests/data/hars), then malformed inputs generated here.  A bad file must
# give one positioned error line, exit 1, and leave the workspace exactly as
# it was; a repeat is reported and skipped unless --force.
. "$(dirname "$0")/../lib.sh"
HARS="$PM_ROOT/tests/data/hars"

q() { python3 - "$1" "$2" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for row in db.execute(sys.argv[2]):
    print("|".join("-" if v is None else str(v) for v in row))
PY
}

# ---- real files ----------------------------------------------------------
for f in "$HARS"/*.har; do
    name=$(basename "$f")
    expect_rc "har: $name imports" 0 "$PMSCOPE" import -q -w ws.pmscope "$f"
    expect_match "har: $name reported as har" "$OUT" \
        "$name: imported as source [0-9]+ \(har, 0 warnings\)"
done

expect_eq "har: producers recorded from log.creator" \
    "$(q ws.pmscope "select path, tool, n_windows, n_requests from sources order by id" |
       sed 's|^.*/||')" \
"harviewer__noPages.har|Fiddler 2.3.3.5|4|87
mitmproxy__charles.har|Charles Proxy 4.6.3|1|1
mitmproxy__chrome.har|WebInspector 537.36|2|3
mitmproxy__firefox.har|Firefox 111.0.1|3|14
mitmproxy__safari.har|WebKit Web Inspector 1.0|3|19
mitmproxy__with-bom.har|WebInspector 537.36|0|1
pagexray__304-chrome-har.har|chrome-har 0.2.2|18|270
playwright__har-redirect.har|Playwright 1.23.0-next|1|3"

expect_eq "har: Firefox frames hang under the page that embeds them" \
    "$(q ws.pmscope "select w.kind, w.url, ifnull(p.url, '-'), ifnull(w.parent_how, '-'),
                     (select text from origins where id = w.origin_id)
                     from windows w left join windows p on p.id = w.parent_id
                     where w.source_id = 4 order by w.id")" \
"top|https://mitmproxy.org/|-|-|https://mitmproxy.org
iframe|https://mitmproxy.org/github-btn.html?user=mhils&type=sponsor&size=large|https://mitmproxy.org/|inferred|https://mitmproxy.org
iframe|https://mitmproxy.org/github-btn.html?user=mitmproxy&repo=mitmproxy&type=star&count=true&size=large|https://mitmproxy.org/|inferred|https://mitmproxy.org"

expect_rc "har: ls windows runs" 0 "$PMSCOPE" ls -w ws.pmscope windows
expect_match "har: ls windows shows the Firefox frame under its page" "$OUT" \
    "#[0-9]+ top https://mitmproxy.org https://mitmproxy.org/
  #[0-9]+ iframe https://mitmproxy.org https://mitmproxy.org/github-btn.html\\?user=mhils&type=sponsor&size=large \\[parent inferred\\]"

expect_eq "har: Playwright redirect chain is one window with one document, its end" \
    "$(q ws.pmscope "select w.url, group_concat(n.url) from windows w join documents n
                     on n.window_id = w.id where w.source_id = 8 group by w.id")" \
    "https://www.theverge.com/|https://www.theverge.com/"

expect_eq "har: request headers kept as [name, value] arrays" \
    "$(q ws.pmscope "select substr(req_headers, 1, 63) from requests
                     where source_id = 3 and entry_index = 0")" \
    '[[":authority","mitmproxy.org"],[":method","GET"],[":path","/"]'

# ---- repeats ----------------------------------------------------------------
sum_before=$(ws_checksum ws.pmscope)
expect_rc "har: repeat import exits 0" 0 "$PMSCOPE" import -w ws.pmscope "$HARS/mitmproxy__firefox.har"
expect_match "har: repeat is reported and skipped" "$OUT" \
    "mitmproxy__firefox.har: already imported as source 4 \(same sha256\); use --force to import again"
expect_eq "har: skipped repeat leaves the workspace unchanged" "$(ws_checksum ws.pmscope)" "$sum_before"
expect_rc "har: --force imports again" 0 "$PMSCOPE" import -w ws.pmscope --force "$HARS/mitmproxy__firefox.har"
expect_match "har: forced import is a new source" "$OUT" "imported as source 9 \(har"
# the same recording again is the same visit: its windows merge into the
# first import's (store_visit.c), and the source still counts them
expect_eq "har: forced import sees the same windows, adds none" \
    "$(q ws.pmscope "select (select count(*) from window_sources where source_id = 9),
                            (select count(*) from windows where source_id = 9)")" "3|0"

# ---- a log.version pmscope does not know -----------------------------------
entry='{"startedDateTime":"2024-01-01T00:00:00Z","time":1,"request":{"method":"GET","url":"https://a.example/","httpVersion":"HTTP/1.1","headers":[],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":0},"response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","headers":[],"cookies":[],"content":{"size":0,"mimeType":"text/html"},"redirectURL":"","headersSize":-1,"bodySize":0},"cache":{},"timings":{"send":0,"wait":1,"receive":0}}'
printf '{"log":{"version":"9.9","creator":{"name":"t","version":"1.2"},"entries":[%s]}}' "$entry" > v99.har
printf '{"log":{"creator":{"name":"t","version":"9.9"},"entries":[%s],"version":"%s"}}' \
    "$entry" '2.0\u0000\u001b[31m' > v20-last.har
printf '{"log":{"version":"1.1","creator":{"name":"t","version":"9.9"},"entries":[%s]}}' "$entry" > v11.har
expect_rc "har: log.version 9.9 still imports" 0 "$PMSCOPE" import -w v.pmscope v99.har
expect_match "har: log.version 9.9 is a warning that names it" "$OUT" \
    'v99.har: warning: log.version is "9.9"; pmscope reads HAR 1.x'
expect_match "har: the warning is counted" "$OUT" 'imported as source 1 \(har, 1 warnings\)'
expect_eq "har: its entry is imported" "$(q v.pmscope "select count(*) from requests")" "1"
expect_rc "har: log.version after the entries" 0 "$PMSCOPE" import -w v.pmscope v20-last.har
expect_match "har: a late log.version is checked too" "$OUT" \
    'v20-last.har: warning: log.version is "2.0\[31m"'
expect_nomatch "har: the version is shown without control characters" "$OUT" $'\e'
expect_rc "har: log.version 1.1 (creator version 9.9)" 0 "$PMSCOPE" import -w v.pmscope v11.har
expect_match "har: 1.x and a creator's version are no warning" "$OUT" '\(har, 0 warnings\)'

# ---- malformed inputs -----------------------------------------------------
# each: exact message, exit 1, workspace byte-for-byte unchanged
bad() {  # NAME FILE EXPECTED_MESSAGE [import options...]
    local name=$1 file=$2 want=$3; shift 3
    local before
    before=$(ws_checksum ws.pmscope)
    expect_rc "har: $name exits 1" 1 "$PMSCOPE" import -q -w ws.pmscope "$@" "$file"
    expect_eq "har: $name message" "$OUT" "pmscope: $want"
    expect_eq "har: $name rolls back" "$(ws_checksum ws.pmscope)" "$before"
}

head -c 5000 "$HARS/mitmproxy__firefox.har" > truncated.har
bad "truncated file" truncated.har \
    "truncated.har:152:605: entry 0: unexpected end of file: expected '\"' to close a string (the file looks truncated)"

# a good first entry, then a bad one: nothing of the file may stay
printf '{"log":{"version":"1.2","creator":{"name":"x","version":"1"},\r\n"entries":[\r\n{"request":{"method":"GET","url":"https://a.example/"},"response":{"status":200}},\r\n{"request":{"url":"https://a.example/caf\xc3\xa9\xff"}}]}}\r\n' > badutf8.har
bad "invalid UTF-8" badutf8.har \
    "badutf8.har:4:42: entry 1: invalid UTF-8 (byte 0xff) in a string; HAR files must be UTF-8"

python3 -c "import sys; sys.stdout.write('{\"log\":{\"entries\":[{\"a\":' + '[' * 100000 + ']' * 100000 + '}]}}')" > deep.har
bad "100 000-deep nesting" deep.har \
    "deep.har:1:533: entry 0: nesting deeper than 512 levels; pmscope does not read inputs nested this deep"

: > empty.har
before=$(ws_checksum ws.pmscope)
expect_rc "har: empty file exits 1" 1 "$PMSCOPE" import -q -w ws.pmscope empty.har
expect_match "har: empty file message" "$OUT" "^pmscope: empty.har: file is empty; pmscope reads .*har \(HAR 1.2"
expect_eq "har: empty file rolls back" "$(ws_checksum ws.pmscope)" "$before"

printf '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head></html>\n' > error-page.har
before=$(ws_checksum ws.pmscope)
expect_rc "har: HTML error page exits 1" 1 "$PMSCOPE" import -q -w ws.pmscope error-page.har
expect_match "har: HTML error page is not detected as HAR" "$OUT" \
    "^pmscope: error-page.har: not a format pmscope reads"
expect_eq "har: HTML error page rolls back" "$(ws_checksum ws.pmscope)" "$before"
bad "HTML error page forced as HAR" error-page.har \
    "error-page.har:1:1: expected '{' to start the HAR object, found '<'; this looks like an HTML page, not a HAR file" \
    --format har

printf '{"log":{"entries":[]}}\n{"log":{}}\n' > two.har
bad "trailing data" two.har \
    "two.har:2:1: expected the end of the file after the HAR object, found '{'"

printf '{"log": {"entries": [{"request": {"url": "https://a.example/"}}, ]}}' > comma.har
bad "trailing comma" comma.har \
    "comma.har:1:66: entry 1: expected an entry object, found ']'"

# ---- a 50 MB string value imports correctly, with bounded memory ---------
python3 - <<'PY'
import base64
with open("big.har", "w") as f:
    f.write('{"log":{"version":"1.2","pages":[],"entries":[\n')
    f.write('{"request":{"method":"GET","url":"https://big.example/"},'
            '"response":{"status":200,"content":{"mimeType":"text/plain","text":"')
    f.write("a" * (50 << 20))
    f.write('"}}}]}}\n')
PY
before=$(ws_checksum ws.pmscope)
expect_rc "har: 50 MB string value imports" 0 /usr/bin/time -f 'maxrss_kb=%M' \
    "$PMSCOPE_FAST" import -q -w ws.pmscope big.har
expect_match "har: 50 MB string reported" "$OUT" "big.har: imported as source 10 \(har"
rss=$(printf '%s\n' "$OUT" | sed -n 's/^maxrss_kb=//p')
if [ -n "$rss" ] && [ "$rss" -lt 260000 ]; then pass "har: 50 MB string peak memory ${rss} kB < 260 MB"
else fail "har: 50 MB string peak memory" "maxrss_kb=$rss"; fi
expect_eq "har: 50 MB body stored whole" \
    "$(q ws.pmscope "select b.size from requests r join bodies b on b.id = r.body_id where r.source_id = 10")" \
    "52428800"

# ---- wrong-typed fields and \u0000 are warned about, not dropped silently ---
python3 "$PM_ROOT/tests/data/hars/make_typed.py" typed.har
expect_rc "har: wrong-typed fields import" 0 "$PMSCOPE" import -w typed.pmscope typed.har
expect_match "har: 4 warnings counted" "$OUT" 'imported as source 1 \(har, 4 warnings\)'
expect_match "har: content.text as an object" "$OUT" \
    'entry 1: response.content.text is an object, expected a string; ignored'
expect_match "har: headers as an object" "$OUT" \
    'entry 2: request.headers is an object, expected an array; ignored'
expect_match "har: status as a string" "$OUT" \
    'entry 3: response.status is a string, expected a number; read as a number'
expect_match "har: \\u0000 cuts a string" "$OUT" \
    'entry 2: \\u0000 in a string; the string is cut there'
expect_eq "har: the string status is still read" \
    "$(q typed.pmscope "select status from requests where url like '%/s'")" "200"
