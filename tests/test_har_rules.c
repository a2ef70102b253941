/*
 * test_har_rules.c - one test per rule of the HAR importer's window
 * inference (docs/har.md, "How windows and frames are rebuilt"): each
 * builds a small HAR whose entries carry exactly the evidence the rule
 * reads, imports it, and checks the windows, their documents and the
 * window of each request.  The real files these rules were written for
 * are scored by tests/cli/har_truth.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "import.h"
#include "scratch_ws.h"

/* ---- building a HAR ---------------------------------------------------- */

/* The file being built; entries get start times 10 ms apart. */
struct har_text {
    struct pm_buf b;
    int n;
};

static void
har_begin(struct har_text *h, const char *pages_json)
{
    pm_buf_init(&h->b);
    h->n = 0;
    pm_buf_addf(&h->b, "{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":"
                "\"rules\",\"version\":\"1\"},\"pages\":%s,\"entries\":[\n",
                pages_json);
}

/* "Name: value|Name: value" as a HAR headers array. */
static void
add_headers(struct pm_buf *b, const char *spec)
{
    pm_buf_addc(b, '[');
    for (const char *p = spec; p && *p;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        const char *colon = memchr(p, ':', len);
        assert_non_null(colon);
        const char *v = colon + 1;
        while (*v == ' ')
            v++;
        pm_buf_addf(b, "%s{\"name\":\"%.*s\",\"value\":\"%.*s\"}",
                    p == spec ? "" : ",", (int)(colon - p), p,
                    (int)(p + len - v), v);
        p = bar ? bar + 1 : p + len;
    }
    pm_buf_addc(b, ']');
}

/*
 * One entry.  extra is more members of the entry (",\"_resourceType\":
 * \"document\""), req and resp are header specs for add_headers, body
 * the response text (JSON-escaped already) or NULL.
 */
static void
har_add(struct har_text *h, const char *page, const char *method,
        const char *url, int status, const char *mime, const char *extra,
        const char *req, const char *resp, const char *body)
{
    struct pm_buf *b = &h->b;
    pm_buf_addf(b, "%s{%s%s%s\"startedDateTime\":\"2026-01-01T00:00:%02d.%03dZ\"%s,"
                "\"request\":{\"method\":\"%s\",\"url\":\"%s\",\"headers\":",
                h->n ? ",\n" : "", page ? "\"pageref\":\"" : "",
                page ? page : "", page ? "\"," : "", h->n / 100,
                h->n % 100 * 10, extra ? extra : "", method, url);
    add_headers(b, req);
    pm_buf_addf(b, "},\"response\":{\"status\":%d,\"headers\":", status);
    add_headers(b, resp);
    pm_buf_addf(b, ",\"content\":{\"mimeType\":\"%s\"", mime ? mime : "");
    if (body)
        pm_buf_addf(b, ",\"text\":\"%s\"", body);
    pm_buf_add(b, "}}}", 3);
    h->n++;
}

#define GET(h, page, url, status, mime, extra, req, resp, body) \
    har_add(h, page, "GET", url, status, mime, extra, req, resp, body)

/* Write the file, import it (again if need be), release the text. */
static void
har_import(struct scratch_import *f, struct har_text *h)
{
    pm_buf_add(&h->b, "]}}\n", 4);
    FILE *fp = fopen(f->input, "wb");
    assert_non_null(fp);
    fwrite(h->b.data, 1, h->b.len, fp);
    fclose(fp);
    pm_buf_release(&h->b);
    if (scratch_import(f, f->input, 1) != PM_OK)
        fail_msg("import failed: %s", f->errtext);
    assert_int_equal(f->res.warnings, 0);
}

/* Windows of the last source: kind, url, parent url, how, opener url. */
static const char *
windows(struct scratch_import *f)
{
    return scratch_ws_rows(&f->sw,
        "SELECT w.kind, w.url, ifnull(p.url,'-'), ifnull(w.parent_how,'-'),"
        " ifnull(o.url,'-') FROM windows w"
        " LEFT JOIN windows p ON p.id=w.parent_id"
        " LEFT JOIN windows o ON o.id=w.opener_id"
        " WHERE w.source_id=(SELECT max(id) FROM sources) ORDER BY w.id", "-");
}

/* The documents of each window of the last source, in order. */
static const char *
documents(struct scratch_import *f)
{
    return scratch_ws_rows(&f->sw,
        "SELECT w.url, group_concat(n.url, ' ') FROM windows w"
        " JOIN documents n ON n.window_id=w.id"
        " WHERE w.source_id=(SELECT max(id) FROM sources)"
        " GROUP BY w.id ORDER BY w.id", "-");
}

/* Each request of the last source: entry index and its window's URL. */
static const char *
request_windows(struct scratch_import *f)
{
    return scratch_ws_rows(&f->sw,
        "SELECT r.entry_index, ifnull(w.url,'-') FROM requests r"
        " LEFT JOIN windows w ON w.id=r.window_id"
        " WHERE r.source_id=(SELECT max(id) FROM sources)"
        " ORDER BY r.entry_index", "-");
}

static int
setup(void **state)
{
    return scratch_import_setup(state, "har-rules", "rules.har");
}

#define DOC "Sec-Fetch-Dest: document"
#define FRAME "Sec-Fetch-Dest: iframe"
#define NAV_ACCEPT "Accept: text/html,application/xhtml+xml"
#define HTML "text/html"
#define PAGES1 "[{\"id\":\"p1\"}]"

/* ---- rules --------------------------------------------------------------- */

/* A page's first successful document is its top: not a failed load
 * before it, whatever kind a Referer or initiator would suggest. */
static void
test_first_document_is_top(void **state)
{
    struct scratch_import *f = *state;
    struct har_text h;
    har_begin(&h, PAGES1);
    GET(&h, "p1", "https://gone.example/", 0, "", ",\"_resourceType\":\"document\"",
        "", "", NULL);
    GET(&h, "p1", "https://a.example/", 200, HTML,
        ",\"_resourceType\":\"document\",\"_initiator\":{\"type\":\"script\","
        "\"url\":\"https://elsewhere.example/x.js\"}",
        "Referer: https://search.example/q", "", NULL);
    GET(&h, "p1", "https://w.example/frame", 200, HTML,
        ",\"_resourceType\":\"document\",\"_initiator\":{\"type\":\"parser\","
        "\"url\":\"https://a.example/\"}", "", "", NULL);
    har_import(f, &h);
    assert_string_equal(windows(f),
        "top|https://a.example/|-|-|-\n"
        "iframe|https://w.example/frame|https://a.example/|known|-\n");
    /* the failed load belongs to no window of its own */
    assert_string_equal(request_windows(f),
        "0|-\n1|https://a.example/\n2|https://w.example/frame\n");
}

/* A 307 then a 302 end in one document; the hops are requests of that
 * window, not documents of it.  Also for a frame's chain. */
static void
test_redirect_chain_one_document(void **state)
{
    struct scratch_import *f = *state;
    struct har_text h;
    har_begin(&h, PAGES1);
    GET(&h, "p1", "https://a.example/start", 307, "", NULL, DOC,
        "Location: /moved", NULL);
    GET(&h, "p1", "https://a.example/moved", 302, "", NULL, DOC,
        "Location: https://a.example/index.html", NULL);
    GET(&h, "p1", "https://a.example/index.html", 200, HTML, NULL, DOC,
        "X-Frame-Options: DENY", NULL);
    GET(&h, "p1", "https://w.example/f", 302, "", NULL,
        FRAME "|Referer: https://a.example/", "Location: /f2", NULL);
    GET(&h, "p1", "https://w.example/f2", 200, HTML, NULL, FRAME, "", NULL);
    har_import(f, &h);
    assert_string_equal(windows(f),
        "top|https://a.example/index.html|-|-|-\n"
        "iframe|https://w.example/f2|https://a.example/index.html|inferred|-\n");
    assert_string_equal(documents(f),
        "https://a.example/index.html|https://a.example/index.html\n"
        "https://w.example/f2|https://w.example/f2\n");
    assert_string_equal(request_windows(f),
        "0|https://a.example/index.html\n1|https://a.example/index.html\n"
        "2|https://a.example/index.html\n3|https://w.example/f2\n"
        "4|https://w.example/f2\n");
    /* framing headers are the final response's, not a hop's */
    assert_string_equal(scratch_ws_rows(&f->sw,
        "SELECT ifnull(xfo,'-') FROM windows ORDER BY id DESC LIMIT 2", "-"),
        "-\nDENY\n");
}

/* Client-side redirects navigate the same window: a location.replace
 * literal, a meta refresh literal, and without bodies a load the browser
 * started (initiator other) from the document its Referer names, or one an
 * inline script of the top started to its own origin. */
static void
test_client_redirects_same_window(void **state)
{
    struct scratch_import *f = *state;
    struct har_text h;
    har_begin(&h, "[{\"id\":\"p1\"},{\"id\":\"p2\"}]");
    /* bodies: no Sec-Fetch-*, kinds from the literals */
    GET(&h, "p1", "http://a.example/old", 200, HTML, ",\"_resourceType\":\"document\"",
        NAV_ACCEPT, "", "<script>location.replace('/new')</script>");
    GET(&h, "p1", "http://a.example/new", 200, HTML, ",\"_resourceType\":\"document\"",
        NAV_ACCEPT "|Referer: http://a.example/old", "",
        "<meta http-equiv=\\\"refresh\\\" content=\\\"0; URL='final'\\\">");
    GET(&h, "p1", "http://a.example/final", 200, HTML, ",\"_resourceType\":\"document\"",
        NAV_ACCEPT "|Referer: http://a.example/new", "", NULL);
    /* no bodies: chrome-har's _initiator_type */
    GET(&h, "p2", "http://b.example/old", 200, HTML,
        ",\"_resourceType\":\"document\",\"_initiator_type\":\"other\"", NAV_ACCEPT, "", NULL);
    GET(&h, "p2", "http://b.example/new", 200, HTML,
        ",\"_resourceType\":\"document\",\"_initiator\":\"http://b.example/old\","
        "\"_initiator_type\":\"script\"", "Referer: http://b.example/old", "", NULL);
    GET(&h, "p2", "http://b.example/final", 200, HTML,
        ",\"_resourceType\":\"document\",\"_initiator_type\":\"other\"",
        "Referer: http://b.example/new", "", NULL);
    /* an inline script of the top adding a cross-origin frame is a frame */
    GET(&h, "p2", "http://w.example/ad", 200, HTML,
        ",\"_resourceType\":\"document\",\"_initiator\":\"http://b.example/final\","
        "\"_initiator_type\":\"script\"", "Referer: http://b.example/", "", NULL);
    har_import(f, &h);
    assert_string_equal(windows(f),
        "top|http://a.example/final|-|-|-\n"
        "top|http://b.example/final|-|-|-\n"
        "iframe|http://w.example/ad|http://b.example/final|known|-\n");
    assert_string_equal(documents(f),
        "http://a.example/final|http://a.example/old http://a.example/new"
        " http://a.example/final\n"
        "http://b.example/final|http://b.example/old http://b.example/new"
        " http://b.example/final\n"
        "http://w.example/ad|http://w.example/ad\n");
}

/* A frame's own location literal navigates the frame, not the top; a
 * top.location literal in a frame is no navigation of the frame. */
static void
test_frame_self_navigation(void **state)
{
    struct scratch_import *f = *state;
    struct har_text h;
    har_begin(&h, PAGES1);
    GET(&h, "p1", "https://a.example/", 200, HTML, NULL, DOC, "", NULL);
    GET(&h, "p1", "https://w.example/one", 200, HTML, NULL,
        FRAME "|Referer: https://a.example/", "",
        "<script>top.location = '/bust'; window.location.href = '/two'</script>");
    GET(&h, "p1", "https://w.example/two", 200, HTML, NULL,
        FRAME "|Referer: https://w.example/one", "", NULL);
    GET(&h, "p1", "https://w.example/bust", 200, HTML, NULL, DOC, "", NULL);
    har_import(f, &h);
    /* (the parent is listed by its current document, /bust) */
    assert_string_equal(windows(f),
        "top|https://w.example/bust|-|-|-\n"
        "iframe|https://w.example/two|https://w.example/bust|inferred|-\n");
    assert_string_equal(documents(f),
        "https://w.example/bust|https://a.example/ https://w.example/bust\n"
        "https://w.example/two|https://w.example/one https://w.example/two\n");
}

/* No window from a failed document load (status 0, Playwright's -1), from
 * HTML fetched by a script (Sec-Fetch-Dest empty, _resourceType xhr or
 * fetch, X-Requested-With), nor from an image or favicon answered with
 * HTML (also without an Accept header); none of them navigates a window
 * either. */
static void
test_never_windows(void **state)
{
    struct scratch_import *f = *state;
    struct har_text h;
    har_begin(&h, PAGES1);
    GET(&h, "p1", "https://a.example/", 200, HTML, NULL, DOC, "", NULL);
    GET(&h, "p1", "https://dead.example/", 0, "", NULL, FRAME, "", NULL);
    GET(&h, "p1", "https://dead2.example/", -1, "", ",\"_resourceType\":\"document\"",
        "", "", NULL);
    GET(&h, "p1", "https://a.example/f1", 200, HTML, NULL,
        "Sec-Fetch-Dest: empty|" NAV_ACCEPT, "", NULL);
    GET(&h, "p1", "https://a.example/f2", 200, HTML, ",\"_resourceType\":\"xhr\"",
        NAV_ACCEPT, "", NULL);
    GET(&h, "p1", "https://a.example/f3", 200, HTML, ",\"_resourceType\":\"fetch\"",
        "", "", NULL);
    GET(&h, "p1", "https://a.example/f4", 200, HTML, NULL,
        NAV_ACCEPT "|X-Requested-With: XMLHttpRequest", "", NULL);
    GET(&h, "p1", "https://a.example/img", 200, HTML, NULL,
        "Accept: image/avif,image/webp,*/*", "", NULL);
    GET(&h, "p1", "https://a.example/favicon.ico", 404, HTML,
        ",\"_resourceType\":\"other\"", "Accept: image/avif,*/*", "", NULL);
    GET(&h, "p1", "https://a.example/favicon2.ico", 404, HTML, NULL,
        "Sec-Fetch-Dest: image", "", NULL);
    /* a proxy that wrote no Accept: the path says it is no page */
    GET(&h, "p1", "https://a.example/favicon3.ico", 404, HTML, NULL, "", "", NULL);
    har_import(f, &h);
    assert_string_equal(windows(f), "top|https://a.example/|-|-|-\n");
    assert_string_equal(documents(f), "https://a.example/|https://a.example/\n");
}

/* A frame whose document the file lacks (a filtered export) is known from
 * the Referer of the requests made from inside it: a frame window, its
 * parent from the <iframe src> of the top, its requests in it; a
 * Playwright _frameref then ties its later requests.  A stylesheet's URL
 * (a font's Referer) or a cross-origin origin-only Referer makes none,
 * nor does a document of another page (a beacon sent on unload). */
static void
test_frame_from_subresource_referer(void **state)
{
    struct scratch_import *f = *state;
    struct har_text h;
    har_begin(&h, PAGES1);
    GET(&h, "p1", "https://a.example/", 200, HTML, NULL, DOC, "",
        "<iframe src=\\\"https://w.example/hidden.html\\\"></iframe>");
    GET(&h, "p1", "https://a.example/2", 200, HTML, NULL, FRAME, "", NULL);
    GET(&h, "p1", "https://w.example/pixel.png", 200, "image/png",
        ",\"_frameref\":\"frame@9\"", "Referer: https://w.example/hidden.html", "", NULL);
    GET(&h, "p1", "https://w.example/data.json", 200, "application/json",
        ",\"_frameref\":\"frame@9\"", "", "", NULL);
    GET(&h, "p1", "https://a.example/site.css", 200, "text/css", NULL,
        "Referer: https://a.example/", "", NULL);
    GET(&h, "p1", "https://a.example/font.woff2", 200, "font/woff2", NULL,
        "Referer: https://a.example/site.css", "", NULL);
    GET(&h, "p1", "https://cdn.example/other.css", 200, "font/woff2", NULL,
        "Referer: https://cdn.example/theme.css", "", NULL);
    GET(&h, "p1", "https://t.example/beacon", 200, "image/gif", NULL,
        "Referer: https://x.example/", "", NULL);
    /* the next page's first requests include a beacon of the last one */
    GET(&h, "p2", "https://b.example/", 200, HTML, NULL, DOC, "", NULL);
    GET(&h, "p2", "https://b.example/x.js", 200, "text/javascript", NULL,
        "Referer: https://b.example/", "", NULL);
    GET(&h, "p2", "https://t.example/unload", 200, "image/gif", NULL,
        "Referer: https://w.example/hidden.html", "", NULL);
    har_import(f, &h);
    assert_string_equal(windows(f),
        "top|https://a.example/|-|-|-\n"
        "iframe|https://a.example/2|https://a.example/|inferred|-\n"
        "iframe|https://w.example/hidden.html|https://a.example/|inferred|-\n"
        "top|https://b.example/|-|-|-\n");
    assert_string_equal(request_windows(f),
        "0|https://a.example/\n1|https://a.example/2\n"
        "2|https://w.example/hidden.html\n3|https://w.example/hidden.html\n"
        "4|https://a.example/\n5|-\n6|-\n7|-\n8|https://b.example/\n"
        "9|https://b.example/\n10|https://w.example/hidden.html\n");
}

/* A page whose top document the file lacks (a cached page, a page the
 * export left out) gets it from the parser initiator or Referer of its
 * first subresource; without pages, only before any other document. */
static void
test_top_from_subresource(void **state)
{
    struct scratch_import *f = *state;
    struct har_text h;
    har_begin(&h, "[]");
    GET(&h, NULL, "http://m.example/s.js", 200, "text/javascript", NULL,
        "Referer: http://m.example/ID=1", "", NULL);
    GET(&h, NULL, "http://d.example/frame.html", 200, HTML, NULL,
        "Accept: image/gif, image/jpeg, */*|Referer: http://m.example/ID=1", "", NULL);
    GET(&h, NULL, "http://n.example/", 200, HTML, NULL,
        "Accept: image/gif, image/jpeg, */*", "", NULL);
    har_import(f, &h);
    assert_string_equal(windows(f),
        "top|http://m.example/ID=1|-|-|-\n"
        "iframe|http://d.example/frame.html|http://m.example/ID=1|inferred|-\n"
        "top|http://n.example/|-|-|-\n");

    har_begin(&h, "[]");
    GET(&h, "p2", "https://www.g.example/logo.png", 200, "image/png",
        ",\"_initiator\":{\"type\":\"parser\",\"url\":\"https://www.g.example/\"}",
        "Sec-Fetch-Dest: image", "", NULL);
    har_import(f, &h);
    assert_string_equal(windows(f), "top|https://www.g.example/|-|-|-\n");
}

/* A URL an earlier body opens with window.open is a popup with that
 * body's window as opener, also when the popup is a page of its own (as
 * Playwright, DevTools and pmscope capture write popups). */
static void
test_popup_in_own_page(void **state)
{
    struct scratch_import *f = *state;
    struct har_text h;
    har_begin(&h, "[{\"id\":\"p1\"},{\"id\":\"p2\"}]");
    GET(&h, "p1", "https://a.example/", 200, HTML, NULL, DOC, "",
        "<script>window.open('https://b.example/pop.html')</script>");
    GET(&h, "p2", "https://b.example/pop.html", 200, HTML, NULL,
        DOC "|Referer: https://a.example/", "", NULL);
    har_import(f, &h);
    assert_string_equal(windows(f),
        "top|https://a.example/|-|-|-\n"
        "popup|https://b.example/pop.html|-|-|https://a.example/\n");
}

/* WebPageTest: _final_base_page is the page's top document; _frame_id
 * ties a frame's loads together; _documentURL names the document a
 * request came from. */
static void
test_webpagetest_fields(void **state)
{
    struct scratch_import *f = *state;
    struct har_text h;
    har_begin(&h, PAGES1);
    GET(&h, "p1", "https://site.example/", 200, HTML,
        ",\"_request_type\":\"Document\",\"_final_base_page\":true,"
        "\"_frame_id\":\"F1\"", "", "", NULL);
    GET(&h, "p1", "https://ads.example/showad.html", 200, HTML,
        ",\"_request_type\":\"Document\",\"_frame_id\":\"F2\","
        "\"_initiator\":\"https://site.example/\",\"_initiator_type\":\"parser\"",
        "", "", NULL);
    GET(&h, "p1", "https://ads.example/next.html", 200, HTML,
        ",\"_request_type\":\"Document\",\"_frame_id\":\"F2\"", "", "", NULL);
    GET(&h, "p1", "https://cdn.example/x.png", 200, "image/png",
        ",\"_request_type\":\"Image\",\"_documentURL\":\"https://ads.example/next.html\"",
        "", "", NULL);
    har_import(f, &h);
    assert_string_equal(windows(f),
        "top|https://site.example/|-|-|-\n"
        "iframe|https://ads.example/next.html|https://site.example/|known|-\n");
    assert_string_equal(request_windows(f),
        "0|https://site.example/\n1|https://ads.example/next.html\n"
        "2|https://ads.example/next.html\n3|https://ads.example/next.html\n");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_first_document_is_top, setup,
                                        scratch_import_teardown),
        cmocka_unit_test_setup_teardown(test_redirect_chain_one_document,
                                        setup, scratch_import_teardown),
        cmocka_unit_test_setup_teardown(test_client_redirects_same_window,
                                        setup, scratch_import_teardown),
        cmocka_unit_test_setup_teardown(test_frame_self_navigation, setup,
                                        scratch_import_teardown),
        cmocka_unit_test_setup_teardown(test_never_windows, setup,
                                        scratch_import_teardown),
        cmocka_unit_test_setup_teardown(test_frame_from_subresource_referer,
                                        setup, scratch_import_teardown),
        cmocka_unit_test_setup_teardown(test_top_from_subresource, setup,
                                        scratch_import_teardown),
        cmocka_unit_test_setup_teardown(test_popup_in_own_page, setup,
                                        scratch_import_teardown),
        cmocka_unit_test_setup_teardown(test_webpagetest_fields, setup,
                                        scratch_import_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
