/*
 * analyze_recv.c - a send site's receiver expression to a receiver
 * descriptor (analyze_recv.h), on the tokens of its script.
 *
 * This is a narrow rule, not an evaluation: it knows the window relations
 * (parent, top, opener, self, frames[N]), the element lookups pages use to
 * reach an iframe (getElementById, querySelector('#id'), a name through
 * frames['name'], getElementsByName or querySelector('iframe[name=...]'),
 * getElementsByTagName('iframe')[N]), window.open, event.source and
 * MessagePorts, and follows names through the script's index of
 * assignments and function declarations (jsfunc.c): `popup =
 * window.open(url)` where popup is also set to null elsewhere, `function
 * widgetWindow() { return document.getElementById('widget').contentWindow
 * }`.  Anything else (a parameter, a property of an object, a value
 * computed at run time) is "": not known, and no edge is guessed.
 */
#include "analyze_recv.h"

#include <stdio.h>
#include <string.h>

#define RECV_DEPTH 6
#define RECV_VALUES 8
/*
 * Work one send site may cost, in expressions resolved plus tokens walked
 * looking for a function's returns: names assigned many times, each to
 * other such names, would otherwise branch RECV_VALUES ways at every
 * step, and a helper of a megabyte would be walked once per call site.
 */
#define RECV_WORK 8192

struct recv {
    struct js_script *s;
    long work_left;
};

static void resolve(struct recv *r, size_t a, size_t e, int depth,
                    char *out, size_t outsz);

static int
is_global(const struct js_tokens *t, size_t k)
{
    return js_is_ident(t, k, "window") || js_is_ident(t, k, "self") ||
           js_is_ident(t, k, "globalThis");
}

/* A string argument at token k (the '(' before it is k - 1): its value. */
static int
string_arg(const struct js_tokens *t, size_t k, char *out, size_t outsz)
{
    return k < t->n && t->v[k].type == JS_STR &&
           js_string_value(t, k, out, outsz) == 0;
}

/*
 * The element expression [a, e) (what .contentWindow is read on) as an
 * iframe descriptor.
 */
static void
resolve_element(struct recv *r, size_t a, size_t e, int depth, char *out,
                size_t outsz)
{
    struct js_script *s = r->s;
    const struct js_tokens *t = &s->t;
    char v[200];
    out[0] = '\0';
    if (depth > RECV_DEPTH || a >= e || --r->work_left < 0)
        return;
    if (js_is_ident(t, a, "document") && js_is_punct(t, a + 1, "."))
        a += 2;
    if (e - a == 4 && js_is_ident(t, a, "getElementById") &&
        js_is_punct(t, a + 1, "(") && string_arg(t, a + 2, v, sizeof v)) {
        snprintf(out, outsz, "iframe-id:%s", v);
        return;
    }
    if (e - a == 4 && js_is_ident(t, a, "querySelector") &&
        js_is_punct(t, a + 1, "(") && string_arg(t, a + 2, v, sizeof v)) {
        char *src;
        if (v[0] == '#') {
            snprintf(out, outsz, "iframe-id:%s", v + 1);
        } else if ((src = strstr(v, "src=")) != NULL ||
                   (src = strstr(v, "name=")) != NULL) {
            int name = src[0] == 'n';
            src = strchr(src, '=') + 1;
            src += strspn(src, "'\"");
            src[strcspn(src, "'\"]")] = '\0';
            snprintf(out, outsz, "%s:%s", name ? "iframe-name" : "iframe-src", src);
        }
        return;
    }
    /* getElementsByName('x')[0] */
    if (e - a == 7 && js_is_ident(t, a, "getElementsByName") &&
        string_arg(t, a + 2, v, sizeof v) && js_is_punct(t, a + 4, "[")) {
        snprintf(out, outsz, "iframe-name:%s", v);
        return;
    }
    /* getElementsByTagName('iframe')[N] */
    if (e - a == 7 && js_is_ident(t, a, "getElementsByTagName") &&
        string_arg(t, a + 2, v, sizeof v) && strcmp(v, "iframe") == 0 &&
        js_is_punct(t, a + 4, "[") && t->v[a + 5].type == JS_NUM) {
        snprintf(out, outsz, "frame:%.*s", (int)t->v[a + 5].len,
                 t->src + t->v[a + 5].off);
        return;
    }
    if (e - a == 1 && t->v[a].type == JS_IDENT) {
        size_t vals[RECV_VALUES];
        size_t n = js_values_named(s, t->src + t->v[a].off, t->v[a].len,
                                   vals, RECV_VALUES);
        char got[200];
        for (size_t i = 0; i < n; i++) {
            size_t ve = js_expr_end(t, vals[i], t->n);
            resolve_element(r, vals[i], ve, depth + 1, got, sizeof got);
            if (got[0] == '\0')
                continue;
            if (out[0] && strcmp(out, got) != 0) {
                out[0] = '\0';
                return;
            }
            snprintf(out, outsz, "%s", got);
        }
    }
}

/* A name's values (null and undefined skipped) must agree on one descriptor. */
static void
resolve_name(struct recv *r, size_t k, int depth, char *out, size_t outsz)
{
    struct js_script *s = r->s;
    const struct js_tokens *t = &s->t;
    size_t vals[RECV_VALUES];
    size_t n = js_values_named(s, t->src + t->v[k].off, t->v[k].len, vals,
                               RECV_VALUES);
    char got[200];
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (js_is_ident(t, vals[i], "null") || js_is_ident(t, vals[i], "undefined"))
            continue;
        size_t ve = js_expr_end(t, vals[i], t->n);
        resolve(r, vals[i], ve, depth + 1, got, sizeof got);
        if (got[0] == '\0' || (out[0] && strcmp(out, got) != 0)) {
            out[0] = '\0';
            return;
        }
        snprintf(out, outsz, "%s", got);
    }
}

/* NAME(...): what the function declared as NAME returns (all returns agree). */
static void
resolve_call(struct recv *r, size_t k, int depth, char *out, size_t outsz)
{
    struct js_script *s = r->s;
    const struct js_tokens *t = &s->t;
    struct js_func f;
    out[0] = '\0';
    if (!js_resolve_function(s, t->src + t->v[k].off, t->v[k].len, k, &f))
        return;
    if (!js_is_punct(t, f.body_start, "{")) { /* x => expr */
        resolve(r, f.body_start, f.body_end, depth + 1, out, outsz);
        return;
    }
    char got[200];
    for (size_t i = f.body_start + 1; i + 1 < f.body_end; i++) {
        if (--r->work_left < 0) {
            out[0] = '\0';
            return;
        }
        if (!js_is_ident(t, i, "return"))
            continue;
        size_t re = js_expr_end(t, i + 1, f.body_end);
        resolve(r, i + 1, re, depth + 1, got, sizeof got);
        if (got[0] == '\0' || (out[0] && strcmp(out, got) != 0)) {
            out[0] = '\0';
            return;
        }
        snprintf(out, outsz, "%s", got);
    }
}

static void
resolve(struct recv *r, size_t a, size_t e, int depth, char *out,
        size_t outsz)
{
    const struct js_tokens *t = &r->s->t;
    out[0] = '\0';
    if (depth > RECV_DEPTH || a >= e || e > t->n || --r->work_left < 0)
        return;
    /* window.parent, self.opener, window.window.top */
    while (e - a > 2 && is_global(t, a) && js_is_punct(t, a + 1, "."))
        a += 2;
    size_t n = e - a;
    if (n == 1 && t->v[a].type == JS_IDENT) {
        static const char *const rel[] = {"parent", "top", "opener", NULL};
        for (int i = 0; rel[i]; i++)
            if (js_is_ident(t, a, rel[i])) {
                snprintf(out, outsz, "%s", rel[i]);
                return;
            }
        if (is_global(t, a)) {
            snprintf(out, outsz, "self");
            return;
        }
        if (js_is_ident(t, a, "source")) {
            snprintf(out, outsz, "reply");
            return;
        }
        resolve_name(r, a, depth, out, outsz);
        return;
    }
    /* e.source, e.originalEvent.source, event.ports[0], channel.port1 */
    size_t last = e - 1;
    if (js_is_punct(t, last, "]") && t->v[last].match >= 0)
        last = (size_t)t->v[last].match - 1;
    if (last > a && last < e && t->v[last].type == JS_IDENT &&
        js_is_punct(t, last - 1, ".")) {
        if (js_is_ident(t, last, "source") && last == e - 1) {
            snprintf(out, outsz, "reply");
            return;
        }
        if (js_is_ident(t, last, "port1") || js_is_ident(t, last, "port2") ||
            js_is_ident(t, last, "port") || js_is_ident(t, last, "ports")) {
            snprintf(out, outsz, "port");
            return;
        }
        if (js_is_ident(t, last, "contentWindow") && last == e - 1) {
            resolve_element(r, a, last - 1, depth, out, outsz);
            return;
        }
    }
    /* frames[N], window[N] (window. stripped above: frames[N] or [N] left);
     * frames['name'], frames.name: a child by its name */
    if (n == 4 && (js_is_ident(t, a, "frames") || is_global(t, a)) &&
        js_is_punct(t, a + 1, "[") && js_is_punct(t, a + 3, "]")) {
        char name[128];
        if (t->v[a + 2].type == JS_NUM)
            snprintf(out, outsz, "frame:%.*s", (int)t->v[a + 2].len,
                     t->src + t->v[a + 2].off);
        else if (string_arg(t, a + 2, name, sizeof name))
            snprintf(out, outsz, "iframe-name:%s", name);
        return;
    }
    if (n == 3 && js_is_ident(t, a, "frames") && js_is_punct(t, a + 1, ".") &&
        t->v[a + 2].type == JS_IDENT) {
        snprintf(out, outsz, "iframe-name:%.*s", (int)t->v[a + 2].len,
                 t->src + t->v[a + 2].off);
        return;
    }
    /* window.open('url', ...) */
    if (js_is_ident(t, a, "open") && js_is_punct(t, a + 1, "(") &&
        t->v[a + 1].match == (int32_t)(e - 1)) {
        char url[200];
        if (string_arg(t, a + 2, url, sizeof url))
            snprintf(out, outsz, "popup:%s", url);
        else
            snprintf(out, outsz, "popup:");
        return;
    }
    /* new Worker(...) */
    if (js_is_ident(t, a, "new") && (js_is_ident(t, a + 1, "Worker") ||
                                     js_is_ident(t, a + 1, "SharedWorker"))) {
        snprintf(out, outsz, "worker");
        return;
    }
    /* NAME() and NAME(args): the function's returns */
    if (t->v[a].type == JS_IDENT && js_is_punct(t, a + 1, "(") &&
        t->v[a + 1].match == (int32_t)(e - 1)) {
        resolve_call(r, a, depth, out, outsz);
        return;
    }
    /* a parenthesised expression */
    if (js_is_punct(t, a, "(") && t->v[a].match == (int32_t)(e - 1))
        resolve(r, a + 1, e - 1, depth + 1, out, outsz);
}

void
send_receiver(struct js_script *s, size_t a, size_t e, char *out, size_t outsz)
{
    struct recv r = {s, RECV_WORK};
    resolve(&r, a, e, 0, out, outsz);
    if (r.work_left < 0)
        out[0] = '\0'; /* an answer cut short is no answer */
}

void
send_receiver_of_text(const char *expr, char *out, size_t outsz)
{
    struct js_script s;
    memset(&s, 0, sizeof s);
    out[0] = '\0';
    if (expr == NULL)
        return;
    /* a trace's send record says how the sender reached the window
     * (docs/trace-format.md): iframe:URL, popup:URL, parent, frames[i]... */
    if (strncmp(expr, "iframe:", 7) == 0) {
        snprintf(out, outsz, "iframe-src:%s", expr + 7);
        return;
    }
    if (strncmp(expr, "popup:", 6) == 0) {
        snprintf(out, outsz, "%s", expr);
        return;
    }
    js_tokenize(expr, strlen(expr), 1, 1, &s.t);
    js_script_budget(&s);
    send_receiver(&s, 0, s.t.n, out, outsz);
    js_script_release(&s);
}
