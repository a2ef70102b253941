/*
 * idlist.c - the paging shared by the lists keyed by row id (idlist.h).
 * Only the rows on screen are held; the pager asks for ids around its top
 * with the same read the page uses, so a move is one bounded query.
 */
#include "idlist.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

struct ui_idlist_read {
    struct ui_idlist *list;  /* rows are kept; NULL: ids only */
    int64_t *keys;
    int n, max;
};

void
idlist_init(struct ui_idlist *l, const struct ui_idlist_ops *ops,
            int (*fetch)(struct ui_app *, int64_t, int, int, int64_t *))
{
    memset(l, 0, sizeof *l);
    l->ops = ops;
    l->rows = xcalloc(UI_PAGE_MAX, ops->row_size);
    l->pager.fetch = fetch;
    pager_reset(&l->pager);
}

static void
idlist_clear(struct ui_idlist *l)
{
    for (int i = 0; i < l->n; i++) {
        void *row = idlist_at(l, i);
        l->ops->free_row(row);
        memset(row, 0, l->ops->row_size);
    }
    l->n = 0;
}

void
idlist_fini(struct ui_idlist *l)
{
    idlist_clear(l);
    free(l->rows);
    l->rows = NULL;
}

void *
idlist_at(struct ui_idlist *l, int i)
{
    return (char *)l->rows + (size_t)i * l->ops->row_size;
}

void *
idlist_row(struct ui_idlist_read *rd, int64_t id)
{
    if (rd->list == NULL) {
        rd->keys[rd->n++] = id;
        return NULL;
    }
    rd->n++;
    return idlist_at(rd->list, rd->list->n++);
}

int
idlist_full(const struct ui_idlist_read *rd)
{
    return rd->n >= rd->max;
}

int
idlist_keys(struct ui_app *app, struct ui_idlist *l, int64_t after,
            int backward, int limit, int64_t *keys)
{
    struct ui_idlist_read rd = {NULL, keys, 0, limit};
    struct pm_err err = PM_ERR_INIT;
    if (!backward && after < 0)
        after = 0;
    if (limit > 0)
        l->ops->read(app, after, backward, limit, &rd, &err);
    return rd.n;
}

void
idlist_load(struct ui_app *app, struct ui_idlist *l, int h)
{
    if (!pager_page_stale(&l->pager, &h))
        return;
    idlist_clear(l);
    struct ui_idlist_read rd = {l, NULL, 0, UI_PAGE_MAX};
    struct pm_err err = PM_ERR_INIT;
    int64_t after = l->pager.top == INT64_MIN ? 0 : l->pager.top - 1;
    if (h > 0 && l->ops->read(app, after, 0, h, &rd, &err) != PM_OK)
        ui_status(app, 1, "%s", err.msg);
    pager_page_loaded(&l->pager, l->n, h);
}

void *
idlist_selected(struct ui_app *app, struct ui_idlist *l)
{
    idlist_load(app, l, l->pager.height > 0 ? l->pager.height : 1);
    return l->n ? idlist_at(l, l->pager.sel) : NULL;
}

void
idlist_show_id(struct ui_idlist *l, int64_t id)
{
    for (int i = 0; i < l->n; i++) {
        if (*(const int64_t *)idlist_at(l, i) == id) {
            l->pager.sel = i;
            return;
        }
    }
    l->pager.top = id;
    l->pager.sel = 0;
    pager_page_drop(&l->pager);
}

int
idlist_click(struct ui_app *app, struct ui_idlist *l, int y, int wheel)
{
    if (wheel)
        return pager_move(app, &l->pager, 3 * wheel);
    int row = y - l->top_y;
    if (row >= 0 && row < l->n)
        l->pager.sel = row;
    return UI_REDRAW;
}
