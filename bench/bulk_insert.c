/*
 * bulk_insert.c - the floor for trace import: the same message rows
 * inserted into the same schema with plain SQLite and nothing else.
 *
 *   bulk_insert SCHEMA_WS ROWS.tsv OUT_DB
 *
 * Copies the schema (tables, indexes, the FTS5 table) from SCHEMA_WS, a
 * workspace pmscope created, sets the PRAGMAs pmscope uses, then in one
 * transaction inserts a source, the origins and windows the rows name
 * (placeholders), and every row of ROWS.tsv (bench/gen.py trace --rows)
 * with one prepared INSERT into messages and one into messages_fts.  No
 * JSON parsing, no origin interning, no analysis: what is left is the
 * storage engine's own cost, with the same indexes and full-text index as
 * a pmscope workspace.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREVIEW_MAX 160
/* pmscope stores a preview only for data over this many bytes */
#define PREVIEW_STORED_MIN 1024

static sqlite3 *db;

static void
die(const char *what)
{
    fprintf(stderr, "bulk_insert: %s: %s\n", what, sqlite3_errmsg(db));
    exit(3);
}

static void
exec_sql(const char *sql)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        die(sql);
}

static sqlite3_stmt *
prepare(const char *sql)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        die(sql);
    return s;
}

static void
step_done(sqlite3_stmt *s)
{
    if (sqlite3_step(s) != SQLITE_DONE)
        die("insert");
    sqlite3_reset(s);
}

/* The schema of a pmscope workspace, without FTS5's shadow tables. */
static void
copy_schema(const char *from)
{
    sqlite3 *src;
    if (sqlite3_open_v2(from, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "bulk_insert: %s: cannot open\n", from);
        exit(3);
    }
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(src,
                           "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL"
                           " AND name NOT LIKE 'messages_fts_%' ORDER BY rowid",
                           -1, &s, NULL) != SQLITE_OK) {
        fprintf(stderr, "bulk_insert: %s: not a workspace\n", from);
        exit(3);
    }
    while (sqlite3_step(s) == SQLITE_ROW)
        exec_sql((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(src);
}

/* Split line on tabs into at most n fields (in place); returns the count. */
static int
split_tabs(char *line, char **f, int n)
{
    int k = 0;
    f[k++] = line;
    for (char *p = line; *p && k < n; p++)
        if (*p == '\t') {
            *p = '\0';
            f[k++] = p + 1;
        }
    return k;
}

static void
bind_text_or_null(sqlite3_stmt *s, int i, const char *v)
{
    if (*v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

int
main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: bulk_insert SCHEMA_WS ROWS.tsv OUT_DB\n");
        return 2;
    }
    FILE *in = fopen(argv[2], "r");
    if (in == NULL) {
        perror(argv[2]);
        return 3;
    }
    remove(argv[3]);
    if (sqlite3_open(argv[3], &db) != SQLITE_OK)
        die("open");
    exec_sql("PRAGMA journal_mode=WAL");
    exec_sql("PRAGMA synchronous=NORMAL");
    exec_sql("PRAGMA cache_size=-16384");
    copy_schema(argv[1]);
    exec_sql("BEGIN");
    exec_sql("INSERT INTO sources(path, format, sha256, size) VALUES('rows','tsv','',0)");
    sqlite3_stmt *msg = prepare(
        "INSERT INTO messages(source_id, ext_id, ts, sender_window_id,"
        " receiver_window_id, sender_origin_id, receiver_origin_id,"
        " target_origin, via, port, data_json, data_preview, size)"
        " VALUES(1,?,?,?,?,?,?,?,?,?,?,?,?)");
    sqlite3_stmt *fts = prepare("INSERT INTO messages_fts(rowid, data_json) VALUES(?,?)");
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long rows = 0, max_window = 0, max_origin = 0;
    char preview[PREVIEW_MAX + 1];
    while ((len = getline(&line, &cap, in)) > 0) {
        if (line[len - 1] == '\n')
            line[--len] = '\0';
        char *f[10];
        if (split_tabs(line, f, 10) != 10)
            continue;
        long sw = atol(f[2]), rw = atol(f[3]), so = atol(f[4]), ro = atol(f[5]);
        max_window = sw > max_window ? sw : max_window;
        max_window = rw > max_window ? rw : max_window;
        max_origin = so > max_origin ? so : max_origin;
        max_origin = ro > max_origin ? ro : max_origin;
        size_t dl = strlen(f[9]);
        size_t pl = dl < PREVIEW_MAX ? dl : PREVIEW_MAX;
        memcpy(preview, f[9], pl);
        preview[pl] = '\0';
        sqlite3_bind_text(msg, 1, f[0], -1, SQLITE_STATIC);
        sqlite3_bind_double(msg, 2, atof(f[1]));
        sqlite3_bind_int64(msg, 3, sw);
        sqlite3_bind_int64(msg, 4, rw);
        sqlite3_bind_int64(msg, 5, so);
        sqlite3_bind_int64(msg, 6, ro);
        bind_text_or_null(msg, 7, f[6]);
        sqlite3_bind_text(msg, 8, f[7], -1, SQLITE_STATIC);
        bind_text_or_null(msg, 9, f[8]);
        sqlite3_bind_text(msg, 10, f[9], (int)dl, SQLITE_STATIC);
        if (dl > PREVIEW_STORED_MIN)
            sqlite3_bind_text(msg, 11, preview, (int)pl, SQLITE_STATIC);
        else
            sqlite3_bind_null(msg, 11);
        sqlite3_bind_int64(msg, 12, (sqlite3_int64)dl);
        step_done(msg);
        sqlite3_bind_int64(fts, 1, sqlite3_last_insert_rowid(db));
        sqlite3_bind_text(fts, 2, f[9], (int)dl, SQLITE_STATIC);
        step_done(fts);
        rows++;
    }
    free(line);
    fclose(in);
    sqlite3_stmt *o = prepare("INSERT INTO origins(id, text) VALUES(?, 'o' || ?)");
    for (long i = 1; i <= max_origin; i++) {
        sqlite3_bind_int64(o, 1, i);
        sqlite3_bind_int64(o, 2, i);
        step_done(o);
    }
    sqlite3_stmt *w = prepare("INSERT INTO windows(id, source_id, kind) VALUES(?, 1, 'iframe')");
    for (long i = 1; i <= max_window; i++) {
        sqlite3_bind_int64(w, 1, i);
        step_done(w);
    }
    sqlite3_finalize(msg);
    sqlite3_finalize(fts);
    sqlite3_finalize(o);
    sqlite3_finalize(w);
    exec_sql("COMMIT");
    sqlite3_close(db);
    printf("%ld rows\n", rows);
    return 0;
}
