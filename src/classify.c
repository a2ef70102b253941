/*
 * classify.c - what one message handler does with its event: how it checks
 * event.origin (the classes of analyze.h), which sinks event.data reaches,
 * and whether it answers through event.source.postMessage.
 *
 * The analysis is a pattern match over the handler's tokens with a small
 * amount of data flow: names bound to the event, to its origin, to its
 * source and to data derived from event.data are tracked through
 * parameters (also destructured ones), `var x = ...` assignments,
 * destructuring and array callbacks.  Calls that pass the event, its origin
 * or its data to a function declared in the same script are followed (to a
 * bounded depth), so checks and sinks in helper functions are seen.  When a
 * handler holds several checks, the weakest judged one is reported, because
 * one flawed disjunct (`o === A || o.endsWith(B)`) opens the door.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "classify.h"
#include "classify_int.h"
#include "jsmodel.h"

static const char *const check_methods[] = {
    "indexOf", "lastIndexOf", "includes", "startsWith", "endsWith", "search",
    "match", "localeCompare", "test", NULL,
};

/* Extend an origin expression through property reads and value-preserving calls. */
static size_t
transparent_end(const struct cls *c, size_t e)
{
    const struct js_tokens *t = c->t;
    for (int steps = 0; steps < 8 && e < t->n; steps++) {
        if (cls_is_dot(t, e) && e + 1 < t->n && t->v[e + 1].type == JS_IDENT &&
            !cls_ident_in(t, e + 1, check_methods)) {
            e += 2;
            if (js_is_punct(t, e, "(") && t->v[e].match > 0)
                e = (size_t)t->v[e].match + 1;
        } else if (js_is_punct(t, e, "[") && t->v[e].match > 0) {
            e = (size_t)t->v[e].match + 1;
        } else {
            break;
        }
    }
    return e;
}

/* ---- check recording --------------------------------------------------- */

static int
check_rank(enum pm_check_kind k)
{
    switch (k) {
    case PM_CHECK_NONE: return 0;
    case PM_CHECK_SOURCE: return 1;
    case PM_CHECK_UNKNOWN: return 2;
    case PM_CHECK_STRICT: return 3;
    default: return 4;
    }
}

static int
span_stop(const struct js_tokens *t, size_t k)
{
    static const char *const stops[] = {
        ",", ";", "&&", "||", "??", "?", ":", "=", "=>", NULL,
    };
    if (t->v[k].type == JS_PUNCT) {
        for (int i = 0; stops[i]; i++)
            if (js_is(t, k, stops[i]))
                return 1;
        return 0;
    }
    static const char *const kw[] = {"return", "if", "case", "else", "throw", NULL};
    return cls_ident_in(t, k, kw);
}

/* Grow tokens [a, b) to the whole comparison clause around them. */
static void
expand_span(const struct cls *c, size_t *a, size_t *b)
{
    const struct js_tokens *t = c->t;
    size_t k = *a;
    for (int n = 0; n < SPAN_TOKENS_MAX && k > 0; n++) {
        size_t p = k - 1;
        const struct js_token *v = &t->v[p];
        if (v->type == JS_PUNCT && v->len == 1 && strchr(")]}", t->src[v->off]) &&
            v->match >= 0) {
            k = (size_t)v->match;
            continue;
        }
        if ((v->type == JS_PUNCT && v->len == 1 && strchr("([{", t->src[v->off])) ||
            span_stop(t, p))
            break;
        k = p;
    }
    *a = k;
    k = *b;
    for (int n = 0; n < SPAN_TOKENS_MAX && k < t->n; n++) {
        const struct js_token *v = &t->v[k];
        if (v->type == JS_PUNCT && v->len == 1 && strchr("([{", t->src[v->off]) &&
            v->match > (int32_t)k) {
            k = (size_t)v->match + 1;
            continue;
        }
        if ((v->type == JS_PUNCT && v->len == 1 && strchr(")]}", t->src[v->off])) ||
            span_stop(t, k) || (v->nl_before && k > *b))
            break;
        k++;
    }
    *b = k;
}

/*
 * Token k sits in the negated condition of an `if` whose consequence only
 * logs (`if (o !== A) console.warn(...)`, no return, throw or else): the
 * mismatch is noted and the handler goes on, so it restricts nothing.
 */
static int
condition_only_logs(const struct cls *c, size_t k)
{
    const struct js_tokens *t = c->t;
    size_t p = k;
    for (int steps = 0; p > c->a && steps < WALK_MAX; steps++) {
        p--;
        if (js_is_closer(t, p) && t->v[p].match >= 0 && (size_t)t->v[p].match < p) {
            p = (size_t)t->v[p].match;
            continue;
        }
        if (js_is_punct(t, p, "(") && t->v[p].match > (int32_t)k)
            break;
        if (js_is_punct(t, p, "{") || js_is_punct(t, p, ";"))
            return 0;
    }
    if (p == 0 || !js_is_punct(t, p, "(") || !js_is_ident(t, p - 1, "if"))
        return 0;
    /* only a mismatch branch: a condition that holds when the origin is wrong */
    int negated = 0;
    for (size_t j = p + 1; j < (size_t)t->v[p].match; j++)
        negated |= js_is_punct(t, j, "!==") || js_is_punct(t, j, "!=") ||
                   js_is_punct(t, j, "!") || js_is_punct(t, j, "<");
    if (!negated)
        return 0;
    size_t body = (size_t)t->v[p].match + 1, end;
    if (js_is_punct(t, body, "{") && t->v[body].match > 0) {
        end = (size_t)t->v[body].match;
        body++;
    } else {
        end = js_expr_end(t, body, c->b);
    }
    if (!js_is_ident(t, body, "console") || js_is_ident(t, end + 1, "else"))
        return 0;
    for (size_t j = body; j < end && j < c->b; j++)
        if (js_is_ident(t, j, "return") || js_is_ident(t, j, "throw") ||
            js_is_ident(t, j, "break") || js_is_ident(t, j, "continue"))
            return 0;
    return 1;
}

static void
record_check(struct cls *c, enum pm_check_kind kind, size_t a, size_t b)
{
    int r = check_rank(kind);
    if (r <= c->rank || condition_only_logs(c, a))
        return;
    c->rank = r;
    c->out->check = kind;
    expand_span(c, &a, &b);
    /* `!list.includes(o)` reads as the check itself: drop leading negations */
    while (a + 1 < b && js_is_punct(c->t, a, "!"))
        a++;
    js_text(c->t, a, b, c->out->check_expr, sizeof c->out->check_expr);
    js_token_pos(c->t, a, &c->out->check_line, &c->out->check_col);
}

/* ---- regexes ----------------------------------------------------------- */

/*
 * Judge a regex source: strict only when anchored with ^ and $ (with no
 * top-level alternation escaping the anchors) and without an unescaped '.'
 * outside a character class.
 */
static enum pm_check_kind
regex_kind(const char *re, size_t n)
{
    if (n < 2 || re[0] != '^' || re[n - 1] != '$' || (n >= 2 && re[n - 2] == '\\'))
        return PM_CHECK_REGEX;
    int depth = 0, in_class = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = re[i];
        if (ch == '\\') {
            i++;
            continue;
        }
        if (in_class) {
            if (ch == ']')
                in_class = 0;
            continue;
        }
        if (ch == '[')
            in_class = 1;
        else if (ch == '(')
            depth++;
        else if (ch == ')')
            depth--;
        else if (ch == '|' && depth == 0)
            return PM_CHECK_REGEX;
        else if (ch == '.')
            return PM_CHECK_REGEX;
    }
    return PM_CHECK_STRICT;
}

static enum pm_check_kind
regex_token_kind(const struct js_tokens *t, size_t k)
{
    const char *s = t->src + t->v[k].off;
    size_t n = t->v[k].len;
    size_t end = n;
    while (end > 1 && s[end - 1] != '/')
        end--;
    return regex_kind(s + 1, end > 2 ? end - 2 : 0);
}

/* Kind of the regex the value at token v holds (literal, new RegExp(str)), -1 if none. */
static int
regex_value_kind(const struct js_tokens *t, size_t v)
{
    char str[512];
    if (v >= t->n)
        return -1;
    if (t->v[v].type == JS_REGEX)
        return (int)regex_token_kind(t, v);
    if (js_is_ident(t, v, "new"))
        v++;
    if (!js_is_ident(t, v, "RegExp") || !js_is_punct(t, v + 1, "(") || t->v[v + 1].match < 0)
        return -1;
    size_t close = (size_t)t->v[v + 1].match;
    if (js_string_value(t, v + 2, str, sizeof str) == 0 &&
        (v + 3 == close || js_is_punct(t, v + 3, ",")))
        return (int)regex_kind(str, strlen(str));
    /*
     * A pattern built by concatenation (new RegExp(cfg.domain + '$')): with
     * no literal '^' in front it matches anywhere in the origin.
     */
    for (size_t k = v + 2; k < close; k++) {
        if (js_is_punct(t, k, "(") || js_is_punct(t, k, "[")) {
            if (t->v[k].match < 0)
                break;
            k = (size_t)t->v[k].match;
            continue;
        }
        if (js_is_punct(t, k, ","))
            break;
        if (js_is_punct(t, k, "+"))
            return js_string_value(t, v + 2, str, sizeof str) == 0 && str[0] == '^'
                       ? -1 : (int)PM_CHECK_REGEX;
    }
    return -1;
}

/*
 * The function a call by the name at token k reaches: resolved in the
 * parsed script's scopes when there is one, else the declaration of that
 * name nearest in the tokens.
 */
static int
resolve_callee(const struct cls *c, size_t k, struct js_func *f)
{
    const struct js_tokens *t = c->t;
    size_t at;
    if (jsm_callee_at(c->s->model, t->v[k].off, &at)) {
        size_t ft = js_token_at(t, at);
        if (ft < t->n && t->v[ft].off == at && js_func_at(t, ft, f))
            return 1;
    }
    return js_resolve_function(c->s, t->src + t->v[k].off, t->v[k].len, k, f);
}

/* ---- scope ------------------------------------------------------------- */

static void analyze_function(struct js_script *s, const struct js_func *f,
                             const enum role *roles, int nroles, int depth,
                             struct shared *sh, struct pm_handler_facts *out,
                             int *rank);

/* Bind the names of a destructuring pattern {..} of an event at [open, close]. */
static void
bind_event_pattern(struct cls *c, size_t open, size_t close, int depth)
{
    const struct js_tokens *t = c->t;
    if (depth > 3)
        return;
    size_t k = open + 1;
    while (k < close) {
        if (t->v[k].type != JS_IDENT) {
            k++;
            continue;
        }
        size_t key = k, val = k;
        if (js_is_punct(t, k + 1, ":")) {
            val = k + 2;
            if (js_is_punct(t, val, "{") && t->v[val].match > 0) {
                size_t m = (size_t)t->v[val].match;
                if (js_is(t, key, "originalEvent"))
                    bind_event_pattern(c, val, m, depth + 1);
                else if (js_is(t, key, "data"))
                    for (size_t j = val; j < m; j++)
                        if (!js_is_punct(t, j + 1, ":"))
                            cls_names_add(c, &c->dat, j);
                k = m + 1;
                continue;
            }
        }
        if (js_is(t, key, "origin"))
            cls_names_add(c, &c->org, val);
        else if (js_is(t, key, "data"))
            cls_names_add(c, &c->dat, val);
        else if (js_is(t, key, "source"))
            cls_names_add(c, &c->src, val);
        else if (js_is(t, key, "originalEvent"))
            cls_names_add(c, &c->ev, val);
        /* skip to the next entry */
        size_t e = js_expr_end(t, val + 1, close);
        k = e + 1;
    }
}

static void
bind_param(struct cls *c, size_t p, enum role r)
{
    const struct js_tokens *t = c->t;
    if (p >= t->n)
        return;
    if (t->v[p].type == JS_IDENT) {
        switch (r) {
        case ROLE_EVENT: cls_names_add(c, &c->ev, p); break;
        case ROLE_ORIGIN: cls_names_add(c, &c->org, p); break;
        case ROLE_DATA: cls_names_add(c, &c->dat, p); break;
        case ROLE_SOURCE: cls_names_add(c, &c->src, p); break;
        default: break;
        }
    } else if (js_is_punct(t, p, "{") && t->v[p].match > 0) {
        size_t m = (size_t)t->v[p].match;
        if (r == ROLE_EVENT)
            bind_event_pattern(c, p, m, 0);
        else if (r == ROLE_DATA)
            for (size_t j = p + 1; j < m; j++)
                if (!js_is_punct(t, j + 1, ":"))
                    cls_names_add(c, &c->dat, j);
    }
}

static void
bind_params(struct cls *c, const struct js_func *f, const enum role *roles,
            int nroles)
{
    const struct js_tokens *t = c->t;
    if (f->params_open == f->params_close) {
        if (nroles > 0)
            bind_param(c, f->params_open, roles[0]);
        return;
    }
    size_t k = f->params_open + 1;
    for (int i = 0; k < f->params_close && i < nroles; i++) {
        bind_param(c, k, roles[i]);
        size_t e = js_expr_end(t, k, f->params_close);
        while (e < f->params_close && !js_is_punct(t, e, ","))
            e = js_expr_end(t, e + 1, f->params_close);
        k = e + 1;
    }
}

/* RHS [a, e) is the event itself (ev, ev.originalEvent, ev || window.event). */
static int
rhs_is_event(const struct cls *c, size_t a, size_t e)
{
    if (!cls_is_var(c, a, &c->ev))
        return 0;
    size_t k = cls_skip_original_event(c->t, a + 1);
    return k == e || js_is_punct(c->t, k, "||") || js_is_punct(c->t, k, "&&");
}

/* Follow var/let/const and plain assignments, destructuring and callbacks. */
static void
propagate_names(struct cls *c)
{
    const struct js_tokens *t = c->t;
    static const char *const iter[] = {
        "forEach", "map", "filter", "some", "every", "find", "reduce",
        "then", NULL,
    };
    for (int pass = 0; pass < 2; pass++) {
        for (size_t k = c->a; k + 2 < c->b; k++) {
            const struct js_token *v = &t->v[k];
            if (v->type == JS_IDENT && js_is_punct(t, k + 1, "=") &&
                !(k > 0 && cls_is_dot(t, k - 1))) {
                size_t a = k + 2, e = js_expr_end(t, a, c->b);
                if (rhs_is_event(c, a, e)) {
                    cls_names_add(c, &c->ev, k);
                } else if (cls_origin_ref_end(c, a)) {
                    size_t oe = transparent_end(c, cls_origin_ref_end(c, a));
                    if (oe == e || js_is_punct(t, oe, "||"))
                        cls_names_add(c, &c->org, k);
                } else if (js_is_ident(t, a, "new") && js_is_ident(t, a + 1, "URL") &&
                           js_is_punct(t, a + 2, "(") && cls_origin_ref_end(c, a + 3)) {
                    cls_names_add(c, &c->org, k);
                } else if (cls_source_ref_end(c, a) == e) {
                    cls_names_add(c, &c->src, k);
                }
                if (e - a <= RHS_TAINT_MAX && cls_range_tainted(c, a, e))
                    cls_names_add(c, &c->dat, k);
            } else if (v->type == JS_PUNCT && v->len == 1 && v->match >= 0 &&
                       (t->src[v->off] == '}' || t->src[v->off] == ']') &&
                       js_is_punct(t, k + 1, "=")) {
                size_t open = (size_t)v->match;
                size_t a = k + 2, e = js_expr_end(t, a, c->b);
                if (t->src[v->off] == '}' && rhs_is_event(c, a, e))
                    bind_event_pattern(c, open, k, 0);
                else if (e - a <= RHS_TAINT_MAX && cls_range_tainted(c, a, e))
                    for (size_t j = open + 1; j < k; j++)
                        if (!js_is_punct(t, j + 1, ":"))
                            cls_names_add(c, &c->dat, j);
            } else if (js_is_ident(t, k, "of") && k > c->a &&
                       t->v[k - 1].type == JS_IDENT) {
                size_t e = js_expr_end(t, k + 1, c->b);
                if (cls_range_tainted(c, k + 1, e))
                    cls_names_add(c, &c->dat, k - 1);
            } else if (cls_ident_in(t, k, iter) && k > c->a && cls_is_dot(t, k - 1) &&
                       js_is_punct(t, k + 1, "(")) {
                /* tainted.forEach(function (x) {...}): x is tainted */
                size_t r = k - 1;
                int steps = 0;
                while (r > c->a && ++steps < WALK_MAX && (t->v[r - 1].type == JS_IDENT || cls_is_dot(t, r - 1) ||
                                    (js_is_punct(t, r - 1, ")") && t->v[r - 1].match >= 0) ||
                                    (js_is_punct(t, r - 1, "]") && t->v[r - 1].match >= 0))) {
                    const struct js_token *pv = &t->v[r - 1];
                    r = (pv->type == JS_PUNCT && pv->match >= 0 && !cls_is_dot(t, r - 1))
                            ? (size_t)pv->match : r - 1;
                }
                struct js_func cb;
                if (cls_range_tainted(c, r, k) && js_func_at(t, k + 2, &cb)) {
                    if (cb.params_open == cb.params_close)
                        cls_names_add(c, &c->dat, cb.params_open);
                    else
                        bind_param(c, cb.params_open + 1, ROLE_DATA);
                }
            }
        }
    }
}

/* ---- checks ------------------------------------------------------------ */

/* Expression tokens [a, e) sit in a condition (if/while, !, &&, ||, ?, return). */
static int
in_condition(const struct cls *c, size_t a, size_t e)
{
    const struct js_tokens *t = c->t;
    size_t l = a;
    while (l > c->a && js_is_punct(t, l - 1, "!"))
        l--;
    if (l > c->a) {
        size_t p = l - 1;
        if (js_is_punct(t, p, "&&") || js_is_punct(t, p, "||") ||
            js_is_punct(t, p, "?") || js_is_ident(t, p, "return") || cls_is_cmp(t, p) ||
            l != a)
            return 1;
        if (js_is_punct(t, p, "(") && p > 0 &&
            (js_is_ident(t, p - 1, "if") || js_is_ident(t, p - 1, "while")))
            return 1;
    }
    if (e < t->n && (js_is_punct(t, e, "&&") || js_is_punct(t, e, "||") ||
                     js_is_punct(t, e, "?") || cls_is_cmp(t, e)))
        return 1;
    return 0;
}

static const char *const not_checks[] = {
    "log", "warn", "error", "info", "debug", "trace", "dir", "postMessage",
    "push", "unshift", "set", "setItem", "stringify", "encodeURIComponent",
    "encodeURI", "escape", "String", "concat", "join", "write", "append",
    "text", "html", "attr", "emit", "dispatchEvent", "sendBeacon", "send",
    "resolve", "reject", "assign", NULL,
};

/* The origin reference ending at e0 is an argument of a call: judge the callee. */
static void
origin_in_call(struct cls *c, size_t e0, size_t open)
{
    const struct js_tokens *t = c->t;
    if (open == 0 || (size_t)t->v[open].match < e0)
        return;
    size_t close = (size_t)t->v[open].match;
    size_t callee = open - 1;
    if (js_is_ident(t, callee, "switch")) {
        record_check(c, PM_CHECK_STRICT, callee, close + 1);
        return;
    }
    if (t->v[callee].type != JS_IDENT)
        return;
    int method = callee > 0 && cls_is_dot(t, callee - 1);
    size_t recv = method && callee >= 2 ? callee - 2 : (size_t)-1;
    size_t core = recv != (size_t)-1 ? recv : callee;
    if (recv != (size_t)-1 && js_is_punct(t, recv, ")") && t->v[recv].match >= 0) {
        core = (size_t)t->v[recv].match;
        if (core > 0 && t->v[core - 1].type == JS_IDENT)
            core--;
        if (core > 0 && js_is_ident(t, core - 1, "new"))
            core--;
    } else if (recv != (size_t)-1 && js_is_punct(t, recv, "]") && t->v[recv].match >= 0) {
        core = (size_t)t->v[recv].match;
    }
    if (method && (js_is(t, callee, "indexOf") || js_is(t, callee, "includes") ||
                   js_is(t, callee, "lastIndexOf"))) {
        /* list.indexOf(origin): an array lookup is strict; a string is a substring test */
        int flawed = 0;
        if (t->v[recv].type == JS_STR || t->v[recv].type == JS_TEMPLATE) {
            flawed = 1;
        } else if (t->v[recv].type == JS_IDENT) {
            const struct js_token *rv = &t->v[recv];
            size_t v = js_resolve_value(c->s, t->src + rv->off, rv->len, recv);
            if (v != (size_t)-1 && (t->v[v].type == JS_STR || t->v[v].type == JS_TEMPLATE) &&
                !cls_is_dot(t, v + 1))
                flawed = 1;
        }
        enum pm_check_kind k = !flawed ? PM_CHECK_STRICT
                               : js_is(t, callee, "includes") ? PM_CHECK_INCLUDES
                                                              : PM_CHECK_INDEXOF;
        record_check(c, k, core, close + 1);
        return;
    }
    if (method && (js_is(t, callee, "has") || js_is(t, callee, "get") ||
                   js_is(t, callee, "hasOwnProperty"))) {
        record_check(c, PM_CHECK_STRICT, core, close + 1);
        return;
    }
    if (method && (js_is(t, callee, "test") || js_is(t, callee, "exec"))) {
        int k = -1;
        if (t->v[recv].type == JS_REGEX) {
            k = (int)regex_token_kind(t, recv);
        } else if (js_is_punct(t, recv, ")") && t->v[recv].match > 0) {
            k = regex_value_kind(t, core);
        } else if (t->v[recv].type == JS_IDENT) {
            const struct js_token *rv = &t->v[recv];
            size_t v = js_resolve_value(c->s, t->src + rv->off, rv->len, recv);
            if (v != (size_t)-1)
                k = regex_value_kind(t, v);
        }
        record_check(c, k < 0 ? PM_CHECK_UNKNOWN : (enum pm_check_kind)k, core,
                     close + 1);
        return;
    }
    if (cls_ident_in(t, callee, not_checks))
        return;
    struct js_func f;
    if (resolve_callee(c, callee, &f))
        return; /* followed as a helper call by scan_calls */
    if (in_condition(c, core, close + 1))
        record_check(c, PM_CHECK_UNKNOWN, core, close + 1);
}

/*
 * One past the operand of a comparison starting at token k: member reads,
 * calls and bracket groups, up to an operator or a closer.
 */
static size_t
operand_end(const struct cls *c, size_t k)
{
    const struct js_tokens *t = c->t;
    for (int steps = 0; k < c->b && steps < SPAN_TOKENS_MAX; steps++) {
        const struct js_token *v = &t->v[k];
        if (v->type == JS_PUNCT && v->len == 1 && strchr("([", t->src[v->off]) &&
            v->match > (int32_t)k) {
            k = (size_t)v->match + 1;
            continue;
        }
        if (v->type == JS_PUNCT && !cls_is_dot(t, k))
            break;
        k++;
    }
    return k;
}

/* Judge one use of the origin starting at token k. */
static void
judge_origin_use(struct cls *c, size_t k)
{
    const struct js_tokens *t = c->t;
    size_t s0 = k, e0 = transparent_end(c, cls_origin_ref_end(c, k));
    /* new URL(origin).hostname ... */
    if (s0 >= 2 && js_is_punct(t, s0 - 1, "(") && js_is_ident(t, s0 - 2, "URL") &&
        t->v[s0 - 1].match == (int32_t)e0) {
        s0 -= 2;
        if (s0 > 0 && js_is_ident(t, s0 - 1, "new"))
            s0--;
        e0 = transparent_end(c, e0 + 1);
    }
    /* (origin + '/').startsWith(...) */
    while (js_is_punct(t, e0, "+") && e0 + 1 < c->b &&
           (t->v[e0 + 1].type == JS_STR || t->v[e0 + 1].type == JS_IDENT))
        e0 += 2;
    if (s0 > 0 && js_is_punct(t, s0 - 1, "(") && t->v[s0 - 1].match == (int32_t)e0 &&
        !(s0 > 1 && t->v[s0 - 2].type == JS_IDENT)) {
        s0--;
        e0 = transparent_end(c, e0 + 1);
    }
    if (cls_is_dot(t, e0) && js_is_punct(t, e0 + 2, "(") && t->v[e0 + 2].match > 0) {
        size_t m = e0 + 1, arg = e0 + 3, close = (size_t)t->v[e0 + 2].match;
        char v[256];
        enum pm_check_kind kind = PM_CHECK__COUNT;
        if (js_is(t, m, "indexOf") || js_is(t, m, "lastIndexOf"))
            kind = PM_CHECK_INDEXOF;
        else if (js_is(t, m, "includes"))
            kind = PM_CHECK_INCLUDES;
        else if (js_is(t, m, "startsWith"))
            kind = js_string_value(t, arg, v, sizeof v) == 0 && v[0] &&
                           v[strlen(v) - 1] == '/'
                       ? PM_CHECK_STRICT : PM_CHECK_STARTSWITH;
        else if (js_is(t, m, "endsWith"))
            kind = PM_CHECK_ENDSWITH;
        else if (js_is(t, m, "search") || js_is(t, m, "match")) {
            int rk = regex_value_kind(t, arg);
            if (rk >= 0 && (t->v[arg].type == JS_REGEX || js_is_ident(t, arg, "new") ||
                            js_is_ident(t, arg, "RegExp")))
                kind = (enum pm_check_kind)rk;
            else
                kind = js_is(t, m, "search") ? PM_CHECK_SEARCH : PM_CHECK_MATCH;
        } else if (js_is(t, m, "localeCompare"))
            kind = PM_CHECK_STRICT;
        if (kind != PM_CHECK__COUNT) {
            record_check(c, kind, s0, close + 1);
            return;
        }
    }
    /* a comparison with a value the message itself carries restricts nothing */
    if (cls_is_cmp(t, e0) && !cls_is_nullish_operand(t, e0 + 1)) {
        if (!cls_range_tainted(c, e0 + 1, operand_end(c, e0 + 1)))
            record_check(c, PM_CHECK_STRICT, s0, e0 + 2);
        return;
    }
    if (s0 >= 2 && cls_is_cmp(t, s0 - 1) && !cls_is_nullish_operand(t, s0 - 2)) {
        size_t l = s0 - 1;
        while (l > c->a && (t->v[l - 1].type == JS_IDENT || cls_is_dot(t, l - 1)))
            l--;
        if (!cls_range_tainted(c, l, s0 - 1))
            record_check(c, PM_CHECK_STRICT, s0 - 2, e0);
        return;
    }
    if (js_is_ident(t, e0, "in")) {
        record_check(c, PM_CHECK_STRICT, s0, e0 + 2);
        return;
    }
    if (s0 >= 2 && js_is_punct(t, s0 - 1, "[") && t->v[s0 - 1].match == (int32_t)e0 &&
        (t->v[s0 - 2].type == JS_IDENT || js_is_punct(t, s0 - 2, "]") ||
         js_is_punct(t, s0 - 2, ")"))) {
        record_check(c, PM_CHECK_STRICT, s0 - 2, e0 + 1);
        return;
    }
    if (s0 > 0 && (js_is_punct(t, s0 - 1, "(") || js_is_punct(t, s0 - 1, ","))) {
        /* find the call's open paren */
        size_t p = s0 - 1;
        int steps = 0;
        while (p > c->a && !js_is_punct(t, p, "(")) {
            if (++steps > WALK_MAX)
                return;
            const struct js_token *pv = &t->v[p];
            if (pv->type == JS_PUNCT && pv->len == 1 && pv->match >= 0 &&
                strchr(")]}", t->src[pv->off]))
                p = (size_t)pv->match;
            else if (pv->type == JS_PUNCT && pv->len == 1 &&
                     strchr("[{;", t->src[pv->off]))
                return;
            if (p == 0)
                return;
            p--;
        }
        if (js_is_punct(t, p, "(") && p > 0)
            origin_in_call(c, e0, p);
    }
}

/* ---- sinks and calls --------------------------------------------------- */

/* Builtin method names never resolved to script functions. */
static const char *const builtin_calls[] = {
    "parse", "stringify", "log", "warn", "error", "info", "debug", "push",
    "indexOf", "includes", "startsWith", "endsWith", "match", "search",
    "test", "exec", "replace", "split", "slice", "substring", "substr",
    "toLowerCase", "toUpperCase", "trim", "forEach", "map", "filter",
    "postMessage", "setTimeout", "setInterval", "addEventListener",
    "removeEventListener", "hasOwnProperty", "call", "apply", "bind",
    "then", "catch", "resolve", "reject", "has", "get", "set", "keys",
    "values", "entries", "assign", "getElementById", "querySelector",
    "createElement", "appendChild", "setAttribute", "getAttribute", "html",
    "text", "append", "open", "write", "eval", "Function", "fetch", "URL",
    "String", "Number", "Boolean", "Object", "Array", "JSON", "encodeURIComponent",
    "decodeURIComponent", "preventDefault", "stopPropagation", "if", "for",
    "while", "switch", "catch", "function", "return", "typeof", NULL,
};

/* Call NAME(args) at k: follow it into a helper declared in the script. */
static void
scan_call(struct cls *c, size_t k)
{
    const struct js_tokens *t = c->t;
    size_t a, b;
    struct js_func f;
    if (c->depth >= HELPER_DEPTH_MAX || c->sh->budget <= 0 ||
        cls_ident_in(t, k, builtin_calls) || (k > 0 && js_is_ident(t, k - 1, "function")) ||
        !cls_call_args(c, k + 1, &a, &b) ||
        !resolve_callee(c, k, &f) ||
        f.body_end - f.body_start > HELPER_BODY_MAX ||
        f.body_end - f.body_start > c->s->work_left)
        return;
    for (int i = 0; i < c->sh->nvisiting; i++)
        if (c->sh->visiting[i] == f.start)
            return;
    if (f.start >= c->a && f.body_end <= c->b && f.start <= k && k < f.body_end)
        return; /* recursion into the enclosing function */
    enum role roles[8];
    int nroles = 0, any = 0;
    for (size_t x = a; x < b && nroles < 8;) {
        size_t y = js_expr_end(t, x, b);
        while (y < b && !js_is_punct(t, y, ","))
            y = js_expr_end(t, y + 1, b);
        enum role r = ROLE_NONE;
        size_t oe = cls_origin_ref_end(c, x);
        if (y == x + 1 && cls_is_var(c, x, &c->ev))
            r = ROLE_EVENT;
        else if (oe && transparent_end(c, oe) == y)
            r = ROLE_ORIGIN;
        else if (cls_source_ref_end(c, x) == y)
            r = ROLE_SOURCE;
        else if (cls_range_tainted(c, x, y))
            r = ROLE_DATA;
        roles[nroles++] = r;
        any |= r != ROLE_NONE;
        x = y + 1;
    }
    if (!any)
        return;
    c->sh->budget--;
    analyze_function(c->s, &f, roles, nroles, c->depth + 1, c->sh, c->out,
                     &c->rank);
}

static void
analyze_function(struct js_script *s, const struct js_func *f,
                 const enum role *roles, int nroles, int depth,
                 struct shared *sh, struct pm_handler_facts *out, int *rank)
{
    struct cls c;
    memset(&c, 0, sizeof c);
    c.s = s;
    c.t = &s->t;
    c.a = f->body_start;
    c.b = f->body_end;
    c.depth = depth;
    c.sh = sh;
    c.out = out;
    c.rank = *rank;
    s->work_left -= f->body_end - f->body_start;
    int pushed = sh->nvisiting <= HELPER_DEPTH_MAX;
    if (pushed)
        sh->visiting[sh->nvisiting++] = f->start;
    bind_params(&c, f, roles, nroles);
    propagate_names(&c);
    const struct js_tokens *t = c.t;
    for (size_t k = c.a; k < c.b; k++) {
        if (t->v[k].type != JS_IDENT)
            continue;
        if (cls_origin_ref_end(&c, k)) {
            judge_origin_use(&c, k);
        } else {
            size_t se = cls_source_ref_end(&c, k);
            if (se && (cls_is_cmp(t, se) || (k >= 2 && cls_is_cmp(t, k - 1))))
                record_check(&c, PM_CHECK_SOURCE, k >= 2 && cls_is_cmp(t, k - 1) ? k - 2 : k,
                             cls_is_cmp(t, se) ? se + 2 : se);
        }
        cls_scan_sinks(&c, k);
        if (js_is_punct(t, k + 1, "("))
            scan_call(&c, k);
    }
    if (pushed)
        sh->nvisiting--;
    *rank = c.rank;
}

void
classify_handler(struct js_script *s, const struct js_func *f,
                 struct pm_handler_facts *out)
{
    struct shared sh;
    memset(&sh, 0, sizeof sh);
    memset(out, 0, sizeof *out);
    sh.budget = HELPER_BUDGET;
    if (f->body_end - f->body_start > s->work_left) {
        out->check = PM_CHECK_UNKNOWN;
        snprintf(out->check_expr, sizeof out->check_expr,
                 "not analysed: handlers nested in handlers exceed this "
                 "script's analysis budget");
        return;
    }
    enum role roles[1] = {ROLE_EVENT};
    int rank = 0;
    out->check = PM_CHECK_NONE;
    analyze_function(s, f, roles, 1, 0, &sh, out, &rank);
}
