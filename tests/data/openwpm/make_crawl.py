#!/usr/bin/env python3
"""Build OpenWPM crawl databases for pmscope's tests.

    make_crawl.py OUT.sqlite fixture      the hand-written crawl the tests check
    make_crawl.py OUT.sqlite fixture-plain  the same, crawled with PLAIN_SETTINGS
    make_crawl.py OUT.sqlite bulk N       N generated visits (streaming, speed)
    make_crawl.py OUT.sqlite listeners N  one frame whose script adds N message
                                          listeners (a hostile shape: past the
                                          500-call cap a real crawl keeps)
    make_crawl.py OUT.sqlite partial T..  only tables T.. (missing-table errors)

The DDL below is OpenWPM's openwpm/storage/schema.sql (github.com/openwpm/
OpenWPM, commit 0098181b0db060d4d0adf454d6009a7982637835), reduced to the
tables a crawl always has, with column names, types and order as written
there.  Rows are written in the shapes OpenWPM's extension produces:

- javascript.arguments is JSON.stringify(args) after serializeObject() ran
  on each argument (Extension/src/lib/js-instruments.ts): objects become
  JSON text (so they sit in the array as strings), null becomes "null",
  functions "FUNCTION" (or their source with logFunctionsAsStrings),
  failures "SERIALIZATION ERROR: ...";
- every string passes escapeString() = unescape(encodeURIComponent(s)),
  i.e. non-ASCII text is stored one character per UTF-8 byte;
- headers are JSON lists of [name, value]; time stamps ISO 8601 with 'Z';
- the instrument logs at most 500 calls per script and symbol.

Which symbols are recorded follows tests/data/openwpm/js_instrument_settings
.json, the settings docs/openwpm.md tells users to crawl with.
"""
import json
import os
import sqlite3
import sys

SCHEMA = """
CREATE TABLE IF NOT EXISTS task (
    task_id INTEGER PRIMARY KEY AUTOINCREMENT,
    start_time DATETIME DEFAULT CURRENT_TIMESTAMP,
    manager_params TEXT NOT NULL,
    openwpm_version TEXT NOT NULL,
    browser_version TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS crawl (
    browser_id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL,
    browser_params TEXT NOT NULL,
    start_time DATETIME DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY(task_id) REFERENCES task(task_id));
CREATE TABLE IF NOT EXISTS site_visits (
    visit_id INTEGER PRIMARY KEY,
    browser_id INTEGER NOT NULL,
    site_url VARCHAR(500) NOT NULL,
    site_rank INTEGER,
    FOREIGN KEY(browser_id) REFERENCES crawl(browser_id));
CREATE TABLE IF NOT EXISTS http_requests(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  incognito INTEGER,
  browser_id INTEGER NOT NULL,
  visit_id INTEGER NOT NULL,
  extension_session_uuid TEXT,
  event_ordinal INTEGER,
  window_id INTEGER,
  tab_id INTEGER,
  frame_id INTEGER,
  url TEXT NOT NULL,
  top_level_url TEXT,
  parent_frame_id INTEGER,
  frame_ancestors TEXT,
  method TEXT NOT NULL,
  referrer TEXT NOT NULL,
  headers TEXT NOT NULL,
  request_id INTEGER NOT NULL,
  is_XHR INTEGER,
  is_third_party_channel INTEGER,
  is_third_party_to_top_window INTEGER,
  triggering_origin TEXT,
  loading_origin TEXT,
  loading_href TEXT,
  req_call_stack TEXT,
  resource_type TEXT NOT NULL,
  post_body TEXT,
  post_body_raw TEXT,
  time_stamp DATETIME NOT NULL
);
CREATE TABLE IF NOT EXISTS http_responses(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  incognito INTEGER,
  browser_id INTEGER NOT NULL,
  visit_id INTEGER NOT NULL,
  extension_session_uuid TEXT,
  event_ordinal INTEGER,
  window_id INTEGER,
  tab_id INTEGER,
  frame_id INTEGER,
  url TEXT NOT NULL,
  method TEXT NOT NULL,
  response_status INTEGER,
  response_status_text TEXT NOT NULL,
  is_cached INTEGER NOT NULL,
  headers TEXT NOT NULL,
  request_id INTEGER NOT NULL,
  location TEXT NOT NULL,
  time_stamp DATETIME NOT NULL,
  content_hash TEXT
);
CREATE TABLE IF NOT EXISTS javascript(
  id INTEGER PRIMARY KEY,
  incognito INTEGER,
  browser_id INTEGER NOT NULL,
  visit_id INTEGER NOT NULL,
  extension_session_uuid TEXT,
  event_ordinal INTEGER,
  page_scoped_event_ordinal INTEGER,
  window_id INTEGER,
  tab_id INTEGER,
  frame_id INTEGER,
  script_url TEXT,
  script_line TEXT,
  script_col TEXT,
  func_name TEXT,
  script_loc_eval TEXT,
  document_url TEXT,
  top_level_url TEXT,
  call_stack TEXT,
  symbol TEXT,
  operation TEXT,
  value TEXT,
  arguments TEXT,
  time_stamp DATETIME NOT NULL
);
CREATE TABLE IF NOT EXISTS navigations(
  id INTEGER,
  incognito INTEGER,
  browser_id INTEGER NOT NULL,
  visit_id INTEGER NOT NULL,
  extension_session_uuid TEXT,
  process_id INTEGER,
  window_id INTEGER,
  tab_id INTEGER,
  tab_opener_tab_id INTEGER,
  frame_id INTEGER,
  parent_frame_id INTEGER,
  window_width INTEGER,
  window_height INTEGER,
  window_type TEXT,
  tab_width INTEGER,
  tab_height INTEGER,
  tab_cookie_store_id TEXT,
  uuid TEXT,
  url TEXT,
  transition_qualifiers TEXT,
  transition_type TEXT,
  before_navigate_event_ordinal INTEGER,
  before_navigate_time_stamp DATETIME,
  committed_event_ordinal INTEGER,
  committed_time_stamp DATETIME
);
"""

HERE = os.path.dirname(os.path.abspath(__file__))
SESSION = "6a1d8c1e-1b7e-4bd4-9c2a-0d6f0d1c2b3a"


def escape_string(s):
    """escapeString(): unescape(encodeURIComponent(s))."""
    return s.encode("utf-8").decode("latin-1")


class Fn:
    """A JavaScript function argument, with its source text."""

    def __init__(self, src):
        self.src = src


def js_stringify(v):
    return json.dumps(v, separators=(",", ":"), ensure_ascii=False)


def serialize_object(obj, functions_as_strings):
    """serializeObject() from js-instruments.ts."""
    if obj is None:
        return "null"
    if isinstance(obj, Fn):
        return obj.src if functions_as_strings else "FUNCTION"
    if isinstance(obj, (dict, list)):
        def walk(v):
            if v is None:
                return "null"
            if isinstance(v, Fn):
                return v.src if functions_as_strings else "FUNCTION"
            if isinstance(v, dict):
                return {k: walk(x) for k, x in v.items()}
            if isinstance(v, list):
                return [walk(x) for x in v]
            return v
        return js_stringify(walk(obj))
    return obj


# The shortest settings that record messages: functions are then logged as
# "FUNCTION", not as their source.
PLAIN_SETTINGS = [{"window": ["postMessage", "onmessage"]},
                  {"EventTarget": ["addEventListener"]},
                  {"MessageEvent": ["origin"]}]


def load_settings(plain):
    """symbol -> logFunctionsAsStrings, as OpenWPM would instrument them."""
    if plain:
        settings = PLAIN_SETTINGS
    else:
        with open(os.path.join(HERE, "js_instrument_settings.json")) as f:
            settings = json.load(f)
    symbols = {}
    for item in settings:
        (obj, spec), = item.items()
        props, as_str = spec, False
        if isinstance(spec, dict):
            props = spec["propertiesToInstrument"]
            as_str = spec.get("logFunctionsAsStrings", False)
        for p in props:
            symbols[obj + "." + p] = as_str
    return symbols


class Crawl:
    def __init__(self, path, plain=False):
        if os.path.exists(path):
            os.unlink(path)
        self.db = sqlite3.connect(path)
        self.db.executescript(SCHEMA)
        self.symbols = load_settings(plain)
        self.ordinal = 0
        self.req_id = 1000
        self.clock = 0
        self.counter = {}
        self.db.execute(
            "INSERT INTO task(manager_params, openwpm_version, browser_version)"
            " VALUES('{}', 'v0.35.0', 'Firefox 152.0')")
        self.db.execute("INSERT INTO crawl(browser_id, task_id, browser_params)"
                        " VALUES(1, 1, '{}')")

    def stamp(self):
        self.clock += 7
        ms = self.clock
        return "2026-06-29T23:%02d:%02d.%03dZ" % (
            (ms // 60000) % 60, (ms // 1000) % 60, ms % 1000)

    def next_ordinal(self):
        self.ordinal += 1
        return self.ordinal

    def visit(self, visit_id, url, rank=None):
        self.db.execute("INSERT INTO site_visits VALUES(?,?,?,?)",
                        (visit_id, 1, url, rank))

    def nav(self, visit, tab, frame, parent, url, opener=None):
        t = self.stamp()
        self.db.execute(
            "INSERT INTO navigations(incognito, browser_id, visit_id,"
            " extension_session_uuid, process_id, window_id, tab_id,"
            " tab_opener_tab_id, frame_id, parent_frame_id, window_width,"
            " window_height, window_type, tab_width, tab_height,"
            " tab_cookie_store_id, uuid, url, transition_qualifiers,"
            " transition_type, before_navigate_event_ordinal,"
            " before_navigate_time_stamp, committed_event_ordinal,"
            " committed_time_stamp)"
            " VALUES(0,1,?,?,0,1,?,?,?,?,1366,683,'normal',1366,683,"
            "'firefox-default',?,?,'[]','link',?,?,?,?)",
            (visit, SESSION, tab, opener, frame, parent,
             "%08d-nav" % self.ordinal, escape_string(url),
             self.next_ordinal(), t, self.next_ordinal(), t))

    def doc(self, visit, tab, frame, parent, url, top, status=200,
            resp_headers=(), ancestors=None, location=""):
        rtype = "main_frame" if frame == 0 else "sub_frame"
        self.req_id += 1
        t = self.stamp()
        req_headers = [["Host", url.split("/")[2]],
                       ["User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:152.0)"
                        " Gecko/20100101 Firefox/152.0"],
                       ["Sec-Fetch-Dest", "document" if frame == 0 else "iframe"]]
        self.db.execute(
            "INSERT INTO http_requests(incognito, browser_id, visit_id,"
            " extension_session_uuid, event_ordinal, window_id, tab_id,"
            " frame_id, url, top_level_url, parent_frame_id, frame_ancestors,"
            " method, referrer, headers, request_id, is_XHR,"
            " is_third_party_channel, is_third_party_to_top_window,"
            " triggering_origin, loading_origin, loading_href,"
            " req_call_stack, resource_type, post_body, post_body_raw,"
            " time_stamp) VALUES(0,1,?,?,?,1,?,?,?,?,?,?,'GET','',?,?,0,0,0,"
            "'','','','',?,'','',?)",
            (visit, SESSION, self.next_ordinal(), tab, frame,
             escape_string(url), escape_string(top), parent,
             js_stringify(ancestors or []), js_stringify(req_headers),
             self.req_id, rtype, t))
        headers = [["Content-Type", "text/html; charset=utf-8"]] + \
            [list(h) for h in resp_headers]
        self.db.execute(
            "INSERT INTO http_responses(incognito, browser_id, visit_id,"
            " extension_session_uuid, event_ordinal, window_id, tab_id,"
            " frame_id, url, method, response_status, response_status_text,"
            " is_cached, headers, request_id, location, time_stamp,"
            " content_hash) VALUES(0,1,?,?,?,1,?,?,?,'GET',?,?,0,?,?,?,?,'')",
            (visit, SESSION, self.next_ordinal(), tab, frame,
             escape_string(url), status,
             "HTTP/1.1 %d %s" % (status, "OK" if status == 200 else "Found"),
             js_stringify(headers), self.req_id, location, self.stamp()))

    def res(self, visit, tab, frame, parent, url, top, rtype, mime):
        """A request that is not a document load (script, image, XHR...)."""
        self.req_id += 1
        self.db.execute(
            "INSERT INTO http_requests(incognito, browser_id, visit_id,"
            " extension_session_uuid, event_ordinal, window_id, tab_id,"
            " frame_id, url, top_level_url, parent_frame_id, frame_ancestors,"
            " method, referrer, headers, request_id, is_XHR,"
            " is_third_party_channel, is_third_party_to_top_window,"
            " triggering_origin, loading_origin, loading_href,"
            " req_call_stack, resource_type, post_body, post_body_raw,"
            " time_stamp) VALUES(0,1,?,?,?,1,?,?,?,?,?,'[]','GET','',?,?,?,0,0,"
            "'','','','',?,'','',?)",
            (visit, SESSION, self.next_ordinal(), tab, frame,
             escape_string(url), escape_string(top), parent,
             js_stringify([["Host", url.split("/")[2]]]), self.req_id,
             1 if rtype == "xmlhttprequest" else 0, rtype, self.stamp()))
        self.db.execute(
            "INSERT INTO http_responses(incognito, browser_id, visit_id,"
            " extension_session_uuid, event_ordinal, window_id, tab_id,"
            " frame_id, url, method, response_status, response_status_text,"
            " is_cached, headers, request_id, location, time_stamp,"
            " content_hash) VALUES(0,1,?,?,?,1,?,?,?,'GET',200,'HTTP/1.1 200"
            " OK',0,?,?,'',?,'')",
            (visit, SESSION, self.next_ordinal(), tab, frame,
             escape_string(url), js_stringify([["Content-Type", mime]]),
             self.req_id, self.stamp()))

    def js(self, visit, tab, frame, doc_url, top_url, script, line, symbol,
           operation, value="", args=None, cap=500):
        """One javascript row, or none when the settings do not instrument
        symbol or the call cap for (frame, script, symbol) is reached."""
        if symbol not in self.symbols:
            return
        key = (visit, tab, frame, script, symbol)
        self.counter[key] = self.counter.get(key, 0) + 1
        if cap and self.counter[key] > cap:
            return
        as_str = self.symbols[symbol]
        arguments = None
        if operation == "call" and args:
            arguments = escape_string(js_stringify(
                [serialize_object(a, as_str) for a in args]))
        if operation != "call":
            value = serialize_object(value, as_str)
        self.db.execute(
            "INSERT INTO javascript(incognito, browser_id, visit_id,"
            " extension_session_uuid, event_ordinal, page_scoped_event_ordinal,"
            " window_id, tab_id, frame_id, script_url, script_line, script_col,"
            " func_name, script_loc_eval, document_url, top_level_url,"
            " call_stack, symbol, operation, value, arguments, time_stamp)"
            " VALUES(0,1,?,?,?,?,1,?,?,?,?,?,'','',?,?,'',?,?,?,?,?)",
            (visit, SESSION, self.next_ordinal(), self.ordinal, tab, frame,
             escape_string(script), str(line), "9", escape_string(doc_url),
             escape_string(top_url), symbol, operation,
             escape_string(str(value)), arguments, self.stamp()))

    def close(self):
        self.db.commit()
        self.db.close()


def fixture(c):
    top, w, x = "https://a.example/", "https://w.example/widget", \
        "https://x.example/inner"
    # Visit 1: a page, a widget iframe with a nested frame, and a popup.
    c.visit(1, "https://a.example", 1)
    c.nav(1, 1, 0, -1, top)
    c.doc(1, 1, 0, -1, top, top)
    c.nav(1, 1, 5, 0, "about:blank")
    c.nav(1, 1, 5, 0, w)
    c.doc(1, 1, 5, 0, w, top, resp_headers=[("X-Frame-Options", "SAMEORIGIN")],
          ancestors=[{"url": top, "frameId": 0}])
    c.doc(1, 1, 7, 5, "https://x.example/go", top, status=302,
          resp_headers=[("Location", x)], location=x)
    c.nav(1, 1, 7, 5, x)
    c.doc(1, 1, 7, 5, x, top, resp_headers=[
        ("Content-Security-Policy", "default-src 'self'; frame-ancestors "
         "https://w.example")])
    # What the pages load besides documents: scripts, an image, an XHR, and
    # a request of a frame the visit has no row for (frame 99).
    c.res(1, 1, 0, -1, "https://a.example/app.js", top, "script",
          "text/javascript")
    c.res(1, 1, 0, -1, "https://a.example/logo.png", top, "image", "image/png")
    c.res(1, 1, 5, 0, "https://w.example/w.js", top, "script",
          "text/javascript")
    c.res(1, 1, 5, 0, "https://api.w.example/me", top, "xmlhttprequest",
          "application/json")
    c.res(1, 1, 99, 0, "https://t.example/pixel.gif", top, "image",
          "image/gif")
    c.nav(1, 2, 0, -1, "https://pop.example/login", opener=1)
    c.doc(1, 2, 0, -1, "https://pop.example/login", "https://pop.example/login")
    wjs, ajs = "https://w.example/w.js", "https://a.example/app.js"
    handler = Fn("function(e){ if (e.origin !== 'https://a.example') return;"
                 " document.getElementById('out').innerHTML = e.data.html }")
    c.js(1, 1, 5, w, top, wjs, 3, "EventTarget.addEventListener", "call",
         args=["message", handler, False])
    c.js(1, 1, 5, w, top, wjs, 3, "EventTarget.addEventListener", "call",
         args=["message", handler, False])  # the same handler again
    c.js(1, 1, 5, w, top, wjs, 9, "EventTarget.addEventListener", "call",
         args=["load", Fn("function(){}")])
    c.js(1, 1, 0, top, top, ajs, 12, "window.onmessage", "set",
         value=Fn("function(e){ handle(e.data) }"))
    c.js(1, 1, 0, top, top, ajs, 40, "window.onmessage", "set", value=None)
    c.js(1, 1, 0, top, top, ajs, 20, "window.postMessage", "call",
         args=[{"id": 7, "cmd": "getUser", "cb": Fn("x"), "v": None}, "*"])
    c.js(1, 1, 0, top, top, ajs, 21, "window.postMessage", "call",
         args=["hello caf\u00e9", "https://W.example:443/path"])
    c.js(1, 1, 5, w, top, wjs, 30, "window.postMessage", "call",
         args=[[1, 2], {"targetOrigin": "https://x.example", "transfer": []}])
    c.js(1, 1, 5, w, top, wjs, 31, "window.postMessage", "call",
         args=[42, "/"])
    c.js(1, 1, 7, x, top, "https://x.example/x.js", 5, "window.postMessage",
         "call", args=["SERIALIZATION ERROR: Error: Permission denied to "
                       "access property \"toJSON\"", "*"])
    c.js(1, 1, 5, w, top, wjs, 4, "MessageEvent.origin", "get",
         value="https://a.example")
    c.js(1, 1, 5, w, top, wjs, 4, "MessageEvent.origin", "get",
         value="https://a.example")
    # Visit 2: a chatty script that hits the 500-call cap (600 calls made).
    c.visit(2, "https://chat.example", 2)
    c.nav(2, 3, 0, -1, "https://chat.example/")
    for i in range(600):
        c.js(2, 3, 0, "https://chat.example/", "https://chat.example/",
             "https://cdn.chat.example/c.js", 77, "window.postMessage", "call",
             args=[{"tick": i}, "https://chat.example"])
    # Visit 3: the visit failed; only its site_visits row exists.
    c.visit(3, "https://down.example", 3)
    # Visit 4: no navigation instrument; frames come from http and js rows.
    c.visit(4, "https://b.example", 4)
    c.doc(4, 4, 0, -1, "https://b.example/", "https://b.example/")
    c.doc(4, 4, 9, 0, "https://ads.example/f", "https://b.example/",
          ancestors=[{"url": "https://b.example/", "frameId": 0}])
    # A nested frame whose parent (frame 13) left no row of its own: the
    # request's frame_ancestors names it.
    c.doc(4, 4, 14, 13, "https://leaf.example/", "https://b.example/",
          ancestors=[{"url": "https://mid.example/", "frameId": 13},
                     {"url": "https://b.example/", "frameId": 0}])
    c.js(4, 4, 11, "https://deep.example/", "https://b.example/",
         "https://deep.example/d.js", 1, "window.postMessage", "call",
         args=[{"k": "v"}, "https://b.example"])


def bulk(c, n):
    """n visits, each a page with two iframes, a handler and a few calls."""
    for v in range(1, n + 1):
        top = "https://site%d.example/" % v
        wid = "https://widget%d.example/frame" % (v % 97)
        c.visit(v, top, v)
        c.nav(v, v, 0, -1, top)
        c.doc(v, v, 0, -1, top, top)
        c.nav(v, v, 3, 0, wid)
        c.doc(v, v, 3, 0, wid, top,
              resp_headers=[("X-Frame-Options", "SAMEORIGIN")])
        c.nav(v, v, 4, 0, "https://ads.example/slot?v=%d" % v)
        c.doc(v, v, 4, 0, "https://ads.example/slot?v=%d" % v, top)
        c.js(v, v, 3, wid, top, wid + ".js", 2, "EventTarget.addEventListener",
             "call", args=["message", Fn("function(e){ if (e.origin.indexOf("
                                         "'site') > -1) run(e.data) }")])
        for i in range(3):
            c.js(v, v, 0, top, top, top + "main.js", 10 + i,
                 "window.postMessage", "call",
                 args=[{"type": "init", "seq": i, "site": v}, "*"])
        c.js(v, v, 3, wid, top, wid + ".js", 5, "MessageEvent.origin", "get",
             value=top[:-1])


def listeners(c, n):
    """One page whose script adds n message listeners, one per line."""
    top = "https://a.example/"
    c.visit(1, top, 1)
    c.nav(1, 1, 0, -1, top)
    c.doc(1, 1, 0, -1, top, top)
    for i in range(n):
        c.js(1, 1, 0, top, top, top + "app.js", i + 1,
             "EventTarget.addEventListener", "call", cap=0,
             args=["message", Fn("function(e){ if (e.origin !== "
                                 "'https://a.example') return; el%d."
                                 "innerHTML = e.data }" % i)])


def partial(path, tables):
    if os.path.exists(path):
        os.unlink(path)
    db = sqlite3.connect(path)
    for stmt in SCHEMA.split(";"):
        for t in tables:
            if "EXISTS %s" % t in stmt or "EXISTS %s(" % t in stmt:
                db.execute(stmt)
    db.commit()
    db.close()


def main():
    out, kind = sys.argv[1], sys.argv[2]
    if kind == "partial":
        partial(out, sys.argv[3:])
        return
    c = Crawl(out, plain=(kind == "fixture-plain"))
    if kind.startswith("fixture"):
        fixture(c)
    elif kind == "listeners":
        listeners(c, int(sys.argv[3]))
    else:
        bulk(c, int(sys.argv[3]))
    c.close()


if __name__ == "__main__":
    main()
