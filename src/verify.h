/*
 * verify.h - run findings' proofs of concept in headless Chromium and say
 * whether the canary fired (`pmscope verify`).
 *
 * One browser serves a whole run; the findings run one after the other,
 * each in a fresh tab.  The PoC page is served by the browser itself
 * (Fetch.requestPaused -> Fetch.fulfillRequest) under an attacker origin
 * of its own, which therefore needs no DNS and no server.  In replay
 * mode every other request is answered from the workspace's recorded
 * responses (a URL not recorded gets a 404 and is listed); in live mode
 * it goes to the network.  Conditional breakpoints on the line after the
 * listener's origin check and on the sink's line, true only for a message
 * from the attacker origin, say how far the message got and give the
 * stack at the sink.
 */
#ifndef PM_VERIFY_H
#define PM_VERIFY_H

#include <stdint.h>

#include "err.h"

struct pm_store;

struct verify_opts {
    int live;               /* 0 = replay from the workspace */
    const char *chromium;   /* NULL = search PATH */
    double timeout_s;       /* per finding */
    int verbose;
};

struct verify_item {
    int64_t finding_id;
    /* what to run (owned) */
    char *poc_html;         /* NULL: nothing to run; detail says why */
    char *attacker_origin;  /* scheme://host[:port] the PoC is served from */
    char *target_url;
    char *script_url;       /* the listener's script */
    long check_bp_line;     /* 0-based line just after the check, -1 = none */
    long sink_bp_line;      /* 0-based line of the sink, -1 = none */
    char event_name[64];    /* the handler's event parameter */
    char sink_kind[16];     /* poc_sink_kind_name */
    char sink[32];
    char *check_expr;       /* the check as written, NULL = none */
    int check_strict;       /* a check no other origin passes */
    int no_passing_origin;  /* flawed, but no passing origin was derived */
    char *unmet;            /* why the payload may not reach the sink */
    /* the outcome */
    const char *status;     /* "verified", "not reproduced" */
    char *detail;           /* owned */
};

/*
 * Run the items.  PM_ERR_USAGE when no browser was found (nothing run),
 * PM_ERR_IO when the browser could not be started or died; else PM_OK
 * with every item's status and detail set.
 */
enum pm_rc verify_run(struct pm_store *st, const struct verify_opts *o,
                      struct verify_item *items, int n, struct pm_err *err);

void verify_item_release(struct verify_item *it);

#endif
