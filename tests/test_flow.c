/*
 * test_flow.c - reply correlation on a real SQLite workspace: correlation
 * fields, direction, MessagePort conversations, flow ids, idempotent
 * re-runs, and the sensitive-data test of the wildcard rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flow.h"
#include "scratch_ws.h"
#include "store.h"
#include "suggest.h"

static void
test_correlation_key(void **state)
{
    (void)state;
    char k[256];
    assert_int_equal(flow_correlation_key("{\"id\":7,\"cmd\":\"x\"}", k, sizeof k), 1);
    assert_string_equal(k, "id=7");
    assert_int_equal(flow_correlation_key("{\"requestId\":\"abc\"}", k, sizeof k), 1);
    assert_string_equal(k, "requestId=\"abc\"");
    /* data sent as a JSON string */
    assert_int_equal(flow_correlation_key("\"{\\\"callbackId\\\":12}\"", k, sizeof k), 1);
    assert_string_equal(k, "callbackId=12");
    assert_int_equal(flow_correlation_key("{\"type\":\"hello\"}", k, sizeof k), 0);
    assert_int_equal(flow_correlation_key("[1,2]", k, sizeof k), 0);
    assert_int_equal(flow_correlation_key("not json", k, sizeof k), 0);
    assert_int_equal(flow_correlation_key("{\"id\":\"\"}", k, sizeof k), 0);
    assert_int_equal(flow_correlation_key(NULL, k, sizeof k), 0);
}

struct ws {
    struct scratch_ws sw;
    int64_t src, w1, w2, w3;
};

static int
ws_setup(void **state)
{
    struct ws *w = calloc(1, sizeof *w);
    struct pm_err err = PM_ERR_INIT;
    assert_int_equal(scratch_ws_open(&w->sw, "flow"), 0);
    assert_int_equal(store_begin(w->sw.st, &err), PM_OK);
    struct pm_source_rec s = {.path = "t", .format = "trace", .sha256 = "00", .size = 1};
    assert_int_equal(store_add_source(w->sw.st, &s, &w->src, &err), PM_OK);
    struct pm_window_rec a = {.source_id = w->src, .ext_id = "A", .kind = "top",
                              .url = "https://a.example/", .origin = "https://a.example",
                              .first_seen = 0};
    struct pm_window_rec b = a, c = a;
    b.ext_id = "B";
    b.kind = "iframe";
    b.url = "https://b.example/";
    b.origin = "https://b.example";
    c.ext_id = "C";
    c.kind = "iframe";
    c.url = "https://c.example/";
    c.origin = "https://c.example";
    assert_int_equal(store_add_window(w->sw.st, &a, &w->w1, &err), PM_OK);
    b.parent_id = w->w1;
    c.parent_id = w->w1;
    assert_int_equal(store_add_window(w->sw.st, &b, &w->w2, &err), PM_OK);
    assert_int_equal(store_add_window(w->sw.st, &c, &w->w3, &err), PM_OK);
    *state = w;
    return 0;
}

static int
ws_teardown(void **state)
{
    struct ws *w = *state;
    store_rollback(w->sw.st);
    scratch_ws_close(&w->sw);
    free(w);
    return 0;
}

static int64_t
add_msg(struct ws *w, double ts, int64_t from, int64_t to, const char *via,
        const char *port, const char *data)
{
    struct pm_err err = PM_ERR_INIT;
    const char *o[4] = {NULL, "https://a.example", "https://b.example", "https://c.example"};
    struct pm_message_rec m = {
        .source_id = w->src, .ts = ts, .sender_window_id = from,
        .receiver_window_id = to, .sender_origin = o[from - w->w1 + 1],
        .receiver_origin = o[to - w->w1 + 1], .target_origin = "*", .via = via,
        .port = port, .data_json = data,
    };
    int64_t id;
    assert_int_equal(store_add_message(w->sw.st, &m, &id, &err), PM_OK);
    return id;
}

struct links {
    int64_t id[32], reply_to[32], flow[32];
    int n;
};

static int
collect(const struct pm_flow_msg *m, void *ctx)
{
    struct links *l = ctx;
    if (l->n < 32) {
        l->id[l->n] = m->id;
        l->reply_to[l->n] = m->reply_to;
        l->flow[l->n] = m->flow_id;
        l->n++;
    }
    return 0;
}

static void
test_link(void **state)
{
    struct ws *w = *state;
    struct pm_err err = PM_ERR_INIT;
    int64_t req = add_msg(w, 1, w->w1, w->w2, "window", NULL, "{\"id\":7,\"cmd\":\"get\"}");
    /* same id, same direction: not a reply */
    int64_t again = add_msg(w, 2, w->w1, w->w2, "window", NULL, "{\"id\":7,\"cmd\":\"get\"}");
    /* same id from a third window: not a reply either */
    int64_t other = add_msg(w, 3, w->w3, w->w1, "window", NULL, "{\"id\":7}");
    int64_t rep = add_msg(w, 4, w->w2, w->w1, "window", NULL, "{\"id\":7,\"result\":1}");
    int64_t ping = add_msg(w, 5, w->w1, w->w2, "port", "P1", "{\"type\":\"ping\"}");
    int64_t pong = add_msg(w, 6, w->w2, w->w1, "port", "P1", "{\"type\":\"pong\"}");
    int64_t other_port = add_msg(w, 7, w->w2, w->w1, "port", "P2", "{\"type\":\"x\"}");
    long linked = 0;
    assert_int_equal(flow_link_source(w->sw.st, w->src, &linked, &err), PM_OK);
    assert_int_equal(linked, 2);
    struct links l = {0};
    assert_int_equal(store_each_message_by_time(w->sw.st, w->src, collect, &l, &err), PM_OK);
    assert_int_equal(l.n, 7);
    assert_int_equal(l.reply_to[3], again); /* the latest request in the other direction */
    assert_int_equal(l.flow[3], again);
    assert_int_equal(l.reply_to[0], 0);
    assert_int_equal(l.flow[0], req);
    assert_int_equal(l.reply_to[2], 0);
    assert_int_equal(l.flow[2], other);
    assert_int_equal(l.reply_to[5], ping);
    assert_int_equal(l.flow[5], ping);
    assert_int_equal(l.reply_to[6], 0);
    assert_int_equal(l.flow[6], other_port);
    (void)rep;
    (void)pong;

    /* the flow of the reply holds the request and the reply */
    int64_t fid;
    assert_int_equal(store_message_flow_id(w->sw.st, rep, &fid, &err), PM_OK);
    assert_int_equal(fid, again);
    struct links f = {0};
    assert_int_equal(store_each_flow_message(w->sw.st, fid, collect, &f, &err), PM_OK);
    assert_int_equal(f.n, 2);
    assert_int_equal(f.id[0], again);
    assert_int_equal(f.id[1], rep);

    /* a second run changes nothing */
    linked = 0;
    assert_int_equal(flow_link_source(w->sw.st, w->src, &linked, &err), PM_OK);
    assert_int_equal(linked, 2);
    struct links l2 = {0};
    assert_int_equal(store_each_message_by_time(w->sw.st, w->src, collect, &l2, &err), PM_OK);
    assert_memory_equal(l.reply_to, l2.reply_to, sizeof l.reply_to);
    assert_memory_equal(l.flow, l2.flow, sizeof l.flow);

    assert_int_equal(store_message_flow_id(w->sw.st, 999999, &fid, &err), PM_ERR_NOTFOUND);
}

static int64_t
add_caused(struct ws *w, double ts, int64_t from, int64_t to, const char *ext,
           const char *cause, const char *data)
{
    struct pm_err err = PM_ERR_INIT;
    struct pm_message_rec m = {
        .source_id = w->src, .ext_id = ext, .ts = ts, .sender_window_id = from,
        .receiver_window_id = to, .target_origin = "*", .via = "window",
        .data_json = data, .cause = cause,
    };
    int64_t id;
    assert_int_equal(store_add_message(w->sw.st, &m, &id, &err), PM_OK);
    return id;
}

static void
test_link_by_cause(void **state)
{
    struct ws *w = *state;
    struct pm_err err = PM_ERR_INIT;
    /* no correlation field anywhere: only the recorded cause links */
    int64_t hello = add_caused(w, 1, w->w3, w->w2, "M1", NULL, "{\"type\":\"hi\"}");
    /* sent while handling M1, but to a third window: not a reply */
    add_caused(w, 2, w->w2, w->w1, "M2", "M1", "{\"type\":\"fwd\"}");
    /* back to M1's sender: the reply */
    int64_t ack = add_caused(w, 3, w->w2, w->w3, "M3", "M1", "{\"type\":\"ack\"}");
    /* a cause that is not in the trace, and one going the same way */
    add_caused(w, 4, w->w1, w->w2, "M4", "M99", "{\"type\":\"x\"}");
    add_caused(w, 5, w->w3, w->w2, "M5", "M1", "{\"type\":\"again\"}");
    long linked = 0;
    assert_int_equal(flow_link_source(w->sw.st, w->src, &linked, &err), PM_OK);
    assert_int_equal(linked, 1);
    struct links l = {0};
    assert_int_equal(store_each_message_by_time(w->sw.st, w->src, collect, &l, &err), PM_OK);
    assert_int_equal(l.n, 5);
    assert_int_equal(l.reply_to[1], 0);
    assert_int_equal(l.reply_to[2], hello);
    assert_int_equal(l.flow[2], hello);
    assert_int_equal(l.id[2], ack);
    assert_int_equal(l.reply_to[3], 0);
    assert_int_equal(l.reply_to[4], 0);
}

static void
test_sensitive(void **state)
{
    (void)state;
    char what[32];
    assert_true(suggest_sensitive_data("{\"token\":\"abc\"}", what, sizeof what));
    assert_string_equal(what, "token");
    assert_true(suggest_sensitive_data("{\"user\":{\"email\":\"a@b.example\"}}", what, sizeof what));
    assert_string_equal(what, "email");
    assert_true(suggest_sensitive_data("{\"x\":\"eyJhbGciOi.eyJzdWIi.sig\"}", what, sizeof what));
    assert_string_equal(what, "jwt");
    assert_true(suggest_sensitive_data("{\"apiKey\":\"k\"}", what, sizeof what));
    assert_string_equal(what, "key");
    assert_true(suggest_sensitive_data("\"{\\\"sessionId\\\":\\\"s\\\"}\"", what, sizeof what));
    assert_false(suggest_sensitive_data("{\"keyboard\":\"a\",\"monkey\":\"b\"}", what,
                                        sizeof what));
    assert_false(suggest_sensitive_data("{\"type\":\"resize\",\"h\":10}", what, sizeof what));
    assert_false(suggest_sensitive_data("{\"token\":\"\"}", what, sizeof what));
    assert_false(suggest_sensitive_data("garbage", what, sizeof what));
    assert_string_equal(suggest_raise("medium"), "high");
    assert_string_equal(suggest_raise("high"), "critical");
    assert_string_equal(suggest_raise("critical"), "critical");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_correlation_key),
        cmocka_unit_test_setup_teardown(test_link, ws_setup, ws_teardown),
        cmocka_unit_test_setup_teardown(test_link_by_cause, ws_setup, ws_teardown),
        cmocka_unit_test(test_sensitive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
