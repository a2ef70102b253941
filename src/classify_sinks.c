/*
 * classify_sinks.c - the sinks a handler's event.data reaches (the list in
 * analyze.h: HTML and script sinks, navigation, storage, network, a
 * postMessage forward) and its replies to event.source.  A sink counts
 * when tainted data (event.data or a name derived from it, see classify.c)
 * appears in its argument or assigned value, not when a constant reaches
 * it under a condition on the data.
 */
#include <string.h>
#include <strings.h>

#include "classify_int.h"

static void
add_sink_if(struct cls *c, unsigned sink, size_t a, size_t b)
{
    if (a < b && cls_range_tainted(c, a, b))
        c->out->sinks |= sink;
}

static size_t
rhs_end(const struct cls *c, size_t a)
{
    return js_expr_end(c->t, a, c->b);
}

/* The receiver token before `.name` is one of list. */
static int
receiver_in(const struct js_tokens *t, size_t name, const char *const *list)
{
    return name >= 2 && cls_is_dot(t, name - 1) && cls_ident_in(t, name - 2, list);
}

static const char *const window_names[] = {
    "window", "self", "top", "globalThis", "parent", NULL,
};

void
cls_scan_sinks(struct cls *c, size_t k)
{
    const struct js_tokens *t = c->t;
    int after_dot = k > 0 && cls_is_dot(t, k - 1);
    size_t a, b;
    char v[32];
    if (after_dot && (js_is(t, k, "innerHTML") || js_is(t, k, "outerHTML")) &&
        (js_is_punct(t, k + 1, "=") || js_is_punct(t, k + 1, "+="))) {
        add_sink_if(c, js_is(t, k, "innerHTML") ? PM_SINK_INNERHTML : PM_SINK_OUTERHTML,
                    k + 2, rhs_end(c, k + 2));
    } else if (js_is(t, k, "insertAdjacentHTML") && cls_call_args(c, k + 1, &a, &b)) {
        add_sink_if(c, PM_SINK_INSERTADJACENTHTML, a, b);
    } else if ((js_is(t, k, "write") || js_is(t, k, "writeln")) &&
               receiver_in(t, k, (const char *const[]){"document", NULL}) &&
               cls_call_args(c, k + 1, &a, &b)) {
        add_sink_if(c, PM_SINK_DOCUMENT_WRITE, a, b);
    } else if (js_is(t, k, "eval") && (!after_dot || receiver_in(t, k, window_names)) &&
               cls_call_args(c, k + 1, &a, &b)) {
        add_sink_if(c, PM_SINK_EVAL, a, b);
    } else if (js_is(t, k, "Function") && cls_call_args(c, k + 1, &a, &b)) {
        add_sink_if(c, PM_SINK_FUNCTION, a, b);
    } else if ((js_is(t, k, "setTimeout") || js_is(t, k, "setInterval")) &&
               (!after_dot || receiver_in(t, k, window_names)) &&
               cls_call_args(c, k + 1, &a, &b)) {
        struct js_func f;
        size_t e = js_expr_end(t, a, b);
        if (!js_func_at(t, a, &f))
            add_sink_if(c, js_is(t, k, "setTimeout") ? PM_SINK_SETTIMEOUT
                                                      : PM_SINK_SETINTERVAL, a, e);
    } else if (js_is(t, k, "location")) {
        if (js_is_punct(t, k + 1, "=") || js_is_punct(t, k + 1, "+="))
            add_sink_if(c, PM_SINK_LOCATION, k + 2, rhs_end(c, k + 2));
        else if (cls_is_dot(t, k + 1) && js_is(t, k + 2, "href") &&
                 (js_is_punct(t, k + 3, "=") || js_is_punct(t, k + 3, "+=")))
            add_sink_if(c, PM_SINK_LOCATION, k + 4, rhs_end(c, k + 4));
        else if (cls_is_dot(t, k + 1) && (js_is(t, k + 2, "assign") || js_is(t, k + 2, "replace")) &&
                 cls_call_args(c, k + 3, &a, &b))
            add_sink_if(c, PM_SINK_LOCATION, a, b);
    } else if (js_is(t, k, "open") && (!after_dot || receiver_in(t, k, window_names)) &&
               cls_call_args(c, k + 1, &a, &b)) {
        add_sink_if(c, PM_SINK_WINDOW_OPEN, a, js_expr_end(t, a, b));
    } else if (js_is(t, k, "open") && after_dot && cls_call_args(c, k + 1, &a, &b) &&
               js_string_value(t, a, v, sizeof v) == 0 &&
               (strcasecmp(v, "GET") == 0 || strcasecmp(v, "POST") == 0 ||
                strcasecmp(v, "PUT") == 0 || strcasecmp(v, "DELETE") == 0 ||
                strcasecmp(v, "PATCH") == 0 || strcasecmp(v, "HEAD") == 0)) {
        add_sink_if(c, PM_SINK_XHR, a, b);
    } else if (after_dot && (js_is(t, k, "src") || js_is(t, k, "href")) &&
               js_is_punct(t, k + 1, "=") &&
               !(k >= 2 && js_is_ident(t, k - 2, "location"))) {
        add_sink_if(c, js_is(t, k, "src") ? PM_SINK_SRC : PM_SINK_HREF, k + 2,
                    rhs_end(c, k + 2));
    } else if (js_is(t, k, "setAttribute") && cls_call_args(c, k + 1, &a, &b) &&
               js_string_value(t, a, v, sizeof v) == 0) {
        if (strcasecmp(v, "src") == 0)
            add_sink_if(c, PM_SINK_SRC, a + 1, b);
        else if (strcasecmp(v, "href") == 0)
            add_sink_if(c, PM_SINK_HREF, a + 1, b);
        else if (strcasecmp(v, "srcdoc") == 0)
            add_sink_if(c, PM_SINK_INNERHTML, a + 1, b);
    } else if (after_dot && js_is(t, k, "html") && cls_call_args(c, k + 1, &a, &b)) {
        add_sink_if(c, PM_SINK_JQUERY_HTML, a, b);
    } else if (!after_dot && (js_is(t, k, "$") || js_is(t, k, "jQuery")) &&
               cls_call_args(c, k + 1, &a, &b)) {
        add_sink_if(c, PM_SINK_JQUERY, a, b);
    } else if (js_is(t, k, "setItem") && after_dot && k >= 2 &&
               (js_is(t, k - 2, "localStorage") || js_is(t, k - 2, "sessionStorage")) &&
               cls_call_args(c, k + 1, &a, &b)) {
        add_sink_if(c, js_is(t, k - 2, "localStorage") ? PM_SINK_LOCALSTORAGE
                                                        : PM_SINK_SESSIONSTORAGE, a, b);
    } else if (js_is(t, k, "cookie") && receiver_in(t, k, (const char *const[]){"document", NULL}) &&
               (js_is_punct(t, k + 1, "=") || js_is_punct(t, k + 1, "+="))) {
        add_sink_if(c, PM_SINK_COOKIE, k + 2, rhs_end(c, k + 2));
    } else if (js_is(t, k, "fetch") && (!after_dot || receiver_in(t, k, window_names)) &&
               cls_call_args(c, k + 1, &a, &b)) {
        add_sink_if(c, PM_SINK_FETCH, a, b);
    } else if (js_is(t, k, "postMessage") && cls_call_args(c, k + 1, &a, &b)) {
        int to_source = 0;
        /* e.source.postMessage / source.postMessage: a reply */
        for (size_t back = 2; after_dot && back <= 8 && back <= k && k - back >= c->a;
             back++)
            if (cls_source_ref_end(c, k - back) == k - 1) {
                to_source = 1;
                break;
            }
        if (to_source) {
            c->out->replies = 1;
            size_t a1 = js_expr_end(t, a, b);
            while (a1 < b && !js_is_punct(t, a1, ","))
                a1 = js_expr_end(t, a1 + 1, b);
            if (a1 < b && c->out->reply_target[0] == '\0') {
                if (js_string_value(t, a1 + 1, c->out->reply_target,
                                    sizeof c->out->reply_target) != 0)
                    js_text(t, a1 + 1, b, c->out->reply_target,
                            sizeof c->out->reply_target);
            }
        } else {
            add_sink_if(c, PM_SINK_POSTMESSAGE, a, js_expr_end(t, a, b));
        }
    }
}

