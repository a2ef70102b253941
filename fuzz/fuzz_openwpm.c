/*
 * fuzz_openwpm.c - libFuzzer harness for the OpenWPM importer
 * (importers/openwpm.c, openwpm_js.c).  The input is not a database file
 * (mutating SQLite's page format would mostly test SQLite); it is a list of
 * column values separated by 0x1e that fill the rows of a small crawl - a
 * visit, its navigations, a main-frame and a sub-frame request with their
 * responses, and three javascript rows.  A missing value keeps a default
 * that makes a valid crawl; a value starting with "#i" is stored as an
 * integer, "#b" as a blob and "#n" as NULL, so the importer also meets
 * the wrong column types a damaged crawl can hold.  The crawl is rewritten
 * in place for every input and imported read-only, as a user's import would.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_common.h"

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS task ( "
    "task_id INTEGER PRIMARY KEY AUTOINCREMENT, "
    "start_time DATETIME DEFAULT CURRENT_TIMESTAMP, "
    "manager_params TEXT NOT NULL, "
    "openwpm_version TEXT NOT NULL, "
    "browser_version TEXT NOT NULL); "
    "CREATE TABLE IF NOT EXISTS crawl ( "
    "browser_id INTEGER PRIMARY KEY, "
    "task_id INTEGER NOT NULL, "
    "browser_params TEXT NOT NULL, "
    "start_time DATETIME DEFAULT CURRENT_TIMESTAMP, "
    "FOREIGN KEY(task_id) REFERENCES task(task_id)); "
    "CREATE TABLE IF NOT EXISTS site_visits ( "
    "visit_id INTEGER PRIMARY KEY, "
    "browser_id INTEGER NOT NULL, "
    "site_url VARCHAR(500) NOT NULL, "
    "site_rank INTEGER, "
    "FOREIGN KEY(browser_id) REFERENCES crawl(browser_id)); "
    "CREATE TABLE IF NOT EXISTS http_requests( "
    "id INTEGER PRIMARY KEY AUTOINCREMENT, "
    "incognito INTEGER, "
    "browser_id INTEGER NOT NULL, "
    "visit_id INTEGER NOT NULL, "
    "extension_session_uuid TEXT, "
    "event_ordinal INTEGER, "
    "window_id INTEGER, "
    "tab_id INTEGER, "
    "frame_id INTEGER, "
    "url TEXT NOT NULL, "
    "top_level_url TEXT, "
    "parent_frame_id INTEGER, "
    "frame_ancestors TEXT, "
    "method TEXT NOT NULL, "
    "referrer TEXT NOT NULL, "
    "headers TEXT NOT NULL, "
    "request_id INTEGER NOT NULL, "
    "is_XHR INTEGER, "
    "is_third_party_channel INTEGER, "
    "is_third_party_to_top_window INTEGER, "
    "triggering_origin TEXT, "
    "loading_origin TEXT, "
    "loading_href TEXT, "
    "req_call_stack TEXT, "
    "resource_type TEXT NOT NULL, "
    "post_body TEXT, "
    "post_body_raw TEXT, "
    "time_stamp DATETIME NOT NULL "
    "); "
    "CREATE TABLE IF NOT EXISTS http_responses( "
    "id INTEGER PRIMARY KEY AUTOINCREMENT, "
    "incognito INTEGER, "
    "browser_id INTEGER NOT NULL, "
    "visit_id INTEGER NOT NULL, "
    "extension_session_uuid TEXT, "
    "event_ordinal INTEGER, "
    "window_id INTEGER, "
    "tab_id INTEGER, "
    "frame_id INTEGER, "
    "url TEXT NOT NULL, "
    "method TEXT NOT NULL, "
    "response_status INTEGER, "
    "response_status_text TEXT NOT NULL, "
    "is_cached INTEGER NOT NULL, "
    "headers TEXT NOT NULL, "
    "request_id INTEGER NOT NULL, "
    "location TEXT NOT NULL, "
    "time_stamp DATETIME NOT NULL, "
    "content_hash TEXT "
    "); "
    "CREATE TABLE IF NOT EXISTS javascript( "
    "id INTEGER PRIMARY KEY, "
    "incognito INTEGER, "
    "browser_id INTEGER NOT NULL, "
    "visit_id INTEGER NOT NULL, "
    "extension_session_uuid TEXT, "
    "event_ordinal INTEGER, "
    "page_scoped_event_ordinal INTEGER, "
    "window_id INTEGER, "
    "tab_id INTEGER, "
    "frame_id INTEGER, "
    "script_url TEXT, "
    "script_line TEXT, "
    "script_col TEXT, "
    "func_name TEXT, "
    "script_loc_eval TEXT, "
    "document_url TEXT, "
    "top_level_url TEXT, "
    "call_stack TEXT, "
    "symbol TEXT, "
    "operation TEXT, "
    "value TEXT, "
    "arguments TEXT, "
    "time_stamp DATETIME NOT NULL "
    "); "
    "CREATE TABLE IF NOT EXISTS navigations( "
    "id INTEGER, "
    "incognito INTEGER, "
    "browser_id INTEGER NOT NULL, "
    "visit_id INTEGER NOT NULL, "
    "extension_session_uuid TEXT, "
    "process_id INTEGER, "
    "window_id INTEGER, "
    "tab_id INTEGER, "
    "tab_opener_tab_id INTEGER, "
    "frame_id INTEGER, "
    "parent_frame_id INTEGER, "
    "window_width INTEGER, "
    "window_height INTEGER, "
    "window_type TEXT, "
    "tab_width INTEGER, "
    "tab_height INTEGER, "
    "tab_cookie_store_id TEXT, "
    "uuid TEXT, "
    "url TEXT, "
    "transition_qualifiers TEXT, "
    "transition_type TEXT, "
    "before_navigate_event_ordinal INTEGER, "
    "before_navigate_time_stamp DATETIME, "
    "committed_event_ordinal INTEGER, "
    "committed_time_stamp DATETIME "
    "); "
    ;

/* Slots a fuzz input fills, in order, with their defaults. */
enum slot {
    S_SITE, S_NAV0_URL, S_NAV1_URL, S_NAV1_FRAME, S_NAV1_PARENT,
    S_REQ0_URL, S_REQ0_HEADERS, S_RESP0_HEADERS, S_RESP0_STATUS,
    S_REQ1_URL, S_REQ1_FRAME, S_REQ1_PARENT, S_REQ1_TYPE, S_REQ1_ANCESTORS,
    S_RESP1_HEADERS, S_REQ_TIME,
    S_JS0, /* then JS_FIELDS values per javascript row, JS_ROWS rows */
};
enum js_field {
    J_SYMBOL, J_OPERATION, J_VALUE, J_ARGUMENTS, J_DOCUMENT_URL, J_SCRIPT_URL,
    J_SCRIPT_LINE, J_SCRIPT_COL, J_FRAME, J_TOP_URL, J_TIME, JS_FIELDS
};
#define JS_ROWS 3
#define NSLOTS (S_JS0 + JS_ROWS * JS_FIELDS)

static const char *const defaults[NSLOTS] = {
    [S_SITE] = "https://a.example/",
    [S_NAV0_URL] = "https://a.example/",
    [S_NAV1_URL] = "https://w.example/widget",
    [S_NAV1_FRAME] = "#i7",
    [S_NAV1_PARENT] = "#i0",
    [S_REQ0_URL] = "https://a.example/",
    [S_REQ0_HEADERS] = "[[\"Host\",\"a.example\"]]",
    [S_RESP0_HEADERS] = "[[\"X-Frame-Options\",\"DENY\"]]",
    [S_RESP0_STATUS] = "#i200",
    [S_REQ1_URL] = "https://w.example/widget",
    [S_REQ1_FRAME] = "#i7",
    [S_REQ1_PARENT] = "#i0",
    [S_REQ1_TYPE] = "sub_frame",
    [S_REQ1_ANCESTORS] = "[\"https://a.example/\"]",
    [S_RESP1_HEADERS] = "[[\"Content-Security-Policy\",\"frame-ancestors *\"]]",
    [S_REQ_TIME] = "2026-06-29T23:00:00.007Z",
    [S_JS0 + J_SYMBOL] = "window.addEventListener",
    [S_JS0 + J_OPERATION] = "call",
    [S_JS0 + J_VALUE] = "",
    /* one listener source split over three lines
     * NOLINTNEXTLINE(bugprone-suspicious-missing-comma) */
    [S_JS0 + J_ARGUMENTS] = "[\"message\",\"function(e){ if "
                            "(e.origin.indexOf('a.example') > -1) "
                            "document.body.innerHTML = e.data }\"]",
    [S_JS0 + J_DOCUMENT_URL] = "https://w.example/widget",
    [S_JS0 + J_SCRIPT_URL] = "https://w.example/w.js",
    [S_JS0 + J_SCRIPT_LINE] = "3",
    [S_JS0 + J_SCRIPT_COL] = "1",
    [S_JS0 + J_FRAME] = "#i7",
    [S_JS0 + J_TOP_URL] = "https://a.example/",
    [S_JS0 + J_TIME] = "2026-06-29T23:00:00.014Z",
    [S_JS0 + JS_FIELDS + J_SYMBOL] = "window.postMessage",
    [S_JS0 + JS_FIELDS + J_OPERATION] = "call",
    [S_JS0 + JS_FIELDS + J_VALUE] = "",
    [S_JS0 + JS_FIELDS + J_ARGUMENTS] = "[\"{\\\"cmd\\\":\\\"get\\\"}\",\"*\"]",
    [S_JS0 + JS_FIELDS + J_DOCUMENT_URL] = "https://a.example/",
    [S_JS0 + JS_FIELDS + J_SCRIPT_URL] = "https://a.example/app.js",
    [S_JS0 + JS_FIELDS + J_SCRIPT_LINE] = "9",
    [S_JS0 + JS_FIELDS + J_SCRIPT_COL] = "5",
    [S_JS0 + JS_FIELDS + J_FRAME] = "#i0",
    [S_JS0 + JS_FIELDS + J_TOP_URL] = "https://a.example/",
    [S_JS0 + JS_FIELDS + J_TIME] = "2026-06-29T23:00:00.021Z",
    [S_JS0 + 2 * JS_FIELDS + J_SYMBOL] = "MessageEvent.origin",
    [S_JS0 + 2 * JS_FIELDS + J_OPERATION] = "get",
    [S_JS0 + 2 * JS_FIELDS + J_VALUE] = "https://a.example",
    [S_JS0 + 2 * JS_FIELDS + J_ARGUMENTS] = "#n",
    [S_JS0 + 2 * JS_FIELDS + J_DOCUMENT_URL] = "https://w.example/widget",
    [S_JS0 + 2 * JS_FIELDS + J_SCRIPT_URL] = "https://w.example/w.js",
    [S_JS0 + 2 * JS_FIELDS + J_SCRIPT_LINE] = "3",
    [S_JS0 + 2 * JS_FIELDS + J_SCRIPT_COL] = "20",
    [S_JS0 + 2 * JS_FIELDS + J_FRAME] = "#i7",
    [S_JS0 + 2 * JS_FIELDS + J_TOP_URL] = "https://a.example/",
    [S_JS0 + 2 * JS_FIELDS + J_TIME] = "2026-06-29T23:00:00.028Z",
};

struct value {
    const char *p;
    size_t n;
};

static sqlite3 *crawl;

static void
crawl_exec(const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(crawl, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "crawl setup: %s\n", msg ? msg : "?");
        abort();
    }
}

/*
 * SQLite's page cache in a static buffer instead of malloc, for the crawl
 * and the scratch workspace: every input opens the crawl afresh, and
 * allocating and freeing its pages through ASan's allocator (and
 * libFuzzer re-running each input whose page cache grew, to look for a
 * leak) cost about a sixth of the harness's CPU time.  Column values stay
 * in SQLite's malloc'd cells, so reads past them are still caught.  No
 * memory statistics (a mutex on every allocation) and an in-memory
 * journal for the harness's own writes: together 22-27 % less CPU time
 * on the same 2 287 inputs.
 */
#define PAGE_SLOTS 512
static char page_slots[PAGE_SLOTS * (4096 + 512)];

static void
crawl_sqlite_config(void)
{
    int hdr = 0;
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    if (sqlite3_config(SQLITE_CONFIG_PCACHE_HDRSZ, &hdr) == SQLITE_OK &&
        hdr <= 512)
        sqlite3_config(SQLITE_CONFIG_PAGECACHE, page_slots, 4096 + hdr,
                       (int)(sizeof page_slots / (size_t)(4096 + hdr)));
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    crawl_sqlite_config();
    const char *path = fuzz_temp_path("crawl.sqlite");
    unlink(path);
    FUZZ_ASSERT(sqlite3_open(path, &crawl) == SQLITE_OK, "cannot create crawl");
    crawl_exec("PRAGMA journal_mode=MEMORY");
    crawl_exec("PRAGMA synchronous=OFF");
    crawl_exec(schema);
    crawl_exec("INSERT INTO task(manager_params, openwpm_version,"
               " browser_version) VALUES('{}', 'v0.35.0', 'Firefox 152.0');"
               "INSERT INTO crawl(browser_id, task_id, browser_params)"
               " VALUES(1, 1, '{}')");
    return 0;
}

/* Bind v at index i: "#i" integer, "#b" blob, "#n" NULL, else text. */
static void
bind_value(sqlite3_stmt *s, int i, struct value v)
{
    if (v.n >= 2 && v.p[0] == '#' && v.p[1] == 'n') {
        sqlite3_bind_null(s, i);
    } else if (v.n >= 2 && v.p[0] == '#' && v.p[1] == 'i') {
        char num[32];
        size_t l = v.n - 2 < sizeof num - 1 ? v.n - 2 : sizeof num - 1;
        memcpy(num, v.p + 2, l);
        num[l] = '\0';
        sqlite3_bind_int64(s, i, strtoll(num, NULL, 10));
    } else if (v.n >= 2 && v.p[0] == '#' && v.p[1] == 'b') {
        sqlite3_bind_blob(s, i, v.p + 2, (int)(v.n - 2), SQLITE_TRANSIENT);
    } else {
        sqlite3_bind_text(s, i, v.p, (int)v.n, SQLITE_TRANSIENT);
    }
}

/*
 * The harness's insert statements, prepared once for the process: preparing
 * them for every input cost a sixth of its time (each prepare parses the
 * SQL and reads the schema under ASan's allocator).
 */
#define STMT_CACHE 8
static struct {
    const char *sql;
    sqlite3_stmt *stmt;
} stmt_cache[STMT_CACHE];

static sqlite3_stmt *
cached_stmt(const char *sql)
{
    int i = 0;
    for (; i < STMT_CACHE && stmt_cache[i].sql; i++)
        if (stmt_cache[i].sql == sql)
            return stmt_cache[i].stmt;
    FUZZ_ASSERT(i < STMT_CACHE, "statement cache full");
    if (sqlite3_prepare_v3(crawl, sql, -1, SQLITE_PREPARE_PERSISTENT,
                           &stmt_cache[i].stmt, NULL) != SQLITE_OK) {
        fprintf(stderr, "crawl insert: %s\n", sqlite3_errmsg(crawl));
        abort();
    }
    stmt_cache[i].sql = sql;
    return stmt_cache[i].stmt;
}

/* Run sql with the slots listed in idx (-1 ends) bound in order. */
static void
insert_row(const char *sql, const struct value *vals, const int *idx)
{
    sqlite3_stmt *s = cached_stmt(sql);
    for (int i = 0; idx[i] >= 0; i++)
        bind_value(s, i + 1, vals[idx[i]]);
    /* NOT NULL columns refuse some values: the row is then left out. */
    (void)sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct value vals[NSLOTS];
    const char *p = (const char *)data, *end = p + size;
    for (int i = 0; i < NSLOTS; i++) {
        const char *sep = p < end ? memchr(p, 0x1e, (size_t)(end - p)) : NULL;
        if (p < end) {
            vals[i].p = p;
            vals[i].n = sep ? (size_t)(sep - p) : (size_t)(end - p);
            p = sep ? sep + 1 : end;
        } else {
            vals[i].p = defaults[i] ? defaults[i] : "";
            vals[i].n = strlen(vals[i].p);
        }
    }

    crawl_exec("BEGIN; DELETE FROM site_visits; DELETE FROM navigations;"
               " DELETE FROM http_requests; DELETE FROM http_responses;"
               " DELETE FROM javascript");
    static const char visit[] = "INSERT INTO site_visits VALUES(1, 1, ?, 1)";
    insert_row(visit, vals, (const int[]){S_SITE, -1});
    static const char nav[] =
        "INSERT INTO navigations(browser_id, visit_id, tab_id, frame_id,"
        " parent_frame_id, url, before_navigate_event_ordinal,"
        " before_navigate_time_stamp, committed_event_ordinal,"
        " committed_time_stamp) VALUES(1, 1, 1, ?, ?, ?, ?, ?, ?, ?)";
    struct value zero = {"#i0", 3}, minus = {"#i-1", 4}, one = {"#i1", 3},
                 two = {"#i2", 3};
    struct value navv[] = {zero, minus, vals[S_NAV0_URL], one,
                           vals[S_REQ_TIME], two, vals[S_REQ_TIME],
                           vals[S_NAV1_FRAME], vals[S_NAV1_PARENT],
                           vals[S_NAV1_URL], one, vals[S_REQ_TIME], two,
                           vals[S_REQ_TIME]};
    insert_row(nav, navv, (const int[]){0, 1, 2, 3, 4, 5, 6, -1});
    insert_row(nav, navv, (const int[]){7, 8, 9, 10, 11, 12, 13, -1});

    static const char req[] =
        "INSERT INTO http_requests(browser_id, visit_id, tab_id, frame_id,"
        " parent_frame_id, url, top_level_url, frame_ancestors, method,"
        " referrer, headers, request_id, resource_type, time_stamp)"
        " VALUES(1, 1, 1, ?, ?, ?, ?, ?, 'GET', '', ?, ?, ?, ?)";
    static const char resp[] =
        "INSERT INTO http_responses(browser_id, visit_id, tab_id, frame_id,"
        " url, method, response_status, response_status_text, is_cached,"
        " headers, request_id, location, time_stamp)"
        " VALUES(1, 1, 1, ?, ?, 'GET', ?, 'OK', 0, ?, ?, '', ?)";
    struct value mainframe = {"main_frame", 10}, empty = {"[]", 2},
                 r1 = {"#i1001", 6}, r2 = {"#i1002", 6}, ok = {"#i200", 5};
    struct value reqv[] = {
        zero, minus, vals[S_REQ0_URL], vals[S_SITE], empty,
        vals[S_REQ0_HEADERS], r1, mainframe, vals[S_REQ_TIME],
        vals[S_REQ1_FRAME], vals[S_REQ1_PARENT], vals[S_REQ1_URL],
        vals[S_SITE], vals[S_REQ1_ANCESTORS], empty, r2, vals[S_REQ1_TYPE],
        vals[S_REQ_TIME],
        zero, vals[S_REQ0_URL], vals[S_RESP0_STATUS], vals[S_RESP0_HEADERS],
        r1, vals[S_REQ_TIME],
        vals[S_REQ1_FRAME], vals[S_REQ1_URL], ok, vals[S_RESP1_HEADERS], r2,
        vals[S_REQ_TIME],
    };
    insert_row(req, reqv, (const int[]){0, 1, 2, 3, 4, 5, 6, 7, 8, -1});
    insert_row(req, reqv, (const int[]){9, 10, 11, 12, 13, 14, 15, 16, 17, -1});
    insert_row(resp, reqv, (const int[]){18, 19, 20, 21, 22, 23, -1});
    insert_row(resp, reqv, (const int[]){24, 25, 26, 27, 28, 29, -1});

    static const char js[] =
        "INSERT INTO javascript(id, browser_id, visit_id, tab_id, frame_id,"
        " symbol, operation, value, arguments, document_url, script_url,"
        " script_line, script_col, top_level_url, time_stamp, event_ordinal)"
        " VALUES(?, 1, 1, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    for (int r = 0; r < JS_ROWS; r++) {
        int b = S_JS0 + r * JS_FIELDS;
        char idtext[8];
        snprintf(idtext, sizeof idtext, "#i%d", r + 1);
        struct value id = {idtext, strlen(idtext)};
        struct value jv[] = {id, vals[b + J_FRAME], vals[b + J_SYMBOL],
                             vals[b + J_OPERATION], vals[b + J_VALUE],
                             vals[b + J_ARGUMENTS], vals[b + J_DOCUMENT_URL],
                             vals[b + J_SCRIPT_URL], vals[b + J_SCRIPT_LINE],
                             vals[b + J_SCRIPT_COL], vals[b + J_TOP_URL],
                             vals[b + J_TIME], id};
        insert_row(js, jv,
                   (const int[]){0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, -1});
    }
    crawl_exec("COMMIT");
    fuzz_import_path("openwpm", fuzz_temp_path("crawl.sqlite"));
    return 0;
}
