/*
 * prompt.c - the bottom-line editor (filter with history and an error
 * caret, list search, export path) and the mark form (severity, note).
 * While open they take every key; the rest of the screen keeps drawing
 * underneath.  A filter with a syntax error is not applied: the previous
 * filter stays active and a caret points at the column of the error.
 */
#include "prompt.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "filter.h"
#include "mem.h"
#include "outfile.h"
#include "screen.h"
#include "term_text.h"

#define PROMPT_MAX 1024
#define PROMPT_HISTORY 64

/* Editable text with a byte cursor that stays on UTF-8 boundaries. */
struct line_edit {
    char buf[PROMPT_MAX + 1];
    size_t len, cur;
    int fresh;  /* pre-filled and untouched: typing replaces it */
};

struct ui_prompt {
    int active, kind;
    struct line_edit ed;
    char *hist[PROMPT_HISTORY];
    int nhist, hist_pos;
    int err_shown;
    long err_col;
    char err_msg[600];
    struct ui_subject unmark;  /* UI_PROMPT_DELETE: what y deletes */
    char question[800];
};

static const char *const severities[] = {"critical", "high", "medium", "low",
                                         "info"};
#define NSEV 5

struct ui_form {
    struct ui_subject subj;
    int sev;
    int field;  /* 0 severity, 1 note */
    struct line_edit note;
};

/* ---- line editing ------------------------------------------------------- */

static void
edit_set(struct line_edit *e, const char *s)
{
    snprintf(e->buf, sizeof e->buf, "%s", s ? s : "");
    e->len = strlen(e->buf);
    e->cur = e->len;
    e->fresh = 0;
}

static int
is_cont(char c)
{
    return ((unsigned char)c & 0xC0) == 0x80;
}

/* Apply an editing key; returns 1 when the key was an edit. */
static int
edit_key(struct line_edit *e, int key)
{
    int fresh = e->fresh;
    e->fresh = 0;
    switch (key) {
    case KEY_LEFT:
        while (e->cur > 0 && is_cont(e->buf[--e->cur]))
            ;
        return 1;
    case KEY_RIGHT:
        if (e->cur < e->len)
            while (++e->cur < e->len && is_cont(e->buf[e->cur]))
                ;
        return 1;
    case KEY_HOME:
    case 1: /* ^A */
        e->cur = 0;
        return 1;
    case KEY_END:
    case 5: /* ^E */
        e->cur = e->len;
        return 1;
    case 21: /* ^U */
        memmove(e->buf, e->buf + e->cur, e->len - e->cur + 1);
        e->len -= e->cur;
        e->cur = 0;
        return 1;
    case 11: /* ^K */
        e->len = e->cur;
        e->buf[e->len] = '\0';
        return 1;
    case KEY_BACKSPACE:
    case 127:
    case 8: {
        if (e->cur == 0)
            return 1;
        size_t start = e->cur;
        while (start > 0 && is_cont(e->buf[--start]))
            ;
        memmove(e->buf + start, e->buf + e->cur, e->len - e->cur + 1);
        e->len -= e->cur - start;
        e->cur = start;
        return 1;
    }
    case KEY_DC: {
        if (e->cur >= e->len)
            return 1;
        size_t end = e->cur + 1;
        while (end < e->len && is_cont(e->buf[end]))
            end++;
        memmove(e->buf + e->cur, e->buf + end, e->len - end + 1);
        e->len -= end - e->cur;
        return 1;
    }
    case 23: { /* ^W: delete the word before the cursor */
        size_t start = e->cur;
        while (start > 0 && e->buf[start - 1] == ' ')
            start--;
        while (start > 0 && e->buf[start - 1] != ' ')
            start--;
        memmove(e->buf + start, e->buf + e->cur, e->len - e->cur + 1);
        e->len -= e->cur - start;
        e->cur = start;
        return 1;
    }
    default:
        break;
    }
    if (key >= 32 && key < 256 && key != 127 && fresh) {
        e->len = e->cur = 0;
        e->buf[0] = '\0';
    }
    if (key >= 32 && key < 256 && key != 127 && e->len < PROMPT_MAX) {
        memmove(e->buf + e->cur + 1, e->buf + e->cur, e->len - e->cur + 1);
        e->buf[e->cur++] = (char)key;
        e->len++;
        return 1;
    }
    return 0;
}

/*
 * Draw the text of e at (y, x) in w columns with the cursor visible:
 * when the text is wider, it scrolls so the cursor stays on screen.
 * *start_out receives the first byte shown.  Returns the cursor column.
 */
static int
edit_draw(struct ui_app *app, const struct line_edit *e, int y, int x, int w,
          int attr, size_t *start_out)
{
    size_t start = 0;
    while (start < e->cur &&
           term_text_width(e->buf + start, e->cur - start, app->tt_flags) >=
               (size_t)(w > 1 ? w - 1 : 1)) {
        start++;
        while (start < e->cur && is_cont(e->buf[start]))
            start++;
    }
    draw_textn(app, y, x, w, e->buf + start, e->len - start, attr, 0);
    if (start_out)
        *start_out = start;
    return x + (int)term_text_width(e->buf + start, e->cur - start,
                                    app->tt_flags);
}

/* ---- the prompt --------------------------------------------------------- */

static struct ui_prompt *
prompt_get(struct ui_app *app)
{
    if (app->prompt == NULL)
        app->prompt = xcalloc(1, sizeof *app->prompt);
    return app->prompt;
}

int
prompt_open(struct ui_app *app, int kind)
{
    struct ui_prompt *p = prompt_get(app);
    p->active = 1;
    p->kind = kind;
    p->err_shown = 0;
    p->hist_pos = p->nhist;
    switch (kind) {
    case UI_PROMPT_FILTER: edit_set(&p->ed, app->filter_text); break;
    case UI_PROMPT_SEARCH: edit_set(&p->ed, app->search); break;
    default: edit_set(&p->ed, "pmscope-report.md"); break;
    }
    /* The previous text is offered selected, as in a browser's address
     * bar: typing replaces it, an editing key keeps it. */
    p->ed.fresh = p->ed.len > 0;
    curs_set(1);
    return UI_REDRAW;
}

int
prompt_open_unmark(struct ui_app *app)
{
    struct ui_subject s;
    if (!ui_selected_subject(app, &s)) {
        ui_status(app, 1, "nothing selected to unmark");
        return UI_REDRAW;
    }
    if (!action_unmark_deletes(&s))
        return action_unmark(app, &s);
    struct ui_prompt *p = prompt_get(app);
    p->active = 1;
    p->kind = UI_PROMPT_DELETE;
    p->err_shown = 0;
    p->unmark = s;
    char what[64];
    if (s.finding_id > 0)
        snprintf(what, sizeof what, "finding #%lld", (long long)s.finding_id);
    else
        snprintf(what, sizeof what, "the mark on %s #%lld", s.kind,
                 (long long)s.id);
    snprintf(p->question, sizeof p->question, "Delete %s (%s%s%s)",
             what, s.severity, s.note[0] ? ", note: " : ", no note", s.note);
    return UI_REDRAW;
}

int
prompt_active(const struct ui_app *app)
{
    return app->prompt && app->prompt->active;
}

static void
prompt_close(struct ui_app *app)
{
    app->prompt->active = 0;
    curs_set(0);
}

static void
history_add(struct ui_prompt *p, const char *s)
{
    if (s[0] == '\0')
        return;
    if (p->nhist > 0 && strcmp(p->hist[p->nhist - 1], s) == 0)
        return;
    if (p->nhist == PROMPT_HISTORY) {
        free(p->hist[0]);
        memmove(p->hist, p->hist + 1, (PROMPT_HISTORY - 1) * sizeof p->hist[0]);
        p->nhist--;
    }
    p->hist[p->nhist++] = xstrdup(s);
}

static int
prompt_apply(struct ui_app *app, struct ui_prompt *p)
{
    struct pm_err err = PM_ERR_INIT;
    switch (p->kind) {
    case UI_PROMPT_FILTER:
        if (ui_set_filter(app, p->ed.buf, &err) != PM_OK) {
            p->err_shown = 1;
            p->err_col = err.col;
            snprintf(p->err_msg, sizeof p->err_msg, "%s", err.msg);
            ui_status(app, 1, "filter not applied: %s", err.msg);
            return UI_REDRAW;
        }
        history_add(p, p->ed.buf);
        prompt_close(app);
        if (app->filter)
            ui_status(app, 0, "filter applied");
        else
            ui_status(app, 0, "filter cleared");
        app->pane = UI_PANE_LIST;
        return UI_REDRAW;
    case UI_PROMPT_SEARCH: {
        snprintf(app->search, sizeof app->search, "%s", p->ed.buf);
        history_add(p, p->ed.buf);
        prompt_close(app);
        const struct pm_screen *s = ui_current(app);
        if (app->search[0] && s->search)
            return s->search(app, app->search, 1) | UI_REDRAW;
        return UI_REDRAW;
    }
    case UI_PROMPT_EXPORT:
        switch (outfile_target(p->ed.buf, app->ws_path, &err)) {
        case PM_OUT_REFUSED: {
            /* Keep the prompt open so the name can be corrected. */
            pm_err_format(&err, p->err_msg, sizeof p->err_msg);
            p->err_shown = 1;
            p->err_col = 0;
            ui_status(app, 1, "not exported: %s", p->err_msg);
            return UI_REDRAW;
        }
        case PM_OUT_EXISTS:
            p->kind = UI_PROMPT_OVERWRITE;
            curs_set(0);
            return UI_REDRAW;
        case PM_OUT_NEW:
            break;
        }
        prompt_close(app);
        return report_export_write(app, p->ed.buf, 0) | UI_REDRAW;
    default:
        prompt_close(app);
        return report_export_write(app, p->ed.buf, 1) | UI_REDRAW;
    }
}

/* The overwrite question: y replaces, anything else goes back to the name. */
static int
overwrite_key(struct ui_app *app, struct ui_prompt *p, int key)
{
    if (key == 'y' || key == 'Y')
        return prompt_apply(app, p);
    if (key == KEY_RESIZE)
        return UI_REDRAW;
    p->kind = UI_PROMPT_EXPORT;
    curs_set(1);
    return UI_REDRAW;
}

/* The delete question: y deletes, any other key keeps the finding. */
static int
delete_key(struct ui_app *app, struct ui_prompt *p, int key)
{
    if (key == KEY_RESIZE)
        return UI_REDRAW;
    prompt_close(app);
    if (key == 'y' || key == 'Y')
        return action_unmark(app, &p->unmark);
    ui_status(app, 0, "kept; nothing deleted");
    return UI_REDRAW;
}

int
prompt_key(struct ui_app *app, int key)
{
    struct ui_prompt *p = app->prompt;
    if (p->kind == UI_PROMPT_OVERWRITE)
        return overwrite_key(app, p, key);
    if (p->kind == UI_PROMPT_DELETE)
        return delete_key(app, p, key);
    if (key == KEY_RESIZE)
        return UI_REDRAW;
    if (key == 27 || key == 3 || key == 7) {
        prompt_close(app);
        ui_status(app, 0, "cancelled%s", app->filter && p->kind == UI_PROMPT_FILTER
                                             ? "; the previous filter stays" : "");
        return UI_REDRAW;
    }
    if (key == '\n' || key == '\r' || key == KEY_ENTER)
        return prompt_apply(app, p);
    if (key == KEY_UP || key == KEY_DOWN) {
        int pos = p->hist_pos + (key == KEY_UP ? -1 : 1);
        if (pos >= 0 && pos < p->nhist) {
            p->hist_pos = pos;
            edit_set(&p->ed, p->hist[pos]);
        } else if (pos >= p->nhist) {
            p->hist_pos = p->nhist;
            edit_set(&p->ed, "");
        }
        p->err_shown = 0;
        return UI_REDRAW;
    }
    if (edit_key(&p->ed, key)) {
        p->err_shown = 0;
        return UI_REDRAW;
    }
    return UI_HANDLED;
}

/* Display column of the 1-based character column col in s (from start). */
static int
char_col_to_x(struct ui_app *app, const char *s, size_t start, long col)
{
    size_t i = 0;
    long c = 1;
    while (s[i] && c < col) {
        i++;
        while (s[i] && is_cont(s[i]))
            i++;
        c++;
    }
    if (i < start)
        return -1;
    return (int)term_text_width(s + start, i - start, app->tt_flags);
}

void
prompt_draw(struct ui_app *app)
{
    struct ui_prompt *p = app->prompt;
    int y = app->rows - 2;
    if (p->kind == UI_PROMPT_OVERWRITE) {
        draw_fill(y, 0, app->cols, A_NORMAL);
        draw_fill(y + 1, 0, app->cols, A_NORMAL);
        int x = draw_text(app, y, 0, app->cols, p->ed.buf, A_BOLD, TT_ELLIPSIS);
        draw_label(y, x, app->cols - x, " exists. Replace it? (y/n)", A_BOLD);
        draw_label(y + 1, 0, app->cols,
                   "y replace the file  any other key: back to the name",
                   A_DIM);
        return;
    }
    if (p->kind == UI_PROMPT_DELETE) {
        draw_fill(y, 0, app->cols, A_NORMAL);
        draw_fill(y + 1, 0, app->cols, A_NORMAL);
        int x = draw_text(app, y, 0, app->cols - 8, p->question, A_BOLD,
                          TT_ELLIPSIS);
        draw_label(y, x, app->cols - x, "? (y/n)", A_BOLD);
        draw_label(y + 1, 0, app->cols,
                   "y delete the finding and its note  any other key: keep it",
                   A_DIM);
        return;
    }
    const char *label = p->kind == UI_PROMPT_FILTER   ? "filter: "
                        : p->kind == UI_PROMPT_SEARCH ? "search: "
                                                      : "export to: ";
    draw_fill(y, 0, app->cols, A_NORMAL);
    draw_fill(y + 1, 0, app->cols, A_NORMAL);
    int lx = draw_label(y, 0, app->cols, label, A_BOLD);
    size_t start = 0;
    int cx = edit_draw(app, &p->ed, y, lx, app->cols - lx,
                       p->ed.fresh ? A_REVERSE : A_NORMAL, &start);
    if (p->err_shown) {
        int ex = char_col_to_x(app, p->ed.buf, start, p->err_col);
        int err = draw_attr(app, UI_ROLE_ERROR);
        if (ex >= 0 && lx + ex < app->cols) {
            draw_label(y + 1, lx + ex, 1, "^", err);
            draw_text(app, y + 1, lx + ex + 2, app->cols - lx - ex - 2,
                      p->err_msg, err, TT_ELLIPSIS);
        } else {
            draw_text(app, y + 1, 0, app->cols, p->err_msg, err, TT_ELLIPSIS);
        }
    } else {
        const char *hint =
            p->kind == UI_PROMPT_FILTER
                ? "Enter apply  Esc cancel  Up/Down history  ^U clear   "
                  "e.g. from:a.example and target:* and not check:strict"
                : p->kind == UI_PROMPT_SEARCH
                      ? "Enter search (n/N repeat)  Esc cancel"
                      : "Enter write the Markdown report  Esc cancel";
        if (p->ed.fresh)
            hint = p->kind == UI_PROMPT_EXPORT
                       ? "Enter write the Markdown report  typing replaces "
                         "the name, Left/End edit it  Esc cancel"
                       : "Enter keep it  typing replaces it, Left/End edit it  "
                         "Up/Down history  Esc cancel";
        draw_label(y + 1, 0, app->cols, hint, A_DIM);
    }
    move(y, cx < app->cols ? cx : app->cols - 1);
}

void
prompt_free(struct ui_app *app)
{
    struct ui_prompt *p = app->prompt;
    if (p == NULL)
        return;
    for (int i = 0; i < p->nhist; i++)
        free(p->hist[i]);
    free(p);
    app->prompt = NULL;
}

/* ---- the mark form ------------------------------------------------------ */

int
form_open_mark(struct ui_app *app)
{
    struct ui_subject s;
    if (!ui_selected_subject(app, &s)) {
        ui_status(app, 1, "nothing to mark here: select a message, listener, "
                          "message edge or finding");
        return UI_REDRAW;
    }
    struct ui_form *f = xcalloc(1, sizeof *f);
    f->subj = s;
    f->sev = 2;
    for (int i = 0; i < NSEV; i++)
        if (s.severity[0] && strcmp(s.severity, severities[i]) == 0)
            f->sev = i;
    edit_set(&f->note, s.note);
    f->field = 0;
    app->form = f;
    return UI_REDRAW;
}

void
form_free(struct ui_app *app)
{
    free(app->form);
    app->form = NULL;
    curs_set(0);
}

int
form_key(struct ui_app *app, int key)
{
    struct ui_form *f = app->form;
    switch (key) {
    case KEY_RESIZE:
        return UI_REDRAW;
    case 27:
    case 3:
        form_free(app);
        ui_status(app, 0, "not marked");
        return UI_REDRAW;
    case '\n':
    case '\r':
    case KEY_ENTER: {
        struct ui_subject s = f->subj;
        char note[PROMPT_MAX + 1];
        const char *sev = severities[f->sev];
        snprintf(note, sizeof note, "%s", f->note.buf);
        form_free(app);
        return action_save_mark(app, &s, sev, note);
    }
    case '\t':
    case KEY_BTAB:
    case KEY_UP:
    case KEY_DOWN:
        f->field = !f->field;
        curs_set(f->field);
        return UI_REDRAW;
    default:
        break;
    }
    if (f->field == 0) {
        if (key == KEY_LEFT && f->sev > 0)
            f->sev--;
        else if (key == KEY_RIGHT && f->sev < NSEV - 1)
            f->sev++;
        else if (key >= '1' && key <= '5')
            f->sev = key - '1';
        else if (key >= 32 && key < 127) {
            /* Typing starts the note. */
            f->field = 1;
            curs_set(1);
            edit_key(&f->note, key);
        }
        return UI_REDRAW;
    }
    edit_key(&f->note, key);
    return UI_REDRAW;
}

void
form_draw(struct ui_app *app)
{
    struct ui_form *f = app->form;
    int w = app->cols - 4 < 76 ? app->cols - 4 : 76;
    int h = 8;
    int y = (app->rows - h) / 2, x = (app->cols - w) / 2;
    for (int i = 0; i < h; i++)
        draw_fill(y + i, x, w, A_NORMAL);
    draw_box(app, y, x, h, w, f->subj.finding_id ? "Confirm finding" : "Mark finding", 1);
    draw_text(app, y + 1, x + 2, w - 4, f->subj.title, A_BOLD, TT_ELLIPSIS);
    int cx = x + 2;
    cx += draw_label(y + 3, cx, w - 4, "Severity: ", f->field == 0 ? A_BOLD : A_NORMAL);
    for (int i = 0; i < NSEV && cx < x + w - 2; i++) {
        char item[16];
        snprintf(item, sizeof item, i == f->sev ? "[%s]" : " %s ", severities[i]);
        int a = i == f->sev ? draw_severity_attr(app, severities[i]) | A_REVERSE
                            : A_NORMAL;
        cx += draw_label(y + 3, cx, x + w - 2 - cx, item, a);
    }
    int nx = x + 2 + draw_label(y + 4, x + 2, w - 4, "Note:     ",
                                f->field == 1 ? A_BOLD : A_NORMAL);
    draw_fill(y + 4, nx, x + w - 2 - nx, A_UNDERLINE);
    int ccol = edit_draw(app, &f->note, y + 4, nx, x + w - 2 - nx, A_UNDERLINE, NULL);
    draw_label(y + 6, x + 2, w - 4,
               "Left/Right or 1-5 severity  Tab note  Enter save  Esc cancel",
               A_DIM);
    if (f->field == 1)
        move(y + 4, ccol);
}
