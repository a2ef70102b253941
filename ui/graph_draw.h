/*
 * graph_draw.h - view 2's drawing mode (ui/graph_draw.c), below the view
 * (ui/graph.c), which owns the edge list and the table mode.  The drawing
 * is built from the edge list once per data change: one box per origin,
 * one line per ordered pair of origins (its message row and its frame row
 * merged), capped at GRAPH_DRAW_NODES origins and GRAPH_DRAW_EDGES lines
 * with the most traffic; then laid out (graph_layout.c) once per zoom and
 * window size, and painted (graph_paint.c) at every redraw.
 */
#ifndef PM_UI_GRAPH_DRAW_H
#define PM_UI_GRAPH_DRAW_H

#include <stdint.h>

#include "app.h"
#include "graph_layout.h"
#include "graph_paint.h"

#define GRAPH_DRAW_NODES 60
#define GRAPH_DRAW_EDGES 240

/* A row of the edge list (the table's row). */
struct graph_edge {
    int frame;   /* 1 = embedding edge, 0 = messages (observed or static) */
    char *from, *to;
    int64_t from_id, to_id, count, wildcard;
    unsigned marks;  /* PM_EDGE_* (store_query.h) */
    int64_t sends, sends_wildcard;
    int64_t accepted, rejected, unknown; /* listeners' verdicts on `from` */
};

/* The edge list as the drawing reads it (borrowed from the view). */
struct graph_edges {
    struct graph_edge *rows;
    int n;
    int wild_pending;  /* '*' counts still being read */
};

/* A box of the drawing: one origin. */
struct dnode {
    int64_t id;
    const char *origin;  /* borrowed from the edge list */
    int64_t weight;      /* messages, send sites and frames it takes part in */
    int full_w;          /* columns of its whole label */
    char *short_label;   /* host's first name and port: "widget-1", "localhost:8102" */
    int short_w;
};

/* A line of the drawing: one ordered pair, its message and frame rows. */
struct dedge {
    int from, to;        /* dnode indexes */
    int msg, frame;      /* rows of the edge list, -1 when none */
    int64_t weight;
};

struct popup_win {
    int64_t id;
    char *kind, *url;
};

/* The windows of the selected box, listed over the drawing. */
struct popup {
    int open;
    int node;
    struct popup_win *wins;
    int n, sel, top, more;
};

struct drawing {
    int built;
    struct dnode *nodes;
    int n_nodes, n_origins;   /* drawn, and before the cap */
    struct dedge *edges;
    int n_edges, n_pairs;
    struct gl_edge_in *ein;
    int *label_w;
    struct gp_node *pn;
    struct gp_edge *pe;
    int *order;               /* selection order: boxes top-down, then edges */
    struct gl_layout lay;
    int laid, lay_w, lay_h;   /* laid out (in fit: for a region this big) */
    int fit;                  /* zoomed to fit the window */
    int ox, oy;               /* picture cell at the region's top left */
    int sel_edge, sel;        /* the selection: an edge or a box; -1 none */
    int64_t keep_from, keep_to; /* the selection's origins across a rebuild */
    int keep_edge, keep;
    struct gp_region region;
    struct popup pop;
};

/* Forget the drawing (the selection's origins are kept for the rebuild). */
void drawing_clear(struct drawing *d);
void drawing_free(struct drawing *d);

/* Build (when needed), lay out and paint the drawing in rows
 * [top, top + height): a caption line, then the picture. */
void drawing_draw(struct ui_app *app, const struct graph_edges *ge,
                  struct drawing *d, int top, int height);

/* Pan by rows and cols (clamped); with the window list open, move in it. */
int drawing_pan(struct drawing *d, int rows, int cols);
/* Select the next (dir 1) or previous (-1) box or edge, panning to it. */
int drawing_step(struct drawing *d, int dir);
/* Zoom to fit the window (on 1) or back to whole labels (0). */
void drawing_fit(struct drawing *d, int on);
/* Select what is at screen cell (y, x). */
int drawing_click(struct drawing *d, int y, int x);
/* Select the next box (dir 1, or previous) whose origin contains text. */
int drawing_search(struct drawing *d, const char *text, int dir);
/* The selected edge (a dedge), or NULL when a box or nothing is selected. */
const struct dedge *drawing_selected_edge(const struct drawing *d);
/* Open the list of the selected box's windows. */
void drawing_list_windows(struct ui_app *app, struct drawing *d);
void drawing_close_list(struct drawing *d);

#endif
