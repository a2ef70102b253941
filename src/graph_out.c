/*
 * graph_out.c - the origin graph (see graph_out.h): built from the store's
 * edge rows, cut to the part around some origins for a report, and
 * written as Graphviz dot, a Mermaid flowchart or JSON.
 *
 * Node ids are generated ("n1", "n2", ... by rank: top-level origins
 * first, then the others by origin text), never taken from an origin, so
 * an origin can only ever be a label.  Each writer escapes labels for its
 * own syntax; edge labels are built here from numbers and fixed words.
 */
#include "graph_out.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "md_escape.h"
#include "mem.h"
#include "store_query.h"
#include "utf8.h"

#define LABEL_MAX 200 /* characters of an origin in a dot or Mermaid label */
#define UNKNOWN_LABEL "(unknown origin)"

void
graph_init(struct pm_graph *g)
{
    memset(g, 0, sizeof *g);
}

void
graph_release(struct pm_graph *g)
{
    for (size_t i = 0; i < g->nnodes; i++) {
        free(g->nodes[i].origin);
        free(g->nodes[i].label);
    }
    free(g->nodes);
    free(g->edges);
    graph_init(g);
}

static int
same_origin(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

size_t
graph_node(struct pm_graph *g, const char *origin, int64_t origin_id)
{
    for (size_t i = 0; i < g->nnodes; i++) {
        struct pm_graph_node *n = &g->nodes[i];
        /* ids first: a text compare per node would make loading quadratic
         * in string compares on a crawl of many origins */
        if (origin_id > 0 && n->origin_id > 0 ? n->origin_id == origin_id
                                              : same_origin(n->origin, origin)) {
            if (n->origin_id == 0 && origin)
                n->origin_id = origin_id;
            return i;
        }
    }
    if (g->nnodes == g->cap_nodes) {
        g->cap_nodes = g->cap_nodes ? g->cap_nodes * 2 : 16;
        g->nodes = xrealloc(g->nodes, g->cap_nodes * sizeof *g->nodes);
    }
    struct pm_graph_node *n = &g->nodes[g->nnodes];
    memset(n, 0, sizeof *n);
    n->origin = origin ? xstrdup(origin) : NULL;
    n->label = xstrdup(origin ? origin : UNKNOWN_LABEL);
    n->origin_id = origin ? origin_id : 0;
    return g->nnodes++;
}

int
graph_add_edge_row(const struct pm_edge_row *r, void *ctx)
{
    struct pm_graph *g = ctx;
    size_t from = graph_node(g, r->from, r->from_id);
    size_t to = graph_node(g, r->to, r->to_id);
    if (g->nedges == g->cap_edges) {
        g->cap_edges = g->cap_edges ? g->cap_edges * 2 : 32;
        g->edges = xrealloc(g->edges, g->cap_edges * sizeof *g->edges);
    }
    int frame = r->kind && strcmp(r->kind, "frame") == 0;
    g->edges[g->nedges++] = (struct pm_graph_edge){
        .frame = frame,
        .from = from,
        .to = to,
        /* a row from a store that does not mark its edges yet */
        .marks = r->marks ? r->marks
                          : frame ? PM_EDGE_FRAME : PM_EDGE_OBSERVED,
        .count = r->count,
        .wildcard = r->wildcard,
        .sends = r->sends,
        .sends_wildcard = r->sends_wildcard,
        .accepted = r->accepted,
        .rejected = r->rejected,
        .unknown = r->unknown,
    };
    return 0;
}

/* ---- drawing order ---------------------------------------------------------------- */

/* A node and its index, sorted into drawing order. */
struct node_slot {
    const struct pm_graph_node *node;
    size_t index;
};

/* qsort order: top-level first, then by origin, the unknown origin last. */
static int
node_cmp(const void *pa, const void *pb)
{
    const struct pm_graph_node *a = ((const struct node_slot *)pa)->node;
    const struct pm_graph_node *b = ((const struct node_slot *)pb)->node;
    if (a->top_level != b->top_level)
        return b->top_level - a->top_level;
    if (a->origin == NULL || b->origin == NULL)
        return (a->origin == NULL) - (b->origin == NULL);
    return strcmp(a->origin, b->origin);
}

/*
 * The drawing order, computed by every writer from the nodes as they are
 * (a graph built edge by edge has no order until it is written):
 * order[k] is the index of the node drawn k-th, rank[i] the number of
 * node i (its id "n<rank>").
 */
struct graph_order {
    size_t *order;
    int *rank;
};

static struct graph_order
graph_order(const struct pm_graph *g)
{
    struct node_slot *v = xcalloc(g->nnodes + 1, sizeof *v);
    for (size_t i = 0; i < g->nnodes; i++)
        v[i] = (struct node_slot){&g->nodes[i], i};
    qsort(v, g->nnodes, sizeof *v, node_cmp);
    struct graph_order o = {
        .order = xcalloc(g->nnodes + 1, sizeof *o.order),
        .rank = xcalloc(g->nnodes + 1, sizeof *o.rank),
    };
    for (size_t k = 0; k < g->nnodes; k++) {
        o.order[k] = v[k].index;
        o.rank[v[k].index] = (int)k + 1;
    }
    free(v);
    return o;
}

static void
graph_order_release(struct graph_order *o)
{
    free(o->order);
    free(o->rank);
}

static int
mark_top_origin(int64_t origin_id, void *ctx)
{
    struct pm_graph *g = ctx;
    for (size_t i = 0; i < g->nnodes; i++)
        if (g->nodes[i].origin_id == origin_id)
            g->nodes[i].top_level = 1;
    return 0;
}

enum pm_rc
graph_load(struct pm_graph *g, struct pm_store *st, struct pm_err *err)
{
    if (store_each_edge(st, graph_add_edge_row, g, err) != PM_OK ||
        store_each_top_origin(st, mark_top_origin, g, err) != PM_OK)
        return err->rc;
    return PM_OK;
}

/* ---- the part around some origins ---------------------------------------- */

void
graph_keep_around(struct pm_graph *g, const char *const *origins, size_t n,
                  size_t max_edges)
{
    char *keep = xcalloc(g->nnodes + n + 1, 1);
    for (size_t k = 0; k < n; k++)
        if (origins[k])
            keep[graph_node(g, origins[k], 0)] = 2; /* a finding's origin */
    char *edge_kept = xcalloc(g->nedges + 1, 1);
    for (size_t e = 0; e < g->nedges; e++) {
        const struct pm_graph_edge *x = &g->edges[e];
        if (!x->frame && (keep[x->from] == 2 || keep[x->to] == 2)) {
            edge_kept[e] = 1;
            keep[x->from] = keep[x->from] ? keep[x->from] : 1;
            keep[x->to] = keep[x->to] ? keep[x->to] : 1;
        }
    }
    for (size_t e = 0; e < g->nedges; e++) {
        const struct pm_graph_edge *x = &g->edges[e];
        if (x->frame && (keep[x->from] || keep[x->to]))
            edge_kept[e] = 1;
    }
    /* Edges in g's order (messages, most first; then frames), up to the
     * limit; then the nodes they and the findings' origins need. */
    size_t ne = 0;
    g->edges_left_out = 0;
    for (size_t e = 0; e < g->nedges; e++) {
        if (!edge_kept[e])
            continue;
        if (ne == max_edges) {
            g->edges_left_out++;
            continue;
        }
        g->edges[ne++] = g->edges[e];
    }
    g->nedges = ne;
    for (size_t i = 0; i < g->nnodes; i++)
        keep[i] = keep[i] == 2;
    for (size_t e = 0; e < g->nedges; e++)
        keep[g->edges[e].from] = keep[g->edges[e].to] = 1;
    size_t *moved = xcalloc(g->nnodes + 1, sizeof *moved);
    size_t nn = 0;
    for (size_t i = 0; i < g->nnodes; i++) {
        if (keep[i]) {
            moved[i] = nn;
            g->nodes[nn++] = g->nodes[i];
        } else {
            free(g->nodes[i].origin);
            free(g->nodes[i].label);
        }
    }
    g->nnodes = nn;
    for (size_t e = 0; e < g->nedges; e++) {
        g->edges[e].from = moved[g->edges[e].from];
        g->edges[e].to = moved[g->edges[e].to];
    }
    free(moved);
    free(edge_kept);
    free(keep);
}

void
graph_relabel(struct pm_graph *g,
              void (*relabel)(struct pm_buf *out, const char *text))
{
    for (size_t i = 0; i < g->nnodes; i++) {
        if (g->nodes[i].origin == NULL)
            continue;
        struct pm_buf b;
        pm_buf_init(&b);
        relabel(&b, g->nodes[i].origin);
        free(g->nodes[i].label);
        g->nodes[i].label = pm_buf_detach(&b);
    }
}

/* ---- edge labels ------------------------------------------------------------ */

static const char *
plural(int64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/*
 * The parts of a message edge's label, each appended after sep: what was
 * observed ("3 observed (2 *)": messages, of which with targetOrigin '*'),
 * what the code sends ("2 static sends (1 *)"), and the receiving
 * listeners' verdicts on the sender.  A frame edge is "embeds".
 */
static void
edge_label(struct pm_buf *out, const struct pm_graph_edge *x, const char *sep)
{
    if (x->frame) {
        pm_buf_adds(out, "embeds");
        return;
    }
    const char *s = "";
    if (x->marks & PM_EDGE_OBSERVED) {
        pm_buf_addf(out, "%" PRId64 " observed", x->count);
        if (x->wildcard)
            pm_buf_addf(out, " (%" PRId64 " *)", x->wildcard);
        s = sep;
    }
    if (x->marks & PM_EDGE_STATIC) {
        pm_buf_addf(out, "%s%" PRId64 " static %s", s, x->sends,
                    plural(x->sends, "send", "sends"));
        if (x->sends_wildcard)
            pm_buf_addf(out, " (%" PRId64 " *)", x->sends_wildcard);
        s = sep;
    }
    if (x->accepted || x->rejected || x->unknown) {
        pm_buf_adds(out, s);
        const char *c = "";
        if (x->accepted) {
            pm_buf_addf(out, "accepted %" PRId64, x->accepted);
            c = ", ";
        }
        if (x->rejected) {
            pm_buf_addf(out, "%srejected %" PRId64, c, x->rejected);
            c = ", ";
        }
        if (x->unknown)
            pm_buf_addf(out, "%sunknown %" PRId64, c, x->unknown);
    }
}

static void
marks_json(cJSON *o, unsigned marks)
{
    cJSON *a = cJSON_AddArrayToObject(o, "marks");
    if (marks & PM_EDGE_OBSERVED)
        cJSON_AddItemToArray(a, cJSON_CreateString("observed"));
    if (marks & PM_EDGE_STATIC)
        cJSON_AddItemToArray(a, cJSON_CreateString("static"));
    if (marks & PM_EDGE_FRAME)
        cJSON_AddItemToArray(a, cJSON_CreateString("frame"));
}

/* ---- dot ------------------------------------------------------------------- */

/*
 * The inside of a dot quoted string showing text: hidden characters and
 * invalid bytes as visible escapes (md_visible_escape), '\' and '"'
 * backslash-escaped (so no \n or \N of dot's own acts), and '&' as
 * "&amp;" (dot reads entities in labels).  No locale is asked, so a file
 * comes out the same everywhere.
 */
static void
dot_text(struct pm_buf *out, const char *text)
{
    int cut;
    size_t len = md_cut_len(text, LABEL_MAX, &cut);
    const unsigned char *p = (const unsigned char *)text;
    while (len > 0) {
        unsigned cp;
        size_t n = utf8_decode(p, len, &cp);
        int invalid = n == 0;
        if (invalid)
            n = 1, cp = p[0];
        if (invalid || unicode_is_hidden(cp))
            md_visible_escape(out, cp, invalid, "\\\\");
        else if (cp == '\\' || cp == '"')
            pm_buf_addf(out, "\\%c", (char)cp);
        else if (cp == '&')
            pm_buf_adds(out, "&amp;");
        else
            pm_buf_add(out, p, n);
        p += n;
        len -= n;
    }
    if (cut)
        pm_buf_adds(out, "...");
}

void
graph_write_dot(struct pm_buf *out, const struct pm_graph *g)
{
    struct graph_order o = graph_order(g);
    pm_buf_adds(out, "digraph origins {\n"
                     "  rankdir=LR;\n"
                     "  node [shape=box, fontname=\"Helvetica\"];\n"
                     "  edge [fontname=\"Helvetica\", fontsize=10];\n");
    int tops = 0;
    for (size_t k = 0; k < g->nnodes; k++) {
        const struct pm_graph_node *n = &g->nodes[o.order[k]];
        pm_buf_addf(out, "  n%d [label=\"", o.rank[o.order[k]]);
        dot_text(out, n->label);
        pm_buf_addf(out, "\"%s];\n", n->top_level ? ", style=bold" : "");
        tops += n->top_level;
    }
    if (tops) {
        pm_buf_adds(out, "  { rank=min;");
        for (size_t k = 0; k < g->nnodes; k++)
            if (g->nodes[o.order[k]].top_level)
                pm_buf_addf(out, " n%d;", o.rank[o.order[k]]);
        pm_buf_adds(out, " }\n");
    }
    for (size_t e = 0; e < g->nedges; e++) {
        const struct pm_graph_edge *x = &g->edges[e];
        pm_buf_addf(out, "  n%d -> n%d [", o.rank[x->from],
                    o.rank[x->to]);
        if (x->frame)
            pm_buf_adds(out, "style=dashed, ");
        pm_buf_adds(out, "label=\"");
        edge_label(out, x, "\\n");
        pm_buf_adds(out, "\"];\n");
    }
    pm_buf_adds(out, "}\n");
    graph_order_release(&o);
}

/* ---- Mermaid ------------------------------------------------------------- */

void
graph_write_mermaid(struct pm_buf *out, const struct pm_graph *g)
{
    struct graph_order o = graph_order(g);
    pm_buf_adds(out, "flowchart LR\n");
    int tops = 0;
    for (size_t k = 0; k < g->nnodes; k++) {
        const struct pm_graph_node *n = &g->nodes[o.order[k]];
        pm_buf_addf(out, "    n%d[\"", o.rank[o.order[k]]);
        mermaid_quoted(out, n->label, LABEL_MAX);
        pm_buf_adds(out, "\"]\n");
        tops += n->top_level;
    }
    for (size_t e = 0; e < g->nedges; e++) {
        const struct pm_graph_edge *x = &g->edges[e];
        struct pm_buf label;
        pm_buf_init(&label);
        edge_label(&label, x, ", ");
        pm_buf_addf(out, "    n%d %s|\"", o.rank[x->from],
                    x->frame ? "-.->" : "-->");
        mermaid_quoted(out, label.data, 0);
        pm_buf_addf(out, "\"| n%d\n", o.rank[x->to]);
        pm_buf_release(&label);
    }
    if (tops) {
        pm_buf_adds(out, "    classDef top stroke-width:3px\n    class ");
        const char *sep = "";
        for (size_t k = 0; k < g->nnodes; k++)
            if (g->nodes[o.order[k]].top_level) {
                pm_buf_addf(out, "%sn%d", sep, o.rank[o.order[k]]);
                sep = ",";
            }
        pm_buf_adds(out, " top\n");
    }
    graph_order_release(&o);
}

/* ---- JSON ------------------------------------------------------------------ */

static void
json_text(cJSON *o, const char *key, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

static void
json_id(cJSON *o, const char *key, int64_t v)
{
    if (v > 0)
        cJSON_AddNumberToObject(o, key, (double)v);
    else
        cJSON_AddNullToObject(o, key);
}

cJSON *
graph_to_json(const struct pm_graph *g)
{
    struct graph_order ord = graph_order(g);
    cJSON *root = cJSON_CreateObject();
    cJSON *nodes = cJSON_AddArrayToObject(root, "nodes");
    char id[32];
    for (size_t k = 0; k < g->nnodes; k++) {
        const struct pm_graph_node *n = &g->nodes[ord.order[k]];
        cJSON *o = cJSON_CreateObject();
        snprintf(id, sizeof id, "n%d", ord.rank[ord.order[k]]);
        cJSON_AddStringToObject(o, "id", id);
        json_text(o, "origin", n->origin ? n->label : NULL);
        json_id(o, "origin_id", n->origin_id);
        cJSON_AddBoolToObject(o, "top_level", n->top_level);
        cJSON_AddItemToArray(nodes, o);
    }
    cJSON *edges = cJSON_AddArrayToObject(root, "edges");
    for (size_t e = 0; e < g->nedges; e++) {
        const struct pm_graph_edge *x = &g->edges[e];
        const struct pm_graph_node *a = &g->nodes[x->from];
        const struct pm_graph_node *b = &g->nodes[x->to];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "kind", x->frame ? "frame" : "message");
        snprintf(id, sizeof id, "n%d", ord.rank[x->from]);
        cJSON_AddStringToObject(o, "from", id);
        snprintf(id, sizeof id, "n%d", ord.rank[x->to]);
        cJSON_AddStringToObject(o, "to", id);
        json_text(o, "from_origin", a->origin ? a->label : NULL);
        json_text(o, "to_origin", b->origin ? b->label : NULL);
        marks_json(o, x->marks);
        cJSON_AddNumberToObject(o, "count", (double)x->count);
        cJSON_AddNumberToObject(o, "wildcard_target", (double)x->wildcard);
        cJSON_AddNumberToObject(o, "sends", (double)x->sends);
        cJSON_AddNumberToObject(o, "sends_wildcard_target",
                                (double)x->sends_wildcard);
        cJSON_AddNumberToObject(o, "accepted", (double)x->accepted);
        cJSON_AddNumberToObject(o, "rejected", (double)x->rejected);
        cJSON_AddNumberToObject(o, "unknown", (double)x->unknown);
        cJSON_AddItemToArray(edges, o);
    }
    if (g->edges_left_out)
        cJSON_AddNumberToObject(root, "edges_left_out",
                                (double)g->edges_left_out);
    graph_order_release(&ord);
    return root;
}
