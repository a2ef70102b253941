/*
 * graph_layout.c - layers, box positions and edge routes of view 2's
 * drawing (see graph_layout.h).  Every step ends whatever the edges:
 * layering places a node once (a loop of edges cannot bring it back),
 * ordering runs a fixed number of sweeps over the layers, routing packs
 * the horizontal segments of each gap once.
 */
#include "graph_layout.h"

#include <stdlib.h>
#include <string.h>

#include "mem.h"

#define BOX_H 3
#define SWEEPS 4      /* barycenter passes ordering the layers */

enum side { SIDE_TOP, SIDE_BOTTOM };

/* How an edge runs, from the layers of its ends. */
struct edge_way {
    int down;       /* target in a lower layer */
    int up;         /* target in a higher layer */
    int bypass;     /* skips a layer: runs down the bypass column */
    enum side src_side, dst_side;
    int xs, xt, bx; /* port columns and bypass column */
};

struct port {
    int edge, node, is_src;
    double key;     /* where the other end is: ports are sorted by it */
};

struct seg {
    int edge, first; /* first: the segment in the source's gap (has the label) */
    int gap, lo, hi, row;
};

struct ctx {
    const int *label_w;
    int n, m;
    const struct gl_edge_in *e;
    int *layer, *pos;   /* layer of a node, its place in the layer */
    int **layers;       /* nodes of each layer in order */
    int *layer_n;
    int n_layers;
    struct edge_way *way;
};

static int
valid_edge(const struct ctx *c, int i)
{
    return c->e[i].from >= 0 && c->e[i].from < c->n && c->e[i].to >= 0 &&
           c->e[i].to < c->n;
}

/* ---- layers ------------------------------------------------------------- */

/* Place v at layer l, at the end of the placement order. */
static void
place(struct ctx *c, int *order, int *n_order, int v, int l)
{
    c->layer[v] = l;
    order[(*n_order)++] = v;
}

/* Place the unplaced ends of u's edges of one kind one layer below u. */
static void
expand(struct ctx *c, const int *out_start, const int *out_edges, int u,
       int frame, int *order, int *n_order)
{
    for (int k = out_start[u]; k < out_start[u + 1]; k++) {
        const struct gl_edge_in *e = &c->e[out_edges[k]];
        if (!e->frame != !frame || c->layer[e->to] >= 0)
            continue;
        place(c, order, n_order, e->to, c->layer[u] + 1);
    }
}

/*
 * A new root when what is placed reaches no more: the first unplaced node
 * nothing unplaced points at, else (every one is on a loop) the first
 * unplaced node with the most edges out.
 */
static int
pick_root(struct ctx *c, const int *out_start)
{
    int *in = xcalloc((size_t)c->n, sizeof *in);
    for (int i = 0; i < c->m; i++)
        if (valid_edge(c, i) && c->e[i].from != c->e[i].to &&
            c->layer[c->e[i].from] < 0)
            in[c->e[i].to]++;
    int best = -1, best_out = -1;
    for (int v = 0; v < c->n; v++) {
        if (c->layer[v] >= 0)
            continue;
        if (in[v] == 0) {
            best = v;
            break;
        }
        int out = out_start[v + 1] - out_start[v];
        if (out > best_out) {
            best = v;
            best_out = out;
        }
    }
    free(in);
    return best;
}

static void
assign_layers(struct ctx *c)
{
    int *out_start = xcalloc((size_t)c->n + 1, sizeof *out_start);
    int *out_edges = xcalloc((size_t)c->m + 1, sizeof *out_edges);
    int *order = xcalloc((size_t)c->n + 1, sizeof *order);
    int *frame_in = xcalloc((size_t)c->n + 1, sizeof *frame_in);
    for (int i = 0; i < c->m; i++)
        if (valid_edge(c, i))
            out_start[c->e[i].from + 1]++;
    for (int v = 0; v < c->n; v++)
        out_start[v + 1] += out_start[v];
    int *fill = xcalloc((size_t)c->n + 1, sizeof *fill);
    for (int i = 0; i < c->m; i++) {
        if (!valid_edge(c, i))
            continue;
        int u = c->e[i].from;
        out_edges[out_start[u] + fill[u]++] = i;
        if (c->e[i].frame && c->e[i].to != u)
            frame_in[c->e[i].to]++;
    }
    free(fill);
    for (int v = 0; v < c->n; v++)
        c->layer[v] = -1;
    int n_order = 0, fpos = 0, mpos = 0;
    /* Origins that embed or open others and are embedded by none. */
    for (int v = 0; v < c->n; v++) {
        int embeds = 0;
        for (int k = out_start[v]; k < out_start[v + 1]; k++)
            embeds |= c->e[out_edges[k]].frame && c->e[out_edges[k]].to != v;
        if (embeds && frame_in[v] == 0)
            place(c, order, &n_order, v, 0);
    }
    while (n_order < c->n || fpos < n_order || mpos < n_order) {
        if (fpos < n_order) {
            expand(c, out_start, out_edges, order[fpos++], 1, order, &n_order);
        } else if (mpos < n_order) {
            expand(c, out_start, out_edges, order[mpos++], 0, order, &n_order);
        } else {
            place(c, order, &n_order, pick_root(c, out_start), 0);
        }
    }
    c->n_layers = 0;
    for (int v = 0; v < c->n; v++)
        if (c->layer[v] + 1 > c->n_layers)
            c->n_layers = c->layer[v] + 1;
    c->layer_n = xcalloc((size_t)c->n_layers + 1, sizeof *c->layer_n);
    c->layers = xcalloc((size_t)c->n_layers + 1, sizeof *c->layers);
    for (int l = 0; l < c->n_layers; l++)
        c->layers[l] = xcalloc((size_t)c->n, sizeof **c->layers);
    /* Within a layer, first in placement order. */
    for (int k = 0; k < n_order; k++) {
        int v = order[k], l = c->layer[v];
        c->pos[v] = c->layer_n[l];
        c->layers[l][c->layer_n[l]++] = v;
    }
    free(out_start);
    free(out_edges);
    free(order);
    free(frame_in);
}

/* ---- order within layers ------------------------------------------------ */

struct keyed {
    int node;
    double key;
    int pos;
};

static int
keyed_cmp(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->pos - y->pos;
}

/* Order layer l by the mean place of its neighbours in layer ref. */
static void
sweep_layer(struct ctx *c, int l, int ref, struct keyed *tmp, double *sum,
            int *cnt)
{
    for (int k = 0; k < c->layer_n[l]; k++) {
        sum[c->layers[l][k]] = 0;
        cnt[c->layers[l][k]] = 0;
    }
    for (int i = 0; i < c->m; i++) {
        if (!valid_edge(c, i))
            continue;
        int a = c->e[i].from, b = c->e[i].to;
        if (c->layer[a] == l && c->layer[b] == ref) {
            sum[a] += c->pos[b];
            cnt[a]++;
        } else if (c->layer[b] == l && c->layer[a] == ref) {
            sum[b] += c->pos[a];
            cnt[b]++;
        }
    }
    for (int k = 0; k < c->layer_n[l]; k++) {
        int v = c->layers[l][k];
        tmp[k].node = v;
        tmp[k].pos = k;
        tmp[k].key = cnt[v] ? sum[v] / cnt[v] : k;
    }
    qsort(tmp, (size_t)c->layer_n[l], sizeof *tmp, keyed_cmp);
    for (int k = 0; k < c->layer_n[l]; k++) {
        c->layers[l][k] = tmp[k].node;
        c->pos[tmp[k].node] = k;
    }
}

static void
order_layers(struct ctx *c)
{
    struct keyed *tmp = xcalloc((size_t)c->n + 1, sizeof *tmp);
    double *sum = xcalloc((size_t)c->n + 1, sizeof *sum);
    int *cnt = xcalloc((size_t)c->n + 1, sizeof *cnt);
    for (int s = 0; s < SWEEPS; s++) {
        if (s % 2 == 0)
            for (int l = 1; l < c->n_layers; l++)
                sweep_layer(c, l, l - 1, tmp, sum, cnt);
        else
            for (int l = c->n_layers - 2; l >= 0; l--)
                sweep_layer(c, l, l + 1, tmp, sum, cnt);
    }
    free(tmp);
    free(sum);
    free(cnt);
}

/* ---- boxes and ports ---------------------------------------------------- */

static int
port_cmp(const void *a, const void *b)
{
    const struct port *x = a, *y = b;
    if (x->node != y->node)
        return x->node - y->node;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    if (x->edge != y->edge)
        return x->edge - y->edge;
    return y->is_src - x->is_src;
}

static int
box_center(const struct gl_box *b)
{
    return b->x + b->w / 2;
}

/*
 * Give the ports of one side of every box their columns: spread over the
 * box's inner columns of the side's parity (bottom even, top odd), in the
 * order of where their other ends are.
 */
static void
place_ports(struct ctx *c, struct gl_box *boxes, enum side side, int far_right)
{
    struct port *p = xcalloc((size_t)c->m * 2 + 1, sizeof *p);
    int np = 0;
    for (int i = 0; i < c->m; i++) {
        if (!valid_edge(c, i))
            continue;
        const struct edge_way *w = &c->way[i];
        int a = c->e[i].from, b = c->e[i].to;
        if (w->src_side == side)
            p[np++] = (struct port){i, a, 1,
                                    w->bypass ? far_right : box_center(&boxes[b])};
        if (w->dst_side == side)
            p[np++] = (struct port){i, b, 0,
                                    w->bypass ? far_right : box_center(&boxes[a])};
    }
    qsort(p, (size_t)np, sizeof *p, port_cmp);
    int parity = side == SIDE_BOTTOM ? 0 : 1;
    for (int s = 0; s < np;) {
        int node = p[s].node, k = 0;
        while (s + k < np && p[s + k].node == node)
            k++;
        const struct gl_box *bx = &boxes[node];
        int first = bx->x + 1;
        if ((first & 1) != parity)
            first++;
        int slots = (bx->x + bx->w - 2 - first) / 2 + 1;
        for (int j = 0; j < k; j++) {
            int slot = (int)((2L * j + 1) * slots / (2L * k));
            int x = first + 2 * slot;
            if (p[s + j].is_src)
                c->way[p[s + j].edge].xs = x;
            else
                c->way[p[s + j].edge].xt = x;
        }
        s += k;
    }
    free(p);
}

/* ---- gaps and routes ---------------------------------------------------- */

static int
seg_cmp(const void *a, const void *b)
{
    const struct seg *x = a, *y = b;
    if (x->gap != y->gap)
        return x->gap - y->gap;
    if (x->lo != y->lo)
        return x->lo - y->lo;
    return x->edge - y->edge;
}

static void
add_seg(struct seg *s, int *ns, int edge, int first, int gap, int x1, int x2)
{
    s[*ns] = (struct seg){edge, first, gap, x1 < x2 ? x1 : x2,
                          x1 < x2 ? x2 : x1, 0};
    (*ns)++;
}

static void
route_edges(struct ctx *c, struct gl_layout *out)
{
    struct seg *segs = xcalloc((size_t)c->m * 2 + 1, sizeof *segs);
    int ns = 0;
    for (int i = 0; i < c->m; i++) {
        if (!valid_edge(c, i))
            continue;
        const struct edge_way *w = &c->way[i];
        int la = c->layer[c->e[i].from], lb = c->layer[c->e[i].to];
        if (!w->bypass) {
            add_seg(segs, &ns, i, 1, w->up ? lb : la, w->xs, w->xt);
        } else if (w->down) {
            add_seg(segs, &ns, i, 1, la, w->xs, w->bx);
            add_seg(segs, &ns, i, 0, lb - 1, w->bx, w->xt);
        } else {
            add_seg(segs, &ns, i, 1, la - 1, w->xs, w->bx);
            add_seg(segs, &ns, i, 0, lb, w->bx, w->xt);
        }
    }
    /* The label goes on the source's segment: inside it when it is long
     * enough, else right of its end (the segment then takes that room). */
    for (int k = 0; k < ns; k++) {
        struct seg *s = &segs[k];
        if (!s->first)
            continue;
        int lw = c->e[s->edge].label_w;
        struct gl_point *lab = &out->routes[s->edge].label;
        if (s->hi - s->lo - 1 >= lw + 2) {
            lab->x = s->lo + 2;
        } else {
            lab->x = s->hi + 2;
            s->hi = s->hi + 1 + lw;
        }
    }
    qsort(segs, (size_t)ns, sizeof *segs, seg_cmp);
    /* First-fit rows per gap: a segment shares a row with those it clears. */
    int *rows = xcalloc((size_t)c->n_layers + 1, sizeof *rows);
    int *ends = xcalloc((size_t)ns + 1, sizeof *ends);
    for (int k = 0; k < ns;) {
        int g = segs[k].gap, nr = 0;
        for (; k < ns && segs[k].gap == g; k++) {
            int r = 0;
            while (r < nr && ends[r] >= segs[k].lo - 1)
                r++;
            if (r == nr)
                nr++;
            ends[r] = segs[k].hi;
            segs[k].row = r;
        }
        rows[g] = nr;
    }
    /* Layer rows: a gap holds its channel rows between two rows of ports. */
    int *ly = xcalloc((size_t)c->n_layers + 1, sizeof *ly);
    int y = 0;
    for (int l = 0; l < c->n_layers; l++) {
        ly[l] = y;
        int last = l == c->n_layers - 1;
        int gh = rows[l] ? rows[l] + (last ? 1 : 2) : (last ? 0 : 1);
        y += BOX_H + gh;
    }
    out->height = y;
    for (int v = 0; v < c->n; v++)
        out->boxes[v].y = ly[c->layer[v]];
    for (int k = 0; k < ns; k++) {
        const struct seg *s = &segs[k];
        int cy = ly[s->gap] + BOX_H + 1 + s->row;
        struct gl_route *r = &out->routes[s->edge];
        const struct edge_way *w = &c->way[s->edge];
        int la = c->layer[c->e[s->edge].from], lb = c->layer[c->e[s->edge].to];
        if (s->first) {
            r->label.y = cy;
            r->pt[0] = (struct gl_point){w->xs, w->src_side == SIDE_BOTTOM
                                                    ? ly[la] + BOX_H - 1
                                                    : ly[la]};
            r->pt[1] = (struct gl_point){w->xs, cy};
        }
        if (!w->bypass) {
            r->pt[2] = (struct gl_point){w->xt, cy};
            r->n = 4;
        } else if (s->first) {
            r->pt[2] = (struct gl_point){w->bx, cy};
        } else {
            r->pt[3] = (struct gl_point){w->bx, cy};
            r->pt[4] = (struct gl_point){w->xt, cy};
            r->n = 6;
        }
        if (r->n)
            r->pt[r->n - 1] = (struct gl_point){
                w->xt, w->dst_side == SIDE_TOP ? ly[lb] - 1 : ly[lb] + BOX_H};
        if (s->hi + 2 > out->width)
            out->width = s->hi + 2;
    }
    free(ly);
    free(rows);
    free(ends);
    free(segs);
}

void
gl_layout(const int *label_w, int n_nodes, const struct gl_edge_in *edges,
          int n_edges, int box_gap, struct gl_layout *out)
{
    if (box_gap < 1)
        box_gap = 1;
    memset(out, 0, sizeof *out);
    out->n_nodes = n_nodes > 0 ? n_nodes : 0;
    out->n_edges = n_edges > 0 ? n_edges : 0;
    out->boxes = xcalloc((size_t)out->n_nodes + 1, sizeof *out->boxes);
    out->routes = xcalloc((size_t)out->n_edges + 1, sizeof *out->routes);
    if (out->n_nodes == 0)
        return;
    struct ctx c = {label_w, out->n_nodes, out->n_edges, edges, NULL, NULL,
                    NULL, NULL, 0, NULL};
    c.layer = xcalloc((size_t)c.n, sizeof *c.layer);
    c.pos = xcalloc((size_t)c.n, sizeof *c.pos);
    c.way = xcalloc((size_t)c.m + 1, sizeof *c.way);
    assign_layers(&c);
    order_layers(&c);
    out->n_layers = c.n_layers;

    /* Which side each end uses, and how many ports each side needs. */
    int *n_top = xcalloc((size_t)c.n, sizeof *n_top);
    int *n_bot = xcalloc((size_t)c.n, sizeof *n_bot);
    int n_bypass = 0;
    for (int i = 0; i < c.m; i++) {
        if (!valid_edge(&c, i))
            continue;
        struct edge_way *w = &c.way[i];
        int la = c.layer[edges[i].from], lb = c.layer[edges[i].to];
        w->down = lb > la;
        w->up = lb < la;
        w->bypass = lb - la > 1 || la - lb > 1;
        w->src_side = w->up ? SIDE_TOP : SIDE_BOTTOM;
        w->dst_side = w->down ? SIDE_TOP : SIDE_BOTTOM;
        (w->src_side == SIDE_TOP ? n_top : n_bot)[edges[i].from]++;
        (w->dst_side == SIDE_TOP ? n_top : n_bot)[edges[i].to]++;
        if (w->bypass)
            w->bx = n_bypass++;
    }
    /* Boxes left to right in each layer, layers centred. */
    int maxw = 0;
    int *lw = xcalloc((size_t)c.n_layers + 1, sizeof *lw);
    for (int v = 0; v < c.n; v++) {
        struct gl_box *b = &out->boxes[v];
        int ports = n_top[v] > n_bot[v] ? n_top[v] : n_bot[v];
        int lab = label_w[v] > 0 ? label_w[v] : 1;
        b->w = lab + 4 > 2 * ports + 4 ? lab + 4 : 2 * ports + 4;
        b->h = BOX_H;
        b->layer = c.layer[v];
    }
    for (int l = 0; l < c.n_layers; l++) {
        for (int k = 0; k < c.layer_n[l]; k++)
            lw[l] += out->boxes[c.layers[l][k]].w + (k ? box_gap : 0);
        if (lw[l] > maxw)
            maxw = lw[l];
    }
    for (int l = 0; l < c.n_layers; l++) {
        int x = 1 + (maxw - lw[l]) / 2;
        for (int k = 0; k < c.layer_n[l]; k++) {
            out->boxes[c.layers[l][k]].x = x;
            x += out->boxes[c.layers[l][k]].w + box_gap;
        }
    }
    int far_right = maxw + 4;
    for (int i = 0; i < c.m; i++)
        if (c.way[i].bypass)
            c.way[i].bx = far_right + 2 * c.way[i].bx;
    out->width = far_right + 2 * n_bypass;
    place_ports(&c, out->boxes, SIDE_TOP, far_right);
    place_ports(&c, out->boxes, SIDE_BOTTOM, far_right);
    route_edges(&c, out);
    for (int i = 0; i < c.m; i++) {
        int end = out->routes[i].label.x + edges[i].label_w + 1;
        if (out->routes[i].n && end > out->width)
            out->width = end;
    }

    free(lw);
    free(n_top);
    free(n_bot);
    for (int l = 0; l < c.n_layers; l++)
        free(c.layers[l]);
    free(c.layers);
    free(c.layer_n);
    free(c.layer);
    free(c.pos);
    free(c.way);
}

void
gl_layout_free(struct gl_layout *l)
{
    free(l->boxes);
    free(l->routes);
    memset(l, 0, sizeof *l);
}

/* 1 when (x, y) is on the segment a-b (which shares x or y). */
static int
on_segment(struct gl_point a, struct gl_point b, int x, int y)
{
    int x0 = a.x < b.x ? a.x : b.x, x1 = a.x < b.x ? b.x : a.x;
    int y0 = a.y < b.y ? a.y : b.y, y1 = a.y < b.y ? b.y : a.y;
    return x >= x0 && x <= x1 && y >= y0 && y <= y1;
}

int
gl_hit(const struct gl_layout *l, const struct gl_edge_in *edges, int x, int y,
       int *is_edge)
{
    *is_edge = 0;
    for (int v = 0; v < l->n_nodes; v++) {
        const struct gl_box *b = &l->boxes[v];
        if (x >= b->x && x < b->x + b->w && y >= b->y && y < b->y + b->h)
            return v;
    }
    *is_edge = 1;
    for (int i = 0; i < l->n_edges; i++) {
        const struct gl_route *r = &l->routes[i];
        if (r->n && y == r->label.y && x >= r->label.x &&
            x < r->label.x + edges[i].label_w)
            return i;
        for (int k = 0; k + 1 < r->n; k++)
            if (on_segment(r->pt[k], r->pt[k + 1], x, y))
                return i;
    }
    *is_edge = 0;
    return -1;
}
