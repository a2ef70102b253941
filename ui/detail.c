/*
 * detail.c - the detail pane of view 1: everything about the selected
 * message (origins, target, its data as indented JSON, the listeners that
 * received it with their origin checks, findings, sender and receiver
 * windows and whether the receiver can be framed), in that order.  The text is built once per message and pane width, then
 * scrolled with a pager over line numbers; all of it is drawn through
 * draw_text, so nothing from the workspace reaches the terminal raw.
 */
#include <cjson/cJSON.h>
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "draw.h"
#include "mem.h"
#include "origin.h"
#include "store_query.h"
#include "store_ui.h"
#include "term_text.h"

#define DETAIL_MAX_LINES 4000
#define DETAIL_INDENT_MAX 24

struct detail_line {
    char *text;
    int role;
};

struct detail {
    struct ui_pager pager;
    int64_t msg_id;
    int width;
    unsigned gen;
    int valid;
    struct detail_line *lines;
    int n, cap;
};

static struct detail *
detail_state(struct ui_app *app)
{
    return app->detail_state;
}

/* ---- building the text -------------------------------------------------- */

struct builder {
    struct detail *d;
    int width;
    struct pm_buf tmp;
};

static void
add_line(struct builder *b, int role, const char *s, size_t n, int tt_flags)
{
    struct detail *d = b->d;
    /* Wrap to the pane width; an escape is never split. */
    const char *p = s, *end = s + n;
    do {
        if (d->n >= DETAIL_MAX_LINES)
            return;
        const char *start = p;
        int cols = 0;
        struct term_piece piece;
        const char *q = p;
        while (term_text_next(&q, end, tt_flags, &piece)) {
            if (cols + piece.cols > b->width && cols > 0)
                break;
            cols += piece.cols;
            p = q;
        }
        if (d->n == d->cap) {
            d->cap = d->cap ? 2 * d->cap : 64;
            d->lines = xrealloc(d->lines, (size_t)d->cap * sizeof *d->lines);
        }
        d->lines[d->n].text = xstrndup(start, (size_t)(p - start));
        d->lines[d->n].role = role;
        d->n++;
    } while (p < end);
}

static void
addf(struct builder *b, struct ui_app *app, int role, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
addf(struct builder *b, struct ui_app *app, int role, const char *fmt, ...)
{
    va_list ap;
    char line[2048];
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    add_line(b, role, line, strlen(line), app->tt_flags);
}

static const char *
nz(const char *s)
{
    return s && s[0] ? s : "-";
}

/* Pretty-print one JSON value; strings are shown decoded (the pane escapes
 * control characters when drawing). */
static void
json_lines(struct builder *b, struct ui_app *app, const cJSON *v, int depth,
           const char *key, int last)
{
    struct pm_buf *t = &b->tmp;
    pm_buf_reset(t);
    int ind = depth < DETAIL_INDENT_MAX ? depth : DETAIL_INDENT_MAX;
    for (int i = 0; i < ind; i++)
        pm_buf_adds(t, "  ");
    if (key) {
        pm_buf_addc(t, '"');
        pm_buf_adds(t, key);
        pm_buf_adds(t, "\": ");
    }
    const char *comma = last ? "" : ",";
    if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
        int obj = cJSON_IsObject(v);
        const cJSON *c = v->child;
        if (c == NULL) {
            pm_buf_adds(t, obj ? "{}" : "[]");
            pm_buf_adds(t, comma);
            add_line(b, UI_ROLE_NORMAL, t->data, t->len, app->tt_flags);
            return;
        }
        pm_buf_addc(t, obj ? '{' : '[');
        add_line(b, UI_ROLE_NORMAL, t->data, t->len, app->tt_flags);
        for (; c && b->d->n < DETAIL_MAX_LINES; c = c->next)
            json_lines(b, app, c, depth + 1, obj ? c->string : NULL,
                       c->next == NULL);
        pm_buf_reset(t);
        for (int i = 0; i < ind; i++)
            pm_buf_adds(t, "  ");
        pm_buf_addc(t, obj ? '}' : ']');
        pm_buf_adds(t, comma);
        add_line(b, UI_ROLE_NORMAL, t->data, t->len, app->tt_flags);
        return;
    }
    if (cJSON_IsString(v)) {
        pm_buf_addc(t, '"');
        pm_buf_adds(t, v->valuestring ? v->valuestring : "");
        pm_buf_addc(t, '"');
    } else {
        char *s = cJSON_PrintUnformatted(v);
        pm_buf_adds(t, s ? s : "?");
        free(s);
    }
    pm_buf_adds(t, comma);
    add_line(b, UI_ROLE_NORMAL, t->data, t->len, app->tt_flags);
}

struct win_ctx {
    struct builder *b;
    struct ui_app *app;
    const char *label;
    int receiver;
};

static int
window_lines(const struct pm_window_row *w, void *ctx)
{
    struct win_ctx *c = ctx;
    addf(c->b, c->app, UI_ROLE_NORMAL, "%-9s window #%lld %s %s", c->label,
         (long long)w->id, nz(w->kind), nz(w->url));
    if (w->parent_id)
        addf(c->b, c->app, UI_ROLE_DIM, "          parent #%lld (%s)",
             (long long)w->parent_id, nz(w->parent_how));
    if (c->receiver && !w->framing_known) {
        addf(c->b, c->app, UI_ROLE_DIM,
             "          framing: not recorded (no HAR or crawl of it)");
    } else if (c->receiver) {
        int xfo = w->xfo && w->xfo[0];
        int fa = w->csp && strstr(w->csp, "frame-ancestors");
        addf(c->b, c->app, xfo || fa ? UI_ROLE_OK : UI_ROLE_WARN,
             "          framing: X-Frame-Options %s; CSP %s%s", nz(w->xfo),
             fa ? nz(w->csp) : "has no frame-ancestors",
             xfo || fa ? "" : " -> any site can frame it");
    }
    return 1;
}

static int
listener_lines(const struct pm_ui_listener *l, void *ctx)
{
    struct win_ctx *c = ctx;
    addf(c->b, c->app, UI_ROLE_NORMAL, "listener  #%lld %s:%ld:%ld (%s)",
         (long long)l->id, nz(l->script_url), l->line, l->col, nz(l->found_by));
    int weak = l->check_kind && strcmp(l->check_kind, "strict") != 0;
    addf(c->b, c->app, weak ? UI_ROLE_WARN : UI_ROLE_NORMAL,
         "          origin check: %s %s   sinks: %s",
         l->check_kind ? l->check_kind : "not analysed", nz(l->check_expr),
         nz(l->sinks));
    return 0;
}

static int
finding_lines(const struct pm_finding_row *f, void *ctx)
{
    struct win_ctx *c = ctx;
    addf(c->b, c->app, UI_ROLE_WARN, "finding   #%lld [%s, %s] %s%s%s",
         (long long)f->id, nz(f->severity), nz(f->status), nz(f->title),
         f->note && f->note[0] ? " - " : "", f->note ? f->note : "");
    return 0;
}

static int
message_lines(const struct pm_message_row *m, void *ctx)
{
    struct win_ctx *c = ctx;
    struct builder *b = c->b;
    struct ui_app *app = c->app;
    struct pm_err err = PM_ERR_INIT;
    addf(b, app, UI_ROLE_HEADING,
         "message   #%lld %s  t=%.3fs  via %s%s%s  %lld bytes", (long long)m->id,
         m->ext_id ? m->ext_id : "", m->ts / 1000.0, nz(m->via),
         m->port ? " port " : "", m->port ? m->port : "", (long long)m->size);
    if (m->reply_to)
        addf(b, app, UI_ROLE_DIM, "          flow %lld, reply to #%lld (f shows the flow)",
             (long long)m->flow_id, (long long)m->reply_to);
    else if (m->flow_id)
        addf(b, app, UI_ROLE_DIM, "          flow %lld (f shows the flow)",
             (long long)m->flow_id);
    addf(b, app, UI_ROLE_NORMAL, "origins   %s -> %s", nz(m->sender_origin),
         nz(m->receiver_origin));
    int star = m->target_origin && strcmp(m->target_origin, "*") == 0;
    addf(b, app, star ? UI_ROLE_WARN : UI_ROLE_NORMAL, "target    %s%s",
         m->target_origin && m->target_origin[0] ? m->target_origin
                                                : PM_TARGET_UNKNOWN,
         star ? "  (any document in the receiving window gets the data)" : "");
    /* The data first: what was sent is what a triage reads before all
     * else; then the listeners' checks and the findings, then windows. */
    addf(b, app, UI_ROLE_HEADING, "data");
    const char *json = m->data_json ? m->data_json : "null";
    cJSON *root = cJSON_ParseWithLength(json, strlen(json));
    if (root) {
        json_lines(b, app, root, 0, NULL, 1);
        cJSON_Delete(root);
    } else {
        add_line(b, UI_ROLE_NORMAL, json, strlen(json), app->tt_flags);
    }
    struct win_ctx wc = {b, app, "sender", 0};
    store_ui_message_listeners(app->st, m->id, 3, listener_lines, &wc, &err);
    store_each_subject_finding(app->st, "message", m->id, NULL, finding_lines,
                               &wc, &err);
    if (m->sender_window_id)
        store_get_window(app->st, m->sender_window_id, window_lines, &wc, &err);
    wc.label = "receiver";
    wc.receiver = 1;
    if (m->receiver_window_id)
        store_get_window(app->st, m->receiver_window_id, window_lines, &wc, &err);
    else if (m->target_origin) /* a crawl records the call, not the window */
        addf(b, app, UI_ROLE_DIM,
             "receiver  window with targetOrigin %s "
             "(which window was not recorded)", m->target_origin);
    return 1;
}

static void
detail_clear(struct detail *d)
{
    for (int i = 0; i < d->n; i++)
        free(d->lines[i].text);
    d->n = 0;
}

static void
detail_build(struct ui_app *app, struct detail *d, int64_t id, int width)
{
    detail_clear(d);
    struct builder b = {d, width > 10 ? width : 10, {0}};
    pm_buf_init(&b.tmp);
    struct win_ctx wc = {&b, app, NULL, 0};
    struct pm_err err = PM_ERR_INIT;
    if (id > 0 && store_get_message(app->st, id, message_lines, &wc, &err) != PM_OK)
        addf(&b, app, UI_ROLE_ERROR, "%s", err.msg);
    pm_buf_release(&b.tmp);
    d->msg_id = id;
    d->width = width;
    d->valid = 1;
    pager_reset(&d->pager);
}

/* ---- the pane ----------------------------------------------------------- */

static int
detail_fetch(struct ui_app *app, int64_t after, int backward, int limit,
             int64_t *keys)
{
    return pager_offsets(detail_state(app)->n, after, backward, limit, keys);
}

struct ui_pager *
detail_pager(struct ui_app *app)
{
    return &detail_state(app)->pager;
}

void
detail_init(struct ui_app *app)
{
    struct detail *d = xcalloc(1, sizeof *d);
    d->pager.fetch = detail_fetch;
    pager_reset(&d->pager);
    app->detail_state = d;
}

void
detail_fini(struct ui_app *app)
{
    struct detail *d = detail_state(app);
    detail_clear(d);
    free(d->lines);
    free(d);
    app->detail_state = NULL;
}

void
detail_invalidate(struct ui_app *app)
{
    detail_state(app)->valid = 0;
}

void
detail_draw(struct ui_app *app, int64_t msg_id, int y, int x, int h, int w,
            int focused)
{
    struct detail *d = detail_state(app);
    int head = focused ? draw_attr(app, UI_ROLE_TAB_ON)
                       : draw_attr(app, UI_ROLE_HEADING) | A_UNDERLINE;
    draw_fill(y, x, w, head);
    draw_label(y, x + 1, w - 1, msg_id > 0 ? "detail" : "detail (no message)",
               head);
    int tw = w - 2;
    if (!d->valid || d->msg_id != msg_id || d->width != tw) {
        int64_t keep_top = d->msg_id == msg_id ? d->pager.top : INT64_MIN;
        int keep_sel = d->pager.sel;
        detail_build(app, d, msg_id, tw);
        if (keep_top != INT64_MIN && keep_top < d->n) {
            d->pager.top = keep_top;
            d->pager.sel = keep_sel;
        }
    }
    pager_set_height(app, &d->pager, h - 1);
    d->pager.n = d->n;
    int64_t top = d->pager.top == INT64_MIN ? 0 : d->pager.top;
    if (d->pager.sel >= d->n - top)
        d->pager.sel = d->n - top > 0 ? (int)(d->n - top - 1) : 0;
    for (int i = 0; i < h - 1 && top + i < d->n; i++) {
        const struct detail_line *l = &d->lines[top + i];
        int attr = draw_attr(app, l->role);
        if (focused && i == d->pager.sel)
            attr |= A_REVERSE;
        draw_text(app, y + 1 + i, x + 1, tw, l->text, attr,
                  focused && i == d->pager.sel ? TT_PAD : 0);
    }
    if (d->n > h - 1) {
        char pos[80];
        snprintf(pos, sizeof pos, " %lld-%lld/%d ", (long long)top + 1,
                 (long long)(top + h - 1 < d->n ? top + h - 1 : d->n), d->n);
        int pl = (int)strlen(pos);
        draw_label(y, x + w - pl - 1, pl, pos, head);
    }
}
