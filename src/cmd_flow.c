/*
 * cmd_flow.c - `pmscope flow [-w WS] [--width N] MSG_ID`: the flow (a
 * message and the replies around it) as a text sequence diagram: one
 * column per origin, one arrow per message with its time, targetOrigin
 * and a data preview.  Every string from the input goes through term_text,
 * so control characters and escape sequences are shown escaped.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "cmd_util.h"
#include "mem.h"
#include "origin.h"
#include "term_text.h"
#include "numarg.h"

extern const struct pm_cmd pm_cmd_flow;

#define FLOW_MAX 10000
#define LANES_MAX 12
#define LANE_MIN 14
#define LANE_MAX 28

struct flow_row {
    int64_t id, reply_to;
    double ts;
    int from, to; /* lane indexes */
    char *target, *preview, *via, *ext_id;
};

struct flow_ctx {
    struct flow_row *v;
    size_t n, cap;
    char *lanes[LANES_MAX];
    int nlanes;
    int truncated;
};

static int
lane_of(struct flow_ctx *c, const char *origin)
{
    const char *o = origin ? origin : "(unknown origin)";
    for (int i = 0; i < c->nlanes; i++)
        if (strcmp(c->lanes[i], o) == 0)
            return i;
    if (c->nlanes == LANES_MAX)
        return LANES_MAX - 1; /* the last lane collects the rest */
    c->lanes[c->nlanes] = xstrdup(o);
    return c->nlanes++;
}

static int
collect_row(const struct pm_flow_msg *m, void *vctx)
{
    struct flow_ctx *c = vctx;
    if (c->n == FLOW_MAX) {
        c->truncated = 1;
        return 1;
    }
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 32;
        c->v = xrealloc(c->v, c->cap * sizeof *c->v);
    }
    struct flow_row *r = &c->v[c->n++];
    r->id = m->id;
    r->reply_to = m->reply_to;
    r->ts = m->ts;
    r->from = lane_of(c, m->sender_origin);
    r->to = lane_of(c, m->receiver_origin);
    r->target = m->target_origin ? xstrdup(m->target_origin) : NULL;
    r->preview = xstrdup(m->data_preview ? m->data_preview : "");
    r->via = xstrdup(m->via ? m->via : "window");
    r->ext_id = m->ext_id ? xstrdup(m->ext_id) : NULL;
    return 0;
}

static void
put_safe(const char *s, int cols, int flags)
{
    struct pm_buf b;
    pm_buf_init(&b);
    term_text_fits(&b, s, cols, flags);
    fwrite(b.data, 1, b.len, stdout);
    pm_buf_release(&b);
}

static void
print_diagram(const struct flow_ctx *c, int64_t selected, int64_t flow_id,
              int width)
{
    int lane_w = c->nlanes > 0 ? (width - 24) / c->nlanes : LANE_MAX;
    if (lane_w > LANE_MAX)
        lane_w = LANE_MAX;
    if (lane_w < LANE_MIN)
        lane_w = LANE_MIN;
    int area = lane_w * c->nlanes;
    printf("flow %" PRId64 ": %zu message%s, %d origin%s%s\n\n", flow_id, c->n,
           c->n == 1 ? "" : "s", c->nlanes, c->nlanes == 1 ? "" : "s",
           c->truncated ? " (first messages only)" : "");
    printf("%-24s", "");
    for (int i = 0; i < c->nlanes; i++)
        put_safe(c->lanes[i], lane_w - 1, TT_ELLIPSIS | TT_PAD);
    putchar('\n');
    char *line = xmalloc((size_t)area + 1);
    for (size_t k = 0; k < c->n; k++) {
        const struct flow_row *r = &c->v[k];
        memset(line, ' ', (size_t)area);
        line[area] = '\0';
        for (int i = 0; i < c->nlanes; i++)
            line[i * lane_w + 1] = '|';
        int a = r->from * lane_w + 1, b = r->to * lane_w + 1;
        if (a < b) {
            for (int x = a + 1; x < b; x++)
                line[x] = '-';
            line[b - 1] = '>';
        } else if (a > b) {
            for (int x = b + 1; x < a; x++)
                line[x] = '-';
            line[b + 1] = '<';
        } else {
            line[a + 1] = '-';
            line[a + 2] = '.';
        }
        char id[32];
        snprintf(id, sizeof id, "#%" PRId64, r->id);
        printf("%c%10.1f ms %-9s%s", r->id == selected ? '>' : ' ', r->ts, id,
               line);
        if (strcmp(r->via, "window") != 0) {
            printf(" [");
            put_safe(r->via, 10, TT_ELLIPSIS);
            putchar(']');
        }
        if (r->target || strcmp(r->via, "window") == 0) {
            /* ports, workers and channels have no targetOrigin */
            printf(" to ");
            put_safe(r->target ? r->target : PM_TARGET_UNKNOWN, 40, TT_ELLIPSIS);
        }
        if (r->reply_to > 0)
            printf(" reply to #%" PRId64, r->reply_to);
        putchar('\n');
        /* second line: lifelines up to the arrow, then the data preview */
        int p = (a < b ? a : b) + 2;
        memset(line, ' ', (size_t)area);
        for (int i = 0; i < c->nlanes; i++)
            line[i * lane_w + 1] = '|';
        printf("%-24s%.*s", "", p, line);
        int room = width - 24 - p;
        put_safe(r->preview, room > 20 ? room : 20, TT_ELLIPSIS);
        putchar('\n');
    }
    free(line);
}

static const struct option flow_options[] = {
    {"workspace", required_argument, NULL, 'w'},
    {"width", required_argument, NULL, 'W'},
    {NULL, 0, NULL, 0},
};
static const char flow_optstring[] = "w:";

static int
flow_exec(int argc, char **argv)
{
    const char *wopt = NULL;
    int width = 120, c;
    long long v;
    while ((c = getopt_long(argc, argv, flow_optstring, flow_options,
                            NULL)) != -1) {
        switch (c) {
        case 'w': wopt = optarg; break;
        case 'W':
            if (numarg_whole(optarg, 40, 1000, &v))
                return numarg_usage("--width", optarg,
                                    "a whole number of columns from 40 to 1000");
            width = (int)v;
            break;
        default: return cmd_usage(&pm_cmd_flow);
        }
    }
    if (optind + 1 != argc)
        return cmd_usage(&pm_cmd_flow);
    const char *arg = argv[optind];
    if (arg[0] == '#')
        arg++;
    if (numarg_whole(arg, 1, INT64_MAX, &v)) {
        cmd_error("flow: expected a message id, got '%s'", argv[optind]);
        return 2;
    }
    int64_t id = v;
    struct pm_store *st;
    int rc = cmd_open_store(wopt, 0, 1, &st);
    if (rc)
        return rc;
    struct pm_err err = PM_ERR_INIT;
    struct flow_ctx fc;
    memset(&fc, 0, sizeof fc);
    int64_t flow_id = 0;
    if (store_message_flow_id(st, id, &flow_id, &err) ||
        store_each_flow_message(st, flow_id, collect_row, &fc, &err)) {
        store_close(st);
        return cmd_fail(&err);
    }
    store_close(st);
    print_diagram(&fc, id, flow_id, width);
    for (size_t k = 0; k < fc.n; k++) {
        free(fc.v[k].target);
        free(fc.v[k].preview);
        free(fc.v[k].via);
        free(fc.v[k].ext_id);
    }
    free(fc.v);
    for (int i = 0; i < fc.nlanes; i++)
        free(fc.lanes[i]);
    return 0;
}

const struct pm_cmd pm_cmd_flow = {
    .name = "flow",
    .usage = "[-w WS] [--width N] MSG_ID",
    .summary = "print a message's flow as a text sequence diagram",
    .help =
        "Shows the flow MSG_ID belongs to: the message, the message it\n"
        "answers and the replies it provoked (linked by a correlation field\n"
        "such as id/requestId/messageId/callbackId/uuid/seq, or by a\n"
        "MessagePort conversation).  One column per origin; each arrow is a\n"
        "message with its time (ms since the trace started), id, targetOrigin\n"
        "and, on the next line, a preview of its data.  '>' marks MSG_ID.",
    .exec = flow_exec,
    .options = flow_options,
    .optstring = flow_optstring,
};
