/*
 * ingest.h - bring one input file into a workspace together with what the
 * analysis derives from it, in one transaction: the import driver
 * (importers/import.c) runs the importer, then the analysis pass
 * (src/analyze_pass.c) on the new source, then commits.  A failure in
 * either rolls both back, so the workspace is exactly what it was.
 *
 * Every command that imports (import, open, capture --import, import URL
 * through src/fetch.c) calls ingest_file, never import_file: the importers
 * do not know the analysis exists, and a workspace never holds an import
 * without its derived facts.
 */
#ifndef PM_INGEST_H
#define PM_INGEST_H

#include "err.h"
#include "import.h"
#include "store.h"

/* import_file with the analysis pass as its step (opts->after is set here,
 * whatever the caller put there); same results and errors. */
enum pm_rc ingest_file(struct pm_store *st, const char *path,
                       const struct pm_import_opts *opts,
                       struct pm_import_result *res, struct pm_err *err);

#endif
