/*
 * origin.c - the origin of a URL, serialized as the WHATWG URL standard's
 * "ASCII serialization of an origin".
 *
 * This is a focused parser, not a general URL library: pmscope only needs
 * the origin, and it must never fail open on hostile input.  It follows the
 * standard's steps that decide the origin: scheme case, special-scheme
 * authority (slashes and backslashes, userinfo up to the last '@'), host
 * case, IPv4 in decimal/hex/octal parts, IPv6 canonical compression,
 * default-port elision, and the opaque cases (data:, file:, javascript:,
 * unknown schemes -> "null"; blob: -> its inner URL; about:blank and
 * about:srcdoc -> the parent's origin).  A non-ASCII host goes through
 * IDNA (libidn2, UTS #46 non-transitional processing as browsers do) to
 * its xn-- form, so two hosts that look alike never print alike; a host
 * IDNA refuses, or one holding a hidden character, keeps its non-ASCII
 * characters as visible escapes (host_to_ascii).  Percent-decoding of hosts
 * is refused rather than guessed.  No Debian C library exposes just the
 * WHATWG origin algorithm.
 */
#include "origin.h"

#include <arpa/inet.h>
#include <idn2.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "utf8.h"

struct special_scheme {
    const char *name;
    int default_port;
};

static const struct special_scheme special_schemes[] = {
    {"http", 80}, {"https", 443}, {"ws", 80}, {"wss", 443}, {"ftp", 21},
};

static int
is_c0_or_space(unsigned char c)
{
    return c <= 0x20;
}

static int
is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static char
lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Copy url without leading/trailing C0+space and without tab/CR/LF. */
static size_t
origin_clean(const char *url, char *out, size_t outsz)
{
    size_t n = strlen(url), b = 0, o = 0;
    while (b < n && is_c0_or_space((unsigned char)url[b]))
        b++;
    while (n > b && is_c0_or_space((unsigned char)url[n - 1]))
        n--;
    for (size_t i = b; i < n && o + 1 < outsz; i++) {
        if (url[i] == '\t' || url[i] == '\n' || url[i] == '\r')
            continue;
        out[o++] = url[i];
    }
    out[o] = '\0';
    return o;
}

/* Parse one IPv4 part (decimal, 0x hex, 0 octal); -1 when not a number. */
static int64_t
ipv4_part(const char *s, size_t n)
{
    int base = 10;
    if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        n -= 2;
    } else if (n >= 2 && s[0] == '0') {
        base = 8;
        s++;
        n--;
    }
    if (n == 0)
        return 0;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        int d;
        /* s points into the cleaned URL, which origin_clean fills in place
         * (the analyzer loses track of the overlapping copy)
         * NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage) */
        char c = lower(s[i]);
        if (is_digit(c))
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else
            return -1;
        if (d >= base)
            return -1;
        v = v * base + d;
        if (v > 0xffffffffLL)
            return -2; /* too large, but numeric */
    }
    return v;
}

/*
 * If host ends in a numeric label it must be an IPv4 address (WHATWG
 * "ends in a number"); returns 1 and writes dotted-quad, 0 when the host is
 * a domain, -1 for an invalid IPv4.
 */
static int
ipv4_parse(const char *host, char *out, size_t outsz)
{
    const char *parts[5];
    size_t lens[5];
    int np = 0;
    const char *p = host;
    for (;;) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        if (np == 5)
            return -1;
        parts[np] = p;
        lens[np] = len;
        np++;
        if (!dot)
            break;
        p = dot + 1;
    }
    if (np > 1 && lens[np - 1] == 0)
        np--; /* one trailing dot is allowed */
    int64_t last = ipv4_part(parts[np - 1], lens[np - 1]);
    if (last == -1 || lens[np - 1] == 0)
        return 0; /* last label is not a number: a domain */
    if (np > 4)
        return -1;
    uint64_t v = 0;
    for (int i = 0; i < np; i++) {
        int64_t x = ipv4_part(parts[i], lens[i]);
        if (x < 0 || lens[i] == 0)
            return -1;
        if (i < np - 1) {
            if (x > 255)
                return -1;
            v |= (uint64_t)x << (8 * (3 - i));
        } else {
            if ((uint64_t)x >= ((uint64_t)1 << (8 * (5 - np))))
                return -1;
            v |= (uint64_t)x;
        }
    }
    snprintf(out, outsz, "%u.%u.%u.%u", (unsigned)(v >> 24) & 255,
             (unsigned)(v >> 16) & 255, (unsigned)(v >> 8) & 255,
             (unsigned)v & 255);
    return 1;
}

/* Canonical IPv6 text per WHATWG: lower hex, longest zero run (>1) as "::". */
static int
ipv6_serialize(const char *in, char *out, size_t outsz)
{
    unsigned char a[16];
    if (inet_pton(AF_INET6, in, a) != 1)
        return -1;
    uint16_t w[8];
    for (int i = 0; i < 8; i++)
        w[i] = (uint16_t)(a[2 * i] << 8 | a[2 * i + 1]);
    int best = -1, bestlen = 1;
    for (int i = 0; i < 8;) {
        if (w[i] != 0) {
            i++;
            continue;
        }
        int j = i;
        while (j < 8 && w[j] == 0)
            j++;
        if (j - i > bestlen) {
            best = i;
            bestlen = j - i;
        }
        i = j;
    }
    size_t o = 0;
    o += (size_t)snprintf(out + o, outsz - o, "[");
    for (int i = 0; i < 8 && o < outsz; i++) {
        if (i == best) {
            o += (size_t)snprintf(out + o, outsz - o, i == 0 ? "::" : ":");
            i += bestlen - 1;
            continue;
        }
        o += (size_t)snprintf(out + o, outsz - o, "%x%s", w[i],
                              i < 7 ? ":" : "");
    }
    if (o < outsz)
        snprintf(out + o, outsz - o, "]");
    return 0;
}

/* 1 for the code points the WHATWG URL standard forbids in a domain. */
static int
host_forbidden(unsigned char c)
{
    return c <= 0x20 || c == 0x7f || strchr("#%/:<>?@[\\]^|", c) != NULL;
}

/*
 * Make a host that holds non-ASCII bytes ASCII, in place.  A valid
 * internationalized host becomes its IDNA form (b\u0430nk.example ->
 * xn--bnk-6cd.example), so a host with a Cyrillic "a" can never print like
 * its Latin twin.  A host IDNA refuses, or one holding a hidden character
 * (zero-width space or joiner, tag characters, bidi controls: utf8.h),
 * does not look like a valid host: every non-ASCII character is written as
 * a visible escape (bank\u200b.example, \U000e0041, \xff for an invalid
 * byte).  "\" ends the authority of a special URL, so no parsed host
 * contains one and an escaped host never equals a real one.  Returns 0,
 * -1 when the result does not fit in hostsz, -2 when IDNA maps the host to
 * a forbidden character (a fullwidth solidus becomes "/").
 */
static int
host_to_ascii(char *host, size_t hostsz)
{
    const unsigned char *s = (const unsigned char *)host;
    size_t n = strlen(host);
    int hidden = 0;
    for (size_t i = 0; i < n && !hidden;) {
        unsigned cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        hidden = k == 0 || unicode_is_hidden(cp);
        i += k;
    }
    char *ascii = NULL;
    if (!hidden && idn2_to_ascii_8z(host, &ascii, IDN2_NONTRANSITIONAL |
                                                      IDN2_NFC_INPUT) ==
                       IDN2_OK) {
        size_t len = strlen(ascii);
        int rc = len < hostsz ? 0 : -1;
        for (size_t i = 0; rc == 0 && i < len; i++)
            if (host_forbidden((unsigned char)ascii[i]))
                rc = -2;
        if (rc == 0)
            memcpy(host, ascii, len + 1);
        idn2_free(ascii);
        return rc;
    }
    struct pm_buf b;
    pm_buf_init(&b);
    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        if (k == 0)
            pm_buf_addf(&b, "\\x%02x", s[i]);
        else if (cp < 0x80)
            pm_buf_addc(&b, (char)cp);
        else
            pm_buf_addf(&b, cp > 0xFFFF ? "\\U%08x" : "\\u%04x", cp);
        i += k ? k : 1;
    }
    int rc = b.len < hostsz ? 0 : -1;
    if (rc == 0)
        memcpy(host, b.data, b.len + 1);
    pm_buf_release(&b);
    return rc;
}

static enum pm_rc
origin_special(const char *scheme, int default_port, const char *rest,
               const char *url, char out[PM_ORIGIN_MAX], struct pm_err *err)
{
    while (*rest == '/' || *rest == '\\')
        rest++;
    size_t alen = strcspn(rest, "/\\?#");
    char auth[PM_ORIGIN_MAX];
    if (alen >= sizeof auth)
        return pm_err_set(err, PM_ERR_PARSE, "host too long in URL '%.80s'",
                          url);
    memcpy(auth, rest, alen);
    auth[alen] = '\0';
    char *hostport = strrchr(auth, '@');
    hostport = hostport ? hostport + 1 : auth;

    char host[256];
    const char *portstr = NULL;
    if (hostport[0] == '[') {
        char *close = strchr(hostport, ']');
        if (close == NULL)
            return pm_err_set(err, PM_ERR_PARSE,
                              "unterminated IPv6 address in URL '%.80s'", url);
        *close = '\0';
        if (strlen(hostport + 1) > 45 ||
            ipv6_serialize(hostport + 1, host, sizeof host) != 0)
            return pm_err_set(err, PM_ERR_PARSE,
                              "invalid IPv6 address in URL '%.80s'", url);
        if (close[1] == ':')
            portstr = close + 2;
        else if (close[1] != '\0')
            return pm_err_set(err, PM_ERR_PARSE,
                              "unexpected text after IPv6 address in URL "
                              "'%.80s'",
                              url);
    } else {
        char *colon = strchr(hostport, ':');
        if (colon) {
            *colon = '\0';
            portstr = colon + 1;
        }
        size_t hl = strlen(hostport);
        if (hl >= sizeof host)
            return pm_err_set(err, PM_ERR_PARSE, "host too long in URL '%.80s'",
                              url);
        if (hl == 0)
            return pm_err_set(err, PM_ERR_PARSE, "missing host in URL '%.80s'",
                              url);
        int non_ascii = 0;
        for (size_t i = 0; i < hl; i++) {
            unsigned char c = (unsigned char)hostport[i];
            if (host_forbidden(c))
                return pm_err_set(err, PM_ERR_PARSE,
                                  "forbidden character in host of URL '%.80s'",
                                  url);
            host[i] = lower((char)c);
            non_ascii |= c >= 0x80;
        }
        host[hl] = '\0';
        int r = non_ascii ? host_to_ascii(host, sizeof host) : 0;
        if (r == -1)
            return pm_err_set(err, PM_ERR_PARSE, "host too long in URL '%.80s'",
                              url);
        if (r == -2)
            return pm_err_set(err, PM_ERR_PARSE,
                              "forbidden character in host of URL '%.80s'",
                              url);
        char v4[32];
        r = ipv4_parse(host, v4, sizeof v4);
        if (r < 0)
            return pm_err_set(err, PM_ERR_PARSE,
                              "invalid IPv4 address in URL '%.80s'", url);
        if (r > 0)
            snprintf(host, sizeof host, "%s", v4);
    }

    long port = -1;
    if (portstr && *portstr) {
        port = 0;
        for (const char *p = portstr; *p; p++) {
            if (!is_digit(*p))
                return pm_err_set(err, PM_ERR_PARSE,
                                  "invalid port in URL '%.80s'", url);
            port = port * 10 + (*p - '0');
            if (port > 65535)
                return pm_err_set(err, PM_ERR_PARSE,
                                  "port out of range in URL '%.80s'", url);
        }
    }
    if (port < 0 || port == default_port)
        snprintf(out, PM_ORIGIN_MAX, "%s://%s", scheme, host);
    else
        snprintf(out, PM_ORIGIN_MAX, "%s://%s:%ld", scheme, host, port);
    return PM_OK;
}

static enum pm_rc
origin_parse(const char *url, const char *parent_origin, int depth,
             char out[PM_ORIGIN_MAX], struct pm_err *err)
{
    char clean[4096];
    out[0] = '\0';
    if (url == NULL)
        return pm_err_set(err, PM_ERR_PARSE, "missing URL");
    if (strlen(url) >= sizeof clean) {
        /* Only the scheme and authority matter; cut the rest. */
        size_t keep = strcspn(url, "?#");
        if (keep >= sizeof clean)
            keep = sizeof clean - 1;
        memcpy(clean, url, keep);
        clean[keep] = '\0';
        origin_clean(clean, clean, sizeof clean);
    } else {
        origin_clean(url, clean, sizeof clean);
    }
    if (!is_alpha((unsigned char)clean[0]))
        return pm_err_set(err, PM_ERR_PARSE,
                          "expected an absolute URL with a scheme, got "
                          "'%.80s'",
                          url);
    size_t sl = 1;
    while (is_alpha((unsigned char)clean[sl]) || is_digit(clean[sl]) ||
           clean[sl] == '+' || clean[sl] == '-' || clean[sl] == '.')
        sl++;
    if (clean[sl] != ':' || sl > 31)
        return pm_err_set(err, PM_ERR_PARSE,
                          "expected an absolute URL with a scheme, got "
                          "'%.80s'",
                          url);
    char scheme[32];
    for (size_t i = 0; i < sl; i++)
        scheme[i] = lower(clean[i]);
    scheme[sl] = '\0';
    const char *rest = clean + sl + 1;

    for (size_t i = 0; i < sizeof special_schemes / sizeof special_schemes[0];
         i++)
        if (strcmp(scheme, special_schemes[i].name) == 0)
            return origin_special(scheme, special_schemes[i].default_port,
                                  rest, url, out, err);

    if (strcmp(scheme, "blob") == 0) {
        if (depth > 0) {
            snprintf(out, PM_ORIGIN_MAX, "null");
            return PM_OK;
        }
        struct pm_err inner = PM_ERR_INIT;
        if (origin_parse(rest, NULL, depth + 1, out, &inner) != PM_OK ||
            (strncmp(out, "http://", 7) != 0 &&
             strncmp(out, "https://", 8) != 0))
            snprintf(out, PM_ORIGIN_MAX, "null");
        return PM_OK;
    }
    if (strcmp(scheme, "about") == 0) {
        size_t pl = strcspn(rest, "?#");
        if ((pl == 5 && strncmp(rest, "blank", 5) == 0) ||
            (pl == 6 && strncmp(rest, "srcdoc", 6) == 0)) {
            snprintf(out, PM_ORIGIN_MAX, "%s",
                     parent_origin && parent_origin[0] ? parent_origin
                                                       : "null");
            return PM_OK;
        }
    }
    /* data:, file:, javascript:, about:other and unknown schemes. */
    snprintf(out, PM_ORIGIN_MAX, "null");
    return PM_OK;
}

enum pm_rc
origin_from_url(const char *url, const char *parent_origin,
                char out[PM_ORIGIN_MAX], struct pm_err *err)
{
    enum pm_rc rc = origin_parse(url, parent_origin, 0, out, err);
    if (rc != PM_OK)
        out[0] = '\0';
    return rc;
}

/* The host part of a serialized tuple origin, or NULL for "null". */
static const char *
origin_host(const char *o, size_t *len)
{
    const char *h = strstr(o, "://");
    if (h == NULL)
        return NULL;
    h += 3;
    size_t n = h[0] == '[' ? strcspn(h, "]") + 1 : strcspn(h, ":");
    *len = n;
    return h;
}

/* Offset of the last two labels of a domain host (approximate eTLD+1). */
static size_t
site_offset(const char *h, size_t n)
{
    if (h[0] == '[' || (n > 0 && is_digit(h[n - 1])))
        return 0; /* IP address: the whole host is the site */
    int dots = 0;
    for (size_t i = n; i > 0; i--) {
        if (h[i - 1] == '.' && ++dots == 2)
            return i;
    }
    return 0;
}

int
origin_same_site(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return 0;
    size_t al, bl;
    const char *ha = origin_host(a, &al), *hb = origin_host(b, &bl);
    if (ha == NULL || hb == NULL)
        return 0;
    if ((size_t)(ha - a) != (size_t)(hb - b) ||
        strncmp(a, b, (size_t)(ha - a)) != 0)
        return 0; /* different scheme */
    size_t sa = site_offset(ha, al), sb = site_offset(hb, bl);
    return al - sa == bl - sb && strncmp(ha + sa, hb + sb, al - sa) == 0;
}
