/*
 * ui.h - the terminal user interface: ui_run opens the workspace's views
 * in curses, runs the key loop and restores the terminal on return.
 */
#ifndef PM_UI_H
#define PM_UI_H

#include "err.h"
#include "store.h"

struct ui_opts {
    const char *ws_path;  /* shown in the title line */
    int no_color;         /* force monochrome (also NO_COLOR in the env) */
    const char *filter;   /* initial filter expression, or NULL */
    const char *notice;   /* shown in the status bar at start (an error), or NULL */
};

/*
 * Run the TUI on st until the user quits.  Needs a terminal on stdin and
 * stdout (PM_ERR_USAGE otherwise).  The terminal is restored on every
 * return path.
 */
enum pm_rc ui_run(struct pm_store *st, const struct ui_opts *opts,
                  struct pm_err *err);

#endif
