/*
 * store_int.h - private interface shared by the store's own modules
 * (store*.c, filter.c): the statement cache and the binder of
 * store_bind.c.  Nothing outside the store layer includes this.
 */
#ifndef PM_STORE_INT_H
#define PM_STORE_INT_H

#include <sqlite3.h>

#include "err.h"
#include "store.h"
#include "store_query.h"

/*
 * Return the prepared statement for sql, preparing it on first use and
 * caching it for the life of the connection.  The cache is keyed by the
 * pointer, so pass a string literal (or other static storage).  The statement
 * comes back reset with bindings cleared.  NULL on error (err filled).
 */
sqlite3_stmt *store_stmt(struct pm_store *st, const char *sql,
                         struct pm_err *err);

/* Record the connection's current SQLite error in err; returns PM_ERR_DB. */
enum pm_rc store_db_error(struct pm_store *st, struct pm_err *err,
                          const char *what);

/* Define regexp(PATTERN, TEXT) and pm_preview(JSON) on a connection
 * (store_sqlfn.c); an SQLite result code. */
int store_register_functions(sqlite3 *db);

/* Longest preview of a message's data, in bytes. */
#define STORE_PREVIEW_MAX 160
/* Data up to this many bytes gets no stored preview: pm_preview makes it. */
#define STORE_PREVIEW_STORED_MIN 1024

/*
 * The one-line preview of a message's data for list views: whitespace runs
 * collapse to one space, at most outsz - 1 bytes, cut on a UTF-8 boundary.
 * Control characters stay in; the UI escapes them at display time.
 */
void store_message_preview(const char *json, char *out, size_t outsz);

/* A text column as a C string (NULL for SQL NULL), valid until the next step. */
static inline const char *
store_col_text(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

/*
 * The frame tree in display order: "tree(id, depth, path)" where path sorts
 * depth-first (children by id) and popups hang under their opener.  Frames
 * join on the indexed parent_id; popups come from a materialized list, as a
 * join on coalesce(parent_id, opener_id) could use no index (minutes on
 * 50 000 windows).  The depth bound stops a corrupt cycle.
 */
#define STORE_WINDOW_TREE_CTE                                                \
    "WITH RECURSIVE"                                                         \
    " popups(id, opener_id) AS MATERIALIZED ("                               \
    "  SELECT id, opener_id FROM windows"                                    \
    "   WHERE parent_id IS NULL AND opener_id IS NOT NULL),"                 \
    " tree(id, depth, path) AS ("                                            \
    "  SELECT id, 0, printf('%012d', id) FROM windows"                       \
    "   WHERE coalesce(parent_id, opener_id) IS NULL"                        \
    "      OR coalesce(parent_id, opener_id) NOT IN (SELECT id FROM windows)" \
    "  UNION ALL"                                                            \
    "  SELECT w.id, t.depth + 1, t.path || '/' || printf('%012d', w.id)"     \
    "   FROM tree t JOIN windows w ON w.parent_id = t.id WHERE t.depth < 64" \
    "  UNION ALL"                                                            \
    "  SELECT p.id, t.depth + 1, t.path || '/' || printf('%012d', p.id)"     \
    "   FROM tree t JOIN popups p ON p.opener_id = t.id WHERE t.depth < 64)"

/*
 * The window columns every window read selects (alias w, origin alias o),
 * decoded by store_window_row into a row with n_messages -1 (not counted)
 * and depth 0; a caller that selects more columns fills those itself.
 */
#define STORE_WINDOW_COLS                                                    \
    "w.id, w.source_id, w.parent_id, w.opener_id, w.visit_id, w.ext_id,"     \
    " w.kind, w.url, o.text, w.parent_how, w.xfo, w.csp, w.first_seen,"     \
    " w.xfo IS NOT NULL OR w.csp IS NOT NULL OR (SELECT d.status"            \
    "  FROM documents d WHERE d.window_id = w.id"                            \
    "  ORDER BY d.seq DESC LIMIT 1) IS NOT NULL"
#define STORE_WINDOW_NCOLS 14

struct pm_window_row;
void store_window_row(sqlite3_stmt *s, struct pm_window_row *r);

/*
 * The message columns every message-row read selects (alias m, origins so
 * and ro joined by STORE_MESSAGE_JOIN), decoded by store_message_row; a
 * statement that selects m.data_json as the next column gets it in
 * data_json, else data_json is NULL.
 */
#define STORE_MESSAGE_COLS                                                   \
    "m.id, m.source_id, m.sender_window_id, m.receiver_window_id,"           \
    " m.reply_to, m.flow_id, m.size, m.ts, m.ext_id, so.text, ro.text,"      \
    " m.target_origin, m.via, m.port,"                                      \
    " coalesce(m.data_preview, pm_preview(m.data_json))"
#define STORE_MESSAGE_NCOLS 15
#define STORE_MESSAGE_JOIN                                                   \
    " LEFT JOIN origins so ON so.id=m.sender_origin_id"                      \
    " LEFT JOIN origins ro ON ro.id=m.receiver_origin_id"

/*
 * The one listener a message (alias m) is reported and re-checked with:
 * the listener analysis attributed it to, else the first (by id) of those
 * it reached - its receiving window's listeners on its channel (unknown
 * target: every channel) and of the document it was delivered to (doc 0:
 * every document), the rule of store_ui_message_listeners and of the
 * check:/sink: filter terms.  NULL when it reached none.
 */
#define STORE_MESSAGE_LISTENER                                               \
    "coalesce(m.listener_id, (SELECT r.id FROM listeners r"                  \
    " WHERE r.window_id = m.receiver_window_id"                              \
    " AND coalesce(r.target, m.via) = m.via"                                 \
    " AND r.doc IN (0, m.receiver_doc) ORDER BY r.id LIMIT 1))"

struct pm_message_row;
void store_message_row(sqlite3_stmt *s, struct pm_message_row *r);

/* The columns every findings read selects, decoded by store_finding_row. */
#define STORE_FINDING_COLS                                                   \
    "id, subject_kind, subject_id, subject_key, rule, severity, status,"     \
    " title, note, created_at, updated_at, recheck_status, recheck_at,"     \
    " recheck_detail, verify_status, verify_at, verify_detail"

struct pm_finding_row;
void store_finding_row(sqlite3_stmt *s, struct pm_finding_row *r);

/* A findings read's callback, for store_finding_to_cb. */
struct store_finding_walk {
    pm_finding_cb cb;
    void *ctx;
};

/* store_row_fn over STORE_FINDING_COLS rows; ctx a store_finding_walk. */
int store_finding_to_cb(sqlite3_stmt *s, void *ctx);

/* An edge read's callback, for store_edge_to_cb over rows of (kind, from,
 * to, from_id, to_id, count, wildcard), optionally followed by (marks,
 * sends, sends_wildcard, accepted, rejected, unknown). */
struct store_edge_walk {
    pm_edge_cb cb;
    void *ctx;
};
int store_edge_to_cb(sqlite3_stmt *s, void *ctx);

/*
 * Message edges (one row per origin pair, observed and/or static) then
 * frame edges, in the row shape of store_edge_to_cb with all 13 columns.
 * OBSERVED is a subquery giving (s, r, n, w): sender and receiver origin
 * ids, messages, messages with targetOrigin '*'.
 */
#define STORE_EDGES_SQL(OBSERVED)                                             \
    "WITH obs AS (" OBSERVED "),"                                             \
    " sta AS (SELECT sender_origin_id AS s, receiver_origin_id AS r,"         \
    "  count(DISTINCT send_site_id) AS n, count(DISTINCT CASE"                \
    "  WHEN target_written = '*' THEN send_site_id END) AS w"                 \
    "  FROM static_sends GROUP BY 1, 2),"                                     \
    " pairs AS (SELECT s, r FROM obs UNION SELECT s, r FROM sta),"            \
    " ver AS (SELECT sender_origin_id AS s, receiver_origin_id AS r,"         \
    "  sum(verdict = 'accepted') AS a, sum(verdict = 'rejected') AS j,"       \
    "  sum(verdict = 'unknown') AS u FROM edge_verdicts GROUP BY 1, 2)"       \
    " SELECT 'message', so.text, ro.text, p.s, p.r, coalesce(obs.n, 0),"      \
    "  coalesce(obs.w, 0),"                                                   \
    "  (obs.n IS NOT NULL) | ((sta.n IS NOT NULL) << 1),"                     \
    "  coalesce(sta.n, 0), coalesce(sta.w, 0), coalesce(ver.a, 0),"           \
    "  coalesce(ver.j, 0), coalesce(ver.u, 0)"                                \
    " FROM pairs p LEFT JOIN obs ON obs.s IS p.s AND obs.r IS p.r"            \
    " LEFT JOIN sta ON sta.s IS p.s AND sta.r IS p.r"                         \
    " LEFT JOIN ver ON ver.s IS p.s AND ver.r IS p.r"                         \
    " LEFT JOIN origins so ON so.id = p.s LEFT JOIN origins ro ON ro.id = p.r" \
    " UNION ALL "                                                             \
    "SELECT 'frame', po.text, co.text, p.origin_id, c.origin_id, count(*),"   \
    " 0, 4, 0, 0, 0, 0, 0"                                                    \
    " FROM windows c JOIN windows p ON p.id=coalesce(c.parent_id, c.opener_id)" \
    " LEFT JOIN origins po ON po.id=p.origin_id"                              \
    " LEFT JOIN origins co ON co.id=c.origin_id"                              \
    " GROUP BY p.origin_id, c.origin_id"                                      \
    " ORDER BY 1 DESC, 6 DESC, 9 DESC, 2, 3"

/* Record the error of a failed step in err, then reset s; returns err->rc. */
enum pm_rc store_step_error(struct pm_store *st, sqlite3_stmt *s,
                            struct pm_err *err, const char *what);

/* Bind helpers: NULL strings bind SQL NULL, id 0 binds NULL. */
void store_bind_text(sqlite3_stmt *s, int i, const char *v);
/* Bind without a copy; v must outlive the store_step_done that runs it. */
void store_bind_text_borrowed(sqlite3_stmt *s, int i, const char *v);
void store_bind_id(sqlite3_stmt *s, int i, int64_t id);

/* Step a statement that returns no rows; PM_OK or PM_ERR_DB. */
enum pm_rc store_step_done(struct pm_store *st, sqlite3_stmt *s,
                           struct pm_err *err, const char *what);

/* ---- store_bind.c: a statement said once ------------------------------- */

/*
 * Parameter formats, one letter per placeholder in order: t text (const
 * char *, NULL binds NULL), I int64_t, i int, R row id (int64_t, 0 or less
 * binds NULL), d double (a time or size: below 0 binds NULL).  The variadic arguments must have exactly those types.
 */

/* The cached statement for sql with its parameters bound; NULL on error. */
sqlite3_stmt *store_stmt_fmt(struct pm_store *st, struct pm_err *err,
                             const char *sql, const char *fmt, ...);

/* Run a statement that returns no rows; `what` names it in an error. */
enum pm_rc store_exec_fmt(struct pm_store *st, struct pm_err *err,
                          const char *what, const char *sql, const char *fmt,
                          ...);

/*
 * The first column of the first row of a query into *out (left alone when
 * there is no row); *found (may be NULL) says whether there was one.
 */
enum pm_rc store_int64_fmt(struct pm_store *st, struct pm_err *err,
                           const char *what, int64_t *out, int *found,
                           const char *sql, const char *fmt, ...);

/* Called per row; non-zero stops the walk. */
typedef int (*store_row_fn)(sqlite3_stmt *s, void *ctx);

/* Step s to its end (or until row stops), then reset it. */
enum pm_rc store_each_row(struct pm_store *st, sqlite3_stmt *s,
                          const char *what, store_row_fn row, void *ctx,
                          struct pm_err *err);

/* Step s once: row is called when there is a row (*found 1); then reset. */
enum pm_rc store_one_row(struct pm_store *st, sqlite3_stmt *s,
                         const char *what, store_row_fn row, void *ctx,
                         int *found, struct pm_err *err);

/* store_each_row over the cached statement for sql, bound by fmt. */
enum pm_rc store_each_fmt(struct pm_store *st, struct pm_err *err,
                          const char *what, store_row_fn row, void *ctx,
                          const char *sql, const char *fmt, ...);

/* store_one_row over the cached statement for sql, bound by fmt. */
enum pm_rc store_one_fmt(struct pm_store *st, struct pm_err *err,
                         const char *what, store_row_fn row, void *ctx,
                         int *found, const char *sql, const char *fmt, ...);

#endif
