/*
 * show_edge.h - `pmscope show edge FROM TO` (src/show_edge.c), called by
 * the show command's table of kinds (src/cmd_show.c).
 */
#ifndef PM_SHOW_EDGE_H
#define PM_SHOW_EDGE_H

#include "store.h"

/* Print the edge; json selects --json.  Returns the exit code. */
int show_edge(struct pm_store *st, const char *from, const char *to, int json);

#endif
