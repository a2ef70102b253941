/*
 * cmd_show.c - `pmscope show window|message|listener ID` and `show edge
 * FROM TO` (src/show_edge.c): one object in
 * full, with what it points at (a message's windows, the listeners it
 * reached and its pretty-printed data; a window's frame path, framing
 * headers and counts; a listener's check, sinks and code, minified code
 * re-indented, with the lines of the check and the sinks marked as the
 * TUI's code pane marks them).
 */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd_util.h"
#include "code_marks.h"
#include "js_pretty.h"
#include "ls_out.h"
#include "origin.h"
#include "show_edge.h"
#include "store_query.h"
#include "store_ui.h"
#include "numarg.h"
#include "vocab.h"

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

/* How show listener lays the code out: by the TUI's rule, or as asked. */
enum show_layout { LAYOUT_AUTO, LAYOUT_PRETTY, LAYOUT_RAW };

/* One line of code: its script line (when shown), the text, its marks. */
static void
show_code_line(const char *text, size_t len, long line_no, unsigned mark)
{
    if (line_no > 0)
        printf("  %5ld  ", line_no);
    else
        fputs("         ", stdout);
    char *copy = strndup(text, len);
    ls_put(stdout, copy);
    free(copy);
    if (mark) {
        char label[160];
        code_marks_label(mark, label, sizeof label);
        printf("  [%s]", label);
    }
    putchar('\n');
}

/*
 * The listener's code under a "code" heading that says its layout:
 * re-indented lines show the script line only where a new one starts.
 */
static void
show_listener_code(const struct pm_ui_listener *l, enum show_layout layout)
{
    const char *code = l->code ? l->code : "";
    size_t n = strlen(code);
    int pretty = layout == LAYOUT_AUTO ? js_pretty_is_minified(code, n)
                                       : layout == LAYOUT_PRETTY;
    struct js_lines lines;
    if (pretty)
        js_lines_pretty(code, n, &lines);
    else
        js_lines_raw(code, n, &lines);
    long *line_no;
    unsigned *marks;
    code_marks_lines(&lines, code, n, l->line, l->col, l->check_line,
                     l->check_col, sinks_parse(l->sinks ? l->sinks : ""),
                     &line_no, &marks);
    printf("code      %s\n", pretty ? "pretty-printed (--raw: as written)"
                                    : "as written");
    for (size_t i = 0; i < lines.n; i++)
        show_code_line(lines.text + lines.start[i], js_lines_len(&lines, i),
                       !pretty || i == 0 || line_no[i] != line_no[i - 1]
                           ? line_no[i] : 0,
                       marks[i]);
    free(line_no);
    free(marks);
    js_lines_release(&lines);
}

static int
show_listener_row(const struct pm_ui_listener *l, void *ctx)
{
    const enum show_layout *layout = ctx;
    printf("listener  #%" PRId64 "\n", l->id);
    printf("origin    ");
    ls_put(stdout, l->origin ? l->origin : "unknown");
    printf("\nscript    ");
    ls_put(stdout, l->script_url ? l->script_url : "(no script)");
    printf(":%ld:%ld\nfound by  ", l->line, l->col);
    ls_put(stdout, l->found_by ? l->found_by : "?");
    printf("\ncheck     ");
    ls_put(stdout, l->check_kind ? l->check_kind : "not analysed");
    if (l->check_expr && l->check_expr[0]) {
        fputs("  ", stdout);
        ls_put(stdout, l->check_expr);
    }
    if (l->check_line > 0)
        printf("  (%ld:%ld)", l->check_line, l->check_col);
    printf("\nsinks     ");
    ls_put(stdout, l->sinks && l->sinks[0] ? l->sinks : "none");
    putchar('\n');
    show_listener_code(l, *layout);
    return 0;
}

static const struct option show_options[] = {
    {"workspace", required_argument, NULL, 'w'},
    {"pretty", no_argument, NULL, 'P'},
    {"raw", no_argument, NULL, 'R'},
    {"json", no_argument, NULL, 'j'},
    {NULL, 0, NULL, 0},
};
static const char show_optstring[] = "w:";

static int
show_exec(int argc, char **argv)
{
    extern const struct pm_cmd pm_cmd_show;
    const char *wopt = NULL;
    enum show_layout layout = LAYOUT_AUTO;
    int c, json = 0;
    while ((c = getopt_long(argc, argv, show_optstring, show_options,
                            NULL)) != -1) {
        if (c == 'w')
            wopt = optarg;
        else if (c == 'P' && layout != LAYOUT_RAW)
            layout = LAYOUT_PRETTY;
        else if (c == 'R' && layout != LAYOUT_PRETTY)
            layout = LAYOUT_RAW;
        else if (c == 'j')
            json = 1;
        else
            return cmd_usage(&pm_cmd_show);
    }
    if (optind < argc && strcmp(argv[optind], "edge") == 0) {
        /* an edge is named by its two origins */
        if (optind != argc - 3)
            return cmd_usage(&pm_cmd_show);
        struct pm_store *st;
        int rc = cmd_open_store(wopt, 0, 1, &st);
        if (rc == 0) {
            rc = show_edge(st, argv[optind + 1], argv[optind + 2], json);
            store_close(st);
        }
        return rc;
    }
    if (json) {
        cmd_error("show: --json is given for edges only");
        return 2;
    }
    if (optind != argc - 2)
        return cmd_usage(&pm_cmd_show);
    const char *kind = argv[optind];
    const char *idtext = argv[optind + 1];
    long long id;
    if (numarg_whole(idtext[0] == '#' ? idtext + 1 : idtext, 1, INT64_MAX,
                     &id))
        return numarg_usage("id", idtext, "a positive whole number");
    if (strcmp(kind, "window") != 0 && strcmp(kind, "message") != 0 &&
        strcmp(kind, "listener") != 0) {
        cmd_error("show: unknown kind '%s'; kinds: window message listener edge",
                  kind);
        return 2;
    }
    struct pm_store *st;
    int rc = cmd_open_store(wopt, 0, 1, &st);
    if (rc)
        return rc;
    if (strcmp(kind, "window") == 0) {
        rc = show_window(st, id);
    } else if (strcmp(kind, "listener") == 0) {
        struct pm_err err = PM_ERR_INIT;
        if (store_ui_get_listener(st, id, show_listener_row, &layout, &err))
            rc = cmd_fail(&err);
    } else {
        struct pm_err err = PM_ERR_INIT;
        struct show_msg ctx = {.st = st};
        if (store_get_message(st, id, show_message_row, &ctx, &err))
            rc = cmd_fail(&err);
    }
    store_close(st);
    return rc;
}

const struct pm_cmd pm_cmd_show = {
    .name = "show",
    .usage = "[-w WS] [--pretty|--raw] window|message|listener ID"
             " | [--json] edge FROM TO",
    .summary = "show one window, message, listener or origin edge in full",
    .help = "A message is shown with its windows, the listeners it reached\n"
            "(those of its receiver's document on its channel) and its data\n"
            "pretty-printed; a window with its origin, parent and opener, and\n"
            "the headers that decide whether it can be framed; a listener\n"
            "with its origin check, sinks and code, the lines holding the\n"
            "check and the sinks marked.  Minified code (most of it on lines\n"
            "over 200 bytes) is re-indented, one statement a line, literals\n"
            "and comments unchanged; --pretty re-indents any code, --raw\n"
            "shows it as written.\n"
            "\n"
            "An edge is named by its sender and receiver origins (as text,\n"
            "a URL standing for its origin, or as ids: `ls edges --json`):\n"
            "its marks (message: recorded, static: a send site reaches it),\n"
            "each send site on it with how its receiver was resolved\n"
            "(parent, top, opener, frame, iframe-id, popup, reply...), its\n"
            "targetOrigin as written and resolved and whether a browser\n"
            "would deliver it, then each window listener of the receiver\n"
            "origin with its verdict on the sender origin (accepted,\n"
            "rejected, unknown) and why.  --json prints it as one object.",
    .exec = show_exec,
    .options = show_options,
    .optstring = show_optstring,
};
