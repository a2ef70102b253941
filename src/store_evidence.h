/*
 * store_evidence.h - the evidence message of a listener finding (see
 * store_evidence.c for how it is chosen).
 */
#ifndef PM_STORE_EVIDENCE_H
#define PM_STORE_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "store.h"

/* The message that best shows listener_id's finding (*message_id 0 when
 * it received none) and, in why, the reason it was chosen. */
enum pm_rc store_pick_listener_evidence(struct pm_store *st,
                                        int64_t listener_id,
                                        int64_t *message_id, char *why,
                                        size_t whysz, struct pm_err *err);

#endif
