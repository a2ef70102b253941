/*
 * ls_findings.c - the `findings` kind of `pmscope ls`: one line per
 * finding (id, severity, status, subject, who found it, title), or with
 * --json every field.  --status takes the same list as export (default:
 * every status); --limit and --after page by id.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd_ls.h"
#include "cmd_util.h"
#include "findings.h"
#include "ls_out.h"

static int
ls_finding_row(const struct pm_finding_row *r, void *ctx)
{
    cJSON *arr = ctx;
    if (arr) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)r->id);
        ls_json_str(o, "severity", r->severity);
        ls_json_str(o, "status", r->status);
        ls_json_str(o, "subject_kind", r->subject_kind);
        cJSON_AddNumberToObject(o, "subject_id", (double)r->subject_id);
        ls_json_str(o, "subject_key", r->subject_key);
        ls_json_str(o, "rule", r->rule);
        ls_json_str(o, "title", r->title);
        ls_json_str(o, "note", r->note);
        ls_json_str(o, "created_at", r->created_at);
        ls_json_str(o, "updated_at", r->updated_at);
        ls_json_str(o, "recheck_status", r->recheck_status);
        ls_json_str(o, "recheck_at", r->recheck_at);
        ls_json_str(o, "recheck_detail", r->recheck_detail);
        ls_json_str(o, "verify_status", r->verify_status);
        ls_json_str(o, "verify_at", r->verify_at);
        ls_json_str(o, "verify_detail", r->verify_detail);
        cJSON_AddItemToArray(arr, o);
        return 0;
    }
    char *label = findings_subject_label(r);
    printf("%-5lld %-8s %-9s ", (long long)r->id, r->severity, r->status);
    ls_put_cols(stdout, label, 16, 1);
    putchar(' ');
    ls_put_cols(stdout, r->rule ? r->rule : "(hand)", 18, 1);
    putchar(' ');
    ls_put(stdout, r->title);
    if (r->note && r->note[0])
        fputs(" [note]", stdout);
    if (r->recheck_status) {
        fputs(" [recheck: ", stdout);
        ls_put(stdout, r->recheck_status);
        putchar(' ');
        ls_put(stdout, r->recheck_at);
        putchar(']');
    }
    if (r->verify_status) {
        fputs(" [verify: ", stdout);
        ls_put(stdout, r->verify_status);
        putchar(' ');
        ls_put(stdout, r->verify_at);
        putchar(']');
    }
    putchar('\n');
    free(label);
    return 0;
}

int
ls_findings(struct pm_store *st, const struct pm_ls_opts *o)
{
    struct pm_err err = PM_ERR_INIT;
    unsigned mask = PM_FST_ALL;
    if (o->status && findings_status_mask(o->status, &mask, &err))
        return cmd_fail(&err);
    cJSON *arr = o->json ? cJSON_CreateArray() : NULL;
    if (!o->json)
        printf("%-5s %-8s %-9s %-16s %-18s %s\n", "ID", "SEVERITY", "STATUS",
               "SUBJECT", "FOUND BY", "TITLE");
    if (findings_each(st, mask, 0, o->after, o->limit, ls_finding_row, arr,
                      &err)) {
        cJSON_Delete(arr);
        return cmd_fail(&err);
    }
    return arr ? ls_json_finish(arr) : 0;
}
