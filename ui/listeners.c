/*
 * listeners.c - view 4: every message listener with its origin check
 * class, the sinks it reaches, and where it is (script, line); the lower
 * part shows the selected handler's code, which J/K and Left/Right scroll.
 * Minified code (a handler that is one long line) is shown re-indented
 * (js_pretty.h), p switches between that and the code as written, and
 * the lines holding the origin check and the sinks are marked in both
 * (code_marks.h).  Keyset-paginated on listener id.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "code_marks.h"
#include "draw.h"
#include "idlist.h"
#include "js_pretty.h"
#include "mem.h"
#include "screen.h"
#include "store_ui.h"
#include "vocab.h"

#define LISTENERS_SEARCH_MAX 50000

struct lrow {
    int64_t id;
    long line, col;
    char *origin, *script, *check, *expr, *sinks, *found_by;
};

/* The selected listener's code as the pane shows it. */
struct code_view {
    int64_t id;          /* listener whose code this is (0: none) */
    int stale;           /* the workspace changed: read it again */
    char *code;
    long line, col;      /* where the code starts in its script */
    long check_line, check_col;
    unsigned sinks;
    int pretty;          /* shown re-indented (p switches) */
    struct js_lines lines;
    long *line_no;       /* script line each shown line starts on */
    unsigned *marks;     /* per shown line: CODE_MARK_CHECK, sink bits */
    int widest;          /* columns of the widest line */
};

struct listeners {
    struct ui_idlist list;  /* the page of listeners (idlist.h) */
    struct code_view cv;
    int code_top;      /* first code line shown (J, K) */
    int code_x;        /* columns scrolled right (Left, Right) */
    int code_h, code_w;  /* code rows and text columns in the last draw */
    int code_y;          /* screen line of the code pane's title (0: none) */
};

static struct listeners *
lstate(struct ui_app *app)
{
    return app->view_state[UI_VIEW_LISTENERS];
}

static struct lrow *
lrow_at(struct listeners *s, int i)
{
    return idlist_at(&s->list, i);
}

static void
lrow_free(void *row)
{
    struct lrow *r = row;
    free(r->origin);
    free(r->script);
    free(r->check);
    free(r->expr);
    free(r->sinks);
    free(r->found_by);
}

static int
lrow_load(const struct pm_ui_listener *l, void *ctx)
{
    struct lrow *r = idlist_row(ctx, l->id);
    if (r) {
        r->id = l->id;
        r->line = l->line;
        r->col = l->col;
        r->origin = xstrdup0(l->origin);
        r->script = xstrdup0(l->script_url);
        r->check = xstrdup0(l->check_kind);
        r->expr = xstrdup0(l->check_expr);
        r->sinks = xstrdup0(l->sinks);
        r->found_by = xstrdup0(l->found_by);
    }
    return idlist_full(ctx);
}

static enum pm_rc
listeners_read(struct ui_app *app, int64_t after, int backward, int limit,
               struct ui_idlist_read *rd, struct pm_err *err)
{
    return store_ui_page_listeners(app->st, after, backward, limit, lrow_load,
                                   rd, err);
}

static const struct ui_idlist_ops listeners_list = {
    sizeof(struct lrow), listeners_read, lrow_free,
};

static int
listeners_fetch(struct ui_app *app, int64_t after, int backward, int limit,
                int64_t *keys)
{
    return idlist_keys(app, &lstate(app)->list, after, backward, limit, keys);
}

static int
code_load(const struct pm_ui_listener *l, void *ctx)
{
    struct code_view *cv = ctx;
    free(cv->code);
    cv->code = l->code ? xstrdup(l->code) : NULL;
    cv->line = l->line;
    cv->col = l->col;
    cv->check_line = l->check_line;
    cv->check_col = l->check_col;
    cv->sinks = sinks_parse(l->sinks ? l->sinks : "");
    return 1;
}

static void
code_view_clear(struct code_view *cv)
{
    js_lines_release(&cv->lines);
    free(cv->line_no);
    free(cv->marks);
    cv->line_no = NULL;
    cv->marks = NULL;
}

/* The mark's text at the right end of a line: "[check, innerHTML]". */
static int
mark_label(unsigned what, char *buf, size_t bufsz)
{
    char names[160];
    code_marks_label(what, names, sizeof names);
    return snprintf(buf, bufsz, "[%s]", names);
}

/*
 * Lay out the code as written or re-indented, with the script line each
 * shown line starts on and the marks of the check and the sinks.
 */
static void
code_view_layout(struct ui_app *app, struct code_view *cv)
{
    code_view_clear(cv);
    const char *code = cv->code ? cv->code : "";
    size_t n = strlen(code);
    if (cv->pretty)
        js_lines_pretty(code, n, &cv->lines);
    else
        js_lines_raw(code, n, &cv->lines);
    code_marks_lines(&cv->lines, code, n, cv->line, cv->col, cv->check_line,
                     cv->check_col, cv->sinks, &cv->line_no, &cv->marks);
    size_t nl = cv->lines.n;
    cv->widest = 0;
    for (size_t i = 0; i < nl; i++) {
        int lw = (int)term_text_width(cv->lines.text + cv->lines.start[i],
                                      js_lines_len(&cv->lines, i),
                                      app->tt_flags);
        cv->widest = lw > cv->widest ? lw : cv->widest;
    }
}

static int listeners_scroll(struct ui_app *app, int lines, int cols);

/*
 * Load listener id's code when it is not the one shown, or again when the
 * workspace changed (a mark): the same listener keeps its layout and
 * scroll position, another starts at the top, laid out by the rule.
 */
static void
code_view_select(struct ui_app *app, struct listeners *s, int64_t id)
{
    struct code_view *cv = &s->cv;
    if (cv->id == id && !cv->stale)
        return;
    int same = cv->id == id;
    struct pm_err err = PM_ERR_INIT;
    free(cv->code);
    cv->code = NULL;
    store_ui_get_listener(app->st, id, code_load, cv, &err);
    cv->id = id;
    cv->stale = 0;
    if (!same) {
        cv->pretty = cv->code && js_pretty_is_minified(cv->code,
                                                       strlen(cv->code));
        s->code_top = 0;
        s->code_x = 0;
    }
    code_view_layout(app, cv);
    listeners_scroll(app, 0, 0);
}

static int
check_role(const char *check)
{
    if (check == NULL)
        return UI_ROLE_DIM;
    if (strcmp(check, "strict") == 0)
        return UI_ROLE_OK;
    return UI_ROLE_WARN;
}

static size_t skip_cols(struct ui_app *app, const char *s, size_t n,
                        int cols);

/* One shown line i of the code at screen row y; first says it is the top
 * row (which always shows its script line). */
static void
draw_code_line(struct ui_app *app, struct listeners *s, int y, size_t i,
               int first)
{
    const struct code_view *cv = &s->cv;
    int w = app->cols;
    unsigned mark = cv->marks[i];
    int mark_attr = (int)(draw_attr(app, UI_ROLE_WARN) | A_BOLD);
    /* Re-indented lines show the script line where a new one starts. */
    if (first || !cv->lines.pretty || cv->line_no[i] != cv->line_no[i - 1]) {
        char num[32];
        snprintf(num, sizeof num, "%5ld", cv->line_no[i]);
        draw_label(y, 0, 5, num, mark ? mark_attr : (int)A_DIM);
    }
    const char *p = cv->lines.text + cv->lines.start[i];
    size_t len = js_lines_len(&cv->lines, i);
    size_t off = skip_cols(app, p, len, s->code_x);
    /* A mark says the line goes on to the left. */
    draw_label(y, 5, 1, s->code_x > 0 && off > 0 ? "<" : " ", A_DIM);
    /* The mark's text goes at the right end: over the cut of a long line
     * when the code is not scrolled sideways, else only where it covers
     * no code (the line number's colour still marks the line). */
    int tw = w - 6;
    if (mark) {
        char tag[192];
        int tagw = mark_label(mark, tag, sizeof tag);
        tagw = tagw < tw / 2 ? tagw : tw / 2;
        int rest = (int)term_text_width(p + off, len - off, app->tt_flags);
        if (s->code_x == 0 || rest + 1 + tagw <= tw) {
            draw_label(y, w - tagw, tagw, tag, mark_attr);
            tw -= tagw + 1;
        }
    }
    draw_textn(app, y, 6, tw, p + off, len - off, A_NORMAL, TT_ELLIPSIS);
}

static void
listeners_draw_code(struct ui_app *app, struct listeners *s, int y, int h)
{
    int w = app->cols;
    int head = draw_attr(app, UI_ROLE_HEADING) | A_UNDERLINE;
    draw_fill(y, 0, w, head);
    if (s->list.n == 0)
        return;
    const struct lrow *r = lrow_at(s, s->list.pager.sel);
    code_view_select(app, s, r->id);
    /* The layout at the right end, always shown; the rest left of it. */
    const char *mode = s->cv.lines.pretty ? "[pretty-printed]" : "[as written]";
    int mw = (int)strlen(mode);
    int avail = w - mw - 2;
    draw_label(y, w - mw - 1, mw, mode, head);
    char title[64];
    snprintf(title, sizeof title, "listener #%lld  check: ", (long long)r->id);
    int x = draw_label(y, 1, avail - 1, title, head);
    const char *expr = r->expr ? r->expr
                       : r->check && strcmp(r->check, "none") == 0
                           ? "none, any origin passes"
                           : "(expression not found)";
    /* The sinks keep their room (up to a quarter); the check gets the rest. */
    int sinks_w = r->sinks && r->sinks[0] ? 9 + (int)strlen(r->sinks) : 0;
    sinks_w = sinks_w < 9 + w / 4 ? sinks_w : 9 + w / 4;
    int ew = avail - 1 - x - sinks_w;
    ew = ew < w / 3 ? ew : w / 3;
    ew = ew > 8 ? ew : 8;
    x += draw_text(app, y, 1 + x, ew, expr, head, TT_ELLIPSIS);
    if (r->sinks && r->sinks[0] && avail - x > 12) {
        x += draw_label(y, 1 + x, avail - x - 1, "  sinks: ", head);
        int sw = w / 4 < avail - 1 - x ? w / 4 : avail - 1 - x;
        x += draw_text(app, y, 1 + x, sw, r->sinks, head | A_BOLD,
                       TT_ELLIPSIS);
    }
    if (avail - x > 64)
        draw_label(y, 1 + x, avail - x - 1,
                   "  (Enter: messages, m: mark, J/K Left/Right: scroll, p: layout)",
                   head | A_DIM);
    s->code_y = y;
    s->code_h = h - 1;
    s->code_w = w - 7;
    size_t n = s->cv.lines.n;
    for (int i = 1; i < h && (size_t)(s->code_top + i - 1) < n; i++)
        draw_code_line(app, s, y + i, (size_t)(s->code_top + i - 1), i == 1);
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

/*
 * J, K, Left, Right: scroll the code, never past its last line or past
 * the end of its longest line.
 */
static int
listeners_scroll(struct ui_app *app, int lines, int cols)
{
    struct listeners *s = lstate(app);
    if (s->cv.code == NULL)
        return UI_HANDLED;
    int max_top = (int)s->cv.lines.n - (s->code_h > 0 ? s->code_h : 1);
    int max_x = s->cv.widest - (s->code_w > 0 ? s->code_w : 1);
    s->code_top += lines;
    s->code_top = s->code_top > max_top ? max_top : s->code_top;
    s->code_top = s->code_top < 0 ? 0 : s->code_top;
    s->code_x += cols;
    s->code_x = s->code_x > max_x ? max_x : s->code_x;
    s->code_x = s->code_x < 0 ? 0 : s->code_x;
    return UI_REDRAW;
}

/*
 * p: the code re-indented or as written.  The line at the top stays in
 * view: the new top is the line that shows the same source byte.
 */
static int
listeners_pane_layout(struct ui_app *app)
{
    struct listeners *s = lstate(app);
    struct code_view *cv = &s->cv;
    if (cv->code == NULL)
        return UI_HANDLED;
    size_t top = (size_t)s->code_top < cv->lines.n
                     ? cv->lines.src[s->code_top] : 0;
    cv->pretty = !cv->lines.pretty;
    code_view_layout(app, cv);
    s->code_top = (int)js_lines_find(&cv->lines, top);
    s->code_x = 0;
    listeners_scroll(app, 0, 0);
    ui_status(app, 0, cv->pretty ? "code pretty-printed (p: as written)"
                                 : "code as written (p: pretty-printed)");
    return UI_REDRAW;
}

static void
listeners_draw(struct ui_app *app, int top, int height)
{
    struct listeners *s = lstate(app);
    int w = app->cols;
    int lh = height * 3 / 5;
    if (lh < 4)
        lh = height;
    pager_set_height(app, &s->list.pager, lh - 1);
    idlist_load(app, &s->list, lh - 1);
    /* Origin, check and sinks take what the rows need (up to a fifth of
     * the width each); the script column, whose file name and line are
     * what tell listeners apart, gets the rest. */
    int ow = 13, cw = 12, sw = 5, fw = 10;
    for (int i = 0; i < s->list.n && i < lh - 1; i++) {
        const struct lrow *r = lrow_at(s, i);
        int o = r->origin ? (int)strlen(r->origin) : 1;
        if (r->origin && strncmp(r->origin, "https://", 8) == 0)
            o -= 8;
        int k = r->check ? (int)strlen(r->check) : 1;
        int n = r->sinks ? (int)strlen(r->sinks) : 1;
        ow = o > ow ? o : ow;
        cw = k > cw ? k : cw;
        sw = n > sw ? n : sw;
    }
    ow = ow < w / 5 ? ow : w / 5;
    cw = cw < 16 ? cw : 16;
    sw = sw < w / 5 ? sw : w / 5;
    int uw = w - ow - cw - sw - fw - 11;
    int head = draw_attr(app, UI_ROLE_HEADING) | A_UNDERLINE;
    draw_fill(top, 0, w, head);
    draw_label(top, 1, 5, "  #", head);
    draw_label(top, 7, ow, "window origin", head);
    draw_label(top, 8 + ow, cw, "origin check", head);
    draw_label(top, 9 + ow + cw, sw, "sinks", head);
    draw_label(top, 10 + ow + cw + sw, uw, "script:line", head);
    draw_label(top, w - fw, fw, "found", head);
    s->list.top_y = top + 1;
    if (s->list.n == 0)
        draw_label(top + 2, 2, w - 2, "no listeners found", A_DIM);
    for (int i = 0; i < s->list.n && i < lh - 1; i++) {
        const struct lrow *r = lrow_at(s, i);
        int y = top + 1 + i;
        int sel = i == s->list.pager.sel;
        int base = sel ? draw_attr(app, UI_ROLE_SEL) : A_NORMAL;
        if (sel)
            draw_fill(y, 0, w, base);
        char num[32];
        snprintf(num, sizeof num, "%5lld", (long long)r->id);
        draw_label(y, 1, 5, num, base | A_DIM);
        draw_origin(app, y, 7, ow, r->origin, base, TT_ELLIPSIS);
        draw_text(app, y, 8 + ow, cw, r->check ? r->check : "?",
                  base | draw_attr(app, check_role(r->check)), TT_ELLIPSIS);
        draw_text(app, y, 9 + ow + cw, sw, r->sinks && r->sinks[0] ? r->sinks : "-",
                  base | (r->sinks && r->sinks[0] ? A_BOLD : A_DIM), TT_ELLIPSIS);
        char where[32];
        snprintf(where, sizeof where, ":%ld", r->line);
        int ww = (int)strlen(where);
        /* A cut takes out the path and keeps the file name:
         * "http://127.0…/nested.html:8". */
        const char *file = r->script ? strrchr(r->script, '/') : NULL;
        int fcols = file ? (int)term_text_width(file, strlen(file),
                                                app->tt_flags) : 0;
        int used = draw_text_middle(app, y, 10 + ow + cw + sw, uw - ww,
                                    r->script, (unsigned)base,
                                    fcols <= uw - ww - 1 ? fcols : 0);
        draw_label(y, 10 + ow + cw + sw + used, ww, where, base | A_DIM);
        draw_text(app, y, w - fw, fw, r->found_by, base | A_DIM, TT_ELLIPSIS);
    }
    s->code_y = 0;
    if (lh < height)
        listeners_draw_code(app, s, top + lh, height - lh);
}

static void
listeners_init(struct ui_app *app)
{
    struct listeners *s = xcalloc(1, sizeof *s);
    idlist_init(&s->list, &listeners_list, listeners_fetch);
    app->view_state[UI_VIEW_LISTENERS] = s;
}

static void
listeners_fini(struct ui_app *app)
{
    struct listeners *s = lstate(app);
    idlist_fini(&s->list);
    code_view_clear(&s->cv);
    free(s->cv.code);
    free(s);
    app->view_state[UI_VIEW_LISTENERS] = NULL;
}

static void
listeners_invalidate(struct ui_app *app)
{
    pager_page_drop(&lstate(app)->list.pager);
    lstate(app)->cv.stale = 1;
}

static struct ui_pager *
listeners_pager(struct ui_app *app)
{
    return &lstate(app)->list.pager;
}

static int
listeners_subject(struct ui_app *app, struct ui_subject *out)
{
    const struct lrow *r = idlist_selected(app, &lstate(app)->list);
    if (r == NULL)
        return 0;
    memset(out, 0, sizeof *out);
    out->kind = "listener";
    out->id = r->id;
    snprintf(out->title, sizeof out->title, "listener %s:%ld, origin check %s",
             r->script ? r->script : "?", r->line, r->check ? r->check : "?");
    return 1;
}

/* Opened on a listener: that listener at the top of the list. */
static int
listeners_open(struct ui_app *app, const struct ui_subject *on)
{
    struct listeners *s = lstate(app);
    if (on) {
        s->list.pager.top = on->id;
        s->list.pager.sel = 0;
        pager_page_drop(&s->list.pager);
    }
    return ui_switch_view(app, UI_VIEW_LISTENERS);
}

/*
 * Enter: the messages this listener received (the filter term listener:N:
 * those analysis attributed to it, else those delivered to its window on
 * the channel it listens to).
 */
static int
listeners_activate(struct ui_app *app)
{
    struct listeners *s = lstate(app);
    if (s->list.n == 0)
        return UI_HANDLED;
    const struct lrow *r = lrow_at(s, s->list.pager.sel);
    struct ui_subject on = {.kind = "listener", .id = r->id};
    char status[96];
    snprintf(status, sizeof status,
             "messages listener #%lld received; f: flow, c: clear",
             (long long)r->id);
    return action_show_messages(app, &on, UI_PANE_LIST, status);
}

/* The wheel over the code pane scrolls the code, elsewhere the list. */
static int
listeners_click(struct ui_app *app, int y, int x, int wheel)
{
    (void)x;
    struct listeners *s = lstate(app);
    if (s->code_y > 0 && y >= s->code_y)
        return wheel ? listeners_scroll(app, 3 * wheel, 0) : UI_HANDLED;
    return idlist_click(app, &s->list, y, wheel);
}

struct lsearch {
    const char *text;
    int64_t found;
};

static int
lsearch_row(const struct pm_ui_listener *l, void *ctx)
{
    struct lsearch *ls = ctx;
    const char *fields[] = {l->origin, l->script_url, l->check_kind, l->sinks,
                            l->check_expr};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (fields[i] && strcasestr(fields[i], ls->text)) {
            ls->found = l->id;
            return 1;
        }
    }
    return 0;
}

static int
listeners_search(struct ui_app *app, const char *text, int dir)
{
    struct listeners *s = lstate(app);
    if (s->list.n == 0)
        return UI_HANDLED;
    struct lsearch ls = {text, 0};
    struct pm_err err = PM_ERR_INIT;
    store_ui_page_listeners(app->st, lrow_at(s, s->list.pager.sel)->id, dir < 0,
                            LISTENERS_SEARCH_MAX, lsearch_row, &ls, &err);
    if (ls.found == 0) {
        ui_status(app, 1, "no %s listener matches '%s'",
                  dir > 0 ? "later" : "earlier", text);
        return UI_REDRAW;
    }
    for (int i = 0; i < s->list.n; i++) {
        if (lrow_at(s, i)->id == ls.found) {
            s->list.pager.sel = i;
            return UI_REDRAW;
        }
    }
    s->list.pager.top = ls.found;
    s->list.pager.sel = 0;
    return UI_REDRAW;
}

const struct pm_screen pm_screen_listeners = {
    .name = "Listeners",
    .init = listeners_init,
    .draw = listeners_draw,
    .pager = listeners_pager,
    .activate = listeners_activate,
    .click = listeners_click,
    .scroll_pane = listeners_scroll,
    .pane_layout = listeners_pane_layout,
    .search = listeners_search,
    .subject = listeners_subject,
    .open = listeners_open,
    .invalidate = listeners_invalidate,
    .fini = listeners_fini,
};
