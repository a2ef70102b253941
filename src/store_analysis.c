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
        " coalesce(r.mime, b.mime), r.dest, b.data, b.size"
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
        sqlite3_stmt *s = store_stmt(st, sql, err);
        if (s == NULL)
            return err->rc;
        sqlite3_bind_int64(s, 1, source_id);
        sqlite3_bind_int64(s, 2, after);
        int rc = sqlite3_step(s);
        if (rc == SQLITE_DONE) {
            sqlite3_reset(s);
            return PM_OK;
        }
        if (rc != SQLITE_ROW)
            return store_step_error(st, s, err, "reading script bodies");
        size_t n = (size_t)sqlite3_column_bytes(s, 6);
        const void *blob = sqlite3_column_blob(s, 6);
        char *data = xmalloc(n + 1);
        if (n)
            memcpy(data, blob, n);
        data[n] = '\0';
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
            .data = data, .size = n,
        };
        sqlite3_reset(s);
        after = b.request_id;
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
        "SELECT id, code, line, col FROM listeners"
        " WHERE (?1 = 0 OR source_id = ?1) AND id > ?2"
        " AND found_by <> 'scan' AND code IS NOT NULL AND code <> ''"
        " ORDER BY id LIMIT 1";
    int64_t after = 0;
    for (;;) {
        sqlite3_stmt *s = store_stmt(st, sql, err);
        if (s == NULL)
            return err->rc;
        sqlite3_bind_int64(s, 1, source_id);
        sqlite3_bind_int64(s, 2, after);
        int rc = sqlite3_step(s);
        if (rc == SQLITE_DONE) {
            sqlite3_reset(s);
            return PM_OK;
        }
        if (rc != SQLITE_ROW)
            return store_step_error(st, s, err, "reading listeners");
        after = sqlite3_column_int64(s, 0);
        char *code = xstrdup(store_col_text(s, 1) ? store_col_text(s, 1) : "");
        long line = (long)sqlite3_column_int64(s, 2);
        long col = (long)sqlite3_column_int64(s, 3);
        sqlite3_reset(s);
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
    static const char sql[] =
        "UPDATE listeners SET check_kind=?, check_expr=?, check_line=?,"
        " check_col=?, sinks=?, replies=?, reply_target=?,"
        " target=coalesce(?, target) WHERE id=?";
    sqlite3_stmt *s = store_stmt(st, sql, err);
    if (s == NULL)
        return err->rc;
    store_bind_text(s, 1, a->check_kind);
    store_bind_text(s, 2, a->check_expr && a->check_expr[0] ? a->check_expr : NULL);
    if (a->check_line > 0) {
        sqlite3_bind_int64(s, 3, a->check_line);
        sqlite3_bind_int64(s, 4, a->check_col);
    }
    store_bind_text(s, 5, a->sinks);
    sqlite3_bind_int(s, 6, a->replies);
    store_bind_text(s, 7, a->reply_target && a->reply_target[0] ? a->reply_target
                                                                : NULL);
    store_bind_text(s, 8, a->target);
    sqlite3_bind_int64(s, 9, id);
    return store_step_done(st, s, err, "saving listener analysis");
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
    sqlite3_stmt *s = store_stmt(st, sql, err);
    if (s == NULL)
        return err->rc;
    if (store_step_done(st, s, err, "adopting scanned analysis"))
        return err->rc;
    if (n)
        *n += sqlite3_changes(sqlite3_db_handle(s));
    return PM_OK;
}

enum pm_rc
store_link_listener_copies(struct pm_store *st, struct pm_err *err)
{
    static const char link[] = STORE_LINK_LISTENER_COPIES_SQL;
    static const char move[] = STORE_MOVE_COPY_FINDINGS_SQL;
    sqlite3_stmt *s = store_stmt(st, link, err);
    if (s == NULL || store_step_done(st, s, err, "linking listeners seen twice"))
        return err->rc;
    s = store_stmt(st, move, err);
    if (s == NULL)
        return err->rc;
    return store_step_done(st, s, err, "moving findings of listener copies");
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
        " AND line=? AND col=? LIMIT 1";
    sqlite3_stmt *s = store_stmt(st, sql, err);
    if (s == NULL)
        return err->rc;
    sqlite3_bind_int64(s, 1, r->source_id);
    sqlite3_bind_int64(s, 2, r->window_id);
    sqlite3_bind_int64(s, 3, r->body_id);
    sqlite3_bind_int64(s, 4, r->line);
    sqlite3_bind_int64(s, 5, r->col);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *id_out = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
        return PM_OK;
    }
    if (rc != SQLITE_DONE)
        return store_step_error(st, s, err, "looking up listener");
    sqlite3_reset(s);
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
        " AND line=? AND col=? LIMIT 1";
    static const char upd[] =
        "UPDATE send_sites SET target_expr=?, target_origin=?, snippet=?"
        " WHERE id=?";
    sqlite3_stmt *s = store_stmt(st, sel, err);
    if (s == NULL)
        return err->rc;
    sqlite3_bind_int64(s, 1, r->source_id);
    sqlite3_bind_int64(s, 2, r->window_id);
    sqlite3_bind_int64(s, 3, r->body_id);
    sqlite3_bind_int64(s, 4, r->line);
    sqlite3_bind_int64(s, 5, r->col);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(s);
        return store_add_send_site(st, r, id_out, err);
    }
    if (rc != SQLITE_ROW)
        return store_step_error(st, s, err, "looking up send site");
    *id_out = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    s = store_stmt(st, upd, err);
    if (s == NULL)
        return err->rc;
    store_bind_text(s, 1, r->target_expr);
    store_bind_text(s, 2, r->target_origin);
    store_bind_text(s, 3, r->snippet);
    sqlite3_bind_int64(s, 4, *id_out);
    return store_step_done(st, s, err, "updating send site");
}

/* ---- messages and flows ------------------------------------------------ */

#define FLOW_COLS \
    "m.id, m.ts, m.sender_window_id, m.receiver_window_id," \
    " m.sender_origin_id, m.receiver_origin_id, m.via, m.port, m.data_json," \
    " m.target_origin, m.ext_id, so.text, ro.text, m.data_preview," \
    " m.reply_to, m.flow_id, m.cause, m.receiver_doc" \
    " FROM messages m LEFT JOIN origins so ON so.id = m.sender_origin_id" \
    " LEFT JOIN origins ro ON ro.id = m.receiver_origin_id"

static enum pm_rc
each_flow_row(struct pm_store *st, sqlite3_stmt *s, pm_flow_msg_cb cb,
              void *ctx, struct pm_err *err)
{
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct pm_flow_msg m = {
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
    static const char sql[] =
        "SELECT " FLOW_COLS " WHERE m.source_id = ? ORDER BY m.ts, m.id";
    sqlite3_stmt *s = store_stmt(st, sql, err);
    if (s == NULL)
        return err->rc;
    sqlite3_bind_int64(s, 1, source_id);
    return each_flow_row(st, s, cb, ctx, err);
}

enum pm_rc
store_set_message_flow(struct pm_store *st, int64_t id, int64_t reply_to,
                       int64_t flow_id, struct pm_err *err)
{
    static const char sql[] =
        "UPDATE messages SET reply_to=?, flow_id=? WHERE id=?"
        " AND (reply_to IS NOT ? OR flow_id IS NOT ?)";
    sqlite3_stmt *s = store_stmt(st, sql, err);
    if (s == NULL)
        return err->rc;
    store_bind_id(s, 1, reply_to);
    store_bind_id(s, 2, flow_id);
    sqlite3_bind_int64(s, 3, id);
    store_bind_id(s, 4, reply_to);
    store_bind_id(s, 5, flow_id);
    return store_step_done(st, s, err, "saving message flow");
}

enum pm_rc
store_message_flow_id(struct pm_store *st, int64_t id, int64_t *flow_id,
                      struct pm_err *err)
{
    static const char sql[] =
        "SELECT coalesce(flow_id, id) FROM messages WHERE id=?";
    sqlite3_stmt *s = store_stmt(st, sql, err);
    if (s == NULL)
        return err->rc;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *flow_id = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
        return PM_OK;
    }
    if (rc != SQLITE_DONE)
        return store_step_error(st, s, err, "looking up message");
    sqlite3_reset(s);
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

enum pm_rc
store_each_rule_listener(struct pm_store *st, int64_t source_id,
                         pm_rule_listener_cb cb, void *ctx, struct pm_err *err)
{
    /*
     * Framing headers are known for documents loaded in a HAR or crawl; a
     * trace window borrows them from a HAR/crawl window with the URL of
     * the listener's document (the URL when it was added: a frame that
     * navigated shows another one now).
     */
    static const char sql[] =
        "SELECT l.id, l.window_id, l.check_kind, l.check_expr, l.sinks,"
        " l.script_url, l.line, l.col, l.replies,"
        " coalesce(l.doc_url, w.url), w.kind,"
        " h.id IS NOT NULL, h.xfo, h.csp, l.target, l.doc"
        " FROM listeners l LEFT JOIN windows w ON w.id = l.window_id"
        " LEFT JOIN sources ws ON ws.id = w.source_id"
        " LEFT JOIN windows h ON h.id = CASE"
        "  WHEN ws.format IN ('har', 'openwpm') THEN w.id"
        "  ELSE (SELECT min(x.id) FROM windows x"
        "   JOIN sources xs ON xs.id = x.source_id"
        "   WHERE xs.format IN ('har', 'openwpm')"
        "   AND x.url = coalesce(l.doc_url, w.url)) END"
        " WHERE (?1 = 0 OR l.source_id = ?1) AND l.same_as IS NULL"
        " ORDER BY l.target IS NULL, l.id";
    sqlite3_stmt *s = store_stmt(st, sql, err);
    if (s == NULL)
        return err->rc;
    sqlite3_bind_int64(s, 1, source_id);
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
        if (cb(&l, ctx))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_step_error(st, s, err, "reading listeners");
    sqlite3_reset(s);
    return PM_OK;
}

enum pm_rc
store_each_source_window(struct pm_store *st, int64_t source_id,
                         pm_rule_window_cb cb, void *ctx, struct pm_err *err)
{
    static const char sql[] =
        "SELECT w.id, w.parent_id, w.opener_id, w.kind, w.url, o.text"
        " FROM windows w LEFT JOIN origins o ON o.id = w.origin_id"
        " WHERE (?1 = 0 OR w.source_id = ?1) ORDER BY w.id";
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
    sqlite3_stmt *s = store_stmt(st, sel, err);
    if (s == NULL)
        return err->rc;
    store_bind_text(s, 1, g->rule);
    store_bind_text(s, 2, g->subject_kind);
    sqlite3_bind_int64(s, 3, g->subject_id);
    store_bind_text(s, 4, g->subject_key);
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
        s = store_stmt(st, upd, err);
        if (s == NULL)
            return err->rc;
        store_bind_text(s, 1, g->severity);
        store_bind_text(s, 2, g->title);
        store_bind_text(s, 3, g->note);
        sqlite3_bind_int64(s, 4, id);
        return store_step_done(st, s, err, "updating suggested finding");
    }
    if (rc != SQLITE_DONE)
        return store_step_error(st, s, err, "looking up finding");
    sqlite3_reset(s);
    s = store_stmt(st, ins, err);
    if (s == NULL)
        return err->rc;
    store_bind_text(s, 1, g->subject_kind);
    sqlite3_bind_int64(s, 2, g->subject_id);
    store_bind_text(s, 3, g->subject_key);
    store_bind_text(s, 4, g->rule);
    store_bind_text(s, 5, g->severity);
    store_bind_text(s, 6, g->title);
    store_bind_text(s, 7, g->note);
    if (store_step_done(st, s, err, "adding suggested finding"))
        return err->rc;
    *created = 1;
    return PM_OK;
}

/* ---- listing ----------------------------------------------------------- */

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
    sqlite3_stmt *s = store_stmt(st, sql, err);
    if (s == NULL)
        return err->rc;
    sqlite3_bind_int64(s, 1, after);
    sqlite3_bind_int64(s, 2, limit > 0 ? limit : -1);
    sqlite3_bind_int(s, 3, all != 0);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
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
        if (cb(&r, ctx))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_step_error(st, s, err, "listing listeners");
    sqlite3_reset(s);
    return PM_OK;
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
        " WHERE x.id > ? ORDER BY x.id LIMIT ?";
    sqlite3_stmt *s = store_stmt(st, sql, err);
    if (s == NULL)
        return err->rc;
    sqlite3_bind_int64(s, 1, after);
    sqlite3_bind_int64(s, 2, limit > 0 ? limit : -1);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
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
        if (cb(&r, ctx))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_step_error(st, s, err, "listing send sites");
    sqlite3_reset(s);
    return PM_OK;
}
