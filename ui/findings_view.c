/*
 * findings_view.c - view 5: the findings (suggested by analysis or marked
 * by the analyst) with severity, status, subject, title and note; and the
 * glue between the mark form / unmark key and src/findings.c, which writes
 * every change to the workspace at once.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "draw.h"
#include "export.h"
#include "findings.h"
#include "mem.h"
#include "outfile.h"
#include "screen.h"
#include "store_ui.h"
#include "ui.h"

#define FINDINGS_SEARCH_MAX 50000

struct frow {
    int64_t id, subject_id;
    char *kind, *label, *rule, *severity, *status, *title, *note, *updated;
};

struct findings {
    struct ui_pager pager;
    struct frow rows[UI_PAGE_MAX];
    int n;
    int top_y;
};

static struct findings *
fnstate(struct ui_app *app)
{
    return app->view_state[UI_VIEW_FINDINGS];
}

struct keys_ctx {
    int64_t *keys;
    int n, max;
};

static int
key_of(const struct pm_finding_row *r, void *ctx)
{
    struct keys_ctx *k = ctx;
    k->keys[k->n++] = r->id;
    return k->n >= k->max;
}

static int
findings_fetch(struct ui_app *app, int64_t after, int backward, int limit,
               int64_t *keys)
{
    struct keys_ctx k = {keys, 0, limit};
    struct pm_err err = PM_ERR_INIT;
    if (!backward && after < 0)
        after = 0;
    if (limit > 0)
        store_ui_page_findings(app->st, after, backward, limit, key_of, &k,
                               &err);
    return k.n;
}

static void
frow_free(struct frow *r)
{
    free(r->kind);
    free(r->label);
    free(r->rule);
    free(r->severity);
    free(r->status);
    free(r->title);
    free(r->note);
    free(r->updated);
    memset(r, 0, sizeof *r);
}

static int
frow_load(const struct pm_finding_row *f, void *ctx)
{
    struct findings *s = ctx;
    struct frow *r = &s->rows[s->n++];
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
    return s->n >= UI_PAGE_MAX;
}

static void
findings_load(struct ui_app *app, struct findings *s, int h)
{
    if (!pager_page_stale(&s->pager, &h))
        return;
    for (int i = 0; i < s->n; i++)
        frow_free(&s->rows[i]);
    s->n = 0;
    struct pm_err err = PM_ERR_INIT;
    int64_t after = s->pager.top == INT64_MIN ? 0 : s->pager.top - 1;
    if (h > 0 && store_ui_page_findings(app->st, after, 0, h, frow_load, s,
                                        &err) != PM_OK)
        ui_status(app, 1, "%s", err.msg);
    pager_page_loaded(&s->pager, s->n, h);
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
    struct findings *s = fnstate(app);
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
    s->pager.height = lh - 1;
    s->top_y = top + 1;
    findings_load(app, s, lh - 1);
    if (s->n == 0)
        draw_label(top + 2, 2, w - 2,
                   "no findings yet: m marks the selected message, listener, edge or window",
                   A_DIM);
    for (int i = 0; i < s->n && i < lh - 1; i++) {
        const struct frow *r = &s->rows[i];
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
        const struct frow *r = &s->rows[s->pager.sel];
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
            draw_text(app, y + 1, 1 + x, w - x - 1, r->rule, A_DIM, TT_ELLIPSIS);
        }
        draw_text(app, y + 2, 1, w - 2, r->note && r->note[0] ? r->note : "(no note)",
                  r->note && r->note[0] ? A_NORMAL : A_DIM, TT_ELLIPSIS);
    }
}

static void
findings_init(struct ui_app *app)
{
    struct findings *s = xcalloc(1, sizeof *s);
    s->pager.fetch = findings_fetch;
    pager_reset(&s->pager);
    app->view_state[UI_VIEW_FINDINGS] = s;
}

static void
findings_fini(struct ui_app *app)
{
    struct findings *s = fnstate(app);
    for (int i = 0; i < s->n; i++)
        frow_free(&s->rows[i]);
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
    struct findings *s = fnstate(app);
    findings_load(app, s, s->pager.height > 0 ? s->pager.height : 1);
    return s->n ? &s->rows[s->pager.sel] : NULL;
}

int
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
    if (strcmp(r->kind, "message") == 0) {
        char expr[64];
        snprintf(expr, sizeof expr, "id:%lld", (long long)r->subject_id);
        return ui_show_messages(app, expr, UI_PANE_DETAIL, NULL);
    }
    if (strcmp(r->kind, "listener") == 0) {
        listeners_show(app, r->subject_id);
        return ui_switch_view(app, UI_VIEW_LISTENERS);
    }
    ui_status(app, 0, "subject: %s (view 3 lists windows, 4 listeners, 2 the edges)",
              r->label ? r->label : r->kind);
    return UI_REDRAW;
}

static int
findings_click(struct ui_app *app, int y, int x, int wheel)
{
    (void)x;
    struct findings *s = fnstate(app);
    if (wheel)
        return pager_move(app, &s->pager, 3 * wheel);
    int row = y - s->top_y;
    if (row >= 0 && row < s->n)
        s->pager.sel = row;
    return UI_REDRAW;
}

static int
findings_search(struct ui_app *app, const char *text, int dir)
{
    struct findings *s = fnstate(app);
    int64_t h = s->pager.height > 0 ? s->pager.height : 1;
    for (int64_t i = s->pager.sel + dir; i >= 0 && i < s->n; i += dir) {
        const struct frow *r = &s->rows[i];
        if ((r->title && strcasestr(r->title, text)) ||
            (r->note && strcasestr(r->note, text)) ||
            (r->severity && strcasecmp(r->severity, text) == 0)) {
            s->pager.sel = (int)i;
            return UI_REDRAW;
        }
    }
    (void)h;
    ui_status(app, 1, "no %s finding on this page matches '%s'",
              dir > 0 ? "later" : "earlier", text);
    return UI_REDRAW;
}

/* ---- marking ------------------------------------------------------------ */

/* The finding that m on a subject should edit: its hand mark, else the
 * first suggestion that is not dismissed. */
struct subject_pick {
    int64_t hand_id, suggested_id;
    char severity[16], note[512], title[200];
    int hand_done, suggested_done, suggested_pending;
};

static int
subject_pick_row(const struct pm_finding_row *r, void *ctx)
{
    struct subject_pick *p = ctx;
    if (r->status && strcmp(r->status, "dismissed") == 0)
        return 0;
    if (r->rule == NULL && !p->hand_done) {
        p->hand_done = 1;
        p->hand_id = r->id;
        snprintf(p->severity, sizeof p->severity, "%s",
                 r->severity ? r->severity : "medium");
        snprintf(p->note, sizeof p->note, "%s", r->note ? r->note : "");
    } else if (r->rule != NULL && !p->suggested_done && !p->hand_done) {
        p->suggested_done = 1;
        p->suggested_id = r->id;
        p->suggested_pending = r->status && strcmp(r->status, "suggested") == 0;
        snprintf(p->severity, sizeof p->severity, "%s",
                 r->severity ? r->severity : "medium");
        /* A pending suggestion's note is the analysis' evidence, not the
         * analyst's words: the form starts empty and keeps it if left so. */
        snprintf(p->note, sizeof p->note, "%s",
                 p->suggested_pending || r->note == NULL ? "" : r->note);
        snprintf(p->title, sizeof p->title, "%s", r->title ? r->title : "");
    }
    return 0;
}

/*
 * m on a message, listener or edge that analysis already flagged confirms
 * that finding (its title and severity say what is wrong, which a fresh
 * hand mark would not); on a subject marked by hand it edits that mark.
 */
static void
subject_attach_finding(struct ui_app *app, struct ui_subject *out)
{
    struct subject_pick p;
    struct pm_err err = PM_ERR_INIT;
    char key[48];
    const char *keyp = NULL;
    memset(&p, 0, sizeof p);
    if (strcmp(out->kind, "edge") == 0) {
        snprintf(key, sizeof key, "%lld>%lld", (long long)out->id,
                 (long long)out->to_id);
        keyp = key;
    }
    if (store_each_subject_finding(app->st, out->kind, out->id, keyp,
                                   subject_pick_row, &p, &err) != PM_OK)
        return;
    if (p.hand_done) {
        snprintf(out->severity, sizeof out->severity, "%s", p.severity);
        snprintf(out->note, sizeof out->note, "%s", p.note);
    } else if (p.suggested_done) {
        out->finding_id = p.suggested_id;
        out->suggested = 1;
        out->keep_note = p.suggested_pending;
        snprintf(out->severity, sizeof out->severity, "%s", p.severity);
        snprintf(out->note, sizeof out->note, "%s", p.note);
        snprintf(out->title, sizeof out->title, "%s", p.title);
    }
}

int
ui_selected_subject(struct ui_app *app, struct ui_subject *out)
{
    int ok;
    switch (app->view) {
    case UI_VIEW_MESSAGES: ok = msglist_subject(app, out); break;
    case UI_VIEW_LISTENERS: ok = listeners_subject(app, out); break;
    case UI_VIEW_FRAMES: ok = frames_subject(app, out); break;
    case UI_VIEW_GRAPH: ok = graph_subject(app, out); break;
    case UI_VIEW_FLOW: ok = flowview_subject(app, out); break;
    case UI_VIEW_FINDINGS: return findings_subject(app, out);
    default: return 0;
    }
    if (ok && out->kind && out->finding_id == 0)
        subject_attach_finding(app, out);
    return ok;
}

int
findings_save_mark(struct ui_app *app, const struct ui_subject *s,
                   const char *severity, const char *note)
{
    struct pm_err err = PM_ERR_INIT;
    if (s->finding_id > 0) {
        if (findings_set_severity(app->st, s->finding_id, severity, &err) ||
            ((note[0] || !s->keep_note) &&
             findings_set_note(app->st, s->finding_id, note, &err)) ||
            findings_set_status(app->st, s->finding_id, "confirmed", &err)) {
            ui_status(app, 1, "%s", err.msg);
            return UI_REDRAW;
        }
        ui_status(app, 0, "finding #%lld confirmed as %s",
                  (long long)s->finding_id, severity);
        return UI_REDRAW | UI_INVALIDATE;
    }
    struct pm_subject subj = {s->kind, s->id, s->to_id};
    int64_t fid = 0;
    int created = 0;
    if (findings_mark(app->st, &subj, severity, s->title, note, &fid, &created,
                      &err) != PM_OK) {
        ui_status(app, 1, "%s", err.msg);
        return UI_REDRAW;
    }
    ui_status(app, 0, "%s %s #%lld as %s (finding #%lld)",
              created ? "marked" : "updated", s->kind, (long long)s->id,
              severity, (long long)fid);
    return UI_REDRAW | UI_INVALIDATE;
}

int
findings_unmark_selected(struct ui_app *app)
{
    struct ui_subject s;
    struct pm_err err = PM_ERR_INIT;
    if (!ui_selected_subject(app, &s)) {
        ui_status(app, 1, "nothing selected to unmark");
        return UI_REDRAW;
    }
    if (s.finding_id > 0) {
        /* Suggested findings are dismissed (kept as a decision); hand marks go. */
        enum pm_rc rc = s.suggested
                            ? findings_set_status(app->st, s.finding_id,
                                                  "dismissed", &err)
                            : findings_unmark(app->st, s.finding_id, &err);
        if (rc != PM_OK) {
            ui_status(app, 1, "%s", err.msg);
            return UI_REDRAW;
        }
        ui_status(app, 0, "finding #%lld %s", (long long)s.finding_id,
                  s.suggested ? "dismissed" : "removed");
        return UI_REDRAW | UI_INVALIDATE;
    }
    struct pm_subject subj = {s.kind, s.id, s.to_id};
    int removed = 0;
    if (findings_unmark_subject(app->st, &subj, &removed, &err) != PM_OK) {
        ui_status(app, err.rc != PM_ERR_NOTFOUND, "%s",
                  err.rc == PM_ERR_NOTFOUND ? "nothing marked here" : err.msg);
        return UI_REDRAW;
    }
    ui_status(app, 0, "unmarked %s #%lld (%d finding%s removed)", s.kind,
              (long long)s.id, removed, removed == 1 ? "" : "s");
    return UI_REDRAW | UI_INVALIDATE;
}

/*
 * Write the Markdown report of confirmed findings (redacted) to path
 * through outfile: never over the workspace, a symlink or a device, and
 * over an existing file only when the user said so (overwrite).
 */
int
findings_export(struct ui_app *app, const char *path, int overwrite)
{
    struct pm_export_opts o = {0};
    struct pm_err err = PM_ERR_INIT;
    long count = 0;
    o.status_mask = PM_FST_CONFIRMED;
    o.redact = 1;
    o.format = PM_EXPORT_MD;
    const char *slash = app->ws_path ? strrchr(app->ws_path, '/') : NULL;
    o.workspace_name = slash ? slash + 1 : app->ws_path;
    o.out_name = path;
    struct pm_outfile of;
    if (outfile_open(&of, path, app->ws_path, 0644,
                     overwrite ? PM_OUT_OVERWRITE : 0, &err) == PM_OK) {
        if (export_report(app->st, &o, of.fp, &count, &err) == PM_OK)
            outfile_commit(&of, &err);
        else
            outfile_discard(&of);
    }
    if (err.rc != PM_OK) {
        char msg[700];
        pm_err_format(&err, msg, sizeof msg);
        ui_status(app, 1, "export failed: %s", msg);
    } else {
        ui_status(app, 0, "wrote %ld confirmed finding%s to %s (redacted)",
                  count, count == 1 ? "" : "s", path);
    }
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
    .invalidate = findings_invalidate,
    .fini = findings_fini,
};
