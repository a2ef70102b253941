/*
 * findings_view.c - view 5: the findings (suggested by analysis or marked
 * by the analyst) with severity, status, subject, title and note.  Its
 * subject is the selected finding, so m confirms or edits it and u
 * dismisses or removes it (actions.c).  The selected finding's line shows
 * the verdict of `pmscope verify` when it ran.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "draw.h"
#include "findings.h"
#include "idlist.h"
#include "mem.h"
#include "screen.h"
#include "store_ui.h"

#define FINDINGS_SEARCH_MAX 50000

struct frow {
    int64_t id, subject_id;
    char *kind, *label, *rule, *severity, *status, *title, *note, *updated;
    char *verify;   /* `pmscope verify`'s verdict, NULL when not run */
};

/* The view's state: the page of findings (idlist.h). */
static struct ui_idlist *
fnstate(struct ui_app *app)
{
    return app->view_state[UI_VIEW_FINDINGS];
}

static struct frow *
frow_at(struct ui_idlist *s, int i)
{
    return idlist_at(s, i);
}

static void
frow_free(void *row)
{
    struct frow *r = row;
    free(r->kind);
    free(r->label);
    free(r->rule);
    free(r->severity);
    free(r->status);
    free(r->title);
    free(r->note);
    free(r->updated);
    free(r->verify);
}

static int
frow_load(const struct pm_finding_row *f, void *ctx)
{
    struct frow *r = idlist_row(ctx, f->id);
    if (r) {
        r->id = f->id;
        r->subject_id = f->subject_id;
        r->kind = xstrdup0(f->subject_kind);
        r->label = findings_subject_label(f);
        r->rule = xstrdup0(f->rule);
        r->severity = xstrdup0(f->severity);
        r->status = xstrdup0(f->status);
        r->title = xstrdup0(f->title);
        r->note = xstrdup0(f->note);
        r->updated = xstrdup0(f->updated_at);
        r->verify = xstrdup0(f->verify_status);
    }
    return idlist_full(ctx);
}

static enum pm_rc
findings_read(struct ui_app *app, int64_t after, int backward, int limit,
              struct ui_idlist_read *rd, struct pm_err *err)
{
    return store_ui_page_findings(app->st, after, backward, limit, frow_load,
                                  rd, err);
}

static const struct ui_idlist_ops findings_list = {
    sizeof(struct frow), findings_read, frow_free,
};

static int
findings_fetch(struct ui_app *app, int64_t after, int backward, int limit,
               int64_t *keys)
{
    return idlist_keys(app, fnstate(app), after, backward, limit, keys);
}

/* The whole title on two rows, broken at a space when one is near. */
static void
findings_draw_title(struct ui_app *app, int y, int w, const char *title)
{
    if (title == NULL)
        return;
    size_t n = strlen(title), cut = 0, space = 0;
    while (cut < n) {
        size_t next = cut + 1;
        while (next < n && ((unsigned char)title[next] & 0xC0) == 0x80)
            next++;
        if (term_text_width(title, next, app->tt_flags) > (size_t)w)
            break;
        if (title[cut] == ' ')
            space = cut;
        cut = next;
    }
    if (cut < n && space > cut / 2)
        cut = space;
    draw_textn(app, y, 1, w, title, cut, A_BOLD, 0);
    while (cut < n && title[cut] == ' ')
        cut++;
    if (cut < n)
        draw_text(app, y + 1, 1, w, title + cut, A_BOLD, TT_ELLIPSIS);
}

static void
findings_draw(struct ui_app *app, int top, int height)
{
    struct ui_idlist *s = fnstate(app);
    int w = app->cols;
    int lh = height - 5;
    int sw = 9, stw = 10, jw = w / 5;
    int tw = w - sw - stw - jw - 10;
    int head = draw_attr(app, UI_ROLE_HEADING) | A_UNDERLINE;
    draw_fill(top, 0, w, head);
    draw_label(top, 1, 5, "  #", head);
    draw_label(top, 7, sw, "severity", head);
    draw_label(top, 7 + sw, stw, "status", head);
    draw_label(top, 7 + sw + stw, jw, "subject", head);
    draw_label(top, 8 + sw + stw + jw, tw, "title", head);
    pager_set_height(app, &s->pager, lh - 1);
    s->top_y = top + 1;
    idlist_load(app, s, lh - 1);
    if (s->n == 0)
        draw_label(top + 2, 2, w - 2,
                   "no findings yet: m marks the selected message, listener, edge or window",
                   A_DIM);
    for (int i = 0; i < s->n && i < lh - 1; i++) {
        const struct frow *r = frow_at(s, i);
        int y = top + 1 + i;
        int sel = i == s->pager.sel;
        int base = sel ? draw_attr(app, UI_ROLE_SEL) : A_NORMAL;
        int dismissed = r->status && strcmp(r->status, "dismissed") == 0;
        if (sel)
            draw_fill(y, 0, w, base);
        char num[32];
        snprintf(num, sizeof num, "%5lld", (long long)r->id);
        draw_label(y, 1, 5, num, base | A_DIM);
        draw_text(app, y, 7, sw - 1, r->severity,
                  base | (dismissed ? A_DIM : draw_severity_attr(app, r->severity)),
                  TT_ELLIPSIS);
        draw_text(app, y, 7 + sw, stw - 1, r->status,
                  base | (dismissed ? A_DIM : 0), TT_ELLIPSIS);
        draw_text(app, y, 7 + sw + stw, jw, r->label, base | A_DIM, TT_ELLIPSIS);
        draw_text(app, y, 8 + sw + stw + jw, tw, r->title,
                  base | (dismissed ? A_DIM : 0), TT_ELLIPSIS);
    }
    /* The selected finding: its whole title, who found it, its note. */
    int y = top + lh;
    draw_fill(y, 0, w, head);
    if (s->n == 0)
        draw_label(y, 1, w - 1, "finding", head);
    if (s->n > 0) {
        const struct frow *r = frow_at(s, s->pager.sel);
        char meta[128];
        snprintf(meta, sizeof meta, "finding #%lld  m: confirm/edit  "
                 "u: dismiss/remove  Enter: its subject", (long long)r->id);
        draw_label(y, 1, w - 1, meta, head);
        findings_draw_title(app, y + 1, w - 2, r->title);
        y += 2;
        snprintf(meta, sizeof meta, "%s, updated ",
                 r->rule ? "suggested by analysis" : "marked by hand");
        int x = draw_label(y + 1, 1, w - 1, meta, A_DIM);
        x += draw_text(app, y + 1, 1 + x, w - x - 1, r->updated, A_DIM, 0);
        if (r->rule) {
            x += draw_label(y + 1, 1 + x, w - x - 1, ", rule ", A_DIM);
            x += draw_text(app, y + 1, 1 + x, w - x - 1, r->rule, A_DIM, TT_ELLIPSIS);
        }
        if (r->verify && x < w - 2) {
            x += draw_label(y + 1, 1 + x, w - x - 1, ", in Chromium: ", A_DIM);
            draw_text(app, y + 1, 1 + x, w - x - 1, r->verify, A_NORMAL, TT_ELLIPSIS);
        }
        draw_text(app, y + 2, 1, w - 2, r->note && r->note[0] ? r->note : "(no note)",
                  r->note && r->note[0] ? A_NORMAL : A_DIM, TT_ELLIPSIS);
    }
}

static void
findings_init(struct ui_app *app)
{
    struct ui_idlist *s = xcalloc(1, sizeof *s);
    idlist_init(s, &findings_list, findings_fetch);
    app->view_state[UI_VIEW_FINDINGS] = s;
}

static void
findings_fini(struct ui_app *app)
{
    struct ui_idlist *s = fnstate(app);
    idlist_fini(s);
    free(s);
    app->view_state[UI_VIEW_FINDINGS] = NULL;
}

static void
findings_invalidate(struct ui_app *app)
{
    pager_page_drop(&fnstate(app)->pager);
}

static struct ui_pager *
findings_pager(struct ui_app *app)
{
    return &fnstate(app)->pager;
}

static const struct frow *
findings_selected(struct ui_app *app)
{
    return idlist_selected(app, fnstate(app));
}

static int
findings_subject(struct ui_app *app, struct ui_subject *out)
{
    const struct frow *r = findings_selected(app);
    if (r == NULL)
        return 0;
    memset(out, 0, sizeof *out);
    out->kind = "finding";
    out->id = r->subject_id;
    out->finding_id = r->id;
    snprintf(out->title, sizeof out->title, "%s", r->title ? r->title : "");
    snprintf(out->severity, sizeof out->severity, "%s",
             r->severity ? r->severity : "medium");
    out->suggested = r->rule != NULL;
    /* A pending suggestion's note is the analysis' evidence: the form
     * starts empty and an empty note keeps it. */
    out->keep_note = r->rule && r->status && strcmp(r->status, "suggested") == 0;
    snprintf(out->note, sizeof out->note, "%s",
             r->note && !out->keep_note ? r->note : "");
    return 1;
}

/* Enter: show the finding's subject where it lives. */
static int
findings_activate(struct ui_app *app)
{
    const struct frow *r = findings_selected(app);
    if (r == NULL || r->kind == NULL)
        return UI_HANDLED;
    struct ui_subject on = {.kind = r->kind, .id = r->subject_id};
    if (strcmp(r->kind, "message") == 0)
        return action_show_messages(app, &on, UI_PANE_DETAIL, NULL);
    if (strcmp(r->kind, "listener") == 0)
        return ui_open_view(app, UI_VIEW_LISTENERS, &on);
    if (strcmp(r->kind, "send_site") == 0)
        return ui_open_view(app, UI_VIEW_SENDS, &on);
    ui_status(app, 0, "subject: %s (view 3 lists windows, 4 listeners, 2 the edges)",
              r->label ? r->label : r->kind);
    return UI_REDRAW;
}

static int
findings_click(struct ui_app *app, int y, int x, int wheel)
{
    (void)x;
    return idlist_click(app, fnstate(app), y, wheel);
}

static int
findings_search(struct ui_app *app, const char *text, int dir)
{
    struct ui_idlist *s = fnstate(app);
    for (int i = s->pager.sel + dir; i >= 0 && i < s->n; i += dir) {
        const struct frow *r = frow_at(s, i);
        if ((r->title && strcasestr(r->title, text)) ||
            (r->note && strcasestr(r->note, text)) ||
            (r->severity && strcasecmp(r->severity, text) == 0)) {
            s->pager.sel = i;
            return UI_REDRAW;
        }
    }
    ui_status(app, 1, "no %s finding on this page matches '%s'",
              dir > 0 ? "later" : "earlier", text);
    return UI_REDRAW;
}

const struct pm_screen pm_screen_findings = {
    .name = "Findings",
    .init = findings_init,
    .draw = findings_draw,
    .pager = findings_pager,
    .activate = findings_activate,
    .click = findings_click,
    .search = findings_search,
    .subject = findings_subject,
    .invalidate = findings_invalidate,
    .fini = findings_fini,
};
