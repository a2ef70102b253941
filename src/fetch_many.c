/*
 * fetch_many.c - the parallel transfers of `pmscope recheck`: one libcurl
 * multi handle, at most `parallel` transfers at a time, one connection per
 * host.  Each job's redirects are followed by hand, like the import's
 * (fetch_redirect_next checks every Location), so a job knows where its
 * chain ended and whether it left its origin on the way: the re-check only
 * trusts an answer from the URL's own origin.  URLs come from the
 * workspace, so no user name or password in them is ever sent.
 */
#include "fetch_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mem.h"

struct fetch_slot {
    struct fetch_job *job;
    const struct fetch_opts *o;
    size_t cap;
    char errbuf[CURL_ERROR_SIZE];
    int over;
    char *cur;      /* URL of the request in flight (no userinfo) */
    int hops;       /* redirects followed so far */
    double deadline;
    char first_origin[FETCH_ORIGIN_MAX];
};

static size_t
fetch_slot_write(char *p, size_t size, size_t n, void *arg)
{
    struct fetch_slot *s = arg;
    struct fetch_job *j = s->job;
    size_t len = size * n;
    if ((int64_t)(j->body_len + len) > s->o->max_size) {
        s->over = 1;
        return 0;
    }
    if (j->body_len + len + 1 > s->cap) {
        while (j->body_len + len + 1 > s->cap)
            s->cap = s->cap ? 2 * s->cap : 16384;
        j->body = xrealloc(j->body, s->cap);
    }
    memcpy(j->body + j->body_len, p, len);
    j->body_len += len;
    j->body[j->body_len] = '\0';
    return len;
}

/* Keep X-Frame-Options and CSP of the last response (each response resets
 * them, and so does each redirect followed). */
static size_t
fetch_slot_header(char *p, size_t size, size_t n, void *arg)
{
    struct fetch_slot *s = arg;
    struct fetch_job *j = s->job;
    size_t len = size * n;
    if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
        free(j->xfo);
        free(j->csp);
        j->xfo = j->csp = NULL;
        return len;
    }
    const char *colon = memchr(p, ':', len);
    if (colon == NULL)
        return len;
    size_t nl = (size_t)(colon - p);
    const char *v = colon + 1;
    size_t vl = len - nl - 1;
    while (vl && (*v == ' ' || *v == '\t'))
        v++, vl--;
    while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' '))
        vl--;
    char **dst = NULL;
    if (nl == 15 && strncasecmp(p, "x-frame-options", 15) == 0)
        dst = &j->xfo;
    else if (nl == 23 && strncasecmp(p, "content-security-policy", 23) == 0)
        dst = &j->csp;
    if (dst == NULL)
        return len;
    if (*dst == NULL) {
        *dst = xstrndup(v, vl);
    } else {
        size_t ol = strlen(*dst);
        *dst = xrealloc(*dst, ol + 2 + vl + 1);
        memcpy(*dst + ol, ", ", 2);
        memcpy(*dst + ol + 2, v, vl);
        (*dst)[ol + 2 + vl] = '\0';
    }
    return len;
}

/* A transfer of s->cur within what is left of the job's total timeout. */
static CURL *
fetch_slot_start(struct fetch_slot *s)
{
    struct fetch_job *j = s->job;
    long left = (long)((s->deadline - fetch_now()) * 1000.0);
    CURL *h = fetch_easy_new(s->o, left > 1 ? left : 1, s->errbuf);
    if (h == NULL)
        return NULL;
    free(j->body);
    j->body = NULL;
    j->body_len = 0;
    s->cap = 0;
    s->over = 0;
    curl_easy_setopt(h, CURLOPT_URL, s->cur);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, fetch_slot_write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, s);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, fetch_slot_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, s);
    curl_easy_setopt(h, CURLOPT_PRIVATE, s);
    return h;
}

/* The first transfer of a job; NULL (with the job's error set) when its
 * URL cannot be requested. */
static CURL *
fetch_slot_begin(struct fetch_slot *s)
{
    struct fetch_job *j = s->job;
    s->cur = fetch_request_url(j->url);
    if (s->cur == NULL) {
        snprintf(j->error, sizeof j->error, "not an http or https URL "
                 "that can be requested");
        return NULL;
    }
    fetch_origin_key(s->cur, s->first_origin, sizeof s->first_origin);
    s->deadline = fetch_now() + s->o->timeout_ms / 1000.0;
    CURL *h = fetch_slot_start(s);
    if (h == NULL)
        snprintf(j->error, sizeof j->error, "cannot start a transfer");
    return h;
}

/*
 * A transfer of the job ended: record the outcome, or, for a redirect the
 * policy allows, return the handle of the next request.
 */
static CURL *
fetch_slot_finish(struct fetch_slot *s, CURL *h, CURLcode c)
{
    struct fetch_job *j = s->job;
    char *loc = NULL, *ct = NULL;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &j->status);
    curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &loc);
    curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct);
    free(j->content_type);
    j->content_type = ct ? xstrdup(ct) : NULL;
    if (c != CURLE_OK) {
        j->rc = s->over || c == CURLE_FILESIZE_EXCEEDED ? PM_ERR_LIMIT
                                                        : PM_ERR_NET;
        fetch_describe(s->over ? CURLE_FILESIZE_EXCEEDED : c, s->errbuf,
                       s->o, j->error, sizeof j->error);
        return NULL;
    }
    if (j->status >= 300 && j->status < 400 && loc) {
        char *next = NULL;
        j->rc = PM_ERR_NET;
        if (fetch_redirect_next(s->cur, loc, &next, j->error,
                                sizeof j->error))
            return NULL;
        if (s->hops >= FETCH_MAX_REDIRECTS) {
            free(next);
            snprintf(j->error, sizeof j->error, "more than %d redirects",
                     FETCH_MAX_REDIRECTS);
            return NULL;
        }
        if (fetch_now() >= s->deadline) {
            free(next);
            snprintf(j->error, sizeof j->error, "timed out (total timeout "
                     "%.1f s)", s->o->timeout_ms / 1000.0);
            return NULL;
        }
        char origin[FETCH_ORIGIN_MAX];
        fetch_origin_key(next, origin, sizeof origin);
        if (strcmp(origin, s->first_origin) != 0)
            j->left_origin = 1;
        free(s->cur);
        s->cur = next;
        s->hops++;
        CURL *nh = fetch_slot_start(s);
        if (nh == NULL)
            snprintf(j->error, sizeof j->error, "cannot start a transfer");
        return nh;
    }
    char shown[FETCH_URL_MAX];
    struct pm_err e = PM_ERR_INIT;
    if (fetch_display_url(s->cur, shown, &e) == PM_OK)
        j->final_url = xstrdup(shown);
    j->rc = PM_OK;
    if (j->body == NULL)
        j->body = xstrdup("");
    return NULL;
}

enum pm_rc
fetch_many(struct fetch_job *jobs, size_t n, int parallel,
           const struct fetch_opts *o, struct pm_err *err)
{
    fetch_global_init();
    if (parallel < 1)
        parallel = 1;
    CURLM *m = curl_multi_init();
    if (m == NULL)
        return pm_err_set(err, PM_ERR_INTERNAL, "cannot start transfers");
    curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)parallel);
    curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, 1L);
    struct fetch_slot *slots = xcalloc(n ? n : 1, sizeof *slots);
    size_t next = 0, active = 0;
    for (size_t i = 0; i < n; i++) {
        jobs[i].rc = PM_ERR_NET;
        snprintf(jobs[i].error, sizeof jobs[i].error, "not fetched");
        slots[i].job = &jobs[i];
        slots[i].o = o;
    }
    while (next < n || active > 0) {
        while (next < n && active < (size_t)parallel) {
            CURL *h = fetch_slot_begin(&slots[next]);
            if (h && curl_multi_add_handle(m, h) == CURLM_OK)
                active++;
            else if (h)
                curl_easy_cleanup(h);
            next++;
        }
        int running = 0;
        if (curl_multi_perform(m, &running) != CURLM_OK) {
            pm_err_set(err, PM_ERR_INTERNAL, "transfer loop failed");
            break;
        }
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(m, &left)) != NULL) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            CURL *h = msg->easy_handle;
            CURLcode result = msg->data.result;
            struct fetch_slot *s = NULL;
            curl_easy_getinfo(h, CURLINFO_PRIVATE, (char **)&s);
            CURL *nh = fetch_slot_finish(s, h, result);
            curl_multi_remove_handle(m, h);
            curl_easy_cleanup(h);
            if (nh && curl_multi_add_handle(m, nh) == CURLM_OK)
                continue; /* the same job goes on: still active */
            if (nh) {
                curl_easy_cleanup(nh);
                snprintf(s->job->error, sizeof s->job->error,
                         "cannot start a transfer");
            }
            active--;
        }
        if (active > 0)
            curl_multi_poll(m, NULL, 0, 200, NULL);
    }
    for (size_t i = 0; i < n; i++)
        free(slots[i].cur);
    free(slots);
    curl_multi_cleanup(m);
    return err->rc;
}

void
fetch_job_release(struct fetch_job *j)
{
    free(j->body);
    free(j->xfo);
    free(j->csp);
    free(j->final_url);
    free(j->content_type);
    j->body = j->xfo = j->csp = j->final_url = j->content_type = NULL;
    j->body_len = 0;
}
