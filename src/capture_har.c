/*
 * capture_har.c - `pmscope capture --har FILE`: a HAR 1.2 of what the
 * captured page loaded, from the DevTools Network domain of every session
 * (top page, out-of-process iframes, popups).
 *
 * Request headers come from Network.requestWillBeSentExtraInfo when the
 * browser sends it (that is where Sec-Fetch-Dest, Cookie and the other
 * headers added by the network stack are), response headers from
 * responseReceivedExtraInfo likewise; the plain events are the fallback.
 * Bodies are fetched with Network.getResponseBody as soon as a load
 * finishes and embedded (base64 for binary).  Extensions: _resourceType,
 * _initiator, _frameref (the trace's frame id, so HAR entries and trace
 * frames line up) and _requestId.
 */
#include "capture_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json_safe.h"
#include "mem.h"
#include "outfile.h"

#define HAR_MAX_ENTRIES 100000
#define HAR_MAX_BODY_BYTES (512u * 1024 * 1024)

struct har_entry {
    int session;
    char *request_id;
    int superseded;        /* a redirect continued it as a new entry */
    int frame;             /* trace frame index, -1 unknown */
    double wall;           /* epoch seconds of requestWillBeSent */
    double t_start, t_end; /* monotonic seconds (CDP timestamps) */
    cJSON *request;        /* CDP request object (dup) */
    cJSON *response;       /* CDP response object (dup) or NULL */
    cJSON *initiator;
    char *type;
    char *error;
    double encoded;
    int finished;
    int body_state;        /* 0 none, 1 pending, 2 have */
    char *body;
    int body_b64;
    cJSON *req_extra, *resp_extra; /* header objects (dup) */
};

struct har_extra {
    char *request_id;
    int is_response;
    cJSON *headers;
    int used;
};

struct cap_har {
    struct har_entry *e;
    int n, cap;
    struct har_extra *x;
    int nx, capx;
    size_t body_bytes;
};

struct cap_har *
cap_har_new(void)
{
    return xcalloc(1, sizeof(struct cap_har));
}

void
cap_har_free(struct cap_har *h)
{
    if (!h)
        return;
    for (int i = 0; i < h->n; i++) {
        struct har_entry *e = &h->e[i];
        free(e->request_id);
        cJSON_Delete(e->request);
        cJSON_Delete(e->response);
        cJSON_Delete(e->initiator);
        free(e->type);
        free(e->error);
        free(e->body);
        cJSON_Delete(e->req_extra);
        cJSON_Delete(e->resp_extra);
    }
    free(h->e);
    for (int i = 0; i < h->nx; i++) {
        free(h->x[i].request_id);
        cJSON_Delete(h->x[i].headers);
    }
    free(h->x);
    free(h);
}

static const char *
jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double
jnum(const cJSON *o, const char *k, double dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

static cJSON *
jdup(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return v ? cJSON_Duplicate(v, 1) : NULL;
}

/* The live (not redirected-away) entry for a request id, or -1. */
static int
har_find(const struct cap_har *h, const char *rid)
{
    if (!rid)
        return -1;
    for (int i = h->n - 1; i >= 0; i--)
        if (!h->e[i].superseded && strcmp(h->e[i].request_id, rid) == 0)
            return i;
    return -1;
}

static int
har_frame(struct capture *cap, const char *cdp_frame)
{
    if (!cdp_frame)
        return -1;
    for (int i = 0; i < cap->nframes; i++)
        if (strcmp(cap->frames[i].cdp_id, cdp_frame) == 0)
            return i;
    return -1;
}

/*
 * One Network.* event of session `session`.  Returns the entry whose
 * response body should be fetched now (its load finished), else -1: the
 * caller owns the DevTools connection and sends Network.getResponseBody.
 */
int
cap_har_event(struct capture *cap, int session, const char *method,
              const cJSON *params)
{
    struct cap_har *h = cap->har;
    const char *rid = jstr(params, "requestId");
    if (!rid)
        return -1;
    int i = har_find(h, rid);
    if (strcmp(method, "Network.requestWillBeSent") == 0) {
        const cJSON *redirect = cJSON_GetObjectItemCaseSensitive(
            params, "redirectResponse");
        if (i >= 0 && redirect) {
            struct har_entry *old = &h->e[i];
            cJSON_Delete(old->response);
            old->response = cJSON_Duplicate(redirect, 1);
            old->t_end = jnum(params, "timestamp", old->t_start);
            old->finished = 1;
            old->superseded = 1;
        } else if (i >= 0) {
            return -1; /* the same request reported by a second session */
        }
        if (h->n >= HAR_MAX_ENTRIES)
            return -1;
        if (h->n == h->cap) {
            h->cap = h->cap ? h->cap * 2 : 64;
            h->e = xrealloc(h->e, (size_t)h->cap * sizeof *h->e);
        }
        struct har_entry *e = &h->e[h->n++];
        memset(e, 0, sizeof *e);
        e->session = session;
        e->request_id = xstrdup(rid);
        e->frame = har_frame(cap, jstr(params, "frameId"));
        e->wall = jnum(params, "wallTime", 0);
        e->t_start = e->t_end = jnum(params, "timestamp", 0);
        e->request = jdup(params, "request");
        e->initiator = jdup(params, "initiator");
        e->type = xstrdup(jstr(params, "type") ? jstr(params, "type") : "Other");
        cap->events++;
        return -1;
    }
    if (strcmp(method, "Network.requestWillBeSentExtraInfo") == 0 ||
        strcmp(method, "Network.responseReceivedExtraInfo") == 0) {
        if (h->nx >= HAR_MAX_ENTRIES * 2)
            return -1;
        if (h->nx == h->capx) {
            h->capx = h->capx ? h->capx * 2 : 64;
            h->x = xrealloc(h->x, (size_t)h->capx * sizeof *h->x);
        }
        struct har_extra *x = &h->x[h->nx++];
        x->request_id = xstrdup(rid);
        x->is_response =
            strcmp(method, "Network.responseReceivedExtraInfo") == 0;
        x->headers = jdup(params, "headers");
        x->used = 0;
        return -1;
    }
    if (i < 0)
        return -1;
    struct har_entry *e = &h->e[i];
    if (strcmp(method, "Network.responseReceived") == 0) {
        cJSON_Delete(e->response);
        e->response = jdup(params, "response");
        if (e->frame < 0)
            e->frame = har_frame(cap, jstr(params, "frameId"));
    } else if (strcmp(method, "Network.loadingFinished") == 0) {
        e->finished = 1;
        e->t_end = jnum(params, "timestamp", e->t_start);
        e->encoded = jnum(params, "encodedDataLength", 0);
        if (e->response && e->body_state == 0 &&
            h->body_bytes < HAR_MAX_BODY_BYTES) {
            e->body_state = 1;
            return i;
        }
    } else if (strcmp(method, "Network.loadingFailed") == 0) {
        e->finished = 1;
        e->t_end = jnum(params, "timestamp", e->t_start);
        free(e->error);
        e->error = xstrdup(jstr(params, "errorText") ? jstr(params, "errorText")
                                                      : "failed");
    }
    return -1;
}

void
cap_har_body(struct capture *cap, int entry, const cJSON *result)
{
    struct cap_har *h = cap->har;
    if (!h || entry < 0 || entry >= h->n)
        return;
    struct har_entry *e = &h->e[entry];
    const char *body = jstr(result, "body");
    e->body_state = 2;
    if (!body)
        return;
    size_t len = strlen(body);
    if (h->body_bytes + len > HAR_MAX_BODY_BYTES)
        return;
    h->body_bytes += len;
    e->body = xstrdup(body);
    e->body_b64 = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
        result, "base64Encoded"));
}

int
cap_har_pending(const struct capture *cap)
{
    int n = 0;
    if (cap->har)
        for (int i = 0; i < cap->har->n; i++)
            n += cap->har->e[i].body_state == 1;
    return n;
}

/* CDP header object {name: "v1\nv2"} -> HAR [{name, value}...]. */
static cJSON *
har_headers(const cJSON *obj, long *size)
{
    cJSON *arr = cJSON_CreateArray();
    const cJSON *h;
    long total = 0;
    cJSON_ArrayForEach(h, obj) {
        if (!cJSON_IsString(h) || !h->string)
            continue;
        const char *v = h->valuestring;
        for (;;) {
            const char *nl = strchr(v, '\n');
            size_t n = nl ? (size_t)(nl - v) : strlen(v);
            char *val = xstrndup(v, n);
            cJSON *pair = cJSON_CreateObject();
            cJSON_AddStringToObject(pair, "name", h->string);
            cJSON_AddStringToObject(pair, "value", val);
            cJSON_AddItemToArray(arr, pair);
            total += (long)(strlen(h->string) + n + 4);
            free(val);
            if (!nl)
                break;
            v = nl + 1;
        }
    }
    if (size)
        *size = total;
    return arr;
}

/* The k-th unused extra-info header object for a request id. */
static const cJSON *
har_extra(struct cap_har *h, const char *rid, int is_response)
{
    if (!rid)
        return NULL;
    for (int i = 0; i < h->nx; i++) {
        struct har_extra *x = &h->x[i];
        if (!x->used && x->is_response == is_response &&
            strcmp(x->request_id, rid) == 0) {
            x->used = 1;
            return x->headers;
        }
    }
    return NULL;
}

static cJSON *
har_query(const char *url)
{
    cJSON *arr = cJSON_CreateArray();
    const char *q = url ? strchr(url, '?') : NULL;
    if (!q)
        return arr;
    q++;
    const char *end = strchr(q, '#');
    if (!end)
        end = q + strlen(q);
    while (q < end) {
        const char *amp = memchr(q, '&', (size_t)(end - q));
        const char *stop = amp ? amp : end;
        const char *eq = memchr(q, '=', (size_t)(stop - q));
        char *name = xstrndup(q, (size_t)((eq ? eq : stop) - q));
        char *val = eq ? xstrndup(eq + 1, (size_t)(stop - eq - 1)) : xstrdup("");
        cJSON *pair = cJSON_CreateObject();
        cJSON_AddStringToObject(pair, "name", name);
        cJSON_AddStringToObject(pair, "value", val);
        cJSON_AddItemToArray(arr, pair);
        free(name);
        free(val);
        q = stop + 1;
    }
    return arr;
}

static void
har_iso(double epoch_s, char *out, size_t n)
{
    time_t sec = (time_t)epoch_s;
    int ms = (int)((epoch_s - (double)sec) * 1000.0);
    if (ms < 0 || ms > 999)
        ms = 0;
    struct tm tm;
    gmtime_r(&sec, &tm);
    char base[32];
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, n, "%s.%03dZ", base, ms);
}

static int
har_page_of(const struct capture *cap, int f)
{
    for (int guard = 0; f >= 0 && cap->frames[f].parent >= 0 && guard < 1000;
         guard++)
        f = cap->frames[f].parent;
    return f >= 0 ? cap->frames[f].page : -1;
}

/* Milliseconds rounded to 3 decimals (no libm). */
static double
ms3(double v)
{
    if (!(v > 0))
        return 0;
    return (double)(long long)(v * 1000.0 + 0.5) / 1000.0;
}

static size_t
b64_decoded_len(const char *s)
{
    size_t n = strlen(s);
    size_t pad = (n > 0 && s[n - 1] == '=') + (n > 1 && s[n - 2] == '=');
    return n / 4 * 3 - pad;
}

static cJSON *
har_entry_json(struct capture *cap, struct har_entry *e)
{
    struct cap_har *h = cap->har;
    cJSON *o = cJSON_CreateObject();
    char iso[48], ref[24];
    int page = har_page_of(cap, e->frame);
    if (page >= 0) {
        snprintf(ref, sizeof ref, "page_%d", page + 1);
        cJSON_AddStringToObject(o, "pageref", ref);
    }
    har_iso(e->wall, iso, sizeof iso);
    cJSON_AddStringToObject(o, "startedDateTime", iso);

    const cJSON *resp = e->response;
    const cJSON *timing = cJSON_GetObjectItemCaseSensitive(resp, "timing");
    double total = e->t_end > e->t_start ? (e->t_end - e->t_start) * 1000.0 : 0;
    double send = 0, wait = total, receive = 0;
    if (cJSON_IsObject(timing)) {
        double ss = jnum(timing, "sendStart", -1), se = jnum(timing, "sendEnd", -1);
        double rh = jnum(timing, "receiveHeadersEnd", -1);
        double rt = jnum(timing, "requestTime", e->t_start);
        if (ss >= 0 && se >= ss && rh >= se) {
            send = se - ss;
            wait = rh - se;
            double end_ms = (e->t_end - rt) * 1000.0;
            receive = end_ms > rh ? end_ms - rh : 0;
            total = end_ms > 0 ? end_ms : send + wait + receive;
        }
    }
    cJSON_AddNumberToObject(o, "time", ms3(total));

    const cJSON *req = e->request;
    const char *url = jstr(req, "url");
    const char *proto = jstr(resp, "protocol");
    char ver[32] = "HTTP/1.1";
    if (proto && strncmp(proto, "http/", 5) == 0)
        snprintf(ver, sizeof ver, "HTTP/%s", proto + 5);
    else if (proto)
        snprintf(ver, sizeof ver, "%s", proto);

    cJSON *r = cJSON_AddObjectToObject(o, "request");
    cJSON_AddStringToObject(r, "method", jstr(req, "method") ? jstr(req, "method") : "GET");
    cJSON_AddStringToObject(r, "url", url ? url : "");
    cJSON_AddStringToObject(r, "httpVersion", ver);
    cJSON_AddItemToObject(r, "cookies", cJSON_CreateArray());
    const cJSON *rq_h = har_extra(h, e->request_id, 0);
    long hsize = 0;
    cJSON_AddItemToObject(r, "headers", har_headers(
        rq_h ? rq_h : cJSON_GetObjectItemCaseSensitive(req, "headers"), &hsize));
    cJSON_AddItemToObject(r, "queryString", har_query(url));
    const char *post = jstr(req, "postData");
    if (post) {
        cJSON *pd = cJSON_AddObjectToObject(r, "postData");
        const cJSON *hdrs = cJSON_GetObjectItemCaseSensitive(req, "headers");
        const char *ct = jstr(hdrs, "Content-Type");
        cJSON_AddStringToObject(pd, "mimeType", ct ? ct : "");
        cJSON_AddStringToObject(pd, "text", post);
    }
    cJSON_AddNumberToObject(r, "headersSize", -1);
    cJSON_AddNumberToObject(r, "bodySize", post ? (double)strlen(post) : 0);

    cJSON *rs = cJSON_AddObjectToObject(o, "response");
    cJSON_AddNumberToObject(rs, "status", jnum(resp, "status", 0));
    cJSON_AddStringToObject(rs, "statusText", jstr(resp, "statusText") ?
                                              jstr(resp, "statusText") : "");
    cJSON_AddStringToObject(rs, "httpVersion", ver);
    cJSON_AddItemToObject(rs, "cookies", cJSON_CreateArray());
    const cJSON *rs_h = resp ? har_extra(h, e->request_id, 1) : NULL;
    cJSON_AddItemToObject(rs, "headers", har_headers(
        rs_h ? rs_h : cJSON_GetObjectItemCaseSensitive(resp, "headers"), NULL));
    cJSON *content = cJSON_AddObjectToObject(rs, "content");
    double size = e->body ? (double)(e->body_b64 ? b64_decoded_len(e->body)
                                                 : strlen(e->body)) : 0;
    cJSON_AddNumberToObject(content, "size", size);
    const char *mime = jstr(resp, "mimeType");
    cJSON_AddStringToObject(content, "mimeType", mime ? mime : "");
    if (e->body) {
        cJSON_AddStringToObject(content, "text", e->body);
        if (e->body_b64)
            cJSON_AddStringToObject(content, "encoding", "base64");
    }
    const cJSON *rh = cJSON_GetObjectItemCaseSensitive(resp, "headers");
    const char *loc = jstr(rh, "Location");
    if (!loc)
        loc = jstr(rh, "location");
    cJSON_AddStringToObject(rs, "redirectURL", loc ? loc : "");
    cJSON_AddNumberToObject(rs, "headersSize", -1);
    cJSON_AddNumberToObject(rs, "bodySize", e->encoded > 0 ? e->encoded : -1);
    if (e->error)
        cJSON_AddStringToObject(rs, "_error", e->error);

    cJSON_AddItemToObject(o, "cache", cJSON_CreateObject());
    cJSON *t = cJSON_AddObjectToObject(o, "timings");
    cJSON_AddNumberToObject(t, "blocked", -1);
    cJSON_AddNumberToObject(t, "dns", -1);
    cJSON_AddNumberToObject(t, "connect", -1);
    cJSON_AddNumberToObject(t, "send", ms3(send));
    cJSON_AddNumberToObject(t, "wait", ms3(wait));
    cJSON_AddNumberToObject(t, "receive", ms3(receive));
    cJSON_AddNumberToObject(t, "ssl", -1);
    const char *ip = jstr(resp, "remoteIPAddress");
    if (ip)
        cJSON_AddStringToObject(o, "serverIPAddress", ip);
    cJSON_AddStringToObject(o, "_resourceType", e->type ? e->type : "Other");
    if (e->initiator)
        cJSON_AddItemToObject(o, "_initiator", cJSON_Duplicate(e->initiator, 1));
    if (e->frame >= 0 && !cap->frames[e->frame].hidden) {
        snprintf(ref, sizeof ref, "F%d", cap->frames[e->frame].no);
        cJSON_AddStringToObject(o, "_frameref", ref);
    }
    (void)hsize;
    return o;
}

enum pm_rc
cap_har_write(struct capture *cap, const char *path, long *entries,
              struct pm_err *err)
{
    struct cap_har *h = cap->har;
    cJSON *root = cJSON_CreateObject();
    cJSON *log = cJSON_AddObjectToObject(root, "log");
    cJSON_AddStringToObject(log, "version", "1.2");
    cJSON *creator = cJSON_AddObjectToObject(log, "creator");
    cJSON_AddStringToObject(creator, "name", "pmscope-capture");
    cJSON_AddStringToObject(creator, "version", PM_VERSION);
    cJSON *pages = cJSON_AddArrayToObject(log, "pages");
    for (int i = 0; i < cap->nframes; i++) {
        const struct cap_frame *f = &cap->frames[i];
        if (f->parent >= 0 || f->page < 0)
            continue;
        cJSON *p = cJSON_CreateObject();
        char iso[48], id[24];
        har_iso((cap->start_epoch_ms + (f->ts < 0 ? 0 : f->ts)) / 1000.0, iso,
                sizeof iso);
        snprintf(id, sizeof id, "page_%d", f->page + 1);
        cJSON_AddStringToObject(p, "startedDateTime", iso);
        cJSON_AddStringToObject(p, "id", id);
        cJSON_AddStringToObject(p, "title", f->url ? f->url : "");
        cJSON *pt = cJSON_AddObjectToObject(p, "pageTimings");
        cJSON_AddNumberToObject(pt, "onContentLoad", -1);
        cJSON_AddNumberToObject(pt, "onLoad", -1);
        cJSON_AddItemToArray(pages, p);
    }
    cJSON *arr = cJSON_AddArrayToObject(log, "entries");
    long n = 0;
    for (int i = 0; i < h->n; i++) {
        if (!h->e[i].request)
            continue;
        cJSON_AddItemToArray(arr, har_entry_json(cap, &h->e[i]));
        n++;
    }
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return pm_err_set(err, PM_ERR_IO, "cannot format the HAR");
    struct pm_outfile of;
    enum pm_rc rc = outfile_open(&of, path, cap->opts->workspace, 0600,
                                 PM_OUT_OVERWRITE, err);
    if (rc == PM_OK) {
        if (json_puts_safe(text, of.fp) != 0) {
            rc = pm_err_at(err, PM_ERR_IO, path, 0, 0, "cannot write: %s",
                           strerror(errno));
            outfile_discard(&of);
        } else {
            rc = outfile_commit(&of, err);
        }
    }
    free(text);
    *entries = n;
    return rc;
}
