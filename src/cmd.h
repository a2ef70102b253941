/*
 * cmd.h - the CLI's command descriptor (tmux's cmd_entry pattern).  Each
 * command lives in its own src/cmd_<name>.c and exports one const struct
 * pm_cmd; src/cmd.c lists them in its table and dispatches to them.
 * `pmscope --help` and `pmscope help CMD` are generated from the
 * descriptors, so usage text cannot drift from code.
 *
 * A command's exec parses its own options (getopt_long, argv[0] is the
 * command name) and returns a process exit code: 0 ok, 1 bad input,
 * 2 usage, 3 workspace/IO error.  Its getopt table is part of the
 * descriptor too: the dispatch answers -h/--help from it, and the man page
 * and the bash completion list the options it holds.
 *
 * Calls run one way: src/cmd.c (table, dispatch, the help command) calls
 * the commands and the help texts; the commands call the helpers of
 * src/cmd_util.h, never the table.
 */
#ifndef PM_CMD_H
#define PM_CMD_H

#include <getopt.h>
#include <stdio.h>

struct pm_cmd {
    const char *name;
    const char *usage;   /* options and arguments after the name */
    const char *summary; /* one line for `pmscope --help` */
    const char *help;    /* paragraph(s) for `pmscope help NAME` */
    int (*exec)(int argc, char **argv);
    const struct option *options; /* what exec gives getopt_long */
    const char *optstring;        /* likewise; NULL when none */
};

/*
 * Run pmscope's command line (argv[0] the program): with no command the
 * TUI, --help and --version, "-w WS" alone the TUI on WS, else the named
 * command (its -h/--help answered from its descriptor).  Returns the exit
 * code.
 */
int cmd_main(int argc, char **argv);

/* The overview shown by --help: every command of cmds (NULL-terminated)
 * with its summary (src/cmd_help.c). */
void cmd_print_help(FILE *out, const struct pm_cmd *const *cmds);

/* Usage line, summary, help and the common options of one command. */
void cmd_print_cmd_help(FILE *out, const struct pm_cmd *cmd);

/* 1 when the command's getopt table has the long option name. */
int cmd_has_option(const struct pm_cmd *cmd, const char *name);

/* The man page (roff) and the bash completion script for the commands of
 * cmds (NULL-terminated; src/cmd_docs.c). */
void cmd_docs_man(FILE *out, const struct pm_cmd *const *cmds);
void cmd_docs_bash_completion(FILE *out, const struct pm_cmd *const *cmds);

#endif
