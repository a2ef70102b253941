/*
 * har_classify.c - what one HAR entry is: a document load (top-level,
 * frame, or of unknown kind) or not, from the fields its producer wrote.
 *
 * What each field proves is data (load_rules[]), strongest first; entries
 * that carry none of those fields (Safari, Fiddler, Charles, mitmproxy,
 * old Chrome) fall back on what every producer records: the method, the
 * Accept header the browser sent and the MIME type it got.
 */
#include "har_classify.h"

#include <string.h>
#include <strings.h>

/* A redirect response with a target: a hop of a chain, not a document. */
int
har_is_redirect(const struct har_entry *e)
{
    return e->status >= 300 && e->status < 400 && e->redirect &&
           e->redirect[0];
}

int
har_has_prefix_ci(const char *s, const char *prefix)
{
    return s && strncasecmp(s, prefix, strlen(prefix)) == 0;
}

int
har_is_html_mime(const char *mime)
{
    return mime && (har_has_prefix_ci(mime, "text/html") ||
                    har_has_prefix_ci(mime, "application/xhtml+xml"));
}

#define N_SUFFIXES(a) (sizeof (a) / sizeof *(a))

/* Paths of subresources: an entry that does not say what it asked for
 * (no Accept) and got HTML at such a path got an error page, no document. */
static const char *const subresource_suffixes[] = {
    ".ico", ".png", ".gif", ".jpg", ".jpeg", ".webp", ".avif", ".svg",
    ".css", ".js", ".mjs", ".json", ".woff", ".woff2", ".ttf", ".map",
};

/* Does url's path (before ? and #) end in one of the n suffixes? */
static int
has_suffix(const char *url, const char *const *suffixes, size_t n)
{
    size_t len = strcspn(url, "?#");
    for (size_t i = 0; i < n; i++) {
        size_t k = strlen(suffixes[i]);
        if (len >= k && strncasecmp(url + len - k, suffixes[i], k) == 0)
            return 1;
    }
    return 0;
}

/* The entry fields that say what kind of load an entry is. */
enum load_field { LF_BASE_PAGE, LF_DEST, LF_RTYPE };

static const char *
load_field(const struct har_entry *e, enum load_field f)
{
    switch (f) {
    case LF_BASE_PAGE: return e->base_page ? "1" : NULL;
    case LF_DEST: return e->dest;
    case LF_RTYPE: return e->rtype;
    }
    return NULL;
}

/*
 * What each field proves, strongest first; the first row whose field the
 * entry has and whose value matches (NULL: any value) decides.  Who writes
 * which field is in docs/har.md.
 */
static const struct load_rule {
    const char *value;
    enum load_field field;
    enum har_load_kind kind;
} load_rules[] = {
    /* WebPageTest: _final_base_page / _is_base_page, the page's document */
    {NULL, LF_BASE_PAGE, HAR_LOAD_TOP},
    /* Fetch metadata (Chrome/Edge, Firefox, Playwright; secure contexts) */
    {"document", LF_DEST, HAR_LOAD_TOP},
    {"iframe", LF_DEST, HAR_LOAD_FRAME},
    {"frame", LF_DEST, HAR_LOAD_FRAME},
    {NULL, LF_DEST, HAR_LOAD_NONE},
    /* Chrome DevTools, chrome-har, Playwright: _resourceType;
     * WebPageTest: _request_type */
    {"document", LF_RTYPE, HAR_LOAD_UNSURE},
    {NULL, LF_RTYPE, HAR_LOAD_NONE},
};

/*
 * Is this entry a document load, and of which kind?  load_rules[] decides
 * when the entry has one of its fields; for producers that write none
 * (Safari, Fiddler, Charles, mitmproxy, old Chrome) an HTML response to a
 * GET that asked for HTML (or a redirect of one) and is not an XHR counts
 * as a document of unknown kind.
 */
enum har_load_kind
har_classify_load(const struct har_entry *e)
{
    for (size_t i = 0; i < sizeof load_rules / sizeof *load_rules; i++) {
        const char *v = load_field(e, load_rules[i].field);
        if (v && (load_rules[i].value == NULL ||
                  strcasecmp(v, load_rules[i].value) == 0))
            return load_rules[i].kind;
    }
    if (e->xhr || e->method == NULL || strcasecmp(e->method, "GET") != 0)
        return HAR_LOAD_NONE;
    if (!har_is_html_mime(e->mime) && !har_is_redirect(e))
        return HAR_LOAD_NONE;
    if (e->accept) {
        /* browsers ask for text/html when navigating (old IE: image/gif, ...) */
        if (strstr(e->accept, "text/html") == NULL &&
            !har_has_prefix_ci(e->accept, "image/gif, image/jpeg"))
            return HAR_LOAD_NONE;
    } else if (har_is_redirect(e) || has_suffix(e->url, subresource_suffixes,
                                                N_SUFFIXES(subresource_suffixes))) {
        /* without Accept, an HTML error page for /favicon.ico is no page */
        return HAR_LOAD_NONE;
    }
    return HAR_LOAD_UNSURE;
}

int
har_is_script(const struct har_entry *e)
{
    if (e->dest)
        return strcasecmp(e->dest, "script") == 0;
    if (e->rtype)
        return strcasecmp(e->rtype, "script") == 0;
    return e->mime && (strstr(e->mime, "javascript") ||
                       strstr(e->mime, "ecmascript"));
}

/* Paths and MIME types of responses a Referer can name without being a
 * document (a font's Referer is its stylesheet). */
static const char *const nondoc_suffixes[] = {".css", ".js", ".swf", ".svg"};
static const char *const nondoc_mimes[] = {
    "text/css", "image/svg+xml", "application/x-shockwave-flash",
};

int
har_is_nondoc_path(const char *url)
{
    return has_suffix(url, nondoc_suffixes, N_SUFFIXES(nondoc_suffixes));
}

int
har_is_nondoc_response(const struct har_entry *e)
{
    for (size_t i = 0; i < N_SUFFIXES(nondoc_mimes); i++)
        if (har_has_prefix_ci(e->mime, nondoc_mimes[i]))
            return 1;
    return 0;
}
