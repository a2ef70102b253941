/*
 * cmd_recheck.c - `pmscope recheck [FINDING...]`: fetch each finding's
 * receiver document and listener script as served now, print whether the
 * finding still holds, and record it (findings.recheck_status/recheck_at).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "cmd_ls.h"
#include "mem.h"
#include "recheck.h"
#include "numarg.h"

static void
recheck_print(const struct recheck_result *r, void *ctx)
{
    (void)ctx;
    char subject[48];
    snprintf(subject, sizeof subject, "%s %" PRId64,
             r->subject_kind ? r->subject_kind : "?", r->subject_id);
    printf("%-7" PRId64 " %-16s %-13s %-20s ", r->finding_id, subject,
           r->status ? r->status : "-", r->status ? r->at : "-");
    ls_put(stdout, r->detail);
    putchar('\n');
}

static int
recheck_exec(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"workspace", required_argument, NULL, 'w'},
        {"all", no_argument, NULL, 'a'},
        {"parallel", required_argument, NULL, 'j'},
        FETCH_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    extern const struct pm_cmd pm_cmd_recheck;
    const char *wopt = NULL;
    struct recheck_opts o = {.parallel = 8};
    struct pm_err err = PM_ERR_INIT;
    int c, rc = 0;
    fetch_opts_init(&o.fetch);
    o.fetch.max_size = (int64_t)64 << 20; /* documents and scripts, not crawls */
    o.fetch.timeout_ms = 30 * 1000;
    while ((c = getopt_long(argc, argv, "w:aj:", longopts, NULL)) != -1) {
        switch (c) {
        case 'w': wopt = optarg; break;
        case 'a': o.include_suggested = 1; break;
        case 'j': {
            long long v;
            if (numarg_whole(optarg, 1, 64, &v)) {
                fetch_opts_release(&o.fetch);
                return numarg_usage("--parallel", optarg,
                                    "a whole number from 1 to 64");
            }
            o.parallel = (int)v;
            break;
        }
        case FETCH_OPT_HEADER:
            fprintf(stderr, "pmscope: recheck does not send --header: "
                    "redirects could carry it to other hosts\n");
            fetch_opts_release(&o.fetch);
            return 2;
        case FETCH_OPT_MAX_SIZE: case FETCH_OPT_TIMEOUT:
        case FETCH_OPT_CONNECT_TIMEOUT: case FETCH_OPT_CACERT:
            if (fetch_opts_set(&o.fetch, c, optarg, &err))
                return cmd_fail(&err);
            break;
        default: return cmd_usage(&pm_cmd_recheck);
        }
    }
    int64_t *ids = NULL;
    size_t nids = 0;
    if (optind < argc)
        ids = xcalloc((size_t)(argc - optind), sizeof *ids);
    for (int i = optind; i < argc; i++) {
        long long v;
        if (numarg_whole(argv[i][0] == '#' ? argv[i] + 1 : argv[i], 1,
                         INT64_MAX, &v)) {
            free(ids);
            fetch_opts_release(&o.fetch);
            return numarg_usage("finding id", argv[i],
                                "a number as 'pmscope ls findings' shows");
        }
        ids[nids++] = v;
    }
    o.ids = ids;
    o.nids = nids;

    struct pm_store *st;
    rc = cmd_open_store(wopt, 0, 0, &st);
    if (rc) {
        free(ids);
        return rc;
    }
    printf("%-7s %-16s %-13s %-20s %s\n", "FINDING", "SUBJECT", "RESULT",
           "CHECKED", "DETAIL");
    fflush(stdout);
    long checked = 0;
    if (recheck_run(st, &o, recheck_print, NULL, &checked, &err) != PM_OK)
        rc = cmd_fail(&err);
    else if (checked == 0 && nids == 0)
        fprintf(stderr, "pmscope: no %sfindings with a fetchable URL to "
                "re-check%s\n", o.include_suggested ? "" : "confirmed ",
                o.include_suggested ? "" : " (--all adds suggested ones)");
    store_close(st);
    free(ids);
    return rc;
}

const struct pm_cmd pm_cmd_recheck = {
    .name = "recheck",
    .usage = "[-w WS] [--all] [--parallel N] [--timeout S] [--connect-timeout S]\n"
             "       [--max-size SIZE] [--cacert FILE] [FINDING...]",
    .summary = "fetch findings' documents and scripts again: still there?",
    .help =
        "For each finding (the given ids, else every confirmed finding;\n"
        "--all adds the suggested ones) fetch, as served now, the\n"
        "receiver document and the listener script recorded with it (for\n"
        "a message, the first listener it reached), and print one line:\n"
        "still-present, changed, fixed or unreachable, with the date and\n"
        "what was compared.  The result and the date are kept with the\n"
        "finding in the workspace (recheck_status, recheck_at), so\n"
        "running it again later shows what moved.\n"
        "\n"
        "A listener script is scanned like an imported one: the handler\n"
        "is still present when a scanned handler has the recorded code's\n"
        "hash or the recorded code appears verbatim; it is fixed when no\n"
        "message listener is left or all of them now check the origin\n"
        "strictly.  A document's X-Frame-Options and CSP frame-ancestors\n"
        "are compared with the recorded headers; it is fixed when it can\n"
        "no longer be framed by any origin.  Transfers run in parallel\n"
        "(--parallel, default 8; one connection per host, reused), http\n"
        "and https only, TLS verified (--cacert adds a CA), each within\n"
        "--timeout (default 30 s), bodies up to --max-size (default 64M).",
    .exec = recheck_exec,
};
