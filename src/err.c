/*
 * err.c - the error record: set-once semantics and one formatter shared by
 * the CLI, the TUI status line and the tests.
 *
 * Messages quote input (a URL, a frame id, a file name) and go to the
 * terminal, the TUI status line and JSON: the message and the source name
 * are stored already escaped by term_text (\x1b, \x9b, \u202e, \u200d),
 * so a hostile value can never act on the user's screen whoever prints it.
 * The escapes are printable ASCII, so the CLI's cmd_error, which escapes
 * everything it prints once more, shows them unchanged.
 */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "term_text.h"
#include "utf8.h"

/* Replace s (a buffer of size bytes) with its term_text escaping, cut at
 * a character boundary when it no longer fits. */
static void
err_escape(char *s, size_t size)
{
    struct pm_buf b;
    pm_buf_init(&b);
    term_text_fits(&b, s, 1 << 30, 0);
    size_t n = b.len < size ? b.len : size - 1;
    n = utf8_valid_prefix(b.data, n);
    memcpy(s, b.data, n);
    s[n] = '\0';
    pm_buf_release(&b);
}

void
pm_err_init(struct pm_err *e)
{
    memset(e, 0, sizeof *e);
    e->entry = -1;
}

static enum pm_rc
err_vset(struct pm_err *e, enum pm_rc rc, const char *src, long line,
         long col, long entry, const char *fmt, va_list ap)
{
    if (e == NULL)
        return rc;
    if (e->rc != PM_OK)
        return e->rc;
    e->rc = rc;
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    snprintf(e->src, sizeof e->src, "%s", src ? src : "");
    err_escape(e->msg, sizeof e->msg);
    err_escape(e->src, sizeof e->src);
    e->line = line;
    e->col = col;
    e->entry = entry;
    return rc;
}

enum pm_rc
pm_err_set(struct pm_err *e, enum pm_rc rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rc = err_vset(e, rc, NULL, 0, 0, -1, fmt, ap);
    va_end(ap);
    return rc;
}

enum pm_rc
pm_err_at(struct pm_err *e, enum pm_rc rc, const char *src, long line,
          long col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rc = err_vset(e, rc, src, line, col, -1, fmt, ap);
    va_end(ap);
    return rc;
}

enum pm_rc
pm_err_entry(struct pm_err *e, enum pm_rc rc, const char *src, long entry,
             const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rc = err_vset(e, rc, src, 0, 0, entry, fmt, ap);
    va_end(ap);
    return rc;
}

void
pm_err_format(const struct pm_err *e, char *out, size_t outsz)
{
    if (e->src[0] && e->line > 0 && e->col > 0)
        snprintf(out, outsz, "%s:%ld:%ld: %s", e->src, e->line, e->col, e->msg);
    else if (e->src[0] && e->line > 0)
        snprintf(out, outsz, "%s:%ld: %s", e->src, e->line, e->msg);
    else if (e->src[0] && e->entry >= 0)
        snprintf(out, outsz, "%s: entry %ld: %s", e->src, e->entry, e->msg);
    else if (e->src[0])
        snprintf(out, outsz, "%s: %s", e->src, e->msg);
    else
        snprintf(out, outsz, "%s", e->msg);
}

int
pm_rc_exit_code(enum pm_rc rc)
{
    switch (rc) {
    case PM_OK:
        return 0;
    case PM_ERR_USAGE:
        return 2;
    case PM_ERR_IO:
    case PM_ERR_DB:
    case PM_ERR_INTERNAL:
        return 3;
    default:
        return 1;
    }
}

const char *
pm_rc_str(enum pm_rc rc)
{
    static const char *const names[] = {
        "ok", "usage error", "parse error", "unknown format", "limit exceeded",
        "not found", "I/O error", "database error", "network error",
        "internal error",
    };
    if ((unsigned)rc < sizeof names / sizeof names[0])
        return names[rc];
    return "error";
}
