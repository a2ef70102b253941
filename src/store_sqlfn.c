/*
 * store_sqlfn.c - the SQL functions every workspace connection has:
 *
 *   regexp(PATTERN, TEXT)  the filter's data~/re/ term: POSIX extended,
 *                          case-insensitive, compiled once per statement
 *                          (SQLite auxdata)
 *   pm_preview(JSON)       the one-line preview of a message's data that
 *                          list views show (store_message_preview)
 *
 * Why regexp has two compiled forms: under a UTF-8 locale glibc's matcher
 * folds case through towupper for every character of every message, which
 * made a regex that matches nothing 2.8 times slower over 1 M messages
 * than under the C locale.  When the pattern and a message are both pure
 * ASCII the two locales give the same answer (every character is one
 * byte, classes and case folding agree on ASCII), so such a message is
 * matched by a copy of the pattern compiled in the C locale, selected per
 * thread with uselocale(); any other message goes to the copy compiled in
 * the user's locale, as before.
 *
 * Why previews are computed: the preview of a small message is cheaper to
 * make from its data when a list shows it than to store beside the data
 * (it was a near-copy of every message, 19 % of a 1 M-message workspace),
 * so the store keeps one only for data over STORE_PREVIEW_STORED_MIN
 * bytes, whose reading would cost more than the preview.
 */
#include <locale.h>
#include <regex.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "store_int.h"

struct sql_regex {
    regex_t user;      /* compiled in the caller's locale */
    regex_t ascii;     /* compiled in the C locale; valid when has_ascii */
    int has_ascii;
    locale_t c_locale;
};

static int
is_ascii(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    uint64_t acc = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        acc |= w;
    }
    for (; i < n; i++)
        acc |= p[i];
    return (acc & 0x8080808080808080ULL) == 0;
}

static void
sql_regex_free(void *p)
{
    struct sql_regex *r = p;
    regfree(&r->user);
    if (r->has_ascii) {
        regfree(&r->ascii);
        freelocale(r->c_locale);
    }
    free(r);
}

static struct sql_regex *
sql_regex_compile(const char *pat)
{
    struct sql_regex *r = xcalloc(1, sizeof *r);
    const int flags = REG_EXTENDED | REG_ICASE | REG_NOSUB;
    if (regcomp(&r->user, pat, flags) != 0) {
        free(r);
        return NULL;
    }
    if (!is_ascii(pat, strlen(pat)))
        return r;
    r->c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (r->c_locale == (locale_t)0)
        return r;
    locale_t old = uselocale(r->c_locale);
    r->has_ascii = regcomp(&r->ascii, pat, flags) == 0;
    uselocale(old);
    if (!r->has_ascii)
        freelocale(r->c_locale);
    return r;
}

static void
sql_regexp(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *text = (const char *)sqlite3_value_text(argv[1]);
    if (text == NULL) {
        sqlite3_result_int(ctx, 0);
        return;
    }
    int len = sqlite3_value_bytes(argv[1]);
    struct sql_regex *re = sqlite3_get_auxdata(ctx, 0);
    if (re == NULL) {
        const char *pat = (const char *)sqlite3_value_text(argv[0]);
        if (pat == NULL) {
            sqlite3_result_int(ctx, 0);
            return;
        }
        re = sql_regex_compile(pat);
        if (re == NULL) {
            sqlite3_result_error(ctx, "invalid regular expression", -1);
            return;
        }
        sqlite3_set_auxdata(ctx, 0, re, sql_regex_free);
        re = sqlite3_get_auxdata(ctx, 0);
        if (re == NULL) {
            sqlite3_result_error_nomem(ctx);
            return;
        }
    }
    int hit;
    if (re->has_ascii && is_ascii(text, (size_t)len)) {
        locale_t old = uselocale(re->c_locale);
        hit = regexec(&re->ascii, text, 0, NULL, 0) == 0;
        uselocale(old);
    } else {
        hit = regexec(&re->user, text, 0, NULL, 0) == 0;
    }
    sqlite3_result_int(ctx, hit);
}

void
store_message_preview(const char *json, char *out, size_t outsz)
{
    size_t o = 0;
    int space = 0;
    for (const unsigned char *p = (const unsigned char *)json; *p; p++) {
        if (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t') {
            space = 1;
            continue;
        }
        if (space && o > 0 && o + 1 < outsz) {
            out[o++] = ' ';
        }
        space = 0;
        if (o + 1 >= outsz)
            break;
        out[o++] = (char)*p;
    }
    /* Do not leave half a UTF-8 sequence at the end. */
    while (o > 0 && ((unsigned char)out[o - 1] & 0xC0) == 0x80)
        o--;
    if (o > 0 && ((unsigned char)out[o - 1] & 0xC0) == 0xC0)
        o--;
    out[o] = '\0';
}

static void
sql_preview(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *json = (const char *)sqlite3_value_text(argv[0]);
    if (json == NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    char out[STORE_PREVIEW_MAX + 1];
    store_message_preview(json, out, sizeof out);
    sqlite3_result_text(ctx, out, -1, SQLITE_TRANSIENT);
}

int
store_register_functions(sqlite3 *db)
{
    const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
    int rc = sqlite3_create_function(db, "regexp", 2, flags, NULL, sql_regexp,
                                     NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "pm_preview", 1, flags, NULL,
                                     sql_preview, NULL, NULL);
    return rc;
}
