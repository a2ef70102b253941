/*
 * sources.c - view 6: the imported inputs (path, format, producing tool,
 * when, size, and what each contributed).  Sources are few, so the list is
 * read once per data change (capped) and paged in memory.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "draw.h"
#include "mem.h"
#include "screen.h"
#include "store_query.h"

#define SOURCES_MAX 10000

struct srow {
    int64_t id, size, n_windows, n_requests, n_messages, n_listeners;
    char *path, *format, *tool, *imported_at, *sha256;
};

struct sources {
    struct ui_pager pager;
    struct srow *rows;
    int n, valid, top_y;
};

static struct sources *
sstate(struct ui_app *app)
{
    return app->view_state[UI_VIEW_SOURCES];
}

static int
sources_fetch(struct ui_app *app, int64_t after, int backward, int limit,
              int64_t *keys)
{
    return pager_offsets(sstate(app)->n, after, backward, limit, keys);
}

static void
sources_clear(struct sources *s)
{
    for (int i = 0; i < s->n; i++) {
        free(s->rows[i].path);
        free(s->rows[i].format);
        free(s->rows[i].tool);
        free(s->rows[i].imported_at);
        free(s->rows[i].sha256);
    }
    free(s->rows);
    s->rows = NULL;
    s->n = 0;
}

static int
srow_load(const struct pm_source_row *r, void *ctx)
{
    struct sources *s = ctx;
    if (s->n % 64 == 0)
        s->rows = xrealloc(s->rows, (size_t)(s->n + 64) * sizeof *s->rows);
    struct srow *o = &s->rows[s->n++];
    o->id = r->id;
    o->size = r->size;
    o->n_windows = r->n_windows;
    o->n_requests = r->n_requests;
    o->n_messages = r->n_messages;
    o->n_listeners = r->n_listeners;
    o->path = xstrdup0(r->path);
    o->format = xstrdup0(r->format);
    o->tool = xstrdup0(r->tool);
    o->imported_at = xstrdup0(r->imported_at);
    o->sha256 = xstrdup0(r->sha256);
    return s->n >= SOURCES_MAX;
}

static void
sources_load(struct ui_app *app, struct sources *s)
{
    if (s->valid)
        return;
    sources_clear(s);
    struct pm_err err = PM_ERR_INIT;
    if (store_each_source(app->st, srow_load, s, &err) != PM_OK)
        ui_status(app, 1, "%s", err.msg);
    s->valid = 1;
    s->pager.n = s->n;
    if (s->pager.top != INT64_MIN && s->pager.top >= s->n)
        pager_reset(&s->pager);
}

static void
sources_draw(struct ui_app *app, int top, int height)
{
    struct sources *s = sstate(app);
    sources_load(app, s);
    int w = app->cols;
    int wide = w >= 100;
    int nw = wide ? 40 : 16, fw = 8, tw = wide ? 16 : 12, iw = w >= 110 ? 21 : 0;
    int pw = w - nw - fw - tw - iw - 8;
    int head = draw_attr(app, UI_ROLE_HEADING) | A_UNDERLINE;
    draw_fill(top, 0, w, head);
    draw_label(top, 1, 3, " #", head);
    draw_label(top, 5, pw, "path", head);
    draw_label(top, 6 + pw, fw, "format", head);
    draw_label(top, 7 + pw + fw, tw, "tool", head);
    if (iw)
        draw_label(top, 8 + pw + fw + tw, iw, "imported", head);
    draw_label(top, w - nw, nw,
               wide ? "   bytes  windows reqs  msgs listeners" : "  msgs listeners",
               head);
    pager_set_height(app, &s->pager, height - 1);
    s->top_y = top + 1;
    if (s->n == 0)
        draw_label(top + 2, 2, w - 2,
                   "nothing imported: pmscope import -w WS FILE, or pmscope open FILE",
                   A_DIM);
    int64_t first = s->pager.top == INT64_MIN ? 0 : s->pager.top;
    for (int i = 0; i < height - 1 && first + i < s->n; i++) {
        const struct srow *r = &s->rows[first + i];
        int y = top + 1 + i;
        int sel = i == s->pager.sel;
        int base = sel ? draw_attr(app, UI_ROLE_SEL) : A_NORMAL;
        if (sel)
            draw_fill(y, 0, w, base);
        char num[96];
        snprintf(num, sizeof num, "%3lld", (long long)r->id);
        draw_label(y, 1, 3, num, base | A_DIM);
        draw_text_tail(app, y, 5, pw, r->path, base);
        draw_text(app, y, 6 + pw, fw, r->format, base | A_BOLD, TT_ELLIPSIS);
        draw_text(app, y, 7 + pw + fw, tw, r->tool ? r->tool : "-", base | A_DIM,
                  TT_ELLIPSIS);
        if (iw)
            draw_text(app, y, 8 + pw + fw + tw, iw, r->imported_at, base | A_DIM,
                      TT_ELLIPSIS);
        if (wide)
            snprintf(num, sizeof num, "%8lld %8lld %4lld %5lld %9lld",
                     (long long)r->size, (long long)r->n_windows,
                     (long long)r->n_requests, (long long)r->n_messages,
                     (long long)r->n_listeners);
        else
            snprintf(num, sizeof num, "%6lld %9lld", (long long)r->n_messages,
                     (long long)r->n_listeners);
        draw_label(y, w - nw, nw, num, base);
    }
}

static void
sources_init(struct ui_app *app)
{
    struct sources *s = xcalloc(1, sizeof *s);
    s->pager.fetch = sources_fetch;
    pager_reset(&s->pager);
    app->view_state[UI_VIEW_SOURCES] = s;
}

static void
sources_fini(struct ui_app *app)
{
    sources_clear(sstate(app));
    free(sstate(app));
    app->view_state[UI_VIEW_SOURCES] = NULL;
}

static void
sources_invalidate(struct ui_app *app)
{
    sstate(app)->valid = 0;
}

static struct ui_pager *
sources_pager(struct ui_app *app)
{
    return &sstate(app)->pager;
}

/* Enter: show this source's messages in view 1. */
static int
sources_activate(struct ui_app *app)
{
    struct sources *s = sstate(app);
    int64_t i = (s->pager.top == INT64_MIN ? 0 : s->pager.top) + s->pager.sel;
    if (i < 0 || i >= s->n)
        return UI_HANDLED;
    struct ui_subject on = {.kind = "source", .id = s->rows[i].id};
    return action_show_messages(app, &on, UI_PANE_LIST, NULL);
}

static int
sources_click(struct ui_app *app, int y, int x, int wheel)
{
    (void)x;
    struct sources *s = sstate(app);
    if (wheel)
        return pager_move(app, &s->pager, 3 * wheel);
    int row = y - s->top_y;
    int64_t first = s->pager.top == INT64_MIN ? 0 : s->pager.top;
    if (row >= 0 && first + row < s->n)
        s->pager.sel = row;
    return UI_REDRAW;
}

static int
sources_search(struct ui_app *app, const char *text, int dir)
{
    struct sources *s = sstate(app);
    int64_t top = s->pager.top == INT64_MIN ? 0 : s->pager.top;
    for (int64_t i = top + s->pager.sel + dir; i >= 0 && i < s->n; i += dir) {
        const struct srow *r = &s->rows[i];
        if ((r->path && strcasestr(r->path, text)) ||
            (r->tool && strcasestr(r->tool, text)) ||
            (r->format && strcasecmp(r->format, text) == 0)) {
            int h = s->pager.height > 0 ? s->pager.height : 1;
            if (i >= top && i < top + h) {
                s->pager.sel = (int)(i - top);
            } else {
                s->pager.top = i;
                s->pager.sel = 0;
            }
            return UI_REDRAW;
        }
    }
    ui_status(app, 1, "no %s source matches '%s'", dir > 0 ? "later" : "earlier",
              text);
    return UI_REDRAW;
}

const struct pm_screen pm_screen_sources = {
    .name = "Sources",
    .init = sources_init,
    .draw = sources_draw,
    .pager = sources_pager,
    .activate = sources_activate,
    .click = sources_click,
    .search = sources_search,
    .invalidate = sources_invalidate,
    .fini = sources_fini,
};
