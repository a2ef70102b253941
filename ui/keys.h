/*
 * keys.h - the key binding table.  One row per key: the views it works in,
 * the action it runs, an optional key-bar label and its help text.  The
 * dispatcher, the help screen and the key bar are all generated from this
 * table, so they cannot disagree.  (No curses.h here: tests include it.)
 */
#ifndef PM_UI_KEYS_H
#define PM_UI_KEYS_H

#include <stddef.h>

#include "app.h"

typedef int (*ui_action_fn)(struct ui_app *app);

struct ui_binding {
    int key;            /* curses key code or character */
    unsigned views;     /* UI_MASK bits of the views it works in */
    ui_action_fn fn;    /* returns UI_* result bits */
    const char *bar;    /* label in the key bar, NULL = not shown */
    const char *help;   /* one line for the help screen */
};

extern const struct ui_binding ui_bindings[];
extern const int ui_binding_count;

/* Index of the binding for key in view, or -1. */
int keys_find(int key, int view);

/* Printable name of a key ("j", "Down", "PgUp", "S-Tab", "F1", "^L"). */
const char *keys_name(int key, char *buf, size_t n);

/* Run the binding for key in the current view; UI_IGNORED when none. */
int keys_dispatch(struct ui_app *app, int key);

/* Run binding number i (a key-bar click). */
int keys_run(struct ui_app *app, int i);

#endif
