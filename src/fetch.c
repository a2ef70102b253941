/*
 * fetch.c - HTTP(S) with libcurl: the policy every transfer shares, and
 * `pmscope import URL` (one download into a private temporary file, then
 * the ordinary import).  The parallel fetches of `pmscope recheck` are in
 * src/fetch_many.c; both include curl/curl.h through src/fetch_int.h.
 *
 * Policy, the same for every transfer: http and https only, redirects
 * included; redirects are followed by hand, never by libcurl, so each
 * Location is checked before it is requested (fetch_redirect_next): http
 * or https only, never from https down to http, at most
 * FETCH_MAX_REDIRECTS of them; connect and total timeouts; TLS peer and
 * host verification always on; a body cap.  No request URL carries a user
 * name or password (fetch_request_url).  What the user gives for the
 * import URL's origin (--header, and the user name and password written
 * in the URL on the command line) is sent to that origin only, and only
 * until the redirect chain first leaves it: a host elsewhere that
 * redirects back does not get it.  Neither is written to the workspace.
 * libcurl's own following (CURLOPT_FOLLOWLOCATION) is not used: it sends
 * every --header other than Authorization and Cookie to whatever host a
 * redirect names, compares each hop with the first one only (so a chain
 * that comes back gets the credentials again; CURLOPT_UNRESTRICTED_AUTH
 * only widens this), and follows https to http.
 */
#include "fetch_int.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "ingest.h"
#include "mem.h"
#include "numarg.h"
#include "tmpclean.h"

static int curl_ready;

void
fetch_global_init(void)
{
    if (!curl_ready) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        curl_ready = 1;
    }
}

void
fetch_opts_init(struct fetch_opts *o)
{
    memset(o, 0, sizeof *o);
    o->connect_timeout_ms = 10 * 1000;
    o->timeout_ms = 300 * 1000;
    o->max_size = (int64_t)1 << 30;
}

void
fetch_opts_release(struct fetch_opts *o)
{
    free(o->headers);
    o->headers = NULL;
    o->nheaders = 0;
}

static enum pm_rc
fetch_parse_seconds(const char *name, const char *s, long *ms,
                    struct pm_err *err)
{
    double v;
    if (numarg_decimal(s, 0.001, 86400 * 7, &v))
        return pm_err_set(err, PM_ERR_USAGE, "bad --%s '%s': expected "
                          "seconds (e.g. 30 or 0.5)", name, s);
    *ms = (long)(v * 1000.0);
    if (*ms < 1)
        *ms = 1;
    return PM_OK;
}

enum pm_rc
fetch_opts_set(struct fetch_opts *o, int opt, const char *arg,
               struct pm_err *err)
{
    switch (opt) {
    case FETCH_OPT_MAX_SIZE:
        return fetch_parse_size(arg, &o->max_size, err);
    case FETCH_OPT_TIMEOUT:
        return fetch_parse_seconds("timeout", arg, &o->timeout_ms, err);
    case FETCH_OPT_CONNECT_TIMEOUT:
        return fetch_parse_seconds("connect-timeout", arg,
                                   &o->connect_timeout_ms, err);
    case FETCH_OPT_CACERT:
        if (access(arg, R_OK) != 0)
            return pm_err_set(err, PM_ERR_USAGE, "--cacert %s: %s", arg,
                              strerror(errno));
        o->cacert = arg;
        return PM_OK;
    case FETCH_OPT_HEADER: {
        const char *colon = strchr(arg, ':');
        if (colon == NULL || colon == arg || strpbrk(arg, "\r\n"))
            return pm_err_set(err, PM_ERR_USAGE, "bad --header '%s': "
                              "expected 'Name: value'", arg);
        o->headers = xrealloc(o->headers,
                              (o->nheaders + 1) * sizeof *o->headers);
        o->headers[o->nheaders++] = arg;
        return PM_OK;
    }
    default:
        return pm_err_set(err, PM_ERR_INTERNAL, "unknown fetch option");
    }
}

int
fetch_is_url(const char *arg)
{
    return strncasecmp(arg, "http://", 7) == 0 ||
           strncasecmp(arg, "https://", 8) == 0;
}

enum pm_rc
fetch_parse_size(const char *s, int64_t *out, struct pm_err *err)
{
    /* the number is read strictly (numarg_decimal) up to the unit */
    size_t numlen = strspn(s, "0123456789.");
    char num[64];
    double v = 0;
    const char *end = s + numlen;
    int bad = numlen == 0 || numlen >= sizeof num;
    if (!bad) {
        memcpy(num, s, numlen);
        num[numlen] = '\0';
        bad = numarg_decimal(num, 0, 9e18, &v) != 0;
    }
    int64_t mult = 1;
    switch (*end) {
    case 'k': case 'K': mult = 1 << 10; end++; break;
    case 'm': case 'M': mult = 1 << 20; end++; break;
    case 'g': case 'G': mult = 1 << 30; end++; break;
    default: break;
    }
    if (*end == 'i' || *end == 'B') /* KiB, MB, ... */
        end += *end == 'i' ? 1 : 0;
    if (*end == 'B')
        end++;
    if (bad || *end || v <= 0 || v * (double)mult > 9e18)
        return pm_err_set(err, PM_ERR_USAGE,
                          "bad size '%s': expected bytes or a number with "
                          "K, M or G", s);
    *out = (int64_t)(v * (double)mult);
    return PM_OK;
}

/* scheme, host and port of an http(s) URL; PM_ERR_USAGE otherwise. */
static enum pm_rc
fetch_url_parts(const char *url, char **scheme, char **host, char **port,
                char **path, struct pm_err *err)
{
    *scheme = *host = *port = *path = NULL;
    CURLU *u = curl_url();
    CURLUcode uc = curl_url_set(u, CURLUPART_URL, url, 0);
    if (uc != CURLUE_OK) {
        curl_url_cleanup(u);
        return pm_err_set(err, PM_ERR_USAGE, "not a valid URL: %s",
                          curl_url_strerror(uc));
    }
    curl_url_get(u, CURLUPART_SCHEME, scheme, 0);
    curl_url_get(u, CURLUPART_HOST, host, 0);
    curl_url_get(u, CURLUPART_PORT, port, 0);
    curl_url_get(u, CURLUPART_PATH, path, 0);
    curl_url_cleanup(u);
    if (*scheme == NULL ||
        (strcmp(*scheme, "http") != 0 && strcmp(*scheme, "https") != 0) ||
        *host == NULL) {
        pm_err_set(err, PM_ERR_USAGE, "only http:// and https:// URLs can be "
                   "fetched");
        curl_free(*scheme);
        curl_free(*host);
        curl_free(*port);
        curl_free(*path);
        *scheme = *host = *port = *path = NULL;
        return err->rc;
    }
    return PM_OK;
}

static void
fetch_free_parts(char *a, char *b, char *c, char *d)
{
    curl_free(a);
    curl_free(b);
    curl_free(c);
    curl_free(d);
}

enum pm_rc
fetch_display_url(const char *url, char out[FETCH_URL_MAX], struct pm_err *err)
{
    char *scheme, *host, *port, *path;
    out[0] = '\0';
    if (fetch_url_parts(url, &scheme, &host, &port, &path, err))
        return err->rc;
    /* fetch_url_parts succeeds only with scheme and host set
     * NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
    for (char *h = host; *h; h++) /* host names are case-insensitive */
        if (*h >= 'A' && *h <= 'Z')
            *h = (char)(*h - 'A' + 'a');
    snprintf(out, FETCH_URL_MAX, "%s://%s%s%s%s", scheme, host,
             port ? ":" : "", port ? port : "", path ? path : "/");
    fetch_free_parts(scheme, host, port, path);
    return PM_OK;
}

void
fetch_origin_key(const char *url, char *out, size_t outsz)
{
    char *scheme, *host, *port, *path;
    struct pm_err e = PM_ERR_INIT;
    out[0] = '\0';
    if (fetch_url_parts(url, &scheme, &host, &port, &path, &e) == PM_OK)
        /* scheme is set on success */
        snprintf(out, outsz, "%s://%s:%s", scheme, host,
                 /* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker) */
                 port ? port : (strcmp(scheme, "https") ? "80" : "443"));
    fetch_free_parts(scheme, host, port, path);
}

char *
fetch_request_url(const char *url)
{
    char *scheme, *host, *port, *path, *out = NULL, *s = NULL;
    struct pm_err e = PM_ERR_INIT;
    if (fetch_url_parts(url, &scheme, &host, &port, &path, &e))
        return NULL;
    fetch_free_parts(scheme, host, port, path);
    CURLU *u = curl_url();
    if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_USER, NULL, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_PASSWORD, NULL, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_OPTIONS, NULL, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK)
        out = xstrdup(s);
    curl_free(s);
    curl_url_cleanup(u);
    return out;
}

int
fetch_redirect_next(const char *cur, const char *loc, char **next, char *why,
                    size_t whysz)
{
    char from[FETCH_URL_MAX], to[FETCH_URL_MAX];
    struct pm_err e = PM_ERR_INIT;
    *next = NULL;
    if (fetch_display_url(loc, to, &e) != PM_OK) {
        const char *colon = strchr(loc, ':');
        int n = colon ? (int)(colon - loc) : 0;
        for (int i = 0; i < n; i++)
            if (!(isalnum((unsigned char)loc[i]) || strchr("+.-", loc[i])))
                n = 0; /* not a scheme: do not quote it */
        if (n > 0 && n <= 16)
            snprintf(why, whysz, "refused a redirect to a %.*s: URL: only "
                     "http and https are followed", n, loc);
        else
            snprintf(why, whysz, "refused a redirect to something that is "
                     "not an http or https URL");
        return -1;
    }
    if (strncasecmp(cur, "https:", 6) == 0 &&
        strncasecmp(loc, "https:", 6) != 0) {
        if (fetch_display_url(cur, from, &e) != PM_OK)
            snprintf(from, sizeof from, "an https URL");
        snprintf(why, whysz, "refused a redirect from %s to %s: it would "
                 "leave https for plain http", from, to);
        return -1;
    }
    *next = fetch_request_url(loc);
    if (*next == NULL) {
        snprintf(why, whysz, "refused a redirect to %s: not a URL that "
                 "can be requested", to);
        return -1;
    }
    return 0;
}

CURL *
fetch_easy_new(const struct fetch_opts *o, long timeout_ms, char *errbuf)
{
    fetch_global_init();
    CURL *h = curl_easy_init();
    if (h == NULL)
        return NULL;
    errbuf[0] = '\0';
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (o->cacert)
        curl_easy_setopt(h, CURLOPT_CAINFO, o->cacert);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "pmscope/" PM_VERSION);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_size);
    return h;
}

void
fetch_describe(CURLcode c, const char *errbuf, const struct fetch_opts *o,
               char *out, size_t outsz)
{
    const char *detail = errbuf[0] ? errbuf : curl_easy_strerror(c);
    switch (c) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        snprintf(out, outsz, "cannot resolve the host name (DNS lookup "
                 "failed): %s", detail);
        break;
    case CURLE_COULDNT_CONNECT:
        snprintf(out, outsz, "cannot connect (connection refused or host "
                 "unreachable): %s", detail);
        break;
    case CURLE_OPERATION_TIMEDOUT:
        snprintf(out, outsz, "timed out (connect timeout %.1f s, total "
                 "timeout %.1f s)", o->connect_timeout_ms / 1000.0,
                 o->timeout_ms / 1000.0);
        break;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
        snprintf(out, outsz, "TLS failure: %s (to trust a private CA, pass "
                 "--cacert FILE)", detail);
        break;
    case CURLE_FILESIZE_EXCEEDED:
    case CURLE_WRITE_ERROR:
        snprintf(out, outsz, "response is larger than --max-size (%lld "
                 "bytes)", (long long)o->max_size);
        break;
    case CURLE_UNSUPPORTED_PROTOCOL:
        snprintf(out, outsz, "refused: only http and https are fetched, "
                 "redirects included (%s)", detail);
        break;
    case CURLE_TOO_MANY_REDIRECTS:
        snprintf(out, outsz, "more than %d redirects", FETCH_MAX_REDIRECTS);
        break;
    default:
        snprintf(out, outsz, "transfer failed: %s", detail);
        break;
    }
}

/* ---- one download for import --------------------------------------------- */

struct fetch_sink {
    FILE *fp;
    CURL *h;
    int64_t written, max;
    int over;
};

static size_t
fetch_sink_write(char *p, size_t size, size_t n, void *arg)
{
    struct fetch_sink *s = arg;
    size_t len = size * n;
    long status = 0;
    curl_easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 300)
        return len; /* a redirect's or an error's body is not kept */
    if (s->written + (int64_t)len > s->max) {
        s->over = 1;
        return 0;
    }
    if (fwrite(p, 1, len, s->fp) != len)
        return 0;
    s->written += (int64_t)len;
    return len;
}

struct fetch_meter {
    const char *shown;
    int shown_any;
    double last;
};

double
fetch_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
fetch_meter_cb(void *arg, curl_off_t dltotal, curl_off_t dlnow,
               curl_off_t ultotal, curl_off_t ulnow)
{
    struct fetch_meter *m = arg;
    (void)ultotal;
    (void)ulnow;
    double t = fetch_now();
    if (t - m->last < 0.2 || dlnow == 0)
        return 0;
    m->last = t;
    m->shown_any = 1;
    if (dltotal > 0)
        fprintf(stderr, "\r\033[K%s: %.1f of %.1f MB", m->shown,
                (double)dlnow / 1e6, (double)dltotal / 1e6);
    else
        fprintf(stderr, "\r\033[K%s: %.1f MB", m->shown, (double)dlnow / 1e6);
    fflush(stderr);
    return 0;
}

/*
 * The user name and password written in url (decoded), each NULL when
 * absent: the user's own credentials for the URL's origin.
 */
static void
fetch_url_login(const char *url, char **user, char **password)
{
    char *u = NULL, *p = NULL;
    CURLU *h = curl_url();
    *user = *password = NULL;
    if (curl_url_set(h, CURLUPART_URL, url, 0) == CURLUE_OK) {
        if (curl_url_get(h, CURLUPART_USER, &u, CURLU_URLDECODE) ==
            CURLUE_OK)
            *user = xstrdup(u);
        if (curl_url_get(h, CURLUPART_PASSWORD, &p, CURLU_URLDECODE) ==
            CURLUE_OK)
            *password = xstrdup(p);
    }
    curl_free(u);
    curl_free(p);
    curl_url_cleanup(h);
}

/* Overwrite and free a credential string. */
static void
fetch_secret_free(char *s)
{
    if (s == NULL)
        return;
    volatile char *v = s;
    while (*v)
        *v++ = '\0';
    free(s);
}

/*
 * Download url into fp, following at most FETCH_MAX_REDIRECTS redirects by
 * hand so each Location is checked (fetch_redirect_next) and what the user
 * gave for the URL's origin (--header, the URL's user name and password)
 * goes to that origin only, until the chain first leaves it.
 * content_type receives the final response's Content-Type (or "").
 */
static enum pm_rc
fetch_download(const char *url, const char *shown, FILE *fp,
               const struct fetch_opts *o, char *content_type, size_t ctsz,
               struct pm_err *err)
{
    char errbuf[CURL_ERROR_SIZE];
    char first_origin[FETCH_ORIGIN_MAX], cur_origin[FETCH_ORIGIN_MAX];
    char *cur = fetch_request_url(url);
    char *user, *password;
    int left_origin = 0;
    double deadline = fetch_now() + o->timeout_ms / 1000.0;
    struct fetch_meter meter = {.shown = shown};
    int meter_on = o->progress && isatty(STDERR_FILENO);
    content_type[0] = '\0';
    if (cur == NULL)
        return pm_err_set(err, PM_ERR_USAGE, "%s: not a URL that can be "
                          "requested", shown);
    fetch_url_login(url, &user, &password);
    fetch_origin_key(cur, first_origin, sizeof first_origin);
    for (int hop = 0;; hop++) {
        long left = (long)((deadline - fetch_now()) * 1000.0);
        if (left <= 0) {
            pm_err_set(err, PM_ERR_NET, "%s: timed out (total timeout %.1f s)",
                       shown, o->timeout_ms / 1000.0);
            break;
        }
        if (fflush(fp) || ftruncate(fileno(fp), 0) || fseek(fp, 0, SEEK_SET)) {
            pm_err_set(err, PM_ERR_IO, "temporary file: %s", strerror(errno));
            break;
        }
        CURL *h = fetch_easy_new(o, left, errbuf);
        if (h == NULL) {
            pm_err_set(err, PM_ERR_INTERNAL, "cannot start a transfer");
            break;
        }
        struct fetch_sink sink = {.fp = fp, .h = h, .max = o->max_size};
        struct curl_slist *hdrs = NULL;
        fetch_origin_key(cur, cur_origin, sizeof cur_origin);
        if (strcmp(cur_origin, first_origin) != 0)
            left_origin = 1;
        if (!left_origin) {
            for (size_t i = 0; i < o->nheaders; i++)
                hdrs = curl_slist_append(hdrs, o->headers[i]);
            if (user)
                curl_easy_setopt(h, CURLOPT_USERNAME, user);
            if (password)
                curl_easy_setopt(h, CURLOPT_PASSWORD, password);
        }
        curl_easy_setopt(h, CURLOPT_URL, cur);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, fetch_sink_write);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
        if (meter_on) {
            curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
            curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, fetch_meter_cb);
            curl_easy_setopt(h, CURLOPT_XFERINFODATA, &meter);
        }
        CURLcode c = curl_easy_perform(h);
        long status = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        char *loc = NULL, *ct = NULL;
        curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &loc);
        curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct);
        if (ct)
            snprintf(content_type, ctsz, "%s", ct);
        char *location = loc ? xstrdup(loc) : NULL;
        char why[2 * FETCH_URL_MAX + 128];
        if (c != CURLE_OK)
            fetch_describe(sink.over ? CURLE_FILESIZE_EXCEEDED : c, errbuf,
                           o, why, sizeof why);
        curl_slist_free_all(hdrs);
        curl_easy_cleanup(h);
        if (c != CURLE_OK) {
            free(location);
            pm_err_set(err, sink.over || c == CURLE_FILESIZE_EXCEEDED
                                ? PM_ERR_LIMIT : PM_ERR_NET,
                       "%s: %s", shown, why);
            break;
        }
        if (status >= 300 && status < 400 && location) {
            char *next = NULL;
            int refused = fetch_redirect_next(cur, location, &next, why,
                                              sizeof why);
            free(location);
            if (refused) {
                pm_err_set(err, PM_ERR_NET, "%s: %s", shown, why);
                break;
            }
            if (hop >= FETCH_MAX_REDIRECTS) {
                pm_err_set(err, PM_ERR_NET, "%s: more than %d redirects",
                           shown, FETCH_MAX_REDIRECTS);
                free(next);
                break;
            }
            free(cur);
            cur = next;
            continue;
        }
        free(location);
        if (status >= 300) {
            pm_err_set(err, PM_ERR_NET, "%s: server answered HTTP %ld",
                       shown, status);
            break;
        }
        if (fflush(fp) != 0)
            pm_err_set(err, PM_ERR_IO, "temporary file: %s", strerror(errno));
        break;
    }
    if (meter.shown_any)
        fprintf(stderr, "\r\033[K");
    free(cur);
    fetch_secret_free(user);
    fetch_secret_free(password);
    return err->rc;
}

/*
 * The temporary file of the download in progress: a signal that ends the
 * process (Ctrl-C on a slow transfer) removes it first, so no copy of the
 * input is left behind.
 */
static char fetch_tmp[4096];
static volatile sig_atomic_t fetch_tmp_live;
static const int fetch_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define FETCH_NSIG (sizeof fetch_signals / sizeof fetch_signals[0])

static void
fetch_on_signal(int sig)
{
    if (fetch_tmp_live)
        unlink(fetch_tmp);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void
fetch_tmp_guard(int on, struct sigaction old[FETCH_NSIG])
{
    if (on) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = fetch_on_signal;
        sigemptyset(&sa.sa_mask);
        for (size_t i = 0; i < FETCH_NSIG; i++) {
            sigaction(fetch_signals[i], NULL, &old[i]);
            if (old[i].sa_handler != SIG_IGN) /* nohup stays nohup */
                sigaction(fetch_signals[i], &sa, NULL);
        }
        fetch_tmp_live = 1;
    } else {
        fetch_tmp_live = 0;
        for (size_t i = 0; i < FETCH_NSIG; i++)
            sigaction(fetch_signals[i], &old[i], NULL);
    }
}

enum pm_rc
fetch_import(struct pm_store *st, const char *url, const struct fetch_opts *fo,
             const struct pm_import_opts *io, struct pm_import_result *res,
             struct pm_err *err)
{
    char shown[FETCH_URL_MAX];
    memset(res, 0, sizeof *res);
    if (fetch_display_url(url, shown, err))
        return err->rc;
    const char *dir = tmpclean_dir();
    char *tmp = fetch_tmp;
    struct sigaction old[FETCH_NSIG];
    /* what a fetch killed before its cleanup left behind goes first */
    tmpclean_stale("pmscope-fetch", 0);
    int fd = tmpclean_template(tmp, sizeof fetch_tmp, "pmscope-fetch") == 0
                 ? mkstemp(tmp) /* mode 0600 */
                 : (errno = ENAMETOOLONG, -1);
    if (fd < 0)
        return pm_err_set(err, PM_ERR_IO, "cannot create a temporary file in "
                          "%s: %s", dir, strerror(errno));
    fetch_tmp_guard(1, old);
    FILE *fp = fdopen(fd, "w+b");
    if (fp == NULL) {
        close(fd);
        unlink(tmp);
        fetch_tmp_guard(0, old);
        return pm_err_set(err, PM_ERR_IO, "temporary file: %s",
                          strerror(errno));
    }
    char ctype[256];
    if (fetch_download(url, shown, fp, fo, ctype, sizeof ctype, err) == PM_OK) {
        fclose(fp);
        fp = NULL;
        struct pm_import_opts o = *io;
        o.source_name = shown;
        if (ingest_file(st, tmp, &o, res, err) != PM_OK) {
            if (strcmp(err->src, tmp) == 0) {
                /* Name the URL, not the temporary file (cut if long). */
                size_t n = strlen(shown);
                if (n >= sizeof err->src)
                    n = sizeof err->src - 1;
                memcpy(err->src, shown, n);
                err->src[n] = '\0';
            }
            if (err->rc == PM_ERR_FORMAT && ctype[0]) {
                size_t l = strlen(err->msg);
                snprintf(err->msg + l, sizeof err->msg - l,
                         " (the server sent Content-Type: %s)", ctype);
            }
        }
    }
    if (fp)
        fclose(fp);
    unlink(tmp);
    fetch_tmp_guard(0, old);
    return err->rc;
}
