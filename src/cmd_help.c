/*
 * cmd_help.c - `pmscope help [COMMAND]` and the command overview, generated
 * from the command table so it cannot drift from the commands.
 */
#include <stdio.h>

#include "cmd.h"

void
cmd_print_help(FILE *out)
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
        cmd_print_help(stdout);
        return 0;
    }
    const struct pm_cmd *c = cmd_find(argv[1]);
    if (c == NULL) {
        cmd_error("no command '%s'", argv[1]);
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

