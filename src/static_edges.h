/*
 * static_edges.h - the origin graph from code: each send site resolved on
 * the window model to the windows its receiver can denote, and every
 * message edge's receiving listeners judged against its sender origin.
 * Run by every analysis pass (analyze_pass.c), inside the import's
 * transaction; it rebuilds static_sends and edge_verdicts from scratch, so
 * running it twice gives the same rows.
 */
#ifndef PM_STATIC_EDGES_H
#define PM_STATIC_EDGES_H

#include "err.h"
#include "store.h"

struct pm_static_edge_stats {
    long sends;    /* static_sends rows written */
    long verdicts; /* edge_verdicts rows written */
};

enum pm_rc static_edges_run(struct pm_store *st,
                            struct pm_static_edge_stats *stats,
                            struct pm_err *err);

#endif
