/*
 * har_classify.h - what one HAR entry is (private to the HAR importer):
 * the fields the importer reads from it, and whether it loads a document,
 * of which kind, by the fields each producer writes (load_rules[] in
 * har_classify.c; docs/har.md lists them per producer).
 */
#ifndef PM_HAR_CLASSIFY_H
#define PM_HAR_CLASSIFY_H

#include <stddef.h>

/* What the importer extracted from one entry; strings borrowed. */
struct har_entry {
    long index;
    const char *url;
    const char *method;
    const char *started_at;
    double ts;               /* ms since the source started, <0 unknown */
    const char *pageref;
    const char *frameref;    /* Playwright _frameref, WebPageTest _frame_id */
    const char *doc_url;     /* WebPageTest _documentURL (non-documents) */
    int base_page;           /* WebPageTest _final_base_page/_is_base_page */
    const char *dest;        /* Sec-Fetch-Dest, NULL if absent */
    const char *rtype;       /* _resourceType, WebPageTest _request_type */
    const char *referer;
    const char *accept;
    int xhr;                 /* X-Requested-With present */
    const char *init_type;   /* _initiator.type or _initiator_type
                              * ("parser", "script", "other", ...) */
    const char *init_url;    /* _initiator.url or the string form
                              * (chrome-har, WebPageTest) */
    const char *init_stack_url; /* first callFrames url of _initiator.stack */
    int status;
    const char *mime;
    const char *redirect;    /* redirectURL or Location */
    const char *xfo;         /* response X-Frame-Options */
    const char *csp;         /* response Content-Security-Policy */
};

/* What kind of load an entry is. */
enum har_load_kind {
    HAR_LOAD_NONE,   /* not a document (subresource, fetch/XHR, ping) */
    HAR_LOAD_TOP,    /* a top-level document (tab, popup) */
    HAR_LOAD_FRAME,  /* a frame document */
    HAR_LOAD_UNSURE  /* a document, of a kind the entry does not say */
};

enum har_load_kind har_classify_load(const struct har_entry *e);

/* A 3xx response with a target: a hop of a redirect chain. */
int har_is_redirect(const struct har_entry *e);
/* A script (Sec-Fetch-Dest, _resourceType, else MIME type). */
int har_is_script(const struct har_entry *e);
int har_is_html_mime(const char *mime);
int har_has_prefix_ci(const char *s, const char *prefix);

/*
 * A response that a Referer (or parser initiator) can name without being
 * a document: a stylesheet (fonts and images it loads name it), an SVG
 * image, a Flash movie.  har_is_nondoc_response looks at an entry's MIME
 * type, har_is_nondoc_path at a URL's path.
 */
int har_is_nondoc_response(const struct har_entry *e);
int har_is_nondoc_path(const char *url);

#endif
