/*
 * fetch_int.h - what src/fetch.c (policy, options, URLs, the import's
 * download) shares with src/fetch_many.c (the parallel transfers of
 * `pmscope recheck`).  These two files are the only includers of
 * curl/curl.h.
 */
#ifndef PM_FETCH_INT_H
#define PM_FETCH_INT_H

#include <curl/curl.h>

#include "fetch.h"

/* Size of an origin key ("scheme://host:port") buffer. */
#define FETCH_ORIGIN_MAX 600

void fetch_global_init(void);
double fetch_now(void);

/*
 * A new easy handle carrying the common policy (protocols, timeouts, TLS
 * verification, body cap, no redirects followed by libcurl: every chain is
 * followed by hand through fetch_redirect_next).  errbuf has
 * CURL_ERROR_SIZE bytes.  NULL when libcurl cannot make one.
 */
CURL *fetch_easy_new(const struct fetch_opts *o, long timeout_ms,
                     char *errbuf);

/* One line saying why a transfer failed, for the user. */
void fetch_describe(CURLcode c, const char *errbuf, const struct fetch_opts *o,
                    char *out, size_t outsz);

/* "scheme://host:port" of url for same-origin checks; "" when unparsable. */
void fetch_origin_key(const char *url, char *out, size_t outsz);

/*
 * url without user name, password and login options, as a malloc'd
 * string; NULL when url is not an http(s) URL.  Every request goes to such
 * a URL: libcurl would otherwise send the userinfo as HTTP Basic
 * credentials, and a URL from a workspace or a Location header is input,
 * not the user's say.
 */
char *fetch_request_url(const char *url);

/*
 * Check one redirect, from the URL cur to the Location loc (absolute, as
 * libcurl resolved it): only to http or https, and never from https to
 * http (the rest of the chain would travel in clear).  On success *next
 * is the URL to request (fetch_request_url of loc; free it) and 0 is
 * returned; otherwise -1 and why says which redirect was refused, naming
 * both URLs as fetch_display_url shows them.
 */
int fetch_redirect_next(const char *cur, const char *loc, char **next,
                        char *why, size_t whysz);

#endif
