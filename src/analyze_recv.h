/*
 * analyze_recv.h - what window a postMessage call's receiver expression
 * denotes, said as a receiver descriptor that the static-edge pass
 * (static_edges.c) resolves on the window model.  Descriptors:
 *
 *   parent, top, opener, self       the window relation itself
 *   frame:N                         frames[N], window[N]: the Nth child
 *   iframe-id:ID                    document.getElementById('ID').contentWindow
 *   iframe-name:NAME                frames['NAME'], frames.NAME, getElementsByName
 *   iframe-src:URL                  a querySelector on an iframe's src
 *   popup:URL                       a window.open('URL', ...) result ("popup:" when
 *                                   the URL is not a literal)
 *   reply                           event.source: whoever sent the handled message
 *   port, worker                    not a window: no window edge
 *   ""                              not known
 */
#ifndef PM_ANALYZE_RECV_H
#define PM_ANALYZE_RECV_H

#include <stddef.h>

#include "jsfunc.h"

/*
 * The descriptor of the receiver expression in tokens [a, e) of s (the
 * tokens before `.postMessage`), into out.  Names are followed through the
 * script: a variable to each value assigned to it (those that are not
 * null must agree), a call of a function declared in the script to what it
 * returns, an element variable to its getElementById, at most 6 steps.
 */
void send_receiver(struct js_script *s, size_t a, size_t e, char *out,
                   size_t outsz);

/* The descriptor of a receiver written as text (send sites stored before
 * the descriptor was: parent, window.top, e.source, frames[0], port...;
 * a trace's recorded target: iframe:URL, popup:URL); names and calls
 * give "". */
void send_receiver_of_text(const char *expr, char *out, size_t outsz);

#endif
