/*
 * store_int.h - private interface shared by the store's own modules
 * (store*.c, filter.c).  Nothing outside the store layer includes this.
 */
#ifndef PM_STORE_INT_H
#define PM_STORE_INT_H

#include <sqlite3.h>

#include "err.h"
#include "store.h"

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
    " w.kind, w.url, o.text, w.parent_how, w.xfo, w.csp, w.first_seen"
#define STORE_WINDOW_NCOLS 13

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
    " m.target_origin, m.via, m.port, m.data_preview"
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

#endif
