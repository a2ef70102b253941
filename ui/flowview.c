/*
 * flowview.c - the flow of one message as a sequence diagram: one lane per
 * origin, one row per message in time order, an arrow from sender lane to
 * receiver lane, targetOrigin '*' flagged, the data preview beside it.
 * Opened with `f` on a message (actions.c); Esc goes back.  A flow is bounded
 * (FLOW_MAX messages are read).
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "draw.h"
#include "mem.h"
#include "screen.h"
#include "store_ui.h"

#define FLOW_MAX 2000
#define FLOW_LANES 6

struct flow_msg {
    int64_t id;
    double ts;
    int from, to;       /* lane index */
    char *target, *preview, *via, *ext_id;
};

struct flowview {
    struct ui_pager pager;
    int64_t msg_id;     /* the message the flow was opened on */
    struct flow_msg *msgs;
    int n;
    char *lanes[FLOW_LANES + 1];  /* origins; the last lane is "other" */
    int nlanes;
    int top_y;
};

static struct flowview *
flstate(struct ui_app *app)
{
    return app->view_state[UI_VIEW_FLOW];
}

static int
flow_fetch(struct ui_app *app, int64_t after, int backward, int limit,
           int64_t *keys)
{
    return pager_offsets(flstate(app)->n, after, backward, limit, keys);
}

static void
flow_clear(struct flowview *f)
{
    for (int i = 0; i < f->n; i++) {
        free(f->msgs[i].target);
        free(f->msgs[i].preview);
        free(f->msgs[i].via);
        free(f->msgs[i].ext_id);
    }
    free(f->msgs);
    f->msgs = NULL;
    f->n = 0;
    for (int i = 0; i < f->nlanes; i++)
        free(f->lanes[i]);
    f->nlanes = 0;
}

static int
lane_of(struct flowview *f, const char *origin)
{
    const char *o = origin ? origin : "?";
    for (int i = 0; i < f->nlanes; i++)
        if (strcmp(f->lanes[i], o) == 0)
            return i;
    if (f->nlanes < FLOW_LANES) {
        f->lanes[f->nlanes] = xstrdup(o);
        return f->nlanes++;
    }
    if (f->nlanes == FLOW_LANES)
        f->lanes[f->nlanes++] = xstrdup("(other origins)");
    return FLOW_LANES;
}

static int
flow_load(const struct pm_message_row *r, void *ctx)
{
    struct flowview *f = ctx;
    if (f->n % 64 == 0)
        f->msgs = xrealloc(f->msgs, (size_t)(f->n + 64) * sizeof *f->msgs);
    struct flow_msg *m = &f->msgs[f->n++];
    m->id = r->id;
    m->ts = r->ts;
    m->from = lane_of(f, r->sender_origin);
    m->to = lane_of(f, r->receiver_origin);
    m->target = r->target_origin ? xstrdup(r->target_origin) : NULL;
    m->preview = r->data_preview ? xstrdup(r->data_preview) : NULL;
    m->via = r->via ? xstrdup(r->via) : NULL;
    m->ext_id = r->ext_id ? xstrdup(r->ext_id) : NULL;
    return f->n >= FLOW_MAX;
}

static int
flow_open(struct ui_app *app, const struct ui_subject *on)
{
    struct flowview *f = flstate(app);
    struct pm_err err = PM_ERR_INIT;
    if (on == NULL)
        return UI_HANDLED;
    int64_t msg_id = on->id;
    flow_clear(f);
    if (store_ui_flow(app->st, msg_id, FLOW_MAX, flow_load, f, &err) != PM_OK) {
        ui_status(app, 1, "%s", err.msg);
        return UI_REDRAW;
    }
    f->msg_id = msg_id;
    pager_reset(&f->pager);
    for (int i = 0; i < f->n; i++) {
        if (f->msgs[i].id == msg_id) {
            f->pager.top = i;  /* start at the message it was opened on */
            break;
        }
    }
    if (f->pager.top != INT64_MIN && f->pager.top < 3)
        f->pager.top = INT64_MIN;
    for (int i = 0; i < f->n; i++)
        if (f->msgs[i].id == msg_id)
            f->pager.sel = f->pager.top == INT64_MIN ? i : 0;
    int r = ui_switch_view(app, UI_VIEW_FLOW);
    ui_status(app, 0, "flow of message #%lld: %d message%s, %d origin%s",
              (long long)msg_id, f->n, f->n == 1 ? "" : "s", f->nlanes,
              f->nlanes == 1 ? "" : "s");
    return r;
}

static void
flow_draw(struct ui_app *app, int top, int height)
{
    struct flowview *f = flstate(app);
    int w = app->cols;
    int tw = 10;
    int pw = w / 3 > 24 ? w / 3 : 24;
    int lw = w - tw - pw - 2;
    int nl = f->nlanes > 0 ? f->nlanes : 1;
    int step = lw / nl;
    if (step < 6)
        step = 6;
    int lane_x[FLOW_LANES + 1] = {0};
    for (int i = 0; i < nl && i <= FLOW_LANES; i++)
        lane_x[i] = tw + step / 2 + i * step;
    int head = draw_attr(app, UI_ROLE_HEADING) | A_UNDERLINE;
    draw_fill(top, 0, w, head);
    draw_label(top, 1, tw - 1, "time", head);
    for (int i = 0; i < f->nlanes; i++) {
        int x0 = lane_x[i] - step / 2 + 1;
        const char *o = f->lanes[i];
        if (strncmp(o, "https://", 8) == 0 && o[8])
            o += 8;
        int ow = (int)strlen(o) < step - 1 ? (int)strlen(o) : step - 1;
        draw_text(app, top, x0 + (step - 1 - ow) / 2, step - 1, o,
                  head | draw_origin_attr(app, f->lanes[i]), TT_ELLIPSIS);
    }
    draw_label(top, w - pw, pw, "data", head);
    pager_set_height(app, &f->pager, height - 1);
    f->top_y = top + 1;
    int64_t first = f->pager.top == INT64_MIN ? 0 : f->pager.top;
    for (int i = 0; i < height - 1 && first + i < f->n; i++) {
        const struct flow_msg *m = &f->msgs[first + i];
        int y = top + 1 + i;
        int sel = i == f->pager.sel;
        int base = sel ? draw_attr(app, UI_ROLE_SEL) : A_NORMAL;
        if (sel)
            draw_fill(y, 0, w, base);
        char ts[32];
        snprintf(ts, sizeof ts, "%9.3f", m->ts / 1000.0);
        draw_label(y, 0, tw - 1, ts, base | (m->id == f->msg_id ? A_BOLD : A_DIM));
        for (int l = 0; l < f->nlanes; l++) {
            attrset(base | A_DIM);
            mvaddch(y, lane_x[l], ACS_VLINE);
        }
        int a = lane_x[m->from], b = lane_x[m->to];
        int star = m->target && strcmp(m->target, "*") == 0;
        int arrow = base | (star ? draw_attr(app, UI_ROLE_WARN)
                                 : draw_origin_attr(app, f->lanes[m->from]));
        attrset(arrow);
        if (a == b) {
            mvaddch(y, a, 'o');
        } else {
            int lo = a < b ? a : b, hi = a < b ? b : a;
            mvhline(y, lo + 1, ACS_HLINE, hi - lo - 1);
            mvaddch(y, a, ACS_BULLET);
            mvaddch(y, b, a < b ? '>' : '<');
            if (star)
                mvaddch(y, lo + (hi - lo) / 2, '*');
        }
        attrset(A_NORMAL);
        draw_text(app, y, w - pw, pw, m->preview, base, TT_ELLIPSIS);
    }
    if (f->n == 0)
        draw_label(top + 2, 2, w - 2, "no messages in this flow", A_DIM);
}

static void
flow_init(struct ui_app *app)
{
    struct flowview *f = xcalloc(1, sizeof *f);
    f->pager.fetch = flow_fetch;
    pager_reset(&f->pager);
    app->view_state[UI_VIEW_FLOW] = f;
}

static void
flow_fini(struct ui_app *app)
{
    flow_clear(flstate(app));
    free(flstate(app));
    app->view_state[UI_VIEW_FLOW] = NULL;
}

static struct ui_pager *
flow_pager(struct ui_app *app)
{
    return &flstate(app)->pager;
}

static int
flowview_subject(struct ui_app *app, struct ui_subject *out)
{
    struct flowview *f = flstate(app);
    int64_t i = (f->pager.top == INT64_MIN ? 0 : f->pager.top) + f->pager.sel;
    if (i < 0 || i >= f->n)
        return 0;
    const struct flow_msg *m = &f->msgs[i];
    memset(out, 0, sizeof *out);
    out->kind = "message";
    out->id = m->id;
    snprintf(out->title, sizeof out->title, "message %s: %s -> %s (target %s)",
             m->ext_id ? m->ext_id : "?", f->lanes[m->from], f->lanes[m->to],
             m->target ? m->target : "?");
    return 1;
}

/* Enter: the selected message in full, alone in view 1's list. */
static int
flow_activate(struct ui_app *app)
{
    struct ui_subject subj;
    if (!flowview_subject(app, &subj))
        return UI_HANDLED;
    char status[96];
    snprintf(status, sizeof status, "message #%lld in full; c clears the filter",
             (long long)subj.id);
    return action_show_messages(app, &subj, UI_PANE_DETAIL, status);
}

static int
flow_click(struct ui_app *app, int y, int x, int wheel)
{
    (void)x;
    struct flowview *f = flstate(app);
    if (wheel)
        return pager_move(app, &f->pager, 3 * wheel);
    int row = y - f->top_y;
    int64_t first = f->pager.top == INT64_MIN ? 0 : f->pager.top;
    if (row >= 0 && first + row < f->n)
        f->pager.sel = row;
    return UI_REDRAW;
}

const struct pm_screen pm_screen_flow = {
    .name = "Flow",
    .init = flow_init,
    .draw = flow_draw,
    .pager = flow_pager,
    .activate = flow_activate,
    .click = flow_click,
    .subject = flowview_subject,
    .open = flow_open,
    .fini = flow_fini,
};
