/*
 * cmd_tui.c - `pmscope tui [-w WS]` opens the workspace in the terminal UI;
 * `pmscope open [-w WS] FILE...` imports the files first (like `import`)
 * and then opens the UI.  The UI itself is ui/ui.c; imports happen here so
 * the UI never depends on the importers.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "cmd_util.h"
#include "ingest.h"
#include "ui.h"

extern const struct pm_cmd pm_cmd_tui;
extern const struct pm_cmd pm_cmd_open;

struct tui_args {
    const char *wopt;
    struct ui_opts ui;
};

static const struct option tui_options[] = {
    {"workspace", required_argument, NULL, 'w'},
    {"filter", required_argument, NULL, 'f'},
    {"no-color", no_argument, NULL, 'C'},
    {NULL, 0, NULL, 0},
};
static const char tui_optstring[] = "w:f:";

/* Parse the options tui and open share; returns -1 on success, else an exit code. */
static int
tui_parse(int argc, char **argv, const struct pm_cmd *cmd, struct tui_args *a)
{
    int c;
    memset(a, 0, sizeof *a);
    optind = 1;
    while ((c = getopt_long(argc, argv, tui_optstring, tui_options,
                            NULL)) != -1) {
        switch (c) {
        case 'w': a->wopt = optarg; break;
        case 'f': a->ui.filter = optarg; break;
        case 'C': a->ui.no_color = 1; break;
        default: return cmd_usage(cmd);
        }
    }
    return -1;
}

static int
tui_start(struct pm_store *st, struct tui_args *a)
{
    struct pm_err err = PM_ERR_INIT;
    a->ui.ws_path = store_path(st);
    enum pm_rc rc = ui_run(st, &a->ui, &err);
    store_close(st);
    return rc == PM_OK ? 0 : cmd_fail(&err);
}

static int
tui_exec(int argc, char **argv)
{
    struct tui_args a;
    int rc = tui_parse(argc, argv, &pm_cmd_tui, &a);
    if (rc >= 0)
        return rc;
    if (optind < argc)
        return cmd_usage(&pm_cmd_tui);
    const char *path = cmd_workspace_path(a.wopt);
    if (access(path, F_OK) != 0) {
        cmd_error("%s: no such workspace; create one with "
                  "'pmscope open FILE...' or 'pmscope import -w %s FILE...'",
                  path, path);
        return 3;
    }
    struct pm_store *st;
    rc = cmd_open_store(a.wopt, 0, 0, &st);
    if (rc)
        return rc;
    return tui_start(st, &a);
}

static int
open_exec(int argc, char **argv)
{
    struct tui_args a;
    int rc = tui_parse(argc, argv, &pm_cmd_open, &a);
    if (rc >= 0)
        return rc;
    if (optind >= argc)
        return cmd_usage(&pm_cmd_open);
    struct pm_store *st;
    rc = cmd_open_store(a.wopt, 1, 0, &st);
    if (rc)
        return rc;
    struct pm_import_opts opts = {.quiet = 1};
    int worst = 0, ok = 0, failed = 0;
    char first[600] = "";
    for (int i = optind; i < argc; i++) {
        struct pm_err err = PM_ERR_INIT;
        struct pm_import_result res;
        if (ingest_file(st, argv[i], &opts, &res, &err) != PM_OK) {
            int code = cmd_fail(&err);
            if (code > worst)
                worst = code;
            if (failed++ == 0)
                pm_err_format(&err, first, sizeof first);
            continue;
        }
        ok++;
    }
    if (ok == 0) {
        store_close_new(st); /* a workspace it created is not left behind */
        return worst;
    }
    /* The screen hides stderr: repeat the first failure in the status bar. */
    char notice[700];
    if (failed) {
        snprintf(notice, sizeof notice, "%d file%s not imported: %s", failed,
                 failed == 1 ? "" : "s", first);
        a.ui.notice = notice;
    }
    return tui_start(st, &a);
}

const struct pm_cmd pm_cmd_tui = {
    .name = "tui",
    .usage = "[-w WS] [-f|--filter FILTER] [--no-color]",
    .summary = "browse the workspace in the terminal UI",
    .help =
        "Opens the workspace in a full-screen terminal UI: frame tree,\n"
        "message list and detail (view 1), origin graph (2), frame tree (3),\n"
        "listeners (4), findings (5), sources (6) and send sites (7).\n"
        "A workspace without messages (a HAR alone) opens on the listeners\n"
        "(or, with none, the graph).  Press ? inside for every key.\n"
        "-f starts with a message filter (the language of\n"
        "'pmscope ls messages --filter').  Colours follow the terminal's\n"
        "palette; NO_COLOR or --no-color turns them off.  Running pmscope\n"
        "without a command is the same as 'pmscope tui'.",
    .exec = tui_exec,
    .options = tui_options,
    .optstring = tui_optstring,
};

const struct pm_cmd pm_cmd_open = {
    .name = "open",
    .usage = "[-w WS] [-f|--filter FILTER] [--no-color] FILE...",
    .summary = "import files, then browse them in the terminal UI",
    .help =
        "Imports each FILE like 'pmscope import' (the workspace is created\n"
        "when missing; files imported before are skipped) and opens the\n"
        "terminal UI on the workspace.  A file that fails to import is\n"
        "reported and left out; when none imports, the UI does not open.",
    .exec = open_exec,
    .options = tui_options,
    .optstring = tui_optstring,
};
