/*
 * store_replay.c - recorded responses for `pmscope verify --replay`: the
 * status, headers and body a URL was answered with when it was recorded,
 * so a page can be loaded again from the workspace alone.
 */
#include <string.h>

#include "store.h"
#include "store_int.h"

struct replay_walk {
    pm_replay_cb cb;
    void *ctx;
};

/* store_row_fn: hand one requests row (and its body) to the callback. */
static int
replay_row(sqlite3_stmt *s, void *p)
{
    struct replay_walk *w = p;
    struct pm_replay_response r = {
        .status = sqlite3_column_int(s, 0),
        .headers_json = (const char *)sqlite3_column_text(s, 1),
        .mime = (const char *)sqlite3_column_text(s, 2),
        .body = sqlite3_column_blob(s, 3),
        .body_len = (size_t)sqlite3_column_bytes(s, 3),
    };
    w->cb(&r, w->ctx);
    return 1;
}

enum pm_rc
store_recorded_response(struct pm_store *st, const char *url, pm_replay_cb cb,
                        void *ctx, int *found, struct pm_err *err)
{
    /* a successful answer first; the earliest of those */
    static const char sql[] =
        "SELECT r.status, r.resp_headers, r.mime, b.data FROM requests r"
        " LEFT JOIN bodies b ON b.id = r.body_id"
        " WHERE r.url = ? AND r.status > 0"
        " ORDER BY (r.status BETWEEN 200 AND 299) DESC, r.id LIMIT 1";
    struct replay_walk w = {cb, ctx};
    return store_one_fmt(st, err, "reading recorded responses", replay_row, &w,
                         found, sql, "t", url);
}
