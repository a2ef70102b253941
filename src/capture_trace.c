/*
 * capture_trace.c - write the trace (docs/trace-format.md) from what the
 * capture collected and what capture_match.c matched: one `message` per
 * delivery (sender unknown when no send matched and event.source did not
 * identify a frame), one `send` per observed call (x_message names the
 * message it became), `listener`, `frame` and `navigation` records,
 * ordered by time.  Frames are declared before any record that mentions
 * them.
 */
#include "capture_match.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json_safe.h"
#include "mem.h"

struct tr_out {
    double ts;
    int order;
    cJSON *obj;
    int refs[3];      /* frames this record mentions, -1 = none */
};

static const char *
hstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int
streq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* A capture-clock time as trace ts: relative to t0, 3 decimals, >= 0. */
static double
ts3(const struct capture *cap, double t)
{
    t -= cap->t0;
    /* no libm: t >= 0 here */
    return t > 0 ? (double)(long long)(t * 1000.0 + 0.5) / 1000.0 : 0;
}

/* Frame f's trace id: F1, F2, ... in discovery order, mint realms left out. */
static void
fid(const struct capture *cap, char *out, size_t n, int frame)
{
    snprintf(out, n, "F%d", cap->frames[frame].no);
}

void
cap_number_frames(struct capture *cap)
{
    int no = 0;
    for (int i = 0; i < cap->nframes; i++)
        cap->frames[i].no = cap->frames[i].hidden ? 0 : ++no;
}

static void
tr_emit(struct tr *t, double ts, cJSON *obj, int r0, int r1, int r2)
{
    if (t->nout == t->cap_out) {
        t->cap_out = t->cap_out ? t->cap_out * 2 : 64;
        t->out = xrealloc(t->out, (size_t)t->cap_out * sizeof *t->out);
    }
    struct tr_out *o = &t->out[t->nout];
    o->ts = ts;
    o->order = t->nout;
    o->obj = obj;
    o->refs[0] = r0;
    o->refs[1] = r1;
    o->refs[2] = r2;
    t->nout++;
}

static cJSON *
tr_record(const char *type)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "v", 1);
    cJSON_AddStringToObject(o, "type", type);
    return o;
}

static void
tr_add_frame_ref(const struct capture *cap, cJSON *o, const char *key,
                 int frame)
{
    char id[24];
    if (frame < 0 || cap->frames[frame].hidden) {
        cJSON_AddNullToObject(o, key);
        return;
    }
    fid(cap, id, sizeof id, frame);
    cJSON_AddStringToObject(o, key, id);
}

/* The hooks' data text as JSON (a string when it does not parse). */
static cJSON *
tr_data(const char *text)
{
    cJSON *v = text ? cJSON_Parse(text) : NULL;
    return v ? v : cJSON_CreateString(text ? text : "");
}

static void
tr_add_size(cJSON *o, const cJSON *rec)
{
    const cJSON *size = cJSON_GetObjectItemCaseSensitive(rec, "size");
    if (cJSON_IsNumber(size))
        cJSON_AddNumberToObject(o, "x_size", size->valuedouble);
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "trunc")))
        cJSON_AddTrueToObject(o, "x_truncated");
}

/* "via" and "port" members: C1... for MessagePorts, the channel name for
 * BroadcastChannel. */
static void
tr_add_via(struct tr *t, cJSON *o, const char *via, int frame, const char *port)
{
    if (strcmp(via, "port") == 0) {
        cJSON_AddStringToObject(o, "via", "port");
        int label = tr_channel_label(t, tr_port_node(t, frame, port));
        if (label) {
            char pl[24];
            snprintf(pl, sizeof pl, "C%d", label);
            cJSON_AddStringToObject(o, "port", pl);
        }
    } else if (strcmp(via, "broadcast") == 0) {
        cJSON_AddStringToObject(o, "via", "broadcast");
        cJSON_AddStringToObject(o, "port", port ? port : "");
    } else {
        cJSON_AddStringToObject(o, "via", "window");
    }
}

static void
tr_messages(struct tr *t, struct capture_result *res)
{
    struct capture *cap = t->cap;
    /* ids in delivery order */
    for (int i = 0; i < t->ndels; i++) {
        struct tr_deliver *d = &t->dels[i];
        const cJSON *rec = cap->hooks[d->hook].rec;
        int is_window = strcmp(d->via, "window") == 0;
        const struct tr_send *s = d->send >= 0 ? &t->sends[d->send] : NULL;
        cJSON *o = tr_record("message");
        char id[24];
        snprintf(id, sizeof id, "M%d", i + 1);
        cJSON_AddStringToObject(o, "id", id);
        cJSON_AddNumberToObject(o, "ts", ts3(cap, d->ts));
        tr_add_frame_ref(cap, o, "sender", d->sender);
        tr_add_frame_ref(cap, o, "receiver", d->frame);
        if (is_window && s && s->to)
            cJSON_AddStringToObject(o, "target_origin", s->to);
        else
            cJSON_AddNullToObject(o, "target_origin");
        tr_add_via(t, o, d->via, d->frame, d->port);
        if (s) {
            const cJSON *cause = cJSON_GetObjectItemCaseSensitive(
                cap->hooks[s->hook].rec, "cause");
            int e = cJSON_IsNumber(cause)
                        ? tr_window_delivery(t, s->frame, cause->valueint, s->ts)
                        : -1;
            if (e >= 0 && e != i) {
                char cid[24];
                snprintf(cid, sizeof cid, "M%d", e + 1);
                cJSON_AddStringToObject(o, "cause", cid);
            }
        }
        cJSON_AddItemToObject(o, "data", tr_data(d->data));
        /* event.origin is "" for MessagePort messages */
        if (d->origin && d->origin[0])
            cJSON_AddStringToObject(o, "sender_origin", d->origin);
        else if (s && s->origin)
            cJSON_AddStringToObject(o, "sender_origin", s->origin);
        if (d->self_origin)
            cJSON_AddStringToObject(o, "receiver_origin", d->self_origin);
        tr_add_size(o, rec);
        int nports = cJSON_GetArraySize(d->ports);
        if (nports > 0)
            cJSON_AddNumberToObject(o, "x_ports_transferred", nports);
        if (!s)
            cJSON_AddStringToObject(o, "x_sender_by",
                                    d->sender < 0 ? "unknown" :
                                    strcmp(d->via, "port") == 0 ? "channel"
                                                                : "event.source");
        tr_emit(t, d->ts, o, d->sender, d->frame, -1);
        res->messages++;
        if (is_window && s)
            res->window_at_sender++;
        else if (is_window)
            res->window_at_receiver++;
    }
    /* every observed call, linked to the message it became */
    for (int j = 0; j < t->nsends; j++) {
        const struct tr_send *s = &t->sends[j];
        const cJSON *rec = cap->hooks[s->hook].rec;
        cJSON *o = tr_record("send");
        int frame = s->frame;
        tr_add_frame_ref(cap, o, "frame", frame);
        cJSON_AddNumberToObject(o, "ts", ts3(cap, s->ts));
        if (strcmp(s->via, "window") != 0 || !s->to)
            cJSON_AddNullToObject(o, "target_origin");
        else
            cJSON_AddStringToObject(o, "target_origin", s->to);
        tr_add_via(t, o, s->via, s->frame, s->port);
        cJSON_AddItemToObject(o, "data", tr_data(s->data));
        const char *u = hstr(rec, "u");
        if (u && strstr(u, "://"))
            cJSON_AddStringToObject(o, "script_url", u);
        const cJSON *l = cJSON_GetObjectItemCaseSensitive(rec, "l");
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(rec, "c");
        if (cJSON_IsNumber(l) && l->valueint >= 1)
            cJSON_AddNumberToObject(o, "line", l->valueint);
        if (cJSON_IsNumber(c) && c->valueint >= 1)
            cJSON_AddNumberToObject(o, "col", c->valueint);
        if (hstr(rec, "s"))
            cJSON_AddStringToObject(o, "stack", hstr(rec, "s"));
        if (s->rel)
            cJSON_AddStringToObject(o, "x_target", s->rel);
        tr_add_size(o, rec);
        if (s->msg >= 0) {
            char id[24];
            snprintf(id, sizeof id, "M%d", s->msg + 1);
            cJSON_AddStringToObject(o, "x_message", id);
        } else if (hstr(rec, "error")) {
            cJSON_AddFalseToObject(o, "x_delivered");
            cJSON_AddStringToObject(o, "x_error", hstr(rec, "error"));
        } else {
            cJSON_AddFalseToObject(o, "x_delivered");
            res->unmatched_sends++;
        }
        tr_emit(t, s->ts, o, frame, -1, -1);
        res->sends++;
    }
}

static int
hint(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valueint : 0;
}

/* Hash of what makes two listener records the same registration. */
static unsigned
tr_listener_key(int frame, const cJSON *r)
{
    static const char *const keys[] = { "src", "u", "target", "api" };
    unsigned h = 2166136261u ^ (unsigned)frame;
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
        h = (h * 16777619u) ^ tr_hash(hstr(r, keys[k]));
    h = (h * 16777619u) ^ (unsigned)hint(r, "l");
    return (h * 16777619u) ^ (unsigned)hint(r, "c");
}

static int
tr_same_listener(const struct capture *cap, int a, int b)
{
    const cJSON *x = cap->hooks[a].rec, *y = cap->hooks[b].rec;
    static const char *const keys[] = { "src", "u", "target", "api" };
    if (cap->hooks[a].frame != cap->hooks[b].frame ||
        hint(x, "l") != hint(y, "l") || hint(x, "c") != hint(y, "c"))
        return 0;
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        const char *p = hstr(x, keys[k]), *q = hstr(y, keys[k]);
        if (p ? !streq(p, q) : q != NULL)
            return 0;
    }
    return 1;
}

static void
tr_listeners(struct tr *t, struct capture_result *res)
{
    struct capture *cap = t->cap;
    /* the same handler registered again at the same place: written once */
    size_t slots = 64;
    while (slots < (size_t)cap->nhooks * 2)
        slots *= 2;
    int *seen = xmalloc(slots * sizeof *seen);
    for (size_t k = 0; k < slots; k++)
        seen[k] = -1;
    for (int i = 0; i < cap->nhooks; i++) {
        const cJSON *r = cap->hooks[i].rec;
        if (!streq(hstr(r, "k"), "listen"))
            continue;
        size_t slot = tr_listener_key(cap->hooks[i].frame, r) & (slots - 1);
        int dup = 0;
        while (seen[slot] >= 0 && !dup) {
            dup = tr_same_listener(cap, seen[slot], i);
            slot = (slot + 1) & (slots - 1);
        }
        if (dup)
            continue;
        seen[slot] = i;
        const char *src = hstr(r, "src"), *u = hstr(r, "u");
        const char *target = hstr(r, "target"), *api = hstr(r, "api");
        int line = hint(r, "l"), col = hint(r, "c");
        /* registered on another window through this realm's function */
        int frame = cap->hooks[i].frame;
        const char *rel = hstr(r, "rel");
        if (rel) {
            int to = tr_resolve(t, frame, rel, cap->hooks[i].ts);
            if (to >= 0)
                frame = to;
        }
        cJSON *o = tr_record("listener");
        tr_add_frame_ref(cap, o, "frame", frame);
        if (rel && frame == cap->hooks[i].frame && strcmp(rel, "self") != 0)
            cJSON_AddStringToObject(o, "x_registered_on", rel);
        if (u && strstr(u, "://"))
            cJSON_AddStringToObject(o, "script_url", u);
        else
            cJSON_AddNullToObject(o, "script_url");
        if (line >= 1)
            cJSON_AddNumberToObject(o, "line", line);
        if (col >= 1)
            cJSON_AddNumberToObject(o, "col", col);
        cJSON_AddStringToObject(o, "source", src ? src : "");
        cJSON_AddNumberToObject(o, "ts", ts3(cap, cap->hooks[i].ts));
        if (target)
            cJSON_AddStringToObject(o, "target", target);
        if (api)
            cJSON_AddStringToObject(o, "x_api", api);
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "capture")))
            cJSON_AddTrueToObject(o, "x_capture");
        tr_emit(t, cap->hooks[i].ts, o, frame, -1, -1);
        res->listeners++;
    }
    free(seen);
}

/* The origin the hooks saw in frame f, when the URL alone would not say it. */
static const char *
tr_frame_origin(const struct capture *cap, int f)
{
    const char *url = cap->frames[f].url;
    for (int i = 0; i < cap->nhooks; i++) {
        if (cap->hooks[i].frame != f)
            continue;
        const char *o = hstr(cap->hooks[i].rec, "o");
        if (!o)
            return NULL;
        int plain = url && (strncmp(url, "http://", 7) == 0 ||
                            strncmp(url, "https://", 8) == 0);
        return (!plain || strcmp(o, "null") == 0) ? o : NULL;
    }
    return NULL;
}

static cJSON *
tr_frame_record(const struct capture *cap, int f)
{
    static const char *const kinds[] = { "top", "iframe", "popup" };
    const struct cap_frame *fr = &cap->frames[f];
    cJSON *o = tr_record("frame");
    char id[24];
    fid(cap, id, sizeof id, f);
    cJSON_AddStringToObject(o, "id", id);
    cJSON_AddStringToObject(o, "kind", kinds[fr->kind]);
    if (fr->url)
        cJSON_AddStringToObject(o, "url", fr->url);
    else
        cJSON_AddNullToObject(o, "url");
    tr_add_frame_ref(cap, o, "parent", fr->kind == CAP_IFRAME ? fr->parent : -1);
    tr_add_frame_ref(cap, o, "opener", fr->opener);
    cJSON_AddNumberToObject(o, "ts", ts3(cap, fr->ts < 0 ? 0 : fr->ts));
    const char *origin = tr_frame_origin(cap, f);
    if (origin)
        cJSON_AddStringToObject(o, "origin", origin);
    return o;
}

static int
cmp_out(const void *a, const void *b)
{
    const struct tr_out *x = a, *y = b;
    if (x->ts != y->ts)
        return x->ts < y->ts ? -1 : 1;
    return x->order - y->order;
}

static int
tr_print(FILE *f, cJSON *o)
{
    char *text = cJSON_PrintUnformatted(o);
    if (!text)
        return -1;
    int rc = json_puts_safe(text, f);
    free(text);
    return rc;
}

/* Write frame f's record unless written; its parent and opener first. */
static int
tr_declare(const struct capture *cap, FILE *f, char *declared, int fr, int depth)
{
    if (fr < 0 || declared[fr] || depth > 1000 || cap->frames[fr].hidden)
        return 0;
    declared[fr] = 1;
    if (tr_declare(cap, f, declared, cap->frames[fr].parent, depth + 1) < 0 ||
        tr_declare(cap, f, declared, cap->frames[fr].opener, depth + 1) < 0)
        return -1;
    cJSON *o = tr_frame_record(cap, fr);
    int rc = tr_print(f, o);
    cJSON_Delete(o);
    return rc;
}

/*
 * When navigation n committed, on the hooks' clock.  pmscope hears of it
 * (Page.frameNavigated) a little after the commit, and the new document's
 * scripts may already have added listeners by then, with earlier hook
 * times: sorted by time they would land in the old document.  The first
 * hook of the frame that arrived after the event came from the new
 * document, so the navigation is no later than it.
 */
static double
tr_nav_ts(const struct capture *cap, const struct cap_nav *n)
{
    for (int j = n->first_hook; j < cap->nhooks; j++)
        if (cap->hooks[j].frame == n->frame)
            return cap->hooks[j].ts < n->ts ? cap->hooks[j].ts : n->ts;
    return n->ts;
}

enum pm_rc
cap_trace_write(struct capture *cap, FILE *f, const char *name,
                struct capture_result *res, struct pm_err *err)
{
    struct tr t;
    memset(&t, 0, sizeof t);
    t.cap = cap;
    cap_number_frames(cap);
    errno = 0; /* a failed write leaves its reason here */
    tr_match(&t);
    /* Navigations first: at equal times a navigation precedes what the new
     * document did (the sort keeps emission order for ties). */
    for (int i = 0; i < cap->nnavs; i++) {
        double ts = tr_nav_ts(cap, &cap->navs[i]);
        cJSON *o = tr_record("navigation");
        tr_add_frame_ref(cap, o, "frame", cap->navs[i].frame);
        cJSON_AddStringToObject(o, "url", cap->navs[i].url);
        cJSON_AddNumberToObject(o, "ts", ts3(cap, ts));
        tr_emit(&t, ts, o, cap->navs[i].frame, -1, -1);
    }
    tr_messages(&t, res);
    tr_listeners(&t, res);
    res->frames = 0;
    for (int i = 0; i < cap->nframes; i++) {
        if (cap->frames[i].hidden)
            continue;
        tr_emit(&t, cap->frames[i].ts, NULL, i, -1, -1);
        res->frames++;
    }
    qsort(t.out, (size_t)t.nout, sizeof *t.out, cmp_out);

    int bad = 0;
    cJSON *meta = tr_record("meta");
    cJSON_AddStringToObject(meta, "tool", "pmscope-capture");
    cJSON_AddStringToObject(meta, "tool_version", PM_VERSION);
    cJSON_AddStringToObject(meta, "start_url", cap->opts->url);
    char iso[48], base[32];
    double start_ms = cap->start_epoch_ms + cap->t0;
    time_t sec = (time_t)(start_ms / 1000.0);
    struct tm tm;
    gmtime_r(&sec, &tm);
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(iso, sizeof iso, "%s.%03dZ", base,
             (int)(start_ms - (double)sec * 1000.0) % 1000);
    cJSON_AddStringToObject(meta, "started", iso);
    bad |= tr_print(f, meta);
    cJSON_Delete(meta);
    char *declared = xcalloc((size_t)cap->nframes + 1, 1);
    for (int i = 0; i < t.nout; i++) {
        struct tr_out *o = &t.out[i];
        for (int k = 0; k < 3; k++)
            bad |= tr_declare(cap, f, declared, o->refs[k], 0);
        if (o->obj) {
            bad |= tr_print(f, o->obj);
            cJSON_Delete(o->obj);
        }
    }
    free(declared);
    free(t.out);
    tr_match_release(&t);
    if (bad || ferror(f))
        return pm_err_at(err, PM_ERR_IO, name, 0, 0,
                         "cannot write the trace: %s",
                         errno ? strerror(errno) : "write error");
    return PM_OK;
}

