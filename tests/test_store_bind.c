/*
 * test_store_bind.c - the store's statement binder (src/store_bind.c) on a
 * real workspace: each parameter letter binds what it says (NULL text and
 * row id 0 as SQL NULL, 64-bit integers whole), a row walk stops when its
 * row function says so and leaves the statement ready to run again, a
 * lookup says whether it found a row, and a bad letter or a failing step
 * comes back as an error naming the statement.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "scratch_ws.h"
#include "store_int.h"

static const char sql_insert[] =
    "INSERT INTO temp.b(t, i, n, r) VALUES(?,?,?,?)";
static const char sql_rows[] = "SELECT i FROM temp.b ORDER BY i";
static const char sql_find[] = "SELECT i FROM temp.b WHERE t = ?";
static const char sql_unique[] = "INSERT INTO temp.u(x) VALUES(?)";

static int
setup(void **state)
{
    struct scratch_ws *w = calloc(1, sizeof *w);
    if (w == NULL || scratch_ws_open(w, "bind") != 0)
        return -1;
    if (sqlite3_exec(store_db(w->st),
                     "CREATE TABLE temp.b(t, i, n, r);"
                     "CREATE TABLE temp.u(x UNIQUE);",
                     NULL, NULL, NULL) != SQLITE_OK)
        return -1;
    *state = w;
    return 0;
}

static int
teardown(void **state)
{
    struct scratch_ws *w = *state;
    scratch_ws_close(w);
    free(w);
    return 0;
}

static void
test_letters(void **state)
{
    struct scratch_ws *w = *state;
    struct pm_err err = PM_ERR_INIT;
    assert_int_equal(store_exec_fmt(w->st, &err, "adding", sql_insert, "tIiR",
                                    "a", (int64_t)1 << 40, -5, (int64_t)0),
                     PM_OK);
    assert_int_equal(store_exec_fmt(w->st, &err, "adding", sql_insert, "tIiR",
                                    (const char *)NULL, (int64_t)-1, 7,
                                    (int64_t)9),
                     PM_OK);
    assert_string_equal(
        scratch_ws_rows(w, "SELECT quote(t), i, n, quote(r) FROM temp.b"
                           " ORDER BY rowid", "-"),
        "'a'|1099511627776|-5|NULL\n"
        "NULL|-1|7|9\n");
}

struct walk {
    int seen;
    int stop_at;
    int64_t last;
};

static int
walk_row(sqlite3_stmt *s, void *p)
{
    struct walk *k = p;
    k->seen++;
    k->last = sqlite3_column_int64(s, 0);
    return k->seen == k->stop_at;
}

static void
test_walks(void **state)
{
    struct scratch_ws *w = *state;
    struct pm_err err = PM_ERR_INIT;
    for (int i = 1; i <= 3; i++)
        assert_int_equal(store_exec_fmt(w->st, &err, "adding", sql_insert,
                                        "tIiR", i == 2 ? "two" : "other",
                                        (int64_t)i, 0, (int64_t)0),
                         PM_OK);
    struct walk k = {0, 2, 0};
    assert_int_equal(store_each_fmt(w->st, &err, "walking", walk_row, &k,
                                    sql_rows, ""),
                     PM_OK);
    assert_int_equal(k.seen, 2);
    assert_int_equal(k.last, 2);
    /* the statement was reset: a second walk starts from the first row */
    k = (struct walk){0, 0, 0};
    assert_int_equal(store_each_fmt(w->st, &err, "walking", walk_row, &k,
                                    sql_rows, ""),
                     PM_OK);
    assert_int_equal(k.seen, 3);
    assert_int_equal(k.last, 3);

    int found = -1;
    k = (struct walk){0, 0, 0};
    assert_int_equal(store_one_fmt(w->st, &err, "finding", walk_row, &k,
                                   &found, sql_find, "t", "two"),
                     PM_OK);
    assert_int_equal(found, 1);
    assert_int_equal(k.last, 2);
    assert_int_equal(store_one_fmt(w->st, &err, "finding", walk_row, &k,
                                   &found, sql_find, "t", "none"),
                     PM_OK);
    assert_int_equal(found, 0);
    assert_int_equal(k.seen, 1);

    int64_t v = 0;
    assert_int_equal(store_int64_fmt(w->st, &err, "finding", &v, &found,
                                     sql_find, "t", "two"),
                     PM_OK);
    assert_int_equal(found, 1);
    assert_int_equal(v, 2);
    v = 42;
    assert_int_equal(store_int64_fmt(w->st, &err, "finding", &v, &found,
                                     sql_find, "t", "none"),
                     PM_OK);
    assert_int_equal(found, 0);
    assert_int_equal(v, 42);
}

static void
test_errors(void **state)
{
    struct scratch_ws *w = *state;
    struct pm_err err = PM_ERR_INIT;
    assert_int_equal(store_exec_fmt(w->st, &err, "adding", sql_insert, "tIxR",
                                    "a", (int64_t)1, 2, (int64_t)3),
                     PM_ERR_INTERNAL);
    assert_non_null(strstr(err.msg, "bad parameter format 'x'"));
    assert_string_equal(scratch_ws_rows(w, "SELECT count(*) FROM temp.b", "-"),
                        "0\n");

    pm_err_init(&err);
    assert_int_equal(store_exec_fmt(w->st, &err, "adding x", sql_unique, "t",
                                    "same"),
                     PM_OK);
    assert_int_not_equal(store_exec_fmt(w->st, &err, "adding x", sql_unique,
                                        "t", "same"),
                         PM_OK);
    assert_non_null(strstr(err.msg, "adding x"));
    assert_non_null(strstr(err.msg, "UNIQUE"));
    /* the failed statement was reset: it runs again */
    pm_err_init(&err);
    assert_int_equal(store_exec_fmt(w->st, &err, "adding x", sql_unique, "t",
                                    "other"),
                     PM_OK);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_letters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_walks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
