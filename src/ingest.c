/*
 * ingest.c - import then analysis, in the import's one transaction.  The
 * import driver owns BEGIN and COMMIT and runs the steps it is given
 * before COMMIT; this file gives it the merge of one visit's windows
 * (store_visit.c) and the analysis pass, so the importers
 * and the analysis never call each other and a failed analysis rolls the
 * import back.
 */
#include "ingest.h"

#include "analyze_pass.h"
#include "store_visit.h"

/* A source's windows that are an earlier source's (one visit recorded
 * twice) become those windows before the analysis reads them. */
static enum pm_rc
ingest_merge_visit(struct pm_store *st, int64_t source_id, struct pm_err *err)
{
    return store_visit_merge(st, source_id, NULL, err);
}

/* What runs on every new source before it is committed, in order. */
static const pm_import_step ingest_steps[] = {
    ingest_merge_visit,
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
