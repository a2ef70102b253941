/*
 * store_query.c - read side of the workspace (see store_query.h).
 *
 * Lists are keyset-paginated on rowid; message filters come compiled from
 * src/filter.c as a WHERE fragment plus bound values, so no user text is
 * ever pasted into SQL.
 */
#include "store_query.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "filter.h"
#include "store_int.h"

enum pm_rc
store_each_source(struct pm_store *st, pm_source_cb cb, void *ctx,
                  struct pm_err *err)
{
    static const char sql[] =
        "SELECT id, path, format, sha256, tool, imported_at, size,"
        " n_windows, n_requests, n_messages, n_listeners"
        " FROM sources ORDER BY id";
    sqlite3_stmt *s = store_stmt(st, sql, err);
    if (s == NULL)
        return err->rc;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct pm_source_row r = {
            .id = sqlite3_column_int64(s, 0),
            .path = store_col_text(s, 1),
            .format = store_col_text(s, 2),
            .sha256 = store_col_text(s, 3),
            .tool = store_col_text(s, 4),
            .imported_at = store_col_text(s, 5),
            .size = sqlite3_column_int64(s, 6),
            .n_windows = sqlite3_column_int64(s, 7),
            .n_requests = sqlite3_column_int64(s, 8),
            .n_messages = sqlite3_column_int64(s, 9),
            .n_listeners = sqlite3_column_int64(s, 10),
        };
        if (cb(&r, ctx))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_step_error(st, s, err, "listing sources");
    sqlite3_reset(s);
    return PM_OK;
}

void
store_window_row(sqlite3_stmt *s, struct pm_window_row *r)
{
    r->id = sqlite3_column_int64(s, 0);
    r->source_id = sqlite3_column_int64(s, 1);
    r->parent_id = sqlite3_column_int64(s, 2);
    r->opener_id = sqlite3_column_int64(s, 3);
    r->visit_id = sqlite3_column_int64(s, 4);
    r->ext_id = store_col_text(s, 5);
    r->kind = store_col_text(s, 6);
    r->url = store_col_text(s, 7);
    r->origin = store_col_text(s, 8);
    r->parent_how = store_col_text(s, 9);
    r->xfo = store_col_text(s, 10);
    r->csp = store_col_text(s, 11);
    r->first_seen = sqlite3_column_type(s, 12) == SQLITE_NULL
                        ? -1
                        : sqlite3_column_double(s, 12);
    r->framing_known = sqlite3_column_int(s, 13);
    r->n_messages = -1;
    r->depth = 0;
}

/* Messages a window sent or received, on the two window indexes. */
#define WINDOW_MESSAGE_COUNT                                                 \
    " (SELECT count(*) FROM messages WHERE sender_window_id=w.id)"           \
    " + (SELECT count(*) FROM messages WHERE receiver_window_id=w.id)"

enum pm_rc
store_each_window_tree(struct pm_store *st, pm_window_cb cb, void *ctx,
                       struct pm_err *err)
{
    static const char sql[] =
        STORE_WINDOW_TREE_CTE
        " SELECT " STORE_WINDOW_COLS "," WINDOW_MESSAGE_COUNT ", t.depth"
        " FROM tree t JOIN windows w ON w.id=t.id"
        " LEFT JOIN origins o ON o.id=w.origin_id"
        " ORDER BY t.path";
    sqlite3_stmt *s = store_stmt(st, sql, err);
    if (s == NULL)
        return err->rc;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct pm_window_row r;
        store_window_row(s, &r);
        r.n_messages = sqlite3_column_int64(s, STORE_WINDOW_NCOLS);
        r.depth = sqlite3_column_int(s, STORE_WINDOW_NCOLS + 1);
        if (cb(&r, ctx))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_step_error(st, s, err, "listing windows");
    sqlite3_reset(s);
    return PM_OK;
}

struct one_window {
    pm_window_cb cb;
    void *ctx;
};

/* store_row_fn: one window row to the caller's cb. */
static int
one_window_row(sqlite3_stmt *s, void *p)
{
    struct one_window *o = p;
    struct pm_window_row r;
    store_window_row(s, &r);
    o->cb(&r, o->ctx);
    return 1;
}

enum pm_rc
store_get_window(struct pm_store *st, int64_t id, pm_window_cb cb, void *ctx,
                 struct pm_err *err)
{
    static const char sql[] =
        "SELECT " STORE_WINDOW_COLS " FROM windows w"
        " LEFT JOIN origins o ON o.id=w.origin_id WHERE w.id=?";
    struct one_window o = {cb, ctx};
    int found;
    if (store_one_fmt(st, err, "reading window", one_window_row, &o, &found,
                      sql, "I", id))
        return err->rc;
    if (found)
        return PM_OK;
    return pm_err_set(err, PM_ERR_NOTFOUND, "no window %lld", (long long)id);
}

enum pm_rc
store_window_message_count(struct pm_store *st, int64_t id, int64_t *count,
                           struct pm_err *err)
{
    static const char sql[] = "SELECT" WINDOW_MESSAGE_COUNT
                              " FROM windows w WHERE w.id=?";
    sqlite3_stmt *s = store_stmt(st, sql, err);
    if (s == NULL)
        return err->rc;
    sqlite3_bind_int64(s, 1, id);
    *count = 0;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *count = sqlite3_column_int64(s, 0);
    else if (rc != SQLITE_DONE)
        return store_step_error(st, s, err, "counting window messages");
    sqlite3_reset(s);
    return PM_OK;
}

struct document_walk {
    pm_document_cb cb;
    void *ctx;
};

/* store_row_fn: decode a document row and hand it to the caller's cb. */
static int
document_to_cb(sqlite3_stmt *s, void *p)
{
    struct document_walk *w = p;
    struct pm_document_row r = {
        .seq = sqlite3_column_int64(s, 0),
        .url = store_col_text(s, 1),
        .origin = store_col_text(s, 2),
        .ts = sqlite3_column_type(s, 3) == SQLITE_NULL
                  ? -1 : sqlite3_column_double(s, 3),
        .status = sqlite3_column_int(s, 4),
        .xfo = store_col_text(s, 5),
        .csp = store_col_text(s, 6),
        .listeners = sqlite3_column_int64(s, 7),
    };
    return w->cb(&r, w->ctx);
}

enum pm_rc
store_each_document(struct pm_store *st, int64_t window_id, pm_document_cb cb,
                    void *ctx, struct pm_err *err)
{
    static const char sql[] =
        "SELECT d.seq, d.url, o.text, d.ts, d.status, d.xfo, d.csp,"
        " (SELECT count(*) FROM listeners l WHERE l.window_id = d.window_id"
        "  AND l.doc = d.seq AND l.same_as IS NULL)"
        " FROM documents d LEFT JOIN origins o ON o.id = d.origin_id"
        " WHERE d.window_id = ? ORDER BY d.seq";
    struct document_walk w = {cb, ctx};
    return store_each_fmt(st, err, "reading documents", document_to_cb, &w,
                          sql, "I", window_id);
}

struct window_source_walk {
    pm_window_source_cb cb;
    void *ctx;
};

static int
window_source_to_cb(sqlite3_stmt *s, void *p)
{
    struct window_source_walk *w = p;
    return w->cb(sqlite3_column_int64(s, 0), store_col_text(s, 1), w->ctx);
}

enum pm_rc
store_each_window_source(struct pm_store *st, int64_t window_id,
                         pm_window_source_cb cb, void *ctx,
                         struct pm_err *err)
{
    static const char sql[] =
        "SELECT s.id, s.format FROM window_sources ws"
        " JOIN sources s ON s.id = ws.source_id"
        " WHERE ws.window_id = ? ORDER BY s.id";
    struct window_source_walk w = {cb, ctx};
    return store_each_fmt(st, err, "reading window sources",
                          window_source_to_cb, &w, sql, "I", window_id);
}

enum pm_rc
store_each_origin(struct pm_store *st, pm_origin_cb cb, void *ctx,
                  struct pm_err *err)
{
    static const char sql[] =
        "SELECT o.id, o.text,"
        " (SELECT count(*) FROM windows WHERE origin_id=o.id),"
        " (SELECT count(*) FROM messages WHERE sender_origin_id=o.id),"
        " (SELECT count(*) FROM messages WHERE receiver_origin_id=o.id)"
        " FROM origins o ORDER BY o.text";
    sqlite3_stmt *s = store_stmt(st, sql, err);
    if (s == NULL)
        return err->rc;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct pm_origin_row r = {
            .id = sqlite3_column_int64(s, 0),
            .text = store_col_text(s, 1),
            .n_windows = sqlite3_column_int64(s, 2),
            .n_sent = sqlite3_column_int64(s, 3),
            .n_received = sqlite3_column_int64(s, 4),
        };
        if (cb(&r, ctx))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_step_error(st, s, err, "listing origins");
    sqlite3_reset(s);
    return PM_OK;
}

#define MESSAGE_FROM " FROM messages m" STORE_MESSAGE_JOIN

void
store_message_row(sqlite3_stmt *s, struct pm_message_row *r)
{
    r->id = sqlite3_column_int64(s, 0);
    r->source_id = sqlite3_column_int64(s, 1);
    r->sender_window_id = sqlite3_column_int64(s, 2);
    r->receiver_window_id = sqlite3_column_int64(s, 3);
    r->reply_to = sqlite3_column_int64(s, 4);
    r->flow_id = sqlite3_column_int64(s, 5);
    r->size = sqlite3_column_int64(s, 6);
    r->ts = sqlite3_column_double(s, 7);
    r->ext_id = store_col_text(s, 8);
    r->sender_origin = store_col_text(s, 9);
    r->receiver_origin = store_col_text(s, 10);
    r->target_origin = store_col_text(s, 11);
    r->via = store_col_text(s, 12);
    r->port = store_col_text(s, 13);
    r->data_preview = store_col_text(s, 14);
    r->data_json = sqlite3_column_count(s) > STORE_MESSAGE_NCOLS
                       ? store_col_text(s, STORE_MESSAGE_NCOLS)
                       : NULL;
}

/*
 * The filtered statements are built per call (the WHERE fragment depends on
 * the filter) and finalized after; preparing costs microseconds, the page
 * read is bounded by limit.
 */
enum pm_rc
store_page_messages(struct pm_store *st, const struct pm_filter *filter,
                    int64_t after_id, int backward, int limit,
                    pm_message_cb cb, void *ctx, struct pm_err *err)
{
    struct pm_buf sql;
    pm_buf_init(&sql);
    pm_buf_adds(&sql, "SELECT " STORE_MESSAGE_COLS MESSAGE_FROM " WHERE (");
    pm_buf_adds(&sql, filter ? filter_sql(filter) : "1");
    pm_buf_adds(&sql, backward ? ") AND m.id < ? ORDER BY m.id DESC LIMIT ?"
                               : ") AND m.id > ? ORDER BY m.id LIMIT ?");
    sqlite3 *db = store_db(st);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, sql.data, -1, &s, NULL) != SQLITE_OK) {
        pm_buf_release(&sql);
        return store_db_error(st, err, "preparing message query");
    }
    pm_buf_release(&sql);
    if (backward && after_id <= 0)
        after_id = INT64_MAX;
    int idx = !filter ? 1
              : backward ? filter_bind_range(filter, s, 1, 0, after_id - 1)
                         : filter_bind_range(filter, s, 1, after_id,
                                             INT64_MAX);
    sqlite3_bind_int64(s, idx, after_id);
    sqlite3_bind_int(s, idx + 1, limit);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct pm_message_row r;
        store_message_row(s, &r);
        if (cb(&r, ctx))
            break;
    }
    enum pm_rc out = PM_OK;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        out = store_db_error(st, err, "reading messages");
    sqlite3_finalize(s);
    return out;
}

enum pm_rc
store_count_messages(struct pm_store *st, const struct pm_filter *filter,
                     int64_t *count, struct pm_err *err)
{
    struct pm_buf sql;
    pm_buf_init(&sql);
    pm_buf_adds(&sql, "SELECT count(*) FROM messages m WHERE (");
    pm_buf_adds(&sql, filter ? filter_sql(filter) : "1");
    pm_buf_adds(&sql, ")");
    sqlite3_stmt *s = NULL;
    *count = 0;
    if (sqlite3_prepare_v2(store_db(st), sql.data, -1, &s, NULL) != SQLITE_OK) {
        pm_buf_release(&sql);
        return store_db_error(st, err, "preparing count");
    }
    pm_buf_release(&sql);
    if (filter)
        filter_bind(filter, s, 1);
    enum pm_rc out = PM_OK;
    if (sqlite3_step(s) == SQLITE_ROW)
        *count = sqlite3_column_int64(s, 0);
    else
        out = store_db_error(st, err, "counting messages");
    sqlite3_finalize(s);
    return out;
}

struct one_message {
    pm_message_cb cb;
    void *ctx;
};

/* store_row_fn: one message row (with its data) to the caller's cb. */
static int
one_message_row(sqlite3_stmt *s, void *p)
{
    struct one_message *o = p;
    struct pm_message_row r;
    store_message_row(s, &r);
    o->cb(&r, o->ctx);
    return 1;
}

enum pm_rc
store_get_message(struct pm_store *st, int64_t id, pm_message_cb cb, void *ctx,
                  struct pm_err *err)
{
    static const char sql[] =
        "SELECT " STORE_MESSAGE_COLS ", m.data_json" MESSAGE_FROM " WHERE m.id=?";
    struct one_message o = {cb, ctx};
    int found;
    if (store_one_fmt(st, err, "reading message", one_message_row, &o, &found,
                      sql, "I", id))
        return err->rc;
    if (found)
        return PM_OK;
    return pm_err_set(err, PM_ERR_NOTFOUND, "no message %lld", (long long)id);
}

int
store_edge_to_cb(sqlite3_stmt *s, void *p)
{
    struct store_edge_walk *w = p;
    struct pm_edge_row r = {
        .kind = store_col_text(s, 0),
        .from = store_col_text(s, 1),
        .to = store_col_text(s, 2),
        .from_id = sqlite3_column_int64(s, 3),
        .to_id = sqlite3_column_int64(s, 4),
        .count = sqlite3_column_int64(s, 5),
        .wildcard = sqlite3_column_int64(s, 6),
    };
    if (sqlite3_column_count(s) >= 13) {
        r.marks = (unsigned)sqlite3_column_int(s, 7);
        r.sends = sqlite3_column_int64(s, 8);
        r.sends_wildcard = sqlite3_column_int64(s, 9);
        r.accepted = sqlite3_column_int64(s, 10);
        r.rejected = sqlite3_column_int64(s, 11);
        r.unknown = sqlite3_column_int64(s, 12);
    } else {
        r.marks = r.kind && strcmp(r.kind, "frame") == 0 ? PM_EDGE_FRAME
                                                         : PM_EDGE_OBSERVED;
    }
    return w->cb(&r, w->ctx);
}

enum pm_rc
store_each_edge(struct pm_store *st, pm_edge_cb cb, void *ctx,
                struct pm_err *err)
{
    static const char sql[] = STORE_EDGES_SQL(
        "SELECT sender_origin_id AS s, receiver_origin_id AS r, count(*) AS n,"
        " sum(target_origin = '*') AS w FROM messages GROUP BY 1, 2");
    struct store_edge_walk w = {cb, ctx};
    return store_each_fmt(st, err, "listing edges", store_edge_to_cb, &w, sql,
                          "");
}
