/*
 * capture_trace.c - turn what the hooks reported into trace records
 * (docs/trace-format.md) and write them ordered by time.
 *
 * Matching.  The hooks report each postMessage call at the sender ("send")
 * and each message event at the receiver ("deliver") separately, from
 * different renderer processes; nothing is carried inside the message
 * itself, so the page sees exactly what it would without pmscope.  A
 * delivery is matched to the earliest unmatched send that has the same
 * serialized data, whose sender origin equals event.origin, whose
 * targetOrigin admits the receiver, and that was made in another frame.  A BroadcastChannel post is one send with a delivery in every
 * other instance of the channel: each delivery takes the earliest send on
 * that channel name with the same data and origin that has not yet reached
 * the delivery's frame.  MessagePorts: the hooks give every port a per-realm id and
 * report which two ids a MessageChannel created; a port transferred with a
 * matched window message is the same port under the receiver's id, so a
 * port delivery is matched to a send made on the other end of its channel.
 *
 * Output: one `message` per delivery (sender unknown when no send matched
 * and event.source did not identify a frame), one `send` per observed call
 * (x_message names the message it became), `listener`, `frame` and
 * `navigation` records.  Frames are declared before any record that
 * mentions them.
 */
#include "capture_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "mem.h"

struct tr_send {
    int hook;
    int frame;
    double ts;
    const char *via, *rel, *to, *data, *origin, *port;
    const cJSON *ports;
    int msg;          /* matched message index, -1 */
    int failed;       /* the call threw (DataCloneError...): sent nothing */
    int bc_frames[16];/* broadcast: frames that got this send already */
    int nbc;
};

struct tr_deliver {
    int hook;
    int frame;
    double ts;
    const char *via, *src, *origin, *data, *self_origin, *port;
    const cJSON *ports;
    int seq;
    int send;         /* matched send index, -1 */
    int sender;       /* resolved sender frame, -1 */
};

struct tr_port {
    int frame;
    const char *id;
    int alias;        /* the same port under an earlier id, -1 */
    int peer;         /* the other end of its channel, -1 */
    int label;        /* channel label number, 0 = none yet */
};

struct tr_out {
    double ts;
    int order;
    cJSON *obj;
    int refs[3];      /* frames this record mentions, -1 = none */
};

/* Sends indexed by a hash of their data, in ts order within a hash. */
struct tr_cand {
    unsigned hash;
    int send;
};

/* MessagePort ids tracked (lookups are linear). */
#define TR_MAX_PORTS 4096

/* At most this many candidate sends are examined per delivery. */
#define TR_MAX_SCAN 2000

struct tr {
    struct capture *cap;
    struct tr_send *sends;
    int nsends;
    struct tr_cand *cand;  /* nsends entries, sorted by (hash, send) */
    int *cursor;           /* per bucket start: first send not used up */
    struct tr_deliver *dels;
    int ndels;
    struct tr_port *ports;
    int nports, cap_ports;
    int labels;
    struct tr_out *out;
    int nout, cap_out;
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

static void
fid(char *out, size_t n, int frame)
{
    snprintf(out, n, "F%d", frame + 1);
}

/* "scheme://host:port" prefix of a URL or origin, for comparison. */
static size_t
origin_prefix_len(const char *s)
{
    const char *p = strstr(s, "://");
    if (!p)
        return strlen(s);
    const char *slash = strchr(p + 3, '/');
    return slash ? (size_t)(slash - s) : strlen(s);
}

/* Would a postMessage with targetOrigin `to` reach a document of origin `o`? */
static int
target_admits(const char *to, const char *o)
{
    if (!to || !o)
        return 1;
    if (strcmp(to, "*") == 0 || strcmp(to, "/") == 0)
        return 1;
    size_t n = origin_prefix_len(to);
    return strlen(o) == n && strncasecmp(to, o, n) == 0;
}

static int
tr_port_node(struct tr *t, int frame, const char *id)
{
    if (!id)
        return -1;
    for (int i = 0; i < t->nports; i++)
        if (t->ports[i].frame == frame && strcmp(t->ports[i].id, id) == 0)
            return i;
    if (t->nports >= TR_MAX_PORTS)
        return -1;
    if (t->nports == t->cap_ports) {
        t->cap_ports = t->cap_ports ? t->cap_ports * 2 : 16;
        t->ports = xrealloc(t->ports, (size_t)t->cap_ports * sizeof *t->ports);
    }
    struct tr_port *p = &t->ports[t->nports];
    p->frame = frame;
    p->id = id;
    p->alias = p->peer = -1;
    p->label = 0;
    return t->nports++;
}

static int
tr_port_canon(const struct tr *t, int n)
{
    for (int guard = 0; n >= 0 && t->ports[n].alias >= 0 && guard < 1000;
         guard++)
        n = t->ports[n].alias;
    return n;
}

/* The frame currently holding port node n (the latest alias of it). */
static int
tr_port_holder(const struct tr *t, int n)
{
    int best = -1;
    for (int i = 0; i < t->nports; i++)
        if (tr_port_canon(t, i) == n)
            best = i;
    return best >= 0 ? t->ports[best].frame : -1;
}

static int
tr_root(const struct capture *cap, int f)
{
    for (int guard = 0; f >= 0 && cap->frames[f].parent >= 0 && guard < 1000;
         guard++)
        f = cap->frames[f].parent;
    return f;
}

/* The i-th child frame of f, in discovery order. */
static int
tr_child(const struct capture *cap, int f, long idx)
{
    for (int i = 0; i < cap->nframes; i++)
        if (cap->frames[i].parent == f && idx-- == 0)
            return i;
    return -1;
}

/*
 * Resolve how a window was reached (relationOf/wrapWindow in the hooks)
 * from frame f to a frame index, or -1 when it cannot be known.
 */
static int
tr_resolve(const struct tr *t, int f, const char *rel)
{
    const struct capture *cap = t->cap;
    if (!rel || f < 0)
        return -1;
    if (strcmp(rel, "self") == 0)
        return f;
    if (strcmp(rel, "parent") == 0)
        return cap->frames[f].parent >= 0 ? cap->frames[f].parent : f;
    if (strcmp(rel, "top") == 0)
        return tr_root(cap, f);
    if (strcmp(rel, "opener") == 0)
        return cap->frames[f].opener;
    if (strncmp(rel, "frames[", 7) == 0)
        return tr_child(cap, f, strtol(rel + 7, NULL, 10));
    if (strncmp(rel, "iframe:", 7) == 0) {
        for (int i = 0; i < cap->nframes; i++)
            if (cap->frames[i].parent == f && streq(cap->frames[i].url, rel + 7))
                return i;
        return -1;
    }
    if (strncmp(rel, "popup:", 6) == 0) {
        int any = -1;
        for (int i = 0; i < cap->nframes; i++) {
            if (cap->frames[i].opener != f)
                continue;
            if (streq(cap->frames[i].url, rel + 6))
                return i;
            if (any < 0)
                any = i;
        }
        return any;
    }
    if (strncmp(rel, "source:", 7) == 0) {
        int seq = (int)strtol(rel + 7, NULL, 10);
        for (int i = 0; i < t->ndels; i++)
            if (t->dels[i].frame == f && t->dels[i].seq == seq &&
                strcmp(t->dels[i].via, "window") == 0)
                return t->dels[i].sender;
    }
    return -1;
}

static int
cmp_send_ts(const void *a, const void *b)
{
    const struct tr_send *x = a, *y = b;
    return x->ts < y->ts ? -1 : x->ts > y->ts ? 1 : x->hook - y->hook;
}

static int
cmp_del_ts(const void *a, const void *b)
{
    const struct tr_deliver *x = a, *y = b;
    return x->ts < y->ts ? -1 : x->ts > y->ts ? 1 : x->hook - y->hook;
}

static void
tr_collect(struct tr *t)
{
    struct capture *cap = t->cap;
    t->sends = xcalloc((size_t)cap->nhooks + 1, sizeof *t->sends);
    t->dels = xcalloc((size_t)cap->nhooks + 1, sizeof *t->dels);
    for (int i = 0; i < cap->nhooks; i++) {
        const cJSON *r = cap->hooks[i].rec;
        const char *k = hstr(r, "k");
        const char *via = hstr(r, "via");
        const char *data = hstr(r, "data");
        if (!k)
            continue;
        if (strcmp(k, "send") == 0 && via && data && hstr(r, "error")) {
            /* a call that threw: kept as a send record, never matched */
            struct tr_send *s = &t->sends[t->nsends++];
            memset(s, 0, sizeof *s);
            s->hook = i;
            s->frame = cap->hooks[i].frame;
            s->ts = cap->hooks[i].ts;
            s->via = via;
            s->failed = 1;
            s->rel = hstr(r, "rel");
            s->to = hstr(r, "to");
            s->data = data;
            s->origin = hstr(r, "o");
            s->msg = -1;
        } else if (strcmp(k, "send") == 0 && via && data) {
            struct tr_send *s = &t->sends[t->nsends++];
            s->hook = i;
            s->frame = cap->hooks[i].frame;
            s->ts = cap->hooks[i].ts;
            s->via = via;
            s->rel = hstr(r, "rel");
            s->to = hstr(r, "to");
            s->data = data;
            s->origin = hstr(r, "o");
            s->port = hstr(r, "port");
            s->ports = cJSON_GetObjectItemCaseSensitive(r, "ports");
            s->msg = -1;
        } else if (strcmp(k, "deliver") == 0 && via && data) {
            struct tr_deliver *d = &t->dels[t->ndels++];
            d->hook = i;
            d->frame = cap->hooks[i].frame;
            d->ts = cap->hooks[i].ts;
            d->via = via;
            d->src = hstr(r, "src");
            d->origin = hstr(r, "origin");
            d->self_origin = hstr(r, "o");
            d->data = data;
            d->port = hstr(r, "port");
            d->ports = cJSON_GetObjectItemCaseSensitive(r, "ports");
            const cJSON *seq = cJSON_GetObjectItemCaseSensitive(r, "seq");
            d->seq = cJSON_IsNumber(seq) ? seq->valueint : 0;
            d->send = d->sender = -1;
        } else if (strcmp(k, "channel") == 0) {
            int a = tr_port_node(t, cap->hooks[i].frame, hstr(r, "a"));
            int b = tr_port_node(t, cap->hooks[i].frame, hstr(r, "b"));
            if (a >= 0 && b >= 0) {
                t->ports[a].peer = b;
                t->ports[b].peer = a;
            }
        }
    }
    qsort(t->sends, (size_t)t->nsends, sizeof *t->sends, cmp_send_ts);
    qsort(t->dels, (size_t)t->ndels, sizeof *t->dels, cmp_del_ts);
}

static unsigned
tr_hash(const char *str)
{
    unsigned h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)str; p && *p; p++)
        h = (h ^ *p) * 16777619u;
    return h;
}

static int
cmp_cand(const void *a, const void *b)
{
    const struct tr_cand *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return x->send - y->send;
}

/* Build the data index over t->sends (already in ts order). */
static void
tr_index(struct tr *t)
{
    t->cand = xcalloc((size_t)t->nsends + 1, sizeof *t->cand);
    t->cursor = xcalloc((size_t)t->nsends + 1, sizeof *t->cursor);
    for (int j = 0; j < t->nsends; j++) {
        t->cand[j].hash = tr_hash(t->sends[j].data);
        t->cand[j].send = j;
        t->cursor[j] = j;
    }
    qsort(t->cand, (size_t)t->nsends, sizeof *t->cand, cmp_cand);
}

/*
 * First index position worth examining for sends whose data is `data`
 * (-1: none).  Window and port sends that were already matched at the
 * front of their bucket are skipped once and for all, so a long run of
 * identical messages costs linear time, not quadratic.
 */
static int
tr_candidates(struct tr *t, const char *data, unsigned *hash)
{
    unsigned h = tr_hash(data);
    int lo = 0, hi = t->nsends;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (t->cand[mid].hash < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo >= t->nsends || t->cand[lo].hash != h)
        return -1;
    int p = t->cursor[lo];
    while (p < t->nsends && t->cand[p].hash == h) {
        const struct tr_send *s = &t->sends[t->cand[p].send];
        if (s->msg < 0 || strcmp(s->via, "broadcast") == 0)
            break;
        p++;
    }
    t->cursor[lo] = p;
    *hash = h;
    return p;
}

/* Window messages: match deliveries to sends, resolve senders. */
static void
tr_match_windows(struct tr *t)
{
    for (int i = 0; i < t->ndels; i++) {
        struct tr_deliver *d = &t->dels[i];
        if (strcmp(d->via, "window") != 0)
            continue;
        unsigned h = 0;
        int q = tr_candidates(t, d->data, &h);
        for (int n = 0; q >= 0 && q < t->nsends && t->cand[q].hash == h &&
                        n < TR_MAX_SCAN; q++, n++) {
            int j = t->cand[q].send;
            struct tr_send *s = &t->sends[j];
            if (s->ts > d->ts + 1000.0)
                break;
            if (s->msg >= 0 || s->failed || strcmp(s->via, "window") != 0 ||
                !streq(s->data, d->data) || !streq(s->origin, d->origin))
                continue;
            if (s->frame == d->frame)
                continue;
            if (!target_admits(s->to, d->self_origin))
                continue;
            s->msg = i;
            d->send = j;
            break;
        }
        if (d->send >= 0)
            d->sender = t->sends[d->send].frame;
        else
            d->sender = tr_resolve(t, d->frame, d->src);
    }
}

/* BroadcastChannel deliveries (one send reaches many receivers). */
static void
tr_match_broadcast(struct tr *t)
{
    for (int i = 0; i < t->ndels; i++) {
        struct tr_deliver *d = &t->dels[i];
        if (strcmp(d->via, "broadcast") != 0)
            continue;
        unsigned h = 0;
        int q = tr_candidates(t, d->data, &h);
        for (int n = 0; q >= 0 && q < t->nsends && t->cand[q].hash == h &&
                        n < TR_MAX_SCAN && d->send < 0; q++, n++) {
            int j = t->cand[q].send;
            struct tr_send *s = &t->sends[j];
            if (s->ts > d->ts + 1000.0)
                break;
            if (s->failed || strcmp(s->via, "broadcast") != 0 ||
                !streq(s->port, d->port) || !streq(s->data, d->data) ||
                !streq(s->origin, d->origin))
                continue;
            int seen = 0;
            for (int k = 0; k < s->nbc; k++)
                seen |= s->bc_frames[k] == d->frame;
            if (seen)
                continue;
            if (s->nbc < (int)(sizeof s->bc_frames / sizeof s->bc_frames[0]))
                s->bc_frames[s->nbc++] = d->frame;
            if (s->msg < 0)
                s->msg = i;
            d->send = j;
            d->sender = s->frame;
        }
    }
}

/* Ports moved by matched window messages keep their identity. */
static void
tr_link_transfers(struct tr *t)
{
    for (int i = 0; i < t->ndels; i++) {
        struct tr_deliver *d = &t->dels[i];
        if (d->send < 0)
            continue;
        struct tr_send *s = &t->sends[d->send];
        int n = cJSON_GetArraySize(d->ports);
        if (n == 0 || n != cJSON_GetArraySize(s->ports))
            continue;
        for (int k = 0; k < n; k++) {
            const cJSON *a = cJSON_GetArrayItem(s->ports, k);
            const cJSON *b = cJSON_GetArrayItem(d->ports, k);
            if (!cJSON_IsString(a) || !cJSON_IsString(b))
                continue;
            int from = tr_port_node(t, s->frame, a->valuestring);
            int to = tr_port_node(t, d->frame, b->valuestring);
            if (from >= 0 && to >= 0 && from != to && tr_port_canon(t, from) != to)
                t->ports[to].alias = from;
        }
    }
}

static int
tr_port_peer(const struct tr *t, int n)
{
    n = tr_port_canon(t, n);
    return n >= 0 ? tr_port_canon(t, t->ports[n].peer) : -1;
}

/* Label ("C1", ...) of the channel a port node belongs to; 0 = unknown. */
static int
tr_channel_label(struct tr *t, int n)
{
    int c = tr_port_canon(t, n);
    if (c < 0)
        return 0;
    int p = tr_port_peer(t, c);
    int key = p >= 0 && p < c ? p : c;
    if (!t->ports[key].label)
        t->ports[key].label = ++t->labels;
    return t->ports[key].label;
}

/*
 * Can delivery node dn, whose channel is unknown, be the other end of send
 * node sn?  Only when they live in different frames, sn's channel is known
 * and its other end is not already known to be held somewhere else.
 */
static int
tr_port_adoptable(const struct tr *t, int dn, int sn)
{
    if (t->ports[dn].frame == t->ports[sn].frame || t->ports[dn].alias >= 0)
        return 0;
    int other = tr_port_peer(t, sn);
    if (other < 0 || other == tr_port_canon(t, dn))
        return 0;
    for (int i = 0; i < t->nports; i++)
        if (i != other && tr_port_canon(t, i) == other)
            return 0; /* already linked to another node */
    return 1;
}

static void
tr_match_ports(struct tr *t)
{
    for (int i = 0; i < t->ndels; i++) {
        struct tr_deliver *d = &t->dels[i];
        if (strcmp(d->via, "port") != 0)
            continue;
        int dn = tr_port_node(t, d->frame, d->port);
        int peer = tr_port_peer(t, dn);
        unsigned h = 0;
        int q = dn >= 0 ? tr_candidates(t, d->data, &h) : -1;
        for (int n = 0; q >= 0 && q < t->nsends && t->cand[q].hash == h &&
                        n < TR_MAX_SCAN; q++, n++) {
            int j = t->cand[q].send;
            struct tr_send *s = &t->sends[j];
            if (s->ts > d->ts + 1000.0)
                break;
            if (s->msg >= 0 || s->failed || strcmp(s->via, "port") != 0 ||
                !streq(s->data, d->data))
                continue;
            int sn = tr_port_node(t, s->frame, s->port);
            if (sn < 0)
                continue;
            /* re-fetch: tr_port_node may have grown the array */
            peer = tr_port_peer(t, dn);
            if (peer >= 0 ? tr_port_canon(t, sn) != peer
                          : !tr_port_adoptable(t, dn, sn))
                continue;
            if (peer < 0) {
                /*
                 * The port arrived in a message whose send was not seen
                 * (--no-wrap, or a window the hooks do not wrap): the first
                 * matching send from another frame tells which channel end
                 * this port is.
                 */
                t->ports[dn].alias = tr_port_peer(t, sn);
                peer = tr_port_peer(t, dn);
            }
            s->msg = i;
            d->send = j;
            break;
        }
        if (d->send >= 0)
            d->sender = t->sends[d->send].frame;
        else if (peer >= 0)
            d->sender = tr_port_holder(t, peer);
    }
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
tr_add_frame_ref(cJSON *o, const char *key, int frame)
{
    char id[24];
    if (frame < 0) {
        cJSON_AddNullToObject(o, key);
        return;
    }
    fid(id, sizeof id, frame);
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
        tr_add_frame_ref(o, "sender", d->sender);
        tr_add_frame_ref(o, "receiver", d->frame);
        if (is_window && s && s->to)
            cJSON_AddStringToObject(o, "target_origin", s->to);
        else
            cJSON_AddNullToObject(o, "target_origin");
        tr_add_via(t, o, d->via, d->frame, d->port);
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
    }
    /* every observed call, linked to the message it became */
    for (int j = 0; j < t->nsends; j++) {
        const struct tr_send *s = &t->sends[j];
        const cJSON *rec = cap->hooks[s->hook].rec;
        cJSON *o = tr_record("send");
        int frame = s->frame;
        tr_add_frame_ref(o, "frame", frame);
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
        cJSON *o = tr_record("listener");
        tr_add_frame_ref(o, "frame", cap->hooks[i].frame);
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
        tr_emit(t, cap->hooks[i].ts, o, cap->hooks[i].frame, -1, -1);
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
    fid(id, sizeof id, f);
    cJSON_AddStringToObject(o, "id", id);
    cJSON_AddStringToObject(o, "kind", kinds[fr->kind]);
    if (fr->url)
        cJSON_AddStringToObject(o, "url", fr->url);
    else
        cJSON_AddNullToObject(o, "url");
    tr_add_frame_ref(o, "parent", fr->kind == CAP_IFRAME ? fr->parent : -1);
    tr_add_frame_ref(o, "opener", fr->opener);
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
    int rc = fputs(text, f) < 0 || fputc('\n', f) == EOF ? -1 : 0;
    free(text);
    return rc;
}

/* Write frame f's record unless written; its parent and opener first. */
static int
tr_declare(const struct capture *cap, FILE *f, char *declared, int fr, int depth)
{
    if (fr < 0 || declared[fr] || depth > 1000)
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

enum pm_rc
cap_trace_write(struct capture *cap, FILE *f, struct capture_result *res,
                struct pm_err *err)
{
    struct tr t;
    memset(&t, 0, sizeof t);
    t.cap = cap;
    tr_collect(&t);
    tr_index(&t);
    tr_match_windows(&t);
    tr_match_broadcast(&t);
    tr_link_transfers(&t);
    tr_match_ports(&t);
    tr_messages(&t, res);
    tr_listeners(&t, res);
    for (int i = 0; i < cap->nframes; i++)
        tr_emit(&t, cap->frames[i].ts, NULL, i, -1, -1);
    for (int i = 0; i < cap->nnavs; i++) {
        cJSON *o = tr_record("navigation");
        tr_add_frame_ref(o, "frame", cap->navs[i].frame);
        cJSON_AddStringToObject(o, "url", cap->navs[i].url);
        cJSON_AddNumberToObject(o, "ts", ts3(cap, cap->navs[i].ts));
        tr_emit(&t, cap->navs[i].ts, o, cap->navs[i].frame, -1, -1);
    }
    res->frames = cap->nframes;
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
    free(t.sends);
    free(t.cand);
    free(t.cursor);
    free(t.dels);
    free(t.ports);
    if (bad || ferror(f))
        return pm_err_set(err, PM_ERR_IO, "cannot write the trace");
    return PM_OK;
}
