/*
 * js_pretty.h - JavaScript as lines to read: a handler's code either as
 * written or, when it is minified, re-indented from jsscan's tokens (one
 * statement a line, indented by brace depth), every line mapped back to
 * the byte of the source it starts with.  The TUI's code pane shows these
 * lines and marks the ones holding the origin check and the sinks; the
 * mapping is what lets it find them after re-indenting.
 */
#ifndef PM_JS_PRETTY_H
#define PM_JS_PRETTY_H

#include <stddef.h>

struct js_lines {
    char *text;    /* the lines, each ended by '\n'; NUL-terminated */
    size_t len;    /* bytes in text */
    size_t n;      /* lines */
    size_t *start; /* n + 1 offsets into text: line i is [start[i], start[i+1]) */
    size_t *src;   /* n source offsets: the byte line i starts with */
    int pretty;    /* 1 when re-indented, 0 when as written */
};

/*
 * 1 when src[0..n) looks minified: at least half of its bytes sit on
 * lines longer than JS_PRETTY_LONG_LINE bytes.  Readable code with one
 * long string in it stays as written.
 */
#define JS_PRETTY_LONG_LINE 200
int js_pretty_is_minified(const char *src, size_t n);

/* The source as written, split at '\n' (out must be zeroed or released). */
void js_lines_raw(const char *src, size_t n, struct js_lines *out);

/*
 * The source re-indented (out must be zeroed or released).  String,
 * template and regex literals and comments are copied byte for byte; only
 * whitespace between tokens changes.  Never fails: on garbage it still
 * keeps every non-blank byte in order.  The output is at most
 * JS_PRETTY_OUT_MAX(n) bytes plus one line; past that budget (or past
 * what the tokenizer takes of a huge input) the rest of the source
 * follows as written.
 */
#define JS_PRETTY_OUT_MAX(n) (4 * (size_t)(n) + 65536)
void js_lines_pretty(const char *src, size_t n, struct js_lines *out);

/* Bytes of line i without its '\n'. */
size_t js_lines_len(const struct js_lines *l, size_t i);

/* The line showing source byte off (the last line starting at or before
 * it); 0 when there are no lines. */
size_t js_lines_find(const struct js_lines *l, size_t off);

void js_lines_release(struct js_lines *l);

#endif
