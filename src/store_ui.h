/*
 * store_ui.h - read queries the TUI needs beyond store_query.h: pages of
 * listeners and findings, the frame tree without per-window counts, a
 * message's flow, the listeners that could have received a message, and
 * cheap workspace counts for the status bar.
 *
 * Same conventions as store_query.h: keyset pagination on rowid (id > after
 * ascending, id < after descending when backward; after <= 0 with backward
 * means "from the end"), rows passed to a callback with borrowed strings,
 * a callback returning non-zero stops early.
 */
#ifndef PM_STORE_UI_H
#define PM_STORE_UI_H

#include <stdint.h>

#include "err.h"
#include "store.h"
#include "store_query.h"

struct pm_ui_listener {
    int64_t id, source_id, window_id;
    const char *origin;       /* origin of the window it runs in */
    const char *script_url, *found_by;
    long line, col;
    const char *check_kind;   /* NULL until analysed */
    const char *check_expr;
    long check_line, check_col; /* where the check is in the script, 0: none */
    const char *sinks;        /* comma-separated */
    const char *code;         /* only from store_ui_get_listener */
};

struct pm_ui_counts {
    int64_t sources, windows, messages, listeners, findings, confirmed;
};

typedef int (*pm_ui_listener_cb)(const struct pm_ui_listener *r, void *ctx);

enum pm_rc store_ui_page_listeners(struct pm_store *st, int64_t after_id,
                                   int backward, int limit, pm_ui_listener_cb cb,
                                   void *ctx, struct pm_err *err);
/* One listener with its code; PM_ERR_NOTFOUND when absent. */
enum pm_rc store_ui_get_listener(struct pm_store *st, int64_t id,
                                 pm_ui_listener_cb cb, void *ctx,
                                 struct pm_err *err);
/*
 * Listeners that may have received message_id: the one analysis attributed
 * it to, else those of its receiver window that its channel reaches (window
 * listeners for a window message, port listeners for a port message), at
 * most limit, by id.
 */
enum pm_rc store_ui_message_listeners(struct pm_store *st, int64_t message_id,
                                      int limit, pm_ui_listener_cb cb, void *ctx,
                                      struct pm_err *err);

/*
 * Findings ordered by id, dismissed ones included (store.h's
 * store_each_finding pages forward only; the TUI also pages backward).
 */
enum pm_rc store_ui_page_findings(struct pm_store *st, int64_t after_id,
                                  int backward, int limit, pm_finding_cb cb,
                                  void *ctx, struct pm_err *err);

/*
 * Compute the frame tree order (depth-first; children by id, popups under
 * their opener) once, for store_ui_window_tree; *count = rows in it.  Call
 * again after the windows change.
 */
enum pm_rc store_ui_tree_build(struct pm_store *st, int64_t *count,
                               struct pm_err *err);
/*
 * Windows in the order store_ui_tree_build computed, from row skip on (a
 * keyset read on the position), without per-window message counts
 * (n_messages is -1).
 */
enum pm_rc store_ui_window_tree(struct pm_store *st, int64_t skip, int limit,
                                pm_window_cb cb, void *ctx,
                                struct pm_err *err);

/*
 * Windows whose current document has origin origin_id (0: no origin
 * known), by id, at most limit (depth is 0): view 2 lists them for a node
 * of the origin graph.
 */
enum pm_rc store_ui_origin_windows(struct pm_store *st, int64_t origin_id,
                                   int limit, pm_window_cb cb, void *ctx,
                                   struct pm_err *err);

/*
 * The flow of message_id in time order: every message with its flow_id, or,
 * when analysis assigned none, the message and the chain of messages it
 * replies to.  At most limit rows.
 */
enum pm_rc store_ui_flow(struct pm_store *st, int64_t message_id, int limit,
                         pm_message_cb cb, void *ctx, struct pm_err *err);

/*
 * Messages matching filter (NULL = all) with after_id < id <= upto_id.
 * Counting a huge table in id slices lets the UI keep answering keys while
 * it counts (the slice is a rowid range, so each call reads only it).
 */
enum pm_rc store_ui_count_slice(struct pm_store *st,
                                const struct pm_filter *filter,
                                int64_t after_id, int64_t upto_id,
                                int64_t *count, struct pm_err *err);
/* Largest message id, 0 when there are none. */
enum pm_rc store_ui_max_message_id(struct pm_store *st, int64_t *id,
                                   struct pm_err *err);

/*
 * Origin edges like store_each_edge, but read from the edge index alone
 * (no message rows), so wildcard is 0 here: the '*' counts come from
 * store_ui_wildcard_slice, which the UI runs in slices between keys.
 */
enum pm_rc store_ui_each_edge(struct pm_store *st, pm_edge_cb cb, void *ctx,
                              struct pm_err *err);
/*
 * Messages with targetOrigin '*' and after_id < id <= upto_id, per
 * sender/receiver origin pair: cb gets kind "message", the two origin ids
 * and count = the pair's '*' messages in the slice (from/to are NULL).
 */
enum pm_rc store_ui_wildcard_slice(struct pm_store *st, int64_t after_id,
                                   int64_t upto_id, pm_edge_cb cb, void *ctx,
                                   struct pm_err *err);

/*
 * Let a slow query give way to the user.  Between store_ui_yield_begin and
 * store_ui_yield_end, a statement that has run longer than after_ms stops
 * as soon as pending(ctx) reports waiting input; the call then fails
 * (PM_ERR_DB, "interrupted") and y->fired is set, so the caller can tell an
 * interruption from an error and simply try again later.
 */
struct pm_ui_yield {
    int (*pending)(void *ctx);
    void *ctx;
    double after_ms;
    double started_ms; /* set by store_ui_yield_begin */
    int fired;         /* set when a statement was interrupted */
};
void store_ui_yield_begin(struct pm_store *st, struct pm_ui_yield *y);
void store_ui_yield_end(struct pm_store *st);

/* Row counts of the main tables (each an index-only count). */
enum pm_rc store_ui_counts(struct pm_store *st, struct pm_ui_counts *out,
                           struct pm_err *err);

#endif
