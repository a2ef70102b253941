/*
 * export.h - the findings report: `pmscope export` and the TUI's `e` key.
 *
 * export_report reads the findings a status mask selects (by severity,
 * critical first) and everything around each one (origins, frame path,
 * evidence message, listener and its origin check, send site, flow), then
 * renders one Markdown document (GitHub/GitLab flavoured, with Mermaid
 * sequence diagrams) or one JSON document with the same content.
 *
 * Nothing from an input can change the document's structure: every value
 * goes through src/md_escape.c.  Unless opts->redact is 0, every value also
 * goes through src/redact.c first.
 */
#ifndef PM_EXPORT_H
#define PM_EXPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "store.h"

enum pm_export_format {
    PM_EXPORT_MD,
    PM_EXPORT_JSON,
};

struct pm_export_opts {
    unsigned status_mask;         /* PM_FST_* bits; 0 = PM_FST_CONFIRMED */
    int redact;                   /* 1 = hide credentials (the default) */
    enum pm_export_format format;
    const char *generated_at;     /* ISO 8601 stamp; NULL = now, or
                                     $SOURCE_DATE_EPOCH when set */
    const char *workspace_name;   /* shown in the header; NULL = none */
    const char *out_name;         /* named in write errors; NULL = standard
                                     output */
};

/* Limits that keep a report readable whatever the workspace holds. */
#define PM_EXPORT_MAX_DATA 16384   /* bytes of pretty-printed evidence */
#define PM_EXPORT_MAX_CODE_LINES 40
#define PM_EXPORT_MAX_LINE 240     /* characters per code line */
#define PM_EXPORT_MAX_FLOW 30      /* messages in a sequence diagram */
#define PM_EXPORT_MAX_PATH 32      /* windows in a frame path */
#define PM_EXPORT_MAX_GRAPH_EDGES 40 /* edges in the origin graph */

/*
 * Write the report to out, one finding at a time (memory holds the summary
 * rows and one finding's details, not the document).  *count receives the
 * number of findings.  A write error is PM_ERR_IO naming opts->out_name
 * and the system's reason.
 */
enum pm_rc export_report(struct pm_store *st, const struct pm_export_opts *o,
                         FILE *out, long *count, struct pm_err *err);

#endif
