/*
 * cmd_unmark.c - `pmscope unmark FINDING | KIND ID`: delete a finding by
 * id, or the hand-marked findings on a subject.
 */
#include <getopt.h>
#include <stdio.h>

#include "cmd.h"
#include "cmd_util.h"
#include "findings.h"

static const struct option unmark_options[] = {
    {"workspace", required_argument, NULL, 'w'},
    {NULL, 0, NULL, 0},
};
static const char unmark_optstring[] = "w:";

static int
unmark_exec(int argc, char **argv)
{
    extern const struct pm_cmd pm_cmd_unmark;
    const char *wopt = NULL;
    int c;
    while ((c = getopt_long(argc, argv, unmark_optstring, unmark_options,
                            NULL)) != -1) {
        switch (c) {
        case 'w': wopt = optarg; break;
        default: return cmd_usage(&pm_cmd_unmark);
        }
    }
    int nargs = argc - optind;
    if (nargs != 1 && nargs != 2)
        return cmd_usage(&pm_cmd_unmark);
    struct pm_err err = PM_ERR_INIT;
    int64_t fid = 0;
    if (nargs == 1 && findings_parse_id(argv[optind], &fid, &err))
        return cmd_fail(&err);
    struct pm_store *st;
    int rc = cmd_open_store(wopt, 0, 0, &st);
    if (rc)
        return rc;
    if (nargs == 1) {
        if (findings_unmark(st, fid, &err) == PM_OK)
            printf("finding %lld removed\n", (long long)fid);
    } else {
        struct pm_subject subj;
        int removed;
        if (findings_parse_subject(st, argv[optind], argv[optind + 1], &subj,
                                   &err) == PM_OK &&
            findings_unmark_subject(st, &subj, &removed, &err) == PM_OK)
            printf("%d finding%s removed\n", removed, removed == 1 ? "" : "s");
    }
    store_close(st);
    return err.rc ? cmd_fail(&err) : 0;
}

const struct pm_cmd pm_cmd_unmark = {
    .name = "unmark",
    .usage = "[-w WS] FINDING | KIND ID",
    .summary = "remove a finding, or the hand-marked findings on a subject",
    .help =
        "With a finding id, deletes that finding (also a suggested one; it\n"
        "may be suggested again when the input is re-imported, so prefer\n"
        "`pmscope dismiss` for those).  With KIND ID (as for `pmscope mark`),\n"
        "deletes the findings marked by hand on that subject and leaves\n"
        "suggested ones alone.",
    .exec = unmark_exec,
    .options = unmark_options,
    .optstring = unmark_optstring,
};
