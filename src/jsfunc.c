/*
 * jsfunc.c - functions and names in a script's token stream (jsscan.c's
 * tokens): where a function at a token starts and ends, where an
 * expression ends (with automatic semicolon insertion), the source text of
 * a token range, and the per-script indexes of declared functions and of
 * NAME = value assignments.  Below both the listener finder (analyze.c)
 * and the handler classifier (classify*.c), which use it and not each
 * other's internals.
 */
#include "jsfunc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

/* ---- token helpers ----------------------------------------------------- */

int
js_is_closer(const struct js_tokens *t, size_t k)
{
    const struct js_token *v = &t->v[k];
    if (v->type != JS_PUNCT || v->len != 1)
        return 0;
    char c = t->src[v->off];
    return c == ')' || c == ']' || c == '}';
}

/* The token ends an expression (a line break after it may end the statement). */
static int
ends_expression(const struct js_tokens *t, size_t k)
{
    const struct js_token *v = &t->v[k];
    switch (v->type) {
    case JS_IDENT:
        return !js_keyword_before_expr(t->src + v->off, v->len);
    case JS_NUM: case JS_STR: case JS_REGEX:
        return 1;
    case JS_TEMPLATE:
        return t->src[v->off + v->len - 1] == '`';
    default:
        return js_is_closer(t, k) || js_is_punct(t, k, "++") ||
               js_is_punct(t, k, "--");
    }
}

static int
starts_statement(const struct js_tokens *t, size_t k)
{
    const struct js_token *v = &t->v[k];
    if (v->type == JS_IDENT)
        return !js_is(t, k, "in") && !js_is(t, k, "instanceof") &&
               !js_is(t, k, "of");
    return v->type == JS_NUM || v->type == JS_STR ||
           (v->type == JS_TEMPLATE && t->src[v->off] == '`') ||
           js_is_punct(t, k, "++") || js_is_punct(t, k, "--");
}

size_t
js_expr_end(const struct js_tokens *t, size_t i, size_t limit)
{
    if (limit > t->n)
        limit = t->n;
    size_t k = i;
    while (k < limit) {
        const struct js_token *v = &t->v[k];
        if (k > i && v->nl_before && ends_expression(t, k - 1) &&
            starts_statement(t, k))
            break;
        if (v->type == JS_PUNCT && v->len == 1) {
            char c = t->src[v->off];
            if (c == ',' || c == ';' || c == ')' || c == ']' || c == '}')
                break;
            if (c == '(' || c == '[' || c == '{') {
                if (v->match < 0 || (size_t)v->match >= limit)
                    return limit;
                k = (size_t)v->match + 1;
                continue;
            }
        }
        k++;
    }
    return k;
}

static int
is_reserved(const struct js_tokens *t, size_t k)
{
    static const char *const kw[] = {
        "if", "for", "while", "switch", "catch", "function", "with",
        "return", "typeof", "new", "do", "else", "in", "of", NULL,
    };
    for (int i = 0; kw[i]; i++)
        if (js_is_ident(t, k, kw[i]))
            return 1;
    return 0;
}

int
js_func_at(const struct js_tokens *t, size_t i, struct js_func *f)
{
    size_t k = i;
    memset(f, 0, sizeof *f);
    f->start = i;
    if (js_is_ident(t, k, "async") && k + 1 < t->n &&
        (t->v[k + 1].type == JS_IDENT || js_is_punct(t, k + 1, "(")))
        k++;
    if (js_is_ident(t, k, "function")) {
        k++;
        if (js_is_punct(t, k, "*"))
            k++;
        if (k < t->n && t->v[k].type == JS_IDENT)
            k++;
        if (!js_is_punct(t, k, "(") || t->v[k].match < 0)
            return 0;
        size_t close = (size_t)t->v[k].match;
        if (!js_is_punct(t, close + 1, "{") || t->v[close + 1].match < 0)
            return 0;
        f->params_open = k;
        f->params_close = close;
        f->body_start = close + 1;
        f->body_end = (size_t)t->v[close + 1].match + 1;
        return 1;
    }
    size_t arrow;
    if (k < t->n && t->v[k].type == JS_IDENT && js_is_punct(t, k + 1, "=>")) {
        f->params_open = f->params_close = k;
        arrow = k + 1;
    } else if (js_is_punct(t, k, "(") && t->v[k].match >= 0) {
        size_t close = (size_t)t->v[k].match;
        if (js_is_punct(t, close + 1, "=>")) {
            f->params_open = k;
            f->params_close = close;
            arrow = close + 1;
        } else {
            return 0;
        }
    } else if (k < t->n && t->v[k].type == JS_IDENT && !is_reserved(t, k) &&
               js_is_punct(t, k + 1, "(") && t->v[k + 1].match >= 0) {
        /* method shorthand: name(params) { body } */
        size_t close = (size_t)t->v[k + 1].match;
        if (!js_is_punct(t, close + 1, "{") || t->v[close + 1].match < 0)
            return 0;
        f->params_open = k + 1;
        f->params_close = close;
        f->body_start = close + 1;
        f->body_end = (size_t)t->v[close + 1].match + 1;
        return 1;
    } else {
        return 0;
    }
    size_t b = arrow + 1;
    if (b >= t->n)
        return 0;
    f->body_start = b;
    if (js_is_punct(t, b, "{") && t->v[b].match >= 0)
        f->body_end = (size_t)t->v[b].match + 1;
    else
        f->body_end = js_expr_end(t, b, t->n);
    return 1;
}

void
js_text(const struct js_tokens *t, size_t a, size_t b, char *out,
        size_t outsz)
{
    if (outsz == 0)
        return;
    out[0] = '\0';
    if (a >= b || b > t->n)
        return;
    const char *s = t->src + t->v[a].off;
    size_t n = t->v[b - 1].off + t->v[b - 1].len - t->v[a].off;
    size_t o = 0;
    int space = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
            space = 1;
            continue;
        }
        if (space && o > 0 && o + 1 < outsz)
            out[o++] = ' ';
        space = 0;
        if (o + 4 >= outsz) {
            if (outsz > 4) {
                memcpy(out + outsz - 4, "...", 3);
                o = outsz - 1;
            }
            break;
        }
        out[o++] = c;
    }
    /* Do not leave half a UTF-8 sequence before the terminator. */
    while (o > 0 && ((unsigned char)out[o - 1] & 0xC0) == 0x80 &&
           (o >= outsz - 1 || out[o - 1] != '.'))
        o--;
    if (o > 0 && ((unsigned char)out[o - 1] & 0xC0) == 0xC0)
        o--;
    out[o] = '\0';
}

/* ---- declarations ------------------------------------------------------ */

static unsigned
name_hash(const char *s, size_t n)
{
    unsigned h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static void
index_add(struct js_index *ix, size_t *cap, const struct js_tokens *t,
          size_t name_tok, size_t func_tok)
{
    if (ix->n == *cap) {
        *cap = *cap ? *cap * 2 : 256;
        ix->v = xrealloc(ix->v, *cap * sizeof *ix->v);
    }
    const struct js_token *v = &t->v[name_tok];
    ix->v[ix->n].hash = name_hash(t->src + v->off, v->len);
    ix->v[ix->n].name_tok = name_tok;
    ix->v[ix->n].func_tok = func_tok;
    ix->n++;
}

static int
decl_cmp(const void *a, const void *b)
{
    const struct js_decl *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return x->func_tok < y->func_tok ? -1 : x->func_tok > y->func_tok;
}

static void
build_decls(struct js_script *s)
{
    const struct js_tokens *t = &s->t;
    struct js_index *ix = &s->decls;
    size_t cap = 0;
    struct js_func f;
    ix->built = 1;
    for (size_t k = 0; k + 1 < t->n; k++) {
        if (t->v[k].type != JS_IDENT)
            continue;
        if (js_is(t, k, "function")) {
            size_t nm = k + 1;
            if (js_is_punct(t, nm, "*"))
                nm++;
            if (nm < t->n && t->v[nm].type == JS_IDENT &&
                js_is_punct(t, nm + 1, "("))
                index_add(ix, &cap, t, nm, k);
            continue;
        }
        if ((js_is_punct(t, k + 1, "=") || js_is_punct(t, k + 1, ":")) &&
            k + 2 < t->n) {
            size_t v = k + 2;
            int fn_start = js_is_ident(t, v, "function") ||
                           js_is_ident(t, v, "async") ||
                           (js_is_punct(t, v, "(") && t->v[v].match >= 0 &&
                            js_is_punct(t, (size_t)t->v[v].match + 1, "=>")) ||
                           (t->v[v].type == JS_IDENT &&
                            js_is_punct(t, v + 1, "=>"));
            if (fn_start && js_func_at(t, v, &f))
                index_add(ix, &cap, t, k, v);
            continue;
        }
        if (js_is_punct(t, k + 1, "(") && !is_reserved(t, k) &&
            (k == 0 || js_is_punct(t, k - 1, "}") || js_is_punct(t, k - 1, ";") ||
             js_is_punct(t, k - 1, "{") || js_is_punct(t, k - 1, ",") ||
             js_is_ident(t, k - 1, "static") || js_is_ident(t, k - 1, "async")) &&
            t->v[k + 1].match >= 0 &&
            js_is_punct(t, (size_t)t->v[k + 1].match + 1, "{"))
            index_add(ix, &cap, t, k, k);
    }
    if (ix->n > 1)
        qsort(ix->v, ix->n, sizeof *ix->v, decl_cmp);
}

static void
build_values(struct js_script *s)
{
    const struct js_tokens *t = &s->t;
    size_t cap = 0;
    s->values.built = 1;
    for (size_t k = 0; k + 2 < t->n; k++)
        if (t->v[k].type == JS_IDENT &&
            (js_is_punct(t, k + 1, "=") ||
             /* an object literal's key: { NAME: value, ... } */
             (js_is_punct(t, k + 1, ":") && k > 0 &&
              (js_is_punct(t, k - 1, "{") || js_is_punct(t, k - 1, ",")))))
            index_add(&s->values, &cap, t, k, k + 2);
    if (s->values.n > 1)
        qsort(s->values.v, s->values.n, sizeof *s->values.v, decl_cmp);
}

/*
 * The entry of ix named name whose position is nearest to near, or
 * (size_t)-1: binary search for the hash range and the position inside it,
 * then step outwards past hash collisions.
 */
static size_t
index_nearest(const struct js_index *ix, const struct js_tokens *t,
              const char *name, size_t len, size_t near)
{
    unsigned h = name_hash(name, len);
    size_t lo = 0, hi = ix->n;
    while (lo < hi) { /* first entry with hash >= h and position >= near */
        size_t mid = lo + (hi - lo) / 2;
        const struct js_decl *d = &ix->v[mid];
        if (d->hash < h || (d->hash == h && d->func_tok < near))
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t best = (size_t)-1, bestd = (size_t)-1;
    for (int dir = -1; dir <= 1; dir += 2) {
        size_t i = dir < 0 ? lo : lo + 1;
        for (int steps = 0; steps < 64; steps++) {
            if (dir < 0 ? i == 0 : i > ix->n)
                break;
            const struct js_decl *d = &ix->v[i - 1];
            if (dir < 0)
                i--;
            else
                i++;
            if (d->hash != h)
                break;
            const struct js_token *v = &t->v[d->name_tok];
            if (v->len != len || memcmp(t->src + v->off, name, len) != 0)
                continue; /* a collision */
            size_t dist = d->func_tok > near ? d->func_tok - near : near - d->func_tok;
            if (dist < bestd) {
                bestd = dist;
                best = (size_t)(d - ix->v);
            }
            break;
        }
    }
    return best;
}

int
js_resolve_function(struct js_script *s, const char *name, size_t len,
                    size_t near, struct js_func *f)
{
    if (!s->decls.built)
        build_decls(s);
    size_t i = index_nearest(&s->decls, &s->t, name, len, near);
    return i != (size_t)-1 && js_func_at(&s->t, s->decls.v[i].func_tok, f);
}

size_t
js_resolve_value(struct js_script *s, const char *name, size_t len,
                 size_t near)
{
    if (!s->values.built)
        build_values(s);
    size_t i = index_nearest(&s->values, &s->t, name, len, near);
    return i == (size_t)-1 ? i : s->values.v[i].func_tok;
}

void
js_script_budget(struct js_script *s)
{
    s->work_left = CLASSIFY_WORK_MIN;
    if (s->t.n <= (SIZE_MAX - CLASSIFY_WORK_MIN) / CLASSIFY_WORK_PER_TOKEN)
        s->work_left += s->t.n * CLASSIFY_WORK_PER_TOKEN;
    else
        s->work_left = SIZE_MAX;
}

void
js_script_release(struct js_script *s)
{
    free(s->decls.v);
    free(s->values.v);
    js_tokens_release(&s->t);
    memset(s, 0, sizeof *s);
}

/* ---- where message code can be ----------------------------------------- */

/* Token k names the message event: a 'message'/'onmessage' string or onmessage. */
static int
is_message_token(const struct js_tokens *t, size_t k)
{
    const struct js_token *v = &t->v[k];
    const char *p = t->src + v->off;
    if (v->type == JS_STR)
        return (v->len == 9 && memcmp(p + 1, "message", 7) == 0) ||
               (v->len == 11 && memcmp(p + 1, "onmessage", 9) == 0);
    return v->type == JS_IDENT && v->len == 9 && memcmp(p, "onmessage", 9) == 0;
}

static int
window_cmp(const void *a, const void *b)
{
    const struct js_window *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * Bytes [start, end) of the statement around token k: back over whole
 * bracket groups and out of enclosing ( and [ to the ';', '{' or '}' before
 * it, on to the next ';' or '}' (each way at most WINDOW_WALK tokens).
 */
#define WINDOW_WALK 1024
#define WINDOW_MIN 512 /* bytes a candidate's block may always have */
static void
statement_window(const struct js_tokens *t, size_t k, struct js_window *w)
{
    size_t a = k, e = k;
    for (int steps = 0; a > 0 && steps < WINDOW_WALK; steps++) {
        size_t p = a - 1;
        const struct js_token *v = &t->v[p];
        if ((js_is_punct(t, p, ")") || js_is_punct(t, p, "]")) && v->match >= 0) {
            a = (size_t)v->match;
            continue;
        }
        if (js_is_punct(t, p, ";") || js_is_punct(t, p, "{") || js_is_punct(t, p, "}"))
            break;
        a = p;
    }
    for (int steps = 0; e + 1 < t->n && steps < WINDOW_WALK; steps++) {
        const struct js_token *v = &t->v[e];
        if (v->type == JS_PUNCT && v->len == 1 && strchr("([{", t->src[v->off]) &&
            v->match > (int32_t)e) {
            e = (size_t)v->match + 1;
            continue;
        }
        if (js_is_punct(t, e, ";") || js_is_punct(t, e, "}"))
            break;
        e++;
    }
    if (e >= t->n)
        e = t->n - 1;
    w->start = t->v[a].off;
    w->end = t->v[e].off + t->v[e].len;
}

size_t
js_message_windows(const struct js_tokens *t, size_t budget,
                   struct js_window **out)
{
    size_t n = 0, cap = 0, ncand = 0, ccap = 0;
    size_t *cand = NULL;
    struct js_window *w = NULL;
    *out = NULL;
    /* the candidates first (memmem, then the token there), to share the budget */
    const char *end = t->src + t->srclen;
    for (const char *p = t->src; p < end &&
                                 (p = memmem(p, (size_t)(end - p), "message", 7)) != NULL;
         p += 7) {
        size_t off = (size_t)(p - t->src), lo = 0, hi = t->n;
        while (lo < hi) { /* the last token starting at or before off */
            size_t mid = lo + (hi - lo) / 2;
            if (t->v[mid].off <= off)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == 0 || !is_message_token(t, lo - 1) ||
            (ncand > 0 && cand[ncand - 1] == lo - 1))
            continue;
        if (ncand == ccap) {
            ccap = ccap ? ccap * 2 : 16;
            cand = xrealloc(cand, ccap * sizeof *cand);
        }
        cand[ncand++] = lo - 1;
    }
    if (ncand == 0)
        return 0;
    size_t per = budget / ncand;
    if (per < WINDOW_MIN)
        per = WINDOW_MIN;
    for (size_t ci = 0; ci < ncand; ci++) {
        size_t k = cand[ci], p = k;
        /*
         * The outermost enclosing block that fits this candidate's share:
         * walk back over whole bracket groups; a block of at most per bytes
         * is found within per bytes, so the walk stops there.
         */
        struct js_window cw = {0, 0};
        while (p > 0) {
            p--;
            const struct js_token *v = &t->v[p];
            if (t->v[k].off - v->off > per)
                break;
            if (js_is_closer(t, p) && v->match >= 0 && (size_t)v->match < p) {
                p = (size_t)v->match;
                continue;
            }
            if (js_is_punct(t, p, "{") && v->match > (int32_t)k) {
                const struct js_token *c = &t->v[v->match];
                if (c->off + c->len - v->off > per)
                    break;
                cw.start = v->off;
                cw.end = c->off + c->len;
            }
        }
        if (cw.end == 0)
            statement_window(t, k, &cw);
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            w = xrealloc(w, cap * sizeof *w);
        }
        w[n++] = cw;
    }
    free(cand);
    qsort(w, n, sizeof *w, window_cmp);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m > 0 && w[i].start <= w[m - 1].end) {
            if (w[i].end > w[m - 1].end)
                w[m - 1].end = w[i].end;
        } else {
            w[m++] = w[i];
        }
    }
    *out = w;
    return m;
}

size_t
js_token_at(const struct js_tokens *t, size_t off)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->v[mid].off < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Entries of ix named name[0, len): up to max, their value tokens in v. */
static int
index_named_max(const struct js_script *s, const struct js_index *ix,
                const char *name, size_t len, size_t *v, int max)
{
    unsigned h = name_hash(name, len);
    size_t lo = 0, hi = ix->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ix->v[mid].hash < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    int seen = 0;
    for (size_t i = lo; i < ix->n && ix->v[i].hash == h && seen < max; i++) {
        const struct js_token *t = &s->t.v[ix->v[i].name_tok];
        if (t->len == len && memcmp(s->t.src + t->off, name, len) == 0)
            v[seen++] = ix->v[i].func_tok;
    }
    return seen;
}

/* Up to two entries: enough to tell one from several. */
static int
index_named(const struct js_script *s, const struct js_index *ix, const char *name,
            size_t len, size_t v[2])
{
    return index_named_max(s, ix, name, len, v, 2);
}

size_t
js_values_named(struct js_script *s, const char *name, size_t len, size_t *v,
                size_t max)
{
    if (!s->values.built)
        build_values(s);
    return (size_t)index_named_max(s, &s->values, name, len, v,
                                   max > 64 ? 64 : (int)max);
}

size_t
js_resolve_constant(struct js_script *s, const char *name, size_t len)
{
    size_t v[2];
    if (!s->values.built)
        build_values(s);
    return index_named(s, &s->values, name, len, v) == 1 ? v[0] : (size_t)-1;
}

int
js_name_declared_again(struct js_script *s, const char *name, size_t len)
{
    size_t v[2];
    if (!s->decls.built)
        build_decls(s);
    return index_named(s, &s->decls, name, len, v) == 2;
}
