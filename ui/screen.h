/*
 * screen.h - what every TUI view provides (tmux's window_mode, ncdu's
 * init/draw/key triple): a const struct of callbacks, one per view file.
 * A view keeps its state in app->view_state[its view], allocated by init
 * and freed by fini; nothing is global.
 */
#ifndef PM_UI_SCREEN_H
#define PM_UI_SCREEN_H

#include "app.h"

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
    /* The data changed (a mark, a filter): drop caches. */
    void (*invalidate)(struct ui_app *app);
    void (*fini)(struct ui_app *app);
};

extern const struct pm_screen pm_screen_messages;
extern const struct pm_screen pm_screen_graph;
extern const struct pm_screen pm_screen_frames;
extern const struct pm_screen pm_screen_listeners;
extern const struct pm_screen pm_screen_findings;
extern const struct pm_screen pm_screen_sources;
extern const struct pm_screen pm_screen_flow;
extern const struct pm_screen pm_screen_help;

#endif
