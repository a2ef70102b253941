/*
 * store_findings.c - the findings table: add, read, update, delete, and
 * the subject lookups the findings workflow needs (does message 12 exist,
 * what is origin "https://a.example", how to describe listener 3 in a
 * line).  The workflow rules (one hand mark per subject, default titles,
 * transactions) live in src/findings.c; this file only speaks SQL.
 */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mem.h"
#include "store_int.h"

/* Severity rank for ORDER BY: critical first. */
#define SEVERITY_RANK                                                       \
    "CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1"              \
    " WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END"

void
store_finding_row(sqlite3_stmt *s, struct pm_finding_row *r)
{
    r->id = sqlite3_column_int64(s, 0);
    r->subject_kind = store_col_text(s, 1);
    r->subject_id = sqlite3_column_int64(s, 2);
    r->subject_key = store_col_text(s, 3);
    r->rule = store_col_text(s, 4);
    r->severity = store_col_text(s, 5);
    r->status = store_col_text(s, 6);
    r->title = store_col_text(s, 7);
    r->note = store_col_text(s, 8);
    r->created_at = store_col_text(s, 9);
    r->updated_at = store_col_text(s, 10);
    r->recheck_status = store_col_text(s, 11);
    r->recheck_at = store_col_text(s, 12);
    r->recheck_detail = store_col_text(s, 13);
    r->verify_status = store_col_text(s, 14);
    r->verify_at = store_col_text(s, 15);
    r->verify_detail = store_col_text(s, 16);
}

int
store_finding_to_cb(sqlite3_stmt *s, void *p)
{
    struct store_finding_walk *w = p;
    struct pm_finding_row r;
    store_finding_row(s, &r);
    return w->cb(&r, w->ctx);
}

enum pm_rc
store_add_finding(struct pm_store *st, const struct pm_finding_rec *r,
                  int64_t *id_out, struct pm_err *err)
{
    static const char sql[] =
        "INSERT INTO findings(subject_kind, subject_id, subject_key, rule,"
        " severity, status, title, note) VALUES(?,?,?,?,?,?,?,?)";
    if (store_exec_fmt(st, err, "adding finding", sql, "tItttttt",
                       r->subject_kind, r->subject_id, r->subject_key,
                       r->rule, r->severity, r->status,
                       r->title ? r->title : "", r->note))
        return err->rc;
    *id_out = sqlite3_last_insert_rowid(store_db(st));
    return PM_OK;
}

enum pm_rc
store_get_finding(struct pm_store *st, int64_t id, pm_finding_cb cb, void *ctx,
                  struct pm_err *err)
{
    static const char sql[] =
        "SELECT " STORE_FINDING_COLS " FROM findings WHERE id=?";
    struct store_finding_walk w = {cb, ctx};
    int found;
    if (store_one_fmt(st, err, "reading finding", store_finding_to_cb, &w,
                      &found, sql, "I", id))
        return err->rc;
    if (found)
        return PM_OK;
    return pm_err_set(err, PM_ERR_NOTFOUND, "no finding %lld", (long long)id);
}

enum pm_rc
store_each_finding(struct pm_store *st, unsigned status_mask, int by_severity,
                   int64_t after_id, int64_t limit, pm_finding_cb cb,
                   void *ctx, struct pm_err *err)
{
    /* Status bit of a row: suggested 1, confirmed 2, dismissed 4. */
#define FINDING_WHERE                                                       \
    " FROM findings WHERE id>?1 AND (?2 & CASE status"                     \
    " WHEN 'suggested' THEN 1 WHEN 'confirmed' THEN 2 ELSE 4 END) != 0"
    static const char by_id[] =
        "SELECT " STORE_FINDING_COLS FINDING_WHERE " ORDER BY id LIMIT ?3";
    static const char by_sev[] =
        "SELECT " STORE_FINDING_COLS FINDING_WHERE
        " ORDER BY " SEVERITY_RANK ", id LIMIT ?3";
#undef FINDING_WHERE
    struct store_finding_walk w = {cb, ctx};
    return store_each_fmt(st, err, "reading findings", store_finding_to_cb, &w,
                          by_severity ? by_sev : by_id, "IiI", after_id,
                          (int)status_mask, limit > 0 ? limit : (int64_t)-1);
}

enum pm_rc
store_each_subject_finding(struct pm_store *st, const char *kind,
                           int64_t subject_id, const char *key,
                           pm_finding_cb cb, void *ctx, struct pm_err *err)
{
    static const char sql[] =
        "SELECT " STORE_FINDING_COLS " FROM findings"
        " WHERE subject_kind=?1 AND subject_id=?2"
        " AND (?3 IS NULL OR subject_key=?3) ORDER BY id";
    struct store_finding_walk w = {cb, ctx};
    return store_each_fmt(st, err, "reading findings", store_finding_to_cb, &w,
                          sql, "tIt", kind, subject_id, key);
}

/* After an UPDATE or DELETE of finding id: NOTFOUND when no row changed. */
static enum pm_rc
finding_changed(struct pm_store *st, int64_t id, struct pm_err *err)
{
    if (sqlite3_changes(store_db(st)) == 0)
        return pm_err_set(err, PM_ERR_NOTFOUND, "no finding %lld",
                          (long long)id);
    return PM_OK;
}

enum pm_rc
store_finding_set(struct pm_store *st, int64_t id, const char *field,
                  const char *value, struct pm_err *err)
{
#define STAMP ", updated_at=strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id=?2"
    static const char sev[] = "UPDATE findings SET severity=?1" STAMP;
    static const char status[] = "UPDATE findings SET status=?1" STAMP;
    static const char title[] = "UPDATE findings SET title=?1" STAMP;
    static const char note[] = "UPDATE findings SET note=?1" STAMP;
#undef STAMP
    const char *sql = strcmp(field, "severity") == 0 ? sev
                      : strcmp(field, "status") == 0 ? status
                      : strcmp(field, "title") == 0  ? title
                      : strcmp(field, "note") == 0   ? note
                                                     : NULL;
    if (sql == NULL)
        return pm_err_set(err, PM_ERR_INTERNAL, "no finding field '%s'", field);
    if (store_exec_fmt(st, err, "updating finding", sql, "tI", value, id))
        return err->rc;
    return finding_changed(st, id, err);
}

enum pm_rc
store_delete_finding(struct pm_store *st, int64_t id, struct pm_err *err)
{
    static const char sql[] = "DELETE FROM findings WHERE id=?";
    if (store_exec_fmt(st, err, "deleting finding", sql, "I", id))
        return err->rc;
    return finding_changed(st, id, err);
}

enum pm_rc
store_lookup_origin(struct pm_store *st, const char *text, int64_t *id_out,
                    struct pm_err *err)
{
    static const char sql[] = "SELECT id FROM origins WHERE text=?";
    *id_out = 0;
    return store_int64_fmt(st, err, "looking up origin", id_out, NULL, sql,
                           "t", text);
}

/* store_row_fn: append the row's non-NULL text columns to the line. */
static int
describe_row(sqlite3_stmt *s, void *p)
{
    struct pm_buf *b = p;
    for (int i = 0; i < 3; i++)
        if (store_col_text(s, i))
            pm_buf_addf(b, " %s", store_col_text(s, i));
    return 0;
}

/*
 * Describe a subject with one query per kind; every query returns one row
 * of up to three text columns that are joined with spaces after the kind
 * and id, or no row when the subject does not exist.
 */
enum pm_rc
store_subject_describe(struct pm_store *st, const char *kind,
                       int64_t subject_id, const char *key, char **out,
                       struct pm_err *err)
{
    static const char message[] =
        "SELECT coalesce(so.text,'?') || ' -> ' || coalesce(ro.text,'?'),"
        " 'targetOrigin ' || coalesce(m.target_origin,'?'), NULL"
        " FROM messages m LEFT JOIN origins so ON so.id=m.sender_origin_id"
        " LEFT JOIN origins ro ON ro.id=m.receiver_origin_id WHERE m.id=?1";
    static const char listener[] =
        "SELECT 'in ' || coalesce(l.script_url,'an inline script') || ':'"
        " || l.line, NULL, NULL"
        " FROM listeners l WHERE l.id=?1";
    static const char send_site[] =
        "SELECT 'in ' || coalesce(x.script_url,'an inline script') || ':'"
        " || x.line, 'targetOrigin ' || coalesce(x.target_origin,'?'), NULL"
        " FROM send_sites x WHERE x.id=?1";
    static const char window[] =
        "SELECT w.kind, coalesce(o.text,'?'), NULL"
        " FROM windows w LEFT JOIN origins o ON o.id=w.origin_id"
        " WHERE w.id=?1";
    static const char edge[] =
        "SELECT so.text || ' -> ' || ro.text, NULL, NULL"
        " FROM origins so, origins ro WHERE so.id=?1 AND ro.id=?2";
    const char *sql = strcmp(kind, "message") == 0     ? message
                      : strcmp(kind, "listener") == 0  ? listener
                      : strcmp(kind, "send_site") == 0 ? send_site
                      : strcmp(kind, "window") == 0    ? window
                      : strcmp(kind, "edge") == 0      ? edge
                                                       : NULL;
    *out = NULL;
    if (sql == NULL)
        return pm_err_set(err, PM_ERR_USAGE, "unknown subject kind '%s'", kind);
    int64_t to_id = 0;
    if (sql == edge) {
        const char *gt = key ? strchr(key, '>') : NULL;
        if (gt == NULL)
            return pm_err_set(err, PM_ERR_NOTFOUND, "edge has no receiver");
        to_id = strtoll(gt + 1, NULL, 10);
    }
    struct pm_buf b;
    pm_buf_init(&b);
    if (sql == edge)
        pm_buf_adds(&b, "edge");
    else
        pm_buf_addf(&b, "%s %lld", kind, (long long)subject_id);
    int found;
    enum pm_rc rc = store_one_fmt(st, err, "reading subject", describe_row, &b,
                                  &found, sql, sql == edge ? "II" : "I",
                                  subject_id, to_id);
    if (rc == PM_OK && found) {
        *out = pm_buf_detach(&b);
        return PM_OK;
    }
    pm_buf_release(&b);
    if (rc != PM_OK)
        return rc;
    if (sql == edge)
        return pm_err_set(err, PM_ERR_NOTFOUND,
                          "no origin %lld or %lld in the workspace",
                          (long long)subject_id, (long long)to_id);
    return pm_err_set(err, PM_ERR_NOTFOUND, "no %s %lld", kind,
                      (long long)subject_id);
}
