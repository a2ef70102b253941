/*
 * graph_layout.h - where view 2 draws the origin graph: boxes by layers and
 * edges as lines of horizontal and vertical segments.  Pure arithmetic (no
 * curses, no store), so the unit tests can check that boxes never overlap,
 * every edge is routed and the same input always gives the same picture.
 *
 * Layers run top to bottom.  Layer 0 holds the origins that embed or open
 * windows and are embedded by none (the origins of top-level windows);
 * each further layer what the layers above embed or open, then what they
 * send to; an origin reached by nothing starts a new root.  An edge leaves
 * its source box through a port on the side facing the target and enters
 * the target through a port with an arrowhead cell next to the border:
 * down into a lower layer ('v'), up into a higher or the same layer ('^').
 * Bottom ports sit on even columns and top ports on odd ones, so the
 * vertical lines of one gap never run over each other; each horizontal
 * segment gets a row of its own in its gap unless it fits beside another
 * one; an edge that skips a layer runs down a bypass column right of all
 * boxes.
 */
#ifndef PM_UI_GRAPH_LAYOUT_H
#define PM_UI_GRAPH_LAYOUT_H

struct gl_edge_in {
    int from, to;   /* node indexes (from == to: a self edge) */
    int frame;      /* an embedding edge: it decides layers before messages */
    int label_w;    /* columns of its label */
};

struct gl_point {
    int x, y;
};

struct gl_box {
    int x, y, w, h;  /* h is 3: border, label line, border */
    int layer;
};

/* At most: port, corner, corner, bypass corner, corner, arrowhead. */
#define GL_ROUTE_MAX 6

struct gl_route {
    int n;  /* points; consecutive points share x or y */
    /* pt[0] is on the source box's border, pt[n-1] the arrowhead cell
     * just outside the target box's border */
    struct gl_point pt[GL_ROUTE_MAX];
    struct gl_point label;  /* first cell of the edge's label */
};

struct gl_layout {
    int n_nodes, n_edges, n_layers;
    struct gl_box *boxes;    /* one per node */
    struct gl_route *routes; /* one per edge */
    int width, height;       /* the whole picture, labels included */
};

/*
 * Lay out n_nodes boxes, node i showing a label label_w[i] columns wide,
 * box_gap columns apart (at least 1), and n_edges edges.  Node order is
 * the tie-break everywhere, so the same input gives the same layout.
 * Time: the sorts, the layers times the edges (ordering), and the
 * horizontal segments of a gap times its rows (packing); view 2 caps its
 * input (60 nodes, 240 edges).  out is freed with gl_layout_free.
 */
void gl_layout(const int *label_w, int n_nodes, const struct gl_edge_in *edges,
               int n_edges, int box_gap, struct gl_layout *out);
void gl_layout_free(struct gl_layout *l);

/*
 * What is at cell (x, y): a box (returns its node, *is_edge 0), a cell of
 * an edge's line or label (returns the edge, *is_edge 1), or -1.
 */
int gl_hit(const struct gl_layout *l, const struct gl_edge_in *edges, int x,
           int y, int *is_edge);

#endif
