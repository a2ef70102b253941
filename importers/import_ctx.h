/*
 * import_ctx.h - what an importer is handed while it runs, and the two ways
 * it reports back: warnings about records it skipped, and progress.
 *
 * The context and its reporting live in importers/import_ctx.c, below both
 * the importers and the driver (importers/import.c): the driver fills the
 * context and reaches the importers through registry.c's table, and the
 * importers report through these functions, so no call runs back up into
 * the driver.
 */
#ifndef PM_IMPORT_CTX_H
#define PM_IMPORT_CTX_H

#include <stdint.h>
#include <stdio.h>

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
    /* private to import_ctx.c: progress reporting */
    double started;
    double last_progress;
    int progress_shown;
};

/* Report how far the importer has read; cheap to call per record. */
void import_progress(struct pm_import_ctx *ctx, int64_t bytes_done);

/* Record a skipped record: counted, and the first few printed to stderr. */
void import_warn(struct pm_import_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * For the driver: show progress from now on (a line on stderr, updated
 * in place, once the import has taken a second), or, when show is 0 or
 * stderr is not a terminal, never.
 */
void import_progress_start(struct pm_import_ctx *ctx, int show);

/* For the driver: erase the progress line, if one was shown. */
void import_progress_end(struct pm_import_ctx *ctx);

#endif
