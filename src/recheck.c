/*
 * recheck.c - re-check findings against what their URLs serve now.
 *
 * The findings are read first (their subjects' document URL, framing
 * headers, listener script URL and handler code, copied out of the store),
 * every distinct http(s) URL is fetched once with bounded concurrency
 * (fetch_many), and each finding is judged from the fetched bodies and
 * headers:
 *
 * - an answer is only evidence when it is what was recorded, served now:
 *   a 2xx response from the URL's own origin (redirects within it are
 *   fine; one that passed through another origin is a login page or a
 *   parking page, not the script), not empty, and for a listener script a
 *   script (a JavaScript Content-Type, or none or text/plain with a body
 *   that is not HTML or binary), or an HTML page when the listener was in
 *   one.  Anything else is "inconclusive", with the reason;
 * - a listener script is scanned with the same analysis the importers use
 *   (analyze_script; inline scripts when the script URL serves HTML).  The
 *   handler counts as still there when a scanned handler has the recorded
 *   code's hash or the recorded code occurs verbatim in the body;
 * - a document's X-Frame-Options and CSP frame-ancestors are compared with
 *   the recorded ones.
 *
 * The outcomes are written in one transaction after all transfers ended.
 */
#include "recheck.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "analyze.h"
#include "mem.h"
#include "sha256.h"

#define RECHECK_MAX_FINDINGS 100000

/* One finding with owned copies of what the store said about it. */
struct rc_target {
    int64_t finding_id, subject_id, listener_id;
    char *subject_kind, *title, *doc_url, *xfo, *csp;
    char *script_url, *code, *code_hash, *check_kind;
    char *doc_shown, *script_shown; /* the URLs as printed (url_shown) */
    int script_is_html;       /* the listener was in an HTML page */
    long doc_job, script_job; /* index in the job list, -1 = none */
};

struct rc_state {
    struct rc_target *t;
    size_t n, cap;
    struct fetch_job *jobs;
    size_t njobs, capjobs;
    long *slots; /* open-addressing URL -> job index */
    size_t nslots;
    int too_many;
};

static char *
dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

/*
 * A recorded URL as the re-check prints and stores it: like an imported
 * URL, without user name, password, query and fragment (they carry
 * credentials and tokens); NULL stays NULL.
 */
static char *
url_shown(const char *url)
{
    char shown[FETCH_URL_MAX];
    struct pm_err e = PM_ERR_INIT;
    if (url == NULL)
        return NULL;
    return xstrdup(fetch_display_url(url, shown, &e) == PM_OK ? shown : url);
}

static int
collect_target(const struct pm_recheck_target *t, void *arg)
{
    struct rc_state *s = arg;
    if (s->n >= RECHECK_MAX_FINDINGS) {
        s->too_many = 1;
        return 1;
    }
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        s->t = xrealloc(s->t, s->cap * sizeof *s->t);
    }
    struct rc_target *r = &s->t[s->n++];
    r->finding_id = t->finding_id;
    r->subject_id = t->subject_id;
    r->listener_id = t->listener_id;
    r->subject_kind = dup_or_null(t->subject_kind);
    r->title = dup_or_null(t->title);
    r->doc_url = dup_or_null(t->doc_url);
    r->xfo = dup_or_null(t->xfo);
    r->csp = dup_or_null(t->csp);
    r->script_url = dup_or_null(t->script_url);
    r->code = dup_or_null(t->code);
    r->code_hash = dup_or_null(t->code_hash);
    r->check_kind = dup_or_null(t->check_kind);
    r->doc_shown = url_shown(t->doc_url);
    r->script_shown = url_shown(t->script_url);
    r->script_is_html = t->script_is_html;
    r->doc_job = r->script_job = -1;
    return 0;
}

static uint64_t
url_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* The job for url (added on first use); -1 for a URL that is not http(s). */
static long
job_for(struct rc_state *s, const char *url)
{
    if (url == NULL || !fetch_is_url(url))
        return -1;
    if (s->nslots == 0 || 2 * (s->njobs + 1) > s->nslots) {
        size_t ns = s->nslots ? 2 * s->nslots : 64;
        long *slots = xmalloc(ns * sizeof *slots);
        for (size_t i = 0; i < ns; i++)
            slots[i] = -1;
        for (size_t j = 0; j < s->njobs; j++) {
            size_t k = url_hash(s->jobs[j].url) & (ns - 1);
            while (slots[k] >= 0)
                k = (k + 1) & (ns - 1);
            slots[k] = (long)j;
        }
        free(s->slots);
        s->slots = slots;
        s->nslots = ns;
    }
    size_t k = url_hash(url) & (s->nslots - 1);
    while (s->slots[k] >= 0) {
        if (strcmp(s->jobs[s->slots[k]].url, url) == 0)
            return s->slots[k];
        k = (k + 1) & (s->nslots - 1);
    }
    if (s->njobs == s->capjobs) {
        s->capjobs = s->capjobs ? 2 * s->capjobs : 16;
        s->jobs = xrealloc(s->jobs, s->capjobs * sizeof *s->jobs);
    }
    memset(&s->jobs[s->njobs], 0, sizeof s->jobs[s->njobs]);
    s->jobs[s->njobs].url = url;
    s->slots[k] = (long)s->njobs;
    return (long)s->njobs++;
}

/*
 * Write a result's detail line; long URLs or header values are cut at the
 * buffer's end, which is fine for a one-line summary.
 */
static void detail_set(char *d, size_t dsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
detail_set(char *d, size_t dsz, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d, dsz, fmt, ap);
    va_end(ap);
}

/* ---- is the answer evidence? --------------------------------------------- */

/* The media type of a Content-Type, lower-cased, without parameters. */
static void
media_type(const char *ct, char *out, size_t outsz)
{
    size_t o = 0;
    out[0] = '\0';
    if (ct == NULL)
        return;
    while (*ct == ' ' || *ct == '\t')
        ct++;
    for (; *ct && *ct != ';' && *ct != ' ' && o + 1 < outsz; ct++)
        out[o++] = (char)((*ct >= 'A' && *ct <= 'Z') ? *ct + 32 : *ct);
    out[o] = '\0';
}

static int
media_is_javascript(const char *mt)
{
    static const char *const js[] = {
        "application/javascript", "text/javascript",
        "application/x-javascript", "text/x-javascript",
        "application/ecmascript", "text/ecmascript",
        "application/x-ecmascript", "text/jscript",
        "text/livescript",
    };
    for (size_t i = 0; i < sizeof js / sizeof js[0]; i++)
        if (strcmp(mt, js[i]) == 0)
            return 1;
    return 0;
}

/* The body's first byte that is not white space ('\0' when there is none). */
static char
body_first(const struct fetch_job *j)
{
    for (size_t i = 0; i < j->body_len; i++) {
        char c = j->body[i];
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\f')
            return c;
    }
    return '\0';
}

/*
 * Why an answer (an error status from the URL's own origin is handled as
 * unreachable) is not evidence about what was recorded at the URL: 0 when it is, else 1
 * with the reason in why.  `script` asks for a listener script (or, when
 * `html` is set, the HTML page the listener was inline in); otherwise the
 * answer is a receiver document, whose framing headers count whatever it
 * is.
 */
static int
answer_not_evidence(const struct fetch_job *j, int script, int html,
                    char *why, size_t whysz)
{
    char mt[128];
    media_type(j->content_type, mt, sizeof mt);
    if (j->left_origin) {
        detail_set(why, whysz, "redirected to another origin (ended at %s, "
                   "HTTP %ld)", j->final_url ? j->final_url : "an unknown URL",
                   j->status);
        return 1;
    }
    if (j->status < 200 || j->status >= 300) {
        detail_set(why, whysz, "answered HTTP %ld%s", j->status,
                   j->status >= 300 && j->status < 400
                       ? " without a Location to follow" : "");
        return 1;
    }
    char first = body_first(j);
    if (first == '\0') {
        detail_set(why, whysz, "empty answer (HTTP %ld, %zu bytes)",
                   j->status, j->body_len);
        return 1;
    }
    if (!script)
        return 0;
    int looks_html = strstr(mt, "html") != NULL || strstr(mt, "xml") != NULL ||
                     (!media_is_javascript(mt) && first == '<');
    if (html) {
        if (looks_html)
            return 0;
        detail_set(why, whysz, "not an HTML page any more (Content-Type: "
                   "%s), while the listener was in one's inline script",
                   mt[0] ? mt : "none");
        return 1;
    }
    if (looks_html) {
        detail_set(why, whysz, "serves an HTML page, not a script "
                   "(Content-Type: %s)", mt[0] ? mt : "none");
        return 1;
    }
    if (mt[0] && !media_is_javascript(mt) && strcmp(mt, "text/plain") != 0 &&
        strcmp(mt, "application/octet-stream") != 0) {
        detail_set(why, whysz, "serves %s, not a script", mt);
        return 1;
    }
    if (memchr(j->body, '\0', j->body_len) != NULL) {
        detail_set(why, whysz, "serves binary data, not a script "
                   "(Content-Type: %s)", mt[0] ? mt : "none");
        return 1;
    }
    return 0;
}

/* ---- framing ------------------------------------------------------------ */

/* The frame-ancestors directive's sources, whitespace collapsed; "" = none. */
static void
frame_ancestors(const char *csp, char *out, size_t outsz)
{
    out[0] = '\0';
    if (csp == NULL)
        return;
    const char *p = csp;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ';' || *p == ',')
            p++;
        const char *end = p;
        while (*end && *end != ';' && *end != ',')
            end++;
        if ((size_t)(end - p) >= 15 &&
            strncasecmp(p, "frame-ancestors", 15) == 0 &&
            (p[15] == ' ' || p[15] == '\t' || p + 15 == end)) {
            size_t o = 0;
            int space = 1;
            for (const char *q = p + 15; q < end && o + 1 < outsz; q++) {
                if (*q == ' ' || *q == '\t') {
                    space = 1;
                    continue;
                }
                if (space && o > 0 && o + 1 < outsz)
                    out[o++] = ' ';
                space = 0;
                out[o++] = *q;
            }
            out[o] = '\0';
            if (o == 0)
                snprintf(out, outsz, "'none'"); /* an empty source list */
            return;
        }
        p = end;
    }
}

/* X-Frame-Options normalized: "deny", "sameorigin", other text, or "". */
static void
xfo_norm(const char *xfo, char *out, size_t outsz)
{
    size_t o = 0;
    out[0] = '\0';
    if (xfo == NULL)
        return;
    for (const char *p = xfo; *p && o + 1 < outsz; p++)
        if (*p != ' ' && *p != '\t')
            out[o++] = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
    out[o] = '\0';
}

int
recheck_frameable_by_anyone(const char *xfo, const char *csp)
{
    char x[64], fa[512];
    xfo_norm(xfo, x, sizeof x);
    frame_ancestors(csp, fa, sizeof fa);
    if (fa[0])
        return strcmp(fa, "*") == 0;
    /* Browsers take the first value of a list: "DENY, SAMEORIGIN". */
    return strncmp(x, "deny", 4) != 0 && strncmp(x, "sameorigin", 10) != 0;
}

/* Judge the document part; status NULL when there is none. */
static const char *
judge_framing(const struct rc_target *t, const struct fetch_job *j,
              char *detail, size_t dsz)
{
    if (j->rc != PM_OK) {
        detail_set(detail, dsz, "%s: %s", t->doc_shown, j->error);
        return "unreachable";
    }
    char why[FETCH_URL_MAX + 128];
    if (j->status >= 400 && !j->left_origin) {
        detail_set(detail, dsz, "%s: HTTP %ld", t->doc_shown, j->status);
        return "unreachable";
    }
    if (answer_not_evidence(j, 0, 0, why, sizeof why)) {
        detail_set(detail, dsz, "%s: %s; cannot tell whether its framing "
                   "changed", t->doc_shown, why);
        return "inconclusive";
    }
    char ox[64], nx[64], ofa[512], nfa[512];
    xfo_norm(t->xfo, ox, sizeof ox);
    xfo_norm(j->xfo, nx, sizeof nx);
    frame_ancestors(t->csp, ofa, sizeof ofa);
    frame_ancestors(j->csp, nfa, sizeof nfa);
    if (strcmp(ox, nx) == 0 && strcmp(ofa, nfa) == 0) {
        detail_set(detail, dsz, "%s: framing headers unchanged "
                 "(X-Frame-Options: %s; frame-ancestors: %s)", t->doc_shown,
                 j->xfo ? j->xfo : "none", nfa[0] ? nfa : "none");
        return "still-present";
    }
    int was = recheck_frameable_by_anyone(t->xfo, t->csp);
    int now = recheck_frameable_by_anyone(j->xfo, j->csp);
    detail_set(detail, dsz, "%s: X-Frame-Options %s -> %s; frame-ancestors "
             "%s -> %s", t->doc_shown, t->xfo ? t->xfo : "none",
             j->xfo ? j->xfo : "none", ofa[0] ? ofa : "none",
             nfa[0] ? nfa : "none");
    return was && !now ? "fixed" : "changed";
}

/* ---- listeners ------------------------------------------------------------ */

struct scan_state {
    const char *want_hash;
    int n, matched, any_weak, all_strict;
    enum pm_check_kind matched_check;
    char checks[160];
};

static void
scan_listener(const struct pm_found_listener *l, void *arg)
{
    struct scan_state *s = arg;
    char hex[PM_SHA256_HEX];
    s->n++;
    sha256_hex(l->code, l->code_len, hex);
    if (s->want_hash && strcmp(hex, s->want_hash) == 0) {
        s->matched = 1;
        s->matched_check = l->facts.check;
    }
    if (check_kind_is_weak(l->facts.check))
        s->any_weak = 1;
    if (l->facts.check != PM_CHECK_STRICT)
        s->all_strict = 0;
    const char *name = check_kind_name(l->facts.check);
    if (strstr(s->checks, name) == NULL) {
        size_t o = strlen(s->checks);
        snprintf(s->checks + o, sizeof s->checks - o, "%s%s", o ? ", " : "",
                 name);
    }
}

static void
scan_inline(const char *src, size_t n, long line, long col, void *arg)
{
    analyze_script(src, n, line, col, scan_listener, NULL, arg);
}

static const char *
judge_listener(const struct rc_target *t, const struct fetch_job *j,
               char *detail, size_t dsz)
{
    if (j->rc != PM_OK) {
        detail_set(detail, dsz, "%s: %s", t->script_shown, j->error);
        return "unreachable";
    }
    char why[FETCH_URL_MAX + 128];
    if (j->status >= 400 && !j->left_origin) {
        detail_set(detail, dsz, "%s: HTTP %ld", t->script_shown, j->status);
        return "unreachable";
    }
    if (answer_not_evidence(j, 1, t->script_is_html, why, sizeof why)) {
        detail_set(detail, dsz, "%s: %s; cannot tell whether the handler "
                   "is still there", t->script_shown, why);
        return "inconclusive";
    }
    struct scan_state s = {.want_hash = t->code_hash, .all_strict = 1};
    const char *p = j->body;
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
    if (*p == '<')
        html_each_inline_script(j->body, j->body_len, scan_inline, &s);
    else
        analyze_script(j->body, j->body_len, 1, 1, scan_listener, NULL, &s);
    int have_code = t->code && t->code[0];
    if (!s.matched && have_code && strstr(j->body, t->code)) {
        s.matched = 1; /* verbatim, though the scanner cut it differently */
        struct pm_handler_facts f;
        analyze_handler_code(t->code, strlen(t->code), &f);
        s.matched_check = f.check;
    }
    if (have_code && s.matched) {
        detail_set(detail, dsz, "%s: the same handler is still served "
                 "(origin check: %s)", t->script_shown,
                 check_kind_name(s.matched_check));
        return "still-present";
    }
    if (s.n == 0) {
        detail_set(detail, dsz, "%s: no message listener in the script any "
                 "more", t->script_shown);
        return "fixed";
    }
    if (s.all_strict) {
        detail_set(detail, dsz, "%s: %s; all %d message listener%s now check "
                 "the origin strictly", t->script_shown,
                 have_code ? "handler changed" : "handler code not recorded",
                 s.n, s.n == 1 ? "" : "s");
        return "fixed";
    }
    if (!have_code && s.any_weak) {
        detail_set(detail, dsz, "%s: handler code not recorded; the script "
                 "still registers %d message listener%s (checks: %s)",
                 t->script_shown, s.n, s.n == 1 ? "" : "s", s.checks);
        return "still-present";
    }
    detail_set(detail, dsz, "%s: handler changed; %d message listener%s now "
             "(checks: %s)", t->script_shown, s.n, s.n == 1 ? "" : "s",
             s.checks);
    return "changed";
}

/* ---- the run -------------------------------------------------------------- */

static void
judge(const struct rc_target *t, const struct rc_state *s,
      struct recheck_result *r)
{
    char d1[1024] = "", d2[1024] = "";
    const char *st_script = NULL, *st_doc = NULL;
    if (t->script_job >= 0)
        st_script = judge_listener(t, &s->jobs[t->script_job], d1, sizeof d1);
    if (t->doc_job >= 0)
        st_doc = judge_framing(t, &s->jobs[t->doc_job], d2, sizeof d2);
    r->status = st_script ? st_script : st_doc;
    if (st_script && st_doc)
        detail_set(r->detail, sizeof r->detail, "%s; %s", d1, d2);
    else if (r->status)
        detail_set(r->detail, sizeof r->detail, "%s", st_script ? d1 : d2);
    else
        detail_set(r->detail, sizeof r->detail, "nothing to fetch: no http(s) "
                 "receiver document or listener script recorded");
}

static void
rc_state_release(struct rc_state *s)
{
    for (size_t i = 0; i < s->n; i++) {
        struct rc_target *t = &s->t[i];
        free(t->subject_kind);
        free(t->title);
        free(t->doc_url);
        free(t->xfo);
        free(t->csp);
        free(t->script_url);
        free(t->doc_shown);
        free(t->script_shown);
        free(t->code);
        free(t->code_hash);
        free(t->check_kind);
    }
    for (size_t j = 0; j < s->njobs; j++)
        fetch_job_release(&s->jobs[j]);
    free(s->t);
    free(s->jobs);
    free(s->slots);
}

enum pm_rc
recheck_run(struct pm_store *st, const struct recheck_opts *o,
            recheck_result_fn fn, void *ctx, long *n_checked,
            struct pm_err *err)
{
    struct rc_state s = {0};
    struct recheck_result *res = NULL;
    *n_checked = 0;
    if (store_each_recheck_target(st, o->ids, o->nids, o->include_suggested,
                                  collect_target, &s, err))
        goto out;
    if (s.too_many) {
        pm_err_set(err, PM_ERR_LIMIT, "more than %d findings to re-check; "
                   "name the ones to check", RECHECK_MAX_FINDINGS);
        goto out;
    }
    for (size_t i = 0; i < s.n; i++) {
        s.t[i].doc_job = job_for(&s, s.t[i].doc_url);
        s.t[i].script_job = job_for(&s, s.t[i].script_url);
    }
    if (fetch_many(s.jobs, s.njobs, o->parallel > 0 ? o->parallel : 8,
                   &o->fetch, err))
        goto out;

    char at[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    res = xcalloc(s.n ? s.n : 1, sizeof *res);
    for (size_t i = 0; i < s.n; i++) {
        res[i].finding_id = s.t[i].finding_id;
        res[i].subject_kind = s.t[i].subject_kind;
        res[i].subject_id = s.t[i].subject_id;
        res[i].title = s.t[i].title;
        memcpy(res[i].at, at, sizeof at);
        judge(&s.t[i], &s, &res[i]);
    }
    if (store_begin(st, err))
        goto out;
    for (size_t i = 0; i < s.n; i++) {
        if (res[i].status == NULL)
            continue;
        if (store_set_recheck(st, res[i].finding_id, res[i].status, at,
                              res[i].detail, err)) {
            store_rollback(st);
            goto out;
        }
        (*n_checked)++;
    }
    if (store_commit(st, err))
        goto out;
    for (size_t i = 0; i < s.n; i++)
        fn(&res[i], ctx);
out:
    free(res);
    rc_state_release(&s);
    return err->rc;
}
