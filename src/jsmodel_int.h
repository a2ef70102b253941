/*
 * jsmodel_int.h - what jsmodel.c (the tree, the binding index, following
 * values) shares with jsmodel_reg.c (finding registrations): the model,
 * null-safe node helpers and the lookups.  Not used outside the two.
 */
#ifndef PM_JSMODEL_INT_H
#define PM_JSMODEL_INT_H

#include <stdint.h>
#include <string.h>
#include <tree_sitter/api.h>

#include "jsmodel.h"

#define RESOLVE_DEPTH 10
#define READS_SCAN_MAX 20000 /* nodes searched for the event parameter */

enum bind_kind { BIND_NAME, BIND_PROP };

struct binding {
    uint32_t hash;
    uint32_t name_off, name_len;
    uint32_t scope_start, scope_end; /* BIND_NAME: where the name is visible */
    uint8_t kind;
    uint8_t assigned;                /* BIND_NAME by a plain `name = value` */
    TSNode value;                    /* what is bound; null node = unknown */
};

struct jsm {
    const char *src;
    size_t n;
    TSParser *parser;
    TSTree *tree;
    struct binding *b;
    size_t nb, capb;
};

/* ---- small node helpers ----------------------------------------------- */

static inline int
is(TSNode n, const char *type)
{
    return !ts_node_is_null(n) && strcmp(ts_node_type(n), type) == 0;
}

static inline int
is_function(TSNode n)
{
    return is(n, "function_expression") || is(n, "function") ||
           is(n, "arrow_function") || is(n, "function_declaration") ||
           is(n, "generator_function") || is(n, "generator_function_declaration") ||
           is(n, "method_definition");
}

static inline int
text_eq(const struct jsm *m, TSNode n, const char *s)
{
    if (ts_node_is_null(n))
        return 0;
    uint32_t a = ts_node_start_byte(n), e = ts_node_end_byte(n);
    size_t l = strlen(s);
    return e - a == l && memcmp(m->src + a, s, l) == 0;
}

static inline int
same_text(const struct jsm *m, TSNode x, TSNode y)
{
    if (ts_node_is_null(x) || ts_node_is_null(y))
        return 0;
    uint32_t a = ts_node_start_byte(x), e = ts_node_end_byte(x);
    uint32_t c = ts_node_start_byte(y), d = ts_node_end_byte(y);
    return e - a == d - c && memcmp(m->src + a, m->src + c, e - a) == 0;
}

/* The string literal's contents (no escapes decoded) into out; 0 when n is no plain string. */
static inline int
string_value(const struct jsm *m, TSNode n, char *out, size_t outsz)
{
    if (!is(n, "string"))
        return -1;
    uint32_t a = ts_node_start_byte(n) + 1, e = ts_node_end_byte(n) - 1;
    if (e < a || e - a + 1 > outsz)
        return -1;
    memcpy(out, m->src + a, e - a);
    out[e - a] = '\0';
    return 0;
}

static inline TSNode
null_node(void)
{
    TSNode z;
    memset(&z, 0, sizeof z);
    return z;
}

/* The tree-sitter calls below, safe on a null node (they are not). */
static inline TSNode
field(TSNode n, const char *name)
{
    if (ts_node_is_null(n))
        return n;
    return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name));
}

static inline uint32_t
nkids(TSNode n)
{
    return ts_node_is_null(n) ? 0 : ts_node_named_child_count(n);
}

static inline TSNode
kid(TSNode n, uint32_t i)
{
    return i < nkids(n) ? ts_node_named_child(n, i) : null_node();
}

static inline TSNode
parent(TSNode n)
{
    return ts_node_is_null(n) ? n : ts_node_parent(n);
}

static inline uint32_t
name_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

/* The nearest enclosing function, class body or program (or block, when asked). */
TSNode jsm_enclosing(TSNode n, int want_block);
/* The value bound to the name of identifier ref in its scope (see jsmodel.c). */
TSNode jsm_lookup_name(const struct jsm *m, TSNode ref);
/* The value of the first property called s[0, len) inside bytes [a, e). */
TSNode jsm_lookup_prop(const struct jsm *m, const char *s, size_t len, uint32_t a,
                       uint32_t e);
/* The function expression n evaluates to, or a null node (depth: recursion so far). */
TSNode jsm_resolve_fn(const struct jsm *m, TSNode n, int depth);

#endif
