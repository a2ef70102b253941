/*
 * suggest.c - rules that write suggested findings (see suggest.h).
 *
 * Rows are collected with read-only iterators first and written after, so
 * no statement is stepped while the findings table changes.  A rule fires
 * once per subject; store_suggest_finding keeps a re-run from duplicating a
 * finding and never touches one the analyst confirmed or dismissed.
 */
#include "suggest.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze.h"
#include "mem.h"
#include "origin.h"
#include "origin_accept.h"
#include "store_edges.h"

const struct pm_rule pm_rules[] = {
    {"listener-weak-check-sink", "high",
     "a listener with a missing or bypassable origin check passes "
     "event.data to a sink (DOM XSS, navigation, storage, code)"},
    {"listener-weak-check", "medium",
     "a listener with a missing or bypassable origin check acts on "
     "messages from any origin"},
    {"wildcard-sensitive", "high",
     "a message carrying credential-like data (token, password, session, "
     "cookie, auth, jwt) was sent with targetOrigin '*': whatever document "
     "is in the target window receives it (medium for e-mail addresses and "
     "keys)"},
    {"send-wildcard-sensitive", "medium",
     "a postMessage call with targetOrigin '*' sends data whose code names "
     "credentials or personal data"},
    {"foreign-origin-accepted", "info",
     "a window accepted messages from an origin outside its top page's "
     "site (medium when its listener's check is missing or weak)"},
    {"framable-receiver", "",
     "not a finding of its own: a receiver whose document has neither "
     "X-Frame-Options nor CSP frame-ancestors can be framed by any site, "
     "which raises its listener findings one severity step"},
    {NULL, NULL, NULL},
};

const char *
suggest_raise(const char *severity)
{
    static const char *const order[] = {"info", "low", "medium", "high", "critical"};
    for (int i = 0; i < 4; i++)
        if (strcmp(severity, order[i]) == 0)
            return order[i + 1];
    return "critical";
}

/* ---- sensitive data ---------------------------------------------------- */

static const char *const credential_words[] = {
    "password", "passwd", "token", "jwt", "session", "cookie", "auth",
    "secret", NULL,
};

/* Matched word for a field name, or NULL. */
static const char *
sensitive_name(const char *name, int *credential)
{
    for (int i = 0; credential_words[i]; i++)
        if (strcasestr(name, credential_words[i])) {
            *credential = 1;
            return credential_words[i];
        }
    size_t n = strlen(name);
    if (strcasestr(name, "email") || strcasestr(name, "e-mail"))
        return "email";
    /* key, apiKey, api_key, API-KEY; not monkey or keyboard */
    if (strcasecmp(name, "key") == 0 ||
        (n > 3 && strcmp(name + n - 3, "Key") == 0) ||
        (n > 4 && (name[n - 4] == '_' || name[n - 4] == '-') &&
         strcasecmp(name + n - 3, "key") == 0))
        return "key";
    return NULL;
}

static int
looks_like_jwt(const char *s)
{
    return strncmp(s, "eyJ", 3) == 0 && strchr(s, '.') != NULL;
}

static int
looks_like_email(const char *s)
{
    const char *at = strchr(s, '@');
    return at && at > s && strchr(at, '.') && !strchr(s, ' ') && strlen(s) < 256;
}

static int
scan_json(const cJSON *j, int depth, char *what, size_t whatsz, int *credential)
{
    if (depth > 16)
        return 0;
    int found = 0;
    if (cJSON_IsString(j)) {
        if (looks_like_jwt(j->valuestring)) {
            *credential = 1;
            snprintf(what, whatsz, "jwt");
            return 1;
        }
        if (looks_like_email(j->valuestring)) {
            snprintf(what, whatsz, "email");
            return 1;
        }
        return 0;
    }
    const cJSON *c;
    cJSON_ArrayForEach(c, j) {
        int cred = 0;
        const char *w = c->string ? sensitive_name(c->string, &cred) : NULL;
        int has_value = !(cJSON_IsNull(c) || cJSON_IsBool(c) ||
                          (cJSON_IsString(c) && c->valuestring[0] == '\0'));
        if (w && has_value && (!found || (cred && !*credential))) {
            snprintf(what, whatsz, "%s", w);
            *credential |= cred;
            found = 1;
        }
        if (!found || !*credential) {
            char sub[32];
            int subcred = 0;
            if (scan_json(c, depth + 1, sub, sizeof sub, &subcred) &&
                (!found || (subcred && !*credential))) {
                snprintf(what, whatsz, "%s", sub);
                *credential |= subcred;
                found = 1;
            }
        }
    }
    return found;
}

/* Returns 0 none, 1 personal data, 2 credential. */
static int
sensitive_level(const char *data_json, char *what, size_t whatsz)
{
    if (what && whatsz)
        what[0] = '\0';
    if (data_json == NULL)
        return 0;
    cJSON *j = cJSON_Parse(data_json);
    if (j == NULL)
        return 0;
    if (cJSON_IsString(j) && (j->valuestring[0] == '{' || j->valuestring[0] == '[')) {
        cJSON *inner = cJSON_Parse(j->valuestring);
        if (inner) {
            cJSON_Delete(j);
            j = inner;
        }
    }
    char w[32] = "";
    int cred = 0;
    int found = scan_json(j, 0, w, sizeof w, &cred);
    cJSON_Delete(j);
    if (found && what)
        snprintf(what, whatsz, "%s", w);
    return found ? (cred ? 2 : 1) : 0;
}

int
suggest_sensitive_data(const char *data_json, char *what, size_t whatsz)
{
    return sensitive_level(data_json, what, whatsz) > 0;
}

/* Word of credential_words/email/key found in code text (send-site snippets). */
static const char *
sensitive_code(const char *code)
{
    static const char *const words[] = {
        "password", "passwd", "token", "jwt", "session", "cookie", "auth",
        "secret", "email", "apikey", "api_key", NULL,
    };
    for (int i = 0; words[i]; i++)
        if (strcasestr(code, words[i]))
            return words[i];
    return NULL;
}

/* ---- collected suggestions --------------------------------------------- */

struct pending {
    struct pm_suggestion *v;
    size_t n, cap;
};

static void
pending_add(struct pending *p, const char *rule, const char *kind, int64_t id,
            const char *key, const char *severity, const char *title,
            const char *note)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->v = xrealloc(p->v, p->cap * sizeof *p->v);
    }
    p->v[p->n++] = (struct pm_suggestion){
        .rule = rule, .subject_kind = kind, .subject_id = id,
        .subject_key = key ? xstrdup(key) : NULL, .severity = severity,
        .title = xstrdup(title), .note = note ? xstrdup(note) : NULL,
    };
}

static void
pending_free(struct pending *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free((char *)p->v[i].subject_key);
        free((char *)p->v[i].title);
        free((char *)p->v[i].note);
    }
    free(p->v);
}

/* ---- listener rules ---------------------------------------------------- */

/* The document can be framed by any site: no XFO and no restrictive frame-ancestors. */
static int
framable_by_anyone(const char *xfo, const char *csp)
{
    if (xfo && (strcasestr(xfo, "deny") || strcasestr(xfo, "sameorigin")))
        return 0;
    if (csp) {
        const char *fa = strcasestr(csp, "frame-ancestors");
        if (fa) {
            const char *e = strchr(fa, ';');
            size_t n = e ? (size_t)(e - fa) : strlen(fa);
            char v[256];
            snprintf(v, sizeof v, "%.*s", (int)(n < 255 ? n : 255), fa);
            return strstr(v, " *") != NULL && !strstr(v, " *.");
        }
    }
    return 1;
}

/* A set of strings (open addressing on an FNV-1a hash; keys owned). */
struct strset {
    char **v;
    size_t n, cap; /* cap is 0 or a power of two */
};

static size_t
str_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return (size_t)h;
}

/* Slot of key, or the empty slot where it would go. */
static size_t
strset_slot(const struct strset *s, const char *key)
{
    size_t i = str_hash(key) & (s->cap - 1);
    while (s->v[i] && strcmp(s->v[i], key) != 0)
        i = (i + 1) & (s->cap - 1);
    return i;
}

static int
strset_has(const struct strset *s, const char *key)
{
    return s->cap && s->v[strset_slot(s, key)] != NULL;
}

/* Add key; 1 when it was new. */
static int
strset_add(struct strset *s, const char *key)
{
    if ((s->n + 1) * 2 > s->cap) {
        struct strset old = *s;
        s->cap = old.cap ? old.cap * 2 : 64;
        s->v = xcalloc(s->cap, sizeof *s->v);
        for (size_t i = 0; i < old.cap; i++)
            if (old.v[i])
                s->v[strset_slot(s, old.v[i])] = old.v[i];
        free(old.v);
    }
    size_t i = strset_slot(s, key);
    if (s->v[i])
        return 0;
    s->v[i] = xstrdup(key);
    s->n++;
    return 1;
}

static void
strset_free(struct strset *s)
{
    for (size_t i = 0; i < s->cap; i++)
        free(s->v[i]);
    free(s->v);
}

/* Verdicts of listeners on the senders of static edges, by listener id. */
struct sverdict {
    int64_t listener_id;
    char *sender;
    int accepted;
};

struct sverdicts {
    struct sverdict *v;
    size_t n, cap;
};

static int
collect_verdict(int64_t listener_id, const char *sender, const char *verdict,
                void *ctx)
{
    struct sverdicts *s = ctx;
    if (sender == NULL || verdict == NULL || strcmp(verdict, "unknown") == 0)
        return 0;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = (struct sverdict){listener_id, xstrdup(sender),
                                     strcmp(verdict, "accepted") == 0};
    return 0;
}

/*
 * What the check does to the site's own static senders, for a weak check's
 * finding: "; its own senders pass (A, B), and so does a foreign origin
 * such as X" when both hold (origin_accept.h), else "".
 */
static void
weak_check_evidence(const struct sverdicts *s, const struct pm_rule_listener *l,
                    char *out, size_t outsz)
{
    out[0] = '\0';
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->v[mid].listener_id < l->id)
            lo = mid + 1;
        else
            hi = mid;
    }
    char own[256] = "";
    int passed = 0;
    for (size_t i = lo; i < s->n && s->v[i].listener_id == l->id; i++)
        if (s->v[i].accepted && passed++ < 3)
            snprintf(own + strlen(own), sizeof own - strlen(own), "%s%s",
                     own[0] ? ", " : "", s->v[i].sender);
    char foreign[320];
    if (passed == 0 ||
        !origin_accept_foreign(l->check_kind, l->check_expr, foreign,
                               sizeof foreign))
        return;
    snprintf(out, outsz,
             "; the site's own senders pass (%s%s), and so does a foreign "
             "origin such as %s", own, passed > 3 ? ", ..." : "", foreign);
}

struct listener_ctx {
    struct pending *out;
    const struct sverdicts *verdicts; /* on static senders, by listener */
    struct strset weak_urls; /* URLs of documents with a weak-check window listener */
    struct strset weak_docs; /* "WINDOW:DOC" of recorded such listeners */
    struct strset doc_windows; /* "WINDOW" with any listener of known document */
    struct strset handlers;  /* window URL, script, line of handlers seen */
};

static int
rule_listener(const struct pm_rule_listener *l, void *vctx)
{
    struct listener_ctx *c = vctx;
    if (l->window_id > 0 && l->doc > 0) {
        char wkey[24];
        snprintf(wkey, sizeof wkey, "%" PRId64, l->window_id);
        strset_add(&c->doc_windows, wkey);
    }
    if (l->check_kind == NULL)
        return 0;
    int kind = check_kind_parse(l->check_kind);
    if (kind < 0 || !check_kind_is_weak((enum pm_check_kind)kind))
        return 0;
    if (kind == PM_CHECK_NONE && l->check_expr &&
        strcmp(l->check_expr, PM_CHECK_EXPR_IGNORES_EVENT) == 0)
        return 0;
    /*
     * The same handler seen twice gets one finding: scanned copies linked to
     * a recorded listener are not read at all (same_as), and pairs the link
     * cannot tell (recorded code that differs from the scanned text, two
     * recordings of one visit) are caught here by window URL, script, line
     * and column (minified code holds many handlers on one line): the
     * first row wins, and rows whose target is known come first.
     */
    char hkey[1024];
    if (l->script_url && l->line > 0) {
        snprintf(hkey, sizeof hkey, "%s|%s|%ld:%ld", l->window_url ? l->window_url : "",
                 l->script_url, l->line, l->col);
        if (!strset_add(&c->handlers, hkey))
            return 0;
    }
    if (l->target && strcmp(l->target, "window") != 0)
        return 0; /* MessagePort/worker traffic carries no origin to check */
    if (l->window_url)
        strset_add(&c->weak_urls, l->window_url);
    if (l->window_id > 0 && l->doc > 0) {
        char dkey[48];
        snprintf(dkey, sizeof dkey, "%" PRId64 ":%" PRId64, l->window_id, l->doc);
        strset_add(&c->weak_docs, dkey);
    }
    int sink = l->sinks && l->sinks[0];
    const char *rule = sink ? "listener-weak-check-sink" : "listener-weak-check";
    const char *sev = sink ? "high" : "medium";
    char title[512], note[2048];
    const char *what = kind == PM_CHECK_NONE     ? "no origin check"
                       : kind == PM_CHECK_SOURCE ? "only an event.source check"
                                                 : NULL;
    char checkdesc[96];
    if (what)
        snprintf(checkdesc, sizeof checkdesc, "%s", what);
    else
        snprintf(checkdesc, sizeof checkdesc, "a bypassable %s origin check",
                 l->check_kind);
    if (sink)
        snprintf(title, sizeof title, "message listener with %s reaches %s",
                 checkdesc, l->sinks);
    else
        snprintf(title, sizeof title, "message listener with %s", checkdesc);
    int framable = l->headers_known && framable_by_anyone(l->xfo, l->csp);
    if (framable) {
        sev = suggest_raise(sev);
        snprintf(title + strlen(title), sizeof title - strlen(title),
                 "; its frame can be embedded by any site");
    }
    char evidence[1024];
    weak_check_evidence(c->verdicts, l, evidence, sizeof evidence);
    snprintf(note, sizeof note, "%s:%ld:%ld%s%s%s",
             l->script_url ? l->script_url : "?", l->line, l->col,
             l->check_expr ? " check: " : "", l->check_expr ? l->check_expr : "",
             evidence);
    pending_add(c->out, rule, "listener", l->id, NULL, sev, title, note);
    return 0;
}

/* ---- message rules ----------------------------------------------------- */

struct win {
    int64_t id, parent_id, opener_id;
    char *origin, *url;
};

struct msg_ctx {
    struct pending *out;
    struct win *w;
    size_t nw, capw;
    const struct listener_ctx *lc;
    struct strset seen; /* fire once per edge / sender and word */
};

static int
collect_window(const struct pm_rule_window *w, void *vctx)
{
    struct msg_ctx *c = vctx;
    if (c->nw == c->capw) {
        c->capw = c->capw ? c->capw * 2 : 64;
        c->w = xrealloc(c->w, c->capw * sizeof *c->w);
    }
    c->w[c->nw++] = (struct win){w->id, w->parent_id, w->opener_id,
                                 w->origin ? xstrdup(w->origin) : NULL,
                                 w->url ? xstrdup(w->url) : NULL};
    return 0;
}

static const struct win *
find_win(const struct msg_ctx *c, int64_t id)
{
    size_t lo = 0, hi = c->nw; /* windows come ordered by id */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->w[mid].id == id)
            return &c->w[mid];
        if (c->w[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Origin of the page a window belongs to: follow parents, then openers. */
static const char *
top_origin(const struct msg_ctx *c, int64_t window_id)
{
    const struct win *w = find_win(c, window_id);
    for (int hops = 0; w && hops < 64; hops++) {
        int64_t up = w->parent_id ? w->parent_id : w->opener_id;
        const struct win *p = up ? find_win(c, up) : NULL;
        if (p == NULL)
            break;
        w = p;
    }
    return w ? w->origin : NULL;
}

/*
 * The document m was delivered to has a window listener with a weak check.
 * A window whose listeners were recorded with their documents answers for
 * m's document alone (a frame that navigated away from a weak listener's
 * page no longer has it); any other is matched by URL, so a trace window
 * sees the listeners the scan of a HAR found for its document.
 */
static int
message_reaches_weak(const struct msg_ctx *c, const struct pm_flow_msg *m)
{
    char key[48];
    snprintf(key, sizeof key, "%" PRId64, m->receiver_window_id);
    if (strset_has(&c->lc->doc_windows, key)) {
        snprintf(key, sizeof key, "%" PRId64 ":%" PRId64,
                 m->receiver_window_id, m->receiver_doc);
        return strset_has(&c->lc->weak_docs, key);
    }
    const struct win *w = find_win(c, m->receiver_window_id);
    return w && w->url && strset_has(&c->lc->weak_urls, w->url);
}

static int
rule_message(const struct pm_flow_msg *m, void *vctx)
{
    struct msg_ctx *c = vctx;
    char key[256], title[512], what[32];
    if (m->target_origin && strcmp(m->target_origin, "*") == 0) {
        int level = sensitive_level(m->data_json, what, sizeof what);
        snprintf(key, sizeof key, "w %" PRId64 " %s", m->sender_window_id, what);
        if (level && strset_add(&c->seen, key)) {
            snprintf(title, sizeof title,
                     "%s data sent with targetOrigin '*' from %s",
                     what, m->sender_origin ? m->sender_origin : "an unknown origin");
            pending_add(c->out, "wildcard-sensitive", "message", m->id, NULL,
                        level == 2 ? "high" : "medium", title, NULL);
        }
    }
    if (m->sender_origin && m->receiver_window_id > 0 && m->sender_origin_id > 0 &&
        m->receiver_origin_id > 0) {
        const char *top = top_origin(c, m->receiver_window_id);
        if (top && strcmp(top, "null") != 0 && !origin_same_site(m->sender_origin, top)) {
            snprintf(key, sizeof key, "%" PRId64 ">%" PRId64, m->sender_origin_id,
                     m->receiver_origin_id);
            char seenkey[300];
            snprintf(seenkey, sizeof seenkey, "e %s", key);
            if (strset_add(&c->seen, seenkey)) {
                int weak = message_reaches_weak(c, m);
                snprintf(title, sizeof title,
                         "%s accepted messages from %s, outside the site of %s%s",
                         m->receiver_origin ? m->receiver_origin : "a window",
                         m->sender_origin, top,
                         weak ? " (its listener's origin check is weak)" : "");
                pending_add(c->out, "foreign-origin-accepted", "edge",
                            m->sender_origin_id, key, weak ? "medium" : "info",
                            title, NULL);
            }
        }
    }
    return 0;
}

static int
rule_send_site(const struct pm_send_site_row *r, void *vctx)
{
    struct pending *out = vctx;
    if (r->target_origin == NULL || strcmp(r->target_origin, "*") != 0 ||
        r->snippet == NULL)
        return 0;
    const char *w = sensitive_code(r->snippet);
    if (w == NULL)
        return 0;
    char title[512], note[512];
    snprintf(title, sizeof title, "postMessage with targetOrigin '*' sends %s data", w);
    snprintf(note, sizeof note, "%s:%ld:%ld", r->script_url ? r->script_url : "?",
             r->line, r->col);
    pending_add(out, "send-wildcard-sensitive", "send_site", r->id, NULL,
                "medium", title, note);
    return 0;
}

enum pm_rc
suggest_run(struct pm_store *st, int64_t source_id, long *added,
            struct pm_err *err)
{
    struct pending out = {0};
    struct sverdicts verdicts = {0};
    struct listener_ctx lc = {.out = &out, .verdicts = &verdicts};
    struct msg_ctx mc = {.out = &out, .lc = &lc};
    enum pm_rc rc = store_each_static_verdict(st, collect_verdict, &verdicts, err);
    if (rc == PM_OK)
        rc = store_each_rule_listener(st, 0, rule_listener, &lc, err);
    if (rc == PM_OK)
        rc = store_each_source_window(st, source_id, collect_window, &mc, err);
    if (rc == PM_OK)
        rc = store_each_message_by_time(st, source_id, rule_message, &mc, err);
    if (rc == PM_OK)
        rc = store_page_send_sites(st, 0, 0, rule_send_site, &out, err);
    for (size_t i = 0; rc == PM_OK && i < out.n; i++) {
        int created = 0;
        rc = store_suggest_finding(st, &out.v[i], &created, err);
        if (added)
            *added += created;
    }
    pending_free(&out);
    for (size_t i = 0; i < mc.nw; i++) {
        free(mc.w[i].origin);
        free(mc.w[i].url);
    }
    free(mc.w);
    strset_free(&mc.seen);
    strset_free(&lc.weak_urls);
    strset_free(&lc.weak_docs);
    strset_free(&lc.doc_windows);
    strset_free(&lc.handlers);
    for (size_t i = 0; i < verdicts.n; i++)
        free(verdicts.v[i].sender);
    free(verdicts.v);
    return rc;
}
