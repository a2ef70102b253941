/*
 * jsmodel_reg.c - the message listener registrations of a parsed script
 * (jsm_each_registration, see jsmodel.h): direct calls, onmessage
 * assignments, jQuery, and calls of wrapper functions that pass their own
 * parameters on to addEventListener; the handler of each is followed with
 * jsmodel.c's resolution, and whether it reads its event is checked.
 */
#include <stdlib.h>
#include <string.h>

#include "jsmodel_int.h"
#include "mem.h"

/* ---- reading the event ------------------------------------------------ */

/* Function fn reads its first parameter (or `arguments`, or window.event). */
static int
reads_event(const struct jsm *m, TSNode fn)
{
    TSNode p = field(fn, "parameter");
    if (ts_node_is_null(p)) {
        TSNode ps = field(fn, "parameters");
        if (nkids(ps) > 0)
            p = kid(ps, 0);
    }
    if (!ts_node_is_null(p) && !is(p, "identifier"))
        return 1; /* a destructuring pattern reads the event */
    TSNode body = field(fn, "body");
    TSTreeCursor c = ts_tree_cursor_new(body);
    int found = 0, visited = 0;
    for (;;) {
        TSNode x = ts_tree_cursor_current_node(&c);
        if (++visited > READS_SCAN_MAX) {
            found = 1;
            break;
        }
        if (is(x, "identifier") &&
            ((!ts_node_is_null(p) && same_text(m, x, p)) ||
             text_eq(m, x, "arguments") || text_eq(m, x, "event"))) {
            found = 1;
            break;
        }
        if (ts_tree_cursor_goto_first_child(&c))
            continue;
        int up = 0;
        while (!ts_tree_cursor_goto_next_sibling(&c)) {
            if (!ts_tree_cursor_goto_parent(&c) ||
                ts_node_eq(ts_tree_cursor_current_node(&c), body)) {
                up = 1;
                break;
            }
        }
        if (up)
            break;
    }
    ts_tree_cursor_delete(&c);
    return found;
}

/* ---- registrations ---------------------------------------------------- */

/* A function that passes its own parameters on to addEventListener. */
struct wrapper {
    uint32_t fn_start;          /* the wrapper function's first byte */
    uint32_t hash, name_off, name_len;
    int type_arg, handler_arg;
};

struct walk {
    struct jsm *m;
    struct wrapper *w;
    size_t nw, capw;
    TSNode *cands;              /* calls with a 'message' argument */
    size_t ncand, capcand;
    struct jsm_reg *regs;
    size_t nreg, capreg;
    TSNode *anc;                /* ancestors of the node being visited */
    size_t nanc, capanc;
};

/* The string constant a name or property read holds (an enum member), else n. */
static TSNode
constant_of(const struct jsm *m, TSNode n)
{
    for (int i = 0; i < 3; i++) {
        TSNode v;
        if (is(n, "identifier")) {
            v = jsm_lookup_name(m, n);
        } else if (is(n, "member_expression")) {
            TSNode prop = field(n, "property");
            uint32_t ps = ts_node_start_byte(prop);
            v = jsm_lookup_prop(m, m->src + ps, ts_node_end_byte(prop) - ps, 0, (uint32_t)m->n);
        } else {
            return n;
        }
        if (ts_node_is_null(v))
            return n;
        n = v;
    }
    return n;
}

static int
is_message_string(const struct jsm *m, TSNode n, int jquery)
{
    char v[128];
    if (string_value(m, constant_of(m, n), v, sizeof v) != 0)
        return 0;
    if (!jquery)
        return strcmp(v, "message") == 0 || strcmp(v, "onmessage") == 0;
    for (char *save = NULL, *p = strtok_r(v, " ", &save); p; p = strtok_r(NULL, " ", &save)) {
        char *dot = strchr(p, '.');
        if (dot)
            *dot = '\0';
        if (strcmp(p, "message") == 0)
            return 1;
    }
    return 0;
}

static TSNode function_name(TSNode fn, TSNode up);

static void
add_reg(struct walk *w, TSNode name, TSNode recv, TSNode arg, const char *how)
{
    struct jsm_reg r;
    memset(&r, 0, sizeof r);
    r.name_off = ts_node_start_byte(name);
    if (!ts_node_is_null(recv)) {
        r.recv_start = ts_node_start_byte(recv);
        r.recv_end = ts_node_end_byte(recv);
    }
    r.how = how;
    if (!ts_node_is_null(arg)) {
        r.arg_start = ts_node_start_byte(arg);
        r.arg_end = ts_node_end_byte(arg);
        TSNode f = jsm_resolve_fn(w->m, arg, 0);
        if (!ts_node_is_null(f)) {
            TSNode at = f;
            if (is(f, "method_definition"))
                at = field(f, "name");
            r.fn_found = 1;
            r.fn_start = ts_node_start_byte(at);
            r.fn_end = ts_node_end_byte(f);
            r.reads_event = reads_event(w->m, f);
            if (!is_function(arg) && text_eq(w->m, function_name(f, parent(f)), "handleEvent"))
                r.how = "handleEvent";
        }
    }
    if (w->nreg == w->capreg) {
        w->capreg = w->capreg ? w->capreg * 2 : 16;
        w->regs = xrealloc(w->regs, w->capreg * sizeof *w->regs);
    }
    w->regs[w->nreg++] = r;
}

/* Index of parameter node p among fn's parameters, -1 if none. */
static int
param_index(const struct jsm *m, TSNode fn, TSNode id)
{
    TSNode ps = field(fn, "parameters");
    uint32_t k = nkids(ps);
    for (uint32_t i = 0; i < k; i++)
        if (same_text(m, kid(ps, i), id))
            return (int)i;
    return -1;
}

/*
 * The name a function is known by: its own, or that of its parent up (a
 * declarator's, a pair's key, an assignment's target).
 */
static TSNode
function_name(TSNode fn, TSNode up)
{
    TSNode nm = field(fn, "name");
    if (!ts_node_is_null(nm))
        return nm;
    TSNode p = up;
    if (is(p, "variable_declarator"))
        return field(p, "name");
    if (is(p, "pair"))
        return field(p, "key");
    if (is(p, "assignment_expression")) {
        TSNode l = field(p, "left");
        return is(l, "member_expression") ? field(l, "property") : l;
    }
    return null_node();
}

static void
maybe_wrapper(struct walk *w, TSNode call, TSNode type_arg, TSNode handler_arg)
{
    (void)call;
    if (!is(type_arg, "identifier") || !is(handler_arg, "identifier"))
        return;
    /* the nearest function around the call, from the walk's ancestors */
    size_t i = w->nanc;
    while (i > 0 && !is_function(w->anc[i - 1]) && !is(w->anc[i - 1], "program") &&
           !is(w->anc[i - 1], "class_body"))
        i--;
    if (i == 0 || !is_function(w->anc[i - 1]))
        return;
    TSNode fn = w->anc[i - 1], up = i >= 2 ? w->anc[i - 2] : null_node();
    int ti = param_index(w->m, fn, type_arg), hi = param_index(w->m, fn, handler_arg);
    TSNode name = function_name(fn, up);
    if (ti < 0 || hi < 0 || ts_node_is_null(name))
        return;
    if (w->nw == w->capw) {
        w->capw = w->capw ? w->capw * 2 : 8;
        w->w = xrealloc(w->w, w->capw * sizeof *w->w);
    }
    struct wrapper *x = &w->w[w->nw++];
    x->fn_start = ts_node_start_byte(fn);
    x->name_off = ts_node_start_byte(name);
    x->name_len = ts_node_end_byte(name) - x->name_off;
    x->hash = name_hash(w->m->src + x->name_off, x->name_len);
    x->type_arg = ti;
    x->handler_arg = hi;
}

static void
visit_call(struct walk *w, TSNode n)
{
    const struct jsm *m = w->m;
    TSNode callee = field(n, "function"), args = field(n, "arguments");
    TSNode name = callee, recv = null_node();
    while (is(callee, "parenthesized_expression") || is(callee, "sequence_expression"))
        callee = kid(callee, nkids(callee) - 1);
    if (is(callee, "member_expression")) {
        name = field(callee, "property");
        recv = field(callee, "object");
    } else if (!is(callee, "identifier")) {
        return;
    }
    uint32_t k = nkids(args);
    if (k == 0)
        return;
    TSNode a0 = kid(args, 0);
    if (text_eq(m, name, "addEventListener") || text_eq(m, name, "attachEvent")) {
        if (k < 2)
            return;
        TSNode a1 = kid(args, 1);
        if (is_message_string(m, a0, 0)) {
            add_reg(w, name, recv, a1,
                    text_eq(m, name, "attachEvent") ? "attachEvent" : "addEventListener");
            return;
        }
        maybe_wrapper(w, n, a0, a1);
    }
    if (!ts_node_is_null(recv) &&
        (text_eq(m, name, "on") || text_eq(m, name, "bind") || text_eq(m, name, "one"))) {
        if (k >= 2 && is_message_string(m, a0, 1)) {
            add_reg(w, name, recv, kid(args, k - 1), "jquery");
            return;
        }
    }
    for (uint32_t i = 0; i < k && i < 4; i++)
        if (is_message_string(m, kid(args, i), 0)) {
            if (w->ncand == w->capcand) {
                w->capcand = w->capcand ? w->capcand * 2 : 16;
                w->cands = xrealloc(w->cands, w->capcand * sizeof *w->cands);
            }
            w->cands[w->ncand++] = n;
            break;
        }
}

static void
visit_assign(struct walk *w, TSNode n)
{
    TSNode left = field(n, "left"), right = field(n, "right");
    TSNode name = left, recv = null_node();
    if (is(left, "member_expression")) {
        name = field(left, "property");
        recv = field(left, "object");
    }
    if (!text_eq(w->m, name, "onmessage") || is(right, "null") || is(right, "undefined"))
        return;
    add_reg(w, name, recv, right, "onmessage");
}

/*
 * Calls of the wrappers found, with 'message' as their event-type
 * argument: the callee resolves to a wrapper function, or (when it does
 * not resolve) is called by a wrapper's name.
 */
/* Some argument can be a handler: a function, a name or a member. */
static int
may_pass_handler(TSNode args)
{
    for (uint32_t i = 0; i < nkids(args); i++) {
        TSNode a = kid(args, i);
        if (is_function(a) || is(a, "identifier") || is(a, "member_expression"))
            return 1;
    }
    return 0;
}

static int
match_wrappers(struct walk *w)
{
    int unmatched = 0;
    for (size_t i = 0; i < w->ncand; i++) {
        TSNode n = w->cands[i];
        TSNode callee = field(n, "function"), args = field(n, "arguments");
        TSNode f = jsm_resolve_fn(w->m, callee, 0);
        while (is(callee, "parenthesized_expression") || is(callee, "sequence_expression"))
            callee = kid(callee, nkids(callee) - 1);
        TSNode name = is(callee, "member_expression") ? field(callee, "property") : callee;
        uint32_t s = ts_node_start_byte(name), l = ts_node_end_byte(name) - s;
        uint32_t h = name_hash(w->m->src + s, l);
        size_t j;
        for (j = 0; j < w->nw; j++) {
            const struct wrapper *x = &w->w[j];
            if (!ts_node_is_null(f) ? ts_node_start_byte(f) != x->fn_start
                                    : (x->hash != h || x->name_len != l ||
                                       memcmp(w->m->src + x->name_off, w->m->src + s, l) != 0))
                continue;
            TSNode ta = kid(args, (uint32_t)x->type_arg);
            if (!is_message_string(w->m, ta, 0))
                continue;
            add_reg(w, name, null_node(),
                    kid(args, (uint32_t)x->handler_arg), "wrapper");
            break;
        }
        unmatched += j == w->nw && may_pass_handler(args);
    }
    return unmatched;
}

static int
reg_cmp(const void *a, const void *b)
{
    const struct jsm_reg *x = a, *y = b;
    return x->name_off < y->name_off ? -1 : x->name_off > y->name_off;
}

int
jsm_each_registration(struct jsm *m, jsm_reg_fn fn, void *ctx)
{
    struct walk w;
    memset(&w, 0, sizeof w);
    w.m = m;
    TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(m->tree));
    for (;;) {
        TSNode n = ts_tree_cursor_current_node(&c);
        if (is(n, "call_expression"))
            visit_call(&w, n);
        else if (is(n, "assignment_expression"))
            visit_assign(&w, n);
        if (ts_tree_cursor_goto_first_child(&c)) {
            if (w.nanc == w.capanc) {
                w.capanc = w.capanc ? w.capanc * 2 : 64;
                w.anc = xrealloc(w.anc, w.capanc * sizeof *w.anc);
            }
            w.anc[w.nanc++] = n;
            continue;
        }
        while (!ts_tree_cursor_goto_next_sibling(&c)) {
            if (!ts_tree_cursor_goto_parent(&c))
                goto done;
            w.nanc--;
        }
    }
done:
    ts_tree_cursor_delete(&c);
    free(w.anc);
    int unresolved = match_wrappers(&w);
    for (size_t i = 0; i < w.nreg; i++)
        unresolved += !w.regs[i].fn_found && w.regs[i].arg_end > w.regs[i].arg_start;
    if (w.nreg > 1)
        qsort(w.regs, w.nreg, sizeof *w.regs, reg_cmp);
    for (size_t i = 0; i < w.nreg; i++)
        fn(&w.regs[i], ctx);
    free(w.w);
    free(w.cands);
    free(w.regs);
    return unresolved;
}
