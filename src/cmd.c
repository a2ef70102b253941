/*
 * cmd.c - the command table and helpers shared by the commands.
 */
#include "cmd.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "term_text.h"

extern const struct pm_cmd pm_cmd_import;
extern const struct pm_cmd pm_cmd_capture;
extern const struct pm_cmd pm_cmd_mark;
extern const struct pm_cmd pm_cmd_unmark;
extern const struct pm_cmd pm_cmd_note;
extern const struct pm_cmd pm_cmd_confirm;
extern const struct pm_cmd pm_cmd_dismiss;
extern const struct pm_cmd pm_cmd_export;
extern const struct pm_cmd pm_cmd_ls;
extern const struct pm_cmd pm_cmd_show;
extern const struct pm_cmd pm_cmd_tui;
extern const struct pm_cmd pm_cmd_open;
extern const struct pm_cmd pm_cmd_recheck;
extern const struct pm_cmd pm_cmd_analyze;
extern const struct pm_cmd pm_cmd_flow;
extern const struct pm_cmd pm_cmd_help;

const struct pm_cmd *const pm_cmds[] = {
    &pm_cmd_import,
    &pm_cmd_capture,
    &pm_cmd_ls,
    &pm_cmd_show,
    &pm_cmd_mark,
    &pm_cmd_unmark,
    &pm_cmd_note,
    &pm_cmd_confirm,
    &pm_cmd_dismiss,
    &pm_cmd_export,
    &pm_cmd_tui,
    &pm_cmd_open,
    &pm_cmd_recheck,
    &pm_cmd_analyze,
    &pm_cmd_flow,
    &pm_cmd_help,
    NULL,
};

const struct pm_cmd *
cmd_find(const char *name)
{
    for (int i = 0; pm_cmds[i]; i++)
        if (strcmp(pm_cmds[i]->name, name) == 0)
            return pm_cmds[i];
    return NULL;
}

/* The row of options whose name is name[0..len), or a unique prefix of. */
static const struct option *
long_option(const struct option *opts, const char *name, size_t len)
{
    const struct option *prefix_of = NULL;
    int prefixes = 0;
    for (; opts && opts->name; opts++) {
        if (strncmp(opts->name, name, len) != 0)
            continue;
        if (strlen(opts->name) == len)
            return opts;
        prefix_of = opts;
        prefixes++;
    }
    return prefixes == 1 ? prefix_of : NULL;
}

int
cmd_wants_help(const struct pm_cmd *cmd, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0)
            return 0;
        if (a[0] != '-' || a[1] == '\0')
            continue;
        if (a[1] == '-') {
            if (strcmp(a, "--help") == 0)
                return 1;
            const char *eq = strchr(a + 2, '=');
            size_t len = eq ? (size_t)(eq - (a + 2)) : strlen(a + 2);
            const struct option *o = long_option(cmd->options, a + 2, len);
            if (o && o->has_arg == required_argument && eq == NULL)
                i++;
            continue;
        }
        /* A cluster of short options; one that takes an argument ends it. */
        for (const char *c = a + 1; *c; c++) {
            if (*c == 'h')
                return 1;
            const char *d = cmd->optstring && *c != ':'
                                ? strchr(cmd->optstring, *c)
                                : NULL;
            if (d && d[1] == ':') {
                if (c[1] == '\0' && d[2] != ':')
                    i++;
                break;
            }
        }
    }
    return 0;
}

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
