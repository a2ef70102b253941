/*
 * importer.h - the interface every input format implements (tmux's
 * cmd_entry idea): one file per format exports one const struct pm_importer,
 * and importers/registry.c lists them.
 *
 * An importer reads its input and calls the store_add_* functions; it never
 * writes SQL and never touches the UI.  It runs inside the import's single
 * transaction (importers/import.c owns begin/commit/rollback), so returning
 * an error is enough to leave the workspace as it was.
 */
#ifndef PM_IMPORTER_H
#define PM_IMPORTER_H

#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "store.h"

struct pm_import_ctx {
    struct pm_store *st;
    int64_t source_id;   /* row in sources for this import */
    const char *path;    /* file name used in error messages */
    const char *file;    /* the file on disk (differs from path for URLs) */
    FILE *fp;            /* the input, positioned at byte 0 (read once:
                            it may be a pipe; no seeking) */
    int64_t size;        /* input size in bytes, 0 when not known (a pipe) */
    long warnings;       /* records skipped with a warning */
    char tool[128];      /* producer named by the input, if any */
    /* private to import.c: progress reporting */
    double started;
    double last_progress;
    int progress_shown;
};

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

/* Report how far the importer has read; cheap to call per record. */
void import_progress(struct pm_import_ctx *ctx, int64_t bytes_done);

/* Record a skipped record: counted, and the first few printed to stderr. */
void import_warn(struct pm_import_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

extern const struct pm_importer *const pm_importers[];

const struct pm_importer *importer_find(const char *name);

#endif
