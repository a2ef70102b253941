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

void
layout_msg_cols(int w, struct ui_msg_cols *c)
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
    c->from = c->to = clamp(rest * 28 / 100, 0, 30);
    c->target = clamp(rest / 7, 0, 22);
    c->via = w >= 80 ? 7 : 0;
    c->data = rest - c->from - c->to - c->target - c->via;
    if (c->data < 0) {
        c->via = 0;
        c->data = rest - c->from - c->to - c->target;
    }
}
