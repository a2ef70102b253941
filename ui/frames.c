/*
 * frames.c - the frame tree: windows nested by parent and opener, coloured
 * by origin.  View 3 shows it full-screen with URLs and framing headers;
 * view 1 shows it as its left pane.  Both share one state (one cursor).
 * The tree order is computed once per session in SQLite (a temporary
 * table of positions); each page is then a keyset read of the visible
 * rows, so the tree is never loaded into memory whole.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "draw.h"
#include "mem.h"
#include "screen.h"
#include "store_ui.h"

/* Rows scanned by one n/N search before giving up. */
#define FRAMES_SEARCH_MAX 20000

struct frame_row {
    int64_t id, source_id, parent_id, opener_id;
    int depth;
    int framing_known;
    double first_seen;
    char *kind, *url, *origin, *parent_how, *xfo, *csp;
};

struct frames {
    struct ui_pager pager;
    int64_t total;
    int tree_built;   /* the tree order exists for this session */
    struct frame_row rows[UI_PAGE_MAX];
    int n;
    int top_y;  /* first row's screen line in the last draw */
};

static struct frames *
fstate(struct ui_app *app)
{
    return app->view_state[UI_VIEW_FRAMES];
}

static int
frames_fetch(struct ui_app *app, int64_t after, int backward, int limit,
             int64_t *keys)
{
    return pager_offsets(fstate(app)->total, after, backward, limit, keys);
}

static void
frow_free(struct frame_row *r)
{
    free(r->kind);
    free(r->url);
    free(r->origin);
    free(r->parent_how);
    free(r->xfo);
    free(r->csp);
    memset(r, 0, sizeof *r);
}

static int
frow_load(const struct pm_window_row *w, void *ctx)
{
    struct frames *f = ctx;
    struct frame_row *r = &f->rows[f->n++];
    r->id = w->id;
    r->source_id = w->source_id;
    r->parent_id = w->parent_id;
    r->opener_id = w->opener_id;
    r->depth = w->depth;
    r->first_seen = w->first_seen;
    r->kind = xstrdup0(w->kind);
    r->url = xstrdup0(w->url);
    r->origin = xstrdup0(w->origin);
    r->parent_how = xstrdup0(w->parent_how);
    r->xfo = xstrdup0(w->xfo);
    r->framing_known = w->framing_known;
    r->csp = xstrdup0(w->csp);
    return f->n >= UI_PAGE_MAX;
}

static void
frames_load(struct ui_app *app, struct frames *f, int h)
{
    if (!f->tree_built) {
        struct pm_err err = PM_ERR_INIT;
        if (store_ui_tree_build(app->st, &f->total, &err) != PM_OK) {
            ui_status(app, 1, "%s", err.msg);
            f->total = 0;
        }
        f->tree_built = 1;
    }
    if (!pager_page_stale(&f->pager, &h))
        return;
    for (int i = 0; i < f->n; i++)
        frow_free(&f->rows[i]);
    f->n = 0;
    struct pm_err err = PM_ERR_INIT;
    int64_t skip = f->pager.top == INT64_MIN ? 0 : f->pager.top;
    if (h > 0 &&
        store_ui_window_tree(app->st, skip, h, frow_load, f, &err) != PM_OK)
        ui_status(app, 1, "%s", err.msg);
    pager_page_loaded(&f->pager, f->n, h);
}

static const char *
kind_tag(const char *kind)
{
    if (kind == NULL)
        return "?";
    if (strcmp(kind, "top") == 0)
        return "T";
    if (strcmp(kind, "iframe") == 0)
        return "F";
    if (strcmp(kind, "popup") == 0)
        return "P";
    if (strcmp(kind, "worker") == 0)
        return "W";
    return "?";
}

/*
 * The path of a window's URL (after its origin, without query and
 * fragment) into out; "" when the URL has none beyond "/".
 */
static void
url_doc_path(const char *url, char *out, size_t size)
{
    out[0] = '\0';
    const char *sep = url ? strstr(url, "://") : NULL;
    if (sep == NULL)
        return;
    const char *path = strchr(sep + 3, '/');
    if (path == NULL || path[1] == '\0' || path[1] == '?' || path[1] == '#')
        return;
    size_t n = strcspn(path, "?#");
    if (n >= size)
        n = size - 1;
    memcpy(out, path, n);
    out[n] = '\0';
}

/*
 * Draw the tree part of a row (indent, kind, origin and the path of its
 * document: windows of one origin differ by their pages); returns columns.
 * When narrow, draw_origin_path takes out the middle.
 */
static int
frames_draw_tree_cell(struct ui_app *app, const struct frame_row *r, int y,
                      int x, int w, int base)
{
    int ind = r->depth < 12 ? r->depth : 12;
    int used = 0;
    for (int i = 0; i < ind && used + 2 < w; i++)
        used += draw_label(y, x + used, 2, "  ", base);
    if (r->depth > 0 && used + 2 < w) {
        attrset(base);
        mvaddch(y, x + used, r->opener_id && !r->parent_id ? '^' : ACS_LLCORNER);
        attrset(A_NORMAL);
        used += 1;
    }
    used += draw_label(y, x + used, w - used, kind_tag(r->kind), base | A_BOLD);
    used += draw_label(y, x + used, w - used, " ", base);
    char path[1024];
    url_doc_path(r->url, path, sizeof path);
    used += draw_origin_path(app, y, x + used, w - used, r->origin, path, base);
    return used;
}

static void
frames_pane_draw(struct ui_app *app, int y, int x, int h, int w, int focused)
{
    struct frames *f = fstate(app);
    int head = focused ? draw_attr(app, UI_ROLE_TAB_ON)
                       : draw_attr(app, UI_ROLE_HEADING) | A_UNDERLINE;
    draw_fill(y, x, w, head);
    draw_label(y, x + 1, w - 1, "frames", head);
    pager_set_height(app, &f->pager, h - 1);
    f->top_y = y + 1;
    frames_load(app, f, h - 1);
    if (f->n == 0)
        draw_label(y + 1, x + 1, w - 1, "no windows", A_DIM);
    for (int i = 0; i < f->n && i < h - 1; i++) {
        int sel = i == f->pager.sel;
        int base = sel ? draw_attr(app, focused ? UI_ROLE_SEL : UI_ROLE_SEL_DIM)
                       : A_NORMAL;
        if (sel)
            draw_fill(y + 1 + i, x, w, base);
        frames_draw_tree_cell(app, &f->rows[i], y + 1 + i, x, w, base);
    }
}

static struct ui_pager *
frames_pager(struct ui_app *app)
{
    return &fstate(app)->pager;
}

/*
 * Filter the message list to what the selected window sent or received
 * (window:N; two frames of one origin are told apart, as the tree shows
 * them).
 */
static int
frames_activate(struct ui_app *app)
{
    struct frames *f = fstate(app);
    if (f->n == 0)
        return UI_HANDLED;
    const struct frame_row *r = &f->rows[f->pager.sel];
    struct ui_subject on = {.kind = "window", .id = r->id};
    char status[96];
    snprintf(status, sizeof status,
             "messages window #%lld sent or received; c: clear",
             (long long)r->id);
    return action_show_messages(app, &on, UI_PANE_LIST, status);
}

static int
frames_subject(struct ui_app *app, struct ui_subject *out)
{
    struct frames *f = fstate(app);
    frames_load(app, f, f->pager.height > 0 ? f->pager.height : 1);
    if (f->n == 0)
        return 0;
    const struct frame_row *r = &f->rows[f->pager.sel];
    memset(out, 0, sizeof *out);
    out->kind = "window";
    out->id = r->id;
    snprintf(out->title, sizeof out->title, "%s window %s",
             r->kind ? r->kind : "?", r->url ? r->url : "(no URL)");
    return 1;
}

struct search_ctx {
    const char *text;
    int64_t index, found;
};

static int
search_row(const struct pm_window_row *w, void *ctx)
{
    struct search_ctx *s = ctx;
    if ((w->url && strcasestr(w->url, s->text)) ||
        (w->origin && strcasestr(w->origin, s->text)) ||
        (w->kind && strcasecmp(w->kind, s->text) == 0)) {
        s->found = s->index;
        return 1;
    }
    s->index++;
    return 0;
}

/* Move the cursor to the next (dir 1) or previous (-1) window matching. */
static int
frames_search(struct ui_app *app, const char *text, int dir)
{
    struct frames *f = fstate(app);
    struct pm_err err = PM_ERR_INIT;
    int64_t cur = (f->pager.top == INT64_MIN ? 0 : f->pager.top) + f->pager.sel;
    int64_t found = -1;
    if (dir > 0) {
        struct search_ctx s = {text, cur + 1, -1};
        store_ui_window_tree(app->st, cur + 1, FRAMES_SEARCH_MAX, search_row,
                             &s, &err);
        found = s.found;
    } else {
        /* Scan the rows before the cursor and keep the last match. */
        int64_t from = cur - FRAMES_SEARCH_MAX > 0 ? cur - FRAMES_SEARCH_MAX : 0;
        for (;;) {
            struct search_ctx s = {text, from, -1};
            if (from >= cur)
                break;
            store_ui_window_tree(app->st, from, (int)(cur - from), search_row,
                                 &s, &err);
            if (s.found < 0)
                break;
            found = s.found;
            from = s.found + 1;
        }
    }
    if (found < 0) {
        ui_status(app, 1, "no %s window matches '%s'",
                  dir > 0 ? "later" : "earlier", text);
        return UI_REDRAW;
    }
    int h = f->pager.height > 0 ? f->pager.height : 1;
    int64_t top = f->pager.top == INT64_MIN ? 0 : f->pager.top;
    if (found >= top && found < top + h) {
        f->pager.sel = (int)(found - top);
    } else {
        f->pager.top = found;
        f->pager.sel = 0;
    }
    return UI_REDRAW;
}

static void
frames_init(struct ui_app *app)
{
    struct frames *f = xcalloc(1, sizeof *f);
    f->pager.fetch = frames_fetch;
    pager_reset(&f->pager);
    app->view_state[UI_VIEW_FRAMES] = f;
}

static void
frames_fini(struct ui_app *app)
{
    struct frames *f = fstate(app);
    for (int i = 0; i < f->n; i++)
        frow_free(&f->rows[i]);
    free(f);
    app->view_state[UI_VIEW_FRAMES] = NULL;
}

static void
frames_invalidate(struct ui_app *app)
{
    pager_page_drop(&fstate(app)->pager);
}

static void
frames_draw(struct ui_app *app, int top, int height)
{
    struct frames *f = fstate(app);
    int w = app->cols;
    int tw = w / 3 > 24 ? w / 3 : 24;
    /* src: the imported source (view 6), so the same visit recorded as a
     * trace and as a HAR shows as two trees that can be told apart */
    int hw = 8, sw = 4, fw = w >= 100 ? 22 : 0;
    int uw = w - tw - hw - sw - fw - 4;
    int head = draw_attr(app, UI_ROLE_HEADING) | A_UNDERLINE;
    draw_fill(top, 0, w, head);
    draw_label(top, 1, tw, "window", head);
    draw_label(top, tw + 1, uw, "url", head);
    draw_label(top, tw + uw + 2, sw, "src", head);
    draw_label(top, tw + uw + sw + 3, hw, "parent", head);
    if (fw)
        draw_label(top, w - fw, fw, "framing (XFO / CSP)", head);
    pager_set_height(app, &f->pager, height - 1);
    f->top_y = top + 1;
    frames_load(app, f, height - 1);
    if (f->n == 0)
        draw_label(top + 2, 2, w - 2, "no windows in this workspace", A_DIM);
    for (int i = 0; i < f->n && i < height - 1; i++) {
        const struct frame_row *r = &f->rows[i];
        int y = top + 1 + i;
        int sel = i == f->pager.sel;
        int base = sel ? draw_attr(app, UI_ROLE_SEL) : A_NORMAL;
        if (sel)
            draw_fill(y, 0, w, base);
        frames_draw_tree_cell(app, r, y, 1, tw - 1, base);
        draw_text(app, y, tw + 1, uw, r->url, base, TT_ELLIPSIS);
        char src[24];
        snprintf(src, sizeof src, "#%lld", (long long)r->source_id);
        draw_label(y, tw + uw + 2, sw, src, base | A_DIM);
        draw_text(app, y, tw + uw + sw + 3, hw, r->parent_id || r->opener_id
                  ? (r->parent_how ? r->parent_how : "known") : "-",
                  base | A_DIM, TT_ELLIPSIS);
        if (fw && !r->framing_known) {
            draw_text(app, y, w - fw, fw, "not recorded", base | A_DIM,
                      TT_ELLIPSIS);
        } else if (fw) {
            char fr[256];
            int fa = r->csp && strstr(r->csp, "frame-ancestors");
            snprintf(fr, sizeof fr, "%s / %s", r->xfo ? r->xfo : "-",
                     fa ? "frame-ancestors" : "-");
            int open = !(r->xfo && r->xfo[0]) && !fa;
            draw_text(app, y, w - fw, fw, fr,
                      base | (open ? A_DIM : draw_attr(app, UI_ROLE_OK)),
                      TT_ELLIPSIS);
        }
    }
}

static int
frames_click(struct ui_app *app, int y, int x, int wheel)
{
    (void)x;
    struct frames *f = fstate(app);
    if (wheel)
        return pager_move(app, &f->pager, 3 * wheel);
    int row = y - f->top_y;
    if (row >= 0 && row < f->n)
        f->pager.sel = row;
    return UI_REDRAW;
}

const struct pm_screen pm_screen_frames = {
    .name = "Frames",
    .init = frames_init,
    .draw = frames_draw,
    .pager = frames_pager,
    .activate = frames_activate,
    .click = frames_click,
    .search = frames_search,
    .subject = frames_subject,
    .draw_pane = frames_pane_draw,
    .invalidate = frames_invalidate,
    .fini = frames_fini,
};
