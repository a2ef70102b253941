/*
 * test_term_text.c - the terminal sanitizer: nothing dangerous passes,
 * printable text passes unchanged, columns are counted like a terminal.
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "term_text.h"

/* Render s fully (no width limit) and compare with want. */
static void
expect_render(const char *s, size_t n, int flags, const char *want)
{
    struct pm_buf b;
    pm_buf_init(&b);
    term_text_fit(&b, s, n, 10000, flags);
    assert_string_equal(b.data, want);
    pm_buf_release(&b);
}

static void
test_plain_passes(void **state)
{
    (void)state;
    expect_render("https://a.example/x?y=1", 23, 0, "https://a.example/x?y=1");
    expect_render("caf\xc3\xa9", 5, 0, "caf\xc3\xa9");
    assert_int_equal(term_text_width("caf\xc3\xa9", 5, 0), 4);
}

static void
test_controls_escaped(void **state)
{
    (void)state;
    expect_render("a\x1b[2Jb", 6, 0, "a\\x1b[2Jb");
    expect_render("l1\nl2\r\t", 7, 0, "l1\\nl2\\r\\t");
    expect_render("x\x7f", 2, 0, "x\\x7f");
    expect_render("nul\0z", 5, 0, "nul\\x00z");
    /* C1 CSI (U+009B) encoded in UTF-8 and as a raw byte. */
    expect_render("\xc2\x9b" "31m", 5, 0, "\\u009b31m");
    expect_render("\x9b" "31m", 4, 0, "\\x9b31m");
}

static void
test_bidi_escaped(void **state)
{
    (void)state;
    expect_render("abc\xe2\x80\xae" "fdp.exe", 13, 0, "abc\\u202efdp.exe");
    expect_render("\xe2\x81\xa6x\xe2\x81\xa9", 7, 0, "\\u2066x\\u2069");
    expect_render("\xe2\x80\x8e\xe2\x80\x8f", 6, 0, "\\u200e\\u200f");
    expect_render("\xd8\x9c", 2, 0, "\\u061c");
}

/* Characters that render as nothing are shown, never passed raw. */
static void
test_invisible_escaped(void **state)
{
    (void)state;
    expect_render("a\xe2\x80\x8b" "b", 5, 0, "a\\u200bb");
    expect_render("a\xe2\x80\x8c\xe2\x80\x8d" "b", 8, 0, "a\\u200c\\u200db");
    expect_render("tag\xf3\xa0\x81\x81\xf3\xa0\x81\xbf", 11, 0,
                  "tag\\U000e0041\\U000e007f");
    expect_render("shy\xc2\xad wj\xe2\x81\xa0 bom\xef\xbb\xbf", 18, 0,
                  "shy\\u00ad wj\\u2060 bom\\ufeff");
    expect_render("vs\xef\xb8\x8f", 5, 0, "vs\\ufe0f");
    /* A ZWJ takes its escape's columns, so a row never shifts. */
    assert_int_equal(term_text_width("a\xe2\x80\x8d" "b", 5, 0), 8);
}

static void
test_invalid_utf8(void **state)
{
    (void)state;
    /* stray continuation, overlong '/', surrogate, above U+10FFFF, cut */
    expect_render("\x80", 1, 0, "\\x80");
    expect_render("\xc0\xaf", 2, 0, "\\xc0\\xaf");
    expect_render("\xed\xa0\x80", 3, 0, "\\xed\\xa0\\x80");
    expect_render("\xf4\x90\x80\x80", 4, 0, "\\xf4\\x90\\x80\\x80");
    expect_render("ok\xe2\x82", 4, 0, "ok\\xe2\\x82");
}

static void
test_wide_columns(void **state)
{
    (void)state;
    /* two CJK characters = 4 columns; combining accent = 0 columns */
    assert_int_equal(term_text_width("\xe6\xbc\xa2\xe5\xad\x97", 6, 0), 4);
    assert_int_equal(term_text_width("e\xcc\x81", 3, 0), 1);
    struct pm_buf b;
    pm_buf_init(&b);
    /* 3 columns: the second wide char does not fit and is left out whole */
    int used = term_text_fits(&b, "\xe6\xbc\xa2\xe5\xad\x97", 3, TT_PAD);
    assert_int_equal(used, 3);
    assert_string_equal(b.data, "\xe6\xbc\xa2 ");
    pm_buf_release(&b);
}

static void
test_truncate_ellipsis(void **state)
{
    (void)state;
    struct pm_buf b;
    pm_buf_init(&b);
    int used = term_text_fits(&b, "abcdefgh", 5, TT_ELLIPSIS);
    assert_int_equal(used, 5);
    assert_string_equal(b.data, "abcd\xe2\x80\xa6");
    pm_buf_reset(&b);
    used = term_text_fits(&b, "abcde", 5, TT_ELLIPSIS);
    assert_string_equal(b.data, "abcde");
    pm_buf_reset(&b);
    /* an escape is never cut in half */
    used = term_text_fits(&b, "ab\x1b", 4, 0);
    assert_int_equal(used, 2);
    assert_string_equal(b.data, "ab");
    pm_buf_reset(&b);
    used = term_text_fits(&b, "abcdefgh", 4, TT_ELLIPSIS | TT_ASCII);
    assert_string_equal(b.data, "abc~");
    pm_buf_reset(&b);
    used = term_text_fits(&b, NULL, 3, TT_PAD);
    assert_int_equal(used, 3);
    assert_string_equal(b.data, "   ");
    pm_buf_release(&b);
}

static void
test_ascii_mode(void **state)
{
    (void)state;
    expect_render("caf\xc3\xa9 \xf0\x9f\x98\x80", 10, TT_ASCII,
                  "caf\\u00e9 \\U0001f600");
}

/* Whatever bytes come in, the output holds no byte a terminal interprets. */
static void
test_output_never_has_controls(void **state)
{
    (void)state;
    unsigned char in[512];
    uint32_t x = 12345;
    for (int round = 0; round < 200; round++) {
        for (size_t i = 0; i < sizeof in; i++) {
            x = x * 1103515245u + 12345u;
            in[i] = (unsigned char)(x >> 16);
        }
        struct pm_buf b;
        pm_buf_init(&b);
        term_text_fit(&b, (const char *)in, sizeof in, 100000, 0);
        for (size_t i = 0; i < b.len; i++) {
            unsigned char c = (unsigned char)b.data[i];
            assert_true(c >= 0x20 && c != 0x7f);
        }
        pm_buf_release(&b);
    }
}

int
main(void)
{
    if (setlocale(LC_ALL, "C.UTF-8") == NULL)
        setlocale(LC_ALL, "C.utf8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_passes),
        cmocka_unit_test(test_controls_escaped),
        cmocka_unit_test(test_bidi_escaped),
        cmocka_unit_test(test_invisible_escaped),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_wide_columns),
        cmocka_unit_test(test_truncate_ellipsis),
        cmocka_unit_test(test_ascii_mode),
        cmocka_unit_test(test_output_never_has_controls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
