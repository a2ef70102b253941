/*
 * openwpm_js.c - what OpenWPM's JavaScript instrumentation rows mean for
 * pmscope: postMessage calls become messages, addEventListener('message')
 * and onmessage assignments become listeners, MessageEvent.origin reads a
 * hint on them.  importers/openwpm.c reads the rows from the crawl database
 * and hands them over as plain records (struct owpm_js_rec), so this file
 * deals only with the values' encoding (Extension/src/lib/js-instruments.ts:
 * serializeObject, the per-script log cap), not with SQL.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "openwpm_int.h"
#include "origin.h"

/*
 * The frame a javascript row ran in.  Without navigation or http data for
 * it, the window is made from the row: its tab's top from top_level_url,
 * and a subframe under that top (an ancestor, so parent_how "inferred").
 */
static enum pm_rc
owpm_js_frame(struct owpm_run *r, const struct owpm_js_rec *j,
              struct owpm_frame **out, struct pm_err *err)
{
    int64_t tab = j->tab, frame = j->frame;
    *out = owpm_frame_find(r, tab, frame);
    if (*out)
        return PM_OK;
    if (frame != 0 && owpm_frame_find(r, tab, 0) == NULL) {
        struct owpm_new_frame top = {
            .tab = tab, .frame = 0, .parent_frame = -1, .opener_tab = -1,
            .url = j->top_level_url, .ts = j->ts,
        };
        struct owpm_frame *tf;
        if (owpm_frame_add(r, &top, &tf, err))
            return err->rc;
    }
    struct owpm_new_frame nf = {
        .tab = tab, .frame = frame, .parent_frame = frame ? 0 : -1,
        .parent_is_ancestor = 1, .opener_tab = -1, .url = j->document_url,
        .ts = j->ts,
    };
    return owpm_frame_add(r, &nf, out, err);
}

/*
 * Decode one serialized argument.  OpenWPM's serializeObject turns objects
 * into JSON text (so they sit in the arguments array as strings: two levels
 * of JSON), null into the string "null", functions into "FUNCTION", and a
 * failure into "SERIALIZATION ERROR: ...".  A string that parses as a JSON
 * object or array is taken as the object it encodes; a page that posted
 * the same JSON as a string is indistinguishable in the crawl.
 */
static cJSON *
owpm_arg_decode(const cJSON *arg)
{
    if (cJSON_IsString(arg)) {
        const char *v = arg->valuestring;
        if (strcmp(v, "null") == 0)
            return cJSON_CreateNull();
        if (v[0] == '{' || v[0] == '[') {
            cJSON *inner = cJSON_Parse(v);
            if (cJSON_IsObject(inner) || cJSON_IsArray(inner))
                return inner;
            cJSON_Delete(inner);
        }
    }
    return arg ? cJSON_Duplicate(arg, 1) : cJSON_CreateNull();
}

/* targetOrigin from arg 2: a string, or an options object's member. */
static const char *
owpm_target_origin(const cJSON *arg, cJSON **opts)
{
    *opts = NULL;
    if (!cJSON_IsString(arg))
        return NULL;
    if (arg->valuestring[0] != '{')
        return arg->valuestring;
    *opts = cJSON_Parse(arg->valuestring);
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(*opts, "targetOrigin");
    return cJSON_IsString(t) ? t->valuestring : "/";
}

/* Count a call toward OpenWPM's per-script log cap; warn when it is hit. */
static void
owpm_count_call(struct owpm_run *r, const struct owpm_frame *f,
                const char *script, const char *symbol)
{
    uint64_t key = owpm_hash(owpm_hash((uint64_t)f->window_id, script), symbol);
    size_t i;
    for (i = 0; i < r->ncounts; i++)
        if (r->counts[i].key == key)
            break;
    if (i == r->ncounts) {
        if (r->ncounts == r->capcounts) {
            r->capcounts = r->capcounts ? 2 * r->capcounts : 16;
            r->counts = xrealloc(r->counts, r->capcounts * sizeof *r->counts);
        }
        r->counts[r->ncounts].key = key;
        r->counts[r->ncounts++].n = 0;
    }
    if (++r->counts[i].n == OWPM_LOG_CAP)
        import_warn(r->ctx, "visit %lld: %s from %s reached OpenWPM's "
                    "%d-call log cap; later calls were not recorded",
                    (long long)r->visit, symbol, script ? script : "(inline)",
                    OWPM_LOG_CAP);
}

static enum pm_rc
owpm_js_message(struct owpm_run *r, const struct owpm_js_rec *j,
                struct owpm_frame *f, struct pm_err *err)
{
    const char *symbol = j->symbol, *args = j->arguments;
    long long row = (long long)j->id;
    if (args == NULL) {
        import_warn(r->ctx, "javascript row %lld: %s call without arguments",
                    row, symbol);
        return PM_OK;
    }
    if (strlen(args) > OWPM_ARGS_MAX) {
        import_warn(r->ctx, "javascript row %lld: arguments larger than "
                    "%d MB, skipped", row, OWPM_ARGS_MAX >> 20);
        return PM_OK;
    }
    cJSON *list = cJSON_Parse(args);
    if (!cJSON_IsArray(list)) {
        import_warn(r->ctx, "javascript row %lld: arguments are not a JSON "
                    "array", row);
        cJSON_Delete(list);
        return PM_OK;
    }
    cJSON *data = owpm_arg_decode(cJSON_GetArrayItem(list, 0));
    char *data_json = cJSON_PrintUnformatted(data);
    const char *via = "window", *target = NULL;
    cJSON *opts = NULL;
    char recv[PM_ORIGIN_MAX] = "";
    if (strcmp(symbol, "window.postMessage") == 0) {
        target = owpm_target_origin(cJSON_GetArrayItem(list, 1), &opts);
        struct pm_err oerr = PM_ERR_INIT;
        if (target && strcmp(target, "/") == 0)
            snprintf(recv, sizeof recv, "%s", f->origin);
        else if (target && strcmp(target, "*") != 0 &&
                 origin_from_url(target, NULL, recv, &oerr) != PM_OK)
            recv[0] = '\0';
    } else if (strncmp(symbol, "MessagePort", 11) == 0) {
        via = "port";
    } else if (strncmp(symbol, "BroadcastChannel", 16) == 0) {
        via = "broadcast";
    } else {
        via = "worker";
    }
    char ext[32];
    snprintf(ext, sizeof ext, "js:%lld", row);
    struct pm_message_rec m = {
        .source_id = r->ctx->source_id,
        .ext_id = ext,
        .ts = j->ts < 0 ? 0 : j->ts,
        .sender_window_id = f->window_id,
        .receiver_window_id = 0,
        .sender_origin = f->origin[0] ? f->origin : NULL,
        .receiver_origin = recv[0] ? recv : NULL,
        .target_origin = target,
        .via = via,
        .data_json = data_json,
    };
    int64_t id;
    enum pm_rc rc = store_add_message(r->ctx->st, &m, &id, err);
    if (rc == PM_OK)
        r->messages++;
    free(data_json);
    cJSON_Delete(data);
    cJSON_Delete(opts);
    cJSON_Delete(list);
    return rc;
}

/* A message listener: addEventListener('message', fn) or onmessage = fn. */
static enum pm_rc
owpm_js_listener(struct owpm_run *r, const struct owpm_js_rec *j, size_t fi,
                 struct pm_err *err)
{
    const char *code = NULL;
    cJSON *list = NULL;
    if (strcmp(j->symbol, "window.onmessage") == 0) {
        if (j->operation == NULL || strcmp(j->operation, "set") != 0)
            return PM_OK;
        code = j->value;
        if (code == NULL || strcmp(code, "null") == 0)
            return PM_OK; /* handler removed */
    } else {
        const char *args = j->arguments;
        if (args == NULL || strlen(args) > OWPM_ARGS_MAX)
            return PM_OK;
        list = cJSON_Parse(args);
        const cJSON *type = cJSON_GetArrayItem(list, 0);
        if (!cJSON_IsString(type) || strcmp(type->valuestring, "message") != 0) {
            cJSON_Delete(list);
            return PM_OK;
        }
        const cJSON *fn = cJSON_GetArrayItem(list, 1);
        code = cJSON_IsString(fn) ? fn->valuestring : NULL;
    }
    /* "FUNCTION" is all OpenWPM logs unless logFunctionsAsStrings is set. */
    if (code && strcmp(code, "FUNCTION") == 0)
        code = NULL;
    const char *script = j->script_url;
    const char *line = j->script_line, *col = j->script_col;
    struct owpm_frame *f = &r->frames[fi];
    uint64_t key = owpm_hash((uint64_t)f->window_id, script);
    key = owpm_hash(owpm_hash(owpm_hash(key, line), col), code);
    for (size_t i = 0; i < r->nlisteners; i++) {
        if (r->listeners[i].key == key) { /* the same handler again */
            cJSON_Delete(list);
            return PM_OK;
        }
    }
    struct pm_listener_rec l = {
        .source_id = r->ctx->source_id,
        .window_id = f->window_id,
        .script_url = script,
        .line = line ? strtol(line, NULL, 10) : 0,
        .col = col ? strtol(col, NULL, 10) : 0,
        .code = code,
        .found_by = "openwpm",
    };
    int64_t id;
    enum pm_rc rc = store_add_listener(r->ctx->st, &l, &id, err);
    cJSON_Delete(list);
    if (rc)
        return rc;
    if (r->nlisteners == r->caplisteners) {
        r->caplisteners = r->caplisteners ? 2 * r->caplisteners : 8;
        r->listeners = xrealloc(r->listeners,
                                r->caplisteners * sizeof *r->listeners);
    }
    r->listeners[r->nlisteners++] =
        (struct owpm_listener){key, id, fi, code != NULL};
    return PM_OK;
}

enum pm_rc
owpm_js_row(struct owpm_run *r, const struct owpm_js_rec *j,
            struct pm_err *err)
{
    const char *symbol = j->symbol, *op = j->operation;
    struct owpm_frame *f;
    if (symbol == NULL || owpm_js_frame(r, j, &f, err))
        return err->rc;
    if (f == NULL)
        return PM_OK; /* frame map full, warned */
    int call = op && strcmp(op, "call") == 0;
    if (call)
        owpm_count_call(r, f, j->script_url, symbol);
    if (strcmp(symbol, "MessageEvent.origin") == 0) {
        if (op && strncmp(op, "get", 3) == 0)
            f->origin_reads++;
        return PM_OK;
    }
    if (strstr(symbol, ".postMessage"))
        return call ? owpm_js_message(r, j, f, err) : PM_OK;
    if (strcmp(symbol, "window.onmessage") != 0 && !call)
        return PM_OK;
    return owpm_js_listener(r, j, (size_t)(f - r->frames), err);
}
