/*
 * har_literals.h - URL literals in HTML and script bodies that say what a
 * document does with another URL (private to the HAR importer): embeds it
 * (<iframe src>, <frame src>), opens it in a new window (window.open), or
 * navigates its own window to it (location.replace/assign, assignments to
 * location or location.href, <meta http-equiv="refresh">).
 */
#ifndef PM_HAR_LITERALS_H
#define PM_HAR_LITERALS_H

#include <stddef.h>

enum har_lit_kind {
    HAR_LIT_IFRAME, /* the document embeds the URL in a frame */
    HAR_LIT_OPEN,   /* the document opens the URL in a popup */
    HAR_LIT_NAV,    /* the document navigates its own window to the URL */
    HAR_LIT_KINDS
};

/* Called once per literal found: [s, s+n) as written, entities kept. */
typedef void har_lit_fn(void *arg, enum har_lit_kind kind, const char *s,
                        size_t n);

/*
 * Scan body[0..n) for literals: HTML tags when html is set, script calls
 * and assignments always (inline scripts sit in HTML).
 */
void har_literals_scan(const char *body, size_t n, int html, har_lit_fn *fn,
                       void *arg);

#endif
