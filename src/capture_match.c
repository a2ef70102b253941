/*
 * capture_match.c - match what the hooks reported at the senders with what
 * they reported at the receivers.
 *
 * The hooks report each postMessage call at the sender ("send") and each
 * message event at the receiver ("deliver") separately, from different
 * renderer processes; nothing is carried inside the message itself, so
 * the page sees exactly what it would without pmscope.
 *
 * - Window messages: a delivery takes the earliest unmatched send with the
 *   same serialized data, whose sender origin is event.origin, whose
 *   targetOrigin admits the receiver, made in another frame.  Without one,
 *   the sender is what event.source says (parent, opener, frames[i], ...).
 * - BroadcastChannel: one send, a delivery in every other instance; each
 *   delivery takes the earliest send on that channel name with the same
 *   data and origin that has not reached the delivery's frame yet.
 * - MessagePorts: the hooks give every port a per-realm id and report the
 *   two ids each MessageChannel created; a port transferred with a matched
 *   window message is the same port under the receiver's id, so a port
 *   delivery takes a send made on the other end of its channel.
 *
 * Sends are indexed by a hash of their data, so a flood of messages costs
 * linear time; every scan is bounded (TR_MAX_SCAN, TR_MAX_PORTS).
 *
 * Each renderer process stamps its records with its own clock, and two
 * processes can disagree by more than the time between a message and its
 * reply.  tr_match corrects what the matches prove (tr_skew_shifts) and
 * matches again on the corrected times.
 */
#include "capture_match.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mem.h"

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

int
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

int
tr_window_delivery(const struct tr *t, int frame, int seq, double ts)
{
    int lo = 0, hi = t->ndels;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (t->dels[mid].ts <= ts)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (int i = lo - 1; i >= 0; i--)
        if (t->dels[i].frame == frame && t->dels[i].seq == seq &&
            strcmp(t->dels[i].via, "window") == 0)
            return i;
    return -1;
}

/*
 * Resolve how a window was reached (relationOf/wrapWindow in the hooks)
 * from frame f at time ts to a frame index, or -1 when it cannot be known.
 */
int
tr_resolve(const struct tr *t, int f, const char *rel, double ts)
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
        int i = tr_window_delivery(t, f, (int)strtol(rel + 7, NULL, 10), ts);
        if (i >= 0)
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

unsigned
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
            if (s->ts > d->ts + TR_MATCH_WINDOW_MS)
                break;
            if (s->msg >= 0 || s->failed || strcmp(s->via, "window") != 0 ||
                !streq(s->data, d->data) || !streq(s->origin, d->origin))
                continue;
            /* a window posting to itself is the only same-frame send */
            if ((s->frame == d->frame) != streq(s->rel, "self"))
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
            d->sender = tr_resolve(t, d->frame, d->src, d->ts);
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
            if (s->ts > d->ts + TR_MATCH_WINDOW_MS)
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
int
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
            if (s->ts > d->ts + TR_MATCH_WINDOW_MS)
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
tr_match_once(struct tr *t)
{
    tr_collect(t);
    tr_index(t);
    tr_match_windows(t);
    tr_match_broadcast(t);
    tr_link_transfers(t);
    tr_match_ports(t);
}

/*
 * Clock skew.  Correct each frame's times by shift[f] such that
 * - no record is stamped after pmscope received it: shift[f] is at most
 *   bound[f] = min(arrival - ts) over the frame's records, and a frame
 *   whose bound is negative runs ahead and moves back to it at once;
 * - a message is delivered after it was sent: where a matched delivery is
 *   stamped before its send in another frame, the receiving frame moves
 *   later by just enough, if its bound and the matching window (1 s)
 *   allow, so a false match between identical messages cannot move a
 *   frame far.
 * A frame moved later may push the receivers of its own sends in turn: at
 * most one round per frame.  Returns whether any frame moved.
 */
static int
tr_skew_shifts(const struct tr *t, double *shift, int nframes)
{
    const struct capture *cap = t->cap;
    double *bound = xcalloc((size_t)nframes + 1, sizeof *bound);
    int moved = 0;
    for (int f = 0; f < nframes; f++)
        bound[f] = TR_MATCH_WINDOW_MS;
    for (int i = 0; i < cap->nhooks; i++) {
        int f = cap->hooks[i].frame;
        if (f < 0 || f >= nframes || cap->hooks[i].arrival <= 0)
            continue;
        double b = cap->hooks[i].arrival - cap->hooks[i].ts;
        if (b < bound[f])
            bound[f] = b;
    }
    for (int f = 0; f < nframes; f++) {
        if (bound[f] < 0) {
            shift[f] = bound[f];
            moved = 1;
        }
    }
    for (int round = 0; round < nframes; round++) {
        int changed = 0;
        for (int i = 0; i < t->ndels; i++) {
            const struct tr_deliver *d = &t->dels[i];
            if (d->send < 0 || d->frame < 0 || d->frame >= nframes)
                continue;
            const struct tr_send *s = &t->sends[d->send];
            int sf = s->frame, df = d->frame;
            if (sf < 0 || sf >= nframes || sf == df)
                continue;
            double need = (s->ts + shift[sf]) - (d->ts + shift[df]);
            if (need > 0 && shift[df] + need <= bound[df]) {
                shift[df] += need;
                changed = moved = 1;
            }
        }
        if (!changed)
            break;
    }
    free(bound);
    return moved;
}

void
tr_match(struct tr *t)
{
    tr_match_once(t);
    struct capture *cap = t->cap;
    double *shift = xcalloc((size_t)cap->nframes + 1, sizeof *shift);
    if (tr_skew_shifts(t, shift, cap->nframes)) {
        for (int i = 0; i < cap->nhooks; i++) {
            struct cap_hook *h = &cap->hooks[i];
            if (h->frame >= 0 && h->frame < cap->nframes) {
                h->ts += shift[h->frame];
                if (h->ts < 0)
                    h->ts = 0;
            }
        }
        tr_match_release(t);
        tr_match_once(t);
    }
    free(shift);
}

void
tr_match_release(struct tr *t)
{
    free(t->sends);
    free(t->cand);
    free(t->cursor);
    free(t->dels);
    free(t->ports);
    t->sends = NULL;
    t->cand = NULL;
    t->cursor = NULL;
    t->dels = NULL;
    t->ports = NULL;
    t->nsends = t->ndels = t->nports = t->cap_ports = t->labels = 0;
}
