/*
 * show_code.c - the kinds of `pmscope show` that hold code: a listener
 * (its origin check, sinks and handler) and a send site (its window,
 * receiver, targetOrigin, the messages it sent, its findings, the script
 * around the call and the stack a trace recorded).  Code is laid out as
 * the TUI's code pane lays it out (code_pane.c): minified code
 * re-indented (js_pretty.h), the lines holding the check, the sinks or
 * the call marked (code_marks.h); --pretty and --raw override the rule.
 * --json prints the same as one object, the code as written with the
 * marks as script positions.
 */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_show.h"
#include "cmd_util.h"
#include "code_marks.h"
#include "js_pretty.h"
#include "ls_out.h"
#include "store_sends.h"
#include "store_ui.h"
#include "vocab.h"

/* Code at line:col of its script, and what to mark in it. */
struct show_code {
    const char *code;
    size_t len;
    long line, col;
    long check_line, check_col;
    unsigned sinks;
    long call; /* offset of the call to mark, -1: none */
};

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
 * The code under a "code" heading that says its layout (and what, when
 * the code is part of a script): re-indented lines show the script line
 * only where a new one starts.
 */
static void
show_code_print(const struct show_code *c, enum show_layout layout,
                const char *what)
{
    const char *code = c->code ? c->code : "";
    size_t n = c->code ? c->len : 0;
    int pretty = layout == SHOW_LAYOUT_AUTO ? js_pretty_is_minified(code, n)
                                            : layout == SHOW_LAYOUT_PRETTY;
    struct js_lines lines;
    if (pretty)
        js_lines_pretty(code, n, &lines);
    else
        js_lines_raw(code, n, &lines);
    long *line_no;
    unsigned *marks;
    code_marks_lines(&lines, code, n, c->line, c->col, c->check_line,
                     c->check_col, c->sinks, &line_no, &marks);
    if (c->call >= 0 && (size_t)c->call < n && lines.n > 0)
        marks[js_lines_find(&lines, (size_t)c->call)] |= CODE_MARK_CALL;
    printf("code      %s%s\n", what,
           pretty ? "pretty-printed (--raw: as written)" : "as written");
    for (size_t i = 0; i < lines.n; i++)
        show_code_line(lines.text + lines.start[i], js_lines_len(&lines, i),
                       !pretty || i == 0 || line_no[i] != line_no[i - 1]
                           ? line_no[i] : 0,
                       marks[i]);
    free(line_no);
    free(marks);
    js_lines_release(&lines);
}

/* Script line and column of byte off of code starting at line:col. */
static void
position_of(const struct show_code *c, size_t off, long *line, long *col)
{
    long l = c->line > 0 ? c->line : 1;
    long k = c->line > 0 && c->col > 0 ? c->col : 1;
    for (size_t i = 0; i < off && i < c->len; i++) {
        if (c->code[i] == '\n') {
            l++;
            k = 1;
        } else {
            k++;
        }
    }
    *line = l;
    *col = k;
}

static void
json_mark(cJSON *arr, const char *what, long line, long col)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "what", what);
    cJSON_AddNumberToObject(m, "line", (double)line);
    cJSON_AddNumberToObject(m, "col", (double)col);
    cJSON_AddItemToArray(arr, m);
}

/* "code": the code as written, where it starts, and its marks. */
static void
show_code_json(cJSON *o, const struct show_code *c)
{
    if (c->code == NULL) {
        cJSON_AddNullToObject(o, "code");
        return;
    }
    cJSON *code = cJSON_CreateObject();
    char *text = strndup(c->code, c->len);
    ls_json_str(code, "text", text);
    free(text);
    cJSON_AddNumberToObject(code, "line", (double)(c->line > 0 ? c->line : 1));
    cJSON_AddNumberToObject(code, "col", (double)(c->col > 0 ? c->col : 1));
    cJSON_AddBoolToObject(code, "minified",
                          js_pretty_is_minified(c->code, c->len));
    cJSON *arr = cJSON_CreateArray();
    struct code_mark *m;
    size_t nm = code_marks_find(c->code, c->len, c->line, c->col,
                                c->check_line, c->check_col, c->sinks, &m);
    for (size_t i = 0; i < nm; i++) {
        long line, col;
        position_of(c, m[i].off, &line, &col);
        char name[160];
        code_marks_label(m[i].what, name, sizeof name);
        json_mark(arr, name, line, col);
    }
    free(m);
    if (c->call >= 0 && (size_t)c->call < c->len) {
        long line, col;
        position_of(c, (size_t)c->call, &line, &col);
        json_mark(arr, "call", line, col);
    }
    cJSON_AddItemToObject(code, "marks", arr);
    cJSON_AddItemToObject(o, "code", code);
}

/* "innerHTML,eval" as a JSON array of names. */
static cJSON *
json_list(const char *csv)
{
    cJSON *arr = cJSON_CreateArray();
    const char *p = csv ? csv : "";
    while (*p) {
        size_t n = strcspn(p, ",");
        char *name = strndup(p, n);
        if (name[0])
            cJSON_AddItemToArray(arr, cJSON_CreateString(name));
        free(name);
        p += n;
        if (*p == ',')
            p++;
    }
    return arr;
}

/* ---- listener ------------------------------------------------------------ */

struct listener_out {
    const struct pm_show_opts *o;
    cJSON *json;
};

static int
show_listener_row(const struct pm_ui_listener *l, void *ctx)
{
    struct listener_out *out = ctx;
    struct show_code c = {
        .code = l->code, .len = l->code ? strlen(l->code) : 0,
        .line = l->line, .col = l->col,
        .check_line = l->check_line, .check_col = l->check_col,
        .sinks = sinks_parse(l->sinks ? l->sinks : ""), .call = -1,
    };
    if (out->o->json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)l->id);
        cJSON_AddNumberToObject(o, "source_id", (double)l->source_id);
        ls_json_id(o, "window_id", l->window_id);
        ls_json_str(o, "origin", l->origin);
        ls_json_str(o, "script_url", l->script_url);
        ls_json_id(o, "line", l->line);
        ls_json_id(o, "col", l->col);
        ls_json_str(o, "found_by", l->found_by);
        ls_json_str(o, "check", l->check_kind);
        ls_json_str(o, "check_expr", l->check_expr);
        ls_json_id(o, "check_line", l->check_line);
        ls_json_id(o, "check_col", l->check_col);
        cJSON_AddItemToObject(o, "sinks", json_list(l->sinks));
        show_code_json(o, &c);
        out->json = o;
        return 0;
    }
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
    show_code_print(&c, out->o->layout, "");
    return 0;
}

int
show_listener(struct pm_store *st, int64_t id, const struct pm_show_opts *o)
{
    struct pm_err err = PM_ERR_INIT;
    struct listener_out out = {o, NULL};
    if (store_ui_get_listener(st, id, show_listener_row, &out, &err))
        return cmd_fail(&err);
    return out.json ? ls_json_finish(out.json) : 0;
}

/* ---- send site ----------------------------------------------------------- */

/* The messages and findings `show send` names. */
#define SHOW_SEND_MSG_IDS 10

struct send_out {
    struct pm_store *st;
    const struct pm_show_opts *o;
    cJSON *json;
    int rc;
};

static int
send_finding_line(const struct pm_finding_row *f, void *ctx)
{
    int *n = ctx;
    printf("%-10s#%" PRId64 " %s %s  ", (*n)++ ? "" : "findings", f->id,
           f->severity ? f->severity : "?", f->status ? f->status : "?");
    ls_put(stdout, f->title ? f->title : "");
    printf("%s\n", f->rule ? "" : " (marked by hand)");
    return 0;
}

static int
send_finding_json(const struct pm_finding_row *f, void *ctx)
{
    cJSON *arr = ctx;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", (double)f->id);
    ls_json_str(o, "severity", f->severity);
    ls_json_str(o, "status", f->status);
    ls_json_str(o, "rule", f->rule);
    ls_json_str(o, "title", f->title);
    cJSON_AddItemToArray(arr, o);
    return 0;
}

/* The script around the call, else the call as the scan wrote it down. */
static void
send_code(const struct pm_ui_send_site *x, struct show_code *c)
{
    memset(c, 0, sizeof *c);
    c->call = -1;
    if (x->script && x->script_len > 0) {
        struct code_excerpt ex;
        code_excerpt_around(x->script, x->script_len, x->line, x->col, &ex);
        c->code = x->script + ex.off;
        c->len = ex.len;
        c->line = ex.line;
        c->col = ex.col;
        c->call = ex.call;
    } else if (x->snippet && x->snippet[0]) {
        c->code = x->snippet;
        c->len = strlen(x->snippet);
        c->line = x->line;
        c->col = x->col;
        c->call = 0;
    }
}

static void
send_json(struct send_out *out, const struct pm_ui_send_site *x,
          const struct show_code *c, const int64_t *ids, int n, int64_t count)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", (double)x->id);
    cJSON_AddNumberToObject(o, "source_id", (double)x->source_id);
    ls_json_id(o, "window_id", x->window_id);
    ls_json_str(o, "window_kind", x->window_kind);
    ls_json_id(o, "document", x->doc);
    ls_json_str(o, "document_url", x->doc_url);
    ls_json_str(o, "origin", x->origin);
    ls_json_str(o, "script_url", x->script_url);
    ls_json_id(o, "line", x->line);
    ls_json_id(o, "col", x->col);
    ls_json_str(o, "found_by", x->found_by);
    ls_json_str(o, "target_expr", x->target_expr);
    ls_json_str(o, "target_origin", x->target_origin);
    cJSON_AddBoolToObject(o, "wildcard",
                          x->target_origin && strcmp(x->target_origin, "*") == 0);
    ls_json_str(o, "snippet", x->snippet);
    ls_json_str(o, "stack", x->stack);
    cJSON_AddNumberToObject(o, "messages", (double)count);
    cJSON *first = cJSON_CreateArray();
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(first, cJSON_CreateNumber((double)ids[i]));
    cJSON_AddItemToObject(o, "message_ids", first);
    cJSON *findings = cJSON_CreateArray();
    struct pm_err err = PM_ERR_INIT;
    if (store_each_subject_finding(out->st, "send_site", x->id, NULL,
                                   send_finding_json, findings, &err))
        out->rc = cmd_fail(&err);
    cJSON_AddItemToObject(o, "findings", findings);
    show_code_json(o, c);
    out->json = o;
}

static void
send_text(struct send_out *out, const struct pm_ui_send_site *x,
          const struct show_code *c, const int64_t *ids, int n, int64_t count)
{
    printf("send site #%" PRId64 "\nwindow    #%" PRId64 " %s ", x->id,
           x->window_id, x->window_kind ? x->window_kind : "?");
    ls_put(stdout, x->origin ? x->origin : "unknown");
    printf("\ndocument  ");
    if (x->doc > 0)
        printf("%" PRId64 ". ", x->doc);
    ls_put(stdout, x->doc_url ? x->doc_url : "(url not recorded)");
    printf("\nscript    ");
    ls_put(stdout, x->script_url ? x->script_url : "(no script)");
    printf(":%ld:%ld\nfound by  ", x->line, x->col);
    ls_put(stdout, x->found_by ? x->found_by : "?");
    printf("\nreceiver  ");
    ls_put(stdout, x->target_expr ? x->target_expr : "?");
    printf("\ntarget    ");
    ls_put(stdout, x->target_origin ? x->target_origin : "(not a literal)");
    if (x->target_origin && strcmp(x->target_origin, "*") == 0)
        fputs("  [wildcard: any origin in the receiving window reads it]",
              stdout);
    printf("\nmessages  ");
    if (count == 0)
        fputs(strstr(x->found_by ? x->found_by : "", "trace")
                  ? "none recorded"
                  : "none recorded (a scan finds calls; a trace records "
                    "messages)",
              stdout);
    else
        printf("%" PRId64 " sent:", count);
    for (int i = 0; i < n; i++)
        printf(" #%" PRId64, ids[i]);
    if (count > n)
        fputs(" ...", stdout);
    putchar('\n');
    int nf = 0;
    struct pm_err err = PM_ERR_INIT;
    if (store_each_subject_finding(out->st, "send_site", x->id, NULL,
                                   send_finding_line, &nf, &err))
        out->rc = cmd_fail(&err);
    else if (nf == 0)
        printf("findings  none\n");
    if (c->code)
        show_code_print(c, out->o->layout,
                        x->script ? "around the call, " : "the call, ");
    else
        printf("code      not recorded (import the HAR of the same visit "
               "for the script)\n");
    if (x->stack && x->stack[0]) {
        printf("stack     recorded at the sender\n");
        const char *p = x->stack;
        while (*p) {
            size_t len = strcspn(p, "\n");
            size_t lead = strspn(p, " \t");
            lead = lead < len ? lead : len;
            char *line = strndup(p + lead, len - lead);
            if (line[0]) {
                fputs("          ", stdout);
                ls_put(stdout, line);
                putchar('\n');
            }
            free(line);
            p += len;
            if (*p == '\n')
                p++;
        }
    }
}

static int
show_send_row(const struct pm_ui_send_site *x, void *ctx)
{
    struct send_out *out = ctx;
    int64_t ids[SHOW_SEND_MSG_IDS];
    int n = 0;
    int64_t count = 0;
    struct pm_err err = PM_ERR_INIT;
    if (store_send_site_messages(out->st, x->id, ids, SHOW_SEND_MSG_IDS, &n,
                                 &count, &err)) {
        out->rc = cmd_fail(&err);
        return 1;
    }
    struct show_code c;
    send_code(x, &c);
    if (out->o->json)
        send_json(out, x, &c, ids, n, count);
    else
        send_text(out, x, &c, ids, n, count);
    return 0;
}

int
show_send(struct pm_store *st, int64_t id, const struct pm_show_opts *o)
{
    struct pm_err err = PM_ERR_INIT;
    struct send_out out = {st, o, NULL, 0};
    if (store_ui_get_send_site(st, id, show_send_row, &out, &err))
        return cmd_fail(&err);
    if (out.rc) {
        cJSON_Delete(out.json);
        return out.rc;
    }
    return out.json ? ls_json_finish(out.json) : 0;
}
