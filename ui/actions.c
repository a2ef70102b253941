/*
 * actions.c - what the keys do to the selection, whatever view it is in.
 * Each view says what its selection is (the subject callback of its
 * struct pm_screen); marking, unmarking, the flow of a message and the
 * messages of a listener, window or source work on that subject, so no
 * view needs another view's functions (another view opens view 7 on an
 * edge's send sites through action_show_send_sites).  Every change is written to the
 * workspace at once by src/findings.c.
 */
#include <stdio.h>
#include <string.h>

#include "findings.h"
#include "screen.h"
#include "store_ui.h"

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
    const struct pm_screen *view = ui_current(app);
    int ok = view->subject && view->subject(app, out);
    /* (The findings view's subject is a finding already.) */
    if (ok && out->kind && out->finding_id == 0)
        subject_attach_finding(app, out);
    return ok;
}

int
action_save_mark(struct ui_app *app, const struct ui_subject *s,
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
action_unmark_deletes(const struct ui_subject *s)
{
    /* A hand mark (no finding_id, but a severity from subject_pick) or a
     * finding of view 5 that analysis did not suggest. */
    return s->finding_id > 0 ? !s->suggested : s->severity[0] != '\0';
}

int
action_unmark(struct ui_app *app, const struct ui_subject *subject)
{
    struct ui_subject s = *subject;
    struct pm_err err = PM_ERR_INIT;
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

/* f: the flow of the selected message, in the flow view. */
int
action_flow(struct ui_app *app)
{
    struct ui_subject s;
    const struct pm_screen *view = ui_current(app);
    if (view->subject == NULL || !view->subject(app, &s) ||
        strcmp(s.kind, "message") != 0) {
        ui_status(app, 1, "no message selected");
        return UI_REDRAW;
    }
    return ui_open_view(app, UI_VIEW_FLOW, &s);
}

int
action_show_messages(struct ui_app *app, const struct ui_subject *s, int pane,
                     const char *status)
{
    static const struct { const char *kind, *term; } terms[] = {
        {"message", "id"},
        {"listener", "listener"},
        {"send_site", "send"},
        {"window", "window"},
        {"source", "source"},
    };
    for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++) {
        if (strcmp(s->kind, terms[i].kind) != 0)
            continue;
        char expr[64];
        snprintf(expr, sizeof expr, "%s:%lld", terms[i].term, (long long)s->id);
        if (status)
            return ui_show_messages(app, expr, pane, "%s", status);
        return ui_show_messages(app, expr, pane, NULL);
    }
    ui_status(app, 1, "no messages filter for a %s", s->kind);
    return UI_REDRAW;
}

int
action_show_send_sites(struct ui_app *app, int64_t from_origin_id,
                       int64_t to_origin_id, const int64_t *ids, size_t n)
{
    struct ui_subject on;
    memset(&on, 0, sizeof on);
    on.kind = "edge";
    on.id = from_origin_id;
    on.to_id = to_origin_id;
    on.send_ids = ids;
    on.n_send_ids = ids ? n : 0;
    return ui_open_view(app, UI_VIEW_SENDS, &on);
}
