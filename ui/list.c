/*
 * list.c - moving a cursor through a list that is read one page at a time.
 *
 * A pager knows only the key of its first visible row and the selected
 * offset; moving asks the view's fetch function for the few keys around
 * (at most a page and a move), so scrolling costs one bounded query no
 * matter how long the list is.
 */
#include <stdint.h>

#include "app.h"

void
pager_reset(struct ui_pager *p)
{
    p->top = INT64_MIN;
    p->sel = 0;
}

int
pager_page_stale(const struct ui_pager *p, int *h)
{
    if (*h > UI_PAGE_MAX)
        *h = UI_PAGE_MAX;
    return !(p->loaded && p->loaded_top == p->top && p->loaded_h == *h);
}

void
pager_page_loaded(struct ui_pager *p, int n, int h)
{
    p->loaded = 1;
    p->loaded_top = p->top;
    p->loaded_h = h;
    p->n = n;
    if (p->sel >= n)
        p->sel = n > 0 ? n - 1 : 0;
}

void
pager_page_drop(struct ui_pager *p)
{
    p->loaded = 0;
}

int
pager_offsets(int64_t total, int64_t after, int backward, int limit,
              int64_t *keys)
{
    int n = 0;
    if (backward) {
        int64_t k = after == INT64_MAX ? total - 1 : after - 1;
        if (k > total - 1)
            k = total - 1;
        for (; k >= 0 && n < limit; k--)
            keys[n++] = k;
    } else {
        int64_t k = after == INT64_MIN ? 0 : after + 1;
        if (k < 0)
            k = 0;
        for (; k < total && n < limit; k++)
            keys[n++] = k;
    }
    return n;
}

/* Keys of rows from top (inclusive) forward. */
static int
pager_from_top(struct ui_app *app, struct ui_pager *p, int limit,
               int64_t *keys)
{
    int64_t after = p->top == INT64_MIN ? INT64_MIN : p->top - 1;
    return p->fetch(app, after, 0, limit, keys);
}

void
pager_set_height(struct ui_app *app, struct ui_pager *p, int h)
{
    int64_t keys[UI_PAGE_MAX];
    if (h < 1)
        h = 1;
    if (h > UI_PAGE_MAX)
        h = UI_PAGE_MAX;
    p->height = h;
    if (p->sel < h || p->fetch == NULL)
        return;
    int n = pager_from_top(app, p, p->sel + 1, keys);
    if (n <= p->sel)
        return;  /* the list shrank too, or the read gave way to a key */
    p->top = keys[p->sel - h + 1];
    p->sel = h - 1;
}

int
pager_move(struct ui_app *app, struct ui_pager *p, int delta)
{
    int64_t keys[2 * UI_PAGE_MAX + 2];
    int h = p->height > 0 ? p->height : 1;
    if (h > UI_PAGE_MAX)
        h = UI_PAGE_MAX;
    if (delta > UI_PAGE_MAX)
        delta = UI_PAGE_MAX;
    if (delta < -UI_PAGE_MAX)
        delta = -UI_PAGE_MAX;
    if (delta > 0) {
        int n = pager_from_top(app, p, p->sel + delta + 1 > h
                                       ? p->sel + delta + 1 : h, keys);
        if (n <= 0)
            return UI_HANDLED;
        int t = p->sel + delta;
        if (t > n - 1)
            t = n - 1;
        if (t < h) {
            p->sel = t;
        } else {
            p->top = keys[t - h + 1];
            p->sel = h - 1;
        }
        return UI_REDRAW;
    }
    if (delta < 0) {
        int up = -delta;
        if (p->sel - up >= 0) {
            p->sel -= up;
            return UI_REDRAW;
        }
        int need = up - p->sel;
        int n = p->top == INT64_MIN ? 0 : p->fetch(app, p->top, 1, need, keys);
        if (n > 0)
            p->top = keys[n - 1];
        p->sel = 0;
        return UI_REDRAW;
    }
    return UI_HANDLED;
}

int
pager_home(struct ui_app *app, struct ui_pager *p)
{
    (void)app;
    pager_reset(p);
    return UI_REDRAW;
}

int
pager_end(struct ui_app *app, struct ui_pager *p)
{
    int64_t keys[UI_PAGE_MAX];
    int h = p->height > 0 ? p->height : 1;
    if (h > UI_PAGE_MAX)
        h = UI_PAGE_MAX;
    int n = p->fetch(app, INT64_MAX, 1, h, keys);
    if (n <= 0)
        return UI_REDRAW;  /* empty, or the read gave way to a key */
    p->top = keys[n - 1];
    p->sel = n - 1;
    return UI_REDRAW;
}
