/*
 * har_literals.c - find the URL literals of har_literals.h in a body.
 *
 * What counts is data: the tag attributes in html_literals[] and the
 * script forms in js_literals[].  Only string literals count (a URL built
 * at run time is not seen); a literal is handed over as written, and the
 * caller resolves it against the document's URL.
 */
#include "har_literals.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* <TAG ... ATTR=value ...> whose value is a URL of the given kind; when
 * need is set, the tag must also hold that text (http-equiv="refresh"),
 * and the URL follows "url=" inside the value (meta refresh's content). */
static const struct html_literal {
    const char *tag;
    const char *attr;
    const char *need;
    enum har_lit_kind kind;
} html_literals[] = {
    {"iframe", "src", NULL, HAR_LIT_IFRAME},
    {"frame", "src", NULL, HAR_LIT_IFRAME},
    {"meta", "content", "refresh", HAR_LIT_NAV},
};

/* A script form followed by a quoted literal: a call (PREFIX'...') or an
 * assignment (PREFIX = '...').  Assignments to top.location and
 * parent.location navigate another window and are skipped. */
static const struct js_literal {
    const char *prefix;
    int assign;
    enum har_lit_kind kind;
} js_literals[] = {
    {"window.open(", 0, HAR_LIT_OPEN},
    {"location.replace(", 0, HAR_LIT_NAV},
    {"location.assign(", 0, HAR_LIT_NAV},
    {"location.href", 1, HAR_LIT_NAV},
    {"location", 1, HAR_LIT_NAV},
};

/* The value of attribute attr inside the tag [p, tag_end), or NULL. */
static const char *
attr_value(const char *p, const char *tag_end, const char *attr,
           const char **value_end)
{
    size_t alen = strlen(attr);
    for (const char *a = p; a + alen < tag_end; a++) {
        if (!isspace((unsigned char)a[-1]) || strncasecmp(a, attr, alen) != 0)
            continue;
        const char *v = a + alen;
        while (v < tag_end && isspace((unsigned char)*v))
            v++;
        if (v >= tag_end || *v != '=')
            continue;
        v++;
        while (v < tag_end && isspace((unsigned char)*v))
            v++;
        if (v < tag_end && (*v == '"' || *v == '\'')) {
            *value_end = memchr(v + 1, *v, (size_t)(tag_end - v - 1));
            return *value_end ? v + 1 : NULL;
        }
        const char *ve = v;
        while (ve < tag_end && !isspace((unsigned char)*ve))
            ve++;
        *value_end = ve;
        return v;
    }
    return NULL;
}

/* "0; url=/next" -> "/next" (quotes around the URL allowed). */
static const char *
refresh_url(const char *v, const char *ve, const char **out_end)
{
    for (const char *p = v; p + 4 <= ve; p++) {
        if (strncasecmp(p, "url", 3) != 0)
            continue;
        const char *u = p + 3;
        while (u < ve && isspace((unsigned char)*u))
            u++;
        if (u >= ve || *u != '=')
            continue;
        u++;
        while (u < ve && (isspace((unsigned char)*u) || *u == '\'' || *u == '"'))
            u++;
        const char *e = ve;
        while (e > u && (isspace((unsigned char)e[-1]) || e[-1] == '\'' ||
                         e[-1] == '"'))
            e--;
        *out_end = e;
        return u;
    }
    return NULL;
}

/* Does [p, end) hold needle, ignoring ASCII case? */
static int
holds_ci(const char *p, const char *end, const char *needle)
{
    size_t n = strlen(needle);
    for (; p + n <= end; p++)
        if (strncasecmp(p, needle, n) == 0)
            return 1;
    return 0;
}

static void
scan_html(const char *p, const char *end, har_lit_fn *fn, void *arg)
{
    while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
        p++;
        const struct html_literal *h = NULL;
        for (size_t i = 0; i < sizeof html_literals / sizeof *html_literals; i++) {
            size_t tl = strlen(html_literals[i].tag);
            if ((size_t)(end - p) > tl &&
                strncasecmp(p, html_literals[i].tag, tl) == 0 &&
                isspace((unsigned char)p[tl])) {
                h = &html_literals[i];
                break;
            }
        }
        if (h == NULL)
            continue;
        const char *tag_end = memchr(p, '>', (size_t)(end - p));
        if (tag_end == NULL)
            return;
        const char *ve, *v = attr_value(p + strlen(h->tag), tag_end, h->attr, &ve);
        if (v && h->need) {
            if (!holds_ci(p, tag_end, h->need))
                v = NULL;
            else
                v = refresh_url(v, ve, &ve);
        }
        if (v)
            fn(arg, h->kind, v, (size_t)(ve - v));
        p = tag_end;
    }
}

/* Is the match at s (in [start, ...)) a property of top or parent? */
static int
other_window(const char *start, const char *s)
{
    return (s - start >= 4 && memcmp(s - 4, "top.", 4) == 0) ||
           (s - start >= 7 && memcmp(s - 7, "parent.", 7) == 0);
}

static void
scan_js(const struct js_literal *j, const char *start, const char *end,
        har_lit_fn *fn, void *arg)
{
    size_t plen = strlen(j->prefix);
    const char *p = start;
    while ((p = memmem(p, (size_t)(end - p), j->prefix, plen)) != NULL) {
        const char *at = p;
        const char *v = p + plen;
        p = v;
        /* "location" must be the whole name: not locationX, not .href */
        if (j->assign && v < end && (isalnum((unsigned char)*v) || *v == '_' ||
                                     *v == '.'))
            continue;
        if (at > start && (isalnum((unsigned char)at[-1]) || at[-1] == '_'))
            continue;
        if (other_window(start, at))
            continue;
        while (v < end && isspace((unsigned char)*v))
            v++;
        if (j->assign) {
            if (v + 1 >= end || *v != '=' || v[1] == '=')
                continue;
            v++;
            while (v < end && isspace((unsigned char)*v))
                v++;
        }
        if (v >= end || (*v != '"' && *v != '\'' && *v != '`'))
            continue;
        char q = *v++;
        const char *ve = v;
        while (ve < end && *ve != q && *ve != '\\' && *ve != '\n' &&
               !(q == '`' && *ve == '$'))
            ve++;
        if (ve < end && *ve == q)
            fn(arg, j->kind, v, (size_t)(ve - v));
    }
}

void
har_literals_scan(const char *body, size_t n, int html, har_lit_fn *fn,
                  void *arg)
{
    const char *end = body + n;
    if (html)
        scan_html(body, end, fn, arg);
    for (size_t i = 0; i < sizeof js_literals / sizeof *js_literals; i++)
        scan_js(&js_literals[i], body, end, fn, arg);
}
