/*
 * recheck.h - `pmscope recheck`: fetch a finding's receiver document and
 * listener script as they are served now and say whether the finding still
 * holds.
 *
 * Per finding the result is one of
 *   still-present  the same handler is still served / framing unchanged
 *   changed        the script or the framing headers differ, not clearly fixed
 *   fixed          the same script (same origin, a script, not empty) no
 *                  longer has the handler, or all its listeners now check
 *                  the origin strictly; or the document can no longer be
 *                  framed by anyone
 *   inconclusive   an answer that says nothing about what was recorded: a
 *                  redirect through another origin, an empty body, a page
 *                  or other non-script where a script was, a non-2xx status
 *   unreachable    the URL could not be fetched (or answered an HTTP error)
 * and is recorded with the detail line in findings.recheck_status /
 * recheck_at / recheck_detail.
 */
#ifndef PM_RECHECK_H
#define PM_RECHECK_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "fetch.h"
#include "store.h"

struct recheck_opts {
    const int64_t *ids;    /* findings to re-check; none = all confirmed */
    size_t nids;
    int include_suggested; /* with no ids: suggested findings too */
    int parallel;          /* concurrent transfers (default 8) */
    struct fetch_opts fetch;
};

struct recheck_result {
    int64_t finding_id;
    const char *subject_kind;
    int64_t subject_id;
    const char *title;
    const char *status;   /* one of the five above, or NULL: nothing to fetch */
    char at[32];          /* ISO 8601 UTC */
    char detail[2048];    /* what was compared and found */
};

typedef void (*recheck_result_fn)(const struct recheck_result *r, void *ctx);

/*
 * Re-check the findings, record the outcomes (one transaction) and call fn
 * for each in finding order.  *n_checked counts the findings with a result.
 */
enum pm_rc recheck_run(struct pm_store *st, const struct recheck_opts *o,
                       recheck_result_fn fn, void *ctx, long *n_checked,
                       struct pm_err *err);

/*
 * Framing policy comparison, exposed for tests: 1 when a document with
 * these headers can be framed by any origin (no X-Frame-Options DENY or
 * SAMEORIGIN, no CSP frame-ancestors directive other than '*').
 */
int recheck_frameable_by_anyone(const char *xfo, const char *csp);

#endif
