/*
 * code_pane.c - the code pane views 4 (a listener's handler) and 7 (the
 * script around a send site's call) share: layout, marks, scrolling and
 * the lines below the code (see code_pane.h).  The view reads the code
 * from the workspace and draws the pane's title; everything between is
 * here, so both panes look and scroll alike.
 */
#include "code_pane.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "code_marks.h"
#include "draw.h"
#include "mem.h"

static void
layout_clear(struct ui_code_pane *p)
{
    js_lines_release(&p->lines);
    free(p->line_no);
    free(p->marks);
    p->line_no = NULL;
    p->marks = NULL;
}

static void
after_clear(struct ui_code_pane *p)
{
    for (int i = 0; i < p->n_after; i++)
        free(p->after[i]);
    free(p->after);
    free(p->after_heading);
    p->after = NULL;
    p->after_heading = NULL;
    p->n_after = 0;
}

/*
 * Lay out the code as written or re-indented, with the script line each
 * shown line starts on and the marks of the check, the sinks and the call.
 */
static void
layout(struct ui_app *app, struct ui_code_pane *p)
{
    layout_clear(p);
    const struct code_pane_text *t = &p->text;
    const char *code = p->code ? p->code : "";
    size_t n = p->code ? t->len : 0;
    if (p->pretty)
        js_lines_pretty(code, n, &p->lines);
    else
        js_lines_raw(code, n, &p->lines);
    code_marks_lines(&p->lines, code, n, t->line, t->col, t->check_line,
                     t->check_col, t->sinks, &p->line_no, &p->marks);
    if (t->call >= 0 && (size_t)t->call < n && p->lines.n > 0)
        p->marks[js_lines_find(&p->lines, (size_t)t->call)] |= CODE_MARK_CALL;
    p->widest = 0;
    for (size_t i = 0; i < p->lines.n; i++) {
        int lw = (int)term_text_width(p->lines.text + p->lines.start[i],
                                      js_lines_len(&p->lines, i),
                                      app->tt_flags);
        p->widest = lw > p->widest ? lw : p->widest;
    }
    for (int i = 0; i < p->n_after; i++) {
        int lw = (int)strlen(p->after[i]) + 5;
        p->widest = lw > p->widest ? lw : p->widest;
    }
}

int
code_pane_wants(const struct ui_code_pane *p, int64_t id)
{
    return p->id != id || p->stale;
}

void
code_pane_show(struct ui_app *app, struct ui_code_pane *p, int64_t id,
               const struct code_pane_text *t)
{
    int same = p->id == id;
    free(p->code);
    p->code = NULL;
    after_clear(p);
    memset(&p->text, 0, sizeof p->text);
    p->text.call = -1;
    if (t && t->code) {
        p->text = *t;
        p->code = xmalloc(t->len + 1);
        memcpy(p->code, t->code, t->len);
        p->code[t->len] = '\0';
        p->text.code = p->code;
    }
    p->id = id;
    p->stale = 0;
    if (!same) {
        p->pretty = p->code && js_pretty_is_minified(p->code, p->text.len);
        p->top = 0;
        p->x = 0;
    }
    layout(app, p);
    if (!same && p->text.call >= 0 && p->lines.n > 0) {
        int rows = p->h > 0 ? p->h : 6;
        p->top = (int)js_lines_find(&p->lines, (size_t)p->text.call) - rows / 3;
    }
    code_pane_scroll(p, 0, 0);
}

void
code_pane_add_after(struct ui_code_pane *p, const char *line, int heading)
{
    p->after = xrealloc(p->after, (size_t)(p->n_after + 1) * sizeof *p->after);
    p->after_heading = xrealloc(p->after_heading,
                                (size_t)(p->n_after + 1) *
                                    sizeof *p->after_heading);
    p->after[p->n_after] = xstrdup(line);
    p->after_heading[p->n_after] = heading;
    p->n_after++;
    /* (bytes: at least the columns, so Right can reach the end) */
    int lw = (int)strlen(line) + 5;
    p->widest = lw > p->widest ? lw : p->widest;
}

const char *
code_pane_mode(const struct ui_code_pane *p)
{
    return p->lines.pretty ? "[pretty-printed]" : "[as written]";
}

/* The mark's text at the right end of a line: "[check, innerHTML]". */
static int
mark_label(unsigned what, char *buf, size_t bufsz)
{
    char names[160];
    code_marks_label(what, names, sizeof names);
    return snprintf(buf, bufsz, "[%s]", names);
}

/* Byte offset in s[0..n) after the first cols columns. */
static size_t
skip_cols(struct ui_app *app, const char *s, size_t n, int cols)
{
    const char *p = s, *end = s + n;
    struct term_piece piece;
    int used = 0;
    while (used < cols) {
        const char *q = p;
        if (!term_text_next(&q, end, app->tt_flags, &piece))
            break;
        used += piece.cols;
        p = q;
    }
    return (size_t)(p - s);
}

/* One shown line i of the code at screen row y; first says it is the top
 * row (which always shows its script line). */
static void
draw_code_line(struct ui_app *app, struct ui_code_pane *p, int y, size_t i,
               int first)
{
    int w = app->cols;
    unsigned mark = p->marks[i];
    int mark_attr = (int)(draw_attr(app, UI_ROLE_WARN) | A_BOLD);
    /* Re-indented lines show the script line where a new one starts. */
    if (first || !p->lines.pretty || p->line_no[i] != p->line_no[i - 1]) {
        char num[32];
        snprintf(num, sizeof num, "%5ld", p->line_no[i]);
        draw_label(y, 0, 5, num, mark ? mark_attr : (int)A_DIM);
    }
    const char *s = p->lines.text + p->lines.start[i];
    size_t len = js_lines_len(&p->lines, i);
    size_t off = skip_cols(app, s, len, p->x);
    /* A mark says the line goes on to the left. */
    draw_label(y, 5, 1, p->x > 0 && off > 0 ? "<" : " ", A_DIM);
    /* The mark's text goes at the right end: over the cut of a long line
     * when the code is not scrolled sideways, else only where it covers
     * no code (the line number's colour still marks the line). */
    int tw = w - 6;
    if (mark) {
        char tag[192];
        int tagw = mark_label(mark, tag, sizeof tag);
        tagw = tagw < tw / 2 ? tagw : tw / 2;
        int rest = (int)term_text_width(s + off, len - off, app->tt_flags);
        if (p->x == 0 || rest + 1 + tagw <= tw) {
            draw_label(y, w - tagw, tagw, tag, mark_attr);
            tw -= tagw + 1;
        }
    }
    draw_textn(app, y, 6, tw, s + off, len - off, A_NORMAL, TT_ELLIPSIS);
}

/* A line below the code (j counts from the first one). */
static void
draw_after_line(struct ui_app *app, struct ui_code_pane *p, int y, int j)
{
    const char *s = p->after[j];
    size_t off = skip_cols(app, s, strlen(s), p->x);
    if (p->after_heading[j])
        draw_label(y, 1, app->cols - 1, s, draw_attr(app, UI_ROLE_HEADING));
    else
        draw_text(app, y, 6, app->cols - 6, s + off, A_NORMAL, TT_ELLIPSIS);
}

void
code_pane_draw(struct ui_app *app, struct ui_code_pane *p, int y, int h)
{
    p->h = h;
    p->w = app->cols - 7;
    int total = (int)p->lines.n + p->n_after;
    for (int i = 0; i < h && p->top + i < total; i++) {
        int k = p->top + i;
        if (k < (int)p->lines.n)
            draw_code_line(app, p, y + i, (size_t)k, i == 0);
        else
            draw_after_line(app, p, y + i, k - (int)p->lines.n);
    }
}

int
code_pane_scroll(struct ui_code_pane *p, int lines, int cols)
{
    if (p->code == NULL && p->n_after == 0)
        return UI_HANDLED;
    int max_top = (int)p->lines.n + p->n_after - (p->h > 0 ? p->h : 1);
    int max_x = p->widest - (p->w > 0 ? p->w : 1);
    p->top += lines;
    p->top = p->top > max_top ? max_top : p->top;
    p->top = p->top < 0 ? 0 : p->top;
    p->x += cols;
    p->x = p->x > max_x ? max_x : p->x;
    p->x = p->x < 0 ? 0 : p->x;
    return UI_REDRAW;
}

int
code_pane_toggle(struct ui_app *app, struct ui_code_pane *p)
{
    if (p->code == NULL)
        return UI_HANDLED;
    size_t old_n = p->lines.n;
    size_t top = (size_t)p->top < old_n ? p->lines.src[p->top] : 0;
    p->pretty = !p->lines.pretty;
    layout(app, p);
    /* Below the code, the same line below it stays at the top. */
    p->top = (size_t)p->top < old_n
                 ? (int)js_lines_find(&p->lines, top)
                 : (int)p->lines.n + (p->top - (int)old_n);
    p->x = 0;
    code_pane_scroll(p, 0, 0);
    ui_status(app, 0, p->pretty ? "code pretty-printed (p: as written)"
                                : "code as written (p: pretty-printed)");
    return UI_REDRAW;
}

void
code_pane_release(struct ui_code_pane *p)
{
    layout_clear(p);
    after_clear(p);
    free(p->code);
    p->code = NULL;
}
