/*
 * flow.c - reply correlation and flow ids (see flow.h).
 *
 * One pass over a source's messages in time order.  Every message is
 * remembered in a hash table under (correlation key, sender, receiver) and,
 * for MessagePort traffic, under (port, sender, receiver); a message is a
 * reply when the table holds an earlier message with the same key going the
 * other way.  Endpoints are windows, or origins when the window is unknown.
 * A message whose record names its cause (the trace's "cause": the message
 * being handled in the sender when it was sent) is a reply to that message
 * when it goes back to the cause's sender, correlation field or not; the
 * cause is found in a third table under (its id, sender, receiver).
 *
 * Memory does not grow with the number of messages.  The port table holds
 * one entry per (port, direction): a MessagePort conversation continues
 * however long the port stays quiet.  In the key and cause tables an entry
 * older than FLOW_WINDOW messages (of the source, in time order) no longer
 * answers lookups and is dropped when the table would grow, so each holds
 * at most ~4 * FLOW_WINDOW slots (48 bytes each) however long the trace: a
 * reply more than FLOW_WINDOW messages after its request is not linked.
 *
 * A message's reply_to and flow_id are written as soon as it is read: the
 * read is ordered by ts through SQLite's sorter and the update touches
 * neither ts nor source_id, so it cannot disturb the read.
 */
#include "flow.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

#define KEY_VALUE_MAX 128

/* Messages after which a keyed message can no longer be answered (above). */
#define FLOW_WINDOW 65536u

static const char *const corr_fields[] = {
    "id", "requestId", "request_id", "reqId", "messageId", "message_id",
    "msgId", "msg_id", "callId", "call_id", "callbackId", "callback_id",
    "correlationId", "correlation_id", "transactionId", "uuid", "seq",
    "nonce", NULL,
};

static int
key_from_object(const cJSON *o, char *out, size_t outsz)
{
    for (int i = 0; corr_fields[i]; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, corr_fields[i]);
        if (cJSON_IsNumber(v)) {
            snprintf(out, outsz, "%s=%.17g", corr_fields[i], v->valuedouble);
            return 1;
        }
        if (cJSON_IsString(v) && v->valuestring[0] &&
            strlen(v->valuestring) <= KEY_VALUE_MAX) {
            snprintf(out, outsz, "%s=\"%s\"", corr_fields[i], v->valuestring);
            return 1;
        }
    }
    return 0;
}

int
flow_correlation_key(const char *data_json, char *out, size_t outsz)
{
    if (data_json == NULL || outsz == 0)
        return 0;
    out[0] = '\0';
    cJSON *j = cJSON_Parse(data_json);
    if (j == NULL)
        return 0;
    int found = 0;
    if (cJSON_IsObject(j)) {
        found = key_from_object(j, out, outsz);
    } else if (cJSON_IsString(j) && j->valuestring[0] == '{') {
        /* data sent as serialized JSON */
        cJSON *inner = cJSON_Parse(j->valuestring);
        if (cJSON_IsObject(inner))
            found = key_from_object(inner, out, outsz);
        cJSON_Delete(inner);
    }
    cJSON_Delete(j);
    return found;
}

/* ---- hash table -------------------------------------------------------- */

struct slot {
    uint64_t key, a, b;      /* key hash, sender and receiver endpoints */
    int64_t id, flow_id;     /* the message remembered; id 0 = empty slot */
    uint64_t seq;            /* its position in the pass (1-based) */
};

struct table {
    struct slot *v;
    size_t cap, n;
    uint64_t window; /* messages an entry stays live; 0 = for ever */
};

static uint64_t
fnv64(const char *s, uint64_t salt)
{
    uint64_t h = 1469598103934665603ull ^ salt;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static uint64_t
mix(uint64_t k, uint64_t a, uint64_t b)
{
    uint64_t h = k ^ (a * 0x9E3779B97F4A7C15ull) ^ (b * 0xC2B2AE3D27D4EB4Full);
    h ^= h >> 31;
    return h * 0xBF58476D1CE4E5B9ull;
}

/* An entry of t remembered at seq is still live when the pass is at now. */
static int
slot_live(const struct table *t, const struct slot *e, uint64_t now)
{
    return e->id != 0 && (t->window == 0 || e->seq + t->window > now);
}

static size_t
table_find(const struct table *t, uint64_t key, uint64_t a, uint64_t b)
{
    size_t i = mix(key, a, b) & (t->cap - 1);
    while (t->v[i].id && !(t->v[i].key == key && t->v[i].a == a && t->v[i].b == b))
        i = (i + 1) & (t->cap - 1);
    return i;
}

/*
 * Make room for one more entry: rehash the live entries (those within the
 * table's window of now), doubling the table only when they fill more than
 * a quarter of it.  Each rehash follows at least cap/4 insertions.
 */
static void
table_make_room(struct table *t, uint64_t now)
{
    if (t->cap && (t->n + 1) * 2 <= t->cap)
        return;
    struct table old = *t;
    size_t live = 0;
    for (size_t i = 0; i < old.cap; i++)
        live += slot_live(&old, &old.v[i], now);
    t->cap = old.cap == 0 ? 1024 : (live + 1) * 4 > old.cap ? old.cap * 2 : old.cap;
    t->v = xcalloc(t->cap, sizeof *t->v);
    t->n = 0;
    for (size_t i = 0; i < old.cap; i++) {
        if (slot_live(&old, &old.v[i], now)) {
            t->v[table_find(t, old.v[i].key, old.v[i].a, old.v[i].b)] = old.v[i];
            t->n++;
        }
    }
    free(old.v);
}

/* Insert or replace (the latest message wins). */
static void
table_put(struct table *t, uint64_t key, uint64_t a, uint64_t b, int64_t id,
          int64_t flow_id, uint64_t now)
{
    table_make_room(t, now);
    size_t i = table_find(t, key, a, b);
    if (!t->v[i].id)
        t->n++;
    t->v[i] = (struct slot){key, a, b, id, flow_id, now};
}

/* The live entry under (key, a, b), NULL when none. */
static const struct slot *
table_get(const struct table *t, uint64_t key, uint64_t a, uint64_t b,
          uint64_t now)
{
    if (t->cap == 0)
        return NULL;
    const struct slot *e = &t->v[table_find(t, key, a, b)];
    return slot_live(t, e, now) ? e : NULL;
}

/* ---- linking ----------------------------------------------------------- */

struct link_ctx {
    struct pm_store *st;
    struct pm_err *err;
    uint64_t seq;
    struct table keys, ports, causes;
    long linked;
    /* The previous message's new links, written when the walk has let go
     * of its row: rewriting a row while it is still being read holds a
     * large message three times (the read, the old row, the new one). */
    struct {
        int64_t id, reply_to, flow_id;
        int set;
    } pending;
};

static enum pm_rc
flush_pending(struct link_ctx *c)
{
    if (!c->pending.set)
        return PM_OK;
    c->pending.set = 0;
    return store_set_message_flow(c->st, c->pending.id, c->pending.reply_to,
                                  c->pending.flow_id, c->err);
}

static uint64_t
endpoint(int64_t window_id, int64_t origin_id)
{
    if (window_id > 0)
        return (uint64_t)window_id;
    if (origin_id > 0)
        return (uint64_t)origin_id | (1ull << 62);
    return 0;
}

static int
link_message(const struct pm_flow_msg *m, void *vctx)
{
    struct link_ctx *c = vctx;
    if (flush_pending(c) != PM_OK)
        return 1;
    uint64_t now = ++c->seq;
    int64_t reply_to = 0, flow_id = m->id;
    uint64_t from = endpoint(m->sender_window_id, m->sender_origin_id);
    uint64_t to = endpoint(m->receiver_window_id, m->receiver_origin_id);
    /* The same two ends by origin alone: a request whose sending window
     * was not recorded (a send through window[i] seen at the receiver)
     * is still answered to that window's origin. */
    uint64_t from_o = endpoint(0, m->sender_origin_id);
    uint64_t to_o = endpoint(0, m->receiver_origin_id);
    int by_origin = from_o && to_o && (from_o != from || to_o != to);
    const struct slot *req = NULL;
    char key[KEY_VALUE_MAX + 64];
    int port = m->via && strcmp(m->via, "port") == 0 && m->port && m->port[0];
    int keyed = (from || to) && flow_correlation_key(m->data_json, key, sizeof key);
    uint64_t ph = port ? fnv64(m->port, 0x5050) : 0;
    uint64_t kh = keyed ? fnv64(key, 0x4b4b) : 0;
    if (port)
        req = table_get(&c->ports, ph, to, from, now);
    if (req == NULL && keyed)
        req = table_get(&c->keys, kh, to, from, now);
    if (req == NULL && keyed && by_origin)
        req = table_get(&c->keys, kh, to_o, from_o, now);
    if (req == NULL && m->cause && m->cause[0])
        req = table_get(&c->causes, fnv64(m->cause, 0x4944), to, from, now);
    if (req) {
        reply_to = req->id;
        flow_id = req->flow_id;
        c->linked++;
    }
    if (port)
        table_put(&c->ports, ph, from, to, m->id, flow_id, now);
    if (keyed)
        table_put(&c->keys, kh, from, to, m->id, flow_id, now);
    if (keyed && by_origin)
        table_put(&c->keys, kh, from_o, to_o, m->id, flow_id, now);
    if ((from || to) && m->ext_id && m->ext_id[0])
        table_put(&c->causes, fnv64(m->ext_id, 0x4944), from, to, m->id,
                  flow_id, now);
    if (reply_to != m->reply_to || flow_id != m->flow_id) {
        c->pending.id = m->id;
        c->pending.reply_to = reply_to;
        c->pending.flow_id = flow_id;
        c->pending.set = 1;
    }
    return 0;
}

enum pm_rc
flow_link_source(struct pm_store *st, int64_t source_id, long *linked,
                 struct pm_err *err)
{
    struct link_ctx c;
    memset(&c, 0, sizeof c);
    c.st = st;
    c.err = err;
    c.keys.window = FLOW_WINDOW;
    c.causes.window = FLOW_WINDOW;
    enum pm_rc rc = store_each_message_by_time(st, source_id, link_message, &c, err);
    if (rc == PM_OK)
        rc = err->rc;
    if (rc == PM_OK)
        rc = flush_pending(&c);
    if (linked)
        *linked += c.linked;
    free(c.keys.v);
    free(c.ports.v);
    free(c.causes.v);
    return rc;
}
