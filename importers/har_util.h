/*
 * har_util.h - helpers of the HAR importer: a string-keyed map, URL
 * resolution for literals found in bodies, ISO 8601 time stamps.
 */
#ifndef PM_HAR_UTIL_H
#define PM_HAR_UTIL_H

#include <stddef.h>

/*
 * Map from strings (copied in; one longer than HAR_MAP_KEY_MAX is kept as
 * its SHA-256) to long values; open addressing, grows by doubling.
 * Zero-initialize to start; har_map_free releases it.
 */
#define HAR_MAP_KEY_MAX 1024

struct har_map {
    char **keys;
    long *vals;
    size_t cap, n;
};

/* Value stored for key, or -1 when absent (also for key NULL). */
long har_map_get(const struct har_map *m, const char *key);
/* Set key to val (replacing an earlier value); key NULL is ignored. */
void har_map_put(struct har_map *m, const char *key, long val);
void har_map_free(struct har_map *m);

/*
 * Resolve ref against base (RFC 3986, enough for src/href literals) into a
 * malloc'd absolute http(s) URL without fragment, scheme and host in lower
 * case, dot segments removed; NULL when ref is not navigable over HTTP
 * (javascript:, data:, about:, empty) or base is not absolute.
 */
char *har_url_resolve(const char *base, const char *ref);

/* Parse an ISO 8601 date-time (HAR startedDateTime) to ms since the Unix
 * epoch; -1 when it cannot be parsed. */
double har_time_ms(const char *s);

#endif
