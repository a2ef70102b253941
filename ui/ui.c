/*
 * ui.c - the view table, curses set-up and tear-down, the main loop, the
 * title line with the view tabs, the status bar and the key bar.  This is
 * the only place that calls refresh(): actions report what changed through
 * UI_* bits and the loop repaints; curses then sends only the cells that
 * differ.  ui_screens below is the table of views (generated from the
 * rows in views.h): the rest of ui/ reaches a view through app->screens,
 * never by its functions' names.
 */
#include "ui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "draw.h"
#include "filter.h"
#include "keys.h"
#include "prompt.h"
#include "screen.h"
#include "term_text.h"

/*
 * Every view's descriptor, indexed by enum ui_view, from the rows of
 * UI_VIEWS (views.h): the main views in tab order, then the overlays.
 */
#define UI_VIEW_DECLARE_(arg, id, desc, keys) extern const struct pm_screen (desc);
UI_VIEWS(UI_VIEW_DECLARE_, 0)
#define UI_VIEW_ENTRY_(arg, id, desc, keys) [UI_VIEW_##id] = &(desc),
static const struct pm_screen *const ui_screens[UI_VIEW_COUNT] = {
    UI_VIEWS(UI_VIEW_ENTRY_, 0)
};

#define UI_MIN_COLS 40
#define UI_MIN_ROWS 10

/* Title line: program, workspace, and the view tabs (clickable). */
static void
ui_draw_title(struct ui_app *app)
{
    unsigned bar = draw_attr(app, UI_ROLE_BAR);
    draw_fill(0, 0, app->cols, bar);
    int overlay = (UI_OVERLAYS & UI_MASK(app->view)) != 0;
    /* Below 100 columns the program name gives its room to an overlay's
     * tab (" Help ", " Flow "), which says where Esc leads back from. */
    int tabs = 0;
    for (int v = 0; v < UI_VIEW_COUNT && !(UI_OVERLAYS & UI_MASK(v)); v++)
        tabs += 4 + (int)strlen(ui_screens[v]->name);
    /* The program name also gives way when the tabs need its room. */
    int x = (overlay && app->cols < 100) || tabs + 9 > app->cols
                ? 0
                : draw_label(0, 0, app->cols, " pmscope ", bar | A_BOLD);
    for (int v = 0; v < UI_VIEW_COUNT && !(UI_OVERLAYS & UI_MASK(v)); v++) {
        char tab[32];
        snprintf(tab, sizeof tab, " %d %s ", v + 1, ui_screens[v]->name);
        int active = v == app->view || (overlay && v == app->prev_view);
        app->tab_x0[v] = x;
        x += draw_label(0, x, app->cols - x, tab,
                        draw_attr(app, active ? UI_ROLE_TAB_ON : UI_ROLE_TAB));
        app->tab_x1[v] = x;
    }
    if (overlay) {
        char tab[32];
        snprintf(tab, sizeof tab, " %s ", ui_screens[app->view]->name);
        x += draw_label(0, x, app->cols - x, tab, draw_attr(app, UI_ROLE_TAB_ON));
    }
    int rest = app->cols - x - 1;
    if (rest > 8 && app->ws_path) {
        int w = (int)term_text_width(app->ws_path, strlen(app->ws_path),
                                     app->tt_flags);
        if (w > rest - 1)
            w = rest - 1;
        draw_text(app, 0, app->cols - w - 1, w, app->ws_path, bar,
                  TT_ELLIPSIS);
    }
}

/* Status bar: counts, active filter, and the latest message. */
static void
ui_draw_status(struct ui_app *app)
{
    int y = app->rows - 2;
    unsigned bar = draw_attr(app, UI_ROLE_BAR);
    draw_fill(y, 0, app->cols, bar);
    char buf[160], n1[32];
    if (app->filter) {
        snprintf(n1, sizeof n1, "%lld%s", (long long)app->filter_count,
                 app->counting ? "+" : "");
        snprintf(buf, sizeof buf, " %s of %lld msgs%s", n1,
                 (long long)app->total_messages,
                 app->counting ? " (counting)" : "");
    } else {
        snprintf(buf, sizeof buf, " %lld msgs", (long long)app->total_messages);
    }
    int x = draw_label(y, 0, app->cols, buf, bar);
    /* With a filter on, the listener and finding counts give way to a
     * message that needs the room. */
    int sw = app->status[0] ? (int)term_text_width(app->status,
                                                   strlen(app->status),
                                                   app->tt_flags) + 4 : 0;
    snprintf(buf, sizeof buf, " | %lld listeners | %lld findings",
             (long long)app->total_listeners, (long long)app->total_findings);
    /* room the filter needs: " | filter: " and 24 columns of its text */
    int fw = app->filter_text ? 11 + 24 : 0;
    /* ... and, below 100 columns, so do they to a message that would
     * not fit beside them. */
    int room = x + (int)strlen(buf) + fw + sw <= app->cols - 1 - (fw ? 0 : 9);
    if ((fw == 0 && (sw == 0 || room || app->cols >= 100)) || (fw && room))
        x += draw_label(y, x, app->cols - x, buf, bar);
    if (app->filter_text) {
        x += draw_label(y, x, app->cols - x, " | filter: ", bar);
        int w = app->cols - x - 1;
        /* The latest message (what a key just did) wins over the filter
         * text, which stays readable in the prompt (/). */
        if (app->status[0])
            w = w - sw > 12 ? w - sw : (w > 24 ? 12 : w / 2);
        x += draw_text(app, y, x, w, app->filter_text, bar | A_BOLD,
                       TT_ELLIPSIS);
    }
    if (app->status[0] && app->cols - x > 4) {
        x += draw_label(y, x, app->cols - x, " | ", bar);
        int role = app->status_err ? UI_ROLE_ERROR : UI_ROLE_BAR;
        unsigned a = app->status_err ? draw_attr(app, role) | A_REVERSE : bar;
        x += draw_text(app, y, x, app->cols - x - 1, app->status, a, TT_ELLIPSIS);
    }
    if (app->cols - x > 12)
        draw_label(y, app->cols - 9, 9, "? help  ", bar | A_DIM);
}

/* Key bar (htop's function bar), generated from the binding table. */
static void
ui_draw_keybar(struct ui_app *app)
{
    int y = app->rows - 1;
    int x = 0;
    app->nbar = 0;
    draw_fill(y, 0, app->cols, draw_attr(app, UI_ROLE_LABEL));
    for (int i = 0; i < ui_binding_count && app->nbar < 32; i++) {
        const struct ui_binding *b = &ui_bindings[i];
        if (b->bar == NULL || !(b->views & UI_MASK(app->view)))
            continue;
        char name[16], label[24];
        keys_name(b->key, name, sizeof name);
        snprintf(label, sizeof label, "%-6s ", b->bar);
        int need = (int)strlen(name) + (int)strlen(label);
        if (x + need > app->cols)
            break;
        app->bar[app->nbar].x0 = x;
        x += draw_label(y, x, app->cols - x, name, draw_attr(app, UI_ROLE_KEY));
        x += draw_label(y, x, app->cols - x, label, draw_attr(app, UI_ROLE_LABEL));
        app->bar[app->nbar].x1 = x;
        app->bar[app->nbar].binding = i;
        app->nbar++;
    }
}

static void
ui_draw(struct ui_app *app)
{
    erase();
    if (app->rows < UI_MIN_ROWS || app->cols < UI_MIN_COLS) {
        draw_label(0, 0, app->cols, "terminal too small", A_BOLD);
        refresh();
        return;
    }
    ui_draw_title(app);
    ui_current(app)->draw(app, 1, app->rows - 3);
    ui_draw_status(app);
    ui_draw_keybar(app);
    if (prompt_active(app))
        prompt_draw(app);
    if (app->form)
        form_draw(app);
    refresh();
}

static int
ui_mouse(struct ui_app *app)
{
    MEVENT ev;
    if (getmouse(&ev) != OK)
        return UI_IGNORED;
    int wheel = 0;
    if (ev.bstate & BUTTON4_PRESSED)
        wheel = -1;
#ifdef BUTTON5_PRESSED
    else if (ev.bstate & BUTTON5_PRESSED)
        wheel = 1;
#endif
    else if (!(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)))
        return UI_IGNORED;
    if (wheel == 0 && ev.y == app->rows - 1) {
        for (int i = 0; i < app->nbar; i++)
            if (ev.x >= app->bar[i].x0 && ev.x < app->bar[i].x1)
                return keys_run(app, app->bar[i].binding);
        return UI_HANDLED;
    }
    if (wheel == 0 && ev.y == 0) {
        for (int v = 0; v < UI_VIEW_COUNT && !(UI_OVERLAYS & UI_MASK(v)); v++)
            if (ev.x >= app->tab_x0[v] && ev.x < app->tab_x1[v])
                return ui_switch_view(app, v);
        return UI_HANDLED;
    }
    const struct pm_screen *s = ui_current(app);
    return s->click ? s->click(app, ev.y, ev.x, wheel) : UI_IGNORED;
}

static int
ui_key(struct ui_app *app, int ch)
{
    if (ch == KEY_RESIZE) {
        /* A resize can cut an update short: repaint every cell once. */
        getmaxyx(stdscr, app->rows, app->cols);
        clearok(curscr, TRUE);
        return UI_REDRAW;
    }
    if (app->form)
        return form_key(app, ch);
    if (prompt_active(app))
        return prompt_key(app, ch);
    if (ch == KEY_MOUSE)
        return ui_mouse(app);
    app->status_err = 0;
    app->status[0] = '\0';
    int r = keys_dispatch(app, ch);
    if (r == UI_IGNORED && ch > 32 && ch < 127) {
        ui_status(app, 0, "'%c' does nothing here; ? shows the keys", ch);
        r = UI_REDRAW;
    }
    return r;
}

/*
 * A workspace without messages (a HAR, a crawl that did not instrument
 * postMessage) opens where analysis has something to show: the
 * listeners it found, else the origin graph, and the status line says
 * why the message list is not the first view.
 */
static void
ui_open_without_messages(struct ui_app *app)
{
    int view = app->total_listeners > 0 ? UI_VIEW_LISTENERS : UI_VIEW_GRAPH;
    app->view = view;
    app->prev_view = view;
    if (app->total_listeners > 0)
        ui_status(app, 0, "no messages recorded: listeners analysis found; "
                          "5: findings");
    else
        ui_status(app, 0, "no messages or listeners recorded: the origin "
                          "graph; 7: send sites");
}

enum pm_rc
ui_run(struct pm_store *st, const struct ui_opts *opts, struct pm_err *err)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        return pm_err_set(err, PM_ERR_USAGE,
                          "the TUI needs a terminal; use 'pmscope ls' in scripts");
    double t_start = ui_now_ms();
    struct ui_app app;
    memset(&app, 0, sizeof app);
    app.st = st;
    app.screens = ui_screens;
    app.ws_path = opts->ws_path;
    app.view = UI_VIEW_MESSAGES;
    app.prev_view = UI_VIEW_MESSAGES;
    app.pane = UI_PANE_LIST;
    app.filter_count = -1;
    app.tt_flags = MB_CUR_MAX > 1 ? 0 : TT_ASCII;

    if (getenv("ESCDELAY") == NULL)
        set_escdelay(25);
    if (initscr() == NULL)
        return pm_err_set(err, PM_ERR_IO, "cannot initialise the terminal");
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    /* Home/End arrive in several encodings whatever TERM says (tmux and
     * screen send the vt220 forms): accept them all. */
    define_key("\033[1~", KEY_HOME);
    define_key("\033[4~", KEY_END);
    define_key("\033[7~", KEY_HOME);
    define_key("\033[8~", KEY_END);
    define_key("\033[H", KEY_HOME);
    define_key("\033[F", KEY_END);
    define_key("\033OH", KEY_HOME);
    define_key("\033OF", KEY_END);
    curs_set(0);
    mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
                  | BUTTON5_PRESSED
#endif
              ,
              NULL);
    mouseinterval(0);
    draw_init(&app, opts->no_color);
    getmaxyx(stdscr, app.rows, app.cols);

    for (int v = 0; v < UI_VIEW_COUNT; v++)
        if (ui_screens[v]->init)
            ui_screens[v]->init(&app);
    ui_refresh_counts(&app);
    if (app.total_messages == 0 && !(opts->filter && opts->filter[0]))
        ui_open_without_messages(&app);
    if (opts->notice && opts->notice[0])
        ui_status(&app, 1, "%s", opts->notice);
    if (opts->filter && opts->filter[0]) {
        struct pm_err ferr = PM_ERR_INIT;
        if (ui_set_filter(&app, opts->filter, &ferr) != PM_OK)
            ui_status(&app, 1, "filter: column %ld: %s", ferr.col, ferr.msg);
    }

    /*
     * PMSCOPE_TUI_TRACE=FILE logs how long each key took (handling plus
     * repaint) so responsiveness can be measured on a real workspace.
     */
    const char *trace_path = getenv("PMSCOPE_TUI_TRACE");
    FILE *trace = trace_path && trace_path[0] ? fopen(trace_path, "a") : NULL;
    double t_key = t_start;
    int last_key = 0;
    int r = UI_REDRAW;
    for (;;) {
        if (r & UI_INVALIDATE) {
            for (int v = 0; v < UI_VIEW_COUNT; v++)
                if (ui_screens[v]->invalidate)
                    ui_screens[v]->invalidate(&app);
            ui_refresh_counts(&app);
            if (app.filter)
                ui_count_filter(&app);
        }
        if (r & UI_QUIT)
            break;
        if (r & (UI_REDRAW | UI_INVALIDATE))
            ui_draw(&app);
        if (trace && last_key >= 0) {
            fprintf(trace, "%s %d %.1f ms%s\n", last_key ? "key" : "open",
                    last_key, ui_now_ms() - t_key, app.counting ? " counting" : "");
            fflush(trace);
            last_key = -1;
        }
        /* While a count or a view's background work runs, poll for keys
         * and do that work between them. */
        const struct pm_screen *cur = ui_current(&app);
        int view_busy = cur->idle && cur->idle(&app, 0);
        timeout(app.counting || view_busy ? 0 : -1);
        int ch = getch();
        if (ch == ERR) {
            r = UI_IGNORED;
            if (app.counting) {
                ui_count_step(&app, 30);
                r = UI_REDRAW;
            } else if (view_busy) {
                cur->idle(&app, 30);
                r = UI_REDRAW;
            }
            continue;
        }
        t_key = ui_now_ms();
        last_key = ch;
        r = ui_key(&app, ch);
    }
    if (trace)
        fclose(trace);

    form_free(&app);
    prompt_free(&app);
    for (int v = 0; v < UI_VIEW_COUNT; v++)
        if (ui_screens[v]->fini)
            ui_screens[v]->fini(&app);
    if (app.filter)
        filter_free(app.filter);
    free(app.filter_text);
    endwin();
    return PM_OK;
}
