/*
 * analyze.h - static analysis of postMessage code: finds message listeners
 * and postMessage send sites in a script, and classifies each handler's
 * origin check, the sinks event.data reaches, and whether it replies.
 *
 * These are pure functions over strings (no store, no I/O), so they are
 * unit-tested on snippets; analyze_pass.c applies them to a workspace.
 */
#ifndef PM_ANALYZE_H
#define PM_ANALYZE_H

#include <stddef.h>

#include "vocab.h"

/* What the analysis says about one handler. */
struct pm_handler_facts {
    enum pm_check_kind check;
    char check_expr[256];        /* the check as written, "" for none */
    long check_line, check_col;  /* position of the check, 0 = none */
    unsigned sinks;              /* enum pm_sink bits */
    int replies;                 /* calls event.source.postMessage */
    char reply_target[128];      /* targetOrigin of the reply as written */
    int ignores_event;           /* the handler never reads its event: no finding */
};

struct pm_found_listener {
    long line, col;         /* position of the handler function (or registration) */
    const char *code;       /* handler text, borrowed from the script */
    size_t code_len;
    const char *how;        /* "addEventListener", "onmessage", "jquery", "attachEvent" */
    const char *target;     /* what receives: "window", "port" (MessagePort), "worker" */
    struct pm_handler_facts facts;
};

struct pm_found_send {
    long line, col;
    char target_expr[128];  /* receiver: "window.parent", "e.source", "window" */
    char target_origin[256];
    int has_target_origin;  /* the targetOrigin is a literal (value above) */
    char snippet[256];      /* the call as written, truncated */
    char receiver[160];     /* receiver descriptor (analyze_recv.h), "" = not known */
};

typedef void (*pm_listener_found_fn)(const struct pm_found_listener *l,
                                     void *ctx);
typedef void (*pm_send_found_fn)(const struct pm_found_send *s, void *ctx);

/*
 * Scan one script: call on_listener for every message listener registered
 * in it and on_send for every postMessage call (either may be NULL).
 * first_line/first_col give the script's position in its file (inline
 * scripts in HTML); pass 1, 1 for a script file.
 */
void analyze_script(const char *src, size_t n, long first_line,
                    long first_col, pm_listener_found_fn on_listener,
                    pm_send_found_fn on_send, void *ctx);

/*
 * Classify a handler recorded by its source text (a trace's listener code:
 * "function (e) {...}", "e => ...", "onMessage(e) {...}").  A code that
 * holds no function (bound or native functions) gives PM_CHECK_UNKNOWN.
 */
void analyze_handler_code(const char *code, size_t n,
                          struct pm_handler_facts *out);

/*
 * Find the inline scripts of an HTML document and call fn for each with
 * its text and the line:col where it starts.  Scripts with a src attribute
 * or a non-JavaScript type are skipped.
 */
typedef void (*pm_inline_script_fn)(const char *src, size_t n, long line,
                                    long col, void *ctx);
void html_each_inline_script(const char *html, size_t n,
                             pm_inline_script_fn fn, void *ctx);

#endif
