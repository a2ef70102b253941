/*
 * keys.c - the binding table and the actions it names (see keys.h).
 *
 * Actions are small: they move a pager, switch a view or open a prompt,
 * and return what the loop should do next.  View-specific behaviour goes
 * through the view's pm_screen callbacks.
 */
#include "keys.h"

#include <curses.h>
#include <limits.h>
#include <stdio.h>

#include "prompt.h"
#include "screen.h"

static struct ui_pager *
current_pager(struct ui_app *app)
{
    const struct pm_screen *s = ui_current(app);
    return s->pager ? s->pager(app) : NULL;
}

/* A view showing a picture pans it (screen.h: pan); UI_IGNORED otherwise. */
static int
pan_by(struct ui_app *app, int rows, int cols)
{
    const struct pm_screen *s = ui_current(app);
    return s->pan ? s->pan(app, rows, cols) : UI_IGNORED;
}

static int
move_by(struct ui_app *app, int delta)
{
    int r = pan_by(app, delta, 0);
    if (r != UI_IGNORED)
        return r;
    struct ui_pager *p = current_pager(app);
    return p ? pager_move(app, p, delta) : UI_IGNORED;
}

static int
page_rows(struct ui_app *app)
{
    struct ui_pager *p = current_pager(app);
    return p && p->height > 1 ? p->height - 1 : 1;
}

static int act_down(struct ui_app *app) { return move_by(app, 1); }
static int act_up(struct ui_app *app) { return move_by(app, -1); }
static int act_pgdn(struct ui_app *app) { return move_by(app, page_rows(app)); }
static int act_pgup(struct ui_app *app) { return move_by(app, -page_rows(app)); }

static int
act_home(struct ui_app *app)
{
    int r = pan_by(app, INT_MIN / 2, INT_MIN / 2);
    if (r != UI_IGNORED)
        return r;
    struct ui_pager *p = current_pager(app);
    return p ? pager_home(app, p) : UI_IGNORED;
}

static int
act_end(struct ui_app *app)
{
    int r = pan_by(app, INT_MAX / 2, 0);
    if (r != UI_IGNORED)
        return r;
    struct ui_pager *p = current_pager(app);
    return p ? pager_end(app, p) : UI_IGNORED;
}

/* Columns h and l pan a picture by. */
#define PAN_COLS 8

static int act_pan_left(struct ui_app *app) { return pan_by(app, 0, -PAN_COLS); }
static int act_pan_right(struct ui_app *app) { return pan_by(app, 0, PAN_COLS); }

static int
canvas_op(struct ui_app *app, int op)
{
    const struct pm_screen *s = ui_current(app);
    return s->canvas ? s->canvas(app, op) : UI_IGNORED;
}

static int act_select_next(struct ui_app *app) { return canvas_op(app, UI_CANVAS_NEXT); }
static int act_select_prev(struct ui_app *app) { return canvas_op(app, UI_CANVAS_PREV); }
static int act_fit(struct ui_app *app) { return canvas_op(app, UI_CANVAS_FIT); }
static int act_table(struct ui_app *app) { return canvas_op(app, UI_CANVAS_TABLE); }
static int act_canvas_close(struct ui_app *app) { return canvas_op(app, UI_CANVAS_CLOSE); }

static int
act_quit(struct ui_app *app)
{
    (void)app;
    return UI_QUIT;
}

static int
act_back(struct ui_app *app)
{
    return ui_switch_view(app, app->prev_view);
}

static int act_help(struct ui_app *app) { return ui_open_view(app, UI_VIEW_HELP, NULL); }
static int act_view1(struct ui_app *app) { return ui_switch_view(app, UI_VIEW_MESSAGES); }
static int act_view2(struct ui_app *app) { return ui_switch_view(app, UI_VIEW_GRAPH); }
static int act_view3(struct ui_app *app) { return ui_switch_view(app, UI_VIEW_FRAMES); }
static int act_view4(struct ui_app *app) { return ui_switch_view(app, UI_VIEW_LISTENERS); }
static int act_view5(struct ui_app *app) { return ui_switch_view(app, UI_VIEW_FINDINGS); }
static int act_view6(struct ui_app *app) { return ui_switch_view(app, UI_VIEW_SOURCES); }
static int act_view7(struct ui_app *app) { return ui_switch_view(app, UI_VIEW_SENDS); }

static int
act_pane_next(struct ui_app *app)
{
    app->pane = (app->pane + 1) % UI_PANE_COUNT;
    return UI_REDRAW;
}

static int
act_pane_prev(struct ui_app *app)
{
    app->pane = (app->pane + UI_PANE_COUNT - 1) % UI_PANE_COUNT;
    return UI_REDRAW;
}

static int
act_enter(struct ui_app *app)
{
    const struct pm_screen *s = ui_current(app);
    return s->activate ? s->activate(app) : UI_IGNORED;
}

static int
act_filter(struct ui_app *app)
{
    if (app->view == UI_VIEW_MESSAGES)
        return prompt_open(app, UI_PROMPT_FILTER);
    return prompt_open(app, UI_PROMPT_SEARCH);
}

static int
act_clear_filter(struct ui_app *app)
{
    if (app->filter == NULL)
        return UI_HANDLED;
    struct pm_err err = PM_ERR_INIT;
    ui_set_filter(app, "", &err);
    ui_status(app, 0, "filter cleared");
    return UI_REDRAW;
}

/* c in view 7: every send site again, after an edge restricted them. */
static int
act_all_sends(struct ui_app *app)
{
    return ui_open_view(app, UI_VIEW_SENDS, NULL);
}

static int
match_step(struct ui_app *app, int dir)
{
    const struct pm_screen *s = ui_current(app);
    if (app->view != UI_VIEW_MESSAGES && app->search[0] == '\0') {
        ui_status(app, 1, "no search yet: press / first");
        return UI_REDRAW;
    }
    return s->search ? s->search(app, app->search, dir) : UI_IGNORED;
}

static int act_next(struct ui_app *app) { return match_step(app, 1); }
static int act_prev(struct ui_app *app) { return match_step(app, -1); }

static int act_mark(struct ui_app *app) { return form_open_mark(app); }
static int act_flow(struct ui_app *app) { return action_flow(app); }
static int act_unmark(struct ui_app *app) { return prompt_open_unmark(app); }
static int act_export(struct ui_app *app) { return prompt_open(app, UI_PROMPT_EXPORT); }

static int
scroll_by(struct ui_app *app, int lines, int cols)
{
    const struct pm_screen *s = ui_current(app);
    return s->scroll_pane ? s->scroll_pane(app, lines, cols) : UI_IGNORED;
}

static int act_code_down(struct ui_app *app) { return scroll_by(app, 1, 0); }
static int act_code_up(struct ui_app *app) { return scroll_by(app, -1, 0); }
static int act_code_right(struct ui_app *app) { return scroll_by(app, 0, 16); }
static int act_code_left(struct ui_app *app) { return scroll_by(app, 0, -16); }

static int
act_code_layout(struct ui_app *app)
{
    const struct pm_screen *s = ui_current(app);
    return s->pane_layout ? s->pane_layout(app) : UI_IGNORED;
}

static int
act_redraw(struct ui_app *app)
{
    (void)app;
    clearok(curscr, TRUE);
    return UI_REDRAW;
}

/* View masks from the rows of views.h. */
#define MAIN_VIEWS UI_MAIN_VIEWS
#define OVERLAYS UI_OVERLAYS
#define MSG UI_MASK(UI_VIEW_MESSAGES)
#define SENDS_VIEW UI_MASK(UI_VIEW_SENDS)
#define FINDINGS_VIEW UI_MASK(UI_VIEW_FINDINGS)
#define MARKABLE UI_VIEWS_WITH(UI_VK_MARK)
#define SEARCHABLE UI_VIEWS_WITH(UI_VK_SEARCH)
#define SCROLLS UI_VIEWS_WITH(UI_VK_SCROLL)
#define CANVAS UI_VIEWS_WITH(UI_VK_CANVAS)

/* Order matters: the help screen and the key bar list rows in this order. */
const struct ui_binding ui_bindings[] = {
    {KEY_F(1), UI_ALL_VIEWS & ~UI_MASK(UI_VIEW_HELP), act_help, "Help", "show this help"},
    {'?', UI_ALL_VIEWS & ~UI_MASK(UI_VIEW_HELP), act_help, NULL, "show this help"},
    {'/', SEARCHABLE, act_filter, "Filter", "filter messages (view 1) or search the list"},
    {'n', SEARCHABLE, act_next, NULL, "next match"},
    {'N', SEARCHABLE, act_prev, NULL, "previous match"},
    {'c', MSG, act_clear_filter, NULL, "clear the message filter"},
    {'c', SENDS_VIEW, act_all_sends, NULL, "list every send site again (after an edge chose some)"},
    {'f', MSG, act_flow, "Flow", "follow the flow of the selected message"},
    {'m', MARKABLE, act_mark, "Mark", "mark a finding on the selection (severity, note)"},
    {'u', MARKABLE, act_unmark, "Unmark", "unmark: dismiss a suggestion, delete a hand mark (asks y/n)"},
    {'e', MAIN_VIEWS, act_export, "Export", "export confirmed findings as a Markdown report"},
    {'v', FINDINGS_VIEW, action_verify, "Verify", "verify the selected finding: its proof of concept run in headless Chromium (pmscope verify)"},
    {'t', CANVAS, act_table, "Table", "the origin graph drawn or as a table of edges"},
    {'z', CANVAS, act_fit, "Fit", "fit the drawing to the window (origins shortened), or back"},
    {'\t', CANVAS, act_select_next, NULL, "select the next box or edge of the drawing"},
    {KEY_BTAB, CANVAS, act_select_prev, NULL, "select the previous box or edge"},
    {'h', CANVAS, act_pan_left, NULL, "pan the drawing left"},
    {KEY_LEFT, CANVAS, act_pan_left, NULL, "pan the drawing left"},
    {'l', CANVAS, act_pan_right, NULL, "pan the drawing right"},
    {KEY_RIGHT, CANVAS, act_pan_right, NULL, "pan the drawing right"},
    {27, CANVAS, act_canvas_close, NULL, "close the list of a box's windows"},
    {'\t', MSG, act_pane_next, "Pane", "next pane (frames, messages, detail)"},
    {KEY_BTAB, MSG, act_pane_prev, NULL, "previous pane"},
    {'\n', UI_LIST_VIEWS & ~UI_MASK(UI_VIEW_HELP), act_enter, "Open", "open the selected row"},
    {'\r', UI_LIST_VIEWS & ~UI_MASK(UI_VIEW_HELP), act_enter, NULL, "open the selected row"},
    {KEY_ENTER, UI_LIST_VIEWS & ~UI_MASK(UI_VIEW_HELP), act_enter, NULL, "open the selected row"},
    {'j', UI_LIST_VIEWS, act_down, NULL, "move down (a drawing: pan down)"},
    {KEY_DOWN, UI_LIST_VIEWS, act_down, NULL, "move down (a drawing: pan down)"},
    {'k', UI_LIST_VIEWS, act_up, NULL, "move up (a drawing: pan up)"},
    {KEY_UP, UI_LIST_VIEWS, act_up, NULL, "move up (a drawing: pan up)"},
    {KEY_NPAGE, UI_LIST_VIEWS, act_pgdn, NULL, "page down"},
    {' ', UI_LIST_VIEWS, act_pgdn, NULL, "page down"},
    {KEY_PPAGE, UI_LIST_VIEWS, act_pgup, NULL, "page up"},
    {'g', UI_LIST_VIEWS, act_home, NULL, "go to the first row"},
    {KEY_HOME, UI_LIST_VIEWS, act_home, NULL, "go to the first row"},
    {'G', UI_LIST_VIEWS, act_end, NULL, "go to the last row"},
    {KEY_END, UI_LIST_VIEWS, act_end, NULL, "go to the last row"},
    {'J', SCROLLS, act_code_down, NULL, "scroll the code down"},
    {'K', SCROLLS, act_code_up, NULL, "scroll the code up"},
    {KEY_RIGHT, SCROLLS, act_code_right, NULL, "scroll the code right (long lines)"},
    {KEY_LEFT, SCROLLS, act_code_left, NULL, "scroll the code left"},
    {'p', SCROLLS, act_code_layout, NULL, "code pretty-printed or as written (minified code starts pretty-printed)"},
    {'1', UI_ALL_VIEWS, act_view1, NULL, "view 1: messages, frames and detail"},
    {'2', UI_ALL_VIEWS, act_view2, NULL, "view 2: origin graph, drawn or as a table (Enter filters to an edge)"},
    {'3', UI_ALL_VIEWS, act_view3, NULL, "view 3: frame tree"},
    {'4', UI_ALL_VIEWS, act_view4, NULL, "view 4: listeners and their origin checks"},
    {'5', UI_ALL_VIEWS, act_view5, NULL, "view 5: findings"},
    {'6', UI_ALL_VIEWS, act_view6, NULL, "view 6: imported sources"},
    {'7', UI_ALL_VIEWS, act_view7, NULL, "view 7: send sites (postMessage calls) and their code"},
    {'\f', UI_ALL_VIEWS, act_redraw, NULL, "repaint the screen"},
    {27, OVERLAYS, act_back, "Back", "go back to the previous view"},
    {'q', OVERLAYS, act_back, NULL, "go back to the previous view"},
    {'q', MAIN_VIEWS, act_quit, "Quit", "quit pmscope"},
    {3, UI_ALL_VIEWS, act_quit, NULL, "quit pmscope"},
    {KEY_F(10), MAIN_VIEWS, act_quit, NULL, "quit pmscope"},
};

const int ui_binding_count = (int)(sizeof ui_bindings / sizeof ui_bindings[0]);

int
keys_find(int key, int view)
{
    for (int i = 0; i < ui_binding_count; i++)
        if (ui_bindings[i].key == key && (ui_bindings[i].views & UI_MASK(view)))
            return i;
    return -1;
}

const char *
keys_name(int key, char *buf, size_t n)
{
    const char *s = NULL;
    switch (key) {
    case KEY_DOWN: s = "Down"; break;
    case KEY_UP: s = "Up"; break;
    case KEY_LEFT: s = "Left"; break;
    case KEY_RIGHT: s = "Right"; break;
    case KEY_HOME: s = "Home"; break;
    case KEY_END: s = "End"; break;
    case KEY_NPAGE: s = "PgDn"; break;
    case KEY_PPAGE: s = "PgUp"; break;
    case KEY_BTAB: s = "S-Tab"; break;
    case KEY_ENTER: s = "KpEnter"; break;
    case '\t': s = "Tab"; break;
    case '\n': s = "Enter"; break;
    case '\r': s = "Return"; break;
    case ' ': s = "Space"; break;
    case 27: s = "Esc"; break;
    default: break;
    }
    if (s)
        snprintf(buf, n, "%s", s);
    else if (key >= KEY_F(1) && key <= KEY_F(12))
        snprintf(buf, n, "F%d", key - KEY_F(0));
    else if (key > 0 && key < 32)
        snprintf(buf, n, "^%c", key + '@');
    else if (key > 32 && key < 127)
        snprintf(buf, n, "%c", key);
    else
        snprintf(buf, n, "key %d", key);
    return buf;
}

int
keys_run(struct ui_app *app, int i)
{
    if (i < 0 || i >= ui_binding_count)
        return UI_IGNORED;
    return ui_bindings[i].fn(app) | UI_HANDLED;
}

int
keys_dispatch(struct ui_app *app, int key)
{
    int i = keys_find(key, app->view);
    return i < 0 ? UI_IGNORED : keys_run(app, i);
}
