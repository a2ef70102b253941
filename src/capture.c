/*
 * capture.c - `pmscope capture`: drive Chromium over the DevTools pipe and
 * collect frames, navigations and the hooks' postMessage records.
 *
 * Attachment: the browser target auto-attaches to every page (the first
 * tab, later popups) with waitForDebuggerOnStart, and every page or frame
 * session does the same for its own children (out-of-process iframes), all
 * flattened into one pipe.  Each new session first gets the hooks binding,
 * the hooks script (for every new document), the domains we listen to, and
 * only then Runtime.runIfWaitingForDebugger, so no page script runs before
 * the hooks.  Frames get trace ids F1, F2, ... in the order pmscope first
 * hears of them (Page.frameAttached, a target attaching, a frame tree).
 *
 * Everything is buffered and written at the end (capture_trace.c), because
 * sends and deliveries arrive from different renderer processes in no
 * particular order and must be matched before messages can be written.
 * Memory is bounded by CAP_MAX_HOOK_BYTES of hook payload (capture_state.c).
 * Window sends are seen at the sender through breakpoints (capture_bp.c).
 */
#include "capture.h"
#include "capture_int.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mem.h"
#include "outfile.h"

#define CAP_BINDING "__pmscope_emit"
#define CAP_MAX_FRAMES 10000

static volatile sig_atomic_t cap_signal;

static void
cap_on_signal(int sig)
{
    cap_signal = sig;
}


static const char *
json_str(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

#define GROW CAP_GROW

/* Frame index for a CDP frame id, creating it (in discovery order). */
int
cap_frame_get(struct capture *cap, const char *cdp_id, int create)
{
    if (!cdp_id || !*cdp_id)
        return -1;
    for (int i = 0; i < cap->nframes; i++)
        if (strcmp(cap->frames[i].cdp_id, cdp_id) == 0)
            return i;
    if (!create || cap->nframes >= CAP_MAX_FRAMES)
        return -1;
    GROW(cap->frames, cap->nframes, cap->cap_frames);
    struct cap_frame *f = &cap->frames[cap->nframes];
    memset(f, 0, sizeof *f);
    f->cdp_id = xstrdup(cdp_id);
    f->kind = CAP_IFRAME;
    f->parent = f->opener = -1;
    f->ts = cap_now_ms(cap);
    f->page = -1;
    cap->events++;
    return cap->nframes++;
}


static int
cap_session_find(const struct capture *cap, const char *sid)
{
    if (!sid)
        return -1;
    for (int i = 0; i < cap->nsessions; i++)
        if (cap->sessions[i].id && strcmp(cap->sessions[i].id, sid) == 0)
            return i;
    return -1;
}

static void
cap_set_parent(struct capture *cap, int fi, const char *parent_cdp)
{
    if (fi < 0 || !parent_cdp)
        return;
    int p = cap_frame_get(cap, parent_cdp, 1);
    if (p >= 0 && p != fi && cap->frames[fi].parent < 0) {
        cap->frames[fi].parent = p;
        cap->frames[fi].kind = CAP_IFRAME;
        if (cap->frames[fi].page < 0)
            cap->frames[fi].page = cap->frames[p].page;
    }
}

/* A document committed in frame fi. */
static void
cap_frame_committed(struct capture *cap, int fi, const char *url)
{
    if (fi < 0 || !url || !*url)
        return; /* "" = nothing committed yet (a frame tree of a new target) */
    struct cap_frame *f = &cap->frames[fi];
    cap->events++;
    if (!f->url || strcmp(f->url, "about:blank") == 0) {
        /* the initial empty document is replaced, not navigated */
        if (!f->url || strcmp(url, "about:blank") != 0) {
            free(f->url);
            f->url = xstrdup(url);
            free(f->cur_url);
            f->cur_url = xstrdup(url);
        }
        return;
    }
    if (f->cur_url && strcmp(f->cur_url, url) == 0)
        return;
    free(f->cur_url);
    f->cur_url = xstrdup(url);
    GROW(cap->navs, cap->nnavs, cap->cap_navs);
    cap->navs[cap->nnavs].frame = fi;
    cap->navs[cap->nnavs].ts = cap_now_ms(cap);
    cap->navs[cap->nnavs].url = xstrdup(url);
    cap->navs[cap->nnavs].first_hook = cap->nhooks;
    cap->nnavs++;
}

/* Walk a Page.getFrameTree result. */
static void
cap_frame_tree(struct capture *cap, const cJSON *tree, int depth)
{
    if (!tree || depth > 64)
        return;
    const cJSON *frame = cJSON_GetObjectItemCaseSensitive(tree, "frame");
    int fi = cap_frame_get(cap, json_str(frame, "id"), 1);
    cap_set_parent(cap, fi, json_str(frame, "parentId"));
    cap_frame_committed(cap, fi, json_str(frame, "url"));
    const cJSON *kids = cJSON_GetObjectItemCaseSensitive(tree, "childFrames");
    const cJSON *k;
    cJSON_ArrayForEach(k, kids)
        cap_frame_tree(cap, k, depth + 1);
}


static int
cap_take_pending(struct capture *cap, int id, struct cap_pending *out)
{
    for (int i = 0; i < cap->npending; i++) {
        if (cap->pending[i].id == id) {
            *out = cap->pending[i];
            cap->pending[i] = cap->pending[--cap->npending];
            return 1;
        }
    }
    return 0;
}

static int
cap_count_pending(const struct capture *cap, enum cap_pending_kind kind)
{
    int n = 0;
    for (int i = 0; i < cap->npending; i++)
        n += cap->pending[i].kind == kind;
    return n;
}

/* Target.attachedToTarget: set the new session up, then let it run. */
static void
cap_on_attached(struct capture *cap, const cJSON *params)
{
    const char *sid = json_str(params, "sessionId");
    const cJSON *info = cJSON_GetObjectItemCaseSensitive(params, "targetInfo");
    const char *tid = json_str(info, "targetId");
    const char *type = json_str(info, "type");
    if (!sid || !tid || !type)
        return;
    int is_page = strcmp(type, "page") == 0;
    int is_frame = strcmp(type, "iframe") == 0;
    int dup = 0;
    for (int i = 0; i < cap->nsessions; i++)
        if (cap->sessions[i].target_id &&
            strcmp(cap->sessions[i].target_id, tid) == 0)
            dup = 1;
    if (!dup && (is_page || is_frame) && cap_frame_get(cap, tid, 1) < 0)
        dup = 1; /* over CAP_MAX_FRAMES: not followed */
    cJSON *p;
    if ((!is_page && !is_frame) || dup) {
        /* workers, second attachments, too many frames: let them run */
        p = cJSON_CreateObject();
        cdp_send(&cap->cdp, sid, "Runtime.runIfWaitingForDebugger", NULL);
        cJSON_AddStringToObject(p, "sessionId", sid);
        if (dup)
            cdp_send(&cap->cdp, NULL, "Target.detachFromTarget", p);
        else
            cJSON_Delete(p);
        return;
    }
    GROW(cap->sessions, cap->nsessions, cap->cap_sessions);
    int si = cap->nsessions++;
    struct cap_session *s = &cap->sessions[si];
    memset(s, 0, sizeof *s);
    s->id = xstrdup(sid);
    s->target_id = xstrdup(tid);
    s->page = -1;
    s->frame = cap_frame_get(cap, tid, 1);
    struct cap_frame *f = &cap->frames[s->frame];
    if (is_page) {
        const char *opener = json_str(info, "openerFrameId");
        if (!opener)
            opener = json_str(info, "openerId");
        int oi = cap_frame_get(cap, opener, 0);
        f->kind = oi >= 0 ? CAP_POPUP : CAP_TOP;
        f->opener = oi;
        f->parent = -1;
        f->page = cap->npages++;
        s->page = f->page;
        if (cap->main_session < 0)
            cap->main_session = si;
    } else {
        f->kind = CAP_IFRAME;
        s->page = f->page;
    }

    cap_cmd(cap, si, "Target.setAutoAttach", cdp_autoattach_params());
    p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "name", CAP_BINDING);
    cap_cmd(cap, si, "Runtime.addBinding", p);
    cap_cmd(cap, si, "Page.enable", NULL);
    cap_cmd(cap, si, "Runtime.enable", NULL);
    cap_bp_attach(cap, si);
    /* new documents: hooks that pause while the renderer has no
     * breakpoints; the document there now: hooks that never pause */
    p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "source", cap->hooks_pause);
    cap_cmd(cap, si, "Page.addScriptToEvaluateOnNewDocument", p);
    p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "expression", cap->hooks_source);
    cJSON_AddBoolToObject(p, "silent", 1);
    cap_cmd(cap, si, "Runtime.evaluate", p);
    if (cap->har) {
        p = cJSON_CreateObject();
        cJSON_AddNumberToObject(p, "maxTotalBufferSize", 64.0 * 1024 * 1024);
        cJSON_AddNumberToObject(p, "maxResourceBufferSize", 16.0 * 1024 * 1024);
        cap_cmd(cap, si, "Network.enable", p);
    }
    cap_expect(cap, cap_cmd(cap, si, "Page.getFrameTree", NULL),
               PEND_FRAME_TREE, si);
    cap_expect(cap, cap_cmd(cap, si, "Runtime.runIfWaitingForDebugger", NULL),
               PEND_SETUP_DONE, si);
    if (cap->opts->verbose)
        fprintf(stderr, "capture: attached %s %s\n", type, tid);
}

static void
cap_on_hook(struct capture *cap, int si, const cJSON *params)
{
    const char *name = json_str(params, "name");
    const char *payload = json_str(params, "payload");
    const cJSON *ctx = cJSON_GetObjectItemCaseSensitive(params,
                                                        "executionContextId");
    if (!name || strcmp(name, CAP_BINDING) != 0 || !payload ||
        !cJSON_IsNumber(ctx))
        return;
    const struct cap_context *c = cap_context_find(cap, si, ctx->valueint);
    int frame = c ? c->frame : -1;
    size_t len = strlen(payload);
    if (frame < 0) {
        if (cap->opts->verbose)
            fprintf(stderr, "capture: hook record from unknown context %d\n",
                    ctx->valueint);
        return;
    }
    cJSON *rec = cJSON_Parse(payload);
    if (!cJSON_IsObject(rec)) {
        cJSON_Delete(rec);
        return;
    }
    /* the origin is the browser's word, never what the page says */
    cJSON_DeleteItemFromObjectCaseSensitive(rec, "o");
    if (c->origin)
        cJSON_AddStringToObject(rec, "o", c->origin);
    cap_hook_add(cap, frame, rec, len);
}



/* Ask session si for a response body; the reply goes to cap_har_body. */
static void
cap_request_body(struct capture *cap, int si, const char *request_id,
                 int entry)
{
    if (si < 0 || !cap->sessions[si].id)
        return;
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "requestId", request_id);
    cap_expect(cap, cap_cmd(cap, si, "Network.getResponseBody", p), PEND_BODY,
               entry);
}

/* One event from the browser. */
static void
cap_on_event(struct capture *cap, const cJSON *msg)
{
    const char *method = json_str(msg, "method");
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(msg, "params");
    int si = cap_session_find(cap, json_str(msg, "sessionId"));
    if (!method)
        return;
    if (cap_bp_event(cap, si, method, params))
        return;
    if (strcmp(method, "Target.attachedToTarget") == 0) {
        cap_on_attached(cap, params);
    } else if (strcmp(method, "Runtime.bindingCalled") == 0) {
        cap_on_hook(cap, si, params);
    } else if (strcmp(method, "Page.frameAttached") == 0) {
        int fi = cap_frame_get(cap, json_str(params, "frameId"), 1);
        cap_set_parent(cap, fi, json_str(params, "parentFrameId"));
    } else if (strcmp(method, "Page.frameNavigated") == 0) {
        const cJSON *frame = cJSON_GetObjectItemCaseSensitive(params, "frame");
        int fi = cap_frame_get(cap, json_str(frame, "id"), 1);
        const char *name = json_str(frame, "name");
        size_t n = strlen(cap->bp_name);
        if (fi >= 0 && name && strncmp(name, cap->bp_name, n) == 0 &&
            strcmp(name + n, "-mint") == 0)
            cap->frames[fi].hidden = 1;
        cap_set_parent(cap, fi, json_str(frame, "parentId"));
        cap_frame_committed(cap, fi, json_str(frame, "url"));
    } else if (strcmp(method, "Runtime.executionContextCreated") == 0) {
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(params, "context");
        const cJSON *aux = cJSON_GetObjectItemCaseSensitive(c, "auxData");
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(c, "id");
        const cJSON *def = cJSON_GetObjectItemCaseSensitive(aux, "isDefault");
        if (si < 0 || !cJSON_IsNumber(id) || !cJSON_IsTrue(def))
            return;
        int fi = cap_frame_get(cap, json_str(aux, "frameId"), 1);
        if (fi < 0)
            return;
        GROW(cap->contexts, cap->ncontexts, cap->cap_contexts);
        cap->contexts[cap->ncontexts].session = si;
        cap->contexts[cap->ncontexts].ctx_id = id->valueint;
        cap->contexts[cap->ncontexts].frame = fi;
        cap->contexts[cap->ncontexts].origin =
            xstrdup0(json_str(c, "origin"));
        cap->ncontexts++;
    } else if (strcmp(method, "Target.detachedFromTarget") == 0) {
        int di = cap_session_find(cap, json_str(params, "sessionId"));
        if (di >= 0) {
            free(cap->sessions[di].id);
            cap->sessions[di].id = NULL;
        }
    } else if (strncmp(method, "Network.", 8) == 0 && cap->har && si >= 0) {
        int entry = cap_har_event(cap, si, method, params);
        if (entry >= 0)
            cap_request_body(cap, si, json_str(params, "requestId"), entry);
    }
}

enum cap_state { ST_ATTACHING, ST_NAVIGATING, ST_RECORDING, ST_DRAINING };

struct cap_loop {
    enum cap_state state;
    int browser_attached;   /* Target.setAutoAttach on the browser answered */
    int main_ready;         /* the main tab's session set-up answered */
    int nav_error;
    char nav_error_text[256];
    double nav_started;
};

static void
cap_navigate(struct capture *cap, struct cap_loop *lp)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "url", cap->opts->url);
    cap_expect(cap, cap_cmd(cap, cap->main_session, "Page.navigate", p),
               PEND_NAVIGATE, cap->main_session);
    lp->state = ST_NAVIGATING;
    lp->nav_started = cap_now_ms(cap);
    cap->t0 = lp->nav_started;
}

static void
cap_on_response(struct capture *cap, struct cap_loop *lp, const cJSON *msg)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(msg, "id");
    struct cap_pending pd;
    if (!cJSON_IsNumber(id) || !cap_take_pending(cap, id->valueint, &pd))
        return;
    const cJSON *result = cJSON_GetObjectItemCaseSensitive(msg, "result");
    const cJSON *error = cJSON_GetObjectItemCaseSensitive(msg, "error");
    switch (pd.kind) {
    case PEND_BROWSER_ATTACH:
        /* existing tabs were attached before this reply; else open one */
        lp->browser_attached = 1;
        if (cap->main_session < 0) {
            cJSON *p = cJSON_CreateObject();
            cJSON_AddStringToObject(p, "url", "about:blank");
            cap_expect(cap, cdp_send(&cap->cdp, NULL, "Target.createTarget", p),
                       PEND_CREATE_TARGET, 0);
        }
        break;
    case PEND_CREATE_TARGET:
        if (error || cap->main_session < 0) {
            lp->nav_error = 1;
            snprintf(lp->nav_error_text, sizeof lp->nav_error_text,
                     "the browser did not open a tab");
        }
        break;
    case PEND_SETUP_DONE:
        /*
         * Navigate only once the main tab has the binding and the hooks:
         * the browser applies them asynchronously, and a document that
         * commits before would run its first scripts unobserved.
         */
        if (pd.arg == cap->main_session)
            lp->main_ready = 1;
        break;
    case PEND_NAVIGATE: {
        const char *et = json_str(result, "errorText");
        if (error || (et && *et)) {
            lp->nav_error = 1;
            snprintf(lp->nav_error_text, sizeof lp->nav_error_text, "%s",
                     et ? et : (json_str(error, "message") ?
                                json_str(error, "message") : "error"));
        } else {
            lp->state = ST_RECORDING;
        }
        break;
    }
    case PEND_FRAME_TREE:
        if (result)
            cap_frame_tree(cap, cJSON_GetObjectItemCaseSensitive(
                                    result, "frameTree"), 0);
        break;
    case PEND_BODY:
        cap_har_body(cap, pd.arg, result);
        break;
    case PEND_ISOLATE:
    case PEND_BP_FN:
    case PEND_BP_SET:
        cap_bp_response(cap, &pd, result);
        break;
    case PEND_NONE:
        break;
    }
}

static void
cap_free(struct capture *cap)
{
    for (int i = 0; i < cap->nframes; i++) {
        free(cap->frames[i].cdp_id);
        free(cap->frames[i].url);
        free(cap->frames[i].cur_url);
    }
    free(cap->frames);
    for (int i = 0; i < cap->nsessions; i++) {
        free(cap->sessions[i].id);
        free(cap->sessions[i].target_id);
        free(cap->sessions[i].isolate);
        free(cap->sessions[i].last_report);
    }
    free(cap->sessions);
    for (int i = 0; i < cap->ncontexts; i++)
        free(cap->contexts[i].origin);
    free(cap->contexts);
    cap_bp_free(cap);
    for (int i = 0; i < cap->nhooks; i++)
        cJSON_Delete(cap->hooks[i].rec);
    free(cap->hooks);
    for (int i = 0; i < cap->nnavs; i++)
        free(cap->navs[i].url);
    free(cap->navs);
    cap_har_free(cap->har);
    free(cap->pending);
}

/* Write the trace to opts->out_path (through outfile for files). */
static enum pm_rc
cap_write_outputs(struct capture *cap, struct capture_result *res,
                  struct pm_err *err)
{
    const char *path = cap->opts->out_path;
    if (!path || strcmp(path, "-") == 0) {
        if (cap_trace_write(cap, stdout, "standard output", res, err) != PM_OK)
            return err->rc;
        if (fflush(stdout) != 0)
            return pm_err_at(err, PM_ERR_IO, "standard output", 0, 0,
                             "cannot write the trace: %s", strerror(errno));
    } else {
        struct pm_outfile of;
        if (outfile_open(&of, path, cap->opts->workspace, 0600,
                         PM_OUT_OVERWRITE, err) != PM_OK)
            return err->rc;
        if (cap_trace_write(cap, of.fp, path, res, err) != PM_OK) {
            outfile_discard(&of);
            return err->rc;
        }
        if (outfile_commit(&of, err) != PM_OK)
            return err->rc;
    }
    if (cap->har)
        return cap_har_write(cap, cap->opts->har_path, &res->har_entries, err);
    return PM_OK;
}

/*
 * The reporter's global name and the token its records carry: random per
 * capture, so a page can neither guess the name ahead nor forge a record
 * (the token is only in the breakpoint condition and the hooks' closure).
 */
static void
cap_random_names(struct capture *cap)
{
    unsigned char r[24];
    size_t got = 0;
    FILE *f = fopen("/dev/urandom", "rb");
    if (f) {
        got = fread(r, 1, sizeof r, f);
        fclose(f);
    }
    for (size_t i = got; i < sizeof r; i++)
        r[i] = (unsigned char)(rand() ^ (int)getpid() ^ (int)(i * 131));
    char hex[49];
    for (size_t i = 0; i < sizeof r; i++)
        snprintf(hex + 2 * i, 3, "%02x", r[i]);
    snprintf(cap->bp_name, sizeof cap->bp_name, "__pm_%.12s", hex);
    snprintf(cap->bp_token, sizeof cap->bp_token, "PM%.32s:", hex + 12);
}

enum pm_rc
capture_run(const struct capture_opts *opts, struct capture_result *res,
            struct pm_err *err)
{
    memset(res, 0, sizeof *res);
    char browser[4096];
    if (cdp_find_browser(opts->chromium, browser, sizeof browser, err) != PM_OK)
        return err->rc;

    struct capture cap;
    memset(&cap, 0, sizeof cap);
    cap.main_session = -1;
    cap.opts = opts;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    cap.start_epoch_ms = (double)now.tv_sec * 1000.0 +
                         (double)now.tv_nsec / 1e6;
    if (opts->har_path)
        cap.har = cap_har_new();
    cap_random_names(&cap);
    struct pm_buf src, src_pause;
    pm_buf_init(&src);
    pm_buf_init(&src_pause);
    /*
     * The reporter is a global lexical binding (let): the breakpoint
     * conditions and Runtime.evaluate reach it by name like a global, but
     * it is no property of the window, so the page cannot list it; a second
     * run of the hooks in one realm fails on the redeclaration.
     */
    for (int pause = 0; pause < 2; pause++) {
        struct pm_buf *b = pause ? &src_pause : &src;
        pm_buf_addf(b, "let %s;\n", cap.bp_name);
        pm_buf_adds(b, capture_hooks_js);
        pm_buf_addf(b, "({\"name\": \"%s\", \"token\": \"%s\", \"pause\": %s,"
                    " \"publish\": function (r) { %s = r; }});"
                    "\n//# sourceURL=pmscope-hooks.js\n", cap.bp_name, cap.bp_token,
                    pause ? "true" : "false", cap.bp_name);
    }
    cap.hooks_source = src.data;
    cap.hooks_pause = src_pause.data;

    struct sigaction sa, old_int, old_term, old_pipe;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = cap_on_signal;
    sigemptyset(&sa.sa_mask);
    cap_signal = 0;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, &old_pipe);

    enum pm_rc rc = cdp_launch(&cap.cdp, browser, opts->headful,
                               opts->verbose, err);
    if (rc != PM_OK)
        goto out;

    struct cap_loop lp;
    memset(&lp, 0, sizeof lp);
    cap_expect(&cap, cdp_send(&cap.cdp, NULL, "Target.setAutoAttach",
                              cdp_autoattach_params()),
               PEND_BROWSER_ATTACH, 0);

    double limit = opts->duration_s > 0 ? opts->duration_s * 1000.0
                                        : CAPTURE_DEFAULT_DURATION * 1000.0;
    double startup_limit = 30000.0; /* browser start + first response */
    double last_events_at = 0, drain_until = 0;
    long last_events = -1;
    res->stop_reason = "duration";
    for (;;) {
        double t = cap_now_ms(&cap);
        if (cap_signal) {
            res->stop_reason = "interrupted";
            break;
        }
        if (lp.nav_error)
            break;
        if (lp.state == ST_ATTACHING || lp.state == ST_NAVIGATING) {
            if (t > startup_limit + (lp.state == ST_NAVIGATING ? limit : 0)) {
                lp.nav_error = 1;
                snprintf(lp.nav_error_text, sizeof lp.nav_error_text,
                         lp.state == ST_ATTACHING
                             ? "the browser did not answer within 30 s"
                             : "the page did not start loading in time");
                break;
            }
        } else if (lp.state == ST_RECORDING) {
            if (cap.events != last_events) {
                last_events = cap.events;
                last_events_at = t;
            }
            double rec_t = t - lp.nav_started;
            if (rec_t >= limit) {
                res->stop_reason = "duration";
                lp.state = ST_DRAINING;
                drain_until = t + 2000;
            } else if (opts->until_idle_ms > 0 &&
                       t - last_events_at >= (double)opts->until_idle_ms) {
                res->stop_reason = "idle";
                lp.state = ST_DRAINING;
                drain_until = t + 2000;
            }
        }
        if (lp.state == ST_DRAINING &&
            (cap_count_pending(&cap, PEND_BODY) == 0 || t >= drain_until))
            break;
        if (lp.state == ST_ATTACHING && lp.browser_attached && lp.main_ready)
            cap_navigate(&cap, &lp);
        cJSON *msg = NULL;
        struct pm_err rerr = PM_ERR_INIT;
        if (cdp_read(&cap.cdp, 100, &msg, &rerr) != PM_OK) {
            res->stop_reason = "browser exited";
            break;
        }
        if (!msg)
            continue;
        if (cJSON_GetObjectItemCaseSensitive(msg, "id"))
            cap_on_response(&cap, &lp, msg);
        else
            cap_on_event(&cap, msg);
        cJSON_Delete(msg);
    }
    res->elapsed_ms = lp.nav_started > 0 ? cap_now_ms(&cap) - lp.nav_started
                                          : cap_now_ms(&cap);

    int crashed = strcmp(res->stop_reason, "browser exited") == 0;
    char tail[1024] = "";
    if (crashed)
        cdp_log_tail(&cap.cdp, tail, sizeof tail);
    cdp_shutdown(&cap.cdp);

    if (lp.nav_error) {
        /* net::ERR_..., a tab that never opened, a page that never started */
        rc = pm_err_set(err, PM_ERR_NET, "cannot load %s: %s", opts->url,
                        lp.nav_error_text);
        goto out;
    }
    if (crashed && lp.state != ST_RECORDING && lp.state != ST_DRAINING) {
        int st = cap.cdp.exit_status;
        rc = pm_err_set(err, PM_ERR_IO,
                        "the browser exited before the page loaded (%s %d)%s%s",
                        WIFSIGNALED(st) ? "signal" : "status",
                        WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st),
                        tail[0] ? "; its last output: " : "", tail);
        goto out;
    }
    res->dropped = cap.dropped;
    rc = cap_write_outputs(&cap, res, err);

out:
    if (cap.cdp.pid > 0 || cap.cdp.profile[0])
        cdp_shutdown(&cap.cdp);
    cap_free(&cap);
    pm_buf_release(&src);
    pm_buf_release(&src_pause);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGPIPE, &old_pipe, NULL);
    return rc;
}
