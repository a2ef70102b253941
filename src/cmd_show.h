/*
 * cmd_show.h - the kinds of `pmscope show KIND ID`.  Each kind is one row
 * in the table in src/cmd_show.c; a kind owned by another module prints
 * from its own file (src/show_*.c) with this signature, through
 * src/ls_out.h, and never calls back into the table.
 */
#ifndef PM_CMD_SHOW_H
#define PM_CMD_SHOW_H

#include <stdint.h>

#include "store.h"

/* How code is laid out: by the TUI's rule (minified code re-indented),
 * or as asked with --pretty or --raw. */
enum show_layout { SHOW_LAYOUT_AUTO, SHOW_LAYOUT_PRETTY, SHOW_LAYOUT_RAW };

struct pm_show_opts {
    int json;                 /* --json: one JSON object on stdout */
    enum show_layout layout;
};

struct pm_show_kind {
    const char *name;
    /* Print object id; returns the exit code (1 when there is none). */
    int (*run)(struct pm_store *st, int64_t id, const struct pm_show_opts *o);
    /* Or, for a kind named by two operands (an edge: FROM TO), this. */
    int (*run_pair)(struct pm_store *st, const char *a, const char *b,
                    const struct pm_show_opts *o);
};

/* Every kind, in the order help lists them; the last row's name is NULL. */
extern const struct pm_show_kind show_kinds[];

/* Kinds implemented by the modules that own them. */
int show_listener(struct pm_store *st, int64_t id,
                  const struct pm_show_opts *o); /* show_code.c */
int show_send(struct pm_store *st, int64_t id,
              const struct pm_show_opts *o);     /* show_code.c */
int show_finding(struct pm_store *st, int64_t id,
                 const struct pm_show_opts *o);  /* show_finding.c */

#endif
