/*
 * capture.h - record a live browsing session as a pmscope trace.
 *
 * capture_run starts Chromium (capture_cdp.h), attaches to every target the
 * page creates (iframes in and out of process, popups) before their scripts
 * run, installs the postMessage hooks (capture_hooks.js) in each document,
 * loads the URL and records until the duration elapses, the page goes idle,
 * the user interrupts (SIGINT/SIGTERM) or the browser dies.  It then writes
 * the trace (docs/trace-format.md) and, when asked, a HAR 1.2 of the
 * network traffic.  The browser and its temporary profile are always
 * removed before capture_run returns.
 */
#ifndef PM_CAPTURE_H
#define PM_CAPTURE_H

#include "err.h"

struct capture_opts {
    const char *url;
    const char *out_path;    /* "-" = stdout */
    const char *har_path;    /* NULL = no HAR */
    const char *workspace;   /* never written over (outfile.h); may be NULL */
    const char *chromium;    /* NULL = search PATH */
    double duration_s;       /* hard stop */
    long until_idle_ms;      /* 0 = off: stop after this long without events */
    int headful;
    int verbose;             /* protocol notes to stderr */
};

struct capture_result {
    long frames, messages, listeners, sends, unmatched_sends;
    long window_at_sender;   /* window messages whose send was seen */
    long window_at_receiver; /* ... seen at the receiver only */
    long har_entries;
    long dropped;            /* hook records over the memory limits */
    double elapsed_ms;
    const char *stop_reason; /* "duration", "idle", "interrupted", "browser exited" */
};

#define CAPTURE_DEFAULT_DURATION 10.0
#define CAPTURE_DEFAULT_IDLE_MS 2000

/*
 * Run one capture.  Returns PM_OK when a trace was written (also after an
 * interrupt or a browser crash: the trace then holds what was seen, and
 * res->stop_reason says why it ended); PM_ERR_NET when the URL could not
 * be loaded; PM_ERR_USAGE when no browser was found; PM_ERR_IO for pipe or
 * file trouble.
 */
enum pm_rc capture_run(const struct capture_opts *opts,
                       struct capture_result *res, struct pm_err *err);

/* The hooks' source text (capture_hooks.c, generated from capture_hooks.js). */
extern const char capture_hooks_js[];

#endif
