/*
 * code_marks.h - where in a listener's code the analysis' results are, as
 * byte offsets into the code: its origin check (from the check's
 * line:col in the script and where the code starts in it) and the places
 * that name one of its sinks.  The code pane marks the lines holding
 * them, as written or re-indented (js_pretty.h maps offsets to lines).
 */
#ifndef PM_CODE_MARKS_H
#define PM_CODE_MARKS_H

#include <stddef.h>

#define CODE_MARK_CHECK (1u << 31) /* beside the enum pm_sink bits */
#define CODE_MARK_CALL (1u << 30)  /* a send site's postMessage call */

struct code_mark {
    size_t off;    /* byte in the code */
    unsigned what; /* CODE_MARK_CHECK or one enum pm_sink bit */
};

/*
 * Byte offset in code[0..n) of line:col of the script (1-based, columns
 * in bytes, as jsscan counts them), the code starting at
 * start_line:start_col (0 when not known: positions are then the code's
 * own).  -1 when the position is not inside the code.
 */
long code_offset_at(const char *code, size_t n, long start_line,
                    long start_col, long line, long col);

/*
 * The marks of a listener's code, by offset: its check at
 * check_line:check_col (none when check_line is 0) and each place that
 * writes to or calls one of sinks (enum pm_sink bits), such as
 * `.innerHTML =`, `eval(`, `location.href =`.  Returns how many; *out is
 * malloc'd (NULL when none).  At most CODE_MARKS_MAX.
 */
#define CODE_MARKS_MAX 4096
size_t code_marks_find(const char *code, size_t n, long start_line,
                       long start_col, long check_line, long check_col,
                       unsigned sinks, struct code_mark **out);

/*
 * For each line of lines (code laid out by js_pretty.h, starting at
 * start_line:start_col of its script): the script line it starts on, in
 * (*line_no)[i], and its marks, in (*marks)[i].  Both arrays are malloc'd
 * with lines->n + 1 entries.
 */
struct js_lines;
void code_marks_lines(const struct js_lines *lines, const char *code,
                      size_t n, long start_line, long start_col,
                      long check_line, long check_col, unsigned sinks,
                      long **line_no, unsigned **marks);

/*
 * The part of a script worth reading around its position line:col
 * (1-based, columns in bytes): up to CODE_AROUND_LINES lines either side,
 * or, on a long (minified) line, up to CODE_AROUND_BYTES bytes either
 * side, started after a `;`, `{` or `}` so the excerpt begins at a
 * statement.  off, len: the excerpt's bytes in script; line, col: where
 * it starts in the script; call: the position's offset in the excerpt
 * (-1 when line:col is not inside the script: the excerpt is then the
 * script's start).
 */
#define CODE_AROUND_LINES 12
#define CODE_AROUND_BYTES 1500
struct code_excerpt {
    size_t off, len;
    long line, col;
    long call;
};
void code_excerpt_around(const char *script, size_t n, long line, long col,
                         struct code_excerpt *out);

/* "check", "call", "innerHTML", ... for the bits of what, comma-separated. */
void code_marks_label(unsigned what, char *buf, size_t bufsz);

#endif
