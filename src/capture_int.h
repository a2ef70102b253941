/*
 * capture_int.h - state shared by the capture modules: capture.c (browser
 * sessions, frames, the event loop), capture_match.c (matching sends with
 * deliveries), capture_trace.c (writing the trace) and capture_har.c (the
 * HAR writer).  Not a public API.
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
};

struct cap_session {
    char *id;          /* CDP sessionId */
    char *target_id;
    int frame;         /* root frame of the target, -1 if none */
    int page;          /* HAR page index, -1 if not a page/frame target */
};

/* Execution context (per session) -> frame, from Runtime.executionContextCreated. */
struct cap_context {
    int session;
    int ctx_id;
    int frame;
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

struct capture {
    const struct capture_opts *opts;
    const char *hooks_source;   /* capture_hooks_js + the call with options */
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

/* Write the trace (all records, ordered by ts) to f; fills counts in res.
 * A write error names `name` (the file, or standard output) and why. */
enum pm_rc cap_trace_write(struct capture *cap, FILE *f, const char *name,
                           struct capture_result *res, struct pm_err *err);

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
