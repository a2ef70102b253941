/*
 * test_jsscan.c - the JavaScript tokenizer (regex versus division,
 * template literals with nested ${}, strings with escapes, comments,
 * positions, bracket pairing, hostile input) and the script-level scan
 * (send sites with their targetOrigin, inline scripts in HTML, listener
 * positions).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analyze.h"
#include "buf.h"
#include "jsscan.h"
#include "mem.h"

/* Token types of src as a string: i=ident n=num s=str t=template r=regex p=punct. */
static void
types_of(const char *src, char *out, size_t outsz)
{
    struct js_tokens t;
    js_tokenize(src, strlen(src), 1, 1, &t);
    size_t o = 0;
    for (size_t i = 0; i < t.n && o + 1 < outsz; i++)
        out[o++] = "instrp"[t.v[i].type];
    out[o] = '\0';
    js_tokens_release(&t);
}

static void
test_regex_vs_division(void **state)
{
    (void)state;
    char ty[64];
    types_of("a = b / c / d", ty, sizeof ty);
    assert_string_equal(ty, "ipipipi");
    types_of("x = /ab+c/g.test(s)", ty, sizeof ty);
    assert_string_equal(ty, "iprpipip");
    types_of("f(a) / 2", ty, sizeof ty);
    assert_string_equal(ty, "ipippn");
    types_of("return /x/", ty, sizeof ty);
    assert_string_equal(ty, "ir");
    types_of("a[0] / /re/.source.length", ty, sizeof ty);
    assert_string_equal(ty, "ipnpprpipi");
    types_of("if (x) /y\\/[/]z/.exec(s)", ty, sizeof ty);
    assert_string_equal(ty, "ipiprpipip");
    types_of("i++ / 2", ty, sizeof ty);
    assert_string_equal(ty, "ippn");
}

static void
test_templates(void **state)
{
    (void)state;
    char ty[64];
    types_of("`a${b}c`", ty, sizeof ty);
    assert_string_equal(ty, "tit");
    /* nested template inside a substitution, object literal braces inside */
    types_of("`x${ `y${ {a:1}.a }z` }w` + 1", ty, sizeof ty);
    assert_string_equal(ty, "ttpipnppittpn");
    types_of("`no subst`", ty, sizeof ty);
    assert_string_equal(ty, "t");
    struct js_tokens t;
    const char *src = "`a${ '}' }b` ; x";
    js_tokenize(src, strlen(src), 1, 1, &t);
    assert_int_equal(t.n, 5);
    assert_int_equal(t.v[1].type, JS_STR);
    assert_int_equal(t.v[2].type, JS_TEMPLATE);
    js_tokens_release(&t);
}

static void
test_strings_comments_positions(void **state)
{
    (void)state;
    const char *src = "// c1 'not a string'\n"
                      "var s = 'it\\'s \\u0041\\x42\\u{1F600}'; /* block\n"
                      " comment */ y = \"a/b\"\n";
    struct js_tokens t;
    js_tokenize(src, strlen(src), 1, 1, &t);
    assert_int_equal(t.n, 8);
    long line, col;
    js_token_pos(&t, 0, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 1);
    char v[64];
    assert_int_equal(js_string_value(&t, 3, v, sizeof v), 0);
    assert_string_equal(v, "it's AB\xF0\x9F\x98\x80");
    js_token_pos(&t, 5, &line, &col);
    assert_int_equal(line, 3);
    assert_int_equal(col, 13);
    assert_true(t.v[5].nl_before);
    assert_int_equal(js_string_value(&t, 7, v, sizeof v), 0);
    assert_string_equal(v, "a/b");
    js_tokens_release(&t);

    /* positions of an inline script continue the file's line/col */
    js_tokenize("a\n b", 4, 10, 7, &t);
    js_token_pos(&t, 0, &line, &col);
    assert_int_equal(line, 10);
    assert_int_equal(col, 7);
    js_token_pos(&t, 1, &line, &col);
    assert_int_equal(line, 11);
    assert_int_equal(col, 2);
    js_tokens_release(&t);
}

/*
 * A string cut off by the end of the script, with an escape as its last
 * characters: the value stops at the last byte of the input.  The script
 * is copied into a buffer of its exact length (no NUL after it) so that
 * AddressSanitizer sees a read past it (the fuzzer found `'\u` at the end).
 */
static void
test_unterminated_string_escapes(void **state)
{
    (void)state;
    static const struct {
        const char *src, *value;
    } cases[] = {
        {"'\\u", "u"},         {"'\\x4", "x4"},
        {"\"\\u{41", "u{41"}, {"'\\u004", "u004"},
        {"'ab\\", "ab\\"},    {"x = '\\x41", "A"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        size_t n = strlen(cases[c].src);
        char *src = malloc(n);
        assert_non_null(src);
        memcpy(src, cases[c].src, n);
        struct js_tokens t;
        js_tokenize(src, n, 1, 1, &t);
        size_t i = 0;
        while (i < t.n && t.v[i].type != JS_STR)
            i++;
        assert_true(i < t.n);
        char v[64];
        assert_int_equal(js_string_value(&t, i, v, sizeof v), 0);
        assert_string_equal(v, cases[c].value);
        js_tokens_release(&t);
        free(src);
    }
}

static void
test_brackets(void **state)
{
    (void)state;
    struct js_tokens t;
    const char *src = "f(a[1], {b: (c)}) ) ]";
    js_tokenize(src, strlen(src), 1, 1, &t);
    assert_int_equal(t.v[1].match, 14);
    assert_int_equal(t.v[14].match, 1);
    assert_int_equal(t.v[3].match, 5);
    assert_int_equal(t.v[7].match, 13);
    assert_int_equal(t.v[15].match, -1); /* stray closers stay unpaired */
    assert_int_equal(t.v[16].match, -1);
    js_tokens_release(&t);
}

static void
test_hostile_input(void **state)
{
    (void)state;
    /* unterminated everything, deep nesting, binary bytes: no crash, no hang */
    const char *inputs[] = {
        "'unterminated", "\"abc\\", "`abc${", "`${`${`${", "/* never closed",
        "/unterminated regex\nx", "a = /[/", "\\u", "#", "((((((((((", "}}}}",
        "\xff\xfe\x00zz",
    };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        struct js_tokens t;
        js_tokenize(inputs[i], strlen(inputs[i]), 1, 1, &t);
        for (size_t k = 0; k < t.n; k++)
            assert_true((size_t)t.v[k].off + t.v[k].len <= strlen(inputs[i]));
        js_tokens_release(&t);
        struct pm_handler_facts f;
        analyze_handler_code(inputs[i], strlen(inputs[i]), &f);
        analyze_script(inputs[i], strlen(inputs[i]), 1, 1, NULL, NULL, NULL);
    }
    size_t n = 200000;
    char *deep = xmalloc(n + 1);
    for (size_t i = 0; i < n; i++)
        deep[i] = "(`${["[i % 5];
    deep[n] = '\0';
    analyze_script(deep, n, 1, 1, NULL, NULL, NULL);
    free(deep);

    /* 20000 nested function expressions in one handler: the analysis
     * stays linear (this took minutes before its bounds) and still finds
     * the sink at the bottom */
    struct pm_buf b;
    pm_buf_init(&b);
    pm_buf_adds(&b, "addEventListener('message', function (e) {");
    for (int i = 0; i < 20000; i++)
        pm_buf_addf(&b, "a%d = function () {", i);
    pm_buf_adds(&b, "el.innerHTML = e.data;");
    for (int i = 0; i < 20000; i++)
        pm_buf_addc(&b, '}');
    pm_buf_adds(&b, "});");
    struct pm_handler_facts f;
    analyze_handler_code(b.data + 28, b.len - 30, &f);
    assert_int_equal(f.check, PM_CHECK_NONE);
    assert_int_equal(f.sinks, PM_SINK_INNERHTML);
    pm_buf_release(&b);
}

struct sends {
    int n;
    struct pm_found_send v[8];
};

static void
on_send(const struct pm_found_send *s, void *ctx)
{
    struct sends *c = ctx;
    if (c->n < 8)
        c->v[c->n] = *s;
    c->n++;
}

static void
test_send_sites(void **state)
{
    (void)state;
    const char *src =
        "parent.postMessage({token: t}, '*');\n"
        "document.getElementById('f').contentWindow.postMessage(msg, \"https://w.example\");\n"
        "e.source.postMessage(reply, e.origin);\n"
        "port.postMessage({type: 'ping'});\n"
        "top.postMessage(x, {targetOrigin: `https://t.example`});\n"
        "function postMessage(a) {}\n";
    struct sends c = {0};
    analyze_script(src, strlen(src), 1, 1, NULL, on_send, &c);
    assert_int_equal(c.n, 5);
    assert_string_equal(c.v[0].target_expr, "parent");
    assert_true(c.v[0].has_target_origin);
    assert_string_equal(c.v[0].target_origin, "*");
    assert_string_equal(c.v[1].target_expr, "document.getElementById('f').contentWindow");
    assert_string_equal(c.v[1].target_origin, "https://w.example");
    assert_int_equal(c.v[1].line, 2);
    assert_string_equal(c.v[2].target_expr, "e.source");
    assert_false(c.v[2].has_target_origin);
    assert_false(c.v[3].has_target_origin);
    assert_string_equal(c.v[4].target_origin, "https://t.example");
}

struct listeners {
    int n;
    long line[8], col[8];
    const char *target[8];
    enum pm_check_kind check[8];
};

static void
on_listener(const struct pm_found_listener *l, void *ctx)
{
    struct listeners *c = ctx;
    if (c->n < 8) {
        c->line[c->n] = l->line;
        c->col[c->n] = l->col;
        c->target[c->n] = l->target;
        c->check[c->n] = l->facts.check;
    }
    c->n++;
}

static void
on_inline(const char *src, size_t n, long line, long col, void *ctx)
{
    analyze_script(src, n, line, col, on_listener, NULL, ctx);
}

/* Counts listeners by what the analysis could say about them. */
struct budget_count {
    int n, judged, skipped;
};

static void
on_budget_listener(const struct pm_found_listener *l, void *ctx)
{
    struct budget_count *c = ctx;
    c->n++;
    if (l->facts.check == PM_CHECK_INDEXOF)
        c->judged++;
    else if (l->facts.check == PM_CHECK_UNKNOWN &&
             strstr(l->facts.check_expr, "analysis budget") != NULL)
        c->skipped++;
}

static void
test_nested_listeners_budget(void **state)
{
    (void)state;
    /* 3000 listeners whose handlers nest inside each other: walking every
     * body would cost the square of the script (about 10^9 token visits
     * here).  Every listener is still reported; the outer handlers are
     * judged, the ones past the script's budget say they were not analysed */
    struct pm_buf b;
    pm_buf_init(&b);
    for (int i = 0; i < 3000; i++)
        pm_buf_adds(&b, "window.addEventListener('message', function (e) {"
                        "if (e.origin.indexOf('a.example') > -1) "
                        "{ el.innerHTML = e.data; }\n");
    for (int i = 0; i < 3000; i++)
        pm_buf_adds(&b, "});\n");
    struct budget_count c = {0};
    analyze_script(b.data, b.len, 1, 1, on_budget_listener, NULL, &c);
    assert_int_equal(c.n, 3000);
    assert_true(c.judged >= 5);
    assert_true(c.skipped > 0);
    assert_int_equal(c.judged + c.skipped, 3000);
    pm_buf_release(&b);

    /* the same listeners one after another fit the budget: all judged */
    pm_buf_init(&b);
    for (int i = 0; i < 3000; i++)
        pm_buf_adds(&b, "window.addEventListener('message', function (e) {"
                        "if (e.origin.indexOf('a.example') > -1) "
                        "{ el.innerHTML = e.data; } });\n");
    memset(&c, 0, sizeof c);
    analyze_script(b.data, b.len, 1, 1, on_budget_listener, NULL, &c);
    assert_int_equal(c.n, 3000);
    assert_int_equal(c.judged, 3000);
    pm_buf_release(&b);
}

static void
test_inline_scripts(void **state)
{
    (void)state;
    const char *html =
        "<!doctype html>\n<html><head>\n"
        "<script src=\"x.js\">window.onmessage = function(e){}</script>\n"
        "<script type=\"application/ld+json\">{\"onmessage\": 1}</script>\n"
        "<SCRIPT type=module>\n"
        "  addEventListener('message', e => { if (e.origin !== 'https://a.example') return; });\n"
        "</SCRIPT><script>port.onmessage = function (e) { eval(e.data) }</script>\n";
    struct listeners c = {0};
    html_each_inline_script(html, strlen(html), on_inline, &c);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.line[0], 6);
    assert_int_equal(c.col[0], 31);
    assert_int_equal(c.check[0], PM_CHECK_STRICT);
    assert_string_equal(c.target[0], "window");
    assert_int_equal(c.line[1], 7);
    assert_string_equal(c.target[1], "port");
    assert_int_equal(c.check[1], PM_CHECK_NONE);
}

static void
test_names(void **state)
{
    (void)state;
    for (int k = 0; k < PM_CHECK__COUNT; k++)
        assert_int_equal(check_kind_parse(check_kind_name((enum pm_check_kind)k)), k);
    char out[256];
    sinks_format(PM_SINK_INNERHTML | PM_SINK_EVAL | PM_SINK_POSTMESSAGE, out, sizeof out);
    assert_string_equal(out, "innerHTML,eval,postMessage");
    assert_int_equal(sinks_parse(out),
                     PM_SINK_INNERHTML | PM_SINK_EVAL | PM_SINK_POSTMESSAGE);
    assert_int_equal(sinks_parse("bogus,,jQuery.html"), PM_SINK_JQUERY_HTML);
}

/*
 * A dense script (a token every byte, lines of 64 bytes) keeps at most
 * JS_TOKENS_MAX(n) tokens and line entries, the first ones, with their
 * positions right.
 */
static void
test_token_budget(void **state)
{
    (void)state;
    size_t n = (size_t)6 << 20;
    char *src = malloc(n);
    assert_non_null(src);
    for (size_t i = 0; i < n; i += 2) {
        src[i] = 'a';
        src[i + 1] = i % 64 == 62 ? '\n' : ';';
    }
    struct js_tokens t;
    js_tokenize(src, n, 1, 1, &t);
    /* tokens and line entries together: the budget, give or take the
     * line entry of the last token */
    assert_true(t.n < n);
    assert_true(t.n + t.nlines >= JS_TOKENS_MAX(n));
    assert_true(t.n + t.nlines <= JS_TOKENS_MAX(n) + 1);
    assert_true(t.nlines == (t.v[t.n - 1].off / 64) + 1);
    size_t last = t.n - 1;
    long line, col;
    js_token_pos(&t, last, &line, &col);
    assert_int_equal(line, (long)(t.v[last].off / 64) + 1);
    assert_int_equal(col, (long)(t.v[last].off % 64) + 1);
    assert_int_equal(sizeof(struct js_token), 12);
    js_tokens_release(&t);
    free(src);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regex_vs_division),
        cmocka_unit_test(test_templates),
        cmocka_unit_test(test_strings_comments_positions),
        cmocka_unit_test(test_unterminated_string_escapes),
        cmocka_unit_test(test_brackets),
        cmocka_unit_test(test_hostile_input),
        cmocka_unit_test(test_nested_listeners_budget),
        cmocka_unit_test(test_send_sites),
        cmocka_unit_test(test_inline_scripts),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_token_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
