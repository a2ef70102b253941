/*
 * help.c - the help screen, generated from the binding table in keys.c:
 * consecutive bindings with the same action and text are one line listing
 * all their keys, followed by the views they work in.  Nothing here is
 * written by hand, so help cannot drift from what the keys do.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "draw.h"
#include "keys.h"
#include "mem.h"
#include "screen.h"

struct help_line {
    char keys[48];
    const char *text;
    char views[48];
    char views_short[24];  /* "1245 flow": the views column below 100 columns */
};

struct help {
    struct ui_pager pager;
    struct help_line *lines;
    int n, top_y;
};

static struct help *
hstate(struct ui_app *app)
{
    return app->view_state[UI_VIEW_HELP];
}

static int
help_fetch(struct ui_app *app, int64_t after, int backward, int limit,
           int64_t *keys)
{
    return pager_offsets(hstate(app)->n, after, backward, limit, keys);
}

/* A view as the views column names it: its digit, or an overlay's name
 * in lower case ("flow"). */
static void
view_name(struct ui_app *app, int v, char *out, size_t n)
{
    if (!(UI_OVERLAYS & UI_MASK(v))) {
        snprintf(out, n, "%d", v + 1);
        return;
    }
    snprintf(out, n, "%s", app->screens[v]->name);
    for (char *c = out; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
}

static void
views_text(struct ui_app *app, unsigned mask, char *out, size_t n)
{
    if ((mask & UI_ALL_VIEWS) == UI_ALL_VIEWS) {
        snprintf(out, n, "everywhere");
        return;
    }
    out[0] = '\0';
    size_t len = 0;
    for (int v = 0; v < UI_VIEW_COUNT; v++) {
        if (!(mask & UI_MASK(v)))
            continue;
        char name[24];
        view_name(app, v, name, sizeof name);
        int k = snprintf(out + len, n - len, "%s%s", len ? " " : "", name);
        if (k < 0 || (size_t)k >= n - len)
            break;
        len += (size_t)k;
    }
}

/* Build the lines from ui_bindings (once: the table is constant). */
static void
help_build(struct ui_app *app, struct help *h)
{
    h->lines = xcalloc((size_t)ui_binding_count, sizeof *h->lines);
    h->n = 0;
    for (int i = 0; i < ui_binding_count; i++) {
        const struct ui_binding *b = &ui_bindings[i];
        char name[16];
        keys_name(b->key, name, sizeof name);
        struct help_line *prev = h->n ? &h->lines[h->n - 1] : NULL;
        if (prev && i > 0 && ui_bindings[i - 1].fn == b->fn &&
            strcmp(prev->text, b->help) == 0 &&
            strlen(prev->keys) + strlen(name) + 2 < sizeof prev->keys) {
            strcat(prev->keys, " ");
            strcat(prev->keys, name);
            continue;
        }
        struct help_line *l = &h->lines[h->n++];
        snprintf(l->keys, sizeof l->keys, "%s", name);
        l->text = b->help;
        views_text(app, b->views, l->views, sizeof l->views);
        /* Short form: the view digits run together. */
        size_t k = 0;
        for (const char *c = l->views; *c && k + 1 < sizeof l->views_short; c++)
            if (!(*c == ' ' && c > l->views && c[-1] >= '1' && c[-1] <= '9' &&
                  c[1] >= '1' && c[1] <= '9'))
                l->views_short[k++] = *c;
        l->views_short[k] = '\0';
    }
}

static int
help_open(struct ui_app *app, const struct ui_subject *on)
{
    (void)on;
    pager_reset(&hstate(app)->pager);
    return ui_switch_view(app, UI_VIEW_HELP);
}

static void
help_draw(struct ui_app *app, int top, int height)
{
    struct help *h = hstate(app);
    int w = app->cols;
    /* Below 100 columns the key and view columns shrink so the text fits. */
    int narrow = w < 100;
    int kw = narrow ? 12 : 22, vw = narrow ? 11 : 16;
    int tw = w - kw - vw - 4;
    int head = draw_attr(app, UI_ROLE_HEADING) | A_UNDERLINE;
    draw_fill(top, 0, w, head);
    draw_label(top, 1, kw, "keys", head);
    draw_label(top, 2 + kw, tw, "what it does", head);
    draw_label(top, w - vw - 1, vw, "views", head);
    pager_set_height(app, &h->pager, height - 3);
    h->top_y = top + 1;
    int64_t first = h->pager.top == INT64_MIN ? 0 : h->pager.top;
    for (int i = 0; i < height - 3 && first + i < h->n; i++) {
        const struct help_line *l = &h->lines[first + i];
        int y = top + 1 + i;
        int sel = i == h->pager.sel;
        int base = sel ? draw_attr(app, UI_ROLE_SEL) : A_NORMAL;
        if (sel)
            draw_fill(y, 0, w, base);
        /* Keys that do not fit are cut at a space: aliases come last. */
        int kn = (int)strlen(l->keys);
        while (kn > kw) {
            while (kn > 0 && l->keys[kn - 1] != ' ')
                kn--;
            while (kn > 0 && l->keys[kn - 1] == ' ')
                kn--;
        }
        draw_label(y, 1, kn > 0 ? kn : kw, l->keys, base | A_BOLD);
        draw_label(y, 2 + kw, tw, l->text, base);
        draw_label(y, w - vw - 1, vw, narrow ? l->views_short : l->views,
                   base | A_DIM);
    }
    int y = top + height - 2;
    draw_label(y, 1, w - 2,
               narrow ? "Filter: origin: from: to: target:* check: sink: data~/re/ "
                        "marked, and/or/not"
                      : "Filter: origin: from: to: target:* via: check: sink: "
                        "data~/re/ size>N marked words, with and/or/not ( )",
               A_DIM);
    draw_label(y + 1, 1, w - 2,
               "Esc or q closes this help.  Mouse: click selects, wheel "
               "scrolls, click a tab or a key label.",
               A_DIM);
}

static void
help_init(struct ui_app *app)
{
    struct help *h = xcalloc(1, sizeof *h);
    h->pager.fetch = help_fetch;
    pager_reset(&h->pager);
    help_build(app, h);
    app->view_state[UI_VIEW_HELP] = h;
}

static void
help_fini(struct ui_app *app)
{
    free(hstate(app)->lines);
    free(hstate(app));
    app->view_state[UI_VIEW_HELP] = NULL;
}

static struct ui_pager *
help_pager(struct ui_app *app)
{
    return &hstate(app)->pager;
}

static int
help_click(struct ui_app *app, int y, int x, int wheel)
{
    (void)x;
    struct help *h = hstate(app);
    if (wheel)
        return pager_move(app, &h->pager, 3 * wheel);
    int row = y - h->top_y;
    int64_t first = h->pager.top == INT64_MIN ? 0 : h->pager.top;
    if (row >= 0 && first + row < h->n)
        h->pager.sel = row;
    return UI_REDRAW;
}

static int
help_search(struct ui_app *app, const char *text, int dir)
{
    struct help *h = hstate(app);
    int64_t top = h->pager.top == INT64_MIN ? 0 : h->pager.top;
    for (int64_t i = top + h->pager.sel + dir; i >= 0 && i < h->n; i += dir) {
        if (strcasestr(h->lines[i].text, text) ||
            strcasestr(h->lines[i].keys, text)) {
            int ht = h->pager.height > 0 ? h->pager.height : 1;
            if (i >= top && i < top + ht) {
                h->pager.sel = (int)(i - top);
            } else {
                h->pager.top = i;
                h->pager.sel = 0;
            }
            return UI_REDRAW;
        }
    }
    ui_status(app, 1, "no help line matches '%s'", text);
    return UI_REDRAW;
}

const struct pm_screen pm_screen_help = {
    .name = "Help",
    .init = help_init,
    .draw = help_draw,
    .pager = help_pager,
    .click = help_click,
    .search = help_search,
    .open = help_open,
    .fini = help_fini,
};
