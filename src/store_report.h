/*
 * store_report.h - the reads a findings report needs beyond the general
 * query API (store_query.h): what a finding's subject leads to (the message
 * that shows it, the receiving window, the listener, the send site), one
 * listener or send site in full, and the messages of a flow.
 *
 * Row strings are borrowed and valid only during the callback.
 */
#ifndef PM_STORE_REPORT_H
#define PM_STORE_REPORT_H

#include <stdint.h>

#include "err.h"
#include "store.h"
#include "store_query.h"

/*
 * Everything a subject points at; 0 = not known.  The evidence message is
 * the subject itself for a message, else the first message that shows the
 * subject (received by the listener or window, sent from the send site's
 * window, or sent along the edge).
 */
struct pm_report_ctx {
    int64_t message_id;
    int64_t receiver_window_id;
    int64_t receiver_doc;     /* the receiving document's seq; 0 = unknown */
    int64_t listener_id;
    int64_t send_site_id;
    int64_t sender_origin_id, receiver_origin_id;
    char sender_origin[512], receiver_origin[512]; /* "" = unknown */
    char evidence_why[512]; /* why message_id was chosen; "" = the subject */
};

enum pm_rc store_report_context(struct pm_store *st,
                                const struct pm_finding_row *f,
                                struct pm_report_ctx *out, struct pm_err *err);

struct pm_report_listener {
    int64_t id, window_id;
    long line, col, check_line, check_col;
    const char *script_url, *code, *found_by, *check_kind, *check_expr;
    const char *sinks;
};

struct pm_report_send_site {
    int64_t id, window_id;
    long line, col;
    const char *script_url, *target_expr, *target_origin, *snippet;
    const char *stack;  /* the call's stack when recorded at the sender */
};

typedef int (*pm_report_listener_cb)(const struct pm_report_listener *r,
                                     void *ctx);
typedef int (*pm_report_send_site_cb)(const struct pm_report_send_site *r,
                                      void *ctx);

/* PM_ERR_NOTFOUND when absent. */
enum pm_rc store_report_listener(struct pm_store *st, int64_t id,
                                 pm_report_listener_cb cb, void *ctx,
                                 struct pm_err *err);
enum pm_rc store_report_send_site(struct pm_store *st, int64_t id,
                                  pm_report_send_site_cb cb, void *ctx,
                                  struct pm_err *err);

/* One window of a frame path; link says how it hangs below the window
 * above it: "parent" (a frame), "opener" (a popup) or NULL (a root). */
struct pm_report_window {
    int64_t id;
    const char *kind, *url, *origin, *xfo, *csp, *link;
};

typedef int (*pm_report_window_cb)(const struct pm_report_window *w,
                                   void *ctx);

/*
 * Document seq of window window_id as a pm_report_window (url, origin,
 * framing headers of that document; kind and link NULL): the receiver as
 * it was when the listener was added, not what the window shows now.
 * *found 0 when the window has no such document.
 */
enum pm_rc store_report_document(struct pm_store *st, int64_t window_id,
                                 int64_t seq, pm_report_window_cb cb,
                                 void *ctx, int *found, struct pm_err *err);

/*
 * The windows from window_id up through parents (or openers) towards the
 * top, receiver first, at most max + 1 rows (a row beyond max means the
 * path goes on).  A cycle repeats windows; the caller stops at a repeat.
 */
enum pm_rc store_report_frame_path(struct pm_store *st, int64_t window_id,
                                   int max, pm_report_window_cb cb, void *ctx,
                                   struct pm_err *err);

/*
 * The flow of a message in time order, at most limit messages: the
 * messages with its flow_id, plus the message itself and the one it
 * replies to (a message the analysis put in no flow).  data_json is filled.
 */
enum pm_rc store_report_flow(struct pm_store *st, int64_t message_id,
                             int limit, pm_message_cb cb, void *ctx,
                             struct pm_err *err);

#endif
