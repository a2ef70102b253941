/*
 * test_fetch.c - the pure parts of URL import and recheck: the URL pmscope
 * records for a fetched source (no credentials), the URL it requests (no
 * userinfo), which redirects it follows, size options, and the "can
 * anyone frame this document" rule recheck judges framing fixes by.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <stdlib.h>

#include "fetch.h"
#include "fetch_int.h"
#include "recheck.h"

struct display_case {
    const char *url;
    const char *want; /* NULL = refused */
};

static const struct display_case display_cases[] = {
    {"https://a.example/x.har", "https://a.example/x.har"},
    {"https://ann:secret@a.example/x.har", "https://a.example/x.har"},
    {"https://a.example/x.har?X-Amz-Signature=abc&t=1", "https://a.example/x.har"},
    {"https://a.example/x.har#token=abc", "https://a.example/x.har"},
    {"http://a.example:8080/d/t.jsonl?k=v", "http://a.example:8080/d/t.jsonl"},
    {"HTTPS://A.example", "https://a.example/"},
    {"http://[::1]:9000/x", "http://[::1]:9000/x"},
    {"ftp://a.example/x.har", NULL},
    {"file:///etc/passwd", NULL},
    {"https://", NULL},
    {"not a url", NULL},
};

static void
test_display_url(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof display_cases / sizeof display_cases[0]; i++) {
        const struct display_case *c = &display_cases[i];
        char out[FETCH_URL_MAX];
        struct pm_err err = PM_ERR_INIT;
        enum pm_rc rc = fetch_display_url(c->url, out, &err);
        if (c->want == NULL) {
            if (rc != PM_ERR_USAGE)
                fail_msg("%s: expected refusal, got %s", c->url, out);
        } else {
            if (rc != PM_OK)
                fail_msg("%s: %s", c->url, err.msg);
            assert_string_equal(out, c->want);
        }
    }
}

/* Request URLs never carry a user name or password. */
static void
test_request_url(void **state)
{
    (void)state;
    char *u = fetch_request_url("http://u:pw@a.example:8080/x.js?v=1");
    assert_non_null(u);
    assert_string_equal(u, "http://a.example:8080/x.js?v=1");
    free(u);
    u = fetch_request_url("https://only-user@a.example/");
    assert_non_null(u);
    assert_string_equal(u, "https://a.example/");
    free(u);
    assert_null(fetch_request_url("file:///etc/passwd"));
    assert_null(fetch_request_url("javascript:alert(1)"));
}

struct redirect_case {
    const char *from, *to;
    const char *want;    /* the next request URL, or NULL = refused */
    const char *reason;  /* part of the refusal */
};

static const struct redirect_case redirect_cases[] = {
    {"http://a.example/x", "https://a.example/y", "https://a.example/y", NULL},
    {"https://a.example/x", "https://b.example/y?z=1", "https://b.example/y?z=1",
     NULL},
    {"http://a.example/x", "http://u:pw@b.example/y", "http://b.example/y",
     NULL},
    {"https://a.example/x?sig=1", "http://a.example/y?t=2", NULL,
     "refused a redirect from https://a.example/x to http://a.example/y: "
     "it would leave https for plain http"},
    {"HTTPS://a.example/x", "http://a.example/y", NULL, "plain http"},
    {"http://a.example/x", "file:///etc/passwd", NULL,
     "refused a redirect to a file: URL"},
    {"http://a.example/x", "javascript:alert(1)", NULL,
     "refused a redirect to a javascript: URL"},
};

static void
test_redirect_next(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof redirect_cases / sizeof redirect_cases[0];
         i++) {
        const struct redirect_case *c = &redirect_cases[i];
        char why[512] = "";
        char *next = NULL;
        int refused = fetch_redirect_next(c->from, c->to, &next, why,
                                          sizeof why);
        if (c->want) {
            if (refused)
                fail_msg("%s -> %s refused: %s", c->from, c->to, why);
            assert_string_equal(next, c->want);
        } else {
            if (!refused)
                fail_msg("%s -> %s followed", c->from, c->to);
            assert_null(next);
            if (strstr(why, c->reason) == NULL)
                fail_msg("%s -> %s: '%s' lacks '%s'", c->from, c->to, why,
                         c->reason);
        }
        free(next);
    }
}

static void
test_is_url(void **state)
{
    (void)state;
    assert_true(fetch_is_url("https://a.example/"));
    assert_true(fetch_is_url("HTTP://a.example/"));
    assert_false(fetch_is_url("file:///x"));
    assert_false(fetch_is_url("./https://x"));
    assert_false(fetch_is_url("crawl.sqlite"));
}

static void
test_parse_size(void **state)
{
    (void)state;
    struct {
        const char *s;
        int64_t want; /* -1 = refused */
    } cases[] = {
        {"1048576", 1048576}, {"1k", 1024}, {"64M", 64 << 20},
        {"1G", (int64_t)1 << 30}, {"1GiB", (int64_t)1 << 30},
        {"2MB", 2 << 20}, {"0.5M", 512 << 10}, {"", -1}, {"lots", -1},
        {"0", -1}, {"-5M", -1}, {"1T", -1}, {"5 M", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t v = 0;
        struct pm_err err = PM_ERR_INIT;
        enum pm_rc rc = fetch_parse_size(cases[i].s, &v, &err);
        if (cases[i].want < 0) {
            if (rc != PM_ERR_USAGE)
                fail_msg("'%s' should be refused", cases[i].s);
        } else {
            if (rc != PM_OK)
                fail_msg("'%s': %s", cases[i].s, err.msg);
            assert_int_equal(v, cases[i].want);
        }
    }
}

static void
test_frameable(void **state)
{
    (void)state;
    assert_true(recheck_frameable_by_anyone(NULL, NULL));
    assert_false(recheck_frameable_by_anyone("DENY", NULL));
    assert_false(recheck_frameable_by_anyone(" sameorigin ", NULL));
    assert_false(recheck_frameable_by_anyone("DENY, SAMEORIGIN", NULL));
    /* ALLOW-FROM is ignored by current browsers. */
    assert_true(recheck_frameable_by_anyone("ALLOW-FROM https://a.example", NULL));
    assert_true(recheck_frameable_by_anyone(NULL, "default-src 'self'"));
    assert_false(recheck_frameable_by_anyone(NULL, "frame-ancestors 'none'"));
    assert_false(recheck_frameable_by_anyone(NULL, "default-src *; Frame-Ancestors https://a.example"));
    assert_true(recheck_frameable_by_anyone(NULL, "frame-ancestors *"));
    /* Two policies joined by the store: the second one counts too. */
    assert_false(recheck_frameable_by_anyone(NULL, "script-src 'self', frame-ancestors 'self'"));
    /* frame-ancestors overrides X-Frame-Options in browsers. */
    assert_true(recheck_frameable_by_anyone("DENY", "frame-ancestors *"));
    /* A directive whose name merely starts the same is not it. */
    assert_true(recheck_frameable_by_anyone(NULL, "frame-ancestors-x 'none'"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_display_url),
        cmocka_unit_test(test_request_url),
        cmocka_unit_test(test_redirect_next),
        cmocka_unit_test(test_is_url),
        cmocka_unit_test(test_parse_size),
        cmocka_unit_test(test_frameable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
