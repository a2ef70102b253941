/*
 * trace.c - importer for the pmscope trace JSONL format, version 1.
 *
 * docs/trace-format.md is the normative description; this file implements
 * it and nothing else.  The input is streamed: one line at a time is read
 * into a reused buffer (capped at TRACE_LINE_MAX), validated and parsed by
 * json_parse_located, turned into store_add_* calls, and dropped.  The only
 * state kept across lines is the frame table (id -> window row, current URL
 * and origin), so memory is bounded by the longest line plus the frames.
 *
 * Every error names FILE:LINE:COL and stops the import; the driver rolls the
 * transaction back.  Unknown members are ignored; unknown record types are
 * skipped with a counted warning.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "har_util.h" /* har_time_ms: the ISO 8601 times both formats use */
#include "importer.h"
#include "json_pos.h"
#include "mem.h"
#include "origin.h"

#define TRACE_LINE_MAX ((size_t)256 << 20)
#define TRACE_ID_MAX 256
#define TRACE_READ_CHUNK 65536
/* A line buffer larger than this is given back once its record is parsed. */
#define TRACE_KEEP_LINE ((size_t)4 << 20)

enum frame_kind { KIND_TOP, KIND_IFRAME, KIND_POPUP, KIND_WORKER, KIND_COUNT };

static const char *const kind_names[KIND_COUNT] = {
    "top", "iframe", "popup", "worker",
};

/* A frame declared in the trace, with its state at the current line. */
struct trace_frame {
    char *id;
    int64_t window_id;
    enum frame_kind kind;
    long parent;   /* index into frames, -1 = none */
    long opener;   /* index into frames, -1 = none */
    char *url;     /* current document URL, NULL = not known yet */
    char *origin;  /* current serialized origin, NULL = unknown */
    int64_t doc;   /* current document: 1 for the first, +1 per navigation */
    long line;     /* line of the first frame record */
};

struct trace_reader {
    FILE *fp;
    char chunk[TRACE_READ_CHUNK];
    size_t pos, len;
    int eof;
    int64_t consumed; /* bytes handed out as lines so far */
};

struct trace_state {
    struct pm_import_ctx *ctx;
    struct trace_reader rd;
    struct pm_buf line;
    struct pm_buf data;     /* compact message data, reused */
    long lineno;
    long records;
    long meta_line;        /* line of the meta record, 0 = none yet */
    struct pm_json_doc doc; /* the current record */
    const char *type;       /* its "type" */
    /* frame table: array plus open-addressing hash of indexes (+1) */
    struct trace_frame *frames;
    size_t nframes, cap;
    size_t *slots;
    size_t nslots;
    /* send records that named a message not read yet: message id ->
     * send site id (a capture writes a send before its delivery) */
    struct har_map sends;
};

/* ---- reading lines ---------------------------------------------------- */

/*
 * Read the next line (without its '\n') into t->line.  Returns 1 for a
 * line, 0 at end of input, -1 on error (a line over TRACE_LINE_MAX or a
 * read error).
 */
static int
trace_read_line(struct trace_state *t, struct pm_err *err)
{
    struct trace_reader *rd = &t->rd;
    pm_buf_reset(&t->line);
    int got = 0;
    for (;;) {
        if (rd->pos == rd->len) {
            if (rd->eof)
                return got;
            rd->len = fread(rd->chunk, 1, sizeof rd->chunk, rd->fp);
            rd->pos = 0;
            if (rd->len < sizeof rd->chunk) {
                if (ferror(rd->fp)) {
                    pm_err_at(err, PM_ERR_IO, t->ctx->path, t->lineno + 1, 0,
                              "read error");
                    return -1;
                }
                rd->eof = 1;
            }
            if (rd->len == 0)
                return got;
        }
        got = 1;
        const char *start = rd->chunk + rd->pos;
        size_t avail = rd->len - rd->pos;
        const char *nl = memchr(start, '\n', avail);
        size_t take = nl ? (size_t)(nl - start) : avail;
        if (t->line.len + take > TRACE_LINE_MAX) {
            pm_err_at(err, PM_ERR_LIMIT, t->ctx->path, t->lineno + 1, 1,
                      "line longer than %zu MiB; records must be shorter",
                      TRACE_LINE_MAX >> 20);
            return -1;
        }
        pm_buf_add(&t->line, start, take);
        rd->pos += take + (nl != NULL);
        rd->consumed += (int64_t)(take + (nl != NULL));
        if (nl)
            return 1;
    }
}

/*
 * Once a record's members have been read and checked, its values are all
 * in the parsed tree (or, for message data, compacted into t->data): give
 * back a line buffer that a very long line made large, so that line, tree
 * and the row SQLite builds are not all held at once.  No member position
 * can be asked for after this.
 */
static void
trace_release_line(struct trace_state *t)
{
    if (t->line.cap <= TRACE_KEEP_LINE)
        return;
    pm_buf_release(&t->line);
    pm_buf_init(&t->line);
    t->doc.text = NULL;
    t->doc.len = 0;
    t->doc.nmembers = 0;
}

/* ---- frame table ------------------------------------------------------ */

static uint64_t
id_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

/* Index of frame id, or -1. */
static long
frame_lookup(const struct trace_state *t, const char *id)
{
    if (t->nslots == 0)
        return -1;
    size_t mask = t->nslots - 1;
    for (size_t i = (size_t)id_hash(id) & mask;; i = (i + 1) & mask) {
        if (t->slots[i] == 0)
            return -1;
        if (strcmp(t->frames[t->slots[i] - 1].id, id) == 0)
            return (long)(t->slots[i] - 1);
    }
}

static void
frame_slot_put(size_t *slots, size_t nslots, const char *id, size_t index)
{
    size_t mask = nslots - 1;
    size_t i = (size_t)id_hash(id) & mask;
    while (slots[i])
        i = (i + 1) & mask;
    slots[i] = index + 1;
}

/* Append a frame (taking ownership of its strings); returns its index. */
static long
frame_insert(struct trace_state *t, const struct trace_frame *f)
{
    if (t->nframes == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->frames = xrealloc(t->frames, t->cap * sizeof *t->frames);
    }
    t->frames[t->nframes] = *f;
    if ((t->nframes + 1) * 2 > t->nslots) {
        size_t n = t->nslots ? t->nslots * 2 : 64;
        size_t *slots = xcalloc(n, sizeof *slots);
        for (size_t k = 0; k < t->nframes; k++)
            frame_slot_put(slots, n, t->frames[k].id, k);
        free(t->slots);
        t->slots = slots;
        t->nslots = n;
    }
    frame_slot_put(t->slots, t->nslots, f->id, t->nframes);
    return (long)t->nframes++;
}

static void
frames_free(struct trace_state *t)
{
    for (size_t k = 0; k < t->nframes; k++) {
        free(t->frames[k].id);
        free(t->frames[k].url);
        free(t->frames[k].origin);
    }
    free(t->frames);
    free(t->slots);
}

/* ---- member access with positioned errors ------------------------------ */

/*
 * Render an input string for an error message: printable ASCII as is,
 * anything else as \xNN, cut after 40 bytes.  Messages reach terminals.
 */
static const char *
quote_input(const char *s, char out[200])
{
    size_t o = 0, k = 0;
    for (; k < 40 && s[k]; k++) {
        unsigned char ch = (unsigned char)s[k];
        if (ch >= 0x20 && ch < 0x7f && ch != '\\')
            out[o++] = (char)ch;
        else
            o += (size_t)snprintf(out + o, 5, "\\x%02x", ch);
    }
    if (s[k])
        o += (size_t)snprintf(out + o, 4, "...");
    out[o] = '\0';
    return out;
}

/* The position record of an outermost member, or NULL. */
static const struct pm_json_member *
find_member(const struct pm_json_doc *d, const char *key)
{
    size_t klen = strlen(key);
    for (int k = 0; k < d->nmembers; k++)
        if (d->members[k].key_len == klen &&
            memcmp(d->text + d->members[k].key_off, key, klen) == 0)
            return &d->members[k];
    return NULL;
}

/* Error at the value of member key of the current record. */
static enum pm_rc
member_error(struct trace_state *t, struct pm_err *err, const char *key,
             enum pm_rc rc, const char *msg)
{
    long line, col;
    json_member_position(&t->doc, key, &line, &col);
    return pm_err_at(err, rc, t->ctx->path, line, col, "%s", msg);
}

static enum pm_rc
missing_member(struct trace_state *t, struct pm_err *err, const char *key)
{
    return pm_err_at(err, PM_ERR_PARSE, t->ctx->path, t->doc.line, t->doc.col,
                     "expected member \"%s\" in %s record", key, t->type);
}

/* The member's item, or NULL when absent or JSON null. */
static const cJSON *
member_get(const struct trace_state *t, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(t->doc.root, key);
    return cJSON_IsNull(it) ? NULL : it;
}

/* Optional string member: *out = NULL when absent or null. */
static enum pm_rc
get_string(struct trace_state *t, const char *key, int required,
           const char **out, struct pm_err *err)
{
    const cJSON *it = member_get(t, key);
    *out = NULL;
    if (it == NULL)
        return required ? missing_member(t, err, key) : PM_OK;
    if (!cJSON_IsString(it)) {
        char m[96];
        snprintf(m, sizeof m, "expected \"%s\" to be a string", key);
        return member_error(t, err, key, PM_ERR_PARSE, m);
    }
    *out = it->valuestring;
    return PM_OK;
}

/* An id member: a non-empty string of at most TRACE_ID_MAX bytes. */
static enum pm_rc
get_id(struct trace_state *t, const char *key, int required, const char **out,
       struct pm_err *err)
{
    if (get_string(t, key, required, out, err))
        return err->rc;
    if (*out && ((*out)[0] == '\0' || strlen(*out) > TRACE_ID_MAX)) {
        char m[128];
        snprintf(m, sizeof m,
                 "expected \"%s\" to be a non-empty id of at most %d bytes",
                 key, TRACE_ID_MAX);
        return member_error(t, err, key, PM_ERR_PARSE, m);
    }
    return PM_OK;
}

/* A ts member: a finite number >= 0; *out = -1 when absent and optional. */
static enum pm_rc
get_ts(struct trace_state *t, const char *key, int required, double *out,
       struct pm_err *err)
{
    const cJSON *it = member_get(t, key);
    *out = -1;
    if (it == NULL)
        return required ? missing_member(t, err, key) : PM_OK;
    if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble) ||
        it->valuedouble < 0) {
        char m[128];
        snprintf(m, sizeof m,
                 "expected \"%s\" to be a number of milliseconds >= 0", key);
        return member_error(t, err, key, PM_ERR_PARSE, m);
    }
    *out = it->valuedouble;
    return PM_OK;
}

/* An optional positive integer (line/col); *out = 0 when absent. */
static enum pm_rc
get_position(struct trace_state *t, const char *key, long *out,
             struct pm_err *err)
{
    const cJSON *it = member_get(t, key);
    *out = 0;
    if (it == NULL)
        return PM_OK;
    if (!cJSON_IsNumber(it) || it->valuedouble < 1 ||
        it->valuedouble > 1e9 || it->valuedouble != floor(it->valuedouble)) {
        char m[96];
        snprintf(m, sizeof m, "expected \"%s\" to be an integer >= 1", key);
        return member_error(t, err, key, PM_ERR_PARSE, m);
    }
    *out = (long)it->valuedouble;
    return PM_OK;
}

/* A string member that must be one of names[0..n); *out = index or -1. */
static enum pm_rc
get_enum(struct trace_state *t, const char *key, int required,
         const char *const *names, int n, int *out, struct pm_err *err)
{
    const char *s;
    *out = -1;
    if (get_string(t, key, required, &s, err))
        return err->rc;
    if (s == NULL)
        return PM_OK;
    for (int k = 0; k < n; k++) {
        if (strcmp(s, names[k]) == 0) {
            *out = k;
            return PM_OK;
        }
    }
    char m[256], q[200];
    int o = snprintf(m, sizeof m, "expected \"%s\" to be ", key);
    for (int k = 0; k < n && o > 0 && (size_t)o < sizeof m; k++)
        o += snprintf(m + o, sizeof m - (size_t)o, "%s\"%s\"",
                      k == 0 ? "" : k == n - 1 ? " or " : ", ", names[k]);
    if (o > 0 && (size_t)o < sizeof m)
        snprintf(m + o, sizeof m - (size_t)o, ", not \"%s\"",
                 quote_input(s, q));
    return member_error(t, err, key, PM_ERR_PARSE, m);
}

/* A reference to an earlier frame; *out = index or -1 when absent/null. */
static enum pm_rc
get_frame_ref(struct trace_state *t, const char *key, int required, long *out,
              struct pm_err *err)
{
    const char *id;
    *out = -1;
    if (get_id(t, key, required, &id, err))
        return err->rc;
    if (id == NULL)
        return PM_OK;
    *out = frame_lookup(t, id);
    if (*out < 0) {
        char m[320], q[200];
        snprintf(m, sizeof m,
                 "unknown frame \"%s\" in \"%s\" (frames must be declared on "
                 "an earlier line)",
                 quote_input(id, q), key);
        return member_error(t, err, key, PM_ERR_PARSE, m);
    }
    return PM_OK;
}

/*
 * An origin member, normalized ("null" or scheme://host[:port]); out is ""
 * when absent, null or "" (unknown).
 */
static enum pm_rc
get_origin(struct trace_state *t, const char *key, char out[PM_ORIGIN_MAX],
           struct pm_err *err)
{
    const char *s;
    out[0] = '\0';
    if (get_string(t, key, 0, &s, err))
        return err->rc;
    if (s == NULL || s[0] == '\0')
        return PM_OK; /* "" is event.origin of port and worker messages */
    if (strcmp(s, "null") == 0) {
        snprintf(out, PM_ORIGIN_MAX, "null");
        return PM_OK;
    }
    struct pm_err oerr = PM_ERR_INIT;
    const char *scheme_end = strstr(s, "://");
    if (scheme_end == NULL || strchr(scheme_end + 3, '/') != NULL ||
        origin_from_url(s, NULL, out, &oerr) != PM_OK ||
        strcmp(out, "null") == 0) {
        char m[128];
        out[0] = '\0';
        snprintf(m, sizeof m,
                 "expected \"%s\" to be an origin like https://a.example or "
                 "null",
                 key);
        return member_error(t, err, key, PM_ERR_PARSE, m);
    }
    return PM_OK;
}

/* ---- origins of frames ------------------------------------------------- */

/* The origin a document at url gets in frame f; NULL origin = unknown. */
static char *
frame_origin_for(struct trace_state *t, long parent, long opener,
                 const char *url, const char *given)
{
    if (given && given[0])
        return xstrdup(given);
    if (url == NULL)
        return NULL;
    const char *creator = NULL;
    if (parent >= 0)
        creator = t->frames[parent].origin;
    else if (opener >= 0)
        creator = t->frames[opener].origin;
    char out[PM_ORIGIN_MAX];
    struct pm_err oerr = PM_ERR_INIT;
    if (origin_from_url(url, creator, out, &oerr) != PM_OK) {
        char q[200];
        import_warn(t->ctx,
                    "line %ld: origin of \"%s\" unknown (not an absolute URL "
                    "pmscope can parse)",
                    t->lineno, quote_input(url, q));
        return NULL;
    }
    return xstrdup(out);
}

/* ---- records ------------------------------------------------------------ */

static enum pm_rc
trace_meta(struct trace_state *t, struct pm_err *err)
{
    const char *tool, *version, *start_url, *started;
    if (t->meta_line)
        return pm_err_at(err, PM_ERR_PARSE, t->ctx->path, t->doc.line,
                         t->doc.col,
                         "second meta record (the first is on line %ld; "
                         "concatenated traces? import them as separate files)",
                         t->meta_line);
    t->meta_line = t->lineno;
    if (get_string(t, "tool", 0, &tool, err) ||
        get_string(t, "tool_version", 0, &version, err) ||
        get_string(t, "start_url", 0, &start_url, err) ||
        get_string(t, "started", 0, &started, err))
        return err->rc;
    if (tool)
        snprintf(t->ctx->tool, sizeof t->ctx->tool, "%s%s%s", tool,
                 version ? " " : "", version ? version : "");
    double clock = started ? har_time_ms(started) : -1;
    if (clock >= 0)
        return store_source_set_clock(t->ctx->st, t->ctx->source_id, clock,
                                      err);
    return PM_OK;
}

/* Record that frame f now shows url with origin (either may be NULL): its
 * next document. */
static enum pm_rc
frame_navigate(struct trace_state *t, long f, const char *url, char *origin,
               double ts, struct pm_err *err)
{
    struct trace_frame *fr = &t->frames[f];
    if (store_add_navigation(t->ctx->st, fr->window_id, url, origin,
                             ts, err)) {
        free(origin);
        return err->rc;
    }
    fr->doc++;
    char *copy = url ? xstrdup(url) : NULL; /* url may be fr->url */
    free(fr->url);
    fr->url = copy;
    free(fr->origin);
    fr->origin = origin;
    return PM_OK;
}

/* A frame record whose id is already declared: see docs 3.2. */
static enum pm_rc
trace_frame_repeat(struct trace_state *t, long f, int kind, long parent,
                   long opener, const char *url, const char *origin,
                   double ts, struct pm_err *err)
{
    struct trace_frame *fr = &t->frames[f];
    if ((enum frame_kind)kind != fr->kind ||
        (parent >= 0 && parent != fr->parent) ||
        (opener >= 0 && opener != fr->opener)) {
        char q[200];
        import_warn(t->ctx,
                    "line %ld: frame \"%s\" repeated with a different kind, "
                    "parent or opener than on line %ld; kept the first",
                    t->lineno, quote_input(fr->id, q), fr->line);
    }
    if (url == NULL) {
        if (origin[0] == '\0' ||
            (fr->origin && strcmp(fr->origin, origin) == 0))
            return PM_OK;
        url = fr->url;
    } else if (fr->url && strcmp(fr->url, url) == 0 &&
               (origin[0] == '\0' ||
                (fr->origin && strcmp(fr->origin, origin) == 0))) {
        return PM_OK;
    }
    char *o = frame_origin_for(t, fr->parent, fr->opener, url, origin);
    return frame_navigate(t, f, url, o, ts, err);
}

static enum pm_rc
trace_frame(struct trace_state *t, struct pm_err *err)
{
    const char *id, *url;
    int kind;
    long parent, opener;
    double ts;
    char origin[PM_ORIGIN_MAX];
    if (get_id(t, "id", 1, &id, err) ||
        get_enum(t, "kind", 1, kind_names, KIND_COUNT, &kind, err) ||
        get_string(t, "url", 0, &url, err) ||
        get_frame_ref(t, "parent", 0, &parent, err) ||
        get_frame_ref(t, "opener", 0, &opener, err) ||
        get_ts(t, "ts", 1, &ts, err) ||
        get_origin(t, "origin", origin, err))
        return err->rc;
    long f = frame_lookup(t, id);
    if (f >= 0)
        return trace_frame_repeat(t, f, kind, parent, opener, url, origin, ts,
                                  err);
    if (kind == KIND_TOP && parent >= 0)
        return member_error(t, err, "parent", PM_ERR_PARSE,
                            "expected no \"parent\" for a top frame (use "
                            "kind \"iframe\" for an embedded frame)");

    struct trace_frame fr = {
        .kind = (enum frame_kind)kind, .parent = parent, .opener = opener,
        .doc = 1, .line = t->lineno,
    };
    fr.origin = frame_origin_for(t, parent, opener, url, origin);
    trace_release_line(t);
    struct pm_window_rec w = {
        .source_id = t->ctx->source_id,
        .ext_id = id,
        .kind = kind_names[kind],
        .url = url,
        .origin = fr.origin,
        .parent_id = parent >= 0 ? t->frames[parent].window_id : 0,
        .parent_how = parent >= 0 ? "known"
                      : kind == KIND_IFRAME ? "unknown" : NULL,
        .opener_id = opener >= 0 ? t->frames[opener].window_id : 0,
        .first_seen = ts,
    };
    if (store_add_window(t->ctx->st, &w, &fr.window_id, err)) {
        free(fr.origin);
        return err->rc;
    }
    fr.id = xstrdup(id);
    fr.url = url ? xstrdup(url) : NULL;
    frame_insert(t, &fr);
    return PM_OK;
}

static enum pm_rc
trace_navigation(struct trace_state *t, struct pm_err *err)
{
    long f;
    const char *url;
    double ts;
    char origin[PM_ORIGIN_MAX];
    if (get_frame_ref(t, "frame", 1, &f, err) ||
        get_string(t, "url", 1, &url, err) ||
        get_ts(t, "ts", 1, &ts, err) ||
        get_origin(t, "origin", origin, err))
        return err->rc;
    char *o = frame_origin_for(t, t->frames[f].parent, t->frames[f].opener,
                               url, origin);
    trace_release_line(t);
    return frame_navigate(t, f, url, o, ts, err);
}

static enum pm_rc
trace_listener(struct trace_state *t, struct pm_err *err)
{
    long f, line, col;
    const char *script_url, *source, *target;
    double ts;
    if (get_frame_ref(t, "frame", 1, &f, err) ||
        get_string(t, "script_url", 0, &script_url, err) ||
        get_position(t, "line", &line, err) ||
        get_position(t, "col", &col, err) ||
        get_string(t, "source", 0, &source, err) ||
        get_string(t, "target", 0, &target, err) ||
        get_ts(t, "ts", 0, &ts, err))
        return err->rc;
    /* Informational: an unknown value is dropped, not fatal. */
    if (target && strcmp(target, "window") != 0 && strcmp(target, "port") != 0 &&
        strcmp(target, "broadcast") != 0 && strcmp(target, "worker") != 0)
        target = NULL;
    struct pm_listener_rec l = {
        .source_id = t->ctx->source_id,
        .window_id = t->frames[f].window_id,
        .script_url = script_url,
        .line = line,
        .col = col,
        .code = source,
        .found_by = "trace",
        .target = target,
        .doc = t->frames[f].doc,
    };
    int64_t id;
    trace_release_line(t);
    return store_add_listener(t->ctx->st, &l, &id, err);
}

/*
 * A postMessage call seen at the sender (docs/trace-format.md 3.6): one
 * send site per call site (window, script, line, column), with its stack
 * as the snippet, and the message it sent (x_message) linked to it.
 */
static enum pm_rc
trace_send(struct trace_state *t, struct pm_err *err)
{
    long f, line, col;
    const char *script_url, *target, *stack, *receiver_expr, *message;
    if (get_frame_ref(t, "frame", 1, &f, err) ||
        get_string(t, "script_url", 0, &script_url, err) ||
        get_position(t, "line", &line, err) ||
        get_position(t, "col", &col, err) ||
        get_string(t, "target_origin", 0, &target, err) ||
        get_string(t, "stack", 0, &stack, err) ||
        get_string(t, "x_target", 0, &receiver_expr, err) ||
        get_string(t, "x_message", 0, &message, err))
        return err->rc;
    struct pm_send_site_rec x = {
        .source_id = t->ctx->source_id,
        .window_id = t->frames[f].window_id,
        .script_url = script_url,
        .line = line,
        .col = col,
        .target_expr = receiver_expr,
        .target_origin = target,
        .stack = stack,
        .doc = t->frames[f].doc,
    };
    int64_t id;
    int linked;
    if (store_upsert_send_site(t->ctx->st, &x, &id, err))
        return err->rc;
    if (message == NULL || message[0] == '\0')
        return PM_OK;
    if (store_link_message_send_site(t->ctx->st, t->ctx->source_id, message,
                                     id, &linked, err))
        return err->rc;
    if (!linked)
        har_map_put(&t->sends, message, (long)id);
    return PM_OK;
}

enum via { VIA_WINDOW, VIA_PORT, VIA_BROADCAST, VIA_WORKER, VIA_COUNT };

static const char *const via_names[VIA_COUNT] = {
    "window", "port", "broadcast", "worker",
};

static enum pm_rc
trace_message(struct trace_state *t, struct pm_err *err)
{
    const char *id, *target, *port, *cause;
    double ts;
    int via;
    long sender, receiver;
    char so[PM_ORIGIN_MAX], ro[PM_ORIGIN_MAX];
    if (get_id(t, "id", 0, &id, err) ||
        get_id(t, "cause", 0, &cause, err) ||
        get_ts(t, "ts", 1, &ts, err) ||
        get_enum(t, "via", 0, via_names, VIA_COUNT, &via, err) ||
        get_frame_ref(t, "sender", 0, &sender, err) ||
        get_frame_ref(t, "receiver", 0, &receiver, err) ||
        get_string(t, "target_origin", 0, &target, err) ||
        get_string(t, "port", 0, &port, err) ||
        get_origin(t, "sender_origin", so, err) ||
        get_origin(t, "receiver_origin", ro, err))
        return err->rc;
    if (via < 0)
        via = VIA_WINDOW;
    if (receiver < 0 && via != VIA_BROADCAST) {
        if (member_get(t, "receiver") == NULL)
            return pm_err_at(err, PM_ERR_PARSE, t->ctx->path, t->doc.line,
                             t->doc.col,
                             "expected member \"receiver\" in message record "
                             "(only broadcast messages may omit it)");
    }
    const char *sender_origin = so[0] ? so
                                : sender >= 0 ? t->frames[sender].origin
                                              : NULL;
    const char *receiver_origin = ro[0] ? ro
                                  : receiver >= 0 ? t->frames[receiver].origin
                                  : via == VIA_BROADCAST ? sender_origin
                                                         : NULL;
    char *printed = NULL;
    const char *data = NULL;
    const struct pm_json_member *dm = find_member(&t->doc, "data");
    if (dm) {
        pm_buf_reset(&t->data);
        json_compact(t->doc.text + dm->val_off, dm->val_end - dm->val_off,
                     &t->data);
        data = t->data.data;
        /* the tree's copy of the data is read no more: a large message is
         * then held once (compacted) while SQLite builds its row */
        cJSON_DeleteItemFromObjectCaseSensitive(t->doc.root, "data");
    } else {
        /* beyond the members whose positions are kept: let cJSON print */
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(t->doc.root, "data");
        if (d && (printed = cJSON_PrintUnformatted(d)) == NULL)
            return member_error(t, err, "data", PM_ERR_LIMIT,
                                "cannot serialize \"data\" (out of memory)");
        data = printed;
    }
    trace_release_line(t);
    struct pm_message_rec m = {
        .source_id = t->ctx->source_id,
        .ext_id = id,
        .ts = ts,
        .sender_window_id = sender >= 0 ? t->frames[sender].window_id : 0,
        .receiver_window_id = receiver >= 0 ? t->frames[receiver].window_id : 0,
        .sender_origin = sender_origin,
        .receiver_origin = receiver_origin,
        .target_origin = target,
        .via = via_names[via],
        .port = port,
        .data_json = data,
        .cause = cause,
        .receiver_doc = receiver >= 0 ? t->frames[receiver].doc : 0,
        .send_site_id = id ? har_map_get(&t->sends, id) : 0,
    };
    if (m.send_site_id < 0)
        m.send_site_id = 0;
    int64_t mid;
    enum pm_rc rc = store_add_message(t->ctx->st, &m, &mid, err);
    cJSON_free(printed);
    return rc;
}

/* Parse and import the record in t->line. */
static enum pm_rc
trace_record(struct trace_state *t, struct pm_err *err)
{
    const char *text = t->line.data;
    size_t len = t->line.len;
    if (len > 0 && text[len - 1] == '\r')
        len--;
    if (t->lineno == 1 && len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    size_t k = 0;
    while (k < len && (text[k] == ' ' || text[k] == '\t'))
        k++;
    if (k == len)
        return PM_OK; /* blank line */

    if (json_parse_located(text, len, t->ctx->path, t->lineno, 1, "line",
                           &t->doc, err))
        return err->rc;
    t->records++;
    if (!cJSON_IsObject(t->doc.root)) {
        long line = t->lineno, col = 1;
        json_position(text, k, &line, &col);
        return pm_err_at(err, PM_ERR_PARSE, t->ctx->path, line, col,
                         "expected a JSON object (one record per line)");
    }
    t->type = "";
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(t->doc.root, "v");
    if (v == NULL)
        return pm_err_at(err, PM_ERR_PARSE, t->ctx->path, t->doc.line,
                         t->doc.col, "expected member \"v\":1 in every record");
    if (!cJSON_IsNumber(v))
        return member_error(t, err, "v", PM_ERR_PARSE,
                            "expected \"v\" to be the number 1");
    if (v->valuedouble != 1) {
        char m[160];
        snprintf(m, sizeof m,
                 "expected \"v\":1, got version %g (this pmscope reads trace "
                 "format 1)",
                 v->valuedouble);
        return member_error(t, err, "v", PM_ERR_FORMAT, m);
    }
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(t->doc.root, "type");
    if (type == NULL)
        return pm_err_at(err, PM_ERR_PARSE, t->ctx->path, t->doc.line,
                         t->doc.col, "expected member \"type\" in every record");
    if (!cJSON_IsString(type))
        return member_error(t, err, "type", PM_ERR_PARSE,
                            "expected \"type\" to be a string");
    t->type = type->valuestring;
    const struct pm_json_member *dm = find_member(&t->doc, "data");
    if (t->doc.nul_escapes &&
        (dm == NULL || t->doc.nul_first < dm->val_off ||
         t->doc.nul_last >= dm->val_end))
        import_warn(t->ctx,
                    "line %ld: \\u0000 in a string outside \"data\"; the "
                    "string is cut there",
                    t->lineno);

    if (strcmp(t->type, "message") == 0)
        return trace_message(t, err);
    if (strcmp(t->type, "frame") == 0)
        return trace_frame(t, err);
    if (strcmp(t->type, "navigation") == 0)
        return trace_navigation(t, err);
    if (strcmp(t->type, "listener") == 0)
        return trace_listener(t, err);
    if (strcmp(t->type, "meta") == 0)
        return trace_meta(t, err);
    if (strcmp(t->type, "send") == 0)
        return trace_send(t, err);
    char q[200];
    import_warn(t->ctx, "line %ld: skipped record of unknown type \"%s\"",
                t->lineno, quote_input(t->type, q));
    return PM_OK;
}

static enum pm_rc
trace_run(struct pm_import_ctx *ctx, struct pm_err *err)
{
    struct trace_state *t = xcalloc(1, sizeof *t);
    t->ctx = ctx;
    t->rd.fp = ctx->fp;
    pm_buf_init(&t->line);
    pm_buf_init(&t->data);
    int r;
    while ((r = trace_read_line(t, err)) == 1) {
        t->lineno++;
        enum pm_rc rc = trace_record(t, err);
        json_doc_free(&t->doc);
        if (rc)
            break;
        import_progress(ctx, t->rd.consumed);
    }
    if (r == 0 && err->rc == PM_OK && t->records == 0)
        pm_err_at(err, PM_ERR_FORMAT, ctx->path, 0, 0,
                  "no trace records (the file holds only blank lines); "
                  "expected one JSON object per line");
    pm_buf_release(&t->line);
    pm_buf_release(&t->data);
    har_map_free(&t->sends);
    frames_free(t);
    free(t);
    return err->rc;
}

/* ---- detection ---------------------------------------------------------- */

/* Does the recorded outermost member key have a value starting with want? */
static int
probe_member(const struct pm_json_doc *d, const char *key, const char *want,
             int exact_number)
{
    const struct pm_json_member *m = find_member(d, key);
    size_t wlen = strlen(want);
    if (m == NULL || m->val_off + wlen > d->len ||
        memcmp(d->text + m->val_off, want, wlen) != 0)
        return 0;
    size_t e = m->val_off + wlen;
    return !exact_number || e >= d->len ||
           strchr("0123456789.eE", d->text[e]) == NULL;
}

/*
 * The first non-blank line is a JSON object with "v":1 and a "type" string
 * member: 100 when it parses, 80 when it is cut off by the probe window or
 * broken after those members (the importer then reports where), 40 for a
 * trace of another version (so the user hears about the version).
 */
static int
trace_probe(const unsigned char *head, size_t n)
{
    size_t i = 0;
    if (n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' ||
                     head[i] == '\n'))
        i++;
    if (i >= n || head[i] != '{')
        return 0;
    const unsigned char *nl = memchr(head + i, '\n', n - i);
    size_t len = nl ? (size_t)(nl - (head + i)) : n - i;
    struct pm_json_doc d;
    enum pm_rc rc = json_parse_located((const char *)head + i, len, NULL, 1, 1,
                                       "line", &d, NULL);
    json_doc_free(&d);
    if (!probe_member(&d, "type", "\"", 0))
        return 0;
    if (probe_member(&d, "v", "1", 1))
        return rc == PM_OK ? 100 : 80;
    return probe_member(&d, "v", "", 0) ? 40 : 0;
}

const struct pm_importer pm_importer_trace = {
    .name = "trace",
    .description = "pmscope trace JSONL",
    .probe = trace_probe,
    .run = trace_run,
};
