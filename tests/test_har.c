/*
 * test_har.c - the HAR importer: the streaming splitter on its own (items,
 * chunk boundaries, positioned errors, limits), URL/time helpers, and
 * whole imports of real HAR files from browsers and proxies
 * (tests/data/hars, see its README) plus a crafted Chrome/Playwright-style
 * file that exercises each kind of parent evidence.  Expected window trees
 * were checked by reading the files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "har_frames.h"
#include "har_split.h"
#include "har_util.h"
#include "import.h"
#include "importer.h"
#include "scratch_ws.h"
#include "sha256.h"
#include "store.h"

extern const struct pm_importer pm_importer_har;

/* ---- splitter -------------------------------------------------------- */

static const char *
data_path(const char *name)
{
    static char path[512];
    const char *root = getenv("PM_ROOT");
    snprintf(path, sizeof path, "%s/tests/data/hars/%s", root ? root : ".",
             name);
    return path;
}

/* Split fp with the given chunk size; summary "E entries P pages C creator"
 * and a hash over every item's kind, index, position and text. */
static enum pm_rc
split_all(FILE *fp, size_t chunk, char *summary, size_t n, struct pm_err *err)
{
    struct har_split *sp = har_split_new(fp, "t.har", chunk);
    struct pm_sha256 *h = sha256_new();
    long counts[4] = {0};
    struct har_item it;
    enum pm_rc rc;
    while ((rc = har_split_next(sp, &it, err)) == PM_OK &&
           it.kind != HAR_ITEM_END) {
        char head[96];
        snprintf(head, sizeof head, "%d/%ld/%ld:%ld/", it.kind, it.index,
                 it.line, it.col);
        sha256_update(h, head, strlen(head));
        sha256_update(h, it.text, it.len);
        counts[it.kind]++;
    }
    char hex[PM_SHA256_HEX];
    sha256_finish(h, hex);
    snprintf(summary, n, "%ld entries %ld pages %ld creator %.16s", counts[1],
             counts[2], counts[3], hex);
    har_split_free(sp);
    return rc;
}

static void
test_split_chunk_boundaries(void **state)
{
    (void)state;
    static const char *const files[] = {
        "mitmproxy__firefox.har", "mitmproxy__with-bom.har",
        "pagexray__304-chrome-har.har", "harviewer__noPages.har",
    };
    static const char *const want_counts[] = {
        "14 entries 1 pages 1 creator", "1 entries 0 pages 1 creator",
        "270 entries 9 pages 1 creator", "87 entries 0 pages 1 creator",
    };
    static const size_t chunks[] = {1, 2, 3, 7, 64, 4093, 0};
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        char first[128] = "";
        for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
            FILE *fp = fopen(data_path(files[f]), "rb");
            assert_non_null(fp);
            struct pm_err err = PM_ERR_INIT;
            char got[128];
            if (split_all(fp, chunks[c], got, sizeof got, &err) != PM_OK) {
                char msg[700];
                pm_err_format(&err, msg, sizeof msg);
                fail_msg("%s, chunk %zu: %s", files[f], chunks[c], msg);
            }
            fclose(fp);
            assert_memory_equal(got, want_counts[f], strlen(want_counts[f]));
            if (c == 0)
                snprintf(first, sizeof first, "%s", got);
            else
                assert_string_equal(got, first);
        }
    }
}

/* Items come in file order whatever the order of pages/entries/creator. */
static void
test_split_order_and_positions(void **state)
{
    (void)state;
    static const char text[] =
        "\xef\xbb\xbf{\"log\": {\r\n"
        "  \"entries\": [ {\"a\": \"\xc3\xa9t\xc3\xa9\"}, {\"b\": [1, -2.5e+3, true, null]} ],\r\n"
        "  \"pages\": [{\"id\": \"p\"}], \"comment\": \"x\",\r\n"
        "  \"creator\": {\"name\": \"n\", \"version\": \"1\"}}, \"other\": {\"log\": 1}}\n";
    FILE *fp = fmemopen((void *)text, sizeof text - 1, "rb");
    struct har_split *sp = har_split_new(fp, "t.har", 5);
    struct pm_err err = PM_ERR_INIT;
    struct har_item it;
    char got[1024] = "";
    size_t o = 0;
    while (har_split_next(sp, &it, &err) == PM_OK && it.kind != HAR_ITEM_END)
        o += (size_t)snprintf(got + o, sizeof got - o, "%d#%ld@%ld:%ld %.*s\n",
                              it.kind, it.index, it.line, it.col, (int)it.len,
                              it.text);
    assert_int_equal(err.rc, PM_OK);
    assert_string_equal(got,
                        "1#0@2:16 {\"a\": \"\xc3\xa9t\xc3\xa9\"}\n"
                        "1#1@2:30 {\"b\": [1, -2.5e+3, true, null]}\n"
                        "2#0@3:13 {\"id\": \"p\"}\n"
                        "3#0@4:14 {\"name\": \"n\", \"version\": \"1\"}\n");
    assert_int_equal(har_split_entry_count(sp), 2);
    har_split_free(sp);
    fclose(fp);
}

struct split_error_case {
    const char *text;
    size_t len; /* 0 = strlen */
    const char *want;
};

static void
test_split_errors(void **state)
{
    (void)state;
    static const struct split_error_case cases[] = {
        {"", 0, "t.har:1:1: expected '{' to start the HAR object, found only white space"},
        {"<!DOCTYPE html><html>502 Bad Gateway</html>", 0,
         "t.har:1:1: expected '{' to start the HAR object, found '<'; this looks like an HTML page, not a HAR file"},
        {"[1]", 0, "t.har:1:1: expected '{' to start the HAR object, found '['; not a HAR file"},
        {"\xff\xfe{\0", 4, "t.har:1:1: the file is UTF-16; pmscope reads UTF-8 HAR files (convert it with iconv)"},
        {"{\"lg\": {}}", 0, "t.har: no \"log\" object; not a HAR file"},
        {"{\"log\": []}", 0, "t.har:1:9: expected \"log\" to be an object, found '['"},
        {"{\"log\": {\"entries\": {}}}", 0, "t.har:1:21: expected \"entries\" to be an array, found '{'"},
        {"{\"log\": {\"entries\": [{}, 3]}}", 0, "t.har:1:26: entry 1: expected an entry object, found '3'"},
        {"{\"log\": {\"entries\": [{\"request\": {\"url\": \"https://a.exa",
         0, "t.har:1:56: entry 0: unexpected end of file: expected '\"' to close a string (the file looks truncated)"},
        {"{\"log\": {\"entries\": [{}\r\n,\r\n{\"a\" 1}]}}", 0,
         "t.har:3:6: entry 1: expected ':' after a member name, found '1'"},
        {"{\"log\": {\"entries\": [{\"a\": \"\xc3\xa9\xc3\xa9\xff\"}]}}", 0,
         "t.har:1:31: entry 0: invalid UTF-8 (byte 0xff) in a string; HAR files must be UTF-8"},
        {"{\"log\": {\"c\": \"\xc0\x80\"}}", 0,
         "t.har:1:16: invalid UTF-8 (byte 0xc0) in a string; HAR files must be UTF-8"},
        {"{\"log\": {\"c\": \"\xed\xa0\x80\"}}", 0,
         "t.har:1:16: invalid UTF-8 (byte 0xa0) in a string; HAR files must be UTF-8"},
        {"{\"log\": {\"c\": \"\\udc00\"}}", 0,
         "t.har:1:21: unpaired low surrogate \\udc00 in a string"},
        {"{\"log\": {\"c\": \"\\ud800x\"}}", 0,
         "t.har:1:22: expected '\\u' and a low surrogate after a high surrogate escape, found 'x'"},
        {"{\"log\": {\"c\": \"a\nb\"}}", 0,
         "t.har:1:17: unescaped line break inside a string; expected '\"' to close it first"},
        {"{\"log\": {\"c\": 01}}", 0,
         "t.har:1:16: expected '.', 'e' or the end of the number after a leading 0, found '1'"},
        {"{\"log\": {\"c\": tru}}", 0, "t.har:1:18: expected 'true', found '}'"},
        {"{\"log\": {\"c\": 1,}}", 0,
         "t.har:1:17: expected '\"' to start a member name, found '}'"},
        {"{\"log\": {}} x", 0,
         "t.har:1:13: expected the end of the file after the HAR object, found 'x'"},
        {"{\"log\": {}, \"log\"", 0,
         "t.har:1:18: unexpected end of file: expected ':' after a member name (the file looks truncated)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = cases[i].len ? cases[i].len : strlen(cases[i].text);
        FILE *fp = n ? fmemopen((void *)cases[i].text, n, "rb")
                     : fopen("/dev/null", "rb");
        assert_non_null(fp);
        struct pm_err err = PM_ERR_INIT;
        char got[128];
        assert_int_not_equal(split_all(fp, 3, got, sizeof got, &err), PM_OK);
        char msg[700];
        pm_err_format(&err, msg, sizeof msg);
        if (strcmp(msg, cases[i].want) != 0)
            fail_msg("case %zu:\n  got  %s\n  want %s", i, msg, cases[i].want);
        fclose(fp);
    }
}

/* 100 000 levels of nesting: refused at the limit, quickly, no recursion. */
static void
test_split_deep_nesting(void **state)
{
    (void)state;
    size_t depth = 100000;
    char *text = malloc(depth + 32);
    strcpy(text, "{\"log\": {\"entries\": [{\"a\": ");
    size_t o = strlen(text);
    memset(text + o, '[', depth);
    FILE *fp = fmemopen(text, o + depth, "rb");
    struct pm_err err = PM_ERR_INIT;
    char got[128], msg[700];
    assert_int_equal(split_all(fp, 0, got, sizeof got, &err), PM_ERR_LIMIT);
    pm_err_format(&err, msg, sizeof msg);
    assert_string_equal(msg, "t.har:1:536: entry 0: nesting deeper than 512 "
                             "levels; pmscope does not read inputs nested this deep");
    fclose(fp);
    free(text);
}

/* ---- helpers --------------------------------------------------------- */

static void
test_url_resolve(void **state)
{
    (void)state;
    static const char *const cases[][3] = {
        {"https://a.example/dir/page.html", "./x.html?a=1", "https://a.example/dir/x.html?a=1"},
        {"https://a.example/dir/page.html", "../up#frag", "https://a.example/up"},
        {"https://a.example/dir/page.html", "/root", "https://a.example/root"},
        {"https://a.example/dir/page.html", "//cdn.example/w", "https://cdn.example/w"},
        {"https://a.example/dir/page.html?q", "?z", "https://a.example/dir/page.html?z"},
        {"https://a.example", "w.html", "https://a.example/w.html"},
        {"https://a.example/", "HTTPS://B.Example", "https://b.example/"},
        {"https://a.example/", "https://b.example?x", "https://b.example/?x"},
        {"https://a.example/", "javascript:void(0)", NULL},
        {"https://a.example/", "about:blank", NULL},
        {"https://a.example/", "  ", NULL},
        {"https://a.example/a/b/", "../../../c", "https://a.example/c"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = har_url_resolve(cases[i][0], cases[i][1]);
        if (cases[i][2] == NULL)
            assert_null(got);
        else
            assert_string_equal(got ? got : "(null)", cases[i][2]);
        free(got);
    }
}

static void
test_time_parse(void **state)
{
    (void)state;
    assert_true(har_time_ms("1970-01-01T00:00:00Z") == 0);
    assert_true(har_time_ms("1970-01-01T00:00:01.5Z") == 1500);
    assert_true(har_time_ms("2023-03-29T16:58:59.303-07:00") ==
                har_time_ms("2023-03-29T23:58:59.303Z"));
    assert_true(har_time_ms("2011-07-08T06:40:47.5894178+01:00") -
                    har_time_ms("2011-07-08T05:40:47Z") > 589.4);
    assert_true(har_time_ms("yesterday") < 0);
    assert_true(har_time_ms("2023-13-01T00:00:00Z") < 0);
}

static void
test_probe(void **state)
{
    (void)state;
    const struct pm_importer *h = &pm_importer_har;
    assert_int_equal(h->probe((const unsigned char *)"{\"log\":{}}", 10), 95);
    assert_int_equal(h->probe((const unsigned char *)"\xef\xbb\xbf\r\n { \"log\"", 16), 95);
    assert_int_equal(h->probe((const unsigned char *)"{\"v\":1,\"type\":\"meta\"}", 22), 0);
    assert_int_equal(h->probe((const unsigned char *)"<html>", 6), 0);
}

/* ---- whole imports ----------------------------------------------------- */

static int
fixture_setup(void **state)
{
    return scratch_import_setup(state, "har", "crafted.har");
}

static void
import_path(struct scratch_import *f, const char *path)
{
    if (scratch_import(f, path, 0) != PM_OK)
        fail_msg("import of %s failed: %s", path, f->errtext);
    assert_string_equal(f->res.format, "har");
}

/* All rows of sql, columns joined by '|', rows by '\n', NULL as "-". */
static const char *
query_rows(struct scratch_import *f, const char *sql)
{
    return scratch_ws_rows(&f->sw, sql, "-");
}

/* Windows of the last source: kind, ext id, url, parent url, how, opener url. */
#define WINDOW_TREE                                                          \
    "SELECT w.kind, ifnull(w.ext_id,'-'), w.url, ifnull(p.url,'-'),"        \
    " ifnull(w.parent_how,'-'), ifnull(o.url,'-') FROM windows w"           \
    " LEFT JOIN windows p ON p.id=w.parent_id"                              \
    " LEFT JOIN windows o ON o.id=w.opener_id"                              \
    " WHERE w.source_id=(SELECT max(id) FROM sources) ORDER BY w.id"

#define SOURCE_COUNTS                                                        \
    "SELECT tool, n_windows, n_requests,"                                   \
    " (SELECT count(*) FROM requests r WHERE r.source_id=s.id AND window_id IS NOT NULL),"\
    " (SELECT count(body_id) FROM requests r WHERE r.source_id=s.id)" \
    " FROM sources s WHERE id=(SELECT max(id) FROM sources)"

static void
test_import_firefox(void **state)
{
    struct scratch_import *f = *state;
    import_path(f, data_path("mitmproxy__firefox.har"));
    /* the two Sec-Fetch-Dest: iframe loads match <iframe src="./github-btn..."> */
    assert_string_equal(query_rows(f, WINDOW_TREE),
        "top|page_1|https://mitmproxy.org/|-|-|-\n"
        "iframe|-|https://mitmproxy.org/github-btn.html?user=mhils&type=sponsor&size=large|https://mitmproxy.org/|inferred|-\n"
        "iframe|-|https://mitmproxy.org/github-btn.html?user=mitmproxy&repo=mitmproxy&type=star&count=true&size=large|https://mitmproxy.org/|inferred|-\n");
    assert_string_equal(query_rows(f, SOURCE_COUNTS),
                        "Firefox 111.0.1|3|14|12|9\n");
    /* a same-origin load with Referer https://mitmproxy.org/ (the favicon)
     * is the top's; a cross-origin fetch with that origin-only Referer fits
     * all three documents, and one without Referer is left unplaced too */
    assert_string_equal(query_rows(f,
        "SELECT entry_index, ifnull(window_id,'-'), ifnull(dest,'-') FROM requests"
        " WHERE entry_index IN (0, 9, 11, 12, 13) ORDER BY entry_index"),
        "0|1|document\n9|2|iframe\n11|-|empty\n12|-|empty\n13|1|image\n");
}

static void
test_import_safari_duplicates(void **state)
{
    struct scratch_import *f = *state;
    import_path(f, data_path("mitmproxy__safari.har"));
    /* no Sec-Fetch-Dest: HTML asked for as text/html is a document; Safari
     * records each frame load twice, folded into one window */
    assert_string_equal(query_rows(f, WINDOW_TREE),
        "top|page_0|https://mitmproxy.org/|-|-|-\n"
        "iframe|-|https://mitmproxy.org/github-btn.html?user=mhils&type=sponsor&size=large|https://mitmproxy.org/|inferred|-\n"
        "iframe|-|https://mitmproxy.org/github-btn.html?user=mitmproxy&repo=mitmproxy&type=star&count=true&size=large|https://mitmproxy.org/|inferred|-\n");
    assert_string_equal(query_rows(f, SOURCE_COUNTS),
                        "WebKit Web Inspector 1.0|3|19|13|19\n");
    /* base64 bodies are stored decoded: the PNG logo starts with its magic */
    assert_string_equal(query_rows(f,
        "SELECT hex(substr(b.data,1,4)) FROM requests r JOIN bodies b ON b.id=r.body_id"
        " WHERE r.url='https://mitmproxy.org/logo-navbar.png'"), "89504E47\n");
}

static void
test_import_chrome_and_bom(void **state)
{
    struct scratch_import *f = *state;
    import_path(f, data_path("mitmproxy__chrome.har"));
    /* the status-0 load of www.google.com makes no window; page_2 (not
     * listed) shows www.google.com all the same: its parser loaded the
     * logo, so that document is page_2's top, known only that way */
    assert_string_equal(query_rows(f, WINDOW_TREE),
                        "top|page_1|https://mitmproxy.org/|-|-|-\n"
                        "top|page_2|https://www.google.com/|-|-|-\n");
    assert_string_equal(query_rows(f,
        "SELECT entry_index, ifnull(window_id,'-'), dest, status FROM requests"
        " ORDER BY entry_index"),
        "0|1|document|304\n1|1|document|0\n2|2|image|200\n");
    import_path(f, data_path("mitmproxy__with-bom.har"));
    assert_string_equal(query_rows(f, WINDOW_TREE), "");
    assert_string_equal(query_rows(f, SOURCE_COUNTS),
                        "WebInspector 537.36|0|1|0|0\n");
}

static void
test_import_proxies(void **state)
{
    struct scratch_import *f = *state;
    import_path(f, data_path("mitmproxy__charles.har"));
    assert_string_equal(query_rows(f, WINDOW_TREE),
                        "top|-|https://mitmproxy.org/?=|-|-|-\n");
    assert_string_equal(query_rows(f, SOURCE_COUNTS),
                        "Charles Proxy 4.6.3|1|1|1|1\n");
    import_path(f, data_path("harviewer__noPages.har"));
    /* Fiddler/IE: no pages, no Sec-Fetch-*; XHRs that return HTML are not
     * documents; the addthis frame names the widex page in its Referer.
     * The first 16 entries name an unrecorded fiddlerstartmarker page as
     * Referer: that page is the first top, and demdex's DSD frame (HTML
     * asked for as a navigation, same Referer) is its frame */
    assert_string_equal(query_rows(f, WINDOW_TREE),
        "top|-|http://fiddlerstartmarker.com/ID=2e6e5bec-0e18-4dc9-96ab-f6c6b1d2c4ed|-|-|-\n"
        "iframe|-|http://fast.dm.demdex.net/DSD-gz/dm-dest.html?|http://fiddlerstartmarker.com/ID=2e6e5bec-0e18-4dc9-96ab-f6c6b1d2c4ed|inferred|-\n"
        "top|-|http://www.widex.com/en/products/hearingaids/clear/|-|-|-\n"
        "iframe|-|http://s7.addthis.com/static/r07/sh45.html|http://www.widex.com/en/products/hearingaids/clear/|inferred|-\n");
    assert_string_equal(query_rows(f, SOURCE_COUNTS),
                        "Fiddler 2.3.3.5|4|87|85|61\n");
}

static void
test_import_pages_and_redirects(void **state)
{
    struct scratch_import *f = *state;
    import_path(f, data_path("pagexray__304-chrome-har.har"));
    assert_string_equal(query_rows(f,
        "SELECT kind, count(*), count(parent_id), group_concat(DISTINCT parent_how)"
        " FROM windows GROUP BY kind ORDER BY kind"),
        "iframe|9|9|inferred\ntop|9|0|-\n");
    /* each run's tapframe hangs under that run's own top window */
    assert_string_equal(query_rows(f,
        "SELECT count(DISTINCT c.parent_id), min(c.first_seen - p.first_seen) > 0"
        " FROM windows c JOIN windows p ON p.id=c.parent_id"
        " WHERE c.url='https://tap.walmart.com/tapframe?host=' AND p.kind='top'"),
        "9|1\n");
    assert_string_equal(query_rows(f, SOURCE_COUNTS),
                        "chrome-har 0.2.2|18|270|270|0\n");

    import_path(f, data_path("playwright__har-redirect.har"));
    /* the 301 -> 301 -> 200 chain is one window with one document, the
     * chain's end; the hops' requests belong to that window */
    assert_string_equal(query_rows(f, WINDOW_TREE),
        "top|page@8f314969edc000996eb5c2ab22f0e6b3|https://www.theverge.com/|-|-|-\n");
    assert_string_equal(query_rows(f,
        "SELECT n.url, n.ts FROM documents n JOIN windows w ON w.id=n.window_id"
        " WHERE w.source_id=(SELECT max(id) FROM sources) ORDER BY n.id"),
        "https://www.theverge.com/|99.0\n");
    assert_string_equal(query_rows(f,
        "SELECT count(DISTINCT window_id), count(window_id) FROM requests"
        " WHERE source_id=(SELECT max(id) FROM sources)"), "1|3\n");
}

/*
 * A crafted file with each kind of evidence; pages come after the entries.
 * Entry 10 has no request.url (skipped with a warning).
 */
static const char crafted[] =
    "{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"WebInspector\",\"version\":\"537.36\"},\n"
    "\"entries\":[\n"
    /* 0: the top document, with framing headers and literals in its HTML */
    "{\"pageref\":\"page_1\",\"startedDateTime\":\"2026-01-01T00:00:00.000Z\","
    "\"_resourceType\":\"document\",\"_initiator\":{\"type\":\"other\"},"
    "\"request\":{\"method\":\"GET\",\"url\":\"https://a.example/\",\"headers\":[{\"name\":\"Sec-Fetch-Dest\",\"value\":\"document\"}]},"
    "\"response\":{\"status\":200,\"headers\":[{\"name\":\"X-Frame-Options\",\"value\":\"DENY\"}],"
    "\"content\":{\"mimeType\":\"text/html\",\"text\":\"<iframe src=\\\"https://w.example/widget?x=1&amp;y=2\\\"></iframe>"
    "<IFRAME width=1 SRC=//x.example/lit></IFRAME><script>window.open('/popup.html')</script>\"}}},\n"
    /* 1: a script the top's parser loaded */
    "{\"pageref\":\"page_1\",\"startedDateTime\":\"2026-01-01T00:00:00.010Z\",\"_resourceType\":\"script\","
    "\"_initiator\":{\"type\":\"parser\",\"url\":\"https://a.example/\",\"lineNumber\":3},"
    "\"request\":{\"method\":\"GET\",\"url\":\"https://a.example/app.js\",\"headers\":[]},"
    "\"response\":{\"status\":200,\"headers\":[],\"content\":{\"mimeType\":\"text/javascript\",\"text\":\"\"}}},\n"
    /* 2: parser-inserted iframe: parent known */
    "{\"pageref\":\"page_1\",\"startedDateTime\":\"2026-01-01T00:00:00.020Z\",\"_resourceType\":\"document\","
    "\"_initiator\":{\"type\":\"parser\",\"url\":\"https://a.example/\"},"
    "\"request\":{\"method\":\"GET\",\"url\":\"https://w.example/widget?x=1&y=2\",\"headers\":[{\"name\":\"sec-fetch-dest\",\"value\":\"iframe\"}]},"
    "\"response\":{\"status\":200,\"headers\":[{\"name\":\"x-frame-options\",\"value\":\"SAMEORIGIN\"}],\"content\":{\"mimeType\":\"text/html\"}}},\n"
    /* 3: only the <iframe src> literal names the parent */
    "{\"pageref\":\"page_1\",\"startedDateTime\":\"2026-01-01T00:00:00.030Z\","
    "\"request\":{\"method\":\"GET\",\"url\":\"https://x.example/lit\",\"headers\":[{\"name\":\"Sec-Fetch-Dest\",\"value\":\"iframe\"}]},"
    "\"response\":{\"status\":200,\"headers\":[],\"content\":{\"mimeType\":\"text/html\"}}},\n"
    /* 4: created by app.js (stack), which the top loaded */
    "{\"pageref\":\"page_1\",\"startedDateTime\":\"2026-01-01T00:00:00.040Z\","
    "\"_initiator\":{\"type\":\"script\",\"stack\":{\"callFrames\":[],\"parent\":{\"callFrames\":[{\"url\":\"https://a.example/app.js\",\"lineNumber\":1}]}}},"
    "\"request\":{\"method\":\"GET\",\"url\":\"https://y.example/s\",\"headers\":[{\"name\":\"Sec-Fetch-Dest\",\"value\":\"iframe\"}]},"
    "\"response\":{\"status\":200,\"headers\":[],\"content\":{\"mimeType\":\"text/html\"}}},\n"
    /* 5: a second w.example frame, parser-inserted */
    "{\"pageref\":\"page_1\",\"startedDateTime\":\"2026-01-01T00:00:00.050Z\","
    "\"_initiator\":{\"type\":\"parser\",\"url\":\"https://a.example/\"},"
    "\"request\":{\"method\":\"GET\",\"url\":\"https://w.example/second\",\"headers\":[{\"name\":\"Sec-Fetch-Dest\",\"value\":\"iframe\"}]},"
    "\"response\":{\"status\":200,\"headers\":[],\"content\":{\"mimeType\":\"text/html\"}}},\n"
    /* 6: Referer https://w.example/ fits two frames: parent unknown */
    "{\"pageref\":\"page_1\",\"startedDateTime\":\"2026-01-01T00:00:00.060Z\","
    "\"request\":{\"method\":\"GET\",\"url\":\"https://q.example/\",\"headers\":[{\"name\":\"Sec-Fetch-Dest\",\"value\":\"iframe\"},{\"name\":\"Referer\",\"value\":\"https://w.example/\"}]},"
    "\"response\":{\"status\":200,\"headers\":[],\"content\":{\"mimeType\":\"text/html\"}}},\n"
    /* 7: the window.open literal makes this top-level load a popup */
    "{\"pageref\":\"page_1\",\"startedDateTime\":\"2026-01-01T00:00:01.000Z\","
    "\"request\":{\"method\":\"GET\",\"url\":\"https://a.example/popup.html\",\"headers\":[{\"name\":\"Sec-Fetch-Dest\",\"value\":\"document\"}]},"
    "\"response\":{\"status\":200,\"headers\":[],\"content\":{\"mimeType\":\"text/html\"}}},\n"
    /* 8, 9: a redirect in a second page; framing headers of the final one */
    "{\"pageref\":\"page_2\",\"startedDateTime\":\"2026-01-01T00:00:02.000Z\","
    "\"request\":{\"method\":\"GET\",\"url\":\"https://b.example/\",\"headers\":[{\"name\":\"Sec-Fetch-Dest\",\"value\":\"document\"}]},"
    "\"response\":{\"status\":302,\"redirectURL\":\"\",\"headers\":[{\"name\":\"Location\",\"value\":\"/home\"},"
    "{\"name\":\"X-Frame-Options\",\"value\":\"DENY\"}],\"content\":{\"mimeType\":\"\"}}},\n"
    "{\"pageref\":\"page_2\",\"startedDateTime\":\"2026-01-01T00:00:02.100Z\","
    "\"request\":{\"method\":\"GET\",\"url\":\"https://b.example/home\",\"headers\":[{\"name\":\"Sec-Fetch-Dest\",\"value\":\"document\"}]},"
    "\"response\":{\"status\":200,\"headers\":[{\"name\":\"Content-Security-Policy\",\"value\":\"frame-ancestors https://a.example\"}],"
    "\"content\":{\"mimeType\":\"text/html\"}}},\n"
    /* 10: no request.url */
    "{\"pageref\":\"page_2\",\"request\":{\"method\":\"GET\"},\"response\":{}},\n"
    /* 11, 12: the same bytes, once base64: one body */
    "{\"pageref\":\"page_1\",\"startedDateTime\":\"2026-01-01T00:00:03.000Z\","
    "\"_initiator\":{\"type\":\"parser\",\"url\":\"https://a.example/\"},\"_resourceType\":\"image\","
    "\"request\":{\"method\":\"GET\",\"url\":\"https://a.example/h.txt\",\"headers\":[]},"
    "\"response\":{\"status\":200,\"headers\":[],\"content\":{\"mimeType\":\"text/plain\",\"encoding\":\"base64\",\"text\":\"aGVs\\nbG8=\"}}},\n"
    "{\"pageref\":\"page_1\",\"startedDateTime\":\"2026-01-01T00:00:03.100Z\","
    "\"request\":{\"method\":\"GET\",\"url\":\"https://a.example/data\",\"headers\":[{\"name\":\"Referer\",\"value\":\"https://a.example/\"}]},"
    "\"response\":{\"status\":200,\"headers\":[],\"content\":{\"mimeType\":\"text/plain\",\"text\":\"hello\"}}},\n"
    /* 13-16: Playwright trace style: _frameref ties a frame's loads */
    "{\"pageref\":\"page_3\",\"_frameref\":\"frame@1\",\"startedDateTime\":\"2026-01-01T00:00:04.000Z\","
    "\"request\":{\"method\":\"GET\",\"url\":\"https://c.example/\",\"headers\":[{\"name\":\"sec-fetch-dest\",\"value\":\"document\"}]},"
    "\"response\":{\"status\":200,\"headers\":[],\"content\":{\"mimeType\":\"text/html\"}}},\n"
    "{\"pageref\":\"page_3\",\"_frameref\":\"frame@2\",\"startedDateTime\":\"2026-01-01T00:00:04.100Z\","
    "\"request\":{\"method\":\"GET\",\"url\":\"https://c.example/frame\",\"headers\":[{\"name\":\"sec-fetch-dest\",\"value\":\"iframe\"}]},"
    "\"response\":{\"status\":200,\"headers\":[],\"content\":{\"mimeType\":\"text/html\"}}},\n"
    "{\"pageref\":\"page_3\",\"_frameref\":\"frame@2\",\"startedDateTime\":\"2026-01-01T00:00:05.000Z\","
    "\"request\":{\"method\":\"GET\",\"url\":\"https://c2.example/\",\"headers\":[{\"name\":\"sec-fetch-dest\",\"value\":\"iframe\"}]},"
    "\"response\":{\"status\":200,\"headers\":[],\"content\":{\"mimeType\":\"text/html\"}}},\n"
    "{\"pageref\":\"page_3\",\"_frameref\":\"frame@2\",\"startedDateTime\":\"2026-01-01T00:00:05.100Z\","
    "\"request\":{\"method\":\"POST\",\"url\":\"https://c2.example/api\",\"headers\":[]},"
    "\"response\":{\"status\":204,\"headers\":[]}},\n"
    /* 17: a parser-started document whose parent is not in the file */
    "{\"pageref\":\"page_1\",\"startedDateTime\":\"2026-01-01T00:00:06.000Z\",\"_resourceType\":\"document\","
    "\"_initiator\":{\"type\":\"parser\",\"url\":\"https://gone.example/\"},"
    "\"request\":{\"method\":\"GET\",\"url\":\"https://r.example/\",\"headers\":[]},"
    "\"response\":{\"status\":200,\"headers\":[],\"content\":{\"mimeType\":\"text/html\"}}}\n"
    "],\n"
    "\"pages\":[{\"id\":\"page_1\",\"title\":\"https://a.example/\",\"startedDateTime\":\"2026-01-01T00:00:00.000Z\"},"
    "{\"id\":\"page_4\",\"title\":\"https://never.example/\",\"startedDateTime\":\"2026-01-01T00:00:09.000Z\"}]}}\n";

static void
test_import_crafted_evidence(void **state)
{
    struct scratch_import *f = *state;
    FILE *fp = fopen(f->input, "wb");
    assert_non_null(fp);
    fwrite(crafted, 1, sizeof crafted - 1, fp);
    fclose(fp);
    import_path(f, f->input);
    assert_int_equal(f->res.warnings, 1);
    assert_string_equal(query_rows(f, WINDOW_TREE),
        "top|page_1|https://a.example/|-|-|-\n"
        "iframe|-|https://w.example/widget?x=1&y=2|https://a.example/|known|-\n"
        "iframe|-|https://x.example/lit|https://a.example/|inferred|-\n"
        "iframe|-|https://y.example/s|https://a.example/|inferred|-\n"
        "iframe|-|https://w.example/second|https://a.example/|known|-\n"
        "iframe|-|https://q.example/|-|unknown|-\n"
        "popup|-|https://a.example/popup.html|-|-|https://a.example/\n"
        "top|page_2|https://b.example/home|-|-|-\n"
        "top|page_3|https://c.example/|-|-|-\n"
        "iframe|-|https://c2.example/|https://c.example/|inferred|-\n"
        "iframe|-|https://r.example/|-|unknown|-\n"
        "top|page_4|https://never.example/|-|-|-\n");
    assert_string_equal(query_rows(f,
        "SELECT url, ifnull(xfo,'-'), ifnull(csp,'-'), ifnull(first_seen,'-'),"
        " (SELECT text FROM origins WHERE id=origin_id) FROM windows"
        " WHERE url IN ('https://a.example/','https://w.example/widget?x=1&y=2',"
        "'https://b.example/home','https://never.example/') ORDER BY id"),
        "https://a.example/|DENY|-|0.0|https://a.example\n"
        "https://w.example/widget?x=1&y=2|SAMEORIGIN|-|20.0|https://w.example\n"
        "https://b.example/home|-|frame-ancestors https://a.example|2000.0|https://b.example\n"
        "https://never.example/|-|-|9000.0|https://never.example\n");
    /* every request row, with the window it belongs to */
    assert_string_equal(query_rows(f,
        "SELECT r.entry_index, ifnull(w.url,'-'), ifnull(r.dest,'-'),"
        " ifnull(length(b.data),'-') FROM requests r"
        " LEFT JOIN windows w ON w.id=r.window_id LEFT JOIN bodies b ON b.id=r.body_id"
        " ORDER BY r.entry_index"),
        "0|https://a.example/|document|148\n"
        "1|https://a.example/|script|-\n"
        "2|https://w.example/widget?x=1&y=2|iframe|-\n"
        "3|https://x.example/lit|iframe|-\n"
        "4|https://y.example/s|iframe|-\n"
        "5|https://w.example/second|iframe|-\n"
        "6|https://q.example/|iframe|-\n"
        "7|https://a.example/popup.html|document|-\n"
        "8|https://b.example/home|document|-\n"
        "9|https://b.example/home|document|-\n"
        "11|https://a.example/|image|5\n"
        "12|https://a.example/|-|5\n"
        "13|https://c.example/|document|-\n"
        "14|https://c2.example/|iframe|-\n"
        "15|https://c2.example/|iframe|-\n"
        "16|https://c2.example/|-|-\n"
        "17|https://r.example/|document|-\n");
    assert_string_equal(query_rows(f,
        "SELECT count(DISTINCT body_id), (SELECT count(*) FROM bodies) FROM requests"),
        "2|2\n");
    assert_string_equal(query_rows(f,
        "SELECT req_headers, resp_headers FROM requests WHERE entry_index=8"),
        "[[\"Sec-Fetch-Dest\",\"document\"]]|[[\"Location\",\"/home\"],"
        "[\"X-Frame-Options\",\"DENY\"]]\n");
    assert_string_equal(query_rows(f, "SELECT tool FROM sources"),
                        "WebInspector 537.36\n");
}

/* A 50 MB string in one entry imports; memory stays near the entry size. */
static void
test_import_large_body(void **state)
{
    struct scratch_import *f = *state;
    FILE *fp = fopen(f->input, "wb");
    assert_non_null(fp);
    fputs("{\"log\":{\"entries\":[{\"request\":{\"method\":\"GET\",\"url\":"
          "\"https://big.example/b.js\"},\"response\":{\"status\":200,"
          "\"content\":{\"mimeType\":\"text/javascript\",\"text\":\"", fp);
    static char chunk[1 << 16];
    memset(chunk, 'x', sizeof chunk);
    for (int i = 0; i < 50 * 16; i++)
        fwrite(chunk, 1, sizeof chunk, fp);
    fputs("\"}}}]}}", fp);
    fclose(fp);
    import_path(f, f->input);
    assert_string_equal(query_rows(f, "SELECT size FROM bodies"), "52428800\n");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_chunk_boundaries),
        cmocka_unit_test(test_split_order_and_positions),
        cmocka_unit_test(test_split_errors),
        cmocka_unit_test(test_split_deep_nesting),
        cmocka_unit_test(test_url_resolve),
        cmocka_unit_test(test_time_parse),
        cmocka_unit_test(test_probe),
        cmocka_unit_test_setup_teardown(test_import_firefox, fixture_setup,
                                        scratch_import_teardown),
        cmocka_unit_test_setup_teardown(test_import_safari_duplicates,
                                        fixture_setup, scratch_import_teardown),
        cmocka_unit_test_setup_teardown(test_import_chrome_and_bom,
                                        fixture_setup, scratch_import_teardown),
        cmocka_unit_test_setup_teardown(test_import_proxies, fixture_setup,
                                        scratch_import_teardown),
        cmocka_unit_test_setup_teardown(test_import_pages_and_redirects,
                                        fixture_setup, scratch_import_teardown),
        cmocka_unit_test_setup_teardown(test_import_crafted_evidence,
                                        fixture_setup, scratch_import_teardown),
        cmocka_unit_test_setup_teardown(test_import_large_body, fixture_setup,
                                        scratch_import_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
