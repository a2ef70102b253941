/*
 * test_origin_accept.c - the origin-check evaluator (origin_accept.c) on
 * checks as analysis stores them: each handler below is classified by
 * analyze_handler_code first, then its check is judged against origins.
 * The handlers are the demo site's, the shapes of tests/data/handlers
 * (realworld.js: minified bundles, jQuery, helpers) and those of the
 * published libraries docs/analysis.md lists, whose checks compare with a
 * configured value (unknown, never guessed).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "analyze.h"
#include "origin_accept.h"
#include "vocab.h"

struct accept_case {
    const char *name;
    const char *code;   /* a handler, as a trace records its source */
    const char *origin; /* the sender */
    enum pm_accept want;
};

#define Y PM_ACCEPT_YES
#define N PM_ACCEPT_NO
#define U PM_ACCEPT_UNKNOWN

static const struct accept_case cases[] = {
    /* the demo site (sample-traces/site) */
    {"demo strict own", "function (event) { if (event.origin === 'http://localhost:8102') { go(event.data); } }",
     "http://localhost:8102", Y},
    {"demo strict other", "function (event) { if (event.origin === 'http://localhost:8102') { go(event.data); } }",
     "http://127.0.0.1:8103", N},
    {"demo regex own", "function (event) { if (!/localhost:8102/.test(event.origin)) return; go(event.data); }",
     "http://localhost:8102", Y},
    {"demo regex foreign", "function (event) { if (!/localhost:8102/.test(event.origin)) return; go(event.data); }",
     "https://evil.example", N},
    {"demo indexOf own", "function (e) { if (e.origin.indexOf('http://127.0.0.1') > -1) { go(e.data); } }",
     "http://127.0.0.1:8101", Y},
    {"demo indexOf foreign", "function (e) { if (e.origin.indexOf('http://127.0.0.1') > -1) { go(e.data); } }",
     "http://127.0.0.1.evil.example", Y},
    {"demo indexOf other", "function (e) { if (e.origin.indexOf('http://127.0.0.1') > -1) { go(e.data); } }",
     "http://localhost:8102", N},
    {"demo endsWith", "function (e) { if (!e.origin.endsWith('127.0.0.1:8103')) return; go(e.data); }",
     "http://127.0.0.1:8103", Y},
    {"demo endsWith other", "function (e) { if (!e.origin.endsWith('127.0.0.1:8103')) return; go(e.data); }",
     "http://localhost:8102", N},
    {"demo startsWith", "function (event) { if (!event.origin.startsWith('http://127.0.0.1')) return; go(event.data); }",
     "http://127.0.0.1:8101", Y},
    {"demo none", "function (event) { document.body.innerHTML = event.data.theme; }",
     "https://evil.example", Y},
    /* realworld.js shapes */
    {"min indexOf", "function(a){if(-1<a.origin.indexOf(\"widget.example\")){var b=JSON.parse(a.data);eval(b.js)}}",
     "https://widget.example.evil.net", Y},
    {"min strict via name", "function(e){if(e.origin!==o)return;var t=e.data;window.location.href=t.url}",
     "https://accounts.example", U},
    {"location.origin", "function(e){if(e.origin===location.origin){console.log(e.data)}}",
     "https://a.example", U},
    {"jquery indexOf", "function (e) { var oe = e.originalEvent; if (oe.origin.indexOf(\"example.com\") < 0) return; $(oe.data.selector).show(); }",
     "https://example.com.evil.net", Y},
    {"endsWith no dot", "function receiveMessage(event) { if (!event.origin.endsWith('example.org')) return; localStorage.setItem('t', event.data.t); }",
     "https://evilexample.org", Y},
    {"allow-list array", "function (e) { if (['https://a.example', 'https://b.example'].indexOf(e.origin) === -1) return; go(e.data); }",
     "https://b.example", Y},
    {"allow-list array reject", "function (e) { if (['https://a.example', 'https://b.example'].indexOf(e.origin) === -1) return; go(e.data); }",
     "https://c.example", N},
    {"anchored regex", "function (e) { if (!/^https:\\/\\/(www|app)\\.a\\.com$/.test(e.origin)) return; go(e.data); }",
     "https://app.a.com", Y},
    {"anchored regex reject", "function (e) { if (!/^https:\\/\\/(www|app)\\.a\\.com$/.test(e.origin)) return; go(e.data); }",
     "https://app.a.com.evil.net", N},
    {"unescaped dot", "function (e) { if (!/^https:\\/\\/www.a.com$/.test(e.origin)) return; go(e.data); }",
     "https://wwwxa.com", Y},
    {"search string", "function (e) { if (e.origin.search('www.a.example') === -1) return; go(e.data); }",
     "https://wwwxa.example", Y},
    /* published libraries: the allowed origin is configuration */
    {"postmate-like", "function (e) { if (typeof allowedOrigin === 'string' && e.origin !== allowedOrigin) return; go(e.data); }",
     "https://a.example", U},
    {"pym-like RegExp", "function (e) { if (!e.origin.match(new RegExp(this.settings.xdomain + '$'))) return; go(e.data); }",
     "https://a.example", U},
    {"keycloak-like", "function (event) { if (event.origin !== loginIframe.iframeOrigin || loginIframe.iframe.contentWindow !== event.source) return; go(event.data); }",
     "https://sso.example", U},
};

static void
test_cases(void **state)
{
    (void)state;
    int bad = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct accept_case *c = &cases[i];
        struct pm_handler_facts f;
        analyze_handler_code(c->code, strlen(c->code), &f);
        char why[256];
        enum pm_accept got = origin_accept(check_kind_name(f.check),
                                           f.check_expr, c->origin, why,
                                           sizeof why);
        if (got != c->want) {
            printf("%s: %s (%s: %s) for %s: got %s (%s), want %s\n", c->name,
                   c->code, check_kind_name(f.check), f.check_expr, c->origin,
                   accept_name(got), why, accept_name(c->want));
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

static void
test_why(void **state)
{
    (void)state;
    char why[128];
    assert_int_equal(origin_accept("indexOf", "e.origin.indexOf('http://127.0.0.1') > -1",
                                   "http://127.0.0.1:8101", why, sizeof why), Y);
    assert_string_equal(why, "contains 'http://127.0.0.1'");
    assert_int_equal(origin_accept("strict", "event.origin === 'http://localhost:8102'",
                                   "http://127.0.0.1:8103", why, sizeof why), N);
    assert_string_equal(why, "is not 'http://localhost:8102'");
    assert_int_equal(origin_accept("none", "", "https://x.example", why, sizeof why), Y);
    assert_string_equal(why, "no origin check");
    assert_int_equal(origin_accept("unknown", "helper(e)", "https://x.example", why,
                                   sizeof why), U);
    assert_int_equal(origin_accept(NULL, NULL, "https://x.example", why, sizeof why), U);
    /* what POSIX cannot say stays unknown */
    assert_int_equal(origin_accept("regex-unanchored", "/a(?=b)/.test(e.origin)",
                                   "https://ab.example", why, sizeof why), U);
    assert_int_equal(origin_accept("regex-unanchored", "/\\bexample/.test(e.origin)",
                                   "https://ab.example", why, sizeof why), U);
}

static void
test_foreign(void **state)
{
    (void)state;
    char out[320];
    assert_int_equal(origin_accept_foreign("indexOf",
                                           "e.origin.indexOf('http://127.0.0.1') > -1",
                                           out, sizeof out), 1);
    assert_string_equal(out, "http://127.0.0.1.evil.example");
    assert_int_equal(origin_accept_foreign("startsWith",
                                           "event.origin.startsWith('http://127.0.0.1')",
                                           out, sizeof out), 1);
    assert_string_equal(out, "http://127.0.0.1.evil.example");
    assert_int_equal(origin_accept_foreign("endsWith", "e.origin.endsWith('a.example')",
                                           out, sizeof out), 1);
    assert_string_equal(out, "https://evila.example");
    assert_int_equal(origin_accept_foreign("none", "", out, sizeof out), 1);
    assert_string_equal(out, "https://evil.example");
    /* strict: nothing foreign passes */
    assert_int_equal(origin_accept_foreign("strict", "event.origin === 'http://localhost:8102'",
                                           out, sizeof out), 0);
    /* one label (evillocalhost) is no one's domain to register */
    assert_int_equal(origin_accept_foreign("regex-unanchored",
                                           "/localhost:8102/.test(event.origin)",
                                           out, sizeof out), 0);
    /* a host that ends in a number is an IPv4 address: no such domain */
    assert_int_equal(origin_accept_foreign("endsWith", "e.origin.endsWith('127.0.0.1:8103')",
                                           out, sizeof out), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_why),
        cmocka_unit_test(test_foreign),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
