/*
 * export_poc.c - the proof-of-concept page of a finding whose listener's
 * origin check is missing or flawed: it frames the receiver (or opens it
 * when framing is forbidden) and posts the recorded message shape, from an
 * origin the check lets through when one can be derived.
 *
 * Everything from the input that reaches the page is either escaped for
 * its context (html_escape, js_string_literal, json_for_script) or made of
 * a restricted alphabet (the passing origin).  The target itself must be
 * an http(s) URL: any other scheme gets no page and a reason instead
 * (poc_target_refusal).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "export_int.h"
#include "md_escape.h"
#include "mem.h"

/* Checks that let another origin through (DESIGN.md, analysis). */
static int
check_is_flawed(const char *kind)
{
    static const char *const flawed[] = {
        "none", "indexOf", "includes", "regex-unanchored", "startsWith",
        "endsWith", "search", "match", "search/match", "source", NULL,
    };
    if (kind == NULL)
        return 0;
    for (int i = 0; flawed[i]; i++)
        if (strcmp(kind, flawed[i]) == 0)
            return 1;
    return 0;
}

/* 1 when X-Frame-Options or CSP frame-ancestors keep other sites out. */
static int
framing_forbidden(const struct rep_window *w)
{
    if (w->xfo && w->xfo[0])
        return 1;
    if (w->csp) {
        const char *fa = strstr(w->csp, "frame-ancestors");
        if (fa) {
            size_t n = strcspn(fa, ";");
            const char *star = strchr(fa, '*');
            if (star == NULL || (size_t)(star - fa) >= n)
                return 1;
        }
    }
    return 0;
}

/*
 * The literal a check compares event.origin with, as written at p:
 * "[scheme://]host[:port]", lower-cased, backslashes (regex escapes)
 * dropped; a leading '^' sets *anchored (2 when a '$' ends the regex
 * right after the literal).  Only [a-z0-9.:/-] are kept.
 * *free_dot gets the index in lit of the first '.' written without a
 * backslash when the literal is a whole regex ending in "$/" (any
 * character matches there), else (size_t)-1.
 */
static size_t
poc_check_literal(const char *p, char *lit, size_t litsz, int *anchored,
                  size_t *free_dot)
{
    size_t ln = 0, dot = (size_t)-1;
    *free_dot = (size_t)-1;
    *anchored = *p == '^';
    if (*anchored)
        p++;
    for (; *p && ln + 1 < litsz; p++) {
        char c = (char)tolower((unsigned char)*p);
        if (c == '\\') {
            if (p[1] == '.' && ln + 1 < litsz) { /* an escaped dot is a dot */
                lit[ln++] = '.';
                p++;
            }
            continue;
        }
        if (c == '.' && dot == (size_t)-1)
            dot = ln;
        if (c == '/' && !(ln > 0 && (lit[ln - 1] == ':' ||
                                     (lit[ln - 1] == '/' && ln > 1 &&
                                      lit[ln - 2] == ':'))))
            break;
        if (!(isalnum((unsigned char)c) || c == '.' || c == '-' || c == ':' ||
              c == '/'))
            break;
        lit[ln++] = c;
    }
    lit[ln] = '\0';
    if (*anchored && p[0] == '$' && p[1] == '/') {
        *anchored = 2; /* ^...$: the whole origin */
        *free_dot = dot;
    }
    return ln;
}

/* 1 when origin passes a check of kind against the literal lit. */
static int
poc_origin_passes(const char *kind, const char *lit, int anchored,
                  const char *origin)
{
    size_t ol = strlen(origin), ll = strlen(lit);
    if (anchored == 2)
        return strcmp(origin, lit) == 0;
    if (strcmp(kind, "startsWith") == 0 || anchored)
        return strncmp(origin, lit, ll) == 0;
    if (strcmp(kind, "endsWith") == 0)
        return ol >= ll && strcmp(origin + ol - ll, lit) == 0;
    return strstr(origin, lit) != NULL;
}

/*
 * An origin that passes a flawed check on the trusted host in the check
 * expression: "a.example" under indexOf/includes/startsWith/regex becomes
 * https://a.example.attacker.example, under endsWith (or with a port)
 * https://attacker-a.example; a scheme in the literal is kept.  The
 * candidate is checked against the literal, so a check that no other
 * origin can pass yields none.  An anchored regex that is a literal with
 * an unescaped dot in its host (/^https:\/\/www.a.example$/) is passed by
 * the same origin with an 'x' for that dot (https://wwwxa.example).  Only [a-z0-9.:/-] from the expression are
 * used, so nothing from the input reaches the page unescaped.  NULL when
 * the expression names no host or no candidate passes.
 */
static char *
poc_passing_origin(const char *kind, const char *expr)
{
    if (expr == NULL || kind == NULL || strcmp(kind, "none") == 0 ||
        strcmp(kind, "source") == 0)
        return NULL;
    const char *p = expr;
    while ((p = strpbrk(p, "'\"`/")) != NULL) {
        p++;
        char lit[160];
        int anchored = 0;
        size_t free_dot;
        if (poc_check_literal(p, lit, sizeof lit, &anchored, &free_dot) == 0)
            continue;
        const char *sep = strstr(lit, "://");
        const char *host = sep ? sep + 3 : lit;
        if (sep && strncmp(lit, "http://", 7) != 0 &&
            strncmp(lit, "https://", 8) != 0)
            continue;
        const char *port = strchr(host, ':');
        size_t hl = port ? (size_t)(port - host) : strlen(host);
        if (hl < 4 || host[hl - 1] == '.' || memchr(host, '/', hl) != NULL ||
            (memchr(host, '.', hl) == NULL &&
             !(hl == 9 && memcmp(host, "localhost", 9) == 0)))
            continue;
        char scheme[16];
        snprintf(scheme, sizeof scheme, "%.*s",
                 sep ? (int)(sep - lit + 3) : 8, sep ? lit : "https://");
        char cand[2][400];
        int ends = strcmp(kind, "endsWith") == 0;
        snprintf(cand[ends], sizeof cand[0], "%s%.*s.attacker.example", scheme,
                 (int)hl, host);
        snprintf(cand[!ends], sizeof cand[0], "%sattacker-%s", scheme, host);
        for (int i = 0; i < 2; i++) {
            if (i == ends && port)
                continue; /* a port cannot sit inside a host name */
            /* "attacker-127.0.0.1" ends in a number: URL parsers take it
             * for a broken IPv4 address, so no such origin exists. */
            if (i != ends && isdigit((unsigned char)host[hl - 1]))
                continue;
            if (poc_origin_passes(kind, lit, anchored, cand[i]))
                return xstrdup(cand[i]);
        }
        /* /^https:\/\/www.a.example$/: the unescaped dot matches any character */
        if (strcmp(kind, "regex-unanchored") == 0 && free_dot != (size_t)-1 &&
            lit + free_dot > host && lit + free_dot < host + hl - 1) {
            char odd[400];
            snprintf(odd, sizeof odd, "%s", lit);
            odd[free_dot] = 'x';
            return xstrdup(odd);
        }
    }
    return NULL;
}

/* data JSON made safe inside <script>: < > & U+2028 U+2029 as \u escapes
 * (they can only occur inside JSON strings, where \u is equivalent). */
static void
json_for_script(struct pm_buf *out, const char *json)
{
    for (const char *p = json; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '<' || c == '>' || c == '&')
            pm_buf_addf(out, "\\u%04x", c);
        else if (c == 0xE2 && (unsigned char)p[1] == 0x80 &&
                 ((unsigned char)p[2] == 0xA8 || (unsigned char)p[2] == 0xA9)) {
            pm_buf_addf(out, "\\u%04x", (unsigned char)p[2] == 0xA8 ? 0x2028
                                                                     : 0x2029);
            p += 2;
        } else
            pm_buf_addc(out, (char)c);
    }
}

/*
 * Why the receiver at url gets no proof of concept, or NULL when it may
 * have one.  The page frames or opens its target from the origin the
 * analyst serves it from, so only an http(s) URL is a target: a
 * javascript: or vbscript: URL from the input would run its code in that
 * origin, a data:, blob: or file: URL would load content the input chose
 * (or a local file) instead of the receiver.  The scheme is named only
 * when it is one (letters, digits, + . -), so the reason holds nothing
 * else from the input.
 */
static char *
poc_target_refusal(const char *url)
{
    if (strncasecmp(url, "http://", 7) == 0 ||
        strncasecmp(url, "https://", 8) == 0)
        return NULL;
    size_t n = strcspn(url, ":");
    int scheme = url[n] == ':' && n > 0 && n <= 16 &&
                 isalpha((unsigned char)url[0]);
    for (size_t i = 0; scheme && i < n; i++)
        if (!isalnum((unsigned char)url[i]) && !strchr("+.-", url[i]))
            scheme = 0;
    struct pm_buf b;
    pm_buf_init(&b);
    pm_buf_adds(&b, "the receiver's URL is ");
    if (scheme) {
        pm_buf_adds(&b, "a ");
        for (size_t i = 0; i < n; i++)
            pm_buf_addc(&b, (char)tolower((unsigned char)url[i]));
        pm_buf_adds(&b, ": URL");
    } else {
        pm_buf_adds(&b, "not an absolute URL");
    }
    pm_buf_adds(&b, ", not http or https: a page framing or opening it "
                    "would run or load what the input chose in the origin "
                    "the page is served from");
    return pm_buf_detach(&b);
}

void
export_build_poc(struct rep_finding *f, const struct rep_window *receiver)
{
    if (f->listener == NULL || !check_is_flawed(f->listener->check_kind) ||
        receiver == NULL || receiver->url == NULL ||
        (receiver->kind && strcmp(receiver->kind, "worker") == 0))
        return;
    f->poc_omitted = poc_target_refusal(receiver->url);
    if (f->poc_omitted)
        return;
    int popup = framing_forbidden(receiver);
    f->poc_how = popup ? "window.open" : "iframe";
    f->poc_origin = poc_passing_origin(f->listener->check_kind,
                                       f->listener->check_expr);
    const struct rep_message *ev = f->evidence;
    struct pm_buf b;
    pm_buf_init(&b);
    pm_buf_addf(&b,
                "<!doctype html>\n"
                "<meta charset=\"utf-8\">\n"
                "<title>pmscope proof of concept: finding %lld</title>\n"
                "<h1>Proof of concept: finding %lld</h1>\n"
                "<p>Serve this page from an origin the receiver must not "
                "trust",
                (long long)f->id, (long long)f->id);
    if (f->poc_origin) {
        pm_buf_adds(&b, ", e.g. <code>");
        html_escape(&b, f->poc_origin);
        pm_buf_adds(&b, "</code>");
    }
    pm_buf_adds(&b, ". It ");
    pm_buf_adds(&b, popup ? "opens" : "frames");
    pm_buf_adds(&b, " <code>");
    html_escape(&b, receiver->url);
    pm_buf_adds(&b,
                "</code> and sends it the message shape recorded as "
                "evidence. Values shown as [redacted] must be filled in.</p>\n"
                "<script>\n"
                "const target = ");
    js_string_literal(&b, receiver->url);
    pm_buf_adds(&b, ";\nconst data = ");
    if (ev == NULL)
        pm_buf_adds(&b, "{}");
    else if (ev->data_is_json)
        json_for_script(&b, ev->data_compact);
    else
        js_string_literal(&b, ev->data_compact);
    pm_buf_adds(&b, ";\n");
    if (popup)
        pm_buf_adds(&b,
                    "// The receiver refuses to be framed: open it instead.\n"
                    "let w = null;\n"
                    "document.body.insertAdjacentHTML('beforeend',"
                    " '<button id=\"go\">open receiver</button>');\n"
                    "document.getElementById('go').onclick = () => {\n"
                    "  w = window.open(target, 'pmscope_poc');\n"
                    "  let n = 0;\n"
                    "  const t = setInterval(() => {\n"
                    "    w.postMessage(data, '*');\n"
                    "    if (++n === 10) clearInterval(t);\n"
                    "  }, 500);\n"
                    "};\n");
    else
        pm_buf_adds(&b,
                    "const f = document.createElement('iframe');\n"
                    "f.src = target;\n"
                    "f.width = 800;\n"
                    "f.height = 600;\n"
                    "f.onload = () => f.contentWindow.postMessage(data, '*');\n"
                    "document.body.appendChild(f);\n");
    pm_buf_adds(&b,
                "window.addEventListener('message', (e) => {\n"
                "  const p = document.createElement('pre');\n"
                "  p.textContent = 'reply from ' + e.origin + ': ' +"
                " JSON.stringify(e.data);\n"
                "  document.body.appendChild(p);\n"
                "});\n"
                "</script>\n");
    f->poc = pm_buf_detach(&b);
}
