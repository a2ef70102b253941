/*
 * ls_analysis.c - the `listeners` and `sends` kinds of `pmscope ls`: what
 * the analysis found.  Listeners: id, window origin, how found, origin
 * check class and expression, sinks, reply, script position.  Sends:
 * postMessage call sites with their receiver and literal targetOrigin;
 * '*' is flagged.  --json prints every field; --limit and --after page.
 */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd_ls.h"
#include "cmd_util.h"
#include "ls_out.h"

static void
put_position(const char *url, long line, long col)
{
    ls_put(stdout, url ? url : "(no script)");
    if (line > 0)
        printf(":%ld:%ld", line, col);
}

static int
listener_row(const struct pm_listener_row *r, void *ctx)
{
    cJSON *arr = ctx;
    if (arr) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)r->id);
        cJSON_AddNumberToObject(o, "source_id", (double)r->source_id);
        ls_json_id(o, "window_id", r->window_id);
        ls_json_str(o, "origin", r->origin);
        ls_json_str(o, "script_url", r->script_url);
        ls_json_id(o, "line", r->line);
        ls_json_id(o, "col", r->col);
        ls_json_str(o, "found_by", r->found_by);
        ls_json_id(o, "same_as", r->same_as);
        cJSON_AddNumberToObject(o, "scan_copies", (double)r->copies);
        ls_json_str(o, "target", r->target);
        ls_json_id(o, "document", r->doc);
        ls_json_str(o, "document_url", r->doc_url);
        ls_json_str(o, "check", r->check_kind);
        ls_json_str(o, "check_expr", r->check_expr);
        ls_json_id(o, "check_line", r->check_line);
        ls_json_id(o, "check_col", r->check_col);
        cJSON *sinks = cJSON_CreateArray();
        if (r->sinks && r->sinks[0]) {
            const char *p = r->sinks;
            while (*p) {
                const char *e = p;
                while (*e && *e != ',')
                    e++;
                char name[64];
                snprintf(name, sizeof name, "%.*s", (int)(e - p), p);
                cJSON_AddItemToArray(sinks, cJSON_CreateString(name));
                p = *e ? e + 1 : e;
            }
        }
        cJSON_AddItemToObject(o, "sinks", sinks);
        cJSON_AddBoolToObject(o, "replies", r->replies);
        ls_json_str(o, "reply_target", r->reply_target);
        cJSON_AddItemToArray(arr, o);
        return 0;
    }
    printf("#%-4" PRId64 " ", r->id);
    ls_put_cols(stdout, r->origin ? r->origin : "(unknown origin)", 26, 1);
    putchar(' ');
    ls_put_cols(stdout, r->check_kind ? r->check_kind : "-", 16, 1);
    putchar(' ');
    ls_put_cols(stdout, r->sinks && r->sinks[0] ? r->sinks : "-", 24, 1);
    char found[32];
    snprintf(found, sizeof found, "%s%s", r->found_by ? r->found_by : "-",
             r->copies > 0 ? "+scan" : "");
    printf(" %-10s ", found);
    put_position(r->script_url, r->line, r->col);
    if (r->target && r->target[0] && r->target[0] != 'w') {
        printf(" [");
        ls_put(stdout, r->target);
        putchar(']');
    }
    putchar('\n');
    if (r->check_expr && r->check_expr[0]) {
        printf("      check ");
        ls_put_cols(stdout, r->check_expr, 100, 0);
        if (r->check_line > 0)
            printf("  (%ld:%ld)", r->check_line, r->check_col);
        putchar('\n');
    }
    if (r->replies) {
        printf("      replies to event.source, targetOrigin ");
        ls_put_cols(stdout, r->reply_target ? r->reply_target : "?", 60, 0);
        if (r->reply_target && r->reply_target[0] == '*' && !r->reply_target[1])
            printf("  [wildcard]");
        putchar('\n');
    }
    return 0;
}

int
ls_listeners(struct pm_store *st, const struct pm_ls_opts *o)
{
    struct pm_err err = PM_ERR_INIT;
    cJSON *arr = o->json ? cJSON_CreateArray() : NULL;
    if (!o->json)
        printf("%-5s %-26s %-16s %-24s %-10s %s\n", "ID", "ORIGIN", "CHECK",
               "SINKS", "FOUND", "SCRIPT");
    if (store_page_listeners(st, o->after, o->limit, o->all, listener_row, arr,
                             &err)) {
        cJSON_Delete(arr);
        return cmd_fail(&err);
    }
    return arr ? ls_json_finish(arr) : 0;
}

static int
send_row(const struct pm_send_site_row *r, void *ctx)
{
    cJSON *arr = ctx;
    int wildcard = r->target_origin && r->target_origin[0] == '*' &&
                   r->target_origin[1] == '\0';
    if (arr) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)r->id);
        cJSON_AddNumberToObject(o, "source_id", (double)r->source_id);
        ls_json_id(o, "window_id", r->window_id);
        ls_json_str(o, "origin", r->origin);
        ls_json_str(o, "script_url", r->script_url);
        ls_json_id(o, "line", r->line);
        ls_json_id(o, "col", r->col);
        ls_json_str(o, "target_expr", r->target_expr);
        ls_json_str(o, "target_origin", r->target_origin);
        cJSON_AddBoolToObject(o, "wildcard", wildcard);
        ls_json_str(o, "snippet", r->snippet);
        cJSON_AddItemToArray(arr, o);
        return 0;
    }
    printf("#%-4" PRId64 " %c ", r->id, wildcard ? '!' : ' ');
    ls_put_cols(stdout, r->origin ? r->origin : "(unknown origin)", 26, 1);
    putchar(' ');
    ls_put_cols(stdout, r->target_expr ? r->target_expr : "?", 22, 1);
    putchar(' ');
    ls_put_cols(stdout, r->target_origin ? r->target_origin : "(not a literal)", 28, 1);
    putchar(' ');
    put_position(r->script_url, r->line, r->col);
    putchar('\n');
    if (r->snippet) {
        printf("        ");
        ls_put_cols(stdout, r->snippet, 110, 0);
        putchar('\n');
    }
    return 0;
}

int
ls_sends(struct pm_store *st, const struct pm_ls_opts *o)
{
    struct pm_err err = PM_ERR_INIT;
    cJSON *arr = o->json ? cJSON_CreateArray() : NULL;
    if (!o->json)
        printf("%-5s %c %-26s %-22s %-28s %s   (! = targetOrigin '*')\n", "ID", ' ',
               "ORIGIN", "RECEIVER", "TARGET ORIGIN", "SCRIPT");
    if (store_page_send_sites(st, o->after, o->limit, send_row, arr, &err)) {
        cJSON_Delete(arr);
        return cmd_fail(&err);
    }
    return arr ? ls_json_finish(arr) : 0;
}
