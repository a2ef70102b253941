/*
 * draw.c - colours and safe text output for the views (see draw.h).
 *
 * Colours are the terminal's eight base colours over its default
 * background (use_default_colors), so they follow the user's palette and
 * stay readable on dark and light themes; without colour support or with
 * NO_COLOR set, roles fall back to bold/reverse/underline.
 */
#include "draw.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "term_text.h"

/* Pair numbers: 1..6 origin palette, then role pairs. */
enum {
    PAIR_ORIGIN0 = 1,
    PAIR_LABEL = 7,
    PAIR_ESCAPE,
    PAIR_ERROR,
    PAIR_WARN,
    PAIR_OK,
    PAIR_TAB_ON,
    PAIR_SEV_MED,
    PAIR_SEV_LOW,
};

static const short origin_palette[] = {
    COLOR_GREEN, COLOR_MAGENTA, COLOR_CYAN, COLOR_BLUE, COLOR_RED, COLOR_YELLOW,
};

void
draw_init(struct ui_app *app, int force_no_color)
{
    const char *nc = getenv("NO_COLOR");
    app->color = 0;
    if (force_no_color || (nc && nc[0]) || !has_colors())
        return;
    if (start_color() != OK || COLORS < 8 || COLOR_PAIRS < 16)
        return;
    use_default_colors();
    for (int i = 0; i < 6; i++)
        init_pair((short)(PAIR_ORIGIN0 + i), origin_palette[i], -1);
    init_pair(PAIR_LABEL, COLOR_BLACK, COLOR_CYAN);
    init_pair(PAIR_ESCAPE, COLOR_MAGENTA, -1);
    init_pair(PAIR_ERROR, COLOR_RED, -1);
    init_pair(PAIR_WARN, COLOR_RED, -1);
    init_pair(PAIR_OK, COLOR_GREEN, -1);
    init_pair(PAIR_TAB_ON, COLOR_BLACK, COLOR_GREEN);
    init_pair(PAIR_SEV_MED, COLOR_MAGENTA, -1);
    init_pair(PAIR_SEV_LOW, COLOR_CYAN, -1);
    app->color = 1;
}

unsigned
draw_attr(const struct ui_app *app, int role)
{
    int c = app->color;
    switch (role) {
    case UI_ROLE_BAR: return A_REVERSE;
    case UI_ROLE_KEY: return A_BOLD;
    case UI_ROLE_LABEL: return c ? (COLOR_PAIR(PAIR_LABEL)) : A_REVERSE;
    case UI_ROLE_TAB: return A_REVERSE;
    case UI_ROLE_TAB_ON:
        return c ? (COLOR_PAIR(PAIR_TAB_ON) | A_BOLD) : A_BOLD;
    case UI_ROLE_SEL: return A_REVERSE;
    case UI_ROLE_SEL_DIM: return A_UNDERLINE;
    case UI_ROLE_ESCAPE:
        return c ? (COLOR_PAIR(PAIR_ESCAPE) | A_BOLD) : A_UNDERLINE;
    case UI_ROLE_ERROR: return c ? (COLOR_PAIR(PAIR_ERROR) | A_BOLD) : A_BOLD;
    case UI_ROLE_DIM: return A_DIM;
    case UI_ROLE_HEADING: return A_BOLD;
    case UI_ROLE_WARN: return c ? (COLOR_PAIR(PAIR_WARN) | A_BOLD) : A_BOLD;
    case UI_ROLE_OK: return c ? (COLOR_PAIR(PAIR_OK)) : A_NORMAL;
    default: return A_NORMAL;
    }
}

unsigned
draw_origin_attr(const struct ui_app *app, const char *origin)
{
    if (!app->color || origin == NULL || origin[0] == '\0')
        return A_NORMAL;
    /* FNV-1a: stable across runs, so an origin keeps its colour. */
    unsigned h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)origin; *p; p++)
        h = (h ^ *p) * 16777619u;
    int pair = PAIR_ORIGIN0 + (int)(h % 6);
    return COLOR_PAIR(pair) | ((h / 6) % 2 ? A_BOLD : 0u);
}

unsigned
draw_severity_attr(const struct ui_app *app, const char *sev)
{
    int c = app->color;
    if (sev == NULL)
        return A_NORMAL;
    if (strcmp(sev, "critical") == 0)
        return c ? (COLOR_PAIR(PAIR_ERROR) | A_BOLD | A_REVERSE)
                 : A_BOLD | A_REVERSE;
    if (strcmp(sev, "high") == 0)
        return c ? (COLOR_PAIR(PAIR_ERROR) | A_BOLD) : A_BOLD;
    if (strcmp(sev, "medium") == 0)
        return c ? (COLOR_PAIR(PAIR_SEV_MED)) : A_NORMAL;
    if (strcmp(sev, "low") == 0)
        return c ? (COLOR_PAIR(PAIR_SEV_LOW)) : A_NORMAL;
    return A_DIM;
}

void
draw_fill(int y, int x, int w, int attr)
{
    if (w <= 0)
        return;
    attrset(attr);
    mvhline(y, x, ' ', w);
    attrset(A_NORMAL);
}

/* Write one run of pieces that share an attribute. */
static void
draw_run(int y, int x, struct pm_buf *run, int attr)
{
    if (run->len == 0)
        return;
    attrset(attr);
    mvaddnstr(y, x, run->data, (int)run->len);
    attrset(A_NORMAL);
    pm_buf_reset(run);
}

int
draw_textn(struct ui_app *app, int y, int x, int w, const char *s, size_t n,
           int attr, int flags)
{
    if (w <= 0)
        return 0;
    if (s == NULL) {
        s = "";
        n = 0;
    }
    int ttf = app->tt_flags;
    int limit = w;
    int cut = 0;
    if ((flags & TT_ELLIPSIS) && term_text_width(s, n, ttf) > (size_t)w) {
        limit = w - 1;
        cut = 1;
    }
    int esc_attr = attr | draw_attr(app, UI_ROLE_ESCAPE);
    struct pm_buf run;
    pm_buf_init(&run);
    int used = 0, run_x = x, run_escaped = 0;
    const char *p = s, *end = s + n;
    struct term_piece piece;
    while (term_text_next(&p, end, ttf, &piece)) {
        if (used + piece.cols > limit)
            break;
        if (piece.escaped != run_escaped) {
            draw_run(y, run_x, &run, run_escaped ? esc_attr : attr);
            run_x = x + used;
            run_escaped = piece.escaped;
        }
        pm_buf_add(&run, piece.text, piece.len);
        used += piece.cols;
    }
    draw_run(y, run_x, &run, run_escaped ? esc_attr : attr);
    pm_buf_release(&run);
    if (cut && used < w) {
        attrset(attr | A_DIM);
        mvaddstr(y, x + used, (ttf & TT_ASCII) ? "~" : "\xe2\x80\xa6");
        attrset(A_NORMAL);
        used++;
    }
    if ((flags & TT_PAD) && used < w) {
        draw_fill(y, x + used, w - used, attr);
        used = w;
    }
    return used;
}

int
draw_text(struct ui_app *app, int y, int x, int w, const char *s, int attr,
          int flags)
{
    return draw_textn(app, y, x, w, s, s ? strlen(s) : 0, attr, flags);
}

int
draw_label(int y, int x, int w, const char *s, int attr)
{
    if (w <= 0)
        return 0;
    int n = (int)strlen(s);
    if (n > w)
        n = w;
    attrset(attr);
    mvaddnstr(y, x, s, n);
    attrset(A_NORMAL);
    return n;
}

void
draw_box(struct ui_app *app, int y, int x, int h, int w, const char *title,
         int focused)
{
    if (h < 2 || w < 4)
        return;
    int attr = focused ? A_BOLD : A_NORMAL;
    attrset(attr);
    mvaddch(y, x, ACS_ULCORNER);
    mvhline(y, x + 1, ACS_HLINE, w - 2);
    mvaddch(y, x + w - 1, ACS_URCORNER);
    mvvline(y + 1, x, ACS_VLINE, h - 2);
    mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
    mvaddch(y + h - 1, x, ACS_LLCORNER);
    mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
    mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
    attrset(A_NORMAL);
    if (title && w > 6) {
        int ta = focused ? draw_attr(app, UI_ROLE_TAB_ON) : A_BOLD;
        mvaddch(y, x + 1, ' ');
        int n = draw_label(y, x + 2, w - 5, title, ta);
        mvaddch(y, x + 2 + n, ' ');
    }
}

static int draw_cut_mark(struct ui_app *app, int y, int x, unsigned attr);

/* Width of s[0..n) on this terminal. */
static int
text_cols(struct ui_app *app, const char *s, size_t n)
{
    return (int)term_text_width(s, n, app->tt_flags);
}

int
draw_origin_path(struct ui_app *app, int y, int x, int w, const char *origin,
                 const char *path, int extra_attr)
{
    if (origin == NULL || origin[0] == '\0')
        origin = "?";
    if (path == NULL)
        path = "";
    unsigned a = draw_origin_attr(app, origin) | extra_attr;
    const char *shown = origin;
    if (strncmp(shown, "https://", 8) == 0 && shown[8])
        shown += 8;
    char buf[2048];
    snprintf(buf, sizeof buf, "%s%s", shown, path);
    size_t n = strlen(buf), on = strlen(shown);
    if (text_cols(app, buf, n) <= w) {
        int used = draw_text(app, y, x, w, shown, a, 0);
        return used + draw_text(app, y, x + used, w - used, path, extra_attr, 0);
    }
    if (w <= 3)
        return draw_text(app, y, x, w, buf, a, TT_ELLIPSIS);
    /* What must stay: the port and the path ("http://lo…:8080/w.html"). */
    const char *sep = strstr(shown, "://");
    const char *host = sep ? sep + 3 : shown;
    const char *port = strrchr(host, ':');
    size_t keep = port ? on - (size_t)(port - shown) : 0;
    keep += n - on;
    int tail = text_cols(app, buf + n - keep, keep);
    int scheme = sep ? text_cols(app, shown, (size_t)(host - shown)) : 0;
    if (w - 1 - tail >= scheme + 2)
        return draw_text_middle(app, y, x, w, buf, a, tail);
    /* Too narrow for the scheme: the mark says it was left out, then the
     * host, cut in its middle when it must be (in a very narrow column
     * the end of the host and the port are what is left). */
    const char *rest = buf + (host - shown);
    if (w < 12)
        return draw_text_tail(app, y, x, w, rest, a);
    int used = draw_cut_mark(app, y, x, a);
    int room = w - 1;
    int rtail = tail < room - 3 ? tail : room - 3;
    if (rtail < room / 2)
        rtail = room / 2;
    if (text_cols(app, rest, strlen(rest)) <= room)
        return used + draw_text(app, y, x + used, room, rest, a, 0);
    return used + draw_text_middle(app, y, x + used, room, rest, a,
                                   rtail > 0 ? rtail : 0);
}

int
draw_origin(struct ui_app *app, int y, int x, int w, const char *origin,
            int extra_attr, int flags)
{
    if (origin == NULL || origin[0] == '\0')
        return draw_text(app, y, x, w, "?", extra_attr | A_DIM, flags);
    if (flags & TT_ELLIPSIS)
        return draw_origin_path(app, y, x, w, origin, "", extra_attr);
    const char *shown = origin;
    if (strncmp(shown, "https://", 8) == 0 && shown[8])
        shown += 8;
    return draw_text(app, y, x, w, shown,
                     draw_origin_attr(app, origin) | extra_attr, flags);
}

/*
 * Byte offset in s[0..n) of the shortest end that fits in cols columns.
 * Every byte takes at least a quarter column, so only the last 4*cols
 * bytes can be shown: start there (long URLs stay linear).
 */
static size_t
tail_offset(struct ui_app *app, const char *s, size_t n, int cols)
{
    size_t off = 0;
    if (n > 4 * (size_t)cols + 8) {
        off = n - (4 * (size_t)cols + 8);
        while (off < n && ((unsigned char)s[off] & 0xC0) == 0x80)
            off++;
    }
    while (off < n && term_text_width(s + off, n - off, app->tt_flags) >
                          (size_t)cols) {
        off++;
        while (off < n && ((unsigned char)s[off] & 0xC0) == 0x80)
            off++;
    }
    return off;
}

static int
draw_cut_mark(struct ui_app *app, int y, int x, unsigned attr)
{
    attrset(attr | A_DIM);
    mvaddstr(y, x, (app->tt_flags & TT_ASCII) ? "~" : "\xe2\x80\xa6");
    attrset(A_NORMAL);
    return 1;
}

int
draw_text_tail(struct ui_app *app, int y, int x, int w, const char *s,
               unsigned attr)
{
    if (s == NULL || w <= 1)
        return draw_text(app, y, x, w, s, attr, TT_ELLIPSIS);
    size_t n = strlen(s);
    if (term_text_width(s, n, app->tt_flags) <= (size_t)w)
        return draw_text(app, y, x, w, s, attr, 0);
    draw_cut_mark(app, y, x, attr);
    return 1 + draw_text(app, y, x + 1, w - 1, s + tail_offset(app, s, n, w - 1),
                         attr, 0);
}

int
draw_text_middle(struct ui_app *app, int y, int x, int w, const char *s,
                 unsigned attr, int tail_cols)
{
    if (s == NULL || w <= 3)
        return draw_text(app, y, x, w, s, attr, TT_ELLIPSIS);
    size_t n = strlen(s);
    if (term_text_width(s, n, app->tt_flags) <= (size_t)w)
        return draw_text(app, y, x, w, s, attr, 0);
    if (tail_cols <= 0 || tail_cols > w - 1)
        tail_cols = (w - 1) / 2;
    int used = draw_text(app, y, x, w - 1 - tail_cols, s, attr, 0);
    used += draw_cut_mark(app, y, x + used, attr);
    return used + draw_text(app, y, x + used, tail_cols,
                            s + tail_offset(app, s, n, tail_cols), attr, 0);
}

int
draw_script_at(struct ui_app *app, int y, int x, int w, const char *script,
               long line, long col, unsigned attr)
{
    char where[48];
    if (col > 0)
        snprintf(where, sizeof where, ":%ld:%ld", line, col);
    else
        snprintf(where, sizeof where, ":%ld", line);
    int ww = (int)strlen(where);
    const char *file = script ? strrchr(script, '/') : NULL;
    int fcols = file ? (int)term_text_width(file, strlen(file),
                                            app->tt_flags) : 0;
    /* Too narrow even for the file name: its end, next to the position. */
    int used = fcols > w - ww - 1 && fcols > 0
                   ? draw_text_tail(app, y, x, w - ww, script, attr)
                   : draw_text_middle(app, y, x, w - ww, script, attr, fcols);
    return used + draw_label(y, x + used, ww, where, (int)(attr | A_DIM));
}
