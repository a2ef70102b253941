/*
 * analyze_pass.c - runs the analysis over a workspace (see analyze_pass.h):
 * script bodies are read one at a time from the store, so a HAR with many
 * megabytes of scripts never holds more than one body (and its tokens) in
 * memory.
 */
#include "analyze_pass.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze.h"
#include "flow.h"
#include "mem.h"
#include "store_query.h"
#include "suggest.h"

/* Longest handler text stored in listeners.code. */
#define CODE_STORE_MAX (64 * 1024)

struct scan_ctx {
    struct pm_store *st;
    int64_t source_id;
    const struct pm_script_body *body;
    struct pm_analyze_stats *stats;
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

static void
on_scanned_listener(const struct pm_found_listener *l, void *vctx)
{
    struct scan_ctx *c = vctx;
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
on_scanned_send(const struct pm_found_send *s, void *vctx)
{
    struct scan_ctx *c = vctx;
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
    };
    int64_t id;
    if (store_upsert_send_site(c->st, &r, &id, c->err) == PM_OK)
        c->stats->send_sites++;
}

static void
on_inline_script(const char *src, size_t n, long line, long col, void *vctx)
{
    struct scan_ctx *c = vctx;
    c->stats->scripts++;
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

static int
scan_body(const struct pm_script_body *b, void *vctx)
{
    struct scan_ctx *c = vctx;
    c->body = b;
    if (body_is_html(b)) {
        html_each_inline_script(b->data, b->size, on_inline_script, c);
    } else {
        c->stats->scripts++;
        analyze_script(b->data, b->size, 1, 1, on_scanned_listener,
                       on_scanned_send, c);
    }
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
    if (store_each_script_body_copy(st, source_id, scan_body, &c, err) ||
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
    if (store_adopt_scan_analysis(st, &stats->listeners, err))
        return err->rc;
    return suggest_run(st, source_id, &stats->findings_new, err);
}

enum pm_rc
analyze_after_import(struct pm_store *st, int64_t source_id, struct pm_err *err)
{
    return analyze_workspace(st, source_id, NULL, err);
}
