/*
 * classify_refs.c - how a handler refers to its event: the name sets
 * (names bound to the event, its origin, its source, its data), the
 * property chains that reach event.origin, event.source and event.data
 * (also through jQuery's originalEvent), and whether a token range is
 * tainted by the data.  Below both classify.c (checks) and
 * classify_sinks.c (sinks), which each use it and nothing of the other's
 * but classify.c's call of cls_scan_sinks.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "classify_int.h"
#include "jsmodel.h"

/* ---- name sets --------------------------------------------------------- */

int
cls_names_has(const struct cls *c, const struct nameset *ns, size_t k)
{
    const struct js_token *v = &c->t->v[k];
    if (v->type != JS_IDENT)
        return 0;
    for (int i = 0; i < ns->n; i++)
        if (ns->len[i] == v->len &&
            memcmp(c->t->src + ns->off[i], c->t->src + v->off, v->len) == 0)
            return 1;
    return 0;
}

void
cls_names_add(const struct cls *c, struct nameset *ns, size_t k)
{
    if (k >= c->t->n || c->t->v[k].type != JS_IDENT || cls_names_has(c, ns, k) ||
        ns->n == NAMES_MAX || js_is(c->t, k, "this") || js_is(c->t, k, "window"))
        return;
    ns->off[ns->n] = c->t->v[k].off;
    ns->len[ns->n] = c->t->v[k].len;
    ns->n++;
}

/* ---- token helpers ----------------------------------------------------- */

int
cls_is_dot(const struct js_tokens *t, size_t k)
{
    return js_is_punct(t, k, ".") || js_is_punct(t, k, "?.");
}

/* Token k is a variable reference (not a property after a dot). */
int
cls_is_var(const struct cls *c, size_t k, const struct nameset *ns)
{
    return k < c->t->n && !(k > 0 && cls_is_dot(c->t, k - 1)) &&
           cls_names_has(c, ns, k);
}

int
cls_is_cmp(const struct js_tokens *t, size_t k)
{
    return js_is_punct(t, k, "===") || js_is_punct(t, k, "!==") ||
           js_is_punct(t, k, "==") || js_is_punct(t, k, "!=");
}

int
cls_is_nullish_operand(const struct js_tokens *t, size_t k)
{
    char v[16];
    if (js_is_ident(t, k, "null") || js_is_ident(t, k, "undefined") ||
        js_is_ident(t, k, "void") || js_is_ident(t, k, "typeof"))
        return 1;
    /* the opaque origin "null" is told apart (normalised, refused), never allowed */
    return js_string_value(t, k, v, sizeof v) == 0 && (v[0] == '\0' || strcmp(v, "null") == 0);
}

int
cls_ident_in(const struct js_tokens *t, size_t k, const char *const *list)
{
    if (k >= t->n || t->v[k].type != JS_IDENT)
        return 0;
    for (int i = 0; list[i]; i++)
        if (js_is(t, k, list[i]))
            return 1;
    return 0;
}

/* Token k is the property `name` accessed on something: `. name` or `['name']`. */
size_t
cls_prop_end(const struct js_tokens *t, size_t k, const char *name)
{
    if (cls_is_dot(t, k) && js_is_ident(t, k + 1, name))
        return k + 2;
    char v[32];
    if (js_is_punct(t, k, "[") && js_string_value(t, k + 1, v, sizeof v) == 0 &&
        strcmp(v, name) == 0 && js_is_punct(t, k + 2, "]"))
        return k + 3;
    return 0;
}

/*
 * One past an event reference at k: a name bound to the event, or, in the
 * handler itself (not a helper), `arguments[0]`; 0 if none.
 */
size_t
cls_event_ref_end(const struct cls *c, size_t k)
{
    const struct js_tokens *t = c->t;
    if (cls_is_var(c, k, &c->ev))
        return k + 1;
    if (c->depth == 0 && js_is_ident(t, k, "arguments") && !(k > 0 && cls_is_dot(t, k - 1)) &&
        js_is_punct(t, k + 1, "[") && js_is(t, k + 2, "0") && js_is_punct(t, k + 3, "]"))
        return k + 4;
    return 0;
}

/* After an event reference at k: skip `.originalEvent` (jQuery). */
size_t
cls_skip_original_event(const struct js_tokens *t, size_t k)
{
    size_t e = cls_prop_end(t, k, "originalEvent");
    return e ? e : k;
}

/* One past `ev.origin` / `origin` alias starting at k, or 0. */
size_t
cls_origin_ref_end(const struct cls *c, size_t k)
{
    if (cls_is_var(c, k, &c->org))
        return k + 1;
    size_t ev = cls_event_ref_end(c, k);
    if (!ev)
        return 0;
    size_t e = cls_prop_end(c->t, cls_skip_original_event(c->t, ev), "origin");
    if (e && js_is_punct(c->t, e, "("))
        return 0;
    return e;
}

size_t
cls_source_ref_end(const struct cls *c, size_t k)
{
    if (cls_is_var(c, k, &c->src))
        return k + 1;
    size_t ev = cls_event_ref_end(c, k);
    return ev ? cls_prop_end(c->t, cls_skip_original_event(c->t, ev), "source") : 0;
}

size_t
cls_data_ref_end(const struct cls *c, size_t k)
{
    if (cls_is_var(c, k, &c->dat))
        return k + 1;
    size_t ev = cls_event_ref_end(c, k);
    return ev ? cls_prop_end(c->t, cls_skip_original_event(c->t, ev), "data") : 0;
}

int
cls_range_tainted(const struct cls *c, size_t a, size_t b)
{
    /* sink arguments and data assignments are short; a bound keeps
     * nested function expressions from making the scan quadratic */
    if (b - a > TAINT_SCAN_MAX)
        b = a + TAINT_SCAN_MAX;
    for (size_t k = a; k < b && k < c->t->n; k++)
        if (c->t->v[k].type == JS_IDENT && cls_data_ref_end(c, k))
            return 1;
    return 0;
}

/* Arguments of the call whose '(' is at open; 0 if not a call. */
int
cls_call_args(const struct cls *c, size_t open, size_t *a, size_t *b)
{
    if (!js_is_punct(c->t, open, "(") || c->t->v[open].match <= (int32_t)open)
        return 0;
    *a = open + 1;
    *b = (size_t)c->t->v[open].match;
    return 1;
}

