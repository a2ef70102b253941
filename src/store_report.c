/*
 * store_report.c - reads for the findings report (see store_report.h).
 *
 * A finding names one subject; the report wants the whole picture around
 * it.  store_report_context resolves that picture with one query per
 * subject kind, then fills what is still missing from the evidence message
 * and the receiving window, so every kind ends up with the same fields.
 */
#include "store_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_evidence.h"
#include "store_int.h"

static int64_t
col_id(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_NULL ? 0
                                                    : sqlite3_column_int64(s, i);
}

struct ids_out {
    int64_t *v;
    int n;
};

/* store_row_fn: the row's first n columns as ids (NULL as 0). */
static int
ids_of_row(sqlite3_stmt *s, void *p)
{
    struct ids_out *o = p;
    for (int i = 0; i < o->n; i++)
        o->v[i] = col_id(s, i);
    return 0;
}

/*
 * Run sql, bound to the one id `id` (and `id2` for a second parameter), for
 * at most one row of ids into out[0..n).
 */
static enum pm_rc
ids_row(struct pm_store *st, const char *sql, int nparams, int64_t id,
        int64_t id2, int64_t *out, int n, struct pm_err *err)
{
    struct ids_out o = {out, n};
    int found;
    return store_one_fmt(st, err, "reading report context", ids_of_row, &o,
                         &found, sql, nparams == 2 ? "II" : "I", id, id2);
}

/* Columns of every per-kind query: message, receiver window, listener,
 * send site, sender origin, receiver origin. */
static enum pm_rc
subject_ids(struct pm_store *st, const struct pm_finding_row *f, int64_t v[6],
            struct pm_err *err)
{
    static const char message[] =
        "SELECT m.id, m.receiver_window_id, " STORE_MESSAGE_LISTENER ","
        " coalesce(m.send_site_id, (SELECT x.id FROM send_sites x"
        "  WHERE x.window_id=m.sender_window_id"
        "  AND x.target_origin IS m.target_origin ORDER BY x.id LIMIT 1),"
        "  (SELECT x.id FROM send_sites x WHERE x.window_id=m.sender_window_id"
        "  ORDER BY x.id LIMIT 1)),"
        " m.sender_origin_id, m.receiver_origin_id"
        " FROM messages m WHERE m.id=?1";
    static const char listener[] =
        "SELECT coalesce((SELECT id FROM messages WHERE listener_id=l.id"
        "  ORDER BY id LIMIT 1), (SELECT id FROM messages"
        "  WHERE receiver_window_id=l.window_id"
        "  AND via=coalesce(l.target, via) AND l.doc IN (0, receiver_doc)"
        "  ORDER BY id LIMIT 1)),"
        " l.window_id, l.id, NULL, NULL, coalesce(l.origin_id, w.origin_id)"
        " FROM listeners l LEFT JOIN windows w ON w.id=l.window_id"
        " WHERE l.id=?1";
    static const char send_site[] =
        "SELECT coalesce((SELECT m.id FROM messages m"
        "  WHERE m.sender_window_id=x.window_id"
        "  AND m.target_origin IS x.target_origin ORDER BY m.id LIMIT 1),"
        "  (SELECT m.id FROM messages m WHERE m.sender_window_id=x.window_id"
        "  ORDER BY m.id LIMIT 1)),"
        " NULL, NULL, x.id, w.origin_id, NULL"
        " FROM send_sites x LEFT JOIN windows w ON w.id=x.window_id"
        " WHERE x.id=?1";
    static const char window[] =
        "SELECT (SELECT id FROM messages WHERE receiver_window_id=w.id"
        "  ORDER BY id LIMIT 1), w.id, NULL, NULL, NULL, w.origin_id"
        " FROM windows w WHERE w.id=?1";
    static const char edge[] =
        "SELECT (SELECT id FROM messages WHERE sender_origin_id=?1"
        "  AND receiver_origin_id=?2 ORDER BY id LIMIT 1),"
        " NULL, NULL, NULL, ?1, ?2";
    const char *k = f->subject_kind;
    const char *sql = strcmp(k, "message") == 0     ? message
                      : strcmp(k, "listener") == 0  ? listener
                      : strcmp(k, "send_site") == 0 ? send_site
                      : strcmp(k, "window") == 0    ? window
                                                    : edge;
    int64_t to_id = 0;
    if (sql == edge) {
        const char *gt = f->subject_key ? strchr(f->subject_key, '>') : NULL;
        to_id = gt ? strtoll(gt + 1, NULL, 10) : 0;
    }
    return ids_row(st, sql, sql == edge ? 2 : 1, f->subject_id, to_id, v, 6,
                   err);
}

struct origin_text_out {
    char *text;
    size_t size;
};

/* store_row_fn: the origin's text, when not NULL. */
static int
origin_text_of(sqlite3_stmt *s, void *p)
{
    struct origin_text_out *o = p;
    if (store_col_text(s, 0))
        snprintf(o->text, o->size, "%s", store_col_text(s, 0));
    return 0;
}

/* Fill the gaps from the evidence message, the window and the origins. */
static enum pm_rc
fill_context(struct pm_store *st, struct pm_report_ctx *c, struct pm_err *err)
{
    static const char from_message[] =
        "SELECT m.receiver_window_id, " STORE_MESSAGE_LISTENER ","
        " m.sender_origin_id, m.receiver_origin_id FROM messages m"
        " WHERE m.id=?1";
    static const char window_of_origin[] =
        "SELECT id FROM windows WHERE origin_id=?1 ORDER BY id LIMIT 1";
    static const char from_window[] =
        "SELECT (SELECT id FROM listeners WHERE window_id=?1 ORDER BY id"
        "  LIMIT 1), origin_id FROM windows WHERE id=?1";
    static const char origin_text[] = "SELECT text FROM origins WHERE id=?1";
    int64_t v[4] = {0, 0, 0, 0};
    if (c->message_id) {
        if (ids_row(st, from_message, 1, c->message_id, 0, v, 4, err))
            return err->rc;
        if (!c->receiver_window_id)
            c->receiver_window_id = v[0];
        if (!c->listener_id)
            c->listener_id = v[1];
        if (!c->sender_origin_id)
            c->sender_origin_id = v[2];
        if (!c->receiver_origin_id)
            c->receiver_origin_id = v[3];
    }
    if (!c->receiver_window_id && c->receiver_origin_id) {
        if (ids_row(st, window_of_origin, 1, c->receiver_origin_id, 0,
                    &c->receiver_window_id, 1, err))
            return err->rc;
    }
    if (c->receiver_window_id) {
        memset(v, 0, sizeof v);
        if (ids_row(st, from_window, 1, c->receiver_window_id, 0, v, 2, err))
            return err->rc;
        /* With a message, its listener came from the message: the
         * window's first listener may be on another channel or document. */
        if (!c->listener_id && !c->message_id)
            c->listener_id = v[0];
        if (!c->receiver_origin_id)
            c->receiver_origin_id = v[1];
    }
    /* the receiving document: the listener's, else the message's */
    static const char listener_doc[] = "SELECT doc FROM listeners WHERE id=?";
    static const char message_doc[] =
        "SELECT receiver_doc FROM messages WHERE id=?";
    if (c->listener_id &&
        store_int64_fmt(st, err, "reading listener document", &c->receiver_doc,
                        NULL, listener_doc, "I", c->listener_id))
        return err->rc;
    if (c->receiver_doc == 0 && c->message_id &&
        store_int64_fmt(st, err, "reading message document", &c->receiver_doc,
                        NULL, message_doc, "I", c->message_id))
        return err->rc;
    int64_t ids[2] = {c->sender_origin_id, c->receiver_origin_id};
    char *texts[2] = {c->sender_origin, c->receiver_origin};
    for (int i = 0; i < 2; i++) {
        texts[i][0] = '\0';
        if (ids[i] == 0)
            continue;
        struct origin_text_out o = {texts[i], sizeof c->sender_origin};
        int found;
        if (store_one_fmt(st, err, "reading origin", origin_text_of, &o, &found,
                          origin_text, "I", ids[i]))
            return err->rc;
    }
    return PM_OK;
}

enum pm_rc
store_report_context(struct pm_store *st, const struct pm_finding_row *f,
                     struct pm_report_ctx *out, struct pm_err *err)
{
    int64_t v[6] = {0, 0, 0, 0, 0, 0};
    memset(out, 0, sizeof *out);
    if (subject_ids(st, f, v, err))
        return err->rc;
    out->message_id = v[0];
    out->receiver_window_id = v[1];
    out->listener_id = v[2];
    out->send_site_id = v[3];
    out->sender_origin_id = v[4];
    out->receiver_origin_id = v[5];
    if (strcmp(f->subject_kind, "listener") == 0) {
        int64_t id = 0;
        if (store_pick_listener_evidence(st, f->subject_id, &id,
                                         out->evidence_why,
                                         sizeof out->evidence_why, err))
            return err->rc;
        if (id)
            out->message_id = id;
    }
    return fill_context(st, out, err);
}

struct listener_walk {
    pm_report_listener_cb cb;
    void *ctx;
};

/* store_row_fn: decode a listener row and hand it to the caller's cb. */
static int
listener_to_cb(sqlite3_stmt *s, void *p)
{
    struct listener_walk *w = p;
    struct pm_report_listener r = {
        .id = sqlite3_column_int64(s, 0),
        .window_id = col_id(s, 1),
        .line = (long)sqlite3_column_int64(s, 2),
        .col = (long)sqlite3_column_int64(s, 3),
        .check_line = (long)sqlite3_column_int64(s, 4),
        .check_col = (long)sqlite3_column_int64(s, 5),
        .script_url = store_col_text(s, 6),
        .code = store_col_text(s, 7),
        .found_by = store_col_text(s, 8),
        .check_kind = store_col_text(s, 9),
        .check_expr = store_col_text(s, 10),
        .sinks = store_col_text(s, 11),
    };
    return w->cb(&r, w->ctx);
}

enum pm_rc
store_report_listener(struct pm_store *st, int64_t id,
                      pm_report_listener_cb cb, void *ctx, struct pm_err *err)
{
    static const char sql[] =
        "SELECT id, window_id, line, col, check_line, check_col, script_url,"
        " code, found_by, check_kind, check_expr, sinks"
        " FROM listeners WHERE id=?1";
    struct listener_walk w = {cb, ctx};
    int found;
    if (store_one_fmt(st, err, "reading listener", listener_to_cb, &w, &found,
                      sql, "I", id))
        return err->rc;
    if (found)
        return PM_OK;
    return pm_err_set(err, PM_ERR_NOTFOUND, "no listener %lld", (long long)id);
}

struct send_site_walk {
    pm_report_send_site_cb cb;
    void *ctx;
};

/* store_row_fn: decode a send site row and hand it to the caller's cb. */
static int
send_site_to_cb(sqlite3_stmt *s, void *p)
{
    struct send_site_walk *w = p;
    struct pm_report_send_site r = {
        .id = sqlite3_column_int64(s, 0),
        .window_id = col_id(s, 1),
        .line = (long)sqlite3_column_int64(s, 2),
        .col = (long)sqlite3_column_int64(s, 3),
        .script_url = store_col_text(s, 4),
        .target_expr = store_col_text(s, 5),
        .target_origin = store_col_text(s, 6),
        .snippet = store_col_text(s, 7),
        .stack = store_col_text(s, 8),
    };
    return w->cb(&r, w->ctx);
}

enum pm_rc
store_report_send_site(struct pm_store *st, int64_t id,
                       pm_report_send_site_cb cb, void *ctx,
                       struct pm_err *err)
{
    static const char sql[] =
        "SELECT id, window_id, line, col, script_url, target_expr,"
        " target_origin, snippet, stack FROM send_sites WHERE id=?1";
    struct send_site_walk w = {cb, ctx};
    int found;
    if (store_one_fmt(st, err, "reading send site", send_site_to_cb, &w,
                      &found, sql, "I", id))
        return err->rc;
    if (found)
        return PM_OK;
    return pm_err_set(err, PM_ERR_NOTFOUND, "no send site %lld", (long long)id);
}

struct message_walk {
    pm_message_cb cb;
    void *ctx;
};

/* store_row_fn: decode a message row and hand it to the caller's cb. */
static int
message_to_cb(sqlite3_stmt *s, void *p)
{
    struct message_walk *w = p;
    struct pm_message_row r;
    store_message_row(s, &r);
    return w->cb(&r, w->ctx);
}

enum pm_rc
store_report_flow(struct pm_store *st, int64_t message_id, int limit,
                  pm_message_cb cb, void *ctx, struct pm_err *err)
{
    static const char sql[] =
        "SELECT " STORE_MESSAGE_COLS ", m.data_json FROM messages m"
        STORE_MESSAGE_JOIN
        " WHERE m.id IN (SELECT id FROM messages"
        "  WHERE flow_id=(SELECT flow_id FROM messages WHERE id=?1)"
        "  UNION SELECT ?1"
        "  UNION SELECT reply_to FROM messages WHERE id=?1)"
        " ORDER BY m.ts, m.id LIMIT ?2";
    struct message_walk w = {cb, ctx};
    return store_each_fmt(st, err, "reading flow", message_to_cb, &w, sql, "Ii",
                          message_id, limit);
}

struct window_walk {
    pm_report_window_cb cb;
    void *ctx;
};

/* store_row_fn: decode a frame path row and hand it to the caller's cb. */
static int
window_to_cb(sqlite3_stmt *s, void *p)
{
    struct window_walk *w = p;
    struct pm_report_window r = {
        .id = sqlite3_column_int64(s, 0),
        .kind = store_col_text(s, 1),
        .url = store_col_text(s, 2),
        .origin = store_col_text(s, 3),
        .xfo = store_col_text(s, 4),
        .csp = store_col_text(s, 5),
        .link = store_col_text(s, 6),
    };
    return w->cb(&r, w->ctx);
}

enum pm_rc
store_report_document(struct pm_store *st, int64_t window_id, int64_t seq,
                      pm_report_window_cb cb, void *ctx, int *found,
                      struct pm_err *err)
{
    static const char sql[] =
        "SELECT d.window_id, NULL, d.url, o.text, d.xfo, d.csp, NULL"
        " FROM documents d LEFT JOIN origins o ON o.id = d.origin_id"
        " WHERE d.window_id = ? AND d.seq = ?";
    struct window_walk w = {cb, ctx};
    return store_one_fmt(st, err, "reading document", window_to_cb, &w, found,
                         sql, "II", window_id, seq);
}

enum pm_rc
store_report_frame_path(struct pm_store *st, int64_t window_id, int max,
                        pm_report_window_cb cb, void *ctx, struct pm_err *err)
{
    static const char sql[] =
        "WITH RECURSIVE up(id, depth) AS ("
        " SELECT ?1, 0"
        " UNION ALL"
        " SELECT coalesce(w.parent_id, w.opener_id), up.depth + 1"
        " FROM up JOIN windows w ON w.id=up.id"
        " WHERE coalesce(w.parent_id, w.opener_id) IS NOT NULL"
        " AND up.depth < ?2)"
        "SELECT w.id, w.kind, w.url, o.text, w.xfo, w.csp,"
        " CASE WHEN w.parent_id IS NOT NULL THEN 'parent'"
        " WHEN w.opener_id IS NOT NULL THEN 'opener' END"
        " FROM up JOIN windows w ON w.id=up.id"
        " LEFT JOIN origins o ON o.id=w.origin_id ORDER BY up.depth";
    struct window_walk w = {cb, ctx};
    return store_each_fmt(st, err, "reading frame path", window_to_cb, &w, sql,
                          "Ii", window_id, max);
}
