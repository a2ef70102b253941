/*
 * app.c - what views and actions ask of the TUI's state (struct ui_app):
 * the status message, the message filter and its count, the totals, and
 * switching or opening views.  Views are reached only through
 * app->screens (the table ui.c fills in), so this file, like every view,
 * names no view's functions.
 */
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "filter.h"
#include "mem.h"
#include "screen.h"
#include "store_ui.h"

const struct pm_screen *
ui_current(struct ui_app *app)
{
    return app->screens[app->view];
}

void
ui_status(struct ui_app *app, int is_err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(app->status, sizeof app->status, fmt, ap);
    va_end(ap);
    app->status_err = is_err;
}

double
ui_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int
ui_input_pending(void *app)
{
    (void)app;
    struct pollfd p = {STDIN_FILENO, POLLIN, 0};
    return poll(&p, 1, 0) > 0;
}

void
ui_refresh_counts(struct ui_app *app)
{
    struct pm_err err = PM_ERR_INIT;
    struct pm_ui_counts c;
    if (store_ui_counts(app->st, &c, &err) != PM_OK) {
        ui_status(app, 1, "%s", err.msg);
        return;
    }
    app->total_messages = c.messages;
    app->total_findings = c.findings;
    app->total_listeners = c.listeners;
}

/*
 * Count the active filter's matches in id slices for about budget_ms.
 * The loop calls this again whenever no key is waiting, so a slow count
 * never blocks the keyboard; the status bar shows "N+ ... counting" until
 * it is done.  Slices grow while they are cheap.
 */
void
ui_count_step(struct ui_app *app, double budget_ms)
{
    struct pm_err err = PM_ERR_INIT;
    double t0 = ui_now_ms();
    while (app->counting) {
        int64_t upto = app->count_pos + app->count_span;
        if (upto > app->count_end)
            upto = app->count_end;
        int64_t n = 0;
        double s0 = ui_now_ms();
        struct pm_ui_yield y = {ui_input_pending, app, 20, 0, 0};
        store_ui_yield_begin(app->st, &y);
        enum pm_rc rc = store_ui_count_slice(app->st, app->filter,
                                             app->count_pos, upto, &n, &err);
        store_ui_yield_end(app->st);
        if (rc != PM_OK && y.fired) {
            /* A key is waiting: count this slice again later, smaller. */
            if (app->count_span > 1024)
                app->count_span /= 2;
            break;
        }
        if (rc != PM_OK) {
            ui_status(app, 1, "%s", err.msg);
            app->counting = 0;
            break;
        }
        double took = ui_now_ms() - s0;
        app->filter_count += n;
        app->count_pos = upto;
        if (app->count_pos >= app->count_end)
            app->counting = 0;
        if (took < budget_ms / 4 && app->count_span < (INT64_C(1) << 40))
            app->count_span *= 2;
        else if (took > budget_ms && app->count_span > 1024)
            app->count_span /= 2;
        if (ui_now_ms() - t0 >= budget_ms)
            break;
    }
    app->filter_ms += ui_now_ms() - t0;
}

void
ui_count_filter(struct ui_app *app)
{
    struct pm_err err = PM_ERR_INIT;
    app->filter_count = 0;
    app->filter_ms = 0;
    app->counting = 0;
    if (app->filter == NULL)
        return;
    if (store_ui_max_message_id(app->st, &app->count_end, &err) != PM_OK) {
        ui_status(app, 1, "%s", err.msg);
        return;
    }
    app->count_pos = 0;
    app->count_span = 65536;
    app->counting = 1;
    ui_count_step(app, 40);
}

enum pm_rc
ui_set_filter(struct ui_app *app, const char *text, struct pm_err *err)
{
    struct pm_filter *f = NULL;
    const char *p = text ? text : "";
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p) {
        if (filter_compile(text, &f, err) != PM_OK)
            return err->rc;
    }
    if (app->filter)
        filter_free(app->filter);
    free(app->filter_text);
    app->filter = f;
    app->filter_text = f ? xstrdup(text) : NULL;
    app->filter_gen++;
    ui_count_filter(app);
    /* Only the message list depends on the filter. */
    app->screens[UI_VIEW_MESSAGES]->invalidate(app);
    return PM_OK;
}

int
ui_show_messages(struct ui_app *app, const char *expr, int pane,
                 const char *fmt, ...)
{
    struct pm_err err = PM_ERR_INIT;
    if (ui_set_filter(app, expr, &err) != PM_OK) {
        ui_status(app, 1, "%s", err.msg);
        return UI_REDRAW;
    }
    app->pane = pane;
    ui_switch_view(app, UI_VIEW_MESSAGES);
    if (fmt) {
        char msg[sizeof app->status];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        ui_status(app, 0, "%s", msg);
    }
    return UI_REDRAW;
}

int
ui_switch_view(struct ui_app *app, int view)
{
    if (view < 0 || view >= UI_VIEW_COUNT || view == app->view)
        return UI_HANDLED;
    /* Overlays (flow, help) return to the main view they came from. */
    if (!(UI_OVERLAYS & UI_MASK(app->view)))
        app->prev_view = app->view;
    app->view = view;
    app->status[0] = '\0';
    return UI_REDRAW;
}

int
ui_open_view(struct ui_app *app, int view, const struct ui_subject *on)
{
    const struct pm_screen *s = app->screens[view];
    return s->open ? s->open(app, on) : ui_switch_view(app, view);
}
