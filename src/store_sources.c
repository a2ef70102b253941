/*
 * store_sources.c - the sources table: one row per import (path, format,
 * sha256, size, producer, row counts), and the lookup by content hash the
 * import driver uses to skip a repeat.  Declarations in store.h.
 */
#include "store.h"

#include "store_int.h"

enum pm_rc
store_find_source(struct pm_store *st, const char *sha256, int64_t *id_out,
                  struct pm_err *err)
{
    static const char sql[] =
        "SELECT id FROM sources WHERE sha256=? ORDER BY id LIMIT 1";
    sqlite3_stmt *s = store_stmt(st, sql, err);
    *id_out = 0;
    if (s == NULL)
        return err->rc;
    store_bind_text(s, 1, sha256);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *id_out = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_db_error(st, err, "looking up source");
    return PM_OK;
}

enum pm_rc
store_add_source(struct pm_store *st, const struct pm_source_rec *r,
                 int64_t *id_out, struct pm_err *err)
{
    static const char sql[] =
        "INSERT INTO sources(path, format, sha256, size, tool)"
        " VALUES(?,?,?,?,?)";
    sqlite3_stmt *s = store_stmt(st, sql, err);
    if (s == NULL)
        return err->rc;
    store_bind_text(s, 1, r->path);
    store_bind_text(s, 2, r->format);
    store_bind_text(s, 3, r->sha256);
    sqlite3_bind_int64(s, 4, r->size);
    store_bind_text(s, 5, r->tool);
    if (store_step_done(st, s, err, "adding source"))
        return err->rc;
    *id_out = sqlite3_last_insert_rowid(store_db(st));
    return PM_OK;
}

enum pm_rc
store_source_set_tool(struct pm_store *st, int64_t source_id, const char *tool,
                      struct pm_err *err)
{
    static const char sql[] = "UPDATE sources SET tool=? WHERE id=?";
    sqlite3_stmt *s = store_stmt(st, sql, err);
    if (s == NULL)
        return err->rc;
    store_bind_text(s, 1, tool);
    sqlite3_bind_int64(s, 2, source_id);
    return store_step_done(st, s, err, "setting source tool");
}

enum pm_rc
store_source_set_content(struct pm_store *st, int64_t source_id,
                         const char *sha256, int64_t size, struct pm_err *err)
{
    static const char sql[] = "UPDATE sources SET sha256=?, size=? WHERE id=?";
    sqlite3_stmt *s = store_stmt(st, sql, err);
    if (s == NULL)
        return err->rc;
    store_bind_text(s, 1, sha256);
    sqlite3_bind_int64(s, 2, size);
    sqlite3_bind_int64(s, 3, source_id);
    return store_step_done(st, s, err, "recording source content");
}

enum pm_rc
store_source_set_clock(struct pm_store *st, int64_t source_id, double clock_ms,
                       struct pm_err *err)
{
    static const char sql[] = "UPDATE sources SET clock_ms=? WHERE id=?";
    return store_exec_fmt(st, err, "setting source clock", sql, "dI",
                          clock_ms, source_id);
}

enum pm_rc
store_source_update_counts(struct pm_store *st, int64_t source_id,
                           struct pm_err *err)
{
    static const char sql[] =
        "UPDATE sources SET"
        " n_windows=(SELECT count(*) FROM window_sources WHERE source_id=?1),"
        " n_requests=(SELECT count(*) FROM requests WHERE source_id=?1),"
        " n_messages=(SELECT count(*) FROM messages WHERE source_id=?1),"
        " n_listeners=(SELECT count(*) FROM listeners WHERE source_id=?1)"
        " WHERE id=?1";
    sqlite3_stmt *s = store_stmt(st, sql, err);
    if (s == NULL)
        return err->rc;
    sqlite3_bind_int64(s, 1, source_id);
    return store_step_done(st, s, err, "counting source rows");
}

