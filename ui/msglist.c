/*
 * msglist.c - view 1: frame tree pane, message list and detail pane.
 *
 * The list holds only the rows on screen: a pager over message ids asks
 * store_page_messages for one page under the active filter (keyset
 * pagination), so opening and scrolling cost the same on any workspace
 * size.  The page is re-read only when its first id, its height or the
 * filter changed.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "layout.h"
#include "mem.h"
#include "screen.h"
#include "store_query.h"
#include "store_ui.h"
#include "term_text.h"

/* A page read that runs longer than this gives way to a waiting key. */
#define UI_YIELD_MS 80

struct msg_row {
    int64_t id, flow_id, reply_to;
    double ts;
    char *from, *to, *target, *via, *preview, *ext_id;
    int marked;
};

struct msglist {
    struct ui_pager pager;
    struct msg_row rows[UI_PAGE_MAX];
    int n;
    int interrupted;      /* the last page read gave way to a key */
    unsigned filter_gen;  /* app->filter_gen the pager position belongs to */
    /* Pane rectangles from the last draw, for mouse clicks. */
    int fy, fx, fh, fw;   /* frames */
    int ly, lx, lh, lw;   /* list rows (without header) */
    int dy, dx, dh, dw;   /* detail */
};

static struct msglist *
state(struct ui_app *app)
{
    return app->view_state[UI_VIEW_MESSAGES];
}

/* The frame tree pane is view 3 drawn small; both share its cursor. */
static const struct pm_screen *
frames_view(struct ui_app *app)
{
    return app->screens[UI_VIEW_FRAMES];
}

struct key_collect {
    int64_t *keys;
    int n, max;
};

static int
collect_key(const struct pm_message_row *r, void *ctx)
{
    struct key_collect *c = ctx;
    if (c->n < c->max)
        c->keys[c->n++] = r->id;
    return c->n >= c->max;
}

static int
msglist_fetch(struct ui_app *app, int64_t after, int backward, int limit,
              int64_t *keys)
{
    struct key_collect c = {keys, 0, limit};
    struct pm_err err = PM_ERR_INIT;
    struct pm_ui_yield y = {ui_input_pending, app, UI_YIELD_MS, 0, 0};
    if (!backward && after < 0)
        after = 0;
    store_ui_yield_begin(app->st, &y);
    enum pm_rc rc = store_page_messages(app->st, app->filter, after, backward,
                                        limit, collect_key, &c, &err);
    store_ui_yield_end(app->st);
    if (rc != PM_OK) {
        if (y.fired)
            ui_status(app, 0, "interrupted; the filter scans many messages");
        else
            ui_status(app, 1, "%s", err.msg);
        return 0;
    }
    return c.n;
}

static void
row_free(struct msg_row *r)
{
    free(r->from);
    free(r->to);
    free(r->target);
    free(r->via);
    free(r->preview);
    free(r->ext_id);
    memset(r, 0, sizeof *r);
}

static char *
dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

struct page_load {
    struct ui_app *app;
    struct msglist *ml;
    int max;
};

static int
mark_seen(const struct pm_finding_row *f, void *ctx)
{
    int *marked = ctx;
    if (f->status && strcmp(f->status, "dismissed") != 0)
        *marked = 1;
    return *marked;
}

static int
load_row(const struct pm_message_row *r, void *ctx)
{
    struct page_load *pl = ctx;
    struct msglist *ml = pl->ml;
    struct msg_row *row = &ml->rows[ml->n++];
    struct pm_err err = PM_ERR_INIT;
    row->id = r->id;
    row->flow_id = r->flow_id;
    row->reply_to = r->reply_to;
    row->ts = r->ts;
    row->from = dup_or_null(r->sender_origin);
    row->to = dup_or_null(r->receiver_origin);
    row->target = dup_or_null(r->target_origin);
    row->via = dup_or_null(r->via);
    row->preview = dup_or_null(r->data_preview);
    row->ext_id = dup_or_null(r->ext_id);
    row->marked = 0;
    store_each_subject_finding(pl->app->st, "message", r->id, NULL, mark_seen,
                               &row->marked, &err);
    return ml->n >= pl->max;
}

/*
 * After a filter change: the message that was selected stays selected
 * when the new filter matches it (about mid-page, with the matches
 * before it above); otherwise the list starts at the first match.
 */
static void
msglist_keep_selected(struct ui_app *app, struct msglist *ml, int64_t id,
                      int h)
{
    int64_t keys[UI_PAGE_MAX];
    pager_reset(&ml->pager);
    if (id <= 0 || msglist_fetch(app, id - 1, 0, 1, keys) != 1 || keys[0] != id)
        return;
    int above = h / 2 < UI_PAGE_MAX ? h / 2 : UI_PAGE_MAX;
    int n = above > 0 ? msglist_fetch(app, id, 1, above, keys) : 0;
    ml->pager.top = n > 0 ? keys[n - 1] : id;
    ml->pager.sel = n;
}

/* Read the page that starts at the pager's top, if it is not loaded. */
static void
msglist_load(struct ui_app *app, struct msglist *ml, int h)
{
    if (ml->filter_gen != app->filter_gen) {
        int64_t keep = ml->n > 0 && ml->pager.sel < ml->n
                           ? ml->rows[ml->pager.sel].id : 0;
        ml->filter_gen = app->filter_gen;
        pager_page_drop(&ml->pager);
        msglist_keep_selected(app, ml, keep, h);
    }
    if (!pager_page_stale(&ml->pager, &h))
        return;
    for (int i = 0; i < ml->n; i++)
        row_free(&ml->rows[i]);
    ml->n = 0;
    struct page_load pl = {app, ml, h};
    struct pm_err err = PM_ERR_INIT;
    struct pm_ui_yield y = {ui_input_pending, app, UI_YIELD_MS, 0, 0};
    int64_t after = ml->pager.top == INT64_MIN ? 0 : ml->pager.top - 1;
    enum pm_rc rc = PM_OK;
    if (h > 0) {
        store_ui_yield_begin(app->st, &y);
        rc = store_page_messages(app->st, app->filter, after, 0, h, load_row,
                                 &pl, &err);
        store_ui_yield_end(app->st);
    }
    ml->interrupted = rc != PM_OK && y.fired;
    if (ml->interrupted) {
        /* Read again on the next draw, after the waiting key. */
        for (int i = 0; i < ml->n; i++)
            row_free(&ml->rows[i]);
        ml->n = 0;
        pager_page_drop(&ml->pager);
        ml->pager.n = 0;
        return;
    }
    if (rc != PM_OK)
        ui_status(app, 1, "%s", err.msg);
    pager_page_loaded(&ml->pager, ml->n, h);
}

static int64_t
msglist_selected(struct ui_app *app)
{
    struct msglist *ml = state(app);
    msglist_load(app, ml, ml->pager.height > 0 ? ml->pager.height : 1);
    if (ml->n == 0)
        return 0;
    return ml->rows[ml->pager.sel].id;
}

static int
msglist_step(struct ui_app *app, int delta)
{
    struct msglist *ml = state(app);
    return pager_move(app, &ml->pager, delta);
}

static void
msglist_init(struct ui_app *app)
{
    struct msglist *ml = xcalloc(1, sizeof *ml);
    ml->pager.fetch = msglist_fetch;
    pager_reset(&ml->pager);
    app->view_state[UI_VIEW_MESSAGES] = ml;
    detail_init(app);
}

static void
msglist_fini(struct ui_app *app)
{
    struct msglist *ml = state(app);
    for (int i = 0; i < ml->n; i++)
        row_free(&ml->rows[i]);
    free(ml);
    app->view_state[UI_VIEW_MESSAGES] = NULL;
    detail_fini(app);
}

static void
msglist_invalidate(struct ui_app *app)
{
    struct msglist *ml = state(app);
    pager_page_drop(&ml->pager);
    detail_invalidate(app);
}

/* Columns an origin takes unshortened ("https://" is left out). */
static int
shown_width(struct ui_app *app, const char *origin)
{
    if (origin == NULL)
        return 1;
    if (strncmp(origin, "https://", 8) == 0 && origin[8])
        origin += 8;
    return (int)term_text_width(origin, strlen(origin), app->tt_flags);
}

/* What the rows on the page need of each column (layout_msg_cols). */
static void
msglist_need(struct ui_app *app, const struct msglist *ml, int rows,
             struct ui_msg_need *need)
{
    memset(need, 0, sizeof *need);
    for (int i = 0; i < ml->n && i < rows; i++) {
        const struct msg_row *r = &ml->rows[i];
        int f = shown_width(app, r->from), t = shown_width(app, r->to);
        int g = shown_width(app, r->target);
        int v = r->via ? (int)strlen(r->via) : 0;
        need->from = f > need->from ? f : need->from;
        need->to = t > need->to ? t : need->to;
        need->target = g > need->target ? g : need->target;
        need->via = v > need->via ? v : need->via;
    }
    /* The headings fit too. */
    if (need->from < 4)
        need->from = 4;
    if (need->to < 2)
        need->to = 2;
    if (need->target < 6)
        need->target = 6;
    if (need->via < 3)
        need->via = 3;
}

static void
msglist_draw_list(struct ui_app *app, struct msglist *ml, int y, int x, int h,
                  int w, int focused)
{
    ml->ly = y + 1;
    ml->lx = x;
    ml->lh = h - 1;
    ml->lw = w;
    pager_set_height(app, &ml->pager, h - 1);
    msglist_load(app, ml, h - 1);
    struct ui_msg_need need;
    msglist_need(app, ml, h - 1, &need);
    struct ui_msg_cols c;
    layout_msg_cols(w, &need, &c);
    int head = focused ? draw_attr(app, UI_ROLE_TAB_ON)
                       : draw_attr(app, UI_ROLE_HEADING) | A_UNDERLINE;
    draw_fill(y, x, w, head);
    int cx = x + c.mark;
    draw_label(y, cx, c.ts, "     time", head);
    cx += c.ts + c.gap1;
    draw_label(y, cx, c.from, "from", head);
    cx += c.from + c.arrow;
    draw_label(y, cx, c.to, "to", head);
    cx += c.to + c.gap2;
    draw_label(y, cx, c.target, "target", head);
    cx += c.target + c.gap3;
    draw_label(y, cx, c.via, "via", head);
    cx += c.via;
    draw_label(y, cx, c.data, "data", head);

    if (ml->n == 0) {
        draw_label(y + 2, x + 2, w - 2,
                   ml->interrupted ? "searching... (the filter scans many messages)"
                   : app->filter   ? "no message matches the filter (c clears it)"
                                   : "no messages in this workspace",
                   A_DIM);
        return;
    }
    for (int i = 0; i < ml->n && i < h - 1; i++) {
        struct msg_row *r = &ml->rows[i];
        int ry = y + 1 + i;
        int sel = i == ml->pager.sel;
        int base = sel ? draw_attr(app, focused ? UI_ROLE_SEL : UI_ROLE_SEL_DIM)
                       : A_NORMAL;
        if (sel)
            draw_fill(ry, x, w, base);
        char ts[32];
        snprintf(ts, sizeof ts, "%9.3f", r->ts / 1000.0);
        cx = x;
        draw_label(ry, cx, c.mark, r->marked ? "*" : " ",
                   base | draw_attr(app, UI_ROLE_WARN));
        cx += c.mark;
        draw_label(ry, cx, c.ts, ts, base | A_DIM);
        cx += c.ts + c.gap1;
        draw_origin(app, ry, cx, c.from, r->from, base, TT_ELLIPSIS);
        cx += c.from;
        draw_label(ry, cx + 1, 1, ">", base);
        cx += c.arrow;
        draw_origin(app, ry, cx, c.to, r->to, base, TT_ELLIPSIS);
        cx += c.to + c.gap2;
        int warn = r->target && strcmp(r->target, "*") == 0;
        if (warn || r->target == NULL)
            draw_text(app, ry, cx, c.target, warn ? "*" : "?",
                      base | (warn ? draw_attr(app, UI_ROLE_WARN) : A_DIM), 0);
        else
            draw_origin(app, ry, cx, c.target, r->target, base, TT_ELLIPSIS);
        cx += c.target + c.gap3;
        if (c.via > 1)
            draw_text(app, ry, cx, c.via - 1, r->via, base | A_DIM, TT_ELLIPSIS);
        cx += c.via;
        draw_text(app, ry, cx, c.data, r->preview, base, TT_ELLIPSIS);
    }
}

static void
msglist_draw(struct ui_app *app, int top, int height)
{
    struct msglist *ml = state(app);
    struct ui_split sp;
    layout_messages_view(app->cols, height, &sp);
    int fw = sp.frames_w, uh = sp.upper_h, dh = sp.detail_h;
    ml->fy = top;
    ml->fx = 0;
    ml->fh = uh;
    ml->fw = fw;
    frames_view(app)->draw_pane(app, top, 0, uh, fw,
                                app->pane == UI_PANE_FRAMES);
    attrset(A_DIM);
    mvvline(top, fw, ACS_VLINE, uh);
    attrset(A_NORMAL);
    msglist_draw_list(app, ml, top, sp.list_x, uh, sp.list_w,
                      app->pane == UI_PANE_LIST);
    ml->dy = top + uh;
    ml->dx = 0;
    ml->dh = dh;
    ml->dw = app->cols;
    int64_t id = ml->n ? ml->rows[ml->pager.sel].id : 0;
    detail_draw(app, id, top + uh, 0, dh, app->cols, app->pane == UI_PANE_DETAIL);
}

static struct ui_pager *
msglist_pager(struct ui_app *app)
{
    switch (app->pane) {
    case UI_PANE_FRAMES: return frames_view(app)->pager(app);
    case UI_PANE_DETAIL: return detail_pager(app);
    default: return &state(app)->pager;
    }
}

static int
msglist_activate(struct ui_app *app)
{
    if (app->pane == UI_PANE_FRAMES)
        return frames_view(app)->activate(app);
    if (app->pane == UI_PANE_LIST) {
        app->pane = UI_PANE_DETAIL;
        return UI_REDRAW;
    }
    return UI_HANDLED;
}

static int
inside(int y, int x, int ry, int rx, int rh, int rw)
{
    return y >= ry && y < ry + rh && x >= rx && x < rx + rw;
}

static int
msglist_click(struct ui_app *app, int y, int x, int wheel)
{
    struct msglist *ml = state(app);
    int pane;
    if (inside(y, x, ml->fy, ml->fx, ml->fh, ml->fw))
        pane = UI_PANE_FRAMES;
    else if (inside(y, x, ml->ly - 1, ml->lx, ml->lh + 1, ml->lw))
        pane = UI_PANE_LIST;
    else if (inside(y, x, ml->dy, ml->dx, ml->dh, ml->dw))
        pane = UI_PANE_DETAIL;
    else
        return UI_IGNORED;
    if (wheel) {
        int old = app->pane;
        app->pane = pane;
        struct ui_pager *p = msglist_pager(app);
        app->pane = old;
        return pager_move(app, p, 3 * wheel);
    }
    app->pane = pane;
    if (pane == UI_PANE_LIST && y >= ml->ly && y - ml->ly < ml->n)
        ml->pager.sel = y - ml->ly;
    else if (pane == UI_PANE_FRAMES) {
        struct ui_pager *p = frames_view(app)->pager(app);
        int row = y - ml->fy - 1;
        if (row >= 0 && row < p->n)
            p->sel = row;
    }
    return UI_REDRAW;
}

static int
msglist_subject(struct ui_app *app, struct ui_subject *out)
{
    struct msglist *ml = state(app);
    int64_t id = msglist_selected(app);
    if (id <= 0)
        return 0;
    struct msg_row *r = &ml->rows[ml->pager.sel];
    memset(out, 0, sizeof *out);
    out->kind = "message";
    out->id = id;
    snprintf(out->title, sizeof out->title, "message %s: %s -> %s (target %s)",
             r->ext_id ? r->ext_id : "?", r->from ? r->from : "?",
             r->to ? r->to : "?", r->target ? r->target : "?");
    return 1;
}

static int
msglist_search(struct ui_app *app, const char *text, int dir)
{
    (void)text;
    if (app->pane == UI_PANE_FRAMES)
        return frames_view(app)->search(app, app->search, dir);
    return msglist_step(app, dir);
}

const struct pm_screen pm_screen_messages = {
    .name = "Messages",
    .init = msglist_init,
    .draw = msglist_draw,
    .pager = msglist_pager,
    .activate = msglist_activate,
    .click = msglist_click,
    .search = msglist_search,
    .subject = msglist_subject,
    .invalidate = msglist_invalidate,
    .fini = msglist_fini,
};
