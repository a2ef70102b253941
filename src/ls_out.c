/*
 * ls_out.c - printing untrusted text for people (escaped and cut to a
 * width by term_text) and --json arrays for scripts (json_puts_safe), for
 * the ls kinds and the commands that print rows the same way (show,
 * import, recheck).  Calls nothing above it.
 */
#include "ls_out.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

#include "buf.h"
#include "json_safe.h"
#include "store_query.h"
#include "term_text.h"

void
ls_put(FILE *out, const char *s)
{
    struct pm_buf b;
    pm_buf_init(&b);
    term_text_fits(&b, s ? s : "", 1 << 30, 0);
    fwrite(b.data, 1, b.len, out);
    pm_buf_release(&b);
}

void
ls_put_cols(FILE *out, const char *s, int cols, int pad)
{
    struct pm_buf b;
    pm_buf_init(&b);
    term_text_fits(&b, s ? s : "", cols, TT_ELLIPSIS | (pad ? TT_PAD : 0));
    fwrite(b.data, 1, b.len, out);
    pm_buf_release(&b);
}

cJSON *
ls_json_message(const struct pm_message_row *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", (double)r->id);
    ls_json_str(o, "ext_id", r->ext_id);
    cJSON_AddNumberToObject(o, "ts", r->ts);
    ls_json_str(o, "from", r->sender_origin);
    ls_json_str(o, "to", r->receiver_origin);
    ls_json_id(o, "sender_window", r->sender_window_id);
    ls_json_id(o, "receiver_window", r->receiver_window_id);
    ls_json_str(o, "target_origin", r->target_origin);
    ls_json_str(o, "via", r->via);
    ls_json_str(o, "port", r->port);
    cJSON_AddNumberToObject(o, "size", (double)r->size);
    ls_json_id(o, "reply_to", r->reply_to);
    ls_json_id(o, "flow", r->flow_id);
    return o;
}

int
ls_json_finish(cJSON *arr)
{
    char *text = cJSON_PrintUnformatted(arr);
    cJSON_Delete(arr);
    if (text == NULL)
        return 3;
    json_puts_safe(text, stdout);
    free(text);
    return 0;
}

void
ls_json_str(cJSON *o, const char *k, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

void
ls_json_id(cJSON *o, const char *k, int64_t v)
{
    if (v > 0)
        cJSON_AddNumberToObject(o, k, (double)v);
    else
        cJSON_AddNullToObject(o, k);
}
