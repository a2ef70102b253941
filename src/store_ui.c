/*
 * store_ui.c - the TUI's own read queries (see store_ui.h).  Every list is
 * bounded by a LIMIT and walks an index, so a screenful costs the same on a
 * small workspace and a huge one.
 */
#include "store_ui.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "filter.h"
#include "store_int.h"

/* ---- listeners ---------------------------------------------------------- */

/* found_by says "trace+scan" for a recorded listener the scan also found
 * (store_link_listener_copies); lists leave such scanned copies out. */
#define LISTENER_COLS                                                        \
    "l.id, l.source_id, l.window_id, o.text, l.script_url,"                  \
    " l.found_by || CASE WHEN EXISTS(SELECT 1 FROM listeners c"              \
    "  WHERE c.same_as = l.id) THEN '+scan' ELSE '' END,"                    \
    " l.line, l.col, l.check_kind, l.check_expr, l.check_line, l.sinks,"     \
    " l.check_col"
#define LISTENER_FROM                                                        \
    " FROM listeners l LEFT JOIN windows w ON w.id=l.window_id"              \
    " LEFT JOIN origins o ON o.id=coalesce(l.origin_id, w.origin_id)"

static void
listener_row(sqlite3_stmt *s, struct pm_ui_listener *r)
{
    r->id = sqlite3_column_int64(s, 0);
    r->source_id = sqlite3_column_int64(s, 1);
    r->window_id = sqlite3_column_int64(s, 2);
    r->origin = store_col_text(s, 3);
    r->script_url = store_col_text(s, 4);
    r->found_by = store_col_text(s, 5);
    r->line = (long)sqlite3_column_int64(s, 6);
    r->col = (long)sqlite3_column_int64(s, 7);
    r->check_kind = store_col_text(s, 8);
    r->check_expr = store_col_text(s, 9);
    r->check_line = (long)sqlite3_column_int64(s, 10);
    r->sinks = store_col_text(s, 11);
    r->check_col = (long)sqlite3_column_int64(s, 12);
    r->code = NULL;
}

struct listener_walk {
    pm_ui_listener_cb cb;
    void *ctx;
    int code_col; /* the column of l.code, -1 when not selected */
};

/* store_row_fn: decode a listener row and hand it to the caller's cb. */
static int
listener_to_cb(sqlite3_stmt *s, void *p)
{
    struct listener_walk *w = p;
    struct pm_ui_listener r;
    listener_row(s, &r);
    if (w->code_col >= 0)
        r.code = store_col_text(s, w->code_col);
    return w->cb(&r, w->ctx);
}

enum pm_rc
store_ui_page_listeners(struct pm_store *st, int64_t after_id, int backward,
                        int limit, pm_ui_listener_cb cb, void *ctx,
                        struct pm_err *err)
{
    static const char fwd[] = "SELECT " LISTENER_COLS LISTENER_FROM
                              " WHERE l.id > ? AND l.same_as IS NULL"
                              " ORDER BY l.id LIMIT ?";
    static const char back[] = "SELECT " LISTENER_COLS LISTENER_FROM
                               " WHERE l.id < ? AND l.same_as IS NULL"
                               " ORDER BY l.id DESC LIMIT ?";
    struct listener_walk w = {cb, ctx, -1};
    if (backward && after_id <= 0)
        after_id = INT64_MAX;
    return store_each_fmt(st, err, "reading listeners", listener_to_cb, &w,
                          backward ? back : fwd, "Ii", after_id, limit);
}

enum pm_rc
store_ui_get_listener(struct pm_store *st, int64_t id, pm_ui_listener_cb cb,
                      void *ctx, struct pm_err *err)
{
    static const char sql[] = "SELECT " LISTENER_COLS ", l.code" LISTENER_FROM
                              " WHERE l.id = ?";
    struct listener_walk w = {cb, ctx, 13};
    int found;
    if (store_one_fmt(st, err, "reading listener", listener_to_cb, &w, &found,
                      sql, "I", id))
        return err->rc;
    if (!found)
        return pm_err_set(err, PM_ERR_NOTFOUND, "no listener %lld",
                          (long long)id);
    return PM_OK;
}

enum pm_rc
store_ui_message_listeners(struct pm_store *st, int64_t message_id, int limit,
                           pm_ui_listener_cb cb, void *ctx, struct pm_err *err)
{
    static const char sql[] =
        "SELECT " LISTENER_COLS LISTENER_FROM
        " JOIN messages m ON m.id = ?1"
        " WHERE l.id = m.listener_id"
        "    OR (m.listener_id IS NULL AND l.window_id = m.receiver_window_id"
        /* a window message reaches the window's listeners, not those of
         * its MessagePorts or workers, and a port message only the port's;
         * a listener of unknown target reaches every channel; and only the
         * listeners of the document it was delivered to (doc 0: unknown,
         * every document); the rule of the filter terms check: and sink: */
        "        AND coalesce(l.target, m.via) = m.via"
        "        AND l.doc IN (0, m.receiver_doc))"
        " ORDER BY l.id LIMIT ?2";
    struct listener_walk w = {cb, ctx, -1};
    return store_each_fmt(st, err, "reading listeners", listener_to_cb, &w, sql,
                          "Ii", message_id, limit);
}

/* ---- findings ----------------------------------------------------------- */

enum pm_rc
store_ui_page_findings(struct pm_store *st, int64_t after_id, int backward,
                       int limit, pm_finding_cb cb, void *ctx,
                       struct pm_err *err)
{
    static const char fwd[] = "SELECT " STORE_FINDING_COLS
                              " FROM findings WHERE id > ? ORDER BY id LIMIT ?";
    static const char back[] =
        "SELECT " STORE_FINDING_COLS
        " FROM findings WHERE id < ? ORDER BY id DESC LIMIT ?";
    struct store_finding_walk w = {cb, ctx};
    if (backward && after_id <= 0)
        after_id = INT64_MAX;
    return store_each_fmt(st, err, "reading findings", store_finding_to_cb, &w,
                          backward ? back : fwd, "Ii", after_id, limit);
}

/* ---- frame tree --------------------------------------------------------- */

/*
 * The tree order is computed once into a temporary table (connection-local,
 * never written to the workspace file), so each page is a keyset read on
 * its position.  Children hang under their parent (index on parent_id);
 * popups without a parent under their opener; a missing parent or opener
 * makes a root.  The depth bound stops a corrupt cycle.
 */
enum pm_rc
store_ui_tree_build(struct pm_store *st, int64_t *count, struct pm_err *err)
{
    static const char sql[] =
        "DROP TABLE IF EXISTS temp.pm_ui_tree;"
        "CREATE TEMP TABLE pm_ui_tree(pos INTEGER PRIMARY KEY, id INTEGER,"
        " depth INTEGER);"
        "INSERT INTO temp.pm_ui_tree(id, depth)"
        " " STORE_WINDOW_TREE_CTE
        " SELECT id, depth FROM tree ORDER BY path;";
    static const char count_sql[] = "SELECT count(*) FROM temp.pm_ui_tree";
    *count = 0;
    if (sqlite3_exec(store_db(st), sql, NULL, NULL, NULL) != SQLITE_OK)
        return store_db_error(st, err, "ordering the frame tree");
    /* count(*) always yields its one row */
    return store_int64_fmt(st, err, "counting the frame tree", count, NULL,
                           count_sql, "");
}

struct window_walk {
    pm_window_cb cb;
    void *ctx;
};

/* store_row_fn: a window row with its tree depth, to the caller's cb. */
static int
window_to_cb(sqlite3_stmt *s, void *p)
{
    struct window_walk *w = p;
    struct pm_window_row r;
    store_window_row(s, &r);
    r.depth = sqlite3_column_int(s, STORE_WINDOW_NCOLS);
    return w->cb(&r, w->ctx);
}

enum pm_rc
store_ui_window_tree(struct pm_store *st, int64_t skip, int limit,
                     pm_window_cb cb, void *ctx, struct pm_err *err)
{
    static const char sql[] =
        "SELECT " STORE_WINDOW_COLS ", t.depth"
        " FROM temp.pm_ui_tree t JOIN windows w ON w.id=t.id"
        " LEFT JOIN origins o ON o.id=w.origin_id"
        " WHERE t.pos > ? ORDER BY t.pos LIMIT ?";
    struct window_walk w = {cb, ctx};
    return store_each_fmt(st, err, "listing windows", window_to_cb, &w, sql,
                          "Ii", skip, limit);
}

enum pm_rc
store_ui_origin_windows(struct pm_store *st, int64_t origin_id, int limit,
                        pm_window_cb cb, void *ctx, struct pm_err *err)
{
    /* The windows_origin index; "IS" also finds the windows of no origin. */
    static const char sql[] =
        "SELECT " STORE_WINDOW_COLS ", 0"
        " FROM windows w LEFT JOIN origins o ON o.id=w.origin_id"
        " WHERE w.origin_id IS nullif(?, 0) ORDER BY w.id LIMIT ?";
    struct window_walk w = {cb, ctx};
    return store_each_fmt(st, err, "listing windows", window_to_cb, &w, sql,
                          "Ii", origin_id, limit);
}

/* ---- flows -------------------------------------------------------------- */

struct flow_walk {
    pm_message_cb cb;
    void *ctx;
    int n; /* rows seen */
};

/* store_row_fn: a message row, counted, to the caller's cb. */
static int
flow_to_cb(sqlite3_stmt *s, void *p)
{
    struct flow_walk *w = p;
    struct pm_message_row r;
    store_message_row(s, &r);
    w->n++;
    return w->cb(&r, w->ctx);
}

enum pm_rc
store_ui_flow(struct pm_store *st, int64_t message_id, int limit,
              pm_message_cb cb, void *ctx, struct pm_err *err)
{
    static const char by_flow[] =
        "SELECT " STORE_MESSAGE_COLS " FROM messages m" STORE_MESSAGE_JOIN
        " WHERE m.flow_id = (SELECT flow_id FROM messages WHERE id = ?1)"
        " ORDER BY m.ts, m.id LIMIT ?2";
    /* No flow id: the message and what it replies to, walking reply_to. */
    static const char by_reply[] =
        "WITH RECURSIVE up(id, d) AS (SELECT ?1, 0 UNION ALL"
        "  SELECT m.reply_to, up.d + 1 FROM messages m JOIN up ON m.id = up.id"
        "  WHERE m.reply_to IS NOT NULL AND up.d < 10000)"
        " SELECT " STORE_MESSAGE_COLS " FROM up JOIN messages m ON m.id = up.id" STORE_MESSAGE_JOIN
        " ORDER BY m.ts, m.id LIMIT ?2";
    struct flow_walk w = {cb, ctx, 0};
    if (store_each_fmt(st, err, "reading flow", flow_to_cb, &w, by_flow, "Ii",
                       message_id, limit))
        return err->rc;
    if (w.n > 0)
        return PM_OK;
    return store_each_fmt(st, err, "reading flow", flow_to_cb, &w, by_reply,
                          "Ii", message_id, limit);
}

/* ---- origin graph ------------------------------------------------------- */

enum pm_rc
store_ui_each_edge(struct pm_store *st, pm_edge_cb cb, void *ctx,
                   struct pm_err *err)
{
    /* Aggregate on the (sender, receiver) index alone, then add the static
     * part (static_sends, edge_verdicts: small) and name origins. */
    static const char sql[] = STORE_EDGES_SQL(
        "SELECT sender_origin_id AS s, receiver_origin_id AS r, count(*) AS n,"
        " 0 AS w FROM messages INDEXED BY messages_edge GROUP BY 1, 2");
    struct store_edge_walk w = {cb, ctx};
    return store_each_fmt(st, err, "listing edges", store_edge_to_cb, &w, sql,
                          "");
}

enum pm_rc
store_ui_wildcard_slice(struct pm_store *st, int64_t after_id, int64_t upto_id,
                        pm_edge_cb cb, void *ctx, struct pm_err *err)
{
    static const char sql[] =
        "SELECT 'message', NULL, NULL, sender_origin_id, receiver_origin_id,"
        " count(*), 0 FROM messages"
        " WHERE id > ? AND id <= ? AND target_origin = '*' GROUP BY 4, 5";
    struct store_edge_walk w = {cb, ctx};
    return store_each_fmt(st, err, "listing edges", store_edge_to_cb, &w, sql,
                          "II", after_id, upto_id);
}

/* ---- giving way to input ----------------------------------------------- */

static double
yield_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* SQLite progress handler: non-zero interrupts the running statement. */
static int
yield_check(void *p)
{
    struct pm_ui_yield *y = p;
    if (yield_now_ms() - y->started_ms < y->after_ms)
        return 0;
    if (y->pending && y->pending(y->ctx)) {
        y->fired = 1;
        return 1;
    }
    return 0;
}

void
store_ui_yield_begin(struct pm_store *st, struct pm_ui_yield *y)
{
    y->fired = 0;
    y->started_ms = yield_now_ms();
    sqlite3_progress_handler(store_db(st), 20000, yield_check, y);
}

void
store_ui_yield_end(struct pm_store *st)
{
    sqlite3_progress_handler(store_db(st), 0, NULL, NULL);
}

/* ---- counts ------------------------------------------------------------- */

enum pm_rc
store_ui_count_slice(struct pm_store *st, const struct pm_filter *filter,
                     int64_t after_id, int64_t upto_id, int64_t *count,
                     struct pm_err *err)
{
    struct pm_buf sql;
    pm_buf_init(&sql);
    pm_buf_adds(&sql, "SELECT count(*) FROM messages m WHERE (");
    pm_buf_adds(&sql, filter ? filter_sql(filter) : "1");
    pm_buf_adds(&sql, ") AND m.id > ? AND m.id <= ?");
    sqlite3_stmt *s = NULL;
    *count = 0;
    if (sqlite3_prepare_v2(store_db(st), sql.data, -1, &s, NULL) != SQLITE_OK) {
        pm_buf_release(&sql);
        return store_db_error(st, err, "preparing count");
    }
    pm_buf_release(&sql);
    int idx = filter ? filter_bind_range(filter, s, 1, after_id, upto_id) : 1;
    enum pm_rc out = PM_OK;
    if (idx < 0) {
        out = pm_err_set(err, PM_ERR_INTERNAL, "filter parameters do not bind");
    } else {
        sqlite3_bind_int64(s, idx, after_id);
        sqlite3_bind_int64(s, idx + 1, upto_id);
        if (sqlite3_step(s) == SQLITE_ROW)
            *count = sqlite3_column_int64(s, 0);
        else
            out = store_db_error(st, err, "counting messages");
    }
    sqlite3_finalize(s);
    return out;
}

enum pm_rc
store_ui_max_message_id(struct pm_store *st, int64_t *id, struct pm_err *err)
{
    static const char sql[] = "SELECT coalesce(max(id), 0) FROM messages";
    *id = 0;
    /* an aggregate always yields its one row */
    return store_int64_fmt(st, err, "reading the last message id", id, NULL,
                           sql, "");
}

enum pm_rc
store_ui_counts(struct pm_store *st, struct pm_ui_counts *out,
                struct pm_err *err)
{
    static const char sql[] =
        "SELECT (SELECT count(*) FROM sources), (SELECT count(*) FROM windows),"
        " (SELECT count(*) FROM messages), (SELECT count(*) FROM listeners WHERE same_as IS NULL),"
        " (SELECT count(*) FROM findings WHERE status <> 'dismissed'),"
        " (SELECT count(*) FROM findings WHERE status = 'confirmed')";
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s = store_stmt(st, sql, err);
    if (s == NULL)
        return err->rc;
    if (sqlite3_step(s) != SQLITE_ROW)
        return store_step_error(st, s, err, "counting rows");
    out->sources = sqlite3_column_int64(s, 0);
    out->windows = sqlite3_column_int64(s, 1);
    out->messages = sqlite3_column_int64(s, 2);
    out->listeners = sqlite3_column_int64(s, 3);
    out->findings = sqlite3_column_int64(s, 4);
    out->confirmed = sqlite3_column_int64(s, 5);
    sqlite3_reset(s);
    return PM_OK;
}
