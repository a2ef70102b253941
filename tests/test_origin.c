/*
 * test_origin.c - table-driven tests of URL -> origin serialization.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "origin.h"

struct origin_case {
    const char *url;
    const char *parent; /* origin inherited by about:blank/srcdoc */
    const char *want;   /* NULL = parse error expected */
};

static const struct origin_case cases[] = {
    {"https://a.example/", NULL, "https://a.example"},
    {"https://a.example", NULL, "https://a.example"},
    {"HTTPS://A.EXAMPLE/Path", NULL, "https://a.example"},
    {"https://a.example:443/x", NULL, "https://a.example"},
    {"http://a.example:80/", NULL, "http://a.example"},
    {"http://a.example:8080/", NULL, "http://a.example:8080"},
    {"https://a.example:80/", NULL, "https://a.example:80"},
    {"http://a.example:0080/", NULL, "http://a.example"},
    {"ws://a.example:80/", NULL, "ws://a.example"},
    {"wss://a.example:443/s", NULL, "wss://a.example"},
    {"ftp://a.example:21/f", NULL, "ftp://a.example"},
    {"https://user:pw@a.example/", NULL, "https://a.example"},
    {"https://u@p@a.example:8443/", NULL, "https://a.example:8443"},
    {"https://a.example/p?q=1#frag", NULL, "https://a.example"},
    {"https://a.example?x", NULL, "https://a.example"},
    {"https://a.example#x", NULL, "https://a.example"},
    {"https:\\\\a.example\\x", NULL, "https://a.example"},
    {"https:a.example/x", NULL, "https://a.example"},
    {"  https://a.example/  ", NULL, "https://a.example"},
    {"ht\ttps://a.exa\nmple/", NULL, "https://a.example"},
    {"http://[::1]:8080/", NULL, "http://[::1]:8080"},
    {"http://[0:0:0:0:0:0:0:1]/", NULL, "http://[::1]"},
    {"http://[2001:DB8::1]/", NULL, "http://[2001:db8::1]"},
    {"http://[2001:db8:0:0:1:0:0:1]/", NULL, "http://[2001:db8::1:0:0:1]"},
    {"http://[::ffff:192.0.2.1]/", NULL, "http://[::ffff:c000:201]"},
    {"http://127.0.0.1:8101/", NULL, "http://127.0.0.1:8101"},
    {"http://0x7f.1/", NULL, "http://127.0.0.1"},
    {"http://2130706433/", NULL, "http://127.0.0.1"},
    {"http://0177.0.0.1/", NULL, "http://127.0.0.1"},
    {"http://a.example./", NULL, "http://a.example."},
    {"data:text/html,<script>1</script>", NULL, "null"},
    {"DATA:,x", NULL, "null"},
    {"file:///etc/passwd", NULL, "null"},
    {"javascript:alert(1)", NULL, "null"},
    {"mailto:a@b.example", NULL, "null"},
    {"chrome-extension://abcdef/x.js", NULL, "null"},
    {"blob:https://a.example/0b2c-11", NULL, "https://a.example"},
    {"blob:https://a.example:8443/u", NULL, "https://a.example:8443"},
    {"blob:null/uuid", NULL, "null"},
    {"blob:data:,x", NULL, "null"},
    {"blob:blob:https://a.example/x", NULL, "null"},
    {"about:blank", "https://p.example", "https://p.example"},
    {"about:blank#x", "https://p.example", "https://p.example"},
    {"about:srcdoc", "http://127.0.0.1:8101", "http://127.0.0.1:8101"},
    {"about:blank", NULL, "null"},
    {"about:config", "https://p.example", "null"},
    /* malformed: clear error, no crash */
    {"", NULL, NULL},
    {"a.example/path", NULL, NULL},
    {"/relative/path", NULL, NULL},
    {"://a.example", NULL, NULL},
    {"https://", NULL, NULL},
    {"https:///path", NULL, "https://path"},
    {"https://a.example:99999/", NULL, NULL},
    {"https://a.example:80x/", NULL, NULL},
    {"http://[::1/", NULL, NULL},
    {"http://[::zz]/", NULL, NULL},
    {"http://a b.example/", NULL, NULL},
    {"http://a<b.example/", NULL, NULL},
    {"http://1.2.3.4.5/", NULL, NULL},
    {"http://256.1.1.1/", NULL, NULL},
    {"http://user@/", NULL, NULL},
    {"1http://a.example/", NULL, NULL},
    /* Internationalized hosts print as IDNA (xn--), so a look-alike never
     * prints like the host it imitates; hosts with hidden characters or
     * that IDNA refuses keep their non-ASCII characters as escapes. */
    {"https://b\xd0\xb0nk.example/", NULL, "https://xn--bnk-6cd.example"},
    {"https://B\xc3\x9c" "CHER.example/", NULL, "https://xn--bcher-kva.example"},
    {"https://\xef\xbc\x91\xef\xbc\x92\xef\xbc\x97.0.0.1/", NULL,
     "https://127.0.0.1"},
    {"https://bank\xe2\x80\x8b.example/", NULL, "https://bank\\u200b.example"},
    {"https://bank\xe2\x80\x8d.example/", NULL, "https://bank\\u200d.example"},
    {"https://bank\xf3\xa0\x81\x81.example/", NULL,
     "https://bank\\U000e0041.example"},
    {"https://b\xd0\xb0nk\xe2\x80\xae.example/", NULL,
     "https://b\\u0430nk\\u202e.example"},
    {"https://bank\x9b.example/", NULL, "https://bank\\x9b.example"},
    {"https://a\xef\xbc\x8f" "b.example/", NULL, NULL},
};

static void
test_origin_table(void **state)
{
    (void)state;
    char out[PM_ORIGIN_MAX];
    int failures = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct pm_err err = PM_ERR_INIT;
        enum pm_rc rc = origin_from_url(cases[i].url, cases[i].parent, out,
                                        &err);
        if (cases[i].want == NULL) {
            if (rc != PM_ERR_PARSE || out[0] != '\0' || err.msg[0] == '\0') {
                print_error("case %zu '%s': expected a parse error, got '%s'\n",
                            i, cases[i].url, out);
                failures++;
            }
        } else if (rc != PM_OK || strcmp(out, cases[i].want) != 0) {
            print_error("case %zu '%s': expected '%s', got '%s' (%s)\n", i,
                        cases[i].url, cases[i].want, out, err.msg);
            failures++;
        }
    }
    assert_int_equal(failures, 0);
    assert_true(sizeof cases / sizeof cases[0] >= 49);
}

static void
test_origin_long_url(void **state)
{
    (void)state;
    static char url[1 << 20];
    memset(url, 'a', sizeof url - 1);
    memcpy(url, "https://h.example/", 18);
    char out[PM_ORIGIN_MAX];
    struct pm_err err = PM_ERR_INIT;
    assert_int_equal(origin_from_url(url, NULL, out, &err), PM_OK);
    assert_string_equal(out, "https://h.example");
    memset(url + 8, 'a', sizeof url - 9); /* now a 1 MB host */
    pm_err_init(&err);
    assert_int_equal(origin_from_url(url, NULL, out, &err), PM_ERR_PARSE);
}

static void
test_origin_same_site(void **state)
{
    (void)state;
    assert_true(origin_same_site("https://a.example.com", "https://b.example.com"));
    assert_true(origin_same_site("https://example.com", "https://www.example.com:8443"));
    assert_false(origin_same_site("https://a.example.com", "http://a.example.com"));
    assert_false(origin_same_site("https://example.com", "https://evilexample.com"));
    assert_false(origin_same_site("http://127.0.0.1:1", "http://localhost:1"));
    assert_true(origin_same_site("http://127.0.0.1:1", "http://127.0.0.1:2"));
    assert_false(origin_same_site("null", "null"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_origin_table),
        cmocka_unit_test(test_origin_long_url),
        cmocka_unit_test(test_origin_same_site),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
