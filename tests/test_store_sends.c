/*
 * test_store_sends.c - the send-site reads of view 7 and `show send`
 * (store_sends.h) on a small trace: a page scoped to a sender origin and
 * to a list of ids (as view 7 shows one origin edge), paged forward and
 * backward; one site with its stack and the document and origin it sent
 * from; the messages a site sent; a missing site; an origin's text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "scratch_ws.h"
#include "store_query.h"
#include "store_sends.h"

static const char trace[] =
    "{\"v\":1,\"type\":\"meta\",\"tool\":\"t\",\"tool_version\":\"1\","
    "\"start_url\":\"https://a.example/\",\"started\":\"2026-11-25T10:00:00Z\"}\n"
    "{\"v\":1,\"type\":\"frame\",\"id\":\"F1\",\"kind\":\"top\","
    "\"url\":\"https://a.example/\",\"parent\":null,\"opener\":null,\"ts\":0}\n"
    "{\"v\":1,\"type\":\"frame\",\"id\":\"F2\",\"kind\":\"iframe\","
    "\"url\":\"https://w.example/w.html\",\"parent\":\"F1\",\"opener\":null,"
    "\"ts\":1}\n"
    /* a.example sends twice to the frame, the frame once to its parent */
    "{\"v\":1,\"type\":\"send\",\"frame\":\"F1\",\"ts\":10,"
    "\"target_origin\":\"https://w.example\",\"via\":\"window\","
    "\"data\":{\"n\":1},\"script_url\":\"https://a.example/a.js\",\"line\":3,"
    "\"col\":5,\"stack\":\"    at go (https://a.example/a.js:3:5)\","
    "\"x_target\":\"frames[0]\",\"x_message\":\"M1\"}\n"
    "{\"v\":1,\"type\":\"message\",\"id\":\"M1\",\"ts\":11,\"sender\":\"F1\","
    "\"receiver\":\"F2\",\"target_origin\":\"https://w.example\","
    "\"via\":\"window\",\"data\":{\"n\":1}}\n"
    "{\"v\":1,\"type\":\"send\",\"frame\":\"F2\",\"ts\":20,"
    "\"target_origin\":\"*\",\"via\":\"window\",\"data\":{\"n\":2},"
    "\"script_url\":\"https://w.example/w.js\",\"line\":7,\"col\":9,"
    "\"stack\":\"    at reply (https://w.example/w.js:7:9)\","
    "\"x_target\":\"parent\",\"x_message\":\"M2\"}\n"
    "{\"v\":1,\"type\":\"message\",\"id\":\"M2\",\"ts\":21,\"sender\":\"F2\","
    "\"receiver\":\"F1\",\"target_origin\":\"*\",\"via\":\"window\","
    "\"data\":{\"n\":2}}\n"
    "{\"v\":1,\"type\":\"send\",\"frame\":\"F1\",\"ts\":30,"
    "\"target_origin\":\"https://w.example\",\"via\":\"window\","
    "\"data\":{\"n\":3},\"script_url\":\"https://a.example/a.js\",\"line\":9,"
    "\"col\":5,\"stack\":\"    at again (https://a.example/a.js:9:5)\","
    "\"x_target\":\"frames[0]\",\"x_message\":\"M3\"}\n"
    "{\"v\":1,\"type\":\"message\",\"id\":\"M3\",\"ts\":31,\"sender\":\"F1\","
    "\"receiver\":\"F2\",\"target_origin\":\"https://w.example\","
    "\"via\":\"window\",\"data\":{\"n\":3}}\n";

static int
setup(void **state)
{
    if (scratch_import_setup(state, "sends", "t.jsonl"))
        return -1;
    struct scratch_import *f = *state;
    FILE *fp = fopen(f->input, "w");
    if (fp == NULL)
        return -1;
    fputs(trace, fp);
    fclose(fp);
    return scratch_import(f, f->input, 0) == PM_OK ? 0 : -1;
}

struct ids {
    char text[256];
    char stack[128], origin[64], doc_url[64];
};

static int
collect(const struct pm_ui_send_site *x, void *ctx)
{
    struct ids *o = ctx;
    size_t n = strlen(o->text);
    snprintf(o->text + n, sizeof o->text - n, "%s%lld", n ? "," : "",
             (long long)x->id);
    snprintf(o->origin, sizeof o->origin, "%s", x->origin ? x->origin : "");
    snprintf(o->stack, sizeof o->stack, "%s", x->stack ? x->stack : "");
    snprintf(o->doc_url, sizeof o->doc_url, "%s",
             x->doc_url ? x->doc_url : "");
    return 0;
}

static const char *
page(struct pm_store *st, const struct pm_send_site_scope *scope,
     int64_t after, int backward)
{
    static struct ids o;
    struct pm_err err = PM_ERR_INIT;
    memset(&o, 0, sizeof o);
    assert_int_equal(store_ui_page_send_sites(st, scope, after, backward, 10,
                                              collect, &o, &err),
                     PM_OK);
    return o.text;
}

static int64_t
origin_id(struct scratch_import *f, const char *origin)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT id FROM origins WHERE text = '%s'",
             origin);
    return strtoll(scratch_ws_rows(&f->sw, sql, ""), NULL, 10);
}

static void
test_scope(void **state)
{
    struct scratch_import *f = *state;
    struct pm_store *st = f->sw.st;
    assert_string_equal(page(st, NULL, 0, 0), "1,2,3");
    assert_string_equal(page(st, NULL, 0, 1), "3,2,1");
    assert_string_equal(page(st, NULL, 3, 1), "2,1");
    int64_t a = origin_id(f, "https://a.example");
    int64_t w = origin_id(f, "https://w.example");
    struct pm_send_site_scope from_a = {a, NULL, 0};
    assert_string_equal(page(st, &from_a, 0, 0), "1,3");
    assert_string_equal(page(st, &from_a, 1, 0), "3");
    struct pm_send_site_scope from_w = {w, NULL, 0};
    assert_string_equal(page(st, &from_w, 0, 0), "2");
    /* the caller's ids, within the sender origin's */
    int64_t only3[] = {3, 2};
    struct pm_send_site_scope edge = {a, only3, 2};
    assert_string_equal(page(st, &edge, 0, 0), "3");
    struct pm_send_site_scope none = {a, only3, 0};
    assert_string_equal(page(st, &none, 0, 0), "");
}

static void
test_one_site(void **state)
{
    struct scratch_import *f = *state;
    struct ids o;
    struct pm_err err = PM_ERR_INIT;
    memset(&o, 0, sizeof o);
    assert_int_equal(store_ui_get_send_site(f->sw.st, 2, collect, &o, &err),
                     PM_OK);
    assert_string_equal(o.origin, "https://w.example");
    assert_string_equal(o.doc_url, "https://w.example/w.html");
    assert_string_equal(o.stack, "    at reply (https://w.example/w.js:7:9)");
    assert_int_equal(store_ui_get_send_site(f->sw.st, 9, collect, &o, &err),
                     PM_ERR_NOTFOUND);
    assert_string_equal(err.msg, "no send site 9");

    int64_t ids[4];
    int n;
    int64_t count;
    struct pm_err e2 = PM_ERR_INIT;
    assert_int_equal(store_send_site_messages(f->sw.st, 3, ids, 4, &n, &count,
                                              &e2),
                     PM_OK);
    assert_int_equal(count, 1);
    assert_int_equal(n, 1);
    assert_string_equal(scratch_ws_rows(&f->sw,
                                        "SELECT ext_id FROM messages WHERE id ="
                                        " (SELECT id FROM messages"
                                        "  WHERE send_site_id = 3)", ""),
                        "M3\n");
    assert_int_equal(store_send_site_messages(f->sw.st, 9, ids, 4, &n, &count,
                                              &e2),
                     PM_OK);
    assert_int_equal(count, 0);

    char *text = NULL;
    assert_int_equal(store_origin_text(f->sw.st, origin_id(f, "https://w.example"),
                                       &text, &e2),
                     PM_OK);
    assert_string_equal(text, "https://w.example");
    free(text);
    assert_int_equal(store_origin_text(f->sw.st, 999, &text, &e2),
                     PM_ERR_NOTFOUND);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_scope, setup,
                                        scratch_import_teardown),
        cmocka_unit_test_setup_teardown(test_one_site, setup,
                                        scratch_import_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
