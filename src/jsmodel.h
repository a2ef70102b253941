/*
 * jsmodel.h - a script parsed into a syntax tree (tree-sitter with the
 * JavaScript grammar), its declarations indexed by scope, and the message
 * listener registrations in it with the function each one installs.
 *
 * Below the analysis: analyze.c asks it for registrations and maps the
 * handler it names back onto jsscan.c's tokens, where classify.c judges
 * what the handler does.  Nothing here knows about the store.
 */
#ifndef PM_JSMODEL_H
#define PM_JSMODEL_H

#include <stddef.h>
#include <stdint.h>

#include "jsfunc.h"

struct jsm;

/*
 * Parse src[0, n), or only its windows w[0, nw) when nw > 0 (the rest is
 * skipped as if absent; offsets stay those of src).  NULL when the parser
 * gives up; a script with syntax errors still gives a tree, with error
 * nodes where the code is invalid.
 */
struct jsm *jsm_parse(const char *src, size_t n, const struct js_window *w,
                      size_t nw);
void jsm_free(struct jsm *m);

/* One message listener registration found in the tree (byte offsets). */
struct jsm_reg {
    uint32_t name_off;          /* addEventListener / onmessage / on / wrapper name */
    uint32_t recv_start, recv_end; /* receiver expression; equal = none */
    uint32_t arg_start, arg_end;   /* the handler argument as written */
    int fn_found;               /* the handler resolved to a function: */
    uint32_t fn_start, fn_end;  /* where it starts (its name for a method) and ends */
    int reads_event;            /* the function reads its event (or arguments) */
    const char *how;            /* "addEventListener", "attachEvent", "onmessage",
                                 * "jquery", "wrapper", "handleEvent" */
};

typedef void (*jsm_reg_fn)(const struct jsm_reg *r, void *ctx);

/*
 * Call fn for every message listener registration, in source order of
 * name_off: addEventListener / attachEvent('message' | 'onmessage', H) on
 * anything or bare, X.onmessage = H, jQuery .on/.bind/.one('message', H),
 * and calls of wrapper functions that pass their own event-type and
 * handler parameters to addEventListener.  H is followed through names
 * (scoped declarations, assignments), object properties, `this` members,
 * .bind(), factories (the function a called function returns), getters of
 * bundler module maps and handleEvent objects.  Returns how many things
 * the tree leaves open: registrations whose handler did not resolve, and
 * calls passing 'message' and a possible handler to a function not known
 * as a wrapper (a larger part of the script may answer them).
 */
int jsm_each_registration(struct jsm *m, jsm_reg_fn fn, void *ctx);

/*
 * The function called by name at byte off (the callee identifier's first
 * byte), resolved in its scope: 1 and *fn_start (its name, for a method)
 * when found.  0 when off is outside what was parsed or does not resolve.
 */
int jsm_callee_at(const struct jsm *m, size_t off, size_t *fn_start);

#endif
