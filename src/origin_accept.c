/*
 * origin_accept.c - the evaluator of origin_accept.h.
 *
 * The check text is the expression analysis stored (classify.c), e.g.
 * `e.origin.indexOf('http://127.0.0.1') > -1` or
 * `/localhost:8102/.test(event.origin)`.  It is not parsed as JavaScript:
 * only its string and regex literals are read, and the class says how the
 * origin is tested against them.  That is enough for the shapes the
 * classifier reports; a check whose operands are not in its text
 * (`e.origin === cfg.origin`) stays unknown rather than guessed.
 *
 * JavaScript regexes run through POSIX <regex.h>: escapes (\d \w \s \/,
 * escaped punctuation) and (?:...) are translated, lazy quantifiers lose
 * their '?' (a match exists or not either way), and what POSIX lacks
 * (lookaround, backreferences, \b) makes the verdict unknown.  The pattern
 * passes regex_guard before regcomp, as the filter's regexes do.
 */
#include "origin_accept.h"

#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "origin.h"
#include "regex_guard.h"
#include "vocab.h"

#define LIT_MAX 8   /* literals read from one check */
#define LIT_LEN 256 /* longest literal kept */

struct lit {
    int is_regex;
    int icase;              /* regex flag i */
    int subject_is_literal; /* 'lit'.indexOf(origin): the literal holds the origin */
    char text[LIT_LEN];     /* string value, or the regex source */
};

struct lits {
    struct lit v[LIT_MAX];
    int n;
};

const char *
accept_name(enum pm_accept a)
{
    return a == PM_ACCEPT_YES ? "accepted" : a == PM_ACCEPT_NO ? "rejected"
                                                               : "unknown";
}

/* A '/' at p starts a regex literal (not a division) given the text before. */
static int
regex_can_start(const char *s, const char *p)
{
    while (p > s && isspace((unsigned char)p[-1]))
        p--;
    if (p == s)
        return 1;
    char c = p[-1];
    return strchr("(,=!&|?:;[{}+-*%<>~^", c) != NULL;
}

/* Read one quoted string starting at *pp (the quote); advances past it. */
static void
read_string(const char **pp, struct lit *l)
{
    const char *p = *pp;
    char q = *p++;
    size_t n = 0;
    while (*p && *p != q) {
        char c = *p++;
        if (c == '\\' && *p)
            c = *p++;
        if (n + 1 < sizeof l->text)
            l->text[n++] = c;
    }
    l->text[n] = '\0';
    *pp = *p ? p + 1 : p;
}

/* Read one regex literal starting at *pp (the '/'); advances past flags. */
static void
read_regex(const char **pp, struct lit *l)
{
    const char *p = *pp + 1;
    size_t n = 0;
    int in_class = 0;
    while (*p && (*p != '/' || in_class)) {
        if (*p == '\\' && p[1]) {
            if (n + 2 < sizeof l->text) {
                l->text[n++] = p[0];
                l->text[n++] = p[1];
            }
            p += 2;
            continue;
        }
        if (*p == '[')
            in_class = 1;
        else if (*p == ']')
            in_class = 0;
        if (n + 1 < sizeof l->text)
            l->text[n++] = *p;
        p++;
    }
    l->text[n] = '\0';
    if (*p == '/')
        p++;
    while (isalpha((unsigned char)*p)) {
        if (*p == 'i')
            l->icase = 1;
        p++;
    }
    l->is_regex = 1;
    *pp = p;
}

/* The string and regex literals of a check text, in order. */
static void
read_lits(const char *expr, struct lits *out)
{
    memset(out, 0, sizeof *out);
    for (const char *p = expr; p && *p && out->n < LIT_MAX;) {
        if (*p == '\'' || *p == '"' || *p == '`') {
            struct lit *l = &out->v[out->n++];
            read_string(&p, l);
            /* 'https://a.example'.indexOf(e.origin) */
            l->subject_is_literal = strncmp(p, ".indexOf(", 9) == 0 ||
                                    strncmp(p, ".includes(", 10) == 0;
        } else if (*p == '/' && p[1] != '/' && p[1] != '*' &&
                   regex_can_start(expr, p)) {
            read_regex(&p, &out->v[out->n++]);
        } else {
            p++;
        }
    }
}

/*
 * Translate a JavaScript regex source into a POSIX ERE; 0 on success, -1
 * (with *why) for what POSIX cannot say.
 */
static int
js_regex_to_ere(const char *js, struct pm_buf *ere, const char **why)
{
    int in_class = 0;
    for (const char *p = js; *p; p++) {
        if (*p == '\\' && p[1]) {
            char c = *++p;
            if (c == 'd')
                pm_buf_adds(ere, in_class ? "0-9" : "[0-9]");
            else if (c == 'w')
                pm_buf_adds(ere, in_class ? "A-Za-z0-9_" : "[A-Za-z0-9_]");
            else if (c == 's')
                pm_buf_adds(ere, in_class ? "[:space:]" : "[[:space:]]");
            else if (isalnum((unsigned char)c)) {
                *why = "the regex uses an escape POSIX lacks";
                return -1;
            } else if (in_class) {
                if (c == ']' || c == '\\' || c == '^' || c == '-') {
                    *why = "the regex escapes a bracket's special character";
                    return -1;
                }
                pm_buf_addc(ere, c);
            } else if (strchr(".[]()*+?{}|^$\\", c)) {
                pm_buf_addc(ere, '\\');
                pm_buf_addc(ere, c);
            } else {
                pm_buf_addc(ere, c);
            }
            continue;
        }
        if (in_class) {
            if (*p == ']')
                in_class = 0;
            pm_buf_addc(ere, *p);
            continue;
        }
        if (*p == '[') {
            in_class = 1;
            pm_buf_addc(ere, '[');
            if (p[1] == '^')
                pm_buf_addc(ere, *++p);
            if (p[1] == ']')
                pm_buf_addc(ere, *++p);
            continue;
        }
        if (*p == '(' && p[1] == '?') {
            if (p[2] != ':') {
                *why = "the regex uses lookaround";
                return -1;
            }
            pm_buf_addc(ere, '(');
            p += 2;
            continue;
        }
        if (*p == '?' && p > js && strchr("*+?}", p[-1]) && p[-2] != '\\')
            continue; /* lazy quantifier */
        pm_buf_addc(ere, *p);
    }
    return in_class ? (*why = "the regex has an unclosed bracket", -1) : 0;
}

/* Run a JavaScript regex over s: 1 match, 0 none, -1 unknown (*why). */
static int
regex_test(const char *js, int icase, const char *s, const char **why)
{
    struct pm_buf ere;
    pm_buf_init(&ere);
    pm_buf_adds(&ere, "");
    int out = -1;
    size_t at;
    const char *costly;
    if (js_regex_to_ere(js, &ere, why) == 0) {
        regex_t rx;
        if (regex_guard(ere.data, &at, &costly) != 0)
            *why = "the regex is too costly to run";
        else if (regcomp(&rx, ere.data,
                         REG_EXTENDED | REG_NOSUB | (icase ? REG_ICASE : 0)) != 0)
            *why = "the regex does not compile as POSIX";
        else {
            out = regexec(&rx, s, 0, NULL, 0) == 0;
            regfree(&rx);
        }
    }
    pm_buf_release(&ere);
    return out;
}

/* The text of a JavaScript string taken as a regex source (search, match). */
static void
string_as_regex(const char *str, char *out, size_t outsz)
{
    snprintf(out, outsz, "%s", str);
}

static enum pm_accept
say(enum pm_accept a, char *why, size_t whysz, const char *fmt, const char *arg)
{
    if (why && whysz)
        snprintf(why, whysz, fmt, arg ? arg : "");
    return a;
}

static int
ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* strict: equal to a string literal, or matched by an (anchored) regex. */
static enum pm_accept
judge_strict(const struct lits *ls, const char *origin, char *why, size_t whysz)
{
    int strings = 0;
    for (int i = 0; i < ls->n; i++) {
        const struct lit *l = &ls->v[i];
        if (l->is_regex) {
            const char *bad = NULL;
            int m = regex_test(l->text, l->icase, origin, &bad);
            if (m < 0)
                return say(PM_ACCEPT_UNKNOWN, why, whysz, "%s", bad);
            if (m)
                return say(PM_ACCEPT_YES, why, whysz, "matches /%s/", l->text);
            continue;
        }
        strings++;
        if (strcmp(l->text, origin) == 0)
            return say(PM_ACCEPT_YES, why, whysz, "equals '%s'", l->text);
        /* startsWith('https://a.example/') on origin + '/' */
        size_t n = strlen(origin);
        if (ends_with(l->text, "/") && strncmp(l->text, origin, n) == 0 &&
            l->text[n] == '/' && l->text[n + 1] == '\0')
            return say(PM_ACCEPT_YES, why, whysz, "equals '%s'", l->text);
    }
    if (ls->n == 0)
        return say(PM_ACCEPT_UNKNOWN, why, whysz,
                   "compares with a value the check does not spell out%s", NULL);
    if (strings == 1 && ls->n == 1)
        return say(PM_ACCEPT_NO, why, whysz, "is not '%s'", ls->v[0].text);
    return say(PM_ACCEPT_NO, why, whysz, "is none of the %s origins listed",
               strings == ls->n ? "exact" : "exact or matched");
}

/* A test of the origin against each string literal (prefix, suffix, ...). */
static enum pm_accept
judge_strings(enum pm_check_kind k, const struct lits *ls, const char *origin,
              char *why, size_t whysz)
{
    int strings = 0;
    for (int i = 0; i < ls->n; i++) {
        const struct lit *l = &ls->v[i];
        if (l->is_regex)
            continue;
        strings++;
        int pass;
        const char *fmt;
        if (k == PM_CHECK_STARTSWITH) {
            pass = strncmp(origin, l->text, strlen(l->text)) == 0;
            fmt = pass ? "starts with '%s'" : "does not start with '%s'";
        } else if (k == PM_CHECK_ENDSWITH) {
            pass = ends_with(origin, l->text);
            fmt = pass ? "ends with '%s'" : "does not end with '%s'";
        } else if (l->subject_is_literal) {
            pass = strstr(l->text, origin) != NULL;
            fmt = pass ? "is part of '%s'" : "is not part of '%s'";
        } else {
            pass = strstr(origin, l->text) != NULL;
            fmt = pass ? "contains '%s'" : "does not contain '%s'";
        }
        if (pass)
            return say(PM_ACCEPT_YES, why, whysz, fmt, l->text);
        if (ls->n == 1)
            return say(PM_ACCEPT_NO, why, whysz, fmt, l->text);
    }
    if (strings == 0)
        return say(PM_ACCEPT_UNKNOWN, why, whysz,
                   "tests against a value the check does not spell out%s", NULL);
    return say(PM_ACCEPT_NO, why, whysz, "passes none of its %s tests",
               check_kind_name(k));
}

/* regex-unanchored, search, match: the first regex (or string taken as one). */
static enum pm_accept
judge_regex(enum pm_check_kind k, const struct lits *ls, const char *origin,
            char *why, size_t whysz)
{
    for (int i = 0; i < ls->n; i++) {
        const struct lit *l = &ls->v[i];
        if (!l->is_regex && k == PM_CHECK_REGEX)
            continue;
        char src[LIT_LEN];
        if (l->is_regex)
            snprintf(src, sizeof src, "%s", l->text);
        else
            string_as_regex(l->text, src, sizeof src);
        const char *bad = NULL;
        int m = regex_test(src, l->icase, origin, &bad);
        if (m < 0)
            return say(PM_ACCEPT_UNKNOWN, why, whysz, "%s", bad);
        return say(m ? PM_ACCEPT_YES : PM_ACCEPT_NO, why, whysz,
                   m ? "matches /%s/" : "does not match /%s/", src);
    }
    return say(PM_ACCEPT_UNKNOWN, why, whysz,
               "the regex is not a literal in the check%s", NULL);
}

enum pm_accept
origin_accept(const char *check_kind, const char *check_expr,
              const char *origin, char *why, size_t whysz)
{
    int k = check_kind ? check_kind_parse(check_kind) : -1;
    if (k < 0)
        return say(PM_ACCEPT_UNKNOWN, why, whysz, "not analysed%s", NULL);
    if (origin == NULL)
        return say(PM_ACCEPT_UNKNOWN, why, whysz, "the sender origin is not known%s",
                   NULL);
    if (k == PM_CHECK_NONE)
        return say(PM_ACCEPT_YES, why, whysz, "no origin check%s", NULL);
    if (k == PM_CHECK_SOURCE)
        return say(PM_ACCEPT_YES, why, whysz,
                   "only event.source is compared, not the origin%s", NULL);
    if (k == PM_CHECK_UNKNOWN)
        return say(PM_ACCEPT_UNKNOWN, why, whysz, "the check could not be judged%s",
                   NULL);
    struct lits ls;
    read_lits(check_expr, &ls);
    switch ((enum pm_check_kind)k) {
    case PM_CHECK_STRICT:
        return judge_strict(&ls, origin, why, whysz);
    case PM_CHECK_INDEXOF:
    case PM_CHECK_INCLUDES:
    case PM_CHECK_STARTSWITH:
    case PM_CHECK_ENDSWITH:
        return judge_strings((enum pm_check_kind)k, &ls, origin, why, whysz);
    case PM_CHECK_REGEX:
    case PM_CHECK_SEARCH:
    case PM_CHECK_MATCH:
        return judge_regex((enum pm_check_kind)k, &ls, origin, why, whysz);
    default:
        return say(PM_ACCEPT_UNKNOWN, why, whysz, "the check could not be judged%s",
                   NULL);
    }
}

/* ---- a foreign origin that passes ----------------------------------------- */

/*
 * Scheme, host and port a literal names: "http://127.0.0.1" -> http,
 * 127.0.0.1, ""; "localhost:8102" -> https, localhost, ":8102"; regex
 * sources lose their escapes and anchors first.
 */
static void
lit_parts(const struct lit *l, char *scheme, char *host, char *port, size_t sz)
{
    char t[LIT_LEN];
    size_t n = 0;
    for (const char *p = l->text; *p && n + 1 < sizeof t; p++) {
        if (l->is_regex && (*p == '\\' || *p == '^' || *p == '$'))
            continue;
        t[n++] = *p;
    }
    t[n] = '\0';
    const char *h = strstr(t, "://");
    if (h) {
        snprintf(scheme, sz, "%.*s", (int)(h - t), t);
        h += 3;
    } else {
        snprintf(scheme, sz, "https");
        h = t;
    }
    size_t hl = strcspn(h, ":/");
    snprintf(host, sz, "%.*s", (int)hl, h);
    port[0] = '\0';
    if (h[hl] == ':')
        snprintf(port, sz, "%.*s", (int)(1 + strspn(h + hl + 1, "0123456789")),
                 h + hl);
}

/*
 * cand is an origin an attacker can hold: scheme://host[:port] with a
 * lower-case DNS name of two labels or more (a single label such as
 * `evillocalhost` is no one's to register) whose last label is not a
 * number (a host ending in a number is an IPv4 address, WHATWG URL's
 * "ends in a number").
 */
static int
valid_origin(const char *cand)
{
    const char *h = strstr(cand, "://");
    if (h == NULL || h == cand)
        return 0;
    h += 3;
    const char *label = h, *p = h;
    for (; *p && *p != ':'; p++) {
        if (*p == '.') {
            if (p == label)
                return 0;
            label = p + 1;
        } else if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) &&
                   *p != '-') {
            return 0;
        }
    }
    if (p == label || label == h ||
        strspn(label, "0123456789") == (size_t)(p - label))
        return 0;
    if (*p == ':')
        return p[1] && strspn(p + 1, "0123456789") == strlen(p + 1);
    return 1;
}

int
origin_accept_foreign(const char *check_kind, const char *check_expr,
                      char *out, size_t outsz)
{
    struct lits ls;
    read_lits(check_expr, &ls);
    char scheme[64], host[LIT_LEN], port[16];
    char own[2 * LIT_LEN], cand[2 * LIT_LEN];
    for (int i = -1; i < ls.n; i++) {
        const char *shapes[] = {"%s://%s.evil.example%s", "%s://evil%s%s",
                                "%s://%s.evil.example"};
        int nshapes = 3;
        if (i < 0) {
            snprintf(cand, sizeof cand, "https://evil.example");
            snprintf(own, sizeof own, "https://evil.example.invalid");
            nshapes = 1;
        } else {
            lit_parts(&ls.v[i], scheme, host, port, sizeof host);
            if (host[0] == '\0' || strcspn(scheme, "()|[]*+?") != strlen(scheme) ||
                strcspn(host, "()|[]*+?{}") != strlen(host))
                continue;
            snprintf(own, sizeof own, "%s://%s", scheme, host);
        }
        for (int j = 0; j < nshapes; j++) {
            if (i >= 0)
                snprintf(cand, sizeof cand, shapes[j], scheme, host, port);
            if (!valid_origin(cand) || (i >= 0 && origin_same_site(cand, own)))
                continue;
            if (origin_accept(check_kind, check_expr, cand, NULL, 0) ==
                PM_ACCEPT_YES) {
                snprintf(out, outsz, "%s", cand);
                return 1;
            }
        }
    }
    return 0;
}
