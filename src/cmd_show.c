/*
 * cmd_show.c - `pmscope show KIND ID [--json]`: one object in full, with
 * what it points at.  Kinds are rows in show_kinds[] (cmd_show.h): a
 * window (its parent, opener, documents, framing headers, counts) and a
 * message (its windows, the listeners it reached, its data
 * pretty-printed) are printed here; a listener and a send site, which
 * hold code, by src/show_code.c; a finding by src/show_finding.c; an
 * origin edge, named by its two origins, by src/show_edge.c.
 */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd_show.h"
#include "cmd_util.h"
#include "ls_out.h"
#include "origin.h"
#include "show_edge.h"
#include "store_query.h"
#include "store_ui.h"
#include "numarg.h"

static int
show_window_row(const struct pm_window_row *r, void *ctx)
{
    struct pm_window_row *out = ctx;
    *out = *r;
    /* Strings are borrowed; copy the ones printed after the call. */
    out->url = r->url ? strdup(r->url) : NULL;
    out->origin = r->origin ? strdup(r->origin) : NULL;
    out->kind = r->kind ? strdup(r->kind) : NULL;
    out->xfo = r->xfo ? strdup(r->xfo) : NULL;
    out->csp = r->csp ? strdup(r->csp) : NULL;
    out->parent_how = r->parent_how ? strdup(r->parent_how) : NULL;
    return 0;
}

static void
show_window_free(struct pm_window_row *w)
{
    free((char *)w->url);
    free((char *)w->origin);
    free((char *)w->kind);
    free((char *)w->xfo);
    free((char *)w->csp);
    free((char *)w->parent_how);
}

/* "#3 iframe http://a.example (url)" on one line. */
static void
show_window_line(struct pm_store *st, const char *label, int64_t id)
{
    printf("%-10s", label);
    if (id <= 0) {
        puts("unknown");
        return;
    }
    struct pm_window_row w;
    struct pm_err err = PM_ERR_INIT;
    if (store_get_window(st, id, show_window_row, &w, &err)) {
        printf("#%" PRId64 " (missing)\n", id);
        return;
    }
    printf("#%" PRId64 " %s ", w.id, w.kind);
    ls_put(stdout, w.origin ? w.origin : "?");
    fputs("  ", stdout);
    ls_put(stdout, w.url);
    putchar('\n');
    show_window_free(&w);
}

/* The current (newest) document: its seq, and whether its response was
 * recorded (else its framing headers are not known, not absent). */
struct current_doc {
    int64_t seq;
    int recorded;
};

/* One line of a window's history: "2. URL (origin, at 20 ms, HTTP 200)",
 * then the framing headers its response had, when recorded. */
static int
show_document_line(const struct pm_document_row *d, void *ctx)
{
    const struct current_doc *cur = ctx;
    printf("%-10s%" PRId64 ". ", d->seq == 1 ? "documents" : "", d->seq);
    ls_put(stdout, d->url ? d->url : "(url unknown)");
    fputs("  (", stdout);
    ls_put(stdout, d->origin ? d->origin : "origin unknown");
    if (d->ts >= 0)
        printf(", at %.0f ms", d->ts);
    if (d->status > 0)
        printf(", HTTP %d", d->status);
    printf(", %" PRId64 " listener%s)%s\n", d->listeners,
           d->listeners == 1 ? "" : "s", d->seq == cur->seq ? " current" : "");
    if (d->status > 0) {
        printf("%-10s   X-Frame-Options: ", "");
        ls_put(stdout, d->xfo ? d->xfo : "(none)");
        printf("; CSP: ");
        ls_put(stdout, d->csp ? d->csp : "(none)");
        putchar('\n');
    }
    return 0;
}

static int
note_current_document(const struct pm_document_row *d, void *ctx)
{
    struct current_doc *c = ctx;
    c->seq = d->seq;
    c->recorded = d->status > 0;
    return 0;
}

static int
show_source_item(int64_t source_id, const char *format, void *ctx)
{
    int *n = ctx;
    printf("%s#%" PRId64 " (%s)", (*n)++ ? ", " : "", source_id,
           format ? format : "?");
    return 0;
}

static int
show_window(struct pm_store *st, int64_t id)
{
    struct pm_window_row w;
    struct pm_err err = PM_ERR_INIT;
    if (store_get_window(st, id, show_window_row, &w, &err))
        return cmd_fail(&err);
    printf("window    #%" PRId64 " (%s)\n", w.id, w.kind);
    printf("origin    ");
    ls_put(stdout, w.origin ? w.origin : "unknown");
    printf("\nurl       ");
    ls_put(stdout, w.url);
    putchar('\n');
    if (w.parent_id) {
        show_window_line(st, "parent", w.parent_id);
        printf("          (parent link %s)\n",
               w.parent_how ? w.parent_how : "known");
    }
    if (w.opener_id)
        show_window_line(st, "opener", w.opener_id);
    struct current_doc cur = {0};
    if (store_each_document(st, w.id, note_current_document, &cur, &err)) {
        show_window_free(&w);
        return cmd_fail(&err);
    }
    if (!cur.recorded && !w.xfo && !w.csp) {
        printf("framing   not recorded (no HAR or crawl holds the response "
               "of its document)");
    } else {
        printf("framing   X-Frame-Options: ");
        ls_put(stdout, w.xfo ? w.xfo : "(none)");
        printf("\n          Content-Security-Policy: ");
        ls_put(stdout, w.csp ? w.csp : "(none)");
    }
    int64_t n = 0;
    if (store_window_message_count(st, w.id, &n, &err)) {
        show_window_free(&w);
        return cmd_fail(&err);
    }
    printf("\nmessages  %" PRId64 " sent or received\n", n);
    int nsrc = 0;
    if (store_each_document(st, w.id, show_document_line, &cur, &err)) {
        show_window_free(&w);
        return cmd_fail(&err);
    }
    if (w.visit_id)
        printf("visit     %" PRId64 "\n", w.visit_id);
    printf("source    ");
    if (store_each_window_source(st, w.id, show_source_item, &nsrc, &err)) {
        show_window_free(&w);
        return cmd_fail(&err);
    }
    if (nsrc == 0)
        printf("#%" PRId64, w.source_id);
    putchar('\n');
    show_window_free(&w);
    return 0;
}

struct show_msg {
    struct pm_store *st;
    int listeners;
};

/* The listeners shown for one message, as the TUI's detail lists them. */
#define SHOW_LISTENERS_MAX 20

static int
show_listener_line(const struct pm_ui_listener *l, void *ctx)
{
    struct show_msg *c = ctx;
    c->listeners++;
    printf("%-10s#%" PRId64 " ", "listener", l->id);
    ls_put(stdout, l->script_url ? l->script_url : "(no script)");
    printf(":%ld:%ld  check ", l->line, l->col);
    ls_put(stdout, l->check_kind ? l->check_kind : "not analysed");
    if (l->sinks && *l->sinks) {
        fputs(", sinks ", stdout);
        ls_put(stdout, l->sinks);
    }
    putchar('\n');
    return 0;
}

static int
show_message_row(const struct pm_message_row *r, void *ctx)
{
    struct show_msg *c = ctx;
    printf("message   #%" PRId64, r->id);
    if (r->ext_id) {
        fputs(" (", stdout);
        ls_put(stdout, r->ext_id);
        putchar(')');
    }
    printf("\ntime      %.1f ms\n", r->ts);
    printf("from      ");
    ls_put(stdout, r->sender_origin ? r->sender_origin : "unknown");
    printf("\nto        ");
    ls_put(stdout, r->receiver_origin ? r->receiver_origin : "unknown");
    printf("\ntarget    ");
    ls_put(stdout, r->target_origin ? r->target_origin : PM_TARGET_UNKNOWN);
    printf("\nvia       %s", r->via ? r->via : "window");
    if (r->port) {
        fputs(" (port ", stdout);
        ls_put(stdout, r->port);
        putchar(')');
    }
    printf("\nsize      %" PRId64 " bytes\n", r->size);
    if (r->reply_to)
        printf("reply to  #%" PRId64 "\n", r->reply_to);
    if (r->flow_id)
        printf("flow      %" PRId64 "\n", r->flow_id);
    show_window_line(c->st, "sender", r->sender_window_id);
    if (r->receiver_window_id <= 0 && r->target_origin) {
        /* A crawl records the call, not the window it reached. */
        printf("%-10swindow with targetOrigin ", "receiver");
        ls_put(stdout, r->target_origin);
        puts(" (which window was not recorded)");
    } else {
        show_window_line(c->st, "receiver", r->receiver_window_id);
    }
    /* Those of its receiver's document on its channel (see filters.md). */
    struct pm_err err = PM_ERR_INIT;
    c->listeners = 0;
    if (store_ui_message_listeners(c->st, r->id, SHOW_LISTENERS_MAX,
                                   show_listener_line, c, &err) != PM_OK) {
        printf("%-10s(", "listener");
        ls_put(stdout, err.msg);
        puts(")");
    } else if (c->listeners == 0 && r->receiver_window_id > 0)
        printf("%-10snone known in its receiver's document\n", "listener");
    printf("data\n");
    /* cJSON ends a string at an escaped NUL ("a\u0000b" would print as
     * "a"), hiding what follows it: such data is shown as stored. */
    cJSON *data = r->data_json && !strstr(r->data_json, "\\u0000")
                      ? cJSON_Parse(r->data_json) : NULL;
    char *pretty = data ? cJSON_Print(data) : NULL;
    const char *text = pretty ? pretty : (r->data_json ? r->data_json : "");
    /* Indent every line; escape per line so newlines stay newlines. */
    const char *p = text;
    while (*p) {
        size_t n = strcspn(p, "\n");
        char *line = strndup(p, n);
        fputs("  ", stdout);
        /* cJSON indents with tabs (JSON strings cannot hold a raw tab). */
        size_t t = 0;
        for (; line[t] == '\t'; t++)
            fputs("  ", stdout);
        for (char *q = line + t; *q; q++)
            if (*q == '\t')
                *q = ' ';
        ls_put(stdout, line + t);
        putchar('\n');
        free(line);
        p += n;
        if (*p == '\n')
            p++;
    }
    free(pretty);
    cJSON_Delete(data);
    return 0;
}

/* ---- --json for windows and messages -------------------------------------- */

static int
json_document(const struct pm_document_row *d, void *ctx)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "seq", (double)d->seq);
    ls_json_str(o, "url", d->url);
    ls_json_str(o, "origin", d->origin);
    if (d->ts >= 0)
        cJSON_AddNumberToObject(o, "ts", d->ts);
    else
        cJSON_AddNullToObject(o, "ts");
    ls_json_id(o, "status", d->status);
    ls_json_str(o, "x_frame_options", d->xfo);
    ls_json_str(o, "csp", d->csp);
    cJSON_AddNumberToObject(o, "listeners", (double)d->listeners);
    cJSON_AddItemToArray(ctx, o);
    return 0;
}

static int
json_source(int64_t source_id, const char *format, void *ctx)
{
    (void)format;
    cJSON_AddItemToArray(ctx, cJSON_CreateNumber((double)source_id));
    return 0;
}

static int
show_window_json(struct pm_store *st, int64_t id)
{
    struct pm_window_row w;
    struct pm_err err = PM_ERR_INIT;
    if (store_get_window(st, id, show_window_row, &w, &err))
        return cmd_fail(&err);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", (double)w.id);
    ls_json_str(o, "kind", w.kind);
    ls_json_str(o, "origin", w.origin);
    ls_json_str(o, "url", w.url);
    ls_json_id(o, "parent", w.parent_id);
    ls_json_str(o, "parent_how", w.parent_id ? w.parent_how : NULL);
    ls_json_id(o, "opener", w.opener_id);
    ls_json_str(o, "x_frame_options", w.xfo);
    ls_json_str(o, "csp", w.csp);
    ls_json_id(o, "visit", w.visit_id);
    show_window_free(&w);
    int64_t n = 0;
    cJSON *docs = cJSON_AddArrayToObject(o, "documents");
    cJSON *srcs = cJSON_AddArrayToObject(o, "sources");
    if (store_window_message_count(st, id, &n, &err) ||
        store_each_document(st, id, json_document, docs, &err) ||
        store_each_window_source(st, id, json_source, srcs, &err)) {
        cJSON_Delete(o);
        return cmd_fail(&err);
    }
    cJSON_AddNumberToObject(o, "messages", (double)n);
    return ls_json_finish(o);
}

static int
json_listener_id(const struct pm_ui_listener *l, void *ctx)
{
    cJSON_AddItemToArray(ctx, cJSON_CreateNumber((double)l->id));
    return 0;
}

struct msg_json {
    struct pm_store *st;
    cJSON *out;
    struct pm_err err;
};

static int
show_message_json_row(const struct pm_message_row *r, void *ctx)
{
    struct msg_json *c = ctx;
    cJSON *o = ls_json_message(r);
    /* the data as stored (text): JSON text with \u0000 and big numbers
     * kept exactly, which a parsed copy would not */
    ls_json_str(o, "data_json", r->data_json);
    cJSON *ls = cJSON_AddArrayToObject(o, "listeners");
    store_ui_message_listeners(c->st, r->id, SHOW_LISTENERS_MAX,
                               json_listener_id, ls, &c->err);
    c->out = o;
    return 0;
}

static int
show_message_json(struct pm_store *st, int64_t id)
{
    struct msg_json c = {st, NULL, PM_ERR_INIT};
    struct pm_err err = PM_ERR_INIT;
    if (store_get_message(st, id, show_message_json_row, &c, &err))
        return cmd_fail(&err);
    if (c.err.rc) {
        cJSON_Delete(c.out);
        return cmd_fail(&c.err);
    }
    return ls_json_finish(c.out);
}

/* ---- the kinds ------------------------------------------------------------ */

static int
show_window_kind(struct pm_store *st, int64_t id, const struct pm_show_opts *o)
{
    return o->json ? show_window_json(st, id) : show_window(st, id);
}

static int
show_message_kind(struct pm_store *st, int64_t id,
                  const struct pm_show_opts *o)
{
    if (o->json)
        return show_message_json(st, id);
    struct pm_err err = PM_ERR_INIT;
    struct show_msg ctx = {.st = st};
    if (store_get_message(st, id, show_message_row, &ctx, &err))
        return cmd_fail(&err);
    return 0;
}

static int
show_edge_kind(struct pm_store *st, const char *from, const char *to,
               const struct pm_show_opts *o)
{
    return show_edge(st, from, to, o->json);
}

const struct pm_show_kind show_kinds[] = {
    {"window", show_window_kind, NULL},
    {"message", show_message_kind, NULL},
    {"listener", show_listener, NULL},
    {"send", show_send, NULL},
    {"finding", show_finding, NULL},
    {"edge", NULL, show_edge_kind},
    {NULL, NULL, NULL},
};

static const struct option show_options[] = {
    {"workspace", required_argument, NULL, 'w'},
    {"json", no_argument, NULL, 'J'},
    {"pretty", no_argument, NULL, 'P'},
    {"raw", no_argument, NULL, 'R'},
    {NULL, 0, NULL, 0},
};
static const char show_optstring[] = "w:";

static int
show_exec(int argc, char **argv)
{
    extern const struct pm_cmd pm_cmd_show;
    const char *wopt = NULL;
    struct pm_show_opts o = {0, SHOW_LAYOUT_AUTO};
    int c;
    while ((c = getopt_long(argc, argv, show_optstring, show_options,
                            NULL)) != -1) {
        if (c == 'w')
            wopt = optarg;
        else if (c == 'J')
            o.json = 1;
        else if (c == 'P' && o.layout != SHOW_LAYOUT_RAW)
            o.layout = SHOW_LAYOUT_PRETTY;
        else if (c == 'R' && o.layout != SHOW_LAYOUT_PRETTY)
            o.layout = SHOW_LAYOUT_RAW;
        else
            return cmd_usage(&pm_cmd_show);
    }
    if (optind >= argc)
        return cmd_usage(&pm_cmd_show);
    const char *kind = argv[optind];
    const struct pm_show_kind *k = show_kinds;
    while (k->name && strcmp(k->name, kind) != 0)
        k++;
    if (k->name == NULL) {
        char names[128] = "";
        for (const struct pm_show_kind *q = show_kinds; q->name; q++)
            snprintf(names + strlen(names), sizeof names - strlen(names),
                     "%s%s", q == show_kinds ? "" : " ", q->name);
        cmd_error("show: unknown kind '%s'; kinds: %s", kind, names);
        return 2;
    }
    if (optind != argc - (k->run_pair ? 3 : 2))
        return cmd_usage(&pm_cmd_show);
    struct pm_store *st;
    int rc;
    if (k->run_pair) {
        rc = cmd_open_store(wopt, 0, 1, &st);
        if (rc)
            return rc;
        rc = k->run_pair(st, argv[optind + 1], argv[optind + 2], &o);
        store_close(st);
        return rc;
    }
    const char *idtext = argv[optind + 1];
    long long id;
    if (numarg_whole(idtext[0] == '#' ? idtext + 1 : idtext, 1, INT64_MAX,
                     &id))
        return numarg_usage("id", idtext, "a positive whole number");
    rc = cmd_open_store(wopt, 0, 1, &st);
    if (rc)
        return rc;
    rc = k->run(st, id, &o);
    store_close(st);
    return rc;
}

const struct pm_cmd pm_cmd_show = {
    .name = "show",
    .usage = "[-w WS] [--json] [--pretty|--raw] "
             "window|message|listener|send|finding ID | edge FROM TO",
    .summary = "show one window, message, listener, send site, finding or "
               "origin edge",
    .help = "A message is shown with its windows, the listeners it reached\n"
            "(those of its receiver's document on its channel) and its data\n"
            "pretty-printed; a window with its origin, parent and opener, its\n"
            "documents and the headers that decide whether it can be framed;\n"
            "a listener with its origin check, sinks and code, the lines\n"
            "holding the check and the sinks marked; a send site (a\n"
            "postMessage call, the ids of `ls sends`) with its window and\n"
            "document, receiver, targetOrigin, the messages it sent, its\n"
            "findings, the script around the call with the call's line\n"
            "marked, and the stack a trace recorded; a finding with its\n"
            "severity, status, who found it, its subject, the evidence\n"
            "message the report would show, its note and its last re-check.\n"
            "Minified code (most of it on lines over 200 bytes) is\n"
            "re-indented, one statement a line, literals and comments\n"
            "unchanged; --pretty re-indents any code, --raw shows it as\n"
            "written.  --json prints one JSON object (code as written, its\n"
            "marks as script line and column).  An id that does not exist is\n"
            "an error (exit 1).\n"
            "\n"
            "An edge is named by its sender and receiver origins (as text,\n"
            "a URL standing for its origin, or as ids: `ls edges --json`):\n"
            "its marks (message: recorded, static: a send site reaches it),\n"
            "each send site on it with how its receiver was resolved\n"
            "(parent, top, opener, frame, iframe-id, popup, reply...), its\n"
            "targetOrigin as written and resolved and whether a browser\n"
            "would deliver it, then each window listener of the receiver\n"
            "origin with its verdict on the sender origin (accepted,\n"
            "rejected, unknown) and why.",
    .exec = show_exec,
    .options = show_options,
    .optstring = show_optstring,
};
