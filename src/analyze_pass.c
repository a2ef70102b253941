/*
 * analyze_pass.c - runs the analysis over a workspace (see analyze_pass.h):
 * script bodies are read one at a time from the store, so a HAR with many
 * megabytes of scripts never holds more than one body (and its tokens) in
 * memory.
 *
 * A body loaded by several windows (a shared vendor bundle on every page)
 * is scanned once: what the scan found (listeners with their facts, send
 * sites with their receivers, in the order found) is kept per body and replayed for each
 * further window, which stores the same rows a second scan would.  The
 * kept results are bounded (SCAN_CACHE_MAX bytes; past it the cache starts
 * over and bodies are scanned again).
 */
#include "analyze_pass.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze.h"
#include "flow.h"
#include "mem.h"
#include "static_edges.h"
#include "store_query.h"
#include "suggest.h"

/* Longest handler text stored in listeners.code. */
#define CODE_STORE_MAX (64 * 1024)

/* Bytes of scan results kept for replay (code, facts, send sites). */
#define SCAN_CACHE_MAX (16u * 1024 * 1024)

/*
 * One thing the scan of a body found, kept compact: its strings packed
 * NUL-separated in text (listener: code, target, check expression, reply
 * target; send site: target expression, target origin, snippet, receiver).
 */
struct scan_event {
    int is_send;
    int has_target;            /* listener: target known / send: literal origin */
    long line, col;
    size_t code_len;           /* listener code, at the start of text */
    struct pm_handler_facts facts_scalars; /* strings empty, kept in text */
    char *text;
    size_t text_len;
};

/* What the scan of one body (as HTML or as a script) found. */
struct scan_result {
    int64_t key;               /* body id * 2 + as-HTML; 0 = empty slot */
    long scripts;              /* scripts scanned (inline ones in HTML) */
    struct scan_event *events;
    size_t n, cap;
};

/* Scan results by body, for the bodies of one source. */
struct scan_cache {
    struct scan_result *slots;
    size_t cap, n;
    size_t bytes;
};

struct scan_ctx {
    struct pm_store *st;
    int64_t source_id;
    const struct pm_script_body *body;
    struct pm_analyze_stats *stats;
    struct scan_cache cache;
    struct scan_result *recording; /* the body being scanned, NULL = none */
    struct pm_err *err;
};

static void
facts_to_analysis(const struct pm_handler_facts *f, char *sinks, size_t sinksz,
                  struct pm_listener_analysis *a)
{
    sinks_format(f->sinks, sinks, sinksz);
    memset(a, 0, sizeof *a);
    a->check_kind = check_kind_name(f->check);
    a->check_expr = f->check_expr;
    a->check_line = f->check_line;
    a->check_col = f->check_col;
    a->sinks = sinks;
    a->replies = f->replies;
    a->reply_target = f->reply_target;
}

/* ---- scan results kept per body ------------------------------------------ */

static void
scan_result_free(struct scan_result *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->events[i].text);
    free(r->events);
    memset(r, 0, sizeof *r);
}

static struct scan_event *
scan_result_push(struct scan_result *r)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->events = xrealloc(r->events, r->cap * sizeof *r->events);
    }
    struct scan_event *e = &r->events[r->n++];
    memset(e, 0, sizeof *e);
    return e;
}

/* Bytes a result holds (its events and their code). */
static size_t
scan_result_bytes(const struct scan_result *r)
{
    size_t b = sizeof *r + r->cap * sizeof *r->events;
    for (size_t i = 0; i < r->n; i++)
        b += r->events[i].text_len;
    return b;
}

static void
scan_cache_clear(struct scan_cache *k)
{
    for (size_t i = 0; i < k->cap; i++)
        if (k->slots[i].key)
            scan_result_free(&k->slots[i]);
    free(k->slots);
    memset(k, 0, sizeof *k);
}

static size_t
scan_cache_slot(const struct scan_cache *k, int64_t key)
{
    size_t i = ((uint64_t)key * 0x9E3779B97F4A7C15ull >> 17) & (k->cap - 1);
    while (k->slots[i].key && k->slots[i].key != key)
        i = (i + 1) & (k->cap - 1);
    return i;
}

static const struct scan_result *
scan_cache_find(const struct scan_cache *k, int64_t key)
{
    if (k->cap == 0)
        return NULL;
    const struct scan_result *r = &k->slots[scan_cache_slot(k, key)];
    return r->key ? r : NULL;
}

/*
 * Keep *r (taken over; *r is emptied) under its key.  A result that would
 * take the cache past SCAN_CACHE_MAX empties the cache first; one larger
 * than that is not kept.
 */
static void
scan_cache_keep(struct scan_cache *k, struct scan_result *r)
{
    size_t b = scan_result_bytes(r);
    if (b > SCAN_CACHE_MAX) {
        scan_result_free(r);
        return;
    }
    if (k->bytes + b > SCAN_CACHE_MAX)
        scan_cache_clear(k);
    if ((k->n + 1) * 2 > k->cap) {
        struct scan_cache old = *k;
        k->cap = old.cap ? old.cap * 2 : 64;
        k->slots = xcalloc(k->cap, sizeof *k->slots);
        for (size_t i = 0; i < old.cap; i++)
            if (old.slots[i].key)
                k->slots[scan_cache_slot(k, old.slots[i].key)] = old.slots[i];
        free(old.slots);
    }
    k->slots[scan_cache_slot(k, r->key)] = *r;
    k->n++;
    k->bytes += b;
    memset(r, 0, sizeof *r);
}

/* ---- storing what the scan found ------------------------------------------ */

static void
store_scanned_listener(struct scan_ctx *c, const struct pm_found_listener *l)
{
    if (c->err->rc)
        return;
    size_t n = l->code_len < CODE_STORE_MAX ? l->code_len : CODE_STORE_MAX;
    char *code = xstrndup(l->code, n);
    struct pm_listener_rec r = {
        .source_id = c->source_id,
        .window_id = c->body->window_id,
        .body_id = c->body->body_id,
        .script_url = c->body->url,
        .line = l->line,
        .col = l->col,
        .code = code,
        .found_by = "scan",
    };
    int64_t id;
    char sinks[512];
    struct pm_listener_analysis a;
    facts_to_analysis(&l->facts, sinks, sizeof sinks, &a);
    a.target = l->target;
    if (store_upsert_scan_listener(c->st, &r, &id, c->err) == PM_OK &&
        store_listener_set_analysis(c->st, id, &a, c->err) == PM_OK)
        c->stats->listeners++;
    free(code);
}

static void
store_scanned_send(struct scan_ctx *c, const struct pm_found_send *s)
{
    if (c->err->rc)
        return;
    struct pm_send_site_rec r = {
        .source_id = c->source_id,
        .window_id = c->body->window_id,
        .body_id = c->body->body_id,
        .script_url = c->body->url,
        .line = s->line,
        .col = s->col,
        .target_expr = s->target_expr,
        .target_origin = s->has_target_origin ? s->target_origin : NULL,
        .snippet = s->snippet,
        .receiver = s->receiver,
    };
    int64_t id;
    if (store_upsert_send_site(c->st, &r, &id, c->err) == PM_OK)
        c->stats->send_sites++;
}

/* Pack n strings (lengths len[i]) NUL-separated into e->text. */
static void
scan_event_pack(struct scan_event *e, const char *const *str,
                const size_t *len, int n)
{
    size_t total = 0;
    for (int i = 0; i < n; i++)
        total += len[i] + 1;
    e->text = xmalloc(total);
    e->text_len = total;
    char *p = e->text;
    for (int i = 0; i < n; i++) {
        memcpy(p, str[i], len[i]);
        p += len[i];
        *p++ = '\0';
    }
}

static void
on_scanned_listener(const struct pm_found_listener *l, void *vctx)
{
    struct scan_ctx *c = vctx;
    if (c->recording) {
        struct scan_event *e = scan_result_push(c->recording);
        size_t n = l->code_len < CODE_STORE_MAX ? l->code_len : CODE_STORE_MAX;
        const char *str[4] = {l->code, l->target ? l->target : "",
                              l->facts.check_expr, l->facts.reply_target};
        size_t len[4] = {n, strlen(str[1]), strlen(str[2]), strlen(str[3])};
        scan_event_pack(e, str, len, 4);
        e->line = l->line;
        e->col = l->col;
        e->code_len = n;
        e->has_target = l->target != NULL;
        e->facts_scalars = l->facts;
        e->facts_scalars.check_expr[0] = '\0';
        e->facts_scalars.reply_target[0] = '\0';
    }
    store_scanned_listener(c, l);
}

static void
on_scanned_send(const struct pm_found_send *s, void *vctx)
{
    struct scan_ctx *c = vctx;
    if (c->recording) {
        struct scan_event *e = scan_result_push(c->recording);
        const char *str[4] = {s->target_expr, s->target_origin, s->snippet,
                              s->receiver};
        size_t len[4] = {strlen(str[0]), strlen(str[1]), strlen(str[2]),
                         strlen(str[3])};
        scan_event_pack(e, str, len, 4);
        e->is_send = 1;
        e->line = s->line;
        e->col = s->col;
        e->has_target = s->has_target_origin;
    }
    store_scanned_send(c, s);
}

/* Store what a kept event says, as the scan callbacks did the first time. */
static void
replay_event(struct scan_ctx *c, const struct scan_event *e)
{
    const char *p = e->text;
    if (e->is_send) {
        struct pm_found_send s = {.line = e->line, .col = e->col,
                                  .has_target_origin = e->has_target};
        snprintf(s.target_expr, sizeof s.target_expr, "%s", p);
        p += strlen(p) + 1;
        snprintf(s.target_origin, sizeof s.target_origin, "%s", p);
        p += strlen(p) + 1;
        snprintf(s.snippet, sizeof s.snippet, "%s", p);
        p += strlen(p) + 1;
        snprintf(s.receiver, sizeof s.receiver, "%s", p);
        store_scanned_send(c, &s);
        return;
    }
    struct pm_found_listener l = {
        .line = e->line, .col = e->col, .code = p, .code_len = e->code_len,
        .facts = e->facts_scalars,
    };
    p += e->code_len + 1;
    l.target = e->has_target ? p : NULL;
    p += strlen(p) + 1;
    snprintf(l.facts.check_expr, sizeof l.facts.check_expr, "%s", p);
    p += strlen(p) + 1;
    snprintf(l.facts.reply_target, sizeof l.facts.reply_target, "%s", p);
    store_scanned_listener(c, &l);
}

static void
on_inline_script(const char *src, size_t n, long line, long col, void *vctx)
{
    struct scan_ctx *c = vctx;
    c->stats->scripts++;
    if (c->recording)
        c->recording->scripts++;
    analyze_script(src, n, line, col, on_scanned_listener, on_scanned_send, c);
}

/* HTML when the type says so or the document was loaded as a page/frame. */
static int
body_is_html(const struct pm_script_body *b)
{
    if (b->mime && strcasestr(b->mime, "html"))
        return 1;
    if (b->mime && (strcasestr(b->mime, "javascript") || strcasestr(b->mime, "ecmascript")))
        return 0;
    if (b->dest && (strcmp(b->dest, "document") == 0 || strcmp(b->dest, "iframe") == 0 ||
                    strcmp(b->dest, "frame") == 0))
        return 1;
    const char *p = b->data;
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
        p++;
    return *p == '<';
}

/*
 * Scan a body for one window, or replay what an earlier scan of the same
 * body (read the same way) found: the rows stored are the same.
 */
static int
scan_body(const struct pm_script_body *b, void *vctx)
{
    struct scan_ctx *c = vctx;
    c->body = b;
    int html = body_is_html(b);
    int64_t key = b->body_id > 0 ? b->body_id * 2 + html : 0;
    const struct scan_result *seen = key ? scan_cache_find(&c->cache, key) : NULL;
    if (seen) {
        c->stats->scripts += seen->scripts;
        for (size_t i = 0; i < seen->n && !c->err->rc; i++)
            replay_event(c, &seen->events[i]);
        return c->err->rc != PM_OK;
    }
    struct scan_result rec = {.key = key};
    c->recording = key ? &rec : NULL;
    if (html) {
        html_each_inline_script(b->data, b->size, on_inline_script, c);
    } else {
        c->stats->scripts++;
        rec.scripts++;
        analyze_script(b->data, b->size, 1, 1, on_scanned_listener,
                       on_scanned_send, c);
    }
    c->recording = NULL;
    if (key && !c->err->rc)
        scan_cache_keep(&c->cache, &rec);
    scan_result_free(&rec);
    return c->err->rc != PM_OK;
}

/*
 * A recorded handler: positions inside its code become positions in its
 * script when the recording says where the handler starts.
 */
static int
classify_recorded(int64_t id, const char *code, long line, long col,
                  void *vctx)
{
    struct scan_ctx *c = vctx;
    struct pm_handler_facts f;
    analyze_handler_code(code, strlen(code), &f);
    if (f.check_line > 0 && line > 0) {
        if (f.check_line == 1 && col > 0)
            f.check_col += col - 1;
        f.check_line += line - 1;
    }
    char sinks[512];
    struct pm_listener_analysis a;
    facts_to_analysis(&f, sinks, sizeof sinks, &a);
    if (store_listener_set_analysis(c->st, id, &a, c->err))
        return 1;
    c->stats->listeners++;
    return 0;
}

struct id_list {
    int64_t *v;
    size_t n, cap;
};

static int
collect_source_id(const struct pm_source_row *r, void *ctx)
{
    struct id_list *ids = ctx;
    if (ids->n == ids->cap) {
        ids->cap = ids->cap ? ids->cap * 2 : 16;
        ids->v = xrealloc(ids->v, ids->cap * sizeof *ids->v);
    }
    ids->v[ids->n++] = r->id;
    return 0;
}

static enum pm_rc
analyze_one_source(struct pm_store *st, int64_t source_id,
                   struct pm_analyze_stats *stats, struct pm_err *err)
{
    struct scan_ctx c = {
        .st = st, .source_id = source_id, .stats = stats, .err = err,
    };
    enum pm_rc rc = store_each_script_body_copy(st, source_id, scan_body, &c, err);
    scan_cache_clear(&c.cache);
    if (rc ||
        store_each_listener_code_copy(st, source_id, classify_recorded, &c, err) ||
        flow_link_source(st, source_id, &stats->replies_linked, err))
        return err->rc;
    return PM_OK;
}

enum pm_rc
analyze_workspace(struct pm_store *st, int64_t source_id,
                  struct pm_analyze_stats *stats, struct pm_err *err)
{
    struct pm_analyze_stats local;
    if (stats == NULL)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    if (source_id > 0) {
        if (analyze_one_source(st, source_id, stats, err))
            return err->rc;
    } else {
        struct id_list ids = {0};
        if (store_each_source(st, collect_source_id, &ids, err)) {
            free(ids.v);
            return err->rc;
        }
        for (size_t i = 0; i < ids.n; i++)
            if (analyze_one_source(st, ids.v[i], stats, err))
                break;
        free(ids.v);
        if (err->rc)
            return err->rc;
    }
    if (store_adopt_scan_analysis(st, &stats->listeners, err) ||
        store_link_listener_copies(st, err) ||
        store_link_send_site_copies(st, err) ||
        static_edges_run(st, NULL, err))
        return err->rc;
    return suggest_run(st, source_id, &stats->findings_new, err);
}

enum pm_rc
analyze_after_import(struct pm_store *st, int64_t source_id, struct pm_err *err)
{
    return analyze_workspace(st, source_id, NULL, err);
}
