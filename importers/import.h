/*
 * import.h - import one input file into a workspace: detect the format by
 * content, skip content imported before (unless forced), run the importer
 * and the post-import analysis inside one transaction.
 */
#ifndef PM_IMPORT_H
#define PM_IMPORT_H

#include <stdint.h>

#include "err.h"
#include "store.h"

struct pm_import_opts {
    const char *format; /* NULL = detect */
    int force;          /* import even if the same content was imported */
    int quiet;          /* no progress line */
    const char *source_name; /* name to record and show instead of the
                                file's path (a fetched URL), or NULL */
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
