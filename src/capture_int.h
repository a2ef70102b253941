/*
 * capture_int.h - state shared by the capture modules: capture.c (browser
 * sessions, frames, the event loop), capture_state.c (commands, contexts,
 * hook records), capture_bp.c (window sends seen at the sender through
 * breakpoints), capture_match.c (matching sends with deliveries),
 * capture_trace.c (writing the trace) and capture_har.c (the HAR writer).
 * Not a public API.
 */
#ifndef PM_CAPTURE_INT_H
#define PM_CAPTURE_INT_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "capture.h"
#include "capture_cdp.h"

enum cap_frame_kind { CAP_TOP, CAP_IFRAME, CAP_POPUP };

struct cap_frame {
    char *cdp_id;      /* CDP frameId (== targetId for page/OOPIF roots) */
    enum cap_frame_kind kind;
    int parent;        /* index into frames, -1 = none/unknown */
    int opener;        /* index into frames, -1 = none */
    char *url;         /* first document's URL; NULL until it commits */
    char *cur_url;     /* current URL (after navigations) */
    double ts;         /* first seen, ms since capture start */
    int page;          /* HAR page index (top-level ancestor's page) */
    int hidden;        /* a realm the hooks made to mint functions */
    int no;            /* trace id number (cap_number_frames), 0 = hidden */
};

struct cap_session {
    char *id;          /* CDP sessionId */
    char *target_id;
    int frame;         /* root frame of the target, -1 if none */
    int page;          /* HAR page index, -1 if not a page/frame target */
    char *isolate;     /* V8 isolate (Runtime.getIsolateId); NULL = unknown */
    int isolate_stale; /* contexts cleared: maybe another renderer now */
    char *last_report; /* the last breakpoint report (duplicates dropped) */
    long last_key;     /* ... and the session whose breakpoint made it */
};

/* Execution context (per session) -> frame, from Runtime.executionContextCreated. */
struct cap_context {
    int session;
    int ctx_id;
    int frame;
    char *origin;      /* the context's security origin (from the browser) */
};

/* A script the debugger reported (Debugger.scriptParsed), for stacks. */
struct cap_script {
    int session;
    char *isolate;
    char *id;          /* scriptId, unique within its isolate */
    int frame;
    const char *origin; /* owned by the context */
    int is_hook;       /* pmscope's hooks, not a page script */
};

/* A V8 isolate (renderer process): one session owns its breakpoints. */
struct cap_isolate {
    char *id;
    int owner;         /* session index, -1 = none */
};

/* One record reported by the in-page hooks (capture_hooks.js). */
struct cap_hook {
    int frame;
    double ts;         /* ms since capture start, on the renderer's clock */
    double arrival;    /* ms since capture start when pmscope got it; 0 = unknown */
    cJSON *rec;        /* owned */
};

/* A navigation after the frame's first document. */
struct cap_nav {
    int frame;
    double ts;         /* when pmscope heard of it (capture clock) */
    char *url;
    int first_hook;    /* hooks that had arrived before it (cap->nhooks) */
};

struct cap_har;
struct cap_pending;

enum cap_pending_kind {
    PEND_NONE, PEND_BROWSER_ATTACH, PEND_CREATE_TARGET, PEND_NAVIGATE,
    PEND_FRAME_TREE, PEND_SETUP_DONE, PEND_BODY,
    PEND_ISOLATE,      /* Runtime.getIsolateId; arg = session */
    PEND_BP_FN,        /* a function to break on; arg = CAP_BP_ARG(...) */
    PEND_BP_SET        /* Debugger.setBreakpointOnFunctionCall; arg = kind */
};

struct cap_pending {
    int id;
    enum cap_pending_kind kind;
    int arg; /* session index or HAR entry */
};

struct capture {
    const struct capture_opts *opts;
    const char *hooks_source;   /* capture_hooks_js + the call with options */
    const char *hooks_pause;    /* the same, pausing until breakpoints are set */
    char bp_name[32];           /* the hooks' reporter: a random global name */
    char bp_token[40];          /* proves a record came from a condition */
    struct cdp cdp;
    double start_epoch_ms;  /* wall clock when capture started */
    double t0;              /* trace ts 0: when the URL was requested (ms
                               after start_epoch_ms) */

    struct cap_frame *frames;
    int nframes, cap_frames;
    struct cap_session *sessions;
    int nsessions, cap_sessions;
    struct cap_context *contexts;
    int ncontexts, cap_contexts;
    struct cap_script *scripts;
    int nscripts, cap_scripts;
    struct cap_isolate *isolates;
    int nisolates, cap_isolates;
    long sends_at_sender;   /* window sends reported by breakpoints */
    long bps_set;           /* breakpoints set (fresh, not "already exists") */
    struct cap_hook *hooks;
    int nhooks, cap_hooks;
    struct cap_nav *navs;
    int nnavs, cap_navs;
    size_t hook_bytes;      /* payload bytes kept, bounded */

    struct cap_pending *pending; /* commands whose replies we act on */
    int npending, cap_pending;
    int main_session;       /* session index of the start tab, -1 = none */

    struct cap_har *har;    /* NULL unless --har */
    int npages;
    long events;            /* hook records + frame events seen */
    long dropped;           /* hook records dropped at the memory limits */
};

double cap_now_ms(const struct capture *cap);

#define CAP_GROW(arr, n, capv) do { \
    if ((n) == (capv)) { \
        (capv) = (capv) ? (capv) * 2 : 16; \
        (arr) = xrealloc((arr), (size_t)(capv) * sizeof *(arr)); \
    } } while (0)

/* Send a command on session index si (-1 = browser); returns its id. */
int cap_cmd(struct capture *cap, int si, const char *method, cJSON *params);
/* Remember that the reply to command `id` needs handling. */
void cap_expect(struct capture *cap, int id, enum cap_pending_kind kind,
                int arg);
/* Frame index for a CDP frame id (created when `create`), -1 if none. */
int cap_frame_get(struct capture *cap, const char *cdp_id, int create);
/* The context `ctx_id` of session si, or NULL. */
const struct cap_context *cap_context_find(const struct capture *cap, int si,
                                           int ctx_id);
/* Keep one hook record (rec is taken over); len = its payload size. */
void cap_hook_add(struct capture *cap, int frame, cJSON *rec, size_t len);

/*
 * Sender-side capture through function-entry breakpoints (capture_bp.c).
 * cap_bp_attach: a new page/frame session's set-up (before it runs).
 * cap_bp_event: an event it handles (returns 1), else 0.
 * cap_bp_response: the reply to a PEND_ISOLATE / PEND_BP_* command.
 */
void cap_bp_attach(struct capture *cap, int si);
int cap_bp_event(struct capture *cap, int si, const char *method,
                 const cJSON *params);
void cap_bp_response(struct capture *cap, const struct cap_pending *pd,
                     const cJSON *result);
void cap_bp_free(struct capture *cap);

/* Write the trace (all records, ordered by ts) to f; fills counts in res.
 * A write error names `name` (the file, or standard output) and why. */
enum pm_rc cap_trace_write(struct capture *cap, FILE *f, const char *name,
                           struct capture_result *res, struct pm_err *err);

/* Give the frames their trace numbers, skipping hidden ones. */
void cap_number_frames(struct capture *cap);

/* HAR: created when --har is given; events fed from the Network domain. */
struct cap_har *cap_har_new(void);
void cap_har_free(struct cap_har *h);
/*
 * A Network.* event of session `session`; returns the entry whose response
 * body capture.c should now ask for (Network.getResponseBody), else -1.
 */
int cap_har_event(struct capture *cap, int session, const char *method,
                  const cJSON *params);
/* A Network.getResponseBody reply for entry `entry`. */
void cap_har_body(struct capture *cap, int entry, const cJSON *result);
/* Bodies still being fetched. */
int cap_har_pending(const struct capture *cap);
enum pm_rc cap_har_write(struct capture *cap, const char *path,
                         long *entries, struct pm_err *err);

#endif
