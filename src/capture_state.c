/*
 * capture_state.c - the capture's shared tables and the few operations
 * every capture module uses on them: the clock, sending a command and
 * remembering that its reply needs handling, finding an execution context,
 * keeping a hook record within the memory bounds.  capture.c (sessions,
 * frames, the event loop) and capture_bp.c (the breakpoints) both call
 * here; nothing here calls them.
 */
#include "capture_int.h"

#include <string.h>
#include <time.h>

#include "mem.h"

#define CAP_MAX_HOOK_BYTES (256u * 1024 * 1024)
#define CAP_MAX_HOOKS 1000000

double
cap_now_ms(const struct capture *cap)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6 -
           cap->start_epoch_ms;
}

/* Send a command on session index si (-1 = browser). */
int
cap_cmd(struct capture *cap, int si, const char *method, cJSON *params)
{
    const char *sid = si >= 0 ? cap->sessions[si].id : NULL;
    return cdp_send(&cap->cdp, sid, method, params);
}

/* Remember that the reply to command `id` needs handling. */
void
cap_expect(struct capture *cap, int id, enum cap_pending_kind kind, int arg)
{
    if (id < 0)
        return;
    CAP_GROW(cap->pending, cap->npending, cap->cap_pending);
    cap->pending[cap->npending].id = id;
    cap->pending[cap->npending].kind = kind;
    cap->pending[cap->npending].arg = arg;
    cap->npending++;
}

const struct cap_context *
cap_context_find(const struct capture *cap, int si, int ctx_id)
{
    for (int i = cap->ncontexts - 1; i >= 0; i--)
        if (cap->contexts[i].session == si && cap->contexts[i].ctx_id == ctx_id)
            return &cap->contexts[i];
    return NULL;
}

void
cap_hook_add(struct capture *cap, int frame, cJSON *rec, size_t len)
{
    if (cap->hook_bytes + len > CAP_MAX_HOOK_BYTES ||
        cap->nhooks >= CAP_MAX_HOOKS) {
        cap->dropped++;
        cJSON_Delete(rec);
        return;
    }
    const cJSON *ts = cJSON_GetObjectItemCaseSensitive(rec, "ts");
    double t = cJSON_IsNumber(ts) ? ts->valuedouble - cap->start_epoch_ms
                                  : cap_now_ms(cap);
    CAP_GROW(cap->hooks, cap->nhooks, cap->cap_hooks);
    cap->hooks[cap->nhooks].frame = frame;
    cap->hooks[cap->nhooks].ts = t < 0 ? 0 : t;
    cap->hooks[cap->nhooks].arrival = cap_now_ms(cap);
    cap->hooks[cap->nhooks].rec = rec;
    cap->nhooks++;
    cap->hook_bytes += len;
    cap->events++;
}
