/*
 * openwpm.c - import an OpenWPM crawl database (openwpm/storage/schema.sql):
 * one top window per visit with its frame tree, every request (the document
 * requests with their framing headers), and - when the crawl instrumented them - the
 * postMessage calls, message listeners and MessageEvent.origin reads from
 * the `javascript` table.
 *
 * This is the one importer that includes sqlite3.h: its input is itself a
 * SQLite database, a foreign one, which it opens read-only and queries
 * directly.  It never touches the workspace's SQL; everything it learns goes
 * through the store_add_* API like every other importer.
 *
 * What the javascript rows mean (messages, listeners, the origin-read hint)
 * is importers/openwpm_js.c's business; this file reads them and hands them
 * over as plain records, so sqlite3.h stays in this one file.  The frame
 * map of a visit, which both use, is importers/openwpm_frames.c's.
 *
 * Memory stays bounded on crawls of any size: four statements, each ordered
 * by visit_id, are walked side by side (a merge on visit_id), and only one
 * visit's frame map is held at a time.
 *
 * What OpenWPM does not record, pmscope does not invent: a postMessage row
 * names the frame that called it (document_url) and the targetOrigin, never
 * the receiving window, so messages are stored with receiver window 0 and
 * receiver origin = the targetOrigin when that is an origin.  docs/openwpm.md
 * lists the instrumentation settings a crawl needs and these limits.
 */
#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mem.h"
#include "openwpm_int.h"
#include "utf8.h"

#define OWPM_MAGIC "SQLite format 3" /* 16 bytes with the NUL */

static const char *const owpm_tables[] = {
    "site_visits", "navigations", "http_requests", "http_responses",
    "javascript", NULL,
};

static const char sql_visits[] =
    "SELECT visit_id, site_url FROM site_visits ORDER BY visit_id";
static const char sql_navs[] =
    "SELECT visit_id, tab_id, frame_id, parent_frame_id, tab_opener_tab_id,"
    " url, coalesce(committed_time_stamp, before_navigate_time_stamp), rowid"
    " FROM navigations ORDER BY visit_id,"
    " coalesce(before_navigate_event_ordinal, committed_event_ordinal), rowid";
static const char sql_docs[] =
    "SELECT q.visit_id, q.tab_id, q.frame_id, q.parent_frame_id,"
    " q.resource_type, q.url, q.method, q.headers, q.time_stamp, q.id,"
    " r.response_status, r.headers, q.frame_ancestors"
    " FROM http_requests q LEFT JOIN http_responses r"
    " ON r.visit_id = q.visit_id AND r.request_id = q.request_id"
    " AND r.url = q.url"
    " ORDER BY q.visit_id, q.id";
static const char sql_js[] =
    "SELECT visit_id, tab_id, frame_id, script_url, script_line, script_col,"
    " document_url, top_level_url, symbol, operation, value, arguments,"
    " time_stamp, id FROM javascript"
    " WHERE symbol IN ('window.postMessage', 'MessagePort.postMessage',"
    " 'BroadcastChannel.postMessage', 'Worker.postMessage',"
    " 'window.onmessage', 'EventTarget.addEventListener',"
    " 'window.addEventListener', 'MessageEvent.origin')"
    " ORDER BY visit_id, id";
static const char sql_t0[] =
    "SELECT min(t) FROM (SELECT min(time_stamp) AS t FROM http_requests"
    " UNION ALL SELECT min(time_stamp) FROM javascript"
    " UNION ALL SELECT min(before_navigate_time_stamp) FROM navigations)";

/* A statement walked in visit order. */
struct owpm_cursor {
    sqlite3_stmt *stmt;
    const char *table;
    int has_row;
    int64_t visit;
};

static int
openwpm_probe(const unsigned char *head, size_t n)
{
    if (n >= sizeof OWPM_MAGIC && memcmp(head, OWPM_MAGIC, sizeof OWPM_MAGIC) == 0)
        return 90;
    return 0;
}

/*
 * OpenWPM's extension passes every string through
 * unescape(encodeURIComponent(s)) before storing it, so non-ASCII text
 * arrives as one character per UTF-8 byte (mojibake).  Undo that when the
 * whole string is made of such characters and the bytes are valid UTF-8;
 * otherwise return s unchanged.  The result lives in b until its next use.
 */
static const char *
owpm_unmangle(const char *s, struct pm_buf *b)
{
    const unsigned char *p = (const unsigned char *)s;
    int high = 0;
    pm_buf_reset(b);
    while (*p) {
        unsigned c = *p;
        if (c < 0x80) {
            pm_buf_addc(b, (char)c);
            p++;
        } else if ((c == 0xC2 || c == 0xC3) && (p[1] & 0xC0) == 0x80) {
            pm_buf_addc(b, (char)(((c & 0x03) << 6) | (p[1] & 0x3F)));
            high = 1;
            p += 2;
        } else {
            return s; /* a character above U+00FF: genuine UTF-8 text */
        }
    }
    if (!high)
        return s;
    /* The collapsed bytes must themselves be well-formed UTF-8. */
    const unsigned char *q = (const unsigned char *)b->data;
    while (*q) {
        int len = *q < 0x80 ? 1 : (*q & 0xE0) == 0xC0 ? 2
                : (*q & 0xF0) == 0xE0 ? 3 : (*q & 0xF8) == 0xF0 ? 4 : 0;
        if (len == 0 || (len == 2 && *q < 0xC2))
            return s;
        for (int i = 1; i < len; i++)
            if ((q[i] & 0xC0) != 0x80)
                return s;
        q += len;
    }
    return b->data;
}

/*
 * v itself when it is valid UTF-8.  A crawl database holds whatever bytes
 * were written into it, and every string pmscope stores is UTF-8: invalid
 * bytes are replaced by U+FFFD (the result lives in r->fix[slot]) and a
 * warning names the row and column ("javascript row 12: arguments: invalid
 * UTF-8 byte 0x9b at offset 3 replaced with U+FFFD").
 */
static const char *
owpm_utf8(struct owpm_run *r, const char *v, int slot, const char *table,
          int64_t row, const char *column)
{
    if (v == NULL)
        return NULL;
    size_t n = strlen(v);
    size_t bad_at = utf8_valid_prefix(v, n);
    if (bad_at == n)
        return v;
    struct pm_buf fixed;
    pm_buf_init(&fixed);
    size_t bad = utf8_repair(&fixed, v, n, NULL);
    import_warn(r->ctx, "%s row %lld: %s: invalid UTF-8 byte 0x%02x at "
                "offset %zu%s replaced with U+FFFD", table, (long long)row,
                column ? column : "?", (unsigned char)v[bad_at], bad_at,
                bad > 1 ? " (and more)" : "");
    pm_buf_reset(&r->fix[slot]);
    pm_buf_add(&r->fix[slot], fixed.data, fixed.len);
    pm_buf_release(&fixed);
    return r->fix[slot].data;
}

/*
 * Text of column col of table's row, unmangled and valid UTF-8 (owpm_utf8),
 * NULL for SQL NULL, "" and "undefined".
 */
static const char *
owpm_text(struct owpm_run *r, sqlite3_stmt *s, int col, int slot,
          const char *table, int64_t row)
{
    const char *v = (const char *)sqlite3_column_text(s, col);
    if (v == NULL || v[0] == '\0' || strcmp(v, "undefined") == 0)
        return NULL;
    return owpm_utf8(r, owpm_unmangle(v, &r->fix[slot]), slot, table, row,
                     sqlite3_column_name(s, col));
}

/* Column col as stored (no unmangling), made valid UTF-8 like owpm_text. */
static const char *
owpm_raw_text(struct owpm_run *r, sqlite3_stmt *s, int col, int slot,
              const char *table, int64_t row)
{
    return owpm_utf8(r, (const char *)sqlite3_column_text(s, col), slot,
                     table, row, sqlite3_column_name(s, col));
}

static int64_t
owpm_int(sqlite3_stmt *s, int col, int64_t dflt)
{
    if (sqlite3_column_type(s, col) == SQLITE_NULL)
        return dflt;
    return sqlite3_column_int64(s, col);
}

/* "2026-06-29T23:33:40.123Z" or "2026-06-29 23:33:40" -> ms since epoch. */
static double
owpm_time_ms(const char *t)
{
    struct tm tm = {0};
    int y, mo, d, h, mi;
    double sec;
    if (t == NULL || sscanf(t, "%d-%d-%d%*1[T ]%d:%d:%lf", &y, &mo, &d, &h,
                            &mi, &sec) != 6)
        return -1;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    time_t whole = timegm(&tm);
    if (whole == (time_t)-1)
        return -1;
    return (double)whole * 1000.0 + sec * 1000.0;
}

static double
owpm_ts(struct owpm_run *r, const char *t)
{
    double ms = owpm_time_ms(t);
    if (ms < 0 || r->t0_ms < 0)
        return -1;
    return ms - r->t0_ms;
}

static enum pm_rc
owpm_db_error(struct owpm_run *r, const char *what, struct pm_err *err)
{
    return pm_err_at(err, PM_ERR_FORMAT, r->ctx->path, 0, 0, "%s: %s", what,
                     sqlite3_errmsg(r->db));
}

static enum pm_rc
owpm_cursor_step(struct owpm_run *r, struct owpm_cursor *c, struct pm_err *err)
{
    int rc = sqlite3_step(c->stmt);
    if (rc == SQLITE_ROW) {
        c->has_row = 1;
        c->visit = sqlite3_column_int64(c->stmt, 0);
        return PM_OK;
    }
    c->has_row = 0;
    if (rc == SQLITE_DONE)
        return PM_OK;
    char what[64];
    snprintf(what, sizeof what, "reading table %s", c->table);
    return owpm_db_error(r, what, err);
}

/* Check the crawl's tables; a missing one is named in the error. */
static enum pm_rc
owpm_check_tables(struct owpm_run *r, struct pm_err *err)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(r->db,
                           "SELECT 1 FROM sqlite_master WHERE type='table'"
                           " AND name=?", -1, &s, NULL) != SQLITE_OK)
        return owpm_db_error(r, "not a readable SQLite database", err);
    for (int i = 0; owpm_tables[i]; i++) {
        sqlite3_reset(s);
        sqlite3_bind_text(s, 1, owpm_tables[i], -1, SQLITE_STATIC);
        int rc = sqlite3_step(s);
        if (rc == SQLITE_DONE) {
            sqlite3_finalize(s);
            return pm_err_at(err, PM_ERR_FORMAT, r->ctx->path, 0, 0,
                             "not an OpenWPM crawl database: table '%s' is "
                             "missing (expected site_visits, navigations, "
                             "http_requests, http_responses, javascript)",
                             owpm_tables[i]);
        }
        if (rc != SQLITE_ROW) {
            sqlite3_finalize(s);
            return owpm_db_error(r, "reading the schema", err);
        }
    }
    sqlite3_finalize(s);
    return PM_OK;
}

/*
 * The table a failed statement lacks a column of: sql_docs joins two
 * tables, and SQLite's "no such column: r.headers" names the alias, so
 * the error names http_responses, not the cursor's http_requests.
 */
static const char *
owpm_missing_table(struct owpm_run *r, const char *table)
{
    static const struct {
        const char *alias, *table;
    } aliases[] = {{"q.", "http_requests"}, {"r.", "http_responses"}};
    static const char prefix[] = "no such column: ";
    const char *p = strstr(sqlite3_errmsg(r->db), prefix);
    if (p == NULL)
        return table;
    p += sizeof prefix - 1;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strncmp(p, aliases[i].alias, 2) == 0)
            return aliases[i].table;
    return table;
}

static enum pm_rc
owpm_prepare(struct owpm_run *r, const char *sql, const char *table,
             struct owpm_cursor *c, struct pm_err *err)
{
    c->table = table;
    c->has_row = 0;
    if (sqlite3_prepare_v2(r->db, sql, -1, &c->stmt, NULL) != SQLITE_OK) {
        char what[96];
        snprintf(what, sizeof what,
                 "table %s does not have OpenWPM's columns",
                 owpm_missing_table(r, table));
        return owpm_db_error(r, what, err);
    }
    return owpm_cursor_step(r, c, err);
}

/* Producer and crawl start (for timestamps relative to the crawl). */
static void
owpm_read_meta(struct owpm_run *r)
{
    sqlite3_stmt *s;
    r->t0_ms = -1;
    if (sqlite3_prepare_v2(r->db, sql_t0, -1, &s, NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW)
            r->t0_ms = owpm_time_ms((const char *)sqlite3_column_text(s, 0));
        sqlite3_finalize(s);
    }
    if (sqlite3_prepare_v2(r->db,
                           "SELECT openwpm_version, browser_version FROM task"
                           " ORDER BY task_id DESC LIMIT 1",
                           -1, &s, NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW) {
            const char *v = (const char *)sqlite3_column_text(s, 0);
            const char *b = (const char *)sqlite3_column_text(s, 1);
            snprintf(r->ctx->tool, sizeof r->ctx->tool, "OpenWPM %s%s%s%s",
                     v ? v : "", b ? " (" : "", b ? b : "", b ? ")" : "");
        }
        sqlite3_finalize(s);
    }
    if (r->ctx->tool[0] == '\0')
        snprintf(r->ctx->tool, sizeof r->ctx->tool, "OpenWPM");
    if (sqlite3_prepare_v2(r->db, "SELECT count(*) FROM site_visits", -1, &s,
                           NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW)
            r->visits_total = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
    }
}

/* ---- the frame map of one visit ---------------------------------------- */

static void
owpm_visit_reset(struct owpm_run *r, int64_t visit)
{
    for (size_t i = 0; i < r->nframes; i++)
        free(r->frames[i].url);
    r->nframes = 0;
    r->nlisteners = 0;
    r->ncounts = 0;
    r->visit = visit;
    r->visit_has_navs = 0;
}

/* The frame navigated to url: log it unless it is already there. */
static enum pm_rc
owpm_frame_navigate(struct owpm_run *r, struct owpm_frame *f, const char *url,
                    double ts, struct pm_err *err)
{
    if (url == NULL || strcmp(f->url, url) == 0)
        return PM_OK;
    char origin[PM_ORIGIN_MAX] = "";
    struct pm_err oerr = PM_ERR_INIT;
    struct owpm_frame *p = NULL;
    if (f->frame != 0) {
        for (size_t i = 0; i < r->nframes; i++)
            if (&r->frames[i] != f && r->frames[i].tab == f->tab &&
                r->frames[i].frame == 0)
                p = &r->frames[i];
    }
    if (origin_from_url(url, p ? p->origin : NULL, origin, &oerr) != PM_OK)
        origin[0] = '\0';
    if (store_add_navigation(r->ctx->st, f->window_id, url,
                             origin[0] ? origin : NULL, ts < 0 ? 0 : ts, err))
        return err->rc;
    free(f->url);
    f->url = xstrdup(url);
    memcpy(f->origin, origin, sizeof origin);
    return PM_OK;
}

/* ---- navigations -------------------------------------------------------- */

static enum pm_rc
owpm_nav_row(struct owpm_run *r, sqlite3_stmt *s, struct pm_err *err)
{
    struct owpm_new_frame nf = {
        .tab = owpm_int(s, 1, 0),
        .frame = owpm_int(s, 2, 0),
        .parent_frame = owpm_int(s, 3, -1),
        .opener_tab = owpm_int(s, 4, -1),
        .url = owpm_text(r, s, 5, 0, "navigations", sqlite3_column_int64(s, 7)),
        .ts = owpm_ts(r, (const char *)sqlite3_column_text(s, 6)),
    };
    r->visit_has_navs = 1;
    struct owpm_frame *f = owpm_frame_find(r, nf.tab, nf.frame);
    if (f == NULL)
        return owpm_frame_add(r, &nf, &f, err);
    return owpm_frame_navigate(r, f, nf.url, nf.ts, err);
}

/* ---- document requests --------------------------------------------------- */

/* Value of header name in a JSON [[name, value], ...] list; joined with ", ". */
static void
owpm_header(const cJSON *list, const char *name, struct pm_buf *out)
{
    pm_buf_reset(out);
    const cJSON *pair;
    cJSON_ArrayForEach(pair, list) {
        const cJSON *n = cJSON_GetArrayItem(pair, 0);
        const cJSON *v = cJSON_GetArrayItem(pair, 1);
        if (!cJSON_IsString(n) || !cJSON_IsString(v) ||
            strcasecmp(n->valuestring, name) != 0)
            continue;
        if (out->len)
            pm_buf_adds(out, ", ");
        pm_buf_adds(out, v->valuestring);
    }
}

/*
 * Add the ancestors of a new subframe that the visit has not seen, from
 * http_requests.frame_ancestors (Firefox: a JSON list of {url, frameId}
 * from the parent up to the top).  Added top-down, so each one's parent is
 * known; without the list the frame's parent stays unknown.
 */
static enum pm_rc
owpm_add_ancestors(struct owpm_run *r, int64_t tab, const char *json,
                   double ts, struct pm_err *err)
{
    cJSON *list = json ? cJSON_Parse(json) : NULL;
    int n = cJSON_IsArray(list) ? cJSON_GetArraySize(list) : 0;
    enum pm_rc rc = PM_OK;
    for (int i = n - 1; i >= 0 && rc == PM_OK; i--) {
        const cJSON *a = cJSON_GetArrayItem(list, i);
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(a, "frameId");
        const cJSON *url = cJSON_GetObjectItemCaseSensitive(a, "url");
        if (!cJSON_IsNumber(id) || !cJSON_IsString(url) ||
            owpm_frame_find(r, tab, (int64_t)id->valuedouble))
            continue;
        const cJSON *up = cJSON_GetArrayItem(list, i + 1);
        const cJSON *up_id = cJSON_GetObjectItemCaseSensitive(up, "frameId");
        struct owpm_new_frame nf = {
            .tab = tab,
            .frame = (int64_t)id->valuedouble,
            .parent_frame = cJSON_IsNumber(up_id) ? (int64_t)up_id->valuedouble
                                                  : -1,
            .opener_tab = -1,
            .url = url->valuestring,
            .ts = ts,
        };
        struct owpm_frame *f;
        rc = owpm_frame_add(r, &nf, &f, err);
    }
    cJSON_Delete(list);
    return rc;
}

/*
 * A request that is not a document load (a script, image, XHR, ...), with
 * OpenWPM's resource_type as its destination: kept so that the source
 * counts every request of the crawl, in the window of the frame that made
 * it when the visit knows that frame.  It adds no frame.
 */
static enum pm_rc
owpm_subresource_row(struct owpm_run *r, sqlite3_stmt *s, const char *type,
                     struct pm_err *err)
{
    int64_t req_id = sqlite3_column_int64(s, 9);
    const char *url = owpm_text(r, s, 5, 0, "http_requests", req_id);
    if (url == NULL) {
        import_warn(r->ctx, "http_requests row %lld: request without a url, "
                    "skipped", (long long)req_id);
        return PM_OK;
    }
    struct owpm_frame *f = owpm_frame_find(r, owpm_int(s, 1, 0),
                                           owpm_int(s, 2, 0));
    const char *stamp = (const char *)sqlite3_column_text(s, 8);
    const char *resp_h = (const char *)sqlite3_column_text(s, 11);
    cJSON *resp = resp_h ? cJSON_Parse(resp_h) : NULL;
    if (!cJSON_IsArray(resp)) {
        cJSON_Delete(resp);
        resp = NULL;
    }
    struct pm_buf mime;
    pm_buf_init(&mime);
    owpm_header(resp, "content-type", &mime);
    struct pm_request_rec q = {
        .source_id = r->ctx->source_id,
        .window_id = f ? f->window_id : 0,
        .entry_index = (long)req_id,
        .url = url,
        .method = (const char *)sqlite3_column_text(s, 6),
        .status = sqlite3_column_type(s, 10) != SQLITE_NULL
                      ? sqlite3_column_int(s, 10)
                      : 0,
        .mime = mime.len ? mime.data : NULL,
        .dest = type,
        .started_at = stamp,
        .ts = owpm_ts(r, stamp),
        .req_headers = (const char *)sqlite3_column_text(s, 7),
        .resp_headers = resp ? resp_h : NULL,
    };
    int64_t id;
    enum pm_rc rc = store_add_request(r->ctx->st, &q, &id, err);
    pm_buf_release(&mime);
    cJSON_Delete(resp);
    return rc;
}

static enum pm_rc
owpm_doc_row(struct owpm_run *r, sqlite3_stmt *s, struct pm_err *err)
{
    const char *type = (const char *)sqlite3_column_text(s, 4);
    int main_frame = type && strcmp(type, "main_frame") == 0;
    if (!main_frame && !(type && strcmp(type, "sub_frame") == 0))
        return owpm_subresource_row(r, s, type, err);
    int64_t req_id = sqlite3_column_int64(s, 9);
    const char *url = owpm_text(r, s, 5, 0, "http_requests", req_id);
    const char *stamp = (const char *)sqlite3_column_text(s, 8);
    int has_resp = sqlite3_column_type(s, 10) != SQLITE_NULL;
    int status = has_resp ? sqlite3_column_int(s, 10) : 0;
    double ts = owpm_ts(r, stamp);
    struct owpm_new_frame nf = {
        .tab = owpm_int(s, 1, 0),
        .frame = main_frame ? 0 : owpm_int(s, 2, 0),
        .parent_frame = main_frame ? -1 : owpm_int(s, 3, -1),
        .opener_tab = -1,
        .url = url,
        .ts = ts,
    };
    if (url == NULL) {
        import_warn(r->ctx, "http_requests row %lld: document request "
                    "without a url, skipped", (long long)req_id);
        return PM_OK;
    }
    struct owpm_frame *f = owpm_frame_find(r, nf.tab, nf.frame);
    int redirect = status >= 300 && status < 400;
    if (f == NULL) {
        if (nf.frame != 0 && !owpm_frame_find(r, nf.tab, nf.parent_frame) &&
            owpm_add_ancestors(r, nf.tab,
                               (const char *)sqlite3_column_text(s, 12), ts,
                               err))
            return err->rc;
        if (owpm_frame_add(r, &nf, &f, err))
            return err->rc;
    } else if (!r->visit_has_navs && !redirect) {
        /* Without the navigation instrument, document loads are the
         * navigations. */
        if (owpm_frame_navigate(r, f, url, ts, err))
            return err->rc;
    }

    const char *req_h = owpm_raw_text(r, s, 7, 1, "http_requests", req_id);
    const char *resp_h = owpm_raw_text(r, s, 11, 2, "http_requests", req_id);
    const char *method = owpm_raw_text(r, s, 6, 3, "http_requests", req_id);
    cJSON *resp = resp_h ? cJSON_Parse(resp_h) : NULL;
    if (resp_h && !cJSON_IsArray(resp)) {
        import_warn(r->ctx, "http_requests row %lld: response headers are "
                    "not a JSON list of [name, value]", (long long)req_id);
        cJSON_Delete(resp);
        resp = NULL;
    }
    struct pm_buf mime, xfo, csp;
    pm_buf_init(&mime);
    pm_buf_init(&xfo);
    pm_buf_init(&csp);
    owpm_header(resp, "content-type", &mime);
    owpm_header(resp, "x-frame-options", &xfo);
    owpm_header(resp, "content-security-policy", &csp);
    struct pm_request_rec q = {
        .source_id = r->ctx->source_id,
        .window_id = f ? f->window_id : 0,
        .entry_index = (long)req_id,
        .url = url,
        .method = method,
        .status = status,
        .mime = mime.len ? mime.data : NULL,
        .dest = main_frame ? "document" : "iframe",
        .started_at = stamp,
        .ts = ts,
        .req_headers = req_h,
        .resp_headers = resp ? resp_h : NULL,
    };
    int64_t id;
    enum pm_rc rc = store_add_request(r->ctx->st, &q, &id, err);
    /* The headers of the document the frame shows now are its framing
     * policy; a redirect's or an earlier document's are not. */
    if (rc == PM_OK && f && resp && !redirect && strcmp(f->url, url) == 0)
        rc = store_set_document_http(r->ctx->st, f->window_id, status,
                                      xfo.len ? xfo.data : NULL,
                                      csp.len ? csp.data : NULL, err);
    pm_buf_release(&mime);
    pm_buf_release(&xfo);
    pm_buf_release(&csp);
    cJSON_Delete(resp);
    return rc;
}

/* ---- javascript instrumentation ----------------------------------------- */

/* Read one javascript row (sql_js's columns) and hand it to openwpm_js.c. */
static enum pm_rc
owpm_js_fill(struct owpm_run *r, sqlite3_stmt *s, struct pm_err *err)
{
    int64_t id = sqlite3_column_int64(s, 13);
    static const char js[] = "javascript";
    struct owpm_js_rec j = {
        .tab = owpm_int(s, 1, 0),
        .frame = owpm_int(s, 2, 0),
        .script_url = owpm_text(r, s, 3, 0, js, id),
        .script_line = (const char *)sqlite3_column_text(s, 4),
        .script_col = (const char *)sqlite3_column_text(s, 5),
        .document_url = owpm_text(r, s, 6, 1, js, id),
        .top_level_url = owpm_text(r, s, 7, 2, js, id),
        .symbol = (const char *)sqlite3_column_text(s, 8),
        .operation = (const char *)sqlite3_column_text(s, 9),
        .value = owpm_text(r, s, 10, 3, js, id),
        .arguments = owpm_text(r, s, 11, 4, js, id),
        .ts = owpm_ts(r, (const char *)sqlite3_column_text(s, 12)),
        .id = id,
    };
    return owpm_js_row(r, &j, err);
}

/* ---- the visit merge ------------------------------------------------------ */

/*
 * End of a visit: listeners whose code was not recorded but whose frame read
 * MessageEvent.origin get the hint; an empty visit gets its top window.
 */
static enum pm_rc
owpm_visit_finish(struct owpm_run *r, const char *site_url, struct pm_err *err)
{
    for (size_t i = 0; i < r->nlisteners; i++) {
        const struct owpm_frame *f = &r->frames[r->listeners[i].frame];
        if (f->origin_reads && !r->listeners[i].has_code &&
            store_listener_note_origin_read(r->ctx->st, r->listeners[i].id,
                                            f->origin_reads, err))
            return err->rc;
    }
    if (r->nframes == 0 && site_url) {
        struct owpm_new_frame nf = {
            .tab = -1, .frame = 0, .parent_frame = -1, .opener_tab = -1,
            .url = site_url, .ts = -1,
        };
        struct owpm_frame *f;
        if (owpm_frame_add(r, &nf, &f, err))
            return err->rc;
    }
    r->visits_done++;
    if (r->visits_total > 0) {
        int64_t done = r->visits_done > r->visits_total ? r->visits_total
                                                        : r->visits_done;
        import_progress(r->ctx, r->ctx->size * done / r->visits_total);
    }
    return PM_OK;
}

static enum pm_rc
owpm_walk(struct owpm_run *r, struct owpm_cursor *cur, struct pm_err *err)
{
    struct owpm_cursor *visits = &cur[0], *navs = &cur[1], *docs = &cur[2],
                       *js = &cur[3];
    for (;;) {
        int any = 0;
        int64_t v = 0;
        for (int i = 0; i < 4; i++) {
            if (cur[i].has_row && (!any || cur[i].visit < v)) {
                v = cur[i].visit;
                any = 1;
            }
        }
        if (!any)
            return PM_OK;
        owpm_visit_reset(r, v);
        char *site = NULL;
        if (visits->has_row && visits->visit == v) {
            const char *u = owpm_text(r, visits->stmt, 1, 0, "site_visits", v);
            site = u ? xstrdup(u) : NULL;
            if (owpm_cursor_step(r, visits, err))
                goto fail;
        }
        while (navs->has_row && navs->visit == v)
            if (owpm_nav_row(r, navs->stmt, err) ||
                owpm_cursor_step(r, navs, err))
                goto fail;
        int64_t last_req = -1;
        while (docs->has_row && docs->visit == v) {
            /* A request joined to two responses for its URL: first wins. */
            int64_t id = sqlite3_column_int64(docs->stmt, 9);
            if (id != last_req && owpm_doc_row(r, docs->stmt, err))
                goto fail;
            last_req = id;
            if (owpm_cursor_step(r, docs, err))
                goto fail;
        }
        while (js->has_row && js->visit == v)
            if (owpm_js_fill(r, js->stmt, err) || owpm_cursor_step(r, js, err))
                goto fail;
        if (owpm_visit_finish(r, site, err))
            goto fail;
        free(site);
        continue;
fail:
        free(site);
        return err->rc;
    }
}

/*
 * A crawl run without OpenWPM's JavaScript instrument has windows and
 * requests but no postMessage calls or listeners: say so once, or the
 * user takes "0 messages" for a site that sends none.
 */
static void
owpm_warn_uninstrumented(struct owpm_run *r)
{
    sqlite3_stmt *s = NULL;
    int any = 1;
    if (sqlite3_prepare_v2(r->db, "SELECT EXISTS(SELECT 1 FROM javascript)",
                           -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        any = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    if (!any)
        import_warn(r->ctx, "the crawl has no JavaScript instrumentation rows "
                    "(its javascript table is empty), so it holds no "
                    "postMessage calls or listeners; crawl with "
                    "js_instrument and the settings in docs/openwpm.md");
}

static enum pm_rc
openwpm_run(struct pm_import_ctx *ctx, struct pm_err *err)
{
    struct owpm_run r = {.ctx = ctx};
    for (int i = 0; i < OWPM_TEXT_SLOTS; i++)
        pm_buf_init(&r.fix[i]);
    struct owpm_cursor cur[4] = {{0}};
    const char *file = ctx->file ? ctx->file : ctx->path;
    if (sqlite3_open_v2(file, &r.db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        pm_err_at(err, PM_ERR_FORMAT, ctx->path, 0, 0,
                  "cannot open as a SQLite database: %s",
                  r.db ? sqlite3_errmsg(r.db) : "out of memory");
        goto out;
    }
    sqlite3_exec(r.db, "PRAGMA query_only=1", NULL, NULL, NULL);
    if (owpm_check_tables(&r, err))
        goto out;
    owpm_read_meta(&r);
    if (owpm_prepare(&r, sql_visits, "site_visits", &cur[0], err) ||
        owpm_prepare(&r, sql_navs, "navigations", &cur[1], err) ||
        owpm_prepare(&r, sql_docs, "http_requests", &cur[2], err) ||
        owpm_prepare(&r, sql_js, "javascript", &cur[3], err))
        goto out;
    if (owpm_walk(&r, cur, err) == PM_OK)
        owpm_warn_uninstrumented(&r);
out:
    for (int i = 0; i < 4; i++)
        sqlite3_finalize(cur[i].stmt);
    owpm_visit_reset(&r, 0);
    free(r.frames);
    free(r.listeners);
    free(r.counts);
    for (int i = 0; i < OWPM_TEXT_SLOTS; i++)
        pm_buf_release(&r.fix[i]);
    sqlite3_close(r.db);
    return err->rc;
}

const struct pm_importer pm_importer_openwpm = {
    .name = "openwpm",
    .description = "OpenWPM crawl SQLite database",
    .probe = openwpm_probe,
    .run = openwpm_run,
    .reads_by_name = 1,
};
