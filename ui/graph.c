/*
 * graph.c - view 2: the origin graph.  It owns the edge list and the
 * table; the drawing it opens on lives in graph_draw.c: origins as boxes
 * by layers (graph_layout.c), edges as lines with arrowheads and labels
 * (graph_paint.c): the count, '*' when a message or send site used
 * targetOrigin '*', and how the edge is known, o observed, s static (a
 * send site analysis found), f frame (embeds or opens).  The arrows and
 * h j k l pan, Tab selects the next box or edge, z fits the picture to
 * the window (origins shortened), t switches to the table: one row per
 * edge, sender origin -> receiver origin, with message counts and how
 * many used targetOrigin '*', then the frame-embedding edges.  Enter on
 * an edge with messages filters view 1 to it, on a box lists the windows
 * of its origin (Enter on one filters view 1 to it).
 *
 * The edge list is aggregated by SQLite (GROUP BY over an index) once per
 * data change and kept, capped (GRAPH_MAX_EDGES); the drawing is built
 * from it once, and draws at most GRAPH_DRAW_NODES origins (those with the most traffic)
 * and GRAPH_DRAW_EDGES edges, so a crawl of thousands of origins lays out
 * as fast as the demo; the table lists every edge.
 */
#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "draw.h"
#include "graph_draw.h"
#include "mem.h"
#include "screen.h"
#include "store_query.h"
#include "store_ui.h"

#define GRAPH_MAX_EDGES 20000

struct graph {
    struct ui_pager pager;
    struct graph_edge *edges;
    int n;
    int valid;
    int top_y;
    int table;  /* the table instead of the drawing */
    /* '*' counts are read in id slices while the user looks. */
    int wild_pending;
    int64_t wild_pos, wild_end, wild_span;
    struct drawing d;
};

static struct graph *
gstate(struct ui_app *app)
{
    return app->view_state[UI_VIEW_GRAPH];
}

static int
graph_fetch(struct ui_app *app, int64_t after, int backward, int limit,
            int64_t *keys)
{
    return pager_offsets(gstate(app)->n, after, backward, limit, keys);
}

static void
graph_clear(struct graph *g)
{
    drawing_clear(&g->d);
    for (int i = 0; i < g->n; i++) {
        free(g->edges[i].from);
        free(g->edges[i].to);
    }
    free(g->edges);
    g->edges = NULL;
    g->n = 0;
}

static int
edge_load(const struct pm_edge_row *r, void *ctx)
{
    struct graph *g = ctx;
    if (g->n % 256 == 0)
        g->edges = xrealloc(g->edges, (size_t)(g->n + 256) * sizeof *g->edges);
    struct graph_edge *e = &g->edges[g->n++];
    e->frame = r->kind && strcmp(r->kind, "frame") == 0;
    e->from = r->from ? xstrdup(r->from) : NULL;
    e->to = r->to ? xstrdup(r->to) : NULL;
    e->from_id = r->from_id;
    e->to_id = r->to_id;
    e->count = r->count;
    e->wildcard = r->wildcard;
    e->marks = r->marks ? r->marks : e->frame ? PM_EDGE_FRAME : PM_EDGE_OBSERVED;
    e->sends = r->sends;
    e->sends_wildcard = r->sends_wildcard;
    e->accepted = r->accepted;
    e->rejected = r->rejected;
    e->unknown = r->unknown;
    return g->n >= GRAPH_MAX_EDGES;
}

static void
graph_load(struct ui_app *app, struct graph *g)
{
    if (g->valid)
        return;
    graph_clear(g);
    struct pm_err err = PM_ERR_INIT;
    if (store_ui_each_edge(app->st, edge_load, g, &err) != PM_OK)
        ui_status(app, 1, "%s", err.msg);
    g->wild_pos = 0;
    g->wild_span = 65536;
    g->wild_pending =
        store_ui_max_message_id(app->st, &g->wild_end, &err) == PM_OK &&
        g->wild_end > 0;
    g->valid = 1;
    g->pager.n = g->n;
    if (g->pager.top != INT64_MIN && g->pager.top >= g->n)
        pager_reset(&g->pager);
}

static int
wild_add(const struct pm_edge_row *r, void *ctx)
{
    struct graph *g = ctx;
    for (int i = 0; i < g->n; i++) {
        struct graph_edge *e = &g->edges[i];
        if (!e->frame && e->from_id == r->from_id && e->to_id == r->to_id) {
            e->wildcard += r->count;
            break;
        }
    }
    return 0;
}

/* Count targetOrigin '*' per edge, one id slice at a time. */
static int
graph_idle(struct ui_app *app, double budget_ms)
{
    struct graph *g = gstate(app);
    if (!g->valid || !g->wild_pending || budget_ms <= 0)
        return g->valid && g->wild_pending;
    struct pm_err err = PM_ERR_INIT;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        int64_t upto = g->wild_pos + g->wild_span;
        if (upto > g->wild_end)
            upto = g->wild_end;
        if (store_ui_wildcard_slice(app->st, g->wild_pos, upto, wild_add, g,
                                    &err) != PM_OK) {
            ui_status(app, 1, "%s", err.msg);
            g->wild_pending = 0;
            break;
        }
        g->wild_pos = upto;
        if (g->wild_pos >= g->wild_end) {
            g->wild_pending = 0;
            break;
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
        if (ms >= budget_ms)
            break;
        if (ms < budget_ms / 8 && g->wild_span < (INT64_C(1) << 40))
            g->wild_span *= 2;
    }
    return g->wild_pending;
}


static void
graph_init(struct ui_app *app)
{
    struct graph *g = xcalloc(1, sizeof *g);
    g->pager.fetch = graph_fetch;
    pager_reset(&g->pager);
    g->d.sel = -1;
    app->view_state[UI_VIEW_GRAPH] = g;
}

static void
graph_fini(struct ui_app *app)
{
    struct graph *g = gstate(app);
    graph_clear(g);
    drawing_free(&g->d);
    free(g);
    app->view_state[UI_VIEW_GRAPH] = NULL;
}

static void
graph_invalidate(struct ui_app *app)
{
    gstate(app)->valid = 0;
}

static struct graph_edges
edge_list(struct graph *g)
{
    return (struct graph_edges){g->edges, g->n, g->wild_pending};
}

/* The row selected in the table, or in the drawing the message row (else
 * the frame row) of the selected edge. */
static struct graph_edge *
graph_selected(struct ui_app *app)
{
    struct graph *g = gstate(app);
    graph_load(app, g);
    if (!g->table) {
        const struct dedge *de = drawing_selected_edge(&g->d);
        if (de == NULL)
            return NULL;
        return &g->edges[de->msg >= 0 ? de->msg : de->frame];
    }
    int64_t i = (g->pager.top == INT64_MIN ? 0 : g->pager.top) + g->pager.sel;
    return i >= 0 && i < g->n ? &g->edges[i] : NULL;
}

static void
graph_draw_table(struct ui_app *app, struct graph *g, int top, int height)
{
    int w = app->cols;
    int ow = (w - 30) / 2;
    int head = draw_attr(app, UI_ROLE_HEADING) | A_UNDERLINE;
    draw_fill(top, 0, w, head);
    draw_label(top, 1, 7, "edge", head);
    draw_label(top, 9, ow, "sender origin", head);
    draw_label(top, 13 + ow, ow, "receiver origin", head);
    draw_label(top, 13 + 2 * ow, 8, "  msgs", head);
    draw_label(top, 22 + 2 * ow, 8, g->wild_pending ? " to '*'~" : "  to '*'",
               head);
    pager_set_height(app, &g->pager, height - 1);
    g->top_y = top + 1;
    if (g->n == 0)
        draw_label(top + 2, 2, w - 2, "no messages or frames yet", A_DIM);
    int64_t first = g->pager.top == INT64_MIN ? 0 : g->pager.top;
    for (int i = 0; i < height - 1 && first + i < g->n; i++) {
        const struct graph_edge *e = &g->edges[first + i];
        int y = top + 1 + i;
        int sel = i == g->pager.sel;
        int base = sel ? draw_attr(app, UI_ROLE_SEL) : A_NORMAL;
        if (sel)
            draw_fill(y, 0, w, base);
        draw_label(y, 1, 7, e->frame ? "frame" : "message",
                   base | (e->frame ? A_DIM : 0));
        draw_origin(app, y, 9, ow, e->from, base, TT_ELLIPSIS);
        draw_label(y, 10 + ow, 2, e->frame ? "=>" : "->", base);
        draw_origin(app, y, 13 + ow, ow - 1, e->to, base, TT_ELLIPSIS);
        char num[32];
        snprintf(num, sizeof num, "%8lld", (long long)e->count);
        draw_label(y, 13 + 2 * ow, 8, e->frame ? "        " : num, base);
        if (!e->frame && e->wildcard) {
            snprintf(num, sizeof num, "%8lld", (long long)e->wildcard);
            draw_label(y, 22 + 2 * ow, 8, num, base | draw_attr(app, UI_ROLE_WARN));
        }
    }
}

static void
graph_draw(struct ui_app *app, int top, int height)
{
    struct graph *g = gstate(app);
    graph_load(app, g);
    if (g->table) {
        graph_draw_table(app, g, top, height);
        return;
    }
    struct graph_edges ge = edge_list(g);
    drawing_draw(app, &ge, &g->d, top, height);
    /* PgUp and PgDn pan the picture a window at a time. */
    g->pager.height = g->d.region.h;
}

/* Filter expression selecting one side of an edge. */
static void
side_expr(char *out, size_t n, const char *key, const char *origin)
{
    if (origin == NULL)
        snprintf(out, n, "%s", "");
    else
        snprintf(out, n, "%s:\"%s\"", key, origin);
}

/* View 1 filtered to the messages of a message edge. */
static int
edge_messages(struct ui_app *app, const struct graph_edge *e)
{
    if (e->frame || e->from == NULL || e->to == NULL ||
        strchr(e->from, '"') || strchr(e->to, '"')) {
        ui_status(app, 1, "only message edges with known origins filter the list");
        return UI_REDRAW;
    }
    char a[300], b[300], expr[620];
    side_expr(a, sizeof a, "from", e->from);
    side_expr(b, sizeof b, "to", e->to);
    snprintf(expr, sizeof expr, "%s and %s", a, b);
    return ui_show_messages(app, expr, UI_PANE_LIST, NULL);
}

/* The send sites of an edge, each once (a site can reach several documents). */
struct site_ids {
    int64_t *v;
    size_t n;
};

static int
site_id_add(const struct pm_edge_send_row *r, void *ctx)
{
    struct site_ids *ids = ctx;
    for (size_t i = 0; i < ids->n; i++)
        if (ids->v[i] == r->send_site_id)
            return 0;
    if (ids->n % 64 == 0)
        ids->v = xrealloc(ids->v, (ids->n + 64) * sizeof *ids->v);
    ids->v[ids->n++] = r->send_site_id;
    return ids->n >= 10000;
}

/*
 * Enter on an edge that only analysis found (no message was recorded on
 * it): view 7 on the send sites behind it.
 */
static int
graph_show_send_sites(struct ui_app *app, const struct graph_edge *e)
{
    struct site_ids ids = {NULL, 0};
    struct pm_err err = PM_ERR_INIT;
    if (store_each_edge_send(app->st, e->from_id, e->to_id, site_id_add, &ids,
                             &err) != PM_OK) {
        free(ids.v);
        ui_status(app, 1, "%s", err.msg);
        return UI_REDRAW;
    }
    int rc = action_show_send_sites(app, e->from_id, e->to_id, ids.v, ids.n);
    free(ids.v);
    return rc;
}

static int
graph_activate_drawing(struct ui_app *app, struct graph *g)
{
    struct drawing *d = &g->d;
    if (d->pop.open) {
        if (d->pop.n == 0)
            return UI_HANDLED;
        struct ui_subject on = {.kind = "window",
                                .id = d->pop.wins[d->pop.sel].id};
        char status[96];
        snprintf(status, sizeof status,
                 "messages window #%lld sent or received; c: clear",
                 (long long)on.id);
        drawing_close_list(d);
        return action_show_messages(app, &on, UI_PANE_LIST, status);
    }
    const struct dedge *de = drawing_selected_edge(d);
    if (de == NULL) {
        drawing_list_windows(app, d);
        return UI_REDRAW;
    }
    const struct graph_edge *m = de->msg >= 0 ? &g->edges[de->msg] : NULL;
    if (m && (m->marks & PM_EDGE_OBSERVED))
        return edge_messages(app, m);
    if (m && (m->marks & PM_EDGE_STATIC))
        return graph_show_send_sites(app, m);
    ui_status(app, 0, "a frame edge: the sender embeds or opens %lld window%s "
              "of the receiver; Enter on a box lists its windows",
              (long long)g->edges[de->frame].count,
              g->edges[de->frame].count == 1 ? "" : "s");
    return UI_REDRAW;
}

static int
graph_activate(struct ui_app *app)
{
    struct graph *g = gstate(app);
    graph_load(app, g);
    if (!g->table)
        return graph_activate_drawing(app, g);
    struct graph_edge *e = graph_selected(app);
    if (e == NULL)
        return UI_HANDLED;
    if (!e->frame && !(e->marks & PM_EDGE_OBSERVED) &&
        (e->marks & PM_EDGE_STATIC))
        return graph_show_send_sites(app, e);
    return edge_messages(app, e);
}

static int
graph_subject(struct ui_app *app, struct ui_subject *out)
{
    struct graph_edge *e = graph_selected(app);
    if (e == NULL || e->frame || e->from_id <= 0 || e->to_id <= 0)
        return 0;
    memset(out, 0, sizeof *out);
    out->kind = "edge";
    out->id = e->from_id;
    out->to_id = e->to_id;
    snprintf(out->title, sizeof out->title, "%s -> %s", e->from, e->to);
    return 1;
}

static struct ui_pager *
graph_pager(struct ui_app *app)
{
    return &gstate(app)->pager;
}

static int
graph_click(struct ui_app *app, int y, int x, int wheel)
{
    struct graph *g = gstate(app);
    if (!g->table) {
        if (wheel)
            return drawing_pan(&g->d, 3 * wheel, 0);
        return drawing_click(&g->d, y, x);
    }
    if (wheel)
        return pager_move(app, &g->pager, 3 * wheel);
    int row = y - g->top_y;
    int64_t first = g->pager.top == INT64_MIN ? 0 : g->pager.top;
    if (row >= 0 && first + row < g->n)
        g->pager.sel = row;
    return UI_REDRAW;
}

static int
graph_search(struct ui_app *app, const char *text, int dir)
{
    struct graph *g = gstate(app);
    graph_load(app, g);
    if (!g->table) {
        if (drawing_search(&g->d, text, dir))
            return UI_REDRAW;
        ui_status(app, 1, "no %s origin matches '%s'",
                  dir > 0 ? "later" : "earlier", text);
        return UI_REDRAW;
    }
    int64_t cur = (g->pager.top == INT64_MIN ? 0 : g->pager.top) + g->pager.sel;
    for (int64_t i = cur + dir; i >= 0 && i < g->n; i += dir) {
        const struct graph_edge *e = &g->edges[i];
        if ((e->from && strcasestr(e->from, text)) ||
            (e->to && strcasestr(e->to, text))) {
            int h = g->pager.height > 0 ? g->pager.height : 1;
            int64_t top = g->pager.top == INT64_MIN ? 0 : g->pager.top;
            if (i >= top && i < top + h) {
                g->pager.sel = (int)(i - top);
            } else {
                g->pager.top = i;
                g->pager.sel = 0;
            }
            return UI_REDRAW;
        }
    }
    ui_status(app, 1, "no %s edge matches '%s'", dir > 0 ? "later" : "earlier",
              text);
    return UI_REDRAW;
}

/* The movement keys pan the drawing; in the table they move the rows. */
static int
graph_pan(struct ui_app *app, int rows, int cols)
{
    struct graph *g = gstate(app);
    if (g->table)
        return UI_IGNORED;
    return drawing_pan(&g->d, rows, cols);
}

static int
graph_canvas(struct ui_app *app, int op)
{
    struct graph *g = gstate(app);
    struct drawing *d = &g->d;
    switch (op) {
    case UI_CANVAS_NEXT:
    case UI_CANVAS_PREV:
        if (g->table)
            return pager_move(app, &g->pager, op == UI_CANVAS_NEXT ? 1 : -1);
        return drawing_step(d, op == UI_CANVAS_NEXT ? 1 : -1);
    case UI_CANVAS_FIT:
        drawing_close_list(d);
        drawing_fit(d, g->table ? 1 : !d->fit);
        g->table = 0;
        ui_status(app, 0, "%s", d->fit ? "fitted to the window (origins shortened); z: whole origins"
                                       : "whole origins; z: fit to the window");
        return UI_REDRAW;
    case UI_CANVAS_TABLE:
        drawing_close_list(d);
        g->table = !g->table;
        ui_status(app, 0, "%s", g->table ? "the edges as a table; t: the drawing"
                                         : "the drawing; t: the table");
        return UI_REDRAW;
    case UI_CANVAS_CLOSE:
        if (!d->pop.open)
            return UI_HANDLED;
        drawing_close_list(d);
        return UI_REDRAW;
    default:
        return UI_IGNORED;
    }
}

const struct pm_screen pm_screen_graph = {
    .name = "Graph",
    .init = graph_init,
    .draw = graph_draw,
    .pager = graph_pager,
    .activate = graph_activate,
    .click = graph_click,
    .search = graph_search,
    .subject = graph_subject,
    .idle = graph_idle,
    .pan = graph_pan,
    .canvas = graph_canvas,
    .invalidate = graph_invalidate,
    .fini = graph_fini,
};
