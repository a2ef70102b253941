/*
 * graph_paint.h - paint a laid-out origin graph (graph_layout.h) into a
 * region of the screen: boxes with their origins (escaped, in the origin's
 * colour), edges as line-drawing characters (ACS, which curses draws as
 * ASCII on a terminal without them) with arrowheads, labels, and the
 * selection highlighted.  Only the cells inside the region are drawn, so
 * a picture far larger than the terminal costs what the window shows.
 */
#ifndef PM_UI_GRAPH_PAINT_H
#define PM_UI_GRAPH_PAINT_H

#include "app.h"
#include "graph_layout.h"

struct gp_node {
    const char *origin;  /* untrusted; NULL is drawn "?" */
    const char *label;   /* shown instead (shortened, untrusted), or NULL */
};

struct gp_edge {
    char label[40];      /* program-made: "5* os" */
    int frame_only;      /* only embedding: drawn dim and dashed */
    int static_only;     /* only found by analysis: drawn in the ok colour */
    int wildcard;        /* targetOrigin '*': label in the warning colour */
};

/* The screen region and which cell of the picture is at its top left. */
struct gp_region {
    int y, x, h, w;
    int oy, ox;
};

/* sel_node / sel_edge: the selection (-1: none). */
void graph_paint(struct ui_app *app, const struct gl_layout *l,
                 const struct gp_node *nodes, const struct gp_edge *edges,
                 int sel_node, int sel_edge, const struct gp_region *r);

#endif
