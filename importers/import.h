/*
 * import.h - import one input file into a workspace: detect the format by
 * content, skip content imported before (unless forced), run the importer
 * and then the caller's steps (struct pm_import_opts.after) inside one
 * transaction.  The driver knows nothing of what those steps do: a
 * command imports through src/ingest.c, which gives the analysis pass as
 * the step, so every import comes with its derived facts.
 */
#ifndef PM_IMPORT_H
#define PM_IMPORT_H

#include <stdint.h>

#include "err.h"
#include "store.h"

/*
 * A step run on the new source inside the import's transaction, after the
 * importer and before COMMIT; an error from it rolls the import back.
 */
typedef enum pm_rc (*pm_import_step)(struct pm_store *st, int64_t source_id,
                                     struct pm_err *err);

struct pm_import_opts {
    const char *format; /* NULL = detect */
    int force;          /* import even if the same content was imported */
    int quiet;          /* no progress line */
    const char *source_name; /* name to record and show instead of the
                                file's path (a fetched URL), or NULL */
    const pm_import_step *after; /* steps in order, NULL-terminated; or NULL */
};

struct pm_import_result {
    int64_t source_id;
    int skipped;         /* same content imported before as source_id */
    char format[16];
    long warnings;
};

enum pm_rc import_file(struct pm_store *st, const char *path,
                       const struct pm_import_opts *opts,
                       struct pm_import_result *res, struct pm_err *err);

/* Names of all formats, comma-separated, for messages. */
const char *import_format_names(void);

#endif
