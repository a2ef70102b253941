/*
 * cmd_util.h - what every command shares: the usage line, error messages
 * (escaped for the terminal) with their exit codes, and the workspace
 * path and opening.  src/cmd_util.c sits below the commands and the
 * command table (src/cmd.c), so a command's calls into it never run back
 * up into the table that dispatches to the command.
 */
#ifndef PM_CMD_UTIL_H
#define PM_CMD_UTIL_H

#include "err.h"
#include "store.h"

struct pm_cmd;

#define PM_WORKSPACE_DEFAULT "workspace.pmscope"

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

#endif
