/*
 * poc_payload.c - the payload of poc_payload.h, from a tree-sitter parse
 * of the handler.
 *
 * The handler's first parameter is the event; `EV.data`, and every name
 * assigned from it or from a member of it (var data = e.data, var msg =
 * JSON.parse(e.data), var cmd = data.cmd), is a *data path*: a list of
 * property names below the message data (paths and the sink are read by
 * poc_sinks.c).  The sink is the first node in
 * source order that writes HTML, evaluates code, navigates, stores or
 * replies to event.source; the guards are the conditions on the way from
 * the function to it:
 *
 *   - the condition of an if whose consequence holds it, of a ternary,
 *     the left of && whose right holds it (taken as true);
 *   - the condition of an earlier `if (C) return;` in an enclosing block
 *     (taken as false);
 *   - the discriminant of a switch whose case holds it (the case value).
 *
 * A condition taken as true (false) is split on && (||) and ! and each
 * comparison of a data path with a literal (=== == !== !=), `P in OBJ`
 * (a key of the object literal OBJ is declared with in the handler),
 * `typeof P`, a string test on P (startsWith, includes, indexOf, ===) or
 * a bare data path (truthy) sets that path.  Comparisons that do not
 * touch the data (event.origin, event.source) are the origin check's
 * business and are skipped.  A data comparison that cannot be satisfied
 * is recorded in `unmet`.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tree_sitter/api.h>

#include "buf.h"
#include "md_escape.h"
#include "mem.h"
#include "poc_payload.h"
#include "poc_payload_int.h"

const TSLanguage *tree_sitter_javascript(void);

/* A literal as re-encoded JS text, or NULL when n is no literal. */
static char *
literal_js(const struct pp *pp, TSNode n)
{
    n = unparen(n);
    char v[512];
    if (poc_string_value(pp, n, v, sizeof v) == 0) {
        struct pm_buf b;
        pm_buf_init(&b);
        js_string_literal(&b, v);
        return pm_buf_detach(&b);
    }
    if (is(n, "number")) {
        text_of(pp, n, v, 40);
        for (char *c = v; *c; c++)
            if (!isalnum((unsigned char)*c) && *c != '.' && *c != '_')
                return NULL;
        return xstrdup(v);
    }
    if (is(n, "true") || is(n, "false") || is(n, "null"))
        return xstrdup(ts_node_type(n));
    if (is(n, "unary_expression") && is(ts_node_named_child(n, 0), "number")) {
        TSNode op = field(n, "operator");
        if (!ts_node_is_null(op) && text_is(pp, op, "-")) {
            char *num = literal_js(pp, ts_node_named_child(n, 0));
            if (num == NULL)
                return NULL;
            char *neg = xmalloc(strlen(num) + 2);
            sprintf(neg, "-%s", num);
            free(num);
            return neg;
        }
    }
    return NULL;
}

static int
path_eq(const struct dpath *a, const struct dpath *b)
{
    if (a->n != b->n)
        return 0;
    for (int i = 0; i < a->n; i++)
        if (strcmp(a->key[i], b->key[i]) != 0)
            return 0;
    return 1;
}

/* Record value_js (owned; NULL = canary) at path; a weak value yields to
 * any other, the first strong value stays. */
static void
put(struct pp *pp, const struct dpath *path, char *value_js, int weak)
{
    for (int i = 0; i < pp->nset; i++) {
        if (!path_eq(&pp->set[i].path, path))
            continue;
        if (pp->set[i].weak && !weak) {
            free(pp->set[i].value_js);
            pp->set[i].value_js = value_js;
            pp->set[i].weak = 0;
        } else {
            free(value_js);
        }
        return;
    }
    if (pp->nset == MAX_SETS) {
        free(value_js);
        return;
    }
    pp->set[pp->nset].path = *path;
    pp->set[pp->nset].value_js = value_js;
    pp->set[pp->nset].weak = weak;
    pp->nset++;
}

static void
unmet(struct pp *pp, TSNode n, const char *why)
{
    char code[80];
    text_of(pp, n, code, sizeof code);
    if (pp->unmet.len)
        pm_buf_adds(&pp->unmet, "; ");
    pm_buf_addf(&pp->unmet, "%s (%s)", why, code);
}

/* The first key of the object literal declared as name in the handler. */
static char *
object_first_key(struct pp *pp, TSNode n, const char *name)
{
    if (is(n, "variable_declarator") || is(n, "assignment_expression")) {
        TSNode lhs = field(n, is(n, "variable_declarator") ? "name" : "left");
        TSNode val = unparen(field(n, is(n, "variable_declarator") ? "value" : "right"));
        if (!ts_node_is_null(lhs) && text_is(pp, lhs, name) && is(val, "object")) {
            uint32_t k = ts_node_named_child_count(val);
            for (uint32_t i = 0; i < k; i++) {
                TSNode pr = ts_node_named_child(val, i);
                TSNode key = is(pr, "pair") ? field(pr, "key")
                           : is(pr, "method_definition") ? field(pr, "name")
                           : is(pr, "shorthand_property_identifier") ? pr
                           : (TSNode){0};
                if (ts_node_is_null(key))
                    continue;
                char v[128];
                if (poc_string_value(pp, key, v, sizeof v) != 0)
                    text_of(pp, key, v, sizeof v);
                struct pm_buf b;
                pm_buf_init(&b);
                js_string_literal(&b, v);
                return pm_buf_detach(&b);
            }
        }
    }
    uint32_t k = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < k; i++) {
        char *r = object_first_key(pp, ts_node_named_child(n, i), name);
        if (r)
            return r;
    }
    return NULL;
}

static int
touches_data(struct pp *pp, TSNode n)
{
    if (poc_data_path(pp, n).n >= 0)
        return 1;
    uint32_t k = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < k; i++)
        if (touches_data(pp, ts_node_named_child(n, i)))
            return 1;
    return 0;
}

/* Satisfy condition c taken as truth (1) or falsehood (0). */
static void
require(struct pp *pp, TSNode c, int truth)
{
    c = unparen(c);
    if (is(c, "unary_expression")) {
        TSNode op = field(c, "operator");
        if (!ts_node_is_null(op) && text_is(pp, op, "!")) {
            require(pp, field(c, "argument"), !truth);
            return;
        }
    }
    if (is(c, "binary_expression")) {
        char op[8];
        text_of(pp, field(c, "operator"), op, sizeof op);
        TSNode l = field(c, "left"), r = field(c, "right");
        if ((strcmp(op, "&&") == 0 && truth) || (strcmp(op, "||") == 0 && !truth)) {
            require(pp, l, truth);
            require(pp, r, truth);
            return;
        }
        if (strcmp(op, "&&") == 0 || strcmp(op, "||") == 0) {
            require(pp, l, truth); /* one side suffices: the left */
            return;
        }
        int eq = strcmp(op, "===") == 0 || strcmp(op, "==") == 0;
        int ne = strcmp(op, "!==") == 0 || strcmp(op, "!=") == 0;
        if (eq || ne) {
            int want_equal = eq ? truth : !truth;
            TSNode side[2] = {l, r};
            for (int s = 0; s < 2; s++) {
                TSNode a = unparen(side[s]), b = side[!s];
                if (is(a, "unary_expression") && text_is(pp, field(a, "operator"), "typeof")) {
                    /* typeof P === 'object' / 'string': an object is sent;
                     * a string test on the whole data means JSON. */
                    struct dpath d = poc_data_path(pp, field(a, "argument"));
                    char t[32];
                    if (d.n < 0 || poc_string_value(pp, unparen(b), t, sizeof t) != 0)
                        continue;
                    if (want_equal && d.n == 0 && strcmp(t, "string") == 0)
                        pp->json = 1;
                    else if (want_equal && d.n > 0 && strcmp(t, "object") != 0)
                        put(pp, &d, xstrdup(strcmp(t, "number") == 0 ? "1"
                                            : strcmp(t, "boolean") == 0 ? "true"
                                                                        : "\"x\""), 1);
                    pp->guards++;
                    return;
                }
                struct dpath d = poc_data_path(pp, a);
                if (d.n < 0)
                    continue;
                char *lit = literal_js(pp, b);
                if (lit == NULL) {
                    if (touches_data(pp, b) || !want_equal)
                        ;
                    else
                        unmet(pp, c, "compared with a value not written in the handler");
                    return;
                }
                if (want_equal) {
                    put(pp, &d, lit, 0);
                    pp->guards++;
                } else {
                    free(lit); /* anything else passes */
                    put(pp, &d, xstrdup("\"pmscope\""), 1);
                    pp->guards++;
                }
                return;
            }
            return;
        }
        if (strcmp(op, "in") == 0 && truth) {
            struct dpath d = poc_data_path(pp, l);
            if (d.n < 0)
                return;
            char name[64];
            text_of(pp, unparen(r), name, sizeof name);
            char *key = is(unparen(r), "identifier")
                            ? object_first_key(pp, pp->root, name)
                            : NULL;
            if (key == NULL) {
                unmet(pp, c, "the keys of the object are not in the handler");
                return;
            }
            put(pp, &d, key, 0);
            pp->guards++;
            return;
        }
        if ((strcmp(op, ">") == 0 || strcmp(op, ">=") == 0 || strcmp(op, "!=") == 0) &&
            is(unparen(l), "call_expression")) {
            require(pp, l, truth); /* P.indexOf('x') > -1 */
            return;
        }
        return;
    }
    if (is(c, "call_expression")) {
        TSNode fn = field(c, "function"), args = field(c, "arguments");
        if (!is(fn, "member_expression") || ts_node_named_child_count(args) == 0)
            return;
        char m[32];
        text_of(pp, field(fn, "property"), m, sizeof m);
        struct dpath d = poc_data_path(pp, field(fn, "object"));
        if (d.n < 0 || !truth)
            return;
        if (strcmp(m, "startsWith") == 0 || strcmp(m, "includes") == 0 ||
            strcmp(m, "indexOf") == 0 || strcmp(m, "endsWith") == 0) {
            char *lit = literal_js(pp, ts_node_named_child(args, 0));
            if (lit) {
                put(pp, &d, lit, 0);
                pp->guards++;
            }
        } else if (strcmp(m, "hasOwnProperty") == 0) {
            char *lit = literal_js(pp, ts_node_named_child(args, 0));
            char k[64];
            if (lit && poc_string_value(pp, unparen(ts_node_named_child(args, 0)), k, sizeof k) == 0 &&
                d.n < PATH_MAX_DEPTH) {
                snprintf(d.key[d.n++], sizeof d.key[0], "%s", k);
                put(pp, &d, xstrdup("\"pmscope\""), 1);
                pp->guards++;
            }
            free(lit);
        }
        return;
    }
    struct dpath d = poc_data_path(pp, c);
    if (d.n > 0) {
        put(pp, &d, xstrdup(truth ? "1" : "0"), 1);
        pp->guards++;
    }
}

/* Statement s ends its block: a return, or a block/if that only returns. */
static int
only_returns(TSNode s)
{
    if (is(s, "return_statement") || is(s, "throw_statement"))
        return 1;
    if (is(s, "statement_block") && ts_node_named_child_count(s) == 1)
        return only_returns(ts_node_named_child(s, 0));
    return 0;
}

/* Aliases: names assigned from a data path, in source order. */
static void
collect_aliases(struct pp *pp, TSNode n)
{
    TSNode lhs = {0}, val = {0};
    if (is(n, "variable_declarator")) {
        lhs = field(n, "name");
        val = field(n, "value");
    } else if (is(n, "assignment_expression")) {
        lhs = field(n, "left");
        val = field(n, "right");
    }
    if (!ts_node_is_null(lhs) && !ts_node_is_null(val) && is(lhs, "identifier") &&
        pp->nal < MAX_ALIASES) {
        struct dpath d = poc_data_path(pp, val);
        if (d.n >= 0) {
            text_of(pp, lhs, pp->al[pp->nal].name, sizeof pp->al[0].name);
            pp->al[pp->nal].path = d;
            pp->nal++;
        }
    }
    uint32_t k = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < k; i++)
        collect_aliases(pp, ts_node_named_child(n, i));
}

/* The guards between the function and node (see the file comment). */
static void
guards_to(struct pp *pp, TSNode node)
{
    TSNode child = node;
    for (TSNode a = ts_node_parent(node); !ts_node_is_null(a) && !ts_node_eq(child, pp->fn);
         child = a, a = ts_node_parent(a)) {
        if (is(a, "if_statement")) {
            if (ts_node_eq(field(a, "consequence"), child))
                require(pp, field(a, "condition"), 1);
            else if (is(child, "else_clause"))
                require(pp, field(a, "condition"), 0);
        } else if (is(a, "ternary_expression")) {
            if (ts_node_eq(field(a, "consequence"), child))
                require(pp, field(a, "condition"), 1);
            else if (ts_node_eq(field(a, "alternative"), child))
                require(pp, field(a, "condition"), 0);
        } else if (is(a, "binary_expression") && ts_node_eq(field(a, "right"), child)) {
            if (text_is(pp, field(a, "operator"), "&&"))
                require(pp, field(a, "left"), 1);
            else if (text_is(pp, field(a, "operator"), "||"))
                require(pp, field(a, "left"), 0);
        } else if (is(a, "switch_case")) {
            TSNode sw = ts_node_parent(ts_node_parent(a));
            struct dpath d = poc_data_path(pp, field(sw, "value"));
            char *lit = literal_js(pp, field(a, "value"));
            if (d.n >= 0 && lit) {
                put(pp, &d, lit, 0);
                pp->guards++;
            } else {
                free(lit);
            }
        }
        if (is(a, "statement_block") || is(a, "program") || is(a, "switch_case")) {
            uint32_t k = ts_node_named_child_count(a);
            for (uint32_t i = 0; i < k; i++) {
                TSNode s = ts_node_named_child(a, i);
                if (ts_node_eq(s, child))
                    break;
                if (is(s, "if_statement") && ts_node_is_null(field(s, "alternative")) &&
                    only_returns(field(s, "consequence")))
                    require(pp, field(s, "condition"), 0);
            }
        }
    }
}

/* 1 when p lies strictly below prefix. */
static int
path_under(const struct dpath *p, const struct dpath *prefix)
{
    if (p->n <= prefix->n)
        return 0;
    for (int k = 0; k < prefix->n; k++)
        if (strcmp(p->key[k], prefix->key[k]) != 0)
            return 0;
    return 1;
}

/* The payload object of the sets: nested object literals, keys encoded. */
static void
render(struct pp *pp, struct pm_buf *out, const struct dpath *prefix)
{
    /* a value set at prefix itself wins over members below it, unless it
     * only asks for a truthy value (then the object below is one) or it is
     * the canary at the root of a guarded object */
    int below = 0;
    for (int j = 0; j < pp->nset && !below; j++)
        below = path_under(&pp->set[j].path, prefix);
    for (int i = 0; i < pp->nset; i++)
        if (path_eq(&pp->set[i].path, prefix)) {
            if (below && (pp->set[i].weak ||
                          (pp->set[i].value_js == NULL && prefix->n == 0)))
                break;
            pm_buf_adds(out, pp->set[i].value_js ? pp->set[i].value_js : "canary");
            return;
        }
    pm_buf_addc(out, '{');
    int first = 1;
    for (int i = 0; i < pp->nset; i++) {
        const struct dpath *p = &pp->set[i].path;
        if (!path_under(p, prefix))
            continue;
        int seen = 0; /* this key was written by an earlier set */
        for (int j = 0; j < i && !seen; j++) {
            const struct dpath *q = &pp->set[j].path;
            if (q->n <= prefix->n)
                continue;
            int same = strcmp(q->key[prefix->n], p->key[prefix->n]) == 0;
            for (int k = 0; k < prefix->n && same; k++)
                same = strcmp(q->key[k], prefix->key[k]) == 0;
            seen = same;
        }
        if (seen)
            continue;
        struct dpath sub = *prefix;
        snprintf(sub.key[sub.n++], sizeof sub.key[0], "%s", p->key[prefix->n]);
        if (!first)
            pm_buf_adds(out, ", ");
        first = 0;
        js_string_literal(out, p->key[prefix->n]);
        pm_buf_adds(out, ": ");
        render(pp, out, &sub);
    }
    pm_buf_addc(out, '}');
}

static TSNode
first_function(TSNode n)
{
    if (is(n, "function_expression") || is(n, "function") || is(n, "arrow_function") ||
        is(n, "function_declaration") || is(n, "method_definition"))
        return n;
    uint32_t k = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < k; i++) {
        TSNode f = first_function(ts_node_named_child(n, i));
        if (!ts_node_is_null(f))
            return f;
    }
    return (TSNode){0};
}

int
poc_payload_build(const char *code, struct poc_payload *p)
{
    memset(p, 0, sizeof *p);
    p->sink_row = -1;
    struct pp *pp = xcalloc(1, sizeof *pp);
    pm_buf_init(&pp->unmet);
    int rc = -1;
    size_t n = code ? strlen(code) : 0;
    /* wrapped in parentheses: an anonymous function is an expression */
    char *src = xmalloc(n + 3);
    src[0] = '(';
    if (n)
        memcpy(src + 1, code, n);
    src[n + 1] = ')';
    src[n + 2] = '\0';
    pp->src = src;
    TSParser *parser = ts_parser_new();
    TSTree *tree = NULL;
    if (n == 0 || n > 1000000 || !ts_parser_set_language(parser, tree_sitter_javascript()) ||
        (tree = ts_parser_parse_string(parser, NULL, src, (uint32_t)n + 2)) == NULL) {
        pm_buf_adds(&pp->unmet, "the handler's code is not recorded");
        goto out;
    }
    pp->root = ts_tree_root_node(tree);
    pp->fn = first_function(pp->root);
    if (ts_node_is_null(pp->fn)) {
        pm_buf_adds(&pp->unmet, "the handler's code is not a function");
        goto out;
    }
    TSNode params = field(pp->fn, "parameters");
    TSNode param = ts_node_is_null(params) ? field(pp->fn, "parameter")
                   : ts_node_named_child_count(params) ? ts_node_named_child(params, 0)
                                                       : (TSNode){0};
    if (!is(param, "identifier")) {
        pm_buf_adds(&pp->unmet, "the handler names no event parameter");
        goto out;
    }
    text_of(pp, param, pp->ev, sizeof pp->ev);
    snprintf(p->event, sizeof p->event, "%s", pp->ev);
    collect_aliases(pp, pp->fn);
    struct sink_hit hit = {0}, reply = {0};
    if (!poc_find_sink(pp, pp->fn, &hit, &reply))
        hit = reply;
    if (hit.kind == POC_SINK_NONE) {
        pm_buf_adds(&pp->unmet, "no sink or reply found in the handler");
        goto out;
    }
    p->kind = hit.kind;
    p->sink_row = (int)ts_node_start_point(hit.node).row;
    snprintf(p->sink, sizeof p->sink, "%s", hit.name);
    if (hit.kind != POC_SINK_REPLY) {
        struct dpath d;
        if (ts_node_is_null(hit.reads) || !poc_first_read(pp, hit.reads, &d)) {
            unmet(pp, hit.node, "the sink reads nothing from the message");
        } else {
            put(pp, &d, NULL, 0);
            p->canary_placed = 1;
        }
    }
    guards_to(pp, hit.node);
    struct pm_buf b;
    pm_buf_init(&b);
    struct dpath root = {.n = 0};
    render(pp, &b, &root);
    p->data_js = pm_buf_detach(&b);
    p->stringify = pp->json;
    p->guards = pp->guards;
    rc = pp->unmet.len ? -1 : 0;
out:
    if (pp->unmet.len)
        p->unmet = pm_buf_detach(&pp->unmet);
    else
        pm_buf_release(&pp->unmet);
    for (int i = 0; i < pp->nset; i++)
        free(pp->set[i].value_js);
    if (tree)
        ts_tree_delete(tree);
    ts_parser_delete(parser);
    free(src);
    free(pp);
    return rc;
}

void
poc_payload_free(struct poc_payload *p)
{
    free(p->data_js);
    free(p->unmet);
    memset(p, 0, sizeof *p);
    p->sink_row = -1;
}

const char *
poc_sink_kind_name(enum poc_sink_kind k)
{
    static const char *const names[] = {"none", "html", "code", "location",
                                        "storage", "reply"};
    return names[k];
}
