/*
 * origin_cache.c - the origin text -> id map of store_intern_origin (see
 * origin_cache.h): open addressing on an FNV-1a hash of the text.
 */
#include "origin_cache.h"

#include <stdlib.h>
#include <string.h>

#include "mem.h"

void
origin_cache_clear(struct origin_cache *c)
{
    for (size_t i = 0; i < c->cap; i++)
        free(c->v[i].text);
    free(c->v);
    memset(c, 0, sizeof *c);
}

static size_t
origin_cache_slot(const struct origin_cache *c, const char *text)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *p = text; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    size_t i = (size_t)h & (c->cap - 1);
    while (c->v[i].text && strcmp(c->v[i].text, text) != 0)
        i = (i + 1) & (c->cap - 1);
    return i;
}

int64_t
origin_cache_get(const struct origin_cache *c, const char *text)
{
    if (c->cap == 0)
        return 0;
    const struct origin_slot *e = &c->v[origin_cache_slot(c, text)];
    return e->text ? e->id : 0;
}

void
origin_cache_put(struct origin_cache *c, const char *text, int64_t id)
{
    if (c->n >= ORIGIN_CACHE_MAX)
        origin_cache_clear(c);
    if ((c->n + 1) * 2 > c->cap) {
        struct origin_cache old = *c;
        c->cap = old.cap ? old.cap * 2 : 256;
        c->v = xcalloc(c->cap, sizeof *c->v);
        for (size_t i = 0; i < old.cap; i++)
            if (old.v[i].text)
                c->v[origin_cache_slot(c, old.v[i].text)] = old.v[i];
        free(old.v);
    }
    struct origin_slot *e = &c->v[origin_cache_slot(c, text)];
    if (e->text == NULL) {
        e->text = xstrdup(text);
        c->n++;
    }
    e->id = id;
}
