/*
 * test_findings.c - the findings API the CLI and the TUI share, on a real
 * SQLite workspace: parsing kinds, severities, statuses, ids and subjects;
 * one hand mark per subject; unmarking leaves suggestions alone; every
 * write is committed at once; the row iterator's filters and order.
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

#include "findings.h"
#include "scratch_ws.h"
#include "store.h"

struct ws {
    struct scratch_ws sw;
    int64_t src, top, frame, msg;
};

static int
ws_setup(void **state)
{
    struct ws *w = calloc(1, sizeof *w);
    struct pm_err err = PM_ERR_INIT;
    assert_int_equal(scratch_ws_open(&w->sw, "findings"), 0);
    assert_int_equal(store_begin(w->sw.st, &err), PM_OK);
    struct pm_source_rec s = {.path = "t", .format = "trace", .sha256 = "00",
                              .size = 1};
    assert_int_equal(store_add_source(w->sw.st, &s, &w->src, &err), PM_OK);
    struct pm_window_rec top = {.source_id = w->src, .ext_id = "A",
                                .kind = "top", .url = "https://a.example/",
                                .origin = "https://a.example"};
    assert_int_equal(store_add_window(w->sw.st, &top, &w->top, &err), PM_OK);
    struct pm_window_rec fr = {.source_id = w->src, .ext_id = "B",
                               .kind = "iframe", .url = "https://w.example/",
                               .origin = "https://w.example",
                               .parent_id = w->top};
    assert_int_equal(store_add_window(w->sw.st, &fr, &w->frame, &err), PM_OK);
    struct pm_message_rec m = {.source_id = w->src, .ts = 1,
                               .sender_window_id = w->top,
                               .receiver_window_id = w->frame,
                               .sender_origin = "https://a.example",
                               .receiver_origin = "https://w.example",
                               .target_origin = "*", .data_json = "{}"};
    assert_int_equal(store_add_message(w->sw.st, &m, &w->msg, &err), PM_OK);
    struct pm_finding_rec sug = {.subject_kind = "message",
                                 .subject_id = w->msg, .rule = "wildcard",
                                 .severity = "medium", .status = "suggested",
                                 .title = "suggested"};
    int64_t id;
    assert_int_equal(store_add_finding(w->sw.st, &sug, &id, &err), PM_OK);
    assert_int_equal(id, 1);
    assert_int_equal(store_commit(w->sw.st, &err), PM_OK);
    *state = w;
    return 0;
}

static int
ws_teardown(void **state)
{
    struct ws *w = *state;
    scratch_ws_close(&w->sw);
    free(w);
    return 0;
}

/* A value read through a second connection: proves the write is committed. */
static char *
other_connection(const struct ws *w, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    char *out = NULL;
    assert_int_equal(sqlite3_open_v2(w->sw.path, &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        out = strdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(db);
    return out;
}

static void
test_names(void **state)
{
    (void)state;
    assert_string_equal(findings_kind_name("send-site"), "send_site");
    assert_string_equal(findings_kind_name("Message"), "message");
    assert_string_equal(findings_kind_name("edge"), "edge");
    assert_null(findings_kind_name("frame"));
    assert_null(findings_kind_name(""));
    assert_string_equal(findings_severity_name("crit"), "critical");
    assert_string_equal(findings_severity_name("HIGH"), "high");
    assert_string_equal(findings_severity_name("i"), "info");
    assert_null(findings_severity_name("x"));
    assert_string_equal(findings_status_name("dis"), "dismissed");
    unsigned mask;
    struct pm_err err = PM_ERR_INIT;
    assert_int_equal(findings_status_mask("confirmed,suggested", &mask, &err),
                     PM_OK);
    assert_int_equal(mask, PM_FST_CONFIRMED | PM_FST_SUGGESTED);
    assert_int_equal(findings_status_mask("all", &mask, &err), PM_OK);
    assert_int_equal(mask, PM_FST_ALL);
    assert_int_equal(findings_status_mask("open", &mask, &err), PM_ERR_USAGE);
    int64_t id;
    pm_err_init(&err);
    assert_int_equal(findings_parse_id("#12", &id, &err), PM_OK);
    assert_int_equal(id, 12);
    assert_int_equal(findings_parse_id("0", &id, &err), PM_ERR_USAGE);
    pm_err_init(&err);
    assert_int_equal(findings_parse_id("12a", &id, &err), PM_ERR_USAGE);
    pm_err_init(&err);
    assert_int_equal(findings_parse_id("99999999999999999999", &id, &err),
                     PM_ERR_USAGE);
}

static void
test_subjects(void **state)
{
    struct ws *w = *state;
    struct pm_err err = PM_ERR_INIT;
    struct pm_subject s;
    assert_int_equal(findings_parse_subject(w->sw.st, "window", "2", &s, &err),
                     PM_OK);
    assert_string_equal(s.kind, "window");
    assert_int_equal(s.id, w->frame);
    assert_int_equal(findings_parse_subject(
                         w->sw.st, "edge", "https://A.example:443/x->https://w.example",
                         &s, &err),
                     PM_OK);
    assert_int_equal(s.id, 1);
    assert_int_equal(s.to_id, 2);
    assert_int_equal(findings_parse_subject(w->sw.st, "edge", "1>2", &s, &err),
                     PM_OK);
    assert_int_equal(findings_parse_subject(w->sw.st, "window", "3", &s, &err),
                     PM_ERR_NOTFOUND);
    assert_string_equal(err.msg, "no window 3");
    pm_err_init(&err);
    assert_int_equal(findings_parse_subject(w->sw.st, "edge", "1", &s, &err),
                     PM_ERR_USAGE);
    pm_err_init(&err);
    assert_int_equal(findings_parse_subject(w->sw.st, "edge", "1>https://z.example",
                                            &s, &err),
                     PM_ERR_NOTFOUND);
    pm_err_init(&err);
    assert_int_equal(findings_parse_subject(w->sw.st, "listener", "1", &s, &err),
                     PM_ERR_NOTFOUND);
}

static void
test_mark_update_unmark(void **state)
{
    struct ws *w = *state;
    struct pm_err err = PM_ERR_INIT;
    struct pm_subject msg = {"message", w->msg, 0};
    int64_t fid;
    int created;
    /* The message carries analysis' suggestion 1: marking confirms it. */
    assert_int_equal(findings_mark(w->sw.st, &msg, "high", NULL, "n1", &fid,
                                   &created, &err),
                     PM_OK);
    assert_int_equal(fid, 1);
    assert_int_equal(created, 0);
    char *v = other_connection(w, "SELECT severity||'|'||status||'|'||title||'|'"
                                  "||note||'|'||(SELECT count(*) FROM findings)"
                                  " FROM findings WHERE id=1");
    assert_string_equal(v, "high|confirmed|suggested|n1|1");
    free(v);
    /* Again: the same finding; a title replaces, a NULL note keeps. */
    assert_int_equal(findings_mark(w->sw.st, &msg, NULL, "mine", NULL, &fid,
                                   &created, &err),
                     PM_OK);
    assert_int_equal(fid, 1);
    v = other_connection(w, "SELECT title||'|'||note FROM findings WHERE id=1");
    assert_string_equal(v, "mine|n1");
    free(v);
    /* Once the suggestion is dismissed, a mark is a new hand mark. */
    assert_int_equal(findings_set_status(w->sw.st, 1, "dismissed", &err), PM_OK);
    assert_int_equal(findings_mark(w->sw.st, &msg, "high", NULL, "n1", &fid,
                                   &created, &err),
                     PM_OK);
    assert_int_equal(fid, 2);
    assert_int_equal(created, 1);
    v = other_connection(w, "SELECT severity||'|'||status||'|'||title||'|'"
                            "||note FROM findings WHERE id=2");
    assert_string_equal(v, "high|confirmed|message 1 https://a.example -> "
                           "https://w.example targetOrigin *|n1");
    free(v);
    /* Marking again updates the hand mark; the suggestion is untouched. */
    assert_int_equal(findings_mark(w->sw.st, &msg, NULL, "mine", NULL, &fid,
                                   &created, &err),
                     PM_OK);
    assert_int_equal(fid, 2);
    assert_int_equal(created, 0);
    v = other_connection(w, "SELECT severity||'|'||title||'|'||note||'|'||"
                            "(SELECT count(*) FROM findings)||'|'||"
                            "(SELECT status FROM findings WHERE id=1)"
                            " FROM findings WHERE id=2");
    assert_string_equal(v, "high|mine|n1|2|dismissed");
    free(v);
    assert_int_equal(findings_mark(w->sw.st, &msg, "urgent", NULL, NULL, &fid,
                                   &created, &err),
                     PM_ERR_USAGE);
    pm_err_init(&err);

    struct pm_subject edge = {"edge", 1, 2};
    assert_int_equal(findings_mark(w->sw.st, &edge, "low", NULL, "", &fid,
                                   &created, &err),
                     PM_OK);
    assert_int_equal(fid, 3);
    v = other_connection(w, "SELECT subject_id||' '||subject_key||' '||"
                            "quote(note) FROM findings WHERE id=3");
    assert_string_equal(v, "1 1>2 NULL");
    free(v);

    int removed;
    assert_int_equal(findings_unmark_subject(w->sw.st, &msg, &removed, &err),
                     PM_OK);
    assert_int_equal(removed, 1);
    assert_int_equal(findings_unmark_subject(w->sw.st, &msg, &removed, &err),
                     PM_ERR_NOTFOUND);
    pm_err_init(&err);
    v = other_connection(w, "SELECT group_concat(id) FROM"
                            " (SELECT id FROM findings ORDER BY id)");
    assert_string_equal(v, "1,3");
    free(v);
    assert_int_equal(findings_unmark(w->sw.st, 1, &err), PM_OK);
    assert_int_equal(findings_unmark(w->sw.st, 1, &err), PM_ERR_NOTFOUND);
}

static void
test_setters(void **state)
{
    struct ws *w = *state;
    struct pm_err err = PM_ERR_INIT;
    assert_int_equal(findings_set_status(w->sw.st, 1, "confirmed", &err), PM_OK);
    assert_int_equal(findings_set_status(w->sw.st, 1, "conf", &err), PM_ERR_USAGE);
    pm_err_init(&err);
    assert_int_equal(findings_set_severity(w->sw.st, 1, "crit", &err), PM_OK);
    assert_int_equal(findings_set_title(w->sw.st, 1, "t2", &err), PM_OK);
    assert_int_equal(findings_set_title(w->sw.st, 1, "", &err), PM_ERR_USAGE);
    pm_err_init(&err);
    assert_int_equal(findings_set_note(w->sw.st, 1, "a\nb", &err), PM_OK);
    char *v = other_connection(w, "SELECT status||'|'||severity||'|'||title||"
                                  "'|'||note FROM findings WHERE id=1");
    assert_string_equal(v, "confirmed|critical|t2|a\nb");
    free(v);
    assert_int_equal(findings_set_note(w->sw.st, 1, "", &err), PM_OK);
    v = other_connection(w, "SELECT quote(note) FROM findings WHERE id=1");
    assert_string_equal(v, "NULL");
    free(v);
    assert_int_equal(findings_set_note(w->sw.st, 9, "x", &err), PM_ERR_NOTFOUND);
    assert_string_equal(err.msg, "no finding 9");
}

struct seen {
    int64_t ids[8];
    int n;
};

static int
collect(const struct pm_finding_row *r, void *ctx)
{
    struct seen *s = ctx;
    s->ids[s->n++] = r->id;
    return s->n == 8;
}

static void
test_iterator(void **state)
{
    struct ws *w = *state;
    struct pm_err err = PM_ERR_INIT;
    struct pm_subject win = {"window", w->top, 0};
    struct pm_subject fr = {"window", w->frame, 0};
    int64_t fid;
    int created;
    assert_int_equal(findings_mark(w->sw.st, &win, "info", NULL, NULL, &fid,
                                   &created, &err), PM_OK);
    assert_int_equal(findings_mark(w->sw.st, &fr, "critical", NULL, NULL, &fid,
                                   &created, &err), PM_OK);
    assert_int_equal(findings_set_status(w->sw.st, 2, "dismissed", &err), PM_OK);
    struct seen s = {{0}, 0};
    assert_int_equal(findings_each(w->sw.st, PM_FST_ALL, 1, 0, 0, collect, &s,
                                   &err), PM_OK);
    assert_int_equal(s.n, 3);
    assert_int_equal(s.ids[0], 3); /* critical */
    assert_int_equal(s.ids[1], 1); /* medium */
    assert_int_equal(s.ids[2], 2); /* info */
    s.n = 0;
    assert_int_equal(findings_each(w->sw.st, PM_FST_CONFIRMED | PM_FST_SUGGESTED,
                                   0, 1, 1, collect, &s, &err), PM_OK);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.ids[0], 3);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test_setup_teardown(test_subjects, ws_setup, ws_teardown),
        cmocka_unit_test_setup_teardown(test_mark_update_unmark, ws_setup,
                                        ws_teardown),
        cmocka_unit_test_setup_teardown(test_setters, ws_setup, ws_teardown),
        cmocka_unit_test_setup_teardown(test_iterator, ws_setup, ws_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
