/*
 * suggest.h - the rules that turn analysis results into suggested
 * findings.  Every rule has an id (the findings.rule column), a severity
 * and a one-line rationale; `pmscope analyze --rules` prints the table.
 */
#ifndef PM_SUGGEST_H
#define PM_SUGGEST_H

#include <stdint.h>

#include "err.h"
#include "store.h"

struct pm_rule {
    const char *id;
    const char *severity;  /* default severity */
    const char *rationale;
};

extern const struct pm_rule pm_rules[];

/* 1 when a data JSON text looks sensitive (token, auth, session, password,
 * jwt, key, cookie, email field names; JWT or e-mail values); the matched
 * word goes to what (may be NULL). */
int suggest_sensitive_data(const char *data_json, char *what, size_t whatsz);

/* Severity one step up ("medium" -> "high"); "critical" stays. */
const char *suggest_raise(const char *severity);

/*
 * Apply the rules: listener rules over all listeners (they may depend on
 * windows of other sources), message rules over source_id's messages
 * (0 = all sources).  *added counts new suggested findings.
 */
enum pm_rc suggest_run(struct pm_store *st, int64_t source_id, long *added,
                       struct pm_err *err);

#endif
