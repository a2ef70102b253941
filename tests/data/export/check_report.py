#!/usr/bin/env python3
"""check_report.py REPORT.md [options] - structure checks of a pmscope report.

Parses the report with cmark (the CommonMark reference implementation,
`cmark --to xml`) and checks what a renderer would show: one title,
the fixed section headings, one heading per finding, no raw HTML, links,
images or emphasis coming from data, fences that close, code blocks only
of the kinds the report writes.  GFM tables (not in cmark core) are checked
line by line: every row has the header's number of cells.  Mermaid blocks
may only hold the report's own statements with escaped labels (sequence
diagrams of flows, the flowchart of the origin graph).  Then the report is
parsed again with cmark-gfm and its table extension, as GitHub
renders it: it finds every table, each row with the header's cells, no
strikethrough, and the summary as a table whose rows are the findings in
heading order, each title the start of its finding's full title, cut at
a word boundary.

Options:
  --findings N       number of findings expected
  --heading TEXT     a heading whose rendered text is exactly TEXT
  --text TEXT        TEXT occurs in one rendered text node
  --code TEXT        TEXT occurs inside a code block
  --present TEXT     TEXT occurs in the raw file
  --absent TEXT      TEXT does not occur in the raw file
  --name NAME        prefix for the PASS/FAIL lines
Prints "PASS: ..." / "FAIL: ..." lines (tests/lib.sh style).
"""
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

NS = "{http://commonmark.org/xml/1.0}"
H4 = {"Frame path", "Evidence", "Listener and origin check", "Send site",
      "Message flow", "Analyst's note", "Note", "Proof of concept"}
# What Mermaid acts on in a sequence diagram's text (comments, statement
# breaks, entity codes, HTML) and the fence's backtick never appear raw.
MERMAID_SAFE = r"[^#;%<>&`\x00-\x1f\x7f]"
MERMAID_LABEL = r"(?:%s|#[0-9]+;)*" % MERMAID_SAFE
# A flowchart's quoted labels: a plain alphabet, characters beyond ASCII
# that are not hidden, and entity codes for everything else.
FLOW_LABEL = (r"(?:[A-Za-z0-9 .:/\-_,+=@!?*'()~]|#[0-9]+;|"
              r"[^\x00-\x7f\x80-\x9f\u00ad\u200b-\u200f\u2028-\u202e"
              r"\u2060-\u2069\ufeff])*")

args = sys.argv[1:]
path = args.pop(0)
opts = {"findings": None, "name": "report"}
lists = {"heading": [], "text": [], "code": [], "present": [], "absent": []}
while args:
    k = args.pop(0).lstrip("-")
    v = args.pop(0)
    if k in lists:
        lists[k].append(v)
    else:
        opts[k] = v
name = opts["name"]


def check(label, ok, detail=""):
    print(("PASS: " if ok else "FAIL: ") + name + ": " + label)
    if not ok and detail:
        print("  " + str(detail)[:600])


raw = open(path, encoding="utf-8").read()
res = subprocess.run(["cmark", "--to", "xml"], input=raw.encode(),
                     capture_output=True)
check("cmark parses", res.returncode == 0, res.stderr)
root = ET.fromstring(res.stdout)


def text_of(node):
    out = []
    for n in node.iter():
        if n.tag in (NS + "text", NS + "code"):
            out.append(n.text or "")
        elif n.tag in (NS + "softbreak", NS + "linebreak"):
            out.append(" ")
    return "".join(out)


heads = {1: [], 2: [], 3: [], 4: [], 5: [], 6: []}
for h in root.iter(NS + "heading"):
    heads[int(h.get("level"))].append(text_of(h))
check("one title", heads[1] == ["postMessage findings report"], heads[1])
nf = int(opts["findings"]) if opts["findings"] is not None else None
want2 = (["Summary", "Origin graph", "Findings", "Sources"] if nf != 0
         else ["Summary", "Sources"])
check("section headings", heads[2] == want2, heads[2])
if nf is not None:
    check("one heading per finding", len(heads[3]) == nf, heads[3])
check("finding headings", all(re.match(r"Finding \d+: ", h) for h in heads[3]),
      heads[3])
check("subsection headings", set(heads[4]) <= H4, set(heads[4]) - H4)
check("no deeper headings", not heads[5] and not heads[6])
for want in lists["heading"]:
    allh = sum(heads.values(), [])
    check("heading %r" % want[:40], want in allh, allh)

bad = [n.tag[len(NS):] for n in root.iter()
       if n.tag in (NS + "html_block", NS + "html_inline", NS + "link",
                    NS + "image", NS + "emph", NS + "thematic_break")]
check("no html, links, images or emphasis", not bad, bad)

blocks = list(root.iter(NS + "code_block"))
infos = [b.get("info") for b in blocks]
# text: a send's stack recorded at the sender
check("code blocks are json/js/html/mermaid/text",
      all(i in ("json", "js", "html", "mermaid", "text") for i in infos), infos)
for q in root.iter(NS + "block_quote"):
    kids = [c.tag[len(NS):] for c in q]
    check("block quote holds only paragraphs",
          all(k == "paragraph" for k in kids), kids)
for lst in root.iter(NS + "list"):
    for item in lst:
        t = text_of(item)
        check("list item is the report's own",
              re.match(r"(window \d+, |Origin check: |Sinks: |\(further)", t)
              is not None, t[:80])

texts = [n.text or "" for n in root.iter(NS + "text")]
for want in lists["text"]:
    check("text %r" % want[:40], any(want in t for t in texts))
codes = [b.text or "" for b in blocks]
for want in lists["code"]:
    check("code %r" % want[:40], any(want in c for c in codes))
for want in lists["present"]:
    check("present %r" % want[:40], want in raw)
for want in lists["absent"]:
    check("absent %r" % want[:40], want not in raw)

# Fences: track them the way CommonMark does and count the blocks.
fence = None
nfences = 0
table = []
tables = []
for line in raw.split("\n"):
    m = re.match(r"^ {0,3}(`{3,})(.*)$", line)
    if fence is None and m:
        fence = len(m.group(1))
        nfences += 1
        continue
    if fence is not None:
        if m and len(m.group(1)) >= fence and m.group(2).strip() == "":
            fence = None
        continue
    if line.startswith("|"):
        table.append(line)
    elif table:
        tables.append(table)
        table = []
if table:
    tables.append(table)
check("every fence closes", fence is None)
check("fences match cmark code blocks", nfences == len(blocks),
      (nfences, len(blocks)))


def cells(row):
    out, cur, i = [], "", 0
    while i < len(row):
        c = row[i]
        if c == "\\" and i + 1 < len(row):
            cur += row[i:i + 2]
            i += 2
            continue
        if c == "|":
            out.append(cur)
            cur = ""
        else:
            cur += c
        i += 1
    out.append(cur)
    return out[1:-1] if row.endswith("|") else out[1:]


for t in tables:
    n = len(cells(t[0]))
    check("table delimiter row", len(t) > 1 and
          re.match(r"^\|(\s*:?-+:?\s*\|)+$", t[1]) is not None, t[:2])
    widths = [len(cells(r)) for r in t]
    check("table rows have %d cells" % n, all(w == n for w in widths),
          list(zip(widths, t)))

def check_flowchart(lines):
    """The origin graph: nodes declared once, then edges between them."""
    nodes, bad = set(), []
    for ln in lines[1:]:
        m = re.fullmatch(r'    (n\d+)\["%s"\]' % FLOW_LABEL, ln)
        if m and m.group(1) not in nodes:
            nodes.add(m.group(1))
            continue
        m = re.fullmatch(r'    (n\d+) (?:-->|-\.->)\|"%s"\| (n\d+)' % FLOW_LABEL,
                         ln)
        if m and m.group(1) in nodes and m.group(2) in nodes:
            continue
        if ln == "    classDef top stroke-width:3px":
            continue
        m = re.fullmatch(r"    class (n\d+(?:,n\d+)*) top", ln)
        if m and set(m.group(1).split(",")) <= nodes:
            continue
        bad.append(ln)
    check("origin graph has only escaped labels", nodes and not bad, bad[:3])


for b in blocks:
    if b.get("info") != "mermaid":
        continue
    lines = (b.text or "").rstrip("\n").split("\n")
    if lines[0] == "flowchart LR":
        check_flowchart(lines)
        continue
    ok = lines[0] == "sequenceDiagram"
    bad = []
    for ln in lines[1:]:
        if re.fullmatch(r"    participant P\d+ as %s+" % MERMAID_SAFE, ln):
            continue
        if re.fullmatch(r"    P\d+-?->>P\d+: %s" % MERMAID_LABEL, ln):
            continue
        if re.fullmatch(r"    Note over P\d+,P\d+: evidence", ln):
            continue
        bad.append(ln)
    check("mermaid has only escaped labels", ok and not bad, bad[:3])

# GitHub renders the report as GFM: parse it again with cmark-gfm and its
# table extension, as GitHub does, and check the tables it finds.
res = subprocess.run(["cmark-gfm", "-e", "table", "-e", "strikethrough",
                      "--to", "xml"], input=raw.encode(), capture_output=True)
check("cmark-gfm parses", res.returncode == 0, res.stderr)
groot = ET.fromstring(res.stdout)
gtables = list(groot.iter(NS + "table"))
check("cmark-gfm finds every table", len(gtables) == len(tables),
      (len(gtables), len(tables)))
check("no strikethrough from data",
      not list(groot.iter(NS + "strikethrough")))
for t in gtables:
    rows = [r for r in t if r.tag in (NS + "table_header", NS + "table_row")]
    n = len(rows[0]) if rows else 0
    check("gfm table rows have %d cells" % n,
          all(len(r) == n for r in rows), [len(r) for r in rows])
summary = None
kids = list(groot)
for i, k in enumerate(kids):
    if k.tag == NS + "heading" and text_of(k) == "Summary":
        summary = kids[i + 1] if i + 1 < len(kids) else None
        break
if nf != 0:
    check("summary is a gfm table", summary is not None and
          summary.tag == NS + "table",
          summary.tag if summary is not None else None)
    if summary is not None and summary.tag == NS + "table":
        head = [text_of(c) for c in summary.find(NS + "table_header")]
        check("summary header", head == ["#", "Severity", "Title",
                                         "Receiver origin", "Sender origin",
                                         "Status"], head)
        rows = [[text_of(c) for c in r] for r in summary.findall(NS + "table_row")]
        if nf is not None:
            check("summary has one row per finding", len(rows) == nf,
                  len(rows))
        ids = [re.match(r"Finding (\d+): ", h) for h in heads[3]]
        check("summary rows are the findings, in order",
              [r[0] for r in rows] == [m.group(1) for m in ids if m],
              ([r[0] for r in rows], heads[3]))
        for r, h in zip(rows, heads[3]):
            full = h.split(": ", 1)[1] if ": " in h else ""
            title = r[2]
            short = title[:-1] if title.endswith("\u2026") else title
            check("summary title %r starts its finding's title" % title[:30],
                  full.startswith(short) and (short == full or
                                              full[len(short):][:1] in " ,;/&?="
                                              or short[-1:] in ",;/&?="),
                  (title, full))
