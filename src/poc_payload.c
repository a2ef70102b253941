/*
 * poc_payload.c - the payload of poc_payload.h, from a tree-sitter parse
 * of the handler.
 *
 * The handler's first parameter is the event; `EV.data`, and every name
 * assigned from it or from a member of it (var data = e.data, var msg =
 * JSON.parse(e.data), var cmd = data.cmd), is a *data path*: a list of
 * property names below the message data.  The sink is the first node in
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

const TSLanguage *tree_sitter_javascript(void);

#define PATH_MAX_DEPTH 8
#define MAX_ALIASES 32
#define MAX_SETS 64

struct dpath {
    int n;               /* -1 = not a data path */
    char key[PATH_MAX_DEPTH][64];
};

struct alias {
    char name[64];
    struct dpath path;
};

/* One value the payload must carry at a path. */
struct pset {
    struct dpath path;
    char *value_js;      /* JS text (re-encoded); NULL = the canary */
    int weak;            /* truthy only: any value, replaced by a stronger one */
};

struct pp {
    const char *src;
    char ev[64];
    struct alias al[MAX_ALIASES];
    int nal;
    int json;            /* the data is JSON.parsed */
    struct pset set[MAX_SETS];
    int nset;
    struct pm_buf unmet;
    int guards;
    TSNode fn, root;
};

static int
is(TSNode n, const char *type)
{
    return !ts_node_is_null(n) && strcmp(ts_node_type(n), type) == 0;
}

/* The node's text into out (cut to outsz - 1). */
static void
text_of(const struct pp *pp, TSNode n, char *out, size_t outsz)
{
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    size_t len = e - s;
    if (len >= outsz)
        len = outsz - 1;
    memcpy(out, pp->src + s, len);
    out[len] = '\0';
}

static int
text_is(const struct pp *pp, TSNode n, const char *want)
{
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    return strlen(want) == e - s && memcmp(pp->src + s, want, e - s) == 0;
}

static TSNode
field(TSNode n, const char *name)
{
    return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name));
}

static TSNode
unparen(TSNode n)
{
    while (is(n, "parenthesized_expression") && ts_node_named_child_count(n) > 0)
        n = ts_node_named_child(n, 0);
    return n;
}

/* The value of a string literal (escapes other than \' \" \\ kept as
 * written), or -1 when n is not a plain string. */
static int
string_value(const struct pp *pp, TSNode n, char *out, size_t outsz)
{
    if (!is(n, "string"))
        return -1;
    char raw[512];
    text_of(pp, n, raw, sizeof raw);
    size_t len = strlen(raw), o = 0;
    if (len < 2)
        return -1;
    for (size_t i = 1; i + 1 < len && o + 1 < outsz; i++) {
        if (raw[i] == '\\' && i + 2 < len && strchr("'\"\\", raw[i + 1]))
            i++;
        out[o++] = raw[i];
    }
    out[o] = '\0';
    return 0;
}

/* A literal as re-encoded JS text, or NULL when n is no literal. */
static char *
literal_js(const struct pp *pp, TSNode n)
{
    n = unparen(n);
    char v[512];
    if (string_value(pp, n, v, sizeof v) == 0) {
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

/* The data path n reads, or n = -1. */
static struct dpath
data_path(struct pp *pp, TSNode n)
{
    struct dpath d = {.n = -1};
    n = unparen(n);
    if (is(n, "identifier")) {
        char name[64];
        text_of(pp, n, name, sizeof name);
        for (int i = pp->nal - 1; i >= 0; i--)
            if (strcmp(pp->al[i].name, name) == 0)
                return pp->al[i].path;
        return d;
    }
    if (is(n, "binary_expression")) { /* e.data || {}, e.data ?? {} */
        TSNode op = field(n, "operator");
        if (!ts_node_is_null(op) && (text_is(pp, op, "||") || text_is(pp, op, "??")))
            return data_path(pp, field(n, "left"));
        return d;
    }
    if (is(n, "call_expression")) {
        TSNode fn = field(n, "function"), args = field(n, "arguments");
        if (text_is(pp, fn, "JSON.parse") && ts_node_named_child_count(args) > 0) {
            struct dpath in = data_path(pp, ts_node_named_child(args, 0));
            if (in.n == 0)
                pp->json = 1;
            return in;
        }
        return d;
    }
    char prop[64];
    TSNode obj;
    if (is(n, "member_expression")) {
        obj = field(n, "object");
        text_of(pp, field(n, "property"), prop, sizeof prop);
    } else if (is(n, "subscript_expression")) {
        obj = field(n, "object");
        if (string_value(pp, unparen(field(n, "index")), prop, sizeof prop) != 0)
            return d;
    } else {
        return d;
    }
    obj = unparen(obj);
    if (is(obj, "identifier") && text_is(pp, obj, pp->ev) &&
        strcmp(prop, "data") == 0) {
        d.n = 0;
        return d;
    }
    d = data_path(pp, obj);
    if (d.n < 0 || d.n >= PATH_MAX_DEPTH)
        return (struct dpath){.n = -1};
    snprintf(d.key[d.n++], sizeof d.key[0], "%s", prop);
    return d;
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
                if (string_value(pp, key, v, sizeof v) != 0)
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
    if (data_path(pp, n).n >= 0)
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
                    struct dpath d = data_path(pp, field(a, "argument"));
                    char t[32];
                    if (d.n < 0 || string_value(pp, unparen(b), t, sizeof t) != 0)
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
                struct dpath d = data_path(pp, a);
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
            struct dpath d = data_path(pp, l);
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
        struct dpath d = data_path(pp, field(fn, "object"));
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
            if (lit && string_value(pp, unparen(ts_node_named_child(args, 0)), k, sizeof k) == 0 &&
                d.n < PATH_MAX_DEPTH) {
                snprintf(d.key[d.n++], sizeof d.key[0], "%s", k);
                put(pp, &d, xstrdup("\"pmscope\""), 1);
                pp->guards++;
            }
            free(lit);
        }
        return;
    }
    struct dpath d = data_path(pp, c);
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
        struct dpath d = data_path(pp, val);
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

struct sink_hit {
    enum poc_sink_kind kind;
    char name[32];
    TSNode node;     /* the sink expression */
    TSNode reads;    /* what it reads (a canary goes there); null = nothing */
};

static int
member_prop_is(const struct pp *pp, TSNode n, const char *prop)
{
    return is(n, "member_expression") && text_is(pp, field(n, "property"), prop);
}

static int
is_location(const struct pp *pp, TSNode n)
{
    if (is(n, "identifier"))
        return text_is(pp, n, "location");
    if (member_prop_is(pp, n, "location"))
        return 1;
    return member_prop_is(pp, n, "href") && is_location(pp, field(n, "object"));
}

/* The sink n is, if any. */
static int
sink_at(struct pp *pp, TSNode n, struct sink_hit *h)
{
    memset(h, 0, sizeof *h);
    if (is(n, "assignment_expression")) {
        TSNode l = field(n, "left");
        if (member_prop_is(pp, l, "innerHTML") || member_prop_is(pp, l, "outerHTML")) {
            h->kind = POC_SINK_HTML;
            text_of(pp, field(l, "property"), h->name, sizeof h->name);
        } else if (is_location(pp, l)) {
            h->kind = POC_SINK_LOCATION;
            snprintf(h->name, sizeof h->name, "location");
        } else {
            return 0;
        }
        h->node = n;
        h->reads = field(n, "right");
        return 1;
    }
    if (!is(n, "call_expression") && !is(n, "new_expression"))
        return 0;
    TSNode fn = field(n, is(n, "call_expression") ? "function" : "constructor");
    TSNode args = field(n, "arguments");
    uint32_t na = ts_node_is_null(args) ? 0 : ts_node_named_child_count(args);
    char m[32] = "";
    if (is(fn, "member_expression"))
        text_of(pp, field(fn, "property"), m, sizeof m);
    else if (is(fn, "identifier"))
        text_of(pp, fn, m, sizeof m);
    int arg = -1;
    if (strcmp(m, "insertAdjacentHTML") == 0) {
        h->kind = POC_SINK_HTML, arg = 1;
    } else if ((strcmp(m, "write") == 0 || strcmp(m, "writeln") == 0) &&
               is(fn, "member_expression") && text_is(pp, field(fn, "object"), "document")) {
        h->kind = POC_SINK_HTML, arg = 0;
        snprintf(m, sizeof m, "document.write");
    } else if (strcmp(m, "html") == 0 && is(fn, "member_expression") && na > 0) {
        h->kind = POC_SINK_HTML, arg = 0;
    } else if (strcmp(m, "eval") == 0 && is(fn, "identifier")) {
        h->kind = POC_SINK_CODE, arg = 0;
    } else if (strcmp(m, "Function") == 0 && na > 0) {
        h->kind = POC_SINK_CODE, arg = (int)na - 1;
    } else if ((strcmp(m, "setTimeout") == 0 || strcmp(m, "setInterval") == 0) && na > 0 &&
               !is(ts_node_named_child(args, 0), "function_expression") &&
               !is(ts_node_named_child(args, 0), "function") &&
               !is(ts_node_named_child(args, 0), "arrow_function")) {
        h->kind = POC_SINK_CODE, arg = 0;
    } else if ((strcmp(m, "assign") == 0 || strcmp(m, "replace") == 0) &&
               is(fn, "member_expression") && is_location(pp, field(fn, "object"))) {
        h->kind = POC_SINK_LOCATION, arg = 0;
        snprintf(m, sizeof m, "location");
    } else if (strcmp(m, "open") == 0 && is(fn, "member_expression") &&
               text_is(pp, field(fn, "object"), "window")) {
        h->kind = POC_SINK_LOCATION, arg = 0;
        snprintf(m, sizeof m, "window.open");
    } else if (strcmp(m, "setItem") == 0 && is(fn, "member_expression") && na > 1) {
        char o[64];
        text_of(pp, field(fn, "object"), o, sizeof o);
        if (strstr(o, "localStorage") == NULL && strstr(o, "sessionStorage") == NULL)
            return 0;
        h->kind = POC_SINK_STORAGE, arg = 1;
        snprintf(m, sizeof m, "%s", strstr(o, "local") ? "localStorage" : "sessionStorage");
    } else if (strcmp(m, "postMessage") == 0 && is(fn, "member_expression")) {
        TSNode o = unparen(field(fn, "object"));
        if (!member_prop_is(pp, o, "source") ||
            !text_is(pp, unparen(field(o, "object")), pp->ev))
            return 0;
        h->kind = POC_SINK_REPLY, arg = -1;
        snprintf(m, sizeof m, "reply");
    } else {
        return 0;
    }
    if (arg >= (int)na)
        return 0;
    snprintf(h->name, sizeof h->name, "%s", m);
    h->node = n;
    if (arg >= 0)
        h->reads = ts_node_named_child(args, (uint32_t)arg);
    return 1;
}

/* The first sink in source order below n; reply sinks only when no other. */
static int
find_sink(struct pp *pp, TSNode n, struct sink_hit *best, struct sink_hit *reply)
{
    struct sink_hit h;
    if (sink_at(pp, n, &h)) {
        if (h.kind != POC_SINK_REPLY) {
            *best = h;
            return 1;
        }
        if (reply->kind == POC_SINK_NONE)
            *reply = h;
    }
    uint32_t k = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < k; i++)
        if (find_sink(pp, ts_node_named_child(n, i), best, reply))
            return 1;
    return 0;
}

/* The first data path read inside n (the sink's argument). */
static int
first_read(struct pp *pp, TSNode n, struct dpath *out)
{
    struct dpath d = data_path(pp, n);
    if (d.n >= 0) {
        *out = d;
        return 1;
    }
    uint32_t k = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < k; i++)
        if (first_read(pp, ts_node_named_child(n, i), out))
            return 1;
    return 0;
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
            struct dpath d = data_path(pp, field(sw, "value"));
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
    if (!find_sink(pp, pp->fn, &hit, &reply))
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
        if (ts_node_is_null(hit.reads) || !first_read(pp, hit.reads, &d)) {
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
