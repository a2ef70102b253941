/*
 * cmd_verify.c - `pmscope verify [--replay|--live] FINDING...`: build each
 * finding's proof of concept (export_poc.c), run them in one headless
 * Chromium (verify.c), print and keep the verdicts
 * (findings.verify_status, verify_at, verify_detail).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "cmd_util.h"
#include "export_int.h"
#include "ls_out.h"
#include "mem.h"
#include "numarg.h"
#include "store.h"
#include "verify.h"

#define VERIFY_ATTACKER "http://pmscope-attacker.test"

/* What to run for f (its detail filled), or the reason there is nothing. */
static void
prepare_item(struct rep_finding *f, struct verify_item *it)
{
    it->finding_id = f->id;
    if (f->listener == NULL) {
        it->status = "not reproduced";
        it->detail = xstrdup("the finding names no listener to send a message to");
        return;
    }
    const struct rep_window *recv = f->npath ? &f->path[f->npath - 1] : NULL;
    if (f->poc == NULL && f->poc_omitted == NULL)
        export_build_poc_any(f, recv, 1);
    if (f->poc == NULL || recv == NULL) {
        it->status = "not reproduced";
        it->detail = xstrdup(f->poc_omitted ? f->poc_omitted
                                            : "no page of the receiver was recorded "
                                              "(a worker, or a window without a URL)");
        return;
    }
    const struct rep_listener *l = f->listener;
    it->poc_html = xstrdup(f->poc);
    it->attacker_origin = xstrdup(f->poc_origin ? f->poc_origin : VERIFY_ATTACKER);
    it->target_url = xstrdup(recv->url);
    it->script_url = l->script_url ? xstrdup(l->script_url) : NULL;
    it->check_bp_line = l->check_script_line > 0 ? l->check_script_line : -1;
    it->sink_bp_line = f->poc_sink_line > 0 ? f->poc_sink_line - 1 : -1;
    snprintf(it->event_name, sizeof it->event_name, "%s", f->poc_event);
    snprintf(it->sink_kind, sizeof it->sink_kind, "%s",
             f->poc_sink_kind ? f->poc_sink_kind : "none");
    snprintf(it->sink, sizeof it->sink, "%s", f->poc_sink);
    it->check_expr = l->check_expr ? xstrdup(l->check_expr) : NULL;
    int flawed = export_check_is_flawed(l->check_kind);
    it->check_strict = !flawed;
    it->no_passing_origin = flawed && l->check_kind && strcmp(l->check_kind, "none") != 0 &&
                            strcmp(l->check_kind, "source") != 0 && f->poc_origin == NULL;
    it->unmet = !f->poc_derived && f->poc_basis ? xstrdup(f->poc_basis) : NULL;
}

static const struct option verify_options[] = {
    {"workspace", required_argument, NULL, 'w'},
    {"live", no_argument, NULL, 'l'},
    {"replay", no_argument, NULL, 'r'},
    {"chromium", required_argument, NULL, 'c'},
    {"timeout", required_argument, NULL, 't'},
    {"verbose", no_argument, NULL, 'v'},
    {NULL, 0, NULL, 0},
};
static const char verify_optstring[] = "w:v";

static int
verify_exec(int argc, char **argv)
{
    extern const struct pm_cmd pm_cmd_verify;
    const char *wopt = NULL;
    struct verify_opts o = {.timeout_s = 8.0};
    int c;
    while ((c = getopt_long(argc, argv, verify_optstring, verify_options, NULL)) != -1) {
        switch (c) {
        case 'w': wopt = optarg; break;
        case 'l': o.live = 1; break;
        case 'r': o.live = 0; break;
        case 'c': o.chromium = optarg; break;
        case 'v': o.verbose = 1; break;
        case 't':
            if (numarg_decimal(optarg, 0.5, 600, &o.timeout_s))
                return numarg_usage("--timeout", optarg, "seconds from 0.5 to 600");
            break;
        default: return cmd_usage(&pm_cmd_verify);
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "pmscope: verify needs at least one finding id\n");
        return cmd_usage(&pm_cmd_verify);
    }
    int n = argc - optind;
    int64_t *ids = xcalloc((size_t)n, sizeof *ids);
    for (int i = 0; i < n; i++) {
        const char *a = argv[optind + i];
        long long v;
        if (numarg_whole(a[0] == '#' ? a + 1 : a, 1, INT64_MAX, &v)) {
            free(ids);
            return numarg_usage("finding id", a, "a number as 'pmscope ls findings' shows");
        }
        ids[i] = v;
    }
    struct pm_store *st;
    int rc = cmd_open_store(wopt, 0, 0, &st);
    if (rc) {
        free(ids);
        return rc;
    }
    struct pm_err err = PM_ERR_INIT;
    struct pm_export_opts eo = {.status_mask = PM_FST_ALL, .redact = 0};
    struct rep_report r;
    struct verify_item *items = xcalloc((size_t)n, sizeof *items);
    if (export_model_build(st, &eo, &r, &err) != PM_OK) {
        rc = cmd_fail(&err);
        goto out;
    }
    for (int i = 0; i < n; i++) {
        struct rep_finding *f = NULL;
        for (long k = 0; k < r.nf; k++)
            if (r.f[k].id == ids[i])
                f = &r.f[k];
        if (f == NULL) {
            pm_err_set(&err, PM_ERR_NOTFOUND, "no finding %lld", (long long)ids[i]);
            rc = cmd_fail(&err);
            goto out;
        }
        if (export_finding_detail(st, &r, f, &err) != PM_OK) {
            rc = cmd_fail(&err);
            goto out;
        }
        prepare_item(f, &items[i]);
        export_finding_detail_release(f);
    }
    int runnable = 0;
    for (int i = 0; i < n; i++)
        runnable += items[i].poc_html != NULL;
    if (runnable > 0 && verify_run(st, &o, items, n, &err) != PM_OK) {
        rc = cmd_fail(&err);
        goto out;
    }
    char at[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    printf("%-7s %-15s %s\n", "FINDING", "VERDICT", "DETAIL");
    for (int i = 0; i < n; i++) {
        struct verify_item *it = &items[i];
        if (store_set_verify(st, it->finding_id, it->status, at, it->detail, &err) != PM_OK) {
            rc = cmd_fail(&err);
            goto out;
        }
        printf("%-7" PRId64 " %-15s ", it->finding_id, it->status);
        ls_put(stdout, it->detail);
        putchar('\n');
    }
out:
    for (int i = 0; i < n; i++)
        verify_item_release(&items[i]);
    free(items);
    export_model_release(&r);
    store_close(st);
    free(ids);
    return rc;
}

const struct pm_cmd pm_cmd_verify = {
    .name = "verify",
    .usage = "[-w WS] [--replay | --live] [--chromium PATH] [--timeout S] [--verbose]\n"
             "       FINDING...",
    .summary = "run findings' proofs of concept in headless Chromium",
    .help =
        "Build each finding's proof of concept (the report's page: the\n"
        "message built from the handler, a canary where its sink reads),\n"
        "run it in one headless Chromium, one finding after the other,\n"
        "and print whether the canary fired: \"verified\" with what fired\n"
        "and the stack at the sink, or \"not reproduced\" with the reason\n"
        "(blocked by the check, guard not met, script missing from the\n"
        "recording, the receiver not loaded, timeout).  The verdict, the\n"
        "time and the line are kept with the finding: `ls findings` and\n"
        "the report show them.\n"
        "\n"
        "--replay (the default) needs no network: every request is\n"
        "answered from the responses recorded in the workspace (status,\n"
        "headers, body); a URL that was not recorded gets a 404 and is\n"
        "listed.  --live loads the receiver from its real URL.  In both\n"
        "modes the PoC page is served by the browser itself under an\n"
        "attacker origin: one that passes a flawed check when one was\n"
        "derived, else http://pmscope-attacker.test; no DNS is involved.\n"
        "Conditional breakpoints after the origin check and on the sink,\n"
        "true only for the attacker's message, give the stack and say\n"
        "whether the check let it through; a listener without a sink is\n"
        "verified when its check does.  --timeout S (default 8) bounds\n"
        "each finding.  Chromium is looked up like capture's (--chromium);\n"
        "--verbose prints the DevTools protocol traffic on stderr.",
    .exec = verify_exec,
    .options = verify_options,
    .optstring = verify_optstring,
};
