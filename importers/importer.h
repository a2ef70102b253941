/*
 * importer.h - the interface every input format implements (tmux's
 * cmd_entry idea): one file per format exports one const struct pm_importer,
 * and importers/registry.c lists them.
 *
 * An importer reads its input and calls the store_add_* functions; it never
 * writes SQL and never touches the UI.  It runs inside the import's single
 * transaction (importers/import.c owns begin/commit/rollback), so returning
 * an error is enough to leave the workspace as it was.  It reports skipped
 * records and progress with import_warn and import_progress
 * (importers/import_ctx.h), never by calling the driver.
 */
#ifndef PM_IMPORTER_H
#define PM_IMPORTER_H

#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "import_ctx.h"
#include "store.h"

struct pm_importer {
    const char *name;        /* "har", "trace", "openwpm": --format value */
    const char *description; /* one line for help and error messages */
    /*
     * Score how likely head (the first bytes of the input, BOM and leading
     * whitespace included) is this format: 0 = no, 100 = certain.
     */
    int (*probe)(const unsigned char *head, size_t n);
    enum pm_rc (*run)(struct pm_import_ctx *ctx, struct pm_err *err);
    /* 1: run opens ctx->file by name (an SQLite database) instead of
     * reading ctx->fp, so the input must be a regular file, not a pipe. */
    int reads_by_name;
};

extern const struct pm_importer *const pm_importers[];

const struct pm_importer *importer_find(const char *name);

#endif
