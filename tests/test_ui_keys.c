/*
 * test_ui_keys.c - the TUI's pure parts: the binding table that drives
 * dispatch, help and key bar (every binding documented, no key bound twice
 * in a view, every view can be left), and the pager that moves through
 * lists read one page at a time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app.h"
#include "keys.h"

static void
test_every_binding_documented(void **state)
{
    (void)state;
    assert_true(ui_binding_count > 20);
    for (int i = 0; i < ui_binding_count; i++) {
        const struct ui_binding *b = &ui_bindings[i];
        assert_non_null(b->fn);
        assert_non_null(b->help);
        assert_true(strlen(b->help) > 5);
        assert_true(b->views != 0);
        assert_true((b->views & ~(unsigned)UI_ALL_VIEWS) == 0);
        if (b->bar)
            assert_true(strlen(b->bar) > 0 && strlen(b->bar) <= 8);
        char name[16];
        keys_name(b->key, name, sizeof name);
        assert_true(name[0] != '\0');
        assert_null(strstr(name, "key "));  /* every key has a readable name */
    }
}

static void
test_no_key_bound_twice_in_a_view(void **state)
{
    (void)state;
    for (int i = 0; i < ui_binding_count; i++)
        for (int j = i + 1; j < ui_binding_count; j++)
            if (ui_bindings[i].key == ui_bindings[j].key)
                assert_int_equal(ui_bindings[i].views & ui_bindings[j].views, 0);
}

/* Each view has a way out, help, and view switching; lists move. */
static void
test_each_view_reachable_and_leavable(void **state)
{
    (void)state;
    for (int v = 0; v < UI_VIEW_COUNT; v++) {
        assert_true(keys_find('q', v) >= 0);
        assert_true(keys_find('1', v) >= 0);
        assert_true(keys_find('j', v) >= 0);
        assert_true(keys_find('k', v) >= 0);
        if (v != UI_VIEW_HELP)
            assert_true(keys_find('?', v) >= 0);
    }
    assert_true(keys_find('f', UI_VIEW_MESSAGES) >= 0);
    assert_true(keys_find('m', UI_VIEW_MESSAGES) >= 0);
    assert_true(keys_find('/', UI_VIEW_MESSAGES) >= 0);
    assert_int_equal(keys_find('f', UI_VIEW_SOURCES), -1);
    /* The first binding of a key wins, and keys_find honours the view. */
    int q_main = keys_find('q', UI_VIEW_MESSAGES);
    int q_help = keys_find('q', UI_VIEW_HELP);
    assert_true(q_main >= 0 && q_help >= 0 && q_main != q_help);
}

static void
test_key_names(void **state)
{
    (void)state;
    char b[16];
    assert_string_equal(keys_name('j', b, sizeof b), "j");
    assert_string_equal(keys_name('\t', b, sizeof b), "Tab");
    assert_string_equal(keys_name(27, b, sizeof b), "Esc");
    assert_string_equal(keys_name(12, b, sizeof b), "^L");
}

/* ---- pager over a fake list of ids 10, 20, ..., 10 * n ---------------- */

static int64_t fake_n;

static int
fake_fetch(struct ui_app *app, int64_t after, int backward, int limit,
           int64_t *keys)
{
    (void)app;
    int n = 0;
    if (backward) {
        int64_t k = after == INT64_MAX ? fake_n * 10 : ((after - 1) / 10) * 10;
        for (; k >= 10 && n < limit; k -= 10)
            keys[n++] = k;
    } else {
        int64_t k = after < 10 ? 10 : (after / 10 + 1) * 10;
        for (; k <= fake_n * 10 && n < limit; k += 10)
            keys[n++] = k;
    }
    return n;
}

static int64_t
selected(const struct ui_pager *p)
{
    int64_t top = p->top == INT64_MIN ? 10 : p->top;
    return top + 10 * p->sel;
}

static void
test_pager_moves(void **state)
{
    (void)state;
    struct ui_pager p = {.fetch = fake_fetch, .height = 5};
    fake_n = 100;
    pager_reset(&p);
    pager_move(NULL, &p, 1);
    assert_int_equal(selected(&p), 20);
    pager_move(NULL, &p, 3);
    assert_int_equal(selected(&p), 50);
    assert_true(p.top == INT64_MIN);   /* still on the first page */
    pager_move(NULL, &p, 1);           /* scrolls by one */
    assert_int_equal(p.top, 20);
    assert_int_equal(p.sel, 4);
    assert_int_equal(selected(&p), 60);
    pager_move(NULL, &p, 4);           /* a page down */
    assert_int_equal(selected(&p), 100);
    pager_move(NULL, &p, -6);          /* up past the top of the page */
    assert_int_equal(selected(&p), 40);
    assert_int_equal(p.sel, 0);
    pager_end(NULL, &p);
    assert_int_equal(selected(&p), 1000);
    assert_int_equal(p.top, 960);
    pager_move(NULL, &p, 50);          /* cannot pass the end */
    assert_int_equal(selected(&p), 1000);
    pager_home(NULL, &p);
    assert_int_equal(selected(&p), 10);
    pager_move(NULL, &p, -3);          /* cannot pass the start */
    assert_int_equal(selected(&p), 10);
}

static void
test_pager_short_and_empty_lists(void **state)
{
    (void)state;
    struct ui_pager p = {.fetch = fake_fetch, .height = 10};
    fake_n = 3;
    pager_reset(&p);
    pager_move(NULL, &p, 9);
    assert_int_equal(selected(&p), 30);
    pager_end(NULL, &p);
    assert_int_equal(selected(&p), 30);
    fake_n = 0;
    pager_reset(&p);
    pager_move(NULL, &p, 1);
    pager_end(NULL, &p);
    assert_int_equal(p.sel, 0);
}

static void
test_pager_offsets(void **state)
{
    (void)state;
    int64_t k[8];
    assert_int_equal(pager_offsets(5, INT64_MIN, 0, 8, k), 5);
    assert_int_equal(k[0], 0);
    assert_int_equal(pager_offsets(5, 2, 0, 8, k), 2);
    assert_int_equal(k[0], 3);
    assert_int_equal(pager_offsets(5, INT64_MAX, 1, 2, k), 2);
    assert_int_equal(k[0], 4);
    assert_int_equal(k[1], 3);
    assert_int_equal(pager_offsets(5, 0, 1, 2, k), 0);
    assert_int_equal(pager_offsets(0, INT64_MIN, 0, 8, k), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_binding_documented),
        cmocka_unit_test(test_no_key_bound_twice_in_a_view),
        cmocka_unit_test(test_each_view_reachable_and_leavable),
        cmocka_unit_test(test_key_names),
        cmocka_unit_test(test_pager_moves),
        cmocka_unit_test(test_pager_short_and_empty_lists),
        cmocka_unit_test(test_pager_offsets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
