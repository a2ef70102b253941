/*
 * screen.h - what every TUI view provides (tmux's window_mode, ncdu's
 * init/draw/key triple): a const struct of callbacks, one per view file.
 * A view keeps its state in app->view_state[its view], allocated by init
 * and freed by fini; nothing is global.  Callbacks a view leaves NULL are
 * what it does not do (the keys that need them do nothing there).  Each
 * descriptor has one row in views.h, which also says which keys the view
 * answers; only ui.c's table names the descriptors, and everything else
 * reaches a view through app->screens[view].
 */
#ifndef PM_UI_SCREEN_H
#define PM_UI_SCREEN_H

#include "app.h"

/* What the keys of a view that draws a picture ask of it (views.h: UI_VK_CANVAS). */
enum ui_canvas_op {
    UI_CANVAS_NEXT,   /* select the next object of the picture */
    UI_CANVAS_PREV,   /* the previous one */
    UI_CANVAS_FIT,    /* zoom the picture to fit the window, or back */
    UI_CANVAS_TABLE,  /* switch between the picture and its table */
    UI_CANVAS_CLOSE,  /* close what is open over the picture */
};

struct pm_screen {
    const char *name;  /* tab title */
    /* Allocate state on first use (called once per session). */
    void (*init)(struct ui_app *app);
    /* Paint the content area rows [top, top + height) of the screen. */
    void (*draw)(struct ui_app *app, int top, int height);
    /* The pager that navigation keys move (depends on the focused pane). */
    struct ui_pager *(*pager)(struct ui_app *app);
    /* Enter on the selected row; returns UI_* result bits. */
    int (*activate)(struct ui_app *app);
    /* Mouse click (button 1) or wheel (dir -1/+1) at screen y, x. */
    int (*click)(struct ui_app *app, int y, int x, int wheel);
    /* Move to the next (dir 1) or previous (-1) row containing text. */
    int (*search)(struct ui_app *app, const char *text, int dir);
    /*
     * Background work while no key is waiting: do about budget_ms of it
     * and return 1 while more remains (budget 0: only report).
     */
    int (*idle)(struct ui_app *app, double budget_ms);
    /*
     * The selection as a subject (what m, u and f act on); returns 0 when
     * nothing is selected.  Views without one cannot be marked.
     */
    int (*subject)(struct ui_app *app, struct ui_subject *out);
    /*
     * Show the view opened on a subject (flow: a message; listeners: a
     * listener) or, with on NULL, from its start (help).  Returns UI_*
     * bits; a view without open is simply switched to (ui_open_view).
     */
    int (*open)(struct ui_app *app, const struct ui_subject *on);
    /* Paint the view as a pane of another view (the frame tree in view 1). */
    void (*draw_pane)(struct ui_app *app, int y, int x, int h, int w,
                      int focused);
    /*
     * Scroll the view's second pane (view 4's code) by lines down and
     * cols right (negative: up, left); the view answers J, K, Left and
     * Right when its row in views.h has UI_VK_SCROLL.
     */
    int (*scroll_pane)(struct ui_app *app, int lines, int cols);
    /*
     * Switch how the second pane lays its text out (view 4: the code
     * pretty-printed or as written); answered with UI_VK_SCROLL too.
     */
    int (*pane_layout)(struct ui_app *app);
    /*
     * Pan a picture by rows and cols (the movement keys, h and l); returns
     * UI_IGNORED when the view shows a list at the moment, and the keys
     * then move the list.
     */
    int (*pan)(struct ui_app *app, int rows, int cols);
    /* The other keys of a picture (enum ui_canvas_op), UI_VK_CANVAS. */
    int (*canvas)(struct ui_app *app, int op);
    /* The data changed (a mark, a filter): drop caches. */
    void (*invalidate)(struct ui_app *app);
    void (*fini)(struct ui_app *app);
};

#endif
