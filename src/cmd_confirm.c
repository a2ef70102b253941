/*
 * cmd_confirm.c - `pmscope confirm FINDING...` and `pmscope dismiss
 * FINDING...`: the analyst's verdict on (suggested) findings.  The two
 * commands differ only in the status they write, so they share one file.
 */
#include <getopt.h>
#include <stdio.h>

#include "cmd.h"
#include "cmd_util.h"
#include "findings.h"

static const struct option confirm_options[] = {
    {"workspace", required_argument, NULL, 'w'},
    {NULL, 0, NULL, 0},
};
static const char confirm_optstring[] = "w:";

/* Set status on every finding named in argv; each is its own write. */
static int
review_exec(const struct pm_cmd *cmd, const char *status, int argc,
            char **argv)
{
    const char *wopt = NULL;
    int c;
    while ((c = getopt_long(argc, argv, confirm_optstring, confirm_options,
                            NULL)) != -1) {
        switch (c) {
        case 'w': wopt = optarg; break;
        default: return cmd_usage(cmd);
        }
    }
    if (optind >= argc)
        return cmd_usage(cmd);
    for (int i = optind; i < argc; i++) {
        struct pm_err err = PM_ERR_INIT;
        int64_t fid;
        if (findings_parse_id(argv[i], &fid, &err))
            return cmd_fail(&err);
    }
    struct pm_store *st;
    int rc = cmd_open_store(wopt, 0, 0, &st);
    if (rc)
        return rc;
    int worst = 0;
    for (int i = optind; i < argc; i++) {
        struct pm_err err = PM_ERR_INIT;
        int64_t fid;
        findings_parse_id(argv[i], &fid, &err);
        if (findings_set_status(st, fid, status, &err)) {
            int code = cmd_fail(&err);
            worst = code > worst ? code : worst;
            continue;
        }
        printf("finding %lld %s\n", (long long)fid, status);
    }
    store_close(st);
    return worst;
}

static int
confirm_exec(int argc, char **argv)
{
    extern const struct pm_cmd pm_cmd_confirm;
    return review_exec(&pm_cmd_confirm, "confirmed", argc, argv);
}

static int
dismiss_exec(int argc, char **argv)
{
    extern const struct pm_cmd pm_cmd_dismiss;
    return review_exec(&pm_cmd_dismiss, "dismissed", argc, argv);
}

const struct pm_cmd pm_cmd_confirm = {
    .name = "confirm",
    .usage = "[-w WS] FINDING...",
    .summary = "confirm findings (they go into the report)",
    .help =
        "Sets each finding's status to confirmed.  `pmscope export` reports\n"
        "confirmed findings by default; suggested ones only with --status.",
    .exec = confirm_exec,
    .options = confirm_options,
    .optstring = confirm_optstring,
};

const struct pm_cmd pm_cmd_dismiss = {
    .name = "dismiss",
    .usage = "[-w WS] FINDING...",
    .summary = "dismiss findings (false positives stay recorded, not reported)",
    .help =
        "Sets each finding's status to dismissed.  The finding stays in the\n"
        "workspace (so it is not suggested again) and is left out of the\n"
        "report unless --status dismissed or all is given.",
    .exec = dismiss_exec,
    .options = confirm_options,
    .optstring = confirm_optstring,
};
