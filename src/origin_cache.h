/*
 * origin_cache.h - origin text -> id map that store_intern_origin keeps
 * for one transaction (see store.c: cleared on begin, commit, rollback).
 * Bounded: past ORIGIN_CACHE_MAX texts it starts over.
 */
#ifndef PM_ORIGIN_CACHE_H
#define PM_ORIGIN_CACHE_H

#include <stddef.h>
#include <stdint.h>

/* Most origins remembered by one transaction (past it, the map starts over). */
#define ORIGIN_CACHE_MAX 65536

struct origin_slot {
    char *text; /* NULL = empty */
    int64_t id;
};

/*
 * Origin text -> id, for the rows store_intern_origin found or inserted in
 * the current transaction.  Origins are never deleted, but a rolled-back
 * insert's id vanishes, so the map lives only as long as the transaction.
 */
struct origin_cache {
    struct origin_slot *v;
    size_t cap, n;
};

/* Forget every entry (and free them); c is empty and reusable. */
void origin_cache_clear(struct origin_cache *c);
/* The id remembered for text, 0 when none. */
int64_t origin_cache_get(const struct origin_cache *c, const char *text);
/* Remember text (copied) -> id. */
void origin_cache_put(struct origin_cache *c, const char *text, int64_t id);

#endif
