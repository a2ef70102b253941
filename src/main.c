/*
 * main.c - entry point: global options, then dispatch through the command
 * table (src/cmd.c).  With no command, pmscope opens the TUI on the default
 * workspace.
 */
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

int
main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    /*
     * Past a file size limit (ulimit -f) a write fails with EFBIG, which
     * SQLite reports and the import rolls back; the default SIGXFSZ
     * action would kill the process with a half-written WAL instead.
     */
    signal(SIGXFSZ, SIG_IGN);
    if (argc < 2) {
        const struct pm_cmd *tui = cmd_find("tui");
        if (tui) {
            char *targv[] = {"tui", NULL};
            return tui->exec(1, targv);
        }
        cmd_print_help(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        cmd_print_help(stdout);
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
        cmd_print_help(stderr);
        return 2;
    }
    if (cmd_wants_help(c, argc - 1, argv + 1)) {
        cmd_print_cmd_help(stdout, c);
        return 0;
    }
    optind = 1;
    return c->exec(argc - 1, argv + 1);
}
