/*
 * scratch_ws.h - a workspace in a fresh temporary directory, for unit tests
 * that import into or query a real SQLite workspace.  Linked into every
 * test binary (see the Makefile's TEST_HELPERS).
 */
#ifndef PM_TEST_SCRATCH_WS_H
#define PM_TEST_SCRATCH_WS_H

#include <stddef.h>

#include "store.h"

struct scratch_ws {
    char dir[64];          /* /tmp/pmscope-test-TAG-XXXXXX */
    char path[96];         /* DIR/ws.pmscope */
    struct pm_store *st;   /* open on path */
};

/* Create the directory and a new workspace in it: 0, or -1 with a message
 * on stderr. */
int scratch_ws_open(struct scratch_ws *w, const char *tag);

/* DIR/name into out (for input files the test writes next to the
 * workspace; scratch_ws_close removes them too). */
void scratch_ws_file(const struct scratch_ws *w, const char *name, char *out,
                     size_t outsz);

/* Close the workspace and remove the directory with everything in it. */
void scratch_ws_close(struct scratch_ws *w);

#endif
