/*
 * export_int.h - the report model shared by the report builder
 * (src/export.c) and its two renderers (src/export_md.c,
 * src/export_json.c).  All strings are owned copies, already redacted when
 * redaction is on; renderers only escape.
 */
#ifndef PM_EXPORT_INT_H
#define PM_EXPORT_INT_H

#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "export.h"
#include "graph_out.h"

struct rep_window {
    int64_t id;
    char *kind, *url, *origin, *xfo, *csp;
    const char *link; /* how it hangs below the window above it: "parent",
                         "opener", NULL for a root */
};

struct rep_message {
    int64_t id, reply_to, flow_id;
    double ts;
    char *ext_id, *sender_origin, *receiver_origin, *target_origin, *via;
    char *data_pretty;  /* indented JSON for the evidence block */
    char *data_compact; /* one-line JSON (labels, JSON export) */
    int data_cut;       /* data_pretty was cut at PM_EXPORT_MAX_DATA */
    int data_is_json;   /* data_compact is JSON (else the stored text) */
};

struct rep_listener {
    int64_t id;
    long line, col, check_line, check_col;
    long check_script_line; /* the check's line in the script, 0 = unknown */
    char *script_url, *code, *found_by, *check_kind, *check_expr, *sinks;
};

struct rep_send_site {
    int64_t id;
    long line, col;
    char *script_url, *target_expr, *target_origin, *snippet;
    char *stack;        /* recorded at the sender, NULL when not */
};

/* One finding; the summary needs only the fields up to receiver_origin. */
struct rep_finding {
    int64_t id, subject_id;
    char *subject_kind, *subject_key, *subject_desc, *rule, *severity;
    char *status, *title, *note, *created_at, *updated_at;
    char *recheck_status, *recheck_at; /* NULL until re-checked */
    char *recheck_detail;  /* what the re-check found, NULL when not kept */
    char *verify_status, *verify_at, *verify_detail; /* NULL until verified */
    char *sender_origin, *receiver_origin; /* NULL = unknown */

    /* Filled by export_finding_detail: */
    struct rep_window path[PM_EXPORT_MAX_PATH];
    int npath, path_cut;
    struct rep_message *evidence;
    char *evidence_why;    /* why that message (listener findings), or NULL */
    struct rep_message *flow;
    int nflow;
    struct rep_listener *listener;
    struct rep_send_site *send_site;
    char *poc;             /* proof-of-concept HTML, NULL when none */
    const char *poc_how;   /* "iframe" or "window.open" */
    char *poc_origin;      /* an origin that would pass the flawed check */
    char *poc_omitted;     /* why a flawed check has no PoC, or NULL */
    char *poc_basis;       /* how the PoC's message was built (poc_payload.h) */
    int poc_derived;       /* ... from the handler (else the recorded message) */
    char poc_sink[32];     /* the sink the canary targets, "" = none found */
    const char *poc_sink_kind; /* poc_sink_kind_name */
    long poc_sink_line;    /* the sink's line in the script (1-based), 0 = unknown */
    char poc_event[64];    /* the handler's event parameter, "" = unknown */
};

struct rep_source {
    char *name, *format, *sha256, *tool, *imported_at;
    int64_t size, n_windows, n_requests, n_messages, n_listeners;
};

struct rep_report {
    struct rep_finding *f;
    long nf;
    struct rep_source *src;
    long nsrc;
    char *generated_at;
    const char *workspace_name;
    const char *out_name; /* the output in write errors */
    int redact;
    unsigned status_mask;
    /* The origin graph around the findings' origins (empty without
     * findings), labels redacted like the rest. */
    struct pm_graph graph;
};

/* Build the summary model (findings of o's statuses, their summary
 * fields, the sources); release it with export_model_release, also after
 * a failure. */
enum pm_rc export_model_build(struct pm_store *st,
                              const struct pm_export_opts *o,
                              struct rep_report *r, struct pm_err *err);
void export_model_release(struct rep_report *r);

/* Fill the detail part of f (frame path, evidence, listener, ...). */
enum pm_rc export_finding_detail(struct pm_store *st, const struct rep_report *r,
                                 struct rep_finding *f, struct pm_err *err);
/*
 * The proof of concept of f (f->poc, poc_how, poc_origin) when its
 * listener's check is flawed and receiver, the window it lives in, is a
 * page at an http(s) URL; f->poc_omitted says why not for another URL.
 */
void export_build_poc(struct rep_finding *f, const struct rep_window *receiver);
/* The same for any listener with any_check set (verify runs a strictly
 * checked listener's PoC too, to show the check holds). */
/* 1 when a check of this kind lets another origin through. */
int export_check_is_flawed(const char *kind);
void export_build_poc_any(struct rep_finding *f, const struct rep_window *receiver,
                          int any_check);
/* Free the detail part of f (the summary part stays). */
void export_finding_detail_release(struct rep_finding *f);

/* The renderers: the full document, calling export_finding_detail per
 * finding so only one finding's details are in memory at a time, and
 * writing each part to out as soon as it is rendered. */
enum pm_rc export_render_md(struct pm_store *st, struct rep_report *r,
                            FILE *out, struct pm_err *err);
enum pm_rc export_render_json(struct pm_store *st, struct rep_report *r,
                              FILE *out, struct pm_err *err);

/* Write b to out and empty it; PM_ERR_IO naming out_name and the reason
 * when the stream has failed. */
enum pm_rc export_flush(struct pm_buf *b, FILE *out, const char *out_name,
                        struct pm_err *err);

struct cJSON;
/*
 * JSON indented by two spaces per level, starting at depth (the first line
 * is not indented); with limit > 0 printing stops once out holds more than
 * limit bytes.
 */
void export_json_pretty(struct pm_buf *out, const struct cJSON *j, int depth,
                        size_t limit);

/* "status1, status2" of a mask, for headers. */
void export_status_text(struct pm_buf *out, unsigned mask);

#endif
