/*
 * store_bind.c - say each statement once: a cached statement (store_stmt)
 * with its parameters bound from a format string, in the style of
 * sqlite3_mprintf, and the ways the store's modules run one: to the end
 * (store_exec_fmt), row by row into a decoder (store_each_fmt), for at most
 * one row (store_one_fmt), or for one integer (store_int64_fmt).
 *
 * The format has one letter per parameter, in placeholder order:
 *
 *   t  const char *   text; NULL binds SQL NULL
 *   I  int64_t        an integer
 *   i  int            an integer (flags, limits)
 *   R  int64_t        a row id; 0 or less binds SQL NULL (store_bind_id)
 *   d  double         a time or a size; below 0 (unknown) binds SQL NULL
 *
 * The variadic arguments must have exactly those types (cast an int64_t
 * expression that is a long or an int): the format is the only record of
 * what was passed.
 */
#include <stdarg.h>

#include "store_int.h"

/* Bind the arguments of ap to s by fmt; PM_OK or PM_ERR_INTERNAL. */
static enum pm_rc
bind_va(sqlite3_stmt *s, const char *fmt, va_list ap, struct pm_err *err)
{
    for (int i = 1; fmt[i - 1] != '\0'; i++) {
        switch (fmt[i - 1]) {
        case 't':
            store_bind_text(s, i, va_arg(ap, const char *));
            break;
        case 'I':
            sqlite3_bind_int64(s, i, va_arg(ap, int64_t));
            break;
        case 'i':
            sqlite3_bind_int64(s, i, va_arg(ap, int));
            break;
        case 'R':
            store_bind_id(s, i, va_arg(ap, int64_t));
            break;
        case 'd': {
            double v = va_arg(ap, double);
            if (v < 0)
                sqlite3_bind_null(s, i);
            else
                sqlite3_bind_double(s, i, v);
            break;
        }
        default:
            return pm_err_set(err, PM_ERR_INTERNAL,
                              "bad parameter format '%c' for: %s",
                              fmt[i - 1], sqlite3_sql(s));
        }
    }
    return PM_OK;
}

/* The cached statement for sql, bound from ap by fmt; NULL on error. */
static sqlite3_stmt *
stmt_va(struct pm_store *st, struct pm_err *err, const char *sql,
        const char *fmt, va_list ap)
{
    sqlite3_stmt *s = store_stmt(st, sql, err);
    if (s == NULL || bind_va(s, fmt, ap, err) != PM_OK)
        return NULL;
    return s;
}

/* Each public function below: va_start, stmt_va into `s`, va_end. */
#define STMT_FMT                                                             \
    va_list ap;                                                              \
    va_start(ap, fmt);                                                       \
    sqlite3_stmt *s = stmt_va(st, err, sql, fmt, ap);                        \
    va_end(ap)

sqlite3_stmt *
store_stmt_fmt(struct pm_store *st, struct pm_err *err, const char *sql,
               const char *fmt, ...)
{
    STMT_FMT;
    return s;
}

enum pm_rc
store_exec_fmt(struct pm_store *st, struct pm_err *err, const char *what,
               const char *sql, const char *fmt, ...)
{
    STMT_FMT;
    if (s == NULL)
        return err->rc;
    return store_step_done(st, s, err, what);
}

enum pm_rc
store_int64_fmt(struct pm_store *st, struct pm_err *err, const char *what,
                int64_t *out, int *found, const char *sql, const char *fmt,
                ...)
{
    if (found)
        *found = 0;
    STMT_FMT;
    if (s == NULL)
        return err->rc;
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_step_error(st, s, err, what);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(s, 0);
        if (found)
            *found = 1;
    }
    sqlite3_reset(s);
    return PM_OK;
}

enum pm_rc
store_each_row(struct pm_store *st, sqlite3_stmt *s, const char *what,
               store_row_fn row, void *ctx, struct pm_err *err)
{
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        if (row(s, ctx))
            break;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_step_error(st, s, err, what);
    sqlite3_reset(s);
    return PM_OK;
}

enum pm_rc
store_one_row(struct pm_store *st, sqlite3_stmt *s, const char *what,
              store_row_fn row, void *ctx, int *found, struct pm_err *err)
{
    *found = 0;
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_step_error(st, s, err, what);
    if (rc == SQLITE_ROW) {
        *found = 1;
        row(s, ctx);
    }
    sqlite3_reset(s);
    return PM_OK;
}

enum pm_rc
store_each_fmt(struct pm_store *st, struct pm_err *err, const char *what,
               store_row_fn row, void *ctx, const char *sql, const char *fmt,
               ...)
{
    STMT_FMT;
    if (s == NULL)
        return err->rc;
    return store_each_row(st, s, what, row, ctx, err);
}

enum pm_rc
store_one_fmt(struct pm_store *st, struct pm_err *err, const char *what,
              store_row_fn row, void *ctx, int *found, const char *sql,
              const char *fmt, ...)
{
    *found = 0;
    STMT_FMT;
    if (s == NULL)
        return err->rc;
    return store_one_row(st, s, what, row, ctx, found, err);
}
