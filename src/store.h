/*
 * store.h - the workspace: one SQLite file that holds everything pmscope
 * knows (sources, origins, windows, requests, bodies, listeners, send sites,
 * messages, findings).
 *
 * Only src/store*.c and src/filter.c speak SQL.  Importers and analysis call
 * the store_add_* functions below inside one transaction per import
 * (store_begin / store_commit / store_rollback), so a failed import leaves the
 * file exactly as it was.  Every statement is prepared once per connection
 * and uses bound parameters only.
 *
 * Ids are SQLite rowids (int64, > 0); 0 means "none".
 */
#ifndef PM_STORE_H
#define PM_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct pm_store;

enum pm_store_flags {
    PM_STORE_CREATE = 1,   /* create the file (mode 0600) if missing */
    PM_STORE_READONLY = 2, /* open read-only (an older schema is first
                              upgraded through a writable connection) */
};

/* Current schema version written to PRAGMA user_version. */
#define PM_SCHEMA_VERSION 9

enum pm_rc store_open(const char *path, int flags, struct pm_store **out,
                      struct pm_err *err);
void store_close(struct pm_store *st);
/*
 * Close; when this open created the file and nothing was imported into
 * it, remove it (and its -wal/-shm/-journal), unless another connection
 * has it open.  For commands whose every import failed.
 */
void store_close_new(struct pm_store *st);
const char *store_path(const struct pm_store *st);

/* One transaction per import.  Nested begins are an internal error. */
enum pm_rc store_begin(struct pm_store *st, struct pm_err *err);
enum pm_rc store_commit(struct pm_store *st, struct pm_err *err);
void store_rollback(struct pm_store *st);

/*
 * Raw handle for the store's own sibling modules (store_*.c, filter.c).
 * Returns a sqlite3 * as void * so this header does not pull in sqlite3.h.
 */
void *store_db(struct pm_store *st);

/* ---- sources ---------------------------------------------------------- */

struct pm_source_rec {
    const char *path;   /* as the user gave it */
    const char *format; /* "har", "trace", "openwpm" */
    const char *sha256; /* hex */
    int64_t size;
    const char *tool;   /* producer named by the input (creator, tool), or NULL */
};

/* Id of an earlier source with the same content hash, or 0. */
enum pm_rc store_find_source(struct pm_store *st, const char *sha256,
                             int64_t *id_out, struct pm_err *err);
enum pm_rc store_add_source(struct pm_store *st, const struct pm_source_rec *r,
                            int64_t *id_out, struct pm_err *err);
enum pm_rc store_source_set_tool(struct pm_store *st, int64_t source_id,
                                 const char *tool, struct pm_err *err);
/* Record a source's content hash and size once known (a piped input). */
enum pm_rc store_source_set_content(struct pm_store *st, int64_t source_id,
                                    const char *sha256, int64_t size,
                                    struct pm_err *err);
/* The wall-clock time of the source's ts 0, in ms since the epoch, so its
 * windows can be matched with another recording of the same visit. */
enum pm_rc store_source_set_clock(struct pm_store *st, int64_t source_id,
                                  double clock_ms, struct pm_err *err);
/* Recount windows/requests/messages/listeners of a source into its row. */
enum pm_rc store_source_update_counts(struct pm_store *st, int64_t source_id,
                                      struct pm_err *err);

/* ---- origins ---------------------------------------------------------- */

/*
 * Intern a serialized origin ("https://a.example:8443", "null").  NULL or ""
 * yields id 0 (unknown).
 */
enum pm_rc store_intern_origin(struct pm_store *st, const char *origin,
                               int64_t *id_out, struct pm_err *err);

/* ---- windows ---------------------------------------------------------- */

struct pm_window_rec {
    int64_t source_id;
    const char *ext_id;      /* id in the input (trace frame id, HAR page id), or NULL */
    const char *kind;        /* "top", "iframe", "popup", "worker" */
    const char *url;
    const char *origin;      /* serialized origin, NULL = unknown */
    int64_t parent_id;       /* 0 = none */
    const char *parent_how;  /* "known", "inferred", "unknown" (NULL = known if parent_id) */
    int64_t opener_id;       /* 0 = none */
    double first_seen;       /* ms since the source started; <0 = unknown */
    const char *xfo;         /* X-Frame-Options of the document, or NULL */
    const char *csp;         /* Content-Security-Policy of the document, or NULL */
    int64_t visit_id;        /* crawler visit, 0 = none */
    int document_later;      /* url is a redirect hop, not a document: the
                                first document comes with the next
                                store_add_navigation */
};

enum pm_rc store_add_window(struct pm_store *st, const struct pm_window_rec *r,
                            int64_t *id_out, struct pm_err *err);
/* Find a window of a source by its input id; *id_out = 0 when absent. */
enum pm_rc store_find_window(struct pm_store *st, int64_t source_id,
                             const char *ext_id, int64_t *id_out,
                             struct pm_err *err);
/* Record that a window navigated: its next document (seq one past the
 * newest); updates the window's url/origin. */
enum pm_rc store_add_navigation(struct pm_store *st, int64_t window_id,
                                const char *url, const char *origin, double ts,
                                struct pm_err *err);
/* The HTTP response of a window's current document: status (0 = unknown)
 * and framing headers (NULL = absent). */
enum pm_rc store_set_document_http(struct pm_store *st, int64_t window_id,
                                   int status, const char *xfo,
                                   const char *csp, struct pm_err *err);

/* ---- bodies and requests ---------------------------------------------- */

/* Store a body once per content (sha256); returns the existing id on a repeat. */
enum pm_rc store_add_body(struct pm_store *st, const void *data, size_t n,
                          const char *mime, int64_t *id_out, struct pm_err *err);

struct pm_request_rec {
    int64_t source_id;
    int64_t window_id;        /* document the request belongs to, 0 = unknown */
    long entry_index;         /* position in the input */
    const char *url;
    const char *method;
    int status;
    const char *mime;
    const char *dest;         /* "document", "iframe", "script", ... */
    const char *started_at;   /* ISO 8601 as in the input */
    double ts;                /* ms since the source started; <0 = unknown */
    int64_t body_id;          /* 0 = no body */
    const char *req_headers;  /* JSON array of [name, value] */
    const char *resp_headers; /* JSON array of [name, value] */
};

enum pm_rc store_add_request(struct pm_store *st, const struct pm_request_rec *r,
                             int64_t *id_out, struct pm_err *err);

/* ---- listeners and send sites ------------------------------------------ */

struct pm_listener_rec {
    int64_t source_id;
    int64_t window_id;     /* 0 = unknown */
    int64_t body_id;       /* script/HTML body it was found in, 0 = none */
    const char *script_url;
    long line, col;        /* 1-based position of the handler; 0 = unknown */
    const char *code;      /* handler source text */
    const char *found_by;  /* "trace", "scan", "openwpm" */
    const char *target;    /* "window", "port", "broadcast", "worker", NULL = unknown */
    int64_t doc;           /* the window's document it was added to: 1 for
                              the first, +1 per navigation; 0 = unknown,
                              every document */
};

enum pm_rc store_add_listener(struct pm_store *st,
                              const struct pm_listener_rec *r, int64_t *id_out,
                              struct pm_err *err);

struct pm_send_site_rec {
    int64_t source_id;
    int64_t window_id;
    int64_t body_id;
    const char *script_url;
    long line, col;
    const char *target_expr;   /* receiver expression: "parent", "e.source", ... */
    const char *target_origin; /* literal targetOrigin, NULL when not a literal */
    const char *snippet;
    const char *stack;         /* the call's stack, when recorded at the sender */
    int64_t doc;               /* the window's document that sent, 0 = unknown */
    const char *receiver;      /* receiver descriptor (analyze_recv.h), NULL = not resolved */
};

enum pm_rc store_add_send_site(struct pm_store *st,
                               const struct pm_send_site_rec *r,
                               int64_t *id_out, struct pm_err *err);

/* ---- messages --------------------------------------------------------- */

struct pm_message_rec {
    int64_t source_id;
    const char *ext_id;        /* id in the input, or NULL */
    double ts;                 /* ms since the source started */
    int64_t sender_window_id;  /* 0 = unknown */
    int64_t receiver_window_id;
    const char *sender_origin; /* serialized origin, NULL = unknown */
    const char *receiver_origin;
    const char *target_origin; /* as passed to postMessage, NULL = unknown */
    const char *via;           /* "window", "port", "broadcast", "worker" */
    const char *port;          /* channel id for via=port, else NULL */
    const char *data_json;     /* the data as JSON text */
    const char *cause;         /* ext_id of the message whose handling sent
                                  this one (trace "cause"), or NULL */
    int64_t receiver_doc;      /* the receiver window's document at delivery
                                  (numbered as pm_listener_rec.doc); 0 =
                                  unknown */
    int64_t send_site_id;      /* the call that sent it, 0 = not recorded */
};

/* A send site the scan found and a trace recorded at the sender is one
 * call: the scanned row points at the recorded one (same_as), gives it
 * its code, and its findings move there. */
enum pm_rc store_link_send_site_copies(struct pm_store *st,
                                       struct pm_err *err);

/* The call that sent message ext_id of source_id, once both are known:
 * *linked 0 when no such message was imported (yet). */
enum pm_rc store_link_message_send_site(struct pm_store *st,
                                        int64_t source_id, const char *ext_id,
                                        int64_t send_site_id, int *linked,
                                        struct pm_err *err);

enum pm_rc store_add_message(struct pm_store *st, const struct pm_message_rec *r,
                             int64_t *id_out, struct pm_err *err);

/* ---- findings (src/store_findings.c) ------------------------------------
 * A finding points at a subject: a message, listener, send site or window
 * by its id, or an origin edge.  An edge has subject_id = the sender origin
 * id and subject_key = "SENDER_ORIGIN_ID>RECEIVER_ORIGIN_ID".  rule is the
 * analysis rule that suggested it, NULL for a finding marked by hand.
 */

struct pm_finding_rec {
    const char *subject_kind; /* "message", "listener", "send_site", "window", "edge" */
    int64_t subject_id;
    const char *subject_key;  /* edges only, else NULL */
    const char *rule;         /* NULL = marked by hand */
    const char *severity;     /* "critical", "high", "medium", "low", "info" */
    const char *status;       /* "suggested", "confirmed", "dismissed" */
    const char *title;
    const char *note;         /* NULL = none */
};

struct pm_finding_row {
    int64_t id, subject_id;
    const char *subject_kind, *subject_key, *rule, *severity, *status;
    const char *title, *note, *created_at, *updated_at;
    const char *recheck_status, *recheck_at; /* NULL until `pmscope recheck` */
    const char *recheck_detail; /* what that re-check compared and found */
    const char *verify_status, *verify_at; /* NULL until `pmscope verify` */
    const char *verify_detail; /* the canary and stack, or why not */
};

typedef int (*pm_finding_cb)(const struct pm_finding_row *r, void *ctx);

/* Status bits for store_each_finding. */
enum pm_finding_status_bits {
    PM_FST_SUGGESTED = 1,
    PM_FST_CONFIRMED = 2,
    PM_FST_DISMISSED = 4,
    PM_FST_ALL = 7,
};

enum pm_rc store_add_finding(struct pm_store *st,
                             const struct pm_finding_rec *r, int64_t *id_out,
                             struct pm_err *err);
/* One finding; PM_ERR_NOTFOUND when absent. */
enum pm_rc store_get_finding(struct pm_store *st, int64_t id, pm_finding_cb cb,
                             void *ctx, struct pm_err *err);
/*
 * Findings whose status is in status_mask, id > after_id, at most limit
 * (0 = all); by_severity orders critical first (then id), else by id.
 */
enum pm_rc store_each_finding(struct pm_store *st, unsigned status_mask,
                              int by_severity, int64_t after_id, int64_t limit,
                              pm_finding_cb cb, void *ctx, struct pm_err *err);
/* Findings on one subject (key for edges, else NULL), by id. */
enum pm_rc store_each_subject_finding(struct pm_store *st, const char *kind,
                                      int64_t subject_id, const char *key,
                                      pm_finding_cb cb, void *ctx,
                                      struct pm_err *err);
/*
 * Change one field ("severity", "status", "title" or "note"; value NULL
 * clears a note) and stamp updated_at.  PM_ERR_NOTFOUND when no such
 * finding.
 */
enum pm_rc store_finding_set(struct pm_store *st, int64_t id,
                             const char *field, const char *value,
                             struct pm_err *err);
enum pm_rc store_delete_finding(struct pm_store *st, int64_t id,
                                struct pm_err *err);

/*
 * A one-line description of a subject for titles and lists ("message 12
 * https://a.example -> https://w.example"); the caller frees *out.
 * PM_ERR_NOTFOUND when the subject does not exist.
 */
enum pm_rc store_subject_describe(struct pm_store *st, const char *kind,
                                  int64_t subject_id, const char *key,
                                  char **out, struct pm_err *err);
/* Id of an origin by its serialized text without adding it; 0 = absent. */
enum pm_rc store_lookup_origin(struct pm_store *st, const char *text,
                               int64_t *id_out, struct pm_err *err);

/* ---- analysis (src/store_analysis.c) ------------------------------------- */

/*
 * Reads and writes of the analysis passes (src/analyze_pass.c, flow.c,
 * suggest.c).  Iterators that pass borrowed rows say whether the callback
 * may use the store: the "_copy" ones hand over copies and allow it, the
 * others run one statement and forbid it (collect, then write).
 */

struct pm_script_body {
    int64_t request_id, window_id, body_id;
    const char *url;  /* request URL */
    const char *mime;
    const char *dest;
    const char *data; /* body bytes (NUL-terminated copy) */
    size_t size;
};
/* Script and HTML bodies of a source's requests, one request at a time;
 * a body is visited once per window.  cb may use the store; non-zero stops. */
typedef int (*pm_script_body_cb)(const struct pm_script_body *b, void *ctx);
enum pm_rc store_each_script_body_copy(struct pm_store *st, int64_t source_id,
                                       pm_script_body_cb cb, void *ctx,
                                       struct pm_err *err);

/* Listeners recorded with their code (not found by the scan) of a source
 * (0 = all sources); cb may use the store. */
typedef int (*pm_listener_code_cb)(int64_t id, const char *code, long line,
                                   long col, void *ctx);
enum pm_rc store_each_listener_code_copy(struct pm_store *st, int64_t source_id,
                                         pm_listener_code_cb cb, void *ctx,
                                         struct pm_err *err);

struct pm_listener_analysis {
    const char *check_kind;
    const char *check_expr;
    long check_line, check_col;
    const char *sinks;        /* comma-separated */
    int replies;
    const char *reply_target;
    const char *target;       /* "window", "port", "worker"; NULL keeps the stored one */
};
enum pm_rc store_listener_set_analysis(struct pm_store *st, int64_t id,
                                       const struct pm_listener_analysis *a,
                                       struct pm_err *err);
/*
 * Recorded listeners without code (a crawl that saw only where a handler
 * was registered) take the analysis of the listener the scan found at the
 * same script URL and line, e.g. in a HAR imported later.  *n counts them.
 */
/*
 * A listener the scan found that a recording also holds (same script and
 * handler code, or same line when the recording kept no code) is the same
 * listener: its same_as points at the recorded row, and lists, counts and
 * the TUI show the recorded row once (found_by "trace+scan").
 */
enum pm_rc store_link_listener_copies(struct pm_store *st, struct pm_err *err);
enum pm_rc store_adopt_scan_analysis(struct pm_store *st, long *n,
                                     struct pm_err *err);
/* Add a listener found by the scan, or return the one a previous scan of
 * the same source, window, body and position added. */
enum pm_rc store_upsert_scan_listener(struct pm_store *st,
                                      const struct pm_listener_rec *r,
                                      int64_t *id_out, struct pm_err *err);
/* Same for send sites. */
enum pm_rc store_upsert_send_site(struct pm_store *st,
                                  const struct pm_send_site_rec *r,
                                  int64_t *id_out, struct pm_err *err);

struct pm_flow_msg {
    int64_t id, sender_window_id, receiver_window_id;
    int64_t sender_origin_id, receiver_origin_id;
    int64_t reply_to, flow_id;
    double ts;
    const char *via, *port, *data_json, *target_origin, *ext_id;
    const char *sender_origin, *receiver_origin, *data_preview;
    const char *cause;
    int64_t receiver_doc;     /* receiver window's document, 0 = unknown */
};
/* Messages of a source by (ts, id); cb may only use the store to
 * store_set_message_flow (the rows are sorted by ts before the first is
 * returned, and that update changes neither ts nor source_id). */
typedef int (*pm_flow_msg_cb)(const struct pm_flow_msg *m, void *ctx);
enum pm_rc store_each_message_by_time(struct pm_store *st, int64_t source_id,
                                      pm_flow_msg_cb cb, void *ctx,
                                      struct pm_err *err);
enum pm_rc store_set_message_flow(struct pm_store *st, int64_t id,
                                  int64_t reply_to, int64_t flow_id,
                                  struct pm_err *err);
/* The flow of message id (PM_ERR_NOTFOUND when no such message), then its
 * messages by (ts, id); cb must not use the store. */
enum pm_rc store_message_flow_id(struct pm_store *st, int64_t id,
                                 int64_t *flow_id, struct pm_err *err);
enum pm_rc store_each_flow_message(struct pm_store *st, int64_t flow_id,
                                   pm_flow_msg_cb cb, void *ctx,
                                   struct pm_err *err);

struct pm_rule_listener {
    int64_t id, window_id;
    const char *check_kind, *check_expr, *sinks, *script_url;
    long line, col;
    int replies;
    const char *target;
    int64_t doc;              /* its window's document, 0 = unknown */
    const char *window_url;   /* its document's URL (when it was added) */
    const char *window_kind;
    int headers_known;        /* framing headers of the document are known */
    const char *xfo, *csp;
};
/* Listeners of a source (0 = all) for the rules, those with a known target
 * first; cb must not use the store. */
typedef int (*pm_rule_listener_cb)(const struct pm_rule_listener *l, void *ctx);
enum pm_rc store_each_rule_listener(struct pm_store *st, int64_t source_id,
                                    pm_rule_listener_cb cb, void *ctx,
                                    struct pm_err *err);

struct pm_rule_window {
    int64_t id, parent_id, opener_id;
    const char *kind, *url, *origin;
};
/* Windows of a source; cb must not use the store. */
typedef int (*pm_rule_window_cb)(const struct pm_rule_window *w, void *ctx);
enum pm_rc store_each_source_window(struct pm_store *st, int64_t source_id,
                                    pm_rule_window_cb cb, void *ctx,
                                    struct pm_err *err);

struct pm_suggestion {
    const char *rule;         /* rule id */
    const char *subject_kind; /* "listener", "message", "send_site", "edge" */
    int64_t subject_id;
    const char *subject_key;  /* edge: "SENDER>RECEIVER", else NULL */
    const char *severity;
    const char *title;
    const char *note;
};
/* Write a suggested finding unless one exists for the same rule and subject:
 * a suggested one is refreshed (severity, title, note), a confirmed or
 * dismissed one is left alone.  *created = 1 when a row was added. */
enum pm_rc store_suggest_finding(struct pm_store *st,
                                 const struct pm_suggestion *s, int *created,
                                 struct pm_err *err);

struct pm_listener_row {
    int64_t id, source_id, window_id;
    int64_t same_as;      /* the recorded listener this scanned one is, or 0 */
    int64_t copies;       /* scanned rows that are this listener */
    const char *origin, *script_url, *found_by, *check_kind, *check_expr;
    const char *sinks, *reply_target, *target;
    int64_t doc;          /* its window's document, 0 = unknown */
    const char *doc_url;  /* that document's URL */
    long line, col, check_line, check_col;
    int replies;
};
struct pm_send_site_row {
    int64_t id, source_id, window_id;
    const char *origin, *script_url, *target_expr, *target_origin, *snippet;
    long line, col;
};
typedef int (*pm_listener_row_cb)(const struct pm_listener_row *r, void *ctx);
typedef int (*pm_send_site_row_cb)(const struct pm_send_site_row *r, void *ctx);
/* Keyset pages (id > after, at most limit; 0 = all) for `ls`.  Listeners
 * leave out scanned copies of recorded ones unless all is set. */
enum pm_rc store_page_listeners(struct pm_store *st, int64_t after,
                                int64_t limit, int all, pm_listener_row_cb cb,
                                void *ctx, struct pm_err *err);
enum pm_rc store_page_send_sites(struct pm_store *st, int64_t after,
                                 int64_t limit, pm_send_site_row_cb cb,
                                 void *ctx, struct pm_err *err);

/* ---- end of analysis ------------------------------------------------------ */

/* ---- crawler hints and re-checks (src/store_recheck.c) ----------------- */

/*
 * A crawl saw the handler's frame read MessageEvent.origin `reads` times:
 * the listener's origin check exists but its code was not recorded.  Sets
 * check_kind 'unknown' and a check_expr note unless analysis set them.
 */
enum pm_rc store_listener_note_origin_read(struct pm_store *st,
                                           int64_t listener_id, long reads,
                                           struct pm_err *err);

/*
 * What a finding's subject looked like when it was recorded, for `pmscope
 * recheck`: the receiver document (doc_url, xfo, csp) and the listener
 * (script_url, code, code_hash, check_kind); NULL where the subject has
 * none.  Strings are borrowed for the callback; non-zero stops.
 */
struct pm_recheck_target {
    int64_t finding_id;
    const char *subject_kind;
    int64_t subject_id;
    const char *title, *status;
    const char *doc_url, *xfo, *csp;
    int64_t listener_id;
    const char *script_url, *code, *code_hash, *check_kind;
    int script_is_html; /* the listener was in an HTML page's inline script */
};
typedef int (*pm_recheck_target_cb)(const struct pm_recheck_target *t,
                                    void *ctx);

/*
 * The findings ids[0..nids) (PM_ERR_NOTFOUND names a missing one), or with
 * nids 0 every confirmed finding, plus the suggested ones when
 * include_suggested is set.
 */
enum pm_rc store_each_recheck_target(struct pm_store *st, const int64_t *ids,
                                     size_t nids, int include_suggested,
                                     pm_recheck_target_cb cb, void *ctx,
                                     struct pm_err *err);

/* Record a re-check outcome ("still-present", "changed", "fixed",
 * "inconclusive", "unreachable"), when it ran (ISO 8601 UTC) and the line
 * saying why. */
enum pm_rc store_set_recheck(struct pm_store *st, int64_t finding_id,
                             const char *status, const char *at,
                             const char *detail, struct pm_err *err);

/* Record a verification outcome ("verified", "not reproduced"), when it
 * ran (ISO 8601 UTC) and its evidence or reason (src/verify.c). */
enum pm_rc store_set_verify(struct pm_store *st, int64_t finding_id,
                            const char *status, const char *at,
                            const char *detail, struct pm_err *err);

/* ---- end of crawler hints and re-checks --------------------------------- */

/* ---- recorded responses (src/store_replay.c) ----------------------------- */

struct pm_replay_response {
    int status;
    const char *headers_json; /* [["Name","value"], ...], NULL = none */
    const char *mime;
    const void *body;         /* NULL when the body was not recorded */
    size_t body_len;
};

typedef void (*pm_replay_cb)(const struct pm_replay_response *r, void *ctx);

/* The response recorded for url (a 2xx one first): cb is called once and
 * *found set when there is one. */
enum pm_rc store_recorded_response(struct pm_store *st, const char *url,
                                   pm_replay_cb cb, void *ctx, int *found,
                                   struct pm_err *err);

#endif
