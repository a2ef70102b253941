/*
 * cmd_help.c - `pmscope help [COMMAND]`, `COMMAND --help` and the command
 * overview, generated from the command table so they cannot drift from the
 * commands.  `help --man` and `help --bash-completion` print the man page
 * and the completion script (src/cmd_docs.c).
 */
#include <stdio.h>
#include <string.h>

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

static const struct option help_options[] = {
    {"man", no_argument, NULL, 'm'},
    {"bash-completion", no_argument, NULL, 'b'},
    {NULL, 0, NULL, 0},
};
static const char help_optstring[] = "";

static int
help_exec(int argc, char **argv)
{
    extern const struct pm_cmd pm_cmd_help;
    int c;
    while ((c = getopt_long(argc, argv, help_optstring, help_options,
                            NULL)) != -1) {
        switch (c) {
        case 'm': cmd_docs_man(stdout); return 0;
        case 'b': cmd_docs_bash_completion(stdout); return 0;
        default: return cmd_usage(&pm_cmd_help);
        }
    }
    if (optind >= argc) {
        cmd_print_help(stdout);
        return 0;
    }
    if (optind + 1 < argc)
        return cmd_usage(&pm_cmd_help);
    const struct pm_cmd *cmd = cmd_find(argv[optind]);
    if (cmd == NULL) {
        cmd_error("no command '%s'", argv[optind]);
        return 2;
    }
    cmd_print_cmd_help(stdout, cmd);
    return 0;
}

const struct pm_cmd pm_cmd_help = {
    .name = "help",
    .usage = "[COMMAND] | --man | --bash-completion",
    .summary = "describe pmscope or one command",
    .help = "Without an argument, lists the commands.  --man prints the man\n"
            "page, --bash-completion the bash completion script; both are\n"
            "generated from the commands' descriptions and options (`make\n"
            "install` installs the copies in docs/).",
    .exec = help_exec,
    .options = help_options,
    .optstring = help_optstring,
};
