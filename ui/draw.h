/*
 * draw.h - painting helpers for the views: colour roles (from the
 * terminal's own palette, off under NO_COLOR), origin colours, safe text
 * output through term_text, bars and pane frames.  Every string that came
 * from a workspace is written with draw_text, never with addstr directly.
 */
#ifndef PM_UI_DRAW_H
#define PM_UI_DRAW_H

#include "app.h"
#include "term_text.h"

enum ui_role {
    UI_ROLE_NORMAL,
    UI_ROLE_BAR,       /* status bar, title line */
    UI_ROLE_KEY,       /* key name in the key bar */
    UI_ROLE_LABEL,     /* label in the key bar */
    UI_ROLE_TAB,       /* inactive view tab */
    UI_ROLE_TAB_ON,    /* active view tab */
    UI_ROLE_SEL,       /* selected row in the focused pane */
    UI_ROLE_SEL_DIM,   /* selected row in an unfocused pane */
    UI_ROLE_ESCAPE,    /* an escaped control char / invalid byte */
    UI_ROLE_ERROR,
    UI_ROLE_DIM,       /* secondary text */
    UI_ROLE_HEADING,   /* column headers, pane titles */
    UI_ROLE_WARN,      /* '*' targetOrigin, no origin check */
    UI_ROLE_OK,
    UI_ROLE_COUNT
};

/* Start colours (when the terminal has them and NO_COLOR is unset). */
void draw_init(struct ui_app *app, int force_no_color);

/* Attribute for a role. */
unsigned draw_attr(const struct ui_app *app, int role);

/* Attribute for an origin: a stable colour picked by hashing its text. */
unsigned draw_origin_attr(const struct ui_app *app, const char *origin);

/*
 * Draw an origin in its colour, "https://" left out (other schemes stay, so
 * http: and null stand out); NULL is drawn as "?".  With TT_ELLIPSIS a cut
 * is draw_origin_path's.  Returns columns used.
 */
int draw_origin(struct ui_app *app, int y, int x, int w, const char *origin,
                int extra_attr, int flags);

/*
 * The one way an origin is shortened: origin (in its colour, "https://"
 * left out) then path; when they do not fit, the middle goes and the
 * host's start, port and path stay ("http://lo…:8080/w.html"); when even
 * the scheme does not fit, a leading mark stands for it.
 */
int draw_origin_path(struct ui_app *app, int y, int x, int w,
                     const char *origin, const char *path, int extra_attr);

/* Attribute for a finding severity ("critical" ... "info"). */
unsigned draw_severity_attr(const struct ui_app *app, const char *severity);

/*
 * Write untrusted text at (y, x) in at most w columns with attribute attr;
 * escapes are drawn in the escape role.  flags are term_text flags
 * (TT_ELLIPSIS, TT_PAD); the app's TT_ASCII is added.  Returns columns used.
 */
int draw_text(struct ui_app *app, int y, int x, int w, const char *s,
              int attr, int flags);
/* Same for s[0..n). */
int draw_textn(struct ui_app *app, int y, int x, int w, const char *s,
               size_t n, int attr, int flags);

/* Like draw_text, but a cut keeps the end ("...tests/data/demo.jsonl"). */
int draw_text_tail(struct ui_app *app, int y, int x, int w, const char *s,
                   unsigned attr);

/*
 * Like draw_text, but a cut takes out the middle and keeps the last
 * tail_cols columns (0: half): "shop.example/acc…/settings".
 */
int draw_text_middle(struct ui_app *app, int y, int x, int w, const char *s,
                     unsigned attr, int tail_cols);

/*
 * A script position, "URL:line", or "URL:line:col" when col > 0, in w
 * columns: a cut takes out the path and keeps the file name and the
 * position ("http://127.0…/nested.html:8"), which tell scripts apart;
 * with no room for the whole file name, its end ("…ted.html:8").
 */
int draw_script_at(struct ui_app *app, int y, int x, int w, const char *script,
                   long line, long col, unsigned attr);

/* Fill w columns at (y, x) with spaces in attr. */
void draw_fill(int y, int x, int w, int attr);

/* A pane frame with a title in the top border. */
void draw_box(struct ui_app *app, int y, int x, int h, int w,
              const char *title, int focused);

/* Trusted, program-made text (labels, numbers): plain addnstr. */
int draw_label(int y, int x, int w, const char *s, int attr);

#endif
