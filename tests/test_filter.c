/*
 * test_filter.c - the filter language: expression -> SQL text and bound
 * values for every atom and combination, error columns and messages for
 * malformed expressions, and the compiled SQL run against a real workspace
 * (which message ids each filter selects, metacharacters matched literally,
 * the deepest allowed nesting accepted by SQLite).
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "filter.h"
#include "scratch_ws.h"
#include "store.h"

/* Explain text of expr, or "ERROR col N: msg". */
static const char *
explain(const char *expr)
{
    static struct pm_buf b;
    pm_buf_release(&b);
    pm_buf_init(&b);
    struct pm_filter *f = NULL;
    struct pm_err err = PM_ERR_INIT;
    if (filter_compile(expr, &f, &err) != PM_OK) {
        assert_null(f);
        pm_buf_addf(&b, "ERROR col %ld: %s", err.col, err.msg);
        return b.data;
    }
    filter_explain(f, &b);
    filter_free(f);
    return b.data;
}

#define FTS                                                                  \
    "m.id IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?"     \
    " AND rowid > ? AND rowid <= ?)"
#define ESC " ESCAPE '\\'"
/* The templates of filter_term.c that end a scan which can match nothing. */
#define ENDS_SCAN(test)                                                      \
    " AND m.id <= CASE WHEN " test " THEN 9223372036854775807 ELSE -1 END"
#define TARGET_VALUES(cond)                                                  \
    "(WITH RECURSIVE t(v) AS (SELECT min(target_origin) FROM messages UNION" \
    " ALL SELECT (SELECT min(target_origin) FROM messages WHERE"             \
    " target_origin > t.v) FROM t WHERE t.v IS NOT NULL) SELECT v FROM t"    \
    " WHERE " cond ")"
#define TARGET_IN(cond)                                                      \
    "(+m.target_origin IN " TARGET_VALUES(cond)                              \
    ENDS_SCAN("EXISTS " TARGET_VALUES(cond)) ")"
#define SIZE(op, agg)                                                        \
    "(m.size " op " ?"                                                       \
    ENDS_SCAN("(SELECT " agg "(size) FROM messages) " op " ?") ")"
/* A listener term: the attributed listener, else the receiving window's
 * listeners on the message's channel and document (written out, not shared
 * with filter_term.c, so a change to the SQL shows here). */
#define CHANNELS                                                             \
    "(SELECT 'window' AS via UNION ALL SELECT 'port' UNION ALL SELECT"       \
    " 'broadcast' UNION ALL SELECT 'worker') c"                              \
    " ON coalesce(l.target, c.via) = c.via"
#define REACHED_BY(cond)                                                     \
    "(+m.listener_id IN (SELECT l.id FROM listeners l WHERE " cond ")"       \
    " OR (+m.listener_id IS NULL AND ((+m.receiver_window_id, +m.via) IN"    \
    " (SELECT l.window_id, c.via FROM listeners l JOIN " CHANNELS            \
    " WHERE l.doc = 0 AND " cond ")"                                         \
    " OR (+m.receiver_window_id, +m.via, +m.receiver_doc) IN"                \
    " (SELECT l.window_id, c.via, l.doc FROM listeners l JOIN " CHANNELS     \
    " WHERE l.doc <> 0 AND " cond "))))"

struct explain_case {
    const char *expr;
    const char *want;
};

static const struct explain_case atom_cases[] = {
    {"", "1"},
    {"   \t ", "1"},
    {"origin:w.example",
     "(+m.sender_origin_id IN (SELECT o.id FROM origins o WHERE o.text LIKE ?"
     ESC ") OR +m.receiver_origin_id IN (SELECT o.id FROM origins o WHERE"
     " o.text LIKE ?" ESC "))\n  ?1 = '%://%w.example%'\n"
     "  ?2 = '%://%w.example%'"},
    {"origin:null",
     "(+m.sender_origin_id = (SELECT o.id FROM origins o WHERE o.text = ?)"
     " OR +m.receiver_origin_id = (SELECT o.id FROM origins o WHERE"
     " o.text = ?))\n  ?1 = 'null'\n  ?2 = 'null'"},
    {"from:https://A.Example:443/x",
     "m.sender_origin_id = (SELECT o.id FROM origins o WHERE o.text = ?)\n"
     "  ?1 = 'https://a.example'"},
    {"from:a.example:8443",
     "m.sender_origin_id IN (SELECT o.id FROM origins o WHERE o.text LIKE ?"
     ESC ")\n  ?1 = '%://%a.example:8443%'"},
    {"to:NULL",
     "m.receiver_origin_id = (SELECT o.id FROM origins o WHERE o.text = ?)\n"
     "  ?1 = 'null'"},
    {"TO:\"b_c\"",
     "m.receiver_origin_id IN (SELECT o.id FROM origins o WHERE o.text LIKE ?"
     ESC ")\n  ?1 = '%://%b\\_c%'"},
    {"target:*", "m.target_origin = ?\n  ?1 = '*'"},
    {"target:https://a.example:8443/p",
     TARGET_IN("v = ? OR v LIKE ?" ESC) "\n"
     "  ?1 = 'https://a.example:8443'\n  ?2 = 'https://a.example:8443/%'\n"
     "  ?3 = 'https://a.example:8443'\n  ?4 = 'https://a.example:8443/%'"},
    {"target:a_b%", TARGET_IN("v LIKE ?" ESC)
     "\n  ?1 = '%a\\_b\\%%'\n  ?2 = '%a\\_b\\%%'"},
    {"via:PORT", "m.via = ?\n  ?1 = 'port'"},
    {"port:'ch 1'", "m.port = ?\n  ?1 = 'ch 1'"},
    {"check:indexof",
     REACHED_BY("l.check_kind = ?")
     "\n  ?1 = 'indexOf'\n  ?2 = 'indexOf'\n  ?3 = 'indexOf'"},
    {"check:REGEX",
     REACHED_BY("l.check_kind = ?")
     "\n  ?1 = 'regex-unanchored'\n  ?2 = 'regex-unanchored'"
     "\n  ?3 = 'regex-unanchored'"},
    {"check:weak", REACHED_BY("l.check_kind NOT IN ('strict', 'unknown')")},
    {"sink:innerHTML",
     REACHED_BY("',' || replace(l.sinks, ' ', '') || ',' LIKE ?" ESC)
     "\n  ?1 = '%,innerHTML,%'\n  ?2 = '%,innerHTML,%'"
     "\n  ?3 = '%,innerHTML,%'"},
    {"sink:*", REACHED_BY("coalesce(l.sinks, '') <> ''")},
    {"window:3",
     "(m.sender_window_id = ? OR m.receiver_window_id = ?)\n  ?1 = 3\n  ?2 = 3"},
    {"listener:12",
     REACHED_BY("l.id = ?") "\n  ?1 = 12\n  ?2 = 12\n  ?3 = 12"},
    {"data:\"x\\\"y\\\\z\"", "m.data_json LIKE ?" ESC "\n  ?1 = '%x\"y\\\\z%'"},
    {"data~/tok(en)?\\/x/", "regexp(?, m.data_json)\n  ?1 = 'tok(en)?/x'"},
    {"DATA~/a\\.b/", "regexp(?, m.data_json)\n  ?1 = 'a\\.b'"},
    {"size>1000", SIZE(">", "max") "\n  ?1 = 1000\n  ?2 = 1000"},
    {"size>=10", SIZE(">=", "max") "\n  ?1 = 10\n  ?2 = 10"},
    {"size<10", SIZE("<", "min") "\n  ?1 = 10\n  ?2 = 10"},
    {"size<=5", SIZE("<=", "min") "\n  ?1 = 5\n  ?2 = 5"},
    {"size=3", "m.size = ?\n  ?1 = 3"},
    {"size:3", "m.size = ?\n  ?1 = 3"},
    {"id:5", "m.id = ?\n  ?1 = 5"},
    {"flow:2", "m.flow_id = ?\n  ?1 = 2"},
    {"source:1", "m.source_id = ?\n  ?1 = 1"},
    {"visit:3",
     "(+m.sender_window_id IN (SELECT w.id FROM windows w WHERE w.visit_id = ?)"
     " OR +m.receiver_window_id IN (SELECT w.id FROM windows w WHERE"
     " w.visit_id = ?))\n  ?1 = 3\n  ?2 = 3"},
    {"marked",
     "m.id IN (SELECT f.subject_id FROM findings f WHERE f.subject_kind ="
     " 'message' AND f.status <> 'dismissed')"},
    {"hello", FTS "\n  ?1 = '\"hello\"'\n  ?2 = (after id)\n  ?3 = (up to id)"},
    {"tok*", FTS "\n  ?1 = '\"tok\"*'\n  ?2 = (after id)\n  ?3 = (up to id)"},
    {"\"say \\\"hi\\\" now\"", FTS "\n  ?1 = '\"say \"\"hi\"\" now\"'\n  ?2 = (after id)\n  ?3 = (up to id)"},
    {"'a b'", FTS "\n  ?1 = '\"a b\"'\n  ?2 = (after id)\n  ?3 = (up to id)"},
    {"NEAR(a", "ERROR col 5: unbalanced '('; expected ')' to close it"},
    {"a^b:c", FTS "\n  ?1 = '\"a^b:c\"'\n  ?2 = (after id)\n  ?3 = (up to id)"},
    {";--", "m.data_json LIKE ?" ESC "\n  ?1 = '%;--%'"},
    {"'%'", "m.data_json LIKE ?" ESC "\n  ?1 = '%\\%%'"},
    {"size", FTS "\n  ?1 = '\"size\"'\n  ?2 = (after id)\n  ?3 = (up to id)"},
    {"\"marked\"", FTS "\n  ?1 = '\"marked\"'\n  ?2 = (after id)\n  ?3 = (up to id)"},
    {"\"and\"", FTS "\n  ?1 = '\"and\"'\n  ?2 = (after id)\n  ?3 = (up to id)"},
};

static void
test_filter_atoms(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof atom_cases / sizeof atom_cases[0]; i++) {
        const char *got = explain(atom_cases[i].expr);
        if (strcmp(got, atom_cases[i].want) != 0)
            fail_msg("filter %s\n  got:  %s\n  want: %s", atom_cases[i].expr,
                     got, atom_cases[i].want);
    }
}

static const struct explain_case combo_cases[] = {
    /* implicit and, explicit and, && */
    {"a b", "(" FTS " AND " FTS ")\n  ?1 = '\"a\"'\n  ?2 = (after id)\n  ?3 = (up to id)\n  ?4 = '\"b\"'\n  ?5 = (after id)\n  ?6 = (up to id)"},
    {"a and b", "(" FTS " AND " FTS ")\n  ?1 = '\"a\"'\n  ?2 = (after id)\n  ?3 = (up to id)\n  ?4 = '\"b\"'\n  ?5 = (after id)\n  ?6 = (up to id)"},
    {"a && b", "(" FTS " AND " FTS ")\n  ?1 = '\"a\"'\n  ?2 = (after id)\n  ?3 = (up to id)\n  ?4 = '\"b\"'\n  ?5 = (after id)\n  ?6 = (up to id)"},
    /* and binds tighter than or */
    {"a b or c",
     "((" FTS " AND " FTS ") OR " FTS ")\n  ?1 = '\"a\"'\n  ?2 = (after id)\n  ?3 = (up to id)\n  ?4 = '\"b\"'\n  ?5 = (after id)\n  ?6 = (up to id)\n"
     "  ?7 = '\"c\"'\n  ?8 = (after id)\n  ?9 = (up to id)"},
    {"a OR b c",
     "(" FTS " OR (" FTS " AND " FTS "))\n  ?1 = '\"a\"'\n  ?2 = (after id)\n  ?3 = (up to id)\n  ?4 = '\"b\"'\n  ?5 = (after id)\n  ?6 = (up to id)\n"
     "  ?7 = '\"c\"'\n  ?8 = (after id)\n  ?9 = (up to id)"},
    {"a || b", "(" FTS " OR " FTS ")\n  ?1 = '\"a\"'\n  ?2 = (after id)\n  ?3 = (up to id)\n  ?4 = '\"b\"'\n  ?5 = (after id)\n  ?6 = (up to id)"},
    /* negation forms; double negation cancels */
    {"not a", "(" FTS ") IS NOT TRUE\n  ?1 = '\"a\"'\n  ?2 = (after id)\n  ?3 = (up to id)"},
    {"!via:port -via:window",
     "((m.via = ?) IS NOT TRUE AND (m.via = ?) IS NOT TRUE)\n"
     "  ?1 = 'port'\n  ?2 = 'window'"},
    {"not not a", FTS "\n  ?1 = '\"a\"'\n  ?2 = (after id)\n  ?3 = (up to id)"},
    {"! ! ! a", "(" FTS ") IS NOT TRUE\n  ?1 = '\"a\"'\n  ?2 = (after id)\n  ?3 = (up to id)"},
    {"NOT (a or b)",
     "(" FTS " OR " FTS ") IS NOT TRUE\n  ?1 = '\"a\"'\n  ?2 = (after id)\n  ?3 = (up to id)\n  ?4 = '\"b\"'\n  ?5 = (after id)\n  ?6 = (up to id)"},
    /* parentheses: groups of the same operator flatten, (x) is x */
    {"((a))", FTS "\n  ?1 = '\"a\"'\n  ?2 = (after id)\n  ?3 = (up to id)"},
    {"a and (b and c)",
     "(" FTS " AND " FTS " AND " FTS ")\n  ?1 = '\"a\"'\n  ?2 = (after id)\n  ?3 = (up to id)\n  ?4 = '\"b\"'\n  ?5 = (after id)\n  ?6 = (up to id)\n"
     "  ?7 = '\"c\"'\n  ?8 = (after id)\n  ?9 = (up to id)"},
    {"(a or b)(c or (d or e))",
     "((" FTS " OR " FTS ") AND (" FTS " OR " FTS " OR " FTS "))\n"
     "  ?1 = '\"a\"'\n  ?2 = (after id)\n  ?3 = (up to id)\n  ?4 = '\"b\"'\n  ?5 = (after id)\n  ?6 = (up to id)\n  ?7 = '\"c\"'\n  ?8 = (after id)\n  ?9 = (up to id)\n  ?10 = '\"d\"'\n  ?11 = (after id)\n  ?12 = (up to id)\n"
     "  ?13 = '\"e\"'\n  ?14 = (after id)\n  ?15 = (up to id)"},
    /* values end at a parenthesis; order of values follows the text */
    {"(via:port)or(size<5)",
     "(m.via = ? OR " SIZE("<", "min") ")\n  ?1 = 'port'\n  ?2 = 5\n"
     "  ?3 = 5"},
    {"target:* and not from:a.example size>100",
     "(m.target_origin = ? AND (m.sender_origin_id IN (SELECT o.id FROM"
     " origins o WHERE o.text LIKE ?" ESC ")) IS NOT TRUE AND "
     SIZE(">", "max") ")\n"
     "  ?1 = '*'\n"
     "  ?2 = '%://%a.example%'\n  ?3 = 100\n  ?4 = 100"},
    {"data~/a|b/ or marked",
     "(regexp(?, m.data_json) OR m.id IN (SELECT f.subject_id FROM findings f"
     " WHERE f.subject_kind = 'message' AND f.status <> 'dismissed'))\n"
     "  ?1 = 'a|b'"},
    /* words that merely start like operators are words */
    {"android order nothing",
     "(" FTS " AND " FTS " AND " FTS ")\n  ?1 = '\"android\"'\n  ?2 = (after id)\n  ?3 = (up to id)\n"
     "  ?4 = '\"order\"'\n  ?5 = (after id)\n  ?6 = (up to id)\n  ?7 = '\"nothing\"'\n  ?8 = (after id)\n  ?9 = (up to id)"},
};

static void
test_filter_combinations(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof combo_cases / sizeof combo_cases[0]; i++) {
        const char *got = explain(combo_cases[i].expr);
        if (strcmp(got, combo_cases[i].want) != 0)
            fail_msg("filter %s\n  got:  %s\n  want: %s", combo_cases[i].expr,
                     got, combo_cases[i].want);
    }
}

struct error_case {
    const char *expr;
    long col;
    const char *msg; /* substring of err.msg */
};

static const struct error_case error_cases[] = {
    {"(via:port", 1, "unbalanced '('; expected ')'"},
    {"a (b or (c)", 3, "unbalanced '('"},
    {"via:port)", 9, "unbalanced ')'; no '(' to close"},
    {")", 1, "expected a term before ')'"},
    {"a and", 6, "expected a term after 'and', found the end"},
    {"a or", 5, "expected a term after 'or', found the end"},
    {"or a", 1, "expected a term before 'or'"},
    {"a and or b", 7, "expected a term after 'and', found 'or'"},
    {"a or and b", 6, "expected a term after 'or', found 'and'"},
    {"not", 4, "expected a term after 'not', found the end"},
    {"a and not )", 11, "expected a term after 'not', found ')'"},
    {"-", 2, "expected a term after '-'"},
    {"()", 2, "expected a term after '(', found ')'"},
    {"foo:bar", 1, "unknown key 'foo:'; expected one of origin, from"},
    {"a https://a.example", 3, "unknown key 'https:'"},
    {"from:", 6, "empty value after 'from:'"},
    {"from: a.example", 6, "empty value after 'from:'"},
    {"to:\"\"", 4, "empty value after 'to:'"},
    {"a \"\"", 3, "empty quotes"},
    {"from:https://", 6, "expected an origin like https://a.example"},
    {"via:carrier", 5, "unknown via 'carrier'; expected window, port"},
    {"check:custom", 7, "unknown check 'custom'; expected none, strict,"},
    {"a and check:'x y'", 13, "unknown check 'x y'; expected none"},
    {"sink:foo", 6, "unknown sink 'foo'; expected innerHTML, outerHTML,"},
    {"sink:location.href", 6, "unknown sink 'location.href'; expected"},
    {"data~/a(/", 7, "bad regex"},
    {"data~/[z-a]/", 7, "bad regex"},
    {"data~/abc", 6, "unterminated regex; expected a closing /"},
    {"data~abc", 6, "expected /regex/ after 'data~'"},
    {"data~//", 6, "empty regex"},
    {"data~/(a)\\1/", 10, "back-references are not supported"},
    {"data~/a/b", 9, "expected a blank or ')' after the closing /"},
    /* repeats glibc would copy out into gigabytes */
    {"data~/a++/", 9, "regex refused: a repeat right after a repeat"},
    {"data~/(ab)*{9}/", 12, "regex refused: a repeat right after a repeat"},
    {"data~/x{256}/", 8, "regex refused: a repeat count over 255"},
    {"data~/x{1,999999999999}/", 8, "regex refused: a repeat count over 255"},
    /* {,n} is {0,n} to glibc (found by the fuzzer: 2 GB for t{,19199}) */
    {"data~/t{,19199}QQ/", 8, "regex refused: a repeat count over 255"},
    {"data~/(a{,200}){,200}/", 21, "regex refused: the pattern is too large"},
    {"data~/(a{200}){200}/", 19, "regex refused: the pattern is too large"},
    {"data~/((((((((((((((((((((((((((((((((((a))))))))))))))))))))))))))))))))))/",
     39, "regex refused: groups nested deeper than 32"},
    {"size>abc", 6, "bad number; expected a byte count"},
    {"size>", 6, "bad number"},
    {"size:-1", 6, "bad number"},
    {"size>1e3", 6, "bad number"},
    {"id:12x", 4, "bad number after 'id:'; expected a non-negative integer"},
    {"flow:99999999999999999999", 6, "bad number after 'flow:'"},
    {"visit:", 7, "empty value after 'visit:'"},
    {"\"abc", 1, "unterminated quote; expected a closing \""},
    {"a from:'a.example", 8, "unterminated quote; expected a closing '"},
    {"from:\"a\"b", 9, "expected a blank or ')' after the closing quote"},
    /* columns count characters, not bytes */
    {"\xc3\xa9t\xc3\xa9 and", 8, "expected a term after 'and'"},
    {"\xe2\x9c\x93 or", 5, "expected a term after 'or'"},
};

static void
test_filter_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof error_cases / sizeof error_cases[0]; i++) {
        const struct error_case *c = &error_cases[i];
        struct pm_filter *f = NULL;
        struct pm_err err = PM_ERR_INIT;
        enum pm_rc rc = filter_compile(c->expr, &f, &err);
        if (rc != PM_ERR_USAGE || f != NULL || err.col != c->col ||
            strstr(err.msg, c->msg) == NULL || strcmp(err.src, "filter") ||
            err.line != 1)
            fail_msg("filter %s\n  got:  rc %d col %ld: %s\n"
                     "  want: col %ld: %s",
                     c->expr, rc, err.col, err.msg, c->col, c->msg);
        filter_free(f);
    }
}

/* Compile expr expecting an error; return its column. */
static long
error_col(const char *expr, const char *msg)
{
    struct pm_filter *f = NULL;
    struct pm_err err = PM_ERR_INIT;
    assert_int_equal(filter_compile(expr, &f, &err), PM_ERR_USAGE);
    assert_null(f);
    if (strstr(err.msg, msg) == NULL)
        fail_msg("error '%s' lacks '%s'", err.msg, msg);
    return err.col;
}

static void
test_filter_limits(void **state)
{
    (void)state;
    struct pm_buf b;
    pm_buf_init(&b);

    /* FILTER_MAX_DEPTH parentheses compile; one more is refused at the
     * parenthesis that goes too deep. */
    for (int i = 0; i < FILTER_MAX_DEPTH; i++)
        pm_buf_addc(&b, '(');
    pm_buf_adds(&b, "a");
    for (int i = 0; i < FILTER_MAX_DEPTH; i++)
        pm_buf_addc(&b, ')');
    assert_string_equal(explain(b.data), FTS "\n  ?1 = '\"a\"'\n  ?2 = (after id)\n  ?3 = (up to id)");
    pm_buf_reset(&b);
    for (int i = 0; i <= FILTER_MAX_DEPTH; i++)
        pm_buf_addc(&b, '(');
    pm_buf_adds(&b, "a");
    assert_int_equal(error_col(b.data, "nested too deeply"),
                     FILTER_MAX_DEPTH + 1);

    /* negations count as nesting too */
    pm_buf_reset(&b);
    for (int i = 0; i <= FILTER_MAX_DEPTH; i++)
        pm_buf_adds(&b, "not ");
    pm_buf_adds(&b, "a");
    assert_int_equal(error_col(b.data, "nested too deeply"),
                     FILTER_MAX_DEPTH * 4 + 1);

    /* length */
    pm_buf_reset(&b);
    while (b.len < FILTER_MAX_LEN + 1)
        pm_buf_adds(&b, "a ");
    assert_int_equal(error_col(b.data, "filter too long"), FILTER_MAX_LEN + 1);

    /* terms: "a " repeated; the first term too many is reported */
    pm_buf_reset(&b);
    for (int i = 0; i <= FILTER_MAX_TERMS; i++)
        pm_buf_adds(&b, "a ");
    assert_int_equal(error_col(b.data, "too many terms"),
                     FILTER_MAX_TERMS * 2 + 1);
    pm_buf_release(&b);
}

static void
test_filter_caret(void **state)
{
    (void)state;
    struct pm_filter *f = NULL;
    struct pm_err err = PM_ERR_INIT;
    const char *expr = "from:x \xc3\xa9 (data:y\x1b[31m";
    assert_int_equal(filter_compile(expr, &f, &err), PM_ERR_USAGE);
    assert_int_equal(err.col, 10);
    struct pm_buf b;
    pm_buf_init(&b);
    filter_error_caret(expr, &err, "  ", &b);
    /* the escape character is shown as \x1b, the caret sits under '(' */
    assert_string_equal(b.data, "  from:x \xc3\xa9 (data:y\\x1b[31m\n"
                                "           ^\n");
    pm_buf_release(&b);

    /* an error at the end puts the caret one past the last character */
    err = (struct pm_err)PM_ERR_INIT;
    assert_int_equal(filter_compile("a or", &f, &err), PM_ERR_USAGE);
    pm_buf_init(&b);
    filter_error_caret("a or", &err, "", &b);
    assert_string_equal(b.data, "a or\n    ^\n");
    pm_buf_release(&b);
}

/* ---- against a real workspace ------------------------------------------ */

struct ws {
    struct scratch_ws sw;
};

static void
ws_exec(struct ws *w, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(store_db(w->sw.st), sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
}

/*
 * Seven messages between four windows (two visits) with three listeners and
 * three findings; see the comments on each row.
 */
static int
ws_setup(void **state)
{
    struct ws *w = calloc(1, sizeof *w);
    struct pm_err err = PM_ERR_INIT;
    assert_int_equal(scratch_ws_open(&w->sw, "filter"), 0);
    assert_int_equal(store_begin(w->sw.st, &err), 0);
    struct pm_source_rec src = {"t.jsonl", "trace", "00", 1, NULL};
    int64_t sid, win[5], lis[4], mid;
    assert_int_equal(store_add_source(w->sw.st, &src, &sid, &err), 0);
    static const struct {
        const char *kind, *url, *origin;
        int64_t visit;
    } wins[] = {
        {"top", "https://a.example/", "https://a.example", 1},
        {"iframe", "https://w.example/w", "https://w.example", 1},
        {"iframe", "https://evil.example:8443/", "https://evil.example:8443", 2},
        {"popup", "data:text/html,x", "null", 2},
    };
    for (int i = 0; i < 4; i++) {
        struct pm_window_rec r = {.source_id = sid, .kind = wins[i].kind,
                                  .url = wins[i].url, .origin = wins[i].origin,
                                  .first_seen = 0, .visit_id = wins[i].visit};
        assert_int_equal(store_add_window(w->sw.st, &r, &win[i + 1], &err), 0);
    }
    for (int i = 1; i <= 3; i++) {
        /* listener i on window 2 (i=1), 1 (i=2), 3 (i=3) */
        struct pm_listener_rec r = {.source_id = sid,
                                    .window_id = win[i == 1 ? 2 : i == 2 ? 1 : 3],
                                    .code = "function(e){}",
                                    .found_by = "trace"};
        assert_int_equal(store_add_listener(w->sw.st, &r, &lis[i], &err), 0);
    }
    static const struct {
        int from, to;
        const char *target, *via, *port, *data;
    } msgs[] = {
        /* 1 */ {1, 2, "*", "window", NULL,
                 "{\"id\":7,\"cmd\":\"getUser\",\"token\":\"abc\"}"},
        /* 2 */ {2, 1, "https://a.example", "window", NULL,
                 "{\"id\":7,\"result\":\"ok\"}"},
        /* 3 */ {1, 3, "https://evil.example:8443/path", "port", "ch-1",
                 "{\"q\":\"it's; DROP TABLE messages; --\"}"},
        /* 4 */ {3, 1, "*", "window", NULL,
                 "{\"pct\":\"100%\",\"under_score\":\"a_b\","
                 "\"quote\":\"say \\\"hi\\\"\"}"},
        /* 5 */ {4, 2, "*", "broadcast", NULL, "\"hello world\""},
        /* 6 */ {2, 4, "https://w.example", "worker", NULL, NULL},
        /* 7: sender, receiver and targetOrigin unknown */
        /* 7 */ {0, 0, NULL, "window", NULL, "{\"ping\":1}"},
    };
    char big[2100];
    memset(big, 'x', sizeof big - 1);
    big[0] = '"';
    big[sizeof big - 2] = '"';
    big[sizeof big - 1] = '\0';
    win[0] = 0;
    for (int i = 0; i < 7; i++) {
        int from = msgs[i].from, to = msgs[i].to;
        struct pm_message_rec r = {
            .source_id = sid, .ts = i, .sender_window_id = win[from],
            .receiver_window_id = win[to],
            .sender_origin = from ? wins[from - 1].origin : NULL,
            .receiver_origin = to ? wins[to - 1].origin : NULL,
            .target_origin = msgs[i].target, .via = msgs[i].via,
            .port = msgs[i].port,
            .data_json = msgs[i].data ? msgs[i].data : big};
        assert_int_equal(store_add_message(w->sw.st, &r, &mid, &err), 0);
        assert_int_equal(mid, i + 1);
    }
    assert_int_equal(store_commit(w->sw.st, &err), 0);
    /* What analysis would fill in. */
    ws_exec(w, "UPDATE listeners SET check_kind='indexOf',"
               " sinks='innerHTML, eval' WHERE id=1;"
               "UPDATE listeners SET check_kind='strict' WHERE id=2;"
               "UPDATE listeners SET check_kind='none',"
               " sinks='location,innerHTMLx' WHERE id=3;"
               "UPDATE messages SET listener_id=1, flow_id=1 WHERE id=1;"
               "UPDATE messages SET flow_id=1 WHERE id=2;"
               "INSERT INTO findings(subject_kind, subject_id, severity,"
               " status, title) VALUES"
               " ('message', 1, 'high', 'confirmed', 't'),"
               " ('message', 3, 'low', 'dismissed', 't'),"
               " ('message', 5, 'info', 'suggested', 't'),"
               " ('listener', 2, 'info', 'suggested', 't');");
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

/*
 * Ids of the messages expr selects, as "1,3,5", read a page at a time the
 * way the CLI and the TUI do (own parameters appended after the filter's).
 */
static const char *
select_ids(struct ws *w, const char *expr)
{
    static char out[256];
    struct pm_filter *f = NULL;
    struct pm_err err = PM_ERR_INIT;
    if (filter_compile(expr, &f, &err) != PM_OK)
        fail_msg("%s: %s", expr, err.msg);
    struct pm_buf sql;
    pm_buf_init(&sql);
    pm_buf_addf(&sql, "SELECT m.id FROM messages m WHERE (%s) AND m.id > ?"
                      " ORDER BY m.id LIMIT ?", filter_sql(f));
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(store_db(w->sw.st), sql.data, -1, &s, NULL) !=
        SQLITE_OK)
        fail_msg("%s: %s", expr, sqlite3_errmsg(store_db(w->sw.st)));
    pm_buf_release(&sql);
    int64_t after = 0;
    out[0] = '\0';
    for (;;) {
        sqlite3_reset(s);
        int idx = filter_bind(f, s, 1);
        assert_int_equal(idx, filter_param_count(f) + 1);
        sqlite3_bind_int64(s, idx, after);
        sqlite3_bind_int(s, idx + 1, 2);
        int rows = 0, rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            after = sqlite3_column_int64(s, 0);
            snprintf(out + strlen(out), sizeof out - strlen(out), "%s%lld",
                     out[0] ? "," : "", (long long)after);
            rows++;
        }
        if (rc != SQLITE_DONE)
            fail_msg("%s: %s", expr, sqlite3_errmsg(store_db(w->sw.st)));
        if (rows < 2)
            break;
    }
    sqlite3_finalize(s);
    filter_free(f);
    return out;
}

struct select_case {
    const char *expr;
    const char *ids;
};

static const struct select_case select_cases[] = {
    {"", "1,2,3,4,5,6,7"},
    {"from:https://a.example", "1,3"},
    {"from:a.example", "1,3"},             /* not evil.example: no "a." */
    {"from:example", "1,2,3,4,6"},         /* 5 comes from an opaque origin */
    {"from:null", "5"},
    {"to:evil.example:8443", "3"},
    {"to:https://evil.example:8443", "3"},
    {"to:https://evil.example", ""},
    {"not to:https://nowhere.example", "1,2,3,4,5,6,7"},
    {"origin:https://w.example", "1,2,5,6"},
    {"origin:w.example", "1,2,5,6"},
    {"origin:A.EXAMPLE", "1,2,3,4"},
    {"target:*", "1,4,5"},
    {"target:https://evil.example:8443", "3"},
    {"target:https://w.example/", "6"},
    {"target:w.ex", "6"},
    {"not target:*", "2,3,6,7"},      /* 7: unknown targetOrigin */
    {"not from:example", "5,7"},
    {"not origin:a.example", "5,6,7"},
    {"not check:strict", "1,3,5,6,7"},
    {"not sink:innerHTML", "2,3,4,6,7"},
    {"not visit:1", "7"},
    {"via:port", "3"},
    {"-via:window", "3,5,6"},
    {"port:ch-1", "3"},
    {"check:indexof", "1,5"},              /* 1: own listener; 5: window 2 */
    {"check:strict", "2,4"},               /* receiver window 1 */
    {"check:none", "3"},
    {"listener:1", "1,5"},                 /* attributed; window 2's */
    {"listener:2", "2,4"},
    {"listener:3", "3"},
    {"listener:4", ""},
    {"window:2", "1,2,5,6"},
    {"window:3", "3,4"},
    {"window:9", ""},
    {"not window:2", "3,4,7"},
    {"check:weak", "1,3,5"},
    {"sink:innerHTML", "1,5"},             /* not innerHTMLx of listener 3 */
    {"sink:EVAL", "1,5"},
    {"sink:Location", "3"},
    {"sink:*", "1,3,5"},
    {"marked", "1,5"},                     /* 3's finding is dismissed */
    {"not marked", "2,3,4,6,7"},
    {"size>1000", "6"},
    {"size<=30", "2,5,7"},
    {"id:4", "4"},
    {"flow:1", "1,2"},
    {"source:1", "1,2,3,4,5,6,7"},
    {"visit:2", "3,4,5,6"},
    {"hello", "5"},
    {"HELLO world", "5"},
    {"\"world hello\"", ""},
    {"\"hello world\"", "5"},
    {"getus*", "1"},
    {"id:8", ""},
    {"7", "1,2"},
    {"data~/\"id\":[0-9]+/", "1,2"},
    {"data~/^\"hello/", "5"},
    {"data~/GETUSER/", "1"},
    {"data:getuser", "1"},
    /* SQL and LIKE metacharacters match themselves */
    {"data:\"it's\"", "3"},
    {"data:';'", "3"},
    {"data:--", "3"},
    {"';'", "3"},
    {"'--'", "3"},
    {"data:%", "4"},
    {"data:_", "4"},
    {"data:'a_b'", "4"},
    {"data:'\\\"hi\\\\\"'", "4"},
    {"data:\"x' OR '1'='1\"", ""},
    {"data:\"'); DROP TABLE messages; --\"", ""},
    {"target:\"*' OR 1=1 --\"", ""},
    {"origin:%", ""},
    {"from:_.example", ""},
    /* combinations */
    {"target:* and not from:a.example", "4,5"},
    {"(via:port or size>1000) to:evil.example", "3"},
    {"check:none or check:strict -id:2", "3,4"},
    {"marked or flow:1 and not hello", "1,2,5"},
    {"not (from:a.example or from:w.example)", "4,5,7"},
    {"not (not via:port)", "3"},
    {"!(marked or -target:*)", "4"},
};

static void
test_filter_selects(void **state)
{
    struct ws *w = *state;
    for (size_t i = 0; i < sizeof select_cases / sizeof select_cases[0]; i++) {
        const char *got = select_ids(w, select_cases[i].expr);
        if (strcmp(got, select_cases[i].ids) != 0)
            fail_msg("filter %s\n  got:  [%s]\n  want: [%s]",
                     select_cases[i].expr, got, select_cases[i].ids);
    }
}

/*
 * The deepest filters the compiler accepts must also be accepted by
 * SQLite's parser: alternating and/or groups around the largest atom, with
 * and without negations, inside the caller's own statement.
 */
static void
test_filter_deepest_runs(void **state)
{
    struct ws *w = *state;
    struct pm_buf b;
    pm_buf_init(&b);
    for (int i = 0; i < FILTER_MAX_DEPTH; i++)
        pm_buf_adds(&b, i % 2 ? "(check:none and " : "(visit:1 or ");
    pm_buf_adds(&b, "sink:eval");
    for (int i = 0; i < FILTER_MAX_DEPTH; i++)
        pm_buf_addc(&b, ')');
    assert_string_equal(select_ids(w, b.data), "1,2,3,4,5,6");
    pm_buf_reset(&b);
    for (int i = 0; i < FILTER_MAX_DEPTH / 2; i++)
        pm_buf_adds(&b, i % 2 ? "not (check:none and " : "not (id:9 or ");
    pm_buf_adds(&b, "sink:*");
    for (int i = 0; i < FILTER_MAX_DEPTH / 2; i++)
        pm_buf_addc(&b, ')');
    select_ids(w, b.data);
    /* and the longest chain of terms */
    pm_buf_reset(&b);
    for (int i = 0; i < FILTER_MAX_TERMS; i++)
        pm_buf_adds(&b, i % 2 ? "or id:1 " : "id:2 ");
    pm_buf_adds(&b, "");
    assert_string_equal(select_ids(w, b.data), "1,2");
    pm_buf_release(&b);
}

int
main(void)
{
    /* As the program does: the caret line measures columns with wcwidth. */
    if (setlocale(LC_ALL, "C.UTF-8") == NULL)
        setlocale(LC_ALL, "C.utf8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_filter_atoms),
        cmocka_unit_test(test_filter_combinations),
        cmocka_unit_test(test_filter_errors),
        cmocka_unit_test(test_filter_limits),
        cmocka_unit_test(test_filter_caret),
        cmocka_unit_test_setup_teardown(test_filter_selects, ws_setup,
                                        ws_teardown),
        cmocka_unit_test_setup_teardown(test_filter_deepest_runs, ws_setup,
                                        ws_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
