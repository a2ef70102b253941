/*
 * poc_payload_int.h - what poc_payload.c (paths, guards, the payload) and
 * poc_sinks.c (finding the sink in the handler) share: the parse state
 * and the small tree-sitter helpers.  Not a public API.
 */
#ifndef PM_POC_PAYLOAD_INT_H
#define PM_POC_PAYLOAD_INT_H

#include <string.h>

#include <tree_sitter/api.h>

#include "buf.h"
#include "poc_payload.h"

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

static inline int
is(TSNode n, const char *type)
{
    return !ts_node_is_null(n) && strcmp(ts_node_type(n), type) == 0;
}

/* The node's text into out (cut to outsz - 1). */
static inline void
text_of(const struct pp *pp, TSNode n, char *out, size_t outsz)
{
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    size_t len = e - s;
    if (len >= outsz)
        len = outsz - 1;
    memcpy(out, pp->src + s, len);
    out[len] = '\0';
}

static inline int
text_is(const struct pp *pp, TSNode n, const char *want)
{
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    return strlen(want) == e - s && memcmp(pp->src + s, want, e - s) == 0;
}

static inline TSNode
field(TSNode n, const char *name)
{
    return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name));
}

static inline TSNode
unparen(TSNode n)
{
    while (is(n, "parenthesized_expression") && ts_node_named_child_count(n) > 0)
        n = ts_node_named_child(n, 0);
    return n;
}

struct sink_hit {
    enum poc_sink_kind kind;
    char name[32];
    TSNode node;     /* the sink expression */
    TSNode reads;    /* what it reads (a canary goes there); null = nothing */
};

/* The value of a string literal into out (escapes other than \' \" \\
 * kept as written): 0, or -1 when n is not a plain string. */
int poc_string_value(const struct pp *pp, TSNode n, char *out, size_t outsz);

/* The data path n reads (see poc_payload.c), or one with n = -1. */
struct dpath poc_data_path(struct pp *pp, TSNode n);

/* The first sink in source order below n into *best (1); a reply to the
 * event's source only into *reply, kept when no other sink is found. */
int poc_find_sink(struct pp *pp, TSNode n, struct sink_hit *best,
                  struct sink_hit *reply);

/* The first data path read inside n (the sink's argument): 1 and *out. */
int poc_first_read(struct pp *pp, TSNode n, struct dpath *out);

#endif
