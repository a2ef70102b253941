/*
 * verify.c - the run of verify.h: one Chromium (capture_cdp.h), one tab
 * per finding, requests answered by the browser's Fetch domain, the
 * PoC page's result polled with Runtime.evaluate.
 *
 * Every page and frame target is attached to (Target.setAutoAttach,
 * flattened, paused until set up) so its requests can be answered and
 * its breakpoints set before its scripts run: a framed receiver on
 * another site is a frame target of its own, a receiver opened with
 * window.open a page target.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "capture_cdp.h"
#include "mem.h"
#include "store.h"
#include "verify.h"

#define MAX_SESSIONS 32
#define MAX_MISSING 8
#define MAX_SCRIPTS 256

struct vsession {
    char *id, *target_id;
    int is_page;
    int enable_id;     /* Debugger.enable sent; -1 once answered */
};

struct vscript {
    char *session, *id, *url;
};

struct vrun {
    struct vscript scripts[MAX_SCRIPTS];
    int nscripts;
    struct pm_store *st;
    const struct verify_opts *o;
    struct cdp cdp;
    struct vsession s[MAX_SESSIONS];
    int ns;
    struct verify_item *it;    /* the finding running now */
    int create_id;             /* Target.createTarget of its tab */
    char *poc_target;          /* that tab's targetId */
    char *poc_session;
    int eval_id, probe_ids[MAX_SESSIONS], nprobe;
    char bp_check[128], bp_sink[128]; /* breakpoint ids, per session alike */
    int check_hit, sink_hit, fired, script_missing, target_loaded, load_error;
    char *fired_detail;
    char *stack;
    char *missing[MAX_MISSING];
    int nmissing, missing_more;
};

static double
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static const char *
jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void
base64(struct pm_buf *out, const unsigned char *p, size_t n)
{
    static const char t[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        pm_buf_addc(out, t[(v >> 18) & 63]);
        pm_buf_addc(out, t[(v >> 12) & 63]);
        pm_buf_addc(out, i + 1 < n ? t[(v >> 6) & 63] : '=');
        pm_buf_addc(out, i + 2 < n ? t[v & 63] : '=');
    }
}

/* The URL without its fragment, into out. */
static void
url_key(const char *url, char *out, size_t outsz)
{
    snprintf(out, outsz, "%.*s", (int)strcspn(url, "#"), url);
}

static void
fulfill(struct vrun *r, const char *sid, const char *req, int status,
        const char *ctype, cJSON *headers, const void *body, size_t len)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "requestId", req);
    cJSON_AddNumberToObject(p, "responseCode", status);
    if (headers == NULL)
        headers = cJSON_CreateArray();
    if (ctype) {
        cJSON *h = cJSON_CreateObject();
        cJSON_AddStringToObject(h, "name", "Content-Type");
        cJSON_AddStringToObject(h, "value", ctype);
        cJSON_AddItemToArray(headers, h);
    }
    cJSON_AddItemToObject(p, "responseHeaders", headers);
    struct pm_buf b;
    pm_buf_init(&b);
    base64(&b, body, len);
    cJSON_AddStringToObject(p, "body", b.data ? b.data : "");
    pm_buf_release(&b);
    cdp_send(&r->cdp, sid, "Fetch.fulfillRequest", p);
}

struct recorded {
    struct vrun *r;
    const char *sid, *req;
};

/* pm_replay_cb: answer with the recorded status, headers and body. */
static void
answer_recorded(const struct pm_replay_response *x, void *p)
{
    struct recorded *c = p;
    cJSON *hs = cJSON_CreateArray();
    cJSON *rec = x->headers_json ? cJSON_Parse(x->headers_json) : NULL;
    const cJSON *pair;
    cJSON_ArrayForEach(pair, rec)
    {
        const cJSON *n = cJSON_GetArrayItem(pair, 0), *v = cJSON_GetArrayItem(pair, 1);
        if (!cJSON_IsString(n) || !cJSON_IsString(v))
            continue;
        /* the body is stored decoded and whole */
        if (strcasecmp(n->valuestring, "content-length") == 0 ||
            strcasecmp(n->valuestring, "content-encoding") == 0 ||
            strcasecmp(n->valuestring, "transfer-encoding") == 0)
            continue;
        cJSON *h = cJSON_CreateObject();
        cJSON_AddStringToObject(h, "name", n->valuestring);
        cJSON_AddStringToObject(h, "value", v->valuestring);
        cJSON_AddItemToArray(hs, h);
    }
    cJSON_Delete(rec);
    fulfill(c->r, c->sid, c->req, x->status, NULL, hs, x->body ? x->body : "",
            x->body ? x->body_len : 0);
}

/* Fetch.requestPaused: the PoC, the canary page, a recorded answer, a
 * 404 (replay) or the network (live). */
static void
on_request(struct vrun *r, const char *sid, const cJSON *params)
{
    const char *req = jstr(params, "requestId");
    const cJSON *rq = cJSON_GetObjectItemCaseSensitive(params, "request");
    const char *url = jstr(rq, "url");
    if (!req || !url)
        return;
    struct verify_item *it = r->it;
    size_t ol = it ? strlen(it->attacker_origin) : 0;
    if (it && strncmp(url, it->attacker_origin, ol) == 0 && url[ol] == '/') {
        const char *path = url + ol;
        if (strncmp(path, "/pmscope-poc", 12) == 0) {
            fulfill(r, sid, req, 200, "text/html; charset=utf-8", NULL,
                    it->poc_html, strlen(it->poc_html));
        } else if (strncmp(path, "/pmscope-canary", 15) == 0) {
            static const char page[] = "<!doctype html><title>pmscope canary</title>"
                                       "<p>pmscope canary: the receiver navigated here.</p>";
            fulfill(r, sid, req, 200, "text/html; charset=utf-8", NULL, page,
                    sizeof page - 1);
        } else {
            fulfill(r, sid, req, 404, "text/plain", NULL, "", 0);
        }
        return;
    }
    char key[4096];
    url_key(url, key, sizeof key);
    if (it && it->target_url) {
        char tk[4096];
        url_key(it->target_url, tk, sizeof tk);
        if (strcmp(tk, key) == 0)
            r->target_loaded = 1;
    }
    if (r->o->live) {
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "requestId", req);
        cdp_send(&r->cdp, sid, "Fetch.continueRequest", p);
        return;
    }
    struct recorded c = {r, sid, req};
    int found = 0;
    struct pm_err err = {0};
    if (store_recorded_response(r->st, key, answer_recorded, &c, &found, &err) != PM_OK)
        found = 0;
    if (found)
        return;
    fulfill(r, sid, req, 404, "text/plain", NULL, "", 0);
    if (it && it->script_url) {
        char sk[4096];
        url_key(it->script_url, sk, sizeof sk);
        if (strcmp(sk, key) == 0)
            r->script_missing = 1;
    }
    size_t kl = strlen(key);
    if (kl > 2 && strcmp(key + kl - 2, "/x") == 0)
        return; /* the HTML canary's <img src=x> */
    for (int i = 0; i < r->nmissing; i++)
        if (strcmp(r->missing[i], key) == 0)
            return;
    if (r->nmissing < MAX_MISSING)
        r->missing[r->nmissing++] = xstrdup(key);
    else
        r->missing_more++;
}

/* Breakpoints of the running finding in session sid. */
static void
set_breakpoints(struct vrun *r, const char *sid)
{
    struct verify_item *it = r->it;
    if (it == NULL || it->script_url == NULL || it->event_name[0] == '\0')
        return;
    long lines[2] = {it->check_bp_line, it->sink_bp_line};
    for (int k = 0; k < 2; k++) {
        if (lines[k] < 0)
            continue;
        char cond[512];
        snprintf(cond, sizeof cond,
                 "typeof %s === 'object' && %s !== null && %s.origin === '%s'",
                 it->event_name, it->event_name, it->event_name, it->attacker_origin);
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "url", it->script_url);
        cJSON_AddNumberToObject(p, "lineNumber", (double)lines[k]);
        cJSON_AddStringToObject(p, "condition", cond);
        cdp_send(&r->cdp, sid, "Debugger.setBreakpointByUrl", p);
    }
}

static void
on_attached(struct vrun *r, const cJSON *params)
{
    const char *sid = jstr(params, "sessionId");
    const cJSON *info = cJSON_GetObjectItemCaseSensitive(params, "targetInfo");
    const char *tid = jstr(info, "targetId"), *type = jstr(info, "type");
    if (!sid || !tid || !type)
        return;
    int page = strcmp(type, "page") == 0, frame = strcmp(type, "iframe") == 0;
    if ((!page && !frame) || r->ns == MAX_SESSIONS) {
        cdp_send(&r->cdp, sid, "Runtime.runIfWaitingForDebugger", NULL);
        return;
    }
    struct vsession *s = &r->s[r->ns++];
    s->id = xstrdup(sid);
    s->target_id = xstrdup(tid);
    s->is_page = page;
    cJSON *p = cJSON_CreateObject();
    cJSON *pats = cJSON_AddArrayToObject(p, "patterns");
    cJSON *pat = cJSON_CreateObject();
    if (r->o->live && r->it) {
        char pattern[600];
        snprintf(pattern, sizeof pattern, "%s/*", r->it->attacker_origin);
        cJSON_AddStringToObject(pat, "urlPattern", pattern);
    } else {
        cJSON_AddStringToObject(pat, "urlPattern", "*");
    }
    cJSON_AddStringToObject(pat, "requestStage", "Request");
    cJSON_AddItemToArray(pats, pat);
    cdp_send(&r->cdp, sid, "Fetch.enable", p);
    cdp_send(&r->cdp, sid, "Target.setAutoAttach", cdp_autoattach_params());
    /* breakpoints once the debugger answers (before, they are refused),
     * then the target may run */
    s->enable_id = cdp_send(&r->cdp, sid, "Debugger.enable", NULL);
    if (r->poc_target && strcmp(tid, r->poc_target) == 0 && r->poc_session == NULL &&
        r->it) {
        r->poc_session = xstrdup(sid);
        char url[700];
        snprintf(url, sizeof url, "%s/pmscope-poc-%lld.html", r->it->attacker_origin,
                 (long long)r->it->finding_id);
        p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "url", url);
        cdp_send(&r->cdp, sid, "Page.navigate", p);
    }
}

/* The URL of a script the debugger reported in session sid. */
static const char *
script_url_of(const struct vrun *r, const char *sid, const char *script_id)
{
    for (int i = 0; sid && script_id && i < r->nscripts; i++)
        if (strcmp(r->scripts[i].id, script_id) == 0 &&
            strcmp(r->scripts[i].session, sid) == 0)
            return r->scripts[i].url;
    return NULL;
}

/* Debugger.scriptParsed: remember its URL for stacks. */
static void
on_script(struct vrun *r, const char *sid, const cJSON *params)
{
    const char *id = jstr(params, "scriptId"), *url = jstr(params, "url");
    if (url && strncmp(url, "chrome-error:", 13) == 0)
        r->load_error = 1; /* a frame or page of the run failed to load */
    if (!id || !url || !url[0] || r->nscripts == MAX_SCRIPTS)
        return;
    struct vscript *x = &r->scripts[r->nscripts++];
    x->session = xstrdup(sid);
    x->id = xstrdup(id);
    x->url = xstrdup(url);
}

/* Debugger.paused: which breakpoint, the stack; then resume. */
static void
on_paused(struct vrun *r, const char *sid, const cJSON *params)
{
    const cJSON *hit = cJSON_GetObjectItemCaseSensitive(params, "hitBreakpoints");
    const cJSON *frames = cJSON_GetObjectItemCaseSensitive(params, "callFrames");
    struct verify_item *it = r->it;
    int at_sink = 0, at_check = 0;
    /* which breakpoint: the line the top frame stopped at */
    const cJSON *top = cJSON_GetArrayItem(frames, 0);
    const cJSON *tl = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(top, "location"), "lineNumber");
    if (it && cJSON_GetArraySize(hit) > 0 && cJSON_IsNumber(tl)) {
        long line = (long)tl->valuedouble;
        if (line == it->sink_bp_line)
            at_sink = 1;
        else if (line == it->check_bp_line)
            at_check = 1;
    }
    if (at_check || at_sink)
        r->check_hit = 1;
    if (at_sink || (at_check && r->stack == NULL)) {
        if (at_sink)
            r->sink_hit = 1;
        struct pm_buf s;
        pm_buf_init(&s);
        int n = 0;
        const cJSON *f;
        cJSON_ArrayForEach(f, frames)
        {
            if (n++ == 6)
                break;
            const cJSON *loc = cJSON_GetObjectItemCaseSensitive(f, "location");
            const char *fn = jstr(f, "functionName");
            const cJSON *ln = cJSON_GetObjectItemCaseSensitive(loc, "lineNumber");
            const cJSON *cn = cJSON_GetObjectItemCaseSensitive(loc, "columnNumber");
            const char *url = jstr(f, "url");
            if (url == NULL || url[0] == '\0')
                url = script_url_of(r, sid, jstr(loc, "scriptId"));
            pm_buf_addf(&s, "%s%s (%s:%d:%d)", n > 1 ? " < " : "",
                        fn && fn[0] ? fn : "(anonymous)", url ? url : "?",
                        cJSON_IsNumber(ln) ? ln->valueint + 1 : 0,
                        cJSON_IsNumber(cn) ? cn->valueint + 1 : 0);
        }
        free(r->stack);
        r->stack = pm_buf_detach(&s);
    }
    cdp_send(&r->cdp, sid, "Debugger.resume", NULL);
}

static void
poll(struct vrun *r)
{
    if (r->poc_session == NULL)
        return;
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "expression", "JSON.stringify(window.pmscopeResult || null)");
    cJSON_AddBoolToObject(p, "returnByValue", 1);
    r->eval_id = cdp_send(&r->cdp, r->poc_session, "Runtime.evaluate", p);
    if (strcmp(r->it->sink_kind, "storage") != 0)
        return;
    /* the storage canary: looked for in every other document's storage */
    char expr[512];
    snprintf(expr, sizeof expr,
             "(function () { try { for (const s of [localStorage, sessionStorage])"
             " for (let i = 0; i < s.length; i++)"
             " if (String(s.getItem(s.key(i))).indexOf('pmscope-canary-%lld') >= 0)"
             " return s.key(i); } catch (e) {} return ''; })()",
             (long long)r->it->finding_id);
    r->nprobe = 0;
    for (int i = 0; i < r->ns; i++) {
        if (r->s[i].id == r->poc_session || strcmp(r->s[i].id, r->poc_session) == 0)
            continue;
        p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "expression", expr);
        cJSON_AddBoolToObject(p, "returnByValue", 1);
        r->probe_ids[r->nprobe++] = cdp_send(&r->cdp, r->s[i].id, "Runtime.evaluate", p);
    }
}

static void
on_response(struct vrun *r, const cJSON *msg, int id)
{
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(msg, "result");
    const char *from = jstr(msg, "sessionId");
    for (int i = 0; from && i < r->ns; i++)
        if (r->s[i].enable_id == id && strcmp(r->s[i].id, from) == 0) {
            r->s[i].enable_id = -1;
            set_breakpoints(r, from);
            cdp_send(&r->cdp, from, "Runtime.runIfWaitingForDebugger", NULL);
            return;
        }
    if (id == r->create_id) {
        const char *tid = jstr(res, "targetId");
        if (tid && r->poc_target == NULL) {
            r->poc_target = xstrdup(tid);
            /* attached before the answer: navigate now */
            for (int i = 0; i < r->ns; i++)
                if (strcmp(r->s[i].target_id, tid) == 0 && r->poc_session == NULL) {
                    r->poc_session = xstrdup(r->s[i].id);
                    char url[700];
                    snprintf(url, sizeof url, "%s/pmscope-poc-%lld.html",
                             r->it->attacker_origin, (long long)r->it->finding_id);
                    cJSON *p = cJSON_CreateObject();
                    cJSON_AddStringToObject(p, "url", url);
                    cdp_send(&r->cdp, r->poc_session, "Page.navigate", p);
                }
        }
        return;
    }
    const cJSON *val = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(res, "result"), "value");
    if (id == r->eval_id && cJSON_IsString(val) && strcmp(val->valuestring, "null") != 0) {
        cJSON *o = cJSON_Parse(val->valuestring);
        const char *sink = jstr(o, "sink"), *detail = jstr(o, "detail");
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "fired")) && !r->fired) {
            r->fired = 1;
            struct pm_buf b;
            pm_buf_init(&b);
            pm_buf_addf(&b, "canary fired at %s", sink ? sink : "?");
            if (detail && detail[0]) {
                pm_buf_adds(&b, ": ");
                /* one line: the canary's stack or the reply */
                for (const char *c = detail; *c && b.len < 600; c++)
                    pm_buf_addc(&b, *c == '\n' ? ' ' : *c);
            }
            r->fired_detail = pm_buf_detach(&b);
        }
        cJSON_Delete(o);
        return;
    }
    for (int i = 0; i < r->nprobe; i++)
        if (id == r->probe_ids[i] && cJSON_IsString(val) && val->valuestring[0] &&
            !r->fired) {
            r->fired = 1;
            struct pm_buf b;
            pm_buf_init(&b);
            pm_buf_addf(&b, "canary fired at %s: the receiver stored "
                            "pmscope-canary-%lld under the key ",
                        r->it->sink, (long long)r->it->finding_id);
            for (const char *c = val->valuestring; *c && b.len < 300; c++)
                pm_buf_addc(&b, (*c >= 0x20 && *c < 0x7f) ? *c : '?');
            r->fired_detail = pm_buf_detach(&b);
        }
}

static void
dispatch(struct vrun *r, const cJSON *msg)
{
    if (r->o->verbose) {
        char *t = cJSON_PrintUnformatted(msg);
        fprintf(stderr, "verify: %.300s\n", t ? t : "?");
        free(t);
    }
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(msg, "id");
    if (cJSON_IsNumber(id)) {
        on_response(r, msg, id->valueint);
        return;
    }
    const char *method = jstr(msg, "method"), *sid = jstr(msg, "sessionId");
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(msg, "params");
    if (method == NULL)
        return;
    if (strcmp(method, "Target.attachedToTarget") == 0)
        on_attached(r, params);
    else if (strcmp(method, "Fetch.requestPaused") == 0 && sid)
        on_request(r, sid, params);
    else if (strcmp(method, "Debugger.scriptParsed") == 0 && sid)
        on_script(r, sid, params);
    else if (strcmp(method, "Debugger.paused") == 0 && sid)
        on_paused(r, sid, params);
    else if (strcmp(method, "Target.detachedFromTarget") == 0) {
        const char *gone = jstr(params, "sessionId");
        for (int i = 0; gone && i < r->ns; i++)
            if (strcmp(r->s[i].id, gone) == 0) {
                if (r->poc_session && strcmp(r->poc_session, gone) == 0) {
                    free(r->poc_session);
                    r->poc_session = NULL;
                }
                free(r->s[i].id);
                free(r->s[i].target_id);
                r->s[i] = r->s[--r->ns];
                break;
            }
    }
}

/* The verdict of the finding that ran (see docs/findings-and-report.md). */
static void
judge(struct vrun *r, struct verify_item *it)
{
    struct pm_buf b;
    pm_buf_init(&b);
    int no_canary = strcmp(it->sink_kind, "none") == 0;
    if (r->fired || (no_canary && r->check_hit)) {
        it->status = "verified";
        if (r->fired)
            pm_buf_adds(&b, r->fired_detail);
        else
            pm_buf_addf(&b, "the origin check let the message from %s through "
                            "(no sink to carry a canary; paused after the check)",
                        it->attacker_origin);
        if (r->stack)
            pm_buf_addf(&b, "; stack at the %s: %s", r->sink_hit ? "sink" : "check",
                        r->stack);
    } else {
        it->status = "not reproduced";
        if (r->script_missing)
            pm_buf_addf(&b, "script missing from the recording: %s", it->script_url);
        else if (!r->target_loaded && !r->o->live)
            pm_buf_addf(&b, "the receiver %s was not loaded (missing from the "
                            "recording or refused)", it->target_url);
        else if (r->load_error && !r->check_hit)
            pm_buf_addf(&b, "frame refused: the browser showed an error page instead "
                            "of %s (framing refused or the page unreachable)",
                        it->target_url);
        else if (it->check_strict && !r->check_hit)
            pm_buf_addf(&b, "blocked by the check (%s): the message from %s did not pass",
                        it->check_expr ? it->check_expr : "strict", it->attacker_origin);
        else if (it->no_passing_origin && !r->check_hit)
            pm_buf_addf(&b, "blocked by the check (%s): no origin that passes it "
                            "could be derived", it->check_expr ? it->check_expr : "?");
        else if (it->check_bp_line >= 0 && !r->check_hit)
            pm_buf_addf(&b, "the message from %s did not pass the check (%s) "
                            "within %.0f s", it->attacker_origin,
                        it->check_expr ? it->check_expr : "?", r->o->timeout_s);
        else if (it->unmet)
            pm_buf_addf(&b, "guard not met: %s", it->unmet);
        else if (r->sink_hit)
            pm_buf_addf(&b, "the sink %s ran but the canary did not fire within %.0f s",
                        it->sink, r->o->timeout_s);
        else
            pm_buf_addf(&b, "timeout: the canary did not fire within %.0f s "
                            "(a guard on the way to %s was not met)",
                        r->o->timeout_s, it->sink[0] ? it->sink : "the sink");
    }
    if (r->nmissing) {
        pm_buf_adds(&b, "; not in the recording (answered 404):");
        for (int i = 0; i < r->nmissing; i++)
            pm_buf_addf(&b, " %s", r->missing[i]);
        if (r->missing_more)
            pm_buf_addf(&b, " and %d more", r->missing_more);
    }
    it->detail = pm_buf_detach(&b);
}

static void
reset_item_state(struct vrun *r)
{
    free(r->poc_target);
    free(r->poc_session);
    free(r->fired_detail);
    free(r->stack);
    for (int i = 0; i < r->nmissing; i++)
        free(r->missing[i]);
    r->poc_target = r->poc_session = r->fired_detail = r->stack = NULL;
    r->nmissing = r->missing_more = 0;
    for (int i = 0; i < r->nscripts; i++) {
        free(r->scripts[i].session);
        free(r->scripts[i].id);
        free(r->scripts[i].url);
    }
    r->nscripts = 0;
    r->check_hit = r->sink_hit = r->fired = r->script_missing = r->target_loaded = 0;
    r->load_error = 0;
    r->eval_id = r->create_id = -1;
    r->nprobe = 0;
}

/* Close every page the finding opened (its tab, popups) and wait a moment
 * for them to go. */
static void
close_pages(struct vrun *r)
{
    for (int i = 0; i < r->ns; i++) {
        if (!r->s[i].is_page)
            continue;
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "targetId", r->s[i].target_id);
        cdp_send(&r->cdp, NULL, "Target.closeTarget", p);
    }
    double until = now_ms() + 1500;
    while (r->ns > 0 && now_ms() < until && !r->cdp.exited) {
        cJSON *msg = NULL;
        struct pm_err e = {0};
        if (cdp_read(&r->cdp, 100, &msg, &e) != PM_OK)
            break;
        if (msg) {
            const char *m = jstr(msg, "method");
            if (m && strcmp(m, "Fetch.requestPaused") == 0) {
                /* late requests of a closing page: fail them */
                const char *req =
                    jstr(cJSON_GetObjectItemCaseSensitive(msg, "params"), "requestId");
                cJSON *p = cJSON_CreateObject();
                cJSON_AddStringToObject(p, "requestId", req ? req : "");
                cJSON_AddStringToObject(p, "errorReason", "Aborted");
                cdp_send(&r->cdp, jstr(msg, "sessionId"), "Fetch.failRequest", p);
            } else if (m && strcmp(m, "Debugger.paused") == 0) {
                cdp_send(&r->cdp, jstr(msg, "sessionId"), "Debugger.resume", NULL);
            } else {
                dispatch(r, msg);
            }
            cJSON_Delete(msg);
        }
    }
    for (int i = 0; i < r->ns; i++) {
        free(r->s[i].id);
        free(r->s[i].target_id);
    }
    r->ns = 0;
}

static enum pm_rc
run_one(struct vrun *r, struct verify_item *it, struct pm_err *err)
{
    reset_item_state(r);
    r->it = it;
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "url", "about:blank");
    r->create_id = cdp_send(&r->cdp, NULL, "Target.createTarget", p);
    double start = now_ms(), next_poll = start + 300;
    double limit = start + r->o->timeout_s * 1000.0, stop_at = 0;
    while (!r->cdp.exited) {
        double t = now_ms();
        if (t >= limit || (stop_at > 0 && t >= stop_at))
            break;
        if (r->fired && stop_at == 0)
            stop_at = t + 200; /* a breakpoint report may still be queued */
        if (strcmp(it->sink_kind, "none") == 0 && r->check_hit && stop_at == 0)
            stop_at = t + 200;
        if (t >= next_poll) {
            poll(r);
            next_poll = t + 250;
        }
        cJSON *msg = NULL;
        if (cdp_read(&r->cdp, 50, &msg, err) != PM_OK)
            return pm_err_set(err, PM_ERR_IO, "the browser exited during finding %lld",
                              (long long)it->finding_id);
        if (msg) {
            dispatch(r, msg);
            cJSON_Delete(msg);
        }
    }
    judge(r, it);
    close_pages(r);
    r->it = NULL;
    reset_item_state(r);
    return PM_OK;
}

enum pm_rc
verify_run(struct pm_store *st, const struct verify_opts *o,
           struct verify_item *items, int n, struct pm_err *err)
{
    char browser[4096];
    if (cdp_find_browser(o->chromium, browser, sizeof browser, err) != PM_OK)
        return err->rc;
    struct vrun *r = xcalloc(1, sizeof *r);
    r->st = st;
    r->o = o;
    r->eval_id = r->create_id = -1;
    /* live: the PoC origin, answered by the browser, has no address, so
     * Chromium's private/local network checks would refuse a receiver on
     * loopback or an intranet; they guard the network, not the listener */
    if (o->live)
        r->cdp.extra_arg = "--disable-features=PrivateNetworkAccessForNavigations,"
                           "PrivateNetworkAccessRespectPreflightResults,"
                           "BlockInsecurePrivateNetworkRequests,LocalNetworkAccessChecks";
    enum pm_rc rc = cdp_launch(&r->cdp, browser, 0, o->verbose, err);
    if (rc != PM_OK) {
        free(r);
        return rc;
    }
    cdp_send(&r->cdp, NULL, "Target.setAutoAttach", cdp_autoattach_params());
    for (int i = 0; i < n && rc == PM_OK; i++) {
        if (items[i].poc_html == NULL)
            continue; /* status and detail set by the caller */
        rc = run_one(r, &items[i], err);
    }
    cdp_shutdown(&r->cdp);
    reset_item_state(r);
    free(r);
    return rc;
}

void
verify_item_release(struct verify_item *it)
{
    free(it->poc_html);
    free(it->attacker_origin);
    free(it->target_url);
    free(it->script_url);
    free(it->check_expr);
    free(it->unmet);
    free(it->detail);
    memset(it, 0, sizeof *it);
}
