/*
 * test_poc_payload.c - payloads derived from handler code: guards on the
 * path to the sink satisfied with their constants, the canary where the
 * sink reads, and a clear reason when the guards cannot be derived.  The
 * handlers follow the shapes of widely used libraries (RPC routers,
 * JSON-string protocols, action tables, switch dispatchers, jQuery-style
 * HTML writers), written for these tests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "poc_payload.h"

struct expect {
    const char *code;
    int rc;
    enum poc_sink_kind kind;
    const char *sink;
    const char *data_js;
    int stringify;
};

static void
check(const struct expect *x)
{
    struct poc_payload p;
    int rc = poc_payload_build(x->code, &p);
    if (rc != x->rc || p.kind != x->kind ||
        (x->data_js && (p.data_js == NULL || strcmp(p.data_js, x->data_js) != 0)))
        print_error("code: %s\nrc %d kind %d sink %s data %s unmet %s\n", x->code, rc,
                    p.kind, p.sink, p.data_js ? p.data_js : "(null)",
                    p.unmet ? p.unmet : "-");
    assert_int_equal(rc, x->rc);
    assert_int_equal(p.kind, x->kind);
    if (x->sink)
        assert_string_equal(p.sink, x->sink);
    if (x->data_js)
        assert_string_equal(p.data_js, x->data_js);
    assert_int_equal(p.stringify, x->stringify);
    if (x->rc != 0)
        assert_non_null(p.unmet);
    poc_payload_free(&p);
}

static void
test_demo_shapes(void **state)
{
    (void)state;
    /* nested.html: an alias of event.data and a type test */
    check(&(struct expect){
        "function (event) {\n var data = event.data;\n if (data.type === 'config') {\n"
        "  document.getElementById('theme').innerHTML = data.theme;\n }\n}",
        0, POC_SINK_HTML, "innerHTML", "{\"theme\": canary, \"type\": \"config\"}", 0});
    /* popup.html: an origin check (skipped), then a type test and storage */
    check(&(struct expect){
        "function (event) {\n if (!event.origin.startsWith('http://127.0.0.1')) return;\n"
        " if (event.data.type === 'welcome') {\n"
        "  localStorage.setItem('session', event.data.session);\n }\n}",
        0, POC_SINK_STORAGE, "localStorage", "{\"session\": canary, \"type\": \"welcome\"}", 0});
    /* widget.js: a reply to event.source under a command test */
    check(&(struct expect){
        "function onHostMessage(e) {\n if (e.origin.indexOf('http://127.0.0.1') > -1) {\n"
        "  if (e.data.cmd === 'getUser') {\n"
        "   e.source.postMessage({id: e.data.id, result: {}}, e.origin);\n"
        "  } else if (e.data.type === 'port') { port = e.ports[0]; }\n }\n}",
        0, POC_SINK_REPLY, "reply", "{\"cmd\": \"getUser\"}", 0});
}

static void
test_library_shapes(void **state)
{
    (void)state;
    /* a JSON-string protocol with a namespace prefix and an early return */
    check(&(struct expect){
        "function (e) {\n if (typeof e.data !== 'string') return;\n"
        " var msg = JSON.parse(e.data);\n if (msg.ns !== 'widget-sdk') return;\n"
        " if (msg.method == 'render') { container.insertAdjacentHTML('beforeend', msg.params.html); }\n}",
        0, POC_SINK_HTML, "insertAdjacentHTML",
        "{\"params\": {\"html\": canary}, \"method\": \"render\", \"ns\": \"widget-sdk\"}", 1});
    /* an action table: data.action in handlers */
    check(&(struct expect){
        "function (ev) {\n var handlers = { navigate: 1, close: 2 };\n"
        " var d = ev.data;\n if (typeof d === 'object' && d.action in handlers) {\n"
        "  window.location.href = d.url;\n }\n}",
        0, POC_SINK_LOCATION, "location", "{\"url\": canary, \"action\": \"navigate\"}", 0});
    /* a switch dispatcher with eval in one case */
    check(&(struct expect){
        "(evt) => {\n const m = evt.data || {};\n switch (m.kind) {\n"
        "  case 'ping': evt.source.postMessage('pong', '*'); break;\n"
        "  case 'exec': eval(m.code); break;\n }\n}",
        0, POC_SINK_CODE, "eval", "{\"code\": canary, \"kind\": \"exec\"}", 0});
    /* a nested RPC envelope tested with && and a numeric version */
    check(&(struct expect){
        "function handle(event) {\n var p = event.data.payload;\n"
        " if (event.data.v === 2 && p && p.op === 'html') { $('#out').html(p.markup); }\n}",
        0, POC_SINK_HTML, "html",
        "{\"payload\": {\"markup\": canary, \"op\": \"html\"}, \"v\": 2}", 0});
    /* the whole data written as HTML: the data is the canary */
    check(&(struct expect){
        "function (e) { document.body.innerHTML = e.data; }",
        0, POC_SINK_HTML, "innerHTML", "canary", 0});
    /* setTimeout with a string built from the data */
    check(&(struct expect){
        "function (e) { if (e.data['cb']) setTimeout('window.' + e.data['cb'] + '()', 0); }",
        0, POC_SINK_CODE, "setTimeout", "{\"cb\": canary}", 0});
}

static void
test_fallbacks(void **state)
{
    (void)state;
    /* the keys of the table are declared elsewhere */
    check(&(struct expect){
        "function (e) { if (e.data.op in ROUTES) eval(e.data.src); }",
        -1, POC_SINK_CODE, "eval", NULL, 0});
    /* compared with a value computed at run time */
    check(&(struct expect){
        "function (e) { if (e.data.nonce === session.nonce) el.innerHTML = e.data.html; }",
        -1, POC_SINK_HTML, "innerHTML", NULL, 0});
    /* no sink at all */
    check(&(struct expect){
        "function (e) { console.log(e.data.type); }", -1, POC_SINK_NONE, NULL, NULL, 0});
    /* the sink reads a constant */
    check(&(struct expect){
        "function (e) { if (e.data.go) location.href = '/home'; }",
        -1, POC_SINK_LOCATION, "location", NULL, 0});
    /* not code */
    check(&(struct expect){"", -1, POC_SINK_NONE, NULL, NULL, 0});
    check(&(struct expect){"}}}{{{ (((", -1, POC_SINK_NONE, NULL, NULL, 0});
}

static void
test_constants_are_reencoded(void **state)
{
    (void)state;
    /* a constant with a quote, a backslash and markup stays a string */
    check(&(struct expect){
        "function (e) { if (e.data.t === '</script><b>\\'x') el.innerHTML = e.data.h; }",
        0, POC_SINK_HTML, "innerHTML",
        "{\"h\": canary, \"t\": \"\\u003c/script\\u003e\\u003cb\\u003e'x\"}", 0});
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_shapes),
        cmocka_unit_test(test_library_shapes),
        cmocka_unit_test(test_fallbacks),
        cmocka_unit_test(test_constants_are_reencoded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
