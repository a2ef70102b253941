/*
 * test_trace.c - the trace JSONL importer end to end: each test writes a
 * small trace into a temporary directory, imports it into a fresh workspace
 * with ingest_file(), and checks the rows with SQL (or the exact error text
 * and an untouched workspace for malformed input).  Also covers the strict
 * JSON positions of json_pos.c that the importer's messages rely on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "ingest.h"
#include "importer.h"
#include "json_pos.h"
#include "scratch_ws.h"
#include "store.h"

extern const struct pm_importer pm_importer_trace;

static int
fixture_setup(void **state)
{
    return scratch_import_setup(state, "trace", "t.jsonl");
}

/* Write n bytes of text as the trace and import it (format detected). */
static enum pm_rc
import_bytes(struct scratch_import *f, const char *text, size_t n)
{
    FILE *fp = fopen(f->input, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, n, fp), n);
    fclose(fp);
    return scratch_import(f, f->input, 1);
}

static enum pm_rc
import_text(struct scratch_import *f, const char *text)
{
    return import_bytes(f, text, strlen(text));
}

/* First column of the first row of sql as text ("" for no row/NULL). */
static const char *
query(struct scratch_import *f, const char *sql)
{
    static char out[4096];
    sqlite3_stmt *s;
    out[0] = '\0';
    assert_int_equal(sqlite3_prepare_v2(store_db(f->sw.st), sql, -1, &s, NULL),
                     SQLITE_OK);
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        snprintf(out, sizeof out, "%s", sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return out;
}

/* All rows of sql, columns joined by '|', rows by '\n', NULL as "". */
static const char *
query_rows(struct scratch_import *f, const char *sql)
{
    return scratch_ws_rows(&f->sw, sql, "");
}

#define FRAME_F1 \
    "{\"v\":1,\"type\":\"frame\",\"id\":\"F1\",\"kind\":\"top\"," \
    "\"url\":\"https://a.example/\",\"ts\":0}\n"

#define MESSAGE_ORIGINS                                                    \
    "SELECT m.ext_id, so.text, ro.text FROM messages m"                    \
    " LEFT JOIN origins so ON so.id=m.sender_origin_id"                    \
    " LEFT JOIN origins ro ON ro.id=m.receiver_origin_id ORDER BY m.id"

static void
test_design_example(void **state)
{
    struct scratch_import *f = *state;
    const char *trace =
        "{\"v\":1,\"type\":\"meta\",\"tool\":\"pmscope-capture\",\"tool_version\":\"0.1\",\"start_url\":\"https://a.example/\",\"started\":\"2026-11-25T10:00:00Z\"}\n"
        "{\"v\":1,\"type\":\"frame\",\"id\":\"F1\",\"kind\":\"top\",\"url\":\"https://a.example/\",\"parent\":null,\"opener\":null,\"ts\":0.0}\n"
        "{\"v\":1,\"type\":\"frame\",\"id\":\"F2\",\"kind\":\"iframe\",\"url\":\"https://w.example/widget\",\"parent\":\"F1\",\"ts\":12.5}\n"
        "{\"v\":1,\"type\":\"listener\",\"frame\":\"F2\",\"script_url\":\"https://w.example/w.js\",\"line\":3,\"col\":1,\"source\":\"function(e){ el.innerHTML=e.data }\"}\n"
        "{\"v\":1,\"type\":\"message\",\"id\":\"M1\",\"ts\":40.2,\"sender\":\"F1\",\"receiver\":\"F2\",\"target_origin\":\"*\",\"via\":\"window\",\"data\":{\"id\":7,\"cmd\":\"getUser\"}}\n"
        "{\"v\":1,\"type\":\"message\",\"id\":\"M2\",\"ts\":41.0,\"sender\":\"F2\",\"receiver\":\"F1\",\"target_origin\":\"https://a.example\",\"via\":\"window\",\"data\":{\"id\":7,\"result\":\"...\"}}\n"
        "{\"v\":1,\"type\":\"navigation\",\"frame\":\"F2\",\"url\":\"https://evil.example/\",\"ts\":90.1}\n"
        "{\"v\":1,\"type\":\"message\",\"id\":\"M3\",\"ts\":95,\"sender\":\"F2\",\"receiver\":\"F1\",\"target_origin\":\"*\",\"data\":\"hi\"}\n";
    assert_int_equal(import_text(f, trace), PM_OK);
    assert_int_equal(f->res.warnings, 0);
    assert_string_equal(query(f, "SELECT tool FROM sources"),
                        "pmscope-capture 0.1");
    assert_string_equal(
        query_rows(f, "SELECT w.ext_id, w.kind, w.url, o.text,"
                      " p.ext_id, w.parent_how, w.first_seen FROM windows w"
                      " LEFT JOIN origins o ON o.id=w.origin_id"
                      " LEFT JOIN windows p ON p.id=w.parent_id ORDER BY w.id"),
        "F1|top|https://a.example/|https://a.example|||0.0\n"
        "F2|iframe|https://evil.example/|https://evil.example|F1|known|12.5\n");
    assert_string_equal(
        query_rows(f, "SELECT w.ext_id, n.url, o.text, n.ts FROM documents n"
                      " JOIN windows w ON w.id=n.window_id"
                      " LEFT JOIN origins o ON o.id=n.origin_id"
                      " WHERE n.seq > 1"),
        "F2|https://evil.example/|https://evil.example|90.1\n");
    /* Messages before the navigation keep the origin the frame had then. */
    assert_string_equal(query_rows(f, MESSAGE_ORIGINS),
                        "M1|https://a.example|https://w.example\n"
                        "M2|https://w.example|https://a.example\n"
                        "M3|https://evil.example|https://a.example\n");
    assert_string_equal(
        query_rows(f, "SELECT ts, target_origin, via, data_json, size"
                      " FROM messages ORDER BY id"),
        "40.2|*|window|{\"id\":7,\"cmd\":\"getUser\"}|24\n"
        "41.0|https://a.example|window|{\"id\":7,\"result\":\"...\"}|23\n"
        "95.0|*|window|\"hi\"|4\n");
    assert_string_equal(
        query_rows(f, "SELECT w.ext_id, l.script_url, l.line, l.col,"
                      " l.found_by, l.code FROM listeners l"
                      " JOIN windows w ON w.id=l.window_id"),
        "F2|https://w.example/w.js|3|1|trace|function(e){ el.innerHTML=e.data }\n");
    assert_string_equal(query(f, "SELECT n_windows || ' ' || n_messages || ' '"
                                 " || n_listeners FROM sources"),
                        "2 3 1");
}

static void
test_origins_inherited_and_given(void **state)
{
    struct scratch_import *f = *state;
    const char *trace =
        FRAME_F1
        "{\"v\":1,\"type\":\"frame\",\"id\":\"B\",\"kind\":\"iframe\",\"url\":\"about:blank\",\"parent\":\"F1\",\"ts\":1}\n"
        "{\"v\":1,\"type\":\"frame\",\"id\":\"S\",\"kind\":\"iframe\",\"url\":\"about:srcdoc\",\"parent\":\"B\",\"ts\":2}\n"
        "{\"v\":1,\"type\":\"frame\",\"id\":\"X\",\"kind\":\"iframe\",\"url\":\"https://s.example/\",\"parent\":\"F1\",\"ts\":3,\"origin\":\"null\"}\n"
        "{\"v\":1,\"type\":\"frame\",\"id\":\"P\",\"kind\":\"popup\",\"url\":\"about:blank\",\"opener\":\"F1\",\"ts\":4}\n"
        "{\"v\":1,\"type\":\"frame\",\"id\":\"D\",\"kind\":\"iframe\",\"url\":\"data:text/html,hi\",\"parent\":\"F1\",\"ts\":5}\n"
        "{\"v\":1,\"type\":\"frame\",\"id\":\"L\",\"kind\":\"iframe\",\"url\":\"blob:https://b.example/1-2\",\"parent\":\"F1\",\"ts\":6}\n"
        "{\"v\":1,\"type\":\"frame\",\"id\":\"U\",\"kind\":\"iframe\",\"parent\":\"F1\",\"ts\":7}\n"
        "{\"v\":1,\"type\":\"frame\",\"id\":\"O\",\"kind\":\"iframe\",\"url\":\"https://o.example/\",\"ts\":8}\n"
        "{\"v\":1,\"type\":\"message\",\"id\":\"m1\",\"ts\":9,\"sender\":\"S\",\"receiver\":\"X\",\"data\":1}\n"
        "{\"v\":1,\"type\":\"message\",\"id\":\"m2\",\"ts\":9,\"sender\":\"X\",\"receiver\":\"P\",\"sender_origin\":\"HTTPS://Given.Example:443\",\"receiver_origin\":\"null\"}\n"
        "{\"v\":1,\"type\":\"message\",\"id\":\"m3\",\"ts\":9,\"sender\":\"L\",\"via\":\"broadcast\",\"port\":\"chan\",\"data\":null}\n"
        "{\"v\":1,\"type\":\"message\",\"id\":\"m4\",\"ts\":9,\"sender\":null,\"receiver\":\"U\",\"data\":[]}\n"
        "{\"v\":1,\"type\":\"message\",\"id\":\"m5\",\"ts\":9,\"sender\":\"F1\",\"receiver\":\"B\",\"via\":\"port\",\"port\":\"c\",\"sender_origin\":\"\"}\n";
    assert_int_equal(import_text(f, trace), PM_OK);
    assert_string_equal(
        query_rows(f, "SELECT w.ext_id, o.text, w.parent_how FROM windows w"
                      " LEFT JOIN origins o ON o.id=w.origin_id ORDER BY w.id"),
        "F1|https://a.example|\n"
        "B|https://a.example|known\n"
        "S|https://a.example|known\n"
        "X|null|known\n"
        "P|https://a.example|\n"
        "D|null|known\n"
        "L|https://b.example|known\n"
        "U||known\n"
        "O|https://o.example|unknown\n");
    assert_string_equal(query_rows(f, MESSAGE_ORIGINS),
                        "m1|https://a.example|null\n"
                        "m2|https://given.example|null\n"
                        "m3|https://b.example|https://b.example\n"
                        "m4||\n"
                        "m5|https://a.example|https://a.example\n");
    assert_string_equal(
        query_rows(f, "SELECT via, port, data_json, target_origin IS NULL,"
                      " receiver_window_id IS NULL FROM messages WHERE ext_id='m3'"),
        "broadcast|chan|null|1|1\n");
    /* absent data is stored as null */
    assert_string_equal(query(f, "SELECT data_json FROM messages WHERE ext_id='m2'"),
                        "null");
}

static void
test_repeated_frame_is_navigation(void **state)
{
    struct scratch_import *f = *state;
    const char *trace =
        FRAME_F1
        "{\"v\":1,\"type\":\"frame\",\"id\":\"F2\",\"kind\":\"iframe\",\"parent\":\"F1\",\"ts\":1}\n"
        "{\"v\":1,\"type\":\"frame\",\"id\":\"F2\",\"kind\":\"iframe\",\"parent\":\"F1\",\"url\":\"https://w.example/\",\"ts\":2}\n"
        "{\"v\":1,\"type\":\"frame\",\"id\":\"F2\",\"kind\":\"iframe\",\"url\":\"https://w.example/\",\"ts\":3}\n"
        "{\"v\":1,\"type\":\"frame\",\"id\":\"F2\",\"kind\":\"popup\",\"url\":\"https://x.example/\",\"ts\":4}\n"
        "{\"v\":1,\"type\":\"message\",\"ts\":5,\"sender\":\"F2\",\"receiver\":\"F1\"}\n"
        "{\"v\":1,\"type\":\"frame\",\"id\":\"F2\",\"kind\":\"iframe\",\"ts\":6,\"origin\":\"null\"}\n"
        "{\"v\":1,\"type\":\"frame\",\"id\":\"F2\",\"kind\":\"iframe\",\"ts\":7,\"origin\":\"null\"}\n"
        "{\"v\":1,\"type\":\"frame\",\"id\":\"F3\",\"kind\":\"iframe\",\"url\":\"::\",\"ts\":8}\n"
        "{\"v\":1,\"type\":\"message\",\"ts\":9,\"sender\":\"F2\",\"receiver\":\"F3\"}\n";
    assert_int_equal(import_text(f, trace), PM_OK);
    /* the kind change is contradicted -> warned, first kind stands;
     * F3's URL has no origin -> warned, origin unknown */
    assert_int_equal(f->res.warnings, 2);
    assert_string_equal(query(f, "SELECT count(*) FROM windows"), "3");
    /* URL changes are navigations; so is an origin change without one */
    assert_string_equal(
        query_rows(f, "SELECT n.url, o.text, n.ts FROM documents n"
                      " LEFT JOIN origins o ON o.id=n.origin_id"
                      " WHERE n.seq > 1 ORDER BY n.id"),
        "https://w.example/|https://w.example|2.0\n"
        "https://x.example/|https://x.example|4.0\n"
        "https://x.example/|null|6.0\n");
    assert_string_equal(query(f, "SELECT kind || ' ' || url FROM windows"
                                 " WHERE ext_id='F2'"),
                        "iframe https://x.example/");
    assert_string_equal(query_rows(f, MESSAGE_ORIGINS),
                        "|https://x.example|https://a.example\n"
                        "|null|\n");
}

static void
test_unknown_types_and_members_skipped(void **state)
{
    struct scratch_import *f = *state;
    const char *trace =
        "{\"v\":1,\"type\":\"frame\",\"id\":\"F1\",\"kind\":\"top\",\"url\":\"https://a.example/\",\"ts\":0,\"x_vendor\":{\"deep\":[1,{\"a\":null}]}}\n"
        "{\"v\":1,\"type\":\"cookie\",\"name\":\"sid\"}\n"
        "{\"v\":1,\"type\":\"screenshot\"}\n"
        "{\"v\":1,\"type\":\"send\",\"frame\":\"F1\",\"ts\":1,\"target_origin\":\"*\"}\n"
        "{\"v\":1,\"type\":\"message\",\"ts\":2,\"sender\":\"F1\",\"receiver\":\"F1\",\"future\":true,\"data\":{ \"b\" : 1 , \"a\" : [ 1 , 2.5 , \"\\u00e9\\n\" ] }}\n";
    assert_int_equal(import_text(f, trace), PM_OK);
    assert_int_equal(f->res.warnings, 2);
    assert_string_equal(query(f, "SELECT count(*) FROM messages"), "1");
    /* compact, key order kept, escapes decoded and re-encoded */
    assert_string_equal(query(f, "SELECT data_json FROM messages"),
                        "{\"b\":1,\"a\":[1,2.5,\"\xc3\xa9\\n\"]}");
}

static void
test_line_endings_bom_blank_lines(void **state)
{
    struct scratch_import *f = *state;
    const char *trace =
        "\xEF\xBB\xBF{\"v\":1,\"type\":\"meta\",\"tool\":\"crawler\"}\r\n"
        "\r\n"
        "   \t \n"
        "\n"
        "{\"v\":1,\"type\":\"frame\",\"id\":\"F1\",\"kind\":\"top\",\"url\":\"https://a.example/\",\"ts\":0}\r\n"
        "{\"v\":1,\"type\":\"message\",\"ts\":1,\"sender\":\"F1\",\"receiver\":\"F1\",\"data\":\"no newline at end\"}";
    assert_int_equal(import_text(f, trace), PM_OK);
    assert_string_equal(query(f, "SELECT tool FROM sources"), "crawler");
    assert_string_equal(query(f, "SELECT data_json FROM messages"),
                        "\"no newline at end\"");
}

struct error_case {
    const char *name;
    const char *trace;
    const char *want; /* after "<trace path>:" */
};

static const struct error_case error_cases[] = {
    {"unknown receiver",
     FRAME_F1 "{\"v\":1,\"type\":\"message\",\"ts\":1,\"sender\":\"F1\",\"receiver\":\"F9\"}\n",
     "2:57: unknown frame \"F9\" in \"receiver\" (frames must be declared on an earlier line)"},
    {"forward parent",
     FRAME_F1 "{\"v\":1,\"type\":\"frame\",\"id\":\"F2\",\"kind\":\"iframe\",\"parent\":\"F3\",\"ts\":1}\n",
     "2:58: unknown frame \"F3\" in \"parent\" (frames must be declared on an earlier line)"},
    {"unknown listener frame",
     FRAME_F1 "{\"v\":1,\"type\":\"listener\",\"frame\":\"\\u0001x\"}\n",
     "2:34: unknown frame \"\\x01x\" in \"frame\" (frames must be declared on an earlier line)"},
    {"truncated",
     FRAME_F1 "{\"v\":1,\"type\":\"message\",\"ts\":1,\"data\":{\"a\":[1,",
     "2:47: unexpected end of line, expected a JSON value (truncated file?)"},
    {"invalid utf-8",
     FRAME_F1 "{\"v\":1,\"type\":\"meta\",\"tool\":\"\xc3\xa9\xc3\x28\"}\n",
     "2:31: invalid UTF-8 byte 0xc3"},
    {"trailing comma",
     FRAME_F1 "{\"v\":1,\"type\":\"meta\",}\n",
     "2:22: expected a string key after ',' (no trailing commas)"},
    {"garbage after record",
     FRAME_F1 "{\"v\":1,\"type\":\"meta\"} {}\n",
     "2:23: expected nothing after the JSON value"},
    {"not an object",
     FRAME_F1 "  [1]\n",
     "2:3: expected a JSON object (one record per line)"},
    {"missing v",
     FRAME_F1 "{\"type\":\"meta\"}\n",
     "2:1: expected member \"v\":1 in every record"},
    {"version 2",
     FRAME_F1 "{\"type\":\"meta\",\"v\":2}\n",
     "2:20: expected \"v\":1, got version 2 (this pmscope reads trace format 1)"},
    {"missing type",
     FRAME_F1 "{\"v\":1}\n",
     "2:1: expected member \"type\" in every record"},
    {"missing kind",
     FRAME_F1 "{\"v\":1,\"type\":\"frame\",\"id\":\"F2\",\"ts\":1}\n",
     "2:1: expected member \"kind\" in frame record"},
    {"bad kind",
     FRAME_F1 "{\"v\":1,\"type\":\"frame\",\"id\":\"F2\",\"kind\":\"tab\",\"ts\":1}\n",
     "2:40: expected \"kind\" to be \"top\", \"iframe\", \"popup\" or \"worker\", not \"tab\""},
    {"negative ts",
     FRAME_F1 "{\"v\":1,\"type\":\"navigation\",\"frame\":\"F1\",\"url\":\"https://b.example/\",\"ts\":-1}\n",
     "2:73: expected \"ts\" to be a number of milliseconds >= 0"},
    {"numeric id",
     "{\"v\":1,\"type\":\"frame\",\"id\":1,\"kind\":\"top\",\"ts\":0}\n",
     "1:28: expected \"id\" to be a string"},
    {"top with parent",
     FRAME_F1 "{\"v\":1,\"type\":\"frame\",\"id\":\"F2\",\"kind\":\"top\",\"parent\":\"F1\",\"ts\":1}\n",
     "2:55: expected no \"parent\" for a top frame (use kind \"iframe\" for an embedded frame)"},
    {"bad via",
     FRAME_F1 "{\"v\":1,\"type\":\"message\",\"ts\":1,\"sender\":\"F1\",\"receiver\":\"F1\",\"via\":\"fax\"}\n",
     "2:68: expected \"via\" to be \"window\", \"port\", \"broadcast\" or \"worker\", not \"fax\""},
    {"numeric cause",
     FRAME_F1 "{\"v\":1,\"type\":\"message\",\"ts\":1,\"receiver\":\"F1\",\"cause\":3}\n",
     "2:56: expected \"cause\" to be a string"},
    {"empty cause",
     FRAME_F1 "{\"v\":1,\"type\":\"message\",\"ts\":1,\"receiver\":\"F1\",\"cause\":\"\"}\n",
     "2:56: expected \"cause\" to be a non-empty id of at most 256 bytes"},
    {"missing receiver",
     FRAME_F1 "{\"v\":1,\"type\":\"message\",\"ts\":1,\"sender\":\"F1\"}\n",
     "2:1: expected member \"receiver\" in message record (only broadcast messages may omit it)"},
    {"bad origin",
     FRAME_F1 "{\"v\":1,\"type\":\"message\",\"ts\":1,\"receiver\":\"F1\",\"sender_origin\":\"https://a.example/path\"}\n",
     "2:64: expected \"sender_origin\" to be an origin like https://a.example or null"},
    {"bad listener line",
     FRAME_F1 "{\"v\":1,\"type\":\"listener\",\"frame\":\"F1\",\"line\":1.5}\n",
     "2:46: expected \"line\" to be an integer >= 1"},
    {"second meta",
     "{\"v\":1,\"type\":\"meta\"}\n" FRAME_F1 "{\"v\":1,\"type\":\"meta\"}\n",
     "3:1: second meta record (the first is on line 1; concatenated traces? import them as separate files)"},
    {"control char in string",
     FRAME_F1 "{\"v\":1,\"type\":\"meta\",\"tool\":\"a\tb\"}\n",
     "2:31: control character U+0009 in a string must be escaped"},
    {"lone surrogate",
     FRAME_F1 "{\"v\":1,\"type\":\"meta\",\"tool\":\"\\ud800\"}\n",
     "2:30: expected a \\uDC00-\\uDFFF low surrogate after this high surrogate"},
};

static long
count_rows(struct scratch_import *f)
{
    return atol(query(f, "SELECT (SELECT count(*) FROM sources) +"
                         " (SELECT count(*) FROM windows) +"
                         " (SELECT count(*) FROM messages) +"
                         " (SELECT count(*) FROM origins) +"
                         " (SELECT count(*) FROM documents) +"
                         " (SELECT count(*) FROM listeners)"));
}

static void
test_errors_are_positioned_and_roll_back(void **state)
{
    struct scratch_import *f = *state;
    int bad = 0;
    for (size_t i = 0; i < sizeof error_cases / sizeof error_cases[0]; i++) {
        const struct error_case *c = &error_cases[i];
        char want[700];
        snprintf(want, sizeof want, "%s:%s", f->input, c->want);
        enum pm_rc rc = import_text(f, c->trace);
        if (rc == PM_OK || strcmp(f->errtext, want) != 0 ||
            pm_rc_exit_code(rc) != 1) {
            print_error("case '%s':\n  want %s\n  got  %s (rc %d)\n",
                        c->name, want, f->errtext, rc);
            bad++;
        }
        assert_int_equal(count_rows(f), 0);
    }
    assert_int_equal(bad, 0);
}

static void
test_deep_nesting_is_refused_fast(void **state)
{
    struct scratch_import *f = *state;
    size_t depth = 100000;
    const char *head = "{\"v\":1,\"type\":\"meta\",\"x\":";
    size_t hl = strlen(head);
    char *text = malloc(hl + depth + 2);
    memcpy(text, head, hl);
    memset(text + hl, '[', depth);
    memcpy(text + hl + depth, "\n", 2);
    clock_t t0 = clock();
    assert_int_not_equal(import_text(f, text), PM_OK);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    free(text);
    char want[300];
    /* the record is level 1, so the 1000th '[' is fine, the 1001st not */
    snprintf(want, sizeof want,
             "%s:1:%zu: JSON nested deeper than 1000 levels", f->input,
             hl + 1000);
    assert_string_equal(f->errtext, want);
    assert_int_equal(f->err.rc, PM_ERR_LIMIT);
    assert_true(secs < 1.0);
    assert_int_equal(count_rows(f), 0);
}

static void
test_empty_and_blank_files(void **state)
{
    struct scratch_import *f = *state;
    char want[300];
    assert_int_not_equal(import_text(f, ""), PM_OK);
    assert_non_null(strstr(f->errtext, "file is empty"));
    /* blank lines only: detection finds no trace; forced, the importer says why */
    assert_int_not_equal(import_text(f, "\n \r\n\t\n"), PM_OK);
    struct pm_import_opts opts = {.quiet = 1, .force = 1, .format = "trace"};
    pm_err_init(&f->err);
    assert_int_not_equal(ingest_file(f->sw.st, f->input, &opts, &f->res, &f->err),
                         PM_OK);
    pm_err_format(&f->err, f->errtext, sizeof f->errtext);
    snprintf(want, sizeof want,
             "%s: no trace records (the file holds only blank lines); "
             "expected one JSON object per line",
             f->input);
    assert_string_equal(f->errtext, want);
    assert_int_equal(count_rows(f), 0);
}

static void
test_nul_byte_and_nul_escape(void **state)
{
    struct scratch_import *f = *state;
    static const char raw[] =
        FRAME_F1 "{\"v\":1,\"type\":\"meta\",\"tool\":\"a\0b\"}\n";
    char want[300];
    assert_int_not_equal(import_bytes(f, raw, sizeof raw - 1), PM_OK);
    snprintf(want, sizeof want,
             "%s:2:31: control character U+0000 in a string must be escaped",
             f->input);
    assert_string_equal(f->errtext, want);
    /* \u0000 in data is kept; in another string it cuts it, with a warning */
    assert_int_equal(import_text(f, FRAME_F1
                                 "{\"v\":1,\"type\":\"message\",\"ts\":1,"
                                 "\"receiver\":\"F1\",\"data\":\"a\\u0000b\"}\n"),
                     PM_OK);
    assert_int_equal(f->res.warnings, 0);
    assert_string_equal(query(f, "SELECT data_json FROM messages"),
                        "\"a\\u0000b\"");
    assert_int_equal(import_text(f, FRAME_F1
                                 "{\"v\":1,\"type\":\"message\",\"ts\":1,"
                                 "\"receiver\":\"F1\",\"port\":\"p\\u0000q\"}\n"),
                     PM_OK);
    assert_int_equal(f->res.warnings, 1);
    assert_string_equal(query(f, "SELECT port FROM messages ORDER BY id DESC"),
                        "p");
}

static void
test_data_compacted_faithfully(void **state)
{
    struct scratch_import *f = *state;
    const char *trace =
        FRAME_F1
        "{\"v\":1,\"type\":\"message\",\"ts\":1,\"receiver\":\"F1\",\"data\": {\"id\" : 12345678901234567890123,"
        " \"f\":1.50e+3, \"s\":\"\\u00e9\\/\\u0022\\u001f\\ud83d\\ude00 \\\" \\\\ \\n\",\"id\":2,"
        " \"a\":[ ],\"o\":{ },\"t\":[true , false , null]} }\n";
    assert_int_equal(import_text(f, trace), PM_OK);
    assert_string_equal(
        query(f, "SELECT data_json FROM messages"),
        "{\"id\":12345678901234567890123,\"f\":1.50e+3,"
        "\"s\":\"\xc3\xa9/\\\"\\u001f\xf0\x9f\x98\x80 \\\" \\\\ \\n\",\"id\":2,"
        "\"a\":[],\"o\":{},\"t\":[true,false,null]}");
}

static void
test_probe(void **state)
{
    (void)state;
    int (*probe)(const unsigned char *, size_t) = pm_importer_trace.probe;
#define PROBE(s) probe((const unsigned char *)(s), sizeof(s) - 1)
    assert_int_equal(PROBE("\n\n{\"v\":1,\"type\":\"meta\"}\n{"), 100);
    assert_int_equal(PROBE("\xEF\xBB\xBF{\"type\":\"frame\", \"v\" : 1}\r\n"), 100);
    /* first line cut off by the probe window */
    assert_int_equal(PROBE("{\"v\":1,\"type\":\"message\",\"data\":\"xxxx"), 80);
    assert_int_equal(PROBE("{\"v\":2,\"type\":\"meta\"}\n"), 40);
    assert_int_equal(PROBE("{\"v\":10,\"type\":\"meta\"}\n"), 40);
    assert_int_equal(PROBE("{\"v\":1.5,\"type\":\"meta\"}\n"), 40);
    assert_int_equal(PROBE("{\"log\":{\"version\":\"1.2\",\"entries\":[]}}"), 0);
    assert_int_equal(PROBE("{\"v\":1}\n"), 0);
    assert_int_equal(PROBE("{\"data\":{\"v\":1,\"type\":\"x\"}}\n"), 0);
    assert_int_equal(PROBE("SQLite format 3"), 0);
    assert_int_equal(PROBE(""), 0);
#undef PROBE
}

static void
test_json_positions(void **state)
{
    (void)state;
    struct pm_json_doc d;
    struct pm_err err = PM_ERR_INIT;
    char out[600];
    /* columns count code points: two 2-byte and one 4-byte char before */
    const char *s = "{\"\xc3\xa9\xc3\xa9\xf0\x9f\x98\x80\":1 2}";
    assert_int_not_equal(json_parse_located(s, strlen(s), "x", 7, 1, "line",
                                            &d, &err), PM_OK);
    pm_err_format(&err, out, sizeof out);
    assert_string_equal(out, "x:7:10: expected ',' or '}' after an object member");
    /* multi-line text starting at line 3 column 5 */
    pm_err_init(&err);
    s = "{\n  \"a\": [1,\n   2,, 3]}";
    assert_int_not_equal(json_parse_located(s, strlen(s), "h.har", 3, 5,
                                            "entry", &d, &err), PM_OK);
    pm_err_format(&err, out, sizeof out);
    assert_string_equal(out, "h.har:5:6: expected a JSON value (object, array, "
                             "string, number, true, false or null)");
    /* member positions */
    pm_err_init(&err);
    s = "{\"a\":1,\n \"bb\" :  [2]}";
    assert_int_equal(json_parse_located(s, strlen(s), "x", 1, 1, "line", &d,
                                        &err), PM_OK);
    long line, col;
    json_member_position(&d, "bb", &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 10);
    json_member_position(&d, "zz", &line, &col);
    assert_int_equal(line, 1);
    assert_int_equal(col, 1);
    json_doc_free(&d);
    /* strictness cJSON alone lacks */
    const char *bad[] = {"01", "[1,]", "\"\xed\xa0\x80\"", "\"\xc0\xaf\"",
                         "{'a':1}", "tru", "1.", "-", "[1 2]", "nul"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        pm_err_init(&err);
        if (json_parse_located(bad[i], strlen(bad[i]), "x", 1, 1, "line", &d,
                               &err) == PM_OK)
            fail_msg("accepted %s", bad[i]);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_design_example, fixture_setup,
                                        scratch_import_teardown),
        cmocka_unit_test_setup_teardown(test_origins_inherited_and_given,
                                        fixture_setup, scratch_import_teardown),
        cmocka_unit_test_setup_teardown(test_repeated_frame_is_navigation,
                                        fixture_setup, scratch_import_teardown),
        cmocka_unit_test_setup_teardown(test_unknown_types_and_members_skipped,
                                        fixture_setup, scratch_import_teardown),
        cmocka_unit_test_setup_teardown(test_line_endings_bom_blank_lines,
                                        fixture_setup, scratch_import_teardown),
        cmocka_unit_test_setup_teardown(test_errors_are_positioned_and_roll_back,
                                        fixture_setup, scratch_import_teardown),
        cmocka_unit_test_setup_teardown(test_deep_nesting_is_refused_fast,
                                        fixture_setup, scratch_import_teardown),
        cmocka_unit_test_setup_teardown(test_empty_and_blank_files,
                                        fixture_setup, scratch_import_teardown),
        cmocka_unit_test_setup_teardown(test_nul_byte_and_nul_escape,
                                        fixture_setup, scratch_import_teardown),
        cmocka_unit_test_setup_teardown(test_data_compacted_faithfully,
                                        fixture_setup, scratch_import_teardown),
        cmocka_unit_test(test_probe),
        cmocka_unit_test(test_json_positions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
