/*
 * app.h - the TUI's state, shared by the view files (ui/ only).
 *
 * struct ui_app is the one state object: ui_run creates it, every action
 * and view callback receives it (htop's State).  Views keep their own state
 * behind view_state[].  Actions return a bit-set of UI_* results, so the
 * loop in ui.c alone decides what to redraw and when to quit.
 */
#ifndef PM_UI_APP_H
#define PM_UI_APP_H

#include <stdint.h>

#include "err.h"
#include "store.h"

struct pm_filter;

enum ui_result {
    UI_IGNORED = 0,
    UI_HANDLED = 1,
    UI_REDRAW = 2,     /* repaint the screen */
    UI_QUIT = 4,       /* leave the main loop */
    UI_INVALIDATE = 8, /* workspace data changed: views drop their caches */
};

/* enum ui_view, UI_MASK and the view masks (views.h: the list of views). */
#include "views.h"

/* Panes of the messages view, in Tab order. */
enum ui_pane { UI_PANE_FRAMES, UI_PANE_LIST, UI_PANE_DETAIL, UI_PANE_COUNT };

/* Largest page a view reads at once (rows of the tallest terminal). */
#define UI_PAGE_MAX 256

struct ui_app;

/*
 * A cursor over a keyed list that is never loaded whole.  fetch returns up
 * to limit keys after `after` (ascending) or before it (descending when
 * backward; after = INT64_MAX means from the end), so lists keyed by row id
 * use keyset pagination and small lists use row offsets as keys.
 */
struct ui_pager {
    int (*fetch)(struct ui_app *app, int64_t after, int backward, int limit,
                 int64_t *keys);
    int64_t top;  /* key of the first visible row */
    int sel;      /* selected row relative to top */
    int height;   /* visible rows, set by the view when it draws */
    int n;        /* rows on the current page, set by the view */
    /* the page the view holds in memory (pager_page_stale / _loaded) */
    int loaded;   /* 0: read the page again before the next draw */
    int64_t loaded_top;
    int loaded_h;
};

struct ui_prompt;
struct ui_form;

struct ui_app {
    struct pm_store *st;
    /* Every view, indexed by enum ui_view (ui.c's table). */
    const struct pm_screen *const *screens;
    const char *ws_path;
    int view, prev_view;         /* enum ui_view */
    int pane;                    /* enum ui_pane, messages view */
    int rows, cols;
    int color;                   /* colour pairs in use */
    int tt_flags;                /* term_text flags (TT_ASCII) */
    void *view_state[UI_VIEW_COUNT];
    void *detail_state;          /* detail pane of view 1 (detail.c) */

    struct pm_filter *filter;    /* active message filter, NULL = all */
    char *filter_text;           /* its text, NULL = none */
    int64_t filter_count;        /* messages matching (so far, while counting) */
    int counting;                /* the count is still running in slices */
    int64_t count_pos, count_end, count_span; /* ids counted so far, last id, slice */
    double filter_ms;            /* time the count has taken */
    unsigned filter_gen;         /* bumped on every filter change */

    int64_t total_messages, total_findings, total_listeners;
    char status[256];            /* transient message in the status bar */
    int status_err;

    struct ui_prompt *prompt;    /* filter / search line editor */
    struct ui_form *form;        /* mark form, NULL when closed */
    char search[1025];            /* last search text for n/N */

    /* Click targets on the key bar: x ranges and the binding they run. */
    int nbar;
    struct { int x0, x1; int binding; } bar[32];
    int tab_x0[UI_VIEW_COUNT], tab_x1[UI_VIEW_COUNT];
};

struct pm_screen;

/*
 * The selection of a view as the keys see it (its subject callback): what
 * m and u mark, what f follows, whose messages Enter shows.
 */
struct ui_subject {
    /* "message", "listener", "send_site", "edge", "window"; "finding" in
     * view 5; "source" (view 6) only to show its messages */
    const char *kind;
    int64_t id;          /* subject id (edge: sender origin id) */
    int64_t to_id;       /* edge: receiver origin id, else 0 */
    /* An edge opened in view 7: only these send sites (the caller knows
     * which of the sender's sites reach the receiver); NULL: every send
     * site of the sender origin.  Borrowed for the call. */
    const int64_t *send_ids;
    size_t n_send_ids;
    char title[200];     /* default finding title */
    int64_t finding_id;  /* in the findings view: the finding itself */
    char severity[16];   /* form defaults: current severity and note */
    char note[512];
    int keep_note;       /* an empty note leaves the finding's note alone */
    int suggested;       /* finding_id was suggested by analysis */
};

/* app.c: the state services views and actions use. */
const struct pm_screen *ui_current(struct ui_app *app);
void ui_status(struct ui_app *app, int is_err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/*
 * Compile and apply a message filter ("" clears it).  On a syntax error
 * the previous filter stays active and err says where (err->col).
 */
enum pm_rc ui_set_filter(struct ui_app *app, const char *text,
                         struct pm_err *err);
int ui_switch_view(struct ui_app *app, int view);
/* Show view opened on a subject (its open callback), or just switch to it. */
int ui_open_view(struct ui_app *app, int view, const struct ui_subject *on);
/*
 * Enter on a row of another view: view 1 under expr (a filter built from
 * the selection), focus on pane (enum ui_pane), and fmt (or NULL) in the
 * status bar.  A filter that does not compile is shown there instead.
 */
int ui_show_messages(struct ui_app *app, const char *expr, int pane,
                     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void ui_refresh_counts(struct ui_app *app);
/*
 * Count the active filter's matches: ui_count_filter starts over (a
 * first slice included), ui_count_step goes on for about budget_ms while
 * app->counting.
 */
void ui_count_filter(struct ui_app *app);
void ui_count_step(struct ui_app *app, double budget_ms);
/* 1 when a key is waiting (slow queries give way to it). */
int ui_input_pending(void *app);
/* Monotonic milliseconds. */
double ui_now_ms(void);

/* list.c: moving a pager; each returns UI_* bits. */
int pager_move(struct ui_app *app, struct ui_pager *p, int delta);
int pager_home(struct ui_app *app, struct ui_pager *p);
int pager_end(struct ui_app *app, struct ui_pager *p);
void pager_reset(struct ui_pager *p);
/*
 * Set the visible rows (every draw): when the terminal shrank below the
 * selected row, the rows above it scroll away so the same row, not the
 * one now at its offset, stays selected.
 */
void pager_set_height(struct ui_app *app, struct ui_pager *p, int h);
/*
 * The page cache every paged view keeps: stale clamps *h to UI_PAGE_MAX and
 * says whether the rows from top for *h lines must be read again; loaded
 * records a read of n rows (and keeps sel on them); drop forgets the page.
 */
int pager_page_stale(const struct ui_pager *p, int *h);
void pager_page_loaded(struct ui_pager *p, int n, int h);
void pager_page_drop(struct ui_pager *p);
/* Offset-keyed fetch helper for lists of n rows. */
int pager_offsets(int64_t total, int64_t after, int backward, int limit,
                  int64_t *keys);

/* detail.c: the detail pane of view 1 (part of msglist.c's view). */
void detail_draw(struct ui_app *app, int64_t msg_id, int y, int x, int h,
                 int w, int focused);
struct ui_pager *detail_pager(struct ui_app *app);
void detail_init(struct ui_app *app);
void detail_fini(struct ui_app *app);
void detail_invalidate(struct ui_app *app);

/*
 * actions.c: what the keys do to the selection of any view, through its
 * subject callback.  ui_selected_subject adds the finding m would edit.
 */
int ui_selected_subject(struct ui_app *app, struct ui_subject *out);
int action_save_mark(struct ui_app *app, const struct ui_subject *s,
                     const char *severity, const char *note);
/*
 * u on a subject (from ui_selected_subject): a suggested finding is
 * dismissed, a hand mark deleted.  action_unmark_deletes says whether it
 * would delete something (then the keys ask first).
 */
int action_unmark(struct ui_app *app, const struct ui_subject *s);
int action_unmark_deletes(const struct ui_subject *s);
int action_flow(struct ui_app *app);
/* v: `pmscope verify` on the selected finding, the terminal handed to it
 * (verify_run.c). */
int action_verify(struct ui_app *app);
/*
 * View 1 filtered to a subject's messages (message, listener, send site,
 * window or source), focus on pane, status (or NULL) in the status bar.
 */
int action_show_messages(struct ui_app *app, const struct ui_subject *s,
                         int pane, const char *status);

/*
 * View 7 showing only the send sites of an origin edge: those in
 * documents of from_origin_id and, when ids is not NULL, of those only
 * ids[0..n) (the ones whose receiver is a window of to_origin_id, which
 * the caller resolves); to_origin_id names the edge in the view's title.
 */
int action_show_send_sites(struct ui_app *app, int64_t from_origin_id,
                           int64_t to_origin_id, const int64_t *ids,
                           size_t n);

/* report_export.c: write the Markdown report of confirmed findings. */
int report_export_write(struct ui_app *app, const char *path, int overwrite);

#endif
