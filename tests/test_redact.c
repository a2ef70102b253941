/*
 * test_redact.c - which names, headers and values the report hides: every
 * rule of redact_rules[] on its own examples, then the cases around them
 * (source code keeps its expressions, URLs keep their build hashes,
 * personal data in messages).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "redact.h"

#define JWT "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlX2hlcmU"

static void
test_sensitive_names(void **state)
{
    (void)state;
    const char *yes[] = {"token", "accessToken", "access_token", "X-Auth-Token",
                         "api_key", "apiKey", "API-KEY", "password",
                         "sessionId", "session", "client_secret", "csrf",
                         "Cookie", "key", NULL};
    const char *no[] = {"monkey", "keyboard", "id", "cmd", "tokenizer",
                        "passage", "data", "", NULL};
    for (int i = 0; yes[i]; i++)
        assert_true(redact_is_sensitive_name(yes[i]));
    for (int i = 0; no[i]; i++)
        assert_false(redact_is_sensitive_name(no[i]));
    assert_false(redact_is_sensitive_name(NULL));
}

static void
test_headers(void **state)
{
    (void)state;
    assert_true(redact_is_secret_header("Cookie"));
    assert_true(redact_is_secret_header("set-cookie"));
    assert_true(redact_is_secret_header("AUTHORIZATION"));
    assert_true(redact_is_secret_header("Proxy-Authorization"));
    assert_true(redact_is_secret_header("X-Api-Key"));
    assert_false(redact_is_secret_header("Content-Type"));
    assert_false(redact_is_secret_header("X-Frame-Options"));
}

static void
test_token_values(void **state)
{
    (void)state;
    assert_true(redact_is_token_value(JWT));
    assert_true(redact_is_token_value("0123456789abcdef0123456789abcdef"));
    assert_true(redact_is_token_value("QWxhZGRpbjpvcGVuIHNlc2FtZTEyMzQ1Njc4OTA="));
    assert_true(redact_is_token_value("Bearer abc"));
    assert_false(redact_is_token_value("0123456789abcdef")); /* short */
    assert_false(redact_is_token_value("getUserProfileInformationAndSettings"));
    assert_false(redact_is_token_value("https://a.example/"));
    assert_false(redact_is_token_value(""));
}

static char *
run_text(const char *in)
{
    static struct pm_buf b;
    pm_buf_release(&b);
    redact_text(&b, in);
    return b.data;
}

static char *
run_code(const char *in)
{
    static struct pm_buf b;
    pm_buf_release(&b);
    redact_code(&b, in);
    return b.data;
}

/* JSON text in, redacted compact JSON text out (caller frees). */
static char *
run_json(const char *in)
{
    cJSON *j = cJSON_Parse(in);
    assert_non_null(j);
    redact_json(j);
    char *s = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    return s;
}

static char *
run_example(enum redact_example_kind kind, const char *in)
{
    switch (kind) {
    case REDACT_EX_JSON: return run_json(in);
    case REDACT_EX_CODE: return strdup(run_code(in));
    case REDACT_EX_TEXT: break;
    }
    return strdup(run_text(in));
}

/* Every rule redacts its example into exactly what the table says and
 * keeps its counter-example unchanged. */
static void
test_rule_table(void **state)
{
    (void)state;
    assert_true(redact_nrules >= 12);
    for (int i = 0; i < redact_nrules; i++) {
        const struct redact_rule *r = &redact_rules[i];
        assert_non_null(r->name);
        assert_non_null(r->matches);
        char *got = run_example(r->example_kind, r->example);
        if (strcmp(got, r->redacted) != 0)
            fail_msg("rule %s: example\n  %s\nbecame\n  %s\nnot\n  %s",
                     r->name, r->example, got, r->redacted);
        free(got);
        got = run_example(r->example_kind, r->kept);
        if (strcmp(got, r->kept) != 0)
            fail_msg("rule %s: kept example\n  %s\nbecame\n  %s", r->name,
                     r->kept, got);
        free(got);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(redact_rules[j].name, r->name);
    }
}

/* The data keys users named as leaking, and keys that must stay. */
static void
test_data_keys(void **state)
{
    (void)state;
    const char *yes[] = {"PHPSESSID", "jsessionid", "accesstoken", "pass",
                         "passcode", "SAMLResponse", "ticket",
                         "oauth_verifier", "pin", "cvv", "ssn", "credit_card",
                         "pw", "name", "firstName", "lastName", "fullName",
                         "email", "phone", "address", "birthdate",
                         "contactEmail", NULL};
    const char *no[] = {"code", "state", "type", "card", "tickets",
                        "spinner", "fileName", "hostname", "passage",
                        "bypass2", "keyboard", NULL};
    for (int i = 0; yes[i]; i++)
        if (!redact_is_sensitive_name(yes[i]))
            fail_msg("data key %s is not redacted", yes[i]);
    for (int i = 0; no[i]; i++)
        if (redact_is_sensitive_name(no[i]))
            fail_msg("data key %s is redacted", no[i]);
    /* OAuth code and state only as parameters. */
    assert_non_null(redact_name_rule("code", REDACT_IN_PARAM));
    assert_null(redact_name_rule("code", REDACT_IN_DATA | REDACT_IN_CODE));
}

/* Code keeps every identifier and expression; only literals bound to a
 * secret name go. */
static void
test_code(void **state)
{
    (void)state;
    const char *kept[] = {
        "window.demoState.authToken = data.token;",
        "if (e.data.password === undefined) return;",
        "const session = e.data.session || {};",
        "el.innerHTML = e.data.html; // render",
        "if (e.origin.indexOf('shop.example') > -1) {",
        "var f = (pw) => pw.length;",
        NULL,
    };
    for (int i = 0; kept[i]; i++)
        assert_string_equal(run_code(kept[i]), kept[i]);
    assert_string_equal(run_code("var pass = 'hunter2', user = 'ada';"),
                        "var pass = '[redacted]', user = 'ada';");
    assert_string_equal(run_code("cfg.passwd=\"x\\\"y\";"),
                        "cfg.passwd=\"[redacted]\";");
    assert_string_equal(run_code("if (pin === \"0000\" || otp != 123456) ok();"),
                        "if (pin === \"[redacted]\" || otp != [redacted]) ok();");
    assert_string_equal(run_code("post({'apiKey': `k-1`, type: 'x'})"),
                        "post({'apiKey': `[redacted]`, type: 'x'})");
    /* Strings and comments are text. */
    assert_string_equal(run_code("fetch('/api?token=abc&x=1'); // mail ada@example.com"),
                        "fetch('/api?token=[redacted]&x=1'); // mail [redacted]");
    assert_string_equal(run_code("x = 'unterminated\nnext = 1"),
                        "x = 'unterminated\nnext = 1");
    assert_string_equal(run_code(NULL), "");
}

/* URLs keep what locates them; credentials in them go. */
static void
test_urls(void **state)
{
    (void)state;
    const char *kept[] = {
        "https://www.gstatic.example/og/_/js/k=og.qtm.en_US.Ab7dE/rt=j/m=qabr/"
        "rs=AA2YrTtyZ8Bp0Qx1Lm3NcVb7Hd9Kq2Wf4Jg",
        "https://cdn.example/static/main.3f2a9c0d1e4b5a6978877665544332211.js",
        "https://host.example:8443/a/b?page=2#top",
        "see https://ada@git.example/x and http://[::1]:80/",
        NULL,
    };
    for (int i = 0; kept[i]; i++)
        assert_string_equal(run_text(kept[i]), kept[i]);
    assert_string_equal(
        run_text("https://u:p%40ss@h.example/;jsessionid=AB12?code=c0de&"
                 "state=s&id_token=x#access_token=y&scope=email"),
        "https://u:[redacted]@h.example/;jsessionid=[redacted]?code=[redacted]&"
        "state=[redacted]&id_token=[redacted]#access_token=[redacted]&scope=email");
    assert_string_equal(run_text("https://a.example/cb?t=" JWT "&v=2"),
                        "https://a.example/cb?t=[redacted]&v=2");
    /* Form data in a string; a lone "code=" is not. */
    assert_string_equal(run_text("code=abc&state=xyz&next=%2F"),
                        "code=[redacted]&state=[redacted]&next=%2F");
    assert_string_equal(run_text("code=abc"), "code=abc");
}

/* Personal data in message data: by key and e-mail addresses anywhere. */
static void
test_personal(void **state)
{
    (void)state;
    char *s = run_json(
        "{\"type\":\"profile\",\"user\":{\"name\":\"Ada Lovelace\","
        "\"email\":\"ada@example.com\",\"birthdate\":\"1815-12-10\","
        "\"address\":{\"city\":\"London\"}},\"msg\":\"cc bob@example.org\","
        "\"headers\":[{\"name\":\"Accept\",\"value\":\"*/*\"},"
        "{\"name\":\"email\",\"value\":\"c@d.example\"}]}");
    assert_string_equal(s,
        "{\"type\":\"profile\",\"user\":{\"name\":\"[redacted]\","
        "\"email\":\"[redacted]\",\"birthdate\":\"[redacted]\","
        "\"address\":\"[redacted]\"},\"msg\":\"cc [redacted]\","
        "\"headers\":[{\"name\":\"Accept\",\"value\":\"*/*\"},"
        "{\"name\":\"email\",\"value\":\"[redacted]\"}]}");
    free(s);
    assert_string_equal(run_text("{\"fullName\": \"Ada L\", \"id\": 3}"),
                        "{\"fullName\": \"[redacted]\", \"id\": 3}");
}

static void
test_text(void **state)
{
    (void)state;
    assert_string_equal(run_text("https://a.example/cb?x=1&token=s3cr3t&y=2"),
                        "https://a.example/cb?x=1&token=[redacted]&y=2");
    assert_string_equal(run_text("#access_token=abc.def&state=1"),
                        "#access_token=[redacted]&state=[redacted]");
    assert_string_equal(run_text("Authorization: Bearer abc.def"),
                        "Authorization: [redacted]");
    assert_string_equal(run_text("sent Bearer xyz to it"),
                        "sent Bearer [redacted] to it");
    assert_string_equal(run_text("jwt " JWT " end"), "jwt [redacted] end");
    assert_string_equal(run_text("{\"sessionId\": \"q1\", \"cmd\": \"go\"}"),
                        "{\"sessionId\": \"[redacted]\", \"cmd\": \"go\"}");
    assert_string_equal(run_text("sid=1; theme=dark"), "sid=[redacted]; theme=dark");
    assert_string_equal(run_text("/js/app.0123456789abcdef0123456789abcdef.js"),
                        "/js/app.[redacted].js"); /* not a URL: a value */
    assert_string_equal(run_text("nothing secret here: 42"),
                        "nothing secret here: 42");
    assert_string_equal(run_text("monkey=banana"), "monkey=banana");
    assert_string_equal(run_text("GET / HTTP/1.1\nCookie: a=1; theme=dark\n"
                                 "Accept: */*\nSet-Cookie: sid=2; Path=/"),
                        "GET / HTTP/1.1\nCookie: [redacted]\n"
                        "Accept: */*\nSet-Cookie: [redacted]");
    assert_string_equal(run_text(NULL), "");
}

static void
test_json(void **state)
{
    (void)state;
    cJSON *j = cJSON_Parse(
        "{\"cmd\":\"login\",\"password\":\"hunter2\",\"nested\":{\"apiKey\":7,"
        "\"list\":[\"" JWT "\",\"ok\",\"u?token=zz\"]},\"key\":null,"
        "\"auth\":{\"user\":\"a\"}}");
    assert_non_null(j);
    redact_json(j);
    char *s = cJSON_PrintUnformatted(j);
    assert_string_equal(s,
        "{\"cmd\":\"login\",\"password\":\"[redacted]\",\"nested\":{\"apiKey\":"
        "\"[redacted]\",\"list\":[\"[redacted]\",\"ok\",\"u?token=[redacted]\"]},"
        "\"key\":null,\"auth\":\"[redacted]\"}");
    free(s);
    cJSON_Delete(j);

    j = cJSON_Parse("{\"headers\":[[\"Cookie\",\"a=1; b=2\"],"
                    "[\"Accept\",\"text/html\"]],\"har\":[{\"name\":"
                    "\"authorization\",\"value\":\"Digest x\"},"
                    "{\"name\":\"Host\",\"value\":\"a.example\"}]}");
    assert_non_null(j);
    redact_json(j);
    s = cJSON_PrintUnformatted(j);
    assert_string_equal(s,
        "{\"headers\":[[\"Cookie\",\"[redacted]\"],[\"Accept\",\"text/html\"]],"
        "\"har\":[{\"name\":\"authorization\",\"value\":\"[redacted]\"},"
        "{\"name\":\"Host\",\"value\":\"a.example\"}]}");
    free(s);
    cJSON_Delete(j);
}

/* A long run of short dotted words (each a possible e-mail local part) is
 * scanned in linear time: 400 KB in well under two seconds. */
static void
test_long_dotted_run_is_linear(void **state)
{
    (void)state;
    size_t n = 400000;
    char *in = malloc(n + 3);
    assert_non_null(in);
    for (size_t i = 0; i < n; i += 2)
        memcpy(in + i, "a.", 2);
    memcpy(in + n, "@x", 3);
    clock_t t0 = clock();
    assert_string_equal(run_text(in), in);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    if (secs > 2.0)
        fail_msg("redact_text took %.1f s on %zu bytes", secs, n);
    free(in);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sensitive_names),
        cmocka_unit_test(test_headers),
        cmocka_unit_test(test_token_values),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_rule_table),
        cmocka_unit_test(test_data_keys),
        cmocka_unit_test(test_code),
        cmocka_unit_test(test_urls),
        cmocka_unit_test(test_personal),
        cmocka_unit_test(test_long_dotted_run_is_linear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
