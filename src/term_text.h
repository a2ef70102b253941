/*
 * term_text.h - make untrusted text safe and measurable for a terminal.
 *
 * Every string pmscope shows comes from an input file (URLs, message data,
 * script code) and may hold escape sequences, bidi overrides, invisible
 * characters or invalid UTF-8.  This module decodes UTF-8 and splits text
 * into pieces: a printable character (passed through, with its wcwidth) or
 * an escape (\x1b, \n, \u202e, \u200d, \U000e0041, \xff for an invalid
 * byte) that stands for what must never reach the terminal; utf8.c's
 * unicode_is_hidden decides which characters are escaped.  It is pure (no
 * curses, no I/O); column counts use wcwidth, so call setlocale(LC_CTYPE,
 * "") first, as the program does.
 */
#ifndef PM_TERM_TEXT_H
#define PM_TERM_TEXT_H

#include <stddef.h>

#include "buf.h"

enum term_text_flags {
    TT_ASCII = 1,    /* escape every non-ASCII character (non-UTF-8 terminal) */
    TT_ELLIPSIS = 2, /* term_text_fit: mark a cut with a trailing ellipsis */
    TT_PAD = 4,      /* term_text_fit: pad with spaces to exactly max_cols */
};

struct term_piece {
    const char *text; /* bytes to write: into the input, or into esc */
    size_t len;
    int cols;         /* terminal columns the piece takes (0 for combining) */
    int escaped;      /* 1 when text is an escape standing for something else */
    char esc[16];
};

/*
 * Decode the next piece of [*p, end) and advance *p past it.  Returns 0 when
 * *p has reached end, 1 otherwise.  piece->text stays valid while the input
 * and the piece live.
 */
int term_text_next(const char **p, const char *end, int flags,
                   struct term_piece *piece);

/* Columns s[0..n) takes when rendered with term_text_next. */
size_t term_text_width(const char *s, size_t n, int flags);

/*
 * Append the safe rendering of s[0..n) to out, using at most max_cols
 * columns (a wide character that does not fit is left out whole).  With
 * TT_ELLIPSIS a cut text ends in an ellipsis (U+2026, or '~' with TT_ASCII);
 * with TT_PAD the result is padded with spaces to max_cols.  Returns the
 * columns used.
 */
int term_text_fit(struct pm_buf *out, const char *s, size_t n, int max_cols,
                  int flags);

/* Same as term_text_fit(out, s, strlen(s), ...); s NULL is "". */
int term_text_fits(struct pm_buf *out, const char *s, int max_cols, int flags);

#endif
