/*
 * graph_out.h - the origin graph as a picture other tools draw: Graphviz
 * dot, a Mermaid flowchart, or JSON with every field of every edge.
 * `pmscope graph` writes the whole graph; the Markdown report embeds the
 * part around its findings' origins.
 *
 * A graph is built from the store's origin edges (store_each_edge): each
 * origin is one node, each edge row one edge.  Origins are untrusted text:
 * every writer escapes them for its format (dot: a quoted string with
 * backslash, quote and '&' escaped; Mermaid: generated node ids and quoted
 * labels in which everything but a plain alphabet is an entity code; JSON:
 * cJSON and json_safe), and hidden characters and invalid bytes are shown
 * as visible escapes (\u202e, \x0a) in all three.
 */
#ifndef PM_GRAPH_OUT_H
#define PM_GRAPH_OUT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "store.h"

struct cJSON;
struct pm_edge_row;

struct pm_graph_node {
    char *origin;      /* as stored; NULL for an unknown origin */
    char *label;       /* what is drawn: the origin (redacted in a report) */
    int64_t origin_id; /* 0 when unknown */
    int top_level;     /* a tab (window of kind top) showed this origin */
};

struct pm_graph_edge {
    int frame;          /* 1 = embedding (or opening), 0 = messages */
    size_t from, to;    /* node indexes */
    unsigned marks;     /* PM_EDGE_* (store_query.h) */
    int64_t count, wildcard, sends, sends_wildcard;
    int64_t accepted, rejected, unknown;
};

struct pm_graph {
    struct pm_graph_node *nodes;
    size_t nnodes, cap_nodes;
    struct pm_graph_edge *edges;
    size_t nedges, cap_edges;
    size_t edges_left_out; /* by graph_keep_around's limit */
};

void graph_init(struct pm_graph *g);
void graph_release(struct pm_graph *g);

/* A pm_edge_cb: add one edge row (ctx is the graph). */
int graph_add_edge_row(const struct pm_edge_row *r, void *ctx);

/* The node of origin (NULL = unknown), added when missing; its index. */
size_t graph_node(struct pm_graph *g, const char *origin, int64_t origin_id);

/*
 * Every origin edge of the workspace, and which origins are top-level.
 * The writers number the nodes n1, n2, ...: top-level origins first, then
 * the others by origin, the unknown origin last.
 */
enum pm_rc graph_load(struct pm_graph *g, struct pm_store *st,
                      struct pm_err *err);

/*
 * Keep the part of g around origins[0..n) (stored texts): their nodes,
 * the message edges touching them, and the frame edges touching any node
 * those edges reach; at most max_edges edges (the first ones in g's
 * order; the others are counted in edges_left_out).
 */
void graph_keep_around(struct pm_graph *g, const char *const *origins,
                       size_t n, size_t max_edges);

/* Replace each known node's label with what relabel appends for it
 * (a report's redaction). */
void graph_relabel(struct pm_graph *g,
                   void (*relabel)(struct pm_buf *out, const char *text));

/* Graphviz dot: a digraph, top-level origins in the first rank. */
void graph_write_dot(struct pm_buf *out, const struct pm_graph *g);

/* A Mermaid flowchart ("flowchart LR" and its statements, no fence). */
void graph_write_mermaid(struct pm_buf *out, const struct pm_graph *g);

/* {"nodes": [...], "edges": [...]} with every field. */
struct cJSON *graph_to_json(const struct pm_graph *g);

#endif
