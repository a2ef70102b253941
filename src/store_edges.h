/*
 * store_edges.h - what the static-edge pass (static_edges.c) reads and
 * writes: the window model (windows, documents, send sites, window
 * listeners) and the derived tables static_sends and edge_verdicts
 * (schema v7, src/store_edges.c).  The reads for lists (the send rows and
 * verdicts of one edge) are in store_query.h.  Iterators run one
 * statement: their callbacks must not use the store (collect, then write).
 */
#ifndef PM_STORE_EDGES_H
#define PM_STORE_EDGES_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "store.h"

/* Largest HTML document read to find an iframe by id. */
#define STORE_HTML_MAX (8 * 1024 * 1024)
/* Messages delivered to a window read to find whom its replies go to. */
#define STORE_REPLY_SCAN 100000

/* Empty static_sends and edge_verdicts (every pass rebuilds them). */
enum pm_rc store_edges_clear(struct pm_store *st, struct pm_err *err);

struct pm_model_window {
    int64_t id, parent_id, opener_id, origin_id;
    const char *kind, *origin, *url;
};
typedef int (*pm_model_window_cb)(const struct pm_model_window *w, void *ctx);
/* Every window, by id. */
enum pm_rc store_each_model_window(struct pm_store *st, pm_model_window_cb cb,
                                   void *ctx, struct pm_err *err);

struct pm_model_doc {
    int64_t window_id, seq, origin_id;
    const char *url, *origin;
};
typedef int (*pm_model_doc_cb)(const struct pm_model_doc *d, void *ctx);
/* Every document, by window and seq. */
enum pm_rc store_each_model_doc(struct pm_store *st, pm_model_doc_cb cb,
                                void *ctx, struct pm_err *err);

struct pm_model_send {
    int64_t id, window_id, doc;
    const char *target_expr, *target_origin, *snippet, *receiver, *script_url;
    int64_t same_as; /* a scanned copy of this recorded send site, 0 = none */
};
typedef int (*pm_model_send_cb)(const struct pm_model_send *s, void *ctx);
/* Send sites with a window, by id (scanned copies too: their receiver
 * descriptor is the recorded row's, which the trace cannot give). */
enum pm_rc store_each_model_send(struct pm_store *st, pm_model_send_cb cb,
                                 void *ctx, struct pm_err *err);

struct pm_model_listener {
    int64_t id, origin_id;
    const char *check_kind, *check_expr;
};
typedef int (*pm_model_listener_cb)(const struct pm_model_listener *l,
                                    void *ctx);
/* Window listeners with the origin of the document they were added to. */
enum pm_rc store_each_model_listener(struct pm_store *st,
                                     pm_model_listener_cb cb, void *ctx,
                                     struct pm_err *err);

/* The HTML the window loaded as its document at url (at most
 * STORE_HTML_MAX bytes), malloc'd into *out; NULL when not recorded. */
enum pm_rc store_window_html(struct pm_store *st, int64_t window_id,
                             const char *url, char **out, size_t *n,
                             struct pm_err *err);

typedef int (*pm_id_cb)(int64_t id, void *ctx);
/* Windows that sent window messages to window_id (among its latest
 * STORE_REPLY_SCAN), each once. */
enum pm_rc store_each_message_sender_window(struct pm_store *st,
                                            int64_t window_id, pm_id_cb cb,
                                            void *ctx, struct pm_err *err);

typedef int (*pm_pair_cb)(int64_t from_id, int64_t to_id,
                          const char *from, void *ctx);
/* Sender/receiver origin pairs of recorded messages (on messages_edge),
 * with the sender origin's text. */
enum pm_rc store_each_message_pair(struct pm_store *st, pm_pair_cb cb,
                                   void *ctx, struct pm_err *err);

typedef int (*pm_listener_verdict_cb)(int64_t listener_id, const char *sender,
                                      const char *verdict, void *ctx);
/* Verdicts on the senders of static edges, by listener and sender origin. */
enum pm_rc store_each_static_verdict(struct pm_store *st,
                                     pm_listener_verdict_cb cb, void *ctx,
                                     struct pm_err *err);

struct pm_static_send_rec {
    int64_t send_site_id, sender_window_id, sender_origin_id;
    int64_t receiver_window_id, receiver_doc, receiver_origin_id;
    const char *how;             /* parent, top, opener, self, frame, iframe-id, ... */
    const char *target_written;  /* the targetOrigin argument as written */
    const char *target_resolved; /* an origin, "*", or NULL: not known */
    int delivered;               /* 1, 0, -1 = not known */
};
enum pm_rc store_add_static_send(struct pm_store *st,
                                 const struct pm_static_send_rec *r,
                                 struct pm_err *err);
enum pm_rc store_add_edge_verdict(struct pm_store *st, int64_t from_id,
                                  int64_t to_id, int64_t listener_id,
                                  const char *verdict, const char *why,
                                  struct pm_err *err);

#endif
