/*
 * capture_bp.c - window postMessage seen at the sender, through DevTools
 * function-entry breakpoints instead of anything the page can see.
 *
 * Each renderer process (V8 isolate) gets breakpoints
 * (Debugger.setBreakpointOnFunctionCall) on the native functions a window
 * send calls: a realm's own window.postMessage (one SharedFunctionInfo for
 * every realm of the renderer) and the realm's cross-origin postMessage
 * (the function Blink builds for `top.postMessage`, `frames[i]...` when the
 * target is cross-origin; the hooks mint it at document start), plus the
 * no-op window.captureEvents as a probe.  The condition calls the hooks'
 * reporter, which writes a token-prefixed record with console.debug and
 * returns false: the page never pauses and keeps its own window objects.
 * Runtime.consoleAPICalled carries the stack with script ids; the first
 * frame outside pmscope's scripts names the sender's script, and
 * Debugger.scriptParsed said which frame (execution context) parsed it, so
 * the sender frame and its security origin come from the browser.
 *
 * Breakpoints are per isolate, so one session (the first to ask) owns an
 * isolate's breakpoints; ownership is re-checked when a session's contexts
 * are cleared (it may have moved to another renderer).  They must be set
 * before page code runs: a document in a renderer without them pauses at
 * the end of the hooks (`debugger;`) until they are set; a document whose
 * renderer has them does not pause (a pause inside window.open() can hang
 * the opener).  Where a pause is dropped (another target of the renderer
 * waits for the debugger), the hooks' ready binding sets them late; sends
 * before that are seen at the receiver only.  A session whose renderer is
 * not known yet sets its own; a call two sessions' breakpoints both see is
 * reported twice, back to back, and the second report is dropped.
 */
#include "capture_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

#define CAP_HOOK_URL "pmscope-hooks.js"
#define CAP_COND_URL "pmscope-cond.js"
#define CAP_MAX_SCRIPTS 200000
#define CAP_STACK_FRAMES 12

/* The functions to break on, as named in the hooks' report.fns. */
static const char *const bp_kinds[] = { "own", "xo", "probe" };
#define BP_NKINDS 3
/* PEND_BP_FN's arg: session, kind, whether to resume after it */
#define CAP_BP_ARG(si, kind, resume) (((si) * BP_NKINDS + (kind)) * 2 + (resume))

static const char *
jstr(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static struct cap_isolate *
bp_isolate(struct capture *cap, const char *id)
{
    if (!id)
        return NULL;
    for (int i = 0; i < cap->nisolates; i++)
        if (strcmp(cap->isolates[i].id, id) == 0)
            return &cap->isolates[i];
    CAP_GROW(cap->isolates, cap->nisolates, cap->cap_isolates);
    struct cap_isolate *iso = &cap->isolates[cap->nisolates++];
    iso->id = xstrdup(id);
    iso->owner = -1;
    return iso;
}

void
cap_bp_attach(struct capture *cap, int si)
{
    cJSON *p = cJSON_CreateObject();
    char ready[48];
    snprintf(ready, sizeof ready, "%s_ready", cap->bp_name);
    cJSON_AddStringToObject(p, "name", ready);
    cap_cmd(cap, si, "Runtime.addBinding", p);
    cap_expect(cap, cap_cmd(cap, si, "Runtime.getIsolateId", NULL),
               PEND_ISOLATE, si);
    cap_cmd(cap, si, "Debugger.enable", NULL);
}

/*
 * Put the breakpoints on the realm at hand, unless another live session
 * owns this isolate's and they cover the realm (uncovered: they do not).
 * call_frame: the hooks' paused frame (resumed after), else ctx: the
 * realm's execution context (its ready signal).
 */
static void
bp_apply(struct capture *cap, int si, const char *call_frame, int ctx,
         int uncovered)
{
    struct cap_session *s = &cap->sessions[si];
    /* renderer not known yet (its reply can wait behind another target's
     * pause): set them anyway; a call both sessions see is reported twice
     * and bp_on_console keeps one */
    struct cap_isolate *iso = s->isolate_stale ? NULL
                                               : bp_isolate(cap, s->isolate);
    int owned = iso && iso->owner >= 0 && iso->owner != si &&
                cap->sessions[iso->owner].id &&
                !cap->sessions[iso->owner].isolate_stale && !uncovered;
    if (cap->opts->verbose)
        fprintf(stderr, "capture: breakpoints %s for session %d (%s, %s)\n",
                owned ? "already set" : "set", si,
                call_frame ? "paused" : "ready signal",
                s->isolate ? s->isolate : "renderer unknown");
    if (owned) {
        if (call_frame)
            cap_cmd(cap, si, "Debugger.resume", NULL);
        return;
    }
    if (iso && (iso->owner < 0 || !uncovered))
        iso->owner = si;
    for (int k = 0; k < BP_NKINDS; k++) {
        char expr[96];
        snprintf(expr, sizeof expr, "%s.fns.%s", cap->bp_name, bp_kinds[k]);
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "expression", expr);
        cJSON_AddBoolToObject(p, "silent", 1);
        int id;
        if (call_frame) {
            cJSON_AddStringToObject(p, "callFrameId", call_frame);
            id = cap_cmd(cap, si, "Debugger.evaluateOnCallFrame", p);
        } else {
            cJSON_AddNumberToObject(p, "contextId", ctx);
            id = cap_cmd(cap, si, "Runtime.evaluate", p);
        }
        cap_expect(cap, id, PEND_BP_FN,
                   CAP_BP_ARG(si, k, call_frame && k == BP_NKINDS - 1));
    }
}

/* A function to break on arrived: set the breakpoint (then resume). */
static void
bp_on_function(struct capture *cap, int arg, const cJSON *result)
{
    int resume = arg % 2;
    int kind = (arg / 2) % BP_NKINDS;
    int si = arg / 2 / BP_NKINDS;
    if (si < 0 || si >= cap->nsessions || !cap->sessions[si].id)
        return;
    const cJSON *obj = cJSON_GetObjectItemCaseSensitive(result, "result");
    const char *oid = jstr(obj, "objectId");
    if (oid) {
        char cond[256];
        snprintf(cond, sizeof cond,
                 "typeof %s === 'function' && %s('%s', '%s', this, arguments, %d)"
                 "\n//# sourceURL=" CAP_COND_URL,
                 cap->bp_name, cap->bp_name, bp_kinds[kind], cap->bp_token, si);
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "objectId", oid);
        cJSON_AddStringToObject(p, "condition", cond);
        cap_expect(cap, cap_cmd(cap, si, "Debugger.setBreakpointOnFunctionCall",
                                p), PEND_BP_SET, kind);
    }
    if (resume)
        cap_cmd(cap, si, "Debugger.resume", NULL);
}

void
cap_bp_response(struct capture *cap, const struct cap_pending *pd,
                const cJSON *result)
{
    if (pd->kind == PEND_BP_FN) {
        bp_on_function(cap, pd->arg, result);
        return;
    }
    if (pd->kind == PEND_BP_SET) {
        if (jstr(result, "breakpointId"))
            cap->bps_set++;
        return;
    }
    if (pd->kind != PEND_ISOLATE || pd->arg < 0 || pd->arg >= cap->nsessions)
        return;
    struct cap_session *s = &cap->sessions[pd->arg];
    const char *id = jstr(result, "id");
    if (!id || !s->id)
        return;
    if (s->isolate && strcmp(s->isolate, id) != 0) {
        struct cap_isolate *old = bp_isolate(cap, s->isolate);
        if (old && old->owner == pd->arg)
            old->owner = -1;   /* its breakpoints stayed in that renderer */
    }
    free(s->isolate);
    s->isolate = xstrdup(id);
    s->isolate_stale = 0;
}

static const struct cap_script *bp_script(const struct capture *cap, int si,
                                         const char *id);

/* Debugger.paused: the hooks asking for breakpoints, or anything else. */
static void
bp_on_paused(struct capture *cap, int si, const cJSON *params)
{
    const cJSON *frames = cJSON_GetObjectItemCaseSensitive(params, "callFrames");
    const cJSON *top = cJSON_GetArrayItem(frames, 0);
    const char *cf = jstr(top, "callFrameId");
    const char *script = jstr(cJSON_GetObjectItemCaseSensitive(top, "location"),
                              "scriptId");
    const struct cap_script *sc = script ? bp_script(cap, si, script) : NULL;
    if (!cf || !sc || !sc->is_hook) {
        /* the page's own `debugger;` statements: pmscope never stops it */
        cap_cmd(cap, si, "Debugger.resume", NULL);
        return;
    }
    bp_apply(cap, si, cf, 0, 0);
}

static void
bp_on_script(struct capture *cap, int si, const cJSON *params)
{
    const char *id = jstr(params, "scriptId");
    const cJSON *ctx = cJSON_GetObjectItemCaseSensitive(params,
                                                        "executionContextId");
    const char *url = jstr(params, "url");
    if (!id || !cJSON_IsNumber(ctx) || cap->nscripts >= CAP_MAX_SCRIPTS)
        return;
    const struct cap_context *c = cap_context_find(cap, si, ctx->valueint);
    if (!c)
        return;
    CAP_GROW(cap->scripts, cap->nscripts, cap->cap_scripts);
    struct cap_script *sc = &cap->scripts[cap->nscripts++];
    sc->session = si;
    sc->isolate = xstrdup0(cap->sessions[si].isolate);
    sc->id = xstrdup(id);
    sc->frame = c->frame;
    sc->origin = c->origin;
    sc->is_hook = url && strcmp(url, CAP_HOOK_URL) == 0;
}

/* The script scriptId of session si's renderer (latest first). */
static const struct cap_script *
bp_script(const struct capture *cap, int si, const char *id)
{
    const char *iso = cap->sessions[si].isolate;
    for (int i = cap->nscripts - 1; i >= 0; i--) {
        const struct cap_script *sc = &cap->scripts[i];
        if (strcmp(sc->id, id) != 0)
            continue;
        if (sc->session == si ||
            (iso && sc->isolate && strcmp(iso, sc->isolate) == 0))
            return sc;
    }
    return NULL;
}

/*
 * Two report texts equal but for their time ("ts", each condition reads
 * the clock) and their "key" (the last field).
 */
static int
bp_same_report(const char *a, const char *b)
{
    const char *ta = strstr(a, ",\"ts\":"), *tb = strstr(b, ",\"ts\":");
    if (!ta || !tb || ta - a != tb - b || strncmp(a, b, (size_t)(ta - a)) != 0)
        return 0;
    ta += 6;
    tb += 6;
    ta += strspn(ta, "0123456789.e+-");
    tb += strspn(tb, "0123456789.e+-");
    const char *ka = strstr(ta, ",\"key\":"), *kb = strstr(tb, ",\"key\":");
    if (!ka || !kb || ka - ta != kb - tb)
        return 0;
    return strncmp(ta, tb, (size_t)(ka - ta)) == 0;
}

/*
 * A breakpoint condition's record (console.debug): the send, with its
 * sender frame and origin from the stack's first script outside pmscope.
 */
static void
bp_on_console(struct capture *cap, int si, const cJSON *params)
{
    const char *type = jstr(params, "type");
    const cJSON *args = cJSON_GetObjectItemCaseSensitive(params, "args");
    const char *text = jstr(cJSON_GetArrayItem(args, 0), "value");
    size_t tlen = strlen(cap->bp_token);
    const cJSON *ctx = cJSON_GetObjectItemCaseSensitive(params,
                                                        "executionContextId");
    if (!type || strcmp(type, "debug") != 0 || !text ||
        strncmp(text, cap->bp_token, tlen) != 0 || !cJSON_IsNumber(ctx))
        return;
    /* the same call reported by two sessions' breakpoints: back to back,
     * same record, another session's key */
    const char *keyp = strstr(text, "\"key\":");
    long key = keyp ? strtol(keyp + 6, NULL, 10) : -1;
    struct cap_session *ses = &cap->sessions[si];
    if (ses->last_report && ses->last_key != key &&
        bp_same_report(ses->last_report, text))
        return;
    free(ses->last_report);
    ses->last_report = xstrdup(text);
    ses->last_key = key;
    const struct cap_context *rc = cap_context_find(cap, si, ctx->valueint);
    cJSON *rec = cJSON_Parse(text + tlen);
    if (!rc || !cJSON_IsObject(rec)) {
        cJSON_Delete(rec);
        return;
    }
    int frame = -1;
    const char *origin = NULL;
    struct pm_buf st;
    pm_buf_init(&st);
    int nframes = 0;
    const cJSON *stack = cJSON_GetObjectItemCaseSensitive(params, "stackTrace");
    const cJSON *cf;
    cJSON_ArrayForEach(cf, cJSON_GetObjectItemCaseSensitive(stack, "callFrames")) {
        const char *url = jstr(cf, "url");
        const char *fn = jstr(cf, "functionName");
        const char *sid = jstr(cf, "scriptId");
        const cJSON *ln = cJSON_GetObjectItemCaseSensitive(cf, "lineNumber");
        const cJSON *col = cJSON_GetObjectItemCaseSensitive(cf, "columnNumber");
        if (!url || strcmp(url, CAP_HOOK_URL) == 0 ||
            strcmp(url, CAP_COND_URL) == 0 || !cJSON_IsNumber(ln) ||
            !cJSON_IsNumber(col))
            continue;
        if (nframes == 0) {
            const struct cap_script *sc = sid ? bp_script(cap, si, sid) : NULL;
            if (sc) {
                frame = sc->frame;
                origin = sc->origin;
            }
            if (*url)
                cJSON_AddStringToObject(rec, "u", url);
            cJSON_AddNumberToObject(rec, "l", ln->valueint + 1);
            cJSON_AddNumberToObject(rec, "c", col->valueint + 1);
        }
        /* the form of Error.stack: "at fn (url:l:c)", "at url:l:c" */
        if (nframes++ < CAP_STACK_FRAMES && fn && *fn)
            pm_buf_addf(&st, "%s    at %s (%s:%d:%d)", nframes > 1 ? "\n" : "",
                        fn, *url ? url : "<anonymous>", ln->valueint + 1,
                        col->valueint + 1);
        else if (nframes <= CAP_STACK_FRAMES)
            pm_buf_addf(&st, "%s    at %s:%d:%d", nframes > 1 ? "\n" : "",
                        *url ? url : "<anonymous>", ln->valueint + 1,
                        col->valueint + 1);
    }
    cJSON_AddStringToObject(rec, "s", st.data ? st.data : "");
    pm_buf_release(&st);
    if (frame < 0) {
        /* no script of the caller on the stack: the realm that reported */
        frame = rc->frame;
        origin = rc->origin;
    }
    /* "own": the reporting realm is the target; the caller may differ */
    const char *bp = jstr(rec, "bp");
    if (frame != rc->frame) {
        cJSON_DeleteItemFromObjectCaseSensitive(rec, "cause");
        if (bp && strcmp(bp, "own") == 0)
            cJSON_ReplaceItemInObjectCaseSensitive(
                rec, "rel", cJSON_CreateString("same-origin"));
    }
    cJSON_DeleteItemFromObjectCaseSensitive(rec, "o");
    if (origin)
        cJSON_AddStringToObject(rec, "o", origin);
    cap->sends_at_sender++;
    cap_hook_add(cap, frame, rec, strlen(text));
}

int
cap_bp_event(struct capture *cap, int si, const char *method,
             const cJSON *params)
{
    if (si < 0)
        return 0;
    if (strcmp(method, "Runtime.consoleAPICalled") == 0) {
        bp_on_console(cap, si, params);
        return 1;
    }
    if (strcmp(method, "Debugger.scriptParsed") == 0) {
        bp_on_script(cap, si, params);
        return 1;
    }
    if (strcmp(method, "Debugger.paused") == 0) {
        bp_on_paused(cap, si, params);
        return 1;
    }
    if (strcmp(method, "Runtime.executionContextsCleared") == 0) {
        cap->sessions[si].isolate_stale = 1;
        cap_expect(cap, cap_cmd(cap, si, "Runtime.getIsolateId", NULL),
                   PEND_ISOLATE, si);
        return 1;
    }
    if (strcmp(method, "Runtime.bindingCalled") == 0) {
        const char *name = jstr(params, "name");
        const cJSON *ctx = cJSON_GetObjectItemCaseSensitive(
            params, "executionContextId");
        size_t n = strlen(cap->bp_name);
        if (!name || strncmp(name, cap->bp_name, n) != 0 ||
            strcmp(name + n, "_ready") != 0)
            return 0;
        if (cap->opts->verbose)
            fprintf(stderr, "capture: hooks ready in session %d: %s\n", si,
                    jstr(params, "payload") ? jstr(params, "payload") : "");
        /* "unarmed": the probe saw no breakpoint in this realm although
         * its renderer may have them (a realm they do not cover yet):
         * this session sets its own */
        const char *payload = jstr(params, "payload");
        if (cJSON_IsNumber(ctx))
            bp_apply(cap, si, NULL, ctx->valueint,
                     payload && strncmp(payload, "unarmed ", 8) == 0);
        return 1;
    }
    return 0;
}

void
cap_bp_free(struct capture *cap)
{
    for (int i = 0; i < cap->nscripts; i++) {
        free(cap->scripts[i].isolate);
        free(cap->scripts[i].id);
    }
    free(cap->scripts);
    for (int i = 0; i < cap->nisolates; i++)
        free(cap->isolates[i].id);
    free(cap->isolates);
}
