/*
 * cmd_ls.c - `pmscope ls KIND [--json] [--filter EXPR] ...`
 *
 * Every kind prints plain text for people (untrusted text escaped with
 * term_text) or, with --json, one JSON array for scripts.  Kinds are rows in
 * ls_kinds[]; a kind owned by another module lives in that module's file
 * (src/ls_*.c).  Every kind prints through src/ls_out.c, below this table,
 * so no kind calls back into this file.
 */
#include "cmd_ls.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "cmd_util.h"
#include "ls_out.h"
#include "filter.h"
#include "store_query.h"
#include "origin.h"
#include "numarg.h"

/* ---- sources ---------------------------------------------------------- */

static int
ls_source_row(const struct pm_source_row *r, void *ctx)
{
    cJSON *arr = ctx;
    if (arr) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)r->id);
        ls_json_str(o, "path", r->path);
        ls_json_str(o, "format", r->format);
        ls_json_str(o, "sha256", r->sha256);
        ls_json_str(o, "tool", r->tool);
        ls_json_str(o, "imported_at", r->imported_at);
        cJSON_AddNumberToObject(o, "size", (double)r->size);
        cJSON_AddNumberToObject(o, "windows", (double)r->n_windows);
        cJSON_AddNumberToObject(o, "requests", (double)r->n_requests);
        cJSON_AddNumberToObject(o, "messages", (double)r->n_messages);
        cJSON_AddNumberToObject(o, "listeners", (double)r->n_listeners);
        cJSON_AddItemToArray(arr, o);
        return 0;
    }
    printf("#%-3" PRId64 " %-7s ", r->id, r->format);
    ls_put(stdout, r->path);
    printf("\n     sha256 %.16s  %" PRId64 " bytes  windows %" PRId64
           "  requests %" PRId64 "  messages %" PRId64 "  listeners %" PRId64,
           r->sha256, r->size, r->n_windows, r->n_requests, r->n_messages,
           r->n_listeners);
    if (r->tool) {
        printf("  tool ");
        ls_put(stdout, r->tool);
    }
    putchar('\n');
    return 0;
}

static int
ls_sources(struct pm_store *st, const struct pm_ls_opts *o)
{
    struct pm_err err = PM_ERR_INIT;
    cJSON *arr = o->json ? cJSON_CreateArray() : NULL;
    if (store_each_source(st, ls_source_row, arr, &err)) {
        cJSON_Delete(arr);
        return cmd_fail(&err);
    }
    return arr ? ls_json_finish(arr) : 0;
}

/* ---- windows ---------------------------------------------------------- */

static int
ls_window_row(const struct pm_window_row *r, void *ctx)
{
    cJSON *arr = ctx;
    if (arr) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)r->id);
        cJSON_AddNumberToObject(o, "depth", r->depth);
        ls_json_str(o, "kind", r->kind);
        ls_json_str(o, "origin", r->origin);
        ls_json_str(o, "url", r->url);
        ls_json_id(o, "parent", r->parent_id);
        ls_json_str(o, "parent_how", r->parent_how);
        ls_json_id(o, "opener", r->opener_id);
        ls_json_str(o, "x_frame_options", r->xfo);
        ls_json_str(o, "csp", r->csp);
        ls_json_id(o, "visit", r->visit_id);
        cJSON_AddNumberToObject(o, "source", (double)r->source_id);
        cJSON_AddNumberToObject(o, "messages", (double)r->n_messages);
        cJSON_AddItemToArray(arr, o);
        return 0;
    }
    for (int i = 0; i < r->depth; i++)
        fputs("  ", stdout);
    printf("#%" PRId64 " %s ", r->id, r->kind);
    ls_put(stdout, r->origin ? r->origin : "?");
    putchar(' ');
    ls_put(stdout, r->url);
    if (r->parent_how && strcmp(r->parent_how, "known") != 0)
        printf(" [parent %s]", r->parent_how);
    if (r->opener_id)
        printf(" [opened by #%" PRId64 "]", r->opener_id);
    if (r->n_messages)
        printf(" (%" PRId64 " messages)", r->n_messages);
    putchar('\n');
    return 0;
}

static int
ls_windows(struct pm_store *st, const struct pm_ls_opts *o)
{
    struct pm_err err = PM_ERR_INIT;
    cJSON *arr = o->json ? cJSON_CreateArray() : NULL;
    if (store_each_window_tree(st, ls_window_row, arr, &err)) {
        cJSON_Delete(arr);
        return cmd_fail(&err);
    }
    return arr ? ls_json_finish(arr) : 0;
}

/* ---- origins ---------------------------------------------------------- */

static int
ls_origin_row(const struct pm_origin_row *r, void *ctx)
{
    cJSON *arr = ctx;
    if (arr) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)r->id);
        ls_json_str(o, "origin", r->text);
        cJSON_AddNumberToObject(o, "windows", (double)r->n_windows);
        cJSON_AddNumberToObject(o, "sent", (double)r->n_sent);
        cJSON_AddNumberToObject(o, "received", (double)r->n_received);
        cJSON_AddItemToArray(arr, o);
        return 0;
    }
    ls_put_cols(stdout, r->text, 40, 1);
    printf("  windows %-4" PRId64 " sent %-6" PRId64 " received %" PRId64 "\n",
           r->n_windows, r->n_sent, r->n_received);
    return 0;
}

static int
ls_origins(struct pm_store *st, const struct pm_ls_opts *o)
{
    struct pm_err err = PM_ERR_INIT;
    cJSON *arr = o->json ? cJSON_CreateArray() : NULL;
    if (store_each_origin(st, ls_origin_row, arr, &err)) {
        cJSON_Delete(arr);
        return cmd_fail(&err);
    }
    return arr ? ls_json_finish(arr) : 0;
}

/* ---- messages --------------------------------------------------------- */

struct ls_msg_ctx {
    cJSON *arr;
    int64_t last_id;
    int64_t printed;
};

static int
ls_message_row(const struct pm_message_row *r, void *ctx)
{
    struct ls_msg_ctx *c = ctx;
    c->last_id = r->id;
    c->printed++;
    if (c->arr) {
        cJSON *o = ls_json_message(r);
        ls_json_str(o, "preview", r->data_preview);
        cJSON_AddItemToArray(c->arr, o);
        return 0;
    }
    printf("#%-5" PRId64 " %9.1f ", r->id, r->ts);
    ls_put_cols(stdout, r->sender_origin ? r->sender_origin : "?", 28, 1);
    fputs(" -> ", stdout);
    ls_put_cols(stdout, r->receiver_origin ? r->receiver_origin : "?", 28, 1);
    fputs(" target ", stdout);
    ls_put_cols(stdout, r->target_origin ? r->target_origin : PM_TARGET_UNKNOWN,
                24, 1);
    printf(" %-6s ", r->via ? r->via : "");
    ls_put_cols(stdout, r->data_preview, 60, 0);
    putchar('\n');
    return 0;
}

static int
ls_messages(struct pm_store *st, const struct pm_ls_opts *o)
{
    struct pm_err err = PM_ERR_INIT;
    struct pm_filter *f = NULL;
    if (o->filter && filter_compile(o->filter, &f, &err) != PM_OK) {
        /* The expression is shown escaped, the caret under the column. */
        struct pm_buf caret;
        pm_buf_init(&caret);
        filter_error_caret(o->filter, &err, "  ", &caret);
        cmd_error("bad filter at column %ld: %s", err.col, err.msg);
        fputs(caret.data, stderr);
        pm_buf_release(&caret);
        return 2;
    }
    struct ls_msg_ctx c = {.arr = o->json ? cJSON_CreateArray() : NULL,
                           .last_id = o->after};
    /* Page through with keyset pagination; memory stays one page. */
    enum { PAGE = 500 };
    for (;;) {
        int64_t before = c.printed;
        int limit = PAGE;
        if (o->limit > 0 && o->limit - c.printed < PAGE)
            limit = (int)(o->limit - c.printed);
        if (limit <= 0)
            break;
        if (store_page_messages(st, f, c.last_id, 0, limit, ls_message_row,
                                &c, &err)) {
            filter_free(f);
            cJSON_Delete(c.arr);
            return cmd_fail(&err);
        }
        if (c.printed - before < limit)
            break;
    }
    filter_free(f);
    return c.arr ? ls_json_finish(c.arr) : 0;
}

/* ---- edges ------------------------------------------------------------ */

/* "message", "static", "message+static" or "frame": how the edge is known. */
static const char *
ls_edge_marks(unsigned marks)
{
    if (marks & PM_EDGE_FRAME)
        return "frame";
    if ((marks & PM_EDGE_OBSERVED) && (marks & PM_EDGE_STATIC))
        return "message+static";
    return marks & PM_EDGE_STATIC ? "static" : "message";
}

static int
ls_edge_row(const struct pm_edge_row *r, void *ctx)
{
    cJSON *arr = ctx;
    if (arr) {
        cJSON *o = cJSON_CreateObject();
        ls_json_str(o, "kind", r->kind);
        cJSON *marks = cJSON_AddArrayToObject(o, "marks");
        if (r->marks & PM_EDGE_OBSERVED)
            cJSON_AddItemToArray(marks, cJSON_CreateString("message"));
        if (r->marks & PM_EDGE_STATIC)
            cJSON_AddItemToArray(marks, cJSON_CreateString("static"));
        if (r->marks & PM_EDGE_FRAME)
            cJSON_AddItemToArray(marks, cJSON_CreateString("frame"));
        ls_json_str(o, "from", r->from);
        ls_json_str(o, "to", r->to);
        cJSON_AddNumberToObject(o, "from_id", (double)r->from_id);
        cJSON_AddNumberToObject(o, "to_id", (double)r->to_id);
        cJSON_AddNumberToObject(o, "count", (double)r->count);
        cJSON_AddNumberToObject(o, "wildcard_target", (double)r->wildcard);
        cJSON_AddNumberToObject(o, "sends", (double)r->sends);
        cJSON_AddNumberToObject(o, "sends_wildcard", (double)r->sends_wildcard);
        cJSON_AddNumberToObject(o, "accepted", (double)r->accepted);
        cJSON_AddNumberToObject(o, "rejected", (double)r->rejected);
        cJSON_AddNumberToObject(o, "unknown", (double)r->unknown);
        cJSON_AddItemToArray(arr, o);
        return 0;
    }
    printf("%-14s ", ls_edge_marks(r->marks));
    ls_put_cols(stdout, r->from ? r->from : "?", 32, 1);
    fputs(r->marks & PM_EDGE_FRAME ? " embeds " : " -> ", stdout);
    ls_put_cols(stdout, r->to ? r->to : "?", 32, 1);
    printf(" %" PRId64, r->count);
    if (r->wildcard)
        printf(" (%" PRId64 " with targetOrigin *)", r->wildcard);
    if (r->sends) {
        printf("; %" PRId64 " send site%s", r->sends, r->sends == 1 ? "" : "s");
        if (r->sends_wildcard)
            printf(" (%" PRId64 " with targetOrigin *)", r->sends_wildcard);
    }
    if (r->accepted + r->rejected + r->unknown > 0)
        printf("; listeners: %" PRId64 " accept, %" PRId64 " reject, %" PRId64
               " unknown", r->accepted, r->rejected, r->unknown);
    putchar('\n');
    return 0;
}

static int
ls_edges(struct pm_store *st, const struct pm_ls_opts *o)
{
    struct pm_err err = PM_ERR_INIT;
    cJSON *arr = o->json ? cJSON_CreateArray() : NULL;
    if (store_each_edge(st, ls_edge_row, arr, &err)) {
        cJSON_Delete(arr);
        return cmd_fail(&err);
    }
    return arr ? ls_json_finish(arr) : 0;
}

#define LS_LIMIT_MAX 1000000000LL

const struct pm_ls_kind ls_kinds[] = {
    {"sources", "imported inputs with their sha256 and counts", ls_sources},
    {"windows", "the frame tree: windows nested by parent and opener", ls_windows},
    {"origins", "origins with window and message counts", ls_origins},
    {"messages", "messages (--filter EXPR, --limit N, --after ID)", ls_messages},
    {"edges", "sender origin -> receiver origin: messages, send sites, listener verdicts; frames", ls_edges},
    {"findings", "findings with severity, status and subject (--status S)", ls_findings},
    {"listeners", "message listeners with origin check class, sinks and reply (--all)", ls_listeners},
    {"sends", "postMessage call sites with receiver and targetOrigin (! = '*')", ls_sends},
    {NULL, NULL, NULL},
};

static const struct option ls_options[] = {
    {"workspace", required_argument, NULL, 'w'},
    {"json", no_argument, NULL, 'j'},
    {"filter", required_argument, NULL, 'f'},
    {"status", required_argument, NULL, 's'},
    {"limit", required_argument, NULL, 'n'},
    {"after", required_argument, NULL, 'a'},
    {"all", no_argument, NULL, 'A'},
    {NULL, 0, NULL, 0},
};
static const char ls_optstring[] = "w:jf:s:n:a:A";

static int
ls_exec(int argc, char **argv)
{
    extern const struct pm_cmd pm_cmd_ls;
    const char *wopt = NULL;
    struct pm_ls_opts o = {0};
    int c;
    while ((c = getopt_long(argc, argv, ls_optstring, ls_options,
                            NULL)) != -1) {
        switch (c) {
        case 'w': wopt = optarg; break;
        case 'j': o.json = 1; break;
        case 'f': o.filter = optarg; break;
        case 's': o.status = optarg; break;
        case 'n': {
            long long v;
            if (numarg_whole(optarg, 1, LS_LIMIT_MAX, &v))
                return numarg_usage("--limit", optarg,
                                    "a whole number from 1 to 1000000000");
            o.limit = v;
            break;
        }
        case 'a': {
            long long v;
            if (numarg_whole(optarg, 0, INT64_MAX, &v))
                return numarg_usage("--after", optarg,
                                    "an id: a whole number, 0 or more");
            o.after = v;
            break;
        }
        case 'A': o.all = 1; break;
        default: return cmd_usage(&pm_cmd_ls);
        }
    }
    if (optind != argc - 1)
        return cmd_usage(&pm_cmd_ls);
    const struct pm_ls_kind *k = NULL;
    for (size_t i = 0; ls_kinds[i].name; i++)
        if (strcmp(ls_kinds[i].name, argv[optind]) == 0)
            k = &ls_kinds[i];
    if (k == NULL) {
        struct pm_buf kinds;
        pm_buf_init(&kinds);
        for (size_t i = 0; ls_kinds[i].name; i++)
            pm_buf_addf(&kinds, " %s", ls_kinds[i].name);
        cmd_error("ls: unknown kind '%s'; kinds:%s", argv[optind], kinds.data);
        pm_buf_release(&kinds);
        return 2;
    }
    struct pm_store *st;
    int rc = cmd_open_store(wopt, 0, 1, &st);
    if (rc)
        return rc;
    rc = k->run(st, &o);
    store_close(st);
    return rc;
}

const struct pm_cmd pm_cmd_ls = {
    .name = "ls",
    .usage = "[-w WS] [--json] [--filter EXPR] [--status S[,S...]|all]\n"
             "       [--limit N] [--after ID] [--all] KIND",
    .summary = "list sources, windows, origins, messages, edges, ...",
    .help =
        "KIND is one of: sources, windows, origins, messages, edges,\n"
        "listeners, sends, findings.  --json prints one JSON array.\n"
        "--filter applies the filter language to messages, e.g.\n"
        "  pmscope ls messages --filter 'target:* and not origin:a.example'\n"
        "--status keeps the findings with the given statuses (suggested,\n"
        "confirmed, dismissed, or all; the default).  --limit and --after\n"
        "page through messages and findings by id.\n"
        "A listener both recorded by a trace and found by the scan of a HAR\n"
        "is listed once (FOUND trace+scan); --all also lists the scanned copy.",
    .exec = ls_exec,
    .options = ls_options,
    .optstring = ls_optstring,
};
