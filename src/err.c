/*
 * err.c - the error record: set-once semantics and one formatter shared by
 * the CLI, the TUI status line and the tests.
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

/*
 * Messages quote input (a URL, a frame id, a file name) and go straight to
 * the terminal: C0 controls, DEL and UTF-8-encoded C1 controls (U+0080..
 * U+009F, which some terminals obey like ESC [) become '?', so a hostile
 * value can never start an escape sequence on the user's screen.
 */
static void
err_make_printable(char *s)
{
    for (unsigned char *p = (unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            *p = '?';
        else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
            p[0] = p[1] = '?';
    }
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
    err_make_printable(e->msg);
    err_make_printable(e->src);
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
