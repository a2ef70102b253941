/*
 * err.h - error codes and the error record every fallible function fills.
 *
 * A function that can fail returns an enum pm_rc and takes a struct pm_err *
 * as its last parameter.  The first error recorded wins (later calls to
 * pm_err_set on an already-set record are ignored), so the message the user
 * sees names the root cause, not a consequence.  Only main.c and the UI decide
 * whether an error is fatal and which exit code it maps to.
 */
#ifndef PM_ERR_H
#define PM_ERR_H

#include <stddef.h>

enum pm_rc {
    PM_OK = 0,
    PM_ERR_USAGE,    /* bad command line: exit 2 */
    PM_ERR_PARSE,    /* input is malformed: exit 1 */
    PM_ERR_FORMAT,   /* input is not a format pmscope reads: exit 1 */
    PM_ERR_LIMIT,    /* input exceeds a safety limit: exit 1 */
    PM_ERR_NOTFOUND, /* a named object does not exist: exit 1 */
    PM_ERR_IO,       /* file or workspace I/O failed: exit 3 */
    PM_ERR_DB,       /* SQLite reported an error: exit 3 */
    PM_ERR_NET,      /* network transfer failed: exit 1 */
    PM_ERR_INTERNAL  /* a bug in pmscope: exit 3 */
};

struct pm_err {
    enum pm_rc rc;   /* PM_OK while nothing has been recorded */
    char msg[512];   /* lower-case, no trailing period */
    char src[256];   /* input name as the user gave it, or "" */
    long line, col;  /* 1-based position in src; 0 = unknown */
    long entry;      /* 0-based entry/record index; -1 = unknown */
};

#define PM_ERR_INIT { PM_OK, "", "", 0, 0, -1 }

void pm_err_init(struct pm_err *e);

/* Record an error unless one is already recorded; returns e->rc. */
enum pm_rc pm_err_set(struct pm_err *e, enum pm_rc rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Same, with a source position (line/col 0 = unknown). */
enum pm_rc pm_err_at(struct pm_err *e, enum pm_rc rc, const char *src,
                     long line, long col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Same, with an entry index (for record-oriented inputs). */
enum pm_rc pm_err_entry(struct pm_err *e, enum pm_rc rc, const char *src,
                        long entry, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Render "src:line:col: msg" / "src: entry N: msg" / "msg" into out. */
void pm_err_format(const struct pm_err *e, char *out, size_t outsz);

/* Exit code for a result: 0 ok, 1 bad input, 2 usage, 3 workspace/IO. */
int pm_rc_exit_code(enum pm_rc rc);

const char *pm_rc_str(enum pm_rc rc);

#endif
