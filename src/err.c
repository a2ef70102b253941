/*
 * err.c - the error record: set-once semantics and one formatter shared by
 * the CLI, the TUI status line and the tests.
 *
 * Messages quote input (a URL, a frame id, a file name) as it was, bytes
 * and all: whoever shows a message escapes it for its reader (the CLI's
 * cmd_error and the TUI's status line through term_text), so the user sees
 * \x1b or \u202e rather than a lossy or a live character.
 */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
