/*
 * cmd.c - the command table and the dispatch over it, and `pmscope help`,
 * the one command that reads the table (it hands it to the help texts of
 * src/cmd_help.c and src/cmd_docs.c).  This file sits above the commands:
 * it calls them through the table, and they call only the helpers below
 * them (src/cmd_util.c), so no call runs back up into it.
 */
#include "cmd.h"

#include <stdio.h>
#include <string.h>

#include "cmd_util.h"

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
extern const struct pm_cmd pm_cmd_verify;
extern const struct pm_cmd pm_cmd_analyze;
extern const struct pm_cmd pm_cmd_flow;
extern const struct pm_cmd pm_cmd_graph;
static const struct pm_cmd pm_cmd_help;

static const struct pm_cmd *const cmds[] = {
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
    &pm_cmd_verify,
    &pm_cmd_analyze,
    &pm_cmd_flow,
    &pm_cmd_graph,
    &pm_cmd_help,
    NULL,
};

static const struct pm_cmd *
cmd_find(const char *name)
{
    for (int i = 0; cmds[i]; i++)
        if (strcmp(cmds[i]->name, name) == 0)
            return cmds[i];
    return NULL;
}

/* ---- help ---------------------------------------------------------------- */

static const struct option help_options[] = {
    {"man", no_argument, NULL, 'm'},
    {"bash-completion", no_argument, NULL, 'b'},
    {NULL, 0, NULL, 0},
};
static const char help_optstring[] = "";

static int
help_exec(int argc, char **argv)
{
    int c;
    while ((c = getopt_long(argc, argv, help_optstring, help_options,
                            NULL)) != -1) {
        switch (c) {
        case 'm': cmd_docs_man(stdout, cmds); return 0;
        case 'b': cmd_docs_bash_completion(stdout, cmds); return 0;
        default: return cmd_usage(&pm_cmd_help);
        }
    }
    if (optind >= argc) {
        cmd_print_help(stdout, cmds);
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

static const struct pm_cmd pm_cmd_help = {
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

/* ---- dispatch ------------------------------------------------------------ */

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

/*
 * True when argv (argv[0] the command's name) holds -h or --help where
 * getopt_long would read an option: not an option's argument, not after
 * "--".
 */
static int
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
cmd_main(int argc, char **argv)
{
    if (argc < 2) {
        const struct pm_cmd *tui = cmd_find("tui");
        if (tui) {
            char *targv[] = {"tui", NULL};
            return tui->exec(1, targv);
        }
        cmd_print_help(stderr, cmds);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        cmd_print_help(stdout, cmds);
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
        c = cmd_find("tui");
        if (cmd_wants_help(c, argc, argv)) {
            cmd_print_cmd_help(stdout, c);
            return 0;
        }
        return c->exec(argc, argv);
    }
    if (c == NULL) {
        cmd_error("unknown command '%s'", argv[1]);
        cmd_print_help(stderr, cmds);
        return 2;
    }
    if (cmd_wants_help(c, argc - 1, argv + 1)) {
        cmd_print_cmd_help(stdout, c);
        return 0;
    }
    optind = 1;
    return c->exec(argc - 1, argv + 1);
}
