/*
 * cmd_note.c - `pmscope note FINDING TEXT`: replace a finding's note.
 */
#include <getopt.h>
#include <stdio.h>

#include "cmd.h"
#include "cmd_util.h"
#include "findings.h"

static const struct option note_options[] = {
    {"workspace", required_argument, NULL, 'w'},
    {NULL, 0, NULL, 0},
};
static const char note_optstring[] = "w:";

static int
note_exec(int argc, char **argv)
{
    extern const struct pm_cmd pm_cmd_note;
    const char *wopt = NULL;
    int c;
    while ((c = getopt_long(argc, argv, note_optstring, note_options,
                            NULL)) != -1) {
        switch (c) {
        case 'w': wopt = optarg; break;
        default: return cmd_usage(&pm_cmd_note);
        }
    }
    if (optind != argc - 2)
        return cmd_usage(&pm_cmd_note);
    struct pm_err err = PM_ERR_INIT;
    int64_t fid;
    if (findings_parse_id(argv[optind], &fid, &err))
        return cmd_fail(&err);
    struct pm_store *st;
    int rc = cmd_open_store(wopt, 0, 0, &st);
    if (rc)
        return rc;
    if (findings_set_note(st, fid, argv[optind + 1], &err) == PM_OK)
        printf("finding %lld: note %s\n", (long long)fid,
               argv[optind + 1][0] ? "set" : "cleared");
    store_close(st);
    return err.rc ? cmd_fail(&err) : 0;
}

const struct pm_cmd pm_cmd_note = {
    .name = "note",
    .usage = "[-w WS] FINDING TEXT",
    .summary = "set the analyst's note on a finding",
    .help =
        "Replaces the note; an empty TEXT clears it.  The note is free text:\n"
        "the report shows it literally (Markdown and HTML in it are escaped).",
    .exec = note_exec,
    .options = note_options,
    .optstring = note_optstring,
};
