/*
 * cmd_analyze.c - `pmscope analyze [-w WS] [--source N] [--rules]
 * [--bench-scan FILE [--size MB]]`
 *
 * Re-runs the analysis (scan, classification, flows, suggested findings)
 * over the workspace in one transaction; what import already does after
 * every file, for workspaces made by an older pmscope or after a rule
 * change.  --rules prints the rule table; --bench-scan measures the
 * scanner on a script (repeated up to --size MB) without a workspace.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze.h"
#include "analyze_pass.h"
#include "buf.h"
#include "cmd.h"
#include "cmd_util.h"
#include "jsscan.h"
#include "suggest.h"
#include "numarg.h"

extern const struct pm_cmd pm_cmd_analyze;

/* CPU time of this process: throughput measured on a busy machine stays honest. */
static double
cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
bench_count_listener(const struct pm_found_listener *l, void *ctx)
{
    (void)l;
    ((long *)ctx)[0]++;
}

static void
bench_count_send(const struct pm_found_send *s, void *ctx)
{
    (void)s;
    ((long *)ctx)[1]++;
}

/* Tokenize and scan FILE (repeated to size_mb); print MB/s of both. */
static int
bench_scan(const char *path, long size_mb)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        cmd_error("%s: cannot open", path);
        return 3;
    }
    struct pm_buf one, all;
    pm_buf_init(&one);
    pm_buf_init(&all);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        pm_buf_add(&one, chunk, n);
    fclose(fp);
    size_t want = size_mb > 0 ? (size_t)size_mb << 20 : one.len;
    if (want > JS_SRC_MAX)
        want = JS_SRC_MAX;
    while (all.len < want && one.len > 0) {
        pm_buf_add(&all, one.data, one.len);
        pm_buf_adds(&all, ";\n");
    }
    double mb = (double)all.len / (1 << 20);
    int rounds = 5;
    double best_tok = 1e9, best_scan = 1e9;
    size_t ntok = 0;
    long counts[2] = {0, 0};
    for (int r = 0; r < rounds; r++) {
        struct js_tokens t;
        double t0 = cpu_seconds();
        js_tokenize(all.data, all.len, 1, 1, &t);
        double t1 = cpu_seconds();
        ntok = t.n;
        js_tokens_release(&t);
        counts[0] = counts[1] = 0;
        double t2 = cpu_seconds();
        analyze_script(all.data, all.len, 1, 1, bench_count_listener,
                       bench_count_send, counts);
        double t3 = cpu_seconds();
        if (t1 - t0 < best_tok)
            best_tok = t1 - t0;
        if (t3 - t2 < best_scan)
            best_scan = t3 - t2;
    }
    printf("input      %.2f MB (%zu tokens)\n", mb, ntok);
    printf("tokenize   %.1f MB/s (best of %d, CPU time: %.1f ms)\n", mb / best_tok, rounds,
           best_tok * 1e3);
    printf("full scan  %.1f MB/s (best of %d, CPU time: %.1f ms): %ld listeners, %ld "
           "postMessage calls\n",
           mb / best_scan, rounds, best_scan * 1e3, counts[0], counts[1]);
    pm_buf_release(&one);
    pm_buf_release(&all);
    return 0;
}

static int
print_rules(void)
{
    for (int i = 0; pm_rules[i].id; i++) {
        printf("%-26s %-7s %s\n", pm_rules[i].id,
               pm_rules[i].severity[0] ? pm_rules[i].severity : "-",
               pm_rules[i].rationale);
    }
    return 0;
}

static const struct option analyze_options[] = {
    {"workspace", required_argument, NULL, 'w'},
    {"source", required_argument, NULL, 's'},
    {"rules", no_argument, NULL, 'r'},
    {"bench-scan", required_argument, NULL, 'b'},
    {"size", required_argument, NULL, 'z'},
    {NULL, 0, NULL, 0},
};
static const char analyze_optstring[] = "w:s:";

static int
analyze_exec(int argc, char **argv)
{
    const char *wopt = NULL, *bench = NULL;
    int64_t source_id = 0;
    long size_mb = 0;
    int rules = 0, c;
    long long v;
    while ((c = getopt_long(argc, argv, analyze_optstring, analyze_options,
                            NULL)) != -1) {
        switch (c) {
        case 'w': wopt = optarg; break;
        case 's':
            if (numarg_whole(optarg, 1, INT64_MAX, &v))
                return numarg_usage("--source", optarg,
                                    "a source id as 'pmscope ls sources' shows");
            source_id = v;
            break;
        case 'r': rules = 1; break;
        case 'b': bench = optarg; break;
        case 'z':
            if (numarg_whole(optarg, 1, 256, &v))
                return numarg_usage("--size", optarg,
                                    "a whole number of MB from 1 to 256");
            size_mb = (long)v;
            break;
        default: return cmd_usage(&pm_cmd_analyze);
        }
    }
    if (optind != argc)
        return cmd_usage(&pm_cmd_analyze);
    if (rules)
        return print_rules();
    if (bench)
        return bench_scan(bench, size_mb);

    struct pm_store *st;
    int rc = cmd_open_store(wopt, 0, 0, &st);
    if (rc)
        return rc;
    struct pm_err err = PM_ERR_INIT;
    struct pm_analyze_stats stats;
    if (store_begin(st, &err) ||
        analyze_workspace(st, source_id, &stats, &err) ||
        store_commit(st, &err)) {
        store_rollback(st);
        store_close(st);
        return cmd_fail(&err);
    }
    store_close(st);
    printf("scanned %ld scripts; %ld listeners classified, %ld send sites, "
           "%ld replies linked, %ld new suggested findings\n",
           stats.scripts, stats.listeners, stats.send_sites,
           stats.replies_linked, stats.findings_new);
    return 0;
}

const struct pm_cmd pm_cmd_analyze = {
    .name = "analyze",
    .usage = "[-w WS] [--source N] | --rules | --bench-scan FILE [--size MB]",
    .summary = "re-run listener, flow and finding analysis on the workspace",
    .help =
        "Scans the script and HTML bodies of HAR sources for message\n"
        "listeners and postMessage calls, classifies every listener's\n"
        "origin check (none, strict, indexOf, includes, regex-unanchored,\n"
        "startsWith, endsWith, search, match, source, unknown) and the sinks\n"
        "event.data reaches, links replies into flows, and writes suggested\n"
        "findings.  Import already does this after every file; re-running\n"
        "updates rows in place, never duplicates a finding and leaves\n"
        "confirmed and dismissed findings alone.  --source N limits the\n"
        "scan to one source.  --rules lists the rules with their severity\n"
        "and rationale.  --bench-scan FILE measures the scanner's throughput\n"
        "on FILE, repeated up to --size MB.",
    .exec = analyze_exec,
    .options = analyze_options,
    .optstring = analyze_optstring,
};
