/*
 * code_pane.h - the lower pane of views 4 and 7: code laid out as
 * written or re-indented (js_pretty.h), each line with the script line
 * it starts on, and the lines holding the marks of code_marks.h (an
 * origin check, sinks, a postMessage call) marked at their right end.
 * J/K and Left/Right scroll it, p switches the layout; lines after the
 * code (a recorded stack) scroll with it.  A view owns one struct
 * ui_code_pane in its state and draws its own title above the lines.
 */
#ifndef PM_UI_CODE_PANE_H
#define PM_UI_CODE_PANE_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "js_pretty.h"

/* What to show: code starting at line:col of its script, and its marks. */
struct code_pane_text {
    const char *code;
    size_t len;
    long line, col;             /* where code starts in its script */
    long check_line, check_col; /* an origin check (0: none) */
    unsigned sinks;             /* enum pm_sink bits to mark */
    long call;                  /* offset in code of a call to mark, -1: none */
};

struct ui_code_pane {
    int64_t id;        /* object whose code this is (0: none) */
    int stale;         /* the workspace changed: load it again */
    char *code;        /* NULL: no code */
    struct code_pane_text text; /* text.code is code */
    int pretty;        /* shown re-indented (p switches) */
    struct js_lines lines;
    long *line_no;     /* script line each shown line starts on */
    unsigned *marks;   /* per shown line: CODE_MARK_* and sink bits */
    int widest;        /* columns of the widest line */
    char **after;      /* lines shown below the code (a stack), n_after */
    int *after_heading;
    int n_after;
    int top;           /* first line shown (J, K) */
    int x;             /* columns scrolled right (Left, Right) */
    int h, w;          /* rows and text columns in the last draw */
};

/* 1 when object id is not the one loaded, or the workspace changed. */
int code_pane_wants(const struct ui_code_pane *p, int64_t id);
/*
 * Show t (copied) as object id's code.  The same object keeps its layout
 * and scroll position; another starts laid out by the rule (minified
 * code re-indented), at the top, or with its call a third down the pane.
 * The lines below the code are dropped.
 */
void code_pane_show(struct ui_app *app, struct ui_code_pane *p, int64_t id,
                    const struct code_pane_text *t);
/* Add a line below the code (heading: drawn as a heading). */
void code_pane_add_after(struct ui_code_pane *p, const char *line,
                         int heading);
/* "[pretty-printed]" or "[as written]". */
const char *code_pane_mode(const struct ui_code_pane *p);
/* Paint the lines from top at screen rows [y, y + h). */
void code_pane_draw(struct ui_app *app, struct ui_code_pane *p, int y, int h);
/* Scroll by lines and cols, never past the last line or the widest. */
int code_pane_scroll(struct ui_code_pane *p, int lines, int cols);
/* p: the other layout, the line at the top staying in view. */
int code_pane_toggle(struct ui_app *app, struct ui_code_pane *p);
void code_pane_release(struct ui_code_pane *p);

#endif
