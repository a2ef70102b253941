/*
 * har_util.c - small helpers of the HAR importer: a string-keyed map, URL
 * reference resolution for literals found in bodies, and ISO 8601 time
 * stamps.  Declarations in har_util.h.
 */
#include "har_util.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mem.h"
#include "sha256.h"

/* ---- string map (open addressing, keys owned) -------------------------- */

/*
 * The form a key is kept in: itself, or, when longer than
 * HAR_MAP_KEY_MAX (a URL can be as long as an entry) or starting with the
 * marker byte 0x01, the marker and its SHA-256 in hex.  The maps hold
 * every document URL of a HAR, so a long one would otherwise be copied
 * once per map for the whole import.
 */
static const char *
map_key(const char *key, char buf[PM_SHA256_HEX + 1])
{
    if (key[0] != '\x01' && strnlen(key, HAR_MAP_KEY_MAX + 1) <= HAR_MAP_KEY_MAX)
        return key;
    buf[0] = '\x01';
    sha256_hex(key, strlen(key), buf + 1);
    return buf;
}

static uint64_t
str_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* Put a key already in its kept form, taking ownership of it. */
static void
map_insert(struct har_map *m, char *key, long val)
{
    size_t i = str_hash(key) & (m->cap - 1);
    while (m->keys[i])
        i = (i + 1) & (m->cap - 1);
    m->keys[i] = key;
    m->vals[i] = val;
    m->n++;
}

static void
har_map_grow(struct har_map *m)
{
    struct har_map old = *m;
    m->cap = old.cap ? old.cap * 2 : 64;
    m->keys = xcalloc(m->cap, sizeof *m->keys);
    m->vals = xcalloc(m->cap, sizeof *m->vals);
    m->n = 0;
    for (size_t i = 0; i < old.cap; i++)
        if (old.keys[i])
            map_insert(m, old.keys[i], old.vals[i]);
    free(old.keys);
    free(old.vals);
}

/* Value for key, or -1. */
long
har_map_get(const struct har_map *m, const char *key)
{
    if (m->cap == 0 || key == NULL)
        return -1;
    char buf[PM_SHA256_HEX + 1];
    key = map_key(key, buf);
    size_t i = str_hash(key) & (m->cap - 1);
    while (m->keys[i]) {
        if (strcmp(m->keys[i], key) == 0)
            return m->vals[i];
        i = (i + 1) & (m->cap - 1);
    }
    return -1;
}

void
har_map_put(struct har_map *m, const char *key, long val)
{
    if (key == NULL)
        return;
    if ((m->n + 1) * 2 > m->cap)
        har_map_grow(m);
    char buf[PM_SHA256_HEX + 1];
    key = map_key(key, buf);
    size_t i = str_hash(key) & (m->cap - 1);
    while (m->keys[i]) {
        if (strcmp(m->keys[i], key) == 0) {
            m->vals[i] = val;
            return;
        }
        i = (i + 1) & (m->cap - 1);
    }
    map_insert(m, xstrdup(key), val);
}

void
har_map_free(struct har_map *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->vals);
}

/* ---- URLs and times ---------------------------------------------------- */

/* Length of a URL scheme at the start of s ("https" for "https://"), 0 if none. */
static size_t
scheme_len(const char *s)
{
    if (!isalpha((unsigned char)s[0]))
        return 0;
    size_t i = 1;
    while (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' ||
           s[i] == '.')
        i++;
    return s[i] == ':' ? i : 0;
}

/* Remove "." and ".." segments from the path that starts at path. */
static void
remove_dot_segments(char *path)
{
    char *q = path + strcspn(path, "?");
    size_t qlen = strlen(q);
    char *out = xmalloc(strlen(path) + 2);
    size_t o = 0;
    const char *p = path;
    while (p < q) {
        const char *seg = p + 1; /* p points at '/' */
        const char *next = memchr(seg, '/', (size_t)(q - seg));
        if (next == NULL)
            next = q;
        size_t n = (size_t)(next - seg);
        if (n == 1 && seg[0] == '.') {
            if (next == q)
                out[o++] = '/';
        } else if (n == 2 && seg[0] == '.' && seg[1] == '.') {
            while (o > 0 && out[--o] != '/')
                ;
            if (next == q)
                out[o++] = '/';
        } else {
            out[o++] = '/';
            memcpy(out + o, seg, n);
            o += n;
        }
        p = next;
    }
    if (o == 0)
        out[o++] = '/';
    memmove(path + o, q, qlen + 1);
    memcpy(path, out, o);
    free(out);
}

char *
har_url_resolve(const char *base, const char *ref)
{
    while (*ref == ' ' || *ref == '\t' || *ref == '\n' || *ref == '\r')
        ref++;
    size_t rn = strcspn(ref, "#");
    while (rn > 0 && isspace((unsigned char)ref[rn - 1]))
        rn--;
    if (rn == 0 || base == NULL)
        return NULL;
    size_t sl = scheme_len(ref);
    if (sl) {
        if (strncasecmp(ref, "http:", 5) != 0 &&
            strncasecmp(ref, "https:", 6) != 0)
            return NULL; /* javascript:, data:, about:, blob:, mailto: ... */
        char *abs = xstrndup(ref, rn);
        for (size_t i = 0; i < sl; i++)
            abs[i] = (char)tolower((unsigned char)abs[i]);
        char *host = strstr(abs, "://");
        if (host) {
            host += 3;
            char *he = host + strcspn(host, "/?");
            for (char *c = host; c < he; c++)
                *c = (char)tolower((unsigned char)*c);
            size_t path_off = (size_t)(he - abs);
            if (*he == '\0' || *he == '?') {
                /* an empty path serializes as "/" */
                size_t len = strlen(abs);
                abs = xrealloc(abs, len + 2);
                memmove(abs + path_off + 1, abs + path_off, len - path_off + 1);
                abs[path_off] = '/';
            }
            remove_dot_segments(abs + path_off);
        }
        return abs;
    }
    size_t bsl = scheme_len(base);
    if (bsl == 0 || strncmp(base + bsl, "://", 3) != 0)
        return NULL;
    const char *auth = base + bsl + 3;
    const char *path = auth + strcspn(auth, "/?#");
    const char *query = path + strcspn(path, "?#");
    size_t bn = strcspn(base, "#");
    char *out;
    if (ref[0] == '/' && ref[1] == '/') {
        /* scheme-relative: take the base's scheme, then normalize */
        out = xmalloc(bsl + 1 + rn + 1);
        memcpy(out, base, bsl + 1);
        memcpy(out + bsl + 1, ref, rn);
        out[bsl + 1 + rn] = '\0';
        char *abs = har_url_resolve(base, out);
        free(out);
        return abs;
    }
    size_t keep;
    const char *sep = "";
    if (ref[0] == '/') {
        keep = (size_t)(path - base);
    } else if (ref[0] == '?') {
        keep = (size_t)(query - base);
        if (path == query)
            sep = "/";
    } else {
        const char *slash = NULL;
        for (const char *c = path; c < query; c++)
            if (*c == '/')
                slash = c;
        if (slash) {
            keep = (size_t)(slash + 1 - base);
        } else {
            keep = (size_t)(path - base);
            sep = "/";
        }
    }
    if (keep > bn)
        keep = bn;
    size_t sn = strlen(sep);
    out = xmalloc(keep + sn + rn + 1);
    memcpy(out, base, keep);
    memcpy(out + keep, sep, sn);
    memcpy(out + keep + sn, ref, rn);
    out[keep + sn + rn] = '\0';
    char *abs = har_url_resolve(base, out);
    free(out);
    return abs;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant). */
static long
days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int
digits(const char *s, int n, long *out)
{
    long v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

double
har_time_ms(const char *s)
{
    long y, mo, d, h, mi, se;
    if (s == NULL || strlen(s) < 19 || digits(s, 4, &y) || s[4] != '-' ||
        digits(s + 5, 2, &mo) || s[7] != '-' || digits(s + 8, 2, &d) ||
        (s[10] != 'T' && s[10] != ' ') || digits(s + 11, 2, &h) ||
        s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' ||
        digits(s + 17, 2, &se))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return -1;
    const char *p = s + 19;
    double frac = 0, scale = 100;
    if (*p == '.') {
        for (p++; isdigit((unsigned char)*p); p++) {
            frac += (*p - '0') * scale;
            scale /= 10;
        }
    }
    long tz = 0;
    if (*p == '+' || *p == '-') {
        long th, tm = 0;
        if (digits(p + 1, 2, &th))
            return -1;
        const char *q = p + 3;
        if (*q == ':')
            q++;
        if (*q && digits(q, 2, &tm))
            return -1;
        tz = (th * 60 + tm) * 60 * (*p == '-' ? -1 : 1);
    } else if (*p != 'Z' && *p != 'z' && *p != '\0') {
        return -1;
    }
    double secs = (double)days_from_civil(y, mo, d) * 86400.0 +
                  (double)(h * 3600 + mi * 60 + se) - (double)tz;
    return secs * 1000.0 + frac;
}
