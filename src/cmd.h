/*
 * cmd.h - the CLI's command table (tmux's cmd_entry pattern).  Each command
 * lives in its own src/cmd_<name>.c and exports one const struct pm_cmd;
 * src/cmd.c lists them.  `pmscope --help` and `pmscope help CMD` are
 * generated from the descriptors, so usage text cannot drift from code.
 *
 * A command's exec parses its own options (getopt_long, argv[0] is the
 * command name) and returns a process exit code: 0 ok, 1 bad input,
 * 2 usage, 3 workspace/IO error.  Its getopt table is part of the
 * descriptor too: main answers -h/--help from it, and the man page and the
 * bash completion list the options it holds.
 */
#ifndef PM_CMD_H
#define PM_CMD_H

#include <getopt.h>
#include <stdio.h>

#include "err.h"
#include "store.h"

struct pm_cmd {
    const char *name;
    const char *usage;   /* options and arguments after the name */
    const char *summary; /* one line for `pmscope --help` */
    const char *help;    /* paragraph(s) for `pmscope help NAME` */
    int (*exec)(int argc, char **argv);
    const struct option *options; /* what exec gives getopt_long */
    const char *optstring;        /* likewise; NULL when none */
};

extern const struct pm_cmd *const pm_cmds[];

const struct pm_cmd *cmd_find(const char *name);

/* The overview shown by --help: every command with its summary. */
void cmd_print_help(FILE *out);

/* Usage line, summary, help and the common options of one command. */
void cmd_print_cmd_help(FILE *out, const struct pm_cmd *cmd);

/* 1 when the command's getopt table has the long option name. */
int cmd_has_option(const struct pm_cmd *cmd, const char *name);

/* The man page (roff) and the bash completion script, generated from the
 * command table (src/cmd_docs.c). */
void cmd_docs_man(FILE *out);
void cmd_docs_bash_completion(FILE *out);

/*
 * True when argv (argv[0] the command's name) holds -h or --help where
 * getopt_long would read an option: not an option's argument, not after
 * "--".
 */
int cmd_wants_help(const struct pm_cmd *cmd, int argc, char **argv);

/* Print "usage: pmscope NAME USAGE" to stderr and return exit code 2. */
int cmd_usage(const struct pm_cmd *cmd);

/*
 * Print "pmscope: MESSAGE" and a newline to stderr.  Messages quote input
 * (a file name, a filter, an id typed on the command line), so the whole
 * message goes through term_text: controls, invalid bytes (0x9b), bidi and
 * invisible characters come out as visible escapes.  Every error the CLI
 * prints goes through here.
 */
void cmd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print a formatted error (cmd_error); return the matching exit code. */
int cmd_fail(const struct pm_err *err);

/*
 * The workspace path: the -w option if given, else $PMSCOPE_WORKSPACE,
 * else ./workspace.pmscope.
 */
const char *cmd_workspace_path(const char *opt);

/* Open the workspace (creating it when create is set); prints errors. */
int cmd_open_store(const char *wopt, int create, int readonly,
                   struct pm_store **out);

#define PM_WORKSPACE_DEFAULT "workspace.pmscope"

#endif
