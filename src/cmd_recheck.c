/*
 * cmd_recheck.c - `pmscope recheck [FINDING...]`: fetch each finding's
 * receiver document and listener script as served now, print whether the
 * finding still holds, and record it (findings.recheck_status, recheck_at,
 * recheck_detail).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "cmd_util.h"
#include "ls_out.h"
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

static const struct option recheck_options[] = {
    {"workspace", required_argument, NULL, 'w'},
    {"all", no_argument, NULL, 'a'},
    {"parallel", required_argument, NULL, 'j'},
    FETCH_LONGOPTS,
    {NULL, 0, NULL, 0},
};
static const char recheck_optstring[] = "w:aj:";

static int
recheck_exec(int argc, char **argv)
{
    extern const struct pm_cmd pm_cmd_recheck;
    const char *wopt = NULL;
    struct recheck_opts o = {.parallel = 8};
    struct pm_err err = PM_ERR_INIT;
    int c, rc = 0;
    fetch_opts_init(&o.fetch);
    o.fetch.max_size = (int64_t)64 << 20; /* documents and scripts, not crawls */
    o.fetch.timeout_ms = 30 * 1000;
    while ((c = getopt_long(argc, argv, recheck_optstring, recheck_options,
                            NULL)) != -1) {
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
        "still-present, changed, fixed, inconclusive or unreachable, with\n"
        "the date and what was compared.  The result, the date and the\n"
        "line are kept with the finding in the workspace, so running it\n"
        "again later shows what moved.\n"
        "\n"
        "An answer is evidence only when it is a 2xx from the URL's own\n"
        "origin (redirects within it are followed), not empty, and for a\n"
        "listener script a script (or the HTML page an inline listener\n"
        "was in); anything else, such as a redirect to another origin's\n"
        "login page or an HTML error page, is inconclusive, and the line\n"
        "says why.  A listener script is scanned like an imported one: the\n"
        "handler is still present when a scanned handler has the recorded\n"
        "code's hash or the recorded code appears verbatim; it is fixed\n"
        "when no message listener is left or all of them now check the\n"
        "origin strictly.  A document's X-Frame-Options and CSP\n"
        "frame-ancestors are compared with the recorded headers; it is\n"
        "fixed when it can no longer be framed by any origin.  Transfers\n"
        "run in parallel (--parallel, default 8; one connection per host,\n"
        "reused), http and https only, never from https to http, TLS\n"
        "verified (--cacert adds a CA), each URL's redirects within\n"
        "--timeout (default 30 s), bodies up to --max-size (default 64M).\n"
        "A user name or password in a recorded URL is never sent, and\n"
        "unlike import, recheck sends no --header: a redirect could carry\n"
        "it to another host.",
    .exec = recheck_exec,
    .options = recheck_options,
    .optstring = recheck_optstring,
};
