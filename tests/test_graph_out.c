/*
 * test_graph_out.c - the origin graph's writers on edge rows built by
 * hand: every mark and count an edge row can carry reaches the dot and
 * Mermaid labels and the JSON; nodes are ranked top-level first, the
 * unknown origin last; graph_keep_around keeps the findings' origins,
 * the message edges touching them and the frame edges around those.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "graph_out.h"
#include "store_query.h"

static void
add(struct pm_graph *g, const char *kind, const char *from, int64_t from_id,
    const char *to, int64_t to_id, unsigned marks, int64_t count)
{
    struct pm_edge_row r = {
        .kind = kind, .from = from, .to = to, .from_id = from_id,
        .to_id = to_id, .count = count, .marks = marks,
    };
    graph_add_edge_row(&r, g);
}

static void
test_every_field_is_drawn(void **state)
{
    (void)state;
    struct pm_graph g;
    graph_init(&g);
    struct pm_edge_row r = {
        .kind = "message", .from = "https://a.example", .from_id = 1,
        .to = "https://b.example", .to_id = 2, .count = 3, .wildcard = 2,
        .marks = PM_EDGE_OBSERVED | PM_EDGE_STATIC, .sends = 2,
        .sends_wildcard = 1, .accepted = 1, .rejected = 2, .unknown = 3,
    };
    graph_add_edge_row(&r, &g);
    add(&g, "frame", "https://a.example", 1, "https://b.example", 2, 0, 1);
    r.marks = PM_EDGE_STATIC;
    r.count = r.wildcard = r.accepted = r.unknown = 0;
    r.sends = 1;
    r.sends_wildcard = 0;
    r.from = "https://b.example", r.from_id = 2;
    r.to = "https://a.example", r.to_id = 1;
    graph_add_edge_row(&r, &g);
    g.nodes[0].top_level = 1;
    struct pm_buf b;
    pm_buf_init(&b);
    graph_write_dot(&b, &g);
    assert_non_null(strstr(b.data, "n1 -> n2 [label=\"3 observed (2 *)\\n"
                                   "2 static sends (1 *)\\naccepted 1, "
                                   "rejected 2, unknown 3\"];"));
    assert_non_null(strstr(b.data, "n1 -> n2 [style=dashed, label=\"embeds\"];"));
    assert_non_null(strstr(b.data, "n2 -> n1 [label=\"1 static send\\n"
                                   "rejected 2\"];"));
    assert_non_null(strstr(b.data, "n1 [label=\"https://a.example\", style=bold];"));
    assert_non_null(strstr(b.data, "{ rank=min; n1; }"));
    pm_buf_reset(&b);
    graph_write_mermaid(&b, &g);
    assert_non_null(strstr(b.data, "    n1 -->|\"3 observed (2 *), 2 static "
                                   "sends (1 *), accepted 1, rejected 2, "
                                   "unknown 3\"| n2\n"));
    assert_non_null(strstr(b.data, "    n1 -.->|\"embeds\"| n2\n"));
    assert_non_null(strstr(b.data, "    class n1 top\n"));
    pm_buf_release(&b);
    cJSON *j = graph_to_json(&g);
    char *text = cJSON_PrintUnformatted(cJSON_GetArrayItem(
        cJSON_GetObjectItem(j, "edges"), 0));
    assert_string_equal(text,
        "{\"kind\":\"message\",\"from\":\"n1\",\"to\":\"n2\","
        "\"from_origin\":\"https://a.example\",\"to_origin\":"
        "\"https://b.example\",\"marks\":[\"observed\",\"static\"],"
        "\"count\":3,\"wildcard_target\":2,\"sends\":2,"
        "\"sends_wildcard_target\":1,\"accepted\":1,\"rejected\":2,"
        "\"unknown\":3}");
    free(text);
    cJSON_Delete(j);
    graph_release(&g);
}

static void
test_ranks(void **state)
{
    (void)state;
    struct pm_graph g;
    graph_init(&g);
    add(&g, "message", NULL, 0, "https://z.example", 3, 0, 1);
    add(&g, "message", "https://b.example", 2, "https://a.example", 1, 0, 1);
    g.nodes[1].top_level = 1; /* z */
    struct pm_buf b;
    pm_buf_init(&b);
    graph_write_mermaid(&b, &g);
    assert_string_equal(b.data,
                        "flowchart LR\n"
                        "    n1[\"https://z.example\"]\n"
                        "    n2[\"https://a.example\"]\n"
                        "    n3[\"https://b.example\"]\n"
                        "    n4[\"(unknown origin)\"]\n"
                        "    n4 -->|\"1 observed\"| n1\n"
                        "    n3 -->|\"1 observed\"| n2\n"
                        "    classDef top stroke-width:3px\n"
                        "    class n1 top\n");
    pm_buf_release(&b);
    graph_release(&g);
}

static void
test_keep_around(void **state)
{
    (void)state;
    struct pm_graph g;
    graph_init(&g);
    add(&g, "message", "https://f.example", 1, "https://r.example", 2, 0, 5);
    add(&g, "message", "https://x.example", 3, "https://y.example", 4, 0, 9);
    add(&g, "message", "https://r.example", 2, "https://n.example", 5, 0, 1);
    add(&g, "frame", "https://t.example", 6, "https://n.example", 5, 0, 1);
    add(&g, "frame", "https://t.example", 6, "https://y.example", 4, 0, 1);
    const char *origins[] = {"https://r.example", NULL, "https://lone.example"};
    graph_keep_around(&g, origins, 3, 10);
    struct pm_buf b;
    pm_buf_init(&b);
    graph_write_mermaid(&b, &g);
    /* x -> y and t embeds y touch nothing of the finding's */
    assert_string_equal(b.data,
                        "flowchart LR\n"
                        "    n1[\"https://f.example\"]\n"
                        "    n2[\"https://lone.example\"]\n"
                        "    n3[\"https://n.example\"]\n"
                        "    n4[\"https://r.example\"]\n"
                        "    n5[\"https://t.example\"]\n"
                        "    n1 -->|\"5 observed\"| n4\n"
                        "    n4 -->|\"1 observed\"| n3\n"
                        "    n5 -.->|\"embeds\"| n3\n");
    assert_int_equal(g.edges_left_out, 0);
    graph_keep_around(&g, origins, 3, 1);
    assert_int_equal(g.nedges, 1);
    assert_int_equal(g.edges_left_out, 2);
    pm_buf_release(&b);
    graph_release(&g);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_field_is_drawn),
        cmocka_unit_test(test_ranks),
        cmocka_unit_test(test_keep_around),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
