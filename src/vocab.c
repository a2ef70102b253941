/*
 * vocab.c - the names of origin-check classes and sinks (see vocab.h).
 */
#include "vocab.h"

#include <string.h>
#include <strings.h>

static const char *const check_names[PM_CHECK__COUNT] = {
    [PM_CHECK_NONE] = "none",
    [PM_CHECK_STRICT] = "strict",
    [PM_CHECK_INDEXOF] = "indexOf",
    [PM_CHECK_INCLUDES] = "includes",
    [PM_CHECK_REGEX] = "regex-unanchored",
    [PM_CHECK_STARTSWITH] = "startsWith",
    [PM_CHECK_ENDSWITH] = "endsWith",
    [PM_CHECK_SEARCH] = "search",
    [PM_CHECK_MATCH] = "match",
    [PM_CHECK_SOURCE] = "source",
    [PM_CHECK_UNKNOWN] = "unknown",
};

const char *
check_kind_name(enum pm_check_kind k)
{
    return (unsigned)k < PM_CHECK__COUNT ? check_names[k] : "unknown";
}

int
check_kind_parse(const char *name)
{
    for (int i = 0; i < PM_CHECK__COUNT; i++)
        if (strcasecmp(check_names[i], name) == 0)
            return i;
    if (strcasecmp(name, "regex") == 0)
        return PM_CHECK_REGEX;
    return -1;
}

int
check_kind_is_weak(enum pm_check_kind k)
{
    return k != PM_CHECK_STRICT && k != PM_CHECK_UNKNOWN;
}

static const char *const sink_names[PM_SINK_COUNT] = {
    "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
    "eval", "Function", "setTimeout", "setInterval", "location",
    "window.open", "src", "href", "jQuery.html", "jQuery()",
    "localStorage", "sessionStorage", "cookie", "fetch", "XMLHttpRequest",
    "postMessage",
};

const char *
sink_name(unsigned bit)
{
    for (int i = 0; i < PM_SINK_COUNT; i++)
        if (bit == 1u << i)
            return sink_names[i];
    return NULL;
}

void
sinks_format(unsigned sinks, char *out, size_t outsz)
{
    size_t o = 0;
    if (outsz == 0)
        return;
    out[0] = '\0';
    for (int i = 0; i < PM_SINK_COUNT; i++) {
        if (!(sinks & (1u << i)))
            continue;
        size_t l = strlen(sink_names[i]);
        if (o + l + 2 > outsz)
            break;
        if (o)
            out[o++] = ',';
        memcpy(out + o, sink_names[i], l);
        o += l;
        out[o] = '\0';
    }
}

unsigned
sinks_parse(const char *list)
{
    unsigned bits = 0;
    const char *p = list;
    while (p && *p) {
        const char *e = strchr(p, ',');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        while (l && *p == ' ') {
            p++;
            l--;
        }
        for (int i = 0; i < PM_SINK_COUNT; i++)
            if (strlen(sink_names[i]) == l && strncasecmp(sink_names[i], p, l) == 0)
                bits |= 1u << i;
        p = e ? e + 1 : NULL;
    }
    return bits;
}
