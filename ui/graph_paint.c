/*
 * graph_paint.c - view 2's picture on the screen (see graph_paint.h).
 *
 * Line-drawing characters are the Unicode ones in a UTF-8 locale (curses'
 * alternate characters would reach some terminals as letters), else the
 * terminal's alternate characters (ACS) or ASCII.  The lines of all edges are first collected in a grid of the region's
 * cells as the directions each cell connects (up, down, left, right), so
 * where two edges cross or meet the cell shows a cross or a tee rather
 * than whichever came last; the selected edge is collected last and owns
 * the cells it shares.  Boxes, the ports on their borders, arrowheads and
 * labels are drawn over the lines.
 */
#include "graph_paint.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "mem.h"

enum { DIR_N = 1, DIR_S = 2, DIR_E = 4, DIR_W = 8 };

struct grid {
    const struct gp_region *r;
    unsigned char *dirs;
    int *owner;  /* edge that drew the cell last */
};

static int
in_region(const struct gp_region *r, int cy, int cx)
{
    return cy >= r->oy && cy < r->oy + r->h && cx >= r->ox && cx < r->ox + r->w;
}

static void
grid_mark(struct grid *g, int cy, int cx, unsigned dirs, int edge)
{
    if (!in_region(g->r, cy, cx))
        return;
    size_t i = (size_t)(cy - g->r->oy) * (size_t)g->r->w + (size_t)(cx - g->r->ox);
    g->dirs[i] |= (unsigned char)dirs;
    g->owner[i] = edge;
}

/* The cells of one edge's line, each with the directions it connects. */
static void
grid_edge(struct grid *g, const struct gl_route *rt, int edge)
{
    for (int k = 0; k + 1 < rt->n; k++) {
        struct gl_point a = rt->pt[k], b = rt->pt[k + 1];
        int dx = (b.x > a.x) - (b.x < a.x), dy = (b.y > a.y) - (b.y < a.y);
        unsigned fwd = dx > 0 ? DIR_E : dx < 0 ? DIR_W : dy > 0 ? DIR_S : DIR_N;
        unsigned back = fwd == DIR_E ? DIR_W : fwd == DIR_W ? DIR_E
                        : fwd == DIR_S ? DIR_N : DIR_S;
        /* Skip cells of a long segment that lie outside the region. */
        for (struct gl_point p = a;; p.x += dx, p.y += dy) {
            unsigned d = 0;
            if (p.x != a.x || p.y != a.y)
                d |= back;
            if (p.x != b.x || p.y != b.y)
                d |= fwd;
            grid_mark(g, p.y, p.x, d, edge);
            if (p.x == b.x && p.y == b.y)
                break;
        }
    }
}

/* The characters of the picture. */
enum glyph {
    G_HLINE, G_VLINE, G_ULCORNER, G_URCORNER, G_LLCORNER, G_LRCORNER,
    G_LTEE, G_RTEE, G_TTEE, G_BTEE, G_PLUS, G_DARROW, G_UARROW,
    G_HDASH, G_VDASH
};

/* In a UTF-8 locale, the box-drawing characters themselves. */
static const char *const glyph_utf8[] = {
    "\u2500", "\u2502", "\u250c", "\u2510", "\u2514", "\u2518",
    "\u251c", "\u2524", "\u252c", "\u2534", "\u253c", "\u25bc", "\u25b2",
    "\u254c", "\u254e",
};

/* Else the terminal's alternate characters, which curses draws as ASCII
 * ('-', '|', '+', 'v', '^') where the terminal has none. */
static chtype
glyph_acs(enum glyph g)
{
    switch (g) {
    case G_HLINE: case G_HDASH: return ACS_HLINE;
    case G_VLINE: case G_VDASH: return ACS_VLINE;
    case G_ULCORNER: return ACS_ULCORNER;
    case G_URCORNER: return ACS_URCORNER;
    case G_LLCORNER: return ACS_LLCORNER;
    case G_LRCORNER: return ACS_LRCORNER;
    case G_LTEE: return ACS_LTEE;
    case G_RTEE: return ACS_RTEE;
    case G_TTEE: return ACS_TTEE;
    case G_BTEE: return ACS_BTEE;
    case G_DARROW: return 'v';
    case G_UARROW: return '^';
    default: return ACS_PLUS;
    }
}

static enum glyph
line_glyph(unsigned d)
{
    switch (d) {
    case DIR_N | DIR_S: case DIR_N: case DIR_S: return G_VLINE;
    case DIR_E | DIR_W: case DIR_E: case DIR_W: return G_HLINE;
    case DIR_S | DIR_E: return G_ULCORNER;
    case DIR_S | DIR_W: return G_URCORNER;
    case DIR_N | DIR_E: return G_LLCORNER;
    case DIR_N | DIR_W: return G_LRCORNER;
    case DIR_N | DIR_S | DIR_E: return G_LTEE;
    case DIR_N | DIR_S | DIR_W: return G_RTEE;
    case DIR_E | DIR_W | DIR_S: return G_TTEE;
    case DIR_E | DIR_W | DIR_N: return G_BTEE;
    default: return G_PLUS;
    }
}

/* A glyph at screen cell (y, x). */
static void
put_glyph(struct ui_app *app, int y, int x, enum glyph g, unsigned attr)
{
    attrset(attr);
    if (app->tt_flags & TT_ASCII)
        mvaddch(y, x, glyph_acs(g));
    else
        mvaddstr(y, x, glyph_utf8[g]);
    attrset(A_NORMAL);
}

static unsigned
edge_attr(struct ui_app *app, const struct gp_edge *e, int selected)
{
    if (selected)
        return draw_attr(app, UI_ROLE_SEL) | A_BOLD;
    if (e->frame_only)
        return A_DIM;
    if (e->static_only)
        return draw_attr(app, UI_ROLE_OK);
    return A_NORMAL;
}

/* A cell of the picture on the screen, when it is in the region. */
static void
put(const struct gp_region *r, int cy, int cx, chtype ch, unsigned attr)
{
    if (!in_region(r, cy, cx))
        return;
    attrset(attr);
    mvaddch(r->y + cy - r->oy, r->x + cx - r->ox, ch);
    attrset(A_NORMAL);
}

static void
put_g(struct ui_app *app, const struct gp_region *r, int cy, int cx,
      enum glyph g, unsigned attr)
{
    if (in_region(r, cy, cx))
        put_glyph(app, r->y + cy - r->oy, r->x + cx - r->ox, g, attr);
}

static void
paint_lines(struct ui_app *app, const struct grid *g, const struct gp_edge *edges,
            int sel_edge)
{
    const struct gp_region *r = g->r;
    for (int y = 0; y < r->h; y++) {
        for (int x = 0; x < r->w; x++) {
            size_t i = (size_t)y * (size_t)r->w + (size_t)x;
            unsigned d = g->dirs[i];
            if (d == 0)
                continue;
            const struct gp_edge *e = &edges[g->owner[i]];
            unsigned attr = edge_attr(app, e, g->owner[i] == sel_edge);
            enum glyph gl = line_glyph(d);
            /* Embedding edges are dashed (where the terminal has dashes). */
            if (e->frame_only && gl == G_VLINE)
                gl = G_VDASH;
            else if (e->frame_only && gl == G_HLINE)
                gl = G_HDASH;
            put_glyph(app, r->y + y, r->x + x, gl, attr);
        }
    }
}

static void
paint_box(struct ui_app *app, const struct gl_box *b, const struct gp_node *n,
          int selected, const struct gp_region *r)
{
    unsigned attr = selected ? draw_attr(app, UI_ROLE_SEL) | A_BOLD : A_NORMAL;
    int x1 = b->x + b->w - 1, y1 = b->y + b->h - 1;
    put_g(app, r, b->y, b->x, G_ULCORNER, attr);
    put_g(app, r, b->y, x1, G_URCORNER, attr);
    put_g(app, r, y1, b->x, G_LLCORNER, attr);
    put_g(app, r, y1, x1, G_LRCORNER, attr);
    for (int x = b->x + 1; x < x1; x++) {
        put_g(app, r, b->y, x, G_HLINE, attr);
        put_g(app, r, y1, x, G_HLINE, attr);
    }
    for (int y = b->y + 1; y < y1; y++) {
        put_g(app, r, y, b->x, G_VLINE, attr);
        put_g(app, r, y, x1, G_VLINE, attr);
        for (int x = b->x + 1; x < x1; x++)
            put(r, y, x, ' ', attr);
    }
    /* The origin on the middle line, cut to what of the box shows. */
    int ly = b->y + 1;
    if (ly < r->oy || ly >= r->oy + r->h)
        return;
    int lx0 = b->x + 2, lx1 = x1 - 1; /* [lx0, lx1) */
    if (lx0 < r->ox)
        lx0 = r->ox;
    if (lx1 > r->ox + r->w)
        lx1 = r->ox + r->w;
    if (lx1 <= lx0)
        return;
    int sx = r->x + lx0 - r->ox, sy = r->y + ly - r->oy;
    if (n->origin == NULL || n->origin[0] == '\0')
        draw_label(sy, sx, lx1 - lx0, "?", attr | A_DIM);
    else if (n->label)
        /* a cut keeps both ends: "wid…t-1", "wid…t-2" stay apart */
        draw_text_middle(app, sy, sx, lx1 - lx0, n->label,
                         draw_origin_attr(app, n->origin) | attr, 0);
    else
        draw_origin_path(app, sy, sx, lx1 - lx0, n->origin, "", (int)attr);
}

/* Program-made label text, one cell at a time (it may be cut by the region). */
static void
paint_label(const struct gp_region *r, int cy, int cx, const char *s,
            unsigned attr)
{
    put(r, cy, cx - 1, ' ', A_NORMAL);
    int k = 0;
    for (; s[k]; k++)
        put(r, cy, cx + k, (chtype)(unsigned char)s[k], attr);
    put(r, cy, cx + k, ' ', A_NORMAL);
}

void
graph_paint(struct ui_app *app, const struct gl_layout *l,
            const struct gp_node *nodes, const struct gp_edge *edges,
            int sel_node, int sel_edge, const struct gp_region *r)
{
    if (r->h <= 0 || r->w <= 0)
        return;
    struct grid g = {r, xcalloc((size_t)r->h * (size_t)r->w, 1),
                     xcalloc((size_t)r->h * (size_t)r->w, sizeof(int))};
    for (int i = 0; i < l->n_edges; i++)
        if (i != sel_edge)
            grid_edge(&g, &l->routes[i], i);
    if (sel_edge >= 0 && sel_edge < l->n_edges)
        grid_edge(&g, &l->routes[sel_edge], sel_edge);
    paint_lines(app, &g, edges, sel_edge);
    for (int v = 0; v < l->n_nodes; v++)
        paint_box(app, &l->boxes[v], &nodes[v], v == sel_node, r);
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < l->n_edges; i++) {
            const struct gl_route *rt = &l->routes[i];
            if (rt->n < 2 || (i == sel_edge) != (pass == 1))
                continue;
            unsigned attr = edge_attr(app, &edges[i], i == sel_edge);
            /* The port: a tee on the source's border. */
            const struct gl_point *p0 = &rt->pt[0], *p1 = &rt->pt[1];
            put_g(app, r, p0->y, p0->x, p1->y > p0->y ? G_TTEE : G_BTEE, attr);
            const struct gl_point *a = &rt->pt[rt->n - 1], *b = &rt->pt[rt->n - 2];
            put_g(app, r, a->y, a->x, b->y < a->y ? G_DARROW : G_UARROW, attr);
            unsigned lattr = i == sel_edge ? attr
                             : edges[i].wildcard ? draw_attr(app, UI_ROLE_WARN)
                                                 : attr | A_BOLD;
            paint_label(r, rt->label.y, rt->label.x, edges[i].label, lattr);
        }
    }
    free(g.dirs);
    free(g.owner);
}
