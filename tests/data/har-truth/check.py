#!/usr/bin/env python3
"""check.py - compare the windows pmscope rebuilt from one HAR file with a
truth file written by reading the file's entries (tests/cli/har_truth.sh).

usage: check.py PMSCOPE WORKSPACE TRUTH.tsv

The workspace holds exactly one import of the HAR.  The truth file has one
row per fact, tab-separated: KIND ENTRY URL PARENT (# starts a comment).
ENTRY is the 0-based index in log.entries, or - for a document that the
file knows only through the Referer or initiator of the requests made from
inside it.  PARENT is an entry index, a URL, or - (not shown).

  top    the document is a top-level window (no parent)
  popup  the document is a popup window opened by PARENT's window
  frame  the document is an iframe window; its parent is PARENT's window
         (when PARENT is -, only the kind is checked)
  same   the document is in the same window as PARENT (a client-side
         redirect, the same load written twice)
  hop    a redirect response: no window holds its URL as a document, and
         its request belongs to PARENT's window (the chain's end) or none
  nodoc  not a document (failed load, HTML fetched by a script, an image
         answered with HTML): no window holds its URL as a document

Besides the rows: every window's document URLs must be documents of the
truth.  Prints one line "SCORE tops T/T frames F/F (P%) ..." and one line
per wrong fact; exits 0 when all tops, same, hop and nodoc facts hold, no
other window exists and at least 90% of the frames are right.
"""
import json
import sqlite3
import subprocess
import sys

pmscope, ws, truth_path = sys.argv[1:4]
out = subprocess.run([pmscope, "ls", "-w", ws, "--json", "windows"],
                     check=True, capture_output=True, text=True).stdout
windows = {w["id"]: w for w in json.loads(out)}
db = sqlite3.connect(ws)
entry_window = dict(db.execute(
    "SELECT entry_index, window_id FROM requests WHERE window_id IS NOT NULL"))
docs = {wid: {w["url"]} for wid, w in windows.items()}
for wid, url in db.execute("SELECT window_id, url FROM documents"):
    docs.setdefault(wid, set()).add(url)
# a redirect hop is not a document, whatever the window's row says
by_url = {}
for wid, urls in docs.items():
    for u in urls:
        by_url.setdefault(u, set()).add(wid)

rows = []
for n, line in enumerate(open(truth_path, encoding="utf-8"), 1):
    line = line.rstrip("\n")
    if not line.strip() or line.lstrip().startswith("#"):
        continue
    f = line.split("\t")
    if len(f) != 4 or f[0] not in ("top", "popup", "frame", "same", "hop",
                                   "nodoc"):
        sys.exit(f"{truth_path}:{n}: expected KIND<TAB>ENTRY<TAB>URL<TAB>PARENT")
    rows.append((n, *f))

entry_url = {}
for n, kind, entry, url, parent in rows:
    if entry != "-":
        entry_url[int(entry)] = url
for idx, url in db.execute("SELECT entry_index, url FROM requests"):
    if idx in entry_url and entry_url[idx] != url:
        sys.exit(f"{truth_path}: entry {idx} is {url}, not {entry_url[idx]}")


def window_of(entry, url):
    """The window holding this document, or None."""
    if entry != "-":
        wid = entry_window.get(int(entry))
        return wid if wid in docs and url in docs[wid] else None
    ids = by_url.get(url, set())
    return min(ids) if ids else None


def parent_window(parent):
    if parent == "-":
        return None
    if parent.isdigit():
        return entry_window.get(int(parent))
    ids = by_url.get(parent, set())
    return min(ids) if ids else None


errors = []
frame_errors = []
tops = [0, 0]
frames = [0, 0]
truth_docs = set()
for n, kind, entry, url, parent in rows:
    where = f"line {n}: {kind} {url}"
    if kind in ("top", "popup", "frame", "same"):
        truth_docs.add(url)
    wid = (window_of(entry, url) if kind in ("top", "popup", "frame", "same")
           else None)
    w = windows.get(wid)
    if kind == "top":
        tops[1] += 1
        if w and w["kind"] in ("top", "popup") and w["parent"] is None:
            tops[0] += 1
        else:
            errors.append(f"{where}: not a top window ({w and w['kind']})")
    elif kind == "popup":
        tops[1] += 1
        if (w and w["kind"] == "popup" and w["parent"] is None and
                w["opener"] == parent_window(parent)):
            tops[0] += 1
        else:
            errors.append(f"{where}: not a popup opened by {parent} "
                          f"({w and w['kind']}, opener {w and w['opener']})")
    elif kind == "frame":
        frames[1] += 1
        want = parent_window(parent)
        if w and w["kind"] == "iframe" and (parent == "-" or
                                             (want and w["parent"] == want)):
            frames[0] += 1
        else:
            got = w and windows.get(w["parent"])
            frame_errors.append(f"{where}: {w and w['kind']} under "
                                f"{got['url'] if got else None}, want "
                                f"iframe under {parent}")
    elif kind == "same":
        if wid is None or wid != parent_window(parent):
            errors.append(f"{where}: window {wid}, want the window of {parent}")
    else:
        if url in by_url:
            errors.append(f"{where}: is a document of window(s) "
                          f"{sorted(by_url[url])}")
        if kind == "hop" and entry != "-":
            got = entry_window.get(int(entry))
            if got is not None and got != parent_window(parent):
                errors.append(f"{where}: request in window {got}, want "
                              f"the window of {parent}")
extra = sorted(u for u in by_url if u not in truth_docs)
for u in extra:
    errors.append(f"window(s) {sorted(by_url[u])} hold {u}, not a document "
                  "of the truth")
pct = 100.0 * frames[0] / frames[1] if frames[1] else 100.0
ok = pct >= 90.0 and not errors
print(f"SCORE tops {tops[0]}/{tops[1]} frames {frames[0]}/{frames[1]} "
      f"({pct:.0f}%) other errors {len(errors)}")
for e in errors + frame_errors:
    print("  " + e)
sys.exit(0 if ok else 1)
