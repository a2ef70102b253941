/*
 * flow.h - message flows: which message answers which.  A reply goes from
 * the receiver of a message back to its sender later, carrying the same
 * correlation field (id, requestId, messageId, callbackId, uuid, seq, ...),
 * or continues a MessagePort conversation in the other direction.  Each
 * message gets at most one reply_to; flow_id is the id of the first message
 * of its chain.
 */
#ifndef PM_FLOW_H
#define PM_FLOW_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "store.h"

/*
 * The correlation key of a message's data ("id=7"), from a top-level field
 * of a JSON object (also one serialized inside a JSON string).  Returns 1
 * and fills out when there is one, 0 otherwise.
 */
int flow_correlation_key(const char *data_json, char *out, size_t outsz);

/* Link replies and flows of the messages of one source; *linked counts replies. */
enum pm_rc flow_link_source(struct pm_store *st, int64_t source_id,
                            long *linked, struct pm_err *err);

#endif
