/*
 * show_finding.c - `pmscope show finding ID`: one finding as `ls
 * findings` and the report know it: severity, status, title, who found it
 * (a rule or the analyst), its subject and that subject's one-line
 * description, the origins and the evidence message the report would
 * show (and why that message), the listener or send site it leads to,
 * the note, and the last re-check.  --json prints the same as one object.
 */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_show.h"
#include "cmd_util.h"
#include "findings.h"
#include "ls_out.h"
#include "store_report.h"

struct finding_out {
    struct pm_store *st;
    const struct pm_show_opts *o;
    cJSON *json;
    int rc;
};

/* The command that shows a subject of this kind, NULL for an edge. */
static const char *
show_kind_of(const char *subject_kind)
{
    if (strcmp(subject_kind, "send_site") == 0)
        return "send";
    if (strcmp(subject_kind, "edge") == 0)
        return NULL;
    return subject_kind;
}

static void
finding_json(struct finding_out *out, const struct pm_finding_row *f,
             const char *desc, const struct pm_report_ctx *ctx)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", (double)f->id);
    ls_json_str(o, "severity", f->severity);
    ls_json_str(o, "status", f->status);
    ls_json_str(o, "title", f->title);
    ls_json_str(o, "rule", f->rule);
    ls_json_str(o, "subject_kind", f->subject_kind);
    cJSON_AddNumberToObject(o, "subject_id", (double)f->subject_id);
    ls_json_str(o, "subject_key", f->subject_key);
    ls_json_str(o, "subject", desc);
    ls_json_str(o, "sender_origin",
                ctx->sender_origin[0] ? ctx->sender_origin : NULL);
    ls_json_str(o, "receiver_origin",
                ctx->receiver_origin[0] ? ctx->receiver_origin : NULL);
    ls_json_id(o, "evidence_message", ctx->message_id);
    ls_json_str(o, "evidence_why",
                ctx->evidence_why[0] ? ctx->evidence_why : NULL);
    ls_json_id(o, "listener", ctx->listener_id);
    ls_json_id(o, "send_site", ctx->send_site_id);
    ls_json_id(o, "receiver_window", ctx->receiver_window_id);
    ls_json_str(o, "note", f->note);
    ls_json_str(o, "created_at", f->created_at);
    ls_json_str(o, "updated_at", f->updated_at);
    ls_json_str(o, "recheck_status", f->recheck_status);
    ls_json_str(o, "recheck_at", f->recheck_at);
    ls_json_str(o, "recheck_detail", f->recheck_detail);
    out->json = o;
}

/* A labelled value that may span lines: the rest indented under it. */
static void
put_block(const char *label, const char *text)
{
    printf("%-10s", label);
    const char *p = text;
    int first = 1;
    while (*p || first) {
        size_t n = strcspn(p, "\n");
        char *line = strndup(p, n);
        printf("%s", first ? "" : "          ");
        ls_put(stdout, line);
        putchar('\n');
        free(line);
        first = 0;
        p += n;
        if (*p == '\n')
            p++;
    }
}

static void
finding_text(const struct pm_finding_row *f, const char *desc,
             const struct pm_report_ctx *ctx)
{
    printf("finding   #%" PRId64 "\nseverity  ", f->id);
    ls_put(stdout, f->severity ? f->severity : "?");
    printf("\nstatus    ");
    ls_put(stdout, f->status ? f->status : "?");
    printf("\ntitle     ");
    ls_put(stdout, f->title ? f->title : "");
    printf("\nfound by  ");
    if (f->rule) {
        fputs("analysis, rule ", stdout);
        ls_put(stdout, f->rule);
    } else {
        fputs("marked by hand", stdout);
    }
    printf("\nsubject   ");
    ls_put(stdout, desc ? desc : f->subject_kind);
    if (desc == NULL)
        printf(" %" PRId64 " (no longer in the workspace)", f->subject_id);
    const char *kind = show_kind_of(f->subject_kind);
    if (kind && desc)
        printf("\n          (pmscope show %s %" PRId64 ")", kind,
               f->subject_id);
    printf("\norigins   ");
    ls_put(stdout, ctx->sender_origin[0] ? ctx->sender_origin : "?");
    fputs(" -> ", stdout);
    ls_put(stdout, ctx->receiver_origin[0] ? ctx->receiver_origin : "?");
    printf("\nevidence  ");
    if (ctx->message_id) {
        printf("message #%" PRId64, ctx->message_id);
        if (ctx->evidence_why[0]) {
            fputs(" (", stdout);
            ls_put(stdout, ctx->evidence_why);
            putchar(')');
        }
    } else {
        fputs("no recorded message shows it", stdout);
    }
    putchar('\n');
    if (ctx->listener_id && strcmp(f->subject_kind, "listener") != 0)
        printf("listener  #%" PRId64 "\n", ctx->listener_id);
    if (ctx->send_site_id && strcmp(f->subject_kind, "send_site") != 0)
        printf("send site #%" PRId64 "\n", ctx->send_site_id);
    printf("created   ");
    ls_put(stdout, f->created_at ? f->created_at : "?");
    printf("\nupdated   ");
    ls_put(stdout, f->updated_at ? f->updated_at : "?");
    putchar('\n');
    put_block("note", f->note && f->note[0] ? f->note : "(none)");
    printf("recheck   ");
    if (f->recheck_status) {
        ls_put(stdout, f->recheck_status);
        fputs(" at ", stdout);
        ls_put(stdout, f->recheck_at ? f->recheck_at : "?");
        if (f->recheck_detail && f->recheck_detail[0]) {
            fputs(": ", stdout);
            ls_put(stdout, f->recheck_detail);
        }
        putchar('\n');
    } else {
        puts("not run (pmscope recheck)");
    }
}

static int
show_finding_row(const struct pm_finding_row *f, void *vctx)
{
    struct finding_out *out = vctx;
    struct pm_err err = PM_ERR_INIT;
    char *desc = NULL;
    /* A subject deleted since is shown as such, not as an error. */
    if (store_subject_describe(out->st, f->subject_kind, f->subject_id,
                               f->subject_key, &desc, &err) &&
        err.rc != PM_ERR_NOTFOUND) {
        out->rc = cmd_fail(&err);
        return 1;
    }
    struct pm_report_ctx ctx;
    struct pm_err cerr = PM_ERR_INIT;
    if (store_report_context(out->st, f, &ctx, &cerr)) {
        free(desc);
        out->rc = cmd_fail(&cerr);
        return 1;
    }
    if (out->o->json)
        finding_json(out, f, desc, &ctx);
    else
        finding_text(f, desc, &ctx);
    free(desc);
    return 0;
}

int
show_finding(struct pm_store *st, int64_t id, const struct pm_show_opts *o)
{
    struct pm_err err = PM_ERR_INIT;
    struct finding_out out = {st, o, NULL, 0};
    if (store_get_finding(st, id, show_finding_row, &out, &err))
        return cmd_fail(&err);
    if (out.rc) {
        cJSON_Delete(out.json);
        return out.rc;
    }
    return out.json ? ls_json_finish(out.json) : 0;
}
