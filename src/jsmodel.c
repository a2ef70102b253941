/*
 * jsmodel.c - the parsed model of one script (see jsmodel.h): a
 * tree-sitter syntax tree, an index of what each name is bound to, and the
 * resolution of a listener's handler expression to the function it
 * evaluates to.
 *
 * The index holds one entry per binding: declarations (var/let/const
 * declarators, function and class declarations, parameters, catch
 * parameters), plain assignments to a name, and properties (object pairs
 * and methods, class methods and fields, X.NAME = value assignments).  A
 * name binding carries its scope (the function or block it is visible in)
 * so a reference resolves to the innermost binding whose scope holds it,
 * which is what keeps the thousands of `t`s of a minified bundle apart.
 * Properties are looked up by name, inside a range when the object is
 * known (an object literal, a class, a bundler module's function).
 *
 * Everything walks the tree with explicit stacks or bounded recursion
 * (RESOLVE_DEPTH), so hostile nesting costs memory, not the C stack.
 */
#include "jsmodel_int.h"

#include <stdlib.h>
#include <string.h>

#include "mem.h"

const TSLanguage *tree_sitter_javascript(void);

/* The nearest enclosing function, class body or program (or block, when asked). */
TSNode
jsm_enclosing(TSNode n, int want_block)
{
    for (TSNode p = parent(n); !ts_node_is_null(p); p = parent(p)) {
        if (is_function(p) || is(p, "program") || is(p, "class_body"))
            return p;
        if (want_block && (is(p, "statement_block") || is(p, "for_statement") ||
                           is(p, "for_in_statement")))
            return p;
    }
    return null_node();
}

/* ---- the binding index ------------------------------------------------ */

static void
bind_add(struct jsm *m, TSNode name, TSNode scope, enum bind_kind kind,
         TSNode value)
{
    if (ts_node_is_null(name))
        return;
    if (m->nb == m->capb) {
        m->capb = m->capb ? m->capb * 2 : 1024;
        m->b = xrealloc(m->b, m->capb * sizeof *m->b);
    }
    struct binding *b = &m->b[m->nb++];
    b->name_off = ts_node_start_byte(name);
    b->name_len = ts_node_end_byte(name) - b->name_off;
    if (is(name, "string") && b->name_len >= 2) {
        b->name_off++;
        b->name_len -= 2;
    }
    b->hash = name_hash(m->src + b->name_off, b->name_len);
    b->kind = (uint8_t)kind;
    b->scope_start = ts_node_is_null(scope) ? 0 : ts_node_start_byte(scope);
    b->scope_end = ts_node_is_null(scope) ? (uint32_t)m->n : ts_node_end_byte(scope);
    b->value = value;
    b->assigned = 0;
}

static void
bind_params(struct jsm *m, TSNode fn)
{
    TSNode one = field(fn, "parameter");
    if (!ts_node_is_null(one)) {
        bind_add(m, one, fn, BIND_NAME, null_node());
        return;
    }
    TSNode ps = field(fn, "parameters");
    uint32_t k = nkids(ps);
    for (uint32_t i = 0; i < k; i++) {
        TSNode p = kid(ps, i);
        if (is(p, "assignment_pattern"))
            p = field(p, "left");
        if (is(p, "identifier"))
            bind_add(m, p, fn, BIND_NAME, null_node());
    }
}

/*
 * The ancestors of the node index_tree is at (tree-sitter 0.20 finds a
 * node's parent by walking down from the root, which made indexing
 * quadratic in the nesting depth).
 */
struct ancestors {
    TSNode *v;
    size_t n, cap;
};

/* Nearest ancestor that is a function, class body or program (or block, when asked). */
static TSNode
scope_of(const struct ancestors *an, int want_block)
{
    for (size_t i = an->n; i-- > 0;) {
        TSNode p = an->v[i];
        if (is_function(p) || is(p, "program") || is(p, "class_body"))
            return p;
        if (want_block && (is(p, "statement_block") || is(p, "for_statement") ||
                           is(p, "for_in_statement")))
            return p;
    }
    return null_node();
}

/* Index what node n binds (called once per node by index_tree). */
static void
index_node(struct jsm *m, TSNode n, const struct ancestors *an)
{
    const char *t = ts_node_type(n);
    TSNode up = an->n > 0 ? an->v[an->n - 1] : null_node();
    if (strcmp(t, "variable_declarator") == 0) {
        TSNode name = field(n, "name");
        if (is(name, "identifier")) {
            int is_var = is(up, "variable_declaration");
            bind_add(m, name, scope_of(an, !is_var), BIND_NAME, field(n, "value"));
        }
    } else if (strcmp(t, "function_declaration") == 0 ||
               strcmp(t, "generator_function_declaration") == 0 ||
               strcmp(t, "class_declaration") == 0) {
        bind_add(m, field(n, "name"), scope_of(an, 0), BIND_NAME, n);
        if (t[0] != 'c')
            bind_params(m, n);
    } else if (strcmp(t, "function_expression") == 0 || strcmp(t, "function") == 0 ||
               strcmp(t, "generator_function") == 0 ||
               strcmp(t, "arrow_function") == 0) {
        bind_params(m, n);
        TSNode name = field(n, "name");
        if (!ts_node_is_null(name))
            bind_add(m, name, n, BIND_NAME, n);
    } else if (strcmp(t, "method_definition") == 0) {
        bind_params(m, n);
        bind_add(m, field(n, "name"), null_node(), BIND_PROP, n);
    } else if (strcmp(t, "pair") == 0) {
        TSNode key = field(n, "key"), value = field(n, "value");
        bind_add(m, key, null_node(), BIND_PROP, value);
        /* a class compiled to createClass(C, [{key: "name", value: f}]) */
        if (text_eq(m, key, "key") && is(value, "string")) {
            for (uint32_t i = 0; i < nkids(up); i++) {
                TSNode p = kid(up, i);
                if (is(p, "pair") && text_eq(m, field(p, "key"), "value"))
                    bind_add(m, value, null_node(), BIND_PROP, field(p, "value"));
            }
        }
    } else if (strcmp(t, "field_definition") == 0) {
        bind_add(m, field(n, "property"), null_node(), BIND_PROP, field(n, "value"));
    } else if (strcmp(t, "assignment_expression") == 0) {
        TSNode left = field(n, "left"), right = field(n, "right");
        if (is(left, "identifier")) {
            bind_add(m, left, null_node(), BIND_NAME, right);
            m->b[m->nb - 1].assigned = 1;
        } else if (is(left, "member_expression")) {
            bind_add(m, field(left, "property"), null_node(), BIND_PROP, right);
        } else if (is(left, "subscript_expression") && is(field(left, "index"), "string")) {
            bind_add(m, field(left, "index"), null_node(), BIND_PROP, right);
        }
    }
}

static int
binding_cmp(const void *a, const void *b)
{
    const struct binding *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return x->name_off < y->name_off ? -1 : x->name_off > y->name_off;
}

static void
index_tree(struct jsm *m)
{
    struct ancestors an = {NULL, 0, 0};
    TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(m->tree));
    for (;;) {
        TSNode n = ts_tree_cursor_current_node(&c);
        index_node(m, n, &an);
        if (ts_tree_cursor_goto_first_child(&c)) {
            if (an.n == an.cap) {
                an.cap = an.cap ? an.cap * 2 : 64;
                an.v = xrealloc(an.v, an.cap * sizeof *an.v);
            }
            an.v[an.n++] = n;
            continue;
        }
        while (!ts_tree_cursor_goto_next_sibling(&c)) {
            if (!ts_tree_cursor_goto_parent(&c))
                goto done;
            an.n--;
        }
    }
done:
    ts_tree_cursor_delete(&c);
    free(an.v);
    if (m->nb > 1)
        qsort(m->b, m->nb, sizeof *m->b, binding_cmp);
}

/* First index entry with hash h (m->nb when none). */
static size_t
first_with_hash(const struct jsm *m, uint32_t h)
{
    size_t lo = 0, hi = m->nb;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->b[mid].hash < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int
binding_named(const struct jsm *m, const struct binding *b, const char *s,
              size_t len)
{
    return b->name_len == len && memcmp(m->src + b->name_off, s, len) == 0;
}

/*
 * The value bound to the name of identifier node ref: the declaration of
 * the innermost scope holding ref (its latest assignment before ref when
 * the declaration has no function value), else the nearest assignment.
 */
TSNode
jsm_lookup_name(const struct jsm *m, TSNode ref)
{
    uint32_t off = ts_node_start_byte(ref), len = ts_node_end_byte(ref) - off;
    const char *s = m->src + off;
    uint32_t h = name_hash(s, len);
    const struct binding *best = NULL, *assign = NULL;
    for (size_t i = first_with_hash(m, h); i < m->nb && m->b[i].hash == h; i++) {
        const struct binding *b = &m->b[i];
        if (b->kind != BIND_NAME || !binding_named(m, b, s, len))
            continue;
        if (b->scope_start == 0 && b->scope_end == m->n && ts_node_is_null(b->value))
            continue;
        int plain_assign = b->assigned;
        if (plain_assign) {
            if (assign == NULL ||
                (b->name_off <= off ? (assign->name_off > off || b->name_off > assign->name_off)
                                    : (assign->name_off > off && b->name_off < assign->name_off)))
                assign = b;
            continue;
        }
        if (off < b->scope_start || off >= b->scope_end)
            continue;
        if (best == NULL || b->scope_end - b->scope_start < best->scope_end - best->scope_start ||
            (b->scope_end - b->scope_start == best->scope_end - best->scope_start &&
             b->name_off <= off && b->name_off > best->name_off))
            best = b;
    }
    if (best && !ts_node_is_null(best->value) &&
        !(is(best->value, "null") || is(best->value, "undefined")))
        return best->value;
    if (assign && (best == NULL ||
                   (assign->name_off >= best->scope_start && assign->name_off < best->scope_end)))
        return assign->value;
    return best ? best->value : null_node();
}

/* The value of property name inside bytes [a, e) (the first one). */
TSNode
jsm_lookup_prop(const struct jsm *m, const char *s, size_t len, uint32_t a,
            uint32_t e)
{
    uint32_t h = name_hash(s, len);
    for (size_t i = first_with_hash(m, h); i < m->nb && m->b[i].hash == h; i++) {
        const struct binding *b = &m->b[i];
        if (b->kind == BIND_PROP && binding_named(m, b, s, len) &&
            b->name_off >= a && b->name_off < e && !ts_node_is_null(b->value))
            return b->value;
    }
    return null_node();
}

/* ---- following values to functions ------------------------------------ */


/* A zero-parameter function returning one expression: a getter's body value. */
static TSNode
getter_value(TSNode fn)
{
    TSNode ps = field(fn, "parameters");
    if (!is(fn, "arrow_function") && !is(fn, "function_expression") &&
        !is(fn, "function") && !is(fn, "method_definition"))
        return null_node();
    if (ts_node_is_null(ps) || nkids(ps) != 0)
        return null_node();
    TSNode body = field(fn, "body");
    if (!is(body, "statement_block"))
        return body;
    if (nkids(body) != 1)
        return null_node();
    TSNode ret = kid(body, 0);
    if (!is(ret, "return_statement") || nkids(ret) != 1)
        return null_node();
    return kid(ret, 0);
}

/* Value v of a property read: a getter of a bundler's export map gives its value. */
static TSNode
prop_value_fn(const struct jsm *m, TSNode v, int depth)
{
    TSNode obj = parent(parent(v));
    if (is(obj, "object") && is(parent(obj), "arguments")) {
        TSNode g = getter_value(v);
        if (!ts_node_is_null(g) && (is(g, "identifier") || is(g, "member_expression")))
            return jsm_resolve_fn(m, g, depth + 1);
    }
    return jsm_resolve_fn(m, v, depth + 1);
}

/*
 * Range whose properties are those of the object expression obj: an
 * object literal or class it evaluates to, or the function of a bundler
 * module it was loaded from (n(123) finds the module map's entry 123).
 */
static int
object_range(const struct jsm *m, TSNode obj, int depth, uint32_t *a,
             uint32_t *e)
{
    for (int i = 0; i < RESOLVE_DEPTH - depth && !ts_node_is_null(obj); i++) {
        if (is(obj, "object") || is(obj, "class") || is(obj, "class_declaration")) {
            *a = ts_node_start_byte(obj);
            *e = ts_node_end_byte(obj);
            return 1;
        }
        if (is(obj, "identifier")) {
            obj = jsm_lookup_name(m, obj);
        } else if (is(obj, "new_expression")) {
            obj = field(obj, "constructor");
        } else if (is(obj, "parenthesized_expression")) {
            obj = kid(obj, 0);
        } else if (is(obj, "call_expression")) {
            TSNode args = field(obj, "arguments");
            TSNode a0 = kid(args, 0);
            if (nkids(args) != 1 ||
                !(is(a0, "number") || is(a0, "string")))
                return 0;
            uint32_t s0 = ts_node_start_byte(a0), l0 = ts_node_end_byte(a0) - s0;
            const char *ks = m->src + s0;
            if (is(a0, "string") && l0 >= 2) {
                ks++;
                l0 -= 2;
            }
            TSNode mod = jsm_lookup_prop(m, ks, l0, 0, (uint32_t)m->n);
            if (!is_function(mod))
                return 0;
            *a = ts_node_start_byte(mod);
            *e = ts_node_end_byte(mod);
            return 1;
        } else {
            return 0;
        }
    }
    return 0;
}

/*
 * Where the members of `this` at node n are defined: the enclosing class
 * body or object literal, or, inside a plain function (a constructor, a
 * method assigned to X.prototype), the scope around that function, where
 * its prototype methods and its createClass list sit.
 */
static TSNode
this_holder(TSNode n)
{
    for (TSNode p = parent(n); !ts_node_is_null(p); p = parent(p)) {
        if (is(p, "class_body") || is(p, "object"))
            return p;
        if (is(p, "function_declaration") || is(p, "function_expression") ||
            is(p, "function")) {
            TSNode outer = jsm_enclosing(p, 0);
            return ts_node_is_null(outer) ? p : outer;
        }
    }
    return null_node();
}

static TSNode
resolve_member(const struct jsm *m, TSNode n, int depth)
{
    TSNode obj = field(n, "object"), prop = field(n, "property");
    uint32_t ps = ts_node_start_byte(prop), pl = ts_node_end_byte(prop) - ps;
    const char *s = m->src + ps;
    uint32_t a = 0, e = (uint32_t)m->n;
    TSNode self = obj;
    if (is(obj, "identifier")) { /* var self = this */
        TSNode v = jsm_lookup_name(m, obj);
        if (is(v, "this"))
            self = v;
    }
    if (is(self, "this")) {
        /* the functions around `this`, innermost first (a constructor's own members) */
        TSNode f = self;
        for (int lv = 0; lv < 4; lv++) {
            f = jsm_enclosing(f, 0);
            if (ts_node_is_null(f) || is(f, "program") || is(f, "class_body"))
                break;
            if (is(f, "arrow_function"))
                continue;
            TSNode v = jsm_lookup_prop(m, s, pl, ts_node_start_byte(f), ts_node_end_byte(f));
            if (!ts_node_is_null(v))
                return prop_value_fn(m, v, depth);
        }
        TSNode h = this_holder(self);
        if (!ts_node_is_null(h)) {
            TSNode v = jsm_lookup_prop(m, s, pl, ts_node_start_byte(h), ts_node_end_byte(h));
            if (!ts_node_is_null(v))
                return prop_value_fn(m, v, depth);
        }
        TSNode v = jsm_lookup_prop(m, s, pl, 0, (uint32_t)m->n);
        return ts_node_is_null(v) ? v : prop_value_fn(m, v, depth);
    }
    if (object_range(m, obj, depth, &a, &e)) {
        TSNode v = jsm_lookup_prop(m, s, pl, a, e);
        if (!ts_node_is_null(v))
            return prop_value_fn(m, v, depth);
    }
    TSNode v = jsm_lookup_prop(m, s, pl, 0, (uint32_t)m->n);
    return ts_node_is_null(v) ? v : prop_value_fn(m, v, depth);
}

/* The function a call of function fn returns (a factory), if one. */
static TSNode
returned_fn(const struct jsm *m, TSNode fn, int depth)
{
    TSNode body = field(fn, "body");
    if (!is(body, "statement_block"))
        return jsm_resolve_fn(m, body, depth + 1);
    /* return statements of fn itself, not of nested functions */
    TSNode stack[64];
    int sp = 0;
    stack[sp++] = body;
    int visited = 0;
    while (sp > 0 && visited++ < READS_SCAN_MAX) {
        TSNode x = stack[--sp];
        if (is(x, "return_statement") && nkids(x) == 1) {
            TSNode r = jsm_resolve_fn(m, kid(x, 0), depth + 1);
            if (!ts_node_is_null(r))
                return r;
            continue;
        }
        uint32_t k = nkids(x);
        for (uint32_t i = k; i-- > 0 && sp < 64;) {
            TSNode c = kid(x, i);
            if (!is_function(c) && !is(c, "class_declaration") && !is(c, "class"))
                stack[sp++] = c;
        }
    }
    return null_node();
}

/* handleEvent of an object or class expression, if any. */
static TSNode
handle_event_of(const struct jsm *m, TSNode obj, int depth)
{
    uint32_t a, e;
    if (is(obj, "this")) {
        TSNode h = this_holder(obj);
        if (ts_node_is_null(h))
            return h;
        a = ts_node_start_byte(h);
        e = ts_node_end_byte(h);
    } else if (!object_range(m, obj, depth, &a, &e)) {
        return null_node();
    }
    TSNode v = jsm_lookup_prop(m, "handleEvent", 11, a, e);
    if (ts_node_is_null(v) && is(obj, "this"))
        v = jsm_lookup_prop(m, "handleEvent", 11, 0, (uint32_t)m->n);
    return ts_node_is_null(v) ? v : jsm_resolve_fn(m, v, depth + 1);
}

/* The function expression n evaluates to, or a null node. */
TSNode
jsm_resolve_fn(const struct jsm *m, TSNode n, int depth)
{
    if (ts_node_is_null(n) || depth > RESOLVE_DEPTH)
        return null_node();
    if (is_function(n))
        return n;
    const char *t = ts_node_type(n);
    if (strcmp(t, "parenthesized_expression") == 0)
        return jsm_resolve_fn(m, kid(n, 0), depth + 1);
    if (strcmp(t, "sequence_expression") == 0)
        return jsm_resolve_fn(m, kid(n, nkids(n) - 1),
                          depth + 1);
    if (strcmp(t, "assignment_expression") == 0)
        return jsm_resolve_fn(m, field(n, "right"), depth + 1);
    if (strcmp(t, "identifier") == 0) {
        TSNode v = jsm_lookup_name(m, n);
        return ts_node_is_null(v) ? v : jsm_resolve_fn(m, v, depth + 1);
    }
    if (strcmp(t, "member_expression") == 0)
        return resolve_member(m, n, depth);
    if (strcmp(t, "ternary_expression") == 0) {
        TSNode r = jsm_resolve_fn(m, field(n, "consequence"), depth + 1);
        return ts_node_is_null(r) ? jsm_resolve_fn(m, field(n, "alternative"), depth + 1) : r;
    }
    if (strcmp(t, "binary_expression") == 0) {
        TSNode r = jsm_resolve_fn(m, field(n, "right"), depth + 1);
        return ts_node_is_null(r) ? jsm_resolve_fn(m, field(n, "left"), depth + 1) : r;
    }
    if (strcmp(t, "call_expression") == 0) {
        TSNode callee = field(n, "function");
        if (is(callee, "member_expression")) {
            TSNode prop = field(callee, "property");
            if (text_eq(m, prop, "bind"))
                return jsm_resolve_fn(m, field(callee, "object"), depth + 1);
        }
        TSNode f = jsm_resolve_fn(m, callee, depth + 1);
        if (!ts_node_is_null(f)) {
            TSNode r = returned_fn(m, f, depth);
            if (!ts_node_is_null(r))
                return r;
        }
        /* a wrapper around an inline function: Raven.wrap(function (e) {...}) */
        TSNode args = field(n, "arguments");
        uint32_t k = nkids(args);
        for (uint32_t i = 0; i < k; i++) {
            TSNode a = kid(args, i);
            if (is_function(a))
                return a;
        }
        return null_node();
    }
    if (strcmp(t, "this") == 0 || strcmp(t, "object") == 0 ||
        strcmp(t, "new_expression") == 0)
        return handle_event_of(m, n, depth);
    return null_node();
}

int
jsm_callee_at(const struct jsm *m, size_t off, size_t *fn_start)
{
    if (m == NULL || off >= m->n)
        return 0;
    TSNode id = ts_node_descendant_for_byte_range(ts_tree_root_node(m->tree),
                                                  (uint32_t)off, (uint32_t)off + 1);
    if (!is(id, "identifier") || ts_node_start_byte(id) != off)
        return 0;
    TSNode f = jsm_resolve_fn(m, id, 0);
    if (ts_node_is_null(f))
        return 0;
    *fn_start = ts_node_start_byte(is(f, "method_definition") ? field(f, "name") : f);
    return 1;
}

/* ---- lifetime --------------------------------------------------------- */

struct jsm *
jsm_parse(const char *src, size_t n, const struct js_window *w, size_t nw)
{
    if (n > UINT32_MAX - 1)
        return NULL;
    struct jsm *m = xcalloc(1, sizeof *m);
    m->src = src;
    m->n = n;
    m->parser = ts_parser_new();
    if (!ts_parser_set_language(m->parser, tree_sitter_javascript())) {
        jsm_free(m);
        return NULL;
    }
    if (nw > 0) {
        TSRange *r = xcalloc(nw, sizeof *r);
        for (size_t i = 0; i < nw; i++) {
            r[i].start_byte = (uint32_t)w[i].start;
            r[i].end_byte = (uint32_t)w[i].end;
            r[i].start_point.column = (uint32_t)w[i].start;
            r[i].end_point.column = (uint32_t)w[i].end;
        }
        int ok = ts_parser_set_included_ranges(m->parser, r, (uint32_t)nw);
        free(r);
        if (!ok) {
            jsm_free(m);
            return NULL;
        }
    }
    m->tree = ts_parser_parse_string(m->parser, NULL, src, (uint32_t)n);
    if (m->tree == NULL) {
        jsm_free(m);
        return NULL;
    }
    index_tree(m);
    return m;
}

void
jsm_free(struct jsm *m)
{
    if (m == NULL)
        return;
    if (m->tree)
        ts_tree_delete(m->tree);
    if (m->parser)
        ts_parser_delete(m->parser);
    free(m->b);
    free(m);
}
