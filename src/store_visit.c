/*
 * store_visit.c - one visit, one model.  A trace and a HAR recorded of the
 * same visit (capture --har writes both; a user may import a crawler trace
 * beside the browser's HAR) describe the same windows twice: the trace
 * knows the frames, listeners and messages, the HAR the HTTP responses and
 * their framing headers.  After a source is imported, its windows that are
 * windows of an earlier source are merged into those: their documents,
 * requests, listeners, send sites and messages move to the earlier window,
 * headers and statuses fill in what the earlier one lacked, and the copy
 * is deleted.  window_sources keeps the record of which sources saw it.
 *
 * Matching, since frame ids are local to a recording: two windows are one
 * when their sources' clocks put them within MATCH_WINDOW_MS of each
 * other, their first (or current) document URLs agree up to the
 * fragment, their kinds agree (top and popup are both top-level), and an
 * iframe's parent is the window its parent was merged into.  Windows are
 * visited in id order, so parents are matched before their frames.  Either
 * import order gives the same windows, documents and headers; the rows
 * keep the ids of the source imported first.
 */
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "store_int.h"
#include "store_visit.h"

/* Two loads of one window by two recorders of the same visit. */
#define MATCH_WINDOW_MS 10000.0

struct visit_win {
    int64_t id, parent_id, opener_id;
    char *kind, *first_url, *url;
    double at;          /* wall clock, ms since the epoch */
    int64_t merged_to;  /* new windows: the earlier window, 0 = none */
    int taken;          /* earlier windows: already matched */
};

struct visit_list {
    struct visit_win *v;
    size_t n, cap;
};

static void
visit_list_free(struct visit_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].kind);
        free(l->v[i].first_url);
        free(l->v[i].url);
    }
    free(l->v);
}

static char *
col_dup(sqlite3_stmt *s, int i)
{
    const char *t = store_col_text(s, i);
    return t ? xstrdup(t) : NULL;
}

/* store_row_fn: one window row into a visit_list. */
static int
visit_win_row(sqlite3_stmt *s, void *p)
{
    struct visit_list *l = p;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    struct visit_win *w = &l->v[l->n++];
    memset(w, 0, sizeof *w);
    w->id = sqlite3_column_int64(s, 0);
    w->kind = col_dup(s, 1);
    w->parent_id = sqlite3_column_int64(s, 2);
    w->opener_id = sqlite3_column_int64(s, 3);
    w->at = sqlite3_column_double(s, 4);
    w->first_url = col_dup(s, 5);
    w->url = col_dup(s, 6);
    return 0;
}

#define VISIT_WIN_COLS                                                       \
    "SELECT w.id, w.kind, w.parent_id, w.opener_id,"                         \
    " s.clock_ms + coalesce(w.first_seen, 0),"                               \
    " (SELECT d.url FROM documents d WHERE d.window_id = w.id"               \
    "  ORDER BY d.seq LIMIT 1), w.url"                                       \
    " FROM windows w JOIN sources s ON s.id = w.source_id"

/* URLs equal up to the fragment. */
static int
same_url(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return 0;
    size_t la = strcspn(a, "#"), lb = strcspn(b, "#");
    return la == lb && memcmp(a, b, la) == 0;
}

static int
top_level(const char *kind)
{
    return kind && (strcmp(kind, "top") == 0 || strcmp(kind, "popup") == 0);
}

static int
kinds_agree(const char *a, const char *b)
{
    if (top_level(a) || top_level(b))
        return top_level(a) && top_level(b);
    return a && b && strcmp(a, b) == 0;
}

static int64_t
merged_id(const struct visit_list *news, int64_t id)
{
    for (size_t i = 0; i < news->n; i++)
        if (news->v[i].id == id)
            return news->v[i].merged_to;
    return 0;
}

/* The earlier window that new window w is, or NULL. */
static struct visit_win *
visit_match(const struct visit_list *news, const struct visit_win *w,
            struct visit_list *old)
{
    struct visit_win *best = NULL;
    double best_gap = MATCH_WINDOW_MS;
    int64_t parent = w->parent_id ? merged_id(news, w->parent_id) : 0;
    int64_t opener = w->opener_id ? merged_id(news, w->opener_id) : 0;
    for (size_t i = 0; i < old->n; i++) {
        struct visit_win *o = &old->v[i];
        if (o->taken || !kinds_agree(w->kind, o->kind))
            continue;
        if (!same_url(w->first_url, o->first_url) &&
            !same_url(w->url, o->url) && !same_url(w->first_url, o->url) &&
            !same_url(w->url, o->first_url))
            continue;
        /* a frame whose parent is known lives in the merged parent */
        if (w->parent_id && (parent == 0 || o->parent_id != parent))
            continue;
        if (opener && o->opener_id && o->opener_id != opener)
            continue;
        double gap = w->at > o->at ? w->at - o->at : o->at - w->at;
        if (gap <= best_gap) {
            best_gap = gap;
            best = o;
        }
    }
    return best;
}

/* ---- moving one window into another ------------------------------------- */

struct doc_row {
    int64_t id, seq;
    char *url;
};

struct doc_list {
    struct doc_row *v;
    size_t n, cap;
};

static int
doc_row(sqlite3_stmt *s, void *p)
{
    struct doc_list *l = p;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = (struct doc_row){
        .id = sqlite3_column_int64(s, 0),
        .seq = sqlite3_column_int64(s, 1),
        .url = col_dup(s, 2),
    };
    return 0;
}

static void
doc_list_free(struct doc_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].url);
    free(l->v);
}

static enum pm_rc
docs_of(struct pm_store *st, int64_t window_id, struct doc_list *out,
        struct pm_err *err)
{
    static const char sql[] =
        "SELECT id, seq, url FROM documents WHERE window_id=? ORDER BY seq";
    return store_each_fmt(st, err, "reading documents", doc_row, out, sql, "I",
                          window_id);
}

/*
 * Move document `from` (of window n) onto `to_seq` of window e: the rows
 * that name the document by (window, seq) follow it.  Rows move window
 * by window and seq by seq, so a renumbered seq never collides.
 */
static enum pm_rc
doc_move_refs(struct pm_store *st, int64_t n, int64_t from_seq, int64_t e,
              int64_t to_seq, struct pm_err *err)
{
    static const char *const sql[] = {
        "UPDATE listeners SET window_id=?1, doc=?2"
        " WHERE window_id=?3 AND doc=?4",
        "UPDATE send_sites SET window_id=?1, doc=?2"
        " WHERE window_id=?3 AND doc=?4",
        "UPDATE messages SET receiver_window_id=?1, receiver_doc=?2"
        " WHERE receiver_window_id=?3 AND receiver_doc=?4",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++)
        if (store_exec_fmt(st, err, "moving a document's rows", sql[i], "IIII",
                           e, to_seq, n, from_seq))
            return err->rc;
    return PM_OK;
}

/* Merge the documents of window n into window e's history. */
static enum pm_rc
docs_merge(struct pm_store *st, int64_t n, int64_t e, struct pm_err *err)
{
    static const char fill[] =
        "UPDATE documents SET"
        " status=coalesce(status, (SELECT status FROM documents WHERE id=?1)),"
        " xfo=coalesce(xfo, (SELECT xfo FROM documents WHERE id=?1)),"
        " csp=coalesce(csp, (SELECT csp FROM documents WHERE id=?1)),"
        " url=coalesce(url, (SELECT url FROM documents WHERE id=?1)),"
        " origin_id=coalesce(origin_id,"
        "  (SELECT origin_id FROM documents WHERE id=?1))"
        " WHERE id=?2";
    static const char append[] =
        "UPDATE documents SET window_id=?1, seq=?2 WHERE id=?3";
    struct doc_list nd = {0}, ed = {0};
    enum pm_rc rc = PM_OK;
    if (docs_of(st, n, &nd, err) || docs_of(st, e, &ed, err)) {
        rc = err->rc;
        goto out;
    }
    int64_t next = ed.n ? ed.v[ed.n - 1].seq + 1 : 1;
    char *paired = xcalloc(ed.n + 1, 1);
    for (size_t i = 0; rc == PM_OK && i < nd.n; i++) {
        size_t j = 0;
        while (j < ed.n && (paired[j] || !same_url(nd.v[i].url, ed.v[j].url)))
            j++;
        /* an unknown first document is the other's first document */
        if (j == ed.n && i == 0 && ed.n && !paired[0] &&
            (nd.v[0].url == NULL || ed.v[0].url == NULL))
            j = 0;
        if (j < ed.n) {
            paired[j] = 1;
            if (store_exec_fmt(st, err, "merging a document", fill, "II",
                               nd.v[i].id, ed.v[j].id) ||
                doc_move_refs(st, n, nd.v[i].seq, e, ed.v[j].seq, err))
                rc = err->rc;
        } else {
            int64_t seq = next++;
            if (doc_move_refs(st, n, nd.v[i].seq, e, seq, err) ||
                store_exec_fmt(st, err, "moving a document", append, "III", e,
                               seq, nd.v[i].id))
                rc = err->rc;
        }
    }
    free(paired);
out:
    doc_list_free(&nd);
    doc_list_free(&ed);
    return rc;
}

/* Everything that names window n names window e instead; n is deleted. */
static enum pm_rc
window_merge(struct pm_store *st, int64_t source_id, int64_t n, int64_t e,
             struct pm_err *err)
{
    static const char *const sql[] = {
        /* rows that name the window but no document of it */
        "UPDATE listeners SET window_id=?1 WHERE window_id=?2",
        "UPDATE send_sites SET window_id=?1 WHERE window_id=?2",
        "UPDATE messages SET receiver_window_id=?1 WHERE receiver_window_id=?2",
        "UPDATE messages SET sender_window_id=?1 WHERE sender_window_id=?2",
        "UPDATE requests SET window_id=?1 WHERE window_id=?2",
        "UPDATE windows SET parent_id=?1 WHERE parent_id=?2",
        "UPDATE windows SET opener_id=?1 WHERE opener_id=?2",
        "UPDATE findings SET subject_id=?1"
        " WHERE subject_kind='window' AND subject_id=?2",
        /* what the earlier recording did not know */
        "UPDATE windows SET"
        " xfo=coalesce(xfo, (SELECT xfo FROM windows WHERE id=?2)),"
        " csp=coalesce(csp, (SELECT csp FROM windows WHERE id=?2)),"
        " opener_id=coalesce(opener_id,"
        "  (SELECT opener_id FROM windows WHERE id=?2)),"
        " first_seen=coalesce(first_seen,"
        "  (SELECT first_seen FROM windows WHERE id=?2))"
        " WHERE id=?1",
        "DELETE FROM documents WHERE window_id=?2",
        "DELETE FROM window_sources WHERE window_id=?2",
        "DELETE FROM windows WHERE id=?2",
        /* the current document is the newest one */
        "UPDATE windows SET"
        " url=(SELECT url FROM documents WHERE window_id=?1"
        "  ORDER BY seq DESC LIMIT 1),"
        " origin_id=(SELECT origin_id FROM documents WHERE window_id=?1"
        "  ORDER BY seq DESC LIMIT 1)"
        " WHERE id=?1",
    };
    static const char seen[] =
        "INSERT OR IGNORE INTO window_sources(window_id, source_id)"
        " VALUES(?,?)";
    if (docs_merge(st, n, e, err))
        return err->rc;
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++)
        if (store_exec_fmt(st, err, "merging windows", sql[i], "II", e, n))
            return err->rc;
    return store_exec_fmt(st, err, "merging windows", seen, "II", e,
                          source_id);
}

enum pm_rc
store_visit_merge(struct pm_store *st, int64_t source_id, long *merged,
                  struct pm_err *err)
{
    static const char news_sql[] =
        VISIT_WIN_COLS " WHERE w.source_id = ?1 AND s.clock_ms IS NOT NULL"
        " ORDER BY w.id";
    static const char old_sql[] =
        VISIT_WIN_COLS " WHERE w.source_id != ?1 AND s.clock_ms IS NOT NULL"
        " AND s.clock_ms + coalesce(w.first_seen, 0) BETWEEN ?2 AND ?3"
        " ORDER BY w.id";
    struct visit_list news = {0}, old = {0};
    enum pm_rc rc = PM_OK;
    if (merged)
        *merged = 0;
    if (store_each_fmt(st, err, "reading windows", visit_win_row, &news,
                       news_sql, "I", source_id)) {
        rc = err->rc;
        goto out;
    }
    if (news.n == 0)
        goto out;
    double lo = news.v[0].at;
    double hi = lo;
    for (size_t i = 1; i < news.n; i++) {
        if (news.v[i].at < lo)
            lo = news.v[i].at;
        if (news.v[i].at > hi)
            hi = news.v[i].at;
    }
    if (store_each_fmt(st, err, "reading windows", visit_win_row, &old,
                       old_sql, "Idd", source_id, lo - MATCH_WINDOW_MS,
                       hi + MATCH_WINDOW_MS)) {
        rc = err->rc;
        goto out;
    }
    for (size_t i = 0; i < news.n && old.n; i++) {
        struct visit_win *o = visit_match(&news, &news.v[i], &old);
        if (o == NULL)
            continue;
        o->taken = 1;
        news.v[i].merged_to = o->id;
    }
    for (size_t i = 0; i < news.n; i++) {
        if (news.v[i].merged_to == 0)
            continue;
        if (window_merge(st, source_id, news.v[i].id, news.v[i].merged_to,
                         err)) {
            rc = err->rc;
            goto out;
        }
        if (merged)
            (*merged)++;
    }
out:
    visit_list_free(&news);
    visit_list_free(&old);
    return rc;
}
