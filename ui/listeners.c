/*
 * listeners.c - view 4: every message listener with its origin check
 * class, the sinks it reaches, and where it is (script, line); the lower
 * part shows the selected handler's code, which J/K and Left/Right scroll.
 * Minified code (a handler that is one long line) is shown re-indented
 * (js_pretty.h), p switches between that and the code as written, and
 * the lines holding the origin check and the sinks are marked in both
 * (code_marks.h); the pane is code_pane.c, which view 7 shares.
 * Keyset-paginated on listener id.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "code_pane.h"
#include "draw.h"
#include "idlist.h"
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

struct listeners {
    struct ui_idlist list;  /* the page of listeners (idlist.h) */
    struct ui_code_pane code; /* the selected listener's (code_pane.h) */
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

/* The listener's code and marks into the pane. */
static int
code_load(const struct pm_ui_listener *l, void *ctx)
{
    struct code_pane_text *t = ctx;
    t->code = l->code ? xstrdup(l->code) : NULL;
    t->len = l->code ? strlen(l->code) : 0;
    t->line = l->line;
    t->col = l->col;
    t->check_line = l->check_line;
    t->check_col = l->check_col;
    t->sinks = sinks_parse(l->sinks ? l->sinks : "");
    t->call = -1;
    return 1;
}

/*
 * Load listener id's code when it is not the one shown, or again when the
 * workspace changed (a mark): the same listener keeps its layout and
 * scroll position, another starts at the top, laid out by the rule.
 */
static void
code_select(struct ui_app *app, struct listeners *s, int64_t id)
{
    if (!code_pane_wants(&s->code, id))
        return;
    struct pm_err err = PM_ERR_INIT;
    struct code_pane_text t = {.call = -1};
    store_ui_get_listener(app->st, id, code_load, &t, &err);
    code_pane_show(app, &s->code, id, &t);
    free((char *)t.code);
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

static void
listeners_draw_code(struct ui_app *app, struct listeners *s, int y, int h)
{
    int w = app->cols;
    int head = draw_attr(app, UI_ROLE_HEADING) | A_UNDERLINE;
    draw_fill(y, 0, w, head);
    if (s->list.n == 0)
        return;
    const struct lrow *r = lrow_at(s, s->list.pager.sel);
    code_select(app, s, r->id);
    /* The layout at the right end, always shown; the rest left of it. */
    const char *mode = code_pane_mode(&s->code);
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
    code_pane_draw(app, &s->code, y + 1, h - 1);
}

/* J, K, Left, Right: scroll the code. */
static int
listeners_scroll(struct ui_app *app, int lines, int cols)
{
    return code_pane_scroll(&lstate(app)->code, lines, cols);
}

/* p: the code re-indented or as written. */
static int
listeners_pane_layout(struct ui_app *app)
{
    return code_pane_toggle(app, &lstate(app)->code);
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
        draw_script_at(app, y, 10 + ow + cw + sw, uw, r->script, r->line, 0,
                       (unsigned)base);
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
    code_pane_release(&s->code);
    free(s);
    app->view_state[UI_VIEW_LISTENERS] = NULL;
}

static void
listeners_invalidate(struct ui_app *app)
{
    pager_page_drop(&lstate(app)->list.pager);
    lstate(app)->code.stale = 1;
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
        return wheel ? code_pane_scroll(&s->code, 3 * wheel, 0) : UI_HANDLED;
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
    idlist_show_id(&s->list, ls.found);
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
