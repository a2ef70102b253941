/*
 * test_redact.c - which names, headers and values the report hides.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

static void
test_text(void **state)
{
    (void)state;
    assert_string_equal(run_text("https://a.example/cb?x=1&token=s3cr3t&y=2"),
                        "https://a.example/cb?x=1&token=[redacted]&y=2");
    assert_string_equal(run_text("#access_token=abc.def&state=1"),
                        "#access_token=[redacted]&state=1");
    assert_string_equal(run_text("Authorization: Bearer abc.def"),
                        "Authorization: [redacted]");
    assert_string_equal(run_text("sent Bearer xyz to it"),
                        "sent Bearer [redacted] to it");
    assert_string_equal(run_text("jwt " JWT " end"), "jwt [redacted] end");
    assert_string_equal(run_text("{\"sessionId\": \"q1\", \"cmd\": \"go\"}"),
                        "{\"sessionId\": \"[redacted]\", \"cmd\": \"go\"}");
    assert_string_equal(run_text("sid=1; theme=dark"), "sid=[redacted]; theme=dark");
    assert_string_equal(run_text("/js/app.0123456789abcdef0123456789abcdef.js"),
                        "/js/app.[redacted].js");
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

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sensitive_names),
        cmocka_unit_test(test_headers),
        cmocka_unit_test(test_token_values),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
