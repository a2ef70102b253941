/*
 * analyze.c - script-level postMessage analysis: finds where a script
 * registers message listeners (addEventListener('message'), onmessage =,
 * jQuery .on('message'), attachEvent('onmessage')) and where it calls
 * postMessage, resolves handlers passed by name to the function declared
 * in the same script, and extracts inline <script>s from HTML.  What a
 * handler does with the event is classify.c's job.
 */
#include "analyze.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze_recv.h"
#include "classify.h"
#include "jsfunc.h"
#include "jsmodel.h"
#include "mem.h"

/* ---- handler expressions ----------------------------------------------- */

/*
 * Resolve the handler expression in tokens [a, b): an inline function, a
 * name (NAME, this.NAME, obj.NAME, NAME.bind(...)) declared in the script,
 * or a wrapper call around a function (Raven.wrap(function (e) {...})).
 */
static int
resolve_handler(struct js_script *s, size_t a, size_t b, struct js_func *f)
{
    const struct js_tokens *t = &s->t;
    if (a >= b)
        return 0;
    if (js_func_at(t, a, f) && f->body_end <= b + 1)
        return 1;
    /* name chain, optionally .bind(...) / .call */
    size_t k = a, last = (size_t)-1;
    while (k < b && t->v[k].type == JS_IDENT) {
        last = k;
        if (k + 1 < b && (js_is_punct(t, k + 1, ".") || js_is_punct(t, k + 1, "?.")) &&
            !js_is_ident(t, k + 2, "bind"))
            k += 2;
        else
            break;
    }
    if (last != (size_t)-1 && (last + 1 == b || js_is_ident(t, last + 2, "bind")) &&
        !js_is_ident(t, last, "this")) {
        const struct js_token *v = &t->v[last];
        if (js_resolve_function(s, t->src + v->off, v->len, a, f))
            return 1;
        return 0;
    }
    for (k = a; k < b; k++) {
        if (js_is_ident(t, k, "function") && js_func_at(t, k, f))
            return 1;
        if (js_is_punct(t, k, "=>") && k > a) {
            size_t p = k - 1;
            if (js_is_punct(t, p, ")") && t->v[p].match >= 0)
                p = (size_t)t->v[p].match;
            if (js_func_at(t, p, f))
                return 1;
        }
    }
    return 0;
}

/* 1 when the event-type argument at token k names the message event. */
static int
is_message_type(const struct js_tokens *t, size_t k, int jquery)
{
    char v[128];
    if (js_string_value(t, k, v, sizeof v) != 0)
        return 0;
    if (!jquery)
        return strcmp(v, "message") == 0 || strcmp(v, "onmessage") == 0;
    /* jQuery: space-separated events, each maybe with a .namespace */
    for (char *p = strtok(v, " "); p; p = strtok(NULL, " ")) {
        char *dot = strchr(p, '.');
        if (dot)
            *dot = '\0';
        if (strcmp(p, "message") == 0)
            return 1;
    }
    return 0;
}

/* One past the last token of the argument starting at a inside call (open, close). */
static size_t
arg_end(const struct js_tokens *t, size_t a, size_t close)
{
    size_t e = js_expr_end(t, a, close);
    /* js_expr_end stops on a line break (ASI); arguments never end there */
    while (e < close && !js_is_punct(t, e, ","))
        e = js_expr_end(t, e + 1, close);
    return e;
}

/*
 * Receiver of a .method call ending before token dot: walk the member
 * chain, calls and indexes included (`a.b(c)[0].d`), back to its first
 * name or bracket group.
 */
static size_t
receiver_start(const struct js_tokens *t, size_t dot)
{
    size_t k = dot;
    for (int steps = 0; k > 0 && steps < 64; steps++) {
        size_t p = k - 1;
        if (js_is_closer(t, p) && t->v[p].match >= 0 && !js_is_punct(t, p, "}")) {
            p = (size_t)t->v[p].match;
            k = p;
            /* a call or an index continues the chain before it */
            if (p > 0 && ((t->v[p - 1].type == JS_IDENT &&
                           !js_keyword_before_expr(t->src + t->v[p - 1].off,
                                                   t->v[p - 1].len)) ||
                          js_is_punct(t, p - 1, ")") || js_is_punct(t, p - 1, "]")))
                continue;
            break;
        }
        if (t->v[p].type != JS_IDENT)
            break;
        k = p;
        if (k > 0 && (js_is_punct(t, k - 1, ".") || js_is_punct(t, k - 1, "?.")))
            k--;
        else
            break;
    }
    return k;
}

/* What a listener registered on the receiver text recv is attached to. */
static const char *
receiver_target(const char *recv)
{
    if (strcasestr(recv, "port"))
        return "port";
    if (strcasestr(recv, "worker"))
        return "worker";
    return "window";
}

/*
 * Report a listener: its handler f (classified) when known, else the
 * registration at token reg with the handler text [a, b) as its code.
 */
static void
report_found(struct js_script *s, size_t reg, size_t a, size_t b,
             const struct js_func *f, const char *how, const char *target,
             pm_listener_found_fn fn, void *ctx)
{
    const struct js_tokens *t = &s->t;
    struct pm_found_listener l;
    memset(&l, 0, sizeof l);
    l.how = how;
    l.target = target;
    if (f) {
        const struct js_token *st = &t->v[f->start];
        const struct js_token *en = &t->v[f->body_end - 1];
        js_token_pos(t, f->start, &l.line, &l.col);
        l.code = t->src + st->off;
        l.code_len = en->off + en->len - st->off;
        classify_handler(s, f, &l.facts);
    } else {
        js_token_pos(t, reg, &l.line, &l.col);
        if (b > a) {
            l.code = t->src + t->v[a].off;
            l.code_len = t->v[b - 1].off + t->v[b - 1].len - t->v[a].off;
        } else {
            l.code = "";
        }
        l.facts.check = PM_CHECK_UNKNOWN;
        snprintf(l.facts.check_expr, sizeof l.facts.check_expr,
                 "handler not found in this script");
    }
    fn(&l, ctx);
}

static void
report_listener(struct js_script *s, size_t reg, size_t a, size_t b,
                const char *how, pm_listener_found_fn fn, void *ctx)
{
    const struct js_tokens *t = &s->t;
    struct js_func f;
    const char *target = "window";
    if (reg > 0 && (js_is_punct(t, reg - 1, ".") || js_is_punct(t, reg - 1, "?."))) {
        char recv[128];
        js_text(t, receiver_start(t, reg - 1), reg - 1, recv, sizeof recv);
        target = receiver_target(recv);
    }
    int found = b > a && resolve_handler(s, a, b, &f);
    report_found(s, reg, a, b, found ? &f : NULL, how, target, fn, ctx);
}

/* ---- registrations found by the parser --------------------------------- */

/* The parser's registrations of one script, in order, and the next to report. */
struct parsed_regs {
    struct jsm_reg *v;
    size_t n, cap, next;
};

static void
collect_reg(const struct jsm_reg *r, void *ctx)
{
    struct parsed_regs *p = ctx;
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 16;
        p->v = xrealloc(p->v, p->cap * sizeof *p->v);
    }
    p->v[p->n++] = *r;
}


/* Passes a listener on, marked as a handler that never reads its event. */
struct ignoring {
    pm_listener_found_fn fn;
    void *ctx;
};

static void
report_ignoring(const struct pm_found_listener *l, void *ctx)
{
    const struct ignoring *ig = ctx;
    struct pm_found_listener copy = *l;
    copy.facts.ignores_event = 1;
    if (copy.facts.check == PM_CHECK_NONE)
        snprintf(copy.facts.check_expr, sizeof copy.facts.check_expr, "%s",
                 PM_CHECK_EXPR_IGNORES_EVENT);
    ig->fn(&copy, ig->ctx);
}

static void
report_parsed(struct js_script *s, const struct jsm_reg *r,
              pm_listener_found_fn fn, void *ctx)
{
    const struct js_tokens *t = &s->t;
    struct js_func f;
    char recv[128] = "";
    size_t reg = js_token_at(t, r->name_off);
    size_t a = js_token_at(t, r->arg_start), b = js_token_at(t, r->arg_end);
    if (reg >= t->n)
        return;
    if (r->recv_end > r->recv_start)
        js_text(t, js_token_at(t, r->recv_start), js_token_at(t, r->recv_end), recv,
                sizeof recv);
    int found = 0;
    if (r->fn_found) {
        size_t ft = js_token_at(t, r->fn_start);
        found = ft < t->n && t->v[ft].off == r->fn_start && js_func_at(t, ft, &f);
    }
    if (!found)
        found = b > a && resolve_handler(s, a, b, &f);
    if (found && r->fn_found && !r->reads_event) {
        struct ignoring ig = {fn, ctx};
        report_found(s, reg, a, b, &f, r->how, receiver_target(recv), report_ignoring, &ig);
        return;
    }
    report_found(s, reg, a, b, found ? &f : NULL, r->how, receiver_target(recv), fn, ctx);
}

/* A listener registration starting at identifier token k, if any. */
static void
listener_at(struct js_script *s, size_t k, pm_listener_found_fn fn, void *ctx)
{
    const struct js_tokens *t = &s->t;
    if ((js_is(t, k, "addEventListener") || js_is(t, k, "attachEvent")) &&
        js_is_punct(t, k + 1, "(") && is_message_type(t, k + 2, 0) &&
        js_is_punct(t, k + 3, ",") && t->v[k + 1].match > 0) {
        size_t close = (size_t)t->v[k + 1].match;
        size_t e = arg_end(t, k + 4, close);
        report_listener(s, k, k + 4, e,
                        js_is(t, k, "attachEvent") ? "attachEvent"
                                                   : "addEventListener",
                        fn, ctx);
    } else if (js_is(t, k, "onmessage") && js_is_punct(t, k + 1, "=") &&
               (k == 0 || !js_is_punct(t, k - 1, "?."))) {
        size_t e = js_expr_end(t, k + 2, t->n);
        if (js_is_ident(t, k + 2, "null") || js_is_ident(t, k + 2, "undefined"))
            return;
        report_listener(s, k, k + 2, e, "onmessage", fn, ctx);
    } else if ((js_is(t, k, "on") || js_is(t, k, "bind") || js_is(t, k, "one")) &&
               k > 0 && js_is_punct(t, k - 1, ".") &&
               js_is_punct(t, k + 1, "(") && t->v[k + 1].match > 0 &&
               is_message_type(t, k + 2, 1) && js_is_punct(t, k + 3, ",")) {
        /* $(window).on('message', [selector,] fn): the handler is last */
        size_t close = (size_t)t->v[k + 1].match;
        size_t a = k + 4, e = arg_end(t, a, close);
        while (e < close) {
            a = e + 1;
            e = arg_end(t, a, close);
        }
        report_listener(s, k, a, e, "jquery", fn, ctx);
    }
}

/*
 * Identifier token k names a string constant (assigned once in the script,
 * `var TARGET = 'https://a.example'`): its value into out, 1.
 */
static int
constant_string(struct js_script *s, size_t k, char *out, size_t outsz)
{
    const struct js_tokens *t = &s->t;
    if (t->v[k].type != JS_IDENT || js_is(t, k, "this") || js_is(t, k, "undefined"))
        return 0;
    size_t v = js_resolve_constant(s, t->src + t->v[k].off, t->v[k].len);
    if (v == (size_t)-1 || v >= t->n || t->v[v].type != JS_STR ||
        (v + 1 < t->n && !t->v[v + 1].nl_before && !js_is_punct(t, v + 1, ",") &&
         !js_is_punct(t, v + 1, ";") && !js_is_punct(t, v + 1, "}")))
        return 0;
    return js_string_value(t, v, out, outsz) == 0;
}

/* A postMessage call at identifier token k, if any. */
static void
send_at(struct js_script *s, size_t k, pm_send_found_fn fn, void *ctx)
{
    const struct js_tokens *t = &s->t;
    if (!js_is_ident(t, k, "postMessage") || !js_is_punct(t, k + 1, "(") ||
        t->v[k + 1].match < 0)
        return;
    if (k > 0 && (js_is_ident(t, k - 1, "function") ||
                  js_is_punct(t, k - 1, "{") || js_is_punct(t, k - 1, ";") ||
                  js_is_punct(t, k - 1, "}")) &&
        js_func_at(t, k, &(struct js_func){0}))
        return; /* a definition, not a call */
    size_t close = (size_t)t->v[k + 1].match;
    struct pm_found_send snd;
    memset(&snd, 0, sizeof snd);
    js_token_pos(t, k, &snd.line, &snd.col);
    size_t start = k;
    if (k > 0 && (js_is_punct(t, k - 1, ".") || js_is_punct(t, k - 1, "?."))) {
        start = receiver_start(t, k - 1);
        js_text(t, start, k - 1, snd.target_expr, sizeof snd.target_expr);
        js_token_pos(t, start, &snd.line, &snd.col);
        send_receiver(s, start, k - 1, snd.receiver, sizeof snd.receiver);
    } else {
        snprintf(snd.target_expr, sizeof snd.target_expr, "window");
        snprintf(snd.receiver, sizeof snd.receiver, "self");
    }
    js_text(t, start, close + 1, snd.snippet, sizeof snd.snippet);
    size_t a0 = k + 2, e0 = arg_end(t, a0, close);
    if (e0 < close) {
        size_t a1 = e0 + 1;
        size_t e1 = arg_end(t, a1, close);
        if (e1 == a1 + 1 &&
            js_string_value(t, a1, snd.target_origin,
                            sizeof snd.target_origin) == 0) {
            snd.has_target_origin = 1;
        } else if (e1 == a1 + 1 && constant_string(s, a1, snd.target_origin,
                                                   sizeof snd.target_origin)) {
            snd.has_target_origin = 1;
        } else if (js_is_punct(t, a1, "{") && t->v[a1].match > 0) {
            /* postMessage(msg, { targetOrigin: '...' }) */
            for (size_t j = a1 + 1; j + 2 < (size_t)t->v[a1].match; j++)
                if (js_is(t, j, "targetOrigin") && js_is_punct(t, j + 1, ":") &&
                    js_string_value(t, j + 2, snd.target_origin,
                                    sizeof snd.target_origin) == 0) {
                    snd.has_target_origin = 1;
                    break;
                }
        }
    }
    fn(&snd, ctx);
}

/*
 * Parsing costs 10-20 times tokenizing, so only what can hold message code
 * is parsed, in two steps.  First the statements (or blocks up to
 * WINDOW_MIN bytes, jsfunc.c) around each name of the message event:
 * enough for the common registration of an inline function.  When that
 * leaves a handler unresolved, a call passes 'message' to a function that
 * may be a wrapper, or a handler calls a name the script declares more than
 * once, the script is parsed again whole (up to
 * PARSE_WHOLE_MAX bytes; a larger one in the blocks around those names,
 * PARSE_WIDE_BUDGET bytes plus 1/PARSE_WIDE_DIV of the script).  A
 * handler neither tree holds is still found by name in the tokens
 * (resolve_handler).
 */
#define PARSE_WHOLE_MAX (4u * 1024 * 1024)
#define PARSE_WIDE_BUDGET (1024u * 1024)
#define PARSE_WIDE_DIV 16
#define HANDLER_SCAN_MAX 4096 /* handler tokens searched for ambiguous calls */

/*
 * The script calls addEventListener or attachEvent with an event type that
 * is not a literal (a constant or a wrapper's parameter): only a parse of
 * more than the statements around 'message' can tell what it registers.
 */
static int
indirect_registration(const struct js_tokens *t)
{
    for (size_t k = 0; k + 2 < t->n; k++)
        if (t->v[k].type == JS_IDENT && (t->v[k].len == 16 || t->v[k].len == 11) &&
            (js_is(t, k, "addEventListener") || js_is(t, k, "attachEvent")) &&
            js_is_punct(t, k + 1, "(") && t->v[k + 2].type == JS_IDENT)
            return 1;
    return 0;
}

/*
 * A handler found passes its event to a function whose name the script
 * declares more than once (minified code): only the scopes of a whole
 * parse tell which one it calls.
 */
static int
ambiguous_helpers(struct js_script *s, const struct parsed_regs *pr)
{
    const struct js_tokens *t = &s->t;
    static const char *const kw[] = {
        "function", "if", "for", "while", "switch", "catch", "return", "typeof",
        "with", NULL,
    };
    for (size_t i = 0; i < pr->n; i++) {
        struct js_func f;
        size_t a = js_token_at(t, pr->v[i].fn_start), b = js_token_at(t, pr->v[i].fn_end);
        if (!pr->v[i].fn_found || a >= t->n || !js_func_at(t, a, &f))
            continue;
        size_t p = f.params_open == f.params_close ? f.params_open : f.params_open + 1;
        if (p >= t->n || t->v[p].type != JS_IDENT)
            continue; /* no event name to pass on */
        if (b - a > HANDLER_SCAN_MAX)
            b = a + HANDLER_SCAN_MAX;
        for (size_t k = f.body_start; k + 1 < b; k++) {
            if (t->v[k].type != JS_IDENT || !js_is_punct(t, k + 1, "(") ||
                t->v[k + 1].match < 0 ||
                (k > 0 && (js_is_punct(t, k - 1, ".") || js_is_punct(t, k - 1, "?."))))
                continue;
            int keyword = 0, passes_event = 0;
            for (int j = 0; kw[j]; j++)
                keyword |= js_is(t, k, kw[j]);
            for (size_t j = k + 2; !keyword && j < (size_t)t->v[k + 1].match; j++)
                passes_event |= t->v[j].type == JS_IDENT && t->v[j].len == t->v[p].len &&
                                memcmp(t->src + t->v[j].off, t->src + t->v[p].off,
                                       t->v[p].len) == 0;
            if (passes_event && js_name_declared_again(s, t->src + t->v[k].off, t->v[k].len))
                return 1;
        }
    }
    return 0;
}

/*
 * Parse s's script in windows of the given budget (whole: all of it) into
 * s->model (replacing one parsed before) and collect its registrations.
 */
static int
parse_registrations(struct js_script *s, const char *src, size_t budget,
                    int whole, struct parsed_regs *pr)
{
    const struct js_tokens *t = &s->t;
    struct js_window *w = NULL;
    size_t nw = js_message_windows(t, budget, &w);
    int open = 0;
    pr->n = 0;
    jsm_free((struct jsm *)s->model);
    s->model = NULL;
    if (nw > 0) {
        struct jsm *m = jsm_parse(src, t->srclen, w, whole ? 0 : nw);
        if (m)
            open = jsm_each_registration(m, collect_reg, pr);
        s->model = m;
    }
    free(w);
    return open;
}

/*
 * Scripts that may register a message listener are parsed (jsmodel.c) and
 * their registrations reported in source order; the token matcher below
 * still runs over every script, for send sites and for registrations the
 * parser did not see (code it could not parse), and skips those it did.
 */
void
analyze_script(const char *src, size_t n, long first_line, long first_col,
               pm_listener_found_fn on_listener, pm_send_found_fn on_send,
               void *ctx)
{
    struct js_script s;
    struct parsed_regs pr;
    memset(&s, 0, sizeof s);
    memset(&pr, 0, sizeof pr);
    js_tokenize(src, n, first_line, first_col, &s.t);
    js_script_budget(&s);
    const struct js_tokens *t = &s.t;
    if (on_listener && (parse_registrations(&s, src, 0, 0, &pr) > 0 ||
                        indirect_registration(t) || ambiguous_helpers(&s, &pr)))
        parse_registrations(&s, src, PARSE_WIDE_BUDGET + t->srclen / PARSE_WIDE_DIV,
                            t->srclen <= PARSE_WHOLE_MAX, &pr);
    /* one pass; a cheap length filter before any comparison */
    for (size_t k = 0; k + 2 < t->n; k++) {
        if (t->v[k].type != JS_IDENT)
            continue;
        int parsed_here = 0;
        while (pr.next < pr.n && pr.v[pr.next].name_off <= t->v[k].off) {
            parsed_here |= pr.v[pr.next].name_off == t->v[k].off;
            report_parsed(&s, &pr.v[pr.next++], on_listener, ctx);
        }
        uint32_t len = t->v[k].len;
        if (on_listener && !parsed_here && (len == 16 || len == 11 || len == 9 ||
                                            len == 2 || len == 3 || len == 4))
            listener_at(&s, k, on_listener, ctx);
        if (on_send && len == 11)
            send_at(&s, k, on_send, ctx);
    }
    while (pr.next < pr.n)
        report_parsed(&s, &pr.v[pr.next++], on_listener, ctx);
    free(pr.v);
    jsm_free((struct jsm *)s.model);
    js_script_release(&s);
}

void
analyze_handler_code(const char *code, size_t n, struct pm_handler_facts *out)
{
    struct js_script s;
    struct js_func f;
    memset(&s, 0, sizeof s);
    memset(out, 0, sizeof *out);
    js_tokenize(code, n, 1, 1, &s.t);
    js_script_budget(&s);
    int found = s.t.n > 0 && resolve_handler(&s, 0, s.t.n, &f);
    if (found && f.body_end - f.body_start == 6 &&
        js_is_punct(&s.t, f.body_start + 1, "[") &&
        js_is_ident(&s.t, f.body_start + 2, "native"))
        found = 0; /* function () { [native code] } */
    if (found) {
        classify_handler(&s, &f, out);
    } else {
        out->check = PM_CHECK_UNKNOWN;
        snprintf(out->check_expr, sizeof out->check_expr,
                 "handler source not available");
    }
    js_script_release(&s);
}

/* ---- inline scripts ---------------------------------------------------- */

static const char *
find_ci(const char *p, const char *end, const char *needle)
{
    size_t l = strlen(needle);
    for (; p + l <= end; p++)
        if (strncasecmp(p, needle, l) == 0)
            return p;
    return NULL;
}

/* Value of attribute name in the tag text [a, b), or NULL; copied into out. */
static const char *
tag_attr(const char *a, const char *b, const char *name, char *out,
         size_t outsz)
{
    size_t l = strlen(name);
    for (const char *p = a; p + l < b; p++) {
        if (strncasecmp(p, name, l) != 0 ||
            (p > a && p[-1] != ' ' && p[-1] != '\t' && p[-1] != '\n'))
            continue;
        const char *q = p + l;
        while (q < b && *q == ' ')
            q++;
        if (q >= b || *q != '=')
            continue;
        q++;
        while (q < b && *q == ' ')
            q++;
        char quote = (q < b && (*q == '"' || *q == '\'')) ? *q++ : 0;
        size_t o = 0;
        while (q < b && (quote ? *q != quote : (*q != ' ' && *q != '>')) &&
               o + 1 < outsz)
            out[o++] = *q++;
        out[o] = '\0';
        return out;
    }
    return NULL;
}

static int
script_type_is_js(const char *type)
{
    static const char *const ok[] = {
        "", "text/javascript", "application/javascript", "module",
        "text/ecmascript", "application/ecmascript", "application/x-javascript",
        "text/jscript", NULL,
    };
    for (int i = 0; ok[i]; i++)
        if (strcasecmp(type, ok[i]) == 0)
            return 1;
    return 0;
}

void
html_each_inline_script(const char *html, size_t n, pm_inline_script_fn fn,
                        void *ctx)
{
    const char *end = html + n, *p = html, *counted = html;
    long line = 1;
    const char *line_start = html;
    while ((p = find_ci(p, end, "<script")) != NULL) {
        const char *tag_end = memchr(p, '>', (size_t)(end - p));
        if (tag_end == NULL)
            return;
        const char *body = tag_end + 1;
        const char *close = find_ci(body, end, "</script");
        if (close == NULL)
            close = end;
        char val[128];
        int skip = tag_attr(p + 7, tag_end, "src", val, sizeof val) != NULL;
        if (!skip && tag_attr(p + 7, tag_end, "type", val, sizeof val) &&
            !script_type_is_js(val))
            skip = 1;
        if (!skip) {
            for (; counted < body; counted++)
                if (*counted == '\n') {
                    line++;
                    line_start = counted + 1;
                }
            fn(body, (size_t)(close - body), line, (long)(body - line_start) + 1,
               ctx);
        }
        p = close;
    }
}
