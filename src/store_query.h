/*
 * store_query.h - read side of the workspace for the CLI and the TUI.
 *
 * Every list is read one page at a time with keyset pagination
 * ("... AND id > after ORDER BY id LIMIT n"), so a screenful costs the same
 * on ten messages or ten million.  Rows are passed to a callback; their
 * strings are borrowed and valid only during the call.  A callback returns
 * non-zero to stop early.
 */
#ifndef PM_STORE_QUERY_H
#define PM_STORE_QUERY_H

#include <stdint.h>

#include "err.h"
#include "store.h"

struct pm_filter;

struct pm_source_row {
    int64_t id;
    const char *path, *format, *sha256, *tool, *imported_at;
    int64_t size, n_windows, n_requests, n_messages, n_listeners;
};

struct pm_window_row {
    int64_t id, source_id, parent_id, opener_id, visit_id;
    const char *ext_id, *kind, *url, *origin, *parent_how, *xfo, *csp;
    double first_seen;
    int framing_known;  /* xfo/csp come from a recorded response (else unknown) */
    int depth;          /* tree depth (0 = top), from store_each_window_tree */
    int64_t n_messages; /* messages sent or received */
};

struct pm_origin_row {
    int64_t id;
    const char *text;
    int64_t n_windows, n_sent, n_received;
};

struct pm_message_row {
    int64_t id, source_id, sender_window_id, receiver_window_id;
    int64_t reply_to, flow_id, size;
    double ts;
    const char *ext_id, *sender_origin, *receiver_origin, *target_origin;
    const char *via, *port, *data_preview;
    const char *data_json; /* only filled by store_get_message */
};

/* How an origin edge is known; one message edge may carry both of the first two. */
enum pm_edge_mark {
    PM_EDGE_OBSERVED = 1, /* recorded messages from `from` to `to` */
    PM_EDGE_STATIC = 2,   /* a send site of `from` can reach a window of `to` */
    PM_EDGE_FRAME = 4,    /* `from` embeds (or opened) a window of `to` */
};

struct pm_edge_row {
    const char *kind;     /* "message" (observed and/or static) or "frame" */
    const char *from, *to;
    int64_t from_id, to_id; /* origin ids */
    int64_t count;        /* observed messages (frame: windows embedded) */
    int64_t wildcard;     /* messages with targetOrigin '*' */
    unsigned marks;       /* PM_EDGE_* */
    int64_t sends;        /* static: send sites on this edge */
    int64_t sends_wildcard; /* of those, with targetOrigin '*' */
    /* listeners of `to`'s documents judged against sender origin `from` */
    int64_t accepted, rejected, unknown;
};

typedef int (*pm_source_cb)(const struct pm_source_row *r, void *ctx);
typedef int (*pm_window_cb)(const struct pm_window_row *r, void *ctx);
typedef int (*pm_origin_cb)(const struct pm_origin_row *r, void *ctx);
typedef int (*pm_message_cb)(const struct pm_message_row *r, void *ctx);
typedef int (*pm_edge_cb)(const struct pm_edge_row *r, void *ctx);

enum pm_rc store_each_source(struct pm_store *st, pm_source_cb cb, void *ctx,
                             struct pm_err *err);

/*
 * Windows in tree order (depth-first; children by id), with depth.  Windows
 * whose parent is unknown are roots; popups are shown under their opener.
 */
enum pm_rc store_each_window_tree(struct pm_store *st, pm_window_cb cb,
                                  void *ctx, struct pm_err *err);
/* One window; n_messages is -1 (counting reads every message of the
 * window: store_window_message_count). */
enum pm_rc store_get_window(struct pm_store *st, int64_t id, pm_window_cb cb,
                            void *ctx, struct pm_err *err);
/* One document of a window's history (documents table), oldest first. */
struct pm_document_row {
    int64_t seq;
    const char *url, *origin;
    double ts;             /* ms since its source's start; <0 unknown */
    int status;            /* HTTP status of its response; 0 = not recorded */
    const char *xfo, *csp; /* framing headers of that response */
    int64_t listeners;     /* listeners added while it was current */
};
typedef int (*pm_document_cb)(const struct pm_document_row *r, void *ctx);
enum pm_rc store_each_document(struct pm_store *st, int64_t window_id,
                               pm_document_cb cb, void *ctx,
                               struct pm_err *err);
/* The sources that saw a window (an import merges one visit's windows). */
typedef int (*pm_window_source_cb)(int64_t source_id, const char *format,
                                   void *ctx);
enum pm_rc store_each_window_source(struct pm_store *st, int64_t window_id,
                                    pm_window_source_cb cb, void *ctx,
                                    struct pm_err *err);
enum pm_rc store_window_message_count(struct pm_store *st, int64_t id,
                                      int64_t *count, struct pm_err *err);

enum pm_rc store_each_origin(struct pm_store *st, pm_origin_cb cb, void *ctx,
                             struct pm_err *err);
/* The origins of the documents tabs showed (windows of kind top), each
 * once, in no order (src/store_windows.c). */
enum pm_rc store_each_top_origin(struct pm_store *st,
                                 int (*cb)(int64_t origin_id, void *ctx),
                                 void *ctx, struct pm_err *err);

/*
 * One page of messages matching filter (NULL = all) with id > after_id
 * (ascending), or id < after_id when backward (descending), at most limit.
 */
enum pm_rc store_page_messages(struct pm_store *st,
                               const struct pm_filter *filter,
                               int64_t after_id, int backward, int limit,
                               pm_message_cb cb, void *ctx,
                               struct pm_err *err);
/* Count of messages matching filter. */
enum pm_rc store_count_messages(struct pm_store *st,
                                const struct pm_filter *filter,
                                int64_t *count, struct pm_err *err);
/* One message with its full data_json; PM_ERR_NOTFOUND when absent. */
enum pm_rc store_get_message(struct pm_store *st, int64_t id, pm_message_cb cb,
                             void *ctx, struct pm_err *err);

/*
 * Origin edges: message edges (one row per sender/receiver origin pair,
 * marked PM_EDGE_OBSERVED when messages were recorded and PM_EDGE_STATIC
 * when a send site reaches it, with the listener verdicts of the pair),
 * then frame embedding (parent -> child).
 */
enum pm_rc store_each_edge(struct pm_store *st, pm_edge_cb cb, void *ctx,
                           struct pm_err *err);

/* One send site on a static edge, resolved to one receiver document. */
struct pm_edge_send_row {
    int64_t id, send_site_id, sender_window_id, receiver_window_id;
    int64_t receiver_doc;        /* seq of its document, 0 = not known */
    const char *how;             /* parent, top, opener, self, frame, iframe-id,
                                  * iframe-src, popup, reply */
    const char *target_written;  /* targetOrigin as written */
    const char *target_resolved; /* an origin, "*", NULL = not known */
    int delivered;               /* 1, 0, -1 = not known */
    const char *script_url, *snippet, *target_expr;
    long line, col;
};
typedef int (*pm_edge_send_cb)(const struct pm_edge_send_row *r, void *ctx);
/* The static send rows of the edge from_id -> to_id (origin ids). */
enum pm_rc store_each_edge_send(struct pm_store *st, int64_t from_id,
                                int64_t to_id, pm_edge_send_cb cb, void *ctx,
                                struct pm_err *err);

/* A window listener of the receiver origin judged against the sender. */
struct pm_edge_verdict_row {
    int64_t listener_id;
    const char *verdict;  /* accepted, rejected, unknown */
    const char *why;
    const char *check_kind, *check_expr, *script_url;
    long line, col;
};
typedef int (*pm_edge_verdict_cb)(const struct pm_edge_verdict_row *r,
                                  void *ctx);
enum pm_rc store_each_edge_verdict(struct pm_store *st, int64_t from_id,
                                   int64_t to_id, pm_edge_verdict_cb cb,
                                   void *ctx, struct pm_err *err);
/* The text of origin id, malloc'd; PM_ERR_NOTFOUND when there is none. */
enum pm_rc store_origin_text(struct pm_store *st, int64_t id, char **out,
                             struct pm_err *err);

#endif
