/*
 * analyze_pass.h - analysis over a workspace: scan the scripts a source
 * brought (HAR bodies, inline scripts in HTML), classify the listeners a
 * trace or crawl recorded, link message flows, and write suggested
 * findings.  Runs inside the caller's transaction; re-running it updates
 * rows in place and never duplicates them.
 */
#ifndef PM_ANALYZE_PASS_H
#define PM_ANALYZE_PASS_H

#include <stdint.h>

#include "err.h"
#include "store.h"

struct pm_analyze_stats {
    long scripts;        /* script bodies and inline scripts scanned */
    long listeners;      /* listeners classified (scanned or recorded) */
    long send_sites;
    long replies_linked; /* messages given a reply_to */
    long findings_new;   /* suggested findings added */
};

/* Analyse one source (source_id > 0) or all (0); stats may be NULL. */
enum pm_rc analyze_workspace(struct pm_store *st, int64_t source_id,
                             struct pm_analyze_stats *stats,
                             struct pm_err *err);

/* The post-import step (src/ingest.c): analyze_workspace for one source. */
enum pm_rc analyze_after_import(struct pm_store *st, int64_t source_id,
                                struct pm_err *err);

#endif
