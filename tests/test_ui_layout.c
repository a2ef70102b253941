/*
 * test_ui_layout.c - view 1's pane split and message-list columns add up
 * exactly at every terminal size, down to 80x24 and below.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "layout.h"

static void
test_split_adds_up(void **state)
{
    (void)state;
    for (int cols = 40; cols <= 400; cols++) {
        for (int h = 7; h <= 120; h++) {
            struct ui_split s;
            layout_messages_view(cols, h, &s);
            assert_int_equal(s.list_x, s.frames_w + 1);
            assert_int_equal(s.list_x + s.list_w, cols);
            assert_int_equal(s.upper_h + s.detail_h, h);
            assert_true(s.upper_h >= 2);
            assert_true(s.frames_w >= 13 && s.frames_w <= 40);
            assert_true(s.list_w >= s.frames_w);
        }
    }
}

/* 80x24: 21 content rows (title, status, key bar take 3). */
static void
test_split_at_80x24(void **state)
{
    (void)state;
    struct ui_split s;
    layout_messages_view(80, 21, &s);
    assert_int_equal(s.frames_w, 20);
    assert_int_equal(s.list_w, 59);
    assert_int_equal(s.detail_h, 8);
    assert_int_equal(s.upper_h, 13);
}

static int
cols_sum(const struct ui_msg_cols *c)
{
    return c->mark + c->ts + c->gap1 + c->from + c->arrow + c->to + c->gap2 +
           c->target + c->gap3 + c->via + c->data;
}

static void
test_columns_add_up(void **state)
{
    (void)state;
    for (int w = 1; w <= 400; w++) {
        struct ui_msg_cols c;
        layout_msg_cols(w, NULL, &c);
        assert_int_equal(cols_sum(&c), w);
        assert_true(c.data >= 0 && c.from >= 0 && c.to >= 0 && c.target >= 0);
        if (w >= 59) {
            assert_true(c.from >= 10);
            assert_int_equal(c.from, c.to);
            assert_true(c.data >= 14);
        }
        /* Any need: still exact, data never starved. */
        struct ui_msg_need need = {w % 50, w % 37, w % 29, w % 7};
        layout_msg_cols(w, &need, &c);
        assert_int_equal(cols_sum(&c), w);
        assert_true(c.data >= 0 && c.from >= 0 && c.to >= 0 && c.target >= 0);
        if (w >= 59)
            assert_true(c.data >= 14);
    }
    struct ui_msg_cols c;
    layout_msg_cols(0, NULL, &c);
    assert_int_equal(cols_sum(&c), 0);
}

/*
 * The list of a 120-column terminal is 89 wide.  Short origins take what
 * they need and data the rest (it used to get 16 columns while from and
 * to were padded); long ones share what data leaves them.
 */
static void
test_columns_by_need(void **state)
{
    (void)state;
    struct ui_msg_cols c;
    struct ui_msg_need shop = {12, 14, 14, 6}; /* shop.example > widget.example */
    layout_msg_cols(89, &shop, &c);
    assert_int_equal(c.from, 12);
    assert_int_equal(c.to, 14);
    assert_int_equal(c.target, 14);
    assert_int_equal(c.via, 7);
    assert_int_equal(c.data, 89 - 16 - 12 - 14 - 14 - 7);
    struct ui_msg_need local = {21, 21, 21, 6}; /* http://127.0.0.1:8101 */
    layout_msg_cols(89, &local, &c);
    assert_true(c.from >= 15 && c.to >= 15 && c.target >= 15);
    assert_true(c.data >= 20);
    assert_int_equal(cols_sum(&c), 89);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_adds_up),
        cmocka_unit_test(test_split_at_80x24),
        cmocka_unit_test(test_columns_add_up),
        cmocka_unit_test(test_columns_by_need),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
