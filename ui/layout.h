/*
 * layout.h - where the panes and columns of view 1 go for a terminal
 * size.  Pure arithmetic (no curses), so the unit tests can check that
 * every size from tiny to huge adds up exactly.
 */
#ifndef PM_UI_LAYOUT_H
#define PM_UI_LAYOUT_H

/* View 1: frame tree left of the message list, detail below both. */
struct ui_split {
    int frames_w;  /* frame tree pane width */
    int list_x, list_w;  /* message list (after a 1-column separator) */
    int upper_h;   /* rows of the frame tree and message list */
    int detail_h;  /* rows of the detail pane */
};

void layout_messages_view(int cols, int height, struct ui_split *out);

/*
 * Message list columns for a list w columns wide, left to right: mark,
 * time, gap, from, arrow, to, gap, target, gap, via, data.  The widths
 * add up to exactly w (data takes what is left, never negative).
 */
struct ui_msg_cols {
    int mark, ts, gap1, from, arrow, to, gap2, target, gap3, via, data;
};

/*
 * What the rows on screen need: the widest from, to, target and via
 * text (0 when unknown).  Columns take what they need up to a cap; when
 * that leaves data too little, from, to and target give up room in
 * proportion to their need, and data takes the rest.
 */
struct ui_msg_need {
    int from, to, target, via;
};

/* need NULL: nothing known, every column gets its full share. */
void layout_msg_cols(int w, const struct ui_msg_need *need,
                     struct ui_msg_cols *out);

#endif
