/*
 * sends.c - view 7: every send site (a postMessage call the trace
 * recorded at the sender or the scan found in a script) with the origin
 * of the document that sends, the receiver expression, the targetOrigin
 * ('!' and the warning colour for '*') and where the call is.  Below the
 * list, as in view 4, the selected site: its window and document, the
 * messages it sent (Enter shows them in view 1, filtered by send:N), the
 * findings on it (m confirms or marks, u dismisses or unmarks), then the
 * script around the call, minified code re-indented and the call's line
 * marked (code_pane.c, p: as written), and the stack a trace recorded.
 *
 * Opened on an origin edge (action_show_send_sites), the list holds only
 * that edge's sites until c lists every one again.  Keyset-paginated on
 * the send site id.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "code_marks.h"
#include "code_pane.h"
#include "draw.h"
#include "idlist.h"
#include "mem.h"
#include "screen.h"
#include "store_query.h"
#include "store_sends.h"
#include "store_ui.h"

#define SENDS_SEARCH_MAX 50000
#define SENDS_MSG_IDS 6      /* message ids the detail names */
#define SENDS_FINDINGS 3     /* findings the detail names */

struct srow {
    int64_t id;
    long line, col;
    char *origin, *script, *expr, *target, *found_by;
};

/* What the detail shows of the selected site besides its code. */
struct sdetail {
    int64_t id;                /* 0: none loaded */
    int stale;
    char *where;               /* "window #2 iframe, document 1 URL" */
    char *found_by;
    int64_t msg_ids[SENDS_MSG_IDS];
    int n_msg;
    int64_t msg_count;
    char *findings[SENDS_FINDINGS];
    int n_findings, more_findings;
    int has_code;              /* a script or the call's text was recorded */
};

struct sends {
    struct ui_idlist list;
    struct ui_code_pane code;
    struct sdetail d;
    struct pm_send_site_scope scope; /* origin_id 0: every site */
    int64_t *scope_ids;              /* owned copy of scope.ids */
    char *scope_label;               /* "edge A -> B" while scoped */
    int code_y;                      /* screen line of the detail's title */
};

static struct sends *
sstate(struct ui_app *app)
{
    return app->view_state[UI_VIEW_SENDS];
}

static struct srow *
srow_at(struct sends *s, int i)
{
    return idlist_at(&s->list, i);
}

static void
srow_free(void *row)
{
    struct srow *r = row;
    free(r->origin);
    free(r->script);
    free(r->expr);
    free(r->target);
    free(r->found_by);
}

static int
srow_load(const struct pm_ui_send_site *x, void *ctx)
{
    struct srow *r = idlist_row(ctx, x->id);
    if (r) {
        r->id = x->id;
        r->line = x->line;
        r->col = x->col;
        r->origin = xstrdup0(x->origin);
        r->script = xstrdup0(x->script_url);
        r->expr = xstrdup0(x->target_expr);
        r->target = xstrdup0(x->target_origin);
        r->found_by = xstrdup0(x->found_by);
    }
    return idlist_full(ctx);
}

static enum pm_rc
sends_read(struct ui_app *app, int64_t after, int backward, int limit,
           struct ui_idlist_read *rd, struct pm_err *err)
{
    return store_ui_page_send_sites(app->st, &sstate(app)->scope, after,
                                    backward, limit, srow_load, rd, err);
}

static const struct ui_idlist_ops sends_list = {
    sizeof(struct srow), sends_read, srow_free,
};

static int
sends_fetch(struct ui_app *app, int64_t after, int backward, int limit,
            int64_t *keys)
{
    return idlist_keys(app, &sstate(app)->list, after, backward, limit, keys);
}

static int
is_wildcard(const char *target)
{
    return target && strcmp(target, "*") == 0;
}

/* ---- the selected site --------------------------------------------------- */

static void
detail_clear(struct sdetail *d)
{
    free(d->where);
    free(d->found_by);
    for (int i = 0; i < d->n_findings; i++)
        free(d->findings[i]);
    memset(d, 0, sizeof *d);
}

struct site_load {
    struct ui_app *app;
    struct sends *s;
};

/* The stack a trace recorded, one frame a line, below the code. */
static void
add_stack(struct ui_code_pane *p, const char *stack)
{
    if (stack == NULL || stack[0] == '\0')
        return;
    code_pane_add_after(p, "stack recorded at the sender", 1);
    const char *q = stack;
    while (*q) {
        size_t n = strcspn(q, "\n");
        size_t lead = 0;
        while (lead < n && (q[lead] == ' ' || q[lead] == '\t'))
            lead++;
        char *line = xstrndup(q + lead, n - lead);
        if (line[0])
            code_pane_add_after(p, line, 0);
        free(line);
        q += n;
        if (*q == '\n')
            q++;
    }
}

/* The script around the call (or the call as a scan wrote it down). */
static int
site_code(const struct pm_ui_send_site *x, void *ctx)
{
    struct site_load *c = ctx;
    struct sdetail *d = &c->s->d;
    char where[96];
    if (x->doc > 0)
        snprintf(where, sizeof where, "window #%lld %s, document %lld ",
                 (long long)x->window_id,
                 x->window_kind ? x->window_kind : "?", (long long)x->doc);
    else
        snprintf(where, sizeof where, "window #%lld %s ",
                 (long long)x->window_id,
                 x->window_kind ? x->window_kind : "?");
    size_t wl = strlen(where);
    const char *url = x->doc_url ? x->doc_url : "(url not recorded)";
    d->where = xmalloc(wl + strlen(url) + 1);
    memcpy(d->where, where, wl);
    strcpy(d->where + wl, url);
    d->found_by = xstrdup0(x->found_by);
    struct code_pane_text t = {.call = -1};
    if (x->script && x->script_len > 0) {
        struct code_excerpt ex;
        code_excerpt_around(x->script, x->script_len, x->line, x->col, &ex);
        t.code = x->script + ex.off;
        t.len = ex.len;
        t.line = ex.line;
        t.col = ex.col;
        t.call = ex.call;
    } else if (x->snippet && x->snippet[0]) {
        t.code = x->snippet;
        t.len = strlen(x->snippet);
        t.line = x->line;
        t.col = x->col;
        t.call = 0;
    }
    d->has_code = t.code != NULL;
    code_pane_show(c->app, &c->s->code, x->id, &t);
    add_stack(&c->s->code, x->stack);
    code_pane_scroll(&c->s->code, 0, 0);
    return 1;
}

static int
site_finding(const struct pm_finding_row *f, void *ctx)
{
    struct sdetail *d = ctx;
    if (d->n_findings == SENDS_FINDINGS) {
        d->more_findings++;
        return 0;
    }
    char head[96];
    snprintf(head, sizeof head, "#%lld %s %s: ", (long long)f->id,
             f->severity ? f->severity : "?", f->status ? f->status : "?");
    const char *title = f->title ? f->title : "";
    char *line = xmalloc(strlen(head) + strlen(title) + 1);
    strcpy(line, head);
    strcat(line, title);
    d->findings[d->n_findings++] = line;
    return 0;
}

/* Read the selected site's detail when it changed or went stale. */
static void
detail_select(struct ui_app *app, struct sends *s, int64_t id)
{
    if (s->d.id == id && !s->d.stale && !code_pane_wants(&s->code, id))
        return;
    detail_clear(&s->d);
    struct pm_err err = PM_ERR_INIT;
    struct site_load c = {app, s};
    if (store_ui_get_send_site(app->st, id, site_code, &c, &err) != PM_OK ||
        store_send_site_messages(app->st, id, s->d.msg_ids, SENDS_MSG_IDS,
                                 &s->d.n_msg, &s->d.msg_count, &err) != PM_OK ||
        store_each_subject_finding(app->st, "send_site", id, NULL,
                                   site_finding, &s->d, &err) != PM_OK)
        ui_status(app, 1, "%s", err.msg);
    s->d.id = id;
}

/* "sent 3 messages: #4 #9 #12" or why there are none. */
static void
draw_sent(struct ui_app *app, struct sends *s, int y)
{
    const struct sdetail *d = &s->d;
    int w = app->cols;
    draw_label(y, 1, 9, "sent", A_BOLD);
    int x = 10;
    if (d->msg_count == 0) {
        draw_label(y, x, w - x,
                   strstr(d->found_by ? d->found_by : "", "trace")
                       ? "no message recorded"
                       : "none recorded (a scan finds calls; a trace "
                         "records messages)",
                   A_DIM);
        return;
    }
    char buf[160];
    int k = snprintf(buf, sizeof buf, "%lld message%s:", (long long)d->msg_count,
                     d->msg_count == 1 ? "" : "s");
    for (int i = 0; i < d->n_msg && k < (int)sizeof buf - 24; i++)
        k += snprintf(buf + k, sizeof buf - (size_t)k, " #%lld",
                      (long long)d->msg_ids[i]);
    if (d->msg_count > d->n_msg && k < (int)sizeof buf - 4)
        snprintf(buf + k, sizeof buf - (size_t)k, " ...");
    x += draw_label(y, x, w - x, buf, A_NORMAL);
    draw_label(y, x, w - x, "  (Enter: in view 1)", A_DIM);
}

/* The detail: title, where, what it sent, its findings, then the code. */
static void
sends_draw_detail(struct ui_app *app, struct sends *s, int y, int h)
{
    int w = app->cols;
    int head = draw_attr(app, UI_ROLE_HEADING) | A_UNDERLINE;
    draw_fill(y, 0, w, head);
    s->code_y = y;
    if (s->list.n == 0)
        return;
    const struct srow *r = srow_at(s, s->list.pager.sel);
    detail_select(app, s, r->id);
    const char *mode = s->d.has_code ? code_pane_mode(&s->code) : "";
    int mw = (int)strlen(mode);
    int avail = w - mw - 2;
    draw_label(y, w - mw - 1, mw, mode, head);
    char title[64];
    snprintf(title, sizeof title, "send site #%lld  to ", (long long)r->id);
    int x = draw_label(y, 1, avail - 1, title, head);
    x += draw_text(app, y, 1 + x, w / 4, r->expr ? r->expr : "?", head | A_BOLD,
                   TT_ELLIPSIS);
    x += draw_label(y, 1 + x, avail - x - 1, "  targetOrigin ", head);
    int wild = is_wildcard(r->target);
    x += draw_text(app, y, 1 + x, w / 4,
                   r->target ? r->target : "(not a literal)",
                   head | (wild ? (int)(draw_attr(app, UI_ROLE_WARN) | A_BOLD)
                                : 0),
                   TT_ELLIPSIS);
    if (avail - x > 52)
        draw_label(y, 1 + x, avail - x - 1,
                   "  (m: mark, J/K Left/Right: scroll, p: layout)",
                   head | A_DIM);
    int row = y + 1, end = y + h;
    if (row < end) {
        draw_label(row, 1, 9, "from", A_BOLD);
        int used = draw_text(app, row, 10, w - 30, s->d.where, A_NORMAL,
                             TT_ELLIPSIS);
        draw_label(row, 10 + used, w - 10 - used, "  found by ", A_DIM);
        draw_text(app, row, 21 + used, w - 21 - used, s->d.found_by, A_DIM,
                  TT_ELLIPSIS);
        row++;
    }
    if (row < end)
        draw_sent(app, s, row++);
    if (row < end) {
        draw_label(row, 1, 9, "findings", A_BOLD);
        if (s->d.n_findings == 0)
            draw_label(row++, 10, w - 10, "none (m: mark this call)", A_DIM);
        for (int i = 0; i < s->d.n_findings && row < end; i++)
            draw_text(app, row++, 10, w - 11, s->d.findings[i], A_NORMAL,
                      TT_ELLIPSIS);
        if (s->d.more_findings && row < end) {
            char more[64];
            snprintf(more, sizeof more, "and %d more (view 5)",
                     s->d.more_findings);
            draw_label(row++, 10, w - 10, more, A_DIM);
        }
    }
    if (!s->d.has_code && row < end)
        draw_label(row++, 1, w - 1,
                   "no script recorded: import the HAR of the same visit "
                   "for the code around the call",
                   A_DIM);
    if (row < end)
        code_pane_draw(app, &s->code, row, end - row);
}

/* ---- the list ------------------------------------------------------------ */

static void
sends_draw(struct ui_app *app, int top, int height)
{
    struct sends *s = sstate(app);
    int w = app->cols;
    int head = draw_attr(app, UI_ROLE_HEADING) | A_UNDERLINE;
    if (s->scope_label && height > 8) {
        char line[64];
        snprintf(line, sizeof line, "send sites of ");
        int x = draw_label(top, 1, w - 1, line, A_BOLD);
        x += draw_text(app, top, 1 + x, w - x - 24, s->scope_label, A_BOLD,
                       TT_ELLIPSIS);
        draw_label(top, 1 + x, w - x - 1, "  (c: every send site)", A_DIM);
        top++;
        height--;
    }
    int lh = height * 3 / 5;
    if (lh < 4)
        lh = height;
    pager_set_height(app, &s->list.pager, lh - 1);
    idlist_load(app, &s->list, lh - 1);
    /* Origin, receiver and targetOrigin take what the rows need (up to a
     * fifth of the width each); the script position gets the rest. */
    int ow = 13, rw = 8, tw = 12, fw = w >= 100 ? 10 : 0;
    for (int i = 0; i < s->list.n && i < lh - 1; i++) {
        const struct srow *r = srow_at(s, i);
        int o = r->origin ? (int)strlen(r->origin) : 1;
        if (r->origin && strncmp(r->origin, "https://", 8) == 0)
            o -= 8;
        int e = r->expr ? (int)strlen(r->expr) : 1;
        int t = r->target ? (int)strlen(r->target) : 15;
        ow = o > ow ? o : ow;
        rw = e > rw ? e : rw;
        tw = t > tw ? t : tw;
    }
    ow = ow < w / 5 ? ow : w / 5;
    rw = rw < w / 6 ? rw : w / 6;
    tw = tw < w / 5 ? tw : w / 5;
    int uw = w - ow - rw - tw - fw - 13 + (fw ? 0 : 1);
    draw_fill(top, 0, w, head);
    draw_label(top, 1, 5, "  #", head);
    draw_label(top, 9, ow, "sender origin", head);
    draw_label(top, 10 + ow, rw, "receiver", head);
    draw_label(top, 11 + ow + rw, tw, "targetOrigin", head);
    draw_label(top, 12 + ow + rw + tw, uw, "script:line:col", head);
    if (fw)
        draw_label(top, w - fw, fw, "found", head);
    s->list.top_y = top + 1;
    if (s->list.n == 0)
        draw_label(top + 2, 2, w - 2,
                   s->scope_label ? "no send site on this edge"
                                  : "no send sites found",
                   A_DIM);
    for (int i = 0; i < s->list.n && i < lh - 1; i++) {
        const struct srow *r = srow_at(s, i);
        int y = top + 1 + i;
        int sel = i == s->list.pager.sel;
        int base = sel ? draw_attr(app, UI_ROLE_SEL) : A_NORMAL;
        if (sel)
            draw_fill(y, 0, w, base);
        char num[32];
        snprintf(num, sizeof num, "%5lld", (long long)r->id);
        draw_label(y, 1, 5, num, base | A_DIM);
        int wild = is_wildcard(r->target);
        int warn = (int)(draw_attr(app, UI_ROLE_WARN) | A_BOLD);
        draw_label(y, 7, 1, wild ? "!" : " ", base | warn);
        draw_origin(app, y, 9, ow, r->origin, base, TT_ELLIPSIS);
        draw_text(app, y, 10 + ow, rw, r->expr ? r->expr : "?", base,
                  TT_ELLIPSIS);
        draw_text(app, y, 11 + ow + rw, tw,
                  r->target ? r->target : "(not a literal)",
                  base | (wild ? warn : r->target ? 0 : (int)A_DIM),
                  TT_ELLIPSIS);
        draw_script_at(app, y, 12 + ow + rw + tw, uw, r->script, r->line,
                       r->col, (unsigned)base);
        if (fw)
            draw_text(app, y, w - fw, fw, r->found_by, base | A_DIM,
                      TT_ELLIPSIS);
    }
    s->code_y = 0;
    if (lh < height)
        sends_draw_detail(app, s, top + lh, height - lh);
}

/* ---- what the keys do ---------------------------------------------------- */

static void
scope_clear(struct sends *s)
{
    free(s->scope_ids);
    free(s->scope_label);
    s->scope_ids = NULL;
    s->scope_label = NULL;
    memset(&s->scope, 0, sizeof s->scope);
}

static void
sends_init(struct ui_app *app)
{
    struct sends *s = xcalloc(1, sizeof *s);
    idlist_init(&s->list, &sends_list, sends_fetch);
    app->view_state[UI_VIEW_SENDS] = s;
}

static void
sends_fini(struct ui_app *app)
{
    struct sends *s = sstate(app);
    idlist_fini(&s->list);
    code_pane_release(&s->code);
    detail_clear(&s->d);
    scope_clear(s);
    free(s);
    app->view_state[UI_VIEW_SENDS] = NULL;
}

static void
sends_invalidate(struct ui_app *app)
{
    struct sends *s = sstate(app);
    pager_page_drop(&s->list.pager);
    s->code.stale = 1;
    s->d.stale = 1;
}

static struct ui_pager *
sends_pager(struct ui_app *app)
{
    return &sstate(app)->list.pager;
}

static int
sends_subject(struct ui_app *app, struct ui_subject *out)
{
    const struct srow *r = idlist_selected(app, &sstate(app)->list);
    if (r == NULL)
        return 0;
    memset(out, 0, sizeof *out);
    out->kind = "send_site";
    out->id = r->id;
    snprintf(out->title, sizeof out->title,
             "postMessage to %s with targetOrigin %s in %s:%ld",
             r->expr ? r->expr : "?", r->target ? r->target : "(not a literal)",
             r->script ? r->script : "?", r->line);
    return 1;
}

/*
 * Opened on a send site: that site at the top of the list of every
 * site.  On an edge:
 * only the sites of its sender origin (and of those the ids given).
 * With nothing: every site again.
 */
static int
sends_open(struct ui_app *app, const struct ui_subject *on)
{
    struct sends *s = sstate(app);
    if (on == NULL || strcmp(on->kind, "edge") == 0) {
        scope_clear(s);
        if (on) {
            s->scope.origin_id = on->id;
            if (on->send_ids) {
                s->scope_ids = xmalloc((on->n_send_ids + 1) *
                                       sizeof *s->scope_ids);
                memcpy(s->scope_ids, on->send_ids,
                       on->n_send_ids * sizeof *s->scope_ids);
                s->scope.ids = s->scope_ids;
                s->scope.nids = on->n_send_ids;
            }
            char *from = NULL, *to = NULL;
            struct pm_err err = PM_ERR_INIT;
            store_origin_text(app->st, on->id, &from, &err);
            if (on->to_id > 0)
                store_origin_text(app->st, on->to_id, &to, &err);
            size_t n = 16 + (from ? strlen(from) : 1) + (to ? strlen(to) : 0);
            s->scope_label = xmalloc(n);
            snprintf(s->scope_label, n, "%s%s%s", from ? from : "?",
                     to ? " -> " : "", to ? to : "");
            free(from);
            free(to);
        }
        pager_reset(&s->list.pager);
        pager_page_drop(&s->list.pager);
    } else if (strcmp(on->kind, "send_site") == 0) {
        /* (an edge's list may not hold it) */
        scope_clear(s);
        s->list.pager.top = on->id;
        s->list.pager.sel = 0;
        pager_page_drop(&s->list.pager);
    }
    ui_switch_view(app, UI_VIEW_SENDS);
    return UI_REDRAW;
}

/* Enter: the messages this call sent, in view 1 (filter send:N). */
static int
sends_activate(struct ui_app *app)
{
    struct sends *s = sstate(app);
    if (s->list.n == 0)
        return UI_HANDLED;
    const struct srow *r = srow_at(s, s->list.pager.sel);
    detail_select(app, s, r->id);
    if (s->d.msg_count == 0) {
        ui_status(app, 0, "send site #%lld: no message it sent was recorded",
                  (long long)r->id);
        return UI_REDRAW;
    }
    struct ui_subject on = {.kind = "send_site", .id = r->id};
    char status[96];
    snprintf(status, sizeof status,
             "messages send site #%lld sent; f: flow, c: clear",
             (long long)r->id);
    return action_show_messages(app, &on, UI_PANE_LIST, status);
}

static int
sends_scroll(struct ui_app *app, int lines, int cols)
{
    return code_pane_scroll(&sstate(app)->code, lines, cols);
}

static int
sends_pane_layout(struct ui_app *app)
{
    struct sends *s = sstate(app);
    return s->d.has_code ? code_pane_toggle(app, &s->code) : UI_HANDLED;
}

/* The wheel over the detail scrolls the code, elsewhere the list. */
static int
sends_click(struct ui_app *app, int y, int x, int wheel)
{
    (void)x;
    struct sends *s = sstate(app);
    if (s->code_y > 0 && y >= s->code_y)
        return wheel ? code_pane_scroll(&s->code, 3 * wheel, 0) : UI_HANDLED;
    return idlist_click(app, &s->list, y, wheel);
}

struct ssearch {
    const char *text;
    int64_t found;
};

static int
ssearch_row(const struct pm_ui_send_site *x, void *ctx)
{
    struct ssearch *ss = ctx;
    const char *fields[] = {x->origin, x->script_url, x->target_expr,
                            x->target_origin, x->snippet};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (fields[i] && strcasestr(fields[i], ss->text)) {
            ss->found = x->id;
            return 1;
        }
    }
    return 0;
}

static int
sends_search(struct ui_app *app, const char *text, int dir)
{
    struct sends *s = sstate(app);
    if (s->list.n == 0)
        return UI_HANDLED;
    struct ssearch ss = {text, 0};
    struct pm_err err = PM_ERR_INIT;
    store_ui_page_send_sites(app->st, &s->scope,
                             srow_at(s, s->list.pager.sel)->id, dir < 0,
                             SENDS_SEARCH_MAX, ssearch_row, &ss, &err);
    if (ss.found == 0) {
        ui_status(app, 1, "no %s send site matches '%s'",
                  dir > 0 ? "later" : "earlier", text);
        return UI_REDRAW;
    }
    idlist_show_id(&s->list, ss.found);
    return UI_REDRAW;
}

const struct pm_screen pm_screen_sends = {
    .name = "Sends",
    .init = sends_init,
    .draw = sends_draw,
    .pager = sends_pager,
    .activate = sends_activate,
    .click = sends_click,
    .scroll_pane = sends_scroll,
    .pane_layout = sends_pane_layout,
    .search = sends_search,
    .subject = sends_subject,
    .open = sends_open,
    .invalidate = sends_invalidate,
    .fini = sends_fini,
};
