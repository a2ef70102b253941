/*
 * query_bench.c - the store queries behind the TUI, timed on a workspace.
 *
 *   query_bench WORKSPACE [ROUNDS]
 *
 * Links the project's objects and calls what the TUI calls, in the order it
 * calls them: store_open + store_ui_counts (opening the workspace), the
 * first page of the message list, the first page under one filter of each
 * kind (filter_compile included), a page scroll (keyset: the page after the
 * last row shown), a jump to the middle and to the end, and following one
 * flow.  Each is run ROUNDS times (default 15); the median and the worst
 * wall time are printed in milliseconds, with the median CPU time (the
 * machine may be shared), and the rows the query returned.
 *
 * Filter values are taken from the workspace itself (the first message's
 * origins, a reply's flow) so the program works on any workspace.  Last
 * line: the process's peak RSS, which must not grow with the workspace.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "err.h"
#include "filter.h"
#include "store.h"
#include "store_query.h"
#include "store_ui.h"

#define PAGE_ROWS 60
#define ROUNDS_MAX 101

struct page_seen {
    int n;
    int64_t first_id, last_id;
    int64_t reply_id;          /* a message that replies to another */
    char sender_origin[256], receiver_origin[256];
};

static struct pm_store *st;
static const char *ws_path;

static double
now_ms(clockid_t clk)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void
fail(const struct pm_err *err, const char *what)
{
    fprintf(stderr, "query_bench: %s: %s\n", what, err->msg);
    exit(3);
}

static int
seen_row(const struct pm_message_row *r, void *ctx)
{
    struct page_seen *p = ctx;
    if (p->n == 0) {
        p->first_id = r->id;
        snprintf(p->sender_origin, sizeof p->sender_origin, "%s",
                 r->sender_origin ? r->sender_origin : "");
        snprintf(p->receiver_origin, sizeof p->receiver_origin, "%s",
                 r->receiver_origin ? r->receiver_origin : "");
    }
    if (r->reply_to > 0 && p->reply_id == 0)
        p->reply_id = r->id;
    p->last_id = r->id;
    p->n++;
    return 0;
}

/* One timed operation; returns the rows it saw. */
typedef int (*bench_fn)(const void *arg);

static void
report(const char *name, const char *detail, bench_fn fn, const void *arg,
       int rounds)
{
    double wall[ROUNDS_MAX], cpu[ROUNDS_MAX];
    int rows = 0;
    for (int i = 0; i < rounds; i++) {
        double w0 = now_ms(CLOCK_MONOTONIC), c0 = now_ms(CLOCK_PROCESS_CPUTIME_ID);
        rows = fn(arg);
        cpu[i] = now_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
        wall[i] = now_ms(CLOCK_MONOTONIC) - w0;
    }
    qsort(wall, (size_t)rounds, sizeof wall[0], cmp_double);
    qsort(cpu, (size_t)rounds, sizeof cpu[0], cmp_double);
    printf("%-22s %-34.34s %9.2f %9.2f %9.2f %6d\n", name, detail,
           wall[rounds / 2], wall[rounds - 1], cpu[rounds / 2], rows);
    fflush(stdout);
}

static int
bench_open(const void *arg)
{
    (void)arg;
    struct pm_store *s2 = NULL;
    struct pm_err err = PM_ERR_INIT;
    struct pm_ui_counts c;
    if (store_open(ws_path, 0, &s2, &err) != PM_OK)
        fail(&err, "store_open");
    if (store_ui_counts(s2, &c, &err) != PM_OK)
        fail(&err, "store_ui_counts");
    store_close(s2);
    return 1;
}

struct page_arg {
    const char *expr;  /* NULL = no filter */
    int64_t after;
    int backward;
};

static int
bench_page(const void *arg)
{
    const struct page_arg *a = arg;
    struct pm_err err = PM_ERR_INIT;
    struct pm_filter *f = NULL;
    if (a->expr && filter_compile(a->expr, &f, &err) != PM_OK)
        fail(&err, a->expr);
    struct page_seen p = {0};
    if (store_page_messages(st, f, a->after, a->backward, PAGE_ROWS, seen_row, &p,
                            &err) != PM_OK)
        fail(&err, "store_page_messages");
    filter_free(f);
    return p.n;
}

static int
bench_flow(const void *arg)
{
    const int64_t *id = arg;
    struct pm_err err = PM_ERR_INIT;
    struct page_seen p = {0};
    if (store_ui_flow(st, *id, PAGE_ROWS, seen_row, &p, &err) != PM_OK)
        fail(&err, "store_ui_flow");
    return p.n;
}

int
main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: query_bench WORKSPACE [ROUNDS]\n");
        return 2;
    }
    ws_path = argv[1];
    int rounds = argc == 3 ? atoi(argv[2]) : 15;
    if (rounds < 1 || rounds > ROUNDS_MAX)
        rounds = 15;
    struct pm_err err = PM_ERR_INIT;

    printf("%-22s %-34s %9s %9s %9s %6s\n", "query", "detail", "median_ms",
           "max_ms", "cpu_ms", "rows");
    report("open", "store_open + store_ui_counts", bench_open, NULL, rounds);

    if (store_open(ws_path, 0, &st, &err) != PM_OK)
        fail(&err, "store_open");
    struct page_seen first = {0};
    if (store_page_messages(st, NULL, 0, 0, PAGE_ROWS, seen_row, &first, &err) !=
        PM_OK)
        fail(&err, "store_page_messages");
    int64_t max_id = 0;
    if (store_ui_max_message_id(st, &max_id, &err) != PM_OK)
        fail(&err, "store_ui_max_message_id");
    if (first.n == 0) {
        printf("no messages\n");
        return 0;
    }

    struct page_arg all = {NULL, 0, 0};
    report("first page", "no filter", bench_page, &all, rounds);
    struct page_arg scroll = {NULL, first.last_id, 0};
    report("page scroll", "next page (keyset)", bench_page, &scroll, rounds);
    struct page_arg middle = {NULL, max_id / 2, 0};
    report("page scroll", "jump to the middle", bench_page, &middle, rounds);
    struct page_arg end = {NULL, 0, 1};
    report("page scroll", "end (backward from the last)", bench_page, &end, rounds);

    /* One filter of each kind, values from the workspace. */
    char from_exact[300], to_exact[300], origin_sub[300];
    snprintf(from_exact, sizeof from_exact, "from:%s", first.sender_origin);
    snprintf(to_exact, sizeof to_exact, "to:%s", first.receiver_origin);
    const char *host = strstr(first.sender_origin, "://");
    snprintf(origin_sub, sizeof origin_sub, "origin:%s", host ? host + 3 : "example");
    const char *filters[] = {
        from_exact,
        to_exact,
        origin_sub,
        "target:*",
        "via:port",
        "checkout",
        "tok*",
        "data:\"welcome\"",
        "data~/tok_[0-9a-f]{8}/",
        "data~/zzz_no_such_[0-9]+/",
        "check:none",
        "check:weak sink:*",
        "marked",
        "size>50",
        "not via:window and checkout",
        /* matching nothing: each must end without reading every message */
        "via:worker",
        "size>100000000",
        "size<0",
        "target:https://nosuch.example",
        "target:nosuch",
        "data:\"zzz_no_such\"",
        "check:strict sink:eval",
        "to:nosuch",
        NULL,
    };
    for (int i = 0; filters[i]; i++) {
        struct page_arg fa = {filters[i], 0, 0};
        report("filter first page", filters[i], bench_page, &fa, rounds);
    }
    for (int i = 0; filters[i]; i++) {
        struct page_seen fp = {0};
        struct pm_filter *f = NULL;
        if (filter_compile(filters[i], &f, &err) != PM_OK)
            fail(&err, filters[i]);
        if (store_page_messages(st, f, 0, 0, PAGE_ROWS, seen_row, &fp, &err) != PM_OK)
            fail(&err, "store_page_messages");
        filter_free(f);
        if (fp.n == PAGE_ROWS) {
            struct page_arg fs = {filters[i], fp.last_id, 0};
            report("filter page scroll", filters[i], bench_page, &fs, rounds);
        }
    }

    int64_t flow_id = first.reply_id ? first.reply_id : first.first_id;
    report("follow flow", "store_ui_flow of a reply", bench_flow, &flow_id, rounds);
    store_close(st);

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak RSS %ld KB on %lld messages\n", ru.ru_maxrss, (long long)max_id);
    return 0;
}
