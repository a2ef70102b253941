/*
 * graph_draw.c - view 2's drawing mode (see graph_draw.h): the boxes and
 * lines built from the edge list, their layout, the caption naming the
 * selection, panning, zoom to fit, selecting with Tab, the mouse or a
 * search, and the list of a box's windows.
 */
#include "graph_draw.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "draw.h"
#include "mem.h"
#include "store_query.h"
#include "store_ui.h"
#include "term_text.h"

/* Origins longer than this lose their middle in a box. */
#define GRAPH_LABEL_MAX 40
/* Windows a box's list shows. */
#define GRAPH_POPUP_MAX 200

static void
popup_close(struct popup *p)
{
    for (int i = 0; i < p->n; i++) {
        free(p->wins[i].kind);
        free(p->wins[i].url);
    }
    free(p->wins);
    memset(p, 0, sizeof *p);
}

/* Forget the drawing (not the selection's origins: a rebuild keeps it). */
void
drawing_clear(struct drawing *d)
{
    if (d->sel >= 0 && d->built) {
        d->keep = 1;
        d->keep_edge = d->sel_edge;
        if (d->sel_edge) {
            d->keep_from = d->nodes[d->edges[d->sel].from].id;
            d->keep_to = d->nodes[d->edges[d->sel].to].id;
        } else {
            d->keep_from = d->nodes[d->sel].id;
        }
    }
    popup_close(&d->pop);
    gl_layout_free(&d->lay);
    for (int v = 0; v < d->n_nodes; v++)
        free(d->nodes[v].short_label);
    free(d->nodes);
    free(d->edges);
    free(d->ein);
    free(d->label_w);
    free(d->pn);
    free(d->pe);
    free(d->order);
    d->nodes = NULL;
    d->edges = NULL;
    d->ein = NULL;
    d->label_w = NULL;
    d->pn = NULL;
    d->pe = NULL;
    d->order = NULL;
    d->n_nodes = d->n_edges = 0;
    d->built = d->laid = 0;
    d->sel = -1;
}

/* ---- the drawing's model ------------------------------------------------ */

static int
cmp_node_id(const void *a, const void *b)
{
    const struct dnode *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

static int
cmp_node_weight(const void *a, const void *b)
{
    const struct dnode *x = a, *y = b;
    if (x->weight != y->weight)
        return x->weight > y->weight ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

/* Boxes in the order of their origins' text (no origin first), then id. */
static int
cmp_node_text(const void *a, const void *b)
{
    const struct dnode *x = a, *y = b;
    int c = strcmp(x->origin ? x->origin : "", y->origin ? y->origin : "");
    return c ? c : (x->id > y->id) - (x->id < y->id);
}

static int
cmp_dedge_ends(const void *a, const void *b)
{
    const struct dedge *x = a, *y = b;
    if (x->from != y->from)
        return x->from - y->from;
    if (x->to != y->to)
        return x->to - y->to;
    return x->frame - y->frame;
}

static int
cmp_dedge_weight(const void *a, const void *b)
{
    const struct dedge *x = a, *y = b;
    if (x->weight != y->weight)
        return x->weight > y->weight ? -1 : 1;
    return cmp_dedge_ends(a, b);
}

/* Index of the drawn box of origin id, or -1 (nodes sorted by id in byid). */
static int
node_of(const struct dnode *byid, const int *index, int n, int64_t id)
{
    struct dnode key = {.id = id};
    const struct dnode *f = bsearch(&key, byid, (size_t)n, sizeof *byid,
                                    cmp_node_id);
    return f ? index[f - byid] : -1;
}

static int64_t
edge_weight(const struct graph_edge *e)
{
    return e->count + e->sends + 1;
}

/* "5* o/f": the count of the first mark, '*', the marks. */
static void
dedge_label(const struct graph_edges *ge, const struct dedge *de, int reserve_star,
            char *out, size_t n)
{
    const struct graph_edge *m = de->msg >= 0 ? &ge->rows[de->msg] : NULL;
    const struct graph_edge *f = de->frame >= 0 ? &ge->rows[de->frame] : NULL;
    int obs = m && (m->marks & PM_EDGE_OBSERVED);
    int sta = m && (m->marks & PM_EDGE_STATIC);
    int64_t count = obs ? m->count : sta ? m->sends : f ? f->count : 0;
    int star = reserve_star ? m != NULL
                            : m && m->wildcard + m->sends_wildcard > 0;
    char marks[8] = "";
    if (obs)
        strcat(marks, "o");
    if (sta)
        strcat(marks, marks[0] ? "/s" : "s");
    if (f)
        strcat(marks, marks[0] ? "/f" : "f");
    snprintf(out, n, "%lld%s %s", (long long)count, star ? "*" : "", marks);
}

/* Columns of an origin as a box shows it ("https://" left out). */
static int
origin_cols(struct ui_app *app, const char *origin)
{
    if (origin == NULL || origin[0] == '\0')
        return 1;
    if (strncmp(origin, "https://", 8) == 0 && origin[8])
        origin += 8;
    size_t w = term_text_width(origin, strlen(origin), app->tt_flags);
    return w > GRAPH_LABEL_MAX ? GRAPH_LABEL_MAX : (int)w;
}

/*
 * What a box shows when the picture is fitted to the window: the first
 * name of the host and the port ("widget-1" for
 * https://widget-1.partner.example, "localhost:8102"), a numeric host
 * whole.
 */
static char *
short_label(const char *origin)
{
    if (origin == NULL)
        return xstrdup("?");
    const char *h = strstr(origin, "://");
    h = h ? h + 3 : origin;
    size_t host_len = strcspn(h, ":/");
    const char *port = h[host_len] == ':' ? h + host_len : "";
    size_t port_len = strcspn(port, "/");
    size_t keep = host_len;
    if (strspn(h, "0123456789.") < host_len && h[0] != '[') {
        size_t dot = strcspn(h, ".");
        if (dot > 0 && dot < host_len)
            keep = dot;
    }
    char *out = xmalloc(keep + port_len + 1);
    memcpy(out, h, keep);
    memcpy(out + keep, port, port_len);
    out[keep + port_len] = '\0';
    return out;
}

/* The boxes: every origin of an edge, the heaviest GRAPH_DRAW_NODES kept. */
static void
build_nodes(struct ui_app *app, const struct graph_edges *ge, struct drawing *d)
{
    struct dnode *all = xcalloc((size_t)ge->n * 2 + 1, sizeof *all);
    int n = 0;
    for (int i = 0; i < ge->n; i++) {
        int64_t w = edge_weight(&ge->rows[i]);
        all[n++] = (struct dnode){.id = ge->rows[i].from_id,
                                  .origin = ge->rows[i].from, .weight = w};
        all[n++] = (struct dnode){.id = ge->rows[i].to_id,
                                  .origin = ge->rows[i].to, .weight = w};
    }
    qsort(all, (size_t)n, sizeof *all, cmp_node_id);
    int u = 0;
    for (int i = 0; i < n; i++) {
        if (u > 0 && all[u - 1].id == all[i].id)
            all[u - 1].weight += all[i].weight;
        else
            all[u++] = all[i];
    }
    d->n_origins = u;
    if (u > GRAPH_DRAW_NODES) {
        qsort(all, (size_t)u, sizeof *all, cmp_node_weight);
        u = GRAPH_DRAW_NODES;
    }
    qsort(all, (size_t)u, sizeof *all, cmp_node_text);
    for (int i = 0; i < u; i++) {
        all[i].full_w = origin_cols(app, all[i].origin);
        all[i].short_label = short_label(all[i].origin);
        all[i].short_w = (int)term_text_width(all[i].short_label,
                                              strlen(all[i].short_label),
                                              app->tt_flags);
    }
    d->nodes = all;
    d->n_nodes = u;
}

/* The lines: one per ordered pair of drawn boxes, message and frame rows
 * merged, the heaviest GRAPH_DRAW_EDGES kept. */
static void
build_edges(const struct graph_edges *ge, struct drawing *d)
{
    struct dnode *byid = xcalloc((size_t)d->n_nodes + 1, sizeof *byid);
    int *index = xcalloc((size_t)d->n_nodes + 1, sizeof *index);
    memcpy(byid, d->nodes, (size_t)d->n_nodes * sizeof *byid);
    for (int i = 0; i < d->n_nodes; i++)
        byid[i].weight = i;
    qsort(byid, (size_t)d->n_nodes, sizeof *byid, cmp_node_id);
    for (int i = 0; i < d->n_nodes; i++)
        index[i] = (int)byid[i].weight;
    struct dedge *all = xcalloc((size_t)ge->n + 1, sizeof *all);
    int n = 0;
    for (int i = 0; i < ge->n; i++) {
        int a = node_of(byid, index, d->n_nodes, ge->rows[i].from_id);
        int b = node_of(byid, index, d->n_nodes, ge->rows[i].to_id);
        if (a >= 0 && b >= 0)
            all[n++] = (struct dedge){a, b, ge->rows[i].frame ? -1 : i,
                                      ge->rows[i].frame ? i : 0,
                                      edge_weight(&ge->rows[i])};
    }
    free(byid);
    free(index);
    /* Sort by ends (frame rows after message rows), then merge pairs. */
    for (int i = 0; i < n; i++)
        if (all[i].msg >= 0)
            all[i].frame = -1;
    qsort(all, (size_t)n, sizeof *all, cmp_dedge_ends);
    int u = 0;
    for (int i = 0; i < n; i++) {
        struct dedge *p = u ? &all[u - 1] : NULL;
        if (p && p->from == all[i].from && p->to == all[i].to) {
            if (all[i].msg >= 0 && p->msg < 0)
                p->msg = all[i].msg;
            if (all[i].frame >= 0 && p->frame < 0)
                p->frame = all[i].frame;
            p->weight += all[i].weight;
        } else {
            all[u++] = all[i];
        }
    }
    d->n_pairs = u;
    if (u > GRAPH_DRAW_EDGES) {
        qsort(all, (size_t)u, sizeof *all, cmp_dedge_weight);
        u = GRAPH_DRAW_EDGES;
        qsort(all, (size_t)u, sizeof *all, cmp_dedge_ends);
    }
    d->edges = all;
    d->n_edges = u;
}

static void
drawing_build(struct ui_app *app, const struct graph_edges *ge,
              struct drawing *d)
{
    if (d->built)
        return;
    build_nodes(app, ge, d);
    build_edges(ge, d);
    d->ein = xcalloc((size_t)d->n_edges + 1, sizeof *d->ein);
    d->pe = xcalloc((size_t)d->n_edges + 1, sizeof *d->pe);
    d->label_w = xcalloc((size_t)d->n_nodes + 1, sizeof *d->label_w);
    d->pn = xcalloc((size_t)d->n_nodes + 1, sizeof *d->pn);
    d->order = xcalloc((size_t)(d->n_nodes + d->n_edges) + 1, sizeof *d->order);
    for (int v = 0; v < d->n_nodes; v++)
        d->pn[v].origin = d->nodes[v].origin;
    for (int i = 0; i < d->n_edges; i++) {
        const struct dedge *de = &d->edges[i];
        char label[40];
        dedge_label(ge, de, 1, label, sizeof label);
        d->ein[i] = (struct gl_edge_in){de->from, de->to, de->frame >= 0,
                                        (int)strlen(label)};
    }
    d->built = 1;
    d->laid = 0;
    d->sel = -1;
    if (d->keep) {
        for (int i = 0; d->keep_edge && i < d->n_edges; i++)
            if (d->nodes[d->edges[i].from].id == d->keep_from &&
                d->nodes[d->edges[i].to].id == d->keep_to)
                d->sel = i;
        for (int v = 0; !d->keep_edge && v < d->n_nodes; v++)
            if (d->nodes[v].id == d->keep_from)
                d->sel = v;
        d->sel_edge = d->sel >= 0 && d->keep_edge;
        d->keep = 0;
    }
    if (d->sel < 0 && d->n_nodes > 0) {
        d->sel_edge = 0;
        d->sel = -2; /* the first box in selection order, once laid out */
    }
}

/* Boxes top-down and left to right, then the edges: what Tab walks. */
static void
order_selection(struct drawing *d)
{
    int n = 0;
    for (int v = 0; v < d->n_nodes; v++)
        d->order[n++] = v;
    /* insertion sort by (y, x): the drawing has at most GRAPH_DRAW_NODES */
    for (int i = 1; i < n; i++) {
        int v = d->order[i], j = i;
        const struct gl_box *b = &d->lay.boxes[v];
        while (j > 0) {
            const struct gl_box *a = &d->lay.boxes[d->order[j - 1]];
            if (a->y < b->y || (a->y == b->y && a->x <= b->x))
                break;
            d->order[j] = d->order[j - 1];
            j--;
        }
        d->order[j] = v;
    }
    for (int i = 0; i < d->n_edges; i++)
        d->order[n++] = d->n_nodes + i;
}

static void
clamp_pan(struct drawing *d)
{
    int mx = d->lay.width - d->region.w, my = d->lay.height - d->region.h;
    if (d->ox > mx)
        d->ox = mx;
    if (d->oy > my)
        d->oy = my;
    if (d->ox < 0)
        d->ox = 0;
    if (d->oy < 0)
        d->oy = 0;
}

/* Pan so the rectangle [x, x+w) x [y, y+h) of the picture shows. */
static void
show_rect(struct drawing *d, int x, int y, int w, int h)
{
    if (x + w > d->ox + d->region.w)
        d->ox = x + w - d->region.w;
    if (x < d->ox)
        d->ox = x;
    if (y + h > d->oy + d->region.h)
        d->oy = y + h - d->region.h;
    if (y < d->oy)
        d->oy = y;
    clamp_pan(d);
}

static void
show_selection(struct drawing *d)
{
    if (d->sel < 0 || !d->laid)
        return;
    if (d->sel_edge) {
        const struct gl_route *r = &d->lay.routes[d->sel];
        show_rect(d, r->label.x - 1, r->label.y - 1, d->ein[d->sel].label_w + 2, 3);
    } else {
        const struct gl_box *b = &d->lay.boxes[d->sel];
        show_rect(d, b->x, b->y, b->w, b->h);
    }
}

/* Zoom to fit tries whole origins, then short labels this wide at most,
 * and boxes closer together. */
static const struct {
    int label, gap;
} fit_steps[] = {{GRAPH_LABEL_MAX, 4}, {24, 4}, {16, 3}, {12, 2}, {9, 1},
                 {6, 1}, {3, 1}};

static void
drawing_layout(struct drawing *d, int w, int h)
{
    if (d->laid && (!d->fit || (d->lay_w == w && d->lay_h == h)))
        return;
    gl_layout_free(&d->lay);
    int steps = d->fit ? (int)(sizeof fit_steps / sizeof fit_steps[0]) : 1;
    for (int s = 0; s < steps; s++) {
        for (int v = 0; v < d->n_nodes; v++) {
            int want = s == 0 ? d->nodes[v].full_w : d->nodes[v].short_w;
            d->label_w[v] = want < fit_steps[s].label ? want : fit_steps[s].label;
            d->pn[v].label = s == 0 ? NULL : d->nodes[v].short_label;
        }
        if (s > 0)
            gl_layout_free(&d->lay);
        gl_layout(d->label_w, d->n_nodes, d->ein, d->n_edges, fit_steps[s].gap,
                  &d->lay);
        if (d->lay.width <= w && d->lay.height <= h)
            break;
    }
    d->laid = 1;
    d->lay_w = w;
    d->lay_h = h;
    order_selection(d);
    if (d->sel == -2)
        d->sel = d->n_nodes > 0 ? d->order[0] : -1;
    show_selection(d);
}

/* ---- the drawing on screen ---------------------------------------------- */

/* One line above the picture: what is selected, and the legend. */
static void
draw_caption(struct ui_app *app, const struct graph_edges *ge,
             struct drawing *d, int y)
{
    int w = app->cols;
    int head = draw_attr(app, UI_ROLE_HEADING);
    draw_fill(y, 0, w, A_NORMAL);
    const char *legend = ge->wild_pending
                             ? "  o observed s static f frame *~ to '*'"
                             : "  o observed s static f frame * to '*'";
    int lw = (int)strlen(legend);
    int room = w - 1 - (w >= 100 ? lw : 0);
    int x = 1;
    if (d->sel >= 0 && d->sel_edge) {
        const struct dedge *de = &d->edges[d->sel];
        x += draw_origin(app, y, x, (room - x) / 3, d->nodes[de->from].origin,
                         head, TT_ELLIPSIS);
        x += draw_label(y, x, room - x, " -> ", head);
        x += draw_origin(app, y, x, (room - x) / 2, d->nodes[de->to].origin,
                         head, TT_ELLIPSIS);
        char info[160] = "";
        size_t k = 0;
        const struct graph_edge *m = de->msg >= 0 ? &ge->rows[de->msg] : NULL;
        if (m && (m->marks & PM_EDGE_OBSERVED))
            k += (size_t)snprintf(info + k, sizeof info - k, " %lld msgs",
                                  (long long)m->count);
        if (m && m->wildcard && k < sizeof info)
            k += (size_t)snprintf(info + k, sizeof info - k, " (%lld to '*')",
                                  (long long)m->wildcard);
        if (m && (m->marks & PM_EDGE_STATIC) && k < sizeof info)
            k += (size_t)snprintf(info + k, sizeof info - k, " %lld send sites",
                                  (long long)m->sends);
        if (de->frame >= 0 && k < sizeof info)
            k += (size_t)snprintf(info + k, sizeof info - k, " embeds %lld",
                                  (long long)ge->rows[de->frame].count);
        if (m && m->accepted + m->rejected + m->unknown > 0 && k < sizeof info)
            snprintf(info + k, sizeof info - k,
                     "; listeners: %lld accept, %lld reject, %lld unknown",
                     (long long)m->accepted, (long long)m->rejected,
                     (long long)m->unknown);
        draw_label(y, x, room - x, info, A_NORMAL);
    } else if (d->sel >= 0) {
        x += draw_origin(app, y, x, room - x - 20, d->nodes[d->sel].origin, head,
                         TT_ELLIPSIS);
        draw_label(y, x, room - x, "  Enter: its windows", A_DIM);
    }
    if (w >= 100)
        draw_label(y, w - lw - 1, lw, legend, A_DIM);
}

static void
draw_popup(struct ui_app *app, struct drawing *d)
{
    struct popup *p = &d->pop;
    const struct gp_region *r = &d->region;
    int w = r->w - 4 < 100 ? r->w - 4 : 100;
    int h = p->n + 2 + (p->more ? 1 : 0);
    if (h > r->h)
        h = r->h;
    if (h < 3 || w < 20)
        return;
    int y = r->y + (r->h - h) / 2, x = r->x + (r->w - w) / 2;
    for (int i = 0; i < h; i++)
        draw_fill(y + i, x, w, A_NORMAL);
    draw_box(app, y, x, h, w, "", 1);
    int tx = x + 2;
    tx += draw_label(y, tx, w - 4, " windows of ", A_BOLD);
    draw_origin(app, y, tx, x + w - 3 - tx, d->nodes[p->node].origin, A_BOLD,
                TT_ELLIPSIS);
    int rows = h - 2 - (p->more ? 1 : 0);
    if (p->sel < p->top)
        p->top = p->sel;
    if (p->sel >= p->top + rows)
        p->top = p->sel - rows + 1;
    for (int i = 0; i < rows && p->top + i < p->n; i++) {
        const struct popup_win *pw = &p->wins[p->top + i];
        int sel = p->top + i == p->sel;
        int base = sel ? draw_attr(app, UI_ROLE_SEL) : A_NORMAL;
        int yy = y + 1 + i;
        draw_fill(yy, x + 1, w - 2, base);
        char id[48];
        snprintf(id, sizeof id, " #%lld %-6s ", (long long)pw->id,
                 pw->kind ? pw->kind : "?");
        int used = draw_label(yy, x + 1, w - 2, id, base);
        draw_text(app, yy, x + 1 + used, w - 3 - used, pw->url ? pw->url : "",
                  base, TT_ELLIPSIS);
    }
    if (p->more)
        draw_label(y + h - 2, x + 2, w - 4, "(more windows: view 3 lists all)",
                   A_DIM);
}

void
drawing_draw(struct ui_app *app, const struct graph_edges *ge,
             struct drawing *d, int top, int height)
{
    drawing_build(app, ge, d);
    d->region = (struct gp_region){top + 1, 0, height - 1, app->cols, 0, 0};
    drawing_layout(d, d->region.w, d->region.h);
    clamp_pan(d);
    d->region.oy = d->oy;
    d->region.ox = d->ox;
    draw_caption(app, ge, d, top);
    if (d->n_nodes == 0) {
        draw_label(top + 2, 2, app->cols - 2, "no messages or frames yet",
                   A_DIM);
        return;
    }
    for (int i = 0; i < d->n_edges; i++) {
        const struct dedge *de = &d->edges[i];
        const struct graph_edge *m = de->msg >= 0 ? &ge->rows[de->msg] : NULL;
        struct gp_edge *pe = &d->pe[i];
        dedge_label(ge, de, 0, pe->label, sizeof pe->label);
        pe->frame_only = m == NULL;
        pe->static_only = m && !(m->marks & PM_EDGE_OBSERVED);
        pe->wildcard = m && m->wildcard + m->sends_wildcard > 0;
    }
    graph_paint(app, &d->lay, d->pn, d->pe, d->sel_edge ? -1 : d->sel,
                d->sel_edge ? d->sel : -1, &d->region);
    /* What the picture leaves out, bottom right. */
    char cut[96] = "";
    if (d->n_origins > d->n_nodes || d->n_pairs > d->n_edges)
        snprintf(cut, sizeof cut, " %d of %d origins, %d of %d edges drawn; t: all ",
                 d->n_nodes, d->n_origins, d->n_edges, d->n_pairs);
    else if (d->lay.width > d->region.w || d->lay.height > d->region.h)
        snprintf(cut, sizeof cut, " %s; z: fit ",
                 d->fit ? "still larger than the window" : "more: h j k l pan");
    if (cut[0]) {
        int cw = (int)strlen(cut);
        draw_label(top + height - 1, app->cols - cw > 0 ? app->cols - cw : 0,
                   app->cols, cut, A_REVERSE);
    }
    if (d->pop.open)
        draw_popup(app, d);
}

void
drawing_free(struct drawing *d)
{
    d->built = 0;
    drawing_clear(d);
}

/* ---- what the keys and the mouse do ------------------------------------ */

int
drawing_pan(struct drawing *d, int rows, int cols)
{
    struct popup *p = &d->pop;
    if (p->open) {
        p->sel += rows;
        if (p->sel >= p->n)
            p->sel = p->n - 1;
        if (p->sel < 0)
            p->sel = 0;
        return UI_REDRAW;
    }
    /* Large steps (Home, End) stay clear of overflow. */
    if (rows > 100000)
        rows = 100000;
    if (rows < -100000)
        rows = -100000;
    if (cols > 100000)
        cols = 100000;
    if (cols < -100000)
        cols = -100000;
    d->oy += rows;
    d->ox += cols;
    clamp_pan(d);
    return UI_REDRAW;
}

int
drawing_step(struct drawing *d, int dir)
{
    if (d->pop.open)
        return drawing_pan(d, dir, 0);
    int n = d->n_nodes + d->n_edges;
    if (!d->laid || n == 0)
        return UI_HANDLED;
    int cur = -1;
    for (int i = 0; i < n && d->sel >= 0; i++)
        if (d->order[i] == (d->sel_edge ? d->n_nodes + d->sel : d->sel))
            cur = i;
    int next = cur < 0 ? (dir > 0 ? 0 : n - 1) : (cur + dir + n) % n;
    int k = d->order[next];
    d->sel_edge = k >= d->n_nodes;
    d->sel = d->sel_edge ? k - d->n_nodes : k;
    show_selection(d);
    return UI_REDRAW;
}

void
drawing_fit(struct drawing *d, int on)
{
    d->fit = on;
    d->laid = 0;
    d->ox = d->oy = 0;
}

int
drawing_click(struct drawing *d, int y, int x)
{
    if (!d->laid || d->pop.open)
        return UI_HANDLED;
    const struct gp_region *r = &d->region;
    if (y < r->y || y >= r->y + r->h || x < r->x || x >= r->x + r->w)
        return UI_HANDLED;
    int is_edge = 0;
    int hit = gl_hit(&d->lay, d->ein, x - r->x + d->ox, y - r->y + d->oy,
                     &is_edge);
    if (hit < 0)
        return UI_HANDLED;
    d->sel = hit;
    d->sel_edge = is_edge;
    return UI_REDRAW;
}

int
drawing_search(struct drawing *d, const char *text, int dir)
{
    if (!d->laid || d->n_nodes == 0)
        return 0;
    int cur = -1;
    for (int i = 0; i < d->n_nodes && !d->sel_edge && d->sel >= 0; i++)
        if (d->order[i] == d->sel)
            cur = i;
    for (int k = 1; k <= d->n_nodes; k++) {
        int i = cur < 0 ? (dir > 0 ? k - 1 : d->n_nodes - k)
                        : cur + dir * k;
        if (i < 0 || i >= d->n_nodes)
            break;
        const char *o = d->nodes[d->order[i]].origin;
        if (o && strcasestr(o, text)) {
            d->sel = d->order[i];
            d->sel_edge = 0;
            show_selection(d);
            return 1;
        }
    }
    return 0;
}

const struct dedge *
drawing_selected_edge(const struct drawing *d)
{
    return d->sel >= 0 && d->sel_edge && d->sel < d->n_edges
               ? &d->edges[d->sel] : NULL;
}

struct popup_load {
    struct popup *p;
    int cap;
};

static int
popup_row(const struct pm_window_row *w, void *ctx)
{
    struct popup_load *l = ctx;
    struct popup *p = l->p;
    if (p->n >= l->cap) {
        p->more = 1;
        return 1;
    }
    p->wins[p->n++] = (struct popup_win){w->id, xstrdup0(w->kind),
                                         xstrdup0(w->url)};
    return 0;
}

void
drawing_list_windows(struct ui_app *app, struct drawing *d)
{
    if (d->sel < 0 || d->sel_edge)
        return;
    drawing_close_list(d);
    struct popup *p = &d->pop;
    p->wins = xcalloc(GRAPH_POPUP_MAX, sizeof *p->wins);
    p->node = d->sel;
    struct popup_load l = {p, GRAPH_POPUP_MAX};
    struct pm_err err = PM_ERR_INIT;
    if (store_ui_origin_windows(app->st, d->nodes[d->sel].id,
                                GRAPH_POPUP_MAX + 1, popup_row, &l,
                                &err) != PM_OK) {
        ui_status(app, 1, "%s", err.msg);
        drawing_close_list(d);
        return;
    }
    if (p->n == 0) {
        ui_status(app, 0, "no window shows this origin now (it was navigated away from)");
        drawing_close_list(d);
        return;
    }
    p->open = 1;
    ui_status(app, 0, "Enter: the messages of a window; Esc: close the list");
}

void
drawing_close_list(struct drawing *d)
{
    popup_close(&d->pop);
}
