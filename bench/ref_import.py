#!/usr/bin/env python3
"""bench/ref_import.py - the reference importer `make bench` compares with.

What a careful analyst would write in an afternoon with the standard
library: `json` + `sqlite3`, the same schema as pmscope (copied from
SCHEMA_WS, a workspace pmscope created) and the same work:

  har:   load the whole file (json.load), windows for top and frame
         documents (parent from _initiator.url or Referer), one navigation
         per document, origins interned, one request row per entry with
         headers as JSON pairs, bodies deduplicated by sha256 (base64
         decoded), message listeners and postMessage calls found in script
         and HTML bodies by regular expression;
  trace: one json.loads per line, frames -> windows, listeners, messages with
         interned origins, compact data JSON, a preview, the FTS row, and
         request/reply correlation by an `id` member (reply_to, flow_id).

Everything runs in one transaction with the same PRAGMAs pmscope uses.

  ref_import.py har|trace INPUT OUT_DB SCHEMA_WS
"""
import base64
import hashlib
import json
import os
import re
import sqlite3
import sys
from urllib.parse import urlsplit

LISTENER_RE = re.compile(r"addEventListener\(\s*[\"']message[\"']|\bonmessage\s*=")
SEND_RE = re.compile(r"\.postMessage\(")
PREVIEW_MAX = 120


def origin_of(url):
    try:
        u = urlsplit(url)
    except ValueError:
        return None
    if u.scheme not in ("http", "https") or not u.hostname:
        return "null"
    port = u.port
    default = 443 if u.scheme == "https" else 80
    return "%s://%s%s" % (u.scheme, u.hostname, "" if port in (None, default) else ":%d" % port)


class Store:
    def __init__(self, path, schema_ws):
        if os.path.exists(path):
            os.unlink(path)
        src = sqlite3.connect(schema_ws)
        ddl = [r[0] for r in src.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE "
            "'messages_fts_%' ORDER BY rowid")]
        src.close()
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA cache_size=-16384")
        for sql in ddl:
            self.db.execute(sql)
        self.db.execute("BEGIN")
        self.origins = {}
        self.source = self.db.execute(
            "INSERT INTO sources(path, format, sha256, size) VALUES (?,?,?,?)",
            (path, "ref", "0" * 64, 0)).lastrowid

    def origin(self, text):
        if text is None:
            return None
        oid = self.origins.get(text)
        if oid is None:
            oid = self.db.execute("INSERT INTO origins(text) VALUES (?)", (text,)).lastrowid
            self.origins[text] = oid
        return oid

    def window(self, ext_id, kind, url, parent, how, ts):
        return self.db.execute(
            "INSERT INTO windows(source_id, ext_id, kind, url, origin_id, parent_id,"
            " parent_how, first_seen) VALUES (?,?,?,?,?,?,?,?)",
            (self.source, ext_id, kind, url, self.origin(origin_of(url) if url else None),
             parent, how, ts)).lastrowid

    def finish(self):
        self.db.execute("COMMIT")
        self.db.close()


def scan_body(st, window_id, body_id, url, text):
    for m in LISTENER_RE.finditer(text):
        st.db.execute(
            "INSERT INTO listeners(source_id, window_id, body_id, script_url, col, code,"
            " found_by) VALUES (?,?,?,?,?,?,?)",
            (st.source, window_id, body_id, url, m.start() + 1,
             text[m.start():m.start() + 400], "scan"))
    for m in SEND_RE.finditer(text):
        st.db.execute(
            "INSERT INTO send_sites(source_id, window_id, body_id, script_url, col, snippet)"
            " VALUES (?,?,?,?,?,?)",
            (st.source, window_id, body_id, url, m.start() + 1, text[m.start():m.start() + 120]))


def import_har(path, st):
    with open(path, encoding="utf-8") as f:
        har = json.load(f)
    bodies = {}
    windows = {}       # document URL -> window id
    page_top = {}
    for i, e in enumerate(har["log"]["entries"]):
        req, resp = e.get("request", {}), e.get("response", {})
        url = req.get("url")
        if not url:
            continue
        hdr = {h["name"].lower(): h["value"] for h in req.get("headers", [])}
        dest = hdr.get("sec-fetch-dest") or (e.get("_resourceType") or "").lower()
        page = e.get("pageref")
        win = None
        if dest in ("document", "iframe", "frame"):
            if dest == "document" and page not in page_top:
                win = st.window(page, "top", url, None, None, 0)
                page_top[page] = win
            else:
                init = e.get("_initiator") or {}
                parent = windows.get(init.get("url")) or windows.get(hdr.get("referer"))
                win = st.window(None, "iframe", url, parent,
                                "known" if parent else "unknown", 0)
            windows[url] = win
            st.db.execute("INSERT INTO documents(window_id, seq, url, origin_id)"
                          " VALUES (?,1,?,?)",
                          (win, url, st.origin(origin_of(url))))
        else:
            win = windows.get(hdr.get("referer")) or page_top.get(page)
        content = resp.get("content") or {}
        text = content.get("text")
        body_id = None
        if text is not None:
            data = (base64.b64decode(text) if content.get("encoding") == "base64"
                    else text.encode("utf-8"))
            h = hashlib.sha256(data).hexdigest()
            body_id = bodies.get(h)
            if body_id is None:
                body_id = st.db.execute(
                    "INSERT INTO bodies(sha256, size, mime, data) VALUES (?,?,?,?)",
                    (h, len(data), content.get("mimeType"), data)).lastrowid
                bodies[h] = body_id
                mime = content.get("mimeType") or ""
                if "javascript" in mime or "html" in mime:
                    scan_body(st, win, body_id, url, data.decode("utf-8", "replace"))
        st.db.execute(
            "INSERT INTO requests(source_id, window_id, entry_index, url, method, status,"
            " mime, dest, started_at, body_id, req_headers, resp_headers)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (st.source, win, i, url, req.get("method"), resp.get("status"),
             content.get("mimeType"), dest, e.get("startedDateTime"), body_id,
             json.dumps([[h["name"], h["value"]] for h in req.get("headers", [])]),
             json.dumps([[h["name"], h["value"]] for h in resp.get("headers", [])])))


def import_trace(path, st):
    frames = {}
    pending = {}
    flow_of = {}
    db = st.db
    with open(path, encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            t = o.get("type")
            if t == "message":
                data = json.dumps(o.get("data"), separators=(",", ":"), ensure_ascii=False)
                s, r = frames.get(o.get("sender")), frames.get(o.get("receiver"))
                key = reply = None
                d = o.get("data")
                if isinstance(d, dict) and "id" in d:
                    key = str(d["id"])
                    reply = pending.pop((key, o.get("receiver"), o.get("sender")), None)
                mid = db.execute(
                    "INSERT INTO messages(source_id, ext_id, ts, sender_window_id,"
                    " receiver_window_id, sender_origin_id, receiver_origin_id, target_origin,"
                    " via, port, data_json, data_preview, size, reply_to)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (st.source, o.get("id"), o.get("ts"), s, r,
                     st.origin(o.get("sender_origin")), st.origin(o.get("receiver_origin")),
                     o.get("target_origin"), o.get("via") or "window", o.get("port"),
                     data, data[:PREVIEW_MAX], len(data), reply)).lastrowid
                db.execute("INSERT INTO messages_fts(rowid, data_json) VALUES (?,?)", (mid, data))
                flow = flow_of.get(reply, mid) if reply else mid
                flow_of[mid] = flow
                if key is not None and reply is None:
                    pending[(key, o.get("sender"), o.get("receiver"))] = mid
            elif t == "frame":
                frames[o["id"]] = st.window(o["id"], o.get("kind", "iframe"), o.get("url"),
                                            frames.get(o.get("parent")), "known", o.get("ts"))
            elif t == "listener":
                db.execute(
                    "INSERT INTO listeners(source_id, window_id, script_url, line, col, code,"
                    " found_by) VALUES (?,?,?,?,?,?,?)",
                    (st.source, frames.get(o.get("frame")), o.get("script_url"), o.get("line"),
                     o.get("col"), o.get("source"), "trace"))
    db.executemany("UPDATE messages SET flow_id=? WHERE id=?",
                   ((fl, m) for m, fl in flow_of.items()))


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("har", "trace"):
        sys.stderr.write(__doc__)
        return 2
    st = Store(sys.argv[3], sys.argv[4])
    (import_har if sys.argv[1] == "har" else import_trace)(sys.argv[2], st)
    st.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
