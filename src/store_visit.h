/*
 * store_visit.h - merge the windows of a source into the windows of an
 * earlier source of the same visit (see store_visit.c).
 */
#ifndef PM_STORE_VISIT_H
#define PM_STORE_VISIT_H

#include <stdint.h>

#include "err.h"
#include "store.h"

/* Merge the windows of source_id that are windows of an earlier source;
 * *merged (may be NULL) is how many.  Runs inside the import's
 * transaction. */
enum pm_rc store_visit_merge(struct pm_store *st, int64_t source_id,
                             long *merged, struct pm_err *err);

#endif
