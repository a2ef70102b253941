/*
 * poc_sinks.c - below poc_payload.c: the message paths an expression of
 * the handler reads (EV.data, its aliases, their members, JSON.parse of
 * them), string literals, and the sink a proof of concept aims at
 * (poc_payload.h lists the kinds): the first one in source order, a reply
 * to event.source only when there is no other.
 */
#include <stdio.h>
#include <string.h>

#include "poc_payload_int.h"

/* The value of a string literal (escapes other than \' \" \\ kept as
 * written), or -1 when n is not a plain string. */
int
poc_string_value(const struct pp *pp, TSNode n, char *out, size_t outsz)
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

/* The data path n reads, or n = -1. */
struct dpath
poc_data_path(struct pp *pp, TSNode n)
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
            return poc_data_path(pp, field(n, "left"));
        return d;
    }
    if (is(n, "call_expression")) {
        TSNode fn = field(n, "function"), args = field(n, "arguments");
        if (text_is(pp, fn, "JSON.parse") && ts_node_named_child_count(args) > 0) {
            struct dpath in = poc_data_path(pp, ts_node_named_child(args, 0));
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
        if (poc_string_value(pp, unparen(field(n, "index")), prop, sizeof prop) != 0)
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
    d = poc_data_path(pp, obj);
    if (d.n < 0 || d.n >= PATH_MAX_DEPTH)
        return (struct dpath){.n = -1};
    snprintf(d.key[d.n++], sizeof d.key[0], "%s", prop);
    return d;
}

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
int
poc_find_sink(struct pp *pp, TSNode n, struct sink_hit *best, struct sink_hit *reply)
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
        if (poc_find_sink(pp, ts_node_named_child(n, i), best, reply))
            return 1;
    return 0;
}

/* The first data path read inside n (the sink's argument). */
int
poc_first_read(struct pp *pp, TSNode n, struct dpath *out)
{
    struct dpath d = poc_data_path(pp, n);
    if (d.n >= 0) {
        *out = d;
        return 1;
    }
    uint32_t k = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < k; i++)
        if (poc_first_read(pp, ts_node_named_child(n, i), out))
            return 1;
    return 0;
}
