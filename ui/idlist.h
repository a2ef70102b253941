/*
 * idlist.h - a list keyed by row id and read one page at a time (views 4
 * and 5: listeners, findings).  It owns what such a view would otherwise
 * write again: the rows on screen, the pager over ids, reading the page
 * when it is stale, and clicks and the selection.  The view gives one
 * read function, whose store callback hands every row to idlist_row: the
 * same read then serves the pager (ids only) and the page (whole rows).
 */
#ifndef PM_UI_IDLIST_H
#define PM_UI_IDLIST_H

#include <stddef.h>

#include "app.h"

/* One read in progress (idlist.c). */
struct ui_idlist_read;

struct ui_idlist_ops {
    size_t row_size;  /* the view's row struct; its first member is its
                         int64_t id */
    /*
     * Read up to limit rows with ids after `after` (ascending), or before
     * it (descending) when backward, handing each to idlist_row.
     */
    enum pm_rc (*read)(struct ui_app *app, int64_t after, int backward,
                       int limit, struct ui_idlist_read *rd,
                       struct pm_err *err);
    void (*free_row)(void *row);  /* free what the row points to */
};

struct ui_idlist {
    struct ui_pager pager;
    const struct ui_idlist_ops *ops;
    void *rows;  /* the page: UI_PAGE_MAX rows of ops->row_size */
    int n;       /* rows on it */
    int top_y;   /* screen line of the first row in the last draw */
};

/* fetch is the view's pager fetch, which calls idlist_keys. */
void idlist_init(struct ui_idlist *l, const struct ui_idlist_ops *ops,
                 int (*fetch)(struct ui_app *, int64_t, int, int, int64_t *));
void idlist_fini(struct ui_idlist *l);

/* For the pager: up to limit ids after (or before) `after`. */
int idlist_keys(struct ui_app *app, struct ui_idlist *l, int64_t after,
                int backward, int limit, int64_t *keys);

/*
 * In the read's store callback: the row to fill for id (zeroed), or NULL
 * when only ids are wanted.  idlist_full says when to stop.
 */
void *idlist_row(struct ui_idlist_read *rd, int64_t id);
int idlist_full(const struct ui_idlist_read *rd);

/* Read the h rows from the pager's top, unless they are loaded. */
void idlist_load(struct ui_app *app, struct ui_idlist *l, int h);
/* Row i of the page (i < n). */
void *idlist_at(struct ui_idlist *l, int i);
/* The selected row (the page read first if stale), or NULL when empty. */
void *idlist_selected(struct ui_app *app, struct ui_idlist *l);
/*
 * Select the row of id: on the page when it is there, else the page
 * starts at it (a search's match, a view opened on a row).
 */
void idlist_show_id(struct ui_idlist *l, int64_t id);
/* A click (select the row at screen line y) or a wheel turn. */
int idlist_click(struct ui_app *app, struct ui_idlist *l, int y, int wheel);

#endif
