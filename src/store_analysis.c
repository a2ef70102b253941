/*
 * store_analysis.c - the store side of analysis: iterating script bodies,
 * listeners and messages for the analysis passes, and writing their
 * results (listener classification, scanned listeners and send sites,
 * flows, suggested findings) so that re-running a pass updates rows in
 * place instead of adding duplicates.  Declarations in store.h.
 */
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "store_int.h"
#include "store_schema.h"

/* ---- reading large values --------------------------------------------- */

/*
 * Read table.column of row rowid (a blob or text of any size) into one
 * malloc'd, NUL-terminated buffer.  The incremental blob interface copies
 * the value from the database pages straight into it: selecting the
 * column would first assemble it in the statement, then the caller would
 * copy it again, two copies of a value that can be an input's largest.
 */
static enum pm_rc
read_value(struct pm_store *st, const char *table, const char *column,
           int64_t rowid, char **out, size_t *len, struct pm_err *err)
{
    sqlite3 *db = store_db(st);
    sqlite3_blob *b = NULL;
    *out = NULL;
    *len = 0;
    if (sqlite3_blob_open(db, "main", table, column, rowid, 0, &b) !=
        SQLITE_OK) {
        sqlite3_blob_close(b);
        return store_db_error(st, err, "reading a stored value");
    }
    int n = sqlite3_blob_bytes(b);
    char *buf = xmalloc((size_t)n + 1);
    if (n > 0 && sqlite3_blob_read(b, buf, n, 0) != SQLITE_OK) {
        free(buf);
        sqlite3_blob_close(b);
        return store_db_error(st, err, "reading a stored value");
    }
    sqlite3_blob_close(b);
    buf[n] = '\0';
    *out = buf;
    *len = (size_t)n;
    return PM_OK;
}

/* ---- script bodies ----------------------------------------------------- */

enum pm_rc
store_each_script_body_copy(struct pm_store *st, int64_t source_id,
                            pm_script_body_cb cb, void *ctx,
                            struct pm_err *err)
{
    /*
     * One row per step (keyset on the request id) so the callback can write;
     * the NOT EXISTS skips a body already seen in the same window.  The
     * unary + keeps the plan on the rowid range in id order, so a step stops
     * at the next script; on requests_source every step re-read and sorted
     * (bodies included) all of the source's requests: quadratic, 40 s for
     * the first 300 scripts of a 5000-entry HAR.
     */
    static const char sql[] =
        "SELECT r.id, r.window_id, r.body_id, r.url,"
        " coalesce(r.mime, b.mime), r.dest"
        " FROM requests r JOIN bodies b ON b.id = r.body_id"
        " WHERE +r.source_id = ?1 AND r.id > ?2"
        " AND (lower(coalesce(r.mime, b.mime, '')) LIKE '%javascript%'"
        "  OR lower(coalesce(r.mime, b.mime, '')) LIKE '%ecmascript%'"
        "  OR lower(coalesce(r.mime, b.mime, '')) LIKE '%html%'"
        "  OR r.dest IN ('script', 'document', 'iframe', 'frame', 'worker',"
        "   'sharedworker', 'serviceworker'))"
        " AND NOT EXISTS (SELECT 1 FROM requests p WHERE p.source_id = ?1"
        "  AND p.body_id = r.body_id AND p.id < r.id"
        "  AND coalesce(p.window_id, 0) = coalesce(r.window_id, 0))"
        " ORDER BY r.id LIMIT 1";
    int64_t after = 0;
    for (;;) {
        sqlite3_stmt *s = store_stmt_fmt(st, err, sql, "II", source_id, after);
        if (s == NULL)
            return err->rc;
        int rc = sqlite3_step(s);
        if (rc == SQLITE_DONE) {
            sqlite3_reset(s);
            return PM_OK;
        }
        if (rc != SQLITE_ROW)
            return store_step_error(st, s, err, "reading script bodies");
        const char *url = store_col_text(s, 3), *mime = store_col_text(s, 4),
                   *dest = store_col_text(s, 5);
        char *url_c = url ? xstrdup(url) : NULL;
        char *mime_c = mime ? xstrdup(mime) : NULL;
        char *dest_c = dest ? xstrdup(dest) : NULL;
        struct pm_script_body b = {
            .request_id = sqlite3_column_int64(s, 0),
            .window_id = sqlite3_column_int64(s, 1),
            .body_id = sqlite3_column_int64(s, 2),
            .url = url_c, .mime = mime_c, .dest = dest_c,
        };
        sqlite3_reset(s);
        after = b.request_id;
        char *data;
        size_t n;
        if (read_value(st, "bodies", "data", b.body_id, &data, &n, err)) {
            free(url_c);
            free(mime_c);
            free(dest_c);
            return err->rc;
        }
        b.data = data;
        b.size = n;
        int stop = cb(&b, ctx);
        free(data);
        free(url_c);
        free(mime_c);
        free(dest_c);
        if (stop || err->rc)
            return err->rc;
    }
}

/* ---- listeners --------------------------------------------------------- */

enum pm_rc
store_each_listener_code_copy(struct pm_store *st, int64_t source_id,
                              pm_listener_code_cb cb, void *ctx,
                              struct pm_err *err)
{
    static const char sql[] =
        "SELECT id, line, col FROM listeners"
        " WHERE (?1 = 0 OR source_id = ?1) AND id > ?2"
        " AND found_by <> 'scan' AND code IS NOT NULL AND code <> ''"
        " ORDER BY id LIMIT 1";
    int64_t after = 0;
    for (;;) {
        sqlite3_stmt *s = store_stmt_fmt(st, err, sql, "II", source_id, after);
        if (s == NULL)
            return err->rc;
        int rc = sqlite3_step(s);
        if (rc == SQLITE_DONE) {
            sqlite3_reset(s);
            return PM_OK;
        }
        if (rc != SQLITE_ROW)
            return store_step_error(st, s, err, "reading listeners");
        after = sqlite3_column_int64(s, 0);
        long line = (long)sqlite3_column_int64(s, 1);
        long col = (long)sqlite3_column_int64(s, 2);
        sqlite3_reset(s);
        char *code;
        size_t n;
        if (read_value(st, "listeners", "code", after, &code, &n, err))
            return err->rc;
        int stop = cb(after, code, line, col, ctx);
        free(code);
        if (stop || err->rc)
            return err->rc;
    }
}

enum pm_rc
store_listener_set_analysis(struct pm_store *st, int64_t id,
                            const struct pm_listener_analysis *a,
                            struct pm_err *err)
{
    /* the check's position is kept only when it is known (line > 0) */
    static const char sql[] =
        "UPDATE listeners SET check_kind=?1, check_expr=?2,"
        " check_line=CASE WHEN ?3 > 0 THEN ?3 END,"
        " check_col=CASE WHEN ?3 > 0 THEN ?4 END, sinks=?5, replies=?6,"
        " reply_target=?7, target=coalesce(?8, target) WHERE id=?9";
    return store_exec_fmt(
        st, err, "saving listener analysis", sql, "ttIItittI", a->check_kind,
        a->check_expr && a->check_expr[0] ? a->check_expr : NULL,
        (int64_t)a->check_line, (int64_t)a->check_col, a->sinks, a->replies,
        a->reply_target && a->reply_target[0] ? a->reply_target : NULL,
        a->target, id);
}

/*
 * A recorded listener without code (a crawl that logged no handler
 * source) takes the analysis of the scanned listener on its script and
 * line; of several, the lowest-numbered one.  Each recorded listener finds
 * it with one lookup on listeners_scan_line; joined on script and line
 * directly, a script whose handlers share a line paired each recorded
 * listener with every scanned one.
 */
enum pm_rc
store_adopt_scan_analysis(struct pm_store *st, long *n, struct pm_err *err)
{
    static const char sql[] =
        "UPDATE listeners AS l SET check_kind = x.check_kind,"
        " check_expr = x.check_expr, check_line = x.check_line,"
        " check_col = x.check_col, sinks = x.sinks, replies = x.replies,"
        " reply_target = x.reply_target, target = coalesce(l.target, x.target)"
        " FROM (SELECT r.id AS lid, (SELECT c.id FROM listeners c"
        "   WHERE c.found_by = 'scan' AND c.script_url = r.script_url"
        "   AND c.line = r.line AND c.check_kind IS NOT NULL"
        "   ORDER BY c.id LIMIT 1) AS xid"
        "  FROM listeners r WHERE r.found_by <> 'scan'"
        "  AND coalesce(r.code, '') = '' AND r.line > 0"
        "  AND r.script_url IS NOT NULL) AS k"
        " JOIN listeners AS x ON x.id = k.xid"
        " WHERE l.id = k.lid"
        " AND (l.check_kind IS NOT x.check_kind OR l.sinks IS NOT x.sinks"
        "  OR l.check_expr IS NOT x.check_expr)";
    if (store_exec_fmt(st, err, "adopting scanned analysis", sql, ""))
        return err->rc;
    if (n)
        *n += sqlite3_changes(store_db(st));
    return PM_OK;
}

enum pm_rc
store_link_listener_copies(struct pm_store *st, struct pm_err *err)
{
    static const char link[] = STORE_LINK_LISTENER_COPIES_SQL;
    static const char move[] = STORE_MOVE_COPY_FINDINGS_SQL;
    if (store_exec_fmt(st, err, "linking listeners seen twice", link, ""))
        return err->rc;
    return store_exec_fmt(st, err, "moving findings of listener copies", move,
                          "");
}

enum pm_rc
store_link_send_site_copies(struct pm_store *st, struct pm_err *err)
{
    /* the recorded call nearest on the same line of the same script */
    static const char *const sql[] = {
        "UPDATE send_sites AS c SET same_as = (SELECT r.id FROM send_sites r"
        "  WHERE r.stack IS NOT NULL AND r.body_id IS NULL"
        "  AND r.window_id = c.window_id AND r.line = c.line"
        "  AND r.script_url = c.script_url"
        "  AND abs(r.col - c.col) = (SELECT min(abs(q.col - c.col))"
        "   FROM send_sites q WHERE q.stack IS NOT NULL AND q.body_id IS NULL"
        "   AND q.window_id = c.window_id AND q.line = c.line"
        "   AND q.script_url = c.script_url)"
        "  ORDER BY r.id LIMIT 1)"
        " WHERE c.body_id IS NOT NULL AND c.same_as IS NULL",
        "UPDATE send_sites SET"
        " snippet = coalesce(snippet, (SELECT c.snippet FROM send_sites c"
        "  WHERE c.same_as = send_sites.id ORDER BY c.id LIMIT 1)),"
        " target_expr = coalesce((SELECT c.target_expr FROM send_sites c"
        "  WHERE c.same_as = send_sites.id ORDER BY c.id LIMIT 1), target_expr)"
        " WHERE stack IS NOT NULL AND snippet IS NULL",
        "UPDATE findings SET subject_id = (SELECT c.same_as FROM send_sites c"
        "  WHERE c.id = findings.subject_id)"
        " WHERE subject_kind = 'send_site' AND subject_id IN"
        "  (SELECT id FROM send_sites WHERE same_as IS NOT NULL)",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++)
        if (store_exec_fmt(st, err, "linking send sites seen twice", sql[i],
                           ""))
            return err->rc;
    return PM_OK;
}

enum pm_rc
store_upsert_scan_listener(struct pm_store *st, const struct pm_listener_rec *r,
                           int64_t *id_out, struct pm_err *err)
{
    /*
     * window_id IS nullif(?, 0), not coalesce(window_id, 0) = ?: the
     * latter cannot use listeners_window, and a scan of every listener (code
     * included) per scanned handler made a 50 000-entry HAR quadratic.
     * It runs on listeners_position (window, line, col; v4): on the window
     * alone, each handler of a script with thousands read all the ones
     * before it.
     */
    static const char sql[] =
        "SELECT id FROM listeners WHERE source_id=? AND found_by='scan'"
        " AND window_id IS nullif(?, 0) AND coalesce(body_id, 0)=?"
        " AND line=? AND col=? AND script_url IS ? LIMIT 1";
    int found;
    if (store_int64_fmt(st, err, "looking up listener", id_out, &found, sql,
                        "IIIIIt", r->source_id, r->window_id, r->body_id,
                        (int64_t)r->line, (int64_t)r->col, r->script_url))
        return err->rc;
    if (found)
        return PM_OK;
    return store_add_listener(st, r, id_out, err);
}

/* ---- send sites -------------------------------------------------------- */

enum pm_rc
store_upsert_send_site(struct pm_store *st, const struct pm_send_site_rec *r,
                       int64_t *id_out, struct pm_err *err)
{
    /* window_id IS nullif(?, 0): on send_sites_position, as for listeners */
    static const char sel[] =
        "SELECT id FROM send_sites WHERE source_id=?"
        " AND window_id IS nullif(?, 0) AND coalesce(body_id, 0)=?"
        " AND line=? AND col=? AND script_url IS ? LIMIT 1";
    static const char upd[] =
        "UPDATE send_sites SET target_expr=?, target_origin=?, snippet=?,"
        " receiver=? WHERE id=?";
    int found;
    if (store_int64_fmt(st, err, "looking up send site", id_out, &found, sel,
                        "IIIIIt", r->source_id, r->window_id, r->body_id,
                        (int64_t)r->line, (int64_t)r->col, r->script_url))
        return err->rc;
    if (!found)
        return store_add_send_site(st, r, id_out, err);
    return store_exec_fmt(st, err, "updating send site", upd, "ttttI",
                          r->target_expr, r->target_origin, r->snippet,
                          r->receiver, *id_out);
}

enum pm_rc
store_link_message_send_site(struct pm_store *st, int64_t source_id,
                             const char *ext_id, int64_t send_site_id,
                             int *linked, struct pm_err *err)
{
    /* on messages_source (source_id, ext_id) */
    static const char sql[] =
        "UPDATE messages SET send_site_id=? WHERE source_id=? AND ext_id=?";
    *linked = 0;
    if (store_exec_fmt(st, err, "linking a message to its send", sql, "IIt",
                       send_site_id, source_id, ext_id))
        return err->rc;
    *linked = sqlite3_changes(store_db(st)) > 0;
    return PM_OK;
}

/* ---- messages and flows ------------------------------------------------ */

#define FLOW_COLS \
    "m.id, m.ts, m.sender_window_id, m.receiver_window_id," \
    " m.sender_origin_id, m.receiver_origin_id, m.via, m.port, m.data_json," \
    " m.target_origin, m.ext_id, so.text, ro.text," \
    " coalesce(m.data_preview, pm_preview(m.data_json))," \
    " m.reply_to, m.flow_id, m.cause, m.receiver_doc" \
    " FROM messages m LEFT JOIN origins so ON so.id = m.sender_origin_id" \
    " LEFT JOIN origins ro ON ro.id = m.receiver_origin_id"

/* The message of the current row of a FLOW_COLS statement. */
static void
flow_row_read(sqlite3_stmt *s, struct pm_flow_msg *m)
{
    *m = (struct pm_flow_msg){
        .id = sqlite3_column_int64(s, 0),
        .ts = sqlite3_column_double(s, 1),
        .sender_window_id = sqlite3_column_int64(s, 2),
        .receiver_window_id = sqlite3_column_int64(s, 3),
        .sender_origin_id = sqlite3_column_int64(s, 4),
        .receiver_origin_id = sqlite3_column_int64(s, 5),
        .via = store_col_text(s, 6),
        .port = store_col_text(s, 7),
        .data_json = store_col_text(s, 8),
        .target_origin = store_col_text(s, 9),
        .ext_id = store_col_text(s, 10),
        .sender_origin = store_col_text(s, 11),
        .receiver_origin = store_col_text(s, 12),
        .data_preview = store_col_text(s, 13),
        .reply_to = sqlite3_column_int64(s, 14),
        .flow_id = sqlite3_column_int64(s, 15),
        .cause = store_col_text(s, 16),
        .receiver_doc = sqlite3_column_int64(s, 17),
    };
}

static enum pm_rc
each_flow_row(struct pm_store *st, sqlite3_stmt *s, pm_flow_msg_cb cb,
              void *ctx, struct pm_err *err)
{
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct pm_flow_msg m;
        flow_row_read(s, &m);
        if (cb(&m, ctx))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_step_error(st, s, err, "reading messages");
    sqlite3_reset(s);
    return PM_OK;
}

enum pm_rc
store_each_message_by_time(struct pm_store *st, int64_t source_id,
                           pm_flow_msg_cb cb, void *ctx, struct pm_err *err)
{
    /*
     * Only ids are sorted; each message is then read by id.  Sorting whole
     * rows held every message's data in the sorter, next to the copy read
     * for the callback: two more copies of a large value.
     */
    static const char order[] =
        "SELECT id FROM messages WHERE source_id = ? ORDER BY ts, id";
    static const char one[] = "SELECT " FLOW_COLS " WHERE m.id = ?";
    sqlite3_stmt *s = store_stmt(st, order, err);
    if (s == NULL)
        return err->rc;
    sqlite3_bind_int64(s, 1, source_id);
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        sqlite3_stmt *r = store_stmt(st, one, err);
        if (r == NULL) {
            sqlite3_reset(s);
            return err->rc;
        }
        sqlite3_bind_int64(r, 1, sqlite3_column_int64(s, 0));
        int rrc = sqlite3_step(r);
        if (rrc == SQLITE_ROW) {
            struct pm_flow_msg m;
            flow_row_read(r, &m);
            stop = cb(&m, ctx);
        } else if (rrc != SQLITE_DONE) {
            sqlite3_reset(s);
            return store_step_error(st, r, err, "reading messages");
        }
        sqlite3_reset(r);
    }
    if (!stop && rc != SQLITE_DONE)
        return store_step_error(st, s, err, "reading messages");
    sqlite3_reset(s);
    return PM_OK;
}

enum pm_rc
store_set_message_flow(struct pm_store *st, int64_t id, int64_t reply_to,
                       int64_t flow_id, struct pm_err *err)
{
    static const char sql[] =
        "UPDATE messages SET reply_to=?, flow_id=? WHERE id=?"
        " AND (reply_to IS NOT ? OR flow_id IS NOT ?)";
    return store_exec_fmt(st, err, "saving message flow", sql, "RRIRR",
                          reply_to, flow_id, id, reply_to, flow_id);
}

enum pm_rc
store_message_flow_id(struct pm_store *st, int64_t id, int64_t *flow_id,
                      struct pm_err *err)
{
    static const char sql[] =
        "SELECT coalesce(flow_id, id) FROM messages WHERE id=?";
    int found;
    if (store_int64_fmt(st, err, "looking up message", flow_id, &found, sql,
                        "I", id))
        return err->rc;
    if (found)
        return PM_OK;
    return pm_err_set(err, PM_ERR_NOTFOUND, "no message %lld", (long long)id);
}

enum pm_rc
store_each_flow_message(struct pm_store *st, int64_t flow_id,
                        pm_flow_msg_cb cb, void *ctx, struct pm_err *err)
{
    static const char sql[] =
        "SELECT " FLOW_COLS " WHERE m.flow_id = ?1 OR (m.flow_id IS NULL"
        " AND m.id = ?1) ORDER BY m.ts, m.id";
    sqlite3_stmt *s = store_stmt(st, sql, err);
    if (s == NULL)
        return err->rc;
    sqlite3_bind_int64(s, 1, flow_id);
    return each_flow_row(st, s, cb, ctx, err);
}

/* ---- rules ------------------------------------------------------------- */

/*
 * One pass of store_each_rule_listener: the listeners with (untargeted = 0)
 * or without a known target, in id order.  *stopped is set when cb asked
 * to stop.
 */
static enum pm_rc
rule_listener_pass(struct pm_store *st, int64_t source_id, int untargeted,
                   pm_rule_listener_cb cb, void *ctx, int *stopped,
                   struct pm_err *err)
{
    /*
     * Framing headers are those of the listener's document (the one the
     * window showed when it was added; 0 = not known: the current one),
     * known when a HAR or crawl recorded its response.  A document no
     * response was recorded for borrows them from a recorded document
     * with its URL (a trace and a HAR whose windows were not merged).
     */
    static const char sql[] =
        "SELECT l.id, l.window_id, l.check_kind, l.check_expr, l.sinks,"
        " l.script_url, l.line, l.col, l.replies,"
        " coalesce(l.doc_url, d.url, w.url), w.kind,"
        " h.id IS NOT NULL, h.xfo, h.csp, l.target, l.doc"
        " FROM listeners l LEFT JOIN windows w ON w.id = l.window_id"
        " LEFT JOIN documents d ON d.window_id = l.window_id"
        "  AND d.seq = CASE WHEN l.doc > 0 THEN l.doc ELSE"
        "   (SELECT max(x.seq) FROM documents x"
        "    WHERE x.window_id = l.window_id) END"
        " LEFT JOIN documents h ON h.id = CASE"
        "  WHEN d.status IS NOT NULL THEN d.id"
        "  ELSE (SELECT min(x.id) FROM documents x WHERE x.status IS NOT NULL"
        "   AND x.url = coalesce(l.doc_url, d.url, w.url)) END"
        " WHERE (?1 = 0 OR l.source_id = ?1) AND l.same_as IS NULL"
        " AND (l.target IS NULL) = ?2 ORDER BY l.id";
    sqlite3_stmt *s = store_stmt(st, sql, err);
    if (s == NULL)
        return err->rc;
    sqlite3_bind_int64(s, 1, source_id);
    sqlite3_bind_int(s, 2, untargeted);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct pm_rule_listener l = {
            .id = sqlite3_column_int64(s, 0),
            .window_id = sqlite3_column_int64(s, 1),
            .check_kind = store_col_text(s, 2),
            .check_expr = store_col_text(s, 3),
            .sinks = store_col_text(s, 4),
            .script_url = store_col_text(s, 5),
            .line = (long)sqlite3_column_int64(s, 6),
            .col = (long)sqlite3_column_int64(s, 7),
            .replies = sqlite3_column_int(s, 8),
            .window_url = store_col_text(s, 9),
            .window_kind = store_col_text(s, 10),
            .headers_known = sqlite3_column_int(s, 11),
            .xfo = store_col_text(s, 12),
            .csp = store_col_text(s, 13),
            .target = store_col_text(s, 14),
            .doc = sqlite3_column_int64(s, 15),
        };
        if (cb(&l, ctx)) {
            *stopped = 1;
            break;
        }
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_step_error(st, s, err, "reading listeners");
    sqlite3_reset(s);
    return PM_OK;
}

enum pm_rc
store_each_rule_listener(struct pm_store *st, int64_t source_id,
                         pm_rule_listener_cb cb, void *ctx, struct pm_err *err)
{
    /* Those with a known target first: two passes in id order rather than
     * ORDER BY l.target IS NULL, whose sorter held every row, URLs and
     * all, at once. */
    int stopped = 0;
    for (int untargeted = 0; untargeted <= 1 && !stopped; untargeted++)
        if (rule_listener_pass(st, source_id, untargeted, cb, ctx, &stopped,
                               err))
            return err->rc;
    return PM_OK;
}

enum pm_rc
store_each_source_window(struct pm_store *st, int64_t source_id,
                         pm_rule_window_cb cb, void *ctx, struct pm_err *err)
{
    static const char sql[] =
        "SELECT w.id, w.parent_id, w.opener_id, w.kind, w.url, o.text"
        " FROM windows w LEFT JOIN origins o ON o.id = w.origin_id"
        " WHERE ?1 = 0 OR w.id IN (SELECT window_id FROM window_sources"
        "  WHERE source_id = ?1) ORDER BY w.id";
    sqlite3_stmt *s = store_stmt(st, sql, err);
    if (s == NULL)
        return err->rc;
    sqlite3_bind_int64(s, 1, source_id);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct pm_rule_window w = {
            .id = sqlite3_column_int64(s, 0),
            .parent_id = sqlite3_column_int64(s, 1),
            .opener_id = sqlite3_column_int64(s, 2),
            .kind = store_col_text(s, 3),
            .url = store_col_text(s, 4),
            .origin = store_col_text(s, 5),
        };
        if (cb(&w, ctx))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_step_error(st, s, err, "reading windows");
    sqlite3_reset(s);
    return PM_OK;
}

enum pm_rc
store_suggest_finding(struct pm_store *st, const struct pm_suggestion *g,
                      int *created, struct pm_err *err)
{
    static const char sel[] =
        "SELECT id, status, severity, title, coalesce(note, '') FROM findings"
        " WHERE rule=? AND subject_kind=? AND subject_id=?"
        " AND coalesce(subject_key, '')=coalesce(?, '') ORDER BY id LIMIT 1";
    static const char upd[] =
        "UPDATE findings SET severity=?, title=?, note=?,"
        " updated_at=strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id=?";
    static const char ins[] =
        "INSERT INTO findings(subject_kind, subject_id, subject_key, rule,"
        " severity, status, title, note) VALUES(?,?,?,?,?,'suggested',?,?)";
    *created = 0;
    sqlite3_stmt *s = store_stmt_fmt(st, err, sel, "ttIt", g->rule,
                                     g->subject_kind, g->subject_id,
                                     g->subject_key);
    if (s == NULL)
        return err->rc;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        const char *status = store_col_text(s, 1), *sev = store_col_text(s, 2),
                   *title = store_col_text(s, 3), *note = store_col_text(s, 4);
        int verdict = status && strcmp(status, "suggested") != 0;
        int unchanged = sev && title && note && strcmp(sev, g->severity) == 0 &&
                        strcmp(title, g->title) == 0 &&
                        strcmp(note, g->note ? g->note : "") == 0;
        sqlite3_reset(s);
        if (verdict || unchanged)
            return PM_OK; /* the analyst's verdict stands; or nothing to do */
        return store_exec_fmt(st, err, "updating suggested finding", upd,
                              "tttI", g->severity, g->title, g->note, id);
    }
    if (rc != SQLITE_DONE)
        return store_step_error(st, s, err, "looking up finding");
    sqlite3_reset(s);
    if (store_exec_fmt(st, err, "adding suggested finding", ins, "tIttttt",
                       g->subject_kind, g->subject_id, g->subject_key, g->rule,
                       g->severity, g->title, g->note))
        return err->rc;
    *created = 1;
    return PM_OK;
}

/* ---- listing ----------------------------------------------------------- */

struct listener_row_walk {
    pm_listener_row_cb cb;
    void *ctx;
};

/* store_row_fn: decode a listener row and hand it to the caller's cb. */
static int
listener_row_to_cb(sqlite3_stmt *s, void *p)
{
    struct listener_row_walk *w = p;
    struct pm_listener_row r = {
        .id = sqlite3_column_int64(s, 0),
        .source_id = sqlite3_column_int64(s, 1),
        .window_id = sqlite3_column_int64(s, 2),
        .origin = store_col_text(s, 3),
        .script_url = store_col_text(s, 4),
        .found_by = store_col_text(s, 5),
        .check_kind = store_col_text(s, 6),
        .check_expr = store_col_text(s, 7),
        .sinks = store_col_text(s, 8),
        .reply_target = store_col_text(s, 9),
        .line = (long)sqlite3_column_int64(s, 10),
        .col = (long)sqlite3_column_int64(s, 11),
        .check_line = (long)sqlite3_column_int64(s, 12),
        .check_col = (long)sqlite3_column_int64(s, 13),
        .replies = sqlite3_column_int(s, 14),
        .target = store_col_text(s, 15),
        .same_as = sqlite3_column_int64(s, 16),
        .copies = sqlite3_column_int64(s, 17),
        .doc = sqlite3_column_int64(s, 18),
        .doc_url = store_col_text(s, 19),
    };
    return w->cb(&r, w->ctx);
}

enum pm_rc
store_page_listeners(struct pm_store *st, int64_t after, int64_t limit,
                     int all, pm_listener_row_cb cb, void *ctx,
                     struct pm_err *err)
{
    static const char sql[] =
        "SELECT l.id, l.source_id, l.window_id, o.text, l.script_url,"
        " l.found_by, l.check_kind, l.check_expr, l.sinks, l.reply_target,"
        " l.line, l.col, l.check_line, l.check_col, l.replies, l.target,"
        " l.same_as, (SELECT count(*) FROM listeners c WHERE c.same_as = l.id),"
        " l.doc, l.doc_url"
        " FROM listeners l LEFT JOIN windows w ON w.id = l.window_id"
        " LEFT JOIN origins o ON o.id = coalesce(l.origin_id, w.origin_id)"
        " WHERE l.id > ?1 AND (?3 OR l.same_as IS NULL)"
        " ORDER BY l.id LIMIT ?2";
    struct listener_row_walk w = {cb, ctx};
    return store_each_fmt(st, err, "listing listeners", listener_row_to_cb,
                          &w, sql, "IIi", after,
                          limit > 0 ? limit : (int64_t)-1, all != 0);
}

struct send_site_row_walk {
    pm_send_site_row_cb cb;
    void *ctx;
};

/* store_row_fn: decode a send site row and hand it to the caller's cb. */
static int
send_site_row_to_cb(sqlite3_stmt *s, void *p)
{
    struct send_site_row_walk *w = p;
    struct pm_send_site_row r = {
        .id = sqlite3_column_int64(s, 0),
        .source_id = sqlite3_column_int64(s, 1),
        .window_id = sqlite3_column_int64(s, 2),
        .origin = store_col_text(s, 3),
        .script_url = store_col_text(s, 4),
        .target_expr = store_col_text(s, 5),
        .target_origin = store_col_text(s, 6),
        .snippet = store_col_text(s, 7),
        .line = (long)sqlite3_column_int64(s, 8),
        .col = (long)sqlite3_column_int64(s, 9),
    };
    return w->cb(&r, w->ctx);
}

enum pm_rc
store_page_send_sites(struct pm_store *st, int64_t after, int64_t limit,
                      pm_send_site_row_cb cb, void *ctx, struct pm_err *err)
{
    static const char sql[] =
        "SELECT x.id, x.source_id, x.window_id, o.text, x.script_url,"
        " x.target_expr, x.target_origin, x.snippet, x.line, x.col"
        " FROM send_sites x LEFT JOIN windows w ON w.id = x.window_id"
        " LEFT JOIN origins o ON o.id = w.origin_id"
        " WHERE x.id > ? AND x.same_as IS NULL ORDER BY x.id LIMIT ?";
    struct send_site_row_walk w = {cb, ctx};
    return store_each_fmt(st, err, "listing send sites", send_site_row_to_cb,
                          &w, sql, "II", after,
                          limit > 0 ? limit : (int64_t)-1);
}
