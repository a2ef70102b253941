/*
 * ingest.c - import then analysis, in the import's one transaction.  The
 * import driver owns BEGIN and COMMIT and runs the steps it is given
 * before COMMIT; this file gives it the analysis pass, so the importers
 * and the analysis never call each other and a failed analysis rolls the
 * import back.
 */
#include "ingest.h"

#include "analyze_pass.h"

/* What runs on every new source before it is committed, in order. */
static const pm_import_step ingest_steps[] = {
    analyze_after_import,
    NULL,
};

enum pm_rc
ingest_file(struct pm_store *st, const char *path,
            const struct pm_import_opts *opts, struct pm_import_result *res,
            struct pm_err *err)
{
    struct pm_import_opts with_steps = *opts;
    with_steps.after = ingest_steps;
    return import_file(st, path, &with_steps, res, err);
}
