/*
 * test_capture_trace.c - the capture's matching of sends with deliveries
 * (src/capture_trace.c), on hook records written by hand the way
 * capture_hooks.js reports them: targetOrigin decides between identical
 * sends, unseen sends fall back to event.source, MessagePorts follow a
 * transfer, BroadcastChannel fans out, frames are declared before use, a
 * navigation precedes what its new document did, and a renderer whose
 * clock runs behind does not number a message before the one it answers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "capture_int.h"
#include "mem.h"

#define OA "http://a.test"
#define OB "http://b.test"
#define OC "http://c.test"

static struct capture_opts test_opts = { .url = OA "/" };

static void
add_frame(struct capture *cap, const char *url, enum cap_frame_kind kind,
          int parent, int opener, double ts)
{
    cap->frames = xrealloc(cap->frames,
                           (size_t)(cap->nframes + 1) * sizeof *cap->frames);
    struct cap_frame *f = &cap->frames[cap->nframes];
    memset(f, 0, sizeof *f);
    char id[16];
    snprintf(id, sizeof id, "CDP%d", cap->nframes);
    f->cdp_id = xstrdup(id);
    f->url = xstrdup(url);
    f->cur_url = xstrdup(url);
    f->kind = kind;
    f->parent = parent;
    f->opener = opener;
    f->ts = ts;
    f->page = -1;
    cap->nframes++;
}

/* A hook record (JSON text as the binding delivers it) from frame at ts. */
static void
add_hook(struct capture *cap, int frame, double ts, const char *json)
{
    cJSON *rec = cJSON_Parse(json);
    assert_non_null(rec);
    if (cap->nhooks == cap->cap_hooks) {
        cap->cap_hooks = cap->cap_hooks ? cap->cap_hooks * 2 : 64;
        cap->hooks = xrealloc(cap->hooks,
                              (size_t)cap->cap_hooks * sizeof *cap->hooks);
    }
    cap->hooks[cap->nhooks].frame = frame;
    cap->hooks[cap->nhooks].ts = ts;
    cap->hooks[cap->nhooks].arrival = 0;
    cap->hooks[cap->nhooks].rec = rec;
    cap->nhooks++;
}

static void
capture_init(struct capture *cap)
{
    memset(cap, 0, sizeof *cap);
    cap->opts = &test_opts;
}

static void
capture_release(struct capture *cap)
{
    for (int i = 0; i < cap->nframes; i++) {
        free(cap->frames[i].cdp_id);
        free(cap->frames[i].url);
        free(cap->frames[i].cur_url);
    }
    free(cap->frames);
    for (int i = 0; i < cap->nhooks; i++)
        cJSON_Delete(cap->hooks[i].rec);
    free(cap->hooks);
    for (int i = 0; i < cap->nnavs; i++)
        free(cap->navs[i].url);
    free(cap->navs);
}

/*
 * Write the trace and return its message/send records as compact lines:
 * "M1 F1>F2 to=ORIGIN via=window port=- by=send data" and
 * "send F1 to=... msg=M1|undelivered".  Checks that every frame reference
 * points at a frame declared on an earlier line.
 */
/* The trace cap_trace_write writes, as one string (the caller frees it). */
static char *
write_trace(struct capture *cap, struct capture_result *res)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    struct pm_err err = PM_ERR_INIT;
    memset(res, 0, sizeof *res);
    assert_int_equal(cap_trace_write(cap, f, "the trace", res, &err), PM_OK);
    fclose(f);
    return text;
}

static char *
run_trace(struct capture *cap, struct capture_result *res)
{
    char *text = write_trace(cap, res);

    struct pm_buf out;
    pm_buf_init(&out);
    char declared[64][8];
    int ndeclared = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        cJSON *r = cJSON_Parse(line);
        assert_non_null(r);
        const char *type = cJSON_GetObjectItem(r, "type")->valuestring;
        static const char *const refs[] = { "parent", "opener", "frame",
                                            "sender", "receiver" };
        for (size_t k = 0; k < sizeof refs / sizeof refs[0]; k++) {
            cJSON *v = cJSON_GetObjectItem(r, refs[k]);
            if (!cJSON_IsString(v))
                continue;
            int ok = 0;
            for (int d = 0; d < ndeclared; d++)
                ok |= strcmp(declared[d], v->valuestring) == 0;
            if (!ok)
                fail_msg("%s refers to undeclared frame %s", type,
                         v->valuestring);
        }
        if (strcmp(type, "frame") == 0 && ndeclared < 64)
            snprintf(declared[ndeclared++], 8, "%s",
                     cJSON_GetObjectItem(r, "id")->valuestring);
        cJSON *to = cJSON_GetObjectItem(r, "target_origin");
        cJSON *port = cJSON_GetObjectItem(r, "port");
        char *data = cJSON_PrintUnformatted(cJSON_GetObjectItem(r, "data"));
        if (strcmp(type, "message") == 0) {
            cJSON *s = cJSON_GetObjectItem(r, "sender");
            cJSON *by = cJSON_GetObjectItem(r, "x_sender_by");
            pm_buf_addf(&out, "%s %s>%s to=%s via=%s port=%s by=%s %s\n",
                        cJSON_GetObjectItem(r, "id")->valuestring,
                        cJSON_IsString(s) ? s->valuestring : "?",
                        cJSON_GetObjectItem(r, "receiver")->valuestring,
                        cJSON_IsString(to) ? to->valuestring : "-",
                        cJSON_GetObjectItem(r, "via")->valuestring,
                        cJSON_IsString(port) ? port->valuestring : "-",
                        cJSON_IsString(by) ? by->valuestring : "send", data);
        } else if (strcmp(type, "send") == 0) {
            cJSON *m = cJSON_GetObjectItem(r, "x_message");
            pm_buf_addf(&out, "send %s to=%s %s\n",
                        cJSON_GetObjectItem(r, "frame")->valuestring,
                        cJSON_IsString(to) ? to->valuestring : "-",
                        cJSON_IsString(m) ? m->valuestring : "undelivered");
        }
        free(data);
        cJSON_Delete(r);
    }
    free(text);
    return pm_buf_detach(&out);
}

/* Identical data sent to two frames: targetOrigin says which is which. */
static void
test_target_origin_disambiguates(void **state)
{
    (void)state;
    struct capture cap;
    capture_init(&cap);
    add_frame(&cap, OA "/", CAP_TOP, -1, -1, 0);
    add_frame(&cap, OB "/", CAP_IFRAME, 0, -1, 1);
    add_frame(&cap, OC "/", CAP_IFRAME, 0, -1, 2);
    add_hook(&cap, 0, 10, "{\"k\":\"send\",\"via\":\"window\",\"rel\":\"iframe:x\","
             "\"to\":\"" OB "/path\",\"data\":\"{\\\"a\\\":1}\",\"o\":\"" OA "\"}");
    add_hook(&cap, 0, 11, "{\"k\":\"send\",\"via\":\"window\",\"rel\":\"iframe:y\","
             "\"to\":\"" OC "\",\"data\":\"{\\\"a\\\":1}\",\"o\":\"" OA "\"}");
    /* C's delivery is seen first */
    add_hook(&cap, 2, 12, "{\"k\":\"deliver\",\"via\":\"window\",\"seq\":1,"
             "\"origin\":\"" OA "\",\"src\":\"parent\",\"data\":\"{\\\"a\\\":1}\","
             "\"o\":\"" OC "\",\"ports\":[]}");
    add_hook(&cap, 1, 13, "{\"k\":\"deliver\",\"via\":\"window\",\"seq\":1,"
             "\"origin\":\"" OA "\",\"src\":\"parent\",\"data\":\"{\\\"a\\\":1}\","
             "\"o\":\"" OB "\",\"ports\":[]}");
    struct capture_result res;
    char *out = run_trace(&cap, &res);
    assert_string_equal(out,
        "send F1 to=" OB "/path M2\n"
        "send F1 to=" OC " M1\n"
        "M1 F1>F3 to=" OC " via=window port=- by=send {\"a\":1}\n"
        "M2 F1>F2 to=" OB "/path via=window port=- by=send {\"a\":1}\n");
    assert_int_equal(res.messages, 2);
    assert_int_equal(res.unmatched_sends, 0);
    free(out);
    capture_release(&cap);
}

/* No send seen: the sender comes from event.source; a lost send stays one. */
static void
test_unseen_and_undelivered(void **state)
{
    (void)state;
    struct capture cap;
    capture_init(&cap);
    add_frame(&cap, OA "/", CAP_TOP, -1, -1, 0);
    add_frame(&cap, OB "/", CAP_IFRAME, 0, -1, 1);
    add_frame(&cap, OC "/p", CAP_POPUP, -1, 0, 50);
    add_hook(&cap, 0, 5, "{\"k\":\"deliver\",\"via\":\"window\",\"seq\":1,"
             "\"origin\":\"" OB "\",\"src\":\"frames[0]\",\"data\":\"1\","
             "\"o\":\"" OA "\",\"ports\":[]}");
    add_hook(&cap, 0, 6, "{\"k\":\"deliver\",\"via\":\"window\",\"seq\":2,"
             "\"origin\":\"" OC "\",\"src\":\"popup:" OC "/p\",\"data\":\"2\","
             "\"o\":\"" OA "\",\"ports\":[]}");
    add_hook(&cap, 0, 7, "{\"k\":\"deliver\",\"via\":\"window\",\"seq\":3,"
             "\"origin\":\"null\",\"src\":\"other\",\"data\":\"3\","
             "\"o\":\"" OA "\",\"ports\":[]}");
    /* targetOrigin does not admit F2's origin: never delivered */
    add_hook(&cap, 0, 8, "{\"k\":\"send\",\"via\":\"window\",\"rel\":\"parent\","
             "\"to\":\"" OC "\",\"data\":\"4\",\"o\":\"" OA "\"}");
    struct capture_result res;
    char *out = run_trace(&cap, &res);
    /* the popup's frame record (ts 50) is hoisted before M2 (ts 6) */
    assert_string_equal(out,
        "M1 F2>F1 to=- via=window port=- by=event.source 1\n"
        "M2 F3>F1 to=- via=window port=- by=event.source 2\n"
        "M3 ?>F1 to=- via=window port=- by=unknown 3\n"
        "send F1 to=" OC " undelivered\n");
    assert_int_equal(res.unmatched_sends, 1);
    free(out);
    capture_release(&cap);
}

/* A MessagePort transferred by a window message keeps its channel. */
static void
test_port_transfer(void **state)
{
    (void)state;
    struct capture cap;
    capture_init(&cap);
    add_frame(&cap, OA "/", CAP_TOP, -1, -1, 0);
    add_frame(&cap, OB "/", CAP_IFRAME, 0, -1, 1);
    add_hook(&cap, 0, 10, "{\"k\":\"channel\",\"a\":\"p1\",\"b\":\"p2\"}");
    add_hook(&cap, 0, 11, "{\"k\":\"send\",\"via\":\"window\",\"rel\":\"iframe:x\","
             "\"to\":\"*\",\"data\":\"\\\"port\\\"\",\"o\":\"" OA "\",\"ports\":[\"p2\"]}");
    add_hook(&cap, 0, 12, "{\"k\":\"send\",\"via\":\"port\",\"port\":\"p1\","
             "\"data\":\"\\\"ping\\\"\",\"o\":\"" OA "\",\"ports\":[]}");
    /* in F2 the transferred port got the local id p1 */
    add_hook(&cap, 1, 13, "{\"k\":\"deliver\",\"via\":\"window\",\"seq\":1,"
             "\"origin\":\"" OA "\",\"src\":\"parent\",\"data\":\"\\\"port\\\"\","
             "\"o\":\"" OB "\",\"ports\":[\"p1\"]}");
    add_hook(&cap, 1, 14, "{\"k\":\"deliver\",\"via\":\"port\",\"port\":\"p1\","
             "\"origin\":\"\",\"data\":\"\\\"ping\\\"\",\"o\":\"" OB "\",\"ports\":[]}");
    add_hook(&cap, 1, 15, "{\"k\":\"send\",\"via\":\"port\",\"port\":\"p1\","
             "\"data\":\"\\\"pong\\\"\",\"o\":\"" OB "\",\"ports\":[]}");
    add_hook(&cap, 0, 16, "{\"k\":\"deliver\",\"via\":\"port\",\"port\":\"p1\","
             "\"origin\":\"\",\"data\":\"\\\"pong\\\"\",\"o\":\"" OA "\",\"ports\":[]}");
    struct capture_result res;
    char *out = run_trace(&cap, &res);
    assert_string_equal(out,
        "send F1 to=* M1\n"
        "send F1 to=- M2\n"
        "M1 F1>F2 to=* via=window port=- by=send \"port\"\n"
        "M2 F1>F2 to=- via=port port=C1 by=send \"ping\"\n"
        "send F2 to=- M3\n"
        "M3 F2>F1 to=- via=port port=C1 by=send \"pong\"\n");
    free(out);
    capture_release(&cap);
}

/* One BroadcastChannel post reaches every other instance. */
static void
test_broadcast_fan_out(void **state)
{
    (void)state;
    struct capture cap;
    capture_init(&cap);
    add_frame(&cap, OA "/", CAP_TOP, -1, -1, 0);
    add_frame(&cap, OA "/1", CAP_IFRAME, 0, -1, 1);
    add_frame(&cap, OA "/2", CAP_IFRAME, 0, -1, 2);
    add_hook(&cap, 1, 10, "{\"k\":\"send\",\"via\":\"broadcast\",\"port\":\"ch\","
             "\"data\":\"7\",\"o\":\"" OA "\",\"ports\":[]}");
    add_hook(&cap, 0, 11, "{\"k\":\"deliver\",\"via\":\"broadcast\",\"port\":\"ch\","
             "\"origin\":\"" OA "\",\"data\":\"7\",\"o\":\"" OA "\",\"ports\":[]}");
    add_hook(&cap, 2, 12, "{\"k\":\"deliver\",\"via\":\"broadcast\",\"port\":\"ch\","
             "\"origin\":\"" OA "\",\"data\":\"7\",\"o\":\"" OA "\",\"ports\":[]}");
    /* a different channel name is a different conversation */
    add_hook(&cap, 2, 13, "{\"k\":\"deliver\",\"via\":\"broadcast\",\"port\":\"other\","
             "\"origin\":\"" OA "\",\"data\":\"7\",\"o\":\"" OA "\",\"ports\":[]}");
    struct capture_result res;
    char *out = run_trace(&cap, &res);
    assert_string_equal(out,
        "send F2 to=- M1\n"
        "M1 F2>F1 to=- via=broadcast port=ch by=send 7\n"
        "M2 F2>F3 to=- via=broadcast port=ch by=send 7\n"
        "M3 ?>F3 to=- via=broadcast port=other by=unknown 7\n");
    free(out);
    capture_release(&cap);
}

/* Many identical messages: matched in order, in linear time. */
static void
test_identical_flood(void **state)
{
    (void)state;
    enum { N = 5000 };
    struct capture cap;
    capture_init(&cap);
    add_frame(&cap, OA "/", CAP_TOP, -1, -1, 0);
    add_frame(&cap, OB "/", CAP_IFRAME, 0, -1, 1);
    for (int i = 0; i < N; i++) {
        add_hook(&cap, 1, 10.0 + i, "{\"k\":\"send\",\"via\":\"window\","
                 "\"rel\":\"parent\",\"to\":\"*\",\"data\":\"\\\"ping\\\"\","
                 "\"o\":\"" OB "\"}");
        add_hook(&cap, 0, 10.5 + i, "{\"k\":\"deliver\",\"via\":\"window\","
                 "\"origin\":\"" OB "\",\"src\":\"frames[0]\","
                 "\"data\":\"\\\"ping\\\"\",\"o\":\"" OA "\",\"ports\":[]}");
    }
    /* the same listener reported twice, and a different one */
    for (int i = 0; i < 3; i++)
        add_hook(&cap, 0, 5, i < 2 ?
                 "{\"k\":\"listen\",\"target\":\"window\",\"api\":\"onmessage\","
                 "\"src\":\"function(e){}\",\"u\":\"" OA "/a.js\",\"l\":3,\"c\":1}" :
                 "{\"k\":\"listen\",\"target\":\"window\",\"api\":\"onmessage\","
                 "\"src\":\"function(e){}\",\"u\":\"" OA "/a.js\",\"l\":4,\"c\":1}");
    struct capture_result res;
    char *out = run_trace(&cap, &res);
    assert_int_equal(res.messages, N);
    assert_int_equal(res.unmatched_sends, 0);
    assert_int_equal(res.listeners, 2);
    /* every send became the message delivered right after it */
    const char *p = out;
    for (int i = 1; i <= N; i++) {
        char want[64];
        snprintf(want, sizeof want, "send F2 to=* M%d\nM%d F2>F1", i, i);
        p = strstr(p, want);
        if (!p)
            fail_msg("send %d is not matched in order", i);
    }
    free(out);
    capture_release(&cap);
}

/* The hook record add_hook added last reached pmscope at `arrival`. */
static void
set_arrival(struct capture *cap, double arrival)
{
    cap->hooks[cap->nhooks - 1].arrival = arrival;
}

/*
 * F1 sends to F2 (F1's clock: 100) and to F3 (79); F2 answers.  F2's
 * renderer stamps with a clock `behind` ms behind, and its records reach
 * pmscope `latency` ms after they were made.  Returns the message lines.
 */
static char *
skewed_exchange(double behind, double latency)
{
    struct capture cap;
    capture_init(&cap);
    add_frame(&cap, OA "/", CAP_TOP, -1, -1, 0);
    add_frame(&cap, OB "/", CAP_IFRAME, 0, -1, 1);
    add_frame(&cap, OC "/", CAP_IFRAME, 0, -1, 2);
    add_hook(&cap, 0, 79, "{\"k\":\"send\",\"via\":\"window\",\"rel\":\"iframe:c\","
             "\"to\":\"*\",\"data\":\"\\\"hi\\\"\",\"o\":\"" OA "\"}");
    set_arrival(&cap, 80);
    add_hook(&cap, 2, 80, "{\"k\":\"deliver\",\"via\":\"window\",\"seq\":1,"
             "\"origin\":\"" OA "\",\"src\":\"parent\",\"data\":\"\\\"hi\\\"\","
             "\"o\":\"" OC "\",\"ports\":[]}");
    set_arrival(&cap, 81);
    add_hook(&cap, 0, 100, "{\"k\":\"send\",\"via\":\"window\",\"rel\":\"iframe:b\","
             "\"to\":\"*\",\"data\":\"\\\"req\\\"\",\"o\":\"" OA "\"}");
    set_arrival(&cap, 101);
    add_hook(&cap, 1, 110 - behind, "{\"k\":\"deliver\",\"via\":\"window\",\"seq\":1,"
             "\"origin\":\"" OA "\",\"src\":\"parent\",\"data\":\"\\\"req\\\"\","
             "\"o\":\"" OB "\",\"ports\":[]}");
    set_arrival(&cap, 110 + latency);
    add_hook(&cap, 1, 111 - behind, "{\"k\":\"send\",\"via\":\"window\",\"rel\":\"parent\","
             "\"to\":\"*\",\"data\":\"\\\"ack\\\"\",\"o\":\"" OB "\"}");
    set_arrival(&cap, 111 + latency);
    add_hook(&cap, 0, 115, "{\"k\":\"deliver\",\"via\":\"window\",\"seq\":1,"
             "\"origin\":\"" OB "\",\"src\":\"frames[0]\",\"data\":\"\\\"ack\\\"\","
             "\"o\":\"" OA "\",\"ports\":[]}");
    set_arrival(&cap, 116);
    struct capture_result res;
    char *out = run_trace(&cap, &res);
    assert_int_equal(res.messages, 3);
    capture_release(&cap);
    struct pm_buf msgs;
    pm_buf_init(&msgs);
    char *save = NULL;
    for (char *line = strtok_r(out, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save))
        if (line[0] == 'M')
            pm_buf_addf(&msgs, "%s\n", line);
    free(out);
    return pm_buf_detach(&msgs);
}

/*
 * A renderer 50 ms behind would stamp F2's delivery (true time 110) at 60,
 * before F3's (80) and before its own send (100).  The matched send bounds
 * F2's clock, its records' arrival allows the move: the delivery becomes
 * M2.  Where the arrival says F2's clock cannot be behind (its records
 * reached pmscope 1 ms after their stamps), the stamps stand.
 */
static void
test_clock_skew_corrected(void **state)
{
    (void)state;
    char *fixed = skewed_exchange(50, 2);
    assert_string_equal(fixed,
        "M1 F1>F3 to=* via=window port=- by=send \"hi\"\n"
        "M2 F1>F2 to=* via=window port=- by=send \"req\"\n"
        "M3 F2>F1 to=* via=window port=- by=send \"ack\"\n");
    free(fixed);
    /* the same stamps, but the arrivals rule out a clock behind */
    char *kept = skewed_exchange(50, -49);
    assert_string_equal(kept,
        "M1 F1>F2 to=* via=window port=- by=send \"req\"\n"
        "M2 F1>F3 to=* via=window port=- by=send \"hi\"\n"
        "M3 F2>F1 to=* via=window port=- by=send \"ack\"\n");
    free(kept);
}

/*
 * The new document of a frame added a listener (hook time 99.5) before
 * pmscope heard of the navigation (100): the trace puts the navigation
 * first, at 99.5, so the listener belongs to the new document; the old
 * document's listener (50) stays before it.
 */
static void
test_navigation_before_new_document(void **state)
{
    (void)state;
    struct capture cap;
    capture_init(&cap);
    add_frame(&cap, OA "/", CAP_TOP, -1, -1, 0);
    add_frame(&cap, OB "/", CAP_IFRAME, 0, -1, 1);
    add_hook(&cap, 1, 50, "{\"k\":\"listen\",\"target\":\"window\","
             "\"api\":\"onmessage\",\"src\":\"function(e){}\","
             "\"u\":\"" OB "/old.js\",\"l\":3,\"c\":1}");
    cap.navs = xcalloc(1, sizeof *cap.navs);
    cap.navs[0] = (struct cap_nav){.frame = 1, .ts = 100,
                                   .url = xstrdup(OC "/new"),
                                   .first_hook = cap.nhooks};
    cap.nnavs = cap.cap_navs = 1;
    add_hook(&cap, 0, 99.0, "{\"k\":\"listen\",\"target\":\"window\","
             "\"api\":\"onmessage\",\"src\":\"function(e){}\","
             "\"u\":\"" OA "/top.js\",\"l\":9,\"c\":1}");
    add_hook(&cap, 1, 99.5, "{\"k\":\"listen\",\"target\":\"window\","
             "\"api\":\"onmessage\",\"src\":\"function(e){}\","
             "\"u\":\"" OC "/new.js\",\"l\":4,\"c\":1}");
    struct capture_result res;
    char *text = write_trace(&cap, &res);
    const char *old_l = strstr(text, OB "/old.js");
    const char *nav = strstr(text, "\"type\":\"navigation\"");
    const char *new_l = strstr(text, OC "/new.js");
    assert_non_null(old_l);
    assert_non_null(nav);
    assert_non_null(new_l);
    assert_true(old_l < nav);
    assert_true(nav < new_l);
    /* at the new document's first hook, not when pmscope heard of it */
    assert_non_null(strstr(nav, "\"ts\":99.5"));
    free(text);
    capture_release(&cap);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_target_origin_disambiguates),
        cmocka_unit_test(test_unseen_and_undelivered),
        cmocka_unit_test(test_port_transfer),
        cmocka_unit_test(test_broadcast_fan_out),
        cmocka_unit_test(test_identical_flood),
        cmocka_unit_test(test_navigation_before_new_document),
        cmocka_unit_test(test_clock_skew_corrected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
