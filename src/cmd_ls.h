/*
 * cmd_ls.h - the `ls` command's kinds.  Each kind is one row in the table in
 * src/cmd_ls.c; a module that owns a kind of object (findings, listeners...)
 * implements its printer in its own file with this signature, and prints
 * with the helpers of src/ls_out.h.
 */
#ifndef PM_CMD_LS_H
#define PM_CMD_LS_H

#include <stdint.h>
#include <stdio.h>

#include "store.h"

struct pm_ls_opts {
    int json;            /* --json: one JSON array on stdout */
    const char *filter;  /* --filter EXPR (messages) */
    const char *status;  /* --status S (findings) */
    int64_t limit;       /* --limit N, 0 = no limit */
    int64_t after;       /* --after ID: keyset start for paged kinds */
    int all;             /* --all: listeners also list scanned copies */
};

struct pm_ls_kind {
    const char *name;
    const char *summary;
    int (*run)(struct pm_store *st, const struct pm_ls_opts *o); /* exit code */
};

/* Every kind, in the order help lists them; the last row's name is NULL. */
extern const struct pm_ls_kind ls_kinds[];

/* Kinds implemented by the modules that own them. */
int ls_findings(struct pm_store *st, const struct pm_ls_opts *o); /* ls_findings.c */
int ls_listeners(struct pm_store *st, const struct pm_ls_opts *o); /* ls_analysis.c */
int ls_sends(struct pm_store *st, const struct pm_ls_opts *o); /* ls_analysis.c */

#endif
