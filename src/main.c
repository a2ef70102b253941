/*
 * main.c - entry point: global options, then dispatch through the command
 * table (src/cmd.c).  With no command, pmscope opens the TUI on the default
 * workspace.
 */
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static void
main_print_help(FILE *out)
{
    fprintf(out,
            "pmscope %s - triage cross-origin postMessage traffic\n\n"
            "usage: pmscope [COMMAND] [OPTIONS] [ARGS]\n\n"
            "commands:\n",
            PM_VERSION);
    for (int i = 0; pm_cmds[i]; i++)
        fprintf(out, "  %-10s %s\n", pm_cmds[i]->name, pm_cmds[i]->summary);
    fprintf(out,
            "\nWith no command, pmscope opens the TUI on the workspace.\n"
            "Workspace: -w PATH, else $PMSCOPE_WORKSPACE, else ./%s\n"
            "Exit codes: 0 ok, 1 bad input, 2 usage, 3 workspace or I/O error.\n"
            "'pmscope help COMMAND' describes one command.\n",
            PM_WORKSPACE_DEFAULT);
}

static int
help_exec(int argc, char **argv)
{
    if (argc < 2) {
        main_print_help(stdout);
        return 0;
    }
    const struct pm_cmd *c = cmd_find(argv[1]);
    if (c == NULL) {
        fprintf(stderr, "pmscope: no command '%s'\n", argv[1]);
        return 2;
    }
    printf("usage: pmscope %s %s\n\n%s\n\n%s\n", c->name, c->usage,
           c->summary, c->help);
    return 0;
}

const struct pm_cmd pm_cmd_help = {
    .name = "help",
    .usage = "[COMMAND]",
    .summary = "describe pmscope or one command",
    .help = "Without an argument, lists the commands.",
    .exec = help_exec,
};

int
main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    if (argc < 2) {
        const struct pm_cmd *tui = cmd_find("tui");
        if (tui) {
            char *targv[] = {"tui", NULL};
            return tui->exec(1, targv);
        }
        main_print_help(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        main_print_help(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("pmscope %s\n", PM_VERSION);
        return 0;
    }
    /* "pmscope -w WS" alone opens the TUI on WS. */
    const struct pm_cmd *c = cmd_find(argv[1]);
    if (c == NULL && argv[1][0] == '-' && cmd_find("tui")) {
        argv[0] = "tui";
        return cmd_find("tui")->exec(argc, argv);
    }
    if (c == NULL) {
        fprintf(stderr, "pmscope: unknown command '%s'\n", argv[1]);
        main_print_help(stderr);
        return 2;
    }
    optind = 1;
    return c->exec(argc - 1, argv + 1);
}
