/*
 * store_recheck.c - the store's side of crawler hints and of `pmscope
 * recheck`: marking listeners whose frame read MessageEvent.origin during a
 * crawl, reading what a finding's subject looked like when it was recorded
 * (document URL and framing headers, listener script and handler code), and
 * recording the outcome of a re-check in findings.recheck_status/recheck_at.
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
    sqlite3_stmt *s = store_stmt(st, sql, err);
    if (s == NULL)
        return err->rc;
    store_bind_text(s, 1, note);
    sqlite3_bind_int64(s, 2, listener_id);
    return store_step_done(st, s, err, "noting origin read");
}
