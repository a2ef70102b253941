/*
 * layout.c - pane and column arithmetic for view 1 (see layout.h).
 */
#include "layout.h"

#include <string.h>

static int
clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

void
layout_messages_view(int cols, int height, struct ui_split *s)
{
    memset(s, 0, sizeof *s);
    s->frames_w = clamp(cols / 4, 18, 40);
    if (s->frames_w > cols / 3)
        s->frames_w = cols / 3;
    s->list_x = s->frames_w + 1;
    s->list_w = cols - s->list_x;
    if (s->list_w < 0)
        s->list_w = 0;
    s->detail_h = height * 2 / 5;
    if (s->detail_h < 5)
        s->detail_h = 5;
    if (s->detail_h > height - 2)
        s->detail_h = height > 2 ? height - 2 : 0;
    s->upper_h = height - s->detail_h;
}

/* Columns from, to and target get at most this; data at least min(this, a third). */
#define COL_ORIGIN_MAX 30
#define COL_TARGET_MAX 24
#define COL_DATA_MIN 20

void
layout_msg_cols(int w, const struct ui_msg_need *need, struct ui_msg_cols *c)
{
    memset(c, 0, sizeof *c);
    if (w <= 0)
        return;
    c->mark = 1;
    c->ts = 9;
    c->gap1 = 1;
    c->arrow = 3;
    c->gap2 = c->gap3 = 1;
    int fixed = c->mark + c->ts + c->gap1 + c->arrow + c->gap2 + c->gap3;
    int rest = w - fixed;
    if (rest < 0) {
        /* Too narrow for anything but the time. */
        memset(c, 0, sizeof *c);
        c->ts = w;
        return;
    }
    struct ui_msg_need full = {COL_ORIGIN_MAX, COL_ORIGIN_MAX, COL_TARGET_MAX, 6};
    if (need == NULL)
        need = &full;
    /* want: what each column needs (a column of only "?" still gets 1) */
    int want_from = clamp(need->from, 1, COL_ORIGIN_MAX);
    int want_to = clamp(need->to, 1, COL_ORIGIN_MAX);
    int want_target = clamp(need->target, 1, COL_TARGET_MAX);
    c->via = w >= 80 && need->via > 0 ? clamp(need->via + 1, 4, 8) : 0;
    int data_min = rest / 3 < COL_DATA_MIN ? rest / 3 : COL_DATA_MIN;
    int budget = rest - c->via - data_min;
    int want = want_from + want_to + want_target;
    if (budget < 0)
        budget = 0;
    if (want <= budget) {
        c->from = want_from;
        c->to = want_to;
        c->target = want_target;
    } else {
        /* Share the budget in proportion to need. */
        c->from = budget * want_from / want;
        c->to = budget * want_to / want;
        c->target = budget - c->from - c->to;
    }
    c->data = rest - c->from - c->to - c->target - c->via;
    if (c->data < 0) {
        c->via = 0;
        c->data = rest - c->from - c->to - c->target;
    }
}
