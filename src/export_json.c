/*
 * export_json.c - renders the report model as one JSON document, for
 * scripts and ticket systems: the same content as the Markdown report
 * (redacted the same way), with message data as JSON values.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "export_int.h"
#include "mem.h"
#include "json_safe.h"

static void
add_str(cJSON *o, const char *key, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

static void
add_id(cJSON *o, const char *key, int64_t v)
{
    if (v)
        cJSON_AddNumberToObject(o, key, (double)v);
    else
        cJSON_AddNullToObject(o, key);
}

static cJSON *
message_json(const struct rep_message *m)
{
    cJSON *o = cJSON_CreateObject();
    add_id(o, "id", m->id);
    add_str(o, "trace_id", m->ext_id);
    cJSON_AddNumberToObject(o, "ts", m->ts);
    add_str(o, "sender_origin", m->sender_origin);
    add_str(o, "receiver_origin", m->receiver_origin);
    add_str(o, "target_origin", m->target_origin);
    add_str(o, "via", m->via);
    add_id(o, "reply_to", m->reply_to);
    add_id(o, "flow_id", m->flow_id);
    cJSON *data = m->data_compact ? cJSON_Parse(m->data_compact) : NULL;
    if (data)
        cJSON_AddItemToObject(o, "data", data);
    else
        add_str(o, "data_text", m->data_compact);
    return o;
}

static cJSON *
finding_json(const struct rep_finding *f)
{
    cJSON *o = cJSON_CreateObject();
    add_id(o, "id", f->id);
    add_str(o, "severity", f->severity);
    add_str(o, "status", f->status);
    add_str(o, "title", f->title);
    add_str(o, "rule", f->rule);
    add_str(o, "note", f->note);
    add_str(o, "created_at", f->created_at);
    add_str(o, "updated_at", f->updated_at);
    add_str(o, "recheck_status", f->recheck_status);
    add_str(o, "recheck_at", f->recheck_at);
    add_str(o, "recheck_detail", f->recheck_detail);
    add_str(o, "verify_status", f->verify_status);
    add_str(o, "verify_at", f->verify_at);
    add_str(o, "verify_detail", f->verify_detail);
    cJSON *subj = cJSON_AddObjectToObject(o, "subject");
    add_str(subj, "kind", f->subject_kind);
    add_id(subj, "id", f->subject_id);
    add_str(subj, "key", f->subject_key);
    add_str(subj, "description", f->subject_desc);
    add_str(o, "sender_origin", f->sender_origin);
    add_str(o, "receiver_origin", f->receiver_origin);

    cJSON *path = cJSON_AddArrayToObject(o, "frame_path");
    for (int i = 0; i < f->npath; i++) {
        const struct rep_window *w = &f->path[i];
        cJSON *x = cJSON_CreateObject();
        add_id(x, "window_id", w->id);
        add_str(x, "kind", w->kind);
        add_str(x, "url", w->url);
        add_str(x, "origin", w->origin);
        add_str(x, "link", w->link);
        add_str(x, "x_frame_options", w->xfo);
        add_str(x, "csp", w->csp);
        cJSON_AddItemToArray(path, x);
    }
    cJSON_AddBoolToObject(o, "frame_path_cut", f->path_cut);
    if (f->evidence)
        cJSON_AddItemToObject(o, "evidence", message_json(f->evidence));
    else
        cJSON_AddNullToObject(o, "evidence");
    add_str(o, "evidence_why", f->evidence_why);
    if (f->listener) {
        const struct rep_listener *l = f->listener;
        cJSON *x = cJSON_AddObjectToObject(o, "listener");
        add_id(x, "id", l->id);
        add_str(x, "script_url", l->script_url);
        cJSON_AddNumberToObject(x, "line", (double)l->line);
        cJSON_AddNumberToObject(x, "col", (double)l->col);
        add_str(x, "found_by", l->found_by);
        add_str(x, "check_kind", l->check_kind);
        add_str(x, "check_expr", l->check_expr);
        cJSON_AddNumberToObject(x, "check_line", (double)l->check_line);
        cJSON_AddNumberToObject(x, "check_col", (double)l->check_col);
        cJSON_AddNumberToObject(x, "check_script_line",
                                (double)l->check_script_line);
        cJSON *sinks = cJSON_AddArrayToObject(x, "sinks");
        for (const char *p = l->sinks ? l->sinks : ""; *p;) {
            size_t n = strcspn(p, ",");
            char *s = xstrndup(p, n);
            if (s[0])
                cJSON_AddItemToArray(sinks, cJSON_CreateString(s));
            free(s);
            p += n;
            if (*p == ',')
                p++;
        }
        add_str(x, "code", l->code);
    } else {
        cJSON_AddNullToObject(o, "listener");
    }
    if (f->send_site) {
        const struct rep_send_site *s = f->send_site;
        cJSON *x = cJSON_AddObjectToObject(o, "send_site");
        add_id(x, "id", s->id);
        add_str(x, "script_url", s->script_url);
        cJSON_AddNumberToObject(x, "line", (double)s->line);
        cJSON_AddNumberToObject(x, "col", (double)s->col);
        add_str(x, "target_expr", s->target_expr);
        add_str(x, "target_origin", s->target_origin);
        add_str(x, "snippet", s->snippet);
        add_str(x, "stack", s->stack);
    } else {
        cJSON_AddNullToObject(o, "send_site");
    }
    cJSON *flow = cJSON_AddArrayToObject(o, "flow");
    for (int i = 0; i < f->nflow; i++)
        cJSON_AddItemToArray(flow, message_json(&f->flow[i]));
    if (f->poc) {
        cJSON *x = cJSON_AddObjectToObject(o, "proof_of_concept");
        add_str(x, "how", f->poc_how);
        add_str(x, "passing_origin", f->poc_origin);
        add_str(x, "html", f->poc);
        add_str(x, "message", f->poc_basis);
        cJSON_AddBoolToObject(x, "built_from_handler", f->poc_derived);
        add_str(x, "sink", f->poc_sink[0] ? f->poc_sink : NULL);
        add_str(x, "sink_kind", f->poc_sink_kind);
    } else {
        cJSON_AddNullToObject(o, "proof_of_concept");
    }
    add_str(o, "proof_of_concept_omitted", f->poc_omitted);
    return o;
}

/* Append "  "key": value" for a cJSON value printed compactly. */
static void
json_member(struct pm_buf *b, const char *key, cJSON *value, int last)
{
    char *v = cJSON_PrintUnformatted(value);
    pm_buf_addf(b, "  \"%s\": %s%s\n", key, v ? v : "null", last ? "" : ",");
    free(v);
    cJSON_Delete(value);
}

/* Append one element of a top-level array (indented two levels). */
static void
json_element(struct pm_buf *b, cJSON *value, int first)
{
    pm_buf_adds(b, first ? "    " : ",\n    ");
    export_json_pretty(b, value, 2, 0);
    cJSON_Delete(value);
}

static cJSON *
source_json(const struct rep_source *s)
{
    cJSON *x = cJSON_CreateObject();
    add_str(x, "file", s->name);
    add_str(x, "format", s->format);
    add_str(x, "tool", s->tool);
    add_str(x, "sha256", s->sha256);
    cJSON_AddNumberToObject(x, "size", (double)s->size);
    add_str(x, "imported_at", s->imported_at);
    cJSON_AddNumberToObject(x, "windows", (double)s->n_windows);
    cJSON_AddNumberToObject(x, "requests", (double)s->n_requests);
    cJSON_AddNumberToObject(x, "messages", (double)s->n_messages);
    cJSON_AddNumberToObject(x, "listeners", (double)s->n_listeners);
    return x;
}

/*
 * The document is written member by member and finding by finding, so a
 * report of any size needs the memory of one finding.
 */
enum pm_rc
export_render_json(struct pm_store *st, struct rep_report *r, FILE *out,
                   struct pm_err *err)
{
    struct pm_buf b;
    pm_buf_init(&b);
    pm_buf_adds(&b, "{\n");
    json_member(&b, "generator", cJSON_CreateString("pmscope " PM_VERSION), 0);
    json_member(&b, "generated_at", cJSON_CreateString(r->generated_at), 0);
    json_member(&b, "workspace", r->workspace_name
                                     ? cJSON_CreateString(r->workspace_name)
                                     : cJSON_CreateNull(), 0);
    json_member(&b, "redacted", cJSON_CreateBool(r->redact), 0);
    cJSON *statuses = cJSON_CreateArray();
    static const char *const names[] = {"suggested", "confirmed", "dismissed"};
    for (int i = 0; i < 3; i++)
        if (r->status_mask & (1u << i))
            cJSON_AddItemToArray(statuses, cJSON_CreateString(names[i]));
    json_member(&b, "statuses", statuses, 0);
    json_member(&b, "origin_graph",
                r->nf ? graph_to_json(&r->graph) : cJSON_CreateNull(), 0);
    pm_buf_adds(&b, "  \"findings\": [\n");
    enum pm_rc rc = PM_OK;
    for (long i = 0; rc == PM_OK && i < r->nf; i++) {
        rc = export_finding_detail(st, r, &r->f[i], err);
        if (rc == PM_OK)
            json_element(&b, finding_json(&r->f[i]), i == 0);
        export_finding_detail_release(&r->f[i]);
        if (rc == PM_OK) {
            json_escape_hidden(&b);
            rc = export_flush(&b, out, r->out_name, err);
        }
    }
    if (rc == PM_OK) {
        pm_buf_adds(&b, r->nf ? "\n  ],\n  \"sources\": [\n"
                              : "  ],\n  \"sources\": [\n");
        for (long i = 0; i < r->nsrc; i++)
            json_element(&b, source_json(&r->src[i]), i == 0);
        pm_buf_adds(&b, r->nsrc ? "\n  ]\n}\n" : "  ]\n}\n");
        json_escape_hidden(&b);
        rc = export_flush(&b, out, r->out_name, err);
    }
    pm_buf_release(&b);
    return rc;
}
