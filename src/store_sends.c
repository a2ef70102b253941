/*
 * store_sends.c - the send-site reads of the TUI's view 7 and of `pmscope
 * show send` (see store_sends.h).
 *
 * A site's origin is that of the document that sent (send_sites.doc, on
 * documents_seq), falling back on its window's when the document is not
 * known: a frame that navigated from A to B keeps A's sends under A.  A
 * recorded call the scan also found ("trace+scan") takes its script from
 * the scanned copy, which is found on send_sites_position (same window
 * and line), never by reading every site.
 */
#include "store_sends.h"

#include <stdio.h>

#include "mem.h"

#include "buf.h"
#include "store_int.h"

#define SEND_ORIGIN_ID "coalesce(d.origin_id, w.origin_id)"

#define SEND_COLS                                                            \
    "x.id, x.source_id, x.window_id, x.doc, o.text, w.kind,"                 \
    " coalesce(d.url, w.url), x.script_url, x.line, x.col, x.target_expr,"   \
    " x.target_origin, x.snippet,"                                           \
    " CASE WHEN x.stack IS NULL THEN 'scan'"                                 \
    "  WHEN EXISTS(SELECT 1 FROM send_sites c WHERE c.window_id = x.window_id" \
    "   AND c.line = x.line AND c.same_as = x.id) THEN 'trace+scan'"         \
    "  ELSE 'trace' END"
#define SEND_FROM                                                            \
    " FROM send_sites x LEFT JOIN windows w ON w.id = x.window_id"           \
    " LEFT JOIN documents d ON d.window_id = x.window_id AND d.seq = x.doc"  \
    "  AND x.doc > 0"                                                        \
    " LEFT JOIN origins o ON o.id = " SEND_ORIGIN_ID
/* ?2: origin id or 0; ?3: JSON array of ids or NULL */
#define SEND_SCOPE                                                           \
    " AND x.same_as IS NULL AND (?2 = 0 OR " SEND_ORIGIN_ID " = ?2)"         \
    " AND (?3 IS NULL OR x.id IN (SELECT value FROM json_each(?3)))"

struct send_walk {
    pm_ui_send_site_cb cb;
    void *ctx;
    int full; /* the stack and script columns follow */
};

/* store_row_fn: decode a send site row and hand it to the caller's cb. */
static int
send_to_cb(sqlite3_stmt *s, void *p)
{
    struct send_walk *w = p;
    struct pm_ui_send_site r = {
        .id = sqlite3_column_int64(s, 0),
        .source_id = sqlite3_column_int64(s, 1),
        .window_id = sqlite3_column_int64(s, 2),
        .doc = sqlite3_column_int64(s, 3),
        .origin = store_col_text(s, 4),
        .window_kind = store_col_text(s, 5),
        .doc_url = store_col_text(s, 6),
        .script_url = store_col_text(s, 7),
        .line = (long)sqlite3_column_int64(s, 8),
        .col = (long)sqlite3_column_int64(s, 9),
        .target_expr = store_col_text(s, 10),
        .target_origin = store_col_text(s, 11),
        .snippet = store_col_text(s, 12),
        .found_by = store_col_text(s, 13),
    };
    if (w->full) {
        r.stack = store_col_text(s, 14);
        r.script = sqlite3_column_blob(s, 15);
        r.script_len = (size_t)sqlite3_column_bytes(s, 15);
    }
    return w->cb(&r, w->ctx);
}

enum pm_rc
store_ui_page_send_sites(struct pm_store *st,
                         const struct pm_send_site_scope *scope,
                         int64_t after_id, int backward, int limit,
                         pm_ui_send_site_cb cb, void *ctx, struct pm_err *err)
{
    static const char fwd[] = "SELECT " SEND_COLS SEND_FROM
                              " WHERE x.id > ?1" SEND_SCOPE
                              " ORDER BY x.id LIMIT ?4";
    static const char back[] = "SELECT " SEND_COLS SEND_FROM
                               " WHERE x.id < ?1" SEND_SCOPE
                               " ORDER BY x.id DESC LIMIT ?4";
    struct send_walk w = {cb, ctx, 0};
    if (backward && after_id <= 0)
        after_id = INT64_MAX;
    struct pm_buf ids;
    pm_buf_init(&ids);
    int64_t origin_id = scope ? scope->origin_id : 0;
    if (scope && scope->ids) {
        pm_buf_addc(&ids, '[');
        for (size_t i = 0; i < scope->nids; i++)
            pm_buf_addf(&ids, "%s%lld", i ? "," : "",
                        (long long)scope->ids[i]);
        pm_buf_addc(&ids, ']');
    }
    enum pm_rc rc = store_each_fmt(st, err, "reading send sites", send_to_cb,
                                   &w, backward ? back : fwd, "IItI",
                                   after_id, origin_id,
                                   scope && scope->ids ? ids.data : NULL,
                                   (int64_t)limit);
    pm_buf_release(&ids);
    return rc;
}

enum pm_rc
store_ui_get_send_site(struct pm_store *st, int64_t id, pm_ui_send_site_cb cb,
                       void *ctx, struct pm_err *err)
{
    /* the script: its own body, else that of a scanned copy of the call
     * (on send_sites_position: ORDER BY c.id alone would have the planner
     * read every site of the window in id order, 33 ms on 20 000) */
    static const char sql[] =
        "SELECT " SEND_COLS ", x.stack,"
        " coalesce((SELECT b.data FROM bodies b WHERE b.id = x.body_id),"
        "  (SELECT b.data FROM send_sites c INDEXED BY send_sites_position"
        "   JOIN bodies b ON b.id = c.body_id"
        "   WHERE c.window_id = x.window_id AND c.line = x.line"
        "   AND c.same_as = x.id ORDER BY c.id LIMIT 1))"
        SEND_FROM " WHERE x.id = ?1";
    struct send_walk w = {cb, ctx, 1};
    int found;
    if (store_one_fmt(st, err, "reading send site", send_to_cb, &w, &found,
                      sql, "I", id))
        return err->rc;
    if (!found)
        return pm_err_set(err, PM_ERR_NOTFOUND, "no send site %lld",
                          (long long)id);
    return PM_OK;
}

struct id_list {
    int64_t *ids;
    int max, n;
};

/* store_row_fn: collect a message id. */
static int
id_to_list(sqlite3_stmt *s, void *p)
{
    struct id_list *l = p;
    if (l->n < l->max)
        l->ids[l->n++] = sqlite3_column_int64(s, 0);
    return l->n >= l->max;
}

enum pm_rc
store_send_site_messages(struct pm_store *st, int64_t id, int64_t *ids,
                         int max, int *n, int64_t *count, struct pm_err *err)
{
    /* on messages_send_site (v7) */
    static const char count_sql[] =
        "SELECT count(*) FROM messages m WHERE m.send_site_id = ?1";
    static const char ids_sql[] =
        "SELECT m.id FROM messages m WHERE m.send_site_id = ?1"
        " ORDER BY m.id LIMIT ?2";
    struct id_list l = {ids, max, 0};
    *n = 0;
    *count = 0;
    if (store_int64_fmt(st, err, "counting a send site's messages", count,
                        NULL, count_sql, "I", id))
        return err->rc;
    if (max > 0 && *count > 0 &&
        store_each_fmt(st, err, "reading a send site's messages", id_to_list,
                       &l, ids_sql, "Ii", id, max))
        return err->rc;
    *n = l.n;
    return PM_OK;
}

