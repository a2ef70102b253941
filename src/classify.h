/*
 * classify.h - what one handler does with its event (classify.c): its
 * origin check, the sinks event.data reaches, its reply.
 */
#ifndef PM_CLASSIFY_H
#define PM_CLASSIFY_H

#include "analyze.h"
#include "jsfunc.h"

/*
 * Classify the handler f of script s (with helper resolution inside s).
 * When s->work_left cannot pay for the handler's body, out says "not
 * analysed" (PM_CHECK_UNKNOWN) and nothing is walked.
 */
void classify_handler(struct js_script *s, const struct js_func *f,
                      struct pm_handler_facts *out);

#endif
