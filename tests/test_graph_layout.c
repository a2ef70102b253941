/*
 * test_graph_layout.c - view 2's drawing of the origin graph (ui/graph_layout.c):
 * boxes never overlap, every edge is routed from its source's border to an
 * arrowhead next to its target's border through no box, everything stays
 * inside the picture, the same input gives the same layout, and loops,
 * self edges, one node, no node and 200 nodes all lay out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "graph_layout.h"

static int
inside(const struct gl_box *b, int x, int y)
{
    return x >= b->x && x < b->x + b->w && y >= b->y && y < b->y + b->h;
}

/* On the border of b, not a corner. */
static int
on_border(const struct gl_box *b, int x, int y)
{
    int side = (y == b->y || y == b->y + b->h - 1) && x > b->x &&
               x < b->x + b->w - 1;
    return side;
}

/* Just outside the top or bottom border of b, below or above a side cell. */
static int
next_to(const struct gl_box *b, int x, int y)
{
    return x > b->x && x < b->x + b->w - 1 &&
           (y == b->y - 1 || y == b->y + b->h);
}

/* Every property a drawing needs, for any input. */
static void
check_layout(const struct gl_layout *l, const int *label_w, int n,
             const struct gl_edge_in *e, int m)
{
    assert_int_equal(l->n_nodes, n);
    assert_int_equal(l->n_edges, m);
    for (int v = 0; v < n; v++) {
        const struct gl_box *b = &l->boxes[v];
        assert_true(b->x >= 0 && b->y >= 0);
        assert_true(b->x + b->w <= l->width && b->y + b->h <= l->height);
        assert_true(b->w >= label_w[v] + 4);
        assert_int_equal(b->h, 3);
        for (int u = 0; u < v; u++) {
            const struct gl_box *a = &l->boxes[u];
            int apart = a->x + a->w <= b->x || b->x + b->w <= a->x ||
                        a->y + a->h <= b->y || b->y + b->h <= a->y;
            assert_true(apart);
        }
    }
    for (int i = 0; i < m; i++) {
        const struct gl_route *r = &l->routes[i];
        assert_true(r->n == 4 || r->n == 6);
        assert_true(on_border(&l->boxes[e[i].from], r->pt[0].x, r->pt[0].y));
        assert_true(next_to(&l->boxes[e[i].to], r->pt[r->n - 1].x,
                            r->pt[r->n - 1].y));
        for (int k = 0; k + 1 < r->n; k++) {
            struct gl_point a = r->pt[k], b = r->pt[k + 1];
            assert_true(a.x == b.x || a.y == b.y);
            int dx = (b.x > a.x) - (b.x < a.x), dy = (b.y > a.y) - (b.y < a.y);
            for (struct gl_point p = a;; p.x += dx, p.y += dy) {
                assert_true(p.x >= 0 && p.x < l->width);
                assert_true(p.y >= 0 && p.y < l->height);
                if (k > 0 || p.x != a.x || p.y != a.y)
                    for (int v = 0; v < n; v++)
                        assert_false(inside(&l->boxes[v], p.x, p.y));
                if (p.x == b.x && p.y == b.y)
                    break;
            }
        }
        /* The label is inside the picture and on no box. */
        assert_true(r->label.x >= 0 && r->label.x + e[i].label_w <= l->width);
        for (int x = r->label.x; x < r->label.x + e[i].label_w; x++)
            for (int v = 0; v < n; v++)
                assert_false(inside(&l->boxes[v], x, r->label.y));
    }
}

static void
lay_and_check(const int *label_w, int n, const struct gl_edge_in *e, int m,
              struct gl_layout *l)
{
    gl_layout(label_w, n, e, m, 4, l);
    check_layout(l, label_w, n, e, m);
    /* The same input, the same picture. */
    struct gl_layout again;
    gl_layout(label_w, n, e, m, 4, &again);
    assert_int_equal(again.width, l->width);
    assert_int_equal(again.height, l->height);
    if (n)
        assert_memory_equal(again.boxes, l->boxes, (size_t)n * sizeof *l->boxes);
    if (m)
        assert_memory_equal(again.routes, l->routes,
                            (size_t)m * sizeof *l->routes);
    gl_layout_free(&again);
}

static void
test_no_nodes(void **state)
{
    (void)state;
    struct gl_layout l;
    gl_layout(NULL, 0, NULL, 0, 4, &l);
    assert_int_equal(l.width, 0);
    assert_int_equal(l.height, 0);
    int is_edge;
    assert_int_equal(gl_hit(&l, NULL, 0, 0, &is_edge), -1);
    gl_layout_free(&l);
}

static void
test_one_node_and_self_edge(void **state)
{
    (void)state;
    int w[] = {21};
    struct gl_layout l;
    lay_and_check(w, 1, NULL, 0, &l);
    assert_int_equal(l.n_layers, 1);
    assert_int_equal(l.height, 3);
    gl_layout_free(&l);

    struct gl_edge_in self[] = {{0, 0, 0, 4}};
    lay_and_check(w, 1, self, 1, &l);
    /* Out of the bottom and back in from below: an arrow pointing up. */
    assert_true(l.routes[0].pt[3].y == l.boxes[0].y + 3);
    assert_true(l.routes[0].pt[0].x != l.routes[0].pt[3].x);
    int is_edge;
    assert_int_equal(gl_hit(&l, self, l.boxes[0].x + 2, 1, &is_edge), 0);
    assert_int_equal(is_edge, 0);
    assert_int_equal(gl_hit(&l, self, l.routes[0].label.x, l.routes[0].label.y,
                            &is_edge), 0);
    assert_int_equal(is_edge, 1);
    gl_layout_free(&l);
}

/* The recorded demo: a top page embeds a widget that embeds a nested frame;
 * messages go both ways.  Top first, then the widget, then the nested frame. */
static void
test_demo_layers(void **state)
{
    (void)state;
    int w[] = {21, 21, 21}; /* 0 widget, 1 nested, 2 top: not in layer order */
    struct gl_edge_in e[] = {
        {2, 0, 0, 5}, {0, 2, 0, 4}, {1, 0, 0, 4}, {0, 1, 0, 5},
        {2, 0, 1, 3}, {0, 1, 1, 3},
    };
    struct gl_layout l;
    lay_and_check(w, 3, e, 6, &l);
    assert_int_equal(l.n_layers, 3);
    assert_int_equal(l.boxes[2].layer, 0);
    assert_int_equal(l.boxes[0].layer, 1);
    assert_int_equal(l.boxes[1].layer, 2);
    assert_true(l.boxes[2].y < l.boxes[0].y && l.boxes[0].y < l.boxes[1].y);
    /* Fits 80x20 (view 2 at 80x24 has 20 rows for the picture). */
    assert_true(l.width <= 80);
    assert_true(l.height <= 20);
    gl_layout_free(&l);
}

/* Messages only, around a loop: one root, every node placed once. */
static void
test_loop(void **state)
{
    (void)state;
    int w[] = {10, 12, 14, 8};
    struct gl_edge_in e[] = {
        {0, 1, 0, 3}, {1, 2, 0, 3}, {2, 3, 0, 3}, {3, 0, 0, 3}, {2, 0, 0, 3},
        {1, 1, 0, 2},
    };
    struct gl_layout l;
    lay_and_check(w, 4, e, 6, &l);
    /* Every node has an edge in: the root is the first with most edges out
     * (node 1: its self edge counts). */
    assert_int_equal(l.n_layers, 3);
    assert_int_equal(l.boxes[1].layer, 0);
    assert_int_equal(l.boxes[2].layer, 1);
    assert_int_equal(l.boxes[0].layer, 2);
    gl_layout_free(&l);

    /* Frames in a loop too (a page framed by a frame of its own). */
    struct gl_edge_in f[] = {{0, 1, 1, 3}, {1, 0, 1, 3}, {1, 2, 0, 3}};
    lay_and_check(w, 3, f, 3, &l);
    gl_layout_free(&l);
}

/* Two layers apart: the edge runs down the bypass column. */
static void
test_bypass(void **state)
{
    (void)state;
    int w[] = {6, 6, 6};
    struct gl_edge_in e[] = {{0, 1, 1, 3}, {1, 2, 1, 3}, {0, 2, 0, 3},
                             {2, 0, 0, 5}};
    struct gl_layout l;
    lay_and_check(w, 3, e, 4, &l);
    assert_int_equal(l.routes[2].n, 6);
    assert_int_equal(l.routes[3].n, 6);
    for (int v = 0; v < 3; v++)
        assert_true(l.routes[2].pt[2].x >= l.boxes[v].x + l.boxes[v].w);
    gl_layout_free(&l);
}

/* 200 nodes, 600 edges of every kind: it ends and everything is in bounds. */
static void
test_many_nodes(void **state)
{
    (void)state;
    enum { N = 200, M = 600 };
    int *w = calloc(N, sizeof *w);
    struct gl_edge_in *e = calloc(M, sizeof *e);
    assert_non_null(w);
    assert_non_null(e);
    unsigned seed = 12345;
    for (int v = 0; v < N; v++) {
        seed = seed * 1103515245u + 12345u;
        w[v] = 3 + (int)((seed >> 16) % 30);
    }
    for (int i = 0; i < M; i++) {
        seed = seed * 1103515245u + 12345u;
        e[i].from = (int)((seed >> 8) % N);
        seed = seed * 1103515245u + 12345u;
        e[i].to = (int)((seed >> 8) % N);
        e[i].frame = i % 3 == 0;
        e[i].label_w = 2 + i % 6;
    }
    struct gl_layout l;
    lay_and_check(w, N, e, M, &l);
    assert_true(l.n_layers >= 1 && l.n_layers <= N);
    gl_layout_free(&l);
    free(w);
    free(e);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_nodes),
        cmocka_unit_test(test_one_node_and_self_edge),
        cmocka_unit_test(test_demo_layers),
        cmocka_unit_test(test_loop),
        cmocka_unit_test(test_bypass),
        cmocka_unit_test(test_many_nodes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
