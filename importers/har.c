/*
 * har.c - the HAR 1.2 importer (Chrome/Edge, Firefox, Safari, Playwright,
 * Charles, Fiddler, Burp, mitmproxy and other producers).
 *
 * The streaming splitter (har_split.c) hands over one entry, page or the
 * creator at a time; each is parsed alone with cJSON, so memory is bounded
 * by the largest entry.  Every entry becomes one request row (headers kept
 * as JSON arrays of [name, value], the response body stored once per
 * content in bodies); document loads become windows through har_frames.c.
 *
 * Text policy: the splitter rejects invalid UTF-8 anywhere in the file
 * (with its line and column) instead of replacing it, so every string
 * stored from a HAR is valid UTF-8.  Base64 bodies (content.encoding) are
 * decoded and stored as bytes; a body whose base64 is broken is skipped
 * with a warning, the entry still imports.  Entries without request.url
 * are skipped with a warning; other missing fields are simply absent.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "har_frames.h"
#include "har_split.h"
#include "har_util.h"
#include "importer.h"
#include "mem.h"

/*
 * Probe: a JSON object whose first member (or one of the first) is "log".
 * HAR producers write "log" first; trace JSONL starts with {"v":1.
 */
static int
har_probe(const unsigned char *head, size_t n)
{
    size_t i = 0;
    if (n >= 3 && head[0] == 0xef && head[1] == 0xbb && head[2] == 0xbf)
        i = 3;
    while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' ||
                     head[i] == '\n'))
        i++;
    if (i >= n || head[i] != '{')
        return 0;
    i++;
    while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' ||
                     head[i] == '\n'))
        i++;
    if (n - i >= 5 && memcmp(head + i, "\"log\"", 5) == 0)
        return 95;
    if (memmem(head, n, "\"log\"", 5) &&
        (memmem(head, n, "\"entries\"", 9) || memmem(head, n, "\"creator\"", 9)))
        return 70;
    return 0;
}

static const char *
json_str(const cJSON *obj, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int
json_int(const cJSON *obj, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (cJSON_IsNumber(v) && v->valuedouble > -1e9 && v->valuedouble < 1e9)
        return (int)v->valuedouble;
    if (cJSON_IsString(v))
        return atoi(v->valuestring);
    return 0;
}

/* A WebPageTest flag: true, or a number other than 0. */
static int
json_truthy(const cJSON *obj, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsTrue(v) || (cJSON_IsNumber(v) && v->valuedouble != 0);
}

/* Append s as a JSON string literal. */
static void
json_quote(struct pm_buf *b, const char *s)
{
    pm_buf_addc(b, '"');
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"' || c == '\\') {
            pm_buf_addc(b, '\\');
            pm_buf_addc(b, (char)c);
        } else if (c < 0x20) {
            pm_buf_addf(b, "\\u%04x", c);
        } else {
            pm_buf_addc(b, (char)c);
        }
    }
    pm_buf_addc(b, '"');
}

/* Headers of a request or response, as the store wants them. */
struct har_headers {
    struct pm_buf json;   /* [["name","value"],...] */
};

/*
 * Render a HAR headers array into h->json, and hand back the values of the
 * names asked for (first occurrence; names compared case-insensitively;
 * HTTP/2 pseudo-headers are kept as written).
 */
static void
headers_read(const cJSON *arr, struct pm_buf *json, const char *const *names,
             const char **values, size_t nnames)
{
    pm_buf_reset(json);
    pm_buf_addc(json, '[');
    for (size_t i = 0; i < nnames; i++)
        values[i] = NULL;
    int first = 1;
    const cJSON *h;
    cJSON_ArrayForEach(h, arr) {
        const char *name = json_str(h, "name");
        const char *value = json_str(h, "value");
        if (name == NULL)
            continue;
        if (value == NULL)
            value = "";
        if (!first)
            pm_buf_addc(json, ',');
        first = 0;
        pm_buf_addc(json, '[');
        json_quote(json, name);
        pm_buf_addc(json, ',');
        json_quote(json, value);
        pm_buf_addc(json, ']');
        for (size_t i = 0; i < nnames; i++)
            if (values[i] == NULL && strcasecmp(name, names[i]) == 0)
                values[i] = value;
    }
    pm_buf_addc(json, ']');
}

static int
b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

/*
 * Decode base64 (standard or URL alphabet, white space ignored, padding
 * optional) into out.  Returns 0, or -1 at the first invalid character.
 */
static int
b64_decode(const char *s, struct pm_buf *out)
{
    pm_buf_reset(out);
    pm_buf_grow(out, strlen(s) / 4 * 3 + 3);
    unsigned acc = 0;
    int bits = 0, pad = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
            continue;
        if (*p == '=') {
            pad++;
            continue;
        }
        int v = b64_value(*p);
        if (v < 0 || pad)
            return -1;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out->data[out->len++] = (char)((acc >> bits) & 0xff);
        }
    }
    out->data[out->len] = '\0';
    return bits >= 6 ? -1 : 0;
}

/* First script URL on an _initiator.stack (following async parents). */
static const char *
initiator_stack_url(const cJSON *stack)
{
    for (int hops = 0; cJSON_IsObject(stack) && hops < 64; hops++) {
        const cJSON *fr;
        cJSON_ArrayForEach(fr, cJSON_GetObjectItemCaseSensitive(stack,
                                                                "callFrames")) {
            const char *u = json_str(fr, "url");
            if (u && u[0])
                return u;
        }
        stack = cJSON_GetObjectItemCaseSensitive(stack, "parent");
    }
    return NULL;
}

struct har_state {
    struct pm_import_ctx *ctx;
    struct har_frames *frames;
    double base_ms;           /* first entry's start; <0 until then */
    struct pm_buf req_headers, resp_headers, body;
};

/*
 * Time stamps are ms since the first entry's start (entries are normally
 * sorted; an entry that started earlier than the first one has no ts).
 */
static double
relative_ms(struct har_state *hs, const char *iso)
{
    double t = har_time_ms(iso);
    if (t < 0)
        return -1;
    if (hs->base_ms < 0)
        hs->base_ms = t;
    return t - hs->base_ms;
}

/* Store the response body (decoded), scan it; *body_id 0 if none. */
static enum pm_rc
har_import_body(struct har_state *hs, const struct har_entry *e,
                const cJSON *content, int64_t window_id, int64_t *body_id,
                struct pm_err *err)
{
    const char *text = json_str(content, "text");
    const char *encoding = json_str(content, "encoding");
    const char *data = text;
    size_t n = text ? strlen(text) : 0;
    *body_id = 0;
    if (text == NULL || n == 0)
        return PM_OK;
    if (encoding && strcasecmp(encoding, "base64") == 0) {
        if (b64_decode(text, &hs->body) != 0) {
            import_warn(hs->ctx, "entry %ld: response body is not valid "
                        "base64; body not stored", e->index);
            return PM_OK;
        }
        data = hs->body.data;
        n = hs->body.len;
    }
    if (store_add_body(hs->ctx->st, data, n, e->mime, body_id, err))
        return err->rc;
    har_frames_body(hs->frames, e, window_id, data, n);
    return PM_OK;
}

/*
 * The fields pmscope reads, with the type HAR 1.2 gives them.  A field of
 * another type would otherwise be dropped without a word (content.text as
 * an object, headers as an object); `lenient` ones are still read (a
 * status "200" is read as 200) but the warning says so.
 */
static const struct har_field {
    const char *in;   /* "entry", "request", "response" or "content" */
    const char *name;
    int type;         /* cJSON_String, cJSON_Number, ... */
    const char *want;
    int lenient;
} har_fields[] = {
    {"entry", "startedDateTime", cJSON_String, "a string", 0},
    {"entry", "pageref", cJSON_String, "a string", 0},
    {"entry", "request", cJSON_Object, "an object", 0},
    {"entry", "response", cJSON_Object, "an object", 0},
    {"request", "url", cJSON_String, "a string", 0},
    {"request", "method", cJSON_String, "a string", 0},
    {"request", "headers", cJSON_Array, "an array", 0},
    {"response", "status", cJSON_Number, "a number", 1},
    {"response", "headers", cJSON_Array, "an array", 0},
    {"response", "content", cJSON_Object, "an object", 0},
    {"response", "redirectURL", cJSON_String, "a string", 0},
    {"content", "text", cJSON_String, "a string", 0},
    {"content", "mimeType", cJSON_String, "a string", 0},
    {"content", "encoding", cJSON_String, "a string", 0},
};

static const char *
json_type_name(const cJSON *v)
{
    switch (v->type & 0xFF) {
    case cJSON_String: return "a string";
    case cJSON_Number: return "a number";
    case cJSON_Object: return "an object";
    case cJSON_Array: return "an array";
    case cJSON_True:
    case cJSON_False: return "a boolean";
    case cJSON_NULL: return "null";
    default: return "something else";
    }
}

/* Warn about each present field of har_fields whose type is wrong. */
static void
har_check_field_types(struct pm_import_ctx *ctx, const struct har_item *item,
                      const cJSON *root)
{
    const cJSON *req = cJSON_GetObjectItemCaseSensitive(root, "request");
    const cJSON *resp = cJSON_GetObjectItemCaseSensitive(root, "response");
    const cJSON *parents[] = {
        root, cJSON_IsObject(req) ? req : NULL, cJSON_IsObject(resp) ? resp : NULL,
        cJSON_IsObject(resp)
            ? cJSON_GetObjectItemCaseSensitive(resp, "content") : NULL,
    };
    static const char *const names[] = {"entry", "request", "response",
                                        "content"};
    for (size_t i = 0; i < sizeof har_fields / sizeof har_fields[0]; i++) {
        const struct har_field *f = &har_fields[i];
        size_t k = 0;
        while (strcmp(names[k], f->in) != 0)
            k++;
        if (!cJSON_IsObject(parents[k]))
            continue;
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(parents[k], f->name);
        if (v == NULL || (v->type & 0xFF) == f->type || cJSON_IsNull(v))
            continue;
        import_warn(ctx, "line %ld: entry %ld: %s%s%s is %s, expected %s; %s",
                    item->line, item->index,
                    k == 0 ? "" : k == 3 ? "response.content" : f->in,
                    k == 0 ? "" : ".", f->name, json_type_name(v), f->want,
                    f->lenient && cJSON_IsString(v) ? "read as a number"
                                                    : "ignored");
    }
}

/*
 * 1 when the entry's JSON text holds a \u0000 escape (an odd run of
 * backslashes before "u0000"): the parsed string ends there.
 */
static int
har_has_nul_escape(const char *text, size_t len)
{
    for (size_t i = 0; i + 6 <= len; i++) {
        if (text[i] != '\\' || memcmp(text + i + 1, "u0000", 5) != 0)
            continue;
        size_t run = 1;
        while (run <= i && text[i - run] == '\\')
            run++;
        if (run % 2 == 1)
            return 1;
    }
    return 0;
}

/* One log.entries[i]. */
static enum pm_rc
har_import_entry(struct har_state *hs, struct har_split *sp,
                 const struct har_item *item, struct pm_err *err)
{
    struct pm_import_ctx *ctx = hs->ctx;
    cJSON *root = cJSON_ParseWithLength(item->text, item->len);
    if (root == NULL)
        return pm_err_at(err, PM_ERR_PARSE, ctx->path, item->line, item->col,
                         "entry %ld: cannot parse this entry", item->index);
    if (har_has_nul_escape(item->text, item->len))
        import_warn(ctx, "line %ld: entry %ld: \\u0000 in a string; the "
                    "string is cut there", item->line, item->index);
    har_split_trim(sp); /* the parsed tree is all that is needed now */
    har_check_field_types(ctx, item, root);
    enum pm_rc rc = PM_OK;
    const cJSON *req = cJSON_GetObjectItemCaseSensitive(root, "request");
    const cJSON *resp = cJSON_GetObjectItemCaseSensitive(root, "response");
    const cJSON *content = cJSON_GetObjectItemCaseSensitive(resp, "content");
    struct har_entry e = {.index = item->index};
    e.url = json_str(req, "url");
    if (e.url == NULL || e.url[0] == '\0') {
        import_warn(ctx, "line %ld: entry %ld: no request.url; entry skipped",
                    item->line, item->index);
        goto out;
    }
    e.method = json_str(req, "method");
    e.started_at = json_str(root, "startedDateTime");
    e.ts = relative_ms(hs, e.started_at);
    e.pageref = json_str(root, "pageref");
    e.frameref = json_str(root, "_frameref");
    if (e.frameref == NULL)
        e.frameref = json_str(root, "_frame_id");
    e.rtype = json_str(root, "_resourceType");
    if (e.rtype == NULL)
        e.rtype = json_str(root, "_request_type");
    e.doc_url = json_str(root, "_documentURL");
    e.base_page = json_truthy(root, "_final_base_page") ||
                  json_truthy(root, "_is_base_page");
    e.status = json_int(resp, "status");
    e.mime = json_str(content, "mimeType");
    e.redirect = json_str(resp, "redirectURL");

    static const char *const req_names[] = {
        "sec-fetch-dest", "referer", "accept", "x-requested-with",
    };
    const char *rq[4];
    headers_read(cJSON_GetObjectItemCaseSensitive(req, "headers"),
                 &hs->req_headers, req_names, rq, 4);
    e.dest = rq[0] && rq[0][0] ? rq[0] : NULL;
    e.referer = rq[1];
    e.accept = rq[2];
    e.xhr = rq[3] != NULL;

    static const char *const resp_names[] = {
        "x-frame-options", "content-security-policy", "location",
        "content-type",
    };
    const char *rs[4];
    headers_read(cJSON_GetObjectItemCaseSensitive(resp, "headers"),
                 &hs->resp_headers, resp_names, rs, 4);
    e.xfo = rs[0];
    e.csp = rs[1];
    if (e.redirect == NULL || e.redirect[0] == '\0')
        e.redirect = rs[2];
    if (e.mime == NULL || e.mime[0] == '\0')
        e.mime = rs[3];

    const cJSON *init = cJSON_GetObjectItemCaseSensitive(root, "_initiator");
    if (cJSON_IsObject(init)) {
        e.init_type = json_str(init, "type");
        e.init_url = json_str(init, "url");
        e.init_stack_url = initiator_stack_url(
            cJSON_GetObjectItemCaseSensitive(init, "stack"));
    } else if (cJSON_IsString(init)) {
        /* chrome-har and WebPageTest write the URL alone, the type beside */
        e.init_url = init->valuestring[0] ? init->valuestring : NULL;
    }
    if (e.init_type == NULL)
        e.init_type = json_str(root, "_initiator_type");

    int64_t window_id, body_id, request_id;
    if (har_frames_entry(hs->frames, &e, &window_id, err) ||
        har_import_body(hs, &e, content, window_id, &body_id, err)) {
        rc = err->rc;
        goto out;
    }
    struct pm_request_rec r = {
        .source_id = ctx->source_id,
        .window_id = window_id,
        .entry_index = item->index,
        .url = e.url,
        .method = e.method,
        .status = e.status,
        .mime = e.mime,
        .dest = e.dest ? e.dest : e.rtype,
        .started_at = e.started_at,
        .ts = e.ts,
        .body_id = body_id,
        .req_headers = hs->req_headers.data,
        .resp_headers = hs->resp_headers.data,
    };
    rc = store_add_request(ctx->st, &r, &request_id, err);
out:
    cJSON_Delete(root);
    return rc;
}

static enum pm_rc
har_import_page(struct har_state *hs, const struct har_item *item,
                struct pm_err *err)
{
    cJSON *root = cJSON_ParseWithLength(item->text, item->len);
    if (root == NULL)
        return pm_err_at(err, PM_ERR_PARSE, hs->ctx->path, item->line,
                         item->col, "page %ld: cannot parse this page",
                         item->index);
    const char *started = json_str(root, "startedDateTime");
    har_frames_page(hs->frames, json_str(root, "id"), json_str(root, "title"),
                    har_time_ms(started));
    cJSON_Delete(root);
    return PM_OK;
}

/* log.creator: "name version" into ctx->tool. */
static void
har_import_creator(struct har_state *hs, const struct har_item *item)
{
    cJSON *root = cJSON_ParseWithLength(item->text, item->len);
    const char *name = json_str(root, "name");
    const char *version = json_str(root, "version");
    if (name && name[0])
        snprintf(hs->ctx->tool, sizeof hs->ctx->tool, "%s%s%s", name,
                 version && version[0] ? " " : "", version ? version : "");
    cJSON_Delete(root);
}

/*
 * pmscope reads HAR 1.x (1.2, and 1.1 which it extends).  A log that says
 * it is another version is still imported as far as its fields match, with
 * a warning naming the version, since fields may have changed meaning.
 */
static void
har_check_version(struct pm_import_ctx *ctx, const char *version)
{
    if (version == NULL || strcmp(version, "1") == 0 ||
        strncmp(version, "1.", 2) == 0)
        return;
    import_warn(ctx, "log.version is \"%s\"; pmscope reads HAR 1.x (1.2), "
                "so fields of this version may be missed or misread",
                version);
}

static enum pm_rc
har_run(struct pm_import_ctx *ctx, struct pm_err *err)
{
    struct har_state hs = {.ctx = ctx, .base_ms = -1};
    pm_buf_init(&hs.req_headers);
    pm_buf_init(&hs.resp_headers);
    pm_buf_init(&hs.body);
    hs.frames = har_frames_new(ctx);
    struct har_split *sp = har_split_new(ctx->fp, ctx->path, 0);
    struct har_item item;
    enum pm_rc rc;
    for (;;) {
        if ((rc = har_split_next(sp, &item, err)) != PM_OK)
            break;
        if (item.kind == HAR_ITEM_END) {
            har_check_version(ctx, har_split_log_version(sp));
            rc = har_frames_finish(hs.frames, hs.base_ms, err);
            if (rc == PM_OK && hs.base_ms >= 0)
                rc = store_source_set_clock(ctx->st, ctx->source_id,
                                            hs.base_ms, err);
            break;
        }
        if (item.kind == HAR_ITEM_ENTRY)
            rc = har_import_entry(&hs, sp, &item, err);
        else if (item.kind == HAR_ITEM_PAGE)
            rc = har_import_page(&hs, &item, err);
        else
            har_import_creator(&hs, &item);
        if (rc)
            break;
        import_progress(ctx, item.offset);
    }
    har_split_free(sp);
    har_frames_free(hs.frames);
    pm_buf_release(&hs.req_headers);
    pm_buf_release(&hs.resp_headers);
    pm_buf_release(&hs.body);
    return rc;
}

const struct pm_importer pm_importer_har = {
    .name = "har",
    .description = "HAR 1.2 from browsers and proxies",
    .probe = har_probe,
    .run = har_run,
};
