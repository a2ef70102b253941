/*
 * cmd_help.c - the texts of `pmscope help [COMMAND]` and `COMMAND --help`:
 * the command overview and one command's help, generated from the
 * descriptors they are handed so they cannot drift from the commands.
 * The table and the help command that prints these are in src/cmd.c
 * (the man page and the completion script: src/cmd_docs.c).
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "cmd_util.h"

void
cmd_print_help(FILE *out, const struct pm_cmd *const *cmds)
{
    fprintf(out,
            "pmscope %s - triage cross-origin postMessage traffic\n\n"
            "usage: pmscope [COMMAND] [OPTIONS] [ARGS]\n\n"
            "commands:\n",
            PM_VERSION);
    for (int i = 0; cmds[i]; i++)
        fprintf(out, "  %-10s %s\n", cmds[i]->name, cmds[i]->summary);
    fprintf(out,
            "\nWith no command, pmscope opens the TUI on the workspace.\n"
            "Workspace: -w PATH, else $PMSCOPE_WORKSPACE, else ./%s\n"
            "Exit codes: 0 ok, 1 bad input, 2 usage, 3 workspace or I/O error.\n"
            "'pmscope help COMMAND' (or 'pmscope COMMAND --help') describes "
            "one command.\n",
            PM_WORKSPACE_DEFAULT);
}

int
cmd_has_option(const struct pm_cmd *cmd, const char *name)
{
    for (const struct option *o = cmd->options; o && o->name; o++)
        if (strcmp(o->name, name) == 0)
            return 1;
    return 0;
}

void
cmd_print_cmd_help(FILE *out, const struct pm_cmd *cmd)
{
    fprintf(out, "usage: pmscope %s %s\n\n%s\n\n%s\n", cmd->name, cmd->usage,
            cmd->summary, cmd->help);
    fputs("\ncommon options:\n", out);
    if (cmd_has_option(cmd, "workspace"))
        fprintf(out, "  -w, --workspace WS  the workspace file; else "
                     "$PMSCOPE_WORKSPACE, else ./%s\n",
                PM_WORKSPACE_DEFAULT);
    fputs("  -h, --help          this text\n", out);
}
