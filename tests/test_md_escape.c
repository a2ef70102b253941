/*
 * test_md_escape.c - the report's escapers: inline text, table cells,
 * fences, Mermaid labels, HTML and script string literals, and the JSON
 * writers' json_escape_hidden.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "json_safe.h"
#include "md_escape.h"

static char *
run_inline(const char *in, size_t max)
{
    static struct pm_buf b;
    pm_buf_release(&b);
    md_escape_inline(&b, in, max);
    return b.data;
}

static void
test_inline_escapes_markup(void **state)
{
    (void)state;
    assert_string_equal(run_inline("plain text 42", 0), "plain text 42");
    assert_string_equal(run_inline("*a* _b_ `c`", 0), "\\*a\\* \\_b\\_ \\`c\\`");
    assert_string_equal(run_inline("<script>alert(1)</script>", 0),
                        "\\<script\\>alert(1)\\</script\\>");
    assert_string_equal(run_inline("# head", 0), "\\# head");
    assert_string_equal(run_inline("[x](javascript:y)", 0),
                        "\\[x\\](javascript:y)");
    assert_string_equal(run_inline("https://a.example/p?q=1#f", 0),
                        "https://a.example/p?q=1#f");
    /* characters that only act at the start of a line */
    assert_string_equal(run_inline("- item", 0), "\\- item");
    assert_string_equal(run_inline("+ x - y", 0), "\\+ x - y");
    assert_string_equal(run_inline("> quote", 0), "\\> quote");
    assert_string_equal(run_inline("12. list", 0), "12\\. list");
    assert_string_equal(run_inline("3) list", 0), "3\\) list");
    assert_string_equal(run_inline("2026-11-25", 0), "2026-11-25");
    assert_string_equal(run_inline("===", 0), "\\===");
    assert_string_equal(run_inline("a\\b", 0), "a\\\\b");
    assert_string_equal(run_inline("&amp; <!-- -->", 0),
                        "\\&amp; \\<!-- --\\>");
    assert_string_equal(run_inline("a|b ~~c~~ $x$", 0),
                        "a\\|b \\~\\~c\\~\\~ \\$x\\$");
}

static void
test_inline_newlines_and_hidden(void **state)
{
    (void)state;
    assert_string_equal(run_inline("  line1\n\n# line2\r\n", 0),
                        "line1 # line2 ");
    assert_string_equal(run_inline("  # h", 0), "\\# h");
    assert_string_equal(run_inline("a\x1b[31mb", 0), "a\\\\x1b\\[31mb");
    /* U+202E RIGHT-TO-LEFT OVERRIDE */
    assert_string_equal(run_inline("abc\xe2\x80\xae" "def", 0),
                        "abc\\\\u202edef");
    /* invalid UTF-8 byte */
    assert_string_equal(run_inline("a\xff", 0), "a\\\\xff");
    /* valid UTF-8 passes */
    assert_string_equal(run_inline("caf\xc3\xa9 \xe2\x9c\x93", 0),
                        "caf\xc3\xa9 \xe2\x9c\x93");
    assert_string_equal(run_inline(NULL, 0), "");
    /* zero-width, tag characters and DEL: the terminal's escapes */
    assert_string_equal(run_inline("zw\xe2\x80\x8dj tag\xf3\xa0\x81\x81 del\x7f", 0),
                        "zw\\\\u200dj tag\\\\U000e0041 del\\\\x7f");
    /* C1 CSI as a character and as an invalid byte */
    assert_string_equal(run_inline("\xc2\x9b" "a\x9b", 0), "\\\\u009ba\\\\x9b");
}

static void
test_inline_truncates_on_characters(void **state)
{
    (void)state;
    assert_string_equal(run_inline("abcdef", 3), "abc…");
    assert_string_equal(run_inline("\xc3\xa9\xc3\xa9\xc3\xa9", 2),
                        "\xc3\xa9\xc3\xa9…");
    assert_string_equal(run_inline("abc", 3), "abc");
}

/* A cut value ends at a word boundary, never mid-word when one is near. */
static void
test_cut_at_word_boundary(void **state)
{
    (void)state;
    assert_string_equal(
        run_inline("Listener accepts any origin and its frame can be embedded "
                   "by any site", 66),
        "Listener accepts any origin and its frame can be embedded by any…");
    assert_string_equal(run_inline("its frame can be embedded", 22),
                        "its frame can be…");
    assert_string_equal(run_inline("https://a.example/path/to/page?x=1", 25),
                        "https://a.example/path/…");
    assert_string_equal(run_inline("a  b   ", 5), "a b…");
    int cut;
    assert_int_equal(md_cut_len("one two", 0, &cut), 7);
    assert_false(cut);
    assert_int_equal(md_cut_len("one two", 5, &cut), 3);
    assert_true(cut);
}

static void
test_table_cell(void **state)
{
    (void)state;
    struct pm_buf b;
    pm_buf_init(&b);
    md_escape_table_cell(&b, "a|b\nc", 0);
    assert_string_equal(b.data, "a\\|b c");
    pm_buf_reset(&b);
    md_escape_table_cell(&b, "", 0);
    assert_string_equal(b.data, "—");
    pm_buf_reset(&b);
    md_escape_table_cell(&b, "x\\|y", 0);
    assert_string_equal(b.data, "x\\\\\\|y");
    pm_buf_release(&b);
}

static void
test_fence_length(void **state)
{
    (void)state;
    assert_int_equal(md_fence_for(""), 3);
    assert_int_equal(md_fence_for("no ticks"), 3);
    assert_int_equal(md_fence_for("a ``b`` c"), 3);
    assert_int_equal(md_fence_for("```"), 4);
    assert_int_equal(md_fence_for("x ````` y ``"), 6);
    assert_int_equal(md_fence_for(NULL), 3);
}

static void
test_code_block(void **state)
{
    (void)state;
    struct pm_buf b;
    pm_buf_init(&b);
    md_code_block(&b, "json", "{\"a\":\"```\"}\x1b\r\nend");
    assert_string_equal(b.data,
                        "````json\n{\"a\":\"```\"}\\x1b\nend\n````\n");
    pm_buf_reset(&b);
    md_code_block(&b, NULL, "x\n");
    assert_string_equal(b.data, "```\nx\n```\n");
    pm_buf_release(&b);
}

static void
test_mermaid_label(void **state)
{
    (void)state;
    struct pm_buf b;
    pm_buf_init(&b);
    mermaid_label(&b, "{\"cmd\":\"get\"}; -->x #1 %%c `x` a&b", 0, 0);
    assert_string_equal(b.data, "{\"cmd\":\"get\"}#59; --#62;x #35;1 "
                                "#37;#37;c #96;x#96; a#38;b");
    pm_buf_reset(&b);
    mermaid_label(&b, "caf\xc3\xa9 {a|b} (x) [y]!?", 0, 0);
    assert_string_equal(b.data, "caf\xc3\xa9 {a|b} (x) [y]!?");
    pm_buf_reset(&b);
    mermaid_label(&b, "a\nb\xe2\x80\xae<c>", 0, 0);
    assert_string_equal(b.data, "a b#65533;#60;c#62;");
    pm_buf_reset(&b);
    mermaid_label(&b, "https://a.example:8443", 0, 1);
    assert_string_equal(b.data, "https://a.example:8443");
    pm_buf_reset(&b);
    mermaid_label(&b, "x;y#z%%", 0, 1);
    assert_string_equal(b.data, "x_y_z__");
    pm_buf_reset(&b);
    mermaid_label(&b, "abcdef", 4, 0);
    assert_string_equal(b.data, "abcd...");
    pm_buf_release(&b);
}

/* A flowchart's quoted label: nothing can end the string, start a
 * comment, markdown, math or HTML; hidden characters show as escapes. */
static void
test_mermaid_quoted(void **state)
{
    (void)state;
    struct pm_buf b;
    pm_buf_init(&b);
    mermaid_quoted(&b, "https://a.example:8443/x?y=(1)", 0);
    assert_string_equal(b.data, "https://a.example:8443/x?y=(1)");
    pm_buf_reset(&b);
    mermaid_quoted(&b, "a\"]-->n2[\"`x` %%c #quot; <b>&$$\\|;", 0);
    assert_string_equal(b.data, "a#34;#93;--#62;n2#91;#34;#96;x#96; "
                                "#37;#37;c #35;quot#59; #60;b#62;#38;#36;"
                                "#36;#92;#124;#59;");
    pm_buf_reset(&b);
    mermaid_quoted(&b, "caf\xc3\xa9\nx\xe2\x80\xae\xff", 0);
    assert_string_equal(b.data, "caf\xc3\xa9#92;x0ax#92;u202e#92;xff");
    pm_buf_reset(&b);
    mermaid_quoted(&b, "abcdef", 4);
    assert_string_equal(b.data, "abcd...");
    pm_buf_release(&b);
}

static void
test_html_and_js(void **state)
{
    (void)state;
    struct pm_buf b;
    pm_buf_init(&b);
    html_escape(&b, "<a href=\"x\">'&'</a>");
    assert_string_equal(b.data,
                        "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    pm_buf_reset(&b);
    js_string_literal(&b, "</script><!--\"\\\n\xe2\x80\xa8");
    assert_string_equal(b.data,
                        "\"\\u003c/script\\u003e\\u003c!--\\\"\\\\\\u000a\\u2028\"");
    pm_buf_reset(&b);
    /* above U+FFFF: a surrogate pair, as JSON and JavaScript spell it */
    js_string_literal(&b, "t\xf3\xa0\x81\x81");
    assert_string_equal(b.data, "\"t\\udb40\\udc41\"");
    pm_buf_release(&b);
}

/* JSON output (ls --json, the JSON report) is valid UTF-8, nothing hidden. */
static void
test_json_escape_hidden(void **state)
{
    (void)state;
    struct pm_buf b;
    pm_buf_init(&b);
    pm_buf_adds(&b, "{\"f\":\"name\x9b\xe2\x80\xae caf\xc3\xa9 zw\xe2\x80\x8dj "
                    "tag\xf3\xa0\x81\x81 del\x7f\"}\n");
    json_escape_hidden(&b);
    assert_string_equal(b.data, "{\"f\":\"name\\ufffd\\u202e caf\xc3\xa9 "
                                "zw\\u200dj tag\\udb40\\udc41 del\\u007f\"}\n");
    pm_buf_reset(&b);
    pm_buf_adds(&b, "[\"plain\"]");
    json_escape_hidden(&b);
    assert_string_equal(b.data, "[\"plain\"]");
    pm_buf_release(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inline_escapes_markup),
        cmocka_unit_test(test_inline_newlines_and_hidden),
        cmocka_unit_test(test_inline_truncates_on_characters),
        cmocka_unit_test(test_cut_at_word_boundary),
        cmocka_unit_test(test_table_cell),
        cmocka_unit_test(test_fence_length),
        cmocka_unit_test(test_code_block),
        cmocka_unit_test(test_mermaid_label),
        cmocka_unit_test(test_mermaid_quoted),
        cmocka_unit_test(test_html_and_js),
        cmocka_unit_test(test_json_escape_hidden),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
