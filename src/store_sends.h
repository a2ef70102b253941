/*
 * store_sends.h - send sites as the TUI's send-site view (view 7) and
 * `pmscope show send` read them: a page of sites, optionally only those
 * a sender origin's documents hold or those of a list of ids (the send
 * sites of one origin edge), one site with the text of its script, and
 * the messages it sent.
 *
 * Same conventions as store_query.h: keyset pagination on the send site
 * id, rows passed to a callback with borrowed strings, a callback
 * returning non-zero stops early.  Scanned copies of recorded calls
 * (send_sites.same_as) are never listed: the recorded row stands for both.
 */
#ifndef PM_STORE_SENDS_H
#define PM_STORE_SENDS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "store.h"

struct pm_ui_send_site {
    int64_t id, source_id, window_id;
    int64_t doc;               /* the window's document that sent, 0 = unknown */
    const char *origin;        /* that document's origin, else its window's */
    const char *window_kind;   /* "top", "iframe", "popup", "worker" */
    const char *doc_url;       /* that document's URL (else the window's) */
    const char *script_url;
    long line, col;
    const char *target_expr;   /* receiver expression: "parent", "e.source" */
    const char *target_origin; /* literal targetOrigin, NULL when not one */
    const char *snippet;       /* the call as written, when a scan saw it */
    const char *found_by;      /* "trace", "scan" or "trace+scan" */
    /* Only from store_ui_get_send_site: */
    const char *stack;         /* recorded at the sender, NULL when not */
    const char *script;        /* the text of its script (its own body, or
                                  its scanned copy's), NULL when none */
    size_t script_len;
};

typedef int (*pm_ui_send_site_cb)(const struct pm_ui_send_site *r,
                                  void *ctx);

/*
 * Which send sites a page holds: those whose sending document's origin
 * is origin_id (0: any), and of those only the ids ids[0..nids) when ids
 * is not NULL.
 */
struct pm_send_site_scope {
    int64_t origin_id;
    const int64_t *ids;
    size_t nids;
};

enum pm_rc store_ui_page_send_sites(struct pm_store *st,
                                    const struct pm_send_site_scope *scope,
                                    int64_t after_id, int backward, int limit,
                                    pm_ui_send_site_cb cb, void *ctx,
                                    struct pm_err *err);
/* One send site with its stack and script; PM_ERR_NOTFOUND when absent
 * ("no send site N"). */
enum pm_rc store_ui_get_send_site(struct pm_store *st, int64_t id,
                                  pm_ui_send_site_cb cb, void *ctx,
                                  struct pm_err *err);

/*
 * The messages send site id sent (messages.send_site_id, recorded at the
 * sender): *count of them, and the first up to max ids into ids (*n).
 */
enum pm_rc store_send_site_messages(struct pm_store *st, int64_t id,
                                    int64_t *ids, int max, int *n,
                                    int64_t *count, struct pm_err *err);

#endif
