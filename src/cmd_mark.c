/*
 * cmd_mark.c - `pmscope mark KIND ID [--severity S] [--note TEXT]
 * [--title T]`: the CLI twin of the TUI's `m` key.  The workflow (one hand
 * mark per subject, default title) is findings_mark's.
 */
#include <getopt.h>
#include <stdio.h>

#include "cmd.h"
#include "cmd_util.h"
#include "findings.h"

static const struct option mark_options[] = {
    {"workspace", required_argument, NULL, 'w'},
    {"severity", required_argument, NULL, 's'},
    {"note", required_argument, NULL, 'n'},
    {"title", required_argument, NULL, 't'},
    {NULL, 0, NULL, 0},
};
static const char mark_optstring[] = "w:s:n:t:";

static int
mark_exec(int argc, char **argv)
{
    extern const struct pm_cmd pm_cmd_mark;
    const char *wopt = NULL, *severity = NULL, *note = NULL, *title = NULL;
    int c;
    while ((c = getopt_long(argc, argv, mark_optstring, mark_options,
                            NULL)) != -1) {
        switch (c) {
        case 'w': wopt = optarg; break;
        case 's': severity = optarg; break;
        case 'n': note = optarg; break;
        case 't': title = optarg; break;
        default: return cmd_usage(&pm_cmd_mark);
        }
    }
    if (optind != argc - 2)
        return cmd_usage(&pm_cmd_mark);
    struct pm_err err = PM_ERR_INIT;
    if (severity && findings_severity_name(severity) == NULL) {
        pm_err_set(&err, PM_ERR_USAGE,
                   "unknown severity '%s'; expected critical, high, medium, "
                   "low or info", severity);
        return cmd_fail(&err);
    }
    struct pm_store *st;
    int rc = cmd_open_store(wopt, 0, 0, &st);
    if (rc)
        return rc;
    struct pm_subject subj;
    int64_t fid;
    int created;
    if (findings_parse_subject(st, argv[optind], argv[optind + 1], &subj,
                               &err) ||
        findings_mark(st, &subj, severity, title, note, &fid, &created, &err)) {
        store_close(st);
        return cmd_fail(&err);
    }
    printf("finding %lld %s\n", (long long)fid, created ? "added" : "updated");
    store_close(st);
    return 0;
}

const struct pm_cmd pm_cmd_mark = {
    .name = "mark",
    .usage = "[-w WS] KIND ID [--severity S] [--note TEXT] [--title T]",
    .summary = "mark a message, listener, send site, window or edge as a finding",
    .help =
        "KIND is message, listener, send_site, window or edge; ID is the\n"
        "object's id as `pmscope ls` shows it.  An edge is SENDER>RECEIVER,\n"
        "each an origin id or an origin, e.g.\n"
        "  pmscope mark edge 'https://a.example>https://w.example' -s high\n"
        "--severity is critical, high, medium, low or info (a unique prefix\n"
        "will do; default medium).  Without --title the title describes the\n"
        "subject.  A finding marked by hand is confirmed at once and is\n"
        "exported by `pmscope export`.  Marking a subject again updates its\n"
        "hand-marked finding (severity, and title/note when given) instead\n"
        "of adding a second one; marking a subject the analysis flagged\n"
        "confirms that finding (an empty note keeps its evidence).  Prints\n"
        "the finding id.",
    .exec = mark_exec,
    .options = mark_options,
    .optstring = mark_optstring,
};
