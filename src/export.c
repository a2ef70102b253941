/*
 * export.c - builds the report model (see export_int.h) from the store and
 * fills each finding's detail when a renderer asks for it (export_report.c
 * runs the two in turn).  Everything an input contributed is copied
 * through rep_text() (rep_copy() with redact_code for JavaScript), which
 * applies redaction when it is on, so the renderers cannot forget it.  The
 * proof-of-concept page, which both output formats carry, is built by
 * src/export_poc.c.
 */
#include "export.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "export_int.h"
#include "md_escape.h"
#include "mem.h"
#include "redact.h"
#include "store_query.h"
#include "store_report.h"

/* A copy of s (NULL stays NULL), passed through redact (redact_text, or
 * redact_code for JavaScript source) when the report redacts. */
static char *
rep_copy(const struct rep_report *r, const char *s,
         void (*redact)(struct pm_buf *, const char *))
{
    if (s == NULL)
        return NULL;
    if (!r->redact)
        return xstrdup(s);
    struct pm_buf b;
    pm_buf_init(&b);
    redact(&b, s);
    return pm_buf_detach(&b);
}

static char *
rep_text(const struct rep_report *r, const char *s)
{
    return rep_copy(r, s, redact_text);
}

/* ---- JSON data --------------------------------------------------------- */

void
export_json_pretty(struct pm_buf *out, const cJSON *j, int depth, size_t limit)
{
    if (limit && out->len > limit)
        return;
    if (!cJSON_IsObject(j) && !cJSON_IsArray(j)) {
        char *s = cJSON_PrintUnformatted(j);
        pm_buf_adds(out, s ? s : "null");
        free(s);
        return;
    }
    int obj = cJSON_IsObject(j);
    if (j->child == NULL) {
        pm_buf_adds(out, obj ? "{}" : "[]");
        return;
    }
    pm_buf_addc(out, obj ? '{' : '[');
    for (const cJSON *c = j->child; c; c = c->next) {
        pm_buf_addf(out, "\n%*s", (depth + 1) * 2, "");
        if (obj) {
            cJSON *key = cJSON_CreateString(c->string ? c->string : "");
            char *ks = cJSON_PrintUnformatted(key);
            pm_buf_adds(out, ks ? ks : "\"\"");
            pm_buf_adds(out, ": ");
            free(ks);
            cJSON_Delete(key);
        }
        export_json_pretty(out, c, depth + 1, limit);
        if (c->next)
            pm_buf_addc(out, ',');
        if (limit && out->len > limit)
            return;
    }
    pm_buf_addf(out, "\n%*s%c", depth * 2, "", obj ? '}' : ']');
}

/*
 * Fill m's data fields from stored JSON text: parsed, redacted, printed
 * indented and compact.  Text that does not parse is kept as text.
 */
static void
rep_message_data(const struct rep_report *r, struct rep_message *m,
                 const char *json)
{
    cJSON *j = json ? cJSON_Parse(json) : NULL;
    if (j == NULL) {
        m->data_pretty = rep_text(r, json ? json : "null");
        m->data_compact = rep_text(r, json ? json : "null");
        return;
    }
    m->data_is_json = 1;
    if (r->redact)
        redact_json(j);
    struct pm_buf b;
    pm_buf_init(&b);
    export_json_pretty(&b, j, 0, PM_EXPORT_MAX_DATA);
    if (b.len > PM_EXPORT_MAX_DATA) {
        m->data_cut = 1;
        b.len = PM_EXPORT_MAX_DATA;
        while (b.len > 0 && ((unsigned char)b.data[b.len] & 0xC0) == 0x80)
            b.len--;
        b.data[b.len] = '\0';
    }
    m->data_pretty = pm_buf_detach(&b);
    m->data_compact = cJSON_PrintUnformatted(j);
    if (m->data_compact == NULL)
        m->data_compact = xstrdup("null");
    cJSON_Delete(j);
}

static void
rep_message_fill(const struct rep_report *r, struct rep_message *m,
                 const struct pm_message_row *row)
{
    m->id = row->id;
    m->reply_to = row->reply_to;
    m->flow_id = row->flow_id;
    m->ts = row->ts;
    m->ext_id = rep_text(r, row->ext_id);
    m->sender_origin = rep_text(r, row->sender_origin);
    m->receiver_origin = rep_text(r, row->receiver_origin);
    m->target_origin = rep_text(r, row->target_origin);
    m->via = rep_text(r, row->via);
    rep_message_data(r, m, row->data_json);
}

static void
rep_message_release(struct rep_message *m)
{
    free(m->ext_id);
    free(m->sender_origin);
    free(m->receiver_origin);
    free(m->target_origin);
    free(m->via);
    free(m->data_pretty);
    free(m->data_compact);
}

/* ---- callbacks that copy store rows into the model --------------------- */

struct detail_ctx {
    const struct rep_report *r;
    struct rep_finding *f;
};

/* Collect the frame path receiver first; stop at a repeated window. */
static int
path_window_cb(const struct pm_report_window *w, void *p)
{
    struct detail_ctx *c = p;
    struct rep_finding *f = c->f;
    for (int i = 0; i < f->npath; i++)
        if (f->path[i].id == w->id)
            return 1;
    if (f->npath == PM_EXPORT_MAX_PATH) {
        f->path_cut = 1;
        return 1;
    }
    struct rep_window *o = &f->path[f->npath++];
    o->id = w->id;
    o->kind = rep_text(c->r, w->kind);
    o->url = rep_text(c->r, w->url);
    o->origin = rep_text(c->r, w->origin);
    o->xfo = rep_text(c->r, w->xfo);
    o->csp = rep_text(c->r, w->csp);
    o->link = w->link && strcmp(w->link, "opener") == 0 ? "opener"
              : w->link                                 ? "parent"
                                                        : NULL;
    return 0;
}

static int
message_cb(const struct pm_message_row *m, void *p)
{
    struct detail_ctx *c = p;
    c->f->evidence = xcalloc(1, sizeof *c->f->evidence);
    rep_message_fill(c->r, c->f->evidence, m);
    return 0;
}

static int
flow_cb(const struct pm_message_row *m, void *p)
{
    struct detail_ctx *c = p;
    rep_message_fill(c->r, &c->f->flow[c->f->nflow++], m);
    return 0;
}

/*
 * The check's line in the script.  The analysis gives check_line relative
 * to the handler's text for handlers recorded with their code (traces,
 * crawls) and relative to the script for handlers it found by scanning a
 * script, so the line is taken from where check_expr occurs in the code
 * when it does, and from found_by otherwise.
 */
static long
check_script_line(const struct rep_listener *l)
{
    long base = l->line > 0 ? l->line : 1;
    if (l->code && l->check_expr && l->check_expr[0]) {
        const char *at = strstr(l->code, l->check_expr);
        if (at) {
            long n = base;
            for (const char *p = l->code; p < at; p++)
                n += *p == '\n';
            return n;
        }
    }
    if (l->check_line <= 0)
        return 0;
    if (l->found_by && strcmp(l->found_by, "scan") == 0)
        return l->check_line;
    return base + l->check_line - 1;
}

static int
listener_cb(const struct pm_report_listener *l, void *p)
{
    struct detail_ctx *c = p;
    struct rep_listener *o = xcalloc(1, sizeof *o);
    o->id = l->id;
    o->line = l->line;
    o->col = l->col;
    o->check_line = l->check_line;
    o->check_col = l->check_col;
    o->script_url = rep_text(c->r, l->script_url);
    o->code = rep_copy(c->r, l->code, redact_code);
    o->found_by = rep_text(c->r, l->found_by);
    o->check_kind = rep_text(c->r, l->check_kind);
    o->check_expr = rep_copy(c->r, l->check_expr, redact_code);
    o->sinks = rep_text(c->r, l->sinks);
    o->check_script_line = check_script_line(o);
    c->f->listener = o;
    return 0;
}

static int
send_site_cb(const struct pm_report_send_site *x, void *p)
{
    struct detail_ctx *c = p;
    struct rep_send_site *o = xcalloc(1, sizeof *o);
    o->id = x->id;
    o->line = x->line;
    o->col = x->col;
    o->script_url = rep_text(c->r, x->script_url);
    o->target_expr = rep_copy(c->r, x->target_expr, redact_code);
    o->target_origin = rep_text(c->r, x->target_origin);
    o->snippet = rep_copy(c->r, x->snippet, redact_code);
    o->stack = rep_text(c->r, x->stack);
    c->f->send_site = o;
    return 0;
}

static void
rep_window_release(struct rep_window *w)
{
    free(w->kind);
    free(w->url);
    free(w->origin);
    free(w->xfo);
    free(w->csp);
}

/*
 * The frame path from the top window down to the receiver: read receiver
 * first (store_report_frame_path), then reversed.  A window whose parent
 * is beyond PM_EXPORT_MAX_PATH or part of a cycle marks the path cut.
 */
static enum pm_rc
frame_path(struct pm_store *st, struct detail_ctx *c, int64_t window_id,
           struct pm_err *err)
{
    struct rep_finding *f = c->f;
    if (store_report_frame_path(st, window_id, PM_EXPORT_MAX_PATH,
                                path_window_cb, c, err))
        return err->rc;
    if (f->npath && f->path[f->npath - 1].link)
        f->path_cut = 1;
    for (int i = 0, j = f->npath - 1; i < j; i++, j--) {
        struct rep_window t = f->path[i];
        f->path[i] = f->path[j];
        f->path[j] = t;
    }
    return PM_OK;
}

/* store_report_document's row: the receiver as the document it was. */
static int
receiver_document_cb(const struct pm_report_window *w, void *p)
{
    struct detail_ctx *c = p;
    struct rep_window *o = &c->f->path[c->f->npath - 1];
    if (w->url == NULL)
        return 0; /* a document whose URL was not recorded says less */
    free(o->url);
    free(o->origin);
    free(o->xfo);
    free(o->csp);
    o->url = rep_text(c->r, w->url);
    o->origin = rep_text(c->r, w->origin);
    o->xfo = rep_text(c->r, w->xfo);
    o->csp = rep_text(c->r, w->csp);
    return 0;
}

/*
 * The receiver (the path's last window) as the document that received:
 * a frame that navigated since shows another document, whose URL, origin
 * and framing a PoC must not target.
 */
static enum pm_rc
receiver_document(struct pm_store *st, struct detail_ctx *c, int64_t window_id,
                  int64_t seq, struct pm_err *err)
{
    int found = 0;
    return store_report_document(st, window_id, seq, receiver_document_cb, c,
                                 &found, err);
}

/* ---- finding detail ------------------------------------------------------ */

enum pm_rc
export_finding_detail(struct pm_store *st, const struct rep_report *r,
                      struct rep_finding *f, struct pm_err *err)
{
    struct pm_finding_row row = {
        .id = f->id,
        .subject_kind = f->subject_kind,
        .subject_id = f->subject_id,
        .subject_key = f->subject_key,
    };
    struct pm_report_ctx rc;
    if (store_report_context(st, &row, &rc, err))
        return err->rc;
    struct detail_ctx c = {.r = r, .f = f};
    if (rc.receiver_window_id && frame_path(st, &c, rc.receiver_window_id, err))
        return err->rc;
    if (f->npath && rc.receiver_doc > 0 &&
        receiver_document(st, &c, rc.receiver_window_id, rc.receiver_doc, err))
        return err->rc;
    if (rc.message_id) {
        if (store_get_message(st, rc.message_id, message_cb, &c, err))
            return err->rc;
        if (rc.evidence_why[0])
            f->evidence_why = rep_text(r, rc.evidence_why);
        f->flow = xcalloc(PM_EXPORT_MAX_FLOW, sizeof *f->flow);
        if (store_report_flow(st, rc.message_id, PM_EXPORT_MAX_FLOW, flow_cb,
                              &c, err))
            return err->rc;
    }
    if (rc.listener_id &&
        store_report_listener(st, rc.listener_id, listener_cb, &c, err))
        return err->rc;
    if (rc.send_site_id &&
        store_report_send_site(st, rc.send_site_id, send_site_cb, &c, err))
        return err->rc;
    export_build_poc(f, f->npath ? &f->path[f->npath - 1] : NULL);
    return PM_OK;
}

static void
rep_listener_free(struct rep_listener *l)
{
    if (l == NULL)
        return;
    free(l->script_url);
    free(l->code);
    free(l->found_by);
    free(l->check_kind);
    free(l->check_expr);
    free(l->sinks);
    free(l);
}

static void
rep_send_site_free(struct rep_send_site *x)
{
    if (x == NULL)
        return;
    free(x->script_url);
    free(x->target_expr);
    free(x->target_origin);
    free(x->snippet);
    free(x->stack);
    free(x);
}

void
export_finding_detail_release(struct rep_finding *f)
{
    for (int i = 0; i < f->npath; i++)
        rep_window_release(&f->path[i]);
    f->npath = 0;
    f->path_cut = 0;
    if (f->evidence) {
        rep_message_release(f->evidence);
        free(f->evidence);
        f->evidence = NULL;
    }
    free(f->evidence_why);
    f->evidence_why = NULL;
    for (int i = 0; i < f->nflow; i++)
        rep_message_release(&f->flow[i]);
    free(f->flow);
    f->flow = NULL;
    f->nflow = 0;
    rep_listener_free(f->listener);
    f->listener = NULL;
    rep_send_site_free(f->send_site);
    f->send_site = NULL;
    free(f->poc);
    f->poc = NULL;
    free(f->poc_origin);
    f->poc_origin = NULL;
    f->poc_how = NULL;
    free(f->poc_omitted);
    f->poc_omitted = NULL;
    free(f->poc_basis);
    f->poc_basis = NULL;
    f->poc_derived = 0;
    f->poc_sink[0] = '\0';
    f->poc_sink_kind = NULL;
    f->poc_sink_line = 0;
    f->poc_event[0] = '\0';
}

/* ---- summary: findings and sources ------------------------------------- */

struct collect_ctx {
    struct rep_report *r;
    long cap;
};

static int
collect_finding(const struct pm_finding_row *row, void *p)
{
    struct collect_ctx *c = p;
    struct rep_report *r = c->r;
    if (r->nf == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        r->f = xrealloc(r->f, (size_t)c->cap * sizeof *r->f);
    }
    struct rep_finding *f = &r->f[r->nf++];
    memset(f, 0, sizeof *f);
    f->id = row->id;
    f->subject_id = row->subject_id;
    f->subject_kind = xstrdup(row->subject_kind);
    f->subject_key = row->subject_key ? xstrdup(row->subject_key) : NULL;
    f->rule = rep_text(r, row->rule);
    f->severity = xstrdup(row->severity);
    f->status = xstrdup(row->status);
    f->title = rep_text(r, row->title ? row->title : "");
    f->note = rep_text(r, row->note);
    f->created_at = rep_text(r, row->created_at);
    f->updated_at = rep_text(r, row->updated_at);
    f->recheck_status = rep_text(r, row->recheck_status);
    f->recheck_at = rep_text(r, row->recheck_at);
    f->recheck_detail = rep_text(r, row->recheck_detail);
    f->verify_status = rep_text(r, row->verify_status);
    f->verify_at = rep_text(r, row->verify_at);
    f->verify_detail = rep_text(r, row->verify_detail);
    return 0;
}

static int
collect_source(const struct pm_source_row *s, void *p)
{
    struct collect_ctx *c = p;
    struct rep_report *r = c->r;
    if (r->nsrc == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 8;
        r->src = xrealloc(r->src, (size_t)c->cap * sizeof *r->src);
    }
    struct rep_source *o = &r->src[r->nsrc++];
    const char *slash = s->path ? strrchr(s->path, '/') : NULL;
    o->name = rep_text(r, slash ? slash + 1 : s->path ? s->path : "");
    o->format = rep_text(r, s->format);
    o->sha256 = xstrdup(s->sha256 ? s->sha256 : "");
    o->tool = rep_text(r, s->tool);
    o->imported_at = rep_text(r, s->imported_at);
    o->size = s->size;
    o->n_windows = s->n_windows;
    o->n_requests = s->n_requests;
    o->n_messages = s->n_messages;
    o->n_listeners = s->n_listeners;
    return 0;
}

/* The finding's subject description and its two origins; their stored
 * texts (NULL when unknown) are appended to raw for the origin graph. */
static enum pm_rc
summary_fields(struct pm_store *st, struct rep_report *r, struct rep_finding *f,
               char **raw, size_t *nraw, struct pm_err *err)
{
    struct pm_finding_row row = {
        .id = f->id,
        .subject_kind = f->subject_kind,
        .subject_id = f->subject_id,
        .subject_key = f->subject_key,
    };
    struct pm_report_ctx c;
    if (store_report_context(st, &row, &c, err))
        return err->rc;
    f->sender_origin = c.sender_origin[0] ? rep_text(r, c.sender_origin) : NULL;
    f->receiver_origin =
        c.receiver_origin[0] ? rep_text(r, c.receiver_origin) : NULL;
    raw[(*nraw)++] = c.sender_origin[0] ? xstrdup(c.sender_origin) : NULL;
    raw[(*nraw)++] = c.receiver_origin[0] ? xstrdup(c.receiver_origin) : NULL;
    char *desc = NULL;
    struct pm_err derr = PM_ERR_INIT;
    if (store_subject_describe(st, f->subject_kind, f->subject_id,
                               f->subject_key, &desc, &derr) == PM_OK) {
        f->subject_desc = rep_text(r, desc);
        free(desc);
    } else if (derr.rc != PM_ERR_NOTFOUND) {
        *err = derr;
        return err->rc;
    }
    return PM_OK;
}

void
export_model_release(struct rep_report *r)
{
    for (long i = 0; i < r->nf; i++) {
        struct rep_finding *f = &r->f[i];
        export_finding_detail_release(f);
        free(f->subject_kind);
        free(f->subject_key);
        free(f->subject_desc);
        free(f->rule);
        free(f->severity);
        free(f->status);
        free(f->title);
        free(f->note);
        free(f->created_at);
        free(f->updated_at);
        free(f->recheck_status);
        free(f->recheck_at);
        free(f->recheck_detail);
        free(f->verify_status);
        free(f->verify_at);
        free(f->verify_detail);
        free(f->sender_origin);
        free(f->receiver_origin);
    }
    free(r->f);
    for (long i = 0; i < r->nsrc; i++) {
        struct rep_source *s = &r->src[i];
        free(s->name);
        free(s->format);
        free(s->sha256);
        free(s->tool);
        free(s->imported_at);
    }
    free(r->src);
    free(r->generated_at);
    graph_release(&r->graph);
}

/*
 * The origin graph of the report: the edges around the findings' origins
 * (raw[0..n), stored texts), at most PM_EXPORT_MAX_GRAPH_EDGES of them,
 * with the origins redacted as everywhere else in the report.
 */
static enum pm_rc
report_graph(struct pm_store *st, struct rep_report *r, char **raw, size_t n,
             struct pm_err *err)
{
    if (graph_load(&r->graph, st, err) != PM_OK)
        return err->rc;
    graph_keep_around(&r->graph, (const char *const *)raw, n,
                      PM_EXPORT_MAX_GRAPH_EDGES);
    if (r->redact)
        graph_relabel(&r->graph, redact_text);
    return PM_OK;
}

/* The report time: opts, else $SOURCE_DATE_EPOCH (reproducible), else now. */
static char *
generated_at(const struct pm_export_opts *o)
{
    if (o->generated_at)
        return xstrdup(o->generated_at);
    time_t t = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && isdigit((unsigned char)sde[0]))
        t = (time_t)strtoll(sde, NULL, 10);
    struct tm tm;
    char buf[32];
    gmtime_r(&t, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return xstrdup(buf);
}

enum pm_rc
export_flush(struct pm_buf *b, FILE *out, const char *out_name,
             struct pm_err *err)
{
    errno = 0;
    int failed = (b->len && fwrite(b->data, 1, b->len, out) != b->len) ||
                 ferror(out);
    int saved = errno;
    pm_buf_reset(b);
    if (failed)
        return pm_err_at(err, PM_ERR_IO,
                         out_name ? out_name : "standard output", 0, 0,
                         "cannot write the report: %s",
                         saved ? strerror(saved) : "write error");
    return PM_OK;
}

void
export_status_text(struct pm_buf *out, unsigned mask)
{
    static const char *const names[] = {"suggested", "confirmed", "dismissed"};
    int first = 1;
    for (int i = 0; i < 3; i++) {
        if (mask & (1u << i)) {
            pm_buf_addf(out, "%s%s", first ? "" : ", ", names[i]);
            first = 0;
        }
    }
}

enum pm_rc
export_model_build(struct pm_store *st, const struct pm_export_opts *o,
                   struct rep_report *r, struct pm_err *err)
{
    memset(r, 0, sizeof *r);
    r->redact = o->redact;
    r->status_mask = o->status_mask ? o->status_mask : PM_FST_CONFIRMED;
    r->workspace_name = o->workspace_name;
    r->out_name = o->out_name;
    r->generated_at = generated_at(o);
    graph_init(&r->graph);
    struct collect_ctx c = {.r = r, .cap = 0};
    enum pm_rc rc = store_each_finding(st, r->status_mask, 1, 0, 0,
                                       collect_finding, &c, err);
    char **raw = xcalloc((size_t)r->nf * 2 + 1, sizeof *raw);
    size_t nraw = 0;
    for (long i = 0; rc == PM_OK && i < r->nf; i++)
        rc = summary_fields(st, r, &r->f[i], raw, &nraw, err);
    if (rc == PM_OK && r->nf)
        rc = report_graph(st, r, raw, nraw, err);
    for (size_t i = 0; i < nraw; i++)
        free(raw[i]);
    free(raw);
    c.cap = 0;
    if (rc == PM_OK)
        rc = store_each_source(st, collect_source, &c, err);
    return rc;
}
