/*
 * scratch_ws.h - a workspace in a fresh temporary directory, for unit tests
 * that import into or query a real SQLite workspace, and a cmocka fixture
 * built on it for importer tests.  Linked into every test binary (see the
 * Makefile's TEST_HELPERS).
 */
#ifndef PM_TEST_SCRATCH_WS_H
#define PM_TEST_SCRATCH_WS_H

#include <stddef.h>

#include "err.h"
#include "ingest.h"
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

/*
 * Every row of sql run on the workspace: columns joined by '|', each row
 * ended by '\n', a NULL column written as null_text.  The text lives in a
 * static buffer until the next call.  Fails the test when sql is invalid.
 */
const char *scratch_ws_rows(const struct scratch_ws *w, const char *sql,
                            const char *null_text);

/*
 * The fixture of an importer test: a scratch workspace and the path of
 * one input file next to it that the test writes, plus the result and
 * error of the last scratch_import.
 */
struct scratch_import {
    struct scratch_ws sw;
    char input[128];             /* DIR/<input name> */
    struct pm_import_result res;
    struct pm_err err;
    char errtext[700];           /* err formatted ("" after a success) */
};

/*
 * A cmocka setup: a new struct scratch_import in *state, its workspace in
 * /tmp/pmscope-test-TAG-XXXXXX and its input path DIR/input_name.
 */
int scratch_import_setup(void **state, const char *tag,
                         const char *input_name);

/* The matching cmocka teardown. */
int scratch_import_teardown(void **state);

/*
 * Import path into the fixture's workspace (format detected, no progress
 * line; force imports content already imported).  Fills res, err, errtext.
 */
enum pm_rc scratch_import(struct scratch_import *f, const char *path,
                          int force);

#endif
