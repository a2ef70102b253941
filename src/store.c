/*
 * store.c - the workspace connection: open/create, migrations, the prepared
 * statement cache, transactions, and the store_add_* writers importers use.
 *
 * The file is created with mode 0600 before SQLite opens it, because HARs
 * hold cookies and tokens.  Journal mode is WAL so the TUI can read while an
 * import writes.  A workspace whose user_version is newer than this build is
 * refused (never downgraded).
 */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mem.h"
#include "origin_cache.h"
#include "sha256.h"
#include "store_int.h"
#include "store_schema.h"

#define STMT_CACHE_MAX 128

struct stmt_slot {
    const char *sql;
    sqlite3_stmt *stmt;
};

struct pm_store {
    sqlite3 *db;
    char *path;
    int in_txn;
    int nstmt;
    struct stmt_slot stmts[STMT_CACHE_MAX];
    struct origin_cache origins;
    int needs_upgrade; /* opened read-only on an older schema */
    int created;       /* this open created the file (store_close_new) */
};

enum pm_rc
store_db_error(struct pm_store *st, struct pm_err *err, const char *what)
{
    int code = sqlite3_extended_errcode(st->db);
    enum pm_rc rc = PM_ERR_DB;
    if ((code & 0xff) == SQLITE_FULL || (code & 0xff) == SQLITE_IOERR ||
        (code & 0xff) == SQLITE_READONLY || (code & 0xff) == SQLITE_CANTOPEN)
        rc = PM_ERR_IO;
    if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
        return pm_err_at(err, PM_ERR_IO, st->path, 0, 0,
                         "workspace is locked by another process (%s)", what);
    /* "disk I/O error" alone hides the cause: say which (file too large,
     * no space left, read-only file system). */
    int sys = sqlite3_system_errno(st->db);
    if (rc == PM_ERR_IO && sys != 0)
        return pm_err_at(err, rc, st->path, 0, 0, "%s: %s (%s)", what,
                         sqlite3_errmsg(st->db), strerror(sys));
    return pm_err_at(err, rc, st->path, 0, 0, "%s: %s", what,
                     sqlite3_errmsg(st->db));
}

sqlite3_stmt *
store_stmt(struct pm_store *st, const char *sql, struct pm_err *err)
{
    for (int i = 0; i < st->nstmt; i++) {
        if (st->stmts[i].sql == sql) {
            sqlite3_reset(st->stmts[i].stmt);
            sqlite3_clear_bindings(st->stmts[i].stmt);
            return st->stmts[i].stmt;
        }
    }
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s,
                           NULL) != SQLITE_OK) {
        store_db_error(st, err, "preparing statement");
        return NULL;
    }
    if (st->nstmt < STMT_CACHE_MAX) {
        st->stmts[st->nstmt].sql = sql;
        st->stmts[st->nstmt].stmt = s;
        st->nstmt++;
    } else {
        /* Cache full: a programming error, but stay correct. */
        sqlite3_finalize(st->stmts[0].stmt);
        st->stmts[0].sql = sql;
        st->stmts[0].stmt = s;
    }
    return s;
}

enum pm_rc
store_step_error(struct pm_store *st, sqlite3_stmt *s, struct pm_err *err,
                 const char *what)
{
    enum pm_rc rc = store_db_error(st, err, what);
    sqlite3_reset(s);
    return rc;
}

void
store_bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

/*
 * Bind v without SQLite copying it: for values that can be as large as an
 * input entry (URLs, headers, handler code), a copy held by the statement
 * would be one more multiple of the entry in memory.  v must stay valid
 * until the statement is stepped by store_step_done, which clears the
 * bindings afterwards.
 */
void
store_bind_text_borrowed(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

void
store_bind_id(sqlite3_stmt *s, int i, int64_t id)
{
    if (id > 0)
        sqlite3_bind_int64(s, i, id);
    else
        sqlite3_bind_null(s, i);
}

enum pm_rc
store_step_done(struct pm_store *st, sqlite3_stmt *s, struct pm_err *err,
                const char *what)
{
    int rc = sqlite3_step(s);
    enum pm_rc r = PM_OK;
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        r = store_db_error(st, err, what);
    /* Clearing the bindings drops SQLite's copies of the values bound (a
     * cached statement would otherwise keep the last ones until its next
     * use) and any pointer store_bind_text_borrowed lent it. */
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return r;
}

/*
 * SQL function regexp(pattern, text) for the filter language's data~/re/.
 * POSIX extended, case-insensitive; the compiled pattern is cached per
 * statement with sqlite3_set_auxdata so a scan compiles it once.
 */
static enum pm_rc
store_exec(struct pm_store *st, const char *sql, struct pm_err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        enum pm_rc rc = store_db_error(st, err, "executing");
        sqlite3_free(msg);
        return rc;
    }
    return PM_OK;
}

static enum pm_rc
store_migrate(struct pm_store *st, int readonly, struct pm_err *err)
{
    sqlite3_stmt *s = NULL;
    int version = 0;
    if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) !=
        SQLITE_OK)
        return store_db_error(st, err, "reading schema version");
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        version = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW)
        return store_db_error(st, err, "reading schema version");
    if (version > PM_SCHEMA_VERSION)
        return pm_err_at(err, PM_ERR_IO, st->path, 0, 0,
                         "workspace has schema version %d, this pmscope "
                         "knows up to %d; use a newer pmscope",
                         version, PM_SCHEMA_VERSION);
    if (version == PM_SCHEMA_VERSION)
        return PM_OK;
    if (readonly) {
        st->needs_upgrade = 1; /* store_open upgrades, then reopens */
        return PM_OK;
    }
    if (store_exec(st, "BEGIN IMMEDIATE", err))
        return err->rc;
    /* Another pmscope may have upgraded (or created) it while this one
     * waited for the write lock: read the version again under the lock. */
    if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) !=
        SQLITE_OK) {
        store_db_error(st, err, "reading schema version");
        store_exec(st, "ROLLBACK", NULL);
        return err->rc;
    }
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        version = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW || version > PM_SCHEMA_VERSION) {
        if (rc != SQLITE_ROW)
            store_db_error(st, err, "reading schema version");
        else
            pm_err_at(err, PM_ERR_IO, st->path, 0, 0,
                      "workspace has schema version %d, this pmscope knows "
                      "up to %d; use a newer pmscope",
                      version, PM_SCHEMA_VERSION);
        store_exec(st, "ROLLBACK", NULL);
        return err->rc;
    }
    for (int v = version; v < store_migration_count; v++) {
        if (store_exec(st, store_migrations[v], err)) {
            store_exec(st, "ROLLBACK", NULL);
            return err->rc;
        }
    }
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", PM_SCHEMA_VERSION);
    if (store_exec(st, pragma, err) || store_exec(st, "COMMIT", err)) {
        store_exec(st, "ROLLBACK", NULL);
        return err->rc;
    }
    return PM_OK;
}

/*
 * Remove a workspace file this process created, with its -shm and
 * -journal, unless its -wal is still there: SQLite deletes that when the
 * last connection closes, so one left means another process has the
 * workspace open.
 */
static void
remove_new_workspace(const char *path)
{
    size_t n = strlen(path) + sizeof "-journal";
    char *side = xmalloc(n);
    snprintf(side, n, "%s-wal", path);
    struct stat sb;
    if (lstat(side, &sb) != 0 && errno == ENOENT) {
        unlink(path);
        static const char *const suffixes[] = {"-shm", "-journal"};
        for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
            snprintf(side, n, "%s%s", path, suffixes[i]);
            unlink(side);
        }
    }
    free(side);
}

enum pm_rc
store_open(const char *path, int flags, struct pm_store **out,
           struct pm_err *err)
{
    int readonly = (flags & PM_STORE_READONLY) != 0;
    *out = NULL;
    struct stat sb;
    int created = 0;
    if (stat(path, &sb) != 0) {
        if (errno != ENOENT || !(flags & PM_STORE_CREATE) || readonly)
            return pm_err_at(err, PM_ERR_IO, path, 0, 0,
                             "cannot open workspace: %s", strerror(errno));
        /* EEXIST: another pmscope created it meanwhile; open that one */
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
        if (fd >= 0) {
            close(fd);
            created = 1;
        } else if (errno != EEXIST) {
            return pm_err_at(err, PM_ERR_IO, path, 0, 0,
                             "cannot create workspace: %s", strerror(errno));
        } else if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
            return pm_err_at(err, PM_ERR_IO, path, 0, 0,
                             "workspace is not a regular file");
        }
    } else if (!S_ISREG(sb.st_mode)) {
        return pm_err_at(err, PM_ERR_IO, path, 0, 0,
                         "workspace is not a regular file");
    }

    struct pm_store *st = xcalloc(1, sizeof *st);
    st->path = xstrdup(path);
    st->created = created;
    int oflags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (sqlite3_open_v2(path, &st->db, oflags, NULL) != SQLITE_OK) {
        store_db_error(st, err, "cannot open workspace");
        store_close(st);
        if (created)
            remove_new_workspace(path);
        return err->rc;
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, 2000);
    store_register_functions(st->db);

    /* Reading the header also tells whether this is a database at all. */
    if (store_exec(st, "PRAGMA foreign_keys=OFF", err) ||
        (!readonly && store_exec(st, "PRAGMA journal_mode=WAL", err)) ||
        store_exec(st, "PRAGMA synchronous=NORMAL", err) ||
        store_exec(st, "PRAGMA cache_size=-16384", err) ||
        store_migrate(st, readonly, err)) {
        if (strstr(err->msg, "not a database"))
            snprintf(err->msg, sizeof err->msg,
                     "not a pmscope workspace (not an SQLite database)");
        store_close(st);
        if (created)
            remove_new_workspace(path);
        return err->rc;
    }
    if (st->needs_upgrade) {
        /* A reading command on an older workspace upgrades it first, as a
         * writer would: the upgrade is one transaction, and a file that
         * cannot be written says so. */
        store_close(st);
        struct pm_store *w;
        if (store_open(path, flags & ~PM_STORE_READONLY & ~PM_STORE_CREATE, &w,
                       err) != PM_OK)
            return err->rc;
        store_close(w);
        return store_open(path, flags & ~PM_STORE_CREATE, out, err);
    }
    *out = st;
    return PM_OK;
}

void
store_close(struct pm_store *st)
{
    if (st == NULL)
        return;
    for (int i = 0; i < st->nstmt; i++)
        sqlite3_finalize(st->stmts[i].stmt);
    if (st->db)
        sqlite3_close(st->db);
    origin_cache_clear(&st->origins);
    free(st->path);
    free(st);
}

/*
 * A command that created the workspace and then imported nothing (every
 * file failed) leaves no file behind: the user's directory is as it was.
 * Only a file this open created, that holds no source, and that no other
 * connection has open is removed.  SQLite deletes the -wal file when the
 * last connection closes, so a -wal that outlives this close means
 * another pmscope opened the new workspace meanwhile; it is then kept.
 */
void
store_close_new(struct pm_store *st)
{
    if (st == NULL)
        return;
    int discard = 0;
    char *path = xstrdup(st->path);
    /* the -wal check below is only sound in WAL mode, which every
     * writable open sets */
    if (st->created && !st->in_txn) {
        sqlite3_stmt *s = NULL;
        if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM sources", -1,
                               &s, NULL) == SQLITE_OK &&
            sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int64(s, 0) == 0)
            discard = 1;
        sqlite3_finalize(s);
    }
    store_close(st);
    if (discard)
        remove_new_workspace(path);
    free(path);
}

const char *
store_path(const struct pm_store *st)
{
    return st->path;
}

void *
store_db(struct pm_store *st)
{
    return st->db;
}

enum pm_rc
store_begin(struct pm_store *st, struct pm_err *err)
{
    if (st->in_txn)
        return pm_err_set(err, PM_ERR_INTERNAL, "nested transaction");
    if (store_exec(st, "BEGIN IMMEDIATE", err))
        return err->rc;
    origin_cache_clear(&st->origins);
    st->in_txn = 1;
    return PM_OK;
}

enum pm_rc
store_commit(struct pm_store *st, struct pm_err *err)
{
    if (!st->in_txn)
        return pm_err_set(err, PM_ERR_INTERNAL, "commit without transaction");
    if (store_exec(st, "COMMIT", err)) {
        store_rollback(st);
        return err->rc;
    }
    origin_cache_clear(&st->origins);
    st->in_txn = 0;
    return PM_OK;
}

void
store_rollback(struct pm_store *st)
{
    if (!st->in_txn)
        return;
    for (int i = 0; i < st->nstmt; i++)
        sqlite3_reset(st->stmts[i].stmt);
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    origin_cache_clear(&st->origins);
    st->in_txn = 0;
}

/* ---- origins ---------------------------------------------------------- */

enum pm_rc
store_intern_origin(struct pm_store *st, const char *origin, int64_t *id_out,
                    struct pm_err *err)
{
    static const char sel[] = "SELECT id FROM origins WHERE text=?";
    static const char ins[] =
        "INSERT INTO origins(scheme, host, port, text) VALUES(?,?,?,?)";
    *id_out = 0;
    if (origin == NULL || origin[0] == '\0')
        return PM_OK;
    if (st->in_txn && (*id_out = origin_cache_get(&st->origins, origin)) != 0)
        return PM_OK;
    sqlite3_stmt *s = store_stmt(st, sel, err);
    if (s == NULL)
        return err->rc;
    store_bind_text(s, 1, origin);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *id_out = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (rc == SQLITE_ROW) {
        if (st->in_txn)
            origin_cache_put(&st->origins, origin, *id_out);
        return PM_OK;
    }
    if (rc != SQLITE_DONE)
        return store_db_error(st, err, "looking up origin");

    /* Split "scheme://host[:port]"; opaque origins keep only the text. */
    char scheme[32] = "", host[256] = "";
    int port = 0;
    const char *sep = strstr(origin, "://");
    if (sep && (size_t)(sep - origin) < sizeof scheme) {
        memcpy(scheme, origin, (size_t)(sep - origin));
        scheme[sep - origin] = '\0';
        const char *h = sep + 3;
        const char *colon = h[0] == '[' ? strstr(h, "]:") : strrchr(h, ':');
        if (colon && h[0] == '[')
            colon++;
        size_t hl = colon ? (size_t)(colon - h) : strlen(h);
        if (hl >= sizeof host)
            hl = sizeof host - 1;
        memcpy(host, h, hl);
        host[hl] = '\0';
        if (colon)
            port = atoi(colon + 1);
    }
    s = store_stmt(st, ins, err);
    if (s == NULL)
        return err->rc;
    store_bind_text(s, 1, scheme[0] ? scheme : NULL);
    store_bind_text(s, 2, host[0] ? host : NULL);
    if (port)
        sqlite3_bind_int(s, 3, port);
    else
        sqlite3_bind_null(s, 3);
    store_bind_text(s, 4, origin);
    if (store_step_done(st, s, err, "adding origin"))
        return err->rc;
    *id_out = sqlite3_last_insert_rowid(st->db);
    if (st->in_txn)
        origin_cache_put(&st->origins, origin, *id_out);
    return PM_OK;
}

/* ---- bodies and requests ---------------------------------------------- */

enum pm_rc
store_add_body(struct pm_store *st, const void *data, size_t n,
               const char *mime, int64_t *id_out, struct pm_err *err)
{
    static const char sel[] = "SELECT id FROM bodies WHERE sha256=?";
    static const char ins[] =
        "INSERT INTO bodies(sha256, size, mime, data) VALUES(?,?,?,?)";
    char hex[PM_SHA256_HEX];
    sha256_hex(data, n, hex);
    *id_out = 0;
    sqlite3_stmt *s = store_stmt(st, sel, err);
    if (s == NULL)
        return err->rc;
    store_bind_text(s, 1, hex);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *id_out = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (rc == SQLITE_ROW)
        return PM_OK;
    if (rc != SQLITE_DONE)
        return store_db_error(st, err, "looking up body");
    s = store_stmt(st, ins, err);
    if (s == NULL)
        return err->rc;
    store_bind_text(s, 1, hex);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)n);
    store_bind_text(s, 3, mime);
    sqlite3_bind_blob64(s, 4, n ? data : "", n, SQLITE_STATIC);
    if (store_step_done(st, s, err, "adding body"))
        return err->rc;
    *id_out = sqlite3_last_insert_rowid(st->db);
    return PM_OK;
}

enum pm_rc
store_add_request(struct pm_store *st, const struct pm_request_rec *r,
                  int64_t *id_out, struct pm_err *err)
{
    static const char sql[] =
        "INSERT INTO requests(source_id, window_id, entry_index, url, method,"
        " status, mime, dest, started_at, ts, body_id, req_headers,"
        " resp_headers) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)";
    sqlite3_stmt *s = store_stmt(st, sql, err);
    if (s == NULL)
        return err->rc;
    sqlite3_bind_int64(s, 1, r->source_id);
    store_bind_id(s, 2, r->window_id);
    sqlite3_bind_int64(s, 3, r->entry_index);
    store_bind_text_borrowed(s, 4, r->url);
    store_bind_text(s, 5, r->method);
    sqlite3_bind_int(s, 6, r->status);
    store_bind_text(s, 7, r->mime);
    store_bind_text(s, 8, r->dest);
    store_bind_text(s, 9, r->started_at);
    if (r->ts >= 0)
        sqlite3_bind_double(s, 10, r->ts);
    else
        sqlite3_bind_null(s, 10);
    store_bind_id(s, 11, r->body_id);
    store_bind_text_borrowed(s, 12, r->req_headers);
    store_bind_text_borrowed(s, 13, r->resp_headers);
    if (store_step_done(st, s, err, "adding request"))
        return err->rc;
    *id_out = sqlite3_last_insert_rowid(st->db);
    return PM_OK;
}

/* ---- listeners and send sites ------------------------------------------ */

enum pm_rc
store_add_listener(struct pm_store *st, const struct pm_listener_rec *r,
                   int64_t *id_out, struct pm_err *err)
{
    static const char sql[] =
        "INSERT INTO listeners(source_id, window_id, body_id, script_url,"
        " line, col, code, code_hash, found_by, origin_id, target, doc,"
        " doc_url) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,"
        " (SELECT origin_id FROM windows WHERE id=?2), ?10, ?11,"
        " (SELECT url FROM windows WHERE id=?2))";
    sqlite3_stmt *s = store_stmt(st, sql, err);
    if (s == NULL)
        return err->rc;
    char hex[PM_SHA256_HEX];
    const char *code = r->code ? r->code : "";
    sha256_hex(code, strlen(code), hex);
    sqlite3_bind_int64(s, 1, r->source_id);
    store_bind_id(s, 2, r->window_id);
    store_bind_id(s, 3, r->body_id);
    store_bind_text_borrowed(s, 4, r->script_url);
    sqlite3_bind_int64(s, 5, r->line);
    sqlite3_bind_int64(s, 6, r->col);
    store_bind_text_borrowed(s, 7, r->code);
    store_bind_text(s, 8, hex);
    store_bind_text(s, 9, r->found_by ? r->found_by : "trace");
    store_bind_text(s, 10, r->target);
    sqlite3_bind_int64(s, 11, r->doc);
    if (store_step_done(st, s, err, "adding listener"))
        return err->rc;
    *id_out = sqlite3_last_insert_rowid(st->db);
    return PM_OK;
}

enum pm_rc
store_add_send_site(struct pm_store *st, const struct pm_send_site_rec *r,
                    int64_t *id_out, struct pm_err *err)
{
    static const char sql[] =
        "INSERT INTO send_sites(source_id, window_id, body_id, script_url,"
        " line, col, target_expr, target_origin, snippet, doc, stack, receiver)"
        " VALUES(?,?,?,?,?,?,?,?,?,?,?,?)";
    sqlite3_stmt *s = store_stmt(st, sql, err);
    if (s == NULL)
        return err->rc;
    sqlite3_bind_int64(s, 1, r->source_id);
    store_bind_id(s, 2, r->window_id);
    store_bind_id(s, 3, r->body_id);
    store_bind_text(s, 4, r->script_url);
    sqlite3_bind_int64(s, 5, r->line);
    sqlite3_bind_int64(s, 6, r->col);
    store_bind_text(s, 7, r->target_expr);
    store_bind_text(s, 8, r->target_origin);
    store_bind_text(s, 9, r->snippet);
    sqlite3_bind_int64(s, 10, r->doc);
    store_bind_text(s, 11, r->stack);
    store_bind_text(s, 12, r->receiver);
    if (store_step_done(st, s, err, "adding send site"))
        return err->rc;
    *id_out = sqlite3_last_insert_rowid(st->db);
    return PM_OK;
}

/* ---- messages --------------------------------------------------------- */

enum pm_rc
store_add_message(struct pm_store *st, const struct pm_message_rec *r,
                  int64_t *id_out, struct pm_err *err)
{
    static const char sql[] =
        "INSERT INTO messages(source_id, ext_id, ts, sender_window_id,"
        " receiver_window_id, sender_origin_id, receiver_origin_id,"
        " target_origin, via, port, data_json, data_preview, size, cause,"
        " receiver_doc, send_site_id) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    static const char fts[] =
        "INSERT INTO messages_fts(rowid, data_json) VALUES(?,?)";
    int64_t so, ro;
    if (store_intern_origin(st, r->sender_origin, &so, err) ||
        store_intern_origin(st, r->receiver_origin, &ro, err))
        return err->rc;
    sqlite3_stmt *s = store_stmt(st, sql, err);
    if (s == NULL)
        return err->rc;
    const char *data = r->data_json ? r->data_json : "null";
    size_t len = strlen(data);
    char preview[STORE_PREVIEW_MAX + 1];
    if (len > STORE_PREVIEW_STORED_MIN)
        store_message_preview(data, preview, sizeof preview);
    sqlite3_bind_int64(s, 1, r->source_id);
    store_bind_text(s, 2, r->ext_id);
    sqlite3_bind_double(s, 3, r->ts);
    store_bind_id(s, 4, r->sender_window_id);
    store_bind_id(s, 5, r->receiver_window_id);
    store_bind_id(s, 6, so);
    store_bind_id(s, 7, ro);
    store_bind_text(s, 8, r->target_origin);
    store_bind_text(s, 9, r->via ? r->via : "window");
    store_bind_text(s, 10, r->port);
    sqlite3_bind_text(s, 11, data, -1, SQLITE_STATIC);
    store_bind_text(s, 12, len > STORE_PREVIEW_STORED_MIN ? preview : NULL);
    sqlite3_bind_int64(s, 13, (sqlite3_int64)len);
    store_bind_text(s, 14, r->cause);
    sqlite3_bind_int64(s, 15, r->receiver_doc);
    store_bind_id(s, 16, r->send_site_id);
    if (store_step_done(st, s, err, "adding message"))
        return err->rc;
    int64_t id = sqlite3_last_insert_rowid(st->db);
    s = store_stmt(st, fts, err);
    if (s == NULL)
        return err->rc;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, data, -1, SQLITE_STATIC);
    if (store_step_done(st, s, err, "indexing message"))
        return err->rc;
    *id_out = id;
    return PM_OK;
}
