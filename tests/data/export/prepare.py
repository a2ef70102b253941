#!/usr/bin/env python3
"""prepare.py WORKSPACE SCENARIO - make an imported test workspace deterministic.

The export tests import a trace with `pmscope import`, then call this to
put in what the analysis would have derived (origin-check class, sinks,
flows) with fixed values, so the report does not change when the analysis
rules are tuned.  Findings the analysis suggested during the import are
removed; the test adds its own through the CLI.  Scenario "hostile" also
adds what an importer would refuse but a crawler database could hold: an
origin and a rule id full of Markdown and HTML.  Scenario "leaks" is a
page whose URLs, listener code and message data hold credentials and
personal data.
"""
import sqlite3
import sys

ws, scenario = sys.argv[1], sys.argv[2]
db = sqlite3.connect(ws)
db.execute("DELETE FROM findings")
db.execute("UPDATE messages SET reply_to=NULL, flow_id=NULL, listener_id=NULL")
db.execute("UPDATE listeners SET check_kind=NULL, check_expr=NULL,"
           " check_line=NULL, check_col=NULL, sinks=NULL")
if scenario == "basic":
    db.execute("UPDATE listeners SET check_kind='indexOf',"
               " check_expr=?, check_line=4, check_col=7, sinks='innerHTML'"
               " WHERE id=1", ("e.origin.indexOf('shop.example') > -1",))
    db.execute("UPDATE listeners SET check_kind='strict', check_expr=?,"
               " check_line=11, check_col=7, sinks='' WHERE id=2",
               ("ev.origin !== 'https://pay.widget.example'",))
    db.execute("UPDATE messages SET flow_id=1, listener_id=1 WHERE id=1")
    db.execute("UPDATE messages SET flow_id=1, reply_to=1, listener_id=2"
               " WHERE id=2")
    # framing headers are the recorded response's, on the window's document
    db.execute("UPDATE windows SET xfo='DENY' WHERE id=3")
    db.execute("UPDATE documents SET xfo='DENY', status=200 WHERE window_id=3")
    db.execute("INSERT INTO findings(subject_kind, subject_id, rule, severity,"
               " status, title) VALUES('message', 3, 'wildcard-sensitive',"
               " 'medium', 'suggested', 'targetOrigin * with a token')")
elif scenario == "hostile":
    db.execute("UPDATE listeners SET check_kind='regex-unanchored',"
               " check_expr=?, check_line=2, check_col=7, sinks='eval,innerHTML'"
               " WHERE id=1",
               ("e.origin.match(/trusted\\.example|other/) `x` <b>",))
    db.execute("UPDATE messages SET flow_id=1 WHERE id IN (1, 2)")
    db.execute("UPDATE messages SET reply_to=1 WHERE id=2")
    db.execute("INSERT INTO origins(text) VALUES(?)",
               ("https://x`|<b>\n-->;#.example",))
    oid = db.execute("SELECT max(id) FROM origins").fetchone()[0]
    db.execute("UPDATE messages SET sender_origin_id=? WHERE id=2", (oid,))
    for table, col in (("windows", "id"), ("documents", "window_id")):
        db.execute("UPDATE %s SET csp=? WHERE %s=2" % (table, col),
                   ("frame-ancestors 'self' | <x>",))
    db.execute("INSERT INTO findings(subject_kind, subject_id, rule, severity,"
               " status, title, note) VALUES('message', 2, ?, 'low',"
               " 'confirmed', ?, ?)",
               ("rule|`x`<i>", "reply to *`*` <u>", "-- note\n```\n| x |"))
elif scenario == "leaks":
    db.execute("UPDATE listeners SET check_kind='none', sinks='innerHTML'"
               " WHERE id=1")
    db.execute("UPDATE messages SET listener_id=1 WHERE id=1")
else:
    sys.exit("unknown scenario " + scenario)
db.commit()
