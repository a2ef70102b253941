/*
 * store_edges.c - the static origin graph's tables (schema v7):
 * static_sends, one row per (send site, receiver window document) the
 * window model resolves a send site to, and edge_verdicts, each window
 * listener of a receiver origin judged against a sender origin.  The
 * writes and the model reads here serve the pass that builds them
 * (static_edges.c, every analysis); the reads at the end serve `ls edges`,
 * `show edge` and the TUI.  Every statement is said once through
 * store_bind.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "store_int.h"
#include "store_edges.h"
#include "store_query.h"

/* ---- the pass: clear, read the model, write ------------------------------ */

enum pm_rc
store_edges_clear(struct pm_store *st, struct pm_err *err)
{
    if (store_exec_fmt(st, err, "clearing static edges",
                       "DELETE FROM static_sends", ""))
        return err->rc;
    return store_exec_fmt(st, err, "clearing edge verdicts",
                          "DELETE FROM edge_verdicts", "");
}

struct model_walk {
    void *cb;
    void *ctx;
};

static int
model_window_row(sqlite3_stmt *s, void *p)
{
    struct model_walk *w = p;
    struct pm_model_window r = {
        .id = sqlite3_column_int64(s, 0),
        .kind = store_col_text(s, 1),
        .parent_id = sqlite3_column_int64(s, 2),
        .opener_id = sqlite3_column_int64(s, 3),
        .origin_id = sqlite3_column_int64(s, 4),
        .origin = store_col_text(s, 5),
        .url = store_col_text(s, 6),
    };
    return ((pm_model_window_cb)w->cb)(&r, w->ctx);
}

enum pm_rc
store_each_model_window(struct pm_store *st, pm_model_window_cb cb, void *ctx,
                        struct pm_err *err)
{
    static const char sql[] =
        "SELECT w.id, w.kind, w.parent_id, w.opener_id, w.origin_id, o.text,"
        " w.url FROM windows w LEFT JOIN origins o ON o.id = w.origin_id"
        " ORDER BY w.id";
    struct model_walk w = {(void *)cb, ctx};
    return store_each_fmt(st, err, "reading windows", model_window_row, &w,
                          sql, "");
}

static int
model_doc_row(sqlite3_stmt *s, void *p)
{
    struct model_walk *w = p;
    struct pm_model_doc r = {
        .window_id = sqlite3_column_int64(s, 0),
        .seq = sqlite3_column_int64(s, 1),
        .url = store_col_text(s, 2),
        .origin_id = sqlite3_column_int64(s, 3),
        .origin = store_col_text(s, 4),
    };
    return ((pm_model_doc_cb)w->cb)(&r, w->ctx);
}

enum pm_rc
store_each_model_doc(struct pm_store *st, pm_model_doc_cb cb, void *ctx,
                     struct pm_err *err)
{
    static const char sql[] =
        "SELECT d.window_id, d.seq, d.url, d.origin_id, o.text"
        " FROM documents d LEFT JOIN origins o ON o.id = d.origin_id"
        " ORDER BY d.window_id, d.seq";
    struct model_walk w = {(void *)cb, ctx};
    return store_each_fmt(st, err, "reading documents", model_doc_row, &w,
                          sql, "");
}

static int
model_send_row(sqlite3_stmt *s, void *p)
{
    struct model_walk *w = p;
    struct pm_model_send r = {
        .id = sqlite3_column_int64(s, 0),
        .window_id = sqlite3_column_int64(s, 1),
        .doc = sqlite3_column_int64(s, 2),
        .target_expr = store_col_text(s, 3),
        .target_origin = store_col_text(s, 4),
        .snippet = store_col_text(s, 5),
        .receiver = store_col_text(s, 6),
        .script_url = store_col_text(s, 7),
        .same_as = sqlite3_column_int64(s, 8),
    };
    return ((pm_model_send_cb)w->cb)(&r, w->ctx);
}

enum pm_rc
store_each_model_send(struct pm_store *st, pm_model_send_cb cb, void *ctx,
                      struct pm_err *err)
{
    static const char sql[] =
        "SELECT id, window_id, doc, target_expr, target_origin, snippet,"
        " receiver, script_url, same_as FROM send_sites"
        " WHERE window_id IS NOT NULL ORDER BY id";
    struct model_walk w = {(void *)cb, ctx};
    return store_each_fmt(st, err, "reading send sites", model_send_row, &w,
                          sql, "");
}

static int
model_listener_row(sqlite3_stmt *s, void *p)
{
    struct model_walk *w = p;
    struct pm_model_listener r = {
        .id = sqlite3_column_int64(s, 0),
        .origin_id = sqlite3_column_int64(s, 1),
        .check_kind = store_col_text(s, 2),
        .check_expr = store_col_text(s, 3),
    };
    return ((pm_model_listener_cb)w->cb)(&r, w->ctx);
}

enum pm_rc
store_each_model_listener(struct pm_store *st, pm_model_listener_cb cb,
                          void *ctx, struct pm_err *err)
{
    /* window listeners (a scanned one's target is known; a recorded one's
     * may be NULL), each once (copies point at the recorded row) */
    static const char sql[] =
        "SELECT l.id, coalesce(l.origin_id, w.origin_id), l.check_kind,"
        " l.check_expr FROM listeners l LEFT JOIN windows w"
        " ON w.id = l.window_id WHERE l.same_as IS NULL"
        " AND coalesce(l.target, 'window') = 'window'"
        " AND coalesce(l.origin_id, w.origin_id) IS NOT NULL ORDER BY l.id";
    struct model_walk w = {(void *)cb, ctx};
    return store_each_fmt(st, err, "reading listeners", model_listener_row,
                          &w, sql, "");
}

struct html_read {
    char *data;
    size_t n;
};

static int
html_row(sqlite3_stmt *s, void *p)
{
    struct html_read *h = p;
    const void *b = sqlite3_column_blob(s, 0);
    int n = sqlite3_column_bytes(s, 0);
    if (b == NULL || n <= 0)
        return 1;
    h->data = xmalloc((size_t)n + 1);
    memcpy(h->data, b, (size_t)n);
    h->data[n] = '\0';
    h->n = (size_t)n;
    return 1;
}

enum pm_rc
store_window_html(struct pm_store *st, int64_t window_id, const char *url,
                  char **out, size_t *n, struct pm_err *err)
{
    /* the HTML response loaded as this window's document at url */
    static const char sql[] =
        "SELECT b.data FROM requests r JOIN bodies b ON b.id = r.body_id"
        " WHERE r.window_id = ?1 AND r.url = ?2 AND b.size <= ?3"
        " AND (lower(coalesce(r.mime, b.mime, '')) LIKE '%html%'"
        "  OR r.dest IN ('document', 'iframe', 'frame'))"
        " ORDER BY r.id DESC LIMIT 1";
    struct html_read h = {NULL, 0};
    int found;
    *out = NULL;
    *n = 0;
    if (url == NULL)
        return PM_OK;
    if (store_one_fmt(st, err, "reading a document", html_row, &h, &found,
                      sql, "ItI", window_id, url, (int64_t)STORE_HTML_MAX))
        return err->rc;
    *out = h.data;
    *n = h.n;
    return PM_OK;
}

static int
sender_window_row(sqlite3_stmt *s, void *p)
{
    struct model_walk *w = p;
    return ((pm_id_cb)w->cb)(sqlite3_column_int64(s, 0), w->ctx);
}

enum pm_rc
store_each_message_sender_window(struct pm_store *st, int64_t window_id,
                                  pm_id_cb cb, void *ctx, struct pm_err *err)
{
    /* the latest STORE_REPLY_SCAN window messages delivered to the window:
     * a bound on a window that received a million */
    static const char sql[] =
        "SELECT DISTINCT s FROM (SELECT sender_window_id AS s FROM messages"
        " WHERE receiver_window_id = ?1 AND via = 'window'"
        " AND sender_window_id IS NOT NULL ORDER BY id DESC LIMIT ?2)";
    struct model_walk w = {(void *)cb, ctx};
    return store_each_fmt(st, err, "reading message senders",
                          sender_window_row, &w, sql, "II", window_id,
                          (int64_t)STORE_REPLY_SCAN);
}

static int
pair_row(sqlite3_stmt *s, void *p)
{
    struct model_walk *w = p;
    return ((pm_pair_cb)w->cb)(sqlite3_column_int64(s, 0),
                               sqlite3_column_int64(s, 1),
                               store_col_text(s, 2), w->ctx);
}

enum pm_rc
store_each_message_pair(struct pm_store *st, pm_pair_cb cb, void *ctx,
                        struct pm_err *err)
{
    /* on the messages_edge index alone, as store_ui_each_edge */
    static const char sql[] =
        "SELECT e.s, e.r, o.text FROM (SELECT sender_origin_id AS s,"
        " receiver_origin_id AS r FROM messages INDEXED BY messages_edge"
        " WHERE sender_origin_id IS NOT NULL AND receiver_origin_id IS NOT NULL"
        " GROUP BY 1, 2) e JOIN origins o ON o.id = e.s";
    struct model_walk w = {(void *)cb, ctx};
    return store_each_fmt(st, err, "reading message edges", pair_row, &w,
                          sql, "");
}

enum pm_rc
store_add_static_send(struct pm_store *st, const struct pm_static_send_rec *r,
                      struct pm_err *err)
{
    static const char sql[] =
        "INSERT INTO static_sends(send_site_id, sender_window_id,"
        " sender_origin_id, receiver_window_id, receiver_doc,"
        " receiver_origin_id, how, target_written, target_resolved, delivered)"
        " VALUES(?,?,?,?,?,?,?,?,?,nullif(?, -1))";
    return store_exec_fmt(st, err, "adding a static send", sql, "IRRRIRttti",
                          r->send_site_id, r->sender_window_id,
                          r->sender_origin_id, r->receiver_window_id,
                          r->receiver_doc, r->receiver_origin_id, r->how,
                          r->target_written, r->target_resolved, r->delivered);
}

enum pm_rc
store_add_edge_verdict(struct pm_store *st, int64_t from_id, int64_t to_id,
                       int64_t listener_id, const char *verdict,
                       const char *why, struct pm_err *err)
{
    static const char sql[] =
        "INSERT OR REPLACE INTO edge_verdicts(sender_origin_id,"
        " receiver_origin_id, listener_id, verdict, why) VALUES(?,?,?,?,?)";
    return store_exec_fmt(st, err, "adding an edge verdict", sql, "IIItt",
                          from_id, to_id, listener_id, verdict, why);
}

/* ---- reads for ls, show and the TUI --------------------------------------- */

struct edge_send_walk {
    pm_edge_send_cb cb;
    void *ctx;
};

static int
edge_send_row(sqlite3_stmt *s, void *p)
{
    struct edge_send_walk *w = p;
    struct pm_edge_send_row r = {
        .id = sqlite3_column_int64(s, 0),
        .send_site_id = sqlite3_column_int64(s, 1),
        .sender_window_id = sqlite3_column_int64(s, 2),
        .receiver_window_id = sqlite3_column_int64(s, 3),
        .receiver_doc = sqlite3_column_int64(s, 4),
        .how = store_col_text(s, 5),
        .target_written = store_col_text(s, 6),
        .target_resolved = store_col_text(s, 7),
        .delivered = sqlite3_column_type(s, 8) == SQLITE_NULL
                         ? -1 : sqlite3_column_int(s, 8),
        .script_url = store_col_text(s, 9),
        .line = (long)sqlite3_column_int64(s, 10),
        .col = (long)sqlite3_column_int64(s, 11),
        .snippet = store_col_text(s, 12),
        .target_expr = store_col_text(s, 13),
    };
    return w->cb(&r, w->ctx);
}

enum pm_rc
store_each_edge_send(struct pm_store *st, int64_t from_id, int64_t to_id,
                     pm_edge_send_cb cb, void *ctx, struct pm_err *err)
{
    static const char sql[] =
        "SELECT e.id, e.send_site_id, e.sender_window_id, e.receiver_window_id,"
        " e.receiver_doc, e.how, e.target_written, e.target_resolved,"
        " e.delivered, x.script_url, x.line, x.col, x.snippet, x.target_expr"
        " FROM static_sends e JOIN send_sites x ON x.id = e.send_site_id"
        " WHERE e.sender_origin_id = ? AND e.receiver_origin_id = ?"
        " ORDER BY e.send_site_id, e.receiver_window_id, e.receiver_doc";
    struct edge_send_walk w = {cb, ctx};
    return store_each_fmt(st, err, "listing the sends of an edge",
                          edge_send_row, &w, sql, "II", from_id, to_id);
}

struct edge_verdict_walk {
    pm_edge_verdict_cb cb;
    void *ctx;
};

static int
edge_verdict_row(sqlite3_stmt *s, void *p)
{
    struct edge_verdict_walk *w = p;
    struct pm_edge_verdict_row r = {
        .listener_id = sqlite3_column_int64(s, 0),
        .verdict = store_col_text(s, 1),
        .why = store_col_text(s, 2),
        .check_kind = store_col_text(s, 3),
        .check_expr = store_col_text(s, 4),
        .script_url = store_col_text(s, 5),
        .line = (long)sqlite3_column_int64(s, 6),
        .col = (long)sqlite3_column_int64(s, 7),
    };
    return w->cb(&r, w->ctx);
}

enum pm_rc
store_each_edge_verdict(struct pm_store *st, int64_t from_id, int64_t to_id,
                        pm_edge_verdict_cb cb, void *ctx, struct pm_err *err)
{
    static const char sql[] =
        "SELECT v.listener_id, v.verdict, v.why, l.check_kind, l.check_expr,"
        " l.script_url, l.line, l.col FROM edge_verdicts v"
        " JOIN listeners l ON l.id = v.listener_id"
        " WHERE v.sender_origin_id = ? AND v.receiver_origin_id = ?"
        " ORDER BY v.listener_id";
    struct edge_verdict_walk w = {cb, ctx};
    return store_each_fmt(st, err, "listing the verdicts of an edge",
                          edge_verdict_row, &w, sql, "II", from_id, to_id);
}

static int
origin_text_row(sqlite3_stmt *s, void *p)
{
    char **out = p;
    const char *t = store_col_text(s, 0);
    *out = t ? xstrdup(t) : NULL;
    return 1;
}

enum pm_rc
store_origin_text(struct pm_store *st, int64_t id, char **out,
                  struct pm_err *err)
{
    static const char sql[] = "SELECT text FROM origins WHERE id = ?";
    int found;
    *out = NULL;
    if (store_one_fmt(st, err, "looking up origin", origin_text_row, out,
                      &found, sql, "I", id))
        return err->rc;
    if (!found)
        return pm_err_set(err, PM_ERR_NOTFOUND, "no origin %lld",
                          (long long)id);
    return PM_OK;
}

static int
listener_verdict_row(sqlite3_stmt *s, void *p)
{
    struct model_walk *w = p;
    return ((pm_listener_verdict_cb)w->cb)(sqlite3_column_int64(s, 0),
                                           store_col_text(s, 1),
                                           store_col_text(s, 2), w->ctx);
}

enum pm_rc
store_each_static_verdict(struct pm_store *st, pm_listener_verdict_cb cb,
                          void *ctx, struct pm_err *err)
{
    static const char sql[] =
        "SELECT v.listener_id, o.text, v.verdict FROM edge_verdicts v"
        " JOIN origins o ON o.id = v.sender_origin_id"
        " WHERE EXISTS (SELECT 1 FROM static_sends s"
        "  WHERE s.sender_origin_id = v.sender_origin_id"
        "  AND s.receiver_origin_id = v.receiver_origin_id)"
        " ORDER BY v.listener_id, o.text";
    struct model_walk w = {(void *)cb, ctx};
    return store_each_fmt(st, err, "reading static verdicts",
                          listener_verdict_row, &w, sql, "");
}
