/*
 * flow.c - reply correlation and flow ids (see flow.h).
 *
 * One pass over a source's messages in time order.  Every message is
 * remembered in a hash table under (correlation key, sender, receiver) and,
 * for MessagePort traffic, under (port, sender, receiver); a message is a
 * reply when the table holds an earlier message with the same key going the
 * other way.  Endpoints are windows, or origins when the window is unknown.
 * Memory is a few dozen bytes per message; results are written after the
 * read statement finished.
 */
#include "flow.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

#define KEY_VALUE_MAX 128

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
    uint64_t key, a, b; /* key hash, sender and receiver endpoints */
    uint32_t msg;       /* index + 1; 0 = empty */
};

struct table {
    struct slot *v;
    size_t cap, n;
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

static void table_put(struct table *t, uint64_t key, uint64_t a, uint64_t b,
                      uint32_t msg);

static void
table_grow(struct table *t)
{
    struct table old = *t;
    t->cap = old.cap ? old.cap * 2 : 1024;
    t->v = xcalloc(t->cap, sizeof *t->v);
    t->n = 0;
    for (size_t i = 0; i < old.cap; i++)
        if (old.v[i].msg)
            table_put(t, old.v[i].key, old.v[i].a, old.v[i].b, old.v[i].msg);
    free(old.v);
}

/* Insert or replace (the latest message wins). */
static void
table_put(struct table *t, uint64_t key, uint64_t a, uint64_t b, uint32_t msg)
{
    if ((t->n + 1) * 2 > t->cap)
        table_grow(t);
    size_t i = mix(key, a, b) & (t->cap - 1);
    while (t->v[i].msg && !(t->v[i].key == key && t->v[i].a == a && t->v[i].b == b))
        i = (i + 1) & (t->cap - 1);
    if (!t->v[i].msg)
        t->n++;
    t->v[i] = (struct slot){key, a, b, msg};
}

static uint32_t
table_get(const struct table *t, uint64_t key, uint64_t a, uint64_t b)
{
    if (t->cap == 0)
        return 0;
    size_t i = mix(key, a, b) & (t->cap - 1);
    while (t->v[i].msg) {
        if (t->v[i].key == key && t->v[i].a == a && t->v[i].b == b)
            return t->v[i].msg;
        i = (i + 1) & (t->cap - 1);
    }
    return 0;
}

/* ---- linking ----------------------------------------------------------- */

struct fmsg {
    int64_t id, reply_to, flow_id;
    int64_t old_reply_to, old_flow_id;
};

struct link_ctx {
    struct fmsg *v;
    size_t n, cap;
    struct table keys, ports;
    long linked;
};

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
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 256;
        c->v = xrealloc(c->v, c->cap * sizeof *c->v);
    }
    if (c->n >= UINT32_MAX - 1)
        return 1;
    struct fmsg *f = &c->v[c->n];
    f->id = m->id;
    f->reply_to = 0;
    f->flow_id = m->id;
    f->old_reply_to = m->reply_to;
    f->old_flow_id = m->flow_id;
    uint32_t self = (uint32_t)(c->n + 1);
    c->n++;
    uint64_t from = endpoint(m->sender_window_id, m->sender_origin_id);
    uint64_t to = endpoint(m->receiver_window_id, m->receiver_origin_id);
    uint32_t req = 0;
    char key[KEY_VALUE_MAX + 64];
    int port = m->via && strcmp(m->via, "port") == 0 && m->port && m->port[0];
    if (port) {
        uint64_t ph = fnv64(m->port, 0x5050);
        req = table_get(&c->ports, ph, to, from);
        table_put(&c->ports, ph, from, to, self);
    }
    if ((from || to) && flow_correlation_key(m->data_json, key, sizeof key)) {
        uint64_t kh = fnv64(key, 0x4b4b);
        if (req == 0)
            req = table_get(&c->keys, kh, to, from);
        table_put(&c->keys, kh, from, to, self);
    }
    if (req && req != self) {
        const struct fmsg *r = &c->v[req - 1];
        f->reply_to = r->id;
        f->flow_id = r->flow_id;
        c->linked++;
    }
    return 0;
}

enum pm_rc
flow_link_source(struct pm_store *st, int64_t source_id, long *linked,
                 struct pm_err *err)
{
    struct link_ctx c;
    memset(&c, 0, sizeof c);
    enum pm_rc rc = store_each_message_by_time(st, source_id, link_message, &c, err);
    for (size_t i = 0; rc == PM_OK && i < c.n; i++) {
        const struct fmsg *f = &c.v[i];
        if (f->reply_to != f->old_reply_to || f->flow_id != f->old_flow_id)
            rc = store_set_message_flow(st, f->id, f->reply_to, f->flow_id, err);
    }
    if (linked)
        *linked += c.linked;
    free(c.v);
    free(c.keys.v);
    free(c.ports.v);
    return rc;
}
