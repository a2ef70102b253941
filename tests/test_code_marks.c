/*
 * test_code_marks.c - where the code pane marks a listener's origin check
 * and sinks: the check's script position turned into an offset in the
 * handler's code (code starting mid-line, on a later line, or with no
 * known position), the places that write to or call a reported sink (and
 * not those that only read the same word), and the marks' labels; the
 * excerpt of a script around a send site's call (whole lines either side,
 * a minified line cut around the call after a statement's end).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "code_marks.h"
#include "vocab.h"

static void
test_check_offset(void **state)
{
    (void)state;
    const char *code = "function(e){if(e.origin!==o)return}";
    size_t n = strlen(code);
    long at = strstr(code, "e.origin") - code;
    /* code at 1:48213 of a bundle, the check at 1:(48213 + at) */
    assert_int_equal(code_offset_at(code, n, 1, 48213, 1, 48213 + at), at);
    /* no position known: positions are the code's own */
    assert_int_equal(code_offset_at(code, n, 0, 0, 1, 1 + at), at);
    /* outside the code */
    assert_int_equal(code_offset_at(code, n, 1, 48213, 1, 48212), -1);
    assert_int_equal(code_offset_at(code, n, 1, 48213, 2, 1), -1);
    assert_int_equal(code_offset_at(code, n, 1, 48213, 1, 48213 + (long)n), -1);
    assert_int_equal(code_offset_at(code, n, 5, 3, 4, 1), -1);
    /* a later line counts columns from 1 */
    const char *two = "function (e) {\n  if (e.origin !== o) return;\n}";
    assert_int_equal(code_offset_at(two, strlen(two), 14, 9, 15, 7),
                     strstr(two, "e.origin") - two);
}

static void
test_sink_places(void **state)
{
    (void)state;
    const char *code =
        "function(e){var d=e.data;if(e.origin!==location.origin)return;"
        "el.innerHTML;el.innerHTML=d.h;location.href=d.u;x.src=d.s;"
        "eval(d.c);o.postMessage(d,'*');$(d.sel).html(d.h)}";
    size_t n = strlen(code);
    long check = strstr(code, "e.origin") - code;
    struct code_mark *m;
    unsigned sinks = PM_SINK_INNERHTML | PM_SINK_LOCATION | PM_SINK_EVAL |
                     PM_SINK_JQUERY_HTML;
    size_t k = code_marks_find(code, n, 3, 1, 3, 1 + check, sinks, &m);
    assert_int_equal(k, 5);
    assert_int_equal(m[0].off, (size_t)check);
    assert_int_equal(m[0].what, CODE_MARK_CHECK);
    /* the read of innerHTML and location.origin are not sinks */
    assert_int_equal(m[1].off, (size_t)(strstr(code, "innerHTML=") - code));
    assert_int_equal(m[1].what, PM_SINK_INNERHTML);
    assert_int_equal(m[2].off, (size_t)(strstr(code, "location.href") - code));
    assert_int_equal(m[2].what, PM_SINK_LOCATION);
    assert_int_equal(m[3].off, (size_t)(strstr(code, "eval") - code));
    assert_int_equal(m[4].off, (size_t)(strstr(code, "html(") - code));
    free(m);
    /* sinks not reported are not looked for; no check: no check mark */
    k = code_marks_find(code, n, 3, 1, 0, 0, 0, &m);
    assert_int_equal(k, 0);
    assert_null(m);
    k = code_marks_find(code, n, 3, 1, 0, 0, PM_SINK_SRC | PM_SINK_POSTMESSAGE, &m);
    assert_int_equal(k, 2);
    assert_int_equal(m[0].what, PM_SINK_SRC);
    assert_int_equal(m[1].what, PM_SINK_POSTMESSAGE);
    free(m);
    /* garbage and an empty code */
    k = code_marks_find("", 0, 1, 1, 1, 1, ~0u >> 1, &m);
    assert_int_equal(k, 0);
    free(m);
    k = code_marks_find("=.innerHTML=(", 13, 1, 1, 9, 9, ~0u >> 1, &m);
    assert_int_equal(k, 1);
    free(m);
}

static void
test_labels(void **state)
{
    (void)state;
    char buf[64];
    code_marks_label(CODE_MARK_CHECK | PM_SINK_INNERHTML | PM_SINK_EVAL, buf,
                     sizeof buf);
    assert_string_equal(buf, "check, innerHTML, eval");
    code_marks_label(PM_SINK_LOCATION, buf, sizeof buf);
    assert_string_equal(buf, "location");
    code_marks_label(CODE_MARK_CHECK | 0xFFFFFu, buf, 12);
    assert_true(strlen(buf) < 12);
}

static void
test_excerpt(void **state)
{
    (void)state;
    /* 40 short lines; the call on line 20, column 5 */
    char script[2048] = "";
    for (int i = 1; i <= 40; i++) {
        char line[64];
        snprintf(line, sizeof line, i == 20 ? "    parent.postMessage(x, '*');\n"
                                            : "var v%d = %d;\n", i, i);
        strcat(script, line);
    }
    size_t n = strlen(script);
    struct code_excerpt ex;
    code_excerpt_around(script, n, 20, 5, &ex);
    assert_int_equal(ex.line, 20 - CODE_AROUND_LINES);
    assert_int_equal(ex.col, 1);
    assert_memory_equal(script + ex.off, "var v8 = 8;\n", 12);
    assert_memory_equal(script + ex.off + ex.call, "parent.postMessage", 18);
    /* ends after line 20 + CODE_AROUND_LINES */
    assert_memory_equal(script + ex.off + ex.len - 14, "var v32 = 32;\n", 14);
    /* near the start: from line 1 */
    code_excerpt_around(script, n, 2, 1, &ex);
    assert_int_equal(ex.off, 0);
    assert_int_equal(ex.line, 1);
    /* outside the script: its start, no call */
    code_excerpt_around(script, n, 99, 1, &ex);
    assert_int_equal(ex.off, 0);
    assert_int_equal(ex.call, -1);

    /* one minified line of 10 000 bytes, the call at byte 6000 */
    size_t big = 10000, at = 6000;
    char *min = malloc(big + 1);
    for (size_t i = 0; i < big; i++)
        min[i] = i % 10 == 9 ? ';' : 'a';
    memcpy(min + at, "top.postMessage(d,'*');", 23);
    min[big] = '\0';
    code_excerpt_around(min, big, 1, (long)at + 1, &ex);
    assert_int_equal(ex.line, 1);
    /* starts just after a ';', within CODE_AROUND_BYTES of the call */
    assert_true(at - ex.off <= CODE_AROUND_BYTES);
    assert_int_equal(min[ex.off - 1], ';');
    assert_int_equal(ex.col, (long)ex.off + 1);
    assert_int_equal(ex.off + (size_t)ex.call, at);
    /* and ends after one, shortly past CODE_AROUND_BYTES */
    assert_true(ex.off + ex.len - at <= CODE_AROUND_BYTES + 201);
    assert_int_equal(min[ex.off + ex.len - 1], ';');
    free(min);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_offset),
        cmocka_unit_test(test_sink_places),
        cmocka_unit_test(test_labels),
        cmocka_unit_test(test_excerpt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
