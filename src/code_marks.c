/*
 * code_marks.c - the offsets of a listener's origin check and of the
 * places that reach its sinks (see code_marks.h).
 *
 * The analysis stores where the check is (check_line, check_col) but only
 * the names of the sinks, so the places are found again here on jsscan's
 * tokens: a sink's word in the position that makes it one (assigned to,
 * or called).  A place found this way may be one the analysis did not
 * count (a constant written to innerHTML), which is why only the sinks
 * the analysis reported are looked for.
 *
 * A send site has no code of its own: the excerpt of its script around
 * the call (code_excerpt_around) is what the send-site pane and `show
 * send` lay out, with the call's line marked.
 */
#include "code_marks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "js_pretty.h"
#include "jsscan.h"
#include "mem.h"
#include "vocab.h"

enum use { ANY, CALLED, ASSIGNED, LOCATION };

static const struct sink_word {
    unsigned sink;
    const char *word;
    int after_dot;  /* written as a property: x.word */
    enum use use;
} sink_words[] = {
    {PM_SINK_INNERHTML, "innerHTML", 1, ASSIGNED},
    {PM_SINK_OUTERHTML, "outerHTML", 1, ASSIGNED},
    {PM_SINK_INSERTADJACENTHTML, "insertAdjacentHTML", 1, CALLED},
    {PM_SINK_DOCUMENT_WRITE, "write", 1, CALLED},
    {PM_SINK_DOCUMENT_WRITE, "writeln", 1, CALLED},
    {PM_SINK_EVAL, "eval", 0, CALLED},
    {PM_SINK_FUNCTION, "Function", 0, ANY},
    {PM_SINK_SETTIMEOUT, "setTimeout", 0, CALLED},
    {PM_SINK_SETINTERVAL, "setInterval", 0, CALLED},
    {PM_SINK_LOCATION, "location", 0, LOCATION},
    {PM_SINK_WINDOW_OPEN, "open", 0, CALLED},
    {PM_SINK_SRC, "src", 1, ASSIGNED},
    {PM_SINK_HREF, "href", 1, ASSIGNED},
    {PM_SINK_JQUERY_HTML, "html", 1, CALLED},
    {PM_SINK_JQUERY, "$", 0, CALLED},
    {PM_SINK_JQUERY, "jQuery", 0, CALLED},
    {PM_SINK_LOCALSTORAGE, "localStorage", 0, ANY},
    {PM_SINK_SESSIONSTORAGE, "sessionStorage", 0, ANY},
    {PM_SINK_COOKIE, "cookie", 1, ASSIGNED},
    {PM_SINK_FETCH, "fetch", 0, CALLED},
    {PM_SINK_XHR, "XMLHttpRequest", 0, ANY},
    {PM_SINK_POSTMESSAGE, "postMessage", 1, CALLED},
};

long
code_offset_at(const char *code, size_t n, long start_line, long start_col,
               long line, long col)
{
    long base_line = start_line > 0 ? start_line : 1;
    long base_col = start_line > 0 && start_col > 0 ? start_col : 1;
    if (line < base_line || col < 1)
        return -1;
    size_t off = 0;
    for (long l = base_line; l < line; l++) {
        const char *nl = memchr(code + off, '\n', n - off);
        if (nl == NULL)
            return -1;
        off = (size_t)(nl - code) + 1;
    }
    long skip = line == base_line ? col - base_col : col - 1;
    if (skip < 0 || (size_t)skip >= n - off)
        return -1;
    return (long)(off + (size_t)skip);
}

static int
assigned(const struct js_tokens *t, size_t i)
{
    return js_is_punct(t, i, "=") || js_is_punct(t, i, "+=");
}

/* Token i, a sink's word, is used the way that makes it the sink. */
static int
used_as_sink(const struct js_tokens *t, size_t i, const struct sink_word *w)
{
    int dot = i > 0 && (js_is_punct(t, i - 1, ".") || js_is_punct(t, i - 1, "?."));
    if (w->after_dot && !dot)
        return 0;
    switch (w->use) {
    case CALLED:
        return js_is_punct(t, i + 1, "(");
    case ASSIGNED:
        return assigned(t, i + 1);
    case LOCATION:
        return assigned(t, i + 1) ||
               (js_is_punct(t, i + 1, ".") &&
                ((js_is_ident(t, i + 2, "href") && assigned(t, i + 3)) ||
                 js_is_ident(t, i + 2, "assign") ||
                 js_is_ident(t, i + 2, "replace")));
    default:
        return 1;
    }
}

static int
by_offset(const void *a, const void *b)
{
    const struct code_mark *x = a, *y = b;
    return x->off < y->off ? -1 : x->off > y->off;
}

size_t
code_marks_find(const char *code, size_t n, long start_line, long start_col,
                long check_line, long check_col, unsigned sinks,
                struct code_mark **out)
{
    *out = NULL;
    size_t count = 0, cap = 0;
    struct code_mark *v = NULL;
    long at = check_line > 0 ? code_offset_at(code, n, start_line, start_col,
                                              check_line, check_col)
                             : -1;
    if (at >= 0) {
        cap = 16;
        v = xmalloc(cap * sizeof *v);
        v[count++] = (struct code_mark){(size_t)at, CODE_MARK_CHECK};
    }
    if (sinks != 0) {
        struct js_tokens t;
        js_tokenize(code, n, 1, 1, &t);
        for (size_t i = 0; i < t.n && count < CODE_MARKS_MAX; i++) {
            if (t.v[i].type != JS_IDENT)
                continue;
            for (size_t k = 0; k < sizeof sink_words / sizeof sink_words[0]; k++) {
                const struct sink_word *w = &sink_words[k];
                if (!(sinks & w->sink) || !js_is(&t, i, w->word) ||
                    !used_as_sink(&t, i, w))
                    continue;
                if (count == cap) {
                    cap = cap ? cap * 2 : 16;
                    v = xrealloc(v, cap * sizeof *v);
                }
                v[count++] = (struct code_mark){t.v[i].off, w->sink};
                break;
            }
        }
        js_tokens_release(&t);
    }
    if (count > 1)
        qsort(v, count, sizeof *v, by_offset);
    *out = v;
    return count;
}

void
code_marks_lines(const struct js_lines *lines, const char *code, size_t n,
                 long start_line, long start_col, long check_line,
                 long check_col, unsigned sinks, long **line_no,
                 unsigned **marks)
{
    size_t nl = lines->n;
    long *no = xcalloc(nl + 1, sizeof *no);
    unsigned *mk = xcalloc(nl + 1, sizeof *mk);
    long line = start_line > 0 ? start_line : 1;
    size_t at = 0;
    for (size_t i = 0; i < nl; i++) {
        for (; at < lines->src[i] && at < n; at++)
            line += code[at] == '\n';
        no[i] = line;
    }
    struct code_mark *m;
    size_t nm = code_marks_find(code, n, start_line, start_col, check_line,
                                check_col, sinks, &m);
    for (size_t i = 0; i < nm && nl > 0; i++)
        mk[js_lines_find(lines, m[i].off)] |= m[i].what;
    free(m);
    *line_no = no;
    *marks = mk;
}

void
code_marks_label(unsigned what, char *buf, size_t bufsz)
{
    if (bufsz == 0)
        return;
    buf[0] = '\0';
    size_t o = 0;
    if (what & CODE_MARK_CHECK)
        o += (size_t)snprintf(buf, bufsz, "check");
    if ((what & CODE_MARK_CALL) && o < bufsz)
        o += (size_t)snprintf(buf + o, bufsz - o, "%scall", o ? ", " : "");
    for (int i = 0; i < PM_SINK_COUNT && o < bufsz; i++) {
        const char *name = sink_name(1u << i);
        if (!(what & (1u << i)) || name == NULL)
            continue;
        o += (size_t)snprintf(buf + o, bufsz - o, "%s%s", o ? ", " : "", name);
    }
}

/* Offset of the start of the line holding off. */
static size_t
line_start(const char *s, size_t off)
{
    while (off > 0 && s[off - 1] != '\n')
        off--;
    return off;
}

void
code_excerpt_around(const char *script, size_t n, long line, long col,
                    struct code_excerpt *out)
{
    long at = code_offset_at(script, n, 1, 1, line, col);
    size_t call = at >= 0 ? (size_t)at : 0;
    size_t cur = line_start(script, call);
    /* CODE_AROUND_LINES whole lines before and after the call's line */
    size_t from = cur;
    long first = at >= 0 ? line : 1;
    for (int i = 0; i < CODE_AROUND_LINES && from > 0; i++) {
        from = line_start(script, from - 1);
        first--;
    }
    size_t to = call;
    for (int i = 0; i <= CODE_AROUND_LINES && to < n; i++) {
        const char *nl = memchr(script + to, '\n', n - to);
        to = nl ? (size_t)(nl - script) + 1 : n;
    }
    long first_col = 1;
    /* A long line is cut around the call, after a statement's end. */
    if (call - from > CODE_AROUND_BYTES) {
        size_t cut = call - CODE_AROUND_BYTES;
        size_t s = cut;
        while (s < call && script[s] != ';' && script[s] != '{' &&
               script[s] != '}')
            s++;
        cut = s < call ? s + 1 : cut;
        size_t ls = line_start(script, cut);
        if (ls > from) {
            for (size_t k = from; k < ls; k++)
                first += script[k] == '\n';
            from = ls;
        }
        if (cut > from) {
            first_col = (long)(cut - from) + 1;
            from = cut;
        }
    }
    if (to - call > CODE_AROUND_BYTES) {
        size_t cut = call + CODE_AROUND_BYTES;
        size_t s = cut;
        while (s < n && s < cut + 200 && script[s] != ';' &&
               script[s] != '}' && script[s] != '\n')
            s++;
        to = s < n ? s + 1 : n;
    }
    out->off = from;
    out->len = to - from;
    out->line = first;
    out->col = first_col;
    out->call = at >= 0 ? (long)(call - from) : -1;
}
