/*
 * fetch.h - HTTP(S) transfers for `pmscope import URL` and `pmscope
 * recheck` (src/fetch.c, src/fetch_many.c; only they include curl/curl.h).
 *
 * Every transfer follows the same policy: only http and https (redirects
 * included), never a redirect from https to http, at most
 * FETCH_MAX_REDIRECTS redirects, connect and total timeouts, TLS
 * verification always on (a --cacert file is trusted in addition to the
 * system's CAs), a cap on the body size, and no user name or password
 * taken from a URL that came from input (a workspace, a Location header).
 */
#ifndef PM_FETCH_H
#define PM_FETCH_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "import.h"
#include "store.h"

#define FETCH_MAX_REDIRECTS 5
#define FETCH_URL_MAX 2048

struct fetch_opts {
    long connect_timeout_ms; /* default 10 s */
    long timeout_ms;         /* whole transfer with redirects; default 300 s */
    int64_t max_size;        /* body cap in bytes; default 1 GiB */
    const char *cacert;      /* extra CA certificate file (PEM), or NULL */
    const char **headers;    /* "Name: value", import only: sent to the
                                URL's origin until a redirect leaves it */
    size_t nheaders;
    int progress;            /* progress line on stderr (only on a terminal) */
};

void fetch_opts_init(struct fetch_opts *o);
void fetch_opts_release(struct fetch_opts *o);

/*
 * The command-line options every fetching command shares, as getopt_long
 * values: --max-size SIZE, --header 'Name: value' (repeatable), --timeout
 * SECONDS, --connect-timeout SECONDS, --cacert FILE.
 */
enum fetch_opt {
    FETCH_OPT_MAX_SIZE = 0x100,
    FETCH_OPT_HEADER,
    FETCH_OPT_TIMEOUT,
    FETCH_OPT_CONNECT_TIMEOUT,
    FETCH_OPT_CACERT,
};
#define FETCH_LONGOPTS                                                   \
    {"max-size", required_argument, NULL, FETCH_OPT_MAX_SIZE},           \
    {"header", required_argument, NULL, FETCH_OPT_HEADER},               \
    {"timeout", required_argument, NULL, FETCH_OPT_TIMEOUT},             \
    {"connect-timeout", required_argument, NULL, FETCH_OPT_CONNECT_TIMEOUT}, \
    {"cacert", required_argument, NULL, FETCH_OPT_CACERT}

/* Apply one of those options; PM_ERR_USAGE with a message for a bad value. */
enum pm_rc fetch_opts_set(struct fetch_opts *o, int opt, const char *arg,
                          struct pm_err *err);

/* 1 when arg starts with http:// or https:// (any case). */
int fetch_is_url(const char *arg);

/*
 * The URL as pmscope records and prints it: scheme://host[:port]/path, with
 * userinfo, query and fragment removed (they carry credentials and signed
 * tokens).  Returns PM_ERR_USAGE for a URL that is not http(s) or does not
 * parse.
 */
enum pm_rc fetch_display_url(const char *url, char out[FETCH_URL_MAX],
                             struct pm_err *err);

/*
 * Parse a size such as "1G", "200M", "64k" or "1048576" (bytes; powers of
 * 1024).  PM_ERR_USAGE on anything else.
 */
enum pm_rc fetch_parse_size(const char *s, int64_t *out, struct pm_err *err);

/*
 * Download url into a private temporary file (mode 0600) and import it like
 * a local file (ingest_file: the import and its analysis); the file is
 * removed afterwards, whatever happened.  The
 * source is recorded under fetch_display_url(url); errors name that too.
 * The user name and password written in url are the user's: they are sent
 * (HTTP Basic) like --header, to url's origin until a redirect leaves it.
 */
enum pm_rc fetch_import(struct pm_store *st, const char *url,
                        const struct fetch_opts *fo,
                        const struct pm_import_opts *io,
                        struct pm_import_result *res, struct pm_err *err);

/*
 * One transfer of fetch_many: the URL in, the outcome out.  A user name or
 * password in url is dropped, never sent.
 */
struct fetch_job {
    const char *url;
    /* results */
    enum pm_rc rc;       /* PM_OK when a response (any status) arrived */
    char error[2 * FETCH_URL_MAX + 128]; /* why not, when rc != PM_OK */
    long status;         /* final HTTP status */
    char *final_url;     /* where the chain ended (fetch_display_url form) */
    int left_origin;     /* a redirect went to another origin on the way */
    char *content_type;  /* Content-Type of the final response, or NULL */
    char *body;          /* NUL-terminated; free() it (fetch_job_release) */
    size_t body_len;
    char *xfo;           /* X-Frame-Options of the final response, or NULL */
    char *csp;           /* Content-Security-Policy (all, ", "-joined), or NULL */
};

/*
 * Run all jobs with the multi interface: at most `parallel` transfers at a
 * time and one connection per host, reused across that host's jobs.
 * Redirects are followed by hand under the common policy; no header and no
 * credential is sent.  Each job's own failure is recorded in the job; the
 * return value is only for failures of the whole batch.
 */
enum pm_rc fetch_many(struct fetch_job *jobs, size_t n, int parallel,
                      const struct fetch_opts *o, struct pm_err *err);
void fetch_job_release(struct fetch_job *j);

#endif
