/*
 * cmd_util.c - the helpers every command calls: usage line, error output
 * and exit codes, the workspace path and opening it.  Commands call down
 * into this file; it calls no command and not the table (src/cmd.c).
 */
#include "cmd_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"
#include "cmd.h"
#include "term_text.h"

int
cmd_usage(const struct pm_cmd *cmd)
{
    fprintf(stderr, "usage: pmscope %s %s\n", cmd->name, cmd->usage);
    fprintf(stderr, "try 'pmscope help %s' for more\n", cmd->name);
    return 2;
}

void
cmd_error(const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    struct pm_buf b;
    pm_buf_init(&b);
    pm_buf_adds(&b, "pmscope: ");
    term_text_fits(&b, msg, 1 << 30, 0);
    pm_buf_addc(&b, '\n');
    fwrite(b.data, 1, b.len, stderr);
    pm_buf_release(&b);
}

int
cmd_fail(const struct pm_err *err)
{
    char line[1024];
    pm_err_format(err, line, sizeof line);
    cmd_error("%s", line);
    return pm_rc_exit_code(err->rc);
}

const char *
cmd_workspace_path(const char *opt)
{
    if (opt && opt[0])
        return opt;
    const char *env = getenv("PMSCOPE_WORKSPACE");
    if (env && env[0])
        return env;
    return PM_WORKSPACE_DEFAULT;
}

int
cmd_open_store(const char *wopt, int create, int readonly,
               struct pm_store **out)
{
    struct pm_err err = PM_ERR_INIT;
    int flags = (create ? PM_STORE_CREATE : 0) |
                (readonly ? PM_STORE_READONLY : 0);
    if (store_open(cmd_workspace_path(wopt), flags, out, &err) != PM_OK)
        return cmd_fail(&err);
    return 0;
}
