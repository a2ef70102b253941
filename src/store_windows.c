/*
 * store_windows.c - windows and their documents.  A window is a browsing
 * context (tab, iframe, popup, worker); its documents are its history, one
 * row per document it showed (seq 1, 2, ...), each with the HTTP status
 * and framing headers of its response when a HAR or crawl recorded it.
 * The window row keeps its current document's URL, origin and headers,
 * which the lists and filters read.  Every statement here is said once
 * through store_bind.c.
 */
#include <stdint.h>

#include "store_int.h"

enum pm_rc
store_add_window(struct pm_store *st, const struct pm_window_rec *r,
                 int64_t *id_out, struct pm_err *err)
{
    static const char sql[] =
        "INSERT INTO windows(source_id, ext_id, kind, url, origin_id,"
        " parent_id, parent_how, opener_id, first_seen, xfo, csp, visit_id)"
        " VALUES(?,?,?,?,?,?,?,?,?,?,?,?)";
    int64_t origin_id;
    if (store_intern_origin(st, r->origin, &origin_id, err))
        return err->rc;
    sqlite3_stmt *s = store_stmt(st, sql, err);
    if (s == NULL)
        return err->rc;
    const char *how = r->parent_how;
    if (how == NULL && r->parent_id > 0)
        how = "known";
    sqlite3_bind_int64(s, 1, r->source_id);
    store_bind_text(s, 2, r->ext_id);
    store_bind_text(s, 3, r->kind ? r->kind : "top");
    store_bind_text_borrowed(s, 4, r->url);
    store_bind_id(s, 5, origin_id);
    store_bind_id(s, 6, r->parent_id);
    store_bind_text(s, 7, how);
    store_bind_id(s, 8, r->opener_id);
    if (r->first_seen >= 0)
        sqlite3_bind_double(s, 9, r->first_seen);
    else
        sqlite3_bind_null(s, 9);
    store_bind_text(s, 10, r->xfo);
    store_bind_text(s, 11, r->csp);
    store_bind_id(s, 12, r->visit_id);
    if (store_step_done(st, s, err, "adding window"))
        return err->rc;
    *id_out = sqlite3_last_insert_rowid(store_db(st));
    /* its first document (unless that is still to come), and the source
     * that saw it */
    static const char doc[] =
        "INSERT INTO documents(window_id, seq, url, origin_id, ts, xfo, csp)"
        " VALUES(?,1,?,?,?,?,?)";
    static const char seen[] =
        "INSERT INTO window_sources(window_id, source_id) VALUES(?,?)";
    if (!r->document_later &&
        store_exec_fmt(st, err, "adding document", doc, "ItRdtt", *id_out,
                       r->url, origin_id, r->first_seen, r->xfo,
                       r->csp) != PM_OK)
        return err->rc;
    return store_exec_fmt(st, err, "adding window", seen, "II", *id_out,
                          r->source_id);
}

enum pm_rc
store_find_window(struct pm_store *st, int64_t source_id, const char *ext_id,
                  int64_t *id_out, struct pm_err *err)
{
    static const char sql[] =
        "SELECT id FROM windows WHERE source_id=? AND ext_id=?"
        " ORDER BY id LIMIT 1";
    *id_out = 0;
    if (ext_id == NULL)
        return PM_OK;
    sqlite3_stmt *s = store_stmt(st, sql, err);
    if (s == NULL)
        return err->rc;
    sqlite3_bind_int64(s, 1, source_id);
    store_bind_text(s, 2, ext_id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *id_out = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_db_error(st, err, "looking up window");
    return PM_OK;
}

enum pm_rc
store_add_navigation(struct pm_store *st, int64_t window_id, const char *url,
                     const char *origin, double ts, struct pm_err *err)
{
    /* The window's next document: seq one past its newest. */
    static const char ins[] =
        "INSERT INTO documents(window_id, seq, url, origin_id, ts)"
        " VALUES(?1, 1 + coalesce((SELECT max(seq) FROM documents"
        "  WHERE window_id = ?1), 0), ?2, ?3, ?4)";
    /* Rewriting a row copies all of it: skip the rewrite when the window
     * already shows this URL and origin (a window just added). */
    static const char upd[] =
        "UPDATE windows SET url=?1, origin_id=?2 WHERE id=?3"
        " AND (url IS NOT ?1 OR origin_id IS NOT ?2)";
    int64_t origin_id;
    if (store_intern_origin(st, origin, &origin_id, err))
        return err->rc;
    if (store_exec_fmt(st, err, "adding document", ins, "ItRd", window_id,
                       url, origin_id, ts) != PM_OK)
        return err->rc;
    return store_exec_fmt(st, err, "updating window", upd, "tRI", url,
                          origin_id, window_id);
}

enum pm_rc
store_set_document_http(struct pm_store *st, int64_t window_id, int status,
                        const char *xfo, const char *csp, struct pm_err *err)
{
    /* The window row keeps its current document's framing headers (the
     * lists and filters read them there); unchanged headers leave the
     * row (and its URL) unread and unwritten. */
    static const char doc[] =
        "UPDATE documents SET status=?1, xfo=?2, csp=?3"
        " WHERE window_id=?4 AND seq=(SELECT max(seq) FROM documents"
        "  WHERE window_id=?4)";
    static const char win[] =
        "UPDATE windows SET xfo=?1, csp=?2 WHERE id=?3"
        " AND (xfo IS NOT ?1 OR csp IS NOT ?2)";
    if (store_exec_fmt(st, err, "setting document headers", doc, "RttI",
                       (int64_t)status, xfo, csp, window_id) != PM_OK)
        return err->rc;
    return store_exec_fmt(st, err, "setting window headers", win, "ttI", xfo,
                          csp, window_id);
}


struct top_origin_walk {
    int (*cb)(int64_t origin_id, void *ctx);
    void *ctx;
};

static int
top_origin_row(sqlite3_stmt *s, void *p)
{
    struct top_origin_walk *w = p;
    return w->cb(sqlite3_column_int64(s, 0), w->ctx);
}

enum pm_rc
store_each_top_origin(struct pm_store *st,
                      int (*cb)(int64_t origin_id, void *ctx), void *ctx,
                      struct pm_err *err)
{
    /* Every document a tab showed, not only its current one. */
    static const char sql[] =
        "SELECT DISTINCT d.origin_id FROM windows w"
        " JOIN documents d ON d.window_id=w.id"
        " WHERE w.kind='top' AND d.origin_id IS NOT NULL"
        " UNION SELECT origin_id FROM windows"
        " WHERE kind='top' AND origin_id IS NOT NULL";
    struct top_origin_walk w = {cb, ctx};
    return store_each_fmt(st, err, "listing top-level origins",
                          top_origin_row, &w, sql, "");
}
