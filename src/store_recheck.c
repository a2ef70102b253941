/*
 * store_recheck.c - the store's side of crawler hints and of `pmscope
 * recheck`: marking listeners whose frame read MessageEvent.origin during a
 * crawl, reading what a finding's subject looked like when it was recorded
 * (document URL and framing headers, listener script and handler code, and
 * whether that script was an HTML page's inline script), and recording the
 * outcome of a re-check in findings.recheck_status/recheck_at/recheck_detail.
 */
#include "store.h"

#include <stdio.h>

#include "store_int.h"

enum pm_rc
store_listener_note_origin_read(struct pm_store *st, int64_t listener_id,
                                long reads, struct pm_err *err)
{
    static const char sql[] =
        "UPDATE listeners SET check_kind = coalesce(check_kind, 'unknown'),"
        " check_expr = coalesce(check_expr, ?) WHERE id = ?";
    char note[96];
    snprintf(note, sizeof note,
             "event.origin read at run time (%ld time%s; code not recorded)",
             reads, reads == 1 ? "" : "s");
    return store_exec_fmt(st, err, "noting origin read", sql, "tI", note,
                          listener_id);
}

/*
 * The subject's receiver document and listener, per finding kind:
 *   window   -> that window
 *   listener -> the listener and the window it lives in
 *   message  -> the receiver window and its listener (STORE_MESSAGE_LISTENER)
 * Other kinds (send_site, edge) have neither and come back with NULLs.
 * The listener's script was an HTML page (its inline scripts) when the
 * scanned body was HTML, or when the script URL is the document's own.
 */
#define RECHECK_SELECT                                                       \
    "SELECT f.id, f.subject_kind, f.subject_id, f.title, f.status,"          \
    " w.url, w.xfo, w.csp, l.id, l.script_url, l.code, l.code_hash,"         \
    " l.check_kind,"                                                         \
    " coalesce(b.mime LIKE '%html%', 0) OR l.script_url = l.doc_url"        \
    "  OR l.script_url = w.url"                                              \
    " FROM findings f"                                                       \
    " LEFT JOIN messages m ON f.subject_kind = 'message' AND m.id = f.subject_id" \
    " LEFT JOIN listeners l ON l.id = CASE f.subject_kind"                   \
    "  WHEN 'listener' THEN f.subject_id"                                 \
    "  WHEN 'message' THEN " STORE_MESSAGE_LISTENER " END"                   \
    " LEFT JOIN windows w ON w.id = CASE f.subject_kind"                     \
    "  WHEN 'window' THEN f.subject_id WHEN 'message' THEN m.receiver_window_id" \
    "  WHEN 'listener' THEN l.window_id END"                                 \
    " LEFT JOIN bodies b ON b.id = l.body_id"

struct recheck_walk {
    pm_recheck_target_cb cb;
    void *ctx;
    int found;
};

/* store_row_fn: decode a RECHECK_SELECT row and hand it to the cb. */
static int
recheck_row(sqlite3_stmt *s, void *p)
{
    struct recheck_walk *w = p;
    struct pm_recheck_target t = {
        .finding_id = sqlite3_column_int64(s, 0),
        .subject_kind = (const char *)sqlite3_column_text(s, 1),
        .subject_id = sqlite3_column_int64(s, 2),
        .title = (const char *)sqlite3_column_text(s, 3),
        .status = (const char *)sqlite3_column_text(s, 4),
        .doc_url = (const char *)sqlite3_column_text(s, 5),
        .xfo = (const char *)sqlite3_column_text(s, 6),
        .csp = (const char *)sqlite3_column_text(s, 7),
        .listener_id = sqlite3_column_int64(s, 8),
        .script_url = (const char *)sqlite3_column_text(s, 9),
        .code = (const char *)sqlite3_column_text(s, 10),
        .code_hash = (const char *)sqlite3_column_text(s, 11),
        .check_kind = (const char *)sqlite3_column_text(s, 12),
        .script_is_html = sqlite3_column_int(s, 13),
        };
    w->found = 1;
    return w->cb(&t, w->ctx);
}

enum pm_rc
store_each_recheck_target(struct pm_store *st, const int64_t *ids, size_t nids,
                          int include_suggested, pm_recheck_target_cb cb,
                          void *ctx, struct pm_err *err)
{
    static const char one[] = RECHECK_SELECT " WHERE f.id = ?";
    static const char all[] = RECHECK_SELECT
        " WHERE f.status = 'confirmed' OR (? AND f.status = 'suggested')"
        " ORDER BY f.id";
    struct recheck_walk w = {cb, ctx, 0};
    if (nids == 0)
        return store_each_fmt(st, err, "reading findings", recheck_row, &w,
                              all, "i", include_suggested ? 1 : 0);
    for (size_t i = 0; i < nids; i++) {
        w.found = 0;
        if (store_each_fmt(st, err, "reading findings", recheck_row, &w, one,
                           "I", ids[i]))
            return err->rc;
        if (!w.found)
            return pm_err_set(err, PM_ERR_NOTFOUND, "no finding %lld",
                              (long long)ids[i]);
    }
    return PM_OK;
}

enum pm_rc
store_set_verify(struct pm_store *st, int64_t finding_id, const char *status,
                 const char *at, const char *detail, struct pm_err *err)
{
    static const char sql[] =
        "UPDATE findings SET verify_status = ?, verify_at = ?,"
        " verify_detail = ? WHERE id = ?";
    return store_exec_fmt(st, err, "recording verification", sql, "tttI",
                          status, at, detail, finding_id);
}

enum pm_rc
store_set_recheck(struct pm_store *st, int64_t finding_id, const char *status,
                  const char *at, const char *detail, struct pm_err *err)
{
    static const char sql[] =
        "UPDATE findings SET recheck_status = ?, recheck_at = ?,"
        " recheck_detail = ? WHERE id = ?";
    return store_exec_fmt(st, err, "recording re-check", sql, "tttI", status,
                          at, detail, finding_id);
}
