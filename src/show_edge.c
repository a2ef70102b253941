/*
 * show_edge.c - `pmscope show edge FROM TO`: one origin edge in full.  The
 * marks and counts `ls edges` prints, each send site resolved onto it
 * (how its receiver was found, targetOrigin as written and resolved,
 * whether a browser would deliver it), and each window listener of the
 * receiver origin with its verdict on the sender origin and why.  Origins
 * are given as text (a URL is reduced to its origin) or as ids (`3`,
 * `#3`, as `ls edges --json` gives them).
 */
#include "show_edge.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_util.h"
#include "ls_out.h"
#include "numarg.h"
#include "origin.h"
#include "store_query.h"

/* An origin argument to its id and text (*text malloc'd). */
static enum pm_rc
edge_origin(struct pm_store *st, const char *arg, int64_t *id, char **text,
            struct pm_err *err)
{
    long long n;
    const char *digits = arg[0] == '#' ? arg + 1 : arg;
    *id = 0;
    *text = NULL;
    if (digits[0] >= '0' && digits[0] <= '9' &&
        numarg_whole(digits, 1, INT64_MAX, &n) == 0) {
        *id = n;
        return store_origin_text(st, *id, text, err);
    }
    char origin[PM_ORIGIN_MAX];
    struct pm_err perr = PM_ERR_INIT;
    const char *look = arg;
    if (strcmp(arg, "null") != 0 &&
        origin_from_url(arg, NULL, origin, &perr) == PM_OK)
        look = origin;
    if (store_lookup_origin(st, look, id, err))
        return err->rc;
    if (*id <= 0)
        return pm_err_set(err, PM_ERR_NOTFOUND, "no origin %s in this workspace",
                          look);
    *text = strdup(look);
    return PM_OK;
}

struct edge_show {
    int64_t from, to;
    int found;
    struct pm_edge_row row; /* numbers only: strings are not kept */
    cJSON *json;            /* the object, when --json */
    cJSON *list;
    long n;
};

static int
edge_find(const struct pm_edge_row *r, void *ctx)
{
    struct edge_show *e = ctx;
    if (!(r->marks & PM_EDGE_FRAME) && r->from_id == e->from &&
        r->to_id == e->to) {
        e->row = *r;
        e->row.from = e->row.to = e->row.kind = NULL;
        e->found = 1;
        return 1;
    }
    return 0;
}

static const char *
delivered_word(int d)
{
    return d < 0 ? "not known" : d ? "delivered" : "not delivered";
}

static int
edge_send(const struct pm_edge_send_row *r, void *ctx)
{
    struct edge_show *e = ctx;
    e->n++;
    if (e->list) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "send_site", (double)r->send_site_id);
        ls_json_str(o, "how", r->how);
        ls_json_id(o, "sender_window", r->sender_window_id);
        ls_json_id(o, "receiver_window", r->receiver_window_id);
        ls_json_id(o, "receiver_document", r->receiver_doc);
        ls_json_str(o, "receiver_expr", r->target_expr);
        ls_json_str(o, "target_origin", r->target_written);
        ls_json_str(o, "target_origin_resolved", r->target_resolved);
        if (r->delivered < 0)
            cJSON_AddNullToObject(o, "delivered");
        else
            cJSON_AddBoolToObject(o, "delivered", r->delivered);
        ls_json_str(o, "script_url", r->script_url);
        cJSON_AddNumberToObject(o, "line", (double)r->line);
        cJSON_AddNumberToObject(o, "col", (double)r->col);
        ls_json_str(o, "snippet", r->snippet);
        cJSON_AddItemToArray(e->list, o);
        return 0;
    }
    printf("  send #%" PRId64 "  %-10s window #%" PRId64 " -> #%" PRId64,
           r->send_site_id, r->how ? r->how : "?", r->sender_window_id,
           r->receiver_window_id);
    if (r->receiver_doc > 0)
        printf(" (document %" PRId64 ")", r->receiver_doc);
    printf("\n            targetOrigin ");
    ls_put(stdout, r->target_written && r->target_written[0] ? r->target_written
                                                              : "(none: '/')");
    printf(" -> ");
    ls_put(stdout, r->target_resolved ? r->target_resolved : "?");
    printf("  %s\n            ", delivered_word(r->delivered));
    ls_put(stdout, r->script_url ? r->script_url : "(no script)");
    printf(":%ld:%ld  ", r->line, r->col);
    ls_put_cols(stdout, r->snippet ? r->snippet : "", 60, 0);
    putchar('\n');
    return 0;
}

static int
edge_verdict(const struct pm_edge_verdict_row *r, void *ctx)
{
    struct edge_show *e = ctx;
    e->n++;
    if (e->list) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "listener", (double)r->listener_id);
        ls_json_str(o, "verdict", r->verdict);
        ls_json_str(o, "why", r->why);
        ls_json_str(o, "check_kind", r->check_kind);
        ls_json_str(o, "check_expr", r->check_expr);
        ls_json_str(o, "script_url", r->script_url);
        cJSON_AddNumberToObject(o, "line", (double)r->line);
        cJSON_AddNumberToObject(o, "col", (double)r->col);
        cJSON_AddItemToArray(e->list, o);
        return 0;
    }
    printf("  listener #%" PRId64 "  %-8s ", r->listener_id,
           r->verdict ? r->verdict : "?");
    ls_put_cols(stdout, r->check_kind ? r->check_kind : "not analysed", 16, 1);
    printf(" ");
    ls_put(stdout, r->why ? r->why : "");
    printf("\n            ");
    ls_put(stdout, r->script_url ? r->script_url : "(no script)");
    printf(":%ld:%ld\n", r->line, r->col);
    return 0;
}

int
show_edge(struct pm_store *st, const char *from_arg, const char *to_arg,
          int json)
{
    struct pm_err err = PM_ERR_INIT;
    struct edge_show e;
    char *from = NULL, *to = NULL;
    memset(&e, 0, sizeof e);
    if (edge_origin(st, from_arg, &e.from, &from, &err) ||
        edge_origin(st, to_arg, &e.to, &to, &err) ||
        store_each_edge(st, edge_find, &e, &err)) {
        free(from);
        free(to);
        return cmd_fail(&err);
    }
    if (!e.found) {
        pm_err_set(&err, PM_ERR_NOTFOUND,
                   "no message edge from %s to %s (recorded or static)", from,
                   to);
        free(from);
        free(to);
        return cmd_fail(&err);
    }
    const struct pm_edge_row *r = &e.row;
    if (json) {
        e.json = cJSON_CreateObject();
        ls_json_str(e.json, "from", from);
        ls_json_str(e.json, "to", to);
        cJSON_AddNumberToObject(e.json, "from_id", (double)e.from);
        cJSON_AddNumberToObject(e.json, "to_id", (double)e.to);
        cJSON *marks = cJSON_AddArrayToObject(e.json, "marks");
        if (r->marks & PM_EDGE_OBSERVED)
            cJSON_AddItemToArray(marks, cJSON_CreateString("message"));
        if (r->marks & PM_EDGE_STATIC)
            cJSON_AddItemToArray(marks, cJSON_CreateString("static"));
        cJSON_AddNumberToObject(e.json, "messages", (double)r->count);
        cJSON_AddNumberToObject(e.json, "wildcard_target", (double)r->wildcard);
        cJSON_AddNumberToObject(e.json, "accepted", (double)r->accepted);
        cJSON_AddNumberToObject(e.json, "rejected", (double)r->rejected);
        cJSON_AddNumberToObject(e.json, "unknown", (double)r->unknown);
        e.list = cJSON_AddArrayToObject(e.json, "sends");
    } else {
        printf("edge      ");
        ls_put(stdout, from);
        printf(" -> ");
        ls_put(stdout, to);
        printf("\nmarks     %s%s%s\n", r->marks & PM_EDGE_OBSERVED ? "message" : "",
               (r->marks & PM_EDGE_OBSERVED) && (r->marks & PM_EDGE_STATIC) ? "+" : "",
               r->marks & PM_EDGE_STATIC ? "static" : "");
        printf("messages  %" PRId64 " recorded (%" PRId64
               " with targetOrigin *)\n", r->count, r->wildcard);
        printf("sends     %" PRId64 " send site%s (%" PRId64
               " with targetOrigin *)\n", r->sends, r->sends == 1 ? "" : "s",
               r->sends_wildcard);
    }
    enum pm_rc rc = store_each_edge_send(st, e.from, e.to, edge_send, &e, &err);
    if (rc == PM_OK) {
        if (json) {
            e.list = cJSON_AddArrayToObject(e.json, "listeners");
        } else {
            printf("listeners of ");
            ls_put(stdout, to);
            printf(" judged against ");
            ls_put(stdout, from);
            printf(": %" PRId64 " accepted, %" PRId64 " rejected, %" PRId64
                   " unknown\n", r->accepted, r->rejected, r->unknown);
        }
        rc = store_each_edge_verdict(st, e.from, e.to, edge_verdict, &e, &err);
    }
    free(from);
    free(to);
    if (rc) {
        cJSON_Delete(e.json);
        return cmd_fail(&err);
    }
    return json ? ls_json_finish(e.json) : 0;
}
