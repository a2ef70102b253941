/*
 * static_edges.c - static message edges and who would accept them (see
 * static_edges.h).
 *
 * The window model (windows, their documents, send sites, window
 * listeners) is read into memory first, then each send site's receiver
 * descriptor (send_sites.receiver, resolved by the scan, analyze_recv.h;
 * for rows stored before it was, from the receiver text) is resolved
 * relative to the sender's window:
 *
 *   parent      its parent (a top-level window is its own parent)
 *   top         the root of its parent chain
 *   opener      the window that opened it
 *   self        itself
 *   frame:N     its Nth child frame (children in the order recorded)
 *   iframe-id   the child whose URL is the src of <iframe id=ID> in the
 *               sender document's recorded HTML (iframe-name: name=NAME)
 *   iframe-src  the children whose URL is that src
 *   popup:URL   the windows it opened whose URL is URL (any, when the URL
 *               was not a literal)
 *   reply       every window whose resolved sends or recorded window
 *               messages reach the sender's window (event.source)
 *
 * Each receiver window gives one row per document (a navigated frame is
 * judged per origin).  targetOrigin: a literal is taken as written ('*',
 * '/' for the sender's own origin, a URL reduced to its origin); `e.origin`
 * in a reply is the origin the handled message came from, i.e. the
 * receiver's; anything else is not known.  A browser delivers when the
 * resolved targetOrigin is '*' or the receiver document's origin.
 *
 * Then every sender -> receiver origin pair with a static or a recorded
 * message gets each window listener of the receiver origin judged against
 * the sender origin (origin_accept.h).
 */
#include "static_edges.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze_recv.h"
#include "jsfunc.h"
#include "mem.h"
#include "origin.h"
#include "origin_accept.h"
#include "store_edges.h"

struct swin {
    int64_t id, parent_id, opener_id, origin_id;
    char *kind, *origin, *url;
    size_t doc0, ndocs; /* its documents in model.docs */
};

struct sdoc {
    int64_t window_id, seq, origin_id;
    char *url, *origin;
};

struct ssend {
    int64_t id, window_id, doc, same_as;
    char *target_expr, *target_origin, *snippet, *receiver;
    char *recorded_target; /* what a recording saw where the code has no literal */
};

struct slistener {
    int64_t id, origin_id;
    char *check_kind, *check_expr;
};

struct srow {
    struct pm_static_send_rec r;
    char *written, *resolved;
    const char *sender_origin; /* borrowed from the model's windows/documents */
};

/* The windows that sent recorded window messages to one window. */
struct senders {
    int64_t window_id;
    int64_t *ids;
    size_t n, cap;
};

struct model {
    /* the last sender document's HTML read: a window's sends come together */
    int64_t html_window;
    char *html_url, *html;
    struct senders *memo; /* per window a reply was sent from, read once */
    size_t nmemo, capmemo;
    struct swin *w;
    size_t nw, capw;
    struct sdoc *d;
    size_t nd, capd;
    struct ssend *s;
    size_t ns, caps;
    struct slistener *l;
    size_t nl, capl;
    struct srow *rows;
    size_t nrows, caprows;
    int64_t *ids; /* scratch: windows a descriptor denotes */
    size_t nids, capids;
};

#define GROW(arr, n, cap)                                                   \
    do {                                                                    \
        if ((n) == (cap)) {                                                 \
            (cap) = (cap) ? (cap) * 2 : 16;                                 \
            (arr) = xrealloc((arr), (cap) * sizeof *(arr));                 \
        }                                                                   \
    } while (0)

static char *
dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

/* ---- reading the model ---------------------------------------------------- */

static int
on_window(const struct pm_model_window *w, void *ctx)
{
    struct model *m = ctx;
    GROW(m->w, m->nw, m->capw);
    m->w[m->nw++] = (struct swin){
        .id = w->id, .parent_id = w->parent_id, .opener_id = w->opener_id,
        .origin_id = w->origin_id, .kind = dup_or_null(w->kind),
        .origin = dup_or_null(w->origin), .url = dup_or_null(w->url),
    };
    return 0;
}

static int
on_doc(const struct pm_model_doc *d, void *ctx)
{
    struct model *m = ctx;
    GROW(m->d, m->nd, m->capd);
    m->d[m->nd++] = (struct sdoc){
        .window_id = d->window_id, .seq = d->seq, .origin_id = d->origin_id,
        .url = dup_or_null(d->url), .origin = dup_or_null(d->origin),
    };
    return 0;
}

static int
on_send(const struct pm_model_send *s, void *ctx)
{
    struct model *m = ctx;
    GROW(m->s, m->ns, m->caps);
    m->s[m->ns++] = (struct ssend){
        .id = s->id, .window_id = s->window_id, .doc = s->doc,
        .same_as = s->same_as,
        .target_expr = dup_or_null(s->target_expr),
        .target_origin = dup_or_null(s->target_origin),
        .snippet = dup_or_null(s->snippet),
        .receiver = dup_or_null(s->receiver),
    };
    return 0;
}

static struct ssend *
find_send(const struct model *m, int64_t id)
{
    size_t lo = 0, hi = m->ns;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->s[mid].id == id)
            return &m->s[mid];
        if (m->s[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/*
 * A recorded send site (trace) takes the receiver descriptor, and the
 * call's text when it lacks it, of the scanned copy that points at it, and
 * when the code's targetOrigin is not a literal, the recorded value stops
 * passing for one (it is kept to resolve the targetOrigin by);
 * one without gets the descriptor of its receiver text.  Copies are then
 * left out (receiver "").
 */
static void
link_sends(struct model *m)
{
    for (size_t i = 0; i < m->ns; i++) {
        struct ssend *c = &m->s[i], *r;
        if (c->same_as == 0 || (r = find_send(m, c->same_as)) == NULL)
            continue;
        if (r->receiver == NULL && c->receiver) {
            r->receiver = c->receiver;
            c->receiver = NULL;
        }
        if (r->snippet == NULL && c->snippet) {
            r->snippet = c->snippet;
            c->snippet = NULL;
        }
        /* the code says `e.origin`; the recording, the value it had once */
        if (c->target_origin == NULL && r->target_origin &&
            r->recorded_target == NULL) {
            r->recorded_target = r->target_origin;
            r->target_origin = NULL;
        }
    }
    for (size_t i = 0; i < m->ns; i++) {
        struct ssend *s = &m->s[i];
        if (s->same_as) {
            free(s->receiver);
            s->receiver = xstrdup("");
        } else if (s->receiver == NULL) {
            char desc[160];
            send_receiver_of_text(s->target_expr, desc, sizeof desc);
            s->receiver = xstrdup(desc);
        }
    }
}

static int
on_listener(const struct pm_model_listener *l, void *ctx)
{
    struct model *m = ctx;
    GROW(m->l, m->nl, m->capl);
    m->l[m->nl++] = (struct slistener){
        .id = l->id, .origin_id = l->origin_id,
        .check_kind = dup_or_null(l->check_kind),
        .check_expr = dup_or_null(l->check_expr),
    };
    return 0;
}

static void
model_free(struct model *m)
{
    for (size_t i = 0; i < m->nw; i++) {
        free(m->w[i].kind);
        free(m->w[i].origin);
        free(m->w[i].url);
    }
    for (size_t i = 0; i < m->nd; i++) {
        free(m->d[i].url);
        free(m->d[i].origin);
    }
    for (size_t i = 0; i < m->ns; i++) {
        free(m->s[i].target_expr);
        free(m->s[i].target_origin);
        free(m->s[i].snippet);
        free(m->s[i].receiver);
        free(m->s[i].recorded_target);
    }
    for (size_t i = 0; i < m->nl; i++) {
        free(m->l[i].check_kind);
        free(m->l[i].check_expr);
    }
    for (size_t i = 0; i < m->nrows; i++) {
        free(m->rows[i].written);
        free(m->rows[i].resolved);
    }
    free(m->html_url);
    free(m->html);
    for (size_t i = 0; i < m->nmemo; i++)
        free(m->memo[i].ids);
    free(m->memo);
    free(m->w);
    free(m->d);
    free(m->s);
    free(m->l);
    free(m->rows);
    free(m->ids);
}

/* Windows come by id: a binary search. */
static struct swin *
find_win(const struct model *m, int64_t id)
{
    size_t lo = 0, hi = m->nw;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->w[mid].id == id)
            return &m->w[mid];
        if (m->w[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Documents come by window and seq: give each window its range. */
static void
link_docs(struct model *m)
{
    for (size_t i = 0; i < m->nd;) {
        size_t j = i;
        while (j < m->nd && m->d[j].window_id == m->d[i].window_id)
            j++;
        struct swin *w = find_win(m, m->d[i].window_id);
        if (w) {
            w->doc0 = i;
            w->ndocs = j - i;
        }
        i = j;
    }
}

/* ---- URLs ------------------------------------------------------------------ */

/* ref resolved against base (absolute, //host, /path, relative), no fragment. */
static void
url_join(const char *base, const char *ref, char *out, size_t outsz)
{
    const char *scheme_end = base ? strstr(base, "://") : NULL;
    if (strstr(ref, "://") || scheme_end == NULL) {
        snprintf(out, outsz, "%s", ref);
    } else if (ref[0] == '/' && ref[1] == '/') {
        snprintf(out, outsz, "%.*s:%s", (int)(scheme_end - base), base, ref);
    } else {
        const char *host = scheme_end + 3;
        size_t hl = strcspn(host, "/?#");
        if (ref[0] == '/') {
            snprintf(out, outsz, "%.*s%s", (int)(host + hl - base), base, ref);
        } else {
            size_t pl = strcspn(base, "?#");
            const char *slash = NULL;
            for (const char *p = host + hl; p < base + pl; p++)
                if (*p == '/')
                    slash = p;
            size_t keep = slash ? (size_t)(slash + 1 - base) : (size_t)(host + hl - base);
            snprintf(out, outsz, "%.*s%s%s", (int)keep, base,
                     slash ? "" : "/", ref);
        }
    }
    out[strcspn(out, "#")] = '\0';
}

/* A window showed url (its current URL or one of its documents'). */
static int
window_has_url(const struct model *m, const struct swin *w, const char *url)
{
    size_t n = strlen(url);
    if (w->url && strncmp(w->url, url, n) == 0 &&
        (w->url[n] == '\0' || w->url[n] == '#'))
        return 1;
    for (size_t k = 0; k < w->ndocs; k++) {
        const char *u = m->d[w->doc0 + k].url;
        if (u && strncmp(u, url, n) == 0 && (u[n] == '\0' || u[n] == '#'))
            return 1;
    }
    return 0;
}

/* ---- iframes in the sender's HTML ----------------------------------------- */

/* The value of attribute name in the tag [tag, end), into out. */
static int
tag_attr(const char *tag, const char *end, const char *name, char *out,
         size_t outsz)
{
    size_t nl = strlen(name);
    for (const char *p = tag; p + nl < end; p++) {
        if (strncasecmp(p, name, nl) != 0 || p[nl] != '=' ||
            (p > tag && p[-1] != ' ' && p[-1] != '\t' && p[-1] != '\n'))
            continue;
        const char *v = p + nl + 1;
        char q = (*v == '"' || *v == '\'') ? *v++ : 0;
        size_t n = 0;
        while (v < end && (q ? *v != q : (*v != ' ' && *v != '>')) && n + 1 < outsz)
            out[n++] = *v++;
        out[n] = '\0';
        return 1;
    }
    return 0;
}

/* The src of the <iframe> whose attribute attr (id, name) is id in html. */
static int
iframe_src_by(const char *html, const char *attr, const char *id, char *out,
              size_t outsz)
{
    for (const char *p = html; (p = strcasestr(p, "<iframe")) != NULL; p += 7) {
        const char *end = strchr(p, '>');
        if (end == NULL)
            return 0;
        char v[256];
        if (tag_attr(p + 7, end, attr, v, sizeof v) && strcmp(v, id) == 0)
            return tag_attr(p + 7, end, "src", out, outsz);
    }
    return 0;
}

/* ---- receivers ------------------------------------------------------------ */

static void
add_id(struct model *m, int64_t id)
{
    for (size_t i = 0; i < m->nids; i++)
        if (m->ids[i] == id)
            return;
    GROW(m->ids, m->nids, m->capids);
    m->ids[m->nids++] = id;
}

/* The URL of the sender's document (its doc when known, else current). */
static const char *
sender_url(const struct model *m, const struct swin *w, int64_t doc)
{
    for (size_t k = 0; doc > 0 && k < w->ndocs; k++)
        if (m->d[w->doc0 + k].seq == doc)
            return m->d[w->doc0 + k].url;
    return w->url;
}

/*
 * The windows descriptor desc denotes from window w into m->ids; how
 * gets the word stored with the row.  Needs the store for iframe ids.
 */
static enum pm_rc
resolve_receivers(struct pm_store *st, struct model *m, const struct swin *w,
                  const struct ssend *s, const char **how, struct pm_err *err)
{
    const char *d = s->receiver;
    m->nids = 0;
    *how = NULL;
    if (strcmp(d, "parent") == 0 || strcmp(d, "self") == 0) {
        *how = d[0] == 'p' ? "parent" : "self";
        add_id(m, d[0] == 'p' && w->parent_id ? w->parent_id : w->id);
    } else if (strcmp(d, "top") == 0) {
        const struct swin *t = w;
        for (int hops = 0; t->parent_id && hops < 64; hops++) {
            const struct swin *p = find_win(m, t->parent_id);
            if (p == NULL)
                break;
            t = p;
        }
        *how = "top";
        add_id(m, t->id);
    } else if (strcmp(d, "opener") == 0) {
        *how = "opener";
        if (w->opener_id)
            add_id(m, w->opener_id);
    } else if (strncmp(d, "frame:", 6) == 0) {
        long n = strtol(d + 6, NULL, 10), k = 0;
        *how = "frame";
        for (size_t i = 0; i < m->nw; i++)
            if (m->w[i].parent_id == w->id && m->w[i].kind &&
                strcmp(m->w[i].kind, "iframe") == 0 && k++ == n) {
                add_id(m, m->w[i].id);
                break;
            }
    } else if (strncmp(d, "iframe-id:", 10) == 0 ||
               strncmp(d, "iframe-name:", 12) == 0 ||
               strncmp(d, "iframe-src:", 11) == 0) {
        const char *base = sender_url(m, w, s->doc);
        char src[512] = "", url[1024];
        if (d[7] == 'i' || d[7] == 'n') {
            int by_id = d[7] == 'i';
            *how = by_id ? "iframe-id" : "iframe-name";
            if (m->html_window != w->id || m->html_url == NULL || base == NULL ||
                strcmp(m->html_url, base) != 0) {
                size_t n;
                free(m->html);
                free(m->html_url);
                m->html = NULL;
                m->html_url = base ? xstrdup(base) : NULL;
                m->html_window = w->id;
                if (store_window_html(st, w->id, base, &m->html, &n, err))
                    return err->rc;
            }
            if (m->html && !iframe_src_by(m->html, by_id ? "id" : "name",
                                          d + (by_id ? 10 : 12), src, sizeof src))
                src[0] = '\0';
        } else {
            *how = "iframe-src";
            snprintf(src, sizeof src, "%s", d + 11);
        }
        if (src[0]) {
            url_join(base, src, url, sizeof url);
            for (size_t i = 0; i < m->nw; i++)
                if (m->w[i].parent_id == w->id && window_has_url(m, &m->w[i], url))
                    add_id(m, m->w[i].id);
        }
    } else if (strncmp(d, "popup:", 6) == 0) {
        char url[1024] = "";
        *how = "popup";
        if (d[6])
            url_join(sender_url(m, w, s->doc), d + 6, url, sizeof url);
        for (size_t i = 0; i < m->nw; i++)
            if (m->w[i].opener_id == w->id && m->w[i].parent_id == 0 &&
                (url[0] == '\0' || window_has_url(m, &m->w[i], url)))
                add_id(m, m->w[i].id);
    }
    return PM_OK;
}

/* ---- targetOrigin ---------------------------------------------------------- */

/* The second argument of the postMessage call in snippet, as written. */
static void
second_argument(const char *snippet, char *out, size_t outsz)
{
    struct js_tokens t;
    out[0] = '\0';
    if (snippet == NULL)
        return;
    js_tokenize(snippet, strlen(snippet), 1, 1, &t);
    for (size_t k = 0; k + 1 < t.n; k++) {
        if (!js_is_ident(&t, k, "postMessage") || !js_is_punct(&t, k + 1, "("))
            continue;
        size_t close = t.v[k + 1].match > 0 ? (size_t)t.v[k + 1].match : t.n;
        size_t e0 = js_expr_end(&t, k + 2, close);
        if (e0 < close && js_is_punct(&t, e0, ",")) {
            size_t e1 = js_expr_end(&t, e0 + 1, close);
            js_text(&t, e0 + 1, e1, out, outsz);
        }
        break;
    }
    js_tokens_release(&t);
}

/* targetOrigin resolved for one receiver document: into out, or "" when
 * not known. */
static void
target_resolve(const struct ssend *s, const char *written, const char *sender,
               const char *receiver, char *out, size_t outsz)
{
    out[0] = '\0';
    if (s->target_origin) {
        struct pm_err err = PM_ERR_INIT;
        if (strcmp(s->target_origin, "*") == 0)
            snprintf(out, outsz, "*");
        else if (strcmp(s->target_origin, "/") == 0)
            snprintf(out, outsz, "%s", sender ? sender : "");
        else if (outsz >= PM_ORIGIN_MAX)
            origin_from_url(s->target_origin, NULL, out, &err);
        return;
    }
    if (written[0] == '\0') { /* postMessage(msg): targetOrigin "/" */
        snprintf(out, outsz, "%s", sender ? sender : "");
        return;
    }
    size_t n = strlen(written);
    struct pm_err err = PM_ERR_INIT;
    if (strcmp(s->receiver, "reply") == 0 && n > 7 &&
        strcmp(written + n - 7, ".origin") == 0 && receiver)
        snprintf(out, outsz, "%s", receiver); /* e.source <- e.origin */
    else if (s->recorded_target && strcmp(s->recorded_target, "*") == 0)
        snprintf(out, outsz, "*");
    else if (s->recorded_target && outsz >= PM_ORIGIN_MAX)
        origin_from_url(s->recorded_target, NULL, out, &err);
}

/* One row per document of receiver window rid. */
static void
add_rows(struct model *m, const struct ssend *s, const struct swin *sw,
         const char *sender_origin, int64_t sender_origin_id, int64_t rid,
         const char *how, const char *written)
{
    const struct swin *rw = find_win(m, rid);
    if (rw == NULL)
        return;
    size_t nd = rw->ndocs ? rw->ndocs : 1;
    for (size_t k = 0; k < nd; k++) {
        const struct sdoc *doc = rw->ndocs ? &m->d[rw->doc0 + k] : NULL;
        int64_t oid = doc ? doc->origin_id : rw->origin_id;
        const char *origin = doc ? doc->origin : rw->origin;
        int dup = 0; /* one row per receiver origin of a window */
        for (size_t j = 0; j < k && !dup; j++)
            dup = m->d[rw->doc0 + j].origin_id == oid;
        if (dup)
            continue;
        char resolved[PM_ORIGIN_MAX];
        target_resolve(s, written, sender_origin, origin, resolved,
                       sizeof resolved);
        GROW(m->rows, m->nrows, m->caprows);
        struct srow *r = &m->rows[m->nrows++];
        r->written = xstrdup(s->target_origin ? s->target_origin : written);
        r->resolved = resolved[0] ? xstrdup(resolved) : NULL;
        r->sender_origin = sender_origin;
        r->r = (struct pm_static_send_rec){
            .send_site_id = s->id, .sender_window_id = sw->id,
            .sender_origin_id = sender_origin_id, .receiver_window_id = rid,
            .receiver_doc = doc ? doc->seq : 0, .receiver_origin_id = oid,
            .how = how, .target_written = r->written,
            .target_resolved = r->resolved,
            .delivered = r->resolved == NULL ? -1
                         : strcmp(r->resolved, "*") == 0 ? 1
                         : origin && strcmp(r->resolved, origin) == 0,
        };
    }
}

/* The sender's document origin: its doc's when known, else the window's. */
static void
sender_origin_of(const struct model *m, const struct swin *w, int64_t doc,
                 const char **origin, int64_t *id)
{
    *origin = w->origin;
    *id = w->origin_id;
    for (size_t k = 0; doc > 0 && k < w->ndocs; k++)
        if (m->d[w->doc0 + k].seq == doc) {
            *origin = m->d[w->doc0 + k].origin;
            *id = m->d[w->doc0 + k].origin_id;
        }
}

static int
collect_sender(int64_t id, void *ctx)
{
    struct senders *s = ctx;
    GROW(s->ids, s->n, s->cap);
    s->ids[s->n++] = id;
    return 0;
}

/*
 * Add to m->ids the windows whose recorded window messages reached window
 * id: read once per window (a window's reply send sites share them).
 */
static enum pm_rc
add_message_senders(struct pm_store *st, struct model *m, int64_t id,
                    struct pm_err *err)
{
    struct senders *s = NULL;
    for (size_t i = 0; i < m->nmemo && s == NULL; i++)
        if (m->memo[i].window_id == id)
            s = &m->memo[i];
    if (s == NULL) {
        GROW(m->memo, m->nmemo, m->capmemo);
        s = &m->memo[m->nmemo++];
        memset(s, 0, sizeof *s);
        s->window_id = id;
        if (store_each_message_sender_window(st, id, collect_sender, s, err))
            return err->rc;
    }
    for (size_t i = 0; i < s->n; i++)
        add_id(m, s->ids[i]);
    return PM_OK;
}

static enum pm_rc
resolve_sends(struct pm_store *st, struct model *m, int replies,
              struct pm_err *err)
{
    for (size_t i = 0; i < m->ns; i++) {
        const struct ssend *s = &m->s[i];
        if ((strcmp(s->receiver, "reply") == 0) != replies)
            continue;
        const struct swin *w = find_win(m, s->window_id);
        if (w == NULL)
            continue;
        const char *how = "reply";
        if (replies) {
            m->nids = 0;
            size_t before = m->nrows;
            for (size_t r = 0; r < before; r++)
                if (m->rows[r].r.receiver_window_id == w->id)
                    add_id(m, m->rows[r].r.sender_window_id);
            if (add_message_senders(st, m, w->id, err))
                return err->rc;
        } else if (resolve_receivers(st, m, w, s, &how, err)) {
            return err->rc;
        }
        if (m->nids == 0 || how == NULL)
            continue;
        char written[256];
        second_argument(s->snippet, written, sizeof written);
        const char *sorigin;
        int64_t soid;
        sender_origin_of(m, w, s->doc, &sorigin, &soid);
        for (size_t k = 0; k < m->nids; k++) /* add_rows keeps m->ids */
            add_rows(m, s, w, sorigin, soid, m->ids[k], how, written);
    }
    return PM_OK;
}

/* ---- verdicts --------------------------------------------------------------- */

struct pair {
    int64_t from, to;
    char *from_text;
};

struct pairs {
    struct pair *v;
    size_t n, cap;
};

static int
add_pair(int64_t from, int64_t to, const char *from_text, void *ctx)
{
    struct pairs *p = ctx;
    if (from <= 0 || to <= 0 || from_text == NULL)
        return 0;
    GROW(p->v, p->n, p->cap);
    p->v[p->n++] = (struct pair){from, to, xstrdup(from_text)};
    return 0;
}

static int
pair_cmp(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    return x->to < y->to ? -1 : x->to > y->to;
}

static int
listener_cmp(const void *a, const void *b)
{
    const struct slistener *x = a, *y = b;
    if (x->origin_id != y->origin_id)
        return x->origin_id < y->origin_id ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static enum pm_rc
judge_pairs(struct pm_store *st, struct model *m,
            struct pm_static_edge_stats *stats, struct pm_err *err)
{
    struct pairs p = {0};
    for (size_t i = 0; i < m->nrows; i++)
        add_pair(m->rows[i].r.sender_origin_id, m->rows[i].r.receiver_origin_id,
                 m->rows[i].sender_origin, &p);
    enum pm_rc rc = store_each_message_pair(st, add_pair, &p, err);
    if (rc == PM_OK && p.n > 0)
        qsort(p.v, p.n, sizeof *p.v, pair_cmp);
    if (rc == PM_OK && m->nl > 0)
        qsort(m->l, m->nl, sizeof *m->l, listener_cmp);
    for (size_t i = 0; rc == PM_OK && i < p.n; i++) {
        if (i > 0 && pair_cmp(&p.v[i], &p.v[i - 1]) == 0)
            continue;
        for (size_t k = 0; rc == PM_OK && k < m->nl; k++) {
            const struct slistener *l = &m->l[k];
            if (l->origin_id != p.v[i].to)
                continue;
            char why[256];
            enum pm_accept a = origin_accept(l->check_kind, l->check_expr,
                                             p.v[i].from_text, why, sizeof why);
            rc = store_add_edge_verdict(st, p.v[i].from, p.v[i].to, l->id,
                                        accept_name(a), why, err);
            stats->verdicts++;
        }
    }
    for (size_t i = 0; i < p.n; i++)
        free(p.v[i].from_text);
    free(p.v);
    return rc;
}

enum pm_rc
static_edges_run(struct pm_store *st, struct pm_static_edge_stats *stats,
                 struct pm_err *err)
{
    struct pm_static_edge_stats local;
    struct model m;
    memset(&m, 0, sizeof m);
    if (stats == NULL)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    enum pm_rc rc = store_edges_clear(st, err);
    if (rc == PM_OK)
        rc = store_each_model_window(st, on_window, &m, err);
    if (rc == PM_OK)
        rc = store_each_model_doc(st, on_doc, &m, err);
    if (rc == PM_OK)
        rc = store_each_model_send(st, on_send, &m, err);
    if (rc == PM_OK)
        rc = store_each_model_listener(st, on_listener, &m, err);
    if (rc == PM_OK) {
        link_docs(&m);
        link_sends(&m);
        rc = resolve_sends(st, &m, 0, err);
    }
    if (rc == PM_OK)
        rc = resolve_sends(st, &m, 1, err);
    for (size_t i = 0; rc == PM_OK && i < m.nrows; i++) {
        rc = store_add_static_send(st, &m.rows[i].r, err);
        stats->sends++;
    }
    if (rc == PM_OK)
        rc = judge_pairs(st, &m, stats, err);
    model_free(&m);
    return rc;
}
