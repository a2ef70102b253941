/*
 * findings.h - the analyst's findings workflow, shared by the CLI
 * (pmscope mark / unmark / note / confirm / dismiss / ls findings) and the
 * TUI.  Every function that changes something writes it at once in its own
 * small transaction; nothing is buffered, so a crash or a second pmscope
 * process never loses or half-applies an action.
 *
 * Subjects: a message, a listener, a send site or a window by id, or an
 * origin edge (sender origin -> receiver origin; in the table subject_id
 * is the sender origin id and subject_key "SENDER_ID>RECEIVER_ID").
 *
 * Statuses: the analysis writes "suggested" findings (rule = rule id); the
 * analyst confirms or dismisses them.  A finding marked by hand has no rule
 * and starts "confirmed": the analyst asserted it.  Marking a subject that
 * already has a hand-marked finding updates that finding instead of adding
 * a second one.
 */
#ifndef PM_FINDINGS_H
#define PM_FINDINGS_H

#include <stdint.h>

#include "err.h"
#include "store.h"

struct pm_subject {
    const char *kind; /* "message", "listener", "send_site", "window", "edge" */
    int64_t id;       /* edge: sender origin id */
    int64_t to_id;    /* edge: receiver origin id, else 0 */
};

/* The canonical words, each list ending in NULL (help, completion). */
extern const char *const findings_kinds[];
extern const char *const findings_severities[];
extern const char *const findings_statuses[];

/* Canonical kind name for user text ("send-site" -> "send_site"), or NULL. */
const char *findings_kind_name(const char *text);
/* Canonical severity for text or a unique prefix ("crit", "h"), or NULL. */
const char *findings_severity_name(const char *text);
/* Canonical status ("suggested", "confirmed", "dismissed") or NULL. */
const char *findings_status_name(const char *text);
/*
 * Status mask from a comma-separated list of statuses and "all"
 * ("confirmed,suggested"); PM_ERR_USAGE names a bad word.
 */
enum pm_rc findings_status_mask(const char *list, unsigned *mask,
                                struct pm_err *err);

/* Finding id from "12" or "#12"; PM_ERR_USAGE for anything else. */
enum pm_rc findings_parse_id(const char *text, int64_t *id, struct pm_err *err);

/*
 * Subject from user text: KIND is a kind name, ID a positive id; for an
 * edge, ID is "SENDER>RECEIVER" where each side is an origin id or an
 * origin ("https://a.example>https://w.example").  The subject must exist:
 * PM_ERR_NOTFOUND otherwise.
 */
enum pm_rc findings_parse_subject(struct pm_store *st, const char *kind,
                                  const char *id, struct pm_subject *out,
                                  struct pm_err *err);

/*
 * Mark a subject by hand.  severity is a severity name or unique prefix
 * (NULL: "medium" for a new finding, unchanged for an update); title
 * NULL or "" derives one from the subject; note NULL leaves an existing
 * note alone ("" clears it).  *fid receives the finding id, *created 1 when
 * a new finding was added, 0 when an existing one was updated: the
 * subject's hand mark, else the analysis' finding on it (not dismissed),
 * which is confirmed (there "" keeps its note).  The TUI's m key does the
 * same.
 */
enum pm_rc findings_mark(struct pm_store *st, const struct pm_subject *subj,
                         const char *severity, const char *title,
                         const char *note, int64_t *fid, int *created,
                         struct pm_err *err);

/* Delete one finding (hand-marked or suggested). */
enum pm_rc findings_unmark(struct pm_store *st, int64_t fid,
                           struct pm_err *err);
/*
 * Delete the hand-marked findings on a subject (suggested ones stay: they
 * are dismissed, not deleted).  *removed counts them; PM_ERR_NOTFOUND
 * when there were none.
 */
enum pm_rc findings_unmark_subject(struct pm_store *st,
                                   const struct pm_subject *subj, int *removed,
                                   struct pm_err *err);

/* Replace the note (NULL or "" clears it). */
enum pm_rc findings_set_note(struct pm_store *st, int64_t fid,
                             const char *note, struct pm_err *err);
/* status: "suggested", "confirmed" or "dismissed". */
enum pm_rc findings_set_status(struct pm_store *st, int64_t fid,
                               const char *status, struct pm_err *err);
enum pm_rc findings_set_severity(struct pm_store *st, int64_t fid,
                                 const char *severity, struct pm_err *err);
enum pm_rc findings_set_title(struct pm_store *st, int64_t fid,
                              const char *title, struct pm_err *err);

/*
 * Row iterator: findings whose status is in status_mask (PM_FST_* bits),
 * with id > after_id, at most limit (0 = all), by id, or by severity
 * (critical first) when by_severity.  Row strings are valid during the call.
 */
enum pm_rc findings_each(struct pm_store *st, unsigned status_mask,
                         int by_severity, int64_t after_id, int64_t limit,
                         pm_finding_cb cb, void *ctx, struct pm_err *err);

/* "edge 3>5" / "message 12" label of a finding's subject (caller frees). */
char *findings_subject_label(const struct pm_finding_row *r);

#endif
