/*
 * store_schema.c - the workspace schema as an ordered list of migrations.
 *
 * Migration i brings a workspace from user_version i to i+1.  Never edit a
 * migration that has shipped; append a new one and bump PM_SCHEMA_VERSION.
 * Indexes are chosen for the TUI's keyset-paginated reads: every list is
 * read "WHERE <filter> AND id > ? ORDER BY id LIMIT ?".
 */
#include "store_schema.h"

#include "store.h"

static const char schema_v1[] =
    "CREATE TABLE sources("
    " id INTEGER PRIMARY KEY,"
    " path TEXT NOT NULL,"
    " format TEXT NOT NULL,"
    " sha256 TEXT NOT NULL,"
    " size INTEGER NOT NULL,"
    " tool TEXT,"
    " imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
    " n_windows INTEGER NOT NULL DEFAULT 0,"
    " n_requests INTEGER NOT NULL DEFAULT 0,"
    " n_messages INTEGER NOT NULL DEFAULT 0,"
    " n_listeners INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX sources_sha256 ON sources(sha256);"

    "CREATE TABLE origins("
    " id INTEGER PRIMARY KEY,"
    " scheme TEXT, host TEXT, port INTEGER,"
    " text TEXT NOT NULL UNIQUE);"

    "CREATE TABLE windows("
    " id INTEGER PRIMARY KEY,"
    " source_id INTEGER NOT NULL REFERENCES sources(id),"
    " ext_id TEXT,"
    " kind TEXT NOT NULL CHECK(kind IN ('top','iframe','popup','worker')),"
    " url TEXT,"
    " origin_id INTEGER REFERENCES origins(id),"
    " parent_id INTEGER REFERENCES windows(id),"
    " parent_how TEXT CHECK(parent_how IN ('known','inferred','unknown')),"
    " opener_id INTEGER REFERENCES windows(id),"
    " first_seen REAL,"
    " xfo TEXT, csp TEXT,"
    " visit_id INTEGER);"
    "CREATE INDEX windows_ext ON windows(source_id, ext_id);"
    "CREATE INDEX windows_parent ON windows(parent_id);"
    "CREATE INDEX windows_origin ON windows(origin_id);"

    "CREATE TABLE navigations("
    " id INTEGER PRIMARY KEY,"
    " window_id INTEGER NOT NULL REFERENCES windows(id),"
    " url TEXT, origin_id INTEGER REFERENCES origins(id), ts REAL);"
    "CREATE INDEX navigations_window ON navigations(window_id);"

    "CREATE TABLE bodies("
    " id INTEGER PRIMARY KEY,"
    " sha256 TEXT NOT NULL UNIQUE,"
    " size INTEGER NOT NULL,"
    " mime TEXT,"
    " data BLOB NOT NULL);"

    "CREATE TABLE requests("
    " id INTEGER PRIMARY KEY,"
    " source_id INTEGER NOT NULL REFERENCES sources(id),"
    " window_id INTEGER REFERENCES windows(id),"
    " entry_index INTEGER,"
    " url TEXT, method TEXT, status INTEGER, mime TEXT, dest TEXT,"
    " started_at TEXT, ts REAL,"
    " body_id INTEGER REFERENCES bodies(id),"
    " req_headers TEXT, resp_headers TEXT);"
    "CREATE INDEX requests_source ON requests(source_id, entry_index);"
    "CREATE INDEX requests_window ON requests(window_id);"
    "CREATE INDEX requests_body ON requests(body_id, window_id);"

    "CREATE TABLE listeners("
    " id INTEGER PRIMARY KEY,"
    " source_id INTEGER NOT NULL REFERENCES sources(id),"
    " window_id INTEGER REFERENCES windows(id),"
    " body_id INTEGER REFERENCES bodies(id),"
    " script_url TEXT, line INTEGER, col INTEGER,"
    " code TEXT,"
    " code_hash TEXT,"
    " found_by TEXT NOT NULL,"
    " check_kind TEXT,"          /* filled by analysis */
    " check_expr TEXT,"
    " check_line INTEGER, check_col INTEGER,"
    " sinks TEXT,"               /* comma-separated sink names */
    " replies INTEGER NOT NULL DEFAULT 0,"
    " reply_target TEXT,"
    " target TEXT,"              /* window, port, worker (scan) or NULL */
    " origin_id INTEGER REFERENCES origins(id));" /* window's origin when added */
    "CREATE INDEX listeners_window ON listeners(window_id);"
    "CREATE INDEX listeners_check ON listeners(check_kind);"

    "CREATE TABLE send_sites("
    " id INTEGER PRIMARY KEY,"
    " source_id INTEGER NOT NULL REFERENCES sources(id),"
    " window_id INTEGER REFERENCES windows(id),"
    " body_id INTEGER REFERENCES bodies(id),"
    " script_url TEXT, line INTEGER, col INTEGER,"
    " target_expr TEXT, target_origin TEXT, snippet TEXT);"
    "CREATE INDEX send_sites_window ON send_sites(window_id);"

    "CREATE TABLE messages("
    " id INTEGER PRIMARY KEY,"
    " source_id INTEGER NOT NULL REFERENCES sources(id),"
    " ext_id TEXT,"
    " ts REAL,"
    " sender_window_id INTEGER REFERENCES windows(id),"
    " receiver_window_id INTEGER REFERENCES windows(id),"
    " sender_origin_id INTEGER REFERENCES origins(id),"
    " receiver_origin_id INTEGER REFERENCES origins(id),"
    " target_origin TEXT,"
    " via TEXT NOT NULL DEFAULT 'window',"
    " port TEXT,"
    " data_json TEXT,"
    " data_preview TEXT,"
    " size INTEGER NOT NULL DEFAULT 0,"
    " reply_to INTEGER REFERENCES messages(id),"
    " flow_id INTEGER,"
    " listener_id INTEGER REFERENCES listeners(id));"
    "CREATE INDEX messages_receiver_origin ON messages(receiver_origin_id);"
    /* from: pages in id order without a sort (messages_edge orders by receiver) */
    "CREATE INDEX messages_sender_origin ON messages(sender_origin_id);"
    "CREATE INDEX messages_target ON messages(target_origin);"
    "CREATE INDEX messages_flow ON messages(flow_id);"
    "CREATE INDEX messages_source ON messages(source_id, ext_id);"
    "CREATE INDEX messages_edge ON messages(sender_origin_id, receiver_origin_id);"
    "CREATE INDEX messages_sender_window ON messages(sender_window_id);"
    "CREATE INDEX messages_receiver_window ON messages(receiver_window_id);"
    "CREATE INDEX messages_listener ON messages(listener_id);"
    "CREATE VIRTUAL TABLE messages_fts USING fts5("
    " data_json, content='messages', content_rowid='id');"

    "CREATE TABLE findings("
    " id INTEGER PRIMARY KEY,"
    " subject_kind TEXT NOT NULL CHECK(subject_kind IN"
    "  ('message','listener','send_site','window','edge')),"
    " subject_id INTEGER NOT NULL,"   /* edge: the sender origin id */
    " subject_key TEXT,"              /* edge: "SENDER_ORIGIN_ID>RECEIVER_ORIGIN_ID" */
    " rule TEXT,"
    " severity TEXT NOT NULL CHECK(severity IN"
    "  ('critical','high','medium','low','info')),"
    " status TEXT NOT NULL CHECK(status IN ('suggested','confirmed','dismissed')),"
    " title TEXT NOT NULL,"
    " note TEXT,"
    " created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
    " updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
    " recheck_status TEXT, recheck_at TEXT);"
    "CREATE INDEX findings_subject ON findings(subject_kind, subject_id);"
    "CREATE INDEX findings_status ON findings(status);";

/*
 * v2: messages.cause, the trace's id of the message whose handling sent
 * this one (a reply without a correlation field, see flow.c).  And a
 * listener found by the scan of a HAR or crawl that a trace of the
 * same visit also recorded is one listener seen twice.  The scanned row
 * keeps its own data but points at the recorded one (same_as), and lists
 * show the recorded row once.  The UPDATE links the copies already in a
 * v1 workspace; store_link_listener_copies does it after every import.
 */
static const char schema_v2[] =
    "ALTER TABLE listeners ADD COLUMN same_as INTEGER REFERENCES listeners(id);"
    "ALTER TABLE messages ADD COLUMN cause TEXT;"
    "CREATE INDEX listeners_same_as ON listeners(same_as);"
    "CREATE INDEX listeners_script ON listeners(script_url, line);"
    STORE_LINK_LISTENER_COPIES_V2_SQL ";"
    STORE_MOVE_COPY_FINDINGS_SQL ";";

/*
 * v3: the document a listener was added to and the document a message was
 * delivered to, numbered within the window (1 for its first document, +1
 * per navigation; 0 = not known: rows of older workspaces, importers that
 * do not track documents).  A frame that navigates keeps its window row;
 * these keep the listeners of its earlier documents from being taken for
 * receivers of messages delivered to a later one (the REACHED_BY rule,
 * filter_term.c).  doc_url is the URL the window showed when the listener
 * was added (windows.url is the last one), for the rules that look up a
 * document by its URL.
 */
static const char schema_v3[] =
    "ALTER TABLE listeners ADD COLUMN doc INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE listeners ADD COLUMN doc_url TEXT;" /* window's URL when added */
    "ALTER TABLE messages ADD COLUMN receiver_doc INTEGER NOT NULL DEFAULT 0;";

/*
 * v4: why a re-check came out as it did (the line `pmscope recheck`
 * prints), so a finding shows it later, e.g. the reason a result was
 * "inconclusive".
 */
static const char schema_v4[] =
    "ALTER TABLE findings ADD COLUMN recheck_detail TEXT;";

/*
 * v5: indexes that keep an import linear in the listeners and send sites
 * of one window or one script.  The scan's upsert looks a handler up by
 * window and position: on window_id alone every lookup read all of the
 * window's listeners (a script with 20 000 handlers took 79 s).  The
 * window indexes stay: in id order they give a message's first listener
 * (STORE_MESSAGE_LISTENER) without reading the others.  The
 * copy link (STORE_LINK_LISTENER_COPIES_SQL) finds scanned listeners by
 * script and code hash, the adoption of scanned analysis
 * (store_adopt_scan_analysis) by script and line; both only among
 * scanned rows.
 */
static const char schema_v5[] =
    "CREATE INDEX listeners_position ON listeners(window_id, line, col);"
    "CREATE INDEX send_sites_position ON send_sites(window_id, line, col);"
    "CREATE INDEX listeners_scan_code ON listeners(script_url, code_hash)"
    " WHERE found_by = 'scan';"
    "CREATE INDEX listeners_scan_line ON listeners(script_url, line)"
    " WHERE found_by = 'scan';";

/*
 * v6: windows are browsing contexts, documents their history.  The
 * navigations log becomes the documents table: one row per document a
 * window showed, numbered by seq within the window (listeners.doc,
 * messages.receiver_doc and now send_sites.doc refer to it), with the HTTP
 * status and framing headers of its response when a HAR or crawl recorded
 * it.  window_sources says which sources saw a window: importing a trace
 * and a HAR of one visit merges their windows into one (store_visit.c),
 * and each source still counts the windows it held.  sources.clock_ms is
 * the wall-clock time (ms since the epoch) of a source's ts 0, so windows
 * of two sources can be matched by time.  messages.send_site_id is the
 * call that sent a message, when the trace recorded it at the sender (its
 * `send` record: script, line, column, stack in send_sites.stack); the
 * scan's send site for the same call points at that one (same_as), as a
 * scanned listener does at a recorded one.
 *
 * Older workspaces: windows without a document get one from the window
 * row; a window whose first logged navigation came after the window was
 * created (a trace's) gets its initial document from the URL its
 * first-document listeners recorded, so seq lines up with listeners.doc.
 */
static const char schema_v6[] =
    "ALTER TABLE navigations RENAME TO documents;"
    "ALTER TABLE documents ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE documents ADD COLUMN status INTEGER;"
    "ALTER TABLE documents ADD COLUMN xfo TEXT;"
    "ALTER TABLE documents ADD COLUMN csp TEXT;"
    "ALTER TABLE send_sites ADD COLUMN doc INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE messages ADD COLUMN send_site_id INTEGER"
    " REFERENCES send_sites(id);"
    "ALTER TABLE send_sites ADD COLUMN stack TEXT;"
    "ALTER TABLE send_sites ADD COLUMN same_as INTEGER"
    " REFERENCES send_sites(id);"
    "ALTER TABLE sources ADD COLUMN clock_ms REAL;"
    "CREATE TABLE window_sources("
    " window_id INTEGER NOT NULL REFERENCES windows(id),"
    " source_id INTEGER NOT NULL REFERENCES sources(id),"
    " PRIMARY KEY(window_id, source_id)) WITHOUT ROWID;"
    "CREATE INDEX window_sources_source ON window_sources(source_id);"
    "INSERT INTO window_sources(window_id, source_id)"
    " SELECT id, source_id FROM windows;"
    /* a trace window: its navigations start after it was created */
    "INSERT INTO documents(window_id, url, origin_id, ts)"
    " SELECT w.id,"
    "  (SELECT l.doc_url FROM listeners l WHERE l.window_id = w.id"
    "   AND l.doc = 1 AND l.doc_url IS NOT NULL ORDER BY l.id LIMIT 1),"
    "  (SELECT l.origin_id FROM listeners l WHERE l.window_id = w.id"
    "   AND l.doc = 1 ORDER BY l.id LIMIT 1),"
    "  w.first_seen"
    " FROM windows w WHERE (SELECT min(d.ts) FROM documents d"
    "  WHERE d.window_id = w.id) > coalesce(w.first_seen, 0);"
    "INSERT INTO documents(window_id, url, origin_id, ts, xfo, csp)"
    " SELECT w.id, w.url, w.origin_id, w.first_seen, w.xfo, w.csp"
    " FROM windows w WHERE NOT EXISTS"
    "  (SELECT 1 FROM documents d WHERE d.window_id = w.id);"
    "UPDATE documents SET seq = (SELECT count(*) FROM documents d"
    " WHERE d.window_id = documents.window_id AND (d.ts < documents.ts"
    "  OR (d.ts IS documents.ts AND d.id <= documents.id)"
    "  OR (d.ts IS NULL AND documents.ts IS NOT NULL)));"
    /* the response headers recorded for a window were its last document's */
    "UPDATE documents SET xfo = (SELECT w.xfo FROM windows w"
    "  WHERE w.id = documents.window_id),"
    " csp = (SELECT w.csp FROM windows w WHERE w.id = documents.window_id)"
    " WHERE xfo IS NULL AND csp IS NULL AND seq = (SELECT max(d.seq)"
    "  FROM documents d WHERE d.window_id = documents.window_id);"
    "CREATE INDEX documents_seq ON documents(window_id, seq);"
    "CREATE INDEX documents_recorded ON documents(url) WHERE status IS NOT NULL;";

/*
 * v7: the origin graph from code.  send_sites.receiver is what the scan
 * resolved the receiver expression to (analyze_recv.h: parent, top,
 * opener, frame:N, iframe-id:ID, popup:URL, reply, port...).
 * static_sends holds one row per (send site, receiver window document)
 * the window model resolves it to (static_edges.c): the two origins, how
 * the receiver was found, the targetOrigin as written (the literal, or the
 * expression: `e.origin`) and as resolved (an origin, '*', NULL = not
 * known), and whether a browser would deliver it (1, 0, NULL = not known).
 * edge_verdicts holds, for every sender -> receiver origin pair with a
 * static or observed message, each window listener of the receiver
 * origin's documents judged against the sender origin (origin_accept.h).
 * Both are derived: every analysis pass rebuilds them, so a workspace
 * upgraded from v6 gets them on its next `pmscope analyze` or import.
 */
static const char schema_v7[] =
    "ALTER TABLE send_sites ADD COLUMN receiver TEXT;"
    "CREATE TABLE static_sends("
    " id INTEGER PRIMARY KEY,"
    " send_site_id INTEGER NOT NULL REFERENCES send_sites(id),"
    " sender_window_id INTEGER REFERENCES windows(id),"
    " sender_origin_id INTEGER REFERENCES origins(id),"
    " receiver_window_id INTEGER REFERENCES windows(id),"
    " receiver_doc INTEGER NOT NULL DEFAULT 0,"
    " receiver_origin_id INTEGER REFERENCES origins(id),"
    " how TEXT NOT NULL,"
    " target_written TEXT,"
    " target_resolved TEXT,"
    " delivered INTEGER);"
    "CREATE INDEX static_sends_edge ON static_sends(sender_origin_id,"
    " receiver_origin_id);"
    "CREATE INDEX static_sends_site ON static_sends(send_site_id);"
    "CREATE TABLE edge_verdicts("
    " sender_origin_id INTEGER NOT NULL REFERENCES origins(id),"
    " receiver_origin_id INTEGER NOT NULL REFERENCES origins(id),"
    " listener_id INTEGER NOT NULL REFERENCES listeners(id),"
    " verdict TEXT NOT NULL CHECK(verdict IN ('accepted','rejected','unknown')),"
    " why TEXT,"
    " PRIMARY KEY(sender_origin_id, receiver_origin_id, listener_id))"
    " WITHOUT ROWID;";

/*
 * v8: filters on the channel and the size find their first page without
 * reading every message: via has a handful of values, so via:port walks
 * messages_via in id order; size ranges check messages_size's min/max
 * before scanning (filter_term.c); a send site's messages are found
 * through messages_send_site.
 */
static const char schema_v8[] =
    "CREATE INDEX messages_via ON messages(via);"
    "CREATE INDEX messages_size ON messages(size);"
    /* the messages a send site sent (messages.send_site_id), for view 7,
     * `show send` and the filter send:N: without it a site's count read
     * every message its window sent (20 ms a key on a window of 20 000
     * messages); only linked messages are indexed, most have no call */
    "CREATE INDEX messages_send_site ON messages(send_site_id)"
    " WHERE send_site_id IS NOT NULL;";

/*
 * v9: the outcome of `pmscope verify` kept with the finding: "verified" or
 * "not reproduced", when, and the evidence or the reason (verify.c).
 */
static const char schema_v9[] =
    "ALTER TABLE findings ADD COLUMN verify_status TEXT;"
    "ALTER TABLE findings ADD COLUMN verify_at TEXT;"
    "ALTER TABLE findings ADD COLUMN verify_detail TEXT;";

const char *const store_migrations[] = {
    schema_v1,
    schema_v2,
    schema_v3,
    schema_v4,
    schema_v5,
    schema_v6,
    schema_v7,
    schema_v8,
    schema_v9,
};

const int store_migration_count =
    (int)(sizeof store_migrations / sizeof store_migrations[0]);

_Static_assert(sizeof store_migrations / sizeof store_migrations[0] ==
                   PM_SCHEMA_VERSION,
               "one migration per schema version");
