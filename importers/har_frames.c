/*
 * har_frames.c - the window/frame inference of the HAR importer (see
 * har_frames.h for the evidence it uses and in which order, and
 * docs/har.md for the rules per producer).
 *
 * What a field proves is data: load_rules[] says which fields make an
 * entry a top-level, frame or unsure document load, or no document at
 * all; place_document applies the order of evidence for where a document
 * goes.  In memory it keeps one record per window (not per entry) plus
 * string maps from URLs, frame refs, page ids and embedded literals to
 * those records, so memory grows with the number of documents, not the
 * file.  Entries are placed in file order: a parent must have been loaded
 * before its child.  Duplicate records of the same load (same URL and
 * start time, as Safari writes them) land in the same window.  A redirect
 * hop (3xx) is not a document: its window gets a document only when the
 * chain ends.
 */
#include "har_frames.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "har_classify.h"
#include "har_literals.h"
#include "har_util.h"
#include "mem.h"
#include "origin.h"
#include "sha256.h"
#include "store.h"

#define LITERALS_MAX 100000
#define LITERAL_LEN_MAX 4096

/* ---- records ---------------------------------------------------------- */

/* One window (browsing context) rebuilt from the file. */
struct har_doc {
    int64_t window_id;
    char *url;              /* its current document (or redirect hop) */
    char origin[PM_ORIGIN_MAX];
    long page;              /* pages[] index */
    long next_in_page;      /* next doc of the same page, -1 */
    int top_level;          /* a top window or popup, not a frame */
};

/* Every URL a window has held; chained newest first per URL. */
struct har_url_rec {
    long doc;
    long prev;
};

struct har_page {
    char *id;               /* NULL for the implicit page of pageref-less entries */
    char *title;
    double ts;              /* startedDateTime, ms since the epoch */
    int listed;             /* met in log.pages */
    long top_doc;           /* -1 until its top document loads */
    long first_doc, last_doc;
    long n_docs;
};

struct har_frames {
    struct pm_import_ctx *ctx;
    struct har_doc *docs;
    size_t n_docs, cap_docs;
    struct har_url_rec *urls;
    size_t n_urls, cap_urls;
    struct har_page *pages;
    size_t n_pages, cap_pages;
    long implicit_page;     /* -1 until used */

    struct har_map by_url;      /* url -> newest urls[] record */
    struct har_map by_page;     /* page id -> pages[] */
    struct har_map by_frameref; /* _frameref -> docs[] */
    struct har_map by_script;   /* script url -> docs[] that loaded it */
    struct har_map redirects;   /* redirect target -> docs[] (pending) */
    struct har_map loads;       /* url + start time -> docs[] (duplicates) */
    struct har_map lits[HAR_LIT_KINDS]; /* literal URL -> docs[] it is in */
    struct har_map nondoc_refs; /* stylesheets... a Referer may name */
    long n_literals;
    long last_doc;              /* window of the entry placed last, -1 */
};

struct har_frames *
har_frames_new(struct pm_import_ctx *ctx)
{
    struct har_frames *f = xcalloc(1, sizeof *f);
    f->ctx = ctx;
    f->implicit_page = -1;
    f->last_doc = -1;
    return f;
}

void
har_frames_free(struct har_frames *f)
{
    if (f == NULL)
        return;
    for (size_t i = 0; i < f->n_docs; i++)
        free(f->docs[i].url);
    for (size_t i = 0; i < f->n_pages; i++) {
        free(f->pages[i].id);
        free(f->pages[i].title);
    }
    free(f->docs);
    free(f->urls);
    free(f->pages);
    har_map_free(&f->by_url);
    har_map_free(&f->by_page);
    har_map_free(&f->by_frameref);
    har_map_free(&f->by_script);
    har_map_free(&f->redirects);
    har_map_free(&f->loads);
    for (int k = 0; k < HAR_LIT_KINDS; k++)
        har_map_free(&f->lits[k]);
    har_map_free(&f->nondoc_refs);
    free(f);
}

static long
page_new(struct har_frames *f, const char *id)
{
    if (f->n_pages == f->cap_pages) {
        f->cap_pages = f->cap_pages ? f->cap_pages * 2 : 16;
        f->pages = xrealloc(f->pages, f->cap_pages * sizeof *f->pages);
    }
    struct har_page *p = &f->pages[f->n_pages];
    memset(p, 0, sizeof *p);
    p->id = id ? xstrdup(id) : NULL;
    p->ts = -1;
    p->top_doc = p->first_doc = p->last_doc = -1;
    if (id)
        har_map_put(&f->by_page, id, (long)f->n_pages);
    return (long)f->n_pages++;
}

/* The page an entry belongs to (created on first mention). */
static long
page_of(struct har_frames *f, const char *pageref)
{
    if (pageref == NULL || pageref[0] == '\0') {
        if (f->implicit_page < 0)
            f->implicit_page = page_new(f, NULL);
        return f->implicit_page;
    }
    long p = har_map_get(&f->by_page, pageref);
    return p >= 0 ? p : page_new(f, pageref);
}

void
har_frames_page(struct har_frames *f, const char *id, const char *title,
                double ts)
{
    if (id == NULL || id[0] == '\0')
        return;
    long p = page_of(f, id);
    struct har_page *pg = &f->pages[p];
    pg->listed = 1;
    if (title && pg->title == NULL)
        pg->title = xstrdup(title);
    if (pg->ts < 0)
        pg->ts = ts;
}

/* Serialized origin of url, or "" when it has none we can name. */
static void
url_origin(const char *url, const char *parent_origin, char out[PM_ORIGIN_MAX])
{
    struct pm_err tmp = PM_ERR_INIT;
    if (url == NULL || origin_from_url(url, parent_origin, out, &tmp) != PM_OK)
        out[0] = '\0';
}

/* Remember that doc d now holds url. */
static void
doc_add_url(struct har_frames *f, long d, const char *url)
{
    if (url == NULL)
        return;
    if (f->n_urls == f->cap_urls) {
        f->cap_urls = f->cap_urls ? f->cap_urls * 2 : 64;
        f->urls = xrealloc(f->urls, f->cap_urls * sizeof *f->urls);
    }
    f->urls[f->n_urls].doc = d;
    f->urls[f->n_urls].prev = har_map_get(&f->by_url, url);
    har_map_put(&f->by_url, url, (long)f->n_urls);
    f->n_urls++;
}

/* Newest window of page p that has held url, or -1. */
static long
doc_by_url(const struct har_frames *f, const char *url, long p)
{
    for (long r = har_map_get(&f->by_url, url); r >= 0; r = f->urls[r].prev)
        if (f->docs[f->urls[r].doc].page == p)
            return f->urls[r].doc;
    return -1;
}

/* Docs of page p whose current origin is origin: count, and the newest. */
static long
docs_with_origin(const struct har_frames *f, long p, const char *origin,
                 long *newest)
{
    long n = 0;
    *newest = -1;
    for (long d = f->pages[p].first_doc; d >= 0; d = f->docs[d].next_in_page)
        if (strcmp(f->docs[d].origin, origin) == 0) {
            n++;
            *newest = d;
        }
    return n;
}

/* A Referer that is only an origin ("https://a.example/"), as browsers send
 * cross-origin under strict-origin-when-cross-origin. */
static int
referer_is_origin_only(const char *ref)
{
    const char *p = strstr(ref, "://");
    if (p == NULL)
        return 0;
    p = strchr(p + 3, '/');
    return p == NULL || strcmp(p, "/") == 0;
}

/*
 * The document a Referer names.  A full URL names it exactly; so does an
 * origin-only Referer on a same-origin request (browsers send the full URL
 * same-origin).  A cross-origin origin-only Referer names a document only
 * when just one document of the page has that origin.
 */
static long
doc_by_referer(const struct har_frames *f, const struct har_entry *e, long page)
{
    if (e->referer == NULL || e->referer[0] == '\0')
        return -1;
    char ref_origin[PM_ORIGIN_MAX], url_origin_[PM_ORIGIN_MAX];
    url_origin(e->referer, NULL, ref_origin);
    url_origin(e->url, NULL, url_origin_);
    if (!referer_is_origin_only(e->referer) ||
        (ref_origin[0] && strcmp(ref_origin, url_origin_) == 0))
        return doc_by_url(f, e->referer, page);
    long newest;
    if (ref_origin[0] && docs_with_origin(f, page, ref_origin, &newest) == 1)
        return newest;
    return -1;
}

/*
 * A new window whose first load is e.  A redirect hop opens the window
 * without a document: the end of the chain is its first one.
 */
static enum pm_rc
doc_create(struct har_frames *f, const struct har_entry *e, long page,
           const char *kind, long parent, const char *how, long opener,
           const char *ext_id, long *out, struct pm_err *err)
{
    if (f->n_docs == f->cap_docs) {
        f->cap_docs = f->cap_docs ? f->cap_docs * 2 : 32;
        f->docs = xrealloc(f->docs, f->cap_docs * sizeof *f->docs);
    }
    long d = (long)f->n_docs;
    struct har_doc *doc = &f->docs[d];
    memset(doc, 0, sizeof *doc);
    doc->url = xstrdup(e->url);
    doc->page = page;
    doc->next_in_page = -1;
    doc->top_level = strcmp(kind, "iframe") != 0;
    url_origin(e->url, parent >= 0 ? f->docs[parent].origin : NULL,
               doc->origin);
    struct pm_window_rec w = {
        .source_id = f->ctx->source_id,
        .ext_id = ext_id,
        .kind = kind,
        .url = e->url,
        .origin = doc->origin[0] ? doc->origin : NULL,
        .parent_id = parent >= 0 ? f->docs[parent].window_id : 0,
        .parent_how = how,
        .opener_id = opener >= 0 ? f->docs[opener].window_id : 0,
        .first_seen = e->ts,
        /* a redirect hop is no document: the window's first is its end */
        .document_later = har_is_redirect(e),
    };
    if (store_add_window(f->ctx->st, &w, &doc->window_id, err))
        return err->rc;
    f->n_docs++;
    struct har_page *pg = &f->pages[page];
    if (pg->last_doc >= 0)
        f->docs[pg->last_doc].next_in_page = d;
    else
        pg->first_doc = d;
    pg->last_doc = d;
    pg->n_docs++;
    if (!har_is_redirect(e))
        doc_add_url(f, d, e->url);
    *out = d;
    return PM_OK;
}

/* Window d loads a new document (the end of a redirect chain, a
 * navigation), or goes through one more redirect hop. */
static enum pm_rc
doc_navigate(struct har_frames *f, long d, const struct har_entry *e,
             struct pm_err *err)
{
    struct har_doc *doc = &f->docs[d];
    free(doc->url);
    doc->url = xstrdup(e->url);
    url_origin(e->url, NULL, doc->origin);
    if (har_is_redirect(e))
        return PM_OK;
    doc_add_url(f, d, e->url);
    return store_add_navigation(f->ctx->st, doc->window_id, e->url,
                                doc->origin[0] ? doc->origin : NULL,
                                e->ts, err);
}

/* Window that loaded the script or document at url, same page. */
static long
doc_by_script_or_url(const struct har_frames *f, const char *url, long page,
                     int *exact)
{
    long d = doc_by_url(f, url, page);
    if (d >= 0) {
        *exact = 1;
        return d;
    }
    *exact = 0;
    d = har_map_get(&f->by_script, url);
    return d >= 0 && f->docs[d].page == page ? d : -1;
}

/* The window a body literal of the given kind for url was found in, same
 * page, or -1. */
static long
doc_by_literal(const struct har_frames *f, enum har_lit_kind kind,
               const char *url, long page)
{
    long d = har_map_get(&f->lits[kind], url);
    return d >= 0 && f->docs[d].page == page ? d : -1;
}

/*
 * Which window embeds the frame loaded by e.  strong_only leaves out the
 * weakest clue (a page that holds a single document).  Sets *how.
 */
static long
find_parent(const struct har_frames *f, const struct har_entry *e, long page,
            int strong_only, const char **how)
{
    long d;
    int exact;
    *how = "inferred";
    /* the parser or script that started the load (Chrome _initiator) */
    if (e->init_url && e->init_url[0]) {
        d = doc_by_script_or_url(f, e->init_url, page, &exact);
        if (d >= 0) {
            *how = exact ? "known" : "inferred";
            return d;
        }
    }
    if (e->init_stack_url && e->init_stack_url[0]) {
        d = doc_by_script_or_url(f, e->init_stack_url, page, &exact);
        if (d >= 0) {
            *how = exact ? "known" : "inferred";
            return d;
        }
    }
    /* an earlier <iframe src> literal for exactly this URL */
    if ((d = doc_by_literal(f, HAR_LIT_IFRAME, e->url, page)) >= 0)
        return d;
    /* Referer: the embedding document, when it names one */
    if ((d = doc_by_referer(f, e, page)) >= 0)
        return d;
    if (!strong_only && f->pages[page].n_docs == 1)
        return f->pages[page].first_doc;
    *how = "unknown";
    return -1;
}

/* The window a non-document request belongs to, or -1. */
static long
request_doc(const struct har_frames *f, const struct har_entry *e, long page)
{
    long d;
    int exact;
    if (e->frameref && (d = har_map_get(&f->by_frameref, e->frameref)) >= 0)
        return d;
    if (e->doc_url && (d = doc_by_url(f, e->doc_url, page)) >= 0)
        return d;
    if (e->init_url && e->init_url[0] &&
        (d = doc_by_script_or_url(f, e->init_url, page, &exact)) >= 0)
        return d;
    if (e->init_stack_url && e->init_stack_url[0] &&
        (d = doc_by_script_or_url(f, e->init_stack_url, page, &exact)) >= 0)
        return d;
    if ((d = doc_by_referer(f, e, page)) >= 0)
        return d;
    /* a full Referer naming a document of another page (a beacon sent
     * while the next page loads) */
    long r;
    if (e->referer && !referer_is_origin_only(e->referer) &&
        (r = har_map_get(&f->by_url, e->referer)) >= 0)
        return f->urls[r].doc;
    if (f->pages[page].n_docs == 1)
        return f->pages[page].first_doc;
    return -1;
}

/* Start a new top-level window (or popup when an opener is known). */
static enum pm_rc
top_create(struct har_frames *f, const struct har_entry *e, long page,
           long opener, long *d, struct pm_err *err)
{
    struct har_page *pg = &f->pages[page];
    const char *ext = pg->top_doc < 0 ? pg->id : NULL;
    if (doc_create(f, e, page, opener >= 0 ? "popup" : "top", -1, NULL,
                   opener, ext, d, err))
        return err->rc;
    if (f->pages[page].top_doc < 0)
        f->pages[page].top_doc = *d;
    return PM_OK;
}

/* A top-level document load: the page's window, a popup, or a new top. */
static enum pm_rc
place_top(struct har_frames *f, const struct har_entry *e, long page,
          long *d, struct pm_err *err)
{
    /* a popup is often a page of its own: its opener may be in any page */
    long opener = har_map_get(&f->lits[HAR_LIT_OPEN], e->url);
    struct har_page *pg = &f->pages[page];
    if (pg->top_doc < 0 || opener >= 0 || pg->id == NULL)
        /* no pages: every top-level load is its own */
        return top_create(f, e, page, opener, d, err);
    *d = pg->top_doc;
    return doc_navigate(f, *d, e, err);
}

static enum pm_rc
place_frame(struct har_frames *f, const struct har_entry *e, long page,
            long parent, const char *how, long *d, struct pm_err *err)
{
    return doc_create(f, e, page, "iframe", parent, how, -1, NULL, d, err);
}

/*
 * Key identifying one load, to fold duplicate records of it together.  A
 * long one is its SHA-256 after a 0x02 byte (the map would otherwise hash
 * a copy of URL and time; a key built from them always holds 0x1f).
 */
static char *
load_key(const struct har_entry *e)
{
    size_t a = strlen(e->url), b = e->started_at ? strlen(e->started_at) : 0;
    if (a + b + 1 > HAR_MAP_KEY_MAX) {
        struct pm_sha256 *h = sha256_new();
        sha256_update(h, e->url, a);
        sha256_update(h, "\x1f", 1);
        sha256_update(h, e->started_at ? e->started_at : "", b);
        char *k = xmalloc(PM_SHA256_HEX + 1);
        k[0] = '\x02';
        sha256_finish(h, k + 1);
        return k;
    }
    char *k = xmalloc(a + b + 2);
    memcpy(k, e->url, a);
    k[a] = '\x1f';
    memcpy(k + a + 1, e->started_at ? e->started_at : "", b);
    k[a + b + 1] = '\0';
    return k;
}

/*
 * The window a document of this page navigates itself away from to load
 * e, or -1: a location.replace/assign/href or meta refresh literal for
 * e's URL in a body of that window (a top-level load only from a top-level
 * window, a frame load only from a frame).  For a load of unsure kind
 * without such a body: one the browser started (initiator "other": a meta
 * refresh, a link) navigates the document its Referer names; one started
 * by an inline script of a top-level document, to that document's origin,
 * navigates that document's window (location.replace and friends).
 */
static long
self_navigation(const struct har_frames *f, const struct har_entry *e,
                long page, enum har_load_kind kind)
{
    long d = doc_by_literal(f, HAR_LIT_NAV, e->url, page);
    if (d >= 0 && (kind == HAR_LOAD_UNSURE ||
                   (kind == HAR_LOAD_TOP) == f->docs[d].top_level))
        return d;
    if (kind != HAR_LOAD_UNSURE || e->init_type == NULL)
        return -1;
    if (strcmp(e->init_type, "other") == 0)
        return doc_by_referer(f, e, page);
    const char *by = e->init_stack_url ? e->init_stack_url : e->init_url;
    if (strcmp(e->init_type, "script") != 0 || by == NULL ||
        (d = doc_by_url(f, by, page)) < 0 || !f->docs[d].top_level)
        return -1;
    char origin[PM_ORIGIN_MAX];
    url_origin(e->url, NULL, origin);
    return strcmp(origin, f->docs[d].origin) == 0 ? d : -1;
}

/* Place a document load: returns the window it lives in. */
static enum pm_rc
place_document(struct har_frames *f, const struct har_entry *e, long page,
               enum har_load_kind kind, long *out, struct pm_err *err)
{
    long d;
    const char *how = "unknown";
    struct har_page *pg = &f->pages[page];
    /* the same browsing context again: a redirect hop or a frame id */
    if ((d = har_map_get(&f->redirects, e->url)) >= 0) {
        har_map_put(&f->redirects, e->url, -1);
        if (f->docs[d].page == page)
            goto navigate;
    }
    if (e->frameref && (d = har_map_get(&f->by_frameref, e->frameref)) >= 0)
        goto navigate;
    /* a page's first document is its top */
    int first = pg->id ? pg->top_doc < 0 : pg->n_docs == 0;
    if (kind != HAR_LOAD_FRAME && first)
        return place_top(f, e, page, out, err);
    if ((d = self_navigation(f, e, page, kind)) >= 0)
        goto navigate;

    switch (kind) {
    case HAR_LOAD_TOP:
        return place_top(f, e, page, out, err);
    case HAR_LOAD_FRAME:
        d = find_parent(f, e, page, 0, &how);
        return place_frame(f, e, page, d, how, out, err);
    default: {
        long parent = find_parent(f, e, page, 1, &how);
        /* an HTML parser starts frame loads, never top-level ones */
        int parser = e->init_type && strcmp(e->init_type, "parser") == 0;
        if (parent >= 0 || parser)
            return place_frame(f, e, page, parent, how, out, err);
        return place_top(f, e, page, out, err);
    }
    }
navigate:
    *out = d;
    return doc_navigate(f, d, e, err);
}

/*
 * A request that no window claims names the document it was made from
 * (WebPageTest's _documentURL, a parser initiator, a full Referer) while
 * the file holds no load of that document (a filtered export, a cached or
 * unrecorded page): that document is a window all the same.  It is the
 * page's top when the page has none yet, else a frame (its parent from an
 * <iframe src> literal, else unknown).  A document of another page is no
 * new window: the request is that document's.
 */
static enum pm_rc
doc_from_subresource(struct har_frames *f, const struct har_entry *e,
                     long page, long *out, struct pm_err *err)
{
    const char *url = e->doc_url;
    char ref_origin[PM_ORIGIN_MAX], req_origin[PM_ORIGIN_MAX];
    if (url == NULL && e->init_type && strcmp(e->init_type, "parser") == 0)
        url = e->init_url;
    if (url == NULL && e->referer) {
        url_origin(e->referer, NULL, ref_origin);
        url_origin(e->url, NULL, req_origin);
        if (!referer_is_origin_only(e->referer) ||
            (ref_origin[0] && strcmp(ref_origin, req_origin) == 0))
            url = e->referer;
    }
    char *abs = url ? har_url_resolve(url, url) : NULL;
    *out = -1;
    if (abs == NULL || har_map_get(&f->nondoc_refs, abs) >= 0 ||
        har_map_get(&f->nondoc_refs, url) >= 0 || har_is_nondoc_path(abs)) {
        free(abs);
        return PM_OK;
    }
    free(abs);
    /* a document of another page (a beacon sent while the next page
     * loads): the request is that document's */
    long r = har_map_get(&f->by_url, url);
    if (r >= 0) {
        *out = f->urls[r].doc;
        return PM_OK;
    }
    struct har_entry doc = {.index = e->index, .url = url, .ts = e->ts,
                            .status = 200};
    struct har_page *pg = &f->pages[page];
    int first = pg->id ? pg->top_doc < 0 : pg->n_docs == 0;
    if (first) {
        if (top_create(f, &doc, page, -1, out, err))
            return err->rc;
    } else {
        long parent = doc_by_literal(f, HAR_LIT_IFRAME, url, page);
        if (place_frame(f, &doc, page, parent,
                        parent >= 0 ? "inferred" : "unknown", out, err))
            return err->rc;
    }
    if (e->frameref)
        har_map_put(&f->by_frameref, e->frameref, *out);
    return PM_OK;
}

/* A document load (kind != HAR_LOAD_NONE) that got a response: place it. */
static enum pm_rc
entry_document(struct har_frames *f, const struct har_entry *e, long page,
               enum har_load_kind kind, long *out, struct pm_err *err)
{
    char *key = load_key(e);
    long d = har_map_get(&f->loads, key);
    enum pm_rc rc = PM_OK;
    if (d >= 0)
        goto out;
    if ((rc = place_document(f, e, page, kind, &d, err)) != PM_OK)
        goto out;
    har_map_put(&f->loads, key, d);
    if (har_is_redirect(e)) {
        char *target = har_url_resolve(e->url, e->redirect);
        if (target)
            har_map_put(&f->redirects, target, d);
        free(target);
    } else if ((rc = store_set_document_http(f->ctx->st,
                                             f->docs[d].window_id, e->status,
                                             e->xfo, e->csp, err)) != PM_OK) {
        goto out;
    }
    if (e->frameref)
        har_map_put(&f->by_frameref, e->frameref, d);
out:
    free(key);
    *out = d;
    return rc;
}

enum pm_rc
har_frames_entry(struct har_frames *f, const struct har_entry *e,
                 int64_t *window_id, struct pm_err *err)
{
    long page = page_of(f, e->pageref);
    enum har_load_kind kind = har_classify_load(e);
    long d = -1;
    *window_id = 0;
    if (kind != HAR_LOAD_NONE && e->status > 0) {
        if (entry_document(f, e, page, kind, &d, err))
            return err->rc;
    } else {
        /* a non-document, or a load that got no response (status 0 or
         * -1): it never replaced a document */
        d = request_doc(f, e, page);
        if (d < 0 && kind == HAR_LOAD_NONE &&
            doc_from_subresource(f, e, page, &d, err))
            return err->rc;
        if (d >= 0 && kind == HAR_LOAD_NONE && e->frameref &&
            har_map_get(&f->by_frameref, e->frameref) < 0)
            har_map_put(&f->by_frameref, e->frameref, d);
        if (d >= 0 && har_is_script(e))
            har_map_put(&f->by_script, e->url, d);
        if (kind == HAR_LOAD_NONE && har_is_nondoc_response(e))
            har_map_put(&f->nondoc_refs, e->url, 1);
    }
    if (d >= 0)
        *window_id = f->docs[d].window_id;
    f->last_doc = d;
    return PM_OK;
}

/* ---- literals in bodies ------------------------------------------------ */

/* Remember literal text [s, s+n) found in doc d's body. */
static void
literal_add(void *arg, enum har_lit_kind kind, const char *s, size_t n)
{
    struct har_frames *f = arg;
    long d = f->last_doc;
    if (n == 0 || n > LITERAL_LEN_MAX || f->n_literals >= LITERALS_MAX)
        return;
    char *raw = xmalloc(n + 1), *o = raw;
    for (size_t i = 0; i < n; i++) {
        /* the one entity that matters in attribute URLs */
        if (kind != HAR_LIT_OPEN && n - i >= 5 &&
            memcmp(s + i, "&amp;", 5) == 0) {
            *o++ = '&';
            i += 4;
        } else {
            *o++ = s[i];
        }
    }
    *o = '\0';
    char *abs = har_url_resolve(f->docs[d].url, raw);
    if (abs) {
        har_map_put(&f->lits[kind], abs, d);
        f->n_literals++;
    }
    free(abs);
    free(raw);
}

void
har_frames_body(struct har_frames *f, const struct har_entry *e,
                int64_t window_id, const char *body, size_t n)
{
    if (window_id == 0 || n == 0)
        return;
    int html = har_is_html_mime(e->mime);
    if (!html && !har_is_script(e))
        return;
    long d = f->last_doc;
    if (d < 0 || f->docs[d].window_id != window_id)
        return;
    har_literals_scan(body, n, html, literal_add, f);
}

enum pm_rc
har_frames_finish(struct har_frames *f, double base_ms, struct pm_err *err)
{
    for (size_t i = 0; base_ms < 0 && i < f->n_pages; i++)
        base_ms = f->pages[i].ts;
    for (size_t i = 0; i < f->n_pages; i++) {
        struct har_page *pg = &f->pages[i];
        if (!pg->listed || pg->top_doc >= 0)
            continue;
        /* a listed page that loaded no document: its title is the URL
         * when the producer wrote one (Chrome does) */
        const char *url = NULL;
        if (pg->title && (har_has_prefix_ci(pg->title, "http://") ||
                          har_has_prefix_ci(pg->title, "https://")))
            url = pg->title;
        char origin[PM_ORIGIN_MAX];
        url_origin(url, NULL, origin);
        struct pm_window_rec w = {
            .source_id = f->ctx->source_id,
            .ext_id = pg->id,
            .kind = "top",
            .url = url,
            .origin = origin[0] ? origin : NULL,
            .first_seen = pg->ts >= 0 && base_ms >= 0 ? pg->ts - base_ms : -1,
        };
        int64_t id;
        if (store_add_window(f->ctx->st, &w, &id, err))
            return err->rc;
    }
    return PM_OK;
}
